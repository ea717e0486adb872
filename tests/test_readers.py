"""Readers: every format, every encoding, and bad files that cost nothing else."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import pytest

from indexer.errors import ConfigError, NoStoriesError
from indexer.formats import read_corpus

STORY = "Le Louvre rouvre\n\nPARIS, 3 juin (Reuters) - Le musée a rouvert vendredi.\n\n(Bureau de Paris)\n"


def _read(root: Path):
    results = list(read_corpus([str(root)]))
    stories = [s for r in results for s in r.stories]
    problems = [p for r in results for p in r.problems]
    return stories, problems


def test_plain_text_in_a_dated_folder(tmp_path):
    f = tmp_path / "2016" / "06" / "03" / "louvre.txt"
    f.parent.mkdir(parents=True)
    f.write_text(STORY, encoding="utf-8")
    stories, problems = _read(tmp_path)
    assert problems == []
    [s] = stories
    assert (s.headline, s.date, s.date_source, s.desk) == ("Le Louvre rouvre", "2016-06-03", "path", "bureau de Paris")
    assert s.source == str(f)


def test_front_matter_overrides(tmp_path):
    (tmp_path / "a.txt").write_text(
        "---\nid: louvre-1\ndate: 2016-06-03\nurl: http://exemple.fr/a\nlanguage: fr\n---\n" + STORY, encoding="utf-8")
    [s], problems = _read(tmp_path)
    assert problems == []
    assert (s.id, s.date, s.date_source, s.headline) == ("louvre-1", "2016-06-03", "metadata", "Le Louvre rouvre")
    assert s.meta == {"url": "http://exemple.fr/a"} and s.language == "fr"


@pytest.mark.parametrize("front, reason", [
    ("a: [1, 2\n", "front-matter: not valid YAML"),
    ("- a\n- b\n", "front-matter: not a mapping"),
    ("a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n", "front-matter: YAML aliases are not allowed"),
])
def test_bad_front_matter_is_a_warning_and_the_story_is_kept(tmp_path, front, reason):
    (tmp_path / "a.txt").write_text(f"---\n{front}---\n" + STORY, encoding="utf-8")
    [s], problems = _read(tmp_path)
    assert s.headline == "Le Louvre rouvre"
    assert any(w.startswith(reason) for w in s.warnings)


def test_json_lines_with_a_broken_line(tmp_path):
    good = {"id": "b1", "headline": "Titre", "date": "2014-03-12", "agency": "Belga",
            "text": "BRUXELLES, 12 mars (Belga) - Le texte mercredi."}
    lines = [json.dumps(good), '{"id": "b2", "text": "tronq', "[1, 2]", json.dumps({"id": "b4"}),
             json.dumps({**good, "id": "b5", "text": None, "body": "Le corps."})]
    (tmp_path / "b.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    stories, problems = _read(tmp_path)
    assert [s.id for s in stories] == ["b1", "b5"]
    assert stories[0].source.endswith("b.jsonl:1") and stories[1].source.endswith("b.jsonl:5")
    assert [p.reason.split(":")[0] for p in problems] == ["line 2", "line 3", "line 4"]
    assert not any(p.skipped for p in problems)


SGML = """<DOC id="AFP_FRE_20081105.0042" type="story">
<HEADLINE>
Obama élu président
</HEADLINE>
<DATELINE>
WASHINGTON, 5 nov 2008 (AFP)
</DATELINE>
<TEXT>
<P>
Barack Obama a été élu mercredi &amp; c'est historique.
</P>
<P>
Deuxième paragraphe.
</P>
</TEXT>
</DOC>
<DOC id="AFP_FRE_20081105.0043" type="advis">
<HEADLINE>Avis aux rédactions</HEADLINE>
<TEXT>
Le service sera interrompu.
"""


def test_sgml_every_doc_with_id_date_type_and_unclosed_tags(tmp_path):
    (tmp_path / "afp.sgml").write_text(SGML, encoding="utf-8")
    stories, problems = _read(tmp_path)
    assert problems == []
    a, b = stories
    assert (a.id, a.agency, a.places, a.date, a.date_source) == (
        "AFP_FRE_20081105.0042", "AFP", ("Washington",), "2008-11-05", "text")
    assert a.headline == "Obama élu président"
    assert a.body == "Barack Obama a été élu mercredi & c'est historique.\n\nDeuxième paragraphe."
    assert a.meta == {"type": "story"}
    assert (b.id, b.date, b.date_source, b.meta) == ("AFP_FRE_20081105.0043", "2008-11-05", "metadata", {"type": "advis"})
    assert b.body == "Le service sera interrompu."


def test_gzip_and_truncated_gzip(tmp_path):
    (tmp_path / "a.txt.gz").write_bytes(gzip.compress(STORY.encode(), mtime=0))
    whole = gzip.compress((STORY * 200).encode(), mtime=0)
    (tmp_path / "b.txt.gz").write_bytes(whole[: len(whole) // 2])
    (tmp_path / "c.txt.gz").write_bytes(b"\x1f\x8b\x08garbage")
    stories, problems = _read(tmp_path)
    assert [s.headline for s in stories] == ["Le Louvre rouvre", "Le Louvre rouvre"]
    by_file = {Path(p.path).name: p for p in problems}
    assert not by_file["b.txt.gz"].skipped and "truncated" in by_file["b.txt.gz"].reason
    assert by_file["c.txt.gz"].skipped


def test_encodings(tmp_path):
    (tmp_path / "cp1252.txt").write_bytes(STORY.replace("Louvre", "Défense").encode("cp1252"))
    (tmp_path / "utf16.txt").write_bytes(STORY.encode("utf-16"))
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbf" + STORY.encode())
    stories, problems = _read(tmp_path)
    assert sorted(s.headline for s in stories) == ["Le Défense rouvre", "Le Louvre rouvre", "Le Louvre rouvre"]
    [p] = problems
    assert p.path.endswith("cp1252.txt") and p.reason == "encoding: not valid UTF-8, read as cp1252"
    assert not p.skipped
    cp = next(s for s in stories if "Défense" in s.headline)
    assert "encoding: not valid UTF-8, read as cp1252" in cp.warnings


def test_binary_empty_and_unreadable_files_are_skipped_with_a_reason(tmp_path):
    (tmp_path / "good.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 10)
    (tmp_path / "zeros.txt").write_bytes(b"\x00" * 1000)
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_text("  \n\n", encoding="utf-8")
    locked = tmp_path / "locked.txt"
    locked.write_text(STORY, encoding="utf-8")
    locked.chmod(0)
    try:
        stories, problems = _read(tmp_path)
    finally:
        locked.chmod(0o644)
    reasons = {Path(p.path).name: p.reason for p in problems}
    assert all(p.skipped for p in problems)
    assert reasons["image.txt"] == reasons["zeros.txt"] == "binary file, not text"
    assert reasons["empty.txt"] == reasons["blank.txt"] == "empty file"
    if os.geteuid() != 0:  # root reads anything
        assert reasons["locked.txt"].startswith("unreadable")
    assert "Le Louvre rouvre" in [s.headline for s in stories]


def test_symlink_loops_and_links_out_of_the_corpus_are_not_followed(tmp_path):
    corpus = tmp_path / "corpus"
    (corpus / "a").mkdir(parents=True)
    (corpus / "a" / "s.txt").write_text(STORY, encoding="utf-8")
    (corpus / "a" / "loop").symlink_to(corpus)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(STORY, encoding="utf-8")
    (corpus / "out").symlink_to(outside)
    (corpus / "out.txt").symlink_to(outside / "secret.txt")
    stories, problems = _read(corpus)
    assert len(stories) == 1
    assert sorted(Path(p.path).name for p in problems) == ["loop", "out", "out.txt"]


def test_yaml_golden_files_readme_and_hidden_files_are_not_stories(tmp_path):
    (tmp_path / "a.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / "a.expected.yaml").write_text("headline: x\n", encoding="utf-8")
    (tmp_path / "README.md").write_text("# Mon corpus\n\nDes dépêches.\n", encoding="utf-8")
    (tmp_path / ".DS_Store").write_bytes(b"\x00\x01")
    stories, problems = _read(tmp_path)
    assert len(stories) == 1 and problems == []


def test_a_story_saved_as_licence_txt_is_a_story(tmp_path):
    """A project's LICENSE is not a story, a story saved under its headline's
    slug is, even when the headline is "Licence ?" (two stories of the 1M
    benchmark corpus were left out without a word)."""
    (tmp_path / "LICENSE").write_text("MIT License\n\nPermission is hereby granted...\n", encoding="utf-8")
    day = tmp_path / "reuters" / "2019" / "01" / "31"
    day.mkdir(parents=True)
    (day / "licence.txt").write_text("Licence ?\n\n" + STORY, encoding="utf-8")
    stories, problems = _read(tmp_path)
    assert [s.headline for s in stories] == ["Licence ?"] and problems == []


def test_corpus_yaml_is_honoured_and_validated(tmp_path):
    (tmp_path / "corpus.yaml").write_text("years: [2012, 2016]\nagency: Reuters\n", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text(
        "Titre\n\nPARIS, 20 novembre - Le ministre a annoncé vendredi une réforme.\n", encoding="utf-8")
    [s], _ = _read(tmp_path / "sub")  # found in the folder above
    assert (s.agency, s.date, s.date_source) == ("Reuters", "2015-11-20", "weekday")
    (tmp_path / "corpus.yaml").write_text("years: [2016, 2012]\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"corpus.yaml: years: the first year must not be after the second"):
        _read(tmp_path)


def test_missing_path_is_a_clear_error(tmp_path):
    with pytest.raises(NoStoriesError, match="no such file or directory"):
        _read(tmp_path / "nope")


# ---------------------------------------------------------- bad metadata values

def test_an_impossible_front_matter_date_costs_the_date_only(tmp_path):
    (tmp_path / "a.txt").write_text("---\nid: fevrier\ndate: 2016-02-30\nheadline: Le 30 février\n---\n" + STORY,
                                    encoding="utf-8")
    (tmp_path / "b.txt").write_text(STORY, encoding="utf-8")
    stories, problems = _read(tmp_path)
    assert "fevrier" in [s.id for s in stories] and len(stories) == 2
    a = next(s for s in stories if s.id == "fevrier")
    assert a.headline == "Le 30 février" and a.date_source != "metadata"
    [p] = [p for p in problems if p.kind == "date"]
    assert p.path.endswith("a.txt") and "'2016-02-30'" in p.message


def test_an_impossible_date_does_not_stop_an_index_run(tmp_path):
    from indexer.index.build import build_index

    for n in range(5):
        front = "---\ndate: 2016-02-30\n---\n" if n == 2 else ""
        (tmp_path / f"{n}.txt").write_text(front + STORY.replace("Louvre", f"Louvre {n}"), encoding="utf-8")
    report = build_index([tmp_path], tmp_path.parent / (tmp_path.name + "-ix"))
    assert report.added == 5 and report.read.warnings_by_kind == {"date": 1}


def test_bad_metadata_values_cost_their_field_with_a_warning(tmp_path):
    records = [
        {"id": ["liste"], "headline": {"x": 1}, "agency": True, "authors": ["Ann Lee", {"y": 2}], "score": float("nan"),
         "text": STORY},
        {"id": "ok", "date": 20160230, "text": STORY},
    ]
    (tmp_path / "a.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    stories, problems = _read(tmp_path)
    first, second = stories
    assert first.id != "['liste']" and len(first.id) == 16          # the generated id
    assert first.headline == "Le Louvre rouvre" and first.agency == "Reuters" and first.authors == ("Ann Lee",)
    assert "score" not in first.meta
    warned = [p.message for p in problems if p.position == 1]
    assert any("id: ['liste']" in w for w in warned) and any("headline: {'x': 1}" in w for w in warned)
    assert any("agency: True" in w for w in warned) and any("score: nan" in w for w in warned)
    assert second.id == "ok" and any("20160230" in p.message for p in problems if p.position == 2)


def test_binary_and_set_yaml_values_are_stored_readable_or_dropped(tmp_path):
    (tmp_path / "a.txt").write_text(
        "---\nblob: !!binary aGVsbG8=\ntags: !!set {b, a}\nraw: !!binary /w==\n---\n" + STORY, encoding="utf-8")
    [s], problems = _read(tmp_path)
    assert s.meta == {"blob": "hello"} and s.keywords == ("a", "b")   # tags are keywords
    [p] = problems
    assert p.kind == "metadata" and "raw: b'\\xff' is binary data, not text, ignored" in p.message


def test_an_impossible_date_in_corpus_yaml_is_one_clear_error(tmp_path):
    (tmp_path / "corpus.yaml").write_text("name: Archive\nyears: [2012, 2016]\nagency: 2016-02-30\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text(STORY, encoding="utf-8")
    with pytest.raises(ConfigError, match=r"corpus.yaml: line 3: not valid YAML: '2016-02-30' is not a date"):
        _read(tmp_path)


# ------------------------------------------------------------ special files

@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_named_txt_is_skipped_not_opened(tmp_path):
    """A FIFO would hang open(): the command must finish, naming it."""
    import subprocess
    import sys

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(STORY, encoding="utf-8")
    os.mkfifo(corpus / "tube.txt")
    root = Path(__file__).resolve().parents[1]
    for command in (["parse"], ["index", "--index", str(tmp_path / "ix"), "--quiet"]):
        proc = subprocess.run([sys.executable, "-m", "search.cli", command[0], str(corpus), *command[1:]],
                              cwd=root, env={**os.environ, "PYTHONPATH": str(root)}, capture_output=True,
                              text=True, timeout=120)
        assert proc.returncode == 1, proc.stderr
        assert f"skipped: {corpus / 'tube.txt'}: not a regular file (a FIFO), not read" in proc.stderr
        assert "Traceback" not in proc.stderr


# ------------------------------------------------------------ user patterns

def test_a_runaway_debris_pattern_cannot_hang_a_run(tmp_path):
    """(x+x+)+y backtracks for minutes in Python's re on 40 x; RE2 cannot backtrack."""
    import subprocess
    import sys

    (tmp_path / "corpus.yaml").write_text("debris: ['(x+x+)+y']\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text("Titre\n\n" + "x" * 40 + "\n\nPARIS (AFP) - Texte.\n", encoding="utf-8")
    root = Path(__file__).resolve().parents[1]
    proc = subprocess.run([sys.executable, "-m", "search.cli", "parse", str(tmp_path), "--format", "jsonl"],
                          cwd=root, env={**os.environ, "PYTHONPATH": str(root)}, capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "x" * 40 in json.loads(proc.stdout)["body"]


def test_debris_patterns_keep_their_unicode_meaning(tmp_path):
    (tmp_path / "corpus.yaml").write_text("debris: ['Cet article\\s+\\w+\\s+utile\\s*\\?']\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text(STORY + "\nCet article\u00a0était utile\u00a0?\n", encoding="utf-8")
    [s], _ = _read(tmp_path)
    assert "utile" not in s.body


def test_a_pattern_re2_cannot_run_is_refused_with_the_reason(tmp_path):
    (tmp_path / "corpus.yaml").write_text("debris: ['(a)\\1']\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text(STORY, encoding="utf-8")
    with pytest.raises(ConfigError, match=r"debris: bad regular expression .*invalid escape sequence.*RE2"):
        _read(tmp_path)


def test_corpus_yaml_is_not_looked_for_above_the_repository_or_home(tmp_path, monkeypatch):
    from indexer.config import find_config

    (tmp_path / "corpus.yaml").write_text("agency: Ailleurs\n", encoding="utf-8")
    repo = tmp_path / "depot" / "stories"
    repo.mkdir(parents=True)
    (tmp_path / "depot" / ".git").mkdir()
    home = tmp_path / "moi" / "archives"
    home.mkdir(parents=True)
    monkeypatch.setenv("HOME", str(tmp_path / "moi"))
    assert find_config(repo) is None and find_config(home) is None
    (tmp_path / "depot" / "corpus.yaml").write_text("agency: AFP\n", encoding="utf-8")
    assert find_config(repo) == tmp_path / "depot" / "corpus.yaml"   # the repository's own counts
    assert find_config(tmp_path / "ailleurs") == tmp_path / "corpus.yaml"


# --------------------------------------------------- minor: one rule, one text

def test_zero_width_characters_inside_words_are_taken_out(tmp_path):
    from indexer.analysis import analyze

    (tmp_path / "a.txt").write_text("Le gouver\u200bnement\n\nPARIS (AFP) - Le pro\u00adjet du gouver\u2060nement "
                                    "a été adop\u200dté.\n", encoding="utf-8")
    [s], _ = _read(tmp_path)
    assert s.headline == "Le gouvernement" and s.body == "Le projet du gouvernement a été adopté."
    assert analyze("gouver\u200bnement pro\u00adjet") == analyze("gouvernement projet")


def test_a_headline_alone_is_a_story_in_every_format_and_nothing_is_not(tmp_path):
    (tmp_path / "a.jsonl").write_text(json.dumps({"id": "j", "headline": "Flash jsonl"}) + "\n"
                                      + json.dumps({"id": "vide", "text": ""}) + "\n", encoding="utf-8")
    (tmp_path / "b.json").write_text(json.dumps([{"id": "k", "headline": "Flash json"}]), encoding="utf-8")
    (tmp_path / "c.sgml").write_text('<DOC id="s"><HEADLINE>Flash sgml</HEADLINE></DOC>', encoding="utf-8")
    (tmp_path / "d.txt").write_text("---\nheadline: Flash texte\n---\n", encoding="utf-8")
    (tmp_path / "e.txt").write_text("Partager\nle\n", encoding="utf-8")   # debris only
    stories, problems = _read(tmp_path)
    assert sorted(s.headline for s in stories) == ["Flash json", "Flash jsonl", "Flash sgml", "Flash texte"]
    empty = sorted((Path(p.path).name, p.position) for p in problems if p.kind == "empty")
    assert empty == [("a.jsonl", 2), ("e.txt", None)]


# ------------------------------------------------------------ typed warnings

def test_warnings_are_typed_records_rendered_in_one_place(tmp_path):
    from indexer.formats import FileProblem
    from indexer.summary import ReadSummary

    line = {"id": "w", "date": "hier", "text": "PARIS (AFP) - Texte."}
    (tmp_path / "a.jsonl").write_text(json.dumps(line) + "\n{\n", encoding="utf-8")
    results = list(read_corpus([str(tmp_path)]))
    problems = [p for r in results for p in r.problems]
    path = str(tmp_path / "a.jsonl")
    assert problems == [
        FileProblem(path, "date: metadata date 'hier' is not a valid YYYY-MM-DD date, ignored", False, "date", 1),
        FileProblem(path, "not valid JSON (Expecting property name enclosed in double quotes, column 2), skipped",
                    False, "json", 2),
    ]
    assert problems[0].render() == f"warning: {path}: line 1: date: metadata date 'hier' is not a valid " \
                                   "YYYY-MM-DD date, ignored"
    summary = ReadSummary()
    for r in results:
        summary.add(r)
    assert (summary.files, summary.stories, dict(summary.warnings_by_kind)) == (1, 1, {"date": 1, "json": 1})


# ------------------------------------------------------- formats and streaming

def test_a_new_format_is_one_module_and_one_registration(tmp_path, monkeypatch):
    """What the feeds issue will do: a format recognised by its content."""
    from indexer.formats import Format, Piece, read_file, registry
    from indexer.formats.walk import CorpusFile
    from indexer.config import CorpusConfig

    def read_tsv(source):  # as an XML feed reader would: from a binary stream
        for n, line in enumerate(source.stream(), 1):
            headline, text = line.decode("utf-8").rstrip("\n").split("\t")
            yield Piece(text, {"headline": headline}, n)

    tsv = Format("tsv", read_tsv, sniff=lambda source: b"\t" in source.head_bytes.split(b"\n", 1)[0], unit="line")
    monkeypatch.setattr(registry, "FORMATS", (*registry.FORMATS, tsv))
    path = tmp_path / "export.dat"
    path.write_text("Titre un\tPARIS (AFP) - Un.\nTitre deux\tPARIS (AFP) - Deux.\n", encoding="utf-8")
    (tmp_path / "export.dat.gz").write_bytes(gzip.compress(path.read_bytes()))
    for p in (path, tmp_path / "export.dat.gz"):
        result = read_file(CorpusFile(str(p), p.name, CorpusConfig()))
        assert [(s.headline, s.places, s.source) for s in result.stories] == [
            ("Titre un", ("Paris",), f"{p}:1"), ("Titre deux", ("Paris",), f"{p}:2")]


def test_large_files_are_read_in_parts_that_equal_the_whole(tmp_path, monkeypatch):
    from indexer.config import CorpusConfig
    from indexer.formats import json_file, read_file, read_file_parts
    from indexer.formats.walk import CorpusFile

    records = [{"id": f"r{n}", "headline": f"Titre {n}", "text": f"PARIS (AFP) - Texte {n}, « é »."}
               for n in range(25)]
    sgml = "".join(f'<DOC id="AFP_FRE_20081105.{n:04d}"><HEADLINE>T{n}</HEADLINE><TEXT><P>Texte {n}.</P></TEXT></DOC>\n'
                   for n in range(25))
    files = {"a.jsonl": "\n".join(json.dumps(r) for r in records), "b.sgml": sgml,
             "c.json": json.dumps(records, indent=1)}
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        with gzip.open(tmp_path / (name + ".gz"), "wt", encoding="utf-8") as fh:
            fh.write(text)
    monkeypatch.setattr(json_file, "MAX_WHOLE_BYTES", 1000)  # c.json is then streamed item by item
    for name in [*files, *(n + ".gz" for n in files)]:
        cf = CorpusFile(str(tmp_path / name), name, CorpusConfig())
        parts = list(read_file_parts(cf, 10))
        assert [(len(p.stories), p.part, p.last) for p in parts] == [(10, 0, False), (10, 1, False), (5, 2, True)], name
        whole = read_file(cf)
        assert [s for p in parts for s in p.stories] == whole.stories and not whole.problems, name
        assert [s.headline for s in whole.stories][:2] == (["Titre 0", "Titre 1"] if "sgml" not in name
                                                          else ["T0", "T1"])


def test_a_large_sparse_file_is_skipped_from_its_head(tmp_path):
    from indexer.config import CorpusConfig
    from indexer.formats import read_file
    from indexer.formats.walk import CorpusFile

    big = tmp_path / "disque.txt"
    with open(big, "wb") as fh:
        fh.truncate(3 * 2**30)  # 3 GB of holes: nothing on disk, zeros when read
    text = tmp_path / "enorme.txt"
    text.write_bytes(b"Titre\n\n" + b"mot " * 5_000_000)
    results = [read_file(CorpusFile(str(p), p.name, CorpusConfig())) for p in (big, text)]
    assert [r.problems[0].reason for r in results] == [
        "binary file, not text",
        "a file of 20.0 MB is not a wire story (a story is at most 2 million characters), not read"]


def test_a_corpus_file_is_a_value():
    """A CorpusFile compares, hashes, pickles (to the reading processes) and
    refuses changes like the frozen record it is, whatever its paths."""
    import pickle

    from indexer.config import CorpusConfig
    from indexer.formats.walk import CorpusFile

    cfg = CorpusConfig()
    for path, rel in [("/c/afp/2015/a.txt", "afp/2015/a.txt"), ("a.txt", "a.txt"), ("/c/x.txt", "elsewhere.txt"),
                      ("c\\afp\\a.txt", "afp\\a.txt"), ("/" + "d" * 300 + "/a.txt", "a.txt")]:
        cf = CorpusFile(path, rel, cfg)
        assert (cf.path, cf.relpath, cf.config) == (path, rel, cfg)
        back = pickle.loads(pickle.dumps(cf))
        assert back == cf and hash(back) == hash(cf) and back.relpath == rel
        assert cf != CorpusFile(path, rel + "x", cfg)
        with pytest.raises(AttributeError):
            cf.path = "/elsewhere"
