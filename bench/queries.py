"""The benchmark's query mix, and how each engine writes each query.

A query is a small record: a text part (a tree of words, phrases, AND, OR,
NOT, truncation and fuzzy words), field filters (agency, translator, place,
headline) and a date range. The words come from the generated corpus's
manifest (frequent, middle and rare words of its vocabulary, its common
phrases, its topics, its translators and places), so every query finds
something whatever vocabulary the corpus was made from.

Each engine gets the same queries in its own syntax: Dépêche's query
language (French operators), Whoosh's default query parser (English
operators), an SQLite FTS5 MATCH expression, or tantivy query objects (built
in :mod:`bench.baselines`, from the same record).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field

#: Query categories, in the order they are reported.
CATEGORIES = ("word", "words", "phrase", "operators", "filters", "truncation", "fuzzy")

# Text nodes: ("term", w) ("and", [n...]) ("or", [n...]) ("not", pos, neg)
#             ("phrase", [w...], slop) ("prefix", stem) ("fuzzy", w, dist)


@dataclass(frozen=True)
class Query:
    name: str
    category: str
    text: tuple | None = None
    fields: tuple[tuple[str, str], ...] = ()      # (agency|translators|places|headline, value)
    date: tuple[str, str] | None = None           # inclusive ISO days
    date_text: str | None = None                  # how the user typed it (date:2012, date:[a TO b])
    extra: dict = field(default_factory=dict, hash=False, compare=False)

    def to_dict(self) -> dict:
        return {"name": self.name, "category": self.category, "text": self.text, "fields": self.fields,
                "date": self.date, "date_text": self.date_text}

    @classmethod
    def from_dict(cls, d: dict) -> "Query":
        def tup(x):
            return tuple(tup(i) for i in x) if isinstance(x, list) else x
        return cls(d["name"], d["category"], tup(d["text"]), tup(d["fields"]) or (),
                   tup(d["date"]), d.get("date_text"))


def fold(word: str) -> str:
    """Without accents, as users type.

    >>> fold("Pékin élu")
    'Pekin elu'
    """
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))


def misspell(word: str) -> str:
    """One substitution inside the word (first letter kept).

    >>> misspell("gouvernement")
    'gouverniment'
    """
    vowels = "aeiou"
    for i in range(len(word) // 2, len(word) - 1):
        c = word[i]
        if c in vowels:
            return word[:i] + vowels[(vowels.index(c) + 1) % 5] + word[i + 1:]
    return word[:-1] + ("e" if word[-1] != "e" else "a")


def _pick(words: list[str], i: int, fallback: str = "gouvernement") -> str:
    return words[i % len(words)].lower() if words else fallback


def build_mix(manifest: dict) -> list[Query]:
    """The fixed mix of queries for one generated corpus."""
    qw = manifest.get("query_words", {})
    fw, mw, rw = qw.get("frequent", []), qw.get("middle", []), qw.get("rare", [])
    phrases = [p for p in qw.get("phrases", []) if len(p.split()) == 2] or ["premier ministre"]
    topics = [[w.lower() for w in t if len(w) >= 5 and w.isalpha()] for t in qw.get("topics", [])]
    topics = [t for t in topics if len(t) >= 3] or [["gouvernement", "ministre", "président"]]
    translators = list(manifest.get("translators", {})) or ["Jean Martin"]
    places = list(manifest.get("places", {})) or ["PARIS"]
    first = dt.date.fromisoformat(manifest.get("first_date", "2012-01-01"))
    last = dt.date.fromisoformat(manifest.get("last_date", "2012-12-31"))
    f = lambda i: _pick(fw, i)  # noqa: E731
    m = lambda i: _pick(mw, i)  # noqa: E731
    r = lambda i: _pick(rw, i)  # noqa: E731
    T = lambda w: ("term", w)   # noqa: E731
    accented = next((w for w in fw + mw if fold(w) != w), f(1))
    surname = translators[0].split()[-1].lower()
    place = next((p for p in places if " " in p), places[0]).lower()
    month_lo = first + dt.timedelta(days=60)
    month_hi = month_lo + dt.timedelta(days=45)
    year = str(first.year if (last - first).days < 400 else first.year + 2)
    mix = [
        Query("word-frequent-1", "word", T(f(0))),
        Query("word-frequent-2", "word", T(f(3))),
        Query("word-frequent-3", "word", T(f(6))),
        Query("word-middle-1", "word", T(m(0))),
        Query("word-middle-2", "word", T(m(4))),
        Query("word-middle-3", "word", T(m(8))),
        Query("word-rare-1", "word", T(r(0))),
        Query("word-no-accents", "word", T(fold(accented))),
        Query("words-2", "words", ("and", [T(f(1)), T(m(1))])),
        Query("words-topic-2", "words", ("and", [T(topics[0][0]), T(topics[0][1])])),
        Query("words-topic-3", "words", ("and", [T(w) for w in topics[1 % len(topics)][:3]])),
        Query("words-frequent-2", "words", ("and", [T(f(2)), T(f(4))])),
        Query("words-rare", "words", ("and", [T(m(2)), T(r(1))])),
        Query("phrase-1", "phrase", ("phrase", phrases[0].lower().split(), 0)),
        Query("phrase-2", "phrase", ("phrase", phrases[1 % len(phrases)].lower().split(), 0)),
        Query("phrase-3", "phrase", ("phrase", phrases[2 % len(phrases)].lower().split(), 0)),
        Query("proximity", "phrase", ("phrase", phrases[3 % len(phrases)].lower().split(), 5)),
        Query("et", "operators", ("and", [T(f(7)), T(m(5))])),
        Query("ou", "operators", ("or", [T(m(6)), T(r(2))])),
        Query("sauf", "operators", ("not", T(f(8)), T(f(9)))),
        Query("ou-et", "operators", ("and", [("or", [T(topics[2 % len(topics)][0]), T(topics[2 % len(topics)][1])]),
                                             T(topics[2 % len(topics)][2])])),
        Query("agency", "filters", T(f(0)), fields=(("agency", "afp"),)),
        Query("translator", "filters", None, fields=(("translators", surname),)),
        Query("place", "filters", T(f(1)), fields=(("places", place),)),
        Query("year", "filters", T(m(0)), date=(f"{year}-01-01", f"{year}-12-31"), date_text=f"date:{year}"),
        Query("date-range", "filters", T(f(1)), date=(month_lo.isoformat(), month_hi.isoformat()),
              date_text=f"date:[{month_lo.isoformat()} TO {month_hi.isoformat()}]"),
        Query("headline", "filters", None, fields=(("headline", f(2)),)),
        Query("prefix-1", "truncation", ("prefix", fold(f(0))[:4])),
        Query("prefix-2", "truncation", ("prefix", fold(m(0))[:5])),
        Query("prefix-3", "truncation", ("prefix", fold(f(5))[:5])),
        Query("fuzzy-1", "fuzzy", ("fuzzy", misspell(fold(m(1))), 1)),
        Query("fuzzy-2", "fuzzy", ("fuzzy", misspell(fold(f(3))), 1)),
        Query("fuzzy-3", "fuzzy", ("fuzzy", misspell(fold(r(3))), 2)),
    ]
    return mix


# ---------------------------------------------------------------- Dépêche

def _quote(value: str) -> str:
    return f'"{value}"' if " " in value or "-" in value else value


def depeche_text(q: Query) -> str:
    """The query in Dépêche's query language (French operators)."""
    names = {"agency": "agence", "translators": "traducteur", "places": "lieu", "headline": "titre"}

    def node(n, top=False) -> str:
        kind = n[0]
        if kind == "term":
            return n[1]
        if kind == "and":
            sep = " ET " if any(c[0] == "or" for c in n[1]) or q.category == "operators" else " "
            out = sep.join(node(c) for c in n[1])
            return out if top else f"({out})"
        if kind == "or":
            out = " OU ".join(node(c) for c in n[1])
            return f"({out})" if not top else out
        if kind == "not":
            return f"{node(n[1])} SAUF {node(n[2])}"
        if kind == "phrase":
            return f'"{" ".join(n[1])}"' + (f"~{n[2]}" if n[2] else "")
        if kind == "prefix":
            return n[1] + "*"
        if kind == "fuzzy":
            return n[1] + ("~" if n[2] == 1 else f"~{n[2]}")
        raise ValueError(kind)

    parts = [f"{names[f]}:{_quote(v)}" for f, v in q.fields]
    if q.date_text:
        parts.append(q.date_text)
    if q.text is not None:
        parts.append(node(q.text, top=not parts))
    return " ".join(parts)


