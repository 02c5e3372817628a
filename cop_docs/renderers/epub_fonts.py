"""Embedded e-book fonts: the glyphs a book uses, cut from the language's fonts, so any reading system can show it.

In: a language (its font stacks and script) and the book's content documents (XHTML). Out: for a script that
reading systems do not all have fonts for (Arabic, Chinese… anything but Latin, Cyrillic and Greek), one WOFF2
file per face that draws some of the book, holding only the glyphs of its characters, and the ``@font-face``
rules naming them. Latin, Cyrillic and Greek books embed nothing: every reading system draws them.

Text is sorted the way the e-book's CSS sets it: headings in the heading stack and bold; strong text, table
headers, terms and emphasis (set in bold where the script has no italic) in the text stack's bold; the rest in
its regular. Each character goes to the first family of its stack that has it, as CSS font fallback picks it.
Bold text gets the family's bold face if one is installed, else the regular face draws it too (the reading
system then emboldens it). Subsets are byte-reproducible: no timestamp is recalculated and the text is sorted.
"""

from __future__ import annotations

import hashlib
import io
import json
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

import fontTools
from fontTools import subset
from fontTools.ttLib import TTFont

from .. import files
from ..cache import version as cache_version
from ..config import Language
from ..errors import RenderError
from ..scripts import script
from . import fonts

#: Scripts every reading system has fonts for.
#: Features for vertical text: the e-book is set horizontally.
_VERTICAL = {"vert", "vrt2", "vkna", "vkrn", "vpal", "vhal", "valt", "vjmo", "vchw"}
_XHTML = "{http://www.w3.org/1999/xhtml}"
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
#: Elements the reading system or the e-book's CSS sets in bold.
_BOLD = ("strong", "b", "th", "dt", "em", "i")
#: WOFF2 needs brotli; without it, WOFF (zlib) is written.
try:
    import brotli  # noqa: F401

    FLAVOR, MEDIA_TYPE = "woff2", "font/woff2"
except ImportError:  # pragma: no cover - brotli comes with fontTools[woff]
    FLAVOR, MEDIA_TYPE = "woff", "font/woff"


@dataclass
class BookText:
    """The characters of a book, by how they are set."""

    regular: set[str] = field(default_factory=set)
    bold: set[str] = field(default_factory=set)
    headings: set[str] = field(default_factory=set)

    def add(self, xhtml: bytes) -> None:
        """Add the text of a content document's body."""
        body = ET.fromstring(xhtml).find(f"{_XHTML}body")
        if body is not None:
            self._walk(body, self.regular)

    def _walk(self, element: ET.Element, into: set[str]) -> None:
        tag = element.tag.removeprefix(_XHTML)
        if tag in HEADINGS:
            into = self.headings
        elif tag in _BOLD or "draft-mark" in element.get("class", "").split():
            into = self.bold if into is self.regular else into
        if "draft-mark" in element.get("class", "").split():  # set in capitals by the CSS
            into.update("".join(element.itertext()).upper())
        into.update(element.text or "")
        for child in element:
            self._walk(child, into)
            into.update(child.tail or "")

    @property
    def characters(self) -> set[str]:
        return self.regular | self.bold | self.headings


@dataclass(frozen=True)
class EmbeddedFont:
    family: str
    bold: bool
    name: str  #: file name, from the face's PostScript name
    data: bytes

    @property
    def css(self) -> str:
        weight = "bold" if self.bold else "normal"
        return (f'@font-face {{ font-family: "{self.family}"; font-style: normal; font-weight: {weight}; '
                f'src: url("../fonts/{self.name}") format("{FLAVOR}"); }}\n')


def needs_fonts(lang: Language) -> bool:
    return not script(lang.script).common_fonts


def embedded_fonts(lang: Language, text: BookText, cache: Path | None = None, *,
                   every_script: bool = False) -> list[EmbeddedFont]:
    """Subsets of the language's fonts for the book's text (none for Latin, Cyrillic or Greek books).

    A large CJK subset takes seconds to cut and compress: with a ``cache`` folder (one per book), subsets
    made for the same text by the same font and fontTools are reused, and the folder keeps only this
    book's current ones. ``every_script``: Latin, Cyrillic and Greek too (a web page cannot count on the reader's
    fonts)."""
    if not every_script and not needs_fonts(lang):
        return []
    wanted: dict[tuple[str, bool], set[str]] = {}
    for stack, chars, bold in ((lang.fonts, text.regular, False), (lang.fonts, text.bold, True),
                               (lang.heading_stack, text.headings, True)):
        for family, assigned in _assign(stack, chars).items():
            wanted.setdefault((family, bold), set()).update(assigned)
    out: list[EmbeddedFont] = []
    kept: set[str] = set()  # the cache's files for this book
    for family in dict.fromkeys(lang.heading_stack + lang.fonts):
        regular = wanted.get((family, False), set())
        bold = wanted.get((family, True), set())
        bold_face = _bold_face(family) if bold else None
        if bold_face is None:
            regular |= bold
        if regular:
            out.append(_cached(family, fonts.regular_face(family), regular, False, cache, kept))
        if bold_face is not None:
            out.append(_cached(family, bold_face, bold, True, cache, kept))
    if cache is not None:
        for stale in cache.glob("*"):
            if stale.name not in kept:
                stale.unlink(missing_ok=True)
    return out


