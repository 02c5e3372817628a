"""The words cop-docs itself writes into what it makes: the draft mark, the default title of the contents, the
e-book's landmarks and accessibility summary, the download page.

In: a language code and a message, as the template ``cop-docs.pot`` beside this file lists it. Out: the message in
that language from ``<code>.po`` beside this file (read with the project's own PO reader), falling back through the
language's parents (``fr-CA`` → ``fr``, ``zh-Hant-TW`` → ``zh-Hant`` → ``zh``) to English; :func:`language_of`
says which language the words come in, so that an output can tag them. Every message of the template is
translated in every catalog shipped here (a test keeps it so).
"""

from __future__ import annotations

import functools
from pathlib import Path

from ..catalogs import po

LOCALE = Path(__file__).resolve().parent
TEMPLATE = LOCALE / "cop-docs.pot"
SOURCE_LANGUAGE = "en"


#: The message that lists the options' letters: a pseudo-locale changes the letters alone.
OPTION_LETTERS = "a b c d e f g h i j"


@functools.cache
def _translations(code: str) -> dict[tuple[str | None, str], str] | None:
    from ..catalogs import pseudo

    if code in pseudo.CODES:  # made from the template, as the pseudo-locales' catalogs of a project are
        return {(e.msgctxt, e.msgid): pseudo.pseudo_letters(e.msgid, code) if e.msgid == OPTION_LETTERS
                else pseudo.pseudo_text(e.msgid, code) for e in po.read(TEMPLATE).messages}
    path = LOCALE / f"{code}.po"
    if not path.is_file():
        return None
    return {(e.msgctxt, e.msgid): e.msgstr for e in po.read(path).messages if e.state == po.TRANSLATED}


def shipped() -> list[str]:
    """The languages the tool's words are translated into (besides English)."""
    return sorted(path.stem for path in LOCALE.glob("*.po"))


def language_of(code: str) -> str:
    """The language the tool's words come in for a language: its own, a parent's, or English."""
    parts = code.replace("_", "-").split("-")
    for n in range(len(parts), 0, -1):
        candidate = "-".join(parts[:n])
        if candidate == SOURCE_LANGUAGE or _translations(candidate) is not None:
            return candidate
    return SOURCE_LANGUAGE


@functools.cache
def messages() -> frozenset[tuple[str | None, str]]:
    """The messages of the template: (context, message)."""
    return frozenset((e.msgctxt, e.msgid) for e in po.read(TEMPLATE).messages)


def gettext(code: str, message: str, context: str | None = None, **fields: object) -> str:
    """``message`` in the language ``code`` (see :func:`language_of`), with ``fields`` put in its ``{braces}``. A
    message the template does not list is a fault of the tool (it could never be translated)."""
    if (context, message) not in messages():
        raise KeyError(f"the tool's words have no message {message!r} (context {context!r}): add it to {TEMPLATE.name}")
    table = _translations(language_of(code)) or {}
    text = table.get((context, message), message)
    return text.format(**fields) if fields else text
