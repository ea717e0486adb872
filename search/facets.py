"""Facet counts that tell the truth: a value's count is what a filter on it gives.

Whoosh counts the exact strings of a facet field, story by story; a user
clicks a value and gets what the *filter* finds, story group by story group.
The two disagreed (``coronavirus --facets agency``: AFP 498, ``--agency
AFP``: 472; ``PEKIN`` 2 and ``PÉKIN`` 1, either filter 3). Here, on top of
the engine's exact counts (:mod:`search.engine`, checked against Whoosh):

- **one value per folded form**: values are folded as the filter folds them
  (names: the folding tokenizer's words, ``Pékin`` = ``PEKIN``; exact
  fields: :func:`~indexer.index.schema.fold_value`), and shown in their most
  frequent spelling in the index (ties: the first in code-point order);
- **the filter's matches**: a filter on names is a phrase inside one value
  (``--translator rouquie`` finds *Danielle Rouquié*), so a value counts the
  results holding it or a longer value that contains its words in a row;
- **the same mode as the results**: story groups by default (a group counts
  once however many of its matching versions hold the value), stories with
  ``all_versions``;
- **the stories without a value**: :data:`~search.results.MISSING`
  (``(none)``; :data:`~search.results.NO_DATE` for the date), counted as the
  filter on that label finds them (``--place "(none)"``, ``--undated``).

The folded values and their matches are worked out once per index
generation from the facet fields' lexicons (the values, not the stories).
Counting a result set by story group needs the distinct (group, value)
pairs: a story alone in its group (most of them) gives a distinct pair by
itself and is counted straight away; only the stories of groups of
several need a ``unique``.
"""

from __future__ import annotations

import numpy as np

from indexer.analysis import FrenchTokenizer
from indexer.fields import FIELDS, NAMES
from indexer.index.schema import FACET_FIELDS, fold_value
from search.hitsets import distinct
from search.results import MISSING, NO_DATE, FacetValue

_NAMES = FrenchTokenizer()
_DATE_BUCKETS = {"year": (10000, "{:04d}"), "month": (100, "{:04d}-{:02d}"), "day": (1, "{:04d}-{:02d}-{:02d}")}


def value_key(field: str, value: str) -> tuple[str, ...]:
    """A value as the field's filter folds it (empty: nothing to look for).

    >>> value_key("places", "PÉKIN") == value_key("places", "Pekin")
    True
    >>> value_key("translators", "Danielle Rouquié"), value_key("version", "Actualisé")
    (('danielle', 'rouquie'), ('actualise',))
    """
    if FIELDS[field].index == NAMES:
        return tuple(t.text for t in _NAMES(value))
    folded = fold_value(value)
    return (folded,) if folded else ()


class FoldedFacet:
    """One facet's folded values over an index generation, and the
    (document, value) pairs a filter on each value matches."""

    def __init__(self, arrays, name: str):
        self.name = name
        raw = arrays.facet(FACET_FIELDS[name])
        keys = [value_key(name, label) for label in raw.labels]
        index: dict[tuple[str, ...], int] = {}
        for key in keys:
            if key:
                index.setdefault(key, len(index))
        # The spelling shown: the one most stories of the index hold.
        held = np.bincount(raw.ords[arrays.live[raw.docs]], minlength=len(raw.labels))
        best: dict[int, tuple[int, str]] = {}
        for label, key, count in zip(raw.labels, keys, held.tolist()):
            if key:
                cand = (-count, label)
                k = index[key]
                if k not in best or cand < best[k]:
                    best[k] = cand
        self.labels = [best[k][1] for k in range(len(index))]
        self._label_ranks = np.empty(len(self.labels), dtype=np.int64)  # each label's place in order
        self._label_ranks[sorted(range(len(self.labels)), key=self.labels.__getitem__)] = np.arange(len(self.labels))
        # Which folded values each raw value answers for: its own, and (names)
        # every value whose words stand in a row in it.
        answers: list[list[int]] = []
        for key in keys:
            if not key:
                answers.append([])
            elif FIELDS[name].index == NAMES:
                answers.append(sorted({index[key[a:b]] for a in range(len(key))
                                       for b in range(a + 1, len(key) + 1) if key[a:b] in index}))
            else:
                answers.append([index[key]])
        lens = np.array([len(a) for a in answers], dtype=np.int64)
        flat = np.array([k for a in answers for k in a], dtype=np.int64)
        starts = np.concatenate(([0], np.cumsum(lens)[:-1])) if len(lens) else lens
        per_pair = lens[raw.ords] if len(raw.ords) else np.zeros(0, np.int64)
        docs = np.repeat(raw.docs.astype(np.int64), per_pair)
        first = np.repeat(starts[raw.ords] if len(raw.ords) else per_pair, per_pair)
        within = np.arange(len(docs)) - np.repeat(np.cumsum(per_pair) - per_pair, per_pair)
        kids = flat[first + within] if len(docs) else np.zeros(0, np.int64)
        nk = max(1, len(self.labels))
        pairs = docs * nk + kids
        # Only a document of several pairs may repeat one (PÉKIN and Pekin):
        # the others need no sort (~0.25 s a facet at 460,000 stories).
        several = np.bincount(docs)[docs] > 1 if len(docs) else np.zeros(0, dtype=bool)
        pairs = np.concatenate((pairs[~several], distinct(pairs[several])))
        self.docs, self.keys = pairs // nk, pairs % nk
        self._lone_pairs: tuple[np.ndarray, np.ndarray] | None = None
        self.holding = arrays.holding(name)

    def values(self, mask: np.ndarray, rows: np.ndarray | None, alone: np.ndarray | None = None,
               ) -> tuple[FacetValue, ...]:
        """The values of the results in ``mask``, most frequent first, then
        :data:`MISSING` if some have none; counted by ``rows`` (each
        document's row: its group number), or by document if None
        (``alone``: :func:`alone_in_row` of ``rows``, if already made)."""
        nk = max(1, len(self.labels))
        hit = np.flatnonzero(mask[self.docs])
        keys = self.keys[hit]
        if rows is None:
            counts = np.bincount(keys, minlength=nk)
        else:
            # A document alone in its row gives a distinct (row, value) pair by itself.
            alone = alone_in_row(rows) if alone is None else alone
            lone = self._lone(rows, alone)[hit]
            counts = np.bincount(keys[lone], minlength=nk)
            if not lone.all():
                shared = hit[~lone]
                counts += np.bincount(distinct(rows[self.docs[shared]] * nk + self.keys[shared]) % nk,
                                      minlength=nk)
        # Most frequent first, then by value: sorted as arrays (a facet of
        # thousands of values, such as subjects, sorted as objects cost ms).
        held = np.flatnonzero(counts)
        order = held[np.lexsort((self._label_ranks[held], -counts[held]))]
        labels = self.labels
        out = [FacetValue(labels[k], c) for k, c in zip(order.tolist(), counts[order].tolist())]
        none = _count(mask & ~self.holding, rows, alone)
        return tuple(out) + ((FacetValue(MISSING, none, missing=True),) if none else ())

    def _lone(self, rows: np.ndarray, alone: np.ndarray) -> np.ndarray:
        """Whether each pair's document is alone in its row (``alone``:
        :func:`alone_in_row` of ``rows``), kept with this ``rows`` array:
        the rows arrays are the index's own, cached."""
        cached = self._lone_pairs
        if cached is None or cached[0] is not rows:
            cached = self._lone_pairs = (rows, alone[self.docs])
        return cached[1]


