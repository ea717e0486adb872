"""Which stop words are often nouns: measured on real stories.

A French wire story is full of nouns that are also forms of *avoir* and
*être* (``avions``, ``sommes``, ``être``) or of other function words. For
every word of the stop list, this counts its occurrences in the stories and
how many follow a determiner (``le``, ``la``, ``les``, ``un``, ``une``,
``des``, ``du``) and prints the share. A word over :data:`THRESHOLD` is
flagged as a noun::

    python -m bench.stopword_nouns [--data DIR] [--all]

The words flagged are the candidates :mod:`indexer.analysis.stopwords` keeps
searchable (``NOUN_HOMOGRAPHS``); ``--all`` prints every stop word.
Words are compared folded (case, accents), as the analyzer compares them;
the stop list measured is the project's full list before the nouns are
taken out of it (``STOP_CANDIDATES``).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from bench.known_item import DEFAULT_DATA, load_stories
from indexer.analysis.folding import WORD_RE, split_word
from indexer.analysis.stopwords import NOUN_HOMOGRAPHS, STOP_CANDIDATES

#: Determiners a noun follows (folded), by the gender they mark. ``ce`` is
#: left out (``ce qui``, ``ce sont``: a pronoun), as is ``leur`` (``leur avait``);
#: elided ``l'`` is not counted either (as often a pronoun: ``l'avait``).
MASCULINE = frozenset("le un du cet mon ton son".split())
FEMININE = frozenset("la une cette ma ta sa".split())
DETERMINERS = MASCULINE | FEMININE | frozenset("les des ces mes tes ses nos vos leurs notre votre".split())
#: The share of occurrences right after a determiner above which a stop word
#: may be a noun. The issue proposed a tenth; ``sommes`` (a plural noun and
#: the most frequent form of *être* after ``nous``) is at 9%, so the line is
#: lower and the gender test below sorts adverbs and pronouns out.
THRESHOLD = 0.05
#: A noun has one gender: its singular follows determiners of one gender in
#: at least this share of the times (``le plus``/``la plus``,
#: ``un autre``/``une autre``, ``le même``/``la même`` have both).
ONE_GENDER = 0.95
#: Occurrences below which a share says nothing.
MIN_COUNT = 5


@dataclass
class Counts:
    """Occurrences of folded words, after a determiner, after a masculine and
    a feminine singular one."""

    total: Counter = field(default_factory=Counter)
    after: Counter = field(default_factory=Counter)
    masculine: Counter = field(default_factory=Counter)
    feminine: Counter = field(default_factory=Counter)


def count_after_determiners(texts) -> Counts:
    """Count every folded word and the times it follows a determiner.

    >>> c = count_after_determiners(["Les avions que nous avions vus", "un avion"])
    >>> c.total["avions"], c.after["avions"], c.masculine["avion"]
    (2, 1, 1)
    """
    c = Counts()
    for text in texts:
        previous = None
        for raw in WORD_RE.findall(text):
            pieces = split_word(raw)
            for index, (start, _, word) in enumerate(pieces):
                c.total[word] += 1
                if previous in DETERMINERS and index == 0 and start == 0:
                    c.after[word] += 1
                    if previous in MASCULINE:
                        c.masculine[word] += 1
                    elif previous in FEMININE:
                        c.feminine[word] += 1
                previous = word
            if not pieces:
                previous = None
    return c


@dataclass(frozen=True)
class Row:
    """One stop word's figures."""

    word: str
    count: int
    after: int
    singular: str
    one_gender: float  # the majority gender's share of the singular's determiners

    @property
    def share(self) -> float:
        return self.after / self.count if self.count else 0.0

    @property
    def noun(self) -> bool:
        return self.count >= MIN_COUNT and self.share > THRESHOLD and self.one_gender >= ONE_GENDER


def measure(c: Counts, words) -> list[Row]:
    """The figures of each word, highest share after a determiner first."""
    rows = []
    for word in sorted(set(words)):
        singular = word
        if word.endswith("s") and c.masculine[word[:-1]] + c.feminine[word[:-1]] >= MIN_COUNT:
            singular = word[:-1]  # avions -> avion: the singular's gender
        m, f = c.masculine[singular], c.feminine[singular]
        one_gender = max(m, f) / (m + f) if m + f >= MIN_COUNT else (1.0 if word.endswith("s") else 0.0)
        rows.append(Row(word, c.total[word], c.after[word], singular, one_gender))
    rows.sort(key=lambda r: (-r.share, -r.count, r.word))
    return rows


def nouns_in(texts, words=None) -> frozenset:
    """The stop words (of ``words``, default the full list) that the measure takes for nouns."""
    c = count_after_determiners(texts)
    return frozenset(r.word for r in measure(c, words or _measured()) if r.noun)


def _measured() -> list[str]:
    return [w for w in STOP_CANDIDATES if len(w) > 1]


def main(argv: list[str] | None = None) -> int:
    """Print the share of each stop word's occurrences that follow a determiner."""
    parser = argparse.ArgumentParser(prog="python -m bench.stopword_nouns", description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--all", action="store_true", help="print every stop word (default: those over half the threshold)")
    args = parser.parse_args(argv)
    stories = load_stories(args.data)
    if not stories:
        print(f"no stories in {args.data}/*.jsonl", file=sys.stderr)
        return 2
    c = count_after_determiners(t for s in stories for t in (s.headline, s.text))
    rows = measure(c, _measured())
    flagged = [r for r in rows if r.noun]
    print(f"{len(stories)} stories, {sum(c.total.values()):,} words; {len(rows)} stop words of two "
          f"letters or more. A noun: after a determiner in more than {THRESHOLD:.0%} of at least "
          f"{MIN_COUNT} occurrences, and its singular after determiners of one gender in "
          f"{ONE_GENDER:.0%} of the times or more: {', '.join(r.word for r in flagged) or 'none'}")
    print(f"{'word':<10} {'occurrences':>11} {'after det.':>10} {'share':>6} {'singular':<10} "
          f"{'one gender':>10}  noun  kept searchable")
    for r in rows if args.all else [r for r in rows if r.share > THRESHOLD / 2]:
        print(f"{r.word:<10} {r.count:>11,} {r.after:>10,} {r.share:6.1%} {r.singular:<10} "
              f"{r.one_gender:10.0%}  {'yes' if r.noun else 'no ':<4}  {'yes' if r.word in NOUN_HOMOGRAPHS else 'no'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
