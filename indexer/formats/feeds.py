"""Agency feed files: every item of a NewsML-G2, NewsML 1.2 or NITF file.

:func:`read_feed` streams a feed file item by item (see
:mod:`indexer.formats.xmlfeed`) and gives each item's text and metadata,
or the reason it is not a story, or why it cannot be read, with the item's
position and line. The wire parser then reads each text like any other.
The three :class:`~indexer.formats.base.Format` declarations at the end
are what :mod:`indexer.formats.registry` lists: each recognises its files
by their root element, whatever their name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import BinaryIO, Iterator

from indexer.formats import newsml12, newsml_g2, nitf
from indexer.formats.base import Format, Item, Piece
from indexer.formats.problems import FileProblem
from indexer.formats.source import Source
from indexer.formats.xmlfeed import FeedFileError, FeedItemError, RawItem, Sniffed, iter_items, parse_item, sniff_xml

_MAPPERS = {
    "newsml-g2": (newsml_g2.item_story, newsml_g2.NotAStory),
    "newsml-1.2": (newsml12.item_stories, newsml12.NotAStory),
    "nitf": (nitf.item_story, nitf.NotAStory),
}


@dataclass(frozen=True)
class FeedEntry:
    """One item of a feed file: a story (text and metadata) or a note on it."""

    position: int
    line: int
    text: str | None = None
    meta: dict = field(default_factory=dict, hash=False)
    skipped: str | None = None     # not a story: why (a picture, a package...)
    error: str | None = None       # cannot be read: why


def read_feed(stream: BinaryIO, sniffed: Sniffed) -> Iterator[FeedEntry]:
    """Every item of a feed file, in order. Raises FeedFileError for a file
    that cannot be read at all (entity declarations)."""
    mapper, not_a_story = _MAPPERS[sniffed.format]
    for raw in iter_items(stream, sniffed):
        if isinstance(raw, FeedItemError):
            yield FeedEntry(raw.position, raw.line, error=str(raw))
            continue
        yield from _entries(raw, sniffed, mapper, not_a_story)


def _entries(raw: RawItem, sniffed: Sniffed, mapper, not_a_story) -> Iterator[FeedEntry]:
    try:
        elem = parse_item(raw, sniffed)
        result = mapper(elem)
    except FeedItemError as exc:
        yield FeedEntry(raw.position, raw.line, error=str(exc))
        return
    except not_a_story as exc:
        yield FeedEntry(raw.position, raw.line, skipped=str(exc))
        return
    except (ValueError, TypeError, AttributeError, KeyError, IndexError, RecursionError) as exc:
        # A shape no rule expected: the item is reported, the file goes on.
        yield FeedEntry(raw.position, raw.line, error=f"unexpected item structure ({type(exc).__name__}: {exc})")
        return
    # NewsML 1.2 may carry several text components in one item.
    for text, meta in (result if isinstance(result, list) else [result]):
        yield FeedEntry(raw.position, raw.line, text=text, meta=meta)


def read_feed_source(source: Source) -> Iterator[Item]:
    """The stories of an open feed file, as the readers yield them: each
    item's text and metadata (its position is the item's rank), or a
    problem naming the item, its line and the reason."""
    sniffed = sniff_xml(source.head_bytes)
    if sniffed is None:  # sniffing chose the format: only a changed file lands here
        yield FileProblem(source.path, "not a NewsML or NITF file any more, skipped", True, "feed")
        return
    stream = source.stream()
    try:
        for entry in read_feed(stream, sniffed):
            where = f"(line {entry.line}) "
            if entry.text is not None:
                yield Piece(entry.text, entry.meta, entry.position)
            elif entry.skipped is not None:
                yield FileProblem(source.path, f"{where}{entry.skipped}: not a story, skipped", False, "feed",
                                  entry.position, "item")
            else:
                yield FileProblem(source.path, f"{where}{entry.error}, skipped", False, "feed",
                                  entry.position, "item")
    except FeedFileError as exc:
        yield FileProblem(source.path, f"{exc}, skipped", True, "feed")
    except OSError as exc:  # the file went away or broke while it was read
        yield FileProblem(source.path, f"cannot be read ({exc.strerror or exc}), rest skipped", True, "feed")


def _sniffer(name: str):
    def sniff(source: Source) -> bool:
        found = sniff_xml(source.head_bytes)
        return found is not None and found.format == name
    return sniff


NEWSML_G2 = Format("newsml-g2", read_feed_source, sniff=_sniffer("newsml-g2"), unit="item")
NEWSML_12 = Format("newsml-1.2", read_feed_source, sniff=_sniffer("newsml-1.2"), unit="item")
NITF = Format("nitf", read_feed_source, sniff=_sniffer("nitf"), unit="item")


__all__ = ["FeedEntry", "FeedFileError", "NEWSML_12", "NEWSML_G2", "NITF", "read_feed", "read_feed_source",
           "sniff_xml"]
