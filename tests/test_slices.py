"""Messages as the author wrote them: source slices, found by markdown-it-py, agree with pandoc's reading."""

from __future__ import annotations

import email
import glob
import sys
from pathlib import Path

import pytest
from conftest import REPO, TESTS

from cop_docs import pandoc, segments, slices
from cop_docs.errors import SourceError

SAMPLES = sorted((TESTS / "samples").glob("*.md"))
MASTERS = sorted((REPO / "sources").glob("*/*.md"))


def _agree(text: str, name: str) -> list[slices.Slice]:
    found = slices.slices(text)
    segs = segments.segments(pandoc.read_markdown(text, path=name))
    assert slices.disagreement(found, segs) is None, name
    return found


@pytest.mark.parametrize("path", SAMPLES + MASTERS, ids=lambda p: str(p.relative_to(REPO)))
def test_the_slices_are_pandocs_blocks(path: Path) -> None:
    """Same blocks, same order, same kinds and msgctxt, same text: on every construct sample and every master."""
    _agree(path.read_text(encoding="utf-8"), path.name)


def _package_readmes() -> list[Path]:
    """Markdown written by other projects: the long descriptions of the installed packages."""
    out = []
    site = Path(pytest.__file__).parent.parent
    for meta in sorted(glob.glob(str(site / "*.dist-info" / "METADATA"))):
        message = email.message_from_bytes(Path(meta).read_bytes())
        if "markdown" in (message.get("Description-Content-Type") or "") and len(message.get_payload() or "") > 500:
            out.append(Path(meta))
    return out


def test_markdown_from_other_projects_reads_the_same() -> None:
    readmes = _package_readmes()
    assert len(readmes) >= 10, sys.prefix
    for meta in readmes:
        _agree(email.message_from_bytes(meta.read_bytes()).get_payload(), meta.parent.name)


def test_msgids_are_what_the_author_typed() -> None:
    """No escape the author did not type (pandoc's writer put ``2026\\.`` here), and each message's own line."""
    text = (TESTS / "samples" / "48-number-period.md").read_text(encoding="utf-8")
    found = _agree(text, "48")
    assert [s.msgid for s in found] == ["The year was important.", "2026\\. A paragraph starting with a year and a period.",
                                        "1986 was when it began; this line starts with a number without a period."]
    for path in SAMPLES + MASTERS:
        lines = path.read_text(encoding="utf-8").split("\n")
        for piece in slices.slices("\n".join(lines)):
            first = piece.msgid.split()[0].lstrip("*_[!`")[:8]
            assert first.casefold() in lines[piece.line - 1].casefold(), (path.name, piece.line, piece.msgid[:40])


def test_wrapped_lists_quotes_and_notes_are_joined_as_typed() -> None:
    text = ("Intro with a note.[^n]\n\n> A quoted\n> paragraph **with\n> emphasis**.\n\n1. Item\n   continued\n\n"
            "   a. letter item  \n      after a hard break\n\n[^n]: The note\n    goes on.\n")
    found = _agree(text, "inline")
    assert [(s.msgid, s.comment, s.line) for s in found] == [
        ("Intro with a note.[^n]", "paragraph", 1),
        ("The note goes on.", "footnote", 13),
        ("A quoted paragraph **with emphasis**.", "block quote", 3),
        ("Item continued", "list item", 7),
        ("letter item\\\nafter a hard break", "nested list item (level 2)", 10),
    ]


def test_a_disagreement_is_named_at_its_line() -> None:
    text = "# Title\n\nFirst paragraph.\n\nSecond paragraph.\n"
    found = slices.slices(text)
    segs = segments.segments(pandoc.read_markdown(text, path="x"))
    assert slices.disagreement(found, segs[:-1]) == (5, "3 messages here, 2 to pandoc")
    other = pandoc.read_markdown("# Title\n\nFirst paragraph.\n\n- Second paragraph.\n", path="x")
    line, what = slices.disagreement(found, segments.segments(other))
    assert line == 5 and "paragraph here, a list item to pandoc" in what


