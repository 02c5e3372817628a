"""The pipeline, stage by stage: sources → catalogs → localized documents → rendered outputs.

Each public function is one command of the tool and reads top to bottom as the list of its steps. Library
errors (:class:`CopDocsError`) carry file and line; this module never prints, it reports through the
``progress`` callback the command line gives it.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import posixpath
import shutil
import signal
import time
import traceback
import unicodedata
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from . import cache, dates, dependencies, files, gate, sources
from .catalogs import coverage, merge, po, pofiles
from .catalogs import extract as extraction
from .catalogs.messages import added_bidi_controls
from .config import Document, Language, Project, Snippet
from .errors import CopDocsError, RenderError
from .localization import Key, localize
from .localization import Shown as ShownBlock
from .renderers import Job, output_path, renderer
from .segments import Json, stringify
from .sources import SourceFile

Progress = Callable[[str], None]


def _quiet(_: str) -> None:
    pass


def load_sources(project: Project, doc: Document | Snippet) -> list[SourceFile]:
    return sources.load(project, doc)


# --- extract -------------------------------------------------------------------------------------------


@dataclass
class Written:
    path: Path
    changed: bool
    detail: str = ""


def extract(project: Project, docs: Iterable[Document | Snippet], progress: Progress = _quiet) -> list[Written]:
    """Write each document's (and snippet's) POT template, only when its messages changed."""
    results = []
    for doc in docs:
        files.remove_leftovers(project.pot_path(doc).parent)
        template, count = extraction.template(project, doc, load_sources(project, doc))
        path = project.pot_path(doc)
        changed = pofiles.write_template(path, template, extraction.memo_path(project, doc))
        results.append(Written(path, changed, f"{count} messages"))
        progress(f"{'wrote' if changed else 'unchanged'} {files.relative(path, project.root)} ({count} messages)")
    return results


# --- update --------------------------------------------------------------------------------------------


def update(project: Project, docs: Iterable[Document | Snippet], langs: Iterable[Language],
           progress: Progress = _quiet) -> list[Written]:
    """Extract, then create or merge every language's PO file of each document (and snippet). A file is written
    only when what it says changes."""
    results = []
    langs = [lang for lang in langs if lang.code != project.source_language]
    for doc in docs:
        files.remove_leftovers(project.pot_path(doc).parent)
        template = extraction.template(project, doc, load_sources(project, doc))[0]
        pofiles.write_template(project.pot_path(doc), template, extraction.memo_path(project, doc))
        pot = pofiles.read(project.pot_path(doc))  # the date as written, so every PO agrees with its POT
        for lang in langs:
            path = project.po_path(doc, lang)
            old = pofiles.read(path) if path.exists() else None
            new = merge.merge(pot, old, lang, project)
            changed = pofiles.save(path, new, old)
            messages = new.messages
            translated = sum(1 for e in messages if e.state == po.TRANSLATED)
            fuzzy = sum(1 for e in messages if e.state == po.FUZZY)
            detail = f"{translated} translated, {fuzzy} fuzzy, {len(new.entries) - len(messages)} obsolete"
            state = "created" if old is None else "updated" if changed else "unchanged"
            results.append(Written(path, changed, detail))
            progress(f"{state} {files.relative(path, project.root)} ({detail})")
    return results


def outdated(project: Project, langs: Iterable[Language] | None = None) -> list[Path]:
    """The catalogs that ``update`` would change: templates whose messages differ from the sources', PO files
    that are missing or that a merge with their template would change. Nothing is written (a lock-file check);
    files are compared by what they say, not by how their lines are wrapped."""
    stale = []
    langs = [lang for lang in (langs or project.languages) if lang.code != project.source_language]
    for doc in project.catalogs:
        path = project.pot_path(doc)
        template = extraction.template(project, doc, load_sources(project, doc))[0]
        if not pofiles.template_is_current(path, template):
            stale.append(path)
            continue
        pot = pofiles.read(path)
        for lang in langs:
            po_path = project.po_path(doc, lang)
            if not po_path.exists():
                stale.append(po_path)
                continue
            current = pofiles.read(po_path)
            if merge.merge(pot, current, lang, project).content() != current.content():
                stale.append(po_path)
    return stale


# --- localize ------------------------------------------------------------------------------------------


def translations(project: Project, item: Document | Snippet, lang: Language) -> dict[Key, str]:
    """The translations a document (or snippet) shows in a language: those coverage counts as translated."""
    return _view(project, item, lang).table or {}


@dataclass
class _View:
    """What a language's catalog gives a document or snippet: the translations it shows (None: the source
    language), and the state of every other message of its template."""

    table: dict[Key, str] | None
    states: dict[Key, str] = field(default_factory=dict)
    #: translations not used because they read as another kind of block: (message, PO file, line, why)
    rejected: list[tuple[Key, str, int, str]] = field(default_factory=list)


def _view(project: Project, item: Document | Snippet, lang: Language) -> _View:
    if lang.code == project.source_language:
        return _View(None)
    found = coverage.catalog_messages(project, item, lang)
    po_path = files.relative(project.po_path(item, lang), project.root)
    for m in found:  # what check calls an error for bidi controls is never printed
        if m.state == po.TRANSLATED and (added := added_bidi_controls(m.msgid, m.msgstr)):
            raise RenderError(f"the translation holds the bidi control U+{ord(added[0]):04X}, which the source does "
                              "not have and which would reorder the text; see cop-docs check", po_path, m.msgstr_line)
    return _View({m.key: m.msgstr for m in found if m.state == po.TRANSLATED},
                 {m.key: m.state for m in found if m.state != po.TRANSLATED},
                 [(m.key, po_path, m.msgstr_line, m.reason) for m in found if m.msgstr_line is not None and m.msgstr
                  and m.reason and m.state == po.UNTRANSLATED])


@dataclass
class Shown:
    """What an output shows: its translatable blocks, and how many messages (and words) it shows in each state."""

    blocks: list[ShownBlock]
    messages: coverage.Counts  #: translated; fuzzy and untranslated: shown in the source language
    words: coverage.Counts
    rejected: list[tuple[str, int, str]]  #: (PO file, line, why) of translations not used: another kind of block

    @property
    def fallbacks(self) -> int:
        return self.messages.fuzzy + self.messages.untranslated


def localized(project: Project, doc: Document, lang: Language, files: list[SourceFile], *,
              draft: bool = False, shown: list[Shown] | None = None, epoch: int | None = None) -> Json:
    """The document in one language, with the metadata every renderer needs (a draft marks what is untranslated),
    dated ``epoch`` (default: the project's date). ``shown`` receives what the document shows (:class:`Shown`)."""
    view = _view(project, doc, lang)
    record: list[ShownBlock] = []
    rejected = list(view.rejected)
    ast = _localize(project, lang, files, view, draft, record)
    _expand_includes(project, lang, ast["blocks"], draft, record, rejected)
    ast["blocks"] = _for_document(ast["blocks"], doc)
    table = view.table or {}
    meta = ast["meta"]
    if "title" not in meta:
        meta["title"] = {"t": "MetaString", "c": table.get((None, doc.title), doc.title)}
    meta["audience"] = {"t": "MetaString", "c": table.get((None, doc.audience), doc.audience)}
    meta["lang"] = {"t": "MetaString", "c": lang.code}
    if lang.direction == "rtl":
        meta["dir"] = {"t": "MetaString", "c": "rtl"}
    meta.setdefault("toc-title", {"t": "MetaString", "c": "Contents"})
    meta.setdefault("date", {"t": "MetaString", "c": dates.day(dates.project_epoch(project) if epoch is None else epoch)})
    if shown is not None:
        blocks = _reachable(ast, record)
        states = {b.key: b.state for b in blocks}
        for key in ((None, doc.title), (None, doc.audience)):  # named on the cover, from the project file
            states.setdefault(key, "source" if view.table is None else "translated" if key in table
                              else view.states.get(key, po.UNTRANSLATED))
        # a source document's messages count as translated: nothing falls back
        counts = coverage.tally((msgid, po.TRANSLATED if state == "source" else state)
                                for (_ctx, msgid), state in states.items())
        shown.append(Shown(blocks, *counts, [(path, line, why) for key, path, line, why in rejected
                                                      if key in states]))
    return ast


def _reachable(ast: Json, record: list[ShownBlock]) -> list[ShownBlock]:
    """The recorded blocks that are still in the document (not left out by an ``only`` div, say)."""
    seen: set[int] = set()
    stack: list = [ast["blocks"], ast["meta"]]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, dict):
            stack.extend(v for v in node.values() if isinstance(v, dict | list))
        elif isinstance(node, list):
            stack.extend(v for v in node if isinstance(v, dict | list))
    return [b for b in record if id(b.segment.holder) in seen]


