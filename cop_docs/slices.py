"""The messages of a master as the author wrote them: slices of the source text, found by a parser that keeps
positions.

In: a master's Markdown text. Out: its :class:`Slice` list, in the order of :func:`cop_docs.segments.segments`
(front matter first, then the body in reading order, each footnote's paragraphs after the block that refers to
it): one per translatable block, each with its text exactly as typed (container prefixes such as ``> `` and
list indentation taken off, soft line breaks as spaces), the line it starts on, what kind of block it is and
its msgctxt.

markdown-it-py (CommonMark, with tables, footnotes and definition lists from mdit-py-plugins) finds the blocks
and their lines in-process; pandoc's fenced divs, which it has no rule for, are found here first (a fence line
opens a div when it has attributes, and a bare one closes the innermost). pandoc stays the reader of record:
:func:`disagreement` compares the slices with pandoc's segments of the same file, block by block, and names
the first line where the two readings differ.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from markdown_it import MarkdownIt
from markdown_it.common.utils import normalizeReference
from markdown_it.token import Token
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from .errors import SourceError
from .segments import MAX_DEPTH, TRANSLATABLE_META, Segment, stringify

if TYPE_CHECKING:
    import yaml

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_DIV = re.compile(r"^ {0,3}(:{3,})[ \t]*(.*?)[ \t]*$")
_ATTRS = re.compile(r"[ \t]*\{([^{}]*)\}[ \t]*$")
_ATTR = re.compile(r"""([#.]?[\w:-]+)(?:=("[^"]*"|'[^']*'|[^\s"']*))?""")
#: pandoc's fancy_lists markers CommonMark lacks: a letter or roman numeral with '.' or ')', or in parentheses
#: (an upper-case letter with '.' needs two spaces after it, as in pandoc).
_FANCY = re.compile(r"^([ \t>]*)(\(([a-zA-Z]|[ivxlcdm]+|[IVXLCDM]+)\)|([a-z]|[ivxlcdm]+|[IVXLCDM]+|[A-Z])\)|"
                    r"([a-z]|[ivxlcdm]+|[IVXLCDM]+)\.|([A-Z])\.(?=[ \t]{2}))(?=[ \t])")
#: GitHub's alerts (pandoc's alerts extension): a block quote that opens with one is a div.
_ALERT = re.compile(r"^[ \t]{0,3}>[ \t]?\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\][ \t]*$")


@dataclass(frozen=True)
class Slice:
    """One message of a master: the text as typed, where it starts, what kind of block holds it."""

    msgid: str
    comment: str
    context: str | None
    line: int
    #: where the message's text is in the master (start and end offsets) and how a translation goes there:
    #: "text" (a paragraph, heading, term: on one line), "cell" (a table cell: '|' escaped), "title" (a
    #: picture's title: in quotes), "yaml" (a front-matter value: a quoted string); None: nowhere to put one
    span: tuple[int, int] | None = field(default=None, compare=False)
    site: str = field(default="text", compare=False)


@dataclass
class Reading:
    """What markdown-it finds in a master besides its messages: what the sources reader checks and records."""

    slices: list[Slice]
    references: str  #: the link reference definitions, as typed, one a line
    includes: list[tuple[str, int, bool]]  #: (snippet id, line of the include, whether the div holds text)
    images: list[str]  #: the URL of every picture, as written, in order, once each
    raw_html: list[str]  #: every piece of raw HTML
    depth: int  #: how deeply blocks and inline markup nest (a list item counts two, as in pandoc's tree)
    link_targets: dict = field(default_factory=dict)  #: markdown-it's reference definitions (label → href, title)


@dataclass
class _Div:
    start: int  #: line index of the opening fence (0-based)
    end: int  #: line index of the closing fence, or past the end when it is never closed
    attrs: dict[str, str] = field(default_factory=dict)
    classes: tuple[str, ...] = ()


#: How deep markdown-it may nest before it stops reading structure: past pandoc's limit (segments.MAX_DEPTH,
#: twice over since a list item is two levels), so the sources reader sees the depth and refuses it.
MAX_NESTING = 2 * MAX_DEPTH + 8


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True, "maxNesting": MAX_NESTING}).enable("table").enable("strikethrough")
    md.normalizeLink = lambda url: url  # URLs as written (a picture's path is a file of the project)
    md.validateLink = lambda url: True  # every link is a link, as to pandoc ('file:' ones too): nothing is rendered
    md = md.use(front_matter_plugin).use(footnote_plugin, inline=False).use(deflist_plugin)
    md.core.ruler.disable("footnote_tail")  # the walker keeps each note where it is defined, by label (see read)
    # pandoc's tex_math_dollars: no space inside the dollars, no digit after the closing one
    return md.use(dollarmath_plugin, allow_space=False, allow_digits=False, double_inline=True, allow_labels=False)


