"""The PO format in one module: the catalog model, the one reader every command uses, and the writer.

In: the bytes of a PO or POT file. Out: a :class:`Catalog` of :class:`Entry` objects, each with its lines in the
file; and back, the text of a catalog as GNU gettext writes it.

Every command reads catalogs here, so coverage, the gate, the checks, ``update`` and the build see the same
entries — those GNU gettext sees. The reader follows gettext's own, not polib's:

- an entry's flags are the tokens of its *last* ``#,`` (or ``#!``) line: gettext forgets the flags of a line
  when it reads the next one (``#, fuzzy`` then ``#, c-format`` is not fuzzy); ``#,fuzzy`` is a flag line too;
- strings are C strings: a NUL ends the string it is in (``"\\0a" "b"`` is ``b``), so a msgstr starting with
  NUL is empty;
- the file is decoded in the charset its header names (UTF-8 when it names none);
- what msgfmt rejects is rejected with the file and line msgfmt names: syntax errors, invalid escapes,
  unterminated strings, invalid multibyte sequences, misnumbered plural forms, duplicate messages, a byte order
  mark, comments between ``#|`` lines and their msgid, a string holding EOT (gettext's context separator).

A message is *untranslated* when its (first) msgstr is empty, *fuzzy* when it is flagged so, and *translated*
otherwise — msgfmt's states. The header (empty msgid, no context) is not a message.

Writing: :func:`dumps` lays entries out in gettext's order (translator comments, extracted comments,
references, flags, previous msgid, msgctxt, msgid, msgstr) and lets GNU ``msgcat`` wrap the lines, so a
catalog written here is byte for byte what ``msgcat``, ``msgmerge`` and ``xgettext`` write: re-saving it with
those tools changes nothing. Whether two catalogs say the same thing is :meth:`Catalog.content`, never bytes.
"""

from __future__ import annotations

import codecs
import os
import re
import subprocess
from dataclasses import dataclass, field, replace

from ..errors import CatalogError

UNTRANSLATED, FUZZY, TRANSLATED = "untranslated", "fuzzy", "translated"

Key = tuple[str | None, str]


@dataclass(slots=True)
class Entry:
    """One entry of a catalog, as gettext reads it."""

    msgid: str
    msgstr: str = ""  #: the msgstr, or msgstr[0] of a plural entry
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr_plural: tuple[str, ...] = ()  #: every form of a plural entry
    flags: tuple[str, ...] = ()
    previous_msgctxt: str | None = None
    previous_msgid: str | None = None
    previous_msgid_plural: str | None = None
    comments: tuple[str, ...] = ()  #: translator comments (``# …``)
    extracted: tuple[str, ...] = ()  #: extracted comments (``#. …``)
    references: tuple[str, ...] = ()  #: ``#:`` references, one token each (``sources/a.md:12``)
    obsolete: bool = False
    line: int = 0  #: the entry's first line (its first comment)
    msgid_line: int = 0  #: the line of its msgctxt, or of its msgid
    msgstr_lines: tuple[int, ...] = ()  #: the line of each msgstr keyword

    @property
    def key(self) -> Key:
        return (self.msgctxt, self.msgid)

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None

    @property
    def state(self) -> str:
        """untranslated, fuzzy or translated, as msgfmt counts the entry."""
        if self.msgstr == "":
            return UNTRANSLATED
        return FUZZY if self.fuzzy else TRANSLATED

    @property
    def msgstr_line(self) -> int:
        return self.msgstr_lines[0] if self.msgstr_lines else self.msgid_line

    def content(self) -> tuple:
        """What the entry says, without where it stands or how its lines are wrapped."""
        return (self.msgctxt, self.msgid, self.msgid_plural, self.msgstr, self.msgstr_plural, tuple(sorted(self.flags)),
                self.previous_msgctxt, self.previous_msgid, self.previous_msgid_plural, self.comments, self.extracted,
                self.references, self.obsolete)


