"""Output formats of a coverage report (:class:`cop_docs.catalogs.coverage.Report`).

- :func:`to_json`: a dictionary for ``json.dump``, in the stable schema below (for CI and dashboards);
- :func:`to_markdown`: GitHub-flavoured Markdown tables (for CI job summaries);
- :func:`to_html`: a standalone HTML page with a language × document heat map (no JavaScript; the template
  ``themes/coverage/report.html``);
- :func:`badge_svg` and :func:`badges`: shields-style SVG badges, one per language (``themes/coverage/badge.svg``);
- :func:`print_table`: a coloured terminal table (rich) with a roll-up row per language.

Nothing here reads files or prints, except :func:`print_table` to the console it is given.

JSON schema, version 1 (``"schema": 1``; fields may be added in later versions, none removed or changed)::

    {
      "schema": 1,
      "catalogs": [                       # one per catalog, in the report's order
        {
          "path": "translations/guide/fr.po",   # as given, or relative to the project root
          "language": "fr" | null,        # project language code, else the PO "Language:" header
          "document": "guide" | null,     # project document id; null for free-standing files
          "audience": "Parents" | null,
          "missing": false,               # true: no PO file yet, every template message untranslated
          "snippets": ["translations/get-help/fr.po"],  # shared snippets included: their messages are counted here
          "messages": COUNTS,
          "words": COUNTS                 # source words (words of the msgids)
        }
      ],
      "languages": {"fr": {"messages": COUNTS, "words": COUNTS}},   # roll-up per language ("und": none named)
      "documents": {"guide": {"messages": COUNTS, "words": COUNTS}},  # per document, all languages
      "audiences": {"Parents": {"messages": COUNTS, "words": COUNTS}},  # per audience, all languages
      "total": {"messages": COUNTS, "words": COUNTS},
      "command": "coverage"               # what made it, as in every command's --json
    }

    COUNTS = {"translated": int, "fuzzy": int, "untranslated": int, "total": int, "percent": float}

``translated``, ``fuzzy`` and ``untranslated`` count a project's messages against its templates (a message the
PO file lacks, or whose translation reads as another kind of block, is untranslated; see
:mod:`cop_docs.catalogs.coverage`), and free-standing files as GNU ``msgfmt --statistics`` does (a fuzzy entry is
never translated; a fuzzy entry with an empty msgstr is untranslated; obsolete entries and the header are not
counted). ``percent`` is translated / total × 100 rounded *down* to two decimals, so 100 means complete; it
is 100 when total is 0. Roll-up keys keep the order in which they first appear in ``catalogs``.
"""

from __future__ import annotations

import math
import unicodedata
import zlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .catalogs.coverage import UNKNOWN_LANGUAGE, CatalogCoverage, Counts, Report

if TYPE_CHECKING:
    from rich.console import Console

SCHEMA_VERSION = 1


# --- numbers ---------------------------------------------------------------------------------------------


def floor_percent(counts: Counts, decimals: int = 2) -> float:
    """The translated percentage rounded down (exact integer arithmetic: 29 of 100 is 29.0, not 28.99)."""
    if counts.total == 0:
        return 100.0
    scale = 10**decimals
    return counts.translated * 100 * scale // counts.total / scale


def percent_text(counts: Counts) -> str:
    """The translated percentage for people: rounded down to one decimal (``66.6%``, ``50%``), so ``100%``
    only when complete and ``0%`` only when nothing is translated (``<0.1%`` when very little is)."""
    value = floor_percent(counts, 1)
    if value == 0 and counts.translated:
        return "<0.1%"
    return f"{value:.0f}%" if value == int(value) else f"{value:.1f}%"


def _number_percent(percent: float) -> str:
    """A percentage given as a number, shown as :func:`percent_text` shows counts (rounded down)."""
    value = math.floor(percent * 10 + 1e-6) / 10  # the epsilon keeps 28.999999999999996 at 29
    if value <= 0 < percent:
        return "<0.1%"
    return f"{value:.0f}%" if value == int(value) else f"{value:.1f}%"


def _counts_json(counts: Counts) -> dict[str, Any]:
    return {"translated": counts.translated, "fuzzy": counts.fuzzy, "untranslated": counts.untranslated,
            "total": counts.total, "percent": floor_percent(counts)}


def _pair(pair: tuple[Counts, Counts]) -> dict[str, Any]:
    return {"messages": _counts_json(pair[0]), "words": _counts_json(pair[1])}


# --- JSON --------------------------------------------------------------------------------------------------


def to_json(report: Report) -> dict[str, Any]:
    """The report in the schema of this module's docstring."""
    return {
        "schema": SCHEMA_VERSION,
        "catalogs": [{"path": c.path, "language": c.language, "document": c.document, "audience": c.audience,
                      "missing": c.missing, "snippets": list(c.snippets),
                      "messages": _counts_json(c.messages), "words": _counts_json(c.words)}
                     for c in report.catalogs],
        "languages": {k: _pair(v) for k, v in report.by_language().items()},
        "documents": {k: _pair(v) for k, v in report.by_document().items()},
        "audiences": {k: _pair(v) for k, v in report.by_audience().items()},
        "total": _pair(report.total()),
        "command": "coverage",
    }


