"""Extraction: master Markdown → units → POT, and the md2pot / po2md commands."""

from __future__ import annotations

import functools
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from conftest import SAMPLES

from cop_docs import config, sources
from cop_docs.catalogs import extract, po, pofiles, sync
from cop_docs.sources import SourceFile, read_source

SAMPLE_FILES = sorted(SAMPLES.glob("*.md"))
SAMPLE_IDS = [p.stem for p in SAMPLE_FILES]
MSGFMT = "/usr/bin/msgfmt"
EPOCH = "1700000000"  # 2023-11-14 22:13 UTC

KNOWN_COMMENTS = re.compile(
    r"^(paragraph|heading level [1-6]|list item|nested list item \(level \d\)|table header cell|table cell|"
    r"table footer cell|table caption|figure caption|image alt text|image title|block quote|footnote|"
    r"definition term|definition|line of a line block|front matter: [a-z-]+)$")


@functools.cache
def _source(name: str) -> SourceFile:
    return read_source(SAMPLES / name, root=SAMPLES, cache_dir=None)


def units(name: str) -> list:
    return _source(name).units


def pot_of(name: str) -> po.Catalog:
    source = _source(name)
    return extract.template_catalog(Path(name).stem, [(source.path, u) for u in source.units])


def msgids(name: str) -> list[str]:
    return [u.msgid for u in units(name)]


def by_comment(name: str) -> list[tuple[str, str]]:
    return [(u.comment, u.msgid) for u in units(name)]


def entry(pot: po.Catalog, msgid: str, msgctxt: str | None = None) -> po.Entry:
    found = [e for e in pot.entries if e.msgid == msgid and e.msgctxt == msgctxt]
    assert len(found) == 1, f"{len(found)} entries for {msgctxt!r}/{msgid!r}"
    return found[0]


def comment(e: po.Entry) -> str:
    return "\n".join(e.extracted)


def occurrences(e: po.Entry) -> list[tuple[str, str]]:
    return [tuple(r.rsplit(":", 1)) for r in e.references]


def run_cli(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    full_env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, **(env or {})}
    return subprocess.run([sys.executable, "-m", "cop_docs", *args], cwd=cwd, capture_output=True, text=True,
                          env=full_env, timeout=120)


