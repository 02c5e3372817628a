"""The project file (``cop-docs.yaml``): languages, documents and formats.

In: the YAML file. Out: a validated :class:`Project`. The file's shape is a declarative model
(:mod:`cop_docs.config_model`, from which the shipped JSON Schema is generated); what the model cannot see
(files, values that must agree) is checked here after it. Every problem is collected and reported at once, each as
``file:line: key.path: what is wrong``. Language names, text direction and plural forms come from Babel
(CLDR data); the file only says what Babel cannot know (fonts, release policy).
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from babel import Locale, UnknownLocaleError

from .errors import ConfigError
from .scripts import script_of

if TYPE_CHECKING:
    from .config_model import ProjectFile
    from .yamlfile import Lines

CONFIG_NAME = "cop-docs.yaml"
KINDS = ("story-book", "workbook", "campaign-kit", "guide")
POLICIES = ("ship", "draft", "withhold")


@dataclass(frozen=True)
class ReleasePolicy:
    """What happens to a language × document below ``threshold`` percent of translated messages.

    A language with no ``release`` entry always ships (threshold 0)."""

    threshold: float = 0.0
    below: str = "ship"
    required: bool = False  #: a required language below its threshold fails the release gate
    words_threshold: float | None = None  #: also this percentage of source words, if set


@dataclass(frozen=True)
class Language:
    code: str  #: BCP-47 tag, as used in file names and ``lang`` attributes
    fonts: tuple[str, ...]
    direction: str
    release: ReleasePolicy
    line: int = 0
    heading_fonts: tuple[str, ...] = ()  #: families for headings and titles, before the text fonts

    @property
    def locale(self) -> Locale:
        return Locale.parse(self.code, sep="-")

    @property
    def script(self) -> str:
        """The ISO 15924 script the language is written in (Latn, Arab, Hans, Cyrl…), from CLDR's likely subtags."""
        return script_of(self.code)

    @property
    def heading_stack(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.heading_fonts + self.fonts))

    @property
    def name(self) -> str:
        """The language's name in its own script (العربية, 中文, Русский…)."""
        name = self.locale.get_display_name(self.locale) or self.code
        return name[:1].upper() + name[1:]

    @property
    def english_name(self) -> str:
        return self.locale.get_display_name("en") or self.code

    @property
    def po_language(self) -> str:
        """The PO ``Language:`` value (gettext spells the tag with underscores)."""
        return str(self.locale)

    @property
    def plural_forms(self) -> str:
        from babel.messages.plurals import get_plural

        return str(get_plural(self.locale))

    @property
    def pseudo(self) -> bool:
        """A built-in pseudo-locale (``qps-ploc``, ``qps-plocm``: see :mod:`cop_docs.catalogs.pseudo`)."""
        return False


@dataclass(frozen=True)
class Document:
    id: str
    audience: str
    title: str
    kind: str
    sources: tuple[Path, ...]
    line: int = 0  #: line of the title in the project file, the reference of the title message
    audience_line: int = 0


@dataclass(frozen=True)
class Snippet:
    """A shared piece of text (help and reporting, key terms…) that documents include with
    ``::: {include=<id>}`` / ``:::``. It has its own catalog, translated once for every document."""

    id: str
    sources: tuple[Path, ...]
    line: int = 0


@dataclass(frozen=True)
class CheckRule:
    """How one quality check runs: its severity (error, warning or off) and the languages it skips."""

    severity: str | None = None  #: None: the check's own default
    languages_off: tuple[str, ...] = ()
    line: int = 0


@dataclass
class CheckSettings:
    glossary: Path | None = None
    allow_identical: tuple[str, ...] = ()
    localized_urls: dict[str, dict[str, str]] = field(default_factory=dict)  #: language → source URL → URL
    rules: dict[str, CheckRule] = field(default_factory=dict)


@dataclass(frozen=True)
class Limits:
    """Sizes beyond which input is refused with one line instead of exhausting the machine (``limits:``)."""

    translation_factor: int = 10  #: a translation longer than factor × its source + extra characters is an error
    translation_extra: int = 1000
    seconds_per_output: float = 900  #: a document × language that takes longer to render fails
    memory_per_output: int = 4096  #: MiB a rendering process may use


@dataclass(frozen=True)
class MemorySettings:
    """What ``update`` fills new messages from besides the project's catalogs (``translation-memory:``)."""

    files: tuple[Path, ...] = ()  #: TMX files, in order of preference
    fuzzy_threshold: float = 80.0  #: the similarity (%) from which a near match is proposed fuzzy


