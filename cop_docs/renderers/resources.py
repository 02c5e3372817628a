"""All file and URL access made while rendering.

WeasyPrint's default URL fetcher reads any local file and any URL: a link with ``rel=attachment`` to
``file:///etc/passwd`` would embed that file in the PDF. :class:`ConfinedFetcher` allows ``data:`` URLs and
files under the project's own folders only, and records what it refused.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher

from . import THEMES  # noqa: F401  (re-exported: the renderers find their themes here)


class ConfinedFetcher(URLFetcher):
    """A URL fetcher limited to ``data:`` and to files below the allowed folders."""

    def __init__(self, allowed: list[Path], **kwargs):
        super().__init__(timeout=1, allowed_protocols=("data", "file"), allow_redirects=False, **kwargs)
        self.allowed = [Path(os.path.realpath(p)) for p in allowed]
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme == "file":
            real = Path(os.path.realpath(unquote(parts.path)))
            if any(real == root or root in real.parents for root in self.allowed):
                return super().fetch(url, headers)
        elif scheme == "data":
            return super().fetch(url, headers)
        self.refused.append(url)
        raise ValueError(f"refused to fetch {url!r}: only data: URLs and files of the project may be read")
