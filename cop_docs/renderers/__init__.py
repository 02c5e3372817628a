"""Renderers: a localized document becomes a file in one output format.

In: a :class:`Job` (the project, the document, the language and the localized pandoc AST). Out: one file,
written atomically: the output appears complete or not at all, and the last good file stays until then. Before
it appears, the output is checked to hold the text of every block the document shows (:mod:`.parity`).
Each format is a small class behind the same interface, registered by name in :data:`RENDERERS`.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path

from .. import files
from ..config import Document, Language, Project
from ..formats import FORMATS
from ..segments import Json
from ..tree import meta_text
from . import parity


@dataclass
class Job:
    project: Project
    document: Document
    language: Language
    doc: Json  #: the localized AST, its metadata holding title, lang and dir
    draft: bool = False  #: below its release threshold: marked as a draft translation on every page
    #: the blocks the document shows (:class:`cop_docs.localization.Shown`): each output is checked to hold them
    blocks: list | None = None
    #: the date the output carries, in seconds since the epoch (None: the time of writing)
    epoch: int | None = None

    @property
    def title(self) -> str:
        return meta_text(self.doc["meta"].get("title"))


class Renderer:
    """One output format. Subclasses set the class attributes and implement :meth:`write`."""

    #: the format's name in the project file and on the command line (see :mod:`cop_docs.formats`)
    name = ""
    #: how many blocks the last render checked in its output (see :mod:`.parity`)
    checked = 0

    def output_path(self, job: Job) -> Path:
        return self.output_path_for(job.project, job.document, job.language)

    def output_path_for(self, project: Project, document: Document, language: Language) -> Path:
        return output_path(project, document, language, self.name)

    def render(self, job: Job) -> Path:
        """Write the output for a job atomically and return its path."""
        target = self.output_path(job)
        files.remove_leftovers(target.parent, ".part")  # of a render that was killed

        def write_checked(tmp: Path) -> None:
            self.write(job, tmp)
            if job.blocks is not None:
                self.checked = self.verify(job, tmp)

        if FORMATS[self.name].folder:  # the old folder stays until the new one is complete
            files.write_folder(target, write_checked)
        else:
            files.write_with(target, write_checked, mode=0o644)
        return target

    def verify(self, job: Job, output: Path) -> int:
        """Check that the output holds every block the document shows (see :mod:`.parity`); how many it checked."""
        return parity.verify(job.blocks or [], self.name, output, self.unprinted(job), job.language.direction == "rtl")

    def write(self, job: Job, target: Path) -> None:
        raise NotImplementedError

    def unprinted(self, job: Job) -> tuple[str, ...]:
        """Kinds of blocks this format's design does not show (see :func:`parity.verify`)."""
        return ()


def output_path(project: Project, document: Document, language: Language, fmt: str) -> Path:
    """Where a format's output goes, a file or a folder (without loading the engines: a build with nothing to
    do needs only this)."""
    stem = f"{document.id}.{language.code}"
    extension = FORMATS[fmt].extension
    return project.build_dir / language.code / (f"{stem}{extension}" if extension else f"{stem}.{fmt}")


def renderer(name: str) -> Renderer:
    """The renderer for a format. Imported on demand: the engines load slowly and import this module."""
    module = importlib.import_module(FORMATS[name].module)
    found = [value for value in vars(module).values()
             if isinstance(value, type) and issubclass(value, Renderer) and value.name == name]
    return found[0]()