def _localize(project: Project, lang: Language, files: list[SourceFile], view: _View, draft: bool,
              record: list[ShownBlock] | None = None) -> Json:
    return localize(files, view.table, mark_untranslated=project.source_language if draft else None,
                    localized_urls=project.checks.localized_urls.get(lang.code), cache=project.cache_dir / "messages",
                    record=record, states=view.states)


def _for_document(blocks: list[Json], doc: Document) -> list[Json]:
    """Keep the blocks meant for this document: a div with ``only="<ids or kinds>"`` stays only in the
    documents it names (by id or by kind), so one snippet can carry a version for each audience."""
    kept = []
    for block in blocks:
        if block["t"] == "Div":
            attr, inner = block["c"]
            only = next((v for k, v in attr[2] if k == "only"), None)
            if only is not None and not {doc.id, doc.kind} & set(only.split()):
                continue
            block = {"t": "Div", "c": [attr, _for_document(inner, doc)]}
        elif block["t"] == "BlockQuote":
            block = {"t": "BlockQuote", "c": _for_document(block["c"], doc)}
        kept.append(block)
    return kept


def _expand_includes(project: Project, lang: Language, blocks: list[Json], draft: bool,
                     record: list[ShownBlock] | None = None, rejected: list | None = None,
                     trail: tuple[str, ...] = ()) -> None:
    """Put each included snippet, localized with its own catalog, where its ``include`` div stands."""
    for i, block in enumerate(blocks):
        if block["t"] != "Div":
            continue
        snippet_id = sources.include_target(block)
        if snippet_id is None:
            _expand_includes(project, lang, block["c"][1], draft, record, rejected, trail)
            continue
        snippet = project.snippet(snippet_id)
        if snippet is None or snippet_id in trail:
            raise RenderError(f"cannot include snippet '{snippet_id}'", project.config_path)
        view = _view(project, snippet, lang)
        if rejected is not None:
            rejected += view.rejected
        inner = _localize(project, lang, load_sources(project, snippet), view, draft, record)["blocks"]
        _expand_includes(project, lang, inner, draft, record, rejected, (*trail, snippet_id))
        attr = block["c"][0]
        blocks[i] = {"t": "Div", "c": [[attr[0], [*attr[1], "snippet", f"snippet-{snippet_id}"], []], inner]}


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
    report: Report | None = None


