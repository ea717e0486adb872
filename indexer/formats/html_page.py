"""Text of a web page saved as HTML: the headline, then the readable blocks.

Scripts, styles, navigation, headers, footers, asides and forms are left
out; block elements become paragraphs. The result is parsed like any
scraped plain-text story (debris patterns still apply).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Iterator

from indexer.formats.base import Format, Item, Piece
from indexer.formats.problems import FileProblem
from indexer.formats.source import Source

_SKIP = {"script", "style", "nav", "header", "footer", "aside", "form", "noscript", "svg", "template", "button"}
_BLOCK = {"p", "div", "section", "article", "li", "h1", "h2", "h3", "h4", "h5", "h6", "br", "tr",
          "blockquote", "pre", "figcaption", "td", "dd", "dt", "ul", "ol", "table", "main", "body"}
_HTML_START = re.compile(r"\A\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b", re.IGNORECASE | re.DOTALL)


def looks_like_html(text: str) -> bool:
    """A page that starts like HTML.

    >>> looks_like_html("<!DOCTYPE html><html><body>x</body></html>")
    True
    >>> looks_like_html("Titre\\n\\nPARIS (AFP) - <b>x</b>")
    False
    """
    return bool(_HTML_START.match(text[:4096]))


class _Extractor(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.skip = 0
        self.blocks: list[str] = []
        self.current: list[str] = []
        self.title: list[str] = []
        self.h1: list[str] | None = None
        self.in_title = False
        self.in_h1 = False

    def _flush(self):
        text = " ".join("".join(self.current).split())
        if text:
            self.blocks.append(text)
        self.current = []

    def handle_starttag(self, tag, attrs):
        if tag in _SKIP:
            self.skip += 1
        elif tag == "title":
            self.in_title = True
        elif tag in _BLOCK:
            self._flush()
            if tag == "h1" and self.h1 is None:
                self.in_h1, self.h1 = True, []

    def handle_endtag(self, tag):
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag == "title":
            self.in_title = False
        elif tag in _BLOCK:
            if tag == "h1" and self.in_h1:
                self.in_h1 = False
                self.current = []  # the headline goes first, not among the blocks
                return
            self._flush()

    def handle_data(self, data):
        if self.in_title:
            self.title.append(data)
        elif not self.skip:
            if self.in_h1:
                self.h1.append(data)
            else:
                self.current.append(data)


def html_to_text(html: str) -> str:
    """The headline (h1, else title) and the page's blocks, one per paragraph.

    >>> html_to_text("<html><head><title>T | Site</title><script>x()</script></head>"
    ...              "<body><nav>Menu</nav><h1>Le titre</h1><p>Premier &eacute;t&eacute;.</p>"
    ...              "<p>Second.</p></body></html>")
    'Le titre\\n\\nPremier été.\\n\\nSecond.'
    """
    parser = _Extractor()
    parser.feed(html)
    parser.close()
    parser._flush()
    headline = " ".join("".join(parser.h1 or parser.title).split())
    return "\n\n".join(([headline] if headline else []) + parser.blocks)


def read_html(source: Source) -> Iterator[Item]:
    text = source.text()
    yield FileProblem(source.path, "html: text taken from a web page", False, "html")
    yield Piece(html_to_text(text))


FORMAT = Format("html", read_html, sniff=lambda source: looks_like_html(source.head))
