"""Translation coverage: how much of each catalog is translated, in messages and in source words.

In: PO files (a project's, or any gettext catalogs given as files or folders, like ``pocount``). Out:
:class:`CatalogCoverage` records (one per catalog) and a :class:`Report` that rolls them up per language,
document and audience. Output formats live in :mod:`cop_docs.reports`.

Counting follows GNU ``msgfmt --statistics`` exactly:

- obsolete entries (``#~``) are not counted;
- an entry whose first msgstr (``msgstr`` or ``msgstr[0]``) is empty is *untranslated*, even when it is
  marked fuzzy (polib's ``fuzzy_entries()`` calls such an entry fuzzy; msgfmt does not);
- otherwise the header entry (no msgctxt, empty msgid) is not counted;
- otherwise an entry with the ``fuzzy`` flag is *fuzzy*, and any other entry is *translated*.
  Flags are the tokens of the entry's *last* ``#,`` comment, separated by commas and white space, as gettext
  reads them (each ``#,`` line replaces the flags of the one before; polib merges them).

Source words are the words of each entry's msgid (see :func:`count_words`), counted in the entry's state.

Catalogs are read by a small reader of their own (a regular expression per entry) rather than polib, which
reads some valid files differently (several strings on a line, ``#,fuzzy``, several ``#,`` lines, NUL
escapes) and is about three times slower at reading. The reader accepts what GNU gettext's reader accepts
(strings continued over lines and blank lines, ``\\``-newline continuations, C escapes, ``#|`` previous
msgids, plural forms in order, ``domain`` lines, any charset the header names) and rejects, with the file and
line, what msgfmt rejects: syntax errors, invalid escapes, unterminated strings, invalid multibyte sequences,
misnumbered plural forms, duplicate messages and a leading byte order mark. Files are read in parallel
processes when there is much to read, and the counts are kept in a :class:`CoverageCache` keyed by each
file's path, size and modification time, so that a repeated run reads nothing.
"""

from __future__ import annotations

import codecs
import json
import os
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import CatalogError

if TYPE_CHECKING:
    from ..config import Project

UNKNOWN_LANGUAGE = "und"  #: the BCP-47 "undetermined" tag, for catalogs that name no language
CACHE_NAME = "coverage.json"
#: bump when the counting rules change: a cache written under other rules is discarded
RULES_VERSION = 1


class _lazy:  # lower case: it stands for re.compile
    """A regular expression compiled on first use, so that a run answered from the cache compiles none.

    :func:`_compile_all` replaces every one by its compiled pattern before a catalog is read (the fast path);
    until then each works through ``__getattr__``.
    """

    def __init__(self, source: str | bytes, flags: int = 0):
        self.args = (source, flags)

    def __getattr__(self, name: str) -> Any:
        return getattr(re.compile(*self.args), name)


def _compile_all() -> None:
    names = globals()
    for name, value in list(names.items()):
        if isinstance(value, _lazy):
            names[name] = re.compile(*value.args)


# --- counts ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Counts:
    """Messages (or words) in each state, as msgfmt counts them."""

    translated: int = 0
    fuzzy: int = 0
    untranslated: int = 0

    @property
    def total(self) -> int:
        return self.translated + self.fuzzy + self.untranslated

    @property
    def percent(self) -> float:
        """Translated share in percent; 100.0 for an empty catalog (nothing is missing)."""
        total = self.total
        return 100.0 if total == 0 else self.translated * 100.0 / total

    @property
    def complete(self) -> bool:
        return self.translated == self.total

    def __add__(self, other: Counts) -> Counts:
        if not isinstance(other, Counts):
            return NotImplemented
        return Counts(self.translated + other.translated, self.fuzzy + other.fuzzy, self.untranslated + other.untranslated)

    def as_tuple(self) -> tuple[int, int, int]:
        return (self.translated, self.fuzzy, self.untranslated)


@dataclass(frozen=True)
class CatalogCoverage:
    path: str  #: as given, or relative to the project root
    language: str | None  #: the PO "Language:" header, or the project's language code
    document: str | None  #: the project document's id; None for free-standing files
    audience: str | None
    messages: Counts
    words: Counts  #: source words (the words of the msgid) in each state
    missing: bool = False  #: no PO file yet: every message of the template counts as untranslated
    snippets: tuple[str, ...] = ()  #: catalogs of the shared snippets the document includes, counted in it