def test_a_master_the_two_readers_read_differently_is_refused_at_its_line(basic: Path) -> None:
    """Text right under a table is a row to CommonMark's tables and a paragraph to pandoc: the build stops there."""
    from conftest import run_cli

    master = basic / "sources/sample.md"
    text = master.read_text(encoding="utf-8").replace("| Bedroom | No screens at night |",
                                                      "| Bedroom | No screens at night |\nAsk before you buy apps.")
    master.write_text(text, encoding="utf-8")
    line = text.split("\n").index("Ask before you buy apps.") + 1
    result = run_cli("-C", str(basic), "build", "--lang", "en", "--format", "pdf")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"sources/sample.md:{line}: this block reads differently to CommonMark and to pandoc" in result.stderr
    assert not (basic / "build/en/sample.en.pdf").exists()
    master.write_text(text.replace("\nAsk before", "\n\nAsk before"), encoding="utf-8")  # a blank line: one reading
    assert run_cli("-C", str(basic), "build", "--lang", "en", "--format", "pdf").returncode == 0


def test_front_matter_nested_past_any_reason_is_one_line(basic: Path) -> None:
    from conftest import run_cli

    (basic / "sources/sample.md").write_text("---\nkeywords: " + "[" * 3000 + "]" * 3000 + "\n---\n\n# Title\n",
                                             encoding="utf-8")
    result = run_cli("-C", str(basic), "extract")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "sources/sample.md:1: the front matter nests deeper than 64 levels" in result.stderr


def _whole_reading(reading: slices.Reading) -> tuple:
    return ([(s.msgid, s.comment, s.context, s.line, s.span, s.site) for s in reading.slices], reading.references,
            reading.includes, reading.images, reading.raw_html, reading.depth, reading.link_targets)


def _read_in_parts_of(text: str, size: int, monkeypatch: pytest.MonkeyPatch) -> tuple:
    monkeypatch.setattr(slices, "PART_CHARS", size)
    return _whole_reading(slices.read(text))


def test_a_long_master_read_in_parts_reads_as_the_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cut before headings into parts of a few hundred characters, every sample, master and package README gives
    the same messages, lines, spans, definitions, pictures and raw HTML as read in one piece; notes and links
    defined in a later part than the one using them included."""
    texts = [p.read_text(encoding="utf-8") for p in SAMPLES + MASTERS]
    texts += [email.message_from_bytes(meta.read_bytes()).get_payload() for meta in _package_readmes()]
    cut = 0
    for text in texts:
        whole = _read_in_parts_of(text, 10**9, monkeypatch)
        assert _read_in_parts_of(text, 300, monkeypatch) == whole
        cut += len(slices._parts(text.split("\n"), 300)) > 1
    assert cut >= 20
    late = ("# One\n\nSee [the guide][g] and a note.[^n]\n\n" + "Filler words here.\n\n" * 30 +
            "# Two\n\n[g]: https://example.org/guide\n\n[^n]: The note, defined far below.\n")
    assert len(slices._parts(late.split("\n"), 200)) == 2
    reading = _read_in_parts_of(late, 200, monkeypatch)
    assert reading == _read_in_parts_of(late, 10**9, monkeypatch)
    assert [(m, c) for m, c, *_ in reading[0]][2] == ("The note, defined far below.", "footnote")
    assert reading[6]["G"]["href"] == "https://example.org/guide"
    code = late.replace("[^n]: The note", "```\n[^n]: Not a note\n```\n\nThe note")  # looks like one, in code
    assert _read_in_parts_of(code, 200, monkeypatch) == _read_in_parts_of(code, 10**9, monkeypatch)
    assert "[^n]" in _read_in_parts_of(code, 200, monkeypatch)[0][1][0]


def test_footnotes_read_as_pandoc_reads_them() -> None:
    """The first definition of a label counts; a note in a note is left out; notes that refer to each other in a
    loop (which pandoc never finishes reading) are refused at the line of one."""
    found = slices.slices("a[^1] and [^2] and [^1]\n\n[^2]: two\n\n[^1]: one\n\n[^1]: one again\n")
    assert [(s.msgid, s.comment) for s in found] == [("a[^1] and [^2] and [^1]", "paragraph"), ("one", "footnote"),
                                                     ("two", "footnote"), ("one", "footnote")]
    assert [s.msgid for s in _agree("a[^1]\n\n[^1]: b[^2]\n\n[^2]: c\n", "nested.md")] == ["a[^1]", "b[^2]"]
    with pytest.raises(SourceError, match=r"loop \(\[\^1\] → \[\^2\] → \[\^1\]\)") as info:
        slices.read("a\n\n[^1]: b[^2]\n\n[^2]: c[^1]\n")
    assert info.value.line == 3