def alone_in_row(rows: np.ndarray) -> np.ndarray:
    """Whether each document is the only one of its row (its group)."""
    sizes = np.bincount(rows) if len(rows) else np.zeros(0, np.int64)
    return sizes[rows] == 1


def _count(mask: np.ndarray, rows: np.ndarray | None, alone: np.ndarray | None = None) -> int:
    """The documents in ``mask``, or the rows they fall in (``alone``:
    :func:`alone_in_row` of ``rows``, if made: the documents alone in their
    row are counted, and only the others' rows looked at)."""
    if rows is None:
        return int(np.count_nonzero(mask))
    if alone is not None:
        shared = np.flatnonzero(mask & ~alone)
        return int(np.count_nonzero(mask & alone)) + len(distinct(rows[shared]))
    seen = np.zeros(int(rows.max(initial=-1)) + 1, dtype=bool)
    seen[rows[mask]] = True
    return int(np.count_nonzero(seen))


def date_values(arrays, mask: np.ndarray, bucket: str, rows: np.ndarray | None,
                alone: np.ndarray | None = None) -> tuple[FacetValue, ...]:
    """Results by year, month or day (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``),
    in date order, then :data:`NO_DATE` if some are undated; counted by
    ``rows`` as in :meth:`FoldedFacet.values`."""
    days = arrays.days
    dated = mask & (days > 0)
    div, fmt = _DATE_BUCKETS[bucket]
    if rows is None:
        periods = days[dated] // div
    else:
        alone = alone_in_row(rows) if alone is None else alone
        by_one = dated & alone
        shared = dated & ~by_one
        periods = days[by_one] // div
        if shared.any():
            pairs = distinct(rows[shared] * 10**8 + days[shared] // div)
            periods = np.concatenate((periods, pairs % 10**8))
    keys, counts = _tally(periods)
    out = []
    for key, count in zip(keys.tolist(), counts.tolist()):
        full = key * div
        parts = (full // 10000, full // 100 % 100, full % 100)[: fmt.count("{")]
        out.append(FacetValue(fmt.format(*parts), count))
    none = _count(mask & ~arrays.holding("day"), rows, alone)
    return tuple(out) + ((FacetValue(NO_DATE, none, missing=True),) if none else ())


def _tally(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct values, in order, and how often each comes: a count per
    value between the smallest and the largest when they are close (periods
    of a few years), else a sort (a story dated year 1 beside today's)."""
    if not len(values):
        return values, values
    low, high = int(values.min()), int(values.max())
    if high - low > max(1 << 20, 4 * len(values)):
        return np.unique(values, return_counts=True)
    counts = np.bincount(values - low)
    keys = np.flatnonzero(counts)
    return keys + low, counts[keys]


def count_facets(arrays, mask: np.ndarray, names, bucket: str, rows: np.ndarray | None) -> dict:
    """Each facet named: its values for the results in ``mask`` (see the module)."""
    out = {}
    # Which documents are alone in their row: once per rows array (they are the index's own, cached).
    alone = None if rows is None else arrays._lazy(f"alone:{id(rows)}", lambda: (rows, alone_in_row(rows)))[1]
    for name in names:
        if name == "date":
            out[name] = date_values(arrays, mask, bucket, rows, alone)
        else:
            out[name] = arrays._lazy("folded:" + name, lambda: FoldedFacet(arrays, name)).values(mask, rows, alone)
    return out


__all__ = ["FoldedFacet", "alone_in_row", "count_facets", "date_values", "value_key"]
