"""What changed in the templates since a point in the project's git history, for one language: ``cop-docs changes``.

In: the project, a language, and where to start from (a git reference, a date, or by default the last commit in
which a translation of that language changed). Out: a :class:`Report` per document and snippet: the messages that
are new, changed or removed between the templates at that commit (``REF:translations/<doc>/<doc>.pot``, all read
by one ``git cat-file``) and the templates in the working tree, each with its state in the language's catalog now,
a word-level diff of the changed ones, and counts in source words; rendered as Markdown (:func:`to_markdown`) or
JSON (:meth:`Report.as_dict`).

A changed message is a removed one paired with a new one, as msgmerge pairs them: the ``#| msgid`` the
language's PO file holds for a new message names its old text (the strongest evidence), and the others are
paired by msgmerge's similarity (:data:`cop_docs.catalogs.merge.SIMILARITY`), each old message with at most one
new one, the most similar first.
"""

from __future__ import annotations

import difflib
import re
import subprocess
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import regex

from .. import words
from ..errors import CatalogError, ConfigError, CopDocsError
from . import coverage, po

if TYPE_CHECKING:
    from ..config import Document, Language, Project, Snippet

NEW, CHANGED, REMOVED = "new", "changed", "removed"
#: How the starting commit was found.
BY_PASS, BY_REF, BY_DATE, NO_PASS = "last-pass", "ref", "date", "none"
#: The state of a removed message in the language's catalog, besides po's three.
OBSOLETE, ABSENT = "obsolete", "absent"

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})?)?")
_MEMORY_COMMENT = "memory:"  # the translator comment `update` gives a message it filled from the memory


# --- the report ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Since:
    """The commit the templates are compared with, and how it was found."""

    how: str  #: last-pass, ref, date or none (no earlier translation: every message is new)
    given: str | None = None  #: what --since said
    commit: str | None = None
    date: str | None = None  #: its committer date (ISO 8601)
    subject: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"how": self.how, "given": self.given, "commit": self.commit, "date": self.date, "subject": self.subject}


@dataclass
class Message:
    """One listed message: new, changed (with its old text and the diff) or removed (its old text)."""

    change: str  #: new, changed or removed
    msgid: str
    msgctxt: str | None
    words: int  #: the words of its text (the old text for a removed message)
    state: str  #: its state in the language's catalog now
    reason: str = ""  #: why it is not translated, when it is not
    template_line: int | None = None  #: its line in the current template (None when removed)
    po_line: int | None = None  #: its line in the language's PO file, when the file has it
    references: tuple[str, ...] = ()
    old_msgid: str | None = None
    old_msgctxt: str | None = None
    changed_words: int = 0  #: words of the added and replaced text
    paired_by: str | None = None  #: previous-msgid or similarity
    similarity: float | None = None
    diff: list[tuple[str, str]] = field(default_factory=list)  #: (equal|delete|insert, text)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"msgctxt": self.msgctxt, "msgid": self.msgid, "words": self.words, "state": self.state}
        if self.change != REMOVED:
            out.update({"reason": self.reason, "template_line": self.template_line, "po_line": self.po_line,
                        "references": list(self.references)})
        if self.change == CHANGED:
            out.update({"old_msgctxt": self.old_msgctxt, "old_msgid": self.old_msgid,
                        "changed_words": self.changed_words, "paired_by": self.paired_by,
                        "similarity": self.similarity, "diff": [{"op": op, "text": text} for op, text in self.diff]})
        return out


@dataclass
class Counts:
    new: int = 0
    changed: int = 0
    removed: int = 0
    new_words: int = 0
    changed_words: int = 0  #: the added and replaced words of the changed messages
    changed_message_words: int = 0  #: every word of the changed messages
    removed_words: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(*(a + b for a, b in zip(self.as_tuple(), other.as_tuple(), strict=True)))

    def as_tuple(self) -> tuple[int, ...]:
        return (self.new, self.changed, self.removed, self.new_words, self.changed_words, self.changed_message_words,
                self.removed_words)

    def as_dict(self) -> dict[str, int]:
        return dict(zip(("new", "changed", "removed", "new_words", "changed_words", "changed_message_words",
                         "removed_words"), self.as_tuple(), strict=True))


