"""Benchmark: what the translation memory fills when a new document reuses the project's sentences, and what it
costs an update with nothing to fill.

Copies the project (``cop-docs.yaml``, ``glossary.yaml``, ``sources/``, ``translations/``; ``--project DIR`` for
another) to a temporary folder, then:

- **no-op**: ``cop-docs update`` with nothing new, as a whole command (best of 5), and in process the same update
  with the memory (``sync.update_catalogs``) and without it (each catalog merged with no memory), best of 5 each,
  alternating: the memory is built only when a message needs it, so the two should match;
- **new document**: a master made of the snippets' and guides' messages (seeded): 60 as they are, 40 edited
  (one to three words changed, added or removed), 10 new sentences; declared in the project file, then
  ``cop-docs update --json``: per language, the messages and source words the memory filled (exact and fuzzy
  apart), those left untranslated, how similar the edited messages are to what they were made from, and whether
  ``msgfmt -c`` accepts every new catalog; timed against the same update without the memory (in process, on a
  second copy).

Prints one JSON object on stdout; progress goes to stderr. Run: ``python benchmarks/memory_fill.py``.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import best_of, emit, log, machine, r
from rapidfuzz import fuzz

from cop_docs import config, words
from cop_docs.catalogs import memory, po, pofiles, sync

ROOT = Path(__file__).resolve().parent.parent
COPIED = ("cop-docs.yaml", "glossary.yaml", "sources", "translations")
DOC_ID = "reuse"
EXACT, EDITED, FRESH = 60, 40, 10  # messages of the new document
EDITS = (1, 1, 2, 3)  #: words edited in an edited message, drawn from these
REPEAT = 5
#: message kinds of the templates that can stand alone in a new master, and how they are written there
WRITTEN = {"paragraph": "{}", "list item": "- {}", "heading level 2": "## {}", "heading level 3": "### {}"}
FRESH_SENTENCES = [
    "Our library runs a weekly club where children build simple robots together.",
    "Ask the school which learning platforms it uses and who can see the pupils' work.",
    "Write the names of three adults you trust on the inside cover of this leaflet.",
    "Charge phones and tablets outside the bedroom, and keep an old alarm clock instead.",
    "A game with a chat window needs the same care as any other place where strangers meet.",
    "Look for the report button before you need it, and show your child where it is.",
    "Some apps ask for the microphone or the camera when they do not need either.",
    "Agree on what happens when a rule is broken, before it happens.",
    "Talk about adverts that look like posts, and how to spot them.",
    "Keep a list of the accounts your family has, and close the ones nobody uses.",
]


def copy_project(source: Path, target: Path) -> Path:
    target.mkdir(parents=True)
    for name in COPIED:
        path = source / name
        if path.is_dir():
            shutil.copytree(path, target / name)
        elif path.is_file():
            shutil.copy2(path, target / name)
    return target


def cli(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cop_docs", "-C", str(root), *args], capture_output=True, text=True,
                          cwd=ROOT, check=False)


# --- the new document ------------------------------------------------------------------------------------------

def reusable(project: config.Project) -> list[tuple[str, str, str]]:
    """(catalog, kind, msgid) of the snippets' and guides' messages that can stand alone in a new master."""
    guides = [d for d in project.documents if d.kind == "guide"]
    out = []
    for item in [*project.snippets, *guides]:
        for entry in pofiles.read(project.pot_path(item)).messages:
            kind = entry.extracted[0] if entry.extracted else ""
            text = entry.msgid
            if kind not in WRITTEN or entry.msgctxt is not None or len(text.split()) < 4:
                continue
            if any(mark in text for mark in ("[^", "][", "{", "<", "\n", "|", "`")):  # notes, references, attributes
                continue
            out.append((item.id, kind, text))
    return list({text: (c, k, text) for c, k, text in out}.values())


def edit(rng: random.Random, text: str, vocabulary: list[str]) -> str:
    """One to three plain words changed, added or removed, as an author revising a sentence would."""
    tokens = text.split(" ")
    for _ in range(rng.choice(EDITS)):
        plain = [i for i, t in enumerate(tokens) if t.isalpha() and t.islower()] or [len(tokens) - 1]
        at = rng.choice(plain)
        op = rng.choice(["change", "add", "remove"] if len(plain) > 3 else ["change", "add"])
        word = rng.choice(vocabulary)
        if op == "change":
            tokens[at] = word if word != tokens[at] else word + "s"
        elif op == "add":
            tokens.insert(at, word)
        else:
            del tokens[at]
    return " ".join(tokens)


def new_master(project: config.Project, seed: int = 2026) -> tuple[str, dict]:
    rng = random.Random(seed)
    pool = reusable(project)
    rng.shuffle(pool)
    vocabulary = sorted({t for _, _, text in pool for t in text.split() if t.isalpha() and t.islower() and len(t) > 3})
    chosen_exact = pool[:EXACT]
    chosen_edited = pool[EXACT:EXACT + EDITED]
    known = {text for _, _, text in pool}
    blocks, plan = [], {"exact": [], "edited": [], "fresh": list(FRESH_SENTENCES[:FRESH])}
    for catalog, kind, text in chosen_exact:
        blocks.append((kind, text))
        plan["exact"].append({"msgid": text, "from": catalog})
    for catalog, kind, text in chosen_edited:
        changed = edit(rng, text, vocabulary)
        if changed in known:
            continue
        blocks.append((kind, changed))
        plan["edited"].append({"msgid": changed, "from": catalog, "original": text,
                               "similarity": round(fuzz.ratio(changed, text), 1)})
    blocks += [("paragraph", text) for text in plan["fresh"]]
    rng.shuffle(blocks)
    lines = ["# Reusing what is translated", ""]
    previous = None
    for kind, text in blocks:
        if previous == "list item" and kind != "list item":
            lines.append("")
        lines.append(WRITTEN[kind].format(text))
        if kind != "list item":
            lines.append("")
        previous = kind
    return "\n".join(lines).rstrip() + "\n", plan


def declare(root: Path) -> None:
    path = root / "cop-docs.yaml"
    text = path.read_text(encoding="utf-8")
    entry = (f"  - id: {DOC_ID}\n    audience: Parents, carers and educators\n    kind: guide\n"
             f"    title: Reusing what is translated\n    sources: [sources/{DOC_ID}/guide.md]\n")
    at = text.index("\nsnippets:")
    path.write_text(text[:at + 1] + entry + text[at + 1:], encoding="utf-8")


# --- measurements ----------------------------------------------------------------------------------------------

def update_without_memory(project: config.Project, items) -> None:
    langs = [lang for lang in project.languages if lang.code != project.source_language]
    for item in items:
        sync.update_template(project, item)
        pot = pofiles.read(project.pot_path(item))
        for lang in langs:
            sync.update_catalog(project, item, lang, pot, None)


def noop(root: Path) -> dict:
    project = config.load(root / "cop-docs.yaml")
    first = cli(root, "update", "--json")
    if first.returncode != 0:
        raise SystemExit(first.stderr)
    changed = json.loads(first.stdout)["changed"]
    command, command_runs, _ = best_of(REPEAT, lambda: cli(root, "update"))
    with_memory: list[float] = []
    without: list[float] = []
    for _ in range(REPEAT):  # alternating, so that the machine's load hits both alike
        start = time.perf_counter()
        written = sync.update_catalogs(project, project.catalogs, project.languages)
        with_memory.append(time.perf_counter() - start)
        start = time.perf_counter()
        update_without_memory(project, project.catalogs)
        without.append(time.perf_counter() - start)
    assert not any(w.filled for w in written)
    return {"catalogs_changed_by_first_update": changed, "command_best_s": r(command),
            "command_runs_s": [r(x) for x in command_runs],
            "in_process_with_memory_best_s": r(min(with_memory)), "in_process_without_memory_best_s": r(min(without)),
            "extra_percent": round(100 * (min(with_memory) - min(without)) / min(without), 1)}


def fill(root: Path, other: Path, plan: dict) -> dict:
    start = time.perf_counter()
    result = cli(root, "update", "--json", "--doc", DOC_ID)
    command_s = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(result.stderr)
    report = json.loads(result.stdout)
    project = config.load(root / "cop-docs.yaml")
    item = project.document(DOC_ID)

    # the same update in process, with and without the memory, on two copies in the same state
    other_project = config.load(other / "cop-docs.yaml")
    start = time.perf_counter()
    update_without_memory(other_project, [other_project.document(DOC_ID)])
    without_s = time.perf_counter() - start
    for lang in other_project.target_languages:
        other_project.po_path(item, lang).unlink()
    start = time.perf_counter()
    sync.update_catalogs(other_project, [other_project.document(DOC_ID)], other_project.languages)
    with_s = time.perf_counter() - start

    languages = {}
    edited = {e["msgid"]: e for e in plan["edited"]}
    for lang in project.target_languages:
        path = project.po_path(item, lang)
        catalog = po.read(path)
        messages = catalog.messages
        msgfmt = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(path)], capture_output=True, text=True)
        exact = [e for e in messages if e.state == po.TRANSLATED and any(c.startswith(memory.COMMENT) for c in e.comments)]
        fuzzy = [e for e in messages if e.state == po.FUZZY and any(c.startswith(memory.COMMENT) for c in e.comments)]
        empty = [e for e in messages if e.state == po.UNTRANSLATED]
        edited_fuzzy = [e for e in fuzzy if e.msgid in edited]
        languages[lang.code] = {
            **report["memory"][lang.code],
            "untranslated": {"messages": len(empty), "words": sum(words.count_markdown(e.msgid) for e in empty)},
            "edited_proposed_fuzzy": len(edited_fuzzy),
            "edited_proposal_is_its_original": sum(e.previous_msgid == edited[e.msgid]["original"] for e in edited_fuzzy),
            "origins": _origins(exact + fuzzy),
            "msgfmt_c_ok": msgfmt.returncode == 0,
        }
    similarities = [e["similarity"] for e in plan["edited"]]
    return {
        "new_document": {"messages": len(pofiles.read(project.pot_path(item)).messages),
                         "reused_as_they_are": len(plan["exact"]), "edited": len(plan["edited"]),
                         "fresh": len(plan["fresh"]),
                         "edited_similarity_percent": {"min": min(similarities), "median": statistics.median(similarities),
                                                       "max": max(similarities),
                                                       "at_or_above_threshold": sum(s >= project.memory.fuzzy_threshold
                                                                                    for s in similarities)}},
        "fuzzy_threshold": project.memory.fuzzy_threshold,
        "filled_per_language": languages,
        "update_command_s": r(command_s),
        "in_process_with_memory_s": r(with_s),
        "in_process_without_memory_s": r(without_s),
    }


def _origins(entries: list[po.Entry]) -> dict[str, int]:
    out: dict[str, int] = {}
    for e in entries:
        origin = next(c for c in e.comments if c.startswith(memory.COMMENT))[len(memory.COMMENT):].split(" (")[0]
        out[origin] = out.get(origin, 0) + 1
    return dict(sorted(out.items(), key=lambda kv: -kv[1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--project", type=Path, default=ROOT)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="cop-docs-memory-"))
    try:
        root = copy_project(args.project, tmp / "project")
        log("no-op update (nothing to fill)…")
        quiet = noop(root)
        project = config.load(root / "cop-docs.yaml")
        master, plan = new_master(project)
        (root / "sources" / DOC_ID).mkdir()
        (root / "sources" / DOC_ID / "guide.md").write_text(master, encoding="utf-8")
        declare(root)
        other = tmp / "other"
        shutil.copytree(root, other, ignore=shutil.ignore_patterns("build"))
        log("update with the new document…")
        filled = fill(root, other, plan)
        emit({"machine": machine(), "project": {"documents": len(project.documents), "snippets": len(project.snippets),
                                                 "languages": len(project.target_languages)},
              "noop_update": quiet, **filled})
    finally:
        if args.keep:
            log(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
