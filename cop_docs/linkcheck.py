"""Every link of a built web site leads somewhere.

In: a folder of HTML pages (the web edition, ``build/web/`` or a release's ``web/``) and the folder its links may
reach (by default the site itself; a release's downloads sit beside its ``web/`` folder). Out: the links that do
not resolve, each with its page and line: a page, picture, stylesheet, script or download that is not there, an
anchor (``#id``) that no element of its page carries, a link that leaves the allowed folder, and a ``url()`` of a
stylesheet (fonts, pictures) that is missing. Links to other sites (``https:``, ``mailto:``) are counted, never
fetched: the check works offline.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import html

#: The attributes that hold an address, per element; ``srcset`` holds several.
_LINKS = {
    "a": ("href",), "area": ("href",), "link": ("href",), "img": ("src", "srcset"), "script": ("src",),
    "source": ("src", "srcset"), "iframe": ("src",), "video": ("src", "poster"), "audio": ("src",),
    "track": ("src",), "object": ("data",), "embed": ("src",), "form": ("action",),
}
_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)|@import\s+(['"])([^'"]+)\3""")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


@dataclass(frozen=True)
class Broken:
    """A link that does not resolve: where it is, what it says and why it leads nowhere."""

    path: Path
    line: int
    link: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: error: [link] '{self.link}': {self.reason}"


@dataclass
class Report:
    """What the check found: the pages and stylesheets read, the links followed, the other sites' links."""

    pages: int = 0
    stylesheets: int = 0
    links: int = 0
    external: set[str] = field(default_factory=set)
    broken: list[Broken] = field(default_factory=list)


def check_site(site: Path, root: Path | None = None) -> Report:
    """Check every ``*.html`` and ``*.css`` file under ``site``; links may reach any file under ``root``."""
    site = site.resolve()
    root = (root or site).resolve()
    if not site.is_dir():
        raise NotADirectoryError(20, "not a folder", str(site))
    if not site.is_relative_to(root):
        raise ValueError(f"{site} is not inside {root}")
    report = Report()
    ids: dict[Path, set[str]] = {}
    for page in sorted(site.rglob("*.html")):
        report.pages += 1
        for line, link in _page_links(page):
            _follow(page, line, link, site, root, ids, report)
    for sheet in sorted(site.rglob("*.css")):
        report.stylesheets += 1
        text = sheet.read_text(encoding="utf-8", errors="replace")
        for match in _CSS_URL.finditer(text):
            link = match.group(2) or match.group(4)
            _follow(sheet, text.count("\n", 0, match.start()) + 1, link.strip(), site, root, ids, report)
    return report


def _page_links(page: Path):
    tree = _parse(page)
    if tree is None:
        return
    for element in tree.iter():
        tag = element.tag if isinstance(element.tag, str) else ""
        for attr in _LINKS.get(tag.lower(), ()):
            value = element.get(attr)
            if value is None:
                continue
            values = [part.strip().split()[0] for part in value.split(",") if part.strip()] if attr == "srcset" \
                else [value.strip()]
            for link in values:
                yield element.sourceline or 1, link
        style = element.get("style")
        if style:
            for match in _CSS_URL.finditer(style):
                yield element.sourceline or 1, (match.group(2) or match.group(4)).strip()


def _parse(page: Path):
    parser = html.HTMLParser(encoding="utf-8", no_network=True)
    try:
        return html.parse(str(page), parser=parser).getroot()
    except (OSError, ValueError):
        return None


def _follow(origin: Path, line: int, link: str, site: Path, root: Path, ids: dict[Path, set[str]],
            report: Report) -> None:
    report.links += 1
    if not link or link.startswith(("data:", "javascript:", "about:")):
        return
    if _SCHEME.match(link) or link.startswith("//"):
        report.external.add(link)
        return
    parts = urlsplit(link)
    path, fragment = unquote(parts.path), unquote(parts.fragment)
    shown = origin
    if not path:
        target = origin
    else:
        target = (site / path.lstrip("/")) if path.startswith("/") else (origin.parent / path)
        target = Path(_normalise(target))
        if path.endswith("/") or target.is_dir():
            target = target / "index.html"
        if not target.is_relative_to(root):
            report.broken.append(Broken(shown, line, link, "leads outside the site"))
            return
        if not target.is_file():
            report.broken.append(Broken(shown, line, link, "no such file"))
            return
    if fragment and target.suffix in (".html", ".htm") and fragment != "top":
        if target not in ids:
            ids[target] = _ids(target)
        if fragment not in ids[target]:
            report.broken.append(Broken(shown, line, link, f"no element with id '{fragment}'"))


def _normalise(path: Path) -> str:
    """The path with ``..`` and ``.`` resolved lexically (a link names a path, not what a symlink points to)."""
    return os.path.normpath(path)


def _ids(page: Path) -> set[str]:
    tree = _parse(page)
    if tree is None:
        return set()
    found = {e.get("id") for e in tree.iter() if isinstance(e.tag, str) and e.get("id")}
    found |= {e.get("name") for e in tree.iter("a") if e.get("name")}
    return found
