"""Building, updating and opening an index; the bundled corpus's counts."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from whoosh.qparser import MultifieldParser

from indexer.index.build import build_index, open_index
from indexer.formats import bundled_corpus
from indexer.index.schema import SCHEMA_VERSION
from indexer.index.stats import index_stats, iter_stories
from indexer.index.store import (ForeignDirectoryError, IndexCorruptError, IndexLockedError, IndexMissingError,
                           IndexStore, IndexVersionError)
from storygen import write_corpus

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture()
def corpus(tmp_path):
    dest = tmp_path / "corpus"
    shutil.copytree(bundled_corpus(), dest, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return dest


def _ids(index_dir) -> set[str]:
    return {s.id for s in iter_stories(open_index(index_dir))}


def _search(index_dir, text: str) -> list[str]:
    ix = open_index(index_dir)
    with ix.searcher() as s:
        q = MultifieldParser(["headline", "body"], ix.schema).parse(text)
        return [hit["id"] for hit in s.search(q, limit=None)]


def test_bundled_corpus_counts(corpus, tmp_path):
    report = build_index([corpus], tmp_path / "ix")
    assert (report.added, report.updated, report.removed) == (102, 0, 0)
    assert report.clean
    stats = index_stats(open_index(tmp_path / "ix")).to_dict()
    assert stats["stories"] == 102 and stats["files"] == 72
    assert stats["agencies"] == {"AFP": 31, "Reuters": 27, "ATS": 8, "Xinhua": 8, "AP": 7, "Belga": 6, "DPA": 3}
    assert stats["date_range"] == ["2008-11-03", "2023-03-15"]
    assert stats["translators"]["Danielle Rouquié"] == 4
    assert stats["years"] == {"2008": 4, "2012": 9, "2013": 16, "2014": 31, "2015": 17, "2016": 21, "2023": 4}
    assert stats["groups"] == 90
    assert stats["missing"]["date"] == 0


def test_version_groups_on_the_bundled_corpus(corpus, tmp_path):
    build_index([corpus], tmp_path / "ix")
    ix = open_index(tmp_path / "ix")
    with ix.searcher() as s:
        group = {Path(d["file"]).relative_to(corpus).as_posix(): d["group"] for d in s.all_stored_fields()}

    def same(*files):
        return len({group[f] for f in files}) == 1

    assert same("reuters/2014/06/05/bce-taux-depot.txt", "reuters/2014/06/05/bce-taux-depot-actualise.txt",
                "reuters/2014/06/05/bce-taux-depot-refonte.txt")
    assert same("afp/2016/02/09/tempete-bretagne-urgent.txt", "afp/2016/02/09/tempete-bretagne-actualise.txt",
                "afp/2016/02/09/tempete-bretagne-refonte.txt")
    assert same("reuters/2016/02/09/tempete-bretagne.txt", "reuters/2016/02/09/tempete-bretagne-actualise.txt")
    assert same("ats/2015/01/15/bns-cours-plancher.txt", "ats/2015/01/15/bns-cours-plancher-actualise.txt")
    assert same("ap/2015/09/17/fed-taux.txt", "ap/2015/09/17/fed-taux-actualise.txt")
    # The same storm, the same day, but two agencies: two stories.
    assert not same("reuters/2016/02/09/tempete-bretagne.txt", "afp/2016/02/09/tempete-bretagne-urgent.txt")


def test_french_words_match_whatever_the_accents(corpus, tmp_path):
    build_index([corpus], tmp_path / "ix")
    seed = "782a30753b36d0c8"
    for query in ("dair az zour", "Daïr az Zour", "etat islamique", "frappe aerienne", "FRAPPES AÉRIENNES",
                  "importantes", "porte parole"):
        assert seed in _search(tmp_path / "ix", query), query


def test_unchanged_corpus_does_no_work_and_changes_are_per_file(corpus, tmp_path):
    ix = tmp_path / "ix"
    build_index([corpus], ix)
    gens = sorted(os.listdir(ix / "generations"))
    again = build_index([corpus], ix)
    assert (again.added, again.updated, again.removed, again.read.files, again.unchanged_files) == (0, 0, 0, 0, 72)
    assert sorted(os.listdir(ix / "generations")) == gens  # not even a new generation

    seed = corpus / "reuters" / "2015" / "11" / "20" / "000_b7a2240e7e7e77b8.txt"
    seed.write_text(seed.read_text(encoding="utf-8").replace("600 rebelles", "700 rebelles"), encoding="utf-8")
    (corpus / "ap" / "2015" / "09" / "17" / "fed-taux.txt").unlink()
    new = corpus / "reuters" / "2016" / "12" / "01" / "nouvelle.txt"
    new.parent.mkdir(parents=True)
    new.write_text("Une nouvelle dépêche\n\nPARIS, 1er décembre (Reuters) - Le texte jeudi.\n", encoding="utf-8")
    report = build_index([corpus], ix)
    assert (report.added, report.updated, report.removed, report.read.files) == (1, 1, 1, 2)
    assert len(_ids(ix)) == 102
    assert "782a30753b36d0c8" in _search(ix, "700 rebelles")
    assert "782a30753b36d0c8" not in _search(ix, "600 rebelles")
    # The update joined what is left of the Fed group alone.
    stats = index_stats(open_index(ix))
    assert stats.groups == 91


def test_indexing_part_of_a_corpus_does_not_remove_the_rest(corpus, tmp_path):
    ix = tmp_path / "ix"
    build_index([corpus / "afp"], ix)
    build_index([corpus / "ats"], ix)
    ids = _ids(ix)
    assert len(ids) == 10 + 6  # the afp/ and ats/ folders
    report = build_index([corpus / "afp"], ix)
    assert report.removed == 0 and report.unchanged_files == 10


def test_rebuild_and_duplicate_ids(corpus, tmp_path):
    ix = tmp_path / "ix"
    build_index([corpus], ix)
    dup = corpus / "divers" / "copie.txt"
    dup.write_text((corpus / "divers" / "ue-climat-2030.txt").read_text(encoding="utf-8"), encoding="utf-8")
    report = build_index([corpus], ix, rebuild=True)
    assert report.added == 102 and not report.clean
    [problem] = report.duplicates
    assert "duplicate id" in problem.reason and problem.path.endswith(("copie.txt", "ue-climat-2030.txt"))
    assert len(_ids(ix)) == 102


def test_index_errors_are_clear(tmp_path, corpus):
    with pytest.raises(IndexMissingError, match="run `depeche index` first"):
        open_index(tmp_path / "none")
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("x")
    with pytest.raises(ForeignDirectoryError, match="not a Dépêche index"):
        build_index([corpus], foreign)
    with pytest.raises(ForeignDirectoryError):
        open_index(foreign)
    ix = tmp_path / "ix"
    build_index([corpus / "ats"], ix)
    marker = json.loads((ix / "depeche-index.json").read_text())
    marker["schema_version"] = SCHEMA_VERSION + 1
    (ix / "depeche-index.json").write_text(json.dumps(marker))
    with pytest.raises(IndexVersionError, match=r"run `depeche index --rebuild`"):
        open_index(ix)
    with pytest.raises(IndexVersionError):
        build_index([corpus / "ats"], ix)
    build_index([corpus / "ats"], ix, rebuild=True)
    assert len(_ids(ix)) == 6
    (ix / "CURRENT").write_text("999999\n")
    with pytest.raises(IndexCorruptError, match="--rebuild"):
        open_index(ix)
    build_index([corpus / "ats"], ix, rebuild=True)
    gen = IndexStore(ix).current_generation()
    for f in gen.glob("*.toc"):
        f.write_bytes(b"garbage")
    with pytest.raises(IndexCorruptError, match="--rebuild"):
        open_index(ix)


def test_a_second_writer_is_told_who_holds_the_index(tmp_path, corpus):
    ix = tmp_path / "ix"
    build_index([corpus / "ats"], ix)
    holder = subprocess.Popen(
        [sys.executable, "-c", (
            "import sys, time; sys.path.insert(0, sys.argv[1]);"
            "from indexer.index.store import IndexStore;"
            "lock = IndexStore(sys.argv[2]).lock('depeche index /archive');"
            "lock.__enter__(); print('locked', flush=True); time.sleep(30)"
        ), str(ROOT), str(ix)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(IndexLockedError, match=rf"`depeche index /archive` \(pid {holder.pid} on "):
            build_index([corpus / "ats"], ix)
        assert len(_ids(ix)) == 6  # searches still work
    finally:
        holder.kill()
        holder.wait()
    # The kernel dropped the lock with its holder, even killed.
    assert build_index([corpus / "ats"], ix).unchanged_files == 6


def test_bad_files_cost_no_good_story(tmp_path):
    root = tmp_path / "bad"
    write_corpus(root, 5)
    (root / "binary.txt").write_bytes(bytes(range(256)) * 20)
    (root / "empty.txt").write_bytes(b"")
    (root / "latin1.txt").write_bytes("Défense\n\nPARIS, 3 mai (AFP) - Texte.".encode("latin-1"))
    (root / "broken.txt.gz").write_bytes(b"\x1f\x8b\x08\x00garbage")
    (root / "lines.jsonl").write_text('{"text": "Titre\\n\\nCorps."}\n{broken\n', encoding="utf-8")
    seen = []
    report = build_index([root], tmp_path / "ix", on_result=seen.append)
    assert report.added == 5 + 1 + 1
    assert len(report.read.skipped) == 3
    assert report.read.warnings_by_kind == {"encoding": 1, "json": 1}
    assert not report.clean
    assert len(_ids(tmp_path / "ix")) == 7


def test_whoosh_fix_remembers_missing_length_columns(tmp_path, corpus):
    from whoosh.codec import whoosh3

    import indexer.backend.patches as fixes

    build_index([corpus / "ats"], tmp_path / "ix")   # opening or writing an index installs the fixes
    assert whoosh3.W3PerDocReader._cached_reader is fixes._cached_reader
    ix = open_index(tmp_path / "ix")
    with ix.reader() as reader:
        seg = reader.per_document_reader() if hasattr(reader, "per_document_reader") else reader._perdoc
        calls = []
        original = seg.has_column
        seg.has_column = lambda name: calls.append(name) or original(name)
        for _ in range(3):
            seg.doc_field_length(0, "version")   # an ID field: no length column
        assert len(calls) == 1


def test_empty_corpus_and_a_first_run_stopped_before_its_first_commit(tmp_path, corpus):
    empty = tmp_path / "empty"
    empty.mkdir()
    build_index([empty], tmp_path / "ix")
    assert _ids(tmp_path / "ix") == set()
    # A first run killed after writing its marker but before publishing.
    ix = tmp_path / "ix2"
    ix.mkdir()
    IndexStore(ix).write_marker(SCHEMA_VERSION)
    with pytest.raises(IndexMissingError):
        open_index(ix)
    assert build_index([corpus / "ats"], ix).added == 6


def test_an_interruption_while_publishing_never_discards_the_published_generation(tmp_path, corpus, monkeypatch):
    from indexer.index.store import write_atomic

    ix = tmp_path / "ix"
    build_index([corpus / "ats"], ix)

    def publish_then_interrupt(self, gen, verify=None):
        write_atomic(self.path / "CURRENT", gen.name + "\n")
        raise KeyboardInterrupt  # Ctrl-C right after the rename

    monkeypatch.setattr(IndexStore, "publish", publish_then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        build_index([corpus / "afp"], ix)
    assert len(_ids(ix)) == 6 + 10  # the new generation is the index, whole


def test_a_run_holds_little_for_each_corpus_file(tmp_path):
    """A run keeps every corpus file's path, stamp and size for its whole
    length (a million files at 1M stories): a few hundred bytes a file, and
    the stamps the index records."""
    import tracemalloc

    from indexer.formats.walk import iter_corpus_files
    from indexer.index import build
    from indexer.index.schema import file_stamp

    root = tmp_path / "c" / "afp" / "2015" / "11"
    root.mkdir(parents=True)
    for i in range(3000):
        (root / f"depeche-numero-{i:05d}-du-vingt-novembre.txt").write_text("Titre\n\nTexte.\n", encoding="utf-8")
    list(iter_corpus_files([str(tmp_path / "c")]))  # what a first walk caches
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        files = list(iter_corpus_files([str(tmp_path / "c")]))
        walked = tracemalloc.get_traced_memory()[0]
        stamps = build._Stamps()
        for cf in files:
            stamps.stat(cf)
        stamped = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        to_read = build._files_to_read(files, stamps, {}, [])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(files) == len(to_read) == 3000
    assert (walked - before) / 3000 < 300    # the file: its path, its path in the corpus
    assert (stamped - walked) / 3000 < 120   # its stamp and size (71 bytes; 277 as strings and a dict)
    assert peak - stamped < 100_000          # a new index: no set of every path on the way
    st = os.stat(files[7].path)
    assert stamps[files[7].path] == file_stamp(files[7].path, st.st_size, st.st_mtime_ns)
    assert stamps.size(files[7]) == st.st_size


@pytest.mark.parametrize("mtime_ns", [-86_400 * 10**9 * 365 * 10, 0])  # 1960 (ext4 keeps it), the epoch
def test_a_changed_file_is_read_again_whatever_its_mtime(tmp_path, mtime_ns):
    """A file whose size changed is read again even when its mtime stays the
    same, before 1970 too (an mtime that does not fit beside its size in one
    number made every such file's stamp the same: size -1)."""
    from indexer.index.schema import file_stamp

    story = tmp_path / "c" / "reuters" / "depeche.txt"
    story.parent.mkdir(parents=True)
    story.write_text("Une nouvelle dépêche\n\nPARIS, 1er décembre (Reuters) - Le texte jeudi.\n", encoding="utf-8")
    os.utime(story, ns=(mtime_ns, mtime_ns))
    if os.stat(story).st_mtime_ns != mtime_ns:
        pytest.skip("this file system does not keep that mtime")
    ix = tmp_path / "ix"
    build_index([tmp_path / "c"], ix)
    with open_index(ix).searcher() as s:
        [stored] = list(s.all_stored_fields())
    assert stored["filestamp"] == file_stamp(str(story), story.stat().st_size, mtime_ns)
    story.write_text("Une nouvelle dépêche\n\nPARIS, 1er décembre (Reuters) - Le texte plus long, jeudi.\n",
                     encoding="utf-8")
    os.utime(story, ns=(mtime_ns, mtime_ns))
    report = build_index([tmp_path / "c"], ix)
    assert (report.read.files, report.updated) == (1, 1)
    assert _search(ix, "long")
