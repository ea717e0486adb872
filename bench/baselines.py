"""The engines the benchmark compares: Dépêche and what a user could pick instead.

Each engine builds an index (``build``) and answers the query mix
(``open``, ``search``, ``close``); the harness runs each in its own process.

- ``depeche``: :func:`indexer.index.build.build_index` on the corpus files, and
  :class:`search.searcher.Searcher` (snippets, version groups, facets).
- ``whoosh``: plain Whoosh, ``StandardAnalyzer`` on headline and body,
  ``writer(procs=2, multisegment=True)``, the default query parser (AND
  between words, fuzzy plugin added), ``FieldFacet`` counts.
- ``fts5``: SQLite FTS5 (``unicode61 remove_diacritics 2``) from the
  standard library; BM25 with the headline weighing 3; facet counts with
  GROUP BY over the matching rows. FTS5 has no fuzzy search.
- ``tantivy``: the ``tantivy`` package; a French analyzer of its own
  (simple tokenizer, lower case, ASCII folding, Snowball French stemmer);
  facet counts with its terms aggregations.

The baselines index the stories as Dépêche's parser reads them (a JSON Lines
file of records written once by the harness), so they pay for indexing only;
Dépêche's figures include reading and parsing the files.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import time
from typing import Iterator

from bench.queries import Query, depeche_text, fold, fts5_match, whoosh_text

FACETS = ("agency", "translators", "places", "date")
LIMIT = 20


class Unsupported(Exception):
    """The engine cannot run this query (FTS5 and fuzzy search)."""


def iter_records(path: str | os.PathLike) -> Iterator[dict]:
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            yield json.loads(line)


def _yyyymmdd(day: str | None) -> int:
    return int(day.replace("-", "")) if day else 0


# ---------------------------------------------------------------- Dépêche

class DepecheEngine:
    name = "depeche"
    source = "corpus"   # indexes the corpus files themselves

    def build(self, corpus: str, index_dir: str) -> dict:
        from indexer.index.build import build_index

        report = build_index([corpus], index_dir)
        return {"stories": report.added + report.updated, "added": report.added, "updated": report.updated,
                "removed": report.removed, "files_read": report.read.files, "stories_read": report.read.stories,
                "unchanged_files": report.unchanged_files, "generations": report.generations,
                "inner_seconds": round(report.elapsed, 3),
                "phases_seconds": {k: round(v, 2) for k, v in sorted(report.phases.items())}}

    def open(self, index_dir: str) -> None:
        from search.searcher import Searcher

        self.searcher = Searcher(index_dir)

    def search(self, q: Query, facets: bool) -> int:
        from search.results import SearchRequest

        page = self.searcher.search(SearchRequest(depeche_text(q), limit=LIMIT, facets=FACETS if facets else ()))
        return page.total

    def close(self) -> None:
        self.searcher.close()


# ---------------------------------------------------------------- Whoosh

class WhooshEngine:
    name = "whoosh"
    source = "records"

    @staticmethod
    def schema():
        from whoosh import fields
        from whoosh.analysis import StandardAnalyzer

        text = StandardAnalyzer()
        return fields.Schema(
            id=fields.ID(stored=True, unique=True),
            headline=fields.TEXT(analyzer=text, stored=True, field_boost=3.0),
            body=fields.TEXT(analyzer=text, stored=True),
            agency=fields.TEXT(analyzer=StandardAnalyzer(stoplist=None)),
            translators=fields.TEXT(analyzer=StandardAnalyzer(stoplist=None)),
            places=fields.TEXT(analyzer=StandardAnalyzer(stoplist=None)),
            day=fields.ID(stored=True),
            year=fields.ID(sortable=True),
            agency_f=fields.ID(sortable=True),
            translators_f=fields.KEYWORD(commas=True, sortable=True),
            places_f=fields.KEYWORD(commas=True, sortable=True),
        )

    def build(self, records: str, index_dir: str) -> dict:
        from whoosh import index

        os.makedirs(index_dir, exist_ok=True)
        started = time.monotonic()
        ix = index.create_in(index_dir, self.schema())
        writer = ix.writer(procs=2, multisegment=True, limitmb=128)
        n = 0
        for r in iter_records(records):
            names = lambda xs: ",".join(x.replace(",", " ") for x in xs)  # noqa: E731
            doc = {"id": r["id"], "headline": r["headline"] or "", "body": r["body"],
                   "agency": r["agency"] or "", "translators": "\n".join(r["translators"]),
                   "places": "\n".join(r["places"])}
            if r["date"]:
                doc.update(day=r["date"], year=r["date"][:4])
            if r["agency"]:
                doc["agency_f"] = r["agency"]
            if r["translators"]:
                doc["translators_f"] = names(r["translators"])
            if r["places"]:
                doc["places_f"] = names(r["places"])
            writer.add_document(**doc)
            n += 1
        writer.commit()
        ix.close()
        return {"stories": n, "inner_seconds": round(time.monotonic() - started, 3)}

    def open(self, index_dir: str) -> None:
        from whoosh import index, qparser

        self.ix = index.open_dir(index_dir)
        self.parser = qparser.MultifieldParser(["headline", "body"], self.ix.schema, group=qparser.AndGroup)
        self.parser.add_plugin(qparser.FuzzyTermPlugin())
        self.s = self.ix.searcher()

    def search(self, q: Query, facets: bool) -> int:
        from whoosh import sorting

        query = self.parser.parse(whoosh_text(q))
        kwargs = {}
        if facets:
            kwargs["groupedby"] = {
                "agency": sorting.FieldFacet("agency_f", maptype=sorting.Count),
                "translators": sorting.FieldFacet("translators_f", maptype=sorting.Count, allow_overlap=True),
                "places": sorting.FieldFacet("places_f", maptype=sorting.Count, allow_overlap=True),
                "date": sorting.FieldFacet("year", maptype=sorting.Count),
            }
        results = self.s.search(query, limit=LIMIT, **kwargs)
        total = len(results)
        _ = [(hit["id"], hit["headline"]) for hit in results]
        if facets:
            _ = {name: results.groups(name) for name in kwargs["groupedby"]}
        return total

    def close(self) -> None:
        self.s.close()
        self.ix.close()


# ---------------------------------------------------------------- SQLite FTS5

class Fts5Engine:
    name = "fts5"
    source = "records"

    def build(self, records: str, index_dir: str) -> dict:
        os.makedirs(index_dir, exist_ok=True)
        started = time.monotonic()
        db = sqlite3.connect(os.path.join(index_dir, "fts.db"))
        db.executescript("""
            PRAGMA journal_mode = OFF;
            PRAGMA synchronous = OFF;
            CREATE VIRTUAL TABLE fts USING fts5(headline, body, agency, translators, places,
                tokenize = 'unicode61 remove_diacritics 2');
            CREATE TABLE meta (rowid INTEGER PRIMARY KEY, id TEXT, day TEXT, agency TEXT);
            CREATE TABLE translators (story INTEGER, name TEXT);
            CREATE TABLE places (story INTEGER, name TEXT);
        """)
        n = 0
        with db:
            for n, r in enumerate(iter_records(records), 1):
                db.execute("INSERT INTO fts (rowid, headline, body, agency, translators, places) VALUES (?, ?, ?, ?, ?, ?)",
                           (n, r["headline"] or "", r["body"], r["agency"] or "", "\n".join(r["translators"]),
                            "\n".join(r["places"])))
                db.execute("INSERT INTO meta VALUES (?, ?, ?, ?)", (n, r["id"], r["date"], r["agency"]))
                db.executemany("INSERT INTO translators VALUES (?, ?)", [(n, t) for t in r["translators"]])
                db.executemany("INSERT INTO places VALUES (?, ?)", [(n, p) for p in r["places"]])
        with db:
            db.execute("CREATE INDEX translators_story ON translators (story)")
            db.execute("CREATE INDEX places_story ON places (story)")
            db.execute("CREATE INDEX meta_day ON meta (day)")
            db.execute("INSERT INTO fts (fts) VALUES ('optimize')")
        db.close()
        return {"stories": n, "inner_seconds": round(time.monotonic() - started, 3)}

    def open(self, index_dir: str) -> None:
        self.db = sqlite3.connect(os.path.join(index_dir, "fts.db"))

    def search(self, q: Query, facets: bool) -> int:
        match = fts5_match(q)
        if match is None:
            raise Unsupported("FTS5 has no fuzzy search")
        where, params = "fts MATCH ?", [match]
        if q.date:
            where += " AND fts.rowid IN (SELECT rowid FROM meta WHERE day BETWEEN ? AND ?)"
            params += list(q.date)
        db = self.db
        _ = db.execute(f"SELECT rowid, headline FROM fts WHERE {where} "
                       f"ORDER BY bm25(fts, 3.0, 1.0, 0.0, 0.0, 0.0) LIMIT {LIMIT}", params).fetchall()
        if not facets:
            return db.execute(f"SELECT count(*) FROM fts WHERE {where}", params).fetchone()[0]
        db.execute("DROP TABLE IF EXISTS temp.m")
        db.execute(f"CREATE TEMP TABLE m AS SELECT rowid AS r FROM fts WHERE {where}", params)
        total = db.execute("SELECT count(*) FROM m").fetchone()[0]
        db.execute("SELECT meta.agency, count(*) FROM m JOIN meta ON meta.rowid = m.r GROUP BY 1").fetchall()
        db.execute("SELECT substr(meta.day, 1, 4), count(*) FROM m JOIN meta ON meta.rowid = m.r GROUP BY 1").fetchall()
        db.execute("SELECT t.name, count(*) FROM m JOIN translators t ON t.story = m.r GROUP BY 1").fetchall()
        db.execute("SELECT p.name, count(*) FROM m JOIN places p ON p.story = m.r GROUP BY 1").fetchall()
        return total

    def close(self) -> None:
        self.db.close()


# ---------------------------------------------------------------- tantivy

class TantivyEngine:
    name = "tantivy"
    source = "records"

    @staticmethod
    def analyzers():
        import tantivy as tv

        french = (tv.TextAnalyzerBuilder(tv.Tokenizer.simple()).filter(tv.Filter.remove_long(40))
                  .filter(tv.Filter.lowercase()).filter(tv.Filter.ascii_fold())
                  .filter(tv.Filter.stemmer("french")).build())
        names = (tv.TextAnalyzerBuilder(tv.Tokenizer.simple()).filter(tv.Filter.lowercase())
                 .filter(tv.Filter.ascii_fold()).build())
        return french, names

    @staticmethod
    def schema():
        import tantivy as tv

        b = tv.SchemaBuilder()
        b.add_text_field("id", stored=True, tokenizer_name="raw")
        b.add_text_field("headline", stored=True, tokenizer_name="fr")
        b.add_text_field("body", stored=True, tokenizer_name="fr")
        for name in ("agency", "translators", "places"):
            b.add_text_field(name, tokenizer_name="names")
            b.add_text_field(name + "_f", fast=True, tokenizer_name="raw")
        b.add_text_field("year_f", fast=True, tokenizer_name="raw")
        b.add_integer_field("day", indexed=True, fast=True, stored=True)
        return b.build()

    def _index(self, index_dir: str, create: bool):
        import tantivy as tv

        index = tv.Index(self.schema(), path=index_dir, reuse=not create)
        self.french, self.names = self.analyzers()
        index.register_tokenizer("fr", self.french)
        index.register_tokenizer("names", self.names)
        return index

    def build(self, records: str, index_dir: str) -> dict:
        import tantivy as tv

        os.makedirs(index_dir, exist_ok=True)
        started = time.monotonic()
        index = self._index(index_dir, create=True)
        writer = index.writer(heap_size=256_000_000, num_threads=2)
        n = 0
        for r in iter_records(records):
            doc = tv.Document(id=r["id"], headline=r["headline"] or "", body=r["body"])
            if r["agency"]:
                doc.add_text("agency", r["agency"])
                doc.add_text("agency_f", r["agency"])
            for name in ("translators", "places"):
                for value in r[name]:
                    doc.add_text(name, value)
                    doc.add_text(name + "_f", value)
            if r["date"]:
                doc.add_integer("day", _yyyymmdd(r["date"]))
                doc.add_text("year_f", r["date"][:4])
            writer.add_document(doc)
            n += 1
        writer.commit()
        writer.wait_merging_threads()
        return {"stories": n, "inner_seconds": round(time.monotonic() - started, 3)}

    def open(self, index_dir: str) -> None:
        self.index = self._index(index_dir, create=False)
        self.index.reload()
        self.schema_ = self.index.schema
        self.searcher = self.index.searcher()

    # -- queries as tantivy objects
    def _tokens(self, text: str, analyzer=None) -> list[str]:
        return list((analyzer or self.french).analyze(text))

    def _fields(self, make, boost: bool = True):
        import tantivy as tv

        head = make("headline")
        body = make("body")
        return tv.Query.boolean_query([(tv.Occur.Should, tv.Query.boost_query(head, 3.0) if boost else head),
                                       (tv.Occur.Should, body)])

    def _node(self, n):
        import tantivy as tv

        Q, O, s = tv.Query, tv.Occur, self.schema_
        kind = n[0]
        if kind == "term":
            toks = self._tokens(n[1])
            if not toks:
                return Q.empty_query()
            if len(toks) == 1:
                return self._fields(lambda f: Q.term_query(s, f, toks[0]))
            return self._fields(lambda f: Q.phrase_query(s, f, toks))
        if kind == "and":
            return Q.boolean_query([(O.Must, self._node(c)) for c in n[1]])
        if kind == "or":
            return Q.boolean_query([(O.Should, self._node(c)) for c in n[1]])
        if kind == "not":
            return Q.boolean_query([(O.Must, self._node(n[1])), (O.MustNot, self._node(n[2]))])
        if kind == "phrase":
            toks = [t for w in n[1] for t in self._tokens(w)]
            return self._fields(lambda f: Q.phrase_query(s, f, toks, n[2]))
        if kind == "prefix":
            pattern = re.escape(fold(n[1]).lower()) + ".*"
            return self._fields(lambda f: Q.regex_query(s, f, pattern), boost=False)
        if kind == "fuzzy":
            toks = self._tokens(n[1]) or [n[1]]
            return self._fields(lambda f: Q.fuzzy_term_query(s, f, toks[0], n[2], True, False), boost=False)
        raise ValueError(kind)

    def query(self, q: Query):
        import tantivy as tv

        Q, O, s = tv.Query, tv.Occur, self.schema_
        parts = []
        for field, value in q.fields:
            if field == "headline":
                toks = self._tokens(value)
                parts.append(Q.term_query(s, "headline", toks[0]) if toks else Q.empty_query())
                continue
            toks = self._tokens(value, self.names)
            parts.append(Q.term_query(s, field, toks[0]) if len(toks) == 1 else Q.phrase_query(s, field, toks))
        if q.date:
            parts.append(Q.range_query(s, "day", tv.FieldType.Integer, _yyyymmdd(q.date[0]), _yyyymmdd(q.date[1])))
        if q.text is not None:
            parts.append(self._node(q.text))
        return parts[0] if len(parts) == 1 else Q.boolean_query([(O.Must, p) for p in parts])

    def search(self, q: Query, facets: bool) -> int:
        query = self.query(q)
        result = self.searcher.search(query, limit=LIMIT, count=True)
        _ = [self.searcher.doc(addr)["headline"] for _, addr in result.hits]
        if facets:
            terms = lambda f: {"terms": {"field": f, "size": 10000}}  # noqa: E731
            self.searcher.aggregate(query, {"agency": terms("agency_f"), "translators": terms("translators_f"),
                                            "places": terms("places_f"), "date": terms("year_f")})
        return result.count

    def close(self) -> None:
        pass


ENGINES = {"depeche": DepecheEngine, "whoosh": WhooshEngine, "fts5": Fts5Engine, "tantivy": TantivyEngine}
BASELINES = ("whoosh", "fts5", "tantivy")


def missing(name: str) -> str | None:
    """Why an engine cannot run here (its package is missing), or None."""
    module = {"depeche": "whoosh", "whoosh": "whoosh", "fts5": "sqlite3", "tantivy": "tantivy"}[name]
    try:
        __import__(module)
    except ImportError:
        return f"package {module!r} is not installed"
    if name == "fts5":
        try:
            sqlite3.connect(":memory:").execute("CREATE VIRTUAL TABLE t USING fts5(x)")
        except sqlite3.Error as exc:
            return f"this SQLite has no FTS5 ({exc})"
    return None


def index_bytes(path: str | os.PathLike) -> int:
    """Bytes on disk under ``path``, each hard-linked file counted once."""
    seen, total = set(), 0
    for root, _, files in os.walk(path):
        for name in files:
            try:
                st = os.lstat(os.path.join(root, name))
            except OSError:
                continue
            if (st.st_dev, st.st_ino) not in seen:
                seen.add((st.st_dev, st.st_ino))
                total += st.st_blocks * 512
    return total


__all__ = ["BASELINES", "ENGINES", "FACETS", "Unsupported", "index_bytes", "iter_records", "missing"]
