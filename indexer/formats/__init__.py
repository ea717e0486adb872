"""Readers: from files on disk to parsed stories, one file at a time.

This is the I/O edge of the indexer. Every file under the given paths is
read (``.gz`` decompressed), decoded (UTF-8, UTF-16 with a BOM, else cp1252
with a warning), split into stories by its format (plain text with optional
YAML front matter, JSON Lines, JSON, Gigaword SGML) and parsed. A bad file
is reported with its reason and never costs another file its stories.
"""

from __future__ import annotations

import codecs
import html
import json
import os
import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import yaml

from indexer.config import CONFIG_NAME, CorpusConfig, find_config, load_config
from indexer.errors import NoStoriesError
from indexer.formats.html_page import html_to_text, looks_like_html
from indexer.wire.parser import parse_story
from indexer.story import Story

#: Longest text taken as one story: a wire story is a few thousand characters.
MAX_STORY_CHARS = 2_000_000
#: Largest decompressed ``.gz`` read, in bytes.
MAX_GZIP_BYTES = 256 * 1024 * 1024
_FRONT_MATTER_MAX = 64 * 1024
_BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"PK\x03\x04", b"\x7fELF", b"BZh", b"\xfd7zXZ")
_IGNORED_SUFFIXES = {".yaml", ".yml", ".py", ".pyc"}
#: Warnings about a whole file, recorded on the file and on each of its stories.
FILE_WARNING_KINDS = ("encoding", "gzip", "html")


@dataclass(frozen=True)
class FileProblem:
    """Something wrong with a file: ``skipped`` when nothing of it was read."""

    path: str
    reason: str
    skipped: bool = False
    kind: str = "read"

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


@dataclass
class FileResult:
    """The stories read from one file, and what went wrong with it."""

    path: str
    stories: list[Story] = field(default_factory=list)
    problems: list[FileProblem] = field(default_factory=list)

    @property
    def skipped(self) -> bool:
        return any(p.skipped for p in self.problems)


@dataclass(frozen=True)
class CorpusFile:
    """A file to read: its path as given, its path inside the corpus, its config."""

    path: str
    relpath: str
    config: CorpusConfig


class _Skip(Exception):
    """A file that cannot be read at all (internal)."""

    def __init__(self, reason: str, kind: str = "read"):
        super().__init__(reason)
        self.reason, self.kind = reason, kind


# ---------------------------------------------------------------- discovery

def iter_corpus_files(paths: list[str | Path], config: CorpusConfig | None = None,
                      problems: list[FileProblem] | None = None) -> Iterator[CorpusFile]:
    """Every story file under ``paths``, sorted, with its corpus config.

    Raises :class:`NoStoriesError` for a path that does not exist, and
    :class:`~indexer.errors.ConfigError` for a bad corpus.yaml. Symbolic
    links are followed only while they stay inside the path given.
    """
    for given in paths:
        given = str(given)
        p = Path(given)
        if not p.exists() and not p.is_symlink():
            raise NoStoriesError(given)
        cfg_path = find_config(p)
        cfg = config or (load_config(cfg_path) if cfg_path else CorpusConfig())
        root = cfg_path.parent if cfg_path else (p if p.is_dir() else p.parent)
        root_abs = os.path.abspath(root)
        if p.is_file() or (p.is_symlink() and not p.is_dir()):
            yield CorpusFile(given, _rel(os.path.abspath(given), root_abs), cfg)
            continue
        real_root = os.path.realpath(given)
        seen = {real_root}
        for dirpath, dirnames, filenames in os.walk(given, followlinks=True):
            kept = []
            for d in sorted(dirnames):
                full = os.path.join(dirpath, d)
                if d.startswith(".") or d == "__pycache__":
                    continue
                if os.path.islink(full):
                    real = os.path.realpath(full)
                    if real in seen or not _inside(real, real_root):
                        if problems is not None:
                            why = "symlink loop" if real in seen else "symlink out of the corpus"
                            problems.append(FileProblem(full, f"not followed: {why}", True, "symlink"))
                        continue
                    seen.add(real)
                kept.append(d)
            dirnames[:] = kept
            for name in sorted(filenames):
                if name.startswith(".") or name == CONFIG_NAME:
                    continue
                if Path(name).suffix.lower() in _IGNORED_SUFFIXES or _is_project_doc(name):
                    continue
                full = os.path.join(dirpath, name)
                if os.path.islink(full) and not _inside(os.path.realpath(full), real_root):
                    if problems is not None:
                        problems.append(FileProblem(full, "not followed: symlink out of the corpus", True, "symlink"))
                    continue
                yield CorpusFile(full, _rel(os.path.abspath(full), root_abs), cfg)


