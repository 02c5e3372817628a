"""Content parity: every block of a localized document is in the output made from it.

In: the blocks a localized document shows (:class:`cop_docs.localization.Shown`, each with the master line it
comes from) and a freshly written PDF or EPUB. Out: nothing, or a :class:`RenderError` naming the first block
whose text the output lacks, at its line in the master — the output is then not published.

The PDF's text is what poppler's ``pdftotext`` reads from its text layer (the text a reader copies or a search
finds); the EPUB's is the text of its content documents. Both sides are reduced to their letters and digits,
compatibility-normalised (NFKC: ligatures and Arabic presentation forms become plain letters) and case-folded,
so that hyphenation, line breaks, spacing, punctuation drawn by the theme (quotes, list numbers) and shaping do
not count. Combining marks and the Arabic alef are left out too: their order in extracted right-to-left text
is the renderer's, not the author's. A block's text is split where its footnote references stand (the output
puts the note's number there) and each part must be found whole, or in at most :data:`MAX_BREAKS` pieces in
order, close together: a paragraph that runs onto the next page has the running header, the page number and
that page's footnotes in the middle of it. A right-to-left PDF draws a line's runs of different style, its
left-to-right words and digits, and what stands between punctuation, in the order the bidi algorithm places them
on the line, so there each such run is looked for on its own (right-to-left text still whole), and the pieces
of a broken block may come in any order, close together: poppler reads the lines of a right-to-left table cell
out of order when the cell beside it has more lines.
"""

from __future__ import annotations

import re
import subprocess
import unicodedata
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator
from pathlib import Path

from ..errors import RenderError
from ..segments import Json, stringify

#: How many times a block's text may be interrupted (page breaks, floats) and still count as present.
MAX_BREAKS = 4
#: How far apart (in letters) two pieces of one block may be: a page's furniture and footnotes.
GAP = 6000
#: The shortest piece that counts as found after a break (shorter ones match anywhere).
MIN_PIECE = 3


#: Where a right-to-left line may reorder a run: an answer line, or punctuation (a neutral in the bidi algorithm).
_RUN_BREAK = re.compile(r"_{4,}|[^\w\s]")
#: Left out of both sides besides marks: the tatweel (a stretch, not a letter), and alef in its forms, which
#: text extraction may put before or after the lam it makes a ligature with (لا read back as ال).
_IGNORED = frozenset("\u0640\u0622\u0623\u0625\u0627")


