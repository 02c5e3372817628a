"""Contact sheets of the built PDFs, for reviewing the whole document set by eye.

In: the project and the PDFs already built into ``build/<lang>/<document>.<lang>.pdf``. Out, under
``build/preview/``: the first pages of each PDF as PNG thumbnails (``<lang>/<document>.<lang>-<page>.png``, drawn
by poppler's ``pdftoppm``), one HTML contact sheet per language (``<lang>/index.html``: the documents in the project
file's order, grouped by audience, each with its title, page count and thumbnails linking to the PDF at that page)
and ``index.html`` linking the sheets. The pages are plain HTML5 with no script, written atomically; the same PDFs
give the same bytes.

A PDF that has not been built is listed on its sheet as missing, and :func:`preview` raises a :class:`RenderError`
naming each one once every sheet is written; one the release gate withholds is listed as withheld, not an error.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from PIL import Image

from . import templating
from .config import Document, Language, Project
from .errors import RenderError
from .files import relative, write_atomic
from .pipeline import Progress, quiet
from .renderers import output_path

DEFAULT_PAGES = 4
DEFAULT_WIDTH = 300  #: thumbnail width in pixels, unless a resolution is asked for

@dataclass
class Thumbnail:
    page: int
    path: Path
    width: int
    height: int


@dataclass
class Entry:
    """One document in one language, as its sheet shows it."""

    document: Document
    language: Language
    pdf: Path
    title: str
    audience: str
    status: str = "ok"  #: ok, missing or withheld
    reason: str = ""
    pages: int = 0  #: the PDF's page count
    size: int = 0  #: the PDF's size in bytes
    thumbnails: list[Thumbnail] = field(default_factory=list)


def preview_dir(project: Project) -> Path:
    return project.build_dir / "preview"


def preview(project: Project, docs: Iterable[Document], langs: Iterable[Language], *, pages: int = DEFAULT_PAGES,
            width: int | None = DEFAULT_WIDTH, dpi: float | None = None, jobs: int | None = None,
            progress: Progress = quiet) -> list[Path]:
    """Render the first ``pages`` pages of each document's PDF in each language (``width`` pixels wide, or at
    ``dpi``), write the contact sheets and return their paths, the overall index last."""
    if pages < 1:
        raise RenderError("the number of pages to show must be at least 1")
    docs, langs = list(docs), list(langs)
    entries = [_entry(project, doc, lang) for lang in langs for doc in docs]
    if any(e.status == "missing" for e in entries):
        _mark_withheld(project, [e for e in entries if e.status == "missing"])
    missing = [e for e in entries if e.status == "missing"]
    if missing and not any(e.status == "ok" for e in entries):
        others = f", nor any of the other {len(missing) - 1} PDFs asked for" if len(missing) > 1 else ""
        raise RenderError(f"not built{others}; run `cop-docs build --format pdf` first", missing[0].pdf)
    root = preview_dir(project)
    workers = max(1, min(jobs or os.cpu_count() or 1, len(entries)))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        # list() re-raises the first failure in the project file's order, whichever finished first.
        list(pool.map(lambda e: _fill(project, e, root / e.language.code, pages, width, dpi), entries))
    written = []
    for lang in langs:
        sheet = root / lang.code / "index.html"
        mine = [e for e in entries if e.language.code == lang.code]
        for e in mine:
            _remove_stale(root / lang.code, e)
        write_atomic(sheet, sheet_html(project, lang, mine, pages))
        shown = sum(len(e.thumbnails) for e in mine)
        progress(f"wrote {relative(sheet, project.root)} ({_count(len(mine), 'document')}, {_count(shown, 'page')})")
        written.append(sheet)
    index = root / "index.html"
    from .catalogs.pseudo import CODES

    listed = [*project.languages, *(project.language(code) for code in CODES)]  # a pseudo-locale's, once previewed
    write_atomic(index, index_html(project, [lang for lang in listed if (root / lang.code / "index.html").exists()]))
    progress(f"wrote {relative(index, project.root)}")
    written.append(index)
    if missing:
        problems = [RenderError(f"not built; run `cop-docs build --lang {e.language.code} --doc {e.document.id} "
                                f"--format pdf` (listed as missing on its sheet)", e.pdf) for e in missing]
        error = RenderError(problems[0].message, problems[0].path)
        error.problems = problems
        raise error
    return written


def _entry(project: Project, doc: Document, lang: Language) -> Entry:
    pdf = output_path(project, doc, lang, "pdf")
    return Entry(doc, lang, pdf, doc.title, doc.audience, "ok" if pdf.is_file() else "missing")


def _mark_withheld(project: Project, missing: list[Entry]) -> None:
    """An output the release gate withholds is not built: that is expected, not a problem."""
    from . import gate
    from .catalogs.coverage import CoverageCache, project_coverage

    decisions = gate.decide(project, project_coverage(project, cache=CoverageCache.for_project(project)),
                            list_missing=False)
    for e in missing:
        if e.language.pseudo:  # never withheld: it has no release policy
            continue
        decision = gate.status_of(decisions, e.document, e.language)
        if decision.status == gate.WITHHOLD:
            e.status, e.reason = "withheld", decision.reason


def _fill(project: Project, entry: Entry, folder: Path, pages: int, width: int | None, dpi: float | None) -> None:
    """The entry's title and audience in its language, and its thumbnails if its PDF is there."""
    from .localized import translations

    if entry.language.code != project.source_language:
        table = translations(project, entry.document, entry.language)
        entry.title = table.get((None, entry.title), entry.title)
        entry.audience = table.get((None, entry.audience), entry.audience)
    if entry.status == "ok":
        _render(entry, folder, pages, width, dpi)


