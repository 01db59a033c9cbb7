"""The times stage and the TIMEX3 normalizer, on short invented sentences."""
from __future__ import annotations

import pytest

from newsgraph.knowledge import default_knowledge
from newsgraph.model import Article
from newsgraph.stages.times import time_words
from newsgraph.stages.times.timex import FUTURE, PAST, Normalizer

ANCHOR = "2024-05-16"          # a Thursday, ISO week 20


@pytest.fixture(scope="module")
def norm():
    return Normalizer(time_words(default_knowledge()))


@pytest.fixture(scope="module")
def times_pipeline():
    from newsgraph.pipeline import Pipeline
    return Pipeline(stages=["times"])


def value(norm, text, tense=None, anchor=ANCHOR, ref=None):
    out = norm(text, anchor, tense, ref)
    return None if out is None else out[1]


@pytest.mark.parametrize("text,tense,want", [
    ("Thursday", PAST, "2024-05-16"),          # the publication day itself
    ("Thursday", FUTURE, "2024-05-16"),
    ("Tuesday", PAST, "2024-05-14"),
    ("Tuesday", FUTURE, "2024-05-21"),
    ("Saturday", PAST, "2024-05-11"),
    ("Saturday", FUTURE, "2024-05-18"),
    ("last Friday", None, "2024-05-10"),
    ("next Monday", None, "2024-05-20"),
])
def test_weekday_follows_tense(norm, text, tense, want):
    assert value(norm, text, tense) == want


@pytest.mark.parametrize("text,want", [
    ("today", "2024-05-16"), ("yesterday", "2024-05-15"), ("tomorrow", "2024-05-17"),
    ("last year", "2023"), ("this year", "2024"), ("next year", "2025"),
    ("next month", "2024-06"), ("last month", "2024-04"), ("earlier this month", "2024-05"),
    ("last week", "2024-W19"), ("this week", "2024-W20"),
    ("the past decade", "201"), ("the 1990s", "199"), ("the early eighties", "198"), ("the 19th century", "18"),
    ("mid-2021", "2021"), ("fiscal 2019", "2019"), ("the first half of 2020", "2020-H1"),
    ("February 2022", "2022-02"), ("May 16, 2024", "2024-05-16"), ("16 May", "2024-05-16"),
    ("Sept. 3, 1999", "1999-09-03"), ("nineteen ninety-six", "1996"), ("2024", "2024"),
    ("the third quarter of 1998", "1998-Q3"), ("last year's second quarter", "2023-Q2"),
    ("this summer", "2024-SU"), ("last winter", "2023-WI"),
    ("two years ago", "2022"), ("three months ago", "2024-02"), ("ten days ago", "2024-05-06"),
])
def test_dates(norm, text, want):
    assert value(norm, text) == want


@pytest.mark.parametrize("text,want", [
    ("two weeks", "P2W"), ("three years", "P3Y"), ("24 hours", "PT24H"), ("twenty four hours", "PT24H"),
    ("a decade", "P1E"), ("the past six months", "P6M"), ("a ten-day", "P10D"), ("several years", "PXY"),
    ("a minute and a half", "PT1M30S"), ("the first nine months", "P9M"),
])
def test_durations(norm, text, want):
    assert norm(text, ANCHOR, None) == ("DURATION", want)


@pytest.mark.parametrize("text,want", [
    ("every year", "P1Y"), ("annually", "P1Y"), ("weekly", "P1W"), ("each month", "P1M"),
    ("every Tuesday", "XXXX-WXX-2"),
])
def test_sets(norm, text, want):
    assert norm(text, ANCHOR, None) == ("SET", want)


@pytest.mark.parametrize("text,want", [
    ("now", "PRESENT_REF"), ("currently", "PRESENT_REF"), ("recently", "PAST_REF"), ("former", "PAST_REF"),
    ("the future", "FUTURE_REF"), ("the near future", "FUTURE_REF"),
])
def test_refs(norm, text, want):
    assert value(norm, text) == want


def test_times_of_day(norm):
    assert norm("10 a.m.", "1998-01-08", None) == ("TIME", "1998-01-08T10:00")
    assert norm("7:15 p.m. yesterday", "1998-01-08", PAST) == ("TIME", "1998-01-07T19:15")
    assert norm("this morning", ANCHOR, None) == ("TIME", "2024-05-16TMO")
    assert norm("Friday evening", ANCHOR, PAST) == ("TIME", "2024-05-10TEV")


