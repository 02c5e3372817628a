"""XLIFF 1.2 and 2.1 for translation tools (Trados, memoQ, OmegaT, Phrase): export the messages that need work,
import what translators did back into the PO files.

Export. In: the project, languages, documents and snippets, a version. Out: one XLIFF file per language ×
catalog, ``build/xliff/<lang>/<catalog>.<lang>.xlf`` by default, holding one unit per message that is untranslated
or fuzzy (every message with ``everything``); a catalog with none gets no file. A unit's id is a hash of its
context and msgid, so it is the same in every export. Inline Markdown (:mod:`cop_docs.exchange.inline`) becomes
the version's tags: 1.2 ``<g ctype>`` around text and ``<x ctype equiv-text>`` for what stands alone; 2.1
``<pc>``/``<ph>`` pointing to ``<originalData>``, which holds each code's Markdown. Link targets, code and
footnote labels are inside tags, never text. Each unit carries the block it is (its ``#.`` comment), where it is
(``#:``), its context and its msgid and msgctxt, which is how import finds its PO entry again.

States: a translated message is ``state="translated"`` in both versions (1.2 also ``approved="yes"``); a fuzzy
one has its translation as target with 1.2 ``state="needs-review-translation"``, 2.1 ``state="initial"`` and
``subState="cop-docs:fuzzy"``; an untranslated one has no target (1.2) or an ``initial`` segment without one (2.1).

Import. In: XLIFF files, untrusted. Out: the PO files changed (written as gettext writes them, only when they
change), and one line per unit left alone. A target is taken when its tags are the source's (each one once,
pairs nested; order free) and its Markdown reads back with exactly the source's codes (a translator's ``*`` or
``<b>`` that would add markup is refused). A translation that is refused (codes, control characters, bidi
controls, length) is reported as ``file:line: unit ID: reason`` and the others still import. One that Markdown
reads as another kind of block than its source (``check``'s ``block-kind``) is imported but marked fuzzy, with a
warning: the translator's work is kept where a reviewer sees it, and the build never uses it. An empty target
changes nothing; a unit whose message is no longer in the catalog (it changed since the export) is skipped with
a warning. States: 1.2 ``translated``, ``signed-off``, ``final`` (or none) and 2.1 ``translated``, ``reviewed``,
``final`` import as translated; every other state with a target imports as fuzzy, except a target that is a
copy of the source in a state that is not translated (``export --copy-source``, or a tool's "copy source to
target"), which is no translation.

Files are parsed by lxml with entities unresolved, no network, no DTD and libxml2's size limits; a file that
declares entities, is larger than :data:`MAX_BYTES` or is not well formed is refused with its line.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree

from .. import __version__
from ..catalogs import po
from ..errors import CatalogError
from ..files import write_atomic
from . import inline, xmlinput
from .inline import Code, Part

if TYPE_CHECKING:
    from ..config import Document, Language, Project, Snippet

VERSIONS = ("1.2", "2.1")
NS12 = "urn:oasis:names:tc:xliff:document:1.2"
NS2 = "urn:oasis:names:tc:xliff:document:2.0"  #: XLIFF 2.1 core keeps the 2.0 namespace
MDA = "urn:oasis:names:tc:xliff:metadata:2.0"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
#: The largest XLIFF file read.
MAX_BYTES = 64 * 1024 * 1024
FUZZY_SUBSTATE = "cop-docs:fuzzy"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ESCAPE = re.compile(r"\\[!-/:-@\[-`{-~]")
_DONE_12 = {"translated", "signed-off", "final"}
_DONE_2 = {"translated", "reviewed", "final"}


class XliffError(CatalogError):
    """An XLIFF file, or one of its units, cannot be imported."""


@dataclass
class Exported:
    """One XLIFF file written (or, with ``path`` None, not written: its catalog had nothing to translate)."""

    language: str
    catalog: str
    path: Path | None
    units: int
    left_out: int = 0  #: messages holding characters XML cannot carry


@dataclass
class Imported:
    """What an import did: the PO files written, the counts, and one line per unit refused or skipped."""

    written: list[Path] = field(default_factory=list)
    translated: int = 0  #: units imported as translated
    fuzzy: int = 0  #: units imported as fuzzy
    unchanged: int = 0  #: units whose PO entry already said the same (or whose target was empty)
    errors: list[XliffError] = field(default_factory=list)  #: units and files refused
    warnings: list[XliffError] = field(default_factory=list)  #: units skipped, or imported as fuzzy


def unit_id(msgctxt: str | None, msgid: str) -> str:
    """A message's unit id: the same for the same context and msgid in every export."""
    key = ("\x00" if msgctxt is None else "\x01" + msgctxt) + "\x04" + msgid
    return "u" + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def default_path(project: Project, lang: Language, catalog: Document | Snippet) -> Path:
    return project.build_dir / "xliff" / lang.code / f"{catalog.id}.{lang.code}.xlf"


