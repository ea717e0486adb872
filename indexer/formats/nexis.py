"""Nexis HTML exports (LexisNexis Academic, Nexis, Nexis Uni): every document of a download.

Two layouts:

- **classic** (LexisNexis, nexis.com): each document opens with a line
  ``1 of 49 DOCUMENTS`` (``1 sur 49 DOCUMENTS``, ``Document 1 de 49``,
  ``Dokument 1 von 49``), often after a ``<DOC NUMBER=1>`` comment; then
  the publication, the date line, the headline, labelled lines
  (``SECTION:``/``RUBRIQUE:``, ``LENGTH:``/``LONGUEUR:``,
  ``BYLINE:``/``AUTEUR:``...), the body, more labelled lines
  (``SUBJECT:``/``SUJET:`` with percentages, ``GEOGRAPHIC:``/
  ``LOCALISATION-GEO:``, ``LANGUAGE:``/``LANGUE:``, ``LOAD-DATE:``/
  ``DATE-CHARGEMENT:``...) and a copyright line;
- **Nexis Uni**: each document ends with ``End of Document``: the
  headline, the publication, the date line, a copyright line,
  ``Section:``, ``Length:``, ``Byline:``, a ``Body`` heading, the body, a
  ``Classification`` heading, then ``Language:``, ``Subject:``...

The file is read document by document (bounded memory), each parsed by a
hardened lxml HTML parser into lines, then read by
:func:`document_fields` (which a DOCX reader could share). See
docs/formats.md for the whole mapping.
"""

from __future__ import annotations

import re
from typing import Iterator

from indexer.formats.base import Format, Item, Piece
from indexer.formats.exports import (authors, element_lines, fold, has_dateline, index_terms, is_copyright,
                                     language_code, parse_html, publication_and_date, region_places, squash,
                                     word_count, written_date)
from indexer.formats.problems import FileProblem
from indexer.formats.source import Source
from indexer.formats.xmlfeed import with_dateline

#: A document's counter: ``1 of 49 DOCUMENTS``, ``1 sur 49 DOCUMENTS``, ``Document 1 de 49``.
_COUNTER = (r"(?:\d+\s+(?:of|sur|de|von)\s+\d+\s+(?:DOCUMENTS?|DOKUMENTE?N?)"
            r"|(?:Document|Dokument)\s+\d+\s+(?:de|von|of)\s+\d+)")
_COUNTER_LINE = re.compile(rf"^\s*{_COUNTER}\s*$", re.IGNORECASE)
#: Where a classic document starts: its counter line (in capitals, as Nexis
#: writes it; digits or ``Document`` first).
_COUNTER_BYTES = re.compile(rb"[0-9]+[ \t]+(?:of|sur|de|von)[ \t]+[0-9]+[ \t]+(?:DOCUMENTS?|DOKUMENTE?N?)\b"
                            rb"|(?:Document|Dokument)[ \t]+[0-9]+[ \t]+(?:de|von|of)[ \t]+[0-9]+\b")
#: What every counter holds, which the regex engine finds fast (the counter
#: itself starts with any digit: tried at each of a text's digits, it cost
#: half the reading time).
_COUNTER_WORD = re.compile(rb"DO[CK]UMENT|Do[ck]ument")
_COUNTER_CHARS = frozenset(b"0123456789 \tofsurdevn")
#: The farthest a counter starts before its word (``12345 of 67890 ``).
_COUNTER_REACH = 256


class _CounterSeparator:
    """``_COUNTER_BYTES`` as a separator for :meth:`Source.segments`, found
    from its word: the same matches, an order of magnitude faster."""

    @staticmethod
    def search(buf, pos: int = 0):
        while True:
            word = _COUNTER_WORD.search(buf, pos)
            if word is None:
                return None
            start = word.start()
            floor = max(pos, start - _COUNTER_REACH)
            while start > floor and buf[start - 1] in _COUNTER_CHARS:
                start -= 1
            for at in range(start, word.start() + 1):
                m = _COUNTER_BYTES.match(buf, at)
                if m is not None:
                    return m
            pos = word.start() + 1


_CLASSIC = _CounterSeparator()
_CLASSIC_START = re.compile(rf"\s*{_COUNTER}", re.IGNORECASE)
#: Where a Nexis Uni document ends.
_END = re.compile(rb"End\s+of\s+Document(?:\s*</[a-z0-9]+>)*", re.IGNORECASE)
_END_LINE = re.compile(r"^End of Document$", re.IGNORECASE)
_SNIFF_CLASSIC = re.compile(rf"<DOC\s+NUMBER\s*=|>\s*{_COUNTER}\s*<", re.IGNORECASE)
_SNIFF_UNI = re.compile(r">\s*End of Document\s*<", re.IGNORECASE)
_NEXIS_WORDS = re.compile(r"LexisNexis|Nexis\s*Uni|nexis\.com|Download Request:", re.IGNORECASE)
_BODY = {"body", "corps", "text", "texte", "corps du texte"}
_CLASSIFICATION = {"classification"}
_LABEL = re.compile(r"^(?P<label>[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ\-]*(?: [A-Za-zÀ-ÿ\-]+)?)\s*:\s*(?P<value>.*)$")

