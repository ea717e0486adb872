"""Keystroke-to-results time of the TUI on a real index, measured headless.

    python -m bench.tui_latency --index DIR [--rounds 3]

Types each query of a fixed list key by key into the app (Textual's
``run_test`` and ``pilot.press``), as a user would, and reports:

- key: how long the app takes to take one keypress (typing stays fluid when
  this stays far below the ~100 ms a typist notices);
- results: from the last key's press to the result list showing that query, the
  debounce pause (0.25 s) included; the same less the pause
  (``after_debounce``: the search and the drawing, what the issue 16 target
  bounds); and, in a second run with no debounce (every key searched), from
  the last key to its results.

Each run prints one line of JSON.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time

QUERIES = ("gouvernement", "frappes aériennes", "ministre ET budget", "banque centrale", "infl*",
           "agence:reuters tempête", "date:2014 élection", "climat OU énergie")


def _pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))] if values else 0.0


async def _measure(index_dir: str, debounce: float, rounds: int) -> dict:
    from search.tui import make_app

    history = tempfile.NamedTemporaryFile(suffix=".json", delete=False).name
    app = make_app(index_dir, history_path=history, debounce=debounce)
    keys: list[float] = []
    results: list[float] = []
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause(0.5)
        for _ in range(rounds):
            for query in QUERIES:
                app.query_bar.value = ""
                await pilot.pause(0.3)
                for ch in query:
                    started = time.perf_counter()
                    await pilot.press(ch if ch != " " else "space")
                    keys.append(time.perf_counter() - started)
                typed = started  # from the last key's press (with no debounce, its handler searches)
                deadline = typed + 30
                while time.perf_counter() < deadline:
                    if app.page is not None and app.page.query == query:
                        break
                    await asyncio.sleep(0.002)
                results.append(time.perf_counter() - typed)
    return {
        "debounce_s": debounce,
        "keys": len(keys),
        "key_p50_ms": round(statistics.median(keys) * 1000, 1),
        "key_p95_ms": round(_pct(keys, 95) * 1000, 1),
        "results_p50_ms": round(statistics.median(results) * 1000, 1),
        "results_p95_ms": round(_pct(results, 95) * 1000, 1),
        "after_debounce_p50_ms": round(max(0.0, statistics.median(results) - debounce) * 1000, 1),
        "after_debounce_p95_ms": round(max(0.0, _pct(results, 95) - debounce) * 1000, 1),
        "queries": len(results),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.tui_latency", description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", required=True, metavar="DIR")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    for debounce in (0.25, 0.0):
        print(json.dumps(asyncio.run(_measure(args.index, debounce, args.rounds))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
