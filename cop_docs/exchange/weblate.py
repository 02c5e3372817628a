"""The project as Weblate sees it: one component per document and snippet, and the checks Weblate should leave alone.

In: the project (its documents, snippets, catalog folders and source language). Out: ``components.json``, the
component definitions Weblate's ``import_json`` management command creates a project's components from, and
``discovery.json``, the same layout as the configuration of Weblate's component-discovery add-on, which keeps
the components in step when a document is added later.

Every component is a bilingual gettext component: ``translations/<id>/*.po`` with ``translations/<id>/<id>.pot``
as the template for a new language. Weblate writes PO files through translate-toolkit, which wraps lines as GNU
gettext does, so a catalog Weblate saves is byte for byte what ``cop-docs update`` writes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..files import write_atomic

if TYPE_CHECKING:
    from ..config import Document, Project, Snippet

#: Weblate's checks that ``cop-docs check`` makes with Markdown in mind, each with the checks that replace it.
#: Weblate would report false positives on strings the project's checks accept: an autolink ``<https://…>`` read
#: as an XML tag, a link moved within the sentence, the narrow no-break space French asks for, a word kept as
#: the project's allow-identical list says. Its other checks (sentence-end punctuation per language, kashida,
#: inconsistent translations) stay on.
REPLACED_CHECKS: dict[str, tuple[str, ...]] = {
    "same": ("identical",),
    "punctuation-spacing": ("french-spacing",),
    "begin-space": ("whitespace",),
    "end-space": ("whitespace",),
    "double-space": ("whitespace",),
    "xml-tags": ("markup",),
    "xml-invalid": ("markup", "syntax"),
    "md-link": ("links",),
    "md-reflink": ("links", "markup"),
    "md-syntax": ("markup", "syntax", "block-kind"),
}

#: ``md-text`` tells Weblate the strings are Markdown (its editor highlights the syntax).
CHECK_FLAGS = ", ".join(["md-text", *(f"ignore-{check}" for check in REPLACED_CHECKS)])

FOLDER = "weblate"


def component(project: Project, item: Document | Snippet) -> dict[str, Any]:
    """One component as ``import_json`` reads it; the repository settings come from the main component."""
    folder = project.translations_dir.relative_to(project.root).as_posix()
    title = getattr(item, "title", None)
    return {
        "name": f"{item.id} — {title}" if title else f"{item.id} (shared text)",
        "slug": item.id,
        "file_format": "po",
        "filemask": f"{folder}/{item.id}/*.po",
        "template": "",
        "new_base": f"{folder}/{item.id}/{item.id}.pot",
        "source_language": project.source_language,
        "language_code_style": "bcp",  # file names as the project file spells the codes: zh-Hans.po
        "language_regex": "^[^.]+$",
        # A language is added in the project file (its fonts and release policy), then by `cop-docs update`.
        "new_lang": "contact",
        "manage_units": False,
        "check_flags": CHECK_FLAGS,
        "enforced_checks": [],
    }


def components(project: Project) -> list[dict[str, Any]]:
    return [component(project, item) for item in project.catalogs]


def discovery(project: Project) -> dict[str, Any]:
    """The component-discovery add-on (``weblate.discovery.discovery``), for components added after the import."""
    folder = project.translations_dir.relative_to(project.root).as_posix()
    return {
        "name": "weblate.discovery.discovery",
        "configuration": {
            "match": folder + r"/(?P<component>[^/.]+)/(?P<language>[^/.]+)\.po",
            "file_format": "po",
            "name_template": "{{ component }}",
            "base_file_template": "",
            "new_base_template": folder + "/{{ component }}/{{ component }}.pot",
            "language_regex": "^[^.]+$",
            "copy_addons": True,
            "remove": True,
            "confirm": True,
        },
    }


def files(project: Project) -> dict[str, str]:
    """The files' names and text, as ``write`` writes them."""
    def dumped(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, indent=2) + "\n"

    return {"components.json": dumped(components(project)), "discovery.json": dumped(discovery(project))}


def write(project: Project, folder: Path | None = None) -> list[tuple[Path, bool]]:
    """Write the set-up files into ``folder`` (default ``weblate/``); each is rewritten only when it changes."""
    folder = folder or project.root / FOLDER
    written = []
    for name, text in files(project).items():
        path = folder / name
        changed = not path.is_file() or path.read_text(encoding="utf-8") != text
        if changed:
            write_atomic(path, text)
        written.append((path, changed))
    return written
