"""The link checker (`cop-docs linkcheck`): every broken link of a site is found at its page and line, and a site
whose links all resolve passes; translate-toolkit plays no part here, the pages are written as a site would be."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import run_cli

from cop_docs.linkcheck import check_site


def _write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def _page(body: str, head: str = "") -> str:
    return f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8">{head}</head>\n<body>\n{body}\n</body></html>\n'


def _sound_site(tmp_path: Path) -> Path:
    """A small site in the web edition's layout, every link resolving: pages, anchors, a font, a download."""
    release = tmp_path / "release"
    _write(release, {
        "en/guide-en.pdf": "%PDF-1.7",
        "web/assets/site.css": "@font-face { src: url('fonts/sans.woff2') format('woff2'); }\nbody { margin: 0 }\n",
        "web/assets/fonts/sans.woff2": "wOF2",
        "web/assets/images/shield.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
        "web/index.html": _page('<a href="en/">English</a> <a href="ar/guide/index.html">العربية</a>'),
        "web/en/index.html": _page('<a href="guide/index.html#contents">Guide</a>',
                                   '<link rel="stylesheet" href="../assets/site.css">'),
        "web/en/guide/index.html": _page(
            '<nav id="contents"><a href="chapter-1.html#talking">1</a></nav>\n'
            '<a href="../../../en/guide-en.pdf" download>PDF, 1 MB</a>\n'
            '<a href="https://www.publisher.int/help">help</a> <a href="mailto:help@publisher.int">mail</a>'),
        "web/en/guide/chapter-1.html": _page(
            '<h1 id="talking">Talking</h1><p>Text<a href="#fn1" id="ref1">1</a></p>\n'
            '<img src="../../assets/images/shield.svg" srcset="../../assets/images/shield.svg 2x" alt="">\n'
            '<aside id="fn1"><a href="#ref1">back</a></aside>'),
        "web/ar/guide/index.html": _page('<a href="/en/guide/chapter-1.html">English</a>'),
    })
    return release


def test_a_site_whose_links_all_resolve_passes(tmp_path: Path) -> None:
    release = _sound_site(tmp_path)
    report = check_site(release / "web", root=release)
    assert report.broken == []
    assert report.pages == 5 and report.stylesheets == 1
    assert report.external == {"https://www.publisher.int/help", "mailto:help@publisher.int"}


def test_every_broken_link_is_found_at_its_page_and_line(tmp_path: Path) -> None:
    release = _sound_site(tmp_path)
    _write(release, {
        "web/en/guide/chapter-2.html": _page(
            '<a href="chapter-3.html">next</a>\n'
            '<a href="chapter-1.html#nowhere">anchor</a>\n'
            '<a href="#missing">here</a>\n'
            '<img src="../../assets/images/gone.svg" alt="">\n'
            '<a href="../../../en/guide-en.epub">EPUB</a>\n'
            '<a href="../../../../outside.html">out</a>'),
        "web/assets/extra.css": "body {}\n\n@font-face { src: url(\"fonts/missing.woff2\"); }\n",
    })
    broken = {(b.path.relative_to(release).as_posix(), b.line, b.link, b.reason)
              for b in check_site(release / "web", root=release).broken}
    page = "web/en/guide/chapter-2.html"
    assert broken == {
        (page, 4, "chapter-3.html", "no such file"),
        (page, 5, "chapter-1.html#nowhere", "no element with id 'nowhere'"),
        (page, 6, "#missing", "no element with id 'missing'"),
        (page, 7, "../../assets/images/gone.svg", "no such file"),
        (page, 8, "../../../en/guide-en.epub", "no such file"),
        (page, 9, "../../../../outside.html", "leads outside the site"),
        ("web/assets/extra.css", 3, "fonts/missing.woff2", "no such file"),
    }


def test_a_download_beside_the_site_needs_the_root_that_holds_it(tmp_path: Path) -> None:
    release = _sound_site(tmp_path)
    broken = check_site(release / "web").broken  # the site alone: the PDF beside it is out of reach
    assert [(b.link, b.reason) for b in broken] == [("../../../en/guide-en.pdf", "leads outside the site")]


def test_the_command_prints_one_line_per_broken_link_and_exits_1(tmp_path: Path) -> None:
    release = _sound_site(tmp_path)
    chapter = _page('<h1 id="talking">Talking</h1><a href="chapter-9.html">on</a>')
    (release / "web/en/guide/chapter-1.html").write_text(chapter, encoding="utf-8")
    result = run_cli("linkcheck", "web", "--root", ".", cwd=release)
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "web/en/guide/chapter-1.html:4: error: [link] 'chapter-9.html': no such file"
    assert lines[-1].endswith(", 1 broken")

    ok = run_cli("linkcheck", str(release / "web"), "--root", str(release), "--json")
    assert ok.returncode == 1
    data = json.loads(ok.stdout)
    assert data["command"] == "linkcheck" and data["pages"] == 5
    assert [(b["line"], b["link"]) for b in data["broken"]] == [(4, "chapter-9.html")]


def test_the_command_refuses_a_folder_that_is_no_site(tmp_path: Path) -> None:
    result = run_cli("linkcheck", str(tmp_path / "nothing"))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "no web site in this folder" in result.stderr
