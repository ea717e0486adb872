"""The command line run in-process: ``run("search", ...)`` -> (exit code, stdout, stderr)."""

from __future__ import annotations

import io

from search.cli import main


def run(*argv):
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()
