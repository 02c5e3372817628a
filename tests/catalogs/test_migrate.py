"""``cop-docs migrate-msgids``: catalogs made when msgids were pandoc's rewriting of each block are carried over to
the msgids as typed, translated staying translated."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import run_cli

from cop_docs import config, sources
from cop_docs.catalogs import messages, migrate, po

EXTRA = ("\nUse the hashtag #StaySafe, not 5 < 6 or C#.[^why]\n\n2026\\. A year to remember.[^why] And more.[^1]\n\n"
         "[^why]: Because *labels* are names.\n")


def _coverage(root: Path) -> dict:
    result = run_cli("-C", str(root), "--json", "coverage")
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)


def test_translations_follow_their_blocks_to_the_msgids_as_typed(basic: Path) -> None:
    master = basic / "sources/sample.md"
    master.write_text(master.read_text(encoding="utf-8") + EXTRA, encoding="utf-8")
    assert run_cli("-C", str(basic), "update", "--lang", "fr").returncode == 0
    path = basic / "translations/sample/fr.po"
    catalog = po.read(path)
    for entry in catalog.entries:  # every message translated, its note references kept as labelled
        if not entry.msgstr and not entry.is_header:
            entry.msgstr = "FR " + entry.msgid
    path.write_text(po.dumps(catalog), encoding="utf-8")
    as_typed = path.read_text(encoding="utf-8")
    before = _coverage(basic)

    # the same catalog as it was when pandoc wrote the msgids back: escapes added, notes numbered from 1
    project = config.load(basic / "cop-docs.yaml")
    source = sources.load(project, project.document("sample"))[0]
    old = dict(zip([u.msgid for u in source.units], migrate.written_msgids(source.fresh_doc()), strict=True))
    assert old["Use the hashtag #StaySafe, not 5 < 6 or C#.[^why]"] == \
        "Use the hashtag \\#StaySafe, not 5 \\< 6 or C#.[^1]"
    assert old["2026\\. A year to remember.[^why] And more.[^1]"] == "2026\\. A year to remember.[^1] And more.[^2]"
    catalog = po.read(path)
    for entry in catalog.entries:
        if entry.msgid in old and old[entry.msgid] != entry.msgid:
            labels = list(dict.fromkeys(messages.NOTE_REF.findall(entry.msgid)))
            for n, label in enumerate(labels, 1):
                entry.msgstr = entry.msgstr.replace(f"[^{label}]", f"[^\0{n}]")
            entry.msgstr = entry.msgstr.replace("\0", "")
            entry.msgid = old[entry.msgid]
    path.write_text(po.dumps(catalog), encoding="utf-8")
    assert _coverage(basic) != before  # the old msgids match no message now

    result = run_cli("-C", str(basic), "migrate-msgids")
    assert result.returncode == 0, result.stderr
    assert "translations/sample/fr.po: 2 entries carried over" in result.stdout
    assert run_cli("-C", str(basic), "update", "--lang", "fr").returncode == 0
    assert path.read_text(encoding="utf-8") == as_typed  # translated stays translated: nothing fuzzy, nothing lost
    assert _coverage(basic) == before
    again = run_cli("-C", str(basic), "migrate-msgids")
    assert "nothing to carry over" in again.stdout
