"""Contact sheets: thumbnails of the built PDFs' first pages, one HTML page per language, checked as a reviewer would."""

from __future__ import annotations

import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from conftest import copy_root, run_cli
from PIL import Image

LANGS = ("en", "fr", "ar")
TITLES = {"en": "Staying safe online", "fr": "Rester en sécurité en ligne", "ar": "البقاء آمنًا على الإنترنت"}


@pytest.fixture(scope="module")
def previewed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The basic project with its PDFs built in three languages, Arabic among them, and previewed."""
    root = copy_root("basic", tmp_path_factory.mktemp("preview"))
    result = run_cli("-C", str(root), "build", "--format", "pdf", *(a for code in LANGS for a in ("--lang", code)))
    assert result.returncode == 0, result.stderr
    result = run_cli("-C", str(root), "preview", *(a for code in LANGS for a in ("--lang", code)))
    assert result.returncode == 0, result.stderr
    assert "wrote build/preview/ar/index.html" in result.stdout
    return root


@pytest.fixture
def project(previewed: Path, tmp_path: Path) -> Path:
    """A private copy of the previewed project, to change."""
    return Path(shutil.copytree(previewed, tmp_path / "p"))


def pdfinfo(pdf: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return {k: v.strip() for k, _, v in (line.partition(":") for line in out.splitlines())}


class Page(HTMLParser):
    """The elements of an HTML page as (tag, attributes, enclosing link), and its text."""

    def __init__(self, text: str):
        super().__init__()
        self.elements: list[tuple[str, dict[str, str], str | None]] = []
        self.text: list[str] = []
        self._link: str | None = None
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {k: v or "" for k, v in attrs}
        self.elements.append((tag, attributes, self._link))
        if tag == "a":
            self._link = attributes.get("href")

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self._link = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def all(self, tag: str) -> list[tuple[dict[str, str], str | None]]:
        return [(attrs, link) for t, attrs, link in self.elements if t == tag]


def sheet(root: Path, lang: str) -> tuple[Path, Page]:
    path = root / "build/preview" / lang / "index.html"
    return path, Page(path.read_text(encoding="utf-8"))


def target(page: Path, href: str) -> Path:
    """The file a relative link on a page points at."""
    return (page.parent / unquote(urlsplit(href).path)).resolve()


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


def assert_valid_html(text: str) -> None:
    """Parse as a browser would; without html5lib or lxml, check at least that every element is closed in order."""
    assert text.startswith("<!DOCTYPE html>\n")
    try:
        import html5lib

        html5lib.HTMLParser(strict=True).parse(text)
        return
    except ImportError:
        pass
    open_elements: list[str] = []
    problems: list[str] = []

    class Nesting(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag not in VOID:
                open_elements.append(tag)

        def handle_endtag(self, tag):
            if not open_elements or open_elements.pop() != tag:
                problems.append(f"</{tag}> at line {self.getpos()[0]} closes nothing open")

    Nesting().feed(text)
    assert problems == [] and open_elements == []


def test_first_pages_become_thumbnails_300_pixels_wide(previewed: Path) -> None:
    for lang in LANGS:
        info = pdfinfo(previewed / "build" / lang / f"sample.{lang}.pdf")
        count = min(4, int(info["Pages"]))
        width_pt, height_pt = (float(x) for x in info["Page size"].split()[0:3:2])
        pngs = sorted((previewed / "build/preview" / lang).glob("*.png"))
        assert [p.name for p in pngs] == [f"sample.{lang}-{n}.png" for n in range(1, count + 1)]
        for png in pngs:
            with Image.open(png) as image:
                assert image.format == "PNG"
                assert image.width == 300
                assert abs(image.height - 300 * height_pt / width_pt) <= 1
                darkest, lightest = image.convert("L").getextrema()
                assert darkest < 128 < lightest, f"{png.name} is blank"


def test_each_sheet_is_in_its_language_and_direction(previewed: Path) -> None:
    for lang, direction in (("en", "ltr"), ("fr", "ltr"), ("ar", "rtl")):
        path, page = sheet(previewed, lang)
        html = page.all("html")[0][0]
        assert (html.get("lang"), html.get("dir")) == (lang, direction)
        assert_valid_html(path.read_text(encoding="utf-8"))
        assert not page.all("script") and not any(k.startswith("on") for _, a, _ in page.elements for k in a)
    text = " ".join(sheet(previewed, "ar")[1].text)
    assert "العربية" in text and "الآباء والمربون" in text  # the language's own name, the translated audience
    assert "Parents et éducateurs" in " ".join(sheet(previewed, "fr")[1].text)


def test_thumbnails_link_to_their_page_of_the_pdf(previewed: Path) -> None:
    for lang in LANGS:
        path, page = sheet(previewed, lang)
        pdf = previewed / "build" / lang / f"sample.{lang}.pdf"
        images = page.all("img")
        assert len(images) == len(list(path.parent.glob("*.png")))
        for number, (img, link) in enumerate(images, 1):
            assert img["alt"] == f"{TITLES[lang]}, page {number}"
            png = target(path, img["src"])
            with Image.open(png) as image:
                assert (int(img["width"]), int(img["height"])) == image.size
            assert link is not None and target(path, link) == pdf.resolve()
            assert urlsplit(link).fragment == f"page={number}"
        pages = pdfinfo(pdf)["Pages"]
        assert f"{pages} pages" in " ".join(page.text)
        assert any(link is None and target(path, a["href"]) == pdf.resolve() for a, link in page.all("a"))


def test_index_names_each_language_in_its_own_script(previewed: Path) -> None:
    path = previewed / "build/preview/index.html"
    text = path.read_text(encoding="utf-8")
    assert_valid_html(text)
    links = {a["href"]: a for a, _ in Page(text).all("a")}
    assert set(links) == {f"{lang}/index.html" for lang in LANGS}
    assert (links["ar/index.html"]["lang"], links["ar/index.html"]["dir"]) == ("ar", "rtl")
    assert 'dir="rtl">العربية</a>' in text and ">Français</a>" in text
    for href in links:
        assert target(path, href).is_file()


def test_documents_follow_the_project_file_grouped_by_audience(project: Path) -> None:
    config = project / "cop-docs.yaml"
    extra = "".join(f"  - {{id: {doc}, audience: {audience}, kind: guide, title: {doc}, sources: [sources/sample.md]}}\n"
                    for doc, audience in (("policy", "Policymakers"), ("more", "Parents and educators")))
    config.write_text(config.read_text(encoding="utf-8").replace("formats:", extra + "formats:"), encoding="utf-8")
    for doc in ("policy", "more"):
        shutil.copy(project / "build/en/sample.en.pdf", project / f"build/en/{doc}.en.pdf")
    assert run_cli("-C", str(project), "preview", "--lang", "en", "--pages", "1").returncode == 0
    page = sheet(project, "en")[1]
    order = [a["id"] for a, _ in page.all("article")]
    assert order == ["sample", "more", "policy"]
    text = "".join(page.text)
    assert text.index("Parents and educators") < text.index("Policymakers")


def test_a_missing_pdf_is_listed_and_fails_the_command(project: Path) -> None:
    (project / "build/fr/sample.fr.pdf").unlink()
    result = run_cli("-C", str(project), "preview", *(a for code in LANGS for a in ("--lang", code)))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "build/fr/sample.fr.pdf" in lines[0] and "cop-docs build" in lines[0]
    path, page = sheet(project, "fr")
    assert [a["class"] for a, _ in page.all("article")] == ["doc missing"]
    assert not page.all("img") and not list(path.parent.glob("*.png"))
    assert "Missing" in " ".join(page.text)
    assert len(sheet(project, "ar")[1].all("img")) == 3


def test_nothing_built_is_one_line(basic: Path) -> None:
    result = run_cli("-C", str(basic), "preview", "--lang", "ar")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1 and "build/ar/sample.ar.pdf: not built" in result.stderr


def test_a_damaged_pdf_is_one_line(project: Path) -> None:
    (project / "build/ar/sample.ar.pdf").write_bytes(b"%PDF-1.7\nnot really\n")
    result = run_cli("-C", str(project), "preview", "--lang", "ar")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1 and "build/ar/sample.ar.pdf: not a readable PDF" in result.stderr


def test_a_withheld_output_is_expected_not_missing(project: Path) -> None:
    config = project / "cop-docs.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("  - code: fr\n", "  - code: fr\n    release: {threshold: 100, below: withhold}\n"),
                      encoding="utf-8")
    (project / "build/fr/sample.fr.pdf").unlink()
    result = run_cli("-C", str(project), "preview", "--lang", "fr", "--lang", "en")
    assert result.returncode == 0, result.stderr
    page = sheet(project, "fr")[1]
    assert [a["class"] for a, _ in page.all("article")] == ["doc withheld"]
    assert "Withheld by the release policy" in " ".join(page.text)


def test_previews_are_reproducible_and_follow_the_options(previewed: Path, project: Path) -> None:
    again = run_cli("-C", str(project), "preview", *(a for code in LANGS for a in ("--lang", code)))
    assert again.returncode == 0, again.stderr
    first = {p.relative_to(previewed): p.read_bytes() for p in (previewed / "build/preview").rglob("*") if p.is_file()}
    second = {p.relative_to(project): p.read_bytes() for p in (project / "build/preview").rglob("*") if p.is_file()}
    assert first == second
    assert run_cli("-C", str(project), "preview", "--lang", "en", "--pages", "1", "--dpi", "72").returncode == 0
    pngs = list((project / "build/preview/en").glob("*.png"))
    assert [p.name for p in pngs] == ["sample.en-1.png"], "thumbnails of pages no longer shown are removed"
    width_pt = float(pdfinfo(project / "build/en/sample.en.pdf")["Page size"].split()[0])
    with Image.open(pngs[0]) as image:
        assert abs(image.width - width_pt) <= 1
    assert not list((project / "build").rglob("*.part")), "no temporary file may stay behind"


def test_help() -> None:
    result = run_cli("preview", "--help")
    assert result.returncode == 0 and "--pages" in result.stdout and "build/preview" in result.stdout
