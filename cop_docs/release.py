"""The release: from the sources to the published download set in ``build/release/<edition>/``.

In: the project, or shard folders built elsewhere (one per language, each with its ``shard.json``). Out: the
release folder: every PDF and EPUB under a descriptive name in ``<lang>/``, ``manifest.json``, ``SHA256SUMS``,
a download page for all languages (``index.html``) and one per language (``<lang>/index.html``), one zip per
language. The folder is assembled beside the last good release and swapped in only once it is complete: a
failure or an interruption leaves the last good release as it was, and the next run cleans up after it.

:func:`release` runs, in order: the catalogs are up to date with the sources (like a lock file) → the checks
→ the gate → the build (incremental, in parallel) → one shard per language → :func:`assemble`.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from . import checks, dependencies, gate, pipeline
from .catalogs import pofiles
from .config import Language, Project
from .errors import CopDocsError
from .renderers import output_path

SHARD_FILE = "shard.json"
SCHEMA = 1
LABELS = Path(__file__).parent / "themes" / "download" / "labels.yaml"


class ReleaseError(CopDocsError):
    """The release cannot be made; the last good release is left as it was."""


# --- the steps before the build -----------------------------------------------------------------------------


def preconditions(project: Project, langs: list[Language], progress: pipeline.Progress) -> list[gate.Decision]:
    """Fail unless the catalogs are up to date, the checks find no error and no required language is blocked."""
    lock = project.cache_dir / "catalogs-checked.json"
    state = _catalog_state(project)
    if not lock.exists() or lock.read_text(encoding="utf-8") != state:
        stale = pipeline.outdated(project, langs)
        if stale:
            more = f" (and {len(stale) - 1} more)" if len(stale) > 1 else ""
            raise ReleaseError(f"out of date with the sources{more}: run `cop-docs update` and commit the catalogs",
                               pipeline.rel(project, stale[0]))
        if langs == project.languages:
            pofiles.write_atomic(lock, state)
    progress("catalogs are up to date with the sources")
    errors = checks.errors(checks.check_project(project, langs, cache=project.cache_dir / "checks.json"))
    if errors:
        first = errors[0]
        more = f" (and {len(errors) - 1} more errors)" if len(errors) > 1 else ""
        raise ReleaseError(f"[{first.check}] {first.message}{more}; see `cop-docs check`", first.path, first.line)
    progress("checks found no errors")
    codes = {lang.code for lang in langs}
    decisions = [d for d in pipeline.decide(project) if d.language.code in codes]
    blocked = [d for d in decisions if d.blocks_release]
    if blocked:
        d = blocked[0]
        raise ReleaseError(f"{d.language.code} is required but {d.document.id} is {d.reason}; see `cop-docs gate`",
                           project.config_path)
    progress("the gate allows the release")
    return decisions


def _catalog_state(project: Project) -> str:
    """A hash of every source, template and catalog: the lock check is not repeated while it is unchanged."""
    files = {project.config_path}
    for item in project.catalogs:
        files.update(item.sources)
        files.add(project.pot_path(item))
        files.update(project.po_path(item, lang) for lang in project.languages if lang.code != project.source_language)
    hashes = dependencies.FileHashes.for_project(project)
    state = json.dumps({"cop-docs": dependencies.tool_versions()["cop-docs"],
                        "files": {str(f): hashes(f) for f in sorted(files)}}, sort_keys=True)
    hashes.save()
    return state


def release(project: Project, *, langs: list[Language] | None = None, jobs: int | None = None,
            progress: pipeline.Progress = pipeline._quiet, watcher: pipeline.Watcher | None = None,
            shard_only: bool = False) -> tuple[Path | None, list[pipeline.Outcome]]:
    """Everything from the sources to the release folder (or, with ``shard_only``, to one shard per language
    in ``build/<lang>/``, for a release gathered from several machines). Returns the folder and the outcomes."""
    langs = langs or project.languages
    decisions = preconditions(project, langs, progress)
    outcomes = pipeline.build(project, project.documents, langs, project.formats, progress, jobs, watcher=watcher)
    failed = [o for o in outcomes if o.status == pipeline.FAILED]
    if failed:
        return None, outcomes
    hashes = dependencies.FileHashes.for_project(project)  # the build has just hashed every output
    shards = [write_shard(project, lang, decisions, hashes) for lang in langs]
    if shard_only:
        return None, outcomes
    return assemble(project, shards, progress), outcomes


# --- shards -------------------------------------------------------------------------------------------------


def write_shard(project: Project, lang: Language, decisions: list[gate.Decision],
                hashes: dependencies.FileHashes) -> Path:
    """Describe the outputs of one language in ``build/<lang>/shard.json``: files, checksums, decisions."""
    folder = project.build_dir / lang.code
    try:  # pages counted last time, for the files that have not changed since
        known = {(f["file"], f["sha256"]): f.get("pages") for f in json.loads((folder / SHARD_FILE).read_text())["files"]}
    except (OSError, ValueError, KeyError, TypeError):
        known = {}
    files, withheld = [], []
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
            pages = known.get((path.name, digest)) or (pdf_pages(path) if fmt == "pdf" else None)
            files.append({"document": doc.id, "format": fmt, "file": path.name, "bytes": path.stat().st_size,
                          "sha256": digest, "status": decision.status, "pages": pages,
                          "messages": round(decision.messages.percent, 1) if decision.messages.total else 100.0,
                          "words": round(decision.words.percent, 1) if decision.words.total else 100.0})
    shard = {"schema": SCHEMA, "language": lang.code, "edition": project.edition, "commit": source_commit(project),
             "files": files, "withheld": withheld}
    pofiles.write_atomic(folder / SHARD_FILE, json.dumps(shard, indent=1, ensure_ascii=False) + "\n")
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
            if not path.is_file():
                raise ReleaseError(f"the shard lists {item['file']} but it is missing", manifest)
            if path.stat().st_size != item["bytes"] or dependencies.sha256_file(path) != item["sha256"]:
                raise ReleaseError(f"{item['file']} does not match its checksum: the shard is damaged", manifest)
            entries.append(Entry(lang, item["document"], item["format"], path, item["bytes"], item["sha256"],
                                 item["status"], item["messages"], item["words"], item.get("pages")))
    if len(commits) > 1:
        raise ReleaseError(f"shards were built from different commits: {', '.join(sorted(map(str, commits)))}")
    return entries, withheld, next(iter(commits), None)


# --- the release folder -------------------------------------------------------------------------------------


def file_name(project: Project, entry: Entry) -> str:
    """Stable and descriptive: project, document (its audience), language, edition."""
    return f"{slug(project.name)}-{entry.document}-{entry.language.code}-{slug(project.edition)}.{entry.format}"


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "release"


def assemble(project: Project, shards: list[Path], progress: pipeline.Progress = pipeline._quiet) -> Path:
    """Gather verified shards into ``build/release/<edition>/``, replacing the last release only when done."""
    entries, withheld, commit = read_shards(project, shards)
    root = project.build_dir / "release"
    target = root / slug(project.edition)
    key = _release_key(project, shards)
    stamp = project.cache_dir / "release.json"
    if target.is_dir() and stamp.exists() and stamp.read_text(encoding="utf-8") == key:
        progress(f"release is up to date: {pipeline.rel(project, target)}")
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
        manifest = manifest_of(project, entries, withheld, commit, zips)
        (staging / "manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        sizes = {code: (staging / name).stat().st_size for code, name in zips.items()}
        pages = download_pages(project, entries, zips, sizes)
        for relative, text in pages.items():
            (staging / relative).write_text(text, encoding="utf-8")
        sums = [(f"{e.language.code}/{e.name}", e.sha256) for e in entries]
        sums += [(name, dependencies.sha256_file(staging / name)) for name in sorted(zips.values())]
        (staging / "SHA256SUMS").write_text("".join(f"{digest}  {name}\n" for name, digest in sums), encoding="utf-8")
        for path in staging.rglob("*"):
            os.chmod(path, 0o755 if path.is_dir() else 0o644)
        os.chmod(staging, 0o755)
        _swap(staging, target)
    except OSError as exc:  # a full disk, a folder that cannot be written
        shutil.rmtree(staging, ignore_errors=True)
        raise ReleaseError(f"cannot write the release ({exc.strerror or exc}); the last good release is unchanged",
                           exc.filename or root) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    pofiles.write_atomic(stamp, key)
    progress(f"released {len(entries)} files in {len(zips)} languages to {pipeline.rel(project, target)}")
    return target


def _release_key(project: Project, shards: list[Path]) -> str:
    """What the release folder is made from: the shards (their files' checksums), the catalogs (titles and
    audiences on the pages), the project file, the page's words and the tool's version."""
    h = hashlib.sha256(_catalog_state(project).encode())
    for shard in sorted(shards):
        h.update((shard / SHARD_FILE).read_bytes())
    h.update(LABELS.read_bytes() + Path(__file__).read_bytes())
    return h.hexdigest()


def _swap(staging: Path, target: Path) -> None:
    """Put the new release in place of the old one: two renames, so the folder is never half-written."""
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.partial-old")
        shutil.rmtree(old, ignore_errors=True)
        os.replace(target, old)
    os.replace(staging, target)
    if old:
        shutil.rmtree(old, ignore_errors=True)


def pdf_pages(path: Path) -> int:
    try:
        out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError) as exc:
        raise ReleaseError(f"cannot count pages with pdfinfo (install poppler-utils): {exc}", path) from None
    match = re.search(r"^Pages:\s+(\d+)", out, re.M)
    return int(match.group(1)) if match else 0


def write_zip(project: Project, staging: Path, code: str, entries: list[Entry]) -> str:
    """One zip per language, byte-identical from the same files (fixed dates and order)."""
    name = f"{slug(project.name)}-{code}-{slug(project.edition)}.zip"
    with zipfile.ZipFile(staging / name, "w", compression=zipfile.ZIP_STORED) as z:
        for entry in entries:  # PDF and EPUB are compressed already
            info = zipfile.ZipInfo(f"{code}/{entry.name}", date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            z.writestr(info, (staging / code / entry.name).read_bytes())
    return name


def source_commit(project: Project) -> str | None:
    try:
        return subprocess.run(["git", "rev-parse", "HEAD"], cwd=project.root, capture_output=True, text=True,
                              check=True).stdout.strip() or None
    except (OSError, subprocess.CalledProcessError):
        return None


def manifest_of(project: Project, entries: list[Entry], withheld: dict[str, list[dict]], commit: str | None,
                zips: dict[str, str]) -> dict:
    docs = {d.id: d for d in project.documents}
    return {
        "schema": SCHEMA,
        "project": project.name,
        "edition": project.edition,
        "source_commit": commit,
        "tools": dependencies.tool_versions(),
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


# --- download pages -----------------------------------------------------------------------------------------


@functools.cache
def _label_table() -> dict[str, dict[str, str]]:
    return yaml.safe_load(LABELS.read_text(encoding="utf-8"))


def labels(code: str) -> dict[str, str]:
    table = _label_table()
    return {**table["en"], **table.get(code, {})}


def size_text(n: int) -> str:
    return f"{n / 1_048_576:.1f} MB" if n >= 1_048_576 else f"{max(1, round(n / 1024))} KB"


_STYLE = """
body { font-family: "Noto Sans", "Noto Sans Arabic", "Noto Sans CJK SC", sans-serif; margin: 0 auto; max-width: 60rem;
       padding: 1rem 1.5rem 3rem; color: #111; line-height: 1.5; }
header { border-bottom: 3px solid #1a5f7a; margin-bottom: 1.5rem; }
h1 { color: #1a5f7a; margin: 0.5rem 0; }
nav ul { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 0.5rem 1.25rem; }
a { color: #0b4f6c; }
a:focus { outline: 3px solid #b35c00; outline-offset: 2px; }
section { margin: 1.5rem 0; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: start; padding: 0.4rem 0.6rem; border-bottom: 1px solid #bbb; vertical-align: top; }
th { background: #e8f1f4; }
.badge { display: inline-block; padding: 0 0.5rem; border-radius: 0.75rem; background: #e6f4ea; color: #1b5e20;
         font-size: 0.9rem; }
.badge.partial { background: #fff3cd; color: #5c4400; }
.draft { color: #8a0015; font-weight: bold; }
footer { margin-top: 2rem; font-size: 0.9rem; color: #444; }
.skip { position: absolute; top: -10rem; }
.skip:focus { top: 0.5rem; background: #fff; padding: 0.25rem 0.5rem; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
"""


def download_pages(project: Project, entries: list[Entry], zips: dict[str, str],
                   zip_sizes: dict[str, int]) -> dict[str, str]:
    """``index.html`` (every language) and ``<lang>/index.html`` (one language, in that language)."""
    langs = [lang for lang in project.languages if lang.code in zips]
    ui = project.language(project.source_language) or langs[0]
    titles = {lang.code: localized_titles(project, lang) for lang in langs}
    pages = {"index.html": _page(project, ui, langs, entries, titles, zips, zip_sizes, prefix="")}
    for lang in langs:
        pages[f"{lang.code}/index.html"] = _page(project, lang, [lang], entries, titles, zips, zip_sizes, prefix="../")
    return pages


def _page(project: Project, ui: Language, shown: list[Language], entries: list[Entry],
          titles: dict[str, dict[str, tuple[str, str]]], zips: dict[str, str], zip_sizes: dict[str, int], prefix: str) -> str:
    """A download page, built as a tree and serialised: every text and attribute (titles and labels are
    translations) is escaped by the serialiser."""
    words = labels(ui.code)
    every = len(shown) > 1
    title = f"{project.name} {project.edition}" if every else f"{words['heading']} · {shown[0].name}"
    page = ET.Element("html", {"lang": ui.code, "dir": ui.direction})
    head = ET.SubElement(page, "head")
    ET.SubElement(head, "meta", {"charset": "utf-8"})
    ET.SubElement(head, "meta", {"name": "viewport", "content": "width=device-width, initial-scale=1"})
    _text(head, "title", title)
    _text(head, "style", _STYLE)
    body = ET.SubElement(page, "body")
    _text(body, "a", words["skip"], {"class": "skip", "href": "#main"})
    header = ET.SubElement(body, "header")
    _text(header, "p", f"{project.name} · {project.edition}")
    _text(header, "h1", words["heading"])
    menu = ET.SubElement(ET.SubElement(header, "nav", {"aria-label": words["all-languages"]}), "ul")
    _text(ET.SubElement(menu, "li"), "a", words["all-languages"], {"href": f"{prefix}index.html"})
    for lang in project.languages:
        if lang.code in zips:
            attrs = {"href": f"{prefix}{lang.code}/index.html", "lang": lang.code, "dir": lang.direction,
                     "hreflang": lang.code}
            if not every and lang.code == shown[0].code:
                attrs["aria-current"] = "page"
            _text(ET.SubElement(menu, "li"), "a", lang.name, attrs)
    main = ET.SubElement(body, "main", {"id": "main"})
    for lang in shown:
        main.append(_language_section(project, lang, [x for x in entries if x.language.code == lang.code],
                                      titles[lang.code], zips[lang.code], zip_sizes[lang.code],
                                      prefix if every else "../", every))
    footer = ET.SubElement(ET.SubElement(body, "footer"), "p")
    _text(footer, "a", words["checksums"], {"href": f"{prefix}SHA256SUMS"}).tail = " · "
    _text(footer, "a", words["manifest"], {"href": f"{prefix}manifest.json"})
    return "<!DOCTYPE html>\n" + ET.tostring(page, encoding="unicode", method="html") + "\n"


def _text(parent: ET.Element, tag: str, text: str, attrs: dict[str, str] | None = None) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs or {})
    element.text = text
    return element


def _language_section(project: Project, lang: Language, entries: list[Entry], titles: dict[str, tuple[str, str]],
                      zip_name: str, zip_size: int, root: str, every: bool) -> ET.Element:
    """One language: its documents grouped by audience, with formats, sizes, pages, coverage and draft marks."""
    words = labels(lang.code)
    section = ET.Element("section", {"lang": lang.code, "dir": lang.direction, "aria-labelledby": f"lang-{lang.code}"})
    _text(section, "h2", lang.name, {"id": f"lang-{lang.code}"})
    _text(section, "p", words["intro"].format(language=lang.name))
    table = ET.SubElement(section, "table")
    _text(table, "caption", words["documents"])
    heads = ET.SubElement(ET.SubElement(table, "thead"), "tr")
    for label in (words["documents"], words["format"], words["size"]):
        _text(heads, "th", label, {"scope": "col"})
    rows = ET.SubElement(table, "tbody")
    by_document = {doc.id: [x for x in entries if x.document == doc.id] for doc in project.documents}
    for doc in project.documents:
        files = by_document[doc.id]
        if not files:
            continue
        title, audience = titles[doc.id]
        first = files[0]
        for i, f in enumerate(files):
            row = ET.SubElement(rows, "tr")
            if i == 0:
                cell = ET.SubElement(row, "th", {"scope": "row", "rowspan": str(len(files))})
                _text(cell, "span", audience)
                ET.SubElement(cell, "br")
                _text(cell, "strong", title)
                ET.SubElement(cell, "br")
                badge = "badge" if first.messages >= 100 else "badge partial"
                _text(cell, "span", words["translated"].format(n=_percent(first.messages)), {"class": badge})
                if first.status == gate.DRAFT:
                    ET.SubElement(cell, "br")
                    _text(cell, "span", words["draft"], {"class": "draft"}).tail = f" {words['draft-note']}"
            link = f"{root}{lang.code}/{f.name}" if every else f.name
            anchor = _text(ET.SubElement(row, "td"), "a", f.format.upper(),
                           {"href": link, "type": _MIME[f.format], "download": ""})
            _text(anchor, "span", f" – {title}", {"class": "visually-hidden"})
            detail = f" · {words['pages'].format(n=f.pages)}" if f.pages else ""
            _text(row, "td", f"{size_text(f.bytes)}{detail}")
    text = words["zip"].format(language=lang.name, size=size_text(zip_size))
    _text(ET.SubElement(section, "p"), "a", text, {"href": f"{root}{zip_name}", "download": ""})
    return section


_MIME = {"pdf": "application/pdf", "epub": "application/epub+zip"}


def _percent(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:.1f}"


def localized_titles(project: Project, lang: Language) -> dict[str, tuple[str, str]]:
    """Each document's title and audience in the language (the source's where not translated)."""
    out = {}
    for doc in project.documents:
        table = pipeline.translations(project, doc, lang)
        out[doc.id] = (table.get((None, doc.title), doc.title), table.get((None, doc.audience), doc.audience))
    return out
