"""Benchmark: the share of each PDF's words that pdftotext (poppler) extracts intact, per language and document.

Copies the project's sample set (``cop-docs.yaml``, ``glossary.yaml``, ``sources/``, ``translations/``) to a
temporary folder, builds every PDF the release gate lets through (``SOURCE_DATE_EPOCH`` fixed, one worker
process per core) and compares, PDF by PDF, the words of the text WeasyPrint laid out with the words of
``pdftotext -enc UTF-8`` (poppler's default reading order, as a user or a search index would run it).

The same definitions hold for every language:

- source text: the text of the HTML page the PDF is made from (the localized document through the page
  template), restricted to the elements WeasyPrint laid out, as recorded while it writes the PDF: an element the
  print theme hides (``display: none``, such as a story book's captions) is not on the page. Block-level elements
  and ``<br>`` separate words, inline elements do not. Text the theme generates (page numbers, leaders, running
  headers, list markers) is no source text; it can only add words to the extraction;
- normalisation, both sides: Unicode NFC, case folding (``text-transform`` changes case on the page, not the
  text), and the bidi controls pdftotext puts around direction changes (U+202A–U+202E, U+2066–U+2069, U+200E,
  U+200F) count as spaces;
- word: a maximal run of letters, marks and digits (Unicode categories L, M and N); any other character
  separates words. Arabic vowel marks are part of their word, so a mark extracted out of place breaks it;
- Chinese (and any text in Han ideographs or kana, which has no spaces): the unit is each maximal run of such
  characters, i.e. the text between two punctuation marks, spaces or characters of another script. A line of
  Chinese can break anywhere and pdftotext writes the break as a newline, so newlines between two Han
  characters are removed from the extraction first; a run is intact where it occurs there unbroken. Because
  pdftotext may also join a heading to the next paragraph, runs are found as substrings: a run that the source
  also contains inside longer runs needs as many more occurrences;
- intact: counted with multiplicity, document by document: a word that occurs n times in the source and m times
  in the extraction counts min(n, m) times;
- ``intact_or_hyphenated_percent``: the same once line-end hyphens (``-``, U+2010, U+00AD before a newline) are
  removed from the extraction, which shows how much of the rest is hyphenation rather than wrong text.

Arabic commas (U+060C), for every PDF that has some: how many the source text has, how many pdftotext's
text holds, how many of those it sets apart from their word inside a left-to-right embedding
(``U+202A`` space comma ``U+202C``), and how many stand against their word's letters in the PDF's text layer,
as poppler's own word list (``pdftotext -bbox``) reads them. The last two tell whether the PDF or the extractor
moves a comma off its word.

``--baseline`` also builds and measures the PDFs as WeasyPrint writes them by itself, without
:func:`cop_docs.renderers.pdf_text.extractable_text`. Prints one JSON object on stdout; progress goes to
stderr. Run: ``python benchmarks/text_extraction.py`` (``--lang ar`` for one language, ``--project DIR`` for
another project).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

from _common import emit, log, machine, r, timed
from weasyprint.document import Document
from weasyprint.formatting_structure import boxes

from cop_docs import config, pipeline
from cop_docs.renderers import pdf_text

SOURCE_DATE_EPOCH = "1767225600"  # 2026-01-01: fixed, so no git call decides the date
PROJECT = Path(__file__).resolve().parent.parent
TARGET_PERCENT = 99.0
TARGET_LANGUAGES = ("ar",)
TOP = 12

_BIDI_CONTROLS = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f"), " ")
_HAN_RANGES = ((0x3040, 0x30FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x3FFFF))
_HAN_CLASS = "".join(f"\\U{low:08x}-\\U{high:08x}" for low, high in _HAN_RANGES)
_HAN_LINE_BREAK = re.compile(f"(?<=[{_HAN_CLASS}])[ \t]*\n[ \t\n]*(?=[{_HAN_CLASS}])")
_LINE_END_HYPHEN = re.compile(r"(?<=\w)[-\u2010\u00ad]\n\s*(?=\w)")


# --- words ---------------------------------------------------------------------------------------------------


def normalize(text: str) -> str:
    return unicodedata.normalize("NFC", text.translate(_BIDI_CONTROLS)).casefold()


def _is_han(character: str) -> bool:
    code = ord(character)
    return any(low <= code <= high for low, high in _HAN_RANGES)


def units(text: str) -> tuple[Counter[str], Counter[str]]:
    """The words and the Han runs of a normalized text."""
    words: Counter[str] = Counter()
    han: Counter[str] = Counter()
    current: list[str] = []
    current_han = False

    def flush() -> None:
        if current:
            (han if current_han else words)["".join(current)] += 1
            current.clear()

    for character in text:
        if unicodedata.category(character)[0] not in "LMN":
            flush()
            continue
        is_han = _is_han(character)
        if is_han != current_han:
            flush()
            current_han = is_han
        current.append(character)
    flush()
    return words, han


def intact(source: str, extracted: str) -> dict[str, Any]:
    """How many of the source's words and Han runs the extracted text holds intact (both texts raw)."""
    source, extracted = normalize(source), normalize(extracted)
    words, han = units(source)
    extracted = _HAN_LINE_BREAK.sub("", extracted)
    rejoined = _LINE_END_HYPHEN.sub("", extracted)
    got, _ = units(extracted)
    got_rejoined, _ = units(rejoined)
    found: Counter[str] = Counter()
    found_rejoined: Counter[str] = Counter()
    for word, n in words.items():
        found[word] = min(n, got[word])
        found_rejoined[word] = min(n, max(got[word], got_rejoined[word]))
    for run, n in han.items():
        inside_longer_runs = source.count(run) - n
        found[run] = found_rejoined[run] = max(0, min(n, extracted.count(run) - inside_longer_runs))
    total = sum(words.values()) + sum(han.values())
    broken = (words + han) - found
    return {"words": total, "intact": sum(found.values()), "intact_or_hyphenated": sum(found_rejoined.values()),
            "broken": broken}


