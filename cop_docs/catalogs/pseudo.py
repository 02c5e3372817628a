"""Pseudo-locales: two built-in languages whose translations are made from the templates, so that a layout can be
tried on longer text, other letters and right to left before any translator starts.

In: a template (POT) and a pseudo-locale. Out: its catalog, every message translated. ``qps-ploc`` writes the
English in accented Latin letters (``Keeping`` → ``Ķééééþîîñĝ``), each word about half as long again, so that a
message is about 40% longer; ``qps-plocm`` writes the same in Hebrew letters, so that every page is set right to left.
Each message stands between brackets, ``[…]``: a message cut short loses its closing bracket, and text left in
English has none. Only text changes: the Markdown a translator keeps (emphasis, links and their targets, footnote
references, inline code, HTML, escapes: :mod:`cop_docs.exchange.inline`), placeholders (``{title}``), entities,
numbers and addresses stay as they are, so the translations pass the checks a translation must pass to be used.

Neither is listed in the project file, and neither is part of a plain build or the release: ``cop-docs build
--lang qps-ploc``. Their catalogs are written under ``build/.cache/pseudo/<code>/`` (never in ``translations/``)
whenever they are read and their template has changed, and are read like any language's catalog; a build's
stamps count their templates as inputs.

Why Hebrew letters for right to left: the bidi algorithm orders text by the characters' own direction, and the
project refuses bidi controls in translations (an override would only reorder Latin letters, and is exactly
what a hostile translation would use). Hebrew letters are strongly right-to-left, need no joining or shaping
(Arabic letters change form with their neighbours), and Noto has them in a serif and a sans face. They are taken
in alphabetical order (a b c → א ב ג, the letters Hebrew numbers options with), the last four Latin letters
taking the final forms, so the text can be read back letter by letter.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from babel import Locale

from ..config import Language, ReleasePolicy
from ..errors import CatalogError
from . import po

if TYPE_CHECKING:
    from ..config import Document, Project, Snippet

ACCENTED, MIRRORED = "qps-ploc", "qps-plocm"
CODES = (ACCENTED, MIRRORED)

_LATIN = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
#: Each letter's accented form; a capital is its small letter's capital, so ``text-transform: uppercase`` draws
#: letters the fonts have.
_ACCENTS = str.maketrans(_LATIN, "åƀçðéƒĝĥîĵķļṁñöþǫŕšţûṽŵẋýž" "ÅɃÇÐÉƑĜĤÎĴĶĻṀÑÖÞǪŔŠŢÛṼŴẊÝŽ")
_HEBREW_LETTERS = "אבגדהוזחטיכלמנסעפצקרשת" "ךםןץ"
_HEBREW = str.maketrans(_LATIN, _HEBREW_LETTERS * 2)

#: Extra letters per letter of a word: about 40% more characters in a message, spaces and brackets counted.
STRETCH = 0.45
_VOWELS = frozenset("aeiouyAEIOUY")
_WORD = re.compile(r"[A-Za-z]+")
#: What is not text inside a text run: placeholders, entities, addresses (web, mail), domain names.
_KEPT = re.compile(r"""
    \{[A-Za-z_][\w.-]*\}                                  # a placeholder: {title}
  | &(?:[A-Za-z][A-Za-z0-9]*|\#[0-9]+|\#[xX][0-9A-Fa-f]+);  # an entity: &nbsp; &#x2014;
  | (?:https?|ftp|mailto|tel):[^\s<>()\[\]]+             # an address with its scheme
  | [\w.+-]+@[\w-]+(?:\.[\w-]+)+                          # a mail address
  | (?<![\w.])(?:www\.)?(?:[A-Za-z0-9-]+\.)+(?:org|com|net|int|gov|edu|info|test|invalid|example)\b[^\s<>()\[\]]*
""", re.VERBOSE)
_DEFINITION = re.compile(r"^ {0,3}\[([^\]]+)\]:", re.MULTILINE)


@dataclass(frozen=True)
class PseudoLanguage(Language):
    """A pseudo-locale: the source language's text in other letters, tagged with a private-use code."""

    script_code: str = "Latn"
    english: str = ""

    @property
    def pseudo(self) -> bool:
        return True

    @property
    def locale(self) -> Locale:
        return Locale.parse("en")  # names of languages, lists: the English, which the text is made from

    @property
    def script(self) -> str:
        return self.script_code

    @property
    def name(self) -> str:
        return pseudo_text(self.english, self.code)

    @property
    def english_name(self) -> str:
        return self.english

    @property
    def po_language(self) -> str:
        return self.code.replace("-", "_")

    @property
    def plural_forms(self) -> str:
        return "nplurals=2; plural=(n != 1);"


def language(project: Project, code: str) -> PseudoLanguage:
    """A pseudo-locale set with the source language's fonts: ``qps-ploc`` as the source language (accented Latin
    letters), ``qps-plocm`` right to left with Noto's Hebrew faces before them."""
    logging.getLogger("pypandoc").addFilter(_QUIET)
    source = next((lang for lang in project.languages if lang.code == project.source_language), None)
    fonts = source.fonts if source else ("Noto Serif", "Noto Sans")
    headings = source.heading_fonts if source else ()
    if code == ACCENTED:
        return PseudoLanguage(code, fonts, "ltr", ReleasePolicy(), heading_fonts=headings,
                              english="Pseudo-locale, accented")
    if code == MIRRORED:
        return PseudoLanguage(code, ("Noto Serif Hebrew", *fonts), "rtl", ReleasePolicy(),
                              heading_fonts=("Noto Sans Hebrew", *headings) if headings else (),
                              script_code="Hebr", english="Pseudo-locale, right to left")
    raise KeyError(code)


class _NoWordsOfItsOwn(logging.Filter):
    """pandoc has no words of its own for a private-use language and warns on every call (the words it would
    use are in the tool's catalog, see :mod:`cop_docs.locale`)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage().strip()
        return not (message.startswith("Could not load translations for qps")
                    or (message.startswith("The term ") and message.endswith(" has no translation defined.")))


_QUIET = _NoWordsOfItsOwn()


# --- the text ------------------------------------------------------------------------------------------------


def _letters(text: str, code: str) -> str:
    return text.translate(_HEBREW if code == MIRRORED else _ACCENTS)


def _stretched(word: str) -> str:
    """A word about half as long again, its vowels (else its last letter) said longer: ``online`` → ``oonliinee``."""
    extra = round(len(word) * STRETCH)
    if not extra:
        return word
    places = [i for i, ch in enumerate(word) if ch in _VOWELS] or [len(word) - 1]
    counts = [1] * len(word)
    for n in range(extra):
        counts[places[n % len(places)]] += 1
    return "".join(ch * k for ch, k in zip(word, counts, strict=True))


def _run(text: str, code: str) -> str:
    """A run of text: each word stretched and in the pseudo-locale's letters, what is not words kept."""
    out, at = [], 0
    for kept in _KEPT.finditer(text):
        out.append(_WORD.sub(lambda m: _letters(_stretched(m.group()), code), text[at:kept.start()]))
        out.append(kept.group())
        at = kept.end()
    out.append(_WORD.sub(lambda m: _letters(_stretched(m.group()), code), text[at:]))
    return "".join(out)


def pseudo_text(text: str, code: str) -> str:
    """Plain text (the tool's own words, a language's name) in a pseudo-locale, between brackets."""
    return f"[{_run(text, code)}]"


def pseudo_letters(text: str, code: str) -> str:
    """Letters alone in the pseudo-locale's alphabet (the options' letters: the answer key's ``**b**`` becomes the
    same letter as the option it names)."""
    return _letters(text, code)


def pseudo_markdown(message: str, code: str, references: tuple[str, ...] = ()) -> str:
    """A message (Markdown) in a pseudo-locale: its text runs changed, its inline codes as they are, the whole
    between brackets (after any leading white space, before any trailing). ``references``: the link labels its
    master defines, so that a ``[label]`` link keeps its label."""
    from ..exchange import inline

    parts = inline.parts(message, references=references)
    body = inline.markdown([_run(p, code) if isinstance(p, str) else p for p in parts])
    core = body.strip()
    if not core:
        return body
    start = body.index(core)
    return f"{body[:start]}[{core}]{body[start + len(core):]}"


# --- catalogs ------------------------------------------------------------------------------------------------


def catalog(template: po.Catalog, lang: Language, references: tuple[str, ...] = ()) -> po.Catalog:
    """The pseudo-locale's catalog of a template: every message translated."""
    meta = template.metadata
    out = po.Catalog()
    out.set_metadata({
        "Project-Id-Version": meta.get("Project-Id-Version", ""),
        "POT-Creation-Date": meta.get("POT-Creation-Date", ""),
        "PO-Revision-Date": meta.get("POT-Creation-Date", ""),
        "Last-Translator": "cop-docs (pseudo-locale)",
        "Language-Team": f"{getattr(lang, 'english', lang.code)} <>",
        "Language": lang.po_language,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": lang.plural_forms,
    })
    for entry in template.messages:
        forms = (entry.msgid,) if entry.msgid_plural is None else (entry.msgid, entry.msgid_plural)
        made = tuple(pseudo_markdown(form, lang.code, references) for form in forms)
        out.entries.append(replace(entry, msgstr=made[0], msgstr_plural=made if entry.msgid_plural else (),
                                   flags=tuple(f for f in entry.flags if f != "fuzzy"), comments=(),
                                   previous_msgctxt=None, previous_msgid=None, previous_msgid_plural=None))
    return out


def references_of(project: Project, item: Document | Snippet) -> tuple[str, ...]:
    """The link reference labels a document's (or snippet's) masters define."""
    from .. import sources

    return tuple(dict.fromkeys(m.group(1) for source in sources.load(project, item)
                               for m in _DEFINITION.finditer(source.references)))


def read(project: Project, item: Document | Snippet, lang: Language, template: po.Catalog | None = None) -> po.Catalog:
    """The pseudo-locale's catalog of a document or snippet, as its file holds it: written first from the template
    (``template``: already read) when what it would say changed."""
    from .pofiles import save

    path = project.po_path(item, lang)
    if template is None:
        template = po.read(project.pot_path(item))
    made = catalog(template, lang, references_of(project, item))
    try:
        current = po.read(path) if path.is_file() else None
    except CatalogError:  # a file of the cache cut short: made again
        current = None
    if current is not None and current.content() == made.content():
        return current
    save(path, made, current)
    return po.read(path)


def prepare(project: Project, langs: list[Language]) -> list[Path]:
    """Make the catalogs of every document and snippet in the pseudo-locales among ``langs``; their paths."""
    made = []
    for lang in langs:
        if lang.pseudo:
            for item in project.catalogs:
                if project.pot_path(item).is_file():
                    read(project, item, lang)
                    made.append(project.po_path(item, lang))
    return made
