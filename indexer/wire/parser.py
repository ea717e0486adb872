"""From one story's text to a :class:`~indexer.story.Story` record.

Pure: takes strings and a :class:`~indexer.config.CorpusConfig`, returns a
frozen record, reads no file. The rules are written out in docs/formats.md.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from indexer.config import CorpusConfig, compile_debris
from indexer.fields import FIELDS, HEADLINE_FLAGS, VERSION_WORDS as _VERSION_WORDS, FieldTable
from indexer.wire.credits import parse_byline, parse_credits, parse_signatures
from indexer.wire.dateline import UPPER, LOWER, canonical_agency, parse_dateline
from indexer.wire.dates import resolve_date
from indexer.story import Story

#: Whole lines that are web-page furniture, not story text.
DEFAULT_DEBRIS = (
    r"le",                                   # share widget (the seed)
    r"\d+",                                  # share counter
    r"Vous devez être membre pour ajouter des commentaires\.?",
    r"Devenez membre,? ou connectez-vous\.?",
    r"Aucun commentaire n['’]est disponible pour l['’]instant\.?",
    r"Partager( sur (Facebook|Twitter|LinkedIn))?|Facebook|Twitter|Tweeter|LinkedIn|WhatsApp",
    r"Envoyer( par e-?mail)?|Imprimer|E-?mail|Réagir|Commenter",
    r"Publicité|PUBLICITÉ|Advertisement",
    r"(À|A) lire aussi\b.*|Lire aussi\s*:.*|Voir aussi\s*:.*",
    r"©.*|Copyright\b.*|.*\bTous droits réservés\.?",
)

_VERSION_RE = re.compile(
    r"^\s*\((?P<note>(?P<word>" + "|".join(_VERSION_WORDS) + r")\b[^()]*(?:\([^()]*\)[^()]*)*)\)\s*",
    re.IGNORECASE,
)
_HEADLINE_FLAG = re.compile(r"^\s*(?P<flag>" + "|".join(v.upper() for v in HEADLINE_FLAGS) + r")\b\s*(?:[-–—:]+\s*)?", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?»\"”)…:]\s*$")
_CAPS_PARAGRAPH = re.compile(rf"^[{UPPER}0-9][{UPPER}0-9'’\-,:\s]*[{UPPER}0-9]$")
_AFP_SUBHEAD = re.compile(r"^[-–—]\s+(?P<text>[^\n]{2,120}?)\s+[-–—]$")
_CAPS_WORD = rf"[{UPPER}][{UPPER}'’\-]*[{UPPER}]"
_INLINE_SUBHEAD = re.compile(
    rf"(?<=[.!?»\"”])\s+(?P<sub>{_CAPS_WORD}(?:\s+(?:{_CAPS_WORD}|[{UPPER}]|\d+)){{1,7}})"
    rf"\s+(?=[{UPPER}][{LOWER}])"
)
# A closing parenthesis that stands alone or follows the end of a sentence.
_CREDITS_TAIL = re.compile(r"(?:^|(?<=[.!?»\"”…])\s*)\((?P<inner>[^()]*(?:\([^()]*\)[^()]*)*)\)\s*$")


@dataclass
class _Draft:
    """What the parser has found so far (mutable while parsing)."""

    headline: str | None = None
    agency: str | None = None
    places: tuple[str, ...] = ()
    authors: list[str] = field(default_factory=list)
    translators: list[str] = field(default_factory=list)
    editors: list[str] = field(default_factory=list)
    desk: str | None = None
    update_note: str | None = None
    version: str | None = None
    subheads: list[str] = field(default_factory=list)
    signatures: tuple[str, ...] = ()
    warnings: list[str] = field(default_factory=list)
    day: int | None = None
    month: int | None = None
    year: int | None = None


# Unicode category Cc but newline and tab.
_CONTROL_CHARS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
#: Invisible characters that split a word for a tokenizer: zero-width space,
#: non-joiner and joiner, word joiner, soft hyphen (taken out inside words).
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\u00ad]")
_INVISIBLE_IN_WORD = re.compile(r"(?<=\w)[\u200b\u200c\u200d\u2060\u00ad]+(?=\w)")


def normalize_text(text: str) -> str:
    """NFC, unified line ends, no control characters but newline and tab, no
    invisible character inside a word.

    >>> normalize_text("e\\u0301te\\r\\nx\\x00")
    'éte\\nx'
    >>> normalize_text("gouver\\u200bnement, pro\\u00adjet")
    'gouvernement, projet'
    """
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _CONTROL_CHARS.sub("", text)
    return _INVISIBLE_IN_WORD.sub("", text) if _INVISIBLE.search(text) else text


def make_id(relpath: str, position: int | None = None) -> str:
    """A stable story id from the path in the corpus and the position in the file.

    >>> make_id("reuters/2015/11/20/000_b7a2240e7e7e77b8.txt")
    '782a30753b36d0c8'
    """
    key = relpath.replace("\\", "/") + (f"#{position}" if position is not None else "")
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


_DEFAULT_DEBRIS_RES = [re.compile(p, re.IGNORECASE) for p in DEFAULT_DEBRIS]


def _debris_res(config: CorpusConfig) -> list:
    """The debris patterns: ours with ``re``, the corpus's own with RE2 (a
    user's pattern must not be able to hang a run by backtracking)."""
    user = []
    for p in config.debris:
        try:
            user.append(compile_debris(p))
        except ValueError:  # refused when the corpus.yaml was read
            continue
    return _DEFAULT_DEBRIS_RES + user


