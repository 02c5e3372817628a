"""Localized documents: a document of the project in one language, as every renderer takes it.

In: the project, a document, a language and the document's parsed masters (:mod:`.sources`). Out: the pandoc
AST of the document in that language: each message replaced by its translation where the catalog has one that
counts as translated (else the source, marked in a draft), the snippets it includes put in place (each with
its own catalog), the blocks meant for other documents left out, and the metadata the renderers need (title,
audience, language, direction, date). Optionally, what the document shows: its blocks, and how many messages
and words it shows in each state.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import dates, files, locale, sources
from .catalogs import coverage, po
from .catalogs.messages import added_bidi_controls
from .config import Document, Language, Project, Snippet
from .errors import RenderError
from .localization import Key, localize
from .localization import Shown as ShownBlock
from .segments import Json, stringify
from .sources import SourceFile
from .tree import elements, meta_text, nodes


def translations(project: Project, item: Document | Snippet, lang: Language) -> dict[Key, str]:
    """The translations a document (or snippet) shows in a language: those coverage counts as translated."""
    return _view(project, item, lang).table or {}


@dataclass
class _View:
    """What a language's catalog gives a document or snippet: the translations it shows (None: the source
    language), and the state of every other message of its template."""

    table: dict[Key, str] | None
    states: dict[Key, str] = field(default_factory=dict)
    #: translations not used because they read as another kind of block: (message, PO file, line, why)
    rejected: list[tuple[Key, str, int, str]] = field(default_factory=list)


def _view(project: Project, item: Document | Snippet, lang: Language) -> _View:
    if lang.code == project.source_language:
        return _View(None)
    found = coverage.catalog_messages(project, item, lang)
    po_path = files.relative(project.po_path(item, lang), project.root)
    for m in found:  # what check calls an error for bidi controls is never printed
        if m.state == po.TRANSLATED and (added := added_bidi_controls(m.msgid, m.msgstr)):
            raise RenderError(f"the translation holds the bidi control U+{ord(added[0]):04X}, which the source does "
                              "not have and which would reorder the text; see cop-docs check", po_path, m.msgstr_line)
    return _View({m.key: m.msgstr for m in found if m.state == po.TRANSLATED},
                 {m.key: m.state for m in found if m.state != po.TRANSLATED},
                 [(m.key, po_path, m.msgstr_line, m.reason) for m in found if m.msgstr_line is not None and m.msgstr
                  and m.reason and m.state == po.UNTRANSLATED])


@dataclass
class Shown:
    """What an output shows: its translatable blocks, and how many messages (and words) it shows in each state."""

    blocks: list[ShownBlock]
    messages: coverage.Counts  #: translated; fuzzy and untranslated: shown in the source language
    words: coverage.Counts
    rejected: list[tuple[str, int, str]]  #: (PO file, line, why) of translations not used: another kind of block

    @property
    def fallbacks(self) -> int:
        return self.messages.fuzzy + self.messages.untranslated


def localized(project: Project, doc: Document, lang: Language, files: list[SourceFile], *,
              draft: bool = False, shown: list[Shown] | None = None, epoch: int | None = None) -> Json:
    """The document in one language, with the metadata every renderer needs (a draft marks what is untranslated),
    dated ``epoch`` (default: the project's date). ``shown`` receives what the document shows (:class:`Shown`)."""
    view = _view(project, doc, lang)
    record: list[ShownBlock] = []
    rejected = list(view.rejected)
    ast = _localize(project, lang, files, view, draft, record)
    _expand_includes(project, lang, ast["blocks"], draft, record, rejected)
    ast["blocks"] = _for_document(ast["blocks"], doc)
    _captions_from_titles(ast["blocks"])
    if project.links:
        _publishers_links(ast["blocks"], project, lang)
    table = view.table or {}
    meta = ast["meta"]
    if "title" not in meta:
        meta["title"] = {"t": "MetaString", "c": table.get((None, doc.title), doc.title)}
    meta["audience"] = {"t": "MetaString", "c": table.get((None, doc.audience), doc.audience)}
    meta["lang"] = {"t": "MetaString", "c": lang.code}
    if lang.direction == "rtl":
        meta["dir"] = {"t": "MetaString", "c": "rtl"}
    meta.setdefault("toc-title", {"t": "MetaString", "c": locale.gettext(lang.code, "Contents")})
    meta.setdefault("date", {"t": "MetaString", "c": dates.day(dates.project_epoch(project) if epoch is None else epoch)})
    _fill_imprint(ast["blocks"], {
        "title": meta_text(meta["title"]), "audience": meta_text(meta["audience"]), "edition": project.edition,
        "publisher": project.publisher, "languages": _language_names(project, lang)})
    if shown is not None:
        blocks = _reachable(ast, record)
        states = {b.key: b.state for b in blocks}
        for key in ((None, doc.title), (None, doc.audience)):  # named on the cover, from the project file
            states.setdefault(key, "source" if view.table is None else "translated" if key in table
                              else view.states.get(key, po.UNTRANSLATED))
        # a source document's messages count as translated: nothing falls back
        counts = coverage.tally((msgid, po.TRANSLATED if state == "source" else state)
                                for (_ctx, msgid), state in states.items())
        shown.append(Shown(blocks, *counts, [(path, line, why) for key, path, line, why in rejected
                                                      if key in states]))
    return ast


def _reachable(ast: Json, record: list[ShownBlock]) -> list[ShownBlock]:
    """The recorded blocks that are still in the document (not left out by an ``only`` div, say)."""
    seen = {id(node) for node in nodes([ast["blocks"], ast["meta"]])}
    return [b for b in record if id(b.segment.holder) in seen]


def _localize(project: Project, lang: Language, files: list[SourceFile], view: _View, draft: bool,
              record: list[ShownBlock] | None = None) -> Json:
    return localize(files, view.table, mark_untranslated=project.source_language if draft else None,
                    localized_urls=project.checks.localized_urls.get(lang.code), cache=project.cache_dir / "messages",
                    record=record, states=view.states)


def _for_document(blocks: list[Json], doc: Document) -> list[Json]:
    """Keep the blocks meant for this document: a div with ``only="<ids or kinds>"`` stays only in the
    documents it names (by id or by kind), so one snippet can carry a version for each audience."""
    kept = []
    for block in blocks:
        if block["t"] == "Div":
            attr, inner = block["c"]
            only = next((v for k, v in attr[2] if k == "only"), None)
            if only is not None and not {doc.id, doc.kind} & set(only.split()):
                continue
            block = {"t": "Div", "c": [attr, _for_document(inner, doc)]}
        elif block["t"] == "BlockQuote":
            block = {"t": "BlockQuote", "c": _for_document(block["c"], doc)}
        kept.append(block)
    return kept


def _captions_from_titles(blocks: list[Json]) -> None:
    """A picture's description is its alt text, for those who cannot see it; its caption is what the author
    writes as its title (``![description](picture.svg "Caption")``), or none. Pandoc reads the description as
    both: here the figure's caption becomes the title's text (translated like the rest) and the title itself
    goes, so that it is not shown twice."""
    for figure in elements(blocks, {"Figure"}):
        image = next(elements(figure["c"][2], {"Image"}), None)
        title = image["c"][2][1] if image is not None else ""
        inlines: list[Json] = []
        for n, word in enumerate(title.split()):
            inlines += [{"t": "Space"}] * bool(n) + [{"t": "Str", "c": word}]
        figure["c"][1] = [None, [{"t": "Plain", "c": inlines}] if inlines else []]
        if image is not None:
            image["c"][2][1] = ""


_FIELD = re.compile(r"\{(title|audience|edition|publisher|languages)\}")


def _fill_imprint(blocks: list[Json], values: dict[str, str]) -> None:
    """In a div of class ``imprint``, ``{title}``, ``{audience}``, ``{edition}``, ``{publisher}`` and
    ``{languages}`` become the document's, in its language (a translation keeps them, as ``check`` makes sure)."""
    for div in elements(blocks, {"Div"}):
        if "imprint" in div["c"][0][1]:
            for text in elements(div["c"][1], {"Str"}):
                text["c"] = _FIELD.sub(lambda m: values[m.group(1)], text["c"])


def _language_names(project: Project, lang: Language) -> str:
    """The project's languages, named in ``lang`` and listed as ``lang`` lists things (CLDR)."""
    from babel.lists import format_list

    names = [other.locale.get_display_name(lang.locale) or other.code for other in project.languages]
    listed = format_list(names, locale=lang.locale)
    if lang.pseudo:  # CLDR's English, in the pseudo-locale's letters like the rest of its text
        from .catalogs.pseudo import pseudo_text

        return pseudo_text(listed, lang.code)
    return listed


def _publishers_links(blocks: list[Json], project: Project, lang: Language) -> None:
    """Links to an address the project file maps (``links:``) point to the publisher's address for the language;
    a link whose text is its address (``[www.example.org/help](https://www.example.org/help)``) shows the new one."""
    for link in elements(blocks, {"Link"}):
        url = link["c"][2][0]
        target = project.link(url, lang.code)
        if target == url:
            continue
        link["c"][2][0] = target
        text = stringify(link["c"][1])
        if text in (url, _shown(url)):
            link["c"][1] = [{"t": "Str", "c": target if text == url else _shown(target)}]


def _shown(url: str) -> str:
    """An address as a page shows it: without its scheme or a final slash."""
    return re.sub(r"^(https?://|mailto:|tel:)", "", url).rstrip("/")


def _expand_includes(project: Project, lang: Language, blocks: list[Json], draft: bool,
                     record: list[ShownBlock] | None = None, rejected: list | None = None,
                     trail: tuple[str, ...] = ()) -> None:
    """Put each included snippet, localized with its own catalog, where its ``include`` div stands."""
    for i, block in enumerate(blocks):
        if block["t"] != "Div":
            continue
        snippet_id = sources.include_target(block)
        if snippet_id is None:
            _expand_includes(project, lang, block["c"][1], draft, record, rejected, trail)
            continue
        snippet = project.snippet(snippet_id)
        if snippet is None or snippet_id in trail:
            raise RenderError(f"cannot include snippet '{snippet_id}'", project.config_path)
        view = _view(project, snippet, lang)
        if rejected is not None:
            rejected += view.rejected
        inner = _localize(project, lang, sources.load(project, snippet), view, draft, record)["blocks"]
        _expand_includes(project, lang, inner, draft, record, rejected, (*trail, snippet_id))
        attr = block["c"][0]
        blocks[i] = {"t": "Div", "c": [[attr[0], [*attr[1], "snippet", f"snippet-{snippet_id}"], []], inner]}
