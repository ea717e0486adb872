"""One article of a Europresse export, from its marked-up parts to a story.

Pure: :mod:`indexer.formats.europresse` walks the HTML and fills a
:class:`RawArticle` with the text of each part it recognised (the
publication, the header line, the title, the author, the text's
paragraphs...); :func:`article_piece` turns it into the story's text and
metadata, and says what is odd about it (no date, no document number, no
text, a layout it does not know).

Glossary: the *header* (``DocHeader``) is Europresse's line under the
publication's name: ``International, jeudi 5 octobre 2023 812 mots, p. 4``
(section, date, length, page); the *document number* (``news·20231005·LM·
4521``) is Europresse's id of the article, the date of publication inside.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field

from indexer.formats.base import Piece
from indexer.formats.nitf import byline_names
from indexer.formats.pressdb import publication_agency
from indexer.wire.dateline import MONTHS
from indexer.wire.dates import WEEKDAYS

_EN_MONTHS = {m: n for n, m in enumerate(("january", "february", "march", "april", "may", "june", "july", "august",
                                          "september", "october", "november", "december"), 1)}
_EN_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_FR_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
_FR_DATE = re.compile(
    rf"(?:\b(?P<weekday>{'|'.join(WEEKDAYS)})\s*,?\s+)?\b(?P<day>1er|[0-3]?\d)\s+(?P<month>{_FR_MONTH_RE})\.?"
    rf"\s+(?P<year>(?:19|20)\d\d)\b", re.IGNORECASE)
_EN_DATE = re.compile(
    rf"(?:\b(?P<weekday>{'|'.join(_EN_WEEKDAYS)})\s*,\s*)?\b(?P<month>{'|'.join(_EN_MONTHS)})\s+"
    rf"(?P<day>[0-3]?\d)\s*,\s*(?P<year>(?:19|20)\d\d)\b", re.IGNORECASE)
_TIME = re.compile(r"\b(?P<time>[0-2]?\d:[0-5]\d(?::[0-5]\d)?(?:\s*(?:UTC|GMT)(?:\s*[+-]\s*\d{1,4}(?::\d\d)?)?)?)")
_WORDS = re.compile(r"(?<![\d+\-:])\b(?P<words>\d{1,3}(?:[\s\u00a0\u202f.]\d{3})+|\d+)\s*(?:mots|words)\b",
                    re.IGNORECASE)
_PAGE = re.compile(r"(?:^|[\s,])(?P<page>p\.\s*\S+(?:\s*-\s*\d+)?)", re.IGNORECASE)
#: A Europresse document number: ``news·20231005·LM·4521`` (the date is the second part).
_NUMBER = re.compile(r"(?P<number>[A-Za-z]{2,12}·(?P<ymd>\d{8})·[\w.\-]+(?:·[\w.\-]+)*)")
_NUMBER_LINE = re.compile(r"^(?:Num[ée]ro de document|Document number|N° de document)\s*:\s*(?P<rest>\S.*)$",
                          re.IGNORECASE)
_ISSUE = re.compile(r"\s*[,;]\s*(?P<issue>(?:no|n°|nº|n o|num[ée]ro|vol|volume)\.?\s*\S.*)$", re.IGNORECASE)

#: Whole paragraphs that are Europresse's furniture, not the article: its
#: certificate, copyright and legal notices, its buttons (and any paragraph
#: ending ``Tous droits réservés``).
BOILERPLATE = tuple(re.compile(p, re.IGNORECASE) for p in (
    r"Ce certificat est (?:é|e)mis (?:à|a) .*",
    r"Certificat (?:é|e)mis le .*",
    r"Date d['’](?:é|e)mission\s*:.*",
    r"Document (?:imprim|g(?:é|e)n(?:é|e)r|t(?:é|e)l(?:é|e)charg)(?:é|e)(?:s)? (?:le|par|pour) .*",
    r"Le pr(?:é|e)sent document est prot(?:é|e)g(?:é|e) par les lois .*",
    r"Ce document est r(?:é|e)serv(?:é|e) (?:à|a) l['’]usage .*",
    r"(?:©|\(c\)|Copyright\b).*",
    r"(?:Retour(?: (?:à|a) la liste| aux r(?:é|e)sultats)?|Imprimer|Envoyer|Partager|T(?:é|e)l(?:é|e)charger"
    r"(?: en PDF| le PDF)?|Sauvegarder|Ajouter (?:à|a)u? (?:dossier|panier)|Document (?:pr(?:é|e)c(?:é|e)dent|suivant)"
    r"|Haut de (?:la )?page|Fermer)",
    r"Europresse\.com|Publi-C",
))
_ANY_BOILERPLATE = re.compile("|".join(f"(?:{rx.pattern})" for rx in BOILERPLATE), re.IGNORECASE)
#: The longest paragraph that may be furniture (a certificate is ~200 characters).
_BOILERPLATE_CHARS = 600
_SPACES = re.compile(r"[ \t\n\r\f\v]{2,}|[\t\n\r\f\v]")
_PARU_DANS = re.compile(r"^Cet article est paru dans\b.*$", re.IGNORECASE)


@dataclass
class RawArticle:
    """What the HTML walk found of one article, part by part, as written."""

    position: int
    publication: list[str] = field(default_factory=list)   # the name, then an edition line
    header: list[str] = field(default_factory=list)        # DocHeader pieces, in order
    title: list[str] = field(default_factory=list)
    subtitle: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    body: list[str] = field(default_factory=list)          # paragraphs of the text's own element
    loose: list[str] = field(default_factory=list)         # paragraphs after the title, outside any part
    numbers: list[str] = field(default_factory=list)       # document-number elements' text
    links: list[str] = field(default_factory=list)         # hrefs of "Cet article est paru dans" links
    source_code: str | None = None
    kind: str | None = None                                # "tweet", "link" (not hosted): not an article
    too_long: bool = False
    truncated: bool = False


@dataclass(frozen=True)
class Header:
    """The parts of a header line: section, date, time, length, page."""

    section: str | None = None
    date: dt.date | None = None
    date_text: str | None = None
    weekday: str | None = None          # as the header names it (may disagree with the date)
    time: str | None = None
    words: int | None = None
    page: str | None = None


def squash(text: str) -> str:
    """Runs of spaces, tabs and line breaks made one space; non-breaking and
    narrow spaces are kept (as the wire parser keeps them).

    >>> squash("  Le\\n  prix\\u00a0: 3 euros ")
    'Le prix\\xa0: 3 euros'
    """
    if "  " in text or "\n" in text or "\t" in text or "\r" in text:
        text = _SPACES.sub(" ", text)
    return text.strip(" ")


def parse_header(text: str) -> Header:
    """The parts of a Europresse header line (French or English date).

    >>> h = parse_header("International, jeudi 5 octobre 2023 812 mots, p. 4")
    >>> h.section, h.date, h.date_text, h.words, h.page
    ('International', datetime.date(2023, 10, 5), 'jeudi 5 octobre 2023', 812, 'p. 4')
    >>> h = parse_header("Monde, mardi 1er octobre 2013 - 14:32 UTC +0200 456 mots")
    >>> h.section, h.date.isoformat(), h.time, h.words
    ('Monde', '2013-10-01', '14:32 UTC +0200', 456)
    >>> parse_header("Thursday, December 22, 2022 1 388 mots, p. 19")
    Header(section=None, date=datetime.date(2022, 12, 22), date_text='Thursday, December 22, 2022', \
weekday='thursday', time=None, words=1388, page='p. 19')
    >>> parse_header("Économie, p. 12").date is None
    True
    """
    text = squash(text)
    m = _FR_DATE.search(text)
    english = False
    if not m:
        m = _EN_DATE.search(text)
        english = m is not None
    date = None
    weekday = None
    if m:
        day = 1 if m.group("day").lower() == "1er" else int(m.group("day"))
        month_word = m.group("month").lower()
        month = _EN_MONTHS.get(month_word) if english else MONTHS.get(month_word.rstrip("."))
        try:
            date = dt.date(int(m.group("year")), month, day) if month else None
        except ValueError:
            date = None
        weekday = m.group("weekday").lower() if m.group("weekday") else None
    before = text[:m.start()] if m else None
    after = text[m.end():] if m else text
    if m is None:
        # No date: a section is what comes before the length or the page.
        cut = min([x.start() for x in (_WORDS.search(text), _PAGE.search(text), _TIME.search(text)) if x] or [len(text)])
        before = text[:cut]
    section = (before or "").strip(" ,;-–—|") or None
    time = _TIME.search(after)
    if time:
        after = after[:time.start()] + " " + after[time.end():]
    words = _WORDS.search(after)
    page = _PAGE.search(after)
    count = None
    if words:
        digits = re.sub(r"\D", "", words.group("words"))
        count = int(digits) if digits and len(digits) < 9 else None
    return Header(section, date, m.group(0).strip() if m else None, weekday,
                  squash(time.group("time")) if time else None, count,
                  squash(page.group("page")) if page else None)


def weekday_number(name: str) -> int | None:
    """0 for lundi/monday ... 6 for dimanche/sunday."""
    name = name.lower()
    if name in WEEKDAYS:
        return WEEKDAYS.index(name)
    return _EN_WEEKDAYS.index(name) if name in _EN_WEEKDAYS else None


def split_publication(name: str) -> tuple[str, str | None]:
    """A publication's name without the issue Europresse appends to it.

    >>> split_publication("La Croix, no. 43018"), split_publication("Le Monde (site web)")
    (('La Croix', 'no. 43018'), ('Le Monde (site web)', None))
    """
    name = squash(name)
    m = _ISSUE.search(name)
    if m and m.start() > 0:
        return name[:m.start()].strip(), m.group("issue").strip()
    return name, None


def document_number(text: str) -> str | None:
    """The document number in a number line or element, as Europresse writes it.

    >>> document_number("Numéro de document : news·20131003·PR·0412")
    'news·20131003·PR·0412'
    >>> document_number("Ce certificat est émis à X") is None
    True
    """
    text = squash(text)
    m = _NUMBER_LINE.match(text)
    if m:
        text = m.group("rest")
    found = _NUMBER.search(text)
    if found:
        return found.group("number")
    if m:  # "Numéro de document : ..." in a form we do not know: kept as written
        return text.split()[0] if text.split() else None
    return None


def is_boilerplate(paragraph: str) -> bool:
    """A paragraph that is Europresse's furniture (certificate, copyright, buttons).

    >>> is_boilerplate("Ce certificat est émis à Université de Lyon à des fins de visualisation personnelle.")
    True
    >>> is_boilerplate("© 2013 Le Progrès. Tous droits réservés."), is_boilerplate("Le maire a parlé.")
    (True, False)
    """
    if len(paragraph) > _BOILERPLATE_CHARS:
        return False
    end = paragraph[-24:].lower().rstrip(" .")
    return end.endswith(("tous droits réservés", "tous droits reserves")) \
        or _ANY_BOILERPLATE.fullmatch(paragraph) is not None


#: How every furniture paragraph starts or ends (lower case): a paragraph
#: that neither starts nor ends so is text, without trying the patterns.
_FURNITURE_STARTS = ("ce ", "certificat", "date d", "document", "le présent", "le present", "©", "(c)", "copyright",
                     "retour", "imprimer", "envoyer", "partager", "télécharger", "telecharger", "sauvegarder",
                     "ajouter", "haut de", "fermer", "europresse", "publi-c", "cet article est paru", "numéro",
                     "numero", "n° de", "document number")
_FURNITURE_HEAD = re.compile("|".join(re.escape(x) for x in _FURNITURE_STARTS), re.IGNORECASE)
_FURNITURE_TAIL = re.compile(r".*r[ée]serv[ée]s\.?\s*$", re.IGNORECASE | re.DOTALL)
#: The agency of a publication name, looked up once per name.
_agency_of = functools.lru_cache(maxsize=4096)(publication_agency)


def _clean_paragraphs(paragraphs: list[str], raw: RawArticle) -> list[str]:
    """The text's paragraphs without furniture; document numbers and
    "Cet article est paru dans" lines are taken out into ``raw``."""
    out = []
    for p in paragraphs:
        p = squash(p)
        if not p:
            continue
        if len(p) > _BOILERPLATE_CHARS or not (_FURNITURE_HEAD.match(p) or "·" in p
                                               or _FURNITURE_TAIL.match(p[-14:])):
            out.append(p)      # an article's paragraph: no furniture is that long or starts so
            continue
        if _NUMBER_LINE.match(p) or (_NUMBER.fullmatch(p)):
            raw.numbers.append(p)
            continue
        if _PARU_DANS.match(p) or is_boilerplate(p):
            continue
        out.append(p)
    return out


def _looks_like_byline(paragraph: str) -> bool:
    """A short line of names (the classic layout's author line)."""
    words = paragraph.split()
    if not 1 <= len(words) <= 8 or re.search(r"[.!?:;»\"”]$", paragraph) or re.search(r"\d", paragraph):
        return False
    names = [w for w in words if w.lower() not in ("par", "de", "du", "des", "d'", "et", "avec", "le", "la", "van",
                                                     "von", "à", "-")]
    return bool(names) and all(w[:1].isupper() for w in names)


def article_piece(raw: RawArticle) -> Piece | str:
    """The story of one article, or why it is not one (a tweet, a link).

    What is odd about an article (no date, no document number, no text, a
    layout it does not know) is in the piece's ``europresse: ...`` warnings.
    """
    warnings: list[str] = []
    if raw.kind == "tweet":
        return "a tweet, not an article: skipped"
    if raw.kind == "link":
        return "a link to an article Europresse does not hold, not an article: skipped"
    meta: dict = {}
    publication = edition = None
    if raw.publication:
        publication, issue = split_publication(raw.publication[0])
        if issue:
            meta["issue"] = issue
        if len(raw.publication) > 1:
            edition = squash(raw.publication[1]) or None
    if publication:
        meta["publication"] = publication
    if edition and edition != publication:
        meta["edition"] = edition
    agency = _agency_of(publication)
    if agency:
        meta["agency"] = agency

    header = parse_header(", ".join(h for h in (squash(x) for x in raw.header) if h.strip(" ,")))
    if header.section:
        meta["section"] = header.section
    if header.words is not None:
        meta["word_count"] = str(header.words)
    if header.page:
        meta["page"] = header.page
    if header.time:
        meta["time"] = header.time

    headline = squash(" ".join(raw.title)) or None
    subtitle = squash(" ".join(raw.subtitle)) or None
    if headline and subtitle and headline.endswith(subtitle):   # a title element holding its subtitle
        headline = headline[:-len(subtitle)].strip() or headline
    if headline:
        meta["headline"] = headline
    if subtitle and subtitle != headline:
        meta["subtitle"] = subtitle

    known_layout = bool(raw.body or raw.title or raw.publication)
    paragraphs = _clean_paragraphs(raw.body if raw.body else raw.loose, raw)
    authors: list[str] = []
    for line in raw.authors:
        for name in byline_names(squash(line)):
            if name not in authors:
                authors.append(name)
    if not authors and not raw.body and not agency and paragraphs and len(paragraphs) > 1 \
            and _looks_like_byline(paragraphs[0]):
        # The classic layout writes the author on the line after the title.
        authors = byline_names(paragraphs.pop(0))
    if authors:
        meta["authors"] = authors
    if raw.source_code:
        meta["source_code"] = raw.source_code
    if raw.links:
        meta["url"] = raw.links[0]

    numbers = [n for n in (document_number(x) for x in raw.numbers) if n]
    if numbers:
        meta["id"] = numbers[0]
    else:
        warnings.append("europresse: no document number: the id is made from the file and the article's position")

    date = header.date
    if date is not None:
        meta["date"] = date.isoformat()
        meta["date_text"] = header.date_text
        wd = weekday_number(header.weekday) if header.weekday else None
        if wd is not None and wd != date.weekday():
            warnings.append(f"europresse: the header says {header.weekday} but {date.isoformat()} "
                            f"is a {WEEKDAYS[date.weekday()]}")
    else:
        from_number = None
        for n in numbers:
            ymd = _NUMBER.search(n)
            try:
                from_number = dt.date(int(ymd.group("ymd")[:4]), int(ymd.group("ymd")[4:6]), int(ymd.group("ymd")[6:]))
                break
            except (AttributeError, ValueError):
                continue
        if from_number is not None:
            meta["date"] = from_number.isoformat()
            warnings.append(f"europresse: no date in the header; {from_number.isoformat()} is the document "
                            "number's date")
        else:
            warnings.append("europresse: no date in the header nor in the document number")

    if not known_layout:
        warnings.append("europresse: none of the layout's parts (publication, title, text) found, "
                        "the layout may have changed: its text is read as plain paragraphs")
    elif not headline:
        warnings.append("europresse: no title: the first paragraph is taken as the headline")
    if not paragraphs:
        warnings.append("europresse: no text (only the title)" if headline else "europresse: no text")
    if raw.truncated:
        warnings.append("europresse: the file ends inside this article (truncated?): read as far as it goes")

    text = "\n\n".join(([headline] if headline else []) + paragraphs)
    return Piece(text, meta, raw.position, tuple(warnings))
