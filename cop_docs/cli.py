"""The ``cop-docs`` command: a thin layer that loads the project, calls :mod:`.pipeline` and reports.

Errors in the user's input print as one line, ``file:line: message``, and exit with status 2; ``--traceback``
shows the Python traceback instead, for bug reports. Each command imports what it needs when it runs, so
``--help`` answers at once.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import __version__
from .errors import CopDocsError
from .formats import FORMATS

EXIT_USER_ERROR = 2


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    args.project = getattr(args, "project", None)
    args.traceback = getattr(args, "traceback", False)
    args.json = getattr(args, "json", False)
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
    except OSError as exc:  # a full disk, a read-only or missing folder: the machine's, said in one line
        if args.traceback:
            raise
        where = _shown(exc.filename) if exc.filename else None
        print(f"cop-docs: error: {where + ': ' if where else ''}{exc.strerror or exc}", file=sys.stderr)
        return EXIT_USER_ERROR
    except RecursionError:
        if args.traceback:
            raise
        print("cop-docs: error: the input nests too deeply to be processed (lists, quotes or emphasis)", file=sys.stderr)
        return EXIT_USER_ERROR
    except Exception as exc:  # noqa: BLE001 - a fault of cop-docs still ends in one line; --traceback shows it all
        if args.traceback:
            raise
        print(f"cop-docs: internal error: {type(exc).__name__}: {exc} (run again with --traceback and report it)",
              file=sys.stderr)
        return 70


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
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS,
                        help="print the command's result as JSON on standard output (progress goes to standard error)")

    parser = argparse.ArgumentParser(prog="cop-docs", parents=[common],
                                     description="Multilingual guideline publishing: Markdown → PO → PDF and EPUB.")
    parser.add_argument("--version", action="version", version=f"cop-docs {__version__}")
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")

    def selection(p: argparse.ArgumentParser, formats: bool = False) -> None:
        p.add_argument("--lang", action="append", metavar="L", help="only this language (repeatable)")
        p.add_argument("--doc", action="append", metavar="D", help="only this document (repeatable)")
        if formats:
            p.add_argument("--format", action="append", choices=tuple(FORMATS), help="only this format (repeatable)")

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
    p.add_argument("-j", "--jobs", type=int, default=None, metavar="N",
                   help="build in N processes (default: one per core)")
    p.add_argument("--force", action="store_true", help="rebuild outputs even when their inputs have not changed")
    p.set_defaults(func=_build)

    p = sub.add_parser("md2pot", parents=[common], help="extract one Markdown file into a POT",
                       description="Extract the translatable text of one Markdown file into a POT file.")
    p.add_argument("markdown", type=Path, metavar="IN.md")
    p.add_argument("-o", "--output", type=Path, metavar="OUT.pot", help="default: standard output")
    p.set_defaults(func=_md2pot)

    p = sub.add_parser("po2md", parents=[common], help="apply a PO file to one Markdown file",
                       description="Write the Markdown file translated with a PO file: each translated message "
                                   "in place of the text it was taken from, everything else as it is (fuzzy and "
                                   "untranslated messages keep the source text).")
    p.add_argument("markdown", type=Path, metavar="IN.md")
    p.add_argument("po", type=Path, metavar="IN.po")
    p.add_argument("-o", "--output", type=Path, metavar="OUT.md", help="default: standard output")
    p.set_defaults(func=_po2md)

    p = sub.add_parser("coverage", parents=[common], help="how complete each language is, per document and audience",
                       description="Messages and source words translated, fuzzy and untranslated, per catalog and rolled "
                                   "up per language, document and audience, each document measured against its "
                                   "template (a message the PO file lacks is untranslated). With PATHs, any PO files "
                                   "or folders of them instead, each counted alone as msgfmt --statistics counts it.")
    p.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="PO files or folders (default: the project)")
    selection(p)
    p.add_argument("--format", choices=("table", "json", "markdown", "html"), default="table",
                   help="table (default, coloured), json (for CI and dashboards), markdown or html (heat map)")
    p.add_argument("-o", "--output", type=Path, metavar="FILE", help="write the report here (default: standard output)")
    p.add_argument("--badges", type=Path, metavar="DIR", help="also write an SVG badge per language into DIR")
    p.set_defaults(func=_coverage)

    p = sub.add_parser("changes", parents=[common], help="new, changed and removed messages since a commit, for a language",
                       description="For one language: per document and snippet, the messages new, changed (with a "
                                   "word-level diff of the source text) and removed between the templates at a commit "
                                   "and those in the working tree, their state in the language's catalog, and the "
                                   "words to translate. --since takes a git reference or a date (the last commit "
                                   "before it); by default, the last commit that changed a translation of the language.")
    p.add_argument("--lang", required=True, metavar="L", help="the language")
    p.add_argument("--since", metavar="REF|DATE", help="a branch, tag or commit, or a date (YYYY-MM-DD)")
    p.add_argument("--doc", action="append", metavar="D", help="only this document or snippet (repeatable)")
    p.add_argument("--format", choices=("markdown", "json"), default="markdown", help="markdown (default) or json")
    p.add_argument("-o", "--output", type=Path, metavar="FILE", help="write the report here (default: standard output)")
    p.set_defaults(func=_changes)

    p = sub.add_parser("check", parents=[common], help="find problems in the translations (exit 1 on errors)",
                       description="Check every translated message against its source: Markdown parity, placeholders "
                                   "and numbers, identical text, language conventions, terminology. Exits with status "
                                   "1 when an error-level problem is found.")
    selection(p)
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=_check)

    p = sub.add_parser("gate", parents=[common], help="which outputs are released, drafts or withheld (exit 1 if blocked)",
                       description="Apply each language's release policy to its coverage: list what ships, what is "
                                   "built as a draft and what is withheld, with the missing and fuzzy messages; exit "
                                   "with status 1 when a required language is below its threshold.")
    selection(p)
    p.add_argument("--show", type=int, default=10, metavar="N", help="list at most N missing messages per output")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=_gate)

    p = sub.add_parser("release", parents=[common], help="from the sources to the release set in build/release/<edition>/",
                       description="Check that the catalogs are up to date with the sources, run the checks and the "
                                   "gate, build what the gate allows (only what changed), then write the release: "
                                   "every file under a descriptive name, manifest.json, SHA256SUMS, download pages "
                                   "and one zip per language. The last good release stays until a new one is complete.")
    p.add_argument("--lang", action="append", metavar="L", help="with --shard: only this language (repeatable)")
    p.add_argument("--shard", action="store_true",
                   help="stop after the build: write each language's shard (build/<lang>/ with shard.json) for a "
                        "release gathered with --from-shards")
    p.add_argument("--from-shards", nargs="+", type=Path, metavar="DIR",
                   help="gather shards built elsewhere (folders holding shard.json): verify them and write the release")
    p.add_argument("-j", "--jobs", type=int, default=None, metavar="N", help="build in N processes (default: one per core)")
    p.set_defaults(func=_release)

    p = sub.add_parser("matrix", parents=[common], help="the release's build matrix as JSON, one entry per language",
                       description="Print the languages of the project as a GitHub Actions matrix "
                                   '({"include": [{"lang": ..., "name": ...}]}), so CI shards follow the project file.')
    p.set_defaults(func=_matrix)

    p = sub.add_parser("clean", parents=[common], help="remove the caches and stamps (with --all, the outputs too)",
                       description="Remove build/.cache (the caches and the build stamps: the next build makes "
                                   "everything again); with --all, also every language's outputs in build/<lang>/, "
                                   "build/release/ and build/preview/. Nothing outside build/ is touched.")
    p.add_argument("--all", action="store_true", help="remove the built outputs too")
    p.set_defaults(func=_clean)

    p = sub.add_parser("migrate-msgids", parents=[common],
                       help="carry translations over to msgids as the authors typed them (once, then update)",
                       description="Catalogs made before messages were taken as the authors typed them hold msgids "
                                   "as pandoc wrote them back (with escapes such as 1\\. the author never typed). "
                                   "Give every entry of every PO file the msgid its block has now, its translation "
                                   "and flags unchanged, then run update.")
    p.set_defaults(func=_migrate_msgids)

    p = sub.add_parser("preview", parents=[common], help="contact sheets of the built PDFs, one per language",
                       description="Render the first pages of every PDF in build/<lang>/ (with poppler's pdftoppm) and "
                                   "write build/preview/<lang>/index.html, one contact sheet per language, and "
                                   "build/preview/index.html linking them; with --doc, a sheet shows only those "
                                   "documents. A PDF that was not built is listed as missing and the command exits "
                                   "with status 2 (run `cop-docs build` first); one the release gate withholds is "
                                   "listed as withheld.")
    selection(p)
    p.add_argument("--pages", type=_positive, default=4, metavar="N", help="pages per document (default: 4)")
    size = p.add_mutually_exclusive_group()
    size.add_argument("--width", type=_bounded(4000), default=None, metavar="PX",
                      help="thumbnail width in pixels (default: 300, at most 4000)")
    size.add_argument("--dpi", type=_bounded(600), default=None, metavar="DPI",
                      help="render at this resolution instead of a fixed width (at most 600)")
    p.add_argument("-j", "--jobs", type=int, default=None, metavar="N",
                   help="render N PDFs at a time (default: one per core)")
    p.set_defaults(func=_preview)

    p = sub.add_parser("linkcheck", parents=[common], help="check that every link of a built web site resolves (exit 1 if not)",
                       description="Read every page and stylesheet of a built web site and check that each internal "
                                   "link, anchor, picture, font and download leads to a file (and an element) that is "
                                   "there. Links to other sites are counted, never fetched. Exits with status 1 when "
                                   "a link is broken.")
    p.add_argument("site", nargs="?", type=Path, metavar="SITE",
                   help="the site's folder (default: the project's build/web/)")
    p.add_argument("--root", type=Path, metavar="DIR",
                   help="links may lead to any file in this folder (default: SITE; a release's folder for its downloads)")
    p.set_defaults(func=_linkcheck)

    p = sub.add_parser("weblate", parents=[common], help="write the Weblate set-up: one component per document and snippet",
                       description="Write weblate/components.json (for Weblate's import_json command: one gettext component "
                                   "per document and snippet, with the checks cop-docs check makes turned off) and "
                                   "weblate/discovery.json (the component-discovery add-on for documents added later).")
    p.add_argument("-o", "--output", type=Path, metavar="DIR", help="write into this folder (default: weblate/)")
    p.set_defaults(func=_weblate)

    p = sub.add_parser("tm", parents=[common], help="the project's translation memory (tm export)",
                       description="The project's translations as a translation memory. `cop-docs update` fills new "
                                   "messages from it and from the TMX files the project file names "
                                   "(translation-memory: files).")
    tm = p.add_subparsers(title="commands", metavar="COMMAND")
    p.set_defaults(func=lambda args, p=p: (p.print_help(), EXIT_USER_ERROR)[1])
    p = tm.add_parser("export", parents=[common], help="write the project's translations as a TMX 1.4b file",
                      description="Write every translated message (translated, not fuzzy, usable) of every document "
                                  "and snippet as a TMX 1.4b file: one unit per message and language, its document and "
                                  "context as properties, inline Markdown as TMX codes.")
    p.add_argument("--lang", action="append", metavar="L", help="only this language (repeatable)")
    p.add_argument("-o", "--output", type=Path, metavar="FILE.tmx", required=True, help="the TMX file to write")
    p.set_defaults(func=_tm_export)

    p = sub.add_parser("xliff", parents=[common], help="XLIFF files for translation tools (xliff export, xliff import)",
                       description="Exchange translations with CAT tools (Trados, memoQ, OmegaT, Phrase) as XLIFF 1.2 "
                                   "or 2.1, inline Markdown as tags.")
    xliff = p.add_subparsers(title="commands", metavar="COMMAND")
    p.set_defaults(func=lambda args, p=p: (p.print_help(), EXIT_USER_ERROR)[1])
    p = xliff.add_parser("export", parents=[common], help="write one XLIFF file per language and document or snippet",
                         description="Write build/xliff/<lang>/<catalog>.<lang>.xlf for every language and document or "
                                     "snippet, with its untranslated and fuzzy messages (--all: every message).")
    selection(p)
    p.add_argument("--version", dest="xliff_version", choices=("1.2", "2.1"), default="1.2",
                   help="XLIFF version (default: 1.2)")
    p.add_argument("--all", dest="everything", action="store_true", help="every message, translated ones too")
    p.add_argument("--copy-source", action="store_true",
                   help="give untranslated messages a copy of their source as target (for OmegaT's XLIFF filter)")
    p.add_argument("-o", "--output", type=Path, metavar="DIR", help="write into DIR/<lang>/ (default: build/xliff/)")
    p.set_defaults(func=_xliff_export)
    p = xliff.add_parser("import", parents=[common], help="merge XLIFF translations into the PO files",
                         description="Merge the targets of XLIFF files (1.2 or 2.x, as xliff export wrote them) into "
                                     "translations/<catalog>/<lang>.po. A unit whose tags are missing or damaged is "
                                     "refused (one line each, exit status 2); the others are imported.")
    p.add_argument("files", type=Path, nargs="+", metavar="FILE")
    p.set_defaults(func=_xliff_import)
    return parser


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, not '{text}'")
    return value


def _bounded(most: int):
    """A whole number from 1 to ``most``: a thumbnail wider than a screen is a mistake, and poppler gives up on
    very large ones without a word."""

    def parse(text: str) -> int:
        value = _positive(text)
        if value > most:
            raise argparse.ArgumentTypeError(f"expected at most {most}, not '{text}'")
        return value

    return parse


def _project(args: argparse.Namespace, remember: bool = True):
    from . import config

    where = args.project or Path.cwd()
    path = where if where.suffix in (".yaml", ".yml") else config.find_config(where)
    return config.load(path, remember=remember)


def _select(project, args: argparse.Namespace, catalogs: bool = False, pseudo: bool = False):
    """The documents (with ``catalogs``: and snippets) and languages the options name, or all of them. A
    pseudo-locale (qps-ploc, qps-plocm) only where ``pseudo`` allows it: it is built, previewed and counted."""
    if catalogs:
        docs = [project.catalog(d) for d in args.doc] if args.doc else project.catalogs
    else:
        docs = [project.document(d) for d in args.doc] if args.doc else project.documents
    langs = [project.language(code) for code in args.lang] if args.lang else project.languages
    if not pseudo:
        _no_pseudo(langs)
    return docs, langs


def _no_pseudo(langs) -> None:
    for lang in langs or ():
        if lang.pseudo:
            raise CopDocsError(f"'{lang.code}' is a pseudo-locale, made from the templates: it can be built, previewed "
                               "and counted (build, preview, coverage), not translated, checked or released")


def _extract(args: argparse.Namespace) -> int:
    from . import results
    from .catalogs import sync

    project = _project(args)
    docs, _ = _select(project, args, catalogs=True)
    written = sync.extract_templates(project, docs, progress=_progress(args))
    _result(args, lambda: results.written("extract", written, project.root))
    return 0


def _update(args: argparse.Namespace) -> int:
    from . import results
    from .catalogs import sync

    project = _project(args)
    docs, langs = _select(project, args, catalogs=True)
    written = sync.update_catalogs(project, docs, langs, progress=_progress(args))
    for code, filled in results.memory_filled(written).items():
        if filled:
            _progress(args)(f"translation memory, {code}: {filled.exact_messages} messages ({filled.exact_words} words) "
                            f"filled, {filled.fuzzy_messages} ({filled.fuzzy_words} words) proposed fuzzy")
    _result(args, lambda: results.written("update", written, project.root))
    return 0


def _tm_export(args: argparse.Namespace) -> int:
    from . import results
    from .exchange import tmx

    project = _project(args)
    langs = [project.language(code) for code in args.lang] if args.lang else project.target_languages
    _no_pseudo(langs)
    langs = [lang for lang in langs if lang.code != project.source_language]
    written, left_out = tmx.write(project, langs, args.output)
    per_language = {lang.code: sum(1 for m in written if m.language == lang.code) for lang in langs}
    _progress(args)(f"wrote {_shown(str(args.output))}: {len(written)} units ("
                    + ", ".join(f"{code} {n}" for code, n in per_language.items()) + ")"
                    + (f"; {left_out} left out (characters XML cannot hold)" if left_out else ""))
    _result(args, lambda: results.files("tm export", [args.output], None, units=per_language, left_out=left_out))
    return 0


def _xliff_export(args: argparse.Namespace) -> int:
    from . import results
    from .exchange import xliff

    project = _project(args)
    docs, langs = _select(project, args, catalogs=True)
    exported = xliff.export(project, docs, langs, version=args.xliff_version, everything=args.everything,
                            folder=args.output, copy_source=args.copy_source)
    for item in exported:
        left = f"; {item.left_out} left out (characters XML cannot hold)" if item.left_out else ""
        if item.path is not None:
            _progress(args)(f"wrote {_shown(str(item.path))}: {item.units} units{left}")
    idle = sum(1 for item in exported if item.path is None)
    if idle:
        _progress(args)(f"{idle} catalog{'s have' if idle > 1 else ' has'} nothing to translate: no file written")
    _result(args, lambda: results.files("xliff export", [i.path for i in exported if i.path], project.root,
                                        version=args.xliff_version,
                                        units={f"{i.language}/{i.catalog}": i.units for i in exported},
                                        left_out=sum(i.left_out for i in exported)))
    return 0


def _xliff_import(args: argparse.Namespace) -> int:
    from . import results
    from .exchange import xliff

    project = _project(args)
    done = xliff.import_files(project, args.files, shown=lambda path: _shown(str(path)) or str(path))
    for problem in done.warnings:
        print(f"cop-docs: warning: {problem}", file=sys.stderr)
    for problem in done.errors:
        print(f"cop-docs: error: {problem}", file=sys.stderr)
    _progress(args)(f"imported {done.translated} translated and {done.fuzzy} fuzzy; {done.unchanged} unchanged, "
                    f"{len(done.warnings)} warnings, {len(done.errors)} refused; "
                    f"{len(done.written)} catalogs written")
    _result(args, lambda: results.files("xliff import", done.written, project.root, translated=done.translated,
                                        fuzzy=done.fuzzy, unchanged=done.unchanged,
                                        warnings=[str(w) for w in done.warnings],
                                        errors=[str(e) for e in done.errors]))
    return EXIT_USER_ERROR if done.errors else 0


def _progress(args: argparse.Namespace):
    """Where a command's progress lines go: standard output, or standard error when it prints JSON."""
    return (lambda line: print(line, file=sys.stderr)) if args.json else print


