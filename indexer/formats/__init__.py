"""Readers: from files on disk to parsed stories, one file at a time.

This is the I/O edge of the indexer, one module a concern:

- :mod:`~indexer.formats.walk` — which files under the given paths are stories;
- :mod:`~indexer.formats.source` — opening (regular files only), gzip,
  sniffing, decoding and streaming;
- one module a format — :mod:`~indexer.formats.plain` (text with optional
  YAML front matter), :mod:`~indexer.formats.jsonl`,
  :mod:`~indexer.formats.json_file`, :mod:`~indexer.formats.sgml`
  (Gigaword), :mod:`~indexer.formats.html_page`; each declares a
  :class:`~indexer.formats.base.Format` listed in
  :mod:`~indexer.formats.registry` (a new format: one module, one line there);
- :mod:`~indexer.formats.reading` — a file through its format to stories;
- :mod:`~indexer.formats.problems` — the typed warnings they report.

A bad file is reported with its reason and never costs another file its stories.
"""

from indexer.formats.base import Format, Piece
from indexer.formats.plain import split_front_matter
from indexer.formats.problems import FileProblem, FileResult
from indexer.formats.reading import read_corpus, read_file, read_file_parts
from indexer.formats.registry import FORMATS, choose_format
from indexer.formats.source import MAX_STORY_CHARS, MAX_WHOLE_BYTES, Source, decode
from indexer.formats.walk import CorpusFile, bundled_corpus, inside, iter_corpus_files

__all__ = [
    "CorpusFile", "FORMATS", "FileProblem", "FileResult", "Format", "MAX_STORY_CHARS", "MAX_WHOLE_BYTES",
    "Piece", "Source", "bundled_corpus", "choose_format", "decode", "inside", "iter_corpus_files",
    "read_corpus", "read_file", "read_file_parts", "split_front_matter",
]
