"""Errors of the indexer package: each carries the data a user needs."""

from __future__ import annotations


class IndexerError(Exception):
    """Base of every error the indexer package raises on purpose."""


class ConfigError(IndexerError):
    """A corpus.yaml that cannot be used: names the file, the key, the rule."""

    def __init__(self, path, key: str | None, message: str):
        self.path = path
        self.key = key
        where = f"{path}: {key}: " if key else f"{path}: "
        super().__init__(where + message)


class NoStoriesError(IndexerError):
    """A path given by the user that does not exist."""

    def __init__(self, path):
        self.path = path
        super().__init__(f"{path}: no such file or directory")
