"""Europresse HTML exports: every article of a file, in both layouts.

Researchers download their corpora from Europresse as HTML files of up to
a thousand articles. Two layouts exist:

- the *classic* one: no element per article; each starts with a
  ``span.DocPublicationName``, then ``span.DocHeader`` pieces (section,
  date, page), the ``span.TitreArticleVisu`` title, the author's line and
  the text's paragraphs, the copyright line and ``Numéro de document :
  news·…``; the certificate (``Ce certificat est émis à …``) follows;
- the *current* one: an ``article`` element each, its ``header`` holding
  ``rdp__DocPublicationName``, ``rdp__DocHeader``, ``titreArticle`` (title
  and ``rdp__subtitle``), ``docAuthors``; the text in ``DocText`` /
  ``docOcurrContainer``; ``Doc-LegalInfo`` (copyright) and
  ``publiC-lblNodoc`` (the document number) after it.

The file is read in parts cut where an article starts, each parsed by an
lxml HTML parser of its own (no network, no entity, comments dropped) into
one parser *target*, :class:`_Walker`: no tree is built, the text of each
part of an article goes to the article being read, and an article is handed
on as soon as it ends. Memory holds one part of the file and one article,
whatever the file's size (one parser for the whole file would not do:
libxml2's HTML push parser keeps all it is fed). :mod:`indexer.formats.europresse_article`
turns each article's parts into the story's text and metadata (docs/formats.md
has the whole mapping); the text then goes through the wire parser like any
story, so an agency dispatch (``AFP Infos Françaises``) keeps its dateline,
credits and versions.
"""

from __future__ import annotations

import re
from collections import deque
from typing import Iterator

from lxml import etree

from indexer.formats.base import Format, Item
from indexer.formats.europresse_article import RawArticle, article_piece
from indexer.formats.problems import FileProblem
from indexer.formats.source import MAX_SEGMENT_BYTES, MAX_STORY_CHARS, Source

#: Characters handed to the HTML parser at a time.
FEED_CHARS = 256 * 1024
#: A part of the file parsed by one parser holds whole articles and is cut
#: at the first article start past this many characters.
PART_CHARS = 256 * 1024

PUBLICATION, HEADER, TITLE, SUBTITLE, AUTHORS, BODY, LEGAL, NUMBER, SKIP, ALT_LINE = (
    "publication", "header", "title", "subtitle", "authors", "body", "legal", "number", "skip", "alt-line")
#: A class (lower case) -> the part of an article it marks.
_CLASS_ROLES = {
    "docpublicationname": PUBLICATION, "rdp__docpublicationname": PUBLICATION,
    "docheader": HEADER, "rdp__docheader": HEADER,
    "titrearticlevisu": TITLE, "rdp__articletitle": TITLE, "titrearticle": TITLE, "grandtitre": TITLE,
    "rdp__subtitle": SUBTITLE,
    "docauthors": AUTHORS, "sm-margin-bottomnews": AUTHORS,
    "doctext": BODY, "dococurrcontainer": BODY,
    "doc-legalinfo": LEGAL,
    "public-lblnodoc": NUMBER, "public_lblnodoc": NUMBER,
    "apd-wrapper": SKIP, "public-lblcertificatissuedto": SKIP, "doc-certificate": SKIP,
    # An article without its publication block writes publication and date in these.
    "sm-margin-bottom": ALT_LINE,
}
_KINDS = {"twitter": "tweet", "link-not-hosted": "link"}
_SKIP_TAGS = frozenset({"script", "style", "head", "title", "noscript", "button", "nav", "form", "select",
                        "option", "textarea", "svg", "iframe", "object", "template", "input", "aside", "label"})
_BLOCK_TAGS = frozenset({"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th", "table",
                         "section", "article", "header", "footer", "blockquote", "ul", "ol", "dd", "dt", "pre",
                         "figcaption", "figure", "hr", "center"})
