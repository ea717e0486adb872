"""Factiva HTML exports: the bundled samples field by field, damaged exports, never raising."""

from __future__ import annotations

import os
import tempfile
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer.formats import read_corpus
from indexer.formats.factiva import read_factiva
from indexer.formats.registry import choose_format
from indexer.formats.problems import Skip
from indexer.formats.source import Source

SAMPLES = Path(__file__).resolve().parents[1] / "corpus" / "factiva"
CODES = SAMPLES / "factiva-municipales-2014.html"
DISPLAY = SAMPLES / "factiva-affichage-cop21.html"

HEAD = ('<!DOCTYPE html><html><head><meta charset="UTF-8"/><title>Factiva</title></head><body>'
        '<div id="contentWrapper"><div id="contentLeft">')
TAIL = '<div id="pageFooter"><span class="copyright">&copy; Factiva, Inc.</span></div></div></div></body></html>\n'


def article(n: int, *, pd: str | None = "12 mars 2015", sn: str = "Agence France-Presse",
            body: str | None = None, extra: str = "") -> str:
    """One article of the field-code layout."""
    rows = [("HD", f"<b class='frHeadline'>Titre numéro {n}</b>"), ("WC", "120 mots")]
    if pd is not None:
        rows.append(("PD", pd))
    rows += [("SN", sn), ("LA", "Français"), ("CY", "Copyright 2015 Agence France-Presse.")]
    text = body or f"PARIS, 12 mars 2015 (AFP) - Le texte de l'article {n}, qui parle de la réforme."
    rows += [("LP", f'<p class="articleParagraph frarticleParagraph">{text}</p>'),
             ("TD", '<p class="articleParagraph frarticleParagraph">Un second paragraphe.</p>')]
    rows.append(("AN", f"Document AFPFR000201503{n:010d}"))
    cells = "".join(f'<tr><td align="right" valign="top" class="index"><b>{c}</b>&nbsp;</td><td>{v}</td></tr>'
                    for c, v in rows)
    return f'<div class="article frArticle"><table>{cells}{extra}</table><br/></div><br/><span></span>'


def export(*articles: str) -> str:
    return HEAD + "".join(articles) + TAIL


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


def write(tmp_path: Path, text: str, name: str = "export.html", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding, errors="replace"))
    return path


# ------------------------------------------------------------------ sniffing
def test_an_export_is_known_by_its_content_not_its_name(tmp_path):
    for name in ("export.html", "export.txt", "sans-extension"):
        path = write(tmp_path, export(article(1)), name)
        with Source(str(path)) as source:
            assert choose_format(str(path), source).name == "factiva"
    page = write(tmp_path, "<!DOCTYPE html><html><title>Le Monde</title><body><h1>T</h1><p>x</p></body></html>",
                 "page.html")
    with Source(str(page)) as source:
        assert choose_format(str(page), source).name == "html"


def test_an_article_beyond_a_long_stylesheet_is_found(tmp_path):
    """Factiva pages open with ~100 KB of CSS: the title is enough to know them."""
    text = export(article(1)).replace("</title>", "</title><style>" + "x{color:red}" * 10_000 + "</style>")
    stories, problems = read(write(tmp_path, text))
    assert [s.headline for s in stories] == ["Titre numéro 1"] and problems == []


