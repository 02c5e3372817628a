"""EPUB 3: the localized AST → an accessible EPUB (pandoc), with a cover, landmarks and, where needed, fonts.

In: a :class:`Job`. Out: an EPUB 3 file that EPUBCheck passes without a warning and that declares conformance
to EPUB Accessibility 1.1 (WCAG 2.1 AA). pandoc writes the book from the AST with the job's metadata (language,
direction, a stable identifier, the schema.org accessibility properties) and a cover drawn by :mod:`.cover`;
dates come from SOURCE_DATE_EPOCH. The file is then finished here, for what pandoc has no option for:
landmarks named in the document's language, the start of the text among them; chapters titled by their
heading; the conformance claim; subsets of the fonts of scripts that reading systems may lack
(:mod:`.epub_fonts`). Those edits are made on the parts as XML trees (:mod:`.epub_package`), never on their
text. The same job gives the same bytes.
"""

from __future__ import annotations

import io
import tempfile
import uuid
import zipfile
from html import escape
from pathlib import Path

from lxml import etree

from .. import locale, pandoc
from ..errors import RenderError
from ..files import relative
from ..scripts import script
from ..segments import Json
from ..tree import elements, meta_text
from . import Job, Renderer, cover, epub_fonts, resources, theme
from . import epub_package as parts

_NAMESPACE = uuid.UUID("6f1b0c5e-2f7a-4c43-9a55-0c1c5b8d0e11")

#: What pandoc names the package parts (EPUB 3 writer, pandoc 3), and the cover's, which are added here.
_OPF, _NAV, _CSS, _NCX = "EPUB/content.opf", "EPUB/nav.xhtml", "EPUB/styles/stylesheet1.css", "EPUB/toc.ncx"
_COVER_PAGE, _TITLE_PAGE = "text/cover.xhtml", "text/title_page.xhtml"
_COVER_PART, _COVER_IMAGE, _TITLE_PAGE_PART = f"EPUB/{_COVER_PAGE}", "EPUB/media/cover.png", f"EPUB/{_TITLE_PAGE}"

#: The landmarks besides the table of contents (named by the document's own ``toc-title``), in the tool's words.
LANDMARKS = ("Cover", "Title page", "Start of content")

#: What reading systems draw themselves with the text's font: list markers and numbers.
_MARKERS = "•◦▪0123456789."

CONFORMANCE = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"


def identifier(job: Job) -> str:
    """The same URN for the same document, language and edition, build after build."""
    key = f"{job.project.name}/{job.document.id}/{job.language.code}/{job.project.edition}"
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, key)}"


def landmark_names(job: Job) -> tuple[str, tuple[str, str, str]]:
    """The language tag the landmark names are in, and the names (cover, title page, start of the text)."""
    code = job.language.code
    names = tuple(locale.gettext(code, name, "e-book landmark") for name in LANDMARKS)
    return locale.language_of(code), names  # type: ignore[return-value]


class EpubRenderer(Renderer):
    name = "epub"

    def write(self, job: Job, target: Path) -> None:
        # pandoc runs in its sandbox, reading nothing but the template: the pictures come inside the document as
        # data: URLs (each read here, from the project's sources only), and the stylesheet and the cover go into
        # the package afterwards.
        args = ["--toc", "--toc-depth=2", "--split-level=1", f"--template={theme.EPUB_TEMPLATE}",
                f"--variable=edition:{job.project.edition}"]
        if job.draft:
            mark, mark_lang = theme.draft_mark(job.language)
            args.append(f"--variable=draft-mark:{escape(mark)}")
            args.append(f"--variable=draft-legend:{theme.draft_legend(job.language)}")
            if mark_lang != job.language.code:
                args.append(f"--variable=draft-mark-lang:{mark_lang}")
        if job.language.direction == "rtl":
            # Metadata reaches the title page only; a variable reaches every content document.
            args.append("--variable=dir:rtl")
        with tempfile.TemporaryDirectory() as tmp:
            written = Path(tmp) / "pandoc.epub"
            doc = resources.embedded(_with_metadata(job), job.project.root, [job.project.root / "sources"])
            pandoc.write_epub(doc, written, args=args, cwd=Path(tmp), epoch=job.epoch)
            css = theme.epub_css(job.language, job.document.kind, job.draft) + _heading_css(job)
            _finish(job, written, target, css, cover.cover_png(job))


def _strings(*values: str) -> Json:
    return {"t": "MetaList", "c": [{"t": "MetaString", "c": v} for v in values]}


