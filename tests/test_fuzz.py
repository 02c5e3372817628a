"""A fuzz suite that keeps cop-docs hardened: generated hostile and malformed input, run through the commands.

Hypothesis writes hostile translations (markup, entities, control and bidi characters, deep nesting, huge
strings, URLs of local files, fences) and damages PO files, project files and Markdown masters. Whatever it
writes, every command ends either normally or with a cop-docs error naming a file (and a line where there is
one) — never another exception; no file outside the project is opened (an audit hook records every open); and a
built output holds every block it shows (the build's parity check would fail it otherwise).

CI runs a bounded number of examples (``COP_DOCS_FUZZ_EXAMPLES``, 20 by default); ``nox -s fuzz`` runs many more
and prints what was tried.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections import Counter
from pathlib import Path

import polib
import pytest
from conftest import ROOTS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cop_docs import checks, config, gate, pipeline, slices, sources
from cop_docs.catalogs import coverage, po, sync
from cop_docs.errors import CopDocsError

EXAMPLES = int(os.environ.get("COP_DOCS_FUZZ_EXAMPLES", "20"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=not os.environ.get("COP_DOCS_FUZZ_RANDOM"),
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture])
TALLY: Counter = Counter()

_OPENED: list[str] | None = None


def _record(event: str, args: tuple) -> None:
    if _OPENED is not None and event == "open" and isinstance(args[0], str):
        _OPENED.append(args[0])


sys.addaudithook(_record)  # permanent, as audit hooks are; it records only while a test asks

#: What the commands may open outside the project: the interpreter and its packages, fonts, temporary files.
ALLOWED = (sys.prefix, sys.base_prefix, str(Path(pipeline.__file__).parent), os.path.join(tempfile.gettempdir(), "tmp"),
           "/usr/share/fonts", "/usr/local/share/fonts", "/etc/fonts", "/var/cache/fontconfig", "/usr/share/zoneinfo",
           "/etc/mime.types", "/dev/null", os.path.expanduser("~/.cache"))


def _outside(root: Path, opened: list[str]) -> list[str]:
    real = os.path.realpath(root)
    return [p for p in opened if not os.path.realpath(p).startswith(real) and not p.startswith(ALLOWED)
            and p != tempfile.gettempdir() and os.path.dirname(p) != tempfile.gettempdir()]


@pytest.fixture(scope="module", autouse=True)
def report():
    yield
    if TALLY:
        print("\nfuzz:", dict(sorted(TALLY.items())))


def _copy(tmp: str) -> Path:
    root = Path(tmp) / "basic"
    shutil.copytree(ROOTS / "basic", root, ignore=shutil.ignore_patterns("build"))
    return root


def _one_line(exc: CopDocsError) -> None:
    """A user's error: it names a file and reads as one line."""
    assert exc.path, exc
    assert "\n" not in str(exc).strip(), exc


# --- hostile translations, built -------------------------------------------------------------------------

PIECES = ["Jouez", " ", "ensemble", "*", "**", "_", "`", "[", "]", "(", ")", "<", ">", "&", "&#x202E;", "&#0;", "&lt;",
          "&amp;", "\u202e", "\u2066", "\u200f", "\x01", "\x7f", "\ufeff", "\\", "\n", "\n\n", "---", "# ", "- ", "1. ",
          "> ", "| a |", ":::", "```", "[^1]", "[^9]", "![x](/etc/hostname)", "[x](file:///etc/passwd){rel=attachment}",
          '<img src="/proc/self/environ">', "<script>alert(1)</script>", '"', "'", "]]>", "{#id .cls}", "$x$", "^", "~",
          "中文", "عربي", "ё", "\U0001F600"]


@st.composite
def hostile(draw) -> str:
    text = "".join(draw(st.lists(st.sampled_from(PIECES), max_size=40)))
    if draw(st.integers(0, 9)) == 0:
        text = "*" * draw(st.integers(50, 300)) + text + "*" * draw(st.integers(50, 300))  # deep emphasis
    if draw(st.integers(0, 19)) == 0:
        text += "Jouez ensemble. " * draw(st.integers(100, 3000))  # huge
    return text


@FUZZ
@given(st.lists(hostile(), min_size=1, max_size=4))
def test_hostile_translations_are_built_or_refused_in_one_line(msgstrs: list[str]) -> None:
    global _OPENED
    with tempfile.TemporaryDirectory() as tmp:
        root = _copy(tmp)
        path = root / "translations/sample/fr.po"
        catalog = polib.pofile(str(path))
        targets = [e for e in catalog if e.msgstr and not e.obsolete]
        for entry, msgstr in zip(targets, msgstrs, strict=False):
            entry.msgstr = msgstr
        catalog.save(str(path))
        project = config.load(root / "cop-docs.yaml")
        _OPENED = []
        try:
            coverage.project_coverage(project)
            gate.decide(project)
            found = checks.check_project(project, langs=["fr"])
            outcomes = pipeline.build(project, project.documents, [project.language("fr")], ["pdf", "epub"], jobs=1)
        except CopDocsError as exc:
            _one_line(exc)
            TALLY["translations: refused in one line"] += 1
        else:
            (outcome,) = outcomes
            if outcome.status == pipeline.FAILED:
                assert "\n" not in outcome.detail.strip() and "unexpected" not in outcome.detail, outcome.detail
                TALLY["translations: output failed in one line"] += 1
            else:
                assert outcome.status == pipeline.BUILT and outcome.report.blocks > 5
                TALLY["translations: built, every block present"] += 1
            TALLY["translations: check problems"] += len(found)
        finally:
            opened, _OPENED = _OPENED, None
        assert _outside(root, opened) == []
        TALLY["translations: tried"] += 1


