"""Arabic text that pdftotext (poppler) extracts from our PDFs as it was written: marks and ligatures in place.

In: WeasyPrint's drawing of each line of text, while :func:`extractable_text` is active around ``write_pdf``.
Out: the same pages, the same glyphs at the same places, with what the PDF says about their text corrected:

- each glyph of a multi-glyph cluster maps (ToUnicode) to its own characters: a mark to its mark, a ligature to
  its letters, where WeasyPrint gave all of the cluster to its first glyph and nothing to the others;
- a glyph drawn raised or lowered (Arabic harakat, shadda and tanwin, which the font positions over or under
  their letter) sits in a marked-content span ``/Span <</ActualText (its mark)>> BDC … EMC`` placed at the
  leading edge of its letter;
- a glyph standing for several characters in right-to-left text (the lam-alef ligatures of the heading font,
  with the tanwin over one if there is) sits in one such span per character, side by side across its width.

Why: WeasyPrint draws a line of Arabic in visual order. poppler builds words from glyph origins, then reverses
each right-to-left line character by character. A mark, drawn with a text rise (``Ts``) and its origin inside
its letter, makes a word of its own (off the baseline) that sorts after the letter's left edge, so it came out
before its letter or split off: "يُشجع" as "ُيشجع", "مُحَمَّد" as "ُم َح َّمد". A ligature's letters are laid
out left to right and reversed with the line: "املأ" came out as "امأل". And as WeasyPrint maps a glyph once, to
the text of the first cluster it draws it in, a lam-alef first drawn under a tanwin ("مثلًا") meant nothing,
everywhere. About one Arabic word in ten did not extract intact. An ActualText over a whole word or ligature
cannot help: poppler reverses it the same way. What poppler honours is a span's text together with where the
span's first and last glyphs stand.

So each span holds one character and opens and closes with an anchor glyph on the baseline: a mark's span
reaches from its letter's leading edge one thousandth of an em further (so that it also sorts after a
zero-width glyph drawn there, the alef of a lam-alef), a ligature's spans share its width. The anchor is the
font's own zero-width space glyph (no ink, no advance), mapped to no text, so that readers of the ToUnicode map
alone see each character once, as before. Marks stacked in one glyph (shadda with fatha) are given in reverse
order, a canonically equivalent text that poppler's reversal turns back into the source's order.

The spans carry no MCID: they sit inside WeasyPrint's tagged content, and the structure tree and /Lang stay as
they were, as do the bytes of a PDF with neither raised glyphs, right-to-left ligatures nor multi-glyph
clusters. The output is as reproducible as WeasyPrint's. Only ``weasyprint.draw.text.draw_first_line`` is
replaced, and only inside the ``with`` block: one render per process at a time (the build's workers each enter
it), not renders running at the same time in threads.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from typing import Any

import pydyf
from fontTools.pens.boundsPen import BoundsPen
from fontTools.ttLib import TTFont
from weasyprint.draw import text as weasyprint_text
from weasyprint.text.ffi import ffi, pango

from ..tree import elements

#: Characters whose glyph can serve as the anchor: invisible and without advance in the fonts that have them.
ANCHOR_CHARACTERS = ("\u200b", "\ufeff", "\u2060")
#: How far (in thousandths of an em) a mark's span reaches past its leading edge: enough to order it after a
#: zero-width glyph drawn at the same place, far below the gap poppler reads as a space (30).
REACH = 1
#: The parts of a TJ string WeasyPrint writes: hexadecimal glyph ids (four digits each) and position adjustments.
_TJ_PARTS = re.compile(r"<([0-9a-f]*)>|([^<>]+)")
_RIGHT_TO_LEFT = ("R", "AL")
_RIGHT_TO_LEFT_SCRIPTS = {"ARABIC", "HEBREW", "SYRIAC", "THAANA", "NKO", "SAMARITAN", "MANDAIC"}


def needed(doc: Any) -> bool:
    """Whether a document's text has what this module corrects: combining marks or right-to-left letters. Other
    text comes out the same either way, so its render skips the slower drawing."""
    characters = set().union(*(node["c"] for node in elements(doc, {"Str"})))
    return any(unicodedata.category(ch) == "Mn" or unicodedata.bidirectional(ch) in _RIGHT_TO_LEFT for ch in characters)


@contextmanager
def extractable_text() -> Iterator[None]:
    """While active, WeasyPrint maps clusters glyph by glyph and draws raised glyphs and right-to-left ligatures
    inside anchored ActualText spans."""
    original = weasyprint_text.draw_first_line
    fonts: dict[int, _FontFile] = {}

    def draw_first_line(stream, textbox, *args, **kwargs):
        plan = _map_clusters(stream, textbox, fonts)
        return original(_Line(stream, fonts, plan), textbox, *args, **kwargs)

    weasyprint_text.draw_first_line = draw_first_line
    try:
        yield
    finally:
        weasyprint_text.draw_first_line = original


class _FontFile:
    """What the font program itself says about a WeasyPrint font's glyphs, read when first needed."""

    def __init__(self, font: Any):
        self._font = font

    @cached_property
    def _ttfont(self) -> TTFont:
        return TTFont(io.BytesIO(self._font.file_content), fontNumber=self._font.index, lazy=True)

    @cached_property
    def characters(self) -> dict[int, str]:
        """Glyph id → the character the font's cmap maps to it (the lowest, when several are)."""
        ttfont = self._ttfont
        found: dict[int, str] = {}
        for code, name in sorted((ttfont.getBestCmap() or {}).items(), reverse=True):
            found[ttfont.getGlyphID(name)] = chr(code)
        return found

    @cached_property
    def anchor(self) -> int | None:
        """The glyph of an invisible zero-width character, unless the text already uses it."""
        ttfont = self._ttfont
        cmap = ttfont.getBestCmap() or {}
        glyphs = ttfont.getGlyphSet()
        for character in ANCHOR_CHARACTERS:
            name = cmap.get(ord(character))
            if name is None or ttfont["hmtx"][name][0] != 0:
                continue
            pen = BoundsPen(glyphs)
            glyphs[name].draw(pen)
            glyph_id = ttfont.getGlyphID(name)
            if pen.bounds is None and not self._font.to_unicode.get(glyph_id):
                return glyph_id
        return None


