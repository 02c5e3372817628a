"""po2md puts each translation where its message was typed: the identity gives the master's bytes back, and a
translation can bring in nothing its message does not hold."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import REPO, TESTS

from cop_docs import pandoc, segments, slices
from cop_docs.substitution import substituted

MASTERS = sorted((TESTS / "samples").glob("*.md")) + sorted((REPO / "sources").glob("*/*.md"))


def _identity(text: str) -> dict:
    return {(s.context, s.msgid): s.msgid for s in slices.slices(text)}


@pytest.mark.parametrize("path", MASTERS, ids=lambda p: str(p.relative_to(REPO)))
def test_the_identity_gives_the_masters_bytes_back(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert substituted(text, _identity(text)) == text
    # and a translation of every message that has a place lands in its own block, and the document still reads
    # as the same blocks to pandoc
    marked = {key: f"ZZ {msgid}" for key, msgid in _identity(text).items()}
    out = substituted(text, marked)
    placed = [s for s in slices.slices(text) if s.span is not None]
    found = slices.slices(out)
    assert len(found) == len(slices.slices(text))
    assert sum(s.msgid.startswith("ZZ ") for s in found) >= len([s for s in placed if s.site != "yaml"]) - 2
    assert slices.disagreement(found, segments.segments(pandoc.read_markdown(out, path=path.name))) is None


def test_translations_go_where_their_messages_were() -> None:
    text = ("---\ntitle: Safe online\n---\n\n# Title {#top}\n\nA paragraph that\nwraps.\n\n| Risk | Action |\n"
            "|---|---|\n| Contact | Tell an adult |\n\n![A shield](s.svg \"Safe\")\n\n> Quoted line\n> continues.\n")
    out = substituted(text, {(None, "Safe online"): "En ligne: sûr", (None, "Title"): "Titre",
                             (None, "A paragraph that wraps."): "Un paragraphe", (None, "Tell an adult"): "Oui | non",
                             (None, "A shield"): "Un bouclier", (None, "Safe"): 'Le "sûr"',
                             (None, "Quoted line continues."): "Ligne citée"})
    assert out == ('---\ntitle: "En ligne: sûr"\n---\n\n# Titre {#top}\n\nUn paragraphe\n\n| Risk | Action |\n'
                   "|---|---|\n| Contact | Oui \\| non |\n\n![Un bouclier](s.svg \"Le \\\"sûr\\\"\")\n\n"
                   "> Ligne citée\n")


@pytest.mark.parametrize("msgstr", [
    "Voir [la charte](https://evil.example/phish).",
    "Voir la charte <img src=\"file:///etc/passwd\">.",
    "Voir ![x](/etc/passwd) la charte.",
    "Voir [la charte](https://e.org/c){rel=attachment}.",
])
def test_a_translation_that_points_elsewhere_is_not_used(msgstr: str) -> None:
    text = "See [the charter](https://e.org/c).\n"
    assert substituted(text, {(None, "See [the charter](https://e.org/c)."): msgstr}) == text
    fine = substituted(text, {(None, "See [the charter](https://e.org/c)."): "Voir [la charte](https://e.org/c)."})
    assert fine == "Voir [la charte](https://e.org/c).\n"


def test_a_trailing_backslash_cannot_open_a_title_or_a_cell() -> None:
    text = '![A shield](s.svg "Safe")\n\n| a | b |\n|---|---|\n| Risk | c |\n'
    out = substituted(text, {(None, "Safe"): "Sûr\\", (None, "Risk"): "Risque\\"})
    assert out == '![A shield](s.svg "Sûr")\n\n| a | b |\n|---|---|\n| Risque | c |\n'
    assert [s.msgid for s in slices.slices(out)] == ["A shield", "A shield", "Sûr", "a", "b", "Risque", "c"]
