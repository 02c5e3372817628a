"""The release: from the sources to the published download set in ``build/release/<edition>/``.

In: the project, or shard folders built elsewhere (one per language, each with its ``shard.json``). Out: the
release folder: every PDF and EPUB under a descriptive name in ``<lang>/``, ``manifest.json``, ``SHA256SUMS``,
a download page for all languages (``index.html``) and one per language (``<lang>/index.html``), one zip per
language. The folder is assembled beside the last good release and swapped in only once it is complete: a
failure or an interruption leaves the last good release as it was, and the next run cleans up after it.

:func:`release` runs, in order: the catalogs are up to date with the sources (:mod:`.lock`) → the checks → the
gate → the build (incremental, in parallel) → one shard per language (:mod:`.shards`) → :func:`assemble`
(:mod:`.folder`, with the download pages of :mod:`.pages`).
"""

from __future__ import annotations

from pathlib import Path

from .. import cache, pipeline
from ..config import Language, Project
from .errors import ReleaseError
from .folder import assemble
from .lock import preconditions
from .shards import write_shard

__all__ = ["ReleaseError", "assemble", "release"]


def release(project: Project, *, langs: list[Language] | None = None, jobs: int | None = None,
            progress: pipeline.Progress = pipeline.quiet, watcher: pipeline.Watcher | None = None,
            shard_only: bool = False) -> tuple[Path | None, list[pipeline.Outcome]]:
    """Everything from the sources to the release folder (or, with ``shard_only``, to one shard per language
    in ``build/<lang>/``, for a release gathered from several machines). Returns the folder and the outcomes."""
    langs = langs or project.languages
    decisions = preconditions(project, langs, progress)
    outcomes = pipeline.build(project, project.documents, langs, project.formats, progress, jobs, watcher=watcher)
    failed = [o for o in outcomes if o.status == pipeline.FAILED]
    if failed:
        return None, outcomes
    hashes = cache.FileHashes.for_project(project)  # the build has just hashed every output
    shards = [write_shard(project, lang, decisions, hashes) for lang in langs]
    if shard_only:
        return None, outcomes
    return assemble(project, shards, progress), outcomes
