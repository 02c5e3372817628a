"""`cop-docs changes`: new, changed and removed messages since a commit, checked on a small git history.

The history is made as a project's is: `cop-docs update`, a translator's pass written with polib (another tool),
sources edited and updated again, each committed with git at a known date. Markdown is read back with
markdown-it-py, an independent CommonMark parser, to check what a reader of the report sees."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import lxml.html
import polib
import pytest
from conftest import run_cli
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from cop_docs import config, words
from cop_docs.catalogs import changes, po

CONFIG = """\
project: {name: Changes fixture, edition: "2026", source-language: en}
languages:
  - code: en
    fonts: [Noto Serif]
  - code: fr
    fonts: [Noto Serif]
documents:
  - id: guide
    audience: Parents
    kind: guide
    title: A guide for parents
    sources: [sources/guide.md]
snippets:
  - id: help
    sources: [sources/shared/help.md]
formats: [pdf]
"""

WORKBOOK = """\
  - id: workbook
    audience: Children
    kind: workbook
    title: A workbook for children
    sources: [sources/workbook.md]
"""

GUIDE_1 = """\
# Staying safe online

Talk with your child about what they do online.

Set up the devices together and agree on rules for screen time.

Keep passwords secret, even from friends.

::: {include=help}
:::
"""

GUIDE_2 = """\
# Staying safe online

Talk with your child every week about what they watch online.

Keep passwords secret, even from friends.

Games can ask for money: check the settings for purchases together.

