"""Benchmark: building every language × document × format, against the engines' floor.

Copies the project's sample set (``cop-docs.yaml``, ``sources/``, ``translations/``) to a temporary folder and
measures, in this one process:

- pipeline: ``cop_docs.pipeline.build`` for all languages, documents and formats (one warm-up run for imports,
  font caches and the sources cache, then the best of 3);
- floor: the same engine calls made bare for the same localized documents: pandoc json → html5 (standalone,
  the page template, the same options), WeasyPrint HTML → PDF, pandoc json → epub3 (the same options and
  stylesheet), and the e-book's cover (WeasyPrint HTML → PDF, then pdftoppm). The localized ASTs, their JSON
  and the HTML pages are produced first, outside the timing; only the engine calls are timed (a warm-up, then
  the best of 3);
- the pipeline's overhead over the floor, in percent (target ≤ 10%), and where the pipeline's time goes.

Prints one JSON object on stdout; progress goes to stderr. Run: ``python benchmarks/build.py``
(``--project DIR`` to measure another project folder).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import pypandoc
from _common import emit, hot_functions, log, machine, profile, r, timed
from weasyprint import CSS, HTML

from cop_docs import config, localized, pipeline, sources, worker
from cop_docs import pandoc as cop_pandoc
from cop_docs.renderers import Job, cover, epub, pdf, theme
from cop_docs.renderers.pdf import PDF_VARIANT
from cop_docs.templating import THEMES

REPEAT = 3
TARGET_OVERHEAD_PERCENT = 10.0
SOURCE_DATE_EPOCH = "1767225600"  # 2026-01-01: fixed, so no git call decides the date
PROJECT = Path(__file__).resolve().parent.parent


@dataclass
class EngineCall:
    """One bare engine call of the floor, with everything it needs prepared in advance."""

    kind: str  #: "html" (pandoc), "pdf" (WeasyPrint) or "epub" (pandoc)
    label: str
    args: list[str] = field(default_factory=list)
    text: str = ""  #: pandoc's input (the AST as JSON) or WeasyPrint's HTML
    css: str = ""
    output: Path | None = None


def copy_project(source: Path, into: Path) -> Path:
    root = into / "project"
    root.mkdir()
    shutil.copy2(source / config.CONFIG_NAME, root / config.CONFIG_NAME)
    if (source / "glossary.yaml").exists():
        shutil.copy2(source / "glossary.yaml", root / "glossary.yaml")
    for folder in ("sources", "translations"):
        shutil.copytree(source / folder, root / folder)
    return root


def build_all(project: config.Project, jobs: int = 1) -> list[Path]:
    """Every output, rebuilt even when up to date (the floor is one process, so the default is one job)."""
    outcomes = pipeline.build(project, project.documents, project.languages, project.formats, jobs=jobs, force=True)
    failed = [o.detail for o in outcomes if o.status == pipeline.FAILED]
    if failed:
        raise SystemExit(f"build failed: {failed[0]}")
    return [path for o in outcomes for path in o.paths]


def floor_calls(project: config.Project, out: Path) -> list[EngineCall]:
    """The engine calls the pipeline makes, in its order, with their inputs made here (not timed)."""
    calls = []
    for doc in project.documents:
        files = sources.load(project, doc)
        for lang in project.languages:
            job = Job(project, doc, lang, localized.localized(project, doc, lang, files))
            name = f"{doc.id}.{lang.code}"
            if "pdf" in project.formats:
                variables = {"audience-label": doc.audience, "edition": project.edition, "language-name": lang.name}
                args = ["--standalone", f"--template={theme.PAGE_TEMPLATE}", "--wrap=none", "--section-divs",
                        "--toc", "--toc-depth=2", *(f"--variable={k}:{v}" for k, v in sorted(variables.items()))]
                calls.append(EngineCall("html", name, args, json.dumps(job.doc)))
                calls.append(EngineCall("pdf", name, text=pdf.page_html(job), css=theme.print_css(lang, doc.kind),
                                        output=out / f"{name}.pdf"))
            if "epub" in project.formats:
                ast = dict(job.doc)
                meta = dict(ast["meta"])
                meta["identifier"] = {"t": "MetaString", "c": epub.identifier(job)}
                if lang.direction == "rtl":
                    meta["page-progression-direction"] = {"t": "MetaString", "c": "rtl"}
                ast["meta"] = meta
                css = out / f"{name}.css"
                css.write_text(theme.epub_css(lang), encoding="utf-8")
                args = ["--toc", "--toc-depth=2", "--split-level=1", f"--css={css}", "--resource-path=."]
                if lang.direction == "rtl":
                    args.append("--variable=dir:rtl")
                calls.append(EngineCall("epub", name, args, json.dumps(ast), output=out / f"{name}.epub"))
                # The e-book's cover picture: a WeasyPrint page drawn to pixels by pdftoppm.
                calls.append(EngineCall("cover", name, text=cover.cover_html(job), css=cover.cover_css(job)))
    return calls


def run_floor(calls: list[EngineCall], root: Path) -> dict[str, float]:
    exe = pypandoc.get_pandoc_path()
    spent = {"html": 0.0, "pdf": 0.0, "epub": 0.0, "cover": 0.0}
    for call in calls:
        start = time.perf_counter()
        if call.kind == "html":
            subprocess.run([exe, "-f", "json", "-t", "html5", *call.args], input=call.text.encode(),
                           capture_output=True, check=True)
        elif call.kind == "pdf":
            HTML(string=call.text, base_url=str(root) + "/").write_pdf(
                str(call.output), stylesheets=[CSS(string=call.css, base_url=str(THEMES) + "/")],
                pdf_variant=PDF_VARIANT)  # the same tagged PDF the pipeline writes
        elif call.kind == "cover":
            page = HTML(string=call.text, base_url=str(root) + "/").write_pdf(
                stylesheets=[CSS(string=call.css, base_url=str(THEMES) + "/")])
            subprocess.run(["pdftoppm", "-r", str(cover.RESOLUTION), "-singlefile", "-"], input=page,
                           capture_output=True, check=True)
        else:
            subprocess.run([exe, "-f", "json", "-t", "epub3", *call.args, "-o", str(call.output)],
                           input=call.text.encode(), capture_output=True, check=True, cwd=root)
        spent[call.kind] += time.perf_counter() - start
    return spent


def same_html(calls: list[EngineCall]) -> bool:
    """Whether the bare html5 calls give exactly the page the pipeline's renderer gives WeasyPrint."""
    exe = pypandoc.get_pandoc_path()
    for call, page in zip(calls, calls[1:], strict=False):
        if call.kind == "html":
            out = subprocess.run([exe, "-f", "json", "-t", "html5", *call.args], input=call.text.encode(),
                                 capture_output=True, check=True).stdout.decode()
            if out.replace("\r\n", "\n").strip() != page.text.replace("\r\n", "\n").strip():
                return False
    return True


