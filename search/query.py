"""The query language: from what a user types to a Whoosh query.

- Words go through the index's French analysis (accents, case, elision,
  inflection); the default between words is AND.
- Operators in English and French: ``AND``/``ET``, ``OR``/``OU``,
  ``NOT``/``SAUF``/``NON``, parentheses, ``+word`` / ``-word``; Europresse's
  ``&``, ``|``, ``!``; lower-case ``et``/``ou``/``sauf`` between two terms;
  proximity ``w/n``, ``pre/n``, ``near/n`` (Factiva ``nearN``, ``adjN``),
  ``atleastN word``, ``frap$2``, ``=avions``, ``hlp:``/``chapo:`` (read by
  :mod:`search.operators` before Whoosh's parser).
- ``"exact phrases"`` (stop words keep their slots), proximity
  ``"frappes russes"~5`` (every word counted), truncation ``frap*`` (also
  inside phrases), ``?`` one letter of a raw word, fuzzy ``Poutinne~``
  (``~2`` for two edits, no more; no fixed prefix).
- Fields, English or French: agency/agence, translator/traducteur,
  author/auteur, editor/editeur, place/lieu, headline/titre, body/texte,
  desk/service, version, date, and every other name the field table
  (:mod:`indexer.fields`) declares. Values ignore case and accents.
- Dates: ``date:2015``, ``date:2015-11``, ``date:2015-11-20``,
  ``date:[2015-11-01 TO 2015-11-30]``, ``date:2015-11-01..2015-11-30``, and
  open ends (``date:2015-11..``, ``date:..2015``).
- Boosts: ``syrie^2`` weighs a word, a phrase or a group (``(a b)^3``)
  twice (three times) in the ranking.

Every query is bounded, so that none can take the machine:

- a query holds at most :data:`MAX_QUERY_CHARS` characters and each of its
  words at most :data:`MAX_WORD_CHARS` (Whoosh's parser takes a time
  quadratic in the length of a word);
- a truncation, wildcard, fuzzy word or range reaches at most
  :data:`MAX_EXPANSION` index words, and a query holds at most
  :data:`MAX_EXPANSIONS` of them; beyond, the search is refused with
  :class:`TooBroadError` (never a silently partial result).

A malformed query raises :class:`QueryError`, which says what and where.
"""

from __future__ import annotations

import re

from whoosh import qparser, query
from whoosh.query.spans import SpanNear2

from indexer.analysis import fold_word
from indexer.fields import DATE, EXACT, FIELDS, TEXT
from search.operators import OperatorError, placeholder_query, translate

#: Query field name -> index field: every name the field table declares
#: (``date`` becomes a range on the ``day`` field).
FIELD_ALIASES = {name: ("day" if FIELDS[field].index == DATE else field)
                 for name, field in FIELDS.query_names().items()}
_FIELD_NAMES = FIELDS.describe_query_names() + ", hlp/chapo (headline and lead), lead"
# The index's lead (first paragraph) is a field of the index, not of the record.
FIELD_ALIASES["lead"] = "lead"
#: Query field names that stand for several index fields: the headline and
#: the lead (Factiva's ``hlp``, the French *chapô*).
MULTI_FIELDS = {"hlp": ("headline", "lead"), "chapo": ("headline", "lead")}
#: Fields whose words are analyzed (stemmed); bare words look in them.
_TEXT_FIELDS = tuple(f.name for f in FIELDS.with_index(TEXT))
#: Fields holding one folded value, compared whole.
_EXACT_FIELDS = frozenset(f.name for f in FIELDS.with_index(EXACT))
_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")

#: The longest query read (characters).
MAX_QUERY_CHARS = 2_000
#: The longest word of a query (characters): no French word comes near.
MAX_WORD_CHARS = 100
#: The most index words one truncation, wildcard, fuzzy word or range may
#: reach in one field (Lucene's classic clause limit).
MAX_EXPANSION = 1_024
#: The most truncations, wildcards, fuzzy words and ranges in one query.
MAX_EXPANSIONS = 16
_LONG_WORD_RE = re.compile(r'[^\s()"]{%d,}' % (MAX_WORD_CHARS + 1))
_BOOST_RE = re.compile(r"\^(\d+(?:\.\d+)?)$")


class SearchError(Exception):
    """Base of the errors the search package raises on purpose."""


class QueryError(SearchError):
    """A malformed query: what is wrong and where (0-based character)."""

    def __init__(self, query_text: str, position: int | None, message: str):
        self.query = query_text
        self.position = position
        self.message = message
        where = f" at character {position + 1}" if position is not None else ""
        super().__init__(f"bad query{where}: {message}")