@dataclass
class Catalog:
    """A PO or POT file: its header entry (if any) and its entries in file order, obsolete ones included."""

    entries: list[Entry] = field(default_factory=list)
    header: Entry | None = None
    path: str | None = None
    charset: str = "UTF-8"  #: the charset the file was decoded in

    @property
    def metadata(self) -> dict[str, str]:
        """The header's fields (``Language``, ``Plural-Forms``…), in their order."""
        return parse_metadata(self.header.msgstr if self.header else "")

    def set_metadata(self, fields: dict[str, str]) -> None:
        text = "".join(f"{k}: {v}\n" for k, v in fields.items())
        self.header = replace(self.header, msgstr=text) if self.header else Entry("", text)

    @property
    def messages(self) -> list[Entry]:
        """The entries that count: not obsolete, not the header."""
        return [e for e in self.entries if not e.obsolete]

    def by_key(self) -> dict[Key, Entry]:
        return {e.key: e for e in self.entries if not e.obsolete}

    def content(self, ignore: tuple[str, ...] | None = None) -> tuple:
        """What the catalog says, to compare two catalogs whatever tool wrapped their lines. ``ignore`` names
        header fields left out of the comparison (a template's ``POT-Creation-Date``); with it, the header's
        comments and flags are left out too (a template's are boilerplate)."""
        fields = {k: v for k, v in self.metadata.items() if k not in (ignore or ())}
        header = self.header
        head: tuple = (tuple(sorted(fields.items())),)
        if header is not None and ignore is None:
            head += (header.comments, tuple(sorted(header.flags)))
        return (head, tuple(e.content() for e in self.entries))


def parse_metadata(text: str) -> dict[str, str]:
    fields: dict[str, str] = {}
    for line in text.split("\n"):
        name, colon, value = line.partition(":")
        if colon and name.strip():
            fields[name.strip()] = value.strip()
    return fields


# --- reading -------------------------------------------------------------------------------------------------

_S = r"[ \t\r\f\v]"  # blanks within a line
_WS = r"[ \t\n\r\f\v]*"  # white space between tokens (gettext's, not Unicode's)
_STR = r'"[^"\\\n]*(?:\\(?:[abfnrtv"\\0-7]|x[0-9A-Fa-f])[^"\\\n]*)*"'  # the escapes gettext accepts
_STRS = rf"{_STR}(?:{_WS}{_STR})*"
_PRE = rf"(?:{_S}*(?:\#(?![~|])[^\n]*|domain{_WS}{_STR}{_S}*)?\n)*"  # comment, blank and domain lines
_FORM = rf"msgstr{_WS}\[{_WS}[0-9]+{_WS}\]{_WS}{_STRS}"
_ENTRY = re.compile(rf"""
    (?P<pre>{_PRE})
    (?:
        (?P<obs>(?:{_S}*\#~[^\n]*\n(?:{_S}*\n)*)+)    # obsolete entries, read again without their "#~"
      | (?P<prev>(?:{_S}*\#\|[^\n]*\n(?:{_S}*\n)*)*)    # previous msgid: tokens, not comments
        {_WS}(?P<ctxkw>msgctxt{_WS}(?P<ctx>{_STRS}){_WS})?
        (?P<idkw>msgid){_WS}(?P<id>{_STRS}){_WS}
        (?:
            (?P<strkw>msgstr){_WS}(?P<str>{_STRS})
          | msgid_plural{_WS}(?P<plural>{_STRS}){_WS}
            (?P<forms>{_FORM}(?:{_WS}{_FORM})*)
        )
    )""", re.X)
_FORMS = re.compile(rf"msgstr{_WS}\[{_WS}([0-9]+){_WS}\]{_WS}({_STRS})")
_TAIL = re.compile(rf"{_PRE}{_S}*\Z")
_PREV_LINE = re.compile(rf"{_S}*#\|{_S}*(?:(?:msgctxt|msgid_plural|msgid)(?![A-Za-z0-9_]){_S}*)?(?:{_STR}{_S}*)*\Z")
_PREV_FIELDS = re.compile(rf"{_WS}(?:msgctxt{_WS}(?P<ctx>{_STRS}){_WS})?msgid{_WS}(?P<id>{_STRS}){_WS}"
                          rf"(?:msgid_plural{_WS}(?P<plural>{_STRS}){_WS})?\Z")