# --------------------------------------------------- the bundled samples
def test_field_codes_sample_field_by_field():
    stories, problems = read(CODES)
    assert problems == []
    afp, ouest, afp2, monde, reuters = stories
    assert [s.source.rsplit(":", 1)[1] for s in stories] == ["1", "2", "3", "4", "5"]
    # An agency dispatch gets its agency and keeps its wire semantics.
    assert afp.id == "AFPFR00020140323ea3n000b1" and afp.agency == "AFP"
    assert afp.publication == "Agence France-Presse" and afp.places == ("Paris",)
    assert afp.date == "2014-03-23" and afp.signatures == ("abc", "fb", "jmt", "sd")
    assert afp.body.startswith("La participation au premier tour") and "abc-fb" not in afp.body
    assert afp2.version == "actualisé" and afp2.update_note == "Actualisé avec participation à 17H00"
    assert afp2.places == ("Paris",)  # the dateline after the update note, not the regions
    assert reuters.agency == "Reuters" and reuters.authors == ("Jean-François Rosnoblet",)
    assert reuters.editors == ("Yves Clarisse",) and reuters.slug == "FRANCE-MUNICIPALES/MARSEILLE"
    # A newspaper article gets its publication and no agency.
    assert ouest.agency is None and ouest.publication == "Ouest France" and ouest.section == "Rennes"
    assert ouest.authors == ("Anne Le Goff",) and ouest.date == "2014-03-24" and ouest.date_source == "metadata"
    assert ouest.places == ("Bretagne", "France") and ouest.keywords == ("Municipales", "Rennes", "Jeunes")
    assert ouest.meta["edition"] == "Ille-et-Vilaine"
    assert monde.agency is None and monde.publication == "Le Monde" and monde.authors == ("Jean-Marc Perrin",)
    for s in stories:
        assert s.language == "fr" and s.word_count and s.word_count.isdigit()
        assert s.subjects[0] == "Élections" and not any(" : " in x for x in s.subjects)
        assert s.meta["subject_codes"][0] == "gvote"
        assert s.meta["copyright"].startswith(("Copyright", "(c)"))
        for text in (s.headline, s.body):
            for boiler in ("<", "&nbsp;", "Copyright", "Document ", "Factiva", "Tous droits", "AFPFR", " HD "):
                assert boiler not in text, (s.id, boiler)


def test_display_layout_sample_english_interface():
    stories, problems = read(DISPLAY)
    assert problems == []
    afp, croix = stories
    assert afp.headline.startswith("COP21: 150 chefs")  # the results list's "1) " is not the headline
    assert afp.id == "AFPFR00020151130ebbu00045" and afp.agency == "AFP"
    assert afp.publication == "Agence France Presse" and afp.places == ("Le Bourget",)
    assert afp.date == "2015-11-30" and afp.section == "Environnement" and afp.meta["time"] == "09:12"
    assert afp.signatures == ("ppy", "cf", "ib") and afp.word_count == "341" and afp.language == "fr"
    assert croix.agency is None and croix.publication == "La Croix" and croix.authors == ("Claire Moreau",)
    assert croix.date == "2015-12-01" and croix.meta["source_code"] == "LACRX"
    assert "Bayard Presse" not in croix.body and "militants devant" not in croix.body  # publisher and caption
    assert "Document" not in croix.body and "Copyright" not in croix.body


# ------------------------------------------------------------ damaged files
def test_a_truncated_export_keeps_the_articles_before_the_cut(tmp_path):
    text = export(article(1), article(2), article(3))
    cut = text.index("Titre numéro 3") + 40
    stories, problems = read(write(tmp_path, text[:cut]))
    assert [s.headline for s in stories] == ["Titre numéro 1", "Titre numéro 2", "Titre numéro 3"]
    assert stories[0].id == "AFPFR0002015030000000001" and stories[1].date == "2015-03-12"
    messages = [str(p) for p in problems]
    assert any("article 3: " in m and "accession number" in m for m in messages), messages
    assert any("article 3: " in m and "truncated" in m for m in messages), messages
    assert not any("article 1:" in m or "article 2:" in m for m in messages)


def test_an_article_without_a_date_is_named_and_costs_no_other(tmp_path):
    text = export(article(1), article(2, pd=None, body="Le texte sans date ni dateline."), article(3))
    stories, problems = read(write(tmp_path, text))
    assert [s.date for s in stories] == ["2015-03-12", None, "2015-03-12"]
    assert [str(p) for p in problems if "no publication date" in str(p)] == [
        f"{tmp_path / 'export.html'}: article 2: factiva: no publication date (PD)"]


def test_a_date_that_is_not_one_is_said(tmp_path):
    stories, problems = read(write(tmp_path, export(article(1, pd="32 mars 2015", body="Un texte."))))
    assert stories[0].date is None and any("'32 mars 2015' (PD) is not a date" in str(p) for p in problems)


def test_english_dates_and_a_changed_layout(tmp_path):
    changed = '<div class="article frArticle"><section><h2>Nouveau format</h2></section></div>'
    text = export(article(1, pd="12 March 2015"), changed, article(3, pd="March 14, 2015", body="Un texte sans dateline."))
    stories, problems = read(write(tmp_path, text))
    assert [s.date for s in stories] == ["2015-03-12", "2015-03-14"]
    assert [s.source.rsplit(":", 1)[1] for s in stories] == ["1", "3"]
    [changed_problem] = [p for p in problems if p.position == 2]
    assert "layout may have changed" in changed_problem.message and changed_problem.unit == "article"


