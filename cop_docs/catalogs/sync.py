"""Catalogs kept in step with the masters: templates extracted, PO files merged, and the check that nothing
would change; the ``extract`` and ``update`` commands.

In: the project and its documents and snippets (and languages). Out: the POT and PO files on disk, each written only
when what it says changes (:mod:`.pofiles`), with what became of it (and what the translation memory filled,
:mod:`.memory`); or, from :func:`outdated`, the catalogs that
:func:`update_template` and :func:`update_catalog` would change, without writing anything (the release's lock
check).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .. import files, sources
from ..config import Document, Language, Project, Snippet
from . import extract, po, pofiles

if TYPE_CHECKING:
    from .memory import Filled, Memories

Progress = Callable[[str], None]


def quiet(_: str) -> None:
    """Progress that goes nowhere (the default)."""


@dataclass
class Written:
    """A catalog after a refresh: whether it was written, and what it holds."""

    path: Path
    changed: bool
    detail: str = ""
    state: str = ""  #: created, updated or unchanged (PO files)
    language: str = ""  #: the language of a PO file
    filled: Filled | None = None  #: what the translation memory filled in a PO file


def extract_templates(project: Project, items: Iterable[Document | Snippet], progress: Progress = quiet) -> list[Written]:
    """Write each document's (and snippet's) POT template, only when its messages changed."""
    results = []
    for item in items:
        written = update_template(project, item)
        results.append(written)
        progress(f"{'wrote' if written.changed else 'unchanged'} {files.relative(written.path, project.root)} "
                 f"({written.detail})")
    return results


def update_catalogs(project: Project, items: Iterable[Document | Snippet], langs: Iterable[Language],
           progress: Progress = quiet) -> list[Written]:
    """Extract, then create or merge every language's PO file of each document (and snippet), filling the
    messages new to a catalog from the translation memory. A file is written only when what it says changes."""
    from .memory import Memories

    results = []
    langs = [lang for lang in langs if lang.code != project.source_language]
    memories = Memories(project)  # read only when a message needs it
    for item in items:
        update_template(project, item)
        pot = pofiles.read(project.pot_path(item))  # the date as written, so every PO agrees with its POT
        for lang in langs:
            written = update_catalog(project, item, lang, pot, memories)
            results.append(written)
            progress(f"{written.state} {files.relative(written.path, project.root)} ({written.detail})")
    return results


def update_template(project: Project, item: Document | Snippet) -> Written:
    """Write the POT of a document or snippet from its masters, if its messages changed."""
    files.remove_leftovers(project.pot_path(item).parent)
    template, count = extract.template(project, item, sources.load(project, item))
    path = project.pot_path(item)
    changed = pofiles.write_template(path, template, extract.memo_path(project, item))
    return Written(path, changed, f"{count} messages", "updated" if changed else "unchanged")


def update_catalog(project: Project, item: Document | Snippet, lang: Language, pot: po.Catalog,
                   memories: Memories | None = None) -> Written:
    """Create or merge the language's PO file with its template (msgmerge's semantics; no translation is lost);
    with ``memories``, the messages new to it that the merge left untranslated are filled from the memory."""
    from . import merge  # here: extraction alone needs no fuzzy matcher

    path = project.po_path(item, lang)
    old = pofiles.read(path) if path.exists() else None
    filler = memories.filler(lang) if memories is not None else None
    new = merge.merge(pot, old, lang, project, filler)
    changed = pofiles.save(path, new, old)
    messages = new.messages
    translated = sum(1 for e in messages if e.state == po.TRANSLATED)
    fuzzy = sum(1 for e in messages if e.state == po.FUZZY)
    detail = f"{translated} translated, {fuzzy} fuzzy, {len(new.entries) - len(messages)} obsolete"
    filled = filler.filled if filler is not None else None
    if filled:
        detail += f"; {filled.describe()}"
    return Written(path, changed, detail, "created" if old is None else "updated" if changed else "unchanged",
                   lang.code, filled)


def outdated(project: Project, langs: Iterable[Language] | None = None) -> list[Path]:
    """The catalogs that an update would change: templates whose messages differ from the masters', PO files
    that are missing or that a merge with their template would change. Nothing is written; files are compared
    by what they say, not by how their lines are wrapped."""
    from . import merge

    stale = []
    langs = [lang for lang in (langs or project.languages) if lang.code != project.source_language]
    for item in project.catalogs:
        path = project.pot_path(item)
        template = extract.template(project, item, sources.load(project, item))[0]
        if not pofiles.template_is_current(path, template):
            stale.append(path)
            continue
        pot = pofiles.read(path)
        for lang in langs:
            po_path = project.po_path(item, lang)
            if not po_path.exists():
                stale.append(po_path)
                continue
            current = pofiles.read(po_path)
            if merge.merge(pot, current, lang, project).content() != current.content():
                stale.append(po_path)
    return stale
