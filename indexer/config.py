"""Corpus configuration: ``corpus.yaml`` at the root of a corpus.

Read with ``yaml.safe_load`` only, and validated key by key so that a user's
mistake gets one line naming the file, the key and what is allowed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from indexer.errors import ConfigError

CONFIG_NAME = "corpus.yaml"

_ALLOWED = {
    "name": "a string",
    "language": "a language code such as fr",
    "year": "a year such as 2015",
    "years": "a range of two years such as [2013, 2016]",
    "agency": "an agency name such as Reuters",
    "agency_aliases": "a mapping of alias to agency name",
    "debris": "a list of regular expressions matched against whole lines",
}


@dataclass(frozen=True)
class CorpusConfig:
    """What a corpus.yaml says; the defaults apply when there is none."""

    name: str | None = None
    language: str = "fr"
    years: tuple[int, int] | None = None
    agency: str | None = None
    agency_aliases: dict[str, str] = field(default_factory=dict, hash=False)
    debris: tuple[str, ...] = ()
    path: str | None = None

    @property
    def single_year(self) -> int | None:
        """The year when the corpus names exactly one."""
        if self.years and self.years[0] == self.years[1]:
            return self.years[0]
        return None


def _year(path, key, value) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1800 <= value <= 2200:
        raise ConfigError(path, key, f"expected {_ALLOWED['year']}, got {value!r}")
    return value


def parse_config(data: Any, path: str = CONFIG_NAME) -> CorpusConfig:
    """Validate the loaded YAML of a corpus.yaml.

    >>> parse_config({"years": [2013, 2016], "agency": "AFP"}).years
    (2013, 2016)
    >>> parse_config({"colour": "red"})
    Traceback (most recent call last):
    ...
    indexer.errors.ConfigError: corpus.yaml: colour: unknown key; allowed: name, language, year, years, agency, agency_aliases, debris
    """
    if data is None:
        return CorpusConfig(path=str(path))
    if not isinstance(data, dict):
        raise ConfigError(path, None, "expected a mapping of keys to values")
    out: dict[str, Any] = {"path": str(path)}
    for key, value in data.items():
        if key not in _ALLOWED:
            raise ConfigError(path, str(key), "unknown key; allowed: " + ", ".join(_ALLOWED))
        if key in ("name", "language", "agency"):
            if not isinstance(value, str) or not value.strip():
                raise ConfigError(path, key, f"expected {_ALLOWED[key]}, got {value!r}")
            out[key] = value.strip()
        elif key == "year":
            y = _year(path, key, value)
            out["years"] = (y, y)
        elif key == "years":
            if (not isinstance(value, list) or len(value) != 2):
                raise ConfigError(path, key, f"expected {_ALLOWED[key]}, got {value!r}")
            lo, hi = (_year(path, key, v) for v in value)
            if lo > hi:
                raise ConfigError(path, key, f"the first year must not be after the second: {value!r}")
            out["years"] = (lo, hi)
        elif key == "agency_aliases":
            if not isinstance(value, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in value.items()
            ):
                raise ConfigError(path, key, f"expected {_ALLOWED[key]}, got {value!r}")
            out[key] = dict(value)
        elif key == "debris":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError(path, key, f"expected {_ALLOWED[key]}, got {value!r}")
            for pattern in value:
                try:
                    re.compile(pattern)
                except re.error as exc:
                    raise ConfigError(path, key, f"bad regular expression {pattern!r}: {exc}") from None
            out[key] = tuple(value)
    if "year" in data and "years" in data:
        raise ConfigError(path, "years", "give either year or years, not both")
    return CorpusConfig(**out)


def load_config(path: Path) -> CorpusConfig:
    """Read and validate one corpus.yaml file."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(path, None, f"cannot read: {exc}") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ConfigError(path, None, f"{where}not valid YAML: {problem}") from None
    return parse_config(data, str(path))


def find_config(root: Path) -> Path | None:
    """The corpus.yaml at ``root`` or in the nearest folder above it."""
    root = Path(root).absolute()
    start = root if root.is_dir() else root.parent
    for folder in (start, *start.parents):
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
    return None
