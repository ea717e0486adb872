"""Export a whole result set (every page) with the writers of ``depeche search``.

Rows are those of ``depeche search --format jsonl|csv``: the Story record's
fields, then the hit's (score, snippet, highlights, versions, group).
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import Callable

from search import output, render
from search.results import ResultPage, SearchRequest

EXPORT_FORMATS = ("jsonl", "csv")
#: Hits fetched per request while exporting.
EXPORT_PAGE = 500


class ExportError(Exception):
    """An export that could not be written (one line)."""


def format_of(path: str) -> str:
    """The export format a file name asks for: ``csv`` or ``jsonl``.

    >>> format_of("syrie.CSV"), format_of("syrie.jsonl"), format_of("syrie")
    ('csv', 'jsonl', 'jsonl')
    """
    return "csv" if path.lower().endswith(".csv") else "jsonl"


def export_results(search: Callable[[SearchRequest], ResultPage], request: SearchRequest,
                   path: str | os.PathLike, fmt: str | None = None) -> int:
    """Write every hit of ``request`` (all pages) to ``path``; the number written."""
    target = Path(os.path.expanduser(str(path)))
    fmt = fmt or format_of(str(target))
    if fmt not in EXPORT_FORMATS:
        raise ExportError(f"format {fmt!r}; one of {', '.join(EXPORT_FORMATS)}")
    rows: list[dict] = []
    number = 1
    while True:
        page = search(replace(request, page=number, limit=EXPORT_PAGE, facets=(), snippets=True))
        rows.extend(render.hit_row(hit) for hit in page.hits)
        if number >= page.pages:
            break
        number += 1
    try:
        with open(target, "w", encoding="utf-8", newline="") as out:
            if fmt == "csv":
                output.write_csv(rows, out, render.HIT_COLUMNS)
            else:
                output.write_jsonl(rows, out)
    except OSError as exc:
        raise ExportError(f"cannot write {target}: {exc.strerror or exc}") from None
    return len(rows)
