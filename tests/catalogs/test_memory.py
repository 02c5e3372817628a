"""The translation memory of ``update``: a new document that reuses sentences of the guides and snippets is filled
from their catalogs (exact matches translated, near ones proposed fuzzy), each filled message naming its origin,
counted in messages and words; msgmerge's own carrying wins and nothing translated is overwritten.

Catalogs are read back with polib (another tool's reader) and checked with GNU msgfmt."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import polib
import pytest
from conftest import run_cli

from cop_docs import config, words
from cop_docs.catalogs import memory, po, pofiles

CONFIG = """\
project:
  name: Memory fixture
  edition: "2026"
  source-language: en
languages:
  - code: en
    fonts: [Noto Serif]
  - code: fr
    fonts: [Noto Serif]
  - code: ru
    fonts: [Noto Serif]
documents:
  - id: guide
    audience: Parents
    kind: guide
    title: A guide for parents
    sources: [sources/guide.md]
snippets:
  - id: get-help
    sources: [sources/get-help.md]
"""

GUIDE = """\
# Talking about the internet

Ask your child what they like to do online and which apps they use.

Agree on **family rules** for screens, and write them down together.

Keep devices in shared rooms at night.
"""

GET_HELP = """\
# How to get help

Tell a trusted adult if something online worries you.

Call your national helpline, free of charge, at any time of day.

- Block the person.
- Report the message.
"""

FR = {
    "A guide for parents": "Un guide pour les parents",
    "Parents": "Parents",
    "Talking about the internet": "Parler d’internet",
    "Ask your child what they like to do online and which apps they use.":
        "Demandez à votre enfant ce qu’il aime faire en ligne et quelles applications il utilise.",
    "Agree on **family rules** for screens, and write them down together.":
        "Convenez de **règles familiales** pour les écrans, et écrivez-les ensemble.",
    "Keep devices in shared rooms at night.": "La nuit, laissez les appareils dans les pièces communes.",
    "How to get help": "Comment obtenir de l’aide",
    "Tell a trusted adult if something online worries you.":
        "Parlez à un adulte de confiance si quelque chose en ligne vous inquiète.",
    "Call your national helpline, free of charge, at any time of day.":
        "Appelez votre ligne d’assistance nationale, gratuitement, à toute heure.",
    "Block the person.": "Bloquez\x07 la personne.",  # a control character: never usable
    "Report the message.": "1. Signalez le message.",  # reads as a numbered list, not as its list item
}

#: The new document: sentences of the guide and the snippet, as they were (exact) and edited (near).
LEAFLET = """\
# How to get help

Tell a trusted adult if something online worries you.

Agree on **family rules** for screens, and write them down together.

Ask your child what they like to do online and which games they play.

Call your national helpline, free of charge, at any hour of the day.

::: {i18n-context="poster"}
Keep devices in shared rooms at night.
:::

- Block the person.
- Report the message.

Nothing like this sentence was ever translated before, so it stays empty.
"""

LEAFLET_ENTRY = """\
  - id: leaflet
    audience: Parents
    kind: guide
    title: A leaflet for families
    sources: [sources/leaflet.md]
snippets:"""

EXACT = {  # msgid → the catalog it comes from
    "Parents": "translations/guide/fr.po",
    "How to get help": "translations/get-help/fr.po",
    "Tell a trusted adult if something online worries you.": "translations/get-help/fr.po",
    "Agree on **family rules** for screens, and write them down together.": "translations/guide/fr.po",
}
NEAR = {  # msgid → (the matched text, its catalog)
    "Ask your child what they like to do online and which games they play.":
        ("Ask your child what they like to do online and which apps they use.", "translations/guide/fr.po"),
    "Call your national helpline, free of charge, at any hour of the day.":
        ("Call your national helpline, free of charge, at any time of day.", "translations/get-help/fr.po"),
    "Keep devices in shared rooms at night.": ("Keep devices in shared rooms at night.", "translations/guide/fr.po"),
}
UNFILLED = ["A leaflet for families", "Block the person.", "Report the message.",
            "Nothing like this sentence was ever translated before, so it stays empty."]


def _translate(root: Path, catalog: str, table: dict[str, str]) -> None:
    path = root / "translations" / catalog / "fr.po"
    old = pofiles.read(path)
    new = pofiles.read(path)
    for entry in new.entries:
        entry.msgstr = table.get(entry.msgid, entry.msgstr)
    pofiles.save(path, new, old)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """Guide and snippet, translated into French (not into Russian); the leaflet's master written, not declared."""
    root = tmp_path / "memory"
    (root / "sources").mkdir(parents=True)
    (root / "cop-docs.yaml").write_text(CONFIG, encoding="utf-8")
    (root / "sources/guide.md").write_text(GUIDE, encoding="utf-8")
    (root / "sources/get-help.md").write_text(GET_HELP, encoding="utf-8")
    (root / "sources/leaflet.md").write_text(LEAFLET, encoding="utf-8")
    result = run_cli("-C", str(root), "update")
    assert result.returncode == 0, result.stderr
    _translate(root, "guide", FR)
    _translate(root, "get-help", FR)
    return root