::: {include=help}
:::
"""

HELP_1 = "# Getting help\n\nCall the helpline at any time.\n"
HELP_2 = "# Getting help\n\nCall the helpline at any time, day or night.\n"

MARKDOWN = MarkdownIt("commonmark").enable(["table", "strikethrough"])


def git(root: Path, *args: str, date: str | None = None) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.org",
           "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.org",
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    if date:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = date
    return subprocess.run(["git", *args], cwd=root, env=env, capture_output=True, text=True, check=True).stdout.strip()


def commit(root: Path, message: str, date: str) -> str:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message, date=date)
    return git(root, "rev-parse", "HEAD")


def update(root: Path) -> None:
    result = run_cli("-C", str(root), "update")
    assert result.returncode == 0, result.stderr


def translate(path: Path, only_missing: bool = False) -> None:
    """A translator's pass in another tool: every message translated, fuzzy marks removed."""
    catalog = polib.pofile(str(path), wrapwidth=0)
    for entry in catalog:
        if entry.obsolete or (only_missing and entry.msgstr and "fuzzy" not in entry.flags):
            continue
        entry.msgstr = "FR " + entry.msgid
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
            entry.previous_msgid = None
    catalog.save()


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A project's history: catalogs created (A), translated into French (B, tagged v1), sources edited and
    catalogs updated, with a new document (C)."""
    root = tmp_path_factory.mktemp("changes") / "project"
    (root / "sources/shared").mkdir(parents=True)
    (root / "cop-docs.yaml").write_text(CONFIG, encoding="utf-8")
    (root / "sources/guide.md").write_text(GUIDE_1, encoding="utf-8")
    (root / "sources/shared/help.md").write_text(HELP_1, encoding="utf-8")
    update(root)
    git(root, "init", "-q", "-b", "main")
    a = commit(root, "Catalogs", "2026-10-01T12:00:00+00:00")
    for doc in ("guide", "help"):
        translate(root / f"translations/{doc}/fr.po")
    b = commit(root, "French translation", "2026-10-15T12:00:00+00:00")
    git(root, "tag", "v1")
    (root / "sources/guide.md").write_text(GUIDE_2, encoding="utf-8")
    (root / "sources/shared/help.md").write_text(HELP_2, encoding="utf-8")
    (root / "sources/workbook.md").write_text("# Quiz\n\nWhat makes a password strong?\n", encoding="utf-8")
    (root / "cop-docs.yaml").write_text(CONFIG.replace("snippets:", WORKBOOK + "snippets:"), encoding="utf-8")
    update(root)
    c = commit(root, "Sources edited; catalogs updated", "2026-11-10T12:00:00+00:00")
    return {"root": root, "A": a, "B": b, "C": c}


def report_json(root: Path, *args: str) -> dict:
    result = run_cli("-C", str(root), "changes", "--lang", "fr", "--format", "json", *args)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def by_id(data: dict) -> dict[str, dict]:
    return {c["id"]: c for c in data["catalogs"]}


def test_new_changed_and_removed_since_a_tag(history: dict) -> None:
    data = report_json(history["root"], "--since", "v1")
    assert data["command"] == "changes" and data["language"] == "fr"
    assert data["since"] == {"how": "ref", "given": "v1", "commit": history["B"], "date": "2026-10-15T12:00:00+00:00",
                             "subject": "French translation"}
    guide, snippet, workbook = (by_id(data)[k] for k in ("guide", "help", "workbook"))

    assert [m["msgid"] for m in guide["new"]] == ["Games can ask for money: check the settings for purchases together."]
    assert guide["new"][0]["state"] == "untranslated" and guide["new"][0]["words"] == 11
    assert guide["new"][0]["references"] == ["sources/guide.md:7"]
    [changed] = guide["changed"]
    assert changed["old_msgid"] == "Talk with your child about what they do online."
    assert changed["msgid"] == "Talk with your child every week about what they watch online."
    assert changed["paired_by"] == "previous-msgid" and changed["state"] == "fuzzy"
    assert changed["diff"] == [{"op": "equal", "text": "Talk with your child"}, {"op": "insert", "text": " every week"},
                               {"op": "equal", "text": " about what they"}, {"op": "delete", "text": " do"},
                               {"op": "insert", "text": " watch"}, {"op": "equal", "text": " online."}]
    assert (changed["words"], changed["changed_words"]) == (11, 3)
    assert [m["msgid"] for m in guide["removed"]] == ["Set up the devices together and agree on rules for screen time."]
    assert guide["removed"][0] == {"msgctxt": None, "msgid": guide["removed"][0]["msgid"], "words": 12,
                                   "state": "obsolete"}
    assert guide["counts"] == {"new": 1, "changed": 1, "removed": 1, "new_words": 11, "changed_words": 3,
                               "changed_message_words": 11, "removed_words": 12}

    # the snippet: a comma and three words added; "time" itself is not a changed word
    assert snippet["kind"] == "snippet" and not snippet["new"] and not snippet["removed"]
    [help_changed] = snippet["changed"]
    assert help_changed["diff"] == [{"op": "equal", "text": "Call the helpline at any time"},
                                    {"op": "insert", "text": ", day or night"}, {"op": "equal", "text": "."}]
    assert (help_changed["words"], help_changed["changed_words"]) == (9, 3)

    # a document that did not exist then: every message is new (title, audience, heading, paragraph)
    assert workbook["existed"] is False and not workbook["changed"] and not workbook["removed"]
    assert {m["msgid"] for m in workbook["new"]} == {"A workbook for children", "Children", "Quiz",
                                                      "What makes a password strong?"}
    assert workbook["counts"]["new_words"] == 4 + 1 + 1 + 5

    # totals add up, and each message's line is where the translator finds it in fr.po
    assert data["totals"]["new_words"] == 11 + 11 and data["totals"]["changed_words"] == 6
    lines = (history["root"] / "translations/guide/fr.po").read_text(encoding="utf-8").splitlines()
    assert lines[changed["po_line"] - 1] == f'msgid "{changed["msgid"]}"'


def test_the_diff_gives_back_both_texts(history: dict) -> None:
    data = report_json(history["root"], "--since", history["B"][:9])
    for catalog in data["catalogs"]:
        for m in catalog["changed"]:
            assert "".join(op["text"] for op in m["diff"] if op["op"] != "delete") == m["msgid"]
            old = "".join(op["text"] for op in m["diff"] if op["op"] != "insert")
            assert old.split() == m["old_msgid"].split()


def test_a_date_means_the_last_commit_before_it(history: dict) -> None:
    root = history["root"]
    project = config.load(root / "cop-docs.yaml")
    fr = project.language("fr")
    assert changes.changes(project, fr, "2026-11-01").since.commit == history["B"]
    assert changes.changes(project, fr, "2026-10-15").since.commit == history["A"]  # before that day began
    assert changes.changes(project, fr, "2026-11-10T13:00").since.commit == history["C"]
    by_date = report_json(root, "--since", "2026-11-01")
    by_tag = report_json(root, "--since", "v1")
    assert by_date["since"]["how"] == "date" and by_date["catalogs"] == by_tag["catalogs"]


def test_default_is_the_translators_last_pass(history: dict) -> None:
    """An update moving translations (C) or creating empty catalogs (A) is not a translator's pass; B is."""
    data = report_json(history["root"])
    assert data["since"]["how"] == "last-pass" and data["since"]["commit"] == history["B"]
    assert data["catalogs"] == report_json(history["root"], "--since", "v1")["catalogs"]


