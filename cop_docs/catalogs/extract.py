"""Extraction: the units of a document's sources become a POT template.

In: the document's title and audience (from the project file) and its parsed master files. Out: the POT's
text, one entry per distinct (msgctxt, msgid) in order of first appearance, each with every ``#:``
reference (file:line) and an extracted comment saying what the block is.
"""

from __future__ import annotations

import json

import polib

from ..config import Document, Project, Snippet
from ..sources import SourceFile, Unit
from . import pofiles

TITLE_COMMENT = "document title"
AUDIENCE_COMMENT = "audience, named on the cover"


def units_of(project: Project, doc: Document | Snippet, files: list[SourceFile]) -> list[tuple[str, Unit]]:
    """Every unit of a document (or snippet) with the file it comes from; a document's title and audience
    from the project file first."""
    config = project.config_path.name
    units = []
    if isinstance(doc, Document):
        units = [(config, Unit(doc.title, None, TITLE_COMMENT, doc.line)),
                 (config, Unit(doc.audience, None, AUDIENCE_COMMENT, doc.audience_line))]
    for source in files:
        units += [(source.path, unit) for unit in source.units]
    return units


def template(project: Project, doc: Document | Snippet, files: list[SourceFile]) -> tuple[str, int]:
    """The text of a document's POT, and its number of messages.

    Long msgids wrapped in earlier runs are kept in ``build/.cache/templates/<document>.json``.
    """
    merged = entries(units_of(project, doc, files))
    memo_path = project.cache_dir / "templates" / f"{doc.id}.json"
    try:
        memo = json.loads(memo_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        memo = {}
    known = len(memo)
    text = pofiles.template_text(project_header(project, doc), merged, memo)
    if len(memo) != known:
        ids = _ids(merged)  # forget what no message needs any more
        used = {key: lines for key, lines in memo.items() if key.split("\0", 1)[1] in ids}
        pofiles.write_atomic(memo_path, json.dumps(used, ensure_ascii=False))
    return text, len(merged)


def _ids(merged: list[pofiles.TemplateEntry]) -> set[str]:
    return {e.msgid for e in merged} | {e.msgctxt for e in merged if e.msgctxt is not None}


def template_text(project_id: str, units: list[tuple[str, Unit]]) -> str:
    """The text of a POT holding the given units, merged by (msgctxt, msgid); what polib would write."""
    return pofiles.template_text(header(project_id), entries(units))


def catalog(project_id: str, units: list[tuple[str, Unit]]) -> polib.POFile:
    """The same template as a polib catalog, for code that works on entries."""
    return polib.pofile(template_text(project_id, units), wrapwidth=pofiles.WRAP)


def entries(units: list[tuple[str, Unit]]) -> list[pofiles.TemplateEntry]:
    merged: dict[tuple[str | None, str], pofiles.TemplateEntry] = {}
    for path, unit in units:
        key = (unit.context, unit.msgid)
        entry = merged.get(key)
        if entry is None:
            entry = merged[key] = pofiles.TemplateEntry(unit.context, unit.msgid, unit.comment)
        elif unit.comment not in entry.comment.split("; "):
            entry.comment += f"; {unit.comment}"
        occurrence = (path, unit.line)
        if occurrence not in entry.occurrences:
            entry.occurrences.append(occurrence)
    return list(merged.values())


def project_header(project: Project, doc: Document | Snippet) -> dict[str, str]:
    return header(f"{project.name} {project.edition} {doc.id}".strip())


def header(project_id: str) -> dict[str, str]:
    return {
        "Project-Id-Version": project_id,
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": pofiles.timestamp(),
        "PO-Revision-Date": "YEAR-MO-DA HO:MI+ZONE",
        "Last-Translator": "FULL NAME <EMAIL@ADDRESS>",
        "Language-Team": "LANGUAGE <LL@li.org>",
        "Language": "",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }
