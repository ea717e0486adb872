"""Concurrent searches while a run commits, and a sustained query loop."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench.soak import soak
from indexer.index.build import build_index
from indexer.formats import bundled_corpus
from storygen import write_corpus

ROOT = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}

pytestmark = [pytest.mark.reliability, pytest.mark.slow]


def test_searches_from_several_processes_while_a_run_commits(tmp_path):
    corpus = tmp_path / "corpus"
    write_corpus(corpus, 300, seed=11)
    ix = tmp_path / "ix"
    build_index([corpus], ix, batch_stories=20)          # a first index to search
    write_corpus(tmp_path / "corpus" / "more", 300, seed=12)
    indexer = subprocess.Popen(
        [sys.executable, "-m", "search.cli", "index", str(corpus), "--index", str(ix),
         "--batch-size", "20", "--quiet", "--workers", "1"],
        cwd=ROOT, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    searchers = subprocess.Popen(
        [sys.executable, "-m", "bench.soak", "--index", str(ix), "--seconds", "6", "--processes", "3"],
        cwd=ROOT, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = searchers.communicate(timeout=120)
    indexer.communicate(timeout=300)
    assert indexer.returncode == 0
    lines = [json.loads(line) for line in out.splitlines()]
    total = lines[-1]["total"]
    assert searchers.returncode == 0, out + err
    assert total["errors"] == 0 and total["queries"] > 30
    from indexer.index.build import open_index
    with open_index(ix).searcher() as s:
        assert s.doc_count() == 600
    print(f"3 processes searched while a run committed 300 stories in batches of 20: "
          f"{total['queries']} queries, {total['errors']} errors")


def test_sustained_query_loop_keeps_memory_flat(tmp_path):
    ix = tmp_path / "ix"
    build_index([bundled_corpus()], ix)
    figures = soak(str(ix), seconds=4.0, warmup=1.0)
    assert figures["errors"] == 0 and figures["queries"] > 50
    assert figures["growth_after_warmup_mb"] < 10, figures
    print(f"soak: {figures['queries']} queries in {figures['seconds']} s, 0 errors, "
          f"memory {figures['rss_warm_mb']} -> {figures['rss_end_mb']} MB")
