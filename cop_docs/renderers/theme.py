"""Stylesheets and templates: one theme system for every document kind and every script.

In: a :class:`Language` and a document kind. Out: CSS text and the paths of the pandoc templates.
A printed page's CSS is, in order: the shared base (``themes/print/base.css``), the kind's design
(``kinds/<kind>.css``), the script's typography (``scripts/*.css``) and the mirroring rules of a right-to-left
language (``rtl.css``), after the language's font stacks and before the draft rules of a draft translation.
"""

from __future__ import annotations

import html
import re

from .. import locale
from ..config import Language
from ..scripts import script
from ..templating import THEMES

PRINT = THEMES / "print"



def font_stack(families: tuple[str, ...]) -> str:
    return ", ".join(f'"{family}"' for family in families)


def fonts_css(lang: Language) -> str:
    stack = font_stack(lang.fonts)
    return (f":root {{ font-family: {stack}; --text-font: {stack}; "
            f"--heading-font: {font_stack(lang.heading_stack)}; }}\n")


def language_css(lang: Language) -> str:
    """Fonts, hyphenation and emphasis for the e-book, where the reading system does the rest."""
    rules = [fonts_css(lang).strip()]
    facts = script(lang.script)
    if not facts.hyphenates:
        rules.append("body { hyphens: manual; line-break: strict; }")
    else:
        rules.append("p, li, dd, td { hyphens: auto; }")
    if not facts.italic:
        rules.append("em, i { font-style: normal; font-weight: bold; }")
    return "\n".join(rules) + "\n"


def draft_mark(lang: Language) -> tuple[str, str]:
    """The mark a draft translation carries on its cover and every page, in the language's words (see
    :mod:`cop_docs.locale`), and the language it is in."""
    return locale.gettext(lang.code, "Draft translation"), locale.language_of(lang.code)


def draft_legend(lang: Language) -> str:
    """The legend on a draft's first pages, as HTML: the mark, what is marked and why, and an example of the mark,
    in the language's words (escaped: a catalog of the tool is text, not markup)."""
    mark, mark_lang = draft_mark(lang)
    words_lang = f' lang="{mark_lang}"' if mark_lang != lang.code else ""
    said = " ".join(html.escape(locale.gettext(lang.code, message))
                    for message in ("Some passages are still in English.", "They are marked like this:"))
    example = f'<span class="untranslated" lang="{locale.SOURCE_LANGUAGE}">English</span>'
    return f'<strong class="draft-legend-mark">{html.escape(mark)}</strong> <span{words_lang}>{said}</span> {example}'


def option_letters(lang: Language) -> list[str]:
    """The letters of a multiple-choice question's options in the language (the tool's catalog says which)."""
    return locale.gettext(lang.code, "a b c d e f g h i j").split()


def option_letters_css(lang: Language) -> str:
    """The counter style ``option-letter`` that numbers options with the language's letters (decimal after them)."""
    symbols = " ".join(css_string(letter) for letter in option_letters(lang))
    return f"@counter-style option-letter {{ system: fixed; symbols: {symbols}; suffix: \"\"; }}\n"


def draft_pages_css(lang: Language) -> str:
    """The draft mark on the inner edge of every printed page, opposite the running header."""
    mark = css_string(draft_mark(lang)[0].upper())
    box = f"content: {mark}; width: 28%; color: #b00020; font-size: 8pt; font-weight: bold; " \
          "vertical-align: bottom; padding-bottom: 3mm;"
    return f"@page :right {{ @top-left {{ {box} }} }}\n@page :left {{ @top-right {{ {box} }} }}\n"


def css_string(text: str) -> str:
    """Text as a CSS string: quotes, backslashes and line ends escaped, so that no translation ends the rule."""
    return '"' + "".join(f"\\{ord(ch):x} " if ch in '"\\\n\r\f' or ord(ch) < 0x20 else ch for ch in text) + '"'


def print_stylesheets(lang: Language, kind: str, draft: bool = False) -> list[str]:
    """The print stylesheets for a language and a document kind, in cascade order (paths below ``themes/print``)."""
    names = ["base.css", f"kinds/{kind}.css", f"scripts/{script(lang.script).stylesheet}"]
    if lang.direction == "rtl":
        names.append("rtl.css")
    if draft:
        names.append("../draft.css")
    return names


def print_css(lang: Language, kind: str, draft: bool = False) -> str:
    sheets = [(PRINT / name).read_text(encoding="utf-8") for name in print_stylesheets(lang, kind, draft)]
    return fonts_css(lang) + option_letters_css(lang) + "\n".join(sheets) + (draft_pages_css(lang) if draft else "")


def kind_colours(kind: str) -> dict[str, str]:
    """A kind's colours, as its print stylesheet sets them (``--accent``, ``--accent-soft`` in ``:root``, else the
    base's): the e-book and its cover are drawn in the same colours as the print edition."""
    colours: dict[str, str] = {}
    for sheet in (PRINT / "base.css", PRINT / "kinds" / f"{kind}.css"):
        if not sheet.is_file():
            continue
        for root in re.finditer(r":root\s*\{([^}]*)\}", sheet.read_text(encoding="utf-8")):
            colours.update(re.findall(r"--(accent(?:-soft)?)\s*:\s*(#[0-9a-fA-F]{3,6})", root.group(1)))
    return colours


def epub_css(lang: Language, kind: str, draft: bool = False) -> str:
    """The e-book's stylesheet: the shared design in the kind's colours (reading systems that know no custom
    properties are many, so the colours are written out), then the language's typography."""
    colours = kind_colours(kind)
    design = (THEMES / "epub.css").read_text(encoding="utf-8")
    for name, value in colours.items():
        design = design.replace(f"var(--{name})", value)
    css = design + language_css(lang) + option_letters_css(lang)
    return css + (THEMES / "draft.css").read_text(encoding="utf-8") if draft else css


PAGE_TEMPLATE = THEMES / "page.html"
EPUB_TEMPLATE = THEMES / "epub.xhtml"

#: Characters the theme itself puts on the page (list markers, leaders, page and note numbers, option letters).
GENERATED_CHARACTERS = "•–.·0123456789abcdefghij"


def generated_characters(lang: Language) -> str:
    """What the theme and the tool's own words put on a page in the language: the glyph preflight checks them
    along with the document's text."""
    mark = draft_mark(lang)[0]
    legend = "".join(locale.gettext(lang.code, m) for m in ("Some passages are still in English.", "They are marked like this:"))
    return GENERATED_CHARACTERS + mark + mark.upper() + legend + "".join(option_letters(lang))
