"""Benchmark: updating one language's PO file from a new template (cop-docs' merge against GNU msgmerge).

Generates, in a temporary folder, a catalog of 8,000 messages (English sentences of 3–40 words, some with
inline Markdown, a few hundred repeated under a msgctxt), its French PO file (fake translations: the words
reversed; most translated, some fuzzy, some empty), and a new template in which ~10% of the messages are
edited slightly (one word changed, added or removed), ~3% are removed and ~3% are new. Then measures:

- cop-docs: ``pofiles.read`` of the POT and the PO, ``merge.merge`` and ``po.dumps`` of the result, i.e.
  the whole update of one file (best of 3, after one warm-up; target ≤ 1.5 s);
- GNU ``msgmerge --previous`` (fuzzy matching, its default) on the same files, and ``msgmerge -N`` (no fuzzy
  matching) for reference;
- agreement: the share of msgmerge's new fuzzy matches that cop-docs also finds (the same msgid matched to the
  same previous msgid), and the fuzzy / obsolete / translated counts of both results.

Prints one JSON object on stdout; progress goes to stderr. Run: ``python benchmarks/update.py``.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import polib
from _common import Prose, best_of, emit, hot_functions, log, machine, r, timed
from rapidfuzz import fuzz

from cop_docs import config, files
from cop_docs.catalogs import extract, merge, pofiles
from cop_docs.catalogs import po as catalog_po

MESSAGES = 8000
WITH_CONTEXT = 300
EDITED, REMOVED, ADDED = 0.10, 0.03, 0.03
REPEAT = 3
TARGET_S = 1.5
PROJECT_FILE = Path(__file__).resolve().parent.parent / "cop-docs.yaml"
CONTEXTS = ("button", "menu", "heading", "table header", "workbook", "campaign kit")
COMMENTS = ("paragraph", "list item", "nested list item (level 2)", "table cell", "table header cell", "footnote",
            "heading level 2", "block quote", "definition")


# --- the catalogs ----------------------------------------------------------------------------------------


class Catalogs:
    def __init__(self, seed: int = 8000):
        self.prose = Prose(seed)
        self.rng = self.prose.rng
        self.seen: set[tuple[str | None, str]] = set()

    def msgid(self) -> str:
        rng = self.rng
        while True:
            if rng.random() < 0.12:  # headings, table headers: short, no full stop
                text = self.prose.title(3, 7)
            else:
                words = self.prose.sentence().split(" ")
                if len(words) > 5 and rng.random() < 0.15:
                    at = rng.randrange(0, len(words) - 3)
                    span = " ".join(words[at:at + 2]).rstrip(",")
                    style = rng.choice(["**{}**", "*{}*", "[{}](https://www.example.org/help)", "`{}`"])
                    words[at:at + 2] = [style.format(span)]
                if rng.random() < 0.03:
                    words[-1] += "[^1]"
                text = " ".join(words)
            if (None, text) not in self.seen:
                self.seen.add((None, text))
                return text

    def template(self) -> list[dict]:
        """The old template's messages, in document order: (msgctxt, msgid, comment, occurrence)."""
        entries = []
        for i in range(MESSAGES - WITH_CONTEXT):
            entries.append({"msgctxt": None, "msgid": self.msgid(), "comment": self.rng.choice(COMMENTS),
                            "occurrences": [(f"sources/handbook/part-{i // 80 + 1:03d}.md", str(i % 80 * 7 + 3))]})
        twins = []
        for src in self.rng.sample(range(len(entries)), WITH_CONTEXT):
            ctxt = self.rng.choice(CONTEXTS)
            twins.append((src + 1 + self.rng.randrange(0, 40), dict(entries[src], msgctxt=ctxt, comment="table header cell")))
            self.seen.add((ctxt, entries[src]["msgid"]))
        for at, twin in sorted(twins, key=lambda t: t[0], reverse=True):
            entries.insert(at, twin)
        return entries

    def edit(self, text: str) -> str:
        """One word changed, added or removed (only plain words, so the markup stays balanced)."""
        rng = self.rng
        words = text.split(" ")
        plain = [i for i, w in enumerate(words) if w.isalpha()] or [0]
        at = rng.choice(plain)
        op = rng.choice(["change", "add", "remove"] if len(words) > 3 else ["change", "add"])
        replacement = self.prose.words(1)[0]
        if op == "change":
            words[at] = replacement if replacement != words[at] else replacement + "s"
        elif op == "add":
            words.insert(at, replacement)
        else:
            del words[at]
        return " ".join(words)

    def new_template(self, old: list[dict]) -> tuple[list[dict], dict[str, int]]:
        rng = self.rng
        out, stats = [], {"kept": 0, "edited": 0, "removed": 0, "added": 0}
        for entry in old:
            x = rng.random()
            if x < REMOVED:
                stats["removed"] += 1
            elif x < REMOVED + EDITED:
                for _ in range(10):
                    msgid = self.edit(entry["msgid"])
                    if (entry["msgctxt"], msgid) not in self.seen:
                        break
                self.seen.add((entry["msgctxt"], msgid))
                out.append(dict(entry, msgid=msgid))
                stats["edited"] += 1
            else:
                out.append(entry)
                stats["kept"] += 1
            if rng.random() < ADDED:
                out.append({"msgctxt": None, "msgid": self.msgid(), "comment": rng.choice(COMMENTS),
                            "occurrences": entry["occurrences"]})
                stats["added"] += 1
        return out, stats