def _result(args: argparse.Namespace, serialise) -> None:
    """With --json, the command's result on standard output."""
    if args.json:
        print(json.dumps(serialise(), ensure_ascii=False, indent=2))


def _build(args: argparse.Namespace) -> int:
    from rich.console import Console

    from . import console, pipeline, results

    project = _project(args)
    docs, langs = _select(project, args, pseudo=True)
    formats = args.format or project.formats
    screen = Console(stderr=True, highlight=False, soft_wrap=True) if args.json else None
    with console.BuildDisplay(screen) as display:
        outcomes = pipeline.build(project, docs, langs, formats, progress=display.log, jobs=args.jobs,
                                  force=args.force, watcher=display)
        web = None
        if "html" in formats:  # the web editions gathered into the site, build/web/
            from .files import relative
            from .renderers import site

            web = site.assemble(project, editions=site.built_editions(project, project.languages_and(langs)),
                                progress=display.log)
    display.summary(outcomes, project.language(project.source_language).english_name)
    _result(args, lambda: {**results.build(outcomes, project.root),
                           **({"site": relative(web, project.root)} if web else {})})
    return EXIT_USER_ERROR if console.errors(outcomes) else 0


def _release(args: argparse.Namespace) -> int:
    from rich.console import Console

    from . import console, release, results

    project = _project(args)
    if args.from_shards:
        if args.shard or args.lang:
            raise CopDocsError("--from-shards gathers every shard given; it takes no --lang or --shard")
        target = release.assemble(project, list(args.from_shards), progress=_progress(args))
        _result(args, lambda: results.files("release", [target], project.root, release=_shown(str(target))))
        return 0
    langs = [project.language(code) for code in args.lang] if args.lang else None
    _no_pseudo(langs)
    if args.lang and not args.shard:
        raise CopDocsError("a release has every language; --lang is for --shard")
    screen = Console(stderr=True, highlight=False, soft_wrap=True) if args.json else None
    with console.BuildDisplay(screen) as display:
        target, outcomes = release.release(project, langs=langs, jobs=args.jobs, progress=display.log, watcher=display,
                                            shard_only=args.shard)
    display.summary(outcomes, project.language(project.source_language).english_name)
    _result(args, lambda: results.release(target, outcomes, project.root))
    if console.errors(outcomes):
        print("cop-docs: error: the release was not written; the last good release is unchanged", file=sys.stderr)
        return EXIT_USER_ERROR
    return 0


