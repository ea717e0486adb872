"""Documentalists' operators: Europresse and Factiva spellings, proximity,
frequency, bounded truncation, exact forms, phrases counted word by word.

:func:`translate` reads a query before the core parser does
(:mod:`search.query`): it spells the operators the parser knows in its own
words (``&`` -> ``AND``, ``|`` -> ``OR``, ``!`` -> ``NOT``, lower-case
``ou``/``et``/``sauf`` between two terms -> ``OU``/``ET``/``SAUF``), and it
replaces each piece the parser cannot build (phrases, ``w/n``, ``pre/n``,
``near/n``, ``atleastN``, ``frap$2``, ``="avions"``) with a placeholder word
whose query it builds itself (:class:`Translation`). Whatever it does not
understand raises :class:`OperatorError` with the character it stands at.

Phrases are built here so that a stop word keeps its slot (the index counts
every word's position): ``"ministre de la santé"`` wants *santé* three words
after *ministre*; a truncation inside a phrase (``"frap* aérien*"``) stands
for the stems of the words it reaches.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

from whoosh import query as wq
from whoosh.query.spans import SpanNear2

from indexer.analysis import ELISIONS, fold_word, is_stop_word, split_word, word_terms
from indexer.analysis.folding import WORD_RE
from search.qtypes import WORDS, AtLeast, Truncation

#: The largest distance of a proximity (``w/n``, ``near/n``, ``"a b"~n``):
#: Factiva's largest.
MAX_DISTANCE = 500
#: The most occurrences ``atleastN`` counts (Factiva: 50).
MAX_ATLEAST = 50
#: The most letters ``$n`` adds (Factiva: 9).
MAX_UPTO = 9
#: The largest edit distance of a fuzzy word: beyond 2, a word of five
#: letters reaches most of the index.
MAX_FUZZY = 2

#: Symbols -> the parser's operator words (Europresse).
SYMBOLS = {"&": "AND", "|": "OR", "!": "NOT"}
#: Lower-case French operators, when they stand between two terms.
LOWER_OPERATORS = {"ou": "OU", "et": "ET", "sauf": "SAUF"}
#: The operator words of the core parser.
CORE_OPERATORS = {"AND", "ET", "OR", "OU", "NOT", "SAUF", "NON", "ANDNOT"}
_NEGATIONS = {"NOT", "SAUF", "NON"}

_TOKEN_RE = re.compile(
    r'[+\-]?[^\W\d][\w\-]*:(?:="[^"]*"?|"[^"]*"?(?:~[^\s()"^]*)?|\[[^\]]*\]?|[^\s()"]*)'
    r'|[+\-]?="[^"]*"?'
    r'|[+\-]?"[^"]*"?(?:~[^\s()"^]*)?'
    r'|\[[^\]]*\]?|\(|\)|[^\s()"]+'
)
_FIELD_RE = re.compile(r"^([+\-]?)([^\W\d][\w\-]*):(.*)$", re.DOTALL)
_BOOST_RE = re.compile(r"\^[^\^]*$")
#: ``w/5``, ``pre/5``, ``near/5`` (Nexis, Factiva), ``near5``, ``adj5``, ``adj`` (Factiva).
_PROXIMITY_RE = re.compile(r"^(?:(w|pre|near|adj)/(.*)|(near|adj)(\d+)|(adj))$", re.IGNORECASE)
_ATLEAST_RE = re.compile(r"^atleast(.*)$", re.IGNORECASE)
#: Operators of other systems this language does not have.
_FOREIGN = {
    "same": "same (in the same paragraph, Factiva) is not supported: use w/n or near/n",
    "prox": "prox is not an operator here: use w/n (any order) or pre/n (in order)",
    "%": "% (exactly one word between, Factiva) is not supported: use pre/2",
    "onear": "onear is not an operator here: use pre/n (in order)",
}
_FOREIGN_RE = re.compile(r"^(?:(same|prox|onear)(?:/?\d*)|(%))$|/[nf]\d+/|^wc[<>]", re.IGNORECASE)
_UNKNOWN_OP_RE = re.compile(r"^[^\W\d_]+/\d*$")
_FUZZY_RE = re.compile(r"^([^~]+)~(\d*)$")
_UPTO_RE = re.compile(r"^([^$*?]+)\$(\d*)$")
_PLACEHOLDER = "qxph{}qx"


class OperatorError(Exception):
    """What is wrong with an operator, and where (0-based character)."""

    def __init__(self, position: int, message: str):
        self.position = position
        self.message = message
        super().__init__(message)


@dataclass
class Translation:
    """A query in the core parser's words, the placeholders' queries, and
    where each piece of it stood in what the user typed."""

    text: str
    built: dict[str, Callable[[], wq.Query]] = field(default_factory=dict)
    #: (start in ``text``, start in the original, length in ``text``, the original token).
    pieces: list[tuple[int, int, int, str]] = field(default_factory=list)

    def position(self, pos: int | None) -> int | None:
        """The character of the original query a character of ``text`` comes from."""
        if pos is None:
            return None
        for start, orig, length, _ in self.pieces:
            if start <= pos < start + max(length, 1):
                return orig
        shift = 0
        for start, orig, length, token in self.pieces:
            if start + length <= pos:
                shift = orig + len(token) - (start + length)
        return pos + shift

    def original_token(self, pos: int | None) -> str | None:
        for start, _, length, token in self.pieces:
            if pos is not None and start <= pos < start + max(length, 1):
                return token
        return None


@dataclass
class _Tok:
    text: str
    start: int
    kind: str = "term"     # term, op (core operator), prox, atleast, open, close
    value: object = None    # the operator word, or a proximity's (distance, ordered)


# ------------------------------------------------------------------ analysis helpers
def stemmer_of(schema, fieldname: str) -> tuple[bool, str | None]:
    """(whether it has positions, its stemmer or None) for a field of the schema."""
    from indexer.index.fastindex import fast_path_stemmer

    if fieldname not in schema:
        return False, None
    f = schema[fieldname]
    positional = bool(f.format and f.format.supports("positions"))
    ok, stemmer = fast_path_stemmer(f.analyzer) if f.analyzer is not None else (False, None)
    return positional and ok, stemmer


def _strip_elision(raw: str) -> str:
    m = re.match(r"^([^\W\d_]+)['’]", raw)
    if m and fold_word(m.group(1)) in ELISIONS:
        return raw[m.end():]
    return raw


def _fold_pattern(raw: str) -> str:
    """A truncation as typed -> folded, wildcards kept (``Frap*`` -> ``frap*``)."""
    raw = _strip_elision(raw)
    return "".join(fold_word(part) if part not in "*?" else part for part in re.split(r"([*?])", raw) if part)


def _truncation(raw: str, pos: int, fieldname: str, stemmer: str | None) -> Truncation:
    """``frap*``, ``m?cron``, ``frap$2`` as a Truncation of ``fieldname``."""
    upto = 0
    m = _UPTO_RE.match(raw)
    if "$" in raw:
        if not m:
            raise OperatorError(pos, f"{raw!r}: $ ends a word, with the most letters it adds: frap$2")
        if not m.group(2) or not 1 <= int(m.group(2)) <= MAX_UPTO:
            raise OperatorError(pos, f"{raw!r}: $ takes a number of letters from 1 to {MAX_UPTO}: frap$2")
        raw, upto = m.group(1), int(m.group(2))
    pattern = _fold_pattern(raw)
    if not pattern.strip("*?") or not re.fullmatch(r"[\w*?]+", pattern):
        raise OperatorError(pos, f"{raw!r}: a truncation is letters with * (any), ? (one) or $n (at most n more)")
    return Truncation(fieldname, pattern, upto=upto, stemmer=stemmer)


def _is_truncation(raw: str) -> bool:
    return any(c in raw for c in "*?$")


def _slots(text: str, pos: int, fieldname: str, stemmer: str | None) -> list[tuple[int, wq.Query]]:
    """The words of a phrase as (position, query): stop words keep their
    slots (a gap), a truncation stands for the stems of the words it reaches."""
    slots: list[tuple[int, wq.Query]] = []
    at = 0
    for m in re.finditer(r"\S+", text):
        raw = m.group()
        if raw.startswith("="):
            raise OperatorError(pos, "an exact form (=word) stands alone, not in a phrase")
        if _is_truncation(raw):
            slots.append((at, _truncation(raw.strip(".,;:!«»"), pos, fieldname, stemmer)))
            at += 1
            continue
        for word in WORD_RE.findall(raw):
            for _, _, folded, term in (word_terms(word, stemmer) if stemmer else
                                       ((0, 0, p[2], p[2]) for p in split_word(word))):
                if not (stemmer and is_stop_word(folded)):
                    slots.append((at, wq.Term(fieldname, term)))
                at += 1
    return slots


def _span(slots: list[tuple[int, wq.Query]], fieldname: str) -> wq.Query | None:
    """The query of words at these relative positions, in order."""
    if not slots:
        return None
    if len(slots) == 1:
        return slots[0][1]
    first = slots[0][0]
    offsets = [p - first for p, _ in slots]
    if offsets == list(range(len(slots))) and all(type(q) is wq.Term for _, q in slots):
        return wq.Phrase(fieldname, [q.text for _, q in slots])
    q = slots[0][1]
    for (prev, _), (p, sub) in zip(slots, slots[1:]):
        gap = p - prev
        q = SpanNear2([q, sub], slop=gap, ordered=True, mindist=gap)
    return q


def _any_field(queries: list[wq.Query]) -> wq.Query:
    queries = [q for q in queries if q is not None]
    if not queries:
        return wq.NullQuery
    return queries[0] if len(queries) == 1 else wq.Or(queries)


# ------------------------------------------------------------------ tokens
def _distance(raw: str, pos: int, what: str, default: int | None = None) -> int:
    if raw == "" and default is not None:
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_DISTANCE:
        raise OperatorError(pos, f"{what} takes a distance in words from 1 to {MAX_DISTANCE}, got {raw!r}")
    return int(raw)


def _classify(tok: _Tok) -> None:
    """Mark operators and refuse what is not understood (the token's own shape)."""
    t = tok.text
    if t in ("(", ")"):
        tok.kind = "open" if t == "(" else "close"
        return
    if t in CORE_OPERATORS:
        tok.kind, tok.value = "op", t
        return
    if t in SYMBOLS:
        tok.kind, tok.value = "op", SYMBOLS[t]
        return
    if t.startswith('"') or t.startswith("=") or _FIELD_RE.match(t) and not t.startswith(("http:", "https:")):
        return
    core = t.lstrip("+-")
    m = _PROXIMITY_RE.match(core)
    if m and core == t:
        name = (m.group(1) or m.group(3) or m.group(5)).lower()
        raw = m.group(2) if m.group(1) else (m.group(4) or "")
        ordered = name in ("pre", "adj")
        tok.kind = "prox"
        tok.value = (_distance(raw, tok.start, f"{name}/", default=1 if name == "adj" else None), ordered, name)
        return
    if core.lower() in ("near", "w", "pre") and core == t and core != core.lower():
        raise OperatorError(tok.start, f"{core} needs a distance in words: {core.lower()}/5")
    m = _ATLEAST_RE.match(core)
    if m:
        if not m.group(1).isdigit() or not 1 <= int(m.group(1)) <= MAX_ATLEAST:
            raise OperatorError(tok.start, f"atleast takes a count from 1 to {MAX_ATLEAST}, glued to it: "
                                           "atleast3 frappe")
        tok.kind, tok.value = "atleast", int(m.group(1))
        return
    f = _FOREIGN_RE.search(core)
    if f:
        key = (f.group(1) or f.group(2) or "").lower()
        raise OperatorError(tok.start, _FOREIGN.get(key) or
                            f"{core!r} is not understood: Factiva's /N5/, /F50/ and wc> are not supported")
    if _UNKNOWN_OP_RE.match(core):
        raise OperatorError(tok.start, f"{core!r} is not an operator: proximity is w/n, pre/n or near/n")
    for sym, word in SYMBOLS.items():
        if sym in t:
            if t.replace(sym, "") == "":
                raise OperatorError(tok.start, f"{t!r}: {sym} is written once ({word})")
            raise OperatorError(tok.start + t.index(sym), f"{sym} is an operator ({word}): "
                                                          f"put spaces around it")


def _is_term(tok: _Tok | None) -> bool:
    return tok is not None and tok.kind == "term"


def _tokens(text: str) -> list[_Tok]:
    toks = [_Tok(m.group(), m.start()) for m in _TOKEN_RE.finditer(text)]
    for tok in toks:
        _classify(tok)
    # Lower-case French operators between two terms.
    for i, tok in enumerate(toks):
        word = LOWER_OPERATORS.get(tok.text)
        if word is None:
            continue
        prev = toks[i - 1] if i else None
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        before = prev is not None and (_is_term(prev) or prev.kind == "close")
        after = nxt is not None and (_is_term(nxt) or nxt.kind == "open" or nxt.text in ("non", "NON", "NOT", "!"))
        if word == "SAUF":
            after = nxt is not None and (_is_term(nxt) or nxt.kind == "open")
        if before and after:
            tok.kind, tok.value = "op", word
            if nxt.text == "non" and word != "SAUF":
                nxt.kind, nxt.value = "op", "NON"
    return toks


# ------------------------------------------------------------------ the translation
class _Builder:
    def __init__(self, text: str, schema, resolve: Callable[[str], tuple[str, ...] | None],
                 text_fields: tuple[str, ...]):
        self.text, self.schema, self.resolve, self.text_fields = text, schema, resolve, text_fields
        self.out = Translation("")
        self.parts: list[str] = []
        self.length = 0

    def emit(self, new: str, orig_start: int, orig_token: str) -> None:
        self.out.pieces.append((self.length, orig_start, len(new), orig_token))
        self.parts.append(new)
        self.length += len(new)

    def gap(self, s: str) -> None:
        self.parts.append(s)
        self.length += len(s)

    def placeholder(self, make: Callable[[], wq.Query]) -> str:
        name = _PLACEHOLDER.format(len(self.out.built))
        self.out.built[name] = make
        return name

    # -- pieces
    def phrase(self, body: str, slop_part: str, pos: int, fields: tuple[str, ...]):
        """The query of a phrase over fields (None: leave it to the parser)."""
        slop = None
        if slop_part:
            slop = _distance(slop_part[1:], pos, 'a phrase\'s ~ (proximity: "frappes russes"~5)')
        plan = [(f, *stemmer_of(self.schema, f)) for f in fields]
        if not all(positional for _, positional, _ in plan):
            return None
        for f, _, stemmer in plan:  # errors now, at parsing
            _slots(body, pos, f, stemmer)

        def make():
            out = []
            for f, _, stemmer in plan:
                slots = _slots(body, pos, f, stemmer)
                if slop is not None and slop > 1 and len(slots) > 1:
                    out.append(SpanNear2([q for _, q in slots], slop=slop, ordered=False))
                else:
                    out.append(_span(slots, f))
            return _any_field(out)
        return make

    def operand(self, tok: _Tok, what: str) -> Callable[[str, str | None], wq.Query]:
        """A proximity's or atleast's operand: its query in one field."""
        t = tok.text
        if tok.kind != "term" or t.startswith(("+", "-")) or "^" in t or _FIELD_RE.match(t):
            raise OperatorError(tok.start, f"{what} joins words, truncations or phrases of the text "
                                           f"(no field, sign, boost or group here): {t!r}")
        if t.startswith("="):
            raise OperatorError(tok.start, f"an exact form (=word) cannot be joined by {what}")
        if t.startswith('"'):
            if re.search(r'"~[^"]*$', t) and len(t) > 1:
                raise OperatorError(tok.start, f"{what} joins exact phrases, not a phrase with ~: {t}")
            if not t.endswith('"') or len(t) == 1:
                raise OperatorError(tok.start, "a quotation mark opens a phrase that is never closed")
            body = t[1:-1]
            for f in self.text_fields:
                if not _slots(body, tok.start, f, stemmer_of(self.schema, f)[1]):
                    raise OperatorError(tok.start, f"{t} holds only stop words: {what} needs a searchable word")
            return lambda f, stemmer: _span(_slots(body, tok.start, f, stemmer), f)
        if "~" in t:
            raise OperatorError(tok.start, f"a fuzzy word cannot be joined by {what}")
        if _is_truncation(t):
            for f in self.text_fields:
                _truncation(t, tok.start, f, "light")
            return lambda f, stemmer: _truncation(t, tok.start, f, stemmer)
        slots = _slots(t, tok.start, self.text_fields[0], stemmer_of(self.schema, self.text_fields[0])[1])
        if not slots:
            raise OperatorError(tok.start, f"{t!r} is a stop word: {what} needs a searchable word")
        return lambda f, stemmer: _span(_slots(t, tok.start, f, stemmer), f)

    def proximity(self, toks: list[_Tok], i: int) -> int:
        """Emit ``a w/3 b [pre/2 c ...]`` starting at token i; the next token's index."""
        first = toks[i]
        j = i
        operands = [self.operand(first, toks[i + 1].text)]
        ops = []
        while j + 1 < len(toks) and toks[j + 1].kind == "prox":
            op = toks[j + 1]
            if j + 2 >= len(toks):
                raise OperatorError(op.start, f"{op.text} needs a word after it")
            ops.append(op.value)
            operands.append(self.operand(toks[j + 2], op.text))
            j += 2
        last = toks[j]
        end = last.start + len(last.text)
        fields = [(f, stemmer_of(self.schema, f)[1]) for f in self.text_fields]

        def make():
            out = []
            for f, stemmer in fields:
                q = operands[0](f, stemmer)
                for (distance, ordered, _), operand in zip(ops, operands[1:]):
                    q = SpanNear2([q, operand(f, stemmer)], slop=distance, ordered=ordered, mindist=1)
                out.append(q)
            return _any_field(out)
        self.emit(self.placeholder(make), first.start, self.text[first.start:end])
        return j + 1

    def atleast(self, toks: list[_Tok], i: int) -> int:
        tok = toks[i]
        if i + 1 >= len(toks):
            raise OperatorError(tok.start, f"{tok.text} needs a word after it: atleast3 frappe")
        nxt = toks[i + 1]
        if nxt.text.startswith('"'):
            raise OperatorError(nxt.start, f"{tok.text} counts one word, not a phrase")
        operand = self.operand(nxt, tok.text)
        sign = tok.text[: len(tok.text) - len(tok.text.lstrip("+-"))]
        fields = [(f, stemmer_of(self.schema, f)[1]) for f in self.text_fields]
        n = tok.value
        make = lambda: AtLeast(_any_field([operand(f, stemmer) for f, stemmer in fields]), n)  # noqa: E731
        end = nxt.start + len(nxt.text)
        self.emit(sign + self.placeholder(make), tok.start, self.text[tok.start:end])
        return i + 2

    def term(self, tok: _Tok) -> None:
        """A word, a phrase or field:value: rewritten when the parser cannot read it."""
        t = tok.text
        boost = ""
        if '"' not in t:
            bm = _BOOST_RE.search(t)
            if bm:
                t, boost = t[: bm.start()], bm.group()
        sign = t[: len(t) - len(t.lstrip("+-"))]
        core = t[len(sign):]
        fm = _FIELD_RE.match(core)
        fields = self.text_fields
        bare = True
        if fm and not core.startswith(("http:", "https:")):
            name, value = fm.group(2), fm.group(3)
            resolved = self.resolve(name)
            if resolved is None or len(resolved) == 1 and not value.startswith('"') \
                    and not _is_special_word(value):
                return self.emit_same(tok)  # the parser's own fields (and its errors)
            if len(resolved) > 1 and value in ("", '"', "["):
                raise OperatorError(tok.start, f"{name}: needs a value")
            fields, core, bare = resolved, value, False
            if len(resolved) > 1 and not value.startswith(('"', "=")) and not _is_special_word(value):
                # hlp:syrie -> (headline:syrie OR lead:syrie)
                inner = " OR ".join(f"{f}:{value}{boost}" for f in resolved)
                return self.emit(f"{sign}({inner})", tok.start, tok.text)
        if core.startswith("="):
            return self.exact(tok, sign, core, boost, bare)
        if core.startswith('"'):
            m = re.match(r'^"([^"]*)"((?:~[^\s()"^]*)?)$', core)
            if not m:
                if "~" in core and core.index("~") > core.rfind('"') > 0:
                    raise OperatorError(tok.start, 'a phrase\'s ~ takes a number of words: "frappes russes"~5')
                return self.emit_same(tok)  # unclosed: the parser's own message
            make = self.phrase(m.group(1), m.group(2), tok.start, fields)
            if make is None:
                return self.emit_same(tok)
            return self.emit(sign + self.placeholder(make) + boost, tok.start, tok.text)
        if "~" in core:
            m = _FUZZY_RE.match(core)
            if not m or _is_truncation(m.group(1)):
                raise OperatorError(tok.start, f"{core!r}: ~ follows a word (fuzzy: Poutinne~ or Poutinne~2) "
                                               'or a phrase (proximity: "frappes russes"~5)')
            if m.group(2) and not 1 <= int(m.group(2)) <= MAX_FUZZY:
                raise OperatorError(tok.start + len(t) - len(m.group(2)) - 1,
                                    f"{core!r}: a fuzzy word allows 1 or 2 edits (~ or ~2)")
            pieces = [p[2] for w in WORD_RE.findall(m.group(1)) for p in split_word(w)]
            if not bare or len(pieces) != 1:
                return self.emit_same(tok)
            # The word as typed, folded, not stemmed: the words it is compared to are raw words.
            word, maxdist = pieces[0], int(m.group(2) or 1)
            make = lambda: wq.FuzzyTerm(WORDS, word, maxdist=maxdist, prefixlength=0)  # noqa: E731
            return self.emit(sign + self.placeholder(make) + boost, tok.start, tok.text)
        if "$" in core or ("?" in core and not bare):
            plan = [(f, *stemmer_of(self.schema, f)) for f in fields]
            if bare:
                _truncation(core, tok.start, WORDS, None)
                make = lambda: _truncation(core, tok.start, WORDS, None)  # noqa: E731
            else:
                for f, _, stemmer in plan:
                    _truncation(core, tok.start, f, stemmer)
                make = lambda: _any_field([_truncation(core, tok.start, f, stemmer)  # noqa: E731
                                           for f, _, stemmer in plan])
            return self.emit(sign + self.placeholder(make) + boost, tok.start, tok.text)
        return self.emit_same(tok)

    def exact(self, tok: _Tok, sign: str, core: str, boost: str, bare: bool) -> None:
        value = core[1:]
        if value.startswith('"'):
            if not (len(value) > 1 and value.endswith('"')):
                raise OperatorError(tok.start, "a quotation mark opens a phrase that is never closed")
            value = value[1:-1]
        pieces = [p for w in WORD_RE.findall(value) for p in split_word(w)]
        if not bare:
            raise OperatorError(tok.start, "an exact form (=word) searches the headline and the body: "
                                           "leave the field out")
        if len(pieces) != 1 or _is_truncation(value):
            raise OperatorError(tok.start, 'an exact form is one word, without truncation: ="avions"')
        word = pieces[0][2]
        make = lambda: wq.Term(WORDS, word)  # noqa: E731
        self.emit(sign + self.placeholder(make) + boost, tok.start, tok.text)

    def emit_same(self, tok: _Tok) -> None:
        self.emit(tok.text, tok.start, tok.text)


def _is_special_word(value: str) -> bool:
    return "$" in value or "?" in value or value.startswith("=")


def translate(text: str, schema, resolve: Callable[[str], tuple[str, ...] | None],
              text_fields: tuple[str, ...]) -> Translation:
    """The query in the core parser's words (see the module's docstring).

    ``resolve`` gives the index fields a query field name stands for (None
    if unknown); ``text_fields`` are those bare words look in.
    """
    toks = _tokens(text)
    b = _Builder(text, schema, resolve, text_fields)
    last = 0
    i = 0
    while i < len(toks):
        tok = toks[i]
        b.gap(text[last:tok.start])
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        if tok.kind == "prox":
            raise OperatorError(tok.start, f"{tok.text} needs a word before it")
        if nxt is not None and nxt.kind == "prox":
            i = b.proximity(toks, i)
        elif tok.kind == "atleast":
            i = b.atleast(toks, i)
        elif tok.kind == "op":
            b.emit(str(tok.value), tok.start, tok.text)
            i += 1
        elif tok.kind in ("open", "close"):
            b.emit_same(tok)
            i += 1
        else:
            b.term(tok)
            i += 1
        end_tok = toks[i - 1]
        last = end_tok.start + len(end_tok.text)
    b.gap(text[last:])
    b.out.text = "".join(b.parts)
    return b.out


def placeholder_query(q: wq.Query, built: dict[str, Callable[[], wq.Query]]) -> wq.Query | None:
    """The built query a placeholder stands for, if ``q`` is one (a Term, or
    an Or of the placeholder's Terms over the text fields), else None."""
    if isinstance(q, wq.Term) and q.text in built:
        made = built[q.text]()
        return made if q.boost == 1.0 else wq.Or([made], boost=q.boost)
    if isinstance(q, wq.Or) and q.subqueries and all(isinstance(s, wq.Term) for s in q.subqueries):
        names = {s.text for s in q.subqueries}
        if len(names) == 1 and next(iter(names)) in built:
            made = built[next(iter(names))]()
            boost = q.boost * q.subqueries[0].boost
            return made if boost == 1.0 else wq.Or([made], boost=boost)
    return None


__all__ = ["MAX_ATLEAST", "MAX_DISTANCE", "MAX_FUZZY", "MAX_UPTO", "OperatorError", "Translation",
           "placeholder_query", "stemmer_of", "translate"]