def _with_metadata(job: Job) -> Json:
    """The AST with what pandoc writes into the package: identity, direction and accessibility metadata."""
    doc = dict(job.doc)
    meta = dict(doc["meta"])
    meta["identifier"] = {"t": "MetaString", "c": identifier(job)}
    if job.language.direction == "rtl":
        meta["page-progression-direction"] = {"t": "MetaString", "c": "rtl"}
    # The cover and the illustrations are pictures; their text alternatives (the preflight requires one for
    # every image, the cover's is made here) make the text alone sufficient.
    meta["accessModes"] = _strings("textual", "visual")
    meta["accessModeSufficient"] = _strings("textual", "textual,visual")
    meta["accessibilityFeatures"] = _strings("alternativeText", "displayTransformability", "readingOrder",
                                             "structuralNavigation", "tableOfContents")
    meta["accessibilityHazards"] = _strings("none")
    meta["accessibilitySummary"] = {"t": "MetaString", "c": _summary(job)}
    meta["cover-alt"] = {"t": "MetaString", "c": cover.alt_text(job)}
    if epub_fonts.needs_fonts(job.language):
        meta["ibooks"] = {"t": "MetaMap", "c": {"specified-fonts": {"t": "MetaBool", "c": True}}}
    doc["meta"] = meta
    return doc


def _summary(job: Job) -> str:
    """The accessibility summary, in the book's language (the tool's words, see :mod:`cop_docs.locale`)."""
    code, context = job.language.code, "accessibility summary"
    sentences = [locale.gettext(code, "This publication meets {conformance}. It has a table of contents, structured "
                                "headings and landmarks, and a logical reading order; text can be resized and "
                                "restyled by the reading system. Every image, the cover included, has a text "
                                "alternative.", context, conformance=CONFORMANCE)]
    if epub_fonts.needs_fonts(job.language):
        sentences.append(locale.gettext(code, "The fonts for its script are embedded.", context))
    sentences.append(locale.gettext(code, "It has no flashing, sound or motion hazards.", context))
    return (" " if script(job.language.script).spaces else "").join(sentences)


def _heading_css(job: Job) -> str:
    """Headings in the language's heading fonts, named outright: not every reading system has CSS variables."""
    if not job.language.heading_fonts:
        return ""
    return f"{', '.join(epub_fonts.HEADINGS)} {{ font-family: {theme.font_stack(job.language.heading_stack)}; }}\n"


# --- finishing the package -----------------------------------------------------------------------------------


def _finish(job: Job, written: Path, target: Path, css: str, cover_png: bytes) -> None:
    """Rewrite pandoc's EPUB with what pandoc cannot write, entry order and dates kept: the stylesheet, the cover,
    the landmarks, the conformance claim and the fonts."""
    with zipfile.ZipFile(written) as z:
        infos = z.infolist()
        files = {info.filename: z.read(info) for info in infos}
    for part in (_OPF, _NAV, _CSS, _NCX):
        if part not in files:
            raise RenderError(f"pandoc {pandoc.version()} wrote an EPUB without {part}: cannot finish it")
    _check_pages(job, files)
    files[_CSS] = css.encode("utf-8")
    package = parts.parse(files[_OPF])
    _with_cover(job, files, cover_png, package)
    order = [info.filename for info in infos]
    order[order.index(_TITLE_PAGE_PART):order.index(_TITLE_PAGE_PART)] = [_COVER_PART, _COVER_IMAGE]
    for name in _spine(package):
        if name.startswith("text/ch"):
            files[f"EPUB/{name}"] = _titled(files[f"EPUB/{name}"], job.title)
    files[_NAV] = _with_landmarks(job, files[_NAV], files, package)

    text = epub_fonts.BookText()
    for name, data in files.items():
        if name.endswith(".xhtml"):
            text.add(data)
    text.regular.update(_MARKERS)
    cache = job.project.cache_dir / "epub-fonts" / f"{job.document.id}.{job.language.code}"
    embedded = epub_fonts.embedded_fonts(job.language, text, cache)
    if embedded:
        files[_CSS] = "".join(f.css for f in embedded).encode("utf-8") + files[_CSS]
    _with_conformance(job, package)
    manifest = parts.find(package, "opf:manifest", "a manifest")
    for i, font in enumerate(embedded, 1):
        parts.add(manifest, "item", {"id": f"font-{i}", "href": f"fonts/{font.name}", "media-type": epub_fonts.MEDIA_TYPE})
    files[_OPF] = parts.serialise(package, files[_OPF])

    stamp = infos[0].date_time
    kinds = {info.filename: info.compress_type for info in infos}
    entries = [(name, kinds.get(name, zipfile.ZIP_DEFLATED)) for name in order]
    entries += [(f"EPUB/fonts/{f.name}", zipfile.ZIP_DEFLATED) for f in embedded]
    data = {**files, **{f"EPUB/fonts/{f.name}": f.data for f in embedded}}
    with zipfile.ZipFile(target, "w") as out:
        for name, compression in entries:
            info = zipfile.ZipInfo(name, stamp)
            info.compress_type = compression
            info.create_system = 0
            out.writestr(info, data[name])


