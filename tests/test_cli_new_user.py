"""What a new user hits first (issue 17): sort names, argument mistakes,
closed pipes, bad page values, similar by group, plurals, empty facets, paths."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cli_run import run

ROOT = Path(__file__).resolve().parents[1]


# ------------------------------------------------------------ 1. --sort

@pytest.mark.parametrize("argv", [["--sort", "-date"], ["--sort=-date"], ["--sort", "newest"]])
def test_sort_newest_first_as_the_readme_writes_it(ix, argv):
    code, out, err = run("search", "tempête", "--index", ix, "--format", "json", *argv)
    assert code == 0, err
    data = json.loads(out)
    dates = [h["date"] for h in data["hits"]]
    assert data["sort"] == "-date" and dates == sorted(dates, reverse=True) and len(dates) > 1


def test_sort_oldest_and_relevance_by_name(ix):
    _, out, _ = run("search", "tempête", "--index", ix, "--format", "json", "--sort", "oldest")
    data = json.loads(out)
    assert data["sort"] == "date" and [h["date"] for h in data["hits"]] == sorted(h["date"] for h in data["hits"])
    _, out, _ = run("search", "--index", ix, "--format", "json", "--sort", "relevance", "tempête")
    assert json.loads(out)["sort"] == "relevance"


def test_sort_name_in_saved_queries(ix, tmp_path):
    f = tmp_path / "q.yaml"
    f.write_text("a: {query: tempête, sort: newest}\n", encoding="utf-8")
    _, out, _ = run("search", "--queries", str(f), "--index", ix, "--format", "json")
    assert json.loads(out)["a"]["sort"] == "-date"


def test_a_dash_query_word_outside_the_quotes_is_explained(ix):
    code, out, err = run("search", "syrie", "--sort", "-date", "-russie", "--index", ix)
    assert code == 2 and out == ""
    assert "unknown option -russie (a query word starting with - goes in the quoted query: " \
           "\"syrie -russie\")" in _one_line(err)
    code, out, err = run("search", "syrie -russie", "--sort", "-date", "--index", ix, "--format", "json")
    assert code in (0, 1) and json.loads(out)["sort"] == "-date", err


# ---------------------------------------------------- 4. argument mistakes

def _one_line(err: str) -> str:
    assert err.count("\n") == 1 and "Traceback" not in err, err
    return err


def test_mistyped_option_is_one_line_with_did_you_mean_and_the_commands_usage(ix):
    code, out, err = run("search", "--agnecy", "afp", "--index", ix)
    assert code == 2 and out == ""
    line = _one_line(err)
    assert line.startswith("depeche search: error: unknown option --agnecy (did you mean --agency?)")
    assert "usage: depeche search" in line and "depeche search --help" in line
    assert "usage: depeche [-h]" not in line and "COMMAND" not in line


def test_mistyped_option_with_a_value_and_in_other_commands(ix):
    code, _, err = run("search", "syrie", "--palce=Paris", "--index", ix)
    assert code == 2 and "unknown option --palce (did you mean --place?)" in _one_line(err)
    code, _, err = run("facets", "--feild", "agency", "--index", ix)
    assert code == 2 and _one_line(err).startswith("depeche facets: error:")
    code, _, err = run("show", "x", "y", "--index", ix)
    assert code == 2 and "unexpected argument 'y'" in _one_line(err) and "usage: depeche show ID" in err


def test_bad_choice_and_bad_command_are_one_line(ix):
    code, _, err = run("search", "syrie", "--sort", "newst", "--index", ix)
    assert code == 2
    line = _one_line(err)
    assert "--sort: invalid choice 'newst', not one of relevance, date, oldest, -date, newest " \
           "(did you mean newest?)" in line
    code, _, err = run("serch", "syrie")
    assert code == 2 and "invalid choice 'serch', not one of" in _one_line(err) and "(did you mean search?)" in err


# ------------------------------------------------------- 5. a closed pipe

@pytest.mark.parametrize("command", [["search", "", "--limit", "79", "--all-versions", "--format", "jsonl"],
                                     ["search", "", "--limit", "79", "--all-versions", "--format", "json"],
                                     ["export"]])
def test_a_closed_pipe_is_not_an_error(ix, command):
    """``depeche ... | head -1``: the reader goes away; exit 0, nothing on stderr."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "search.cli", *command, "--index", ix],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, env=env)
    first = proc.stdout.readline()   # what head -1 reads, then it closes the pipe
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 0, err
    assert first and err == ""


