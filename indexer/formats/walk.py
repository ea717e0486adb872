"""The corpus walk: which files under the given paths are story files.

Hidden files and folders, corpus.yaml, golden files (``*.yaml``), Python
files and project documents (README, LICENSE...) are not stories. Symbolic
links are followed only while they stay inside the path given; a loop or a
link out of the corpus is reported, not followed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from indexer.config import CONFIG_NAME, CorpusConfig, find_config, load_config
from indexer.errors import NoStoriesError
from indexer.formats.problems import FileProblem

_IGNORED_SUFFIXES = {".yaml", ".yml", ".py", ".pyc"}


@dataclass(frozen=True, slots=True)
class CorpusFile:
    """A file to read: its path as given, its path inside the corpus, its config.

    Slotted: a run holds one for every file of the corpus (a million files:
    290 MB less than with a ``__dict__`` each).
    """

    path: str
    relpath: str
    config: CorpusConfig


def iter_corpus_files(paths: list[str | Path], config: CorpusConfig | None = None,
                      problems: list[FileProblem] | None = None) -> Iterator[CorpusFile]:
    """Every story file under ``paths``, sorted, with its corpus config.

    Raises :class:`NoStoriesError` for a path that does not exist, and
    :class:`~indexer.errors.ConfigError` for a bad corpus.yaml. Symbolic
    links are followed only while they stay inside the path given.
    """
    for given in paths:
        given = str(given)
        p = Path(given)
        if not p.exists() and not p.is_symlink():
            raise NoStoriesError(given)
        cfg_path = find_config(p)
        cfg = config or (load_config(cfg_path) if cfg_path else CorpusConfig())
        root = cfg_path.parent if cfg_path else (p if p.is_dir() else p.parent)
        root_abs = os.path.abspath(root)
        if not p.is_dir():
            yield CorpusFile(given, _rel(os.path.abspath(given), root_abs), cfg)
            continue
        real_root = os.path.realpath(given)
        seen = {real_root}
        for dirpath, dirnames, filenames in os.walk(given, followlinks=True):
            kept = []
            for d in sorted(dirnames):
                full = os.path.join(dirpath, d)
                if d.startswith(".") or d == "__pycache__":
                    continue
                if os.path.islink(full):
                    real = os.path.realpath(full)
                    if real in seen or not inside(real, real_root):
                        if problems is not None:
                            why = "symlink loop" if real in seen else "symlink out of the corpus"
                            problems.append(FileProblem(full, f"not followed: {why}", True, "symlink"))
                        continue
                    seen.add(real)
                kept.append(d)
            dirnames[:] = kept
            for name in sorted(filenames):
                if name.startswith(".") or name == CONFIG_NAME:
                    continue
                if Path(name).suffix.lower() in _IGNORED_SUFFIXES or _is_project_doc(name):
                    continue
                full = os.path.join(dirpath, name)
                if os.path.islink(full) and not inside(os.path.realpath(full), real_root):
                    if problems is not None:
                        problems.append(FileProblem(full, "not followed: symlink out of the corpus", True, "symlink"))
                    continue
                yield CorpusFile(full, _rel(os.path.abspath(full), root_abs), cfg)


def _is_project_doc(name: str) -> bool:
    """README, LICENSE and the like describe a corpus; they are not stories."""
    return Path(name).stem.upper() in ("README", "LICENSE", "LICENCE", "COPYING", "CHANGELOG")


def inside(path: str, root: str) -> bool:
    """``path`` is ``root`` or below it (both absolute).

    >>> inside("/a/b/c", "/a/b"), inside("/a/bc", "/a/b")
    (True, False)
    """
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def _rel(path: str, root: str) -> str:
    try:
        return os.path.relpath(path, root).replace(os.sep, "/")
    except ValueError:
        return path.replace(os.sep, "/")


def bundled_corpus() -> Path:
    """The folder of the corpus shipped with Dépêche (installed or checkout)."""
    from importlib.resources import files

    return Path(str(files("corpus")))
