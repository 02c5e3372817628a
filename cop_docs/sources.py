"""Reading master sources.

In: a master Markdown file. Out: a :class:`SourceFile`, its pandoc AST and its *units*: for every segment
(see :mod:`cop_docs.segments`) the msgid (its inline Markdown as the author typed it, on one line), the
msgctxt, a comment saying what the block is, and the line it starts on.

A file is read by pandoc (the AST the outputs are made from) and by markdown-it-py (the messages as the author
typed them, with their lines: :mod:`cop_docs.slices`); the two must find the same blocks. Results are cached
under ``build/.cache/sources`` by content hash, so an unchanged file is never parsed again.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import os
import re
from pathlib import Path
from typing import NamedTuple

from . import files
from .cache import version as cache_version
from .config import Document, Project, Snippet
from .errors import SourceError
from .segments import MAX_DEPTH, Json, depth, segments
from .slices import disagreement, read
from .tree import elements


class Unit(NamedTuple):
    """What a translator sees of one segment (a tuple: a large document has tens of thousands)."""

    msgid: str
    context: str | None
    comment: str
    line: int


class SourceFile:
    """A read master file: its units at once, its AST when a renderer asks for it.

    Extraction needs only what markdown-it finds (the units, includes, pictures); pandoc reads the file the first
    time its AST is asked for (:meth:`fresh_doc`), and the two readings are then checked to be the same blocks.
    The AST is kept in the cache beside the units."""

    def __init__(self, path: str, units: list[Unit], doc_text: str | None = None, doc_file: Path | None = None,
                 includes: list[tuple[str, int]] | None = None, images: list[str] | None = None,
                 references: str = "", source: Path | None = None, root: Path | None = None):
        self.path = path  #: relative to the project root, as written in references
        self.units = units
        self.includes = includes or []  #: the snippets it includes (``::: {include=id}``), with their lines
        self.images = images or []  #: the URL of every picture it shows, as written (inline or by reference)
        self.references = references  #: its link reference definitions, as typed, one a line
        self._doc_text = doc_text
        self._doc_file = doc_file  #: the cache entry of its units; its AST's is named after it
        self._source = source  #: the file, for pandoc to read when the AST is first asked for
        self._root = root

    def fresh_doc(self) -> Json:
        """A private copy of the AST (to localize, or to read)."""
        text = self.doc_text()
        with _gc_paused():
            return json.loads(text)

    def doc_text(self) -> str:
        """The AST as pandoc's JSON text: from memory, from the cache, or read now (and checked, and cached)."""
        if self._doc_text is not None:
            return self._doc_text
        from . import pandoc  # here: extraction never needs it

        # the AST is pandoc's: its entry is named by pandoc's version beside the units'
        ast_file = self._doc_file.with_name(self._doc_file.name.replace(".units.json", f".pandoc-{pandoc.version()}"
                                                                        ".ast.json")) if self._doc_file else None
        if ast_file is not None:
            try:
                self._doc_text = ast_file.read_text(encoding="utf-8")
            except OSError:
                pass
        if self._doc_text is None:
            assert self._source is not None and self._root is not None
            self._doc_text = _pandoc_reading(self, self._source, self._root)
            if ast_file is not None:
                _write(ast_file, self._doc_text)
        return self._doc_text

    @property
    def doc(self) -> Json:
        return self.fresh_doc()


def _pandoc_reading(source: SourceFile, path: Path, root: Path) -> str:
    """pandoc's reading of a master, once it is known to find the blocks the units were taken from."""
    rel, _, text = _read(path, root)
    from . import pandoc

    doc_text = pandoc.read_markdown_json(text, path=rel)
    with _gc_paused():
        doc = json.loads(doc_text)
    check_raw_html(doc, text, rel, root)
    check_depth(doc, rel)
    differ = disagreement(source.units, segments(doc))
    if differ is not None:
        line, what = differ
        raise SourceError(f"this block reads differently to CommonMark and to pandoc ({what}): separate it from "
                          "the blocks around it with blank lines, or write it more plainly", rel, line)
    return doc_text