def msgfmt_check(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([MSGFMT, "-c", "-o", os.devnull, str(path)], capture_output=True, text=True, timeout=60)


@pytest.fixture
def fixed_time(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


# --- one message per block kind -------------------------------------------------------------------------


def test_atx_headings_each_level():
    assert by_comment("01-atx-headings.md") == [
        ("heading level 1", "Keeping children safe online"),
        ("heading level 2", "Why it matters"),
        ("heading level 3", "Three simple habits"),
        ("heading level 4", "Talk early and often"),
        ("heading level 5", "Know the settings"),
        ("heading level 6", "Get help when needed"),
    ]


def test_setext_headings_and_paragraphs():
    assert by_comment("02-setext-headings.md") == [
        ("heading level 1", "Online safety basics"),
        ("paragraph", "A first paragraph under a setext heading."),
        ("heading level 2", "Talking with teenagers"),
        ("paragraph", "A second paragraph under a level two heading."),
    ]


def test_heading_attributes_are_not_in_the_message():
    assert msgids("03-heading-attributes.md") == [
        "Welcome to the guide",
        "Privacy settings explained",
        "A heading with a closing sequence",
        "Heading with *emphasis* and `code`",
        "Plain text after the headings.",
    ]


def test_paragraph_lines_are_joined():
    assert msgids("04-paragraphs.md") == [
        "Children go online to learn, play and keep in touch with friends.",
        "Most of what they find there is good for them, but some of it is not, and this paragraph is wrapped "
        "over several lines in the source.",
        "A third paragraph stands on its own line.",
    ]


def test_each_list_item_is_a_message():
    assert by_comment("18-tight-bullets.md") == [
        ("paragraph", "Things to check:"),
        ("list item", "Privacy settings"),
        ("list item", "Location sharing"),
        ("list item", "Who can message the child"),
        ("list item", "In-app purchases"),
    ]


def test_nested_list_items_are_separate_messages():
    assert by_comment("20-nested-lists.md") == [
        ("list item", "First level item one"),
        ("nested list item (level 2)", "Second level item A"),
        ("nested list item (level 3)", "Third level item alpha"),
        ("nested list item (level 3)", "Third level item beta"),
        ("nested list item (level 2)", "Second level item B"),
        ("list item", "First level item two"),
        ("nested list item (level 2)", "Numbered second level"),
        ("nested list item (level 2)", "Another numbered item"),
    ]


def test_every_paragraph_of_a_list_item_is_a_message():
    assert msgids("23-list-paragraphs.md") == [
        "Agree on screen time.",
        "Write the agreement down and put it on the fridge.",
        "Review it together.",
        "Change it as the child grows.",
        "Praise them when they keep to it.",
    ]


def test_each_table_cell_is_a_message():
    assert by_comment("25-pipe-table.md") == [
        ("table header cell", "Risk"),
        ("table header cell", "What it can look like"),
        ("table header cell", "What you can do"),
        ("table cell", "Content"),
        ("table cell", "A video that frightens a young child"),
        ("table cell", "Watch together"),
        ("table cell", "Contact"),
        ("table cell", "A stranger asking for a chat"),
        ("table cell", "Agree on rules"),
    ]


def test_table_cells_keep_inline_markup_and_escaped_pipes():
    assert msgids("55-table-inline-markup.md")[2:] == [
        "*Phishing*",
        "A fake message that asks for **passwords**",
        "Spam",
        "Unwanted messages ~~always~~ often sent in bulk",
        "Cookie",
        'A small file; see [cookies](https://example.org/cookies "About cookies")',
    ]
    ids = msgids("27-table-escaped-pipes.md")
    assert "Yes \\| No" in ids  # the escaped pipe stays escaped: unescaped, it would split the cell
    assert not any("a | b" in m or "a \\| b" in m for m in ids)  # a cell of code only is no message


def test_non_latin_table_cells():
    assert by_comment("45-chinese.md") == [
        ("heading level 1", "保护儿童上网安全"),
        ("paragraph", "孩子们上网学习、玩耍，并与朋友保持联系。"),
        ("table header cell", "风险"),
        ("table header cell", "应对"),
        ("table cell", "内容"),
        ("table cell", "一起观看"),
    ]


def test_figure_caption_alt_text_and_title():
    assert by_comment("12-figures.md") == [
        ("paragraph", "A figure follows."),
        ("figure caption", "A shield protecting a child at a computer"),
        ("image alt text", "A shield protecting a child at a computer"),
        ("image title", "Safe and confident online"),
        ("figure caption", "Padlock in the browser bar"),
        ("image alt text", "Padlock in the browser bar"),
        ("paragraph", "Text after the figures."),
    ]
    pot = pot_of("12-figures.md")
    caption = entry(pot, "A shield protecting a child at a computer")
    assert comment(caption) == "figure caption; image alt text"
    assert comment(entry(pot, "Safe and confident online")) == "image title"


def test_inline_images_stay_in_their_paragraph():
    assert msgids("11-images-inline.md") == [
        'Look for the padlock ![padlock icon](images/padlock.svg "Secure connection"){width=16px} in the '
        "address bar.",
        'Two icons ![shield](images/shield.svg) and ![lock](images/padlock.svg){.icon height=1em} sit in this '
        "sentence.",
    ]


def test_block_quote_paragraphs():
    assert by_comment("28-blockquote.md") == [
        ("block quote", "The best protection is a child who knows they can tell you anything."),
        ("block quote", "A second paragraph in the same quotation."),
    ]
    assert by_comment("29-nested-quote.md") == [
        ("block quote", "Outer quotation paragraph."),
        ("block quote", "Inner quotation paragraph."),
        ("list item", "A list in a quotation"),
        ("list item", "Another item in the quotation"),
    ]


def test_footnotes():
    assert by_comment("30-footnotes.md") == [
        ("paragraph", "Children learn quickly.[^a] Parents learn too.[^b]"),  # labels as the author named them
        ("footnote", "Research shows this in many countries."),
        ("footnote", "Short note about parents."),
        ("paragraph", "A second mention of the first note.[^a]"),
        ("footnote", "Research shows this in many countries."),
    ]
    pot = pot_of("30-footnotes.md")
    assert [e.msgid for e in pot.entries] == [
        "Children learn quickly.[^a] Parents learn too.[^b]",
        "Research shows this in many countries.",
        "Short note about parents.",
        "A second mention of the first note.[^a]",
    ]


def test_multi_paragraph_footnote():
    assert by_comment("31-footnote-multipara.md") == [
        ("paragraph", "This claim needs a long note.[^long]"),
        ("footnote", "The first paragraph of the note."),
        ("footnote", "The second paragraph of the same note, indented."),
        ("list item", "A list inside the note"),
    ]


def test_definition_terms_and_definitions():
    assert by_comment("33-definition-list.md") == [
        ("definition term", "Screen time"),
        ("definition", "The hours a child spends in front of a screen."),
        ("definition term", "Privacy settings"),
        ("definition", "Options that decide who can see posts."),
        ("definition", "A second definition of the same term."),
    ]
    assert by_comment("34-definition-loose.md") == [
        ("definition term", "Grooming"),
        ("definition", "When someone builds trust with a child in order to harm them."),
        ("definition", "A second paragraph explaining warning signs."),
        ("definition term", "Sexting"),
        ("definition", "Sending sexual messages or images."),
    ]


def test_front_matter_keys():
    assert by_comment("40-front-matter.md") == [
        ("front matter: title", "Keeping children safe online"),
        ("front matter: subtitle", "A short guide for parents"),
        ("front matter: description", "Practical advice to help children enjoy the internet safely."),
        ("front matter: keywords", "online safety"),
        ("front matter: keywords", "parenting"),
        ("front matter: keywords", "privacy"),
        ("paragraph", "Body text after the front matter."),
    ]
    assert not any("Author" in m for m in msgids("40-front-matter.md"))


def test_front_matter_markup_and_blocks():
    assert by_comment("41-front-matter-rich.md") == [
        ("front matter: title", "The *emphasised* title"),
        ("front matter: abstract", "First paragraph of the abstract."),
        ("front matter: abstract", "Second paragraph of the abstract."),
        ("front matter: toc-title", "Contents"),
        ("heading level 1", "A heading"),
        ("paragraph", "Body text."),
    ]


def test_fenced_div_paragraphs():
    assert msgids("35-fenced-div.md") == [
        "Never share your password with anyone.",
        "Not even with your best friend.",
        "A note with a bare class name.",
    ]


# --- what is not extracted ------------------------------------------------------------------------------


def test_code_blocks_are_not_extracted():
    assert msgids("38-code-blocks.md") == ["Before the code.", "After the code."]
    assert msgids("53-list-with-code.md") == ["Run the command:", "Then check the result."]


def test_raw_html_is_not_extracted():
    ids = msgids("39-raw-html.md")
    # the raw HTML block and the comment are no messages; the paragraph holding raw inlines is one message
    assert len(ids) == 2
    assert not any("Raw HTML block" in m or "banner" in m or "stays hidden" in m for m in ids)
    assert "A paragraph with " in ids[0] and "inline raw html" in ids[0] and " a break." in ids[0]
    assert ids[-1] == "Final paragraph."
    for path in SAMPLE_FILES:  # no message is raw HTML alone
        for u in units(path.name):
            assert not re.fullmatch(r"(`?<[^>]*>`?(\{=html\})?\s*)+", u.msgid), (path.name, u.msgid)


def test_urls_are_not_messages():
    assert msgids("66-bare-url-text.md") == ["See https://example.org/plain for details.", "Only a URL:"]
    for path in SAMPLE_FILES:
        for u in units(path.name):
            assert not re.fullmatch(r"<?(https?://|mailto:)\S+>?", u.msgid), (path.name, u.msgid)


def test_code_only_and_number_only_texts_are_not_messages():
    assert msgids("61-deflist-markup.md") == [
        "*Cyberbullying*",
        "Bullying that uses **digital** technology, see [the guide](https://example.org/bullying).",
        "A second check when you sign in.",
    ]
    assert "13" not in msgids("62-mixed-document.md")


def test_translate_no():
    assert msgids("37-div-notranslate.md") == ["This paragraph is translated."]
    assert msgids("64-heading-notranslate.md") == ["Translated heading", "Body text."]


# --- inline markup stays Markdown -----------------------------------------------------------------------


@pytest.mark.parametrize("name, expected", [
    ("05-emphasis-strong.md", [
        "Use *emphasis* for a word, _underscore emphasis_ for another and **strong text** for a warning.",
        "Combine them: ***both at once***, **strong with *emphasis* inside** and *emphasis with **strong** "
        "inside*.",
        "Intra-word emphasis works with stars: un*frigging*believable.",
    ]),
    ("06-strikeout-sub-sup.md", [
        "The old advice was ~~never go online~~ to stay offline; the new advice is to go online together.",
        "Water is H~2~O and the area is 10 m^2^ in this example.",
        "Footnote-like superscripts such as 2^nd^ edition and x~i~ subscripts are inline markup.",
    ]),
    ("07-inline-code.md", [
        "Type `settings` in the search box, then choose `Privacy`.",
        "A code span with a pipe `a | b` and one with backticks ``use `tick` here`` stay verbatim.",
        "Code with attributes `print()`{.python} keeps its class.",
    ]),
    ("08-links.md", [
        'Visit the [help pages](https://www.example.org/help "Help for families") of your national helpline.',
        "A link without a title goes to [the charter](https://www.example.org/charter).",
        'A link with attributes: [report abuse](https://report.example.org){.button target="_blank"}.',
        'A relative link points to [the next chapter](chapter-2.md#start "Chapter two").',
    ]),
    ("09-reference-links.md", [
        "Read the [safety charter][charter] and the [family guide][] before you start.",
        "Collapsed and shortcut forms: [Family Guide] and [charter][].",
    ]),
    ("10-autolinks.md", [
        "Write to <help@example.org> or open <https://www.example.org/report> for advice.",
        "The address <https://example.org/a_b?c=d&e=f> contains underscores and an ampersand.",
    ]),
    ("13-escapes.md", [
        "Stars are written \\*like this\\* and underscores \\_like this\\_ without emphasis.",
        "A pipe \\| a bracket \\[not a link\\] and a backslash \\\\ are escaped.",
        "Hash \\# and backtick \\` and greater \\> are plain characters too.",
    ]),
    ("14-entities.md", [
        "Copyright &copy; 2026 by the authors &amp; partners.",
        "Numeric entities: &#169; and &#x2014; and a non-breaking&nbsp;space.",
        "Less-than &lt;tag&gt; is shown as text.",
    ]),
    ("16-smart-quotes.md", [
        "\"Double quotes\" become curly, and so do 'single quotes'.",
        "It's the child's right to privacy; don't forget the parents' role.",
        "An ellipsis... and dashes -- en and --- em are typographic.",
    ]),
    ("17-math.md", [
        "Inline math $x^2 + y^2 = z^2$ sits in the sentence.",
        "A display formula:",
        "The cost is \\$5 and not math.",
    ]),
    ("42-spans.md", [
        "This is [a highlighted phrase]{.highlight} in a sentence.",
        "A span with an id [goes here]{#marker lang=fr} and [another]{.smallcaps}.",
    ]),
    ("48-number-period.md", [
        "The year was important.",
        "2026\\. A paragraph starting with a year and a period.",
        "1986 was when it began; this line starts with a number without a period.",
    ]),
    ("50-hash-in-text.md", [
        "Use the hashtag #StaySafe in your posts.",  # as typed: pandoc's writer escaped '#', '<' and '>'
        "Channel C# and issue #42 mention the hash in text.",
        "A line with 5 < 6 and 7 > 3 comparisons, plus a lone < sign.",
    ]),
    ("75-list-starting-paragraph-number.md", [
        "1984\\. A list item starting with a year.",
        "\\# Not a heading inside a list item.",
        "\\+ Not a nested bullet.",
    ]),
    ("74-heading-inline-rich.md", [
        "Read the [charter](https://example.org/charter) ~~today~~ **now**",
        "H~2~O and E=mc^2^",
    ]),
    ("44-arabic.md", [
        "حماية الأطفال على الإنترنت",
        "يذهب الأطفال إلى الإنترنت للتعلم واللعب والتواصل مع أصدقائهم.",
        "تحدث مع طفلك",
        "راجع إعدادات الخصوصية",
    ]),
    ("47-emoji.md", [
        "Stay safe 😊 and have fun online 🎮!",
        "Emoji shortcodes :smile: and :heart: are converted.",
        "A 👍 thumbs up for everyone.",
    ]),
])
def test_inline_markup_is_kept_as_markdown(name: str, expected: list[str]):
    assert msgids(name) == expected


def test_msgid_is_one_line_for_soft_breaks():
    ids = msgids("04-paragraphs.md") + msgids("76-long-wrapped-paragraph.md")
    assert all("\n" not in msgid for msgid in ids) and any(len(msgid) > 300 for msgid in ids)
    # a link title that runs over lines would change if its line were joined: that message keeps its lines
    ids = msgids("52-long-paragraph.md")
    assert len(ids) == 1
    assert ids[0].startswith("This is a long paragraph that wraps over many lines in the source file so that")
    assert "**strong text that also\nwraps across a line break**" in ids[0]
    assert '"A title that\nwraps too"' in ids[0]


# --- references -----------------------------------------------------------------------------------------


REFERENCES = [
    ("01-atx-headings.md", "Get help when needed", 11),
    ("02-setext-headings.md", "Online safety basics", 1),
    ("02-setext-headings.md", "Talking with teenagers", 6),
    ("02-setext-headings.md", "A second paragraph under a level two heading.", 9),
    ("20-nested-lists.md", "Third level item beta", 4),
    ("20-nested-lists.md", "Another numbered item", 8),
    ("23-list-paragraphs.md", "Praise them when they keep to it.", 9),
    ("25-pipe-table.md", "Risk", 1),
    ("25-pipe-table.md", "What you can do", 1),
    ("25-pipe-table.md", "Content", 3),
    ("25-pipe-table.md", "Agree on rules", 4),
    ("30-footnotes.md", "Research shows this in many countries.", 5),
    ("30-footnotes.md", "Short note about parents.", 7),
    ("30-footnotes.md", "A second mention of the first note.[^a]", 3),
    ("33-definition-list.md", "A second definition of the same term.", 6),
    ("34-definition-loose.md", "A second paragraph explaining warning signs.", 5),
    ("34-definition-loose.md", "Sexting", 7),
    ("38-code-blocks.md", "After the code.", 14),
    ("40-front-matter.md", "Keeping children safe online", 2),
    ("40-front-matter.md", "privacy", 8),
    ("40-front-matter.md", "Body text after the front matter.", 12),
    ("43-horizontal-rules.md", "Below the rules.", 11),
    ("60-ordered-nested-start.md", "Another deep bullet", 5),
    ("62-mixed-document.md", "Apps change quickly.", 18),
    ("67-table-in-context-div.md", "Camera", 9),
    # the line a block starts on, even when a longer word of it is on a later line or in the block before
    ("04-paragraphs.md", "A third paragraph stands on its own line.", 7),
    ("15-hard-breaks.md", "Roses are red,\\\nviolets are blue,\\\nstay safe online.", 1),
    ("31-footnote-multipara.md", "The second paragraph of the same note, indented.", 5),
    ("57-alerts.md", "Warning", 4),
]


@pytest.mark.parametrize("name, msgid, line", REFERENCES, ids=[f"{n[:-3]}:{line}" for n, _, line in REFERENCES])
def test_reference_names_file_and_line(name: str, msgid: str, line: int):
    pot = pot_of(name)
    found = [e for e in pot.entries if e.msgid == msgid]
    assert found, f"no message {msgid!r}; have {[e.msgid for e in pot.entries]}"
    assert (name, str(line)) in occurrences(found[0]), found[0].references


def test_reference_lines_in_pot_text():
    text = po.dumps(pot_of("25-pipe-table.md"))
    assert "#. table cell\n#: 25-pipe-table.md:4\nmsgid \"A stranger asking for a chat\"\n" in text


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=SAMPLE_IDS)
def test_every_entry_has_comment_and_reference(path: Path):
    pot = pot_of(path.name)
    assert len(pot.entries) > 0
    nlines = len(path.read_text(encoding="utf-8").splitlines())
    for e in pot.entries:
        assert e.msgid.strip() == e.msgid and e.msgid
        assert comment(e), e.msgid
        for part in comment(e).split("; "):
            assert KNOWN_COMMENTS.match(part), part
        assert e.references
        for file, line in occurrences(e):
            assert file == path.name
            assert 1 <= int(line) <= nlines


def test_identical_texts_merge_into_one_entry():
    pot = pot_of("56-duplicate-texts.md")
    assert [e.msgid for e in pot.entries] == ["Summary", "Keep talking."]
    keep = entry(pot, "Keep talking.")
    assert occurrences(keep) == [("56-duplicate-texts.md", "3"), ("56-duplicate-texts.md", "7"),
                                ("56-duplicate-texts.md", "9")]
    assert comment(keep) == "paragraph; list item"
    summary = entry(pot, "Summary")
    assert occurrences(summary) == [("56-duplicate-texts.md", "1"), ("56-duplicate-texts.md", "5")]
    assert comment(summary) == "heading level 1; heading level 2"
    text = po.dumps(pot)
    assert text.count('msgid "Keep talking."') == 1
    assert "#: 56-duplicate-texts.md:3 56-duplicate-texts.md:7 56-duplicate-texts.md:9\n" in text


def test_identical_texts_in_several_files_merge(tmp_path: Path):
    (tmp_path / "a.md").write_text("# Summary\n\nKeep talking.\n", encoding="utf-8")
    (tmp_path / "b.md").write_text("Intro.\n\nKeep talking.\n", encoding="utf-8")
    sources = [read_source(tmp_path / n, root=tmp_path, cache_dir=None) for n in ("a.md", "b.md")]
    pot = extract.template_catalog("test", [(s.path, u) for s in sources for u in s.units])
    assert occurrences(entry(pot, "Keep talking.")) == [("a.md", "3"), ("b.md", "3")]
    assert [e.msgid for e in pot.entries] == ["Summary", "Keep talking.", "Intro."]


# --- msgctxt --------------------------------------------------------------------------------------------


def test_i18n_context_gives_msgctxt():
    pot = pot_of("36-div-context.md")
    assert [(e.msgctxt, e.msgid) for e in pot.entries] == [("button", "Open"), ("adjective", "Open"), (None, "Open")]
    text = po.dumps(pot)
    assert 'msgctxt "button"\nmsgid "Open"' in text
    assert 'msgctxt "adjective"\nmsgid "Open"' in text


def test_i18n_context_is_inherited_by_nested_blocks():
    assert [(u.context, u.msgid) for u in units("63-div-nested.md")] == [
        (None, "Outer paragraph in a box."), ("sidebar", "Inner paragraph with a context.")]
    pot = pot_of("67-table-in-context-div.md")
    assert [(e.msgctxt, e.msgid) for e in pot.entries] == [
        ("settings-table", "Setting"), ("settings-table", "Value"), ("settings-table", "Location"),
        ("settings-table", "Off"), (None, "Setting"), (None, "Value"), (None, "Camera"), (None, "On")]


# --- stable output --------------------------------------------------------------------------------------


def test_extracting_twice_gives_identical_text(fixed_time):
    first = po.dumps(pot_of("62-mixed-document.md"))
    second = po.dumps(pot_of("62-mixed-document.md"))
    assert first == second
    assert '"POT-Creation-Date: 2023-11-14 22:13+0000\\n"' in first


PROJECT = """\
project:
  name: Test Project
  edition: "2026"
  source-language: en
languages:
  - code: en
    fonts: [Noto Serif]
  - code: fr
    fonts: [Noto Serif]
documents:
  - id: guide
    audience: Parents and carers
    kind: guide
    title: Keeping children safe online
    sources: [sources/guide.md]
"""


def _project(tmp_path: Path) -> config.Project:
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "guide.md").write_text("# Start here\n\nKeep talking.\n\n- One thing\n",
                                                   encoding="utf-8")
    (tmp_path / "cop-docs.yaml").write_text(PROJECT, encoding="utf-8")
    return config.load(tmp_path / "cop-docs.yaml")


