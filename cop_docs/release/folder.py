"""The release folder: the verified shards' files under descriptive names, the manifest, the checksums, the
zips and the download pages, swapped in only once complete.

In: the project and shard folders. Out: ``build/release/<edition>/``. The same shards give the same bytes
(fixed dates and order in the zips); an unchanged release is not written again (``build/.cache/release.json``).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
import zipfile
from pathlib import Path

from .. import cache, files, pipeline
from ..config import Project
from ..formats import FORMATS
from . import pages
from .errors import ReleaseError
from .lock import catalog_state
from .shards import SCHEMA, SHARD_FILE, Entry, read_shards
from .shards import size as shard_size


def file_name(project: Project, entry: Entry) -> str:
    """Stable and descriptive: project, document (its audience), language, edition."""
    return f"{slug(project.name)}-{entry.document}-{entry.language.code}-{slug(project.edition)}.{entry.format}"


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "release"


def assemble(project: Project, shards: list[Path], progress: pipeline.Progress = pipeline.quiet) -> Path:
    """Gather verified shards into ``build/release/<edition>/``, replacing the last release only when done."""
    entries, withheld, commit = read_shards(project, shards)
    web = [e for e in entries if FORMATS[e.format].folder]  # the web editions: gathered into web/, not downloads
    entries = [e for e in entries if not FORMATS[e.format].folder]
    root = project.build_dir / "release"
    target = root / slug(project.edition)
    key = _release_key(project, shards)
    stamp = project.cache_dir / "release.json"
    if target.is_dir() and stamp.exists() and stamp.read_text(encoding="utf-8") == key:
        progress(f"release is up to date: {files.relative(target, project.root)}")
        return target
    order = {(d.id, f): i for i, (d, f) in enumerate((d, f) for d in project.documents for f in project.formats)}
    lang_order = {lang.code: i for i, lang in enumerate(project.languages)}
    entries.sort(key=lambda e: (lang_order[e.language.code], order[e.document, e.format]))
    root.mkdir(parents=True, exist_ok=True)
    for leftover in root.glob(".*.partial-*"):  # an interrupted earlier run
        shutil.rmtree(leftover, ignore_errors=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.partial-", dir=root))
    try:
        for entry in entries:
            entry.name = file_name(project, entry)
            (staging / entry.language.code).mkdir(exist_ok=True)
            shutil.copyfile(entry.source, staging / entry.language.code / entry.name)
        zips = {code: write_zip(project, staging, code, [e for e in entries if e.language.code == code])
                for code in dict.fromkeys(e.language.code for e in entries)}
        site_pages = _web_site(project, staging, entries, web, progress)
        manifest = manifest_of(project, entries, withheld, commit, zips)
        if site_pages:
            manifest["web"] = site_pages
        (staging / "manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        sizes = {code: (staging / name).stat().st_size for code, name in zips.items()}
        written = pages.download_pages(project, entries, zips, sizes,
                                       web={(e.language.code, e.document) for e in web})
        for relative, text in written.items():
            (staging / relative).write_text(text, encoding="utf-8")
        sums = [(f"{e.language.code}/{e.name}", e.sha256) for e in entries]
        sums += [(name, files.sha256_file(staging / name)) for name in sorted(zips.values())]
        (staging / "SHA256SUMS").write_text("".join(f"{digest}  {name}\n" for name, digest in sums), encoding="utf-8")
        for path in staging.rglob("*"):
            os.chmod(path, 0o755 if path.is_dir() else 0o644)
        os.chmod(staging, 0o755)
        files.swap_in(staging, target)
    except OSError as exc:  # a full disk, a folder that cannot be written
        shutil.rmtree(staging, ignore_errors=True)
        raise ReleaseError(f"cannot write the release ({exc.strerror or exc}); the last good release is unchanged",
                           exc.filename or root) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    files.write_atomic(stamp, key)
    progress(f"released {len(entries)} files in {len(zips)} languages to {files.relative(target, project.root)}")
    return target


def _web_site(project: Project, staging: Path, entries: list[Entry], web: list[Entry],
              progress: pipeline.Progress) -> dict | None:
    """The web editions gathered into ``web/`` (:mod:`cop_docs.renderers.site`), each document's first page
    offering the release's own files with their sizes; what the manifest says of it."""
    if not web:
        return None
    from ..renderers import site

    def offered(lang, doc) -> list[site.Download]:
        return [site.Download(FORMATS[e.format].label, FORMATS[e.format].media_type, f"../{e.language.code}/{e.name}",
                              e.bytes) for e in entries if e.language.code == lang.code and e.document == doc.id]

    site.assemble(project, staging / "web", editions={(e.language.code, e.document): e.source for e in web},
                  downloads=offered, remember=False, progress=progress)
    return {"index": "web/index.html", "editions": [{
        "language": e.language.code, "document": e.document, "path": f"web/{e.language.code}/{e.document}/index.html",
        "bytes": shard_size(staging / "web" / e.language.code / e.document), "status": e.status} for e in web]}


def _release_key(project: Project, shards: list[Path]) -> str:
    """What the release folder is made from: the shards (their files' checksums), the catalogs (titles and
    audiences on the pages), the project file, the page's words and the tool's version."""
    h = hashlib.sha256(f"{cache.version()}\0{catalog_state(project)}".encode())
    for shard in sorted(shards):
        h.update((shard / SHARD_FILE).read_bytes())
    h.update(pages.fingerprint())
    return h.hexdigest()


def write_zip(project: Project, staging: Path, code: str, entries: list[Entry]) -> str:
    """One zip per language, byte-identical from the same files (fixed dates and order)."""
    name = f"{slug(project.name)}-{code}-{slug(project.edition)}.zip"
    with zipfile.ZipFile(staging / name, "w", compression=zipfile.ZIP_STORED) as z:
        for entry in entries:  # PDF and EPUB are compressed already
            info = zipfile.ZipInfo(f"{code}/{entry.name}", date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            z.writestr(info, (staging / code / entry.name).read_bytes())
    return name


def manifest_of(project: Project, entries: list[Entry], withheld: dict[str, list[dict]], commit: str | None,
                zips: dict[str, str]) -> dict:
    docs = {d.id: d for d in project.documents}
    return {
        "schema": SCHEMA,
        "project": project.name,
        "edition": project.edition,
        "source_commit": commit,
        "tools": cache.tool_versions(),
        "files": [{
            "file": f"{e.language.code}/{e.name}",
            "language": e.language.code,
            "document": e.document,
            "title": docs[e.document].title,
            "audience": docs[e.document].audience,
            "kind": docs[e.document].kind,
            "format": e.format,
            "bytes": e.bytes,
            "pages": e.pages,
            "sha256": e.sha256,
            "coverage": {"messages": e.messages, "words": e.words},
            "status": e.status,
        } for e in entries],
        "withheld": [{"language": code, **item} for code, items in withheld.items() for item in items],
        "zips": {code: name for code, name in zips.items()},
    }
