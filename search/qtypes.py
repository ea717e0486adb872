"""Query types of the query language that Whoosh does not have.

- :class:`Truncation`: a truncation or wildcard over the raw (unstemmed)
  words of the stories: ``m?cron`` (``?`` one letter), ``frap$2`` (*frap*
  and at most two letters more); given a text field, the words it reaches
  stand for their stems in that field (a truncation inside a phrase or a
  proximity: ``"frap* aérien*"``).
- :class:`AtLeast`: ``atleast3 frappe``, a word that occurs at least N times
  in a story (headline and body together).

Both are evaluated by :mod:`search.engine`; a :class:`Truncation` also
expands the Whoosh way (``_btexts``), so any Whoosh code can search it.
"""

from __future__ import annotations

import re

from whoosh import query as wq

from indexer.analysis import index_terms

#: The field of raw words (folded, not stemmed) of the text fields.
WORDS = "words"


def wildcard_regex(pattern: str, upto: int = 0) -> re.Pattern:
    """The regular expression of a pattern: ``*`` any letters, ``?`` one,
    and (``upto``) at most that many letters more at the end.

    >>> bool(wildcard_regex("frap", 2).fullmatch("frappe")), bool(wildcard_regex("frap", 2).fullmatch("frappes"))
    (True, False)
    """
    body = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    if upto:
        body += ".{0,%d}" % upto
    return re.compile(body, re.DOTALL)


class Truncation(wq.MultiTerm):
    """Raw words matching ``pattern`` (``*``, ``?``, plus ``upto`` letters
    at the end), as terms of ``fieldname``: the words themselves in
    :data:`WORDS`, their stems (``stemmer``) in a text field."""

    def __init__(self, fieldname: str, pattern: str, upto: int = 0, stemmer: str | None = None,
                 boost: float = 1.0):
        self.fieldname = fieldname
        self.text = pattern + (f"${upto}" if upto else "")  # as typed (folded): messages, bounds
        self.pattern = pattern
        self.upto = upto
        self.stemmer = stemmer
        self.boost = boost
        self.startchar = self.endchar = None

    def __repr__(self):
        return f"{type(self).__name__}({self.fieldname!r}, {self.text!r})"

    def __unicode__(self):
        return f"{self.fieldname}:{self.text}"

    __str__ = __unicode__

    def __eq__(self, other):
        return (type(other) is type(self) and other.fieldname == self.fieldname and other.pattern == self.pattern
                and other.upto == self.upto and other.stemmer == self.stemmer and other.boost == self.boost)

    def __hash__(self):
        return hash((type(self).__name__, self.fieldname, self.pattern, self.upto, self.stemmer, self.boost))

    def patterns(self) -> list[str]:
        """The same words as Whoosh wildcards (``frap$2``: frap, frap?, frap??)."""
        if not self.upto:
            return [self.pattern]
        return [self.pattern + "?" * k for k in range(self.upto + 1)]

    def terms_of(self, words) -> list[str]:
        """The terms of the field the raw words stand for, sorted."""
        if self.fieldname == WORDS:
            return sorted(set(words))
        return sorted({t for w in words for t in index_terms(w, self.stemmer)})

    def _btexts(self, ixreader):
        regex = wildcard_regex(self.pattern, self.upto)
        cut = min((i for i in (self.pattern.find("*"), self.pattern.find("?")) if i >= 0),
                  default=len(self.pattern))
        words = []
        for btext in ixreader.expand_prefix(WORDS, self.pattern[:cut]):
            word = btext.decode("utf-8")
            if regex.fullmatch(word):
                words.append(word)
        for term in self.terms_of(words):
            btext = term.encode("utf-8")
            if self.fieldname == WORDS or (self.fieldname, btext) in ixreader:
                yield btext


class AtLeast(wq.WrappingQuery):
    """The stories where the child's terms occur at least ``n`` times in
    all (their frequencies in the text fields, summed)."""

    def __init__(self, child: wq.Query, n: int):
        self.child = child
        self.n = n

    def __repr__(self):
        return f"{type(self).__name__}({self.child!r}, {self.n})"

    def __eq__(self, other):
        return type(other) is type(self) and other.child == self.child and other.n == self.n

    def __hash__(self):
        return hash((type(self).__name__, self.child, self.n))

    def _rewrap(self, child):
        return type(self)(child, self.n)

    def normalize(self):
        child = self.child.normalize()
        return child if child is wq.NullQuery else type(self)(child, self.n)


__all__ = ["WORDS", "AtLeast", "Truncation", "wildcard_regex"]
