"""Where the translatable text lives in a pandoc document.

In: a pandoc JSON AST. Out: its *segments*, in document order: one per translatable block (heading,
paragraph, list item, table cell, definition term and definition, block-quote paragraph, footnote
paragraph, figure and table caption, line of a line block), per image alt text and title, and per
translatable front-matter key. Each segment can read and replace its content in place, so extraction
(reading msgids) and localization (writing msgstrs) walk the very same list.

Code, raw HTML and URLs are never segments. A ``Div`` or heading with ``translate=no`` is skipped, and one
with ``i18n-context="..."`` gives its messages that msgctxt, for identical texts that need different
translations.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

Json = dict[str, Any]

#: Front-matter keys whose values are translated.
TRANSLATABLE_META = ("title", "subtitle", "description", "abstract", "summary", "subject", "keywords", "toc-title")


_CHECK_BOXES = ({"t": "Str", "c": "\u2610"}, {"t": "Str", "c": "\u2612"})


@dataclass
class Segment:
    """One translatable unit: ``holder[key]`` is a list of inlines (kind "inlines") or a string ("text")."""

    holder: Any
    key: Any
    kind: str
    comment: str
    context: str | None
    keep: int = 0  #: leading inlines that are not part of the message (a task list's check box)

    def get(self) -> Any:
        value = self.holder[self.key]
        return value[self.keep:] if self.keep else value

    def set(self, value: Any) -> None:
        if self.keep:
            value = self.holder[self.key][: self.keep] + value
        self.holder[self.key] = value


@dataclass
class _Where:
    comment: str
    context: str | None = None
    list_depth: int = 0


def segments(doc: Json) -> list[Segment]:
    """All segments of a document, front matter first, then the body in reading order."""
    out: list[Segment] = []
    meta = doc.get("meta", {})
    for key in TRANSLATABLE_META:
        if key in meta:
            _meta_value(meta, key, f"front matter: {key}", out)
    _blocks(doc.get("blocks", []), _Where("paragraph"), out)
    return out


def _meta_value(holder: Any, key: Any, comment: str, out: list[Segment]) -> None:
    value = holder[key]
    t = value.get("t")
    if t == "MetaInlines":
        _inline_segment(value, "c", comment, None, out)
    elif t == "MetaString":
        if _has_words_text(value["c"]):
            out.append(Segment(value, "c", "text", comment, None))
    elif t == "MetaBlocks":
        _blocks(value["c"], _Where(comment), out)
    elif t == "MetaList":
        for i in range(len(value["c"])):
            _meta_value(value["c"], i, comment, out)


def _blocks(blocks: list[Json], where: _Where, out: list[Segment]) -> None:
    for block in blocks:
        _block(block, where, out)


def _block(block: Json, where: _Where, out: list[Segment]) -> None:
    t = block["t"]
    c = block.get("c")
    if t in ("Para", "Plain"):
        if len(c) == 1 and c[0]["t"] == "Image":
            _image(c[0], where, out)
        else:
            _inline_segment(block, "c", where.comment, where.context, out)
    elif t == "Header":
        level, attr, _ = c
        if _no_translate(attr):
            return
        _inline_segment(c, 2, f"heading level {level}", _context(attr, where.context), out)
    elif t == "LineBlock":
        for i in range(len(c)):
            _inline_segment(c, i, "line of a line block", where.context, out)
    elif t == "BlockQuote":
        _blocks(c, _Where("block quote", where.context, where.list_depth), out)
    elif t in ("BulletList", "OrderedList"):
        items = c if t == "BulletList" else c[1]
        depth = where.list_depth + 1
        comment = "list item" if depth == 1 else f"nested list item (level {depth})"
        for item in items:
            _blocks(item, _Where(comment, where.context, depth), out)
    elif t == "DefinitionList":
        for item in c:
            _inline_segment(item, 0, "definition term", where.context, out)
            for definition in item[1]:
                _blocks(definition, _Where("definition", where.context, where.list_depth), out)
    elif t == "Table":
        _table(c, where, out)
    elif t == "Figure":
        attr, caption, body = c
        _blocks(caption[1], _Where("figure caption", where.context), out)
        _blocks(body, where, out)
    elif t == "Div":
        attr, body = c
        if _no_translate(attr):
            return
        _blocks(body, _Where(where.comment, _context(attr, where.context), where.list_depth), out)
    # CodeBlock, RawBlock, HorizontalRule and Null carry nothing to translate.


def _table(c: list, where: _Where, out: list[Segment]) -> None:
    attr, caption, _colspecs, head, bodies, foot = c
    ctx = _context(attr, where.context)
    _blocks(caption[1], _Where("table caption", ctx), out)

    def rows(rows_: list, comment: str) -> None:
        for _row_attr, cells in rows_:
            for cell in cells:
                _blocks(cell[4], _Where(comment, ctx), out)

    rows(head[1], "table header cell")
    for body in bodies:
        rows(body[2], "table header cell")
        rows(body[3], "table cell")
    rows(foot[1], "table footer cell")


def _image(image: Json, where: _Where, out: list[Segment]) -> None:
    attr, alt, target = image["c"]
    _inline_segment(image["c"], 1, "image alt text", where.context, out)
    if _has_words_text(target[1]):
        out.append(Segment(target, 1, "text", "image title", where.context))


def _inline_segment(holder: Any, key: Any, comment: str, context: str | None, out: list[Segment]) -> None:
    inlines = holder[key]
    keep = 2 if len(inlines) > 2 and inlines[0] in _CHECK_BOXES and inlines[1]["t"] == "Space" else 0
    if _has_words(inlines):
        out.append(Segment(holder, key, "inlines", comment, context, keep))
    # Footnotes hang off the inline where they are referenced; their paragraphs are segments of their own.
    for note in notes_in(inlines):
        _blocks(note["c"], _Where("footnote", context), out)


def notes_in(inlines: list) -> Iterator[Json]:
    """The footnotes referenced from a list of inlines, in order (not descending into the notes)."""
    for node in inlines:
        t = node["t"]
        if t == "Note":
            yield node
        elif t in ("Emph", "Strong", "Underline", "Strikeout", "Superscript", "Subscript", "SmallCaps"):
            yield from notes_in(node["c"])
        elif t in ("Span", "Link", "Image"):
            yield from notes_in(node["c"][1])
        elif t == "Quoted":
            yield from notes_in(node["c"][1])


def prose_of(inlines: list) -> Iterator[str]:
    """The text of the prose in inlines (not code, not URLs shown as link text, not footnotes)."""
    for node in inlines:
        t = node["t"]
        if t == "Str":
            yield node["c"]
        elif t in ("Emph", "Strong", "Underline", "Strikeout", "Superscript", "Subscript", "SmallCaps"):
            yield from prose_of(node["c"])
        elif t == "Span":
            yield from prose_of(node["c"][1])
        elif t == "Quoted":
            yield from prose_of(node["c"][1])
        elif t in ("Link", "Image"):
            shown = node["c"][1]
            if stringify(shown) != node["c"][2][0]:
                yield from prose_of(shown)


#: How deep elements may nest (lists in lists, quotes in quotes, emphasis in emphasis) before input is refused.
MAX_DEPTH = 64


def depth(node: object) -> int:
    """How deeply a pandoc document's elements nest (counted without recursion, whatever the depth)."""
    deepest, stack = 0, [(node, 0)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            level += "t" in item
            deepest = max(deepest, level)
            stack.extend((v, level) for v in item.values() if isinstance(v, dict | list))
        elif isinstance(item, list):
            stack.extend((v, level) for v in item if isinstance(v, dict | list))
    return deepest


def stringify(inlines: list) -> str:
    """Plain text of inlines, as pandoc's ``stringify`` (footnotes left out)."""
    parts: list[str] = []
    for node in inlines:
        t = node["t"]
        if t == "Str":
            parts.append(node["c"])
        elif t in ("Space", "SoftBreak", "LineBreak"):
            parts.append(" ")
        elif t == "Code":
            parts.append(node["c"][1])
        elif t == "Math":
            parts.append(node["c"][1])
        elif t in ("Emph", "Strong", "Underline", "Strikeout", "Superscript", "Subscript", "SmallCaps"):
            parts.append(stringify(node["c"]))
        elif t in ("Span", "Link", "Image", "Quoted"):
            parts.append(stringify(node["c"][1]))
    return "".join(parts)


def _has_words(inlines: list) -> bool:
    return any(_has_words_text(w) for w in prose_of(inlines))


def _has_words_text(text: str) -> bool:
    return any(ch.isalpha() for ch in text)


def _attr_value(attr: list, name: str) -> str | None:
    for k, v in attr[2]:
        if k == name:
            return v
    return None


def _no_translate(attr: list) -> bool:
    return _attr_value(attr, "translate") == "no" or "notranslate" in attr[1]


def _context(attr: list, inherited: str | None) -> str | None:
    return _attr_value(attr, "i18n-context") or inherited
