"""Language conventions, invisible characters and whitespace.

The punctuation checks read the msgstr as prose (:func:`.base.prose`): code, URLs and link targets are set
aside and emphasis markers removed, so ``**Contenu**:`` is ``Contenu:`` and the ``:`` of ``https://`` is not
punctuation.

``french-spacing`` (warning; fr)
    A no-break space — narrow U+202F or ordinary U+00A0 — before ``: ; ! ?`` and inside ``« »``. A missing
    space and an ordinary (breakable) space are both reported: the line could break before the mark.
    Canadian French (fr-CA) asks it only before ``:`` and inside guillemets. A mark not followed by a space or
    the end (``10:30``, ``?page``) is not sentence punctuation and is left alone.
``chinese-punctuation`` (warning; zh)
    ASCII ``, . : ; ! ? ( )`` written next to Chinese characters should be the full-width ``， 。 ： ； ！ ？ （ ）``.
``arabic-punctuation`` (warning; every language written in the Arabic script: ar, fa, ur, ps, ckb…)
    Latin ``,`` ``;`` ``?`` next to Arabic letters should be ``،`` ``؛`` ``؟``.
``spanish-opening`` (warning; es)
    A question or exclamation that ends with ``?`` or ``!`` opens with ``¿`` or ``¡`` in the same sentence.
``bidi-controls`` (error)
    A bidirectional control character the msgid does not have: embeddings and overrides U+202A–U+202E,
    isolates U+2066–U+2069, marks U+200E/U+200F. They are invisible, can reorder what the reader sees
    (or hide text, as in "Trojan source"), and are not needed: the renderers set the direction of each language.
``whitespace`` (warning)
    Leading or trailing whitespace, or the number of line breaks, different from the msgid.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterator

from ..catalogs.messages import added_bidi_controls
from .base import MASK, Check, Context, Finding, Message, is_arabic_letter, is_cjk, matches_language, snippet, visible

CHECKS = {
    "french-spacing": Check("french-spacing", "warning", "no-break space before : ; ! ? and inside « »", ("fr",)),
    "chinese-punctuation": Check("chinese-punctuation", "warning", "full-width punctuation next to Chinese text",
                                 ("zh",)),
    "arabic-punctuation": Check("arabic-punctuation", "warning", "، ؛ ؟ rather than , ; ? next to Arabic text",
                                scripts=("Arab",)),
    "spanish-opening": Check("spanish-opening", "warning", "questions and exclamations open with ¿ and ¡", ("es",)),
    "bidi-controls": Check("bidi-controls", "error", "no bidirectional control characters the source does not have"),
    "whitespace": Check("whitespace", "warning", "same leading and trailing whitespace and line breaks as the source"),
}


def run(messages: list[Message], ctx: Context) -> Iterator[Finding]:
    marks = ":" if matches_language(ctx.language, "fr-CA") else ":;!?"
    for m in messages:
        if ctx.on("french-spacing"):
            yield from _french(m, marks)
        if ctx.on("chinese-punctuation"):
            yield from _chinese(m)
        if ctx.on("arabic-punctuation"):
            yield from _arabic(m)
        if ctx.on("spanish-opening"):
            yield from _spanish(m)
        if ctx.on("bidi-controls"):
            yield from _bidi(m)
        if ctx.on("whitespace"):
            yield from _whitespace(m)


def _first(m: Message, check: str, problems: list[tuple[int, int, str]], text: str, explanation: str) -> Iterator[Finding]:
    """One finding per check and message: the first problem, quoted, and how many more there are."""
    if not problems:
        return
    start, end, what = problems[0]
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    yield Finding(m.index, check, f"{what} in “{snippet(text, start, end)}”{more}", explanation)


# --- French ---------------------------------------------------------------------------------------------

_NO_BREAK = "\u00a0\u202f"
_AFTER_MARK = set(" \t\n\u00a0\u202f\u2009)]»”\"’'…" + MASK)


def _french(m: Message, marks: str) -> Iterator[Finding]:
    text = m.prose_str
    problems = []
    for i, ch in enumerate(text):
        if ch in marks:
            prev = text[i - 1] if i else "\n"
            nxt = text[i + 1] if i + 1 < len(text) else " "
            if prev in "\n?!:;([" or nxt not in _AFTER_MARK:  # start, the rest of "?!", "(?)", or not punctuation
                continue
            if prev in " \t\u2009":
                problems.append((i - 1, i + 1, f"breakable space before '{ch}'"))
            elif prev not in _NO_BREAK:
                problems.append((i, i + 1, f"no space before '{ch}'"))
        elif ch == "«" and i + 1 < len(text) and text[i + 1] not in _NO_BREAK:
            problems.append((i, i + 2, "breakable space after '«'" if text[i + 1] in " \t" else "no space after '«'"))
        elif ch == "»" and i and text[i - 1] not in _NO_BREAK:
            problems.append((i - 1, i + 1, "breakable space before '»'" if text[i - 1] in " \t" else "no space before '»'"))
    yield from _first(m, "french-spacing", problems, text,
                      "French puts a no-break space before : ; ! ? and inside « » (a narrow one, U+202F, before "
                      "; ! ?; U+00A0 or U+202F before :), so the mark never starts a line.")


# --- Chinese --------------------------------------------------------------------------------------------

_FULL_WIDTH = {",": "，", ".": "。", ":": "：", ";": "；", "!": "！", "?": "？", "(": "（", ")": "）"}


def _chinese(m: Message) -> Iterator[Finding]:
    text = m.prose_str
    problems = []
    for i, ch in enumerate(text):
        if ch not in _FULL_WIDTH:
            continue
        prev = text[i - 1] if i else ""
        nxt = text[i + 1] if i + 1 < len(text) else ""
        if ch == "." and nxt == ".":  # the first dot of an ellipsis is judged with the last one
            continue
        near = is_cjk(prev) or (ch in "()" and is_cjk(nxt)) or (ch == "(" and prev == " " and is_cjk(nxt))
        if near:
            problems.append((i, i + 1, f"ASCII '{ch}' next to Chinese text (use '{_FULL_WIDTH[ch]}')"))
    yield from _first(m, "chinese-punctuation", problems, text,
                      "Chinese text uses full-width punctuation: ， 。 ： ； ！ ？ （ ）. ASCII marks look cramped "
                      "and break the rhythm of the line.")


# --- Arabic ---------------------------------------------------------------------------------------------

_ARABIC_MARKS = {",": "،", ";": "؛", "?": "؟"}


def _arabic(m: Message) -> Iterator[Finding]:
    text = m.prose_str
    problems = []
    for i, ch in enumerate(text):
        if ch not in _ARABIC_MARKS:
            continue
        before = _nearest_letter(reversed(text[max(0, i - 4): i]))
        after = _nearest_letter(text[i + 1: i + 5])
        if (is_arabic_letter(before) and not _latin(after)) or (is_arabic_letter(after) and not _latin(before)):
            problems.append((i, i + 1, f"Latin '{ch}' next to Arabic text (use '{_ARABIC_MARKS[ch]}')"))
    yield from _first(m, "arabic-punctuation", problems, text,
                      "Arabic script has its own comma, semicolon and question mark (، ؛ ؟); the Latin ones face "
                      "the wrong way in right-to-left text.")


def _nearest_letter(chars) -> str:
    """The first letter among a few characters next to a mark (digits and other marks in between end the search)."""
    for ch in chars:
        if ch.isalpha() or is_arabic_letter(ch):
            return ch
        if ch.isdigit():
            return ""
    return ""


def _latin(ch: str) -> bool:
    return bool(ch) and ch.isalpha() and unicodedata.name(ch, "").startswith("LATIN")


# --- Spanish --------------------------------------------------------------------------------------------

_CLOSING = re.compile(r"[?!]+")
_BOUNDARY = re.compile(r"[.…\n]")


def _spanish(m: Message) -> Iterator[Finding]:
    text = m.prose_str
    problems = []
    start = 0
    for run in _CLOSING.finditer(text):
        segment = text[start: run.start()]
        cut = max((b.end() for b in _BOUNDARY.finditer(segment)), default=0)
        segment = segment[cut:]
        need = ("¿" if "?" in run.group() else "") + ("¡" if "!" in run.group() else "")
        if not any(opener in segment for opener in need):
            names = " or ".join(f"'{o}'" for o in need)
            problems.append((run.start(), run.end(), f"'{run.group()}' without an opening {names}"))
        start = run.end()
    yield from _first(m, "spanish-opening", problems, text,
                      "Spanish opens questions with ¿ and exclamations with ¡, where the question or "
                      "exclamation begins (which may be mid-sentence).")


# --- invisible characters and whitespace ----------------------------------------------------------------



def _bidi(m: Message) -> Iterator[Finding]:
    problems = []
    shown = html.unescape(m.msgstr)  # an entity (&#x202E;) reorders the text as much as the character
    for ch in added_bidi_controls(m.msgid, m.msgstr):
        i = shown.index(ch)
        name = unicodedata.name(ch, "").title()
        problems.append((i, i + 1, f"bidi control U+{ord(ch):04X} ({name}) that the source does not have"))
    yield from _first(m, "bidi-controls", problems, shown,
                      "Bidirectional control characters are invisible and reorder or hide text; the PDF and EPUB "
                      "set each language's direction already. Delete them (retype the text around them if unsure).")


def _whitespace(m: Message) -> Iterator[Finding]:
    src, dst = m.msgid, m.msgstr
    problems = []
    for where, a, b in (("leading", _lead(src), _lead(dst)), ("trailing", _trail(src), _trail(dst))):
        if a != b:
            problems.append(f"{where} whitespace '{visible(b)}' where the source has '{visible(a)}'")
    if src.count("\n") != dst.count("\n"):
        problems.append(f"{dst.count(chr(10))} line breaks where the source has {src.count(chr(10))}")
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        yield Finding(m.index, "whitespace", problems[0] + more,
                      "Spaces at the ends of a message and line breaks inside it are part of the layout (a hard "
                      "line break, a space before an inline element): keep them as in the source.")


def _lead(text: str) -> str:
    return text[: len(text) - len(text.lstrip())]


def _trail(text: str) -> str:
    return text[len(text.rstrip()):]
