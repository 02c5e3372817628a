"""TMX 1.4b: the project's translations written as a translation memory, and TMX files read as one.

In (``tm export``): the project's catalogs in some languages. Out: a TMX 1.4b document, its header naming the
source language, ``segtype="block"`` (a unit is one block of a master), ``o-tmf="PO"`` and the tool; one ``<tu>``
per translated message and language, with a ``<tuv xml:lang>`` for the source and one for the translation, the
message's document and context as ``<prop type="x-document">`` and ``<prop type="x-context">``. Inline Markdown
(emphasis, links, code, images, footnote references, HTML) becomes TMX's ``<bpt>``/``<ept>``/``<ph>`` codes
holding the Markdown, as :mod:`cop_docs.exchange.inline` finds it, so translation tools protect it.

In (``update``'s memory): a TMX file, untrusted. Out: its units, each language's text as Markdown again (the codes'
contents put back where they stood), with their context and document; a file written by ``tm export`` reads back
as the pairs it was written from. The file is streamed by lxml unit by unit, with entities left unresolved,
no network, no DTD loaded and libxml2's limits on nesting and text size kept; a file declaring entities, using
one, larger than :data:`MAX_BYTES` or not well formed is refused with one error naming the file and line.
"""

from __future__ import annotations

import functools
import os
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree

from .. import __version__
from ..errors import CatalogError
from ..files import write_with
from . import xmlinput

if TYPE_CHECKING:
    from ..config import Language, Project

#: The largest TMX file read (a memory larger than this is split, or its unused languages left out).
MAX_BYTES = 128 * 1024 * 1024
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
#: Characters XML 1.0 cannot hold: a unit holding one is not written.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_CODES = {"bpt": "open", "ept": "close", "ph": "standalone", "ut": "standalone"}
#: Markdown kinds of inline codes → TMX's ``type`` values (``x-`` ones are the project's own).
_TYPES = {"link": "link", "image": "image", "note": "fnote", "code": "x-code", "html": "x-html", "other": "x-other"}
_KINDS = {"link": "link", "image": "image", "fnote": "note", "x-code": "code", "x-html": "html", "bold": "fmt",
          "italic": "fmt", "x-fmt": "fmt", "x-other": "other"}


class TmxError(CatalogError):
    """A TMX file cannot be read."""


@dataclass(frozen=True)
class Unit:
    """One ``<tu>``: its text in each language (Markdown), its context and document, and its line."""

    variants: tuple[tuple[str, str], ...]  #: (xml:lang, text), in the file's order
    context: str | None = None
    document: str | None = None
    line: int = 0


@dataclass(frozen=True)
class Pair:
    source: str
    target: str
    context: str | None
    document: str | None
    line: int


# --- reading ---------------------------------------------------------------------------------------------------


