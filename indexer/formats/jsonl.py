"""JSON Lines: one story object a line, read line by line (any file size)."""

from __future__ import annotations

import json
import re
from typing import Iterator

from indexer.formats.base import Format, Item, Piece
from indexer.formats.problems import FileProblem
from indexer.formats.source import MAX_SEGMENT_BYTES, Source

_NEWLINE = re.compile(rb"\n")


def record_piece(obj: dict, position: int | None, warnings: tuple[str, ...] = ()) -> Piece | None:
    """A story object's text (``text``, else ``body``; a list of paragraphs
    is joined) and its other keys as metadata; None when it has neither a
    text nor a headline.

    >>> record_piece({"id": "a", "body": ["Un.", "Deux."]}, 1).text
    'Un.\\n\\nDeux.'
    >>> record_piece({"id": "a"}, 1) is None
    True
    """
    text = obj.get("text")
    if text is None:
        text = obj.get("body")
    if isinstance(text, list):
        text = "\n\n".join(str(t) for t in text)
    meta = {k: v for k, v in obj.items() if k not in ("text", "body")}
    if not isinstance(text, str):
        if not isinstance(meta.get("headline") or meta.get("title"), str):
            return None
        text = ""  # a headline alone is a story (a flash)
    return Piece(text, meta, position, warnings)


def json_error(exc: Exception, with_line: bool = False) -> str:
    if not isinstance(exc, json.JSONDecodeError):
        return "nested too deeply"
    return f"line {exc.lineno}: {exc.msg}" if with_line else f"{exc.msg}, column {exc.colno}"


def read_jsonl(source: Source) -> Iterator[Item]:
    for lineno, (line, warning) in enumerate(source.segments(_NEWLINE), 1):
        if line is None:
            yield FileProblem(source.path, f"longer than {MAX_SEGMENT_BYTES // 2**20} MB, not a wire story, "
                              "skipped", False, "size", lineno, "line")
            continue
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except (json.JSONDecodeError, RecursionError) as exc:
            yield FileProblem(source.path, f"not valid JSON ({json_error(exc)}), skipped", False, "json", lineno)
            continue
        if not isinstance(obj, dict):
            yield FileProblem(source.path, "not a JSON object, skipped", False, "json", lineno)
            continue
        piece = record_piece(obj, lineno, (warning,) if warning else ())
        if piece is None:
            yield FileProblem(source.path, "no text, body or headline, skipped", False, "json", lineno)
            continue
        yield piece


FORMAT = Format("jsonl", read_jsonl, extensions=(".jsonl", ".ndjson"), unit="line")
