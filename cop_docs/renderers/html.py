"""The web edition of one document in one language: the localized AST → a folder of HTML pages.

In: a :class:`Job`. Out: a folder (``build/<lang>/<doc>.<lang>.html/``) holding ``index.html`` (title, audience,
the draft legend of a draft, what stands before the first chapter, the contents) and one page per chapter
(``chapter-1.html``…: a level-1 heading and what follows it, the campaign kit's cards as a grid, the story book's
chapters with their pictures), with previous and next links, and ``assets/``: the stylesheet, the pictures and
subsets of the language's fonts as WOFF2. The same job gives the same bytes.

pandoc writes the document's HTML (``html5``, in its sandbox, from the localized AST, where translations are
already confined: no raw HTML, links and pictures only where the master's go); it is split into pages as a tree
(lxml), and each page is put into an autoescaping template (``themes/web/page.html``). No page holds a script or
a style attribute, so the pages' Content-Security-Policy forbids both. The language switcher, the ``hreflang``
alternates and the downloads depend on which languages and files the site has: the pages hold a marker comment
where they go, which :mod:`.site` fills when it gathers the outputs into the site.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree
from lxml import html as lxml_html
from markupsafe import Markup

from .. import locale, pandoc, templating
from ..errors import RenderError
from ..scripts import script
from ..segments import Json, stringify
from ..sources import RAW_SOURCE
from ..tree import elements, meta_text
from . import Job, Renderer, epub_fonts, parity, theme

WEB = templating.THEMES / "web"
FRAGMENT_TEMPLATE = WEB / "fragment.html"

#: Where the site fills in what depends on the other languages and files (see :mod:`.site`).
ALTERNATES = "<!-- cop-docs:alternates -->"
LANGUAGES = "<!-- cop-docs:languages -->"
DOWNLOADS = "<!-- cop-docs:downloads -->"

#: Every page's policy: nothing from elsewhere, no inline script or style.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
       "base-uri 'none'; form-action 'self'")

WEB_PAGE = "web page"
#: The pages' own words: (context, message) in the tool's catalog (:mod:`cop_docs.locale`).
WORDS: dict[str, tuple[str | None, str]] = {
    "skip": (WEB_PAGE, "Skip to the text"),
    "previous": (WEB_PAGE, "Previous"),
    "next": (WEB_PAGE, "Next"),
    "languages": (WEB_PAGE, "Languages"),
    "downloads": (WEB_PAGE, "Downloads"),
    "search": (WEB_PAGE, "Search"),
    "search-needs-js": (WEB_PAGE, "Search needs JavaScript. The contents of each document list every page."),
    "contents": (None, "Contents"),
    "documents": ("download page", "Documents"),
    "size": ("download page", "Size"),
}


def words(code: str) -> dict[str, str]:
    return {key: locale.gettext(code, message, context) for key, (context, message) in WORDS.items()}


def page_name(number: int) -> str:
    """The file of a chapter, the same in every language (the switcher goes to the same page)."""
    return f"chapter-{number}.html" if number else "index.html"


@dataclass
class Chapter:
    number: int
    title: str
    anchor: str
    element: etree._Element  #: the chapter's section
    sections: list[tuple[str, str]] = field(default_factory=list)  #: (title, anchor) of its level-2 sections
    classes: tuple[str, ...] = ()


class HtmlRenderer(Renderer):
    name = "html"

    def write(self, job: Job, target: Path) -> None:
        assets = target / "assets"
        (assets / "images").mkdir(parents=True)
        doc = _with_local_pictures(job, assets / "images")
        body = pandoc.write_html(doc, template=FRAGMENT_TEMPLATE, variables={}, toc=False,
                                 extra=("--reference-location=section",))
        root = lxml_html.fragment_fromstring(body, create_parent="div")
        _cleaned(root)
        preamble, chapters = _split(root)
        pages = _pages(job, preamble, chapters)
        text = epub_fonts.BookText()
        for page in pages.values():
            _collect(lxml_html.fromstring(page), text, text.regular)
        fonts = epub_fonts.embedded_fonts(job.language, text, job.project.cache_dir / "web-fonts" /
                                          f"{job.document.id}.{job.language.code}", every_script=True)
        (assets / "fonts").mkdir()
        for font in fonts:
            (assets / "fonts" / font.name).write_bytes(font.data)
        (assets / "site.css").write_text(stylesheet(job, fonts), encoding="utf-8")
        for name, page in pages.items():
            (target / name).write_text(page, encoding="utf-8")
        if not any((assets / "images").iterdir()):
            (assets / "images").rmdir()

    def verify(self, job: Job, output: Path) -> int:
        """Every block the document shows is in the text of the pages' main parts (as for the EPUB)."""
        text = site_text(output)
        checked = [b for b in job.blocks or [] if b.visible and b.segment.kind == "inlines"]
        for block in parity.missing(checked, text):
            shown = " ".join(stringify(block.segment.get()).split())
            shown = shown if len(shown) <= 60 else shown[:59] + "…"
            raise RenderError(f"this block is missing from the web edition (its text “{shown}” is not in the "
                              "output); the output was not written", block.path, block.line)
        return len(checked)


