"""The release's download pages: one for every language and one per language, in that language.

In: the project, the release's entries (files with their sizes, pages, coverage and status), the zips and their
sizes. Out: ``index.html`` and ``<lang>/index.html`` as text, from the template ``themes/download/page.html``
(which escapes every value: titles and audiences are translations) and the tool's own words
(:mod:`cop_docs.locale`).
"""

from __future__ import annotations

import hashlib

from markupsafe import Markup

from .. import gate, locale, localized, templating
from ..config import Language, Project
from ..formats import FORMATS
from ..scripts import script
from .shards import Entry

_TEMPLATE, _STYLE = "download/page.html", "download/page.css"


def fingerprint() -> bytes:
    """What the pages look like, for the release's key: the template, its style and the tool's words."""
    digest = hashlib.sha256()
    for path in (templating.THEMES / _TEMPLATE, templating.THEMES / _STYLE, *sorted(locale.LOCALE.glob("*.po"))):
        digest.update(path.read_bytes())
    return digest.digest()


PAGE = "download page"
#: The page's words, by the name the template uses: (context, message) in the tool's catalog (:mod:`..locale`).
WORDS: dict[str, tuple[str | None, str]] = {
    "skip": (PAGE, "Skip to the documents"),
    "heading": (PAGE, "Download the guidelines"),
    "intro": (PAGE, "Every document as a PDF for print and an EPUB for e-readers, in {language}."),
    "all-languages": (PAGE, "All languages"),
    "documents": (PAGE, "Documents"),
    "format": (PAGE, "Format"),
    "size": (PAGE, "Size"),
    "pages": (PAGE, "{n} pages"),
    "translated": (PAGE, "{n}% translated"),
    "draft": (None, "Draft translation"),
    "draft-note": (None, "Some passages are still in English."),
    "zip": (PAGE, "All files in {language} (ZIP, {size})"),
    "checksums": (PAGE, "Checksums (SHA-256)"),
    "manifest": (PAGE, "Manifest (JSON)"),
}


def labels(code: str) -> dict[str, str]:
    """The page's words in a language (its own where the tool's catalog has them, else English)."""
    return {key: locale.gettext(code, message, context) for key, (context, message) in WORDS.items()}


def size_text(n: int) -> str:
    return f"{n / 1_048_576:.1f} MB" if n >= 1_048_576 else f"{max(1, round(n / 1024))} KB"


def download_pages(project: Project, entries: list[Entry], zips: dict[str, str],
                   zip_sizes: dict[str, int], web: set[tuple[str, str]] = frozenset()) -> dict[str, str]:
    """``index.html`` (every language) and ``<lang>/index.html`` (one language, in that language); ``web``: the
    (language, document) pairs the release's ``web/`` holds, linked from their row."""
    langs = [lang for lang in project.languages if lang.code in zips]
    ui = project.language(project.source_language) or langs[0]
    titles = {lang.code: localized_titles(project, lang) for lang in langs}
    pages = {"index.html": _page(project, ui, langs, entries, titles, zips, zip_sizes, prefix="", web=web)}
    for lang in langs:
        pages[f"{lang.code}/index.html"] = _page(project, lang, [lang], entries, titles, zips, zip_sizes, prefix="../",
                                                 web=web)
    return pages


def _page(project: Project, ui: Language, shown: list[Language], entries: list[Entry],
          titles: dict[str, dict[str, tuple[str, str]]], zips: dict[str, str], zip_sizes: dict[str, int], prefix: str,
          web: set[tuple[str, str]] = frozenset()) -> str:
    words = labels(ui.code)
    every = len(shown) > 1
    title = f"{project.name} {project.edition}" if every else f"{words['heading']} · {shown[0].name}"
    menu = [{"code": lang.code, "direction": lang.direction, "name": lang.name,
             "current": not every and lang.code == shown[0].code} for lang in project.languages if lang.code in zips]
    sections = [_section(project, lang, [x for x in entries if x.language.code == lang.code], titles[lang.code],
                         zips[lang.code], zip_sizes[lang.code], prefix if every else "../", every, web) for lang in shown]
    return templating.render(_TEMPLATE, project=project, ui=ui, title=title, words=words, prefix=prefix, menu=menu,
                             sections=sections, fonts=_font_stack(project))


def _font_stack(project: Project) -> Markup:
    """The families the pages name: one for each script of the project's languages (the table of
    :mod:`cop_docs.scripts`, not a translation: trusted, and quoted for CSS here)."""
    families = dict.fromkeys(["Noto Sans", *(script(lang.script).page_font for lang in project.languages)])
    return Markup(", ".join([*(f'"{family}"' for family in families), "sans-serif"]))


def _section(project: Project, lang: Language, entries: list[Entry], titles: dict[str, tuple[str, str]],
             zip_name: str, zip_size: int, root: str, every: bool,
             web: set[tuple[str, str]] = frozenset()) -> dict[str, object]:
    """One language: its documents in the project's order, with formats, sizes, pages, coverage and draft marks."""
    words = labels(lang.code)
    documents = []
    for doc in project.documents:
        files = [x for x in entries if x.document == doc.id]
        if not files:
            continue
        title, audience = titles[doc.id]
        first = files[0]
        documents.append({
            "title": title, "audience": audience, "draft": first.status == gate.DRAFT,
            "web": f"{root}web/{lang.code}/{doc.id}/index.html" if (lang.code, doc.id) in web else None,
            "web_label": FORMATS["html"].label,
            "badge": "badge" if first.messages >= 100 else "badge partial",
            "translated": words["translated"].format(n=_percent(first.messages)),
            "files": [{"href": f"{root}{lang.code}/{f.name}" if every else f.name, "label": FORMATS[f.format].label,
                       "media_type": FORMATS[f.format].media_type,
                       "size": size_text(f.bytes) + (f" · {words['pages'].format(n=f.pages)}" if f.pages else "")}
                      for f in files]})
    return {"code": lang.code, "direction": lang.direction, "name": lang.name, "words": words,
            "intro": words["intro"].format(language=lang.name), "documents": documents,
            "zip_href": f"{root}{zip_name}", "zip_text": words["zip"].format(language=lang.name, size=size_text(zip_size))}


def _percent(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:.1f}"


def localized_titles(project: Project, lang: Language) -> dict[str, tuple[str, str]]:
    """Each document's title and audience in the language (the source's where not translated)."""
    out = {}
    for doc in project.documents:
        table = localized.translations(project, doc, lang)
        out[doc.id] = (table.get((None, doc.title), doc.title), table.get((None, doc.audience), doc.audience))
    return out
