"""The tool's caches: one version for all of them, one rule for trusting a file's stamp, and ``cop-docs clean``.

In: paths of cache files (under ``build/.cache/`` for a project) and what to keep in them. Out: what was kept,
or nothing when it was kept by another version of the tool. The version (:func:`version`) is a hash of the
package's code and themes and of the versions of the tools whose results the caches hold (pandoc, WeasyPrint,
fontTools, Babel…): a change to either makes every cache miss instead of answering for the old code. A file is
known by its size and modification time only once that time is older than the clock's tick
(:func:`settled`): a change within the same tick, keeping the size, would otherwise go unseen. A cache only saves
time: one that cannot be read is empty, one that cannot be written is left as it was.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import shutil
import sys
import time
from pathlib import Path
from typing import Any

from . import __version__, files

#: Packages whose versions change what the tool makes: the bytes of an output, or what a cache holds.
TOOLS = ("pypandoc-binary", "weasyprint", "pydyf", "fonttools", "pyphen", "pillow", "babel", "jinja2")
#: A file modified less than this long before it was read is not remembered by its stamp.
RACY_SECONDS = 2.0

Stamp = list[int] | None  #: a file's [size, mtime_ns], or None when it does not exist


@functools.cache
def tool_versions() -> dict[str, str]:
    versions = {"cop-docs": __version__, "python": sys.version.split()[0]}
    installed = _installed()
    for name in TOOLS:
        version = installed.get(_normal(name))
        if version is None:
            from importlib import metadata  # here: it loads slowly, and the folders' names say it nearly always

            try:
                version = metadata.version(name)
            except metadata.PackageNotFoundError:
                version = "missing"
        versions[name] = version
    return versions


def _installed() -> dict[str, str]:
    """The version of each distribution installed on ``sys.path``, from its ``name-version.dist-info`` folder's
    name (the first on the path wins, as for imports). Reading them through importlib.metadata takes longer than
    a small command takes to run."""
    found: dict[str, str] = {}
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for name in names:
            if name.endswith(".dist-info"):
                dist, _, version = name.removesuffix(".dist-info").partition("-")
                found.setdefault(_normal(dist), version)
    return found


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


@functools.cache
def package_files() -> tuple[Path, ...]:
    """The tool's own code and themes."""
    package = Path(__file__).resolve().parent
    return tuple(sorted(p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts))


@functools.cache
def version() -> str:
    """The version every cache entry is made under: the package's code and themes and the tools' versions."""
    h = hashlib.sha256(json.dumps(tool_versions(), sort_keys=True).encode())
    root = Path(__file__).resolve().parent
    for path in package_files():
        h.update(f"{path.relative_to(root).as_posix()}\0".encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:20]


def stamp(path: Path | str) -> Stamp:
    """A file's size and modification time, or None when it does not exist (other errors are raised)."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return [st.st_size, st.st_mtime_ns]


def settled(stamps: list[Stamp], read_at_ns: int) -> bool:
    """Whether files with these stamps, read at ``read_at_ns``, may be known by their stamps from now on."""
    return all(s is None or s[1] <= read_at_ns - int(RACY_SECONDS * 1e9) for s in stamps)


def read_json(path: Path) -> Any | None:
    """What :func:`write_json` kept in ``path`` under this version; None when there is nothing (or another
    version's)."""
    try:
        kept = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return kept.get("data") if isinstance(kept, dict) and kept.get("version") == version() else None


def write_json(path: Path, data: Any, **dumps: Any) -> bool:
    """Keep ``data`` in ``path`` under this version; whether it was written."""
    try:
        files.write_atomic(path, json.dumps({"version": version(), "data": data}, ensure_ascii=False, **dumps))
        return True
    except OSError:
        return False


class FileHashes:
    """SHA-256 of files, remembered by path, size and modification time (font files and outputs are large, and a
    build with nothing to do must not read them all)."""

    @classmethod
    def for_project(cls, project) -> FileHashes:
        return cls(project.cache_dir / "file-hashes.json")

    def __init__(self, path: Path | None):
        self.path = path
        self.known: dict[str, list] = (read_json(path) or {}) if path else {}
        self.changed = False

    def __call__(self, file: Path) -> str:
        now = time.time_ns()
        current = stamp(file)
        if current is None:
            return "missing"
        if file.is_dir():  # a folder's stamp does not change with its files' contents
            return files.sha256_tree(file)
        key = str(file)
        seen = self.known.get(key)
        if seen and seen[:2] == current:
            return seen[2]
        digest = files.sha256_file(file)
        if settled([current], now):
            self.known[key] = [*current, digest]
            self.changed = True
        return digest

    def save(self) -> None:
        if self.path and self.changed:
            write_json(self.path, self.known, sort_keys=True)
            self.changed = False


def clean(project, everything: bool = False) -> list[Path]:
    """Remove the project's caches and stamps (``build/.cache``); with ``everything``, the outputs too: every
    language's folder, the release, the previews and the web site. Nothing outside ``build/`` is touched. Returns what was
    removed."""
    build = project.build_dir
    targets = [project.cache_dir]
    if everything:
        from .catalogs.pseudo import CODES

        targets += [build / lang.code for lang in project.languages] + [build / code for code in CODES]
        targets += [build / "release", build / "preview", build / "web"]
    removed = []
    for target in targets:
        if build.resolve() not in target.resolve().parents:
            continue
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)
            removed.append(target)
        elif target.exists() or target.is_symlink():
            target.unlink()
            removed.append(target)
    return removed
