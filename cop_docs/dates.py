"""The dates the tool writes: into catalog headers, and into the outputs.

In: the project (and, for an output, the files it is made from). Out: seconds since the epoch, or the text to
write. ``SOURCE_DATE_EPOCH``, when set, is every date (reproducible builds). Otherwise a catalog header gets the
time it is written, and an output the time of the last commit that touched one of its inputs (else their newest
modification time), so that a change to one document changes neither the dates nor the bytes of the others.
"""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

from .config import Project


def fixed() -> int | None:
    """``SOURCE_DATE_EPOCH``, when it is set to a number."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "")
    return int(value) if value.isdigit() else None


def header_timestamp() -> str:
    """The time to record in a catalog header (``POT-Creation-Date``, ``PO-Revision-Date``)."""
    epoch = fixed()
    return time.strftime("%Y-%m-%d %H:%M+0000", time.gmtime(epoch) if epoch is not None else time.gmtime())


def day(epoch: int) -> str:
    """The date an output shows (``2026-12-05``)."""
    return time.strftime("%Y-%m-%d", time.gmtime(epoch))


def commit_dates(project: Project) -> dict[str, int] | None:
    """The last commit time of every file in the project's history (one ``git log``); None outside git, or when
    ``SOURCE_DATE_EPOCH`` decides."""
    if fixed() is not None:
        return None
    try:
        top = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=project.root, capture_output=True,
                             text=True, check=True).stdout.strip()
        log = subprocess.run(["git", "log", "--format=@%ct", "--name-only", "--no-renames", "--", "."],
                             cwd=project.root, capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    dates: dict[str, int] = {}
    when = 0
    for line in log.splitlines():
        if line.startswith("@"):
            when = int(line[1:])
        elif line:
            dates.setdefault(str(Path(top) / line), when)
    return dates


def output_epoch(files: list[Path], dates: dict[str, int] | None) -> int:
    """The date of an output made from ``files``: ``SOURCE_DATE_EPOCH``, else the last commit of one of them
    (``dates``: :func:`commit_dates`), else the newest file."""
    epoch = fixed()
    if epoch is not None:
        return epoch
    if dates:
        known = [dates[str(f)] for f in files if str(f) in dates]
        if known:
            return max(known)
    return int(max(f.stat().st_mtime for f in files if f.exists()))


def project_epoch(project: Project) -> int:
    """The date of the project as a whole: ``SOURCE_DATE_EPOCH``, else the last commit, else the newest source
    file (for what is dated outside a build: a localized document shown on its own)."""
    epoch = fixed()
    if epoch is not None:
        return epoch
    try:
        out = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=project.root, capture_output=True,
                             text=True, check=True).stdout.strip()
        if out.isdigit():
            return int(out)
    except (OSError, subprocess.CalledProcessError):
        pass
    paths = [project.config_path, *(p for d in project.documents for p in d.sources)]
    return int(max(p.stat().st_mtime for p in paths))
