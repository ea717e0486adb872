"""The corpus walk: which files under the given paths are story files.

Hidden files and folders, corpus.yaml, golden files (``*.yaml``), Python
files and project documents (README, LICENSE...) are not stories. Symbolic
links are followed only while they stay inside the path given; a loop or a
link out of the corpus is reported, not followed.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator

from indexer.config import CONFIG_NAME, CorpusConfig, find_config, load_config
from indexer.errors import NoStoriesError
from indexer.formats.problems import FileProblem

_IGNORED_SUFFIXES = {".yaml", ".yml", ".py", ".pyc"}


class CorpusFile:
    """A file to read: its path as given, its path inside the corpus, its config.

    Immutable, compared and hashed by those three. A run holds one for every
    file of the corpus (890,000 for a million stories), so it has slots and
    keeps its path inside the corpus as where that path starts in the path
    given (its end, nearly always): 221 bytes a file, where a dataclass
    took 364 (89,434 files, tracemalloc).
    """

    __slots__ = ("path", "_rel", "config")

    def __init__(self, path: str, relpath: str, config: CorpusConfig):
        start = len(path) - len(relpath)
        rel: str | int = relpath
        if 0 < start < 256 and path.endswith(relpath) and path[start - 1] in "/\\":
            rel = start  # a small int: shared, not stored
        object.__setattr__(self, "path", path)
        object.__setattr__(self, "_rel", rel)
        object.__setattr__(self, "config", config)

    @property
    def relpath(self) -> str:
        rel = self._rel
        return self.path[rel:] if isinstance(rel, int) else rel

    def __setattr__(self, name, value):
        raise AttributeError(f"CorpusFile is immutable: cannot set {name}")

    __delattr__ = __setattr__

    def _key(self) -> tuple[str, str, CorpusConfig]:
        return self.path, self.relpath, self.config

    def __eq__(self, other) -> bool:
        return self._key() == other._key() if isinstance(other, CorpusFile) else NotImplemented

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return f"CorpusFile(path={self.path!r}, relpath={self.relpath!r}, config={self.config!r})"

    def __reduce__(self):
        return CorpusFile, self._key()


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


_PROJECT_DOCS = ("README", "LICENSE", "LICENCE", "COPYING", "CHANGELOG")


def _is_project_doc(name: str) -> bool:
    """README, LICENSE and the like describe a corpus; they are not stories:
    named as projects name them, in capitals (``README.md``, ``LICENSE``),
    or as documentation (``readme.md``, ``license``). A story saved under
    its headline's slug is one: ``licence.txt`` ("Licence ?", two of the
    benchmark's million stories, were left out before).

    >>> [_is_project_doc(n) for n in ("README.md", "LICENSE", "readme.rst", "licence", "licence.txt")]
    [True, True, True, True, False]
    """
    path = Path(name)
    stem = path.stem
    return stem.upper() in _PROJECT_DOCS and (stem.isupper() or path.suffix.lower() in ("", ".md", ".rst"))


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
