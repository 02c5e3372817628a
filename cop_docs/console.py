"""What a build shows on the terminal: progress bars while it runs, a summary table when it ends.

In: the :class:`pipeline.Watcher` events and the final :class:`pipeline.Outcome` list. Out: text on standard
output. On a terminal, rich draws a live progress bar; elsewhere (CI logs, pipes) each finished output is one
plain line, so logs stay readable.
"""

from __future__ import annotations

import sys

from rich import box
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from .pipeline import BUILT, FAILED, UP_TO_DATE, WITHHELD, Outcome, Watcher


class BuildDisplay(Watcher):
    def __init__(self, console: Console | None = None):
        self.console = console or Console(highlight=False, soft_wrap=True)
        self.live = self.console.is_terminal
        self.progress: Progress | None = None
        self.task = None

    def __enter__(self) -> BuildDisplay:
        return self

    def __exit__(self, *exc) -> None:
        if self.progress:
            self.progress.stop()
            self.progress = None

    def log(self, message: str) -> None:
        if self.live and message.startswith(("built ", "up to date ")):
            return  # the bar and the summary say it
        (self.progress.console if self.progress else self.console).print(message, markup=False)

    def planned(self, total: int) -> None:
        if self.live and total:
            self.progress = Progress(TextColumn("[bold]building"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                                     TextColumn("{task.description}"), console=self.console, transient=True)
            self.progress.start()
            self.task = self.progress.add_task("", total=total)

    def finished(self, outcome: Outcome) -> None:
        if self.progress is not None and self.task is not None:
            self.progress.update(self.task, advance=1, description=f"{outcome.document} ({outcome.language})")

    def summary(self, outcomes: list[Outcome], source_language: str = "source language") -> None:
        """One row per language: how many documents were built, were up to date, are drafts, failed or withheld,
        and how many of their messages they show in the source language (fuzzy, untranslated)."""
        table = Table(title="Build summary", title_justify="left", box=box.SIMPLE_HEAD, padding=(0, 1), pad_edge=False,
                      show_edge=False, collapse_padding=True, caption_justify="left",
                      caption=f"current: up to date; fuzzy, untransl.: messages shown in {source_language}")
        for column in ("lang", BUILT, "current", "drafts", FAILED, WITHHELD, "fuzzy", "untransl.", "time"):
            table.add_column(column, justify="left" if column == "lang" else "right", no_wrap=True)
        by_lang: dict[str, list[Outcome]] = {}
        for outcome in outcomes:
            by_lang.setdefault(outcome.language, []).append(outcome)
        for lang, items in by_lang.items():
            count = {status: sum(o.status == status for o in items) for status in (BUILT, UP_TO_DATE, FAILED, WITHHELD)}
            drafts = sum(o.draft and o.status in (BUILT, UP_TO_DATE) for o in items)
            shown = [o.report for o in items if o.report is not None]
            fuzzy = sum(r.messages.fuzzy for r in shown)
            untranslated = sum(r.messages.untranslated for r in shown)
            table.add_row(lang, *(str(count[s]) for s in (BUILT, UP_TO_DATE)), str(drafts),
                          *(str(count[s]) for s in (FAILED, WITHHELD)), str(fuzzy), str(untranslated),
                          f"{sum(o.seconds for o in items):.1f}s")
        self.console.print(table)


def errors(outcomes: list[Outcome]) -> int:
    """Print each failed output's cause as one line on standard error; the number of failures."""
    failed = [o for o in outcomes if o.status == FAILED]
    for outcome in failed:
        print(f"cop-docs: error: {outcome.detail} (while building {outcome.document}, {outcome.language})",
              file=sys.stderr)
    return len(failed)
