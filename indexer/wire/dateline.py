"""Datelines: ``MOSCOU, 20 novembre (Reuters) -`` and its cousins.

Pure functions over strings; nothing here reads files or globals that change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Capital letters (with the accented ones French uses) and lower-case letters.
UPPER = "A-ZÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸÆŒÁÍÓÚÑÃÕ"
LOWER = "a-zàâäçéèêëîïôöùûüÿæœáíóúñãõß"

MONTHS = {
    "janvier": 1, "janv": 1, "jan": 1,
    "fevrier": 2, "février": 2, "fevr": 2, "févr": 2, "fev": 2, "fév": 2,
    "mars": 3, "mar": 3,
    "avril": 4, "avr": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7, "juil": 7, "jul": 7,
    "aout": 8, "août": 8,
    "septembre": 9, "sept": 9, "sep": 9,
    "octobre": 10, "oct": 10,
    "novembre": 11, "nov": 11,
    "decembre": 12, "décembre": 12, "dec": 12, "déc": 12,
}

#: Canonical agency names, keyed by a lower-case alias.
AGENCIES = {
    "reuters": "Reuters", "agence reuters": "Reuters", "thomson reuters": "Reuters",
    "afp": "AFP", "a.f.p.": "AFP", "agence france-presse": "AFP",
    "agence france presse": "AFP", "france-presse": "AFP",
    "ap": "AP", "a.p.": "AP", "associated press": "AP", "apw": "AP",
    "xinhua": "Xinhua", "chine nouvelle": "Xinhua", "xin": "Xinhua",
    "agence chine nouvelle": "Xinhua",
    "ats": "ATS", "ats-sda": "ATS", "keystone-ats": "ATS", "sda": "ATS",
    "belga": "Belga", "agence belga": "Belga",
    "dpa": "DPA", "deutsche presse-agentur": "DPA",
    "ansa": "ANSA", "bloomberg": "Bloomberg", "efe": "EFE", "kyodo": "Kyodo",
    "aps": "APS", "map": "MAP", "anadolu": "Anadolu", "aa": "Anadolu",
    "itar-tass": "TASS", "tass": "TASS", "ria novosti": "RIA Novosti",
    "pap": "PAP", "ctk": "CTK", "apa": "APA", "cp": "La Presse canadienne",
    "la presse canadienne": "La Presse canadienne", "awp": "AWP",
}

_MONTH_RE = "|".join(sorted({re.escape(m) for m in MONTHS}, key=len, reverse=True))
_DATE_RE = (
    rf"(?P<day>1er|[0-3]?\d)\s*(?P<month>(?:{_MONTH_RE})\.?)(?:\s+(?P<year>(?:19|20)\d\d))?"
    rf"|(?P<nday>[0-3]?\d)/(?P<nmonth>[01]?\d)(?:/(?P<nyear>(?:19|20)\d\d))?"
)
_PLACE = rf"[{UPPER}][{UPPER}0-9'’.\- ]*[{UPPER}.]|[{UPPER}]"
DATELINE_RE = re.compile(
    rf"^\s*(?P<places>(?:{_PLACE})(?:\s*/\s*(?:{_PLACE}))*)"
    rf"(?:\s*,\s*(?P<region>[{UPPER}][{LOWER}'’\-]+(?:[ \-][{UPPER}{LOWER}][{LOWER}'’\-]*){{0,3}}))?"
    rf"(?:\s*,?\s*(?:{_DATE_RE}))?"
    rf"\s*\((?P<agency>[^()\n]{{1,40}})\)\s*(?:--|—|–|-|:|=)\s*",
    re.IGNORECASE * 0,
)
# The month names must match whatever their case ("20 Nov 2015").
DATELINE_RE = re.compile(DATELINE_RE.pattern.replace(f"(?:{_MONTH_RE})", f"(?i:{_MONTH_RE})"))
# Without the agency's parenthesis, a dateline needs its date: "PARIS, 3 mai -".
_BARE_DATELINE_RE = re.compile(
    DATELINE_RE.pattern
    .replace(rf"(?:\s*,?\s*(?:{_DATE_RE}))?".replace(f"(?:{_MONTH_RE})", f"(?i:{_MONTH_RE})"),
             rf"\s*,\s*(?:{_DATE_RE})".replace(f"(?:{_MONTH_RE})", f"(?i:{_MONTH_RE})"))
    .replace(r"\s*\((?P<agency>[^()\n]{1,40})\)\s*(?:--|—|–|-|:|=)\s*", r"\s*(?:--|—|–|-)\s+")
)

_PARTICLES = {
    "de", "du", "des", "la", "le", "les", "en", "sur", "sous", "lès", "les",
    "et", "au", "aux", "az", "al", "el", "ad", "ed", "es", "ech", "er",
}


@dataclass(frozen=True)
class Dateline:
    """What a dateline says, and where the story's text starts after it."""

    places: tuple[str, ...]
    agency: str | None
    day: int | None
    month: int | None
    year: int | None
    end: int