def _file(fonts: dict[int, _FontFile], font: Any) -> _FontFile:
    if id(font) not in fonts:
        fonts[id(font)] = _FontFile(font)
    return fonts[id(font)]


# --- the ToUnicode map -----------------------------------------------------------------------------------------


def _map_clusters(stream: Any, textbox: Any, fonts: dict[int, _FontFile]) -> list[tuple[int, str | None]]:
    """Map the not yet mapped glyphs of the line's multi-glyph clusters, each to its own characters, before
    WeasyPrint gives the whole cluster to one of them. Returns the line's glyphs in the order WeasyPrint draws
    them, each with the text it alone stands for here, if not its own: a right-to-left ligature with marks in its
    cluster (a tanwin over a lam-alef) stands for the whole cluster, its marks for nothing."""
    if not textbox.text.strip():  # draw_first_line draws nothing either
        return []
    layout = textbox.pango_layout
    pango.pango_layout_set_single_paragraph_mode(layout.layout, True)  # as draw_first_line does: the same line
    line, _ = layout.get_first_line()
    text = layout.text.encode()
    plan: list[tuple[int, str | None]] = []
    run = line.runs[0]
    while run != ffi.NULL:
        item, run = run.data, run.next
        count = item.glyphs.num_glyphs
        clusters = ffi.unpack(item.glyphs.log_clusters, count)
        ids = [info.glyph for info in item.glyphs.glyphs[0:count]]
        drawn = [(cluster, glyph) for cluster, glyph in zip(clusters, ids, strict=True) if glyph != pango.PANGO_GLYPH_EMPTY]
        first = len(plan)
        plan.extend((glyph, None) for _, glyph in drawn)
        font, _ = stream.add_font(item.item.analysis.font)
        if len(set(clusters)) == count or font.bitmap:
            continue
        members: dict[int, list[int]] = {}  # cluster → positions in the plan
        for position, (cluster, glyph) in enumerate(drawn, first):
            if not glyph & pango.PANGO_GLYPH_UNKNOWN_FLAG:
                members.setdefault(cluster, []).append(position)
        starts = sorted(set(clusters))
        for start, end in zip(starts, [*starts[1:], item.item.length], strict=True):
            positions = members.get(start, [])
            if len(positions) > 1:
                cluster_text = text[item.item.offset + start:item.item.offset + end].decode()
                _map_cluster(font, [plan[p][0] for p in positions], cluster_text, _file(fonts, font), plan, positions)
    return plan


