"""The terminal UI, driven headless with ``App.run_test()`` and ``pilot.press``.

Each test is a sync function running one asyncio loop. The index is the
bundled corpus, built once for the module. SVG snapshots of key screens are
compared with ``tests/snapshots/*.svg`` (skipped, saying so, under another
Textual version than the one they were made with); after a deliberate change
of the screens, or for another Textual, regenerate them and read the diff::

    DEPECHE_UPDATE_SNAPSHOTS=1 python -m pytest -q tests/test_tui.py
"""

from __future__ import annotations

import asyncio
import csv
import json
import os
from pathlib import Path

import pytest
from textual.worker import WorkerCancelled

from indexer.index.build import build_index
from indexer.formats import bundled_corpus
from search import render
from search.cli import main
from search.tui import make_app
from search.tui.commands import COMMANDS
from search.tui.export_screen import ExportScreen
from search.tui.help_screen import HelpScreen
from search.tui.history_screen import HistoryScreen
from search.tui.index_screen import IndexScreen
from search.tui.state import PAGE_SIZE
from search.tui.versions_screen import VersionsScreen

SNAPSHOTS = Path(__file__).parent / "snapshots"
#: The Textual version the snapshots were made with (its rendering changes between versions).
TEXTUAL_VERSION = SNAPSHOTS / "textual-version.txt"
SEED = "782a30753b36d0c8"          # La Russie dit avoir tué 600 rebelles... (Reuters, 2015-11-20)
TEMPETE = "66ccddedd7311a7c"       # the refonte of the AFP storm story, 3 versions


@pytest.fixture(scope="module")
def ix(tmp_path_factory):
    path = tmp_path_factory.mktemp("tui") / "ix"
    build_index([bundled_corpus()], path, workers=1)
    return path


@pytest.fixture(autouse=True)
def history_file(tmp_path, monkeypatch):
    """Never the user's history; no colour switches from the environment."""
    path = tmp_path / "history.json"
    monkeypatch.setenv("DEPECHE_HISTORY", str(path))
    monkeypatch.delenv("NO_COLOR", raising=False)
    return path


def drive(app, scenario, size=(100, 30)):
    """Run ``scenario(pilot)`` on the app, headless; returns its result."""
    async def run():
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            return await scenario(pilot)
    return asyncio.run(run())


async def settle(pilot, wait: float = 0.0):
    """Wait out the debounce, the workers and the messages they post.

    A worker cancelled by a newer one of its exclusive group (a preview
    replaced while typing) is done, not an error: its waiter's
    WorkerCancelled is not the test's business.
    """
    await pilot.pause(wait)
    for _ in range(3):
        for _ in range(100):
            running = [w for w in pilot.app.workers if not w.is_finished]
            if not running:
                break
            outcomes = await asyncio.gather(*(w.wait() for w in running), return_exceptions=True)
            for outcome in outcomes:
                if isinstance(outcome, BaseException) and not isinstance(outcome, WorkerCancelled):
                    raise outcome           # a worker that failed fails the test
        await pilot.pause()


async def search(pilot, text: str):
    """Focus the query bar, put a query in it, press enter (results get the focus).

    Typing key by key is tested once (test_typing_searches_once_after_a_pause);
    here the text is set at once, which posts the same Input.Changed.
    """
    await pilot.press("slash")
    pilot.app.query_bar.value = text
    await pilot.press("enter")
    await settle(pilot, 0.1)


def app_for(ix, **kwargs):
    kwargs.setdefault("debounce", 0.05)
    kwargs.setdefault("deterministic", True)
    return make_app(ix, **kwargs)


def headlines(app):
    return [h.story.headline for h in app.results.hits]


# ------------------------------------------------------------------ typing

def test_typing_searches_once_after_a_pause(ix):
    app = make_app(ix, debounce=0.6)

    async def scenario(pilot):
        first = app._seq
        assert app.page.total == 90 and app.page.sort == "-date"
        await pilot.press(*"tempete")
        assert app._seq == first                 # still typing: no search yet
        await settle(pilot, 0.8)
        assert app._seq == first + 1             # one search for the whole word
        assert app.query_bar.value == "tempete" and app.state.query == "tempete"
        assert app.page.total == 5 and len(app.results.hits) == 5
        assert app.status.kind == "ok"
        assert app.status.message.startswith("5 story groups · sorted by relevance · ")
        assert app.status.message.endswith(" ms")   # the search time, when not deterministic
        assert app.focused is app.query_bar       # typing never left the query bar

    drive(app, scenario)


