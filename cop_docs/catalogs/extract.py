"""Extraction: the units of a document's sources become a POT template.

In: the document's title (from the project file) and its parsed master files. Out: a
:class:`polib.POFile` with one entry per distinct (msgctxt, msgid), in order of first appearance, each with
every ``#:`` reference (file:line) and an extracted comment saying what the block is.
"""

from __future__ import annotations

import polib

from ..config import Document, Project
from ..sources import SourceFile, Unit
from . import pofiles

TITLE_COMMENT = "document title"
AUDIENCE_COMMENT = "audience, named on the cover"


def units_of(project: Project, doc: Document, files: list[SourceFile]) -> list[tuple[str, Unit]]:
    """Every unit of a document with the file it comes from; its title and audience from the project file first."""
    config = project.config_path.name
    units = [(config, Unit(doc.title, None, TITLE_COMMENT, doc.line)),
             (config, Unit(doc.audience, None, AUDIENCE_COMMENT, doc.audience_line))]
    for source in files:
        units += [(source.path, unit) for unit in source.units]
    return units


def template(project: Project, doc: Document, files: list[SourceFile]) -> polib.POFile:
    project_id = f"{project.name} {project.edition} {doc.id}".strip()
    return catalog(project_id, units_of(project, doc, files))


def catalog(project_id: str, units: list[tuple[str, Unit]]) -> polib.POFile:
    """A POT holding the given units, merged by (msgctxt, msgid)."""
    pot = polib.POFile(wrapwidth=78)
    pot.metadata = header(project_id)
    entries: dict[tuple[str | None, str], polib.POEntry] = {}
    for path, unit in units:
        key = (unit.context, unit.msgid)
        entry = entries.get(key)
        if entry is None:
            entry = polib.POEntry(msgid=unit.msgid, msgstr="", msgctxt=unit.context, comment=unit.comment)
            entries[key] = entry
            pot.append(entry)
        elif unit.comment not in entry.comment.split("; "):
            entry.comment += f"; {unit.comment}"
        occurrence = (path, str(unit.line))
        if occurrence not in entry.occurrences:
            entry.occurrences.append(occurrence)
    return pot


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
