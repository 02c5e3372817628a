"""The ``cop-docs`` command: a thin layer that loads the project, calls :mod:`.pipeline` and reports.

Errors in the user's input print as one line, ``file:line: message``, and exit with status 2; ``--traceback``
shows the Python traceback instead, for bug reports. Each command imports what it needs when it runs, so
``--help`` answers at once.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__
from .errors import CopDocsError

EXIT_USER_ERROR = 2


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    args.project = getattr(args, "project", None)
    args.traceback = getattr(args, "traceback", False)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_USER_ERROR
    try:
        return args.func(args) or 0
    except CopDocsError as exc:
        if args.traceback:
            raise
        for problem in getattr(exc, "problems", [exc]):
            problem.path = _shown(problem.path)
            print(f"cop-docs: error: {problem}", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print("cop-docs: interrupted; finished outputs are complete, unfinished ones were not written",
              file=sys.stderr)
        return 130


def _shown(path: str | None) -> str | None:
    """A path as the user would type it: relative to the current folder when it lies below it."""
    if not path:
        return path
    try:
        return Path(path).resolve().relative_to(Path.cwd().resolve()).as_posix()
    except (ValueError, OSError):
        return path


def _parser() -> argparse.ArgumentParser:
    # The options are accepted before and after the command; SUPPRESS keeps a subcommand from resetting them.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("-C", "--project", type=Path, default=argparse.SUPPRESS, metavar="DIR",
                        help="project folder, or its cop-docs.yaml (default: found from the current folder up)")
    common.add_argument("--traceback", action="store_true", default=argparse.SUPPRESS,
                        help="show a Python traceback on errors")

    parser = argparse.ArgumentParser(prog="cop-docs", parents=[common],
                                     description="Multilingual guideline publishing: Markdown → PO → PDF and EPUB.")
    parser.add_argument("--version", action="version", version=f"cop-docs {__version__}")
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")

    def selection(p: argparse.ArgumentParser, formats: bool = False) -> None:
        p.add_argument("--lang", action="append", metavar="L", help="only this language (repeatable)")
        p.add_argument("--doc", action="append", metavar="D", help="only this document (repeatable)")
        if formats:
            p.add_argument("--format", action="append", choices=("pdf", "epub"), help="only this format (repeatable)")

    p = sub.add_parser("extract", parents=[common], help="write each document's POT template from its sources",
                       description="Extract translatable text from the master sources into "
                                   "translations/<document>/<document>.pot (rewritten only when messages change).")
    selection(p)
    p.set_defaults(func=_extract)

    p = sub.add_parser("update", parents=[common], help="extract, then create or update every PO file",
                       description="Extract, then bring translations/<document>/<lang>.po up to date with msgmerge "
                                   "semantics: changed messages become fuzzy with the previous msgid, removed ones "
                                   "obsolete; no translation is lost.")
    selection(p)
    p.set_defaults(func=_update)

    p = sub.add_parser("build", parents=[common], help="build PDF and EPUB outputs into build/<lang>/",
                       description="Apply each language's translations (fuzzy and untranslated messages fall back to "
                                   "the source) and render PDF (WeasyPrint) and EPUB (pandoc) into build/<lang>/.")
    selection(p, formats=True)
    p.set_defaults(func=_build)

    p = sub.add_parser("md2pot", parents=[common], help="extract one Markdown file into a POT",
                       description="Extract the translatable text of one Markdown file into a POT file.")
    p.add_argument("markdown", type=Path, metavar="IN.md")
    p.add_argument("-o", "--output", type=Path, metavar="OUT.pot", help="default: standard output")
    p.set_defaults(func=_md2pot)

    p = sub.add_parser("po2md", parents=[common], help="apply a PO file to one Markdown file",
                       description="Write the Markdown file translated with a PO file (fuzzy and untranslated "
                                   "messages keep the source text).")
    p.add_argument("markdown", type=Path, metavar="IN.md")
    p.add_argument("po", type=Path, metavar="IN.po")
    p.add_argument("-o", "--output", type=Path, metavar="OUT.md", help="default: standard output")
    p.set_defaults(func=_po2md)
    return parser


def _project(args: argparse.Namespace):
    from . import config

    where = args.project or Path.cwd()
    path = where if where.suffix in (".yaml", ".yml") else config.find_config(where)
    return config.load(path)


def _select(project, args: argparse.Namespace):
    docs = [project.document(d) for d in args.doc] if args.doc else project.documents
    langs = [project.language(code) for code in args.lang] if args.lang else project.languages
    return docs, langs


def _extract(args: argparse.Namespace) -> int:
    from . import pipeline

    project = _project(args)
    docs, _ = _select(project, args)
    pipeline.extract(project, docs, progress=print)
    return 0


def _update(args: argparse.Namespace) -> int:
    from . import pipeline

    project = _project(args)
    docs, langs = _select(project, args)
    pipeline.update(project, docs, langs, progress=print)
    return 0


def _build(args: argparse.Namespace) -> int:
    from . import pipeline

    project = _project(args)
    docs, langs = _select(project, args)
    formats = args.format or project.formats
    pipeline.build(project, docs, langs, formats, progress=print)
    return 0


def _md2pot(args: argparse.Namespace) -> int:
    from .catalogs import extract, pofiles
    from .sources import read_source

    source = read_source(args.markdown, root=args.markdown.parent)
    text = extract.template_text(args.markdown.stem, [(source.path, unit) for unit in source.units])
    if args.output:
        pofiles.write_template(args.output, text)
    else:
        sys.stdout.write(text)
    return 0


def _po2md(args: argparse.Namespace) -> int:
    from . import pandoc
    from .localization import localize
    from .pipeline import translations
    from .sources import read_source

    source = read_source(args.markdown, root=args.markdown.parent)
    doc = localize([source], translations(args.po))
    _emit(pandoc.write_document_markdown(doc), args.output)
    return 0


def _emit(text: str, output: Path | None) -> None:
    from .catalogs.pofiles import write_atomic

    if output is None:
        sys.stdout.write(text)
    else:
        write_atomic(output, text)
