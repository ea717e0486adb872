"""From a file to parsed stories: open, choose the format, parse each piece.

Every file is read through a :class:`~indexer.formats.source.Source` (so a
FIFO, a binary or a huge file costs nothing but its head) and split by its
format into pieces, each parsed into a :class:`~indexer.story.Story`. A bad
file is reported with its reason and never costs another file its stories;
a bad story never costs another story.

A story is kept when it has a headline or a body once parsed, whatever the
format: a headline alone is a story (a flash), a record with neither is
reported as empty.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterator

from indexer.config import CorpusConfig
from indexer.formats.base import Format, Piece
from indexer.formats.problems import FileProblem, FileResult, Skip
from indexer.formats.registry import choose_format
from indexer.formats.source import MAX_STORY_CHARS, Source
from indexer.formats.walk import CorpusFile, iter_corpus_files
from indexer.story import Story
from indexer.wire.parser import parse_story


def read_file(cf: CorpusFile) -> FileResult:
    """Read, split and parse one whole file. Never raises on the file's content."""
    result = FileResult(cf.path)
    for part in read_file_parts(cf):
        result.stories += part.stories
        result.problems += part.problems
    return result


#: Stories between two calls of ``read_file_parts``'s ``on_progress``.
PROGRESS_STORIES = 50


def read_file_parts(cf: CorpusFile, part_stories: int | None = None,
                    on_progress: Callable[[int, int], None] | None = None) -> Iterator[FileResult]:
    """Read one file in parts of at most ``part_stories`` stories (None: one
    part). Memory stays bounded by a part, whatever the size of the file.
    Never raises on the file's content. ``on_progress(stories, bytes)`` is
    called every few stories with the stories found so far and the bytes of
    the file read (each part's ``bytes_read`` says the same)."""
    part = FileResult(cf.path)
    found = 0
    try:
        source = Source(cf.path)
    except Skip as skip:
        part.problems.append(FileProblem(cf.path, skip.reason, True, skip.kind))
        yield part
        return
    with source:
        fmt = choose_format(cf.path, source)
        part.format = fmt.name
        file_warnings: list[str] = []
        seen_source_warnings = 0

        def take_source_warnings() -> None:
            nonlocal seen_source_warnings
            for problem in source.warnings[seen_source_warnings:]:
                part.problems.append(problem)
                file_warnings.append(problem.message)
            seen_source_warnings = len(source.warnings)

        try:
            for item in fmt.read(source):
                take_source_warnings()
                if isinstance(item, FileProblem):
                    part.problems.append(item)
                    if item.position is None and not item.skipped:
                        file_warnings.append(item.message)
                    continue
                story = _parse(item, cf, fmt, tuple(file_warnings), part)
                if story is None:
                    continue
                if part_stories and len(part.stories) >= part_stories:  # a full part, and more to come
                    part.last = False
                    part.bytes_read = source.consumed
                    yield part
                    part = FileResult(cf.path, part=part.part + 1, format=fmt.name)
                part.stories.append(story)
                found += 1
                if on_progress is not None and found % PROGRESS_STORIES == 0:
                    on_progress(found, source.consumed)
            take_source_warnings()
        except Skip as skip:
            part.problems.append(FileProblem(cf.path, skip.reason, True, skip.kind))
        except OSError as exc:
            part.problems.append(FileProblem(cf.path, f"unreadable: {exc.strerror or exc}", not found, "read"))
    if not found and not any(p.skipped and p.position is None for p in part.problems):
        part.problems.append(FileProblem(cf.path, "no story found", True, "empty"))
    part.bytes_read = source.size
    yield part


def _parse(piece: Piece, cf: CorpusFile, fmt: Format, file_warnings: tuple[str, ...],
           part: FileResult) -> Story | None:
    """The story of one piece, or None with the reason in ``part``."""
    whole = piece.position is None
    if len(piece.text) > MAX_STORY_CHARS:
        part.problems.append(FileProblem(
            cf.path, f"a story of {len(piece.text) / 1e6:.1f} million characters is not a wire story "
            f"(limit {MAX_STORY_CHARS // 1_000_000} million), skipped", whole, "size", piece.position, fmt.unit))
        return None
    try:
        story = parse_story(piece.text, source=cf.path, relpath=cf.relpath, position=piece.position,
                            metadata=piece.meta, config=cf.config, warnings=file_warnings + piece.warnings)
    except Exception as exc:  # a parser bug costs this story, reported, never the run
        part.problems.append(FileProblem(cf.path, f"could not be parsed ({type(exc).__name__}: {exc}), skipped",
                                         whole, "parse", piece.position, fmt.unit))
        return None
    if not story.headline and not story.body:
        part.problems.append(FileProblem(cf.path, "empty story (no headline and no body), skipped", whole, "empty",
                                         piece.position, fmt.unit))
        return None
    for warning in story.warnings[len(file_warnings):]:
        part.problems.append(FileProblem.of_story(warning, cf.path, piece.position, fmt.unit))
    return story


def read_corpus(paths: list[str | Path], config: CorpusConfig | None = None,
                part_stories: int | None = None) -> Iterator[FileResult]:
    """Read every file under ``paths`` in order, one :class:`FileResult` each
    (with ``part_stories``, one a part of at most that many stories).

    Problems found while walking (symlink loops, links out of the corpus)
    come first, as results with no story.
    """
    walk_problems: list[FileProblem] = []
    files = list(iter_corpus_files(paths, config, walk_problems))
    for problem in walk_problems:
        yield FileResult(problem.path, [], [problem])
    for cf in files:
        if part_stories:
            yield from read_file_parts(cf, part_stories)
        else:
            yield read_file(cf)