_PIECE = re.compile(r'"([^"\\\n]*(?:\\.[^"\\\n]*)*)"')
_ESCAPE = re.compile(r"\\(x[0-9A-Fa-f]+|[0-7]{1,3}|.)")
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "f": "\f", "v": "\v", '"': '"', "\\": "\\"}
_FLAG_SEPARATORS = re.compile(r"[ \t\r\f\v,]+")
_CHARSET = re.compile(rb"Content-Type:[^\"\n]*?charset=([A-Za-z0-9_.:+-]+)")
_OBSOLETE_PREFIX = re.compile(r"^[ \t\r\f\v]*#~(\|)?", re.M)
_PREV_PREFIX = re.compile(r"^[ \t\r\f\v]*#\|", re.M)
_PRE_LINES = re.compile(_PRE)
_NON_BLANK = re.compile(r"[^ \t\n\r\f\v]")
_STRS_AT = re.compile(rf"{_WS}{_STRS}")


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
    """The value of a run of adjacent quoted strings, each read as a C string (a NUL ends it)."""
    pieces = _PIECE.findall(strings)
    if len(pieces) == 1:
        return _piece(pieces[0])
    if "\\" in strings or "\0" in strings:
        return "".join(_piece(p) for p in pieces)
    return "".join(pieces)


def _comments(pre: str) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """Translator comments, extracted comments, references and flags of the comment lines before an entry."""
    comments: list[str] = []
    extracted: list[str] = []
    references: list[str] = []
    flags: list[str] = []
    for raw in pre.split("\n"):
        line = raw.lstrip(" \t\r\f\v")
        if not line.startswith("#"):
            continue  # a blank or domain line
        kind = line[1:2]
        if kind == ".":
            extracted.append(_strip_one_space(line[2:].rstrip("\r")))
        elif kind == ":":
            references += line[2:].split()
        elif kind in (",", "!"):  # gettext forgets the flags of the line before
            flags = _flags(line[2:])
        else:
            comments.append(_strip_one_space(line[1:].rstrip("\r")))
    return tuple(comments), tuple(extracted), tuple(references), tuple(flags)


def _strip_one_space(text: str) -> str:
    return text[1:] if text.startswith(" ") else text


def _flags(text: str) -> list[str]:
    tokens = [t for t in _FLAG_SEPARATORS.split(text) if t]
    out: list[str] = []
    for token in tokens:  # "range: 1..5" is one flag
        if out and out[-1].endswith(":"):
            out[-1] += " " + token
        else:
            out.append(token)
    return out


_DIAGNOSIS_TOKENS = re.compile(rf"""
      (?P<space>[ \t\n\r\f\v]+) | (?P<comment>\#(?![~|])[^\n]*) | (?P<previous>\#\|[^\n]*) | (?P<obsolete>\#~)
    | (?P<string>{_STR}) | (?P<badstring>"(?:[^"\\\n]|\\.)*") | (?P<open>"[^\n]*)
    | (?P<keyword>(?:msgctxt|msgid_plural|msgid|msgstr|domain)(?![A-Za-z0-9_$]))
    | (?P<word>[A-Za-z_$][A-Za-z0-9_$]*) | (?P<index>\[{_WS}[0-9]+{_WS}\]) | (?P<other>.)""", re.X | re.S)
#: what may follow each step of an entry (gettext's grammar, enough to name the first wrong token)
_NEXT = {"start": ("msgctxt", "msgid"), "msgctxt": ("msgid",), "msgid": ("msgstr", "msgid_plural"),
         "msgid_plural": ("msgstr[",), "msgstr": ("end",), "msgstr[": ("msgstr[", "end")}


