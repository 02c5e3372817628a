"""Quality checks of translations: what ``cop-docs check`` reports.

In: PO catalogs (only translated entries: not fuzzy, not empty, not obsolete), the project's check settings
(``checks:`` in cop-docs.yaml, see :class:`cop_docs.config.CheckSettings`) and the glossary. Out: a list of
:class:`Problem`, each with the PO file, the line of its ``msgstr``, the check's name, a severity, a one-line
message quoting the offending bit, and a short explanation of why it matters and how to fix it. Checks run
offline; the only outside program is pandoc, called once per catalog to read every message's Markdown.

The checks, by family (each module's documentation says exactly what its checks do):

==================== ======== =========================================================================
check                severity what it finds
==================== ======== =========================================================================
links                error    link targets or image sources that differ from the source's
markup               error    emphasis/strong/code spans, footnote references or raw HTML out of parity
syntax               error    an unclosed ``**`` or backtick, a broken ``](``, unmatched brackets
placeholders         error    ``{name}``, ``%s``, ``%(name)s`` missing or added
numbers              warning  a number of the source missing (the language's digits and separators allowed)
identical            warning  a translation that is a copy of the source
french-spacing       warning  fr: no-break space before ``: ; ! ?`` and inside ``« »``
chinese-punctuation  warning  zh: ASCII ``, . : ; ! ? ( )`` next to Chinese characters
arabic-punctuation   warning  ar (fa, ur…): Latin ``, ; ?`` next to Arabic letters
spanish-opening      warning  es: ``?`` or ``!`` without the opening ``¿`` or ``¡``
bidi-controls        error    bidirectional control characters the source does not have
whitespace           warning  leading/trailing whitespace or line breaks different from the source
terminology          warning  a glossary term not translated as approved; a do-not-translate term changed
block-kind           error    a translation Markdown reads as another kind of block (not used by the build)
length               error    a translation longer than ``limits:`` allow (not parsed, not used)
control-characters   error    a control character the source does not have (not used)
placeholder-address  warning  a link, in the masters, to a domain reserved for examples that the project
                              file's ``links:`` does not map to the publisher's own address
==================== ======== =========================================================================

Configuration, in cop-docs.yaml::

    checks:
      glossary: glossary.yaml                 # see cop_docs.checks.terminology for the format
      allow-identical: [OK, Wi-Fi]
      localized-urls: {fr: {"https://www.example.org/help": "https://www.example.org/fr/aide"}}
      rules:
        french-spacing: {severity: error}     # error, warning or off
        numbers: {languages-off: [zh-Hans]}

A rule naming an unknown check is a configuration error (:func:`validate_rules`).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

from .. import files, sources
from ..cache import version as cache_version
from ..catalogs import po
from ..config import CheckSettings, Document, Language, Limits, Project
from ..errors import ConfigError
from . import addresses, conventions, identical, length, markup, placeholders, terminology
from .base import Check, Context, Message, matches_language
from .terminology import Glossary, Term, load_glossary

__all__ = ["CHECKS", "Check", "Glossary", "Problem", "Term", "check_catalog", "check_project", "load_glossary",
           "validate_rules", "errors", "warnings"]

_FAMILIES = (markup, placeholders, identical, conventions, terminology, length)

#: Every check by name, in the order problems about the same message are reported.
CHECKS: dict[str, Check] = {name: check for family in (*_FAMILIES, addresses) for name, check in family.CHECKS.items()}


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    check: str
    severity: str  #: "error" or "warning"
    message: str  #: one line: what is wrong, quoting the offending bit
    explanation: str  #: why it matters and how to fix it
    msgid: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.severity}: [{self.check}] {self.message}"


def errors(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]


def warnings(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "warning"]


def validate_rules(settings: CheckSettings, config_path: str | Path | None = None) -> None:
    """Raise a ConfigError (with the rule's line) for a rule that names no known check."""
    unknown = [(rule.line, name) for name, rule in settings.rules.items() if name not in CHECKS]
    if not unknown:
        return
    known = ", ".join(CHECKS)
    problems = [ConfigError(f"checks.rules.{name}: unknown check '{name}' (known: {known})", config_path, line or None)
                for line, name in sorted(unknown)]
    err = problems[0]
    if len(problems) > 1:
        err = ConfigError(f"{problems[0].message} (and {len(problems) - 1} more problems)", config_path,
                          problems[0].line)
    err.problems = problems  # type: ignore[attr-defined]
    raise err


def severity(name: str, code: str, settings: CheckSettings) -> str | None:
    """The severity a check runs with in a language, or None when it does not run there."""
    check = CHECKS[name]
    if not check.applies_to(code):
        return None
    rule = settings.rules.get(name)
    if rule is None:
        return check.severity
    if rule.severity == "off" or any(matches_language(code, off) for off in rule.languages_off):
        return None
    return rule.severity or check.severity


def check_catalog(po_path: Path, language: Language | str, settings: CheckSettings, *, shown_path: str,
                  glossary: Glossary | None = None, source_language: str = "en",
                  config_path: str | Path | None = None, limits: Limits | None = None) -> list[Problem]:
    """Check every translated entry of one PO file. ``glossary`` defaults to the one ``settings`` names;
    ``config_path`` only names the project file in the error about an unknown rule."""
    code = language if isinstance(language, str) else language.code
    validate_rules(settings, config_path)
    if glossary is None and settings.glossary is not None:
        glossary = load_glossary(settings.glossary)
    messages, entries = _messages(po.read(Path(po_path)))
    levels = {name: severity(name, code, settings) for name in CHECKS}
    ctx = Context(code, source_language, settings, glossary,
                  frozenset(name for name, level in levels.items() if level), limits or Limits())
    order = {name: i for i, name in enumerate(CHECKS)}
    problems = []
    sized = [m for m in messages if not length.too_long(m.msgid, m.msgstr, ctx.limits)]  # others are not parsed
    for family in _FAMILIES:
        for f in family.run(messages if family is length else sized, ctx):
            level = levels[f.check]
            if level:
                problems.append(Problem(shown_path, messages[f.index].line, f.check, level, f.message, f.explanation,
                                        entries[f.index].msgid))
    problems.sort(key=lambda p: (p.line, order[p.check]))
    return problems


def check_project(project: Project, langs: Iterable[Language | str] | None = None,
                  docs: Iterable[Document | str] | None = None, *, cache: Path | None = None) -> list[Problem]:
    """Check every target language × document PO file that exists (all of them unless narrowed).

    With ``cache`` (a JSON file), a catalog whose bytes, settings and glossary are those of its last check is not
    checked again: its problems are read back."""
    settings = project.checks
    validate_rules(settings, project.config_path)
    glossary = None
    if settings.glossary is not None:
        glossary = load_glossary(settings.glossary)
        glossary.shown = files.relative(settings.glossary, project.root)
    languages = [project.language(x) if isinstance(x, str) else x for x in langs] if langs is not None \
        else project.target_languages
    documents = [project.catalog(x) if isinstance(x, str) else x for x in docs] if docs is not None \
        else project.catalogs
    for doc in documents:  # a master that cannot be read (an unclosed fence, say) is reported first, at its line
        sources.load(project, doc)
    jobs = [(project.po_path(doc, lang), lang) for doc in documents for lang in languages
            if lang.code != project.source_language and project.po_path(doc, lang).is_file()]
    known: dict[str, dict] = {}
    if cache is not None and cache.exists():
        try:
            known = json.loads(cache.read_text(encoding="utf-8"))
        except ValueError:
            known = {}
    context = repr((settings, project.source_language, project.limits, cache_version())).encode()
    if settings.glossary is not None and settings.glossary.exists():
        context += settings.glossary.read_bytes()

    def key(path: Path) -> str:
        return hashlib.sha256(context + b"\0" + path.read_bytes()).hexdigest()

    def one(job: tuple[Path, Language]) -> list[Problem]:
        path, lang = job
        seen = known.get(str(path))
        if seen and seen["key"] == key(path):
            return [Problem(**item) for item in seen["problems"]]
        return check_catalog(path, lang, settings, shown_path=files.relative(path, project.root), glossary=glossary,
                             source_language=project.source_language, config_path=project.config_path,
                             limits=project.limits)

    with ThreadPoolExecutor(max_workers=min(len(jobs), os.cpu_count() or 1) or 1) as pool:  # the work is in pandoc
        results = list(pool.map(one, jobs))
    if cache is not None:
        fresh = {str(path): {"key": key(path), "problems": [asdict(p) for p in result]}
                 for (path, _lang), result in zip(jobs, results, strict=True)}
        if fresh != {k: known.get(k) for k in fresh}:
            files.write_atomic(cache, json.dumps({**known, **fresh}, ensure_ascii=False))
    return [p for result in results for p in result] + _addresses(project, documents, languages)


def _addresses(project: Project, items: list, languages: list[Language]) -> list[Problem]:
    """Placeholder addresses the documents would still link to (see :mod:`.addresses`), at their master's line."""
    name = "placeholder-address"
    shown = [lang for lang in languages if severity(name, lang.code, project.checks)]
    level = severity(name, project.source_language, project.checks)
    if not level:
        return []
    return [Problem(files.relative(master, project.root), line, name, level,
                    f"{url} is a placeholder address (in {reached})", addresses.EXPLANATION, "")
            for master, line, url, reached in addresses.find(project, items, shown)]


def _messages(catalog: po.Catalog) -> tuple[list[Message], list[po.Entry]]:
    """The translated entries' strings (msgfmt's translated: not fuzzy, not empty, not obsolete), each with the line
    of its msgstr (plural forms one by one)."""
    messages: list[Message] = []
    entries: list[po.Entry] = []
    for entry in catalog.entries:
        if entry.obsolete or entry.state != po.TRANSLATED:
            continue
        if entry.msgid_plural is not None:
            for n, (form, line) in enumerate(zip(entry.msgstr_plural, entry.msgstr_lines, strict=True)):
                if form:
                    source = entry.msgid if n == 0 else entry.msgid_plural
                    messages.append(Message(len(messages), source, form, line, entry.msgctxt))
                    entries.append(entry)
        else:
            messages.append(Message(len(messages), entry.msgid, entry.msgstr, entry.msgstr_line, entry.msgctxt))
            entries.append(entry)
    return messages, entries
