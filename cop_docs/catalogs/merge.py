"""Updating a language's PO file from its template, with GNU msgmerge's semantics.

In: the POT and the existing PO (or none). Out: the new PO:
- a message whose (msgctxt, msgid) is unchanged keeps its translation, flags and translator comments;
- a new message that resembles an old translated one (similarity ≥ 0.6, msgmerge's measure: matching
  characters over total length, an insert/delete edit distance) gets that translation, marked fuzzy, with
  the old text as ``#| msgid`` so the translator sees what changed;
- an old message no longer in the template is kept as an obsolete ``#~`` entry if it has a translation.
No translation is lost. The fuzzy search is one batched RapidFuzz call over all candidates (C++, both cores)
instead of msgmerge's one-by-one scan.
"""

from __future__ import annotations

import polib
from rapidfuzz import fuzz, process

from ..config import Language, Project
from . import pofiles

#: msgmerge's FUZZY_THRESHOLD.
SIMILARITY = 60.0

Key = tuple[str | None, str]


def new_catalog(project: Project, lang: Language, pot: polib.POFile) -> polib.POFile:
    po = polib.POFile(wrapwidth=78)
    po.metadata = dict(pot.metadata)
    po.metadata.update({
        "PO-Revision-Date": pot.metadata.get("POT-Creation-Date", pofiles.timestamp()),
        "Last-Translator": "",
        "Language-Team": f"{lang.english_name} <>",
    })
    return po


def merge(pot: polib.POFile, po: polib.POFile | None, lang: Language, project: Project) -> polib.POFile:
    old = po if po is not None else new_catalog(project, lang, pot)
    out = polib.POFile(wrapwidth=78)
    out.header = old.header
    out.metadata = dict(old.metadata)
    out.metadata["Project-Id-Version"] = pot.metadata.get("Project-Id-Version", "")
    out.metadata["POT-Creation-Date"] = pot.metadata.get("POT-Creation-Date", "")
    out.metadata["Language"] = lang.po_language
    out.metadata["MIME-Version"] = "1.0"
    out.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    out.metadata["Content-Transfer-Encoding"] = "8bit"
    out.metadata.setdefault("Plural-Forms", lang.plural_forms)
    if not out.metadata.get("Plural-Forms"):
        out.metadata["Plural-Forms"] = lang.plural_forms

    by_key: dict[Key, polib.POEntry] = {}
    for entry in old:  # obsolete entries too: a message that comes back gets its translation back
        by_key.setdefault((entry.msgctxt, entry.msgid), entry)

    used: set[int] = set()
    unmatched: list[int] = []
    merged: list[polib.POEntry] = []
    for i, template in enumerate(pot):
        previous = by_key.get((template.msgctxt, template.msgid))
        entry = _from_template(template)
        if previous is not None:
            used.add(id(previous))
            _carry(previous, entry)
        else:
            unmatched.append(i)
        merged.append(entry)

    candidates = [e for e in old if not e.obsolete and _translated_text(e)]
    if unmatched and candidates:
        choices = [e.msgid for e in candidates]
        for i, best in zip(unmatched, _nearest([pot[i].msgid for i in unmatched], choices), strict=True):
            if best is None:
                continue
            previous = candidates[best]
            used.add(id(previous))
            entry = merged[i]
            _carry(previous, entry)
            if "fuzzy" not in entry.flags:
                entry.flags.append("fuzzy")
            if not entry.previous_msgid:  # a fuzzy candidate keeps the text its translation was made for
                entry.previous_msgid = previous.msgid
                entry.previous_msgctxt = previous.msgctxt

    for entry in merged:
        out.append(entry)
    for entry in old:
        if id(entry) in used or not _translated_text(entry):
            continue
        gone = polib.POEntry(msgid=entry.msgid, msgstr=entry.msgstr, msgctxt=entry.msgctxt,
                             msgid_plural=entry.msgid_plural, msgstr_plural=dict(entry.msgstr_plural),
                             tcomment=entry.tcomment, flags=list(entry.flags), obsolete=True)
        out.append(gone)
    return out


def _nearest(queries: list[str], choices: list[str], chunk: int = 1024) -> list[int | None]:
    """For each query, the index of the most similar choice at or above the threshold (first on ties)."""
    found: list[int | None] = []
    for start in range(0, len(queries), chunk):  # bounded memory: chunk × choices scores at a time
        scores = process.cdist(queries[start:start + chunk], choices, scorer=fuzz.ratio,
                               score_cutoff=SIMILARITY, workers=-1)
        for row in scores:
            best = int(row.argmax())
            found.append(best if row[best] >= SIMILARITY else None)
    return found


def _from_template(template: polib.POEntry) -> polib.POEntry:
    return polib.POEntry(msgid=template.msgid, msgctxt=template.msgctxt, msgstr="",
                         msgid_plural=template.msgid_plural, comment=template.comment,
                         occurrences=list(template.occurrences), flags=[f for f in template.flags if f != "fuzzy"])


def _carry(previous: polib.POEntry, entry: polib.POEntry) -> None:
    """Move a translation, its translator comments and its state onto an entry."""
    entry.msgstr = previous.msgstr
    entry.msgstr_plural = dict(previous.msgstr_plural)
    entry.tcomment = previous.tcomment
    if "fuzzy" in previous.flags and "fuzzy" not in entry.flags:
        entry.flags.append("fuzzy")
        entry.previous_msgid = previous.previous_msgid
        entry.previous_msgctxt = previous.previous_msgctxt
    for flag in previous.flags:
        if flag != "fuzzy" and flag not in entry.flags:
            entry.flags.append(flag)


def _translated_text(entry: polib.POEntry) -> bool:
    return bool(entry.msgstr) or any(entry.msgstr_plural.values())
