"""What the browser tests know of the fixture site (tests/roots/web): its languages, documents and words."""

from __future__ import annotations

from pathlib import Path

#: The six languages of the fixture, and one language of each script the accessibility checks cover.
LANGUAGES = ("en", "fr", "es", "ru", "ar", "zh-Hans")
SCRIPTS = {"Latin": "en", "Arabic": "ar", "CJK": "zh-Hans"}
#: One document of each kind.
KINDS = {"story-book": "story", "workbook": "workbook", "campaign-kit": "kit", "guide": "guide"}
#: Phone and desktop widths, in CSS pixels.
WIDTHS = (320, 375, 1280)
#: A word of the workbook's first chapter in each language: the search must find that chapter in that language.
SEARCH_WORDS = {"en": "password", "fr": "passe", "es": "contraseña", "ru": "пароль", "ar": "المرور", "zh-Hans": "密码"}


def pages_of(site: Path, lang: str) -> list[str]:
    """Every page of one language, as paths below the site."""
    return sorted(p.relative_to(site).as_posix() for p in (site / lang).rglob("*.html"))
