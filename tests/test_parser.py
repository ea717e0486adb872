"""The wire-story parser on the families of copy French desks really write."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.config import CorpusConfig
from indexer.wire.credits import parse_credits
from indexer.wire.dateline import parse_dateline
from indexer.wire.parser import parse_story

SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "000_b7a2240e7e7e77b8.txt"
BUNDLED_SEED = Path(__file__).resolve().parents[1] / "corpus" / "reuters" / "2015" / "11" / "20" / "000_b7a2240e7e7e77b8.txt"


def _seed_text() -> str:
    for path in (BUNDLED_SEED, SEED):
        if path.exists():
            return path.read_text(encoding="utf-8")
    pytest.skip("seed story not found")


def test_seed_story_gives_every_field():
    story = parse_story(_seed_text(), source="x", relpath="reuters/2015/11/20/000_b7a2240e7e7e77b8.txt")
    assert story.headline == "La Russie dit avoir tué 600 rebelles dans l'est de la Syrie"
    assert story.agency == "Reuters"
    assert story.places == ("Moscou",)
    assert story.authors == ("Vladimir Soldatkine", "Dmitri Antonov", "John Davison")
    assert story.translators == ("Danielle Rouquié",)
    assert story.desk == "service français"
    assert story.version == "actualisé"
    assert story.update_note == "Actualisé avec bilan des frappes, citations Poutine et Peskov"
    assert story.subheads == ("LES PROCHAINES PHASES",)
    assert (story.date, story.date_source) == ("2015-11-20", "path")
    assert story.warnings == ()


def test_seed_body_has_no_debris_and_keeps_the_subhead_as_its_own_paragraph():
    story = parse_story(_seed_text(), source="x")
    body = story.body
    assert body.startswith("La Russie a à nouveau fait état vendredi")
    assert body.endswith("produiront les résultats que nous attendons.\"")
    for debris in ("Vous devez être membre", "Devenez membre", "Aucun commentaire", "(Reuters)",
                   "MOSCOU", "Actualisé", "Danielle Rouquié", "\nle\n", "\n0\n"):
        assert debris not in body
    assert "\n\nLES PROCHAINES PHASES\n\nSelon un bilan" in body


def test_seed_without_a_dated_path_has_no_date_but_a_corpus_range_chooses_by_weekday():
    assert parse_story(_seed_text(), source="seed.txt").date is None
    story = parse_story(_seed_text(), source="seed.txt", config=CorpusConfig(years=(2012, 2016)))
    assert (story.date, story.date_source) == ("2015-11-20", "weekday")


@pytest.mark.parametrize("credit, authors, translators, editors, desk", [
    ("Reportage de Parisa Hafezi et Sami Aboudi, avec Rania El Gamal à Dubaï; "
     "Marc Angrand et Myriam Rivet pour le service français, édité par Sophie Louet",
     ["Parisa Hafezi", "Sami Aboudi", "Rania El Gamal"], ["Marc Angrand", "Myriam Rivet"], ["Sophie Louet"],
     "service français"),
    ("Matthew Lee; version française Juliette Rouillon, édité par Yves Clarisse",
     ["Matthew Lee"], ["Juliette Rouillon"], ["Yves Clarisse"], None),
    ("Version française: Pierre Meunier, édité par Claire Dubois", [], ["Pierre Meunier"], ["Claire Dubois"], None),
    ("Par Matthew Lee; traduit par Laure Fabre", ["Matthew Lee"], ["Laure Fabre"], [], None),
    ("Service français", [], [], [], "service français"),
    ("Bureau de Paris", [], [], [], "bureau de Paris"),
    ("Rédaction de Genève", [], [], [], "rédaction de Genève"),
    ("Jean-Baptiste Vey, édité par Gilles Trequesser", ["Jean-Baptiste Vey"], [], ["Gilles Trequesser"], None),
])
def test_credit_families(credit, authors, translators, editors, desk):
    c = parse_credits(credit)
    assert c is not None
    assert list(c.authors) == authors
    assert list(c.translators) == translators
    assert list(c.editors) == editors
    assert c.desk == desk


@pytest.mark.parametrize("text", ["à ce sujet", "FDA", "Deux-Sèvres", "voir plus haut", "Source AFP"])
def test_a_closing_parenthesis_that_is_not_credits(text):
    assert parse_credits(text) is None


@pytest.mark.parametrize("line, places, agency, ymd", [
    ("MOSCOU, 20 novembre (Reuters) - x", ("Moscou",), "Reuters", (20, 11, None)),
    ("PARIS, 20 nov 2015 (AFP) - x", ("Paris",), "AFP", (20, 11, 2015)),
    ("WASHINGTON (AP) — x", ("Washington",), "AP", (None, None, None)),
    ("PEKIN, 21 janvier (Xinhua) -- x", ("Pekin",), "Xinhua", (21, 1, None)),
    ("WASHINGTON/MOSCOU, 1er décembre (Reuters) - x", ("Washington", "Moscou"), "Reuters", (1, 12, None)),
    ("SAINT-PÉTERSBOURG, 3 mars (Reuters) - x", ("Saint-Pétersbourg",), "Reuters", (3, 3, None)),
    ("LE CAIRE, 3 juil. (Reuters) - x", ("Le Caire",), "Reuters", (3, 7, None)),
    ("GENÈVE, 3 mars (ATS) - x", ("Genève",), "ATS", (3, 3, None)),
    ("BERLIN, 4 oct (dpa) - x", ("Berlin",), "DPA", (4, 10, None)),
    ("BRUXELLES, 12/03 (Belga) - x", ("Bruxelles",), "Belga", (12, 3, None)),
    ("NEW YORK, 4 juillet (AP) — x", ("New York",), "AP", (4, 7, None)),
])
def test_dateline_variants(line, places, agency, ymd):
    d = parse_dateline(line)
    assert d is not None
    assert d.places == places
    assert d.agency == agency
    assert (d.day, d.month, d.year) == ymd
    assert line[d.end:] == "x"


def test_agency_aliases_from_the_corpus_configuration():
    d = parse_dateline("ROME, 2 mai (Agenzia Nova) - x", {"Agenzia Nova": "Nova"})
    assert d.agency == "Nova"


def test_urgent_headline_prefix_is_a_version():
    s = parse_story("URGENT - Séisme au Japon\n\nTOKYO, 11 mars (Reuters) - Un séisme a frappé vendredi.", source="a")
    assert (s.headline, s.version, s.update_note) == ("Séisme au Japon", "urgent", None)


@pytest.mark.parametrize("note, version", [
    ("Refonte avec réactions", "refonte"), ("Répétition sans changement", "répétition"),
    ("Correction: précise le bilan au 2e paragraphe", "correction"), ("Rectificatif", "rectificatif"),
    ("ACTUALISÉ 2", "actualisé"),
])
def test_update_notes(note, version):
    s = parse_story(f"Titre\n\n({note})\n\nPARIS, 2 mai (Reuters) - Le texte.", source="a")
    assert (s.version, s.update_note, s.places) == (version, note, ("Paris",))
    assert s.body == "Le texte."


def test_afp_byline_subheads_and_signatures():
    text = (
        "Le Louvre rouvre ses portes\n\nPar Jean DUPONT\n\n"
        "PARIS, 3 juin 2016 (AFP) - Le musée a rouvert vendredi.\n\n"
        "- Une crue historique -\n\nLa Seine est montée.\n\njd-fb/jmt/sd\n"
    )
    s = parse_story(text, source="a")
    assert s.authors == ("Jean Dupont",)
    assert s.subheads == ("Une crue historique",)
    assert s.signatures == ("jd", "fb", "jmt", "sd")
    assert (s.date, s.date_source) == ("2016-06-03", "text")
    assert s.body == "Le musée a rouvert vendredi.\n\n- Une crue historique -\n\nLa Seine est montée."


def test_hard_wrapped_paragraphs_are_joined():
    text = ("Titre\n\nPARIS, 2 mai (Reuters) - Une phrase longue qui\ncontinue sur la ligne suivante.\n\n"
            "Un autre paragraphe.\n")
    assert parse_story(text, source="a").body == (
        "Une phrase longue qui continue sur la ligne suivante.\n\nUn autre paragraphe."
    )


def test_corpus_debris_patterns_are_removed():
    text = "Titre\n\nPARIS, 2 mai (Reuters) - Le texte.\nCet article vous a-t-il été utile ?\n"
    cfg = CorpusConfig(debris=(r"Cet article vous a-t-il été utile\s*\?",))
    assert parse_story(text, source="a", config=cfg).body == "Le texte."
    assert "utile" in parse_story(text, source="a").body


def test_metadata_overrides_and_extra_keys_go_to_meta():
    s = parse_story("PARIS, 2 mai (Reuters) - Le texte.", source="a",
                    metadata={"id": "r-1", "headline": "Un titre", "agency": "Agence France-Presse",
                              "date": "2014-05-02", "url": "http://x", "language": "fr"})
    assert (s.id, s.headline, s.agency) == ("r-1", "Un titre", "AFP")
    assert (s.date, s.date_source) == ("2014-05-02", "metadata")
    assert s.meta == {"url": "http://x"} and s.language == "fr"   # a field of its own
    assert s.body == "Le texte."


def test_conflicting_metadata_date_is_a_warning():
    s = parse_story("Titre\n\nPARIS, 3 mai (Reuters) - Le texte.", source="a", metadata={"date": "2014-05-02"})
    assert s.date == "2014-05-02"
    assert any(w.startswith("date:") for w in s.warnings)


def test_weekday_conflict_is_a_warning_but_the_day_before_is_not():
    base = "Titre\n\nPARIS, 20 novembre (Reuters) - Le ministre a annoncé {} une réforme."
    assert parse_story(base.format("jeudi"), source="2015/11/20/a.txt").warnings == ()
    warned = parse_story(base.format("lundi"), source="2015/11/20/a.txt").warnings
    assert any(w.startswith("weekday:") for w in warned)


def test_year_from_path_is_the_nearest_to_the_path_date():
    s = parse_story("Titre\n\nPARIS, 31 décembre (Reuters) - Le texte.", source="2016/01/01/a.txt")
    assert (s.date, s.date_source) == ("2015-12-31", "path")
    s = parse_story("Titre\n\nPARIS, 14 mars (Reuters) - Le texte.", source="afp/2015/03/a.txt")
    assert (s.date, s.date_source) == ("2015-03-14", "path")


def test_single_corpus_year():
    s = parse_story("Titre\n\nPARIS, 14 mars (Reuters) - Le texte.", source="a", config=CorpusConfig(years=(2013, 2013)))
    assert (s.date, s.date_source) == ("2013-03-14", "corpus")


def test_id_is_stable_and_depends_on_path_and_position():
    a = parse_story("Titre\n\nTexte.", source="/abs/corpus/x.jsonl", relpath="x.jsonl", position=3)
    b = parse_story("Autre\n\nTexte.", source="corpus/x.jsonl", relpath="x.jsonl", position=3)
    c = parse_story("Titre\n\nTexte.", source="corpus/x.jsonl", relpath="x.jsonl", position=4)
    assert a.id == b.id != c.id
    assert b.source == "corpus/x.jsonl:3"
