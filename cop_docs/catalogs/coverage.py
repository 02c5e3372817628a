"""Translation coverage: how much of each catalog is translated, in messages and in source words.

In: a project's templates and PO files, or any gettext catalogs given as files or folders (like ``pocount``).
Out: :class:`CatalogCoverage` records (one per catalog) and a :class:`Report` that rolls them up per language,
document and audience; for a project, also the state of every message (:func:`measure`), which the gate
lists, the build applies and the checks report. Output formats live in :mod:`cop_docs.reports`.

**A project's catalogs** are measured against their templates: a document's messages are those of its POT
(plus the POTs of the snippets it includes), and each is, in a language:

- *translated* when the PO file has it with a non-empty msgstr, not fuzzy, that reads as the same kind of block
  as its msgid (see :func:`cop_docs.catalogs.messages.mismatch`); the build shows exactly these translations;
- *fuzzy* when the PO file has a translation flagged fuzzy;
- *untranslated* otherwise: an empty msgstr, a message the PO file lacks (or no PO file at all), a translation
  of another kind of block.

Entries the template does not have (obsolete ones, or ones of an older template) do not count. So an empty
PO file, one holding only obsolete entries, or one cut short, is as incomplete as it looks.

**Free-standing catalogs** (``cop-docs coverage PATH…``) have no template: they are counted as GNU
``msgfmt --statistics`` counts them, exactly — the PO file's own entries, obsolete ones and the header left
out, a fuzzy entry with an empty msgstr untranslated, any non-empty msgstr translated (even white space).

Both read files with the one reader of :mod:`cop_docs.catalogs.po`. Source words are the words of each
message's msgid (see :func:`cop_docs.words.count_markdown`), counted in the message's state. Counts are kept in a
:class:`CoverageCache` keyed by each file's path, size and modification time, so that a repeated run reads
nothing; free-standing files are read in parallel processes when there is much to read.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import files
from ..cache import Stamp, settled, stamp
from ..cache import version as cache_version
from ..errors import CatalogError

if TYPE_CHECKING:
    from ..config import Document, Language, Limits, Project, Snippet
    from .po import Catalog, Entry

UNKNOWN_LANGUAGE = "und"  #: the BCP-47 "undetermined" tag, for catalogs that name no language
CACHE_NAME = "coverage.json"


# --- counts ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Counts:
    """Messages (or words) in each state, as msgfmt counts them."""

    translated: int = 0
    fuzzy: int = 0
    untranslated: int = 0

    @property
    def total(self) -> int:
        return self.translated + self.fuzzy + self.untranslated

    @property
    def percent(self) -> float:
        """Translated share in percent; 100.0 for an empty catalog (nothing is missing)."""
        total = self.total
        return 100.0 if total == 0 else self.translated * 100.0 / total

    @property
    def complete(self) -> bool:
        return self.translated == self.total

    def __add__(self, other: Counts) -> Counts:
        if not isinstance(other, Counts):
            return NotImplemented
        return Counts(self.translated + other.translated, self.fuzzy + other.fuzzy, self.untranslated + other.untranslated)

    def as_tuple(self) -> tuple[int, int, int]:
        return (self.translated, self.fuzzy, self.untranslated)


@dataclass(frozen=True)
class CatalogCoverage:
    path: str  #: as given, or relative to the project root
    language: str | None  #: the PO "Language:" header, or the project's language code
    document: str | None  #: the project document's id; None for free-standing files
    audience: str | None
    messages: Counts
    words: Counts  #: source words (the words of the msgid) in each state
    missing: bool = False  #: no PO file yet: every message of the template counts as untranslated
    snippets: tuple[str, ...] = ()  #: catalogs of the shared snippets the document includes, counted in it


@dataclass
class Report:
    """Coverage of a set of catalogs, with roll-ups. Each roll-up maps a key to (messages, words)."""

    catalogs: list[CatalogCoverage] = field(default_factory=list)

    def _by(self, key) -> dict[str, tuple[Counts, Counts]]:
        out: dict[str, tuple[Counts, Counts]] = {}
        for c in self.catalogs:
            k = key(c)
            if k is None:
                continue
            messages, words = out.get(k, (Counts(), Counts()))
            out[k] = (messages + c.messages, words + c.words)
        return out

    def by_language(self) -> dict[str, tuple[Counts, Counts]]:
        """Per language (catalogs naming none under ``"und"``), in order of first appearance."""
        return self._by(lambda c: c.language or UNKNOWN_LANGUAGE)

    def by_document(self) -> dict[str, tuple[Counts, Counts]]:
        """Per project document, over every language; free-standing catalogs are left out."""
        return self._by(lambda c: c.document)

    def by_audience(self) -> dict[str, tuple[Counts, Counts]]:
        """Per audience, over every document of that audience and every language."""
        return self._by(lambda c: c.audience)

    def total(self) -> tuple[Counts, Counts]:
        messages, words = Counts(), Counts()
        for c in self.catalogs:
            messages, words = messages + c.messages, words + c.words
        return messages, words


# --- one PO file, as msgfmt counts it -------------------------------------------------------------------------


@dataclass(frozen=True)
class CatalogCounts:
    """What one PO file holds: its messages and source words in each state, and its ``Language:`` header."""

    messages: Counts
    words: Counts
    language: str | None


def count_catalog(path: str | os.PathLike[str]) -> CatalogCounts:
    """Count one PO file alone, as ``msgfmt --statistics`` does (no cache)."""
    from . import po

    catalog = po.read(path)
    ids: tuple[list[str], list[str], list[str]] = ([], [], [])
    slot = {po.TRANSLATED: 0, po.FUZZY: 1, po.UNTRANSLATED: 2}
    if catalog.header is not None and catalog.header.msgstr == "":
        ids[2].append("")  # msgfmt counts an empty header as an untranslated message
    for entry in catalog.entries:
        if not entry.obsolete:
            ids[slot[entry.state]].append(entry.msgid)
    from .. import words  # here: the patterns load only when something is counted, not from the cache

    counted = [words.count_markdown("\0".join(found)) if found else 0 for found in ids]
    language = catalog.metadata.get("Language") or None
    return CatalogCounts(Counts(*map(len, ids)), Counts(*counted), language)


# --- a project's catalogs, against their templates ------------------------------------------------------------


@dataclass(frozen=True)
class Message:
    """One message of a template in one language: its state there and why."""

    msgctxt: str | None
    msgid: str
    state: str  #: translated, fuzzy or untranslated
    reason: str  #: why it is not translated ("" when it is)
    template_line: int  #: the line of its msgid in the template
    line: int | None  #: the line of its msgid in the PO file; None when the PO file lacks it
    msgstr: str  #: the translation the PO file holds, used or not
    msgstr_line: int | None = None  #: the line of that translation's msgstr

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)


NOT_IN_CATALOG = "not in the PO file"
NO_CATALOG = "no PO file yet"


def measure(template: Catalog, catalog: Catalog | None, rejected: dict[tuple[str | None, str], str]) -> list[Message]:
    """The state of each message of a template in a language's catalog (None: there is none yet).
    ``rejected`` gives, for translations that may not stand in for their source, why (:func:`rejections`)."""
    from . import po

    found = catalog.by_key() if catalog is not None else {}
    out = []
    for t in template.messages:
        entry = found.get(t.key)
        if entry is None:
            reason = NOT_IN_CATALOG if catalog is not None else NO_CATALOG
            out.append(Message(t.msgctxt, t.msgid, po.UNTRANSLATED, reason, t.msgid_line, None, ""))
            continue
        state = entry.state
        reason = {po.UNTRANSLATED: "not translated", po.FUZZY: "fuzzy", po.TRANSLATED: ""}[state]
        if state == po.TRANSLATED and t.key in rejected:
            state, reason = po.UNTRANSLATED, rejected[t.key]
        out.append(Message(t.msgctxt, t.msgid, state, reason, t.msgid_line, entry.msgid_line, entry.msgstr,
                           entry.msgstr_line))
    return out


def rejections(catalogs: list[Catalog], limits: Limits | None = None) -> list[dict[tuple[str | None, str], str]]:
    """For each catalog, its translations that cannot be used, with why: longer than the project's ``limits``, or
    reading as another kind of block than their msgid (one pandoc call for them all)."""
    from . import messages

    pairs = [(c_i, e) for c_i, c in enumerate(catalogs) for e in c.entries if _counts_translated(e)]
    out: list[dict[tuple[str | None, str], str]] = [{} for _ in catalogs]
    if not pairs:
        return out
    verdicts = messages.mismatches([(e.msgid, e.msgstr) for _, e in pairs], limits)
    for (c_i, entry), verdict in zip(pairs, verdicts, strict=True):
        if verdict:
            out[c_i][entry.key] = verdict
    return out


def _counts_translated(entry: Entry) -> bool:
    return not entry.obsolete and entry.msgid_plural is None and entry.msgstr != "" and not entry.fuzzy


def tally(states: Iterable[tuple[str, str]]) -> tuple[Counts, Counts]:
    """Messages and source words in each state, from (msgid, state) pairs."""
    ids: dict[str, list[str]] = {"translated": [], "fuzzy": [], "untranslated": []}
    for msgid, state in states:
        ids[state].append(msgid)
    from .. import words

    messages = Counts(len(ids["translated"]), len(ids["fuzzy"]), len(ids["untranslated"]))
    return messages, Counts(*(words.count_markdown("\0".join(v)) if v else 0 for v in ids.values()))


def catalog_messages(project: Project, item: Document | Snippet, lang: Language) -> list[Message]:
    """The state of every message of a document's (or snippet's) template in a language, read now."""
    from . import po

    template, catalog = _read_pair(project, item, lang, po)
    return measure(template, catalog, rejections([catalog], project.limits)[0] if catalog is not None else {})


def catalog_translations(catalog: Catalog) -> dict[tuple[str | None, str], str]:
    """A catalog's usable translations without a template (``po2md``): its own translated entries."""
    rejected = rejections([catalog])[0]
    return {e.key: e.msgstr for e in catalog.entries if _counts_translated(e) and e.key not in rejected}