#: Elements that matter whatever their attributes.
_SPECIAL_TAGS = _SKIP_TAGS | {"article", "header"}
#: Parts made of one line each (several elements: several pieces).
_PIECED = (PUBLICATION, HEADER, TITLE, SUBTITLE, AUTHORS, NUMBER)
_MARKERS = re.compile(
    r"""<\w+[^>]*?\bclass\s*=\s*["']?[^"'>]*?\b(?:DocPublicationName|rdp__DocPublicationName|TitreArticleVisu"""
    r"""|titreArticleVisu|DocHeader|rdp__DocHeader|docOcurrContainer|publiC-lblNodoc|PubliC_lblNodoc)\b"""
    r"""|Num[ée]ro de document\s*:\s*\w+·\d{8}·""", re.IGNORECASE)
_END_OF_HTML = re.compile(r"</(?:html|body)\s*>\s*$", re.IGNORECASE)
#: Where the file may be cut between two parsers: where an article may start.
_CUT = re.compile(rb"""<article\b|<span\s+class\s*=\s*["']?DocPublicationName\b""", re.IGNORECASE)


def looks_like_europresse(head: str) -> bool:
    """A file whose head carries the markers of a Europresse export.

    >>> looks_like_europresse('<html><body><span class="DocPublicationName">Le Monde</span>')
    True
    >>> looks_like_europresse('<article><header><div class="rdp__DocPublicationName">')
    True
    >>> looks_like_europresse("<!DOCTYPE html><html><body><p>DocHeader</p></body></html>")
    False
    """
    return _has_marker_word(head) and bool(_MARKERS.search(head))


#: Words one of which every match of ``_MARKERS`` holds (lower case, none
#: with an ``s`` or ``k``, whose case-blind matches include ``ſ`` and ``K``).
_MARKER_WORDS = ("docpublicationname", "titrearticlevi", "docheader", "dococurrcontainer", "lblnodoc",
                 "ro de document")


def _has_marker_word(head: str) -> bool:
    """Whether ``head`` may match ``_MARKERS``: a test in plain lower case,
    which costs 1 ms where the pattern costs 0.2 s on a 1 MB head that has
    no marker (a Factiva or Nexis export is sniffed here first).

    >>> _has_marker_word("<SPAN CLASS=DOCPUBLİCATIONNAME>"), _has_marker_word("<p>Nexis</p>")
    (True, False)
    """
    low = head.lower()
    if "\u0131" in low or "\u0307" in low:  # ı and İ (lowered i + dot) match i case-blind
        low = low.replace("\u0131", "i").replace("\u0307", "")
    return any(word in low for word in _MARKER_WORDS)


def _class_role(classes: str) -> tuple[str | None, str | None]:
    """The part an element of these classes marks, and the kind of document
    (a tweet...) it shows."""
    names = classes.lower().split()
    return (next((_CLASS_ROLES[c] for c in names if c in _CLASS_ROLES), None),
            next((_KINDS[c] for c in names if c in _KINDS), None))