@dataclass
class Project:
    root: Path
    config_path: Path
    name: str
    edition: str
    source_language: str
    languages: list[Language]
    documents: list[Document]
    formats: tuple[str, ...]
    checks: CheckSettings = field(default_factory=CheckSettings)
    snippets: list[Snippet] = field(default_factory=list)
    limits: Limits = field(default_factory=Limits)
    #: the publisher's addresses (``links:``): an address the masters link to → language or "default" → URL
    links: dict[str, dict[str, str]] = field(default_factory=dict)
    publisher: str = ""  #: who publishes it, as the imprint names them (``project.publisher``, default: the name)
    memory: MemorySettings = field(default_factory=MemorySettings)  #: ``translation-memory:``

    def link(self, url: str, code: str) -> str:
        """Where a link of the masters to ``url`` points in a language: the publisher's address for the language
        (or its parent: ``fr-CA`` → ``fr``), else their default, else ``url`` itself."""
        table = self.links.get(url)
        if not table:
            return url
        parts = code.split("-")
        for n in range(len(parts), 0, -1):
            if "-".join(parts[:n]) in table:
                return table["-".join(parts[:n])]
        return table.get("default", url)

    @property
    def translations_dir(self) -> Path:
        return self.root / "translations"

    @property
    def build_dir(self) -> Path:
        return self.root / "build"

    @property
    def cache_dir(self) -> Path:
        return self.build_dir / ".cache"

    def language(self, code: str) -> Language:
        for lang in self.languages:
            if lang.code == code:
                return lang
        from .catalogs import pseudo  # built in, not listed in the project file

        if code in pseudo.CODES:
            return pseudo.language(self, code)
        raise ConfigError(f"no language '{code}' in the project (known: {', '.join(self.codes)}; pseudo-locales: "
                          f"{', '.join(pseudo.CODES)})", self.config_path)

    def document(self, doc_id: str) -> Document:
        for doc in self.documents:
            if doc.id == doc_id:
                return doc
        known = ", ".join(d.id for d in self.documents)
        raise ConfigError(f"no document '{doc_id}' in the project (known: {known})", self.config_path)

    @property
    def codes(self) -> list[str]:
        return [lang.code for lang in self.languages]

    def languages_and(self, extra: Iterable[Language]) -> list[Language]:
        """The project's languages, then those of ``extra`` it does not list (pseudo-locales asked for by name)."""
        return [*self.languages, *(lang for lang in extra if lang not in self.languages)]

    @property
    def target_languages(self) -> list[Language]:
        return [lang for lang in self.languages if lang.code != self.source_language]

    def catalog(self, catalog_id: str) -> Document | Snippet:
        """A document or a snippet by id (both have a catalog)."""
        snippet = self.snippet(catalog_id)
        return snippet if snippet is not None else self.document(catalog_id)

    def snippet(self, snippet_id: str) -> Snippet | None:
        return next((s for s in self.snippets if s.id == snippet_id), None)

    @property
    def catalogs(self) -> list[Document | Snippet]:
        """Everything that has a catalog: the documents, then the shared snippets."""
        return [*self.documents, *self.snippets]

    def pot_path(self, doc: Document | Snippet) -> Path:
        return self.translations_dir / doc.id / f"{doc.id}.pot"

    def po_path(self, doc: Document | Snippet, lang: Language) -> Path:
        if lang.pseudo:  # made from the template at build time, never in translations/
            return self.cache_dir / "pseudo" / lang.code / f"{doc.id}.po"
        return self.translations_dir / doc.id / f"{lang.code}.po"


def find_config(start: Path) -> Path:
    """The project file in ``start`` or the nearest folder above it."""
    for folder in (start, *start.parents):
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
    raise ConfigError(f"no {CONFIG_NAME} here or in any parent folder", start)


def load(path: Path, remember: bool = True) -> Project:
    """Read and validate the project file, or take it as validated before when its bytes are the same.
    ``remember``: keep it validated in the project's cache."""
    known = _validated(path)
    if known is not None:
        return known
    from . import yamlfile  # here, with pydantic: md2pot and po2md read no project file, a known file needs none
    from .config_model import ProjectFile

    node = yamlfile.compose(path, "project file")
    if node is None:
        raise ConfigError("the project file is empty", path)
    data, model, lines, problems = yamlfile.validate(ProjectFile, path, node)
    problems += _consistency(data, lines, path.parent)
    yamlfile.raise_problems(path, problems)
    project = _project(model, lines, path)
    if remember:
        _remember(project)
    return project


# --- a project file validated before --------------------------------------------------------------------------

def _memo_path(path: Path) -> Path:
    return Project(path.parent, path, "", "", "", [], [], ()).cache_dir / "project.json"


