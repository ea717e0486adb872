"""NewsML 1.2 items: AFP's older deliveries (``NewsML/NewsItem``), NITF bodies.

``Identification`` gives the id (``ProviderId``, ``NewsItemId``,
``RevisionId`` with its ``Update`` flag), ``NameLabel``; ``NewsManagement``
the type (``Alert`` -> urgent), ``Urgency``, ``FirstCreated`` /
``ThisRevisionCreated`` and ``Status`` (canceled, withheld); ``NewsLines``
the headline, subheadline, dateline, byline, copyright and slug;
``DescriptiveMetadata`` the language, location (City, Country), subject
codes and keywords. The text ``ContentItem`` (NITF, or bare paragraphs)
gives the body; photo and video components give no text (their captions
are kept as metadata). The wire parser then reads AFP's trailing
signature (``abc-fb/jmt``) as for plain text.
"""

from __future__ import annotations

from indexer.formats.nitf import byline_names, iptc_subject_name, nitf_parts, norm_date
from indexer.formats.xmlfeed import child, children, descendants, local, paragraphs, text_of, with_dateline


_URGENCY_VERSION = {1: "flash", 2: "urgent"}


class NotAStory(Exception):
    """A NewsML 1.2 item with no text component."""


def _formal(elem) -> str:
    return (elem.get("FormalName") or "").strip() if elem is not None else ""


def _properties(elem, name: str) -> list[str]:
    """The Values of ``Property FormalName=name`` elements below ``elem``."""
    return [p.get("Value").strip() for p in descendants(elem, "Property")
            if _formal(p).lower() == name.lower() and (p.get("Value") or "").strip()]


