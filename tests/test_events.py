"""The events stage on short invented articles: who did what to whom, coded to PLOVER and CAMEO."""
from __future__ import annotations

import pytest

from newsgraph.model import Article


def events(pipeline, text, published="2025-03-14"):
    a = pipeline.analyze(Article(id="ev", text=text, published=published))
    return a, a.events


def find(evs, type_, source_country=None, target_country=None):
    hits = [e for e in evs if e.type == type_
            and (source_country is None or e.source.country == source_country)
            and (target_country is None or (e.target is not None and e.target.country == target_country))]
    assert hits, f"no {type_} {source_country}->{target_country}: " \
                 f"{[(e.source.name, e.type, e.target.name if e.target else None) for e in evs]}"
    return hits[0]


def test_verb_trigger_with_resolved_actors(pipeline):
    a, evs = events(pipeline, "Norway's foreign minister Kari Holm on Monday condemned Sweden for closing the border.")
    ev = find(evs, "ACCUSE", "NOR", "SWE")
    assert a.text[ev.trigger.start:ev.trigger.end] == "condemned"
    assert ev.cameo and ev.cameo.startswith("11")
    assert ev.source.name == "Kari Holm" and ev.source.sector == "GOV"
    assert ev.target.name == "Sweden"
    assert ev.modality == "asserted" and not ev.negated
    assert a.text[ev.sentence.start:ev.sentence.end].startswith("Norway's foreign minister")


def test_capital_acts_as_its_state_and_history_gets_a_date(pipeline):
    _, evs = events(pipeline, "Trade between the two countries has fallen since Moscow invaded Georgia in August 2008.")
    ev = find(evs, "ASSAULT", "RUS", "GEO")
    assert ev.source.name == "Russia" and ev.source.sector == "GOV"
    assert ev.modality == "historical" and ev.date == "2008-08"


def test_negation(pipeline):
    _, evs = events(pipeline, "Estonia has never criticized Latvia over the fishing dispute.")
    ev = find(evs, "ACCUSE", "EST", "LVA")
    assert ev.negated


def pair(evs, source_country, target_country):
    hits = [e for e in evs if e.source.country == source_country and e.target is not None
            and e.target.country == target_country]
    assert hits, f"no event {source_country}->{target_country}: {[(e.source.name, e.type) for e in evs]}"
    return hits[0]


def test_hypothetical_and_intended_modality(pipeline):
    # PLOVER codes a stated intention by what is intended (AGREE to aid, THREATEN to attack); the
    # modality records how the text puts it.
    _, evs = events(pipeline, "Officials said Finland would send aid to Moldova. Peru will attack Chile, its president warned.")
    ev = pair(evs, "FIN", "MDA")
    assert ev.type in ("AID", "AGREE") and ev.modality == "hypothetical"
    ev = pair(evs, "PER", "CHL")
    assert ev.type in ("ASSAULT", "THREATEN") and ev.modality == "intended"


def test_noun_trigger_with_source_from_preposition(pipeline):
    a, evs = events(pipeline, "Exports fell after threats from Canada that Mexican firms could be targeted.")
    ev = find(evs, "THREATEN", "CAN", "MEX")
    assert a.text[ev.trigger.start:ev.trigger.end] == "threats"
    assert ev.target.sector == "BUS"


def test_group_actor_takes_country_from_possessor(pipeline):
    _, evs = events(pipeline, "President Lena Varga of Hungary said on Friday that her troops had attacked Serbia.")
    ev = find(evs, "ASSAULT", target_country="SRB")
    assert ev.source.sector == "MIL" and ev.source.country == "HUN"


def test_compound_actors_give_one_event_each(pipeline):
    _, evs = events(pipeline, "Germany and France condemned Belarus on Tuesday.")
    find(evs, "ACCUSE", "DEU", "BLR")
    find(evs, "ACCUSE", "FRA", "BLR")


def test_one_record_per_source_type_target(pipeline):
    _, evs = events(pipeline, "Chile criticized Peru on Monday. On Tuesday Chile criticized Peru again. "
                              "Chile also praised Bolivia.")
    keys = [(e.source.name, e.type, e.target.name if e.target else None) for e in evs]
    assert len(keys) == len(set(keys))
    assert ("Chile", "ACCUSE", "Peru") in keys and ("Chile", "SUPPORT", "Bolivia") in keys


def test_repeated_sentence_codes_nothing_new(pipeline):
    text = "Kenya praised Uganda for the deal.\nKenya praised Uganda for the deal."
    _, evs = events(pipeline, text)
    assert len([e for e in evs if e.type == "SUPPORT"]) == 1


def test_no_actor_no_event(pipeline):
    _, evs = events(pipeline, "The weather improved and the river rose slowly over the weekend.")
    assert evs == []


def test_events_serialise_in_the_analysis(pipeline):
    a, evs = events(pipeline, "Japan condemned North Korea for the missile launch.")
    d = a.to_dict()
    assert d["events"] and d["events"][0]["type"] == evs[0].type
    assert {"text", "start", "end", "name", "country"} <= set(d["events"][0]["source"])