#: Labels (folded, upper case) -> what they set. Classic labels are in
#: capitals (``RUBRIQUE:``), Nexis Uni's in title case (``Section:``).
LABELS = {
    **dict.fromkeys(("SECTION", "RUBRIQUE", "RUBRIK"), "section"),
    **dict.fromkeys(("LENGTH", "LONGUEUR", "LANGE", "LAENGE"), "word_count"),
    **dict.fromkeys(("BYLINE", "AUTEUR", "AUTEURS", "AUTOR", "AUTHOR", "SIGNATURE"), "authors"),
    **dict.fromkeys(("SUBJECT", "SUJET", "SUJETS", "THEMA"), "subjects"),
    **dict.fromkeys(("GEOGRAPHIC", "LOCALISATION-GEO", "GEOGRAPHIQUE", "GEOGRAPHIE", "GEO-LOCALISATION", "CITY",
                     "VILLE", "STATE", "ETAT", "COUNTRY", "PAYS"), "regions"),
    **dict.fromkeys(("LANGUAGE", "LANGUE", "SPRACHE"), "language"),
    **dict.fromkeys(("LOAD-DATE", "DATE-CHARGEMENT", "DATE DE CHARGEMENT"), "load_date"),
    **dict.fromkeys(("DATELINE", "LIEU"), "dateline"),
    **dict.fromkeys(("HIGHLIGHT", "CHAPEAU", "EXERGUE"), "subtitle"),
    **dict.fromkeys(("ORGANIZATION", "ORGANISATION"), "organizations"),
    **dict.fromkeys(("PERSON", "PERSONNE", "PERSONNES"), "persons"),
    **dict.fromkeys(("COMPANY", "SOCIETE", "ENTREPRISE"), "companies"),
    **dict.fromkeys(("INDUSTRY", "SECTEUR", "INDUSTRIE"), "industries"),
    **dict.fromkeys(("TICKER",), "tickers"),
    **dict.fromkeys(("PUBLICATION-TYPE", "TYPE-PUBLICATION", "TYPE DE PUBLICATION"), "publication_type"),
    **dict.fromkeys(("DOCUMENT-TYPE", "TYPE-DOCUMENT", "TYPE DE DOCUMENT"), "document_type"),
    **dict.fromkeys(("GRAPHIC", "GRAPHIQUE", "GRAFIK", "ILLUSTRATION"), "graphic"),
    **dict.fromkeys(("URL",), "url"),
    **dict.fromkeys(("NOTES", "NOTE"), "notes"),
    **dict.fromkeys(("EDITION", "AUSGABE"), "edition"),
    **dict.fromkeys(("JOURNAL-CODE", "CODE-JOURNAL", "ZEITUNGS-CODE"), "journal_code"),
    **dict.fromkeys(("CORRECTION-DATE", "DATE-CORRECTION", "UPDATE", "MISE A JOUR"), "updated"),
    **dict.fromkeys(("ACC-NO", "DOCUMENT-ID", "DOCUMENT ID"), "document_id"),
}
_CAPITALS = re.compile(r"[A-Z][A-Z\-]{2,}")
_LIST_LABELS = {"organizations", "persons", "companies", "industries", "tickers", "regions", "subjects"}


def looks_like_nexis(head: str) -> bool:
    """An HTML export of Nexis: a ``<DOC NUMBER=`` comment, a ``1 of 20 DOCUMENTS``
    line, or Nexis Uni's ``End of Document`` with Nexis named.

    >>> looks_like_nexis('<HTML><BODY><!-- Hide XML section\\n<DOC NUMBER=1>')
    True
    >>> looks_like_nexis('<html><p>Nexis Uni</p><p>End of Document</p>'), looks_like_nexis('<html><p>x</p>')
    (True, False)
    """
    if _SNIFF_CLASSIC.search(head):
        return True
    return bool(_SNIFF_UNI.search(head) and _NEXIS_WORDS.search(head))


