"""What each command found, as JSON: one serialiser per kind of result, for ``--json`` on every command.

In: the objects the pipeline returns (written catalogs, build outcomes, check problems, gate decisions, the
release folder, preview sheets). Out: plain dictionaries for ``json.dumps``, paths relative to the project's
folder. The coverage report's own formats (JSON, Markdown, HTML, badges) are in :mod:`.reports`.
Every dictionary has ``"command"`` naming what made it; fields may be added, none removed or changed.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .files import relative

if TYPE_CHECKING:
    from .catalogs.changes import Report as ChangesReport
    from .catalogs.sync import Written
    from .checks import Problem
    from .gate import Decision
    from .pipeline import Outcome


def _relative(path: Path | str, root: Path | None) -> str:
    return relative(path, root) if root is not None else Path(path).as_posix()


def written(command: str, results: Iterable[Written], root: Path) -> dict[str, Any]:
    """``extract`` and ``update``: every catalog, whether it was rewritten, and what it holds; for ``update``,
    what the translation memory filled per language (messages and source words, exact and fuzzy apart)."""
    results = list(results)
    rows = [{"path": _relative(w.path, root), "changed": w.changed, "detail": w.detail} for w in results]
    for row, w in zip(rows, results, strict=True):
        if getattr(w, "filled", None):
            row["memory"] = w.filled.as_dict()
    out = {"command": command, "files": rows, "changed": sum(row["changed"] for row in rows)}
    if command == "update":
        out["memory"] = {code: filled.as_dict() for code, filled in memory_filled(results).items()}
    return out


def memory_filled(results: Iterable[Written]) -> dict[str, Any]:
    """What the translation memory filled in ``update``, per language (:class:`~cop_docs.catalogs.memory.Filled`)."""
    totals: dict[str, Any] = {}
    for w in results:
        filled = getattr(w, "filled", None)
        if filled is not None:
            totals[w.language] = totals[w.language] + filled if w.language in totals else filled
    return totals


def build(outcomes: list[Outcome], root: Path, command: str = "build") -> dict[str, Any]:
    """The build's outcomes: every output's status, files, what it shows and the translations it did not use."""
    from .pipeline import FAILED

    def counts(c) -> dict[str, int]:
        return {"translated": c.translated, "fuzzy": c.fuzzy, "untranslated": c.untranslated, "total": c.total}

    rows = []
    for o in outcomes:
        row = {"document": o.document, "language": o.language, "status": o.status, "draft": o.draft,
               "files": [_relative(p, root) for p in o.paths], "seconds": round(o.seconds, 3), "detail": o.detail}
        if o.report is not None:
            row.update({"messages": counts(o.report.messages), "words": counts(o.report.words),
                        "shown_in_source_language": {"messages": o.report.fallbacks,
                                                     "words": o.report.words.fuzzy + o.report.words.untranslated},
                        "blocks_checked": o.report.blocks,
                        "translations_not_used": [{"path": p, "line": n, "why": why} for p, n, why in o.report.rejected]})
        rows.append(row)
    return {"command": command, "outputs": rows, "failed": sum(o.status == FAILED for o in outcomes)}


def release(target: Path | None, outcomes: list[Outcome], root: Path) -> dict[str, Any]:
    """``release``: the build's outcomes and the folder written (null when the release was not written)."""
    return {**build(outcomes, root, "release"), "release": _relative(target, root) if target else None}


def check(problems: list[Problem]) -> dict[str, Any]:
    """``check``: every problem with its file, line and check; the counts of errors and warnings."""
    errors = sum(1 for p in problems if p.severity == "error")
    rows = [{"path": p.path, "line": p.line, "check": p.check, "severity": p.severity, "message": p.message,
             "explanation": p.explanation, "msgid": p.msgid} for p in problems]
    return {"command": "check", "problems": rows, "errors": errors, "warnings": len(problems) - errors}


def gate(decisions: list[Decision]) -> dict[str, Any]:
    """``gate``: the decision for every output, with the messages that keep it from shipping."""
    rows = [{"document": d.document.id, "language": d.language.code, "status": d.status, "reason": d.reason,
             "required": d.language.release.required, "blocks_release": d.blocks_release,
             "messages_percent": round(d.messages.percent, 2), "words_percent": round(d.words.percent, 2),
             "missing": [{"path": m.path, "line": m.line, "state": m.state, "reason": m.reason, "msgid": m.msgid}
                         for m in d.missing]}
            for d in decisions]
    return {"command": "gate", "outputs": rows, "passed": not any(d.blocks_release for d in decisions)}


def files(command: str, paths: Iterable[Path], root: Path | None, **extra: Any) -> dict[str, Any]:
    """A command whose result is the files it wrote (``preview``, ``md2pot``, ``po2md``)."""
    return {"command": command, "files": [_relative(p, root) for p in paths], **extra}


def linkcheck(report: Any) -> dict[str, Any]:
    """``linkcheck``: the pages and links read, the other sites' addresses, every broken link with its page and line."""
    return {"command": "linkcheck", "pages": report.pages, "stylesheets": report.stylesheets, "links": report.links,
            "external": sorted(report.external),
            "broken": [{"path": _relative(b.path, Path.cwd()), "line": b.line, "link": b.link, "reason": b.reason}
                       for b in report.broken]}


def changes(report: ChangesReport) -> dict[str, Any]:
    """``changes``: since which commit, and per document and snippet the new, changed (with their word-level diff)
    and removed messages, their state in the language's catalog and the words they count."""
    return {"command": "changes", **report.as_dict()}
