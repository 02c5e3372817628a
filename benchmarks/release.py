"""Benchmark: the release build with 1 and 2 jobs, a no-op rebuild and a one-document change, against the floor.

Copies the project (``cop-docs.yaml``, ``glossary.yaml``, ``sources/``, ``translations/``) into a temporary git
checkout and measures:

- full build, every output forced, with 1 job and with 2 jobs (in this process, ``pipeline.build``); the speed-up
  (target ≥ 1.8× on 2 cores);
- the floor: the same WeasyPrint and pandoc calls made bare in one process (from ``build.py``); the one-job build's
  overhead over it (target ≤ 10%);
- a no-op: ``cop-docs build`` run as a user runs it, after a build, with nothing changed (target ≤ 1 s), and
  ``cop-docs release`` with nothing changed;
- a one-document change: one paragraph of one catalog edited, then ``cop-docs build``: the time and which outputs
  were rebuilt.

Prints one JSON object on stdout; progress goes to stderr. Run: ``python benchmarks/release.py`` (``--repeat N``).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import emit, log, machine, r, timed

from build import copy_project, floor_calls, run_floor
from cop_docs import config, dates, pipeline

PROJECT = Path(__file__).resolve().parent.parent
TARGETS = {"speedup_2_jobs": 1.8, "noop_s": 1.0, "overhead_percent": 10.0}


def cli(root: Path, *args: str) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "cop_docs", "-C", str(root), *args], capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"cop-docs {' '.join(args)} failed: {result.stderr.strip()}")
    return seconds, result


def forced_build(project: config.Project, jobs: int) -> float:
    seconds, outcomes = timed(lambda: pipeline.build(project, project.documents, project.languages, project.formats,
                                                     jobs=jobs, force=True))
    failed = [o for o in outcomes if o.status == pipeline.FAILED]
    if failed:
        raise SystemExit(f"build failed: {failed[0].detail}")
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", type=Path, default=PROJECT)
    parser.add_argument("--repeat", type=int, default=2, help="measured runs of each full build (default 2)")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="cop-docs-bench-release-"))
    try:
        root = copy_project(args.project.resolve(), tmp)
        env = {**os.environ, "GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.org",
               "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "bench@example.org"}
        for git in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "benchmark"]):
            subprocess.run(["git", *git], cwd=root, check=True, capture_output=True, env=env)
        project = config.load(root / config.CONFIG_NAME)
        outputs = len(project.documents) * len(project.languages) * len(project.formats)
        log(f"{outputs} outputs; warm-up build (imports, caches)")
        forced_build(project, 2)

        one, two = [], []
        for i in range(args.repeat):
            one.append(forced_build(project, 1))
            two.append(forced_build(project, 2))
            log(f"  run {i + 1}: 1 job {one[-1]:.1f} s, 2 jobs {two[-1]:.1f} s")
        log("floor: the same engine calls, bare, in one process")
        floor_dir = tmp / "floor"
        floor_dir.mkdir()
        os.environ["SOURCE_DATE_EPOCH"] = str(dates.project_epoch(project))
        calls = floor_calls(project, floor_dir)
        floor = min(timed(lambda: run_floor(calls, root))[0] for _ in range(args.repeat))
        del os.environ["SOURCE_DATE_EPOCH"]

        log("no-op: cop-docs build and cop-docs release with nothing changed")
        cli(root, "build")
        noop = [cli(root, "build")[0] for _ in range(5)]
        cli(root, "release")
        noop_release = [cli(root, "release")[0] for _ in range(3)]

        log("one catalog changed")
        po = project.po_path(project.document("parents-educators"), project.language("fr"))
        text = po.read_text(encoding="utf-8")
        at = text.index('msgstr "', text.index("\nmsgid ", text.index("#: sources/parents-educators/guide.md")))
        po.write_text(text[:at + 8] + "(révisé) " + text[at + 8:], encoding="utf-8")
        changed_s, result = cli(root, "build")
        rebuilt = sorted(line.split()[1] for line in result.stdout.splitlines() if line.startswith("built "))

        best1, best2 = min(one), min(two)
        overhead = (best1 - floor) / floor * 100
        emit({
            "benchmark": "release",
            "machine": machine(),
            "outputs": outputs,
            "full_build_1_job_s": r(best1), "full_build_1_job_runs_s": [r(x) for x in one],
            "full_build_2_jobs_s": r(best2), "full_build_2_jobs_runs_s": [r(x) for x in two],
            "speedup_2_jobs": round(best1 / best2, 2),
            "floor_s": r(floor),
            "overhead_percent": round(overhead, 1),
            "noop_build_s": r(min(noop)), "noop_build_runs_s": [r(x) for x in noop],
            "noop_release_s": r(min(noop_release)),
            "one_catalog_changed_build_s": r(changed_s), "one_catalog_changed_rebuilt": rebuilt,
            "targets": TARGETS,
            "meets_targets": {"speedup_2_jobs": best1 / best2 >= TARGETS["speedup_2_jobs"],
                              "noop_s": min(noop) <= TARGETS["noop_s"],
                              "overhead_percent": overhead <= TARGETS["overhead_percent"]},
            "note": "the no-op and one-change times are whole command runs (Python start-up included); the floor "
                    "makes the bare WeasyPrint, pdftoppm and pandoc calls of the PDF, the EPUB and its cover; the "
                    "EPUB's font subsets (fontTools, cached) and its packaging are the pipeline's own work",
        })
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
