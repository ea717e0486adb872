"""The index schema: the field table (:mod:`indexer.fields`) as Whoosh fields.

Searchable text goes through the French analyzer (the same one queries
use); names (agency, people, places, desk) go through the folding tokenizer
only, so ``traducteur:rouquie`` finds *Danielle Rouquié*; every facet has an
exact, sortable twin (``*_facet``) for counting and sorting. The whole record
is stored as JSON, so that export and display never re-read the corpus, and
highlighting marks the original accented text.

Beside the story's fields, the index holds its own: ``words`` (unstemmed
words of the text fields), ``lead`` (the body's first paragraph, analyzed
as text: with the headline, the ``hlp:``/``chapo:`` field of queries),
``version_rank`` (the version's order in its
group, :data:`~indexer.fields.VERSION_RANK`), ``group``, ``bucket``,
``dupkey`` and ``duplicate`` (republished copies),
``file``, ``filestamp`` and ``record``.

Bump :data:`SCHEMA_VERSION` whenever a field or an analyzer changes: an index
of another version asks for ``depeche index --rebuild``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from functools import lru_cache

from whoosh import fields, formats

from indexer.analysis import FrenchTokenizer, fold_word, french_analyzer
from indexer.index.duplicates import duplicate_key
from indexer.fields import DATE, EXACT, FIELDS, KEY, NAMES, ORIGINAL_RANK, TEXT, VERSION_RANK, FieldTable
from indexer.story import Story

#: 3: nouns of the stop list kept, stemmer fixes (issue 15).
#: 4: stop words keep their position slots (distances count every word);
#: the ``lead`` field.
#: 5: sortable ids, duplicates (``dupkey``, ``duplicate``), names values kept apart.
SCHEMA_VERSION = 5

#: Facets: Story field -> index field holding exact values.
FACET_FIELDS = {f.name: f.facet_field for f in FIELDS if f.facet_field}
#: The fields a query's bare words look in, and whose words feed ``words``.
TEXT_FIELDS = tuple(f.name for f in FIELDS.with_index(TEXT))


class NamesTokenizer(FrenchTokenizer):
    r"""The folding tokenizer for names fields, whose values come one a line
    (``"\n".join(places)``): positions jump by :attr:`gap` from one value to
    the next, so a phrase (a filter such as ``--place "le caire"``) matches
    inside one value, never across two (*LE* ending one place, *CAIRE*
    starting the next).

    >>> [(t.text, t.pos) for t in NamesTokenizer()("Le Caire\nParis", positions=True)]
    [('le', 0), ('caire', 1), ('paris', 102)]
    """

    gap = 100

    def __call__(self, value, positions=False, chars=False, start_pos=0, start_char=0, tokenize=True, **kwargs):
        if not tokenize or "\n" not in value:
            yield from super().__call__(value, positions=positions, chars=chars, start_pos=start_pos,
                                        start_char=start_char, tokenize=tokenize, **kwargs)
            return
        pos, offset = start_pos, start_char
        for line in value.split("\n"):
            last = None
            for t in super().__call__(line, positions=positions, chars=chars, start_pos=pos,
                                      start_char=offset, **kwargs):
                last = t.pos if positions else None
                yield t
            if last is not None:
                pos = last + 1 + self.gap
            offset += len(line) + 1


class WordsField(fields.FieldType):
    """Unstemmed words for spelling suggestions and truncation: presence only
    (no frequencies, positions or lengths), the cheapest postings to write."""

    spelling = True

    def __init__(self, analyzer):
        super().__init__(formats.Existence(), analyzer, scorable=False)


def build_schema(table: FieldTable = FIELDS) -> fields.Schema:
    """The Whoosh schema of a Dépêche index, from the field table."""
    text = french_analyzer()
    names = NamesTokenizer()
    facet = {"sortable": True}
    spec: dict[str, fields.FieldType] = {}
    for f in table:
        if f.index == KEY:
            # Sortable: ties in every sort are broken by id (search/engine.py).
            spec[f.name] = fields.ID(stored=True, unique=True, sortable=True)
        elif f.index == TEXT:
            spec[f.name] = fields.TEXT(analyzer=text, phrase=True, field_boost=f.boost,
                                       multitoken_query="phrase")
        elif f.index == NAMES:
            spec[f.name] = fields.TEXT(analyzer=names, phrase=True)
        elif f.index == EXACT:
            spec[f.name] = fields.ID()
        elif f.index == DATE:
            spec[f.name] = fields.DATETIME(sortable=True)
            # The day as text, for ranges and for counting by year, month, day.
            spec.update(year=fields.ID(**facet), month=fields.ID(**facet), day=fields.ID(**facet))
        if f.facet_field:
            spec[f.facet_field] = fields.KEYWORD(commas=True, **facet) if f.many else fields.ID(**facet)
    spec.update(
        # The first paragraph of the body (the lead, the chapeau): hlp:/chapo: with the headline.
        lead=fields.TEXT(analyzer=text, phrase=True, multitoken_query="phrase"),
        # Unstemmed words of the text fields: the "did you mean" vocabulary.
        words=WordsField(names),
        # Which version of a story group is the latest: urgent < original < actualisé < refonte.
        version_rank=fields.NUMERIC(sortable=True),
        group=fields.ID(stored=True, sortable=True),
        # Republished copies (indexer/index/duplicates.py): the key their
        # candidates share, and the original a copy repeats (a column).
        dupkey=fields.ID(stored=True),
        duplicate=fields.ID(sortable=True),
        bucket=fields.ID(),
        file=fields.ID(stored=True),
        filestamp=fields.ID(stored=True),
        record=fields.STORED(),
    )
    return fields.Schema(**spec)


def lead_of(body: str) -> str:
    """The first paragraph of a body (paragraphs are separated by line breaks).

    >>> lead_of("MOSCOU (Reuters) - Des frappes.\\n\\nLe Kremlin a dit.")
    'MOSCOU (Reuters) - Des frappes.'
    """
    return (body or "").strip().split("\n", 1)[0].strip()


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


@lru_cache(maxsize=8)
def _document_plan(table: FieldTable) -> tuple[tuple[tuple[str, str | None, bool, str | None], ...], tuple[str, ...]]:
    """What a story's document takes from each field: (name, index, many,
    facet field) of the indexed fields, and the text fields' names."""
    plan = tuple((f.name, f.index, f.many, f.facet_field) for f in table if f.index or f.facet_field)
    return plan, tuple(f.name for f in table.with_index(TEXT))


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


