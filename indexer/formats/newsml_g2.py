"""NewsML-G2 items (IPTC): what AFP, Reuters, AP and dpa deliver today.

A file holds one ``newsItem`` or a ``newsMessage`` whose ``itemSet`` holds
many. Each text item becomes a story: its text is the headline, the
dateline and the body's paragraphs, so the wire parser still reads the
dateline, credits and signatures; the item's metadata gives the rest.
See docs/formats.md for the whole mapping. Notes marked non-public
(``pubconstraint`` ``…nonpublic``, contact notes, the non-public section of
a notepad) never reach the text, the metadata, the index or an export.
"""

from __future__ import annotations

from indexer.formats.nitf import byline_names, iptc_subject_name
from indexer.formats.xmlfeed import child, children, descendants, local, paragraphs, text_of, with_dateline

#: Item classes that are stories.
_TEXT_CLASSES = ("ninat:text", "icls:text", "ninat:composite")
#: Urgency 1 and 2 mark a flash and an urgent.
_URGENCY_VERSION = {1: "flash", 2: "urgent"}
#: Signals of a later version.
_SIGNAL_VERSION = {"update": "actualisé", "correction": "correction", "correct": "correction",
                   "rectification": "rectificatif"}
_WITHDRAWN = ("stat:canceled", "stat:withheld", "stat:cancelled")


class NotAStory(Exception):
    """An item that is not a story (a picture, a package, a planning item...)."""


def _is_nonpublic(elem) -> bool:
    constraint = (elem.get("pubconstraint") or "").lower()
    role = (elem.get("role") or "").lower()
    return "nonpublic" in constraint or "non-public" in constraint or "contact" in role


def _qcode_name(elem) -> str:
    """The display name of a concept (its first ``name``), or its literal."""
    for name in children(elem, "name"):
        if name.get("role") in (None, "nrol:display", "nrol:full"):
            value = text_of(name)
            if value:
                return value
    return elem.get("literal") or ""


def _agency_of(provider) -> str | None:
    if provider is None:
        return None
    value = provider.get("qcode") or provider.get("literal") or _qcode_name(provider)
    if not value:
        return None
    value = value.split(":", 1)[-1]                # nprov:REUTERS, dnlprov:dpa
    if value.endswith((".com", ".fr", ".de", ".ch", ".net", ".org")):
        value = value.rsplit(".", 1)[0]            # reuters.com, afp.com
    return value or None


def _people(elems) -> list[str]:
    out = []
    for e in elems:
        name = _qcode_name(e) or text_of(e)
        if name and name not in out:
            out.append(name)
    return out