@dataclass
class CatalogChanges:
    """The changes of one document's (or snippet's) template."""

    id: str
    kind: str  #: document, snippet, or removed (a template at the commit that the project no longer has)
    template: str  #: the template's path, relative to the project
    po: str | None  #: the language's PO file, relative to the project (None for a removed one)
    existed: bool  #: whether the template existed at the commit
    new: list[Message] = field(default_factory=list)
    changed: list[Message] = field(default_factory=list)
    removed: list[Message] = field(default_factory=list)

    @property
    def counts(self) -> Counts:
        return Counts(len(self.new), len(self.changed), len(self.removed), sum(m.words for m in self.new),
                      sum(m.changed_words for m in self.changed), sum(m.words for m in self.changed),
                      sum(m.words for m in self.removed))

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "template": self.template, "po": self.po, "existed": self.existed,
                "counts": self.counts.as_dict(), "new": [m.as_dict() for m in self.new],
                "changed": [m.as_dict() for m in self.changed], "removed": [m.as_dict() for m in self.removed]}


@dataclass
class Report:
    language: str
    language_name: str
    since: Since
    catalogs: list[CatalogChanges]

    @property
    def totals(self) -> Counts:
        return sum((c.counts for c in self.catalogs), Counts())

    def as_dict(self) -> dict[str, Any]:
        return {"language": self.language, "language_name": self.language_name, "since": self.since.as_dict(),
                "totals": self.totals.as_dict(), "catalogs": [c.as_dict() for c in self.catalogs]}


# --- git ----------------------------------------------------------------------------------------------------


class _Git:
    """The project's repository: commands run from its top folder, paths given from there."""

    def __init__(self, project: Project):
        try:
            top = self._run(project.root, "rev-parse", "--show-toplevel").strip()
        except CopDocsError as exc:
            if "not a git repository" in exc.message:
                raise CopDocsError("not a git repository: `changes` compares with the project's git history",
                                   project.root) from None
            raise
        self.top = Path(top)
        self.project = project
        self.prefix = self._run(project.root, "rev-parse", "--show-prefix").strip()  # the project's folder in it
        self._catalogs: dict[str, po.Catalog] = {}

    @staticmethod
    def _run(cwd: Path, *args: str, data: bytes | None = None) -> str:
        try:
            done = subprocess.run(["git", *args], cwd=cwd, input=data, capture_output=True)
        except FileNotFoundError:
            raise CopDocsError("git is not installed: `changes` reads the project's git history") from None
        if done.returncode != 0:
            message = done.stderr.decode("utf-8", "replace").strip().splitlines()
            raise CopDocsError(f"git {args[0]}: {message[-1] if message else 'failed'}", cwd)
        return done.stdout.decode("utf-8", "surrogateescape")

    def run(self, *args: str) -> str:
        return self._run(self.top, *args)

    def commit(self, text: str) -> str | None:
        """The commit a reference names, or None."""
        try:
            return self.run("rev-parse", "--verify", "--quiet", "--end-of-options", f"{text}^{{commit}}").strip()
        except CopDocsError:
            return None

    def blobs(self, specs: list[str]) -> list[bytes | None]:
        """The contents of objects (``REV:path`` or blob ids), None for those that do not exist; one git process."""
        if not specs:
            return []
        try:
            done = subprocess.run(["git", "cat-file", "--batch"], cwd=self.top, capture_output=True,
                                  input="".join(f"{s}\n" for s in specs).encode("utf-8", "surrogateescape"), check=True)
        except (subprocess.CalledProcessError, FileNotFoundError) as exc:
            raise CopDocsError(f"git cat-file failed: {exc}") from None
        out, data, at = [], done.stdout, 0
        for _ in specs:
            end = data.index(b"\n", at)
            header = data[at:end].split(b" ")
            at = end + 1
            if header[-1] in (b"missing", b"ambiguous"):
                out.append(None)
                continue
            size = int(header[2])  # "<id> <type> <size>", then the content
            out.append(data[at:at + size] if header[1] == b"blob" else None)
            at += size + 1
        return out

    def catalogs(self, blobs: dict[str, str]) -> dict[str, po.Catalog]:
        """Catalogs of the history by blob id (``blobs``: blob id -> path), each read once, all in one git
        process; one that cannot be read counts as empty (a broken file committed once says nothing)."""
        missing = [blob for blob in blobs if blob not in self._catalogs]
        for blob, data in zip(missing, self.blobs(missing), strict=True):
            try:
                self._catalogs[blob] = po.loads(data, blobs[blob]) if data is not None else po.Catalog()
            except CatalogError:
                self._catalogs[blob] = po.Catalog()
        return {blob: self._catalogs[blob] for blob in blobs}

    def shallow(self) -> set[str]:
        """The commits whose parents a shallow clone did not fetch."""
        if self.run("rev-parse", "--is-shallow-repository").strip() != "true":
            return set()
        path = Path(self.run("rev-parse", "--path-format=absolute", "--git-path", "shallow").strip())
        return set(path.read_text(encoding="ascii").split()) if path.is_file() else set()

    def describe(self, commit: str, how: str, given: str | None) -> Since:
        sha, date, subject = self.run("show", "-s", "--format=%H%x00%cI%x00%s", commit).rstrip("\n").split("\0", 2)
        return Since(how, given, sha, date, subject)


