"""Terminal rendering of result pages, stories and counts (rich), and flat rows.

Only used for ``--format table``; scripts get JSON, JSON Lines, CSV or YAML
from :mod:`search.output` with the Story record's field names.

Every string from a story, an index or a user reaches rich as a ``Text``
made by :func:`text` (never as a ``str``, which rich would read as markup:
``[link=...]`` in a headline would become a hyperlink), with its control
characters made visible by :func:`search.output.printable`.
"""

from __future__ import annotations

from typing import TextIO

from indexer.fields import FIELDS, KEY, FieldTable
from indexer.story import STORY_FIELDS, Story
from search.output import counted, plural, printable
from search.results import Hit, ResultPage

HIT_EXTRA = ("score", "snippet", "highlights", "versions", "group")
#: CSV columns of a hit: the story's fields, then the hit's.
HIT_COLUMNS = [*STORY_FIELDS, *HIT_EXTRA]


def header_fields(table: FieldTable = FIELDS) -> tuple[str, ...]:
    """The metadata lines of a story: the table's ``shown`` fields in its
    order, the id last.

    >>> header_fields()[:3], header_fields()[-1]
    (('agency', 'places', 'date'), 'id')
    """
    shown = [f for f in table if f.shown]
    return (*(f.name for f in shown if f.index != KEY), *(f.name for f in shown if f.index == KEY))


#: The metadata lines of a story (``depeche show``, the TUI).
HEADER_FIELDS = header_fields()


def _console(out: TextIO):
    from rich.console import Console

    return Console(file=out, highlight=False, soft_wrap=False)


def text(value, style: str = "", multiline: bool = False):
    """A rich Text of ``value`` (a string, a list joined by commas, or None):
    no markup read, control characters made visible."""
    from rich.text import Text

    if value is None:
        value = ""
    elif isinstance(value, (list, tuple)):
        value = ", ".join(str(v) for v in value)
    return Text(printable(value, multiline), style=style)


def marked_text(value: str, marks, style: str = "bold reverse"):
    """A rich Text of multi-line text with the marked spans styled (the
    control characters replaced one for one, so the marks stay put)."""
    t = text(value, multiline=True)
    for start, end in marks:
        t.stylize(style, start, end)
    return t


def print_page(page: ResultPage, out: TextIO, title: str | None = None) -> None:
    """A result page as a table, its facets and suggestions."""
    from rich.table import Table
    from rich.text import Text

    console = _console(out)
    first = (page.page - 1) * page.limit
    table = Table(title=title, show_lines=True, header_style="bold", expand=False)
    table.add_column("#", justify="right", style="dim")
    table.add_column("date", no_wrap=True)
    table.add_column("agency")
    table.add_column("place")
    table.add_column("story", ratio=1)
    for n, hit in enumerate(page.hits, first + 1):
        s = hit.story
        story = Text()
        story.append_text(text(s.headline or "(no headline)", "bold"))
        if hit.versions > 1:
            story.append(f"  [{hit.versions} versions]", style="cyan")
        if s.version:
            story.append_text(text(f"  {s.version}", "magenta"))
        story.append_text(text(f"\n{s.id}", "dim", multiline=True))
        if hit.snippet:
            story.append("\n")
            story.append_text(marked_text(hit.snippet, hit.highlights))
        table.add_row(str(n), text(s.date), text(s.agency), text(s.places), story)
    if page.hits:
        console.print(table)
    unit = ("story group" if page.grouped else "story") if page.total == 1 else \
        ("story groups" if page.grouped else "stories")
    console.print(
        f"{page.total} {unit}; page {page.page}/{page.pages}; sorted by {page.sort}; "
        f"{page.elapsed * 1000:.1f} ms", style="dim")
    if page.relaxation:
        console.print(text(page.relaxation.message(), "yellow"))
    for name, values in page.facets.items():
        print_facet(name, values, out, "story groups" if page.grouped else "stories")
    if page.suggestions:
        console.print(text("did you mean: " + " | ".join(page.suggestions), "yellow"))


def print_facet(name: str, values, out: TextIO, unit: str = "stories") -> None:
    """A facet's values and counts (``unit``: what they count) as a table; the
    bucket of the results without a value, ``(none)``, dimmed; a facet with no
    value is one line, not an empty box."""
    from rich.table import Table

    if not any(not getattr(v, "missing", False) for v in values):
        without = sum(v.count for v in values)
        _console(out).print(text(f"{name}: no value in these stories" + (f" ({without:,} without)" if without else "")),
                            style="dim")
        return
    table = Table(title=text(name), header_style="bold")
    table.add_column("value")
    table.add_column(unit, justify="right")
    table.add_column("")
    top = max((v.count for v in values), default=1)
    for v in values:
        table.add_row(text(v.value, "dim" if getattr(v, "missing", False) else ""), str(v.count),
                      "█" * max(1, round(20 * v.count / top)))
    _console(out).print(table)


def version_label(story: Story) -> str:
    """How a story stands in its group: its version, ``(original)``, or
    ``(duplicate)`` for a republished copy (``duplicate_of`` names the original).

    >>> version_label(Story(id="b", duplicate_of="a")), version_label(Story(id="a"))
    ('(duplicate)', '(original)')
    """
    if story.duplicate_of:
        return "(duplicate)"
    return story.version or "(original)"


