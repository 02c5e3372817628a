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

from .. import cache
from ..errors import CatalogError
from ..files import write_atomic
from . import po

#: Header fields that change on every extraction and say nothing about the messages.
VOLATILE = ("POT-Creation-Date",)
_CREATION_DATE = re.compile(r'^"POT-Creation-Date: [^"\\]*\\n"\n', re.MULTILINE)


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

    ``memo_path`` keeps each entry's wrapped text between runs (see :func:`po.dumps`), so that a template with
    a few changed messages is written without wrapping the others again; and, beside it, what the file held
    when this tool last wrote or read it, by its size and time: while the file keeps them, it need not be read
    to know what it says."""
    digest = hashlib.sha256(repr(template.content(ignore=VOLATILE)).encode()).hexdigest()
    known = _known_template(path, memo_path)
    if known is not None and known == digest:
        return False
    memo = _load_memo(memo_path)
    remembered = len(memo)
    text = po.dumps(template, memo)
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
        if len(memo) > 1.2 * (len(template.entries) + 1):  # what no entry needs any more is forgotten, now and then
            used = po.entry_texts(template)
            memo = {k: v for k, v in memo.items() if k in used}
        if len(memo) != remembered:
            cache.write_json(memo_path, memo)
        _remember_template(path, memo_path, digest)
    return changed


def _written_path(memo_path: Path) -> Path:
    return memo_path.with_name(memo_path.name.removesuffix(".json") + ".held.json")


def _known_template(path: Path, memo_path: Path | None) -> str | None:
    """The digest of what the template holds, when the file is as this tool last saw it (same size and time,
    and that time older than the clock's tick: see :func:`cache.settled`); None when it must be read."""
    if memo_path is None:
        return None
    held = cache.read_json(_written_path(memo_path))
    current = cache.stamp(path)
    if not isinstance(held, dict) or current is None or held.get("stamp") != current:
        return None
    return held.get("digest") if held.get("settled") else None


def _remember_template(path: Path, memo_path: Path, digest: str) -> None:
    current = cache.stamp(path)
    if current is not None:
        cache.write_json(_written_path(memo_path), {"stamp": current, "digest": digest,
                                                    "settled": cache.settled([current], time.time_ns())})


def _load_memo(path: Path | None) -> dict[str, str]:
    memo = cache.read_json(path) if path is not None else None
    return memo if isinstance(memo, dict) else {}


def save(path: Path, catalog: po.Catalog, old: po.Catalog | None = None) -> bool:
    """Write a PO file unless it already says the same (``old``: the catalog read from it, when known).
    Returns whether the file was written."""
    current = old if old is not None else _current(path)
    if current is not None and current.content() == catalog.content():
        return False
    write_atomic(path, po.dumps(catalog))
    return True
