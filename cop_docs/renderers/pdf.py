"""PDF: the localized AST → HTML5 (pandoc, through the page template) → PDF (WeasyPrint, in process).

Resources are fetched by :class:`ConfinedFetcher` only, so a translation cannot make the PDF embed a local
file or wait on the network.
"""

from __future__ import annotations

import contextlib
import html
import logging
from pathlib import Path

from weasyprint import CSS, HTML

from .. import pandoc
from . import Job, Renderer, cover, pdf_text, print_markup, theme
from .resources import THEMES, ConfinedFetcher

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
    if job.draft:
        variables["draft-mark"] = theme.DRAFT_MARK
    return pandoc.write_html(doc, template=theme.PAGE_TEMPLATE, variables=variables)


#: Tagged PDF for assistive technology: structure tree, /Lang, marked content, the title shown in the title bar.
PDF_VARIANT = "pdf/ua-1"


class PdfRenderer(Renderer):
    name = "pdf"
    extension = ".pdf"

    def write(self, job: Job, target: Path) -> None:
        root = job.project.root
        fetcher = ConfinedFetcher([root / "sources", THEMES])
        html = HTML(string=page_html(job), base_url=str(root) + "/", url_fetcher=fetcher)
        css = theme.print_css(job.language, job.document.kind, job.draft)
        stylesheet = CSS(string=css, url_fetcher=fetcher, base_url=str(THEMES) + "/")
        # Arabic marks and ligatures extract in place (see pdf_text); text without them needs no correction.
        with pdf_text.extractable_text() if pdf_text.needed(job.doc) else contextlib.nullcontext():
            html.write_pdf(str(target), stylesheets=[stylesheet], pdf_variant=PDF_VARIANT)
        self.refused = fetcher.refused
