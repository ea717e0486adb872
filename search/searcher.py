"""Searching an index: the Python API under the CLI and the TUI::

    with Searcher(index_dir) as s:
        page = s.search(SearchRequest("frappes aériennes", agencies=("Reuters",)))
        for hit in page.hits:
            print(hit.story.date, hit.story.headline, hit.snippet)

Whoosh objects stay inside this module: hits are copied into the project's
own records while the Whoosh searcher is open. The request checks live in
:mod:`search.checks`, the marks and snippets in :mod:`search.highlight`,
did-you-mean in :mod:`search.suggest`, the arrays work in :mod:`search.engine`.

A Searcher reads one generation of the index and *holds* it (see
:mod:`indexer.index.store`): runs that collect old generations leave its
files alone. Before each call it reads ``CURRENT`` and moves on by itself to
a generation a run published since. Whatever goes wrong while reading the
index is raised as an :class:`~indexer.errors.IndexerError` of one line
(:class:`~indexer.index.store.IndexCorruptError` for damaged files).
"""

from __future__ import annotations

import os
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import numpy as np
from whoosh import query as wq

from indexer import backend
from indexer.errors import IndexerError
from indexer.index.build import open_index
from indexer.index.schema import VERSION_RANK, record_of
from indexer.index.store import GENERATIONS, IndexCorruptError, IndexStore, hold_generation
from indexer.story import Story
from search.checks import RequestError, check_request, filter_query
from search.engine import IndexArrays, PostingsCache, SegmentArrays
from search.facets import count_facets
from search.highlight import lead_spans, make_snippet, mark_spans, query_terms
from search.query import SearchError, make_parser, parse_query
from search.relax import relax, replace_absent_words
from search.results import Hit, ResultPage, SearchRequest
from search.suggest import suggest_queries

#: Tries at opening and holding the current generation while runs replace it.
OPEN_TRIES = 5


class StoryNotFound(SearchError):
    """No story with that id in the index."""

    def __init__(self, story_id: str):
        self.story_id = story_id
        super().__init__(f"no story with id {story_id!r} in the index")


