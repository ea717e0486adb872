"""Credit lines: who reported, translated and edited a story.

French desks write many families of credit lines; this module reads them::

    (A, B et C; D pour le service français)
    (Reportage de A et B, avec C à Dubaï; D et E pour le service français, édité par F)
    (A; version française B, édité par C)
    (Service français)      (Bureau de Paris)

and AFP's trailing initials (``abc-fb/jmt/sd``) as signatures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from indexer.wire.dateline import LOWER, UPPER, is_agency

_NAME_WORD = rf"(?:[{UPPER}][{LOWER}'’.]*(?:-[{UPPER}][{LOWER}'’.]*)*|[{UPPER}]{{2,}}(?:-[{UPPER}]{{2,}})*)"
_PARTICLE = r"(?:de|du|des|da|di|do|dos|van|von|der|den|ter|le|la|al|el|ben|bin|ibn|mc|d['’]|l['’])"
NAME_RE = re.compile(
    rf"^(?:{_NAME_WORD}|{_PARTICLE}(?:\s+|(?<=['’])))"
    rf"(?:\s+(?:{_NAME_WORD})|\s+{_PARTICLE}(?=\s)|(?<=['’]){_NAME_WORD})*$"
)

_TRANSLATOR_SUFFIX = re.compile(
    r"^(?P<names>.+?)\s+pour\s+(?:le\s+)?(?P<desk>(?:service|desk|édition|edition)\s+(?:français|francais|francophone)(?:\s+de\s+\w+)?)\s*$",
    re.IGNORECASE,
)
_ROLE_PREFIXES = (
    # (regex of the prefix, role)
    (r"version\s+fran[cç]aise\s*(?:de|:)?", "translators"),
    (r"traduction\s*(?:de|:)?", "translators"),
    (r"traduit\s+(?:de\s+l['’]anglais\s+)?par", "translators"),
    (r"[ée]dit[ée]\s+par", "editors"),
    (r"[ée]dition\s*(?:de|:)?", "editors"),
    (r"(?:avec\s+)?(?:la\s+)?(?:contribution|collaboration)\s+de", "authors"),
    (r"avec", "authors"),
    (r"reportage\s*(?:de|:)?", "authors"),
    (r"r[ée]dig[ée]\s+par", "authors"),
    (r"propos\s+recueillis\s+par", "authors"),
    (r"par", "authors"),
)
_ROLE_RE = [(re.compile(rf"^{p}\s+(?P<rest>.+)$", re.IGNORECASE), role) for p, role in _ROLE_PREFIXES]
_DESK_RE = re.compile(
    r"^(?:(?:le\s+)?service\s+(?:français|francais)|(?:bureau|rédaction|redaction|desk)\s+(?:de|d['’])\s*\S.*)$",
    re.IGNORECASE,
)
_PLACE_TAIL = re.compile(rf"\s+(?:à|a|au|aux|en|depuis)\s+[{UPPER}][^,;]*$")
SIGNATURE_RE = re.compile(r"^\(?\s*([a-z]{2,6}(?:\s*[-/]\s*[a-z]{2,6})+)\s*\)?$")


@dataclass(frozen=True)
class Credits:
    """The people and desk a credit line names."""

    authors: tuple[str, ...] = ()
    translators: tuple[str, ...] = ()
    editors: tuple[str, ...] = ()
    desk: str | None = None


def split_names(text: str) -> list[str] | None:
    """Names in ``A, B et C``; None when one of them is not a name.

    >>> split_names("Vladimir Soldatkine, Dmitri Antonov et John Davison")
    ['Vladimir Soldatkine', 'Dmitri Antonov', 'John Davison']
    >>> split_names("à ce sujet") is None
    True
    """
    parts = re.split(r"\s*,\s*|\s+et\s+|\s+and\s+|\s*&\s*", text.strip().rstrip("."))
    names = [p.strip() for p in parts if p.strip()]
    if not names or not all(NAME_RE.match(n) and len(n.split()) <= 5 for n in names):
        return None
    return names


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def parse_credits(text: str, agencies: dict[str, str] | None = None) -> Credits | None:
    """Read the inside of a closing parenthesis; None if it is not credits.

    >>> c = parse_credits("Vladimir Soldatkine, Dmitri Antonov et John Davison; "
    ...                   "Danielle Rouquié pour le service français")
    >>> c.authors, c.translators, c.desk
    (('Vladimir Soldatkine', 'Dmitri Antonov', 'John Davison'), ('Danielle Rouquié',), 'service français')
    >>> c = parse_credits("Reportage de A. Dupont et Jean Martin, avec Sami Aboudi à Dubaï; "
    ...                   "Marc Angrand et Myriam Rivet pour le service français, édité par Sophie Louet")
    >>> c.authors, c.translators, c.editors
    (('A. Dupont', 'Jean Martin', 'Sami Aboudi'), ('Marc Angrand', 'Myriam Rivet'), ('Sophie Louet',))
    >>> parse_credits("Bureau de Paris").desk
    'bureau de Paris'
    >>> parse_credits("à ce sujet") is None
    True
    """
    roles: dict[str, list[str]] = {"authors": [], "translators": [], "editors": []}
    desk = None
    clauses = [c.strip() for c in re.split(r"\s*;\s*", text.strip()) if c.strip()]
    if not clauses:
        return None
    for clause in clauses:
        # A clause may chain roles: "D pour le service français, édité par F".
        pieces = _split_roles(clause)
        for piece in pieces:
            piece = piece.strip().rstrip(".")
            if not piece:
                continue
            if _DESK_RE.match(piece):
                desk = _lower_first(re.sub(r"^le\s+", "", piece, flags=re.IGNORECASE))
                continue
            m = _TRANSLATOR_SUFFIX.match(piece)
            if m:
                names = split_names(m.group("names"))
                if names is None:
                    return None
                roles["translators"] += names
                desk = _lower_first(m.group("desk"))
                continue
            role, rest = "authors", piece
            for rx, r in _ROLE_RE:
                mm = rx.match(piece)
                if mm:
                    role, rest = r, mm.group("rest")
                    break
            rest = _PLACE_TAIL.sub("", rest)
            names = split_names(rest)
            if names is None:
                return None
            if rest is piece and not _plausible_bare_names(names, agencies):
                return None  # "(FDA)", "(Deux-Sèvres)": not a credit line
            names = [n for n in names if not is_agency(n, agencies) and n.lower() not in ("reuters tv",)]
            roles[role] += names
    if not any(roles.values()) and desk is None:
        return None
    return Credits(
        tuple(dict.fromkeys(roles["authors"])),
        tuple(dict.fromkeys(roles["translators"])),
        tuple(dict.fromkeys(roles["editors"])),
        desk,
    )


def _plausible_bare_names(names: list[str], agencies) -> bool:
    """Names with no role word: each of two words or more, none an agency."""
    return all(
        len(n.split()) >= 2 and not any(is_agency(w, agencies) for w in n.split())
        for n in names
    )


_ROLE_SPLIT = re.compile(
    r",\s*(?=(?:version\s+fran|traduction|traduit|[ée]dit[ée]\s+par|[ée]dition|avec\s|r[ée]dig[ée]|reportage))",
    re.IGNORECASE,
)


def _split_roles(clause: str) -> list[str]:
    return _ROLE_SPLIT.split(clause)


def parse_signatures(line: str, agencies: dict[str, str] | None = None) -> tuple[str, ...] | None:
    """AFP-style initials on a last line; None if the line is not that.

    >>> parse_signatures("abc-fb/jmt/sd")
    ('abc', 'fb', 'jmt', 'sd')
    >>> parse_signatures("(ats/lr/mk)")
    ('lr', 'mk')
    >>> parse_signatures("fin") is None
    True
    """
    m = SIGNATURE_RE.match(line.strip())
    if not m:
        return None
    parts = [p for p in re.split(r"\s*[-/]\s*", m.group(1)) if p]
    return tuple(p for p in parts if not is_agency(p, agencies))


_BYLINE_RE = re.compile(rf"^[Pp]ar\s+(?P<name>(?:{_NAME_WORD}|{_PARTICLE})(?:\s+(?:{_NAME_WORD}|{_PARTICLE})){{1,4}})\s*$")


def parse_byline(paragraph: str) -> str | None:
    """The author of an AFP byline paragraph ``Par Jean DUPONT``.

    >>> parse_byline("Par Jean DUPONT")
    'Jean Dupont'
    >>> parse_byline("par Marie-Hélène LE GALL")
    'Marie-Hélène Le Gall'
    >>> parse_byline("Par ailleurs, le ministre a dit") is None
    True
    """
    m = _BYLINE_RE.match(paragraph.strip())
    if not m:
        return None
    words = []
    for w in m.group("name").split():
        if w.isupper() and len(w) > 1:
            w = "-".join(p.capitalize() for p in w.split("-"))
        words.append(w)
    return " ".join(words)
