"""Shared snippets: one catalog, included by several documents, counted in each of them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import copy_root, pdf_text, run_cli


@pytest.fixture
def shared(tmp_path: Path) -> Path:
    return copy_root("snippets", tmp_path)


def test_snippet_has_its_own_catalog(shared: Path) -> None:
    assert run_cli("-C", str(shared), "extract").returncode == 0
    guide = (shared / "translations/guide/guide.pot").read_text(encoding="utf-8")
    snippet = (shared / "translations/get-help/get-help.pot").read_text(encoding="utf-8")
    assert "Tell a trusted adult." not in guide and "Ask your child" in guide
    assert "#: sources/shared/get-help.md:3\nmsgid \"Tell a trusted adult.\"" in snippet


def test_snippet_messages_count_in_every_document_that_includes_it(shared: Path) -> None:
    result = run_cli("-C", str(shared), "coverage", "--format", "json")
    assert result.returncode == 0, result.stderr
    rows = {c["document"]: c for c in json.loads(result.stdout)["catalogs"]}
    for doc in ("guide", "workbook"):  # 4 own messages + 3 of the snippet, 2 of them translated
        assert rows[doc]["messages"]["translated"] == 6 and rows[doc]["messages"]["total"] == 7
        assert rows[doc]["snippets"] == ["translations/get-help/fr.po"]


def test_gate_names_the_snippet_message_that_is_missing(shared: Path) -> None:
    result = run_cli("-C", str(shared), "gate")
    assert result.returncode == 0
    lines = (shared / "translations/get-help/fr.po").read_text(encoding="utf-8").splitlines()
    line = lines.index('msgid "Call your national helpline."') + 1
    assert result.stdout.count(f"translations/get-help/fr.po:{line}: untranslated: Call your national helpline.") == 2


def test_build_puts_the_translated_snippet_in_each_document(shared: Path) -> None:
    assert run_cli("-C", str(shared), "build", "--lang", "fr", "--format", "pdf").returncode == 0
    for doc in ("guide", "workbook"):
        text = " ".join(pdf_text(shared / f"build/fr/{doc}.fr.pdf").split())
        assert "Parle à un adulte de confiance." in text
        assert "Call your national helpline." in text  # untranslated: the source shows, marked in a draft
        assert "TRADUCTION PROVISOIRE" in text


def test_checks_cover_snippet_catalogs(shared: Path) -> None:
    po = shared / "translations/get-help/fr.po"
    po.write_text(po.read_text(encoding="utf-8").replace("Parle à un adulte de confiance.",
                                                         "Parle à un **adulte de confiance."), encoding="utf-8")
    result = run_cli("-C", str(shared), "check")
    assert result.returncode == 1
    assert "translations/get-help/fr.po:" in result.stdout and "[syntax]" in result.stdout


def test_unknown_or_circular_include_is_an_error_at_its_line(shared: Path) -> None:
    guide = shared / "sources/guide.md"
    guide.write_text(guide.read_text() + "\n::: {include=nowhere}\n:::\n")
    result = run_cli("-C", str(shared), "extract")
    assert result.returncode == 2
    assert "sources/guide.md:8: include of unknown snippet 'nowhere' (snippets: get-help)" in result.stderr
    guide.write_text(guide.read_text().replace("include=nowhere", "include=get-help"))
    snippet = shared / "sources/shared/get-help.md"
    snippet.write_text(snippet.read_text() + "\n::: {include=get-help}\n:::\n")
    result = run_cli("-C", str(shared), "coverage")
    assert result.returncode == 2 and "snippet 'get-help' includes itself" in result.stderr


def test_conditional_blocks_follow_the_document(shared: Path) -> None:
    snippet = shared / "sources/shared/get-help.md"
    snippet.write_text(snippet.read_text() + '\n::: {only="workbook"}\nAsk a teacher at school.\n:::\n\n'
                       '::: {only="guide"}\nCall the parents helpline.\n:::\n')
    assert run_cli("-C", str(shared), "extract").returncode == 0
    pot = (shared / "translations/get-help/get-help.pot").read_text(encoding="utf-8")
    assert "Ask a teacher at school." in pot and "Call the parents helpline." in pot  # one catalog, every version
    assert run_cli("-C", str(shared), "build", "--lang", "en", "--format", "pdf").returncode == 0
    guide = " ".join(pdf_text(shared / "build/en/guide.en.pdf").split())
    workbook = " ".join(pdf_text(shared / "build/en/workbook.en.pdf").split())
    assert "Call the parents helpline." in guide and "Ask a teacher at school." not in guide
    assert "Ask a teacher at school." in workbook and "Call the parents helpline." not in workbook
