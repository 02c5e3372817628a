"""The round-trip law, and what a translation may not change.

The law (see notes/codebase.md): translate every unit of a master file by itself (msgstr == msgid), apply the
table with ``localize`` and render HTML; the result must equal pandoc's own HTML of the master file. It is
checked on every sample in ``tests/samples`` and on small targeted constructs.

The structural tests translate every message with a prefix ("ZZ ") and check that the block structure
(list tightness, ordered-list start numbers and delimiters, table cells, figure and image attributes, link
targets and titles) is the master's.
"""

from __future__ import annotations

import copy
import functools
import json
import re
from pathlib import Path

import pypandoc
import pytest
from conftest import SAMPLES

from cop_docs import pandoc
from cop_docs.localization import localize
from cop_docs.sources import SourceFile, read_source

SAMPLE_FILES = sorted(SAMPLES.glob("*.md"))
SAMPLE_IDS = [p.stem for p in SAMPLE_FILES]


# --- helpers ---------------------------------------------------------------------------------------------


def html_of_ast(doc: dict) -> str:
    return pypandoc.convert_text(json.dumps(doc), "html5", format="json", extra_args=["--wrap=none"],
                                 verify_format=False)


def html_of_markdown(text: str) -> str:
    return pypandoc.convert_text(text, "html5", format=pandoc.SOURCE_FORMAT, extra_args=["--wrap=none"],
                                 verify_format=False)


@functools.cache
def _sample_source(name: str) -> SourceFile:
    # Cached per module run: one read_source (two pandoc calls) per sample. localize() works on a deep copy.
    return read_source(SAMPLES / name, root=SAMPLES, cache_dir=None)


def sample(name: str) -> SourceFile:
    return _sample_source(name)


def identity(source: SourceFile) -> dict:
    return {(u.context, u.msgid): u.msgid for u in source.units}


def prefixed(source: SourceFile, prefix: str = "ZZ ") -> dict:
    return {(u.context, u.msgid): prefix + u.msgid for u in source.units}


def roundtrip(path: Path, root: Path) -> tuple[str, str, SourceFile, dict]:
    source = read_source(path, root=root, cache_dir=None)
    localized = localize([source], identity(source))
    return html_of_ast(localized), html_of_markdown(path.read_text(encoding="utf-8")), source, localized


