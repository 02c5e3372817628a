"""The release's own error."""

from __future__ import annotations

from ..errors import CopDocsError


class ReleaseError(CopDocsError):
    """The release cannot be made; the last good release is left as it was."""