class _Reader:
    """Reads one catalog's text into entries; raises CatalogError with the line of the first problem."""

    def __init__(self, path: str, text: str, added_newline: bool = False):
        self.path = path
        self.text = text
        self.added_newline = added_newline  #: the file did not end with a newline; the reader added one
        #: (msgctxt, msgid) -> where it was defined (text, offset, first line), obsolete entries included
        self.seen: dict[Key, tuple[str, int, int]] = {}
        self.out: list[Entry] = []
        self.header: Entry | None = None

    def fail(self, message: str, text: str, offset: int, first_line: int) -> CatalogError:
        return CatalogError(message, self.path, first_line + text.count("\n", 0, offset))

    def read(self) -> tuple[Entry | None, list[Entry]]:
        self.entries(self.text, 1, obsolete=False)
        return self.header, self.out

    def entries(self, text: str, first_line: int, *, obsolete: bool, outer_pre: str = "") -> None:
        """Read every entry of ``text``, whose first line is line ``first_line`` of the file."""
        match = _ENTRY.match
        seen = self.seen
        pos = counted_to = 0
        line = first_line
        while m := match(text, pos):
            pos = m.end()
            start = m.start()
            line += text.count("\n", counted_to, start)
            counted_to = start
            if m.group("obs") is not None:
                if obsolete:
                    raise self.fail("syntax error", text, m.start("obs"), first_line)
                obs_line = line + text.count("\n", start, m.start("obs"))
                self.obsolete(m.group("obs"), obs_line, m.group("pre"), line)
                continue
            pre = m.group("pre")
            if outer_pre:  # the comments before an obsolete block belong to its first entry
                pre, outer_pre = outer_pre + pre, ""
            previous: tuple[str | None, str | None, str | None] = (None, None, None)
            if m.group("prev"):
                previous = self.previous(m, text, first_line)
            for group in ("ctx", "id", "plural", "str", "forms"):
                self.check_eot(m, group, text, first_line)
            ctx = m.group("ctx")
            msgid = _text(m.group("id"))
            key = (None if ctx is None else _text(ctx), msgid)
            if key in seen:
                where, offset, where_first = seen[key]
                first_at = where_first + where.count("\n", 0, offset)
                raise self.fail(f"duplicate message definition (first defined on line {first_at})", text, m.start("id"),
                                first_line)
            seen[key] = (text, m.start("id"), first_line)

            def line_of(offset: int, base: int = line, start: int = start) -> int:
                return base + text.count("\n", start, offset)

            if m.group("str") is not None:
                msgstr = _text(m.group("str"))
                forms: tuple[str, ...] = ()
                msgstr_lines = (line_of(m.start("strkw")),)
                plural = None
            else:
                forms, msgstr_lines = self.forms(m, text, first_line, line_of)
                msgstr = forms[0]
                plural = _text(m.group("plural"))
            comments, extracted, references, flags = _comments(pre)
            begins = line_of(_NON_BLANK.search(text, start).start())
            keyword = line_of(m.start("ctxkw") if ctx is not None else m.start("idkw"))
            entry = Entry(msgid, msgstr, key[0], plural, forms, flags, *previous, comments, extracted, references,
                          obsolete, begins, keyword, msgstr_lines)
            if not obsolete and key == (None, ""):
                if self.header is None:
                    self.header = entry
                continue
            self.out.append(entry)
        if not _TAIL.match(text, pos):
            raise self.diagnose(text, pos, first_line)

    def obsolete(self, block: str, first_line: int, pre: str, pre_line: int) -> None:
        """Obsolete entries: read like the others once their ``#~`` is taken off."""
        stripped = _OBSOLETE_PREFIX.sub(lambda m: "#|" if m.group(1) else "", block)
        before = len(self.out)
        self.entries(stripped, first_line, obsolete=True, outer_pre=pre)
        if len(self.out) > before and pre.strip():  # it begins at its first comment
            self.out[before].line = pre_line + pre[: len(pre) - len(pre.lstrip())].count("\n")

    def check_eot(self, m: re.Match, group: str, text: str, first_line: int) -> None:
        """gettext keeps EOT (``\\x04``) to join a context to its msgid: a string may not hold one."""
        strings = m.group(group)
        if strings is None or ("\\" not in strings and "\x04" not in strings):
            return
        for piece in _PIECE.finditer(strings):
            if "\x04" in _piece(piece.group(1)):
                raise self.fail("context separator <EOT> within string", text, m.start(group) + piece.start(), first_line)

    def previous(self, m: re.Match, text: str, first_line: int) -> tuple[str | None, str | None, str | None]:
        """``#|`` lines hold tokens: [msgctxt] msgid [msgid_plural], each with its strings."""
        offset = m.start("prev")
        for line in m.group("prev").split("\n")[:-1]:
            if line.strip(" \t\r\f\v") and not _PREV_LINE.match(line):
                raise self.fail("syntax error in a previous msgid (#| line)", text, offset, first_line)
            offset += len(line) + 1
        fields = _PREV_FIELDS.match(_PREV_PREFIX.sub("", m.group("prev")))
        if not fields:
            raise self.fail("syntax error in the previous msgid (#| lines)", text, m.start("prev"), first_line)
        ctx, plural = fields.group("ctx"), fields.group("plural")
        return (None if ctx is None else _text(ctx), _text(fields.group("id")), None if plural is None else _text(plural))

    def forms(self, m: re.Match, text: str, first_line: int, line_of) -> tuple[tuple[str, ...], tuple[int, ...]]:
        values, lines = [], []
        base = m.start("forms")
        for expected, form in enumerate(_FORMS.finditer(m.group("forms"))):
            if int(form.group(1)) != expected:
                what = "first plural form has nonzero index" if expected == 0 else "plural form has wrong index"
                raise self.fail(what, text, base + form.start() + form.group().index("["), first_line)
            values.append(_text(form.group(2)))
            lines.append(line_of(base + form.start()))
        return tuple(values), tuple(lines)

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


