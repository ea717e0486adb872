"""Argument mistakes as one line: the mistake, a did-you-mean, the command's usage.

argparse answers a mistyped option with the *top-level* usage
(``usage: depeche [-h] [--version] COMMAND ...``) followed by
``unrecognized arguments``, and an unknown option value with a dozen lines of
usage. :class:`Parser` replaces both by one line naming the mistake, with
the closest option or value (``did you mean --agency?``) and the command's
own usage hint; :func:`parse_args` makes unrecognized arguments the
mistake of the command they were given to.

It also reads ``--sort -date`` as argparse cannot: a value starting with a
dash is taken for an option (``expected one argument``), so
:func:`join_dash_values` joins such a value to its option first.
"""

from __future__ import annotations

import argparse
import difflib
import re
import sys
from typing import Iterable, NoReturn

#: Options whose values may start with a dash, and those values.
DASH_VALUES: dict[str, tuple[str, ...]] = {}


def join_dash_values(argv: list[str], dash_values: dict[str, tuple[str, ...]] | None = None) -> list[str]:
    """``--sort -date`` as ``--sort=-date`` (a value starting with a dash is
    an option to argparse); anything else unchanged.

    >>> values = {"--sort": ("-date",)}
    >>> join_dash_values(["search", "syrie", "--sort", "-date", "--limit", "2"], values)
    ['search', 'syrie', '--sort=-date', '--limit', '2']
    >>> join_dash_values(["search", "--sort", "--limit", "2"], values)
    ['search', '--sort', '--limit', '2']
    """
    dash_values = DASH_VALUES if dash_values is None else dash_values
    out: list[str] = []
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--":
            out.extend(argv[i:])
            break
        values = dash_values.get(arg)
        if values and i + 1 < len(argv) and argv[i + 1] in values:
            out.append(f"{arg}={argv[i + 1]}")
            i += 2
            continue
        out.append(arg)
        i += 1
    return out


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean X?)`` for the closest choice, else nothing.

    >>> did_you_mean("--agnecy", ["--agency", "--author", "--page"])
    ' (did you mean --agency?)'
    >>> did_you_mean("--colour", ["--agency"])
    ''
    """
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.75)
    return f" (did you mean {close[0]}?)" if close else ""


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose mistakes are one line on stderr, exit status 2:
    ``depeche search: error: <mistake> (did you mean ...?); usage: ...``."""

    def __init__(self, *args, **kwargs):
        #: Every argument of this parser and of its groups, as added.
        self.arguments: list[argparse.Action] = []
        #: The action of the subcommands, if any (``add_subparsers``).
        self.commands: argparse.Action | None = None
        super().__init__(*args, **kwargs)

    def add_argument(self, *args, **kwargs):
        action = super().add_argument(*args, **kwargs)
        self.arguments.append(action)
        return action

    def add_argument_group(self, *args, **kwargs):
        group = super().add_argument_group(*args, **kwargs)
        add = group.add_argument

        def add_argument(*a, **k):
            action = add(*a, **k)
            self.arguments.append(action)
            return action

        group.add_argument = add_argument
        return group

    def add_subparsers(self, **kwargs):
        self.commands = super().add_subparsers(**kwargs)
        return self.commands

    def error(self, message: str) -> NoReturn:
        self.fail(message)

    def fail(self, message: str, hint: str = "") -> NoReturn:
        """Print the one line of a mistake and exit with status 2."""
        message = _with_suggestion(self, message) + hint
        usage = self.short_usage()
        sys.stderr.write(f"{self.prog}: error: {message}; usage: {usage}\n")
        sys.exit(2)

    def short_usage(self) -> str:
        """``depeche search [QUERY ...] [options]; depeche search --help``: the
        positionals and a pointer to the help, short enough for one line."""
        positionals = [a for a in self.arguments if not a.option_strings and a.help is not argparse.SUPPRESS]
        words = []
        for action in positionals:
            if action is self.commands:
                words.append("COMMAND ...")
                continue
            name = action.metavar or action.dest
            words.append(f"[{name} ...]" if action.nargs in ("*", "?") else
                         f"{name} ..." if action.nargs == "+" else str(name))
        has_options = any(a.option_strings and a.dest != "help" for a in self.arguments)
        usage = " ".join([self.prog, *words, *(["[options]"] if has_options else [])])
        return f"{usage} (`{self.prog} --help` lists them all)"

    def takes_query(self) -> bool:
        return any(a.dest == "query" and not a.option_strings for a in self.arguments)

    def option_names(self) -> list[str]:
        return [s for a in self.arguments for s in a.option_strings if s.startswith("--")]

    def unrecognized(self, extras: list[str]) -> NoReturn:
        """The mistake of arguments no option of this command takes."""
        options = [e for e in extras if e.startswith("-")]
        first = (options or extras)[0]
        if first.startswith("-"):
            word = first.split("=", 1)[0]
            guess = did_you_mean(word, self.option_names())
            if not guess and not word.startswith("--") and len(word) > 2 and self.takes_query():
                guess = f" (a query word starting with - goes in the quoted query: \"syrie {word}\")"
            self.fail(f"unknown option {word}" + guess)
        self.fail(f"unexpected argument {first!r}")


_INVALID_CHOICE = re.compile(r"argument (?P<arg>.+?): invalid choice: '(?P<word>.*)' \(choose from (?P<choices>.*)\)$")


def _with_suggestion(parser: Parser, message: str) -> str:
    """argparse's message; an invalid choice said shortly, with a did-you-mean.

    >>> _with_suggestion(None, "argument --sort: invalid choice: 'newst' (choose from 'date', 'newest')")
    "--sort: invalid choice 'newst', not one of date, newest (did you mean newest?)"
    """
    found = _INVALID_CHOICE.match(message)
    if not found:
        return message
    choices = [c.strip().strip("'") for c in found["choices"].split(",")]
    word, arg = found["word"], found["arg"]
    return f"{arg}: invalid choice {word!r}, not one of {', '.join(choices)}" + did_you_mean(word, choices)


def parse_args(parser: Parser, argv: list[str] | None) -> argparse.Namespace:
    """Parse ``argv``; arguments no option takes are the mistake of the
    command they follow (its own usage), not of the top level."""
    argv = join_dash_values(list(sys.argv[1:] if argv is None else argv))
    args, extras = parser.parse_known_args(argv)
    if extras:
        command = getattr(args, "command", None)
        sub = parser.commands.choices.get(command) if parser.commands is not None and command else None
        (sub or parser).unrecognized(extras)
    return args


__all__ = ["DASH_VALUES", "Parser", "did_you_mean", "join_dash_values", "parse_args"]