def skeleton(text: str) -> str:
    """Letters and digits only, NFKC-normalised and case-folded; combining marks, tatweel and alef left out."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in text if unicodedata.category(ch)[0] in "LN" and ch not in _IGNORED)


def pieces(inlines: list[Json], by_style: bool = False) -> list[str]:
    """The skeletons of a block's text between its footnote references; with ``by_style``, also between runs of
    different style (emphasis, links, code, spans) and at punctuation, where a right-to-left line may reorder
    what it draws."""
    out = [""]

    def styled(children: list[Json]) -> None:
        if by_style:
            out.append("")
        visit(children)
        if by_style:
            out.append("")

    def visit(nodes: list[Json]) -> None:
        for node in nodes:
            t = node["t"]
            if t == "Note":
                out.append("")
            elif t == "Str" and by_style:
                # In a right-to-left line, a word of left-to-right letters or digits is placed by the bidi algorithm
                # (at punctuation, at a line break): it is a run of its own. So are answer lines and punctuation.
                alone = not any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in node["c"])
                if alone:
                    out.append("")
                for i, part in enumerate(_RUN_BREAK.split(node["c"])):
                    if i:
                        out.append("")
                    out[-1] += part
                if alone:
                    out.append("")
            elif t == "Str":
                out[-1] += node["c"]
            elif t in ("Space", "SoftBreak", "LineBreak"):
                out[-1] += " "
            elif t == "Code":
                styled([{"t": "Str", "c": node["c"][1]}])
            elif t in ("Span", "Link", "Quoted", "Cite"):
                styled(node["c"][1])
            elif t in ("Emph", "Strong", "Underline", "Strikeout", "Superscript", "Subscript", "SmallCaps"):
                styled(node["c"])
            elif t in ("Image", "Math", "RawInline"):  # a picture's alt text is not printed; math and raw are drawn
                out.append("")

    visit(inlines)
    return [s for s in (skeleton(p) for p in out) if s]


def found(piece: str, text: str, any_order: bool = False) -> bool:
    """Whether a block's piece is in the output's skeleton, whole or broken at most MAX_BREAKS times. Text that
    mixes right-to-left and left-to-right runs is extracted with its runs in the order they were drawn, so each
    run is looked for on its own. ``any_order``: the broken pieces may come in any order, close together (poppler
    reads the lines of a right-to-left table cell out of order when a neighbouring cell has more of them)."""
    if piece in text:
        return True
    runs = _direction_runs(piece)
    if len(runs) > 1:
        return all(_found_run(run, text, any_order) for run in runs)
    return _found_run(piece, text, any_order)


def _direction_runs(piece: str) -> list[str]:
    runs: list[str] = []
    last = None
    for ch in piece:
        rtl = unicodedata.bidirectional(ch) in ("R", "AL")
        if rtl != last:
            runs.append("")
            last = rtl
        runs[-1] += ch
    return runs


def _found_run(piece: str, text: str, any_order: bool = False) -> bool:
    if piece in text:
        return True
    longest = _longest_prefix(piece, text, 0, len(text))
    # The longest first piece may stand elsewhere (a common word and the next one's first letter): where the block
    # is, a shorter one may be followed by a break (another table cell, the foot of the page).
    for first in range(longest, MIN_PIECE - 1, -1):
        start = text.find(piece[:first])
        tries = 0
        while start != -1 and tries < 50:  # each place the first piece stands, until the rest follows one
            if _rest_follows(piece[first:], text, start + first, MAX_BREAKS, any_order):
                return True
            start = text.find(piece[:first], start + 1)
            tries += 1
    return False


def _rest_follows(rest: str, text: str, at: int, breaks: int, any_order: bool = False) -> bool:
    while rest:
        if breaks == 0:
            return False
        limit = min(len(text), at + GAP + len(rest))
        since = max(0, at - GAP) if any_order else at
        length = _longest_prefix(rest, text, since, limit)
        if length < min(MIN_PIECE, len(rest)):
            return False
        at = text.find(rest[:length], since, limit) + length
        rest = rest[length:]
        breaks -= 1
    return True


def _longest_prefix(piece: str, text: str, start: int, end: int) -> int:
    """The length of the longest prefix of ``piece`` found in ``text[start:end]`` (binary search: a prefix that
    is found has every shorter prefix found too)."""
    low, high = 0, len(piece)
    while low < high:
        middle = (low + high + 1) // 2
        if text.find(piece[:middle], start, end) != -1:
            low = middle
        else:
            high = middle - 1
    return low


def pdf_text(path: Path) -> str:
    try:
        result = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True)
    except FileNotFoundError:
        raise RenderError("poppler's pdftotext is needed to check the PDF's text (install poppler-utils)") from None
    if result.returncode != 0:
        raise RenderError(f"pdftotext cannot read the PDF: {result.stderr.decode(errors='replace').strip()}", path)
    return result.stdout.decode("utf-8", "replace")


def epub_text(path: Path) -> str:
    """The text of every content document of an EPUB (their body; the navigation document left out)."""
    parts: list[str] = []
    with zipfile.ZipFile(path) as book:
        for name in book.namelist():
            if not name.endswith(".xhtml") or name.endswith("nav.xhtml"):
                continue
            root = ET.fromstring(book.read(name))
            for body in root.iter("{http://www.w3.org/1999/xhtml}body"):
                parts.append(" ".join(body.itertext()))
    return "\n".join(parts)


def missing(blocks: list, text: str, by_style: bool = False) -> Iterator:
    """The blocks (:class:`~cop_docs.localization.Shown`) whose text the output's text lacks."""
    whole = skeleton(text)
    for block in blocks:
        if any(not found(piece, whole, any_order=by_style) for piece in pieces(block.segment.get(), by_style)):
            yield block


def verify(blocks: list, fmt: str, path: Path, unprinted: tuple[str, ...] = (), rtl: bool = False) -> int:
    """Raise a RenderError at the master line of the first block the output lacks; the number of blocks checked.
    ``unprinted``: kinds of blocks (segment comments) the output's design does not show; ``rtl``: the output's
    lines run right to left, so a PDF's runs of different style are looked for one by one."""
    text = pdf_text(path) if fmt == "pdf" else epub_text(path)
    checked = [b for b in blocks if b.visible and b.segment.kind == "inlines" and b.segment.comment not in unprinted]
    for block in missing(checked, text, by_style=rtl and fmt == "pdf"):
        shown = " ".join(stringify(block.segment.get()).split())
        shown = shown if len(shown) <= 60 else shown[:59] + "…"
        raise RenderError(f"this block is missing from the {fmt.upper()} (its text “{shown}” is not in the output); "
                          f"the output was not written", block.path, block.line)
    return len(checked)
