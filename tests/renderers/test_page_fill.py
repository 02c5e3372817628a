"""Page fill: short pages are found where they are flow problems, and a chapter's few spilled lines come back."""

from __future__ import annotations

import pytest
from weasyprint import CSS, HTML

from cop_docs.renderers import page_fill

pytestmark = pytest.mark.render

PAGE = "@page { size: A5; margin: 20mm; } body { font: 11pt/1.45 serif; margin: 0; } p { margin: 0 0 0.6em; }"
CHAPTERS = "main > section { break-before: page; padding-top: 18mm; } h1 { margin: 0 0 8mm; }"


def laid_out(body: str, css: str = ""):
    return HTML(string=f"<main>{body}</main>").render(stylesheets=[CSS(string=PAGE + CHAPTERS + css)])


def paragraphs(n: int, words: int = 40) -> str:
    return "".join(f"<p>{' '.join(['word'] * words)} {i}.</p>" for i in range(n))


def one_line_over() -> str:
    """A chapter one page and a line long: one-line paragraphs added until it takes two pages."""
    for count in range(10, 80):
        body = f'<section id="one"><h1>One</h1>{paragraphs(count, words=6)}</section>'
        if len(laid_out(body).pages) == 2:
            return body
    raise AssertionError("never spilled")


def test_a_chapter_that_spills_a_few_lines_is_found_and_set_tighter() -> None:
    body = one_line_over() + f'<section id="two"><h1>Two</h1>{paragraphs(2)}</section>'
    document = laid_out(body)
    found = page_fill.fills(document)
    assert [(f.number, f.deliberate, f.opens) for f in found] == [(1, False, True), (2, True, False), (3, True, True)]
    assert found[1].spill and found[1].used < page_fill.SPILL and found[0].used > 0.9
    assert page_fill.spilled(document) == ["one"]
    tighter = laid_out(body, page_fill.tightened(["one"]).replace("main section", "main > section"))
    assert len(tighter.pages) == 2 and page_fill.spilled(tighter) == []


def test_a_box_pushed_over_leaves_a_short_page_that_is_not_a_chapter_end() -> None:
    body = (f'<section id="one"><h1>One</h1>{paragraphs(1)}'
            '<div style="height: 120mm; break-inside: avoid; border: 1pt solid">box</div></section>')
    found = page_fill.fills(laid_out(body))
    assert len(found) == 2 and not found[0].deliberate and found[0].used < 0.6
    assert page_fill.distribution(found) == {"≤50%": 1, "≤75% (end of chapter)": 1}


def test_an_id_cannot_break_out_of_the_tightening_rule() -> None:
    hostile = 'x"] p { color: red } p[id="'
    css = page_fill.tightened([hostile])
    page = HTML(string=f'<main><section id=\'{hostile}\'><p>text</p></section></main>').render(
        stylesheets=[CSS(string=css)])
    paragraph = page.pages[0]._page_box.children[0].children[0].children[0].children[0].children[0]
    assert paragraph.element_tag == "p" and paragraph.style["color"].coordinates == (0, 0, 0)
    assert paragraph.style["margin_bottom"] == (6.4, "px")  # 0.4em: the rule applies to the section it names
