"""The pipeline and the one JSON form of an analysis."""
from __future__ import annotations

import json
from importlib import resources

import jsonschema
import pytest

import newsgraph
from newsgraph.errors import ConfigError, ModelNotFound
from newsgraph.model import Analysis, Article, ArticleError
from newsgraph.pipeline import Pipeline, load_model, process_batch
from newsgraph.stages import REGISTRY, Stage, ordered

REPEATED = ("The city council of Ghent approved a new cycling plan on Tuesday after a long debate.\n"
            "Mayor Ines Claes said the plan would make streets safer for children.\n"
            "The city council of Ghent approved the new cycling plan on Tuesday after a debate.\n"
            "Shops said they feared losing customers.")


def schema():
    return json.loads(resources.files("newsgraph").joinpath("schema/analysis.schema.json").read_text())


def test_extract_returns_a_typed_analysis():
    a = newsgraph.extract(REPEATED, published="2025-03-04", id="ghent", title="Cycling plan")
    assert isinstance(a, Analysis)
    assert (a.id, a.article.published, a.article.title) == ("ghent", "2025-03-04", "Cycling plan")
    assert [a.text[s.start:s.end] for s in a.sentences][1].startswith("Mayor Ines Claes")
    assert a.meta["stages"] == ["sentences", "duplicates", "entities", "times", "quotes", "events", "places",
                                 "figures", "setting"]


def test_repeated_sentences_are_marked():
    a = newsgraph.extract(REPEATED)
    assert len(a.duplicates) == 1
    first, repeat = a.duplicates[0].spans
    assert first.text.startswith("The city council of Ghent approved a new")
    assert repeat.text.startswith("The city council of Ghent approved the new")
    assert [s.duplicate_of for s in a.sentences] == [None, None, 0, None]


def test_different_sentences_are_not_duplicates():
    a = newsgraph.extract("Rain fell across Wales on Monday and rivers rose quickly. "
                          "Rail services in Scotland were cancelled on Monday because of snow.")
    assert a.duplicates == []


def test_sentences_never_cross_a_line_break():
    a = newsgraph.extract("First paragraph without a full stop\nSecond paragraph here.")
    assert [a.text[s.start:s.end] for s in a.sentences] == ["First paragraph without a full stop",
                                                            "Second paragraph here."]


def test_json_form_validates_and_round_trips():
    a = newsgraph.extract(REPEATED, published="2025-03-04")
    d = a.to_dict()
    jsonschema.validate(d, schema())
    assert Analysis.from_dict(json.loads(json.dumps(d))).to_dict() == d


def test_json_form_has_the_scorer_fields():
    d = newsgraph.extract(REPEATED).to_dict()
    for key in ("id", "quotes", "events", "places", "times"):
        assert key in d


def test_without_text():
    d = newsgraph.extract(REPEATED).to_dict(include_text=False)
    assert "text" not in d
    jsonschema.validate(d, schema())


def test_a_failing_stage_becomes_an_article_error(monkeypatch):
    def broken(doc, analysis, kb):
        raise ValueError("boom")

    monkeypatch.setitem(REGISTRY, "entities", Stage("entities", broken, "entities", ("sentences",)))
    p = Pipeline(stages=["entities"])
    results = list(p.pipe([Article("x", "Some text about a harbour."), Article("y", "More text here.")]))
    assert all(isinstance(r, ArticleError) for r in results)
    assert results[0].code == "E200" and "boom" in results[0].message and results[0].article_id == "x"


def test_stage_order_follows_requirements():
    assert [s.name for s in ordered(["entities"])] == ["sentences", "entities"]
    with pytest.raises(ConfigError):
        ordered(["no-such-stage"])


def test_process_batch_keeps_order():
    arts = [Article(str(i), f"Report number {i} from the port of Genoa.") for i in range(5)]
    assert [r.id for r in process_batch(arts)] == [str(i) for i in range(5)]


def test_missing_model_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("NEWSGRAPH_MODEL", "no_such_model_xyz")
    with pytest.raises(ModelNotFound, match="no_such_model_xyz"):
        load_model()


def test_places_are_resolved_in_the_article_context():
    a = newsgraph.extract("Officials in Paris met their German partners before the French minister spoke. The "
                          "talks then moved to London, where Britain's minister spoke.", published="2025-04-01")
    by_text = {p.text: p for p in a.places}
    assert {"Paris", "London", "Britain"} <= set(by_text)
    paris, london = by_text["Paris"], by_text["London"]
    assert paris.geonameid == 2988507 and abs(paris.lat - 48.85) < 0.1          # Paris, France
    assert london.geonameid == 2643743 and abs(london.lon + 0.13) < 0.1         # London, England
    assert by_text["Britain"].feature == "country" and by_text["Britain"].lat is not None
    assert all(a.text[p.start:p.end] == p.text for p in a.places)
    # a demonym is no literal place: an associative one, standing for its country
    assert all(by_text[d].role == "associative" and by_text[d].feature == "country"
               for d in ("German", "French") if d in by_text)
    assert all(p.role == "literal" for p in a.places if p.text not in ("German", "French"))


def test_stage_settings_have_defaults_and_refuse_unknown_names():
    nlp = load_model()
    p = Pipeline(nlp=nlp, stages=["events"], config={"events": {"min_confidence": 0.9}})
    assert p.config["events"] == {"min_confidence": 0.9, "keep_all": False}
    with pytest.raises(ConfigError, match="no setting"):
        Pipeline(nlp=nlp, stages=["events"], config={"events": {"threshold": 0.9}})
    with pytest.raises(ConfigError, match="names no stage"):
        Pipeline(nlp=nlp, stages=["sentences"], config={"events": {"keep_all": True}})


def test_the_settings_used_are_kept_with_the_analysis():
    p = Pipeline(nlp=load_model(), stages=["events"], config={"events": {"keep_all": True}})
    a = p.analyze(Article("cfg", "Peru accused Chile of spying on its navy."))
    assert a.meta["config"]["events"]["keep_all"] is True
    assert a.to_dict()["meta"]["config"] == a.meta["config"]
