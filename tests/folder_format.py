"""A format whose output is a folder: one text file per block the document shows. Registered by the tests of
the format registry, to prove that a new format is its renderer and one entry of the table."""

from __future__ import annotations

from pathlib import Path

from cop_docs.renderers import Job, Renderer


class NotesRenderer(Renderer):
    name = "notes"

    def write(self, job: Job, target: Path) -> None:
        for i, block in enumerate(job.doc["blocks"], 1):
            (target / f"{i:03d}.txt").write_text(" ".join(_words(block)) + "\n", encoding="utf-8")

    def verify(self, job: Job, output: Path) -> int:
        return len(list(output.iterdir()))


def _words(node: object) -> list[str]:
    if isinstance(node, dict):
        return [node["c"]] if node.get("t") == "Str" else _words(node.get("c"))
    if isinstance(node, list):
        return [w for item in node for w in _words(item)]
    return []
