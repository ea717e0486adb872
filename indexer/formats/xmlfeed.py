"""Hardened, streamed reading of XML feed files (NewsML-G2, NewsML 1.2, NITF).

Agency feeds are XML files that may hold one item or ten thousand. This
module finds the items of a file without reading it whole, and parses each
one on its own with a parser that loads no DTD, resolves no entity, reaches
no network and keeps no comment:

- :func:`sniff_xml` names the feed format from the first bytes of a file
  (its root element), whatever the file is called;
- :func:`iter_items` yields each item's bytes with its position and line,
  from a bounded buffer (an item over :data:`MAX_ITEM_BYTES` is reported and
  skipped), so a malformed item costs no other item of the file;
- :func:`parse_item` parses one item, re-declaring the namespaces of the
  file's root element, and raises :class:`FeedItemError` with the reason.

A file whose prolog declares entities (``<!ENTITY``: how entity bombs and
external entities are built) is refused as a whole: a news feed never
needs them. Why lxml: it is a hardened libxml2 parser (``resolve_entities=
False``, ``no_network=True``), it reads every encoding a prolog declares
(AFP's NewsML 1.2 is ISO-8859-1), and it is much faster than the standard
library's parser on large feeds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import BinaryIO, Iterator

from lxml import etree

#: The largest item read; a larger one is reported and skipped.
MAX_ITEM_BYTES = 16 * 1024 * 1024
_CHUNK = 1 << 20
_HEAD = 64 * 1024

#: Root element -> (format name, item element).
_ROOTS = {
    "newsMessage": ("newsml-g2", "newsItem"),
    "newsItem": ("newsml-g2", "newsItem"),
    "packageItem": ("newsml-g2", "packageItem"),
    "conceptItem": ("newsml-g2", "conceptItem"),
    "planningItem": ("newsml-g2", "planningItem"),
    "knowledgeItem": ("newsml-g2", "knowledgeItem"),
    "NewsML": ("newsml-1.2", "NewsItem"),
    "nitf": ("nitf", "nitf"),
}
_G2_ITEMS = ("newsItem", "packageItem", "conceptItem", "planningItem", "knowledgeItem")

_PROLOG = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*(<\?xml[^>]*\?>)?", re.DOTALL)
_MISC = re.compile(rb"\s*(?:<!--.*?-->|<\?.*?\?>|<!DOCTYPE(?:[^\[>]|\[.*?\])*>)", re.DOTALL)
_ROOT = re.compile(rb"\s*<(?:([\w.-]+):)?([\w.-]+)([^>]*)>", re.DOTALL)
_XMLNS = re.compile(rb"""\sxmlns(?::[\w.-]+)?\s*=\s*(?:"[^"]*"|'[^']*')""")
_ENTITY = re.compile(rb"<!ENTITY", re.IGNORECASE)


class FeedItemError(Exception):
    """One item of a feed file that cannot be read (the reason in the message)."""


class FeedFileError(Exception):
    """A feed file that cannot be read at all (the reason in the message)."""


@dataclass(frozen=True)
class Sniffed:
    """What the head of an XML feed file says."""

    format: str           # newsml-g2 | newsml-1.2 | nitf
    root: str             # the root element's local name
    prolog: bytes         # the XML declaration (its encoding), or b""
    namespaces: bytes     # the root's xmlns declarations, to re-declare on each item


def sniff_xml(head: bytes) -> Sniffed | None:
    """The feed format of a file from its first bytes, or None if it is not one.

    >>> sniff_xml(b'<?xml version="1.0"?>\\n<newsMessage xmlns="http://iptc.org/std/nar/2006-10-01/">').format
    'newsml-g2'
    >>> sniff_xml(b"<NewsML Version='1.2'><NewsItem>").format
    'newsml-1.2'
    >>> sniff_xml(b"Titre\\n\\nPARIS (AFP) -") is None
    True
    """
    m = _PROLOG.match(head)
    prolog = (m.group(1) or b"") if m else b""
    pos = m.end() if m else 0
    while True:
        misc = _MISC.match(head, pos)
        if not misc or misc.end() == pos:
            break
        pos = misc.end()
    root = _ROOT.match(head, pos)
    if not root:
        return None
    name = root.group(2).decode("ascii", "replace")
    if name not in _ROOTS:
        return None
    fmt, _ = _ROOTS[name]
    return Sniffed(fmt, name, prolog, b"".join(_XMLNS.findall(root.group(3))))


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
        remove_comments=True, remove_pis=True, huge_tree=False, recover=False,
    )


@dataclass(frozen=True)
class RawItem:
    """One item's bytes, where it starts in its file."""

    position: int         # 1-based rank of the item in the file
    line: int             # 1-based line where it starts
    data: bytes


