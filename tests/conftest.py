"""Shared fixtures: example projects live in folders under tests/roots/ and are copied before use."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOTS = Path(__file__).parent / "roots"


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