def _matrix(args: argparse.Namespace) -> int:
    project = _project(args)
    print(json.dumps({"include": [{"lang": lang.code, "name": lang.name} for lang in project.languages]},
                     ensure_ascii=False))
    return 0


def _coverage(args: argparse.Namespace) -> int:
    from . import reports
    from .catalogs import coverage

    if args.paths:
        report = coverage.Report(coverage.scan(args.paths, cache=coverage.CoverageCache.default()))
    else:
        project = _project(args)
        docs, langs = _select(project, args, pseudo=True)
        ids, codes = {d.id for d in docs}, {lang.code for lang in langs}
        extra = [lang for lang in langs if lang.pseudo]  # counted when asked for by name
        items = coverage.project_coverage(project, cache=coverage.CoverageCache.for_project(project),
                                          languages=[*project.target_languages, *extra])
        report = coverage.Report([c for c in items if c.document in ids and c.language in codes])
    if args.badges:
        args.badges.mkdir(parents=True, exist_ok=True)
        for code, (messages, _words) in report.by_language().items():
            (args.badges / f"{code}.svg").write_text(reports.badge_svg(code, messages.percent), encoding="utf-8")
    if args.json:
        args.format = "json"
    if args.format == "table" and not args.output:
        reports.print_table(report)
        return 0
    text = {
        "table": lambda: reports.to_markdown(report),
        "json": lambda: json.dumps(reports.to_json(report), ensure_ascii=False, indent=2) + "\n",
        "markdown": lambda: reports.to_markdown(report),
        "html": lambda: reports.to_html(report),
    }[args.format]()
    _emit(text, args.output)
    return 0


