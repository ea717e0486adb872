"""Agency feeds: NewsML-G2, NewsML 1.2 and NITF items, read safely and streamed."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer.formats.feeds import FeedFileError, read_feed
from indexer.formats.xmlfeed import MAX_ITEM_BYTES, sniff_xml
from indexer.wire.parser import parse_story

SAMPLES = Path(__file__).resolve().parents[1] / "corpus" / "feeds"

G2 = b'<?xml version="1.0" encoding="UTF-8"?>\n<newsMessage xmlns="http://iptc.org/std/nar/2006-10-01/"><itemSet>'
G2_END = b"</itemSet></newsMessage>\n"


def g2_item(n: int, body: str = "Le texte de la dépêche.", extra_meta: str = "") -> bytes:
    return (f'<newsItem guid="urn:x:{n}" version="1"><itemMeta><itemClass qcode="ninat:text"/>'
            f'<provider qcode="nprov:AFP"/><versionCreated>2016-06-03T09:00:00Z</versionCreated>{extra_meta}</itemMeta>'
            f'<contentMeta><headline>Titre {n}</headline><dateline>Paris, 3 juin 2016 (AFP)</dateline></contentMeta>'
            f'<contentSet><inlineXML contenttype="application/nitf+xml"><nitf xmlns="http://iptc.org/std/NITF/2006-10-18/">'
            f'<body><body.content><p>{body}</p></body.content></body></nitf></inlineXML></contentSet></newsItem>\n').encode()


def entries(data: bytes):
    sniffed = sniff_xml(data[:65536])
    assert sniffed is not None
    return list(read_feed(io.BytesIO(data), sniffed))


def stories(data: bytes):
    return [parse_story(e.text, source="f.xml", metadata=e.meta) for e in entries(data) if e.text is not None]


def test_sniffing_is_by_content_not_name():
    assert sniff_xml(G2).format == "newsml-g2"
    assert sniff_xml(b"\xef\xbb\xbf<?xml version='1.0'?><!-- c --><NewsML><NewsItem>").format == "newsml-1.2"
    assert sniff_xml(b"<nitf><head/>").format == "nitf"
    assert sniff_xml(b"<html><body>x</body></html>") is None
    assert sniff_xml(b"Titre\n\nPARIS (AFP) - texte") is None


def test_a_news_message_gives_each_item_with_its_position_and_line():
    data = G2 + b"\n" + g2_item(1) + g2_item(2) + G2_END
    got = entries(data)
    assert [(e.position, e.line) for e in got] == [(1, 3), (2, 4)]
    [a, b] = stories(data)
    assert (a.headline, a.agency, a.places, a.date) == ("Titre 1", "AFP", ("Paris",), "2016-06-03")
    assert a.id == "urn:x:1:1" and b.id == "urn:x:2:1"
    assert a.body == "Le texte de la dépêche."


def test_a_malformed_item_costs_no_other_item():
    broken = g2_item(2).replace(b"</headline>", b"</headlin>")
    got = entries(G2 + g2_item(1) + broken + g2_item(3) + G2_END)
    assert [e.position for e in got] == [1, 2, 3]
    assert got[1].text is None and "not well-formed XML at line" in got[1].error
    assert got[0].text and got[2].text


def test_a_truncated_file_keeps_the_items_before_the_cut():
    data = G2 + g2_item(1) + g2_item(2)
    got = entries(data[: len(data) - 40])
    assert got[0].text is not None
    assert got[1].error and "never closed" in got[1].error


def test_non_public_notes_never_reach_the_story():
    secret = ('<edNote pubconstraint="dpapconstraint:nonpublic" role="x:contacts">Joindre Anne au 06 12 34 56 78, '
              'anne@example.org</edNote><edNote role="x:notepad"><section xmlns="http://www.w3.org/1999/xhtml">'
              '<section class="np-public"><p>Photos disponibles</p></section><section class="np-nonpublic">'
              '<p>Rédaction : 030285232232</p></section></section></edNote>')
    [story] = stories(G2 + g2_item(1, extra_meta=secret) + G2_END)
    everything = repr(story.to_dict())
    for leak in ("06 12 34 56 78", "anne@example.org", "030285232232", "Joindre"):
        assert leak not in everything
    assert story.meta["ed_notes"] == ["Photos disponibles"]


def test_entity_declarations_are_refused_with_the_reason():
    bomb = (b'<?xml version="1.0"?>\n<!DOCTYPE newsItem [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>\n'
            b'<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="x"><contentMeta><headline>&b;</headline>'
            b'</contentMeta></newsItem>')
    sniffed = sniff_xml(bomb)
    with pytest.raises(FeedFileError, match="entities"):
        list(read_feed(io.BytesIO(bomb), sniffed))
    external = b'<?xml version="1.0"?><!DOCTYPE nitf [<!ENTITY x SYSTEM "file:///etc/passwd">]><nitf><body>&x;</body></nitf>'
    with pytest.raises(FeedFileError):
        list(read_feed(io.BytesIO(external), sniff_xml(external)))


def test_an_undeclared_entity_is_an_item_error_not_a_file_read():
    data = G2 + g2_item(1, body="avant &inconnu; après") + g2_item(2) + G2_END
    got = entries(data)
    assert got[1].text is not None
    assert got[0].error is not None or "/etc" not in (got[0].text or "")


def test_pictures_packages_and_planning_items_are_skipped_with_the_reason():
    picture = g2_item(1).replace(b"ninat:text", b"ninat:picture")
    package = b'<packageItem guid="p"><itemMeta><itemClass qcode="ninat:composite"/></itemMeta></packageItem>'
    got = entries(G2 + picture + package + g2_item(3) + G2_END)
    assert "picture" in got[0].skipped and "packageItem" in got[1].skipped and got[2].text


def test_urgency_signals_and_status_give_version_and_withdrawn():
    urgent = g2_item(1).replace(b"<contentMeta>", b"<contentMeta><urgency>2</urgency>")
    update = g2_item(2).replace(b"</itemMeta>", b'<signal qcode="sig:update"/></itemMeta>')
    canceled = g2_item(3).replace(b"</itemMeta>", b'<pubStatus qcode="stat:canceled"/></itemMeta>')
    a, b, c = stories(G2 + urgent + update + canceled + G2_END)
    assert a.version == "urgent" and b.version == "actualisé" and c.version is None
    assert c.withdrawn == "yes" and a.withdrawn is None


def test_a_big_news_message_is_streamed_item_by_item():
    """10,000 items: items come one at a time (the reader never holds the file)."""
    class Counting(io.RawIOBase):
        def __init__(self, n):
            self.parts = [G2] + [g2_item(i) for i in range(n)] + [G2_END]
            self.i, self.buf, self.read_bytes = 0, b"", 0

        def readable(self):
            return True

        def read(self, size=-1):
            while len(self.buf) < size and self.i < len(self.parts):
                self.buf += self.parts[self.i]
                self.i += 1
            out, self.buf = self.buf[:size], self.buf[size:]
            self.read_bytes += len(out)
            return out

    stream = Counting(10_000)
    sniffed = sniff_xml(G2)
    it = read_feed(stream, sniffed)
    first = next(it)
    assert first.text is not None
    assert stream.read_bytes < 4 * 1024 * 1024    # far less than the ~5 MB file
    assert sum(1 for _ in it) + 1 == 10_000


def test_an_item_over_the_size_limit_is_reported_and_the_next_one_read():
    huge = g2_item(1, body="x" * (MAX_ITEM_BYTES + 10))
    got = entries(G2 + huge + g2_item(2) + G2_END)
    assert "over" in got[0].error and got[1].text


def test_latin1_newsml12_is_decoded_by_its_prolog():
    data = ('<?xml version="1.0" encoding="iso-8859-1"?><NewsML><NewsItem><Identification><NewsIdentifier>'
            '<ProviderId>afp.com</ProviderId><NewsItemId>n1</NewsItemId><RevisionId Update="N">1</RevisionId>'
            '</NewsIdentifier></Identification><NewsManagement><NewsItemType FormalName="Alert"/>'
            '<FirstCreated>20141015T172200Z</FirstCreated></NewsManagement><NewsComponent><NewsLines>'
            '<HeadLine>Ebola : l\'aide-soignante n\'a plus de fièvre</HeadLine><DateLine>Madrid, 15 oct 2014 (AFP)'
            '</DateLine></NewsLines><ContentItem><MediaType FormalName="Text"/><DataContent><p>Texte élevé.</p>'
            '</DataContent></ContentItem></NewsComponent></NewsItem></NewsML>').encode("iso-8859-1")
    [story] = stories(data)
    assert story.headline == "Ebola : l'aide-soignante n'a plus de fièvre"
    assert story.version == "urgent" and story.places == ("Madrid",) and story.body == "Texte élevé."


@pytest.mark.parametrize("name", ["afp-g2-crue-seine.xml", "reuters-g2-xhtml-bce.xml", "afp-newsml12-alerte.xml",
                                  "ats-nitf-glacier.xml", "afp-g2-annule.xml"])
def test_bundled_samples_carry_no_markup(name):
    data = (SAMPLES / name).read_bytes()
    for story in stories(data):
        for text in (story.headline or "", story.body):
            assert "<" not in text and "xmlns" not in text and "&amp;" not in text
        assert story.headline and story.body and story.agency


_SAMPLE_BYTES = [p.read_bytes() for p in sorted(SAMPLES.glob("*.xml"))]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(_SAMPLE_BYTES), st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 40),
                                                          st.binary(max_size=12)), max_size=6))
def test_feed_reading_never_raises_on_damaged_files(data, edits):
    for at, cut, insert in edits:
        at %= max(1, len(data))
        data = data[:at] + insert + data[at + cut:]
    sniffed = sniff_xml(data[:65536])
    if sniffed is None:
        return
    try:
        for entry in read_feed(io.BytesIO(data), sniffed):
            assert (entry.text is not None) + (entry.error is not None) + (entry.skipped is not None) == 1
            if entry.text is not None:
                parse_story(entry.text, source="f.xml", metadata=entry.meta)
    except FeedFileError:
        pass


def test_the_versions_of_one_guid_are_one_story_group():
    from indexer.index.groups import group_bucket

    data = G2 + g2_item(1) + g2_item(1, body="Tout autre texte, réécrit.").replace(
        b'version="1"', b'version="2"').replace(b"Titre 1", b"Un autre titre") + g2_item(2, body="Sans rapport.").replace(b"Titre 2", "Municipales à Lyon".encode()) + G2_END
    a, b, c = stories(data)
    groups = group_bucket([a, b, c])
    assert groups[a.id] == groups[b.id] != groups[c.id]
