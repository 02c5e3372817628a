"""PO and POT files on disk: written only when what they say changed, and atomically.

In: paths, and :class:`~cop_docs.catalogs.po.Catalog` objects. Out: files written atomically (a temporary file
renamed into place, so an interrupted write never leaves half a catalog), in GNU gettext's layout.

Whether a file needs writing is decided on its parsed content, never its bytes: a catalog that Poedit, Weblate,
``msgcat`` or polib re-wrapped says the same thing and is left alone. A template is rewritten only when its
messages changed, so its ``POT-Creation-Date`` moves only then.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import time
from pathlib import Path

from ..errors import CatalogError
from . import po

#: Header fields that change on every extraction and say nothing about the messages.
VOLATILE = ("POT-Creation-Date",)
_CREATION_DATE = re.compile(r'^"POT-Creation-Date: [^"\\]*\\n"\n', re.MULTILINE)


def read(path: Path) -> po.Catalog:
    """Read a PO or POT file (see :func:`cop_docs.catalogs.po.read`)."""
    return po.read(path)


def timestamp() -> str:
    """The time to record in a catalog header: ``SOURCE_DATE_EPOCH`` if set, else now (UTC)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = time.gmtime(int(epoch)) if epoch and epoch.isdigit() else time.gmtime()
    return time.strftime("%Y-%m-%d %H:%M+0000", moment)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


#: The mode a new file gets (what the umask allows of rw-rw-rw-); mkstemp's own is 0600.
NEW_FILE_MODE = 0o666 & ~_umask()
#: Leftovers of an interrupted write are removed by a later run once they are this old (another run may be writing).
LEFTOVER_SECONDS = 600


def write_atomic(path: Path, text: str) -> None:
    """Write a text file so that readers see either the old or the new content, never a mix. The file keeps its
    mode (a new one gets the umask's)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.is_dir():
        raise CatalogError("a folder stands where this file should be written", path)
    try:
        mode = path.stat().st_mode & 0o7777
    except FileNotFoundError:
        mode = NEW_FILE_MODE
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def remove_leftovers(folder: Path, suffix: str = ".tmp") -> int:
    """Remove what interrupted writes left in a folder (``.<name>.<random><suffix>``), once they are old enough
    not to be another run's work in progress. Returns how many were removed."""
    removed = 0
    cutoff = time.time() - LEFTOVER_SECONDS
    for path in folder.glob(f".*{suffix}") if folder.is_dir() else ():
        try:
            if path.is_file() and path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
        except OSError:
            continue
    return removed


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
    a few changed messages is written without wrapping the others again."""
    memo = _load_memo(memo_path)
    known = len(memo)
    text = po.dumps(template, memo)
    try:
        same_bytes = _CREATION_DATE.sub("", path.read_text(encoding="utf-8")) == _CREATION_DATE.sub("", text)
    except (OSError, UnicodeDecodeError):
        same_bytes = False
    changed = not same_bytes and not template_is_current(path, template)  # another tool may have re-wrapped it
    if changed:
        write_atomic(path, text)
    if memo_path is not None and len(memo) != known:
        used = po.entry_texts(template)  # what no entry needs any more is forgotten
        try:
            write_atomic(memo_path, json.dumps({k: v for k, v in memo.items() if k in used}, ensure_ascii=False))
        except OSError:
            pass  # a cache that cannot be written (a read-only build folder) only costs time
    return changed


def _load_memo(path: Path | None) -> dict[str, str]:
    if path is None:
        return {}
    try:
        memo = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return memo if isinstance(memo, dict) else {}


def save(path: Path, catalog: po.Catalog, old: po.Catalog | None = None) -> bool:
    """Write a PO file unless it already says the same (``old``: the catalog read from it, when known).
    Returns whether the file was written."""
    current = old if old is not None else _current(path)
    if current is not None and current.content() == catalog.content():
        return False
    write_atomic(path, po.dumps(catalog))
    return True
