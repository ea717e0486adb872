"""Searching the real stories of ../shared/realdata as a journalist would (issue 15).

Skips when ../shared/realdata is absent. The index is built once for the module.
"""

import json
import re
from pathlib import Path

import pytest

from indexer.index.build import build_index
from search.results import SearchRequest
from search.searcher import Searcher

REALDATA = Path(__file__).resolve().parents[2] / "shared" / "realdata"
pytestmark = pytest.mark.skipif(not REALDATA.is_dir(), reason="needs ../shared/realdata")


def _stories():
    for path in sorted(REALDATA.glob("*.jsonl")):
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    yield json.loads(line)


@pytest.fixture(scope="module")
def real(tmp_path_factory):
    path = tmp_path_factory.mktemp("realdata") / "ix"
    build_index([REALDATA], path)
    with Searcher(path) as s:
        yield s


def _ids(searcher, query):
    """Every story the query finds, republished copies included (the raw files hold them)."""
    page = searcher.search(SearchRequest(query, all_versions=True, duplicates=True, limit=10_000, snippets=False))
    return {h.story.id for h in page.hits}


def test_avions_is_searchable(real):
    assert real.search(SearchRequest("avions")).total > 100


def test_avion_finds_every_story_about_planes(real):
    plane = re.compile(r"\bavions?\b", re.IGNORECASE)
    expected = {str(r["id"]) for r in _stories()
                if plane.search(f"{r.get('headline') or ''}\n{r.get('text') or ''}")}
    assert _ids(real, "avion") == expected == _ids(real, "avions")


def test_a_phrase_with_avions_keeps_the_word(real):
    phrase = re.compile(r"\bavions? de combat\b", re.IGNORECASE)
    found = real.search(SearchRequest('"avions de combat"', all_versions=True, limit=1000))
    assert found.total >= 1
    for hit in found.hits:
        assert phrase.search(f"{hit.story.headline}\n{hit.story.body}"), hit.story.id
    assert found.total < real.search(SearchRequest("combat", all_versions=True)).total / 5


@pytest.mark.parametrize("typed, form", [("secour", "secours"), ("discour", "discours"), ("recour", "recours")])
def test_a_dropped_s_finds_the_invariable_word(real, typed, form):
    page = real.search(SearchRequest(typed))
    assert page.total == real.search(SearchRequest(form)).total > 0
    assert page.relaxation.replaced == ((typed, form),)


def test_did_you_mean_on_real_stories(real):
    assert real.search(SearchRequest("Olande")).suggestions[0] == "Hollande"
    assert real.search(SearchRequest("Poutinne Lavrof")).suggestions[0] == "Poutine Lavrov"
    assert real.search(SearchRequest("Netanyahou")).suggestions[0] == "Netanyahu"


@pytest.mark.parametrize("forms", ["vieille vieilles vieux", "idéal idéaux", "Montréal montréaux", "abus abuss"])
def test_the_forms_of_a_word_find_the_same_stories(real, forms):
    found = [_ids(real, word) for word in forms.split()]
    assert found[0] and all(f == found[0] for f in found)
