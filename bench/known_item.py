"""Known-item search evaluation of the French analyzers on real stories.

For a seeded sample of stories, the query is an AND of 2–3 distinctive words
of the story's headline, and the score is the reciprocal rank of the story in
the first 10 hits (MRR@10). Each query is run in four variants:

- ``exact``: the headline words as written;
- ``noacc``: the same without accents (``unidecode``);
- ``infl``: each word replaced by another inflection of it (singular <->
  plural, masculine <-> feminine), made by French morphology rules and kept
  only if the form occurs in the corpus (so every form is real French); a word
  with no attested other form, a proper noun (capitalised inside the
  headline), an acronym or a compound keeps its form;
- ``both``: the inflected words without accents.

Every analyzer gets the same queries; each builds its own index (headline
field boosted x2, body field) in a temporary folder::

    python -m bench.known_item                       # all analyzers, 500 stories
    python -m bench.known_item --analyzer depeche --sample 0   # every story
    python -m bench.known_item --lexicon simplemma   # stricter inflections

``--queries independent`` makes the queries of
:mod:`bench.known_item_queries` instead: built without the project's
analysis, they also use forms absent from the corpus (a dropped or added
*s*), nouns near the stop list and inflected names. ``--analyzer
depeche-searcher`` runs them through Dépêche itself (a real index and
:class:`search.searcher.Searcher`, with what it does for a word that
matches nothing); ``worst`` is the lowest of the four variants::

    python -m bench.known_item --queries independent --analyzer depeche-searcher --sample 0

``--lexicon simplemma`` also requires each inflected form to have the same
lemma as the word by simplemma's French dictionary (an independent check
that, say, "envoie" is not taken for an inflection of "envoi").

Stories whose headline is shared with another story are left out (the known
item is ambiguous), as are the two stories without a headline or text.
"""

from __future__ import annotations

import argparse
import glob
import json
import random
import re
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from unidecode import unidecode

import bench.stemmers  # noqa: F401  (registers the minimal and Snowball stemmers)
from indexer.analysis import STOP_WORDS, fold_word, french_analyzer

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "realdata"
VARIANTS = ("exact", "noacc", "infl", "both")
_ELISION_RE = re.compile(
    r"^(?:l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu|quoiqu)['’]", re.IGNORECASE
)
# A headline word: letters, with inner apostrophes or hyphens.
_HEADLINE_WORD_RE = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


@dataclass(frozen=True)
class Story:
    """One story of the evaluation corpus."""

    id: str
    headline: str
    text: str


@dataclass(frozen=True)
class KnownItemQuery:
    """The words of one query in its four variants."""

    story_id: str
    words: dict  # variant name -> list of words
    inflected: bool  # did the inflection change at least one word?


def load_stories(data_dir: Path) -> list[Story]:
    """Read the JSON Lines files of ``data_dir``; skip incomplete stories."""
    stories = []
    for path in sorted(glob.glob(str(data_dir / "*.jsonl"))):
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                if not line.strip():
                    continue
                record = json.loads(line)
                headline = (record.get("headline") or "").strip()
                text = (record.get("text") or "").strip()
                if headline and text:
                    stories.append(Story(str(record["id"]), headline, text))
    return stories


def analyzers() -> dict:
    """Return the analyzers compared, by name."""
    from whoosh.analysis import LanguageAnalyzer, StandardAnalyzer

    return {
        "whoosh-standard": StandardAnalyzer,
        "whoosh-language-fr": lambda: LanguageAnalyzer("fr"),
        "depeche-nostem": lambda: french_analyzer("none"),
        "depeche-minimal": lambda: french_analyzer("minimal"),
        "depeche-snowball": lambda: french_analyzer("snowball"),
        "depeche": lambda: french_analyzer("light"),
        "depeche-searcher": None,  # the whole search: evaluate_searcher
    }


# --------------------------------------------------------------------------
# Inflection: candidate forms by rule, kept only when attested in the corpus.


# Grammar-book exceptions of the plural.
_AIL_AUX = {"bail", "corail", "émail", "soupirail", "travail", "vantail", "vitrail"}
_AL_ALS = {
    "bal", "carnaval", "chacal", "festival", "récital", "régal", "cérémonial",
    "naval", "fatal", "final", "banal", "natal", "bancal", "glacial",
}
_OU_OUX = {"bijou", "caillou", "chou", "genou", "hibou", "joujou", "pou"}
_EU_EUS = {"bleu", "pneu", "émeu"}


