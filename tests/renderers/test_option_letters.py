"""The workbook's multiple-choice options are lettered in the language of the page, as its instructions and answer
key are: a b c in English, أ ب ج in Arabic, а б в in Russian, A B C in Chinese (the tool's catalog says which)."""

from __future__ import annotations

import pytest
from conftest import REPO

from cop_docs import config, locale, localized, sources
from cop_docs.catalogs import po
from cop_docs.renderers import Job, pdf, theme

pytestmark = pytest.mark.render

PROJECT = config.load(REPO / "cop-docs.yaml", remember=False)
WORKBOOK = next(doc for doc in PROJECT.documents if doc.kind == "workbook")


def option_markers(code: str) -> list[str]:
    """The text of every option's marker on the laid-out pages of the real workbook."""
    lang = PROJECT.language(code)
    job = Job(PROJECT, WORKBOOK, lang, localized.localized(PROJECT, WORKBOOK, lang, sources.load(PROJECT, WORKBOOK)))
    found: list[str] = []

    def walk(box: object, lettered: bool, in_marker: bool) -> None:
        tag = getattr(box, "element_tag", "")
        if tag in ("ol", "ul"):
            lettered = box.element.get("type") == "a"
        in_marker = in_marker or (lettered and tag == "li::before")
        text = getattr(box, "text", None)
        if in_marker and text and text.strip():
            found.append(text.strip())
        for child in getattr(box, "children", []):
            walk(child, lettered, in_marker)

    for page in pdf.layout(job).pages:
        walk(page._page_box, False, False)
    return found


@pytest.mark.parametrize(("code", "first_three"), [("en", "a b c"), ("ar", "أ ب ج"), ("ru", "а б в"),
                                                   ("zh-Hans", "A B C")])
def test_options_are_lettered_in_the_language(code: str, first_three: str) -> None:
    markers = option_markers(code)
    assert len(markers) >= 20  # every multiple-choice question of the workbook
    assert markers[:3] == first_three.split()
    assert set(markers) <= set(theme.option_letters(PROJECT.language(code)))


@pytest.mark.parametrize("code", ["ar", "ru", "zh-Hans"])
def test_instructions_and_answer_key_use_the_same_letters(code: str) -> None:
    """The translations say the letters the page prints: no Latin a/b/c left in bold where another set is used."""
    letters = set(theme.option_letters(PROJECT.language(code))[:4])
    catalog = po.read(REPO / "translations" / WORKBOOK.id / f"{code}.po")
    for entry in catalog.messages:
        if "**a**" in entry.msgid or "**b**" in entry.msgid or "**c**" in entry.msgid:
            if entry.msgstr:
                assert not any(f"**{latin}" in entry.msgstr for latin in "abcd"), entry.msgstr
                assert any(f"**{letter}" in entry.msgstr for letter in letters), entry.msgstr


def test_every_shipped_catalog_gives_ten_distinct_letters() -> None:
    for code in ["en", *locale.shipped()]:
        letters = locale.gettext(code, "a b c d e f g h i j").split()
        assert len(letters) == len(set(letters)) == 10, code
