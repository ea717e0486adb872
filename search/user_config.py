"""The user's defaults: ``$XDG_CONFIG_HOME/depeche/config.yaml``.

``$DEPECHE_CONFIG`` names another file (an empty value: none at all). Read
with ``yaml.safe_load``'s loader and checked key by key like corpus.yaml:
each mistake is one line naming the file, the line and what is allowed::

    # ~/.config/depeche/config.yaml
    index: ~/archives/index     # the index folder (below --index and $DEPECHE_INDEX)
    format: csv-fr              # the output format of every command that offers it (below --format)
    limit: 50                   # hits per page of `depeche search` (below --limit; not for --queries)
    sort: -date                 # the order of `depeche search` (below --sort; not for --queries)

An option on the command line always wins; a missing file is no mistake.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from search.cli_common import CommandError

#: Key -> what it takes (the message of a mistake).
KEYS = {
    "index": "a folder, such as ~/archives/index",
    "format": "an output format",
    "limit": "a whole number of at least 1",
    "sort": "relevance, date or -date",
}


class UserConfigError(CommandError):
    """Mistakes in the user's config file: one line each."""

    def __init__(self, path: Path, problems: list[str]):
        self.path = path
        self.problems = problems
        super().__init__("\n".join(f"{path}: {p}" for p in problems), path=str(path))


@dataclass(frozen=True)
class UserConfig:
    """What the file sets (None: not set)."""

    index: str | None = None
    format: str | None = None
    limit: int | None = None
    sort: str | None = None
    path: str | None = None


def config_path() -> Path | None:
    """``$DEPECHE_CONFIG`` (empty: no file), else ``$XDG_CONFIG_HOME/depeche/config.yaml``
    (``~/.config/depeche/config.yaml``)."""
    named = os.environ.get("DEPECHE_CONFIG")
    if named is not None:
        return Path(os.path.expanduser(named)) if named else None
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.expanduser("~/.config")
    return Path(base) / "depeche" / "config.yaml"


def _lines(text: str) -> dict[str, int]:
    """Each top-level key's line (1-based)."""
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {str(k.value): k.start_mark.line + 1 for k, _ in node.value}


def parse_user_config(text: str, path: Path) -> UserConfig:
    """Validate a config file's text; raises UserConfigError with every mistake.

    >>> parse_user_config("limit: 50\\nsort: -date\\n", Path("c.yaml")).limit
    50
    >>> try:
    ...     parse_user_config("limit: 0\\ncolour: red\\n", Path("c.yaml"))
    ... except UserConfigError as exc:
    ...     print(exc)
    c.yaml: line 1: limit: expected a whole number of at least 1, got 0
    c.yaml: line 2: colour: unknown key; allowed: index, format, limit, sort
    """
    from indexer.config import strict_yaml, yaml_problem
    from search.output import CORPUS_FORMATS, FORMATS, SPREADSHEET_FORMATS
    from search.results import SORTS

    try:
        data = strict_yaml(text)
        lines = _lines(text)
    except (yaml.YAMLError, RecursionError) as exc:
        raise UserConfigError(path, [yaml_problem(exc) if isinstance(exc, yaml.YAMLError)
                                     else "not valid YAML: nested too deeply"]) from None
    if data is None:
        return UserConfig(path=str(path))
    if not isinstance(data, dict):
        raise UserConfigError(path, ["line 1: expected a mapping of keys to values, such as limit: 50"])
    formats = (*FORMATS, *CORPUS_FORMATS, *SPREADSHEET_FORMATS)
    out: dict[str, Any] = {}
    problems = []
    for key, value in data.items():
        where = f"line {lines.get(str(key), 1)}: {key}: "
        if key not in KEYS:
            problems.append(where + "unknown key; allowed: " + ", ".join(KEYS))
        elif key == "index" and not (isinstance(value, str) and value.strip()):
            problems.append(where + f"expected {KEYS[key]}, got {value!r}")
        elif key == "format" and value not in formats:
            problems.append(where + f"expected one of {', '.join(formats)}, got {value!r}")
        elif key == "limit" and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
            problems.append(where + f"expected {KEYS[key]}, got {value!r}")
        elif key == "sort" and value not in SORTS:
            problems.append(where + f"expected {KEYS[key]}, got {value!r}")
        else:
            out[key] = os.path.expanduser(value.strip()) if key == "index" else value
    if problems:
        raise UserConfigError(path, problems)
    return UserConfig(path=str(path), **out)


def load_user_config(path: Path | None = None) -> UserConfig:
    """The user's config (no file: every default)."""
    path = path if path is not None else config_path()
    if path is None or not path.exists():
        return UserConfig()
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise UserConfigError(path, [f"cannot read: {exc.strerror or exc}"]) from None
    except UnicodeDecodeError:
        raise UserConfigError(path, ["not UTF-8 text"]) from None
    return parse_user_config(text, path)


def apply_user_config(args, config: UserConfig) -> None:
    """Fill the options the command line left unset from the config."""
    if config.index and getattr(args, "index", "unset") is None and not os.environ.get("DEPECHE_INDEX"):
        args.index = config.index
    spec = getattr(args, "output_spec", None)
    if config.format and getattr(args, "format", "unset") is None and spec and config.format in spec.formats:
        args.format = config.format
    if args.command == "search" and not getattr(args, "queries", None):   # saved queries carry their own
        if config.limit and args.limit is None:
            args.limit = config.limit
        if config.sort and args.sort is None:
            args.sort = config.sort
