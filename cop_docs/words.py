"""What a word is: one definition for counting a translator's words, finding terms and following a master's text.

In: text (plain, or a message's Markdown). Out: word counts, the spans of words' letters, and the pattern of a
word. Words are defined with Unicode properties (the ``regex`` module), not hand-typed code-point ranges:

- a **word** is a run of letters, digits and combining marks (``\\p{L}``, ``\\p{N}``, ``\\p{M}``, and the joiners
  ZWNJ and ZWJ) that starts with a letter or a digit; apostrophes and hyphens join words (``don't``,
  ``well-known``), as ``.`` and ``,`` join digits (``3.14``, ``1,000``);
- in the scripts written without spaces (Han, Hiragana, Katakana) **each character is a word**, as translation
  tools count them;
- a **letter run** is the letters and marks of a word without its digits or joining punctuation: what a term
  is matched on.
"""

from __future__ import annotations

import html
from collections.abc import Iterator

import regex

#: One character of a word besides its first: letters, digits, marks and the joiners (regex's \w is Unicode's).
_INSIDE = r"[\p{L}\p{N}\p{M}\u200c\u200d]"
WORD = regex.compile(rf"[\p{{L}}\p{{N}}]{_INSIDE}*(?:(?:['\u2019\u2010-]|(?<=\p{{Nd}})[.,](?=\p{{Nd}})){_INSIDE}+)*")
#: Characters that are each a word: Han, Hiragana and Katakana, with their iteration and prolonged-sound marks.
IDEOGRAPHIC = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\u30fc\uff70\uff9e\uff9f]")
LETTER_RUN = regex.compile(r"[\p{L}\p{M}]+")

#: Markdown and HTML that are not words. None of these patterns crosses a NUL, so texts joined with NULs
#: count as the sum of their parts.
_AUTOLINK = regex.compile(r"<(?:[A-Za-z][A-Za-z0-9+.-]{1,31}:[^<>\s\x00]*|[^<>\s@\x00]+@[^<>\s\x00]+)>")
_TAG = regex.compile(r"<!--[^\x00]*?-->|</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>\x00]*)?/?>")
_FOOTNOTE = regex.compile(r"\[\^[^\]\s\x00]+\]")
_LINK = regex.compile(r"\[((?:[^\[\]\x00]|\[[^\[\]\x00]*\])*)\]"  # [text] or ![alt], then
                      r"(?:\((?:[^()\x00]|\([^()\x00]*\))*\)"  # (url "title"),
                      r"|\[[^\[\]\x00]*\]"  # or [ref] / [],
                      r"|\{[^{}\x00]*\})")  # or a span's {attributes}
_ATTRIBUTES = regex.compile(r"(?<=`)\{[^{}\x00]*\}|\{[#.=][^{}\x00]*\}|\{-\}")
_URL = regex.compile(r"(?:\b[A-Za-z][A-Za-z0-9+.-]{1,31}://|\bwww\.|\bmailto:)[^\s<>\x00]*")
_ENTITY = regex.compile(r"&(?:#[0-9]+|#[xX][0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]{1,31});")


def count(text: str) -> int:
    """The words of plain text."""
    ideographic = 0
    if not text.isascii():
        text, ideographic = IDEOGRAPHIC.subn(" ", text)
    return ideographic + WORD.subn("", text)[1]  # counting by substitution builds no list of words


def count_markdown(text: str) -> int:
    """The words of a message's Markdown text, as a translator sees them.

    Markdown syntax is not counted (``**``, ``*``, ``_``, backticks; a link counts its text, an image its alt
    text, a span its text, never the URL, title or attributes); footnote references (``[^1]``), autolinks,
    bare URLs, HTML tags and entities count nothing.
    """
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
        text = _ENTITY.sub(lambda m: " " if m.group() == "&nbsp;" else html.unescape(m.group()), text)
    if "_" in text:
        text = text.replace("_", " ")
    return count(text)


def letter_runs(text: str) -> Iterator[tuple[int, int]]:
    """Spans of the letters of the words of a text (digits and apostrophes separate): what terms are matched on."""
    for m in LETTER_RUN.finditer(text):
        yield m.span()
