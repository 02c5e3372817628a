"""Pseudo-locales: qps-ploc (accented, longer, bracketed) and qps-plocm (the same in Hebrew letters, right to left),
built from the templates like any language without touching translations/, checked as a reviewer would: the text
on the pages, the languages and directions the outputs carry, the links, and the design checks.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import string
import subprocess
import unicodedata
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from conftest import REPO, copy_root, pdf_text, run_cli
from pypdf import PdfReader
from translate.storage import factory

from cop_docs import cache, config, dependencies, locale, localized, sources
from cop_docs.catalogs import messages, po, pseudo
from cop_docs.exchange import inline
from cop_docs.segments import stringify

PSEUDO = ("qps-ploc", "qps-plocm")
HEBREW = re.compile(r"[\u05d0-\u05ea]")
ACCENTED = re.compile(r"[åƀçðéƒĝĥîĵķļṁñöþǫŕšţûṽŵẋýžÅɃÇÐÉƑĜĤÎĴĶĻṀÑÖÞǪŔŠŢÛṼŴẊÝŽ]")
HELP = "https://www.example.org/help"


# --- the text ------------------------------------------------------------------------------------------------


MESSAGE = ('**Tip:** ask the [helpline](https://www.example.org/help "Helplines") or run `cop-docs check`, '
           'call 116 111 at www.example.org/help &nbsp;for {title}.[^privacy] \\#AskFirst <br> *every* day')


@pytest.mark.parametrize("code", PSEUDO)
def test_only_text_changes_and_every_message_is_bracketed(code: str) -> None:
    out = pseudo.pseudo_markdown(MESSAGE, code)
    assert out.startswith("[") and out.endswith("]")
    source, made = inline.parts(MESSAGE), inline.parts(out[1:-1])
    assert inline.mismatch(source, made) is None, "every code (link, note, code, escape, HTML, emphasis) stays"
    assert [c.markdown for c in inline.codes(made)] == [c.markdown for c in inline.codes(source)]
    for kept in ("{title}", "116 111", "www.example.org/help", "&nbsp;", "`cop-docs check`", "[^privacy]"):
        assert kept in out
    text = inline.text_of(made)
    for kept in ("{title}", "www.example.org/help", "&nbsp;"):
        text = text.replace(kept, "")
    assert not re.search(r"[A-Za-z]", text), text  # no Latin letter left in the text itself
    assert (HEBREW if code == "qps-plocm" else ACCENTED).search(text)


def test_the_accented_one_reads_as_english_and_is_about_forty_percent_longer() -> None:
    project = config.load(REPO / "cop-docs.yaml", remember=False)
    pairs = [(e.msgid, pseudo.pseudo_markdown(e.msgid, "qps-ploc"))
             for item in project.catalogs for e in po.read(project.pot_path(item)).messages]
    ratio = sum(len(b) for _, b in pairs) / sum(len(a) for a, _ in pairs)
    assert 1.3 <= ratio <= 1.5, ratio
    assert pseudo.pseudo_markdown("Keeping children safe", "qps-ploc") == "[Ķééééþîîñĝ çĥîîîļðŕéééñ šååƒéé]"
    # one letter for each Latin letter: read back, the words are the English ones, their vowels said longer
    made = pseudo.pseudo_letters(string.ascii_letters, "qps-ploc")
    assert len(set(made)) == 52 and all(unicodedata.category(ch).startswith("L") for ch in made)
    back = pseudo.pseudo_text("Keeping children safe", "qps-ploc").translate(str.maketrans(made, string.ascii_letters))
    assert back == "[Keeeepiing chiiildreeen saafee]"
    assert len(set(pseudo.pseudo_letters(string.ascii_lowercase, "qps-plocm"))) == 26


@pytest.mark.parametrize("code", PSEUDO)
def test_every_message_of_the_real_templates_is_a_usable_translation(code: str) -> None:
    """What coverage, the gate and the build ask of a translation: the same kind of block, no control character,
    no bidi control, not too long."""
    project = config.load(REPO / "cop-docs.yaml", remember=False)
    lang = project.language(code)
    pairs = []
    for item in project.catalogs:
        made = pseudo.catalog(po.read(project.pot_path(item)), lang, pseudo.references_of(project, item))
        pairs += [(e.msgid, e.msgstr) for e in made.messages]
    assert len(pairs) > 1000
    assert [p for p, why in zip(pairs, messages.mismatches(pairs, project.limits), strict=True) if why] == []
    assert [p for p in pairs if messages.added_bidi_controls(*p)] == []
    assert all(s.startswith("[") and s.endswith("]") for _, s in pairs)


def test_the_tools_own_words_option_letters_and_answer_key_agree() -> None:
    letters = locale.gettext("qps-plocm", "a b c d e f g h i j").split()
    assert letters[:3] == ["א", "ב", "ג"]  # the letters Hebrew numbers options with
    answer = pseudo.pseudo_markdown("**b**", "qps-plocm")
    assert answer == f"[**{letters[1]}**]"
    assert locale.gettext("qps-ploc", "a b c d e f g h i j").split()[:3] == ["å", "ƀ", "ç"]
    assert locale.gettext("qps-ploc", "Contents").startswith("[Çöö")
    summary = locale.gettext("qps-ploc", "{n} pages", "download page", n=12)
    assert re.fullmatch(r"\[12 þååĝééš\]", summary)
    assert locale.language_of("qps-plocm") == "qps-plocm"


# --- languages ------------------------------------------------------------------------------------------------


def test_built_in_languages_the_project_file_does_not_list(basic: Path) -> None:
    project = config.load(basic / "cop-docs.yaml")
    ploc, plocm = project.language("qps-ploc"), project.language("qps-plocm")
    assert (ploc.direction, ploc.script, ploc.fonts) == ("ltr", "Latn", project.language("en").fonts)
    assert (plocm.direction, plocm.script, plocm.fonts[0]) == ("rtl", "Hebr", "Noto Serif Hebrew")
    assert ploc.pseudo and plocm.pseudo and not project.language("fr").pseudo
    assert {"qps-ploc", "qps-plocm"}.isdisjoint(project.codes)
    assert project.po_path(project.document("sample"), ploc) == basic / "build/.cache/pseudo/qps-ploc/sample.po"
    matrix = json.loads(run_cli("-C", str(basic), "matrix").stdout)
    assert "qps" not in json.dumps(matrix)
    for command in (["update"], ["check"], ["gate"], ["release", "--shard"], ["tm", "export", "-o", "x.tmx"]):
        result = run_cli("-C", str(basic), *command, "--lang", "qps-plocm")
        assert result.returncode == 2, command
        assert result.stderr.strip().splitlines() == [
            "cop-docs: error: 'qps-plocm' is a pseudo-locale, made from the templates: it can be built, previewed and "
            "counted (build, preview, coverage), not translated, checked or released"]
    result = run_cli("-C", str(basic), "build", "--lang", "qps")
    assert result.returncode == 2 and "pseudo-locales: qps-ploc, qps-plocm" in result.stderr


def test_catalogs_are_made_under_build_and_read_by_other_tools(basic: Path) -> None:
    before = tree_digest(basic / "translations")
    result = run_cli("-C", str(basic), "coverage", "--lang", "qps-ploc", "--lang", "qps-plocm", "--format", "json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)["catalogs"]
    assert {(r["language"], r["messages"]["percent"], r["messages"]["fuzzy"]) for r in rows} == {
        ("qps-ploc", 100.0, 0), ("qps-plocm", 100.0, 0)}
    assert tree_digest(basic / "translations") == before, "translations/ is left alone"
    template = po.read(basic / "translations/sample/sample.pot")
    for code in PSEUDO:
        path = basic / f"build/.cache/pseudo/{code}/sample.po"
        assert subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(path)], capture_output=True).returncode == 0
        units = [u for u in factory.getobject(str(path)).units if not u.isheader()]
        assert [u.source for u in units] == [e.msgid for e in template.messages]
        assert all(u.istranslated() and not u.isfuzzy() for u in units)
        assert [u.target for u in units] == [e.msgstr for e in po.read(path).messages]
    cut = basic / "build/.cache/pseudo/qps-ploc/sample.po"  # a cache file cut short is made again
    cut.write_bytes(cut.read_bytes()[:300])
    result = run_cli("-C", str(basic), "coverage", "--lang", "qps-ploc", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["catalogs"][0]["messages"]["percent"] == 100.0


def tree_digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


# --- built ------------------------------------------------------------------------------------------------


GUIDE_EXTRA = f"""
# Getting help

