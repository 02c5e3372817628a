"""The format registry: every part of the tool asks it, and a format whose output is a folder builds, is stamped
and is replaced whole."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from cop_docs import config, formats, pipeline
from cop_docs.renderers import output_path, renderer


def test_the_registry_describes_pdf_and_epub_without_loading_an_engine() -> None:
    code = ("import sys; from cop_docs.formats import FORMATS; from cop_docs.renderers import output_path; "
            "print(sorted(FORMATS), 'weasyprint' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['epub', 'html', 'pdf'] False"
    assert formats.FORMATS["pdf"].paged and not formats.FORMATS["epub"].folder
    assert renderer("epub").name == "epub"


@pytest.fixture
def notes(monkeypatch: pytest.MonkeyPatch) -> formats.Format:
    fmt = formats.Format("notes", "Notes", "text/plain", "", "folder_format")
    monkeypatch.setitem(formats.FORMATS, "notes", fmt)
    return fmt


def test_a_format_whose_output_is_a_folder(basic: Path, notes: formats.Format) -> None:
    project = config.load(basic / "cop-docs.yaml")
    doc, fr = project.document("sample"), project.language("fr")
    target = output_path(project, doc, fr, "notes")
    assert target == basic / "build/fr/sample.fr.notes"
    (outcome,) = pipeline.build(project, [doc], [fr], ["notes"], jobs=1)
    assert outcome.status == pipeline.BUILT, outcome.detail
    written = sorted(p.name for p in target.iterdir())
    assert written and written[0] == "001.txt" and outcome.paths == [target]
    assert any("Parler avec les enfants" in p.read_text(encoding="utf-8") for p in target.iterdir())
    (again,) = pipeline.build(project, [doc], [fr], ["notes"], jobs=1)
    assert again.status == pipeline.UP_TO_DATE
    (target / "001.txt").write_text("changed by hand\n", encoding="utf-8")  # not what the build made: made again
    (rebuilt,) = pipeline.build(project, [doc], [fr], ["notes"], jobs=1)
    assert rebuilt.status == pipeline.BUILT and "changed by hand" not in (target / "001.txt").read_text()
    assert [p.name for p in target.parent.iterdir() if p.name.startswith(".")] == []  # no half-written folder
