"""The field table: every layer derives its fields from it, every name it
declares is accepted everywhere, and a new field is one entry."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import pickle
import re
from dataclasses import FrozenInstanceError, fields, replace
from pathlib import Path

import pytest
from whoosh import fields as wf
from whoosh import query as wq
from whoosh.filedb.filestore import RamStorage

from cli_run import run
from indexer.analysis import french_analyzer
from indexer.fields import (DATE, EXACT, FIELDS, KEY, LATER_VERSIONS, LIST, NAMES, TEXT, VERSION_NAMES,
                            VERSION_RANK, VERSION_WORDS, Field, FieldTable)
from indexer.formats import bundled_corpus, read_corpus
from indexer.index.duplicates import duplicate_key
from indexer.index.schema import (FACET_FIELDS, NamesTokenizer, WordsField, _facet_values, bucket_key, build_schema,
                                  fold_value, story_document)
from indexer.story import STORY_FIELDS, Story, make_story_type
from search.cli_search import QUERY_KEYS, add_filters, split_facets
from search.query import FIELD_ALIASES, parse_query
from search.render import HIT_COLUMNS, header_fields
from search.results import FACETS, SearchRequest, make_request_type
from search.tui.state import FACET_FILTERS, FACET_TITLES

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def stories():
    return [s for result in read_corpus([bundled_corpus()]) for s in result.stories]


# ------------------------------------------------- what was spelled out before
# The schema, documents and vocabularies as they were written by hand before
# the table: the derived ones must be the same (the index does not change).

def _schema_before() -> wf.Schema:
    text = french_analyzer()
    # Since schema 5: names fields' values one a line with a gap between them
    # (a filter's phrase never spans two), ids sortable (the last tie-break).
    names = NamesTokenizer()
    facet = {"sortable": True}
    return wf.Schema(
        id=wf.ID(stored=True, unique=True, sortable=True),
        headline=wf.TEXT(analyzer=text, phrase=True, field_boost=3.0, multitoken_query="phrase"),
        body=wf.TEXT(analyzer=text, phrase=True, multitoken_query="phrase"),
        words=WordsField(names),
        lead=wf.TEXT(analyzer=text, phrase=True, multitoken_query="phrase"),
        agency=wf.TEXT(analyzer=names, phrase=True),
        places=wf.TEXT(analyzer=names, phrase=True),
        authors=wf.TEXT(analyzer=names, phrase=True),
        translators=wf.TEXT(analyzer=names, phrase=True),
        editors=wf.TEXT(analyzer=names, phrase=True),
        desk=wf.TEXT(analyzer=names, phrase=True),
        version=wf.ID(),
        version_rank=wf.NUMERIC(sortable=True),
        date=wf.DATETIME(sortable=True),
        year=wf.ID(**facet), month=wf.ID(**facet), day=wf.ID(**facet),
        agency_facet=wf.ID(**facet),
        places_facet=wf.KEYWORD(commas=True, **facet),
        authors_facet=wf.KEYWORD(commas=True, **facet),
        translators_facet=wf.KEYWORD(commas=True, **facet),
        editors_facet=wf.KEYWORD(commas=True, **facet),
        version_facet=wf.ID(**facet),
        group=wf.ID(stored=True, sortable=True),
        bucket=wf.ID(),
        file=wf.ID(stored=True),
        filestamp=wf.ID(stored=True),
        record=wf.STORED(),
    )


_RANK_BEFORE = {"flash": 0, "urgent": 1, None: 2, "répétition": 3, "actualisé": 4, "correction": 5,
                "rectificatif": 5, "refonte": 6}


def _document_before(story, group, file, stamp) -> dict:
    doc = {
        "id": story.id, "headline": story.headline or "", "body": story.body,
        "words": f"{story.headline or ''}\n{story.body}", "lead": story.body.strip().split("\n")[0].strip(),
        "agency": story.agency or "",
        "places": "\n".join(story.places), "authors": "\n".join(story.authors),
        "translators": "\n".join(story.translators), "editors": "\n".join(story.editors),
        "desk": story.desk or "", "group": group, "file": file, "filestamp": stamp,
        "record": json.dumps(story.to_dict(), ensure_ascii=False),
        "version_rank": _RANK_BEFORE.get(story.version, 2),
    }
    if story.version:
        doc["version"] = fold_value(story.version)
        doc["version_facet"] = story.version
    if story.agency:
        doc["agency_facet"] = story.agency
    for name in ("places", "authors", "translators", "editors"):
        if getattr(story, name):
            doc[f"{name}_facet"] = _facet_values(getattr(story, name))
    if story.date:
        try:
            doc["date"] = dt.datetime.strptime(story.date, "%Y-%m-%d")
        except ValueError:
            pass
        else:
            doc["year"], doc["month"], doc["day"] = story.date[:4], story.date[:7], story.date
    if bucket_key(story):
        doc["bucket"] = bucket_key(story)
    if duplicate_key(story):   # since schema 5: republished copies
        doc["dupkey"] = duplicate_key(story)
    return doc


def describe(value, depth=0):
    """A comparable picture of a Whoosh object: its type and attributes
    (sortable columns are new objects each time, so == compares identity)."""
    if isinstance(value, (str, bytes, int, float, bool, type(None))):
        return value
    if isinstance(value, (list, tuple)):
        return [describe(v, depth + 1) for v in value]
    if isinstance(value, dict):
        return {str(k): describe(v, depth + 1) for k, v in value.items()}
    attrs = getattr(value, "__dict__", None)
    if attrs is None or depth > 8:
        return type(value).__qualname__
    return type(value).__qualname__, describe(attrs, depth + 1)


#: The fields added for feeds and press-database exports after the table was built.
FEED_FIELDS = ("publication", "section", "subjects", "keywords", "slug", "language", "urgency",
               "word_count", "withdrawn")
FEED_INDEX_FIELDS = {"publication", "publication_facet", "section", "section_facet", "subjects",
                     "subjects_facet", "keywords", "keywords_facet", "slug", "language", "language_facet",
                     "urgency", "withdrawn"}


def test_the_schema_derived_from_the_table_is_the_one_written_before():
    """The table reproduced the hand-written schema; the feed fields only add to it."""
    before, now = _schema_before(), build_schema()
    assert set(now.names()) - set(before.names()) == FEED_INDEX_FIELDS | {"dupkey", "duplicate"}
    assert set(before.names()) <= set(now.names())
    for name in before.names():
        assert describe(now[name]) == describe(before[name]), name


def test_documents_derived_from_the_table_are_those_written_before(stories):
    assert len(stories) >= 71
    for story in stories:
        if any(getattr(story, name) for name in FEED_FIELDS):
            continue  # the feed samples: their new fields are checked by tests/test_feeds.py
        doc = {k: v for k, v in story_document(story, "g", "f", "s").items() if k not in FEED_INDEX_FIELDS}
        assert doc == _document_before(story, "g", "f", "s"), story.source


def test_the_versions_vocabulary_gives_what_four_modules_listed():
    assert VERSION_RANK == _RANK_BEFORE
    assert LATER_VERSIONS == {"actualisé", "refonte", "répétition", "correction", "rectificatif"}
    assert set(VERSION_NAMES) == {"urgent", "flash", "actualisé", "refonte", "répétition", "correction",
                                  "rectificatif"}
    assert VERSION_WORDS == {
        "actualisé": "actualisé", "actualise": "actualisé", "actualisation": "actualisé",
        "refonte": "refonte", "répétition": "répétition", "repetition": "répétition",
        "correction": "correction", "corrige": "correction", "corrigé": "correction",
        "rectificatif": "rectificatif", "urgent": "urgent", "flash": "flash",
    }


def test_the_story_record_follows_the_table():
    assert tuple(f.name for f in fields(Story)) == STORY_FIELDS == FIELDS.names
    story = Story(id="x")
    for f in FIELDS:
        expected = {"list": (), "mapping": {}, "string": "", "optional": None, "required": "x"}[f.shape]
        assert getattr(story, f.name) == expected, f.name
    with pytest.raises(TypeError):
        Story()                                   # the id is required
    with pytest.raises(FrozenInstanceError):
        story.headline = "no"
    full = replace(story, places=("Moscou",), meta={"k": [1]})
    assert hash(full) == hash(replace(full, meta={}))   # meta is not hashed
    assert pickle.loads(pickle.dumps(full)) == full     # readers' processes send stories
    assert Story.from_dict(full.to_dict()) == full and full.to_dict()["places"] == ["Moscou"]


def test_exports_and_saved_queries_follow_the_table():
    assert HIT_COLUMNS[: len(FIELDS)] == list(FIELDS.names)
    assert [k for k in QUERY_KEYS if k not in ("query", "from", "to", "sort", "limit", "page",
                                               "all_versions", "facets", "by", "undated",
                                               "duplicates")] == \
        ["agency", "translator", "author", "editor", "place", "version", "publication", "section",
         "subject", "language", "keyword", "withdrawn"]
    assert FACETS == ("agency", "translators", "authors", "editors", "places", "version", "date",
                      "publication", "section", "subjects", "language", "keywords")
    assert FACET_FILTERS == {"agency": "agencies", "translators": "translators", "authors": "authors",
                             "places": "places", "publication": "publications", "section": "sections",
                             "subjects": "subjects", "language": "languages"}
    assert {k: FACET_TITLES[k] for k in (*FACET_FILTERS, "date")} == {
        "agency": "Agency", "translators": "Translator", "authors": "Author", "places": "Place", "date": "Date",
        "publication": "Publication", "section": "Section", "subjects": "Subject", "language": "Language"}
    assert FACET_FIELDS == {name: f"{name}_facet" for name in FACETS if name != "date"}


# ------------------------------------------ every declared name, everywhere
QUERY_NAMES = [(name, f.name) for f in FIELDS if f.en or f.fr for name in f.names]
FACET_NAMES = [(name, f.name) for f in FIELDS.facet_fields for name in f.names]


def test_the_query_language_knows_every_declared_name():
    schema = build_schema()
    assert {"lieu", "lieux", "agence", "agences", "traducteur", "editeur", "titre", "texte", "service"} \
        <= set(FIELD_ALIASES)
    for name, field in QUERY_NAMES:
        value = "2015" if FIELDS[field].index == DATE else "paris"
        q = parse_query(f"{name}:{value}", schema)
        target = "day" if FIELDS[field].index == DATE else field
        assert {leaf.fieldname for leaf in q.leaves()} == {target}, name
        # Capitals and accents do not matter.
        assert parse_query(f"{name.upper()}:{value}", schema) == q


def test_accented_and_plural_names_are_one_field():
    schema = build_schema()
    assert parse_query("éditeur:louet", schema) == parse_query("editeurs:louet", schema) \
        == parse_query("editor:louet", schema)


@pytest.mark.parametrize("name, field", FACET_NAMES)
def test_every_name_of_a_facet_is_accepted_by_facets_and_field(ix, name, field):
    assert SearchRequest("", facets=(name,)).facets == (field,)
    code, out, err = run("search", "--index", ix, "--limit", "1", "--format", "json", "--facets", name)
    assert code == 0, err
    assert list(json.loads(out)["facets"]) == [field]
    code, out, err = run("facets", "--field", name, "--index", ix, "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert data["field"] == field and data["values"]


def test_facets_place_and_field_lieu_count_places(ix):
    _, by_alias, _ = run("facets", "--field", "lieu", "--index", ix, "--format", "json")
    _, by_name, _ = run("facets", "--field", "places", "--index", ix, "--format", "json")
    assert json.loads(by_alias) == json.loads(by_name)
    assert json.loads(by_name)["values"]["Washington"] == 7   # story groups
    _, stories, _ = run("facets", "--field", "lieu", "--all-versions", "--index", ix, "--format", "json")
    assert json.loads(stories)["values"]["Washington"] == 8


def test_a_word_after_facets_that_names_no_facet_is_the_query(ix):
    # Issue 17 item 3: ``--facets places tempete`` took "tempete" for a facet.
    code, out, err = run("search", "--index", ix, "--format", "json", "--facets", "places", "tempete")
    assert code == 0, err
    page = json.loads(out)
    _, plain, _ = run("search", "tempete", "--index", ix, "--format", "json")
    assert page["query"] == "tempete" and page["total"] == json.loads(plain)["total"] > 0
    assert list(page["facets"]) == ["places"]
    # No facet named at all: the usual ones, and the words are the query.
    _, out, _ = run("search", "--index", ix, "--format", "json", "--facets", "tempete", "bretagne")
    page = json.loads(out)
    assert page["query"] == "tempete bretagne"
    assert list(page["facets"]) == ["agency", "translators", "places", "date"]
    # A query given before --facets keeps its place.
    _, out, _ = run("search", "tempete", "--index", ix, "--format", "json", "--facets", "lieu", "brest")
    assert json.loads(out)["query"] == "tempete brest"
    assert split_facets(["agence", "date", "syrie", "lieu"]) == (["agency", "date"], ["syrie", "lieu"])


def test_an_unknown_field_is_one_line_naming_the_known_ones(ix):
    code, out, err = run("facets", "--field", "colour", "--index", ix)
    assert code == 2 and out == ""
    assert "unknown field 'colour'" in err and "place/lieu" in err and "Traceback" not in err


def test_saved_queries_take_any_facet_name(ix, tmp_path):
    path = tmp_path / "q.yaml"
    path.write_text("a: {query: tempete, facets: [lieux, agence]}\n", encoding="utf-8")
    code, out, err = run("search", "--queries", str(path), "--index", ix, "--format", "json")
    assert code == 0, err
    assert list(json.loads(out)["a"]["facets"]) == ["places", "agency"]


# ------------------------------------------------------------ a new field
SECTION = Field("edition", index=NAMES, en=("edition", "editions"), fr=("tirage", "tirages"),
                filter="editions", facet=13, metadata=True, shown=True)


def test_an_added_field_reaches_every_layer(tmp_path):
    table = FIELDS.extended(SECTION)
    # The record.
    record = make_story_type(table)
    story = record(id="x1", headline="Le PSG l'emporte", body="Le PSG a gagné.", agency="AFP",
                   date="2016-02-09", edition="Sport Économie")
    assert story.to_dict()["edition"] == "Sport Économie"
    assert record.from_dict(story.to_dict()) == story
    assert pickle.loads(pickle.dumps(Story(id="y"))) == Story(id="y")
    # The schema and the document: the field and its facet twin, the rest unchanged.
    schema = build_schema(table)
    assert set(schema.names()) - set(build_schema().names()) == {"edition", "edition_facet"}
    doc = story_document(story, "x1", "f", "s", table)
    assert doc["edition"] == doc["edition_facet"] == "Sport Économie"
    # Written and searched for real, by words whatever the accents, and by exact value.
    ix = RamStorage().create_index(schema)
    with ix.writer() as writer:
        writer.add_document(**doc)
        writer.add_document(**story_document(record(id="x2", body="Autre chose."), "x2", "f", "s", table))
    with ix.searcher() as s:
        assert [h["id"] for h in s.search(wq.Term("edition", "economie"))] == ["x1"]
        assert [h["id"] for h in s.search(wq.Term("edition_facet", "Sport Économie"))] == ["x1"]
    # The query language's names, the facet names, the request's filter.
    assert {n: f for n, f in table.query_names().items() if f == "edition"} == \
        {"edition": "edition", "editions": "edition", "tirage": "edition", "tirages": "edition"}
    assert table.facet("Tirage") == "edition" and table.facets[-1] == "edition"
    request = make_request_type(table)
    assert request(editions=("sport",), facets=("tirages",)).facets == ("edition",)
    assert request(editions=("sport",)).editions == ("sport",)
    # The CLI option, the story's metadata line, the export columns.
    parser = argparse.ArgumentParser()
    add_filters(parser, table)
    assert parser.parse_args(["--edition", "sport", "--edition", "culture"]).edition == ["sport", "culture"]
    assert header_fields(table)[-2:] == ("edition", "id")
    assert table.names[-1] == "edition"
    # The TUI's titles (it is not in the sidebar unless it says so).
    assert table["edition"].title == "Edition" and SECTION not in table.sidebar


def test_an_added_field_is_taken_from_a_story_s_metadata(monkeypatch):
    from indexer.wire import parser

    table = FIELDS.extended(SECTION)
    scalar, lists, known = parser.metadata_keys(table)
    assert "edition" in scalar and "edition" in known and parser.metadata_keys() == (
        parser._OVERRIDES_SCALAR, parser._OVERRIDES_LIST, parser._KNOWN_META)
    monkeypatch.setattr(parser, "Story", make_story_type(table))
    monkeypatch.setattr(parser, "_OVERRIDES_SCALAR", scalar)
    monkeypatch.setattr(parser, "_OVERRIDES_LIST", lists)
    monkeypatch.setattr(parser, "_KNOWN_META", known)
    story = parser.parse_story("Un titre\n\nPARIS, 3 mars (AFP) - Le texte.",
                               metadata={"edition": "  Sport ", "colour": "red"})
    assert story.edition == "Sport" and story.meta == {"colour": "red"} and story.agency == "AFP"


def test_the_docstring_example_of_a_new_field_is_a_valid_entry():
    import indexer.fields as module

    example = re.search(r"(Field\(\"edition\".*?\)),\n\n", module.__doc__, re.S).group(1)
    field = eval(example, vars(module))
    table = FIELDS.extended(field)
    assert "rubrique" in table.query_names() and table.facet("edition") == "edition"


@pytest.mark.parametrize("bad, message", [
    ((Field("headline"),), "declared twice"),
    ((Field("rubric", index=NAMES, fr=("lieu",)),), "claimed by"),
    ((Field("rubric", index=NAMES, en=("rubric",), filter="agencies"),), "share a filter"),
    ((Field("rubric", index=NAMES, en=("rubric",), facet=1),), "place in the facet order"),
    ((Field("when", index=DATE),), "at most one DATE"),
])
def test_table_mistakes_are_refused(bad, message):
    with pytest.raises(ValueError, match=message):
        FIELDS.extended(*bad)


@pytest.mark.parametrize("kwargs, message", [
    ({"name": "bad name"}, "identifier"),
    ({"name": "x", "shape": "set"}, "shape"),
    ({"name": "x", "en": ("x",)}, "query names need an indexed field"),
    ({"name": "x", "index": TEXT, "en": ("x",), "filter": "xs"}, "filters are on NAMES or EXACT"),
    ({"name": "x", "index": EXACT, "shape": LIST}, "one value"),
    ({"name": "x", "index": NAMES, "facet": 9}, "needs an English name"),
    ({"name": "x", "index": KEY, "en": ("x",), "facet": 9}, "facets count"),
    ({"name": "x", "index": NAMES, "en": ("x",), "sidebar": True}, "are for facets"),
])
def test_field_mistakes_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Field(**kwargs)


def test_a_table_needs_one_key():
    with pytest.raises(ValueError, match="one KEY"):
        FieldTable(f for f in FIELDS if f.index != KEY)


def test_the_readme_field_table_lists_every_name():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Fields", 1)[1].split("\n### ", 1)[0]
    rows = {m.group(1): m.group(0) for m in re.finditer(r"^\| `(\w+)` \|.*$", section, re.M)}
    for f in FIELDS:
        assert f.name in rows, f.name
        for name in (*f.en, *f.fr):
            assert f"`{name}`" in rows[f.name], (f.name, name)
        if f.option:
            assert f"`--{f.option}`" in rows[f.name], f.name


def test_the_formats_contract_lists_the_table_s_fields():
    contract = (ROOT / "docs" / "formats.md").read_text(encoding="utf-8")
    record = contract.split("## Story record", 1)[1].split("`", 2)[1]
    assert tuple(re.split(r",\s+", record)) == FIELDS.names
    front = contract.split("### YAML front matter", 1)[1].split("override what the parser finds", 1)[0]
    assert set(re.findall(r"`(\w+)`", front)) == {f.name for f in FIELDS if f.metadata}
