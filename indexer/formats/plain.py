"""Plain-text stories, optionally with a YAML front matter: one story a file."""

from __future__ import annotations

import re
from typing import Any, Iterator

import yaml

from indexer.config import lenient_yaml
from indexer.formats.base import Format, Item, Piece
from indexer.formats.problems import FileProblem
from indexer.formats.source import Source

_FRONT_MATTER_MAX = 64 * 1024


def split_front_matter(text: str) -> tuple[str, dict[str, Any], list[str]]:
    """Split a ``---`` YAML block from the top of a story.

    >>> split_front_matter("---\\nid: a1\\n---\\nTitre\\n")
    ('Titre\\n', {'id': 'a1'}, [])
    >>> split_front_matter("---\\n: : :\\n---\\nTitre")[2]
    ['front-matter: not valid YAML (line 1), ignored']
    >>> split_front_matter("---\\ndate: 2016-02-30\\n---\\nTitre")[1]
    {'date': '2016-02-30'}
    """
    m = re.match(r"\A\ufeff?---[ \t]*\n(.*?\n)?---[ \t]*(?:\n|\Z)", text, re.DOTALL)
    if not m:
        return text, {}, []
    block, rest = m.group(1) or "", text[m.end():]
    if len(block) > _FRONT_MATTER_MAX:
        return rest, {}, [f"front-matter: larger than {_FRONT_MATTER_MAX // 1024} KB, ignored"]
    try:
        if any(isinstance(tok, yaml.AliasToken) for tok in yaml.scan(block)):
            return rest, {}, ["front-matter: YAML aliases are not allowed, ignored"]
        data = lenient_yaml(block)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark else ""
        return rest, {}, [f"front-matter: not valid YAML{where}, ignored"]
    except RecursionError:
        return rest, {}, ["front-matter: nested too deeply, ignored"]
    if data is None:
        return rest, {}, []
    if not isinstance(data, dict):
        return rest, {}, ["front-matter: not a mapping of keys to values, ignored"]
    return rest, {str(k): v for k, v in data.items()}, []


def read_plain(source: Source) -> Iterator[Item]:
    body, meta, warnings = split_front_matter(source.text())
    for w in warnings:
        yield FileProblem(source.path, w, False, w.split(":", 1)[0])
    yield Piece(body, meta)


FORMAT = Format("text", read_plain)
