"""The benchmark: one generated corpus through Dépêche and its baselines.

    python -m bench [--size 10000] [--out DIR] [--json FILE] [--skip-baselines [NAME ...]]
    python -m bench --out DIR --queries-only        # the queries again, on DIR's index

In one run, on one corpus made by :mod:`bench.generate`:

1. the stories are parsed once by Dépêche's readers into a JSON Lines file of
   records, which the baselines index (they pay for indexing only);
2. each engine builds its index in a child process: wall and CPU time of the
   whole process tree, peak memory (largest process; sampled sums of RSS and
   PSS over the tree), stories/s, MB/s of corpus, index size on disk;
3. each engine answers the query mix (:mod:`bench.queries`) in a fresh
   process, without and then with facet counts (agency, translators, places,
   date): the first pass is cold (each query's first run after opening), the
   next rounds are warm; p50/p95/p99 latencies;
4. the TUI's keystroke-to-results time on Dépêche's index
   (:mod:`bench.tui_latency`; ``--no-tui`` skips it);
5. Dépêche re-runs its build after 1% of the files changed (and once more
   with nothing changed): the incremental update.

``--queries-only`` runs steps 3 and 4 alone, for Dépêche, on the index an
earlier run left in ``OUT`` (a 1M index is built once, queried again after
a change to the search code). The searcher's memory is its own peak RSS
(``VmHWM``), not ``wait4``'s, which Linux carries over from the parent.

It prints tables (rich), and writes every figure, with the machine's facts
and the packages' versions, to a JSON file (and the tables as Markdown).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.baselines import BASELINES, ENGINES, index_bytes, missing
from bench.generate import DEFAULT_REALDATA, GENERATOR_VERSION, MANIFEST, Manifest, generate_corpus, read_manifest
from bench.measure import run_measured
from bench.queries import CATEGORIES, build_mix, depeche_text

REPO = Path(__file__).resolve().parents[1]
FACET_MODES = ("plain", "facets")
TITLES = {"depeche": "Dépêche", "whoosh": "Whoosh", "fts5": "SQLite FTS5", "tantivy": "tantivy"}


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------- facts

def machine_facts() -> dict:
    cpu = ""
    try:
        with open("/proc/cpuinfo") as handle:
            cpu = next((line.split(":", 1)[1].strip() for line in handle if line.startswith("model name")), "")
    except OSError:
        pass
    ram = None
    try:
        with open("/proc/meminfo") as handle:
            ram = round(int(handle.readline().split()[1]) / 2**20, 1)
    except (OSError, ValueError, IndexError):
        pass
    return {"cores": os.cpu_count(), "ram_gib": ram, "cpu": cpu or platform.processor(),
            "python": platform.python_version(), "implementation": platform.python_implementation(),
            "platform": platform.platform(), "load_average_start": _load()}


def _load() -> list[float] | None:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None


def package_versions() -> dict:
    from importlib import metadata
    import sqlite3

    out = {"sqlite": sqlite3.sqlite_version}
    for dist in ("depeche", "whoosh-reloaded", "Whoosh", "whoosh3", "tantivy", "PyYAML", "Unidecode",
                 "rich", "psutil"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            pass
    try:
        rev = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True,
                             text=True, timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "--", "indexer", "search"],
                               capture_output=True, text=True, timeout=10).stdout.strip()
        out["depeche_commit"] = rev + ("+changes" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        pass
    return out


# ---------------------------------------------------------------- steps

def _read_records(cf) -> list[str]:
    from indexer.formats import read_file

    lines = []
    for s in read_file(cf).stories:
        lines.append(json.dumps({"id": s.id, "headline": s.headline, "body": s.body, "agency": s.agency,
                                 "translators": list(s.translators), "places": list(s.places), "date": s.date},
                                ensure_ascii=False))
    return lines


def write_records(corpus: Path, out: Path, workers: int = 2) -> dict:
    """Parse the corpus with Dépêche's readers into a JSON Lines file of records."""
    from indexer.formats import iter_corpus_files

    started = time.monotonic()
    files = list(iter_corpus_files([str(corpus)]))
    n = 0
    ctx = multiprocessing.get_context("fork") if hasattr(os, "fork") else multiprocessing.get_context()
    with open(out, "w", encoding="utf-8") as handle, ctx.Pool(workers) as pool:
        for lines in pool.imap(_read_records, files, chunksize=64):
            for line in lines:
                handle.write(line + "\n")
                n += 1
    return {"stories": n, "files": len(files), "seconds": round(time.monotonic() - started, 2)}