def _changes(args: argparse.Namespace) -> int:
    from . import results
    from .catalogs import changes

    project = _project(args)
    items = [project.catalog(d) for d in args.doc] if args.doc else None
    report = changes.changes(project, changes.language(project, args.lang), args.since, items)
    if args.json and not args.output:
        args.format = "json"  # standard output holds one thing: the result
    if args.format == "json":
        text = json.dumps(results.changes(report), ensure_ascii=False, indent=2) + "\n"
    else:
        text = changes.to_markdown(report)
    if args.output is None:
        sys.stdout.write(text)
        return 0
    _emit(text, args.output)
    totals = report.totals
    _progress(args)(f"wrote {_shown(str(args.output))}: {totals.new} new, {totals.changed} changed, {totals.removed} "
                    f"removed messages")
    _result(args, lambda: results.changes(report))
    return 0


def _check(args: argparse.Namespace) -> int:
    from . import checks, results

    project = _project(args)
    docs, langs = _select(project, args, catalogs=True)
    problems = checks.check_project(project, langs=langs, docs=docs)
    errors = sum(1 for p in problems if p.severity == "error")
    if args.json or args.format == "json":
        args.json = True
        _result(args, lambda: results.check(problems))
    else:
        for problem in problems:
            print(f"{problem}\n    {problem.explanation}")
        print(f"{errors} errors, {len(problems) - errors} warnings")
    return 1 if errors else 0


