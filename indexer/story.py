"""The Story record: one wire story (dépêche) as Dépêche understands it.

Glossary
--------
dépêche
    A news-agency wire story (Reuters' French service, AFP, AP, Xinhua...).
dateline
    The opening ``PLACE, day month (AGENCY) -`` that says where and when
    the story was filed: ``MOSCOU, 20 novembre (Reuters) -``.
chapeau / lead
    The first paragraph, which carries the essentials (and often the
    weekday: ``a annoncé vendredi``).
update note
    The parenthesis before the dateline of a later version:
    ``(Actualisé avec bilan des frappes)``; its first word is the version.
credit line
    The parenthesis closing the story, naming reporters, translators
    (``X pour le service français``) and editors (``édité par Y``).
signatures
    AFP's trailing initials of writer and desk editors: ``abc-fb/jmt``.
desk
    The service that filed or translated the story (``service français``).

The record's fields are declared once, in :mod:`indexer.fields` (the field
table); the record, its JSON form, the golden files, the index schema, the
query language, the CLI and the exports all follow it.
"""

from __future__ import annotations

from dataclasses import asdict, field, fields, make_dataclass
from typing import Any

from indexer.fields import (FIELDS, LIST, MAPPING, OPTIONAL, REQUIRED, STRING, VERSION_NAMES,
                            FieldTable)

#: Where a story's date came from, in order of trust.
DATE_SOURCES = ("text", "metadata", "path", "corpus", "weekday")

#: Versions of a story, as written in update notes (lower case, accented).
VERSIONS = VERSION_NAMES

#: Shape -> (type, dataclass field) of a record's attribute.
_ATTRIBUTES = {
    REQUIRED: (str, lambda: field()),
    OPTIONAL: (str | None, lambda: field(default=None)),
    STRING: (str, lambda: field(default="")),
    LIST: (tuple[str, ...], lambda: field(default=())),
    MAPPING: (dict[str, Any], lambda: field(default_factory=dict, hash=False)),
}


def _to_dict(self) -> dict[str, Any]:
    """The record's JSON form: field names as declared, lists as lists.

    >>> Story(id="x", places=("Moscou",)).to_dict()["places"]
    ['Moscou']
    """
    out = asdict(self)
    for name, value in out.items():
        if isinstance(value, tuple):
            out[name] = list(value)
    return out


def _from_dict(cls, data: dict[str, Any]):
    """Rebuild a record from its JSON form (unknown keys are ignored).

    >>> Story.from_dict({"id": "x", "places": ["Moscou"], "colour": "red"}).places
    ('Moscou',)
    """
    kwargs = {}
    for f in fields(cls):
        if f.name in data:
            value = data[f.name]
            if isinstance(value, list):
                value = tuple(value)
            kwargs[f.name] = value
    return cls(**kwargs)


def make_story_type(table: FieldTable = FIELDS, name: str = "Story") -> type:
    """The frozen record class of a field table: one attribute per field, in
    the table's order, lists as tuples, with ``to_dict`` and ``from_dict``."""
    attributes = []
    for f in table:
        kind, make = _ATTRIBUTES[f.shape]
        attributes.append((f.name, kind, make()))
    doc = ("One parsed wire story. Lists are tuples so that the record is frozen.\n\n"
           "Its fields, in order (declared in :mod:`indexer.fields`): "
           + ", ".join(table.names) + ".")
    cls = make_dataclass(name, attributes, frozen=True, namespace={
        "__module__": __name__, "__doc__": doc, "to_dict": _to_dict,
        "from_dict": classmethod(_from_dict),
    })
    return cls


#: One parsed wire story (its fields: :data:`indexer.fields.FIELDS`).
Story = make_story_type()

#: Every field of the record, in order.
STORY_FIELDS = FIELDS.names