class _Walker:
    """An lxml parser target: the parts of each article, as the HTML streams by."""

    def __init__(self, classic: bool = True) -> None:
        #: Articles may start without an article element (until one is seen).
        self.classic = classic
        self.done: deque[RawArticle] = deque()
        self.article: RawArticle | None = None
        self.count = 0
        #: The open elements: (tag, the part their text belongs to, the part they mark themselves).
        self.stack: list[tuple[str, str | None, str | None]] = []
        self._classes: dict[str, tuple[str | None, str | None]] = {}
        self.in_article = 0
        self.in_header = 0
        self.seen_title = False      # the current article's title has begun: loose text is its text
        self.closed = False          # its document number was read: what follows is not its text
        self.current: list[str] = []  # the paragraph (or piece) being read
        self.current_role: str | None = None
        self.chars = 0
        self.alt_lines: list[str] = []
        self.href: str | None = None

    # ----------------------------------------------------------- articles

    def _begin(self) -> None:
        self._end()
        self.count += 1
        self.article = RawArticle(self.count)
        self.seen_title = self.closed = False
        self.chars = 0
        self.alt_lines = []

    def _end(self, truncated: bool = False) -> None:
        self._flush()
        if self.article is not None:
            if self.alt_lines:   # publication and date written in plain header lines
                if not self.article.publication:
                    self.article.publication.append(self.alt_lines[0])
                if not self.article.header and len(self.alt_lines) > 1:
                    self.article.header.append(self.alt_lines[1])
            self.article.truncated = self.article.truncated or truncated
            self.done.append(self.article)
        self.article = None

    def _role(self) -> str | None:
        """The part the text being read belongs to (the innermost element's)."""
        return self.stack[-1][1] if self.stack else None

    def _flush(self) -> None:
        """The paragraph or piece read so far goes to its part."""
        if not self.current:
            return
        text = "".join(self.current)
        self.current = []
        role, self.current_role = self.current_role, None
        href, self.href = self.href, None
        art = self.article
        if art is None or text.isspace():
            return
        if role is None:     # loose text: the classic layout's paragraphs
            if self.closed or self.in_header or not (self.seen_title or self.in_article):
                return
            head = text.lstrip()[:18].lower()
            if head.startswith(("numéro de document", "numero de document")):
                art.numbers.append(text)
                self.closed = True    # what follows is not the article's text
                return
            if href and head.startswith("cet article est"):
                art.links.append(href)
            art.loose.append(text)
        elif role == BODY:
            if href and text.lstrip()[:15].lower() == "cet article est":
                art.links.append(href)
            art.body.append(text)
        elif role == ALT_LINE:
            self.alt_lines.append(text)
        elif role == NUMBER:
            art.numbers.append(text)
            self.closed = True
        else:
            target = {PUBLICATION: art.publication, HEADER: art.header, TITLE: art.title, SUBTITLE: art.subtitle,
                      AUTHORS: art.authors}.get(role)
            if target is not None:
                target.append(text)

    # ------------------------------------------------------- target API

    def start(self, tag, attrib) -> None:
        if not attrib and tag not in _SPECIAL_TAGS:    # most elements: a paragraph, a line break, bold...
            parent = self.stack[-1][1] if self.stack else None
            if tag in _BLOCK_TAGS:
                self._flush()
            self.stack.append((tag, parent, None))
            return
        role = kind = None
        if attrib:  # lxml gives a falsy mapping for an element without attributes
            classes = attrib.get("class")
            if classes:
                found = self._classes.get(classes)
                if found is None:
                    found = self._classes[classes] = _class_role(classes)
                role, kind = found
        parent = self.stack[-1][1] if self.stack else None
        if tag in _SKIP_TAGS or parent == SKIP:
            role = SKIP     # what a script, a form or an aside holds is never text
        if tag == "article" and role != SKIP:
            self._begin()
            self.in_article += 1
            self.classic = False      # a file of article elements: the current layout
        elif (role == PUBLICATION or role == TITLE) and parent != role and parent != SKIP and self.classic \
                and not self.in_article:
            # The classic layout: the next article starts with its publication
            # (or its title, when it has none).
            art = self.article
            if art is None or (role == PUBLICATION and (self.seen_title or art.numbers or art.body)) \
                    or (role == TITLE and self.seen_title):
                self._begin()
        if tag == "header":
            self.in_header += 1
        if role == ALT_LINE and not self.in_header:
            role = None
        if tag in _BLOCK_TAGS or (role is not None and role != parent):
            self._flush()
        if attrib and self.article is not None and role != SKIP:
            if kind:
                self.article.kind = kind
            code = attrib.get("sourcecode")
            if code and not self.article.source_code:
                self.article.source_code = code.strip()[:40]
            if tag == "a" and attrib.get("href"):
                self.href = attrib.get("href")
        if role == TITLE:
            self.seen_title = True
        self.stack.append((tag, role if role is not None else parent, role))

    def end(self, tag) -> None:
        stack = self.stack
        if stack and stack[-1][0] == tag:    # always, from libxml2: its events are balanced
            if stack.pop()[2] in _PIECED:
                self._flush()
        else:
            if not any(t == tag for t, _, _ in stack):
                return
            while stack:
                t, _, role = stack.pop()
                if role in _PIECED:
                    self._flush()
                if t == tag:
                    break
        if tag in _BLOCK_TAGS:
            self._flush()
        if tag == "header":
            self.in_header = max(0, self.in_header - 1)
        if tag == "article" and self.in_article:
            self.in_article -= 1
            self._end()

    def data(self, text) -> None:
        role = self.stack[-1][1] if self.stack else None
        if role == SKIP or role == LEGAL or self.article is None:
            return
        if self.current and self.current_role != role:
            self._flush()
        if self.chars > MAX_STORY_CHARS:
            self.article.too_long = True
            return
        self.chars += len(text)
        self.current_role = role
        self.current.append(text)

    def comment(self, text) -> None:  # comments are dropped by the parser; kept for safety
        pass

    def close(self) -> None:
        return None

    def finish(self, truncated: bool) -> None:
        """The end of the file: the article being read is handed on."""
        self._end(truncated=truncated)