def _validated(path: Path) -> Project | None:
    """The project as validated from these very bytes before, if its files are all still there; None otherwise.

    Validation's model (pydantic) takes longer to load than a small command takes to run."""
    from . import cache

    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None
    kept = cache.read_json(_memo_path(path))
    if not isinstance(kept, dict) or kept.get("sha256") != digest:
        return None
    try:
        project = _from_data(path, kept["project"])
    except (KeyError, TypeError, ValueError):
        return None
    named = [s for item in project.catalogs for s in item.sources]
    named += [project.checks.glossary] if project.checks.glossary else []
    named += list(project.memory.files)
    root = str(project.root)
    if any(_outside_or_missing(project.root, os.path.relpath(p, root), "") for p in named):
        return None  # read it again: the full validation says which file and line
    return project


def _remember(project: Project) -> None:
    from . import cache

    digest = hashlib.sha256(project.config_path.read_bytes()).hexdigest()
    cache.write_json(_memo_path(project.config_path), {"sha256": digest, "project": _as_data(project)})


def _as_data(project: Project) -> dict:
    root = str(project.root)

    def rel(paths):
        return [os.path.relpath(p, root) for p in paths]

    c = project.checks
    return {
        "name": project.name, "edition": project.edition, "source_language": project.source_language,
        "formats": list(project.formats), "limits": asdict(project.limits),
        "languages": [asdict(lang) for lang in project.languages],
        "documents": [{**asdict(d), "sources": rel(d.sources)} for d in project.documents],
        "snippets": [{**asdict(s), "sources": rel(s.sources)} for s in project.snippets],
        "checks": {"glossary": rel([c.glossary])[0] if c.glossary else None, "allow_identical": list(c.allow_identical),
                   "localized_urls": c.localized_urls, "rules": {k: asdict(v) for k, v in c.rules.items()}},
        "links": project.links, "publisher": project.publisher,
        "memory": {"files": rel(project.memory.files), "fuzzy_threshold": project.memory.fuzzy_threshold},
    }


def _from_data(path: Path, data: dict) -> Project:
    root = path.parent

    def paths(values):
        return tuple(root / v for v in values)

    languages = [Language(**{**lang, "fonts": tuple(lang["fonts"]), "heading_fonts": tuple(lang["heading_fonts"]),
                             "release": ReleasePolicy(**lang["release"])}) for lang in data["languages"]]
    documents = [Document(**{**d, "sources": paths(d["sources"])}) for d in data["documents"]]
    snippets = [Snippet(**{**s, "sources": paths(s["sources"])}) for s in data["snippets"]]
    c = data["checks"]
    checks = CheckSettings(root / c["glossary"] if c["glossary"] else None, tuple(c["allow_identical"]),
                           c["localized_urls"],
                           {k: CheckRule(v["severity"], tuple(v["languages_off"]), v["line"]) for k, v in c["rules"].items()})
    return Project(root, path, data["name"], data["edition"], data["source_language"], languages, documents,
                   tuple(data["formats"]), checks, snippets, Limits(**data["limits"]), data["links"],
                   data["publisher"], MemorySettings(paths(data["memory"]["files"]), data["memory"]["fuzzy_threshold"]))


# --- what the model cannot see: the project's files, and values that must agree ----------------------------