Ask the [helpline]({HELP} "Helplines near you") for advice, or run `cop-docs check` first.[^2]

::: {{include=imprint}}
:::

[^2]: Helplines are free.
"""

IMPRINT = """::: imprint
**{title}**, {edition} edition. Published by {publisher}.

Available in {languages}.
:::
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The design fixture (one document of each kind) with a link, inline code, a footnote and the imprint added,
    its templates extracted, built in both pseudo-locales."""
    root = copy_root("design", tmp_path_factory.mktemp("pseudo"))
    with open(root / "sources/guide.md", "a", encoding="utf-8") as guide:
        guide.write(GUIDE_EXTRA)
    (root / "sources/imprint.md").write_text(IMPRINT, encoding="utf-8")
    with open(root / "cop-docs.yaml", "a", encoding="utf-8") as project:
        project.write("snippets:\n  - id: imprint\n    sources: [sources/imprint.md]\n")
    assert run_cli("-C", str(root), "extract").returncode == 0
    before = tree_digest(root / "translations")
    result = run_cli("-C", str(root), "build", "--lang", "qps-ploc", "--lang", "qps-plocm", "--json")
    assert result.returncode == 0, result.stderr
    outputs = json.loads(result.stdout)["outputs"]
    assert len(outputs) == 8 and {o["status"] for o in outputs} == {"built"}
    assert all(o["messages"]["untranslated"] == o["messages"]["fuzzy"] == 0 for o in outputs), "nothing shows English"
    assert tree_digest(root / "translations") == before
    return root


def output(root: Path, doc: str, code: str, ext: str = "pdf") -> Path:
    return root / "build" / code / f"{doc}.{code}.{ext}"


def test_a_second_build_is_up_to_date_and_a_template_change_rebuilds_only_its_document(built: Path,
                                                                                      tmp_path: Path) -> None:
    result = run_cli("-C", str(built), "build", "--lang", "qps-plocm", "--lang", "qps-ploc", "--json")
    assert {o["status"] for o in json.loads(result.stdout)["outputs"]} == {"up to date"}
    root = Path(shutil.copytree(built, tmp_path / "p"))

    def keys() -> dict[str, str]:
        project = config.load(root / "cop-docs.yaml")
        lang = project.language("qps-plocm")
        return {doc.id: dependencies.key(project, doc, lang, False, cache.FileHashes(None), None).digest
                for doc in project.documents}

    project = config.load(root / "cop-docs.yaml")
    inputs = dependencies.inputs(project, project.document("guide"), project.language("qps-plocm"))
    assert root / "translations/guide/guide.pot" in inputs and root / "translations/imprint/imprint.pot" in inputs
    assert not any(root / "build" in path.parents for path in inputs), "what the catalog is made from, not the catalog"
    before = keys()
    story = root / "sources/story.md"
    story.write_text(story.read_text(encoding="utf-8").replace("little robot", "tiny robot"), encoding="utf-8")
    assert run_cli("-C", str(root), "extract").returncode == 0
    after = keys()
    assert [doc for doc in before if before[doc] != after[doc]] == ["story"]
    assert run_cli("-C", str(root), "coverage", "--lang", "qps-plocm").returncode == 0
    made = po.read(root / "build/.cache/pseudo/qps-plocm/story.po").by_key()[(None, "This is Pip. Pip is a tiny robot.")]
    assert made.msgstr == pseudo.pseudo_markdown("This is Pip. Pip is a tiny robot.", "qps-plocm")
    assert run_cli("-C", str(root), "clean", "--all").returncode == 0
    assert not (root / "build/qps-ploc").exists() and not (root / "build/qps-plocm").exists()


def test_a_plain_build_and_the_gate_leave_them_out(built: Path) -> None:
    result = run_cli("-C", str(built), "gate", "--json")
    assert "qps" not in result.stdout
    result = run_cli("-C", str(built), "build", "--doc", "story", "--format", "pdf", "--json")
    assert result.returncode == 0, result.stderr
    assert {o["language"] for o in json.loads(result.stdout)["outputs"]} == {"en", "fr", "ar", "zh-Hans"}


@pytest.mark.parametrize("code", PSEUDO)
def test_every_block_on_the_pages_is_pseudo_text_between_brackets(built: Path, code: str) -> None:
    project = config.load(built / "cop-docs.yaml")
    lang = project.language(code)
    for doc in project.documents:
        shown: list = []
        localized.localized(project, doc, lang, sources.load(project, doc), shown=shown)
        texts = [" ".join(stringify(b.segment.get()).split()) for b in shown[0].blocks if b.visible]
        assert texts and [t for t in texts if not re.fullmatch(r"\[.*\]\d*", t)] == [], doc.id
        text = pdf_text(output(built, doc.id, code))
        assert text.count("[") == text.count("]") > 5, "a message cut short loses its closing bracket"
        english = set(re.findall(r"\b[A-Za-z]{2,}\b", text)) - {"Design", "fixture", "cop", "docs", "check"}
        assert english == set(), f"{doc.id}: text left in English"
        assert (HEBREW if code == "qps-plocm" else ACCENTED).search(text)


@pytest.mark.parametrize("code, direction", [("qps-ploc", None), ("qps-plocm", "rtl")])
def test_outputs_carry_the_language_and_direction(built: Path, code: str, direction: str | None) -> None:
    for doc in ("guide", "story", "workbook", "kit"):
        assert PdfReader(output(built, doc, code)).trailer["/Root"]["/Lang"] == code
        with zipfile.ZipFile(output(built, doc, code, "epub")) as book:
            documents = [n for n in book.namelist() if n.endswith(".xhtml")]
            for name in documents:
                root = ET.fromstring(book.read(name))
                assert root.get("lang") == code and root.get("dir") == direction, name
            package = ET.fromstring(book.read("EPUB/content.opf"))
            spine = package.find("{http://www.idpf.org/2007/opf}spine")
            assert spine.get("page-progression-direction") == direction
            language = package.find(".//{http://purl.org/dc/elements/1.1/}language")
            assert language.text == code


@pytest.mark.parametrize("code", PSEUDO)
def test_links_still_point_to_their_targets_and_the_imprint_is_filled(built: Path, code: str) -> None:
    reader = PdfReader(output(built, "guide", code))
    uris = {a.get_object()["/A"]["/URI"] for page in reader.pages for a in page.get("/Annots") or []
            if "/URI" in a.get_object().get("/A", {})}
    assert uris == {HELP}
    with zipfile.ZipFile(output(built, "guide", code, "epub")) as book:
        hrefs = {m for n in book.namelist() if n.endswith(".xhtml") and "nav" not in n
                 for m in re.findall(r'href="(https?://[^"]+)"', book.read(n).decode())}
    assert hrefs == {HELP}
    text = pdf_text(output(built, "guide", code))
    assert "cop-docs check" in text and "2026" in text and "{" not in text
    title = pseudo.pseudo_markdown("Keeping children safe", code)[1:-1]
    assert title in text.replace("\u200f", "").replace("\u200e", "")


# --- design --------------------------------------------------------------------------------------------


def lines(pdf: Path, number: int) -> tuple[float, list[tuple[str, float, float, float]]]:
    """A page's width and its text lines as (text, x_min, x_max, y_min), from poppler."""
    xml = subprocess.run(["pdftotext", "-enc", "UTF-8", "-bbox-layout", "-f", str(number), "-l", str(number), str(pdf),
                          "-"], capture_output=True, text=True, check=True).stdout
    ns = {"h": "http://www.w3.org/1999/xhtml"}
    page = ET.fromstring(xml).find(".//h:page", ns)
    found = [(" ".join(w.text or "" for w in line.iterfind("h:word", ns)),
              *(float(line.get(k)) for k in ("xMin", "xMax", "yMin"))) for line in page.iterfind(".//h:line", ns)]
    return float(page.get("width")), found


