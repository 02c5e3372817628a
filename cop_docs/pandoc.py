"""The one place that calls pandoc (through pypandoc).

In: Markdown text or pandoc JSON documents. Out: pandoc JSON documents, Markdown, HTML or an EPUB file.
Each call starts a pandoc process (about 80 ms through pypandoc), so callers batch work per document:
one call parses a whole source file, one call parses every translation of a document.

Every call runs in pandoc's sandbox (``--sandbox``): pandoc reads nothing but what it is handed (and its
template), so no file outside the project, named in a master's raw HTML say, can reach an output. The EPUB's
pictures come to it inside the document (see :func:`cop_docs.renderers.resources.embedded`).
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pypandoc

from .errors import RenderError, SourceError

#: The dialect masters are written in: CommonMark with pandoc's extensions (tables, footnotes, definition
#: lists, attributes, fenced divs, YAML front matter), and a lone image as a figure with a caption.
SOURCE_FORMAT = "commonmark_x+implicit_figures"

#: How message text (msgid and msgstr) is read and written: the same dialect, inline content only. Raw
#: HTML is read so that a msgid holding the source's own inline HTML reads back the same; localization then
#: keeps a raw inline only if the very same one is in the source message (see localization.confine).
MESSAGE_FORMAT = "commonmark_x-yaml_metadata_block-implicit_figures"

Json = dict[str, Any]


def read_markdown(text: str, *, path: str | Path, fmt: str = SOURCE_FORMAT) -> Json:
    """Parse Markdown into pandoc's JSON AST."""
    return json.loads(read_markdown_json(text, path=path, fmt=fmt))


SANDBOX = "--sandbox"


def _convert(text: str, to: str, fmt: str, args: list[str], **kwargs: Any) -> str:
    try:
        return pypandoc.convert_text(text, to, format=fmt, extra_args=[SANDBOX, *args], verify_format=False, **kwargs)
    except OSError as exc:  # pypandoc's "No pandoc was found"
        raise RenderError(f"pandoc cannot be run: {exc} (install the package pypandoc-binary)") from None


def read_markdown_json(text: str, *, path: str | Path, fmt: str = SOURCE_FORMAT) -> str:
    """Parse Markdown into pandoc's JSON AST, as the JSON text pandoc writes."""
    try:
        return _convert(text, "json", fmt, [])
    except RuntimeError as exc:
        raise SourceError(f"pandoc cannot read this file: {_first_line(exc)}", path) from None


def write_markdown(doc: Json | str) -> str:  # msgids as they were before source slices: catalogs.migrate
    """Write a JSON AST (or its JSON text) as Markdown in the message dialect, one line per paragraph."""
    return _convert(doc if isinstance(doc, str) else json.dumps(doc), MESSAGE_FORMAT, "json", ["--wrap=none"])


def write_html(doc: Json, *, template: Path, variables: dict[str, str], toc: bool = True,
               extra: tuple[str, ...] = ()) -> str:
    """Render a JSON AST to a standalone HTML5 page through a pandoc template (``extra``: more writer options)."""
    args = ["--standalone", f"--template={template}", "--wrap=none", "--section-divs", *extra]
    if toc:
        args += ["--toc", "--toc-depth=2"]
    args += [f"--variable={k}:{v}" for k, v in sorted(variables.items())]
    try:
        return _convert(json.dumps(doc), "html5", "json", args)
    except RuntimeError as exc:
        raise RenderError(f"pandoc cannot write HTML: {_first_line(exc)}") from None


def write_epub(doc: Json, outputfile: Path, *, args: list[str], cwd: Path, epoch: int | None = None) -> None:
    """Write a JSON AST as an EPUB3 file, in the folder ``cwd`` (pandoc reads nothing: pictures must be in the
    document as data: URLs), dated ``epoch`` (seconds; None: now)."""
    try:
        with _dated(epoch):
            _convert(json.dumps(doc), "epub3", "json", args, outputfile=str(outputfile), cworkdir=str(cwd))
    except RuntimeError as exc:
        raise RenderError(f"pandoc cannot write EPUB: {_first_line(exc)}") from None


@contextlib.contextmanager
def _dated(epoch: int | None) -> Iterator[None]:
    """pandoc takes the EPUB's dates only from SOURCE_DATE_EPOCH in its environment, and pypandoc passes pandoc
    this process's environment: it is set for the one call, and restored."""
    if epoch is None:
        yield
        return
    with _ENVIRONMENT:
        previous = os.environ.get("SOURCE_DATE_EPOCH")
        os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
        try:
            yield
        finally:
            if previous is None:
                os.environ.pop("SOURCE_DATE_EPOCH", None)
            else:
                os.environ["SOURCE_DATE_EPOCH"] = previous


_ENVIRONMENT = threading.Lock()


def version() -> str:
    try:
        return pypandoc.get_pandoc_version()
    except OSError as exc:
        raise RenderError(f"pandoc cannot be run: {exc} (install the package pypandoc-binary)") from None


def _first_line(exc: Exception) -> str:
    lines = [ln.strip() for ln in str(exc).splitlines() if ln.strip()]
    return lines[-1] if lines else type(exc).__name__