class TooBroadError(SearchError):
    """A truncation, wildcard, fuzzy word or range that reaches more than
    ``limit`` index words: the search is refused rather than cut short."""

    def __init__(self, pattern: str, limit: int = MAX_EXPANSION):
        self.pattern = pattern
        self.limit = limit
        self.hint = "give it more letters, or search words"
        super().__init__(f"{pattern!r} is too broad: it reaches more than {limit:,} words of the index")


def check_size(text: str) -> None:
    """Refuse a query too long, or with a word too long, to be read quickly.

    >>> check_size("frappes " + "x" * 101)
    Traceback (most recent call last):
    ...
    search.query.QueryError: bad query at character 9: a word of 101 characters; words are at most 100
    """
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(text, None, f"{len(text):,} characters; a query is at most {MAX_QUERY_CHARS:,}")
    m = _LONG_WORD_RE.search(text)
    if m:
        raise QueryError(text, m.start(), f"a word of {len(m.group()):,} characters; "
                                          f"words are at most {MAX_WORD_CHARS}")


def check_date(value: str, text: str, pos: int) -> tuple[str, str]:
    """A date or partial date -> (lowest, highest) day strings it covers."""
    m = _DATE_RE.match(value)
    if not m:
        raise QueryError(text, pos, f"{value!r} is not a date: use YYYY, YYYY-MM or YYYY-MM-DD")
    y, mo, d = m.groups()
    if mo and not 1 <= int(mo) <= 12:
        raise QueryError(text, pos, f"{value!r}: no month {mo}")
    if d and not 1 <= int(d) <= 31:
        raise QueryError(text, pos, f"{value!r}: no day {d}")
    if d:
        return value, value
    if mo:
        return f"{y}-{mo}-00", f"{y}-{mo}-99"
    return f"{y}-00-00", f"{y}-99-99"


def _date_clause(value: str, text: str, pos: int) -> str:
    """Rewrite the value of ``date:`` as a range on the ``day`` field."""
    inner = value
    if value.startswith("["):
        if not value.endswith("]"):
            raise QueryError(text, pos, "a date range needs its closing ]")
        parts = re.split(r"(?:^|\s+)(?:TO|A|À|AU)(?:\s+|$)", value[1:-1].strip(), flags=re.IGNORECASE)
        if len(parts) != 2:
            raise QueryError(text, pos, "a date range is [FROM TO TO], either end may be empty")
        lo, hi = parts
    elif ".." in value:
        lo, hi = value.split("..", 1)
    else:
        lo, hi = check_date(inner, text, pos)
        return f'day:[{lo} TO {hi}]'
    lo = lo.strip()
    hi = hi.strip()
    if not lo and not hi:
        raise QueryError(text, pos, "a date range needs at least one end")
    lo_s = check_date(lo, text, pos)[0] if lo else ""
    hi_s = check_date(hi, text, pos)[1] if hi else ""
    if lo_s and hi_s and lo_s > hi_s:
        raise QueryError(text, pos, f"the range starts after it ends: {lo} > {hi}")
    return f"day:[{lo_s} TO {hi_s}]".replace("[ TO", "[TO").replace("TO ]", "TO]")


_TOKEN_RE = re.compile(
    r'[+\-]?[^\W\d][\w\-]*:(?:"[^"]*"?|\[[^\]]*\]?|[^\s()"]*)'  # field:value, field:"...", field:[...]
    r'|"[^"]*"?(?:~\d+)?|\[[^\]]*\]?|\(|\)|[^\s()"]+'
)
_FIELD_RE = re.compile(r"^([^\W\d][\w\-]*):(.*)$", re.UNICODE)


