"""The shipped JSON Schemas: generated from the models that validate the files, and true of the files we ship."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from conftest import REPO, ROOTS

from cop_docs import config, schemas
from cop_docs.checks import load_glossary
from cop_docs.errors import ConfigError

PROJECTS = [REPO / "cop-docs.yaml", *sorted(ROOTS.glob("**/cop-docs.yaml"))]
GLOSSARIES = [REPO / "glossary.yaml", *sorted(ROOTS.glob("**/glossary.yaml"))]


def _schema(name: str) -> dict:
    return json.loads((schemas.HERE / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(schemas.generators()))
def test_the_shipped_schema_is_the_generated_one(name: str) -> None:
    """After a change to a model, ``python -m cop_docs.schemas`` writes the schemas again."""
    assert (schemas.HERE / name).read_text(encoding="utf-8") == schemas.text(schemas.generators()[name])
    jsonschema.Draft202012Validator.check_schema(_schema(name))


@pytest.mark.parametrize("path", PROJECTS, ids=lambda p: str(p.relative_to(REPO)))
def test_every_project_file_we_ship_validates(path: Path) -> None:
    jsonschema.validate(yaml.safe_load(path.read_text(encoding="utf-8")), _schema("cop-docs.schema.json"))
    config.load(path)


@pytest.mark.parametrize("path", GLOSSARIES, ids=lambda p: str(p.relative_to(REPO)))
def test_every_glossary_we_ship_validates(path: Path) -> None:
    jsonschema.validate(yaml.safe_load(path.read_text(encoding="utf-8")), _schema("glossary.schema.json"))
    load_glossary(path)


@pytest.mark.parametrize("edit", [
    ("  - code: fr\n", "  - code: fr\n    colour: blue\n"),     # a key the model does not know
    ("kind: guide", "kind: novel"),                              # a value outside the choices
    ("fonts: [Noto Serif, Noto Sans]", "fonts: []"),             # an empty list
    ("    title: Staying safe online\n", ""),                    # a required key left out
])
def test_the_schema_and_the_loader_refuse_the_same_files(basic: Path, edit: tuple[str, str]) -> None:
    path = basic / "cop-docs.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(*edit, 1), encoding="utf-8")
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(yaml.safe_load(path.read_text(encoding="utf-8")), _schema("cop-docs.schema.json"))
    with pytest.raises(ConfigError):
        config.load(path)


def test_aliases_that_multiply_are_refused_in_one_line(basic: Path) -> None:
    """A few YAML aliases can name billions of values; the loader stops at its budget with the file's line."""
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(8))
    path = basic / "cop-docs.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "checks:\n  allow-identical: []\n" + "x-bomb:\n" +
                    "".join("  " + line + "\n" for line in bomb.splitlines()), encoding="utf-8")
    with pytest.raises(ConfigError, match="more than 100000 values") as info:
        config.load(path)
    assert info.value.path == str(path) and info.value.line