def test_a_closed_pipe_through_a_shell(ix):
    script = (f"{sys.executable} -m search.cli export --index '{ix}' | head -1 >/dev/null; "
              "echo \"status ${PIPESTATUS[0]}\"")
    proc = subprocess.run(["bash", "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.stdout.strip() == "status 0" and proc.stderr == ""


# --------------------------------------------------- 8. --limit and --page

@pytest.mark.parametrize("option", ["--limit", "--page"])
def test_zero_limit_or_page_is_refused(ix, option):
    code, out, err = run("search", "syrie", option, "0", "--index", ix)
    assert code == 2 and out == ""
    assert f"argument {option}: 0 is less than 1" in _one_line(err)


def test_a_page_past_the_last_names_the_last(ix):
    code, out, err = run("search", "tempête", "--page", "999", "--index", ix, "--format", "json")
    assert code == 2 and out == ""
    assert _one_line(err) == ("depeche: error: --page 999 is past the last page: 5 story groups make 1 page "
                              "of 20 (--page 1 is the last)\n")
    code, out, _ = run("search", "tempête", "--page", "3", "--limit", "2", "--index", ix, "--format", "json")
    assert code == 0 and json.loads(out)["page"] == 3
    code, _, err = run("search", "tempête", "--page", "4", "--limit", "2", "--index", ix)
    assert code == 2 and "(--page 3 is the last)" in err
    # Nothing found is not a page mistake: exit 1, as any empty search.
    assert run("search", "xyzzyq", "--page", "2", "--index", ix)[0] == 1


def test_saved_query_limit_zero_is_refused_not_read_as_default(ix, tmp_path):
    f = tmp_path / "q.yaml"
    f.write_text("a: {query: tempête, limit: 0}\nb: {query: tempête, page: 9}\nc: tempête\n", encoding="utf-8")
    code, out, err = run("search", "--queries", str(f), "--index", ix, "--format", "json")
    assert code == 2
    assert "depeche: error: a: page and limit start at 1" in err
    assert "depeche: error: b: --page 9 is past the last page" in err
    assert list(json.loads(out)) == ["c"]


# ----------------------------------------------------- 7. similar by group

def test_similar_lists_one_row_per_story_group(ix):
    # The flood story of 2016-06-03 has versions; it used to come twice.
    code, out, _ = run("similar", "1280d692d22bee85", "--index", ix, "--format", "json")
    hits = json.loads(out)["hits"]
    groups = [h["group"] for h in hits]
    assert code == 0 and len(groups) == len(set(groups)) >= 5
    flood = next(h for h in hits if h["group"] == "urn:newsml:afp.com:20160603:crue-seine-paris:1")
    assert flood["versions"] > 1
    code, out, _ = run("similar", "1280d692d22bee85", "--index", ix, "--format", "json", "--all-versions")
    groups = [h["group"] for h in json.loads(out)["hits"]]
    assert groups.count("urn:newsml:afp.com:20160603:crue-seine-paris:1") > 1


def test_similar_never_repeats_a_group_on_the_whole_corpus(ix):
    _, out, _ = run("export", "--index", ix, "--format", "jsonl")
    for line in out.splitlines()[::4]:
        sid = json.loads(line)["id"]
        _, out2, _ = run("similar", sid, "--index", ix, "--format", "json")
        groups = [h["group"] for h in json.loads(out2)["hits"]]
        assert len(groups) == len(set(groups)), sid


# -------------------------------------------------------- 9. cosmetics

def _one_story(tmp_path) -> Path:
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Le Louvre rouvre\n\nPARIS, 3 juin (Reuters) - Le musée a rouvert.\n",
                                  encoding="utf-8")
    return corpus


def test_one_story_one_file_in_the_summaries(tmp_path):
    corpus = _one_story(tmp_path)
    _, _, err = run("parse", str(corpus), "--format", "jsonl")
    assert err.startswith("1 story from 1 file; 0 files skipped; 0 warnings\n")
    code, _, err = run("index", str(corpus), "--index", str(tmp_path / "ix"))
    assert "indexed 1 new, 0 updated, 0 removed story from 1 file read (0 unchanged)" in err
    assert "0 files skipped" in err
    _, out, _ = run("stats", "--index", str(tmp_path / "ix"), "--format", "table")
    assert out.startswith("1 story (1 story group) from 1 file, ")


def test_no_empty_boxes_for_facets_no_story_has(tmp_path, ix):
    run("index", str(_one_story(tmp_path)), "--index", str(tmp_path / "ix"))
    _, out, _ = run("stats", "--index", str(tmp_path / "ix"), "--format", "table")
    assert "┃ agency" in out and "┃ translator " not in out   # no story has a translator
    code, out, _ = run("search", "tempête", "--agency", "afp", "--facets", "translators", "agency",
                       "--index", ix, "--format", "table")
    assert "translators: no value in these stories" in out and "┃ value" in out
    code, out, _ = run("facets", "xyzzyq", "--field", "agency", "--index", ix, "--format", "table")
    assert code == 1 and "no value in these stories" in out and "┏" not in out


def test_show_breaks_the_source_path_at_its_slashes(ix, monkeypatch):
    monkeypatch.setenv("COLUMNS", "60")
    code, out, _ = run("show", "66ccddedd7311a7c", "--index", ix, "--format", "table")
    lines = [line.strip("│ ") for line in out.splitlines()]
    start = next(i for i, line in enumerate(lines) if line.startswith("source"))
    end = next(i for i, line in enumerate(lines) if line.startswith("id "))
    pieces = [line.removeprefix("source").strip() for line in lines[start:end]]
    path = "".join(pieces)
    assert path.endswith("corpus/afp/2016/02/09/tempete-bretagne-refonte.txt") and len(pieces) > 1
    assert all(p.endswith("/") for p in pieces[:-1])   # never broken mid-word
    assert all(len(line) <= 60 for line in out.splitlines())


# -------------------------------------------------------- 2. the demo index

@pytest.fixture
def xdg(tmp_path, monkeypatch):
    monkeypatch.delenv("DEPECHE_INDEX", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return tmp_path / "data" / "depeche"


def _archive(tmp_path) -> Path:
    corpus = tmp_path / "archive"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Le Louvre rouvre\n\nPARIS, 3 juin (Reuters) - Le musée a rouvert vendredi.\n",
                                  encoding="utf-8")
    (corpus / "b.txt").write_text("Grève à la SNCF\n\nPARIS, 4 juin (AFP) - Les cheminots font grève.\n",
                                  encoding="utf-8")
    return corpus


def test_the_users_index_holds_only_what_the_user_indexed(tmp_path, xdg):
    # The Quick start: a first search, on the demo.
    code, out, err = run("search", "frappes aériennes", "--format", "json")
    assert code == 0 and json.loads(out)["total"] >= 1 and "demo index" in err
    # Then the user's own archive.
    code, _, err = run("index", str(_archive(tmp_path)))
    assert code == 0 and f"index: {xdg / 'index'}\n" in err
    code, out, err = run("facets", "--field", "agency", "--format", "json")
    assert json.loads(out)["values"] == {"AFP": 1, "Reuters": 1}    # no Xinhua, ATS, Belga
    assert err == ""                                                # not the demo: nothing to say
    code, out, _ = run("stats", "--format", "json")
    assert json.loads(out)["stories"] == 2
    # The demo is still there, by name.
    _, out, _ = run("stats", "--index", str(xdg / "demo"), "--format", "json")
    assert json.loads(out)["stories"] == 102


def test_index_without_a_path_builds_the_demo(xdg):
    code, _, err = run("index")
    assert code == 0 and "indexed 102 new" in err
    assert f"index: {xdg / 'demo'} (the demo index of the bundled corpus" in err
    assert not (xdg / "index").exists()
    for command in (["stats"], ["export"], ["show", "782a30753b36d0c8"], ["facets", "--field", "agency"],
                    ["similar", "782a30753b36d0c8"], ["versions", "782a30753b36d0c8"], ["check"]):
        code, out, err = run(*command, "--format", "json") if command[0] != "check" else run(*command)
        assert code == 0, (command, err)
        assert "using the demo index of the bundled corpus" in err, command


def test_a_named_index_is_never_the_demo(tmp_path, xdg, monkeypatch):
    code, _, err = run("search", "syrie", "--index", str(tmp_path / "none"))
    assert code == 2 and "no index at" in err and "demo" not in err
    monkeypatch.setenv("DEPECHE_INDEX", str(tmp_path / "mine"))
    code, _, err = run("search", "syrie")
    assert code == 2 and "no index at" in err and not (xdg / "demo").exists()
    code, _, err = run("index")     # named by the variable: the bundled corpus goes there, as asked
    assert code == 0 and f"index: {tmp_path / 'mine'}\n" in err


def test_tui_opens_the_demo_while_the_user_has_no_index(xdg, monkeypatch):
    import search.tui as tui

    opened = []

    class App:
        def run(self):
            pass

    monkeypatch.setattr(tui, "make_app", lambda index_dir: opened.append(Path(index_dir)) or App())
    code, _, err = run("tui")
    assert code == 0 and "using the demo index of the bundled corpus" in err
    (xdg / "index").mkdir(parents=True)
    code, _, err = run("tui")
    assert code == 0 and err == ""
    assert opened == [xdg / "demo", xdg / "index"]
