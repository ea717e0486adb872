"""What reaches a terminal, a spreadsheet or a script: control characters
neutralised at the output edge, CSV quoting, the one output rule, one-line errors."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from indexer.index.build import build_index
from search import output
from search.cli import main
from search.results import SearchRequest
from search.searcher import Searcher
from search.tui.export import export_results

ROOT = Path(__file__).resolve().parents[1]
E = "\x1b"
#: A window title, a screen clear, an OSC 8 link, an OSC 52 clipboard write,
#: an 8-bit CSI, and rich markup for a link.
HOSTILE = (f"Titre{E}]0;PWNED\x07{E}[2J {E}]8;;https://evil.example{E}\\clic{E}]8;;{E}\\ "
           f"{E}]52;c;ZXZpbA==\x07 \x9b2J [link=https://evil.example]lien[/link]")
RAW = (E, "\x07", "\x9b")


def _story(**fields) -> str:
    base = {"id": "esc1", "headline": HOSTILE, "agency": f"Reu{E}[31mters", "places": [f"PA{E}[2JRIS"],
            "authors": [f"Jean{E}]0;x\x07 Dupont"], "date": "2015-11-20",
            "text": "PARIS, 20 novembre (Reuters) - Le texte parle de syrie et de formules.\n"}
    base.update(fields)
    return json.dumps(base)


@pytest.fixture(scope="module")
def ix(tmp_path_factory):
    root = tmp_path_factory.mktemp("output")
    corpus = root / "corpus"
    corpus.mkdir()
    lines = [_story(),
             _story(id="crlf", headline="\r=1+1", agency="AFP", places=["Lyon"], authors=[],
                    text="LYON, 20 novembre (AFP) - Un texte\r=2+2 sur la syrie.\n"),
             _story(id="multi", headline='Deux, "guillemets"', agency="AFP", places=[], authors=[],
                    text="PARIS, 20 novembre (AFP) - Premier paragraphe, syrie.\n\n=SOMME(A1) second.\n")]
    (corpus / "a.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    build_index([corpus], root / "ix", workers=1)
    return str(root / "ix")


def run(*argv):
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


# ------------------------------------------------------------------ terminals

@pytest.mark.parametrize("argv", [
    ("show", "esc1", "--format", "table"),
    ("show", "esc1", "--format", "table", "--highlight", "syrie"),
    ("search", "syrie", "--format", "table", "--facets"),
    ("search", "syrie", "--format", "table", "--all-versions"),
    ("versions", "esc1", "--format", "table"),
    ("facets", "--field", "places", "--format", "table"),
    ("facets", "--field", "authors", "--format", "table"),
    ("stats", "--format", "table"),
])
def test_story_fields_never_reach_a_terminal_raw(ix, argv):
    code, out, err = run(*argv, "--index", ix)
    assert code == 0, err
    for raw in RAW:
        assert raw not in out, (argv, raw)
    # The text is still there, its controls visible; markup is shown, not obeyed.
    assert "␛" in out
    if argv[0] == "search":  # where the whole headline shows
        assert "[link=https://evil.example]lien[/link]" in out.replace("\n", "").replace("│", "").replace(" ", "") \
            or "[link=https://evil.example]" in out


def test_parse_table_and_the_messages_of_parse_and_index_are_neutralised(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.jsonl").write_text(_story() + "\n", encoding="utf-8")
    # Empty files are skipped and named: their names try to forge a line and clear the screen.
    (corpus / f"x{E}[2Jy.txt").write_bytes(b"")
    (corpus / "b.txt\nskipped: forged.txt: all is well").write_bytes(b"")
    code, out, err = run("parse", str(corpus), "--format", "table")
    assert code == 1
    assert not any(raw in out + err for raw in RAW)
    assert not any(line.startswith("skipped: forged.txt") for line in err.splitlines())
    assert f"skipped: {corpus}/x␛[2Jy.txt: empty file" in err
    assert f"skipped: {corpus}/b.txt␊skipped: forged.txt: all is well: empty file" in err
    code, _, err = run("index", str(corpus), "--index", str(tmp_path / "ix"))
    assert code == 1 and not any(raw in err for raw in RAW)
    assert not any(line.startswith("skipped: forged.txt") for line in err.splitlines())


def test_error_lines_are_one_line_without_controls(tmp_path, ix):
    code, out, err = run("search", f"syrie {E}]0;PWNED\x07 (", "--index", ix)
    assert code == 2 and out == "" and err.count("\n") == 1
    assert err.startswith("depeche: error: bad query") and not any(raw in err for raw in RAW)
    code, _, err = run("show", f"nope\n{E}[2Jforged", "--index", ix)
    assert code == 2 and err.count("\n") == 1 and E not in err
    assert err == "depeche: error: no story with id 'nope\\n\\x1b[2Jforged' in the index\n"


def test_printable_is_one_for_one():
    text = f"a{E}b\x00c\x7fd\x85e\tf\ng\rh"
    assert len(output.printable(text)) == len(text)
    assert output.printable(text) == "a␛b␀c␡d\ufffde\tf␊g␍h"
    assert output.printable(text, multiline=True) == "a␛b␀c␡d\ufffde\tf\ng␍h"


def test_tui_shows_no_raw_control_character(ix):
    import asyncio

    from search.tui import make_app

    app = make_app(ix, debounce=0.05, deterministic=True)

    async def scenario():
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            app.query_bar.value = "syrie"
            await pilot.press("enter")
            await pilot.pause(0.2)
            await app.workers.wait_for_complete()
            await pilot.pause()
            hit = next(h for h in app.results.hits if h.story.id == "esc1")
            app.story_view.show(hit.story, (), hit.versions)
            await pilot.pause()
            shown = [app.story_view.text.plain]
            for row in range(app.results.row_count):
                shown += [cell.plain for cell in app.results.get_row_at(row)]
            app.status.show_error(f"bad query: {E}]0;PWNED\x07")
            shown.append(app.status.message)
            return shown, app.export_screenshot()

    shown, svg = asyncio.run(scenario())
    joined = "\n".join(shown)
    assert "Titre␛]0;PWNED␇" in joined
    for raw in RAW:
        assert raw not in joined and raw not in svg


# ------------------------------------------------------------------ scripts

def test_json_escapes_every_control_character(ix):
    code, out, _ = run("show", "esc1", "--index", ix, "--format", "json")
    assert code == 0 and not any(raw in out for raw in RAW) and "\\u009b2J" in out
    assert json.loads(out)["headline"] == HOSTILE
    code, out, _ = run("search", "syrie", "--index", ix, "--format", "jsonl", "--all-versions")
    assert not any(raw in out for raw in RAW)
    assert HOSTILE in [json.loads(line)["headline"] for line in out.splitlines()]


def test_yaml_escapes_every_control_character(ix):
    code, out, _ = run("show", "esc1", "--index", ix, "--format", "yaml")
    assert code == 0 and not any(raw in out for raw in RAW)
    assert yaml.safe_load(out)["headline"] == HOSTILE


def _csv_rows(text: str) -> dict[str, dict]:
    """The rows as a csv reader (or a spreadsheet) reads them: a lone CR in an
    unquoted cell ends the row there, and the next one starts with ``=1+1``."""
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header = rows[0]
    for row in rows[1:]:
        assert len(row) == len(header), row
        assert not row[0].startswith(("=", "+", "-", "@")), row
    return {r["id"]: r for r in (dict(zip(header, row)) for row in rows[1:])}


@pytest.mark.parametrize("argv", [
    ("export", "--format", "csv"),
    ("search", "syrie", "--format", "csv", "--all-versions"),
    ("show", "crlf", "--format", "csv"),
])
def test_csv_quotes_every_cell_holding_cr_or_lf(ix, argv):
    code, out, _ = run(*argv, "--index", ix)
    assert code == 0
    rows = _csv_rows(out)
    assert rows["crlf"]["headline"] == "'\r=1+1"
    if "multi" in rows:
        assert rows["multi"]["headline"] == 'Deux, "guillemets"'
        assert rows["multi"]["body"] == "Premier paragraphe, syrie.\n\n=SOMME(A1) second."
    assert not any(raw in out for raw in RAW)


def test_tui_export_csv_quotes_cr_and_lf(ix, tmp_path):
    with Searcher(ix) as searcher:
        n = export_results(searcher.search, SearchRequest("syrie", all_versions=True), tmp_path / "x.csv")
    with open(tmp_path / "x.csv", encoding="utf-8", newline="") as fh:
        rows = _csv_rows(fh.read())
    assert n == len(rows) and rows["crlf"]["headline"] == "'\r=1+1"


def test_csv_writer_writes_its_header_once():
    buf = io.StringIO()
    writer = output.CsvWriter(buf, ["a", "b"])
    writer.write([{"a": "1", "b": "x\ny"}])
    writer.write([{"a": "2", "b": "=3"}])
    assert buf.getvalue() == 'a,b\n1,"x\ny"\n2,\'=3\n'


# ------------------------------------------------------------------ the output rule

def test_the_output_rule_is_declared_once_and_shared(ix, tmp_path):
    from search.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    piped = {}
    for name, p in sub.choices.items():
        spec = p.get_default("output_spec")
        if spec is not None:
            piped[name] = spec.piped
            fmt = next(a for a in p._actions if a.dest == "format")
            assert tuple(fmt.choices) == spec.formats and fmt.help == spec.help()
    assert piped == {"parse": "jsonl", "export": "jsonl", "search": "json", "show": "json",
                     "versions": "json", "similar": "json", "facets": "json", "stats": "json"}
    # Piped (a StringIO is no terminal): each command's default.
    assert json.loads(run("stats", "--index", ix)[1])["stories"] == 3
    assert [json.loads(line)["id"] for line in run("export", "--index", ix)[1].splitlines()]
    assert json.loads(run("versions", "esc1", "--index", ix)[1])[0]["id"] == "esc1"


def test_saved_queries_csv_has_one_header_and_quoted_cells(ix, tmp_path):
    f = tmp_path / "q.yaml"
    f.write_text("un: syrie\ndeux: formules\n", encoding="utf-8")
    code, out, _ = run("search", "--queries", str(f), "--index", ix, "--format", "csv", "--all-versions")
    assert code == 0 and out.count("query_name") == 1
    rows = list(csv.DictReader(io.StringIO(out, newline="")))
    assert {r["query_name"] for r in rows} == {"un", "deux"}
    assert "'\r=1+1" in {r["headline"] for r in rows}


@pytest.mark.parametrize("argv, message", [
    (("similar", "esc1", "--limit", "-1"), "--limit: -1 is less than 1"),
    (("similar", "esc1", "--limit", "0"), "--limit: 0 is less than 1"),
    (("search", "syrie", "--limit", "0"), "--limit: 0 is less than 1"),
    (("search", "syrie", "--page", "-2"), "--page: -2 is less than 1"),
    (("search", "syrie", "--limit", "dix"), "--limit: 'dix' is not a whole number"),
])
def test_counts_must_be_positive(ix, argv, message):
    code, out, err = run(*argv, "--index", ix)
    assert code == 2 and out == "" and message in err and "Traceback" not in err


def test_similar_limit_is_checked_by_the_library(ix):
    from search.searcher import RequestError

    with Searcher(ix) as searcher:
        with pytest.raises(RequestError, match="limit"):
            searcher.similar("esc1", -1)


def test_errors_are_one_line_with_their_hint(tmp_path, ix):
    f = tmp_path / "q.yaml"
    f.write_text("- syrie\n", encoding="utf-8")
    code, _, err = run("search", "--queries", str(f), "--index", ix)
    assert code == 2 and err.count("\n") == 1
    assert err.startswith(f"depeche: error: {f}: expected a mapping of query names to queries (e.g. ")


def test_a_named_index_is_never_filled_with_the_bundled_corpus(tmp_path, monkeypatch):
    missing = tmp_path / "named"
    monkeypatch.setenv("DEPECHE_INDEX", str(missing))
    code, _, err = run("search", "syrie")
    assert code == 2 and "no index at" in err and not missing.exists()


def test_real_process_show_is_neutralised_on_a_pipe(ix):
    proc = subprocess.run([sys.executable, "-m", "search.cli", "show", "esc1", "--index", ix, "--format", "table"],
                          capture_output=True, text=True, cwd=ROOT, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "200"})
    assert proc.returncode == 0, proc.stderr
    assert not any(raw in proc.stdout for raw in RAW) and "Titre␛]0;PWNED␇" in proc.stdout
