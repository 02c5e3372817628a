"""Every command reads a PO file as GNU gettext does: a property test over generated catalogs.

Hypothesis writes catalogs the way people and tools do — several flag lines (``#, fuzzy`` then ``#, c-format``),
``#,fuzzy`` without a space, ``#!`` lines, obsolete and previous entries, contexts, plural forms, escapes and
NULs, UTF-8 or ISO-8859-1, CRLF line ends, no final newline — and, entry by entry, what cop-docs makes of each
must be what GNU gettext makes of it: the counts of ``msgfmt --statistics``, and the translations that the
``.mo`` file msgfmt compiles holds (read back with Python's own ``gettext`` module, a reader of its own). The
views compared are the ones the commands use: coverage (of the file alone, and measured against a template
holding its messages, as the gate sees it), the build's translation table and the entries the checks look at.
"""

from __future__ import annotations

import gettext
import os
import re
import subprocess
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cop_docs.catalogs import coverage, po
from cop_docs.checks import _messages as checked_messages

_STATISTICS = re.compile(r"(\d+) translated messages?(?:, (\d+) fuzzy translations?)?(?:, (\d+) untranslated messages?)?")
LATIN = "abcdefghijklmnopqrstuvwxyzéèàçüöñÉÀ"
WIDE = LATIN + "йжщ中文عربي"

FLAG_LINES = ["#, fuzzy", "#, c-format", "#,fuzzy", "#, fuzzy, c-format", "#! fuzzy", "#, no-wrap", "#, python-format"]


@st.composite
def words(draw, alphabet: str, nul: bool = False) -> str:
    """A message: words of the alphabet, starting with a letter, with an escape (or a NUL) now and then."""
    parts = draw(st.lists(st.text(alphabet, min_size=1, max_size=8), min_size=1, max_size=6))
    text = " ".join(parts)
    extras = ["", "", "", "\\t", "\\\"", "\\\\", "\\n", "\\x41"] + (["\\0tail"] if nul else [])
    extra = draw(st.sampled_from(extras))  # never last: msgfmt wants a msgid and its msgstr to end alike
    return text + (f" {extra} end" if extra else "")


@st.composite
def entries(draw, alphabet: str) -> list[dict]:
    msgids = draw(st.lists(words(alphabet), min_size=0, max_size=25, unique=True))
    out = []
    for msgid in msgids:
        entry = {
            "msgid": msgid,
            "msgctxt": draw(st.sampled_from([None, None, None, "button", "menu"])),
            "flags": draw(st.lists(st.sampled_from(FLAG_LINES), max_size=3)),
            "previous": draw(st.sampled_from([None, None, "an older text"])),
            "comments": draw(st.sampled_from([[], ["# a translator's note"], ["#. paragraph", "#: src/a.md:3"]])),
            "obsolete": draw(st.booleans().map(lambda b: b and draw(st.integers(0, 9)) == 0)),
            "plural": None,
            "msgstr": draw(st.sampled_from(["", "", "\\0late"]) | words(alphabet, nul=True)),
        }
        if draw(st.integers(0, 9)) == 0:
            forms = draw(st.integers(1, 3))
            entry["plural"] = msgid + " (plural)"
            entry["forms"] = [draw(st.sampled_from(["", "form"]) | words(alphabet, nul=True)) for _ in range(forms)]
        out.append(entry)
    # a message is unique by (context, msgid), obsolete ones included
    seen, unique = set(), []
    for e in out:
        if (e["msgctxt"], e["msgid"]) not in seen:
            seen.add((e["msgctxt"], e["msgid"]))
            unique.append(e)
    return unique


