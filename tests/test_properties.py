"""Readers and parser never raise, whatever the bytes or the text."""

from __future__ import annotations

import signal
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer.config import CorpusConfig
from indexer.wire.parser import parse_story
from indexer.formats import CorpusFile, read_file
from indexer.story import Story

# Fuzzing for exceptions and hangs: part of the reliability suite (pytest -m reliability).
pytestmark = pytest.mark.reliability

#: One example taking this long is a hang (a few milliseconds is the norm):
#: not a speed check, a stop to an endless loop or runaway backtracking.
HANG_SECONDS = 20


class Hang(Exception):
    pass


@contextmanager
def no_hang(seconds: float = HANG_SECONDS):
    """Raise Hang if the block runs longer than ``seconds`` (SIGALRM, main thread)."""
    def alarm(signum, frame):
        raise Hang(f"no answer after {seconds} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)

# Text made of the pieces wire copy is made of, so that the parser's rules
# are exercised, not only its fallbacks.
PIECES = st.sampled_from([
    "MOSCOU, 20 novembre (Reuters) - ", "PARIS, 20 nov 2015 (AFP) - ", "WASHINGTON (AP) — ",
    "(Actualisé avec bilan)", "URGENT - ", "(", ")", ";", " pour le service français", "édité par ",
    "Danielle Rouquié", " et ", ", ", "\n", "\n\n", "LES PROCHAINES PHASES ", "- Sous-titre -",
    "abc-fb/jmt", "---\n", "id: x\n", "vendredi", "31 février", "1er", "’", "\u00a0", "œ", ".",
    "<DOC id=\"AFP_FRE_20081105.0042\">", "<P>", "</TEXT>", "{\"text\": \"a\"}", "\x00", "\r\n",
])
WIRE_TEXT = st.lists(st.one_of(PIECES, st.text(max_size=30)), max_size=40).map("".join)
CONFIGS = st.sampled_from([CorpusConfig(), CorpusConfig(years=(2012, 2016)), CorpusConfig(years=(2015, 2015), agency="AFP")])


@settings(max_examples=400, deadline=None)
@given(text=WIRE_TEXT, config=CONFIGS, meta=st.dictionaries(
    st.sampled_from(["id", "date", "headline", "agency", "authors", "version", "url", "places"]),
    st.one_of(st.none(), st.text(max_size=12), st.integers(), st.lists(st.text(max_size=5), max_size=3)),
    max_size=4))
def test_parse_story_never_raises_and_returns_a_record(text, config, meta):
    with no_hang():
        story = parse_story(text, source="2015/11/20/x.txt", relpath="x.txt", metadata=meta, config=config)
    assert isinstance(story, Story)
    assert story.id
    assert story.date is None or len(story.date) == 10
    assert story.to_dict()["id"] == story.id


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.one_of(st.binary(max_size=2000), WIRE_TEXT.map(lambda t: t.encode("utf-8", "surrogatepass"))),
       suffix=st.sampled_from([".txt", ".jsonl", ".json", ".sgml", ".txt.gz", ""]))
def test_read_file_never_raises_and_gives_stories_or_a_reason(data, suffix):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"story{suffix}"
        path.write_bytes(data)
        with no_hang():
            result = read_file(CorpusFile(str(path), path.name, CorpusConfig()))
    assert result.stories or result.problems
    for problem in result.problems:
        assert problem.reason and str(path) in str(problem)
        assert problem.kind != "parse", problem   # the readers' safety net must never be needed


QUERY_PIECES = st.sampled_from([
    "syrie", "frappes", "ET", "OU", "SAUF", "NON", "AND", "OR", "NOT", "(", ")", '"', "~", "~5", "*", "?",
    "+", "-", "agence:", "traducteur:", "date:", "date:2015", "date:[2015 TO 2016]", "date:..2014", "[", "]",
    "TO", "lieu:\"le caire\"", "foo:", ":", "l'", "’", "é", " ", "  ", "\u00a0", "\\", "^", "{", "}", "2015-13",
])


@settings(max_examples=500, deadline=None)
@given(text=st.lists(st.one_of(QUERY_PIECES, st.text(max_size=8)), max_size=14).map(" ".join))
def test_query_parser_raises_only_query_errors(text):
    from indexer.index.schema import build_schema
    from search.query import QueryError, parse_query

    schema = _SCHEMA.setdefault("schema", build_schema())
    try:
        with no_hang():
            q = parse_query(text, schema)
    except QueryError as exc:
        assert exc.message and (exc.position is None or 0 <= exc.position <= len(text))
    else:
        assert q is not None


_SCHEMA: dict = {}


def test_a_hang_is_caught():
    import time

    with pytest.raises(Hang):
        with no_hang(0.05):
            time.sleep(1)


METADATA_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=8), st.binary(max_size=8),
              st.dates(), st.datetimes()),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.frozensets(st.text(max_size=3), max_size=3),
                            st.dictionaries(st.text(max_size=4), inner, max_size=3)),
    max_leaves=8)


@settings(max_examples=300, deadline=None)
@given(meta=st.dictionaries(
    st.sampled_from(["id", "date", "headline", "title", "agency", "authors", "places", "version", "desk", "url",
                     "tags"]), METADATA_VALUES, max_size=5))
def test_any_metadata_value_gives_a_record_that_is_plain_json(meta):
    """What YAML (!!binary, !!set, timestamps) or JSON can hold never breaks a
    story: a value that cannot be used is dropped with a warning."""
    import json

    story = parse_story("Titre\n\nPARIS (AFP) - Texte.", source="x.txt", metadata=meta)
    json.dumps(story.to_dict(), allow_nan=False)
    assert story.id and isinstance(story.id, str)
    assert all(isinstance(v, str) for name in ("places", "authors") for v in getattr(story, name))