def modify_files(corpus: Path, fraction: float, seed: int) -> list[str]:
    """Change ``fraction`` of the plain-text files (a sentence added to the lead),
    and mark the corpus's manifest modified (``--reuse-corpus`` skips it)."""
    files = sorted(str(p) for p in corpus.rglob("*.txt"))
    chosen = random.Random(seed).sample(files, max(1, round(len(files) * fraction)))
    for path in chosen:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
        first = text.find("\n\n")
        cut = text.find("\n\n", first + 2) if first >= 0 else -1
        cut = cut if cut > 0 else len(text.rstrip("\n"))
        text = text[:cut] + " Une précision a été ajoutée lors de la mise à jour." + text[cut:]
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
    manifest = read_manifest(corpus) or {}
    (corpus / MANIFEST).write_text(json.dumps({**manifest, "modified": True}), encoding="utf-8")
    return chosen


def _runner(*args: str) -> list[str]:
    return [sys.executable, "-m", "bench.runner", *args]


def _env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env.pop("DEPECHE_INDEX", None)
    return env


def measure_build(engine: str, source: Path, index: Path, corpus_bytes: int, fresh: bool = True) -> dict:
    if fresh and index.exists():
        shutil.rmtree(index)
    m = run_measured(_runner("build", engine, str(source), str(index)), env=_env(), cwd=str(REPO))
    out = m.to_dict()
    if m.returncode != 0:
        out["error"] = m.stderr_tail
        return out
    stories = m.result.get("stories", 0)
    out.update({
        "stories": stories,
        "stories_per_s": round(stories / m.wall_s, 1) if m.wall_s else None,
        "mb_per_s": round(corpus_bytes / 1e6 / m.wall_s, 2) if m.wall_s else None,
        "index_mb": round(index_bytes(index) / 1e6, 1),
        # What the engine says of its own run (Dépêche: generations, time per phase).
        "engine": {k: v for k, v in m.result.items() if k != "stories"},
    })
    return out


def _pct(values: list[float], p: float) -> float | None:
    if not values:
        return None
    s = sorted(values)
    k = max(0, min(len(s) - 1, int(round(p / 100 * len(s) + 0.5)) - 1))
    return round(s[k], 2)


def summarize_queries(raw: dict) -> dict:
    warm, cold, by_cat, errors = [], [], {}, {}
    warm_cpu, cold_cpu = [], []
    for name, rec in raw.get("queries", {}).items():
        if rec.get("error"):
            errors[name] = rec["error"]
            continue
        warm += rec["warm_ms"]
        warm_cpu += rec.get("warm_cpu_ms", [])
        if rec.get("cold_ms") is not None:
            cold.append(rec["cold_ms"])
        if rec.get("cold_cpu_ms") is not None:
            cold_cpu.append(rec["cold_cpu_ms"])
        by_cat.setdefault(rec["category"], []).extend(rec["warm_ms"])
    return {
        "queries": len(raw.get("queries", {})) - len(errors),
        "p50_ms": _pct(warm, 50), "p95_ms": _pct(warm, 95), "p99_ms": _pct(warm, 99),
        "max_ms": _pct(warm, 100),
        "cold_p50_ms": _pct(cold, 50), "cold_p95_ms": _pct(cold, 95), "cold_max_ms": _pct(cold, 100),
        "open_ms": raw.get("open_ms"), "first_query_ms": raw.get("first_query_ms"),
        # CPU time of the query process (the wall time waits for the cores on a shared machine).
        "cpu_p50_ms": _pct(warm_cpu, 50), "cpu_p95_ms": _pct(warm_cpu, 95),
        "cold_cpu_p95_ms": _pct(cold_cpu, 95),
        "open_cpu_ms": raw.get("open_cpu_ms"), "first_query_cpu_ms": raw.get("first_query_cpu_ms"),
        "by_category_p50_ms": {c: _pct(v, 50) for c, v in by_cat.items()},
        "by_category_p95_ms": {c: _pct(v, 95) for c, v in by_cat.items()},
        "errors": errors,
    }


