"""A deterministic generator of French wire-story corpora for the benchmarks.

``python -m bench.generate --size 100000 --out /tmp/corpus`` writes, from a
seed, stories in the formats the readers take: plain text in dated folders
(``afp/2015/11/20/slug.txt``, most of them, some with YAML front matter) and
JSON Lines (``dpa/2015/dpa-2015-11.jsonl``, one story a line). The stories
have what real copy has: agencies with their own datelines and credit lines
(authors, translators, editors, desks, AFP initials), update versions of a
story filed the same day (URGENT, Actualisé, Refonte, Correction), accents,
elisions, typographic apostrophes and non-breaking spaces, AFP subheads, and
web-page debris around scraped stories.

The vocabulary and the lengths (of stories, headlines, sentences,
paragraphs) come from the real stories of ``../shared/realdata/*.jsonl``
when they are there: their words are cut into chunks of one to three words
and sampled by frequency, so the words, their frequencies and the common
two- and three-word phrases are those of real French news; nothing of that
text is stored in the repository. Without them, built-in word lists
(:mod:`bench.wordlists`) stand in. Each story also draws from one of a few
hundred topics (so words co-occur as in real copy), and invented names and
numbers keep the vocabulary growing with the corpus, as a real archive's
does.

Streaming: stories are written day by day in date order with only that
day's state in memory, so a million stories take minutes and little memory.
A hidden ``.manifest.json`` at the corpus root (ignored by the readers)
records what was generated and the words the benchmark queries are made
from.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import glob
import itertools
import json
import math
import os
import random
import re
import sys
import textwrap
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from bench import wordlists as W

DEFAULT_REALDATA = Path(__file__).resolve().parents[2] / "shared" / "realdata"
START = dt.date(2012, 1, 1)
MANIFEST = ".manifest.json"
#: A generator version: a corpus made by another version is made again.
GENERATOR_VERSION = 1

_STRIP_CHARS = "()[]{}\"«»“”„*_#|<>"
_ABBREVIATIONS = {"M.", "Mme.", "MM.", "Dr.", "St.", "av.", "J.-C."}
_UNITS = ("personnes", "millions", "%", "km", "euros", "dollars", "ans", "jours")
_WORDISH = re.compile(r"^[^\W\d_][\w'’\-]*$")


# ---------------------------------------------------------------- language

@dataclass
class Language:
    """What the generated text is sampled from."""

    source: str
    chunks: list[str]
    cum: list[float]
    head_chunks: list[str]
    head_cum: list[float]
    story_words: list[int]          # words per story (empirical)
    sentence_words: list[int]       # words per sentence
    paragraph_sentences: list[int]  # sentences per paragraph
    headline_words: list[int]
    topics: list[list[str]]
    content: list[str]              # content words, most frequent first
    phrases: list[str]              # frequent two-word phrases of content words
    mean_chunk: float = 1.0
    table: list[str] = field(default_factory=list)
    head_table: list[str] = field(default_factory=list)

    def __post_init__(self):
        self.table = sampling_table(self.chunks, self.cum)
        self.head_table = sampling_table(self.head_chunks, self.head_cum, 1 << 18)


def _clean_token(tok: str) -> str:
    tok = tok.strip(_STRIP_CHARS)
    if tok and tok[-1] in ".!?;:" and tok not in _ABBREVIATIONS and len(tok) > 2:
        tok = tok.rstrip(".!?;:")
    return tok


def _chunked(tokens: list[str], rng: random.Random, counter: Counter) -> None:
    i, n = 0, len(tokens)
    while i < n:
        r = rng.random()
        k = 1 if r < 0.45 else 2 if r < 0.8 else 3
        counter[" ".join(tokens[i:i + k])] += 1
        i += k


def _cumulative(counter: Counter) -> tuple[list[str], list[float]]:
    items = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
    return [k for k, _ in items], list(itertools.accumulate(float(v) for _, v in items))


def sampling_table(items: list[str], cum: list[float], size: int = 1 << 20) -> list[str]:
    """A table to draw from by ``table[int(random() * len(table))]``: the
    item at each of ``size`` evenly spaced quantiles of the distribution
    (one list lookup a draw instead of a bisection; items rarer than
    1/size may be skipped or counted once).

    >>> sampling_table(["a", "b"], [3.0, 4.0], 8)
    ['a', 'a', 'a', 'a', 'a', 'a', 'b', 'b']
    """
    table, i, total = [], 0, cum[-1]
    for j in range(size):
        target = (j + 0.5) * total / size
        while cum[i] < target:
            i += 1
        table.append(items[i])
    return table


def load_language(realdata: str | os.PathLike | None, seed: int = 1) -> Language:
    """The vocabulary and length statistics: from real stories if given and
    present, else the built-in lists."""
    files = sorted(glob.glob(os.path.join(str(realdata), "*.jsonl"))) if realdata else []
    if files:
        return _language_from_realdata(files, seed)
    return _builtin_language(seed)


def _language_from_realdata(files: list[str], seed: int) -> Language:
    rng = random.Random(seed * 7919 + 11)
    body, heads = Counter(), Counter()
    story_words, sentence_words, para_sentences, head_words = [], [], [], []
    lower_seen: set[str] = set()
    texts: list[tuple[str, str]] = []
    for path in files:
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                try:
                    record = json.loads(line)
                except ValueError:
                    continue
                text = record.get("text") or record.get("body") or ""
                headline = record.get("headline") or record.get("title") or ""
                if not text.strip():
                    continue
                texts.append((headline, text))
                for tok in text.split():
                    if tok[:1].islower():
                        lower_seen.add(tok)
    token_counts: Counter = Counter()
    for headline, text in texts:
        n_words = 0
        for para in text.split("\n"):
            para = para.strip()
            if not para or para.startswith("- "):
                continue
            sentences = [s for s in re.split(r"(?<=[.!?»])\s+(?=[A-ZÀ-Ý«\"])", para) if s.strip()]
            para_sentences.append(len(sentences))
            for sentence in sentences:
                toks = [t for t in (_clean_token(t) for t in sentence.split()) if t]
                if not toks:
                    continue
                if toks[0][:1].isupper() and toks[0].lower() in lower_seen:
                    toks[0] = toks[0].lower()
                sentence_words.append(len(toks))
                n_words += len(toks)
                token_counts.update(toks)
                _chunked(toks, rng, body)
        story_words.append(n_words)
        htoks = [t for t in (_clean_token(t) for t in headline.split()) if t]
        if htoks:
            head_words.append(min(len(htoks), 18))
            if htoks[0][:1].isupper() and htoks[0].lower() in lower_seen:
                htoks[0] = htoks[0].lower()
            _chunked(htoks, rng, heads)
    chunks, cum = _cumulative(body)
    head_chunks, head_cum = _cumulative(heads)
    common = {w for w, _ in token_counts.most_common(200)}
    content = [w for w, c in sorted(token_counts.items(), key=lambda kv: (-kv[1], kv[0]))
               if c >= 3 and len(w) >= 5 and w not in common and _WORDISH.match(w) and "'" not in w and "’" not in w]
    phrases = [c for c in chunks[:20000] if c.count(" ") == 1
               and all(len(w) >= 4 and w in token_counts and w not in common and _WORDISH.match(w)
                       for w in c.split())][:200]
    total_tokens = sum(token_counts.values())
    lang = Language(
        source=f"realdata: {len(texts)} stories, {total_tokens} words, {len(files)} files",
        chunks=chunks, cum=cum, head_chunks=head_chunks, head_cum=head_cum,
        story_words=[w for w in story_words if w >= 30] or [400],
        sentence_words=sentence_words, paragraph_sentences=para_sentences,
        headline_words=head_words, topics=_topics(content, rng), content=content, phrases=phrases,
    )
    lang.mean_chunk = total_tokens / max(1, sum(body.values()))
    return lang


def _builtin_language(seed: int) -> Language:
    rng = random.Random(seed * 7919 + 13)
    counter: Counter = Counter()
    for rank, chunk in enumerate(W.FUNCTION_CHUNKS):
        counter[chunk] += 60000.0 / (rank + 1)
    for rank, chunk in enumerate(W.CONTENT_CHUNKS):
        counter[chunk] += 9000.0 / (rank + 8) ** 0.9
    chunks, cum = _cumulative(counter)
    heads = Counter({c: w for c, w in counter.items() if c in set(W.CONTENT_CHUNKS)})
    for rank, chunk in enumerate(W.FUNCTION_CHUNKS[:30]):
        heads[chunk] += 3000.0 / (rank + 1)
    head_chunks, head_cum = _cumulative(heads)
    total_words = sum(len(c.split()) * w for c, w in counter.items())
    content = [c for c in W.CONTENT_CHUNKS if " " not in c and len(c) >= 5 and _WORDISH.match(c)]
    phrases = [c for c in W.CONTENT_CHUNKS if c.count(" ") == 1 and all(len(w) >= 4 for w in c.split())]
    lang = Language(
        source="built-in word lists (no realdata found)",
        chunks=chunks, cum=cum, head_chunks=head_chunks, head_cum=head_cum,
        story_words=[max(60, min(2000, int(rng.lognormvariate(math.log(420), 0.5)))) for _ in range(2000)],
        sentence_words=[max(6, min(60, int(rng.gauss(24, 9)))) for _ in range(2000)],
        paragraph_sentences=[1, 1, 1, 1, 2, 2, 3],
        headline_words=[max(4, min(18, int(rng.gauss(10.5, 2.8)))) for _ in range(500)],
        topics=_topics(content, rng), content=content, phrases=phrases,
    )
    lang.mean_chunk = total_words / sum(counter.values())
    return lang


def _topics(content: list[str], rng: random.Random, n: int = 300, size: int = 12) -> list[list[str]]:
    """Topics: sets of content words that go together in a story."""
    pool = content[:20000] or ["actualité"]
    weights = list(itertools.accumulate(1.0 / (r + 20) for r in range(len(pool))))
    return [sorted(set(rng.choices(pool, cum_weights=weights, k=size))) for _ in range(n)]


# ---------------------------------------------------------------- people

def _names(rng: random.Random, n: int) -> list[str]:
    out, seen = [], set()
    while len(out) < n:
        name = f"{rng.choice(W.FIRST_NAMES)} {rng.choice(W.LAST_NAMES)}"
        if name not in seen:
            seen.add(name)
            out.append(name)
    return out


def _zipf_cum(n: int, s: float = 1.0, q: float = 1.0) -> list[float]:
    return list(itertools.accumulate(1.0 / (r + q) ** s for r in range(n)))


def invented_name(n: int) -> str:
    """A proper name made of syllables, a different one for each number.

    >>> invented_name(0), invented_name(1234)
    ('Baba', 'Phama')
    """
    syl = W.SYLLABLES
    n += len(syl) + 1
    parts = []
    while n:
        n, r = divmod(n - 1, len(syl))
        parts.append(syl[r])
    word = "".join(parts) + W.ENDINGS[len(parts) * 7 % len(W.ENDINGS)]
    return word[:1].upper() + word[1:]


def _fold_ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def _slug(headline: str) -> str:
    words = re.findall(r"[a-z0-9]+", _fold_ascii(headline).lower())
    words = [w for w in words if len(w) > 2][:5] or ["depeche"]
    return "-".join(words)[:48].strip("-")


# ---------------------------------------------------------------- stories

@dataclass
class _Story:
    agency: str
    date: dt.date
    headline: str
    place: str
    paragraphs: list[str]
    version: str | None = None
    note: str | None = None
    authors: list[str] = field(default_factory=list)
    translators: list[str] = field(default_factory=list)
    editors: list[str] = field(default_factory=list)
    style: dict = field(default_factory=dict)


class Generator:
    """Stories, one day at a time, from a seed."""

    def __init__(self, size: int, seed: int = 1, realdata: str | os.PathLike | None = DEFAULT_REALDATA):
        self.size, self.seed = size, seed
        self.rng = random.Random(seed)
        self.lang = load_language(realdata, seed)
        people = random.Random(seed + 101)
        self.translators = _names(people, 40)
        self.editors = _names(people, 30)
        self.authors = _names(people, min(len(W.FIRST_NAMES) * len(W.LAST_NAMES) // 2, 300 + size // 200))
        self.translators_cum = _zipf_cum(len(self.translators), 1.1, 2)
        self.editors_cum = _zipf_cum(len(self.editors), 1.0, 2)
        self.authors_cum = _zipf_cum(len(self.authors), 0.8, 5)
        self.places_cum = _zipf_cum(len(W.PLACES), 0.9, 3)
        self.agency_names = [a for a, _, _ in W.AGENCIES]
        self.agency_cum = list(itertools.accumulate(w for _, w, _ in W.AGENCIES))
        self.jsonl_agencies = {a for a, _, j in W.AGENCIES if j}
        self.topic_cum = _zipf_cum(len(self.lang.topics), 0.9, 10)
        self.days = min(3650, max(7, size // 20))

    # -- sampling helpers
    def _pick(self, pop: list[str], cum: list[float]) -> str:
        return pop[bisect.bisect(cum, self.rng.random() * cum[-1])]

    def _sentence_text(self, n_words: int, focus: list[str]) -> str:
        rng, lang = self.rng, self.lang
        k = max(2, round(n_words / lang.mean_chunk))
        toks = [lang.table[int(rng.random() * len(lang.table))] for _ in range(k)]
        r = rng.random()
        if r < 0.5 and focus:
            toks[int(rng.random() * k)] = focus[int(rng.random() * len(focus))]
        if r < 0.2:
            toks[int(rng.random() * k)] = invented_name(int(rng.paretovariate(0.7) * 20))
        elif r > 0.85:
            toks[int(rng.random() * k)] = f"{int(rng.paretovariate(1.2) * 10)} {rng.choice(('personnes', 'millions', '%', 'km', 'euros', 'dollars'))}"
        elif r > 0.8:
            toks.insert(int(rng.random() * k), self._pick(self.authors, self.authors_cum))
        text = " ".join(toks)
        return text[:1].upper() + text[1:]

    def _paragraphs(self, n_words: int, focus: list[str]) -> list[str]:
        """Paragraphs of about ``n_words`` words: one draw of chunks for the
        whole story, cut into sentences, with topic words, names and numbers
        put in."""
        rng, lang = self.rng, self.lang
        rnd = rng.random
        lengths, n_lengths = lang.sentence_words, len(lang.sentence_words)
        per_para, n_per_para = lang.paragraph_sentences, len(lang.paragraph_sentences)
        mean_chunk = lang.mean_chunk
        plan: list[list[int]] = []
        total = n_chunks = n_sentences = 0
        while total < n_words:
            para = []
            for _ in range(per_para[int(rnd() * n_per_para)]):
                n = lengths[int(rnd() * n_lengths)]
                k = max(2, int(n / mean_chunk + 0.5))
                para.append(k)
                total += n
                n_chunks += k
            n_sentences += len(para)
            plan.append(para)
        table = lang.table
        size = len(table)
        toks = [table[int(rnd() * size)] for _ in range(n_chunks)]
        if focus:
            for _ in range(int(n_sentences * 0.5 + rnd())):
                toks[int(rnd() * n_chunks)] = focus[int(rnd() * len(focus))]
        for _ in range(int(n_sentences * 0.2 + rnd())):
            toks[int(rnd() * n_chunks)] = invented_name(int(rng.paretovariate(0.7) * 20))
        for _ in range(int(n_sentences * 0.15 + rnd())):
            toks[int(rnd() * n_chunks)] = f"{int(rng.paretovariate(1.2) * 10)} {_UNITS[int(rnd() * len(_UNITS))]}"
        for _ in range(int(n_sentences * 0.05 + rnd())):
            toks[int(rnd() * n_chunks)] = self._pick(self.authors, self.authors_cum)
        paragraphs, pos = [], 0
        for para in plan:
            sentences = []
            for k in para:
                text = " ".join(toks[pos:pos + k])
                pos += k
                text = text[:1].upper() + text[1:]
                q = rnd()
                if q < 0.06:
                    text = f"« {text} », a déclaré {self._pick(self.authors, self.authors_cum)}."
                elif q < 0.09:
                    text = f'"{text}", a-t-il dit.'
                else:
                    text += "."
                sentences.append(text)
            paragraphs.append(" ".join(sentences))
        return paragraphs

    def _headline(self, focus: list[str]) -> str:
        rng, lang = self.rng, self.lang
        n = rng.choice(lang.headline_words)
        k = max(2, round(n / lang.mean_chunk))
        table = lang.head_table
        toks = [table[int(rng.random() * len(table))] for _ in range(k)]
        if focus:
            toks[0 if rng.random() < 0.3 else int(rng.random() * k)] = focus[int(rng.random() * len(focus))]
        text = " ".join(toks)
        text = text[:1].upper() + text[1:]
        if rng.random() < 0.15 and focus:
            topic = focus[0]
            text = f"{topic[:1].upper()}{topic[1:]}: {text[:1].lower()}{text[1:]}"
        return text

    def _place(self, agency: str) -> str:
        home = W.HOME_PLACES.get(agency)
        if home and self.rng.random() < 0.6:
            return self.rng.choice(home)
        return self._pick(W.PLACES, self.places_cum)

    # -- one event: a story and maybe its versions
    def event(self, agency: str, date: dt.date, room: int) -> list[_Story]:
        rng = self.rng
        topic = self.lang.topics[bisect.bisect(self.topic_cum, rng.random() * self.topic_cum[-1])]
        focus = rng.sample(topic, min(len(topic), 5))
        length = rng.choice(self.lang.story_words)
        length = int(length * {"Xinhua": 0.7, "ATS": 0.8, "Belga": 0.7, "Reuters": 1.1}.get(agency, 1.0))
        story = _Story(agency, date, self._headline(focus), self._place(agency),
                       self._paragraphs(max(40, length), focus))
        self._credits(story)
        self._style(story)
        stories = [story]
        if room >= 2 and rng.random() < 0.08:
            stories = self._versions(story, focus, room)
        return stories

    def _credits(self, st: _Story) -> None:
        rng, a = self.rng, st.agency
        if a == "Reuters" and rng.random() < 0.85:
            st.authors = [self._pick(self.authors, self.authors_cum) for _ in range(rng.choice((1, 1, 2, 3)))]
            st.translators = [self._pick(self.translators, self.translators_cum) for _ in range(rng.choice((1, 1, 1, 2)))]
            if rng.random() < 0.6:
                st.editors = [self._pick(self.editors, self.editors_cum)]
        elif a in ("AP", "DPA", "ANSA", "EFE", "Kyodo", "Bloomberg") and rng.random() < 0.4:
            st.translators = [self._pick(self.translators, self.translators_cum)]
        elif a == "AFP" and rng.random() < 0.25:
            st.authors = [self._pick(self.authors, self.authors_cum)]
        st.authors = list(dict.fromkeys(st.authors))
        st.translators = list(dict.fromkeys(st.translators))

    def _style(self, st: _Story) -> None:
        rng = self.rng
        st.style = {
            "typographic": rng.random() < 0.35,      # ’ for '
            "nbsp": rng.random() < 0.3,              # French spacing before : ; ? ! and inside « »
            "scraped": st.agency == "Reuters" and rng.random() < 0.3,
            "front_matter": st.agency == "Reuters" and rng.random() < 0.05,
            "wrapped": rng.random() < 0.03,
            "region": rng.random() < 0.5,
            "multi_place": rng.random() < 0.03,
            "signature": rng.random(),
            "debris": rng.random(),
            "subheads": rng.random() < 0.5,
            "lire_aussi": self._headline([]) if rng.random() < 0.08 else None,
            "other_place": self._place(st.agency),
        }

    def _versions(self, base: _Story, focus: list[str], room: int) -> list[_Story]:
        rng = self.rng
        chain: list[_Story] = []
        if rng.random() < 0.35:
            words = base.headline.split()
            urgent = _Story(base.agency, base.date, " ".join(words[: max(4, len(words) * 2 // 3)]), base.place,
                            [base.paragraphs[0]], "urgent", None, style=dict(base.style, front_matter=False))
            chain.append(urgent)
        chain.append(base)
        later = rng.choice((["actualisé"], ["actualisé"], ["actualisé", "refonte"], ["refonte"], ["correction"]))
        previous = base
        for version in later:
            notes = ", ".join(rng.sample(W.UPDATE_NOTES, rng.choice((1, 2))))
            if version == "refonte":
                headline = " ".join(previous.headline.split()[: max(3, len(previous.headline.split()) // 2)])
                headline = f"{headline} {self._headline(focus)[:1].lower()}{self._headline(focus)[1:]}"
                paragraphs = [previous.paragraphs[0]] + self._paragraphs(sum(len(p.split()) for p in previous.paragraphs[1:]) or 100, focus)
                note = f"Refonte avec {notes}"
            elif version == "correction":
                headline, paragraphs = previous.headline, list(previous.paragraphs)
                note = f"Correction: {self._sentence_text(6, [])[:40].rstrip()} au {rng.randint(2, 6)}e paragraphe"
            else:
                headline = previous.headline
                paragraphs = [previous.paragraphs[0]] + self._paragraphs(80, focus) + previous.paragraphs[1:]
                note = f"Actualisé avec {notes}"
            st = _Story(base.agency, base.date, headline, base.place, paragraphs, version, note,
                        list(base.authors), list(base.translators), list(base.editors), dict(base.style, front_matter=False))
            chain.append(st)
            previous = st
        return chain[:room]


# ---------------------------------------------------------------- rendering

def _day(d: int) -> str:
    return "1er" if d == 1 else str(d)


def _join_names(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " et " + names[-1]


def _dateline(st: _Story, places: str) -> str:
    d, a = st.date, st.agency
    if a == "AFP":
        return f"{places}, {_day(d.day)} {W.MONTHS_ABBR[d.month - 1]} {d.year} (AFP) - "
    if a == "AP":
        return f"{places} (AP) — "
    if a == "Xinhua":
        return f"{places}, {_day(d.day)} {W.MONTHS[d.month - 1]} (Xinhua) -- "
    if a == "Belga":
        return f"{places}, {d.day}/{d.month} (Belga) - "
    if a == "DPA":
        return f"{places}, {_day(d.day)} {W.MONTHS_ABBR[d.month - 1]} (dpa) - "
    return f"{places}, {_day(d.day)} {W.MONTHS[d.month - 1]} ({a}) - "


def _initials(rng: random.Random) -> str:
    letters = "abcdefghijklmnoprstv"
    groups = ["".join(rng.choice(letters) for _ in range(rng.choice((2, 3, 3)))) for _ in range(rng.choice((2, 3, 4)))]
    sep = rng.choice(("-", "/"))
    return groups[0] + sep + "/".join(groups[1:])


def render(st: _Story, rng: random.Random) -> tuple[str, str]:
    """The story as a plain-text file would hold it, and its lead's weekday
    written in (for the record); returns (text, headline as written)."""
    style = st.style
    a = st.agency
    places = st.place
    if style["multi_place"] and places != style["other_place"]:
        places = f"{places}/{style['other_place']}"
    elif style["region"] and places in W.REGIONS:
        places = f"{places}, {W.REGIONS[places]}"
    weekday = W.WEEKDAYS[(st.date.weekday() - (1 if rng.random() < 0.2 else 0)) % 7]
    paras = list(st.paragraphs)
    lead_words = paras[0].split(" ", 3)
    if len(lead_words) == 4:
        lead_words.insert(3, weekday)
    lead = _dateline(st, places) + " ".join(lead_words)
    if st.note:
        lead = f"({st.note}) {lead}"
    headline = st.headline
    if st.version == "urgent":
        headline = rng.choice(("URGENT - ", "URGENT: ")) + headline
    out: list[str] = [headline]
    if style["scraped"]:
        out += ["\n".join(W.SHARE_WIDGET)]
        if style["debris"] < 0.3:
            out += ["\n".join(W.SHARE_BUTTONS[:3])]
    if a == "AFP" and st.authors:
        first, last = st.authors[0].split(" ", 1)
        out.append(f"Par {first} {last.upper()}")
    out.append(lead)
    body = paras[1:]
    if a == "AFP" and style["subheads"] and len(body) >= 6:
        for i in range(len(body) - 3, 2, -5):
            words = body[i - 2].split()[3:6]
            if len(words) == 3:
                body.insert(i, "- " + " ".join(words).rstrip(",.").capitalize() + " -")
    elif a == "Reuters" and style["subheads"] and len(body) >= 8 and rng.random() < 0.3:
        words = body[len(body) // 2].split()[:3]
        body.insert(len(body) // 2, " ".join(words).rstrip(",.").upper())
    if style["debris"] > 0.9 and len(body) > 3:
        body.insert(2, "Publicité")
    if style["lire_aussi"] and len(body) > 2:
        body.insert(len(body) - 1, "Lire aussi : " + style["lire_aussi"])
    out += body
    sig = style["signature"]
    if a == "Reuters" and st.translators:
        credit = []
        if st.authors:
            credit.append(("Reportage de " if sig < 0.3 else "") + _join_names(st.authors))
        tr = _join_names(st.translators)
        part = f"version française {tr}" if sig > 0.8 else f"{tr} pour le service français"
        if st.editors:
            part += f", édité par {st.editors[0]}"
        credit.append(part)
        out.append("(" + "; ".join(credit) + ")")
    elif st.translators:
        who = _join_names(st.translators)
        out.append(f"(version française {who})" if a == "AP" else f"(traduction {who})")
    elif a == "Xinhua" and sig < 0.35:
        out.append("(Service français)")
    elif a == "ATS":
        if sig < 0.25:
            out.append(f"(Rédaction de {rng.choice(('Genève', 'Berne', 'Lausanne'))})")
        elif sig < 0.75:
            out.append(f"(ats/{_initials(rng).replace('-', '/')})")
    elif a == "Belga" and sig < 0.5:
        out.append(f"(belga/{_initials(rng)})")
    if a == "AFP" and sig < 0.85 and st.version != "urgent":
        out.append(_initials(rng))
    if style["debris"] < 0.05 or (a == "AFP" and style["debris"] > 0.95):
        out.append(f"© {st.date.year} {a}")
    if style["scraped"]:
        out.append("\n".join(W.COMMENTS_FOOTER))
    text = "\n\n".join(out) + "\n"
    if style["wrapped"]:
        head, rest = text.split("\n\n", 1)
        text = head + "\n\n" + "\n\n".join(textwrap.fill(p, 72) if len(p) > 80 else p for p in rest.split("\n\n")) + "\n"
    if style["nbsp"]:
        text = re.sub(r" ([:;?!»])", "\u00a0\\1", text).replace("« ", "«\u202f")
    if style["typographic"]:
        text = text.replace("'", "’")
    return text, headline


# ---------------------------------------------------------------- writing

@dataclass
class Manifest:
    """What was generated (written as .manifest.json at the corpus root)."""

    size: int
    seed: int
    version: int = GENERATOR_VERSION
    language: str = ""
    stories: int = 0
    txt_files: int = 0
    jsonl_files: int = 0
    jsonl_stories: int = 0
    bytes: int = 0
    version_stories: int = 0
    first_date: str = ""
    last_date: str = ""
    seconds: float = 0.0
    agencies: dict = field(default_factory=dict)
    translators: dict = field(default_factory=dict)
    places: dict = field(default_factory=dict)
    query_words: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return dict(self.__dict__)


def _query_words(lang: Language) -> dict:
    """Words and phrases the benchmark's queries are made of, by frequency band."""
    c = [w for w in lang.content if len(w) >= 5 and w.isalpha() and w[:1].islower()] or lang.content
    n = len(c)

    def band(lo: float, hi: float, k: int = 12) -> list[str]:
        part = c[int(n * lo): max(int(n * lo) + 1, int(n * hi))]
        step = max(1, len(part) // k)
        return part[::step][:k]

    if n > 2000:   # real vocabulary: frequent, middle and rare content words
        frequent, middle, rare = c[5:65:5], c[300:1500:100], c[3000:9000:500]
    else:
        frequent, middle, rare = band(0.0, 0.1), band(0.3, 0.5), band(0.8, 1.0)
    return {"frequent": frequent, "middle": middle, "rare": rare,
            "phrases": [p for p in lang.phrases if p.replace(" ", "").isalpha()][:12],
            "topics": [t for t in lang.topics[:10]]}


def generate_corpus(out: str | os.PathLike, size: int, seed: int = 1,
                    realdata: str | os.PathLike | None = DEFAULT_REALDATA,
                    progress=None) -> Manifest:
    """Write ``size`` stories under ``out`` (which should be empty or new)."""
    started = time.monotonic()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    gen = Generator(size, seed, realdata)
    rng = gen.rng
    man = Manifest(size=size, seed=seed, language=gen.lang.source)
    agencies, translators, places = Counter(), Counter(), Counter()
    made_dirs: set[str] = set()
    jsonl: dict[str, tuple[str, object]] = {}   # agency -> (path, handle)
    weights = [0.5 if (START + dt.timedelta(d)).weekday() == 6 else 0.6
               if (START + dt.timedelta(d)).weekday() == 5 else 1.0 for d in range(gen.days)]
    cum_w = list(itertools.accumulate(weights))
    produced = 0
    try:
        for d in range(gen.days):
            date = START + dt.timedelta(d)
            quota = round(size * cum_w[d] / cum_w[-1]) - produced
            slugs: set[str] = set()
            seq = Counter()
            while quota > 0:
                agency = gen.agency_names[bisect.bisect(gen.agency_cum, rng.random() * gen.agency_cum[-1])]
                chain = gen.event(agency, date, quota)
                base_slug = None
                for n, st in enumerate(chain):
                    text, headline = render(st, rng)
                    agencies[agency] += 1
                    translators.update(st.translators)
                    places[st.place] += 1
                    if st.version:
                        man.version_stories += 1
                    adir = agency.lower()
                    if agency in gen.jsonl_agencies:
                        seq[agency] += 1
                        path = out / adir / f"{date:%Y}" / f"{adir}-{date:%Y-%m}.jsonl"
                        held = jsonl.get(agency)
                        if held is None or held[0] != str(path):
                            if held is not None:
                                held[1].close()
                            path.parent.mkdir(parents=True, exist_ok=True)
                            if not path.exists():
                                man.jsonl_files += 1
                            held = (str(path), open(path, "a", encoding="utf-8", newline="\n"))
                            jsonl[agency] = held
                        record = {"id": f"{adir}-fr-{date:%Y%m%d}-{seq[agency]:04d}", "date": date.isoformat(),
                                  "agency": agency if agency != "DPA" else "dpa"}
                        if rng.random() < 0.5:
                            record["headline"] = headline
                            text = text.split("\n\n", 1)[1]
                        record["text"] = text
                        line = json.dumps(record, ensure_ascii=False) + "\n"
                        held[1].write(line)
                        man.jsonl_stories += 1
                        man.bytes += len(line.encode("utf-8"))
                    else:
                        folder = out / adir / f"{date:%Y}" / f"{date:%m}" / f"{date:%d}"
                        key = str(folder)
                        if key not in made_dirs:
                            folder.mkdir(parents=True, exist_ok=True)
                            made_dirs.add(key)
                            if len(made_dirs) > 64:
                                made_dirs = {key}
                        if base_slug is None:
                            base_slug = _slug(headline.replace("URGENT", ""))
                            candidate, k = base_slug, 1
                            while f"{adir}/{candidate}" in slugs:
                                k += 1
                                candidate = f"{base_slug}-{k}"
                            base_slug = candidate
                            name = base_slug
                        else:
                            name = f"{base_slug}-v{n + 1}"
                        slugs.add(f"{adir}/{name}")
                        if st.style["front_matter"]:
                            text = (f"---\nurl: https://fr.example.com/article/{name}\n"
                                    f"section: {rng.choice(('monde', 'économie', 'politique', 'sport', 'culture'))}\n"
                                    f"language: fr\n---\n") + text
                        data = text.encode("utf-8")
                        with open(folder / f"{name}.txt", "wb") as handle:
                            handle.write(data)
                        man.txt_files += 1
                        man.bytes += len(data)
                    produced += 1
                    quota -= 1
                if progress and produced % 1000 < len(chain):
                    progress(produced, size)
    finally:
        for _, handle in jsonl.values():
            handle.close()
    man.stories = produced
    man.first_date = START.isoformat()
    man.last_date = (START + dt.timedelta(gen.days - 1)).isoformat()
    man.agencies = dict(agencies.most_common())
    man.translators = dict(translators.most_common(20))
    man.places = dict(places.most_common(20))
    man.query_words = _query_words(gen.lang)
    man.seconds = round(time.monotonic() - started, 2)
    (out / MANIFEST).write_text(json.dumps(man.to_dict(), ensure_ascii=False, indent=1), encoding="utf-8")
    return man


def read_manifest(corpus: str | os.PathLike) -> dict | None:
    """The manifest of a generated corpus, or None."""
    try:
        return json.loads((Path(corpus) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", type=int, default=10000, help="number of stories (default 10,000)")
    ap.add_argument("--out", required=True, help="folder to write (created; should be empty)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--realdata", default=str(DEFAULT_REALDATA),
                    help="folder of real *.jsonl stories for vocabulary statistics ('none': built-in lists)")
    args = ap.parse_args(argv)
    if Path(args.out).exists() and any(Path(args.out).iterdir()):
        print(f"bench.generate: error: {args.out} is not empty", file=sys.stderr)
        return 2
    realdata = None if args.realdata.lower() == "none" else args.realdata
    man = generate_corpus(args.out, args.size, args.seed, realdata)
    print(f"{man.stories} stories ({man.txt_files} text files, {man.jsonl_stories} stories in "
          f"{man.jsonl_files} JSON Lines files), {man.bytes / 1e6:.1f} MB, {man.first_date} to {man.last_date}, "
          f"in {man.seconds:.1f} s; vocabulary: {man.language}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