def _is_project_doc(name: str) -> bool:
    """README, LICENSE and the like describe a corpus; they are not stories."""
    return Path(name).stem.upper() in ("README", "LICENSE", "LICENCE", "COPYING", "CHANGELOG")


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def _rel(path: str, root: str) -> str:
    try:
        return os.path.relpath(path, root).replace(os.sep, "/")
    except ValueError:
        return path.replace(os.sep, "/")


# ------------------------------------------------------------------- bytes

def read_bytes(path: str) -> tuple[bytes, list[str]]:
    """The file's bytes, decompressed if it is gzip; warnings for a salvage."""
    warnings: list[str] = []
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except IsADirectoryError:
        raise _Skip("is a directory") from None
    except OSError as exc:
        raise _Skip(f"unreadable: {exc.strerror or exc}") from None
    if path.lower().endswith(".gz") or data[:2] == b"\x1f\x8b":
        if data[:2] != b"\x1f\x8b":
            raise _Skip("not a gzip file", "gzip")
        data, complete = _gunzip(data)
        if not complete:
            if not data:
                raise _Skip("truncated or corrupt .gz, nothing could be read", "gzip")
            warnings.append(f"gzip: truncated or corrupt .gz; read the first {len(data)} bytes")
    return data, warnings


def _gunzip(data: bytes) -> tuple[bytes, bool]:
    out = bytearray()
    rest = data
    while rest:
        d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            out += d.decompress(rest, MAX_GZIP_BYTES - len(out))
        except zlib.error:
            return bytes(out), False
        if len(out) >= MAX_GZIP_BYTES:
            raise _Skip(f"decompresses to more than {MAX_GZIP_BYTES // 2**20} MB", "gzip")
        if not d.eof:
            return bytes(out), False
        rest = d.unused_data  # concatenated gzip members
    return bytes(out), True


def decode(data: bytes) -> tuple[str, list[str]]:
    """Text from bytes: UTF-8 (BOM dropped), UTF-16 with a BOM, else cp1252.

    >>> decode("Défense".encode("cp1252"))
    ('Défense', ['encoding: not valid UTF-8, read as cp1252'])
    """
    if not data.strip():
        raise _Skip("empty file", "empty")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), []
        except UnicodeDecodeError:
            raise _Skip("UTF-16 byte order mark but not valid UTF-16", "encoding") from None
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    if _looks_binary(data):
        raise _Skip("binary file, not text", "binary")
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), ["encoding: not valid UTF-8, read as cp1252"]