def measure_queries(engine: str, index: Path, queries: Path, rounds: int, facets: bool) -> dict:
    args = ["query", engine, str(index), str(queries), "--rounds", str(rounds)] + (["--facets"] if facets else [])
    m = run_measured(_runner(*args), env=_env(), cwd=str(REPO))
    if m.returncode != 0:
        return {"error": m.stderr_tail}
    summary = summarize_queries(m.result)
    # The runner's own peak (VmHWM): wait4's ru_maxrss would be the harness's
    # if larger, since Linux keeps it across exec.
    own = m.result.get("memory", {})
    summary["peak_rss_mb"] = own.get("peak_rss_mb")
    summary["process"] = {"wall_s": m.wall_s, "cpu_s": round(m.cpu_s, 2), "peak_rss_mb": own.get("peak_rss_mb"),
                          "end_rss_mb": own.get("rss_mb"), "sampled_peak_rss_mb": m.peak_tree_rss_mb,
                          "ru_maxrss_mb": m.max_rss_process_mb}
    summary["per_query"] = m.result.get("queries", {})
    return summary


def measure_tui(index: Path, rounds: int = 1) -> dict:
    """The TUI's keystroke-to-results times on an index (:mod:`bench.tui_latency`,
    headless, in its own process): with the usual debounce, and without."""
    cmd = [sys.executable, "-m", "bench.tui_latency", "--index", str(index), "--rounds", str(rounds)]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, env=_env(), cwd=str(REPO), timeout=1800)
    except (OSError, subprocess.SubprocessError) as exc:
        return {"error": f"{type(exc).__name__}: {exc}"}
    runs = []
    for line in done.stdout.splitlines():
        if line.startswith("{"):
            try:
                runs.append(json.loads(line))
            except ValueError:
                pass
    if not runs:
        return {"error": (done.stderr or done.stdout)[-1000:]}
    with_pause = next((r for r in runs if r.get("debounce_s")), runs[0])
    without = next((r for r in runs if not r.get("debounce_s")), None)
    # A run that failed after another finished: the finished one's figures, and why.
    failed = {"error_in_a_run": (done.stderr or "")[-1000:]} if done.returncode != 0 else {}
    return {**failed, "debounce_s": with_pause.get("debounce_s"),
            "after_debounce_p50_ms": with_pause.get("after_debounce_p50_ms"),
            "after_debounce_p95_ms": with_pause.get("after_debounce_p95_ms"),
            "key_p95_ms": with_pause.get("key_p95_ms"),
            "no_debounce_p95_ms": without.get("results_p95_ms") if without else None,
            "runs": runs}


# ---------------------------------------------------------------- targets