def _read_pair(project: Project, item: Document | Snippet, lang: Language, po: Any) -> tuple[Catalog, Catalog | None]:
    pot_path = project.pot_path(item)
    if not pot_path.is_file():
        raise CatalogError(f"'{item.id}' has no template yet: run cop-docs extract", pot_path)
    po_path = project.po_path(item, lang)
    if lang.pseudo:  # a pseudo-locale's catalog is made from the template (see pseudo.py)
        from . import pseudo

        template = po.read(pot_path)
        return template, pseudo.read(project, item, lang, template)
    return po.read(pot_path), (po.read(po_path) if po_path.is_file() else None)


# --- cache ---------------------------------------------------------------------------------------------------


def _default_cache_path() -> Path:
    base = os.environ.get("XDG_CACHE_HOME")
    return (Path(base) if base and os.path.isabs(base) else Path.home() / ".cache") / "cop-docs" / CACHE_NAME


class CoverageCache:
    """Counts already made, keyed by the files they were made from, each with its (size, mtime_ns), in one JSON
    file: a free-standing PO file under its absolute path; a project catalog under the absolute paths of its PO
    file and its template.

    The functions that take a cache load it on first use and save it when they changed it, so callers only
    create one (:meth:`for_project`, :meth:`for_paths`); :meth:`load` and :meth:`save` may also be called.

    A file modified less than :data:`cop_docs.cache.RACY_SECONDS` before it was read is not remembered: a change
    within the same timestamp tick, keeping the size, would otherwise go unseen. Entries of files that no longer exist
    are dropped when the cache is saved. A cache that cannot be read (or was written under other rules) is
    treated as empty; one that cannot be written is left as it was — it only saves time. A cache written by
    another version of the tool (:func:`cop_docs.cache.version`) is discarded.
    """

    def __init__(self, path: Path):
        self.path = Path(path)
        self.entries: dict[str, list[Any]] = {}
        self.loaded = False
        self.dirty = False
        self.hits = 0
        self.misses = 0

    @classmethod
    def for_project(cls, project: Project) -> CoverageCache:
        return cls(project.cache_dir / CACHE_NAME)

    @classmethod
    def for_paths(cls) -> CoverageCache:
        """The cache for free-standing paths: ``$XDG_CACHE_HOME/cop-docs/coverage.json`` (or ``~/.cache/…``)."""
        return cls(_default_cache_path())

    default = for_paths

    def load(self) -> CoverageCache:
        try:
            with open(self.path, encoding="utf-8") as fh:
                data = json.load(fh)
            if data.get("version") == cache_version() and isinstance(data.get("entries"), dict):
                self.entries = data["entries"]
        except (OSError, ValueError, AttributeError):
            self.entries = {}
        self.loaded, self.dirty = True, False
        return self

    def save(self) -> bool:
        """Write the cache if it changed; whether it was written."""
        if not self.dirty:
            return False
        # a project catalog's key is "PO\0POT\0limits": it stays while its template does
        self.entries = {k: v for k, v in self.entries.items() if os.path.exists(k.split("\0")[1] if "\0" in k else k)}


        text = json.dumps({"version": cache_version(), "entries": self.entries}, ensure_ascii=False, separators=(",", ":"))
        try:
            files.write_atomic(self.path, text)
        except OSError:
            return False
        self.dirty = False
        return True

    def get(self, key: str, stamps: list[Stamp]) -> CatalogCounts | None:
        if not self.loaded:
            self.load()
        entry = self.entries.get(key)
        if entry is not None and entry[0] == stamps:
            self.hits += 1
            return CatalogCounts(Counts(*entry[1]), Counts(*entry[2]), entry[3])
        self.misses += 1
        return None

    def put(self, key: str, stamps: list[Stamp], stats: CatalogCounts, read_at_ns: int) -> None:
        if not self.loaded:
            self.load()
        if not settled(stamps, read_at_ns):
            self.entries.pop(key, None)  # too recent to trust the timestamp
        else:
            self.entries[key] = [stamps, list(stats.messages.as_tuple()), list(stats.words.as_tuple()), stats.language]
        self.dirty = True


