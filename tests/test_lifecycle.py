"""A long-lived Searcher and the TUI while real `depeche index` runs publish
new generations and collect old ones, and while the index is damaged."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest
from whoosh import index as whoosh_index

from indexer.index import store
from search.results import SearchRequest
from search.searcher import Searcher
from search.tui import make_app
from storygen import write_corpus
from test_tui import drive, search, settle

ROOT = Path(__file__).resolve().parents[1]
#: Words of the stories added between runs (none of them is in storygen's corpus).
NEW_WORDS = ("Kamtchatka", "Tombouctou", "Vladivostok", "Ouagadougou")

def run_index(corpus: Path, ix: Path, *options: str) -> None:
    """A real `depeche index` run, in its own process."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "search.cli", "index", str(corpus), "--index", str(ix),
         "--workers", "1", "--quiet", *options],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr


def add_story(corpus: Path, n: int) -> str:
    """A new story about ``NEW_WORDS[n]``; returns its headline."""
    word = NEW_WORDS[n]
    day = 10 + n                             # a day each: never versions of one story
    path = corpus / "2016" / "05" / str(day) / f"new-{n}.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"Nouvelles de {word}\n\nPARIS, {day} mai (Reuters) - Un reportage sur {word} "
                    "et ses habitants.\n", encoding="utf-8")
    return f"Nouvelles de {word}"


def generations(ix: Path) -> list[str]:
    return sorted(p.name for p in (ix / "generations").iterdir())


@pytest.fixture
def index(tmp_path):
    corpus, ix = tmp_path / "corpus", tmp_path / "ix"
    write_corpus(corpus, 12)
    run_index(corpus, ix)
    return corpus, ix


@pytest.mark.slow  # real index runs
def test_a_searcher_open_across_index_runs_moves_on_to_each_new_generation(index):
    corpus, ix = index
    with Searcher(ix) as s:
        total = s.search(SearchRequest("", all_versions=True)).total
        first = s.search(SearchRequest("", limit=1)).hits[0].story.id
        for n in range(len(NEW_WORDS)):
            headline = add_story(corpus, n)
            run_index(corpus, ix)
            page = s.search(SearchRequest(NEW_WORDS[n].lower()))
            assert [h.story.headline for h in page.hits] == [headline]
            assert s.search(SearchRequest("", all_versions=True)).total == total + n + 1
            assert s.get(first).id == first
            assert s.versions(first)[0].id == first
            assert s.highlight(page.hits[0].story, NEW_WORDS[n]) != []
            assert first not in [h.story.id for h in s.similar(first, 3)]


@pytest.mark.slow  # real index runs
def test_a_searcher_keeps_the_generation_it_reads_until_it_moves_on(index):
    corpus, ix = index
    with Searcher(ix) as s:
        before = s.search(SearchRequest("gouvernement"))
        opened = generations(ix)[-1]
        for n in range(3):                   # more runs than the old generations kept
            add_story(corpus, n)
            run_index(corpus, ix)
        # Kept, and whole: Whoosh opens it and finds the stories it held.
        assert opened in generations(ix)
        assert whoosh_index.open_dir(str(ix / "generations" / opened)).doc_count() == 12
        assert s.story_count() == 12 + 3     # this call moved on
        assert s.search(SearchRequest("gouvernement")).total == before.total
        add_story(corpus, 3)
        run_index(corpus, ix)
        # Released when it moved on, so the next run collected it; the
        # readers' files are not linked into new generations (each
        # generation has its own, or every old one would look held).
        assert opened not in generations(ix)
        assert len(generations(ix)) == 3
        assert s.story_count() == 12 + 4
        held = [ix / "generations" / g / store.READERS for g in generations(ix)]
        held = [p for p in held if p.exists()]
        assert store.IndexStore(ix).current_generation() / store.READERS in held
        assert len({os.stat(p).st_ino for p in held}) == len(held)


@pytest.mark.slow  # real index runs
def test_a_hold_is_refused_on_a_collected_generation_and_dropped_on_release(index):
    corpus, ix = index
    first = store.IndexStore(ix).current_generation()
    hold = store.hold_generation(first)
    assert hold is not None
    for n in range(3):
        add_story(corpus, n)
        run_index(corpus, ix)
    assert first.is_dir()                    # held: kept past the old generations kept
    hold.release()
    hold.release()                           # twice is harmless
    add_story(corpus, 3)
    run_index(corpus, ix)
    assert not first.exists()
    assert store.hold_generation(first) is None
    assert not any(name.startswith(".") for name in generations(ix))   # no leftovers


@pytest.mark.slow  # real index runs
def test_a_reader_killed_by_a_signal_holds_nothing(index):
    """The hold is a flock: the kernel drops it with the process."""
    import signal

    corpus, ix = index
    reader = subprocess.Popen(
        [sys.executable, "-c", "import sys, time\n"
         "from search.searcher import Searcher\n"
         "from search.results import SearchRequest\n"
         "s = Searcher(sys.argv[1]); s.search(SearchRequest('gouvernement'))\n"
         "print('ready', flush=True); time.sleep(600)\n", str(ix)],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=subprocess.PIPE, text=True)
    try:
        assert reader.stdout.readline().strip() == "ready"
        opened = generations(ix)[-1]
        for n in range(3):
            add_story(corpus, n)
            run_index(corpus, ix)
        assert opened in generations(ix)     # held by the other process
    finally:
        reader.send_signal(signal.SIGKILL)
        reader.wait()
        reader.stdout.close()
    add_story(corpus, 3)
    run_index(corpus, ix)
    assert opened not in generations(ix) and len(generations(ix)) == 3


