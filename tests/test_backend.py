"""The Whoosh adapter: the pin checked once with one line, the fixes
installed where an index is opened or written (never on import), a
checksum record written with every segment by either writer."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from indexer import backend
from indexer.backend import patches, segments
from indexer.index.build import build_index
from indexer.index.schema import build_schema, story_document

ROOT = Path(__file__).resolve().parent.parent


def _python(code: str, **env) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                          cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT), **env))


def test_importing_patches_nothing_opening_an_index_does(tmp_path):
    build_index([ROOT / "corpus" / "ats"], tmp_path / "ix")
    proc = _python(f"""
        import search.cli, search.searcher, search.engine, indexer.index.build, indexer.index.merging
        from indexer.backend import patches
        assert not patches.installed(), "patched on import"
        from whoosh import writing
        assert writing.SegmentWriter.add_document is patches._ORIGINALS[(writing.SegmentWriter, "add_document")]
        from search.searcher import Searcher
        with Searcher({str(tmp_path / "ix")!r}) as s:
            s.story_count()
        assert patches.installed(), "opening an index installs the fixes"
        print("ok")
    """)
    assert proc.returncode == 0 and proc.stdout.strip() == "ok", proc.stderr


def test_uninstall_gives_whoosh_its_own_methods_back():
    from whoosh.codec import whoosh3

    backend.install()
    assert patches.installed() and whoosh3.W3PerDocReader._cached_reader is patches._cached_reader
    with patches.unpatched():
        assert not patches.installed()
        assert whoosh3.W3PerDocReader._cached_reader is not patches._cached_reader
    assert patches.installed()


def test_another_whoosh_installed_in_its_place_is_one_line(tmp_path):
    """whoosh3 installed over whoosh-reloaded (both write whoosh/): refused
    with what is installed and how to put the pin back, before any search."""
    site = tmp_path / "site"
    (site / "whoosh").mkdir(parents=True)
    (site / "whoosh" / "__init__.py").write_text(
        "__version__ = (3, 54, 0)\ndef versionstring(build=True, extra=True):\n    return '3.54.0'\n")
    dist = site / "whoosh3-3.54.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: whoosh3\nVersion: 3.54.0\n")
    (dist / "top_level.txt").write_text("whoosh\n")
    (dist / "RECORD").write_text("whoosh/__init__.py,,\n")
    proc = subprocess.run([sys.executable, "-m", "search.cli", "search", "syrie", "--index", str(tmp_path / "ix")],
                          capture_output=True, text=True, cwd=ROOT,
                          env=dict(os.environ, PYTHONPATH=os.pathsep.join([str(site), str(ROOT)])))
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert "whoosh3 3.54.0" in lines[0] and "whoosh-reloaded==2.7.5" in lines[0]


def test_the_pinned_whoosh_passes():
    from indexer.backend import pin

    pin._checked = False
    pin.check_whoosh()
    dists, version = pin.installed_whoosh()
    assert version == pin.VERSION and [n.lower() for n, _ in dists] == ["whoosh-reloaded"]


def _docs():
    from indexer.formats import bundled_corpus, read_corpus

    return [story_document(s, s.id, "f", "st") for r in read_corpus([bundled_corpus()]) for s in r.stories]


def test_every_segment_gets_a_record_from_either_writer(tmp_path):
    from indexer.index.pool import TermPool

    ix = backend.create_index_dir(tmp_path, build_schema())
    docs = _docs()
    writer = ix.writer(procs=2, batchsize=10, multisegment=True, poolclass=TermPool, compound=False)
    for doc in docs:
        writer.add_document(**doc)
    writer.commit()
    first = len(ix._segments())
    assert first >= 2  # one per sub-process: the two-process writer
    writer = ix.writer(poolclass=TermPool, compound=False)  # one process, a segment more
    for doc in docs[:5]:
        writer.add_document(**doc)
    writer.commit(merge=False)
    ids = [seg.segment_id() for seg in ix._segments()]
    ix.close()
    assert len(ids) == first + 1
    assert sorted(p.name for p in tmp_path.glob("*.sums")) == sorted(i + ".sums" for i in ids)
    report = segments.check_segments(tmp_path, full=True)
    assert report.segments == len(ids) and not report.damages and not report.unrecorded
    assert report.files == sum(len(segments.segment_files(tmp_path, i)) for i in ids)


def test_a_segment_merged_away_takes_its_record_with_it(tmp_path):
    ix = backend.create_index_dir(tmp_path, build_schema())
    for doc in _docs()[:6]:
        writer = ix.writer()
        writer.add_document(**doc)
        writer.commit(merge=False)
    assert len(list(tmp_path.glob("*.sums"))) == 6
    writer = ix.writer()
    writer.commit(optimize=True)
    ids = [seg.segment_id() for seg in ix._segments()]
    ix.close()
    assert len(ids) == 1 and [p.name for p in tmp_path.glob("*.sums")] == [ids[0] + ".sums"]
    assert not segments.check_segments(tmp_path).damages


def test_an_index_in_memory_gets_no_record_anywhere(tmp_path, monkeypatch):
    from whoosh.filedb.filestore import RamStorage

    monkeypatch.chdir(tmp_path)
    backend.install()
    ix = RamStorage().create_index(build_schema())
    writer = ix.writer()
    for doc in _docs()[:3]:
        writer.add_document(**doc)
    writer.commit()
    assert ix.doc_count() == 3 and list(tmp_path.iterdir()) == []


def _private_reads(folders, skip: str = "indexer/backend/") -> list[str]:
    """``module:line: expr`` for each read of a private attribute (``x._name``,
    not on self/cls) that no project module outside ``skip`` defines: a
    private of Whoosh's (or another library's) read around the adapter."""
    import ast

    trees = {}
    for folder in folders:
        for path in sorted((ROOT / folder).rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            if not rel.startswith(skip):
                trees[rel] = ast.parse(path.read_text(encoding="utf-8"))
    ours = {"_exit"}  # os._exit: the standard library's documented exit of a child
    for tree in trees.values():
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                ours.add(node.name)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                ours.add(node.attr)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                ours.add(node.id)
    found = []
    for rel, tree in trees.items():
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__")
                    and node.attr not in ours
                    and not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"))):
                found.append(f"{rel}:{node.lineno}: {ast.unparse(node)}")
    return found


def test_no_module_outside_the_adapter_reads_whoosh_privates():
    assert _private_reads(["search", "indexer", "bench"]) == []
    # The check sees them where they are allowed: the adapter's own reads.
    inside = _private_reads(["indexer/backend"], skip="-")
    assert any("._terms" in line for line in inside) and any("._tindex" in line for line in inside)
