"""One document in one language rendered in every format, under the output's budgets, in this process or in a
worker process.

In: the project, a document and a language (by id, so that a worker process can be handed them), whether it is a
draft, the formats and the date the outputs carry. Out: the output files, each checked to hold every block the
document shows, and a :class:`Report` of what it shows; or, from :func:`guarded` and :func:`in_worker`, one line
saying why it failed: a user's error with its file and line, a full disk, an output over its budget of time
(``limits: seconds-per-output``) or memory (``limits: memory-per-output``), or a fault of the tool, with its
place. A failure stops that output only.
"""

from __future__ import annotations

import signal
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

from . import dates, sources
from .catalogs import coverage
from .config import Project
from .errors import CopDocsError
from .localized import Shown, localized
from .renderers import Job, renderer
from .renderers.preflight import preflight


@dataclass(frozen=True)
class Report:
    """What one built document × language shows, as the build saw it (kept in its stamp for later builds)."""

    messages: coverage.Counts
    words: coverage.Counts
    blocks: int = 0  #: blocks of the document checked present in each output
    rejected: tuple[tuple[str, int, str], ...] = ()  #: (PO file, line, why) of translations not used

    @property
    def fallbacks(self) -> int:
        """Messages shown in the source language."""
        return self.messages.fuzzy + self.messages.untranslated

    def to_json(self) -> dict:
        return {"messages": list(self.messages.as_tuple()), "words": list(self.words.as_tuple()),
                "blocks": self.blocks, "rejected": [list(r) for r in self.rejected]}

    @classmethod
    def from_json(cls, data: dict) -> Report:
        return cls(coverage.Counts(*data["messages"]), coverage.Counts(*data["words"]), data.get("blocks", 0),
                   tuple(tuple(r) for r in data.get("rejected", [])))


def build_one(project: Project, doc_id: str, lang_code: str, draft: bool, formats: list[str],
              epoch: int | None = None) -> tuple[list[Path], Report]:
    """Every format of one document in one language, dated ``epoch`` (seconds; default: the project's date), each
    checked to hold every block of the document; and what the document shows."""
    doc, lang = project.document(doc_id), project.language(lang_code)
    epoch = dates.project_epoch(project) if epoch is None else epoch
    shown: list[Shown] = []
    ast = localized(project, doc, lang, sources.load(project, doc), draft=draft, shown=shown, epoch=epoch)
    job = Job(project, doc, lang, ast, draft=draft, blocks=shown[0].blocks, epoch=epoch)
    preflight(job)
    paths, checked = [], 0
    for fmt in formats:
        output = renderer(fmt)
        paths.append(output.render(job))
        checked = max(checked, output.checked)
    return paths, Report(shown[0].messages, shown[0].words, checked, tuple(shown[0].rejected))


def guarded(project: Project, doc_id: str, lang_code: str, draft: bool, formats: list[str],
                   epoch: int) -> tuple[list[Path], str, float, Report | None]:
    """:func:`build_one`, with a user's error or a full disk turned into a one-line message for its outcome."""
    start = time.perf_counter()
    limits = project.limits
    previous = signal.signal(signal.SIGALRM, _out_of_time)
    signal.setitimer(signal.ITIMER_REAL, limits.seconds_per_output)
    try:
        paths, report = build_one(project, doc_id, lang_code, draft, formats, epoch)
        return paths, "", time.perf_counter() - start, report
    except _OutOfTime:
        return [], (f"rendering took longer than {limits.seconds_per_output:g} s, the budget "
                    "of an output (limits: seconds-per-output in cop-docs.yaml)"), time.perf_counter() - start, None
    except MemoryError:
        return [], (f"rendering needed more than {limits.memory_per_output} MiB, the budget "
                    "of an output (limits: memory-per-output in cop-docs.yaml)"), time.perf_counter() - start, None
    except CopDocsError as exc:
        return [], str(exc), time.perf_counter() - start, None
    except OSError as exc:  # a full disk, a read-only build folder: the message names the file
        return [], f"{exc.filename or ''}: {exc.strerror or exc}".lstrip(": "), time.perf_counter() - start, None
    except RecursionError:
        return [], ("the document nests blocks or emphasis too deeply to be rendered; "
                    "flatten the deepest lists, quotes or emphasis"), time.perf_counter() - start, None
    except Exception as exc:  # noqa: BLE001 - any other failure is this output's, not the whole build's
        where = next((f"{frame.filename.rsplit('/', 1)[-1]}:{frame.lineno}" for frame in
                      reversed(traceback.extract_tb(exc.__traceback__))), "")
        return [], (f"unexpected {type(exc).__name__} in {where}: {exc} (a fault of "
                    "cop-docs: please report it with the input that causes it)"), time.perf_counter() - start, None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class _OutOfTime(Exception):
    pass


def _out_of_time(_signum, _frame) -> None:
    raise _OutOfTime()


def in_worker(config_path: Path, doc_id: str, lang_code: str, draft: bool, formats: list[str],
                     epoch: int) -> tuple[list[Path], str, float, Report | None]:
    from . import config

    project = config.load(config_path)
    # The engines load before the budget is set: it is for rendering, and an import that fails for want of
    # memory fails as anything but a MemoryError.
    preload(formats)
    _limit_memory(project.limits.memory_per_output)
    return guarded(project, doc_id, lang_code, draft, formats, epoch)


def preload(formats: list[str]) -> None:
    """Load the renderers and their engines (WeasyPrint, fontTools, Pillow) in this process: workers forked
    from it start with them instead of each loading them again."""
    for fmt in formats:
        renderer(fmt)
    from .renderers import cover, epub_fonts, fonts, pdf_text, theme  # noqa: F401


def _limit_memory(mebibytes: int) -> None:
    """Cap the data a rendering process may allocate (a worker's, not the command's own process)."""
    try:
        import resource

        wanted = mebibytes * 1024 * 1024
        soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
        if soft == resource.RLIM_INFINITY or soft > wanted:
            resource.setrlimit(resource.RLIMIT_DATA, (wanted, hard))
    except (ImportError, ValueError, OSError):
        pass  # a system without the limit: the time budget still holds