def site_text(folder: Path) -> str:
    """The text of the ``<main>`` of every page of a document's folder."""
    parts = []
    for page in sorted(folder.glob("*.html")):
        tree = lxml_html.fromstring(page.read_bytes())
        for main in tree.iter("main"):
            parts.append(" ".join(main.itertext()))
    return "\n".join(parts)


# --- the document's HTML ---------------------------------------------------------------------------------


def _with_local_pictures(job: Job, folder: Path) -> Json:
    """A copy of the AST whose pictures (images, and the sources of the master's raw HTML) are files copied into
    the site's ``assets/images/``, named by their content. Only files of the project's sources may be shown."""
    from .resources import confined

    root = job.project.root
    allowed = [root / "sources"]
    copied: dict[str, str] = {}

    def local(url: str) -> str:
        if url.startswith("data:"):
            return url
        if url not in copied:
            path = confined(url, root, allowed)
            if path is None:
                raise RenderError(f"'{url}' is not a file of the project's sources: it cannot be put on the web")
            data = path.read_bytes()
            name = f"{hashlib.sha256(data).hexdigest()[:12]}-{re.sub(r'[^A-Za-z0-9._-]', '-', path.name)}"
            (folder / name).write_bytes(data)
            copied[url] = f"assets/images/{name}"
        return copied[url]

    copy = json.loads(json.dumps(job.doc))
    for node in elements(copy["blocks"], ("Image", "RawBlock", "RawInline")):
        if node["t"] == "Image":
            node["c"][2][0] = local(node["c"][2][0])
        elif node["c"][0] == "html":
            node["c"][1] = RAW_SOURCE.sub(lambda m: m.group(1) + m.group(2) + local(m.group(3)) + m.group(2),
                                           node["c"][1])
    return copy


#: Elements a page never holds, whatever a master's raw HTML says: the policy would block them anyway.
_DROPPED = ("script", "style", "link", "meta", "base", "iframe", "object", "embed", "form")


def _cleaned(root: etree._Element) -> None:
    """No script, style, frame or event handler, no ``style`` attribute (pandoc writes column widths so): the
    pages keep to their Content-Security-Policy."""
    for element in list(root.iter(*_DROPPED)):
        element.drop_tree()
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for name in list(element.attrib):
            value = element.get(name, "")
            if name == "style" or name.startswith("on") or (
                    name in ("href", "src", "action", "formaction", "xlink:href")
                    and value.strip().lower().startswith(("javascript:", "vbscript:"))):
                del element.attrib[name]
    for col in list(root.iter("colgroup")):  # its widths were style attributes
        col.drop_tree()


def _split(root: etree._Element) -> tuple[list[etree._Element], list[Chapter]]:
    """What stands before the first chapter, and the chapters (the level-1 sections)."""
    preamble, chapters = [], []
    for child in list(root):
        if child.tag == "section" and "level1" in child.get("class", "").split():
            heading = child.find("h1")
            title = " ".join("".join(heading.itertext()).split()) if heading is not None else ""
            chapter = Chapter(len(chapters) + 1, title, child.get("id", ""), child,
                              classes=tuple(c for c in child.get("class", "").split() if c != "level1"))
            for sub in child.iterfind("section"):
                h2 = sub.find("h2")
                if h2 is not None and sub.get("id"):
                    chapter.sections.append((" ".join("".join(h2.itertext()).split()), sub.get("id")))
            chapters.append(chapter)
        elif not chapters:
            preamble.append(child)
        else:  # after a chapter and not a chapter: it belongs to the last one
            chapters[-1].element.append(child)
    anchors = {c.anchor: c.number for c in chapters if c.anchor}
    for chapter in chapters:  # anchors of other chapters' sections
        for _title, anchor in chapter.sections:
            anchors.setdefault(anchor, chapter.number)
        for element in chapter.element.iter():
            if isinstance(element.tag, str) and element.get("id"):
                anchors.setdefault(element.get("id"), chapter.number)
    for chapter in chapters:
        _relinked(chapter.element, anchors, chapter.number)
    for element in preamble:
        _relinked(element, anchors, 0)
    return preamble, chapters


