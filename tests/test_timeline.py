"""Timelines (search/timeline.py) and ``depeche facets --plot``: every period
from the first to the last, the empty ones at zero."""

from __future__ import annotations

from pathlib import Path

import pytest

from search.results import FacetValue
from search.timeline import (MAX_PERIODS, TimelineError, bar, choose_bucket, make_timeline, period_count,
                             render_timeline)
from tests.cli_run import run

REALDATA = Path(__file__).resolve().parents[1].parent / "shared" / "realdata"


def test_empty_months_are_filled_across_a_year_end():
    t = make_timeline([FacetValue("2019-11", 2), FacetValue("2020-02", 5), FacetValue("2020-05", 1)], "month")
    assert [(p.label, p.count) for p in t.periods] == [
        ("2019-11", 2), ("2019-12", 0), ("2020-01", 0), ("2020-02", 5), ("2020-03", 0), ("2020-04", 0),
        ("2020-05", 1)]
    assert t.total == 8 and t.empty_periods == 4 and t.top == 5


def test_days_cross_months_and_leap_days():
    t = make_timeline({"2016-02-27": 1, "2016-03-01": 2}, "day")
    assert [p.label for p in t.periods] == ["2016-02-27", "2016-02-28", "2016-02-29", "2016-03-01"]
    assert period_count("2015-12-31", "2016-01-01", "day") == 2


def test_labels_that_are_no_period_are_counted_apart():
    # The "(no date)" count the engine's facet may carry, or anything else it
    # cannot place on the timeline (a month label in a year timeline).
    t = make_timeline({"2015": 3, "(no date)": 576, "2017": 1}, "year")
    assert [p.label for p in t.periods] == ["2015", "2016", "2017"]
    assert t.undated == 576 and t.undated_label == "(no date)"
    assert render_timeline(t, 40)[-1] == "(no date)  576"
    only_undated = make_timeline({"(no date)": 4}, "year")
    assert only_undated.periods == () and only_undated.describe() == "no dated story"


def test_bars_scale_to_the_top_and_never_hide_a_story():
    assert bar(10, 10, 8) == "█" * 8
    assert bar(1, 10_000, 8).strip() == "▏"          # one story among thousands still shows
    assert bar(0, 10, 8) == " " * 8
    lines = render_timeline(make_timeline({"2014": 22, "2015": 0, "2016": 11}, "year"), width=40)
    assert [len(line) for line in lines] == [40, 40, 40]
    assert lines[0].count("█") == 31 and lines[2].count("█") == 15 and "▌" in lines[2]   # 31 cells, 15.5


def test_a_timeline_too_long_to_draw_is_refused_with_the_coarser_bucket():
    with pytest.raises(TimelineError) as exc:
        make_timeline({"1900-01-01": 1, "2016-01-01": 1}, "day")
    assert f"more than {MAX_PERIODS:,}" in str(exc.value) and exc.value.hint == "count by month"


def test_choose_bucket_fits_the_rows():
    assert choose_bucket("2016-02-01", "2016-02-28", 28) == "day"
    assert choose_bucket("2016-02-01", "2016-02-28", 27) == "month"
    assert choose_bucket("2008-01-01", "2016-12-31", 108) == "month"
    assert choose_bucket("2008-01-01", "2016-12-31", 50) == "year"


# -------------------------------------------------------------------- CLI

def test_cli_plot_draws_the_empty_years(ix):
    code, out, err = run("facets", "--field", "date", "--plot", "--index", ix)
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0] == "90 story groups by year, 2008 to 2023 (9 of 16 years without a story)"
    assert [line[:4] for line in lines[1:]] == [str(y) for y in range(2008, 2024)]
    assert lines[2].split() == ["2009", "0"] and lines[3].split() == ["2010", "0"]
    assert all(len(line) == 80 for line in lines[1:])  # piped: 80 columns
    code, out, err = run("facets", "--field", "date", "--plot", "--all-versions", "--index", ix)
    assert out.splitlines()[0] == "102 stories by year, 2008 to 2023 (9 of 16 years without a story)"


def test_cli_plot_by_month_of_a_query(ix):
    code, out, _ = run("facets", "tempête", "--field", "date", "--by", "month", "--plot", "--index", ix)
    lines = out.splitlines()
    assert code == 0 and lines[0].startswith("tempête: 5 story groups by month, 2012-10 to 2016-02 (")
    months = [line.split()[0] for line in lines[1:]]
    assert months[0] == "2012-10" and months[-1] == "2016-02" and len(months) == 41
    assert sum(int(line.split()[-1]) for line in lines[1:]) == 5


def test_cli_plot_of_another_field_and_its_mistakes(ix):
    code, out, _ = run("facets", "--field", "agence", "--plot", "--index", ix)
    assert code == 0 and out.splitlines()[0] == "story groups by agency"
    assert out.splitlines()[1].split()[::2] == ["AFP", "24"]
    code, _, err = run("facets", "--field", "date", "--plot", "--format", "json", "--index", ix)
    assert code == 2 and err == "depeche: error: --plot draws text bars; it takes no --format json\n"
    code, out, _ = run("facets", "zzzxqw", "--field", "date", "--plot", "--index", ix)
    assert code == 1 and out == "zzzxqw: no dated story\n"


@pytest.mark.slow
@pytest.mark.skipif(not REALDATA.is_dir(), reason="../shared/realdata is absent")
def test_real_stories_timeline_has_no_gap(tmp_path):
    from indexer.index.build import build_index

    build_index([REALDATA], tmp_path / "ix", workers=1)
    code, out, _ = run("facets", "--field", "date", "--by", "month", "--plot", "--index", str(tmp_path / "ix"))
    assert code == 0
    months = [line.split()[0] for line in out.splitlines()[1:] if line[:1].isdigit()]
    assert months == sorted(months) and len(months) == period_count(months[0], months[-1], "month")