def walk(node):
    """Every dict node of a JSON AST, depth first, in document order."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk(value)


_TEXT_NODES = {"Str", "Space", "SoftBreak", "LineBreak"}


def skeleton(node):
    """The AST without its prose: block structure, attributes, link targets and titles, code, math.

    Image titles are left out: a figure's image title is a message of its own (translated text).
    """
    if isinstance(node, list):
        return [s for s in (skeleton(n) for n in node) if s is not None]
    if isinstance(node, dict):
        t = node.get("t")
        if t in _TEXT_NODES:
            return None
        if t == "MetaString":
            return t
        if t == "Image":
            attr, alt, (url, _title) = node["c"]
            return ["Image", attr, url, skeleton(alt)]
        if t is None:
            return {k: skeleton(v) for k, v in node.items()}
        return [t, skeleton(node.get("c"))]
    return node


def stringify(inlines) -> str:
    out = []
    for node in walk(inlines):
        if node.get("t") == "Str":
            out.append(node["c"])
        elif node.get("t") in ("Space", "SoftBreak"):
            out.append(" ")
    return "".join(out)


def table_cells(doc: dict) -> list[list]:
    """The block content of every cell of every table, head, bodies and foot, in order."""
    cells = []
    for node in walk(doc["blocks"]):
        if node.get("t") != "Table":
            continue
        _attr, _caption, _specs, head, bodies, foot = node["c"]
        rows = list(head[1])
        for body in bodies:
            rows += body[2] + body[3]
        rows += foot[1]
        for _row_attr, row_cells in rows:
            cells += [cell[4] for cell in row_cells]
    return cells


def lists(doc: dict) -> list[dict]:
    return [n for n in walk(doc["blocks"]) if n.get("t") in ("BulletList", "OrderedList")]


def items_of(lst: dict) -> list[list]:
    return lst["c"] if lst["t"] == "BulletList" else lst["c"][1]


# --- the law over every sample --------------------------------------------------------------------------


def test_there_are_many_samples():
    assert len(SAMPLE_FILES) >= 60


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=SAMPLE_IDS)
def test_roundtrip_law_on_sample(path: Path, tmp_path: Path):
    copy_ = tmp_path / path.name
    copy_.write_bytes(path.read_bytes())
    localized_html, master_html, source, localized = roundtrip(copy_, tmp_path)
    assert source.units, "a sample without any message tests nothing"
    assert localized_html == master_html
    # the front matter goes through the same messages: with msgstr == msgid it must not change either
    assert localized["meta"] == source.doc["meta"]


# --- the law on targeted constructs ---------------------------------------------------------------------

CONSTRUCTS = {
    "emphasis-strong": "Some *emph*, _underscore_, **strong**, __also strong__ and ***both*** here.\n",
    "strikeout-sub-sup": "The ~~old~~ advice, H~2~O and 10 m^2^ together.\n",
    "inline-code": "Type `settings` then ``a `tick` here`` and `print()`{.python} now.\n",
    "inline-code-with-pipe": "Use `a | b` to choose.\n",
    "link-with-title": 'A [help page](https://e.org/help "Help for families") here.\n',
    "link-with-single-quoted-title": "A [help page](https://e.org/help 'Help for families') here.\n",
    "link-title-with-double-quotes": "A [help page](https://e.org/q 'He said \"hi\" to us') here.\n",
    "link-with-attributes": 'A [report link](https://e.org/r){.button #r1 target="_blank"} here.\n',
    "reference-links": "Read the [charter][c] and [Family Guide].\n\n[c]: https://e.org/c \"The charter\"\n"
                       "[family guide]: https://e.org/f\n",
    "autolinks": "Write to <help@example.org> or open <https://e.org/a_b?c=d&e=f> now.\n",
    "inline-image-attributes": 'Look for ![the padlock](p.svg "Secure"){width=16px .icon} in the bar.\n',
    "figure-with-title-and-width": '![A shield for a child](s.svg "Safe online"){width=50% #fig-s}\n',
    "linked-image": '[![Shield logo](s.svg){width=32}](https://e.org "Home page")\n',
    "escaped-characters": "Stars \\*x\\*, under \\_y\\_, pipe \\| and \\[brackets\\] and \\\\ and \\# and \\`.\n",
    "entities": "Copyright &copy; 2026 &amp; partners, &lt;tag&gt;, &#x2014; and non&nbsp;breaking.\n",
    "hard-break-backslash": "Roses are red,\\\nviolets are blue.\n",
    "hard-break-spaces": "Roses are red,  \nviolets are blue.\n",
    "smart-quotes-apostrophes": "\"Double\" and 'single', it's the child's, the '90s... -- and ---.\n",
    "math": "Inline $x^2 + y^2$ and display $$E = mc^2$$ and \\$5 money.\n",
    "bracketed-spans": "A [highlighted phrase]{.highlight} and [a French one]{lang=fr #m}.\n",
    "emoji": "Stay safe 😊 and :smile: and :heart: online 🎮.\n",
    "number-period-paragraph": "2026\\. A paragraph starting with a year.\n",
    "paragraph-after-list-marker-lookalike": "Intro text.\n\n1986 was the year, said the book.\n",
    "plus-line-in-paragraph": "A paragraph line\n\\+ continued with a plus sign.\n",
    "hash-inside-text": "Use #StaySafe and C# and issue #42.\n",
    "less-than-signs": "Compare 5 < 6 and a<b and \\<Enter\\>.\n",
    "paragraph-starting-with-colon": "| Fruit |\n|-------|\n| Apple |\n\n: Fruit in a table\n",
    "raw-html-inline": "A paragraph with <span class=\"hint\">inline raw html</span> and <br> a break.\n",
    "raw-html-block": "<div class=\"banner\">\n<p>Raw block.</p>\n</div>\n\nA paragraph.\n",
    "footnote": "Children learn quickly.[^1]\n\n[^1]: Research shows this.\n",
    "footnote-reused": "First mention.[^n] Second mention.[^n]\n\n[^n]: The shared note.\n",
    "footnotes-several": "One.[^a] Two.[^b]\n\nThree.[^c]\n\n[^a]: Note a.\n[^b]: Note b.\n[^c]: Note c.\n",
    "footnote-multi-paragraph": "A claim.[^long]\n\n[^long]: First paragraph.\n\n    Second paragraph.\n",
    "tight-nested-three-levels": "- First level\n  - Second level\n    - Third level\n- Back to one\n",
    "ordered-start-3": "3. Open the settings.\n4. Choose privacy.\n",
    "ordered-paren": "1) Talk about it.\n2) Agree on rules.\n",
    "ordered-paren-start-4": "4) Fourth point.\n5) Fifth point.\n",
    "loose-list": "- Loose one.\n\n- Loose two.\n",
    "list-several-paragraphs": "1. Agree on time.\n\n   Write it down.\n\n2. Review it.\n",
    "task-list": "- [ ] Check the settings\n- [x] Turn off sharing\n",
    "pipe-table-alignment": "| Left | Centre | Right |\n|:-----|:------:|------:|\n| Apples | Bananas | Cherries |\n",
    "table-escaped-pipe": "| A | B |\n|---|---|\n| Yes \\| No | `p \\| q` |\n",
    "block-quote-nested": "> Outer paragraph.\n>\n> Second paragraph.\n>\n> > Inner quote.\n>\n> - A list item\n",
    "definition-list-loose": "Grooming\n\n:   Building trust to harm.\n\n    More about it.\n\n:   Second definition.\n",
    "definition-list-tight": "Term one\n:   Definition one.\n\nTerm two\n:   Definition two.\n",
    "fenced-div-attributes": '::: {.warning #caution data-kind="alert"}\nNever share passwords.\n:::\n',
    "front-matter": "---\ntitle: The *main* title\nsubtitle: A subtitle\ndescription: A description.\n"
                    "keywords:\n  - online safety\n  - privacy\n---\n\nBody text.\n",
    "headings-atx-setext-attributes": "# Title {#t .c key=v}\n\nSetext title\n------------\n\n### Closed ###\n",
    "horizontal-rules": "Above.\n\n---\n\nBelow.\n\n***\n",
    "code-blocks": "Before.\n\n```python\nprint('x')\n```\n\n    indented code\n\nAfter.\n",
    "alert": "> [!TIP]\n> A helpful tip.\n",
    "arabic": "# حماية الأطفال\n\nيذهب الأطفال إلى الإنترنت للتعلم.\n",
    "chinese": "# 保护儿童\n\n孩子们上网学习、玩耍。\n",
    "russian": "# Защита детей\n\nДети выходят в интернет — учиться.\n",
}


@pytest.mark.parametrize("name", sorted(CONSTRUCTS))
def test_roundtrip_law_on_construct(name: str, tmp_path: Path):
    path = tmp_path / f"{name}.md"
    path.write_text(CONSTRUCTS[name], encoding="utf-8")
    localized_html, master_html, source, localized = roundtrip(path, tmp_path)
    assert localized_html == master_html
    assert localized["meta"] == source.doc["meta"]


# --- structure under real (different) translations ------------------------------------------------------


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=SAMPLE_IDS)
def test_translation_keeps_structure(path: Path):
    """Every message changed: block structure, attributes, targets, code and math stay the master's."""
    source = sample(path.name)
    localized = localize([source], prefixed(source))
    assert skeleton(localized["blocks"]) == skeleton(source.doc["blocks"])
    assert skeleton(localized["meta"]) == skeleton(source.doc["meta"])
    # and the translation is really there: every translated block carries the prefix
    text = json.dumps(localized, ensure_ascii=False)
    assert text.count('"ZZ"') >= 1


