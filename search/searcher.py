"""Searching an index: the Python API under the CLI and the TUI::

    with Searcher(index_dir) as s:
        page = s.search(SearchRequest("frappes aériennes", agencies=("Reuters",)))
        for hit in page.hits:
            print(hit.story.date, hit.story.headline, hit.snippet)

Whoosh objects stay inside this module: hits are copied into the project's
own records while the Whoosh searcher is open.
"""

from __future__ import annotations

import os
import re
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import numpy as np
from whoosh import query as wq

from indexer.analysis import WORD_RE, FrenchTokenizer, fold_word, word_terms
from indexer.index.build import open_index
from indexer.fields import EXACT, FIELDS, NAMES
from indexer.index.schema import FACET_FIELDS, TEXT_FIELDS, VERSION_RANK, record_of
from indexer.story import Story
from search.engine import IndexArrays, PostingsCache, SegmentArrays
from search.query import QueryError, SearchError, _check_date, make_parser, parse_query
from search.results import DATE_BUCKETS, FACETS, SORTS, FacetValue, Hit, ResultPage, SearchRequest

SNIPPET_CHARS = 240
#: Characters of a story looked at first for the words to mark in its snippet.
LEAD_CHARS = 1200
_NAMES = FrenchTokenizer()
#: (SearchRequest attribute, index field) of the filters on names, then on exact values.
_FILTERS = tuple((f.filter, f.name) for f in FIELDS.filters if f.index == NAMES)
_EXACT_FILTERS = tuple((f.filter, f.name) for f in FIELDS.filters if f.index == EXACT)


class StoryNotFound(SearchError):
    """No story with that id in the index."""

    def __init__(self, story_id: str):
        self.story_id = story_id
        super().__init__(f"no story with id {story_id!r} in the index")


class RequestError(SearchError):
    """A search request with a bad value (sort, page, facet, date)."""


def _value_query(field: str, value: str) -> wq.Query:
    words = [t.text for t in _NAMES(value)]
    if not words:
        raise RequestError(f"{field}: {value!r} has no letters or digits to look for")
    if len(words) == 1:
        return wq.Term(field, words[0])
    return wq.Phrase(field, words)


def date_range_query(date_from: str | None, date_to: str | None) -> wq.Query | None:
    """Stories dated between two (partial) dates, both included."""
    if not date_from and not date_to:
        return None
    try:
        lo = _check_date(date_from, date_from, 0)[0] if date_from else None
        hi = _check_date(date_to, date_to, 0)[1] if date_to else None
    except QueryError as exc:
        raise RequestError(f"date: {exc.message}") from None
    if lo and hi and lo > hi:
        raise RequestError(f"date: --from {date_from} is after --to {date_to}")
    return wq.TermRange("day", lo, hi)


def mark_spans(text: str, stems: set[str], words: set[str]) -> list[tuple[int, int]]:
    """Where the matched words stand in the original (accented) text.

    ``stems`` are index terms of the text fields, ``words`` unstemmed folded
    words; an entry ending in ``*`` is a truncation (any term it starts).

    >>> mark_spans("Des frappes aériennes", {"frapp", "aerien"}, set())
    [(4, 11), (12, 21)]
    >>> mark_spans("Des frappes aériennes", set(), {"aer*"})
    [(12, 21)]
    """
    if not stems and not words:
        return []
    stem_prefixes = tuple(t[:-1] for t in stems if t.endswith("*"))
    word_prefixes = tuple(w[:-1] for w in words if w.endswith("*"))

    def wanted_piece(word: str, term: str) -> bool:
        if term in stems or word in words:
            return True
        return bool((stem_prefixes and term.startswith(stem_prefixes))
                    or (word_prefixes and word.startswith(word_prefixes)))

    # The distinct raw words first (a regex in C), then only where those that
    # match stand: a story has far fewer distinct words than words.
    wanted = set()
    for raw in set(WORD_RE.findall(text)):
        for _, _, word, term in word_terms(raw):
            if wanted_piece(word, term):
                wanted.add(raw)
                break
    spans: set[tuple[int, int]] = set()
    if wanted:
        for m in WORD_RE.finditer(text):
            raw = m.group()
            if raw in wanted:
                base = m.start()
                for start, end, word, term in word_terms(raw):
                    if wanted_piece(word, term):
                        spans.add((base + start, base + end))
    return sorted(spans)


def _lead_spans(text: str, stems: set[str], words: set[str]) -> list[tuple[int, int]]:
    """The marks of the story's first paragraphs, or of the whole story if
    none matched there: the snippet shows where the story first speaks of
    the query, and the rest is not read (a regex pass costs ~0.07 µs a
    character, a third of a millisecond for a story)."""
    if len(text) > LEAD_CHARS:
        cut = text.find(" ", LEAD_CHARS)
        if cut > 0:
            spans = mark_spans(text[:cut], stems, words)
            if spans:
                return spans
    return mark_spans(text, stems, words)


