"""Wall time of an index run's process by phase: reading, grouping, writing, merging.

    PYTHONPATH=REPO [TIER_FACTOR=4] python bench/phases.py CORPUS INDEX BATCH_STORIES

Wraps ``_Writer.commit``, ``_Writer._write`` and the merge from outside
(so it profiles older code the same way), builds ``INDEX`` from scratch and
prints one JSON line: wall and CPU seconds, the load average at the start
and end, and the seconds of each phase (``phases``: the run's own split,
where the code has it). Not a timed test: figures depend on the load.
"""
import json, os, resource, sys, time
import indexer.index.build as build
import indexer.index.merging as merging
from indexer.index.build import build_index
acc = {}
merging.TIER_FACTOR = int(os.environ.get("TIER_FACTOR", merging.TIER_FACTOR))
def timed(name, fn):
    def wrapper(*a, **k):
        t = time.monotonic()
        try:
            return fn(*a, **k)
        finally:
            acc[name] = acc.get(name, 0.0) + time.monotonic() - t
    return wrapper
build._Writer.commit = timed("commit", build._Writer.commit)
build._Writer._write = timed("write", build._Writer._write)
merging.TieredMerge.__call__ = timed("merge in the run's process", merging.TieredMerge.__call__)
merging.merge_into = timed("merge_into (any process)", merging.merge_into)
t0 = time.monotonic(); l0 = os.getloadavg()[0]
r = build_index([sys.argv[1]], sys.argv[2], rebuild=True, batch_stories=int(sys.argv[3]))
wall = time.monotonic() - t0
ru, rc = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
out = {"stories": r.added, "wall": round(wall, 1), "cpu_self": round(ru.ru_utime + ru.ru_stime, 1),
       "cpu_children": round(rc.ru_utime + rc.ru_stime, 1), "load": [round(l0, 1), round(os.getloadavg()[0], 1)],
       "reading (wall - commits)": round(wall - acc.get("commit", 0), 1),
       "grouping (commit - write)": round(acc.get("commit", 0) - acc.get("write", 0), 1),
       **{k: round(v, 1) for k, v in acc.items()}, "phases": {k: round(v, 1) for k, v in getattr(r, "phases", {}).items()}}
print(json.dumps(out))
