"""Benchmark: translation coverage over many catalogs (cop-docs' reader against ``msgfmt --statistics``).

Generates, in a temporary folder, 500 PO files of ~16 MB in all (seeded, so every run sees the same files):
6 languages (French, Spanish, Russian, Arabic, Chinese, Japanese) × 84 documents less a few, files from a few
KB to ~150 KB, entries as cop-docs writes them (extracted comment, reference, long strings wrapped over lines)
with inline Markdown (strong, emphasis, code, links, footnote references), ~300-message variety of states:
most translated, ~3% fuzzy with a previous msgid, ~5% untranslated, some fuzzy-and-empty, some plural entries
with an empty first or later form, some msgctxt, a few obsolete entries at the end. Translations are fake
(each English word mapped to a word in the language's script), so word counts of CJK text are exercised too.

Then measures:

- GNU ``msgfmt --statistics -o /dev/null`` on every file, one after the other (a shell loop), and in parallel
  with ``xargs -P <cpus>`` for reference;
- cop-docs cold: :func:`coverage.scan` over the folder, no cache (in this process, which already imported
  cop_docs), with and without its worker processes, and as a fresh process with an empty cache (start-up,
  imports, reading, writing the cache and the JSON report): the ``cop-docs coverage DIR --format json``
  command when the CLI has it, else ``python -c`` doing the same;
- cop-docs warm: the same with the cache filled and nothing changed (target ~0.1 s);
- agreement: per file, cop-docs' message counts against msgfmt's (must be equal for every file).

Prints one JSON object on stdout; progress goes to stderr. Run: ``python benchmarks/coverage.py``.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import Prose, best_of, emit, hot_functions, log, machine, r, timed

from cop_docs import reports
from cop_docs.catalogs import coverage

FILES = 500
TOTAL_BYTES = 16_000_000
LANGUAGES = {"fr": "fr", "es": "es", "ru": "ru", "ar": "ar", "zh-Hans": "zh_Hans", "ja": "ja"}
PLURAL_FORMS = {"fr": "nplurals=2; plural=(n > 1);", "es": "nplurals=2; plural=(n != 1);",
                "ru": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
                "ar": "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5);",
                "zh-Hans": "nplurals=1; plural=0;", "ja": "nplurals=1; plural=0;"}
TARGET_WARM_S = 0.1
REPEAT = 3
COMMENTS = ("paragraph", "list item", "nested list item (level 2)", "table cell", "heading level 2", "footnote",
            "block quote", "image alt text", "definition")


# --- the catalogs ----------------------------------------------------------------------------------------

_SCRIPTS = {
    "fr": "abcdefghijklmnopqrstuvwxyzéèàçêô", "es": "abcdefghijklmnopqrstuvwxyzñáéíóú",
    "ru": "абвгдежзийклмнопрстуфхцчшщыьэюя", "ar": "ابتثجحخدذرزسشصضطظعغفقكلمنهوي",
}


def fake_word(word: str, lang: str) -> str:
    """A stable stand-in for a word in the language's script (Han and kana characters for zh and ja)."""
    rng = random.Random(f"{lang}:{word.lower()}")
    if lang == "zh-Hans":
        return "".join(chr(0x4E00 + rng.randrange(0x5000)) for _ in range(rng.randint(1, 3)))
    if lang == "ja":
        return "".join(chr(rng.choice((0x3041 + rng.randrange(80), 0x30A1 + rng.randrange(80), 0x4E00 + rng.randrange(0x5000))))
                       for _ in range(rng.randint(1, 4)))
    letters = _SCRIPTS[lang]
    return "".join(rng.choice(letters) for _ in range(max(1, len(word) + rng.randint(-1, 2))))


_TOKEN = re.compile(r"[A-Za-z']+|[^A-Za-z']+")


def fake_translation(msgid: str, lang: str) -> str:
    """Words replaced, Markdown and URLs kept (a link's target must not change)."""
    out = []
    for part in re.split(r"(\]\([^)]*\)|\[\^\d+\])", msgid):
        if part.startswith("](") or part.startswith("[^"):
            out.append(part)
        else:
            out.append("".join(fake_word(t, lang) if t[0].isalpha() else t for t in _TOKEN.findall(part)))
    text = "".join(out)
    return text.replace(" ", "") if lang in ("zh-Hans", "ja") else text


def quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t") + '"'