def _render(entry: Entry, folder: Path, pages: int, width: int | None, dpi: float | None) -> None:
    info = _pdfinfo(entry.pdf)
    entry.title = info.get("Title") or entry.title
    entry.pages = int(info.get("Pages", "0") or 0)
    entry.size = entry.pdf.stat().st_size
    folder.mkdir(parents=True, exist_ok=True)
    scale = ["-r", f"{dpi:g}"] if dpi else ["-scale-to-x", str(width or DEFAULT_WIDTH), "-scale-to-y", "-1"]
    stem = f"{entry.document.id}.{entry.language.code}"
    work = Path(tempfile.mkdtemp(prefix=f".{stem}.", suffix=".part", dir=folder))
    try:
        _run(["pdftoppm", "-png", *scale, "-f", "1", "-l", str(pages), str(entry.pdf), str(work / "page")], entry.pdf)
        # pdftoppm pads page numbers to the width of the document's last page number: page-1.png or page-01.png.
        drawn = sorted((int(m.group(1)), p) for p in work.iterdir() if (m := re.fullmatch(r"page-0*(\d+)\.png", p.name)))
        for number, path in drawn:
            target = folder / f"{stem}-{number}.png"
            os.chmod(path, 0o644)
            os.replace(path, target)
            with Image.open(target) as image:
                entry.thumbnails.append(Thumbnail(number, target, *image.size))
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _pdfinfo(pdf: Path) -> dict[str, str]:
    out = _run(["pdfinfo", "-enc", "UTF-8", str(pdf)], pdf)
    return {key: value.strip() for key, _, value in (line.partition(":") for line in out.splitlines())}


def _run(command: list[str], pdf: Path) -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True, encoding="utf-8", errors="replace")
    except FileNotFoundError:
        raise RenderError(f"{command[0]} not found: install poppler-utils (scripts/bootstrap.sh does)") from None
    if done.returncode != 0:
        detail = (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[-1]
        raise RenderError(f"not a readable PDF ({command[0]}: {detail}); build it again with `cop-docs build`", pdf)
    return done.stdout


def _remove_stale(folder: Path, entry: Entry) -> None:
    """Drop thumbnails of pages no longer shown (fewer pages asked for, a shorter or a missing PDF)."""
    keep = {t.path.name for t in entry.thumbnails}
    pattern = re.compile(re.escape(f"{entry.document.id}.{entry.language.code}-") + r"\d+\.png")
    if folder.is_dir():
        for path in folder.iterdir():
            if pattern.fullmatch(path.name) and path.name not in keep:
                path.unlink()


# --- HTML ------------------------------------------------------------------------------------------------


def sheet_html(project: Project, lang: Language, entries: list[Entry], pages: int) -> str:
    """One language's contact sheet (``themes/preview/sheet.html``): the documents grouped by audience, in the
    project file's order."""
    # Grouped by the source's audience: two audiences could share a translation.
    audiences = dict.fromkeys(e.document.audience for e in entries)
    groups = [(group[0].audience, [_shown(e) for e in group])
              for group in ([e for e in entries if e.document.audience == a] for a in audiences)]
    return templating.render(
        "preview/sheet.html", project=project, language=lang, groups=groups, documents=_count(len(entries), "document"),
        shown="the first page" if pages == 1 else f"the first {pages} pages")


def _shown(e: Entry) -> dict[str, object]:
    """What the sheet shows of one entry."""
    note = ""
    if e.status == "withheld":
        note = f"Withheld by the release policy ({e.reason}): not built."
    elif e.status != "ok":
        note = (f"Missing: build/{e.language.code}/{e.pdf.name} has not been built "
                f"(cop-docs build --lang {e.language.code} --doc {e.document.id}).")
    return {"id": e.document.id, "status": e.status, "title": e.title, "note": note,
            "pdf": f"../../{quote(e.language.code)}/{quote(e.pdf.name)}",
            "meta": f"{e.pdf.name} · {_count(e.pages, 'page')} · {_kilobytes(e.size)}",
            "thumbnails": [{"page": t.page, "src": quote(t.path.name), "width": t.width, "height": t.height}
                           for t in e.thumbnails]}


def index_html(project: Project, langs: list[Language]) -> str:
    """The overall index (``themes/preview/index.html``): a link to each language's sheet, the language named in
    its own script."""
    languages = [{"href": f"{quote(lang.code)}/index.html", "code": lang.code, "direction": lang.direction,
                  "name": lang.name, "english": _english(lang)} for lang in langs]
    return templating.render("preview/index.html", project=project, title=f"{project.name}: previews",
                             languages=languages)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _english(lang: Language) -> str:
    return "" if lang.english_name == lang.name else f"{lang.english_name}, "


def _kilobytes(size: int) -> str:
    return f"{size / 1000:.0f} kB" if size < 1_000_000 else f"{size / 1_000_000:.1f} MB"