def test_accents_and_query_language_as_on_the_command_line(ix):
    app = app_for(ix)

    async def scenario(pilot):
        await search(pilot, "frappes aériennes")
        assert [h.story.id for h in app.results.hits] == [SEED]
        await search(pilot, "agence:reuters date:2015")
        assert app.page.total > 0 and all(h.story.agency == "Reuters" for h in app.results.hits)
        assert all(h.story.date.startswith("2015") for h in app.results.hits)

    drive(app, scenario)


def test_malformed_query_shows_its_message_and_keeps_the_results(ix):
    app = app_for(ix)

    async def scenario(pilot):
        await search(pilot, "tempete")
        shown = headlines(app)
        await pilot.press("slash", "space", "left_parenthesis")
        await settle(pilot, 0.1)
        assert app.query_bar.value == "tempete ("
        assert app.status.kind == "error"
        assert "bad query at character 9: a ( is never closed" in app.status.message
        assert "5 story groups" in app.status.message       # what is still shown
        assert headlines(app) == shown and app.state.query.strip() == "tempete"
        await pilot.press("backspace", "backspace")
        await settle(pilot, 0.1)
        assert app.status.kind == "ok" and headlines(app) == shown

    drive(app, scenario)


# ----------------------------------------------------------------- reading

def test_moving_through_results_and_reading_a_story(ix):
    app = app_for(ix)

    async def scenario(pilot):
        await search(pilot, "frappes aériennes")
        view = app.story_view
        assert view.story.id == SEED and app.focused is app.results
        text = view.text.plain
        for line in ("agency      Reuters", "places      Moscou", "date        2015-11-20 (from path)",
                     "authors     Vladimir Soldatkine, Dmitri Antonov, John Davison",
                     "translators Danielle Rouquié", "version     actualisé: ", "LES PROCHAINES PHASES"):
            assert line in text
        # The matched words, marked in the original accented text.
        assert {w.lower() for w in view.marked_words} >= {"frappes", "aériennes"}
        assert all(view.story.body[s:e].lower() in ("frappes", "aériennes", "frappe", "aérienne")
                   for s, e in view.marks)

        await search(pilot, "tempête")
        assert app.story_view.story.id == TEMPETE
        assert "Tempête" in view.marked_words and "tempête" in view.marked_words
        await pilot.press("down")
        await settle(pilot)
        assert app.results.cursor_row == 1 and view.story.id == app.results.hits[1].story.id
        await pilot.press("k", "enter")                       # enter reads full screen
        await settle(pilot)
        assert app.screen.maximized is view and view.story.id == TEMPETE
        await pilot.press("right_square_bracket")             # next story, still full screen
        await settle(pilot)
        assert app.screen.maximized is view and view.story.id == app.results.hits[1].story.id
        await pilot.press("escape")
        assert app.screen.maximized is None and app.focused is app.results
        await pilot.press("f")
        assert app.screen.maximized is view and app.focused is view
        await pilot.press("space", "enter")                    # a page down, then back
        assert app.screen.maximized is None and app.focused is app.results

    drive(app, scenario)


def test_more_results_load_at_the_end_of_the_list(ix):
    app = app_for(ix)

    async def scenario(pilot):
        await pilot.press("escape")                          # to the results
        assert app.page.total == 90 and len(app.results.hits) == PAGE_SIZE
        assert "90 story groups · 50 shown" in app.status.message
        await pilot.press("end")
        await settle(pilot)
        assert len(app.results.hits) == 90
        assert len({h.story.id for h in app.results.hits}) == 90
        assert "shown" not in app.status.message

    drive(app, scenario)


# ------------------------------------------------------------------ facets

async def choose(pilot, facet: str, value: str):
    """Walk the sidebar with the arrow keys to a value (from the nearer end) and press enter."""
    sidebar = pilot.app.facets
    target = f"{facet}\t{value}"
    index = sidebar.get_option_index(target)
    from_end = index > sidebar.option_count // 2
    await pilot.press("end" if from_end else "home")
    for _ in range(sidebar.option_count):
        if sidebar.highlighted_option is not None and sidebar.highlighted_option.id == target:
            break
        await pilot.press("up" if from_end else "down")
    assert sidebar.highlighted_option.id == target
    await pilot.press("enter")
    await settle(pilot)