def test_the_right_to_left_pages_mirror_the_accented_ones(built: Path) -> None:
    """The guide's first chapter page: running header and page number on the outer edge (right, then left), body
    text from the right margin, the table's first column on the right."""
    for code, outer_right in (("qps-ploc", True), ("qps-plocm", False)):
        width, found = lines(output(built, "guide", code), 3)
        header = [x for x in found if x[3] < 70]
        number = found[-1]
        assert header and number[0] == "3"
        assert (header[0][1] > width / 2) == outer_right and (number[1] > width / 2) == outer_right
        body = [x for x in found if 70 < x[3] < 760]
        if outer_right:
            assert min(x[1] for x in body) < 60
        else:
            assert max(x[2] for x in body) > width - 60
    _, found = lines(output(built, "guide", "qps-plocm"), 3)
    step, done = (next(x for x in found if re.sub(r"[^\u05d0-\u05ea]", "", x[0]) in (word, word[::-1]))
                  for word in (pseudo.pseudo_markdown(w, "qps-plocm")[1:-1] for w in ("Step", "Done")))
    assert step[1] > done[2]


def test_right_to_left_emphasis_is_weight_never_a_fake_italic(built: Path) -> None:
    fonts = subprocess.run(["pdffonts", str(output(built, "guide", "qps-plocm"))], capture_output=True, text=True,
                           check=True).stdout
    assert "Noto-Serif-Hebrew-Bold" in fonts
    assert not re.search(r"Oblique|Italic", fonts), fonts