def _stamp(path: str) -> Stamp:
    try:
        return stamp(path)
    except OSError as exc:  # a catalog that cannot be read is the user's to fix: said with its path
        raise CatalogError(f"cannot read catalog: {exc.strerror or exc}", path) from None


# --- many free-standing files ----------------------------------------------------------------------------------

#: Below this much text to read, starting worker processes costs more than it saves.
PARALLEL_MIN_BYTES = 3_000_000


def _count_chunk(names: list[str]) -> list[Any]:
    """Worker: counts, or the error as plain values (a CatalogError does not survive pickling whole)."""
    out: list[Any] = []
    for name in names:
        try:
            out.append(count_catalog(name))
        except CatalogError as exc:
            out.append(("error", exc.message, exc.path, exc.line))
    return out


def _parallel(names: list[str], sizes: list[int]) -> list[Any] | None:
    import multiprocessing
    import threading
    from concurrent.futures import ProcessPoolExecutor

    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    if cpus < 2 or threading.active_count() > 1 or "fork" not in multiprocessing.get_all_start_methods():
        return None  # forking a process with threads is unsafe; spawning would cost more than it saves
    workers = min(cpus, 8)
    # chunks of about equal size, biggest files first, a few per worker to even out the load
    n_chunks = min(len(names), workers * 4)
    chunks: list[list[int]] = [[] for _ in range(n_chunks)]
    loads = [0] * n_chunks
    for i in sorted(range(len(names)), key=lambda i: -sizes[i]):
        j = loads.index(min(loads))
        chunks[j].append(i)
        loads[j] += sizes[i]
    results: list[Any] = [None] * len(names)
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        for chunk, values in zip(chunks, pool.map(_count_chunk, [[names[i] for i in c] for c in chunks]), strict=True):
            for i, value in zip(chunk, values, strict=True):
                results[i] = value
    return results


