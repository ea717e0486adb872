"""Europresse HTML exports: both layouts, the fields a user relies on, damaged files."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer.formats import Source, read_corpus
from indexer.formats.base import Piece
from indexer.formats.europresse import read_europresse
from indexer.formats.problems import FileProblem, Skip
from indexer.formats.registry import choose_format
from indexer.index.groups import group_bucket

SAMPLES = Path(__file__).resolve().parents[1] / "corpus" / "europresse"
CLASSIC = SAMPLES / "europresse-classique-2013.html"
CURRENT = SAMPLES / "europresse-2023.html"
#: What must never reach a story's text: Europresse's furniture.
BOILERPLATE = ("certificat", "Numéro de document", "news·", "©", "Tous droits réservés", "Date d'émission",
               "Le présent document", "Imprimer", "Haut de page", "Cet article est paru", "Europresse", "<", "&amp;")


def _read(*paths: Path):
    results = list(read_corpus([str(p) for p in paths]))
    return [s for r in results for s in r.stories], [p for r in results for p in r.problems]


def _article(n: int, publication: str = "Le Télégramme", header: str = "Morlaix, lundi 13 mars 2023 210 mots, p. 9",
             title: str | None = None, body: str | None = None, number: str | None = "auto") -> str:
    title = title if title is not None else f"Titre de l'article {n}"
    body = body if body is not None else f"<p>Premier paragraphe de l'article {n}, qui parle du port.</p><p>Suite.</p>"
    number = f"news·20230313·TE·{n:06d}" if number == "auto" else number
    return ("<article><header>"
            f'<div class="rdp__DocPublicationName"><span class="DocPublicationName">{publication}</span></div>'
            f'<div class="rdp__DocHeader"><span class="DocHeader">{header}</span></div>'
            f'<div class="titreArticle"><p class="titreArticleVisu rdp__articletitle">{title}</p></div>'
            f'</header><section><div class="DocText clearfix"><div class="docOcurrContainer">{body}</div></div>'
            '</section><footer><div class="Doc-LegalInfo"><small>© 2023 Le Télégramme. Tous droits réservés.</small>'
            f'</div>{f"<div class=publiC-lblNodoc>{number}</div>" if number else ""}</footer></article>\n')


def _export(*articles: str) -> str:
    return ('<!DOCTYPE html><html><head><meta charset="utf-8"><title>Europresse.com</title></head><body>\n'
            + "".join(articles) + "<p>Certificat émis le 16 mars 2023 à Université X (3 documents)</p></body></html>\n")


def _write(tmp_path: Path, text: str, name: str = "export.html", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def _messages(problems, position=None) -> list[str]:
    return [p.message for p in problems if position is None or p.position == position]


# ------------------------------------------------------------- detection

def test_an_export_is_known_by_its_markers_not_its_name(tmp_path):
    for name in ("export.HTML", "export.txt", "sans-extension"):
        path = _write(tmp_path, _export(_article(1)), name)
        with Source(str(path)) as source:
            assert choose_format(str(path), source).name == "europresse"
    page = _write(tmp_path, "<!DOCTYPE html><html><body><h1>Une page</h1><p>DocHeader et titreArticle</p>"
                            "</body></html>", "page.html")
    with Source(str(page)) as source:
        assert choose_format(str(page), source).name == "html"
    with Source(str(CLASSIC)) as source:
        assert choose_format(str(CLASSIC), source).name == "europresse"


# -------------------------------------------------------- bundled samples

@pytest.mark.parametrize("path", [CLASSIC, CURRENT], ids=["classic", "current"])
def test_each_article_is_a_story_with_no_boilerplate(path):
    stories, problems = _read(path)
    assert problems == [] and len(stories) == 4
    for n, s in enumerate(stories, 1):
        assert s.source == f"{path}:{n}"
        assert s.id.startswith("news·") and s.id.count("·") == 3
        assert s.headline and s.body and s.publication and s.date and s.section
        for text in (s.headline, s.body, *s.authors, s.publication, s.section):
            for word in BOILERPLATE:
                assert word.lower() not in text.lower(), (s.id, word, text[:200])
    assert len({s.id for s in stories}) == 4


def test_classic_layout_fields():
    progres, croix, afp, libe = _read(CLASSIC)[0]
    assert (progres.id, progres.publication, progres.meta["edition"], progres.section) == (
        "news·20131003·PR·0412", "Le Progrès", "Lyon", "Lyon et région")
    assert (progres.date, progres.date_source, progres.meta["date_text"]) == ("2013-10-03", "metadata",
                                                                               "jeudi 3 octobre 2013")
    assert progres.authors == ("Claire Baudoin",) and progres.agency is None and progres.meta["page"] == "p. 14"
    assert progres.body.startswith("Les riverains de l'avenue Mermoz")
    assert progres.body.endswith("avant la fin du mois.")
    assert (croix.publication, croix.meta["issue"], croix.section) == ("La Croix", "no. 39671", "Économie")
    assert croix.authors == ("Marc Vellard",)
    assert libe.authors == () and libe.date == "2013-10-04" and libe.meta["date_text"] == "vendredi 4 octobre 2013"
    # The AFP dispatch: its agency, and its wire semantics (dateline, signatures).
    assert (afp.agency, afp.publication, afp.section, afp.word_count) == ("AFP", "AFP Infos Françaises", "Social", "312")
    assert afp.places == ("Lyon",) and afp.date_source == "text" and afp.signatures == ("cb", "mpf", "jmt")
    assert afp.meta["time"] == "16:05 UTC +0200"
    assert afp.body.startswith("La direction régionale de la SNCF a annoncé jeudi")


def test_current_layout_fields_and_the_dispatch_versions():
    ouest, afp1, afp2, monde = _read(CURRENT)[0]
    assert (ouest.publication, ouest.section, ouest.date, ouest.word_count, ouest.authors) == (
        "Ouest-France", "Bretagne", "2023-03-14", "418", ("Anne Le Goff",))
    assert ouest.meta["subtitle"].startswith("Bornes à quai") and ouest.agency is None
    assert ouest.headline == "À Lorient, le port de pêche se convertit à l'électricité"
    assert monde.authors == ("Hélène Marquis", "Paul Serrand") and monde.publication == "Le Monde (site web)"
    assert monde.meta["url"].startswith("https://www.lemonde.fr/") and monde.meta["source_code"] == "LMW"
    assert monde.body.endswith("dans une grande partie du pays.")
    assert (afp1.agency, afp1.places, afp1.version, afp1.word_count) == ("AFP", ("Perpignan",), None, "287")
    assert (afp2.version, afp2.update_note) == ("actualisé", "Actualisé avec déclarations du préfet et d'un "
                                                              "syndicat agricole")
    assert afp2.signatures == ("sb", "lb", "ito", "mpm")
    groups = group_bucket([afp1, afp2])
    assert groups[afp1.id] == groups[afp2.id]       # one story, two versions


def test_the_wire_parser_reads_an_agency_dispatch_byline_and_credits(tmp_path):
    body = ("<p>Par Julien MOREAU</p><p>RENNES, 13 mars 2023 (AFP) - Le conseil régional a voté lundi un plan.</p>"
            "<p>Le texte a été adopté à une large majorité.</p><p>(Avec Marie Caradec à Brest)</p><p>jm/fb</p>")
    path = _write(tmp_path, _export(_article(1, publication="AFP Infos Françaises", body=body)))
    [s], problems = _read(path)
    assert problems == []
    assert s.agency == "AFP" and s.places == ("Rennes",) and "Julien Moreau" in s.authors
    assert "Marie Caradec" in s.authors and s.signatures == ("jm", "fb")
    assert s.body == "Le conseil régional a voté lundi un plan.\n\nLe texte a été adopté à une large majorité."


def test_a_newspaper_article_gets_its_publication_and_no_agency(tmp_path):
    [s], _ = _read(_write(tmp_path, _export(_article(1, publication="Sud Ouest, no. 23874"))))
    assert (s.publication, s.agency, s.meta["issue"]) == ("Sud Ouest", None, "no. 23874")


# ----------------------------------------------------- damaged and odd files

def test_a_truncated_file_keeps_the_articles_before_the_cut(tmp_path):
    data = CURRENT.read_text(encoding="utf-8")
    cut = data.index("Un syndicat agricole a dénoncé")
    stories, problems = _read(_write(tmp_path, data[:cut]))
    assert [s.source.rsplit(":", 1)[1] for s in stories] == ["1", "2", "3"]
    assert stories[0].body == _read(CURRENT)[0][0].body and stories[1].id == "news·20230314·AF·c9e0b117"
    [truncated] = [p for p in problems if "truncated" in p.message]
    assert (truncated.position, truncated.unit, truncated.path) == (3, "article", str(tmp_path / "export.html"))
    assert str(truncated).startswith(f"{tmp_path / 'export.html'}: article 3: europresse: the file ends inside")
    assert _messages(problems, 1) == [] and _messages(problems, 2) == []


def test_a_truncated_classic_export_too(tmp_path):
    data = CLASSIC.read_text(encoding="utf-8")
    stories, problems = _read(_write(tmp_path, data[:data.index("Les organisateurs, une association")]))
    assert len(stories) == 4 and stories[2].agency == "AFP"
    assert any("truncated" in m for m in _messages(problems, 4)) and not _messages(problems, 3)


def test_an_article_without_a_date_is_said_and_costs_no_other(tmp_path):
    path = _write(tmp_path, _export(_article(1), _article(2, header="Morlaix, 210 mots, p. 9"),
                                    _article(3, header="Faits divers", number="news·2023·TE·x"), _article(4)))
    stories, problems = _read(path)
    assert [s.date for s in stories] == ["2023-03-13", "2023-03-13", None, "2023-03-13"]
    assert stories[1].section == "Morlaix" and stories[2].section == "Faits divers"
    assert _messages(problems, 2) == ["europresse: no date in the header; 2023-03-13 is the document number's date"]
    assert "europresse: no date in the header nor in the document number" in _messages(problems, 3)
    assert _messages(problems, 1) == [] and _messages(problems, 4) == []


def test_an_article_with_no_body_and_one_without_a_number(tmp_path):
    path = _write(tmp_path, _export(_article(1, body=""), _article(2, number=None), _article(3)))
    stories, problems = _read(path)
    assert [s.headline for s in stories] == ["Titre de l'article 1", "Titre de l'article 2", "Titre de l'article 3"]
    assert stories[0].body == "" and _messages(problems, 1) == ["europresse: no text (only the title)"]
    assert stories[1].id != stories[2].id and not stories[1].id.startswith("news")
    assert _messages(problems, 2) == [
        "europresse: no document number: the id is made from the file and the article's position"]
    assert stories[2].id == "news·20230313·TE·000003" and _messages(problems, 3) == []


def test_a_layout_that_changed_is_said_and_read_as_plain_paragraphs(tmp_path):
    changed = ("<article><div class='nouveauBloc'><h2>Un titre autrement balisé</h2><p>Un paragraphe du texte.</p>"
               "</div></article>\n")
    stories, problems = _read(_write(tmp_path, _export(_article(1), changed, _article(3))))
    assert len(stories) == 3 and stories[0].headline == "Titre de l'article 1"
    odd = _messages(problems, 2)
    assert any("the layout may have changed" in m for m in odd), odd
    assert "Un paragraphe du texte." in stories[1].body or stories[1].headline == "Un paragraphe du texte."
    assert _messages(problems, 3) == []


def test_tweets_and_links_are_not_articles_and_cost_nothing_else(tmp_path):
    tweet = '<article><div class="twitter"><p>Un message court.</p></div></article>\n'
    link = '<article><header><p class="link-not-hosted">Lien vers un article</p></header></article>\n'
    stories, problems = _read(_write(tmp_path, _export(_article(1), tweet, link, _article(4))))
    assert [s.source.rsplit(":", 1)[1] for s in stories] == ["1", "4"]
    assert _messages(problems, 2) == ["a tweet, not an article: skipped"]
    assert _messages(problems, 3) == ["a link to an article Europresse does not hold, not an article: skipped"]


def test_an_article_without_its_publication_block_uses_the_plain_header_lines(tmp_path):
    odd = ('<article><header><div class="sm-margin-bottom">Le Courrier de l\'Ouest</div>'
           '<div class="sm-margin-bottom">mercredi 15 mars 2023 320 mots</div>'
           '<div class="titreArticle"><p class="titreArticleVisu">Angers inaugure sa ligne B</p></div></header>'
           '<section><div class="DocText"><p>Le tramway roule depuis mercredi matin.</p></div></section>'
           '<div class="publiC-lblNodoc">news·20230315·CO·0042</div></article>')
    [s], problems = _read(_write(tmp_path, _export(odd)))
    assert problems == []
    assert (s.publication, s.date, s.word_count, s.headline) == ("Le Courrier de l'Ouest", "2023-03-15", "320",
                                                                 "Angers inaugure sa ligne B")


def test_a_header_weekday_that_disagrees_with_its_date_is_said(tmp_path):
    [s], problems = _read(_write(tmp_path, _export(_article(1, header="Brest, jeudi 13 mars 2023"))))
    assert s.date == "2023-03-13"
    assert _messages(problems, 1) == ["europresse: the header says jeudi but 2023-03-13 is a lundi"]


def test_an_export_in_cp1252_is_read_with_the_encoding_warning(tmp_path):
    path = _write(tmp_path, _export(_article(1, title="Élections à Quimper : l'été chaud")), encoding="cp1252")
    [s], problems = _read(path)
    assert s.headline == "Élections à Quimper : l'été chaud" and s.publication == "Le Télégramme"
    assert [p.kind for p in problems] == ["encoding"]


def test_a_file_with_the_markers_but_no_article_is_skipped_with_the_reason(tmp_path):
    path = _write(tmp_path, '<html><body><div class="DocHeader"></div></body></html>')
    stories, problems = _read(path)
    assert stories == [] and [(p.skipped, p.kind) for p in problems] == [(True, "europresse")]
    assert "no Europresse article found" in problems[0].message


def test_a_thousand_article_export_is_streamed(tmp_path):
    """The first article comes after reading ~1 MB of a 5 MB file; all 1,500 come, in order."""
    long_body = "".join(f"<p>Paragraphe {i} de l'article, qui raconte la vie du port et de ses marins.</p>"
                        for i in range(40))
    path = _write(tmp_path, _export(*(_article(n, body=long_body) for n in range(1, 1501))))
    assert path.stat().st_size > 4_000_000
    source = Source(str(path))
    items = read_europresse(source)
    first = next(items)
    assert isinstance(first, Piece) and first.position == 1
    assert source._file.tell() < 2_500_000
    rest = list(items)
    source.close()
    assert [i.position for i in rest if isinstance(i, Piece)] == list(range(2, 1501))


# -------------------------------------------------------------- hypothesis

_SAMPLE_BYTES = [CLASSIC.read_bytes(), CURRENT.read_bytes()]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(st.sampled_from(_SAMPLE_BYTES), st.lists(st.tuples(st.integers(0, 20_000), st.integers(0, 400),
                                                          st.sampled_from([b"", b"<", b">", b"</article>",
                                                                           b"<article>", b'<span class="DocHeader">',
                                                                           b"\xff\xfe", b"\x00", b"&#0;", b"&amp",
                                                                           b'<p class="titreArticleVisu">',
                                                                           b"Num\xc3\xa9ro de document : "])
                                                          | st.binary(max_size=12)), max_size=6))
def test_reading_never_raises_on_damaged_exports(tmp_path, data, edits):
    for at, cut, insert in edits:
        at %= max(1, len(data))
        data = data[:at] + insert + data[at + cut:]
    path = tmp_path / "damaged.html"
    path.write_bytes(data)
    try:
        source = Source(str(path))
    except Skip:
        return
    with source:
        for item in read_europresse(source):
            assert isinstance(item, (Piece, FileProblem))
    stories, problems = _read(path)       # the whole reading, parser included
    for s in stories:
        assert s.headline or s.body


def test_a_current_export_whose_head_hides_its_articles_is_read_whole(tmp_path):
    """Past 64 KB of style sheet the reader cannot know the layout from the
    head: the publication span inside an article must not cut it."""
    style = "<style>" + ".x { color: red; }\n" * 4000 + "</style>"
    text = _export(_article(1), _article(2)).replace("<head>", "<head>" + style)
    stories, problems = _read(_write(tmp_path, text))
    assert problems == []
    assert [(s.publication, s.headline, s.id) for s in stories] == [
        ("Le Télégramme", "Titre de l'article 1", "news·20230313·TE·000001"),
        ("Le Télégramme", "Titre de l'article 2", "news·20230313·TE·000002")]


_PEAK_CHILD = """
import sys
from indexer.formats import Source
from indexer.formats.europresse import read_europresse
with Source(sys.argv[1]) as source:
    count = sum(1 for _ in read_europresse(source))
