"""Stylesheets and templates for a language: one shared theme plus what the script needs.

In: a :class:`Language`. Out: CSS text (the shared base, then the language's font stack, direction and
hyphenation rules) and the paths of the pandoc templates.
"""

from __future__ import annotations

from ..config import Language
from .resources import THEMES

#: Scripts written without spaces between words: no hyphenation, no faux italics.
_NO_HYPHENATION = ("zh", "ja", "ko")
#: Scripts whose fonts have no italic: emphasis is shown by weight instead of a slanted fake.
_NO_ITALIC = ("zh", "ja", "ko", "ar", "fa", "ur", "he")


def font_stack(lang: Language) -> str:
    return ", ".join(f'"{family}"' for family in lang.fonts)


def language_css(lang: Language) -> str:
    primary = lang.code.split("-")[0]
    rules = [f":root {{ font-family: {font_stack(lang)}; }}"]
    if primary in _NO_HYPHENATION:
        rules.append("body { hyphens: manual; line-break: strict; }")
    else:
        rules.append("p, li, dd, td { hyphens: auto; }")
    if primary in _NO_ITALIC:
        rules.append("em, i { font-style: normal; font-weight: bold; }")
    return "\n".join(rules) + "\n"


#: The mark a draft translation carries on its cover and every page.
DRAFT_MARK = "Draft translation"


def print_css(lang: Language, draft: bool = False) -> str:
    css = (THEMES / "print.css").read_text(encoding="utf-8") + language_css(lang)
    if draft:
        css += (THEMES / "draft.css").read_text(encoding="utf-8") + (THEMES / "draft-pages.css").read_text(encoding="utf-8")
    return css


def epub_css(lang: Language, draft: bool = False) -> str:
    css = (THEMES / "epub.css").read_text(encoding="utf-8") + language_css(lang)
    return css + (THEMES / "draft.css").read_text(encoding="utf-8") if draft else css


PAGE_TEMPLATE = THEMES / "page.html"
EPUB_TEMPLATE = THEMES / "epub.xhtml"

#: Characters the theme itself puts on the page (list markers, leaders, page and note numbers): the
#: glyph preflight checks them along with the document's text.
GENERATED_CHARACTERS = "•–.·0123456789" + DRAFT_MARK.upper()