@dataclass
class Report:
    """Coverage of a set of catalogs, with roll-ups. Each roll-up maps a key to (messages, words)."""

    catalogs: list[CatalogCoverage] = field(default_factory=list)

    def _by(self, key) -> dict[str, tuple[Counts, Counts]]:
        out: dict[str, tuple[Counts, Counts]] = {}
        for c in self.catalogs:
            k = key(c)
            if k is None:
                continue
            messages, words = out.get(k, (Counts(), Counts()))
            out[k] = (messages + c.messages, words + c.words)
        return out

    def by_language(self) -> dict[str, tuple[Counts, Counts]]:
        """Per language (catalogs naming none under ``"und"``), in order of first appearance."""
        return self._by(lambda c: c.language or UNKNOWN_LANGUAGE)

    def by_document(self) -> dict[str, tuple[Counts, Counts]]:
        """Per project document, over every language; free-standing catalogs are left out."""
        return self._by(lambda c: c.document)

    def by_audience(self) -> dict[str, tuple[Counts, Counts]]:
        """Per audience, over every document of that audience and every language."""
        return self._by(lambda c: c.audience)

    def total(self) -> tuple[Counts, Counts]:
        messages, words = Counts(), Counts()
        for c in self.catalogs:
            messages, words = messages + c.messages, words + c.words
        return messages, words


# --- words -------------------------------------------------------------------------------------------------

#: Han, Hiragana and Katakana characters: one word each (with the iteration and prolonged-sound marks).
_CJK = _lazy("[\u3005\u3007\u3021-\u3029\u3038-\u303b\u3041-\u3096\u309d-\u309f\u30a1-\u30fa\u30fc-\u30ff"
             "\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f\U00020000-\U0003134f]")
#: Combining marks and joiners that belong inside words (Python's \w has letters and digits but no marks):
#: Latin, Cyrillic, Hebrew, Arabic, Syriac, Thaana, Indic scripts, Thai, Lao, ZWNJ/ZWJ.
_MARKS = ("\u0300-\u036f\u0483-\u0489\u0591-\u05bd\u05bf\u05c1\u05c2\u05c4\u05c5\u05c7\u0610-\u061a\u064b-\u065f"
          "\u0670\u06d6-\u06dc\u06df-\u06e4\u06e7\u06e8\u06ea-\u06ed\u0711\u0730-\u074a\u07a6-\u07b0\u0816-\u082d"
          "\u08d3-\u08ff\u0900-\u0963\u0966-\u0dff\u0e31\u0e34-\u0e3a\u0e47-\u0e4e\u0eb1\u0eb4-\u0ebc\u0ec8-\u0ecd"
          "\u1ab0-\u1aff\u1dc0-\u1dff\u200c\u200d\u20d0-\u20ff\ufe00-\ufe0f\ufe20-\ufe2f")
_W = rf"[\w{_MARKS}]"
#: A word: letters, digits and marks, joined by apostrophes or hyphens (don't, well-known), and digits
#: joined by '.' or ',' (3.14, 1,000). It starts with a letter or digit, never with a mark or joiner.
_WORD = _lazy(rf"\w{_W}*(?:(?:['\u2019\u2010-]|(?<=\d)[.,](?=\d)){_W}+)*")
#: Markdown and HTML that are not words. None of these patterns crosses a NUL, so texts joined with NULs
#: count as the sum of their parts.
_AUTOLINK = _lazy(r"<(?:[A-Za-z][A-Za-z0-9+.-]{1,31}:[^<>\s\x00]*|[^<>\s@\x00]+@[^<>\s\x00]+)>")
_TAG = _lazy(r"<!--[^\x00]*?-->|</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>\x00]*)?/?>")
_FOOTNOTE = _lazy(r"\[\^[^\]\s\x00]+\]")
_LINK = _lazy(r"\[((?:[^\[\]\x00]|\[[^\[\]\x00]*\])*)\]"  # [text] or ![alt], then
              r"(?:\((?:[^()\x00]|\([^()\x00]*\))*\)"  # (url "title"),
              r"|\[[^\[\]\x00]*\]"  # or [ref] / [],
              r"|\{[^{}\x00]*\})")  # or a span's {attributes}
_ATTRIBUTES = _lazy(r"(?<=`)\{[^{}\x00]*\}|\{[#.=][^{}\x00]*\}|\{-\}")
_URL = _lazy(r"(?:\b[A-Za-z][A-Za-z0-9+.-]{1,31}://|\bwww\.|\bmailto:)[^\s<>\x00]*")
_ENTITY = _lazy(r"&(?:#[0-9]+|#[xX][0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]{1,31});")