def fake_translation(msgid: str) -> str:
    return " ".join(reversed(msgid.split(" ")))


def write_pot(path: Path, entries: list[dict]) -> None:
    pot = polib.POFile(wrapwidth=78)
    pot.metadata = extract.header("Benchmark 2026 handbook")
    for e in entries:
        pot.append(polib.POEntry(msgid=e["msgid"], msgctxt=e["msgctxt"], msgstr="", comment=e["comment"],
                                 occurrences=list(e["occurrences"])))
    files.write_atomic(path, str(pot) + "\n")


def write_po(path: Path, entries: list[dict], gen: Catalogs, project: config.Project,
             lang: config.Language) -> dict[str, int]:
    po = polib.POFile(wrapwidth=78)
    po.metadata = extract.header("Benchmark 2026 handbook")
    po.metadata.update({"Language": lang.po_language, "Plural-Forms": lang.plural_forms,
                        "Last-Translator": "Benchmark <bench@example.org>"})
    stats = {"translated": 0, "fuzzy": 0, "untranslated": 0}
    for e in entries:
        entry = polib.POEntry(msgid=e["msgid"], msgctxt=e["msgctxt"], comment=e["comment"],
                              occurrences=list(e["occurrences"]), msgstr=fake_translation(e["msgid"]))
        x = gen.rng.random()
        if x < 0.05:
            entry.msgstr = ""
            stats["untranslated"] += 1
        elif x < 0.07:
            entry.flags.append("fuzzy")
            entry.previous_msgid = gen.edit(e["msgid"])
            stats["fuzzy"] += 1
        else:
            stats["translated"] += 1
        if gen.rng.random() < 0.02:
            entry.tcomment = "Checked with the regional office."
        po.append(entry)
    files.write_atomic(path, str(po) + "\n")
    return stats


# --- the measurements ------------------------------------------------------------------------------------


def cop_update(pot_path: Path, po_path: Path, lang: config.Language, project: config.Project) -> tuple[str, dict]:
    t0 = time.perf_counter()
    pot = pofiles.read(pot_path)
    t1 = time.perf_counter()
    po = pofiles.read(po_path)
    t2 = time.perf_counter()
    NEAREST[1] = 0.0
    new = merge.merge(pot, po, lang, project)
    t3 = time.perf_counter()
    text = catalog_po.dumps(new)
    t4 = time.perf_counter()
    return text, {"read_pot": t1 - t0, "read_po": t2 - t1, "merge": t3 - t2,
                  "merge_of_which_fuzzy_search": NEAREST[1], "dumps": t4 - t3}


#: merge._nearest (the batched RapidFuzz search), wrapped to time it: [function, seconds of the last call]
NEAREST: list = [merge._nearest, 0.0]


def _timed_nearest(*args, **kwargs):
    start = time.perf_counter()
    try:
        return NEAREST[0](*args, **kwargs)
    finally:
        NEAREST[1] += time.perf_counter() - start