def _number_forms(word: str) -> list[str]:
    """Other-number candidates of a lowercase word (plural <-> singular)."""
    if word.endswith("eaux"):
        return [word[:-1]]
    if word.endswith("aux"):
        stem = word[:-3]
        return [stem + "ail"] if stem + "ail" in _AIL_AUX else [stem + "al"]
    if word.endswith(("eux", "oux")):
        return [word[:-1]]
    if word.endswith("s") and not word.endswith("ss"):
        return [word[:-1]]
    if word.endswith(("x", "z")):
        return []
    if word.endswith("al"):
        return [word + "s"] if word in _AL_ALS else [word[:-2] + "aux"]
    if word.endswith("ail") and word in _AIL_AUX:
        return [word[:-3] + "aux"]
    if word.endswith("eau") or (word.endswith("eu") and word not in _EU_EUS):
        return [word + "x"]
    if word.endswith("ou"):
        return [word + "x"] if word in _OU_OUX else [word + "s"]
    return [word + "s"]


# (masculine ending, feminine ending) pairs of the regular gender rules.
_GENDER_PAIRS = [
    ("teur", "trice"), ("ien", "ienne"), ("éen", "éenne"), ("on", "onne"),
    ("el", "elle"), ("eil", "eille"), ("et", "ette"), ("et", "ète"),
    ("eux", "euse"), ("eur", "euse"), ("eur", "eure"), ("er", "ère"),
    ("if", "ive"), ("en", "enne"), ("é", "ée"),
]
# Irregular masculine -> feminine pairs (singular).
_GENDER_IRREGULAR = {
    "beau": "belle", "nouveau": "nouvelle", "jumeau": "jumelle", "fou": "folle",
    "mou": "molle", "vieux": "vieille", "public": "publique", "turc": "turque",
    "grec": "grecque", "laïc": "laïque", "franc": "franche", "blanc": "blanche",
    "sec": "sèche", "frais": "fraîche", "long": "longue", "gentil": "gentille",
    "nul": "nulle", "faux": "fausse", "roux": "rousse", "doux": "douce",
    "jaloux": "jalouse", "gros": "grosse", "bas": "basse", "épais": "épaisse",
    "neuf": "neuve", "veuf": "veuve", "bref": "brève",
}
_GENDER_IRREGULAR_FEM = {fem: masc for masc, fem in _GENDER_IRREGULAR.items()}


def _gender_forms(word: str) -> list[str]:
    """Other-gender candidates of a lowercase singular or plural word."""
    for table in (_GENDER_IRREGULAR, _GENDER_IRREGULAR_FEM):
        if word in table:
            return [table[word]]
        if word.endswith("s") and word[:-1] in table:
            return [table[word[:-1]] + "s"]
    plural = ""
    base = word
    if word.endswith("aux"):  # généraux -> générales
        return [word[:-3] + "ales"]
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        plural, base = "s", word[:-1]
    forms = []
    for masc, fem in _GENDER_PAIRS:
        if base.endswith(fem) and len(base) > len(fem):
            forms.append(base[: len(base) - len(fem)] + masc + plural)
        elif base.endswith(masc) and not base.endswith("e"):
            forms.append(base[: len(base) - len(masc)] + fem + plural)
    # The general rule: feminine = masculine + e (no -oi masculine exists).
    if base.endswith("e") and not base.endswith(("ée", "oie")):
        forms.append(base[:-1] + plural)
    elif not base.endswith(("e", "oi")):
        forms.append(base + "e" + plural)
    return forms


def inflect(word: str, attested: set, rng: random.Random, same_lexeme=None) -> str:
    """Return another attested inflection of ``word``, or ``word`` itself.

    ``attested`` holds the lowercase forms seen in the corpus; ``same_lexeme``,
    when given, must accept the pair (word, form).

    >>> inflect("frappe", {"frappe", "frappes"}, random.Random(0))
    'frappes'
    >>> inflect("Aériennes", {"aérienne", "aériens"}, random.Random(0)) in ("Aérienne", "Aériens")
    True
    """
    lower = word.lower()
    candidates = sorted(
        form
        for form in set(_number_forms(lower) + _gender_forms(lower))
        if form != lower
        and form in attested
        and (same_lexeme is None or same_lexeme(lower, form))
    )
    if not candidates:
        return word
    form = rng.choice(candidates)
    return form[0].upper() + form[1:] if word[0].isupper() else form


def simplemma_same_lexeme():
    """Return a (word, form) check by simplemma's French lemmas, or None."""
    try:
        import simplemma
    except ImportError:
        return None

    def same_lexeme(word: str, form: str) -> bool:
        return simplemma.lemmatize(word, lang="fr") == simplemma.lemmatize(form, lang="fr")

    return same_lexeme


# --------------------------------------------------------------------------
# Queries.


def _content_part(word: str) -> str:
    return _ELISION_RE.sub("", word)