def count_words(text: str) -> int:
    """The words of a message's Markdown text, as a translator sees them.

    Markdown syntax is not counted (``**``, ``*``, ``_``, backticks; a link counts its text, an image its alt
    text, a span its text, never the URL, title or attributes); footnote references (``[^1]``), autolinks,
    bare URLs, HTML tags and entities count nothing. Each Han, Hiragana or Katakana character is a word;
    in other scripts a word is a run of letters, digits and combining marks, which apostrophes and hyphens
    may join (``don't``, ``well-known``), as '.' and ',' join digits (``3.14``).
    """
    if isinstance(_WORD, _lazy):
        _compile_all()
    if "[" in text:
        if "[^" in text:
            text = _FOOTNOTE.sub(" ", text)
        text = _LINK.sub(r" \1 ", text)
    if "<" in text:
        text = _TAG.sub(" ", _AUTOLINK.sub(" ", text))
    if "{" in text:
        text = _ATTRIBUTES.sub(" ", text)
    if "://" in text or "www." in text or "mailto:" in text:
        text = _URL.sub(" ", text)
    if "&" in text:
        import html

        text = _ENTITY.sub(lambda m: " " if m.group() == "&nbsp;" else html.unescape(m.group()), text)
    if "_" in text:
        text = text.replace("_", " ")
    cjk = 0
    if not text.isascii():
        text, cjk = _CJK.subn(" ", text)
    return cjk + _WORD.subn("", text)[1]  # counting by substitution builds no list of words


# --- reading a catalog --------------------------------------------------------------------------------------

_S = r"[ \t\r\f\v]"  # blanks within a line
_WS = r"[ \t\n\r\f\v]*"  # white space between tokens (gettext's, not Unicode's)
_STR = r'"[^"\\\n]*(?:\\(?:[abfnrtv"\\0-7]|x[0-9A-Fa-f])[^"\\\n]*)*"'  # the escapes gettext accepts
_STRS = rf"{_STR}(?:{_WS}{_STR})*"
_PRE = rf"(?:{_S}*(?:\#(?![~|])[^\n]*|domain{_WS}{_STR}{_S}*)?\n)*"  # comment, blank and domain lines
_ENTRY = _lazy(rf"""
    (?P<pre>{_PRE})
    (?:
        (?P<obs>(?:{_S}*\#~[^\n]*\n(?:{_S}*\n)*)+)    # obsolete entries, read again without their "#~"
      | (?P<prev>(?:{_S}*\#\|[^\n]*\n(?:{_S}*\n)*)*)    # previous msgid: tokens, not comments
        {_WS}(?:msgctxt{_WS}(?P<ctx>{_STRS}){_WS})?
        msgid{_WS}(?P<id>{_STRS}){_WS}
        (?:
            msgstr{_WS}(?P<str>{_STRS})
          | msgid_plural{_WS}{_STRS}{_WS}
            (?P<forms>msgstr{_WS}\[{_WS}[0-9]+{_WS}\]{_WS}(?P<str0>{_STRS})
                (?:{_WS}msgstr{_WS}\[{_WS}[0-9]+{_WS}\]{_WS}{_STRS})*)
        )
    )""", re.X)
_TAIL = _lazy(rf"{_PRE}{_S}*\Z")
_PREV_LINE = _lazy(rf"{_S}*#\|{_S}*(?:(?:msgctxt|msgid_plural|msgid)(?![A-Za-z0-9_]){_S}*)?(?:{_STR}{_S}*)*\Z")
_PIECE = _lazy(r'"([^"\\\n]*(?:\\.[^"\\\n]*)*)"')
_EMPTY = _lazy(rf'""(?:{_WS}"")*\Z')
_ESCAPE = _lazy(r"\\(x[0-9A-Fa-f]+|[0-7]{1,3}|.)")
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "f": "\f", "v": "\v", '"': '"', "\\": "\\"}
_FLAG_LINE = _lazy(rf"^{_S}*#,([^\n]*)", re.M)
_FLAG_SEPARATORS = _lazy(r"[ \t\r\f\v,]+")
_INDEX = _lazy(rf"\[{_WS}([0-9]+){_WS}\]")
_CHARSET = _lazy(rb"Content-Type:[^\"\n]*?charset=([A-Za-z0-9_.:+-]+)")
_LANGUAGE = _lazy(r"^Language:[ \t]*([^\s]*)", re.M)


