"""Extraction: the units of a document's sources become a POT template.

In: the document's title and audience (from the project file) and its parsed master files. Out: the POT as a
:class:`~cop_docs.catalogs.po.Catalog`, one entry per distinct (msgctxt, msgid) in order of first appearance,
each with every ``#:`` reference (file:line) and an extracted comment saying what the block is.
"""

from __future__ import annotations

from pathlib import Path

from .. import dates
from ..config import Document, Project, Snippet
from ..sources import SourceFile, Unit
from . import po

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


def template(project: Project, doc: Document | Snippet, files: list[SourceFile]) -> tuple[po.Catalog, int]:
    """A document's POT, and its number of messages."""
    merged = entries(units_of(project, doc, files))
    return po.Catalog(merged, _header(project_header(project, doc))), len(merged)


def memo_path(project: Project, doc: Document | Snippet) -> Path:
    """Where the wrapped text of a template's entries is kept between runs (see :func:`pofiles.write_template`)."""
    return project.cache_dir / "templates" / f"{doc.id}.json"


def template_catalog(project_id: str, units: list[tuple[str, Unit]]) -> po.Catalog:
    """A POT holding the given units, merged by (msgctxt, msgid)."""
    return po.Catalog(entries(units), _header(header(project_id)))


def template_text(project_id: str, units: list[tuple[str, Unit]]) -> str:
    """The text of a POT holding the given units, as GNU gettext writes it."""
    return po.dumps(template_catalog(project_id, units))


def entries(units: list[tuple[str, Unit]]) -> list[po.Entry]:
    """One entry per distinct (msgctxt, msgid), with every block kind as its comment and every reference."""
    merged: dict[tuple[str | None, str], tuple[dict[str, None], dict[str, None]]] = {}
    for path, unit in units:  # dicts as ordered sets: a message used in many places stays linear
        key = (unit.context, unit.msgid)
        found = merged.get(key)
        if found is None:
            found = merged[key] = ({}, {})
        found[0][unit.comment] = None
        found[1][f"{path}:{unit.line}"] = None
    Entry = po.Entry
    return [Entry(msgid, "", ctx, extracted=("; ".join(comments),), references=tuple(references))
            for (ctx, msgid), (comments, references) in merged.items()]


def _header(fields: dict[str, str]) -> po.Entry:
    return po.Entry("", "".join(f"{k}: {v}\n" for k, v in fields.items()))


def project_header(project: Project, doc: Document | Snippet) -> dict[str, str]:
    return header(f"{project.name} {project.edition} {doc.id}".strip())


def header(project_id: str) -> dict[str, str]:
    return {
        "Project-Id-Version": project_id,
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": dates.header_timestamp(),
        "PO-Revision-Date": "YEAR-MO-DA HO:MI+ZONE",
        "Last-Translator": "FULL NAME <EMAIL@ADDRESS>",
        "Language-Team": "LANGUAGE <LL@li.org>",
        "Language": "",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }
