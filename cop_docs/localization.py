"""Localized documents: master ASTs with the translations put in.

In: the parsed master files of one document and a translation table (msgctxt, msgid) → msgstr holding only
finished translations (a fuzzy or empty msgstr is left out by the caller, so the English source shows
instead). Out: one pandoc AST for the whole document in the target language.

Translations are untrusted input. Every msgstr is parsed with raw HTML off and then *confined* to its msgid:
a link or image may only point where the source's link or image points, and takes the source's attributes
(so no ``rel=attachment`` or ``file:`` target can be added); raw content becomes plain text; footnote
references map back to the source's footnotes.
"""

from __future__ import annotations

import posixpath
import re
import secrets
from collections.abc import Mapping
from typing import Any

from . import pandoc
from .segments import Json, Segment, notes_in, segments
from .sources import SourceFile

Key = tuple[str | None, str]

_NOTE_REF = re.compile(r"(?<!\\)\[\^([^\]\s]+)\]")
_BLANK_LINES = re.compile(r"\n\s*\n+")
_CONTAINERS = ("Emph", "Strong", "Underline", "Strikeout", "Superscript", "Subscript", "SmallCaps")


def localize(files: list[SourceFile], translations: Mapping[Key, str] | None) -> Json:
    """Join the files of a document into one AST, translated where ``translations`` has the text."""
    meta: dict[str, Any] = {}
    blocks: list[Json] = []
    api = files[0].doc["pandoc-api-version"] if files else [1, 23, 1, 1]
    for source in files:
        doc = source.fresh_doc()
        if translations:
            _translate(doc, source, translations)
        _rebase_images(doc, posixpath.dirname(source.path))
        for key, value in doc.get("meta", {}).items():
            meta.setdefault(key, value)
        blocks += doc["blocks"]
    return {"pandoc-api-version": api, "meta": meta, "blocks": blocks}


def parse_messages(texts: list[str]) -> list[list[Json]]:
    """Parse message strings (msgstrs) as inline Markdown, in one pandoc call. Each becomes a list of inlines."""
    if not texts:
        return []
    sep = "cop" + secrets.token_hex(8)
    parts = []
    notes = []
    for i, text in enumerate(texts):
        text = _BLANK_LINES.sub("\n", text.strip())
        text = _NOTE_REF.sub(lambda m, i=i: f"[^{i}n{m.group(1)}]", text)
        notes += _NOTE_REF.findall(text)
        parts.append(text)
    body = f"\n\n{sep}\n\n".join(parts)
    defs = "\n\n".join(f"[^{label}]: {label}" for label in dict.fromkeys(notes))
    doc = pandoc.read_markdown(f"{body}\n\n{sep}\n\n{defs}\n", path="<translations>", fmt=pandoc.MESSAGE_FORMAT)
    chunks: list[list[Json]] = [[]]
    for block in doc["blocks"]:
        if block["t"] == "Para" and block["c"] == [{"t": "Str", "c": sep}]:
            chunks.append([])
        else:
            chunks[-1].append(block)
    chunks = chunks[: len(texts)]
    if len(chunks) != len(texts):
        # A message opened a block that swallowed the separators (an unclosed code fence, say): parse one by one.
        return [parse_messages([t])[0] for t in texts] if len(texts) > 1 else [[_str(texts[0])]]
    return [_flatten(blocks) for blocks in chunks]


def _translate(doc: Json, source: SourceFile, translations: Mapping[Key, str]) -> None:
    segs = segments(doc)
    pending: list[tuple[Segment, str]] = []
    for seg, unit in zip(segs, source.units, strict=True):
        msgstr = translations.get((unit.context, unit.msgid))
        if not msgstr:
            continue
        if seg.kind == "text":
            seg.set(msgstr)
        else:
            pending.append((seg, msgstr))
    # Footnote segments hold blocks inside the source's Note objects; capture them before any segment changes.
    source_inlines = [seg.get() for seg, _ in pending]
    parsed = parse_messages([msgstr for _, msgstr in pending])
    for (seg, _), original, inlines in zip(pending, source_inlines, parsed, strict=True):
        seg.set(confine(inlines, original))


def confine(inlines: list[Json], source: list[Json]) -> list[Json]:
    """Keep only what a translation may change: text and inline markup, not targets or attributes."""
    links: dict[str, list] = {}
    images: dict[str, list] = {}
    attrs: list[list] = []
    _collect(source, links, images, attrs)
    notes = list(notes_in(source))
    return _confine(inlines, links, images, attrs, notes)