_MD = _parser()


def attributes(text: str) -> tuple[dict[str, str], tuple[str, ...]]:
    """``{#id .class key="value"}`` (or a bare class name, as a div fence may have) → (key/values, classes)."""
    text = text.strip()
    if text.startswith("{") and text.endswith("}"):
        text = text[1:-1]
    elif text and " " not in text:
        return {}, (text,)
    values: dict[str, str] = {}
    classes: list[str] = []
    for m in _ATTR.finditer(text):
        name, value = m.group(1), m.group(2)
        if name.startswith("."):
            classes.append(name[1:])
        elif name.startswith("#"):
            values["id"] = name[1:]
        elif value is not None:
            values[name] = value[1:-1] if value[:1] in "\"'" else value
    return values, tuple(classes)


def _divs(lines: list[str]) -> tuple[list[_Div], list[str]]:
    """pandoc's fenced divs, and the lines with their fences blanked for the CommonMark parser."""
    divs: list[_Div] = []
    stack: list[_Div] = []
    out = list(lines)
    fence: str | None = None
    listing: int | None = None  #: the indentation of the list in letters or roman numerals being read
    for i, line in enumerate(lines):
        if fence is not None:
            if line.lstrip(" ").startswith(fence) and not line.strip().strip(fence[0]):
                fence = None
            continue
        code = _FENCE.match(line)
        if code:
            fence = code.group(1)
            continue
        fancy = _FANCY.match(line)
        blank_before = i == 0 or not lines[i - 1].strip()
        if fancy and (blank_before or listing is not None):
            # the same width in digits, so CommonMark reads the same list; like pandoc, a list in letters or
            # roman numerals does not interrupt a paragraph, but its next items do
            marker = fancy.group(2)
            out[i] = fancy.group(1) + re.sub(r"[a-zA-Z]", "1", marker).replace("(", "").ljust(len(marker)) + line[fancy.end():]
            listing = len(fancy.group(1))
        elif line.strip() and listing is not None and blank_before and len(line) - len(line.lstrip()) <= listing:
            listing = None
        div = _DIV.match(line)
        if not div:
            continue
        if div.group(2):
            attrs, classes = attributes(div.group(2) if div.group(2).startswith("{") else div.group(2).split()[0])
            found = _Div(i, len(lines), attrs, classes)
            divs.append(found)
            stack.append(found)
            out[i] = ""
        elif stack:
            stack.pop().end = i
            out[i] = ""
    return divs, out


def slices(text: str) -> list[Slice]:
    """The messages of a master, in the order pandoc's segments come."""
    return read(text).slices


#: A master longer than this many characters is read in parts, each starting at a heading, so that the
#: parser's tokens for one part at a time are held, not the whole file's.
PART_CHARS = 128 * 1024