def _relinked(element: etree._Element, anchors: dict[str, int], here: int) -> None:
    """Links to a place in another chapter go to that chapter's page."""
    for link in element.iter("a"):
        href = link.get("href", "")
        if href.startswith("#") and anchors.get(href[1:], here) != here:
            link.set("href", page_name(anchors[href[1:]]) + href)


def _html(elements_: list[etree._Element]) -> Markup:
    # pandoc's HTML, cleaned: its text was escaped by pandoc, and a translation cannot add markup to it
    return Markup("".join(lxml_html.tostring(e, encoding="unicode") for e in elements_))


def _pages(job: Job, preamble: list[etree._Element], chapters: list[Chapter]) -> dict[str, str]:
    lang, meta = job.language, job.doc["meta"]
    said = words(lang.code)
    title, audience = meta_text(meta.get("title")), meta_text(meta.get("audience"))
    draft = None
    if job.draft:
        mark, mark_lang = theme.draft_mark(lang)
        draft = {"mark": mark, "lang": mark_lang if mark_lang != lang.code else None,
                 "legend": Markup(theme.draft_legend(lang))}  # the tool's words, escaped by draft_legend
    common = {"lang": lang.code, "dir": lang.direction, "csp": CSP, "words": said, "kind": job.document.kind,
              "document_title": title, "audience": audience, "draft": draft, "project": job.project.name,
              "edition": job.project.edition, "language_name": lang.name, "markers": {
                  "alternates": Markup(ALTERNATES), "languages": Markup(LANGUAGES), "downloads": Markup(DOWNLOADS)},
              "toc_title": meta_text(meta.get("toc-title")) or said["contents"]}
    listing = [{"href": page_name(c.number), "title": c.title,
                "sections": [{"href": f"{page_name(c.number)}#{a}", "title": t} for t, a in c.sections]}
               for c in chapters]
    order = [(page_name(0), title), *((page_name(c.number), c.title) for c in chapters)]
    pages = {}
    for i, (name, page_title) in enumerate(order):
        previous = {"href": order[i - 1][0], "title": order[i - 1][1]} if i else None
        following = {"href": order[i + 1][0], "title": order[i + 1][1]} if i + 1 < len(order) else None
        if i == 0:
            body, classes = _html(preamble), ()
        else:
            chapter = chapters[i - 1]
            body, classes = _html([chapter.element]), chapter.classes
        pages[name] = templating.render(
            "web/page.html", **common, first=i == 0, title=page_title if i else title, body=body,
            contents=listing if i == 0 else None, previous=previous, next=following,
            page_classes=" ".join(classes), page=name)
    return pages


# --- fonts and the stylesheet ------------------------------------------------------------------------------

_BOLD = ("strong", "b", "th", "dt")


def _collect(element: etree._Element, text: epub_fonts.BookText, into: set[str]) -> None:
    """Sort a page's characters as its stylesheet sets them (headings, bold, regular), as the e-book's fonts do."""
    if not isinstance(element.tag, str):
        into.update(element.tail or "")
        return
    if element.tag in ("head", "script", "style"):
        return
    classes = element.get("class", "").split()
    if element.tag in epub_fonts.HEADINGS or "site-title" in classes:
        into = text.headings
    elif element.tag in _BOLD or element.tag in ("em", "i") or "draft-mark" in classes or "draft-legend-mark" in classes:
        into = text.bold if into is text.regular else into
    if "draft-mark" in classes or "draft-legend-mark" in classes:  # set in capitals
        into.update("".join(element.itertext()).upper())
    into.update(element.text or "")
    for child in element:
        _collect(child, text, into)
        into.update(child.tail or "")


def stylesheet(job: Job, fonts: list[epub_fonts.EmbeddedFont]) -> str:
    """The fonts, the kind's colours, the shared screen design, the kind's, the script's and right to left."""
    lang, kind = job.language, job.document.kind
    faces = "".join(
        f'@font-face {{ font-family: "{f.family}"; font-style: normal; font-weight: {"bold" if f.bold else "normal"}; '
        f'font-display: swap; src: url("fonts/{f.name}") format("{epub_fonts.FLAVOR}"); }}\n' for f in fonts)
    colours = "".join(f"--{name}: {value}; " for name, value in sorted(theme.kind_colours(kind).items()))
    sheets = ["base.css", f"kinds/{kind}.css", f"scripts/{script(lang.script).stylesheet}"]
    if lang.direction == "rtl":
        sheets.append("rtl.css")
    css = [faces, f":root {{ {colours}}}\n", theme.fonts_css(lang), theme.option_letters_css(lang)]
    css += [(WEB / name).read_text(encoding="utf-8") for name in sheets if (WEB / name).is_file()]
    if job.draft:
        css.append((templating.THEMES / "draft.css").read_text(encoding="utf-8"))
    return "".join(css)
