"""``depeche completion bash|zsh|fish``: the scripts run in real shells.

bash runs the completion function with COMP_WORDS and COMP_CWORD set as
bash sets them on a tab; zsh runs it through its bashcompinit (in the
emulation zsh's compgen sets), fish answers ``complete -C``. zsh and fish
are tested where installed (Debian: ``apt-get install zsh fish``).
"""

from __future__ import annotations

import shutil
import subprocess

import pytest

from tests.cli_run import run

CASES = [
    (["depeche", "se"], {"search"}, {"show"}),
    (["depeche", "search", "--fo"], {"--format"}, {"--facets"}),
    (["depeche", "search", "--format", ""], {"table", "json", "csv", "csv-fr", "xlsx", "iramuteq"}, set()),
    (["depeche", "facets", "--field", "l"], {"lieu", "lieux", "language", "langue"}, {"agency"}),
    (["depeche", "search", "--facets", "lieu", "ag"], {"agency", "agence"}, set()),
    (["depeche", "search", "tempete", "trad"], {"traducteur:", "traduction:"}, set()),
    (["depeche", "facets", "--by", ""], {"year", "month", "day"}, set()),
    (["depeche", "completion", ""], {"bash", "zsh", "fish"}, set()),
    (["depeche", "stats", "--format", ""], {"table", "json"}, {"csv"}),
]


def script(shell: str, tmp_path):
    code, out, err = run("completion", shell)
    assert code == 0 and err == ""
    path = tmp_path / f"depeche.{shell}"
    path.write_text(out, encoding="utf-8")
    return path


def _check(words, got, want, never):
    prefix = words[-1]
    got = {g for g in got if g.startswith(prefix)}   # what the shell offers for the word typed
    assert want <= got, (words, got)
    assert not (never & got), (words, got)


def _bash_words(words) -> str:
    return " ".join("''" if w == "" else w for w in words)


def test_bash_completes_commands_options_choices_and_fields(tmp_path):
    path = script("bash", tmp_path)
    for words, want, never in CASES:
        program = (f"source {path}; COMP_WORDS=({_bash_words(words)}); COMP_CWORD={len(words) - 1}; "
                   "COMPREPLY=(); _depeche; printf '%s\\n' \"${COMPREPLY[@]}\"")
        result = subprocess.run(["bash", "--norc", "--noprofile", "-c", program], capture_output=True,
                                text=True, timeout=30)
        assert result.returncode == 0 and result.stderr == "", result.stderr
        _check(words, set(result.stdout.split()), want, never)


def test_bash_completes_folders_for_index(tmp_path):
    (tmp_path / "mon-index").mkdir()
    path = script("bash", tmp_path)
    program = (f"cd {tmp_path}; source {path}; COMP_WORDS=(depeche search --index mon); COMP_CWORD=3; "
               "COMPREPLY=(); _depeche; printf '%s\\n' \"${COMPREPLY[@]}\"")
    result = subprocess.run(["bash", "--norc", "-c", program], capture_output=True, text=True, timeout=30)
    assert result.stdout.split() == ["mon-index"]


@pytest.mark.skipif(shutil.which("zsh") is None, reason="zsh is not installed (Debian: apt-get install zsh)")
def test_zsh_completes_through_bashcompinit(tmp_path):
    path = script("zsh", tmp_path)
    for words, want, never in CASES:
        quoted = " ".join("''" if w == "" else w for w in words)
        program = (f"source {path}; t() {{ emulate -L sh; setopt kshglob noshglob braceexpand; "
                   f"COMP_WORDS=({quoted}); COMP_CWORD={len(words) - 1}; COMPREPLY=(); _depeche; "
                   "printf '%s\\n' \"${COMPREPLY[@]}\"; }; t")
        result = subprocess.run(["zsh", "-f", "-c", program], capture_output=True, text=True, timeout=30)
        assert result.returncode == 0 and result.stderr == "", result.stderr
        _check(words, set(result.stdout.split()), want, never)


@pytest.mark.skipif(shutil.which("fish") is None, reason="fish is not installed (Debian: apt-get install fish)")
def test_fish_completes(tmp_path):
    path = script("fish", tmp_path)
    for words, want, never in CASES:
        line = " ".join(words[1:])
        if words[-1] == "":
            line += " "
        result = subprocess.run(["fish", "--no-config", "-c", f"source {path}; complete -C 'depeche {line}'"],
                                capture_output=True, text=True, timeout=30)
        assert result.returncode == 0, result.stderr
        _check(words, {row.split("\t")[0] for row in result.stdout.splitlines()}, want, never)


def test_the_scripts_follow_the_parser():
    from search.cli import build_parser
    from search.completion import RecordingParser, describe

    commands = {c.name: c for c in describe(build_parser(RecordingParser))}
    assert {"search", "facets", "completion", "tui"} <= set(commands)
    assert commands["facets"].options["--field"] == "@field" and "--plot" in commands["facets"].flags
    assert commands["index"].positional == "@file" and commands["search"].options["--index"] == "@dir"
