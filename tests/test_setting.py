"""The setting stage: when and where events and quotes took place, when their sentence says."""
import newsgraph


def test_a_quote_is_dated_and_placed_by_its_cue_not_by_what_was_said():
    a = newsgraph.extract("The mayor told reporters in Kinshasa on Tuesday that the talks in Nairobi "
                          "would resume next month.", published="2025-03-06")
    [q] = a.quotes
    assert q.speaker_name and q.date == "2025-03-04" and q.place == "Kinshasa"


def test_an_event_is_dated_by_the_time_that_hangs_on_its_trigger():
    a = newsgraph.extract("Rwanda accused Congo of shelling border villages on Sunday.", published="2025-03-06")
    ev = next(e for e in a.events if e.type == "ACCUSE")
    assert ev.date == "2025-03-02"


def test_an_actor_is_no_place_of_its_own_event():
    a = newsgraph.extract("Russia attacked Ukraine on Thursday.", published="2024-05-17")
    ev = next(e for e in a.events if e.type == "ASSAULT")
    assert ev.location is None and ev.date == "2024-05-16"


def test_a_place_inside_a_noun_phrase_does_not_place_the_saying():
    a = newsgraph.extract("The envoy said he was grateful for efforts to find a solution in Sudan.",
                          published="2025-03-06")
    assert all(q.place is None for q in a.quotes)


def test_an_events_place_goes_to_plover_and_gdelt_exports():
    from newsgraph.export import GDELT_COLUMNS, gdelt_rows, plover_records
    a = newsgraph.extract("Russian forces shelled Ukrainian positions near Kharkiv on Monday.",
                          published="2025-03-06")
    ev = next(e for e in a.events if e.location is not None)
    assert ev.location.name == "Kharkiv" and ev.location.feature == "city" and ev.location.country == "UKR"
    i = a.events.index(ev)
    loc = plover_records(a)[i]["event_loc"]                  # one location object, as the manual has it
    assert (loc["extracted_place"], loc["country_code"], loc["resolution"]) == ("Kharkiv", "UKR", 4)
    assert abs(loc["lat"] - 50.0) < 0.3 and abs(loc["lon"] - 36.25) < 0.3
    row = dict(zip(GDELT_COLUMNS, [r for r, e in zip(gdelt_rows(a), [e for e in a.events if not e.negated])
                                   if e is ev][0]))
    assert row["ActionGeo_Type"] == "4" and row["ActionGeo_FeatureID"] == str(ev.location.geonameid)
    assert row["ActionGeo_CountryCode"] == "UP"                    # FIPS 10-4, as GDELT writes it
    assert abs(float(row["ActionGeo_Lat"]) - 50.0) < 0.3
    again = type(a).from_dict(a.to_dict())                 # the record survives the JSON round trip
    assert again.events[i].location == ev.location
