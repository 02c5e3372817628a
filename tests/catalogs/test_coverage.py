"""Translation coverage: counts equal to GNU msgfmt --statistics, word counts, the cache, the project view, reports.

The reference for message counts is msgfmt itself, run on hand-written catalogs (tests/roots/coverage/catalogs,
one feature each) and on seeded random catalogs mixing every feature; the reference for the msgids behind the
word counts is polib. Broken catalogs must raise CatalogError with the file and the line msgfmt names.
"""

from __future__ import annotations

import io
import json
import os
import random
import re
import shutil
import subprocess
import threading
import time
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path

import polib
import pytest
from conftest import REPO, ROOTS

from cop_docs import config, reports
from cop_docs.cache import version as cache_version
from cop_docs.catalogs import coverage
from cop_docs.catalogs.coverage import CatalogCoverage, Counts, CoverageCache, Report
from cop_docs.errors import CatalogError
from cop_docs.words import count_markdown as count_words

ROOT = ROOTS / "coverage"
CATALOGS = ROOT / "catalogs"
MSGFMT = shutil.which("msgfmt") or "/usr/bin/msgfmt"
needs_msgfmt = pytest.mark.skipif(not os.path.exists(MSGFMT), reason="GNU gettext's msgfmt is not installed")
_STATISTICS = re.compile(r"(\d+) translated messages?(?:, (\d+) fuzzy translations?)?(?:, (\d+) untranslated messages?)?")


def msgfmt(path: Path) -> tuple[int, int, int] | tuple[str, int | None]:
    """msgfmt's counts, or ("error", first line it complains about) when it cannot read the file.

    msgfmt still prints its statistics after a semantic complaint such as "'msgid' and 'msgstr' entries do not
    both end with '\\n'" (a matter for quality checks, not for reading): those counts are its counts.
    """
    result = subprocess.run([MSGFMT, "--statistics", "-o", os.devnull, str(path)], capture_output=True, text=True,
                            env={**os.environ, "LC_ALL": "C"})
    m = _STATISTICS.search(result.stderr)
    if m:
        return (int(m.group(1)), int(m.group(2) or 0), int(m.group(3) or 0))
    lines = [int(x) for x in re.findall(rf"^{re.escape(str(path))}:(\d+):", result.stderr, re.M)]
    return ("error", lines[0] if lines else None)


def mine(path: Path) -> tuple[int, int, int]:
    return coverage.count_catalog(path).messages.as_tuple()


# --- the fixture catalogs: one feature each ---------------------------------------------------------------

#: file: (translated, fuzzy, untranslated) messages, as msgfmt counts them (checked against msgfmt below)
EXPECTED = {
    "chinese.po": (2, 1, 1),
    "crlf.po": (1, 1, 1),
    "domain.po": (1, 0, 1),
    "empty.po": (0, 0, 0),
    "fuzzy-empty.po": (0, 1, 3),  # polib's fuzzy_entries() would say 3 fuzzy
    "fuzzy.po": (5, 6, 0),  # only the last "#," line of an entry counts
    "header-empty.po": (1, 0, 1),  # a header with an empty msgstr counts as untranslated
    "header-only.po": (0, 0, 0),
    "latin1.po": (1, 0, 1),
    "msgctxt.po": (4, 1, 1),
    "multiline.po": (5, 0, 2),
    "nul.po": (3, 0, 3),
    "obsolete.po": (1, 1, 0),
    "plural.po": (3, 1, 2),
    "previous.po": (1, 2, 1),
}