def _collect(inlines: list[Json], links: dict, images: dict, attrs: list) -> None:
    for node in inlines:
        t = node["t"]
        if t == "Link":
            links.setdefault(node["c"][2][0], node["c"][0])
            _collect(node["c"][1], links, images, attrs)
        elif t == "Image":
            images.setdefault(node["c"][2][0], node["c"][0])
            _collect(node["c"][1], links, images, attrs)
        elif t in ("Span", "Code"):
            attrs.append(node["c"][0])
            if t == "Span":
                _collect(node["c"][1], links, images, attrs)
        elif t in _CONTAINERS:
            _collect(node["c"], links, images, attrs)
        elif t == "Quoted":
            _collect(node["c"][1], links, images, attrs)


def _confine(inlines: list[Json], links: dict, images: dict, attrs: list, notes: list) -> list[Json]:
    out: list[Json] = []
    for node in inlines:
        t = node["t"]
        if t == "Link":
            attr, content, (url, title) = node["c"]
            content = _confine(content, links, images, attrs, notes)
            if url in links:
                out.append({"t": "Link", "c": [links[url], content, [url, title]]})
            else:
                out += content
        elif t == "Image":
            attr, alt, (url, title) = node["c"]
            alt = _confine(alt, links, images, attrs, notes)
            if url in images:
                out.append({"t": "Image", "c": [images[url], alt, [url, title]]})
            else:
                out += alt
        elif t == "Span":
            attr, content = node["c"]
            content = _confine(content, links, images, attrs, notes)
            out.append({"t": "Span", "c": [attr if attr in attrs else ["", [], []], content]})
        elif t == "Code":
            attr, text = node["c"]
            out.append({"t": "Code", "c": [attr if attr in attrs else ["", [], []], text]})
        elif t in _CONTAINERS:
            out.append({"t": t, "c": _confine(node["c"], links, images, attrs, notes)})
        elif t == "Quoted":
            out.append({"t": t, "c": [node["c"][0], _confine(node["c"][1], links, images, attrs, notes)]})
        elif t == "Note":
            label = _note_label(node)
            if label is not None and 0 < label <= len(notes):
                out.append(notes[label - 1])
        elif t == "RawInline":
            out.append(_str(node["c"][1]))
        elif t == "Cite":
            out += _confine(node["c"][1], links, images, attrs, notes)
        else:  # Str, Space, SoftBreak, LineBreak, Math
            out.append(node)
    return out


def _note_label(note: Json) -> int | None:
    """The footnote number the translator wrote (parse_messages made the note's text ``<message>n<label>``)."""
    from .segments import stringify

    text = stringify(note["c"][0]["c"]) if note["c"] and note["c"][0]["t"] in ("Para", "Plain") else ""
    _, _, label = text.partition("n")
    return int(label) if label.isdigit() else None


def _flatten(blocks: list[Json]) -> list[Json]:
    """The inlines of what should have been one paragraph (a translation that parses as a list or heading)."""
    out: list[Json] = []
    for block in blocks:
        t = block["t"]
        if t in ("Para", "Plain"):
            inlines = block["c"]
        elif t == "Header":
            inlines = block["c"][2]
        elif t in ("CodeBlock", "RawBlock"):
            inlines = [_str(block["c"][1])]
        elif t in ("BlockQuote", "Div", "BulletList", "OrderedList"):
            inner = block["c"] if t == "BlockQuote" else block["c"][1] if t in ("Div", "OrderedList") else block["c"]
            if t in ("BulletList", "OrderedList"):
                inner = [b for item in inner for b in item]
            inlines = _flatten(inner)
        else:
            continue
        if out and inlines:
            out.append({"t": "Space"})
        out += inlines
    return out


def _str(text: str) -> Json:
    return {"t": "Str", "c": text}


def _rebase_images(doc: Json, base: str) -> None:
    """Make image paths relative to the project root (sources refer to images relative to themselves)."""

    def visit(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("t") == "Image":
                target = node["c"][2]
                url = target[0]
                if url and ":" not in url.split("/")[0] and not url.startswith("/"):
                    target[0] = posixpath.normpath(posixpath.join(base, url))
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    visit(doc["blocks"])
    visit(doc.get("meta", {}))
