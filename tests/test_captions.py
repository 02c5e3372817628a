"""A picture's description is its alt text; a visible caption is printed only when the master gives one, as the
picture's title, and it is translated like the rest."""

from __future__ import annotations

from pathlib import Path

import polib
from conftest import run_cli

from cop_docs import config, localized, pandoc, sources
from cop_docs.tree import elements, meta_text

MASTER = """# Pictures

![A shield in front of a child at a computer.](images/shield.svg)

![A padlock next to a browser window.](images/shield.svg "Figure 1. A safe connection")
"""


def figures(root: Path, code: str) -> list[tuple[str, str, str]]:
    """(alt text, caption, title) of each figure of the localized document."""
    project = config.load(root / "cop-docs.yaml")
    doc, lang = project.document("sample"), project.language(code)
    ast = localized.localized(project, doc, lang, sources.load(project, doc))
    found = []
    for figure in elements(ast["blocks"], {"Figure"}):
        image = next(elements(figure["c"][2], {"Image"}))
        caption = " ".join(meta_text({"t": "MetaBlocks", "c": figure["c"][1][1]}).split())
        found.append((meta_text({"t": "MetaInlines", "c": image["c"][1]}), caption, image["c"][2][1]))
    return found


def test_a_description_is_alt_text_and_a_title_is_the_caption(basic: Path) -> None:
    (basic / "sources/sample.md").write_text(MASTER, encoding="utf-8")
    assert figures(basic, "en") == [
        ("A shield in front of a child at a computer.", "", ""),
        ("A padlock next to a browser window.", "Figure 1. A safe connection", ""),
    ]


def test_the_caption_is_translated_and_printed_once(basic: Path) -> None:
    (basic / "sources/sample.md").write_text(MASTER, encoding="utf-8")
    for command in ("extract", "update"):
        assert run_cli("-C", str(basic), command).returncode == 0
    catalog = polib.pofile(str(basic / "translations/sample/fr.po"))
    for entry in catalog:
        entry.msgstr = {"Figure 1. A safe connection": "Figure 1. Une connexion sûre",
                        "A padlock next to a browser window.": "Un cadenas à côté d’une fenêtre de navigateur."
                        }.get(entry.msgid, entry.msgstr)
    catalog.save()
    assert figures(basic, "fr")[1] == ("Un cadenas à côté d’une fenêtre de navigateur.", "Figure 1. Une connexion sûre", "")
    project = config.load(basic / "cop-docs.yaml")
    doc, fr = project.document("sample"), project.language("fr")
    html = pandoc.write_html(localized.localized(project, doc, fr, sources.load(project, doc)),
                             template=Path(pandoc.__file__).parent / "themes" / "page.html", variables={}, toc=False)
    assert html.count("<figcaption") == 1 and "Une connexion sûre</figcaption>" in html
    assert 'alt="A shield in front of a child at a computer."' in html