def laid_out_text(document: Document) -> str:
    """The text of the HTML elements WeasyPrint laid out, in document order (see the module's definitions)."""
    laid_out: set[int] = set()
    separate: set[int] = set()
    root = None
    stack = [page._page_box for page in document.pages]
    while stack:
        box = stack.pop()
        stack.extend(getattr(box, "children", None) or ())
        element = getattr(box, "element", None)
        if element is None or "::" in (box.element_tag or ""):
            continue
        laid_out.add(id(element))
        if box.element_tag == "br" or not isinstance(box, (boxes.InlineBox, boxes.TextBox, boxes.LineBox)):
            separate.add(id(element))
        if box.element_tag == "html":
            root = element
    parts: list[str] = []

    def walk(element) -> None:
        if id(element) not in laid_out:
            return
        gap = " " if id(element) in separate else ""
        parts.append(gap + (element.text or ""))
        for child in element:
            walk(child)
            parts.append(child.tail or "")
        parts.append(gap)

    if root is not None:
        walk(root)
    return "".join(parts)


# --- building ------------------------------------------------------------------------------------------------


def copy_project(source: Path, into: Path) -> Path:
    root = into / "project"
    root.mkdir()
    for name in (config.CONFIG_NAME, "glossary.yaml"):
        if (source / name).is_file():
            shutil.copy2(source / name, root / name)
    for folder in ("sources", "translations"):
        shutil.copytree(source / folder, root / folder)
    return root


@contextlib.contextmanager
def recording_source_text(into: Path):
    """Writes, for each PDF WeasyPrint writes, the laid-out text to ``into/<pdf name>.txt`` (worker processes
    inherit the wrapper)."""
    original = Document.write_pdf

    def write_pdf(self, target=None, *args, **kwargs):
        # The renderer writes ``.<name>.<random>.part`` next to the output, then renames it.
        name = Path(str(target)).name.lstrip(".").rsplit(".", 2)[0]
        (into / f"{name}.txt").write_text(laid_out_text(self), encoding="utf-8")
        return original(self, target, *args, **kwargs)

    Document.write_pdf = write_pdf
    try:
        yield
    finally:
        Document.write_pdf = original


def build(project: config.Project, langs: list[config.Language], texts: Path, fix: bool) -> None:
    """Every PDF into an empty build folder (so none is skipped as up to date), recording its source text."""
    shutil.rmtree(project.build_dir, ignore_errors=True)
    entry = pdf_text.extractable_text
    if not fix:
        pdf_text.extractable_text = contextlib.nullcontext  # WeasyPrint's own text, for comparison
    try:
        with recording_source_text(texts):
            pipeline.build(project, project.documents, langs, ["pdf"])
    finally:
        pdf_text.extractable_text = entry