def _unescape_match(m: re.Match) -> str:
    s = m.group(1)
    if s[0] == "x":
        return chr(int(s[1:], 16) & 0xFF)  # gettext reads every hex digit and keeps the low byte
    if s[0] in "01234567":
        return chr(int(s, 8) & 0xFF)
    return _ESCAPES.get(s, s)


def _piece(s: str) -> str:
    if "\\" in s:
        s = _ESCAPE.sub(_unescape_match, s)
    return s.split("\0", 1)[0] if "\0" in s else s


def _text(strings: str) -> str:
    """The value of a run of adjacent quoted strings. gettext reads each string as a C string, so a NUL
    ends that string (not the ones after it: ``"\\0a" "b"`` is ``b``)."""
    pieces = _PIECE.findall(strings)
    if len(pieces) == 1:
        return _piece(pieces[0])
    if "\\" in strings or "\0" in strings:
        return "".join(_piece(p) for p in pieces)
    return "".join(pieces)


def _first_is_empty(strings: str) -> bool:
    """Whether a msgstr's value is empty (msgfmt tests its first byte, so one starting with NUL is empty)."""
    return _EMPTY.match(strings) is not None or (("\\" in strings or "\0" in strings) and _text(strings) == "")


def _is_fuzzy(pre: str) -> bool:
    """Whether the comments before an entry flag it fuzzy. gettext re-reads the flags at each ``#,`` line,
    forgetting the previous ones, so only the last ``#,`` line counts (``#, fuzzy`` then ``#, c-format`` is
    not fuzzy)."""
    if "fuzzy" not in pre:
        return False
    lines = _FLAG_LINE.findall(pre)
    return bool(lines) and "fuzzy" in _FLAG_SEPARATORS.split(lines[-1])


@dataclass(frozen=True)
class CatalogCounts:
    """What one PO file holds: its messages and source words in each state, and its ``Language:`` header."""

    messages: Counts
    words: Counts
    language: str | None


_DIAGNOSIS_TOKENS = _lazy(rf"""
      (?P<space>[ \t\n\r\f\v]+) | (?P<comment>\#(?![~|])[^\n]*) | (?P<previous>\#\|[^\n]*) | (?P<obsolete>\#~)
    | (?P<string>{_STR}) | (?P<badstring>"(?:[^"\\\n]|\\.)*") | (?P<open>"[^\n]*)
    | (?P<keyword>(?:msgctxt|msgid_plural|msgid|msgstr|domain)(?![A-Za-z0-9_$]))
    | (?P<word>[A-Za-z_$][A-Za-z0-9_$]*) | (?P<index>\[{_WS}[0-9]+{_WS}\]) | (?P<other>.)""", re.X | re.S)
#: what may follow each step of an entry (gettext's grammar, enough to name the first wrong token)
_NEXT = {"start": ("msgctxt", "msgid"), "msgctxt": ("msgid",), "msgid": ("msgstr", "msgid_plural"),
         "msgid_plural": ("msgstr[",), "msgstr": ("end",), "msgstr[": ("msgstr[", "end")}