@dataclass(frozen=True)
class Report:
    """What one built document × language shows, as the build saw it (kept in its stamp for later builds)."""

    messages: coverage.Counts
    words: coverage.Counts
    blocks: int = 0  #: blocks of the document checked present in each output
    rejected: tuple[tuple[str, int, str], ...] = ()  #: (PO file, line, why) of translations not used

    @property
    def fallbacks(self) -> int:
        """Messages shown in the source language."""
        return self.messages.fuzzy + self.messages.untranslated

    def to_json(self) -> dict:
        return {"messages": list(self.messages.as_tuple()), "words": list(self.words.as_tuple()),
                "blocks": self.blocks, "rejected": [list(r) for r in self.rejected]}

    @classmethod
    def from_json(cls, data: dict) -> Report:
        return cls(coverage.Counts(*data["messages"]), coverage.Counts(*data["words"]), data.get("blocks", 0),
                   tuple(tuple(r) for r in data.get("rejected", [])))


BUILT, UP_TO_DATE, FAILED, WITHHELD = "built", "up to date", "failed", "withheld"


class Watcher:
    """Told how much work a build has and as each document × language finishes (the command line draws
    progress bars with it)."""

    def planned(self, total: int) -> None:
        pass

    def finished(self, outcome: Outcome) -> None:
        pass


def decide(project: Project) -> list[gate.Decision]:
    """The gate's decisions, from the coverage cache (without listing the missing messages)."""
    cached = coverage.project_coverage(project, cache=coverage.CoverageCache.for_project(project))
    return gate.decide(project, cached, list_missing=False)


