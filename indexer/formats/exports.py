"""What the Factiva and Nexis readers share: the hardened HTML parser and
the small readers of the values press-database exports print.

Each article of an export is parsed on its own (a segment of the file, see
:meth:`~indexer.formats.source.Source.segments`) by lxml's HTML parser with
no network access, comments and processing instructions dropped, and no
huge-tree mode: memory is bounded by one article, and a broken article
costs no other one.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from lxml import etree

from indexer.formats.nitf import byline_names
from indexer.formats.pressdb import publication_agency
from indexer.wire.dateline import normal_case, parse_dateline
from indexer.wire.dates import parse_written_date


def html_parser() -> etree.HTMLParser:
    """lxml's HTML parser, hardened (no network, no comments, no PIs, bounded trees)."""
    return etree.HTMLParser(recover=True, no_network=True, remove_comments=True, remove_pis=True,
                            huge_tree=False, compact=True, default_doctype=False)


_PARSER = html_parser()


def parse_html(text: str, lines: bool = False):
    """The root element of an HTML fragment (an article's markup), or None;
    with ``lines``, its block tags marked for :func:`element_lines`."""
    if not text or not text.strip():
        return None
    if lines:
        text = mark_lines(text)
    try:
        return etree.fromstring(text, _PARSER)
    except (etree.ParserError, ValueError):
        return None


#: Tags that cut an element's text into lines (their start and their end).
_BLOCK_TAG = re.compile(r"<(?=/?(?:p|div|br|tr|li|td|h[1-6]|table|center)[\s>/])", re.IGNORECASE)
#: The line mark put at those tags before parsing (a paragraph separator: text, not markup).
LINE_MARK = "\u2029"


def mark_lines(html: str) -> str:
    """The markup with a line mark at each block tag, for :func:`element_lines`
    (marking the text before parsing is much faster than walking the tree).

    >>> mark_lines("<p>a<br>b</p>") == "\\u2029<p>a\\u2029<br>b\\u2029</p>"
    True
    """
    return _BLOCK_TAG.sub(LINE_MARK + "<", html)


def squash(text: str | None) -> str:
    """Runs of whitespace (non-breaking spaces too) made one space.

    >>> squash(" HD\\xa0 \\n ")
    'HD'
    """
    return " ".join((text or "").replace("\xa0", " ").split())


def _string(elem) -> str:
    """An element's text, its tail left out (lxml's text serialiser: the fastest way)."""
    return etree.tostring(elem, method="text", encoding=str, with_tail=False)


def element_text(elem) -> str:
    """An element's text on one line (line marks are whitespace, as for :func:`squash`)."""
    if elem is None:
        return ""
    text = _string(elem) if len(elem) else elem.text  # no children: its text, without the serialiser
    return " ".join(text.split()) if text else ""


#: A line mark and the whitespace (more marks too) after it: where an element's text is cut into lines.
_LINE_CUT = re.compile(r"\u2029\s*")


def element_lines(elem) -> list[str]:
    """An element's text cut at its line breaks and blocks (``<br>``, ``<p>``...),
    given markup prepared by :func:`mark_lines`: each line squashed, none empty.

    >>> element_lines(parse_html("<div>a <p> b\xa0 c</p><p> </p><br>d</div>", lines=True))
    ['a', 'b c', 'd']
    """
    if elem is None:
        return []
    # Cutting at runs of marks and spaces first leaves one piece a line, not one a tag.
    lines = [" ".join(line.split()) for line in _LINE_CUT.split(_string(elem))]
    return [line for line in lines if line]


_COUNT = re.compile(r"^\s*(\d{1,3}(?:[\s\u202f\xa0.,]\d{3})+|\d+)\b")


_COPYRIGHT = re.compile(r"^(?:copyright\b|©|\(c\)\s)|\b(?:all rights reserved|tous droits réservés|"
                        r"alle rechte vorbehalten)\b", re.IGNORECASE)


def is_copyright(line: str) -> bool:
    """A copyright line (``Copyright 2014 Le Monde``, ``(c) 2014 Ouest-France``, ``Tous droits réservés``).

    >>> is_copyright("(c) 2014 Ouest-France."), is_copyright("Tous droits réservés"), is_copyright("Le copyright du texte")
    (True, True, False)
    """
    if len(line) > 300:
        return False
    low = line.lower()
    # The hints first (spelled out: a generator costs more than the test itself).
    return bool(("copyright" in low or "©" in low or "(c)" in low or "reserved" in low or "réservés" in low
                 or "vorbehalten" in low) and _COPYRIGHT.search(line))


def word_count(text: str) -> int | None:
    """The number a length line gives (``1 234 mots``, ``1,234 words``, ``LENGTH: 355 words``).

    >>> word_count("1 234 mots"), word_count("355 words"), word_count("Wörter")
    (1234, 355, None)
    """
    text = re.sub(r"^[^\d]*?:\s*", "", text or "")
    m = _COUNT.match(text)
    return int(re.sub(r"\D", "", m.group(1))) if m else None


#: Language names as the databases print them -> ISO 639-1.
_LANGUAGES = {
    "francais": "fr", "french": "fr", "frances": "fr", "franzosisch": "fr", "fr": "fr",
    "anglais": "en", "english": "en", "ingles": "en", "englisch": "en", "en": "en",
    "allemand": "de", "german": "de", "deutsch": "de", "aleman": "de", "de": "de",
    "espagnol": "es", "spanish": "es", "espanol": "es", "spanisch": "es", "es": "es",
    "italien": "it", "italian": "it", "italiano": "it", "italienisch": "it", "it": "it",
    "neerlandais": "nl", "dutch": "nl", "nederlands": "nl", "nl": "nl",
    "portugais": "pt", "portuguese": "pt", "portugues": "pt", "pt": "pt",
    "arabe": "ar", "arabic": "ar", "russe": "ru", "russian": "ru", "chinois": "zh", "chinese": "zh",
}