@dataclass
class _Part:
    start: int  #: its first line (0-based)
    end: int  #: past its last line
    items: list[Slice | _NoteRef] = field(default_factory=list)
    images: list[str] = field(default_factory=list)
    raw: list[str] = field(default_factory=list)
    depth: int = 0
    known: frozenset[str] = frozenset()  #: the labels of links and notes defined when it was read


def read(text: str) -> Reading:
    """The messages of a master with the rest of what one reading of it gives (see :class:`Reading`)."""
    lines = text.split("\n")
    divs, blanked = _divs(lines)
    walker = _Walker(divs, lines)
    parts = [_Part(start, end) for start, end in _parts(blanked)]
    # footnotes are mostly defined below the text that refers to them, often in a later part: every line that
    # looks like a definition makes its label known before the first part is read
    noted = {":" + label: -1 for label in _NOTE_DEFINITION.findall("\n".join(blanked))} if len(parts) > 1 else {}
    env: dict = {"footnotes": {"refs": dict(noted), "list": {}}}
    for part in parts:
        _read_part(part, blanked, walker, env)
    # what a look could not tell: a label that had no definition after all is forgotten, and a part that uses a
    # link or note label defined only further on is read again, now that every one is known
    wrong = {label for label in noted if label[1:] not in walker.notes}
    for label in wrong:
        env["footnotes"]["refs"].pop(label, None)
    defined = _labels_defined(env)
    for part in parts:
        used = _labels_used("\n".join(blanked[part.start:part.end])) if wrong or defined - part.known else set()
        if used & (wrong | (defined - part.known)):
            _read_part(part, blanked, walker, env)
    del blanked
    walker.check_notes()
    out = walker.front_matter(text)
    out += walker.expanded([item for part in parts for item in part.items])
    spans = sorted({tuple(ref["map"]) for ref in env.get("references", {}).values() if ref.get("map")})
    definitions = "\n".join(" ".join(line.strip(" \t>") for line in lines[a:b]) for a, b in spans)
    includes = [(div.attrs["include"], div.start + 1, any(line.strip() for line in lines[div.start + 1:div.end]))
                for div in divs if "include" in div.attrs]
    images = dict.fromkeys(url for part in parts for url in part.images if url)
    raw = [html for part in parts for html in part.raw]
    return Reading(out, definitions, includes, list(images), raw, max(part.depth for part in parts),
                   env.get("references", {}))


def _read_part(part: _Part, lines: list[str], walker: _Walker, env: dict) -> None:
    before = set(env.get("references", {}))
    tokens = _MD.parse("\n".join(lines[part.start:part.end]), env)
    if part.start:  # line numbers of the whole file
        for token in tokens:
            if token.map:
                token.map = [token.map[0] + part.start, token.map[1] + part.start]
        for label, ref in env.get("references", {}).items():
            if label not in before and ref.get("map"):
                ref["map"] = [ref["map"][0] + part.start, ref["map"][1] + part.start]
    part.known = frozenset(_labels_defined(env))
    part.items = walker.take(tokens, part.start)
    part.images, part.raw, part.depth = [], [], 0
    for token in tokens:
        part.depth = max(part.depth, token.level)
        if token.type == "html_block":
            part.raw.append(token.content)
        for child in token.children or []:
            part.depth = max(part.depth, token.level + child.level + 1)
            if child.type == "image":
                part.images.append(child.attrGet("src") or "")
            elif child.type == "html_inline":
                part.raw.append(child.content)


_HEADING = re.compile(r"#{1,6}(?:[ \t]|$)")
_NOTE_DEFINITION = re.compile(r"^[ \t>]*\[\^([^\]\s]+)\]:", re.MULTILINE)
#: HTML blocks that a blank line does not end (CommonMark's kinds 1 to 5), with what ends them.
_HTML_LONG = re.compile(r" {0,3}<(?:(script|pre|style|textarea)(?=[ \t>]|$)|(!--)|(\?)|(![A-Za-z])|(!\[CDATA\[))",
                        re.IGNORECASE)
