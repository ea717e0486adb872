"""The Dépêche TUI: a query bar, results, a story preview, facets.

Every search goes through :class:`search.searcher.Searcher`, in Textual
thread workers (one lock serialises the Searcher calls), so typing never
waits for a search. The Searcher moves on by itself to the generation an
index run publishes; an index error (damaged files, say) shows in the
status line with the last results kept, and ``r`` reopens the index. The app holds a :class:`~search.tui.state.ViewState`
(what the screen asks for) and the last good :class:`ResultPage`; a
malformed query leaves both as they were and shows its message.
"""

from __future__ import annotations

import functools
import threading
from dataclasses import replace
from pathlib import Path

from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.css.query import NoMatches
from textual.containers import Container, Horizontal
from textual.timer import Timer
from textual.widgets import DataTable, Footer, Input

from indexer.errors import IndexerError
from search.query import SearchError
from search.results import ResultPage
from search.searcher import Searcher
from search.tui.commands import DepecheCommands
from search.tui.export import ExportError, export_hits, export_results
from search.tui.export_screen import ExportScreen
from search.tui.find_screen import FindScreen, find_spans
from search.tui.facet_sidebar import FacetSidebar
from search.tui.filter_bar import FilterBar
from search.tui.help_screen import HelpScreen
from search.tui.history import History
from search.tui.history_screen import HistoryScreen
from search.tui.index_screen import IndexScreen
from search.tui.query_bar import QueryBar
from search.tui.results_table import ResultsTable
from search.tui.state import ViewState
from search.tui.status_line import StatusLine
from search.tui.similar_screen import SimilarScreen
from search.tui.state import PAGE_SIZE
from search.tui.story_view import StoryView
from search.tui.timeline_screen import TimelineScreen
from search.tui.versions_screen import VersionsScreen

#: Every key, as the ``?`` screen lists them.
HELP_KEYS = [
    ("/", "focus the query bar: results update as you type"),
    ("enter (query bar)", "search now, keep the query in the history, go to the results"),
    ("↑ ↓ (query bar)", "older / newer queries of the history"),
    ("escape", "back: leave the query bar, the facets, the full-screen story"),
    ("↑ ↓ j k pgup pgdn", "move through the results (more load at the end)"),
    ("home end g G", "first / last result (end loads every row to the last)"),
    ("enter  f", "read the story full screen (enter, f or escape: back)"),
    ("space", "next page of the story"),
    ("[  ]", "previous / next story"),
    ("s", "sort: relevance → newest first → oldest first"),
    ("t", "show / hide the facets; enter on a value filters, again removes it"),
    ("x", "clear every filter"),
    ("v", "the versions of the story (enter reads one)"),
    ("l", "stories like this one (enter reads one)"),
    ("d", "the timeline of the results, empty periods included (enter filters by a period)"),
    ("m  M", "mark / unmark the story (then e exports the marked ones); M unmarks all"),
    ("e", "export the result set (or the marked stories): the extension chooses the format"),
    ("o  O", "open the story in $PAGER / $EDITOR"),
    ("y  Y", "copy the story's id / its text (OSC 52: the terminal must allow it)"),
    ("ctrl+f  n  N", "find in the story; next, previous match"),
    ("h", "query history (enter runs a query again)"),
    ("r", "reload the index after `depeche index` ran"),
    ("tab  shift+tab", "next / previous pane"),
    ("ctrl+p", "command palette: every action by name"),
    ("?  F1", "this list"),
    ("q  ctrl+q  ctrl+c", "quit"),
]

WIDE = 140   # columns from which results and story stand side by side