def _rewrite(text: str) -> str:
    """Check the query's structure and rewrite field names and dates."""
    pieces: list[str] = []
    opened: list[int] = []
    last = 0
    for m in _TOKEN_RE.finditer(text):
        tok, pos = m.group(), m.start()
        new = tok
        if tok == "(":
            opened.append(pos)
        elif tok == ")":
            if not opened:
                raise QueryError(text, pos, "a ) closes no (")
            opened.pop()
        elif tok.startswith('"') and (len(tok) == 1 or not re.search(r'"(~\d+)?$', tok[1:])):
            raise QueryError(text, pos, "a quotation mark opens a phrase that is never closed")
        elif "^" in tok and not _boost_ok(text, tok, pos):
            raise QueryError(text, pos + tok.index("^"), "a boost is ^ and a number after a word, "
                                                         'a "phrase" or a (group): syrie^2')
        else:
            fm = _FIELD_RE.match(tok.lstrip("+-"))
            if fm and not re.match(r"^https?:", tok):
                name, value = fm.group(1), fm.group(2)
                prefix = tok[: len(tok) - len(tok.lstrip("+-"))]
                key = name.lower()
                field = FIELD_ALIASES.get(key) or FIELD_ALIASES.get(fold_word(key))
                if field is None:
                    raise QueryError(text, pos, f"unknown field {name!r}; fields: {_FIELD_NAMES}")
                if not value or value in ('"', "["):
                    raise QueryError(text, pos, f"{name}: needs a value")
                if value.startswith('"') and not (len(value) > 1 and value.endswith('"')):
                    raise QueryError(text, pos, "a quotation mark opens a phrase that is never closed")
                if field == "day":
                    if value.startswith('"'):
                        value = value[1:-1]
                    new = prefix + _date_clause(value, text, pos)
                else:
                    new = f"{prefix}{field}:{value}"
        pieces.append(text[last:pos])
        pieces.append(new)
        last = m.end()
    pieces.append(text[last:])
    if opened:
        raise QueryError(text, opened[-1], "a ( is never closed")
    return "".join(pieces)


def _boost_ok(text: str, tok: str, pos: int) -> bool:
    """One ``^number`` at the end of a word, or right after a phrase or a group."""
    if tok.count("^") != 1 or not _BOOST_RE.search(tok):
        return False
    if tok.startswith("^"):
        return bool(re.search(r'(?:["\])}]|"~\d+)$', text[:pos]))
    return True


#: The operator words, English and French (the parser reads them in capitals).
OPERATORS = {"AND", "ET", "OR", "OU", "NOT", "SAUF", "NON", "ANDNOT"}


def _check_operators(text: str) -> None:
    words = [(m.group(), m.start()) for m in re.finditer(r'"[^"]*"|\S+', text)]
    for n, (w, pos) in enumerate(words):
        if w in OPERATORS:
            prev = words[n - 1][0] if n else None
            nxt = words[n + 1][0] if n + 1 < len(words) else None
            binary = w not in ("NOT", "SAUF", "NON")
            # "a ET NON b" is fine: only a negation may follow a binary operator.
            negation_next = nxt in ("NOT", "SAUF", "NON")
            if nxt is None or nxt == ")" or (nxt in OPERATORS and not (binary and negation_next)):
                raise QueryError(text, pos, f"{w} needs something after it")
            if binary and (prev is None or prev in OPERATORS or prev == "("):
                raise QueryError(text, pos, f"{w} needs something before it")


def make_parser(schema) -> qparser.QueryParser:
    """The Whoosh parser of the query language (without the rewriting)."""
    parser = qparser.MultifieldParser(list(_TEXT_FIELDS), schema, group=qparser.AndGroup)
    parser.replace_plugin(qparser.OperatorsPlugin(
        And=r"(?<=\s)(AND|ET)(?=\s)",
        Or=r"(?<=\s)(OR|OU)(?=\s)",
        AndNot=r"(?<=\s)ANDNOT(?=\s)",
        AndMaybe=None,
        Not=r"(^|(?<=(\s|[()])))(NOT|SAUF|NON)(?=\s)",
        Require=None,
    ))
    # + and - only at the start of a word: "porte-parole" and "Su-34" are words.
    parser.add_plugin(qparser.PlusMinusPlugin(plusexpr=r"(?:^|(?<=[\s(]))\+", minusexpr=r"(?:^|(?<=[\s(]))-"))
    parser.add_plugin(qparser.FuzzyTermPlugin())
    return parser


def _resolve(name: str) -> tuple[str, ...] | None:
    """The index fields a query field name stands for, or None."""
    key = name.lower()
    if fold_word(key) in MULTI_FIELDS:
        return MULTI_FIELDS[fold_word(key)]
    field = FIELD_ALIASES.get(key) or FIELD_ALIASES.get(fold_word(key))
    return (field,) if field else None


def _fold(text: str) -> str:
    return "".join(fold_word(part) if part not in "*?" else part for part in re.split(r"([*?])", text))


