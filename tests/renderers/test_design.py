"""Publication design, checked on built PDFs: each kind's layout, each script's typography, right-to-left pages,
page footnotes, required alt text and byte-identical rebuilds.

The design fixture (tests/roots/design) has one small document of each kind; its guide is translated into
French, Arabic and Chinese.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import ROOTS, copy_root, pdf_text, run_cli
from pdfminer.high_level import extract_pages, extract_text
from pdfminer.layout import LTChar

from cop_docs import config
from cop_docs.renderers import theme


@dataclass
class Line:
    text: str
    x_min: float
    y_min: float
    x_max: float
    y_max: float


@dataclass
class Page:
    width: float
    height: float
    lines: list[Line]

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    def line(self, needle: str, *, body: bool = False, loose: bool = True) -> Line:
        """The first line holding the text. pdftotext gives right-to-left lines in visual order, and may keep
        marks apart from their letters: a line with the same letters, or the text reversed, matches too."""
        lines = self.body() if body else self.lines
        letters = Counter(needle.replace(" ", ""))
        for matches in (lambda t: Counter(t.replace(" ", "")) == letters,
                        lambda t: needle in t or needle[::-1] in t,
                        lambda t: loose and not letters - Counter(t.replace(" ", ""))):
            for line in lines:
                if matches(line.text):
                    return line
        raise LookupError(needle)

    def body(self) -> list[Line]:
        """Lines inside the page area (the running header and the page number sit in the margins)."""
        return [line for line in self.lines if 62 < line.y_min and line.y_max < self.height - 50]


def pages(pdf: Path) -> list[Page]:
    """Every page's text lines with their boxes, in PDF points from the top left, as pdftotext finds them."""
    xml = subprocess.run(["pdftotext", "-enc", "UTF-8", "-bbox-layout", str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    ns = {"h": "http://www.w3.org/1999/xhtml"}
    result = []
    for page in ET.fromstring(xml).iterfind(".//h:page", ns):
        lines = []
        for line in page.iterfind(".//h:line", ns):
            words = [w.text or "" for w in line.iterfind("h:word", ns)]
            box = [float(line.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")]
            lines.append(Line(" ".join(words), *box))
        result.append(Page(float(page.get("width")), float(page.get("height")), lines))
    return result


@pytest.fixture(scope="module")
def design(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_root("design", tmp_path_factory.mktemp("design"))
    result = run_cli("-C", str(root), "build", "--format", "pdf")
    assert result.returncode == 0, result.stderr
    return root


def pdf(root: Path, doc: str, lang: str = "en") -> Path:
    return root / "build" / lang / f"{doc}.{lang}.pdf"


def _chars_of(path: Path, needle: str) -> list[LTChar]:
    """The letters of the last line holding a text (the first may be its entry in the contents)."""
    book = pages(path)
    number, line = [(n, p.line(needle, body=True, loose=False)) for n, p in enumerate(book) if _has(p, needle)][-1]
    page = list(extract_pages(path, page_numbers=[number]))[0]
    return [c for c in _chars(page) if c.get_text().isalpha()
            and line.x_min - 1 <= c.x0 and c.x1 <= line.x_max + 1
            and line.y_min - 2 <= page.height - c.y1 and page.height - c.y0 <= line.y_max + 2]


def _has(page: Page, needle: str) -> bool:
    try:
        page.line(needle, body=True, loose=False)
    except LookupError:
        return False
    return True


def fonts_of(path: Path, needle: str) -> set[str]:
    """The fonts the letters of a text are drawn with (subset prefixes left out)."""
    return {re.sub(r"^[A-Z]{6}\+", "", c.fontname) for c in _chars_of(path, needle)}


def sizes_of(path: Path, needle: str) -> set[float]:
    return {round(c.size, 1) for c in _chars_of(path, needle)}


def _chars(node):
    if isinstance(node, LTChar):
        yield node
    elif hasattr(node, "__iter__"):
        for child in node:
            yield from _chars(child)


# --- one theme system --------------------------------------------------------------------------------------


def test_stylesheets_are_shared_base_plus_kind_plus_script() -> None:
    project = config.load(ROOTS / "design/cop-docs.yaml")
    ar, zh, fr = project.language("ar"), project.language("zh-Hans"), project.language("fr")
    assert theme.print_stylesheets(fr, "guide") == ["base.css", "kinds/guide.css", "scripts/alphabetic.css"]
    assert theme.print_stylesheets(ar, "workbook") == ["base.css", "kinds/workbook.css", "scripts/arabic.css", "rtl.css"]
    assert theme.print_stylesheets(zh, "story-book", draft=True)[:3] == ["base.css", "kinds/story-book.css", "scripts/cjk.css"]
    for kind in config.KINDS:
        assert (theme.PRINT / "kinds" / f"{kind}.css").is_file()


# --- document kinds ----------------------------------------------------------------------------------------


def test_story_book_has_large_type_and_the_picture_with_its_chapter(design: Path) -> None:
    path = pdf(design, "story")
    assert min(sizes_of(path, "This is Pip.")) >= 15  # large, friendly type
    assert max(sizes_of(path, "Pip likes games")) <= 17
    chapter = next(p for p in pages(path) if "Hello, Pip" in p.text and "This is Pip" in p.text)
    # The picture sits between the chapter title and the first line of the story.
    assert chapter.line("This is Pip").y_min - chapter.line("Hello, Pip").y_max > 150
    assert "Pip, a small round robot, waves hello." not in pdf_text(path), "the alt text is no caption on the page"


def test_workbook_blanks_tick_boxes_and_answer_key(design: Path) -> None:
    path = pdf(design, "workbook")
    text = " ".join(pdf_text(path).split())
    # The blank is an answer line, long enough to write in; copied text keeps it in its place.
    assert re.search(r"A strong password has at least _{14,} random words\.", text)
    book = pages(path)
    key = book[-1]  # the answer key, on its own page at the end
    assert [line.text for line in key.body()][:3] == ["Answer key", "1. three", "2. share"]
    assert "A password is like a key" not in key.text and "Activity" not in key.text


def test_campaign_kit_has_one_card_per_page(design: Path) -> None:
    book = pages(pdf(design, "kit"))
    first = [p for p in book if any(line.text == "Ask first, post later" for line in p.body())]
    second = [p for p in book if p.body()[0].text == "Think before you post"]
    assert first[0].body()[0].text == "Campaign cards"  # the first card shares its page with the introduction
    assert len(first) == 1 and len(second) == 1 and first[0] is not second[0]
    assert "#AskBeforeYouShare" in first[0].text and "#ThinkBeforeYouPost" not in first[0].text
    assert max(sizes_of(pdf(design, "kit"), "Ask first, post later")) >= 24  # a bold headline


def test_guide_chapter_openers_running_header_and_page_footnotes(design: Path) -> None:
    book = pages(pdf(design, "guide"))
    cover, contents, first, second = book[:4]
    assert "Keeping children safe" in cover.text and "Parents and educators".upper() in cover.text.upper()
    assert "2026 · English" in cover.text
    assert re.search(r"Talking together[ .]+ 3", contents.text) and re.search(r"Understanding risks[ .]+ 4", contents.text)
    body = [line.text for line in first.body()]
    assert body[:2] == ["1", "Talking together"]  # the chapter number above its title
    header = [line for line in second.lines if line.y_max < 70]
    assert [line.text for line in header] == ["Understanding risks"]
    assert second.lines[-1].text == "4"
    # The note stands at the foot of the page that calls it, not at the end of the book.
    note = first.line("Research shows that children copy what adults do.")
    assert note.y_min > first.height * 0.75
    assert all("Research shows" not in p.text for p in book if p is not first)


# --- scripts -----------------------------------------------------------------------------------------------


def test_arabic_pages_mirror_the_english_ones(design: Path) -> None:
    en, ar = pages(pdf(design, "guide", "en")), pages(pdf(design, "guide", "ar"))
    width = en[2].width
    # Running header and page number on the outer edge: right in English, left in Arabic, on the same page.
    assert en[2].line("Talking together").x_min > width / 2 and en[2].lines[-1].x_min > width / 2
    ar_header = [line for line in ar[2].lines if line.y_max < 70]
    assert ar_header and ar_header[0].x_max < width / 2
    assert ar[2].lines[-1].text == "3" and ar[2].lines[-1].x_max < width / 2
    # Body text starts at the right margin.
    body = ar[2].body()
    assert max(line.x_max for line in body) > width - 60
    # Lists: the bullet stands to the right of its item's text.
    for item in ("اسألهم عما يستمتعون به على الإنترنت.", "اتفقوا على قواعد الأسرة."):
        line = ar[2].line(item)
        assert "•" in line.text and bullet_x(pdf(design, "guide", "ar"), 3, line) > line.x_max - 8
    # Tables: the first column is on the right.
    assert ar[2].line("الخطوة").x_min > ar[2].line("تم").x_max
    # Contents: each page number is at the left end of its entry.
    entry = [line for line in ar[1].body() if "3" in line.text.split()]
    assert entry and entry[0].x_min < 70 and max(line.x_max for line in ar[1].body()) > width - 60


def bullet_x(path: Path, page_number: int, line: Line) -> float:
    """Where the list bullet of a line is drawn (pdfminer measures from the bottom of the page)."""
    page = list(extract_pages(path, page_numbers=[page_number - 1]))[0]
    for char in _chars(page):
        if char.get_text() == "•" and abs((page.height - char.y1) - line.y_min) < 8:
            return char.x0
    raise AssertionError("no bullet on that line")


def test_arabic_uses_naskh_text_and_kufi_headings_without_fake_italics(design: Path) -> None:
    path = pdf(design, "guide", "ar")
    assert fonts_of(path, "اتفقوا") == {"Noto-Naskh-Arabic"}
    assert fonts_of(path, "فهم المخاطر") <= {"Noto-Kufi-Arabic-Bold"}
    assert_emphasis_is_weight(path, "كل يوم", "Noto-Naskh-Arabic-Bold")


def test_chinese_uses_cjk_faces_weight_for_emphasis_and_no_hyphens(design: Path) -> None:
    path = pdf(design, "guide", "zh-Hans")
    assert fonts_of(path, "商定家庭规则") == {"Noto-Serif-CJK-SC"}
    assert fonts_of(path, "了解风险") == {"Noto-Sans-CJK-SC-Bold"}  # headings in the CJK sans
    assert_emphasis_is_weight(path, "每天", "Noto-Serif-CJK-SC-Bold")
    for page in pages(path):
        assert not any(line.text.endswith("-") for line in page.lines)


def assert_emphasis_is_weight(path: Path, emphasized: str, bold_font: str) -> None:
    """The emphasized words are drawn in the bold face, and no letter of their line is slanted (a fake italic
    is an upright face drawn with a skewed text matrix)."""
    chars = _chars_of(path, emphasized)
    bold = "".join(c.get_text() for c in chars if c.fontname.endswith(bold_font))
    assert Counter(bold) == Counter(emphasized.replace(" ", ""))
    assert all(abs(c.matrix[2]) < 1e-6 for c in chars)


@pytest.mark.parametrize("lang, source", [
    ("en", "Responsibilities, opportunities, communications, recommendations, international organisations, "
           "administrations and telecommunications all contribute to the protection of children, notwithstanding "
           "considerable institutional differences between countries and communities."),
    ("fr", "Les responsabilités, les opportunités, les communications, les recommandations, les organisations "
           "internationales, les administrations et les télécommunications contribuent toutes à la protection des "
           "enfants, nonobstant des différences institutionnelles considérables entre les pays et les communautés."),
])
def test_alphabetic_languages_are_hyphenated_by_their_dictionary(design: Path, lang: str, source: str) -> None:
    words = set(re.findall(r"\w+", source))
    hyphenated = []
    for page in pages(pdf(design, "guide", lang)):
        lines = page.body()
        for this, following in zip(lines, lines[1:], strict=False):
            if this.text.endswith(("-", "\u2010")) and re.match(r"\w", following.text):
                left, right = this.text.split()[-1][:-1], following.text.split()[0].strip(",.")
                hyphenated.append(left + right)
    assert hyphenated, "long words at line ends are hyphenated"
    assert all(word in words for word in hyphenated), hyphenated


def test_french_narrow_no_break_spaces_are_kept(design: Path) -> None:
    text = extract_text(pdf(design, "guide", "fr"))
    assert "questions\u202f? Demandez\u202f: nous écoutons\u202f!" in text


# --- accessibility and reproducibility ---------------------------------------------------------------------


def test_an_image_without_alt_text_fails_the_build(basic: Path) -> None:
    source = basic / "sources/sample.md"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("![A green shield](images/shield.svg)", "![](images/shield.svg)"), encoding="utf-8")
    line = text.splitlines().index("![A green shield](images/shield.svg)") + 1
    result = run_cli("-C", str(basic), "build", "--lang", "en", "--format", "pdf")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"cop-docs: error: sources/sample.md:{line}: image 'sources/images/shield.svg' has no alt text: describe the "
        "picture between the brackets, ![what it shows](file), for readers who cannot see it "
        "(while building sample, en)"]
    assert not (basic / "build/en/sample.en.pdf").exists()


def outputs(root: Path) -> dict[Path, bytes]:
    return {p.relative_to(root): p.read_bytes() for p in sorted((root / "build").glob("*/*.*")) if p.suffix in (".pdf", ".epub")}


def test_rebuilding_gives_byte_identical_files(tmp_path: Path) -> None:
    root = copy_root("design", tmp_path)
    args = ("-C", str(root), "build", "--doc", "guide", "--lang", "ar", "--lang", "zh-Hans")
    assert run_cli(*args).returncode == 0
    first = outputs(root)
    shutil.rmtree(root / "build")
    assert run_cli(*args).returncode == 0
    second = outputs(root)
    assert {p.suffix for p in first} == {".pdf", ".epub"}
    assert first.keys() == second.keys()
    assert [p for p in first if first[p] != second[p]] == []


def test_long_tables_repeat_their_header_and_keep_rows_whole(tmp_path: Path) -> None:
    root = tmp_path / "tables"
    (root / "sources").mkdir(parents=True)
    (root / "cop-docs.yaml").write_text(
        'project: {name: Tables, edition: "2026", source-language: en}\n'
        "languages: [{code: en, fonts: [Noto Serif, Noto Sans]}]\n"
        "documents: [{id: t, audience: Everyone, kind: guide, title: Tables, sources: [sources/t.md]}]\n"
        "formats: [pdf]\n", encoding="utf-8")
    rows = "".join(f"| Step {n} | Begin{n} " + "a long explanation of what to do " * 6 + f"End{n} |\n" for n in range(1, 61))
    (root / "sources/t.md").write_text(f"# Steps\n\n| Step | What to do |\n|---|---|\n{rows}", encoding="utf-8")
    assert run_cli("-C", str(root), "extract").returncode == 0
    result = run_cli("-C", str(root), "build")
    assert result.returncode == 0, result.stderr
    book = [page.text for page in pages(root / "build/en/t.en.pdf")[2:]]
    assert len(book) >= 3
    for text in book:
        assert "What to do" in text  # the header row on every page of the table
    for n in range(1, 61):
        where = {i for i, text in enumerate(book) if re.search(rf"\b(Begin|End){n}\b", text)}
        assert len(where) == 1, f"row {n} is split across pages {where}"