def evaluate_targets(res: dict) -> list[dict]:
    idx = res["indexing"]
    dep = idx.get("depeche", {})
    who = idx.get("whoosh", {})
    q = res["queries"].get("depeche", {})
    inc = res.get("incremental", {})
    size = res["corpus"]["stories"]
    note = "" if size >= 100000 else f" (target is set at 100k; this corpus has {size:,})"
    out = []

    def add(name, value, limit, met, unit=""):
        out.append({"target": name, "value": value, "limit": limit, "unit": unit,
                    "met": None if value is None else bool(met), "note": note})

    sps = dep.get("stories_per_s")
    add("indexing ≥ 1,000 stories/s end to end", sps, 1000, sps is not None and sps >= 1000, "stories/s")
    ratio = (dep["wall_s"] / who["wall_s"]) if dep.get("wall_s") and who.get("wall_s") and not who.get("error") else None
    add("indexing within 1.5x of plain Whoosh (procs=2)", None if ratio is None else round(ratio, 2), 1.5,
        ratio is not None and ratio <= 1.5, "x")
    pss = dep.get("peak_tree_pss_mb")
    rss = dep.get("peak_tree_rss_mb")
    add("peak memory of the indexing process tree < 1 GB (PSS)", pss, 1024, pss is not None and pss < 1024, "MB")
    add("peak memory of the indexing process tree < 1 GB (RSS sum, upper bound)", rss, 1024,
        rss is not None and rss < 1024, "MB")
    frac = inc.get("fraction_of_full")
    add("incremental re-run, 1% changed < 5% of the full time", None if frac is None else round(100 * frac, 2),
        5, frac is not None and frac < 0.05, "%")
    p95 = q.get("facets", {}).get("p95_ms")
    add("queries: p95 < 50 ms, whole mix with facets (warm)", p95, 50, p95 is not None and p95 < 50, "ms")
    w50 = q.get("plain", {}).get("by_category_p50_ms", {}).get("word")
    add("queries: p50 < 15 ms, plain word queries (warm, no facets)", w50, 15, w50 is not None and w50 < 15, "ms")
    # Issue 16's targets, set at 1,000,000 stories.
    note = "" if size >= 1000000 else f" (set at 1M; this corpus has {size:,})"
    facets = q.get("facets", {})
    tui = res.get("tui", {})
    for name, value, limit in (
            ("queries at scale: warm p50 ≤ 20 ms, mix with facets and snippets", facets.get("p50_ms"), 20),
            ("queries at scale: warm p95 ≤ 100 ms, mix with facets and snippets", facets.get("p95_ms"), 100),
            ("queries at scale: cold p95 ≤ 300 ms, with facets", facets.get("cold_p95_ms"), 300),
            ("queries at scale: first query after opening ≤ 1 s", facets.get("first_query_ms"), 1000),
            ("queries at scale: searcher peak RSS ≤ 1 GB", facets.get("peak_rss_mb"), 1024),
            (f"TUI keystroke to results p95 ≤ 150 ms (after the {tui.get('debounce_s', 0.25)} s debounce)",
             tui.get("after_debounce_p95_ms"), 150)):
        add(name, value, limit, value is not None and value <= limit, "MB" if "RSS" in name else "ms")
        out[-1]["note"] = note
    return out


# ---------------------------------------------------------------- tables

CAPTION = "Baselines: figure (r×), r = Dépêche's figure ÷ the baseline's."


def _fmt(v, unit="") -> str:
    if v is None:
        return "–"
    if isinstance(v, float):
        v = f"{v:,.0f}" if abs(v) >= 100 else f"{v:,.1f}" if abs(v) >= 10 else f"{v:,.2f}"
    elif isinstance(v, int):
        v = f"{v:,}"
    return f"{v}{unit}"


INDEX_ROWS = [
    ("stories/s", "stories_per_s"),
    ("MB/s of corpus", "mb_per_s"),
    ("wall time (s)", "wall_s"),
    ("CPU time, process tree (s)", "cpu_s"),
    ("peak memory, tree PSS (MB)", "peak_tree_pss_mb"),
    ("peak memory, tree RSS sum (MB)", "peak_tree_rss_mb"),
    ("largest process max RSS (MB)", "max_rss_process_mb"),
    ("index size on disk (MB)", "index_mb"),
]
QUERY_ROWS = [
    ("warm p50, no facets (ms)", "plain", "p50_ms"),
    ("warm p95, no facets (ms)", "plain", "p95_ms"),
    ("warm p99, no facets (ms)", "plain", "p99_ms"),
    ("warm p50, with facets (ms)", "facets", "p50_ms"),
    ("warm p95, with facets (ms)", "facets", "p95_ms"),
    ("warm p99, with facets (ms)", "facets", "p99_ms"),
    ("cold p50, no facets (ms)", "plain", "cold_p50_ms"),
    ("cold p95, no facets (ms)", "plain", "cold_p95_ms"),
    ("cold p50, with facets (ms)", "facets", "cold_p50_ms"),
    ("cold p95, with facets (ms)", "facets", "cold_p95_ms"),
    ("open index (ms)", "plain", "open_ms"),
    ("first query after opening (ms)", "plain", "first_query_ms"),
    ("first query after opening, with facets (ms)", "facets", "first_query_ms"),
    ("searcher peak RSS, with facets (MB)", "facets", "peak_rss_mb"),
    ("warm p50 CPU, with facets (ms)", "facets", "cpu_p50_ms"),
    ("warm p95 CPU, with facets (ms)", "facets", "cpu_p95_ms"),
    ("cold p95 CPU, with facets (ms)", "facets", "cold_cpu_p95_ms"),
    ("first query after opening CPU, with facets (ms)", "facets", "first_query_cpu_ms"),
]


