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

import hashlib
import json
import posixpath
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from . import cache, files, sources
from . import dates as dates_
from .config import Document, Language, Project


def inputs(project: Project, doc: Document, lang: Language) -> list[Path]:
    """Every file an output of this document in this language is made from, sorted."""
    items = [doc, *sources.included_snippets(project, doc)]
    files = {project.config_path}
    for item in items:
        files.update(item.sources)
        for source in sources.load(project, item):  # parsed (and cached): the pictures as pandoc reads them
            for url in source.images:
                if ":" not in url.split("/")[0] and not url.startswith("/"):
                    files.add((project.root / posixpath.dirname(source.path) / unquote(url)).resolve())
        if lang.pseudo:  # its catalog is made from the template, the sources and the code
            files.add(project.pot_path(item))
        elif lang.code != project.source_language:
            files.add(project.po_path(item, lang))
    files.update(cache.package_files())
    return sorted(files)


def font_files(lang: Language) -> list[Path]:
    """Every face (regular, bold, italic…) of the language's font families, as fontconfig finds them."""
    from .renderers import fonts

    found = set()
    for family in (*lang.heading_fonts, *lang.fonts):
        found.update(face.path for _style, face in fonts.installed_faces(family))
    return sorted(found)


@dataclass(frozen=True)
class Key:
    """What one document × language is built from: its inputs' hash and the date its outputs carry."""

    digest: str
    epoch: int


def key(project: Project, doc: Document, lang: Language, draft: bool, hashes: cache.FileHashes,
        dates: dict[str, int] | None) -> Key:
    files = inputs(project, doc, lang)
    h = hashlib.sha256()
    h.update(json.dumps({"tools": cache.tool_versions(), "draft": draft, "lang": lang.code, "doc": doc.id}).encode())
    for file in [*files, *font_files(lang)]:
        h.update(f"{file}\0{hashes(file)}\n".encode())
    return Key(h.hexdigest(), dates_.output_epoch(files, dates))


class Stamps:
    """The stamps of one document × language."""

    def __init__(self, project: Project, doc: Document, lang: Language):
        self.path = project.cache_dir / "stamps" / lang.code / f"{doc.id}.json"

    def read(self) -> dict[str, dict[str, str]]:
        try:
            return json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def up_to_date(self, outputs: dict[str, Path], key: Key, hashes: cache.FileHashes) -> bool:
        """True when every output exists, is the file its stamp recorded, and was made from the same inputs."""
        stamps = self.read()
        for fmt, path in outputs.items():
            stamp = stamps.get(fmt)
            if not stamp or stamp.get("inputs") != key.digest or stamp.get("epoch") != key.epoch:
                return False
            if not path.exists() or hashes(path) != stamp.get("output"):
                return False
        return True

    def record(self, outputs: dict[str, Path], key: Key, hashes: cache.FileHashes, report: dict | None = None) -> None:
        """Stamp the outputs just written, with what they show (``report``, read back by :meth:`report`)."""
        stamps = self.read()
        for fmt, path in outputs.items():
            stamps[fmt] = {"inputs": key.digest, "epoch": key.epoch, "output": hashes(path)}
        if report is not None:
            stamps["shows"] = {"inputs": key.digest, **report}
        files.write_atomic(self.path, json.dumps(stamps, indent=1, sort_keys=True))

    def report(self, key: Key) -> dict | None:
        """What the outputs show, as recorded when they were built from the inputs ``key`` stands for."""
        shows = self.read().get("shows")
        if not shows or shows.get("inputs") != key.digest:
            return None
        return {k: v for k, v in shows.items() if k != "inputs"}