# --- Markdown ----------------------------------------------------------------------------------------------

_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]<>|#!~"})


def _md(text: str | None) -> str:
    return " ".join((text or "").split()).translate(_MD_SPECIAL)


def _md_row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _md_counts(messages: Counts, words: Counts) -> list[str]:
    return [f"{messages.translated} / {messages.total}", percent_text(messages), str(messages.fuzzy),
            str(messages.untranslated), f"{words.translated} / {words.total}", percent_text(words)]


_MD_HEAD = ["Messages", "%", "Fuzzy", "Untranslated", "Words", "Words %"]
_MD_ALIGN = ["---:"] * len(_MD_HEAD)


def to_markdown(report: Report, title: str = "Translation coverage") -> str:
    """GitHub-flavoured Markdown: every catalog with a bold roll-up row per language, then the audiences."""
    lines = [f"## {_md(title)}", ""]
    if not report.catalogs:
        return "\n".join(lines + ["No catalogs.", ""])
    messages, words = report.total()
    lines += [f"**{percent_text(messages)}** of {messages.total} messages and **{percent_text(words)}** of "
              f"{words.total} source words translated, in {len(report.catalogs)} catalogs.", ""]
    project = any(c.document for c in report.catalogs)
    head = ["Language", "Document", "Audience"] if project else ["Language", "Catalog"]
    lines += [_md_row(head + _MD_HEAD), _md_row(["---"] * len(head) + _MD_ALIGN)]
    rollups = report.by_language()
    for language, catalogs in _grouped(report.catalogs):
        for c in catalogs:
            where = [_md(c.document or c.path), _md(c.audience)] if project else [_md(c.path)]
            if c.missing:
                where[0] += " (no PO file)"
            lines.append(_md_row([_md(language)] + where + _md_counts(c.messages, c.words)))
        if len(catalogs) > 1:
            total = rollups[language]
            blank = [""] * (len(head) - 2)
            lines.append(_md_row([f"**{_md(language)}**", "**all**"] + blank + [f"**{x}**" for x in _md_counts(*total)]))
    audiences = report.by_audience()
    if audiences:
        lines += ["", "### By audience", "", _md_row(["Audience"] + _MD_HEAD), _md_row(["---"] + _MD_ALIGN)]
        lines += [_md_row([_md(name)] + _md_counts(*pair)) for name, pair in audiences.items()]
    return "\n".join(lines) + "\n"


def _grouped(catalogs: list[CatalogCoverage]) -> list[tuple[str, list[CatalogCoverage]]]:
    """Catalogs grouped by language, languages in order of first appearance."""
    groups: dict[str, list[CatalogCoverage]] = {}
    for c in catalogs:
        groups.setdefault(c.language or UNKNOWN_LANGUAGE, []).append(c)
    return list(groups.items())


# --- HTML --------------------------------------------------------------------------------------------------


def heat_colour(percent: float) -> str:
    """Red (0%) through amber to green (100%); complete is a deeper green, so it stands out."""
    if percent >= 100:
        return "hsl(130, 55%, 62%)"
    hue = max(0.0, min(percent, 100.0)) * 1.1  # 0 → red, 99 → yellow-green
    return f"hsl({hue:.0f}, 75%, 78%)"


@dataclass(frozen=True)
class _Cell:
    """One coloured cell of the page: the messages' percentage on its heat colour, the words' below."""

    colour: str
    percent: str
    words: str
    title: str
    missing: bool


def _cell(messages: Counts, words: Counts, missing: bool = False) -> _Cell:
    title = (f"messages: {messages.translated} translated, {messages.fuzzy} fuzzy, {messages.untranslated} "
             f"untranslated of {messages.total}; words: {words.translated} of {words.total}")
    return _Cell(heat_colour(messages.percent), percent_text(messages), percent_text(words), title, missing)


def to_html(report: Report, title: str = "Translation coverage") -> str:
    """A standalone page: totals, the language × document heat map, the audiences and every catalog."""
    messages, words = report.total()
    languages = report.by_language()
    documents = list(report.by_document())
    cells = {(c.language or UNKNOWN_LANGUAGE, c.document): c for c in report.catalogs if c.document}
    heatmap = [{"language": language,
                "cells": [_cell(c.messages, c.words, c.missing) if (c := cells.get((language, d))) else None
                          for d in documents],
                "all": _cell(*pair)} for language, pair in languages.items()]
    catalogs = [{"path": c.path, "missing": c.missing, "language": c.language or UNKNOWN_LANGUAGE,
                 "document": c.document or "", "messages": c.messages, "words": c.words,
                 "cell": _cell(c.messages, c.words, c.missing)} for c in report.catalogs]
    from . import templating  # here: Jinja2 loads in 20 ms, which the table and JSON do without

    return templating.render(
        "coverage/report.html", title=title, documents=documents, heatmap=heatmap, catalogs=catalogs,
        total={"percent": percent_text(messages), "messages": messages.total, "words_percent": percent_text(words),
               "words": words.total},
        legend=[(p, heat_colour(p)) for p in (0, 25, 50, 75, 90, 100)],
        languages=[(k, _cell(*v)) for k, v in languages.items()],
        audiences=[(k, _cell(*v)) for k, v in report.by_audience().items()])


