"""The XML parts of an EPUB (package document, navigation, NCX, pages) as trees to edit and write back.

In: a part's bytes as pandoc wrote it. Out: an lxml tree (the ElementTree API) and, after the edits, the part's
bytes again: the XML declaration as pandoc wrote it, the doctype, and the namespace prefixes and declarations
where they were, so a part changes only where it was edited. lxml rather than the standard library's
ElementTree because the latter drops the doctype and renames prefixes (``ns0:``) on the way back. Entities are
not expanded and nothing is fetched: a part is read as the text it is.
"""

from __future__ import annotations

from lxml import etree

from .. import pandoc
from ..errors import RenderError

OPF = "http://www.idpf.org/2007/opf"
NCX = "http://www.daisy.org/z3986/2005/ncx/"
XHTML = "http://www.w3.org/1999/xhtml"
OPS = "http://www.idpf.org/2007/ops"
SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
EPUB_TYPE = f"{{{OPS}}}type"

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def parse(data: bytes) -> etree._Element:
    """The root of a part (raises ``etree.XMLSyntaxError`` when the part is not well-formed), without the
    namespace declarations nothing uses (pandoc declares ``opf:`` again on the metadata, and an element added
    there would take that prefix instead of the default namespace its siblings use)."""
    root = etree.fromstring(data, _PARSER)
    etree.cleanup_namespaces(root)
    return root


def serialise(root: etree._Element, original: bytes) -> bytes:
    """The part's bytes: the declaration it had, then the document (doctype included) as lxml writes it."""
    declaration = original[:original.index(b"?>") + 2] + b"\n" if original.startswith(b"<?xml") else b""
    return declaration + etree.tostring(root.getroottree(), encoding="utf-8", xml_declaration=False) + b"\n"


def find(root: etree._Element, path: str, what: str) -> etree._Element:
    """The element at ``path`` (prefixes opf:, ncx:, h: for XHTML, epub:), or a one-line error naming it."""
    found = root.find(path, {"opf": OPF, "ncx": NCX, "h": XHTML, "epub": OPS})
    if found is None:
        raise RenderError(f"pandoc {pandoc.version()} wrote an EPUB without {what}: cannot finish it")
    return found


def add(parent: etree._Element, tag: str, attrs: dict[str, str], text: str | None = None,
        index: int | None = None) -> etree._Element:
    """A new child of ``parent`` in its namespace (at the end, or at ``index``), indented like its siblings.
    Its text and attributes are escaped when written: they may hold translations."""
    namespace = etree.QName(parent).namespace
    name = f"{{{namespace}}}{tag}" if namespace else tag
    child = etree.SubElement(parent, name, attrs)
    child.text = text
    siblings = list(parent)[:-1]
    if index is None or index >= len(siblings):
        if siblings:  # the new last child closes the parent as the old one did
            child.tail, siblings[-1].tail = siblings[-1].tail, parent.text
    else:
        child.tail = parent.text if index == 0 else siblings[index - 1].tail
        parent.insert(index, child)
    return child