def _assign(families: tuple[str, ...], chars: set[str]) -> dict[str, set[str]]:
    """Each drawable character under the first family of the stack that has it."""
    cmaps = {family: fonts.coverage((family,)) for family in families}
    chosen: dict[str, set[str]] = {}
    for ch in chars:
        if unicodedata.category(ch) in ("Cc", "Zl", "Zp"):
            continue
        family = next((f for f in families if ord(ch) in cmaps[f]), None)
        if family is not None:
            chosen.setdefault(family, set()).add(ch)
    return chosen


def _bold_face(family: str) -> fonts.FontFile | None:
    """The installed bold face of a family (fontconfig's style name "Bold"), None if there is none."""
    faces = sorted((face for style, face in fonts.installed_faces(family) if "Bold" in style.split(",")[0].split()
                    and "Italic" not in style and "Oblique" not in style), key=lambda f: (str(f.path), f.index))
    return faces[0] if faces else None


def _cached(family: str, face: fonts.FontFile, chars: set[str], bold: bool, cache: Path | None,
            kept: set[str]) -> EmbeddedFont:
    text = "".join(sorted(chars | {" "}))
    if cache is None:
        return EmbeddedFont(family, bold, *_embed(family, face, text))
    stat = face.path.stat()
    key = json.dumps([cache_version(), fontTools.version, FLAVOR, str(face.path), face.index, stat.st_size, stat.st_mtime_ns,
                      sorted(vars(_options(False)).items()), text], default=str)
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
    for hit in cache.glob(f"{digest}-*"):
        # the file's name carries a checksum of its bytes: a damaged or truncated file is made again
        checksum, _, name = hit.name[len(digest) + 1:].partition("-")
        data = hit.read_bytes()
        if name and hashlib.sha256(data).hexdigest()[:16] == checksum:
            kept.add(hit.name)
            return EmbeddedFont(family, bold, name, data)
        hit.unlink(missing_ok=True)
    name, data = _embed(family, face, text)
    stored = f"{digest}-{hashlib.sha256(data).hexdigest()[:16]}-{name}"
    files.write_atomic(cache / stored, data)
    kept.add(stored)
    return EmbeddedFont(family, bold, name, data)


def _embed(family: str, face: fonts.FontFile, text: str) -> tuple[str, bytes]:
    """The subset of a face for the text: its file name (from the PostScript name) and bytes."""
    try:
        font = TTFont(str(face.path), fontNumber=face.index, lazy=True, recalcTimestamp=False, recalcBBoxes=False)
    except Exception as exc:  # fontTools raises many kinds on a broken file
        raise RenderError(f"cannot read font '{family}': {exc}", face.path) from None
    with font:
        cjk = 0x4E00 in (font.getBestCmap() or {})
        subsetter = subset.Subsetter(_options(cjk))
        subsetter.populate(text=text)
        subsetter.subset(font)
        font.flavor = FLAVOR
        buffer = io.BytesIO()
        font.save(buffer)
        name = font["name"].getDebugName(6) or f"{family.replace(' ', '')}-{face.index}"
    return f"{name}.{FLAVOR}", buffer.getvalue()


def _options(cjk: bool) -> subset.Options:
    options = subset.Options()
    # Pan-CJK fonts keep the other regions' forms (JP, KR, TC…) under `locl`: the family the project names
    # is already the region's, so `locl` would only add unused glyphs.
    dropped = _VERTICAL | ({"locl"} if cjk else set())
    options.layout_features = [f for f in options.layout_features if f not in dropped]
    options.name_IDs = ["*"]  # keeps the copyright and license (OFL) records with the font
    options.name_languages = ["*"]
    options.hinting = False  # reading systems scale outlines; hints only add bytes
    options.desubroutinize = True  # smaller once compressed
    options.notdef_outline = True
    return options