def test_pot_creation_date_moves_only_when_messages_change(tmp_path: Path, monkeypatch):
    project = _project(tmp_path)
    doc = project.document("guide")
    pot_path = project.pot_path(doc)

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert sync.extract_templates(project, [doc])[0].changed
    first = pot_path.read_bytes()
    assert b'"POT-Creation-Date: 2023-11-14 22:13+0000\\n"' in first

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")  # later: nothing changed, nothing written
    assert not sync.extract_templates(project, [doc])[0].changed
    assert pot_path.read_bytes() == first

    (tmp_path / "sources" / "guide.md").write_text("# Start here\n\nKeep talking, often.\n\n- One thing\n",
                                                   encoding="utf-8")
    assert sync.extract_templates(project, [doc])[0].changed
    third = pot_path.read_text(encoding="utf-8")
    assert '"POT-Creation-Date: 2027-01-15 08:00+0000\\n"' in third
    assert 'msgid "Keep talking, often."' in third
    assert 'msgid "Keep talking."' not in third


def test_template_from_project(tmp_path: Path, fixed_time):
    project = _project(tmp_path)
    doc = project.document("guide")
    pot = extract.template(project, doc, sources.load(project, doc))[0]
    assert pot.metadata["Project-Id-Version"] == "Test Project 2026 guide"
    title = entry(pot, "Keeping children safe online")
    assert occurrences(title) == [("cop-docs.yaml", "14")]
    assert occurrences(entry(pot, "Keep talking.")) == [("sources/guide.md", "3")]
    assert comment(entry(pot, "One thing")) == "list item"


