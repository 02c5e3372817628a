"""Addresses a publication must not ship with: links to a placeholder domain.

In: the project (its masters, its ``links:`` and ``checks.localized-urls``) and the documents and languages to
check. Out: one warning for each address that a document still links to in some language and that lies on a
domain reserved for examples (RFC 2606 and RFC 6761: ``example.com``, ``example.net``, ``example.org`` and their
subdomains; the ``.example``, ``.test``, ``.invalid`` and ``.localhost`` top-level domains), named at the master's
line that writes it, with the languages it reaches.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

from ..config import Document, Language, Project, Snippet
from .base import Check

CHECKS = {
    "placeholder-address": Check("placeholder-address", "warning",
                                 "no link of a document points to a domain reserved for examples"),
}

EXPLANATION = ("A reader who follows it reaches nothing. Map the address to the publisher's own in the project file "
               "(links: {<address>: {default: <URL>, <language>: <URL>}}).")

_RESERVED = re.compile(r"(^|\.)(example\.(com|net|org)|[^.]+\.(example|test|invalid|localhost)|localhost)$")
#: An address as a master writes it: a link's target, an autolink, or a reference definition.
_ADDRESS = re.compile(r"""https?://[^\s<>()"'\]]+""")


def placeholder(url: str) -> bool:
    """Whether the address lies on a domain reserved for examples."""
    try:
        host = (urlsplit(url).hostname or "").lower().rstrip(".")
    except ValueError:
        return False
    return bool(_RESERVED.search(host))


def find(project: Project, items: list[Document | Snippet], languages: list[Language]) -> Iterator[tuple[Path, int, str, str]]:
    """(master, line, address, the languages that would show it) for every placeholder address the items link to."""
    codes = [project.source_language, *(lang.code for lang in languages if lang.code != project.source_language)]
    for item in items:
        for master in item.sources:
            for number, line in enumerate(master.read_text(encoding="utf-8").splitlines(), 1):
                for match in _ADDRESS.finditer(line):
                    url = match.group(0).rstrip(".,;:")
                    reached = [code for code in codes if placeholder(_target(project, url, code))]
                    if reached:
                        yield master, number, url, ", ".join(reached)


def _target(project: Project, url: str, code: str) -> str:
    """Where a link of the masters ends up in a language: the publisher's address, or the page a translation may
    point to instead (``checks.localized-urls``) when that is the only address mapped."""
    mapped = project.link(url, code)
    return project.checks.localized_urls.get(code, {}).get(url, mapped) if mapped == url else mapped