class _Reader:
    """Counts one catalog's text; raises CatalogError with the line of the first problem."""

    def __init__(self, path: str, text: str, added_newline: bool = False):
        self.path = path
        self.text = text
        self.added_newline = added_newline  #: the file did not end with a newline; the reader added one
        #: (msgctxt, msgid) -> where it was defined (text, offset, first line), obsolete entries included
        self.seen: dict[tuple[str | None, str], tuple[str, int, int]] = {}
        self.ids: tuple[list[str], list[str], list[str]] = ([], [], [])  # msgids: translated, fuzzy, untranslated
        self.language: str | None = None

    def fail(self, message: str, text: str, offset: int, first_line: int) -> CatalogError:
        return CatalogError(message, self.path, first_line + text.count("\n", 0, offset))

    def read(self) -> CatalogCounts:
        self.entries(self.text, 1, obsolete=False)
        translated, fuzzy, untranslated = self.ids
        words = [count_words("\0".join(ids)) if ids else 0 for ids in self.ids]
        return CatalogCounts(Counts(len(translated), len(fuzzy), len(untranslated)), Counts(*words), self.language)

    def entries(self, text: str, first_line: int, *, obsolete: bool) -> None:
        """Read every entry of ``text``, whose first line is line ``first_line`` of the file."""
        match = _ENTRY.match
        translated, fuzzy, untranslated = self.ids
        seen = self.seen
        pos = counted_to = 0
        line = first_line
        while m := match(text, pos):
            pos = m.end()
            if m.group("obs") is not None:
                if obsolete:
                    raise self.fail("syntax error", text, m.start("obs"), first_line)
                line += text.count("\n", counted_to, m.start("obs"))  # counted as we go: files may have many
                counted_to = m.start("obs")
                self.obsolete(m.group("obs"), line)
                continue
            if m.group("prev"):
                self.check_previous(m, text, first_line)
            ctx = m.group("ctx")
            msgid = _text(m.group("id"))
            first = m.group("str")
            if first is None:
                self.check_forms(m, text, first_line)
                first = m.group("str0")
            key = (None if ctx is None else _text(ctx), msgid)
            if key in seen:
                where, offset, where_first = seen[key]
                first_at = where_first + where.count("\n", 0, offset)
                raise self.fail(f"duplicate message definition (first defined on line {first_at})", text, m.start("id"),
                                first_line)
            seen[key] = (text, m.start("id"), first_line)
            if obsolete:
                continue
            if _first_is_empty(first):
                untranslated.append(msgid)
            elif ctx is None and msgid == "":  # the header entry is not counted
                if self.language is None and (found := _LANGUAGE.search(_text(first))):
                    self.language = found.group(1) or None
            elif _is_fuzzy(m.group("pre")):
                fuzzy.append(msgid)
            else:
                translated.append(msgid)
        if not _TAIL.match(text, pos):
            raise self.diagnose(text, pos, first_line)

    def obsolete(self, block: str, first_line: int) -> None:
        """Obsolete entries are not counted, but must be well formed and unique, as msgfmt wants."""
        stripped = _OBSOLETE_PREFIX.sub(lambda m: "#|" if m.group(1) else "", block)
        self.entries(stripped, first_line, obsolete=True)

    def check_previous(self, m: re.Match, text: str, first_line: int) -> None:
        """``#|`` lines hold tokens: [msgctxt] msgid [msgid_plural], each with its strings."""
        offset = m.start("prev")
        for line in m.group("prev").split("\n")[:-1]:
            if line.strip(" \t\r\f\v") and not _PREV_LINE.match(line):
                raise self.fail("syntax error in a previous msgid (#| line)", text, offset, first_line)
            offset += len(line) + 1
        if not _PREV_BLOCK.match(_PREV_PREFIX.sub("", m.group("prev"))):
            raise self.fail("syntax error in the previous msgid (#| lines)", text, m.start("prev"), first_line)

    def check_forms(self, m: re.Match, text: str, first_line: int) -> None:
        for expected, index in enumerate(_INDEX.finditer(m.group("forms"))):
            if int(index.group(1)) != expected:
                what = "first plural form has nonzero index" if expected == 0 else "plural form has wrong index"
                raise self.fail(what, text, m.start("forms") + index.start(), first_line)

    def diagnose(self, text: str, pos: int, first_line: int) -> CatalogError:
        """The first problem after ``pos``, where no entry could be read, in msgfmt's words where possible."""
        at = _PRE_LINES.match(text, pos).end()
        step, msgid_at = "start", at
        while at < len(text):
            t = _DIAGNOSIS_TOKENS.match(text, at)
            kind, value, start, at = t.lastgroup, t.group(), t.start(), t.end()

            def fail(message: str, offset: int = start) -> CatalogError:
                return self.fail(message, text, offset, first_line)

            if kind == "space":
                continue
            if kind == "previous":
                if step != "start":
                    return fail("syntax error")
                if not _PREV_LINE.match(value):
                    return fail("syntax error in a previous msgid (#| line)")
                continue
            if kind == "open":
                at_end = at >= len(text) - 1 and self.added_newline
                return fail("end-of-file within string" if at_end else "end-of-line within string")
            if kind == "badstring":
                return fail("invalid control sequence")
            if kind == "word":
                return fail(f'keyword "{value}" unknown')
            if kind in ("comment", "obsolete"):
                if step in ("msgid", "msgid_plural"):
                    return fail("missing 'msgstr' section", msgid_at)
                return fail("syntax error" if kind == "comment" else "inconsistent use of #~")
            if kind == "keyword":
                if value == "msgstr":
                    rest = _DIAGNOSIS_TOKENS.match(text, at)
                    while rest.lastgroup == "space" and rest.end() < len(text):
                        rest = _DIAGNOSIS_TOKENS.match(text, rest.end())
                    value = "msgstr[" if rest.lastgroup == "index" else "msgstr"
                    if value == "msgstr[":
                        at = rest.end()
                if value not in _NEXT[step]:
                    if step == "msgid" and value in ("msgctxt", "msgid"):
                        return fail("missing 'msgstr' section", msgid_at)
                    if step == "msgid_plural" and value in ("msgctxt", "msgid", "msgid_plural"):
                        return fail("missing 'msgstr[]' section", msgid_at)
                    if step == "msgid" and value == "msgstr[":
                        return fail("missing 'msgid_plural' section", msgid_at)
                    if step == "msgid_plural" and value == "msgstr":
                        return fail("syntax error: after msgid_plural come msgstr[0], msgstr[1]…")
                    return fail("syntax error")
                step = value
                if value == "msgid":
                    msgid_at = start
                strings = _STRS_AT.match(text, at)
                if not strings:
                    continue  # the next token tells what is wrong
                at = strings.end()
                continue
            return fail("syntax error")
        if step in ("msgid", "msgid_plural"):
            return self.fail("missing 'msgstr' section", text, msgid_at, first_line)
        return self.fail("syntax error", text, min(pos, len(text) - 1), first_line)


