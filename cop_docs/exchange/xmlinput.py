"""Untrusted XML files (XLIFF, TMX) as lxml reads them: what went wrong, in one line.

In: the syntax error lxml raised while parsing a file. Out: libxml2's first message for it (the cause: a streamed
parse may raise a later consequence) and its line, for an error that names the file and line.
"""

from __future__ import annotations

from lxml import etree


def syntax_problem(exc: etree.XMLSyntaxError) -> tuple[str, int | None]:
    """The first problem libxml2 logged while parsing, without its position, and its line."""
    first = next(iter(exc.error_log), None)
    message, line = (first.message, first.line) if first is not None else (exc.msg, exc.lineno)
    message = ((message or "").strip().split("\n")[0] or "syntax error").split(", line ")[0]
    return message, line or None
