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
    assert s.meta == {"url": "http://exemple.fr/a", "language": "fr"}


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
