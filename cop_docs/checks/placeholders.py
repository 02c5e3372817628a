"""Placeholders and numbers: what a program or a reader counts on must survive translation.

``placeholders`` (error)
    Every ``{name}`` / ``{0}`` / ``{}`` (Python and ICU style), ``%s`` / ``%d`` / ``%1$s`` (printf) and
    ``%(name)s`` placeholder of the msgid is in the msgstr as often, and the msgstr has none of its own.
    Pandoc attributes (``{#id .class lang=fr}``) and ``50 %`` are not placeholders.
``numbers`` (warning)
    Every number of the msgid is in the msgstr. The msgstr may write it the language's way: with the digits of
    any script (Arabic-Indic ``٣``, Persian ``۳``, Devanagari…), the language's decimal and grouping symbols
    from CLDR through Babel (``1 000,5`` in French, ``1.000,5`` in Spanish, ``١٬٠٠٠٫٥`` in Arabic), a space or
    no-break space for grouping, the source's own style, or, in Chinese and Japanese, Han numerals (``第一课``
    for "Lesson 1"). Numbers in URLs and link targets and footnote labels are not counted.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel import numbers as babel_numbers

from .base import Check, Context, Finding, Message, mask_urls, matches_language

CHECKS = {
    "placeholders": Check("placeholders", "error", "{name}, %s and %(name)s placeholders of the source are kept"),
    "numbers": Check("numbers", "warning", "the numbers of the source are in the translation"),
}

_BRACE = re.compile(r"(?<!\{)\{(?:[A-Za-z_]\w*|\d+)?(?:\.\w+|\[\w+\])*(?:![rsa])?(?::[^{}\n]*)?\}(?!\})")
_PRINTF = re.compile(r"%(?:\([^()\s]+\))?(?:\d+\$)?[-+#0]*(?:\d+|\*)?(?:\.(?:\d+|\*))?(?:hh|h|ll|l|L|q|j|z|t)?"
                     r"[diouxXeEfFgGcrs]")
_NOTE_REF = re.compile(r"(?<!\\)\[\^[^\]\s]+\]")


def run(messages: list[Message], ctx: Context) -> Iterator[Finding]:
    systems = _systems(ctx.language, ctx.source_language) if ctx.on("numbers") else ()
    han = any(matches_language(ctx.language, tag) for tag in ("zh", "ja"))
    source_system = _systems(ctx.source_language, ctx.source_language)[0]
    for m in messages:
        if ctx.on("placeholders"):
            yield from _placeholders(m)
        if ctx.on("numbers"):
            yield from _numbers(m, source_system, systems, han)


# --- placeholders ---------------------------------------------------------------------------------------

def placeholders(text: str) -> Counter:
    text = mask_urls(text)
    found = Counter(m.group() for m in _BRACE.finditer(text))
    found.update(m.group() for m in _PRINTF.finditer(text.replace("%%", "")))
    return found


def _placeholders(m: Message) -> Iterator[Finding]:
    src, dst = placeholders(m.msgid), placeholders(m.msgstr)
    missing, extra = src - dst, dst - src
    if not missing and not extra:
        return
    parts = []
    if missing:
        parts.append(f"{_list(missing)} missing")
    if extra:
        parts.append(f"{_list(extra)} not in the source")
    yield Finding(m.index, "placeholders", "placeholder " + "; ".join(parts),
                  "Placeholders are filled in by the program: copy each one exactly as in the source (its position "
                  "in the sentence may change, its spelling may not).")


def _list(counter: Counter) -> str:
    return ", ".join(f"'{p}'" + (f" ×{n}" if n > 1 else "") for p, n in counter.items())


# --- numbers --------------------------------------------------------------------------------------------

_SPACES = "\u0020\u00a0\u202f\u2009"
_TOKEN = re.compile(r"\d+(?:[.,'’\u066b\u066c]\d+|[\u0020\u00a0\u202f\u2009]\d{3}(?!\d))*")
_SEPARATOR = re.compile(r"[.,'’\u066b\u066c\u0020\u00a0\u202f\u2009]")

System = tuple[str, frozenset[str]]  # decimal symbol, grouping symbols


@lru_cache(maxsize=64)
def _systems(code: str, source: str) -> tuple[System, ...]:
    """Ways to write numbers in a language: its CLDR numbering systems (through Babel), then the source's."""
    out: list[System] = []
    for tag in (code, source):
        try:
            locale = Locale.parse(tag, sep="-")
        except (UnknownLocaleError, ValueError):
            continue
        names = [locale.default_numbering_system, *locale.other_numbering_systems.values()]
        for name in dict.fromkeys(names):
            try:
                decimal = babel_numbers.get_decimal_symbol(locale, numbering_system=name)
                group = babel_numbers.get_group_symbol(locale, numbering_system=name)
            except (babel_numbers.UnsupportedNumberingSystemError, KeyError, ValueError):
                continue
            system = (_strip_marks(decimal), frozenset({_strip_marks(group), *_SPACES}))
            if system not in out:
                out.append(system)
    return tuple(out) or ((".", frozenset({",", *_SPACES})),)