def test_facets_filter_and_clear(ix):
    app = app_for(ix)

    async def scenario(pilot):
        sidebar = app.facets
        assert not sidebar.display
        assert app.page.facets == {}                            # not counted while hidden
        await pilot.press("escape", "t")
        await settle(pilot)
        assert sidebar.display and app.focused is sidebar
        ids = sidebar.option_ids
        first = {name: app.page.facets[name][0].value for name in ("authors", "places")}
        assert {"agency\tReuters", "translators\tDanielle Rouquié", f"authors\t{first['authors']}",
                f"places\t{first['places']}", "date\t2015"} <= set(ids)
        await choose(pilot, "agency", "Reuters")
        assert app.state.filters == (("agency", "Reuters"),)
        assert app.page.total < 90 and {h.story.agency for h in app.results.hits} == {"Reuters"}
        assert app.query_one("#filters").labels == ["agency: Reuters"]
        assert sidebar.option_ids[0] == "clear"
        await choose(pilot, "agency", "Reuters")               # again: removed
        assert app.state.filters == () and app.page.total == 90
        assert not app.query_one("#filters").display

        await choose(pilot, "date", "2015")                     # a year, then its months
        assert app.state.date == "2015" and all(h.story.date.startswith("2015") for h in app.results.hits)
        assert "date\t2015-11" in sidebar.option_ids and "date\t2014" not in sidebar.option_ids
        await choose(pilot, "date", "2015-11")
        assert app.state.date == "2015-11"
        await choose(pilot, "translators", "Danielle Rouquié")
        assert app.query_one("#filters").labels == ["translator: Danielle Rouquié", "date: 2015-11"]
        assert [h.story.id for h in app.results.hits] == [SEED]
        await pilot.press("x")                                  # clear them all at once
        await settle(pilot)
        assert not app.state.has_filters and app.page.total == 90
        await pilot.press("t")
        assert not sidebar.display and app.focused is app.results

    drive(app, scenario)


# -------------------------------------------------------------------- sort

def test_sort_cycles_relevance_newest_oldest(ix):
    app = app_for(ix)

    async def scenario(pilot):
        await search(pilot, "tempête")
        assert app.page.sort == "relevance"
        await pilot.press("s")
        await settle(pilot)
        dates = [h.story.date for h in app.results.hits]
        assert app.page.sort == "-date" and dates == sorted(dates, reverse=True)
        assert "sorted by newest first" in app.status.message
        await pilot.press("s")
        await settle(pilot)
        dates = [h.story.date for h in app.results.hits]
        assert app.page.sort == "date" and dates == sorted(dates)
        assert "sorted by oldest first" in app.status.message
        await pilot.press("s")
        await settle(pilot)
        assert app.page.sort == "relevance"

    drive(app, scenario)


# ---------------------------------------------------------------- versions

def test_versions_of_the_story(ix):
    app = app_for(ix)

    async def scenario(pilot):
        await search(pilot, "tempête")
        await pilot.press("v")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, VersionsScreen)
        assert [s.version for s in screen.stories] == ["urgent", "actualisé", "refonte"]
        assert screen.stories[-1].id == TEMPETE
        await pilot.press("up", "up", "enter")                 # read the urgent
        await settle(pilot)
        assert not isinstance(app.screen, VersionsScreen)
        assert app.story_view.story.version == "urgent"
        assert "[3 versions: v]" in app.story_view.text.plain
        assert "tempête" in [w.lower() for w in app.story_view.marked_words]
        await pilot.press("v")
        await settle(pilot)
        await pilot.press("escape")
        assert not isinstance(app.screen, VersionsScreen)

    drive(app, scenario)


# ------------------------------------------------------------------ export

