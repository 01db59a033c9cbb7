"""PLOVER and GDELT export of a hand-built analysis (no spaCy, no network, no shared folder)."""
from __future__ import annotations

import hashlib
import json

import pytest

import newsgraph
from newsgraph.export import (GDELT_COLUMNS, gdelt_event_code, gdelt_rows, load_plover_types,
                              plover_records)
from newsgraph.model import Actor, Analysis, Article, Event, Sentence, Span

TEXT = ("Russian forces shelled Kharkiv on Monday, Ukraine's army said. "
        "Moscow did not withdraw its troops. "
        "In 2014 Russia annexed Crimea.")


def _span(text: str, word: str, after: int = 0) -> Span:
    start = TEXT.index(word, after)
    return Span(start, start + len(word), word)


def _analysis(published: str | None = "2022-02-28") -> Analysis:
    s1_end = TEXT.index("Moscow") - 1
    s2_end = TEXT.index("In 2014") - 1
    sentences = [Sentence(0, s1_end), Sentence(s1_end + 1, s2_end), Sentence(s2_end + 1, len(TEXT))]
    art = Article(id="a1", text=TEXT, title="Shelling in Kharkiv", url="https://example.org/a1",
                  published=published, source="Example News")
    russia = Actor("Russian forces", 0, 14, name="Russia", entity="e1", country="RUS", sector="MIL")
    kharkiv = Actor("Kharkiv", 23, 30, name="Kharkiv", entity="e2", country="UKR", sector=None)
    moscow = Actor("Moscow", TEXT.index("Moscow"), TEXT.index("Moscow") + 6, name="Russia", entity="e1",
                   country="RUS", sector="GOV")
    events = [
        # 0: asserted assault with a mode and a full date of its own
        Event("ASSAULT", russia, kharkiv, trigger=_span(TEXT, "shelled"), sentence=Span(0, s1_end),
              mode="heavy-weapons", cameo="195", date="2022-02-28", confidence=0.9),
        # 1: negated retreat, no target
        Event("RETREAT", moscow, None, trigger=_span(TEXT, "withdraw"), sentence=Span(s1_end + 1, s2_end),
              mode="withdraw", cameo="0872", negated=True, date="2022-02", confidence=0.8),
        # 2: historical event, partial date, mode without a score of its own, 2-digit CAMEO code
        Event("ASSAULT", Actor("Russia", TEXT.index("Russia", 70), TEXT.index("Russia", 70) + 6,
                               name="Russia", country="RUS", sector="GOVMED"),
              Actor("Crimea", TEXT.index("Crimea"), TEXT.index("Crimea") + 6, name="Crimea", country="UKR"),
              trigger=_span(TEXT, "annexed"), sentence=Span(s2_end + 1, len(TEXT)),
              mode="seize", cameo="19", modality="historical", date="2014"),
    ]
    return Analysis(article=art, sentences=sentences, events=events)


@pytest.fixture
def analysis() -> Analysis:
    return _analysis()


def col(name: str) -> int:
    return GDELT_COLUMNS.index(name)


# ------------------------------------------------------------------ plover_types.tsv
def test_plover_types_table():
    types = load_plover_types()
    assert types[("ASSAULT", "")] == (4, -9.0)
    assert types[("ASSAULT", "heavy-weapons")] == (4, -9.5)
    assert types[("COERCE", "martial-law")] == (4, -7.5)
    assert types[("CONSULT", "visit")] == (1, 4.0)
    assert types[("RETREAT", "withdraw")] == (2, 8.0)
    assert types[("REQUEST", "")] == (3, 0.0)
    assert {t for t, m in types if m == ""} == {
        "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE",
        "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"}
    assert len(types) == 82
    assert all(isinstance(q, int) and isinstance(s, float) for q, s in types.values())
    assert all(m == m.lower() for _, m in types)


def test_load_plover_types_from_a_path(tmp_path):
    path = tmp_path / "t.tsv"
    path.write_text("# comment\ntype\tmode\tquad\tscore\nAID\t\t2\t10\nAID\tCash\t2\t7.5\n", encoding="utf-8")
    assert load_plover_types(path) == {("AID", ""): (2, 10.0), ("AID", "cash"): (2, 7.5)}


# ------------------------------------------------------------------ PLOVER
def test_plover_record_fields_and_types(analysis):
    recs = plover_records(analysis)
    assert len(recs) == 3
    r = recs[0]
    assert r["id"] == "a1-0"
    assert r["date"] == "2022-02-28"
    assert r["actor"] == [{"code": "RUS", "sector": "MIL", "entity_text": "Russian forces",
                           "identifier_text": "Russia"}]
    assert r["recipient"] == [{"code": "UKR", "entity_text": "Kharkiv",       # no empty sector
                               "identifier_text": "Kharkiv"}]
    assert r["event"] == ["ASSAULT"]
    assert r["mode"] == ["heavy-weapons"]
    assert r["context"] == []
    assert r["quad_code"] == 4 and isinstance(r["quad_code"], int)
    assert r["event_scale"] == -9.5 and isinstance(r["event_scale"], float)
    assert r["event_text"] == ["shelled"]
    assert r["text_info"] == {"sequence": 0, "start": 0, "end": TEXT.index("Moscow") - 1}
    assert r["cite_info"] == {"url": "https://example.org/a1", "title": "Shelling in Kharkiv"}
    assert r["coder"] == f"newsgraph {newsgraph.__version__}"
    assert r["cameo"] == "195"
    assert r["negated"] is False
    assert r["modality"] == "asserted"
    assert r["trigger"] == {"start": TEXT.index("shelled"), "end": TEXT.index("shelled") + 7}
    assert r["confidence"] == 0.9
    # every record is plain JSON
    assert json.loads(json.dumps(recs)) == recs


