"""Terminal rendering of result pages and stories (rich), and flat rows.

Only used for ``--format table``; scripts get JSON, JSON Lines, CSV or YAML
from :mod:`search.output` with the Story record's field names.
"""

from __future__ import annotations

from typing import TextIO

from indexer.fields import FIELDS, KEY, FieldTable
from indexer.story import STORY_FIELDS, Story
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


def marked_text(text: str, marks, style: str = "bold reverse"):
    """A rich Text with the marked spans styled."""
    from rich.text import Text

    t = Text(text)
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
        story.append(s.headline or "(no headline)", style="bold")
        if hit.versions > 1:
            story.append(f"  [{hit.versions} versions]", style="cyan")
        if s.version:
            story.append(f"  {s.version}", style="magenta")
        story.append(f"\n{s.id}", style="dim")
        if hit.snippet:
            story.append("\n")
            story.append_text(marked_text(hit.snippet, hit.highlights))
        table.add_row(str(n), s.date or "", s.agency or "", ", ".join(s.places), story)
    if page.hits:
        console.print(table)
    unit = ("story group" if page.grouped else "story") if page.total == 1 else \
        ("story groups" if page.grouped else "stories")
    console.print(
        f"{page.total} {unit}; page {page.page}/{page.pages}; sorted by {page.sort}; "
        f"{page.elapsed * 1000:.1f} ms", style="dim")
    for name, values in page.facets.items():
        print_facet(name, values, out)
    if page.suggestions:
        console.print("did you mean: " + " | ".join(page.suggestions), style="yellow")


def print_facet(name: str, values, out: TextIO) -> None:
    from rich.table import Table

    table = Table(title=name, header_style="bold")
    table.add_column("value")
    table.add_column("stories", justify="right")
    table.add_column("")
    top = max((v.count for v in values), default=1)
    for v in values:
        table.add_row(v.value, str(v.count), "█" * max(1, round(20 * v.count / top)))
    _console(out).print(table)


def story_header(story: Story, versions: int = 1, source: str | None = None):
    """The metadata lines of a story, as rich Text (CLI and TUI alike)."""
    from rich.text import Text

    header = Text()

    def line(label: str, value) -> None:
        if value:
            header.append(f"{label:<12}", style="bold")
            header.append(", ".join(value) if isinstance(value, (list, tuple)) else str(value))
            header.append("\n")

    version = story.version or "(original)"
    if story.update_note:
        version += f": {story.update_note}"
    if versions > 1:
        version += f"  [{versions} versions: v]"
    shown = {
        "date": f"{story.date} (from {story.date_source})" if story.date else None,
        "version": version,
        "source": source if source is not None else story.source,
    }
    for name in HEADER_FIELDS:
        line(name, shown[name] if name in shown else getattr(story, name))
    return header


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

    console = _console(out)
    header = story_header(story)
    header.rstrip()
    console.print(Panel(header, title=story.headline or "(no headline)", title_align="left"))
    console.print(story_body(story, marks))


def print_versions(stories: list[Story], out: TextIO) -> None:
    from rich.table import Table

    table = Table(header_style="bold")
    for col in ("#", "date", "agency", "version", "headline", "update note", "id"):
        table.add_column(col)
    for n, s in enumerate(stories, 1):
        table.add_row(str(n), s.date or "", s.agency or "", s.version or "(original)", s.headline or "",
                      s.update_note or "", s.id)
    _console(out).print(table)


def hit_row(hit: Hit, name: str | None = None) -> dict:
    row = hit.to_dict()
    if name is not None:
        row = {"query_name": name, **row}
    return row
