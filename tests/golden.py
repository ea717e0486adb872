"""Golden files of the bundled corpus: what every bundled story must parse to.

Each story file ``X.txt`` (or ``X.jsonl``, ``X.sgml``, ``X.txt.gz``...) has
``X.expected.yaml`` beside it: a mapping for a one-story file, a list for a
multi-story file. The test compares every key the golden file holds.

Regenerate after a deliberate change of the parser, then read the diff::

    python tests/golden.py --regen && git diff corpus/
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
sys.path.insert(0, str(ROOT))

from indexer.formats import CorpusFile, iter_corpus_files, read_file  # noqa: E402

SUFFIXES = (".gz", ".txt", ".jsonl", ".json", ".sgml", ".sgm", ".xml", ".html", ".htm", ".docx")


#: Files of many stories: their golden file is a list (an HTML page of one story is not).
MULTI = (".jsonl", ".jsonl.gz", ".sgml", ".sgml.gz", ".json", ".xml")
#: Press-database exports: many articles in one HTML file.
EXPORT_FOLDERS = ("europresse/", "factiva/", "nexis/")


def is_multi(relpath: str) -> bool:
    """A bundled file whose golden file lists its stories."""
    return relpath.endswith(MULTI) or relpath.replace("\\", "/").startswith(EXPORT_FOLDERS)


def expected_path(story_path: Path) -> Path:
    """``a/b.txt.gz`` -> ``a/b.expected.yaml``."""
    name = story_path.name
    while True:
        for suffix in SUFFIXES:
            if name.endswith(suffix):
                name = name[: -len(suffix)]
                break
        else:
            break
    return story_path.with_name(name + ".expected.yaml")


def story_files() -> list[CorpusFile]:
    return list(iter_corpus_files([CORPUS]))


def actual_records(cf: CorpusFile) -> tuple[list[dict], list[str]]:
    """The parsed records of one bundled file, with paths made relative."""
    result = read_file(cf)
    records = []
    for story in result.stories:
        record = story.to_dict()
        record["source"] = record["source"].replace(str(CORPUS) + "/", "")
        records.append(record)
    return records, [str(p) for p in result.problems]


def load_expected(cf: CorpusFile):
    path = expected_path(Path(cf.path))
    if not path.exists():
        return None
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def regen() -> None:
    for cf in story_files():
        records, _ = actual_records(cf)
        data = records if is_multi(cf.relpath) else records[0]
        out = expected_path(Path(cf.path))
        out.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100), encoding="utf-8")
        print(out.relative_to(ROOT))


if __name__ == "__main__":
    if "--regen" in sys.argv:
        regen()
    else:
        print(__doc__)
