"""Corpora for IRaMuTeQ and TXM, read back by their documented grammar."""

from __future__ import annotations

import io
import json
import re

from lxml import etree

from cli_run import run

from search.output import write_iramuteq, write_txm

# IRaMuTeQ: a text starts with a line of four stars, then starred
# variable_modality words (no space, no star inside a modality).
IRAMUTEQ_HEADER = re.compile(r"^\*\*\*\*( \*[A-Za-z0-9]+_[A-Za-z0-9_-]+)*$")


def read_iramuteq(text: str) -> list[tuple[dict[str, str], str]]:
    """(variables, text) of each text of an IRaMuTeQ corpus."""
    texts: list[tuple[dict[str, str], list[str]]] = []
    for line in text.split("\n"):
        if line.startswith("****"):
            assert IRAMUTEQ_HEADER.match(line), line
            variables = dict(word[1:].split("_", 1) for word in line.split()[1:])
            texts.append((variables, []))
        else:
            assert texts, "text before the first **** line"
            assert "*" not in line, line          # a star would start a variable
            texts[-1][1].append(line)
    return [(v, "\n".join(lines).strip()) for v, lines in texts]


def test_search_as_iramuteq_gives_every_story_of_the_result_with_its_variables(ix):
    code, out, err = run("search", "tempête", "--index", ix, "--format", "iramuteq")
    assert code == 0, err
    _, js, _ = run("search", "tempête", "--index", ix, "--format", "json", "--limit", "100")
    hits = json.loads(js)["hits"]
    texts = read_iramuteq(out)
    assert len(texts) == len(hits) > 0
    for (variables, text), hit in zip(texts, hits):
        assert variables["agency"] == hit["agency"]
        assert variables["date"] == hit["date"] and variables["year"] == hit["date"][:4]
        assert variables["month"] == hit["date"][:7]
        assert text.startswith(hit["headline"]) and hit["body"].split("\n")[0][:40] in text


def test_the_whole_index_exports_to_iramuteq_past_the_first_page(ix):
    code, out, _ = run("export", "--index", ix, "--format", "iramuteq")
    assert code == 0 and len(read_iramuteq(out)) == 102
    code, out, _ = run("search", "", "--index", ix, "--format", "iramuteq")
    assert code == 0 and len(read_iramuteq(out)) == 90       # one per story group, every page


def test_iramuteq_modalities_and_text_never_break_the_grammar():
    record = {"agency": "AFP Infos Françaises", "publication": "Le *Monde* 2", "date": "2016-06-03",
              "section": "Fait-divers / Société", "headline": "Titre **** étoilé",
              "body": "**** une ligne piège\n\n*note* et ␛"}
    out = io.StringIO()
    write_iramuteq([record, {"body": "sans rien"}], out)
    [(variables, text), (empty, plain)] = read_iramuteq(out.getvalue())
    assert variables == {"agency": "AFP_Infos_Francaises", "publication": "Le_Monde_2", "date": "2016-06-03",
                         "year": "2016", "month": "2016-06", "section": "Fait-divers_Societe"}
    assert "une ligne piège" in text and empty == {} and plain == "sans rien"


def test_txm_is_well_formed_xml_with_the_metadata_as_attributes(ix):
    code, out, err = run("export", "--index", ix, "--format", "txm")
    assert code == 0, err
    root = etree.fromstring(out.encode("utf-8"))
    texts = root.findall("text")
    assert root.tag == "corpus" and len(texts) == 102
    _, js, _ = run("export", "--index", ix, "--format", "jsonl")
    records = [json.loads(line) for line in js.splitlines()]
    for text, record in zip(texts, records):
        assert text.get("id") == record["id"] and text.get("agency") == record["agency"]
        assert text.get("date") == record["date"] and text.get("year") == record["date"][:4]
        assert text.findtext("head") == record["headline"]
        assert [p.text for p in text.findall("p")] == [" ".join(p.split()) for p in record["body"].split("\n\n")
                                                        if p.strip()]


def test_txm_escapes_markup_and_control_characters_in_stories():
    out = io.StringIO()
    write_txm([{"id": 'a"<1>', "agency": "A&B", "headline": "<script>\x1b]0;x\x07", "body": "x < y & z\x00"}], out)
    root = etree.fromstring(out.getvalue().encode("utf-8"))
    text = root.find("text")
    assert text.get("id") == 'a"<1>' and text.get("agency") == "A&B"
    assert text.findtext("head") == "<script>␛]0;x␇" and text.findtext("p") == "x < y & z␀"


def test_facets_offer_no_corpus_format(ix):
    code, _, err = run("facets", "--field", "agency", "--index", ix, "--format", "txm")
    assert code == 2 and "invalid choice" in err and "Traceback" not in err
