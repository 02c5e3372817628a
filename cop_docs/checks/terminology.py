"""Terminology: the glossary's approved translations, and the terms that are never translated.

``terminology`` (warning)
    When a msgid contains a glossary term, its msgstr contains the approved translation for the language;
    a do-not-translate term is in the msgstr exactly as written.

The glossary file (``checks.glossary`` in cop-docs.yaml) is YAML::

    terms:
      - source: privacy settings           # the English term, as it would appear in a sentence
        fr: paramètres de confidentialité  # approved translation, by language code
        ar: إعدادات الخصوصية
        zh-Hans: 隐私设置
        note: the settings screen of an app or game   # optional, shown with the problem
      - source: risk
        ar: [خطر, مخاطر]                   # a list: any of these is approved (here singular and broken plural)
      - source: Contact
        match-case: true                   # only "Contact" (the risk category), not the verb "contact"
      - source: Weblate
        keep: true                         # do not translate: must appear unchanged

A language key is a BCP-47 code; ``zh-Hans`` also covers ``zh-Hans-CN``, and ``fr`` covers ``fr-CA`` (the most
specific key wins). A term without a key for a language is not checked in it.

Matching in the msgid: whole words, case-insensitive unless ``match-case`` (do-not-translate terms always match
case), the last word also in its plural (``setting``/``settings``, ``family``/``families``); where terms
overlap the longest wins, and one written exactly as the text beats a plural match (``Contents`` vs
``Content``). Markup, code and URLs are set aside (the prose view of :func:`.base.prose`).

Matching in the msgstr tolerates inflection, per script:

- Chinese and Japanese (the approved term has Han or kana): a substring, spaces ignored — no word boundaries.
- Arabic script: each word is compared through its light stems — the attached conjunctions, prepositions and
  article (و ف ب ك ل ال وال بال كال فال لل…) stripped from the front, up to two suffixes (ة ات ان ون ين ية ها
  هم كم نا ه ي ا…) from the end; diacritics and tatweel are ignored and alef and yeh forms unified. Two words
  match when their stems meet (at least three letters, fewer only for a term that short).
- Other scripts: words match when they share a stem: the first ``len - 2`` letters (``len - 3`` in Slavic
  languages such as Russian, where endings are longer; never fewer than 4), so ``руководство`` matches
  ``руководства`` and ``paramètre`` matches ``paramètres``. Words of three letters or fewer must be equal (a
  plural ``s``/``x``/``es`` allowed; up to three letters of ending in Slavic languages). ``ё`` counts as ``е``.

Where Snowball has a stemmer for the language (English, French, Spanish, Russian, Arabic and some thirty more,
through ``snowballstemmer``), two words also match when their Snowball stems are equal, so ``дети`` matches
``детей`` and ``enfant`` matches ``enfants``: a match found either way counts.

The words of a multi-word term must come in order, with at most two other words between them.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

import yaml
from babel import Locale, UnknownLocaleError
from pydantic import BeforeValidator, ConfigDict, Field, StringConstraints, WithJsonSchema

from .. import yamlfile
from ..config import is_language_code
from ..errors import ConfigError
from ..words import letter_runs
from .base import Check, Context, Finding, Message, is_arabic_letter, is_cjk

CHECKS = {
    "terminology": Check("terminology", "warning", "glossary terms use the approved translation; do-not-translate "
                                                    "terms stay as they are"),
}

_RESERVED = ("source", "keep", "match-case", "note")
_SLAVIC = ("ru", "uk", "be", "bg", "sr", "mk", "pl", "cs", "sk", "sl", "hr", "bs")


@dataclass(frozen=True)
class Term:
    source: str
    translations: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  #: language code → approved forms
    keep: bool = False  #: do not translate
    match_case: bool = False
    note: str = ""
    line: int = 0

    def approved(self, code: str) -> tuple[str, ...]:
        """The approved translations for a language: its own key, else that of a more general tag."""
        keys = {k.lower().replace("_", "-"): v for k, v in self.translations.items()}
        parts = code.lower().replace("_", "-").split("-")
        for n in range(len(parts), 0, -1):
            found = keys.get("-".join(parts[:n]))
            if found:
                return found
        return ()


@dataclass
class Glossary:
    terms: tuple[Term, ...]
    path: Path | None = None
    shown: str = "glossary"  #: how problems name the file
    _patterns: dict[int, re.Pattern] = field(default_factory=dict, init=False, repr=False)
    _keys: list[str] = field(default_factory=list, init=False, repr=False)

    def __post_init__(self) -> None:
        self._keys = [t.source.split()[0][:4].casefold() for t in self.terms]

    def pattern(self, i: int) -> re.Pattern:
        if i not in self._patterns:
            self._patterns[i] = _source_pattern(self.terms[i])
        return self._patterns[i]

    def find(self, text: str) -> list[Term]:
        """The terms a (prose) text contains, longest first where they overlap."""
        found = []
        folded = text.casefold()
        for i, term in enumerate(self.terms):
            if self._keys[i] not in folded:  # a cheap test first: large glossaries × large catalogs
                continue
            for m in self.pattern(i).finditer(text):
                exact = m.group().casefold() == term.source.casefold()
                found.append((-(m.end() - m.start()), not exact, i, m.start(), m.end()))
        taken: list[tuple[int, int]] = []
        terms: dict[int, Term] = {}
        for _, _, i, start, end in sorted(found):
            if all(end <= a or start >= b for a, b in taken):
                taken.append((start, end))
                terms.setdefault(i, self.terms[i])
        return [terms[i] for i in sorted(terms)]

    def approves(self, msgid: str, msgstr: str, code: str) -> bool:
        """Whether the whole msgid is a term and the msgstr one of its approved translations (or the term kept)."""
        text = msgid.strip()
        for i, term in enumerate(self.terms):
            if self.pattern(i).fullmatch(text):
                if term.keep and msgstr.strip() == text:
                    return True
                if any(msgstr.strip().casefold() == t.casefold() for t in term.approved(code)):
                    return True
        return False


def _source_pattern(term: Term) -> re.Pattern:
    parts = term.source.split()
    escaped = [re.escape(p) for p in parts]
    if not term.keep:
        last = parts[-1]
        if len(last) > 2 and last[-1] in "yY" and last[-2].lower() not in "aeiou":
            escaped[-1] = re.escape(last[:-1]) + "(?:y|ies)"
        elif last[-1:].isalpha():
            escaped[-1] = re.escape(last) + ("(?:es)?" if re.search(r"(?:s|x|z|ch|sh)$", last, re.I) else "(?:s|es)?")
    body = r"[\s\u00a0\u202f]+".join(escaped)
    flags = 0 if term.keep or term.match_case else re.IGNORECASE
    return re.compile(r"(?<![\w-])" + body + r"(?![\w-])", flags)


# --- loading --------------------------------------------------------------------------------------------

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
_FORMS_SCHEMA = {"anyOf": [{"type": "string", "minLength": 1},
                           {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1}]}
Forms = Annotated[yamlfile.listing(Text, "list at least one translation"),
                  BeforeValidator(lambda v: [v] if isinstance(v, str) else v), WithJsonSchema(_FORMS_SCHEMA)]


class TermEntry(yamlfile.FileModel):
    """One term: its source text and, under language codes, its approved translations (a text or a list)."""

    model_config = ConfigDict(extra="allow")
    __pydantic_extra__: dict[str, Forms] = Field(init=False)

    source: Text = Field(description="the term as it appears in a sentence of the masters")
    keep: yamlfile.Flag = Field(default=False, description="do not translate: the term must appear unchanged")
    match_case: yamlfile.Flag = False
    note: Text | None = None


class GlossaryFile(yamlfile.FileModel):
    """A glossary: approved translations, and terms never translated."""

    terms: list[TermEntry]


_CACHE: dict[tuple[str, int, int], Glossary] = {}


def load_glossary(path: Path | str) -> Glossary:
    """Read and validate a glossary file; every problem is reported at once, each with its line."""
    path = Path(path)
    try:
        stat = path.stat()
    except OSError as exc:
        raise ConfigError(f"cannot read glossary: {exc.strerror}", path) from None
    key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    if key in _CACHE:
        return _CACHE[key]
    node = yamlfile.compose(path, "glossary")
    if not isinstance(node, yaml.MappingNode):
        raise ConfigError("the glossary must be a mapping with a 'terms' list", path, 1)
    data, model, lines, problems = yamlfile.validate(GlossaryFile, path, node)
    for i, term in enumerate(data.get("terms") if isinstance(data.get("terms"), list) else []):
        if not isinstance(term, dict):
            continue
        for name in term:
            if name not in _RESERVED and not is_language_code(name):
                problems.append((lines.key(("terms", i, name)), f"terms[{i}].{name}: unknown key (a language code such "
                                 f"as 'fr' or 'zh-Hans', or one of {', '.join(_RESERVED)})"))
        if term.get("keep") == "true" and set(term) - set(_RESERVED):
            problems.append((lines.of(("terms", i)), f"terms[{i}]: a do-not-translate term (keep: true) takes no translations"))
    # an unknown key is reported once, as not a language, not again as a bad list of translations
    problems = list(dict.fromkeys(p for p in problems if not _repeats(p, problems)))
    yamlfile.raise_problems(path, problems)
    terms = tuple(Term(t.source, {code: tuple(forms) for code, forms in (t.model_extra or {}).items()}, t.keep,
                       t.match_case, t.note or "", lines.of(("terms", i))) for i, t in enumerate(model.terms))
    glossary = Glossary(terms, path, path.name)
    _CACHE[key] = glossary
    return glossary


def glossary_schema() -> dict:
    """The JSON Schema of a glossary file (shipped as cop_docs/schemas/glossary.schema.json)."""
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            **GlossaryFile.model_json_schema(by_alias=True, mode="validation"), "title": "cop-docs glossary"}


def _repeats(problem: tuple[int, str], problems: list[tuple[int, str]]) -> bool:
    line, message = problem
    where = message.split(": ", 1)[0]
    return any(m.startswith(where + ": unknown key") and m != message for n, m in problems)


# --- the check ------------------------------------------------------------------------------------------

def run(messages: list[Message], ctx: Context) -> Iterator[Finding]:
    glossary = ctx.glossary
    if not ctx.on("terminology") or not glossary or not glossary.terms:
        return
    primary = ctx.language.replace("_", "-").split("-")[0].lower()
    slavic = primary in _SLAVIC
    stem = stemmer(primary)
    for m in messages:
        for term in glossary.find(m.prose_id):
            where = f"{glossary.shown}:{term.line}"
            note = f" Note: {term.note}" if term.note else ""
            if term.keep:
                if term.source not in m.prose_str:
                    yield Finding(m.index, "terminology",
                                  f"do-not-translate term “{term.source}” is missing or changed ({where})",
                                  "The glossary lists this name as never translated: write it exactly as in the "
                                  "source." + note)
                continue
            approved = term.approved(ctx.language)
            if approved and not any(contains(t, m.prose_str, slavic, stem) for t in approved):
                shown = " or ".join(f"“{t}”" for t in approved)
                yield Finding(m.index, "terminology", f"“{term.source}” should be translated {shown} ({where})",
                              "The glossary approves one translation of this term so that every document says the "
                              "same thing; use it (inflected as the sentence needs), or propose a change to the "
                              "glossary." + note)


def fold(text: str) -> str:
    """Text as terms are compared: NFC, case-folded, without format characters, Arabic diacritics or tatweel;
    alef and yeh forms unified, ё as е, apostrophes as '."""
    text = unicodedata.normalize("NFC", text)
    out = []
    for ch in text.casefold():
        o = ord(ch)
        if unicodedata.category(ch) == "Cf" or 0x064B <= o <= 0x065F or o in (0x0670, 0x0640):
            continue
        out.append(_FOLD.get(ch, ch))
    return "".join(out)