def read(path: Path, shown: str | None = None) -> list[Unit]:
    """The units of a TMX file; a problem raises :class:`TmxError` with the file (``shown``) and line."""
    name = shown or os.fspath(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise TmxError(f"cannot read the translation memory: {exc.strerror or exc}", name) from None
    if size > MAX_BYTES:
        raise TmxError(f"the translation memory is {size / 2**20:.0f} MiB, more than the {MAX_BYTES // 2**20} MiB "
                       "a TMX file may have", name)
    units: list[Unit] = []
    etree.clear_error_log()  # the errors of this file only
    try:
        events = etree.iterparse(os.fspath(path), events=("start", "end"), resolve_entities=False, no_network=True,
                                 load_dtd=False, huge_tree=False, remove_comments=True, remove_pis=True)
        depth = 0
        for event, element in events:
            if event == "start":
                depth += 1
                if depth == 1:
                    _check_root(element, name)
                continue
            depth -= 1
            if _local(element) == "tu" and depth == 2:
                units.append(_unit(element, name))
                element.clear(keep_tail=False)
                parent = element.getparent()
                while element.getprevious() is not None:  # streamed: what was read is let go
                    del parent[0]
    except etree.XMLSyntaxError as exc:
        message, line = xmlinput.syntax_problem(exc)
        raise TmxError(f"not a well-formed TMX file: {message}", name, line) from None
    except OSError as exc:
        raise TmxError(f"cannot read the translation memory: {exc.strerror or exc}", name) from None
    return units


def _check_root(root: etree._Element, name: str) -> None:
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise TmxError("the file declares entities (<!ENTITY>), which a translation memory does not need; it is not read",
                       name, 1)
    if _local(root) != "tmx":
        raise TmxError(f"not a TMX file: its root element is <{_local(root)}>, not <tmx>", name, root.sourceline)


def _local(element: etree._Element) -> str:
    tag = element.tag
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _unit(tu: etree._Element, name: str) -> Unit:
    context = document = None
    variants = []
    for child in tu:
        kind = _local(child)
        if kind == "prop":
            value = _plain(child, name)
            if child.get("type") == "x-context":
                context = value
            elif child.get("type") == "x-document":
                document = value
        elif kind == "tuv":
            lang = child.get(XML_LANG) or child.get("lang")  # TMX 1.1 spelled it lang
            if not lang:
                raise TmxError("a <tuv> without xml:lang", name, child.sourceline)
            seg = next((c for c in child if _local(c) == "seg"), None)
            if seg is None:
                raise TmxError("a <tuv> without <seg>", name, child.sourceline)
            variants.append((lang, _markdown(seg, name)))
    return Unit(tuple(variants), context, document, tu.sourceline or 0)


def _plain(element: etree._Element, name: str) -> str:
    for node in element.iter():
        _refuse_entity(node, name)
    return "".join(element.itertext())


def _refuse_entity(node: etree._Element, name: str) -> None:
    if node.tag is etree.Entity:
        raise TmxError(f"the entity reference {node.text} is not read (a translation memory uses none)", name,
                       node.sourceline)


def _markdown(seg: etree._Element, name: str) -> str:
    """A segment's text as Markdown: its text, and each inline code's content (the Markdown it stands for)."""
    from . import inline

    parts: list[str | inline.Code] = []

    def walk(element: etree._Element) -> None:
        if element.text:
            parts.append(element.text)
        for child in element:
            _refuse_entity(child, name)
            kind = _local(child)
            if kind in _CODES or kind == "it":
                role = _CODES.get(kind) or ("open" if child.get("pos") == "begin" else "close")
                code_kind = _KINDS.get(child.get("type") or "", "other")
                parts.append(inline.Code(child.get("x") or child.get("i") or "", role, _plain(child, name), code_kind))
            elif kind in ("hi", "sub"):  # marked-up text: its text and codes stand in the segment
                walk(child)
            elif kind:
                raise TmxError(f"<{kind}> cannot stand in a segment", name, child.sourceline)
            if child.tail:
                parts.append(child.tail)

    walk(seg)
    return inline.markdown(parts)


@functools.lru_cache(maxsize=256)
def _language(tag: str) -> tuple[str, str]:
    """A language tag as (language, script): ``fr-FR`` and ``fr`` are one language, ``zh-CN`` is ``zh-Hans``."""
    from babel import Locale, UnknownLocaleError

    from ..scripts import script_of

    tag = tag.replace("_", "-").strip()
    try:
        return Locale.parse(tag, sep="-").language, script_of(tag)
    except (ValueError, TypeError, UnknownLocaleError):
        return tag.lower(), ""


def same_language(tag: str, code: str) -> bool:
    """Whether a TMX ``xml:lang`` is the project's language ``code`` (its region aside, its script not)."""
    return tag.lower() == code.lower() or _language(tag) == _language(code)


def pairs(units: Iterable[Unit], source: str, target: str) -> list[Pair]:
    """The (source text, translation) of each unit that has both languages, with its context and document."""
    out = []
    for unit in units:
        src = next((text for lang, text in unit.variants if same_language(lang, source)), None)
        tgt = next((text for lang, text in unit.variants if same_language(lang, target)), None)
        if src and tgt:
            out.append(Pair(src, tgt, unit.context, unit.document, unit.line))
    return out


# --- writing ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Message:
    """A translated message to write: its document, context, source and translation in one language."""

    document: str
    context: str | None
    source: str
    target: str
    language: str


def messages(project: Project, langs: list[Language]) -> list[Message]:
    """Every translated message of the project's catalogs in the languages: translated and not fuzzy, and usable
    as the project counts it (:func:`cop_docs.catalogs.coverage.rejections`)."""
    from ..catalogs import coverage, po

    out: list[Message] = []
    for item in project.catalogs:
        found = [(lang, po.read(project.po_path(item, lang))) for lang in langs if project.po_path(item, lang).is_file()]
        rejected = coverage.rejections([catalog for _, catalog in found], project.limits)
        by_lang = [{e.key: e for e in catalog.entries
                    if e.state == po.TRANSLATED and not e.obsolete and e.msgid_plural is None and e.key not in bad}
                   for (_, catalog), bad in zip(found, rejected, strict=True)]
        order = list(dict.fromkeys(key for entries in by_lang for key in entries))
        for key in order:  # a message's languages side by side
            for (lang, _), entries in zip(found, by_lang, strict=True):
                entry = entries.get(key)
                if entry is not None:
                    out.append(Message(item.id, entry.msgctxt, entry.msgid, entry.msgstr, lang.code))
    return out


def dumps(project: Project, items: list[Message]) -> tuple[bytes, list[Message], int]:
    """The TMX document of ``items``, those written, and how many were left out (text XML cannot hold)."""
    from . import inline

    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(_epoch(project)))
    root = etree.Element("tmx", version="1.4")
    root.text = "\n  "
    header = etree.SubElement(root, "header", {
        "creationtool": "cop-docs", "creationtoolversion": __version__, "segtype": "block", "o-tmf": "PO",
        "adminlang": "en", "srclang": project.source_language, "datatype": "x-markdown", "creationdate": stamp})
    header.tail = "\n  "
    body = etree.SubElement(root, "body")
    body.tail = "\n"
    left_out = 0
    written: list[Message] = []
    last = None
    for item in items:
        if _NOT_XML.search(item.source) or _NOT_XML.search(item.target) or _NOT_XML.search(item.context or ""):
            left_out += 1
            continue
        written.append(item)
        tu = etree.SubElement(body, "tu")
        tu.text = "\n      "
        last = tu
        props = [("x-document", item.document)] + ([("x-context", item.context)] if item.context is not None else [])
        for kind, value in props:
            prop = etree.SubElement(tu, "prop", type=kind)
            prop.text = value
            prop.tail = "\n      "
        source, target = inline.parts(item.source), inline.parts(item.target)
        numbers = _numbers(source, target)
        for i, (lang, parts, xs) in enumerate(((project.source_language, source, numbers[0]),
                                               (item.language, target, numbers[1]))):
            tuv = etree.SubElement(tu, "tuv", {XML_LANG: lang})
            _segment(etree.SubElement(tuv, "seg"), parts, xs)
            tuv.tail = "\n      " if i == 0 else "\n    "
        tu.tail = "\n    "
    body.text = "\n    " if last is not None else None
    if last is not None:
        last.tail = "\n  "
    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", doctype='<!DOCTYPE tmx SYSTEM "tmx14.dtd">')
    return data + b"\n", written, left_out


