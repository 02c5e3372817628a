"""Typed errors raised by the library.

Every error a user can cause carries the file (and line, where one is known) so the command line can print
one line such as ``cop-docs.yaml:12: languages[2].code: unknown language 'xx'`` and exit with status 2.
Library code raises these and never prints or exits.
"""

from __future__ import annotations

from pathlib import Path


class CopDocsError(Exception):
    """A problem in the user's project: configuration, sources, catalogs or the machine's setup."""

    def __init__(self, message: str, path: str | Path | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line

    def __reduce__(self):  # keep file and line when the error crosses from a build process
        return (type(self), (self.message, self.path, self.line))

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = f"{self.path}:{self.line}: " if self.line else f"{self.path}: "
        return f"{where}{self.message}"


class ConfigError(CopDocsError):
    """The project file (or a file it names, such as the glossary) is invalid."""

    @classmethod
    def collected(cls, path: str | Path, problems: list[tuple[int, str]]) -> ConfigError:
        """One error for several (line, message) problems: the first, with every one in ``problems``."""
        line, message = sorted(problems)[0]
        more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
        err = cls(message + more, path, line)
        err.problems = [cls(m, path, n) for n, m in sorted(problems)]
        return err


class SourceError(CopDocsError):
    """A master Markdown source cannot be read or parsed."""


class CatalogError(CopDocsError):
    """A PO or POT file cannot be read or written."""


class RenderError(CopDocsError):
    """An output could not be produced (missing font, missing glyph, engine failure)."""
