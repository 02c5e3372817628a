"""Text extraction: pdftotext gives back the words of our PDFs as they were written, Arabic vowel marks and
ligatures included, while the PDFs keep their tagging, their bytes from build to build, and other scripts'
text exactly as before."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from conftest import copy_root, pdf_text, run_cli
from pypdf import PdfReader
from weasyprint import HTML

from cop_docs.renderers.pdf_text import extractable_text

#: Damma, shadda with fatha stacked, shadda, tanwin, and lam-alef (drawn as two glyphs by the text font).
SENTENCE = "يُشجع مُحَمَّد الأطفال على الحذر بشدّة، فلا يُعطي أحدٌ كلمة المرور لغيره مثلًا."
#: Lam-alef ligatures of the heading font, one of them under a tanwin.
HEADING = "املأ نموذج الإبلاغ أولًا ولا تتردد مثلًا"


def words(text: str) -> list[str]:
    """The words of a text as a search finds them: runs of letters, marks and digits, compared in NFC."""
    text = unicodedata.normalize("NFC", text)
    return "".join(c if unicodedata.category(c)[0] in "LMN" else " " for c in text).split()


def contains(text: str, sentence: str) -> bool:
    """Whether the text holds the sentence's words in order, each intact."""
    return f" {' '.join(words(sentence))} " in f" {' '.join(words(text))} "


@pytest.fixture(scope="module")
def arabic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The basic example project with a sentence full of marks, built in Arabic, headings in Noto Kufi Arabic."""
    root = copy_root("basic", tmp_path_factory.mktemp("arabic"))
    project = root / "cop-docs.yaml"
    fonts = "    fonts: [Noto Naskh Arabic, Noto Sans]\n"
    project.write_text(project.read_text(encoding="utf-8").replace(
        fonts, fonts + "    heading-fonts: [Noto Kufi Arabic]\n"), encoding="utf-8")
    po = root / "translations/sample/ar.po"
    po.write_text(po.read_text(encoding="utf-8").replace(
        'msgstr "واصلوا الحديث كل أسبوع."', f'msgstr "{SENTENCE}"'), encoding="utf-8")
    result = run_cli("-C", str(root), "build", "--lang", "ar", "--format", "pdf")
    assert result.returncode == 0, result.stderr
    return root / "build/ar/sample.ar.pdf"


def test_arabic_words_with_marks_extract_intact(arabic: Path) -> None:
    text = pdf_text(arabic)
    assert contains(text, SENTENCE), text
    assert contains(text, "التحدث مع الأطفال")


def test_heading_ligatures_extract_intact(tmp_path: Path) -> None:
    """Drawn once each, so that a copy elsewhere (contents, running header) cannot stand in for them."""
    page = (f'<html lang="ar" dir="rtl"><body><h1 style="font-family: Noto Kufi Arabic">{HEADING}</h1>'
            f'<p style="font-family: Noto Naskh Arabic">{SENTENCE}</p></body></html>')
    pdf = tmp_path / "heading.pdf"
    with extractable_text():
        HTML(string=page).write_pdf(pdf, pdf_variant="pdf/ua-1")
    text = pdf_text(pdf)
    assert contains(text, HEADING), text
    assert contains(text, SENTENCE), text


@pytest.mark.parametrize("lang, font, sentence", [
    ("en", "Noto Serif", "Ask your child what they enjoy doing online, and find official help together."),
    ("fr", "Noto Serif", "Demandez à votre enfant ce qu’il aime faire en ligne : l’œil, naïf, déjà."),
    ("ru", "Noto Serif", "Спросите ребёнка, чем ему нравится заниматься в интернете."),
    ("zh-Hans", "Noto Sans CJK SC", "问问孩子喜欢在网上做什么。夜间不使用屏幕。"),
])
def test_other_scripts_are_untouched(tmp_path: Path, lang: str, font: str, sentence: str) -> None:
    page = f'<html lang="{lang}"><body style="font-family: {font}"><h1>{sentence}</h1><p>{sentence}</p></body></html>'
    plain, extractable = tmp_path / "plain.pdf", tmp_path / "extractable.pdf"
    HTML(string=page).write_pdf(plain, pdf_variant="pdf/ua-1")
    with extractable_text():
        HTML(string=page).write_pdf(extractable, pdf_variant="pdf/ua-1")
    assert extractable.read_bytes() == plain.read_bytes()
    # Compared without white space: a line of Chinese breaks anywhere, and pdftotext writes the break.
    assert "".join(pdf_text(extractable).split()).count("".join(sentence.split())) == 2


def test_pdf_stays_tagged(arabic: Path) -> None:
    reader = PdfReader(arabic)
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "ar"
    assert catalog["/MarkInfo"]["/Marked"]
    assert catalog["/StructTreeRoot"]["/K"]
    spans = 0
    for page in reader.pages:
        content = page.get_contents().get_data()
        depth, tagged = 0, []  # how deep in marked content, and which levels carry an MCID
        for operator in re.finditer(rb"<<.*?>>\s*BDC\b|\bBMC\b|\bEMC\b", content, re.DOTALL):
            if operator.group().endswith(b"EMC"):
                depth -= 1
                tagged = [level for level in tagged if level <= depth]
                assert depth >= 0, "EMC without a sequence to end"
                continue
            depth += 1
            if b"/MCID" in operator.group():
                tagged.append(depth)
            if b"/ActualText" in operator.group():
                spans += 1
                assert tagged, "the spans sit inside tagged content"
        assert depth == 0, "every marked-content sequence ends"
    assert spans > 0


def test_builds_stay_reproducible(arabic: Path) -> None:
    first = arabic.read_bytes()
    project = arabic.parents[2]
    result = run_cli("-C", str(project), "build", "--lang", "ar", "--format", "pdf", "--force")
    assert result.returncode == 0, result.stderr
    assert arabic.read_bytes() == first
