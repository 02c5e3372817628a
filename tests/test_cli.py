"""The command line: help on every command, one-line errors with exit status 2, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_cli


@pytest.mark.parametrize("command", ["extract", "update", "build", "md2pot", "po2md"])
def test_every_command_has_help(command: str) -> None:
    result = run_cli(command, "--help")
    assert result.returncode == 0
    assert "usage: cop-docs" in result.stdout


def test_broken_catalog_is_one_line_with_file_and_line(basic: Path) -> None:
    po = basic / "translations/sample/fr.po"
    lines = po.read_text(encoding="utf-8").splitlines()
    broken = next(i for i, t in enumerate(lines) if t.startswith("msgstr ") and i > 20)
    lines[broken] = 'msgstr "unterminated'
    po.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_cli("-C", str(basic), "build", "--lang", "fr", "--format", "pdf")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert f"translations/sample/fr.po:{broken + 1}:" in result.stderr
    # update refuses too, and the translator's file is left as it was
    before = po.read_bytes()
    assert run_cli("-C", str(basic), "update").returncode == 2
    assert po.read_bytes() == before


def test_unknown_language_or_document(basic: Path) -> None:
    result = run_cli("-C", str(basic), "build", "--lang", "de")
    assert result.returncode == 2 and "no language 'de'" in result.stderr
    result = run_cli("-C", str(basic), "build", "--doc", "nope")
    assert result.returncode == 2 and "no document 'nope'" in result.stderr


def test_no_project_here(tmp_path: Path) -> None:
    result = run_cli("build", cwd=tmp_path)
    assert result.returncode == 2 and "no cop-docs.yaml" in result.stderr


def test_source_that_is_not_utf8(basic: Path) -> None:
    (basic / "sources/sample.md").write_bytes(b"# Title\n\nCaf\xe9\n")
    result = run_cli("-C", str(basic), "extract")
    assert result.returncode == 2
    assert "sources/sample.md:3: source is not valid UTF-8" in result.stderr


@pytest.mark.parametrize("command", [["extract"], ["update"], ["coverage"], ["check"], ["gate"], ["matrix"],
                                     ["md2pot", "sources/sample.md", "-o", "x.pot"],
                                     ["po2md", "sources/sample.md", "translations/sample/fr.po", "-o", "x.md"],
                                     ["migrate-msgids"]])
def test_every_command_prints_its_result_as_json(basic: Path, command: list[str]) -> None:
    import json

    result = run_cli("-C", str(basic), *command, "--json", cwd=basic)
    assert result.returncode in (0, 1), result.stderr  # check and gate exit 1 on what they find
    data = json.loads(result.stdout)
    if command[0] != "matrix":  # the matrix is GitHub's format
        assert data["command"] == command[0]
    if command[0] in ("extract", "update"):
        written = "sample.pot" if command[0] == "extract" else "fr.po"
        assert any(row["path"] == f"translations/sample/{written}" for row in data["files"])
    if command[0] in ("md2pot", "po2md"):
        assert data["files"] == [command[-1]] and (basic / command[-1]).is_file()


def test_json_of_a_file_writer_needs_an_output(basic: Path) -> None:
    result = run_cli("md2pot", str(basic / "sources/sample.md"), "--json")
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "-o/--output" in result.stderr


def test_clean_removes_caches_and_with_all_the_outputs(basic: Path) -> None:
    (basic / "build/.cache/stamps").mkdir(parents=True)
    (basic / "build/.cache/coverage.json").write_text("{}")
    (basic / "build/fr").mkdir()
    (basic / "build/fr/sample.fr.pdf").write_bytes(b"%PDF")
    (basic / "build/notes.txt").write_text("mine")
    result = run_cli("-C", str(basic), "clean")
    assert result.returncode == 0 and "removed build/.cache/" in result.stdout
    assert not (basic / "build/.cache").exists() and (basic / "build/fr/sample.fr.pdf").exists()
    result = run_cli("-C", str(basic), "clean", "--all")
    assert result.returncode == 0 and "removed build/fr/" in result.stdout
    assert not (basic / "build/fr").exists() and (basic / "build/notes.txt").read_text() == "mine"
    assert (basic / "sources").is_dir() and (basic / "translations").is_dir()
    assert run_cli("-C", str(basic), "clean").stdout.strip() == "nothing to remove"