def test_every_fixture_catalog_has_an_expectation():
    assert sorted(p.name for p in CATALOGS.glob("*.po")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_counts(name):
    assert mine(CATALOGS / name) == EXPECTED[name]


@needs_msgfmt
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_counts_equal_msgfmt(name):
    assert msgfmt(CATALOGS / name) == EXPECTED[name] == mine(CATALOGS / name)


def test_polib_gets_fuzzy_and_empty_wrong_and_we_do_not():
    po = polib.pofile(str(CATALOGS / "fuzzy-empty.po"))
    assert len(po.fuzzy_entries()) == 3  # polib: fuzzy, even with an empty msgstr
    counts = coverage.count_catalog(CATALOGS / "fuzzy-empty.po")
    assert counts.messages == Counts(translated=0, fuzzy=1, untranslated=3)


def test_language_header_and_words_of_a_fixture():
    counts = coverage.count_catalog(CATALOGS / "chinese.po")
    assert counts.language == "zh_Hans"
    # words of the msgids: "My online safety workbook" 4 + "Lesson 1: My private information" 5 translated;
    # the link's URL and title do not count (11 words); "Write **P** … share.[^1]" 14 words untranslated
    assert counts.words == Counts(9, 11, 14)
    assert coverage.count_catalog(CATALOGS / "domain.po").language is None
    assert coverage.count_catalog(CATALOGS / "latin1.po").words == Counts(2, 0, 3)  # decoded as ISO-8859-1


# --- random catalogs against msgfmt and polib -------------------------------------------------------------

FRAGMENTS = ["Keep your password secret", "Talk to a trusted adult", "Привет, мир", "مَرْحَبًا بالعالم",
             "我的网络安全练习册", "これはペンです", "**bold** and *em* and `code`", "[help pages](https://x.org/a \"t\")",
             "see https://www.example.org/x_y", "a footnote[^1]", 'a "quoted" word', "back\\slash", "tab\there",
             "new\nline", "well-known don't 3.14", "<b>tag</b> &amp;", "![alt text](img.png)", "   ", "%d item"]
FLAGS = ["#,fuzzy", "#, fuzzy", "#, c-format, fuzzy", "#, fuzzy, python-format", "#, no-wrap fuzzy"]
DECOYS = ["# , fuzzy", "#. fuzzy", "#, fuzzy-ish", "#, c-format", "# translator comment", "#: sources/a.md:12"]


def _escape(text: str) -> list[str]:
    """The text as escaped units (a unit is never split across two quoted pieces)."""
    table = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t"}
    return [table.get(ch, ch) for ch in text]


def _field(rng: random.Random, keyword: str, text: str, prefix: str = "", simple: bool = False) -> list[str]:
    units = _escape(text)
    cuts = sorted(rng.sample(range(len(units) + 1), k=min(len(units) + 1, rng.choice([0, 0, 0, 1, 2, 3]))))
    pieces, last = [], 0
    for cut in cuts + [len(units)]:
        pieces.append("".join(units[last:cut]))
        last = cut
    pieces = [p for p in pieces if p] or [""]
    if len(pieces) > 1 and rng.random() < 0.5:
        pieces.insert(0, "")  # the msgmerge style: keyword "" then the lines
    style = rng.random()
    if style < 0.15 and len(pieces) > 1 and not simple:  # several strings on one line (polib cannot read them)
        return [prefix + f"{keyword} " + " ".join(f'"{p}"' for p in pieces)]
    lines = [prefix + f'{keyword} "{pieces[0]}"'] + [prefix + f'"{p}"' for p in pieces[1:]]
    if style > 0.9 and len(lines) > 1 and not prefix:
        lines.insert(1, "")  # a blank line between the strings of one field
    return lines


def random_catalog(rng: random.Random, n: int, simple: bool = False) -> str:
    """A catalog mixing every feature; ``simple``: only what polib reads as gettext does (one string a line,
    one ``#,`` line an entry, no NUL escapes, LF line ends)."""
    lines: list[str] = []

    def field(keyword: str, text: str, prefix: str = "") -> list[str]:
        return _field(rng, keyword, text, prefix, simple)

    header = rng.random()
    if header < 0.8:
        if rng.random() < 0.2:
            lines.append("#, fuzzy")
        lines += ['msgid ""', 'msgstr ""', '"Language: fr\\n"', '"Content-Type: text/plain; charset=UTF-8\\n"',
                  '"Plural-Forms: nplurals=2; plural=(n > 1);\\n"', ""]
    elif header < 0.9:
        lines += ['msgid ""', 'msgstr ""', ""]  # an empty header: counted as untranslated
    headers = 1 if header < 0.9 else 0
    for i in range(n):
        msgid = " ".join(rng.sample(FRAGMENTS, rng.randint(0, 3))) + f" #{i}"
        ctx = rng.choice(["button", "menu", ""]) if rng.random() < 0.15 else None
        if rng.random() < 0.03:
            msgid = ""  # an empty msgid: the header if it has no context
            ctx = None if not headers and rng.random() < 0.5 else f"k{i}"  # a second header would be a duplicate
            headers += ctx is None
        obsolete = rng.random() < 0.08
        prefix = "#~ " if obsolete else ""
        fuzzy = rng.random() < 0.2
        comments = rng.sample([d for d in DECOYS if not (simple and d.startswith("#,"))], rng.randint(0, 2))
        if fuzzy:
            comments.insert(rng.randrange(len(comments) + 1), rng.choice(FLAGS[2:] if simple else FLAGS))  # polib: "#, "
        lines += comments
        if rng.random() < 0.2:  # previous msgid, as msgmerge writes it
            lines += field("msgid", msgid + " (before)", "#~| " if obsolete else "#| ")
        if ctx is not None:
            lines += field("msgctxt", ctx, prefix)
        lines += field("msgid", msgid, prefix)
        translation = rng.choice(["", "", "Traduction", "Перевод", "翻译", "\\0late", "x\\x00b", "a b"]) if rng.random() < 0.5 \
            else "Traduit " + msgid[::-1]
        if simple and "\\" in translation:
            translation = "Traduction"
        if rng.random() < 0.12:
            lines += field("msgid_plural", msgid + " (plural)", prefix)
            forms = rng.randint(1, 3)
            empty = rng.choice([None, None, 0, forms - 1])
            for k in range(forms):
                lines += field(f"msgstr[{k}]", "" if k == empty else translation.replace("\\0late", "") or "y", prefix)
        else:
            if translation in ("\\0late", "x\\x00b"):
                lines.append(f'{prefix}msgstr "{translation}"')  # raw escapes: NUL first is empty, "\x00b" is not
            else:
                lines += field("msgstr", translation, prefix)
        lines += [""] * rng.choice([0, 1, 1, 1, 2])
    text = "\n".join(lines) + "\n"
    if simple:
        return text
    if rng.random() < 0.1:
        text = text.replace("\n", "\r\n")
    if rng.random() < 0.1:
        text = text.rstrip("\r\n")
    return text


def reference_words(path: Path) -> tuple[int, int, int]:
    """Word counts from polib's msgids, with msgfmt's rules for the states."""
    words = [0, 0, 0]
    for e in polib.pofile(str(path)):
        if e.obsolete:
            continue
        first = e.msgstr_plural.get(0, "") if e.msgid_plural else e.msgstr
        if first == "":
            state = 2
        elif e.msgctxt is None and e.msgid == "":
            continue
        else:
            state = 1 if "fuzzy" in re.split(r"[\s,]+", ",".join(e.flags)) else 0
        words[state] += count_words(e.msgid)
    return tuple(words)  # type: ignore[return-value]


def _write_random(folder: Path, seed: int, count: int, simple: bool = False) -> list[Path]:
    rng = random.Random(seed)
    paths = []
    for i in range(count):
        path = folder / f"c{i:03d}.po"
        path.write_bytes(random_catalog(rng, rng.randint(0, 30), simple).encode("utf-8"))
        paths.append(path)
    return paths


@pytest.fixture(scope="module")
def random_catalogs(tmp_path_factory) -> list[Path]:
    return _write_random(tmp_path_factory.mktemp("random-catalogs"), 20261128, 150)


@needs_msgfmt
def test_random_catalogs_equal_msgfmt(random_catalogs):
    disagreements = []
    states = Counts()
    for path in random_catalogs:
        expected = msgfmt(path)
        assert expected[0] != "error", f"the generator wrote a file msgfmt rejects: {path}: {expected}"
        got = mine(path)
        states += Counts(*got)
        if got != expected:
            disagreements.append((path.name, expected, got))
    assert not disagreements
    assert states.translated > 200 and states.fuzzy > 100 and states.untranslated > 200  # every state exercised


def test_random_catalogs_words_equal_polibs(tmp_path):
    """The msgids behind the word counts, and their states, as polib reads them (on files polib can read)."""
    paths = _write_random(tmp_path, 1128, 60, simple=True)
    for path in paths:
        assert coverage.count_catalog(path).words.as_tuple() == reference_words(path), path.name
    assert sum(sum(reference_words(p)) for p in paths) > 3000


def _mutate(rng: random.Random, text: str) -> str:
    """One random edit: a line deleted, doubled or swapped with the next, a character deleted or inserted."""
    lines = text.split("\n")
    i = rng.randrange(len(lines))
    op = rng.choice(["delete", "double", "swap", "drop char", "add char"])
    if op == "delete":
        del lines[i]
    elif op == "double":
        lines.insert(i, lines[i])
    elif op == "swap" and i + 1 < len(lines):
        lines[i], lines[i + 1] = lines[i + 1], lines[i]
    elif lines[i]:
        j = rng.randrange(len(lines[i]))
        extra = rng.choice('"\\#~|[]0 x,') if op == "add char" else ""
        lines[i] = lines[i][:j] + extra + lines[i][j + (op == "drop char"):]
    return "\n".join(lines)


@needs_msgfmt
def test_damaged_catalogs_are_read_or_rejected_as_msgfmt_does(tmp_path):
    """Randomly damaged catalogs: where msgfmt reads one, the counts are equal; where it cannot, we cannot."""
    rng = random.Random(1201)
    outcomes = {"equal": 0, "both rejected": 0}
    for i in range(300):
        path = tmp_path / f"d{i:03d}.po"
        path.write_text(_mutate(rng, random_catalog(rng, rng.randint(1, 12))), encoding="utf-8")
        expected = msgfmt(path)
        try:
            got: tuple = mine(path)
        except CatalogError as exc:
            assert exc.path == str(path) and exc.line, exc
            got = ("error", exc.line)
        if expected[0] == "error":
            assert got[0] == "error", f"{path.name}: msgfmt rejects it (line {expected[1]}), we read {got}"
            outcomes["both rejected"] += 1
        else:
            assert got == expected, path.name
            outcomes["equal"] += 1
    assert outcomes["both rejected"] > 10 and outcomes["equal"] > 200


def test_parallel_reading_gives_the_same_counts(random_catalogs):
    one = coverage.count_many(random_catalogs, parallel=False)
    many = coverage.count_many(random_catalogs, parallel=True)
    assert one == many
    if threading.active_count() == 1 and (os.cpu_count() or 1) > 1:  # else the reader stays in one process
        names = [str(p) for p in random_catalogs]
        assert coverage._parallel(names, [1] * len(names)) == one


# --- broken catalogs ----------------------------------------------------------------------------------------

BROKEN = {
    # name: (text, line msgfmt names or None if it names another, what our message says)
    "unterminated": ('msgid "a"\nmsgstr "x\n', 2, "end-of-line within string"),
    "bad-escape": ('msgid "a"\nmsgstr "x"\n\nmsgid "b\\q"\nmsgstr ""\n', 4, "invalid control sequence"),
    "unknown-keyword": ('msgid "a"\nmsgstr "x"\nmsgfoo "b"\n', 3, 'keyword "msgfoo" unknown'),
    "missing-msgstr": ('msgid "a"\n\nmsgid "b"\nmsgstr "x"\n', 1, "missing 'msgstr' section"),
    "comment-inside": ('msgid "a"\n#, fuzzy\nmsgstr "x"\n', 1, "missing 'msgstr' section"),
    "duplicate": ('msgid "a"\nmsgstr "x"\n\nmsgid "a"\nmsgstr "y"\n', 4, "duplicate message definition"),
    "duplicate-obsolete": ('msgid "a"\nmsgstr "x"\n\n#~ msgid "a"\n#~ msgstr "y"\n', 4, "duplicate message definition"),
    "plural-index": ('msgid "a"\nmsgid_plural "as"\nmsgstr[0] "x"\nmsgstr[2] "y"\n', 4, "plural form has wrong index"),
    "plural-first": ('msgid "a"\nmsgid_plural "as"\nmsgstr[1] "x"\n', 3, "first plural form has nonzero index"),
    "plural-plain": ('msgid "a"\nmsgid_plural "as"\nmsgstr "x"\n', 3, "syntax error"),
    "singular-forms": ('msgid "a"\nmsgstr[0] "x"\n', 1, "missing 'msgid_plural' section"),
    "two-msgstr": ('msgid "a"\nmsgstr "x"\nmsgstr "y"\n', 3, "syntax error"),
    "stray-string": ('"orphan"\nmsgid "a"\nmsgstr "x"\n', 1, "syntax error"),
    "bad-previous": ('#| msgid "unterminated\nmsgid "a"\nmsgstr "x"\n', None, "previous msgid"),
    "half-obsolete": ('#~ msgid "a"\nmsgstr "x"\n', None, "missing 'msgstr' section"),
    "eof-in-string": ('msgid "a"\nmsgstr "x', 2, "end-of-file within string"),
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_catalog_names_file_and_line(tmp_path, name):
    text, line, message = BROKEN[name]
    path = tmp_path / f"{name}.po"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogError) as caught:
        coverage.count_catalog(path)
    err = caught.value
    assert err.path == str(path) and message in err.message
    assert err.line is not None and 1 <= err.line <= text.count("\n") + 1
    if line is not None:
        assert err.line == line


@needs_msgfmt
@pytest.mark.parametrize("name", sorted(BROKEN))
def test_msgfmt_rejects_what_we_reject(tmp_path, name):
    text, line, _ = BROKEN[name]
    path = tmp_path / f"{name}.po"
    path.write_text(text, encoding="utf-8")
    verdict = msgfmt(path)
    assert verdict[0] == "error"
    if line is not None and name != "unterminated":  # msgfmt names the line after an unterminated string
        assert verdict[1] == line


def test_bytes_problems(tmp_path):
    bom = tmp_path / "bom.po"
    bom.write_bytes(b'\xef\xbb\xbfmsgid "a"\nmsgstr "x"\n')
    with pytest.raises(CatalogError, match="byte order mark") as caught:
        coverage.count_catalog(bom)
    assert caught.value.line == 1
    bad = tmp_path / "bad-utf8.po"
    bad.write_bytes(b'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "a"\nmsgstr "\xe9"\n')
    with pytest.raises(CatalogError, match="invalid multibyte sequence") as caught:
        coverage.count_catalog(bad)
    assert caught.value.line == 5
    undeclared = tmp_path / "no-charset.po"  # msgfmt accepts any bytes when no charset is named
    undeclared.write_bytes(b'msgid "a"\nmsgstr "\xe9"\n')
    assert mine(undeclared) == (1, 0, 0)
    with pytest.raises(CatalogError, match="cannot read catalog"):
        coverage.count_catalog(tmp_path / "absent.po")


def test_errors_from_worker_processes_keep_file_and_line(tmp_path, random_catalogs):
    broken = tmp_path / "broken.po"
    broken.write_text('msgid "a"\nmsgstr "x"\n\nmsgid "b"\nmsgstr "x\n', encoding="utf-8")
    with pytest.raises(CatalogError) as caught:
        coverage.count_many(random_catalogs[:10] + [broken], parallel=True)
    assert (caught.value.path, caught.value.line) == (str(broken), 5)


# --- words -----------------------------------------------------------------------------------------------

WORDS = [
    ("Keep your password secret.", 4),
    ("**Bold**, *emphasis*, _underline_ and `code span`", 6),
    ('For more advice, visit the [help pages](https://www.example.org/help "Help for families").', 7),
    ("![A padlock closing over a speech bubble](images/padlock.png)", 7),
    ("See <https://www.example.org/a> or <help@example.org> now", 3),
    ("Visit https://example.org/a_b?x=1&y=2 or www.example.org today", 3),
    ("Know where to get help.[^1] And more[^note-2]", 7),
    ("A [reference link][ref] and a [span]{.notranslate lang=en}", 6),
    ("Heading {#why-this-matters}", 1),
    ("<span class=\"x\">Two words</span>", 2),
    ("Tom &amp; Jerry&nbsp;together, caf&eacute;", 4),
    ("我的网络安全练习册", 9),
    ("第一课：我的私密信息", 9),
    ("9至11岁儿童", 6),
    ("これはペンです。カタカナ", 11),
    ("Mixed 中文 text", 4),
    ("Привет, мир! Как дела?", 4),
    ("مَرْحَبًا بالعالم، كيف حالك؟", 4),
    ("नमस्ते दुनिया", 2),
    ("don't, well-known, l’enfant, 3.14, 1,000 and 2026-11-28", 7),
    ("a.b, end.Next", 4),
    ("", 0),
    ("— … ! ? ☐ 👨‍👩‍👧 ★", 0),
    ("If someone is unkind, I can \\_\\_\\_\\_ them.", 7),
    ("snake_case", 2),
]


@pytest.mark.parametrize("text, expected", WORDS)
def test_count_words(text, expected):
    assert count_words(text) == expected


def test_word_counts_add_up_over_nul_joined_texts():
    """The reader counts each state's msgids joined with NUL in one pass: that must equal the sum."""
    texts = [t for t, _ in WORDS] + ["[open", "bracket](x)", "`a", "b`{.c}", "<b", "c>", "&am", "p;", "1.", "5", "x"]
    rng = random.Random(7)
    for _ in range(200):
        sample = rng.sample(texts, rng.randint(1, 6))
        assert count_words("\0".join(sample)) == sum(count_words(t) for t in sample), sample


@pytest.mark.parametrize("block", [(0x0300, 0x036F), (0x0483, 0x0489), (0x0591, 0x05C7), (0x0610, 0x06ED),
                                   (0x0900, 0x0DFF)])
def test_combining_marks_stay_inside_words(block):
    for cp in range(block[0], block[1] + 1):
        ch = chr(cp)
        if unicodedata.category(ch) in ("Mn", "Mc", "Me"):
            assert count_words("a" + ch + "b") == 1, f"U+{cp:04X} {unicodedata.name(ch, '?')}"


# --- counts and reports ------------------------------------------------------------------------------------


def test_counts_arithmetic():
    a, b = Counts(2, 1, 1), Counts(1, 0, 3)
    assert (a + b) == Counts(3, 1, 4) and (a + b).total == 8
    assert a.percent == 50.0 and Counts().percent == 100.0 and Counts(untranslated=4).percent == 0.0
    assert Counts(1, 0, 2).percent == pytest.approx(100 / 3)
    assert not a.complete and Counts(5).complete


def _catalog(path, lang, doc, audience, messages, words=None, missing=False):
    return CatalogCoverage(path, lang, doc, audience, Counts(*messages), Counts(*(words or messages)), missing)


SAMPLE = Report([
    _catalog("t/guide/fr.po", "fr", "guide", "Parents", (4, 1, 1), (40, 5, 5)),
    _catalog("t/book/fr.po", "fr", "book", "Children", (6, 0, 0), (30, 0, 0)),
    _catalog("t/guide/ar.po", "ar", "guide", "Parents", (2, 0, 4), (10, 0, 40)),
    _catalog("t/book/ar.po", "ar", "book", "Children", (0, 0, 6), (0, 0, 30), missing=True),
])


def test_report_rollups():
    assert SAMPLE.by_language() == {"fr": (Counts(10, 1, 1), Counts(70, 5, 5)), "ar": (Counts(2, 0, 10), Counts(10, 0, 70))}
    assert SAMPLE.by_document() == {"guide": (Counts(6, 1, 5), Counts(50, 5, 45)), "book": (Counts(6, 0, 6), Counts(30, 0, 30))}
    assert list(SAMPLE.by_audience()) == ["Parents", "Children"]
    assert SAMPLE.total() == (Counts(12, 1, 11), Counts(80, 5, 75))
    free = Report([_catalog("x.po", None, None, None, (1, 0, 0))])
    assert free.by_language() == {"und": (Counts(1), Counts(1))} and free.by_document() == {} and free.by_audience() == {}


def test_json_schema():
    data = json.loads(json.dumps(reports.to_json(SAMPLE)))
    assert data["schema"] == 1
    assert list(data) == ["schema", "catalogs", "languages", "documents", "audiences", "total", "command"]
    first = data["catalogs"][0]
    assert first == {"path": "t/guide/fr.po", "language": "fr", "document": "guide", "audience": "Parents",
                     "missing": False, "snippets": [],
                     "messages": {"translated": 4, "fuzzy": 1, "untranslated": 1, "total": 6, "percent": 66.66},
                     "words": {"translated": 40, "fuzzy": 5, "untranslated": 5, "total": 50, "percent": 80.0}}
    assert data["catalogs"][3]["missing"] is True
    assert data["languages"]["fr"]["messages"]["percent"] == 83.33  # 10 of 12, rounded down
    assert data["documents"]["book"]["words"] == {"translated": 30, "fuzzy": 0, "untranslated": 30, "total": 60,
                                                  "percent": 50.0}
    assert data["audiences"]["Children"]["messages"]["total"] == 12
    assert data["total"]["messages"]["translated"] == 12


def test_percentages_are_rounded_down():
    assert reports.floor_percent(Counts(29, 0, 71)) == 29.0  # not 28.99 (float error)
    assert reports.floor_percent(Counts(9999, 0, 1)) == 99.99 and reports.percent_text(Counts(9999, 0, 1)) == "99.9%"
    assert reports.percent_text(Counts(1, 0, 9999)) == "<0.1%" and reports.percent_text(Counts(0, 0, 3)) == "0%"
    assert reports.percent_text(Counts(1, 0, 1)) == "50%" and reports.percent_text(Counts(2, 1, 0)) == "66.6%"
    assert reports.percent_text(Counts(3)) == "100%" and reports.floor_percent(Counts()) == 100.0


def test_markdown():
    text = reports.to_markdown(SAMPLE)
    lines = text.splitlines()
    assert "| Language | Document | Audience | Messages | % | Fuzzy | Untranslated | Words | Words % |" in lines
    assert "| fr | guide | Parents | 4 / 6 | 66.6% | 1 | 1 | 40 / 50 | 80% |" in lines
    assert "| ar | book (no PO file) | Children | 0 / 6 | 0% | 0 | 6 | 0 / 30 | 0% |" in lines
    assert "| **fr** | **all** |  | **10 / 12** | **83.3%** | **1** | **1** | **70 / 80** | **87.5%** |" in lines
    assert "### By audience" in lines
    piped = reports.to_markdown(Report([_catalog("a|b_*x*.po", "fr", None, None, (1, 0, 0))]))
    assert "| fr | a\\|b\\_\\*x\\*.po |" in piped


def _parse_html(text: str) -> ET.Element:
    assert text.startswith("<!DOCTYPE html>\n")
    return ET.fromstring(text.split("\n", 1)[1])  # the page is well-formed XML too (polyglot markup)


def test_html_heat_map():
    page = reports.to_html(SAMPLE)
    root = _parse_html(page)
    assert root.tag == "html" and root.find("head/title").text == "Translation coverage"
    assert root.find(".//script") is None and "javascript" not in page.lower()
    heat = root.find(".//table[@class='heatmap']")
    header = [th.text for th in heat.find("thead/tr")]
    assert header == ["Language", "guide", "book", "All documents"]
    rows = heat.findall("tbody/tr")
    assert [tr.find("th").text for tr in rows] == ["fr", "ar"]
    cells = rows[0].findall("td")
    assert [c.find("span").text for c in cells] == ["66.6%", "100%", "83.3%"]
    styles = [c.get("style") for c in cells]
    assert styles[1] == "background: hsl(130, 55%, 62%)" and styles[0] != styles[2]  # complete is its own green
    assert "no PO file" in "".join(rows[1].itertext())
    assert reports.heat_colour(0).startswith("hsl(0,")


def test_html_escapes_text():
    nasty = Report([_catalog("<script>alert(1)</script>.po", "fr", 'a&b"c', "<i>x</i>", (1, 0, 1))])
    page = reports.to_html(nasty)
    root = _parse_html(page)
    assert "<script>" not in page and "<i>" not in page and root.find(".//script") is None
    assert 'a&b"c' in "".join(root.itertext()) and "<script>alert(1)</script>.po" in "".join(root.itertext())


def test_html_of_free_standing_catalogs():
    root = _parse_html(reports.to_html(Report([_catalog("x/fr.po", "fr", None, None, (1, 1, 0))])))
    assert root.find(".//table[@class='heatmap']") is None and root.find(".//h2").text == "Languages"


def test_badges():
    svg = reports.badge_svg("fr & <co>", 86.99)
    root = ET.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg" and int(root.get("width")) > 60
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert texts == ["fr & <co>", "fr & <co>", "86.9%", "86.9%"]
    assert 'fill="#a4a61d"' in svg
    assert 'fill="#4c1"' in reports.badge_svg("x", 100) and "100%" in reports.badge_svg("x", 100)
    assert 'fill="#e05d44"' in reports.badge_svg("x", 3) and 'fill="#dfb317"' in reports.badge_svg("x", 50)
    assert "99.9%" in reports.badge_svg("x", 99.99) and ">29%<" in reports.badge_svg("x", 28.999999999999996)
    tiny = ET.fromstring(reports.badge_svg("x", 0.01))  # well-formed: "<0.1%" escaped
    assert tiny.get("aria-label") == "x: <0.1%" and ">0%<" in reports.badge_svg("x", 0)
    wide = ET.fromstring(reports.badge_svg("中文翻译", 10))
    assert int(wide.get("width")) > int(ET.fromstring(reports.badge_svg("zh", 10)).get("width"))
    both = reports.badges(SAMPLE)
    assert list(both) == ["fr", "ar"] and "83.3%" in both["fr"] and "16.6%" in both["ar"]


def test_terminal_table():
    from rich.console import Console

    out = io.StringIO()
    reports.print_table(SAMPLE, Console(file=out, width=110, force_terminal=True, color_system="truecolor"))
    text = out.getvalue()
    assert "\x1b[" in text  # coloured
    plain = re.sub(r"\x1b\[[0-9;]*m", "", text)
    assert "Translation coverage" in plain and "By audience" in plain
    fr_rows = [line for line in plain.splitlines() if line.startswith("fr ")]
    assert len(fr_rows) == 3 and "all" in fr_rows[2] and "83.3%" in fr_rows[2] and "10/12" in fr_rows[2]
    assert "(no PO file)" in plain
    out = io.StringIO()
    reports.print_table(Report([]), Console(file=out, width=80))
    assert out.getvalue().strip() == "No catalogs."


# --- projects and folders -----------------------------------------------------------------------------------


@pytest.fixture
def project(tmp_path) -> config.Project:
    root = tmp_path / "project"
    shutil.copytree(ROOT / "project", root)
    return config.load(root / config.CONFIG_NAME)


def test_project_coverage(project):
    rows = coverage.project_coverage(project)
    assert [(c.language, c.document) for c in rows] == [("fr", "guide"), ("fr", "workbook"), ("ar", "guide"),
                                                        ("ar", "workbook"), ("zh-Hans", "guide"), ("zh-Hans", "workbook")]
    fr_guide = rows[0]
    assert fr_guide.path == "translations/guide/fr.po" and fr_guide.audience == "Parents and carers"
    assert fr_guide.messages == Counts(4, 1, 1) and fr_guide.words == Counts(22, 4, 4) and not fr_guide.missing
    ar_book = rows[3]  # no PO file: every message of the template is untranslated
    assert ar_book.missing and ar_book.path == "translations/workbook/ar.po"
    assert ar_book.messages == Counts(0, 0, 6) and ar_book.words == Counts(0, 0, 22)
    assert rows[4].language == "zh-Hans"  # the project's code, not the header's zh_Hans
    report = Report(rows)
    assert report.by_audience()["Children aged 9 to 11"][0] == Counts(6, 0, 12)
    assert report.by_language()["zh-Hans"] == (Counts(6, 0, 6), Counts(30, 0, 22))


@needs_msgfmt
def test_project_coverage_equals_msgfmt_on_the_sample_project():
    sample = config.load(REPO / "cop-docs.yaml")
    rows = coverage.project_coverage(sample)
    assert len(rows) == len(sample.documents) * len(sample.target_languages)
    for row in rows:
        assert not row.missing
        expected = [msgfmt(sample.root / path) for path in (row.path, *row.snippets)]  # included snippets count too
        assert tuple(map(sum, zip(*expected, strict=True))) == row.messages.as_tuple(), row.path


def test_project_without_template(project):
    (project.root / "translations" / "workbook" / "workbook.pot").unlink()
    with pytest.raises(CatalogError, match="no template") as caught:
        coverage.project_coverage(project)
    assert caught.value.path.endswith("workbook.pot")


def test_scan_files_and_folders(tmp_path):
    rows = coverage.scan([CATALOGS])
    assert [Path(c.path).name for c in rows] == sorted(EXPECTED)
    assert all(c.document is None and c.audience is None for c in rows)
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    shutil.copy(CATALOGS / "plural.po", nested / "x.po")
    shutil.copy(CATALOGS / "fuzzy.po", tmp_path / "a" / "y.po")
    (tmp_path / "a" / "notes.txt").write_text("not a catalog")
    rows = coverage.scan([tmp_path / "a", CATALOGS / "chinese.po"])
    assert [c.path for c in rows] == [str(nested / "x.po"), str(tmp_path / "a" / "y.po"), str(CATALOGS / "chinese.po")]
    assert rows[2].language == "zh_Hans"
    with pytest.raises(CatalogError, match="no such file"):
        coverage.scan([tmp_path / "nothing"])


def test_catalog_coverage_options():
    c = coverage.catalog_coverage(CATALOGS / "plural.po", shown_path="p.po", document="d", audience="a", language="fr-CA")
    assert (c.path, c.language, c.document, c.audience, c.messages) == ("p.po", "fr-CA", "d", "a", Counts(3, 1, 2))
    assert coverage.catalog_coverage(CATALOGS / "plural.po").path == str(CATALOGS / "plural.po")


# --- the cache ---------------------------------------------------------------------------------------------


def _age(paths, seconds=60):
    then = time.time() - seconds
    for p in paths:
        os.utime(p, (then, then))


def _no_reading(monkeypatch):
    def refuse(path):
        raise AssertionError(f"read {path} although the cache is up to date")

    monkeypatch.setattr(coverage, "count_catalog", refuse)


def test_cache_answers_without_reading(tmp_path, monkeypatch):
    folder = tmp_path / "po"
    shutil.copytree(CATALOGS, folder)
    _age(folder.glob("*.po"))
    cache_file = tmp_path / "cache" / "coverage.json"
    first = coverage.scan([folder], CoverageCache(cache_file))
    assert cache_file.is_file()
    with monkeypatch.context() as m:
        _no_reading(m)
        cache = CoverageCache(cache_file)
        assert coverage.scan([folder], cache) == first
        assert (cache.hits, cache.misses, cache.dirty) == (len(EXPECTED), 0, False)
    # a changed file is read again (same size, new mtime), the others are not
    changed = folder / "plural.po"
    changed.write_text(changed.read_text(encoding="utf-8").replace('msgstr[0] "%d photo"', 'msgstr[0] ""        '),
                       encoding="utf-8")
    _age([changed], 30)
    cache = CoverageCache(cache_file)
    again = coverage.scan([folder], cache)
    assert (cache.hits, cache.misses) == (len(EXPECTED) - 1, 1)
    assert {c.path: c.messages for c in again}[str(changed)] == Counts(2, 1, 3)


def test_cache_does_not_trust_files_written_just_now(tmp_path):
    path = tmp_path / "fresh.po"
    shutil.copy(CATALOGS / "fuzzy.po", path)
    cache = CoverageCache(tmp_path / "c.json")
    coverage.scan([path], cache)
    assert str(path.resolve()) not in cache.entries and os.path.abspath(path) not in cache.entries
    _age([path])
    coverage.scan([path], cache)
    assert os.path.abspath(path) in cache.entries


def test_cache_file_problems(tmp_path, monkeypatch):
    path = tmp_path / "a.po"
    shutil.copy(CATALOGS / "fuzzy.po", path)
    _age([path])
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    assert coverage.scan([path], CoverageCache(broken))[0].messages == Counts(5, 6, 0)
    assert json.loads(broken.read_text())["version"] == cache_version()  # rewritten
    other_version = tmp_path / "old.json"
    data = json.loads(broken.read_text())
    data["version"] = "another"
    other_version.write_text(json.dumps(data))
    assert CoverageCache(other_version).load().entries == {}
    readonly = CoverageCache(tmp_path / "file-not-folder" / "c.json")
    (tmp_path / "file-not-folder").write_text("")
    assert coverage.scan([path], readonly)[0].messages == Counts(5, 6, 0)  # an unwritable cache is no error
    # entries of deleted files are dropped when the cache is saved
    gone = tmp_path / "gone.po"
    shutil.copy(CATALOGS / "plural.po", gone)
    _age([gone])
    cache = CoverageCache(tmp_path / "prune.json")
    coverage.scan([path, gone], cache)
    gone.unlink()
    cache.dirty = True
    cache.save()
    assert list(CoverageCache(tmp_path / "prune.json").load().entries) == [os.path.abspath(path)]


def test_cache_locations(project, monkeypatch, tmp_path):
    assert CoverageCache.for_project(project).path == project.root / "build" / ".cache" / "coverage.json"
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert CoverageCache.for_paths().path == tmp_path / "xdg" / "cop-docs" / "coverage.json"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert CoverageCache.for_paths().path == tmp_path / "home" / ".cache" / "cop-docs" / "coverage.json"


def test_project_cache_and_missing_files(project, monkeypatch):
    for po in project.translations_dir.rglob("*.po*"):
        _age([po])
    cache = CoverageCache.for_project(project)
    first = coverage.project_coverage(project, cache)
    with monkeypatch.context() as m:
        _no_reading(m)
        assert coverage.project_coverage(project, CoverageCache.for_project(project)) == first


def test_warm_run_over_500_catalogs_is_fast(tmp_path, monkeypatch):
    folder = tmp_path / "many"
    folder.mkdir()
    text = (CATALOGS / "fuzzy.po").read_bytes()
    paths = []
    for i in range(500):
        path = folder / f"{i:03d}.po"
        path.write_bytes(text)
        paths.append(path)
    _age(paths)
    cache_file = tmp_path / "c.json"
    coverage.scan([folder], CoverageCache(cache_file))
    _no_reading(monkeypatch)
    best = min(_timed(lambda: coverage.scan([folder], CoverageCache(cache_file))) for _ in range(3))
    assert best < 0.25, f"{best:.3f} s to answer 500 catalogs from the cache (target ~0.1 s)"


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start