def test_state_act_without_agent_belongs_to_the_state_where_it_happens(pipeline):
    _, evs = events(pipeline, "The opposition journalist Amina Farah was arrested in Kenya on Monday.")
    ev = next((e for e in evs if e.source.country == "KEN"), None)
    assert ev is not None, [(e.source.name, e.type) for e in evs]
    assert ev.type == "COERCE" and ev.target is not None and ev.target.name == "Amina Farah"


def test_dateline_is_not_the_actor(pipeline):
    _, evs = events(pipeline, "OSLO -- The Norwegian government on Friday condemned Denmark over the fishing row.")
    ev = find(evs, "ACCUSE", target_country="DNK")
    assert ev.source.country == "NOR" and "OSLO" not in ev.source.text



def test_country_of_a_phrase_without_entities_does_not_fail(pipeline):
    # regression: a proper name outside every gazetteer, with a possessor, crashed the events stage
    from newsgraph.stages.events.actors import _country_of, phrase

    doc = pipeline.nlp("The county sheriff's Capt. Brandt spoke to Mexican reporters.")
    capt = next(t for t in doc if any(c.dep_ == "poss" for c in t.children))
    lo, hi = phrase(capt)
    assert _country_of(capt, lo, hi, None, pipeline.knowledge) is None
    reporters = next(t for t in doc if t.text == "reporters")
    assert _country_of(reporters, *phrase(reporters), None, pipeline.knowledge) == "MEX"


def test_appeared_to_is_uncertain_and_expected_to_is_intended(pipeline):
    _, evs = events(pipeline, "In Oslo, Denmark's prime minister appeared to criticise Sweden over the tariffs. "
                              "Portugal is expected to sign a trade agreement with Spain next week.")
    assert find(evs, "ACCUSE", "DNK", "SWE").modality == "uncertain"
    assert pair(evs, "PRT", "ESP").modality == "intended"


def test_a_refused_cooperation_is_a_rejection(pipeline):
    _, evs = events(pipeline, "Ghana's government did not support Togo's proposal at the summit.")
    ev = pair(evs, "GHA", "TGO")
    assert ev.type == "REJECT" and not ev.negated


@pytest.mark.parametrize("text, one, other", [
    ("Ecuador's president met Colombia's foreign minister in Quito on Tuesday.", "ECU", "COL"),
    ("Talks between Kenya and Uganda resumed on Monday.", "KEN", "UGA"),
])
def test_a_meeting_goes_both_ways(pipeline, text, one, other):
    _, evs = events(pipeline, text)
    assert pair(evs, one, other).type == "CONSULT"
    assert pair(evs, other, one).type == "CONSULT"


def test_a_historical_event_is_not_merged_with_a_present_one(pipeline):
    _, evs = events(pipeline, "Russia attacked Georgia on Monday, years after Moscow invaded Georgia in August 2008.")
    assaults = [e for e in evs if e.type == "ASSAULT" and e.target is not None and e.target.country == "GEO"]
    assert {e.modality for e in assaults} >= {"historical"} and len(assaults) == 2


def test_halting_dealings_with_an_actor_reduces_relations(pipeline):
    _, evs = events(pipeline, "A number of Danish banks have halted transactions with Icelandic companies.")
    ev = pair(evs, "DNK", "ISL")                 # the banks act, not "a number"
    assert ev.type in ("SANCTION", "COERCE") and ev.source.text.endswith("banks")


def test_below_the_threshold_nothing_is_stored_unless_all_are_asked_for(pipeline):
    from newsgraph.pipeline import Pipeline
    text = ("Chile defeated Peru 3-1 in Lima on Sunday. "
            "Norway's foreign minister condemned Sweden, and the minister's aide spoke with Danish officials.")
    default = pipeline.analyze(Article(id="t", text=text, published="2025-03-14")).events
    everything = Pipeline(config={"events": {"keep_all": True}}).analyze(
        Article(id="t", text=text, published="2025-03-14")).events
    assert all(e.confidence >= 0.5 for e in default)
    assert len(everything) > len(default)
    assert any(e.confidence < 0.5 for e in everything)
    assert not [e for e in default if e.type == "ASSAULT"]     # a score: a match, not an attack
    assert find(default, "ACCUSE", "NOR", "SWE")


def test_a_meeting_of_three_gives_every_pair_and_the_venue_is_no_party(pipeline):
    _, evs = events(pipeline, "The foreign ministers of France, Germany and Italy met in Rome on Monday.")
    pairs = {(e.source.country, e.target.country) for e in evs if e.type == "CONSULT" and e.target is not None}
    assert {("FRA", "DEU"), ("DEU", "FRA"), ("FRA", "ITA"), ("ITA", "FRA"), ("DEU", "ITA"), ("ITA", "DEU")} <= pairs
    assert not [e for e in evs if "Rome" in (e.source.text, e.target.text if e.target else "")]


def test_a_visit_without_a_named_host_is_to_the_place(pipeline):
    _, evs = events(pipeline, "Norway's prime minister arrived in Stockholm on Monday.")
    assert pair(evs, "NOR", "SWE").type == "CONSULT"