def _gate(args: argparse.Namespace) -> int:
    from . import gate, results

    project = _project(args)
    docs, langs = _select(project, args)
    ids, codes = {d.id for d in docs}, {lang.code for lang in langs}
    decisions = [d for d in gate.decide(project) if d.document.id in ids and d.language.code in codes]
    blocked = [d for d in decisions if d.blocks_release]
    if args.json or args.format == "json":
        args.json = True
        _result(args, lambda: results.gate(decisions))
    else:
        for status in ("ship", "draft", "withhold"):
            chosen = [d for d in decisions if d.status == status]
            print(f"{_GATE_HEADINGS[status]}: {len(chosen)}")
            for d in chosen:
                print(f"  {d.document.id} ({d.language.code}): {d.reason}")
                for m in d.missing[: args.show]:
                    why = f" ({m.reason})" if m.reason not in ("", m.state, "not translated") else ""
                    print(f"    {m.path}:{m.line}: {m.state}{why}: {_short(m.msgid)}")
                if len(d.missing) > args.show:
                    print(f"    … and {len(d.missing) - args.show} more ({len(d.missing)} in all)")
        for d in blocked:
            print(f"cop-docs: gate: required language '{d.language.code}' is below its threshold for "
                  f"'{d.document.id}'", file=sys.stderr)
    return 1 if blocked else 0


