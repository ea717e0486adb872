"""Every bundled story parses to its golden file, field by field."""

from __future__ import annotations

import pytest

from golden import CORPUS, actual_records, expected_path, load_expected, story_files

FILES = story_files()


def test_the_bundled_corpus_is_there_and_large_enough():
    stories = sum(len(actual_records(cf)[0]) for cf in FILES)
    assert stories >= 60
    assert (CORPUS / "reuters" / "2015" / "11" / "20" / "000_b7a2240e7e7e77b8.txt").exists()


@pytest.mark.parametrize("cf", FILES, ids=[cf.relpath for cf in FILES])
def test_story_matches_its_golden_file(cf):
    expected = load_expected(cf)
    assert expected is not None, f"no golden file {expected_path(__import__('pathlib').Path(cf.path))}"
    actual, _ = actual_records(cf)
    if isinstance(expected, dict):
        expected = [expected]
    assert len(actual) == len(expected), "number of stories"
    for exp, act in zip(expected, actual):
        for key, value in exp.items():
            assert act.get(key) == value, f"{act['source']}: {key}"


def test_every_bundled_story_uses_the_declared_vocabularies():
    from indexer.story import DATE_SOURCES, VERSIONS

    for cf in FILES:
        for record in actual_records(cf)[0]:
            assert record["date_source"] in (*DATE_SOURCES, None), record["source"]
            assert record["version"] in (*VERSIONS, None), record["source"]