_FOLD = {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ё": "е", "’": "'", "ʼ": "'", "‘": "'"}


def stemmer(language: str) -> Callable[[str], str] | None:
    """The Snowball stemmer of a language (its ISO 639-1 code), or None where Snowball has none."""
    try:
        name = Locale.parse(language).english_name.lower()
    except (ValueError, UnknownLocaleError):
        return None
    return _stemmers(name)


@functools.cache
def _stemmers(name: str) -> Callable[[str], str] | None:
    import snowballstemmer

    if name not in snowballstemmer.algorithms():
        return None
    return functools.lru_cache(maxsize=1 << 16)(snowballstemmer.stemmer(name).stemWord)  # words recur, terms always


def contains(term: str, text: str, slavic: bool = False, stem: Callable[[str], str] | None = None) -> bool:
    """Whether a (prose) text contains a term, inflection tolerated as the module documentation says (``stem``:
    the language's Snowball stemmer, see :func:`stemmer`)."""
    term, text = fold(term), fold(text)
    if any(is_cjk(ch) for ch in term):
        return "".join(term.split()) in "".join(text.split())
    want = [term[a:b] for a, b in letter_runs(term)]
    have = [text[a:b] for a, b in letter_runs(text)]
    if not want:
        return term in text
    for start, word in enumerate(have):
        if not _same_word(want[0], word, slavic, stem):
            continue
        pos = start
        for wanted in want[1:]:
            nxt = next((j for j in range(pos + 1, min(pos + 4, len(have))) if _same_word(wanted, have[j], slavic, stem)), None)
            if nxt is None:
                break
            pos = nxt
        else:
            return True
    return False


def _same_word(term: str, word: str, slavic: bool, stem: Callable[[str], str] | None = None) -> bool:
    if term == word or (stem is not None and stem(term) == stem(word)):
        return True
    if any(is_arabic_letter(ch) for ch in term):
        return _arabic_match(term, word)
    k = 3 if slavic else 2
    if len(term) <= 3:
        ending = word[len(term):]
        return word.startswith(term) and (len(ending) <= 3 if slavic else ending in ("s", "x", "es"))
    stem = max(4, len(term) - k)
    return len(word) >= stem and word[:stem] == term[:stem] and len(word) <= len(term) + k + 1


#: Attached particles: a conjunction (و ف), then a preposition (ب ك ل) or the future prefix (س), then the article;
#: ل before the article is written لل.
_AR_PREFIXES = tuple(sorted({c + p + a for c in ("", "و", "ف") for p in ("", "ب", "ك", "ل", "س") for a in ("", "ال")
                             if not (p == "س" and a)} | {c + "لل" for c in ("", "و", "ف")}, key=len))
_AR_SUFFIXES = ("هما", "كما", "تان", "تين", "ها", "هم", "هن", "كم", "كن", "نا", "ات", "ان", "ون", "ين", "ية",
                "ه", "ة", "ي", "ك", "ا", "ت")


def _arabic_stems(word: str, prefixes: tuple[str, ...]) -> set[str]:
    out: set[str] = set()
    for prefix in prefixes:
        if word.startswith(prefix) and len(word) - len(prefix) >= 2:
            frontier = {word[len(prefix):]}
            out |= frontier
            for _ in range(2):
                frontier = {f[: -len(s)] for f in frontier for s in _AR_SUFFIXES if f.endswith(s) and len(f) - len(s) >= 2}
                out |= frontier
    return out


def _arabic_match(term: str, word: str) -> bool:
    base = term[2:] if term.startswith("ال") and len(term) > 3 else term
    shared = _arabic_stems(term, ("", "ال")) & _arabic_stems(word, _AR_PREFIXES)
    return any(len(s) >= min(3, len(base)) for s in shared)
