"""The formats Dépêche reads, and how a file's format is chosen.

Adding a format is one module declaring a
:class:`~indexer.formats.base.Format` and one line in :data:`FORMATS`.
A file's format is the first whose ``extensions`` end its name (``.gz``
aside), else the first whose ``sniff`` accepts its head, else plain text.
"""

from __future__ import annotations

from indexer.formats import europresse, factiva, feeds, html_page, json_file, jsonl, nexis, nexis_docx, plain, sgml
from indexer.formats.base import Format

#: In order of precedence for sniffing; plain text is the fallback. The press-database
#: exports (Europresse, Factiva, Nexis) come before the generic HTML page, which would take them.
FORMATS: tuple[Format, ...] = (jsonl.FORMAT, json_file.FORMAT, sgml.FORMAT, feeds.NEWSML_G2, feeds.NEWSML_12,
                               feeds.NITF, europresse.FORMAT, factiva.FORMAT, nexis.FORMAT, nexis_docx.FORMAT,
                               html_page.FORMAT)
FALLBACK: Format = plain.FORMAT


def choose_format(path: str, source) -> Format:
    """The format of a file, from its name, else its content (``source``: an
    open :class:`~indexer.formats.source.Source`).

    >>> from types import SimpleNamespace
    >>> def head(text): return SimpleNamespace(head=text, head_bytes=text.encode())
    >>> choose_format("a/b.jsonl.gz", head("")).name, choose_format("x.txt", head('<DOC id="a">')).name
    ('jsonl', 'sgml')
    >>> choose_format("page", head("<!DOCTYPE html><html>")).name, choose_format("a.txt", head("Titre")).name
    ('html', 'text')
    >>> choose_format("afp.xml", head('<?xml version="1.0"?><NewsML>')).name
    'newsml-1.2'
    >>> choose_format("export.HTML", head('<html><body><article><header><div class="rdp__DocPublicationName">')).name
    'europresse'
    """
    name = path.lower()
    if name.endswith(".gz"):
        name = name[:-3]
    for fmt in FORMATS:
        if fmt.extensions and name.endswith(fmt.extensions):
            return fmt
    for fmt in FORMATS:
        if fmt.sniff is not None and fmt.sniff(source):
            return fmt
    return FALLBACK