def _reach(q: wq.MultiTerm, arrays: IndexArrays) -> list[str]:
    """The index words a wildcard, fuzzy term or range reaches, sorted
    (TooBroadError beyond the bound)."""
    return arrays.expand(q)


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
        self._store = IndexStore(self.index_dir)
        self._segments: dict[str, SegmentArrays] = {}
        self._postings = PostingsCache()
        self._index_arrays: IndexArrays | None = None
        # One Whoosh searcher per generation, kept open: opening one reads
        # the segments' files (a third of a second at 100k stories). A lock
        # keeps the TUI's worker threads from sharing it at the same time.
        self._searcher = None
        self._lock = threading.RLock()
        self.ix = self._hold = None
        self.refresh()

    @contextmanager
    def _index_errors(self):
        """Any failure to read the index as one line naming it."""
        try:
            yield
        except (SearchError, IndexerError):
            raise
        except Exception as exc:  # Whoosh raises many kinds on damaged files
            folder = self._hold.generation if self._hold else None
            damage = backend.damage_error(folder, self.index_dir, exc) if folder is not None else None
            if damage is not None:   # the damaged file, found by its checksum record
                raise damage from exc
            kind = type(exc).__name__ if type(exc).__module__ == "builtins" else \
                f"{type(exc).__module__.lstrip('_')}.{type(exc).__name__}"
            where = backend.file_in_traceback(exc)
            if where:
                where = f"{GENERATIONS}/{folder.name}/{where}: " if folder is not None else f"{where}: "
            reason = " ".join(f"{where}{kind}: {exc}".split())
            raise IndexCorruptError(self.index_dir, reason) from exc

    def _open(self):
        """The current generation, opened and held."""
        with self._index_errors():
            for _ in range(OPEN_TRIES):
                ix = open_index(self.index_dir)
                hold = hold_generation(Path(ix.storage.folder))
                if hold is not None:
                    return ix, hold
                ix.close()               # collected before it was held: the next one
        raise IndexCorruptError(self.index_dir, "its generations are replaced faster than they can be opened")

    def _follow(self) -> None:
        """Move on to the generation ``CURRENT`` names if a run published one
        (a read of a small file: cheap before every call)."""
        if self._hold is None or self._store.current_generation() != self._hold.generation:
            self.refresh()

    @contextmanager
    def _reading(self):
        with self._lock, self._index_errors():
            self._follow()
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
        """Close the generation and let runs collect it (a later call reopens)."""
        with self._lock:
            if self._searcher is not None:
                self._searcher.close()
                self._searcher = None
            self._index_arrays = None
            if self.ix is not None:
                self.ix.close()
            if self._hold is not None:
                self._hold.release()
                self._hold = None

    def story_count(self) -> int:
        """How many stories the index holds."""
        with self._reading() as s:
            return s.doc_count()

    def refresh(self) -> None:
        """Reopen the index's current generation, read again from disk
        (searches move on to a new generation by themselves)."""
        with self._lock:
            ix, hold = self._open()
            try:
                with self._index_errors():
                    schema = ix.schema
            except IndexerError:
                hold.release()
                raise
            self.close()
            self.ix, self._hold, self._schema = ix, hold, schema
            self._parser = make_parser(schema)

    # ------------------------------------------------------------ search
    def search(self, request: SearchRequest) -> ResultPage:
        """Run a search request; raises QueryError or RequestError."""
        started = time.perf_counter()
        sort = check_request(request)
        q = parse_query(request.query, self._schema, self._parser)
        filt = filter_query(request)
        first, last = (request.page - 1) * request.limit, request.page * request.limit
        with self._reading() as s:
            if s.doc_count() == 0:  # Whoosh's empty reader cannot sort or count
                return ResultPage(query=request.query, total=0, page=request.page, limit=request.limit,
                                  facets={name: () for name in request.facets},
                                  elapsed=time.perf_counter() - started, sort=sort,
                                  grouped=not request.all_versions)
            arrays = self._arrays(s)
            # Wildcards and fuzzy terms expanded once, for matching and marking.
            q = _expand(q, arrays)
            # A word that matches nothing: another form of it, else a relaxed result.
            q, relaxation = replace_absent_words(q, arrays, request.query)
            # Filters are required but not scored.
            full = q if filt is None else wq.Require(q, filt)
            scored = sort == "relevance" and not isinstance(q, wq.Every)
            mask, score = arrays.evaluate(full, scored)
            if not request.duplicates:  # republished copies collapse into their original
                mask &= ~arrays.duplicates
            if relaxation.missing and not mask.any():
                mask, score, relaxation = relax(q, arrays, filt, scored, relaxation) or (mask, score, relaxation)
                if not request.duplicates:
                    mask = mask & ~arrays.duplicates
            split = request.duplicates
            if request.all_versions:
                matched = int(np.count_nonzero(mask))
                total = matched
                docs = arrays.order(mask, score, sort, min(last, matched)) if last > first else ()
                chosen = [(int(d), int(d)) for d in docs[first:last]]
            else:
                total = arrays.group_count(mask, split)
                chosen = arrays.collapse(mask, score, sort, first, last, split)
            stems, words = query_terms(q, lambda leaf: _reach(leaf, arrays))
            groups = arrays.groups
            hits = []
            for lead, docnum in chosen:
                stored = s.stored_fields(docnum)
                story = record_of(stored)
                snippet, marks = ("", ())
                if request.snippets:
                    snippet, marks = make_snippet(story.body, lead_spans(story.body, stems, words))
                hits.append(Hit(
                    story=story,
                    score=float(score[lead]) if scored else None,
                    snippet=snippet,
                    highlights=marks,
                    versions=max(1, int(arrays.group_sizes[groups[docnum]])),
                    group=stored.get("group") or story.id,
                ))
            # Counted as the results are: story groups, or stories (all_versions).
            facets = count_facets(arrays, mask, request.facets, request.date_facet,
                                  None if request.all_versions else arrays.rows(split))
            suggestions = (suggest_queries(arrays, s.reader(), request.query)
                           if total < 3 and request.query.strip() else ())
        return ResultPage(
            query=request.query, total=total, page=request.page, limit=request.limit,
            hits=tuple(hits), facets=facets, suggestions=suggestions, relaxation=relaxation or None,
            elapsed=time.perf_counter() - started, sort=sort, grouped=not request.all_versions,
        )

    # ------------------------------------------------------------ stories
    def get(self, story_id: str) -> Story:
        """One story by id; raises StoryNotFound."""
        with self._reading() as s:
            stored = s.document(id=story_id)
            if stored is None:
                raise StoryNotFound(story_id)
            return record_of(stored)

    def versions(self, story_id: str) -> list[Story]:
        """Every version of the story's group, first to latest, then the
        republished copies of those versions (``duplicate_of`` set), oldest
        first; a copy's id gives its original's group."""
        with self._reading() as s:
            stored = s.document(id=story_id)
            if stored is None:
                raise StoryNotFound(story_id)
            original = record_of(stored).duplicate_of
            if original:
                stored = s.document(id=original) or stored
            group = stored.get("group") or stored["id"]
            members = [record_of(d) for d in s.documents(group=group)]
            versions = [st for st in members if not st.duplicate_of]
            copies = {st.id: st for st in members if st.duplicate_of}
            for version in versions:
                for d in s.documents(duplicate=version.id):
                    copies.setdefault(d["id"], record_of(d))
        return (sorted(versions, key=lambda st: (VERSION_RANK.get(st.version, 2), st.id))
                + sorted(copies.values(), key=lambda st: (st.date or "9999", st.id)))

    def highlight(self, story: Story, query_text: str) -> list[tuple[int, int]]:
        """Marks of the words ``query_text`` matches in the story's body."""
        q = parse_query(query_text, self._schema, self._parser)
        with self._reading() as s:
            arrays = self._arrays(s)
            stems, words = query_terms(q, lambda leaf: _reach(leaf, arrays))
        return mark_spans(story.body, stems, words)

    def similar(self, story_id: str, limit: int = 10, all_versions: bool = False) -> list[Hit]:
        """The stories most like one story (its own versions left out): one
        hit per story group, its best-scoring version, as in a search
        (``all_versions``: one per story)."""
        if limit < 1:
            raise RequestError(f"similar: limit {limit}; it starts at 1")
        with self._reading() as s:
            arrays = self._arrays(s)
            docnum = s.document_number(id=story_id)
            if docnum is None:
                raise StoryNotFound(story_id)
            stored = s.stored_fields(docnum)
            story = record_of(stored)
            group = stored.get("group") or story_id
            # Whoosh scores with the body's length column and reads it unchecked:
            # read through the engine first (checked against its CRC), damage
            # is named rather than scored.
            arrays.lengths("body")
            results = s.more_like(docnum, "body", text=f"{story.headline or ''}\n{story.body}",
                                  top=limit * 4 + 10, numterms=25)
            hits = []
            seen = {group}
            # Its versions and republished copies (of it, or of its original) are not "similar".
            same = {story.id, story.duplicate_of} - {None}
            for hit in results:
                other = hit.fields()
                other_group = other.get("group") or other["id"]
                if other_group == group or (not all_versions and other_group in seen):
                    continue
                seen.add(other_group)
                o = record_of(other)
                if o.id in same or o.duplicate_of in same:
                    continue
                same.add(o.duplicate_of or o.id)   # one story, not its copies too
                snippet, _ = make_snippet(o.body, [])
                versions = max(1, int(arrays.group_sizes[arrays.groups[hit.docnum]]))
                hits.append(Hit(o, float(hit.score), snippet, (), versions, other.get("group") or o.id))
                if len(hits) == limit:
                    break
        return hits


__all__ = ["RequestError", "Searcher", "StoryNotFound"]