def _clean(args: argparse.Namespace) -> int:
    from . import cache, files, results

    project = _project(args, remember=False)  # leaves no cache behind it
    removed = cache.clean(project, everything=args.all)
    progress = _progress(args)
    for path in removed:
        progress(f"removed {files.relative(path, project.root)}/")
    if not removed:
        progress("nothing to remove")
    _result(args, lambda: results.files("clean", removed, project.root))
    return 0


def _migrate_msgids(args: argparse.Namespace) -> int:
    from . import results
    from .catalogs import migrate

    project = _project(args)
    report = migrate.migrate(project)
    progress = _progress(args)
    for path, carried in report.items():
        progress(f"{path}: {carried} entries carried over to their new msgids")
    if not report:
        progress("nothing to carry over: every msgid is already as typed")
    _result(args, lambda: results.files("migrate-msgids", [project.root / p for p in report], project.root,
                                        carried=report))
    return 0


def _preview(args: argparse.Namespace) -> int:
    from . import preview, results

    project = _project(args)
    docs, langs = _select(project, args, pseudo=True)
    sheets = preview.preview(project, docs, langs, pages=args.pages, width=args.width or preview.DEFAULT_WIDTH,
                             dpi=args.dpi, jobs=args.jobs, progress=_progress(args))
    _result(args, lambda: results.files("preview", sheets, project.root))
    return 0