def since(git: _Git, lang: Language, given: str | None) -> Since:
    """The commit to compare with: ``given`` as a reference, else as a date (the last commit before it), else
    the last commit in which a translation of the language changed."""
    if given is None:
        commit = _last_pass(git, lang.code)
        return git.describe(commit, BY_PASS, None) if commit else Since(NO_PASS)
    commit = git.commit(given)
    if commit:
        return git.describe(commit, BY_REF, given)
    if not _DATE.fullmatch(given):
        raise CopDocsError(f"--since: '{given}' is neither a git reference (branch, tag, commit) nor a date "
                           "(YYYY-MM-DD)")
    try:
        datetime.fromisoformat(given.replace("Z", "+00:00"))
    except ValueError:
        raise CopDocsError(f"--since: '{given}' is not a valid date") from None
    if git.commit("HEAD") is None:
        raise CopDocsError("the repository has no commits yet", git.project.root)
    when = given if len(given) > 10 else f"{given} 00:00:00"  # a day: before it began, not before its current hour
    found = git.run("rev-list", "-1", "--first-parent", f"--before={when}", "HEAD").strip()
    if not found:
        raise CopDocsError(f"--since: no commit before {given}")
    return git.describe(found, BY_DATE, given)


def _last_pass(git: _Git, code: str) -> str | None:
    """The last commit (on the first-parent line) that changed a translation of the language: a translation
    added or edited, or a fuzzy or untranslated message translated. ``update`` carrying translations to new
    msgids, marking them fuzzy or obsolete, re-wrapping the files or filling messages from the memory is not a
    translator's pass."""
    if git.commit("HEAD") is None:
        return None
    spec = f":(glob){git.prefix}translations/*/{code}.po"
    log = git.run("log", "--first-parent", "--diff-merges=first-parent", "--raw", "--no-abbrev",
                  "--format=%x00%H %P", "--", spec)
    cut = git.shallow()
    for chunk in log.split("\0")[1:]:
        lines = chunk.splitlines()
        commit, *parents = lines[0].split()
        after = {}
        for line in lines[1:]:
            if line.startswith(":"):
                meta, _, path = line.partition("\t")
                new_blob = meta.split()[3]
                if set(new_blob) != {"0"}:
                    after[path] = new_blob
        if commit in cut:  # its parent was not fetched: what it changed cannot be told
            raise CopDocsError("the history is cut short here (a shallow clone): give --since, or fetch the whole "
                               "history with `git fetch --unshallow`", git.project.root)
        if _translated_anew(git, code, after, parents[0] if parents else None):
            return commit
    return None


def _translated_anew(git: _Git, code: str, after: dict[str, str], parent: str | None) -> bool:
    before: dict[str, str] = {}
    if parent is not None:
        listing = git.run("ls-tree", "-r", parent, "--", f"{git.prefix}translations/")
        for line in listing.splitlines():
            meta, _, path = line.partition("\t")
            if path.endswith(f"/{code}.po") and path.count("/") == git.prefix.count("/") + 2:
                before[path] = meta.split()[2]
    read = git.catalogs({blob: path for path, blob in [*before.items(), *after.items()]})
    known = {e.msgstr for blob in before.values() for e in read[blob].entries if e.msgstr}
    for path, blob in after.items():
        old = read[before[path]].by_key() if path in before else {}
        for entry in read[blob].messages:
            if entry.state != po.TRANSLATED:
                continue
            previous = old.get(entry.key)
            if previous is not None and previous.state != po.TRANSLATED:
                return True  # a fuzzy or empty message translated
            filled = previous is None and any(c.startswith(_MEMORY_COMMENT) for c in entry.comments)
            if entry.msgstr not in known and not filled:
                return True
    return False