_HTML_END = ("</{}>", "-->", "?>", ">", "]]>")


def _parts(lines: list[str], size: int = PART_CHARS) -> list[tuple[int, int]]:
    """Where a long master may be cut into parts that read as they do in the whole: before an ATX heading at the
    margin that follows a blank line, outside code fences, long HTML blocks, display math and front matter
    (anything else ends at such a line). (first line, past the last line) of each part."""
    parts: list[tuple[int, int]] = []
    start = chars = 0
    fence: str | None = None
    html_end: str | None = None
    math = False
    first = 0
    if lines and lines[0].rstrip() == "---":  # front matter, up to its closing line
        first = next((i + 1 for i, line in enumerate(lines[1:], 1) if line.rstrip() in ("---", "...")), len(lines))
    for i, line in enumerate(lines):
        if (chars >= size and i > first and fence is None and html_end is None and not math
                and not lines[i - 1].strip() and _HEADING.match(line)):
            parts.append((start, i))
            start, chars = i, 0
        chars += len(line) + 1
        if fence is not None:
            if line.lstrip(" ").startswith(fence) and not line.strip().strip(fence[0]):
                fence = None
            continue
        if html_end is not None:
            if html_end in line.lower():
                html_end = None
            continue
        code = _FENCE.match(line)
        if code:
            fence = code.group(1)
            continue
        html = _HTML_LONG.match(line)
        if html:
            kind = next(k for k in range(5) if html.group(k + 1))
            end = _HTML_END[kind].format(html.group(1).lower() if kind == 0 else "")
            if end not in line[html.end():].lower():
                html_end = end
            continue
        if line.count("$$") % 2:
            math = not math
    parts.append((start, len(lines)))
    return parts


def _labels_defined(env: dict) -> set[str]:
    return set(env.get("references", {})) | set(env.get("footnotes", {}).get("refs", {}))


def _labels_used(text: str) -> set[str]:
    """Every bracketed label in a text, as markdown-it keys link definitions (and notes, after ':')."""
    used = set()
    for m in re.finditer(r"\[([^\[\]]{1,999})\]", text):
        label = m.group(1)
        used.add(":" + label[1:] if label.startswith("^") else normalizeReference(label))
    return used


def targets(text: str, references: dict) -> tuple[list[str], list[str], list[str], list[str]]:
    """What a message's inline Markdown points to or brings in: link targets, picture sources, raw HTML, and
    attribute blocks (``{…}``), its references resolved with the master's definitions."""
    tokens = _MD.parseInline(text, {"references": references})[0].children or []
    links, images, raw, attrs = [], [], [], []
    for token in tokens:
        if token.type == "link_open":
            links.append(token.attrGet("href") or "")
        elif token.type == "image":
            images.append(token.attrGet("src") or "")
        elif token.type == "html_inline":
            raw.append(token.content)
        elif token.type == "text":
            attrs += re.findall(r"\{[^{}]*\}", token.content)
    return links, images, raw, attrs


@dataclass(frozen=True)
class _NoteRef:
    """Where a footnote's paragraphs come among the messages: after the block that refers to it."""

    label: str


@dataclass
class _Note:
    items: list[Slice]
    line: int  #: its definition's first line (1-based)
    part: int  #: the first line of the part it was read in
    refers_to: list[str]  #: the labels of the notes it refers to (which pandoc leaves out)