def _is_debris(line: str, debris: list[re.Pattern]) -> bool:
    s = line.strip()
    return bool(s) and any(rx.fullmatch(s) for rx in debris)


def split_paragraphs(lines: list[str]) -> list[str]:
    """Paragraphs from lines: blank lines separate; hard-wrapped lines join.

    >>> split_paragraphs(["Une phrase qui", "continue.", "", "Autre."])
    ['Une phrase qui continue.', 'Autre.']
    """
    paragraphs: list[str] = []
    current: list[str] = []

    def flush():
        if current:
            paragraphs.append(" ".join(current))
            current.clear()

    for raw in lines:
        if not raw.strip(" \t\n"):  # a blank line (what _squash would make empty), at no regex's cost
            flush()
            continue
        line = _squash(raw)
        standalone = bool(_CAPS_PARAGRAPH.match(line) or _AFP_SUBHEAD.match(line))
        if standalone:
            flush()
            paragraphs.append(line)
            continue
        current.append(line)
        if _SENTENCE_END.search(line):
            flush()
    flush()
    return paragraphs


def _take_version(text: str, draft: _Draft) -> str:
    m = _VERSION_RE.match(text)
    if m and draft.version is None:
        draft.version = _VERSION_WORDS[m.group("word").lower()]
        draft.update_note = " ".join(m.group("note").split())
        return text[m.end():]
    return text


def _split_inline_subheads(paragraph: str, draft: _Draft) -> list[str]:
    out: list[str] = []
    pos = 0
    for m in _INLINE_SUBHEAD.finditer(paragraph):
        sub = m.group("sub")
        letters = [c for c in sub if c.isalpha()]
        if len(letters) < 6:
            continue
        out.append(paragraph[pos:m.start()].strip())
        out.append(sub)
        draft.subheads.append(sub)
        pos = m.end()
    out.append(paragraph[pos:].strip())
    return [p for p in out if p]


