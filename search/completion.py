"""Shell completion: ``depeche completion bash|zsh|fish`` prints the script.

The scripts are written here from the command line's own argparse parser
and the field table, so they cannot drift from the commands: every
subcommand, its options, the choices of an option (``--format``, ``--sort``,
``--by``), every name of a facet for ``--field`` and ``--facets``, the
query field names (``agence:``, ``lieu:``...) for a query's words, and
files or folders where an option takes a path (``--index DIR``, ``--queries
FILE.yaml``, ``PATH``). The scripts hold that data as text and run no Python
when the user presses tab (``argcomplete`` would start the program, and
import Whoosh and NumPy, on every tab: 0.7-1.0 s of CPU here).

zsh uses the bash script through zsh's own ``bashcompinit``.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field

from indexer.fields import FIELDS

SHELLS = ("bash", "zsh", "fish")


@dataclass
class Command:
    """What completes after one subcommand."""

    name: str
    help: str = ""
    flags: list[str] = field(default_factory=list)          # options without a value
    options: dict[str, str] = field(default_factory=dict)   # option -> kind: choices words, @file, @dir, @field, @none
    positional: str = "@none"                               # what its words are


def field_names() -> list[str]:
    """Every name of every facet (``agency``, ``agence``, ``lieu``...)."""
    return sorted({name for f in FIELDS.facet_fields for name in f.names})


def query_prefixes() -> list[str]:
    """The query language's field names, each with its colon."""
    return sorted(f"{name}:" for name in FIELDS.query_names())


def _kind(action: argparse.Action) -> str:
    if action.choices:
        return " ".join(str(c) for c in action.choices)
    type_name = getattr(action.type, "__name__", "")
    if type_name == "facet_name" or (action.dest == "facets"):
        return "@field"
    metavar = str(action.metavar or "")
    if metavar == "DIR":
        return "@dir"
    if metavar.startswith("FILE") or metavar == "PATH":
        return "@file"
    return "@none"


class RecordingParser(argparse.ArgumentParser):
    """An ArgumentParser that keeps what is added to it through argparse's
    public calls (argparse has no public walk of a parser's arguments): the
    actions ``add_argument`` returns, its argument groups' too, and the
    subcommands ``add_parser`` makes, with their help."""

    def __init__(self, *args, **kwargs):
        self.recorded: list[argparse.Action] = []
        self.commands: dict[str, tuple["RecordingParser", str]] = {}
        super().__init__(*args, **kwargs)

    def add_argument(self, *args, **kwargs):
        action = super().add_argument(*args, **kwargs)
        self.recorded.append(action)
        return action

    def add_argument_group(self, *args, **kwargs):
        group = super().add_argument_group(*args, **kwargs)
        add, recorded = group.add_argument, self.recorded

        def add_argument(*a, **k):
            action = add(*a, **k)
            recorded.append(action)
            return action

        group.add_argument = add_argument
        return group

    def add_subparsers(self, **kwargs):
        kwargs.setdefault("parser_class", RecordingParser)
        sub = super().add_subparsers(**kwargs)
        add_parser, commands = sub.add_parser, self.commands

        def add(name, **k):
            parser = add_parser(name, **k)
            commands[name] = (parser, k.get("help") or "")
            return parser

        sub.add_parser = add
        return sub


def describe(parser: RecordingParser) -> list[Command]:
    """The commands of a parser built as a :class:`RecordingParser`."""
    commands = []
    for name, (p, help_text) in parser.commands.items():
        command = Command(name, help_text)
        for action in p.recorded:
            if not action.option_strings:
                if action.dest != "help":
                    command.positional = "@field-query" if action.dest == "query" else _kind(action)
                continue
            for option in action.option_strings:
                if option.startswith("--"):
                    if action.nargs == 0:
                        command.flags.append(option)
                    else:
                        command.options[option] = _kind(action)
        commands.append(command)
    return commands


# ------------------------------------------------------------------- bash

def _words(kind: str) -> str:
    if kind == "@field":
        return " ".join(field_names())
    if kind == "@field-query":
        return " ".join(query_prefixes())
    return kind


