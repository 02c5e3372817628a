"""Stylesheets and templates: one theme system for every document kind and every script.

In: a :class:`Language` and a document kind. Out: CSS text and the paths of the pandoc templates.
A printed page's CSS is, in order: the shared base (``themes/print/base.css``), the kind's design
(``kinds/<kind>.css``), the script's typography (``scripts/*.css``) and the mirroring rules of a right-to-left
language (``rtl.css``), after the language's font stacks and before the draft rules of a draft translation.
"""

from __future__ import annotations

from ..config import Language
from ..templating import THEMES

PRINT = THEMES / "print"

#: ISO 15924 script → its print stylesheet; every other script uses ``alphabetic.css`` (hyphenated).
SCRIPT_STYLESHEETS = {
    "Arab": "arabic.css",
    "Hans": "cjk.css", "Hant": "cjk.css", "Jpan": "cjk.css", "Kore": "cjk.css",
}
#: Scripts whose fonts have no italic: emphasis is shown by weight instead of a slanted fake (EPUB too).
_NO_ITALIC = ("Arab", "Hebr", "Hans", "Hant", "Jpan", "Kore")
_NO_HYPHENATION = ("Hans", "Hant", "Jpan", "Kore")
#: Kinds of blocks a kind's print design does not print (their stylesheet hides them): the story book and the
#: campaign kit show a picture without its caption, which is the picture's description (its alt text).
UNPRINTED = {"story-book": ("figure caption",), "campaign-kit": ("figure caption",)}


def font_stack(families: tuple[str, ...]) -> str:
    return ", ".join(f'"{family}"' for family in families)


def fonts_css(lang: Language) -> str:
    stack = font_stack(lang.fonts)
    return f":root {{ font-family: {stack}; --heading-font: {font_stack(lang.heading_stack)}; }}\n"


def language_css(lang: Language) -> str:
    """Fonts, hyphenation and emphasis for the e-book, where the reading system does the rest."""
    rules = [fonts_css(lang).strip()]
    if lang.script in _NO_HYPHENATION:
        rules.append("body { hyphens: manual; line-break: strict; }")
    else:
        rules.append("p, li, dd, td { hyphens: auto; }")
    if lang.script in _NO_ITALIC:
        rules.append("em, i { font-style: normal; font-weight: bold; }")
    return "\n".join(rules) + "\n"


#: The mark a draft translation carries on its cover and every page.
DRAFT_MARK = "Draft translation"


def print_stylesheets(lang: Language, kind: str, draft: bool = False) -> list[str]:
    """The print stylesheets for a language and a document kind, in cascade order (paths below ``themes/print``)."""
    names = ["base.css", f"kinds/{kind}.css", f"scripts/{SCRIPT_STYLESHEETS.get(lang.script, 'alphabetic.css')}"]
    if lang.direction == "rtl":
        names.append("rtl.css")
    if draft:
        names += ["../draft.css", "draft-pages.css"]
    return names


def print_css(lang: Language, kind: str, draft: bool = False) -> str:
    sheets = [(PRINT / name).read_text(encoding="utf-8") for name in print_stylesheets(lang, kind, draft)]
    return fonts_css(lang) + "\n".join(sheets)


def epub_css(lang: Language, draft: bool = False) -> str:
    css = (THEMES / "epub.css").read_text(encoding="utf-8") + language_css(lang)
    return css + (THEMES / "draft.css").read_text(encoding="utf-8") if draft else css


PAGE_TEMPLATE = THEMES / "page.html"
EPUB_TEMPLATE = THEMES / "epub.xhtml"

#: Characters the theme itself puts on the page (list markers, leaders, page and note numbers, option letters):
#: the glyph preflight checks them along with the document's text.
GENERATED_CHARACTERS = "•–.·0123456789abcdefghij" + DRAFT_MARK.upper()
