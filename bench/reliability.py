"""The longer reliability run, in one command, with its figures.

    python -m bench.reliability [--size 100000] [--trials 30] [--files 3000]
                                [--default-trials 10] [--lines 1000000] [--seconds 300]
                                [--processes 2] [--out DIR]

1. **Faults, more of them**: the reliability tests (``pytest -m
   reliability``) with more kill -9 trials on a bigger corpus
   (``DEPECHE_RELIABILITY_TRIALS`` / ``_FILES``), and more kill -9 trials
   with the default workers and batch size during a two-writer commit, of
   the main process alone and of the whole process tree
   (``DEPECHE_RELIABILITY_DEFAULT_TRIALS``): hostile corpus, kill -9, Ctrl-C,
   a killed rebuild, disk full and read-only folders (as root), concurrent
   searches.
2. **At scale**: a generated corpus of ``--size`` stories (reused when an
   earlier run made it) is indexed, then 1% of its files change and a real
   ``depeche index`` process re-indexes them while ``--processes`` processes
   run the soak's query mix for ``--seconds``, reopening each generation the
   run publishes: queries served, errors (must be 0), memory growth after
   warm-up (must stay flat), and the re-index's own status.

Prints one line per step and a JSON summary (also written to
``OUT/reliability.json``); exits 1 if anything failed.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.generate import generate_corpus, read_manifest
from bench.harness import modify_files
from bench.measure import run_measured
from bench.soak import soak

REPO = Path(__file__).resolve().parents[1]


def _env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


def fault_tests(trials: int, files: int, default_trials: int = 10, lines: int = 1_000_000) -> dict:
    """The reliability tests with more trials (and a JSON Lines file of
    ``lines`` lines beside a 3 GB sparse file); their printed figures."""
    env = {**_env(), "DEPECHE_RELIABILITY_TRIALS": str(trials), "DEPECHE_RELIABILITY_FILES": str(files),
           "DEPECHE_RELIABILITY_DEFAULT_TRIALS": str(default_trials), "DEPECHE_RELIABILITY_LINES": str(lines)}
    started = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-s", "-rs", "-m", "reliability",
                           "-p", "no:cacheprovider", str(REPO / "tests")], cwd=REPO, env=env, capture_output=True,
                          text=True)
    # The tests print their figures among pytest's progress marks; skips say why.
    pattern = re.compile(r"(kill -9[: ].*|hostile corpus.*|3 GB sparse file.*|3 processes .*|soak: .*|SKIPPED .*)")
    figures = [m.group(1).strip() for m in map(pattern.search, proc.stdout.splitlines()) if m]
    summary = proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else proc.stderr[-500:]
    return {"ok": proc.returncode == 0, "seconds": round(time.monotonic() - started, 1), "summary": summary,
            "figures": figures}


def _soak_worker(args) -> dict:
    return soak(*args)


def at_scale(out: Path, size: int, seconds: float, processes: int, seed: int = 1) -> dict:
    """Index ``size`` stories, then search from several processes while 1% re-index."""
    corpus, index = out / "corpus", out / "index"
    known = read_manifest(corpus)
    res: dict = {"size": size}
    if not (known and known.get("stories") == size and known.get("seed") == seed):
        if corpus.exists():
            shutil.rmtree(corpus)
        print(f"generating {size:,} stories in {corpus}", flush=True)
        generate_corpus(corpus, size, seed)
    cmd = [sys.executable, "-m", "search.cli", "index", str(corpus), "--index", str(index), "--quiet"]
    print(f"indexing {corpus}", flush=True)
    build = run_measured(cmd, env=_env(), cwd=str(REPO))
    res["build"] = {"exit": build.returncode, "wall_s": build.wall_s, "max_rss_process_mb": build.max_rss_process_mb,
                    "peak_tree_pss_mb": build.peak_tree_pss_mb}
    if build.returncode not in (0, 1):
        res["build"]["stderr"] = build.stderr_tail
        return res
    changed = modify_files(corpus, 0.01, seed)
    print(f"{len(changed):,} files changed: re-indexing while {processes} processes search for {seconds:.0f} s",
          flush=True)
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(processes) as pool:
        searches = pool.map_async(_soak_worker, [(str(index), seconds)] * processes)
        time.sleep(min(5.0, seconds / 4))  # the searchers have opened the index and warmed up
        reindex = run_measured(cmd, env=_env(), cwd=str(REPO))
        results = searches.get()
    res["reindex"] = {"exit": reindex.returncode, "changed_files": len(changed), "wall_s": reindex.wall_s,
                      "max_rss_process_mb": reindex.max_rss_process_mb}
    res["searches"] = {
        "processes": processes, "seconds": seconds,
        "queries": sum(r["queries"] for r in results), "errors": sum(r["errors"] for r in results),
        "first_error": next((r["first_error"] for r in results if r["first_error"]), None),
        "rss_warm_mb": [r["rss_warm_mb"] for r in results], "rss_end_mb": [r["rss_end_mb"] for r in results],
        "max_growth_after_warmup_mb": max(r["growth_after_warmup_mb"] for r in results),
    }
    return res


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.reliability", description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", type=int, default=100_000, help="stories of the corpus at scale (default 100,000)")
    ap.add_argument("--trials", type=int, default=30, help="kill -9 trials (default 30)")
    ap.add_argument("--files", type=int, default=3000, help="files of the kill -9 corpus (default 3,000)")
    ap.add_argument("--default-trials", type=int, default=10,
                    help="kill -9 trials with the default workers and batch size, per case (default 10)")
    ap.add_argument("--seconds", type=float, default=300, help="how long the searches run (default 300)")
    ap.add_argument("--processes", type=int, default=2, help="searching processes (default 2)")
    ap.add_argument("--out", help="working folder (default: $TMPDIR/depeche-reliability-SIZE)")
    ap.add_argument("--lines", type=int, default=1_000_000,
                    help="lines of the big JSON Lines file of the memory test (default 1,000,000)")
    ap.add_argument("--skip-tests", action="store_true", help="only the run at scale")
    args = ap.parse_args(argv)
    out = Path(args.out or Path(tempfile.gettempdir()) / f"depeche-reliability-{args.size}").resolve()
    out.mkdir(parents=True, exist_ok=True)
    summary: dict = {"when": time.strftime("%Y-%m-%d %H:%M:%S %Z")}
    if not args.skip_tests:
        print(f"reliability tests: {args.trials} kill -9 trials on {args.files} files, {args.default_trials} "
              f"with the defaults per case, and the rest", flush=True)
        summary["tests"] = fault_tests(args.trials, args.files, args.default_trials, args.lines)
        for line in summary["tests"]["figures"]:
            print(f"  {line}", flush=True)
        print(f"  {summary['tests']['summary']}", flush=True)
    summary["scale"] = at_scale(out, args.size, args.seconds, args.processes)
    s = summary["scale"]
    if "searches" in s:
        print(f"  {s['searches']['queries']:,} queries, {s['searches']['errors']} errors, memory growth after "
              f"warm-up at most {s['searches']['max_growth_after_warmup_mb']} MB; re-index exit {s['reindex']['exit']} "
              f"in {s['reindex']['wall_s']} s", flush=True)
    ok = (summary.get("tests", {"ok": True})["ok"] and s["build"]["exit"] in (0, 1)
          and s.get("reindex", {}).get("exit") in (0, 1) and s.get("searches", {}).get("errors", 1) == 0)
    summary["ok"] = ok
    (out / "reliability.json").write_text(json.dumps(summary, indent=1, ensure_ascii=False), encoding="utf-8")
    print(json.dumps(summary, ensure_ascii=False))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
