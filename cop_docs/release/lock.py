"""The release's preconditions: catalogs up to date with the sources (like a lock file), no check error, no
required language blocked.

In: the project and the languages to release. Out: the gate's decisions, or a :class:`ReleaseError` naming the
first file and line at fault. The lock check is skipped while nothing it reads has changed
(``build/.cache/catalogs-checked.json``).
"""

from __future__ import annotations

import json

from .. import cache, checks, files, gate, pipeline
from ..catalogs import sync
from ..config import Language, Project
from .errors import ReleaseError


def preconditions(project: Project, langs: list[Language], progress: pipeline.Progress) -> list[gate.Decision]:
    """Fail unless the catalogs are up to date, the checks find no error and no required language is blocked."""
    lock = project.cache_dir / "catalogs-checked.json"
    state = catalog_state(project)
    if not lock.exists() or lock.read_text(encoding="utf-8") != state:
        stale = sync.outdated(project, langs)
        if stale:
            more = f" (and {len(stale) - 1} more)" if len(stale) > 1 else ""
            raise ReleaseError(f"out of date with the sources{more}: run `cop-docs update` and commit the catalogs",
                               files.relative(stale[0], project.root))
        if langs == project.languages:
            files.write_atomic(lock, state)
    progress("catalogs are up to date with the sources")
    errors = checks.errors(checks.check_project(project, langs, cache=project.cache_dir / "checks.json"))
    if errors:
        first = errors[0]
        more = f" (and {len(errors) - 1} more errors)" if len(errors) > 1 else ""
        raise ReleaseError(f"[{first.check}] {first.message}{more}; see `cop-docs check`", first.path, first.line)
    progress("checks found no errors")
    codes = {lang.code for lang in langs}
    decisions = [d for d in pipeline.decide(project) if d.language.code in codes]
    blocked = [d for d in decisions if d.blocks_release]
    if blocked:
        d = blocked[0]
        raise ReleaseError(f"{d.language.code} is required but {d.document.id} is {d.reason}; see `cop-docs gate`",
                           project.config_path)
    progress("the gate allows the release")
    return decisions


def catalog_state(project: Project) -> str:
    """A hash of every source, template and catalog: the lock check is not repeated while it is unchanged."""
    inputs = {project.config_path}
    for item in project.catalogs:
        inputs.update(item.sources)
        inputs.add(project.pot_path(item))
        inputs.update(project.po_path(item, lang) for lang in project.languages if lang.code != project.source_language)
    hashes = cache.FileHashes.for_project(project)
    state = json.dumps({"version": cache.version(),
                        "files": {str(f): hashes(f) for f in sorted(inputs)}}, sort_keys=True)
    hashes.save()
    return state
