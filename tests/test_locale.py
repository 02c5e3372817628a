"""The tool's own words (the draft mark, "Contents", the e-book's landmarks and summary, the download page):
shipped as gettext catalogs, every message translated in every shipped language, used in the outputs."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from cop_docs import config, locale, localized, sources
from cop_docs.catalogs import po
from cop_docs.renderers import Job, epub, pdf, theme

SHIPPED = ["ar", "es", "fr", "ru", "zh-Hans", "zh-Hant"]


def test_the_six_languages_and_traditional_chinese_are_shipped() -> None:
    assert locale.shipped() == sorted(SHIPPED)


@pytest.mark.parametrize("code", SHIPPED)
def test_each_catalog_is_valid_and_complete(code: str) -> None:
    path = locale.LOCALE / f"{code}.po"
    result = subprocess.run(["msgfmt", "-c", "--check-format", "--statistics", "-o", "/dev/null", str(path)],
                            capture_output=True, text=True, env={"LC_ALL": "C", "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    catalog = po.read(path)
    assert {(e.msgctxt, e.msgid) for e in catalog.messages} == set(locale.messages())  # in step with the template
    assert all(e.state == po.TRANSLATED for e in catalog.messages), [e.msgid for e in catalog.messages
                                                                       if e.state != po.TRANSLATED]


def test_fallback_follows_the_language_parents_then_english() -> None:
    assert locale.language_of("fr-CA") == "fr" and locale.gettext("fr-CA", "Contents") == "Sommaire"
    assert locale.language_of("zh-Hant-TW") == "zh-Hant" and locale.gettext("zh-Hant-TW", "Contents") == "目錄"
    assert locale.language_of("de") == "en" and locale.gettext("de", "Contents") == "Contents"
    assert locale.gettext("ru", "{n} pages", "download page", n=12) == "Страниц: 12"
    with pytest.raises(KeyError):
        locale.gettext("fr", "A message nobody declared")


def test_draft_mark_and_contents_are_in_the_documents_language(basic: Path) -> None:
    source = basic / "sources/sample.md"
    source.write_text(source.read_text(encoding="utf-8").replace("toc-title: Contents\n", ""), encoding="utf-8")
    project = config.load(basic / "cop-docs.yaml")
    doc, ru = project.document("sample"), project.language("ru")
    ast = localized.localized(project, doc, ru, sources.load(project, doc))
    assert ast["meta"]["toc-title"]["c"] == "Содержание"
    assert theme.draft_mark(ru) == ("Черновой перевод", "ru")
    css = theme.print_css(ru, "guide", draft=True)
    assert theme.draft_mark(ru)[0].upper() in css and "DRAFT TRANSLATION" not in css
    assert set(theme.draft_mark(ru)[0].upper()) <= set(theme.generated_characters(ru))
    names_lang, names = epub.landmark_names(Job(project, doc, ru, ast))
    assert names_lang == "ru" and names == ("Обложка", "Титульный лист", "Начало основного текста")


def test_a_quote_in_the_tools_words_cannot_end_a_css_rule() -> None:
    assert theme.css_string('a"b\\c\n') == '"a\\22 b\\5c c\\a "'


def test_the_accessibility_summary_is_in_the_books_language(basic: Path) -> None:
    project = config.load(basic / "cop-docs.yaml")
    doc = project.document("sample")
    for code, start in (("fr", "Cette publication est conforme à EPUB Accessibility 1.1"), ("en", "This publication"),
                        ("zh-Hans", "本出版物符合 EPUB Accessibility 1.1")):
        lang = project.language(code)
        summary = epub._summary(Job(project, doc, lang, localized.localized(project, doc, lang, sources.load(project, doc))))
        assert summary.startswith(start), summary


def test_a_drafts_legend_says_what_is_marked_in_the_documents_language(basic: Path) -> None:
    project = config.load(basic / "cop-docs.yaml")
    doc, ru = project.document("sample"), project.language("ru")
    job = Job(project, doc, ru, localized.localized(project, doc, ru, sources.load(project, doc), draft=True), draft=True)
    page = pdf.page_html(job)
    legend = page[page.index('<aside class="draft-legend">'):page.index("</aside>")]
    assert "Некоторые фрагменты ещё на английском языке. Они выделены так:" in legend
    assert '<span class="untranslated" lang="en">English</span>' in legend  # the mark itself, shown
    assert page.index("draft-legend") < page.index('id="toc"')  # on the first page after the cover
    shipped = Job(project, doc, ru, localized.localized(project, doc, ru, sources.load(project, doc)))
    assert "draft-legend" not in pdf.page_html(shipped)
