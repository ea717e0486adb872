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

The field names declared here are the single source of truth: the JSON
form of a record, the golden files and the index schema all use them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

#: Where a story's date came from, in order of trust.
DATE_SOURCES = ("text", "metadata", "path", "corpus", "weekday")

#: Versions of a story, as written in update notes (lower case, accented).
VERSIONS = (
    "urgent", "flash", "actualisé", "refonte", "répétition", "correction",
    "rectificatif",
)


@dataclass(frozen=True)
class Story:
    """One parsed wire story. Lists are tuples so that the record is frozen."""

    id: str
    headline: str | None = None
    agency: str | None = None
    places: tuple[str, ...] = ()
    date: str | None = None
    date_source: str | None = None
    authors: tuple[str, ...] = ()
    translators: tuple[str, ...] = ()
    editors: tuple[str, ...] = ()
    desk: str | None = None
    update_note: str | None = None
    version: str | None = None
    subheads: tuple[str, ...] = ()
    body: str = ""
    signatures: tuple[str, ...] = ()
    source: str = ""
    warnings: tuple[str, ...] = ()
    meta: dict[str, Any] = field(default_factory=dict, hash=False)

    def to_dict(self) -> dict[str, Any]:
        """The record's JSON form: field names as declared, lists as lists.

        >>> Story(id="x", places=("Moscou",)).to_dict()["places"]
        ['Moscou']
        """
        out = asdict(self)
        for name, value in out.items():
            if isinstance(value, tuple):
                out[name] = list(value)
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Story":
        """Rebuild a record from its JSON form (unknown keys are ignored)."""
        kwargs = {}
        for f in fields(cls):
            if f.name in data:
                value = data[f.name]
                if isinstance(value, list):
                    value = tuple(value)
                kwargs[f.name] = value
        return cls(**kwargs)


#: Every field of the record, in order.
STORY_FIELDS = tuple(f.name for f in fields(Story))
