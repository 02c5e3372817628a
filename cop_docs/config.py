"""The project file (``cop-docs.yaml``): languages, documents and formats.

In: the YAML file. Out: a validated :class:`Project`. Every problem is collected and reported at once, each
as ``file:line: key.path: what is wrong``. Language names, text direction and plural forms come from Babel
(CLDR data); the file only says what Babel cannot know (fonts, release policy).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from babel import Locale, UnknownLocaleError
from babel.messages.plurals import get_plural

from .errors import ConfigError
from .formats import FORMATS
from .scripts import script_of

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
        return str(get_plural(self.locale))


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
        raise ConfigError(f"no language '{code}' in the project (known: {', '.join(self.codes)})", self.config_path)

    def document(self, doc_id: str) -> Document:
        for doc in self.documents:
            if doc.id == doc_id:
                return doc
        known = ", ".join(d.id for d in self.documents)
        raise ConfigError(f"no document '{doc_id}' in the project (known: {known})", self.config_path)

    @property
    def codes(self) -> list[str]:
        return [lang.code for lang in self.languages]

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
        return self.translations_dir / doc.id / f"{lang.code}.po"


def find_config(start: Path) -> Path:
    """The project file in ``start`` or the nearest folder above it."""
    for folder in (start, *start.parents):
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
    raise ConfigError(f"no {CONFIG_NAME} here or in any parent folder", start)


def load(path: Path) -> Project:
    """Read and validate the project file."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read project file: {exc.strerror}", path) from None
    try:
        node = yaml.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = str(getattr(exc, "problem", None) or exc).strip().splitlines()[0]
        raise ConfigError(f"invalid YAML: {problem}", path, mark.line + 1 if mark else None) from None
    if node is None:
        raise ConfigError("the project file is empty", path)
    return _Validator(path).project(node)