def read_nexis(source: Source) -> Iterator[Item]:
    """Every document of a Nexis HTML export, in file order (positions from 1)."""
    uni = not _SNIFF_CLASSIC.search(source.head)
    separator, keep = (_END, False) if uni else (_CLASSIC, True)
    position = 0
    last_text = ""
    for text, warning in source.segments(separator, keep=keep):
        if text is not None and not uni and not _CLASSIC_START.match(text):
            continue  # the cover page before the first document
        lines = element_lines(parse_html(text, lines=True)) if text is not None else []
        if text is not None and uni and not lines and not _SNIFF_UNI.search(text + "<"):
            last_text = text
            continue  # what follows the last "End of Document": no text but markup
        position += 1
        if text is None:
            yield FileProblem(source.path, "a document of more than 8 MB is not a news article, skipped", False,
                              "nexis", position, "document")
            continue
        last_text = text
        yield from document_items(source.path, lines, position, warning, uni)
    if position == 0:
        yield FileProblem(source.path, "a Nexis export without any document (no 'N of M DOCUMENTS' line nor "
                          "'End of Document': the layout may have changed), skipped", True, "nexis")
        return
    if not last_text.rstrip().lower().endswith("</html>") and not uni:
        yield FileProblem(source.path, "the file does not end with </html>: it may be truncated, and this "
                          "document incomplete", False, "nexis", position, "document")


def document_items(path: str, lines: list[str], position: int, warning: str | None, uni: bool) -> Iterator[Item]:
    """The story (or the problem) of one Nexis document given as its lines
    (the HTML and the DOCX readers' common end); ``warning``: the reader's
    own, said first."""
    if not uni and lines and not _COUNTER_LINE.match(lines[0]):
        lines = lines[next((i for i, line in enumerate(lines) if _COUNTER_LINE.match(line)), 0):]
    found = _document_fields(lines)
    if found is None:
        yield FileProblem(path, "nexis: no headline and no body (the layout may have changed), skipped", False,
                          "nexis", position, "document")
        return
    text, meta, warnings = found
    if warning:
        warnings.insert(0, warning)
    if not uni and lines and not any(line[:10].lower().startswith(("copyright", "©")) for line in lines[-3:]) and \
            not any(LABELS.get(_label_key(line)) in ("language", "load_date") for line in lines[-6:]):
        warnings.append("nexis: the document ends without its closing lines (language, copyright): "
                        "it may be truncated")
    yield Piece(text, meta, position, tuple(warnings))


def _label_key(line: str) -> str:
    m = _LABEL.match(line)
    return fold(m.group("label")).upper() if m else ""


def document_fields(lines: list[str]) -> tuple[str, dict, list[str]] | None:
    """(text, metadata, warnings) of one Nexis document given as its lines, or
    None when it has neither headline nor body.

    >>> text, meta, _ = document_fields(["1 sur 2 DOCUMENTS", "Le Monde", "5 mars 2014 mercredi", "Un titre",
    ...     "RUBRIQUE: FRANCE; Pg. 8", "LONGUEUR: 120 mots", "Le texte.", "SUJET: ELECTIONS (90%); VOTE (72%)",
    ...     "LANGUE: FRENCH; FRANÇAIS", "Copyright 2014 Le Monde"])
    >>> text, meta["publication"], meta["date"], meta["section"], meta["subjects"], meta["language"]
    ('Un titre\\n\\nLe texte.\\n', 'Le Monde', '2014-03-05', 'FRANCE', ['ELECTIONS', 'VOTE'], 'fr')
    """
    return _document_fields([line for line in map(squash, lines) if line])


