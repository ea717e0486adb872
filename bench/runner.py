"""One measured step, run in its own process by the harness.

    python -m bench.runner build ENGINE SOURCE INDEX
    python -m bench.runner query ENGINE INDEX QUERIES.json --rounds N [--facets]

The last line printed is a JSON object with the step's figures (a query
step's include the process's own peak memory). Building
in a child process lets the harness read the whole process tree's CPU time
and memory; querying in a fresh process makes the first pass a cold one
(the first query of each kind after opening the index).
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from bench.baselines import ENGINES, Unsupported
from bench.queries import Query


def run_build(engine: str, source: str, index: str) -> dict:
    return ENGINES[engine]().build(source, index)


def run_queries(engine_name: str, index: str, queries_path: str, rounds: int, facets: bool) -> dict:
    with open(queries_path, encoding="utf-8") as handle:
        mix = [Query.from_dict(d) for d in json.load(handle)]
    engine = ENGINES[engine_name]()
    started, cpu = time.perf_counter(), time.process_time()
    engine.open(index)
    open_s = time.perf_counter() - started
    out: dict = {"open_ms": round(open_s * 1000, 2), "open_cpu_ms": round((time.process_time() - cpu) * 1000, 2),
                 "queries": {}}
    for rnd in range(rounds + 1):          # round 0: cold (first run of each query after opening)
        for q in mix:
            rec = out["queries"].setdefault(q.name, {"category": q.category, "cold_ms": None, "warm_ms": []})
            if rec.get("error"):
                continue
            t, c = time.perf_counter(), time.process_time()
            try:
                total = engine.search(q, facets)
            except Unsupported as exc:
                rec["error"] = f"unsupported: {exc}"
                continue
            except Exception as exc:  # a baseline's parser may refuse a query: report, go on
                rec["error"] = f"{type(exc).__name__}: {exc}"[:300]
                continue
            ms = round((time.perf_counter() - t) * 1000, 3)
            # CPU time too: on a shared machine the wall time is mostly waiting.
            cpu = round((time.process_time() - c) * 1000, 3)
            if rnd == 0:
                rec["cold_ms"] = ms
                rec["cold_cpu_ms"] = cpu
                rec["total"] = total
                if "first_query_ms" not in out:
                    out["first_query_ms"] = ms
                    out["first_query_cpu_ms"] = cpu
            else:
                rec["warm_ms"].append(ms)
                rec.setdefault("warm_cpu_ms", []).append(cpu)
    engine.close()
    out["memory"] = own_memory()
    return out


def own_memory() -> dict:
    """This process's own peak and current resident memory (MB), from
    ``/proc/self/status``: ``VmHWM`` belongs to the address space made at
    ``exec``, unlike ``ru_maxrss``, which Linux carries over from the parent
    (the harness) across ``exec``. Empty where /proc is absent."""
    found = {}
    try:
        with open("/proc/self/status") as handle:
            for line in handle:
                if line.startswith(("VmHWM:", "VmRSS:")):
                    found[line.split(":")[0]] = round(int(line.split()[1]) / 1024, 1)
    except (OSError, ValueError, IndexError):
        return {}
    return {"peak_rss_mb": found.get("VmHWM"), "rss_mb": found.get("VmRSS")}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.runner")
    sub = ap.add_subparsers(dest="step", required=True)
    b = sub.add_parser("build")
    b.add_argument("engine", choices=sorted(ENGINES))
    b.add_argument("source")
    b.add_argument("index")
    q = sub.add_parser("query")
    q.add_argument("engine", choices=sorted(ENGINES))
    q.add_argument("index")
    q.add_argument("queries")
    q.add_argument("--rounds", type=int, default=5)
    q.add_argument("--facets", action="store_true")
    args = ap.parse_args(argv)
    if args.step == "build":
        result = run_build(args.engine, args.source, args.index)
    else:
        result = run_queries(args.engine, args.index, args.queries, args.rounds, args.facets)
    sys.stdout.write("\n" + json.dumps(result, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
