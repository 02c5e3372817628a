"""A master in another language as Markdown: each message's translation put in place of the text it was taken
from (``cop-docs po2md``).

In: a master's text and its translations ((msgctxt, msgid) → msgstr, those a catalog may use: see
:func:`cop_docs.catalogs.coverage.catalog_translations`). Out: the master's text with every translated message
replaced where the author typed it (:mod:`cop_docs.slices` knows where), everything else (markup, attributes,
code, the spacing and wrapping of untranslated blocks) byte for byte. A message translated as itself changes
nothing, so an identity catalog gives back the master's bytes. Translations are untrusted: one that would link
elsewhere, load a picture or add raw HTML or attributes its message does not have is not used (:func:`confined`).

A translation goes on the line its source started on (its soft line breaks become spaces; a hard break keeps
its line, indented for its container). In a table cell a ``|`` is escaped, a picture's title keeps its quotes,
a front-matter value becomes a quoted YAML string.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping

import yaml

from .slices import Slice, read, targets

Key = tuple[str | None, str]


def substituted(text: str, translations: Mapping[Key, str]) -> str:
    """The master's text with its translations in place (a translation that is not confined to what its message
    holds is not used: its source stays)."""
    reading = read(text)
    edits: dict[tuple[int, int], str] = {}
    for piece in reading.slices:
        msgstr = translations.get((piece.context, piece.msgid))
        if not msgstr or msgstr == piece.msgid or piece.span is None:
            continue
        if piece.site in ("text", "cell") and not confined(piece.msgid, msgstr, reading.link_targets):
            continue
        edits.setdefault(piece.span, _written(piece, msgstr, text))
    out = text
    last = len(text) + 1
    for (start, end), replacement in sorted(edits.items(), reverse=True):
        if end > last:  # overlapping places (never from one reading): the later one is left as it was
            continue
        out = out[:start] + replacement + out[end:]
        last = start
    return out


def confined(msgid: str, msgstr: str, references: dict) -> bool:
    """Whether a translation points only where its message points and brings in nothing its message does not:
    the same link targets and pictures (or fewer), no raw HTML or attributes of its own. Translations are
    untrusted: one that links elsewhere, loads a file or adds HTML is not used."""
    source, translation = targets(msgid, references), targets(msgstr, references)
    return all(set(found) <= set(allowed) for found, allowed in zip(translation, source, strict=True))


def _plain_yaml(value: str) -> bool:
    """Whether a value reads back as itself unquoted, as the author's plain value did."""
    try:
        return yaml.safe_load(f"k: {value}") == {"k": value}
    except yaml.YAMLError:
        return False


def _written(piece: Slice, msgstr: str, text: str) -> str:
    """A translation as it must be written where its message was."""
    if piece.site == "yaml":
        value = " ".join(msgstr.split())
        plain = piece.span is not None and text[piece.span[0]] not in "\"'"
        return value if plain and _plain_yaml(value) else json.dumps(value, ensure_ascii=False)  # JSON is YAML
    if piece.site == "title":
        quote = text[piece.span[0] - 1] if piece.span else '"'
        # a backslash at the end would escape the closing quote
        return " ".join(msgstr.split()).rstrip("\\").replace(quote, "\\" + quote)
    if piece.site == "cell":
        return re.sub(r"(?<!\\)\|", r"\\|", " ".join(msgstr.split()).rstrip("\\"))  # '\' would escape the '|' after
    start = piece.span[0] if piece.span else 0
    line_start = text.rfind("\n", 0, start) + 1
    indent = re.sub(r"[^>\t]", " ", text[line_start:start])  # a continuation line, inside the same container
    lines = [line.strip() for line in msgstr.split("\n")]
    out = ""
    for i, line in enumerate(lines):
        last = i == len(lines) - 1
        if not last and line.endswith("\\"):
            out += line + "\n" + indent
        else:
            out += line + ("" if last else " ")
    return out