def _check_pages(job: Job, files: dict[str, bytes]) -> None:
    """Every page of an e-book is XHTML: a master's raw HTML that leaves an element open (HTML allows it) makes a
    page that is not, an error at that raw HTML's line."""
    for name, data in files.items():
        if name.endswith(".xhtml"):
            try:
                parts.parse(data)
            except etree.XMLSyntaxError as exc:
                where, line = _unbalanced_raw_html(job)
                raise RenderError(f"the e-book page {name.removeprefix('EPUB/')} is not well-formed XHTML ({exc}): raw "
                                  "HTML in the masters must close every element it opens", where, line) from None


def _unbalanced_raw_html(job: Job) -> tuple[str | None, int | None]:
    """Where the first raw HTML of the document that is not well-formed on its own comes from."""
    from .. import sources

    found = [raw["c"][1] for raw in elements(job.doc["blocks"], ("RawBlock", "RawInline")) if raw["c"][0] == "html"]
    files = [*job.document.sources, *(p for s in sources.included_snippets(job.project, job.document) for p in s.sources)]
    for html in found:
        try:
            parts.parse(f"<r>{html}</r>".encode())
            continue
        except etree.XMLSyntaxError:
            pass
        first = html.strip().splitlines()[0] if html.strip() else html
        for path in files:
            for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if first and first in text:
                    return relative(path, job.project.root), number
    return None, None


def _with_cover(job: Job, files: dict[str, bytes], png: bytes, package: etree._Element) -> None:
    """Put the cover into the package: the picture, a page that shows it, and where a reading system looks for
    them (the manifest, the start of the spine, the guide, the NCX). The title page joins the reading order."""
    from PIL import Image  # the cover's size; Pillow draws the covers too

    with Image.open(io.BytesIO(png)) as picture:
        width, height = picture.size
    files[_COVER_IMAGE] = png
    files[_COVER_PART] = _cover_page(job, cover.alt_text(job), width, height)
    if _TITLE_PAGE_PART not in files:
        raise RenderError(f"pandoc {pandoc.version()} wrote an EPUB without {_TITLE_PAGE_PART}: cannot finish it")
    manifest = parts.find(package, "opf:manifest", "a manifest")
    parts.add(manifest, "item", {"id": "cover_xhtml", "href": _COVER_PAGE, "media-type": "application/xhtml+xml",
                               "properties": "svg"})
    parts.add(manifest, "item", {"properties": "cover-image", "id": "cover_png", "href": "media/cover.png",
                               "media-type": "image/png"})
    spine = parts.find(package, "opf:spine", "a spine")
    parts.add(spine, "itemref", {"idref": "cover_xhtml"}, index=0)
    for itemref in spine:
        if itemref.get("idref") == "title_page_xhtml":
            itemref.set("linear", "yes")
    _, (cover_name, _, _) = landmark_names(job)
    parts.add(parts.find(package, "opf:guide", "a guide"), "reference",
            {"type": "cover", "title": cover_name, "href": _COVER_PAGE})
    ncx = parts.parse(files[_NCX])
    parts.add(parts.find(ncx, "ncx:head", "an NCX head"), "meta", {"name": "cover", "content": "cover_png"})
    files[_NCX] = parts.serialise(ncx, files[_NCX])