# --- comparing templates -------------------------------------------------------------------------------------


def language(project: Project, code: str) -> Language:
    """A language of the project that has catalogs to translate (not the source language)."""
    if code not in project.codes:
        raise ConfigError(f"no language '{code}' in the project (known: {', '.join(project.codes)})", project.config_path)
    if code == project.source_language:
        raise ConfigError(f"'{code}' is the source language: its messages have no catalog to translate",
                          project.config_path)
    return next(lang for lang in project.languages if lang.code == code)


def changes(project: Project, lang: Language, given: str | None = None,
            items: Iterable[Document | Snippet] | None = None) -> Report:
    """The report for ``lang``: every document's and snippet's messages new, changed and removed since the commit
    ``given`` names (a reference or a date; default: the language's last translator's pass)."""
    language(project, lang.code)
    git = _Git(project)
    start = since(git, lang, given)
    chosen = list(items) if items is not None else project.catalogs
    old_paths: dict[str, str] = {}  # catalog id -> the template's path at the commit
    if start.commit:
        listing = git.run("ls-tree", "-r", "--name-only", start.commit, "--", f"{git.prefix}translations/")
        for path in listing.splitlines():
            parts = path[len(git.prefix):].split("/")
            if len(parts) == 3 and parts[2] == f"{parts[1]}.pot":
                old_paths[parts[1]] = path
    olds = git.blobs([f"{start.commit}:{old_paths[item.id]}" for item in chosen if item.id in old_paths])
    old_data = dict(zip([item.id for item in chosen if item.id in old_paths], olds, strict=True))

    templates, catalogs = [], []
    for item in chosen:
        pot_path = project.pot_path(item)
        if not pot_path.is_file():
            raise CatalogError(f"'{item.id}' has no template yet: run cop-docs update", pot_path)
        po_path = project.po_path(item, lang)
        templates.append(po.read(pot_path))
        catalogs.append(po.read(po_path) if po_path.is_file() else None)
    rejected = coverage.rejections([c for c in catalogs if c is not None], project.limits)
    rejected_of = iter(rejected)

    out = []
    for item, template, catalog in zip(chosen, templates, catalogs, strict=True):
        data = old_data.get(item.id)
        old = po.loads(data, f"{start.commit[:12]}:{old_paths[item.id]}") if data is not None else None
        states = coverage.measure(template, catalog, next(rejected_of) if catalog is not None else {})
        out.append(_compare(project, item, lang, template, old, catalog, states))
    if items is None:  # templates the project had at the commit and has no longer: every message removed
        current = {item.id for item in project.catalogs}
        for catalog_id, path in old_paths.items():
            if catalog_id not in current:
                old = po.loads(git.blobs([f"{start.commit}:{path}"])[0] or b"", f"{start.commit[:12]}:{path}")
                gone = CatalogChanges(catalog_id, "removed", path[len(git.prefix):], None, True)
                gone.removed = [_removed(e, None) for e in old.messages]
                out.append(gone)
    return Report(lang.code, lang.english_name, start, out)


def _compare(project: Project, item: Document | Snippet, lang: Language, template: po.Catalog, old: po.Catalog | None,
             catalog: po.Catalog | None, states: list[coverage.Message]) -> CatalogChanges:
    from ..config import Snippet

    result = CatalogChanges(item.id, "snippet" if isinstance(item, Snippet) else "document",
                            project.pot_path(item).relative_to(project.root).as_posix(),
                            project.po_path(item, lang).relative_to(project.root).as_posix(), old is not None)
    before = old.by_key() if old is not None else {}
    now = template.by_key()
    state_of = {m.key: m for m in states}
    added = [e for e in template.messages if e.key not in before]
    gone = [e for e in (old.messages if old is not None else []) if e.key not in now]
    entries = catalog.by_key() if catalog is not None else {}
    pairs = _pairs(added, gone, entries)
    for i, entry in enumerate(added):
        message = _message(NEW, entry, state_of[entry.key])
        if i in pairs:
            j, paired_by, similarity = pairs[i]
            message.change, message.paired_by, message.similarity = CHANGED, paired_by, similarity
            message.old_msgid, message.old_msgctxt = gone[j].msgid, gone[j].msgctxt
            message.diff = diff(gone[j].msgid, entry.msgid)
            message.changed_words = changed_words(message.diff, message.words)
            result.changed.append(message)
        else:
            result.new.append(message)
    paired = {j for j, _, _ in pairs.values()}
    everything = {e.key: e for e in catalog.entries} if catalog is not None else {}
    result.removed = [_removed(e, everything.get(e.key)) for j, e in enumerate(gone) if j not in paired]
    return result