def _linkcheck(args: argparse.Namespace) -> int:
    from . import linkcheck, results

    site = args.site if args.site is not None else _project(args).root / "build" / "web"
    if not site.is_dir():
        raise CopDocsError("no web site in this folder (build one with `cop-docs build --format html`)", site)
    if args.root is not None and not site.resolve().is_relative_to(args.root.resolve()):
        raise CopDocsError(f"the site is not inside --root {args.root}", site)
    report = linkcheck.check_site(site, args.root)
    if args.json:
        _result(args, lambda: results.linkcheck(report))
    else:
        for broken in report.broken:
            print(f"{_shown(str(broken.path))}:{broken.line}: error: [link] '{broken.link}': {broken.reason}")
        print(f"{report.pages} pages, {report.stylesheets} stylesheets, {report.links} links, "
              f"{len(report.external)} addresses of other sites (not fetched), {len(report.broken)} broken")
    return 1 if report.broken else 0


def _weblate(args: argparse.Namespace) -> int:
    from . import results
    from .exchange import weblate
    from .files import relative

    project = _project(args)
    written = weblate.write(project, args.output)
    for path, changed in written:
        _progress(args)(f"{'wrote' if changed else 'unchanged'} {relative(path, project.root)}")
    _result(args, lambda: results.files("weblate", [path for path, _ in written], project.root))
    return 0


_GATE_HEADINGS = {"ship": "Released", "draft": "Drafts (built with a draft mark)", "withhold": "Withheld (not built)"}


def _short(text: str, width: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _md2pot(args: argparse.Namespace) -> int:
    from . import results
    from .catalogs import extract, po, pofiles
    from .sources import read_source

    _needs_output(args)
    source = read_source(args.markdown, root=args.markdown.parent)
    template = extract.template_catalog(args.markdown.stem, [(source.path, unit) for unit in source.units])
    if args.output:
        pofiles.write_template(args.output, template)
    else:
        sys.stdout.write(po.dumps(template))
    _result(args, lambda: results.files("md2pot", [args.output], None, messages=len(template.messages)))
    return 0


def _po2md(args: argparse.Namespace) -> int:
    from . import results
    from .catalogs import coverage, po
    from .sources import read_source
    from .substitution import substituted

    _needs_output(args)
    source = read_source(args.markdown, root=args.markdown.parent)  # its checks: raw HTML, depth, fences…
    text = args.markdown.read_text(encoding="utf-8")
    assert source.units is not None
    _emit(substituted(text, coverage.catalog_translations(po.read(args.po))), args.output)
    _result(args, lambda: results.files("po2md", [args.output], None))
    return 0


def _needs_output(args: argparse.Namespace) -> None:
    if args.json and not args.output:
        raise CopDocsError("--json prints the result; the file itself needs -o/--output")


def _emit(text: str, output: Path | None) -> None:
    from .files import write_atomic

    if output is None:
        sys.stdout.write(text)
    else:
        write_atomic(output, text)
