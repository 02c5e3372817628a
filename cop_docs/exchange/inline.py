"""Inline codes of a message: the Markdown a translator moves around but does not translate.

In: a message as the author typed it (a Markdown block's inline text, see README "Writing masters"), or a
translation of one. Out: its parts in order, runs of text (``str``) and :class:`Code` items, each code holding
the exact Markdown it stands for; :func:`markdown` joins them back, so ``markdown(parts(m)) == m`` for every
string ``m``. Exchange formats (XLIFF, TMX) and pseudo-locales show the codes as tags.

What is a code, as markdown-it-py reads the message with the project's extensions (the reader of
``cop_docs/slices.py``): emphasis, strong and strikethrough delimiters (an open and a close code); a link's
``[`` and its ``](url "title")`` or ``][label]`` (the visible text between them stays text); a link that is its
own label (``[label]``, ``[label][]``), an autolink, an inline image, inline code, raw inline HTML, a footnote
reference, inline math, a hard line break and a backslash escape of a punctuation character (standalone codes).
Pandoc attributes right after a link, image or code (``{.class}``) belong to that code. Matching raw HTML tags
(``<b>`` … ``</b>``) are an open and a close code when they nest properly, else standalone ones.

Entities (``&nbsp;``, ``&#x202E;``) stay text: they are characters the author typed, which a translation may need
where the source has none (French spacing), and the project's checks judge them (bidi controls). Escapes are
codes: ``\\#`` at the start of a hashtag or ``1\\.`` keep a line from becoming a heading or a list, and a
translator who drops the backslash would change the block, so they are protected like any other markup.

Every part is a slice of the input, so the round trip holds by construction whatever markdown-it makes of a
hostile string; markdown-it only decides where the codes are.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import normalizeReference
from markdown_it.parser_inline import ParserInline
from markdown_it.rules_inline.state_inline import StateInline
from markdown_it.token import Token

ROLES = ("open", "close", "standalone")
KINDS = ("fmt", "link", "code", "image", "note", "html", "other")


@dataclass(frozen=True)
class Code:
    """One inline code: ``id`` is unique within a message, shared by an opening code and its closing code."""

    id: str
    role: str  #: "open", "close" or "standalone"
    markdown: str  #: the exact Markdown the code stands for
    kind: str  #: "fmt", "link", "code", "image", "note", "html" or "other"


Part = str | Code

_TRACK = "_cop_docs_inline_track"
_ATTRIBUTES = re.compile(r"\{[^{}\n]*\}")
_HTML_OPEN = re.compile(r"<([A-Za-z][A-Za-z0-9-]*)(?:\s[^<>]*)?>\Z")
_HTML_CLOSE = re.compile(r"</([A-Za-z][A-Za-z0-9-]*)\s*>\Z")
_FULL_REFERENCE = re.compile(r"\]\[([^\[\]]+)\]")
_COLLAPSED_REFERENCE = re.compile(r"\[([^\[\]]+)\]\[\s*\]")
_FOOTNOTE = re.compile(r"\[\^([^\]\s]+)\]")
_KIND_OF_TOKEN = {"link_open": "link", "image": "image", "html_inline": "html", "code_inline": "code",
                  "footnote_ref": "note"}
_FMT = {"em_open": "open", "strong_open": "open", "s_open": "open",
        "em_close": "close", "strong_close": "close", "s_close": "close"}


@dataclass
class _Found:
    """A code found in the message: where it is (start, end), its role and kind."""

    start: int
    end: int
    role: str
    kind: str
    tag: str = ""  #: raw HTML: the element's name (pairs an opening tag with its closing one)


@dataclass
class _Track:
    """What the tracking tokenizer learns while markdown-it reads one message."""

    names: list[str]
    spans: dict[int, _Found] = field(default_factory=dict)  #: id(token) → its code
    ranges: list[tuple[Any, int, int]] = field(default_factory=list)  #: (state, start, end) of each tokenize run
    keep: list[Token] = field(default_factory=list)  #: the tokens noted, so that their ids stay theirs


class _TrackingInline(ParserInline):
    """markdown-it's inline tokenizer, noting where in the source each rule found the tokens it pushed."""

    def tokenize(self, state: StateInline) -> None:
        track: _Track | None = state.env.get(_TRACK)
        if track is None:
            return super().tokenize(state)
        rules = self.ruler.getRules("")
        first, end = state.pos, state.posMax
        max_nesting = state.md.options["maxNesting"]
        while state.pos < end:
            pos, ok = state.pos, False
            if state.level < max_nesting:
                for name, rule in zip(track.names, rules, strict=True):
                    before, ranges = len(state.tokens), len(track.ranges)
                    ok = rule(state, False)
                    if ok:
                        if state.pos <= pos:
                            raise RuntimeError("inline rule didn't increment state.pos")
                        _note(track, state, name, pos, first, state.tokens[before:], ranges)
                        break
            if ok:
                if state.pos >= end:
                    break
                continue
            state.append_pending(state.src[state.pos])
            state.pos += 1
        if state.pending:
            state.pushPending()
        track.ranges.append((state, first, end))
        return None