def _adjust(q: query.Query, built: dict | None = None) -> query.Query:
    """Fold what the parser does not analyze; fuzzy terms and ``?`` use
    unstemmed words; placeholders become the queries built for them."""
    made = placeholder_query(q, built) if built else None
    if made is not None:
        return made
    if isinstance(q, query.FuzzyTerm):
        field = "words" if q.fieldname in _TEXT_FIELDS else q.fieldname
        word = fold_word(q.text)
        # No fixed prefix (a typo in the first letters is found too): the
        # engine compares only the words of about the same length.
        return query.FuzzyTerm(field, word, boost=q.boost, maxdist=q.maxdist, prefixlength=0)
    if isinstance(q, query.Wildcard) and "?" in q.text and q.fieldname in _TEXT_FIELDS:
        # ? is one letter of a word as written: the raw words, not the stems.
        return query.Wildcard("words", _fold(q.text.lower()), boost=q.boost)
    if isinstance(q, (query.Prefix, query.Wildcard)):
        folded = _fold(q.text.lower())
        if q.fieldname in _TEXT_FIELDS:
            # The index holds stems: search the unstemmed words, which the
            # truncation was typed against.
            return query.Or([type(q)("words", folded), type(q)(q.fieldname, folded)], boost=q.boost)
        return type(q)(q.fieldname, folded, boost=q.boost)
    if isinstance(q, query.Phrase) and q.slop > 1:
        # Proximity: the words within ``slop`` positions, in any order.
        near = SpanNear2([query.Term(q.fieldname, w) for w in q.words], slop=q.slop, ordered=False)
        return near if q.boost == 1.0 else query.Or([near], boost=q.boost)
    if isinstance(q, query.Term) and q.fieldname in _EXACT_FIELDS:
        return query.Term(q.fieldname, fold_word(str(q.text)), boost=q.boost)
    if isinstance(q, query.TermRange) and q.fieldname == "day":
        return q
    if q.is_leaf():
        return q
    q = q.apply(lambda child: _adjust(child, built))
    if isinstance(q, query.Or) and len(set(q.subqueries)) < len(q.subqueries) and \
            any(isinstance(c, query.Wildcard) and c.fieldname == "words" for c in q.subqueries):
        # m?cron: one words: query, not one per text field.
        q = query.Or(list(dict.fromkeys(q.subqueries)), boost=q.boost)
    return q


def _expansions(q: query.Query) -> set[tuple[str, str]]:
    """The truncations, wildcards, fuzzy words and ranges a user typed (one
    for all the fields a word is looked for in)."""
    if isinstance(q, query.TermRange) and q.fieldname == "day":
        return set()
    if isinstance(q, query.MultiTerm) or isinstance(q, query.TermRange):
        text = getattr(q, "text", None)
        return {(type(q).__name__, str(text if text is not None else
                                       (getattr(q, "start", None), getattr(q, "end", None))))}
    found: set[tuple[str, str]] = set()
    if not q.is_leaf():
        for child in q.children():
            found |= _expansions(child)
    return found


def _errors(q: query.Query):
    if getattr(q, "error", None):
        yield q.error
    if not q.is_leaf():
        for child in q.children():
            yield from _errors(child)


def parse_query(text: str, schema, parser: qparser.QueryParser | None = None) -> query.Query:
    """Parse the query language into a Whoosh query; empty means everything.

    Raises :class:`QueryError` for a malformed query.
    """
    text = (text or "").strip()
    if not text:
        return query.Every()
    check_size(text)
    try:
        tr = translate(text, schema, _resolve, _TEXT_FIELDS)
    except OperatorError as exc:
        raise QueryError(text, exc.position, exc.message) from None
    try:
        _check_operators(tr.text)
        rewritten = _rewrite(tr.text)
    except QueryError as exc:
        message = exc.message
        typed = tr.original_token(exc.position)
        word = message.split(" ", 1)[0]
        if typed and word in OPERATORS and typed != word:
            message = typed + message[len(word):]
        raise QueryError(text, tr.position(exc.position), message) from None
    parser = parser or make_parser(schema)
    try:
        q = parser.parse(rewritten)
    except Exception as exc:  # the third-party parser's own failures are the user's query errors
        raise QueryError(text, None, f"cannot read this query ({type(exc).__name__}: {exc})") from None
    for error in _errors(q):
        raise QueryError(text, None, str(error))
    try:
        q = _adjust(q, tr.built)
    except OperatorError as exc:
        raise QueryError(text, exc.position, exc.message) from None
    if len(_expansions(q)) > MAX_EXPANSIONS:
        raise QueryError(text, None, f"{len(_expansions(q))} truncations, wildcards, fuzzy words and ranges; "
                                     f"a query holds at most {MAX_EXPANSIONS}")
    q = q.normalize()
    if q is query.NullQuery or isinstance(q, query.NullQuery.__class__):
        raise QueryError(text, None, "nothing to search for (only stop words?)")
    return q


__all__ = ["FIELD_ALIASES", "MAX_EXPANSION", "MAX_EXPANSIONS", "MAX_QUERY_CHARS", "MAX_WORD_CHARS",
           "OPERATORS", "QueryError", "SearchError", "TooBroadError", "check_date", "check_size", "make_parser",
           "parse_query"]