def _document_fields(lines: list[str]) -> tuple[str, dict, list[str]] | None:
    """:func:`document_fields` of lines already squashed (as :func:`element_lines` gives them)."""
    if not lines:
        return None
    meta: dict = {}
    warnings: list[str] = []
    labelled: dict[str, list[str]] = {}
    other: dict[str, str] = {}
    if _COUNTER_LINE.match(lines[0]):
        lines = lines[1:]
    publication = date_line = headline = ""
    lines = [line for line in lines if len(line) != 15 or not _END_LINE.match(line)]  # 15: "End of Document"
    body_at = next((i for i, line in enumerate(lines) if len(line) < 20 and line.lower() in _BODY), None)
    head: list[str] = []
    body: list[str] = []
    if body_at is not None:  # Nexis Uni: headline, publication, date, labels, Body, text, Classification, labels
        # The two lines before the date are the headline and the publication,
        # whatever they read like (``Edition: ...`` is a headline there).
        date_at = next((i for i in range(body_at - 1, -1, -1)
                        if not _is_label(lines[i], uni=True) and written_date(lines[i])), None)
        kept = (date_at - 2, date_at - 1) if date_at is not None else ()
        in_body = False
        for i, line in enumerate(lines):
            if i == body_at or (len(line) < 20 and line.lower() in _CLASSIFICATION):
                in_body = i == body_at
                continue
            if in_body:
                body.append(line)
            elif i in kept:
                head.append(line)
            elif not _take_label(line, labelled, meta, uni=True) and i < body_at:
                head.append(line)
        # The last date line with two lines before it: the headline and the
        # publication (what comes before is the export's cover page).
        date_at = next((i for i in range(len(head) - 1, 1, -1) if written_date(head[i])), None)
        if date_at is None:
            date_at = min(2, len(head))
        headline = head[date_at - 2] if date_at >= 2 else (head[0] if head else "")
        publication = head[date_at - 1] if date_at >= 2 else ""
        date_line = head[date_at] if date_at < len(head) else ""
    else:  # classic: publication, date (edition), headline, labels, text, labels, copyright
        heading = True
        closing = False
        for line in lines:
            m = _LABEL.match(line)
            if _take_label(line, labelled, meta, uni=False, m=m):
                heading = False
                closing = closing or bool(body)
                continue
            if closing and m and _CAPITALS.fullmatch(m.group("label")):
                other[m.group("label")] = m.group("value").strip()  # an unknown label among the closing ones
            elif heading:
                head.append(line)
            elif not closing:
                body.append(line)
        if heading:  # no label at all: publication, date, headline, then the text
            head, body = head[:3], head[3:]
        publication = head[0] if head else ""
        date_at = next((i for i, h in enumerate(head[1:], 1) if written_date(h)), None)
        rest = head[date_at + 1:] if date_at is not None else head[1:]
        date_line = head[date_at] if date_at is not None else ""
        headline = rest[-1] if rest else ""
        if len(rest) > 1:
            meta["edition"] = " ".join(rest[:-1])
    if not headline and not body:
        return None
    _fields(meta, warnings, labelled, publication, date_line)
    if other:
        meta["nexis"] = other
    dateline = " ".join(labelled.get("dateline", []))
    if dateline and not has_dateline(body):
        body = with_dateline(body, dateline)
    if meta.get("regions") and not has_dateline(body):
        meta["places"] = region_places(meta["regions"])
    if headline and not body:
        meta["headline"] = headline
    return "\n\n".join(([headline] if headline else []) + body) + "\n", meta, warnings


def _is_label(line: str, uni: bool) -> bool:
    """Whether :func:`_take_label` would take this line (a known label, or a copyright line)."""
    m = _LABEL.match(line)
    if m and (uni or m.group("label").isupper()) and LABELS.get(fold(m.group("label")).upper()):
        return True
    return is_copyright(line)


def _take_label(line: str, labelled: dict[str, list[str]], meta: dict, uni: bool, m=False) -> bool:
    """Read a labelled line (``LONGUEUR: 120 mots``) or a copyright line; False for others
    (``m``: the line's ``_LABEL`` match when already made).

    A classic label is in capitals, as Nexis writes them: ``Note : ...`` in a
    paragraph is text.
    """
    if m is False:
        m = _LABEL.match(line)
    if m and (uni or m.group("label").isupper()):
        field = LABELS.get(fold(m.group("label")).upper())
        if field:
            labelled.setdefault(field, []).append(m.group("value").strip())
            return True
    if is_copyright(line):
        meta.setdefault("copyright", line)
        return True
    return False


def _fields(meta: dict, warnings: list[str], labelled: dict[str, list[str]], publication: str,
            date_line: str) -> None:
    publication_and_date(meta, warnings, publication, date_line, reader="nexis",
                         no_publication="no publication line", bad_date="date line {!r} is not a date, ignored",
                         no_date="no date line")
    for field, values in labelled.items():
        value = "; ".join(v for v in values if v)
        if not value:
            continue
        if field == "section":
            section, _, page = value.partition(";")
            meta["section"] = section.strip()
            if page.strip():
                meta["page"] = page.strip()
        elif field == "word_count":
            count = word_count(value)
            if count is not None:
                meta["word_count"] = count
        elif field == "authors":
            names = authors(value)
            if names:
                meta["authors"] = names
        elif field == "language":
            meta["language"] = language_code(value)
        elif field in _LIST_LABELS:
            terms = index_terms(value)
            if terms:
                meta[field] = terms
        elif field == "load_date":
            meta["load_date"] = written_date(value) or value
        elif field != "dateline":
            meta[field] = value


FORMAT = Format("nexis", read_nexis, sniff=lambda source: looks_like_nexis(source.head), unit="document")


__all__ = ["FORMAT", "LABELS", "document_fields", "document_items", "looks_like_nexis", "read_nexis"]