peak = next(line for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(count, peak.split()[1])
"""


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc (Linux)")
def test_memory_does_not_grow_with_the_export(tmp_path):
    """libxml2's push parser keeps all it is fed: each article gets a parser
    of its own, so a 16 MB export peaks where a 1 MB one does (measured in a
    child process: the parser's memory is C memory; VmHWM, as ru_maxrss
    would count the forking test process)."""
    import os
    import subprocess
    import sys
    body = "".join(f"<p>Paragraphe {i} qui raconte la vie du port et de ses marins.</p>" for i in range(20))
    peaks = []
    for n in (500, 8000):
        path = _write(tmp_path, _export(*(_article(k, body=body) for k in range(1, n + 1))), f"e{n}.html")
        env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
        out = subprocess.run([sys.executable, "-c", _PEAK_CHILD, str(path)], capture_output=True, text=True,
                             env=env, check=True).stdout.split()
        assert int(out[0]) >= n
        peaks.append(int(out[1]) / 1024)
    assert path.stat().st_size > 15_000_000
    assert peaks[1] - peaks[0] < 6, peaks      # MB


@pytest.mark.parametrize("line", [
    "Ce certificat est émis à Université X à des fins de visualisation personnelle et temporaire.",
    "Certificat émis le 16 mars 2023 à Université Rennes 2 (4 documents)", "Date d'émission : 2013-10-05",
    "Document imprimé le 5 octobre 2013", "Le présent document est protégé par les lois et conventions.",
    "Ce document est réservé à l'usage exclusif de l'utilisateur.", "© 2013 Le Progrès", "(c) 2013 X", "Copyright X",
    "Retour à la liste", "Imprimer", "Partager", "Télécharger en PDF", "Ajouter au dossier", "Document suivant",
    "Haut de page", "Europresse.com", "Publi-C", "Le Progrès 2013. Tous droits réservés."])
def test_every_furniture_line_is_dropped_from_the_text(tmp_path, line):
    """The quick test on a paragraph's first words must let every pattern's line through to the patterns."""
    body = f"<p>Le texte de l'article.</p><p>{line}</p><p>La fin du texte.</p>"
    [s], _ = _read(_write(tmp_path, _export(_article(1, body=body))))
    assert s.body == "Le texte de l'article.\n\nLa fin du texte."


_MARKER_NAMES = ["DocPublicationName", "rdp__DocPublicationName", "TitreArticleVisu", "DocHeader", "docOcurrContainer",
                 "publiC-lblNodoc", "PubliC_lblNodoc", "Numéro de document : news·20160101·"]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(_MARKER_NAMES), st.lists(st.sampled_from(["upper", "lower", "ı", "İ", "ſ", "keep"]), max_size=40),
       st.sampled_from(['<span class="', "<div class=", "<p>", ""]))
def test_the_sniff_prefilter_lets_every_marker_through(name, changes, before):
    """Where the markers' pattern matches (case-blind, odd letters too), the quick word test says yes."""
    from indexer.formats import europresse

    chars = list(name)
    for i, change in enumerate(changes[:len(chars)]):
        c = chars[i]
        if change == "upper":
            chars[i] = c.upper()
        elif change == "lower":
            chars[i] = c.lower()
        elif change in ("ı", "İ") and c.lower() == "i" or change == "ſ" and c.lower() == "s":
            chars[i] = change
    head = before + "".join(chars) + '">'
    if europresse._MARKERS.search(head):
        assert europresse._has_marker_word(head)