def _ratio(d: float, v: float) -> str:
    r = d / v
    return f"{r:,.0f}×" if r >= 10 else f"{r:.1f}×" if r >= 1 else f"{r:.2f}×"


def _cell(res_engine: dict, dep: dict, key: str, engine: str) -> str:
    """A baseline's figure, and Dépêche's figure divided by it."""
    v = res_engine.get(key) if res_engine else None
    if engine == "depeche" or v is None:
        return _fmt(v)
    d = dep.get(key) if dep else None
    if d is None or not v:
        return _fmt(v)
    return f"{_fmt(v)} ({_ratio(d, v)})"


def table_rows(res: dict) -> tuple[list[str], list[list[str]], list[list[str]], list[list[str]]]:
    """Header, indexing rows, query rows, target rows (as text cells)."""
    engines = [e for e in ENGINES if e in res["indexing"] or e in res["queries"]]
    header = ["", *[TITLES[e] for e in engines]]
    idx = res["indexing"]
    dep = idx.get("depeche", {})
    index_rows = []
    for label, key in INDEX_ROWS:
        index_rows.append([label, *[_cell(idx.get(e, {}), dep, key, e) if not idx.get(e, {}).get("skipped")
                                    else "skipped" for e in engines]])
    inc = res.get("incremental", {})
    if inc:
        run = inc.get("run", {})
        none = inc.get("nothing_changed", {})
        index_rows.append([f"incremental, {inc.get('changed_files', 0):,} files (1%) changed (s)",
                           f"{_fmt(run.get('wall_s'))} ({_fmt(100 * inc['fraction_of_full'] if inc.get('fraction_of_full') is not None else None)}% of full)",
                           *["–"] * (len(engines) - 1)])
        index_rows.append(["re-run, nothing changed (s)", _fmt(none.get("wall_s")), *["–"] * (len(engines) - 1)])
    qres = res["queries"]
    qdep = qres.get("depeche", {})
    query_rows = []
    for label, mode, key in QUERY_ROWS:
        row = [label]
        for e in engines:
            r = qres.get(e, {})
            if r.get("skipped"):
                row.append("skipped")
                continue
            row.append(_cell(r.get(mode, {}), qdep.get(mode, {}), key, e))
        query_rows.append(row)
    for cat in CATEGORIES:
        row = [f"warm p50 {cat}, no facets (ms)"]
        for e in engines:
            r = qres.get(e, {}).get("plain", {})
            v = r.get("by_category_p50_ms", {}).get(cat)
            d = qdep.get("plain", {}).get("by_category_p50_ms", {}).get(cat)
            row.append("n/a" if v is None and r else _fmt(v) if e == "depeche" or not v or d is None
                       else f"{_fmt(v)} ({_ratio(d, v)})")
        query_rows.append(row)
    tui = res.get("tui", {})
    if tui and not tui.get("error"):
        query_rows.append([f"TUI keystroke to results p95, after the {tui.get('debounce_s')} s debounce (ms)",
                           _fmt(tui.get("after_debounce_p95_ms")), *["–"] * (len(engines) - 1)])
        query_rows.append(["TUI keystroke to results p95, no debounce (ms)",
                           _fmt(tui.get("no_debounce_p95_ms")), *["–"] * (len(engines) - 1)])
    target_rows = []
    for t in res.get("targets", []):
        status = "–" if t["met"] is None else ("met" if t["met"] else "MISSED")
        target_rows.append([t["target"] + (t["note"] if t["note"] != res["targets"][0]["note"] else ""),
                            f"{_fmt(t['value'])} {t['unit']}".strip(),
                            f"{t['limit']:,} {t['unit']}".strip(), status])
    return header, index_rows, query_rows, target_rows


