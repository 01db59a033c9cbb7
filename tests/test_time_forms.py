"""Everyday time forms a new user writes: clock times in words and figures, ISO dates and datetimes,
ordinal days in words, years in words, holidays fixed and movable, seasons with "coming", "next" and
"last"; and the TIMEX3 validator that keeps every value the stage makes well formed."""
from __future__ import annotations

import pytest

from newsgraph.knowledge import Knowledge
from newsgraph.model import Article
from newsgraph.stages.times import time_words, timex

THURSDAY = "2010-02-18"          # a Thursday


@pytest.fixture(scope="module")
def normalize():
    return timex.Normalizer(time_words(Knowledge()))


@pytest.mark.parametrize("text, tense, value", [
    ("2004-03-04T18:32:56", None, ("TIME", "2004-03-04T18:32:56")),
    ("2004-03-04", None, ("DATE", "2004-03-04")),
    ("at 8:00 pm on Friday", "present", ("TIME", "2010-02-19T20:00")),     # set for the Friday ahead
    ("at 8:00 pm on Friday", "past", ("TIME", "2010-02-12T20:00")),
    ("at 20:15", "past", ("TIME", "2010-02-18T20:15")),
    ("a quarter past 6", "past", ("TIME", "2010-02-18T06:15")),
    ("ten minutes to three", "past", ("TIME", "2010-02-18T02:50")),
    ("half past nine p.m.", "past", ("TIME", "2010-02-18T21:30")),
    ("a quarter to midnight", "past", ("TIME", "2010-02-18T23:45")),
    ("twenty minutes past noon", "past", ("TIME", "2010-02-18T12:20")),
    ("six o'clock", "past", ("TIME", "2010-02-18T06:00")),
    ("the year twenty ten", "past", ("DATE", "2010")),
    ("the year nineteen ninety-nine", "past", ("DATE", "1999")),
    ("the year two thousand and five", "past", ("DATE", "2005")),
    ("the second of December", "past", ("DATE", "2009-12-02")),
    ("the twenty-first of March", "future", ("DATE", "2010-03-21")),
    ("last Easter", "past", ("DATE", "2009-04-12")),
    ("next Easter", "future", ("DATE", "2010-04-04")),
    ("Christmas 2009", "past", ("DATE", "2009-12-25")),
    ("Good Friday", "future", ("DATE", "2010-04-02")),
    ("Thanksgiving", "past", ("DATE", "2009-11-26")),
    ("Memorial Day", "future", ("DATE", "2010-05-31")),
    ("this coming spring", "future", ("DATE", "2010-SP")),
    ("next summer", "future", ("DATE", "2010-SU")),
    ("2005 summer", "past", ("DATE", "2005-SU")),
    ("last spring", "past", ("DATE", "2009-SP")),
])
def test_each_form_gets_its_value(normalize, text, tense, value):
    assert normalize(text, THURSDAY, tense) == value


def test_coming_and_next_seasons_skip_one_already_begun(normalize):
    assert normalize("this coming spring", "2010-04-18", "future") == ("DATE", "2011-SP")
    assert normalize("next winter", "2010-12-20", "future") == ("DATE", "2011-WI")


def test_easter_and_the_movable_feasts_follow_their_rules():
    assert [timex.easter(y).isoformat() for y in (2000, 2008, 2019, 2024, 2038)] == \
        ["2000-04-23", "2008-03-23", "2019-04-21", "2024-03-31", "2038-04-25"]
    assert timex.holiday_date("nth 11 4 4", 2024).isoformat() == "2024-11-28"      # Thanksgiving
    assert timex.holiday_date("nth 05 1 -1", 2024).isoformat() == "2024-05-27"     # Memorial Day
    assert timex.holiday_date("easter -46", 2024).isoformat() == "2024-02-14"      # Ash Wednesday


@pytest.mark.parametrize("kind, value", [
    ("DATE", "2010"), ("DATE", "2010-02-18"), ("DATE", "2010-W07"), ("DATE", "2010-W07-WE"), ("DATE", "2010-Q3"),
    ("DATE", "2010-H1"), ("DATE", "2010-SU"), ("DATE", "199"), ("DATE", "19"), ("DATE", "PRESENT_REF"),
    ("DATE", "XXXX-12-25"), ("TIME", "2010-02-18T20:00"), ("TIME", "2010-02-18T06:15:30"), ("TIME", "2010-02-18TNI"),
    ("TIME", "2010-02-18T24"), ("DURATION", "P3Y"), ("DURATION", "PT10M"), ("DURATION", "P1Q"), ("DURATION", "PXY"),
    ("DURATION", "P2DE"), ("DURATION", "P1Y6M"), ("SET", "XXXX-WXX-4"), ("SET", "P1W"), ("SET", "XXXX-XX-XXTMO"),
])
def test_well_formed_values_pass(kind, value):
    assert timex.valid_value(kind, value)


@pytest.mark.parametrize("kind, value", [
    ("TIME", "2010-02-17T32:56"), ("TIME", "2010-02-18T12:75"), ("DATE", "2010-02-30"), ("DATE", "2010-13"),
    ("DATE", "2010-Q5"), ("DATE", "P1Y"), ("DURATION", "2010-02"), ("DURATION", "P"), ("DURATION", "XXXX-WXX-4"),
    ("TIME", "T25:00"), ("DATE", "twenty ten"), ("SET", "sometimes"), ("DURATION", "P1Y2"),
])
def test_malformed_values_fail(kind, value):
    assert not timex.valid_value(kind, value)


def test_the_stage_finds_the_forms_in_running_text(pipeline):
    text = ("Police said the ISO timestamp was 2004-03-04T18:32:56. The shop closes at a quarter past 6 and the "
            "market opened on the second of December. Prices rose after last Easter and in 2005 summer. "
            "Turnout fell between 10 to 12 percent. Eastern Airlines flew on.")
    a = pipeline.analyze(Article(id="t", text=text, published=THURSDAY))
    found = {t.text: t.value for t in a.times}
    assert found["2004-03-04T18:32:56"] == "2004-03-04T18:32:56"
    assert found["at a quarter past 6"] == "2010-02-18T06:15"
    assert found["the second of December"] == "2009-12-02"
    assert found["last Easter"] == "2009-04-12"
    assert found["2005 summer"] == "2005-SU"
    assert not any("10 to 12" in t or "Eastern" in t for t in found)       # a range, an airline: no times
    assert all(timex.valid_value(t.type, t.value) for t in a.times)
