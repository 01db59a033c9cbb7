"""The figures stage: numbers with their unit and what they measure, on short invented sentences."""
from __future__ import annotations

import pytest

from newsgraph.model import Analysis, Article


@pytest.fixture(scope="module")
def figures_only():
    from newsgraph.pipeline import Pipeline
    return Pipeline(stages=["figures"])


def figures(pipeline, text):
    a = pipeline.analyze(Article(id="t", text=text))
    for f in a.figures:
        assert a.text[f.start:f.end] == f.text
    return a.figures


def one(pipeline, text, written):
    found = [f for f in figures(pipeline, text) if f.text == written]
    assert found, f"no figure {written!r} in {[f.text for f in figures(pipeline, text)]}"
    return found[0]


def test_percent_measures_the_subject_noun_phrase(figures_only):
    f = one(figures_only, "Officials said the share of imports paid in euros had risen to 64 percent.", "64 percent")
    assert (f.value, f.unit, f.kind) == (64, "percent", "percent")
    assert f.measure == "share of imports paid in euros"


@pytest.mark.parametrize("written", ["12%", "12 per cent", "12 percent"])
def test_percent_spellings_normalise(figures_only, written):
    f = one(figures_only, f"Turnout fell by {written} in the northern towns.", written)
    assert (f.value, f.unit) == (12, "percent")


def test_percentage_points_are_not_percent(figures_only):
    f = one(figures_only, "The jobless rate climbed 1.5 percentage points last year.", "1.5 percentage points")
    assert (f.value, f.unit, f.kind) == (1.5, "percentage points", "percent")
    assert f.measure == "jobless rate"


@pytest.mark.parametrize("text,written,value,unit", [
    ("The fund approved $5bn in loans for farmers.", "$5bn", 5_000_000_000, "USD"),
    ("The fund approved $5 billion in loans for farmers.", "$5 billion", 5_000_000_000, "USD"),
    ("The club paid €3m for the striker.", "€3m", 3_000_000, "EUR"),
    ("Tickets cost £40 each.", "£40", 40, "GBP"),
    ("The deal is worth 5 billion yuan.", "5 billion yuan", 5_000_000_000, "CNY"),
    ("Moscow set aside 800 million rubles for the bridge.", "800 million rubles", 800_000_000, "RUB"),
    ("Donors gave US$2.5 million to the clinic.", "US$2.5 million", 2_500_000, "USD"),
    ("Shares closed at 245p on Friday.", "245p", 2.45, "GBP"),
])
def test_money_has_an_iso_currency_and_its_multiplier(figures_only, text, written, value, unit):
    f = one(figures_only, text, written)
    assert (f.value, f.unit, f.kind) == (value, unit, "money")


def test_money_measure_is_what_the_money_is_in(figures_only):
    assert one(figures_only, "The fund approved $5bn in loans for farmers.", "$5bn").measure == "loans for farmers"
    assert one(figures_only, "The firm reported profits of $12m on Monday.", "$12m").measure == "profits"
    assert one(figures_only, "The council signed a $40m contract with the builder.", "$40m").measure == "contract with the builder"


def test_numbers_in_words(figures_only):
    f = one(figures_only, "The agency said seventy million people had registered to vote.", "seventy million people")
    assert (f.value, f.unit, f.kind) == (70_000_000, "people", "count")
    f = one(figures_only, "Rebels said a hundred thirty million dollars had vanished.", "a hundred thirty million dollars")
    assert (f.value, f.unit) == (130_000_000, "USD")
    f = one(figures_only, "Twenty-five soldiers were wounded in the ambush.", "Twenty-five soldiers")
    assert (f.value, f.unit, f.measure) == (25, "people", "soldiers wounded")


def test_counts_of_people_killed_and_injured(figures_only):
    fs = figures(figures_only, "At least 82 were killed and 1,700 injured when the dam burst.")
    assert [(f.text, f.value, f.unit, f.measure) for f in fs] == [
        ("82", 82, "people", "killed"), ("1,700", 1700, "people", "injured")]
    assert fs[0].qualifier == "at least" and not fs[0].approximate
    f = one(figures_only, "Police said 14 people were killed in the crash.", "14 people")
    assert (f.unit, f.measure, f.kind) == ("people", "people killed", "count")


def test_vague_counts_are_approximate(figures_only):
    f = one(figures_only, "The storm destroyed a school, killing dozens of people.", "dozens of people")
    assert (f.value, f.unit, f.measure, f.approximate) == (24, "people", "people killed", True)
    f = one(figures_only, "Hundreds of thousands of workers joined the strike.", "Hundreds of thousands of workers")
    assert (f.value, f.unit, f.approximate) == (200_000, "people", True)


def test_troops_are_people(figures_only):
    f = one(figures_only, "The ministry sent 10,000 troops to the border.", "10,000 troops")
    assert (f.value, f.unit, f.measure) == (10_000, "people", "troops sent")


@pytest.mark.parametrize("qualifier,expected,approximate", [
    ("about", "about", True), ("nearly", "almost", True), ("more than", "more than", False),
    ("at least", "at least", False), ("up to", "up to", False), ("fewer than", "less than", False)])