def _message(change: str, entry: po.Entry, state: coverage.Message) -> Message:
    return Message(change, entry.msgid, entry.msgctxt, words.count_markdown(entry.msgid), state.state, state.reason,
                   entry.msgid_line, state.line, entry.references)


def _removed(entry: po.Entry, now: po.Entry | None) -> Message:
    state = ABSENT if now is None else OBSOLETE if now.obsolete else now.state
    return Message(REMOVED, entry.msgid, entry.msgctxt, words.count_markdown(entry.msgid), state)


def _pairs(added: list[po.Entry], gone: list[po.Entry], entries: dict[po.Key, po.Entry]) -> dict[int, tuple[int, str, float]]:
    """Each new message paired with the removed one it replaces: new index -> (removed index, how, similarity).
    One to one: the ``#| msgid`` evidence first, then the most similar pairs at or above msgmerge's threshold."""
    from rapidfuzz import fuzz, process

    from .merge import SIMILARITY

    if not added or not gone:
        return {}
    gone_at = {e.key: j for j, e in enumerate(gone)}
    candidates: list[tuple[int, float, int, int, str]] = []  # (rank, -score, new, removed, how)
    for i, entry in enumerate(added):
        current = entries.get(entry.key)
        if current is not None and current.previous_msgid is not None:
            j = gone_at.get((current.previous_msgctxt, current.previous_msgid))
            if j is not None:
                candidates.append((0, -fuzz.ratio(entry.msgid, gone[j].msgid), i, j, "previous-msgid"))
    chunk = max(1, 2_000_000 // len(gone))  # bounded memory: chunk × removed scores at a time
    choices = [e.msgid for e in gone]
    for start in range(0, len(added), chunk):
        table = process.cdist([e.msgid for e in added[start:start + chunk]], choices, scorer=fuzz.ratio,
                              score_cutoff=SIMILARITY, workers=-1)
        for i, j in zip(*table.nonzero(), strict=True):
            if table[i, j] >= SIMILARITY:
                candidates.append((1, -float(table[i, j]), start + int(i), int(j), "similarity"))
    pairs: dict[int, tuple[int, str, float]] = {}
    taken: set[int] = set()
    for _, score, i, j, how in sorted(candidates):
        if i not in pairs and j not in taken:
            pairs[i] = (j, how, round(-score, 1))
            taken.add(j)
    return pairs


# --- word-level diff -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Token:
    gap: str  #: the white space before it
    text: str  #: a word, or a run of the punctuation and markup between words (never white space)


_CHUNK = regex.compile(r"(\s*)(\S+)")


def tokens(text: str) -> list[Token]:
    """A text's words and the runs of punctuation and markup between them, as :mod:`cop_docs.words` finds words:
    each Chinese or Japanese character is a word of its own."""
    out = []
    for m in _CHUNK.finditer(text):
        gap, chunk = m.groups()
        masked = words.IDEOGRAPHIC.sub(" ", chunk)  # one space for one character: positions stay
        spans = sorted([w.span() for w in words.WORD.finditer(masked)]
                       + [w.span() for w in words.IDEOGRAPHIC.finditer(chunk)])
        at = 0
        for start, end in [*spans, (len(chunk), len(chunk))]:
            for piece in (chunk[at:start], chunk[start:end]):
                if piece:
                    out.append(Token(gap, piece))
                    gap = ""
            at = end
    return out


def diff(old: str, new: str) -> list[tuple[str, str]]:
    """The word-level diff of two texts: (equal|delete|insert, text) runs, each with the white space before it.
    The equal and inserted runs make the new text; a replacement is a deletion followed by an insertion."""
    a, b = tokens(old), tokens(new)
    ops: list[tuple[str, str]] = []

    def add(op: str, run: list[Token]) -> None:
        text = "".join(t.gap + t.text for t in run)
        if ops and ops[-1][0] == op:
            ops[-1] = (op, ops[-1][1] + text)
        elif text:
            ops.append((op, text))

    matcher = difflib.SequenceMatcher(None, [t.text for t in a], [t.text for t in b], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            add("equal", b[j1:j2])
        else:
            add("delete", a[i1:i2])
            add("insert", b[j1:j2])
    return ops


def changed_words(ops: list[tuple[str, str]], total: int) -> int:
    """The words of the new text that the diff adds or replaces, counted as the whole text's words are: the
    text's words less those left when the added runs are blanked out (a footnote label or a link's address
    that changed is no word, as it is none in the whole text)."""
    kept = "".join(_NON_SPACE.sub(" ", text) if op == "insert" else text for op, text in ops if op != "delete")
    return max(0, total - words.count_markdown(kept))


_NON_SPACE = regex.compile(r"\S")


# --- Markdown ------------------------------------------------------------------------------------------------

#: ASCII punctuation that never makes Markdown in running text, left as it is for legibility; every other ASCII
#: punctuation character of a message is escaped, so the report's own ~~ and ** are its only markup.
_PLAIN = set(",;?'\"/%=")
_ASCII_PUNCTUATION = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_BIDI = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def escape(text: str) -> str:
    """Message text as literal Markdown on one line: markup, HTML and entities escaped, line breaks as spaces,
    control and bidi characters shown by their code point."""
    out = []
    for c in text:
        if c in _ASCII_PUNCTUATION and c not in _PLAIN:
            out.append("\\" + c)
        elif c in "\n\r\t":
            out.append(" ")
        elif c in _BIDI or unicodedata.category(c) == "Cc":
            out.append(f"\\<U\\+{ord(c):04X}\\>")
        else:
            out.append(c)
    return "".join(out)


def _gap(item: Token | list) -> str:
    """The white space shown before an unchanged word or a change (the new text's, where it has one)."""
    return item.gap if isinstance(item, Token) else (item[1] or item[0])[0].gap


def _punctuation(c: str, strict: bool = False) -> bool:
    """CommonMark's punctuation for delimiter runs (``strict``: the narrower reading, P only)."""
    category = unicodedata.category(c)
    return c in _ASCII_PUNCTUATION or category.startswith("P") or (not strict and category.startswith("S"))


def markdown_diff(old: str, new: str) -> str:
    """The new text with the removed words ~~struck~~ and the added ones **bold**, everything else escaped.

    A ~~ or ** must stand where CommonMark reads it as markup (a delimiter run that opens must not be preceded by
    a letter when it is followed by punctuation, and one that closes the other way round): where a run would
    not, it takes in the neighbouring words, on both sides of the change, until it does."""
    a, b = tokens(old), tokens(new)
    items: list[Any] = []  # a Token (unchanged) or a [removed tokens, added tokens] group
    matcher = difflib.SequenceMatcher(None, [t.text for t in a], [t.text for t in b], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            items.extend(b[j1:j2])
        else:
            items.append([a[i1:i2], b[j1:j2]])
    k = 0
    while k < len(items):
        group = items[k]
        if isinstance(group, Token):
            k += 1
            continue
        first = (group[0] or group[1])[0]
        last = (group[1] or group[0])[-1]
        before = items[k - 1] if k > 0 and not _gap(group) else None
        after = items[k + 1] if k + 1 < len(items) and not _gap(items[k + 1]) else None
        if isinstance(before, list) or isinstance(after, list):  # two changes that met: one change
            at = k - 1 if isinstance(before, list) else k
            items[at:at + 2] = [[items[at][0] + items[at + 1][0], items[at][1] + items[at + 1][1]]]
            k = at
            continue
        if before is not None and _punctuation(escape(first.text)[0]) \
                and not _punctuation(escape(before.text)[-1], strict=True):
            group[0].insert(0, before)
            group[1].insert(0, before)
            del items[k - 1]
            k -= 1
            continue
        if after is not None and _punctuation(escape(last.text)[-1]) \
                and not _punctuation(escape(after.text)[0], strict=True):
            group[0].append(after)
            group[1].append(after)
            del items[k + 1]
            continue
        k += 1
    out = []
    for item in items:
        if isinstance(item, Token):
            out.append((" " if item.gap else "") + escape(item.text))
            continue
        removed, added = item
        out.append(" " if _gap(item) else "")
        for mark, run in (("~~", removed), ("**", added)):
            if run:
                out.append(mark + "".join((" " if n and t.gap else "") + escape(t.text) for n, t in enumerate(run)) + mark)
    return "".join(out).strip()


_STATE_WORDS = {po.TRANSLATED: "translated", po.FUZZY: "fuzzy", po.UNTRANSLATED: "untranslated",
                OBSOLETE: "obsolete in the PO file", ABSENT: "not in the PO file"}


def _since_line(report: Report) -> str:
    s = report.since
    if s.how == NO_PASS:
        return f"No translation of {escape(report.language_name)} in the history: every message is new."
    commit = f"commit `{s.commit[:10]}` of {s.date[:10]} ({escape(s.subject or '')})" if s.commit else ""
    what = {BY_PASS: f"the last translation of {escape(report.language_name)}", BY_REF: escape(s.given or ""),
            BY_DATE: f"{escape(s.given or '')} (the last commit before it)"}[s.how]
    return (f"Since {what}: {commit}. The templates then are compared with the templates in the working tree; "
            f"states are those in the {escape(report.language_name)} catalogs now.")


def to_markdown(report: Report) -> str:
    """The report as Markdown, for a pull request or an announcement to translators."""
    lines = [f"## Changes for {escape(report.language_name)} ({report.language})", "", _since_line(report), ""]
    total = report.totals
    if not (total.new or total.changed or total.removed):
        lines += ["No new, changed or removed messages.", ""]
        return "\n".join(lines)
    lines += ["| catalog | new | changed | removed | new words | changed words | words of changed messages |",
              "|---|---:|---:|---:|---:|---:|---:|"]
    shown = [c for c in report.catalogs if c.new or c.changed or c.removed]
    for c in [*shown, None]:
        n = c.counts if c is not None else total
        name = f"`{c.id}`" if c is not None else "**total**"
        lines.append(f"| {name} | {n.new} | {n.changed} | {n.removed} | {n.new_words} | {n.changed_words} "
                     f"| {n.changed_message_words} |")
    lines.append("")
    for c in shown:
        n = c.counts
        lines += [f"### `{c.id}`" + ("" if c.existed else " (new since then)")
                  + (" (no longer in the project)" if c.kind == "removed" else ""), ""]
        if c.new:
            lines += [f"**New**: {n.new} {_plural(n.new, 'message')}, {n.new_words} {_plural(n.new_words, 'word')}", ""]
            lines += [line for m in c.new for line in _item(c, m, escape(m.msgid))] + [""]
        if c.changed:
            lines += [f"**Changed**: {n.changed} {_plural(n.changed, 'message')}, {n.changed_words} changed "
                      f"{_plural(n.changed_words, 'word')} of {n.changed_message_words}", ""]
            lines += [line for m in c.changed for line in _item(c, m, markdown_diff(m.old_msgid or "", m.msgid))]
            lines.append("")
        if c.removed:
            lines += [f"**Removed**: {n.removed} {_plural(n.removed, 'message')}, {n.removed_words} "
                      f"{_plural(n.removed_words, 'word')}", ""]
            for m in c.removed:
                lines += _item(c, m, f"~~{escape(m.msgid).strip()}~~" if m.msgid.strip() else "")
            lines.append("")
    return "\n".join(lines)


def _item(c: CatalogChanges, m: Message, text: str) -> list[str]:
    if m.change == REMOVED:
        where = ""
    elif m.po_line is not None and c.po:
        where = f"`{c.po}:{m.po_line}` · "
    else:
        where = f"`{c.template}:{m.template_line}` · "
    counted = f"{m.changed_words} of {m.words} words" if m.change == CHANGED else f"{m.words} {_plural(m.words, 'word')}"
    context = f" · context “{escape(m.msgctxt)}”" if m.msgctxt is not None else ""
    return [f"- {where}{_STATE_WORDS.get(m.state, m.state)} · {counted}{context}", f"  > {text}"]


def _plural(n: int, word: str) -> str:
    return word if n == 1 else word + "s"