def test_a_new_pass_moves_the_default_and_rewrapping_does_not(history: dict, tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(history["root"], root)
    for doc in ("guide", "help", "workbook"):
        translate(root / f"translations/{doc}/fr.po", only_missing=True)
    d = commit(root, "French: the new messages", "2026-11-20T12:00:00+00:00")
    for path in root.glob("translations/*/fr.po"):  # GNU msgcat re-wraps every line: nothing is translated
        subprocess.run(["msgcat", "--width=30", "-o", str(path), str(path)], check=True)
    assert git(root, "status", "--porcelain")
    commit(root, "Catalogs re-wrapped", "2026-11-21T12:00:00+00:00")

    data = report_json(root)
    assert data["since"]["commit"] == d
    assert data["totals"] == {"new": 0, "changed": 0, "removed": 0, "new_words": 0, "changed_words": 0,
                              "changed_message_words": 0, "removed_words": 0}
    result = run_cli("-C", str(root), "changes", "--lang", "fr")
    assert result.returncode == 0 and "No new, changed or removed messages." in result.stdout
    # since v1 the same messages are listed, now translated
    states = {m["msgid"]: m["state"] for c in report_json(root, "--since", "v1")["catalogs"] for m in c["new"] + c["changed"]}
    assert set(states.values()) == {"translated"} and len(states) == 7


def _html(markdown: str) -> lxml.html.HtmlElement:
    return lxml.html.fragment_fromstring(MARKDOWN.render(markdown), create_parent="div")


def test_markdown_report_reads_as_a_table_and_a_diff(history: dict) -> None:
    result = run_cli("-C", str(history["root"]), "changes", "--lang", "fr", "--since", "v1")
    assert result.returncode == 0, result.stderr
    html = _html(result.stdout)
    rows = [[cell.text_content() for cell in row] for row in html.iter("tr")]
    assert rows[0] == ["catalog", "new", "changed", "removed", "new words", "changed words", "words of changed messages"]
    assert ["guide", "1", "1", "1", "11", "3", "11"] in rows and rows[-1] == ["total", "5", "2", "1", "22", "6", "20"]
    assert "Since v1: commit" in result.stdout and history["B"][:10] in result.stdout
    quotes = [q.text_content().strip() for q in html.iter("blockquote")]
    assert "Talk with your child every week about what they dowatch online." in quotes
    diff_quote = next(q for q in html.iter("blockquote") if "every week" in q.text_content())
    assert [s.text_content() for s in diff_quote.iter("s")] == ["do"]
    assert [s.text_content() for s in diff_quote.iter("strong")] == ["every week", "watch"]
    assert "- `translations/guide/fr.po:" in result.stdout and "fuzzy · 3 of 11 words" in result.stdout


def test_output_file_and_json_result(history: dict, tmp_path: Path) -> None:
    out = tmp_path / "changes.md"
    result = run_cli("-C", str(history["root"]), "--json", "changes", "--lang", "fr", "--since", "v1", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert out.read_text(encoding="utf-8").startswith("## Changes for French (fr)")
    assert json.loads(result.stdout)["totals"]["changed"] == 2
    assert [p.name for p in tmp_path.iterdir()] == ["changes.md"]  # no temporary file left


def test_doc_selects_documents_and_snippets(history: dict) -> None:
    data = report_json(history["root"], "--since", "v1", "--doc", "help")
    assert [c["id"] for c in data["catalogs"]] == ["help"]


@pytest.mark.parametrize(("args", "message"), [
    (["--lang", "de"], "no language 'de' in the project"),
    (["--lang", "en"], "'en' is the source language"),
    (["--lang", "fr", "--since", "no-such-tag"], "'no-such-tag' is neither a git reference"),
    (["--lang", "fr", "--since", "2026-02-30"], "'2026-02-30' is not a valid date"),
    (["--lang", "fr", "--since", "2020-01-01"], "no commit before 2020-01-01"),
    (["--lang", "fr", "--since=--all"], "'--all' is neither a git reference"),
])
def test_errors_are_one_line(history: dict, args: list[str], message: str) -> None:
    result = run_cli("-C", str(history["root"]), "changes", *args)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("cop-docs: error: ") and message in result.stderr


def test_not_a_git_repository(history: dict, tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(history["root"], root, ignore=shutil.ignore_patterns(".git"))
    result = run_cli("-C", str(root), "changes", "--lang", "fr")
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert re.fullmatch(r"cop-docs: error: \S*project: not a git repository: .*\n", result.stderr)


def test_a_broken_template_in_history_is_named(history: dict, tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(history["root"], root)
    pot = root / "translations/help/help.pot"
    good = pot.read_bytes()
    pot.write_bytes(good + b'msgid "unterminated\n')
    broken = commit(root, "A broken template", "2026-11-25T12:00:00+00:00")
    pot.write_bytes(good)
    commit(root, "Fixed", "2026-11-26T12:00:00+00:00")
    result = run_cli("-C", str(root), "changes", "--lang", "fr", "--since", broken)
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert f"{broken[:12]}:translations/help/help.pot:" in result.stderr


def test_pairing_is_one_to_one_and_evidence_comes_first() -> None:
    gone = [po.Entry("The quick brown fox jumps."), po.Entry("Another sentence about foxes.")]
    added = [po.Entry("The quick brown fox jumps high."), po.Entry("The quick brown fox jumped."),
             po.Entry("Unrelated words entirely here.")]
    # msgmerge would give both of the first two the same old message; a report pairs it once, the closest first
    assert changes._pairs(added, gone, {}) == {1: (0, "similarity", 94.3)}
    # the PO file's "#| msgid" says the first replaced it, though the second is closer
    evidence = {added[0].key: po.Entry(added[0].msgid, "x", previous_msgid="The quick brown fox jumps.")}
    assert changes._pairs(added, gone, evidence) == {0: (0, "previous-msgid", 91.2)}


def test_chinese_characters_are_words() -> None:
    assert changes.diff("我们的孩子在网上", "我们的学生在网上") == [("equal", "我们的"), ("delete", "孩子"),
                                                            ("insert", "学生"), ("equal", "在网上")]
    assert changes.markdown_diff("孩子。朋友", "孩子！朋友") == "孩~~子。朋~~**子！朋**友"


@pytest.mark.parametrize(("old", "new", "changed"), [
    ("See the notes.[^1]", "See the notes.[^2]", 0),  # a footnote label is no word
    ("Read the [rules](https://www.example.org/a).", "Read the [rules](https://www.example.org/b).", 0),
    ("Read the [rules](https://www.example.org/a).", "Read the [house rules](https://www.example.org/a).", 1),
    ("Ages 6--8", "Ages 6–8", 0),
    ("我们的孩子在网上", "我们的学生在网上", 2),
    ("Six coloured circles joined", "Twelve numbered circles, one for each step, joined", 6),
])
def test_changed_words_count_as_the_whole_text_counts(old: str, new: str, changed: int) -> None:
    assert changes.changed_words(changes.diff(old, new), words.count_markdown(new)) == changed


def test_message_markup_is_escaped() -> None:
    old = "Read the [rules](https://www.example.org/rules) <b>first</b> & *then* `play`."
    new = "# Read the [terms](https://www.example.org/terms) <b>first</b> &amp; **then** | play ~~now~~."
    html = _html("> " + changes.markdown_diff(old, new))
    assert not [e.tag for e in html.iter() if e.tag not in ("div", "blockquote", "p", "s", "strong")]
    assert [s.text_content() for s in html.iter("s")] == ["rules", "rules", "*then* `", "`."]
    assert [s.text_content() for s in html.iter("strong")] == ["#", "terms", "terms", "amp; **then** |", "~~now~~."]
    assert "](https://www.example.org/" in html.text_content() and "<b>first</b> &" in html.text_content()


_TEXT = st.lists(st.sampled_from(["word", "other", "é", "孩", "子", "。", "！", "*", "**", "_", "~", "`", "[", "]", "(",
                                  ")", "<b>", "&amp;", "#", "1.", "-", "|", "\\", ".", ",", "'", "!", "$", " ", " "]),
                 max_size=14).map("".join)


@settings(max_examples=150, deadline=None)
@given(_TEXT, _TEXT)
def test_markdown_diff_reads_back_as_both_texts(old: str, new: str) -> None:
    """Whatever the texts, a CommonMark reader sees the new text outside the struck runs and the old one outside
    the bold runs: every ~~ and ** is markup, and nothing of the messages is."""
    html = _html("> " + changes.markdown_diff(old, new))
    for drop, want in (("s", new), ("strong", old)):
        copy = lxml.html.fromstring(lxml.html.tostring(html))
        for element in list(copy.iter(drop)):
            element.drop_tree()
        assert "".join(copy.text_content().split()) == "".join(want.split())
    assert {e.tag for e in html.iter()} <= {"div", "blockquote", "p", "s", "strong"}


def test_a_shallow_clone_says_its_history_is_cut_short(history: dict, tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{history['root']}", str(clone))
    result = run_cli("-C", str(clone), "changes", "--lang", "fr")
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "shallow clone" in result.stderr
    assert report_json(clone, "--since", "HEAD")["totals"]["new"] == 0  # a commit it has still works
