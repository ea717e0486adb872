"""Republished copies (dédoublonnage): found when indexing, over the whole
index and across incremental runs, left out of results under their
original, shown on request and marked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli_run import run
from indexer.index.build import build_index
from indexer.index.duplicates import duplicate_key, find_duplicates, shingles, similarity
from indexer.story import Story
from search.results import SearchRequest
from search.searcher import Searcher

VOCABULARY = ("berger troupeau estive col brebis agneau pâturage chien clôture indemnité préfet maire vallée "
              "montagne ours loup attaque constat expertise budget aide dossier versement élu syndicat "
              "chambre agriculture fromage lait laine transhumance cabane refuge sentier randonneur "
              "garde parc réserve forêt hêtre sapin neige printemps automne village marché foire "
              "saison orage source torrent").split()
BODY = ("Le gouvernement a présenté mardi un plan de soutien aux éleveurs de montagne touchés par les attaques "
        "d'ours, doté de dix millions d'euros, a annoncé le ministère de l'Agriculture dans un communiqué. "
        "Les associations de bergers jugent la somme insuffisante et demandent des mesures de protection. "
        + " ".join(" ".join(VOCABULARY[(n * 7 + j) % len(VOCABULARY)] for j in range(12)) + "."
                   for n in range(1, 50)))
UPDATE = BODY + (" Le ministre se rendra jeudi dans les Pyrénées pour rencontrer les élus et les éleveurs, "
                 "a précisé son cabinet, sans donner plus de détails sur le calendrier de versement.")


def story(sid: str, body: str = BODY, date: str | None = "2020-07-02", agency: str = "AFP",
          headline: str = "Dix millions pour les éleveurs") -> dict:
    out = {"id": sid, "headline": headline, "text": body, "agency": agency}
    if date:
        out["date"] = date
    return out


def _story(d: dict) -> Story:
    return Story(id=d["id"], headline=d["headline"], body=d["text"], agency=d["agency"], date=d.get("date"))


def test_exact_and_near_exact_copies_of_one_source():
    stories = [_story(story("b")), _story(story("a", date="2020-07-03")),
               _story(story("c", body=BODY.replace("mardi", "mard"))),
               _story(story("d", body=UPDATE)),
               _story(story("e", headline="DIX MILLIONS pour les éleveurs !", body=BODY.replace("  ", " ")))]
    keys = {duplicate_key(s) for s in stories}
    assert len(keys) == 1                                # one source, one folded headline
    assert similarity(shingles(stories[0]), shingles(stories[3])) < 0.95 < \
        similarity(shingles(stories[0]), shingles(stories[2]))
    # The earliest story is the original, whatever the ids; an update is not a copy.
    assert find_duplicates(stories) == {"a": "b", "b": None, "c": "b", "d": None, "e": "b"}
    assert duplicate_key(_story(story("x", agency="Reuters"))) not in keys
    assert duplicate_key(_story(story("y", body="Un flash."))) is None
    # A correction changes one word of its original: a version, not a copy.
    correction = Story(id="f", headline="Dix millions pour les éleveurs", agency="AFP", version="correction",
                       body=BODY.replace("mardi", "lundi"), date="2020-07-02")
    assert duplicate_key(correction) is None


def _write(folder: Path, name: str, stories: list[dict]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text("\n".join(json.dumps(s, ensure_ascii=False) for s in stories) + "\n",
                               encoding="utf-8")


def _copies(ix: Path) -> dict[str, str | None]:
    with Searcher(ix) as s:
        page = s.search(SearchRequest("", all_versions=True, duplicates=True, limit=100))
        return {h.story.id: h.story.duplicate_of for h in page.hits}


def test_copies_are_left_out_shown_on_request_and_marked(tmp_path):
    corpus, ix = tmp_path / "corpus", tmp_path / "ix"
    _write(corpus, "a.jsonl", [story("00-orig"), story("copy-same-day"), story("upd", body=UPDATE),
                               story("copy-later", date="2020-07-09"),
                               story("reuters", agency="Reuters")])
    build_index([corpus], ix, workers=1)
    assert _copies(ix) == {"00-orig": None, "copy-same-day": "00-orig", "upd": None, "copy-later": "00-orig",
                           "reuters": None}
    with Searcher(ix) as s:
        plain = s.search(SearchRequest("éleveurs"))
        assert plain.total == 2                          # the AFP group (orig + its update), Reuters
        afp = next(h for h in plain.hits if h.story.agency == "AFP")
        assert afp.versions == 2                         # copies are not versions
        shown = s.search(SearchRequest("éleveurs", duplicates=True))
        assert shown.total == 4 and sum(bool(h.story.duplicate_of) for h in shown.hits) == 2
        assert s.search(SearchRequest("éleveurs", all_versions=True)).total == 3
        assert s.search(SearchRequest("éleveurs", all_versions=True, duplicates=True)).total == 5
        facets = s.search(SearchRequest("", facets=("agency",), duplicates=True)).facets["agency"]
        assert {v.value: v.count for v in facets} == {"AFP": 3, "Reuters": 1}
        # Copies are not "similar" stories: the Reuters story is, once.
        assert [h.story.id for h in s.similar("00-orig")] == ["reuters"]
        versions = s.versions("copy-later")
        assert [v.id for v in versions] == ["00-orig", "upd", "copy-same-day", "copy-later"]
    code, out, _ = run("versions", "00-orig", "--index", str(ix), "--format", "jsonl")
    assert code == 0 and [json.loads(line)["duplicate_of"] for line in out.splitlines()] == \
        [None, None, "00-orig", "00-orig"]
    code, out, _ = run("versions", "00-orig", "--index", str(ix), "--format", "table")
    assert code == 0 and out.count("(duplicat") == 2 and out.count("(original)") == 2   # the update names no version
    code, out, _ = run("show", "copy-later", "--index", str(ix), "--format", "table")
    assert code == 0 and "duplicate_of 00-orig" in out
    code, out, _ = run("search", "éleveurs", "--duplicates", "--index", str(ix), "--format", "json")
    assert json.loads(out)["total"] == 4


def test_copies_across_incremental_runs(tmp_path):
    corpus, ix = tmp_path / "corpus", tmp_path / "ix"
    _write(corpus, "a.jsonl", [story("m", date="2020-07-05")])
    build_index([corpus], ix, workers=1)
    # A copy arrives in a later run, in another file.
    _write(corpus, "b.jsonl", [story("n", date="2020-07-06")])
    build_index([corpus], ix, workers=1)
    assert _copies(ix) == {"m": None, "n": "m"}
    # An earlier publication arrives: it is the original now, and the story
    # already indexed is rewritten as its copy.
    _write(corpus, "c.jsonl", [story("z", date="2020-07-01")])
    build_index([corpus], ix, workers=1)
    assert _copies(ix) == {"m": "z", "n": "z", "z": None}
    # The original's file goes: the earliest copy left is the original.
    (corpus / "c.jsonl").unlink()
    build_index([corpus], ix, workers=1)
    assert _copies(ix) == {"m": None, "n": "m"}
    # A rebuild says the same as the runs did.
    build_index([corpus], tmp_path / "fresh", workers=1)
    assert _copies(tmp_path / "fresh") == _copies(ix)