def test_plover_negation_and_no_target(analysis):
    r = plover_records(analysis)[1]
    assert r["mode"] == ["withdraw", "negation"]
    assert r["negated"] is True
    assert r["recipient"] == []
    assert r["date"] == "2022-02-28"          # "2022-02" is not a full day: the published date is used
    assert r["event_scale"] == 8.0 and r["quad_code"] == 2
    assert r["text_info"]["sequence"] == 1


def test_plover_historical_and_type_score_fallback(analysis):
    r = plover_records(analysis)[2]
    assert r["mode"] == ["seize", "historical"]
    assert r["event_scale"] == -9.0            # no (ASSAULT, seize) row: ASSAULT's own score
    assert r["text_info"]["sequence"] == 2


@pytest.mark.parametrize("modality,negated,expected", [
    ("intended", False, ["future"]),
    ("hypothetical", False, ["hypothetical"]),
    ("reported", False, []),
    ("asserted", True, ["negation"]),
    ("intended", True, ["negation", "future"]),
])
def test_auxiliary_modes(modality, negated, expected):
    a = Analysis(article=Article(id="x", text="They met."),
                 events=[Event("CONSULT", Actor("They", 0, 4), None, modality=modality, negated=negated)])
    r = plover_records(a)[0]
    assert r["mode"] == expected
    assert r["date"] is None and r["text_info"] == {"sequence": None, "start": None, "end": None}
    assert r["event_scale"] == 2.5 and r["quad_code"] == 1


def test_plover_unknown_type_has_no_quad_or_scale():
    a = Analysis(article=Article(id="x", text="..."), events=[Event("CRIME", None, None)])
    r = plover_records(a)[0]
    assert (r["quad_code"], r["event_scale"], r["actor"], r["event_text"]) == (None, None, [], [])


def test_plover_types_can_be_passed_in(analysis):
    r = plover_records(analysis, types={("ASSAULT", ""): (4, -1.0)})[0]
    assert (r["quad_code"], r["event_scale"]) == (4, -1.0)


# ------------------------------------------------------------------ GDELT
def test_gdelt_columns():
    assert len(GDELT_COLUMNS) == 61
    assert len(set(GDELT_COLUMNS)) == 61
    assert GDELT_COLUMNS[:5] == ["GlobalEventID", "Day", "MonthYear", "Year", "FractionDate"]
    assert GDELT_COLUMNS[15] == "Actor2Code" and GDELT_COLUMNS[25] == "IsRootEvent"
    assert GDELT_COLUMNS[34] == "AvgTone" and GDELT_COLUMNS[35] == "Actor1Geo_Type"
    assert GDELT_COLUMNS[51] == "ActionGeo_Type" and GDELT_COLUMNS[-2:] == ["DATEADDED", "SOURCEURL"]


def test_gdelt_rows_skip_negated_events(analysis):
    rows = gdelt_rows(analysis)
    assert len(rows) == 2
    assert all(len(r) == 61 == len(GDELT_COLUMNS) for r in rows)
    assert all(isinstance(v, str) for r in rows for v in r)
    assert [r[col("EventCode")] for r in rows] == ["195", "190"]     # the negated 0872 is absent
    assert all(r[col("Actor1Code")] != "RUSGOV" for r in rows)


def test_gdelt_row_values(analysis):
    r = gdelt_rows(analysis)[0]
    assert r[col("Day")] == "20220228"
    assert r[col("MonthYear")] == "202202"
    assert r[col("Year")] == "2022"
    assert r[col("FractionDate")] == "2022.1589"                     # (1 * 30 + 28) / 365
    assert r[col("Actor1Code")] == "RUSMIL"
    assert r[col("Actor1Name")] == "RUSSIA"
    assert r[col("Actor1CountryCode")] == "RUS"
    assert r[col("Actor1Type1Code")] == "MIL"
    assert r[col("Actor2Code")] == "UKR"
    assert r[col("Actor2Name")] == "KHARKIV"
    assert r[col("Actor2Type1Code")] == ""
    assert r[col("IsRootEvent")] == "1"
    assert (r[col("EventCode")], r[col("EventBaseCode")], r[col("EventRootCode")]) == ("195", "195", "19")
    assert r[col("QuadClass")] == "4"
    assert r[col("GoldsteinScale")] == ""
    assert r[col("NumMentions")] == r[col("NumSources")] == r[col("NumArticles")] == "1"
    assert r[col("DATEADDED")] == "20220228000000"
    assert r[col("SOURCEURL")] == "https://example.org/a1"
    filled = {"GlobalEventID", "Day", "MonthYear", "Year", "FractionDate", "Actor1Code", "Actor1Name",
              "Actor1CountryCode", "Actor1Type1Code", "Actor2Code", "Actor2Name", "Actor2CountryCode",
              "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "NumMentions",
              "NumSources", "NumArticles", "DATEADDED", "SOURCEURL"}
    assert {c for c, v in zip(GDELT_COLUMNS, r) if v} == filled