def iter_items(stream: BinaryIO, sniffed: Sniffed) -> Iterator[RawItem | FeedItemError]:
    """The items of a feed file, one at a time, from a bounded buffer.

    Yields a :class:`FeedItemError` (with ``position`` and ``line``
    attributes) for an item that is too large or never closed, and goes on
    with the next one. Raises :class:`FeedFileError` when the file's prolog
    declares entities.
    """
    _, item_name = _ROOTS[sniffed.root]
    names = _G2_ITEMS if sniffed.format == "newsml-g2" else (item_name,)
    alt = b"|".join(re.escape(n.encode()) for n in names)
    start_re = re.compile(rb"<(?:[\w.-]+:)?(?:" + alt + rb")(?=[\s/>])")
    end_re = re.compile(rb"</(?:[\w.-]+:)?(?:" + alt + rb")\s*>|<(?:[\w.-]+:)?(?:" + alt + rb")\b[^<>]*/>")
    limit_mb = MAX_ITEM_BYTES // (1024 * 1024)
    buf = stream.read(_HEAD) or b""
    eof = not buf
    root_at = start_re.search(buf)
    if _ENTITY.search(buf[:root_at.start()] if root_at else buf):
        raise FeedFileError("the file declares XML entities (<!ENTITY): refused, as a news feed "
                            "never needs them and they are how entity bombs are built")
    pos = 0                  # the cursor in buf
    line = 1                 # the line of buf[pos]
    position = 0

    def error(message: str, at_line: int) -> FeedItemError:
        err = FeedItemError(message)
        err.position, err.line = position, at_line
        return err

    def more() -> bool:
        nonlocal buf, pos, eof
        if eof:
            return False
        chunk = stream.read(_CHUNK)
        if not chunk:
            eof = True
            return False
        buf = buf[pos:] + chunk          # drop what was consumed, once per chunk
        pos = 0
        return True

    while True:
        start = start_re.search(buf, pos)
        if start is None:
            keep = max(pos, len(buf) - 256)  # a start tag may straddle the chunk boundary
            line += buf.count(b"\n", pos, keep)
            pos = keep
            if not more():
                return
            continue
        end = end_re.search(buf, start.end() - 1)
        while end is None and len(buf) - start.start() <= MAX_ITEM_BYTES and more():
            start = start_re.search(buf, pos)   # the buffer moved
            end = end_re.search(buf, start.end() - 1)
        line += buf.count(b"\n", pos, start.start())
        pos = start.start()
        position += 1
        if end is None:
            if len(buf) - start.start() > MAX_ITEM_BYTES:
                yield error(f"an item over {limit_mb} MB, skipped", line)
                line += buf.count(b"\n", pos, start.end())
                pos = start.end()
                continue
            yield error("the item is never closed (the file is truncated?)", line)
            return
        if end.end() - start.start() > MAX_ITEM_BYTES:
            yield error(f"an item over {limit_mb} MB, skipped", line)
        else:
            nested = start_re.search(buf, start.end(), end.start())
            if nested is not None:  # an earlier item that was never closed
                yield error("the item is never closed before the next one starts", line)
                line += buf.count(b"\n", pos, nested.start())
                pos = nested.start()
                continue
            yield RawItem(position, line, buf[start.start():end.end()])
        line += buf.count(b"\n", pos, end.end())
        pos = end.end()


def parse_item(raw: RawItem, sniffed: Sniffed):
    """Parse one item's bytes into an element, with the root's namespaces.

    Raises :class:`FeedItemError` naming the XML error and its line in the file.
    """
    # An item inside a container (newsMessage, NewsML) is parsed inside a
    # stand-in root that re-declares the container's namespaces.
    wrap = sniffed.root in ("newsMessage", "NewsML")
    if wrap:
        wrapped = sniffed.prolog + b"<depeche-wrap" + sniffed.namespaces + b">" + raw.data + b"</depeche-wrap>"
    else:
        wrapped = sniffed.prolog + raw.data
    try:
        root = etree.fromstring(wrapped, _parser())
    except etree.XMLSyntaxError as exc:
        line = raw.line + max(0, (exc.lineno or 1) - 1 - sniffed.prolog.count(b"\n"))
        raise FeedItemError(f"not well-formed XML at line {line}: {_xml_message(exc)}") from None
    except (ValueError, LookupError) as exc:  # an unknown encoding in the prolog
        raise FeedItemError(f"cannot be decoded: {exc}") from None
    if wrap:
        children = [c for c in root if isinstance(c.tag, str)]
        if not children:
            raise FeedItemError("no item element")
        root = children[0]
    return root


def _xml_message(exc: etree.XMLSyntaxError) -> str:
    msg = str(exc.msg if getattr(exc, "msg", None) else exc)
    # libxml2's own line numbers count from the item's start: the caller gives the file's.
    return re.sub(r",? line \d+(?:, column \d+)?", "", msg).strip()


