"""Counting what a run read: files, stories, skipped files, warnings by kind."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from indexer.formats import FileProblem, FileResult
from indexer.story import STORY_FIELDS, Story

#: The fields whose presence a summary counts (id and source always exist).
COUNTED_FIELDS = tuple(f for f in STORY_FIELDS if f not in ("id", "source", "warnings", "meta"))


@dataclass
class ReadSummary:
    """Totals of a read or index run; ``add`` one file result (or part) at a time.

    Memory stays bounded whatever the run: the skipped files are kept (to
    be listed), the warnings only counted by kind.
    """

    files: int = 0
    stories: int = 0
    skipped: list[FileProblem] = field(default_factory=list)
    warnings_by_kind: Counter = field(default_factory=Counter)
    with_field: Counter = field(default_factory=Counter)
    #: Stories read in each format (``text``, ``jsonl``, ``newsml-g2``...).
    by_format: Counter = field(default_factory=Counter)

    def add(self, result: FileResult) -> None:
        if result.last:
            self.files += 1
        if result.format and result.stories:
            self.by_format[result.format] += len(result.stories)
        for problem in result.problems:
            if problem.skipped and problem.position is None:
                self.skipped.append(problem)
            else:
                self.warnings_by_kind[problem.kind] += 1
        for story in result.stories:
            self.add_story(story)

    def add_story(self, story: Story) -> None:
        self.stories += 1
        for name in COUNTED_FIELDS:
            if getattr(story, name) not in (None, "", ()):
                self.with_field[name] += 1

    @property
    def clean(self) -> bool:
        """No file skipped and no warning of any kind."""
        return not self.skipped and not self.warnings_by_kind

    def to_dict(self) -> dict:
        return {
            "files": self.files,
            "stories": self.stories,
            "skipped": len(self.skipped),
            "warnings": dict(sorted(self.warnings_by_kind.items())),
            "with_field": {f: self.with_field.get(f, 0) for f in COUNTED_FIELDS},
            "by_format": dict(self.by_format.most_common()),
        }