@functools.lru_cache(maxsize=4096)  # labels and language names, again and again
def fold(text: str) -> str:
    """Lower case without accents.

    >>> fold("Français")
    'francais'
    """
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@functools.lru_cache(maxsize=1024)  # an export names a few languages, again and again
def language_code(text: str) -> str | None:
    """The ISO code of a language as written (``Français``, ``FRENCH; FRANÇAIS``),
    else the first name written, in lower case.

    >>> language_code("Français"), language_code("FRENCH; FRANÇAIS"), language_code("Breton")
    ('fr', 'fr', 'breton')
    """
    names = [n for n in re.split(r"[;,/]", text or "") if n.strip()]
    for name in names:
        code = _LANGUAGES.get(fold(name))
        if code:
            return code
    return fold(names[0]) if names else None


_PERCENT = re.compile(r"\s*\(\s*\d{1,3}\s*%\s*\)\s*$")


def index_terms(text: str) -> list[str]:
    """The terms of an indexing line, their relevance percentages dropped.

    >>> index_terms("ELECTIONS (90%); POLITIQUE (78%); PARIS, FRANCE (92%)")
    ['ELECTIONS', 'POLITIQUE', 'PARIS, FRANCE']
    """
    out = []
    for term in re.split(r"\s*;\s*", text or ""):
        term = _PERCENT.sub("", squash(term)).strip(" ;")
        if term and term not in out:
            out.append(term)
    return out


def authors(text: str) -> list[str]:
    """The names of a byline as the databases print it.

    >>> authors("Par Jean DUPONT et Marie Curie"), authors("BYLINE: Sophie Martin, à Lyon")
    (['Jean Dupont', 'Marie Curie'], ['Sophie Martin'])
    """
    text = re.sub(r"^\s*[A-ZÉ][A-ZÉa-zé\-]*:\s*", "", squash(text))
    text = re.sub(r",?\s+(?:à|a|in|en)\s+[A-ZÉÈ][\w\-’' ]*$", "", text)
    return [n for n in byline_names(text) if n]


_UPDATE_NOTE = re.compile(r"^\s*\([^()]{0,200}\)\s*")


def has_dateline(paragraphs: list[str]) -> bool:
    """The text opens with a dateline (after an update note, if any).

    >>> has_dateline(["(Actualisé avec bilan) PARIS, 3 mars (AFP) - Texte."]), has_dateline(["Texte."])
    (True, False)
    """
    if not paragraphs:
        return False
    first = paragraphs[0]
    return bool(parse_dateline(first) or parse_dateline(_UPDATE_NOTE.sub("", first, count=1)))


def region_places(terms: list[str]) -> list[str]:
    """Places from indexing terms (``PARIS, FRANCE``), each name once, capitals
    made normal case as the dateline's places are.

    >>> region_places(["ILE-DE-FRANCE, FRANCE", "FRANCE", "Provence-Alpes-Côte d'Azur"])
    ['Ile-de-France', 'France', "Provence-Alpes-Côte d'Azur"]
    """
    out: list[str] = []
    for term in terms:
        for name in term.split(","):
            name = squash(name)
            if name.isupper():
                name = normal_case(name)
            if name and name not in out:
                out.append(name)
    return out


@functools.lru_cache(maxsize=4096)  # an export's articles share their dates
def written_date(text: str) -> str | None:
    """A written date as ISO, or None.

    >>> written_date("29 décembre 2011"), written_date("n'importe quoi")
    ('2011-12-29', None)
    """
    date = parse_written_date(text or "")
    return date.isoformat() if date else None


__all__ = ["authors", "element_lines", "element_text", "fold", "has_dateline", "html_parser", "index_terms", "is_copyright",
           "language_code", "mark_lines", "parse_html", "region_places", "squash", "word_count", "written_date"]


#: The agency of a publication name, cached: an export names a few publications, again and again.
_agency_of = functools.lru_cache(maxsize=4096)(publication_agency)


def publication_and_date(meta: dict, warnings: list[str], publication: str, date: str, *, reader: str,
                         no_publication: str, bad_date: str, no_date: str) -> None:
    """Set a press-database article's publication (and the agency it stands
    for, :func:`~indexer.formats.pressdb.publication_agency`) and its date,
    with a warning for each that is missing or not understood (``bad_date``:
    the warning's template, ``{!r}`` the date as written).

    >>> meta, warnings = {}, []
    >>> publication_and_date(meta, warnings, "Agence France-Presse", "3 mai 2015", reader="factiva",
    ...                      no_publication="no source name (SN): no publication",
    ...                      bad_date="date {!r} (PD) is not a date, ignored",
    ...                      no_date="no publication date (PD)")
    >>> meta, warnings
    ({'publication': 'Agence France-Presse', 'agency': 'AFP', 'date': '2015-05-03'}, [])
    """
    if publication:
        meta["publication"] = publication
        agency = _agency_of(publication)
        if agency:
            meta["agency"] = agency
    else:
        warnings.append(f"{reader}: {no_publication}")
    iso = written_date(date)
    if iso:
        meta["date"] = iso
    elif date:
        warnings.append(f"{reader}: " + bad_date.format(date))
    else:
        warnings.append(f"{reader}: {no_date}")

