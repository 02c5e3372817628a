"""Page fill: how much of each page's text area a laid-out PDF uses, and which short pages were meant.

In: a WeasyPrint document laid out for print (:func:`cop_docs.renderers.pdf.layout`). Out: one
:class:`PageFill` per page: the share of the text area's height down to the lowest line, picture or box of the
page's flow (running heads, page numbers and footnotes left out), and whether the page ends where the document
asks for a new page (the next page opens with a forced break, as a chapter does, or the document ends). A short
page that does not end there is a flow problem: a heading or two lines pushed over, contents that spill.
"""

from __future__ import annotations

from dataclasses import dataclass

from weasyprint.formatting_structure import boxes

from .theme import css_string

FORCED = ("page", "left", "right", "recto", "verso")


@dataclass(frozen=True)
class PageFill:
    number: int  #: 1-based
    used: float  #: share of the text area's height used, 0 to 1
    deliberate: bool  #: the page ends at a forced break or at the end of the document
    opens: bool  #: the page opens with a forced break (a chapter's first page) or is the first page

    @property
    def spill(self) -> bool:
        """The last lines of a chapter, alone on a page of their own."""
        return self.deliberate and not self.opens


def fills(document) -> list[PageFill]:
    pages = [page._page_box for page in document.pages]
    elements = [_elements(page) for page in pages]
    breaks = [i == 0 or _opens_with_break(page, elements[i - 1]) or _closes_with_break(pages[i - 1], elements[i])
              for i, page in enumerate(pages)]
    return [PageFill(i + 1, _used(page), i == len(pages) - 1 or breaks[i + 1], breaks[i])
            for i, page in enumerate(pages)]


def _flow(page: boxes.PageBox) -> list[boxes.Box]:
    return [child for child in page.children
            if not isinstance(child, boxes.MarginBox | boxes.FootnoteAreaBox)]


def _descendants(box: boxes.Box):
    yield box
    for child in getattr(box, "children", []):
        yield from _descendants(child)


def _elements(page: boxes.PageBox) -> set[int]:
    return {id(box.element) for root in _flow(page) for box in _descendants(root) if box.element is not None}


def _used(page: boxes.PageBox) -> float:
    top, height = page.content_box_y(), page.height
    bottom = top
    for root in _flow(page):
        for box in _descendants(root):
            if isinstance(box, boxes.LineBox | boxes.ReplacedBox) or (
                    isinstance(box, boxes.BlockBox) and not box.children and box.height):
                bottom = max(bottom, box.position_y + box.margin_height())
            elif isinstance(box, boxes.BlockBox) and _painted(box):  # a coloured card or box counts whole
                bottom = max(bottom, box.position_y + box.margin_height())
    return max(0.0, min(1.0, (bottom - top) / height)) if height else 1.0


def _painted(box: boxes.Box) -> bool:
    style = box.style
    return style["background_color"].alpha > 0 or any(
        style[f"border_{side}_width"] for side in ("top", "right", "bottom", "left"))


def _opens_with_break(page: boxes.PageBox, before: set[int]) -> bool:
    """Whether a box that starts on this page (its element is not on the page before) forces a break before it,
    along the page's first boxes."""
    return any(box.element is not None and id(box.element) not in before and box.style["break_before"] in FORCED
               for box in _first_boxes(page))


def _first_boxes(page: boxes.PageBox):
    """The page's flow's first box, its first child, and so on down."""
    flow = _flow(page)
    box = flow[0] if flow else None
    while box is not None:
        yield box
        children = getattr(box, "children", [])
        box = children[0] if children else None


def _closes_with_break(page: boxes.PageBox, after: set[int]) -> bool:
    """Whether an element that ends on this page forces a break after it (the cover)."""
    return any(box.element is not None and id(box.element) not in after and box.style["break_after"] in FORCED
               for root in _flow(page) for box in _descendants(root))


def distribution(found: list[PageFill], bands: tuple[float, ...] = (0.1, 0.25, 0.5, 0.75, 1.0)) -> dict[str, int]:
    """How many pages fall in each band of fill (upper bounds), the deliberate ends and the others apart."""
    out: dict[str, int] = {}
    for fill in found:
        band = next(b for b in bands if fill.used <= b)
        key = f"≤{int(band * 100)}%{' (end of chapter)' if fill.deliberate else ''}"
        out[key] = out.get(key, 0) + 1
    return dict(sorted(out.items()))


#: A chapter whose last page holds less than this share of a text area has spilled a few lines over.
SPILL = 0.15


def spilled(document, under: float = SPILL) -> list[str]:
    """The ids of the chapters (sections that open on a page of their own) whose last page is a spill: a few
    lines alone at the top of a page."""
    pages = [page._page_box for page in document.pages]
    out: list[str] = []
    for fill, page in zip(fills(document), pages, strict=True):
        if fill.spill and fill.used < under:
            out += [box.element.get("id") for box in _first_boxes(page)
                    if box.element_tag == "section" and box.element is not None and box.element.get("id")][:1]
    return list(dict.fromkeys(out))


def tightened(ids: list[str]) -> str:
    """CSS that sets these chapters a little tighter (less room above them, between their paragraphs, items and
    boxes; the line height stays, so lines of marked scripts never crowd), so that the few lines they spill come
    back to their page."""
    rules = []
    for section_id in ids:
        at = f"main section[id={css_string(section_id)}]"
        rules.append(f"{at} {{ padding-top: 2mm; }}\n"
                     f"{at} > h1 {{ margin-bottom: 4mm; }}\n"
                     f"{at} p, {at} ul, {at} ol {{ margin-bottom: 0.4em; }}\n"
                     f"{at} li {{ margin: 0.05em 0; }}\n"
                     f"{at} h2 {{ margin-top: 0.8em; margin-bottom: 0.3em; }}\n"
                     f"{at} h3 {{ margin-top: 0.7em; }}\n"
                     f"{at} blockquote, {at} .tip, {at} .note, {at} .checklist {{ margin: 0.7em 0; }}\n")
    return "".join(rules)
