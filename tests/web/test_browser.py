"""The web edition as readers see it, in headless Chromium: every kind of document in Latin, Arabic and Chinese
script at phone and desktop widths, the language switcher, right-to-left Arabic, no sideways scrolling, nothing
loaded from outside the site, and search in each of the six languages."""

from __future__ import annotations

from pathlib import Path

import pytest

from cop_docs.catalogs import po
from web.webpages import KINDS, LANGUAGES, SEARCH_WORDS, WIDTHS

ROOT = Path(__file__).resolve().parents[1] / "roots" / "web"
#: The master's level-1 headings: chapter-1.html and chapter-2.html of each document.
CHAPTERS = {"story": ("Hello, Pip", "Pip asks for help"), "workbook": ("Lesson 1: Passwords", "Answer key"),
            "kit": ("About this kit", "Campaign cards"), "guide": ("Talking together", "Getting help")}
#: The chapter that shows each kind at its most particular: the picture, the activity, the card grid, the call-outs.
SHOWN = {"story": 1, "workbook": 1, "kit": 2, "guide": 1}


def heading(doc: str, chapter: int, lang: str) -> str:
    """A chapter's heading as the fixture's catalog translates it."""
    source = CHAPTERS[doc][chapter - 1]
    if lang == "en":
        return source
    catalog = po.read(ROOT / "translations" / doc / f"{lang}.po")
    return next(e.msgstr for e in catalog.entries if e.msgid == source)


_LAYOUT = """() => {
  const h1 = document.querySelector('main h1') || document.querySelector('h1');
  const text = [...h1.childNodes].find(n => n.nodeType === Node.TEXT_NODE && n.data.trim().length > 1);
  const at = (node, i) => { const r = document.createRange(); r.setStart(node, i); r.setEnd(node, i + 1);
                            return r.getBoundingClientRect(); };
  const whole = document.createRange();
  whole.selectNodeContents(h1);
  const line = whole.getBoundingClientRect(), box = h1.getBoundingClientRect(), s = text.data.trimEnd();
  return {scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth,
          lang: document.documentElement.lang, dir: document.documentElement.dir,
          direction: getComputedStyle(h1).direction, align: getComputedStyle(h1).textAlign, h1: h1.innerText,
          leftGap: line.left - box.left, rightGap: box.right - line.right,
          firstX: at(text, text.data.length - text.data.trimStart().length).left, lastX: at(text, s.length - 1).left};
}"""


@pytest.mark.parametrize("lang", ["en", "ar", "zh-Hans"])
@pytest.mark.parametrize("kind", list(KINDS))
def test_each_kind_reads_at_phone_and_desktop_widths(visit, screenshots: Path, kind: str, lang: str) -> None:
    doc = KINDS[kind]
    chapter = SHOWN[doc]
    page = visit.open(f"{lang}/{doc}/chapter-{chapter}.html", width=WIDTHS[0])
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        layout = page.evaluate(_LAYOUT)
        page.screenshot(path=str(screenshots / f"{doc}-{lang}-{width}.png"), full_page=True)
        assert layout["lang"] == lang
        assert heading(doc, chapter, lang) in layout["h1"]
        # nothing scrolls sideways, from a 320 px phone up
        assert layout["scrollWidth"] <= layout["innerWidth"], f"{doc} {lang} at {width} px: {layout}"
        # visually right to left in Arabic: the heading's first letter right of its last (on one line, as at
        # desktop width), the heading against the right edge unless it is centred; left to right elsewhere
        start = "rightGap" if lang == "ar" else "leftGap"
        if lang == "ar":
            assert layout["dir"] == "rtl" and layout["direction"] == "rtl", layout
        else:
            assert layout["direction"] == "ltr", layout
        if width == WIDTHS[-1]:
            assert (layout["firstX"] > layout["lastX"]) == (lang == "ar"), f"{doc} {lang}: {layout}"
        if layout["align"] != "center":
            assert layout[start] <= 2, f"{doc} {lang} heading not at its start edge at {width} px: {layout}"


@pytest.mark.parametrize("doc", list(CHAPTERS))
def test_language_switcher_lands_on_the_same_chapter(visit, doc: str) -> None:
    page = visit.open(f"en/{doc}/chapter-2.html")
    for source, target in (("en", "ar"), ("ar", "zh-Hans"), ("zh-Hans", "en")):
        alternates = page.eval_on_selector_all("link[rel=alternate][hreflang]", "ls => ls.map(l => l.hreflang)")
        assert set(LANGUAGES) <= set(alternates), f"{page.url}: hreflang alternates {alternates}"
        switch = page.locator(f"a[hreflang='{target}']").filter(visible=True)
        assert switch.count() >= 1, f"{page.url}: no visible link to the {target} edition"
        switch.first.click()
        page.wait_for_load_state()
        assert page.url == visit.url(f"{target}/{doc}/chapter-2.html"), f"from {source}: {page.url}"
        assert page.evaluate("document.documentElement.lang") == target
        assert heading(doc, 2, target) in page.locator("h1").first.inner_text()


def test_a_request_that_leaves_the_site_is_caught(browser, base_url: str) -> None:
    """The routing every browser test relies on does see a page that loads something from elsewhere (the site's
    own pages forbid it twice over: their Content-Security-Policy and this routing)."""
    from web.conftest import Visit

    visit = Visit(browser, base_url)
    try:
        page = visit.open("")
        page.set_content("<img src='https://fonts.example.net/x.png' alt=''>")
        assert visit.outside == ["https://fonts.example.net/x.png"]
    finally:
        visit.close()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_search_finds_a_word_in_each_language(visit, lang: str) -> None:
    page = visit.open(f"{lang}/search.html")
    box = page.locator("input[type=search], input[type=text], [role=searchbox]").filter(visible=True).first
    box.fill(SEARCH_WORDS[lang])
    results = page.locator("main a[href*='workbook/chapter-1']")
    results.first.wait_for(timeout=10_000)
    hrefs = results.evaluate_all("links => links.map(a => a.href)")
    assert all(f"/{lang}/" in href for href in hrefs), hrefs
    assert visit.url(f"{lang}/workbook/chapter-1.html") in hrefs