@pytest.mark.parametrize("code", PSEUDO)
def test_pages_are_filled_and_every_text_meets_contrast(built: Path, code: str) -> None:
    """The design checks of the real set (tests/test_full_set.py, tests/renderers/test_contrast.py) on longer text:
    no short page but where the document asks for one, no chapter spilling a few lines, WCAG AA contrast."""
    from renderers.test_contrast import failures, pairs
    from weasyprint import CSS, HTML

    from cop_docs.renderers import Job, page_fill, pdf, theme
    from cop_docs.templating import THEMES

    project = config.load(built / "cop-docs.yaml")
    lang = project.language(code)
    for doc in project.documents:
        job = Job(project, doc, lang, localized.localized(project, doc, lang, sources.load(project, doc)))
        found = page_fill.fills(pdf.layout(job))
        assert [f.number for f in found if not f.deliberate and f.used < 0.4] == [], doc.id
        assert [f.number for f in found if f.spill and f.used < page_fill.SPILL / 2] == [], doc.id
        if doc.kind in ("campaign-kit", "story-book"):  # the coloured cards and bubbles
            laid = HTML(string=pdf.page_html(job), base_url=str(built) + "/").render(
                stylesheets=[CSS(string=theme.print_css(lang, doc.kind), base_url=str(THEMES) + "/")])
            found_pairs = pairs(laid)
            assert len(found_pairs) > 10 and failures(found_pairs) == []


def test_preview_shows_them(built: Path, tmp_path: Path) -> None:
    root = Path(shutil.copytree(built, tmp_path / "p"))
    result = run_cli("-C", str(root), "preview", "--lang", "qps-ploc", "--lang", "qps-plocm", "--pages", "1",
                     "--doc", "kit")
    assert result.returncode == 0, result.stderr
    index = (root / "build/preview/index.html").read_text(encoding="utf-8")
    assert 'href="qps-ploc/index.html"' in index and 'href="qps-plocm/index.html"' in index
    sheet = (root / "build/preview/qps-plocm/index.html").read_text(encoding="utf-8")
    assert "kit.qps-plocm-1.png" in sheet and (root / "build/preview/qps-plocm/kit.qps-plocm-1.png").is_file()
    assert pseudo.pseudo_markdown("Own your online world", "qps-plocm") in sheet
