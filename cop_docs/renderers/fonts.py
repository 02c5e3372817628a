"""Fonts: which files a language's font stack names, and whether they have a glyph for every character.

In: font family names from the project file and a localized document's characters. Out: font files (found
through fontconfig, as WeasyPrint finds them) and a :class:`RenderError` for a missing font or a character
no font in the stack can draw. WeasyPrint itself only warns and prints empty boxes in that case.
"""

from __future__ import annotations

import functools
import subprocess
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from fontTools.ttLib import TTFont

from ..errors import RenderError

#: Debian packages that provide the families the project configures, for the error message.
PACKAGE_HINT = "fonts-noto-core, fonts-noto-cjk"


@dataclass(frozen=True)
class FontFile:
    family: str
    path: Path
    index: int


@functools.lru_cache(maxsize=1)
def _installed() -> dict[str, list[tuple[str, FontFile]]]:
    try:
        out = subprocess.run(["fc-list", "--format", "%{family}\t%{style}\t%{file}\t%{index}\n"],
                             capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError) as exc:
        raise RenderError(f"cannot list fonts with fontconfig's fc-list: {exc}") from None
    families: dict[str, list[tuple[str, FontFile]]] = {}
    for line in out.splitlines():
        parts = line.split("\t")
        if len(parts) != 4:
            continue
        names, style, file, index = parts
        for name in names.split(","):
            families.setdefault(name.strip().casefold(), []).append(
                (style, FontFile(name.strip(), Path(file), int(index or 0))))
    return families


def installed_faces(family: str) -> list[tuple[str, FontFile]]:
    """Every installed face of a family, with its style name (empty for a family that is not installed)."""
    return _installed().get(family.casefold(), [])


def regular_face(family: str) -> FontFile:
    """The regular face of an installed family; a missing family is an error, never a silent substitute."""
    faces = _installed().get(family.casefold())
    if not faces:
        raise RenderError(f"font family '{family}' is not installed (install {PACKAGE_HINT})")
    for style, face in faces:
        if style.split(",")[0].strip() in ("Regular", "Book", "Normal"):
            return face
    return sorted(faces, key=lambda f: (str(f[1].path), f[1].index))[0][1]


@functools.cache
def _cmap(face: FontFile) -> frozenset[int]:
    with TTFont(str(face.path), fontNumber=face.index, lazy=True) as font:
        return frozenset(font.getBestCmap() or {})


def coverage(families: tuple[str, ...]) -> frozenset[int]:
    """Every code point some font in the stack can draw."""
    covered: set[int] = set()
    for family in families:
        covered |= _cmap(regular_face(family))
    return frozenset(covered)


def missing_glyphs(text_chars: set[str], families: tuple[str, ...]) -> list[str]:
    """Characters of the text that no font of the stack has, in code point order (spaces and controls aside)."""
    covered = coverage(families)
    return sorted(
        ch for ch in text_chars
        if ord(ch) not in covered and unicodedata.category(ch) not in ("Zs", "Zl", "Zp", "Cc", "Cf")
    )
