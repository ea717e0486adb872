"""The index schema: one place that maps Story fields to Whoosh fields.

Searchable text goes through the French analyzer (the same one queries
use); names (agency, people, places, desk) go through the folding tokenizer
only, so ``traducteur:rouquie`` finds *Danielle Rouquié*; every facet has an
exact, sortable twin (``*_facet``) for counting and sorting. The whole record
is stored as JSON, so that export and display never re-read the corpus, and
highlighting marks the original accented text.

Bump :data:`SCHEMA_VERSION` whenever a field or an analyzer changes: an index
of another version asks for ``depeche index --rebuild``.
"""

from __future__ import annotations

import datetime as dt
import json

from whoosh import fields, formats

from indexer.analysis import FrenchTokenizer, fold_word, french_analyzer
from indexer.story import Story

SCHEMA_VERSION = 1

#: Facets: Story field -> index field holding exact values.
FACET_FIELDS = {
    "agency": "agency_facet",
    "places": "places_facet",
    "authors": "authors_facet",
    "translators": "translators_facet",
    "editors": "editors_facet",
    "version": "version_facet",
}
#: The order of the versions of one story; a group shows its highest.
VERSION_RANK = {
    "flash": 0, "urgent": 1, None: 2, "répétition": 3, "actualisé": 4, "correction": 5,
    "rectificatif": 5, "refonte": 6,
}


class WordsField(fields.FieldType):
    """Unstemmed words for spelling suggestions and truncation: presence only
    (no frequencies, positions or lengths), the cheapest postings to write."""

    spelling = True

    def __init__(self, analyzer):
        super().__init__(formats.Existence(), analyzer, scorable=False)


def build_schema() -> fields.Schema:
    """The Whoosh schema of a Dépêche index."""
    text = french_analyzer()
    names = FrenchTokenizer()
    facet = {"sortable": True}
    return fields.Schema(
        id=fields.ID(stored=True, unique=True),
        headline=fields.TEXT(analyzer=text, phrase=True, field_boost=3.0, multitoken_query="phrase"),
        body=fields.TEXT(analyzer=text, phrase=True, multitoken_query="phrase"),
        # Unstemmed words of headline and body: the "did you mean" vocabulary.
        words=WordsField(names),
        agency=fields.TEXT(analyzer=names, phrase=True),
        places=fields.TEXT(analyzer=names, phrase=True),
        authors=fields.TEXT(analyzer=names, phrase=True),
        translators=fields.TEXT(analyzer=names, phrase=True),
        editors=fields.TEXT(analyzer=names, phrase=True),
        desk=fields.TEXT(analyzer=names, phrase=True),
        version=fields.ID(),
        # Which version of a story group is the latest: urgent < original < actualisé < refonte.
        version_rank=fields.NUMERIC(sortable=True),
        date=fields.DATETIME(sortable=True),
        year=fields.ID(**facet),
        month=fields.ID(**facet),
        day=fields.ID(**facet),
        agency_facet=fields.ID(**facet),
        places_facet=fields.KEYWORD(commas=True, **facet),
        authors_facet=fields.KEYWORD(commas=True, **facet),
        translators_facet=fields.KEYWORD(commas=True, **facet),
        editors_facet=fields.KEYWORD(commas=True, **facet),
        version_facet=fields.ID(**facet),
        group=fields.ID(stored=True, sortable=True),
        bucket=fields.ID(),
        file=fields.ID(stored=True),
        filestamp=fields.ID(stored=True),
        record=fields.STORED(),
    )


def _facet_values(values) -> str:
    # KEYWORD(commas=True) splits on commas: keep names' own commas out.
    return ",".join(v.replace(",", " ") for v in values if v)


def fold_value(value: str) -> str:
    """A facet or filter value folded for comparison: case and accents.

    >>> fold_value("Actualisé")
    'actualise'
    """
    return " ".join(fold_word(w) for w in value.split()).strip()


def bucket_key(story: Story) -> str | None:
    """The (agency, day) bucket in which versions of a story are looked for."""
    if not story.agency or not story.date:
        return None
    return f"{fold_value(story.agency)}|{story.date}"


def file_stamp(path: str, size: int, mtime_ns: int) -> str:
    """The term that says a file was indexed at this size and time."""
    return f"{path}\x00{size}\x00{mtime_ns}"


def story_document(story: Story, group: str, file: str, stamp: str) -> dict:
    """The Whoosh document of one story."""
    doc = {
        "id": story.id,
        "headline": story.headline or "",
        "body": story.body,
        "words": f"{story.headline or ''}\n{story.body}",
        "agency": story.agency or "",
        "places": "\n".join(story.places),
        "authors": "\n".join(story.authors),
        "translators": "\n".join(story.translators),
        "editors": "\n".join(story.editors),
        "desk": story.desk or "",
        "group": group,
        "file": file,
        "filestamp": stamp,
        "record": json.dumps(story.to_dict(), ensure_ascii=False),
        "version_rank": VERSION_RANK.get(story.version, 2),
    }
    if story.version:
        doc["version"] = fold_value(story.version)
        doc["version_facet"] = story.version
    if story.agency:
        doc["agency_facet"] = story.agency
    for name in ("places", "authors", "translators", "editors"):
        values = getattr(story, name)
        if values:
            doc[FACET_FIELDS[name]] = _facet_values(values)
    if story.date:
        try:
            doc["date"] = dt.datetime.strptime(story.date, "%Y-%m-%d")
        except ValueError:
            pass
        else:
            doc["year"], doc["month"], doc["day"] = story.date[:4], story.date[:7], story.date
    key = bucket_key(story)
    if key:
        doc["bucket"] = key
    return doc


def record_of(stored: dict) -> Story:
    """The Story stored in a document."""
    return Story.from_dict(json.loads(stored["record"]))