def read_source(path: Path, *, root: Path, cache_dir: Path | None = None) -> SourceFile:
    """Read one master file, from the cache when its content has not changed."""
    return cached_source(path, root=root, cache_dir=cache_dir) or parse_source(path, root=root, cache_dir=cache_dir)


def cached_source(path: Path, *, root: Path, cache_dir: Path | None) -> SourceFile | None:
    """The file from the cache, or None when it changed since it was last read (or was never read)."""
    if cache_dir is None:
        return None
    rel, data, _ = _read(path, root)
    units_file = _cache_file(cache_dir, rel, data)
    try:
        blob = json.loads(units_file.read_text(encoding="utf-8"))
        units = list(map(Unit._make, blob["units"]))
        includes = [(i, n) for i, n in blob["includes"]]
        images = [str(url) for url in blob["images"]]
        references = str(blob["references"])
    except (OSError, ValueError, TypeError, KeyError):
        return None  # missing or damaged: read again
    return SourceFile(rel, units, doc_file=units_file, includes=includes, images=images, references=references,
                      source=path, root=root)


def parse_source(path: Path, *, root: Path, cache_dir: Path | None = None) -> SourceFile:
    """Read one master file's messages, includes and pictures (markdown-it, in-process) and store them in the
    cache. What would make the file unsafe or unreadable is an error at its line."""
    rel, data, text = _read(path, root)
    control = CONTROL_CHARACTERS.search(text)
    if control:
        raise SourceError(f"control character U+{ord(control.group()):04X}, which no page can show and an e-book "
                          "cannot hold: delete it", rel, text.count("\n", 0, control.start()) + 1)
    check_fences(text, rel)
    try:
        reading = read(text)
    except SourceError as exc:
        raise SourceError(exc.message, rel, exc.line) from None
    for html in reading.raw_html:
        check_raw_html_text(html, text, rel, root)
    if reading.depth > MAX_DEPTH * 2:  # a list item is a list in a list: two levels a level
        raise SourceError(f"blocks or emphasis nest deeper than {MAX_DEPTH} levels: flatten the deepest lists, "
                          "quotes or emphasis", rel)
    for snippet, line, holds_text in reading.includes:
        if holds_text:
            raise SourceError(f"the include of '{snippet}' holds text of its own, which would never be shown: close "
                              f"it at once (::: {{include={snippet}}} then :::) and put the text before or after it",
                              rel, line)
    units = [Unit(s.msgid, s.context, s.comment, s.line) for s in reading.slices]
    includes = [(snippet, line) for snippet, line, _ in reading.includes]
    units_file = None
    if cache_dir is not None:
        units_file = _cache_file(cache_dir, rel, data)
        blob = {"units": [[u.msgid, u.context, u.comment, u.line] for u in units], "includes": includes,
                "images": reading.images, "references": reading.references}
        _write(units_file, json.dumps(blob, ensure_ascii=False))
        _prune(cache_dir, rel, units_file)
    return SourceFile(rel, units, doc_file=units_file, includes=includes, images=reading.images,
                      references=reading.references, source=path, root=root)


#: Control characters no page can show and XML cannot hold (tab, line feed and carriage return are text): an
#: error in a master, a translation that is not used.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
#: A raw HTML attribute that makes a page load a picture or media, with its quote and URL.
RAW_SOURCE = re.compile(r"""(\b(?:src|poster|data)\s*=\s*)(["'])(.*?)\2""", re.IGNORECASE | re.DOTALL)
_CODE_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})(.*)$")
_CODE_CLOSE = re.compile(r"^[ \t]*(`{3,}|~{3,})[ \t]*$")
_DIV_FENCE = re.compile(r"^[ \t]*:{3,}[ \t]*(.*?)[ \t]*$")
_QUOTE_MARKS = re.compile(r"^(?:[ ]{0,3}>[ ]?)+")


