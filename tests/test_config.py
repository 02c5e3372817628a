"""The project file: validated on load, one line per problem with file, line and key path."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import pdf_text, run_cli

from cop_docs import config
from cop_docs.errors import ConfigError


def test_languages_come_from_babel(basic: Path) -> None:
    project = config.load(basic / "cop-docs.yaml")
    ar = project.language("ar")
    assert (ar.direction, ar.name, ar.po_language) == ("rtl", "العربية", "ar")
    assert ar.plural_forms.startswith("nplurals=6;")
    zh = project.language("zh-Hans")
    assert (zh.direction, zh.po_language, zh.english_name) == ("ltr", "zh_Hans", "Chinese (Simplified)")
    assert project.language("ru").name == "Русский"


@pytest.mark.parametrize("edit, line, expected", [
    (("  - code: fr\n", "  - code: fr\n    colour: blue\n"), 9, "languages[1].colour: unknown key"),
    (("code: ru", "code: xx-Nope"), 14, "languages[4].code: unknown language code 'xx-Nope'"),
    (("sources/sample.md", "sources/missing.md"), 23, "documents[0].sources[0]: source file 'sources/missing.md' does not exist"),
    (("kind: guide", "kind: novel"), 21, "documents[0].kind: unknown kind 'novel'"),
    (("formats: [pdf, epub]", "formats: [pdf, docx]"), 24, "formats[1]: unknown format 'docx'"),
    (("fonts: [Noto Naskh Arabic, Noto Sans]", "fonts: [Noto Naskh Arabic]\n    direction: ltr"), 12,
     "languages[2].direction: 'ltr' contradicts the language's direction 'rtl'"),
])
def test_bad_config_gives_one_line_with_file_line_and_key(basic: Path, edit, line: int, expected: str) -> None:
    path = basic / "cop-docs.yaml"
    path.write_text(path.read_text().replace(*edit, 1))
    with pytest.raises(ConfigError) as info:
        config.load(path)
    assert str(info.value).startswith(f"{path}:{line}: {expected}")
    result = run_cli("-C", str(basic), "extract")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert f"cop-docs.yaml:{line}: {expected}" in result.stderr


def test_a_project_file_validated_before_is_the_same_project_and_still_checked(basic: Path) -> None:
    """A command that runs again takes the project as validated from the same bytes; an edit, or a source that
    went missing since, is read and reported as on the first run."""
    path = basic / "cop-docs.yaml"
    first = config.load(path)
    assert (basic / "build/.cache/project.json").exists()
    assert config.load(path) == first
    (basic / "sources/sample.md").rename(basic / "sources/gone.md")
    with pytest.raises(ConfigError) as info:
        config.load(path)
    assert str(info.value).startswith(f"{path}:23: documents[0].sources[0]: source file 'sources/sample.md' does not")
    (basic / "sources/gone.md").rename(basic / "sources/sample.md")
    path.write_text(path.read_text().replace("name: Fixture", "name: Fixture, edited"))
    assert config.load(path).name == "Fixture, edited"
    path.write_text(path.read_text().replace("kind: guide", "kind: novel"))
    with pytest.raises(ConfigError, match="unknown kind 'novel'"):
        config.load(path)


def test_every_problem_is_reported_at_once(basic: Path) -> None:
    path = basic / "cop-docs.yaml"
    path.write_text(path.read_text().replace("code: ru", "code: qq").replace("kind: guide", "kind: poem"))
    result = run_cli("-C", str(basic), "build")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2
    assert "unknown language code 'qq'" in lines[0] and "unknown kind 'poem'" in lines[1]


def test_invalid_yaml_names_the_line(basic: Path) -> None:
    path = basic / "cop-docs.yaml"
    path.write_text(path.read_text().replace("  name: Fixture", "  name: [Fixture"))
    result = run_cli("-C", str(basic), "extract")
    assert result.returncode == 2
    assert "cop-docs.yaml:" in result.stderr and "invalid YAML" in result.stderr


def test_a_seventh_language_is_config_plus_po_only(basic: Path) -> None:
    """Portuguese: one block in the project file and one PO file, nothing else."""
    path = basic / "cop-docs.yaml"
    path.write_text(path.read_text().replace("documents:", "  - code: pt\n    fonts: [Noto Serif, Noto Sans]\ndocuments:"))
    assert run_cli("-C", str(basic), "update", "--lang", "pt").returncode == 0
    po = basic / "translations/sample/pt.po"
    text = po.read_text(encoding="utf-8")
    assert '"Language: pt\\n"' in text and "Plural-Forms: nplurals=" in text
    entry = 'msgid "Talking with children"\nmsgstr '
    text = text.replace(entry + '""', entry + '"Conversar com as crianças"')
    po.write_text(text, encoding="utf-8")
    result = run_cli("-C", str(basic), "build", "--lang", "pt", "--format", "pdf")
    assert result.returncode == 0, result.stderr
    assert "Conversar com as crianças" in pdf_text(basic / "build/pt/sample.pt.pdf")