def bash_script(parser: RecordingParser, prog: str = "depeche") -> str:
    """The bash completion script (``complete -F _depeche depeche``)."""
    commands = describe(parser)
    fn = f"_{prog}"
    lines = [
        f"# bash completion for {prog}: eval \"$({prog} completion bash)\" in ~/.bashrc",
        f"{fn}() {{",
        "    local cur prev cmd i",
        "    cur=\"${COMP_WORDS[COMP_CWORD]}\"",
        "    prev=\"${COMP_WORDS[COMP_CWORD-1]}\"",
        "    cmd=\"\"",
        "    for ((i = 1; i < COMP_CWORD; i++)); do",
        "        case \"${COMP_WORDS[i]}\" in -*) ;; *) cmd=\"${COMP_WORDS[i]}\"; break ;; esac",
        "    done",
        "    if [[ -z \"$cmd\" ]]; then",
        f"        COMPREPLY=($(compgen -W \"{' '.join(c.name for c in commands)} --help --version\" -- \"$cur\"))",
        "        return 0",
        "    fi",
        "    case \"$cmd\" in",
    ]
    for c in commands:
        lines.append(f"    {c.name})")
        lines.append("        case \"$prev\" in")
        for option, kind in c.options.items():
            lines.append(f"        {option}) {_bash_kind(kind)}; return 0 ;;")
        lines.append("        esac")
        everything = " ".join([*c.options, *c.flags, "--help"])
        lines.append("        if [[ \"$cur\" = -* ]]; then")
        lines.append(f"            COMPREPLY=($(compgen -W \"{everything}\" -- \"$cur\")); return 0")
        lines.append("        fi")
        if "--facets" in c.options:
            # --facets takes names until the first word that names no field.
            lines.append("        for ((i = COMP_CWORD - 1; i > 0; i--)); do")
            lines.append("            case \"${COMP_WORDS[i]}\" in --facets) "
                         f"{_bash_kind('@field')}; return 0 ;; -*) break ;; esac")
            lines.append(f"            case \" {' '.join(field_names())} \" in *\" ${{COMP_WORDS[i]}} \"*) ;; "
                         "*) break ;; esac")
            lines.append("        done")
        lines.append(f"        {_bash_kind(c.positional)} ;;")
    lines += ["    esac", "}", f"complete -o default -F {fn} {prog}", ""]
    return "\n".join(lines)


def _bash_kind(kind: str) -> str:
    if kind == "@file":
        return "COMPREPLY=($(compgen -f -- \"$cur\"))"
    if kind == "@dir":
        return "COMPREPLY=($(compgen -d -- \"$cur\"))"
    if kind == "@none":
        return "COMPREPLY=()"
    if kind == "@field-query":
        return f"COMPREPLY=($(compgen -W \"{_words(kind)}\" -- \"$cur\"))"
    return f"COMPREPLY=($(compgen -W \"{_words(kind)}\" -- \"$cur\"))"


def zsh_script(parser: RecordingParser, prog: str = "depeche") -> str:
    """The zsh script: the bash one, through zsh's ``bashcompinit``."""
    return "\n".join([
        f"# zsh completion for {prog}: eval \"$({prog} completion zsh)\" in ~/.zshrc (after compinit)",
        "autoload -U +X compinit && { (( $+functions[compdef] )) || compinit; }",
        "autoload -U +X bashcompinit && bashcompinit",
        bash_script(parser, prog),
    ])


# ------------------------------------------------------------------- fish

def _fish_quote(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def fish_script(parser: RecordingParser, prog: str = "depeche") -> str:
    """The fish script: ``complete -c depeche ...`` lines."""
    commands = describe(parser)
    names = " ".join(c.name for c in commands)
    lines = [f"# fish completion for {prog}: {prog} completion fish > ~/.config/fish/completions/{prog}.fish",
             f"complete -c {prog} -f"]
    for c in commands:
        lines.append(f"complete -c {prog} -n 'not __fish_seen_subcommand_from {names}' -a {c.name} "
                     f"-d {_fish_quote(c.help)}")
    for c in commands:
        cond = f"-n '__fish_seen_subcommand_from {c.name}'"
        for option, kind in c.options.items():
            if kind == "@file":
                what = "-r -F"
            elif kind == "@dir":
                what = "-r -a '(__fish_complete_directories)'"
            elif kind == "@none":
                what = "-r"
            else:
                what = f"-x -a {_fish_quote(_words(kind))}"
            lines.append(f"complete -c {prog} {cond} -l {option[2:]} {what}")
        for flag in c.flags:
            lines.append(f"complete -c {prog} {cond} -l {flag[2:]}")
        if "--facets" in c.options:   # --facets takes several names
            lines.append(f"complete -c {prog} -n '__fish_seen_subcommand_from {c.name}; and __fish_contains_opt "
                         f"facets' -a {_fish_quote(_words('@field'))}")
        if c.positional == "@file":
            lines.append(f"complete -c {prog} {cond} -F")
        elif c.positional == "@field-query" or not c.positional.startswith("@"):
            lines.append(f"complete -c {prog} {cond} -a {_fish_quote(_words(c.positional))}")
    return "\n".join(lines) + "\n"


def completion_script(shell: str, parser: RecordingParser, prog: str = "depeche") -> str:
    """The completion script of one shell."""
    return {"bash": bash_script, "zsh": zsh_script, "fish": fish_script}[shell](parser, prog)
