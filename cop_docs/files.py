"""Files on disk, written so that a reader never sees half of one: atomic writes, leftovers of interrupted
writes, paths shown relative to the project, and content hashes.

In: paths, and text, bytes or a function that writes a file. Out: the file in place, complete, with the mode the
file it replaces had (a new file gets the umask's); or, on any failure, the old file as it was and no temporary
file left behind.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from .errors import CopDocsError


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


#: The mode a new file gets (what the umask allows of rw-rw-rw-); mkstemp's own is 0600.
NEW_FILE_MODE = 0o666 & ~_umask()
#: Leftovers of an interrupted write are removed by a later run once they are this old (another run may be writing).
LEFTOVER_SECONDS = 600


def write_atomic(path: Path, content: str | bytes) -> None:
    """Write a file so that readers see either the old or the new content, never a mix. Text is written as
    UTF-8 with ``\\n`` line ends. The file keeps its mode (a new one gets the umask's)."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    write_with(path, lambda tmp: tmp.write_bytes(data), suffix=".tmp")


def write_with(path: Path, write: Callable[[Path], None], *, suffix: str = ".part", mode: int | None = None) -> None:
    """Have ``write`` make the file at a temporary path beside ``path``, then rename it into place. ``mode``:
    the file's mode (default: the mode of the file it replaces, else the umask's)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.is_dir():
        raise CopDocsError("a folder stands where this file should be written", path)
    if mode is None:
        try:
            mode = path.stat().st_mode & 0o7777
        except FileNotFoundError:
            mode = NEW_FILE_MODE
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=suffix, dir=path.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_folder(path: Path, write: Callable[[Path], None]) -> None:
    """Have ``write`` make a folder at a temporary path beside ``path``, then put it in place of the old one,
    which stays whole until the new one is complete."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent))
    try:
        write(tmp)
        os.chmod(tmp, 0o755)
        swap_in(tmp, path)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def swap_in(staging: Path, target: Path) -> None:
    """Put a complete folder in place of another: two renames, so the target is never half-written."""
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.partial-old")
        shutil.rmtree(old, ignore_errors=True)
        os.replace(target, old)
    os.replace(staging, target)
    if old:
        shutil.rmtree(old, ignore_errors=True)


def remove_leftovers(folder: Path, suffix: str = ".tmp") -> int:
    """Remove what interrupted writes left in a folder (``.<name>.<random><suffix>``), once they are old enough
    not to be another run's work in progress. Returns how many were removed."""
    removed = 0
    cutoff = time.time() - LEFTOVER_SECONDS
    for path in folder.glob(f".*{suffix}") if folder.is_dir() else ():
        try:
            if path.stat().st_mtime >= cutoff:
                continue
            if path.is_dir():  # a folder output that was being written
                shutil.rmtree(path)
            else:
                path.unlink()
            removed += 1
        except OSError:
            continue
    return removed


def relative(path: Path | str, root: Path) -> str:
    """A path as the project's messages show it: relative to ``root`` when it lies below it, else as given."""
    path = Path(path)
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        pass
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except (ValueError, OSError):
        return path.as_posix()


def sha256_file(path: Path) -> str:
    """The SHA-256 of a file's bytes, in hexadecimal."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def sha256_tree(path: Path) -> str:
    """The SHA-256 of a file, or of a folder: of its files' relative paths and contents, in sorted order."""
    if not path.is_dir():
        return sha256_file(path)
    h = hashlib.sha256()
    for file in sorted(p for p in path.rglob("*") if p.is_file()):
        h.update(f"{file.relative_to(path).as_posix()}\0{sha256_file(file)}\n".encode())
    return h.hexdigest()

