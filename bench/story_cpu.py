"""CPU cost per story of each indexing stage, in one process.

    python -m bench.story_cpu --size 5000 [--corpus DIR] [--repeat 3] [--profile STAGE]

Whatever the pipeline (processes, shards, merges), every story goes through
the same stages; this measures each alone, in one process, in CPU seconds
per 1,000 stories (``time.process_time``: the figure that a shared machine's
load changes least), so that a change to one stage is seen in its own row:

``read``      reading the files and splitting them into pieces (formats)
``parse``     the wire-story parser (dateline, credits, dates...) on each piece
``pickle``    a parsed file's stories pickled and unpickled (the reader
              processes' results cross to the writer this way)
``groups``    the grouping keys: buckets, story groups (headline and lead
              Jaccard), duplicate keys and shingles
``document``  ``story_document``: the Whoosh document and its stored record
``analysis``  each field's postings (``FieldType.index``), one row a field
``pool``      the postings added to the posting pool (``TermPool.add_items``)
``add``       the same documents through a real one-process writer's
              ``add_document`` (analysis + pool + stored fields + columns),
              with the analysis caches emptied first
``flush``     that writer's commit: the segment's postings, lengths, columns

Stories come from a generated corpus (:mod:`bench.generate`, kept under
``--corpus`` and reused) or, with ``--realdata``, from the real stories of
``../shared/realdata``. ``--repeat`` runs the whole sequence that many times
in fresh caches and reports each stage's smallest time (the least disturbed
by other processes). ``--profile STAGE`` prints cProfile's top entries for
one stage (``all``: every stage).
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import json
import os
import pickle
import pstats
import shutil
import sys
import tempfile
import time
from pathlib import Path

from indexer import backend
from indexer.formats import iter_corpus_files, read_file
from indexer.formats import reading
from indexer.index.duplicates import duplicate_key, find_duplicates
from indexer.index.groups import group_bucket
from indexer.index.pool import TermPool
from indexer.index.schema import bucket_key, build_schema, story_document

DEFAULT_CORPUS_ROOT = Path(os.environ.get("DEPECHE_BENCH_CACHE", tempfile.gettempdir()))
REALDATA = Path(__file__).resolve().parents[2] / "shared" / "realdata"


def clear_caches() -> None:
    """Empty the analysis caches (each process of a build starts with them empty)."""
    from indexer.analysis import folding, stemming, terms
    from indexer.index import fastindex

    for fn in (terms.word_terms, terms.index_terms, folding.split_word, stemming.stem_light):
        fn.cache_clear()
    folding._FOLD_CHAR.clear()
    getattr(fastindex, "clear_caches", lambda: None)()


class Stages:
    """CPU seconds by stage, with an optional profile of one stage."""

    def __init__(self, profile: str | None):
        self.cpu: dict[str, float] = {}
        self.profile_stage = profile
        self.profile = cProfile.Profile() if profile else None

    def run(self, name: str, fn, *args):
        profiling = self.profile is not None and self.profile_stage in (name, name.split(":")[0], "all")
        gc.collect()
        start = time.process_time()
        if profiling:
            self.profile.enable()
        try:
            return fn(*args)
        finally:
            if profiling:
                self.profile.disable()
            self.cpu[name] = self.cpu.get(name, 0.0) + time.process_time() - start


def _read(files):
    """Read and parse every file; the parser's own time is counted apart."""
    parse = reading.parse_story
    spent = [0.0]

    def timed_parse(*args, **kwargs):
        start = time.process_time()
        try:
            return parse(*args, **kwargs)
        finally:
            spent[0] += time.process_time() - start

    reading.parse_story = timed_parse
    try:
        start = time.process_time()
        results = [(cf, read_file(cf)) for cf in files]
        total = time.process_time() - start
    finally:
        reading.parse_story = parse
    return results, total - spent[0], spent[0]


def _pickle_round(results):
    return [pickle.loads(pickle.dumps(r, pickle.HIGHEST_PROTOCOL)) for _, r in results]


def _groups(stories):
    buckets: dict[str, list] = {}
    for story in stories:
        key = bucket_key(story)
        if key:
            buckets.setdefault(key, []).append(story)
    groups: dict[str, str] = {}
    for members in buckets.values():
        groups.update(group_bucket(members))
    keys: dict[str, list] = {}
    for story in stories:
        key = duplicate_key(story)
        if key:
            keys.setdefault(key, []).append(story)
    for members in keys.values():
        find_duplicates(members)
    return groups


def _documents(docs_in, groups):
    return [story_document(story, groups.get(story.id, story.id), path, "stamp") for story, path in docs_in]


def _analyse_field(field, values):
    # As the writer does (indexer.backend.patches): the fast path, else Whoosh's.
    from indexer.index import fastindex

    fast = getattr(fastindex, "field_items", lambda f, v: None)
    return [fast(field, v) or list(field.index(v)) for v in values]


def _pool_add(per_field, ndocs):
    pool = TermPool(None, None, limitmb=1 << 20)
    names = sorted(per_field)
    for docnum in range(ndocs):
        for name in names:
            items = per_field[name][docnum]
            if items is not None:
                pool.add_items(name, items, docnum, 1.0)
    return pool.postings


def _write(ix, docs, stages: Stages):
    options = {"limitmb": 1 << 12, "compound": False, "poolclass": TermPool, "codec": backend.writer_codec()}
    writer = ix.writer(**options)

    def add():
        for doc in docs:
            writer.add_document(**doc)

    stages.run("add", add)
    stages.run("flush", writer.commit)


