"""The ``depeche`` command: a thin layer over the indexer and search APIs.

Every command checks its arguments, calls the library, and prints. A user's
mistake (missing path, bad corpus.yaml, ...) is one line on stderr and exit
status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections import Counter
from typing import Callable, TextIO

try:
    import indexer.backend  # noqa: F401  (checks the pinned Whoosh before anything imports it)
except ImportError as exc:  # another Whoosh installed in its place: one line, not a traceback
    sys.stderr.write(f"depeche: error: {exc}\n")
    sys.exit(2)

from indexer.errors import IndexerError
from indexer.formats import bundled_corpus, read_corpus
from indexer.summary import COUNTED_FIELDS, ReadSummary
from search import cli_search, output, render
from search.cli_args import Parser, parse_args
from search.cli_common import PROG, CommandError, UsageError, demo_note, error_line, reading_index, writing_index
from search.output import counted, isatty, plural, printable
from search.query import SearchError


def _paths(args) -> list[str]:
    return args.paths or [str(bundled_corpus())]


# ------------------------------------------------------------------- parse

def cmd_parse(args, out: TextIO, err: TextIO) -> int:
    """Read and parse stories without indexing; print records and a summary."""
    fmt = output.chosen_format(args, out)
    summary = ReadSummary()

    def stories():
        for result in read_corpus(_paths(args), part_stories=1000):  # memory bounded by a part
            summary.add(result)
            _report_file(result, _line_writer(err))
            yield from result.stories

    if fmt == "table":
        rows = [[s.date, s.agency, s.places, s.headline, s.version, s.translators] for s in stories()]
        output.write_output(fmt, out, (), table=lambda: render.print_rows(
            rows, ["date", "agency", "places", "headline", "version", "translators"], out))
    else:  # records written as they are read
        output.write_output(fmt, out, (s.to_dict() for s in stories()))
    _print_read_summary(summary, err)
    return 0 if summary.clean else 1


def _line_writer(err: TextIO):
    """Write one message a line, its control characters made visible (a file
    name holding a newline or an escape cannot forge or restyle a line)."""
    return lambda line: err.write(printable(line) + "\n")


def _print_read_summary(summary: ReadSummary, err: TextIO) -> None:
    n = summary.stories
    err.write(
        f"{counted(n, 'story')} from {counted(summary.files, 'file')}; "
        f"{counted(len(summary.skipped), 'file')} skipped; "
        f"{counted(sum(summary.warnings_by_kind.values()), 'warning')}"
    )
    if summary.warnings_by_kind:
        err.write(" (" + ", ".join(f"{k}: {v}" for k, v in sorted(summary.warnings_by_kind.items())) + ")")
    err.write("\n")
    if summary.by_format:
        err.write("stories by format: " + ", ".join(f"{name} {count}" for name, count in summary.by_format.most_common())
                  + "\n")
    if n:
        err.write("stories with each field: " + ", ".join(
            f"{name} {summary.with_field.get(name, 0)}/{n}" for name in COUNTED_FIELDS
        ) + "\n")


# ------------------------------------------------------------------- index

def _index_dir(args, err: TextIO | None = None) -> str:
    """The index a reading command uses (the demo while the user has none:
    said on ``err``, built on first use)."""
    if err is None:
        return str(reading_index(args.index).path)
    return str(cli_search.open_index_dir(args, err))


def _report_file(result, write) -> None:
    for problem in result.problems:
        write(problem.render())


def cmd_index(args, out: TextIO, err: TextIO) -> int:
    """Build or update the index of a corpus."""
    from indexer.index.build import IndexInterrupted, build_index

    choice = writing_index(args.index, args.paths)
    index_dir = str(choice.path)
    paths = _paths(args)
    if args.batch_size is not None and args.batch_size < 1:
        raise UsageError("--batch-size must be at least 1")
    show_bar = isatty(err) and not args.quiet
    if show_bar:
        from search.cli_progress import ProgressLine

        bar = ProgressLine(output.stderr_console(err))
        progress = bar.progress

        def write(line):
            bar.console.print(printable(line), markup=False, highlight=False)
        bar.start()
    else:
        progress = None
        write = _line_writer(err)
    try:
        extra = {"batch_stories": args.batch_size} if args.batch_size else {}
        report = build_index(paths, index_dir, rebuild=args.rebuild, workers=args.workers,
                             progress=progress, on_result=lambda r: _report_file(r, write), **extra)
    except IndexInterrupted as exc:
        err.write(f"{PROG}: {_interrupted_message(exc.report, args.rebuild)}\n")
        return 130
    finally:
        if show_bar:
            bar.stop()
    for problem in report.duplicates:
        write(problem.render())
    r = report.read
    rate = r.stories / report.elapsed if report.elapsed > 0 else 0.0
    kinds = report.read.warnings_by_kind + Counter(p.kind for p in report.duplicates)
    warn = ", ".join(f"{k}: {v}" for k, v in sorted(kinds.items())) or "none"
    err.write(
        f"indexed {report.added} new, {report.updated} updated, {report.removed} removed "
        f"{plural(max(report.added, report.updated, report.removed), 'story')} "
        f"from {counted(r.files, 'file')} read ({report.unchanged_files:,} unchanged) in {report.elapsed:.1f} s "
        f"({rate:,.0f} stories/s); {counted(len(r.skipped), 'file')} skipped; warnings: {warn}\n"
        f"index: {printable(report.index)}"
        + (" (the demo index of the bundled corpus; `depeche index PATH` indexes your own stories "
           "into your own index)" if choice.demo else "") + "\n"
    )
    return 0 if report.clean else 1


def _interrupted_message(report, rebuild: bool) -> str:
    if rebuild:
        return ("interrupted; the rebuild was not published and the index is as it was before it; "
                "run `depeche index --rebuild` again to rebuild")
    kept = report.added + report.updated
    return (f"interrupted; {counted(kept, 'story')} committed before the interruption "
            f"{'is' if kept == 1 else 'are'} kept; "
            f"the index is whole, run `depeche index` again to finish")


def cmd_export(args, out: TextIO, err: TextIO) -> int:
    """Print every stored story record."""
    from indexer.index.build import open_index
    from indexer.index.stats import iter_stories
    from indexer.story import STORY_FIELDS

    ix = open_index(_index_dir(args, err))
    output.write_output(output.chosen_format(args, out), out, (s.to_dict() for s in iter_stories(ix)),
                        columns=list(STORY_FIELDS))
    return 0


def cmd_stats(args, out: TextIO, err: TextIO) -> int:
    """Counts over the whole index."""
    from indexer.index.build import open_index
    from indexer.index.stats import index_stats

    stats = index_stats(open_index(_index_dir(args, err))).to_dict()
    output.write_output(output.chosen_format(args, out), out, (), result=stats,
                        table=lambda: render.print_stats(stats, out))
    return 0


def cmd_check(args, out: TextIO, err: TextIO) -> int:
    """Verify every file of the current generation against its checksum."""
    from indexer.index.check import check_index

    report = check_index(_index_dir(args, err))
    note = (f"; {counted(len(report.unrecorded), 'segment')} written before checksums were recorded "
            "(their files are not verified)") if report.unrecorded else ""
    err.write(f"index {report.index}: generation {report.generation} whole: {counted(report.segments, 'segment')}, "
              f"{counted(report.files, 'file')}, {counted(report.bytes, 'byte')} verified{note}\n")
    return 0


def cmd_tui(args, out: TextIO, err: TextIO) -> int:
    """Open the terminal UI; a missing index is offered to be built from the bundled corpus."""
    from search.tui import make_app

    choice = reading_index(args.index)   # the demo while the user has no index (the app offers to build it)
    make_app(choice.path).run()
    if choice.demo:   # said once the app has left the screen
        err.write(demo_note(choice))
    return 0


# ------------------------------------------------------------------ parser

def build_parser(parser_class: type = Parser) -> argparse.ArgumentParser:
    """The command line's parser (``parser_class``: another ArgumentParser,
    such as the completion's, which records what is added)."""
    parser = parser_class(
        prog=PROG,
        description="Index and search archives of French news-agency wire stories (dépêches).",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("parse", help="read and parse stories without indexing, to check a corpus",
                       description="Read and parse stories without indexing. Records go to stdout; "
                                   "each file's warnings and a summary go to stderr.")
    p.add_argument("paths", nargs="*", metavar="PATH", help="files or folders (default: the bundled corpus)")
    output.add_format_option(p, output.STREAM)
    p.set_defaults(func=cmd_parse)

    index_help = ("index folder (default: $DEPECHE_INDEX, else $XDG_DATA_HOME/depeche/index; "
                  "while that does not exist, the demo index of the bundled corpus, $XDG_DATA_HOME/depeche/demo)")
    p = sub.add_parser("index", help="build or update the search index of a corpus",
                       description="Index every story under the paths into your index ($DEPECHE_INDEX, "
                                   "else $XDG_DATA_HOME/depeche/index); with no PATH, the bundled corpus "
                                   "into the demo index ($XDG_DATA_HOME/depeche/demo). "
                                   "Unchanged files are skipped, changed files re-indexed, deleted files "
                                   "removed. Exit status: 0 all good, 1 some files skipped or read with "
                                   "warnings, 2 error, 130 interrupted (the index stays whole).")
    p.add_argument("paths", nargs="*", metavar="PATH", help="files or folders (default: the bundled corpus)")
    p.add_argument("--index", metavar="DIR", help="index folder (default: $DEPECHE_INDEX, else "
                   "$XDG_DATA_HOME/depeche/index; with no PATH, the demo index $XDG_DATA_HOME/depeche/demo)")
    p.add_argument("--rebuild", action="store_true", help="build the index anew from these paths")
    p.add_argument("--workers", type=int, metavar="N", help="processes reading and parsing (default: all cores)")
    p.add_argument("--batch-size", type=int, metavar="N", default=None,
                   help="stories per commit (default: 5000); an interrupted run keeps every committed batch")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_index)

    p = sub.add_parser("export", help="print every story of the index",
                       description="Print every stored story record, with the Story record's field names.")
    p.add_argument("--index", metavar="DIR", help=index_help)
    output.add_format_option(p, output.EXPORT)
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("stats", help="counts over the index",
                       description="Stories, files, date range, counts per agency, translator, place, "
                                   "year and version, and how many stories lack each field.")
    p.add_argument("--index", metavar="DIR", help=index_help)
    output.add_format_option(p, output.SUMMARY)
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser("check", help="verify the index's files against their checksums",
                       description="Read every file of the index's current generation and compare it with "
                                   "the size and checksum recorded when it was written. Exit status: 0 whole, "
                                   "2 damaged (the damaged file is named; `depeche index --rebuild` recovers).")
    p.add_argument("--index", metavar="DIR", help=index_help)
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("tui", help="search interactively in the terminal",
                       description="Open the terminal UI: search as you type, read stories, filter by "
                                   "facets, sort, see versions, export. Press ? in it for the keys.")
    p.add_argument("--index", metavar="DIR", help=index_help)
    p.set_defaults(func=cmd_tui)

    cli_search.add_commands(sub, index_help)

    p = sub.add_parser("completion", help="print the shell completion script (bash, zsh or fish)",
                       description="Print the completion script of a shell: commands, options, their "
                                   "choices and field names. bash: eval \"$(depeche completion bash)\" "
                                   "in ~/.bashrc; zsh: the same with zsh in ~/.zshrc; fish: depeche "
                                   "completion fish > ~/.config/fish/completions/depeche.fish")
    p.add_argument("shell", choices=("bash", "zsh", "fish"))
    p.set_defaults(func=cmd_completion)
    return parser