class _Walker:
    """Walks markdown-it's token stream, keeping track of the containers around each inline."""

    def __init__(self, divs: list[_Div], lines: list[str] | None = None):
        self.divs = divs
        self.lines = lines or []
        self.starts = [0]  # the offset of each line in the text
        for line in self.lines:
            self.starts.append(self.starts[-1] + len(line) + 1)
        self.cells: dict[int, int] = {}  # a table row's line → where its next cell is searched from
        self.yaml_at: int | None = None  # the offset of the front matter's first line
        self.front: Token | None = None
        self.notes: dict[str, _Note] = {}  # footnote label → its messages

    def take(self, tokens: list[Token], part: int = 0) -> list[Slice | _NoteRef]:
        """The messages of a token stream (read from the part of the text that starts at line ``part``), with a
        :class:`_NoteRef` where each footnote's come; the footnotes it defines are kept by label (the first
        definition of a label counts, as in pandoc)."""
        body: list[Token] = []
        defining: list[tuple[Token, list[Token]]] = []  # the notes being defined, innermost last
        taken: set[str] = set()
        for token in tokens:
            if token.type == "footnote_reference_open":
                defining.append((token, []))
            elif token.type == "footnote_reference_close":
                opening, inner = defining.pop()
                label = opening.meta["label"]
                known = self.notes.get(label)
                if label not in taken and (known is None or known.part == part):  # or read again: see read()
                    taken.add(label)
                    items: list[Slice | _NoteRef] = []
                    self._walk(inner, items, note=True, line=opening.map[0] if opening.map else 0)
                    refers = [c.meta["label"] for t in inner for c in t.children or [] if c.type == "footnote_ref"]
                    self.notes[label] = _Note([i for i in items if isinstance(i, Slice)],
                                              (opening.map[0] if opening.map else 0) + 1, part, refers)
            elif defining:
                defining[-1][1].append(token)
            else:
                if token.type == "front_matter" and part == 0:
                    self.front = token
                body.append(token)
        out: list[Slice | _NoteRef] = []
        self._walk(body, out, note=False, line=part)
        return out

    def expanded(self, items: list[Slice | _NoteRef]) -> list[Slice]:
        """The messages with each footnote's in place of the references to it."""
        out: list[Slice] = []
        for item in items:
            if isinstance(item, _NoteRef):
                note = self.notes.get(item.label)
                out += note.items if note is not None else []
            else:
                out.append(item)
        return out

    def check_notes(self) -> None:
        """A footnote that refers to itself, directly or through others, is an error (pandoc never finishes
        reading it)."""
        done: set[str] = set()

        def visit(label: str, trail: list[str]) -> None:
            if label in trail:
                loop = " → ".join(f"[^{x}]" for x in trail[trail.index(label):] + [label])
                raise SourceError(f"footnotes refer to each other in a loop ({loop}), which pandoc cannot read: "
                                  "take the reference out of the note", None, self.notes[label].line)
            if label in done or label not in self.notes:
                return
            for other in self.notes[label].refers_to:
                visit(other, trail + [label])
            done.add(label)

        for label in self.notes:
            visit(label, [])

    def front_matter(self, text: str) -> list[Slice]:
        token = self.front
        if token is None:
            return []
        import yaml  # here: most files have no front matter, and a small command feels its import

        try:
            node = yaml.compose(token.content)
        except yaml.YAMLError:
            return []  # pandoc reads it as text: its segments say what it holds, and the agreement check compares
        except RecursionError:
            raise SourceError(f"the front matter nests deeper than {MAX_DEPTH} levels: flatten its lists", None,
                              (token.map[0] if token.map else 0) + 1) from None
        if not isinstance(node, yaml.MappingNode):
            return []
        first = (token.map[0] if token.map else 0) + 2  # the line after '---', 1-based
        self.yaml_at = self.starts[first - 1] if len(self.starts) >= first else None
        values = {k.value: v for k, v in node.value if isinstance(k, yaml.ScalarNode)}
        out: list[Slice] = []
        for key in TRANSLATABLE_META:
            if key in values:
                out += self._meta(values[key], f"front matter: {key}", first)
        return out

    def _meta(self, node: yaml.Node, comment: str, first: int) -> list[Slice]:
        import yaml

        if isinstance(node, yaml.SequenceNode):
            return [s for item in node.value for s in self._meta(item, comment, first)]
        if not isinstance(node, yaml.ScalarNode) or node.tag != "tag:yaml.org,2002:str":
            return []
        value = str(node.value)
        line = first + node.start_mark.line
        if "\n\n" in value.strip():  # blocks: each paragraph a message
            inner = _Walker([])
            found = [s for s in inner.take(_MD.parse(value)) if isinstance(s, Slice)]
            start = line + (1 if node.style in ("|", ">") else 0)  # a block scalar's text starts below its key
            return [Slice(s.msgid, comment, s.context, start + s.line - 1) for s in found]
        msgid = " ".join(value.split())
        at = self.yaml_at
        span = (at + node.start_mark.index, at + node.end_mark.index) if at is not None and not node.style else None
        if at is not None and node.style in ('"', "'"):
            span = (at + node.start_mark.index, at + node.end_mark.index)
        return [Slice(msgid, comment, None, line, span, "yaml")] if _has_words(
            _MD.parseInline(msgid)[0].children or []) else []

    def _walk(self, tokens: list[Token], out: list[Slice | _NoteRef], note: bool, line: int) -> None:
        stack: list[Token] = []
        for i, token in enumerate(tokens):
            if token.nesting == 1:
                if token.type == "blockquote_open" and _alert(tokens, i):
                    # pandoc gives an alert a title paragraph of its own, in English: a message like the others
                    out.append(Slice(token.meta["alert"], "paragraph", self._context_at(token.map[0]), token.map[0] + 1,
                                     None))
                stack.append(token)
            elif token.nesting == -1:
                stack.pop()
            elif token.type == "inline":
                line = token.map[0] if token.map else line
                self._inline(token, stack, out, note, line)

    def _enclosing(self, line: int) -> list[_Div]:
        return [d for d in self.divs if d.start < line < d.end]

    def _context_at(self, line: int) -> str | None:
        context = None
        for div in self._enclosing(line):
            context = div.attrs.get("i18n-context") or context
        return context

    def _inline(self, token: Token, stack: list[Token], out: list[Slice | _NoteRef], note: bool, line: int) -> None:
        context: str | None = None
        for div in self._enclosing(line):
            if div.attrs.get("translate") == "no" or "notranslate" in div.classes:
                return
            context = div.attrs.get("i18n-context") or context
        parent = stack[-1] if stack else None
        children = token.children or []
        text = _as_typed(token.content, keep_lines=any("\n" in (t.attrGet("title") or "") for t in children
                                                       if t.type in ("link_open", "image")))
        if parent is not None and parent.type == "heading_open":
            attrs = _ATTRS.search(text)
            if attrs:
                values, classes = attributes("{" + attrs.group(1) + "}")
                if values.get("translate") == "no" or "notranslate" in classes:
                    return
                context = values.get("i18n-context") or context
                text = text[:attrs.start()].rstrip()
            comment = f"heading level {parent.tag[1:]}"
        elif parent is not None and parent.type in ("th_open", "td_open"):
            comment = "table header cell" if any(t.type == "thead_open" for t in stack) else "table cell"
            text = re.sub(r"(?<!\\)\|", r"\\|", text)  # the table reader unescapes '\|': put back as typed
        elif parent is not None and parent.type == "dt_open":
            comment = "definition term"
        else:
            comment = self._paragraph_comment(stack, note)
            if _lone_image(children):
                self._image(children, text, comment, context, line, out, figure=not (parent and parent.hidden))
                return
        if text and _has_words(children):
            cell = comment.startswith("table")
            span = self._span(token, text if cell else token.content, line, cell, len(text) if "heading" in comment
                              else None)
            out.append(Slice(text, comment, context, line + 1, span, "cell" if cell else "text"))
        if not note:  # pandoc leaves out a note in a note
            out += [_NoteRef(c.meta["label"]) for c in children if c.type == "footnote_ref"]

    def _span(self, token: Token, typed: str, line: int, cell: bool, length: int | None = None) -> tuple[int, int] | None:
        """Where an inline's text is in the master: from its first character to its last, across its lines."""
        if not token.map or line >= len(self.lines):
            return None
        parts = typed.split("\n")
        source = self.lines[line]
        col = source.find(parts[0], self.cells.get(line, 0) if cell else 0)
        if col < 0 or not parts[0]:
            return None
        start = self.starts[line] + col
        if length is not None and len(parts) == 1:  # a heading's text, without its attributes
            return start, start + length
        last = line + len(parts) - 1
        if last >= len(self.lines):
            return None
        end_col = (col + len(parts[0])) if len(parts) == 1 else self.lines[last].find(parts[-1])
        if end_col < 0:
            return None
        if len(parts) > 1:
            end_col += len(parts[-1])
        if cell:
            self.cells[line] = end_col
        return start, self.starts[last] + end_col

    def _paragraph_comment(self, stack: list[Token], note: bool) -> str:
        depth = sum(t.type in ("bullet_list_open", "ordered_list_open") for t in stack)
        for t in reversed(stack):
            if t.type == "list_item_open":
                return "list item" if depth == 1 else f"nested list item (level {depth})"
            if t.type == "blockquote_open" and not t.meta.get("alert"):
                return "block quote"
            if t.type == "dd_open":
                return "definition"
        return "footnote" if note else "paragraph"

    def _image(self, children: list[Token], text: str, comment: str, context: str | None, line: int,
               out: list[Slice], figure: bool) -> None:
        image = next(t for t in children if t.type == "image")
        alt = _alt_as_typed(text)
        title = image.attrGet("title") or ""
        words = _has_words(image.children or [])
        source = self.lines[line] if line < len(self.lines) else ""
        at = source.find("![" + alt)
        alt_span = (self.starts[line] + at + 2, self.starts[line] + at + 2 + len(alt)) if at >= 0 else None
        if figure and words:
            out.append(Slice(alt, "figure caption", context, line + 1, alt_span))
        if words:
            out.append(Slice(alt, "image alt text", context, line + 1, alt_span))
        if any(ch.isalpha() for ch in str(title)):
            quoted = re.search(r"""(["'])((?:\\.|(?!\1).)*)\1\)""", source[at:]) if at >= 0 else None
            span = (self.starts[line] + at + quoted.start(2), self.starts[line] + at + quoted.end(2)) if quoted else None
            out.append(Slice(str(title), "image title", context, line + 1, span, "title"))


