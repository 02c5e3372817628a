"""Message text as Markdown: what pandoc makes of each msgid and msgstr, and whether a translation may stand
in for its source.

In: message strings (msgids, msgstrs). Out: for each, the blocks pandoc reads (its JSON AST), every message of
a batch in one pandoc call; and :func:`mismatch`, the one rule that decides whether a translation is used.

A message is one block of its master: a paragraph, a heading's text, a list item, a table cell. Its
translation must read as the same kind of block. One that Markdown reads as something else — a link
reference definition (``[nota]: https://…``), a thematic break (``---``), a table, a list, a heading, only
white space, or an unclosed fence — would make its block vanish or change in the outputs. Such a translation
is not used: coverage and the gate count it untranslated, ``check`` reports it at its line, and the build
shows the source text. Every command gets that verdict from :func:`mismatch` over :func:`parse`.

Messages are parsed together, joined by empty fenced divs with an unguessable id. A message that swallows the
separators (an unclosed code fence or div, an HTML block that runs to its end tag) is found because the
separators then do not all come back at the top level: the batch is split in halves until that message is
parsed alone, so no message can change how another reads.
"""

from __future__ import annotations

import html
import json
import re
import secrets
from typing import Any

from .. import pandoc
from ..config import Limits
from ..segments import MAX_DEPTH, depth
from ..sources import CONTROL_CHARACTERS

Json = dict[str, Any]

#: A footnote reference ``[^label]``, its label in group 1.
NOTE_REF = re.compile(r"(?<!\\)\[\^([^\]\s]+)\]")
_BLANK_LINES = re.compile(r"\n\s*\n+")

_BLOCK_NAMES = {
    "Para": "a paragraph", "Plain": "a paragraph", "Header": "a heading", "BulletList": "a bullet list",
    "OrderedList": "a numbered list", "BlockQuote": "a block quote", "CodeBlock": "a code block",
    "HorizontalRule": "a thematic break (a rule)", "Table": "a table", "DefinitionList": "a definition list",
    "Div": "a fenced div", "LineBlock": "a line block", "RawBlock": "raw HTML", "Figure": "a figure",
}


def parse(texts: list[str], references: str = "") -> list[list[Json]]:
    """The blocks of each message, read in the messages' dialect (raw HTML kept for the caller to confine).

    Blank lines inside a message are read as line breaks (a translator's editor may add them). A footnote
    reference ``[^n]`` becomes a note holding the text ``<message>n<label>`` (see :func:`note_label`), so
    references are never resolved against another message's definitions. ``references``: the master's link
    reference definitions, which its messages' ``[text][label]`` links resolve to."""
    if not texts:
        return []
    return _parse([_prepare(i, text) for i, text in enumerate(texts)], _definitions(references))


def _definitions(references: str) -> str:
    """The master's link reference definitions, each alone (a line of a message cannot continue one)."""
    return "\n\n".join(line for line in references.split("\n") if line.strip())


def _prepare(i: int, text: str) -> str:
    return NOTE_REF.sub(lambda m: f"[^{i}n{m.group(1)}]", _BLANK_LINES.sub("\n", text.strip()))


#: A line that may start a block other than a paragraph (or continue one into another block: a setext heading's
#: underline, a table's delimiter row, a definition): Markdown block syntax, an HTML block, a list marker.
_MAY_START_BLOCK = re.compile(r"^[ \t]*(?:[#>\-+_`~<|:=]|\*[ \t]|\*$|\*\*\*[ \t*]*$|\[.*\]:|[0-9]+[.)]|$)", re.M)


_MARKUP = re.compile(r"[*_\[\]`~^<]")


def plainly_a_paragraph(text: str) -> bool:
    """Whether a message is surely one paragraph, without asking pandoc: no line of it can start or change a
    block. (When unsure, the answer is False and pandoc decides.)"""
    prepared = _BLANK_LINES.sub("\n", text.strip())
    if len(_MARKUP.findall(prepared)) > MAX_DEPTH:  # markup that may nest deeply: pandoc decides
        return False
    return bool(prepared) and not _MAY_START_BLOCK.search(prepared)


def _parse(texts: list[str], links: str = "") -> list[list[Json]]:
    labels = dict.fromkeys(label for text in texts for label in NOTE_REF.findall(text))
    definitions = "\n\n".join([*(f"[^{label}]: {label}" for label in labels), *([links] if links else [])])
    if len(texts) == 1:
        return [pandoc.read_markdown(f"{texts[0]}\n\n{definitions}\n", path="<messages>", fmt=pandoc.MESSAGE_FORMAT)
                ["blocks"]]
    sep = "cop" + secrets.token_hex(8)
    fence = f"\n\n::: {{#{sep}}}\n:::\n\n"
    written = pandoc.read_markdown_json(fence.join(texts) + fence + definitions + "\n", path="<messages>",
                                        fmt=pandoc.MESSAGE_FORMAT)
    chunks: list[list[Json]] = [[]]
    for block in json.loads(written)["blocks"]:
        if block["t"] == "Div" and block["c"][0][0] == sep:
            chunks.append([])
        else:
            chunks[-1].append(block)
    if len(chunks) == len(texts) + 1 and written.count(sep) == len(texts):
        return chunks[:-1]
    half = len(texts) // 2  # a message swallowed separators: find it
    return _parse(texts[:half], links) + _parse(texts[half:], links)