@st.composite
def catalogs(draw) -> tuple[bytes, int]:
    charset = draw(st.sampled_from(["UTF-8", "UTF-8", "ISO-8859-1"]))
    alphabet = LATIN if charset == "ISO-8859-1" else WIDE
    found = draw(entries(alphabet))
    lines = ['msgid ""', 'msgstr ""', '"Language: fr\\n"', '"MIME-Version: 1.0\\n"',
             f'"Content-Type: text/plain; charset={charset}\\n"', '"Content-Transfer-Encoding: 8bit\\n"',
             '"Plural-Forms: nplurals=3; plural=(n==1 ? 0 : n==2 ? 1 : 2);\\n"', ""]
    for e in found:
        block = [*e["comments"], *e["flags"]]
        prefix = "#~ " if e["obsolete"] else ""
        if e["previous"] and not e["obsolete"]:
            block.append(f'#| msgid "{e["previous"]}"')
        if e["msgctxt"]:
            block.append(f'{prefix}msgctxt "{e["msgctxt"]}"')
        block.append(f'{prefix}msgid "{e["msgid"]}"')
        if e["plural"]:
            block.append(f'{prefix}msgid_plural "{e["plural"]}"')
            block += [f'{prefix}msgstr[{i}] "{form}"' for i, form in enumerate(e["forms"])]
        elif draw(st.booleans()) and e["msgstr"]:  # a string continued over lines, as tools wrap: not in an escape
            escapes = [range(m.start() + 1, m.end()) for m in re.finditer(r"\\(x[0-9A-Fa-f]+|.)", e["msgstr"])]
            half = len(e["msgstr"]) // 2
            while any(half in span for span in escapes):
                half -= 1
            block += [f'{prefix}msgstr ""', f'{prefix}"{e["msgstr"][:half]}"', f'{prefix}"{e["msgstr"][half:]}"']
        else:
            block.append(f'{prefix}msgstr "{e["msgstr"]}"')
        lines += [*block, ""]
    text = "\n".join(lines)
    if draw(st.integers(0, 9)) == 0:
        text = text.replace("\n", "\r\n")
    if draw(st.integers(0, 9)) == 0:
        text = text.rstrip("\r\n")
    return text.encode(charset.lower()), len(found)


def _msgfmt(path: Path) -> tuple[tuple[int, int, int], dict]:
    """GNU msgfmt's statistics of a catalog, and the translations of the .mo file it compiles (one run)."""
    mo = path.with_suffix(".mo")
    result = subprocess.run(["msgfmt", "--statistics", "-o", str(mo), str(path)], capture_output=True, text=True,
                            env={**os.environ, "LC_ALL": "C"})
    m = _STATISTICS.search(result.stderr)
    assert m and result.returncode == 0, result.stderr
    return (int(m.group(1)), int(m.group(2) or 0), int(m.group(3) or 0)), _compiled(mo)


def _compiled(mo: Path) -> dict:
    """The translations of a .mo file, as Python's gettext reads them (header left out)."""
    with open(mo, "rb") as fh:
        table = dict(gettext.GNUTranslations(fh)._catalog)  # noqa: SLF001 - the module's own table, as it reads it
    table.pop("", None)
    return table


def _ours(catalog: po.Catalog) -> dict:
    """The same table from cop-docs' entries: what a translated entry gives."""
    table: dict = {}
    for e in catalog.entries:
        if e.obsolete or e.state != po.TRANSLATED:
            continue
        key = e.msgid if e.msgctxt is None else f"{e.msgctxt}\x04{e.msgid}"
        if e.msgid_plural is None:
            table[key] = e.msgstr
        else:
            table.update({(key, i): form for i, form in enumerate(e.msgstr_plural)})
    return table


AGREEMENT = {"catalogs": 0, "entries": 0}


# 160 catalogs in the test run; `nox -s fuzz` (COP_DOCS_FUZZ_EXAMPLES=500) generates 4,000
@settings(max_examples=8 * int(os.environ.get("COP_DOCS_FUZZ_EXAMPLES", "20")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(catalogs())
def test_every_command_reads_a_catalog_as_gnu_gettext_does(generated: tuple[bytes, int]) -> None:
    data, count = generated
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fr.po"
        path.write_bytes(data)
        catalog = po.read(path)
        counts, compiled = _msgfmt(path)
        # coverage of the file alone is msgfmt's
        assert coverage.count_catalog(path).messages.as_tuple() == counts
        # the translations used are those the compiled catalog holds, entry by entry
        assert _ours(catalog) == compiled
        singular = {k: v for k, v in compiled.items() if isinstance(k, str)}
        # the build (po2md's table; no translation here reads as another kind of block)
        assert {(f"{c}\x04{m}" if c is not None else m): v
                for (c, m), v in coverage.catalog_translations(catalog).items()} == singular
        # the gate and the project's coverage: measured against a template of the same messages
        template = po.Catalog([po.Entry(e.msgid, "", e.msgctxt, e.msgid_plural) for e in catalog.entries
                               if not e.obsolete])
        states = coverage.measure(template, catalog, {})
        translated = {(f"{m.msgctxt}\x04{m.msgid}" if m.msgctxt is not None else m.msgid) for m in states
                      if m.state == po.TRANSLATED}
        assert translated == {k if isinstance(k, str) else k[0] for k in compiled}
        # the checks look at exactly the translated entries
        messages, _ = checked_messages(catalog)
        assert {(f"{m.context}\x04{m.msgid}" if m.context is not None else m.msgid) for m in messages
                if m.msgid in {e.msgid for e in catalog.entries}} == {k for k in singular} | {
                    k[0] for k in compiled if not isinstance(k, str)}
    AGREEMENT["catalogs"] += 1
    AGREEMENT["entries"] += count
