"""The translation memory ``update`` fills new messages from.

In: the project and the messages of one language's catalog that a merge left untranslated and that are new to
it (:func:`cop_docs.catalogs.merge.merge` hands them over). Out: each message filled when the memory knows it,
with a translator comment naming where the translation came from (``# memory: translations/about/fr.po``),
and how many messages and source words were filled (:class:`Filled`):

- an exact match (same msgid, same msgctxt) becomes the message's translation;
- the same text in another context, or a near match (similarity at or above ``translation-memory:
  fuzzy-threshold``, 80% by default, msgmerge's measure), is proposed fuzzy with the matched text as ``#| msgid``
  (and its context as ``#| msgctxt``), so a translator confirms it. A fuzzy proposal never counts as translated.

The memory of a language is every translated, non-fuzzy message of the project's catalogs in that language
(documents' then snippets'), then the units of the TMX files the project file names, in their order: the first
translation of a text wins. It is read when the first message of the language needs it, not before: an update
with nothing new costs nothing more. A candidate must be usable by the project's own rules
(:func:`cop_docs.catalogs.messages.unusable`: not too long, no control characters; no added bidi controls), and
what is filled must read as the same kind of block as its message (:func:`cop_docs.catalogs.messages.mismatches`);
a TMX unit's translation must also hold the inline codes of its source (:mod:`cop_docs.exchange.inline`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from .. import files, words
from . import messages, po

if TYPE_CHECKING:
    from ..config import Language, Project
    from .po import Entry

EXACT, FUZZY = "exact", "fuzzy"
#: the prefix of the translator comment naming where a filled translation came from
COMMENT = "memory: "


@dataclass(frozen=True)
class Unit:
    """One translation the memory knows: its source text (Markdown), translation, context and origin."""

    source: str
    target: str
    context: str | None
    origin: str  #: the catalog or TMX file it comes from, relative to the project
    foreign: bool = False  #: from outside the project's catalogs (a TMX file): its markup is checked when it is used


@dataclass
class Filled:
    """Messages and source words a memory filled, exact and fuzzy apart."""

    exact_messages: int = 0
    exact_words: int = 0
    fuzzy_messages: int = 0
    fuzzy_words: int = 0

    def __bool__(self) -> bool:
        return bool(self.exact_messages or self.fuzzy_messages)

    def __add__(self, other: Filled) -> Filled:
        return Filled(self.exact_messages + other.exact_messages, self.exact_words + other.exact_words,
                      self.fuzzy_messages + other.fuzzy_messages, self.fuzzy_words + other.fuzzy_words)

    def describe(self) -> str:
        return (f"memory: {self.exact_messages} exact ({self.exact_words} words), "
                f"{self.fuzzy_messages} fuzzy ({self.fuzzy_words} words)")

    def as_dict(self) -> dict[str, Any]:
        return {EXACT: {"messages": self.exact_messages, "words": self.exact_words},
                FUZZY: {"messages": self.fuzzy_messages, "words": self.fuzzy_words}}


class Memory:
    """One language's memory: exact matches by (msgctxt, msgid), near ones by text."""

    def __init__(self, units: list[Unit], threshold: float, project: Project):
        self.threshold = threshold
        self.project = project
        self.exact: dict[tuple[str | None, str], Unit] = {}
        self.texts: dict[str, Unit] = {}
        for unit in units:
            if not unit.source or not unit.target or messages.unusable(unit.source, unit.target, project.limits) \
                    or messages.added_bidi_controls(unit.source, unit.target):
                continue
            self.exact.setdefault((unit.context, unit.source), unit)
            self.texts.setdefault(unit.source, unit)
        self._choices = list(self.texts)

    def __len__(self) -> int:
        return len(self.exact)

    def matches(self, entries: list[Entry]) -> list[tuple[str, Unit, float] | None]:
        """For each message, its best match: (exact or fuzzy, the unit, similarity in %), or None."""
        out: list[tuple[str, Unit, float] | None] = []
        near: list[int] = []
        for i, entry in enumerate(entries):
            unit = self.exact.get(entry.key)
            if unit is not None:
                out.append((EXACT, unit, 100.0))
            elif entry.msgid in self.texts:  # the same text in another context: a translator decides
                out.append((FUZZY, self.texts[entry.msgid], 100.0))
            else:
                out.append(None)
                near.append(i)
        if near and self._choices:
            from .merge import _nearest

            scores: list[float] = []
            found = _nearest([entries[i].msgid for i in near], self._choices, cutoff=self.threshold, scores=scores)
            for i, best, score in zip(near, found, scores, strict=True):
                if best is not None:
                    out[i] = (FUZZY, self.texts[self._choices[best]], score)
        return out


