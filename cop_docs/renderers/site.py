"""The web site: every document's web edition (:mod:`.html`) gathered under one folder, with what depends on the
other languages and files filled in, the site's own pages and a search index.

In: the project and, per language × document, the folder its web edition was built into (by default the build's
``build/<lang>/<doc>.<lang>.html/`` of every language the gate does not withhold), and the downloads to offer on
each document's first page (by default the PDF and EPUB beside it in ``build/<lang>/``; the release passes its
own files, names and sizes). Out: the site folder (``build/web/``, or ``web/`` in the release):

- ``index.html``: every language, each by its own name; ``<lang>/index.html``: the language's documents;
- ``<lang>/<doc>/…``: the document's pages, each with a language switcher and ``hreflang`` alternates to the same
  page in every other language of the site (a withheld language is not there), and on the first page its
  downloads with their sizes;
- ``<lang>/search.html`` and ``pagefind/``: search within a language (Pagefind, offline; its own script and
  stylesheet, served from the site: the pages themselves need no script).

The site is written beside the old one and swapped in when complete; a file whose bytes have not changed is
linked from the old site, not written again, and with nothing changed nothing is done. The same inputs give the
same pages.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

from .. import cache, files, gate, templating
from ..catalogs.sync import Progress, quiet
from ..config import Document, Language, Project
from ..errors import RenderError
from ..formats import FORMATS
from . import html, output_path, theme

#: The site's own pages' policy; the search page also lets Pagefind compile its WebAssembly.
SEARCH_CSP = html.CSP.replace("script-src 'self'", "script-src 'self' 'wasm-unsafe-eval'")


@dataclass(frozen=True)
class Download:
    label: str  #: PDF, EPUB
    media_type: str
    href: str  #: relative to the site's folder
    bytes: int


Downloads = Callable[[Language, Document], list[Download]]


def build_downloads(project: Project) -> Downloads:
    """The PDF and EPUB a build wrote beside each web edition (``build/<lang>/``), as the site in ``build/web/``
    reaches them."""

    def found(lang: Language, doc: Document) -> list[Download]:
        out = []
        for fmt in project.formats:
            if FORMATS[fmt].folder:
                continue
            path = output_path(project, doc, lang, fmt)
            if path.is_file():
                out.append(Download(FORMATS[fmt].label, FORMATS[fmt].media_type, f"../{lang.code}/{path.name}",
                                    path.stat().st_size))
        return out

    return found


def built_editions(project: Project, langs: list[Language] | None = None) -> dict[tuple[str, str], Path]:
    """The web editions in ``build/<lang>/`` of the languages and documents the gate does not withhold."""
    from .. import pipeline

    decisions = pipeline.decide(project, langs)
    out = {}
    for lang in langs or project.languages:
        for doc in project.documents:
            folder = output_path(project, doc, lang, "html")
            if folder.is_dir() and gate.status_of(decisions, doc, lang).status != gate.WITHHOLD:
                out[lang.code, doc.id] = folder
    return out


def assemble(project: Project, target: Path | None = None, *, editions: dict[tuple[str, str], Path] | None = None,
             downloads: Downloads | None = None, search: bool = True, remember: bool = True,
             progress: Progress = quiet) -> Path | None:
    """Write the site into ``target`` (default ``build/web/``); None when there is no web edition to gather."""
    target = target or project.build_dir / "web"
    editions = built_editions(project) if editions is None else editions
    if not editions:
        return None
    downloads = downloads or build_downloads(project)
    langs = _languages(project, editions)
    # What the site is made from: the editions' files, the downloads, the languages and the tool (its templates,
    # words and code); with nothing changed, nothing is read further.
    key = hashlib.sha256(json.dumps([cache.version(), search, [lang.code for lang in langs], sorted(
        [code, doc, files.sha256_tree(folder), [list(vars(d).values()) for d in downloads(project.language(code),
                                                                                          project.document(doc))]]
        for (code, doc), folder in editions.items())]).encode()).hexdigest()
    stamp = project.cache_dir / "web-sites" / (hashlib.sha256(str(target.resolve()).encode()).hexdigest()[:16] + ".json")
    if remember and target.is_dir() and _read(stamp) == key:
        progress(f"up to date {files.relative(target, project.root)}")
        return target
    planned = _plan(project, langs, editions, downloads)
    target.parent.mkdir(parents=True, exist_ok=True)
    files.remove_leftovers(target.parent, ".part")
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent))
    try:
        for relative, data in sorted(planned.items()):
            _put(staging / relative, data, target / relative)
        if search:
            _index(staging)
        for path in staging.rglob("*"):
            os.chmod(path, 0o755 if path.is_dir() else 0o644)
        os.chmod(staging, 0o755)
        files.swap_in(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if remember:
        files.write_atomic(stamp, key)
    progress(f"built {files.relative(target, project.root)} ({len(langs)} languages, "
             f"{sum(1 for r in planned if r.endswith('.html'))} pages)")
    return target


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return None


def _put(path: Path, data: bytes, old: Path) -> None:
    """Write a file of the new site; one the old site holds with the same bytes is linked, not written again."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        if old.is_file() and old.stat().st_size == len(data) and old.read_bytes() == data:
            os.link(old, path)
            return
    except OSError:
        pass
    path.write_bytes(data)


