"""What an index holds: every story back out (export) and its statistics."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Iterator

from indexer.index.schema import record_of
from indexer.story import Story
from indexer.summary import COUNTED_FIELDS


def iter_stories(ix) -> Iterator[Story]:
    """Every story stored in an index, in index order."""
    with ix.searcher() as searcher:
        for stored in searcher.all_stored_fields():
            yield record_of(stored)


@dataclass
class IndexStats:
    """Counts over a whole index."""

    stories: int = 0
    files: int = 0
    groups: int = 0
    first_date: str | None = None
    last_date: str | None = None
    agencies: Counter = field(default_factory=Counter)
    translators: Counter = field(default_factory=Counter)
    places: Counter = field(default_factory=Counter)
    years: Counter = field(default_factory=Counter)
    versions: Counter = field(default_factory=Counter)
    missing: Counter = field(default_factory=Counter)

    def to_dict(self) -> dict:
        def ordered(c: Counter) -> dict:
            return dict(sorted(c.items(), key=lambda kv: (-kv[1], kv[0])))

        return {
            "stories": self.stories,
            "files": self.files,
            "groups": self.groups,
            "date_range": [self.first_date, self.last_date],
            "agencies": ordered(self.agencies),
            "translators": ordered(self.translators),
            "places": ordered(self.places),
            "years": dict(sorted(self.years.items())),
            "versions": ordered(self.versions),
            "missing": {f: self.missing.get(f, 0) for f in COUNTED_FIELDS},
        }


def index_stats(ix) -> IndexStats:
    """Stories, files, date range, counts per facet, and missing fields."""
    stats = IndexStats()
    files: set[str] = set()
    groups: set[str] = set()
    dates: list[str] = []
    with ix.searcher() as searcher:
        for stored in searcher.all_stored_fields():
            story = record_of(stored)
            stats.stories += 1
            files.add(stored.get("file", ""))
            groups.add(stored.get("group") or story.id)
            if story.agency:
                stats.agencies[story.agency] += 1
            stats.translators.update(story.translators)
            stats.places.update(story.places)
            if story.date:
                dates.append(story.date)
                stats.years[story.date[:4]] += 1
            stats.versions[story.version or "(original)"] += 1
            for name in COUNTED_FIELDS:
                if getattr(story, name) in (None, "", ()):
                    stats.missing[name] += 1
    stats.files = len(files)
    stats.groups = len(groups)
    if dates:
        stats.first_date, stats.last_date = min(dates), max(dates)
    return stats
