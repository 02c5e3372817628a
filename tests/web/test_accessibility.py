"""Accessibility of the web edition in a real browser: axe-core over every page of one language in each script
(Latin, Arabic, CJK) finds no serious or critical violation; headings never skip a level and the landmarks are
there; the Tab key reaches every link, with a visible focus."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from web.webpages import KINDS, SCRIPTS, pages_of

#: axe-core as the axe-playwright-python wheel ships it; injected through the automation API (page.evaluate),
#: which the pages' Content-Security-Policy does not apply to, so the pages are checked with their CSP on.
AXE = None


def axe_source() -> str:
    global AXE
    if AXE is None:
        from importlib.resources import files

        AXE = files("axe_playwright_python").joinpath("axe.min.js").read_text(encoding="utf-8")
    return AXE


_OUTLINE = """() => {
  const headings = [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')]
    .filter(h => h.getClientRects().length).map(h => [Number(h.tagName[1]), h.innerText.trim()]);
  const count = s => document.querySelectorAll(s).length;
  return {headings, main: count('main, [role=main]'), nav: count('nav, [role=navigation]'),
          banner: count('body > header, [role=banner]'), contentinfo: count('body > footer, [role=contentinfo]')};
}"""


@pytest.mark.parametrize("script", list(SCRIPTS))
def test_axe_finds_no_serious_violation_on_any_page(visit, site: Path, script: str) -> None:
    lang = SCRIPTS[script]
    pages = pages_of(site, lang)
    assert len(pages) >= 1 + 3 * len(KINDS), pages  # the language's index and each document's pages
    page = visit.open("")
    serious, seen, problems = [], {}, []
    for path in pages:
        page.goto(visit.url(path))
        page.evaluate(axe_source())
        result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        for violation in result["violations"]:
            seen[violation["id"]] = violation["impact"]
            if violation["impact"] in ("serious", "critical"):
                targets = [node["target"] for node in violation["nodes"]][:3]
                serious.append(f"{path}: {violation['id']} ({violation['impact']}): {violation['help']} at {targets}")
        outline = page.evaluate(_OUTLINE)
        levels = [level for level, _ in outline["headings"]]
        if not levels or levels[0] != 1 or levels.count(1) != 1:
            problems.append(f"{path}: one h1 first, got {outline['headings']}")
        problems += [f"{path}: h{b} follows h{a}" for a, b in zip(levels, levels[1:], strict=False) if b > a + 1]
        for landmark in ("main", "nav", "banner", "contentinfo"):
            if outline[landmark] < 1 or (landmark == "main" and outline[landmark] != 1):
                problems.append(f"{path}: {outline[landmark]} {landmark} landmarks")
    print(f"axe {script} ({lang}): {len(pages)} pages, violations by rule: {json.dumps(seen)}")
    assert not serious + problems, "\n".join(serious + problems)


@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize("kind", list(KINDS))
def test_tab_reaches_every_link(visit, kind: str, lang: str) -> None:
    page = visit.open(f"{lang}/{KINDS[kind]}/index.html")
    links = page.eval_on_selector_all(
        "a[href]", "as => as.filter(a => a.getClientRects().length && getComputedStyle(a).visibility !== 'hidden')"
                   ".map(a => a.href + ' ' + a.innerText.trim())")
    reached, unfocused = [], []
    for _ in range(len(links) + 20):
        page.keyboard.press("Tab")
        focus = page.evaluate("""() => { const a = document.activeElement; if (!a || a === document.body) return null;
            const s = getComputedStyle(a);
            return {link: a.href ? a.href + ' ' + a.innerText.trim() : null,
                    visible: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0 || s.boxShadow !== 'none'}; }""")
        if focus is None:
            if reached:
                break  # focus left the page after the last element
            continue
        if focus["link"] in reached:
            break
        if focus["link"]:
            reached.append(focus["link"])
            if not focus["visible"]:
                unfocused.append(focus["link"])
    assert set(links) <= set(reached), f"not reached by Tab: {sorted(set(links) - set(reached))}"
    assert not unfocused, f"no visible focus on: {unfocused}"