def _map_cluster(font: Any, glyphs: list[int], text: str, file: _FontFile, plan: list[tuple[int, str | None]],
                 positions: list[int]) -> None:
    if any(glyph not in font.to_unicode for glyph in glyphs):
        for glyph, characters in _shares(glyphs, text, file.characters).items():
            font.to_unicode.setdefault(glyph, characters)
    ligatures = [i for i, glyph in enumerate(glyphs) if _reversed_by_readers(font.to_unicode.get(glyph, ""))]
    marks = [i for i, glyph in enumerate(glyphs) if unicodedata.category(file.characters.get(glyph, " ")) == "Mn"]
    if len(ligatures) == 1 and len(marks) == len(glyphs) - 1 and font.to_unicode[glyphs[ligatures[0]]] != text:
        for i, position in enumerate(positions):
            plan[position] = (glyphs[i], text if i == ligatures[0] else "")


def _shares(glyphs: list[int], text: str, characters: dict[int, str]) -> dict[int, str]:
    """Each glyph's characters: a glyph the cmap maps to one of the cluster's characters gets it, the one other
    glyph the rest, in order; nothing when the cluster does not split that way."""
    rest = list(text)
    shares: dict[int, str] = {}
    for glyph in glyphs:
        character = characters.get(glyph)
        if glyph not in shares and character in rest:
            shares[glyph] = character
            rest.remove(character)
    others = {glyph for glyph in glyphs if glyph not in shares}
    if len(others) != 1:
        return {} if others or rest else shares
    shares[others.pop()] = "".join(rest)
    return shares


# --- the spans -------------------------------------------------------------------------------------------------


