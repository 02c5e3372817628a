"""What the tool knows about each writing system, in one table keyed by ISO 15924 script code.

In: a language (its script comes from CLDR through Babel: ``ar`` → ``Arab``, ``zh-Hans`` → ``Hans``). Out: its
:class:`Script`: the print typography it takes, whether it has italics, hyphenates and puts spaces between words,
whether reading systems bring fonts for it (else the e-book embeds them) and the family the web pages name for it.
A language in a new script is one entry here; a script not in the table is treated as an alphabet that reading
systems may lack fonts for.
"""

from __future__ import annotations

from dataclasses import dataclass

from babel import Locale, UnknownLocaleError
from babel.core import get_global


@dataclass(frozen=True)
class Script:
    code: str  #: ISO 15924
    stylesheet: str = "alphabetic.css"  #: its print typography, in themes/print/scripts/
    italic: bool = True  #: has italic faces (else emphasis is set in bold)
    hyphenates: bool = True  #: long words break with a hyphen (else lines break between characters)
    spaces: bool = True  #: words and sentences are separated by spaces
    common_fonts: bool = False  #: every reading system has fonts for it (else the e-book embeds them)
    page_font: str = "Noto Sans"  #: the family the download pages name for it


SCRIPTS: dict[str, Script] = {s.code: s for s in (
    Script("Latn", common_fonts=True),
    Script("Cyrl", common_fonts=True),
    Script("Grek", common_fonts=True),
    Script("Arab", "arabic.css", italic=False, page_font="Noto Sans Arabic"),
    Script("Hebr", italic=False, page_font="Noto Sans Hebrew"),
    Script("Hans", "cjk.css", italic=False, hyphenates=False, spaces=False, page_font="Noto Sans CJK SC"),
    Script("Hant", "cjk.css", italic=False, hyphenates=False, spaces=False, page_font="Noto Sans CJK TC"),
    Script("Jpan", "cjk.css", italic=False, hyphenates=False, spaces=False, page_font="Noto Sans CJK JP"),
    Script("Kore", "cjk.css", italic=False, hyphenates=False, page_font="Noto Sans CJK KR"),
    Script("Thai", hyphenates=False, spaces=False, page_font="Noto Sans Thai"),
)}


def script_of(language: str) -> str:
    """The ISO 15924 script a language (a BCP-47 tag) is written in: its own script subtag, else CLDR's likely
    subtags (``ar`` → ``Arab``, ``zh`` → ``Hans``, ``sr`` → ``Cyrl``), else Latin."""
    try:
        locale = Locale.parse(language, sep="-")
    except (ValueError, UnknownLocaleError):
        return "Latn"
    if locale.script:
        return locale.script
    likely = get_global("likely_subtags").get(locale.language, "").split("_")  # e.g. ar_Arab_EG
    return likely[1] if len(likely) > 2 else "Latn"


def script(code: str) -> Script:
    """The facts of a script (an alphabet's defaults for one the table does not list)."""
    return SCRIPTS.get(code) or Script(code)