def _languages(project: Project, editions: dict[tuple[str, str], Path]) -> list[Language]:
    codes = dict.fromkeys(code for code, _ in editions)
    known = {lang.code: lang for lang in project.languages}
    return [known[code] if code in known else project.language(code) for code in codes]


def _plan(project: Project, langs: list[Language], editions: dict[tuple[str, str], Path],
          downloads: Downloads) -> dict[str, bytes]:
    """Every file of the site, by its path in the site, with its bytes."""
    out: dict[str, bytes] = {}
    source = project.language(project.source_language)
    ui = source if source in langs else langs[0]
    common_css = _site_css(project)
    out["assets/site.css"] = common_css.encode()
    out["assets/search.js"] = (templating.THEMES / "web" / "search.js").read_bytes()
    titles = {key: _title(folder) for key, folder in editions.items()}
    menu = [{"code": lang.code, "dir": lang.direction, "name": lang.name} for lang in langs]
    out["index.html"] = templating.render(
        "web/site.html", page="languages", lang=ui.code, dir=ui.direction, csp=html.CSP, words=html.words(ui.code),
        title=f"{project.name} {project.edition}", project=project.name, edition=project.edition, root="",
        menu=menu, switcher=None, documents=None, search=False).encode()
    for lang in langs:
        said = html.words(lang.code)
        docs = [doc for doc in project.documents if (lang.code, doc.id) in editions]
        listed = [{"href": f"{doc.id}/index.html", "title": titles[lang.code, doc.id][0],
                   "audience": titles[lang.code, doc.id][1]} for doc in docs]
        for page, documents in (("index.html", listed), ("search.html", None)):
            switcher = _switcher(project, langs, lang, editions, None, page, said, "../")
            out[f"{lang.code}/{page}"] = templating.render(
                "web/site.html", page="search" if documents is None else "documents", lang=lang.code,
                dir=lang.direction, csp=SEARCH_CSP if documents is None else html.CSP, words=said,
                title=f"{said['search'] if documents is None else said['documents']} · {project.name}",
                project=project.name, edition=project.edition, root="../", menu=None, switcher=switcher,
                documents=documents, search=documents is None).encode()
        for doc in docs:
            folder = editions[lang.code, doc.id]
            for path in sorted(p for p in folder.rglob("*") if p.is_file()):
                relative = path.relative_to(folder).as_posix()
                data = path.read_bytes()
                if path.parent == folder and path.suffix == ".html":
                    data = _filled(project, langs, lang, doc, editions, relative, data.decode("utf-8"),
                                   downloads(lang, doc) if relative == "index.html" else [], said).encode()
                out[f"{lang.code}/{doc.id}/{relative}"] = data
    return out


