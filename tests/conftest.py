"""Fixtures shared by the test modules."""

from __future__ import annotations

import os

import pytest

from indexer.formats import bundled_corpus
from indexer.index.build import build_index

# Never the tester's own defaults (~/.config/depeche/config.yaml): tests that
# read a config file name it.
os.environ["DEPECHE_CONFIG"] = ""


@pytest.fixture(scope="module")
def ix(tmp_path_factory):
    """An index of the bundled corpus, built once per module (tests only read it)."""
    path = tmp_path_factory.mktemp("bundled") / "ix"
    build_index([bundled_corpus()], path)
    return str(path)
