"""Nexis Uni's DOCX exports: every document of a download saved as Word.

A DOCX is a ZIP container; its text is ``word/document.xml``, a sequence of
paragraphs (``w:p``) of runs (``w:r``/``w:t``). Nexis Uni writes each
document as paragraphs: the headline, the publication, the date line, the
copyright line, labelled lines (``Section:``, ``Length:``, ``Byline:``), a
``Body`` heading, the text, a ``Classification`` heading, labelled lines
and ``End of Document`` (a cover page comes first). The paragraphs are
streamed with lxml's ``iterparse`` (no DTD, no entities, no network), one
document at a time, and each document's lines are read by
:func:`indexer.formats.nexis.document_fields`, as the HTML reader does.

No DOCX library is used: python-docx builds the whole document tree in
memory (an export holds hundreds of articles); ``zipfile`` and ``iterparse``
read it streamed, with what the project already depends on.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from typing import Iterator

from lxml import etree

from indexer.formats import nexis
from indexer.formats.base import Format, Item
from indexer.formats.problems import FileProblem
from indexer.formats.source import MAX_WHOLE_BYTES, Source

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_END = re.compile(r"^End of Document$", re.IGNORECASE)
#: The largest ``document.xml`` read (decompressed): a ZIP bomb is refused unread.
MAX_DOCUMENT_XML = 16 * MAX_WHOLE_BYTES
#: The most lines one document may have before it is cut (a file without ``End of Document``).
MAX_LINES = 20_000


_T, _TAB, _BR, _CR, _P = f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr", f"{_W}p"


def paragraph_text(p) -> str:
    """The text of one ``w:p``: its ``w:t`` runs, tabs and breaks as spaces."""
    parts = []
    for e in p.iter():  # one pass over every element: faster than lxml's filter on four tags
        tag = e.tag
        if tag == _T:
            parts.append(e.text or "")
        elif tag == _TAB or tag == _BR or tag == _CR:
            parts.append(" ")
    return " ".join("".join(parts).split())  # squash()


def docx_lines(stream) -> Iterator[str]:
    """The paragraphs of a ``word/document.xml`` stream, one at a time."""
    for _, p in etree.iterparse(stream, events=("end",), tag=_P, resolve_entities=False, no_network=True,
                                load_dtd=False, huge_tree=False, remove_comments=True, remove_pis=True):
        yield paragraph_text(p)
        p.clear(keep_tail=False)
        parent = p.getparent()
        if parent is not None:  # drop the paragraphs already read
            while p.getprevious() is not None:
                del parent[0]


def read_nexis_docx(source: Source) -> Iterator[Item]:
    """Every document of a Nexis Uni DOCX export, in file order (positions from 1)."""
    try:
        archive = zipfile.ZipFile(source.path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        yield FileProblem(source.path, f"not a readable DOCX file ({exc}), skipped", True, "docx")
        return
    with archive:
        try:
            info = archive.getinfo("word/document.xml")
        except KeyError:
            yield FileProblem(source.path, "a ZIP file without word/document.xml: not a DOCX file, skipped",
                              True, "docx")
            return
        if info.file_size > MAX_DOCUMENT_XML:
            yield FileProblem(source.path, f"its text would be {info.file_size / 1e6:.0f} MB once unpacked "
                              f"(more than {MAX_DOCUMENT_XML / 1e6:.0f} MB), not read", True, "size")
            return
        yield from _documents(source.path, archive, info)


_BROKEN = "nexis: the file breaks inside this document: it may be truncated"
_UNENDED = "nexis: the document has no 'End of Document': it may be truncated"


def _documents(path: str, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[Item]:
    position = 0
    lines: list[str] = []
    try:
        with archive.open(info) as stream:
            for line in docx_lines(stream):
                if not line:
                    continue
                if len(line) != 15 or not _END.match(line):  # 15: "End of Document"
                    lines.append(line)
                    if len(lines) < MAX_LINES:
                        continue
                position += 1
                yield from nexis.document_items(path, lines, position, None, uni=True)
                lines = []
    except (etree.XMLSyntaxError, zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, RuntimeError) as exc:
        if lines:
            position += 1
            yield from nexis.document_items(path, lines, position, _BROKEN, uni=True)
        yield FileProblem(path, f"docx: the text cannot be read past this point ({type(exc).__name__}: {exc})",
                          False, "docx", position or None, "document")
        return
    if lines and position:
        position += 1
        yield from nexis.document_items(path, lines, position, _UNENDED, uni=True)
    if position == 0:
        yield FileProblem(path, "a DOCX without any Nexis document (no 'End of Document'), skipped", True, "nexis")


FORMAT = Format("nexis-docx", read_nexis_docx, extensions=(".docx",), unit="document")


__all__ = ["FORMAT", "docx_lines", "paragraph_text", "read_nexis_docx"]