def _note(track: _Track, state: StateInline, rule: str, pos: int, first: int, new: list[Token], ranges: int) -> None:
    """Record the codes among the tokens one rule pushed at ``pos`` (``new``: first, any pending text it flushed)."""
    src, end = state.src, state.pos

    def put(token: Token, found: _Found) -> None:
        track.spans[id(token)] = found
        track.keep.append(token)

    if not new:
        return
    if rule in ("emphasis", "strikethrough"):
        # one text token per delimiter run piece; the post-processing turns some into em/strong/s tokens in place
        at = end
        for token in reversed(new):
            if at <= pos:
                break
            put(token, _Found(at - len(token.content), at, "delim", "fmt"))
            at -= len(token.content)
        return
    opening = next((t for t in new if t.type == "link_open"), None)
    if rule == "link" and opening is not None:
        inner = [(start, stop) for s, start, stop in track.ranges[ranges:] if s is state]
        if not inner:
            return
        start, stop = inner[-1]
        if end == stop + 1 or re.fullmatch(r"\]\[\s*\]", src[stop:end]):
            put(opening, _Found(pos, end, "standalone", "link"))  # its text is its label: not to be translated
        else:
            put(opening, _Found(pos, start, "open", "link"))
            put(new[-1], _Found(stop, end, "close", "link"))
        return
    token = next((t for t in new if t.type not in ("text", "softbreak")
                  and not (t.type == "text_special" and t.info == "entity")), None)
    if token is None:
        return
    if token.type == "text_special" and token.content == token.markup:
        return  # a backslash before a character that needs none: text
    start = pos
    if rule == "newline":
        if token.type != "hardbreak":
            return
        while start > first and src[start - 1] == " ":
            start -= 1  # the spaces that make the break
    kind = _KIND_OF_TOKEN.get(token.type, "other")
    tag = ""
    if kind == "html":
        if m := _HTML_OPEN.match(src, pos, end):
            tag = "<" + m.group(1).lower()
        elif m := _HTML_CLOSE.match(src, pos, end):
            tag = "/" + m.group(1).lower()
    put(token, _Found(start, end, "standalone", kind, tag))


@functools.cache
def _parser() -> MarkdownIt:
    from mdit_py_plugins.dollarmath import dollarmath_plugin
    from mdit_py_plugins.footnote import footnote_plugin

    from ..slices import MAX_NESTING

    # the reading of cop_docs/slices.py, inline rules only
    md = MarkdownIt("commonmark", {"html": True, "maxNesting": MAX_NESTING}).enable("strikethrough")
    md.normalizeLink = lambda url: url
    md.validateLink = lambda url: True
    md = md.use(footnote_plugin, inline=False)
    md = md.use(dollarmath_plugin, allow_space=False, allow_digits=False, double_inline=True, allow_labels=False)
    md.inline.__class__ = _TrackingInline
    return md


def _find(text: str, references: Iterable[str]) -> list[_Found]:
    """The codes of a message, in order, each pair properly nested."""
    md = _parser()
    # A message is read alone: the labels it uses in the forms only a reference takes count as defined.
    labels = {m.group(1) for m in _FULL_REFERENCE.finditer(text)}
    labels |= {m.group(1) for m in _COLLAPSED_REFERENCE.finditer(text)} | set(references)
    refs = {normalizeReference(label): {"href": "", "title": ""} for label in labels}
    notes = {":" + m.group(1): -1 for m in _FOOTNOTE.finditer(text)}
    rules = [r for r in md.inline.ruler.__rules__ if r.enabled]
    track = _Track([r.name for r in rules])
    env: dict[str, Any] = {"references": refs, "footnotes": {"refs": notes, "list": {}}, _TRACK: track}
    state = StateInline(text, md, env, [])
    md.inline.tokenize(state)
    for rule in md.inline.ruler2.getRules(""):
        if rule.__name__ != "fragments_join":
            rule(state)

    found: list[_Found] = []
    for token in state.tokens:
        code = track.spans.get(id(token))
        if code is None:
            continue
        if token.type in _FMT:
            width = len(token.markup)  # a strong delimiter took its neighbour's character too
            if _FMT[token.type] == "open":
                found.append(_Found(code.end - width, code.end, "open", "fmt"))
            else:
                found.append(_Found(code.start, code.start + width, "close", "fmt"))
        elif code.role != "delim":
            found.append(code)
    found.sort(key=lambda c: (c.start, c.end))
    kept: list[_Found] = []
    for code in found:
        if not kept or code.start >= kept[-1].end:  # else inside a standalone code (a link that is its own label)
            kept.append(code)
    for i, code in enumerate(kept):
        if code.kind in ("link", "image", "code") and code.role != "open":
            m = _ATTRIBUTES.match(text, code.end)
            if m and (i + 1 == len(kept) or m.end() <= kept[i + 1].start):
                code.end = m.end()
    return _pair(text, kept)


