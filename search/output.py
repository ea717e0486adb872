"""What every command prints: the output formats, their defaults, the writers.

The rule, declared once here and shared by every command (``--format``):

- on a terminal, a table (``table``), drawn by :mod:`search.render`;
- piped, a command that prints a *stream of records* (``parse``, ``export``)
  writes JSON Lines (``jsonl``), one record a line; a command that prints
  *one result* (``search``, ``show``, ``versions``, ``similar``, ``facets``,
  ``stats``) writes one JSON document (``json``);
- ``--format`` chooses among the formats a command offers (:data:`STREAM`,
  :data:`RESULT`, ...).

Output for scripts is stable (the Story record's field names, UTF-8).
Text from a story never reaches a terminal raw (``DESIGN.md``): every
format neutralises control characters, each its own way:

- ``table`` and messages: :func:`printable` replaces each control character
  (C0 but tab and, in multi-line text, newline; DEL; C1) by one visible
  character (``\\x1b`` becomes ``␛``), so escape sequences cannot move the
  cursor, set a window title, write the clipboard or forge a line;
- ``json``/``jsonl``: JSON's own escapes (``\\u001b``), C1 and DEL included;
- ``yaml``: PyYAML escapes them in double-quoted scalars (``\\e``, ``\\x9B``);
- ``csv``: no escape syntax exists, so control characters other than tab, CR
  and LF are replaced as in a table; a cell holding CR or LF is quoted, and a
  cell that a spreadsheet would read as a formula starts with ``'``.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from typing import Any, Callable, Iterable, TextIO

import yaml

FORMATS = ("table", "jsonl", "json", "csv", "yaml")
#: Corpora for the text-analysis tools researchers use next (stories only).
CORPUS_FORMATS = ("iramuteq", "txm")
#: Rows for a spreadsheet (:mod:`search.spreadsheet`): CSV as a French
#: spreadsheet opens it (``;``, a UTF-8 BOM, no offsets column), and xlsx.
SPREADSHEET_FORMATS = ("csv-fr", "xlsx")


# ------------------------------------------------------------------ formats

@dataclass(frozen=True)
class OutputSpec:
    """The formats one command offers and the one it writes when piped."""

    formats: tuple[str, ...]
    piped: str

    @property
    def terminal(self) -> str:
        """The default on a terminal: a table if the command draws one."""
        return "table" if "table" in self.formats else self.piped

    def help(self) -> str:
        where = f"{self.terminal} on a terminal, {self.piped} otherwise"
        return f"output format (default: {where})" if self.terminal != self.piped else \
            f"output format (default: {self.piped})"


#: A stream of records: JSON Lines when piped.
STREAM = OutputSpec(FORMATS + SPREADSHEET_FORMATS, "jsonl")
#: One result: JSON when piped.
RESULT = OutputSpec(FORMATS + SPREADSHEET_FORMATS, "json")
#: A search: one result, or its stories as a corpus for IRaMuTeQ or TXM.
SEARCH = OutputSpec(FORMATS + CORPUS_FORMATS + SPREADSHEET_FORMATS, "json")
#: Every stored story: a stream, never a table.
EXPORT = OutputSpec(("jsonl", "json", "csv", "yaml") + CORPUS_FORMATS + SPREADSHEET_FORMATS, "jsonl")
#: Counts over the index: one result, a table or JSON.
SUMMARY = OutputSpec(("table", "json"), "json")


def plural(n: int, word: str) -> str:
    """``word`` as ``n`` of it takes it (``story`` -> ``stories``).

    >>> plural(1, "story"), plural(2, "story"), plural(0, "file"), plural(2, "story group")
    ('story', 'stories', 'files', 'story groups')
    """
    if n == 1:
        return word
    return word[:-1] + "ies" if word.endswith("y") and word[-2:-1] not in "aeiou" else word + "s"


def counted(n: int, word: str) -> str:
    """``n`` and ``word`` in agreement, the number with thousands separators.

    >>> counted(1, "story"), counted(2365, "story"), counted(1, "file")
    ('1 story', '2,365 stories', '1 file')
    """
    return f"{n:,} {plural(n, word)}"


def add_format_option(parser, spec: OutputSpec) -> None:
    """Add ``--format`` to a command's parser, its choices and help from ``spec``."""
    parser.add_argument("--format", choices=spec.formats, help=spec.help())
    parser.set_defaults(output_spec=spec)


def chosen_format(args, out: TextIO) -> str:
    """The format a command writes: ``--format``, else its spec's default for ``out``."""
    spec: OutputSpec = getattr(args, "output_spec", RESULT)
    return args.format or (spec.terminal if isatty(out) else spec.piped)


def default_format(stream: TextIO) -> str:
    """``table`` on a terminal, ``jsonl`` when piped (a stream's default)."""
    return STREAM.terminal if isatty(stream) else STREAM.piped