class Filler:
    """Fills one catalog's new messages from its language's memory (read when first needed), and counts."""

    def __init__(self, memories: Memories, lang: Language):
        self.memories = memories
        self.lang = lang
        self.filled = Filled()

    def fill(self, entries: list[Entry]) -> list[Entry | None]:
        memory = self.memories.memory(self.lang)
        found = memory.matches(entries)
        chosen = [i for i, match in enumerate(found) if match is not None]
        verdicts = messages.mismatches([(entries[i].msgid, found[i][1].target) for i in chosen],  # type: ignore[index]
                                       self.memories.project.limits) if chosen else []
        out: list[Entry | None] = [None] * len(entries)
        exact: list[str] = []
        fuzzy: list[str] = []
        for i, verdict in zip(chosen, verdicts, strict=True):
            kind, unit, score = found[i]  # type: ignore[misc]
            if verdict is not None or (unit.foreign and not _same_codes(unit.source, unit.target)):
                continue
            entry = entries[i]
            if kind == EXACT:
                out[i] = replace(entry, msgstr=unit.target, comments=(*entry.comments, COMMENT + unit.origin))
                exact.append(entry.msgid)
            else:
                note = f"{COMMENT}{unit.origin} ({score:.0f}% similar)"
                out[i] = replace(entry, msgstr=unit.target, flags=(*entry.flags, "fuzzy"), comments=(*entry.comments, note),
                                 previous_msgid=unit.source, previous_msgctxt=unit.context)
                fuzzy.append(entry.msgid)
        self.filled += Filled(len(exact), _words(exact), len(fuzzy), _words(fuzzy))
        return out


def _same_codes(source: str, target: str) -> bool:
    """Whether a translation holds the inline codes of its source (links, emphasis, code, notes…), in any order:
    a unit that changes a link's address or drops a footnote is not offered."""
    from ..exchange import inline

    def codes(text: str) -> list[tuple[str, str, str]]:
        return sorted((c.role, c.markdown, c.kind) for c in inline.codes(inline.parts(text)))

    return codes(source) == codes(target)


def _words(texts: list[str]) -> int:
    return words.count_markdown("\0".join(texts)) if texts else 0


class Memories:
    """The memory of each language, for one run of ``update``: built when a language first needs it."""

    def __init__(self, project: Project):
        self.project = project
        self._memories: dict[str, Memory] = {}
        self._tmx: list[tuple[str, list[Any]]] | None = None

    def filler(self, lang: Language) -> Filler:
        return Filler(self, lang)

    def memory(self, lang: Language) -> Memory:
        if lang.code not in self._memories:
            settings = self.project.memory
            self._memories[lang.code] = Memory([*self.catalog_units(lang), *self.tmx_units(lang)],
                                               settings.fuzzy_threshold, self.project)
        return self._memories[lang.code]

    def catalog_units(self, lang: Language) -> list[Unit]:
        """The translated, non-fuzzy messages of every catalog of the project in the language."""
        units = []
        for item in self.project.catalogs:
            path = self.project.po_path(item, lang)
            if not path.is_file():
                continue
            origin = files.relative(path, self.project.root)
            units += [Unit(e.msgid, e.msgstr, e.msgctxt, origin) for e in po.read(path).entries
                      if e.state == po.TRANSLATED and not e.obsolete and e.msgid_plural is None]
        return units

    def tmx_units(self, lang: Language) -> list[Unit]:
        """The units of the project's TMX files that have the source language and this one."""
        from ..exchange import tmx

        if self._tmx is None:  # each file is read once, for every language
            self._tmx = [(files.relative(path, self.project.root), tmx.read(path)) for path in self.project.memory.files]
        units = []
        for origin, tus in self._tmx:
            for pair in tmx.pairs(tus, self.project.source_language, lang.code):
                units.append(Unit(pair.source, pair.target, pair.context, origin, foreign=True))
        return units
