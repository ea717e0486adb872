"""JSON: one story object, or an array of them.

A file up to :data:`~indexer.formats.source.MAX_WHOLE_BYTES` is parsed
whole; a larger array is read one item at a time, so that memory stays
bounded by the largest item.
"""

from __future__ import annotations

import codecs
import json
from typing import Iterator

from indexer.formats.base import Format, Item
from indexer.formats.jsonl import json_error, record_piece
from indexer.formats.problems import FileProblem, Skip
from indexer.formats.source import MAX_SEGMENT_BYTES, MAX_WHOLE_BYTES, Source

_DECODER = json.JSONDecoder()
_SPACE = " \t\n\r"


def read_json(source: Source) -> Iterator[Item]:
    if source.gzip or source.size > MAX_WHOLE_BYTES:
        if source.head.lstrip(_SPACE + "\ufeff").startswith("["):
            yield from _stream_array(source)
            return
    try:
        text = source.text()
    except Skip as skip:
        if skip.kind == "size":
            raise Skip(skip.reason + "; a large JSON file must be an array of stories", "size") from None
        raise
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        yield FileProblem(source.path, f"not valid JSON ({json_error(exc, True)})", True, "json")
        return
    if isinstance(data, list):
        for i, obj in enumerate(data, 1):
            yield _item(source, obj, i)
    else:
        yield _item(source, data, None)


def _item(source: Source, obj, position: int | None) -> Item:
    piece = record_piece(obj, position) if isinstance(obj, dict) else None
    if piece is None:
        return FileProblem(source.path, "not a story object with text, body or headline, skipped",
                           False, "json", position or 1, "item")
    return piece


def _stream_array(source: Source) -> Iterator[Item]:
    """The items of a top-level array, decoded one at a time."""
    decoder = codecs.getincrementaldecoder("utf-16" if source.utf16 else "utf-8")(errors="replace")
    chunks = source.chunks()
    buf, pos, eof = "", 0, False

    def more() -> bool:
        nonlocal buf, pos, eof
        chunk = next(chunks, None)
        if chunk is None:
            eof = True
            buf = buf[pos:] + decoder.decode(b"", final=True)
        else:
            buf = buf[pos:] + decoder.decode(chunk)
        pos = 0
        return not eof

    def skip_space() -> None:
        nonlocal pos
        while True:
            while pos < len(buf) and buf[pos] in _SPACE + "\ufeff":
                pos += 1
            if pos < len(buf) or not more():
                return

    skip_space()
    pos += 1  # the opening [
    number = 0
    while True:
        skip_space()
        if pos >= len(buf):
            yield FileProblem(source.path, "the array is not closed", False, "json", number + 1, "item")
            return
        if buf[pos] == "]":
            return
        if number and buf[pos] == ",":
            pos += 1
            skip_space()
        number += 1
        while True:
            try:
                obj, end = _DECODER.raw_decode(buf, pos)
            except (json.JSONDecodeError, RecursionError) as exc:
                if not eof and len(buf) - pos <= MAX_SEGMENT_BYTES:
                    more()
                    continue
                reason = "larger than the longest story" if not eof else f"not valid JSON ({json_error(exc)})"
                yield FileProblem(source.path, f"{reason}; the rest of the file is not read",
                                  False, "json", number, "item")
                return
            if end >= len(buf) and not eof:  # a number may go on in the next chunk
                more()
                continue
            break
        pos = end
        yield _item(source, obj, number)


FORMAT = Format("json", read_json, extensions=(".json",), unit="item")