def item_stories(item) -> list[tuple[str, dict]]:
    """(text, metadata) of one NewsML 1.2 ``NewsItem``; raises NotAStory."""
    if local(item.tag) != "NewsItem":
        raise NotAStory(f"a {local(item.tag)} element, not a NewsItem")
    meta: dict = {}
    ident = child(child(item, "Identification"), "NewsIdentifier")
    provider = text_of(child(ident, "ProviderId"))
    item_id = text_of(child(ident, "NewsItemId"))
    revision = child(ident, "RevisionId")
    rev = text_of(revision)
    if item_id:
        meta["guid"] = f"{provider}:{item_id}" if provider else item_id
        meta["id"] = f"{meta['guid']}:{rev}" if rev else meta["guid"]
    if rev:
        meta["item_version"] = rev
    update = (revision.get("Update") or "N").upper() if revision is not None else "N"
    label = text_of(child(child(item, "Identification"), "NameLabel"))

    mgmt = child(item, "NewsManagement")
    item_type = _formal(child(mgmt, "NewsItemType")).lower()
    urgency = _formal(child(mgmt, "Urgency"))
    if urgency.isdigit():
        meta["urgency"] = int(urgency)
    status = _formal(child(mgmt, "Status")).lower()
    if status in ("canceled", "cancelled", "withheld"):
        meta["withdrawn"] = "yes"
    for name in ("FirstCreated", "ThisRevisionCreated"):
        day = norm_date(text_of(child(mgmt, name)))
        if day:
            meta["date"] = day
            break
    # An Alert is AFP's urgent; urgency 1 a flash, 2 an urgent. A revision's
    # Update flag says how it replaces the previous one (N: whole, A: adds
    # components, U: replaces some), not that it is an update note.
    version = "urgent" if item_type == "alert" else _URGENCY_VERSION.get(meta.get("urgency"))
    if version:
        meta["version"] = version
    if update in ("A", "U"):
        meta["revision_update"] = update

    component = child(item, "NewsComponent")
    lines_elem = child(component, "NewsLines")
    headline = text_of(child(lines_elem, "HeadLine"))
    if headline:
        meta["headline"] = headline
    sub = text_of(child(lines_elem, "SubHeadLine"))
    if sub:
        meta["subtitle"] = sub
    slug = text_of(child(lines_elem, "SlugLine")) or label
    if slug:
        meta["slug"] = slug
    byline = text_of(child(lines_elem, "ByLine"))
    if byline:
        meta["authors"] = byline_names(byline)
    dateline = text_of(child(lines_elem, "DateLine"))

    descriptive = descendants(item, "DescriptiveMetadata")
    for d in descriptive:
        lang = _formal(child(d, "Language"))
        if lang:
            meta["language"] = lang.lower()
            break
    cities = [v for d in descriptive for loc in children(d, "Location") for v in _properties(loc, "City")]
    countries = [v for d in descriptive for loc in children(d, "Location") for v in _properties(loc, "Country")]
    if cities or countries:
        meta["located"] = list(dict.fromkeys(cities + countries))
    subjects = []
    for d in descriptive:
        for code in descendants(d, "SubjectCode"):
            for s in code:
                code = _formal(s)
                entry = {"code": f"subj:{code}", "name": iptc_subject_name(code)}
                if code and entry not in subjects:
                    subjects.append(entry)
    if subjects:
        meta["subjects"] = list(dict.fromkeys(s["name"] or s["code"] for s in subjects))
        meta["subject_codes"] = [s["code"] for s in subjects if s["code"]]
    keywords = [v for d in descriptive for v in _properties(d, "Keyword")]
    if keywords:
        meta["keywords"] = list(dict.fromkeys(keywords))
    provider_party = next((p for p in descendants(item, "Provider")), None)
    agency = _formal(next(iter(descendants(provider_party, "Party")), None)) if provider_party is not None else ""
    meta["agency"] = agency or (provider.split(".")[0] if provider else None)
    if meta["agency"] is None:
        del meta["agency"]

    body, captions = _text_components(component)
    if captions:
        meta["captions"] = captions
    if not body:
        raise NotAStory("a NewsItem without a text component" + (" (photo or video)" if captions else ""))
    out = []
    for paras, extra in body:
        story_meta = {**meta, **{k: v for k, v in extra.items() if k not in meta or k in ("headline",)}}
        lines = []
        if story_meta.get("headline"):
            lines.append(story_meta["headline"])
        paras = with_dateline(paras, dateline)
        out.append(("\n\n".join(lines + paras) + "\n", story_meta))
    if len(out) > 1:  # several texts in one item: one id each
        out = [(text, {**m, "id": f"{m.get('id', 'item')}:{i}"}) for i, (text, m) in enumerate(out, 1)]
    return out


_MEDIA = frozenset({"photo", "video", "graphic", "audio", "image"})


def _text_components(component) -> tuple[list[tuple[list[str], dict]], list[str]]:
    """The text bodies below a NewsComponent, and the captions of its pictures.

    A text ContentItem beside a photo or video (or in a component whose role
    is a caption) is that picture's caption, not a story.
    """
    bodies: list[tuple[list[str], dict]] = []
    captions: list[str] = []
    for content in descendants(component, "ContentItem"):
        media = _formal(child(content, "MediaType")).lower()
        if media and media != "text":
            continue
        data = child(content, "DataContent")
        if data is None:
            continue
        parent = content.getparent()
        beside = {_formal(child(c, "MediaType")).lower() for c in children(parent, "ContentItem")}
        role = _formal(child(parent, "Role")).lower()
        if beside & _MEDIA or role in ("caption", "photo", "video", "picture"):
            caption = " ".join(paragraphs(data)) or text_of(data)
            if caption and caption not in captions:
                captions.append(caption)
            continue
        nitf = next(iter(descendants(data, "nitf")), None)
        if nitf is not None:
            lines, extra = nitf_parts(nitf)
            if extra.get("headline") and lines and lines[0] == extra["headline"]:
                lines = lines[1:]
            if lines:
                bodies.append((lines, extra))
            continue
        paras = paragraphs(data)
        if paras:
            bodies.append((paras, {}))
    return bodies, captions


__all__ = ["NotAStory", "item_stories"]