def _parser(target: _Walker) -> etree.HTMLParser:
    return etree.HTMLParser(target=target, no_network=True, remove_comments=True, remove_pis=True,
                            recover=True, encoding="utf-8", default_doctype=False)


def _can_cut(segment: str, articles_before: bool, walker: _Walker) -> bool:
    """Whether the file may be cut before ``segment``: before an article
    element always, before a publication span only in the classic layout
    (in the current one it lies inside its article)."""
    if segment[:8].lower() == "<article":
        return True
    return walker.classic and not articles_before


def read_europresse(source: Source) -> Iterator[Item]:
    """The articles of a Europresse export, in file order; a problem for each
    one that is not a story.

    The file is cut where an article starts (``<article``, or a publication
    span in the classic layout) past every :data:`PART_CHARS` characters, and
    each part parsed by a parser of its own: libxml2's HTML push parser keeps
    all it was fed, so a parser per part is what keeps memory bounded. The
    parts go to one walker, which decides where articles start and end (the
    cuts only have to fall outside an article's parts).
    """
    walker = _Walker(classic="<article" not in source.head.lower())
    found = 0
    text = ""
    warned = False

    def drain() -> Iterator[Item]:
        nonlocal found
        while walker.done:
            raw = walker.done.popleft()
            found += 1
            if raw.too_long:
                yield FileProblem(source.path, f"longer than {MAX_STORY_CHARS // 1_000_000} million characters, "
                                  "not an article, skipped", False, "size", raw.position, "article")
                continue
            piece = article_piece(raw)
            if isinstance(piece, str):
                yield FileProblem(source.path, piece, False, "europresse", raw.position, "article")
            else:
                yield piece

    def parse(part: str, last: bool) -> None:
        parser = _parser(walker)
        for at in range(0, len(part), FEED_CHARS):
            parser.feed(part[at:at + FEED_CHARS])
        if last and walker.article is not None and not walker.article.numbers and not _END_OF_HTML.search(part):
            walker.article.truncated = True   # before the parser closes what the file left open
        try:
            parser.close()
        except etree.LxmlError:
            pass

    try:
        pending: list[str] = []
        pending_chars = 0
        pending_articles = False      # an article element among them
        for segment, warning in source.segments(_CUT, keep=True):
            if warning and not warned:
                warned = True
                source.warnings.append(FileProblem(source.path, warning, False, "encoding"))
            if segment is None:
                yield FileProblem(source.path, f"a part of over {MAX_SEGMENT_BYTES // 2**20} MB with no article "
                                  "start in it, skipped", False, "size", walker.count or None, "article")
                continue
            if pending and (pending_chars < PART_CHARS or not _can_cut(segment, pending_articles, walker)):
                pending.append(segment)
                pending_chars += len(segment)
                pending_articles = pending_articles or segment[:8].lower() == "<article"
                continue
            if pending:
                parse("".join(pending), last=False)
                yield from drain()
            pending, pending_chars = [segment], len(segment)
            pending_articles = segment[:8].lower() == "<article"
        if pending:
            parse("".join(pending), last=True)
    except etree.LxmlError as exc:
        yield FileProblem(source.path, f"HTML cannot be read further ({exc}), rest skipped", False, "europresse")
    except OSError as exc:  # the file went away or broke while it was read
        walker.finish(truncated=True)
        yield from drain()
        yield FileProblem(source.path, f"cannot be read ({exc.strerror or exc}), rest skipped", False, "read")
        return
    walker.finish(truncated=False)
    yield from drain()
    if not found:
        yield FileProblem(source.path, "no Europresse article found (the layout may have changed), skipped", True,
                          "europresse")


FORMAT = Format("europresse", read_europresse, sniff=lambda source: looks_like_europresse(source.head),
                unit="article")