_DATELINE_PLACE = re.compile(r"^\s*([^,(]+?)(\s*[,(].*)?$", re.DOTALL)


def wire_dateline(dateline: str) -> str:
    """A feed's dateline element as the wire parser reads it in a story's
    text: the place in capitals, a dash after it.

    >>> wire_dateline("Strasbourg, 10 juil 2024 (AFP)"), wire_dateline("London (dpa) - ")
    ('STRASBOURG, 10 juil 2024 (AFP) -', 'LONDON (dpa) -')
    """
    text = " ".join(dateline.split()).rstrip(" -–—")
    m = _DATELINE_PLACE.match(text)
    if not m:
        return text
    return f"{m.group(1).upper()}{m.group(2) or ''} -"


def with_dateline(paras: list[str], dateline: str) -> list[str]:
    """The body's paragraphs with the dateline in front of the first one
    (replacing it when the body already starts with it).

    >>> with_dateline(["London (dpa) - Texte."], "London (dpa) -")
    ['LONDON (dpa) - Texte.']
    >>> with_dateline(["Texte."], "Paris, 3 mars (AFP)")
    ['PARIS, 3 mars (AFP) - Texte.']
    """
    if not dateline.strip():
        return paras
    wire = wire_dateline(dateline)
    plain = " ".join(dateline.split()).rstrip(" -–—")
    if not paras:
        return [wire]
    first = paras[0]
    if first.startswith(plain):
        first = first[len(plain):].lstrip(" -–—")
    return [f"{wire} {first}".rstrip(), *paras[1:]]


# ------------------------------------------------------------ element helpers

def local(tag) -> str:
    """The local name of an element's tag (no namespace).

    >>> local("{http://iptc.org/std/nar/2006-10-01/}newsItem")
    'newsItem'
    """
    if not isinstance(tag, str):
        return ""
    return tag[tag.rfind("}") + 1:]


# lxml's "{*}name" matches the name in any namespace (or none), in C.

def children(elem, name: str) -> list:
    """The child elements of ``elem`` with local name ``name``."""
    return elem.findall("{*}" + name) if elem is not None else []


def child(elem, name: str):
    """The first child element named ``name``, or None."""
    return elem.find("{*}" + name) if elem is not None else None


def descendants(elem, name: str) -> list:
    """Every element below ``elem`` with local name ``name``, in document order."""
    if elem is None:
        return []
    return [e for e in elem.iter("{*}" + name) if e is not elem]


def text_of(elem) -> str:
    """The text of an element and its descendants, white space squashed."""
    if elem is None:
        return ""
    return " ".join("".join(elem.itertext()).split())


#: Elements whose text is a paragraph of its own.
_BLOCKS = frozenset("p h1 h2 h3 h4 h5 h6 hl1 hl2 li blockquote pre div section tr dt dd block".split())
#: Elements whose text is never story text.
_NOT_TEXT = frozenset("script style head title meta media media-reference media-metadata media-caption "
                      "media-producer figure img object table-reference".split())


def paragraphs(elem, skip: frozenset[str] = frozenset()) -> list[str]:
    """The paragraphs of a rich-text body (NITF or XHTML), in order.

    Block elements (p, h2, li...) become paragraphs; inline markup is
    dropped; elements named in ``skip`` (local names or classes) are left
    out with their content.
    """
    out: list[str] = []
    current: list[str] = []

    def flush():
        text = " ".join("".join(current).split())
        if text:
            out.append(text)
        current.clear()

    def walk(e):
        name = local(e.tag)
        if not name:  # a comment or processing instruction
            if e.tail:
                current.append(e.tail)
            return
        classes = set((e.get("class") or "").split())
        if name in _NOT_TEXT or name in skip or classes & skip:
            if e.tail:
                current.append(e.tail)
            return
        block = name in _BLOCKS
        if block and len(e) == 0 and not e.get("class"):  # a bare paragraph: the common case, at once
            flush()
            text = " ".join((e.text or "").split())
            if text:
                out.append(text)
            if e.tail:
                current.append(e.tail)
            return
        if block:
            flush()
        if name == "br":
            flush()
        if e.text:
            current.append(e.text)
        for c in e:
            walk(c)
        if block:
            flush()
        if e.tail:
            current.append(e.tail)

    if elem is not None:
        if elem.text:
            current.append(elem.text)
        for c in elem:
            walk(c)
    flush()
    return out


__all__ = [
    "FeedFileError", "FeedItemError", "wire_dateline", "with_dateline", "MAX_ITEM_BYTES", "RawItem", "Sniffed", "child", "children",
    "descendants", "iter_items", "local", "paragraphs", "parse_item", "sniff_xml", "text_of",
]