def isatty(stream: TextIO) -> bool:
    """Whether ``stream`` is a terminal (false for anything without a file)."""
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def write_output(fmt: str, out: TextIO, records: Iterable[dict[str, Any]], *,
                 result: Any = None, columns: list[str] | None = None,
                 table: Callable[[], None] | None = None) -> None:
    """Write what a command prints in ``fmt``, by the one rule:

    ``records`` are the rows of ``jsonl`` and ``csv`` (``columns``: the CSV
    header, default the first record's keys); ``result`` is the document of
    ``json`` and ``yaml`` (default: the list of records); ``table`` draws the
    ``table``; ``iramuteq`` and ``txm`` write the records' stories as a
    corpus. Records may be a generator: ``jsonl``, ``iramuteq`` and ``txm``
    write them as they come.
    """
    if fmt == "jsonl":
        write_jsonl(records, out)
    elif fmt == "csv":
        write_csv(records, out, columns)
    elif fmt in ("json", "yaml"):
        data = result if result is not None else list(records)
        (write_json if fmt == "json" else write_yaml)(data, out)
    elif fmt in SPREADSHEET_FORMATS:
        from search import spreadsheet

        spreadsheet.write_spreadsheet(fmt, records, out, columns)
    elif fmt == "iramuteq":
        write_iramuteq(records, out)
    elif fmt == "txm":
        write_txm(records, out)
    elif fmt == "table":
        if table is None:
            raise ValueError("this command draws no table")
        table()
    else:
        raise ValueError(f"unknown output format {fmt!r}")


# ------------------------------------------------------------------ text for a terminal

def _control_table(multiline: bool) -> dict[int, str]:
    table = {c: chr(0x2400 + c) for c in range(0x20)}    # ␀ ... ␟
    table[0x7F] = "\u2421"                                # ␡
    table.update({c: "\ufffd" for c in range(0x80, 0xA0)})  # C1: CSI, OSC, NEL...
    del table[0x09]                                       # tab
    if multiline:
        del table[0x0A]
    return table


_LINE = _control_table(False)
_TEXT = _control_table(True)


def printable(text: Any, multiline: bool = False) -> str:
    """``text`` with every control character replaced by a visible one, one
    for one (so offsets into the text, such as highlights, stay valid).
    Newlines are kept only in ``multiline`` text; tabs are kept.

    >>> printable("Titre\\x1b]0;pwned\\x07 \\x9b2J")
    'Titre␛]0;pwned␇ �2J'
    >>> printable("a.txt\\nskipped: b.txt"), printable("ligne 1\\nligne 2", multiline=True)
    ('a.txt␊skipped: b.txt', 'ligne 1\\nligne 2')
    """
    return str(text).translate(_TEXT if multiline else _LINE)


# ------------------------------------------------------------------ writers

#: DEL and C1 characters, which json.dumps(ensure_ascii=False) leaves raw.
_JSON_RAW = {c: f"\\u{c:04x}" for c in (0x7F, *range(0x80, 0xA0))}


def _dumps(data: Any, **kwargs) -> str:
    # Outside strings JSON is ASCII, so the escape is right wherever the
    # character stands: the same document, with no raw control character.
    return json.dumps(data, ensure_ascii=False, **kwargs).translate(_JSON_RAW)


def write_jsonl(records: Iterable[dict[str, Any]], out: TextIO) -> None:
    for record in records:
        out.write(_dumps(record) + "\n")


def write_json(data: Any, out: TextIO) -> None:
    out.write(_dumps(data, indent=2) + "\n")


def write_yaml(data: Any, out: TextIO) -> None:
    yaml.safe_dump(data, out, allow_unicode=True, sort_keys=False, width=100)


#: Control characters replaced in CSV cells (tab, CR and LF are data there).
_CSV_CONTROLS = {c: s for c, s in _LINE.items() if c not in (0x0A, 0x0D)}
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def csv_cell(value: Any) -> str:
    """A CSV cell: lists joined by ``; ``, formula starts neutralised,
    control characters made visible.

    >>> csv_cell(["A", "B"])
    'A; B'
    >>> csv_cell("=HYPERLINK()"), csv_cell("\\r=1+1")
    ("'=HYPERLINK()", "'\\r=1+1")
    """
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        value = "; ".join(str(v) for v in value)
    elif isinstance(value, dict):
        value = json.dumps(value, ensure_ascii=False)
    value = str(value).translate(_CSV_CONTROLS)
    if value.startswith(_FORMULA_STARTS):
        value = "'" + value
    return value


def csv_line(cells: Iterable[str]) -> str:
    """One CSV line (``\\n``-terminated): a cell holding a comma, a quote, CR
    or LF is quoted, its quotes doubled. (The csv module quotes only the
    characters of its line terminator, so a lone CR went out unquoted and a
    spreadsheet split the row there.)

    >>> csv_line(["a", "b,c", 'd"e', "f\\rg", ""])
    'a,"b,c","d""e","f\\rg",\\n'
    """
    return ",".join(f'"{c.replace(chr(34), chr(34) * 2)}"' if _needs_quotes(c) else c for c in cells) + "\n"