def _cover_page(job: Job, alt: str, width: int, height: int) -> bytes:
    """The page that shows the cover, built as a tree: its text alternative (a translation) is escaped."""
    html = etree.Element(f"{{{parts.XHTML}}}html", {"lang": job.language.code, parts.XML_LANG: job.language.code},
                         nsmap={None: parts.XHTML, "svg": parts.SVG, "xlink": parts.XLINK})
    if job.language.direction == "rtl":
        html.set("dir", "rtl")
    head = etree.SubElement(html, f"{{{parts.XHTML}}}head")
    etree.SubElement(head, f"{{{parts.XHTML}}}meta", {"charset": "utf-8"})
    etree.SubElement(head, f"{{{parts.XHTML}}}title").text = job.title
    etree.SubElement(head, f"{{{parts.XHTML}}}link", {"rel": "stylesheet", "type": "text/css",
                                                    "href": "../styles/stylesheet1.css"})
    body = etree.SubElement(html, f"{{{parts.XHTML}}}body", {"id": "cover"})
    frame = etree.SubElement(body, f"{{{parts.XHTML}}}div", {"id": "cover-image"})
    svg = etree.SubElement(frame, f"{{{parts.SVG}}}svg", {
        "version": "1.1", "width": "100%", "height": "100%", "viewBox": f"0 0 {width} {height}",
        "preserveAspectRatio": "xMidYMid", "role": "img", "aria-label": alt})
    etree.SubElement(svg, f"{{{parts.SVG}}}title").text = alt
    etree.SubElement(svg, f"{{{parts.SVG}}}image", {"width": str(width), "height": str(height),
                                                  f"{{{parts.XLINK}}}href": "../media/cover.png"})
    return b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n' + etree.tostring(html, encoding="utf-8") + b"\n"


def _spine(package: etree._Element) -> list[str]:
    """The content documents in reading order, relative to the package folder."""
    ns = {"opf": parts.OPF}
    hrefs = {item.get("id"): item.get("href") for item in package.iterfind("opf:manifest/opf:item", ns)}
    return [hrefs[ref.get("idref")] for ref in package.iterfind("opf:spine/opf:itemref", ns)]


def _is_body_text(xhtml: bytes) -> bool:
    """Whether a content document is marked as the start of the body text (``epub:type="bodymatter"``)."""
    if not xhtml:
        return False
    body = parts.parse(xhtml).find(f"{{{parts.XHTML}}}body")
    return body is not None and "bodymatter" in (body.get(parts.EPUB_TYPE) or "").split()


def _titled(xhtml: bytes, fallback: str) -> bytes:
    """A chapter titled by its first heading (pandoc titles it with its file name)."""
    root = parts.parse(xhtml)
    heading = next((el for el in root.iter(*(f"{{{parts.XHTML}}}{h}" for h in epub_fonts.HEADINGS))), None)
    title = (" ".join("".join(heading.itertext()).split()) if heading is not None else "") or fallback
    parts.find(root, "h:head/h:title", "a title in each chapter").text = title
    return parts.serialise(root, xhtml)


def _with_landmarks(job: Job, nav: bytes, files: dict[str, bytes], package: etree._Element) -> bytes:
    """The landmarks: cover, title page, table of contents and start of the text, named in the book's language."""
    names_lang, (cover_name, title_name, start_name) = landmark_names(job)
    toc_name = meta_text(job.doc["meta"].get("toc-title"))
    start = next((name for name in _spine(package)
                  if _is_body_text(files.get(f"EPUB/{name}", b""))), None)
    if start is None:
        raise RenderError(f"the EPUB of '{job.document.id}' ({job.language.code}) has no body text")
    lang = {} if names_lang == job.language.code else {"lang": names_lang, parts.XML_LANG: names_lang}
    items = [(_COVER_PAGE, "cover", cover_name, lang), (_TITLE_PAGE, "titlepage", title_name, lang),
             ("#toc", "toc", toc_name, {}), (start, "bodymatter", start_name, lang)]
    root = parts.parse(nav)
    old = parts.find(root, ".//h:nav[@epub:type='landmarks']", "landmarks")
    block = etree.Element(f"{{{parts.XHTML}}}nav", {parts.EPUB_TYPE: "landmarks", "id": "landmarks", "hidden": "hidden"})
    listing = etree.SubElement(block, f"{{{parts.XHTML}}}ol")
    for href, kind, name, attrs in items:
        item = etree.SubElement(listing, f"{{{parts.XHTML}}}li")
        etree.SubElement(item, f"{{{parts.XHTML}}}a", {"href": href, parts.EPUB_TYPE: kind, **attrs}).text = name
    block.tail = old.tail
    old.getparent().replace(old, block)
    return parts.serialise(root, nav)


def _with_conformance(job: Job, package: etree._Element) -> None:
    """The conformance claim (pandoc writes the schema.org metadata, not this), and the summary marked with the
    language it is written in (the tool's words: the book's language, or the one they fall back to)."""
    metadata = parts.find(package, "opf:metadata", "metadata")
    for meta in metadata.iterfind(f"{{{parts.OPF}}}meta[@property='schema:accessibilitySummary']"):
        meta.set(parts.XML_LANG, locale.language_of(job.language.code))
    parts.add(metadata, "meta", {"property": "dcterms:conformsTo"}, CONFORMANCE)
    parts.add(metadata, "meta", {"property": "a11y:certifiedBy"}, job.project.name)
