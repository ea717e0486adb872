"""The search commands: search, show, facets, versions, similar.

Thin: each checks its arguments, calls :class:`search.searcher.Searcher`,
and prints with :mod:`search.render` (terminal) or :mod:`search.output`
(scripts). Exit status like grep: 0 found, 1 nothing found, 2 error.
"""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path
from typing import Any, TextIO

import yaml

from indexer.fields import FIELDS, FieldTable
from indexer.story import STORY_FIELDS
from search import output, render
from search.cli_args import DASH_VALUES
from search.cli_common import (PROG, CommandError, SavedQueriesError, UsageError, demo_note, error_line,
                               reading_index)
from search.query import QueryError, SearchError
from search.results import DATE_BUCKETS, SORT_NAMES, USUAL_FACETS, ResultPage, SearchRequest
from search.searcher import Searcher

#: Saved-query keys: the long options of ``depeche search``.
QUERY_KEYS = {
    "query": str, **{f.option: list for f in FIELDS.filters}, "from": str, "to": str, "undated": bool, "sort": str,
    "limit": int, "page": int, "all_versions": bool, "duplicates": bool, "facets": list, "by": str,
}


def open_searcher(args, err: TextIO) -> Searcher:
    """The searcher of the index the command uses (see
    :func:`search.cli_common.reading_index`); the demo is built from the
    bundled corpus on first use."""
    return Searcher(open_index_dir(args, err))


def open_index_dir(args, err: TextIO) -> Path:
    """The folder of the index a reading command uses, saying so on stderr
    when it is the demo (built from the bundled corpus on first use)."""
    from indexer.index.store import IndexStore

    choice = reading_index(args.index)
    if not choice.demo:
        return choice.path
    if not IndexStore(choice.path).exists():
        from indexer.formats import bundled_corpus
        from indexer.index.build import build_index

        err.write(f"{PROG}: no index yet: indexing the bundled corpus into the demo index "
                  f"{output.printable(str(choice.path))} first\n")
        report = build_index([bundled_corpus()], choice.path)
        err.write(f"{PROG}: indexed {output.counted(report.added, 'story')}\n")
    err.write(demo_note(choice))
    return choice.path


# ----------------------------------------------------------------- search

def request_from(options: dict[str, Any]) -> SearchRequest:
    """A SearchRequest from option values named as on the command line."""
    def tup(key):
        value = options.get(key)
        if value is None:
            return ()
        return tuple(value) if isinstance(value, (list, tuple)) else (value,)

    facets = options.get("facets")
    if facets == []:  # --facets with no names: the usual ones
        facets = list(USUAL_FACETS)
    return SearchRequest(
        query=options.get("query") or "",
        **{f.filter: tup(f.option) for f in FIELDS.filters},
        date_from=options.get("from"), date_to=options.get("to"), undated=bool(options.get("undated")),
        # 0 is a value (refused by the request's checks), not "the default".
        sort=options.get("sort"), page=_given(options.get("page"), 1), limit=_given(options.get("limit"), 20),
        all_versions=bool(options.get("all_versions")), duplicates=bool(options.get("duplicates")),
        facets=tuple(facets or ()),
        date_facet=options.get("by") or "year",
    )


def _given(value: int | None, default: int) -> int:
    return default if value is None else value


def check_page(page: ResultPage, name: str | None = None) -> None:
    """A page beyond the last of a result set is a mistake, not an empty page.

    Raises UsageError naming the last page (``name``: the saved query)."""
    if page.total and page.page > page.pages:
        where = f"{name}: " if name is not None else ""
        raise UsageError(f"{where}--page {page.page} is past the last page: {page.total:,} "
                         f"{'story groups' if page.grouped else 'stories'} make {page.pages} "
                         f"page{'s' if page.pages != 1 else ''} of {page.limit}",
                         hint=f"--page {page.pages} is the last")


def split_facets(words: list[str] | None) -> tuple[list[str] | None, list[str]]:
    """The words after ``--facets``: the field names it counts, then the
    query's words, from the first word that names no facet on.

    >>> split_facets(["place", "agence", "tempete", "date"])
    (['places', 'agency'], ['tempete', 'date'])
    >>> split_facets(["tempete"]), split_facets(None)
    (([], ['tempete']), (None, []))
    """
    if words is None:
        return None, []
    names: list[str] = []
    for n, word in enumerate(words):
        name = FIELDS.facet(word)
        if name is None:
            return names, list(words[n:])
        names.append(name)
    return names, []


