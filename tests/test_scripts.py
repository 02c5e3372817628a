"""One table of what the tool knows about each writing system, and every part of the tool reading it."""

from __future__ import annotations

from conftest import REPO

from cop_docs import config, scripts
from cop_docs.checks.conventions import CHECKS
from cop_docs.renderers import epub_fonts, theme


def test_every_language_of_the_real_set_has_its_script_in_the_table() -> None:
    project = config.load(REPO / "cop-docs.yaml")
    assert {lang.code: lang.script for lang in project.languages} == {
        "en": "Latn", "fr": "Latn", "es": "Latn", "ru": "Cyrl", "ar": "Arab", "zh-Hans": "Hans"}
    assert all(lang.script in scripts.SCRIPTS for lang in project.languages)


def test_the_renderers_and_checks_follow_the_table() -> None:
    project = config.load(REPO / "cop-docs.yaml")
    ar, zh, ru = (project.language(code) for code in ("ar", "zh-Hans", "ru"))
    assert theme.print_stylesheets(ar, "guide")[2] == "scripts/arabic.css"
    assert theme.print_stylesheets(zh, "guide")[2] == "scripts/cjk.css"
    assert "hyphens: manual" in theme.language_css(zh) and "font-style: normal" in theme.language_css(ar)
    assert epub_fonts.needs_fonts(ar) and epub_fonts.needs_fonts(zh) and not epub_fonts.needs_fonts(ru)
    assert CHECKS["arabic-punctuation"].applies_to("fa") and CHECKS["arabic-punctuation"].applies_to("ur-PK")
    assert not CHECKS["arabic-punctuation"].applies_to("fr")


def test_a_script_the_table_lacks_is_an_alphabet_that_needs_its_fonts() -> None:
    amharic = scripts.script(scripts.script_of("am"))
    assert amharic.code == "Ethi" and amharic.spaces and not amharic.common_fonts