def _decode(path: str, data: bytes) -> tuple[str, str]:
    """The file's text in the charset its header names (UTF-8 when it names none), and that charset."""
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
            return data.decode("utf-8", "strict" if strict else "surrogateescape"), "UTF-8"
        return data.decode(charset, "strict"), charset
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise CatalogError(f"invalid multibyte sequence for the charset {charset or 'UTF-8'}", path, line) from None


def loads(data: bytes | str, path: str | os.PathLike[str] = "<catalog>") -> Catalog:
    """Read a catalog from its bytes (decoded as its header says) or its text."""
    name = os.fspath(path)
    if isinstance(data, bytes):
        text, charset = _decode(name, data)
    else:
        text, charset = data, "UTF-8"
    if "\\\n" in text:  # gettext joins a line ending in a backslash with the next, anywhere in the file
        text = text.replace("\\\n", "")
    added_newline = not text.endswith("\n")
    header, entries = _Reader(name, text + "\n" if added_newline else text, added_newline).read()
    return Catalog(entries, header, name, charset)


def read(path: str | os.PathLike[str]) -> Catalog:
    """Read a PO or POT file; a problem raises CatalogError with the file and line."""
    name = os.fspath(path)
    try:
        with open(name, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        raise CatalogError(f"cannot read catalog: {exc.strerror or exc}", name) from None
    return loads(data, name)


# --- writing -------------------------------------------------------------------------------------------------

_WRITE_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r", "\a": "\\a", "\b": "\\b",
                  "\f": "\\f", "\v": "\\v"}
_NEEDS_ESCAPE = re.compile(r'[\\"\n\t\r\a\b\f\v]')


def quote(text: str) -> str:
    """A value as one PO string, escaped as gettext escapes it."""
    if _NEEDS_ESCAPE.search(text) is None:
        return f'"{text}"'
    return '"' + _NEEDS_ESCAPE.sub(lambda m: _WRITE_ESCAPES[m.group()], text) + '"'


def _entry_lines(e: Entry) -> list[str]:
    lines = [f"# {c}" if c else "#" for c in e.comments] if e.comments else []
    if e.extracted:
        lines += [f"#. {c}" for c in e.extracted]
    if e.references:
        lines.append("#: " + " ".join(e.references))
    if e.flags:
        lines.append("#, " + ", ".join(e.flags))
    prefix = "#~ " if e.obsolete else ""
    if e.previous_msgid is not None:
        previous = "#~| " if e.obsolete else "#| "
        if e.previous_msgctxt is not None:
            lines.append(f"{previous}msgctxt {quote(e.previous_msgctxt)}")
        lines.append(f"{previous}msgid {quote(e.previous_msgid)}")
        if e.previous_msgid_plural is not None:
            lines.append(f"{previous}msgid_plural {quote(e.previous_msgid_plural)}")
    if e.msgctxt is not None:
        lines.append(f"{prefix}msgctxt {quote(e.msgctxt)}")
    lines.append(f"{prefix}msgid {quote(e.msgid)}")
    if e.msgid_plural is not None:
        lines.append(f"{prefix}msgid_plural {quote(e.msgid_plural)}")
        for i, form in enumerate(e.msgstr_plural or ("",)):
            lines.append(f"{prefix}msgstr[{i}] {quote(form)}")
    else:
        lines.append(f"{prefix}msgstr {quote(e.msgstr)}")
    return lines


