"""The localized document adapted to paper, before it becomes the HTML page WeasyPrint lays out.

In: a localized pandoc AST. Out: a copy where each note is a ``footnote`` span in the text (the print theme floats
it to the foot of its page, numbered there; its paragraphs, lists, code, quotes and tables become spans the theme
draws as those blocks) and each run of four or more underscores, a blank to fill in, is a ``blank`` span the
theme draws as an answer line, as long in every language (at least :data:`BLANK_LENGTH` underscores); the
underscores stay in it (transparent) so that copied text keeps its blank where it was. A paragraph that ends in
Chinese or Japanese characters keeps its last two together (a ``keep-together`` span), so that its last line is
never one character alone. The e-book keeps pandoc's own notes, which reading systems show as pop-ups.
"""

from __future__ import annotations

import copy
import re

from ..segments import Json

_BLANK = re.compile(r"_{4,}")
#: The fewest underscores a printed blank holds: room for a child's handwriting (a theme cannot widen the line
#: itself without pdftotext reading the text after it as another line).
BLANK_LENGTH = 14
#: The end of a paragraph in Han or kana: two characters, then any closing punctuation (which line breaking
#: already keeps with the character before it).
_CJK_END = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]{2}[\u3000-\u303f\uff01-\uff0f\uff1a-\uff20"
                      r"\u201d\u2019)）」』】》〉]*$")


def for_print(doc: Json) -> Json:
    """A copy of the AST with page footnotes, answer lines and whole last lines."""
    doc = copy.deepcopy(doc)
    doc["blocks"] = _walk(doc["blocks"])
    for block in _paragraphs(doc["blocks"]):
        _keep_last_characters(block["c"])
    return doc


def _paragraphs(node) -> list[Json]:
    """Every paragraph (and list item's plain text) of the document, in tables and notes too."""
    found = []
    if isinstance(node, list):
        for item in node:
            found += _paragraphs(item)
    elif isinstance(node, dict):
        if node.get("t") in ("Para", "Plain"):
            found.append(node)
        elif "c" in node:
            found += _paragraphs(node["c"])
    return found


def _keep_last_characters(inlines: list[Json]) -> None:
    if not inlines or inlines[-1].get("t") != "Str":
        return
    text = inlines[-1]["c"]
    end = _CJK_END.search(text)
    if end is None or end.start() == 0 and len(inlines) == 1:
        return  # a paragraph of two characters has no line to save
    head = [{"t": "Str", "c": text[:end.start()]}] if end.start() else []
    inlines[-1:] = [*head, {"t": "Span", "c": [["", ["keep-together"], []], [{"t": "Str", "c": end.group(0)}]]}]


def _walk(node):
    if isinstance(node, list):
        out = []
        for item in node:
            out.extend(_inline(item) if isinstance(item, dict) and item.get("t") in ("Note", "Str") else [_walk(item)])
        return out
    if isinstance(node, dict) and "c" in node:
        return {**node, "c": _walk(node["c"])}
    return node


def _inline(node: Json) -> list[Json]:
    if node["t"] == "Note":
        return [{"t": "Span", "c": [["", ["footnote"], []], _note_text(_walk(node["c"]))]}]
    text = node["c"]
    if "____" not in text:
        return [node]
    out: list[Json] = []
    for i, part in enumerate(re.split(f"({_BLANK.pattern})", text)):
        if i % 2:
            out.append({"t": "Span", "c": [["", ["blank"], []], [{"t": "Str", "c": part.ljust(BLANK_LENGTH, "_")}]]})
        elif part:
            out.append({"t": "Str", "c": part})
    return out


def _note_text(blocks: list[Json]) -> list[Json]:
    """A note's blocks as inline spans, each drawn as the block it was (a page footnote lives inside a paragraph,
    where HTML allows only inline elements): paragraphs, lists with their markers, code with its lines, quotes,
    definitions and tables keep their content and their shape in print."""
    return [span for block in blocks for span in _as_inline(block)]


def _span(classes: str, inlines: list[Json]) -> Json:
    return {"t": "Span", "c": [["", classes.split(), []], inlines]}


def _as_inline(block: Json) -> list[Json]:
    t, c = block["t"], block.get("c")
    if t in ("Para", "Plain"):
        return [_span("fn-block", c)]
    if t == "Header":
        return [_span("fn-block fn-heading", c[2])]
    if t == "LineBlock":
        return [_span("fn-block", line) for line in c]
    if t == "CodeBlock":
        return [_span("fn-block fn-code", [{"t": "Code", "c": [c[0], c[1]]}])]
    if t == "BlockQuote":
        return [_span("fn-block fn-quote", _note_text(c))]
    if t == "BulletList":
        return [_span("fn-block fn-list", [_span("fn-item", [_span("fn-marker", [_str("•")]), *_note_text(item)])
                                           for item in c])]
    if t == "OrderedList":
        (start, style, delim), items = c
        return [_span("fn-block fn-list", [_span("fn-item", [_span("fn-marker", [_str(_number(start + i, style, delim))]),
                                                              *_note_text(item)]) for i, item in enumerate(items)])]
    if t == "DefinitionList":
        return [_span("fn-block fn-definitions", [x for term, definitions in c
                                                  for x in [_span("fn-block fn-term", term),
                                                            *(_span("fn-block fn-definition", _note_text(d))
                                                              for d in definitions)]])]
    if t == "Table":
        _attr, _caption, _specs, head, bodies, foot = c
        rows = [*head[1], *(row for body in bodies for row in (*body[2], *body[3])), *foot[1]]
        return [_span("fn-block fn-table", [_span("fn-row", [_span("fn-cell", _note_text(cell[4])) for cell in row[1]])
                                            for row in rows])]
    if t in ("Div", "Figure"):
        inner = c[1] if t == "Div" else [*c[1][1], *c[2]]
        return [_span("fn-block " + " ".join(c[0][1]), _note_text(inner))]
    if t == "HorizontalRule":
        return [_span("fn-block fn-rule", [])]
    return []  # raw blocks: nothing to print


def _str(text: str) -> Json:
    return {"t": "Str", "c": text}


def _number(n: int, style: str, delim: str) -> str:
    """An ordered list's marker as pandoc's HTML writer would number it (1. a) (iv)…)."""
    if style in ("LowerAlpha", "UpperAlpha"):
        text = ""
        while n > 0:
            n, r = divmod(n - 1, 26)
            text = chr(ord("a") + r) + text
        text = text.upper() if style == "UpperAlpha" else text
    elif style in ("LowerRoman", "UpperRoman"):
        text = _roman(n)
        text = text.upper() if style == "UpperRoman" else text
    else:
        text = str(n)
    return {"OneParen": f"{text})", "TwoParens": f"({text})"}.get(delim, f"{text}.")


def _roman(n: int) -> str:
    out = ""
    for value, letters in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"),
                           (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= value:
            out, n = out + letters, n - value
    return out
