"""Reading and writing PO and POT files.

In: paths, or :class:`polib.POFile` objects. Out: parsed catalogs, or files on disk written atomically
(a temporary file renamed into place, so an interrupted write never leaves half a catalog). A POT is only
rewritten when its messages changed, and its ``POT-Creation-Date`` moves only then.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
import textwrap
import time
from dataclasses import dataclass, field
from pathlib import Path

import polib

from ..errors import CatalogError

_LINE_IN_ERROR = re.compile(r"line (\d+)")
_MSGFMT_ERROR = re.compile(r"^(.*?):(\d+):(?:\d+:)? (.*)$")
_CREATION_DATE = re.compile(r'^"POT-Creation-Date: [^"\\]*\\n"\n', re.MULTILINE)


def read(path: Path) -> polib.POFile:
    """Parse a PO or POT file; a syntax error names the file and line.

    polib silently accepts some broken files (an unterminated string, say), so GNU msgfmt, the reference
    parser, checks the file first and its first complaint becomes the error.
    """
    check(path)
    try:
        return polib.pofile(str(path), encoding="utf-8", wrapwidth=78)
    except OSError as exc:
        if exc.strerror:  # a real I/O error; polib reports syntax errors as OSError without errno
            raise CatalogError(f"cannot read catalog: {exc.strerror}", path) from None
        return _syntax_error(path, exc)
    except (ValueError, UnicodeDecodeError) as exc:
        return _syntax_error(path, exc)


def check(path: Path) -> None:
    """Raise a CatalogError with msgfmt's first complaint if GNU gettext rejects the file."""
    try:
        result = subprocess.run(["msgfmt", "--check-format", "-o", os.devnull, str(path)],
                                capture_output=True, text=True, env={**os.environ, "LC_ALL": "C.UTF-8"})
    except FileNotFoundError:
        raise CatalogError("GNU gettext's msgfmt is needed to check catalogs (install gettext)", path) from None
    if result.returncode == 0:
        return
    found = [(int(m.group(2)), m.group(3).strip()) for line in result.stderr.splitlines()
             if (m := _MSGFMT_ERROR.match(line)) and m.group(1) == str(path)]
    # msgfmt counts the newline that ends an unterminated string, naming the line after it.
    found = [(n - 1 if message == "end-of-line within string" else n, message) for n, message in found]
    if found:
        line, message = min(found)
        raise CatalogError(message, path, line)
    raise CatalogError(result.stderr.strip().splitlines()[0] if result.stderr.strip() else "msgfmt rejects this file", path)


def _syntax_error(path: Path, exc: Exception) -> polib.POFile:
    message = str(exc)
    m = _LINE_IN_ERROR.search(message)
    message = message.split("(line")[0].replace(f"{path}", "").strip(" :") or "cannot parse catalog"
    raise CatalogError(message, path, int(m.group(1)) if m else None) from None


def timestamp() -> str:
    """The time to record in a catalog header: ``SOURCE_DATE_EPOCH`` if set, else now (UTC)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = time.gmtime(int(epoch)) if epoch and epoch.isdigit() else time.gmtime()
    return time.strftime("%Y-%m-%d %H:%M+0000", moment)


def text_of(catalog: polib.POFile) -> str:
    return str(catalog) + "\n"


WRAP = 78


def template_text(metadata: dict[str, str], entries: list[TemplateEntry],
                  memo: dict[str, str] | None = None) -> str:
    """A POT file's text, exactly as polib writes it (so POT and PO files look alike), but fast.

    polib builds an object per entry and wraps every long field with textwrap: on a large source set that
    was most of the time of an extraction. Here short fields are written directly, and a long msgid is
    wrapped by polib once and then taken from ``memo`` (kept between runs by the caller), so a
    re-extraction only wraps the messages that changed.
    """
    header = polib.POFile(wrapwidth=WRAP)
    header.metadata = metadata
    memo = {} if memo is None else memo
    parts = [str(header)]
    for e in entries:
        comment = e.comment
        if comment and len(comment) < WRAP - 3 and "\n" not in comment:  # the common case, written directly
            lines = [f"#. {comment}"]
        else:
            lines = _comment_lines("#. ", comment)
        lines += _reference_lines(e.occurrences)
        if e.msgctxt is not None:
            lines += _field_lines("msgctxt", e.msgctxt, memo)
        lines += _field_lines("msgid", e.msgid, memo)
        lines.append('msgstr ""\n')
        parts.append("\n".join(lines))
    return "\n".join(parts) + "\n"


def _comment_lines(prefix: str, comment: str) -> list[str]:
    lines = []
    for line in comment.split("\n") if comment else []:
        if len(line) + len(prefix) > WRAP:  # as polib (and xgettext) wrap comments
            lines += textwrap.wrap(line, WRAP, initial_indent=prefix, subsequent_indent=prefix, break_long_words=False)
        else:
            lines.append(prefix + line)
    return lines


def _reference_lines(occurrences: list[tuple[str, int]]) -> list[str]:
    refs = " ".join(f"{path}:{line}" for path, line in occurrences)
    if not refs:
        return []
    if len(refs) + 3 <= WRAP:
        return [f"#: {refs}"]
    # as polib: hyphens are protected so that textwrap breaks between references only
    wrapped = textwrap.wrap(refs.replace("-", "*"), WRAP, initial_indent="#: ", subsequent_indent="#: ",
                            break_long_words=False)
    return [line.replace("*", "-") for line in wrapped]


def _field_lines(name: str, value: str, memo: dict[str, str]) -> list[str]:
    if len(value) <= WRAP - len(name) - 3 and "\n" not in value and "\r" not in value:
        return [f'{name} "{polib.escape(value)}"']  # fits on its line: what polib writes without wrapping
    key = f"{name}\0{value}"
    text = memo.get(key)
    if text is None:
        text = memo[key] = "\n".join(polib.POEntry()._str_field(name, "", "", value, WRAP))
    return [text]


@dataclass
class TemplateEntry:
    """One message of a template: what polib's POEntry holds for a POT, without its cost."""

    msgctxt: str | None
    msgid: str
    comment: str
    occurrences: list[tuple[str, int]] = field(default_factory=list)


def write_atomic(path: Path, text: str) -> None:
    """Write a text file so that readers see either the old or the new content, never a mix."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def without_creation_date(text: str) -> str:
    """A template's text without its creation date, which changes on every extraction."""
    return _CREATION_DATE.sub("", text)


def write_template(path: Path, new: str) -> bool:
    """Write a POT's text unless only its creation date would change. Returns whether the file was written."""
    try:
        old = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        old = None
    if old is not None and without_creation_date(old) == without_creation_date(new):
        return False
    write_atomic(path, new)
    return True


def save(path: Path, catalog: polib.POFile) -> bool:
    """Write a PO file if its text changed. Returns whether the file was written."""
    new = text_of(catalog)
    try:
        if path.read_text(encoding="utf-8") == new:
            return False
    except (OSError, UnicodeDecodeError):
        pass
    write_atomic(path, new)
    return True
