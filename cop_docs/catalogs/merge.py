"""Updating a language's PO file from its template, with GNU msgmerge's semantics.

In: the POT and the existing PO (or none), as :class:`~cop_docs.catalogs.po.Catalog` objects. Out: the new PO:
- a message whose (msgctxt, msgid) is unchanged keeps its translation, flags and translator comments;
- a new message that resembles an old translated one (similarity ≥ 0.6, msgmerge's measure: matching
  characters over total length, an insert/delete edit distance) gets that translation, marked fuzzy, with
  the old text as ``#| msgid`` so the translator sees what changed;
- a fuzzy message whose ``#| msgid`` is its msgid again (a source edit that was reverted) is translated again:
  its translation was made for exactly this text;
- an old message no longer in the template is kept as an obsolete ``#~`` entry if it has a translation;
- with a ``memory`` (:mod:`.memory`), a message new to the catalog that none of the above translated is offered
  to it: msgmerge's own carrying wins, the memory only fills what is still untranslated.
No translation is lost. The fuzzy search is one batched RapidFuzz call over all candidates (C++, both cores)
instead of msgmerge's one-by-one scan.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Protocol

from rapidfuzz import fuzz, process

from .. import dates
from ..config import Language, Project
from .po import Catalog, Entry

#: msgmerge's FUZZY_THRESHOLD.
SIMILARITY = 60.0


class Filler(Protocol):
    """What offers translations to the messages a merge left untranslated (:class:`.memory.Filler`)."""

    def fill(self, entries: list[Entry]) -> list[Entry | None]: ...


def new_catalog(project: Project, lang: Language, pot: Catalog) -> Catalog:
    fields = dict(pot.metadata)
    fields.update({
        "PO-Revision-Date": pot.metadata.get("POT-Creation-Date", dates.header_timestamp()),
        "Last-Translator": "",
        "Language-Team": f"{lang.english_name} <>",
    })
    catalog = Catalog()
    catalog.set_metadata(fields)
    return catalog


def merge(pot: Catalog, po: Catalog | None, lang: Language, project: Project, memory: Filler | None = None) -> Catalog:
    old = po if po is not None else new_catalog(project, lang, pot)
    fields = old.metadata
    fields["Project-Id-Version"] = pot.metadata.get("Project-Id-Version", "")
    fields["POT-Creation-Date"] = pot.metadata.get("POT-Creation-Date", "")
    fields["Language"] = lang.po_language
    fields["MIME-Version"] = "1.0"
    fields["Content-Type"] = "text/plain; charset=UTF-8"
    fields["Content-Transfer-Encoding"] = "8bit"
    if not fields.get("Plural-Forms"):
        fields["Plural-Forms"] = lang.plural_forms
    out = Catalog(header=old.header)
    out.set_metadata(fields)

    by_key: dict[tuple[str | None, str], Entry] = {}
    for entry in old.entries:  # obsolete entries too: a message that comes back gets its translation back
        by_key.setdefault(entry.key, entry)

    template = pot.messages
    used: set[int] = set()
    unmatched: list[int] = []
    merged: list[Entry] = []
    for i, t in enumerate(template):
        previous = by_key.get(t.key)
        entry = _from_template(t)
        if previous is not None:
            used.add(id(previous))
            entry = _carry(previous, entry)
        else:
            unmatched.append(i)
        merged.append(entry)

    candidates = [e for e in old.entries if not e.obsolete and _translated_text(e)]
    if unmatched and candidates:
        choices = [e.msgid for e in candidates]
        for i, best in zip(unmatched, _nearest([template[i].msgid for i in unmatched], choices), strict=True):
            if best is None:
                continue
            previous = candidates[best]
            used.add(id(previous))
            entry = _carry(previous, merged[i])
            if not entry.fuzzy:
                entry.flags = (*entry.flags, "fuzzy")
            if entry.previous_msgid is None:  # a fuzzy candidate keeps the text its translation was made for
                entry.previous_msgid, entry.previous_msgctxt = previous.msgid, previous.msgctxt
            merged[i] = entry

    if memory is not None:
        new = [i for i in unmatched if not _translated_text(merged[i]) and merged[i].msgid_plural is None]
        if new:
            for i, filled in zip(new, memory.fill([merged[i] for i in new]), strict=True):
                if filled is not None:
                    merged[i] = filled

    out.entries = [_restored(entry) for entry in merged]
    for entry in old.entries:
        if id(entry) in used or not _translated_text(entry):
            continue
        out.entries.append(Entry(entry.msgid, entry.msgstr, entry.msgctxt, entry.msgid_plural, entry.msgstr_plural,
                                 entry.flags, comments=entry.comments, obsolete=True))
    return out


def _nearest(queries: list[str], choices: list[str], chunk: int = 1024, cutoff: float = SIMILARITY,
             scores: list[float] | None = None) -> list[int | None]:
    """For each query, the index of the most similar choice at or above ``cutoff`` (first on ties); ``scores``,
    when given, receives each query's best similarity (0 when none reaches the cutoff)."""
    found: list[int | None] = []
    for start in range(0, len(queries), chunk):  # bounded memory: chunk × choices scores at a time
        table = process.cdist(queries[start:start + chunk], choices, scorer=fuzz.ratio,
                              score_cutoff=cutoff, workers=-1)
        for row in table:
            best = int(row.argmax())
            found.append(best if row[best] >= cutoff else None)
            if scores is not None:
                scores.append(float(row[best]) if row[best] >= cutoff else 0.0)
    return found


def _from_template(template: Entry) -> Entry:
    return Entry(template.msgid, "", template.msgctxt, template.msgid_plural,
                 flags=tuple(f for f in template.flags if f != "fuzzy"), extracted=template.extracted,
                 references=template.references)


def _carry(previous: Entry, entry: Entry) -> Entry:
    """An entry with a translation, its translator comments and its state moved onto it."""
    flags = list(entry.flags)
    changes: dict = {}
    if previous.fuzzy and "fuzzy" not in flags:
        flags.append("fuzzy")
        changes = {"previous_msgid": previous.previous_msgid, "previous_msgctxt": previous.previous_msgctxt,
                   "previous_msgid_plural": previous.previous_msgid_plural}
    flags += [f for f in previous.flags if f != "fuzzy" and f not in flags]
    return replace(entry, msgstr=previous.msgstr, msgstr_plural=previous.msgstr_plural, comments=previous.comments,
                   flags=tuple(flags), **changes)


def _restored(entry: Entry) -> Entry:
    """A fuzzy entry whose previous text is its text again is no longer fuzzy: nothing changed."""
    if entry.fuzzy and entry.previous_msgid == entry.msgid and entry.previous_msgctxt == entry.msgctxt \
            and entry.previous_msgid_plural == entry.msgid_plural and entry.msgstr:
        return replace(entry, flags=tuple(f for f in entry.flags if f != "fuzzy"), previous_msgid=None,
                       previous_msgctxt=None, previous_msgid_plural=None)
    return entry


def _translated_text(entry: Entry) -> bool:
    return bool(entry.msgstr) or any(entry.msgstr_plural)