def build(project: Project, docs: Iterable[Document], langs: Iterable[Language], formats: Iterable[str],
          progress: Progress = _quiet, jobs: int | None = None, *, force: bool = False,
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
    # Reads every source and catalog once, so workers find them cached; the missing messages are the gate's.
    decisions = decide(project)
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
                                        report=Report.from_json(known) if known else None))
            else:
                work.append((doc, lang, draft, key))
    watcher.planned(len(work))
    for outcome in outcomes:
        if outcome.status == UP_TO_DATE:
            progress(f"up to date {', '.join(files.relative(p, project.root) for p in outcome.paths)}")
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(work) or 1))

    def finish(doc: Document, lang: Language, draft: bool, key: dependencies.Key,
               result: tuple[list[Path], str, float, Report | None]) -> None:
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
            finish(doc, lang, draft, key, _build_guarded(project, doc.id, lang.code, draft, formats, key.epoch))
    elif work:
        pool = ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork"))
        try:
            pending = {pool.submit(_build_in_worker, project.config_path, doc.id, lang.code, draft, formats, key.epoch):
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
    rank = {(d.id, lang.code): i for i, (d, lang) in enumerate(itertools.product(project.documents, project.languages))}
    return sorted(outcomes, key=lambda o: rank[o.document, o.language])


def build_one(project: Project, doc_id: str, lang_code: str, draft: bool, formats: list[str],
              epoch: int | None = None) -> tuple[list[Path], Report]:
    """Every format of one document in one language, dated ``epoch`` (seconds; default: the project's date), each
    checked to hold every block of the document; and what the document shows."""
    doc, lang = project.document(doc_id), project.language(lang_code)
    epoch = dates.project_epoch(project) if epoch is None else epoch
    shown: list[Shown] = []
    ast = localized(project, doc, lang, load_sources(project, doc), draft=draft, shown=shown, epoch=epoch)
    job = Job(project, doc, lang, ast, draft=draft, blocks=shown[0].blocks, epoch=epoch)
    preflight(job)
    paths, checked = [], 0
    for fmt in formats:
        output = renderer(fmt)
        paths.append(output.render(job))
        checked = max(checked, output.checked)
    return paths, Report(shown[0].messages, shown[0].words, checked, tuple(shown[0].rejected))


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


def _build_guarded(project: Project, doc_id: str, lang_code: str, draft: bool, formats: list[str],
                   epoch: int) -> tuple[list[Path], str, float, Report | None]:
    """build_one, with a user's error or a full disk turned into a one-line message for its outcome."""
    start = time.perf_counter()
    limits = project.limits
    previous = signal.signal(signal.SIGALRM, _out_of_time)
    signal.setitimer(signal.ITIMER_REAL, limits.seconds_per_output)
    try:
        paths, report = build_one(project, doc_id, lang_code, draft, formats, epoch)
        return paths, "", time.perf_counter() - start, report
    except _OutOfTime:
        return [], (f"rendering took longer than {limits.seconds_per_output:g} s, the budget "
                    "of an output (limits: seconds-per-output in cop-docs.yaml)"), time.perf_counter() - start, None
    except MemoryError:
        return [], (f"rendering needed more than {limits.memory_per_output} MiB, the budget "
                    "of an output (limits: memory-per-output in cop-docs.yaml)"), time.perf_counter() - start, None
    except CopDocsError as exc:
        return [], str(exc), time.perf_counter() - start, None
    except OSError as exc:  # a full disk, a read-only build folder: the message names the file
        return [], f"{exc.filename or ''}: {exc.strerror or exc}".lstrip(": "), time.perf_counter() - start, None
    except RecursionError:
        return [], ("the document nests blocks or emphasis too deeply to be rendered; "
                    "flatten the deepest lists, quotes or emphasis"), time.perf_counter() - start, None
    except Exception as exc:  # noqa: BLE001 - any other failure is this output's, not the whole build's
        where = next((f"{frame.filename.rsplit('/', 1)[-1]}:{frame.lineno}" for frame in
                      reversed(traceback.extract_tb(exc.__traceback__))), "")
        return [], (f"unexpected {type(exc).__name__} in {where}: {exc} (a fault of "
                    "cop-docs: please report it with the input that causes it)"), time.perf_counter() - start, None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class _OutOfTime(Exception):
    pass


def _out_of_time(_signum, _frame) -> None:
    raise _OutOfTime()


def _build_in_worker(config_path: Path, doc_id: str, lang_code: str, draft: bool, formats: list[str],
                     epoch: int) -> tuple[list[Path], str, float, Report | None]:
    from . import config

    project = config.load(config_path)
    # The engines load before the budget is set: it is for rendering, and an import that fails for want of
    # memory fails as anything but a MemoryError.
    for fmt in formats:
        renderer(fmt)
    from .renderers import cover, epub_fonts, fonts, pdf_text, theme  # noqa: F401
    _limit_memory(project.limits.memory_per_output)
    return _build_guarded(project, doc_id, lang_code, draft, formats, epoch)


def _limit_memory(mebibytes: int) -> None:
    """Cap the data a rendering process may allocate (a worker's, not the command's own process)."""
    try:
        import resource

        wanted = mebibytes * 1024 * 1024
        soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
        if soft == resource.RLIM_INFINITY or soft > wanted:
            resource.setrlimit(resource.RLIMIT_DATA, (wanted, hard))
    except (ImportError, ValueError, OSError):
        pass  # a system without the limit: the time budget still holds


def preflight(job: Job) -> None:
    """Fail before rendering on what the engines would only warn about: a missing image or alt text, a missing
    glyph or font."""
    _check_images(job)
    _check_glyphs(job)


def _check_images(job: Job) -> None:
    """Every image is a file under sources/ (the renderers would silently leave a hole, or go online)."""
    sources = (job.project.root / "sources").resolve()
    for url, alt in _images(job.doc):
        path = (job.project.root / url).resolve()
        problem = None
        if not alt.strip():
            problem = (f"image '{url}' has no alt text: describe the picture between the brackets, "
                       "![what it shows](file), for readers who cannot see it")
        elif url.startswith("data:"):
            continue
        elif ":" in url.split("/")[0] or url.startswith("/"):
            problem = f"image '{url}' is not a file of the project: keep images under sources/"
        elif sources not in path.parents:
            problem = f"image '{url}' lies outside sources/"
        elif not path.is_file():
            problem = f"image '{url}' does not exist"
        if problem:
            where, line = _find_text(job, posixpath.basename(url))
            raise RenderError(problem, where, line)


def _images(node: object) -> list[tuple[str, str]]:
    """The (URL, alt text) of every image."""
    found: list[tuple[str, str]] = []
    if isinstance(node, dict):
        if node.get("t") == "Image":
            found.append((node["c"][2][0], stringify(node["c"][1])))
        for value in node.values():
            found += _images(value)
    elif isinstance(node, list):
        for value in node:
            found += _images(value)
    return found


def _check_glyphs(job: Job) -> None:
    """Fail if a character of the document has no glyph in the language's fonts."""
    from .renderers import fonts, theme  # here, not at the top: extraction and update never load the engines

    chars = set(job.title) | set(job.language.name) | set(job.project.edition) | set(theme.GENERATED_CHARACTERS)
    _characters(job.doc, chars)
    fonts.coverage(job.language.heading_fonts)  # a heading font that is not installed is an error, as a text font
    missing = fonts.missing_glyphs(chars, job.language.fonts)
    if missing:
        ch = missing[0]
        path, line = _find_text(job, ch)
        more = f" (and {len(missing) - 1} more characters)" if len(missing) > 1 else ""
        name = unicodedata.name(ch, "unnamed character")
        raise RenderError(
            f"'{ch}' (U+{ord(ch):04X} {name}) has no glyph in the fonts for '{job.language.code}' "
            f"({', '.join(job.language.fonts)}){more}; add a font that covers it to the language's font stack",
            path, line)


def _characters(node: object, into: set[str]) -> None:
    if isinstance(node, dict):
        t = node.get("t")
        if t in ("Str", "MetaString"):
            into.update(node["c"])
        elif t in ("Code", "CodeBlock", "Math"):
            into.update(node["c"][1])
        else:
            _characters(node.get("c"), into)
            if "t" not in node:  # the metadata map
                for value in node.values():
                    _characters(value, into)
    elif isinstance(node, list):
        for item in node:
            _characters(item, into)


def _find_text(job: Job, needle: str) -> tuple[Path | str | None, int | None]:
    """Where some text comes from: the language's catalog, else a source file."""
    candidates = [job.project.po_path(job.document, job.language), *job.document.sources]
    for snippet in sources.included_snippets(job.project, job.document):
        candidates += [job.project.po_path(snippet, job.language), *snippet.sources]
    spellings = [needle]
    if len(needle) == 1:  # a character may be written as an entity
        spellings += [f"&#x{ord(needle):X};", f"&#x{ord(needle):x};", f"&#{ord(needle)};"]
    for path in candidates:
        try:
            for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if any(s in text for s in spellings):
                    return files.relative(path, job.project.root), number
        except (OSError, UnicodeDecodeError):
            continue
    return None, None