def field_lines(name: str, text: str, width: int = 76) -> list[str]:
    """A field as msgmerge and polib write it: on one line if it fits, else ``name ""`` and wrapped lines."""
    if len(text) + len(name) + 3 <= width and "\n" not in text:
        return [f"{name} {quote(text)}"]
    lines = [f'{name} ""']
    line = ""
    for word in re.findall(r"\S+\s*|\s+", text):
        if line and len(line) + len(word) > width - 2:
            lines.append(quote(line))
            line = ""
        line += word
    if line:
        lines.append(quote(line))
    return lines


class Generator:
    def __init__(self, seed: int = 16):
        self.prose = Prose(seed)
        self.rng = self.prose.rng

    def msgid(self) -> str:
        rng = self.rng
        if rng.random() < 0.12:
            return self.prose.title(2, 7)
        words = self.prose.sentence().split(" ")
        if len(words) > 5 and rng.random() < 0.2:
            at = rng.randrange(0, len(words) - 3)
            span = " ".join(words[at:at + 2]).rstrip(",")
            style = rng.choice(["**{}**", "*{}*", "[{}](https://www.example.org/help/page)", "`{}`", "_{}_"])
            words[at:at + 2] = [style.format(span)]
        if rng.random() < 0.03:
            words[-1] += f"[^{rng.randint(1, 9)}]"
        if rng.random() < 0.02:
            words.append("See https://www.example.org/report for details.")
        if rng.random() < 0.15:  # a long paragraph: several sentences
            words += self.prose.sentence().split(" ") + self.prose.sentence().split(" ")
        return " ".join(words)

    def catalog(self, doc: str, lang: str, target_bytes: int) -> tuple[str, dict[str, int]]:
        rng = self.rng
        head = [
            "# Benchmark catalog.", 'msgid ""', 'msgstr ""',
            f'"Project-Id-Version: Benchmark {doc}\\n"',
            '"POT-Creation-Date: 2026-01-01 00:00+0000\\n"', '"PO-Revision-Date: 2026-01-02 00:00+0000\\n"',
            '"Last-Translator: Benchmark <bench@example.org>\\n"', f'"Language: {LANGUAGES[lang]}\\n"',
            '"MIME-Version: 1.0\\n"', '"Content-Type: text/plain; charset=UTF-8\\n"',
            '"Content-Transfer-Encoding: 8bit\\n"', f'"Plural-Forms: {PLURAL_FORMS[lang]}\\n"', "",
        ]
        parts = ["\n".join(head)]
        size = len(parts[0].encode())
        seen: set[tuple[str | None, str]] = set()
        n = 0
        while size < target_bytes:
            n += 1
            msgid = self.msgid()
            ctx = rng.choice(["button", "table header", "menu"]) if rng.random() < 0.03 else None
            if (ctx, msgid) in seen:
                continue
            seen.add((ctx, msgid))
            lines = [f"#. {rng.choice(COMMENTS)}", f"#: sources/{doc}/part-{n // 50 + 1:02d}.md:{n * 7 % 900 + 1}"]
            x = rng.random()
            msgstr = fake_translation(msgid, lang)
            if x < 0.05:
                msgstr = ""
            elif x < 0.08:
                lines.append("#, fuzzy")
                lines += ["#| " + line for line in field_lines("msgid", msgid + " again")]
                if rng.random() < 0.1:
                    msgstr = ""  # fuzzy and empty: untranslated for msgfmt
            if ctx:
                lines += field_lines("msgctxt", ctx)
            lines += field_lines("msgid", msgid)
            if rng.random() < 0.01:
                forms = 1 if lang in ("zh-Hans", "ja") else {"fr": 2, "es": 2, "ru": 3, "ar": 6}[lang]
                lines += field_lines("msgid_plural", msgid + " (many)")
                empty_at = rng.choice([None, None, 0, forms - 1])
                for i in range(forms):
                    lines += field_lines(f"msgstr[{i}]", "" if i == empty_at else msgstr or "x")
            else:
                lines += field_lines("msgstr", msgstr)
            entry = "\n".join(lines) + "\n"
            parts.append(entry)
            size += len(entry.encode())
        for i in range(rng.randint(0, 3)):  # obsolete entries at the end
            old = fake_translation("Removed paragraph", lang)
            parts.append(f'#~ msgid "Removed paragraph {i} of {doc}"\n#~ msgstr "{old}"\n')
        return "\n".join(parts), {"entries": n}


def generate(folder: Path, files: int = FILES, total: int = TOTAL_BYTES, seed: int = 16) -> list[Path]:
    gen = Generator(seed)
    rng = random.Random(seed)
    weights = [rng.lognormvariate(0, 0.8) for _ in range(files)]
    scale = total / sum(weights)
    langs = list(LANGUAGES)
    paths = []
    for i, w in enumerate(weights):
        doc, lang = f"doc-{i // len(langs) + 1:03d}", langs[i % len(langs)]
        path = folder / doc / f"{lang}.po"
        path.parent.mkdir(parents=True, exist_ok=True)
        text, _ = gen.catalog(doc, lang, max(2000, int(w * scale)))
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


