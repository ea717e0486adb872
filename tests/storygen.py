"""Small deterministic corpora for index tests (not the benchmark generator)."""

from __future__ import annotations

import random
from pathlib import Path

PLACES = ["PARIS", "MOSCOU", "WASHINGTON", "BRUXELLES", "GENÈVE", "PEKIN", "LE CAIRE", "BERLIN"]
AGENCIES = ["Reuters", "AFP", "AP", "Xinhua", "ATS"]
WORDS = (
    "gouvernement ministre frappes aériennes élection réforme économie marché banque centrale "
    "inflation sécurité négociations accord sommet président opposition manifestation grève "
    "tempête séisme bilan victimes enquête justice tribunal entreprise emplois croissance "
    "budget déficit énergie pétrole climat sanctions diplomatie frontière réfugiés armée"
).split()
TRANSLATORS = ["Danielle Rouquié", "Marc Angrand", "Juliette Rouillon", "Tangi Salaün"]
WEEKDAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
          "septembre", "octobre", "novembre", "décembre"]


def story_text(rng: random.Random, n: int, day: int, month: int, year: int, weekday: int) -> str:
    words = [rng.choice(WORDS) for _ in range(6)]
    headline = f"{words[0].capitalize()} {words[1]} et {words[2]}, dépêche numéro {n}"
    paragraphs = [
        " ".join(rng.choice(WORDS) for _ in range(rng.randint(15, 40))) + "." for _ in range(rng.randint(2, 5))
    ]
    place = rng.choice(PLACES)
    agency = rng.choice(AGENCIES)
    lead = f"{place}, {day} {MONTHS[month - 1]} ({agency}) - Le {words[3]} a annoncé {WEEKDAYS[weekday]} {paragraphs[0]}"
    credit = f"(Jean Martin; {rng.choice(TRANSLATORS)} pour le service français)" if agency == "Reuters" else ""
    return "\n\n".join([headline, lead, *paragraphs[1:], credit]) + "\n"


def write_corpus(root: Path, files: int, seed: int = 7) -> list[Path]:
    """``files`` plain-text stories in dated folders under ``root``."""
    import datetime as dt

    rng = random.Random(seed)
    written = []
    start = dt.date(2014, 1, 1)
    for n in range(files):
        date = start + dt.timedelta(days=n % 700)
        path = root / f"{date:%Y/%m/%d}" / f"story-{n:05d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(story_text(rng, n, date.day, date.month, date.year, date.weekday()), encoding="utf-8")
        written.append(path)
    return written