def _consistency(data: dict, lines: Lines, root: Path) -> list[tuple[int, str]]:
    """Problems across values, read from the plain data so that they are found even when the shape is wrong."""
    problems: list[tuple[int, str]] = []

    from .yamlfile import keypath

    def fail(loc: tuple, message: str) -> None:
        problems.append((lines.of(loc), f"{keypath(loc)}: {message}"))

    data = data if isinstance(data, dict) else {}
    languages = [(i, lang) for i, lang in enumerate(_items(data, "languages")) if isinstance(lang, dict)]
    codes: list[str] = []
    for i, lang in languages:
        code = lang.get("code")
        if not isinstance(code, str):
            continue
        if code in codes:
            fail(("languages", i, "code"), f"language '{code}' is listed twice")
        codes.append(code)
        try:
            direction = Locale.parse(code, sep="-").text_direction
        except (UnknownLocaleError, ValueError):
            continue
        if lang.get("direction") in ("ltr", "rtl") and lang["direction"] != direction:
            fail(("languages", i, "direction"),
                 f"'{lang['direction']}' contradicts the language's direction '{direction}' (leave it out)")
    meta = data.get("project") if isinstance(data.get("project"), dict) else {}
    source = meta.get("source-language", "en")
    if codes and isinstance(source, str) and source not in codes:
        fail(("project", "source-language") if "source-language" in meta else (),
             f"'{source}' is not one of the configured languages")

    ids: dict[str, int] = {}
    for group in ("documents", "snippets"):
        for i, entry in enumerate(_items(data, group)):
            if not isinstance(entry, dict):
                continue
            if isinstance(entry.get("id"), str):
                ids[entry["id"]] = ids.get(entry["id"], 0) + 1
            for j, value in enumerate(_items(entry, "sources")):
                if isinstance(value, str) and value:
                    problem = _outside_or_missing(root, value, "source file")
                    if problem:
                        fail((group, i, "sources", j), problem)
    for group in ("documents", "snippets"):
        for i, entry in enumerate(_items(data, group)):
            if isinstance(entry, dict) and ids.get(entry.get("id"), 0) > 1:
                problems.append((lines.of((group, i)),
                                 f"id '{entry['id']}' names two documents or snippets (it names their catalog)"))
    checks = data.get("checks") if isinstance(data.get("checks"), dict) else {}
    if isinstance(checks.get("glossary"), str) and checks["glossary"]:
        problem = _outside_or_missing(root, checks["glossary"], "glossary file")
        if problem:
            fail(("checks", "glossary"), problem)
    memory = data.get("translation-memory") if isinstance(data.get("translation-memory"), dict) else {}
    for j, value in enumerate(_items(memory, "files")):
        if isinstance(value, str) and value:
            problem = _outside_or_missing(root, value, "translation memory file")
            if problem:
                fail(("translation-memory", "files", j), problem)
    links = data.get("links") if isinstance(data.get("links"), dict) else {}
    for url, table in links.items():
        for key, target in (table.items() if isinstance(table, dict) else ()):
            if key != "default" and codes and key not in codes:
                fail(("links", url, key), f"'{key}' is neither a configured language nor 'default'")
            if isinstance(target, str) and not re.match(r"(https?|mailto|tel):", target):
                fail(("links", url, key), f"'{target}' is not an http(s), mailto or tel address")
    return problems


def is_language_code(code: str) -> bool:
    """Whether CLDR (Babel) knows a BCP-47 tag: the languages of the project file and the glossary's keys."""
    try:
        return bool(Locale.parse(code, sep="-"))
    except (UnknownLocaleError, ValueError, TypeError):
        return False


def _items(data: dict, key: str) -> list:
    value = data.get(key)
    return value if isinstance(value, list) else []


def _outside_or_missing(root: Path, value: str, what: str) -> str | None:
    path = root / value
    real, top = os.path.realpath(path), os.path.realpath(root)
    if os.path.isabs(value) or not real.startswith(top + os.sep):
        # an absolute path, a '../' one or a symbolic link that leads out: outside files never get in
        return f"{what} '{value}' lies outside the project"
    if not path.is_file():
        return f"{what} '{value}' does not exist"
    return None


def _project(model: ProjectFile, lines: Lines, path: Path) -> Project:
    """The in-memory project: paths resolved, defaults from CLDR, and the lines messages refer to."""
    root = path.parent
    languages = []
    for i, entry in enumerate(model.languages):
        r = entry.release
        release = ReleasePolicy(r.threshold, r.below, r.required, r.words_threshold) if r else ReleasePolicy()
        direction = entry.direction or Locale.parse(entry.code, sep="-").text_direction
        languages.append(Language(entry.code, tuple(entry.fonts), direction, release, lines.of(("languages", i)),
                                  tuple(entry.heading_fonts)))
    documents = [Document(d.id, d.audience, d.title, d.kind, tuple(root / s for s in d.sources),
                          lines.of(("documents", i, "title")), lines.of(("documents", i, "audience")))
                 for i, d in enumerate(model.documents)]
    snippets = [Snippet(s.id, tuple(root / p for p in s.sources), lines.of(("snippets", i)))
                for i, s in enumerate(model.snippets)]
    c = model.checks
    rules = {name: CheckRule(rule.severity, tuple(rule.languages_off), lines.key(("checks", "rules", name)))
             for name, rule in c.rules.items()}
    checks = CheckSettings(root / c.glossary if c.glossary else None, tuple(c.allow_identical),
                           {code: dict(table) for code, table in c.localized_urls.items()}, rules)
    m = model.limits
    limits = Limits(m.translation_length_factor, m.translation_length_extra, m.seconds_per_output, m.memory_per_output)
    p = model.project
    return Project(root, path, p.name, p.edition, p.source_language, languages, documents, tuple(model.formats),
                   checks, snippets, limits, {url: dict(table) for url, table in model.links.items()},
                   p.publisher or p.name,
                   MemorySettings(tuple(root / f for f in model.translation_memory.files),
                                  float(model.translation_memory.fuzzy_threshold)))
