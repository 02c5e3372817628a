"""Carrying translations over to msgids as the author typed them (``cop-docs migrate-msgids``).

Messages used to be each block's inline content as pandoc's Markdown writer wrote it back: escapes the author
never typed (``1\\. Eligibility``, ``kernel \\>= 4.18``), footnote references renumbered from 1 in each
message. They are now the source slices (:mod:`cop_docs.slices`). In: a project whose PO files hold the old
msgids. Out: the same PO files with each entry's msgid replaced by that of its block (msgctxt, msgstr, flags and
comments unchanged: translated stays translated), and for each catalog how many entries were carried over.
An entry whose msgid no block has is left as it is, for ``update`` to handle as always. Run it once, then
``cop-docs update``.

The old msgids are computed here the old way (one pandoc call writes every block of a file back as Markdown),
block by block beside the new ones: the two lists pair up because both follow pandoc's segments.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

from .. import pandoc
from ..config import Document, Project, Snippet
from ..segments import Json, segments
from ..sources import load
from . import po, pofiles
from .messages import NOTE_REF

_RULE = re.compile(r"^-{3,}$", re.MULTILINE)
_NUMBERED_REF = re.compile(r"(?<!\\)\[\^(\d+)\]")
_TITLE_QUOTE = "\ue000"

Key = tuple[str | None, str]


def written_msgids(doc: Json) -> list[str]:
    """Each segment's msgid as pandoc's writer made it (inline segments), or its text (the others)."""
    segs = segments(doc)
    blocks: list[Json] = []
    for seg in segs:
        if seg.kind == "inlines":
            blocks += [{"t": "Para", "c": seg.get()}, {"t": "HorizontalRule"}]
    written = iter(_split(pandoc.write_markdown(_batch(doc, blocks))) if blocks else [])
    return [next(written) if seg.kind == "inlines" else str(seg.get()) for seg in segs]


def _batch(doc: Json, blocks: list[Json]) -> str:
    batch = json.loads(json.dumps({"pandoc-api-version": doc["pandoc-api-version"], "meta": {}, "blocks": blocks}))
    _mark_title_quotes(batch["blocks"])  # the writer leaves '"' unescaped in titles: marked, then escaped
    return json.dumps(batch, ensure_ascii=False)


def _mark_title_quotes(blocks: list[Json]) -> None:
    from ..tree import elements

    for node in elements(blocks, ("Link", "Image")):
        node["c"][2][1] = node["c"][2][1].replace('"', _TITLE_QUOTE)


def _split(markdown: str) -> list[str]:
    chunks = _RULE.split(markdown.replace(_TITLE_QUOTE, '\\"'))
    return [_local_note_numbers(chunk.strip("\n")) for chunk in chunks[:-1]]


def _local_note_numbers(msgid: str) -> str:
    numbers: dict[str, int] = {}
    return _NUMBERED_REF.sub(lambda m: f"[^{numbers.setdefault(m.group(1), len(numbers) + 1)}]", msgid)


def relabelled(msgstr: str, msgid: str) -> str:
    """A translation's footnote references, numbered from 1 as the old msgid numbered them, under the labels the
    author gave them in the new msgid (the n-th label for ``[^n]``)."""
    labels = list(dict.fromkeys(m.group(1) for m in NOTE_REF.finditer(msgid)))
    if not labels:
        return msgstr

    def label(m: re.Match) -> str:
        n = int(m.group(1))
        return f"[^{labels[n - 1]}]" if 0 < n <= len(labels) else m.group()

    return _NUMBERED_REF.sub(label, msgstr)


def renames(project: Project, catalog: Document | Snippet) -> dict[Key, list[str]]:
    """Old key → the msgids its blocks now have (one, unless blocks written alike were typed differently)."""
    out: dict[Key, list[str]] = {}
    for source in load(project, catalog):
        old = written_msgids(source.fresh_doc())
        for before, unit in zip(old, source.units, strict=True):
            new = out.setdefault((unit.context, before), [])
            if unit.msgid not in new:
                new.append(unit.msgid)
    return {key: new for key, new in out.items() if new != [key[1]]}


def migrate_catalog(path: Path, moves: dict[Key, list[str]]) -> int:
    """Rename the entries of one PO file; returns how many were carried over."""
    catalog = pofiles.read(path)
    taken = {e.key for e in catalog.entries}
    entries: list[po.Entry] = []
    carried = 0
    for entry in catalog.entries:
        targets = [] if entry.obsolete or entry.is_header else moves.get(entry.key, [])
        fresh = [m for m in targets if (entry.msgctxt, m) not in taken]
        if not fresh:
            entries.append(entry)
            continue
        for msgid in fresh:
            entries.append(replace(entry, msgid=msgid, msgstr=relabelled(entry.msgstr, msgid), previous_msgctxt=None,
                                   previous_msgid=None))
            taken.add((entry.msgctxt, msgid))
        carried += 1
    if carried:
        pofiles.save(path, replace(catalog, entries=entries), old=catalog)
    return carried


def migrate(project: Project) -> dict[str, int]:
    """Every PO file of the project carried over; ``{path: entries carried over}`` for those that changed."""
    report: dict[str, int] = {}
    for catalog in project.catalogs:
        moves = renames(project, catalog)
        for lang in project.target_languages:
            path = project.po_path(catalog, lang)
            if path.exists() and moves:
                carried = migrate_catalog(path, moves)
                if carried:
                    report[str(path.relative_to(project.root))] = carried
    return report