_OBSOLETE_PREFIX = _lazy(r"^[ \t\r\f\v]*#~(\|)?", re.M)
_PREV_PREFIX = _lazy(r"^[ \t\r\f\v]*#\|", re.M)
_PREV_BLOCK = _lazy(rf"{_WS}(?:msgctxt{_WS}{_STRS}{_WS})?msgid{_WS}{_STRS}{_WS}(?:msgid_plural{_WS}{_STRS}{_WS})?\Z")
_PRE_LINES = _lazy(_PRE)
_STRS_AT = _lazy(rf"{_WS}{_STRS}")


def _decode(path: str, data: bytes) -> str:
    """The file's text in the charset its header names (UTF-8 when it names none, as for a template)."""
    if data.startswith(codecs.BOM_UTF8):
        raise CatalogError("the file starts with a byte order mark, which GNU gettext rejects", path, 1)
    m = _CHARSET.search(data, 0, 65536)
    charset = m.group(1).decode("ascii").lower() if m else None
    strict = False
    if charset and charset != "charset":
        try:
            charset = codecs.lookup(charset).name
            strict = True
        except LookupError:
            charset = None  # msgfmt only warns about a charset it does not know
    else:
        charset = None
    try:
        if charset in (None, "utf-8"):
            return data.decode("utf-8", "strict" if strict else "surrogateescape")
        return data.decode(charset, "strict")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise CatalogError(f"invalid multibyte sequence for the charset {charset or 'UTF-8'}", path, line) from None