def count_many(paths: list[Path], cache: CoverageCache | None = None, *, parallel: bool | None = None) -> list[CatalogCounts]:
    """msgfmt's counts of many PO files, from the cache where it is up to date, in worker processes when worth it
    (``parallel`` forces or forbids them); the cache is saved if it changed. The first catalog that cannot be
    read raises its CatalogError."""
    results: list[CatalogCounts | None] = [None] * len(paths)
    todo: list[int] = []
    keys: list[str] = []
    stamps: list[list[Stamp]] = []
    for i, path in enumerate(paths):
        key = os.path.abspath(path)
        stamp = _stamp(key)
        if stamp is None:
            raise CatalogError("cannot read catalog: No such file or directory", path)
        keys.append(key)
        stamps.append([stamp])
        if cache is not None and (hit := cache.get(key, stamps[-1])) is not None:
            results[i] = hit
        else:
            todo.append(i)
    if not todo:
        return results  # type: ignore[return-value]
    read_at = time.time_ns()
    names = [os.fspath(paths[i]) for i in todo]
    sizes = [stamps[i][0][0] for i in todo]  # type: ignore[index]
    values: list[Any] | None = None
    if parallel or (parallel is None and len(todo) >= 4 and sum(sizes) >= PARALLEL_MIN_BYTES):
        values = _parallel(names, sizes)
    if values is None:
        values = _count_chunk(names)
    for i, value in zip(todo, values, strict=True):
        if isinstance(value, tuple):
            _, message, where, line = value
            raise CatalogError(message, where, line)
        results[i] = value
        if cache is not None:
            cache.put(keys[i], stamps[i], value, read_at)
    if cache is not None:
        cache.save()
    return results  # type: ignore[return-value]


def _coverage(stats: CatalogCounts, shown: str, document: str | None, audience: str | None,
              language: str | None, missing: bool = False) -> CatalogCoverage:
    return CatalogCoverage(shown, language or stats.language, document, audience, stats.messages, stats.words, missing)


def catalog_coverage(path: Path, *, shown_path: str | None = None, document: str | None = None,
                     audience: str | None = None, language: str | None = None,
                     cache: CoverageCache | None = None) -> CatalogCoverage:
    """Coverage of one free-standing PO file, as msgfmt counts it. ``language`` overrides its ``Language:``."""
    (stats,) = count_many([Path(path)], cache)
    return _coverage(stats, shown_path if shown_path is not None else os.fspath(path), document, audience, language)


