"""The output formats, declared once: what each is, where its output goes and which renderer makes it.

In: a format's name (``pdf``, ``epub``), as the project file and the command line give it. Out: its
:class:`Format`: a label for people, the media type, the output's extension (or that the output is a folder of
files), what it can do, and the module whose renderer makes it. Reading this
table loads no engine; :func:`cop_docs.renderers.renderer` imports the renderer when one is needed. A new format
is one entry here, its renderer module and its theme.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Format:
    name: str  #: in the project file and on the command line
    label: str  #: for people: "PDF"
    media_type: str
    extension: str  #: of the output file, with its dot; "" when the output is a folder of files
    module: str  #: the module holding the renderer (imported when one is needed)
    paged: bool = False  #: has pages: counted in the release, drawn as thumbnails by the preview

    @property
    def folder(self) -> bool:
        """Whether the output is a folder of files rather than one file."""
        return not self.extension


FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("pdf", "PDF", "application/pdf", ".pdf", "cop_docs.renderers.pdf", paged=True),
    Format("epub", "EPUB", "application/epub+zip", ".epub", "cop_docs.renderers.epub"),
    Format("html", "Web", "text/html", "", "cop_docs.renderers.html"),
)}
