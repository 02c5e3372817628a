"""What the gate says is what ships: coverage against the template, one PO reader, nothing lost on the way to
the page, catalogs that survive translators' tools, and every fallback to the source language reported.

Each test is one case of input cop-docs did not write: a PO file emptied, cut short or re-saved by another tool,
flag lines gettext reads its own way, a Latin-1 catalog, a translation that is another kind of block, a master
with an unclosed fence."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from conftest import ROOTS, pdf_text, run_cli

from cop_docs import config, gate, localized
from cop_docs.catalogs import coverage, po, sync

FR = "translations/sample/fr.po"


def _policy(root: Path, code: str = "fr", policy: str = "{threshold: 95, below: draft}") -> None:
    path = root / "cop-docs.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(f"  - code: {code}\n", f"  - code: {code}\n    release: {policy}\n"), encoding="utf-8")


def _fr(root: Path) -> coverage.CatalogCoverage:
    rows = coverage.project_coverage(config.load(root / "cop-docs.yaml"))
    return next(r for r in rows if r.language == "fr")


def _header(root: Path) -> str:
    text = (root / FR).read_text(encoding="utf-8")
    return text[: text.index("\n\n") + 2]


def _template_size(root: Path) -> int:
    return len(po.read(root / "translations/sample/sample.pot").messages)


# --- 1. coverage counts against the template -----------------------------------------------------------------


def _only_obsolete(root: Path) -> str:
    entries = po.read(root / FR).entries
    return _header(root) + "\n".join(f'#~ msgid "{e.msgid}"\n#~ msgstr "{e.msgstr}"\n' for e in entries if e.msgstr
                                     and '"' not in e.msgid + e.msgstr and "\n" not in e.msgid + e.msgstr)


def _cut_short(root: Path) -> str:
    text = (root / FR).read_text(encoding="utf-8")
    blocks = text.split("\n\n")
    return "\n\n".join(blocks[:5]) + "\n"  # the header and the first four entries


@pytest.mark.parametrize("damage", ["empty", "only obsolete", "cut short", "deleted"])
def test_a_po_file_that_lacks_messages_is_not_complete(basic: Path, damage: str) -> None:
    _policy(basic)
    total = _template_size(basic)
    path = basic / FR
    if damage == "deleted":
        path.unlink()
    else:
        text = {"empty": _header, "only obsolete": _only_obsolete, "cut short": _cut_short}[damage](basic)
        path.write_text(text, encoding="utf-8")
    row = _fr(basic)
    assert row.messages.total == total
    expected_translated = {"empty": 0, "only obsolete": 0, "deleted": 0, "cut short": 4}[damage]
    assert row.messages.translated == expected_translated
    assert row.messages.untranslated == total - expected_translated
    decision = next(d for d in gate.decide(config.load(basic / "cop-docs.yaml")) if d.language.code == "fr")
    assert decision.status == gate.DRAFT
    if damage != "deleted":  # a message the PO file lacks is listed where the template has it
        absent = [m for m in decision.missing if m.reason == coverage.NOT_IN_CATALOG]
        assert absent and all(m.path == "translations/sample/sample.pot" for m in absent)
    result = run_cli("-C", str(basic), "build", "--lang", "fr", "--json")
    assert result.returncode == 0, result.stderr
    (output,) = json.loads(result.stdout)["outputs"]
    assert output["draft"] is True
    assert output["messages"]["untranslated"] >= total - expected_translated - 2  # less the cover's title, audience
    assert "TRADUCTION PROVISOIRE" in pdf_text(basic / "build/fr/sample.fr.pdf").upper()


def test_msgfmt_mode_counts_the_po_file_alone(basic: Path) -> None:
    """Given by path, a catalog is counted as GNU msgfmt --statistics counts it: its own entries only."""
    path = basic / FR
    path.write_text(_cut_short(basic), encoding="utf-8")
    (row,) = coverage.scan([path])
    assert row.messages.as_tuple() == (4, 0, 0)
    stats = subprocess.run(["msgfmt", "--statistics", "-o", "/dev/null", str(path)], capture_output=True, text=True)
    assert stats.stderr.startswith("4 translated messages.")
    assert _fr(basic).messages.untranslated == _template_size(basic) - 4  # the project's view: against the POT


# --- 2. one reader -----------------------------------------------------------------------------------------------


def _replace_entry(root: Path, msgid: str, new_lines: str) -> None:
    """Rewrite the comment and flag lines before one entry."""
    path = root / FR
    text = path.read_text(encoding="utf-8")
    start = text.index(f'msgid "{msgid}"')
    before = text.rindex("\n\n", 0, start) + 2
    head = "\n".join(line for line in text[before:start].splitlines() if not line.startswith("#,"))
    text = text[:before] + head + ("\n" if head else "") + new_lines + text[start:]
    path.write_text(text, encoding="utf-8")


def test_only_the_last_flag_line_counts_everywhere(basic: Path) -> None:
    """'#, fuzzy' then '#, c-format': gettext (and so msgfmt, the gate and the .mo) reads the entry as translated."""
    _replace_entry(basic, "Agree on family rules.", "#, fuzzy\n#, c-format\n")
    path = basic / FR
    assert subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(path)]).returncode == 0
    catalog = po.read(path)
    entry = next(e for e in catalog.entries if e.msgid == "Agree on family rules.")
    assert entry.state == po.TRANSLATED and entry.flags == ("c-format",)
    project = config.load(basic / "cop-docs.yaml")
    assert localized.translations(project, project.document("sample"), project.language("fr"))[
        (None, "Agree on family rules.")] == "Fixez des règles familiales."
    result = run_cli("-C", str(basic), "build", "--lang", "fr", "--format", "pdf")
    assert result.returncode == 0, result.stderr
    assert "Fixez des règles familiales." in pdf_text(basic / "build/fr/sample.fr.pdf")


def test_fuzzy_flag_without_a_space_is_read_by_every_command(basic: Path) -> None:
    _replace_entry(basic, "Agree on family rules.", "#,fuzzy\n")
    for command in (["update"], ["check"], ["gate"], ["build", "--lang", "fr", "--format", "pdf"]):
        result = run_cli("-C", str(basic), *command)
        assert result.returncode in (0, 1) and "Syntax error" not in result.stderr, (command, result.stderr)
    text = pdf_text(basic / "build/fr/sample.fr.pdf")
    assert "Fixez des règles familiales." not in text and "Agree on family rules." in text  # fuzzy: not shown


def test_a_latin_1_catalog_is_read_by_every_command(basic: Path) -> None:
    path = basic / FR
    catalog = polib.pofile(str(path))
    for entry in list(catalog):
        if any(ord(ch) > 255 for ch in entry.msgstr + entry.msgid):  # what Latin-1 cannot hold stays untranslated
            entry.msgstr = ""
    catalog.metadata["Content-Type"] = "text/plain; charset=ISO-8859-1"
    catalog.encoding = "iso-8859-1"
    catalog.save(str(path))
    assert b"\xe9" in path.read_bytes()  # é in Latin-1
    assert _fr(basic).messages.translated > 5
    for command in (["check"], ["gate"], ["build", "--lang", "fr", "--format", "pdf"]):
        result = run_cli("-C", str(basic), *command)
        assert result.returncode in (0, 1) and "codec" not in result.stderr, (command, result.stderr)
    assert "Parler avec les enfants" in pdf_text(basic / "build/fr/sample.fr.pdf")
    before = {e.msgid: e.msgstr for e in po.read(path).entries}
    result = run_cli("-C", str(basic), "update")
    assert result.returncode == 0, result.stderr
    after = po.read(path)
    assert after.charset == "UTF-8" and {e.msgid: e.msgstr for e in after.entries} == before  # nothing lost


# --- 3. no silent loss between the catalog and the page ----------------------------------------------------------


BLOCKS = {
    "link definition": "[nota]: https://www.example.org/fr",
    "thematic break": "---",
    "table": "| a | b |\n|---|---|\n| c | d |",
    "white space": "   ",
    "unclosed fence": "```\nJouez ensemble.",
    "unclosed div": "::: {.x}\nJouez ensemble.",
}


@pytest.mark.parametrize("kind", sorted(BLOCKS))
def test_a_translation_of_another_kind_of_block_is_not_used(basic: Path, kind: str) -> None:
    path = basic / FR
    catalog = polib.pofile(str(path))  # a translator's tool writes it
    catalog.find("Play games together.").msgstr = BLOCKS[kind]
    catalog.save(str(path))
    line = next(e.msgstr_line for e in po.read(path).entries if e.msgid == "Play games together.")
    check = run_cli("-C", str(basic), "check", "--lang", "fr")
    assert check.returncode == 1
    assert f"{FR}:{line}: error: [block-kind] the translation reads as" in check.stdout
    row = _fr(basic)
    assert row.messages.untranslated == 1 and row.messages.translated == row.messages.total - 2  # and one fuzzy
    found = [m for m in coverage.catalog_messages(config.load(basic / "cop-docs.yaml"),
                                                  config.load(basic / "cop-docs.yaml").document("sample"),
                                                  config.load(basic / "cop-docs.yaml").language("fr"))
             if m.msgid == "Play games together."]
    assert found[0].state == po.UNTRANSLATED and "reads as" in found[0].reason
    result = run_cli("-C", str(basic), "build", "--lang", "fr", "--json")
    assert result.returncode == 0, result.stderr
    assert f"{FR}:{line}: warning: translation not used, the source is shown" in result.stderr
    (output,) = json.loads(result.stdout)["outputs"]
    assert output["messages"]["untranslated"] == 1 and output["translations_not_used"][0]["line"] == line
    text = pdf_text(basic / "build/fr/sample.fr.pdf")
    assert "Play games together." in text and "Choisissez des jeux adaptés à son âge." in text
    assert ":::" not in text and "#cop" not in text


def test_footnotes_keep_their_lists_code_and_quotes_in_print(tmp_path: Path) -> None:
    (tmp_path / "cop-docs.yaml").write_text(
        "project: {name: Notes, edition: '2026', source-language: en}\n"
        "languages: [{code: en, fonts: [Noto Serif, Noto Sans]}]\n"
        "documents: [{id: notes, audience: Everyone, kind: guide, title: Notes, sources: [sources/notes.md]}]\n"
        "formats: [pdf]\n", encoding="utf-8")
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources/notes.md").write_text(
        "Text.[^1] More text.[^2]\n\n[^1]: Intro:\n\n    - item one\n    - item two\n\n"
        "[^2]: A command:\n\n    ```\n    settings --private\n    ```\n\n    > A quoted line.\n", encoding="utf-8")
    result = run_cli("-C", str(tmp_path), "build")
    assert result.returncode == 0, result.stderr
    text = pdf_text(tmp_path / "build/en/notes.en.pdf")
    for words in ("Intro:", "item one", "item two", "A command:", "settings --private", "A quoted line."):
        assert words in text


def _project_with(tmp_path: Path, master: str) -> Path:
    root = tmp_path / "p"
    shutil.copytree(ROOTS / "basic", root)
    (root / "sources/sample.md").write_text(master, encoding="utf-8")
    return root


@pytest.mark.parametrize("master, line, words", [
    ("# Title\n\nText.\n\n```\ncode that never ends\n\nMore text.\n", 5, "code fence"),
    ("# Title\n\n::: tip\nA tip.\n\n## Next\n\nMore text.\n", 3, "fenced div"),
    ("# Title\n\n::: outer\n::: inner\nText.\n:::\n\nMore.\n", 3, "fenced div"),
])
@pytest.mark.parametrize("command", ["extract", "check", "build"])
def test_an_unclosed_fence_in_a_master_is_an_error_at_its_line(tmp_path: Path, master: str, line: int, words: str,
                                                               command: str) -> None:
    root = _project_with(tmp_path, master)
    result = run_cli("-C", str(root), command)
    assert result.returncode == 2, result.stdout
    assert f"sources/sample.md:{line}: this {words}" in result.stderr
    assert len(result.stderr.strip().splitlines()) <= 2 and "Traceback" not in result.stderr


def test_an_include_with_content_is_an_error_at_its_line(tmp_path: Path) -> None:
    root = tmp_path / "shared"
    shutil.copytree(ROOTS / "snippets", root)
    guide = root / "sources/guide.md"
    text = guide.read_text(encoding="utf-8")
    start = text.index("::: {include=get-help}")
    line = text[:start].count("\n") + 1
    guide.write_text(text.replace("::: {include=get-help}\n", "::: {include=get-help}\nThis text is lost.\n", 1),
                     encoding="utf-8")
    result = run_cli("-C", str(root), "extract")
    assert result.returncode == 2
    assert f"sources/guide.md:{line}: the include of 'get-help' holds text of its own" in result.stderr


# --- 4. catalogs that survive translators' tools ----------------------------------------------------------------


def _resave_msgcat(path: Path) -> None:
    subprocess.run(["msgcat", "-o", str(path), str(path)], check=True)


def _resave_msgmerge(path: Path) -> None:
    pot = path.parent / "sample.pot"
    subprocess.run(["msgmerge", "--quiet", "--previous", "-o", str(path), str(path), str(pot)], check=True)


def _resave_polib(path: Path) -> None:
    polib.pofile(str(path), wrapwidth=76).save(str(path))  # another width: every long line moves


def _resave_translate_toolkit(path: Path) -> None:
    from translate.storage import pypo

    with open(path, "rb") as fh:
        store = pypo.pofile(fh)
    with open(path, "wb") as fh:
        store.serialize(fh)


RESAVE = {"msgcat": _resave_msgcat, "msgmerge": _resave_msgmerge, "polib": _resave_polib,
          "translate-toolkit": _resave_translate_toolkit}


@pytest.mark.parametrize("tool", sorted(RESAVE))
def test_a_catalog_resaved_by_another_tool_is_not_rewritten(basic: Path, tool: str) -> None:
    assert run_cli("-C", str(basic), "update").returncode == 0  # as cop-docs writes them
    catalogs = sorted((basic / "translations").rglob("*.po"))
    for path in catalogs:
        RESAVE[tool](path)
    before = {p: p.read_bytes() for p in catalogs}
    result = run_cli("-C", str(basic), "update")
    assert result.returncode == 0, result.stderr
    assert {p: p.read_bytes() for p in catalogs} == before
    assert "updated" not in result.stdout and "created" not in result.stdout
    assert sync.outdated(config.load(basic / "cop-docs.yaml")) == []  # the release's lock check passes


def test_what_we_write_is_what_msgcat_writes(basic: Path) -> None:
    """A catalog written by cop-docs is a fixed point of msgcat: re-saving it changes no byte."""
    (basic / FR).write_text(_header(basic), encoding="utf-8")  # make update write it
    result = run_cli("-C", str(basic), "update")
    assert result.returncode == 0 and f"updated {FR}" in result.stdout
    again = subprocess.run(["msgcat", str(basic / FR)], capture_output=True, text=True, check=True).stdout
    assert again == (basic / FR).read_text(encoding="utf-8")


def test_a_reverted_source_edit_restores_the_translation(basic: Path) -> None:
    master = basic / "sources/sample.md"
    original = master.read_text(encoding="utf-8")
    master.write_text(original.replace("Agree on family rules.", "Agree on the family rules."), encoding="utf-8")
    assert run_cli("-C", str(basic), "update").returncode == 0
    entry = next(e for e in po.read(basic / FR).entries if e.msgid == "Agree on the family rules.")
    assert entry.fuzzy and entry.previous_msgid == "Agree on family rules."
    master.write_text(original, encoding="utf-8")
    assert run_cli("-C", str(basic), "update").returncode == 0
    entry = next(e for e in po.read(basic / FR).entries if e.msgid == "Agree on family rules." and not e.obsolete)
    assert entry.state == po.TRANSLATED and entry.previous_msgid is None
    assert entry.msgstr == "Fixez des règles familiales."


# --- 5. what fell back to the source language -------------------------------------------------------------------


def test_the_build_says_what_it_shows_in_the_source_language(basic: Path) -> None:
    catalog = polib.pofile(str(basic / FR))
    catalog.find("Agree on family rules.").msgstr = ""
    catalog.save(str(basic / FR))
    result = run_cli("-C", str(basic), "build", "--json")
    assert result.returncode == 0, result.stderr
    outputs = {o["language"]: o for o in json.loads(result.stdout)["outputs"]}
    fr = outputs["fr"]
    assert (fr["messages"]["fuzzy"], fr["messages"]["untranslated"]) == (1, 1)  # the fixture's fuzzy entry, and this
    assert fr["shown_in_source_language"] == {"messages": 2, "words": fr["words"]["fuzzy"] + fr["words"]["untranslated"]}
    assert fr["blocks_checked"] > 5
    assert outputs["en"]["shown_in_source_language"]["messages"] == 0
    assert "warning: sample (fr) shows 2 messages" in result.stderr and "1 fuzzy, 1 untranslated" in result.stderr
    summary = result.stderr[result.stderr.index("Build summary"):]
    fr_row = next(line.split() for line in summary.splitlines() if line.strip().startswith("fr "))
    assert fr_row[6:8] == ["1", "1"]  # the fuzzy and untranslated columns
    again = run_cli("-C", str(basic), "build", "--json")  # up to date: the same figures, from the stamps
    assert json.loads(again.stdout)["outputs"][1]["messages"] == fr["messages"]
