"""The caches: one version for all (the code and the tools), files trusted by their stamps only once settled,
atomic writes that keep a file's mode."""

from __future__ import annotations

import json
import os
import stat
import time
from pathlib import Path

import pytest
from conftest import run_cli

from cop_docs import cache, checks, config, files
from cop_docs.release import lock


def _age(path: Path, seconds: int = 60) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


def test_version_covers_code_and_tools() -> None:
    assert len(cache.version()) == 20
    assert {"cop-docs", "pypandoc-binary", "weasyprint", "babel"} <= set(cache.tool_versions())
    assert Path(cache.__file__).resolve() in cache.package_files()
    assert any(p.suffix == ".css" for p in cache.package_files())  # the themes too


def test_json_kept_under_another_version_is_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "x.json"
    assert cache.write_json(path, {"a": 1}) and cache.read_json(path) == {"a": 1}
    monkeypatch.setattr(cache, "version", lambda: "another")
    assert cache.read_json(path) is None
    (tmp_path / "file").write_text("")
    assert not cache.write_json(tmp_path / "file" / "x.json", 1)  # cannot be written: only time is lost


def test_file_hashes_trust_a_stamp_only_once_settled(tmp_path: Path) -> None:
    path = tmp_path / "out.pdf"
    path.write_bytes(b"one")
    hashes = cache.FileHashes(tmp_path / "hashes.json")
    first = hashes(path)
    assert str(path) not in hashes.known  # written just now: another write in the same tick could go unseen
    path.write_bytes(b"two")  # same size, maybe the same mtime
    assert hashes(path) != first
    _age(path)
    settled = hashes(path)
    hashes.save()
    again = cache.FileHashes(tmp_path / "hashes.json")
    assert again.known[str(path)][2] == settled and again(path) == settled
    assert hashes(tmp_path / "none") == "missing"


def test_checks_cache_does_not_survive_a_change_to_the_code(basic: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = config.load(basic / "cop-docs.yaml")
    store = basic / "build/.cache/checks.json"
    real = checks.check_project(project, cache=store)
    known = json.loads(store.read_text(encoding="utf-8"))
    planted = {"path": "x.po", "line": 1, "check": "planted", "severity": "error", "message": "m",
               "explanation": "e", "msgid": "i"}
    for entry in known.values():
        entry["problems"] = [planted]
    store.write_text(json.dumps(known), encoding="utf-8")
    assert any(p.check == "planted" for p in checks.check_project(project, cache=store))  # the cache answers
    monkeypatch.setattr(checks, "cache_version", lambda: "another")
    again = checks.check_project(project, cache=store)
    assert not any(p.check == "planted" for p in again) and len(again) == len(real)


def test_release_lock_is_checked_again_after_a_change_to_the_code(basic: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    project = config.load(basic / "cop-docs.yaml")
    before = lock.catalog_state(project)
    assert lock.catalog_state(project) == before
    monkeypatch.setattr(cache, "version", lambda: "another")
    assert lock.catalog_state(project) != before


def test_atomic_write_keeps_the_mode_and_leaves_nothing_behind(tmp_path: Path) -> None:
    path = tmp_path / "fr.po"
    files.write_atomic(path, "one")
    assert stat.S_IMODE(path.stat().st_mode) == files.NEW_FILE_MODE
    os.chmod(path, 0o640)
    files.write_atomic(path, b"two")
    assert stat.S_IMODE(path.stat().st_mode) == 0o640 and path.read_text() == "two"

    def fail(tmp: Path) -> None:
        tmp.write_text("half")
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        files.write_with(path, fail)
    assert path.read_text() == "two" and sorted(p.name for p in tmp_path.iterdir()) == ["fr.po"]


def test_relative_paths() -> None:
    root = Path("/project")
    assert files.relative(Path("/project/sources/a.md"), root) == "sources/a.md"
    assert files.relative("/elsewhere/b.md", root) == "/elsewhere/b.md"


def test_the_sources_cache_keeps_one_version_of_each_master(basic: Path) -> None:
    """An edit replaces the master's cache entries instead of adding two files each time."""
    master = basic / "sources/sample.md"
    cache = basic / "build/.cache/sources"
    assert run_cli("-C", str(basic), "build", "--lang", "en", "--format", "pdf").returncode == 0
    before = sorted(p.name for p in cache.iterdir())
    assert len(before) == 2  # the messages and pandoc's AST of the one master
    for word in ("weekly", "daily", "often"):
        master.write_text(master.read_text(encoding="utf-8").replace("every week", f"every week, {word}"),
                          encoding="utf-8")
        assert run_cli("-C", str(basic), "build", "--lang", "en", "--format", "pdf").returncode == 0
    after = sorted(p.name for p in cache.iterdir())
    assert len(after) == 2 and not set(after) & set(before)