def _title(folder: Path) -> tuple[str, str]:
    """A web edition's title and audience, as its first page shows them."""
    from lxml import html as lxml_html

    page = lxml_html.fromstring((folder / "index.html").read_bytes())
    return (" ".join(page.xpath("string(//main//h1[@class='title'])").split()),
            " ".join(page.xpath("string(//main//p[@class='audience'])").split()))


def _switcher(project: Project, langs: list[Language], here: Language, editions: dict[tuple[str, str], Path],
              doc: Document | None, page: str, said: dict[str, str], up: str) -> dict:
    """The same page in every language of the site (a document's page where that language has it, else the
    language's first page of the document); ``up`` leads from the page to the site's folder."""
    items = []
    for lang in langs:
        if doc is None:
            href = f"{up}{lang.code}/{page}"
        elif (lang.code, doc.id) in editions:
            name = page if (editions[lang.code, doc.id] / page).is_file() else "index.html"
            href = f"{up}{lang.code}/{doc.id}/{name}"
        else:
            continue
        items.append({"code": lang.code, "dir": lang.direction, "name": lang.name, "href": href,
                      "current": lang.code == here.code})
    return {"items": items, "label": said["languages"], "search": f"{up}{here.code}/search.html",
            "search_label": said["search"]}


def _filled(project: Project, langs: list[Language], lang: Language, doc: Document,
            editions: dict[tuple[str, str], Path], page: str, text: str, offered: list[Download],
            said: dict[str, str]) -> str:
    switcher = _switcher(project, langs, lang, editions, doc, page, said, "../../")
    alternates = templating.render("web/alternates.html", items=switcher["items"]).strip()
    nav = templating.render("web/switcher.html", switcher=switcher).strip()
    files_ = [{"label": d.label, "type": d.media_type, "href": f"../../{d.href}", "size": _size(d.bytes)}
              for d in offered]
    block = templating.render("web/downloads.html", files=files_, words=said).strip() if files_ else ""
    for marker, value in ((html.ALTERNATES, alternates), (html.LANGUAGES, nav), (html.DOWNLOADS, block)):
        text = text.replace(marker, Markup(value), 1)
    return text


def _size(n: int) -> str:
    from ..release.pages import size_text

    return size_text(n)


def _site_css(project: Project) -> str:
    """The site's own pages: the shared screen design in the guides' colours, in the faces each script names."""
    from ..scripts import script

    colours = "".join(f"--{name}: {value}; " for name, value in sorted(theme.kind_colours("guide").items()))
    families = dict.fromkeys(["Noto Sans", *(script(lang.script).page_font for lang in project.languages)])
    stack = ", ".join([*(theme.css_string(f) for f in families), "sans-serif"])
    return (f":root {{ {colours}--text-font: {stack}; --heading-font: {stack}; font-family: {stack}; }}\n"
            + (templating.THEMES / "web" / "base.css").read_text(encoding="utf-8"))


def _index(site: Path) -> None:
    """Pagefind's index of every page's main text, one per language (``<html lang>``), into ``pagefind/``."""
    try:
        import pagefind  # noqa: F401 - the package that ships the binary
    except ImportError:
        raise RenderError("the site's search needs Pagefind: install the package pagefind[extended]") from None
    result = subprocess.run([sys.executable, "-m", "pagefind", "--site", str(site), "--output-subdir", "pagefind"],
                            capture_output=True, text=True)
    if result.returncode != 0:
        last = [line for line in (result.stderr or result.stdout).splitlines() if line.strip()][-1:]
        raise RenderError(f"Pagefind could not index the site: {' '.join(last) or result.returncode}", site)
    entry = site / "pagefind" / "pagefind-entry.json"
    if entry.is_file():  # Pagefind lists the languages in no fixed order: sorted, the same site gives the same bytes
        entry.write_text(json.dumps(json.loads(entry.read_text(encoding="utf-8")), sort_keys=True,
                                    separators=(",", ":"), ensure_ascii=False), encoding="utf-8")
