"""Smoke tests of the benchmark: a tiny generated corpus and one harness run.

The benchmark itself is not part of the test suite (``python -m bench``);
these only check that it runs and reports its figures.
"""

from __future__ import annotations

import doctest
import hashlib
import json
from pathlib import Path

import pytest

from bench import generate, harness, queries
from bench.generate import generate_corpus, read_manifest
from indexer.formats import read_corpus


def _digest(root: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(root.rglob("*")):
        if p.is_file() and p.name != generate.MANIFEST:
            h.update(str(p.relative_to(root)).encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


def test_doctests():
    for module in (generate, queries):
        assert doctest.testmod(module).failed == 0


@pytest.mark.parametrize("realdata", [None, generate.DEFAULT_REALDATA])
def test_generator_is_deterministic_and_parses(tmp_path, realdata):
    if realdata is not None and not Path(realdata).is_dir():
        pytest.skip("no realdata")
    a = generate_corpus(tmp_path / "a", 120, seed=3, realdata=realdata)
    generate_corpus(tmp_path / "b", 120, seed=3, realdata=realdata)
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")
    assert a.stories == 120 and a.txt_files > 0 and a.jsonl_stories > 0
    assert read_manifest(tmp_path / "a")["stories"] == 120
    stories = [s for r in read_corpus([tmp_path / "a"]) for s in r.stories]
    assert len(stories) == 120
    assert len({s.id for s in stories}) == 120
    assert sum(1 for s in stories if s.agency and s.date and s.headline) >= 115
    assert any(s.translators for s in stories) and any(s.version for s in stories)


def test_harness_smoke(tmp_path):
    out = tmp_path / "run"
    rc = harness.main(["--size", "200", "--out", str(out), "--json", str(tmp_path / "r.json"),
                       "--skip-baselines", "--rounds", "1", "--realdata", "none"])
    assert rc == 0
    res = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert {"cores", "ram_gib", "cpu", "python"} <= set(res["machine"])
    assert "whoosh-reloaded" in res["versions"] or "Whoosh" in res["versions"]
    dep = res["indexing"]["depeche"]
    assert dep["stories"] == 200 and dep["stories_per_s"] > 0 and dep["cpu_s"] > 0
    assert dep["peak_tree_pss_mb"] > 0 and dep["index_mb"] > 0
    assert all(res["indexing"][b].get("skipped") for b in ("whoosh", "fts5", "tantivy"))
    for mode in ("plain", "facets"):
        q = res["queries"]["depeche"][mode]
        assert q["p50_ms"] > 0 and q["p95_ms"] >= q["p50_ms"] and q["cold_p95_ms"] > 0
        assert not q["errors"]
    inc = res["incremental"]
    assert inc["changed_files"] >= 1 and inc["run"]["result"]["updated"] >= 1
    assert {t["target"] for t in res["targets"]} and (out / "results.md").exists()
    # The query process's own peak memory, and the TUI's keystroke-to-results.
    assert 20 < res["queries"]["depeche"]["facets"]["peak_rss_mb"] < 2000
    assert res["queries"]["depeche"]["facets"]["cpu_p50_ms"] > 0
    tui = res["tui"]
    assert not tui.get("error") and tui["debounce_s"] == 0.25 and tui["after_debounce_p95_ms"] >= 0
    assert tui["no_debounce_p95_ms"] > 0

    # The queries again on the index left in OUT, without rebuilding it.
    built = (out / "index-depeche" / "CURRENT").read_text()
    assert harness.main(["--out", str(out), "--queries-only", "--rounds", "1", "--no-tui"]) == 0
    again = json.loads((out / "results-queries.json").read_text(encoding="utf-8"))
    assert (out / "index-depeche" / "CURRENT").read_text() == built and not again["indexing"]
    assert again["corpus"]["stories"] == 200 and again["queries"]["depeche"]["facets"]["p50_ms"] > 0
    assert any(t["target"].startswith("queries at scale") and t["value"] for t in again["targets"])


def test_harness_reuses_an_untouched_corpus_only(tmp_path):
    out = tmp_path / "run"
    args = ["--size", "60", "--out", str(out), "--skip-baselines", "--rounds", "1", "--realdata", "none",
            "--reuse-corpus", "--no-tui"]
    assert harness.main(args + ["--json", str(tmp_path / "a.json")]) == 0
    # The first run's incremental step changed 1% of the files: not reused.
    assert harness.main(args + ["--json", str(tmp_path / "b.json"), "--no-incremental"]) == 0
    b = json.loads((tmp_path / "b.json").read_text(encoding="utf-8"))
    assert not any("reused" in n for n in b["notes"])
    assert harness.main(args + ["--json", str(tmp_path / "c.json"), "--no-incremental"]) == 0
    c = json.loads((tmp_path / "c.json").read_text(encoding="utf-8"))
    assert any("reused" in n for n in c["notes"])
    assert c["indexing"]["depeche"]["stories"] == 60


def test_story_cpu_smoke(tmp_path, capsys):
    from bench import story_cpu

    rc = story_cpu.main(["--size", "60", "--corpus", str(tmp_path / "c"), "--json", str(tmp_path / "r.json")])
    assert rc == 0
    res = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert res["counts"]["stories"] == 60 and res["counts"]["postings"] > 0
    stages = set(res["cpu"])
    assert {"read", "parse", "pickle", "groups", "document", "pool", "add", "flush"} <= stages
    assert {"analysis:body", "analysis:words", "analysis:places"} <= stages
    assert "| **a story's path** |" in capsys.readouterr().out