def test_export_every_page_to_jsonl_and_csv(ix, tmp_path):
    app = app_for(ix)
    jsonl, table = tmp_path / "all.jsonl", tmp_path / "tempete.csv"

    async def scenario(pilot):
        assert len(app.results.hits) == PAGE_SIZE              # one page shown of 90
        await pilot.press("escape", "e")
        assert isinstance(app.screen, ExportScreen)
        app.screen.query_one("Input").value = str(jsonl)
        await pilot.press("enter")
        await settle(pilot)
        assert app.status.message == f"exported 90 stories to {jsonl}"
        await search(pilot, "tempête")
        await pilot.press("e")
        app.screen.query_one("Input").value = str(table)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("e", "escape")                        # escape cancels
        await settle(pilot)
        assert not isinstance(app.screen, ExportScreen)

    drive(app, scenario)
    rows = [json.loads(line) for line in jsonl.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 90 and len({r["id"] for r in rows}) == 90
    assert {"headline", "translators", "versions", "snippet"} <= set(rows[0])
    with open(table, encoding="utf-8", newline="") as f:
        records = list(csv.DictReader(f))
    assert list(records[0]) == render.HIT_COLUMNS and len(records) == 5
    assert records[0]["id"] == TEMPETE and records[0]["versions"] == "3"


def test_export_to_an_unwritable_place_says_so(ix, tmp_path):
    app = app_for(ix)

    async def scenario(pilot):
        await pilot.press("escape", "e")
        app.screen.query_one("Input").value = str(tmp_path / "no" / "such" / "dir.jsonl")
        await pilot.press("enter")
        await settle(pilot)
        assert app.status.kind == "error" and "cannot write" in app.status.message

    drive(app, scenario)


# ----------------------------------------------------------------- history

def test_history_is_kept_across_sessions(ix, history_file):
    async def first(pilot):
        await search(pilot, "tempete")
        await search(pilot, "syrie")
        await search(pilot, "syrie (")                         # malformed: not kept

    drive(app_for(ix), first)
    assert json.loads(history_file.read_text(encoding="utf-8")) == ["tempete", "syrie"]

    app = app_for(ix)

    async def second(pilot):
        bar = app.query_bar
        assert app.focused is bar
        await pilot.press("u", "up")
        assert bar.value == "syrie"
        await pilot.press("up")
        assert bar.value == "tempete"
        await pilot.press("up")
        assert bar.value == "tempete"                          # the oldest
        await pilot.press("down", "down")
        assert bar.value == "u"                                # back to the draft
        await pilot.press("escape", "h")
        assert isinstance(app.screen, HistoryScreen)
        assert app.screen.entries == ["syrie", "tempete"]       # newest first
        await pilot.press("down", "enter")
        await settle(pilot, 0.1)
        assert bar.value == "tempete" and app.state.query == "tempete" and app.page.total == 5

    drive(app, second)


# -------------------------------------------------------- help and palette

def test_help_lists_every_key(ix):
    app = app_for(ix)

    async def scenario(pilot):
        await pilot.press("escape", "question_mark")
        assert isinstance(app.screen, HelpScreen)
        listed = " ".join(k for k, _ in app.screen.keys).lower()
        for binding in [*app.BINDINGS, *app.results.BINDINGS, *app.query_bar.BINDINGS]:
            for key in binding.key.split(","):
                display = app.get_key_display(binding.__class__(key, binding.action)).lower()
                assert display in listed.split() or key.lower() in listed.split(), key
        assert "ctrl+p" in listed and "f1" in listed
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("f1")                                # F1 works from anywhere
        assert isinstance(app.screen, HelpScreen)

    drive(app, scenario)


def test_command_palette_offers_the_actions(ix):
    app = app_for(ix)
    for _, action, _ in COMMANDS:
        assert hasattr(app, "action_" + action.split("(")[0]), action

    async def scenario(pilot):
        await search(pilot, "tempête")
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"oldest")
        await settle(pilot, 0.3)
        await pilot.press("enter")
        await settle(pilot, 0.1)
        assert app.page.sort == "date"
        await pilot.press("ctrl+p")
        await pilot.press(*"versions")
        await settle(pilot, 0.3)
        await pilot.press("enter")
        await settle(pilot, 0.1)
        assert isinstance(app.screen, VersionsScreen)

    drive(app, scenario)


# ------------------------------------------------------------- empty index

def test_missing_index_offers_the_bundled_corpus(tmp_path):
    app = app_for(tmp_path / "none")

    async def scenario(pilot):
        assert isinstance(app.screen, IndexScreen) and app.searcher is None
        assert "No index at" in app.status.message
        await pilot.press("enter")                             # the focused button: index
        await settle(pilot, 0.2)
        await settle(pilot)
        assert not isinstance(app.screen, IndexScreen)
        assert app.page.total == 90 and len(app.results.hits) == PAGE_SIZE

    drive(app, scenario)