def parse_story(
    text: str,
    *,
    source: str = "",
    relpath: str | None = None,
    position: int | None = None,
    metadata: dict[str, Any] | None = None,
    config: CorpusConfig | None = None,
    warnings: tuple[str, ...] = (),
) -> Story:
    """Parse one story's text into a record. Never raises on any string.

    ``metadata`` (front matter, JSON keys, SGML attributes) overrides what the
    text says; ``relpath`` (the path inside the corpus) gives the id when the
    metadata has none, and a date when the path holds one.

    >>> s = parse_story("Titre\\n\\nPARIS, 20 nov 2015 (AFP) - Le texte.\\n\\nabc-fb/jmt")
    >>> s.headline, s.agency, s.places, s.date, s.date_source, s.signatures
    ('Titre', 'AFP', ('Paris',), '2015-11-20', 'text', ('abc', 'fb', 'jmt'))
    """
    config = config or CorpusConfig()
    metadata = dict(metadata or {})
    for f in _ALIASED:  # a well-known key of another export (tags, outlet, rubrique...)
        if metadata.get(f.name) in (None, "", [], ()):
            alias = next((a for a in f.meta_aliases if metadata.get(a) not in (None, "", [], ())), None)
            if alias is not None:
                metadata[f.name] = metadata.pop(alias)
    metadata, meta_warnings = clean_metadata(metadata)
    draft = _Draft(warnings=list(warnings) + meta_warnings)
    text = normalize_text(text if isinstance(text, str) else str(text))
    debris = _debris_res(config)
    aliases = config.agency_aliases

    lines = [ln for ln in text.split("\n") if not ln or not _is_debris(ln, debris)]
    meta_headline = metadata.get("headline") or metadata.get("title")
    meta_headline = _squash(str(meta_headline)) if meta_headline else None

    # Headline: the first non-empty line, unless the metadata gives one that
    # the text does not repeat, or the first line is already the story.
    while lines and not lines[0].strip():
        lines.pop(0)
    if lines:
        first = _squash(lines[0])
        if meta_headline:
            if _same_headline(first, meta_headline):
                lines.pop(0)
        elif not (parse_dateline(first, aliases) or _VERSION_RE.match(first) or len(first) > 250) and len(lines) > 1:
            draft.headline = first
            lines.pop(0)
    if draft.headline:
        m = _HEADLINE_FLAG.match(draft.headline)
        if m and len(draft.headline) > m.end():
            draft.version = m.group("flag").lower()
            draft.headline = draft.headline[m.end():].strip()

    paragraphs = split_paragraphs(lines)

    # Byline before the dateline (AFP).
    if paragraphs and (name := parse_byline(paragraphs[0])):
        draft.authors.append(name)
        paragraphs.pop(0)

    # Update note and dateline at the start of the body.
    if paragraphs:
        first = _take_version(paragraphs[0], draft)
        dl = parse_dateline(first, aliases)
        if dl:
            draft.places, draft.agency = dl.places, dl.agency or draft.agency
            draft.day, draft.month, draft.year = dl.day, dl.month, dl.year
            first = first[dl.end:]
            first = _take_version(first, draft)
        paragraphs[0] = first.strip()
        if not paragraphs[0]:
            paragraphs.pop(0)
        # An update note alone on its line before the dateline paragraph.
        if paragraphs and not dl and draft.update_note and (dl := parse_dateline(paragraphs[0], aliases)):
            draft.places, draft.agency = dl.places, dl.agency or draft.agency
            draft.day, draft.month, draft.year = dl.day, dl.month, dl.year
            paragraphs[0] = paragraphs[0][dl.end:].strip()
            if not paragraphs[0]:
                paragraphs.pop(0)
    if paragraphs and (name := parse_byline(paragraphs[0])):
        draft.authors.append(name)
        paragraphs.pop(0)

    # Signatures and credits at the end.
    if paragraphs and (sig := parse_signatures(paragraphs[-1], aliases)) is not None:
        draft.signatures = sig
        paragraphs.pop()
    if paragraphs:
        m = _CREDITS_TAIL.search(paragraphs[-1])
        credits = parse_credits(m.group("inner"), aliases) if m else None
        if credits:
            draft.authors += [a for a in credits.authors if a not in draft.authors]
            draft.translators += credits.translators
            draft.editors += credits.editors
            draft.desk = credits.desk
            paragraphs[-1] = paragraphs[-1][:m.start()].strip()
            if not paragraphs[-1]:
                paragraphs.pop()
    if paragraphs and not draft.signatures and (sig := parse_signatures(paragraphs[-1], aliases)) is not None:
        draft.signatures = sig
        paragraphs.pop()

    # Subheads.
    body_paragraphs: list[str] = []
    for p in paragraphs:
        m = _AFP_SUBHEAD.match(p)
        if m:
            draft.subheads.append(m.group("text").strip())
            body_paragraphs.append(p)
        elif _CAPS_PARAGRAPH.match(p) and sum(c.isalpha() for c in p) >= 4:
            draft.subheads.append(p)
            body_paragraphs.append(p)
        else:
            body_paragraphs.extend(_split_inline_subheads(p, draft))
    body = "\n\n".join(body_paragraphs)

    return _finish(draft, body, metadata, config, source, relpath, position)


