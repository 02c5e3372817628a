"""Content parity: every block a localized document shows is in its PDF's text layer and in its EPUB.

A fixture uses every construct a master may: footnotes holding a list, code and a quotation, nested and ordered
lists, a table, definitions, a figure, a block quotation, ``only`` blocks and an included snippet. It is built in
four languages (two scripts right to left or without spaces among them), every output checked block by block
as the build checks it; and an output that lacks a block fails at that block's line in the master."""

from __future__ import annotations

import json
from pathlib import Path

import polib
import pytest
from conftest import copy_root, pdf_text, run_cli

from cop_docs import config, localized, sources
from cop_docs.errors import RenderError
from cop_docs.renderers import Job, parity, renderer
from cop_docs.segments import stringify

MARKS = {"fr": "FR", "ar": "عربي", "zh-Hans": "中文"}


@pytest.fixture(scope="module")
def constructs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The constructs fixture with every message translated (the translation: a word of the language, then the
    source), built in every language and format."""
    root = copy_root("constructs", tmp_path_factory.mktemp("constructs"))
    assert run_cli("-C", str(root), "update").returncode == 0
    for path in (root / "translations").rglob("*.po"):
        catalog = polib.pofile(str(path))
        mark = MARKS[catalog.metadata["Language"].replace("_", "-")]
        for entry in catalog:
            entry.msgstr = f"{mark} {entry.msgid}"
        catalog.save(str(path))
    result = run_cli("-C", str(root), "build", "--json")
    assert result.returncode == 0, result.stderr
    (root / "outcomes.json").write_text(result.stdout, encoding="utf-8")
    return root


def test_every_construct_reaches_every_output(constructs: Path) -> None:
    outputs = json.loads((constructs / "outcomes.json").read_text(encoding="utf-8"))["outputs"]
    assert len(outputs) == 8 and all(o["status"] == "built" for o in outputs)
    checked = {(o["document"], o["language"]): o["blocks_checked"] for o in outputs}
    assert checked[("guide", "en")] >= 30 and checked[("workbook", "en")] >= 4
    assert all(o["shown_in_source_language"]["messages"] == 0 for o in outputs)
    text = pdf_text(constructs / "build/fr/guide.fr.pdf")
    for words in ("FR its first listed point,", "FR A note that quotes someone:", "settings --private",
                  "FR A nested item, two levels down.", "FR Block them and keep the messages",
                  "FR The choices that decide who can see what you share.", "FR This paragraph belongs to the guide",
                  "FR Adults can report abuse"):
        assert words in text, words
    assert "workbook only" not in text and "helpline at any time" not in text  # the other document's blocks


def _guide(root: Path, lang: str) -> tuple[config.Project, list, Job]:
    project = config.load(root / "cop-docs.yaml")
    doc, language = project.document("guide"), project.language(lang)
    shown: list = []
    ast = localized.localized(project, doc, language, sources.load(project, doc), shown=shown)
    return project, shown[0].blocks, Job(project, doc, language, ast)


def _drop_paragraph(job: Job, words: str) -> None:
    """Remove from the AST the top-level paragraph holding these words (as a bug in a renderer might)."""
    blocks = job.doc["blocks"]
    for i, block in enumerate(blocks):
        if block["t"] == "Para" and words in stringify(block["c"]):
            del blocks[i]
            return
    raise AssertionError(words)


@pytest.mark.parametrize("lang, fmt", [("en", "pdf"), ("ar", "pdf"), ("zh-Hans", "epub")])
def test_an_output_that_lacks_a_block_fails_at_its_line(constructs: Path, lang: str, fmt: str) -> None:
    _project, blocks, job = _guide(constructs, lang)
    _drop_paragraph(job, "The last paragraph of the guide.")
    output = renderer(fmt)
    target = constructs / f"lacking.{lang}.{fmt}"
    output.write(job, target)  # the real engines, the AST one paragraph short
    with pytest.raises(RenderError) as caught:
        parity.verify(blocks, fmt, target, output.unprinted(job), job.language.direction == "rtl")
    master = (constructs / "sources/guide.md").read_text(encoding="utf-8").splitlines()
    assert caught.value.path == "sources/guide.md"
    assert master[caught.value.line - 1] == "The last paragraph of the guide."
    # the same blocks are all found in the whole output
    _project, blocks, whole = _guide(constructs, lang)
    output.write(whole, target)
    assert parity.verify(blocks, fmt, target, output.unprinted(whole), whole.language.direction == "rtl") >= 30


@pytest.mark.parametrize("text, piece, expected", [
    ("Keep talking every week.", "keeptalkingeveryweek", True),
    ("Keep talk-\ning every week.", "keeptalkingeveryweek", True),  # hyphenated at a line end
    ("Keep talking\n\n12\n\nChapter one\n\nevery week.", "keeptalkingeveryweek", True),  # a page break inside
    ("Keep walking every week.", "keeptalkingeveryweek", False),
    ("ﬁnd the ﬂag", "findtheflag", True),  # ligatures
    ("تشارك المنشور ولا تنضم", "ولاتنضم", True),
])
def test_matching(text: str, piece: str, expected: bool) -> None:
    assert parity.found(parity.skeleton(piece), parity.skeleton(text)) is expected


def test_a_right_to_left_table_cell_read_out_of_order_is_found() -> None:
    """poppler reads a right-to-left cell's second line before its first when the next cell has more lines."""
    text = "נוסף שורה\nגישה לאנשי קשר\nשורה שכנה\nאפליקציה חינמית מבקשת\nמיקום ומיקרופון"
    piece = parity.skeleton("אפליקציה חינמית מבקשת גישה לאנשי קשר מיקום ומיקרופון")
    assert not parity.found(piece, parity.skeleton(text))
    assert parity.found(piece, parity.skeleton(text), any_order=True)
    assert not parity.found(piece, parity.skeleton(text.replace("גישה לאנשי קשר", "")), any_order=True)


def test_left_to_right_words_in_a_right_to_left_page_are_found(basic: Path) -> None:
    """Bidi reorders left-to-right words, digits and punctuation in an Arabic line: they still count as present."""
    master = basic / "sources/sample.md"
    text = ("Then simply copy it to a new `${lang_code}.po` file, where `${lang_code}` is the two-letter code "
            "(possibly followed by a two-letter uppercase country code), according to the ISO 639 standard. See "
            "the file COPYING (LGPL) - for details.")
    master.write_text(master.read_text(encoding="utf-8") + f"\n{text}\n", encoding="utf-8")
    assert run_cli("-C", str(basic), "update").returncode == 0
    path = basic / "translations/sample/ar.po"
    catalog = polib.pofile(str(path))
    catalog.find(text.replace("\n", " ")).msgstr = "عربي " + text
    catalog.save(str(path))
    result = run_cli("-C", str(basic), "build", "--lang", "ar", "--format", "pdf")
    assert result.returncode == 0, result.stderr