# ------------------------------------------------------------------ the TUI

@pytest.fixture
def tui_env(tmp_path, monkeypatch):
    monkeypatch.setenv("DEPECHE_HISTORY", str(tmp_path / "history.json"))
    monkeypatch.delenv("NO_COLOR", raising=False)


@pytest.mark.slow  # real index runs
def test_the_tui_follows_index_runs_and_r_reloads(index, tui_env):
    corpus, ix = index
    app = make_app(ix, debounce=0.05, deterministic=True)

    async def scenario(pilot):
        for n in range(3):
            headline = add_story(corpus, n)
            await asyncio.to_thread(run_index, corpus, ix)
            await search(pilot, NEW_WORDS[n])
            assert [h.story.headline for h in app.results.hits] == [headline]
            assert app.status.kind == "ok", app.status.message
        await search(pilot, "")
        total = app.page.total
        add_story(corpus, 3)
        await asyncio.to_thread(run_index, corpus, ix)
        await pilot.press("r")
        await settle(pilot, 0.1)
        assert app.page.total == total + 1
        assert app.status.kind == "ok", app.status.message
        assert app.is_running

    drive(app, scenario)


@pytest.mark.slow  # real index runs
def test_the_tui_reports_index_damage_in_its_status_line_and_r_recovers(index, tui_env):
    corpus, ix = index
    app = make_app(ix, debounce=0.05, deterministic=True)
    gen = store.IndexStore(ix).current_generation()
    terms = sorted(gen.glob("*.trm"))
    saved = {p: p.read_bytes() for p in terms}

    async def scenario(pilot):
        await search(pilot, "gouvernement")
        found = app.page.total
        assert found > 0 and app.status.kind == "ok"
        for p in terms:                      # truncated while the TUI is open
            os.truncate(p, len(saved[p]) // 2)
        await search(pilot, "tempête")
        assert app.is_running
        assert app.status.kind == "error"
        assert "damaged" in app.status.message and "--rebuild" in app.status.message
        assert ".trm: " in app.status.message           # the file it could not read
        assert "\n" not in app.status.message
        for p in terms:                      # whole again
            p.write_bytes(saved[p])
        await pilot.press("r")
        await settle(pilot, 0.1)
        assert app.status.kind == "ok", app.status.message
        await search(pilot, "gouvernement")
        assert app.page.total == found

        current = (ix / "CURRENT").read_bytes()
        (ix / "CURRENT").write_bytes(b"\xff\xfe\n")   # not even text
        await search(pilot, "tempête")
        assert app.is_running and app.status.kind == "error"
        assert "damaged" in app.status.message
        (ix / "CURRENT").write_bytes(current)
        await pilot.press("r")
        await settle(pilot, 0.1)
        assert app.status.kind == "ok", app.status.message

    drive(app, scenario)


@pytest.mark.slow  # real index runs
def test_the_tui_opened_on_a_damaged_index_says_so(index, tui_env):
    from search.tui.index_screen import IndexScreen

    corpus, ix = index
    for p in store.IndexStore(ix).current_generation().glob("*.trm"):
        os.truncate(p, 10)
    app = make_app(ix, debounce=0.05, deterministic=True)

    async def scenario(pilot):
        assert isinstance(app.screen, IndexScreen) and app.searcher is None
        assert "damaged" in app.screen.problem and "--rebuild" in app.screen.problem
        await pilot.press("q")
        await pilot.pause()
        return app.is_running

    assert drive(app, scenario) is False


# ------------------------------------------------------------ the hold itself

def test_a_generation_being_collected_cannot_be_held(tmp_path):
    import fcntl

    gen = tmp_path / "generations" / "000003"
    gen.mkdir(parents=True)
    fd = os.open(gen / store.READERS, os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX)           # what collect_garbage takes first
    try:
        assert store.hold_generation(gen) is None
    finally:
        os.close(fd)
    hold = store.hold_generation(gen)
    assert hold is not None
    other = os.open(gen / store.READERS, os.O_RDWR)
    with pytest.raises(BlockingIOError):     # so collect_garbage passes it by
        fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
    hold.release()
    fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
    os.close(other)
    assert store.hold_generation(tmp_path / "generations" / "000009") is None   # no such generation


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes anywhere")
def test_an_index_the_reader_cannot_write_is_read_without_a_hold(tmp_path):
    gen = tmp_path / "generations" / "000001"
    gen.mkdir(parents=True)
    gen.chmod(0o555)
    try:
        hold = store.hold_generation(gen)
        assert hold is not None and hold.fd is None
    finally:
        gen.chmod(0o755)
