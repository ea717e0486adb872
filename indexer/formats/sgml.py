"""LDC Gigaword-style SGML: one story a ``<DOC>``, read document by document.

The id (``AFP_FRE_20081105.0042``) gives the agency and the date; unclosed
tags end where the next element or document starts.
"""

from __future__ import annotations

import html
import re
from typing import Any, Iterator

from indexer.formats.base import Format, Item, Piece
from indexer.formats.problems import FileProblem
from indexer.formats.source import MAX_SEGMENT_BYTES, Source

_DOC_START = re.compile(rb"<DOC\b", re.IGNORECASE)
_DOC_RE = re.compile(r"<DOC\b([^>]*)>(.*?)(?=</DOC\s*>|<DOC\b|\Z)", re.IGNORECASE | re.DOTALL)
_ATTR_RE = re.compile(r"""(\w+)\s*=\s*(?:"([^"]*)"|'([^']*)'|(\S+))""")
_TAG_RE = re.compile(r"<[^<>]{0,200}>")
_GIGAWORD_ID = re.compile(r"^([A-Za-z]{2,4})_([A-Za-z]{3})_(\d{8})(?:\.\d+)?$")


def looks_like_sgml(head: str) -> bool:
    """A file that starts with a ``<DOC`` element.

    >>> looks_like_sgml('  <DOC id="x">'), looks_like_sgml("Titre <DOC>")
    (True, False)
    """
    return bool(re.match(r"\s*<DOC\b", head[:4096], re.IGNORECASE))


def _element(name: str, doc: str) -> str | None:
    m = re.search(rf"<{name}\b[^>]*>(.*?)(?:</{name}\s*>|(?=<(?:HEADLINE|DATELINE|TEXT)\b)|\Z)", doc,
                  re.IGNORECASE | re.DOTALL)
    return m.group(1) if m else None


def _clean(fragment: str) -> str:
    return html.unescape(_TAG_RE.sub(" ", fragment))


def doc_piece(segment: str, number: int, warnings: tuple[str, ...] = ()) -> Piece | None:
    """The story of one ``<DOC ...>...`` segment, or None if it holds no DOC."""
    m = _DOC_RE.match(segment)
    if not m:
        return None
    attrs = {a.group(1).lower(): next(g for g in a.groups()[1:] if g is not None)
             for a in _ATTR_RE.finditer(m.group(1))}
    doc = m.group(2)
    meta: dict[str, Any] = {}
    if attrs.get("id"):
        meta["id"] = attrs["id"]
        gw = _GIGAWORD_ID.match(attrs["id"])
        if gw:
            meta["agency"] = gw.group(1)
            meta["date"] = f"{gw.group(3)[:4]}-{gw.group(3)[4:6]}-{gw.group(3)[6:]}"
    if attrs.get("type"):
        meta["type"] = attrs["type"]
    headline = _element("HEADLINE", doc)
    dateline = _element("DATELINE", doc)
    body = _element("TEXT", doc)
    if body is None:
        body = _TAG_RE.sub("\n", re.sub(r"<(HEADLINE|DATELINE)\b.*?</\1\s*>", "", doc, flags=re.I | re.S))
    paragraphs = re.findall(r"<P\b[^>]*>(.*?)(?=</P\s*>|<P\b|\Z)", body, re.IGNORECASE | re.DOTALL)
    if paragraphs:
        paras = [" ".join(_clean(p).split()) for p in paragraphs]
    else:
        paras = [" ".join(p.split()) for p in re.split(r"\n\s*\n", _clean(body))]
    paras = [p for p in paras if p]
    head = " ".join(_clean(headline).split()) if headline else ""
    if head:
        meta["headline"] = head
    line = " ".join(_clean(dateline).split()) if dateline else ""
    if line and paras:
        paras[0] = f"{line} - {paras[0]}" if not re.search(r"[-–—]\s*$", line) else f"{line} {paras[0]}"
    return Piece("\n\n".join(([head] if head else []) + paras), meta, number, warnings)


def read_sgml(source: Source) -> Iterator[Item]:
    number = 0
    for segment, warning in source.segments(_DOC_START, keep=True):
        if segment is None:
            number += 1
            yield FileProblem(source.path, f"longer than {MAX_SEGMENT_BYTES // 2**20} MB, not a wire story, "
                              "skipped", False, "size", number, "story")
            continue
        if not _DOC_RE.match(segment):
            continue  # what comes before the first <DOC
        number += 1
        yield doc_piece(segment, number, (warning,) if warning else ())


FORMAT = Format("sgml", read_sgml, extensions=(".sgml", ".sgm"), sniff=lambda source: looks_like_sgml(source.head),
                unit="story")