def test_gdelt_second_row(analysis):
    r = gdelt_rows(analysis)[1]                                     # event 2: historical annexation
    assert r[col("IsRootEvent")] == "0"
    assert r[col("Actor1Code")] == "RUSGOVMED"
    assert (r[col("Actor1Type1Code")], r[col("Actor1Type2Code")], r[col("Actor1Type3Code")]) == ("GOV", "MED", "")
    assert r[col("Day")] == "20220228"                              # reported date, not 2014
    assert r[col("EventBaseCode")] == "190" and r[col("EventRootCode")] == "19"


def test_gdelt_without_published_date():
    rows = gdelt_rows(_analysis(published=None))
    for name in ("Day", "MonthYear", "Year", "FractionDate", "DATEADDED"):
        assert rows[0][col(name)] == ""
    assert plover_records(_analysis(published=None))[1]["date"] is None
    assert plover_records(_analysis(published=None))[0]["date"] == "2022-02-28"   # the event's own date


def test_fraction_date_matches_gdelt():
    # Values from GDELT event files: 2004-11-26 -> 2004.8932, 2013-11-24 -> 2013.8877
    for published, expected in (("2004-11-26", "2004.8932"), ("2013-11-24T08:00:00Z", "2013.8877"),
                                ("2020-01-01", "2020.0027")):
        assert gdelt_rows(_analysis(published))[0][col("FractionDate")] == expected


def test_gdelt_quad_class_follows_the_cameo_root_and_dates_added_come_from_the_store(analysis):
    from newsgraph.export import fips_code, gdelt_quad_class
    assert [gdelt_quad_class(r) for r in ("01", "05", "06", "08", "09", "13", "14", "20")] == [1, 1, 2, 2, 3, 3, 4, 4]
    assert gdelt_quad_class("") is None and gdelt_quad_class("21") is None
    # CAMEO 08 (yield) is material cooperation in GDELT, whatever PLOVER type it maps to
    ev = analysis.events[0]
    ev.cameo, ev.type = "0872", "ASSAULT"
    assert gdelt_rows(analysis)[0][col("QuadClass")] == "2"
    assert gdelt_rows(analysis, added="2024-05-16T09:30:05+00:00")[0][col("DATEADDED")] == "20240516093005"
    assert (fips_code("GBR"), fips_code("DEU"), fips_code(None)) == ("UK", "GM", "")


def test_plover_actor_codes_are_never_empty_and_the_location_is_one_object(analysis):
    from newsgraph.model import Actor, Place
    analysis.events[0].source = Actor("gunmen", 0, 6)
    analysis.events[0].location = Place(23, 30, "Kharkiv", "Kharkiv", 706483, 50.0, 36.25, "UKR", "city")
    r = plover_records(analysis)[0]
    assert r["actor"] == [{"entity_text": "gunmen", "identifier_text": None}]
    assert r["event_loc"]["geonameid"] == 706483 and r["event_loc"]["resolution"] == 4
    assert plover_records(analysis)[1]["event_loc"] is None
    row = gdelt_rows(analysis)[0]
    assert (row[col("ActionGeo_CountryCode")], row[col("ActionGeo_FeatureID")]) == ("UP", "706483")


def test_gdelt_event_code():
    assert gdelt_event_code("0311") == ("0311", "031", "03")
    assert gdelt_event_code("19") == ("190", "190", "19")
    assert gdelt_event_code(None) == ("", "", "")


def test_gdelt_cells_have_no_tabs_or_newlines():
    a = _analysis()
    a.article.url = "https://example.org/a\tb\n"
    assert gdelt_rows(a)[0][col("SOURCEURL")] == "https://example.org/a b "


# ------------------------------------------------------------------ ids
def test_ids_are_stable_and_shared(analysis):
    plover_ids = [r["id"] for r in plover_records(analysis)]
    assert plover_ids == ["a1-0", "a1-1", "a1-2"]
    gdelt_ids = [r[col("GlobalEventID")] for r in gdelt_rows(analysis)]
    expected = [str(int(hashlib.sha1(f"a1-{i}".encode()).hexdigest()[:15], 16)) for i in (0, 2)]
    assert gdelt_ids == expected
    assert gdelt_ids == [r[col("GlobalEventID")] for r in gdelt_rows(_analysis())]   # a rebuild gives the same
    assert all(0 < int(i) < 2 ** 63 for i in gdelt_ids)
    other = _analysis()
    other.article.id = "a2"
    assert not set(gdelt_ids) & {r[col("GlobalEventID")] for r in gdelt_rows(other)}
