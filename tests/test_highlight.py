"""Marks and snippets: the shortcuts (raw words' analysis kept, set lookups
without truncations, the rest of a story scanned alone) mark exactly what a
plain pass over every word marks."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.analysis import WORD_RE, word_terms
from indexer.formats import read_corpus
from search.highlight import LEAD_CHARS, lead_spans, mark_spans

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


def _plain_marks(text, stems, words):
    """Every word analysed where it stands, no shortcut."""
    sp = tuple(t[:-1] for t in stems if t.endswith("*"))
    wp = tuple(w[:-1] for w in words if w.endswith("*"))
    out = set()
    for m in WORD_RE.finditer(text):
        for start, end, word, term in word_terms(m.group()):
            if term in stems or word in words or (sp and term.startswith(sp)) or (wp and word.startswith(wp)):
                out.add((m.start() + start, m.start() + end))
    return sorted(out)


@pytest.fixture(scope="module")
def bodies():
    found = [s.body for r in read_corpus([CORPUS]) for s in r.stories if s.body]
    assert len(found) > 50
    return found


def test_marks_are_those_of_a_plain_pass(bodies):
    queries = [({"gouvern"}, set()), ({"frapp", "aerien"}, {"syrie"}), (set(), {"paris", "l"}),
               ({"minist*"}, set()), (set(), {"aer*", "pres*"}), ({"etat", "islam"}, {"etat"})]
    marked = 0
    for body in bodies:
        for stems, words in queries:
            expected = _plain_marks(body, stems, words)
            assert mark_spans(body, stems, words) == expected
            marked += bool(expected)
    assert marked > 30


def test_a_story_marked_only_after_its_lead_is_marked_whole(bodies):
    """Nothing in the first paragraphs: the whole story's marks, the lead
    read once."""
    checked = 0
    for body in bodies:
        if len(body) <= LEAD_CHARS + 100:
            continue
        tail_words = {m.group().lower() for m in WORD_RE.finditer(body[LEAD_CHARS + 50:])}
        lead_words = {m.group().lower() for m in WORD_RE.finditer(body[: LEAD_CHARS + 50])}
        only_late = sorted(w for w in tail_words - lead_words if w.isascii() and w.isalpha() and len(w) > 4)
        cut = body.find(" ", LEAD_CHARS)
        late = [w for w in only_late if not _plain_marks(body[:cut], {word_terms(w)[0][3]}, set())]
        if cut < 0 or not late:
            continue
        stems = {word_terms(late[0])[0][3]}
        spans = lead_spans(body, stems, set())
        assert spans and spans == _plain_marks(body, stems, set())
        assert all(a > LEAD_CHARS for a, _ in spans)
        checked += 1
    assert checked >= 3