def _catalog_files(paths: Iterable[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            found = [Path(folder) / n for folder, _, names in os.walk(path) for n in names if n.endswith(".po")]
            files += sorted(found, key=lambda p: p.parts)
        elif path.exists():
            files.append(path)
        else:
            raise CatalogError("no such file or folder", path)
    return files


def scan(paths: list[Path], cache: CoverageCache | None = None) -> list[CatalogCoverage]:
    """Coverage of PO files given directly (any name) or found in folders (``*.po``, recursively, sorted by path),
    each counted alone as msgfmt counts it."""
    files = _catalog_files(paths)
    return [_coverage(s, os.fspath(f), None, None, None) for f, s in zip(files, count_many(files, cache), strict=True)]


# --- a project --------------------------------------------------------------------------------------------------


def project_counts(project: Project, pairs: list[tuple[Document | Snippet, Language]],
                   cache: CoverageCache | None = None) -> list[CatalogCounts]:
    """Messages and words of each (document or snippet, language) measured against its template, from the
    cache where both files are unchanged; the others are read, and their translations parsed in one batch."""
    from . import po

    results: list[CatalogCounts | None] = [None] * len(pairs)
    todo: list[tuple[int, str, list[Stamp]]] = []
    for i, (item, lang) in enumerate(pairs):
        pot, po_path = os.path.abspath(project.pot_path(item)), os.path.abspath(project.po_path(item, lang))
        stamps = [_stamp(po_path), _stamp(pot)]
        if stamps[1] is None:
            raise CatalogError(f"'{item.id}' has no template yet: run cop-docs extract", project.pot_path(item))
        key = f"{po_path}\0{pot}\0{project.limits.translation_factor},{project.limits.translation_extra}"
        if cache is not None and (hit := cache.get(key, stamps)) is not None:
            results[i] = hit
        else:
            todo.append((i, key, stamps))
    if not todo:
        return results  # type: ignore[return-value]
    read_at = time.time_ns()
    read = [_read_pair(project, *pairs[i], po) for i, _, _ in todo]
    found = [c for _, c in read if c is not None]
    rejected = iter(rejections(found, project.limits))
    for (i, key, stamps), (template, catalog) in zip(todo, read, strict=True):
        found_messages = measure(template, catalog, next(rejected) if catalog is not None else {})
        messages, words = tally((m.msgid, m.state) for m in found_messages)
        language = catalog.metadata.get("Language") if catalog is not None else None
        results[i] = CatalogCounts(messages, words, language or None)
        if cache is not None:
            cache.put(key, stamps, results[i], read_at)  # type: ignore[arg-type]
    if cache is not None:
        cache.save()
    return results  # type: ignore[return-value]


def project_coverage(project: Project, cache: CoverageCache | None = None,
                     languages: list[Language] | None = None) -> list[CatalogCoverage]:
    """Coverage of every target language × document of a project (or of ``languages``, which may name a
    pseudo-locale), language by language, each document measured against its template. A language without a PO
    file for a document has every message untranslated (``missing=True``); a document without a template is an
    error (run ``cop-docs extract``). The messages of the shared snippets a document includes count in that
    document (and so in every document that includes them)."""
    from ..sources import included_snippets  # reading the masters' include lists; not needed for free files

    includes = {doc.id: included_snippets(project, doc) for doc in project.documents}
    catalogs = [*project.documents, *{s.id: s for found in includes.values() for s in found}.values()]
    languages = project.target_languages if languages is None else languages
    pairs = [(item, lang) for lang in languages for item in catalogs]
    counted = project_counts(project, pairs, cache)
    rows: dict[tuple[str, str], CatalogCoverage] = {}
    for (item, lang), stats in zip(pairs, counted, strict=True):
        po_path = project.po_path(item, lang)
        rows[(item.id, lang.code)] = CatalogCoverage(files.relative(po_path, project.root), lang.code, item.id,
                                                     getattr(item, "audience", None), stats.messages, stats.words,
                                                     not po_path.is_file())
    out = []
    for lang in languages:
        for doc in project.documents:
            row = rows[(doc.id, lang.code)]
            parts = [rows[(s.id, lang.code)] for s in includes[doc.id]]
            if parts:
                row = replace(row, messages=sum((p.messages for p in parts), row.messages),
                              words=sum((p.words for p in parts), row.words), snippets=tuple(p.path for p in parts))
            out.append(row)
    return out
