"""Factiva HTML exports: every article of a page saved from Factiva.

Factiva (Dow Jones) saves a selection of articles as one HTML page, each in
a ``div`` of class ``article frArticle`` (``enArticle``, ``deArticle``...),
in one of two layouts:

- **with field codes** ("Full article plus indexing"): a table of rows
  ``HD`` headline, ``BY`` byline, ``WC`` word count, ``PD`` date, ``ET``
  time, ``SN`` source name, ``SC`` source code, ``SE`` section, ``LA``
  language, ``CY`` copyright, ``LP`` lead paragraphs, ``TD`` text, ``RF``,
  ``NS`` subjects, ``RE`` regions, ``IPC``, ``IPD``, ``PUB``, ``AN``
  accession number...;
- **article** (the page as displayed): a headline ``div#hd``, an author
  ``div.author``, then unlabelled ``div`` lines (word count, date, time,
  source name, source code, language, copyright), the paragraphs
  (``p.articleParagraph``) and a ``Document AN`` line.

The file is read article by article (bounded memory); each article is
parsed on its own by a hardened lxml HTML parser. The headline and the
paragraphs go through the wire parser (an agency dispatch keeps its
dateline, credits and signatures); the fields give the rest. See
docs/formats.md for the whole mapping.
"""

from __future__ import annotations

import re
from typing import Iterator

from indexer.formats.base import Format, Item, Piece
from indexer.formats.exports import (authors, element_text, has_dateline, index_terms, is_copyright,
                                     language_code, parse_html, publication_and_date, region_places, squash,
                                     word_count, written_date)
from indexer.formats.problems import FileProblem
from indexer.formats.source import Source

#: Where an article starts: its ``div`` of class ``article xxArticle``.
_ARTICLE = rb"""<div\b[^>]*?\bclass\s*=\s*["']\s*article\s+[a-z]{2}Article\b"""
_ARTICLE_BYTES = re.compile(_ARTICLE, re.IGNORECASE)
_ARTICLE_TEXT = re.compile(_ARTICLE.decode(), re.IGNORECASE)
_TITLE = re.compile(r"<title>\s*Factiva\s*</title>", re.IGNORECASE)
_CODE = re.compile(r"^[A-Z]{2,4}$")
_DOCUMENT = re.compile(r"^(?:Document|Dokument|Documento|Documenten?)\s+([A-Za-z0-9]{10,})$")
_WORDS = re.compile(r"^\d[\d\s.,\u202f]*\s+(?:words?|mots?|wörter|wort|palabras|parole|palavras|woorden|слов)$",
                    re.IGNORECASE)
_TIME = re.compile(r"^\d{1,2}[:h]\d{2}(?:\s*(?:GMT|CET|CEST|ET|[AP]M))?$", re.IGNORECASE)
_COUNTED = re.compile(r"^\d+\)\s+")
_ACCESSION = re.compile(r"^([A-Za-z0-9]{10,})$")
_BAR = re.compile(r"\s*\|\s*")
_BAR_OR_SPACE = re.compile(r"\s*\|\s*|\s+")
_ARTICLE_CLASS = re.compile(r"[a-z]{2}Article", re.IGNORECASE)


def looks_like_factiva(head: str) -> bool:
    """A page saved from Factiva: an article ``div`` or Factiva's page title.

    >>> looks_like_factiva('<html><head><title>Factiva</title>'), looks_like_factiva('<div class="article frArticle">')
    (True, True)
    >>> looks_like_factiva("<html><title>Le Monde</title>")
    False
    """
    return bool(_ARTICLE_TEXT.search(head) or _TITLE.search(head[:8192]))


def read_factiva(source: Source) -> Iterator[Item]:
    """Every article of a Factiva export, in file order (positions from 1)."""
    position = 0
    for text, warning in source.segments(_ARTICLE_BYTES, keep=True):
        if text is not None and not _ARTICLE_TEXT.match(text):
            continue  # the page before the first article: its head, styles and navigation
        position += 1
        if text is None:
            yield FileProblem(source.path, "an article of more than 8 MB is not a news article, skipped", False,
                              "factiva", position, "article")
            continue
        truncated = not text[-64:].rstrip().lower().endswith("</html>")
        yield from _article(source.path, text, position, warning)
    if position == 0:
        yield FileProblem(source.path, "a Factiva page without any article (no div of class 'article xxArticle': "
                          "the layout may have changed), skipped", True, "factiva")
        return
    if truncated:
        yield FileProblem(source.path, "the file does not end with </html>: it may be truncated, and this "
                          "article incomplete", False, "factiva", position, "article")


