"""The ``depeche`` command: a thin layer over the indexer and search APIs.

Every command checks its arguments, calls the library, and prints. A user's
mistake (missing path, bad corpus.yaml, ...) is one line on stderr and exit
status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from typing import Callable, TextIO

from indexer.errors import IndexerError
from indexer.readers import bundled_corpus, read_corpus
from indexer.summary import COUNTED_FIELDS, ReadSummary
from search import output

PROG = "depeche"


class UsageError(Exception):
    """A command-line mistake, reported as one line."""


def _paths(args) -> list[str]:
    return args.paths or [str(bundled_corpus())]


# ------------------------------------------------------------------- parse

def cmd_parse(args, out: TextIO, err: TextIO) -> int:
    """Read and parse stories without indexing; print records and a summary."""
    fmt = args.format or output.default_format(out)
    summary = ReadSummary()
    records: list[dict] = []
    rows: list[list[str]] = []
    for result in read_corpus(_paths(args)):
        summary.add(result)
        for problem in result.problems:
            label = "skipped" if problem.skipped else "warning"
            err.write(f"{label}: {problem}\n")
        for story in result.stories:
            for warning in story.warnings:
                if warning.split(":", 1)[0] not in ("encoding", "gzip"):
                    err.write(f"warning: {story.source}: {warning}\n")
            record = story.to_dict()
            if fmt == "jsonl":
                output.write_jsonl([record], out)
            elif fmt == "table":
                rows.append([
                    story.date or "", story.agency or "", ", ".join(story.places),
                    story.headline or "", story.version or "", ", ".join(story.translators),
                ])
            else:
                records.append(record)
    if fmt == "table":
        output.write_table(rows, ["date", "agency", "places", "headline", "version", "translators"], out)
    elif fmt == "json":
        output.write_json(records, out)
    elif fmt == "yaml":
        output.write_yaml(records, out)
    elif fmt == "csv":
        output.write_csv(records, out)
    _print_read_summary(summary, err)
    return 0 if summary.clean else 1


def _print_read_summary(summary: ReadSummary, err: TextIO) -> None:
    n = summary.stories
    err.write(
        f"{n} stories from {summary.files} files; {len(summary.skipped)} files skipped; "
        f"{sum(summary.warnings_by_kind.values())} warnings"
    )
    if summary.warnings_by_kind:
        err.write(" (" + ", ".join(f"{k}: {v}" for k, v in sorted(summary.warnings_by_kind.items())) + ")")
    err.write("\n")
    if n:
        err.write("stories with each field: " + ", ".join(
            f"{name} {summary.with_field.get(name, 0)}/{n}" for name in COUNTED_FIELDS
        ) + "\n")


# ------------------------------------------------------------------ parser

def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Index and search archives of French news-agency wire stories (dépêches).",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("parse", help="read and parse stories without indexing, to check a corpus",
                       description="Read and parse stories without indexing. Records go to stdout; "
                                   "each file's warnings and a summary go to stderr.")
    p.add_argument("paths", nargs="*", metavar="PATH", help="files or folders (default: the bundled corpus)")
    p.add_argument("--format", choices=output.FORMATS,
                   help="output format (default: table on a terminal, jsonl otherwise)")
    p.set_defaults(func=cmd_parse)
    return parser


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("depeche")
    except Exception:  # not installed: running from a checkout
        return "0+checkout"


def main(argv: list[str] | None = None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run the command line; returns the exit status (0 ok, 1 warnings, 2 error)."""
    out = out or sys.stdout
    err = err or sys.stderr
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse already printed its one-line message
        return int(exc.code or 0)
    if not getattr(args, "func", None):
        parser.print_help(out)
        return 2
    func: Callable = args.func
    try:
        return func(args, out, err)
    except (IndexerError, UsageError) as exc:
        err.write(f"{PROG}: error: {exc}\n")
        return 2
    except KeyboardInterrupt:
        err.write(f"{PROG}: interrupted\n")
        return 130
    except BrokenPipeError:
        # The reader of our output went away (| head): not an error of ours.
        try:
            sys.stdout = None  # type: ignore[assignment]
        finally:
            return 0


if __name__ == "__main__":
    sys.exit(main())
