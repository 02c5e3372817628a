"""The release gate: which language × document outputs are released, as drafts, or withheld, and why.

In: the project and the coverage of its catalogs. Out: one :class:`Decision` per document × language.
A language at or above its threshold (percent of messages, and of source words where the policy sets
``words-threshold``) ships. Below it, its policy decides: ``ship`` anyway, ``draft`` (built with a visible
draft mark and the untranslated passages marked) or ``withhold`` (not built). The source language always
ships. A language whose policy says ``required: true`` fails the gate when it is below its threshold.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import files
from .catalogs.coverage import CatalogCoverage, Counts, catalog_messages, project_coverage
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
    reason: str = ""  #: why it is not translated: not in the PO file, empty, fuzzy, another kind of block…


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
           list_missing: bool = True, languages: list[Language] | None = None) -> list[Decision]:
    """The decision for every document × language of the project (or of ``languages``, which may name a
    pseudo-locale: it has no release policy), in the project file's order.

    ``list_missing=False`` skips reading the catalogs for the missing messages (the build needs only the
    decisions)."""
    languages = project.languages if languages is None else languages
    if coverage is None:
        coverage = project_coverage(project, languages=[lang for lang in languages
                                                        if lang.code != project.source_language])
    found = {(c.document, c.language): c for c in coverage}
    decisions = []
    for doc in project.documents:
        for lang in languages:
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
    """Untranslated and fuzzy messages of a document in a language, its included snippets' too, each where it is:
    its line in the PO file, or in the template when the PO file lacks it."""
    out = _missing_in(project, doc, lang)
    for snippet in included_snippets(project, doc):
        out += _missing_in(project, snippet, lang)
    return out


def _missing_in(project: Project, item: Document | Snippet, lang: Language) -> list[Missing]:
    po_path, pot_path = (files.relative(p, project.root) for p in (project.po_path(item, lang), project.pot_path(item)))
    return [Missing(po_path if m.line is not None else pot_path, m.line or m.template_line, m.state, m.msgid, m.reason)
            for m in catalog_messages(project, item, lang) if m.state != "translated"]


def status_of(decisions: list[Decision], doc: Document, lang: Language) -> Decision:
    for decision in decisions:
        if decision.document.id == doc.id and decision.language.code == lang.code:
            return decision
    raise KeyError((doc.id, lang.code))