# --- gettext accepts what we write ----------------------------------------------------------------------


def test_msgfmt_accepts_pot_of_every_sample(tmp_path: Path, fixed_time):
    all_units = []
    for path in SAMPLE_FILES:
        source = _source(path.name)
        all_units += [(source.path, u) for u in source.units]
    pot = extract.template_catalog("all samples", all_units)
    assert len(pot.entries) > 250
    out = tmp_path / "all.pot"
    out.write_text(po.dumps(pot), encoding="utf-8")
    result = msgfmt_check(out)
    assert result.returncode == 0, result.stderr
    # and with every message translated (msgstr == msgid), as a PO file
    for e in pot.entries:
        e.msgstr = e.msgid
    pot.set_metadata({**pot.metadata, "Language": "fr", "Plural-Forms": "nplurals=2; plural=(n > 1);"})
    translated = tmp_path / "all.po"
    translated.write_text(po.dumps(pot), encoding="utf-8")
    result = msgfmt_check(translated)
    assert result.returncode == 0, result.stderr
    assert polib.pofile(str(translated)).percent_translated() == 100


def test_pot_text_reads_back_identically(fixed_time):
    pot = pot_of("76-long-wrapped-paragraph.md")
    text = po.dumps(pot)
    assert text.count("\n") > 10  # a long message is wrapped into continuation lines
    assert max(len(line) for line in text.splitlines()) <= 79
    assert polib.pofile(text)[0].msgid.startswith("Parents and carers often ask how much time online is too much.")
    pot = pot_of("52-long-paragraph.md")  # a link title with a line break in it: a msgid with a newline
    text = po.dumps(pot)
    again = polib.pofile(text)  # another reader reads it as we wrote it
    assert [(e.msgctxt, e.msgid, e.comment, e.occurrences) for e in again] == \
           [(e.msgctxt, e.msgid, comment(e), occurrences(e)) for e in pot.entries]
    assert po.loads(text).content() == pot.content()