def normal_case(place: str) -> str:
    """A dateline place in normal case, particles in lower case but first.

    >>> normal_case("SAINT-PÉTERSBOURG")
    'Saint-Pétersbourg'
    >>> normal_case("AIX-EN-PROVENCE")
    'Aix-en-Provence'
    >>> normal_case("DAÏR AZ ZOUR")
    'Daïr az Zour'
    >>> normal_case("N'DJAMENA")
    "N'Djamena"
    >>> normal_case("LE CAIRE")
    'Le Caire'
    """
    out: list[str] = []
    first = True
    for word in re.split(r"([ \-])", place.strip()):
        if word in (" ", "-") or not word:
            out.append(word)
            continue
        low = word.lower()
        if not first and low in _PARTICLES:
            out.append(low)
        else:
            m = re.match(r"^([ldn]['’])(.+)$", low)
            if m and not first and m.group(1)[0] in "ld":
                out.append(m.group(1) + m.group(2).capitalize())
            elif m:
                out.append(m.group(1).capitalize() + m.group(2).capitalize())
            else:
                out.append(low.capitalize())
        first = False
    return "".join(out)


def canonical_agency(name: str, aliases: dict[str, str] | None = None) -> str:
    """The canonical name of an agency, by built-in and configured aliases.

    >>> canonical_agency("Agence France-Presse")
    'AFP'
    >>> canonical_agency("dpa")
    'DPA'
    >>> canonical_agency("Le Soir")
    'Le Soir'
    """
    key = " ".join(name.split()).strip().lower()
    for alias, canon in (aliases or {}).items():
        if alias.strip().lower() == key:
            return canon
    return AGENCIES.get(key, " ".join(name.split()).strip())


def is_agency(name: str, aliases: dict[str, str] | None = None) -> bool:
    """True when the name is a known agency or alias."""
    key = " ".join(name.split()).strip().lower()
    return key in AGENCIES or any(a.strip().lower() == key for a in (aliases or {}))


def parse_dateline(text: str, aliases: dict[str, str] | None = None) -> Dateline | None:
    """Read the dateline at the start of ``text``, or None.

    >>> d = parse_dateline("MOSCOU, 20 novembre (Reuters) - La Russie a...")
    >>> d.places, d.agency, d.day, d.month, d.year
    (('Moscou',), 'Reuters', 20, 11, None)
    >>> d = parse_dateline("PARIS, 20 nov 2015 (AFP) - Le...")
    >>> d.agency, d.day, d.month, d.year
    ('AFP', 20, 11, 2015)
    >>> parse_dateline("WASHINGTON/MOSCOU (AP) — Les...").places
    ('Washington', 'Moscou')
    >>> parse_dateline("RAMALLAH, Cisjordanie, 5 mars (Reuters) - Le...").places
    ('Ramallah', 'Cisjordanie')
    >>> parse_dateline("La Russie (Reuters) - non") is None
    True
    """
    m = DATELINE_RE.match(text)
    agency_text = m.group("agency").strip() if m else None
    # A parenthesis that is not an agency ("(photo)") does not make a dateline
    # unless it looks like one: a short name with no sentence in it.
    if agency_text and not is_agency(agency_text, aliases) and (
        len(agency_text.split()) > 3 or not re.match(rf"^[{UPPER}{LOWER}.\- ]+$", agency_text)
    ):
        m = agency_text = None
    if not m:
        m = _BARE_DATELINE_RE.match(text)
        if not m:
            return None
    places = tuple(
        normal_case(p) for p in re.split(r"\s*/\s*", m.group("places").strip()) if p.strip()
    )
    if m.group("region"):
        places += (m.group("region").strip(),)
    day = month = year = None
    if m.group("day"):
        day = 1 if m.group("day") == "1er" else int(m.group("day"))
        month = MONTHS.get(m.group("month").rstrip(".").lower())
        year = int(m.group("year")) if m.group("year") else None
    elif m.group("nday"):
        day, month = int(m.group("nday")), int(m.group("nmonth"))
        year = int(m.group("nyear")) if m.group("nyear") else None
    if day is not None and not (1 <= day <= 31 and month and 1 <= month <= 12):
        day = month = year = None
    agency = canonical_agency(agency_text, aliases) if agency_text else None
    return Dateline(places, agency, day, month, year, m.end())
