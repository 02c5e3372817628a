"""What each output depends on, as one content hash, and the stamps that let a build skip what is up to date.

In: the project, a document, a language and a format. Out: the list of input files (the project file, the
document's sources and the snippets it includes, their catalogs for the language, the images they show, the
theme and the tool's code, the font files), a SHA-256 over their contents plus the tool versions and the draft flag, and the date
the output carries: the last commit that touched one of its inputs (or SOURCE_DATE_EPOCH when it is set), so
that a change to one document does not change the dates, and so the bytes, of the others.

Stamps live in ``build/.cache/stamps/<lang>/<doc>.json``: for each format, the inputs' hash and the output's
own SHA-256. An output is up to date when both still match; a stamp is written only after its output is.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from . import __version__, sources
from .catalogs import pofiles
from .config import Document, Language, Project

_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)")
#: Packages whose version changes the bytes of an output.
_TOOLS = ("pypandoc-binary", "weasyprint", "pydyf", "fonttools", "pyphen", "pillow")


@functools.cache
def tool_versions() -> dict[str, str]:
    versions = {"cop-docs": __version__, "python": sys.version.split()[0]}
    for name in _TOOLS:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "missing"
    return versions


def inputs(project: Project, doc: Document, lang: Language) -> list[Path]:
    """Every file an output of this document in this language is made from, sorted."""
    items = [doc, *sources.included_snippets(project, doc)]
    files = {project.config_path}
    for item in items:
        for source in item.sources:
            files.add(source)
            text = source.read_text(encoding="utf-8")
            for url in _IMAGE.findall(text):
                if ":" not in url.split("/")[0]:
                    files.add((source.parent / url).resolve())
        if lang.code != project.source_language:
            files.add(project.po_path(item, lang))
    files.update(package_files())
    return sorted(files)


@functools.cache
def package_files() -> tuple[Path, ...]:
    """The tool's own code and themes: a change to how outputs are made rebuilds them."""
    package = Path(__file__).resolve().parent
    return tuple(sorted(p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts))


def font_files(lang: Language) -> list[Path]:
    """Every face (regular, bold, italic…) of the language's font families, as fontconfig finds them."""
    from .renderers import fonts

    found = set()
    for family in (*lang.heading_fonts, *lang.fonts):
        found.update(face.path for _style, face in fonts.installed_faces(family))
    return sorted(found)


class FileHashes:
    """SHA-256 of files, remembered by path, size and modification time (font files and outputs are large, and a
    build with nothing to do must not read them all)."""

    @classmethod
    def for_project(cls, project: Project) -> FileHashes:
        return cls(project.cache_dir / "file-hashes.json")

    def __init__(self, path: Path | None):
        self.path = path
        self.known: dict[str, list] = {}
        if path and path.exists():
            try:
                self.known = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                self.known = {}
        self.changed = False

    def __call__(self, file: Path) -> str:
        try:
            st = file.stat()
        except OSError:
            return "missing"
        key = str(file)
        seen = self.known.get(key)
        if seen and seen[0] == st.st_size and seen[1] == st.st_mtime_ns:
            return seen[2]
        digest = sha256_file(file)
        self.known[key] = [st.st_size, st.st_mtime_ns, digest]
        self.changed = True
        return digest

    def save(self) -> None:
        if self.path and self.changed:
            pofiles.write_atomic(self.path, json.dumps(self.known, sort_keys=True))
            self.changed = False


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


@dataclass(frozen=True)
class Key:
    """What one document × language is built from: its inputs' hash and the date its outputs carry."""

    digest: str
    epoch: int


def key(project: Project, doc: Document, lang: Language, draft: bool, hashes: FileHashes,
        dates: dict[str, int] | None) -> Key:
    files = inputs(project, doc, lang)
    h = hashlib.sha256()
    h.update(json.dumps({"tools": tool_versions(), "draft": draft, "lang": lang.code, "doc": doc.id}).encode())
    for file in [*files, *font_files(lang)]:
        h.update(f"{file}\0{hashes(file)}\n".encode())
    return Key(h.hexdigest(), output_epoch(project, files, dates))


def commit_dates(project: Project) -> dict[str, int] | None:
    """The last commit time of every file in the project's history (one ``git log``), or None outside git."""
    if os.environ.get("SOURCE_DATE_EPOCH", "").isdigit():
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


def output_epoch(project: Project, files: list[Path], dates: dict[str, int] | None) -> int:
    env = os.environ.get("SOURCE_DATE_EPOCH", "")
    if env.isdigit():
        return int(env)
    if dates:
        known = [dates[str(f)] for f in files if str(f) in dates]
        if known:
            return max(known)
    return int(max(f.stat().st_mtime for f in files if f.exists()))


class Stamps:
    """The stamps of one document × language."""

    def __init__(self, project: Project, doc: Document, lang: Language):
        self.path = project.cache_dir / "stamps" / lang.code / f"{doc.id}.json"

    def read(self) -> dict[str, dict[str, str]]:
        try:
            return json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def up_to_date(self, outputs: dict[str, Path], key: Key, hashes: FileHashes) -> bool:
        """True when every output exists, is the file its stamp recorded, and was made from the same inputs."""
        stamps = self.read()
        for fmt, path in outputs.items():
            stamp = stamps.get(fmt)
            if not stamp or stamp.get("inputs") != key.digest or stamp.get("epoch") != key.epoch:
                return False
            if not path.exists() or hashes(path) != stamp.get("output"):
                return False
        return True

    def record(self, outputs: dict[str, Path], key: Key, hashes: FileHashes, report: dict | None = None) -> None:
        """Stamp the outputs just written, with what they show (``report``, read back by :meth:`report`)."""
        stamps = self.read()
        for fmt, path in outputs.items():
            stamps[fmt] = {"inputs": key.digest, "epoch": key.epoch, "output": hashes(path)}
        if report is not None:
            stamps["shows"] = {"inputs": key.digest, **report}
        pofiles.write_atomic(self.path, json.dumps(stamps, indent=1, sort_keys=True))

    def report(self, key: Key) -> dict | None:
        """What the outputs show, as recorded when they were built from the inputs ``key`` stands for."""
        shows = self.read().get("shows")
        if not shows or shows.get("inputs") != key.digest:
            return None
        return {k: v for k, v in shows.items() if k != "inputs"}
