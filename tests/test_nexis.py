"""Nexis HTML exports (classic LexisNexis and Nexis Uni): samples field by field, damage, never raising."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer.formats import nexis, read_corpus
from indexer.formats.nexis import document_fields
from indexer.formats.registry import choose_format
from indexer.formats.problems import Skip
from indexer.formats.source import Source

SAMPLES = Path(__file__).resolve().parents[1] / "corpus" / "nexis"
CLASSIC = SAMPLES / "nexis-greve-sncf-2014.html"
UNI = SAMPLES / "nexis-uni-canicule-2015.html"

HEAD = "<HTML><HEAD><TITLE>&nbsp;</TITLE></HEAD><BODY>\n<DIV CLASS=\"c5\"><P>Demande de téléchargement</P></DIV>\n"
TAIL = "</BODY>\n</HTML>\n"


def document(n: int, total: int = 3, *, date: str | None = "5 mars 2014 mercredi",
             pub: str = "Agence France Presse -- French", body: str | None = None, extra: str = "") -> str:
    """One document of the classic layout."""
    def line(text: str, cls: str = "c5") -> str:
        return f'<BR><DIV CLASS="{cls}"><P CLASS="c6"><SPAN CLASS="c2">{text}</SPAN></P></DIV>\n'

    text = body or f"PARIS, 5 mars 2014 (AFP) - Le texte du document {n} sur la réforme."
    parts = [f'<A NAME="DOC_ID_{n}_0"></A><!-- Hide XML section from browser\n<DOC NUMBER=1>\n<DOCFULL> -->\n',
             line(f"{n} sur {total} DOCUMENTS", "c0"), line(pub, "c0")]
    if date is not None:
        parts.append(line(date, "c3"))
    parts += [line(f"Titre du document {n}"), line("<b>LONGUEUR: </b>120 mots"),
              f'<BR><DIV CLASS="c5"><P CLASS="c9">{text}</P><P CLASS="c9">Un second paragraphe.</P></DIV>\n',
              extra, line("<b>LANGUE: </b>FRENCH; FRANÇAIS"),
              line("<b>SUJET: </b>REFORMES (90%); POLITIQUE (71%)"),
              line("Copyright 2014 Agence France Presse<BR>Tous droits réservés", "c0"),
              "<!-- Hide XML section from browser\n</DOCFULL>\n</DOC> -->\n"]
    return "".join(parts)


def export(*documents: str) -> str:
    return HEAD + "".join(documents) + TAIL


def format_of(path) -> str | None:
    """The format a file is read as (None: skipped from its head)."""
    try:
        with Source(str(path)) as source:
            return choose_format(str(path), source).name
    except Skip:
        return None


def read(path: Path):
    results = list(read_corpus([str(path)]))
    return [s for r in results for s in r.stories], [p for r in results for p in r.problems]


def write(tmp_path: Path, text: str, name: str = "nexis.html") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_exports_are_known_by_their_content(tmp_path):
    for sample in (CLASSIC, UNI):
        path = write(tmp_path, sample.read_text(encoding="utf-8"), "telechargement.txt")
        with Source(str(path)) as source:
            assert choose_format(str(path), source).name == "nexis"


def test_classic_sample_field_by_field():
    stories, problems = read(CLASSIC)
    assert problems == []
    afp, libe, urgent, parisien = stories
    assert [s.source.rsplit(":", 1)[1] for s in stories] == ["1", "2", "3", "4"]
    # Agency dispatches: the agency, the dateline's place, the signatures, the version.
    assert afp.agency == "AFP" and afp.publication == "Agence France Presse -- French"
    assert afp.places == ("Paris",) and afp.date == "2014-06-11" and afp.signatures == ("mpf", "ger", "cac")
    assert urgent.version == "urgent" and urgent.headline == "SNCF: la grève reconduite jusqu'à jeudi"
    # Newspaper articles: their publication, no agency.
    assert libe.agency is None and libe.publication == "Libération" and libe.authors == ("Thomas Durand",)
    assert libe.section == "FRANCE" and libe.meta["page"] == "Pg. 12" and libe.word_count == "402"
    assert libe.places == ("France",) and libe.date == "2014-06-12"
    assert "Note : les chiffres de participation" in libe.body  # a paragraph, not a label
    assert parisien.authors == ("Sophie Martin", "Karim Benali") and parisien.meta["edition"] == "Edition Paris"
    assert parisien.places == ("Ile-de-France", "France")
    for s in stories:
        assert s.language == "fr" and s.subjects and not any("%" in x for x in s.subjects)
        assert s.meta["copyright"].startswith("Copyright 2014") and s.meta["load_date"].startswith("2014-06-1")
        for text in (s.headline, s.body):
            for boiler in ("<", "DOCUMENTS", "Copyright", "droits réservés", "LONGUEUR", "LANGUE", "SUJET",
                           "DATE-CHARGEMENT", "Demande de téléchargement"):
                assert boiler not in text, (s.source, boiler)
    assert afp.subjects == ("GREVES", "TRANSPORT FERROVIAIRE", "SYNDICATS")


def test_nexis_uni_sample_field_by_field():
    stories, problems = read(UNI)
    assert problems == []
    afp, figaro = stories
    assert afp.headline == "Canicule: la vigilance orange étendue à 47 départements"
    assert afp.agency == "AFP" and afp.places == ("Paris",) and afp.date == "2015-07-03"
    assert afp.section == "FRANCE" and afp.word_count == "176" and afp.signatures == ("chv", "ial", "sd")
    assert "Section : aucune restriction" in afp.body  # the body's own words, not a label
    assert figaro.agency is None and figaro.publication == "Le Figaro" and figaro.authors == ("Hélène Roux",)
    assert figaro.date == "2015-07-04" and figaro.subjects == ("HEAT WAVES", "CITIES")
    assert figaro.places == ("Paris", "France") and figaro.meta["publication_type"] == "Newspaper"
    for s in stories:
        for boiler in ("User Name", "Job Number", "End of Document", "Classification", "Copyright", "Body"):
            assert boiler not in s.body and boiler not in s.headline


def test_english_labels_and_dates():
    text, meta, warnings = document_fields([
        "2 of 10 DOCUMENTS", "The Guardian (London)", "January 11, 2010 Monday", "Edition 1;", "Scotland",
        "A headline", "BYLINE: Andrew Sparrow", "SECTION: FEATURES; Pg. 6", "LENGTH: 355 words",
        "Some text.", "LOAD-DATE: January 11, 2010", "LANGUAGE: ENGLISH", "GRAPHIC: a picture",
        "JOURNAL-CODE: SUN", "STRANGE-LABEL: kept aside", "Copyright 2010 Guardian Unlimited"])
    assert text == "A headline\n\nSome text.\n" and warnings == []
    assert meta["date"] == "2010-01-11" and meta["edition"] == "Edition 1; Scotland" and meta["language"] == "en"
    assert meta["authors"] == ["Andrew Sparrow"] and meta["section"] == "FEATURES" and meta["word_count"] == 355
    assert meta["graphic"] == "a picture" and meta["nexis"] == {"STRANGE-LABEL": "kept aside"}


def test_a_nexis_uni_headline_that_reads_like_a_label_stays_the_headline():
    """Nexis Uni opens a document with its headline (LexisNexisTools reads the
    first line so): ``Edition: ...`` or ``Subject: ...`` there is no label."""
    for headline in ("Edition: les best-sellers déboulent après le confinement", "Subject: la rentrée en trois mots"):
        for cover in ([], ["User Name: bu", "Job Number: 1", "Nexis Uni"]):
            text, meta, warnings = document_fields(cover + [
                headline, "Agence France Presse -- French", "May 16, 2020 Saturday",
                "Copyright 2020 Agence France Presse All Rights Reserved", "Section: CULTURE", "Length: 412 words",
                "Body", "PARIS, 16 mai 2020 (AFP) - Le texte.", "Classification", "Language: FRENCH; FRANÇAIS",
                "Subject: BOOKS (90%)", "End of Document"])
            assert text == f"{headline}\n\nPARIS, 16 mai 2020 (AFP) - Le texte.\n" and warnings == []
            assert meta["publication"] == "Agence France Presse -- French" and meta["date"] == "2020-05-16"
            assert meta["subjects"] == ["BOOKS"] and "edition" not in meta and meta["section"] == "CULTURE"


def test_a_truncated_export_keeps_the_documents_before_the_cut(tmp_path):
    text = export(document(1), document(2), document(3))
    cut = text.index("Le texte du document 3") + 30
    stories, problems = read(write(tmp_path, text[:cut]))
    assert [s.headline for s in stories] == ["Titre du document 1", "Titre du document 2", "Titre du document 3"]
    messages = [str(p) for p in problems]
    assert any("document 3: " in m and "truncated" in m for m in messages), messages
    assert not any("document 1:" in m or "document 2:" in m for m in messages), messages


def test_a_document_without_a_date_is_named_and_costs_no_other(tmp_path):
    text = export(document(1), document(2, date=None, body="Un texte sans dateline."), document(3))
    stories, problems = read(write(tmp_path, text))
    assert [s.date for s in stories] == ["2014-03-05", None, "2014-03-05"]
    assert [str(p) for p in problems if "date" in str(p)] == [
        f"{tmp_path / 'nexis.html'}: document 2: nexis: no date line"]


def test_a_changed_layout_is_said_for_that_document(tmp_path):
    empty = ('<!-- Hide XML section from browser\n<DOC NUMBER=1>\n<DOCFULL> -->\n'
             '<BR><DIV CLASS="c0"><P>2 sur 3 DOCUMENTS</P></DIV>\n')
    stories, problems = read(write(tmp_path, export(document(1), empty, document(3))))
    assert [s.source.rsplit(":", 1)[1] for s in stories] == ["1", "3"]
    assert any(p.position == 2 and "layout may have changed" in p.message for p in problems)


def test_an_export_without_documents_is_skipped_with_the_reason(tmp_path):
    stories, problems = read(write(tmp_path, "<html><body><!-- <DOC NUMBER=1> --><p>rien</p></body></html>"))
    assert stories == [] and problems[0].skipped and "without any document" in problems[0].message


_SAMPLE_BYTES = [CLASSIC.read_bytes(), UNI.read_bytes(), export(document(1), document(2)).encode()]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(_SAMPLE_BYTES), st.lists(st.tuples(st.integers(0, 20_000), st.integers(0, 400),
                                                          st.binary(max_size=16)), max_size=6))
def test_reading_a_damaged_export_never_raises(data, edits):
    for at, cut, insert in edits:
        at %= max(1, len(data))
        data = data[:at] + insert + data[at + cut:]
    fd, name = tempfile.mkstemp(suffix=".html")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        chosen = format_of(name)
        for result in read_corpus([name]):
            for story in result.stories:
                assert story.headline or story.body
                if chosen == "nexis":  # still an export: no markup reaches the text
                    assert "<DIV" not in story.body and "<SPAN" not in story.body
            for problem in result.problems:
                assert problem.render()
    finally:
        os.unlink(name)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=60), max_size=30))
def test_document_fields_never_raises_on_any_lines(lines):
    found = document_fields(lines)
    if found is not None:
        text, meta, warnings = found
        assert isinstance(text, str) and isinstance(meta, dict) and all(isinstance(w, str) for w in warnings)


@pytest.mark.parametrize("tag", ["<", "<!--", "</DIV></DIV></BODY>", "&#0;", "\x00", "<DOC NUMBER=1>"])
def test_odd_markup_in_a_document_costs_only_that_document(tmp_path, tag):
    broken = document(2).replace("Titre du document 2", tag + "Titre du document 2", 1)
    stories, _ = read(write(tmp_path, export(document(1), broken, document(3))))
    assert {"Titre du document 1", "Titre du document 3"} <= {s.headline for s in stories}


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([b"1", b"23", b" ", b"\t", b"of", b"sur", b"de", b"von", b"DOCUMENTS", b"DOCUMENT",
                                 b"Document", b"Dokument", b"DOKUMENTEN", b"x", b"\n", b"s"]), max_size=30),
       st.integers(0, 200))
def test_the_counter_separator_finds_what_its_pattern_finds(parts, pos):
    """The classic separator, found from its word, matches where the regex itself would."""
    buf = b"".join(parts)
    pos = min(pos, len(buf))
    found, expected = nexis._CLASSIC.search(buf, pos), nexis._COUNTER_BYTES.search(buf, pos)
    assert (found and found.span()) == (expected and expected.span())


def test_each_document_is_cut_once_at_its_whole_counter(tmp_path):
    """``12 sur 12 DOCUMENTS`` holds ``2 sur 12 DOCUMENTS``: the file is still
    cut once a document, each piece opening with its whole counter."""
    path = write(tmp_path, export(*(document(n, 123) for n in range(1, 124))))
    with Source(str(path)) as source:
        pieces = [text for text, _ in source.segments(nexis._CLASSIC, keep=True)]
    assert len(pieces) == 124  # the cover page, then the documents
    assert [p.split(" DOCUMENTS", 1)[0] for p in pieces[1:]] == [f"{n} sur 123" for n in range(1, 124)]
    stories, problems = read(path)
    assert [s.headline for s in stories] == [f"Titre du document {n}" for n in range(1, 124)] and not problems
