"""When a word of the query matches nothing: another form, or a relaxed result.

A user who drops the *s* of an invariable word (``secour``, ``discour``,
``recour``) or types a form no story holds gets zero hits, since every word
of an AND must match. Before the search runs, :func:`replace_absent_words`
looks at each word of the query's text fields that matches no story and
tries its other forms the index holds (an *s* or an *x* added or taken off):
``secour`` is searched as ``secours``. A word with no such form is *missing*;
if the search then finds nothing, :func:`most_words` answers with the
stories that have most of the query's parts (the parts of its top-level
AND), shown as a relaxed result. :class:`Relaxation` says what was done, in
one line. Negated words are left alone, and so are words inside phrases
when no other form exists (a phrase is not relaxed).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from whoosh import query as wq

from indexer.analysis import is_stop_word, stem_light, word_spans
from indexer.index.schema import TEXT_FIELDS


@dataclass(frozen=True)
class Relaxation:
    """What a search changed because words of its query matched nothing."""

    #: (word as typed, the form searched instead)
    replaced: tuple[tuple[str, str], ...] = ()
    #: Words as typed that matched nothing and have no other form in the index.
    missing: tuple[str, ...] = ()
    #: The hits have most of the query's parts, not all of them.
    relaxed: bool = False

    def __bool__(self) -> bool:
        return bool(self.replaced or self.missing)

    def message(self) -> str:
        """One line for the CLI and the TUI's status line.

        >>> Relaxation((("secour", "secours"),), ("xyzzy",), True).message()
        'secour matched nothing: searched secours instead; xyzzy matched nothing: showing the stories with most of the words (relaxed)'
        """
        parts = [f"{typed} matched nothing: searched {form} instead" for typed, form in self.replaced]
        if self.missing:
            words = ", ".join(self.missing)
            tail = ": showing the stories with most of the words (relaxed)" if self.relaxed else ""
            parts.append(f"{words} matched nothing{tail}")
        return "; ".join(parts)

    def to_dict(self) -> dict:
        return {"replaced": {typed: form for typed, form in self.replaced},
                "missing": list(self.missing), "relaxed": self.relaxed, "message": self.message()}


def other_forms(term: str) -> list[str]:
    """The index terms of a term's other forms: an s or an x added or taken off.

    >>> other_forms("secour")
    ['secours', 'secourx']
    >>> other_forms("paris")
    ['pari']
    """
    forms = {term + "s"}
    if term.endswith(("s", "x")) and len(term) > 2:
        forms.add(term[:-1])
    else:
        forms.add(term + "x")
    out = set()
    for form in forms:
        if not is_stop_word(form):
            stem = stem_light(form)
            if stem != term:
                out.add(stem)
    return sorted(out)


def _matches(arrays, term: str) -> int:
    """How many stories hold ``term`` in one of the text fields (the most of any field)."""
    return max(int(arrays.postings(field, term)[0].size) for field in TEXT_FIELDS)


def _terms(q: wq.Query, negated: bool = False):
    """(term text, negated) of the text-field words of a query, phrases included."""
    if isinstance(q, wq.Term) and q.fieldname in TEXT_FIELDS:
        yield q.text, negated
    elif isinstance(q, wq.Phrase) and q.fieldname in TEXT_FIELDS:
        for word in q.words:
            yield word, negated
    elif isinstance(q, wq.Not):
        yield from _terms(q.query, True)
    elif isinstance(q, wq.AndNot):
        yield from _terms(q.a, negated)
        yield from _terms(q.b, True)
    elif not q.is_leaf():
        for child in q.children():
            yield from _terms(child, negated)


def _substitute(q: wq.Query, forms: dict[str, str]) -> wq.Query:
    """The query with the words of ``forms`` replaced (negated parts left alone)."""
    if isinstance(q, wq.Term) and q.fieldname in TEXT_FIELDS and q.text in forms:
        return wq.Term(q.fieldname, forms[q.text], boost=q.boost)
    if isinstance(q, wq.Phrase) and q.fieldname in TEXT_FIELDS and set(q.words) & set(forms):
        return wq.Phrase(q.fieldname, [forms.get(w, w) for w in q.words], slop=q.slop, boost=q.boost)
    if isinstance(q, wq.Not):
        return q
    if isinstance(q, wq.AndNot):
        return wq.AndNot(_substitute(q.a, forms), q.b)
    if q.is_leaf():
        return q
    return q.apply(lambda child: _substitute(child, forms))


def _typed(text: str, term: str) -> str:
    """The word of the query text that gives ``term``, as the user typed it."""
    for start, end, _, word_term in word_spans(text):
        if word_term == term:
            return text[start:end]
    return term


def replace_absent_words(q: wq.Query, arrays, text: str) -> tuple[wq.Query, Relaxation]:
    """Replace each word that matches nothing by its most frequent other form
    the index holds; the words with none are reported as missing."""
    absent = []
    for term, negated in _terms(q):
        if not negated and term not in absent and _matches(arrays, term) == 0:
            absent.append(term)
    if not absent:
        return q, Relaxation()
    forms: dict[str, str] = {}
    missing = []
    for term in absent:
        found = [(n, form) for form in other_forms(term) if (n := _matches(arrays, form))]
        if found:
            forms[term] = max(found, key=lambda pair: (pair[0], pair[1]))[1]
        else:
            missing.append(_typed(text, term))
    relaxation = Relaxation(tuple((_typed(text, t), f) for t, f in forms.items()), tuple(missing))
    return (_substitute(q, forms) if forms else q), relaxation


def most_words(q: wq.Query, arrays, filt: wq.Query | None, scored: bool):
    """(mask, score) of the stories that match most of the parts of the
    query's top-level AND (filters applied), or None when none matches any."""
    parts = list(q.subqueries) if isinstance(q, wq.And) else [q]
    if len(parts) < 2:
        return None
    count = np.zeros(arrays.n, dtype=np.int32)
    total = np.zeros(arrays.n) if scored else None
    for part in parts:
        mask, score = arrays.evaluate(part if filt is None else wq.Require(part, filt), scored)
        count += mask
        if scored and score is not None:
            total += np.where(mask, score, 0.0)
    best = int(count.max()) if count.size else 0
    if best == 0:
        return None
    return count == best, total


def relax(q: wq.Query, arrays, filt: wq.Query | None, scored: bool, relaxation: Relaxation):
    """The relaxed (mask, score, relaxation) when words are missing, else None."""
    if not relaxation.missing:
        return None
    found = most_words(q, arrays, filt, scored)
    if found is None:
        return None
    return found[0], found[1], replace(relaxation, relaxed=True)


__all__ = ["Relaxation", "most_words", "other_forms", "relax", "replace_absent_words"]
