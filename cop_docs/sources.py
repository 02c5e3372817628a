"""Reading master sources.

In: a master Markdown file. Out: a :class:`SourceFile`, its pandoc AST and its *units*: for every segment
(see :mod:`cop_docs.segments`) the msgid (inline Markdown as pandoc writes it back, on one line), the
msgctxt, a comment saying what the block is, and the line it starts on.

Parsing costs two pandoc calls per file (read the file; write every segment back in one batch). Results are
cached under ``build/.cache/sources`` by content hash, so an unchanged file is never parsed again.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from . import pandoc
from .errors import SourceError
from .segments import Json, Segment, segments, words_of

#: Bumped whenever the cached form or the way units are made changes.
CACHE_FORMAT = "3"

_RULE = re.compile(r"^-{3,}$", re.MULTILINE)
_NOTE_REF = re.compile(r"(?<!\\)\[\^(\d+)\]")
_WORD = re.compile(r"\w{3,}|\w+")
#: Segments that may stand on one line with the next (cells of a table row, an image's alt text and title).
_SHARE_A_LINE = ("table header cell", "table cell", "table footer cell", "image alt text", "figure caption")
_NOTE_DEFINITION = re.compile(r"\s*\[\^[^\]]+\]:")


@dataclass(frozen=True)
class Unit:
    """What a translator sees of one segment."""

    msgid: str
    context: str | None
    comment: str
    line: int


@dataclass
class SourceFile:
    path: str  #: relative to the project root, as written in references
    doc: Json
    units: list[Unit]

    def fresh_doc(self) -> Json:
        """A private copy of the AST to localize."""
        return copy.deepcopy(self.doc)


def read_source(path: Path, *, root: Path, cache_dir: Path | None = None) -> SourceFile:
    """Parse one master file, from the cache when its content has not changed."""
    rel = _relative(path, root)
    try:
        data = path.read_bytes()
        text = data.decode("utf-8")
    except OSError as exc:
        raise SourceError(f"cannot read source: {exc.strerror}", rel) from None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SourceError("source is not valid UTF-8", rel, line) from None

    key = hashlib.sha256(f"{CACHE_FORMAT}\0{pandoc.version()}\0{rel}\0".encode() + data).hexdigest()
    cached = cache_dir / f"{key}.json" if cache_dir else None
    if cached and cached.exists():
        try:
            blob = json.loads(cached.read_text(encoding="utf-8"))
            return SourceFile(rel, blob["doc"], [Unit(*u) for u in blob["units"]])
        except (OSError, ValueError, KeyError, TypeError):
            pass  # a damaged cache entry is simply rebuilt

    doc = pandoc.read_markdown(text, path=rel)
    units = make_units(doc, text)
    if cached:
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_suffix(".tmp")
        tmp.write_text(json.dumps({"doc": doc, "units": [list(u.__dict__.values()) for u in units]}), "utf-8")
        tmp.replace(cached)
    return SourceFile(rel, doc, units)


def make_units(doc: Json, text: str) -> list[Unit]:
    segs = segments(doc)
    msgids = segment_msgids(doc, segs)
    lines = _LineFinder(text)
    return [
        Unit(msgid, seg.context, seg.comment, lines.find(seg))
        for seg, msgid in zip(segs, msgids, strict=True)
    ]


def segment_msgids(doc: Json, segs: list[Segment]) -> list[str]:
    """The msgid of every segment: inline content written back as Markdown, in one pandoc call."""
    blocks: list[Json] = []
    for seg in segs:
        if seg.kind == "inlines":
            blocks += [{"t": "Para", "c": seg.get()}, {"t": "HorizontalRule"}]
    written: list[str] = []
    if blocks:
        batch = {"pandoc-api-version": doc["pandoc-api-version"], "meta": {}, "blocks": blocks}
        # pandoc's CommonMark writer leaves '"' unescaped inside link and image titles ("He said "hi""), which
        # reads back as something else: mark those quotes, then escape them in the written text.
        text = json.dumps(batch, ensure_ascii=False)
        batch = json.loads(text)  # a private copy: the marks must not reach the source's AST
        if _TITLE_QUOTE not in text:
            _mark_title_quotes(batch["blocks"])
        out = pandoc.write_markdown(batch).replace(_TITLE_QUOTE, '\\"')
        written = [_local_note_numbers(chunk.strip("\n")) for chunk in _RULE.split(out)][: len(blocks) // 2]
    it = iter(written)
    return [next(it) if seg.kind == "inlines" else seg.get() for seg in segs]


_TITLE_QUOTE = "\ue000"


def _mark_title_quotes(node: object) -> None:
    if isinstance(node, dict):
        if node.get("t") in ("Link", "Image"):
            target = node["c"][2]
            target[1] = target[1].replace('"', _TITLE_QUOTE)
        for value in node.values():
            _mark_title_quotes(value)
    elif isinstance(node, list):
        for value in node:
            _mark_title_quotes(value)


def _local_note_numbers(msgid: str) -> str:
    """Number footnote references from 1 in each message, so a msgid does not depend on its neighbours."""
    numbers: dict[str, int] = {}

    def renumber(m: re.Match) -> str:
        return f"[^{numbers.setdefault(m.group(1), len(numbers) + 1)}]"

    return _NOTE_REF.sub(renumber, msgid)


class _LineFinder:
    """Finds the line a segment starts on by looking for one of its first words, reading forward.

    pandoc's AST has no positions (its ``sourcepos`` option multiplies the AST's size several times), and
    segments come in reading order, so a forward search from where the previous segment was found is exact
    in practice. Footnotes are defined away from where they are referenced: they are looked for on
    footnote definition lines, without moving on.
    """

    def __init__(self, text: str):
        self.lines = [ln.replace("\\", "") for ln in text.splitlines()]
        self.line = 0
        self.column = 0

    def find(self, seg: Segment) -> int:
        value = seg.get()
        words = [value] if isinstance(value, str) else list(words_of(value))
        # The longest of the first words: distinctive, and early enough to sit on the segment's first line.
        probes = [m.group(0) for w in words[:8] if (m := _WORD.search(w.replace("\u2019", "'")))]
        if not probes:
            return self.line + 1
        probe = max(probes, key=len)
        if seg.comment == "footnote":
            found = self._search(probe, self.line, 0, _NOTE_DEFINITION) or self._search(probe, 0, 0)
            return found[0] + 1 if found else self.line + 1
        found = self._search(probe, self.line, self.column) or self._search(probe, 0, 0)
        if found is None:
            return self.line + 1
        if seg.comment in _SHARE_A_LINE:
            self.line, self.column = found[0], found[1] + len(probe)
        else:  # a block: the next segment starts on a later line
            self.line, self.column = found[0] + 1, 0
        return found[0] + 1

    def _search(self, probe: str, line: int, column: int, pattern: re.Pattern | None = None):
        for i in range(line, len(self.lines)):
            text = self.lines[i]
            at = text.find(probe, column if i == line else 0)
            if at >= 0 and (pattern is None or pattern.match(text)):
                return i, at
        return None


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
