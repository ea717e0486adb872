"""Counting what a run read: files, stories, skipped files, warnings by kind."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from indexer.formats import FILE_WARNING_KINDS, FileProblem, FileResult
from indexer.story import STORY_FIELDS, Story

#: The fields whose presence a summary counts (id and source always exist).
COUNTED_FIELDS = tuple(f for f in STORY_FIELDS if f not in ("id", "source", "warnings", "meta"))


@dataclass
class ReadSummary:
    """Totals of a read or index run; ``add`` one file result at a time."""

    files: int = 0
    stories: int = 0
    skipped: list[FileProblem] = field(default_factory=list)
    problems: list[FileProblem] = field(default_factory=list)
    story_warnings: Counter = field(default_factory=Counter)
    with_field: Counter = field(default_factory=Counter)

    def add(self, result: FileResult) -> None:
        self.files += 1
        for problem in result.problems:
            (self.skipped if problem.skipped else self.problems).append(problem)
        for story in result.stories:
            self.add_story(story)

    def add_story(self, story: Story) -> None:
        self.stories += 1
        for name in COUNTED_FIELDS:
            if getattr(story, name) not in (None, "", ()):
                self.with_field[name] += 1
        for warning in story.warnings:
            self.story_warnings[warning.split(":", 1)[0]] += 1

    @property
    def warnings_by_kind(self) -> Counter:
        """File-level problems and story warnings, counted by kind."""
        kinds = Counter(p.kind for p in self.problems)
        for kind, n in self.story_warnings.items():
            if kind not in FILE_WARNING_KINDS:  # already counted per file
                kinds[kind] += n
        return kinds

    @property
    def clean(self) -> bool:
        """No file skipped and no warning of any kind."""
        return not self.skipped and not self.problems and not self.story_warnings

    def to_dict(self) -> dict:
        return {
            "files": self.files,
            "stories": self.stories,
            "skipped": len(self.skipped),
            "warnings": dict(sorted(self.warnings_by_kind.items())),
            "with_field": {f: self.with_field.get(f, 0) for f in COUNTED_FIELDS},
        }
