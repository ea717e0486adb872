"""A sustained query loop: queries served, errors, memory growth.

    python -m bench.soak --index DIR [--seconds 600] [--processes 2]

Runs a fixed mix of queries (words, phrases, French operators, fields,
dates, truncation, fuzzy, facets) in a loop for a bounded time, in one or
more processes, reopening the index when a run publishes a new generation,
and prints one JSON line per process and a total: queries served, errors
(must be 0), resident memory at the start, after warm-up and at the end
(growth must stay flat).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import time

from search.results import SearchRequest
from search.searcher import Searcher

MIX = (
    SearchRequest("gouvernement"),
    SearchRequest("frappes aériennes", facets=("agency", "translators", "places", "date")),
    SearchRequest("ministre ET budget"),
    SearchRequest('"banque centrale"'),
    SearchRequest("climat OU énergie", sort="-date"),
    SearchRequest("agence:reuters tempête"),
    SearchRequest("date:2014 élection", facets=("date",), date_facet="month"),
    SearchRequest("infl*"),
    SearchRequest("gouvernemnt~"),
    SearchRequest("sanctions SAUF armée", all_versions=True),
    SearchRequest("", facets=("agency", "version")),
    SearchRequest("syrie", translators=("rouquie",)),
)


def rss_mb() -> float:
    """Resident memory of this process, in MB (Linux)."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:  # not Linux: the peak is the best we have
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def soak(index_dir: str, seconds: float, warmup: float = 2.0, warmup_rounds: int = 3) -> dict:
    """Run the mix against ``index_dir`` for ``seconds``; return the figures.

    Memory after warm-up is read once ``warmup`` seconds *and*
    ``warmup_rounds`` rounds of the mix have passed: by then the index's
    arrays and the postings of the mix's terms are loaded, and whatever
    grows after is what the growth figure shows."""
    served = errors = 0
    first_error = None
    start_rss = rss_mb()
    searcher = Searcher(index_dir)
    current = os.path.join(index_dir, "CURRENT")
    seen = open(current).read() if os.path.exists(current) else ""
    started = time.monotonic()
    warm_rss = None
    n = 0
    while time.monotonic() - started < seconds:
        try:
            now = open(current).read() if os.path.exists(current) else ""
            if now != seen:
                searcher.refresh()
                seen = now
            searcher.search(MIX[n % len(MIX)])
            served += 1
        except Exception as exc:  # noqa: BLE001 - any failure is what a soak counts
            errors += 1
            first_error = first_error or f"{type(exc).__name__}: {exc}"
        n += 1
        if warm_rss is None and time.monotonic() - started >= warmup and n >= warmup_rounds * len(MIX):
            warm_rss = rss_mb()
    end_rss = rss_mb()
    searcher.close()
    return {
        "pid": os.getpid(), "seconds": round(time.monotonic() - started, 2), "queries": served,
        "errors": errors, "first_error": first_error, "rss_start_mb": round(start_rss, 1),
        "rss_warm_mb": round(warm_rss or end_rss, 1), "rss_end_mb": round(end_rss, 1),
        "growth_after_warmup_mb": round(end_rss - (warm_rss or end_rss), 1),
    }


def _worker(args) -> dict:
    return soak(*args)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.soak", description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", required=True, metavar="DIR")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--processes", type=int, default=2)
    args = parser.parse_args(argv)
    with multiprocessing.get_context("spawn").Pool(args.processes) as pool:
        results = pool.map(_worker, [(args.index, args.seconds)] * args.processes)
    for r in results:
        print(json.dumps(r))
    total = {
        "queries": sum(r["queries"] for r in results),
        "errors": sum(r["errors"] for r in results),
        "queries_per_second": round(sum(r["queries"] for r in results) / args.seconds, 1),
        "max_growth_after_warmup_mb": max(r["growth_after_warmup_mb"] for r in results),
    }
    print(json.dumps({"total": total}))
    return 0 if total["errors"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
