"""The field table: every field of a story, declared once.

Each :class:`Field` says what a field of the Story record is and how every
layer treats it; the rest of the code derives its structures from
:data:`FIELDS` instead of spelling field names out:

=========================  ==================================================
derived                    where
=========================  ==================================================
the Story record           :mod:`indexer.story` (``make_story_type``)
metadata keys a story      :mod:`indexer.wire.parser` (front matter, JSON keys
takes                      named like a field set it)
the Whoosh schema and      :mod:`indexer.index.schema` (``build_schema``,
each story's document      ``story_document``)
query field names          :mod:`search.query` (``agence:afp``, ``lieu:...``)
filters and facets         :mod:`search.results` (``SearchRequest``,
                           ``FACETS``)
CLI options                :mod:`search.cli_search` (``--agency``,
                           ``--facets``, ``--field``, saved-query keys)
TUI sidebar and titles     :mod:`search.tui.state`
metadata lines of a story  :mod:`search.render` (``depeche show``, the TUI)
export columns             the table's order (``STORY_FIELDS``)
=========================  ==================================================

Every name a field declares (its name, its English and French query names)
is accepted wherever a field is named: ``lieu:paris``, ``--facets place``,
``--field lieu``, ``facets: [lieux]`` in a saved query. Case and accents do
not matter (``éditeur`` = ``editeur``).

Every field is stored: the whole record is kept as JSON in the index.

Adding a field
--------------
1. Add one :class:`Field` to :data:`FIELDS`, where it should stand in the
   record (its JSON form, the golden files and the CSV columns follow this
   order; add new fields at the end to keep exports' columns in place)::

       Field("edition", index=NAMES, en=("edition",), fr=("tirage",),
             filter="editions", facet=13, metadata=True, shown=True),

   That gives ``Story.edition``, an indexed ``edition`` field and its
   ``edition_facet`` twin, ``edition:soir`` and ``tirage:soir`` in
   queries, ``--edition`` and ``SearchRequest(editions=...)``, ``--facets
   edition``, an ``edition`` line in ``depeche show`` and a CSV column.
2. Make a reader fill it: put the value in the story's metadata under the
   field's name (``metadata=True`` makes the parser take it), or have the
   parser find it in the text.
3. Bump :data:`indexer.index.schema.SCHEMA_VERSION` (the index changed);
   regenerate the golden files (``python3 tests/golden.py --regen``: every
   record gains the key) and read the diff; add the field's names to the
   README's field table and to docs/formats.md (tests check both).

``tests/test_fields.py`` builds every derived structure from a table with
one more field, writes and searches it, and parses it from metadata.

The versions of a story (urgent, actualisé, refonte...) are a vocabulary
declared once too: :data:`VERSION_TABLE`.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Iterable, Iterator

# --------------------------------------------------------------- shapes
#: ``str | None``, default None: one value, maybe absent.
OPTIONAL = "optional"
#: ``tuple[str, ...]``, default (): several values (names, places...).
LIST = "list"
#: ``str``, default "": always a string (body, source).
STRING = "string"
#: ``str``, no default: the story's id.
REQUIRED = "required"
#: ``dict``, default {}: free-form metadata.
MAPPING = "mapping"
SHAPES = (OPTIONAL, LIST, STRING, REQUIRED, MAPPING)

# ----------------------------------------------- how a field is indexed
#: French analysis (folded, elisions and stop words out, stemmed); scored,
#: phrases; the fields a query's bare words look in.
TEXT = "text"
#: Names: folded word by word (case and accents), not stemmed, phrases:
#: ``traducteur:rouquie`` finds *Danielle Rouquié*.
NAMES = "names"
#: One value folded whole (``Actualisé`` -> ``actualise``): exact match.
EXACT = "exact"
#: A day: sortable, ranges (``date:2015-11..``), counted by year, month, day.
DATE = "date"
#: The unique key of a story (its id).
KEY = "key"
INDEXES = (TEXT, NAMES, EXACT, DATE, KEY, None)


def fold_name(name: str) -> str:
    """A field name as looked up: lower case, without accents.

    >>> fold_name("Éditeur")
    'editeur'
    """
    decomposed = unicodedata.normalize("NFKD", name.strip().lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass(frozen=True)
class Field:
    """One field of the Story record and what every layer does with it."""

    #: The record's attribute, the JSON key, the CSV column, the index field.
    name: str
    #: The value's shape: OPTIONAL, LIST, STRING, REQUIRED or MAPPING.
    shape: str = OPTIONAL
    #: How it is indexed (TEXT, NAMES, EXACT, DATE, KEY) or None: only stored.
    index: str | None = None
    #: Scoring weight of a TEXT field (the headline weighs three times the body).
    boost: float = 1.0
    #: English query names; the first also names the CLI option and the facet.
    en: tuple[str, ...] = ()
    #: French query names.
    fr: tuple[str, ...] = ()
    #: The SearchRequest attribute that filters on it (``agencies``); gives the
    #: CLI option ``--{en[0]}`` and the saved-query key of that name.
    filter: str | None = None
    #: Counted by ``--facets``/``depeche facets`` (exact values, an index twin
    #: ``<name>_facet``; DATE fields are counted by year, month or day): its
    #: place in lists of facets (1 first: ``--facets``, the TUI's sidebar);
    #: 0 when it is not a facet.
    facet: int = 0
    #: Counted by ``--facets`` given no names.
    usual: bool = False
    #: Listed in the TUI's facet sidebar (a value chosen there filters).
    sidebar: bool = False
    #: A line of the story's metadata in ``depeche show`` and the TUI
    #: (lists joined by ``, ``).
    shown: bool = False
    #: A story's metadata (front matter, JSON key) of this name sets it.
    metadata: bool = False
    #: Other metadata keys that set it when the story's metadata has no key
    #: of the field's own name (``tags`` for keywords, ``outlet`` for the
    #: publication): the well-known keys of other tools' exports.
    meta_aliases: tuple[str, ...] = ()
    #: The facet's title (default: the first English name, capitalised).
    label: str = ""
    #: Help of the CLI option.
    help: str = ""

    def __post_init__(self) -> None:
        if not self.name.isidentifier():
            raise ValueError(f"field {self.name!r}: the name must be an identifier")
        if self.shape not in SHAPES:
            raise ValueError(f"field {self.name!r}: shape {self.shape!r}; one of {', '.join(SHAPES)}")
        if self.index not in INDEXES:
            raise ValueError(f"field {self.name!r}: index {self.index!r}; one of {INDEXES}")
        if (self.en or self.fr) and self.index is None:
            raise ValueError(f"field {self.name!r}: query names need an indexed field")
        if (self.filter or self.facet) and not self.en:
            raise ValueError(f"field {self.name!r}: a filter or facet needs an English name")
        if self.filter and self.index not in (NAMES, EXACT):
            raise ValueError(f"field {self.name!r}: filters are on NAMES or EXACT fields")
        if self.facet and self.index not in (NAMES, EXACT, DATE):
            raise ValueError(f"field {self.name!r}: facets count NAMES, EXACT or DATE fields")
        if self.index == EXACT and self.shape == LIST:
            raise ValueError(f"field {self.name!r}: an EXACT field holds one value")
        if self.meta_aliases and not self.metadata:
            raise ValueError(f"field {self.name!r}: metadata aliases need metadata=True")
        if (self.usual or self.sidebar) and not self.facet:
            raise ValueError(f"field {self.name!r}: usual and sidebar are for facets")

    @property
    def many(self) -> bool:
        """Whether the field holds several values."""
        return self.shape == LIST

    @property
    def option(self) -> str | None:
        """The CLI option's name (``agency`` for ``--agency``), if it filters."""
        return self.en[0] if self.filter else None

    @property
    def title(self) -> str:
        """The facet's title: ``Agency``, ``Place``..."""
        return self.label or (self.en[0].capitalize() if self.en else self.name.capitalize())

    @property
    def names(self) -> tuple[str, ...]:
        """Every name it answers to: its own, then English and French ones."""
        return tuple(dict.fromkeys((self.name, *self.en, *self.fr)))

    @property
    def facet_field(self) -> str | None:
        """The index field holding its exact values for counting."""
        return f"{self.name}_facet" if self.facet and self.index != DATE else None