def test_qualifiers(figures_only, qualifier, expected, approximate):
    f = one(figures_only, f"Officials said {qualifier} 300 homes were flooded.", "300 homes")
    assert (f.qualifier, f.approximate) == (expected, approximate)
    assert f.start == f"Officials said {qualifier} ".__len__()


def test_quantities(figures_only):
    f = one(figures_only, "The new pipeline runs 1,200 km under the sea.", "1,200 km")
    assert (f.value, f.unit, f.kind, f.measure) == (1200, "km", "quantity", "new pipeline")
    f = one(figures_only, "The ship carried 40,000 tonnes of grain.", "40,000 tonnes")
    assert (f.unit, f.measure) == ("t", "grain")


@pytest.mark.parametrize("text", [
    # dates, times, years and ordinals
    "In 2022 the talks began on May 16 at 10:30, and in the 1990s the 3rd round ended.",
    "Since 1998 prices have doubled; the 2021 report came out on 4 March.",
    # durations, ages and small counts of things
    "The two countries signed a deal after three years of talks. A 45-year-old man was held for 10 days.",
    # numbers inside names, and phone numbers
    "G7 leaders discussed Covid-19 and the F-16 jets.",
    "Article 5 of the treaty covers the A4 road, and a Boeing 737 landed. Call 020 7946 0018 for details.",
])
def test_what_is_not_a_figure(figures_only, text):
    assert figures(figures_only, text) == []


def test_list_markers_are_not_figures(figures_only):
    text = "The plan has two parts.\n1. Build roads.\n2. Train 400 nurses."
    assert [f.text for f in figures(figures_only, text)] == ["400 nurses"]


def test_works_without_a_parse(figures_only):
    from newsgraph.pipeline import load_model
    nlp = load_model()
    text = "Exports rose 9 percent to $4bn, and 20% of the wheat went abroad."
    with nlp.select_pipes(disable=["parser"]):
        doc = nlp(text)
    a = figures_only.run_stages(doc, Article(id="t", text=text))
    assert isinstance(a, Analysis)
    got = {f.text: f for f in a.figures}
    assert got["9 percent"].value == 9 and got["$4bn"].unit == "USD" and got["$4bn"].value == 4_000_000_000
    assert got["20%"].measure == "wheat"


def test_figures_round_trip_through_json(figures_only):
    a = figures_only.analyze(Article(id="t", text="About 300 homes were flooded."))
    d = a.to_dict()
    assert d["figures"][0]["qualifier"] == "about" and d["figures"][0]["kind"] == "count"
    assert Analysis.from_dict(d).figures == a.figures


# ------------------------------------------------------------------ store and command


def test_figures_command_lists_stored_figures(tmp_path, capsys):
    import json

    from newsgraph.cli import EXIT_OK, main
    src = tmp_path / "a.jsonl"
    src.write_text(json.dumps({"id": "f1", "published": "2025-03-01", "text":
                               "The port authority said 40% of the cargo was grain. The city paid $2m in fees."})
                   + "\n", encoding="utf-8")
    db = tmp_path / "news.db"
    main(["ingest", str(src), "--db", str(db), "--no-progress"])
    capsys.readouterr()
    assert main(["figures", "--db", str(db), "--format", "jsonl"]) == EXIT_OK
    rows = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [(r["text"], r["unit"], r["kind"], r["measure"]) for r in rows] == [
        ("40%", "percent", "percent", "cargo"), ("$2m", "USD", "money", "fees")]
    assert main(["figures", "--db", str(db), "--kind", "money"]) == EXIT_OK
    out = capsys.readouterr().out
    assert "2,000,000 USD  [money]  fees" in out and "40" not in out
    assert main(["figures", "--db", str(db), "--measure", "CARGO", "--format", "jsonl"]) == EXIT_OK
    assert [json.loads(x)["text"] for x in capsys.readouterr().out.splitlines()] == ["40%"]


def test_a_version_1_store_gains_the_figure_columns(tmp_path):
    import sqlite3

    from newsgraph.errors import StoreError
    from newsgraph.model import Figure
    from newsgraph.store import SCHEMA_VERSION, Store
    db = tmp_path / "old.db"
    Store(db).close()
    conn = sqlite3.connect(db)                  # make it look like a store written by version 1
    conn.executescript("DROP INDEX figures_unit; DROP TABLE figures; CREATE TABLE figures (article_id TEXT NOT NULL "
                       "REFERENCES articles(id) ON DELETE CASCADE, \"start\" INTEGER NOT NULL, \"end\" INTEGER "
                       "NOT NULL, text TEXT, value REAL, unit TEXT, measure TEXT); PRAGMA user_version = 1;")
    conn.close()
    with Store(db, readonly=True) as old:       # an older store still reads; figures need the upgrade
        assert len(old) == 0
        with pytest.raises(StoreError, match="upgrade"):
            old.figures()
    text = "About 300 homes were flooded."
    a = Analysis(article=Article(id="x", text=text),
                 figures=[Figure(6, 15, "300 homes", 300, "homes", "homes", "count", "about", True)])
    with Store(db) as store:                    # a writable open upgrades it
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        store.write([a])
        row = store.figures()[0]
    assert (row["kind"], row["qualifier"], row["approximate"]) == ("count", "about", 1)
