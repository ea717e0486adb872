"""Corpus configuration: ``corpus.yaml`` at the root of a corpus.

Read with ``yaml.safe_load``'s loader only, and validated key by key so that
a user's mistake gets one line naming the file, the key and what is allowed.
This module also holds the two ways Dépêche reads YAML (:func:`strict_yaml`
for files a user writes, :func:`lenient_yaml` for a story's front matter)
and compiles the user's debris patterns with RE2, which cannot backtrack.
"""

from __future__ import annotations

import functools
import os
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


class _StrictLoader(yaml.SafeLoader):
    """safe_load's loader; an impossible date is a YAML error with its line."""


class _LenientLoader(yaml.SafeLoader):
    """safe_load's loader; an impossible date is kept as the text written."""


def _strict_timestamp(loader, node):
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError) as exc:
        raise yaml.constructor.ConstructorError(
            None, None, f"{node.value!r} is not a date ({exc})", node.start_mark) from None


def _lenient_timestamp(loader, node):
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError):
        return str(node.value)


_StrictLoader.add_constructor("tag:yaml.org,2002:timestamp", _strict_timestamp)
_LenientLoader.add_constructor("tag:yaml.org,2002:timestamp", _lenient_timestamp)


def strict_yaml(text: str) -> Any:
    """``yaml.safe_load``, except that every bad value is a ``yaml.YAMLError``
    with its line (safe_load raises ValueError for ``2016-02-30``).

    >>> strict_yaml("from: 2016-02-29")
    {'from': datetime.date(2016, 2, 29)}
    >>> try:
    ...     strict_yaml("a: 1\\nfrom: 2016-02-30")
    ... except yaml.YAMLError as exc:
    ...     print(yaml_problem(exc))
    line 2: not valid YAML: '2016-02-30' is not a date (day is out of range for month)
    """
    return _load(text, _StrictLoader)


def lenient_yaml(text: str) -> Any:
    """``yaml.safe_load``, except that an impossible date stays the text written
    (the story keeps its other keys; the parser warns about the date).

    >>> lenient_yaml("date: 2016-02-30")
    {'date': '2016-02-30'}
    """
    return _load(text, _LenientLoader)


def _load(text: str, loader_class: type[yaml.SafeLoader]) -> Any:
    """What ``yaml.safe_load`` does, with one of the loaders above (both
    SafeLoaders: no Python object is ever built)."""
    loader = loader_class(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def yaml_problem(exc: yaml.YAMLError) -> str:
    """One line for a YAML error: ``line 3: not valid YAML: ...``."""
    mark = getattr(exc, "problem_mark", None)
    where = f"line {mark.line + 1}: " if mark else ""
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    return f"{where}not valid YAML: {problem}"


def compile_debris(pattern: str):
    """A user's debris pattern, compiled by RE2 (linear time, no catastrophic
    backtracking), case-insensitive; raises ValueError with RE2's reason.

    >>> compile_debris(r"(x+x+)+y").fullmatch("x" * 40) is None
    True
    >>> compile_debris(r"(a)\\1")
    Traceback (most recent call last):
    ...
    ValueError: invalid escape sequence: \\1
    """
    return _compile_debris(pattern)


#: RE2's \\s and \\w are ASCII; Python's (and a French user's) are Unicode.
_UNICODE_CLASSES = {"s": r"\s\p{Z}", "w": r"\w\p{L}\p{N}\p{M}"}


def unicode_classes(pattern: str) -> str:
    """A pattern whose ``\\s``, ``\\w``, ``\\S``, ``\\W`` mean in RE2 what they
    mean in Python: non-breaking spaces are spaces, ``é`` is a word character.

    >>> unicode_classes(r"utile\\s*\\?")
    'utile[\\\\s\\\\p{Z}]*\\\\?'
    >>> unicode_classes(r"[\\s,]+")
    '[\\\\s\\\\p{Z},]+'
    """
    out: list[str] = []
    i, in_class = 0, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\" and i + 1 < len(pattern):
            n = pattern[i + 1]
            if n in _UNICODE_CLASSES:
                body = _UNICODE_CLASSES[n]
                out.append(body if in_class else f"[{body}]")
            elif n.lower() in _UNICODE_CLASSES and not in_class:
                out.append(f"[^{_UNICODE_CLASSES[n.lower()]}]")
            else:
                out.append(pattern[i:i + 2])
            i += 2
            continue
        out.append(c)
        i += 1
        if c == "[" and not in_class:
            in_class = True
            for literal in ("^", "]"):  # []...] and [^]...]: the ] is a character
                if pattern[i:i + 1] == literal:
                    out.append(literal)
                    i += 1
        elif c == "]" and in_class:
            in_class = False
    return "".join(out)


@functools.lru_cache(maxsize=256)
def _compile_debris(pattern: str):
    try:
        import re2
    except ImportError:  # a dependency (setup.cfg): only a broken install lacks it
        raise ValueError("debris patterns need the google-re2 package: pip install google-re2") from None

    options = re2.Options()
    options.case_sensitive = False
    options.log_errors = False
    try:
        return re2.compile(unicode_classes(pattern), options)
    except re2.error as exc:
        reason = exc.args[0] if exc.args else exc
        raise ValueError(reason.decode("utf-8", "replace") if isinstance(reason, bytes) else str(reason)) from None


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
                    compile_debris(pattern)
                except ValueError as exc:
                    raise ConfigError(path, key, f"bad regular expression {pattern!r}: {exc} (patterns are RE2: "
                                      "no backreferences or lookarounds)") from None
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
        data = strict_yaml(text)
    except yaml.YAMLError as exc:
        raise ConfigError(path, None, yaml_problem(exc)) from None
    except RecursionError:
        raise ConfigError(path, None, "not valid YAML: nested too deeply") from None
    return parse_config(data, str(path))


def find_config(root: Path) -> Path | None:
    """The corpus.yaml at ``root`` or in the nearest folder above it, up to
    the first folder holding ``.git`` or the user's home folder (included):
    a corpus.yaml further up belongs to someone else's tree."""
    root = Path(root).absolute()
    start = root if root.is_dir() else root.parent
    home = _home()
    for folder in (start, *start.parents):
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
        if (folder / ".git").exists() or (home is not None and folder == home):
            return None
    return None


def _home() -> Path | None:
    home = os.environ.get("HOME")
    if not home:
        try:
            home = str(Path.home())
        except RuntimeError:
            return None
    return Path(home).absolute()