def test_month_without_year_follows_tense(norm):
    assert value(norm, "January", PAST) == "2024-01"
    assert value(norm, "January", FUTURE) == "2025-01"
    assert value(norm, "last December") == "2023-12"
    assert value(norm, "Dec. 3", FUTURE) == "2024-12-03"
    assert value(norm, "Dec. 3", PAST) == "2023-12-03"


def test_quarters_and_the_quarter_named_before(norm):
    assert value(norm, "the third quarter", PAST, anchor="1998-11-02") == "1998-Q3"
    assert value(norm, "the fourth quarter", PAST, anchor="1998-05-02") == "1997-Q4"
    assert value(norm, "the latest quarter", None, anchor="1998-11-02") == "1998-Q3"
    assert value(norm, "a year earlier", PAST, anchor="1998-11-02", ref="1998-Q3") == "1997-Q3"
    assert value(norm, "a year earlier", PAST, anchor="1998-11-02") == "1997"


def test_no_anchor_keeps_absolute_values(norm):
    assert norm("February 2022", None, PAST) == ("DATE", "2022-02")
    assert norm("the 1990s", None, None) == ("DATE", "199")
    assert norm("two weeks", None, None) == ("DURATION", "P2W")
    assert norm("last year", None, PAST) == ("DATE", None)
    assert norm("Thursday", None, PAST) == ("DATE", None)


def test_not_a_time(norm):
    assert norm("the committee", ANCHOR, None) is None
    assert norm("Reuters", ANCHOR, None) is None


def _times(pipeline, text, published=ANCHOR):
    analysis = pipeline.analyze(Article(id="t", text=text, published=published))
    return [(t.text, t.type, t.value) for t in analysis.times]


def test_stage_tense_decides_the_weekday(times_pipeline):
    text = ("The minister resigned on Tuesday. Her successor will be sworn in on Tuesday. "
            "Farmers blocked roads for two weeks last year.")
    got = _times(times_pipeline, text)
    assert ("Tuesday", "DATE", "2024-05-14") in got
    assert ("Tuesday", "DATE", "2024-05-21") in got
    assert ("two weeks", "DURATION", "P2W") in got
    assert ("last year", "DATE", "2023") in got


def test_stage_quarter_anchors_a_year_earlier(times_pipeline):
    text = ("The bank earned $3 million in the third quarter, up from $2 million a year earlier. "
            "Sales in the quarter rose 4%.")
    got = _times(times_pipeline, text, "2019-10-28")
    assert ("the third quarter", "DATE", "2019-Q3") in got
    assert ("a year earlier", "DATE", "2018-Q3") in got
    assert ("the quarter", "DATE", "2019-Q3") in got


def test_stage_without_a_date(times_pipeline):
    got = _times(times_pipeline, "The plant closed in February 2022 and reopened last year.", None)
    assert ("February 2022", "DATE", "2022-02") in got
    assert ("last year", "DATE", None) in got


def test_stage_leaves_ages_and_adjectives_alone(times_pipeline):
    got = _times(times_pipeline, "The 52-year-old chairman, 61 years old, raised the quarterly dividend.")
    assert got == []


def test_stage_leaves_out_stretches_measured_from_an_event(times_pipeline):
    got = _times(times_pipeline, "She spoke in Rome a day after he resigned. The talks lasted two days.")
    assert got == [("two days", "DURATION", "P2D")]


def test_stage_recently_only_where_the_tense_does_not_say_it(times_pipeline):
    text = "Exports have dipped recently. The mayor recently opened a bridge."
    analysis = times_pipeline.analyze(Article(id="t", text=text, published=ANCHOR))
    assert [(t.start, t.value) for t in analysis.times] == [(text.index("recently opened"), "PAST_REF")]


def test_stage_works_without_a_parse():
    from newsgraph.pipeline import Pipeline, load_model
    nlp = load_model()
    with nlp.select_pipes(disable=[p for p in ("parser",) if p in nlp.pipe_names]):
        if "senter" in nlp.pipe_names:
            nlp.enable_pipe("senter")
        pipeline = Pipeline(stages=["times"], nlp=nlp)
        got = _times(pipeline, "Prices fell on Monday. Traders expect a rebound next week.")
    assert ("Monday", "DATE", "2024-05-13") in got
    assert ("next week", "DATE", "2024-W21") in got


def test_a_24_hour_clock_is_not_a_year():
    import newsgraph
    a = newsgraph.extract("At 1405 GMT, shares in the bank were down. The bank was founded in 1896.",
                          published="2005-02-11")
    values = [t.value for t in a.times]
    assert "1405" not in values and "1896" in values