class FieldTable:
    """The fields of a story, in record order, with lookups by any name."""

    def __init__(self, fields: Iterable[Field]):
        self.fields: tuple[Field, ...] = tuple(fields)
        self._by_name: dict[str, Field] = {}
        self._lookup: dict[str, Field] = {}
        for f in self.fields:
            if f.name in self._by_name:
                raise ValueError(f"field {f.name!r} is declared twice")
            self._by_name[f.name] = f
        for f in self.fields:
            for name in f.names:
                key = fold_name(name)
                other = self._lookup.get(key)
                if other is not None and other is not f:
                    raise ValueError(f"the name {name!r} is claimed by {other.name!r} and {f.name!r}")
                self._lookup[key] = f
        filters = [f.filter for f in self.fields if f.filter]
        if len(set(filters)) != len(filters):
            raise ValueError("two fields share a filter attribute")
        ranks = [f.facet for f in self.fields if f.facet]
        if len(set(ranks)) != len(ranks):
            raise ValueError("two facets share a place in the facet order")
        if sum(f.index == DATE for f in self.fields) > 1 or sum(f.index == KEY for f in self.fields) != 1:
            raise ValueError("a table has one KEY field and at most one DATE field")

    def __iter__(self) -> Iterator[Field]:
        return iter(self.fields)

    def __len__(self) -> int:
        return len(self.fields)

    def __getitem__(self, name: str) -> Field:
        return self._by_name[name]

    def __contains__(self, name: object) -> bool:
        return name in self._by_name

    def extended(self, *fields: Field) -> "FieldTable":
        """This table with more fields at the end."""
        return FieldTable((*self.fields, *fields))

    @property
    def names(self) -> tuple[str, ...]:
        """Every field's name, in record order."""
        return tuple(f.name for f in self.fields)

    def lookup(self, name: str) -> Field | None:
        """The field a name or alias designates (case and accents ignored).

        >>> FIELDS.lookup("Lieu").name, FIELDS.lookup("agences").name
        ('places', 'agency')
        >>> FIELDS.lookup("colour") is None
        True
        """
        return self._lookup.get(fold_name(name))

    def query_names(self) -> dict[str, str]:
        """Query field name -> field, for every name of an indexed field with
        query names (``lieu`` -> ``places``)."""
        return {name: f.name for f in self.fields if f.en or f.fr for name in f.names}

    def describe_query_names(self) -> str:
        """``agency/agence, ..., date``: the first English and French names.

        >>> FIELDS.describe_query_names().split(", ")[:2]
        ['headline/titre', 'agency/agence']
        """
        return ", ".join("/".join(dict.fromkeys((f.en[:1] + f.fr[:1]) or (f.name,)))
                         for f in self.fields if f.en or f.fr)

    def with_index(self, *kinds: str) -> tuple[Field, ...]:
        """The fields indexed in one of these ways, in record order."""
        return tuple(f for f in self.fields if f.index in kinds)

    @property
    def filters(self) -> tuple[Field, ...]:
        """The fields a search can filter on (``--agency``...): facets first,
        in facet order, then the others in record order.

        >>> [f.option for f in FIELDS.filters]
        ['agency', 'translator', 'author', 'editor', 'place', 'version', 'publication', 'section', 'subject', 'language', 'keyword', 'withdrawn']
        """
        order = {f.name: n for n, f in enumerate(self.fields)}
        return tuple(sorted((f for f in self.fields if f.filter),
                            key=lambda f: (not f.facet, f.facet, order[f.name])))

    @property
    def facet_fields(self) -> tuple[Field, ...]:
        """The fields a search can count, in facet order."""
        return tuple(sorted((f for f in self.fields if f.facet), key=lambda f: f.facet))

    @property
    def facets(self) -> tuple[str, ...]:
        """The names of the facets a search can count, in facet order.

        >>> FIELDS.facets
        ('agency', 'translators', 'authors', 'editors', 'places', 'version', 'date', 'publication', 'section', 'subjects', 'language', 'keywords')
        """
        return tuple(f.name for f in self.facet_fields)

    @property
    def usual_facets(self) -> tuple[str, ...]:
        """What ``--facets`` counts given no names, in facet order."""
        return tuple(f.name for f in self.facet_fields if f.usual)

    @property
    def sidebar(self) -> tuple[Field, ...]:
        """The facets of the TUI's sidebar, in facet order."""
        return tuple(f for f in self.facet_fields if f.sidebar)

    def facet(self, name: str) -> str | None:
        """The facet a name or alias designates, or None.

        >>> FIELDS.facet("place"), FIELDS.facet("traducteur"), FIELDS.facet("tempete")
        ('places', 'translators', None)
        """
        f = self.lookup(name)
        return f.name if f is not None and f.facet else None

    def describe_facets(self) -> str:
        """``agency/agence, place/lieu, ...``: a facet's English and French names."""
        return ", ".join("/".join(dict.fromkeys(f.en[:1] + f.fr[:1])) for f in self.facet_fields)