def _looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if head.startswith(_BINARY_MAGIC):
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return controls > max(2, len(head) // 20)


# ----------------------------------------------------------------- formats

def read_file(cf: CorpusFile) -> FileResult:
    """Read, split and parse one file. Never raises on the file's content."""
    result = FileResult(cf.path)
    try:
        data, warnings = read_bytes(cf.path)
        text, enc_warnings = decode(data)
    except _Skip as skip:
        result.problems.append(FileProblem(cf.path, skip.reason, True, skip.kind))
        return result
    warnings += enc_warnings
    for w in warnings:
        result.problems.append(FileProblem(cf.path, w, False, w.split(":", 1)[0]))
    name = cf.path.lower()
    if name.endswith(".gz"):
        name = name[:-3]
    if name.endswith((".jsonl", ".ndjson")):
        _read_jsonl(text, cf, result, tuple(warnings))
    elif name.endswith(".json"):
        _read_json(text, cf, result, tuple(warnings))
    elif name.endswith((".sgml", ".sgm")) or re.match(r"\s*<DOC\b", text[:4096], re.IGNORECASE):
        _read_sgml(text, cf, result, tuple(warnings))
    elif looks_like_html(text):
        html_warning = "html: text taken from a web page"
        result.problems.append(FileProblem(cf.path, html_warning, False, "html"))
        _add(result, cf, html_to_text(text), {}, None, tuple(warnings) + (html_warning,))
    else:
        body, meta, fm_warnings = split_front_matter(text)
        _add(result, cf, body, meta, None, tuple(warnings) + tuple(fm_warnings))
    if not result.stories and not result.skipped:
        result.problems.append(FileProblem(cf.path, "no story found", True, "empty"))
    return result


def _add(result: FileResult, cf: CorpusFile, text: str, meta: dict[str, Any],
         position: int | None, warnings: tuple[str, ...]) -> None:
    where = f" (story {position})" if position is not None else ""
    if len(text) > MAX_STORY_CHARS:
        result.problems.append(FileProblem(
            cf.path, f"a story{where} of {len(text) / 1e6:.1f} million characters is not a wire story "
            f"(limit {MAX_STORY_CHARS // 1_000_000} million), skipped", position is None, "size"))
        return
    if not text.strip() and not meta.get("headline"):
        result.problems.append(FileProblem(cf.path, f"empty story{where}", position is None, "empty"))
        return
    result.stories.append(parse_story(
        text, source=cf.path, relpath=cf.relpath, position=position,
        metadata=meta, config=cf.config, warnings=warnings,
    ))


def split_front_matter(text: str) -> tuple[str, dict[str, Any], list[str]]:
    """Split a ``---`` YAML block from the top of a story.

    >>> split_front_matter("---\\nid: a1\\n---\\nTitre\\n")
    ('Titre\\n', {'id': 'a1'}, [])
    >>> split_front_matter("---\\n: : :\\n---\\nTitre")[2]
    ['front-matter: not valid YAML (line 1), ignored']
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
        data = yaml.safe_load(block)
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


def _record_text(obj: dict[str, Any]) -> tuple[str | None, dict[str, Any]]:
    text = obj.get("text")
    if text is None:
        text = obj.get("body")
    if isinstance(text, list):
        text = "\n\n".join(str(t) for t in text)
    meta = {k: v for k, v in obj.items() if k not in ("text", "body")}
    return (text if isinstance(text, str) else None), meta


def _json_error(exc: Exception, with_line: bool = False) -> str:
    if not isinstance(exc, json.JSONDecodeError):
        return "nested too deeply"
    return f"line {exc.lineno}: {exc.msg}" if with_line else f"{exc.msg}, column {exc.colno}"


def _read_jsonl(text: str, cf: CorpusFile, result: FileResult, warnings: tuple[str, ...]) -> None:
    for lineno, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except (json.JSONDecodeError, RecursionError) as exc:
            result.problems.append(FileProblem(
                cf.path, f"line {lineno}: not valid JSON ({_json_error(exc)}), skipped", False, "json"))
            continue
        if not isinstance(obj, dict):
            result.problems.append(FileProblem(cf.path, f"line {lineno}: not a JSON object, skipped", False, "json"))
            continue
        story_text, meta = _record_text(obj)
        if story_text is None:
            result.problems.append(FileProblem(cf.path, f"line {lineno}: no text or body, skipped", False, "json"))
            continue
        _add(result, cf, story_text, meta, lineno, warnings)


def _read_json(text: str, cf: CorpusFile, result: FileResult, warnings: tuple[str, ...]) -> None:
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        result.problems.append(FileProblem(cf.path, f"not valid JSON ({_json_error(exc, True)})", True, "json"))
        return
    items = data if isinstance(data, list) else [data]
    for i, obj in enumerate(items, 1):
        pos = i if isinstance(data, list) else None
        story_text = None
        if isinstance(obj, dict):
            story_text, meta = _record_text(obj)
        if story_text is None:
            result.problems.append(FileProblem(cf.path, f"item {i}: not a story object with text or body, skipped", False, "json"))
            continue
        _add(result, cf, story_text, meta, pos, warnings)


_DOC_RE = re.compile(r"<DOC\b([^>]*)>(.*?)(?=</DOC\s*>|<DOC\b|\Z)", re.IGNORECASE | re.DOTALL)
_ATTR_RE = re.compile(r"""(\w+)\s*=\s*(?:"([^"]*)"|'([^']*)'|(\S+))""")
_TAG_RE = re.compile(r"<[^<>]{0,200}>")
_GIGAWORD_ID = re.compile(r"^([A-Za-z]{2,4})_([A-Za-z]{3})_(\d{8})(?:\.\d+)?$")


