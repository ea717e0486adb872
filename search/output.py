"""Writers shared by every command: JSON Lines, JSON, CSV, YAML and tables.

Output for scripts is stable (the Story record's field names, UTF-8, one
record per line for ``jsonl``); tables and colour only on a terminal.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from typing import Any, Iterable, TextIO

import yaml

FORMATS = ("table", "jsonl", "json", "csv", "yaml")


def default_format(stream: TextIO) -> str:
    """``table`` on a terminal, ``jsonl`` when piped."""
    return "table" if _isatty(stream) else "jsonl"


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def write_jsonl(records: Iterable[dict[str, Any]], out: TextIO) -> None:
    for record in records:
        out.write(json.dumps(record, ensure_ascii=False) + "\n")


def write_json(data: Any, out: TextIO) -> None:
    out.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def write_yaml(data: Any, out: TextIO) -> None:
    yaml.safe_dump(data, out, allow_unicode=True, sort_keys=False, width=100)


def csv_cell(value: Any) -> str:
    """A CSV cell: lists joined by ``; ``, formula starts neutralised.

    >>> csv_cell(["A", "B"])
    'A; B'
    >>> csv_cell("=HYPERLINK()")
    "'=HYPERLINK()"
    """
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        value = "; ".join(str(v) for v in value)
    elif isinstance(value, dict):
        value = json.dumps(value, ensure_ascii=False)
    value = str(value)
    if value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        value = "'" + value
    return value


def write_csv(records: list[dict[str, Any]], out: TextIO, columns: list[str] | None = None) -> None:
    columns = columns or (list(records[0]) if records else [])
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    for record in records:
        writer.writerow([csv_cell(record.get(c)) for c in columns])
    out.write(buf.getvalue())


def write_table(rows: list[list[str]], columns: list[str], out: TextIO, title: str | None = None) -> None:
    """A rich table (the only place colour is used)."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, show_lines=False, header_style="bold")
    for col in columns:
        table.add_column(col, overflow="fold")
    for row in rows:
        table.add_row(*row)
    Console(file=out).print(table)


def stderr_console(stream: TextIO | None = None):
    from rich.console import Console

    return Console(file=stream or sys.stderr, highlight=False)