class _Validator:
    """Turns the YAML node tree into a Project, collecting every problem with its key path and line."""

    def __init__(self, path: Path):
        self.path = path
        self.root = path.parent
        self.problems: list[tuple[int, str]] = []

    def fail(self, node: yaml.Node, keypath: str, message: str) -> None:
        self.problems.append((node.start_mark.line + 1, f"{keypath}: {message}"))

    def mapping(self, node: yaml.Node, keypath: str, required: tuple[str, ...], optional: tuple[str, ...]) -> dict:
        if not isinstance(node, yaml.MappingNode):
            self.fail(node, keypath, "must be a mapping")
            return {}
        out = {}
        for key_node, value_node in node.value:
            key = key_node.value
            if key not in required and key not in optional:
                allowed = ", ".join(required + optional)
                self.fail(key_node, f"{keypath}.{key}".lstrip("."), f"unknown key (allowed: {allowed})")
            elif key in out:
                self.fail(key_node, f"{keypath}.{key}".lstrip("."), "key given twice")
            else:
                out[key] = value_node
        for key in required:
            if key not in out:
                self.fail(node, keypath or "(top level)", f"missing required key '{key}'")
        return out

    def scalar(self, node: yaml.Node | None, keypath: str, default: str | None = None) -> str | None:
        if node is None:
            return default
        if not isinstance(node, yaml.ScalarNode) or node.value == "":
            self.fail(node, keypath, "must be a non-empty text value")
            return default
        return str(node.value)

    def seq(self, node: yaml.Node | None, keypath: str) -> list[yaml.Node]:
        if node is None:
            return []
        if not isinstance(node, yaml.SequenceNode):
            self.fail(node, keypath, "must be a list")
            return []
        return list(node.value)

    def project(self, node: yaml.Node) -> Project:
        top = self.mapping(node, "", ("project", "languages", "documents"),
                           ("formats", "checks", "snippets", "limits"))
        meta = self.mapping(top["project"], "project", ("name", "edition", "source-language"), ()) if "project" in top else {}
        name = self.scalar(meta.get("name"), "project.name", "")
        edition = self.scalar(meta.get("edition"), "project.edition", "")
        source_language = self.scalar(meta.get("source-language"), "project.source-language", "en")

        languages = [self.language(n, f"languages[{i}]") for i, n in enumerate(self.seq(top.get("languages"), "languages"))]
        languages = [lang for lang in languages if lang]
        seen: set[str] = set()
        for i, lang in enumerate(languages):
            if lang.code in seen:
                self.problems.append((lang.line, f"languages[{i}].code: language '{lang.code}' is listed twice"))
            seen.add(lang.code)
        if languages and source_language not in seen:
            self.fail(meta.get("source-language", node), "project.source-language",
                      f"'{source_language}' is not one of the configured languages")

        documents = [self.document(n, f"documents[{i}]") for i, n in enumerate(self.seq(top.get("documents"), "documents"))]
        documents = [d for d in documents if d]
        snippets = [self.snippet_entry(n, f"snippets[{i}]") for i, n in enumerate(self.seq(top.get("snippets"), "snippets"))]
        snippets = [s for s in snippets if s]
        ids = [d.id for d in documents] + [s.id for s in snippets]
        for d in [*documents, *snippets]:
            if ids.count(d.id) > 1:
                self.problems.append((d.line, f"id '{d.id}' names two documents or snippets (it names their catalog)"))

        formats = []
        for i, f in enumerate(self.seq(top.get("formats"), "formats")):
            value = self.scalar(f, f"formats[{i}]")
            if value and value not in FORMATS:
                self.fail(f, f"formats[{i}]", f"unknown format '{value}' (known: {', '.join(FORMATS)})")
            elif value:
                formats.append(value)
        if "formats" not in top:
            formats = list(FORMATS)

        checks = self.checks(top["checks"]) if "checks" in top else CheckSettings()
        limits = self.limits(top["limits"]) if "limits" in top else Limits()

        if self.problems:
            raise ConfigError.collected(self.path, self.problems)
        return Project(self.root, self.path, name or "", edition or "", source_language or "en",
                       languages, documents, tuple(formats), checks, snippets, limits)

    def limits(self, node: yaml.Node) -> Limits:
        keys = {"translation-length-factor": "translation_factor", "translation-length-extra": "translation_extra",
                "seconds-per-output": "seconds_per_output", "memory-per-output": "memory_per_output"}
        m = self.mapping(node, "limits", (), tuple(keys))
        values: dict[str, float] = {}
        for key, field_name in keys.items():
            if key in m:
                text = self.scalar(m[key], f"limits.{key}") or ""
                if key == "seconds-per-output":
                    try:
                        seconds = float(text)
                    except ValueError:
                        seconds = 0
                    if not 0 < seconds < 1e6:
                        self.fail(m[key], f"limits.{key}", f"expected a number of seconds above 0, not '{text}'")
                    else:
                        values[field_name] = seconds
                elif not text.isdigit() or int(text) < 1:
                    self.fail(m[key], f"limits.{key}", f"expected a whole number of at least 1, not '{text}'")
                else:
                    values[field_name] = int(text)
        return Limits(**values)

    def snippet_entry(self, node: yaml.Node, keypath: str) -> Snippet | None:
        m = self.mapping(node, keypath, ("id", "sources"), ())
        snippet_id = self.scalar(m.get("id"), f"{keypath}.id")
        if snippet_id and not all(c.isalnum() or c in "-_" for c in snippet_id):
            self.fail(m["id"], f"{keypath}.id", "use letters, digits, '-' and '_' only (it names files)")
        sources = self.source_list(m, keypath)
        return Snippet(snippet_id, tuple(sources), node.start_mark.line + 1) if snippet_id else None

    def source_list(self, m: dict, keypath: str) -> list[Path]:
        sources = []
        for i, s in enumerate(self.seq(m.get("sources"), f"{keypath}.sources")):
            value = self.scalar(s, f"{keypath}.sources[{i}]")
            if value:
                path = self.root / value
                real, root = os.path.realpath(path), os.path.realpath(self.root)
                if os.path.isabs(value) or not real.startswith(root + os.sep):
                    # an absolute path, a '../' one or a symbolic link that leads out: outside files never get in
                    self.fail(s, f"{keypath}.sources[{i}]", f"source file '{value}' lies outside the project")
                elif not path.is_file():
                    self.fail(s, f"{keypath}.sources[{i}]", f"source file '{value}' does not exist")
                sources.append(path)
        if "sources" in m and not sources and not self.seq(m.get("sources"), ""):
            self.fail(m["sources"], f"{keypath}.sources", "list at least one source file")
        return sources

    def checks(self, node: yaml.Node) -> CheckSettings:
        m = self.mapping(node, "checks", (), ("glossary", "allow-identical", "localized-urls", "rules"))
        glossary = None
        if "glossary" in m:
            value = self.scalar(m["glossary"], "checks.glossary")
            if value:
                glossary = self.root / value
                if not glossary.is_file():
                    self.fail(m["glossary"], "checks.glossary", f"glossary file '{value}' does not exist")
        allow = tuple(self.scalar(n, f"checks.allow-identical[{i}]") or ""
                      for i, n in enumerate(self.seq(m.get("allow-identical"), "checks.allow-identical")))
        urls: dict[str, dict[str, str]] = {}
        if "localized-urls" in m:
            langs = self.mapping(m["localized-urls"], "checks.localized-urls", (), tuple(
                k.value for k, _ in getattr(m["localized-urls"], "value", []) if isinstance(k, yaml.ScalarNode)))
            for code, table in langs.items():
                pairs = self.mapping(table, f"checks.localized-urls.{code}", (), tuple(
                    k.value for k, _ in getattr(table, "value", []) if isinstance(k, yaml.ScalarNode)))
                urls[code] = {src: self.scalar(v, f"checks.localized-urls.{code}.{src}") or "" for src, v in pairs.items()}
        rules: dict[str, CheckRule] = {}
        if "rules" in m and isinstance(m["rules"], yaml.MappingNode):
            for key_node, value_node in m["rules"].value:
                path = f"checks.rules.{key_node.value}"
                r = self.mapping(value_node, path, (), ("severity", "languages-off"))
                severity = self.scalar(r.get("severity"), f"{path}.severity")
                if severity is not None and severity not in ("error", "warning", "off"):
                    self.fail(r["severity"], f"{path}.severity", "must be error, warning or off")
                off = tuple(self.scalar(n, f"{path}.languages-off[{i}]") or ""
                            for i, n in enumerate(self.seq(r.get("languages-off"), f"{path}.languages-off")))
                rules[key_node.value] = CheckRule(severity, off, key_node.start_mark.line + 1)
        elif "rules" in m:
            self.fail(m["rules"], "checks.rules", "must be a mapping of check names")
        return CheckSettings(glossary, allow, urls, rules)

    def language(self, node: yaml.Node, keypath: str) -> Language | None:
        m = self.mapping(node, keypath, ("code", "fonts"), ("heading-fonts", "direction", "release"))
        code = self.scalar(m.get("code"), f"{keypath}.code")
        if not code:
            return None
        try:
            locale = Locale.parse(code, sep="-")
        except (UnknownLocaleError, ValueError):
            self.fail(m["code"], f"{keypath}.code",
                      f"unknown language code '{code}' (use a BCP-47 tag such as 'fr' or 'zh-Hans')")
            return None
        font_nodes = self.seq(m.get("fonts"), f"{keypath}.fonts")
        fonts = tuple(self.scalar(f, f"{keypath}.fonts[{i}]") or "" for i, f in enumerate(font_nodes))
        if "fonts" in m and not fonts:
            self.fail(m["fonts"], f"{keypath}.fonts", "name at least one font family")
        heading_fonts = tuple(self.scalar(f, f"{keypath}.heading-fonts[{i}]") or ""
                              for i, f in enumerate(self.seq(m.get("heading-fonts"), f"{keypath}.heading-fonts")))
        direction = self.scalar(m.get("direction"), f"{keypath}.direction", locale.text_direction)
        if direction != locale.text_direction:
            self.fail(m["direction"], f"{keypath}.direction",
                      f"'{direction}' contradicts the language's direction '{locale.text_direction}' (leave it out)")
        release = ReleasePolicy()
        if "release" in m:
            r = self.mapping(m["release"], f"{keypath}.release", (),
                             ("threshold", "words-threshold", "below", "required"))
            threshold = self.scalar(r.get("threshold"), f"{keypath}.release.threshold", "100")
            try:
                value = float(threshold or "100")
                if not 0 <= value <= 100:
                    raise ValueError
            except ValueError:
                self.fail(r["threshold"], f"{keypath}.release.threshold", "must be a percentage from 0 to 100")
                value = 100.0
            below = self.scalar(r.get("below"), f"{keypath}.release.below", "draft")
            if below not in POLICIES:
                self.fail(r["below"], f"{keypath}.release.below", f"must be one of {', '.join(POLICIES)}")
            required = self.scalar(r.get("required"), f"{keypath}.release.required", "false")
            if required not in ("true", "false"):
                self.fail(r["required"], f"{keypath}.release.required", "must be true or false")
            words = None
            if "words-threshold" in r:
                try:
                    words = float(self.scalar(r["words-threshold"], f"{keypath}.release.words-threshold") or "x")
                    if not 0 <= words <= 100:
                        raise ValueError
                except ValueError:
                    self.fail(r["words-threshold"], f"{keypath}.release.words-threshold",
                              "must be a percentage from 0 to 100")
                    words = None
            release = ReleasePolicy(value, below or "draft", required == "true", words)
        return Language(code, fonts, direction or "ltr", release, node.start_mark.line + 1, heading_fonts)

    def document(self, node: yaml.Node, keypath: str) -> Document | None:
        m = self.mapping(node, keypath, ("id", "audience", "title", "kind", "sources"), ())
        doc_id = self.scalar(m.get("id"), f"{keypath}.id")
        if doc_id and not all(c.isalnum() or c in "-_" for c in doc_id):
            self.fail(m["id"], f"{keypath}.id", "use letters, digits, '-' and '_' only (it names files)")
        audience = self.scalar(m.get("audience"), f"{keypath}.audience")
        title = self.scalar(m.get("title"), f"{keypath}.title")
        kind = self.scalar(m.get("kind"), f"{keypath}.kind")
        if kind and kind not in KINDS:
            self.fail(m["kind"], f"{keypath}.kind", f"unknown kind '{kind}' (known: {', '.join(KINDS)})")
        sources = self.source_list(m, keypath)
        if not (doc_id and audience and title and kind):
            return None
        return Document(doc_id, audience, title, kind, tuple(sources), m["title"].start_mark.line + 1,
                        m["audience"].start_mark.line + 1)