class Stages:
    """Times the pipeline's stages by wrapping the functions it looks up at call time (diagnostic run only)."""

    def __init__(self):
        self.seconds: dict[str, float] = {}
        self.calls: dict[str, int] = {}
        self.active: set[str] = set()
        self._undo = []

    def wrap(self, owner, name: str, label: str) -> None:
        original = getattr(owner, name)

        def wrapper(*args, **kwargs):
            if label in self.active:  # a nested call of the same stage (WeasyPrint making a CSS inside write_pdf)
                return original(*args, **kwargs)
            self.active.add(label)
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.active.discard(label)
                self.seconds[label] = self.seconds.get(label, 0.0) + time.perf_counter() - start
                self.calls[label] = self.calls.get(label, 0) + 1

        setattr(owner, name, wrapper)
        self._undo.append((owner, name, original))

    def restore(self) -> None:
        for owner, name, original in reversed(self._undo):
            setattr(owner, name, original)


def instrumented_build(project: config.Project) -> tuple[float, list[Path], dict[str, float], dict[str, int]]:
    """One pipeline build, its stages timed by wrappers (a few dozen extra function calls: negligible)."""
    stages = Stages()
    stages.wrap(sources, "load", "load sources (cached parse)")
    stages.wrap(localized, "_view", "read PO files")
    stages.wrap(localized, "localize", "localize (incl. pandoc parse of translations)")
    stages.wrap(cop_pandoc, "read_markdown", "  of which pandoc parse of translations")
    stages.wrap(worker, "preflight", "preflight (glyph coverage)")
    stages.wrap(cop_pandoc, "write_html", "pandoc json→html5 (through pypandoc)")
    for owner, name in ((HTML, "__init__"), (CSS, "__init__"), (HTML, "write_pdf")):
        stages.wrap(owner, name, "WeasyPrint (HTML and CSS parsing, write_pdf)")
    stages.wrap(cop_pandoc, "write_epub", "pandoc json→epub3 (through pypandoc)")
    try:
        total, outputs = timed(lambda: build_all(project))
    finally:
        stages.restore()
    accounted = sum(v for k, v in stages.seconds.items() if not k.startswith("  "))
    stages.seconds["everything else"] = total - accounted
    return total, outputs, stages.seconds, stages.calls


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", type=Path, default=PROJECT, help="project folder (default: this checkout)")
    parser.add_argument("--repeat", type=int, default=REPEAT, help=f"measured runs of each (default {REPEAT})")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder and print its path to stderr")
    args = parser.parse_args()
    os.environ["SOURCE_DATE_EPOCH"] = SOURCE_DATE_EPOCH
    tmp = Path(tempfile.mkdtemp(prefix="cop-docs-bench-build-"))
    try:
        root = copy_project(args.project.resolve(), tmp)
        project = config.load(root / config.CONFIG_NAME)
        jobs = len(project.documents) * len(project.languages) * len(project.formats)
        log(f"project copied to {root}: {len(project.documents)} documents × {len(project.languages)} languages × "
            f"{len(project.formats)} formats = {jobs} outputs")

        log("pipeline: warm-up (imports, font caches, sources cache)")
        first, outputs, _, _ = instrumented_build(project)
        log(f"  first build: {first:.2f} s")
        log("floor: preparing the localized ASTs and HTML (not timed)")
        floor_dir = tmp / "floor"
        floor_dir.mkdir()
        calls = floor_calls(project, floor_dir)
        identical = same_html(calls)
        run_floor(calls, root)  # warm-up

        log(f"pipeline and floor, interleaved, {args.repeat} times each (the machine's load then hits both alike)")
        runs, floor_runs = [], []
        for i in range(args.repeat):
            total, outputs, stages, counts = instrumented_build(project)
            runs.append((total, stages))
            seconds, spent = timed(lambda: run_floor(calls, root))
            floor_runs.append((seconds, spent))
            log(f"  run {i + 1}: pipeline {total:.2f} s, floor {seconds:.2f} s")
        best, stages = min(runs, key=lambda run: run[0])
        floor_best, floor_spent = min(floor_runs, key=lambda run: run[0])
        overhead = (best - floor_best) / floor_best * 100
        engines = sum(v for k, v in stages.items() if k.startswith(("pandoc json", "WeasyPrint")))
        result = {
            "benchmark": "build",
            "machine": machine(),
            "project": {"documents": [d.id for d in project.documents], "languages": project.codes,
                        "formats": list(project.formats), "outputs": len(outputs),
                        "output_bytes": sum(p.stat().st_size for p in outputs)},
            "pipeline_s": r(best), "pipeline_runs_s": [r(x[0]) for x in runs], "pipeline_first_run_s": r(first),
            "floor_s": r(floor_best), "floor_runs_s": [r(x[0]) for x in floor_runs],
            "floor_breakdown_s": {f"{k} ({sum(1 for c in calls if c.kind == k)} calls)": r(v)
                                  for k, v in floor_spent.items()},
            "floor_html_identical_to_pipeline_html": identical,
            "overhead_percent": round(overhead, 1),
            "target_overhead_percent": TARGET_OVERHEAD_PERCENT,
            "meets_target": overhead <= TARGET_OVERHEAD_PERCENT,
            "pipeline_stages_best_run_s": {k: r(v) for k, v in stages.items()},
            "pipeline_stage_calls": counts,
            "engines_pipeline_vs_floor_s": {
                "pandoc json→html5": {"pipeline": r(stages.get("pandoc json→html5 (through pypandoc)", 0.0)),
                                      "floor": r(floor_spent["html"])},
                "WeasyPrint HTML→PDF": {"pipeline": r(stages.get("WeasyPrint (HTML and CSS parsing, write_pdf)", 0.0)),
                                        "floor": r(floor_spent["pdf"])},
                "pandoc json→epub3": {"pipeline": r(stages.get("pandoc json→epub3 (through pypandoc)", 0.0)),
                                      "floor": r(floor_spent["epub"])},
            },
            "engines_inside_pipeline_s": r(engines),
            "pipeline_outside_engines_s": r(best - engines),
            "outside_engines_over_engines_percent": round((best - engines) / engines * 100, 1),
            "overhead_percent_of_medians": round((statistics.median(x[0] for x in runs)
                                                  - statistics.median(x[0] for x in floor_runs))
                                                 / statistics.median(x[0] for x in floor_runs) * 100, 1),
            "note": "overhead_percent compares the best pipeline run with the best floor run; on a loaded machine the "
                    "engines' own times vary by ±10% from run to run, so outside_engines_over_engines_percent "
                    "(the pipeline's own work over the engine calls it made, in the same run) is the steadier measure",
        }
        if overhead > TARGET_OVERHEAD_PERCENT:
            log("profiling one pipeline build (target missed)")
            stats = profile(lambda: build_all(project))
            result["hot_functions_project_cumtime"] = hot_functions(stats, limit=12, sort="cumtime",
                                                                    only=("cop_docs/", "pypandoc"))
            result["hot_functions_tottime"] = hot_functions(stats, limit=10)
        emit(result)
    finally:
        if args.keep:
            log(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