merge._nearest = _timed_nearest


def run_msgmerge(args: list[str], po_path: Path, pot_path: Path, out: Path) -> float:
    cmd = ["msgmerge", *args, "--quiet", "-o", str(out), str(po_path), str(pot_path)]
    best, runs, _ = best_of(REPEAT, lambda: subprocess.run(cmd, check=True, capture_output=True))
    log(f"  msgmerge {' '.join(args)}: {best:.3f} s (runs {', '.join(f'{x:.3f}' for x in runs)})")
    return best


def counts(po: polib.POFile) -> dict[str, int]:
    live = [e for e in po if not e.obsolete]
    return {
        "messages": len(live),
        "translated": sum(1 for e in live if e.translated()),
        "fuzzy": sum(1 for e in live if "fuzzy" in e.flags),
        "untranslated": sum(1 for e in live if not e.msgstr and "fuzzy" not in e.flags),
        "obsolete": sum(1 for e in po if e.obsolete),
    }


def agreement(old: polib.POFile, ours: polib.POFile, theirs: polib.POFile) -> dict:
    """Of msgmerge's new fuzzy matches (messages not in the old PO), how many cop-docs matches the same way."""
    old_keys = {(e.msgctxt, e.msgid) for e in old}
    old_by_msgid: dict[str, list[polib.POEntry]] = {}
    for e in old:
        old_by_msgid.setdefault(e.msgid, []).append(e)
    mine = {(e.msgctxt, e.msgid): e for e in ours if not e.obsolete}
    gnu = {(e.msgctxt, e.msgid): e for e in theirs if not e.obsolete}
    gnu_fuzzy = [k for k, e in gnu.items() if "fuzzy" in e.flags and k not in old_keys]
    mine_fuzzy = {k for k, e in mine.items() if "fuzzy" in e.flags and k not in old_keys}
    same, kept_previous, different, missed = [], [], [], []
    for key in gnu_fuzzy:
        entry = mine.get(key)
        if entry is None or "fuzzy" not in entry.flags:
            missed.append(key)
        elif entry.previous_msgid == gnu[key].previous_msgid:
            same.append(key)
        elif entry.msgstr == gnu[key].msgstr and any(
                "fuzzy" in e.flags and e.previous_msgid == gnu[key].previous_msgid
                for e in old_by_msgid.get(entry.previous_msgid, [])):
            # The same candidate, which was itself fuzzy: msgmerge keeps the candidate's own "#| msgid" (the text
            # its translation was made for), cop-docs writes the candidate's msgid.
            kept_previous.append(key)
        else:
            different.append(key)

    def example(key) -> dict:
        ours_prev = mine[key].previous_msgid if key in mine else None
        theirs_prev = gnu[key].previous_msgid
        return {
            "msgid": key[1], "msgctxt": key[0],
            "msgmerge_previous": theirs_prev, "msgmerge_similarity": round(fuzz.ratio(key[1], theirs_prev or ""), 1),
            "cop_docs_previous": ours_prev,
            "cop_docs_similarity": round(fuzz.ratio(key[1], ours_prev), 1) if ours_prev else None,
        }

    extra = sorted(mine_fuzzy - set(gnu_fuzzy), key=str)
    return {
        "msgmerge_new_fuzzy": len(gnu_fuzzy),
        "cop_docs_new_fuzzy": len(mine_fuzzy),
        "same_previous_msgid": len(same),
        "share_of_msgmerge_fuzzy_found_by_cop_docs": round(len(same) / len(gnu_fuzzy), 4) if gnu_fuzzy else None,
        "same_candidate_but_msgmerge_kept_its_previous_msgid": len(kept_previous),
        "same_candidate_share": round((len(same) + len(kept_previous)) / len(gnu_fuzzy), 4) if gnu_fuzzy else None,
        "different_candidate": len(different),
        "different_candidate_where_cop_docs_is_more_similar": sum(
            1 for k in different
            if fuzz.ratio(k[1], mine[k].previous_msgid) > fuzz.ratio(k[1], gnu[k].previous_msgid or "")),
        "different_candidate_where_equally_similar": sum(
            1 for k in different
            if fuzz.ratio(k[1], mine[k].previous_msgid) == fuzz.ratio(k[1], gnu[k].previous_msgid or "")),
        "not_fuzzy_in_cop_docs": len(missed),
        "fuzzy_only_in_cop_docs": len(extra),
        "examples_kept_previous": [example(k) for k in kept_previous[:2]],
        "examples_different_candidate": [example(k) for k in different[:3]],
        "examples_missed": [example(k) for k in missed[:3]],
        "examples_only_cop_docs": [
            {"msgid": k[1], "msgctxt": k[0], "cop_docs_previous": mine[k].previous_msgid,
             "cop_docs_similarity": round(fuzz.ratio(k[1], mine[k].previous_msgid), 1)} for k in extra[:3]
        ],
    }