# ---------------------------------------------------------------- Whoosh

def whoosh_text(q: Query) -> str:
    """The query in Whoosh's default query parser syntax (English operators)."""
    def node(n) -> str:
        kind = n[0]
        if kind == "term":
            return n[1]
        if kind == "and":
            return "(" + " AND ".join(node(c) for c in n[1]) + ")"
        if kind == "or":
            return "(" + " OR ".join(node(c) for c in n[1]) + ")"
        if kind == "not":
            return f"({node(n[1])} NOT {node(n[2])})"
        if kind == "phrase":
            return f'"{" ".join(n[1])}"' + (f"~{n[2]}" if n[2] else "")
        if kind == "prefix":
            return n[1] + "*"
        if kind == "fuzzy":
            return f"{n[1]}~{n[2]}"
        raise ValueError(kind)

    parts = [f"{f}:{_quote(v)}" for f, v in q.fields]
    if q.date:
        parts.append(f"day:[{q.date[0]} TO {q.date[1]}]")
    if q.text is not None:
        parts.append(node(q.text))
    return " AND ".join(parts)


# ---------------------------------------------------------------- FTS5

def fts5_match(q: Query) -> str | None:
    """The FTS5 MATCH expression (None: FTS5 has no fuzzy search); the date
    range is a separate SQL condition."""
    def node(n) -> str:
        kind = n[0]
        if kind == "term":
            return f'"{n[1]}"'
        if kind == "and":
            return "(" + " AND ".join(node(c) for c in n[1]) + ")"
        if kind == "or":
            return "(" + " OR ".join(node(c) for c in n[1]) + ")"
        if kind == "not":
            return f"({node(n[1])} NOT {node(n[2])})"
        if kind == "phrase":
            if n[2]:
                return "NEAR(" + " ".join(f'"{w}"' for w in n[1]) + f", {n[2]})"
            return '"' + " ".join(n[1]) + '"'
        if kind == "prefix":
            return f'"{n[1]}"*'
        raise LookupError(kind)

    try:
        parts = [f'{f} : "{v}"' for f, v in q.fields]
        if q.text is not None:
            parts.append("{headline body} : " + node(q.text))
    except LookupError:
        return None
    return " AND ".join(parts) if parts else None


__all__ = ["CATEGORIES", "Query", "build_mix", "depeche_text", "fts5_match", "whoosh_text"]