def test_md2pot_command(tmp_path: Path):
    src = tmp_path / "guide.md"
    src.write_bytes((SAMPLES / "62-mixed-document.md").read_bytes())
    result = run_cli("md2pot", "guide.md", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert '#: guide.md:5\nmsgid "Introduction"' in result.stdout
    assert 'msgid "Children use *many* apps.[^1]"' in result.stdout
    assert '"POT-Creation-Date: 2023-11-14 22:13+0000\\n"' in result.stdout

    result = run_cli("md2pot", "guide.md", "-o", "guide.pot", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    pot_path = tmp_path / "guide.pot"
    first = pot_path.read_bytes()
    assert first.decode("utf-8") == run_cli("md2pot", "guide.md", cwd=tmp_path).stdout
    check = msgfmt_check(pot_path)
    assert check.returncode == 0, check.stderr

    # nothing changed: a later run leaves the file (and its date) alone
    result = run_cli("md2pot", "guide.md", "-o", "guide.pot", cwd=tmp_path, env={"SOURCE_DATE_EPOCH": "1800000000"})
    assert result.returncode == 0, result.stderr
    assert pot_path.read_bytes() == first


def test_md2pot_missing_file_is_a_user_error(tmp_path: Path):
    result = run_cli("md2pot", "missing.md", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("cop-docs: error: missing.md")
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


PO2MD_SOURCE = """\
---
title: Keeping children safe online
---

# Why this guide matters

Children go online to learn, play and keep in touch with friends.

- Check the privacy settings
- Talk about **strangers**

| Risk | Action |
|------|--------|
| Content | Watch together |
"""


def test_po2md_command(tmp_path: Path):
    (tmp_path / "guide.md").write_text(PO2MD_SOURCE, encoding="utf-8")
    catalog = polib.POFile()  # written by another tool
    catalog.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "fr"}
    catalog.append(polib.POEntry(msgid="Keeping children safe online", msgstr="Protéger les enfants en ligne"))
    catalog.append(polib.POEntry(msgid="Why this guide matters", msgstr="Pourquoi ce guide est important"))
    catalog.append(polib.POEntry(msgid="Talk about **strangers**", msgstr="Parlez des **inconnus**"))
    catalog.append(polib.POEntry(msgid="Watch together", msgstr="Regardez ensemble"))
    catalog.append(polib.POEntry(msgid="Check the privacy settings", msgstr="Vérifiez (à revoir)", flags=["fuzzy"]))
    catalog.append(polib.POEntry(msgid="Risk", msgstr="Risque (ancien)", obsolete=True))
    catalog.save(str(tmp_path / "fr.po"))

    result = run_cli("po2md", "guide.md", "fr.po", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "title: Protéger les enfants en ligne" in out
    assert re.search(r"^# Pourquoi ce guide est important", out, re.MULTILINE)
    assert "- Parlez des **inconnus**" in out
    assert "Regardez ensemble" in out
    # untranslated, fuzzy and obsolete: the source text
    assert "Children go online to learn, play and keep in touch with friends." in out
    assert "- Check the privacy settings" in out
    assert "Vérifiez" not in out
    assert "Risque" not in out and "Risk" in out
    assert "Why this guide matters" not in out

    result = run_cli("po2md", "guide.md", "fr.po", "-o", "guide.fr.md", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "guide.fr.md").read_text(encoding="utf-8") == out
    # the output is Markdown that extracts again, to the translated messages
    again = read_source(tmp_path / "guide.fr.md", root=tmp_path, cache_dir=None)
    assert [u.msgid for u in again.units] == [
        "Protéger les enfants en ligne", "Pourquoi ce guide est important",
        "Children go online to learn, play and keep in touch with friends.", "Check the privacy settings",
        "Parlez des **inconnus**", "Risk", "Action", "Content", "Regardez ensemble"]


def test_templates_are_written_as_gnu_gettext_writes_them(tmp_path: Path):
    """Long references, comments, contexts and multi-line msgids all occur in the samples: msgcat, which wraps as
    xgettext and msgmerge do, leaves the text as it is, and polib reads it as we wrote it."""
    units = []
    for path in sorted(SAMPLES.glob("*.md")):
        source = read_source(path, root=SAMPLES)
        units += [(source.path, u) for u in source.units]
    text = extract.template_text("All samples", units)
    path = tmp_path / "all.pot"
    path.write_text(text, encoding="utf-8")
    again = subprocess.run(["msgcat", str(path)], capture_output=True, text=True, check=True).stdout
    assert again == text
    template = extract.template_catalog("All samples", units)
    assert [(e.msgctxt, e.msgid, e.comment, e.occurrences) for e in polib.pofile(text)] == \
           [(e.msgctxt, e.msgid, comment(e), occurrences(e)) for e in template.entries]
    assert any(len(e.references) > 3 for e in template.entries)


def test_wrapped_entries_are_remembered_and_give_the_same_text(tmp_path: Path):
    """Writing a template again wraps only the entries that changed; the text is what msgcat writes of the whole."""
    template = pot_of("62-mixed-document.md")
    path, memo_path = tmp_path / "t.pot", tmp_path / "memo.json"
    assert pofiles.write_template(path, template, memo_path)
    assert path.read_text(encoding="utf-8") == po.dumps(template)
    memo = json.loads(memo_path.read_text(encoding="utf-8"))["data"]  # kept under the tool's version
    assert len(memo) == len(template.entries) + 1  # and the header
    template.entries[3].msgid += " A sentence added to the message, long enough to be wrapped over two lines."
    calls = []
    real = po.gnu_format
    po.gnu_format = lambda text, path=None: calls.append(text) or real(text, path)
    try:
        assert pofiles.write_template(path, template, memo_path)
    finally:
        po.gnu_format = real
    assert len(calls) == 1 and calls[0].count("\nmsgid ") == 1  # one call, for the changed entry only
    assert path.read_text(encoding="utf-8") == po.dumps(template)
    assert not pofiles.write_template(path, template, memo_path)  # nothing changed: nothing written
    assert json.loads(memo_path.read_text(encoding="utf-8"))["data"] == memo  # the base is not rewritten for one
    assert {text for _, text in po.blocks(template)} <= set(pofiles.WrapMemo(memo_path).texts)


def test_the_wrapping_memo_forgets_what_no_entry_uses_when_its_base_is_rewritten(tmp_path: Path):
    template = pot_of("62-mixed-document.md")
    path, memo_path = tmp_path / "t.pot", tmp_path / "memo.json"
    pofiles.write_template(path, template, memo_path)
    first = set(pofiles.WrapMemo(memo_path).texts)
    for entry in template.entries:  # every message edited: the new texts outgrow the base
        entry.msgid += " (edited)"
    assert pofiles.write_template(path, template, memo_path)
    assert path.read_text(encoding="utf-8") == po.dumps(template)
    kept = json.loads(memo_path.read_text(encoding="utf-8"))["data"]
    assert set(kept) == {text for _, text in po.blocks(template)} and not set(kept) & (first - set(kept))
    assert not memo_path.with_name("memo.recent.json").exists()
