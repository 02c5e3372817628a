"""Preflight: what the engines would only warn about, found before anything is rendered.

In: a :class:`Job` (the localized document). Out: nothing, or a :class:`RenderError` naming the file and line the
problem comes from: an image that is missing, outside ``sources/`` or without alt text; a character that no font
of the language has a glyph for, or a font that is not installed.
"""

from __future__ import annotations

import posixpath
import unicodedata
from pathlib import Path

from .. import files, sources
from ..errors import RenderError
from ..segments import stringify
from ..tree import elements
from . import Job


def preflight(job: Job) -> None:
    """Fail before rendering on what the engines would only warn about: a missing image or alt text, a missing
    glyph or font."""
    _check_images(job)
    _check_glyphs(job)


def _check_images(job: Job) -> None:
    """Every image is a file under sources/ (the renderers would silently leave a hole, or go online)."""
    sources = (job.project.root / "sources").resolve()
    for url, alt in _images(job.doc):
        path = (job.project.root / url).resolve()
        problem = None
        if not alt.strip():
            problem = (f"image '{url}' has no alt text: describe the picture between the brackets, "
                       "![what it shows](file), for readers who cannot see it")
        elif url.startswith("data:"):
            continue
        elif ":" in url.split("/")[0] or url.startswith("/"):
            problem = f"image '{url}' is not a file of the project: keep images under sources/"
        elif sources not in path.parents:
            problem = f"image '{url}' lies outside sources/"
        elif not path.is_file():
            problem = f"image '{url}' does not exist"
        if problem:
            where, line = _find_text(job, posixpath.basename(url))
            raise RenderError(problem, where, line)


def _images(doc: object) -> list[tuple[str, str]]:
    """The (URL, alt text) of every image."""
    return [(image["c"][2][0], stringify(image["c"][1])) for image in elements(doc, {"Image"})]


def _check_glyphs(job: Job) -> None:
    """Fail if a character of the document has no glyph in the language's fonts."""
    from . import fonts, theme  # here, not at the top: the engines load slowly

    chars = set(job.title) | set(job.language.name) | set(job.project.edition) | set(theme.generated_characters(job.language))
    _characters(job.doc, chars)
    fonts.coverage(job.language.heading_fonts)  # a heading font that is not installed is an error, as a text font
    missing = fonts.missing_glyphs(chars, job.language.fonts)
    if missing:
        ch = missing[0]
        path, line = _find_text(job, ch)
        more = f" (and {len(missing) - 1} more characters)" if len(missing) > 1 else ""
        name = unicodedata.name(ch, "unnamed character")
        raise RenderError(
            f"'{ch}' (U+{ord(ch):04X} {name}) has no glyph in the fonts for '{job.language.code}' "
            f"({', '.join(job.language.fonts)}){more}; add a font that covers it to the language's font stack",
            path, line)


def _characters(doc: object, into: set[str]) -> None:
    """The characters of every text, code and math of the document (its metadata included)."""
    for node in elements(doc, ("Str", "MetaString", "Code", "CodeBlock", "Math")):
        into.update(node["c"] if node["t"] in ("Str", "MetaString") else node["c"][1])


def _find_text(job: Job, needle: str) -> tuple[Path | str | None, int | None]:
    """Where some text comes from: the language's catalog, else a source file."""
    candidates = [job.project.po_path(job.document, job.language), *job.document.sources]
    for snippet in sources.included_snippets(job.project, job.document):
        candidates += [job.project.po_path(snippet, job.language), *snippet.sources]
    spellings = [needle]
    if len(needle) == 1:  # a character may be written as an entity
        spellings += [f"&#x{ord(needle):X};", f"&#x{ord(needle):x};", f"&#{ord(needle)};"]
    for path in candidates:
        try:
            for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if any(s in text for s in spellings):
                    return files.relative(path, job.project.root), number
        except (OSError, UnicodeDecodeError):
            continue
    return None, None