def _alert(tokens: list[Token], i: int) -> bool:
    """A block quote that opens with ``[!NOTE]`` (and the like) is pandoc's alert div: marked, the marker taken
    out of its first paragraph."""
    if i + 2 >= len(tokens) or tokens[i + 2].type != "inline":
        return False
    first = tokens[i + 2]
    head, _, rest = first.content.partition("\n")
    kind = re.fullmatch(r"\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\][ \t]*", head)
    if kind:
        tokens[i].meta["alert"] = kind.group(1).capitalize()
        first.content = rest
        first.children = _MD.parseInline(rest)[0].children if rest else []
        if first.map:
            first.map = [first.map[0] + 1, first.map[1]]
    return bool(kind)


def _as_typed(content: str, keep_lines: bool = False) -> str:
    """An inline's source text on one line: soft breaks as spaces; a hard break kept, as a backslash break.
    With ``keep_lines`` (a link title that runs over lines, which would change if joined) every line is kept."""
    lines = content.split("\n")
    if keep_lines:
        return "\n".join(line.strip() if i else line.rstrip() for i, line in enumerate(lines))
    out = ""
    for i, line in enumerate(lines):
        last = i == len(lines) - 1
        stripped = line.strip() if i else line.rstrip()
        if not last and (line.endswith("  ") or stripped.endswith("\\")):
            out += stripped.rstrip("\\").rstrip() + "\\\n"
        else:
            out += stripped + ("" if last else " ")
    return out