def print_tables(res: dict) -> None:
    header, index_rows, query_rows, target_rows = table_rows(res)
    try:
        from rich.console import Console
        from rich.table import Table
    except ImportError:   # plain text
        for title, rows in (("Indexing", index_rows), ("Queries", query_rows)):
            print(title)
            for row in [header, *rows]:
                print("  " + " | ".join(row))
        for row in target_rows:
            print("  " + " | ".join(row))
        return
    console = Console()
    size = res["corpus"]["stories"]
    caption = CAPTION
    for title, rows in ((f"Indexing {size:,} stories", index_rows), (f"Queries on {size:,} stories", query_rows)):
        table = Table(title=title, caption=caption if rows is query_rows else None)
        for i, h in enumerate(header):
            table.add_column(h, justify="left" if i == 0 else "right")
        for row in rows:
            table.add_row(*row)
        console.print(table)
    table = Table(title="Targets" + (res["targets"][0]["note"] if res.get("targets") else ""))
    for h in ("target", "Dépêche", "limit", ""):
        table.add_column(h)
    for row in target_rows:
        style = "green" if row[3] == "met" else "red" if row[3] == "MISSED" else None
        table.add_row(*row, style=style)
    console.print(table)


def markdown_tables(res: dict) -> str:
    header, index_rows, query_rows, target_rows = table_rows(res)

    def md(head, rows):
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        lines += ["| " + " | ".join(r) + " |" for r in rows]
        return "\n".join(lines)

    size = res["corpus"]["stories"]
    return "\n\n".join([
        f"#### Indexing {size:,} stories", md(header, index_rows),
        f"#### Queries on {size:,} stories ({res['query_mix']['queries']} queries, "
        f"{res['query_mix']['rounds']} warm rounds)", md(header, query_rows), CAPTION,
        "#### Targets" + (res["targets"][0]["note"] if res.get("targets") else ""), md(["target", "Dépêche", "limit", ""], target_rows),
    ]) + "\n"


# ---------------------------------------------------------------- main

