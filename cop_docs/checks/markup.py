"""Markdown parity between a msgid and its msgstr, and valid inline syntax in the msgstr.

Every msgid and msgstr of a catalog is parsed by pandoc in one call (:func:`cop_docs.catalogs.messages.parse`,
as the build parses them), then compared:

``links`` (error)
    The same link targets and image sources, as many times each. Link text and titles are translated;
    targets are not, except where ``checks.localized-urls`` maps a source URL (or image) to the language's own.
    (Localization drops a link whose target the source does not have, so the words would lose their link.)
``markup`` (error)
    The same number of emphasis, strong, code, strikeout, superscript, subscript, span and math elements, the
    same footnote references ``[^n]``, and no raw HTML the source does not have (it would show as text).
``syntax`` (error)
    Markup that pandoc could not read and so would print literally: an unclosed ``**`` or ``*`` or ``_``, an
    unbalanced backtick, a broken link (``[text](`` without its closing parenthesis, a stray ``](``), unmatched
    brackets. Literal characters the msgid has too are not counted.
``block-kind`` (error)
    A msgstr that Markdown reads as another kind of block than its msgid: ``- `` at the start makes a list,
    ``# `` a heading, ``---`` a rule, ``[nota]: https://…`` a link reference definition (nothing at all), an
    unclosed fence swallows what follows. Such a translation is not used (coverage counts it untranslated and
    the outputs show the source): the verdict is :func:`cop_docs.catalogs.messages.mismatch`, the one every
    command uses.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ..catalogs import messages as message_text
from .base import Check, Context, Finding, Message, note_refs

CHECKS = {
    "links": Check("links", "error", "link targets and image sources are those of the source"),
    "markup": Check("markup", "error", "same emphasis, strong and code spans, footnote references, no new raw HTML"),
    "syntax": Check("syntax", "error", "valid inline Markdown: no unclosed ** or `, no broken links or brackets"),
    "block-kind": Check("block-kind", "error", "the translation reads as the same kind of block as its source"),
}

_KINDS = {
    "Emph": "emphasis (*…*)", "Strong": "strong (**…**)", "Code": "code (`…`)", "Strikeout": "strikeout (~~…~~)",
    "Superscript": "superscript (^…^)", "Subscript": "subscript (~…~)", "Span": "span ([…]{…})",
    "Math": "math ($…$)", "Underline": "underline", "SmallCaps": "small caps",
}
_EMPHASIS = ("Emph", "Strong", "Strikeout", "Superscript", "Subscript", "Underline")


@dataclass
class Parsed:
    """What pandoc made of one message."""

    blocks: list[Any] = field(default_factory=list)  #: the top-level blocks
    links: Counter = field(default_factory=Counter)
    images: Counter = field(default_factory=Counter)
    counts: Counter = field(default_factory=Counter)
    raws: Counter = field(default_factory=Counter)
    text: list[str] = field(default_factory=list)  #: the literal text pandoc kept (Str and spaces)

    @property
    def literal(self) -> str:
        return "".join(self.text)


def run(messages: list[Message], ctx: Context) -> Iterator[Finding]:
    if not ctx.on(*CHECKS):
        return
    parsed = parse([m.msgid for m in messages] + [m.msgstr for m in messages])
    n = len(messages)
    localized = _localized_urls(ctx)
    for i, message in enumerate(messages):
        source, target = parsed[i], parsed[n + i]
        if ctx.on("block-kind") and (why := message_text.mismatch(source.blocks, target.blocks)):
            yield Finding(message.index, "block-kind", why, _BLOCK_HELP)
        syntax = list(_syntax(message, source, target)) if ctx.on("syntax") else []
        broken = {kind for kind, _ in syntax}
        for _, text in syntax:
            yield Finding(message.index, "syntax", text, _SYNTAX_HELP)
        if ctx.on("links") and "link" not in broken:
            yield from _links(message, source, target, localized)
        if ctx.on("markup"):
            yield from _markup(message, source, target, broken)


# --- parsing --------------------------------------------------------------------------------------------

def parse(texts: list[str]) -> list[Parsed]:
    """What pandoc makes of each message (one call for them all, as the build reads translations)."""
    return [_stats(blocks) for blocks in message_text.parse(texts)]


def _stats(blocks: list[Any]) -> Parsed:
    out = Parsed(blocks=blocks)

    def visit(node: Any) -> None:
        if isinstance(node, list):
            for item in node:
                visit(item)
            return
        if not isinstance(node, dict):
            return
        t = node.get("t")
        c = node.get("c")
        if t == "Str":
            out.text.append(c)
        elif t in ("Space", "SoftBreak", "LineBreak"):
            out.text.append(" ")
        elif t in ("Code", "Math"):
            out.counts[t] += 1
            out.text.append(" ")
        elif t == "RawInline":
            out.raws[c[1]] += 1
            out.text.append(" ")
        elif t in ("Link", "Image"):
            (out.links if t == "Link" else out.images)[c[2][0]] += 1
            visit(c[1])
        elif t == "Note":
            pass  # its text is the reference's label (see messages.parse); references are counted from the text
        else:
            if t in _KINDS:
                out.counts[t] += 1
            if t in ("Para", "Plain", "Header") and out.text:
                out.text.append(" ")
            visit(c)

    visit(blocks)
    return out


# --- the checks -----------------------------------------------------------------------------------------

_SYNTAX_HELP = ("Markdown left this markup as literal characters, so readers would see them. Close the emphasis or "
                "code span, complete the link as [text](target), or escape a character meant literally with a "
                "backslash (\\*).")


def _syntax(message: Message, source: Parsed, target: Parsed) -> Iterator[tuple[str, str]]:
    src, dst = _literal_marks(source.literal), _literal_marks(target.literal)
    for kind in ("stars", "underscores", "backticks"):
        if len(dst[kind]) > len(src[kind]):
            mark, token = dst[kind][0]
            family = "code" if kind == "backticks" else "emphasis"
            yield family, f"unclosed or stray '{mark}' in “{token}”: the {family} is not closed"
    if len(dst["link"]) > len(src["link"]):
        token = dst["link"][0]
        if "[^" in token:
            yield "link", f"broken footnote reference in “{token}”: a reference is written [^1]"
        else:
            yield "link", f"broken link syntax in “{token}”: a link is written [text](target)"
    elif dst["balance"] != src["balance"]:
        which = "[" if dst["balance"] > src["balance"] else "]"
        where = next((t for t in dst["brackets"] if which in t), "")
        yield "link", f"unmatched '{which}' in “{where}”"


_BLOCK_HELP = ("The outputs show the source text instead, and coverage counts the message untranslated. Write the "
               "translation as the same kind of block as its source: escape a first character that Markdown reads as "
               "block syntax with a backslash (\\-, \\#, \\1.), and do not leave it empty or open a fence.")


def _literal_marks(literal: str) -> dict[str, Any]:
    out: dict[str, Any] = {"stars": [], "underscores": [], "backticks": [], "link": [], "brackets": [], "balance": 0}
    for token in literal.split():
        for m in re.finditer(r"\*+", token):
            if len(m.group()) < len(token):  # a lone '*' between spaces is just a character
                out["stars"].append((m.group(), token))
        for m in re.finditer(r"_+", token):
            before = token[m.start() - 1] if m.start() else " "
            after = token[m.end()] if m.end() < len(token) else " "
            if before.isalnum() != after.isalnum():  # _word or word_ : an emphasis that did not close
                out["underscores"].append((m.group(), token))
        out["backticks"] += [("`", token)] * token.count("`")
        out["link"] += [token] * (token.count("](") + token.count("[^"))
        if "[" in token or "]" in token:
            out["brackets"].append(token)
            out["balance"] += token.count("[") - token.count("]")
    return out


_LINKS_HELP = ("Translate the link text but keep the target of the source: localization keeps only links to the "
               "source's targets. A page that exists in this language goes in checks.localized-urls.")


def _localized_urls(ctx: Context) -> dict[str, str]:
    """Localized URL → source URL for the language (from checks.localized-urls, by code or base language)."""
    urls = ctx.settings.localized_urls
    table = urls.get(ctx.language)
    if table is None:
        base = ctx.language.replace("_", "-").split("-")[0]
        table = urls.get(base, {})
    return {local: source for source, local in table.items()}


def _links(message: Message, source: Parsed, target: Parsed, localized: dict[str, str]) -> Iterator[Finding]:
    for kind, src, dst in (("link", source.links, target.links), ("image", source.images, target.images)):
        dst = Counter({localized.get(url, url): n for url, n in dst.items()})
        extra = dst - src
        missing = src - dst
        if extra:
            url = next(iter(extra))
            shown = ", ".join(f"'{u}'" for u in src) or "none"
            what = "link target" if kind == "link" else "image source"
            yield Finding(message.index, "links", f"{what} '{url}' is not in the source (source: {shown})", _LINKS_HELP)
        elif missing:
            url = next(iter(missing))
            what = "the link to" if kind == "link" else "the image"
            yield Finding(message.index, "links", f"{what} '{url}' is missing from the translation", _LINKS_HELP)


_MARKUP_HELP = ("Keep the source's inline markup: emphasis, strong and code spans mark the same words in every "
                "language, and footnote references must stay so the notes keep their numbers.")


def _markup(message: Message, source: Parsed, target: Parsed, broken: set[str]) -> Iterator[Finding]:
    skip = set()
    if "emphasis" in broken:
        skip.update(_EMPHASIS)
    if "code" in broken:
        skip.add("Code")
    for kind, label in _KINDS.items():
        a, b = source.counts[kind], target.counts[kind]
        if a != b and kind not in skip:
            yield Finding(message.index, "markup", f"{a} {label} in the source, {b} in the translation", _MARKUP_HELP)
    src_notes, dst_notes = Counter(note_refs(message.msgid)), Counter(note_refs(message.msgstr))
    if src_notes != dst_notes:
        missing = list((src_notes - dst_notes).elements())
        extra = list((dst_notes - src_notes).elements())
        text = (f"footnote reference [^{missing[0]}] is missing from the translation" if missing
                else f"footnote reference [^{extra[0]}] is not in the source")
        yield Finding(message.index, "markup", text, _MARKUP_HELP)
    new_raw = target.raws - source.raws
    if new_raw:
        raw = next(iter(new_raw))
        yield Finding(message.index, "markup", f"raw HTML '{raw}' is not in the source: it would show as text",
                      "Write emphasis and links in Markdown; HTML only passes through where the source has it.")