def test_translation_is_not_applied_to_master_ast():
    source = sample("25-pipe-table.md")
    before = copy.deepcopy(source.doc)
    localize([source], prefixed(source))
    assert source.doc == before


@pytest.mark.parametrize("name", ["18-tight-bullets.md", "20-nested-lists.md", "60-ordered-nested-start.md",
                                  "21-ordered-start.md", "24-task-list.md"])
def test_tight_lists_stay_tight(name: str):
    source = sample(name)
    localized = localize([source], prefixed(source))
    found = lists(localized)
    assert found
    for lst in found:
        for item in items_of(lst):
            kinds = {b["t"] for b in item} - {"BulletList", "OrderedList"}
            assert kinds == {"Plain"}, f"tight list item became {kinds}"
    html = html_of_ast(localized)
    assert "<li><p>" not in html
    assert "<li>ZZ " in html


def test_nested_lists_keep_three_levels():
    source = sample("20-nested-lists.md")
    localized = localize([source], prefixed(source))

    def depth(block, level=0):
        best = level
        for node in walk(block.get("c")):
            if node.get("t") in ("BulletList", "OrderedList"):
                best = max(best, depth(node, level + 1))
                break
        return best

    outer = localized["blocks"][0]
    assert outer["t"] == "BulletList"
    assert depth(outer, 1) == 3
    html = html_of_ast(localized)
    # level 3 items, translated, are inside the level 2 list inside the level 1 list
    assert re.search(r"<ul>\s*<li>ZZ First level item one\s*<ul>\s*<li>ZZ Second level item A\s*<ul>\s*"
                     r"<li>ZZ Third level item alpha</li>", html), html


