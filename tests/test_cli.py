"""The command line: ``main(argv)`` for behaviour, one real subprocess for the install."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys

import pytest
import yaml

from search.cli import main

STORY = "Le Louvre rouvre\n\nPARIS, 3 juin (Reuters) - Le musée a rouvert vendredi.\n\n(Bureau de Paris)\n"


def run(*argv):
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_parse_bundled_corpus_as_jsonl_by_default_when_piped():
    code, out, err = run("parse")
    records = [json.loads(line) for line in out.splitlines()]
    assert len(records) >= 20
    seed = next(r for r in records if r["source"].endswith("000_b7a2240e7e7e77b8.txt"))
    assert seed["translators"] == ["Danielle Rouquié"] and seed["date"] == "2015-11-20"
    assert f"{len(records)} stories from" in err
    assert "stories with each field: headline" in err
    assert code in (0, 1)


def test_parse_yaml_and_summary_on_stderr(tmp_path):
    (tmp_path / "2016" / "06" / "03").mkdir(parents=True)
    (tmp_path / "2016" / "06" / "03" / "a.txt").write_text(STORY, encoding="utf-8")
    code, out, err = run("parse", str(tmp_path), "--format", "yaml")
    [record] = yaml.safe_load(out)
    assert record["desk"] == "bureau de Paris" and record["date"] == "2016-06-03"
    assert code == 0
    assert err.startswith("1 story from 1 file; 0 files skipped; 0 warnings")


def test_parse_table_has_the_headline(tmp_path):
    (tmp_path / "a.txt").write_text(STORY, encoding="utf-8")
    code, out, _ = run("parse", str(tmp_path), "--format", "table")
    assert "Le Louvre rouvre" in out and "Reuters" in out


def test_bad_files_give_exit_1_and_name_the_file(tmp_path):
    (tmp_path / "a.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(b"")
    (tmp_path / "c.txt").write_bytes("Défense\n\nTexte.".encode("cp1252"))
    code, out, err = run("parse", str(tmp_path), "--format", "jsonl")
    assert code == 1
    assert len(out.splitlines()) == 2
    assert f"skipped: {tmp_path / 'b.txt'}: empty file" in err
    assert f"warning: {tmp_path / 'c.txt'}: encoding: not valid UTF-8, read as cp1252" in err
    assert "1 file skipped; 1 warning (encoding: 1)" in err


@pytest.mark.parametrize("setup, message", [
    (lambda p: None, "no such file or directory"),
    (lambda p: (p.mkdir(), (p / "corpus.yaml").write_text("colour: red\n")), "colour: unknown key; allowed:"),
    (lambda p: (p.mkdir(), (p / "corpus.yaml").write_text("years: [2012\n")), "not valid YAML"),
    (lambda p: (p.mkdir(), (p / "corpus.yaml").write_text("debris: ['(']\n")), "debris: bad regular expression"),
])
def test_user_mistakes_are_one_line_and_exit_2(tmp_path, setup, message):
    target = tmp_path / "corpus"
    setup(target)
    code, out, err = run("parse", str(target))
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("depeche: error: ") and message in err
    assert "Traceback" not in err


def test_bad_format_and_no_command():
    assert run("parse", "--format", "xml")[0] == 2
    code, out, _ = run()
    assert code == 2 and "parse" in out


def test_installed_console_script_runs_on_the_bundled_corpus():
    exe = shutil.which("depeche")
    cmd = [exe] if exe else [sys.executable, "-m", "search.cli"]
    proc = subprocess.run([*cmd, "parse", "--format", "jsonl"], capture_output=True, text=True, timeout=120)
    assert proc.returncode in (0, 1), proc.stderr
    assert "Traceback" not in proc.stderr
    ids = [json.loads(line)["id"] for line in proc.stdout.splitlines()]
    assert len(ids) == len(set(ids)) >= 20