def make_snippet(text: str, spans: list[tuple[int, int]], size: int = SNIPPET_CHARS) -> tuple[str, tuple[tuple[int, int], ...]]:
    """A window of ``text`` around the most marked words, with marks in it."""
    text_len = len(text)
    if not spans:
        cut = text[:size]
        if text_len > size:
            cut = cut[: cut.rfind(" ")] + " …" if " " in cut else cut + "…"
        return cut.replace("\n\n", " "), ()
    best, best_n = 0, -1
    for i, (start, _) in enumerate(spans):
        n = sum(1 for s, e in spans[i:] if e <= start + size)
        if n > best_n:
            best, best_n = i, n
    start = max(0, spans[best][0] - size // 4)
    if start:
        space = text.rfind(" ", 0, start)
        start = space + 1 if space >= 0 else start
    end = min(text_len, start + size)
    if end < text_len:
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    prefix = "… " if start else ""
    suffix = " …" if end < text_len else ""
    snippet = prefix + text[start:end] + suffix
    marks = tuple((s - start + len(prefix), e - start + len(prefix)) for s, e in spans if s >= start and e <= end)
    # Paragraph breaks become spaces of the same length, so marks stay put.
    return snippet.replace("\n\n", "  ").replace("\n", " "), marks


def _text(term) -> str:
    return term.decode("utf-8") if isinstance(term, bytes) else str(term)


def _reach(q: wq.MultiTerm, arrays: IndexArrays) -> list[str]:
    """The index words a wildcard or fuzzy term reaches, sorted."""
    if isinstance(q, wq.FuzzyTerm):
        return arrays.fuzzy(q.fieldname, q.text, q.maxdist, q.prefixlength)
    return sorted(_text(t) for t in q._btexts(arrays.reader))


def _expand(q: wq.Query, arrays: IndexArrays) -> wq.Query:
    """Wildcards and fuzzy terms replaced by the index words they reach
    (truncations and date ranges: the engine walks or compares them)."""
    if isinstance(q, wq.Prefix) or (isinstance(q, wq.TermRange) and q.fieldname == "day"):
        return q
    if isinstance(q, wq.MultiTerm):
        terms = [wq.Term(q.fieldname, t, boost=q.boost) for t in _reach(q, arrays)]
        return wq.Or(terms) if terms else wq.NullQuery
    if q.is_leaf():
        return q
    return q.apply(lambda child: _expand(child, arrays))


class Searcher:
    """An open index, ready for searches. Use as a context manager."""

    def __init__(self, index_dir: str | os.PathLike):
        self.index_dir = Path(index_dir)
        self.ix = open_index(self.index_dir)
        self._parser = make_parser(self.ix.schema)
        self._segments: dict[str, SegmentArrays] = {}
        self._postings = PostingsCache()
        self._index_arrays: IndexArrays | None = None
        # One Whoosh searcher per generation, kept open: opening one reads
        # the segments' files (a third of a second at 100k stories). A lock
        # keeps the TUI's worker threads from sharing it at the same time.
        self._searcher = None
        self._lock = threading.RLock()

    @contextmanager
    def _reading(self):
        with self._lock:
            if self._searcher is None:
                self._searcher = self.ix.searcher()
            yield self._searcher

    def _arrays(self, s) -> IndexArrays:
        """The open generation's arrays (segments' arrays outlive generations)."""
        if self._index_arrays is None or self._index_arrays.searcher is not s:
            self._index_arrays = IndexArrays(s, self._segments, self._postings)
            for key in set(self._segments) - {seg.key for _, _, seg in self._index_arrays.leaves}:
                del self._segments[key]
        return self._index_arrays

    def __enter__(self) -> "Searcher":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        with self._lock:
            if self._searcher is not None:
                self._searcher.close()
                self._searcher = None
            self._index_arrays = None
            self.ix.close()

    def story_count(self) -> int:
        """How many stories the index holds."""
        with self._reading() as s:
            return s.doc_count()

    def refresh(self) -> None:
        """Reopen the index if a run published a new generation since."""
        ix = open_index(self.index_dir)
        with self._lock:
            self.close()
            self.ix = ix
            self._parser = make_parser(ix.schema)

    # ------------------------------------------------------------ search
    def _filters(self, request: SearchRequest) -> wq.Query | None:
        parts: list[wq.Query] = []
        for attr, field in _FILTERS:
            values = getattr(request, attr)
            if values:
                parts.append(wq.Or([_value_query(field, v) for v in values]))
        for attr, field in _EXACT_FILTERS:
            values = getattr(request, attr)
            if values:
                parts.append(wq.Or([wq.Term(field, fold_word(v)) for v in values]))
        dates = date_range_query(request.date_from, request.date_to)
        if dates is not None:
            parts.append(dates)
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else wq.And(parts)

    def _check(self, request: SearchRequest) -> str:
        sort = request.sort or ("relevance" if request.query.strip() else "-date")
        if sort not in SORTS:
            raise RequestError(f"sort: {sort!r}; one of {', '.join(SORTS)}")
        if request.page < 1 or request.limit < 1:
            raise RequestError("page and limit start at 1")
        for name in request.facets:
            if name not in FACETS:
                raise RequestError(f"facet: {name!r}; one of {', '.join(FACETS)}")
        if request.date_facet not in DATE_BUCKETS:
            raise RequestError(f"facet dates by {request.date_facet!r}; one of {', '.join(DATE_BUCKETS)}")
        return sort

    def search(self, request: SearchRequest) -> ResultPage:
        """Run a search request; raises QueryError or RequestError."""
        started = time.perf_counter()
        sort = self._check(request)
        q = parse_query(request.query, self.ix.schema, self._parser)
        filt = self._filters(request)
        if self.story_count() == 0:  # Whoosh's empty reader cannot sort or count
            return ResultPage(query=request.query, total=0, page=request.page, limit=request.limit,
                              facets={name: () for name in request.facets},
                              elapsed=time.perf_counter() - started, sort=sort,
                              grouped=not request.all_versions)
        first, last = (request.page - 1) * request.limit, request.page * request.limit
        with self._reading() as s:
            arrays = self._arrays(s)
            # Wildcards and fuzzy terms expanded once, for matching and marking.
            q = _expand(q, arrays)
            # Filters are required but not scored.
            full = q if filt is None else wq.Require(q, filt)
            scored = sort == "relevance" and not isinstance(q, wq.Every)
            mask, score = arrays.evaluate(full, scored)
            matched = int(np.count_nonzero(mask))
            if request.all_versions:
                total = matched
                docs = arrays.order(mask, score, sort, min(last, matched)) if last > first else ()
                chosen = [(int(d), int(d)) for d in docs[first:last]]
            else:
                total = arrays.group_count(mask)
                chosen = self._collapse(arrays, mask, score, sort, first, last, matched)
            stems, words = self._terms(q, arrays)
            groups = arrays.groups
            hits = []
            for lead, docnum in chosen:
                stored = s.stored_fields(docnum)
                story = record_of(stored)
                snippet, marks = ("", ())
                if request.snippets:
                    snippet, marks = make_snippet(story.body, _lead_spans(story.body, stems, words))
                hits.append(Hit(
                    story=story,
                    score=float(score[lead]) if scored else None,
                    snippet=snippet,
                    highlights=marks,
                    versions=max(1, int(arrays.group_sizes[groups[docnum]])),
                    group=stored.get("group") or story.id,
                ))
            facets = {}
            for name in request.facets:
                counts = (arrays.date_counts(mask, request.date_facet) if name == "date"
                          else arrays.facet(FACET_FIELDS[name]).count(mask))
                values = [FacetValue(k, v) for k, v in counts.items() if k]
                if name == "date":
                    values.sort(key=lambda fv: fv.value)
                else:
                    values.sort(key=lambda fv: (-fv.count, fv.value))
                facets[name] = tuple(values)
            suggestions = self._suggest(s, request.query) if total < 3 and request.query.strip() else ()
        return ResultPage(
            query=request.query, total=total, page=request.page, limit=request.limit,
            hits=tuple(hits), facets=facets, suggestions=suggestions,
            elapsed=time.perf_counter() - started, sort=sort, grouped=not request.all_versions,
        )

    @staticmethod
    def _collapse(arrays: IndexArrays, mask, score, sort: str, first: int, last: int,
                  matched: int) -> list[tuple[int, int]]:
        """The page's groups in result order: (first matching version, the
        version to show: the group's latest matching one)."""
        groups, ranks = arrays.groups, arrays.ranks
        want = min(matched, 2 * last + 8)
        while True:
            docs = arrays.order(mask, score, sort, want)
            leads: dict[int, int] = {}
            for d in docs.tolist():
                leads.setdefault(int(groups[d]), d)
                if len(leads) == last:
                    break
            if len(leads) >= last or len(docs) >= matched:
                break
            want = min(matched, want * 4)
        chosen = []
        for g, lead in list(leads.items())[first:last]:
            members = arrays.group_members(g)
            members = members[mask[members]]
            top = ranks[members].max()
            shown = lead if ranks[lead] == top else int(members[ranks[members] == top].min())
            chosen.append((lead, shown))
        return chosen

    @staticmethod
    def _terms(q: wq.Query, arrays: IndexArrays) -> tuple[set[str], set[str]]:
        """The index terms a query matched: stems of text, unstemmed words."""
        stems: set[str] = set()
        words: set[str] = set()
        pairs: list[tuple[str, object]] = []
        for leaf in q.leaves():
            if isinstance(leaf, wq.Prefix):
                pairs.append((leaf.fieldname, leaf.text + "*"))
            elif isinstance(leaf, wq.MultiTerm):  # wildcard, fuzzy: the words they reach
                pairs.extend((leaf.fieldname, t) for t in _reach(leaf, arrays))
            else:
                pairs.extend(leaf.iter_all_terms())
        for field, text in pairs:
            text = text.decode("utf-8") if isinstance(text, bytes) else str(text)
            if field in TEXT_FIELDS:
                stems.add(text)
            elif field == "words":
                words.add(text)
        return stems, words

    def _spellings(self, s, word: str, limit: int = 3) -> list[str]:
        """Corpus words one, then two edits away from ``word``, the most
        frequent first (Whoosh's corrector compares every word of the
        multi-segment lexicon in Python: seconds at 100,000 stories)."""
        arrays = self._arrays(s)
        reader = s.reader()
        options: list[str] = []
        for maxdist in (1, 2):
            found = [w for w in arrays.fuzzy("words", word, maxdist, 1) if w != word and w not in options]
            found.sort(key=lambda w: (-reader.doc_frequency("words", w), w))
            options += found
            if len(options) >= limit:
                break
        return options[:limit]

    def _suggest(self, s, text: str) -> tuple[str, ...]:
        """Queries with misspelled words replaced by corpus words."""
        reader = s.reader()
        replacements: list[tuple[str, list[str]]] = []
        for m in re.finditer(r"\w[\w’'\-]*", text):
            tok = m.group()
            before, after = text[m.start() - 1: m.start()], text[m.end(): m.end() + 1]
            if tok.upper() in ("AND", "OR", "NOT", "ET", "OU", "SAUF", "NON"):
                continue
            # Field names and values (agence:afp, date:2015) and pieces of
            # truncations or wildcards (syr?e, frap*) are not misspellings.
            if after in (":", "*", "?") or before in (":", "*", "?"):
                continue
            folded = [t.text for t in _NAMES(tok)]
            if len(folded) != 1 or len(folded[0]) < 3:
                continue
            word = folded[0]
            if reader.doc_frequency("words", word) > 0:
                continue
            options = self._spellings(s, word)
            if options:
                replacements.append((tok, options))
        if not replacements:
            return ()
        out = []
        for k in range(3):
            candidate = text
            changed = False
            for tok, options in replacements:
                option = options[min(k, len(options) - 1)]
                if k < len(options) or k == 0:
                    changed = True
                candidate = re.sub(rf"(?<!\w){re.escape(tok)}(?!\w)", option, candidate, count=1)
            if changed and candidate not in out and candidate != text:
                out.append(candidate)
        return tuple(out)

    # ------------------------------------------------------------ stories
    def get(self, story_id: str) -> Story:
        """One story by id; raises StoryNotFound."""
        with self._reading() as s:
            stored = s.document(id=story_id)
            if stored is None:
                raise StoryNotFound(story_id)
            return record_of(stored)

    def versions(self, story_id: str) -> list[Story]:
        """Every version of the story's group, first to latest."""
        with self._reading() as s:
            stored = s.document(id=story_id)
            if stored is None:
                raise StoryNotFound(story_id)
            group = stored.get("group") or story_id
            stories = [record_of(d) for d in s.documents(group=group)]
        return sorted(stories, key=lambda st: (VERSION_RANK.get(st.version, 2), st.id))

    def highlight(self, story: Story, query_text: str) -> list[tuple[int, int]]:
        """Marks of the words ``query_text`` matches in the story's body."""
        q = parse_query(query_text, self.ix.schema, self._parser)
        with self._reading() as s:
            stems, words = self._terms(q, self._arrays(s))
        return mark_spans(story.body, stems, words)

    def similar(self, story_id: str, limit: int = 10) -> list[Hit]:
        """The stories most like one story (its own versions left out)."""
        with self._reading() as s:
            arrays = self._arrays(s)
            docnum = s.document_number(id=story_id)
            if docnum is None:
                raise StoryNotFound(story_id)
            stored = s.stored_fields(docnum)
            story = record_of(stored)
            group = stored.get("group") or story_id
            results = s.more_like(docnum, "body", text=f"{story.headline or ''}\n{story.body}",
                                  top=limit + 10, numterms=25)
            hits = []
            for hit in results:
                other = hit.fields()
                if (other.get("group") or other["id"]) == group:
                    continue
                o = record_of(other)
                snippet, _ = make_snippet(o.body, [])
                versions = max(1, int(arrays.group_sizes[arrays.groups[hit.docnum]]))
                hits.append(Hit(o, float(hit.score), snippet, (), versions, other.get("group") or o.id))
                if len(hits) == limit:
                    break
        return hits
