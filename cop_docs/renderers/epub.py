"""EPUB 3: the localized AST → EPUB (pandoc), with the language, direction and a stable identifier.

pandoc writes no ``dir`` and no ``page-progression-direction`` unless told, and a random identifier and the
current date unless given fixed ones: all three come from the job here, and dates from SOURCE_DATE_EPOCH.
"""

from __future__ import annotations

import tempfile
import uuid
from pathlib import Path

from .. import pandoc
from . import Job, Renderer, theme

_NAMESPACE = uuid.UUID("6f1b0c5e-2f7a-4c43-9a55-0c1c5b8d0e11")


def identifier(job: Job) -> str:
    """The same URN for the same document, language and edition, build after build."""
    key = f"{job.project.name}/{job.document.id}/{job.language.code}/{job.project.edition}"
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, key)}"


class EpubRenderer(Renderer):
    name = "epub"
    extension = ".epub"

    def write(self, job: Job, target: Path) -> None:
        doc = dict(job.doc)
        meta = dict(doc["meta"])
        meta["identifier"] = {"t": "MetaString", "c": identifier(job)}
        if job.language.direction == "rtl":
            meta["page-progression-direction"] = {"t": "MetaString", "c": "rtl"}
        doc["meta"] = meta
        with tempfile.TemporaryDirectory() as tmp:
            css = Path(tmp) / "style.css"
            css.write_text(theme.epub_css(job.language, job.draft), encoding="utf-8")
            args = ["--toc", "--toc-depth=2", "--split-level=1", f"--css={css}", "--resource-path=.",
                    f"--template={theme.EPUB_TEMPLATE}", f"--variable=edition:{job.project.edition}"]
            if job.draft:
                args.append(f"--variable=draft-mark:{theme.DRAFT_MARK}")
            if job.language.direction == "rtl":
                # Metadata reaches the title page only; a variable reaches every content document.
                args.append("--variable=dir:rtl")
            pandoc.write_epub(doc, target, args=args, cwd=job.project.root)