# --- malformed catalogs, project files and masters ----------------------------------------------------------

EDITS = ["delete line", "double line", "swap lines", "drop char", "add char", "truncate"]
NOISE = '"\\#~|[]0 x,:-{}\x00\ufeff\u202e\n\t'


@st.composite
def damaged(draw, text: str) -> str:
    lines = text.split("\n")
    for _ in range(draw(st.integers(1, 4))):
        if not lines:
            break
        op = draw(st.sampled_from(EDITS))
        i = draw(st.integers(0, len(lines) - 1))
        if op == "delete line":
            del lines[i]
        elif op == "double line":
            lines.insert(i, lines[i])
        elif op == "swap lines" and i + 1 < len(lines):
            lines[i], lines[i + 1] = lines[i + 1], lines[i]
        elif op == "truncate":
            lines = lines[: i + 1]
        elif lines[i]:
            j = draw(st.integers(0, len(lines[i]) - 1))
            extra = draw(st.sampled_from(NOISE)) if op == "add char" else ""
            lines[i] = lines[i][:j] + extra + lines[i][j + (op == "drop char"):]
    return "\n".join(lines)


FR_PO = (ROOTS / "basic/translations/sample/fr.po").read_text(encoding="utf-8")
CONFIG = (ROOTS / "basic/cop-docs.yaml").read_text(encoding="utf-8")
MASTER = (ROOTS / "basic/sources/sample.md").read_text(encoding="utf-8") + (
    "\n::: tip\nA tip.\n:::\n\n```\ncode\n```\n\n> quote\n\n<img src=\"images/shield.svg\" alt=\"a shield\">\n")


@FUZZ
@given(damaged(FR_PO))
def test_a_damaged_catalog_is_read_or_refused_at_its_line(text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = _copy(tmp)
        path = root / "translations/sample/fr.po"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        project = config.load(root / "cop-docs.yaml")
        try:
            po.read(path)
            coverage.project_coverage(project)
            checks.check_project(project, langs=["fr"])
            sync.update_catalogs(project, project.catalogs, [project.language("fr")])
            TALLY["catalogs: read"] += 1
        except CopDocsError as exc:
            _one_line(exc)
            assert exc.line or "charset" in exc.message or "byte order" in exc.message, exc
            TALLY["catalogs: refused at a line"] += 1


@FUZZ
@given(damaged(CONFIG))
def test_a_damaged_project_file_is_read_or_refused_at_its_line(text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = _copy(tmp)
        (root / "cop-docs.yaml").write_text(text, encoding="utf-8")
        try:
            config.load(root / "cop-docs.yaml")
            TALLY["project files: read"] += 1
        except CopDocsError as exc:
            _one_line(exc)
            TALLY["project files: refused"] += 1


@FUZZ
@given(damaged(MASTER))
def test_a_damaged_master_is_read_or_refused(text: str) -> None:
    global _OPENED
    with tempfile.TemporaryDirectory() as tmp:
        root = _copy(tmp)
        (root / "sources/sample.md").write_text(text, encoding="utf-8")
        project = config.load(root / "cop-docs.yaml")
        _OPENED = []
        try:
            sources.load(project, project.document("sample"))
            sync.extract_templates(project, project.catalogs)
            TALLY["masters: read"] += 1
        except CopDocsError as exc:
            _one_line(exc)
            TALLY["masters: refused"] += 1
        finally:
            opened, _OPENED = _OPENED, None
        assert _outside(root, opened) == []


_SAMPLE_BLOCKS = [block for path in sorted((Path(__file__).parent / "samples").glob("*.md"))
                  for block in path.read_text(encoding="utf-8").split("\n\n") if block.strip()]


@FUZZ
@given(st.lists(st.tuples(st.sampled_from(_SAMPLE_BLOCKS), st.booleans()), min_size=2, max_size=40),
       st.integers(min_value=1, max_value=400))
def test_a_master_of_any_blocks_reads_the_same_in_parts(blocks: list[tuple[str, bool]], size: int) -> None:
    """Blocks of the construct samples in any order, a heading before some: cut into parts of any size, the
    reading is the reading of the whole (or the same refusal)."""
    text = "\n\n".join(f"# Part {i}\n\n{block}" if heading else block for i, (block, heading) in enumerate(blocks))

    def reading(part_chars: int):
        real = slices.PART_CHARS
        slices.PART_CHARS = part_chars
        try:
            r = slices.read(text)
            return [(s.msgid, s.comment, s.context, s.line, s.span) for s in r.slices], r.references, r.images, \
                r.raw_html, r.depth, r.link_targets
        except CopDocsError as exc:
            return str(exc)
        finally:
            slices.PART_CHARS = real

    assert reading(size) == reading(10**9)
    TALLY["masters read in parts"] += 1
