"""The localized document adapted to paper, before it becomes the HTML page WeasyPrint lays out.

In: a localized pandoc AST. Out: a copy where each note is a ``footnote`` span in the text (the print theme floats
it to the foot of its page, numbered there) and each run of four or more underscores, a blank to fill in, is an
``blank`` span the theme draws as an answer line, as long in every language; the underscores stay in it
(transparent) so that copied text keeps its blank where it was. The e-book keeps
pandoc's own notes, which reading systems show as pop-ups.
"""

from __future__ import annotations

import copy
import re

from ..segments import Json

_BLANK = re.compile(r"_{4,}")


def for_print(doc: Json) -> Json:
    """A copy of the AST with page footnotes and answer lines."""
    doc = copy.deepcopy(doc)
    doc["blocks"] = _walk(doc["blocks"])
    return doc


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
            out.append({"t": "Span", "c": [["", ["blank"], []], [{"t": "Str", "c": part}]]})
        elif part:
            out.append({"t": "Str", "c": part})
    return out


def _note_text(blocks: list[Json]) -> list[Json]:
    """A note's paragraphs as one run of inlines (a page footnote is a single paragraph in WeasyPrint)."""
    inlines: list[Json] = []
    for block in blocks:
        if block["t"] in ("Para", "Plain"):
            if inlines:
                inlines.append({"t": "Space"})
            inlines.extend(block["c"])
    return inlines