def _day_of(value: str) -> dt.datetime:
    """``strptime(value, "%Y-%m-%d")``, without its cost for the usual
    ``YYYY-MM-DD`` (ValueError for what strptime refuses).

    >>> _day_of("2015-11-20"), _day_of("2015-1-5")
    (datetime.datetime(2015, 11, 20, 0, 0), datetime.datetime(2015, 1, 5, 0, 0))
    """
    if _ISO_DAY.fullmatch(value):
        return dt.datetime(int(value[:4]), int(value[5:7]), int(value[8:]))
    return dt.datetime.strptime(value, "%Y-%m-%d")


def record_json(story: Story) -> str:
    """The stored record: ``json.dumps(story.to_dict())``, without the deep
    copy ``to_dict`` makes (the text is the same: JSON writes tuples as
    lists, and nothing is kept of the objects).

    >>> record_json(Story(id="x", places=("Moscou",)))[:36]
    '{"id": "x", "headline": null, "agenc'
    """
    try:
        return json.dumps(dict(zip(_RECORD_FIELDS, astuple_shallow(story))), ensure_ascii=False)
    except TypeError:  # an object JSON does not know (as to_dict's would fail, but said the same way)
        return json.dumps(story.to_dict(), ensure_ascii=False)


_RECORD_FIELDS = tuple(f.name for f in dataclasses.fields(Story))


def astuple_shallow(story: Story) -> tuple:
    """The record's values in field order, not copied."""
    return tuple(getattr(story, name) for name in _RECORD_FIELDS)


def story_document(story: Story, group: str, file: str, stamp: str, table: FieldTable = FIELDS) -> dict:
    """The Whoosh document of one story."""
    plan, text_fields = _document_plan(table)
    doc: dict = {}
    for name, index, many, facet_field in plan:
        value = getattr(story, name)
        if index == KEY:
            doc[name] = value
        elif index == TEXT or index == NAMES:
            doc[name] = "\n".join(value) if many else (value or "")
        elif index == EXACT and value:
            doc[name] = fold_value(value)
        elif index == DATE and value:
            try:
                doc[name] = _day_of(value)
            except ValueError:
                pass
            else:
                doc["year"], doc["month"], doc["day"] = value[:4], value[:7], value
        if facet_field and value:
            doc[facet_field] = _facet_values(value) if many else value
    doc.update({
        "words": "\n".join(getattr(story, name) or "" for name in text_fields),
        "lead": lead_of(story.body),
        "group": group,
        "file": file,
        "filestamp": stamp,
        "record": record_json(story),
        "version_rank": VERSION_RANK.get(story.version, ORIGINAL_RANK),
    })
    key = bucket_key(story)
    if key:
        doc["bucket"] = key
    dupkey = duplicate_key(story)
    if dupkey:
        doc["dupkey"] = dupkey
    if story.duplicate_of:
        doc["duplicate"] = story.duplicate_of
    return doc


def record_of(stored: dict) -> Story:
    """The Story stored in a document."""
    return Story.from_dict(json.loads(stored["record"]))