def _cli_options(args) -> dict[str, Any]:
    facets, words = split_facets(args.facets)
    query = [*(args.query or []), *words]
    return {
        "query": " ".join(query) if query else None,
        **{f.option: getattr(args, f.option) for f in FIELDS.filters},
        "from": args.date_from, "to": args.date_to, "undated": args.undated or None, "sort": args.sort, "limit": args.limit,
        "page": args.page, "all_versions": args.all_versions or None,
        "duplicates": args.duplicates or None, "facets": facets, "by": args.by,
    }


def load_saved_queries(path: str) -> dict[str, dict[str, Any]]:
    """Read and check a saved-queries YAML file: name -> options."""
    from indexer.config import strict_yaml

    try:
        # An impossible date (from: 2016-02-30) is a YAML error with its line.
        data = strict_yaml(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise SavedQueriesError(path, f"cannot read: {exc.strerror or exc}") from None
    except (UnicodeDecodeError, RecursionError):
        raise SavedQueriesError(path, "not valid YAML (not UTF-8 text, or nested too deeply)") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark else ""
        problem = f": {exc.problem}" if isinstance(exc, yaml.constructor.ConstructorError) and exc.problem else ""
        raise SavedQueriesError(path, f"not valid YAML{where}{problem}") from None
    if not isinstance(data, dict) or not data:
        raise SavedQueriesError(path, "expected a mapping of query names to queries",
                                hint="e.g. syrie: {query: syrie, agency: Reuters}")
    queries: dict[str, dict[str, Any]] = {}
    for name, spec in data.items():
        if isinstance(spec, str):
            spec = {"query": spec}
        if not isinstance(spec, dict):
            raise SavedQueriesError(path, "expected a query string or a mapping", name)
        clean: dict[str, Any] = {}
        for key, value in spec.items():
            norm = str(key).replace("-", "_")
            if norm not in QUERY_KEYS:
                raise SavedQueriesError(path, f"unknown key {key!r}; allowed: {', '.join(QUERY_KEYS)}", name)
            kind = QUERY_KEYS[norm]
            if kind is list and isinstance(value, (str, int)):
                value = [str(value)]
            if kind is str and isinstance(value, (int, float)) and norm in ("from", "to", "query"):
                value = str(value)
            if hasattr(value, "isoformat"):  # YAML reads 2015-11-20 as a date
                value = value.isoformat()
            if value is not None and not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
                raise SavedQueriesError(path, f"{key}: expected {kind.__name__}, got {value!r}", name)
            if kind is list:
                value = [v.isoformat() if hasattr(v, "isoformat") else str(v) for v in value]
            clean[norm] = value
        queries[str(name)] = clean
    return queries


def _merge(saved: dict[str, Any], cli: dict[str, Any]) -> dict[str, Any]:
    """Command-line options apply to every saved query: an option given on the
    command line replaces the query's own; query texts are combined (AND)."""
    merged = dict(saved)
    for key, value in cli.items():
        if value is None or (value == [] and key != "facets"):
            continue
        if key == "query":
            merged["query"] = " ".join(f"({x})" for x in (saved.get("query"), value) if x)
        else:
            merged[key] = value
    return merged


def _page_output(fmt: str, pages: list[tuple[str | None, ResultPage]], out: TextIO) -> None:
    """Result pages (one, or one per saved query) by the output rule: their
    hits as rows (``query_name`` first for saved queries), the page as the
    result (saved queries: a mapping of names to pages), tables one by one."""
    named = bool(pages) and pages[0][0] is not None
    output.write_output(
        fmt, out,
        (render.hit_row(hit, name) for name, page in pages for hit in page.hits),
        result={name: page.to_dict() for name, page in pages} if named else pages[0][1].to_dict(),
        columns=(["query_name"] if named else []) + render.HIT_COLUMNS,
        table=lambda: [render.print_page(page, out, title=name) for name, page in pages],
    )


def cmd_search(args, out: TextIO, err: TextIO) -> int:
    fmt = output.chosen_format(args, out)
    cli = _cli_options(args)
    with open_searcher(args, err) as searcher:
        if not args.queries:
            page = searcher.search(request_from(cli))
            check_page(page)
            if fmt in output.CORPUS_FORMATS and not cli.get("limit") and page.total > page.limit:
                # A corpus for text analysis is the whole result set, not its first page.
                page = searcher.search(replace(request_from(cli), limit=page.total))
            _page_output(fmt, [(None, page)], out)
            if page.relaxation and fmt != "table":  # a table says it below the rows
                err.write(f"depeche: {page.relaxation.message()}\n")
            return 0 if page.total else 1
        saved = load_saved_queries(args.queries)
        pages: list[tuple[str | None, ResultPage]] = []
        status = 0
        for name, spec in saved.items():
            try:
                page = searcher.search(request_from(_merge(spec, cli)))
                check_page(page)
            except (SearchError, UsageError) as exc:
                # One query's mistake costs that query only.
                err.write(error_line(exc, context=name))
                status = 2
                continue
            if not page.total and status == 0:
                status = 1
            pages.append((name, page))
    if pages or fmt in ("json", "yaml"):
        if not pages:
            output.write_output(fmt, out, (), result={})
        else:
            _page_output(fmt, pages, out)
    return status


# -------------------------------------------------------------- the rest

def cmd_show(args, out: TextIO, err: TextIO) -> int:
    fmt = output.chosen_format(args, out)
    with open_searcher(args, err) as searcher:
        story = searcher.get(args.id)
        marks = searcher.highlight(story, args.highlight) if args.highlight else ()
    record = story.to_dict()
    output.write_output(fmt, out, [record], result=record, columns=list(STORY_FIELDS),
                        table=lambda: render.print_story(story, out, marks))
    return 0


def cmd_versions(args, out: TextIO, err: TextIO) -> int:
    fmt = output.chosen_format(args, out)
    with open_searcher(args, err) as searcher:
        stories = searcher.versions(args.id)
    output.write_output(fmt, out, [s.to_dict() for s in stories], columns=list(STORY_FIELDS),
                        table=lambda: render.print_versions(stories, out))
    return 0


def cmd_similar(args, out: TextIO, err: TextIO) -> int:
    fmt = output.chosen_format(args, out)
    with open_searcher(args, err) as searcher:
        hits = searcher.similar(args.id, args.limit, all_versions=args.all_versions)
    page = ResultPage(query=f"similar:{args.id}", total=len(hits), page=1, limit=max(1, len(hits)),
                      hits=tuple(hits), sort="similarity", grouped=not args.all_versions)
    _page_output(fmt, [(None, page)], out)
    return 0 if hits else 1


def cmd_facets(args, out: TextIO, err: TextIO) -> int:
    if args.plot and args.format not in (None, "table"):
        raise UsageError(f"--plot draws text bars; it takes no --format {args.format}")
    fmt = "table" if args.plot else output.chosen_format(args, out)
    options = _cli_options(args)
    options["facets"] = [args.field]
    options["limit"] = 1
    with open_searcher(args, err) as searcher:
        page = searcher.search(replace(request_from(options), snippets=False))
    values = page.facets.get(args.field, ())
    if args.plot:
        from search.plot import print_plot

        print_plot(page, args.field, args.by or "year", out)
        return 0 if values else 1
    unit = "story groups" if page.grouped else "stories"
    output.write_output(
        fmt, out, ({"value": v.value, "count": v.count} for v in values),
        result={"query": page.query, "field": args.field, "by": args.by if args.field == "date" else None,
                "total": page.total, "values": {v.value: v.count for v in values}},
        columns=["value", "count"],
        table=lambda: render.print_facet(f"{args.field}: {unit} matching", values, out, unit))
    return 0 if values else 1


def positive_int(text: str) -> int:
    """An argparse type: a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is less than 1")
    return value


# ------------------------------------------------------------- arguments

def facet_name(value: str) -> str:
    """The facet a command-line name designates (any name of the field).

    >>> facet_name("lieu")
    'places'
    """
    name = FIELDS.facet(value)
    if name is None:
        raise argparse.ArgumentTypeError(f"unknown field {value!r}; one of {FIELDS.describe_facets()}")
    return name


def _add_common(p: argparse.ArgumentParser, index_help: str, spec: output.OutputSpec = output.RESULT) -> None:
    p.add_argument("--index", metavar="DIR", help=index_help)
    output.add_format_option(p, spec)


def add_filters(p: argparse.ArgumentParser, table: FieldTable = FIELDS) -> None:
    """The filter options of the field table (``--agency``...), then dates."""
    g = p.add_argument_group("filters (repeat an option for alternatives; case and accents ignored)")
    for f in table.filters:
        g.add_argument(f"--{f.option}", action="append", metavar=f.option.upper(), help=f.help or None)
    g.add_argument("--from", dest="date_from", metavar="DATE", help="YYYY, YYYY-MM or YYYY-MM-DD")
    g.add_argument("--to", dest="date_to", metavar="DATE", help="YYYY, YYYY-MM or YYYY-MM-DD")
    g.add_argument("--undated", action="store_true",
                   help="the stories without a date (with --from/--to: those dates or none); "
                        "the stories without a value of another field: --place '(none)'")


DUPLICATES_HELP = ("republished copies too (exact or near-exact), each a row of its own, marked "
                   "duplicate_of (default: left out, under their original)")


def add_commands(sub, index_help: str) -> None:
    DASH_VALUES["--sort"] = tuple(name for name in SORT_NAMES if name.startswith("-"))
    p = sub.add_parser("search", help="search the index",
                       description="Search the index. Words match whatever their accents, case, elision "
                                   "and inflection; see the README for the query language. Exit status: "
                                   "0 found, 1 nothing found, 2 error.")
    p.add_argument("query", nargs="*", metavar="QUERY", help="the query (empty: everything, newest first)")
    add_filters(p)
    p.add_argument("--sort", choices=SORT_NAMES, help="relevance (default with a query); oldest or date "
                                                      "(oldest first); newest or -date (newest first, default "
                                                      "without a query)")
    p.add_argument("--limit", type=positive_int, default=None, metavar="N", help="hits per page (default 20)")
    p.add_argument("--page", type=positive_int, default=None, metavar="N")
    p.add_argument("--all-versions", action="store_true", help="one row per story, not per story group")
    p.add_argument("--duplicates", action="store_true", help=DUPLICATES_HELP)
    p.add_argument("--facets", nargs="*", metavar="FIELD",
                   help=f"count the results by these fields ({FIELDS.describe_facets()}); none named: "
                        f"the usual ones ({', '.join(USUAL_FACETS)}); the first word that names no "
                        "field starts the query")
    p.add_argument("--by", choices=DATE_BUCKETS, help="count dates by year (default), month or day")
    p.add_argument("--queries", metavar="FILE.yaml", help="run the named queries of a YAML file")
    _add_common(p, index_help, output.SEARCH)   # search also writes corpora (iramuteq, txm)
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("show", help="read one story", description="Print one story with its metadata.")
    p.add_argument("id", metavar="ID")
    p.add_argument("--highlight", metavar="QUERY", help="mark the words this query matches")
    _add_common(p, index_help)
    p.set_defaults(func=cmd_show)

    p = sub.add_parser("versions", help="the versions of a story, first to latest",
                       description="List the versions of the story's group (urgent, actualisé, refonte...).")
    p.add_argument("id", metavar="ID")
    _add_common(p, index_help)
    p.set_defaults(func=cmd_versions)

    p = sub.add_parser("similar", help="the stories most like one story",
                       description="The stories most like one story, its own versions left out.")
    p.add_argument("id", metavar="ID")
    p.add_argument("--limit", type=positive_int, default=10, metavar="N", help="how many (default 10)")
    p.add_argument("--all-versions", action="store_true", help="one row per story, not per story group")
    _add_common(p, index_help)
    p.set_defaults(func=cmd_similar)

    p = sub.add_parser("facets", help="count the results of a query by one field",
                       description="Count the story groups (with --all-versions: the stories) matching QUERY "
                                   "(default: all) by one field; a value's count is what filtering on it gives.")
    p.add_argument("query", nargs="*", metavar="QUERY")
    p.add_argument("--field", required=True, type=facet_name, metavar="FIELD",
                   help=f"the field to count by: {FIELDS.describe_facets()}")
    p.add_argument("--by", choices=DATE_BUCKETS, help="for --field date: year (default), month or day")
    p.add_argument("--plot", action="store_true",
                   help="draw the counts as bars; for --field date a timeline with the empty periods")
    add_filters(p)
    p.add_argument("--all-versions", action="store_true")
    p.add_argument("--duplicates", action="store_true", help=DUPLICATES_HELP)
    _add_common(p, index_help)
    p.set_defaults(func=cmd_facets, sort=None, limit=None, page=None, facets=None)


__all__ = ["CommandError", "QueryError", "UsageError", "add_commands", "open_searcher", "request_from"]