def test_empty_index_offers_the_bundled_corpus_and_quit_quits(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    build_index([empty], tmp_path / "ix", workers=1)
    app = app_for(tmp_path / "ix")

    async def scenario(pilot):
        assert isinstance(app.screen, IndexScreen)
        assert "holds no story" in app.screen.problem
        await pilot.press("q")
        await pilot.pause()
        return app.is_running

    assert drive(app, scenario) is False


# ------------------------------------------------------------------ layout

def test_small_and_large_terminals(ix):
    for size, wide in (((80, 24), False), ((200, 60), True)):
        app = app_for(ix)

        async def scenario(pilot):
            await search(pilot, "tempête")
            assert app.screen.has_class("-wide") is wide
            keys = [str(c.key.value) for c in app.results.ordered_columns]
            assert keys == ["date", "agency", "place", "headline", "versions"]
            if not wide:
                await pilot.press("t")                          # the sidebar leaves less room
                await settle(pilot)
                keys = [str(c.key.value) for c in app.results.ordered_columns]
                assert "headline" in keys and "place" not in keys
            region = app.results.region
            assert region.right <= size[0] and app.story_view.region.bottom <= size[1]

        drive(app, scenario, size=size)


def test_cli_tui_opens_the_app(ix, monkeypatch):
    from search.tui.app import DepecheApp

    opened = []
    monkeypatch.setattr(DepecheApp, "run", lambda self: opened.append(self.index_dir))
    assert main(["tui", "--index", str(ix)]) == 0
    assert opened == [Path(ix)]
    monkeypatch.setenv("DEPECHE_INDEX", str(ix))
    assert main(["tui"]) == 0 and opened[-1] == Path(ix)


# --------------------------------------------------------------- snapshots

def check_snapshot(app, name: str) -> None:
    svg = app.export_screenshot(title="Dépêche")
    path = SNAPSHOTS / f"{name}.svg"
    if os.environ.get("DEPECHE_UPDATE_SNAPSHOTS") == "1" or not path.exists():
        SNAPSHOTS.mkdir(exist_ok=True)
        path.write_text(svg, encoding="utf-8")
        TEXTUAL_VERSION.write_text(textual_version() + "\n", encoding="utf-8")
        if os.environ.get("DEPECHE_UPDATE_SNAPSHOTS") != "1":
            pytest.fail(f"no snapshot {path.name} yet: written; run again (and commit it)")
        return
    assert svg == path.read_text(encoding="utf-8"), (
        f"{name}: the screen changed; if deliberate, rerun with DEPECHE_UPDATE_SNAPSHOTS=1 and read the diff")


def textual_version() -> str:
    from importlib.metadata import version

    return version("textual")


def test_snapshots_of_key_screens(ix):
    made_with = TEXTUAL_VERSION.read_text(encoding="utf-8").strip() if TEXTUAL_VERSION.exists() else None
    if made_with and made_with != textual_version() and os.environ.get("DEPECHE_UPDATE_SNAPSHOTS") != "1":
        pytest.skip(f"snapshots made with Textual {made_with}, this is {textual_version()}: "
                    "regenerate them with DEPECHE_UPDATE_SNAPSHOTS=1 and read the diff")
    app = app_for(ix)

    async def scenario(pilot):
        await search(pilot, "tempête")
        check_snapshot(app, "results_100x30")
        await pilot.press("f")
        await settle(pilot)
        check_snapshot(app, "story_full_100x30")
        await pilot.press("escape", "v")
        await settle(pilot)
        check_snapshot(app, "versions_100x30")

    drive(app, scenario, size=(100, 30))

    app = app_for(ix)

    async def small(pilot):
        await search(pilot, "tempête")
        await pilot.press("t")
        await settle(pilot)
        await choose(pilot, "agency", "AFP")
        check_snapshot(app, "facets_80x24")
        await pilot.press("question_mark")
        await settle(pilot)
        check_snapshot(app, "help_80x24")

    drive(app, small, size=(80, 24))


# ------------------------------------------------------ issue 18: a fuller TUI

def test_end_goes_to_the_last_result_and_home_back(ix):
    app = app_for(ix)

    async def scenario(pilot):
        await pilot.press("escape")
        assert len(app.results.hits) == PAGE_SIZE
        await pilot.press("G")
        await settle(pilot)
        assert len(app.results.hits) == 90 and app.results.cursor_row == 89
        assert app.story_view.story.id == app.results.hits[-1].story.id
        await pilot.press("g")
        assert app.results.cursor_row == 0

    drive(app, scenario)


def test_timeline_screen_fills_the_empty_periods_and_filters(ix):
    from search.tui.timeline_screen import TimelineScreen

    app = app_for(ix)

    async def scenario(pilot):
        await pilot.press("escape", "d")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TimelineScreen) and screen.bucket == "year"   # 2008-2023 fits no month row
        assert screen.labels == [("2008", 4), ("2009", 0), ("2010", 0), ("2011", 0), ("2012", 9),
                                 ("2013", 16), ("2014", 27), ("2015", 15), ("2016", 16),
                                 *((str(y), 0) for y in range(2017, 2023)), ("2023", 3)]   # story groups
        check_snapshot_if_same_textual(app, "timeline_100x30")
        await pilot.press("m")                                   # by month: 173 months, zeros included
        assert screen.bucket == "month" and len(screen.labels) == 173 and screen.labels[0] == ("2008-11", 4)
        await pilot.press("y")
        assert screen.bucket == "year"
        await pilot.press("enter")                               # the busiest year is highlighted
        await settle(pilot)
        assert app.state.date == "2014" and all(h.story.date.startswith("2014") for h in app.results.hits)
        await search(pilot, "tempête")
        await pilot.press("d")
        await settle(pilot)
        assert app.screen.bucket == "day" and app.screen.labels == [("2014-06-12", 1)]   # the 2014 filter holds
        await pilot.press("escape")
        assert not isinstance(app.screen, TimelineScreen)

    drive(app, scenario)