def _strip_marks(symbol: str) -> str:
    return "".join(ch for ch in symbol if unicodedata.category(ch) != "Cf") or symbol


def ascii_digits(text: str) -> str:
    """Digits of every script as ASCII digits (٣ → 3, ۳ → 3, ३ → 3, ３ → 3)."""
    return "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() and not ch.isascii() else ch for ch in text)


def _clean(text: str) -> str:
    text = _NOTE_REF.sub(" ", mask_urls(text))
    return ascii_digits("".join(ch for ch in text if unicodedata.category(ch) != "Cf"))


def _value(token: str, system: System) -> tuple[str, str] | None:
    """The number a token means in a numbering system, as (integer digits, decimals), or None if it is not one."""
    decimal, groups = system
    parts = re.split(f"({_SEPARATOR.pattern})", token)
    digits, seps = parts[0::2], parts[1::2]
    integer, fraction = [digits[0]], ""
    for i, sep in enumerate(seps):
        last = i == len(seps) - 1
        part = digits[i + 1]
        if sep in groups and len(part) == 3 and len(digits[0]) <= 3:
            integer.append(part)
        elif sep in groups and len(part) == 2 and not last and len(digits[0]) <= 3:  # Indian 12,34,567
            integer.append(part)
        elif sep == decimal and last:
            fraction = part
        else:
            return None
    whole = "".join(integer).lstrip("0") or "0"
    return whole, fraction.rstrip("0")


def _source_numbers(text: str, system: System) -> list[tuple[str, tuple[str, str]]]:
    out = []
    for m in _TOKEN.finditer(_clean(text)):
        token = m.group().strip()
        value = _value(token, system)
        if value is not None:
            out.append((token, value))
        else:  # a version number, a list "1,2,3": each run of digits counts
            out += [(run, (run.lstrip("0") or "0", "")) for run in re.findall(r"\d+", token)]
    return out


def _target_values(text: str, systems: tuple[System, ...], han: bool) -> set[tuple[str, str]]:
    cleaned = _clean(text)
    values: set[tuple[str, str]] = set()
    for m in _TOKEN.finditer(cleaned):
        token = m.group().strip()
        for system in systems:
            value = _value(token, system)
            if value is not None:
                values.add(value)
        values.update((run.lstrip("0") or "0", "") for run in re.findall(r"\d+", token))
    if han:
        values.update((str(n), "") for n in han_numbers(cleaned))
    return values


def _numbers(m: Message, source: System, systems: tuple[System, ...], han: bool) -> Iterator[Finding]:
    wanted = _source_numbers(m.msgid, source)
    if not wanted:
        return
    have = _target_values(m.msgstr, systems, han)
    missing = list(dict.fromkeys(token for token, value in wanted if value not in have))
    if missing:
        what = "number" if len(missing) == 1 else "numbers"
        yield Finding(m.index, "numbers", f"{what} {', '.join(missing)} of the source not found in the translation",
                      "Numbers carry facts (ages, counts, dates): keep each one. It may use the language's digits "
                      "and separators; check it was not dropped, changed or spelled out by mistake.")


_HAN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
               "八": 8, "九": 9}
_HAN_UNITS = {"十": 10, "百": 100, "千": 1000}
_HAN_BIG = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8}
_HAN_RUN = re.compile(f"[{''.join(_HAN_DIGITS)}{''.join(_HAN_UNITS)}{''.join(_HAN_BIG)}]+")


def han_numbers(text: str) -> list[int]:
    """Numbers written in Han numerals (一, 十一, 二十五, 一百零三, 二〇二六)."""
    out = []
    for m in _HAN_RUN.finditer(text):
        run = m.group()
        if not any(ch in _HAN_UNITS or ch in _HAN_BIG for ch in run):  # digit by digit: 二〇二六
            out.append(int("".join(str(_HAN_DIGITS[ch]) for ch in run)))
            continue
        total = section = number = 0
        for ch in run:
            if ch in _HAN_DIGITS:
                number = _HAN_DIGITS[ch]
            elif ch in _HAN_UNITS:
                section += (number or 1) * _HAN_UNITS[ch]
                number = 0
            else:
                total += (section + number) * _HAN_BIG[ch]
                section = number = 0
        out.append(total + section + number)
    return out