def _pair(text: str, found: list[_Found]) -> list[_Found]:
    """Codes paired by nesting; a close that matches no open is dropped (its Markdown becomes text), as is an open
    left unmatched; raw HTML tags pair when they nest, else they stand alone."""
    stack: list[int] = []
    partner: dict[int, int] = {}
    for i, code in enumerate(found):
        if code.kind == "html" and code.tag.startswith("<"):
            stack.append(i)
        elif code.kind == "html" and code.tag.startswith("/"):
            if stack and found[stack[-1]].tag == "<" + code.tag[1:]:
                partner[stack.pop()] = i
        elif code.role == "open":
            stack.append(i)
        elif code.role == "close":
            while stack and found[stack[-1]].kind == "html":
                stack.pop()  # an HTML tag left open inside emphasis or a link stands alone
            if stack and found[stack[-1]].kind == code.kind and (
                    code.kind != "fmt" or text[found[stack[-1]].start:found[stack[-1]].end] == text[code.start:code.end]):
                partner[stack.pop()] = i
    closes = set(partner.values())
    out = []
    for i, code in enumerate(found):
        if code.kind == "html":
            code.role = "open" if i in partner else "close" if i in closes else "standalone"
            out.append(code)
        elif code.role == "standalone" or i in partner or i in closes:
            out.append(code)
    return out


def parts(markdown: str, *, references: Iterable[str] = ()) -> list[Part]:
    """A message's text runs and codes, in order. ``references``: link reference labels known to be defined (a
    ``[label]`` alone is a link only then; ``[text][label]`` always counts as one)."""
    out: list[Part] = []
    at, number, opened = 0, 0, []
    for code in _find(markdown, references):
        if code.start > at:
            out.append(markdown[at:code.start])
        if code.role == "close":
            ident = opened.pop()
        else:
            number += 1
            ident = str(number)
            if code.role == "open":
                opened.append(ident)
        out.append(Code(ident, code.role, markdown[code.start:code.end], code.kind))
        at = code.end
    if at < len(markdown):
        out.append(markdown[at:])
    return out


def markdown(parts: list[Part]) -> str:
    """The Markdown of some parts: their text and each code's Markdown, in order."""
    return "".join(p if isinstance(p, str) else p.markdown for p in parts)


def text_of(parts: list[Part]) -> str:
    """The translatable text alone: the parts' text runs, codes left out."""
    return "".join(p for p in parts if isinstance(p, str))


def codes(parts: list[Part]) -> list[Code]:
    """The codes among some parts, in order."""
    return [p for p in parts if isinstance(p, Code)]


def mismatch(source: list[Part], target: list[Part]) -> str | None:
    """None when ``target`` holds exactly the codes of ``source`` (same ids, roles, Markdown and kinds), each pair
    opened before it is closed and properly nested, in any order; otherwise a short reason."""
    expected = {(c.id, c.role): c for c in codes(source)}
    seen: set[tuple[str, str]] = set()
    stack: list[str] = []
    for code in codes(target):
        key = (code.id, code.role)
        want = expected.get(key)
        if want is None:
            return f"code {code.id} is not in the source" if not any(k[0] == code.id for k in expected) \
                else f"code {code.id} is not a {code.role} code in the source"
        if key in seen:
            return f"code {code.id} appears twice"
        seen.add(key)
        if (code.markdown, code.kind) != (want.markdown, want.kind):
            return f"code {code.id} was changed"
        if code.role == "open":
            stack.append(code.id)
        elif code.role == "close":
            if code.id not in stack:
                return f"code {code.id} closed before opened"
            if stack[-1] != code.id:
                return f"code {code.id} closed inside code {stack[-1]}"
            stack.pop()
    for key in expected:
        if key not in seen:
            return f"code {key[0]} missing" if key[1] != "close" or (key[0], "open") not in seen \
                else f"code {key[0]} not closed"
    return None