def run(args) -> dict:
    started = time.monotonic()
    out = Path(args.out or Path(tempfile.gettempdir()) / f"depeche-bench-{args.size}").resolve()
    out.mkdir(parents=True, exist_ok=True)
    skip = set(BASELINES) if args.skip_baselines == [] else set(args.skip_baselines or ())
    res: dict = {
        "when": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "command": " ".join(["python -m bench", *sys.argv[1:]]),
        "machine": machine_facts(), "versions": package_versions(), "out": str(out),
        "indexing": {}, "queries": {}, "notes": [],
    }
    corpus = out / "corpus"
    if args.queries_only:
        return _run_queries_only(args, out, res, started)
    known = read_manifest(corpus) if args.reuse_corpus else None
    if known and known.get("size") == args.size and known.get("seed") == args.seed \
            and known.get("version") == GENERATOR_VERSION and known.get("stories") == args.size \
            and not known.get("modified"):
        # A corpus this harness generated before, untouched since (an earlier
        # incremental step changed 1% of it: that run's copy is not reused).
        log(f"reusing the generated corpus in {corpus}")
        man = Manifest(**{k: v for k, v in known.items() if k in Manifest.__dataclass_fields__})
        res["notes"].append("corpus reused from an earlier run of the same size and seed")
    else:
        if corpus.exists():
            shutil.rmtree(corpus)
        log(f"generating {args.size:,} stories in {corpus}")
        realdata = None if str(args.realdata).lower() == "none" else args.realdata
        man = generate_corpus(corpus, args.size, args.seed, realdata)
    corpus_bytes = man.bytes
    res["corpus"] = {k: v for k, v in man.to_dict().items() if k not in ("query_words",)}
    res["corpus"]["mb"] = round(corpus_bytes / 1e6, 1)
    res["corpus"]["generation_seconds"] = man.seconds
    log(f"generated in {man.seconds:.1f} s: {man.txt_files:,} text files, {man.jsonl_files} JSON Lines files, "
        f"{corpus_bytes / 1e6:.0f} MB; vocabulary: {man.language}")

    mix = build_mix(man.to_dict())
    queries = out / "queries.json"
    queries.write_text(json.dumps([q.to_dict() for q in mix], ensure_ascii=False, indent=1), encoding="utf-8")
    rounds = args.rounds or (5 if args.size <= 20000 else 3)
    res["query_mix"] = {"queries": len(mix), "rounds": rounds,
                        "categories": {c: sum(q.category == c for q in mix) for c in CATEGORIES},
                        "depeche_syntax": {q.name: depeche_text(q) for q in mix}}

    engines = ["depeche"]
    for name in BASELINES:
        why = "skipped on the command line" if name in skip else missing(name)
        if why:
            res["indexing"][name] = {"skipped": why}
            res["queries"][name] = {"skipped": why}
            res["notes"].append(f"{name}: {why}")
            log(f"{name}: skipped ({why})")
        else:
            engines.append(name)

    records = out / "records.jsonl"
    if len(engines) > 1:
        log("parsing the corpus into records for the baselines")
        res["records"] = write_records(corpus, records)
        log(f"  {res['records']['stories']:,} records in {res['records']['seconds']} s")

    for name in engines:
        log(f"indexing with {TITLES[name]}")
        source = corpus if ENGINES[name].source == "corpus" else records
        r = measure_build(name, source, out / f"index-{name}", corpus_bytes)
        res["indexing"][name] = r
        log(f"  {r.get('stories', 0):,} stories in {r['wall_s']} s ({r.get('stories_per_s')} stories/s), "
            f"CPU {r['cpu_s']} s, peak PSS {r['peak_tree_pss_mb']} MB" + (f"; ERROR {r['error'][-300:]}" if r.get("error") else ""))

    for name in engines:
        if res["indexing"][name].get("error"):
            res["queries"][name] = {"error": "index build failed"}
            continue
        res["queries"][name] = {}
        for facets in (False, True):
            log(f"querying {TITLES[name]} ({'with' if facets else 'without'} facets, {rounds} warm rounds)")
            s = measure_queries(name, out / f"index-{name}", queries, rounds, facets)
            res["queries"][name]["facets" if facets else "plain"] = s
            log(f"  p50 {s.get('p50_ms')} ms, p95 {s.get('p95_ms')} ms, cold p95 {s.get('cold_p95_ms')} ms"
                + (f"; errors: {s['errors']}" if s.get("errors") else "") + (f"; ERROR {s['error'][-300:]}" if s.get("error") else ""))

    if not args.no_tui and not res["indexing"]["depeche"].get("error"):
        res["tui"] = _tui_step(out / "index-depeche")

    if not args.no_incremental and not res["indexing"]["depeche"].get("error"):
        changed = modify_files(corpus, 0.01, args.seed)
        log(f"incremental: {len(changed):,} files changed, re-indexing with Dépêche")
        run_ = measure_build("depeche", corpus, out / "index-depeche", corpus_bytes, fresh=False)
        log(f"  {run_['wall_s']} s; nothing changed: re-running")
        none = measure_build("depeche", corpus, out / "index-depeche", corpus_bytes, fresh=False)
        full = res["indexing"]["depeche"]["wall_s"]
        res["incremental"] = {"changed_files": len(changed), "run": run_, "nothing_changed": none,
                              "fraction_of_full": round(run_["wall_s"] / full, 4) if full else None}
        log(f"  {none['wall_s']} s")

    res["targets"] = evaluate_targets(res)
    res["machine"]["load_average_end"] = _load()
    res["seconds"] = round(time.monotonic() - started, 1)
    return res


def _tui_step(index: Path) -> dict:
    log("TUI keystroke-to-results (bench.tui_latency, headless)")
    tui = measure_tui(index)
    log(f"  p95 {tui.get('after_debounce_p95_ms')} ms after the {tui.get('debounce_s')} s debounce, "
        f"{tui.get('no_debounce_p95_ms')} ms with none" + (f"; ERROR {tui['error'][-300:]}" if tui.get("error") else ""))
    return tui