# ---------------------------------------------------------------- the table
FIELDS = FieldTable((
    Field("id", REQUIRED, index=KEY, shown=True, metadata=True),
    Field("headline", index=TEXT, boost=3.0, en=("headline", "title"), fr=("titre",), metadata=True),
    Field("agency", index=NAMES, en=("agency", "agencies"), fr=("agence", "agences"),
          filter="agencies", facet=1, usual=True, sidebar=True, shown=True, metadata=True),
    Field("places", LIST, index=NAMES, en=("place", "places"), fr=("lieu", "lieux"),
          filter="places", facet=5, usual=True, sidebar=True, shown=True, metadata=True),
    Field("date", index=DATE, en=("date",), facet=7, usual=True, shown=True, metadata=True),
    Field("date_source"),
    Field("authors", LIST, index=NAMES, en=("author", "authors"), fr=("auteur", "auteurs"),
          filter="authors", facet=3, sidebar=True, shown=True, metadata=True),
    Field("translators", LIST, index=NAMES, en=("translator", "translators"),
          fr=("traducteur", "traductrice", "traduction", "traducteurs", "traductrices"),
          filter="translators", facet=2, usual=True, sidebar=True, shown=True, metadata=True),
    Field("editors", LIST, index=NAMES, en=("editor", "editors"), fr=("editeur", "editeurs"),
          filter="editors", facet=4, shown=True, metadata=True),
    Field("desk", index=NAMES, en=("desk",), fr=("service",), shown=True, metadata=True),
    Field("update_note", metadata=True),
    Field("version", index=EXACT, en=("version", "versions"), filter="versions", facet=6,
          shown=True, metadata=True, help="urgent, actualisé, refonte, ..."),
    Field("subheads", LIST),
    Field("body", STRING, index=TEXT, en=("body", "text"), fr=("texte",)),
    Field("signatures", LIST, shown=True),
    Field("source", STRING, shown=True),
    Field("warnings", LIST),
    Field("meta", MAPPING),
    # What feeds and press-database exports carry (docs/formats.md).
    Field("publication", index=NAMES, en=("publication", "newspaper"), fr=("journal",),
          filter="publications", facet=8, sidebar=True, shown=True, metadata=True,
          meta_aliases=("outlet", "newspaper", "journal"), help="the newspaper or service"),
    Field("section", index=NAMES, en=("section",), fr=("rubrique",), filter="sections", facet=9,
          sidebar=True, shown=True, metadata=True, meta_aliases=("rubrique",)),
    Field("subjects", LIST, index=NAMES, en=("subject", "subjects", "topic"), fr=("sujet", "sujets", "theme"),
          filter="subjects", facet=10, sidebar=True, shown=True, metadata=True, meta_aliases=("topics",)),
    Field("keywords", LIST, index=NAMES, en=("keyword", "keywords", "tag", "tags"), fr=("motcle", "motscles"),
          filter="keywords", facet=12, shown=True, metadata=True, meta_aliases=("tags",)),
    Field("slug", index=NAMES, en=("slug",), fr=("slugline",), shown=True, metadata=True),
    Field("language", index=EXACT, en=("language", "lang"), fr=("langue",), filter="languages", facet=11,
          sidebar=True, shown=True, metadata=True, meta_aliases=("lang",)),
    Field("urgency", index=EXACT, en=("urgency",), fr=("urgence",), shown=True, metadata=True,
          help="1 (flash) to 8"),
    Field("word_count", shown=True, metadata=True),
    Field("withdrawn", index=EXACT, en=("withdrawn",), fr=("retire", "annule"), filter="withdrawn",
          shown=True, metadata=True, help="yes: canceled or withheld by the agency"),
    # Set when indexing (indexer/index/duplicates.py), never read from a story.
    Field("duplicate_of", shown=True, label="Duplicate of",
          help="the id of the story this one republishes (exact or near-exact copy)"),
))


