"""The web edition: ``build --format html`` writes each document × language as a folder of pages, gathered into the
site ``build/web/`` (switcher, downloads, search), stamped, reproducible, confined like the PDF and the EPUB."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from conftest import copy_root, run_cli
from lxml import html as lxml_html

from cop_docs import config, files, localized, sources
from cop_docs.errors import RenderError
from cop_docs.renderers import Job, renderer, theme
from cop_docs.renderers.html import CSP
from cop_docs.segments import stringify

LANGS = {"en", "fr", "ar", "zh-Hans", "ru"}  # es is withheld in the fixture


def _prepare(root: Path) -> Path:
    """The basic project with French a draft (one message is fuzzy) and Spanish withheld (one message emptied)."""
    text = (root / "cop-docs.yaml").read_text(encoding="utf-8")
    text = text.replace("  - code: fr\n    fonts: [Noto Serif, Noto Sans]\n",
                        "  - code: fr\n    fonts: [Noto Serif, Noto Sans]\n    release: {threshold: 100, below: draft}\n")
    text = text.replace("  - code: es\n    fonts: [Noto Serif, Noto Sans]\n",
                        "  - code: es\n    fonts: [Noto Serif, Noto Sans]\n    release: {threshold: 100, below: withhold}\n")
    (root / "cop-docs.yaml").write_text(text, encoding="utf-8")
    es = root / "translations/sample/es.po"
    es.write_text(es.read_text(encoding="utf-8").replace('msgstr "Hablar con los niños"', 'msgstr ""'), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = _prepare(copy_root("basic", tmp_path_factory.mktemp("web")))
    result = run_cli("-C", str(root), "build", "--format", "html", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["site"] == "build/web"
    return root


def _pages(web: Path) -> list[Path]:
    return sorted(p for p in web.rglob("*.html") if "pagefind" not in p.parts)


def _tree(path: Path):
    return lxml_html.fromstring(path.read_bytes())


def test_every_page_has_its_language_direction_landmarks_and_policy(site: Path) -> None:
    web = site / "build/web"
    assert {p.name for p in web.iterdir() if p.is_dir()} == LANGS | {"assets", "pagefind"}
    pages = _pages(web)
    assert len(pages) >= 1 + len(LANGS) * 4  # the languages; per language its documents, search, 2 pages of the guide
    for page in pages:
        tree = _tree(page)
        code = tree.get("lang")
        assert code in LANGS | {"en"} and tree.get("dir") == ("rtl" if code == "ar" else "ltr"), page
        assert [m.get("content") for m in tree.iter("meta") if m.get("http-equiv") == "Content-Security-Policy"] \
            in ([CSP], [CSP.replace("script-src 'self'", "script-src 'self' 'wasm-unsafe-eval'")]), page
        body = tree.find("body")
        assert [el.tag for el in body if el.tag in ("header", "main", "footer")] == ["header", "main", "footer"], page
        assert body[0].tag == "a" and body[0].get("href") == "#main" and tree.get_element_by_id("main").tag == "main"
        levels = [int(h.tag[1]) for h in tree.iter("h1", "h2", "h3", "h4", "h5", "h6")]
        assert levels[0] == 1 and all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), (page, levels)
        for el in tree.iter():
            if not isinstance(el.tag, str):
                continue
            assert el.tag != "style" and "style" not in el.attrib, page
            assert not any(name.startswith("on") for name in el.attrib), page
            if el.tag == "script":  # the search page only, and from the site itself
                assert page.name == "search.html" and el.get("src") and not el.text, page
            for name in ("src", "href"):
                value = el.get(name, "")
                if el.tag != "a":  # resources: nothing from elsewhere
                    assert not re.match(r"(?i)\s*(https?:)?//", value), (page, el.tag, value)
                assert not value.lower().startswith("javascript:"), page
    chapter = _tree(web / "ar/sample/chapter-1.html")
    assert chapter.find(".//main//h1").text_content() == "التحدث مع الأطفال"


def _resolves(page: Path, href: str) -> Path:
    parts = urlsplit(href)
    return (page.parent / unquote(parts.path)).resolve()


def test_every_internal_link_resolves_and_the_switcher_goes_to_the_same_page(site: Path) -> None:
    web = site / "build/web"
    for page in _pages(web):
        tree = _tree(page)
        for el in tree.xpath("//a[@href] | //link[@href] | //img[@src] | //script[@src]"):
            url = el.get("href") or el.get("src")
            if urlsplit(url).scheme or url.startswith("#"):
                continue
            assert _resolves(page, url).exists(), (page, url)
        ids = set(tree.xpath("//@id"))
        for el in tree.xpath("//a[starts-with(@href, '#')]"):
            assert el.get("href")[1:] in ids, (page, el.get("href"))
    page = web / "ru/sample/chapter-1.html"
    tree = _tree(page)
    switcher = tree.xpath("//nav[contains(@class, 'languages')]//a[@hreflang]")
    assert {a.get("hreflang") for a in switcher} == LANGS
    for a in switcher:
        assert _resolves(page, a.get("href")) == (web / a.get("hreflang") / "sample/chapter-1.html").resolve()
        assert _tree(_resolves(page, a.get("href"))).get("lang") == a.get("hreflang")
    assert [a.get("hreflang") for a in switcher if a.get("aria-current") == "page"] == ["ru"]
    assert {link.get("hreflang") for link in tree.xpath("//link[@rel='alternate']")} == LANGS


def test_a_withheld_language_is_absent_and_a_draft_carries_its_mark_and_legend(site: Path) -> None:
    web = site / "build/web"
    assert not (web / "es").exists()
    assert not any("hreflang=\"es\"" in p.read_text(encoding="utf-8") for p in _pages(web))
    project = config.load(site / "cop-docs.yaml")
    mark = theme.draft_mark(project.language("fr"))[0]
    first, chapter = _tree(web / "fr/sample/index.html"), _tree(web / "fr/sample/chapter-1.html")
    assert mark == "Traduction provisoire"
    assert first.xpath("string(//header//p[@class='draft-mark'])") == mark
    assert chapter.xpath("string(//header//p[@class='draft-mark'])") == mark
    legend = first.xpath("string(//aside[@class='draft-legend'])")
    assert mark in legend and "Certains passages sont encore en anglais." in legend
    assert first.xpath("//aside[@class='draft-legend']//span[@class='untranslated'][@lang='en']")
    assert not _tree(web / "ru/sample/index.html").xpath("//*[@class='draft-mark' or @class='draft-legend']")


def test_pictures_fonts_and_contents_are_the_sites_own(site: Path) -> None:
    folder = site / "build/web/zh-Hans/sample"
    fonts = sorted(p.name for p in (folder / "assets/fonts").iterdir())
    assert fonts and all(name.endswith(".woff2") for name in fonts)
    assert (folder / "assets/fonts" / fonts[0]).read_bytes()[:4] == b"wOF2"
    css = (folder / "assets/site.css").read_text(encoding="utf-8")
    assert all(f"url(\"fonts/{name}\")" in css for name in fonts) and "http" not in css
    first = _tree(folder / "index.html")
    assert first.xpath("//nav[contains(@class,'contents')]//a/@href") == ["chapter-1.html"]
    chapter = _tree(folder / "chapter-1.html")
    (img,) = chapter.xpath("//main//img")
    assert img.get("src").startswith("assets/images/") and img.get("alt")
    assert (folder / img.get("src")).read_bytes() == (site / "sources/images/shield.svg").read_bytes()


def test_search_index_covers_each_language(site: Path) -> None:
    pagefind = site / "build/web/pagefind"
    meta = json.loads((pagefind / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert set(meta["languages"]) >= {"en", "fr", "ar", "ru"} and any(k.startswith("zh") for k in meta["languages"])
    assert (pagefind / "pagefind-ui.js").is_file()
    search = _tree(site / "build/web/zh-Hans/search.html")
    assert search.xpath("//script/@src") == ["../pagefind/pagefind-ui.js", "../assets/search.js"]
    assert search.get_element_by_id("search").text_content().strip()  # says what to do without a script


def test_a_second_build_changes_nothing_and_one_catalog_rewrites_only_its_pages(site: Path) -> None:
    web = site / "build/web"
    before = {p: (p.stat().st_ino, p.stat().st_mtime_ns, files.sha256_file(p)) for p in web.rglob("*") if p.is_file()}
    again = run_cli("-C", str(site), "build", "--format", "html", "--json")
    assert again.returncode == 0, again.stderr
    assert {o["status"] for o in json.loads(again.stdout)["outputs"]} <= {"up to date", "withheld"}
    assert "up to date build/web" in again.stderr
    assert {p: (p.stat().st_ino, p.stat().st_mtime_ns, files.sha256_file(p)) for p in web.rglob("*") if p.is_file()} == before
    ru = site / "translations/sample/ru.po"
    ru.write_text(ru.read_text(encoding="utf-8").replace("Разговор с детьми", "Беседа с детьми"), encoding="utf-8")
    changed = run_cli("-C", str(site), "build", "--format", "html", "--json")
    assert changed.returncode == 0, changed.stderr
    built = [(o["language"]) for o in json.loads(changed.stdout)["outputs"] if o["status"] == "built"]
    assert built == ["ru"]
    after = {p: (p.stat().st_ino, files.sha256_file(p)) for p in web.rglob("*") if p.is_file()}
    rewritten = {p.relative_to(web).as_posix() for p, (ino, digest) in after.items()
                 if p not in before or before[p][0] != ino}
    assert "ru/sample/chapter-1.html" in rewritten and "Беседа с детьми" in (web / "ru/sample/chapter-1.html").read_text()
    assert not [r for r in rewritten if r.split("/")[0] in LANGS - {"ru"}], rewritten  # other languages' pages linked
    ru.write_text(ru.read_text(encoding="utf-8").replace("Беседа с детьми", "Разговор с детьми"), encoding="utf-8")


def test_the_same_sources_give_the_same_site(site: Path, tmp_path: Path) -> None:
    other = _prepare(copy_root("basic", tmp_path))
    result = run_cli("-C", str(other), "build", "--format", "html", "--lang", "ar", "--lang", "zh-Hans", "-j", "1")
    assert result.returncode == 0, result.stderr
    for code in ("ar", "zh-Hans"):
        assert files.sha256_tree(other / f"build/{code}/sample.{code}.html") == \
            files.sha256_tree(site / f"build/{code}/sample.{code}.html")


def test_a_hostile_translation_does_not_reach_the_site(basic: Path) -> None:
    fr = basic / "translations/sample/fr.po"
    hostile = {"Parler avec les enfants": "Parler <script>alert(1)</script> avec",
               "Jouez ensemble.": "Jouez [ici](javascript:alert(1)) <img src=x onerror=alert(2)>.",
               "Fixez des règles familiales.": "Fixez <a href=\"https://evil.test/\" style=\"x\">des</a> règles."}
    text = fr.read_text(encoding="utf-8")
    for old, new in hostile.items():
        text = text.replace(f'msgstr "{old}"', 'msgstr "' + new.replace('"', '\\"') + '"')
    fr.write_text(text, encoding="utf-8")
    result = run_cli("-C", str(basic), "build", "--format", "html", "--lang", "fr")
    assert result.returncode == 0, result.stderr
    for page in _pages(basic / "build/web"):
        tree = _tree(page)
        assert not tree.xpath("//main//script | //main//img[@onerror] | //*[@style]"), page
        assert "javascript:" not in page.read_text(encoding="utf-8").lower()
        assert not tree.xpath("//a[contains(@href, 'evil.test')]")


def test_a_page_that_lacks_a_block_fails_at_its_line_in_the_master(basic: Path) -> None:
    project = config.load(basic / "cop-docs.yaml")
    doc, lang = project.document("sample"), project.language("ar")
    shown: list = []
    ast = localized.localized(project, doc, lang, sources.load(project, doc), shown=shown)
    job = Job(project, doc, lang, ast, blocks=shown[0].blocks)
    output = renderer("html")
    blocks = job.doc["blocks"]
    whole = basic / "whole"
    whole.mkdir()
    output.write(job, whole)
    assert output.verify(job, whole) >= 8
    lacking = basic / "lacking"
    lacking.mkdir()
    index = next(i for i, b in enumerate(blocks) if b["t"] == "Para" and "أسبوع" in stringify(b["c"]))
    del blocks[index]  # as a bug in the renderer might lose it
    output.write(job, lacking)
    with pytest.raises(RenderError) as caught:
        output.verify(job, lacking)
    master = (basic / "sources/sample.md").read_text(encoding="utf-8").splitlines()
    assert caught.value.path == "sources/sample.md"
    assert master[caught.value.line - 1] == "Keep the conversation going every week."
    assert "web edition" in str(caught.value)


def test_plain_build_offers_the_sibling_files_and_the_release_gathers_the_site(basic: Path) -> None:
    text = (basic / "cop-docs.yaml").read_text(encoding="utf-8")
    keep = text.split("  - code: ar")[0] + "documents:" + text.split("documents:")[1]
    (basic / "cop-docs.yaml").write_text(keep.replace("formats: [pdf, epub]", "formats: [pdf, epub, html]"),
                                         encoding="utf-8")
    for code in ("ar", "zh-Hans", "ru", "es"):
        (basic / f"translations/sample/{code}.po").unlink()
    assert run_cli("-C", str(basic), "update").returncode == 0
    subprocess.run(["git", "init", "-q"], cwd=basic, check=True)
    subprocess.run(["git", "add", "-A"], cwd=basic, check=True)
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "x"], cwd=basic, check=True)
    result = run_cli("-C", str(basic), "release", "-j", "2")
    assert result.returncode == 0, result.stderr
    again = run_cli("-C", str(basic), "build")  # nothing to render: the build's own site, build/web/
    assert again.returncode == 0 and "built build/web" in again.stdout, again.stdout
    first = basic / "build/web/fr/sample/index.html"  # offers the files beside it
    hrefs = _tree(first).xpath("//section[@class='downloads']//a/@href")
    assert hrefs == ["../../../fr/sample.fr.pdf", "../../../fr/sample.fr.epub"]
    assert all(_resolves(first, h).is_file() for h in hrefs)
    release = basic / "build/release/2026"
    page = release / "web/fr/sample/index.html"
    links = _tree(page).xpath("//section[@class='downloads']//a")
    assert [a.get("href") for a in links] == ["../../../fr/fixture-sample-fr-2026.pdf", "../../../fr/fixture-sample-fr-2026.epub"]
    sizes = _tree(page).xpath("//section[@class='downloads']//span[@class='size']/text()")
    assert all(re.fullmatch(r"\(\d+ KB\)", s) for s in sizes)
    manifest = json.loads((release / "manifest.json").read_text(encoding="utf-8"))
    assert [(e["language"], e["path"]) for e in manifest["web"]["editions"]] == [
        ("en", "web/en/sample/index.html"), ("fr", "web/fr/sample/index.html")]
    assert all((release / e["path"]).is_file() for e in manifest["web"]["editions"])
    assert "html" not in {f["format"] for f in manifest["files"]}
    download = _tree(release / "fr/index.html")
    assert "../web/fr/sample/index.html" in download.xpath("//a/@href")
    assert (release / "web/pagefind/pagefind-ui.js").is_file() and os.path.isfile(release / "web/index.html")