def _needs_quotes(cell: str) -> bool:
    return any(ch in cell for ch in ',"\r\n')


class CsvWriter:
    """CSV rows under one header, written once, whatever the number of calls."""

    def __init__(self, out: TextIO, columns: list[str]):
        self.out, self.columns = out, list(columns)
        out.write(csv_line(csv_cell(c) for c in self.columns))

    def write(self, records: Iterable[dict[str, Any]]) -> None:
        for record in records:
            self.out.write(csv_line(csv_cell(record.get(c)) for c in self.columns))


def write_csv(records: Iterable[dict[str, Any]], out: TextIO, columns: list[str] | None = None) -> None:
    """A header and one line a record (``columns``: default the first record's keys)."""
    records = iter(records)
    first = None
    if columns is None:
        first = next(records, None)
        columns = list(first) if first is not None else []
    writer = CsvWriter(out, columns)
    if first is not None:
        writer.write([first])
    writer.write(records)


def stderr_console(stream: TextIO | None = None):
    from rich.console import Console

    return Console(file=stream or sys.stderr, highlight=False)


# ------------------------------------------------------------------ corpora for text analysis

#: The story fields that become IRaMuTeQ variables and TXM attributes, with
#: the derived ``year`` and ``month``.
CORPUS_VARIABLES = ("agency", "publication", "date", "year", "month", "section")


def _corpus_values(record: dict[str, Any]) -> dict[str, str]:
    date = record.get("date") or ""
    values = {
        "agency": record.get("agency") or "", "publication": record.get("publication") or "",
        "date": date, "year": date[:4], "month": date[:7], "section": record.get("section") or "",
    }
    return {k: printable(v) for k, v in values.items() if v}


def iramuteq_modality(value: str) -> str:
    """A value as an IRaMuTeQ modality: ASCII letters, digits, ``-`` and ``_``
    (IRaMuTeQ reads a space as the end of the variable, ``*`` as a new one).

    >>> iramuteq_modality("Le Monde"), iramuteq_modality("AFP Infos Françaises"), iramuteq_modality("2016-06")
    ('Le_Monde', 'AFP_Infos_Francaises', '2016-06')
    """
    from unidecode import unidecode

    out = "".join(c if c.isalnum() or c in "-_" else "_" for c in unidecode(value))
    return "_".join(p for p in out.split("_") if p) or "NA"


def _corpus_text(record: dict[str, Any]) -> str:
    parts = [record.get("headline") or "", record.get("body") or ""]
    return printable("\n\n".join(p for p in parts if p), multiline=True)


def write_iramuteq(records: Iterable[dict[str, Any]], out: TextIO) -> None:
    """Stories as an IRaMuTeQ corpus: each text opens with its line of
    starred variables (``**** *agency_AFP *date_2016-06-03 ...``), then its
    headline and body. A ``*`` in the text would start a variable, a line
    opening with ``****`` a text: both become spaces.
    """
    for record in records:
        values = _corpus_values(record)
        stars = " ".join(f"*{name}_{iramuteq_modality(values[name])}" for name in CORPUS_VARIABLES if name in values)
        text = _corpus_text(record).replace("*", " ")
        out.write(f"**** {stars}".rstrip() + "\n" + text + "\n\n")


def write_txm(records: Iterable[dict[str, Any]], out: TextIO) -> None:
    """Stories as an XML corpus TXM imports (XML/w + CSV or XML-TEI Zero):
    a ``<corpus>`` of ``<text>`` elements whose attributes are the metadata
    (``id``, ``agency``, ``publication``, ``date``, ``year``, ``month``,
    ``section``), holding the headline as ``<head>`` and one ``<p>`` a paragraph.
    """
    from xml.sax.saxutils import escape, quoteattr

    out.write('<?xml version="1.0" encoding="UTF-8"?>\n<corpus>\n')
    for record in records:
        attrs = {"id": printable(record.get("id") or ""), **_corpus_values(record)}
        out.write("<text " + " ".join(f"{k}={quoteattr(_xml_safe(v))}" for k, v in attrs.items()) + ">\n")
        if record.get("headline"):
            out.write(f"<head>{escape(_xml_safe(printable(record['headline'])))}</head>\n")
        for para in (record.get("body") or "").split("\n\n"):
            if para.strip():
                out.write(f"<p>{escape(_xml_safe(printable(' '.join(para.split()))))}</p>\n")
        out.write("</text>\n")
    out.write("</corpus>\n")


def _xml_safe(text: str) -> str:
    """Text without the characters XML 1.0 cannot hold (the control
    pictures of :func:`printable` stand in for C0; U+FFFE/FFFF go)."""
    return "".join(c for c in text if c not in "\ufffe\uffff")