def _add_leaflet(root: Path) -> None:
    path = root / "cop-docs.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("snippets:", LEAFLET_ENTRY), encoding="utf-8")


def _update(root: Path) -> dict:
    result = run_cli("-C", str(root), "update", "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_a_new_document_is_filled_from_the_guides_and_snippets(project: Path) -> None:
    _add_leaflet(project)
    report = _update(project)
    path = project / "translations/leaflet/fr.po"
    entries = {e.msgid: e for e in polib.pofile(str(path)) if not e.obsolete}  # another reader than ours

    for msgid, origin in EXACT.items():
        e = entries[msgid]
        assert e.msgstr == FR[msgid] and not e.fuzzy and e.previous_msgid is None
        assert e.tcomment == f"memory: {origin}"
    for msgid, (matched, origin) in NEAR.items():
        e = entries[msgid]
        assert e.fuzzy and e.msgstr == FR[matched] and e.previous_msgid == matched
        assert e.tcomment.startswith(f"memory: {origin} (") and e.tcomment.endswith("% similar)")
    poster = entries["Keep devices in shared rooms at night."]  # the same text under another context
    assert poster.msgctxt == "poster" and poster.previous_msgctxt is None and poster.tcomment.endswith("(100% similar)")
    for msgid in UNFILLED:
        assert entries[msgid].msgstr == "" and not entries[msgid].tcomment

    # the counts: per language, exact and fuzzy apart, in source words as coverage counts them
    assert report["memory"]["fr"] == {
        "exact": {"messages": len(EXACT), "words": sum(words.count_markdown(m) for m in EXACT)},
        "fuzzy": {"messages": len(NEAR), "words": sum(words.count_markdown(m) for m in NEAR)}}
    assert report["memory"]["ru"] == {"exact": {"messages": 0, "words": 0}, "fuzzy": {"messages": 0, "words": 0}}
    row = next(r for r in report["files"] if r["path"] == "translations/leaflet/fr.po")
    assert row["memory"] == report["memory"]["fr"] and "memory: 4 exact" in row["detail"]
    # what msgfmt counts: exact fills translated, proposals fuzzy (never translated)
    stats = subprocess.run(["msgfmt", "-c", "--statistics", "-o", "/dev/null", str(path)], capture_output=True,
                           text=True, env={"LC_ALL": "C"})
    assert stats.returncode == 0, stats.stderr
    assert stats.stderr.strip() == (f"{len(EXACT)} translated messages, {len(NEAR)} fuzzy translations, "
                                    f"{len(UNFILLED)} untranslated messages.")
    assert not (project / "translations/leaflet/ru.po").read_text(encoding="utf-8").count("# memory:")


def test_the_progress_names_what_was_filled_and_a_second_update_changes_nothing(project: Path) -> None:
    _add_leaflet(project)
    result = run_cli("-C", str(project), "update")
    assert result.returncode == 0, result.stderr
    words_exact = sum(words.count_markdown(m) for m in EXACT)
    words_near = sum(words.count_markdown(m) for m in NEAR)
    assert (f"translation memory, fr: {len(EXACT)} messages ({words_exact} words) filled, {len(NEAR)} "
            f"({words_near} words) proposed fuzzy") in result.stdout
    assert "translation memory, ru" not in result.stdout
    before = (project / "translations/leaflet/fr.po").read_bytes()
    again = run_cli("-C", str(project), "update")
    assert again.returncode == 0 and "translation memory" not in again.stdout
    assert "updated" not in again.stdout and "created" not in again.stdout
    assert (project / "translations/leaflet/fr.po").read_bytes() == before


def test_msgmerge_carrying_wins_over_the_memory(project: Path) -> None:
    """An edited sentence keeps its own old translation (fuzzy), even where the memory has the new text exactly."""
    edited = "Keep devices in shared rooms at bedtime."
    (project / "sources/get-help.md").write_text(GET_HELP + f"\n{edited}\n", encoding="utf-8")
    _update(project)
    _translate(project, "get-help", {edited: "Le soir, les appareils restent dans les pièces communes."})
    (project / "sources/guide.md").write_text(GUIDE.replace("Keep devices in shared rooms at night.", edited),
                                              encoding="utf-8")
    report = _update(project)
    entry = po.read(project / "translations/guide/fr.po").by_key()[(None, edited)]
    # the guide's own old translation of the sentence it replaced, fuzzy, as msgmerge carries it
    assert entry.fuzzy and entry.msgstr == FR["Keep devices in shared rooms at night."]
    assert entry.previous_msgid == "Keep devices in shared rooms at night." and not entry.comments
    assert report["memory"]["fr"]["exact"]["messages"] == report["memory"]["fr"]["fuzzy"]["messages"] == 0


def test_a_translation_is_never_overwritten(project: Path) -> None:
    """A message translated differently in another catalog keeps its own translation, and an untranslated message
    already in a catalog is left for its translator (the memory fills messages new to a catalog)."""
    _translate(project, "guide", {"Talking about the internet": "Parlons d’internet", "Parents": ""})
    (project / "sources/get-help.md").write_text(GET_HELP + "\n# Talking about the internet\n", encoding="utf-8")
    report = _update(project)
    guide = po.read(project / "translations/guide/fr.po").by_key()
    assert guide[(None, "Talking about the internet")].msgstr == "Parlons d’internet"
    assert guide[(None, "Parents")].msgstr == ""  # left as it was, though the memory knows nothing better
    new = po.read(project / "translations/get-help/fr.po").by_key()[(None, "Talking about the internet")]
    assert new.msgstr == "Parlons d’internet" and new.comments == ("memory: translations/guide/fr.po",)
    assert report["memory"]["fr"]["exact"]["messages"] == 1


def test_the_threshold_comes_from_the_project_file(project: Path) -> None:
    path = project / "cop-docs.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "translation-memory:\n  fuzzy-threshold: 99\n", encoding="utf-8")
    _add_leaflet(project)
    report = _update(project)
    # near matches (93–96% similar) are no longer proposed; the same text in another context still is
    assert report["memory"]["fr"]["fuzzy"]["messages"] == 1
    assert config.load(path).memory.fuzzy_threshold == 99


def test_memory_paths_stay_inside_the_project(project: Path, tmp_path: Path) -> None:
    (tmp_path / "outside.tmx").write_text("<tmx/>", encoding="utf-8")
    path = project / "cop-docs.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "translation-memory:\n  files: [../outside.tmx, missing.tmx]\n",
                    encoding="utf-8")
    result = run_cli("-C", str(project), "update")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2 and "Traceback" not in result.stderr
    line = len(CONFIG.splitlines()) + 2
    assert lines[0].endswith(f"cop-docs.yaml:{line}: translation-memory.files[0]: translation memory file "
                             "'../outside.tmx' lies outside the project")
    assert lines[1].endswith(f"cop-docs.yaml:{line}: translation-memory.files[1]: translation memory file "
                             "'missing.tmx' does not exist")


