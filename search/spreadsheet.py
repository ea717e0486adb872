"""Rows for a spreadsheet: ``--format csv-fr`` and ``--format xlsx``.

``--format csv`` stays what scripts read (``,``, no BOM, every column).
A French spreadsheet (LibreOffice Calc, Excel set to French) reads a CSV
file by its locale: ``;`` between cells (``,`` is the decimal comma) and,
without a byte-order mark, a legacy code page instead of UTF-8. So:

- ``csv-fr``: ``;`` between cells, a UTF-8 BOM, CRLF line ends, lists
  joined by `` | `` (``;`` would read as a cell break), and without the
  ``highlights`` column (character offsets into the snippet: noise in a
  sheet). Cells are neutralised as ``csv`` neutralises them (formula starts,
  control characters).
- ``xlsx``: a workbook written by **XlsxWriter** (typed cells, no separator
  or encoding to guess, a frozen header row with filters). Strings are
  never read as formulas, links or numbers; a cell holds at most
  :data:`XLSX_CELL_LIMIT` characters (Excel's limit): a longer text is cut
  there and ends with ``…``.
"""

from __future__ import annotations

import json
from typing import Any, Iterable, TextIO

from search.output import csv_cell, isatty, printable

#: The columns left out of spreadsheets (offsets into the snippet).
NOISE_COLUMNS = ("highlights",)
#: The most characters a cell of Excel holds.
XLSX_CELL_LIMIT = 32_767
#: The most rows of a sheet (header included).
XLSX_ROW_LIMIT = 1_048_576


def sheet_columns(columns: list[str]) -> list[str]:
    """The columns of a spreadsheet: ``columns`` without the noise.

    >>> sheet_columns(["id", "snippet", "highlights", "versions"])
    ['id', 'snippet', 'versions']
    """
    return [c for c in columns if c not in NOISE_COLUMNS]


def write_spreadsheet(fmt: str, records: Iterable[dict[str, Any]], out: TextIO,
                      columns: list[str] | None = None) -> None:
    """Write ``records`` as ``csv-fr`` or ``xlsx`` (``columns``: default the
    first record's keys)."""
    records = iter(records)
    first = None
    if columns is None:
        first = next(records, None)
        columns = list(first) if first is not None else []
    rows = ([first] if first is not None else []) + [r for r in records]
    columns = sheet_columns(columns)
    if fmt == "csv-fr":
        write_csv_fr(rows, out, columns)
    else:
        binary = getattr(out, "buffer", None)
        if binary is None or isatty(out):
            from search.cli_common import UsageError

            raise UsageError("xlsx is a binary file, not for a terminal", hint="redirect it: > results.xlsx")
        out.flush()
        write_xlsx(rows, binary, columns)
        binary.flush()


def csv_fr_cell(value: Any) -> str:
    """A ``csv-fr`` cell: lists joined by `` | ``, else as ``csv``.

    >>> csv_fr_cell(["Paris", "Lyon"]), csv_fr_cell("=1+1")
    ('Paris | Lyon', "'=1+1")
    """
    if isinstance(value, (list, tuple)):
        value = " | ".join(str(v) for v in value)
    return csv_cell(value)


def _csv_fr_line(cells: Iterable[str]) -> str:
    return ";".join(f'"{c.replace(chr(34), chr(34) * 2)}"' if any(ch in c for ch in ';"\r\n') else c
                    for c in cells) + "\r\n"


def write_csv_fr(rows: Iterable[dict[str, Any]], out: TextIO, columns: list[str]) -> None:
    """A BOM, a header and one ``;``-separated line a record."""
    out.write("\ufeff" + _csv_fr_line(csv_fr_cell(c) for c in columns))
    for row in rows:
        out.write(_csv_fr_line(csv_fr_cell(row.get(c)) for c in columns))


def xlsx_value(value: Any) -> Any:
    """A cell's value: numbers stay numbers, lists are joined by `` | ``,
    text has its control characters made visible and is cut at the limit.

    >>> xlsx_value(3), xlsx_value(["a", "b"]), xlsx_value(None), len(xlsx_value("x" * 40_000))
    (3, 'a | b', '', 32767)
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, (list, tuple)):
        value = " | ".join(str(v) for v in value)
    elif isinstance(value, dict):
        value = json.dumps(value, ensure_ascii=False)
    text = printable(str(value), multiline=True)
    if len(text) > XLSX_CELL_LIMIT:
        text = text[: XLSX_CELL_LIMIT - 1] + "…"
    return text


def write_xlsx(rows: list[dict[str, Any]], binary, columns: list[str]) -> None:
    """A workbook of one sheet: a bold, frozen header with filters, a row a record."""
    import xlsxwriter

    if len(rows) + 1 > XLSX_ROW_LIMIT:
        from search.cli_common import UsageError

        raise UsageError(f"{len(rows):,} rows: more than a sheet holds ({XLSX_ROW_LIMIT - 1:,})",
                         hint="use --format csv-fr or jsonl")
    book = xlsxwriter.Workbook(binary, {"in_memory": True, "strings_to_formulas": False,
                                        "strings_to_urls": False, "strings_to_numbers": False})
    sheet = book.add_worksheet("depeche")
    bold = book.add_format({"bold": True})
    for col, name in enumerate(columns):
        sheet.write_string(0, col, name, bold)
    widths = [len(c) for c in columns]
    for n, row in enumerate(rows, 1):
        for col, name in enumerate(columns):
            value = xlsx_value(row.get(name))
            if isinstance(value, str):
                sheet.write_string(n, col, value)
                widths[col] = max(widths[col], min(60, len(value)))
            else:
                sheet.write_number(n, col, value)
                widths[col] = max(widths[col], len(str(value)))
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width + 2)
    sheet.freeze_panes(1, 0)
    if columns:
        sheet.autofilter(0, 0, max(1, len(rows)), len(columns) - 1)
    book.close()
