"""A hostile corpus: every good story indexed, every bad file named with its reason."""

from __future__ import annotations

import gzip
import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from indexer.index.build import build_index, open_index
from indexer.index.stats import iter_stories
from search.cli import main

pytestmark = pytest.mark.reliability

GOOD = "Titre {n}\n\nPARIS, 3 juin (Reuters) - Le musée numéro {n} a rouvert vendredi.\n"


def make_hostile_corpus(root: Path) -> tuple[int, dict[str, str]]:
    """Write good and bad files; return the number of good stories and, for
    each bad file, the word its reason must contain."""
    root.mkdir(parents=True)
    good = 0

    def story(name: str, data: bytes | str) -> None:
        nonlocal good
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
        good += 1

    bad: dict[str, str] = {}

    def broken(name: str, data: bytes, reason: str) -> None:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        bad[name] = reason

    for n in range(5):
        story(f"2016/06/03/bon-{n}.txt", GOOD.format(n=n))
    story("latin1.txt", GOOD.format(n="é").encode("latin-1"))            # read as cp1252, warned
    story("cp1252.txt", (GOOD.format(n="œ") + "« guillemets »").encode("cp1252"))
    story("utf16.txt", GOOD.format(n="utf16").encode("utf-16"))
    story("nul.txt", GOOD.format(n="nul").replace("musée", "mu\x00sée"))  # a stray NUL byte
    story("noms étranges/dépêche (copie) #1.txt", GOOD.format(n="nom"))
    story("page.html", "<!DOCTYPE html><html><head><title>x</title><script>var a;</script></head><body>"
                       "<nav>Accueil</nav><h1>Titre HTML</h1><p>PARIS, 3 juin (AFP) - Le texte de la page.</p>"
                       "</body></html>")
    story("crlf.txt", GOOD.format(n="crlf").replace("\n", "\r\n"))
    lines = [json.dumps({"id": f"j{n}", "text": GOOD.format(n=f"j{n}")}) for n in range(3)]
    (root / "lignes.jsonl").write_text("\n".join([lines[0], "{tronqué", lines[1], "[]", lines[2]]), encoding="utf-8")
    good += 3
    (root / "sgml.sgml").write_text(
        '<DOC id="AFP_FRE_20081105.0001" type="story"><HEADLINE>Un<TEXT><P>Premier texte.'
        '<DOC id="AFP_FRE_20081105.0002" type="story"><HEADLINE>Deux</HEADLINE><TEXT><P>Second texte.</P>',
        encoding="utf-8")
    good += 2
    story("front-bombe.txt", "---\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a]\n"
                             "c: [*b, *b, *b, *b, *b, *b]\n---\n" + GOOD.format(n="bombe"))
    story("front-cassee.txt", "---\n: : [\n---\n" + GOOD.format(n="cassée"))

    broken("vide.txt", b"", "empty")
    broken("blancs.txt", b"   \n\n  ", "empty")
    broken("image.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40, "binary")
    broken("zeros.txt", b"\x00" * 4096, "binary")
    whole = gzip.compress((GOOD.format(n="gz") * 50).encode(), mtime=0)
    broken("tronque.txt.gz", whole[:12], "truncated")
    broken("pas-gzip.txt.gz", b"ceci n'est pas du gzip", "gzip")
    broken("enorme.txt", (GOOD.format(n="big") + "mot " * 13_000_000).encode(), "not a wire story")
    broken("une-ligne.jsonl", json.dumps({"text": "x" * 5_000_000}).encode(), "not a wire story")
    (root / "boucle").symlink_to(root)
    bad["boucle"] = "symlink"
    return good, bad


def test_hostile_corpus_loses_no_good_story(tmp_path):
    corpus = tmp_path / "corpus"
    good, bad = make_hostile_corpus(corpus)
    problems = []
    started = time.monotonic()
    report = build_index([corpus], tmp_path / "ix", on_result=lambda r: problems.extend(r.problems))
    elapsed = time.monotonic() - started
    stories = list(iter_stories(open_index(tmp_path / "ix")))
    assert len(stories) == good
    reasons: dict[str, list] = {}
    for p in problems:
        reasons.setdefault(str(Path(p.path).relative_to(corpus)), []).append(p)
    for name, word in bad.items():
        assert name in reasons, f"{name} not reported"
        assert any(word in p.reason for p in reasons[name]), (name, reasons[name])
        assert any(p.skipped for p in reasons[name])
    assert "line 2" in " ".join(p.reason for p in problems if p.path.endswith("lignes.jsonl"))
    assert not report.clean
    assert elapsed < 60
    print(f"hostile corpus: {len(bad)} bad files reported, {good} good stories indexed, stories lost: 0, "
          f"{elapsed:.1f} s")


def test_hostile_corpus_through_the_command(tmp_path):
    corpus = tmp_path / "corpus"
    make_hostile_corpus(corpus)
    out, err = io.StringIO(), io.StringIO()
    code = main(["index", str(corpus), "--index", str(tmp_path / "ix")], out=out, err=err)
    assert code == 1
    assert "Traceback" not in err.getvalue()
    assert f"skipped: {corpus / 'image.txt'}: binary file, not text" in err.getvalue()


#: The most memory one process of a hostile-corpus run may take: the corpus
#: holds a 50 MB file and a 5 MB line; a run must not hold many copies.
HOSTILE_MAX_RSS_MB = 400


#: Runs ``python ARGS`` in a grandchild and prints its peak RSS (KB). Linux
#: keeps a process's peak RSS across exec, so a command started straight
#: from pytest would report pytest's own peak (400 MB late in the suite); a
#: child forked from this small launcher starts afresh.
_MEASURED_LAUNCH = """
import os, sys
pid = os.fork()
if pid == 0:
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
    os.execv(sys.executable, [sys.executable] + sys.argv[1:])
_, status, usage = os.wait4(pid, 0)
print(usage.ru_maxrss)
sys.exit(os.waitstatus_to_exitcode(status))
"""


def test_hostile_corpus_in_bounded_time_and_memory(tmp_path):
    """A real ``depeche index`` process on the hostile corpus: its largest
    process's peak memory (the kernel's count, children included) is bounded."""
    corpus = tmp_path / "corpus"
    make_hostile_corpus(corpus)
    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": str(root)}
    started = time.monotonic()
    with open(tmp_path / "err", "w") as err:
        proc = subprocess.run([sys.executable, "-c", _MEASURED_LAUNCH, "-m", "search.cli", "index", str(corpus),
                               "--index", str(tmp_path / "ix"), "--quiet"], cwd=root, env=env,
                              stdout=subprocess.PIPE, stderr=err, text=True)
    elapsed = time.monotonic() - started
    peak_mb = int(proc.stdout.split()[-1]) / 1024
    assert proc.returncode == 1, (tmp_path / "err").read_text()
    assert "Traceback" not in (tmp_path / "err").read_text()
    assert elapsed < 60
    assert peak_mb < HOSTILE_MAX_RSS_MB
    print(f"hostile corpus through depeche index: {elapsed:.1f} s, largest process peak {peak_mb:.0f} MB "
          f"(bound {HOSTILE_MAX_RSS_MB} MB)")


def test_csv_exports_neutralise_spreadsheet_formulas(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(
        '=HYPERLINK("http://evil","clic")\n\nPARIS, 3 juin (Reuters) - +33 -2 @somme texte.\n', encoding="utf-8")
    ix = str(tmp_path / "ix")
    build_index([corpus], ix)
    for argv in (["export", "--format", "csv"], ["search", "texte", "--format", "csv"]):
        out = io.StringIO()
        main([*argv, "--index", ix], out=out, err=io.StringIO())
        import csv
        rows = list(csv.DictReader(io.StringIO(out.getvalue())))
        assert rows[0]["headline"] == "'=HYPERLINK(\"http://evil\",\"clic\")"
        assert all(not v.startswith(("=", "+", "-", "@")) for row in rows for v in row.values() if v)


def test_no_shell_and_no_unsafe_yaml_anywhere_in_the_code():
    root = Path(__file__).resolve().parents[1]
    for package in ("indexer", "search", "bench"):
        for path in (root / package).rglob("*.py"):
            code = path.read_text(encoding="utf-8")
            for forbidden in ("shell=True", "os.system(", "os.popen(", "yaml.load(", "yaml.unsafe_load", "eval(", "exec("):
                assert forbidden not in code, f"{path}: {forbidden}"


def test_an_impossible_date_in_saved_queries_is_one_clear_line(tmp_path):
    ix = str(tmp_path / "ix")
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "a.txt").write_text(GOOD.format(n=1), encoding="utf-8")
    build_index([tmp_path / "c"], ix)
    queries = tmp_path / "q.yaml"
    queries.write_text("bonne: musée\nfevrier:\n  query: musée\n  from: 2016-02-30\n", encoding="utf-8")
    err = io.StringIO()
    code = main(["search", "--queries", str(queries), "--index", ix, "--format", "json"], out=io.StringIO(), err=err)
    assert code == 2
    assert err.getvalue().strip().endswith(
        f"{queries}: not valid YAML (line 4): '2016-02-30' is not a date (day is out of range for month)")
    assert "Traceback" not in err.getvalue()


def test_a_file_read_in_batches_is_replaced_whole_after_an_interruption(tmp_path):
    """Batches apply inside a file; the file's stamp goes with its last batch,
    so a run stopped in the middle of a file is finished by the next one."""
    corpus = tmp_path / "c"
    corpus.mkdir()
    lines = [json.dumps({"id": f"l{n}", "text": GOOD.format(n=n)}) for n in range(50)]
    (corpus / "gros.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    ix = tmp_path / "ix"
    seen = []

    def stop_at_third_part(result):
        seen.append(result.part)
        if result.part == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        build_index([corpus], ix, batch_stories=10, workers=1, on_result=stop_at_third_part)
    assert len(list(iter_stories(open_index(ix)))) == 20            # two batches committed
    report = build_index([corpus], ix, batch_stories=10, workers=1)
    assert (report.added, report.updated, report.removed, report.generations) == (30, 20, 0, 5)
    assert sorted(s.id for s in iter_stories(open_index(ix))) == sorted(f"l{n}" for n in range(50))
    again = build_index([corpus], ix, batch_stories=10, workers=1)
    assert (again.unchanged_files, again.added, again.generations) == (1, 0, 0)
    (corpus / "gros.jsonl").write_text("\n".join(lines[:25]) + "\n", encoding="utf-8")
    shrunk = build_index([corpus], ix, batch_stories=10, workers=1)
    assert (shrunk.added, shrunk.updated, shrunk.removed) == (0, 25, 25)
    assert len(list(iter_stories(open_index(ix)))) == 25


#: The peak memory of any process of an index run, whatever the file sizes.
RUN_MAX_RSS_MB = 500


def test_memory_is_bounded_on_a_huge_sparse_file_and_a_long_json_lines_file(tmp_path):
    """A real ``depeche index`` on a 3 GB sparse file and 20,000 JSON lines in
    one file, read in batches (100,000 lines take over two minutes of CPU:
    ``python -m bench.reliability`` runs a million, through
    ``DEPECHE_RELIABILITY_LINES``)."""
    lines = int(os.environ.get("DEPECHE_RELIABILITY_LINES", "20000"))
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    with open(corpus / "disque.jsonl", "wb") as fh:
        fh.truncate(3 * 2**30)
    with open(corpus / "lignes.jsonl", "w", encoding="utf-8") as fh:
        for n in range(lines):
            fh.write(json.dumps({"id": f"l{n}", "text": f"Mot{n} texte."}) + "\n")
    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": str(root)}
    started = time.monotonic()
    with open(tmp_path / "err", "w") as err:
        proc = subprocess.Popen([sys.executable, "-m", "search.cli", "index", str(corpus), "--index",
                                 str(tmp_path / "ix"), "--quiet"], cwd=root, env=env,
                                stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.monotonic() - started
    peak_mb = usage.ru_maxrss / 1024
    text = (tmp_path / "err").read_text()
    assert os.waitstatus_to_exitcode(status) == 1, text
    assert f"skipped: {corpus / 'disque.jsonl'}: binary file, not text" in text
    assert f"indexed {lines} new" in text
    assert peak_mb < RUN_MAX_RSS_MB
    print(f"3 GB sparse file and {lines:,} JSON lines through depeche index: {elapsed:.1f} s, "
          f"largest process peak {peak_mb:.0f} MB (bound {RUN_MAX_RSS_MB} MB)")


# ------------------------------------------------------------------ hostile queries

@pytest.fixture(scope="module")
def bundled_ix(tmp_path_factory):
    from indexer.formats import bundled_corpus

    path = tmp_path_factory.mktemp("hostile-queries") / "ix"
    build_index([bundled_corpus()], path, workers=1)
    return str(path)


def _search(ix, *argv):
    out, err = io.StringIO(), io.StringIO()
    code = main(["search", *argv, "--index", ix, "--format", "json"], out=out, err=err)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("query, limit", [
    ("?*", None), ("*e*", None), ("{a TO z}", None), ("[a TO z]", None),
    ("a*", 20), ("e?*", 20), ("lieu:[a TO zz]", 5), ("titre:[a TO z]", 20), ("*", None),
])
def test_too_broad_expansions_are_refused_never_cut_short(bundled_ix, query, limit, monkeypatch):
    """An expansion over the bound is an error (exit 2), not a partial result."""
    from search.engine import IndexArrays

    if limit is not None:  # the bundled corpus is small: a lower bound shows the rule
        monkeypatch.setattr(IndexArrays, "max_expansion", limit)
    bound = IndexArrays.max_expansion
    code, out, err = _search(bundled_ix, query)
    if query == "*":  # everything: no expansion, every story
        assert code == 0 and json.loads(out)["total"] == 90
        return
    assert code == 2 and out == "", (query, out[:200])
    assert err.count("\n") == 1 and "Traceback" not in err
    assert f"is too broad: it reaches more than {bound:,} words of the index" in err, err
    monkeypatch.undo()
    if limit is not None:  # within the default bound, the same query answers
        assert _search(bundled_ix, query)[0] == 0


def test_narrow_expansions_answer_as_before(bundled_ix):
    from indexer.index.build import open_index as _open
    from whoosh import query as wq

    for query in ("frap*", "syr?e", "*isme", "*tion", "[syrie TO syriz]", "Poutinne~", "agence:[a TO b]"):
        code, out, err = _search(bundled_ix, query, "--all-versions", "--limit", "200")
        assert code in (0, 1) and err == "", (query, err)
    # A leading wildcard finds what Whoosh's own full walk finds, word for word.
    from search.engine import IndexArrays

    ix = _open(bundled_ix)
    with ix.searcher() as s:
        arrays = IndexArrays(s, {})
        for pattern in ("*isme", "*tion", "?ou*", "*r?e"):
            expected = sorted(t.decode("utf-8") for t in wq.Wildcard("words", pattern)._btexts(s.reader()))
            assert arrays.wildcard("words", pattern) == expected and expected, pattern
            assert arrays.wildcard("words", pattern) == expected  # from the kept lexicon string
        rng = wq.TermRange("body", "syri", "t", startexcl=True, endexcl=False)
        assert arrays.term_range(rng) == sorted(t.decode("utf-8") for t in rng._btexts(s.reader()))


def test_overlong_words_and_queries_are_refused_early(bundled_ix):
    from search.query import MAX_QUERY_CHARS, MAX_WORD_CHARS

    code, out, err = _search(bundled_ix, "x" * 60_000)
    assert code == 2 and out == "" and f"a query is at most {MAX_QUERY_CHARS:,}" in err
    code, out, err = _search(bundled_ix, "syrie " + "x" * (MAX_WORD_CHARS + 1))
    assert code == 2 and err == (f"depeche: error: bad query at character 7: a word of {MAX_WORD_CHARS + 1} "
                                 f"characters; words are at most {MAX_WORD_CHARS}\n")
    code, _, err = _search(bundled_ix, " ".join(f"a{chr(98 + i)}*" for i in range(17)))
    assert code == 2 and "a query holds at most 16" in err


def test_boosts_work_or_are_refused(bundled_ix):
    _, plain, _ = _search(bundled_ix, "syrie", "--all-versions", "--limit", "100")
    code, boosted, _ = _search(bundled_ix, "syrie^2", "--all-versions", "--limit", "100")
    plain, boosted = json.loads(plain), json.loads(boosted)
    assert code == 0 and boosted["total"] == plain["total"] > 0
    scores = {h["id"]: h["score"] for h in plain["hits"]}
    assert all(h["score"] == pytest.approx(2 * scores[h["id"]], abs=1e-3) for h in boosted["hits"])
    # A boost changes the ranking: the boosted word's stories come first.
    _, a, _ = _search(bundled_ix, "syrie OU tempête^10", "--limit", "3")
    assert all("temp" in (h["headline"] + h["body"]).lower() for h in json.loads(a)["hits"])
    for query in ("syrie^", "syrie^abc", "^2", "syrie ^2", "syrie^-1", "a^2^3"):
        code, out, err = _search(bundled_ix, query)
        assert code == 2 and "a boost is ^ and a number" in err, (query, err)
    for query in ('"frappes aériennes"^2', "(syrie russie)^3", "frap*^2", 'titre:"frappes russes"~5^2'):
        assert _search(bundled_ix, query)[0] in (0, 1), query


def test_counting_expansions_never_raises_on_odd_fuzzy_words():
    """Found by hypothesis: a fuzzy word that analyses to nothing (``\\x80~``)."""
    from indexer.index.schema import build_schema
    from search.query import QueryError, parse_query

    for text in ("\x80~", "~", "\x80~2 ab*"):
        try:
            parse_query(text, build_schema())
        except QueryError:
            pass
