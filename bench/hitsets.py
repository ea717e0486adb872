"""Sparse against dense hit sets at archive scale, on synthetic posting lists.

    python -m bench.hitsets [--n 1000000] [--repeat 20]

Random sorted document numbers stand for a rare term (0.2% of the
documents), a middle one (5%) and a frequent one (30%) of an index of ``n``
documents; each query shape is combined by :mod:`search.hitsets` with the
engine's thresholds, then with everything dense (the engine before sparse
hit sets), the final index-sized mask and scores included in both (the
searcher reads them). CPU milliseconds per query, and their ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import time

import numpy as np

from search import hitsets as H

ALWAYS_DENSE = 10**12


def _shapes(n: int, seed: int = 1) -> dict:
    rng = np.random.default_rng(seed)

    def term(df: int) -> H.Hits:
        return H.sparse(np.sort(rng.choice(n, df, replace=False)), rng.random(df))

    # 2,000, 50,000, 300,000 and 3,000 documents of a million.
    rare, middle, frequent, rare2 = (term(max(1, n * k // 1000)) for k in (2, 50, 300, 3))
    return {
        "rare AND middle": lambda d, u: H.intersect([rare, middle], n, True, d),
        "middle AND frequent": lambda d, u: H.intersect([middle, frequent], n, True, d),
        "rare AND frequent": lambda d, u: H.intersect([rare, frequent], n, True, d),
        "rare OR rare": lambda d, u: H.union([rare, rare2], n, True, u),
        "rare OR middle": lambda d, u: H.union([rare, middle], n, True, u),
        "rare AND (middle OR rare)": lambda d, u: H.intersect([rare, H.union([middle, rare2], n, True, u)],
                                                              n, True, d),
    }


def measure(n: int, repeat: int) -> dict:
    live = np.ones(n, dtype=bool)
    out = {}
    for name, combine in _shapes(n).items():
        row = {}
        for label, ratios in (("dense_ms", (ALWAYS_DENSE, ALWAYS_DENSE)),
                              ("chosen_ms", (H.DENSE_RATIO, H.UNION_RATIO))):
            combine(*ratios)
            started = time.process_time()
            for _ in range(repeat):
                mask, _ = combine(*ratios).dense(n)
                mask & live
            row[label] = round((time.process_time() - started) / repeat * 1000, 2)
        row["ratio"] = round(row["dense_ms"] / row["chosen_ms"], 1) if row["chosen_ms"] else None
        out[name] = row
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.hitsets", description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=1_000_000, help="documents in the index (default 1,000,000)")
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args(argv)
    for name, row in measure(args.n, args.repeat).items():
        print(f"{name:28s} dense {row['dense_ms']:7.2f} ms   sparse/chosen {row['chosen_ms']:7.2f} ms   "
              f"{row['ratio']}x")
    print(json.dumps({"n": args.n, "load_average": [round(x, 2) for x in os.getloadavg()]}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