def cmd_completion(args, out: TextIO, err: TextIO) -> int:
    """Print the completion script of a shell."""
    from search.completion import completion_script

    from search.completion import RecordingParser

    out.write(completion_script(args.shell, build_parser(RecordingParser), PROG))
    return 0


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("depeche")
    except Exception:  # not installed: running from a checkout
        return "0+checkout"


def _damage_of(args, exc: Exception):
    """The damaged index file behind an error that reached the top (None: a bug)."""
    from indexer import backend
    from indexer.index.store import IndexStore

    try:
        store = IndexStore(_index_dir(args))
        return backend.damage_error(store.current_generation(), store.path, exc)
    except Exception:  # noqa: BLE001  (no index to blame: the original error stands)
        return None


def main(argv: list[str] | None = None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run the command line; returns the exit status (0 ok, 1 warnings, 2 error)."""
    out = out or sys.stdout
    err = err or sys.stderr
    parser = build_parser()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            args = parse_args(parser, argv)
    except SystemExit as exc:  # argparse printed its help or its one-line message
        return int(exc.code or 0)
    if not getattr(args, "func", None):
        parser.print_help(out)
        return 2
    func: Callable = args.func
    from search.user_config import UserConfigError, apply_user_config, load_user_config

    try:
        apply_user_config(args, load_user_config())
        status = func(args, out, err)
        out.flush()  # a closed pipe is found here, not at exit
        return status
    except BrokenPipeError:
        # The reader of our output went away (| head): not an error of ours.
        _silence_stdout(out)
        return 0
    except UserConfigError as exc:       # one line per mistake of the config file
        err.write("".join(error_line(CommandError(f"{exc.path}: {p}")) for p in exc.problems))
        return 2
    except (IndexerError, SearchError, CommandError) as exc:
        # The one place an error becomes the line a user reads.
        err.write(error_line(exc))
        return 2
    except Exception as exc:
        damage = _damage_of(args, exc)
        if damage is None:
            raise
        err.write(f"{PROG}: error: {damage}\n")
        return 2
    except KeyboardInterrupt:
        err.write(f"{PROG}: interrupted\n")
        return 130


def _silence_stdout(out: TextIO) -> None:
    """After a closed pipe: what is still buffered for it goes nowhere, so
    that the interpreter's last flush at exit raises no second error."""
    try:
        fd = out.fileno()
    except (AttributeError, OSError, ValueError):  # a StringIO: nothing to do
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, fd)
    finally:
        os.close(devnull)


if __name__ == "__main__":
    sys.exit(main())