# --- the measurements ------------------------------------------------------------------------------------

_MSGFMT_COUNTS = re.compile(r"(\d+) translated messages?(?:, (\d+) fuzzy translations?)?(?:, (\d+) untranslated messages?)?")


def msgfmt_counts(path: Path) -> tuple[int, int, int] | str:
    result = subprocess.run(["msgfmt", "--statistics", "-o", os.devnull, str(path)], capture_output=True, text=True,
                            env={**os.environ, "LC_ALL": "C"})
    m = _MSGFMT_COUNTS.search(result.stderr)
    if result.returncode or not m:
        return result.stderr.strip()
    return (int(m.group(1)), int(m.group(2) or 0), int(m.group(3) or 0))


def shell(command: str) -> float:
    start = time.perf_counter()
    subprocess.run(["bash", "-c", command], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def cli_has_coverage() -> bool:
    result = subprocess.run([sys.executable, "-m", "cop_docs", "coverage", "--help"], capture_output=True, text=True)
    return result.returncode == 0 and "--format" in result.stdout


def command(folder: Path, use_cli: bool) -> list[str]:
    if use_cli:
        return [sys.executable, "-m", "cop_docs", "coverage", str(folder), "--format", "json"]
    code = ("import json, sys; from pathlib import Path; from cop_docs import reports; "
            "from cop_docs.catalogs import coverage as c; "
            "rows = c.scan([Path(sys.argv[1])], c.CoverageCache.for_paths()); "
            "json.dump(reports.to_json(c.Report(rows)), sys.stdout)")
    return [sys.executable, "-c", code, str(folder)]


def run_process(argv: list[str], env: dict[str, str], json_out: bool = True) -> float:
    start = time.perf_counter()
    result = subprocess.run(argv, capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - start
    if result.returncode != 0 or (json_out and not result.stdout.startswith("{")):
        raise SystemExit(f"{' '.join(argv[:4])}… failed: {result.stderr.strip()[-800:]}")
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=FILES, help=f"number of PO files (default {FILES})")
    parser.add_argument("--bytes", type=int, default=TOTAL_BYTES, help=f"their total size (default {TOTAL_BYTES})")
    parser.add_argument("--repeat", type=int, default=REPEAT, help=f"measured runs of each (default {REPEAT})")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder and print its path to stderr")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="cop-docs-bench-coverage-"))
    try:
        folder = tmp / "catalogs"
        log(f"generating {args.files} PO files, {args.bytes / 1e6:.0f} MB in all, in {folder}")
        seconds, paths = timed(lambda: generate(folder, args.files, args.bytes))
        written_at = time.time()
        total_bytes = sum(p.stat().st_size for p in paths)
        log(f"  {len(paths)} files, {total_bytes / 1e6:.1f} MB, in {seconds:.1f} s")

        cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
        files_arg = " ".join(f"'{p}'" for p in paths)
        log("msgfmt --statistics on each file, one after the other (shell loop)")
        loop = f"for f in {files_arg}; do msgfmt --statistics -o /dev/null \"$f\"; done"
        shell(loop)  # warm-up: the files in the page cache, msgfmt's libraries loaded
        msgfmt_seq, msgfmt_seq_runs, _ = best_of(args.repeat, lambda: shell(loop))
        log(f"  best {msgfmt_seq:.2f} s")
        xargs = f"printf '%s\\0' {files_arg} | xargs -0 -n 1 -P {cpus} msgfmt --statistics -o /dev/null"
        msgfmt_par, _, _ = best_of(args.repeat, lambda: shell(xargs))
        log(f"  with xargs -P {cpus}: best {msgfmt_par:.2f} s")

        log("agreement with msgfmt, file by file")
        ours = {str(c.path): c for c in coverage.scan([folder])}
        disagreements = []
        totals = coverage.Counts()
        for p in paths:
            theirs = msgfmt_counts(p)
            mine = ours[str(p)].messages
            totals += mine
            if theirs != mine.as_tuple():
                disagreements.append({"file": str(p.relative_to(tmp)), "msgfmt": theirs, "cop_docs": mine.as_tuple()})
        log(f"  {len(paths) - len(disagreements)} of {len(paths)} files agree")

        log("cop-docs cold, in process (no cache)")
        cold, cold_runs, rows = best_of(args.repeat, lambda: coverage.scan([folder]))
        cold_seq, cold_seq_runs, _ = best_of(args.repeat, lambda: coverage.count_many(paths, parallel=False))
        log(f"  best {cold:.2f} s with worker processes, {cold_seq:.2f} s in one process")
        report = coverage.Report(rows)
        report_s, _, _ = best_of(args.repeat, lambda: reports.to_json(report))

        wait = coverage.CoverageCache.RACY_SECONDS + 0.5 - (time.time() - written_at)
        if wait > 0:  # files younger than that are not cached (their timestamps cannot be trusted yet)
            time.sleep(wait)
        use_cli = cli_has_coverage()
        argv = command(folder, use_cli)
        what = "cop-docs coverage DIR --format json" if use_cli else "python -c '…scan, cache, to_json…'"
        cache_home = tmp / "cache-home"
        env = {**os.environ, "XDG_CACHE_HOME": str(cache_home)}
        log(f"cold and warm runs of a fresh process: {what}")
        cold_process_runs = []
        for _ in range(args.repeat):
            shutil.rmtree(cache_home, ignore_errors=True)
            cold_process_runs.append(run_process(argv, env))
        warm_process, warm_process_runs, _ = best_of(args.repeat + 2, lambda: run_process(argv, env))
        log(f"  cold best {min(cold_process_runs):.2f} s, warm best {warm_process:.3f} s")
        baseline = min(run_process([sys.executable, "-c", "pass"], env, False) for _ in range(3))
        imports = "import cop_docs.cli, cop_docs.catalogs.coverage, cop_docs.reports" if use_cli else \
            "import cop_docs.catalogs.coverage, cop_docs.reports"
        import_s = min(run_process([sys.executable, "-c", imports], env, False) for _ in range(3))

        log("cop-docs warm, in process (cache loaded from disk each run)")
        cache_file = cache_home / "cop-docs" / coverage.CACHE_NAME

        def warm_run() -> coverage.CoverageCache:
            cache = coverage.CoverageCache(cache_file)
            coverage.scan([folder], cache)  # loads the cache, saves it if it changed
            return cache

        warm, warm_runs, cache = best_of(args.repeat + 2, warm_run)
        log(f"  best {warm:.3f} s ({cache.hits} cache hits, {cache.misses} misses)")

        result = {
            "benchmark": "coverage",
            "machine": machine(),
            "data": {"files": len(paths), "bytes": total_bytes, "messages": totals.total,
                     "translated_fuzzy_untranslated": list(totals.as_tuple()),
                     "source_words": report.total()[1].total, "generation_s": r(seconds)},
            "msgfmt_statistics_each_file_s": r(msgfmt_seq), "msgfmt_runs_s": [r(x) for x in msgfmt_seq_runs],
            f"msgfmt_statistics_xargs_P{cpus}_s": r(msgfmt_par),
            "cop_docs_cold_in_process_s": r(cold), "cop_docs_cold_in_process_runs_s": [r(x) for x in cold_runs],
            "cop_docs_cold_in_process_one_worker_s": r(cold_seq),
            "cop_docs_cold_in_process_one_worker_runs_s": [r(x) for x in cold_seq_runs],
            "cop_docs_cold_process": {"command": what, "best_s": r(min(cold_process_runs)),
                                      "runs_s": [r(x) for x in cold_process_runs]},
            "cop_docs_warm_process": {"command": what, "best_s": r(warm_process), "runs_s": [r(x) for x in warm_process_runs],
                                      "of_which_python_start_s": r(baseline),
                                      "of_which_python_start_and_imports_s": r(import_s)},
            "cop_docs_warm_in_process_s": r(warm), "cop_docs_warm_in_process_runs_s": [r(x) for x in warm_runs],
            "warm_cache": {"hits": cache.hits, "misses": cache.misses, "cache_bytes": cache_file.stat().st_size},
            "to_json_s": r(report_s),
            "cold_process_over_msgfmt": round(min(cold_process_runs) / msgfmt_seq, 3),
            "meets_target_cold": min(cold_process_runs) <= msgfmt_seq,
            "target_warm_s": TARGET_WARM_S,
            "meets_target_warm": warm_process <= TARGET_WARM_S * 1.5,
            "agreement_with_msgfmt": {"files_equal": len(paths) - len(disagreements), "files": len(paths),
                                      "disagreements": disagreements[:10]},
        }
        if min(cold_process_runs) > msgfmt_seq or disagreements:
            log("profiling one cold run in one process")
            result["hot_functions_one_worker"] = hot_functions(lambda: coverage.count_many(paths, parallel=False), limit=12)
        emit(result)
        return 0 if not disagreements else 1
    finally:
        if args.keep:
            log(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
