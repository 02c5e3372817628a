"""The one place that calls pandoc (through pypandoc).

In: Markdown text or pandoc JSON documents. Out: pandoc JSON documents, Markdown, HTML or an EPUB file.
Each call starts a pandoc process (about 80 ms through pypandoc), so callers batch work per document:
one call parses a whole source file, one call writes every message of a file, one call parses every
translation of a document.
"""

from __future__ import annotations

import json
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


def read_markdown_json(text: str, *, path: str | Path, fmt: str = SOURCE_FORMAT) -> str:
    """Parse Markdown into pandoc's JSON AST, as the JSON text pandoc writes."""
    try:
        return pypandoc.convert_text(text, "json", format=fmt, verify_format=False)
    except RuntimeError as exc:
        raise SourceError(f"pandoc cannot read this file: {_first_line(exc)}", path) from None


def write_markdown(doc: Json | str) -> str:
    """Write a JSON AST (or its JSON text) as Markdown in the message dialect, one line per paragraph."""
    return pypandoc.convert_text(
        doc if isinstance(doc, str) else json.dumps(doc), MESSAGE_FORMAT, format="json",
        extra_args=["--wrap=none"], verify_format=False,
    )


def write_document_markdown(doc: Json) -> str:
    """Write a whole JSON AST, front matter included, as Markdown in the sources' dialect."""
    return pypandoc.convert_text(
        json.dumps(doc), "commonmark_x", format="json", extra_args=["--standalone", "--wrap=none"],
        verify_format=False,
    )


def write_html(doc: Json, *, template: Path, variables: dict[str, str], toc: bool = True) -> str:
    """Render a JSON AST to a standalone HTML5 page through a pandoc template."""
    args = ["--standalone", f"--template={template}", "--wrap=none", "--section-divs"]
    if toc:
        args += ["--toc", "--toc-depth=2"]
    args += [f"--variable={k}:{v}" for k, v in sorted(variables.items())]
    try:
        return pypandoc.convert_text(json.dumps(doc), "html5", format="json", extra_args=args, verify_format=False)
    except RuntimeError as exc:
        raise RenderError(f"pandoc cannot write HTML: {_first_line(exc)}") from None


def write_epub(doc: Json, outputfile: Path, *, args: list[str], cwd: Path) -> None:
    """Write a JSON AST as an EPUB3 file (pandoc resolves images relative to ``cwd``)."""
    try:
        pypandoc.convert_text(
            json.dumps(doc), "epub3", format="json", extra_args=args, outputfile=str(outputfile),
            verify_format=False, cworkdir=str(cwd),
        )
    except RuntimeError as exc:
        raise RenderError(f"pandoc cannot write EPUB: {_first_line(exc)}") from None


def version() -> str:
    return pypandoc.get_pandoc_version()


def _first_line(exc: Exception) -> str:
    lines = [ln.strip() for ln in str(exc).splitlines() if ln.strip()]
    return lines[-1] if lines else type(exc).__name__
