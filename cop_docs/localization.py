"""Localized documents: master ASTs with the translations put in.

In: the parsed master files of one document and a translation table (msgctxt, msgid) → msgstr holding only
the translations coverage counts as translated (:func:`cop_docs.localized.translations`: a fuzzy,
empty or missing one, or one that reads as another kind of block, is left out, so the source shows instead).
Out: one pandoc AST for the whole document in the target language.

Translations are untrusted input. Every msgstr is parsed with raw HTML off and then *confined* to its msgid:
a link or image may only point where the source's link or image points, and takes the source's attributes
(so no ``rel=attachment`` or ``file:`` target can be added); raw content becomes plain text; footnote
references map back to the source's footnotes.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import files, pandoc
from .cache import version as cache_version
from .catalogs import messages
from .segments import Json, Segment, notes_in, segments
from .sources import RAW_SOURCE, SourceFile
from .tree import elements

Key = tuple[str | None, str]

_CONTAINERS = ("Emph", "Strong", "Underline", "Strikeout", "Superscript", "Subscript", "SmallCaps")


@dataclass
class Shown:
    """A translatable block of a localized document: where its text now is (its segment), where it comes from,
    and what it shows."""

    segment: Segment
    path: str  #: the master file it comes from
    line: int
    key: Key  #: its message
    state: str  #: translated, fuzzy or untranslated (a fallback to the source), or "source" (a source document)

    @property
    def visible(self) -> bool:
        """Whether readers see its text on the page (alt text, titles and metadata are not printed)."""
        comment = self.segment.comment
        return not comment.startswith(("image alt text", "image title", "front matter"))


def localize(files: list[SourceFile], translations: Mapping[Key, str] | None, *,
             mark_untranslated: str | None = None, localized_urls: Mapping[str, str] | None = None,
             cache: Path | None = None, record: list[Shown] | None = None,
             states: Mapping[Key, str] | None = None) -> Json:
    """Join the files of a document into one AST, translated where ``translations`` has the text (None: the
    document is in the source language).

    With ``mark_untranslated`` (the source language's code), text left in the source language is wrapped in
    a span of class ``untranslated`` carrying that language, so a draft shows it and screen readers read it
    in the right language. ``localized_urls`` (source URL → URL) lets a translation point a link to the
    language's own version of a page. ``cache`` is a folder that keeps pandoc's reading of each file's
    translations, by their content, for the next build. ``record`` receives a :class:`Shown` for every
    segment; ``states`` says why a message is not translated (fuzzy or untranslated; untranslated if absent).
    """
    meta: dict[str, Any] = {}
    blocks: list[Json] = []
    api = None
    for source in files:
        doc = source.fresh_doc()
        api = api or doc["pandoc-api-version"]
        if translations or mark_untranslated or record is not None:
            _translate(doc, source, translations, mark_untranslated, localized_urls or {}, cache, record, states or {})
        _rebase_images(doc, posixpath.dirname(source.path))
        for key, value in doc.get("meta", {}).items():
            meta.setdefault(key, value)
        blocks += doc["blocks"]
    return {"pandoc-api-version": api or [1, 23, 1, 1], "meta": meta, "blocks": blocks}


def _parse_cached(texts: list[str], cache: Path | None, references: str = "") -> list[list[Json]]:
    """The blocks of each translation (:func:`messages.parse`, with the master's link reference definitions),
    read back from ``cache`` when the same texts were parsed before (by the same pandoc)."""
    if cache is None or not texts:
        return messages.parse(texts, references)
    key = hashlib.sha256(json.dumps(["blocks", cache_version(), pandoc.version(), texts, references],
                                    ensure_ascii=False).encode()).hexdigest()
    path = cache / f"{key}.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        parsed = messages.parse(texts, references)
        files.write_atomic(path, json.dumps(parsed, ensure_ascii=False))
        return parsed


def _translate(doc: Json, source: SourceFile, translations: Mapping[Key, str] | None, mark: str | None,
               urls: Mapping[str, str], cache: Path | None = None, record: list[Shown] | None = None,
               states: Mapping[Key, str] | None = None) -> None:
    segs = segments(doc)
    pending: list[tuple[Segment, str]] = []
    untranslated: list[Segment] = []
    for seg, unit in zip(segs, source.units, strict=True):
        key = (unit.context, unit.msgid)
        msgstr = translations.get(key) if translations else None
        if record is not None:
            state = "source" if translations is None else "translated" if msgstr else \
                (states or {}).get(key, "untranslated")
            record.append(Shown(seg, source.path, unit.line, key, state))
        if not msgstr:
            if mark and seg.kind == "inlines":
                untranslated.append(seg)
            continue
        if seg.kind == "text":
            seg.set(msgstr)
        else:
            pending.append((seg, messages.numbered_notes(msgstr, unit.msgid)))
    # Footnote segments hold blocks inside the source's Note objects; capture them before any segment changes.
    source_inlines = [seg.get() for seg, _ in pending]
    parsed = _parse_cached([msgstr for _, msgstr in pending], cache, source.references)
    for (seg, _), original, blocks in zip(pending, source_inlines, parsed, strict=True):
        seg.set(confine(_flatten(blocks), original, urls))
    for seg in untranslated:
        seg.set([{"t": "Span", "c": [["", ["untranslated"], [["lang", mark]]], seg.get()]}])


def confine(inlines: list[Json], source: list[Json], localized_urls: Mapping[str, str] | None = None) -> list[Json]:
    """Keep only what a translation may change: text and inline markup, not targets, attributes or raw code.

    A link may point where its source points, or to the localized URL configured for that target."""
    return _Allowed(source, localized_urls or {}).confine(inlines)


class _Allowed:
    """What a message's source holds that its translation may reuse: link and image targets (with the
    source's attributes), span and code attributes, raw inlines, and footnotes (by number)."""

    def __init__(self, source: list[Json], localized_urls: Mapping[str, str]):
        self.links: dict[str, list] = {}
        self.images: dict[str, list] = {}
        self.attrs: list[list] = []
        self.raws: list[list] = []
        self.notes = list(notes_in(source))
        self._collect(source)
        for url, attr in list(self.links.items()):
            if url in localized_urls:
                self.links.setdefault(localized_urls[url], attr)

    def _collect(self, inlines: list[Json]) -> None:
        for node in inlines:
            t = node["t"]
            if t == "RawInline":
                self.raws.append(node["c"])
            elif t in ("Link", "Image"):
                (self.links if t == "Link" else self.images).setdefault(node["c"][2][0], node["c"][0])
                self._collect(node["c"][1])
            elif t in ("Span", "Code"):
                self.attrs.append(node["c"][0])
                if t == "Span":
                    self._collect(node["c"][1])
            elif t in _CONTAINERS:
                self._collect(node["c"])
            elif t == "Quoted":
                self._collect(node["c"][1])

    def _attr(self, attr: list) -> list:
        return attr if attr in self.attrs else ["", [], []]

    def confine(self, inlines: list[Json]) -> list[Json]:
        out: list[Json] = []
        for node in inlines:
            t = node["t"]
            if t in ("Link", "Image"):
                _attr, content, (url, title) = node["c"]
                content = self.confine(content)
                allowed = self.links if t == "Link" else self.images
                if url in allowed:
                    out.append({"t": t, "c": [allowed[url], content, [url, title]]})
                else:  # a target the source does not have: keep the words, drop the link or image
                    out += content
            elif t == "Span":
                out.append({"t": t, "c": [self._attr(node["c"][0]), self.confine(node["c"][1])]})
            elif t == "Code":
                out.append({"t": t, "c": [self._attr(node["c"][0]), node["c"][1]]})
            elif t in _CONTAINERS:
                out.append({"t": t, "c": self.confine(node["c"])})
            elif t == "Quoted":
                out.append({"t": t, "c": [node["c"][0], self.confine(node["c"][1])]})
            elif t == "Note":
                label = messages.note_label(node)
                if label is not None and 0 < label <= len(self.notes):
                    out.append(self.notes[label - 1])
            elif t == "RawInline":
                out.append(node if node["c"] in self.raws else _str(node["c"][1]))
            elif t == "Cite":
                out += self.confine(node["c"][1])
            else:  # Str, Space, SoftBreak, LineBreak, Math
                out.append(node)
        return out


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
        elif t == "DefinitionList":
            inner = [b for term, defs in block["c"] for b in [{"t": "Plain", "c": term}, *(x for d in defs for x in d)]]
            inlines = _flatten(inner)
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


def _rebased(url: str, base: str) -> str:
    if url and ":" not in url.split("/")[0] and not url.startswith("/"):
        return posixpath.normpath(posixpath.join(base, url))
    return url


def _rebase_images(doc: Json, base: str) -> None:
    """Make image paths relative to the project root (sources refer to images relative to themselves), those of
    the master's raw HTML too."""
    for node in elements(doc, ("Image", "RawBlock", "RawInline")):
        if node["t"] == "Image":
            target = node["c"][2]
            target[0] = _rebased(target[0], base)
        elif node["c"][0] == "html" and "=" in node["c"][1]:
            node["c"][1] = RAW_SOURCE.sub(lambda m: m.group(1) + m.group(2) + _rebased(m.group(3), base)
                                           + m.group(2), node["c"][1])
