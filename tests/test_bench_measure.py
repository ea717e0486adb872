"""bench.measure: a measured command's peak memory is its own, not its parent's."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from bench.measure import run_launched, run_measured

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux's peak RSS across exec")

MB = 2 ** 20
#: A child that touches 40 MB, then prints its own peak RSS (KB) as JSON.
_CHILD = ("import json, resource; x = bytearray(40 * 2**20); x[::4096] = b'1' * len(range(0, len(x), 4096)); "
          "print(json.dumps({'self_kb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))")


def test_a_launched_command_reports_its_own_peak_not_its_parents():
    ballast = bytearray(200 * MB)
    ballast[::4096] = b"1" * len(range(0, len(ballast), 4096))  # 200 MB of this process's pages, touched
    direct = json.loads(subprocess.run([sys.executable, "-c", _CHILD], capture_output=True, text=True,
                                       check=True).stdout)
    assert direct["self_kb"] > 200 * 1024  # the flaw: a child forked from here starts at this process's peak
    done, usage = run_launched([sys.executable, "-c", _CHILD], capture_output=True, text=True, check=True)
    assert 40 * 1024 < usage["max_rss_kb"] < 120 * 1024
    assert json.loads(done.stdout)["self_kb"] <= usage["max_rss_kb"]
    assert usage["user_s"] + usage["sys_s"] > 0
    measured = run_measured([sys.executable, "-c", _CHILD])
    assert measured.returncode == 0 and 40 < measured.max_rss_process_mb < 120
    assert measured.result["self_kb"] < 120 * 1024 and measured.peak_tree_rss_mb < 120
    del ballast


def test_a_failing_command_keeps_its_exit_code():
    done, usage = run_launched([sys.executable, "-c", "import sys; sys.exit(3)"], capture_output=True)
    assert done.returncode == 3 and usage["max_rss_kb"] > 0
    with pytest.raises(subprocess.CalledProcessError):
        run_launched([sys.executable, "-c", "import sys; sys.exit(3)"], capture_output=True, check=True)
    done, usage = run_launched(["/nonexistent/command"], capture_output=True)
    assert done.returncode == 127
