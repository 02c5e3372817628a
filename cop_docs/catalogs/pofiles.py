"""PO and POT files on disk: written only when what they say changed, and atomically.

In: paths, and :class:`~cop_docs.catalogs.po.Catalog` objects. Out: files written atomically (a temporary file
renamed into place, so an interrupted write never leaves half a catalog), in GNU gettext's layout.

Whether a file needs writing is decided on its parsed content, never its bytes: a catalog that Poedit, Weblate,
``msgcat`` or polib re-wrapped says the same thing and is left alone. A template is rewritten only when its
messages changed, so its ``POT-Creation-Date`` moves only then.
"""

from __future__ import annotations

import hashlib
import re
import time
from pathlib import Path

from .. import cache, files
from ..errors import CatalogError
from ..files import write_atomic
from . import po

#: Header fields that change on every extraction and say nothing about the messages.
VOLATILE = ("POT-Creation-Date",)
_CREATION_DATE = re.compile(r'^"POT-Creation-Date: [^"\\]*\\n"\n', re.MULTILINE)
_UNWRAPPED_DATE = re.compile(r"POT-Creation-Date: [^\\]*\\n")  # in an entry's one-line text


def read(path: Path) -> po.Catalog:
    """Read a PO or POT file (see :func:`cop_docs.catalogs.po.read`)."""
    return po.read(path)


def _current(path: Path) -> po.Catalog | None:
    """The catalog a file holds now; None when there is none, or none that can be read (it is replaced)."""
    if not path.exists():
        return None
    try:
        return po.read(path)
    except CatalogError:
        return None


def template_is_current(path: Path, template: po.Catalog) -> bool:
    """Whether a POT file already holds these messages (its creation date aside)."""
    current = _current(path)
    return current is not None and current.content(ignore=VOLATILE) == template.content(ignore=VOLATILE)


def write_template(path: Path, template: po.Catalog, memo_path: Path | None = None) -> bool:
    """Write a POT unless it already holds these messages. Returns whether the file was written.

    ``memo_path`` keeps each entry's wrapped text between runs (see :class:`WrapMemo`), so that a template with
    a few changed messages is written without wrapping the others again; and, beside it, what the file held
    when this tool last wrote or read it: while the file is as it was, it need not be read to know what it says."""
    entries = po.blocks(template)
    digest = _digest(entries)
    known = _known_template(path, memo_path)
    if known is not None and known == digest:
        return False
    memo = WrapMemo(memo_path)
    text = po.wrap(entries, memo.texts)
    if known is not None:  # the file holds other messages: no need to read it
        changed = True
    else:
        try:
            same_bytes = _CREATION_DATE.sub("", path.read_text(encoding="utf-8")) == _CREATION_DATE.sub("", text)
        except (OSError, UnicodeDecodeError):
            same_bytes = False
        changed = not same_bytes and not template_is_current(path, template)  # another tool may have re-wrapped it
    if changed:
        write_atomic(path, text)
    if memo_path is not None:
        memo.save({entry for _, entry in entries})
        _remember_template(path, memo_path, digest, text if changed else None)
    return changed


def _digest(entries: list[tuple[int, str]]) -> str:
    """What a template's entries say, its creation date aside, as a SHA-256."""
    h = hashlib.sha256()
    for kind, text in entries:
        h.update((_UNWRAPPED_DATE.sub("", text) if kind == po.HEADER else text).encode("utf-8") + b"\0")
    return h.hexdigest()


class WrapMemo:
    """The wrapped text of a template's entries, kept between runs (unwrapped text → wrapped text).

    The base file is rewritten only when the entries wrapped since it was written outgrow an eighth of it; until
    then they go to a small file beside it. Rewriting twenty thousand entries for one edited message would take
    longer than the rest of the extraction. What no entry uses any more is forgotten when the base is rewritten."""

    def __init__(self, path: Path | None):
        self.path = path
        base = cache.read_json(path) if path is not None else None
        recent = cache.read_json(self._recent_path) if path is not None else None
        self.base: dict[str, str] = _unpacked(base) if isinstance(base, dict) else {}
        recent = _unpacked(recent) if isinstance(recent, dict) else {}
        self._recent_count = len(recent)
        self.texts = {**self.base, **recent}

    @property
    def _recent_path(self) -> Path:
        assert self.path is not None
        return self.path.with_name(self.path.name.removesuffix(".json") + ".recent.json")

    def save(self, used: set[str]) -> None:
        """Keep the texts; ``used``: the unwrapped texts of the template's entries now."""
        if self.path is None:
            return
        recent = {k: v for k, v in self.texts.items() if k not in self.base}
        if len(recent) == self._recent_count:
            return
        if 8 * len(recent) < len(self.base):
            cache.write_json(self._recent_path, _packed(recent))
        else:
            if cache.write_json(self.path, _packed({k: v for k, v in self.texts.items() if k in used})):
                self._recent_path.unlink(missing_ok=True)  # a cache that cannot be written only costs time


def _packed(texts: dict[str, str]) -> dict[str, str]:
    """Texts as kept on disk: an entry that wrapping leaves as it is (most short ones) is kept as ""."""
    return {k: "" if v == k else v for k, v in texts.items()}


def _unpacked(kept: dict) -> dict[str, str]:
    return {k: v or k for k, v in kept.items()}


def _written_path(memo_path: Path) -> Path:
    return memo_path.with_name(memo_path.name.removesuffix(".json") + ".held.json")


def _known_template(path: Path, memo_path: Path | None) -> str | None:
    """The digest of what the template holds, when the file is as this tool last saw it; None when it must be
    parsed. Same size and time, with that time older than the clock's tick (see :func:`cache.settled`), is
    enough; a file written within the last tick is known by the SHA-256 of its bytes instead."""
    if memo_path is None:
        return None
    held = cache.read_json(_written_path(memo_path))
    current = cache.stamp(path)
    if not isinstance(held, dict) or current is None or held.get("stamp") != current:
        return None
    if held.get("settled"):
        return held.get("digest")
    try:
        return held.get("digest") if files.sha256_file(path) == held.get("bytes") else None
    except OSError:
        return None


def _remember_template(path: Path, memo_path: Path, digest: str, text: str | None) -> None:
    """Keep what the template holds by its stamp, and by the hash of its bytes when this tool wrote them
    (``text``) or read them."""
    current = cache.stamp(path)
    if current is None:
        return
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest() if text is not None else files.sha256_file(path)
    cache.write_json(_written_path(memo_path), {"stamp": current, "digest": digest, "bytes": sha,
                                                "settled": cache.settled([current], time.time_ns())})


def save(path: Path, catalog: po.Catalog, old: po.Catalog | None = None) -> bool:
    """Write a PO file unless it already says the same (``old``: the catalog read from it, when known).
    Returns whether the file was written."""
    current = old if old is not None else _current(path)
    if current is not None and current.content() == catalog.content():
        return False
    write_atomic(path, po.dumps(catalog))
    return True
