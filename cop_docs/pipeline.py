"""The pipeline, stage by stage: sources → catalogs → localized documents → rendered outputs.

Each public function is one command of the tool and reads top to bottom as the list of its steps (``extract``
and ``update`` are in :mod:`.catalogs.sync`); the stages themselves are elsewhere: the localized documents in
:mod:`.localized`, one document in one language rendered under its budgets in :mod:`.worker`, what each output
is made from in :mod:`.dependencies`. Library errors (:class:`CopDocsError`) carry file and line; this module never prints, it
reports through the ``progress`` callback the command line gives it.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import shutil
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from . import cache, dates, files, gate, sources
from .catalogs import coverage
from .catalogs.sync import Progress, quiet
from .config import Document, Language, Project
from .renderers import output_path

if TYPE_CHECKING:
    from . import dependencies, worker

# --- build ---------------------------------------------------------------------------------------------


@dataclass
class Outcome:
    """What became of one document in one language."""

    document: str
    language: str
    status: str  #: BUILT, UP_TO_DATE, FAILED or WITHHELD
    paths: list[Path] = field(default_factory=list)
    draft: bool = False
    detail: str = ""  #: why it failed or was withheld
    seconds: float = 0.0
    #: what it shows: messages and source words translated, and fuzzy and untranslated (shown in the source
    #: language); blocks checked in each output; translations not used. None when it was not built.
    report: worker.Report | None = None


BUILT, UP_TO_DATE, FAILED, WITHHELD = "built", "up to date", "failed", "withheld"


class Watcher:
    """Told how much work a build has and as each document × language finishes (the command line draws
    progress bars with it)."""

    def planned(self, total: int) -> None:
        pass

    def finished(self, outcome: Outcome) -> None:
        pass


def decide(project: Project, languages: list[Language] | None = None) -> list[gate.Decision]:
    """The gate's decisions, from the coverage cache (without listing the missing messages), for the project's
    languages and any pseudo-locale among ``languages`` (whose catalogs are made here, before the outputs' stamps
    are compared)."""
    extra = [lang for lang in languages or () if lang.pseudo and lang not in project.languages]
    if extra:
        from .catalogs import pseudo

        pseudo.prepare(project, extra)
    every = project.languages_and(extra)
    cached = coverage.project_coverage(project, cache=coverage.CoverageCache.for_project(project),
                                       languages=[lang for lang in every if lang.code != project.source_language])
    return gate.decide(project, cached, list_missing=False, languages=every)


def build(project: Project, docs: Iterable[Document], langs: Iterable[Language], formats: Iterable[str],
          progress: Progress = quiet, jobs: int | None = None, *, force: bool = False,
          watcher: Watcher | None = None) -> list[Outcome]:
    """Render every requested language × document × format into ``build/<lang>/``, as the release gate
    decides: withheld outputs are not built, drafts carry a draft mark. Outputs whose inputs have not changed
    since they were built are kept (see :mod:`.dependencies`), unless ``force``. A renderer uses one core, so
    language × document pairs are spread over ``jobs`` processes (default: one per core). A failure in one
    output is reported in its :class:`Outcome` and does not stop the others."""
    watcher = watcher or Watcher()
    formats = list(formats)
    langs = list(langs)
    if force:  # everything is made again, the artefacts the renderers keep between builds included
        for cached in ("epub-fonts", "messages"):
            shutil.rmtree(project.cache_dir / cached, ignore_errors=True)
    from . import dependencies, worker  # here: extract and update need no renderer

    # Reads every source and catalog once, so workers find them cached; the missing messages are the gate's.
    decisions = decide(project, langs)
    hashes = cache.FileHashes.for_project(project)
    commits = dates.commit_dates(project)
    outcomes: list[Outcome] = []
    work: list[tuple[Document, Language, bool, dependencies.Key]] = []
    for doc in docs:
        for lang in langs:
            decision = gate.status_of(decisions, doc, lang)
            if decision.status == gate.WITHHOLD:
                outcomes.append(Outcome(doc.id, lang.code, WITHHELD, detail=decision.reason))
                progress(f"withheld {doc.id} ({lang.code}): {decision.reason}")
                continue
            draft = decision.status == gate.DRAFT
            key = dependencies.key(project, doc, lang, draft, hashes, commits)
            paths = {fmt: output_path(project, doc, lang, fmt) for fmt in formats}
            stamps = dependencies.Stamps(project, doc, lang)
            if not force and stamps.up_to_date(paths, key, hashes):
                known = stamps.report(key)
                outcomes.append(Outcome(doc.id, lang.code, UP_TO_DATE, list(paths.values()), draft,
                                        report=worker.Report.from_json(known) if known else None))
            else:
                work.append((doc, lang, draft, key))
    watcher.planned(len(work))
    built = list(dict.fromkeys(doc for doc, _, _, _ in work))
    sources.read_asts(project, [*built, *dict.fromkeys(s for doc in built for s in sources.included_snippets(project, doc))])
    for outcome in outcomes:
        if outcome.status == UP_TO_DATE:
            progress(f"up to date {', '.join(files.relative(p, project.root) for p in outcome.paths)}")
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(work) or 1))

    def finish(doc: Document, lang: Language, draft: bool, key: dependencies.Key,
               result: tuple[list[Path], str, float, worker.Report | None]) -> None:
        paths, error, seconds, report = result
        if error:
            outcome = Outcome(doc.id, lang.code, FAILED, draft=draft, detail=error, seconds=seconds)
            progress(f"failed {doc.id} ({lang.code}): {error}")
        else:
            dependencies.Stamps(project, doc, lang).record(dict(zip(formats, paths, strict=True)), key, hashes,
                                                          report.to_json() if report else None)
            outcome = Outcome(doc.id, lang.code, BUILT, paths, draft, seconds=seconds, report=report)
            for path in paths:
                progress(f"built {files.relative(path, project.root)}")
            if report:
                for line in fallback_lines(project, outcome):
                    progress(line)
        outcomes.append(outcome)
        watcher.finished(outcome)

    if jobs == 1:
        for doc, lang, draft, key in work:
            finish(doc, lang, draft, key, worker.guarded(project, doc.id, lang.code, draft, formats, key.epoch))
    elif work:
        worker.preload(list(formats))  # once here: the forked workers inherit the loaded engines
        pool = ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork"))
        try:
            pending = {pool.submit(worker.in_worker, project.config_path, doc.id, lang.code, draft, formats, key.epoch):
                       (doc, lang, draft, key) for doc, lang, draft, key in work}
            for future in as_completed(pending):
                try:
                    result = future.result()
                except BrokenProcessPool:  # the process died under it (killed by the system: out of memory)
                    result = ([], "the process that rendered it stopped (out of memory?); see limits: in "
                                  "cop-docs.yaml", 0.0, None)
                finish(*pending[future], result)
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
    hashes.save()
    every = project.languages_and(langs)  # pseudo-locales last
    rank = {(d.id, lang.code): i for i, (d, lang) in enumerate(itertools.product(project.documents, every))}
    return sorted(outcomes, key=lambda o: rank[o.document, o.language])


def fallback_lines(project: Project, outcome: Outcome) -> list[str]:
    """What a built output shows in the source language, one line (and one per translation not used)."""
    report = outcome.report
    if report is None or not report.fallbacks:
        return []
    m, w = report.messages, report.words
    source = project.language(project.source_language).english_name
    count = m.fuzzy + m.untranslated
    lines = [f"warning: {outcome.document} ({outcome.language}) shows {count} message{'s' * (count != 1)} "
             f"({w.fuzzy + w.untranslated} words) in {source}: {m.fuzzy} fuzzy, {m.untranslated} untranslated"]
    lines += [f"{path}:{line}: warning: translation not used, the source is shown: {why}"
              for path, line, why in report.rejected]
    return lines