def _while_running(method):
    """For what a worker hands back to the app (results, marks, versions):
    arriving while the app closes, it finds no widget left to show it in,
    and is dropped (it was a traceback at exit: a preview's marks after
    ``q``). While the app runs, a missing widget is still an error."""
    @functools.wraps(method)
    def shown(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except NoMatches:
            if self.is_running:
                raise
            return None
    return shown


class DepecheApp(App):
    """Build it with :func:`search.tui.make_app`."""

    CSS_PATH = "depeche.tcss"
    TITLE = "Dépêche"
    COMMANDS = App.COMMANDS | {DepecheCommands}
    ESCAPE_TO_MINIMIZE = False
    BINDINGS = [
        Binding("slash", "focus_query", "Search"),
        Binding("f", "toggle_full_screen", "Read"),
        Binding("s", "cycle_sort", "Sort"),
        Binding("t", "toggle_facets", "Facets"),
        Binding("x", "clear_filters", "Clear", show=False),
        Binding("d", "show_timeline", "Timeline"),
        Binding("v", "show_versions", "Versions", show=False),
        Binding("e", "export", "Export"),
        Binding("h", "show_history", "History", show=False),
        Binding("r", "refresh_index", "Reload", show=False),
        Binding("right_square_bracket", "next_story", "Next", show=False),
        Binding("left_square_bracket", "previous_story", "Previous", show=False),
        Binding("question_mark,f1", "help", "Keys"),
        Binding("l", "show_similar", "Similar", show=False),
        Binding("m", "toggle_mark", "Mark", show=False),
        Binding("M", "clear_marks", "Unmark all", show=False),
        Binding("o", "open_story('pager')", "Pager", show=False),
        Binding("O", "open_story('editor')", "Editor", show=False),
        Binding("y", "copy('id')", "Copy id", show=False),
        Binding("Y", "copy('text')", "Copy text", show=False),
        Binding("ctrl+f", "find", "Find", show=False),
        Binding("n", "find_next(1)", "Next match", show=False),
        Binding("N", "find_next(-1)", "Previous match", show=False),
        Binding("q", "quit", "Quit", show=False),
        Binding("ctrl+c", "quit", "Quit", show=False, priority=True),
        Binding("escape", "back", "Back", show=False),
    ]

    def __init__(self, index_dir: str | Path, history: History, debounce: float = 0.25,
                 deterministic: bool = False):
        super().__init__()
        self.index_dir = Path(index_dir)
        self.history = history
        self.debounce = debounce
        self.deterministic = deterministic
        self.searcher: Searcher | None = None
        self.state = ViewState()          # what the shown results answer
        self.wanted = ViewState()         # what was last asked for
        self.page: ResultPage | None = None
        self.pages_loaded = 0
        self._lock = threading.Lock()
        self._seq = 0
        self._timer: Timer | None = None
        self._remember = False
        self.marked: dict[str, object] = {}   # story id -> Hit, in the order marked
        self.find_text = ""

    # ---------------------------------------------------------------- layout
    def compose(self) -> ComposeResult:
        query = QueryBar(self.history, id="query")
        if self.deterministic:
            query.cursor_blink = False
        query.border_title = "Dépêche"
        yield query
        yield FilterBar(id="filters")
        with Horizontal(id="main"):
            facets = FacetSidebar(id="facets")
            facets.border_title = "Facets"
            facets.display = False
            yield facets
            with Container(id="panes"):
                yield ResultsTable(id="results")
                yield StoryView(id="story")
        yield StatusLine(show_timings=not self.deterministic, id="status")
        yield Footer()

    @property
    def query_bar(self) -> QueryBar:
        return self.query_one("#query", QueryBar)

    @property
    def results(self) -> ResultsTable:
        return self.query_one("#results", ResultsTable)

    @property
    def story_view(self) -> StoryView:
        return self.query_one("#story", StoryView)

    @property
    def facets(self) -> FacetSidebar:
        return self.query_one("#facets", FacetSidebar)

    @property
    def status(self) -> StatusLine:
        return self.query_one("#status", StatusLine)

    def get_system_commands(self, screen):
        # Textual's own keys panel and maximize are replaced by ours (? and f).
        for command in super().get_system_commands(screen):
            if command.title not in ("Keys", "Maximize", "Quit"):
                yield command

    def on_mount(self) -> None:
        self.query_bar.focus()
        self.story_view.clear("Type a query; the selected story shows here.")
        self.open_index()

    def on_resize(self) -> None:
        self.screen_stack[0].set_class(self.size.width >= WIDE, "-wide")

    # ----------------------------------------------------------------- index
    def open_index(self) -> None:
        """Open the index, or offer to build it from the bundled corpus."""
        from indexer.index.store import IndexMissingError

        try:
            searcher = Searcher(self.index_dir)
            stories = searcher.story_count()
        except IndexMissingError:
            self.offer_index(f"No index at {self.index_dir} yet.")
            return
        except IndexerError as exc:            # damaged, foreign, another version
            self.offer_index(str(exc), can_index=False)
            return
        if stories == 0:
            # An index of an empty corpus: nothing to search.
            searcher.close()
            self.offer_index(f"The index at {self.index_dir} holds no story.")
            return
        if self.searcher is not None:
            self.searcher.close()
        self.searcher = searcher
        self.submit(self.wanted)

    def offer_index(self, problem: str, can_index: bool = True) -> None:
        self.status.show_info(problem)

        def done(built: bool | None) -> None:
            if built:
                self.open_index()
            else:
                self.exit()

        self.push_screen(IndexScreen(self.index_dir, problem, can_index), done)

    # ---------------------------------------------------------------- search
    @on(Input.Changed, "#query")
    def query_changed(self, event: Input.Changed) -> None:
        if event.value == self.wanted.query:
            return
        if self._timer is not None:
            self._timer.stop()
        state = replace(self.wanted, query=event.value)
        self.wanted = state
        if self.debounce <= 0:
            self.submit(state)
        else:
            self._timer = self.set_timer(self.debounce, lambda: self.submit(state))

    @on(Input.Submitted, "#query")
    def query_submitted(self, event: Input.Submitted) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._remember = True
        self.submit(replace(self.wanted, query=event.value))
        self.results.focus()

    def submit(self, state: ViewState) -> None:
        """Ask for a search; the answer replaces the results if still wanted."""
        self.wanted = state
        if self.searcher is None:
            return
        self._seq += 1
        # Facets are counted over every hit: only while the sidebar shows them.
        self.run_search(state, self._seq, facets=self.facets.display)

    @work(thread=True, exclusive=True, group="search")
    def run_search(self, state: ViewState, seq: int, facets: bool) -> None:
        try:
            with self._lock:
                page = self.searcher.search(state.request(facets=facets))
        except (SearchError, IndexerError) as exc:
            self.call_from_thread(self.show_error, str(exc), seq)
            return
        self.call_from_thread(self.show_results, state, page, seq)

    @_while_running
    def show_results(self, state: ViewState, page: ResultPage, seq: int) -> None:
        if seq != self._seq:
            return                       # a newer search is on its way
        keep = self.results.current_hit.story.id if self.results.current_hit else None
        self.state, self.page, self.pages_loaded = state, page, 1
        if self._remember and state.query.strip():
            self.history.add(state.query)
        self._remember = False
        self.results.show_hits(page.hits, keep_id=keep)
        if page.facets:
            self.facets.show_facets(page.facets, state)
        self.query_one("#filters", FilterBar).show_state(state)
        self.status.show_page(page, len(self.results.hits))
        self.show_preview()

    @_while_running
    def show_error(self, message: str, seq: int) -> None:
        if seq == self._seq:
            self._remember = False
            self.status.show_error(message)

    @work(thread=True, exclusive=True, group="more")
    def load_more(self, state: ViewState, number: int, seq: int) -> None:
        try:
            with self._lock:
                page = self.searcher.search(state.request(page=number, facets=False))
        except (SearchError, IndexerError) as exc:
            self.call_from_thread(self.show_error, str(exc), seq)
            return
        self.call_from_thread(self._append, page, number, seq)

    @_while_running
    def _append(self, page: ResultPage, number: int, seq: int) -> None:
        if seq != self._seq or number != self.pages_loaded + 1:
            return
        self.pages_loaded = number
        self.results.append_hits(page.hits)
        self.status.show_page(self.page, len(self.results.hits))

    def action_last_result(self) -> None:
        """Go to the last result, loading every row before it."""
        table = self.results
        if self.page is None or not table.hits:
            return
        if len(table.hits) >= self.page.total:
            table.move_cursor(row=len(table.hits) - 1, animate=False)
            return
        self.status.show_info(f"loading {self.page.total - len(table.hits):,} more rows to the last result…")
        self.load_to_end(self.state, len(table.hits), self.page.total, self._seq)

    @work(thread=True, exclusive=True, group="more")
    def load_to_end(self, state: ViewState, loaded: int, total: int, seq: int) -> None:
        # Page 2 of pages as long as what is loaded is exactly the next rows:
        # the rows double each time (a few requests even at 100,000 results).
        while loaded < total:
            try:
                with self._lock:
                    page = self.searcher.search(state.request(page=2, limit=loaded, facets=False))
            except (SearchError, IndexerError) as exc:
                self.call_from_thread(self.show_error, str(exc), seq)
                return
            self.call_from_thread(self._append_rows, page.hits, seq)
            if not page.hits:
                break
            loaded *= 2
        self.call_from_thread(self._at_last, seq)

    @_while_running
    def _append_rows(self, hits, seq: int) -> None:
        if seq != self._seq:
            return
        self.results.append_hits(hits)
        self.pages_loaded = -(-len(self.results.hits) // PAGE_SIZE)
        self.status.show_page(self.page, len(self.results.hits))

    @_while_running
    def _at_last(self, seq: int) -> None:
        if seq == self._seq and self.results.hits:
            self.results.move_cursor(row=len(self.results.hits) - 1, animate=False)
            self.status.show_page(self.page, len(self.results.hits))

    # --------------------------------------------------------------- preview
    @on(DataTable.RowHighlighted, "#results")
    def row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        try:
            table = self.results
        except NoMatches:  # a highlight still queued while the app closes
            return
        self.show_preview()
        if (self.page is not None and event.cursor_row >= len(table.hits) - 1
                and len(table.hits) < self.page.total):
            self.load_more(self.state, self.pages_loaded + 1, self._seq)

    @on(DataTable.RowSelected, "#results")
    def row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_toggle_full_screen()

    def show_preview(self) -> None:
        hit = self.results.current_hit
        if hit is None:
            self.story_view.clear("No story matches." if self.page is not None else "")
            return
        self.story_view.show(hit.story, (), hit.versions)
        if self.state.query.strip():
            self.mark_words(hit.story, self.state.query, hit.versions)

    @work(thread=True, exclusive=True, group="preview")
    def mark_words(self, story, query: str, versions: int) -> None:
        try:
            with self._lock:
                marks = self.searcher.highlight(story, query)
                # The headline, marked by the same API: a story whose body is the headline.
                headline_marks = self.searcher.highlight(replace(story, body=story.headline or ""), query)
        except (SearchError, IndexerError):
            return                       # the story shows unmarked
        self.call_from_thread(self._marked, story, marks, versions, headline_marks)

    @_while_running
    def _marked(self, story, marks, versions: int, headline_marks) -> None:
        if self.story_view.story is not None and self.story_view.story.id == story.id:
            self.story_view.show(story, marks, versions, headline_marks)

    # ---------------------------------------------------------------- actions
    def action_focus_query(self) -> None:
        self.screen.minimize()
        bar = self.query_bar
        bar.focus()
        bar.cursor_position = len(bar.value)

    def action_back(self) -> None:
        if self.screen.maximized is not None:
            self.screen.minimize()
            self.results.focus()
        elif self.focused is not self.results:
            self.results.focus()

    def action_toggle_full_screen(self) -> None:
        if self.screen.maximized is not None:
            self.screen.minimize()
            self.results.focus()
        elif self.story_view.story is not None:
            if self.state.query.strip():
                self.history.add(self.state.query)
            self.screen.maximize(self.story_view, container=False)
            self.story_view.focus()

    def action_next_story(self) -> None:
        self.results.action_cursor_down()

    def action_previous_story(self) -> None:
        self.results.action_cursor_up()

    def action_cycle_sort(self) -> None:
        self.submit(self.wanted.next_sort(self.page.sort if self.page else "relevance"))

    def action_sort(self, sort: str) -> None:
        self.submit(replace(self.wanted, sort=sort))

    def action_toggle_facets(self) -> None:
        facets = self.facets
        facets.display = not facets.display
        if facets.display:
            facets.focus()
            if self.page is not None and not self.page.facets:
                self.submit(self.wanted)         # counted from now on
        elif self.focused is None or self.focused is facets:
            self.results.focus()

    @on(FacetSidebar.Toggled)
    def facet_toggled(self, event: FacetSidebar.Toggled) -> None:
        self.submit(self.wanted.toggle(event.facet, event.value))

    @on(FacetSidebar.ClearAll)
    def action_clear_filters(self) -> None:
        if not self.wanted.has_filters:
            self.status.show_info("No filter to clear.")
            return
        self.submit(self.wanted.cleared())

    def action_show_versions(self) -> None:
        story = self.story_view.story
        if story is None or self.searcher is None:
            return
        self.fetch_versions(story.id)

    @work(thread=True, exclusive=True, group="versions")
    def fetch_versions(self, story_id: str) -> None:
        try:
            with self._lock:
                stories = self.searcher.versions(story_id)
        except (SearchError, IndexerError) as exc:
            self.call_from_thread(self.status.show_error, str(exc))
            return
        self.call_from_thread(self._show_versions, stories, story_id)

    @_while_running
    def _show_versions(self, stories, story_id: str) -> None:
        def chosen(story) -> None:
            if story is not None:
                self.story_view.show(story, (), len(stories))
                if self.state.query.strip():
                    self.mark_words(story, self.state.query, len(stories))

        self.push_screen(VersionsScreen(stories, story_id), chosen)

    def action_export(self) -> None:
        if self.page is None:
            return
        suffix = "-".join(self.state.query.split()[:3]) or "all"
        default = f"depeche-{''.join(c for c in suffix if c.isalnum() or c == '-')}.jsonl"

        marked = list(self.marked.values())

        def chosen(path: str | None) -> None:
            if path:
                self.status.show_info(f"exporting to {path}…")
                self.run_export(self.state, path, marked)

        self.push_screen(ExportScreen(default, self.page.total, len(marked)), chosen)

    @work(thread=True, exclusive=True, group="export")
    def run_export(self, state: ViewState, path: str, marked=()) -> None:
        def search(request):
            with self._lock:
                return self.searcher.search(request)

        try:
            n = export_hits(marked, path) if marked else export_results(search, state.request(facets=False), path)
        except (ExportError, SearchError, IndexerError) as exc:
            self.call_from_thread(self.status.show_error, str(exc))
            return
        self.call_from_thread(self.status.show_info, f"exported {n} {'story' if n == 1 else 'stories'} to {path}")

    def action_show_history(self) -> None:
        def chosen(query: str | None) -> None:
            if query is not None:
                self.query_bar.value = query
                self._remember = True
                self.submit(replace(self.wanted, query=query))
                self.results.focus()

        self.push_screen(HistoryScreen(self.history.entries), chosen)

    def action_refresh_index(self) -> None:
        if self.searcher is None:
            return
        self.reload_index()

    @work(thread=True, exclusive=True, group="reload")
    def reload_index(self) -> None:
        try:
            with self._lock:
                self.searcher.refresh()
        except IndexerError as exc:
            self.call_from_thread(self.status.show_error, str(exc))
            return
        self.call_from_thread(self.submit, self.wanted)

    def action_help(self) -> None:
        self.push_screen(HelpScreen(HELP_KEYS))

    # ------------------------------------------------------- similar stories
    def action_show_similar(self) -> None:
        story = self.story_view.story
        if story is None or self.searcher is None:
            return
        self.fetch_similar(story)

    @work(thread=True, exclusive=True, group="similar")
    def fetch_similar(self, story) -> None:
        try:
            with self._lock:
                hits = self.searcher.similar(story.id, 20)
        except (SearchError, IndexerError) as exc:
            self.call_from_thread(self.status.show_error, str(exc))
            return
        self.call_from_thread(self._show_similar, hits, story)

    @_while_running
    def _show_similar(self, hits, story) -> None:
        def chosen(hit) -> None:
            if hit is not None:
                self.story_view.show(hit.story, (), hit.versions)

        self.push_screen(SimilarScreen(hits, story.headline or story.id), chosen)

    # -------------------------------------------------------------- timeline
    def action_show_timeline(self) -> None:
        if self.searcher is None or self.page is None:
            return
        self.fetch_timeline(self.state)

    @work(thread=True, exclusive=True, group="timeline")
    def fetch_timeline(self, state: ViewState) -> None:
        request = replace(state.request(facets=False), facets=("date",), date_facet="day", limit=1)
        try:
            with self._lock:
                page = self.searcher.search(request)
        except (SearchError, IndexerError) as exc:
            self.call_from_thread(self.status.show_error, str(exc))
            return
        self.call_from_thread(self._show_timeline, state, page)

    @_while_running
    def _show_timeline(self, state: ViewState, page: ResultPage) -> None:
        def chosen(period: str | None) -> None:
            if period:
                self.submit(self.wanted.toggle("date", period))

        title = state.query.strip() or "every story"
        if state.has_filters:
            title += " (" + ", ".join(state.describe_filters()) + ")"
        self.push_screen(TimelineScreen(page.facets.get("date", ()), title, grouped=page.grouped), chosen)

    # ----------------------------------------------------------------- marks
    def action_toggle_mark(self) -> None:
        hit = self.results.current_hit
        if hit is None:
            return
        if hit.story.id in self.marked:
            del self.marked[hit.story.id]
        else:
            self.marked[hit.story.id] = hit
        self.results.show_mark(hit.story.id, hit.story.id in self.marked)
        self.status.show_info(self._marks_label())
        self.results.action_cursor_down()

    def action_clear_marks(self) -> None:
        ids = list(self.marked)
        self.marked.clear()
        if ids:
            self.results.show_mark(ids[0], False)     # the marks' column goes
        self.status.show_info(self._marks_label())

    def _marks_label(self) -> str:
        n = len(self.marked)
        if not n:
            return "no story marked"
        return f"{n} {'story' if n == 1 else 'stories'} marked (e exports them, M unmarks all)"

    # ------------------------------------------------- pager, editor, clipboard
    def action_open_story(self, kind: str) -> None:
        from textual.app import SuspendNotSupported

        from search.tui.pager import open_in, story_plain_text, viewer_command

        story = self.story_view.story
        if story is None:
            return
        command = viewer_command(kind)
        try:
            with self.suspend():
                status = open_in(command, story_plain_text(story), story.id)
        except SuspendNotSupported:
            self.status.show_error("this terminal cannot hand the screen to another program")
            return
        if status == 127:
            self.status.show_error(f"cannot run {' '.join(command)} (set $PAGER or $EDITOR)")
        elif status:
            self.status.show_info(f"{' '.join(command)} exited with status {status}")

    def action_copy(self, what: str) -> None:
        from search.tui.pager import story_plain_text

        story = self.story_view.story
        if story is None:
            return
        text = story.id if what == "id" else story_plain_text(story)
        self.copy_to_clipboard(text)
        label = f"the id {story.id}" if what == "id" else f"the story's text ({len(text):,} characters)"
        self.status.show_info(f"copied {label} to the clipboard (OSC 52: the terminal must allow it)")

    # ------------------------------------------------------------------ find
    def action_find(self) -> None:
        if self.story_view.story is None:
            return

        def chosen(text: str | None) -> None:
            if text is not None:
                self.find_text = text
                self._find(0)

        self.push_screen(FindScreen(self.find_text), chosen)

    def action_find_next(self, step: int) -> None:
        if self.find_text and self.story_view.story is not None:
            self._find(step)

    def _find(self, step: int) -> None:
        view = self.story_view
        spans = find_spans(view.text.plain, self.find_text)
        if not spans:
            view.show_found([], None)
            self.status.show_info(f"{self.find_text!r} is not in this story" if self.find_text.strip() else "")
            return
        current = 0 if step == 0 or view.found_index is None else (view.found_index + step) % len(spans)
        view.show_found(spans, current)
        self.status.show_info(f"{self.find_text!r}: match {current + 1} of {len(spans)} (n next, N previous)")