def count_catalog(path: str | os.PathLike[str]) -> CatalogCounts:
    """Count one catalog, reading it (no cache)."""
    if isinstance(_ENTRY, _lazy):
        _compile_all()
    name = os.fspath(path)
    try:
        with open(name, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        raise CatalogError(f"cannot read catalog: {exc.strerror or exc}", name) from None
    text = _decode(name, data)
    if "\\\n" in text:  # gettext joins a line ending in a backslash with the next, anywhere in the file
        text = text.replace("\\\n", "")
    added_newline = not text.endswith("\n")
    return _Reader(name, text + "\n" if added_newline else text, added_newline).read()


# --- cache ---------------------------------------------------------------------------------------------------


def _default_cache_path() -> Path:
    base = os.environ.get("XDG_CACHE_HOME")
    return (Path(base) if base and os.path.isabs(base) else Path.home() / ".cache") / "cop-docs" / CACHE_NAME


class CoverageCache:
    """Counts of files already read, keyed by (absolute path, size, mtime_ns), kept in one JSON file.

    The functions that take a cache load it on first use and save it when they changed it, so callers only
    create one (:meth:`for_project`, :meth:`for_paths`); :meth:`load` and :meth:`save` may also be called.

    A file modified less than :attr:`RACY_SECONDS` before it was read is not remembered: a change within the
    same timestamp tick, keeping the size, would otherwise go unseen. Entries of files that no longer exist
    are dropped when the cache is saved. A cache that cannot be read (or was written under other rules) is
    treated as empty; one that cannot be written is left as it was — it only saves time.
    """

    RACY_SECONDS = 2.0

    def __init__(self, path: Path):
        self.path = Path(path)
        self.entries: dict[str, list[Any]] = {}
        self.loaded = False
        self.dirty = False
        self.hits = 0
        self.misses = 0

    @classmethod
    def for_project(cls, project: Project) -> CoverageCache:
        return cls(project.cache_dir / CACHE_NAME)

    @classmethod
    def for_paths(cls) -> CoverageCache:
        """The cache for free-standing paths: ``$XDG_CACHE_HOME/cop-docs/coverage.json`` (or ``~/.cache/…``)."""
        return cls(_default_cache_path())

    default = for_paths

    def load(self) -> CoverageCache:
        try:
            with open(self.path, encoding="utf-8") as fh:
                data = json.load(fh)
            if data.get("rules") == RULES_VERSION and isinstance(data.get("entries"), dict):
                self.entries = data["entries"]
        except (OSError, ValueError, AttributeError):
            self.entries = {}
        self.loaded, self.dirty = True, False
        return self

    def save(self) -> bool:
        """Write the cache if it changed; whether it was written."""
        if not self.dirty:
            return False
        self.entries = {k: v for k, v in self.entries.items() if os.path.exists(k)}
        import tempfile

        text = json.dumps({"rules": RULES_VERSION, "entries": self.entries}, ensure_ascii=False, separators=(",", ":"))
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent)
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as fh:
                    fh.write(text)
                os.replace(tmp, self.path)
            except BaseException:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass
                raise
        except OSError:
            return False
        self.dirty = False
        return True

    def get(self, key: str, st: os.stat_result) -> CatalogCounts | None:
        if not self.loaded:
            self.load()
        entry = self.entries.get(key)
        if entry is not None and entry[0] == st.st_size and entry[1] == st.st_mtime_ns:
            self.hits += 1
            return CatalogCounts(Counts(*entry[2]), Counts(*entry[3]), entry[4])
        self.misses += 1
        return None

    def put(self, key: str, st: os.stat_result, stats: CatalogCounts, read_at_ns: int) -> None:
        if not self.loaded:
            self.load()
        if st.st_mtime_ns > read_at_ns - int(self.RACY_SECONDS * 1e9):
            self.entries.pop(key, None)  # too recent to trust the timestamp
        else:
            self.entries[key] = [st.st_size, st.st_mtime_ns, list(stats.messages.as_tuple()), list(stats.words.as_tuple()),
                                 stats.language]
        self.dirty = True


# --- many files ----------------------------------------------------------------------------------------------

#: Below this much text to read, starting worker processes costs more than it saves.
PARALLEL_MIN_BYTES = 3_000_000


def _count_chunk(names: list[str]) -> list[Any]:
    """Worker: counts, or the error as plain values (a CatalogError does not survive pickling whole)."""
    out: list[Any] = []
    for name in names:
        try:
            out.append(count_catalog(name))
        except CatalogError as exc:
            out.append(("error", exc.message, exc.path, exc.line))
    return out


def _parallel(names: list[str], sizes: list[int]) -> list[Any] | None:
    import multiprocessing
    import threading
    from concurrent.futures import ProcessPoolExecutor

    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    if cpus < 2 or threading.active_count() > 1 or "fork" not in multiprocessing.get_all_start_methods():
        return None  # forking a process with threads is unsafe; spawning would cost more than it saves
    workers = min(cpus, 8)
    # chunks of about equal size, biggest files first, a few per worker to even out the load
    n_chunks = min(len(names), workers * 4)
    chunks: list[list[int]] = [[] for _ in range(n_chunks)]
    loads = [0] * n_chunks
    for i in sorted(range(len(names)), key=lambda i: -sizes[i]):
        j = loads.index(min(loads))
        chunks[j].append(i)
        loads[j] += sizes[i]
    results: list[Any] = [None] * len(names)
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        for chunk, values in zip(chunks, pool.map(_count_chunk, [[names[i] for i in c] for c in chunks]), strict=True):
            for i, value in zip(chunk, values, strict=True):
                results[i] = value
    return results