def _article(path: str, text: str, position: int, warning: str | None) -> Iterator[Item]:
    root = parse_html(text)
    div = _article_div(root)
    if div is None:
        yield FileProblem(path, "factiva: the article's markup cannot be read, skipped", False, "factiva",
                          position, "article")
        return
    fields = _field_rows(div)
    piece = _from_codes(fields) if fields else _from_display(div)
    if piece is None:
        yield FileProblem(path, "factiva: neither field codes nor a headline and paragraphs "
                          "(the layout may have changed), skipped", False, "factiva", position, "article")
        return
    text, meta, warnings = piece
    if warning:
        warnings.insert(0, warning)
    yield Piece(text, meta, position, tuple(warnings))


def _article_div(root):
    if root is None:
        return None
    for div in root.iter("div"):
        classes = (div.get("class") or "").split()
        if "article" in classes and any(_ARTICLE_CLASS.fullmatch(c) for c in classes):
            return div
    return None


# ------------------------------------------------------ with field codes
def _field_rows(div) -> dict[str, list]:
    """Field code -> the value cells, in order (a code may come twice)."""
    fields: dict[str, list] = {}
    for row in div.iter("tr"):
        cells = list(row.iterchildren("td", "th"))  # lxml's HTML parser writes tags in lower case
        if len(cells) < 2:
            continue
        code = element_text(cells[0])
        if _CODE.match(code):
            fields.setdefault(code, []).append(cells[1])
    return fields


class _Values(dict):
    """Field code -> its text, each computed once (the body's cells are never joined)."""

    def __init__(self, fields: dict):
        super().__init__()
        self.fields = fields

    def __missing__(self, code: str) -> str:
        cells = self.fields.get(code)
        value = self[code] = " ".join([element_text(c) for c in cells]).strip() if cells else ""
        return value



def _paragraphs(cell) -> list[str]:
    paras = [text for text in map(element_text, cell.iter("p")) if text]
    if not paras:  # text without paragraphs: its lines
        paras = [squash(t) for t in cell.itertext() if squash(t)]
    return paras


def _coded_terms(text: str) -> tuple[list[str], list[str]]:
    """Names and codes of an indexing line ``gpol : Domestic Politics | fra : France``."""
    names, codes = [], []
    for part in _BAR.split(text):
        part = part.strip()
        if not part:
            continue
        code, sep, name = part.partition(" : ")
        if not sep:
            code, name = "", part
        if name.strip() and name.strip() not in names:
            names.append(name.strip())
        if code.strip():
            codes.append(code.strip())
    return names, codes


#: Codes read into the story's own fields; the others are kept in meta.factiva.
_READ_CODES = {"HD", "BY", "WC", "PD", "ET", "SN", "SC", "SE", "LA", "CY", "LP", "TD", "RF", "NS", "RE", "IPC",
               "IPD", "PUB", "AN", "ED", "PG", "CO", "IN"}


def _from_codes(fields: dict) -> tuple[str, dict, list[str]] | None:
    values = _Values(fields)
    meta: dict = {}
    warnings: list[str] = []
    headline = values["HD"]
    paras = [p for code in ("LP", "TD") for cell in fields.get(code, ()) for p in _paragraphs(cell)]
    if not headline and not paras:
        return None
    an = values["AN"]
    m = _DOCUMENT.match(an) or _ACCESSION.match(an)
    if m:
        meta["id"] = m.group(1)
    else:
        warnings.append("factiva: no accession number (AN): the id is made from the file and the article's "
                        "position (a truncated article, or a changed layout?)")
    _common(meta, warnings, publication=values["SN"], date=values["PD"],
            language=values["LA"], words=values["WC"], byline=values["BY"])
    for code, key in (("SE", "section"), ("RF", "slug"), ("ET", "time"), ("SC", "source_code"),
                      ("CY", "copyright"), ("PUB", "publisher"), ("ED", "edition"), ("PG", "page")):
        value = values[code]
        if value:
            meta[key] = value
    subjects, subject_codes = _coded_terms(values["NS"])
    if subjects:
        meta["subjects"] = subjects
        meta["subject_codes"] = subject_codes
    regions, region_codes = _coded_terms(values["RE"])
    if regions:
        meta["regions"] = regions
        meta["region_codes"] = region_codes
    for code, key in (("CO", "companies"), ("IN", "industries")):
        names, _ = _coded_terms(values[code])
        if names:
            meta[key] = names
    keywords = [k for k in _BAR.split(values["IPD"]) if k]
    if keywords:
        meta["keywords"] = keywords
    ipc = [k for k in _BAR_OR_SPACE.split(values["IPC"]) if k]
    if ipc:
        meta["provider_codes"] = ipc
    other = {code: values[code] for code in fields if code not in _READ_CODES and values[code]}
    if other:
        meta["factiva"] = other
    _places(meta, paras)
    return _text(headline, paras, meta), meta, warnings