def _element(name: str, doc: str) -> str | None:
    m = re.search(rf"<{name}\b[^>]*>(.*?)(?:</{name}\s*>|(?=<(?:HEADLINE|DATELINE|TEXT)\b)|\Z)", doc, re.IGNORECASE | re.DOTALL)
    return m.group(1) if m else None


def _clean(fragment: str) -> str:
    return html.unescape(_TAG_RE.sub(" ", fragment))


def _read_sgml(text: str, cf: CorpusFile, result: FileResult, warnings: tuple[str, ...]) -> None:
    for number, m in enumerate(_DOC_RE.finditer(text), 1):
        attrs = {a.group(1).lower(): next(g for g in a.groups()[1:] if g is not None) for a in _ATTR_RE.finditer(m.group(1))}
        doc = m.group(2)
        meta: dict[str, Any] = {}
        if attrs.get("id"):
            meta["id"] = attrs["id"]
            gw = _GIGAWORD_ID.match(attrs["id"])
            if gw:
                meta["agency"] = gw.group(1)
                meta["date"] = f"{gw.group(3)[:4]}-{gw.group(3)[4:6]}-{gw.group(3)[6:]}"
        if attrs.get("type"):
            meta["type"] = attrs["type"]
        headline = _element("HEADLINE", doc)
        dateline = _element("DATELINE", doc)
        body = _element("TEXT", doc)
        if body is None:
            body = _TAG_RE.sub("\n", re.sub(r"<(HEADLINE|DATELINE)\b.*?</\1\s*>", "", doc, flags=re.I | re.S))
        paragraphs = re.findall(r"<P\b[^>]*>(.*?)(?=</P\s*>|<P\b|\Z)", body, re.IGNORECASE | re.DOTALL)
        if paragraphs:
            paras = [" ".join(_clean(p).split()) for p in paragraphs]
        else:
            paras = [" ".join(p.split()) for p in re.split(r"\n\s*\n", _clean(body))]
        paras = [p for p in paras if p]
        head = " ".join(_clean(headline).split()) if headline else ""
        if head:
            meta["headline"] = head
        line = " ".join(_clean(dateline).split()) if dateline else ""
        if line and paras:
            paras[0] = f"{line} - {paras[0]}" if not re.search(r"[-–—]\s*$", line) else f"{line} {paras[0]}"
        story_text = "\n\n".join(([head] if head else []) + paras)
        _add(result, cf, story_text, meta, number, warnings)


# ----------------------------------------------------------------- corpus

def read_corpus(paths: list[str | Path], config: CorpusConfig | None = None) -> Iterator[FileResult]:
    """Read every file under ``paths`` in order, one :class:`FileResult` each.

    Problems found while walking (symlink loops, links out of the corpus)
    come first, as results with no story.
    """
    walk_problems: list[FileProblem] = []
    files = list(iter_corpus_files(paths, config, walk_problems))
    for problem in walk_problems:
        yield FileResult(problem.path, [], [problem])
    for cf in files:
        yield read_file(cf)


def bundled_corpus() -> Path:
    """The folder of the corpus shipped with Dépêche (installed or checkout)."""
    from importlib.resources import files

    return Path(str(files("corpus")))