# --- SVG badges --------------------------------------------------------------------------------------------


def badge_colour(percent: float) -> str:
    """shields.io's colours: brightgreen (complete), green, yellowgreen, yellow, orange, red."""
    for limit, colour in ((100, "#4c1"), (90, "#97ca00"), (75, "#a4a61d"), (50, "#dfb317"), (25, "#fe7d37")):
        if percent >= limit:
            return colour
    return "#e05d44"


def _text_width(text: str) -> int:
    """Approximate width in pixels of ``text`` in 11 px Verdana (what shields badges use)."""
    width = 0.0
    for ch in text:
        if unicodedata.east_asian_width(ch) in ("W", "F"):
            width += 11
        elif ch in "iIl.,:;|!'()[] jf":
            width += 3.8
        elif ch in "mwMW%@":
            width += 10.5
        elif ch.isupper() or ch.isdigit():
            width += 7.5
        else:
            width += 6.6
    return int(width + 0.999)


def badge_svg(label: str, percent: float) -> str:
    """A shields-style "flat" badge: ``label`` on grey, the percentage on a colour by percent."""
    shown = _number_percent(percent)
    lw, vw = _text_width(label) + 10, _text_width(shown) + 10
    uid = f"{zlib.crc32(f'{label}{chr(0)}{shown}'.encode()):08x}"  # ids unique per badge, for pages with several
    from . import templating

    return templating.render("coverage/badge.svg", label=label, value=shown, width=lw + vw, lw=lw, vw=vw, uid=uid,
                             colour=badge_colour(percent), label_x=f"{lw / 2:g}", value_x=f"{lw + vw / 2:g}")


def badges(report: Report, label: str = "translation {language}") -> dict[str, str]:
    """One badge per language (its messages' translated percentage); ``label`` may use ``{language}``."""
    return {language: badge_svg(label.format(language=language), pair[0].percent)
            for language, pair in report.by_language().items()}


# --- terminal ----------------------------------------------------------------------------------------------


def rich_style(counts: Counts) -> str:
    p = counts.percent
    if counts.complete:
        return "bold green"
    return "green" if p >= 90 else "yellow" if p >= 75 else "dark_orange" if p >= 50 else "red"


def print_table(report: Report, console: Console | None = None) -> None:
    """A coloured table: every catalog, a bold roll-up row per language, then the audiences (projects only)."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = console or Console()
    if not report.catalogs:
        console.print("No catalogs.")
        return
    project = any(c.document for c in report.catalogs)
    columns = ("Messages", "%", "Fuzzy", "Untransl.", "Words", "Words %")

    def table(title: str, first: list[str]) -> Table:
        t = Table(title=title, title_justify="left", show_edge=False, pad_edge=False)
        for i, name in enumerate(first):
            last = i == len(first) - 1  # the document, catalog or audience
            t.add_column(name, no_wrap=not last, overflow="fold")  # a path wraps rather than loses its end
        for name in columns:
            t.add_column(name, justify="right", no_wrap=True)
        return t

    def cells(messages: Counts, words: Counts, bold: bool = False) -> list[Text]:
        weight = " bold" if bold else ""
        return [Text(f"{messages.translated}/{messages.total}", style=weight.strip()),
                Text(percent_text(messages), style=rich_style(messages) + weight),
                Text(str(messages.fuzzy), style=("yellow" if messages.fuzzy else "dim") + weight),
                Text(str(messages.untranslated), style=("red" if messages.untranslated else "dim") + weight),
                Text(f"{words.translated}/{words.total}", style=weight.strip()),
                Text(percent_text(words), style=rich_style(words) + weight)]

    main = table("Translation coverage", ["Language", "Document" if project else "Catalog"])
    rollups = report.by_language()
    groups = _grouped(report.catalogs)
    for i, (language, catalogs) in enumerate(groups):
        for c in catalogs:
            where = Text(c.document or c.path)
            if c.missing:
                where.append(" (no PO file)", style="italic red")
            main.add_row(Text(language), where, *cells(c.messages, c.words))
        if len(catalogs) > 1:
            label = Text("all", style="bold")
            main.add_row(Text(language, style="bold"), label, *cells(*rollups[language], bold=True))
        if i < len(groups) - 1:
            main.rows[-1].end_section = True
    console.print(main)
    audiences = report.by_audience()
    if audiences:
        by_audience = table("By audience (all languages)", ["Audience"])
        for name, pair in audiences.items():
            by_audience.add_row(Text(name), *cells(*pair))
        console.print(by_audience)