def check_fences(text: str, path: str) -> None:
    """A code fence (`````` or ``~~~``) or fenced div (``:::``) that is never closed swallows the rest of the
    file without a word from pandoc: make it an error at its opening line."""
    code: tuple[str, int, int] | None = None  # the open code fence: character, length, line
    divs: list[int] = []  # lines of the open divs, innermost last
    for number, raw in enumerate(text.split("\n"), 1):
        line = _QUOTE_MARKS.sub("", raw)
        if code is not None:
            closing = _CODE_CLOSE.match(line)
            if closing and closing.group(1)[0] == code[0] and len(closing.group(1)) >= code[1]:
                code = None
            continue
        fence = _CODE_FENCE.match(line)
        if fence and not (fence.group(1)[0] == "`" and "`" in fence.group(2)):  # ``` x ``` is inline code
            code = (fence.group(1)[0], len(fence.group(1)), number)
            continue
        div = _DIV_FENCE.match(line)
        if div:
            if div.group(1) and not div.group(1).startswith(":"):
                divs.append(number)
            elif divs:
                divs.pop()
    if code is not None:
        raise SourceError(f"this code fence ({code[0] * code[1]}) is never closed: it would swallow the rest of the "
                          f"file; close it with a line of {code[0] * code[1]}", path, code[2])
    if divs:
        raise SourceError("this fenced div (:::) is never closed: it would swallow the rest of the file; close it "
                          "with a line of :::", path, divs[-1])


#: What makes raw HTML load a resource: an attribute holding a URL, or a CSS url().
_RAW_LOADS = re.compile(r"""\b(?:src|srcset|data|poster|xlink:href)\s*=\s*(["'])(.*?)\1|<link\b[^>]*?\bhref\s*=\s*(["'])(.*?)\3"""
                        r"""|url\(\s*["']?([^"')]*)""", re.IGNORECASE | re.DOTALL)


def raw_html_urls(html: str) -> list[str]:
    """The URLs raw HTML would load (pictures, media, stylesheets), not the links it only points to."""
    urls = []
    for m in _RAW_LOADS.finditer(html):
        value = m.group(2) if m.group(2) is not None else m.group(4) if m.group(4) is not None else m.group(5)
        urls += [part.strip().split()[0] for part in value.split(",") if part.strip()] if "srcset" in m.group(0).lower() \
            else [value.strip()]
    return [u for u in urls if u]


def check_raw_html(doc: Json, text: str, path: str, root: Path) -> None:
    """A master's raw HTML may load files of the project's ``sources/`` and ``data:`` URLs, nothing else: what it
    names outside (``/proc/self/environ``, ``file:///etc/passwd``, ``../secret``, a web address) is an error at
    its line."""
    if "<" not in text:
        return
    for raw in elements([doc.get("blocks", []), doc.get("meta", {})], ("RawBlock", "RawInline")):
        if raw["c"][0] == "html":
            check_raw_html_text(raw["c"][1], text, path, root)


def check_raw_html_text(html: str, text: str, path: str, root: Path) -> None:
    """One piece of a master's raw HTML (see :func:`check_raw_html`)."""
    sources = Path(os.path.realpath(root / "sources"))
    folder = (root / path).parent

    def problem(url: str) -> str | None:
        if url.startswith("data:"):
            return None
        if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:|^//", url):
            return f"raw HTML loads '{url}', which is not a file of the project: keep what a page shows under sources/"
        target = Path(os.path.realpath(folder / url)) if not url.startswith("/") else Path(os.path.realpath(url))
        if sources != target and sources not in target.parents:
            return f"raw HTML loads '{url}', which lies outside sources/"
        return None

    for url in raw_html_urls(html):
        why = problem(url)
        if why:
            line = next((n for n, t in enumerate(text.splitlines(), 1) if url in t), None)
            raise SourceError(why, path, line)


