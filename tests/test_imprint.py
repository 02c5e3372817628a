"""Every document ends with the imprint, a master translated like the rest, whose fields the project fills in:
{title}, {audience}, {edition}, {publisher} and {languages}, in the document's language."""

from __future__ import annotations

from conftest import REPO

from cop_docs import config, localized, sources
from cop_docs.tree import elements, stringify

PROJECT = config.load(REPO / "cop-docs.yaml", remember=False)


def imprint(doc_id: str, code: str) -> list[str]:
    doc, lang = PROJECT.document(doc_id), PROJECT.language(code)
    ast = localized.localized(PROJECT, doc, lang, sources.load(PROJECT, doc))
    divs = [div for div in elements(ast["blocks"], {"Div"}) if "imprint" in div["c"][0][1]]
    assert len(divs) == 1
    return [stringify(para["c"]) for para in elements(divs[0]["c"][1], {"Para"})]


def test_the_imprint_names_the_document_edition_publisher_and_languages() -> None:
    lines = imprint("industry", "en")
    assert lines[0] == "Child online protection for industry, 2026 edition. Published by Child Online Protection Initiative."
    assert lines[-1].startswith("Available in English, French, Spanish, Russian, Arabic, and Chinese (Simplified),")  # CLDR
    assert "{" not in " ".join(lines)


def test_the_imprint_is_in_the_documents_language() -> None:
    fr = imprint("children-under-9", "fr")
    assert ", édition 2026. Publié par Child Online Protection Initiative." in fr[0]
    assert "anglais, français, espagnol, russe, arabe et chinois (simplifié)" in fr[-1]
    zh = imprint("policymakers", "zh-Hans")
    assert "2026年版" in zh[0] and "英语" in zh[-1] and "{" not in "".join(zh)


def test_every_document_has_an_imprint_and_each_guide_a_foreword() -> None:
    for doc in PROJECT.documents:
        ids = [item for item, _line in sources.load(PROJECT, doc)[0].includes]
        assert ids[-1] == "imprint", doc.id
        assert ("foreword" in ids) == (doc.kind == "guide"), doc.id