def _alt_as_typed(text: str) -> str:
    """The alt text of a lone image, as typed between ``![`` and its ``](``."""
    depth, start = 0, text.find("![") + 2
    for i in range(start, len(text)):
        ch = text[i]
        if ch == "\\":
            continue
        if ch == "[" and text[i - 1] != "\\":
            depth += 1
        elif ch == "]" and text[i - 1] != "\\":
            if depth == 0:
                return text[start:i]
            depth -= 1
    return text[start:]


def _lone_image(children: list[Token]) -> bool:
    """Whether a paragraph is one picture (pandoc's implicit figure), attributes (``{width=50%}``) allowed."""
    kinds = [t for t in children if t.type != "softbreak" and not (t.type == "text" and (
        not t.content.strip() or re.fullmatch(r"\s*\{[^{}]*\}\s*", t.content)))]
    return len(kinds) == 1 and kinds[0].type == "image"


def _prose(children: list[Token]) -> Iterator[str]:
    """The prose of inline tokens: not code, not a URL shown as its own link text, not footnote references."""
    link: Token | None = None
    shown: list[str] = []
    for token in children:
        if token.type == "link_open":
            link, shown = token, []
        elif token.type == "link_close" and link is not None:
            text, href = "".join(shown), link.attrGet("href") or ""
            if text != href and f"mailto:{text}" != href:
                yield text
            link = None
        elif token.type == "text":
            if link is not None:
                shown.append(token.content)
            else:
                yield token.content
        elif token.type == "image":
            yield from _prose(token.children or [])