def test_sidebar_date_histogram_shows_the_empty_years(ix):
    app = app_for(ix)

    async def scenario(pilot):
        await pilot.press("escape", "t")
        await settle(pilot)
        sidebar = app.facets
        rows = []
        for i in range(sidebar.option_count):
            option = sidebar.get_option_at_index(i)
            if hasattr(option.prompt, "columns"):
                rows.append((option.prompt.columns[1]._cells[0].plain, option.disabled))
        years = [(label, disabled) for label, disabled in rows if label[:2] == "20"]
        assert years == [("2008", False), ("2009", True), ("2010", True), ("2011", True), ("2012", False),
                         ("2013", False), ("2014", False), ("2015", False), ("2016", False),
                         *((str(y), True) for y in range(2017, 2023)), ("2023", False)]
        assert "date\t2009" not in sidebar.option_ids        # a year without a story is not a filter

    drive(app, scenario)


def test_export_format_from_the_extension_refuses_unknown_and_asks_before_overwriting(ix, tmp_path):
    app = app_for(ix)
    target = tmp_path / "tempete.xlsx"
    target.write_bytes(b"old")

    async def scenario(pilot):
        await search(pilot, "tempête")
        await pilot.press("e")
        field = app.screen.query_one("Input")
        field.value = str(tmp_path / "tempete.docx")
        await pilot.press("enter")
        assert isinstance(app.screen, ExportScreen) and "no export format for '.docx'" in app.screen.problem
        field.value = str(target)
        await pilot.press("enter")
        assert isinstance(app.screen, ExportScreen) and "exists: press enter again" in app.screen.problem
        assert target.read_bytes() == b"old"
        await pilot.press("enter")
        await settle(pilot)
        assert app.status.message == f"exported 5 stories to {target}"
        for name in ("t.json", "t.txt", "t.xml", "t.yaml"):
            await pilot.press("e")
            app.screen.query_one("Input").value = str(tmp_path / name)
            await pilot.press("enter")
            await settle(pilot)

    drive(app, scenario)
    from tests.test_spreadsheet import read_xlsx

    rows = read_xlsx(target.read_bytes())
    assert len(rows) == 6 and rows[1][0] == TEMPETE
    assert len(json.loads((tmp_path / "t.json").read_text(encoding="utf-8"))) == 5
    assert (tmp_path / "t.txt").read_text(encoding="utf-8").count("**** *agency_") == 5
    assert (tmp_path / "t.xml").read_text(encoding="utf-8").count("<text ") == 5
    assert (tmp_path / "t.yaml").read_text(encoding="utf-8").count("\n- id: ") == 4