def item_story(item) -> tuple[str, dict]:
    """(text, metadata) of one NewsML-G2 item; raises NotAStory for others."""
    kind = local(item.tag)
    if kind != "newsItem":
        raise NotAStory(f"a {kind}, not a news item")
    meta: dict = {}
    item_meta = child(item, "itemMeta")
    content_meta = child(item, "contentMeta")
    item_class = child(item_meta, "itemClass")
    qcode = (item_class.get("qcode") if item_class is not None else "") or ""
    if qcode and qcode not in _TEXT_CLASSES:
        raise NotAStory(f"a {qcode.split(':', 1)[-1]} item, not text")

    guid = (item.get("guid") or "").strip()
    version = (item.get("version") or "").strip()
    if guid:
        meta["id"] = f"{guid}:{version}" if version else guid
        meta["guid"] = guid
    if version:
        meta["item_version"] = version
    language = item.get("{http://www.w3.org/XML/1998/namespace}lang")

    agency = _agency_of(child(item_meta, "provider"))
    if agency:
        meta["agency"] = agency
    status = child(item_meta, "pubStatus")
    if status is not None and (status.get("qcode") or "").lower() in _WITHDRAWN:
        meta["withdrawn"] = "yes"
    for name in ("contentCreated", "firstCreated", "versionCreated"):
        value = text_of(child(content_meta, name)) or text_of(child(item_meta, name))
        if value:
            meta["date"] = value[:10]
            break

    version_word = None
    notes = []
    for note in children(item_meta, "edNote") + children(content_meta, "edNote"):
        if _is_nonpublic(note):
            continue
        # A notepad's non-public section stays out too.
        text = " ".join(p for p in paragraphs(note, skip=frozenset({"np-nonpublic"})))
        if text:
            notes.append(text)
        if "correct" in (note.get("role") or "").lower():
            version_word = "correction"
            meta["update_note"] = text
    for signal in children(item_meta, "signal"):
        code = (signal.get("qcode") or "").split(":", 1)[-1].lower()
        if code in _SIGNAL_VERSION:
            version_word = _SIGNAL_VERSION[code]
    if notes:
        meta["ed_notes"] = notes

    urgency = text_of(child(content_meta, "urgency"))
    if urgency.isdigit():
        meta["urgency"] = int(urgency)
        version_word = version_word or _URGENCY_VERSION.get(int(urgency))
    if version_word:
        meta["version"] = version_word

    headlines = sorted(children(content_meta, "headline"), key=lambda h: int(h.get("rank") or 1)
                       if (h.get("rank") or "1").isdigit() else 99)
    if headlines:
        meta["headline"] = text_of(headlines[0])
        subtitles = [text_of(h) for h in headlines[1:] if text_of(h)]
        if subtitles:
            meta["subtitle"] = " / ".join(subtitles)
    slug = text_of(child(content_meta, "slugline"))
    if slug:
        meta["slug"] = slug
    keywords = [text_of(k) for k in children(content_meta, "keyword") if text_of(k)]
    if keywords:
        meta["keywords"] = keywords
    description = [text_of(d) for d in children(content_meta, "description") if text_of(d)]
    if description:
        meta["description"] = description[0]
    genres = [_qcode_name(g) or g.get("qcode") for g in children(content_meta, "genre")]
    if any(genres):
        meta["genre"] = [g for g in genres if g]
    subjects = []
    for s in children(content_meta, "subject"):
        code = s.get("qcode") or ""
        name = _qcode_name(s) or (iptc_subject_name(code) if code.startswith("subj:") else "")
        if (code or name) and {"code": code, "name": name} not in subjects:
            subjects.append({"code": code, "name": name})
    if subjects:
        meta["subjects"] = list(dict.fromkeys(s["name"] or s["code"] for s in subjects))
        meta["subject_codes"] = [s["code"] for s in subjects if s["code"]]
    authors = [n for b in children(content_meta, "by") for n in byline_names(text_of(b))] or _people(
        c for c in children(content_meta, "creator") if _qcode_name(c).lower() != (agency or "").lower())
    contributors = _people(children(content_meta, "contributor"))
    if authors:
        meta["authors"] = authors
    if contributors and contributors != authors:
        meta["contributors"] = contributors
    places = [_qcode_name(p) or text_of(p) for p in children(content_meta, "located")]
    if any(places):
        meta["located"] = [p for p in places if p]
    lang = child(content_meta, "language")
    if lang is not None and lang.get("tag"):
        language = lang.get("tag")
    if language:
        meta["language"] = language.split("-")[0].lower()

    body, wordcount = _body(item)
    if wordcount:
        meta["word_count"] = wordcount
    dateline = text_of(child(content_meta, "dateline"))
    lines = []
    if meta.get("headline"):
        lines.append(meta["headline"])
    body = with_dateline(body, dateline)
    return "\n\n".join(lines + body) + "\n", meta


#: Parts of an XHTML body that are not story text.
_XHTML_SKIP = frozenset({"header", "slugline", "footer", "nav", "aside", "publicationDate", "genre", "dateline-meta"})


def _body(item) -> tuple[list[str], int | None]:
    """The body paragraphs of the item's first text content, and its word count."""
    content_set = child(item, "contentSet")
    for content in children(content_set, "inlineXML"):
        wordcount = content.get("wordcount")
        nitf_body = next(iter(descendants(content, "body.content")), None)
        if nitf_body is not None:
            return paragraphs(nitf_body), _int(wordcount)
        body = next(iter(descendants(content, "body")), None)
        if body is not None:
            return paragraphs(body, skip=_XHTML_SKIP), _int(wordcount)
        return paragraphs(content, skip=_XHTML_SKIP), _int(wordcount)
    for content in children(content_set, "inlineData"):
        text = "".join(content.itertext())
        paras = [" ".join(p.split()) for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
        return paras, _int(content.get("wordcount"))
    return [], None


def _int(value) -> int | None:
    return int(value) if value and str(value).isdigit() else None


__all__ = ["NotAStory", "item_story"]