def test_a_factiva_page_without_articles_is_skipped_with_the_reason(tmp_path):
    stories, problems = read(write(tmp_path, HEAD + "<p>Aucun résultat</p>" + TAIL))
    assert stories == [] and problems[0].skipped and "without any article" in problems[0].message


def test_unknown_codes_are_kept_and_codes_out_of_body(tmp_path):
    extra = '<tr><td class="index"><b>CLM</b>&nbsp;</td><td>Chronique</td></tr>'
    [story], _ = read(write(tmp_path, export(article(1, extra=extra))))
    assert story.meta["factiva"] == {"CLM": "Chronique"} and "Chronique" not in story.body
    assert "Copyright" not in story.body and story.meta["copyright"] == "Copyright 2015 Agence France-Presse."


def test_a_cp1252_export_is_read_with_a_warning(tmp_path):
    stories, problems = read(write(tmp_path, export(article(1)), encoding="cp1252"))
    assert stories[0].headline == "Titre numéro 1" and any(p.kind == "encoding" for p in problems)


def _peak_reading(path: Path) -> tuple[int, int]:
    tracemalloc.start()
    try:
        with Source(str(path)) as source:
            count = sum(1 for item in read_factiva(source) if hasattr(item, "text"))
        return count, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_thousand_article_export_is_read_article_by_article(tmp_path):
    """Memory stays bounded by an article: four times the file, not more memory."""
    long_body = "PARIS, 12 mars 2015 (AFP) - " + "Une phrase de l'article, assez longue pour peser. " * 100
    small = write(tmp_path, export(*(article(i, body=long_body) for i in range(250))), "small.html")
    big = write(tmp_path, export(*(article(i, body=long_body) for i in range(1000))), "big.html")
    assert big.stat().st_size > 5_000_000
    (n_small, peak_small), (n_big, peak_big) = _peak_reading(small), _peak_reading(big)
    assert (n_small, n_big) == (250, 1000)
    assert peak_big < peak_small + 1024 * 1024, (peak_small, peak_big)


# --------------------------------------------------------- never raises
_SAMPLE_BYTES = [CODES.read_bytes(), DISPLAY.read_bytes(), export(article(1), article(2)).encode()]


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
                if chosen == "factiva":  # still an export: no markup reaches the text
                    assert "<td" not in story.body and "<div" not in story.body
            for problem in result.problems:
                assert problem.render()
    finally:
        os.unlink(name)


@pytest.mark.parametrize("tag", ["<", "<div class=\"article frArticle\">", "</table>", "<p>", "&#0;", "\x00"])
def test_odd_markup_in_an_article_costs_only_that_article(tmp_path, tag):
    broken = article(2).replace("<b class='frHeadline'>", tag, 1)
    stories, problems = read(write(tmp_path, export(article(1), broken, article(3))))
    assert {"Titre numéro 1", "Titre numéro 3"} <= {s.headline for s in stories}


@pytest.mark.parametrize("before", [1, 40, 63, 64, 65, 66, 70, 75])
def test_a_long_article_tag_across_a_read_chunk_is_still_a_cut(tmp_path, before):
    """Factiva writes ``<div id="article-…" class="article frArticle">``: 70
    bytes before its word ``Article``. Cut by the boundary of two chunks of
    the file, more than 64 bytes before it, the tag was not found again and
    two articles were read as one."""
    from indexer.formats import factiva
    from indexer.formats.source import CHUNK_BYTES

    tag = '<div id="article-AFPFR00020150312eb3c000gh" class="article frArticle">'
    first, second = (article(n).replace('<div class="article frArticle">', tag) for n in (1, 2))
    boundary = 2 + CHUNK_BYTES  # the file's first two bytes, then whole chunks
    pad = boundary - before - len(HEAD) - len(first.encode())
    first = first.replace("qui parle", "qui parle" + " de la réforme" * (pad // 15) + "." * (pad % 15))
    path = write(tmp_path, export(first, second))
    assert path.read_bytes().index(tag.encode(), len(HEAD) + 1) == boundary - before
    with Source(str(path)) as source:
        pieces = [text for text, _ in source.segments(factiva._ARTICLE_BYTES, keep=True)]
    assert len(pieces) == 3 and pieces[2].startswith(tag)  # the head, then each article
    if before == 66:
        stories, problems = read(path)
        assert [s.headline for s in stories] == ["Titre numéro 1", "Titre numéro 2"]
