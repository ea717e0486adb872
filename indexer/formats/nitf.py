"""NITF 3.x documents (IPTC News Industry Text Format), alone or as the body
of a NewsML 1.2 or NewsML-G2 item.

``head`` gives the title, ``docdata`` the id (``doc-id``), dates
(``date.issue``, ``date.release``), urgency (``urgency ed-urg``) and
keywords (``key-list``); ``body.head`` the headline (``hedline/hl1``,
``hl2`` as subtitle), ``byline`` and ``dateline``; ``body.content`` the
paragraphs, ``hl2`` inside it being subheads.
"""

from __future__ import annotations

import re

from indexer.wire.credits import parse_byline
from indexer.formats.xmlfeed import child, descendants, local, paragraphs, text_of, with_dateline

_NORM_DATE = re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})")


#: The top level of the IPTC Subject NewsCodes (``subj:``), in French.
IPTC_SUBJECTS = {
    "01": "arts, culture et spectacles", "02": "criminalité, droit et justice",
    "03": "catastrophes et accidents", "04": "économie et finances", "05": "éducation",
    "06": "environnement", "07": "santé", "08": "gens, animaux, insolite", "09": "travail",
    "10": "loisirs", "11": "politique", "12": "religion et croyances",
    "13": "science et technologie", "14": "société", "15": "sport",
    "16": "conflits, guerres et paix", "17": "météo",
}


def iptc_subject_name(code: str) -> str:
    """The French name of an IPTC subject code's top level, or "".

    >>> iptc_subject_name("07000000"), iptc_subject_name("subj:15054000"), iptc_subject_name("x")
    ('santé', 'sport', '')
    """
    digits = code.rsplit(":", 1)[-1]
    return IPTC_SUBJECTS.get(digits[:2], "") if len(digits) == 8 and digits.isdigit() else ""


class NotAStory(Exception):
    """A NITF document with no text."""


def norm_date(value: str | None) -> str | None:
    """An ISO day from NITF/NewsML dates (``20151120T101500Z``, ``2015-11-20``).

    >>> norm_date("20240710T125902Z"), norm_date("2015-11-20T10:00:00+01:00"), norm_date("hier")
    ('2024-07-10', '2015-11-20', None)
    """
    m = _NORM_DATE.match((value or "").strip())
    return f"{m.group(1)}-{m.group(2)}-{m.group(3)}" if m else None


def nitf_parts(doc) -> tuple[list[str], dict]:
    """(text lines, metadata) of a NITF document element."""
    meta: dict = {}
    head = child(doc, "head")
    docdata = child(head, "docdata")
    doc_id = child(docdata, "doc-id")
    if doc_id is not None and (doc_id.get("id-string") or "").strip():
        meta["id"] = doc_id.get("id-string").strip()
    urgency = child(docdata, "urgency")
    if urgency is not None and (urgency.get("ed-urg") or "").isdigit():
        meta["urgency"] = int(urgency.get("ed-urg"))
        if meta["urgency"] in (1, 2):
            meta["version"] = "flash" if meta["urgency"] == 1 else "urgent"
    for name in ("date.issue", "date.release"):
        elem = child(docdata, name)
        day = norm_date(elem.get("norm")) if elem is not None else None
        if day:
            meta["date"] = day
            break
    keywords = [k.get("key") for k in descendants(child(docdata, "key-list"), "keyword") if k.get("key")]
    if keywords:
        meta["keywords"] = keywords
    pubdata = child(head, "pubdata")
    if pubdata is not None and pubdata.get("name"):
        meta["publication"] = pubdata.get("name")
    lang = doc.get("{http://www.w3.org/XML/1998/namespace}lang") or doc.get("lang")
    if lang:
        meta["language"] = lang.split("-")[0].lower()

    body = child(doc, "body")
    body_head = child(body, "body.head")
    hedline = child(body_head, "hedline")
    headline = text_of(child(hedline, "hl1")) or text_of(child(head, "title"))
    if headline:
        meta["headline"] = headline
    subtitles = [text_of(h) for h in (hedline if hedline is not None else []) if local(h.tag) == "hl2" and text_of(h)]
    if subtitles:
        meta["subtitle"] = " / ".join(subtitles)
    bylines = [_byline_text(b) for b in descendants(body_head, "byline")]
    bylines = [b for b in bylines if b]
    dateline = text_of(child(body_head, "dateline"))
    abstract = paragraphs(child(body_head, "abstract"))
    if abstract:
        meta["description"] = " ".join(abstract)
    content = child(body, "body.content")
    paras = paragraphs(content if content is not None else body, skip=frozenset({"body.head", "body.end"}))
    subheads = [text_of(h) for h in descendants(content, "hl2") if text_of(h)]
    if subheads:
        meta["nitf_subheads"] = subheads
    authors = [a for b in bylines for a in byline_names(b)]
    if authors:
        meta["authors"] = authors
    lines = []
    if headline:
        lines.append(headline)
    paras = with_dateline(paras, dateline)
    return lines + paras, meta


_BY = re.compile(r"^(?:par|by|de|von)\s+", re.IGNORECASE)
_AND = re.compile(r"\s*(?:,|;|\bet\b|\band\b|\bund\b)\s*")


def byline_names(byline: str) -> list[str]:
    """The names of a byline (``Par Jean DUPONT et Marie Curie``).

    >>> byline_names("Par Jean DUPONT et Marie Curie"), byline_names("By Arpan Varghese")
    (['Jean Dupont', 'Marie Curie'], ['Arpan Varghese'])
    """
    names = []
    for part in _AND.split(_BY.sub("", byline.strip())):
        part = " ".join(part.split())
        if part:
            names.append(parse_byline("Par " + part) or part)
    return names


def _byline_text(byline) -> str:
    """A NITF byline's text, without its ``byttl`` (title) part."""
    person = child(byline, "person")
    if person is not None:
        return text_of(person)
    return text_of(byline)


def item_story(doc) -> tuple[str, dict]:
    """(text, metadata) of a standalone NITF document."""
    if local(doc.tag) != "nitf":
        raise NotAStory(f"a {local(doc.tag)} element, not a NITF document")
    lines, meta = nitf_parts(doc)
    if len(lines) <= (1 if meta.get("headline") else 0):
        raise NotAStory("a NITF document without text")
    return "\n\n".join(lines) + "\n", meta


__all__ = ["IPTC_SUBJECTS", "NotAStory", "byline_names", "iptc_subject_name", "item_story", "nitf_parts", "norm_date"]