# ---------------------------------------------------------- article layout
def _from_display(div) -> tuple[str, dict, list[str]] | None:
    meta: dict = {}
    warnings: list[str] = []
    hd = next((e for e in div.iter() if isinstance(e.tag, str) and (e.get("id") == "hd" or
               "Headline" in (e.get("class") or ""))), None)
    headline = element_text(hd) if hd is not None else ""
    if hd is not None and "counted" in " ".join(e.get("class") or "" for e in hd.iter() if isinstance(e.tag, str)):
        headline = _COUNTED.sub("", headline)  # "1) Titre": the number of the results list
    paras = [element_text(p) for p in div.iter("p") if "articleParagraph" in (p.get("class") or "")]
    paras = [p for p in paras if p]
    if not headline and not paras:
        return None
    author = next((element_text(d) for d in div.iter("div") if "author" in (d.get("class") or "").split()), "")
    lines = [element_text(d) for d in div.iter("div") if not d.attrib and element_text(d)]
    words = next((i for i, line in enumerate(lines) if _WORDS.match(line)), None)
    date = publication = language = ""
    if words is None:
        warnings.append("factiva: no word-count line: date, source and language not found (a changed layout?)")
    else:
        if words > 0:
            meta["section"] = lines[words - 1]
        rest = lines[words + 1:]
        if rest and written_date(rest[0]):
            date = rest.pop(0)
        if rest and _TIME.match(rest[0]):
            meta["time"] = rest.pop(0)
        for line in rest:
            if is_copyright(line):
                meta["copyright"] = line
            elif not publication:
                publication = line
            elif "source_code" not in meta and re.fullmatch(r"[A-Z0-9]{3,12}", line):
                meta["source_code"] = line
            elif not language and language_code(line) and len(line) <= 30:
                language = line
    for p in div.iter("p"):
        m = _DOCUMENT.match(element_text(p))
        if m:
            meta["id"] = m.group(1)
    if "id" not in meta:
        warnings.append("factiva: no 'Document' line (accession number): the id is made from the file and the "
                        "article's position (a truncated article, or a changed layout?)")
    _common(meta, warnings, publication=publication, date=date, language=language,
            words=lines[words] if words is not None else "", byline=author)
    _places(meta, paras)
    return _text(headline, paras, meta), meta, warnings


# ------------------------------------------------------------------ shared
def _common(meta: dict, warnings: list[str], *, publication: str, date: str, language: str, words: str,
            byline: str) -> None:
    publication_and_date(meta, warnings, publication, date, reader="factiva",
                         no_publication="no source name (SN): no publication",
                         bad_date="date {!r} (PD) is not a date, ignored",
                         no_date="no publication date (PD)")
    if language:
        meta["language"] = language_code(language)
    count = word_count(words)
    if count is not None:
        meta["word_count"] = count
    names = authors(byline) if byline else []
    if names:
        meta["authors"] = names


def _places(meta: dict, paras: list[str]) -> None:
    """The regions are the places of an article with no dateline (a dateline's places win)."""
    if meta.get("regions") and not has_dateline(paras):
        meta["places"] = region_places(meta["regions"])


def _text(headline: str, paras: list[str], meta: dict) -> str:
    if headline and not paras:  # a headline alone: the parser would take it for the body
        meta["headline"] = squash(headline)
    return "\n\n".join(([squash(headline)] if headline else []) + paras) + "\n"


FORMAT = Format("factiva", read_factiva, sniff=lambda source: looks_like_factiva(source.head), unit="article")


__all__ = ["FORMAT", "looks_like_factiva", "read_factiva"]
