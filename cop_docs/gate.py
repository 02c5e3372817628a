"""The release gate: which language × document outputs are released, as drafts, or withheld, and why.

In: the project and the coverage of its catalogs. Out: one :class:`Decision` per document × language.
A language at or above its threshold (percent of messages, and of source words where the policy sets
``words-threshold``) ships. Below it, its policy decides: ``ship`` anyway, ``draft`` (built with a visible
draft mark and the untranslated passages marked) or ``withhold`` (not built). The source language always
ships. A language whose policy says ``required: true`` fails the gate when it is below its threshold.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .catalogs import pofiles
from .catalogs.coverage import CatalogCoverage, Counts, project_coverage
from .config import Document, Language, Project, Snippet
from .sources import included_snippets

SHIP, DRAFT, WITHHOLD = "ship", "draft", "withhold"


@dataclass(frozen=True)
class Missing:
    """A message that keeps a document from being complete: where it is and what state it is in."""

    path: str
    line: int
    state: str  #: "untranslated" or "fuzzy"
    msgid: str


@dataclass
class Decision:
    document: Document
    language: Language
    status: str  #: ship, draft or withhold
    reason: str
    messages: Counts
    words: Counts
    below_threshold: bool
    missing: list[Missing] = field(default_factory=list)

    @property
    def blocks_release(self) -> bool:
        """A required language below its threshold stops the release."""
        return self.below_threshold and self.language.release.required


def decide(project: Project, coverage: list[CatalogCoverage] | None = None, *,
           list_missing: bool = True) -> list[Decision]:
    """The decision for every document × language of the project, in the project file's order.

    ``list_missing=False`` skips reading the catalogs for the missing messages (the build needs only the
    decisions)."""
    coverage = project_coverage(project) if coverage is None else coverage
    found = {(c.document, c.language): c for c in coverage}
    decisions = []
    for doc in project.documents:
        for lang in project.languages:
            if lang.code == project.source_language:
                decisions.append(Decision(doc, lang, SHIP, "source language", Counts(), Counts(), False))
                continue
            item = found.get((doc.id, lang.code))
            messages = item.messages if item else Counts()
            words = item.words if item else Counts()
            decisions.append(_decide(project, doc, lang, messages, words, list_missing))
    return decisions


def _decide(project: Project, doc: Document, lang: Language, messages: Counts, words: Counts,
            list_missing: bool) -> Decision:
    policy = lang.release
    shortfalls = []
    if messages.percent < policy.threshold:
        shortfalls.append(f"{messages.percent:.1f}% of messages < {policy.threshold:g}%")
    if policy.words_threshold is not None and words.percent < policy.words_threshold:
        shortfalls.append(f"{words.percent:.1f}% of words < {policy.words_threshold:g}%")
    if not shortfalls:
        reason = f"{messages.percent:.1f}% of messages translated (threshold {policy.threshold:g}%)"
        return Decision(doc, lang, SHIP, reason, messages, words, False)
    status = policy.below
    reason = "; ".join(shortfalls) + f": policy '{status}'" + (" (required)" if policy.required else "")
    missing = missing_messages(project, doc, lang) if list_missing else []
    return Decision(doc, lang, status, reason, messages, words, True, missing)


def missing_messages(project: Project, doc: Document, lang: Language) -> list[Missing]:
    """Untranslated and fuzzy messages of a document in a language, with the line of each in its catalog,
    its included snippets' catalogs too. With no PO file yet, every message is missing, at its line in the
    template."""
    out = _missing_in(project, doc, lang)
    for snippet in included_snippets(project, doc):
        out += _missing_in(project, snippet, lang)
    return out


def _missing_in(project: Project, doc: Document | Snippet, lang: Language) -> list[Missing]:
    po_path = project.po_path(doc, lang)
    path = po_path if po_path.exists() else project.pot_path(doc)
    if not path.exists():
        return []
    shown = path.relative_to(project.root).as_posix()
    lines = path.read_text(encoding="utf-8").splitlines()
    out = []
    for entry in pofiles.read(path):
        if entry.obsolete or not entry.msgid:
            continue
        first = entry.msgstr_plural.get(0, "") if entry.msgid_plural else entry.msgstr
        state = "untranslated" if not first else "fuzzy" if "fuzzy" in entry.flags else None
        if state:
            out.append(Missing(shown, _msgid_line(lines, entry.linenum), state, entry.msgid))
    return out


def _msgid_line(lines: list[str], start: int) -> int:
    """The line of an entry's msgctxt or msgid (polib gives the line where the entry's comments start)."""
    for number in range(start, len(lines) + 1):
        if lines[number - 1].startswith(("msgctxt ", "msgid ")):
            return number
    return start


def status_of(decisions: list[Decision], doc: Document, lang: Language) -> Decision:
    for decision in decisions:
        if decision.document.id == doc.id and decision.language.code == lang.code:
            return decision
    raise KeyError((doc.id, lang.code))