def _original(project: Project, catalog: Document | Snippet, lang: Language) -> str:
    return project.po_path(catalog, lang).relative_to(project.root).as_posix()


# --- export ----------------------------------------------------------------------------------------------------


def export(project: Project, catalogs: Iterable[Document | Snippet], langs: Iterable[Language], *,
           version: str = "1.2", everything: bool = False, folder: Path | None = None,
           copy_source: bool = False) -> list[Exported]:
    """Write the XLIFF files of some languages × catalogs (into ``folder``/<lang>/, default build/xliff/).
    ``copy_source``: an untranslated message gets a target that is a copy of its source (1.2 ``state="new"``,
    2.1 ``initial``), for tools that translate the target in place (OmegaT's own XLIFF filter)."""
    if version not in VERSIONS:
        raise XliffError(f"unknown XLIFF version '{version}' (known: {', '.join(VERSIONS)})")
    catalogs = list(catalogs)
    out: list[Exported] = []
    for lang in langs:
        if lang.code == project.source_language:
            continue
        for catalog in catalogs:
            po_path = project.po_path(catalog, lang)
            if not po_path.is_file():
                raise XliffError("no such catalog: run `cop-docs update` first", po_path)
            entries = [e for e in po.read(po_path).messages
                       if e.msgid_plural is None and (everything or e.state != po.TRANSLATED)]
            usable = [e for e in entries if not _NOT_XML.search(e.msgid + e.msgstr + (e.msgctxt or ""))]
            path = None
            if usable:
                path = (folder / lang.code / f"{catalog.id}.{lang.code}.xlf") if folder else \
                    default_path(project, lang, catalog)
                build = _document_12 if version == "1.2" else _document_2
                root = build(project, catalog, lang, usable, copy_source)
                _indent(root)
                write_atomic(path, etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
            out.append(Exported(lang.code, catalog.id, path, len(usable), len(entries) - len(usable)))
    return out


#: Elements whose content is text (where white space is content): never indented.
_LEAVES = {"source", "target", "note", "context", "data", "meta", "tool"}


def _indent(element: etree._Element, level: int = 0) -> None:
    """Indent the structure, two spaces a level, leaving the text of units alone (lxml's pretty printing would
    indent a <source> that holds only tags)."""
    if etree.QName(element).localname in _LEAVES or not len(element):
        return
    element.text = "\n" + "  " * (level + 1)
    for child in element:
        child.tail = "\n" + "  " * (level + 1)
        _indent(child, level + 1)
    element[-1].tail = "\n" + "  " * level


def target_parts(source: list[Part], msgstr: str) -> list[Part]:
    """A translation's parts with the source's code ids: each code of the translation that is one of the source's
    takes that code's id, keeping its own Markdown (a link whose title is translated is still the source's link:
    same destination); any other code is left as text. The parts' Markdown is the translation's, byte for byte."""
    own = inline.parts(msgstr)
    mine = _pairs(own)
    theirs = _pairs(source)
    used: set[str] = set()
    taken: dict[str, str] = {}  # the translation's code id → the source's
    for ident, (first, last) in mine.items():
        candidates = [i for i, (f, _) in theirs.items() if i not in used and f.role == first.role and f.kind == first.kind]
        same = [i for i in candidates if (theirs[i][0].markdown, theirs[i][1].markdown) == (first.markdown, last.markdown)]
        if not same and first.kind == "link" and first.role == "open":
            where = _destination(last.markdown)
            same = [i for i in candidates if theirs[i][0].markdown == first.markdown and where is not None
                    and _destination(theirs[i][1].markdown) == where]
        if same:
            used.add(same[0])
            taken[ident] = same[0]
    out: list[Part] = []
    for part in own:
        if isinstance(part, Code) and part.id in taken:
            out.append(replace(part, id=taken[part.id]))
        elif out and isinstance(out[-1], str):
            out[-1] += part if isinstance(part, str) else part.markdown
        else:
            out.append(part if isinstance(part, str) else part.markdown)
    return out


def _pairs(parts: list[Part]) -> dict[str, tuple[Code, Code]]:
    """Each code of some parts by id: (open, close) for a pair, (code, code) for one standing alone."""
    found: dict[str, list[Code]] = {}
    for code in inline.codes(parts):
        found.setdefault(code.id, []).append(code)
    return {i: (c[0], c[-1]) for i, c in found.items()}


def _destination(close: str) -> tuple | None:
    """Where a link's closing Markdown (``](url "title")``, ``][label]``) leads, its title left out."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").parseInline("[x" + close, {"references": _AnyLabel()})[0].children or []
    link = next((t for t in tokens if t.type == "link_open"), None)
    if link is None:
        return None
    label = re.match(r"\]\[([^\]]*)\]", close)
    return (link.attrGet("href"), label.group(1) if label else None)


class _AnyLabel(dict):
    """Link references for reading one link alone: every label is defined (its destination is the label)."""

    def get(self, key, default=None):
        return {"href": "#" + key, "title": ""}

    def __contains__(self, key) -> bool:
        return True


_CTYPE_PAIR = {"**": "bold", "__": "bold", "*": "italic", "_": "italic"}
_CTYPE_ALONE = {"image": "image", "code": "x-code", "note": "x-note", "html": "x-html", "link": "x-link"}


def _ctype(code: Code) -> str:
    if code.role == "open":
        return "link" if code.kind == "link" else _CTYPE_PAIR.get(code.markdown, f"x-{code.kind}")
    if code.kind == "other" and code.markdown.endswith("\n"):
        return "lb"
    return _CTYPE_ALONE.get(code.kind, "x-other")


def _fill(element: etree._Element, parts: list[Part], tag: Callable[[etree._Element, Code], etree._Element],
          apart: frozenset[str] = frozenset()) -> None:
    """Put parts into an element: text as text, each code as the element ``tag`` makes: pairs around their text,
    except those in ``apart``, whose open and close codes are two empty elements (1.2 bx/ex)."""
    stack = [element]
    last: etree._Element | None = None  # the element whose tail the next text goes to

    def text(value: str) -> None:
        if last is None:
            stack[-1].text = (stack[-1].text or "") + value
        else:
            last.tail = (last.tail or "") + value

    for part in parts:
        if isinstance(part, str):
            text(part)
        elif part.role == "close":
            last = tag(stack[-1], part) if part.id in apart else stack.pop()
        else:
            child = tag(stack[-1], part)
            if part.role == "open" and part.id not in apart:
                stack.append(child)
                last = None
            else:
                last = child


def _document_12(project: Project, catalog: Document | Snippet, lang: Language, entries: list[po.Entry],
                 copy_source: bool = False):
    x = f"{{{NS12}}}"
    root = etree.Element(x + "xliff", nsmap={None: NS12}, version="1.2")
    file = etree.SubElement(root, x + "file", original=_original(project, catalog, lang),
                            attrib={"source-language": project.source_language, "target-language": lang.code,
                                    "datatype": "x-markdown", "tool-id": "cop-docs"})
    header = etree.SubElement(file, x + "header")
    etree.SubElement(header, x + "tool", attrib={"tool-id": "cop-docs", "tool-name": "cop-docs",
                                                 "tool-version": __version__})
    body = etree.SubElement(file, x + "body")

    def tag(parent: etree._Element, code: Code, apart: frozenset[str] = frozenset()) -> etree._Element:
        if code.id in apart:  # a pair the translation closes its own way (a link's title): bx/ex carry it
            if code.role == "open":
                return etree.SubElement(parent, x + "bx", id=code.id, rid=code.id, ctype=_ctype(code))
            return etree.SubElement(parent, x + "ex", id=code.id + "e", rid=code.id,
                                    attrib={"equiv-text": code.markdown})
        if code.role == "open":
            return etree.SubElement(parent, x + "g", id=code.id, ctype=_ctype(code))
        return etree.SubElement(parent, x + "x", id=code.id, ctype=_ctype(code), attrib={"equiv-text": code.markdown})

    for entry in entries:
        source = inline.parts(entry.msgid)
        unit = etree.SubElement(body, x + "trans-unit", id=unit_id(entry.msgctxt, entry.msgid),
                                attrib={XML_SPACE: "preserve"})
        _fill(etree.SubElement(unit, x + "source"), source, tag)
        if entry.msgstr:
            target = etree.SubElement(unit, x + "target",
                                      state="needs-review-translation" if entry.fuzzy else "translated")
            if not entry.fuzzy:
                unit.set("approved", "yes")  # what translate-toolkit (and Weblate) read as not fuzzy
            translation = target_parts(source, entry.msgstr)
            theirs = {(c.id, c.role): c.markdown for c in inline.codes(source)}
            apart = frozenset(c.id for c in inline.codes(translation) if c.markdown != theirs.get((c.id, c.role)))
            _fill(target, translation, functools.partial(tag, apart=apart), apart)
        elif copy_source:
            _fill(etree.SubElement(unit, x + "target", state="new"), source, tag)
        for text in _notes(entry):
            etree.SubElement(unit, x + "note", {"from": "cop-docs"}).text = text
        where = [ref.rpartition(":") for ref in entry.references]
        for path, _, line in where:
            group = etree.SubElement(unit, x + "context-group", purpose="location")
            etree.SubElement(group, x + "context", {"context-type": "sourcefile"}).text = path
            if line.isdigit():
                etree.SubElement(group, x + "context", {"context-type": "linenumber"}).text = line
        group = etree.SubElement(unit, x + "context-group", purpose="information")
        if entry.msgctxt is not None:
            etree.SubElement(group, x + "context", {"context-type": "x-po-msgctxt"}).text = entry.msgctxt
        etree.SubElement(group, x + "context", {"context-type": "x-po-msgid"}).text = entry.msgid
    return root


def _notes(entry: po.Entry) -> list[str]:
    notes = [f"Block: {text}" for text in entry.extracted]
    if entry.references:
        notes.append("Source: " + " ".join(entry.references))
    if entry.msgctxt is not None:
        notes.append(f"Context: {entry.msgctxt}")
    return notes


_TYPE_2 = {"fmt": "fmt", "link": "link", "image": "image"}
_SUBTYPE_2 = {"bold": "xlf:b", "italic": "xlf:i", "lb": "xlf:lb"}


def _document_2(project: Project, catalog: Document | Snippet, lang: Language, entries: list[po.Entry],
                copy_source: bool = False):
    x, m = f"{{{NS2}}}", f"{{{MDA}}}"
    root = etree.Element(x + "xliff", nsmap={None: NS2, "mda": MDA}, version="2.1",
                         srcLang=project.source_language, trgLang=lang.code)
    file = etree.SubElement(root, x + "file", id="f1", original=_original(project, catalog, lang))
    for entry in entries:
        source = inline.parts(entry.msgid)
        unit = etree.SubElement(file, x + "unit", id=unit_id(entry.msgctxt, entry.msgid), canResegment="no",
                                attrib={XML_SPACE: "preserve"})
        meta = etree.SubElement(etree.SubElement(unit, m + "metadata"), m + "metaGroup", category="po-entry")
        if entry.msgctxt is not None:
            etree.SubElement(meta, m + "meta", type="msgctxt").text = entry.msgctxt
        etree.SubElement(meta, m + "meta", type="msgid").text = entry.msgid
        notes = etree.SubElement(unit, x + "notes")
        for text in entry.extracted:
            etree.SubElement(notes, x + "note", category="block").text = text
        for ref in entry.references:
            etree.SubElement(notes, x + "note", category="location").text = ref
        if entry.msgctxt is not None:
            etree.SubElement(notes, x + "note", category="context").text = entry.msgctxt
        if not len(notes):
            unit.remove(notes)
        translation = target_parts(source, entry.msgstr) if entry.msgstr else None
        data_ids = {(c.id, c.role, c.markdown): _data_id(c) for c in inline.codes(source)}
        for code in inline.codes(translation or []):  # a code the translation words its own way (a link's title)
            data_ids.setdefault((code.id, code.role, code.markdown), _data_id(code) + "t")
        if data_ids:
            data = etree.SubElement(unit, x + "originalData")
            for (*_, markdown), ident in data_ids.items():
                etree.SubElement(data, x + "data", id=ident).text = markdown
        segment = etree.SubElement(unit, x + "segment")
        _fill(etree.SubElement(segment, x + "source"), source, functools.partial(_tag_2, source, data_ids))
        if translation is not None:
            segment.set("state", "initial" if entry.fuzzy else "translated")
            if entry.fuzzy:
                segment.set("subState", FUZZY_SUBSTATE)
            _fill(etree.SubElement(segment, x + "target"), translation, functools.partial(_tag_2, translation, data_ids))
        else:
            segment.set("state", "initial")
            if copy_source:
                _fill(etree.SubElement(segment, x + "target"), source, functools.partial(_tag_2, source, data_ids))
    return root


def _tag_2(parts: list[Part], data_ids: dict, parent: etree._Element, code: Code) -> etree._Element:
    """A 2.x inline code of some parts: <pc> around its text for a pair, <ph> for one standing alone; its
    Markdown in the unit's <originalData> (``data_ids``: (id, role, Markdown) → data id)."""
    x = f"{{{NS2}}}"
    ctype = _ctype(code)
    attrib = {"id": code.id, "canDelete": "no", "type": _TYPE_2.get(code.kind, "other")}
    if ctype in _SUBTYPE_2:
        attrib.update(type="fmt", subType=_SUBTYPE_2[ctype])
    if code.role == "open":
        close = next(c for c in inline.codes(parts) if c.id == code.id and c.role == "close")
        attrib.update(dataRefStart=data_ids[(code.id, code.role, code.markdown)],
                      dataRefEnd=data_ids[(close.id, close.role, close.markdown)], dispStart=code.markdown,
                      dispEnd=close.markdown)
        return etree.SubElement(parent, x + "pc", attrib)
    attrib.update(dataRef=data_ids[(code.id, code.role, code.markdown)], disp=code.markdown)
    return etree.SubElement(parent, x + "ph", attrib)


def _data_id(code: Code) -> str:
    return {"open": "s", "close": "e", "standalone": "p"}[code.role] + code.id


# --- import ----------------------------------------------------------------------------------------------------


@dataclass
class _Unit:
    id: str
    line: int
    source: list[Part]  #: codes hold only id and role
    target: list[Part] | None  #: None: no target, or an empty one
    state: str  #: what the tool's state makes of the target: translated or fuzzy
    msgid: str | None  #: as the file stores it
    msgctxt: str | None
    has_msgctxt: bool
    fresh: bool = False  #: 1.2 new or needs-translation, 2.x initial: a target equal to the source is no translation


@dataclass
class _File:
    original: str
    source_language: str | None
    target_language: str | None
    line: int
    units: list[_Unit]


def read(path: Path, shown: str | None = None) -> list[_File]:
    """The <file> elements of an XLIFF file (1.2 or 2.x) and their units."""
    name = shown or os.fspath(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise XliffError(f"cannot read the XLIFF file: {exc.strerror or exc}", name) from None
    if size > MAX_BYTES:
        raise XliffError(f"the file is {size / 2**20:.0f} MiB, more than the {MAX_BYTES // 2**20} MiB an XLIFF file "
                         "may have", name)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                             remove_comments=True, remove_pis=True)
    etree.clear_error_log()
    try:
        tree = etree.parse(os.fspath(path), parser)
    except etree.XMLSyntaxError as exc:
        message, line = xmlinput.syntax_problem(exc)
        raise XliffError(f"not a well-formed XLIFF file: {message}", name, line) from None
    except OSError as exc:
        raise XliffError(f"cannot read the XLIFF file: {exc.strerror or exc}", name) from None
    if tree.docinfo.internalDTD is not None or tree.docinfo.doctype:
        raise XliffError("the file has a document type declaration (<!DOCTYPE>), which XLIFF does not use; "
                         "it is not read", name, 1)
    root = tree.getroot()
    for node in root.iter():
        if node.tag is etree.Entity:
            raise XliffError(f"the entity reference {node.text} is not read", name, node.sourceline)
    if root.tag == f"{{{NS12}}}xliff":
        return [_file_12(f, name) for f in root.iterchildren(f"{{{NS12}}}file")]
    if root.tag == f"{{{NS2}}}xliff":
        if not (root.get("version") or "").startswith("2."):
            raise XliffError(f"XLIFF version '{root.get('version')}' is not read (1.2, 2.0 and 2.1 are)", name,
                             root.sourceline)
        return [_file_2(f, root, name) for f in root.iterchildren(f"{{{NS2}}}file")]
    raise XliffError(f"not an XLIFF 1.2 or 2.x file: its root element is <{etree.QName(root).localname}> in "
                     f"namespace '{etree.QName(root).namespace or ''}'", name, root.sourceline)


def _inline_12(element: etree._Element, name: str, out: list[Part]) -> None:
    """An 1.2 <source> or <target> as parts (codes with ids and roles; their Markdown comes from the msgid)."""
    if element.text:
        out.append(element.text)
    for child in element:
        local = etree.QName(child).localname
        if etree.QName(child).namespace != NS12:
            raise XliffError(f"unexpected element <{local}> inside <{etree.QName(element).localname}>", name,
                             child.sourceline)
        ident = child.get("id") or ""
        if local == "g":
            out.append(Code(ident, "open", "", ""))
            _inline_12(child, name, out)
            out.append(Code(ident, "close", "", ""))
        elif local == "x":
            out.append(Code(ident, "standalone", "", ""))
        elif local == "bx":
            out.append(Code(child.get("rid") or ident, "open", "", ""))
        elif local == "ex":
            out.append(Code(child.get("rid") or ident, "close", child.get("equiv-text") or "", ""))
        elif local == "mrk":
            _inline_12(child, name, out)
        else:
            raise XliffError(f"the inline element <{local}> is not one cop-docs writes (g, x, bx, ex, mrk)", name,
                             child.sourceline)
        if child.tail:
            out.append(child.tail)


def _file_12(file: etree._Element, name: str) -> _File:
    x = f"{{{NS12}}}"
    units = []
    for unit in file.iter(x + "trans-unit"):
        source = unit.find(x + "source")
        if source is None:
            raise XliffError(f"unit {unit.get('id')}: no <source>", name, unit.sourceline)
        src: list[Part] = []
        _inline_12(source, name, src)
        target = unit.find(x + "target")
        tgt: list[Part] | None = None
        state = None
        if target is not None:
            tgt = []
            _inline_12(target, name, tgt)
            state = target.get("state")
        po_entry: dict[str, str] = {}
        for context in unit.iterfind(f"{x}context-group/{x}context"):
            if context.get("context-type") in ("x-po-msgid", "x-po-msgctxt"):
                po_entry[context.get("context-type")] = context.text or ""
        verdict = po.TRANSLATED if state is None or state in _DONE_12 else po.FUZZY
        units.append(_Unit(unit.get("id") or "", unit.sourceline or 0, src, _nonempty(tgt), verdict,
                           po_entry.get("x-po-msgid"), po_entry.get("x-po-msgctxt"), "x-po-msgctxt" in po_entry,
                           state in ("new", "needs-translation")))
    return _File(file.get("original") or "", file.get("source-language"), file.get("target-language"),
                 file.sourceline or 0, units)


def _inline_2(element: etree._Element, name: str, out: list[Part], data: dict[str, str]) -> None:
    """A 2.x <source> or <target> as parts; a close code holds the Markdown its data gives (``data``: the unit's
    <originalData>), which only a link's close may take (see :func:`_take`)."""
    if element.text:
        out.append(element.text)
    for child in element:
        local = etree.QName(child).localname
        if etree.QName(child).namespace != NS2:
            raise XliffError(f"unexpected element <{local}> inside <{etree.QName(element).localname}>", name,
                             child.sourceline)
        ident = child.get("id") or ""
        if local == "pc":
            out.append(Code(ident, "open", "", ""))
            _inline_2(child, name, out, data)
            out.append(Code(ident, "close", data.get(child.get("dataRefEnd") or "", ""), ""))
        elif local == "ph":
            out.append(Code(ident, "standalone", "", ""))
        elif local == "sc":
            out.append(Code(ident, "open", "", ""))
        elif local == "ec":
            out.append(Code(child.get("startRef") or ident, "close", data.get(child.get("dataRef") or "", ""), ""))
        elif local == "mrk":
            _inline_2(child, name, out, data)
        elif local in ("sm", "em"):
            pass  # annotation markers: no text
        elif local == "cp":
            try:
                out.append(chr(int(child.get("hex") or "", 16)))
            except (ValueError, OverflowError):
                raise XliffError(f"<cp hex='{child.get('hex')}'> is not a character", name, child.sourceline) from None
        else:
            raise XliffError(f"the inline element <{local}> is not one cop-docs writes (pc, ph, sc, ec, mrk)", name,
                             child.sourceline)
        if child.tail:
            out.append(child.tail)


def _file_2(file: etree._Element, root: etree._Element, name: str) -> _File:
    x = f"{{{NS2}}}"
    units = []
    for unit in file.iter(x + "unit"):
        data = {d.get("id") or "": "".join(d.itertext()) for d in unit.iterfind(f"{x}originalData/{x}data")}
        src: list[Part] = []
        tgt: list[Part] = []
        states = []
        has_target = False
        for segment in unit:
            if segment.tag not in (x + "segment", x + "ignorable"):
                continue
            source, target = segment.find(x + "source"), segment.find(x + "target")
            if source is None:
                raise XliffError(f"unit {unit.get('id')}: a segment without <source>", name, segment.sourceline)
            _inline_2(source, name, src, data)
            if target is not None:
                has_target = True
                _inline_2(target, name, tgt, data)
            elif segment.tag == x + "ignorable":
                _inline_2(source, name, tgt, data)  # what is ignorable is kept as it is
            if segment.tag == x + "segment":
                states.append(segment.get("state") or "initial")
        meta = {}
        for item in unit.iterfind(f"{{{MDA}}}metadata/{{{MDA}}}metaGroup/{{{MDA}}}meta"):
            if item.get("type") in ("msgid", "msgctxt"):
                meta[item.get("type")] = item.text or ""
        done = bool(states) and all(s in _DONE_2 for s in states)
        units.append(_Unit(unit.get("id") or "", unit.sourceline or 0, src, _nonempty(tgt) if has_target else None,
                           po.TRANSLATED if done else po.FUZZY, meta.get("msgid"), meta.get("msgctxt"),
                           "msgctxt" in meta, not done))
    return _File(file.get("original") or "", root.get("srcLang"), root.get("trgLang"), file.sourceline or 0, units)


def _nonempty(parts: list[Part] | None) -> list[Part] | None:
    """Parts with adjacent text joined; None when they hold nothing but white space."""
    if parts is None:
        return None
    out: list[Part] = []
    for part in parts:
        if isinstance(part, str) and out and isinstance(out[-1], str):
            out[-1] += part
        elif part != "":
            out.append(part)
    if not inline.codes(out) and not inline.text_of(out).strip():
        return None
    return out


def import_files(project: Project, paths: Iterable[Path], shown: Callable[[Path], str] = os.fspath) -> Imported:
    """Merge the translations of XLIFF files into the project's PO files."""
    from ..catalogs import pofiles

    result = Imported()
    places = {_original(project, c, lang): (c, lang) for c in project.catalogs for lang in project.target_languages
              if lang.code != project.source_language}
    pending: dict[Path, tuple[po.Catalog, dict[po.Key, tuple]]] = {}
    for path in paths:
        name = shown(path)
        try:
            files = read(path, name)
        except XliffError as exc:
            result.errors.append(exc)
            continue
        if not files:
            result.errors.append(XliffError("the file holds no <file> element", name, 1))
        for file in files:
            try:
                catalog, lang = _place(project, places, file, name)
            except XliffError as exc:
                result.errors.append(exc)
                continue
            po_path = project.po_path(catalog, lang)
            if po_path not in pending:
                pending[po_path] = (po.read(po_path), {})
            _take(project, pending[po_path], file, name, file.original, result)
    for po_path, (old, changes) in pending.items():
        if _apply(project, po_path, old, changes, result, pofiles):
            result.written.append(po_path)
    return result


def _place(project: Project, places: dict, file: _File, name: str):
    """The catalog and language a <file> goes back to, checked against its languages."""
    if file.original not in places:
        raise XliffError(f"<file original='{file.original[:200]}'> is not a catalog of this project "
                         "(translations/<catalog>/<lang>.po)", name, file.line)
    catalog, lang = places[file.original]
    if file.source_language != project.source_language:
        raise XliffError(f"the source language is '{file.source_language}', not the project's "
                         f"'{project.source_language}'", name, file.line)
    if file.target_language != lang.code:
        raise XliffError(f"the target language is '{file.target_language}', but {file.original} is the "
                         f"'{lang.code}' catalog", name, file.line)
    return catalog, lang


def _take(project: Project, into: tuple[po.Catalog, dict], file: _File, name: str, po_name: str,
          result: Imported) -> None:
    """Check each unit of a <file> and note the change it makes to its PO entry."""
    catalog, changes = into
    index = {unit_id(e.msgctxt, e.msgid): e for e in catalog.messages if e.msgid_plural is None}
    seen: set[str] = set()
    for unit in file.units:

        def refuse(reason: str, unit: _Unit = unit) -> None:
            result.errors.append(XliffError(f"unit {unit.id[:40]}: {reason}", name, unit.line))

        def skip(reason: str, unit: _Unit = unit) -> None:
            result.warnings.append(XliffError(f"unit {unit.id[:40]}: {reason}; skipped", name, unit.line))

        if unit.id in seen:
            refuse("the unit appears twice")
            continue
        seen.add(unit.id)
        entry = index.get(unit.id)
        if entry is None:
            if unit.msgid is not None and unit_id(unit.msgctxt if unit.has_msgctxt else None, unit.msgid) == unit.id:
                skip(f"its message is no longer in {po_name} (the catalog changed since the export)")
            else:
                refuse(f"unknown unit id (no message of {po_name} has it)")
            continue
        source = inline.parts(entry.msgid)
        if [_shape(p) for p in _joined(unit.source)] != [_shape(p) for p in _joined(source)]:
            skip(f"its source is not the message of {po_name} any more")
            continue
        if unit.target is None:
            result.unchanged += 1
            continue
        # each code's Markdown: the source's, or the current translation's own wording of it (a link's title)
        known = {(c.id, c.role): c for c in inline.codes(source)}
        known.update({(c.id, c.role): c for c in inline.codes(target_parts(source, entry.msgstr))})
        unknown = next((c for c in inline.codes(unit.target) if (c.id, c.role) not in known), None)
        if unknown is not None:
            refuse(f"code {unknown.id[:20]} ({unknown.role}) is not in the source")
            continue
        target = []
        for part in unit.target:
            code = part if isinstance(part, str) else known[(part.id, part.role)]
            if isinstance(part, Code) and part.markdown and part.markdown != code.markdown and code.kind == "link" \
                    and code.role == "close" and _destination(part.markdown) == _destination(code.markdown):
                code = known[(part.id, part.role)] = replace(code, markdown=part.markdown)  # the file's title
            target.append(code)
        text = inline.markdown(target)
        state = unit.state
        if (text == entry.msgstr and state == entry.state) or (unit.fresh and text == entry.msgid):
            result.unchanged += 1
            continue
        expected = [p if isinstance(p, str) else known[(p.id, p.role)] for p in source]
        reason = inline.mismatch(expected, target)
        if reason:
            refuse(reason)
            continue
        reason = _added_markup(expected, text)
        if reason:
            refuse(reason)
            continue
        changes[entry.key] = (entry, text, state, unit, name)


def _shape(part: Part) -> tuple[str, str] | str:
    return (part.id, part.role) if isinstance(part, Code) else part


def _joined(parts: list[Part]) -> list[Part]:
    return _nonempty(parts) or []


def _added_markup(source: list[Part], text: str) -> str | None:
    """Why a translation's Markdown does not read back with exactly its source's codes, or None. Backslash escapes
    are left out: one typed in the text only keeps a character literal (``\\_``), which adds no markup."""
    def counted(parts: list[Part]) -> Counter:
        return Counter((c.role, c.kind, c.markdown) for c in inline.codes(parts) if not _ESCAPE.fullmatch(c.markdown))

    want, got = counted(source), counted(inline.parts(text))
    if want == got:
        return None
    extra = got - want
    if extra:
        role, kind, markdown = next(iter(extra))
        return f"the translation's text adds Markdown its source does not have ({kind} '{markdown[:40]}')"
    role, kind, markdown = next(iter(want - got))
    return f"the translation's Markdown no longer reads its code '{markdown[:40]}' as {kind} markup"


def _apply(project: Project, po_path: Path, old: po.Catalog, changes: dict, result: Imported, pofiles) -> bool:
    """Apply the noted changes to a catalog, after the project's own rules for translations; write it if it changed."""
    from ..catalogs import messages

    if not changes:
        return False
    final: dict[po.Key, po.Entry] = {}
    checked = []
    for key, (entry, text, state, unit, name) in changes.items():
        reason = messages.unusable(entry.msgid, text, project.limits)
        bidi = messages.added_bidi_controls(entry.msgid, text)
        if reason or bidi:
            why = reason or "the translation adds bidi controls (" + ", ".join(f"U+{ord(c):04X}" for c in bidi) + ")"
            result.errors.append(XliffError(f"unit {unit.id}: {why}", name, unit.line))
            continue
        checked.append((key, entry, text, state, unit, name))
    verdicts = messages.mismatches([(entry.msgid, text) for _, entry, text, *_ in checked], project.limits)
    for (key, entry, text, state, unit, name), verdict in zip(checked, verdicts, strict=True):
        if verdict and state == po.TRANSLATED:
            result.warnings.append(XliffError(f"unit {unit.id}: {verdict}; imported as fuzzy", name, unit.line))
            state = po.FUZZY
        flags = tuple(f for f in entry.flags if f != "fuzzy")
        if state == po.FUZZY:
            final[key] = replace(entry, msgstr=text, flags=("fuzzy", *flags))
            result.fuzzy += 1
        else:
            final[key] = replace(entry, msgstr=text, flags=flags, previous_msgctxt=None, previous_msgid=None,
                                 previous_msgid_plural=None)
            result.translated += 1
    if not final:
        return False
    entries = [final.get(e.key, e) if not e.obsolete else e for e in old.entries]
    return pofiles.save(po_path, replace(old, entries=entries), old)