def numbered_notes(msgstr: str, msgid: str) -> str:
    """A translation's footnote references as numbers: the n-th label of its msgid (as the author named them:
    ``[^privacy]``, ``[^3]``) becomes ``[^n]``, and a label the msgid does not have ``[^0]``, which refers to
    nothing (see :func:`note_label`)."""
    labels = list(dict.fromkeys(NOTE_REF.findall(msgid)))
    return NOTE_REF.sub(lambda m: f"[^{labels.index(m.group(1)) + 1 if m.group(1) in labels else 0}]", msgstr)


def note_label(note: Json) -> int | None:
    """The footnote number a translator wrote in a note that :func:`parse` made."""
    body = note["c"]
    if not body or body[0]["t"] not in ("Para", "Plain"):
        return None
    text = "".join(node["c"] for node in body[0]["c"] if node["t"] == "Str")
    _, _, label = text.partition("n")
    return int(label) if label.isdigit() else None


def shape(blocks: list[Json]) -> tuple[str, ...]:
    """The kinds of a message's top-level blocks (a paragraph: ``("Para",)``)."""
    return tuple("Para" if b["t"] == "Plain" else b["t"] for b in blocks if b["t"] != "Null")


def describe(kinds: tuple[str, ...]) -> str:
    if not kinds:
        return "nothing (only white space, or a link or footnote definition)"
    names = [_BLOCK_NAMES.get(k, k) for k in kinds]
    return names[0] if len(names) == 1 else f"{len(names)} blocks ({', '.join(names)})"


def mismatch(source: list[Json], translation: list[Json]) -> str | None:
    """Why a translation cannot stand in for its source, or None when it reads as the same kind of block."""
    want, got = shape(source), shape(translation)
    if want == got:
        if depth(translation) > depth(source) + MAX_DEPTH:
            return f"the translation's markup nests deeper than {MAX_DEPTH} levels"
        return None
    return f"the translation reads as {describe(got)}, not as {describe(want)} like its source"


def too_long(msgid: str, msgstr: str, limits: Limits) -> bool:
    """Whether a translation is longer than the project allows (``limits:``): it is then neither parsed nor used."""
    return len(msgstr) > limits.translation_factor * len(msgid) + limits.translation_extra


def unusable(msgid: str, msgstr: str, limits: Limits) -> str | None:
    """Why a translation cannot be used before it is even parsed: too long, or holding control characters."""
    if too_long(msgid, msgstr, limits):
        return (f"the translation has {len(msgstr):,} characters, more than {limits.translation_factor} × its "
                f"source's {len(msgid):,} + {limits.translation_extra}")
    found = CONTROL_CHARACTERS.search(msgstr)
    if found and not CONTROL_CHARACTERS.search(msgid):
        return f"the translation holds the control character U+{ord(found.group()):04X}, which no page can show"
    return None


#: Bidirectional controls: embeddings and overrides, isolates, marks. Invisible, they reorder or hide text.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")


def added_bidi_controls(msgid: str, msgstr: str) -> list[str]:
    """The bidi controls a translation has more of than its source, counted in the text as a reader gets it
    (entities such as ``&#x202E;`` decoded). ``check`` reports them and the build refuses them."""
    if "&" in msgstr or "&" in msgid:
        msgid, msgstr = html.unescape(msgid), html.unescape(msgstr)
    return sorted(ch for ch in {c for c in msgstr if c in BIDI_CONTROLS} if msgstr.count(ch) > msgid.count(ch))


def mismatches(pairs: list[tuple[str, str]], limits: Limits | None = None) -> list[str | None]:
    """Why each translation of (msgid, msgstr) pairs cannot be used, or None: too long for the project's limits,
    or :func:`mismatch`; those that are not plainly two paragraphs are parsed in one batch."""
    limits = limits or Limits()
    out: list[str | None] = [unusable(msgid, msgstr, limits) for msgid, msgstr in pairs]
    unsure = [i for i, (msgid, msgstr) in enumerate(pairs) if out[i] is None and not (
        plainly_a_paragraph(msgid) and plainly_a_paragraph(msgstr))]
    parsed = parse([pairs[i][0] for i in unsure] + [pairs[i][1] for i in unsure])
    for n, i in enumerate(unsure):
        out[i] = mismatch(parsed[n], parsed[len(unsure) + n])
    return out
