"""The user's config file (search/user_config.py): defaults below the
command line, every mistake one line with the file and the line."""

from __future__ import annotations

import json

import pytest

from tests.cli_run import run


@pytest.fixture
def config(tmp_path, monkeypatch):
    path = tmp_path / "depeche" / "config.yaml"
    path.parent.mkdir()
    monkeypatch.delenv("DEPECHE_CONFIG", raising=False)
    monkeypatch.delenv("DEPECHE_INDEX", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    return path


def test_defaults_from_the_config_and_the_command_line_wins(ix, config):
    config.write_text(f"index: {ix}\nformat: json\nlimit: 2\nsort: date\n", encoding="utf-8")
    code, out, _ = run("search", "tempête")
    data = json.loads(out)
    assert code == 0 and len(data["hits"]) == 2 and data["sort"] == "date"
    dates = [h["date"] for h in data["hits"]]
    assert dates == sorted(dates)
    code, out, _ = run("search", "tempête", "--limit", "3", "--sort=-date", "--format", "jsonl")
    assert code == 0 and len(out.splitlines()) == 3
    code, out, err = run("stats")                # stats offers json: the config's format
    assert code == 0 and json.loads(out)["stories"] == 102, err


def test_every_mistake_is_one_line_with_its_line(ix, config):
    config.write_text("# mes réglages\nlimit: zero\ncolour: red\nsort: oldest\nformat: docx\n", encoding="utf-8")
    code, out, err = run("search", "tempête", "--index", ix)
    assert code == 2 and out == ""
    assert err.splitlines() == [
        f"depeche: error: {config}: line 2: limit: expected a whole number of at least 1, got 'zero'",
        f"depeche: error: {config}: line 3: colour: unknown key; allowed: index, format, limit, sort",
        f"depeche: error: {config}: line 4: sort: expected relevance, date or -date, got 'oldest'",
        f"depeche: error: {config}: line 5: format: expected one of table, jsonl, json, csv, yaml, iramuteq, "
        "txm, csv-fr, xlsx, got 'docx'",
    ]
    config.write_text("limit: [1\n", encoding="utf-8")
    code, _, err = run("search", "tempête", "--index", ix)
    assert code == 2 and err.startswith(f"depeche: error: {config}: line 2: not valid YAML") and len(err.splitlines()) == 1
    config.write_text("- a\n- b\n", encoding="utf-8")
    code, _, err = run("stats", "--index", ix)
    assert code == 2 and "line 1: expected a mapping" in err


def test_no_file_and_an_empty_variable_mean_no_config(ix, config, monkeypatch):
    code, _, _ = run("stats", "--index", ix, "--format", "json")
    assert code == 0                                   # no file: no mistake
    config.write_text("colour: red\n", encoding="utf-8")
    monkeypatch.setenv("DEPECHE_CONFIG", "")
    code, _, _ = run("stats", "--index", ix, "--format", "json")
    assert code == 0
