"""Weblate: the shipped set-up matches the project, and the writers Weblate and other tools use re-save the
catalogs as cop-docs writes them."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from conftest import REPO, run_cli
from translate.storage import pypo

from cop_docs import config
from cop_docs.catalogs import po
from cop_docs.checks import CHECKS
from cop_docs.exchange import weblate


@pytest.fixture(scope="module")
def project() -> config.Project:
    return config.load(REPO / "cop-docs.yaml", remember=False)


def _catalogs() -> list[Path]:
    return sorted((REPO / "translations").rglob("*.po")) + sorted((REPO / "translations").rglob("*.pot"))


def test_the_shipped_setup_is_what_the_project_file_says(project: config.Project) -> None:
    """weblate/ is generated: after adding a document, `cop-docs weblate` writes it again."""
    for name, text in weblate.files(project).items():
        assert (REPO / weblate.FOLDER / name).read_text(encoding="utf-8") == text, f"run cop-docs weblate ({name})"


def test_one_component_per_document_and_snippet_covering_every_catalog(project: config.Project) -> None:
    components = weblate.components(project)
    assert [c["slug"] for c in components] == [item.id for item in project.catalogs]
    for c in components:
        found = sorted(p.relative_to(REPO).as_posix() for p in REPO.glob(c["filemask"]))
        expected = sorted(project.po_path(project.catalog(c["slug"]), lang).relative_to(REPO).as_posix()
                          for lang in project.target_languages)
        assert found == expected
        assert (REPO / c["new_base"]).is_file() and c["file_format"] == "po" and c["template"] == ""


def test_discovery_finds_the_same_components_and_languages(project: config.Project) -> None:
    setup = weblate.discovery(project)["configuration"]
    match = re.compile(setup["match"])
    seen = set()
    for path in (REPO / "translations").rglob("*"):
        m = match.fullmatch(path.relative_to(REPO).as_posix())
        if m:
            seen.add((m["component"], m["language"]))
            assert (REPO / setup["new_base_template"].replace("{{ component }}", m["component"])).is_file()
    assert seen == {(item.id, lang.code) for item in project.catalogs for lang in project.target_languages}


def test_every_check_turned_off_is_one_cop_docs_makes() -> None:
    flags = [f.strip() for f in weblate.CHECK_FLAGS.split(",")]
    assert flags[0] == "md-text" and len(flags) == len(set(flags))
    for check, ours in weblate.REPLACED_CHECKS.items():
        assert f"ignore-{check}" in flags
        assert ours and all(name in CHECKS for name in ours), check


def test_the_command_writes_the_files_once(tmp_path: Path) -> None:
    root = tmp_path / "p"
    shutil.copytree(REPO, root, ignore=shutil.ignore_patterns("build", ".nox", ".venv", ".git", "weblate"))
    first = run_cli("-C", str(root), "weblate", "--json")
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout)["files"] == ["weblate/components.json", "weblate/discovery.json"]
    assert "wrote weblate/components.json" in first.stderr
    assert json.loads((root / "weblate/components.json").read_text(encoding="utf-8"))[0]["slug"] == "children-under-9"
    again = run_cli("-C", str(root), "weblate")
    assert again.returncode == 0 and "unchanged weblate/components.json" in again.stdout


@pytest.mark.parametrize("path", _catalogs(), ids=lambda p: p.relative_to(REPO / "translations").as_posix())
def test_translate_toolkit_resaves_every_catalog_unchanged(path: Path) -> None:
    """Weblate writes PO files through translate-toolkit's store: a catalog it saves is byte for byte ours."""
    data = path.read_bytes()
    assert bytes(pypo.pofile(data)) == data


def test_polib_changes_only_the_wrapping_which_msgcat_restores(tmp_path: Path) -> None:
    """polib wraps long lines its own way (not at GNU gettext's break opportunities): the catalog it saves says
    the same thing, and msgcat (or `cop-docs update`, which writes as msgcat does) gives our bytes back."""
    rewrapped = 0
    for path in sorted((REPO / "translations").rglob("*.po")):  # polib gives a template an empty "#" comment
        copy = tmp_path / path.name
        polib.pofile(str(path), wrapwidth=79).save(str(copy))
        if copy.read_bytes() != path.read_bytes():
            rewrapped += 1
        assert po.read(copy).content() == po.read(path).content()
        again = subprocess.run(["msgcat", str(copy)], capture_output=True, check=True).stdout
        assert again == path.read_bytes(), path
    assert rewrapped  # polib does re-wrap: the test would notice if it stopped doing so