@pytest.mark.parametrize("name", ["19-loose-bullets.md", "23-list-paragraphs.md", "69-ordered-loose-nested-start.md"])
def test_loose_lists_stay_loose(name: str):
    source = sample(name)
    localized = localize([source], prefixed(source))
    outer = lists(localized)[0]
    for item in items_of(outer):
        assert item[0]["t"] == "Para"


@pytest.mark.parametrize("name, expected", [
    ("21-ordered-start.md", [(3, "Decimal", "Period")]),
    ("22-ordered-paren.md", [(1, "Decimal", "OneParen"), (7, "Decimal", "OneParen")]),
    ("60-ordered-nested-start.md", [(5, "Decimal", "Period"), (1, "Decimal", "Period")]),
    ("69-ordered-loose-nested-start.md", [(9, "Decimal", "Period"), (3, "Decimal", "Period")]),
])
def test_ordered_list_start_and_delimiter_kept(name: str, expected: list):
    source = sample(name)
    localized = localize([source], prefixed(source))
    got = [(n["c"][0][0], n["c"][0][1]["t"], n["c"][0][2]["t"]) for n in lists(localized) if n["t"] == "OrderedList"]
    assert got == expected
    html = html_of_ast(localized)
    for start, _, _ in expected:
        if start != 1:
            assert f'<ol start="{start}"' in html


TABLE_SAMPLES = ["25-pipe-table.md", "26-table-alignment.md", "27-table-escaped-pipes.md", "45-chinese.md",
                 "55-table-inline-markup.md", "62-mixed-document.md", "67-table-in-context-div.md",
                 "71-footnote-in-list-and-table.md"]


@pytest.mark.parametrize("name", TABLE_SAMPLES)
def test_every_table_cell_survives(name: str):
    source = sample(name)
    localized = localize([source], prefixed(source))
    master_cells = table_cells(source.doc)
    cells = table_cells(localized)
    assert master_cells and len(cells) == len(master_cells)
    for master, cell in zip(master_cells, cells, strict=True):
        master_text = stringify(master)
        text = stringify(cell)
        if any(ch.isalpha() for ch in master_text) and not all(b["t"] == "Plain" and all(
                i["t"] in ("Code", "Space") for i in b["c"]) for b in master):
            assert text.startswith("ZZ"), f"cell {master_text!r} was not translated: {text!r}"
        else:  # a cell of code or numbers only is no message: left as it is
            assert cell == master
    html = html_of_ast(localized)
    master_html = html_of_ast(source.doc)
    assert html.count("<td") == master_html.count("<td")
    assert html.count("<th") == master_html.count("<th")
    # column alignment is the master's
    assert re.findall(r'style="text-align: \w+;"', html) == re.findall(r'style="text-align: \w+;"', master_html)


def test_table_cell_texts_are_the_translations():
    source = sample("25-pipe-table.md")
    table = identity(source)
    table[(None, "What it can look like")] = "À quoi cela ressemble"
    table[(None, "A stranger asking for a chat")] = "Un inconnu qui demande à discuter"
    html = html_of_ast(localize([source], table))
    assert "<th>À quoi cela ressemble</th>" in html
    assert "<td>Un inconnu qui demande à discuter</td>" in html
    assert "<td>Agree on rules</td>" in html


def test_escaped_pipes_in_cells_survive():
    source = sample("27-table-escaped-pipes.md")
    html = html_of_ast(localize([source], prefixed(source)))
    assert "<td>ZZ Yes | No</td>" in html
    assert "<code>a | b</code>" in html


def test_link_titles_and_attributes_survive_translation():
    source = sample("08-links.md")
    html = html_of_ast(localize([source], prefixed(source)))
    assert '<a href="https://www.example.org/help" title="Help for families">help pages</a>' in html
    assert '<a href="https://report.example.org" class="button" target="_blank">report abuse</a>' in html
    assert '<a href="chapter-2.md#start" title="Chapter two">the next chapter</a>' in html