def test_marked_stories_are_exported_alone(ix, tmp_path):
    app = app_for(ix)
    path = tmp_path / "marked.jsonl"

    async def scenario(pilot):
        await search(pilot, "tempête")
        first, second = app.results.hits[0].story.id, app.results.hits[2].story.id
        await pilot.press("m", "down", "m")                  # mark the first and the third
        assert list(app.marked) == [first, second] and "2 stories marked" in app.status.message
        assert str(app.results.ordered_columns[0].key.value) == "mark"     # shown while stories are marked
        check_snapshot_if_same_textual(app, "marked_100x30")
        await pilot.press("e")
        app.screen.query_one("Input").value = str(path)
        await pilot.press("enter")
        await settle(pilot)
        assert app.status.message == f"exported 2 stories to {path}"
        await pilot.press("M")
        assert app.marked == {} and app.status.message == "no story marked"
        assert str(app.results.ordered_columns[0].key.value) == "date"
        return first, second

    ids = drive(app, scenario)
    assert [json.loads(line)["id"] for line in path.read_text(encoding="utf-8").splitlines()] == list(ids)


def test_similar_stories_copy_find_and_metadata(ix):
    from search.tui.similar_screen import SimilarScreen

    app = app_for(ix)

    async def scenario(pilot):
        await search(pilot, "tempête")
        await pilot.press("l")
        await settle(pilot)
        assert isinstance(app.screen, SimilarScreen) and app.screen.hits
        assert TEMPETE not in [h.story.id for h in app.screen.hits]
        chosen = app.screen.hits[0].story.id
        await pilot.press("enter")
        await settle(pilot)
        assert app.story_view.story.id == chosen
        await pilot.press("y")
        assert app.clipboard == chosen and "copied the id" in app.status.message
        await pilot.press("Y")
        assert app.clipboard.startswith(app.story_view.story.headline) and app.story_view.story.body[:40] in app.clipboard
        await search(pilot, "tempête")
        await pilot.press("ctrl+f")
        app.screen.query_one("Input").value = "bretagne"
        await pilot.press("enter")
        view = app.story_view
        n = len(view.found)
        assert n >= 2 and view.found_index == 0
        assert all(view.text.plain[s:e].lower() == "bretagne" for s, e in view.found)
        await pilot.press("n")
        assert view.found_index == 1 and f"match 2 of {n}" in app.status.message
        await pilot.press("N", "N")
        assert view.found_index == n - 1
        await pilot.press("ctrl+f")
        app.screen.query_one("Input").value = "zzzqx"
        await pilot.press("enter")
        assert view.found == [] and "is not in this story" in app.status.message

    drive(app, scenario)


def test_metadata_of_a_feed_story_in_the_preview_and_in_show(ix):
    from tests.cli_run import run

    app = app_for(ix)
    crue, reuters = "urn:newsml:afp.com:20160603:crue-seine-paris:3", "RTR-FR-2015-12-12-0917"

    async def scenario(pilot):
        shown = []
        for story_id in (crue, reuters):
            app.story_view.show(app.searcher.get(story_id))
            shown.append(app.story_view.text.plain)
        return shown

    crue_text, reuters_text = drive(app, scenario)
    assert "subjects    environnement, inondation" in crue_text and "keywords    crue, Seine" in crue_text
    assert "section     Environnement" in reuters_text
    code, out, _ = run("show", crue, "--index", str(ix), "--format", "table")
    assert code == 0 and "environnement, inondation" in out and "crue, Seine" in out


def test_open_in_pager_runs_the_command_on_the_story(tmp_path, monkeypatch):
    from indexer.story import Story
    from search.tui.pager import open_in, story_plain_text, viewer_command

    copy = tmp_path / "seen.txt"
    script = tmp_path / "pager.sh"
    script.write_text(f'#!/bin/sh\ncat "$1" > {copy}\n', encoding="utf-8")
    script.chmod(0o755)
    monkeypatch.setenv("PAGER", f"{script}")
    story = Story(id="x1", headline="Titre\x1b[2J", agency="AFP", body="Le texte.")
    assert open_in(viewer_command("pager"), story_plain_text(story), story.id) == 0
    assert copy.read_text(encoding="utf-8") == "Titre␛[2J\n\nagency      AFP\nid          x1\n\nLe texte.\n"
    monkeypatch.setenv("EDITOR", "no-such-editor-here")
    monkeypatch.delenv("VISUAL", raising=False)
    assert viewer_command("editor") == ["no-such-editor-here"]
    assert open_in(viewer_command("editor"), "x") == 127


