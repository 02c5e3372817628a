"""Every text/background pair the print themes make meets WCAG 2.2 AA: 4.5:1, or 3:1 for large text (18 pt, or
14 pt bold). The colours are WeasyPrint's computed ones, read from the laid-out pages of real documents of every
kind, in a complete language and as a draft (whose marks have colours of their own), from every kind's cover, and
from the same documents under the e-books' stylesheet.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from conftest import REPO
from weasyprint import CSS, HTML

from cop_docs import config, localized, sources
from cop_docs.renderers import Job, cover, theme
from cop_docs.renderers.pdf import page_html
from cop_docs.templating import THEMES

pytestmark = pytest.mark.render

PROJECT = config.load(REPO / "cop-docs.yaml", remember=False)
#: One document of each kind.
KINDS = {doc.kind: doc for doc in reversed(PROJECT.documents)}
WHITE = (1.0, 1.0, 1.0)
PX_PER_PT = 96 / 72


def luminance(rgb: tuple[float, float, float]) -> float:
    """WCAG's relative luminance of an sRGB colour (channels 0 to 1)."""
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (linear(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def over(color, background: tuple[float, float, float]) -> tuple[float, float, float]:
    """A computed colour composited over what is behind it."""
    srgb = color.to("srgb")
    alpha = srgb.alpha
    return tuple(alpha * c + (1 - alpha) * b for c, b in zip(srgb.coordinates, background, strict=True))


@dataclass(frozen=True)
class Pair:
    text: str
    ratio: float
    large: bool
    page: int

    @property
    def passes(self) -> bool:
        return self.ratio >= (3.0 if self.large else 4.5)


def pairs(document) -> list[Pair]:
    """Every piece of visible text on the pages with its contrast against the colour behind it."""
    found: list[Pair] = []

    def walk(box, background: tuple[float, float, float], page: int) -> None:
        style = box.style
        if style["background_color"].alpha > 0:
            background = over(style["background_color"], background)
        text = getattr(box, "text", None)
        if text and text.strip() and style["visibility"] == "visible" and style["color"].to("srgb").alpha > 0:
            large = style["font_size"] >= 18 * PX_PER_PT or (style["font_size"] >= 14 * PX_PER_PT
                                                            and style["font_weight"] >= 700)
            found.append(Pair(text.strip()[:40], contrast(over(style["color"], background), background), large, page))
        for child in getattr(box, "children", []):
            walk(child, background, page)

    for number, page in enumerate(document.pages, 1):
        walk(page._page_box, WHITE, number)
    return found


def render(doc: config.Document, code: str, draft: bool):
    lang = PROJECT.language(code)
    job = Job(PROJECT, doc, lang, localized.localized(PROJECT, doc, lang, sources.load(PROJECT, doc), draft=draft),
              draft=draft)
    base = str(PROJECT.root) + "/"
    pages = HTML(string=page_html(job), base_url=base).render(
        stylesheets=[CSS(string=theme.print_css(lang, doc.kind, draft), base_url=str(THEMES) + "/")])
    front = HTML(string=cover.cover_html(job), base_url=base).render(
        stylesheets=[CSS(string=cover.cover_css(job), base_url=str(THEMES) + "/")])
    ebook = HTML(string=page_html(job), base_url=base).render(  # the e-book's stylesheet over the same text
        stylesheets=[CSS(string=theme.epub_css(lang, doc.kind, draft), base_url=str(THEMES) + "/")])
    return pages, front, ebook


def failures(found: list[Pair]) -> list[str]:
    return sorted({f"p. {p.page}: {p.ratio:.2f}:1{' (large)' if p.large else ''} {p.text!r}" for p in found if not p.passes})


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("code, draft", [("en", False), ("ru", True)])
def test_every_text_meets_wcag_aa_contrast(kind: str, code: str, draft: bool) -> None:
    pages, front, ebook = render(KINDS[kind], code, draft)
    found = pairs(pages) + pairs(front) + pairs(ebook)
    assert len(found) > 100
    assert failures(found) == []


def test_the_contrast_test_fails_what_it_should() -> None:
    """White on the orange the campaign cards used (#e65100) is 3.8:1; grey #777 on white is 4.48:1."""
    assert round(contrast(WHITE, (0xE6 / 255, 0x51 / 255, 0)), 1) == 3.8
    page = HTML(string='<p style="color:#777">small grey</p><p style="color:#777;font-size:18pt">large grey</p>'
                       '<p style="color:#fff;background:#e65100;font-size:14pt;font-weight:bold">bold on orange</p>'
                       '<p style="color:#fff;background:#e65100">white on orange</p>').render()
    assert failures(pairs(page)) == ["p. 1: 3.79:1 'white on orange'", "p. 1: 4.48:1 'small grey'"]
