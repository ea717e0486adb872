"""The search commands through ``main(argv)``: formats, exit codes, saved queries."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import yaml

from cli_run import run

SEED = "782a30753b36d0c8"
ROOT = Path(__file__).resolve().parents[1]


def test_search_json_is_one_object_with_story_field_names(ix):
    code, out, err = run("search", "frappes aériennes", "--index", ix, "--format", "json", "--facets")
    assert code == 0 and err == ""
    data = json.loads(out)
    assert {"query", "total", "hits", "facets", "suggestions"} <= set(data)
    hit = data["hits"][0]
    assert hit["id"] == SEED and hit["translators"] == ["Danielle Rouquié"] and hit["versions"] == 1
    assert {"agency", "translators", "places", "date"} == set(data["facets"])
    assert data["facets"]["agency"] == {"Reuters": 1}


def test_search_jsonl_csv_yaml_table(ix):
    code, out, _ = run("search", "tempête", "--index", ix, "--format", "jsonl", "--all-versions")
    lines = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and len(lines) == 8 and all("headline" in r for r in lines)
    code, out, _ = run("search", "tempête", "--index", ix, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows and rows[0]["agency"] in ("AFP", "Reuters", "AP") and "snippet" in rows[0]
    code, out, _ = run("search", "tempête", "--index", ix, "--format", "yaml", "--limit", "2")
    data = yaml.safe_load(out)
    assert data["total"] == 5 and len(data["hits"]) == 2
    code, out, _ = run("search", "tempête", "--index", ix, "--format", "table")
    assert "Tempête" in out and "[3" in out and "versions]" in out and "5 story groups" in out


def test_search_options(ix):
    code, out, _ = run("search", "--index", ix, "--format", "json", "--translator", "rouquie",
                       "--from", "2015", "--to", "2015-12", "--sort", "date")
    data = json.loads(out)
    assert code == 0 and [h["date"][:4] for h in data["hits"]] == ["2015"]
    code, out, _ = run("search", "--index", ix, "--format", "json", "--agency", "afp", "--agency", "ap",
                       "--limit", "5", "--page", "2")
    data = json.loads(out)
    assert data["page"] == 2 and {h["agency"] for h in data["hits"]} <= {"AFP", "AP"}


def test_exit_status_like_grep(ix):
    assert run("search", "syrie", "--index", ix)[0] == 0
    code, out, _ = run("search", "xyzzyq", "--index", ix, "--format", "json")
    assert code == 1 and json.loads(out)["total"] == 0
    code, out, err = run("search", "(syrie", "--index", ix)
    assert code == 2 and out == ""
    assert err == "depeche: error: bad query at character 1: a ( is never closed\n"


def test_missing_and_incompatible_index(tmp_path, ix):
    code, _, err = run("search", "syrie", "--index", str(tmp_path / "none"))
    assert code == 2 and "no index at" in err and "depeche index" in err
    import shutil
    copy = tmp_path / "old"
    shutil.copytree(ix, copy)
    marker = json.loads((copy / "depeche-index.json").read_text())
    marker["schema_version"] = 0
    (copy / "depeche-index.json").write_text(json.dumps(marker))
    code, _, err = run("search", "syrie", "--index", str(copy))
    assert code == 2 and "--rebuild" in err and err.count("\n") == 1


def test_show_versions_similar_facets(ix):
    code, out, _ = run("show", SEED, "--index", ix, "--format", "json")
    assert code == 0 and json.loads(out)["headline"].startswith("La Russie")
    code, out, _ = run("show", SEED, "--index", ix, "--format", "table", "--highlight", "frappes")
    assert "Danielle Rouquié" in out and "LES PROCHAINES PHASES" in out
    code, _, err = run("show", "nope", "--index", ix)
    assert code == 2 and "no story with id 'nope'" in err
    code, out, _ = run("search", "bce taux", "--index", ix, "--format", "json")
    group_member = json.loads(out)["hits"][0]["id"]
    code, out, _ = run("versions", group_member, "--index", ix, "--format", "json")
    assert [s["version"] for s in json.loads(out)] == ["urgent", "actualisé", "refonte"]
    code, out, _ = run("versions", group_member, "--index", ix, "--format", "table")
    assert "refonte" in out
    code, out, _ = run("similar", SEED, "--index", ix, "--format", "jsonl")
    assert code == 0 and all(json.loads(line)["id"] != SEED for line in out.splitlines())
    code, out, _ = run("facets", "--field", "agency", "--index", ix, "--format", "json")
    # Story groups, as --agency Reuters counts them; stories with --all-versions.
    assert json.loads(out)["values"]["Reuters"] == 24
    _, out, _ = run("search", "--agency", "Reuters", "--index", ix, "--format", "json")
    assert json.loads(out)["total"] == 24
    code, out, _ = run("facets", "--field", "agency", "--all-versions", "--index", ix, "--format", "json")
    assert json.loads(out)["values"]["Reuters"] == 27
    code, out, _ = run("facets", "tempête", "--field", "date", "--by", "month", "--index", ix, "--format", "csv")
    assert out.startswith("value,count\n") and "2016-02," in out
    code, out, _ = run("facets", "--field", "translators", "--index", ix, "--format", "table")
    assert "Danielle Rouquié" in out


def test_saved_queries(ix, tmp_path):
    f = tmp_path / "q.yaml"
    f.write_text(
        "syrie: {query: syrie, agency: Reuters}\n"
        "tempetes_2016:\n  query: tempête\n  from: 2016-01-01\n  all_versions: true\n"
        "rien: xyzzyq\n", encoding="utf-8")
    code, out, _ = run("search", "--queries", str(f), "--index", ix, "--format", "json")
    data = json.loads(out)
    assert list(data) == ["syrie", "tempetes_2016", "rien"]
    assert data["syrie"]["total"] == 1 and data["tempetes_2016"]["total"] == 5 and data["rien"]["total"] == 0
    assert code == 1  # one of them found nothing
    # Command-line options apply to every query.
    code, out, _ = run("search", "--queries", str(f), "--index", ix, "--format", "json", "--agency", "afp")
    data = json.loads(out)
    assert data["syrie"]["total"] == 0 and data["tempetes_2016"]["total"] == 3
    code, out, _ = run("search", "--queries", str(f), "--index", ix, "--format", "jsonl")
    names = {json.loads(line)["query_name"] for line in out.splitlines()}
    assert names == {"syrie", "tempetes_2016"}
    code, out, _ = run("search", "--queries", str(f), "--index", ix, "--format", "csv")
    assert out.count("query_name") == 1
    f.write_text("a: {query: syrie, colour: red}\n", encoding="utf-8")
    code, _, err = run("search", "--queries", str(f), "--index", ix)
    assert code == 2 and "unknown key 'colour'" in err
    f.write_text("a: {query: '(syrie'}\nb: syrie\n", encoding="utf-8")
    code, out, err = run("search", "--queries", str(f), "--index", ix, "--format", "json")
    assert code == 2 and "a: bad query" in err and json.loads(out)["b"]["total"] >= 1


def test_search_builds_the_demo_index_on_first_use(tmp_path, monkeypatch):
    monkeypatch.delenv("DEPECHE_INDEX", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    code, out, err = run("search", "syrie", "--format", "json")
    assert code == 0 and json.loads(out)["total"] >= 1
    assert "indexing the bundled corpus" in err
    # The bundled corpus goes to an index of its own, never the user's.
    assert (tmp_path / "data" / "depeche" / "demo" / "depeche-index.json").exists()
    assert not (tmp_path / "data" / "depeche" / "index").exists()
    code, out, err = run("search", "syrie", "--format", "json")
    assert err == f"depeche: using the demo index of the bundled corpus ({tmp_path / 'data' / 'depeche' / 'demo'}); " \
                  "`depeche index PATH` indexes your own stories\n"


def test_every_command_has_help():
    for command in ("parse", "index", "export", "stats", "search", "show", "versions", "similar", "facets"):
        code, out, _ = run(command, "--help")
        assert code == 0 and "usage: depeche" in out


def test_real_process_search(ix):
    proc = subprocess.run([sys.executable, "-m", "search.cli", "search", "Daïr az Zour", "--index", ix],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["hits"][0]["id"] == SEED  # piped: JSON