def msgmerge_version() -> str:
    out = subprocess.run(["msgmerge", "--version"], capture_output=True, text=True, check=True).stdout
    return out.splitlines()[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder and print its path to stderr")
    args = parser.parse_args()
    if not shutil.which("msgmerge"):
        log("GNU gettext's msgmerge is not installed (apt-get install gettext)")
        return 1
    project = config.load(PROJECT_FILE)
    lang = project.language("fr")
    root = Path(tempfile.mkdtemp(prefix="cop-docs-bench-update-"))
    try:
        log(f"generating the catalogs in {root}")
        gen = Catalogs()
        old_entries = gen.template()
        new_entries, changes = gen.new_template(old_entries)
        po_path, pot_path = root / "fr.po", root / "handbook.pot"
        old_stats = write_po(po_path, old_entries, gen, project, lang)
        write_pot(pot_path, new_entries)
        check = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(po_path)], capture_output=True, text=True)

        log("cop-docs: warm-up, then best of 3")
        first, _ = timed(lambda: cop_update(pot_path, po_path, lang, project))
        runs = []
        for _ in range(REPEAT):
            seconds, (text, stages) = timed(lambda: cop_update(pot_path, po_path, lang, project))
            runs.append((seconds, stages))
            log(f"  cop-docs update: {seconds:.3f} s")
        best, stages = min(runs, key=lambda run: run[0])
        ours_path = root / "fr.cop-docs.po"
        files.write_atomic(ours_path, text)

        log("GNU msgmerge")
        gnu_path, gnu_n_path = root / "fr.msgmerge.po", root / "fr.msgmerge-N.po"
        gnu_s = run_msgmerge(["--previous"], po_path, pot_path, gnu_path)
        gnu_n_s = run_msgmerge(["-N"], po_path, pot_path, gnu_n_path)

        # compared through polib, a reader of its own
        old, ours, theirs = polib.pofile(str(po_path)), polib.pofile(str(ours_path)), polib.pofile(str(gnu_path))
        result = {
            "benchmark": "update",
            "machine": machine(),
            "msgmerge": msgmerge_version(),
            "input": {
                "old_po_messages": len(old), "old_po": old_stats, "new_pot_messages": len(new_entries),
                "changes": changes, "with_msgctxt": sum(1 for e in new_entries if e["msgctxt"]),
                "po_bytes": po_path.stat().st_size, "pot_bytes": pot_path.stat().st_size,
                "msgfmt_c_accepts_po": check.returncode == 0,
            },
            "cop_docs": {
                "seconds": r(best), "runs_s": [r(x[0]) for x in runs], "first_run_s": r(first),
                "breakdown_s": {k: r(v) for k, v in stages.items()},
                "target_s": TARGET_S, "meets_target": best <= TARGET_S,
            },
            "msgmerge_previous_s": r(gnu_s),
            "msgmerge_N_s": r(gnu_n_s),
            "cop_docs_over_msgmerge": round(best / gnu_s, 3),
            "counts": {"cop_docs": counts(ours), "msgmerge_previous": counts(theirs),
                       "msgmerge_N": counts(polib.pofile(str(gnu_n_path)))},
            "fuzzy_agreement": agreement(old, ours, theirs),
        }
        if best > TARGET_S:
            result["cop_docs"]["hot_functions"] = hot_functions(lambda: cop_update(pot_path, po_path, lang, project))
        emit(result)
    finally:
        if args.keep:
            log(f"kept {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
