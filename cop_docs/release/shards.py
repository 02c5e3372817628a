"""Shards: one language's outputs described for the release, so a release can be gathered from several machines.

In: the built outputs in ``build/<lang>/`` and the gate's decisions. Out: ``build/<lang>/shard.json`` (files,
checksums, decisions, page counts, the source commit); :func:`read_shards` reads shards back, each file's
checksum verified, as the :class:`Entry` list the release folder is made from.
"""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from .. import cache, files, gate
from ..config import Language, Project
from ..formats import FORMATS
from ..renderers import output_path
from .errors import ReleaseError

SHARD_FILE = "shard.json"
SCHEMA = 1


def write_shard(project: Project, lang: Language, decisions: list[gate.Decision],
                hashes: cache.FileHashes) -> Path:
    """Describe the outputs of one language in ``build/<lang>/shard.json``: files, checksums, decisions."""
    folder = project.build_dir / lang.code
    try:  # pages counted last time, for the files that have not changed since
        known = {(f["file"], f["sha256"]): f.get("pages") for f in json.loads((folder / SHARD_FILE).read_text())["files"]}
    except (OSError, ValueError, KeyError, TypeError):
        known = {}
    listed, withheld = [], []
    for decision in decisions:
        if decision.language.code != lang.code:
            continue
        doc = decision.document
        if decision.status == gate.WITHHOLD:
            withheld.append({"document": doc.id, "reason": decision.reason})
            continue
        for fmt in project.formats:
            path = output_path(project, doc, lang, fmt)
            digest = hashes(path)
            pages = known.get((path.name, digest)) or (pdf_pages(path) if FORMATS[fmt].paged else None)
            listed.append({"document": doc.id, "format": fmt, "file": path.name, "bytes": size(path),
                          "sha256": digest, "status": decision.status, "pages": pages,
                          "messages": round(decision.messages.percent, 1) if decision.messages.total else 100.0,
                          "words": round(decision.words.percent, 1) if decision.words.total else 100.0})
    shard = {"schema": SCHEMA, "language": lang.code, "edition": project.edition, "commit": source_commit(project),
             "files": listed, "withheld": withheld}
    files.write_atomic(folder / SHARD_FILE, json.dumps(shard, indent=1, ensure_ascii=False) + "\n")
    return folder


@dataclass
class Entry:
    """One file of the release."""

    language: Language
    document: str
    format: str
    source: Path  #: where the shard holds it
    bytes: int
    sha256: str
    status: str
    messages: float
    words: float
    pages: int | None = None
    name: str = ""


def read_shards(project: Project, folders: list[Path]) -> tuple[list[Entry], dict[str, list[dict]], str | None]:
    """The files of each shard, their checksums verified; the withheld outputs; the source commit."""
    entries: list[Entry] = []
    withheld: dict[str, list[dict]] = {}
    commits = set()
    for folder in folders:
        manifest = folder / SHARD_FILE
        try:
            shard = json.loads(manifest.read_text(encoding="utf-8"))
        except OSError:
            raise ReleaseError("no shard here: build one with `cop-docs release --shard LANG`", manifest) from None
        except ValueError as exc:
            raise ReleaseError(f"not a valid shard manifest: {exc}", manifest) from None
        code = str(shard.get("language"))
        if shard.get("schema") != SCHEMA or code not in project.codes:
            raise ReleaseError(f"shard of an unknown language or schema ({code!r})", manifest)
        lang = project.language(code)
        if lang.code in withheld:
            raise ReleaseError(f"a second shard for {lang.code}", manifest)
        if shard.get("edition") != project.edition:
            raise ReleaseError(f"shard of edition {shard.get('edition')!r}, the project is {project.edition!r}", manifest)
        commits.add(shard.get("commit"))
        withheld[lang.code] = shard.get("withheld", [])
        for item in shard["files"]:
            path = folder / item["file"]
            folder_format = item["format"] in FORMATS and FORMATS[item["format"]].folder
            if not (path.is_dir() if folder_format else path.is_file()):
                raise ReleaseError(f"the shard lists {item['file']} but it is missing", manifest)
            if size(path) != item["bytes"] or files.sha256_tree(path) != item["sha256"]:
                raise ReleaseError(f"{item['file']} does not match its checksum: the shard is damaged", manifest)
            entries.append(Entry(lang, item["document"], item["format"], path, item["bytes"], item["sha256"],
                                 item["status"], item["messages"], item["words"], item.get("pages")))
    if len(commits) > 1:
        raise ReleaseError(f"shards were built from different commits: {', '.join(sorted(map(str, commits)))}")
    return entries, withheld, next(iter(commits), None)


def size(path: Path) -> int:
    """The bytes of a file, or of every file of a folder output."""
    if path.is_dir():
        return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    return path.stat().st_size


def pdf_pages(path: Path) -> int:
    try:
        out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError) as exc:
        raise ReleaseError(f"cannot count pages with pdfinfo (install poppler-utils): {exc}", path) from None
    match = re.search(r"^Pages:\s+(\d+)", out, re.M)
    return int(match.group(1)) if match else 0


def source_commit(project: Project) -> str | None:
    try:
        return subprocess.run(["git", "rev-parse", "HEAD"], cwd=project.root, capture_output=True, text=True,
                              check=True).stdout.strip() or None
    except (OSError, subprocess.CalledProcessError):
        return None