def test_the_memory_is_read_only_when_a_message_needs_it(project: Path) -> None:
    """A broken TMX named in the project file is not even opened while nothing is new; once a message is new, it
    is read, and refused with its file and line."""
    (project / "memory").mkdir()
    (project / "memory/old.tmx").write_text('<?xml version="1.0"?>\n<tmx version="1.4">\n<body>\n</tmx>\n',
                                            encoding="utf-8")
    path = project / "cop-docs.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "translation-memory:\n  files: [memory/old.tmx]\n", encoding="utf-8")
    assert run_cli("-C", str(project), "update").returncode == 0
    _add_leaflet(project)
    result = run_cli("update", cwd=project)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip() == ("cop-docs: error: memory/old.tmx:4: not a well-formed TMX file: "
                                     "Opening and ending tag mismatch: body line 3 and tmx")
    assert not (project / "translations/leaflet/fr.po").exists()  # nothing half done


def test_memory_candidates_must_be_usable(project: Path) -> None:
    """Directly: a candidate too long for the project's limits, or adding bidi controls, is never offered."""
    proj = config.load(project / "cop-docs.yaml")
    units = [memory.Unit("Short.", "x" * 2000, None, "a.po"), memory.Unit("Safe.", "\u202eSûr.", None, "a.po"),
             memory.Unit("Fine.", "Bien.", None, "a.po"), memory.Unit("Fine.", "Second choice.", None, "b.po")]
    mem = memory.Memory(units, 80, proj)
    found = mem.matches([po.Entry("Short."), po.Entry("Safe."), po.Entry("Fine."), po.Entry("Fine!")])
    assert found[0] is None and found[1] is None
    assert found[2] == ("exact", units[2], 100.0)  # the first translation of a text wins
    assert found[3][0] == "fuzzy" and found[3][1] is units[2] and 80 <= found[3][2] < 100