class _Line:
    """The page's stream as ``draw_first_line`` sees it: raised glyphs and right-to-left ligatures get their
    spans, the rest passes. ``plan`` is :func:`_map_clusters`' account of the line, checked glyph by glyph."""

    def __init__(self, stream: Any, fonts: dict[int, _FontFile], plan: list[tuple[int, str | None]]):
        self._stream = stream
        self._fonts = fonts
        self._plan = plan
        self._drawn = 0
        self._added: dict[str, Any] = {}
        self._font: Any = None
        self._rise = 0.0
        self._closing: str | None = None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)

    def add_font(self, pango_font: Any) -> tuple[Any, float]:
        font, size = self._stream.add_font(pango_font)
        self._added[font.hash] = font
        return font, size

    def set_font_size(self, font: str, size: float) -> None:
        # WeasyPrint adds the next run's font before it shows the previous run's text: the font in use is the one set.
        self._font = self._added[font]
        self._stream.set_font_size(font, size)

    def set_text_rise(self, rise: float) -> None:
        if rise:
            self._rise = rise  # applied in show_text, once the glyph is known
            return
        self._stream.set_text_rise(0)
        if self._closing is not None:
            if self._closing:
                self._stream.show_text(self._closing)
            self._stream.end_marked_content()
            self._closing = None

    def show_text(self, text: str) -> None:
        rise, self._rise = self._rise, 0.0
        if rise:
            self._open_mark_span(text)
            self._stream.set_text_rise(rise)
            self._stream.show_text(text)
        elif not self._show_ligatures(text):
            self._stream.show_text(text)

    def _open_mark_span(self, text: str) -> None:
        """Open the span of a raised glyph, which WeasyPrint shows alone: ``[{shift}<{glyph id}>] TJ``."""
        shift, _, glyph = text.rstrip(">").partition("<")
        planned = self._planned(glyph)
        if planned == "":  # a mark its ligature's spans stand for
            self._stream.begin_marked_content("Span", pydyf.Dictionary({"ActualText": pydyf.String("")}))
            self._closing = ""
            return
        characters = self._characters(glyph) if planned is None else planned
        anchor = self._anchor() if characters else None
        if anchor is None:
            return
        self._begin(_stacked_marks(characters), anchor)
        # The glyph leaves the pen at start - shift + advance: the closing anchor goes REACH further, and the pen back.
        reach = float(shift or 0) + REACH
        self._closing = f"{_number(-reach)}<{anchor:04x}>{_number(reach)}"

    def _show_ligatures(self, text: str) -> bool:
        """Show a TJ string whose right-to-left ligatures get a span per character; False if it has none."""
        parts = _TJ_PARTS.findall(text)
        step = 2 if self._font is not None and self._font.bitmap else 4
        glyphs = [hexadecimal[i:i + step] for hexadecimal, _ in parts for i in range(0, len(hexadecimal), step)]
        texts = [self._characters(glyph) if (planned := self._planned(glyph)) is None else planned for glyph in glyphs]
        if not any(_reversed_by_readers(characters) for characters in texts):
            return False
        anchor = self._anchor()
        if anchor is None:
            return False
        pending: list[str] = []  # joined with spaces: an adjustment may now follow another
        each_text = iter(texts)
        for hexadecimal, adjustment in parts:
            pending.append(adjustment)
            for i in range(0, len(hexadecimal), step):
                glyph, characters = hexadecimal[i:i + step], next(each_text)
                width = self._font.widths.get(int(glyph, 16), 0)
                if not _reversed_by_readers(characters) or width <= 0:
                    pending.append(f"<{glyph}>")
                    continue
                if any(pending):
                    self._stream.show_text(" ".join(filter(None, pending)))
                pending = []
                self._show_ligature(glyph, characters[::-1], width, anchor)
        if any(pending):
            self._stream.show_text(" ".join(filter(None, pending)))
        return True

    def _show_ligature(self, glyph: str, visual: str, width: int, anchor: int) -> None:
        """The glyph inside its first character's span, then the other characters' spans, left to right."""
        edges = [round(width * i / len(visual)) for i in range(len(visual) + 1)]
        for i, character in enumerate(visual):
            self._begin(character, anchor)
            if i == 0:
                self._stream.show_text(f"<{glyph}>{width - edges[1]}<{anchor:04x}>")
            else:
                self._stream.show_text(f"{edges[i] - edges[i + 1]}<{anchor:04x}>")
            self._stream.end_marked_content()

    def _begin(self, characters: str, anchor: int) -> None:
        self._stream.begin_marked_content("Span", pydyf.Dictionary({"ActualText": pydyf.String(characters)}))
        self._stream.show_text(f"<{anchor:04x}>")

    def _planned(self, glyph: str) -> str | None:
        """The text the plan gives the next glyph drawn, if any (and if the glyph is the one the plan expects)."""
        position = self._drawn
        self._drawn += 1
        if position < len(self._plan) and len(glyph) == 4 and self._plan[position][0] == int(glyph, 16):
            return self._plan[position][1]
        return None

    def _characters(self, glyph: str) -> str:
        font = self._font
        if font is None or font.bitmap or font.png or font.svg or font.colr or len(glyph) != 4:
            return ""
        return font.to_unicode.get(int(glyph, 16), "")

    def _anchor(self) -> int | None:
        font = self._font
        anchor = _file(self._fonts, font).anchor
        if anchor is not None:
            font.to_unicode.setdefault(anchor, "")
            font.widths[anchor] = 0
        return anchor


def _reversed_by_readers(characters: str) -> bool:
    """Several characters on one glyph in right-to-left text, which readers reverse with the line."""
    return len(characters) > 1 and any(unicodedata.bidirectional(c) in _RIGHT_TO_LEFT for c in characters)


def _stacked_marks(characters: str) -> str:
    """A raised glyph's text; right-to-left marks stacked in one glyph reversed, which poppler's reversal undoes."""
    if len(characters) > 1 and all(unicodedata.category(c) == "Mn" for c in characters) and all(
            unicodedata.name(c, "").split(" ")[0] in _RIGHT_TO_LEFT_SCRIPTS for c in characters):
        reverse = characters[::-1]
        if unicodedata.normalize("NFD", reverse) == unicodedata.normalize("NFD", characters):
            return reverse
    return characters


def _number(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".")