def _utf8_header(catalog: Catalog) -> Entry | None:
    """The header as written: its text is UTF-8, whatever the file it was read from was."""
    header = catalog.header
    if header is not None:
        fields = parse_metadata(header.msgstr)
        if "Content-Type" in fields:
            fields["Content-Type"] = re.sub(r"charset=[^;\s]*", "charset=UTF-8", fields["Content-Type"])
            header = replace(header, msgstr="".join(f"{k}: {v}\n" for k, v in fields.items()))
    return header


HEADER, LIVE, GONE = 0, 1, 2


def blocks(catalog: Catalog) -> list[tuple[int, str]]:
    """Each entry's text with one line per string, valid but not yet wrapped, with what it is (header, message,
    obsolete entry); in gettext's order: the header, the messages, then the obsolete entries."""
    header = _utf8_header(catalog)
    out = [(HEADER, _entry_text(header))] if header else []
    out += [(LIVE, _entry_text(e)) for e in catalog.entries if not e.obsolete]
    out += [(GONE, _entry_text(e)) for e in catalog.entries if e.obsolete]
    return out


def _entry_text(e: Entry) -> str:
    if e.comments or e.flags or e.obsolete or e.previous_msgid is not None or e.msgid_plural is not None:
        return "\n".join(_entry_lines(e))
    # a template's entry, or a plain translation: written at once (a template has tens of thousands)
    head = "".join([f"#. {c}\n" for c in e.extracted]) if e.extracted else ""
    if e.references:
        head += "#: " + " ".join(e.references) + "\n"
    if e.msgctxt is not None:
        head += f"msgctxt {quote(e.msgctxt)}\n"
    return f"{head}msgid {quote(e.msgid)}\nmsgstr {quote(e.msgstr)}"


def unwrapped(catalog: Catalog) -> str:
    """The catalog's text with one line per string: valid, but not yet wrapped as gettext wraps it."""
    return "\n\n".join(text for _, text in blocks(catalog)) + "\n"


#: A header for a batch of entries wrapped together (see :func:`dumps`).
_BATCH_HEADER = 'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"'


def dumps(catalog: Catalog, memo: dict[str, str] | None = None) -> str:
    """The catalog's text, as GNU gettext writes it (``msgcat`` wraps it).

    gettext wraps each entry on its own, so ``memo`` (unwrapped entry → its wrapped text, kept by the caller
    between runs) spares msgcat the entries it wrapped before: a template with a few changed messages costs one
    small msgcat call."""
    if memo is None:
        return gnu_format(unwrapped(catalog))
    return wrap(blocks(catalog), memo)


def wrap(entries: list[tuple[int, str]], memo: dict[str, str]) -> str:
    """The text of a catalog from its :func:`blocks`, wrapped as :func:`dumps` wraps it, ``memo`` updated."""
    todo = {text: kind for kind, text in entries if text not in memo}
    if todo:
        memo.update(_wrap_blocks(todo))
    return "\n\n".join(memo[text] for _, text in entries) + "\n"


def _wrap_blocks(blocks: dict[str, int]) -> dict[str, str]:
    """The wrapped text of entries (text → kind), in one msgcat call."""
    header = [text for text, kind in blocks.items() if kind == HEADER]
    ordered = (header or [_BATCH_HEADER]) + [t for t, k in blocks.items() if k == LIVE] + \
        [t for t, k in blocks.items() if k == GONE]  # msgcat writes obsolete entries last
    wrapped = gnu_format("\n\n".join(ordered) + "\n").rstrip("\n").split("\n\n")
    if len(wrapped) != len(ordered):
        raise CatalogError(f"msgcat wrote {len(wrapped)} entries for {len(ordered)}")
    return {text: out for text, out in zip(ordered, wrapped, strict=True) if text in blocks}


def gnu_format(text: str, path: str | None = None) -> str:
    """A catalog's text wrapped by GNU msgcat (79 columns, strings split after each ``\\n``)."""
    try:
        result = subprocess.run(["msgcat", "--force-po", "-o", "-", "-"], input=text.encode("utf-8"),
                                capture_output=True, env={**os.environ, "LC_ALL": "C.UTF-8"})
    except FileNotFoundError:
        raise CatalogError("GNU gettext's msgcat is needed to write catalogs (install gettext)", path) from None
    if result.returncode != 0:
        problem = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise CatalogError(f"msgcat cannot write this catalog: {problem[0] if problem else 'unknown error'}", path)
    return result.stdout.decode("utf-8")