def _epoch(project: Project) -> int:
    from .. import dates

    try:
        return dates.project_epoch(project)
    except (OSError, ValueError):
        return int(time.time())


def _segment(seg: etree._Element, parts: list, xs: list[int]) -> None:
    """A segment's content: the text, with each inline code as bpt/ept (a pair, numbered by ``i`` within the
    segment), ph, or it (half a pair); ``xs``: each code's ``x``, shared by the same code in the source and the
    translation."""
    from . import inline

    closed = {p.id for p in parts if isinstance(p, inline.Code) and p.role == "close"}
    opened = {p.id for p in parts if isinstance(p, inline.Code) and p.role == "open"}
    pairs: dict[str, int] = {}
    last: etree._Element | None = None
    codes = iter(xs)
    for part in parts:
        if isinstance(part, str):
            if last is None:
                seg.text = (seg.text or "") + part
            else:
                last.tail = (last.tail or "") + part
            continue
        x, kind = str(next(codes)), _code_type(part)
        if part.role == "standalone":
            last = etree.SubElement(seg, "ph", x=x, type=kind)
        elif part.role == "open" and part.id in closed:
            pairs[part.id] = len(pairs) + 1
            last = etree.SubElement(seg, "bpt", i=str(pairs[part.id]), x=x, type=kind)
        elif part.role == "close" and part.id in opened:
            last = etree.SubElement(seg, "ept", i=str(pairs[part.id]))
        else:  # a code whose partner is not in this block
            last = etree.SubElement(seg, "it", pos="begin" if part.role == "open" else "end", x=x, type=kind)
        last.text = part.markdown


def _numbers(source: list, target: list) -> tuple[list[int], list[int]]:
    """TMX's ``x`` of each code of the source and of the translation: a pair's two codes share one, and a code of
    the translation has the number of the same code (role, Markdown, kind) of the source, else a new one."""
    from . import inline

    by_id: dict[str, int] = {}
    src = [by_id.setdefault(c.id, len(by_id) + 1) for c in inline.codes(source)]
    free: dict[tuple[str, str, str], list[int]] = {}
    for code, x in zip(inline.codes(source), src, strict=True):
        free.setdefault((code.role, code.markdown, code.kind), []).append(x)
    count = len(by_id)
    mine: dict[str, int] = {}
    tgt = []
    for code in inline.codes(target):
        if code.role == "close" and code.id in mine:
            tgt.append(mine[code.id])
            continue
        same = free.get((code.role, code.markdown, code.kind))
        if same:
            x = same.pop(0)
        else:
            count += 1
            x = count
        mine[code.id] = x
        tgt.append(x)
    return src, tgt


def _code_type(code) -> str:
    if code.kind == "fmt":
        mark = code.markdown.strip()
        return "bold" if mark in ("**", "__") else "italic" if mark in ("*", "_") else "x-fmt"
    return _TYPES.get(code.kind, "x-other")


def write(project: Project, langs: list[Language], output: Path) -> tuple[list[Message], int]:
    """Write the project's translations in ``langs`` to a TMX file (atomically). Returns the messages written
    and how many were left out."""
    data, written, left_out = dumps(project, messages(project, langs))
    write_with(output, lambda tmp: tmp.write_bytes(data), suffix=".tmp")
    return written, left_out