def count_many(paths: list[Path], cache: CoverageCache | None = None, *, parallel: bool | None = None) -> list[CatalogCounts]:
    """Counts of many catalogs, from the cache where it is up to date, in worker processes when worth it
    (``parallel`` forces or forbids them); the cache is saved if it changed. The first catalog that cannot be
    read raises its CatalogError."""
    results: list[CatalogCounts | None] = [None] * len(paths)
    todo: list[int] = []
    keys: list[str] = []
    stats: list[os.stat_result | None] = []
    for i, path in enumerate(paths):
        key = os.path.abspath(path)
        try:
            st = os.stat(key)
        except OSError as exc:
            raise CatalogError(f"cannot read catalog: {exc.strerror or exc}", path) from None
        keys.append(key)
        stats.append(st)
        if cache is not None and (hit := cache.get(key, st)) is not None:
            results[i] = hit
        else:
            todo.append(i)
    if not todo:
        return results  # type: ignore[return-value]
    read_at = time.time_ns()
    names = [os.fspath(paths[i]) for i in todo]
    sizes = [stats[i].st_size for i in todo]  # type: ignore[union-attr]
    values: list[Any] | None = None
    if parallel or (parallel is None and len(todo) >= 4 and sum(sizes) >= PARALLEL_MIN_BYTES):
        values = _parallel(names, sizes)
    if values is None:
        values = _count_chunk(names)
    for i, value in zip(todo, values, strict=True):
        if isinstance(value, tuple):
            _, message, where, line = value
            raise CatalogError(message, where, line)
        results[i] = value
        if cache is not None:
            cache.put(keys[i], stats[i], value, read_at)  # type: ignore[arg-type]
    if cache is not None:
        cache.save()
    return results  # type: ignore[return-value]


def _coverage(stats: CatalogCounts, shown: str, document: str | None, audience: str | None, language: str | None,
              missing: bool = False) -> CatalogCoverage:
    messages, words = stats.messages, stats.words
    if missing:
        messages, words = Counts(untranslated=messages.total), Counts(untranslated=words.total)
    return CatalogCoverage(shown, language or stats.language, document, audience, messages, words, missing)


def catalog_coverage(path: Path, *, shown_path: str | None = None, document: str | None = None,
                     audience: str | None = None, language: str | None = None,
                     cache: CoverageCache | None = None) -> CatalogCoverage:
    """Coverage of one PO file. ``language`` overrides the file's ``Language:`` header."""
    (stats,) = count_many([Path(path)], cache)
    return _coverage(stats, shown_path if shown_path is not None else os.fspath(path), document, audience, language)


def _catalog_files(paths: Iterable[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            found = [Path(folder) / n for folder, _, names in os.walk(path) for n in names if n.endswith(".po")]
            files += sorted(found, key=lambda p: p.parts)
        elif path.exists():
            files.append(path)
        else:
            raise CatalogError("no such file or folder", path)
    return files


def scan(paths: list[Path], cache: CoverageCache | None = None) -> list[CatalogCoverage]:
    """Coverage of PO files given directly (any name) or found in folders (``*.po``, recursively, sorted by path)."""
    files = _catalog_files(paths)
    return [_coverage(s, os.fspath(f), None, None, None) for f, s in zip(files, count_many(files, cache), strict=True)]


def project_coverage(project: Project, cache: CoverageCache | None = None) -> list[CatalogCoverage]:
    """Coverage of every target language × document of a project, language by language.

    A language without a PO file for a document counts every message of the document's template as
    untranslated (``missing=True``); a document without a template is an error (run ``cop-docs extract``).
    The messages of the shared snippets a document includes count in that document (and so in every
    document that includes them).
    """
    from ..sources import included_snippets  # reading the masters' include lists; not needed for free files

    jobs: list[tuple[Path, Any, Any, bool]] = []
    includes = {doc.id: included_snippets(project, doc) for doc in project.documents}
    catalogs = [*project.documents, *{s.id: s for found in includes.values() for s in found}.values()]
    for lang in project.target_languages:
        for doc in catalogs:
            po = project.po_path(doc, lang)
            if po.is_file():
                jobs.append((po, doc, lang, False))
            else:
                pot = project.pot_path(doc)
                if not pot.is_file():
                    raise CatalogError(f"'{doc.id}' has no template yet: run cop-docs extract", pot)
                jobs.append((pot, doc, lang, True))
    counted = count_many([job[0] for job in jobs], cache)
    rows: dict[tuple[str, str], CatalogCoverage] = {}
    for (path, doc, lang, missing), stats in zip(jobs, counted, strict=True):
        shown = project.po_path(doc, lang) if missing else path
        try:
            shown_path = shown.relative_to(project.root).as_posix()
        except ValueError:
            shown_path = os.fspath(shown)
        rows[(doc.id, lang.code)] = _coverage(stats, shown_path, doc.id, getattr(doc, "audience", None), lang.code, missing)
    out = []
    for lang in project.target_languages:
        for doc in project.documents:
            row = rows[(doc.id, lang.code)]
            parts = [rows[(s.id, lang.code)] for s in includes[doc.id]]
            if parts:
                row = replace(row, messages=sum((p.messages for p in parts), row.messages),
                              words=sum((p.words for p in parts), row.words), snippets=tuple(p.path for p in parts))
            out.append(row)
    return out