def check_depth(doc: Json, path: str) -> None:
    if depth(doc.get("blocks", [])) > MAX_DEPTH * 2:  # a list item is a list in a list: two elements a level
        raise SourceError(f"blocks or emphasis nest deeper than {MAX_DEPTH} levels: flatten the deepest lists, "
                          "quotes or emphasis", path)


def include_target(block: Json) -> str | None:
    """The snippet id of an ``include`` div, or None."""
    if block.get("t") != "Div":
        return None
    return next((v for k, v in block["c"][0][2] if k == "include"), None)


def _read(path: Path, root: Path) -> tuple[str, bytes, str]:
    rel = files.relative(path, root)
    try:
        data = path.read_bytes()
        return rel, data, data.decode("utf-8")
    except OSError as exc:
        raise SourceError(f"cannot read source: {exc.strerror}", rel) from None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SourceError("source is not valid UTF-8", rel, line) from None


def _cache_file(cache_dir: Path, rel: str, data: bytes) -> Path:
    """The cache entry of a master's content (its AST, once pandoc has read it, goes beside it): named by the
    file, so that an edit replaces the file's old entries, and by the content and the tool's version."""
    key = hashlib.sha256(f"{cache_version()}\0{rel}\0".encode() + data).hexdigest()
    return cache_dir / f"{_file_key(rel)}-{key[:40]}.units.json"


def _file_key(rel: str) -> str:
    return hashlib.sha256(rel.encode()).hexdigest()[:16]


def _prune(cache_dir: Path, rel: str, keep: Path) -> None:
    """Remove a master's cache entries for its earlier contents: the cache holds one version of each file."""
    stem = keep.name.removesuffix(".units.json")
    for old in cache_dir.glob(f"{_file_key(rel)}-*.json"):
        if not old.name.startswith(stem):
            old.unlink(missing_ok=True)


def load(project: Project, doc: Document | Snippet) -> list[SourceFile]:
    """The read master files of a document or snippet: unchanged ones from the cache, the others read now. An
    include of an unknown snippet is an error at its line."""
    cache = project.cache_dir / "sources"
    files = [read_source(path, root=project.root, cache_dir=cache) for path in doc.sources]
    for source in files:
        for snippet_id, line in source.includes:
            if project.snippet(snippet_id) is None:
                known = ", ".join(s.id for s in project.snippets) or "none configured"
                raise SourceError(f"include of unknown snippet '{snippet_id}' (snippets: {known})", source.path, line)
    return files


def read_asts(project: Project, items: list[Document | Snippet]) -> None:
    """Have pandoc read every master of these documents and snippets that it has not read yet, side by side (the
    work is in pandoc processes), so that the build's workers find the ASTs in the cache."""
    from concurrent.futures import ThreadPoolExecutor  # here: extraction, which runs no pandoc, needs no threads

    pending = [source for item in items for source in load(project, item)]
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        list(pool.map(SourceFile.doc_text, pending))


def included_snippets(project: Project, doc: Document | Snippet) -> list[Snippet]:
    """The snippets a document includes, directly or through other snippets, in order of first inclusion."""
    found: list[Snippet] = []

    def visit(item: Document | Snippet, trail: tuple[str, ...]) -> None:
        for source in load(project, item):
            for snippet_id, line in source.includes:
                snippet = project.snippet(snippet_id)
                assert snippet is not None  # load() checked it
                if snippet_id in trail:
                    raise SourceError(f"snippet '{snippet_id}' includes itself (through {' → '.join(trail)})",
                                      source.path, line)
                if snippet not in found:
                    found.append(snippet)
                visit(snippet, (*trail, snippet_id))

    visit(doc, (doc.id,))
    return found


def _write(path: Path, text: str) -> None:
    """Put a parse in the cache; a cache that cannot be written (a read-only build folder) only costs time."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    except OSError:
        if tmp.parent.is_dir():
            tmp.unlink(missing_ok=True)


@contextlib.contextmanager
def _gc_paused():
    """Decoding a large AST makes millions of objects; cyclic GC passes over them only cost time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
