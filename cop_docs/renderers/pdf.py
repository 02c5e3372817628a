"""PDF: the localized AST → HTML5 (pandoc, through the page template) → PDF (WeasyPrint, in process).

Resources are fetched by :class:`ConfinedFetcher` only, so a translation cannot make the PDF embed a local
file or wait on the network.
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import json
import logging
import re
from pathlib import Path

from weasyprint import CSS, HTML
from weasyprint.css.counters import CounterStyle
from weasyprint.document import Document

from .. import cache, pandoc
from ..templating import THEMES
from . import Job, Renderer, cover, page_fill, pdf_text, print_markup, theme
from .resources import ConfinedFetcher

logging.getLogger("weasyprint").setLevel(logging.ERROR)
logging.getLogger("fontTools").setLevel(logging.ERROR)


def page_html(job: Job) -> str:
    """The standalone HTML page that WeasyPrint lays out."""
    doc = print_markup.for_print(job.doc)
    variables = {
        "edition": job.project.edition,
        "language-name": job.language.name,
        "kind": job.document.kind,
        "document-id": job.document.id,
    }
    picture = cover.first_image(doc)
    if picture:  # pandoc inserts variables as they are: the alt text is a translation, so it is escaped here
        variables["cover-image"], variables["cover-alt"] = (html.escape(value, quote=True) for value in picture)
    if job.draft:  # the tool's own words: the template escapes nothing, and they hold no markup
        mark, mark_lang = theme.draft_mark(job.language)
        variables["draft-mark"] = html.escape(mark)
        variables["draft-legend"] = theme.draft_legend(job.language)
        if mark_lang != job.language.code:
            variables["draft-mark-lang"] = mark_lang
    return _numbered_from_start(pandoc.write_html(doc, template=theme.PAGE_TEMPLATE, variables=variables))


_OL_START = re.compile(r'<ol start="(\d+)"')


def _numbered_from_start(page: str) -> str:
    """WeasyPrint numbers every list from 1, whatever its ``start``: set its counter where the list starts."""
    return _OL_START.sub(lambda m: f'<ol start="{m.group(1)}" style="counter-reset: list-item {int(m.group(1)) - 1}"',
                         page)


#: Tagged PDF for assistive technology: structure tree, /Lang, marked content, the title shown in the title bar.
PDF_VARIANT = "pdf/ua-1"


class PdfRenderer(Renderer):
    name = "pdf"

    def write(self, job: Job, target: Path) -> None:
        # Arabic marks and ligatures extract in place (see pdf_text); text without them needs no correction.
        with pdf_text.extractable_text() if pdf_text.needed(job.doc) else contextlib.nullcontext():
            layout(job).write_pdf(str(target), pdf_variant=PDF_VARIANT)


def layout(job: Job) -> Document:
    """The job's pages as WeasyPrint lays them out for the PDF. A chapter that spills a few lines onto a page of
    their own is set a little tighter (see :mod:`.page_fill`), when that brings them back."""
    root = job.project.root
    fetcher = ConfinedFetcher([root / "sources", THEMES])
    text = page_html(job)
    css = theme.print_css(job.language, job.document.kind, job.draft)
    memo = _tightening_memo(job, text, css)
    known = cache.read_json(memo)
    tight = known if isinstance(known, list) else []

    def laid_out(extra: str) -> Document:
        page = HTML(string=text, base_url=str(root) + "/", url_fetcher=fetcher)
        counters = CounterStyle()  # the stylesheet's @counter-style rules (the option letters) go in here
        stylesheet = CSS(string=css + extra, url_fetcher=fetcher, base_url=str(THEMES) + "/", counter_style=counters)
        return page.render(stylesheets=[stylesheet], pdf_variant=PDF_VARIANT, counter_style=counters)

    document = laid_out(page_fill.tightened(tight))
    if known is None:
        spilled = page_fill.spilled(document)
        if spilled:
            tighter = laid_out(page_fill.tightened(spilled))
            if len(tighter.pages) < len(document.pages):
                document, tight = tighter, spilled
        cache.write_json(memo, tight)
    return document


def _tightening_memo(job: Job, text: str, css: str) -> Path:
    """Where the chapters set tighter for this very page and stylesheet are remembered (a second layout is
    the price of finding them)."""
    key = hashlib.sha256(json.dumps([text, css], ensure_ascii=False).encode()).hexdigest()
    return job.project.cache_dir / "page-fill" / f"{key}.json"
