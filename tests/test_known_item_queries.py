"""The independent known-item queries (bench/known_item_queries.py, issue 15's measure)."""

import ast
import random
from pathlib import Path

from bench.known_item import Story
from bench.known_item_queries import build_independent_queries, other_form

SOURCE = Path(__file__).resolve().parents[1] / "bench" / "known_item_queries.py"


def test_the_generator_uses_none_of_the_projects_analysis():
    tree = ast.parse(SOURCE.read_text(encoding="utf-8"))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)} | \
        {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    assert not {m for m in imported if m and (m.startswith("indexer") or m.startswith("search"))}


def test_absent_forms_drop_or_add_an_s():
    rng = random.Random(0)
    assert other_form("secours", "common", {"secours"}, rng) in (("secour", True), ("secourss", True))
    assert other_form("abus", "common", {"abus"}, random.Random(1))[1]
    assert other_form("frappe", "common", {"frappe", "frappes"}, rng) == ("frappes", False)


def test_names_are_inflected_and_acronyms_are_not():
    assert other_form("Montréal", "name", set(), random.Random(0)) == ("Montréaux", True)
    assert other_form("Macron", "name", set(), random.Random(0)) == ("Macrons", True)
    assert other_form("SNCF", "fixed", set(), random.Random(0)) == ("SNCF", False)


def test_a_noun_near_the_stop_list_is_taken_and_given_its_other_number():
    stories = [Story("1", "Les avions de Boeing cloués au sol", "Les avions de Boeing restent au sol."),
               Story("2", "Un avion s'écrase", "Un avion s'est écrasé.")] + \
        [Story(str(n), f"Autre titre {n}", "Rien à voir.") for n in range(3, 40)]
    queries = {q.story_id: q for q in build_independent_queries(stories, 0, 7)}
    q = queries["1"]
    assert "avions" in q.words["exact"] and "avion" in q.words["infl"]
    assert "near-stop" in q.kinds


def test_the_same_seed_gives_the_same_queries():
    stories = [Story(str(n), f"Grève des cheminots numéro {n} à Marseille", "Texte.") for n in range(30)]
    first = build_independent_queries(stories, 10, 3)
    assert [q.words for q in first] == [q.words for q in build_independent_queries(stories, 10, 3)]