def test_long_status_messages_wrap_and_ctrl_c_quits(ix):
    app = app_for(ix)

    async def scenario(pilot):
        await pilot.press("escape")
        long = "the index at /a/very/long/path/" + "x" * 120 + " is damaged: run depeche index --rebuild"
        app.status.show_error(long)
        await pilot.pause()
        assert app.status.size.height >= 3                  # wrapped, not cut at 80 columns
        shown = "".join(app.status.render_line(y).text for y in range(app.status.size.height)).replace(" ", "")
        assert long.replace(" ", "") in shown
        await pilot.press("ctrl+c")
        await pilot.pause()
        return app.is_running

    assert drive(app, scenario, size=(80, 24)) is False


def test_headlines_use_the_width_at_200_columns(ix):
    app = app_for(ix)

    async def scenario(pilot):
        await search(pilot, "tempête")
        headline = next(c for c in app.results.ordered_columns if str(c.key.value) == "headline")
        story_width = app.story_view.size.width
        await pilot.press("f")                               # full screen: lines still wrap at 96
        await settle(pilot)
        assert app.screen.maximized is app.story_view
        assert app.story_view.query_one("#story-text").size.width <= 96
        return headline.width, story_width

    headline_width, story_width = drive(app, scenario, size=(200, 50))
    assert headline_width >= 70 and story_width <= 100      # was 55 (the story took half the screen)


def check_snapshot_if_same_textual(app, name: str) -> None:
    made_with = TEXTUAL_VERSION.read_text(encoding="utf-8").strip() if TEXTUAL_VERSION.exists() else None
    if made_with and made_with != textual_version() and os.environ.get("DEPECHE_UPDATE_SNAPSHOTS") != "1":
        return          # test_snapshots_of_key_screens says why it skips
    check_snapshot(app, name)


def test_a_story_shown_before_the_view_is_mounted_is_drawn_once_it_is(ix):
    """Results can come back while the screen is still being composed (seen
    under load in bench.tui_latency: NoMatches '#story-text'): the view keeps
    the story and draws it on mount instead of raising."""
    from textual.app import App
    from textual.widgets import Static

    from search.results import SearchRequest
    from search.searcher import Searcher
    from search.tui.story_view import StoryView

    with Searcher(ix) as s:
        story = s.search(SearchRequest("frappes aériennes")).hits[0].story
    views = []

    class Host(App):
        def compose(self):
            view = StoryView()
            view.show(story)                # not mounted yet: raised NoMatches before
            view.show_found([(0, 3)], 0)
            views.append(view)
            yield view

    async def run():
        async with Host().run_test() as pilot:
            await pilot.pause()
            view = views[0]
            text = view.query_one("#story-text", Static).render()
            assert story.headline.split()[0] in str(text)
            view.clear("gone")
            assert "gone" in str(view.query_one("#story-text", Static).render())

    asyncio.run(run())


def test_a_workers_answer_arriving_as_the_app_closes_is_dropped(ix, monkeypatch):
    """A preview's marks (or results, or versions) handed back by a worker
    while the app closes find no widget left: they are dropped, not a
    traceback at exit (seen with ``bench.tui_latency`` on 720,000 stories).
    While the app runs, a missing widget stays an error."""
    from textual.css.query import NoMatches

    app = app_for(ix)

    async def scenario(pilot):
        await search(pilot, "tempête")
        hit, state, page = app.results.current_hit, app.state, app.page
        for widget in ("#story", "#results"):       # what the app's shutdown removes first
            await app.query_one(widget).remove()
        with pytest.raises(NoMatches):
            app._marked(hit.story, (), hit.versions, ())
        monkeypatch.setattr(type(app), "is_running", property(lambda self: False))
        assert app._marked(hit.story, (), hit.versions, ()) is None
        assert app.show_results(state, page, app._seq) is None
        monkeypatch.undo()

    drive(app, scenario)
