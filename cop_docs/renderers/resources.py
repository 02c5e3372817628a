"""All file and URL access made while rendering, confined to the project's own folders.

WeasyPrint's default URL fetcher reads any local file and any URL: a link with ``rel=attachment`` to
``file:///etc/passwd`` would embed that file in the PDF. :class:`ConfinedFetcher` allows ``data:`` URLs and
files under the project's own folders only, and records what it refused. pandoc, which writes the EPUB, runs in
its sandbox and reads nothing: :func:`embedded` hands it every picture of the document as a ``data:`` URL, read
through the same confinement (:func:`confined`).
"""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher

from ..errors import RenderError
from ..sources import RAW_SOURCE
from ..tree import elements


def confined(url: str, root: Path, allowed: list[Path]) -> Path | None:
    """The file a URL names (relative to ``root``, or ``file:``), if it is a file below one of the ``allowed``
    folders once symbolic links are resolved; None for anything else (another scheme, a file elsewhere)."""
    parts = urlsplit(url)
    if parts.scheme.lower() == "file":
        path = Path(unquote(parts.path))
    elif parts.scheme or parts.netloc:
        return None
    else:
        path = root / unquote(parts.path)
    real = Path(os.path.realpath(path))
    folders = [Path(os.path.realpath(folder)) for folder in allowed]
    if not any(real == folder or folder in real.parents for folder in folders) or not real.is_file():
        return None
    return real


#: Media types of the pictures a document may show (a table of our own: Python's mimetypes reads system files).
MEDIA_TYPES = {".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
               ".gif": "image/gif", ".webp": "image/webp"}


def data_url(path: Path) -> str:
    kind = MEDIA_TYPES.get(path.suffix.lower(), "application/octet-stream")
    return f"data:{kind};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def embedded(doc: dict, root: Path, allowed: list[Path]) -> dict:
    """A copy of a pandoc document whose pictures (images, and the sources of the master's raw HTML) are
    ``data:`` URLs of files under the ``allowed`` folders. Anything else is an error: nothing outside the
    project may reach an output."""

    def url_of(url: str) -> str:
        if url.startswith("data:"):
            return url
        path = confined(url, root, allowed)
        if path is None:
            raise RenderError(f"'{url}' is not a file of the project's sources: it cannot be put in the e-book")
        return data_url(path)

    copy = json.loads(json.dumps(doc))
    for node in elements(copy["blocks"], ("Image", "RawBlock", "RawInline")):
        if node["t"] == "Image":
            node["c"][2][0] = url_of(node["c"][2][0])
        elif node["c"][0] == "html":
            node["c"][1] = RAW_SOURCE.sub(lambda m: m.group(1) + m.group(2) + url_of(m.group(3)) + m.group(2),
                                           node["c"][1])
    return copy


class ConfinedFetcher(URLFetcher):
    """A URL fetcher limited to ``data:`` and to files below the allowed folders."""

    def __init__(self, allowed: list[Path], **kwargs):
        super().__init__(timeout=1, allowed_protocols=("data", "file"), allow_redirects=False, **kwargs)
        self.allowed = [Path(os.path.realpath(p)) for p in allowed]
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        scheme = urlsplit(url).scheme.lower()
        if (scheme == "file" and confined(url, Path("/"), self.allowed)) or scheme == "data":
            return super().fetch(url, headers)
        self.refused.append(url)
        raise ValueError(f"refused to fetch {url!r}: only data: URLs and files of the project may be read")
