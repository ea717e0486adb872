"""Export a result set (every page), or the marked stories, to a file whose
extension chooses the format, with the writers of ``depeche search``.

Rows are those of ``depeche search --format jsonl|csv``: the Story record's
fields, then the hit's (score, snippet, highlights, versions, group).
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import Callable, Iterable

from search import output, render
from search.results import Hit, ResultPage, SearchRequest

#: File extension -> export format.
EXTENSIONS = {
    ".jsonl": "jsonl", ".json": "json", ".csv": "csv", ".yaml": "yaml", ".yml": "yaml",
    ".xlsx": "xlsx", ".txt": "iramuteq", ".xml": "txm",
}
#: What each format is, for the export dialog.
FORMAT_NAMES = {
    "jsonl": "JSON Lines", "json": "JSON", "csv": "CSV", "yaml": "YAML", "xlsx": "a spreadsheet (xlsx)",
    "iramuteq": "an IRaMuTeQ corpus", "txm": "a TXM corpus (XML)",
}
EXPORT_FORMATS = tuple(dict.fromkeys(EXTENSIONS.values()))
#: Hits fetched per request while exporting.
EXPORT_PAGE = 500


class ExportError(Exception):
    """An export that could not be written (one line)."""


def describe_extensions() -> str:
    """``.jsonl (JSON Lines), .json (JSON), ...`` for messages."""
    return ", ".join(f"{ext} ({FORMAT_NAMES[fmt]})" for ext, fmt in EXTENSIONS.items() if ext != ".yml")


def format_of(path: str) -> str:
    """The export format a file name asks for; raises ExportError for an
    extension no format has.

    >>> format_of("syrie.CSV"), format_of("syrie.jsonl"), format_of("crue.txt"), format_of("a.xlsx")
    ('csv', 'jsonl', 'iramuteq', 'xlsx')
    >>> format_of("syrie.docx")
    Traceback (most recent call last):
    ...
    search.tui.export.ExportError: no export format for '.docx'; the extension chooses one: .jsonl (JSON Lines), .json (JSON), .csv (CSV), .yaml (YAML), .xlsx (a spreadsheet (xlsx)), .txt (an IRaMuTeQ corpus), .xml (a TXM corpus (XML))
    """
    ext = Path(path).suffix.lower()
    if ext not in EXTENSIONS:
        what = f"{ext!r}" if ext else "a name without an extension"
        raise ExportError(f"no export format for {what}; the extension chooses one: {describe_extensions()}")
    return EXTENSIONS[ext]


def all_rows(search: Callable[[SearchRequest], ResultPage], request: SearchRequest) -> list[dict]:
    """Every hit of ``request``, all pages, as rows."""
    rows: list[dict] = []
    number = 1
    while True:
        page = search(replace(request, page=number, limit=EXPORT_PAGE, facets=(), snippets=True))
        rows.extend(render.hit_row(hit) for hit in page.hits)
        if number >= page.pages:
            break
        number += 1
    return rows


def write_rows(rows: list[dict], path: str | os.PathLike, fmt: str | None = None) -> int:
    """Write rows to ``path`` in ``fmt`` (default: from the extension)."""
    target = Path(os.path.expanduser(str(path)))
    fmt = fmt or format_of(str(target))
    if fmt not in EXPORT_FORMATS:
        raise ExportError(f"format {fmt!r}; one of {', '.join(EXPORT_FORMATS)}")
    try:
        if fmt == "xlsx":
            from search.spreadsheet import sheet_columns, write_xlsx

            with open(target, "wb") as binary:
                write_xlsx(rows, binary, sheet_columns(render.HIT_COLUMNS))
        else:
            with open(target, "w", encoding="utf-8", newline="") as out:
                output.write_output(fmt, out, rows, result=rows, columns=render.HIT_COLUMNS)
    except OSError as exc:
        raise ExportError(f"cannot write {target}: {exc.strerror or exc}") from None
    return len(rows)


def export_results(search: Callable[[SearchRequest], ResultPage], request: SearchRequest,
                   path: str | os.PathLike, fmt: str | None = None) -> int:
    """Write every hit of ``request`` (all pages) to ``path``; the number written."""
    fmt = fmt or format_of(os.path.expanduser(str(path)))
    return write_rows(all_rows(search, request), path, fmt)


def export_hits(hits: Iterable[Hit], path: str | os.PathLike, fmt: str | None = None) -> int:
    """Write chosen hits (the marked stories) to ``path``; the number written."""
    return write_rows([render.hit_row(h) for h in hits], path, fmt)