def headline_candidates(
    headline: str, doc_freq: Counter, max_df: int, common: set
) -> list[tuple[str, bool]]:
    """Return distinctive headline words and whether each may be inflected.

    A word may be inflected unless it is a compound, an acronym or a proper
    noun: capitalised inside the headline, or never written in lower case in
    the corpus (``common`` holds the forms seen in lower case).
    """
    out = []
    seen = set()
    for index, match in enumerate(_HEADLINE_WORD_RE.finditer(headline)):
        word = _content_part(match.group())
        folded = fold_word(word)
        if len(word) < 4 or folded in STOP_WORDS or folded in seen:
            continue
        if doc_freq.get(folded, 0) > max_df:
            continue
        seen.add(folded)
        compound = "-" in word or "'" in word or "’" in word
        proper = word[0].isupper() and (index > 0 or word.lower() not in common)
        out.append((word, not (compound or proper or word.isupper())))
    return out


def build_queries(
    stories: list[Story], sample: int, seed: int, same_lexeme=None
) -> list[KnownItemQuery]:
    """Make the known-item queries (the same for every analyzer)."""
    doc_freq: Counter = Counter()
    common: set = set()  # word forms seen with a lower-case initial
    for story in stories:
        words = {_content_part(w) for w in _HEADLINE_WORD_RE.findall(story.headline + "\n" + story.text)}
        common.update(w for w in words if w[0].islower())
        doc_freq.update({fold_word(w) for w in words})
    max_df = max(2, len(stories) // 20)  # at most 5% of the stories

    headline_count = Counter(s.headline for s in stories)
    pool = [s for s in stories if headline_count[s.headline] == 1]
    rng = random.Random(seed)
    if sample and sample < len(pool):
        pool = rng.sample(pool, sample)

    queries = []
    for story in pool:
        srng = random.Random(f"{seed}:{story.id}")
        candidates = headline_candidates(story.headline, doc_freq, max_df, common)
        if len(candidates) < 2:
            continue
        chosen = srng.sample(candidates, min(len(candidates), srng.choice((2, 3))))
        exact = [w for w, _ in chosen]
        infl = [inflect(w, common, srng, same_lexeme) if ok else w for w, ok in chosen]
        queries.append(
            KnownItemQuery(
                story.id,
                {
                    "exact": exact,
                    "noacc": [unidecode(w) for w in exact],
                    "infl": infl,
                    "both": [unidecode(w) for w in infl],
                },
                infl != exact,
            )
        )
    return queries


# --------------------------------------------------------------------------
# Index and evaluation.


def build_index(stories: list[Story], analyzer, folder: str):
    """Index the stories with ``analyzer``; return the index."""
    from whoosh import fields, index

    schema = fields.Schema(
        id=fields.ID(stored=True, unique=True),
        headline=fields.TEXT(analyzer=analyzer, field_boost=2.0),
        body=fields.TEXT(analyzer=analyzer),
    )
    ix = index.create_in(folder, schema)
    writer = ix.writer(limitmb=256)
    for story in stories:
        writer.add_document(id=story.id, headline=story.headline, body=story.text)
    writer.commit()
    return ix


def evaluate(ix, queries: list[KnownItemQuery]) -> dict:
    """Return MRR@10 of each variant."""
    from whoosh.qparser import MultifieldParser

    parser = MultifieldParser(["headline", "body"], ix.schema)
    scores = {}
    with ix.searcher() as searcher:
        for variant in VARIANTS:
            total = 0.0
            for query in queries:
                parsed = parser.parse(" ".join(query.words[variant]))
                ids = [hit["id"] for hit in searcher.search(parsed, limit=10)]
                if query.story_id in ids:
                    total += 1.0 / (ids.index(query.story_id) + 1)
            scores[variant] = total / len(queries) if queries else 0.0
    return scores


def evaluate_searcher(stories: list[Story], data_dir: Path, queries, folder: str,
                      index: Path | None = None) -> tuple[dict, float]:
    """Index ``data_dir`` with Dépêche (or open ``index``, an index of it) and
    return (MRR@10 of each variant, stories indexed per second or 0),
    searching as a user does (one story a row)."""
    from indexer.index.build import build_index
    from search.query import SearchError
    from search.results import SearchRequest
    from search.searcher import Searcher

    docs_per_s = 0.0
    if index is None:
        index = Path(folder) / "ix"
        start = time.perf_counter()
        build_index([data_dir], index)
        docs_per_s = len(stories) / (time.perf_counter() - start)
    scores = {}
    with Searcher(index) as searcher:
        for variant in VARIANTS:
            total = 0.0
            for query in queries:
                try:
                    page = searcher.search(SearchRequest(" ".join(query.words[variant]), limit=10,
                                                         all_versions=True, snippets=False))
                except SearchError:
                    continue  # a query the language refuses finds nothing
                ids = [hit.story.id for hit in page.hits]
                if query.story_id in ids:
                    total += 1.0 / (ids.index(query.story_id) + 1)
            scores[variant] = total / len(queries) if queries else 0.0
    return scores, docs_per_s


def measure_tokens_per_second(stories: list[Story], analyzer) -> tuple[int, float]:
    """Run ``analyzer`` over every story as the indexer does; return (tokens, s)."""
    start = time.perf_counter()
    count = 0
    for story in stories:
        for text in (story.headline, story.text):
            for _ in analyzer(text, positions=True, chars=True, mode="index"):
                count += 1
    return count, time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    """Run the evaluation and print the table."""
    all_analyzers = analyzers()
    parser = argparse.ArgumentParser(prog="python -m bench.known_item", description=__doc__.split("\n")[0])
    parser.add_argument("--analyzer", action="append", choices=sorted(all_analyzers),
                        help="analyzer to evaluate (repeatable; default: all)")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA,
                        help="folder of *.jsonl stories (default: %(default)s)")
    parser.add_argument("--sample", type=int, default=500,
                        help="number of known items, 0 for all (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=20151120)
    parser.add_argument("--queries", choices=("headline", "independent"), default="headline",
                        help="headline: corpus forms of headline words (default); independent: "
                             "bench.known_item_queries (absent forms, stop-list nouns, inflected names)")
    parser.add_argument("--index", type=Path,
                        help="depeche-searcher: an index of --data already built, instead of building one")
    parser.add_argument("--lexicon", choices=("none", "simplemma"), default="none",
                        help="also require an inflected form to have the word's lemma "
                             "by simplemma (must be installed; default: %(default)s)")
    args = parser.parse_args(argv)

    stories = load_stories(args.data)
    if not stories:
        print(f"no stories in {args.data}/*.jsonl", file=sys.stderr)
        return 2
    same_lexeme = simplemma_same_lexeme() if args.lexicon == "simplemma" else None
    if same_lexeme is None and args.lexicon == "simplemma":
        print("simplemma is not installed", file=sys.stderr)
        return 2
    if args.queries == "independent":
        from bench.known_item_queries import build_independent_queries

        queries = build_independent_queries(stories, args.sample, args.seed)
        kinds = Counter(kind for q in queries for kind in q.kinds)
        changed = sum(q.words["infl"] != q.words["exact"] for q in queries)
        print(f"{len(stories)} stories, {len(queries)} independent queries "
              f"({sum(len(q.words['exact']) for q in queries)} words); inflection changed {changed}; "
              f"queries with a form absent from the corpus {kinds['absent']}, an inflected name "
              f"{kinds['name']}, a noun near the stop list {kinds['near-stop']}")
    else:
        queries = build_queries(stories, args.sample, args.seed, same_lexeme)
        changed = sum(q.inflected for q in queries)
        words_changed = sum(
            a != b for q in queries for a, b in zip(q.words["exact"], q.words["infl"])
        )
        print(f"{len(stories)} stories, {len(queries)} queries "
              f"({sum(len(q.words['exact']) for q in queries)} words); "
              f"inflection changed {changed} queries ({words_changed} words); "
              f"lemma check: {'simplemma' if same_lexeme else 'none'}")

    names = args.analyzer or [n for n in all_analyzers if n != "depeche-searcher"]
    print(f"{'analyzer':<20} {'exact':>6} {'noacc':>6} {'infl':>6} {'both':>6} {'worst':>6}  index docs/s")
    for name in names:
        with tempfile.TemporaryDirectory(prefix="depeche-bench-") as folder:
            if all_analyzers[name] is None:
                scores, docs_per_s = evaluate_searcher(stories, args.data, queries, folder, args.index)
            else:
                start = time.perf_counter()
                ix = build_index(stories, all_analyzers[name](), folder)
                docs_per_s = len(stories) / (time.perf_counter() - start)
                scores = evaluate(ix, queries)
                ix.close()
        row = " ".join(f"{scores[v]:6.3f}" for v in VARIANTS)
        print(f"{name:<20} {row} {min(scores.values()):6.3f}  {docs_per_s:10.0f}", flush=True)

    ana = french_analyzer()
    measure_tokens_per_second(stories[:200], ana)  # warm the caches a little
    tokens, seconds = measure_tokens_per_second(stories, ana)
    print(f"depeche analyzer: {tokens} tokens in {seconds:.2f} s = "
          f"{tokens / seconds:,.0f} tokens/s ({len(stories) / seconds:,.0f} stories/s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