_SPACES = re.compile(r"[ \t\n]+")


def _squash(text: str) -> str:
    """Runs of spaces and tabs made one space; non-breaking spaces are kept."""
    return _SPACES.sub(" ", text).strip(" \t\n")


def _same_headline(a: str, b: str) -> bool:
    def norm(s: str) -> str:
        return re.sub(r"\W+", " ", s).strip().lower()
    return norm(a) == norm(b)


def _as_list(value) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        if value.strip().startswith("[") and value.strip().endswith("]"):
            # A list written as text: "['santé', 'virus']" or '["a", "b"]'.
            items = re.findall(r"'([^']*)'|\"([^\"]*)\"", value)
            if items:
                return tuple(s.strip() for pair in items for s in pair if s.strip())
        return tuple(v.strip() for v in re.split(r"\s*[;,]\s*", value) if v.strip())
    if isinstance(value, (list, tuple)):
        return tuple(str(v).strip() for v in value if v is not None and str(v).strip())
    return (str(value),)


#: Metadata keys read by their own rules below, not copied as they are.
_READ_APART = ("id", "date", "agency")


def metadata_keys(table: FieldTable = FIELDS) -> tuple[tuple[str, ...], tuple[str, ...], frozenset[str]]:
    """The fields a story's metadata sets when it has a key of their name
    (one value, then lists), and every metadata key that is not kept in
    ``meta`` (the story's own fields, the text, the title)."""
    taken = [f for f in table if f.metadata and f.name not in _READ_APART]
    known = frozenset({"title", "text", "body", *(f.name for f in table if f.metadata),
                       *(a for f in table for a in f.meta_aliases)})
    return tuple(f.name for f in taken if not f.many), tuple(f.name for f in taken if f.many), known


_OVERRIDES_SCALAR, _OVERRIDES_LIST, _KNOWN_META = metadata_keys()
_TEXT_META = ("id", "title", "agency", *_OVERRIDES_SCALAR)
_ALIASED = tuple(f for f in FIELDS if f.meta_aliases)


def _finish(draft: _Draft, body: str, metadata: dict[str, Any], config: CorpusConfig,
            source: str, relpath: str | None, position: int | None) -> Story:
    values: dict[str, Any] = {
        "headline": draft.headline,
        "desk": draft.desk,
        "update_note": draft.update_note,
        "version": draft.version,
        "places": draft.places,
        "authors": tuple(dict.fromkeys(draft.authors)),
        "translators": tuple(dict.fromkeys(draft.translators)),
        "editors": tuple(dict.fromkeys(draft.editors)),
    }
    for key in _OVERRIDES_SCALAR:
        value = metadata.get(key) if key != "headline" else (metadata.get("headline") or metadata.get("title"))
        if value not in (None, ""):
            values[key] = _squash(str(value))
    for key in _OVERRIDES_LIST:
        if metadata.get(key) not in (None, "", []):
            values[key] = _as_list(metadata[key])
    if values["version"] is not None:
        values["version"] = _VERSION_WORDS.get(values["version"].lower(), values["version"].lower())

    agency = draft.agency
    if metadata.get("agency") not in (None, ""):
        agency = canonical_agency(str(metadata["agency"]), config.agency_aliases)
    elif agency is None and config.agency:
        agency = canonical_agency(config.agency, config.agency_aliases)

    resolved = resolve_date(
        day=draft.day, month=draft.month, year=draft.year,
        metadata_date=metadata.get("date"), path=relpath or source,
        years=config.years, lead=body,
    )
    meta_id = metadata.get("id")
    story_id = str(meta_id).strip() if meta_id is not None else ""
    if not story_id:  # no id given, or a blank one
        story_id = make_id(relpath if relpath is not None else source, position)
    extra = {k: v for k, v in metadata.items() if k not in _KNOWN_META and v is not None}
    return Story(
        id=story_id,
        agency=agency,
        date=resolved.date,
        date_source=resolved.source,
        subheads=tuple(draft.subheads),
        body=body,
        signatures=draft.signatures,
        source=source + (f":{position}" if position is not None else ""),
        warnings=tuple(draft.warnings) + resolved.warnings,
        meta=extra,  # made plain by clean_metadata
        **values,
    )


