"""Flush and merge time: Whoosh's posting writer against the batched one, in one run.

    python -m bench.flush --size 20000 [--corpus DIR] [--profile] [--inline 1 8]

The stories (a generated corpus, or ``--corpus``) are parsed once; then for
each batch of ``--batch`` stories, each index gets the batch's documents in
one writer and its commit is timed in the flush alone (``_flush_segment``:
the pool's postings to the segment's files): ``whoosh`` is Whoosh's own
posting writer fed by the posting pool (the code before the batched
writer), ``batched`` is :mod:`indexer.backend.blockwriter`, with each
inline limit asked. Then every index merges all its segments into one
(:func:`indexer.index.merging.merge_into`), timed the same way. The
writers alternate batch by batch, so that the machine's load weighs on
both alike; the ratios are the figures to read. ``--profile`` prints the
cProfile entries of the flushes and merges of each writer.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import shutil
import tempfile
import time
from pathlib import Path

from whoosh import index, writing
from whoosh.codec import whoosh3

from indexer.backend import index_segments, patches
from indexer.formats import read_corpus
from indexer.index.merging import merge_into
from indexer.index.pool import TermPool
from indexer.index.schema import build_schema, story_document


def _documents(corpus: Path) -> list[dict]:
    return [story_document(s, s.id, str(r.path), "stamp") for r in read_corpus([corpus]) for s in r.stories]


class _Timed:
    """Time (and profile) the flushes made through one implementation."""

    def __init__(self, flush, profile: bool):
        self.flush, self.seconds, self.cpu = flush, 0.0, 0.0
        self.profile = cProfile.Profile() if profile else None

    def method(self):
        """The flush as a method of Whoosh's segment writer."""
        def _flush_segment(writer):
            return self(writer)
        return _flush_segment

    def __call__(self, writer):
        wall, cpu = time.perf_counter(), time.process_time()
        if self.profile is not None:
            self.profile.enable()
        try:
            return self.flush(writer)
        finally:
            if self.profile is not None:
                self.profile.disable()
            self.seconds += time.perf_counter() - wall
            self.cpu += time.process_time() - cpu


def _index_bytes(folder: Path) -> dict[str, int]:
    out: dict[str, int] = {}
    for f in folder.iterdir():
        out[f.suffix] = out.get(f.suffix, 0) + f.stat().st_size
    return out


def run(docs: list[dict], work: Path, batch: int, limits: list[int], profile: bool) -> dict:
    writers = {"whoosh": (patches.whoosh_flush, 1)}
    writers.update({f"batched, inline < {n}": (patches.batched_flush, n) for n in limits})
    ixs, flush_t, merge_t = {}, {}, {}
    for name, (flush, _) in writers.items():
        folder = work / name.replace(" ", "").replace(",", "-").replace("<", "")
        folder.mkdir(parents=True)
        ixs[name] = index.create_in(str(folder), build_schema())
        flush_t[name], merge_t[name] = _Timed(flush, profile), _Timed(flush, profile)
    patches.install()
    try:
        for start in range(0, len(docs), batch):
            for name, (_, limit) in writers.items():
                writing.SegmentWriter._flush_segment = flush_t[name].method()
                writer = ixs[name].writer(poolclass=TermPool, compound=False, limitmb=256,
                                          codec=whoosh3.W3Codec(inlinelimit=limit))
                for doc in docs[start: start + batch]:
                    writer.add_document(**doc)
                writer.commit(merge=False)
        for name, (_, limit) in writers.items():
            writing.SegmentWriter._flush_segment = merge_t[name].method()
            writer = ixs[name].writer(poolclass=TermPool, compound=False, limitmb=256,
                                      codec=whoosh3.W3Codec(inlinelimit=limit))
            merge_into(writer, index_segments(ixs[name]))
            writer.commit(mergetype=lambda w, segments: [])
    finally:
        patches.install()
    out = {}
    for name, ix in ixs.items():
        sizes = _index_bytes(Path(ix.storage.folder))
        out[name] = {"flush_s": flush_t[name].seconds, "flush_cpu_s": flush_t[name].cpu,
                     "merge_s": merge_t[name].seconds, "merge_cpu_s": merge_t[name].cpu,
                     "pst_bytes": sizes.get(".pst", 0), "trm_bytes": sizes.get(".trm", 0),
                     "profiles": (flush_t[name].profile, merge_t[name].profile)}
        ix.close()
    return out


def _top(profile, n: int = 14) -> str:
    s = io.StringIO()
    pstats.Stats(profile, stream=s).sort_stats("tottime").print_stats(n)
    lines = s.getvalue().splitlines()
    start = next(i for i, line in enumerate(lines) if "ncalls" in line)
    head = [line for line in lines[:start] if "function calls" in line]
    return "\n".join(head + lines[start: start + n + 1])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.flush", description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=20000, help="stories to generate (default 20,000)")
    parser.add_argument("--corpus", help="a corpus folder instead of a generated one")
    parser.add_argument("--batch", type=int, default=2500, help="stories per flushed segment (default 2,500)")
    parser.add_argument("--inline", type=int, nargs="+", default=[8], help="inline limits of the batched writer")
    parser.add_argument("--profile", action="store_true", help="print each writer's cProfile entries")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="depeche-flush-"))
    try:
        corpus = Path(args.corpus) if args.corpus else work / "corpus"
        if not args.corpus:
            from bench.generate import generate_corpus

            generate_corpus(corpus, args.size, seed=args.seed)
        load = os.getloadavg()
        started = time.perf_counter()
        docs = _documents(corpus)[: args.size]
        print(f"{len(docs):,} stories parsed in {time.perf_counter() - started:.1f} s; "
              f"load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
        results = run(docs, work / "ix", args.batch, args.inline, args.profile)
        load = os.getloadavg()
        base = results["whoosh"]
        print(f"load average at the end {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
        print("| writer | flush s (CPU) | × whoosh | merge s (CPU) | × whoosh | .pst MB | .trm MB |")
        print("|---|---|---|---|---|---|---|")
        for name, r in results.items():
            print(f"| {name} | {r['flush_s']:.2f} ({r['flush_cpu_s']:.2f}) | {r['flush_cpu_s'] / base['flush_cpu_s']:.2f} "
                  f"| {r['merge_s']:.2f} ({r['merge_cpu_s']:.2f}) | {r['merge_cpu_s'] / base['merge_cpu_s']:.2f} "
                  f"| {r['pst_bytes'] / 1e6:.1f} | {r['trm_bytes'] / 1e6:.1f} |")
        print("(ratios of CPU seconds, which the machine's load moves less than wall time)")
        if args.profile:
            for name, r in results.items():
                for what, prof in zip(("flushes", "merge"), r["profiles"]):
                    print(f"\n## {name}: {what}\n{_top(prof)}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
