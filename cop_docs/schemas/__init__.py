"""JSON Schemas of the files authors write, generated from the models that validate them.

In: the declarative models of ``cop-docs.yaml`` (:mod:`cop_docs.config`) and of the glossary
(:mod:`cop_docs.checks.terminology`). Out: the schema files shipped beside this module, which editors use to
complete and check those files (``# yaml-language-server: $schema=…``). ``python -m cop_docs.schemas`` writes
them again after a model changes; a test fails while they differ.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).parent


def generators() -> dict[str, Callable[[], dict]]:
    from ..checks.terminology import glossary_schema
    from ..config_model import schema

    return {"cop-docs.schema.json": schema, "glossary.schema.json": glossary_schema}


def text(generate: Callable[[], dict]) -> str:
    return json.dumps(generate(), indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def write() -> list[Path]:
    written = []
    for name, generate in generators().items():
        path = HERE / name
        path.write_text(text(generate), encoding="utf-8")
        written.append(path)
    return written