def clean_metadata(metadata: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Metadata with every value usable, and a warning for each value dropped.

    A field of text (id, headline, agency...) takes a string, a number or a
    date; a list field (places, authors...) a string or a list of them; any
    other value is JSON-safe (dates become ISO strings, sets sorted lists,
    binary values their UTF-8 text). A value that cannot be used costs that
    field only, with a ``metadata`` warning naming it.

    >>> clean_metadata({"id": ["a"], "tags": {"b", "a"}, "blob": b"salut", "places": ["Paris", {"x": 1}]})
    ({'tags': ['a', 'b'], 'blob': 'salut', 'places': ['Paris']}, \
["metadata: id: ['a'] is not text, ignored", "metadata: places: {'x': 1} is not text, ignored"])
    """
    out: dict[str, Any] = {}
    warnings: list[str] = []

    def refuse(key: str, value: Any, what: str = "is not text") -> None:
        shown = repr(value)
        warnings.append(f"metadata: {key}: {shown if len(shown) <= 60 else shown[:57] + '...'} {what}, ignored")

    for key, value in metadata.items():
        key = str(key)
        if value is None:
            continue
        if key in _TEXT_META:
            text = _scalar_text(value)
            if text is None:
                refuse(key, value)
            else:
                out[key] = text
        elif key in _OVERRIDES_LIST:
            if isinstance(value, (set, frozenset)):  # YAML's !!set
                value = sorted(value, key=str)
            items = value if isinstance(value, (list, tuple)) else [value]
            kept = []
            for item in items:
                text = _scalar_text(item) if item is not None else None
                if text is None:
                    if item is not None:
                        refuse(key, item)
                else:
                    kept.append(text)
            if kept or not items:
                out[key] = kept if isinstance(value, (list, tuple)) else kept[0]
        elif key == "date":
            out[key] = value  # resolve_date warns about a date it cannot read
        else:
            plain = _plain(value, key, refuse)
            if plain is not _DROPPED:
                out[key] = plain
    return out, warnings


_DROPPED = object()


def _scalar_text(value: Any) -> str | None:
    """A string, a finite number or a date as text; None for anything else."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return None
    if isinstance(value, int) or (isinstance(value, float) and math.isfinite(value)):
        return str(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return None


def _plain(value, key: str = "", refuse=None):
    """Metadata made JSON-safe (dates become ISO strings, sets sorted lists,
    binary values their text); what cannot be is dropped through ``refuse``."""
    def drop(v, what):
        if refuse is not None:
            refuse(key, v, what)
        return _DROPPED

    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            p = _plain(v, f"{key}.{k}", refuse)
            if p is not _DROPPED:
                out[str(k)] = p
        return out
    if isinstance(value, (set, frozenset)):
        value = sorted(value, key=lambda v: (type(v).__name__, str(v)))
    if isinstance(value, (list, tuple)):
        items = (_plain(v, key, refuse) for v in value)
        return [v for v in items if v is not _DROPPED]
    if isinstance(value, float) and not math.isfinite(value):
        return drop(value, "is not a finite number")
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (bytes, bytearray)):
        try:
            text = bytes(value).decode("utf-8")
        except UnicodeDecodeError:
            return drop(value, "is binary data, not text")
        if _CONTROL_CHARS.search(text.replace("\t", "").replace("\n", "")):
            return drop(value, "is binary data, not text")
        return text
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)