def _has_words(children: list[Token]) -> bool:
    return any(any(ch.isalpha() for ch in text) for text in _prose(children))


# --- agreement with pandoc ----------------------------------------------------------------------------------

def _letters(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


#: In the text pandoc shows differently: a span's attributes, footnote references, reference labels, emoji codes.
_NOT_SHOWN = re.compile(r"(?<=\])\{[^{}]*\}|\[\^[^\]]*\]|(?<=\])\[[^\]]*\]|:[a-z_+-][a-z0-9_+-]*:")


def plain(msgid: str) -> str:
    """The text a slice shows, for comparison with pandoc's reading: markup and code marks, URLs, attributes,
    footnote references and reference labels left out."""
    tokens = _MD.parseInline(msgid)[0].children or []
    parts: list[str] = []
    for i, token in enumerate(tokens):
        if token.type == "text":
            text = token.content
            if i and tokens[i - 1].type in ("link_close", "image", "code_inline"):
                text = re.sub(r"^\{[^{}]*\}", "", text)
            parts.append(_NOT_SHOWN.sub("", text))
        elif token.type in ("code_inline", "math_inline", "math_inline_double"):
            parts.append(token.content)
        elif token.type == "image":
            parts.append("".join(t.content for t in token.children or [] if t.type in ("text", "code_inline")))
        elif token.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts)


def disagreement(found: list[Slice], segs: list[Segment]) -> tuple[int, str] | None:
    """Where the slices and pandoc's segments of one file differ (a line and what differs), or None."""
    for i, (piece, seg) in enumerate(zip(found, segs, strict=False)):
        shown = stringify(seg.get()) if seg.kind == "inlines" else str(seg.get())
        if piece.comment != seg.comment or piece.context != seg.context:
            return piece.line, f"block {i + 1} is a {piece.comment} here, a {seg.comment} to pandoc"
        if _letters(plain(piece.msgid)) != _letters(shown):
            return piece.line, f"block {i + 1} reads '{plain(piece.msgid)[:60]}' here, '{shown[:60]}' to pandoc"
    if len(found) != len(segs):
        line = found[len(segs)].line if len(found) > len(segs) else (found[-1].line if found else 1)
        return line, f"{len(found)} messages here, {len(segs)} to pandoc"
    return None
