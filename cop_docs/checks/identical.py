"""Untranslated text: a msgstr that is the msgid, copied.

``identical`` (warning)
    The msgstr equals the msgid, in a language that normally differs from the source (``en-GB`` from ``en``
    does not). Not reported when the text:

    - is listed in ``checks.allow-identical`` (compared without regard to case or surrounding spaces);
    - has no letters once code, URLs and markup are set aside (``2026``, ```--help```, a bare link);
    - is only names of sites and files (``example.org``, ``guide.md``, ``help@example.org``) and the names below;
    - is made only of name-like words: acronyms and single capitals (``OK``, ``PDF``, ``MP3``, ``P``), words
      with an inner capital (``YouTube``, ``iPhone``), do-not-translate glossary terms and allow-identical
      entries — brand and product names stay as they are;
    - is a glossary term whose approved translation in this language is the same word (French ``Information``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..words import letter_runs
from .base import Check, Context, Finding, Message, base_language, has_letters

CHECKS = {
    "identical": Check("identical", "warning", "the translation is not a copy of the source"),
}


def run(messages: list[Message], ctx: Context) -> Iterator[Finding]:
    if not ctx.on("identical") or base_language(ctx.language) == base_language(ctx.source_language):
        return
    allowed = {a.strip().casefold() for a in ctx.settings.allow_identical}
    keep = {t.source for t in ctx.glossary.terms if t.keep} if ctx.glossary else set()
    for m in messages:
        if m.msgstr.strip() != m.msgid.strip():
            continue
        text = m.prose_id
        if m.msgid.strip().casefold() in allowed or text.strip().casefold() in allowed or not has_letters(text):
            continue
        if _names_only(text, keep, allowed):
            continue
        if ctx.glossary and ctx.glossary.approves(m.msgid, m.msgstr, ctx.language):
            continue
        yield Finding(m.index, "identical", f"translation is identical to the source: “{_short(m.msgstr)}”",
                      "Text left in the source language is usually a message copied but not translated. "
                      "Translate it; if it is right as it is (a name, a word the language borrows), add it to "
                      "checks.allow-identical or give it a glossary entry.")


_ADDRESS = re.compile(r"\S*[\w-][./@\\][\w-]\S*")  # example.org, cop-docs.yaml, a@b.org, docs/guide.md


def _names_only(text: str, keep: set[str], allowed: set[str]) -> bool:
    rest = _ADDRESS.sub(" ", text)
    for term in sorted(keep, key=len, reverse=True):
        rest = rest.replace(term, " ")
    for word in sorted(allowed, key=len, reverse=True):
        rest = _remove_casefold(rest, word)
    return all(_name_like(rest[a:b]) for a, b in letter_runs(rest))


def _remove_casefold(text: str, word: str) -> str:
    folded = text.casefold()
    if len(folded) != len(text) or not word:
        return text
    out, i = [], 0
    while (j := folded.find(word, i)) >= 0:
        out.append(text[i:j] + " ")
        i = j + len(word)
    return "".join(out) + text[i:]


def _name_like(word: str) -> bool:
    """An acronym or single capital (OK, PDF, P), or a word with an inner capital (YouTube, iPhone)."""
    letters = [ch for ch in word if ch.isalpha()]
    if not any(ch.islower() for ch in letters):
        return True
    return any(ch.isupper() for ch in letters[1:])


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