def header_lines(story: Story, versions: int = 1, source: str | None = None) -> list[tuple[str, object]]:
    """The (label, value) metadata lines of a story that have a value."""
    version = version_label(story)
    if story.update_note:
        version += f": {story.update_note}"
    if versions > 1:
        version += f"  [{versions} versions: v]"
    shown = {
        "date": f"{story.date} (from {story.date_source})" if story.date else None,
        "version": version,
        "source": source if source is not None else story.source,
    }
    lines = [(name, shown[name] if name in shown else getattr(story, name)) for name in HEADER_FIELDS]
    return [(label, value) for label, value in lines if value]


def story_header(story: Story, versions: int = 1, source: str | None = None):
    """The metadata lines of a story, as rich Text (CLI and TUI alike)."""
    from rich.text import Text

    header = Text()
    for label, value in header_lines(story, versions, source):
        header.append(f"{label:<12}", style="bold")
        header.append_text(text(value))
        header.append("\n")
    return header


def wrap_path(path: str, width: int) -> str:
    r"""A path in lines of at most ``width`` characters, broken after a ``/``
    (or ``:`` before a line number), a name split only when longer than a line.

    >>> print(wrap_path("/home/me/archive/afp/2016/02/09/tempete-bretagne.txt", 22))
    /home/me/archive/afp/
    2016/02/09/
    tempete-bretagne.txt
    >>> wrap_path("/a/short.txt", 40)
    '/a/short.txt'
    """
    import re

    width = max(width, 8)
    lines, line = [], ""
    for piece in re.findall(r"[^/:]*[/:]|[^/:]+$", path):
        while len(piece) > width:  # one name longer than a line
            if line:
                lines.append(line)
                line = ""
            lines.append(piece[:width])
            piece = piece[width:]
        if len(line) + len(piece) > width:
            lines.append(line)
            line = ""
        line += piece
    if line:
        lines.append(line)
    return "\n".join(lines)


def story_body(story: Story, marks=(), mark_style: str = "bold reverse"):
    """The body as rich Text: marked words styled, subheads in bold."""
    body = marked_text(story.body, marks, mark_style)
    subheads = set(story.subheads)
    start = 0
    for para in story.body.split("\n\n"):
        i = story.body.find(para, start)
        if para.strip("-–— ") in subheads or para in subheads:
            body.stylize("bold", i, i + len(para))
        start = i + len(para)
    return body


def print_story(story: Story, out: TextIO, marks=()) -> None:
    """A story with its metadata header."""
    from rich.panel import Panel

    from rich.table import Table

    console = _console(out)
    # Label and value side by side: a long value wraps under itself, the
    # source path at its slashes, never mid-word.
    grid = Table.grid(padding=(0, 1))
    grid.add_column(style="bold", no_wrap=True, min_width=11)
    grid.add_column(ratio=1)
    value_width = console.width - 4 - 12   # the panel's borders and padding, the label
    for label, value in header_lines(story):
        shown = wrap_path(printable(str(value)), value_width) if label == "source" else value
        grid.add_row(label, text(shown, multiline=label == "source"))
    console.print(Panel(grid, title=text(story.headline or "(no headline)"), title_align="left"))
    console.print(story_body(story, marks))


def print_versions(stories: list[Story], out: TextIO) -> None:
    from rich.table import Table

    table = Table(header_style="bold")
    for col in ("#", "date", "agency", "version", "headline", "update note", "id"):
        table.add_column(col)
    for n, s in enumerate(stories, 1):
        table.add_row(str(n), *(text(v) for v in (s.date, s.agency, version_label(s), s.headline,
                                                   s.update_note, s.id)))
    _console(out).print(table)


def print_rows(rows: list[list], columns: list[str], out: TextIO, title: str | None = None) -> None:
    """Rows of values as a table (``depeche parse``)."""
    from rich.table import Table

    table = Table(title=title, show_lines=False, header_style="bold")
    for col in columns:
        table.add_column(col, overflow="fold")
    for row in rows:
        table.add_row(*(text(v) for v in row))
    _console(out).print(table)


def print_stats(stats: dict, out: TextIO) -> None:
    """The counts of ``depeche stats`` (an ``IndexStats.to_dict()``), side by side."""
    from rich.columns import Columns
    from rich.table import Table

    console = _console(out)
    first, last = stats["date_range"]
    line = text(f"{stats['stories']:,}", "bold")
    line.append_text(text(f" {plural(stats['stories'], 'story')} ({counted(stats['groups'], 'story group')}) "
                          f"from {counted(stats['files'], 'file')}, {first or '?'} to {last or '?'}"))
    console.print(line)
    tables = []
    for title, key in (("agency", "agencies"), ("year", "years"), ("version", "versions"),
                       ("translator", "translators"), ("place", "places")):
        table = Table(header_style="bold")
        table.add_column(title)
        table.add_column("stories", justify="right")
        for k, v in list(stats[key].items())[:15]:
            table.add_row(text(k), str(v))
        if table.row_count:   # a count no story has is no empty box
            tables.append(table)
    missing = Table(header_style="bold")
    missing.add_column("field")
    missing.add_column("stories without it", justify="right")
    for k, v in stats["missing"].items():
        if v:
            missing.add_row(text(k), str(v))
    if missing.row_count:
        tables.append(missing)
    console.print(Columns(tables))


def hit_row(hit: Hit, name: str | None = None) -> dict:
    row = hit.to_dict()
    if name is not None:
        row = {"query_name": name, **row}
    return row