def test_translated_link_title_and_text_are_used():
    source = sample("08-links.md")
    table = identity(source)
    table[(None, source.units[0].msgid)] = (
        'Consultez les [pages d\'aide](https://www.example.org/help "Aide aux familles") de votre ligne nationale.')
    html = html_of_ast(localize([source], table))
    assert 'href="https://www.example.org/help" title="Aide aux familles">pages d’aide</a>' in html


def test_link_attributes_come_from_the_master_not_the_translation():
    source = sample("08-links.md")
    table = identity(source)
    msgid = source.units[2].msgid
    assert "report abuse" in msgid
    # the translator forgot the attributes and added an event handler: the master's attributes win
    table[(None, msgid)] = 'Un lien : [signaler](https://report.example.org){onclick="steal()"}.'
    html = html_of_ast(localize([source], table))
    assert '<a href="https://report.example.org" class="button" target="_blank">signaler</a>' in html
    assert "onclick" not in html


def test_translation_cannot_add_raw_html():
    source = sample("39-raw-html.md")
    table = identity(source)
    table[(None, "Final paragraph.")] = "Dernier `<script>alert(1)</script>`{=html} paragraphe <b>gras</b>."
    html = html_of_ast(localize([source], table))
    assert "<script>" not in html and "<b>" not in html
    assert "Dernier" in html and "paragraphe" in html
    # the raw inlines of the master paragraph are kept
    assert '<span class="hint">' in html and "<br>" in html


def test_inline_image_attributes_survive_translation():
    source = sample("11-images-inline.md")
    table = identity(source)
    # a translation that drops the {width=16px} and {.icon height=1em} attributes
    table[(None, source.units[0].msgid)] = (
        'Cherchez le cadenas ![icône cadenas](images/padlock.svg "Connexion sûre") dans la barre.')
    table[(None, source.units[1].msgid)] = (
        'Deux icônes ![bouclier](images/shield.svg) et ![cadenas](images/padlock.svg) ici.')
    html = html_of_ast(localize([source], table))
    assert '<img src="images/padlock.svg" title="Connexion sûre" width="16" alt="icône cadenas" />' in html
    assert '<img src="images/padlock.svg" class="icon" style="height:1em" alt="cadenas" />' in html


def test_figure_attributes_caption_alt_and_title():
    source = sample("12-figures.md")
    table = identity(source)
    table[(None, "A shield protecting a child at a computer")] = "Un bouclier protège un enfant"
    table[(None, "Safe and confident online")] = "En ligne en toute confiance"
    table[(None, "Padlock in the browser bar")] = "Cadenas dans la barre"
    html = html_of_ast(localize([source], table))
    assert ('<img src="images/shield.svg" title="En ligne en toute confiance" style="width:50.0%" '
            'alt="Un bouclier protège un enfant" />') in html
    assert "<figcaption aria-hidden=\"true\">Un bouclier protège un enfant</figcaption>" in html
    assert '<figure id="fig-lock">' in html
    assert '<img src="images/padlock.svg" class="wide" alt="Cadenas dans la barre" />' in html


def test_linked_image_keeps_link_and_image_attributes():
    source = sample("70-linked-image.md")
    html = html_of_ast(localize([source], prefixed(source)))
    assert '<a href="https://example.org" title="Go to the home page"><img src="images/shield.svg" width="32"' in html


def test_heading_ids_are_the_masters_after_translation():
    source = sample("03-heading-attributes.md")
    html = html_of_ast(localize([source], prefixed(source)))
    assert re.search(r'<h1 (?=[^>]*id="welcome")(?=[^>]*class="intro")[^>]*>ZZ Welcome to the guide</h1>', html), html
    assert re.search(r'<h2 (?=[^>]*id="privacy")(?=[^>]*data-level="basic")[^>]*>ZZ Privacy settings explained</h2>',
                     html), html


def test_context_selects_the_translation():
    source = sample("36-div-context.md")
    table = {("button", "Open"): "Ouvrir", ("adjective", "Open"): "Ouvert", (None, "Open"): "Libre"}
    html = html_of_ast(localize([source], table))
    assert re.findall(r"<p>(\w+)</p>", html) == ["Ouvrir", "Ouvert", "Libre"]


def test_untranslated_messages_keep_the_source():
    source = sample("62-mixed-document.md")
    html = html_of_ast(localize([source], {(None, "Introduction"): "Introducción"}))
    assert '<h1 id="intro">Introducción</h1>' in html
    assert "<td>Chat</td>" in html