# ----------------------------------------------------------------- versions
@dataclass(frozen=True)
class Version:
    """One version of a story, as its update note or headline names it."""

    #: As stored: lower case, accented.
    name: str
    #: Its place among a story group's versions (the original is
    #: :data:`ORIGINAL_RANK`); a group shows its highest.
    rank: int
    #: Other words of update notes that name it.
    spellings: tuple[str, ...] = ()
    #: It updates an earlier story (joins its group even when rewritten).
    later: bool = False
    #: It may open a headline: ``URGENT - ...``.
    headline_flag: bool = False


#: The rank of a story that names no version (the original).
ORIGINAL_RANK = 2
VERSION_TABLE = (
    Version("actualisé", 4, ("actualise", "actualisation"), later=True),
    Version("refonte", 6, later=True),
    Version("répétition", 3, ("repetition",), later=True),
    Version("correction", 5, ("corrige", "corrigé"), later=True),
    Version("rectificatif", 5, later=True),
    Version("urgent", 1, headline_flag=True),
    Version("flash", 0, headline_flag=True),
)
#: Every version's name.
VERSION_NAMES = tuple(v.name for v in VERSION_TABLE)
#: A word of an update note -> the version it names.
VERSION_WORDS = {word: v.name for v in VERSION_TABLE for word in (v.name, *v.spellings)}
#: Version -> rank; None (no version) is the original.
VERSION_RANK = {None: ORIGINAL_RANK, **{v.name: v.rank for v in VERSION_TABLE}}
#: Versions that update an earlier story.
LATER_VERSIONS = frozenset(v.name for v in VERSION_TABLE if v.later)
#: Versions that may open a headline.
HEADLINE_FLAGS = tuple(v.name for v in VERSION_TABLE if v.headline_flag)


__all__ = [
    "DATE", "EXACT", "FIELDS", "HEADLINE_FLAGS", "KEY", "LATER_VERSIONS", "LIST", "MAPPING", "NAMES",
    "OPTIONAL", "ORIGINAL_RANK", "REQUIRED", "STRING", "TEXT", "VERSION_NAMES", "VERSION_RANK",
    "VERSION_TABLE", "VERSION_WORDS", "Field", "FieldTable", "Version", "fold_name",
]
