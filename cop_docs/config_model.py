"""The shape of the project file (``cop-docs.yaml``) as a declarative model.

In: the plain data of the file (see :mod:`cop_docs.yamlfile`). Out: a validated :class:`ProjectFile`, or
pydantic's errors, which :mod:`cop_docs.yamlfile` turns into ``file:line: key.path: message``; and the JSON
Schema generated from the model (shipped as ``cop_docs/schemas/cop-docs.schema.json``). What the model cannot
see (the project's files, values that must agree) :mod:`cop_docs.config` checks after it.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from . import yamlfile
from .config import CONFIG_NAME, KINDS, POLICIES, is_language_code
from .formats import FORMATS

Text = Annotated[str, StringConstraints(min_length=1)]
Identifier = yamlfile.checked(Text, lambda v: all(c.isalnum() or c in "-_" for c in v),
                              "use letters, digits, '-' and '_' only (it names files)")
Percentage = yamlfile.checked(Annotated[float, Field(ge=0, le=100)], lambda v: 0 <= float(v) <= 100,
                              "must be a percentage from 0 to 100")
Count = yamlfile.checked(Annotated[int, Field(ge=1)], lambda v: str(v).isdigit() and int(v) >= 1,
                         "expected a whole number of at least 1, not '{value}'")
Seconds = yamlfile.checked(Annotated[float, Field(gt=0, lt=1e6)], lambda v: 0 < float(v) < 1e6,
                           "expected a number of seconds above 0, not '{value}'")
LanguageCode = yamlfile.checked(Text, is_language_code,
                                "unknown language code '{value}' (use a BCP-47 tag such as 'fr' or 'zh-Hans')")
Sources = yamlfile.listing(Text, "list at least one source file")


class ProjectEntry(yamlfile.FileModel):
    """``project:`` what is published."""

    name: Text
    edition: Text
    source_language: Text = Field(description="the code of the language the masters are written in")
    publisher: Text | None = Field(default=None, description="who publishes it, as the imprint names them (default: name)")


class ReleaseEntry(yamlfile.FileModel):
    """``release:`` what happens to a document below its threshold."""

    threshold: Percentage = Field(default=100, description="percentage of translated messages")
    words_threshold: Percentage | None = Field(default=None, description="percentage of translated source words")
    below: yamlfile.one_of(POLICIES, "must be one of {known}") = "draft"
    required: yamlfile.Flag = Field(default=False, description="below the threshold, the release gate fails")


class LanguageEntry(yamlfile.FileModel):
    """One language: a BCP-47 code, the fonts that draw it, its release policy."""

    code: LanguageCode
    fonts: yamlfile.listing(Text, "name at least one font family")
    heading_fonts: list[Text] = []
    direction: Literal["ltr", "rtl"] | None = Field(default=None, description="leave out: it comes from CLDR")
    release: ReleaseEntry | None = None


class DocumentEntry(yamlfile.FileModel):
    """One publication: an audience, a kind of design and its master sources."""

    id: Identifier
    audience: Text
    title: Text
    kind: yamlfile.one_of(KINDS, "unknown kind '{value}' (known: {known})")
    sources: Sources


class SnippetEntry(yamlfile.FileModel):
    """Text several documents include with ``::: {include=<id>}``."""

    id: Identifier
    sources: Sources


class RuleEntry(yamlfile.FileModel):
    severity: yamlfile.one_of(("error", "warning", "off"), "must be error, warning or off") | None = None
    languages_off: list[Text] = []


class ChecksEntry(yamlfile.FileModel):
    glossary: Text | None = Field(default=None, description="a YAML glossary of approved terms")
    allow_identical: list[Text] = []
    localized_urls: dict[str, dict[str, Text]] = Field(default={}, description="language → source URL → URL")
    rules: dict[str, RuleEntry] = Field(default={}, description="check name → how it runs")


class LimitsEntry(yamlfile.FileModel):
    translation_length_factor: Count = 10
    translation_length_extra: Count = 1000
    seconds_per_output: Seconds = 900
    memory_per_output: Count = Field(default=4096, description="MiB")


class TranslationMemoryEntry(yamlfile.FileModel):
    """``translation-memory:`` what ``update`` fills new messages from, besides the project's own catalogs."""

    files: list[Text] = Field(default=[], description="TMX files (a past edition, an agency's memory), in order of preference")
    fuzzy_threshold: Percentage = Field(default=80, description="the similarity (%) from which a near match is proposed fuzzy")


class ProjectFile(yamlfile.FileModel):
    """The project file, ``cop-docs.yaml``."""

    project: ProjectEntry
    languages: list[LanguageEntry]
    documents: list[DocumentEntry]
    snippets: list[SnippetEntry] = []
    formats: list[yamlfile.one_of(tuple(FORMATS), "unknown format '{value}' (known: {known})")] = list(FORMATS)
    checks: ChecksEntry = ChecksEntry()
    limits: LimitsEntry = LimitsEntry()
    translation_memory: TranslationMemoryEntry = TranslationMemoryEntry()
    links: dict[Text, dict[Text, Text]] = Field(
        default={}, description="an address the masters link to → the publisher's own: language (or default) → URL")


def schema() -> dict:
    """The JSON Schema of the project file, for editors (shipped as cop_docs/schemas/cop-docs.schema.json)."""
    out = ProjectFile.model_json_schema(by_alias=True, mode="validation")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **out, "title": CONFIG_NAME}



