"""Helpers shared by the benchmark scripts (not a benchmark itself, never imported by cop_docs or the tests).

- timing: :func:`timed`, :func:`best_of`;
- output: :func:`log` (stderr) and :func:`emit` (one JSON object on stdout);
- profiling: :func:`hot_functions`, the top entries of a cProfile run;
- text: :class:`Prose`, a seeded generator of varied English sentences on the project's subject.
"""

from __future__ import annotations

import cProfile
import json
import platform
import pstats
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def emit(result: dict[str, Any]) -> None:
    json.dump(result, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def best_of(n: int, fn: Callable[[], Any], setup: Callable[[], Any] | None = None) -> tuple[float, list[float], Any]:
    """Run ``fn`` n times (``setup`` before each, untimed); the best time, every time and the last result."""
    times: list[float] = []
    value = None
    for _ in range(n):
        if setup is not None:
            setup()
        seconds, value = timed(fn)
        times.append(seconds)
    return min(times), times, value


def r(seconds: float) -> float:
    return round(seconds, 4)


def machine() -> dict[str, Any]:
    import os

    return {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform(),
            "load_average_1_5_15min": [round(x, 2) for x in os.getloadavg()]}


def profile(fn: Callable[[], Any]) -> pstats.Stats:
    prof = cProfile.Profile()
    prof.enable()
    try:
        fn()
    finally:
        prof.disable()
    return pstats.Stats(prof)


def hot_functions(fn: Callable[[], Any] | pstats.Stats, limit: int = 12, sort: str = "tottime",
                  only: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """Profile one call of ``fn`` (or read a profile); the functions that take the most time, optionally only
    those whose file contains one of ``only``. Time waiting on a child process, such as pandoc, shows up under
    the ``poll``/``read``/``waitpid`` built-ins."""
    stats = fn if isinstance(fn, pstats.Stats) else profile(fn)
    rows = []
    for (file, line, name), (_cc, calls, tottime, cumtime, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        if only and not any(part in file for part in only):
            continue
        where = name if file == "~" else f"{_short(file)}:{line}({name})"
        rows.append({"function": where, "calls": calls, "tottime_s": r(tottime), "cumtime_s": r(cumtime)})
    rows.sort(key=lambda row: row[f"{sort}_s"], reverse=True)
    return rows[:limit]


def _short(file: str) -> str:
    project = str(Path(__file__).resolve().parent.parent) + "/"
    for marker in ("site-packages/", project, "lib/python3"):
        if marker in file:
            return file.split(marker, 1)[1]
    return file


# --- text --------------------------------------------------------------------------------------------------

_DET = "the a every each your their this that one another some any no".split()
_ADJ = ("young older private public safe unsafe online digital personal trusted worried new simple strong weak "
        "strange unkind kind shared secret free expensive useful harmful helpful careful quiet loud daily local "
        "national social clear short long open closed wrong right real fake funny scary important small large "
        "hidden visible anonymous friendly").split()
_NOUN = ("child children parent parents carer teacher school class friend friends stranger adult family app game "
         "device phone tablet laptop computer account password setting settings message messages photo photos video "
         "videos picture chat group profile screen website browser network platform service helpline report rule "
         "rules privacy address name age post posts comment comments link links search filter camera microphone "
         "location map contact contacts secret problem risk risks habit habits lesson lessons advice guide library "
         "club homework team coach neighbour grandparent brother sister cousin movie song story stories book "
         "feeling feelings worry question questions answer answers kindness trust consent data purchase payment "
         "advert adverts notification notifications moderator policy law classroom playground journey meal weekend "
         "evening morning").split()
_VERB = ("share shares shared post posts keep keeps check checks checked block blocks report reports tell "
         "tells told ask asks asked help helps protect protects use uses used learn learns find finds found see sees "
         "saw send sends sent open opens change changes changed turn turns talk talks agree agrees choose chooses "
         "trust trusts explain explains show shows read reads write writes watch watches play plays join joins leave "
         "leaves delete deletes save saves install installs update updates review reviews notice notices "
         "understand understands remember remembers follow follows").split()
_ADV = ("often sometimes always never carefully quickly quietly together safely openly gently early later again "
        "online offline regularly first").split()
_PREP = "with about for to from in on at by without before after during near between against through".split()
_JOIN = ["and", "but", "because", "so", "while", "when", "if", "although", "until", "unless", "or", "since"]
_CONTRACTIONS = ["don't", "can't", "isn't", "won't", "it's", "child's", "parent's", "they're", "you're", "doesn't"]


class Prose:
    """Seeded sentences about children online: words from a few hundred, clauses joined by conjunctions."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)

    def words(self, n: int) -> list[str]:
        rng = self.rng
        out: list[str] = []
        while len(out) < n:
            clause = [rng.choice(_DET)]
            if rng.random() < 0.5:
                clause.append(rng.choice(_ADJ))
            clause += [rng.choice(_NOUN), rng.choice(_VERB)]
            if rng.random() < 0.25:
                clause.insert(-1, rng.choice(_ADV))
            if rng.random() < 0.1:
                clause.insert(-1, rng.choice(_CONTRACTIONS))
            clause += [rng.choice(_DET), rng.choice(_NOUN)]
            if rng.random() < 0.5:
                clause += [rng.choice(_PREP), rng.choice(_DET), rng.choice(_NOUN)]
            if rng.random() < 0.3:
                clause.append(rng.choice(_ADV))
            if out:
                out.append(rng.choice(_JOIN))
            out += clause
        return out[:n]

    def sentence(self, n: int | None = None) -> str:
        if n is None:
            n = self.length()
        words = self.words(n)
        if n > 12 and self.rng.random() < 0.4:  # a comma or two, as real prose has
            at = self.rng.randrange(4, n - 4)
            words[at] += ","
        text = " ".join(words)
        return text[0].upper() + text[1:] + self.rng.choice(".......?!")

    def length(self, low: int = 3, high: int = 40) -> int:
        """A sentence length skewed towards 8–25 words, as in guidance documents."""
        n = int(self.rng.gauss(15, 8))
        return max(low, min(high, n))

    def phrase(self, low: int = 1, high: int = 4) -> str:
        return " ".join(self.words(self.rng.randint(low, high)))

    def title(self, low: int = 2, high: int = 7) -> str:
        text = self.phrase(low, high)
        return text[0].upper() + text[1:]
