"""What every family of checks shares: the message being checked, what a check reports, and text helpers.

A family module (markup, placeholders, identical, conventions, terminology) declares its checks in ``CHECKS``
and has a ``run(messages, ctx)`` that yields :class:`Finding` objects; :mod:`cop_docs.checks` turns them into
problems with a file, line and severity, and applies the project's rules (severity, languages switched off).

The text helpers read Markdown the way a reader sees it (:func:`prose`): code, URLs and link targets masked,
emphasis markers and link brackets removed, backslash escapes resolved. The punctuation, terminology and
identical-text checks look at that view, so ``**Contenu**:`` is read as ``Contenu:`` and a URL's ``:`` or
``?`` is never taken for punctuation.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from ..scripts import script_of

if TYPE_CHECKING:
    from ..config import CheckSettings, Limits
    from .terminology import Glossary

#: Stands for masked text (code, a URL, a link target): not a letter, digit, space or punctuation mark.
MASK = "\ufffc"


@dataclass(frozen=True)
class Check:
    """A named check: its default severity, what it looks for, and the languages it applies to."""

    name: str
    severity: str  #: "error" or "warning"
    summary: str
    languages: tuple[str, ...] = ()  #: language subtags it applies to ("fr" covers fr-CA); () means every language
    scripts: tuple[str, ...] = ()  #: or the ISO 15924 scripts of the languages it applies to (see cop_docs.scripts)

    def applies_to(self, code: str) -> bool:
        if self.scripts:
            return script_of(code) in self.scripts
        return not self.languages or any(matches_language(code, lang) for lang in self.languages)


def matches_language(code: str, tag: str) -> bool:
    """Whether a language code is ``tag`` or a variant of it (``fr-CA`` matches ``fr``; ``zh-Hans`` matches ``zh``)."""
    code, tag = code.lower().replace("_", "-"), tag.lower().replace("_", "-")
    return code == tag or code.startswith(tag + "-")


def base_language(code: str) -> str:
    return code.replace("_", "-").split("-")[0].lower()


@dataclass
class Message:
    """One translated string to check: a msgstr (or one plural form) with the msgid it translates."""

    index: int
    msgid: str
    msgstr: str
    line: int  #: line of the msgstr keyword in the PO file
    context: str | None = None

    @cached_property
    def prose_id(self) -> str:
        return prose(self.msgid)

    @cached_property
    def prose_str(self) -> str:
        return prose(self.msgstr)


@dataclass(frozen=True)
class Finding:
    index: int  #: the Message it is about
    check: str
    message: str
    explanation: str


@dataclass
class Context:
    """What the checks of one catalog know besides the messages."""

    language: str  #: the target language code
    source_language: str
    settings: CheckSettings
    glossary: Glossary | None
    active: frozenset[str] = field(default_factory=frozenset)  #: names of the checks that run
    limits: Limits = field(default_factory=lambda: _limits())

    def on(self, *names: str) -> bool:
        return any(name in self.active for name in names)


def _limits() -> Limits:
    from ..config import Limits

    return Limits()


# --- reading Markdown as prose --------------------------------------------------------------------------

_CODE = re.compile(r"(?<!\\)(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.DOTALL)
_AUTOLINK = re.compile(r"<(?:[A-Za-z][A-Za-z0-9+.-]{1,31}:[^<>\s]*|[^<>\s@]+@[^<>\s@]+)>")
_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s+[^<>]*)?/?>|<!--.*?-->", re.DOTALL)
_TARGET = re.compile(
    r"\]\(\s*(?:<[^<>\n]*>|(?:[^()\s]|\([^()\s]*\))*)"  # ]( then the destination, <...> or with balanced parens
    r"(?:\s+(?:\"((?:[^\"\\]|\\.)*)\"|'((?:[^'\\]|\\.)*)'|\(((?:[^()\\]|\\.)*)\)))?\s*\)"  # optional title
)
_REF_LINK = re.compile(r"\](\[[^\[\]]*\])")  # [text][ref]: the [ref] part
_ATTRIBUTES = re.compile(r"(?<=[\]" + MASK + r"])\{[^{}\n]*\}")
_URL = re.compile(r"(?:\b(?:https?|ftp|file|mailto):|\bwww\.)[^\s<>\"]*[^\s<>\"().,;:!?'»”’)\]*_]")
_NOTE_REF = re.compile(r"(?<!\\)\[\^[^\]\s]+\]")
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_HARD_BREAK = re.compile(r"\\\n")
_ESC_BASE = 0xF0000  # escaped ASCII punctuation is parked in a private-use plane while markup is removed


def mask_code(text: str) -> str:
    return _CODE.sub(MASK, text)


def mask_urls(text: str) -> str:
    """Mask link and image targets, autolinks and bare URLs; link titles (translated text) move to the end."""
    titles: list[str] = []

    def target(m: re.Match) -> str:
        title = next((g for g in m.groups() if g), None)
        if title:
            titles.append(title)
        return "]" + MASK

    text = _TARGET.sub(target, text)
    text = _REF_LINK.sub("]" + MASK, text)
    text = _AUTOLINK.sub(MASK, text)
    text = _URL.sub(MASK, text)
    return "\n".join([text, *titles]) if titles else text


def note_refs(text: str) -> list[str]:
    """The footnote references (``[^label]``) of a message, outside code."""
    return [m.group()[2:-1] for m in _NOTE_REF.finditer(mask_code(text))]


def prose(text: str) -> str:
    """The text as a reader sees it: code, URLs and raw HTML masked or dropped, emphasis and link syntax removed."""
    text = mask_code(text)
    text = _HTML_TAG.sub("", text)
    text = html.unescape(mask_urls(text))
    text = _ATTRIBUTES.sub("", text)
    text = _NOTE_REF.sub("", text)
    text = _HARD_BREAK.sub("\n", text)
    text = _ESCAPE.sub(lambda m: chr(_ESC_BASE + ord(m.group(1))), text)
    text = text.replace("![", "[")
    text = re.sub(r"[*\[\]]|~~|\^(?=\S)|(?<=\S)\^", "", text)
    text = re.sub(r"_+", _underscores, text)
    return "".join(chr(ord(ch) - _ESC_BASE) if ord(ch) > _ESC_BASE else ch for ch in text)


def _underscores(m: re.Match) -> str:
    """Keep intraword underscores (snake_case), drop the ones that mark emphasis."""
    text, start, end = m.string, m.start(), m.end()
    inside = start > 0 and end < len(text) and text[start - 1].isalnum() and text[end].isalnum()
    return m.group() if inside else ""


# --- characters -----------------------------------------------------------------------------------------

def is_cjk(ch: str) -> bool:
    """Han, kana and bopomofo characters, CJK symbols and punctuation, full-width forms."""
    o = ord(ch)
    return (0x2E80 <= o <= 0x2FDF or 0x3000 <= o <= 0x30FF or 0x3100 <= o <= 0x312F or 0x31A0 <= o <= 0x31FF
            or 0x3400 <= o <= 0x4DBF or 0x4E00 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0xFE30 <= o <= 0xFE4F
            or 0xFF00 <= o <= 0xFF60 or 0x20000 <= o <= 0x3134F)


def is_han(ch: str) -> bool:
    o = ord(ch)
    return 0x3400 <= o <= 0x4DBF or 0x4E00 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0x20000 <= o <= 0x3134F


def is_arabic_letter(ch: str) -> bool:
    """A letter or mark of the Arabic script (not its punctuation or digits)."""
    if len(ch) != 1:
        return False
    o = ord(ch)
    if not (0x0600 <= o <= 0x06FF or 0x0750 <= o <= 0x077F or 0x08A0 <= o <= 0x08FF
            or 0xFB50 <= o <= 0xFDFF or 0xFE70 <= o <= 0xFEFF):
        return False
    return unicodedata.category(ch)[0] in "LM"


def has_letters(text: str) -> bool:
    return any(ch.isalpha() for ch in text)


def snippet(text: str, start: int, end: int | None = None, width: int = 14) -> str:
    """The offending bit with a little context, one line, invisible spaces shown as escapes."""
    end = start + 1 if end is None else end
    left = max(0, start - width)
    right = min(len(text), end + width)
    bit = ("…" if left else "") + text[left:right] + ("…" if right < len(text) else "")
    return visible(bit.replace("\n", " "))


_INVISIBLE = {"\u00a0": "<U+00A0>", "\u202f": "<U+202F>", "\u2009": "<U+2009>", "\u200b": "<U+200B>",
              "\ufeff": "<U+FEFF>", MASK: "…"}


def visible(text: str) -> str:
    out = []
    for ch in text:
        if ch in _INVISIBLE:
            out.append(_INVISIBLE[ch])
        elif unicodedata.category(ch) in ("Cf", "Cc") and ch != "\t":
            out.append(f"<U+{ord(ch):04X}>")
        else:
            out.append(ch)
    return "".join(out)


def plural_s(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else plural or word + 's'}"