def _run_queries_only(args, out: Path, res: dict, started: float) -> dict:
    """The query steps alone, on the index an earlier run left in OUT
    (``OUT/index-depeche``, the mix in ``OUT/queries.json``)."""
    index, queries = out / "index-depeche", out / "queries.json"
    manifest = read_manifest(out / "corpus")
    if not index.is_dir():
        raise SystemExit(f"python -m bench: --queries-only: no index in {index} (run the benchmark once without it)")
    if not queries.exists():
        if manifest is None:
            raise SystemExit(f"python -m bench: --queries-only: neither {queries} nor a generated corpus in {out}")
        queries.write_text(json.dumps([q.to_dict() for q in build_mix(manifest)], ensure_ascii=False, indent=1),
                           encoding="utf-8")
    from bench.queries import Query

    mix = [Query.from_dict(d) for d in json.loads(queries.read_text(encoding="utf-8"))]
    stories = (manifest or {}).get("stories")
    if stories is None:
        from search.searcher import Searcher

        with Searcher(index) as s:
            stories = s.story_count()
    res["corpus"] = {k: v for k, v in (manifest or {}).items() if k not in ("query_words",)}
    res["corpus"]["stories"] = stories
    res["notes"].append(f"queries only, on the existing index {index}")
    rounds = args.rounds or (5 if stories <= 20000 else 3)
    res["query_mix"] = {"queries": len(mix), "rounds": rounds,
                        "categories": {c: sum(q.category == c for q in mix) for c in CATEGORIES},
                        "depeche_syntax": {q.name: depeche_text(q) for q in mix}}
    res["index_mb"] = round(index_bytes(index) / 1e6, 1)
    res["queries"]["depeche"] = {}
    for facets in (False, True):
        log(f"querying Dépêche ({'with' if facets else 'without'} facets, {rounds} warm rounds)")
        q = measure_queries("depeche", index, queries, rounds, facets)
        res["queries"]["depeche"]["facets" if facets else "plain"] = q
        log(f"  p50 {q.get('p50_ms')} ms, p95 {q.get('p95_ms')} ms, cold p95 {q.get('cold_p95_ms')} ms, "
            f"first {q.get('first_query_ms')} ms, peak RSS {q.get('peak_rss_mb')} MB"
            + (f"; ERROR {q['error'][-300:]}" if q.get("error") else ""))
    if not args.no_tui:
        res["tui"] = _tui_step(index)
    res["targets"] = evaluate_targets(res)
    res["machine"]["load_average_end"] = _load()
    res["seconds"] = round(time.monotonic() - started, 1)
    return res


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", type=int, default=10000, help="stories to generate (default 10,000; 100,000 for the targets)")
    ap.add_argument("--out", help="working folder: corpus, records, indexes (default: $TMPDIR/depeche-bench-SIZE)")
    ap.add_argument("--json", help="write every figure to this file (default: OUT/results.json)")
    ap.add_argument("--markdown", help="write the tables as Markdown to this file (default: OUT/results.md)")
    ap.add_argument("--skip-baselines", nargs="*", metavar="NAME", choices=BASELINES,
                    help=f"skip these baselines ({', '.join(BASELINES)}); alone: skip them all")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--rounds", type=int, help="warm rounds of the query mix (default 5; 3 above 20k stories)")
    ap.add_argument("--realdata", default=str(DEFAULT_REALDATA),
                    help="real stories for the generator's vocabulary statistics ('none': built-in lists)")
    ap.add_argument("--no-incremental", action="store_true", help="skip the incremental re-run")
    ap.add_argument("--reuse-corpus", action="store_true",
                    help="reuse OUT/corpus if an earlier run generated it with this size and seed and no "
                         "incremental step changed it (1M stories take ~5 minutes to generate)")
    ap.add_argument("--queries-only", action="store_true",
                    help="only the query steps (and the TUI's), on the index an earlier run left in OUT; "
                         "figures to OUT/results-queries.json unless --json")
    ap.add_argument("--no-tui", action="store_true", help="skip the TUI keystroke-to-results measure")
    args = ap.parse_args(argv)
    if args.size < 10:
        ap.error("--size: at least 10 stories")
    res = run(args)
    out = Path(res["out"])
    stem = "results-queries" if args.queries_only else "results"
    json_path = Path(args.json) if args.json else out / f"{stem}.json"
    json_path.parent.mkdir(parents=True, exist_ok=True)
    json_path.write_text(json.dumps(res, ensure_ascii=False, indent=1), encoding="utf-8")
    md_path = Path(args.markdown) if args.markdown else out / f"{stem}.md"
    md_path.write_text(markdown_tables(res), encoding="utf-8")
    print_tables(res)
    log(f"figures: {json_path}; tables: {md_path}; {res['seconds']} s in all")
    return 0


__all__ = ["main", "run", "write_records", "modify_files", "evaluate_targets", "summarize_queries"]