def pdftotext(path: Path) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def measure(project: config.Project, langs: list[config.Language], texts: Path) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for lang in langs:
        documents: dict[str, Any] = {}
        broken: Counter[str] = Counter()
        totals = Counter()
        comma_totals: Counter[str] = Counter()
        for doc in project.documents:
            name = f"{doc.id}.{lang.code}.pdf"
            pdf = project.build_dir / lang.code / name
            if not pdf.is_file():
                documents[doc.id] = "not built (withheld by the release gate, or failed)"
                continue
            source, extracted = (texts / f"{name}.txt").read_text(encoding="utf-8"), pdftotext(pdf)
            counts = intact(source, extracted)
            broken += counts.pop("broken")
            totals.update(counts)
            documents[doc.id] = {**counts, "intact_percent": _percent(counts["intact"], counts["words"])}
            found = commas(source, pdf, extracted)
            if found:
                documents[doc.id]["arabic_commas"] = found
                comma_totals.update(found)
        result[lang.code] = {
            "words": totals["words"], "intact": totals["intact"],
            "intact_percent": _percent(totals["intact"], totals["words"]),
            "intact_or_hyphenated_percent": _percent(totals["intact_or_hyphenated"], totals["words"]),
            "documents": documents,
            "most_often_broken": broken.most_common(TOP),
        }
        if comma_totals:
            result[lang.code]["arabic_commas"] = dict(comma_totals)
    return result


ARABIC_COMMA = "\u060c"
_WRAPPED_COMMA = re.compile("\u202a\\s*\u060c")
_BBOX_WORD = re.compile(r"<word [^>]*>([^<]*)</word>")


def commas(source: str, pdf: Path, extracted: str) -> dict[str, int] | None:
    """The Arabic commas of one PDF (see the module's documentation), or None when its text has none."""
    in_source = source.count(ARABIC_COMMA)
    if not in_source:
        return None
    words = _BBOX_WORD.findall(subprocess.run(["pdftotext", "-bbox", "-enc", "UTF-8", str(pdf), "-"],
                                              capture_output=True, text=True, check=True).stdout)
    on_their_word = sum(len(re.findall(f"(?<=\\w){ARABIC_COMMA}|{ARABIC_COMMA}(?=\\w)", word)) for word in words)
    return {"in_source": in_source, "extracted": extracted.count(ARABIC_COMMA),
            "set_apart_by_pdftotext": len(_WRAPPED_COMMA.findall(extracted)),
            "on_their_word_in_the_text_layer": on_their_word}


def _percent(part: int, whole: int) -> float:
    return round(100 * part / whole, 2) if whole else 100.0


def run(project: config.Project, langs: list[config.Language], tmp: Path, fix: bool) -> tuple[float, dict[str, Any]]:
    texts = tmp / ("texts" if fix else "texts-baseline")
    texts.mkdir()
    seconds, _ = timed(lambda: build(project, langs, texts, fix))
    return seconds, measure(project, langs, texts)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", type=Path, default=PROJECT, help="project folder (default: this checkout)")
    parser.add_argument("--lang", action="append", help="only this language (repeatable; default: all)")
    parser.add_argument("--baseline", action="store_true", help="also measure the PDFs WeasyPrint writes by itself")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder and print its path to stderr")
    args = parser.parse_args()
    os.environ["SOURCE_DATE_EPOCH"] = SOURCE_DATE_EPOCH
    tmp = Path(tempfile.mkdtemp(prefix="cop-docs-bench-text-"))
    try:
        root = copy_project(args.project.resolve(), tmp)
        project = config.load(root / config.CONFIG_NAME)
        langs = [project.language(code) for code in args.lang] if args.lang else list(project.languages)
        version = subprocess.run(["pdftotext", "-v"], capture_output=True, text=True).stderr.splitlines()[0]
        result: dict[str, Any] = {"benchmark": "text_extraction", "machine": machine(), "pdftotext": version,
                                  "project": {"documents": [d.id for d in project.documents],
                                              "languages": [lang.code for lang in langs]}}
        if args.baseline:
            log("building the PDFs as WeasyPrint writes them by itself (baseline)")
            seconds, baseline = run(project, langs, tmp, fix=False)
            log(f"  {seconds:.1f} s")
        log("building the PDFs as cop-docs writes them")
        seconds, measured = run(project, langs, tmp, fix=True)
        log(f"  {seconds:.1f} s")
        result["build_s"] = r(seconds)
        result["target"] = {"languages": list(TARGET_LANGUAGES), "intact_percent_at_least": TARGET_PERCENT}
        result["meets_target"] = all(measured[code]["intact_percent"] >= TARGET_PERCENT
                                     for code in TARGET_LANGUAGES if code in measured)
        result["summary_intact_percent"] = {code: value["intact_percent"] for code, value in measured.items()}
        if args.baseline:
            result["summary_intact_percent_without_fix"] = {code: value["intact_percent"]
                                                            for code, value in baseline.items()}
        result["languages"] = measured
        if args.baseline:
            result["languages_without_fix"] = baseline
        emit(result)
    finally:
        if args.keep:
            log(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
