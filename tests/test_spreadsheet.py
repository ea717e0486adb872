"""Spreadsheets: ``--format csv-fr`` and ``--format xlsx``, read back as a
spreadsheet would read them (the csv module with ``;`` and the BOM; the
workbook's XML by the standard library)."""

from __future__ import annotations

import csv
import io
import zipfile
from xml.etree import ElementTree

from search import render
from search.spreadsheet import XLSX_CELL_LIMIT, write_spreadsheet
from tests.cli_run import run

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
TEMPETE = "66ccddedd7311a7c"


def read_xlsx(data: bytes) -> list[list]:
    """The first sheet's rows: strings (shared or inline) and numbers."""
    book = zipfile.ZipFile(io.BytesIO(data))
    shared = []
    if "xl/sharedStrings.xml" in book.namelist():
        root = ElementTree.fromstring(book.read("xl/sharedStrings.xml"))
        shared = ["".join(t.text or "" for t in si.iter(f"{{{NS['m']}}}t")) for si in root.findall("m:si", NS)]
    sheet = ElementTree.fromstring(book.read("xl/worksheets/sheet1.xml"))
    rows = []
    for row in sheet.iter(f"{{{NS['m']}}}row"):
        cells = []
        for c in row.findall("m:c", NS):
            kind, v = c.get("t"), c.find("m:v", NS)
            if kind == "s":
                cells.append(shared[int(v.text)])
            elif kind == "inlineStr":
                cells.append("".join(t.text or "" for t in c.iter(f"{{{NS['m']}}}t")))
            elif kind == "str":
                cells.append(v.text)
            else:
                cells.append(float(v.text) if v is not None else None)
        rows.append(cells)
    return rows


class BinaryOut(io.TextIOWrapper):
    """A text stream over bytes, like sys.stdout redirected to a file."""

    def __init__(self):
        super().__init__(io.BytesIO(), encoding="utf-8")


def test_csv_fr_opens_as_a_french_spreadsheet_reads_it(ix):
    code, out, _ = run("search", "tempête", "--format", "csv-fr", "--index", ix)
    assert code == 0 and out.startswith("\ufeffid;headline;")
    assert "\r\n" in out
    rows = list(csv.reader(io.StringIO(out.encode("utf-8").decode("utf-8-sig"), newline=""), delimiter=";"))
    header = rows[0]
    assert header == [c for c in render.HIT_COLUMNS if c != "highlights"]
    assert len(rows) == 6 and all(len(r) == len(header) for r in rows)
    first = dict(zip(header, rows[1]))
    assert first["id"] == TEMPETE and first["places"] == "Brest | Rennes" and first["versions"] == "3"
    assert "\n\n" in first["body"]                     # paragraphs kept inside one quoted cell
    # The script CSV is unchanged: commas, no BOM, the offsets column.
    _, plain, _ = run("search", "tempête", "--format", "csv", "--index", ix)
    assert plain.startswith("id,headline,") and "highlights" in plain.splitlines()[0]


def test_csv_fr_neutralises_formulas_and_separators():
    out = io.StringIO()
    write_spreadsheet("csv-fr", [{"a": "=SOMME(A1)", "b": "x;y", "c": ["p", "q"], "highlights": [[1, 2]]}], out)
    rows = list(csv.reader(io.StringIO(out.getvalue()[1:], newline=""), delimiter=";"))
    assert rows == [["a", "b", "c"], ["'=SOMME(A1)", "x;y", "p | q"]]


def test_xlsx_reads_back_with_typed_cells(ix):
    out = BinaryOut()
    from search.cli import main

    assert main(["search", "tempête", "--format", "xlsx", "--index", ix], out=out, err=io.StringIO()) == 0
    rows = read_xlsx(out.buffer.getvalue())
    header = rows[0]
    assert header == [c for c in render.HIT_COLUMNS if c != "highlights"] and len(rows) == 6
    first = dict(zip(header, rows[1]))
    assert first["id"] == TEMPETE and first["versions"] == 3.0 and first["places"] == "Brest | Rennes"
    assert first["headline"].startswith("Tempête en Bretagne")


def test_xlsx_cells_are_never_formulas_and_long_text_is_cut():
    out = BinaryOut()
    write_spreadsheet("xlsx", [{"a": "=HYPERLINK(\"http://x\")", "b": "x" * 40_000, "c": "\x1b]0;t\x07"}], out)
    rows = read_xlsx(out.buffer.getvalue())
    assert rows[1][0] == "=HYPERLINK(\"http://x\")"        # a string cell, not a formula
    assert len(rows[1][1]) == XLSX_CELL_LIMIT and rows[1][1].endswith("…")
    assert rows[1][2] == "␛]0;t␇"
    book = zipfile.ZipFile(io.BytesIO(out.buffer.getvalue()))
    assert b"<f>" not in book.read("xl/worksheets/sheet1.xml")


def test_xlsx_is_refused_where_it_cannot_go(ix):
    code, out, err = run("search", "tempête", "--format", "xlsx", "--index", ix)   # a text-only stream
    assert code == 2 and out == ""
    assert err == "depeche: error: xlsx is a binary file, not for a terminal (redirect it: > results.xlsx)\n"


def test_facets_and_export_offer_the_spreadsheet_formats(ix):
    code, out, _ = run("facets", "--field", "agency", "--format", "csv-fr", "--index", ix)
    assert code == 0 and out.splitlines()[:2] == ["\ufeffvalue;count", "AFP;24"]  # story groups
    code, out, _ = run("export", "--format", "csv-fr", "--index", ix)
    assert code == 0 and len(list(csv.reader(io.StringIO(out[1:], newline=""), delimiter=";"))) == 103