def run_once(files, schema, stages: Stages, tmp: Path) -> dict:
    """Every stage once, caches emptied first; returns counts."""
    clear_caches()
    gc.collect()
    results, read_s, parse_s = _read(files)
    stages.cpu["read"] = stages.cpu.get("read", 0.0) + read_s
    stages.cpu["parse"] = stages.cpu.get("parse", 0.0) + parse_s
    stages.run("pickle", _pickle_round, results)
    docs_in = [(story, os.path.abspath(cf.path)) for cf, r in results for story in r.stories]
    stories = [s for s, _ in docs_in]
    groups = stages.run("groups", _groups, stories)
    docs = stages.run("document", _documents, docs_in, groups)
    per_field: dict[str, list] = {}
    names = sorted({name for doc in docs for name in doc})
    for name in names:
        field = schema[name]
        if not field.indexed:
            continue
        values = [doc.get(name) for doc in docs]
        present = [v for v in values if v is not None]
        items = stages.run(f"analysis:{name}", _analyse_field, field, present)
        it = iter(items)
        per_field[name] = [None if v is None else next(it) for v in values]
    postings = stages.run("pool", _pool_add, per_field, len(docs))
    del per_field
    clear_caches()
    ixdir = tmp / f"ix{time.monotonic_ns()}"
    ixdir.mkdir()
    ix = backend.create_index_dir(ixdir, schema)
    _write(ix, docs, stages)
    ix.close()
    shutil.rmtree(ixdir, ignore_errors=True)
    return {"stories": len(docs), "postings": postings, "files": len(files)}


def corpus_for(args) -> Path:
    if args.realdata:
        return REALDATA
    if args.corpus:
        corpus = Path(args.corpus)
    else:
        corpus = DEFAULT_CORPUS_ROOT / f"depeche-story-cpu-{args.size}-{args.seed}"
    manifest = corpus / ".manifest.json"
    if not manifest.exists():
        from bench.generate import generate_corpus

        if corpus.exists():
            shutil.rmtree(corpus)
        print(f"generating {args.size:,} stories in {corpus}", file=sys.stderr)
        generate_corpus(corpus, args.size, seed=args.seed)
    return corpus


def table(best: dict[str, float], stories: int) -> str:
    """The figures as a Markdown table; shares are of a story's path (the
    rows read to document, add and flush; analysis and pool are inside add)."""
    per = 1000.0 / stories
    order = ["read", "parse", "pickle", "groups", "document"]
    path = sum(best[k] for k in order) + best["add"] + best["flush"]
    analysis = sum(v for k, v in best.items() if k.startswith("analysis:"))
    lines = ["| stage | CPU s | CPU ms / story | share of the path |", "|---|---|---|---|"]
    for name in order:
        lines.append(_row(name, best[name], per, path))
    lines.append(_row("add (analysis, pool, stored fields, columns)", best["add"], per, path))
    lines.append(_row("&nbsp;&nbsp;analysis alone (all fields)", analysis, per, path))
    for name in sorted((k for k in best if k.startswith("analysis:")), key=lambda k: -best[k]):
        if best[name] * per >= 0.02:
            lines.append(_row("&nbsp;&nbsp;&nbsp;&nbsp;" + name.split(":", 1)[1], best[name], per, path))
    lines.append(_row("&nbsp;&nbsp;pool alone", best["pool"], per, path))
    lines.append(_row("flush", best["flush"], per, path))
    lines.append(_row("**a story's path**", path, per, path))
    return "\n".join(lines)


def _row(name, seconds, per, total):
    return f"| {name} | {seconds:.2f} | {seconds * per:.3f} | {100 * seconds / total:.0f}% |"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.story_cpu", description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=5000, help="stories to generate (default 5000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--corpus", help="the generated corpus's folder (made if missing, else reused)")
    parser.add_argument("--realdata", action="store_true", help="the real stories of ../shared/realdata")
    parser.add_argument("--repeat", type=int, default=1, help="runs; each stage's best is reported")
    parser.add_argument("--profile", help="a stage to profile (read, parse, groups, document, analysis, "
                        "pool, add, flush, all)")
    parser.add_argument("--top", type=int, default=30, help="profile entries shown")
    parser.add_argument("--json", help="write the figures to this file")
    args = parser.parse_args(argv)
    backend.patches.install()
    corpus = corpus_for(args)
    files = list(iter_corpus_files([str(corpus)]))
    schema = build_schema()
    best: dict[str, float] = {}
    load = os.getloadavg()
    counts = {}
    with tempfile.TemporaryDirectory(prefix="story-cpu-") as tmp:
        for i in range(args.repeat):
            stages = Stages(args.profile if i == 0 else None)
            counts = run_once(files, schema, stages, Path(tmp))
            for name, seconds in stages.cpu.items():
                best[name] = min(best.get(name, seconds), seconds)
            path = sum(v for k, v in stages.cpu.items() if not k.startswith(("analysis", "pool")))
            print(f"run {i + 1}: {path:.2f} CPU s on the story path", file=sys.stderr)
            if stages.profile is not None:
                out = io.StringIO()
                pstats.Stats(stages.profile, stream=out).sort_stats("tottime").print_stats(args.top)
                print(out.getvalue())
    load_end = os.getloadavg()
    print(f"{counts['stories']:,} stories, {counts['files']:,} files, {counts['postings']:,} postings "
          f"({corpus}); best of {args.repeat}; load average {load[0]:.1f} -> {load_end[0]:.1f}")
    print(table(best, counts["stories"]))
    if args.json:
        Path(args.json).write_text(json.dumps({"counts": counts, "cpu": best, "load": [load[0], load_end[0]],
                                               "corpus": str(corpus)}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
