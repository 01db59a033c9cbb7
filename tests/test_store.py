"""Tests of newsgraph.store: self-contained, analyses built by hand (no spaCy)."""
from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from newsgraph.errors import ConfigError, StoreError
from newsgraph.model import (Actor, Analysis, Article, ArticleError, Duplicate, Entity, Event,
                             Figure, Mention, Place, Quote, Sentence, Span, TimeExpr)
from newsgraph.store import SCHEMA_VERSION, Store

TEXT = ("Vladimir Putin said on Monday that Russia would cut gas exports by 20 percent. "
        "\"We will not yield,\" Putin told reporters in Moscow. "
        "Russia would cut gas exports by 20 percent.")


def span(text: str, needle: str, nth: int = 0) -> Span:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return Span.of(text, start, start + len(needle))


def rich_analysis(article_id: str = "a1", published: str | None = "2024-03-04",
                  speaker: str = "Vladimir Putin", text: str = TEXT,
                  title: str = "Russia to cut gas exports") -> Analysis:
    """One analysis with two entities, a quote, an event, a place, a time, a figure, a duplicate."""
    putin = span(text, "Vladimir Putin")
    putin2 = span(text, "Putin", 1)
    russia = span(text, "Russia")
    russia2 = span(text, "Russia", 1)
    moscow = span(text, "Moscow")
    monday = span(text, "Monday")
    pct = span(text, "20 percent")
    s1_end = text.index(". ") + 1
    s3 = span(text, "Russia would cut gas exports by 20 percent.", 1)
    s1 = Span.of(text, 0, s1_end)
    entities = [
        Entity("e1", speaker, "PERSON", "person",
               mentions=[Mention(putin.start, putin.end, putin.text, "name", 0, head="Putin"),
                         Mention(putin2.start, putin2.end, putin2.text, "name", 1)],
               country="RUS", sector="GOV", title="President", nationality="Russian",
               gender="m"),
        Entity("e2", "Russia", "GPE", "country",
               mentions=[Mention(russia.start, russia.end, russia.text, "name", 0),
                         Mention(russia2.start, russia2.end, russia2.text, "name", 2)],
               country="RUS"),
    ]
    quote = Quote("direct", [span(text, "We will not yield,")], cue=span(text, "told"),
                  speaker=putin2, speaker_name=speaker, speaker_entity="e1", cue_lemma="tell",
                  confidence=0.9, sentence=1)
    event = Event("REDUCE", source=Actor("Russia", russia.start, russia.end, "Russia", "e2",
                                         "RUS", "GOV"),
                  target=None, trigger=span(text, "cut"), sentence=s1, mode="economic",
                  cameo="163", modality="reported", date="2024-03-04", confidence=0.8,
                  location=Place(moscow.start, moscow.end, "Moscow", name="Moscow", geonameid=524901,
                                 lat=55.75, lon=37.62, country="RUS", feature="city"))
    return Analysis(
        article=Article(article_id, text, title=title, url=f"https://example.org/{article_id}",
                        published=published, source="Example News", author="A. Writer",
                        origin=f"feed.jsonl:{article_id}"),
        sentences=[Sentence(0, s1_end), Sentence(s1_end + 1, moscow.end + 1),
                   Sentence(s3.start, s3.end, duplicate_of=0)],
        duplicates=[Duplicate("sentence", [Span.of(text, text.index("Russia"), s1_end), s3],
                              0.97)],
        entities=entities,
        quotes=[quote],
        events=[event],
        places=[Place(moscow.start, moscow.end, "Moscow", name="Moscow", geonameid=524901,
                      lat=55.75, lon=37.62, country="RUS", feature="city")],
        times=[TimeExpr(monday.start, monday.end, monday.text, "DATE", "2024-03-04")],
        figures=[Figure(pct.start, pct.end, pct.text, 20.0, "percent", "share")],
        meta={"model": "hand-made", "stages": ["test"]},
    )


def plain(article_id: str, text: str = "Nothing happened today.", **kw) -> Analysis:
    return Analysis(article=Article(article_id, text, **kw))


def count(store: Store, table: str) -> int:
    return store.stats()[table]


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "news.db"


@pytest.fixture
def store(db_path: Path):
    with Store(db_path) as s:
        yield s


# ------------------------------------------------------------------ opening


def test_pragmas_and_schema(store: Store, db_path: Path):
    conn = store.conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 1          # NORMAL
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    for name in ("articles", "entities", "mentions", "duplicates", "quotes", "events", "places",
                 "times", "figures", "errors", "articles_fts", "quotes_by_speaker",
                 "entity_mentions", "article_summary"):
        assert name in names
    store.write([rich_analysis()])
    store.close()
    store.close()                                   # idempotent
    with Store(db_path) as again:                   # reopening keeps data, schema untouched
        assert len(again) == 1


def test_closed_store_raises(db_path: Path):
    s = Store(db_path)
    s.close()
    with pytest.raises(StoreError, match="closed"):
        s.get("x")


def test_non_sqlite_file_raises_store_error(tmp_path: Path):
    bad = tmp_path / "notes.db"
    bad.write_text("this is not a database, just some text that is long enough " * 20)
    with pytest.raises(StoreError, match="not a SQLite database"):
        Store(bad)
    with pytest.raises(StoreError, match="not a SQLite database"):
        Store(bad, readonly=True)


def test_foreign_sqlite_db_and_newer_version_refused(tmp_path: Path):
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="not a newsgraph store"):
        Store(other)
    newer = tmp_path / "newer.db"
    Store(newer).close()
    conn = sqlite3.connect(newer)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="newer"):
        Store(newer)


def test_readonly_needs_existing_store(tmp_path: Path):
    with pytest.raises(StoreError, match="no such store"):
        Store(tmp_path / "missing.db", readonly=True)
    with pytest.raises(StoreError, match="does not exist"):
        Store(tmp_path / "no" / "dir" / "x.db")
    Store(tmp_path / "ok.db").close()
    with Store(tmp_path / "ok.db", readonly=True) as ro:
        with pytest.raises(StoreError, match="read-only"):
            ro.write([plain("x")])


# ------------------------------------------------------------------ writing and reading


def test_round_trip_equals_to_dict(store: Store):
    a = rich_analysis()
    assert store.write([a]) == ["a1"]
    got = store.get("a1")
    assert got is not None
    assert got.to_dict() == a.to_dict()
    assert store.get("nope") is None


def test_idempotent_rewrite(store: Store):
    batch = [rich_analysis("a1"), rich_analysis("a2"), plain("p1")]
    assert store.write(batch) == ["a1", "a2", "p1"]
    before = store.stats()
    assert store.write(batch) == []
    assert store.write([plain("p2"), rich_analysis("a1")]) == ["p2"]
    after = store.stats()
    for table in ("entities", "mentions", "duplicates", "quotes", "events", "places", "times",
                  "figures"):
        assert after[table] == before[table]
    assert after["articles"] == before["articles"] + 1


def test_duplicate_id_in_one_batch_stored_once(store: Store):
    first = rich_analysis("dup")
    second = plain("dup", "Different text entirely.")
    assert store.write([first, second, first]) == ["dup"]
    assert len(store) == 1
    assert count(store, "quotes") == 1
    assert store.get("dup").text == TEXT             # the first telling wins


def test_empty_batch(store: Store):
    assert store.write([]) == []
    assert store.write(iter(())) == []


def test_stored_ids_and_contains(store: Store):
    store.write([plain(f"id{i}") for i in range(0, 1200, 2)])
    asked = [f"id{i}" for i in range(1200)] + ["id0", "zzz"]     # more than one IN-chunk
    assert store.stored_ids(asked) == {f"id{i}" for i in range(0, 1200, 2)}
    assert store.stored_ids([]) == set()
    assert "id0" in store and "id1" not in store and 42 not in store


def test_child_rows(store: Store):
    store.write([rich_analysis()])
    conn = store.conn
    n = {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
         for t in ("entities", "mentions", "duplicates", "quotes", "events", "places", "times",
                   "figures")}
    assert n == {"entities": 2, "mentions": 4, "duplicates": 1, "quotes": 1, "events": 1,
                 "places": 1, "times": 1, "figures": 1}
    ent = dict(conn.execute("SELECT * FROM entities WHERE entity_id = 'e1'").fetchone())
    assert ent["name"] == "Vladimir Putin" and ent["n_mentions"] == 2
    assert ent["country"] == "RUS" and ent["title"] == "President"
    m = dict(conn.execute('SELECT * FROM mentions ORDER BY "start" LIMIT 1').fetchone())
    assert TEXT[m["start"]:m["end"]] == m["text"] == "Vladimir Putin"
    q = dict(conn.execute("SELECT * FROM quotes").fetchone())
    assert q["content_text"] == "We will not yield," and q["speaker_name"] == "Vladimir Putin"
    assert TEXT[q["cue_start"]:q["cue_end"]] == q["cue_text"] == "told"
    assert TEXT[q["speaker_start"]:q["speaker_end"]] == "Putin"
    ev = dict(conn.execute("SELECT * FROM events").fetchone())
    assert ev["type"] == "REDUCE" and ev["source_country"] == "RUS" and ev["target_name"] is None
    assert ev["trigger_text"] == "cut" and ev["negated"] == 0 and ev["modality"] == "reported"
    d = dict(conn.execute("SELECT * FROM duplicates").fetchone())
    assert TEXT[d["start"]:d["end"]] == TEXT[d["first_start"]:d["first_end"]]
    assert d["similarity"] == pytest.approx(0.97)
    p = dict(conn.execute("SELECT * FROM places").fetchone())
    assert p["geonameid"] == 524901 and p["feature"] == "city"
    assert dict(conn.execute("SELECT * FROM times").fetchone())["value"] == "2024-03-04"
    f = dict(conn.execute("SELECT * FROM figures").fetchone())
    assert f["value"] == 20.0 and f["unit"] == "percent"
    art = dict(conn.execute("SELECT * FROM articles").fetchone())
    assert art["n_words"] == len(TEXT.split()) and art["source"] == "Example News"
    assert art["stored_at"]


def test_quote_with_several_content_spans(store: Store):
    a = plain("multi", "\"First part,\" he said, \"second part.\"")
    a.quotes = [Quote("direct", [span(a.text, "First part,"), span(a.text, "second part.")],
                      cue=span(a.text, "said"), speaker=span(a.text, "he"), speaker_name=None)]
    store.write([a])
    q = store.quotes()[0]
    assert q["content_text"] == "First part, … second part."
    assert a.text[q["content_start"]:q["content_end"]].startswith("First part")
    assert q["content_end"] == a.text.index("second part.") + len("second part.")


def test_iter_analyses(store: Store):
    ids = [f"it{i}" for i in range(7)]
    store.write([plain(i) for i in ids[:4]])
    store.write([rich_analysis(ids[4])] + [plain(i) for i in ids[5:]])
    got = list(store.iter_analyses(batch=2))
    assert [a.id for a in got] == ids
    assert got[4].to_dict() == rich_analysis(ids[4]).to_dict()
    with pytest.raises(ConfigError):
        list(store.iter_analyses(batch=0))


def test_cascade_on_delete(store: Store):
    store.write([rich_analysis("a1"), rich_analysis("a2")])
    assert store.delete(["a1", "missing"]) == 1
    conn = store.conn
    for table in ("entities", "mentions", "duplicates", "quotes", "events", "places", "times",
                  "figures"):
        assert conn.execute(f"SELECT COUNT(*) FROM {table} WHERE article_id = 'a1'"
                            ).fetchone()[0] == 0
        assert conn.execute(f"SELECT COUNT(*) FROM {table} WHERE article_id = 'a2'"
                            ).fetchone()[0] > 0
    assert [h["id"] for h in store.search("gas")] == ["a2"]      # FTS index follows deletes
    conn.execute("DELETE FROM articles WHERE id = 'a2'")          # plain SQL cascades too
    assert conn.execute("SELECT COUNT(*) FROM entities").fetchone()[0] == 0
    with pytest.raises(sqlite3.IntegrityError):                   # foreign keys are enforced
        conn.execute("INSERT INTO quotes (article_id, idx) VALUES ('ghost', 0)")
    assert store.write([rich_analysis("a1")]) == ["a1"]           # can be stored again


# ------------------------------------------------------------------ search


def test_search_word_and_snippet(store: Store):
    store.write([rich_analysis("a1"),
                 plain("p1", "The weather in Paris was mild and sunny.", title="Weather",
                       published="2024-01-01", url="https://example.org/p1")])
    hits = store.search("sunny")
    assert [h["id"] for h in hits] == ["p1"]
    hit = hits[0]
    assert set(hit) == {"id", "title", "published", "url", "snippet"}
    assert "[sunny]" in hit["snippet"]
    assert hit["title"] == "Weather" and hit["url"] == "https://example.org/p1"
    assert [h["id"] for h in store.search("exports")] == ["a1"]     # word in the text
    assert [h["id"] for h in store.search("weather")] == ["p1"]     # word in the title
    assert store.search("nonexistentword") == []


def test_search_phrase_ranking_and_paging(store: Store):
    store.write([plain("x1", "Gas prices rose. Nothing about cuts here."),
                 plain("x2", "Gas gas gas: gas exports and gas prices."),
                 plain("x3", "They will cut gas exports soon.")])
    assert [h["id"] for h in store.search('"cut gas exports"')] == ["x3"]
    assert {h["id"] for h in store.search("gas")} == {"x1", "x2", "x3"}
    assert store.search("gas")[0]["id"] == "x2"                     # bm25: most relevant first
    assert len(store.search("gas", limit=2)) == 2
    assert [h["id"] for h in store.search("gas", limit=2, offset=2)] == \
        [store.search("gas")[2]["id"]]


@pytest.mark.parametrize("query", ['"unbalanced quote', "AND", "gas AND", "OR OR", "(gas",
                                   "gas)", "nosuchcol:gas", "gas*)", "NEAR(", "^", "-gas",
                                   "a + b", '""'])
def test_bad_fts_syntax_does_not_raise_sqlite_errors(store: Store, query: str):
    store.write([plain("x3", "They will cut gas exports soon.")])
    try:
        hits = store.search(query)
    except ConfigError:
        return                                 # a clear newsgraph error is allowed
    assert isinstance(hits, list)
    if "gas" in query and ":" not in query:
        assert [h["id"] for h in hits] == ["x3"]


def test_search_empty_query(store: Store):
    with pytest.raises(ConfigError):
        store.search("   ")
    with pytest.raises(ConfigError):
        store.search("?!")


# ------------------------------------------------------------------ stats, quotes, errors


def test_stats(store: Store, db_path: Path):
    store.write([rich_analysis("a1", published="2024-03-04"),
                 rich_analysis("a2", published="2024-01-02", speaker="Olaf Scholz"),
                 plain("p1", published="2023-12-31")])
    store.record_errors([ArticleError("E101", "empty", origin="x.txt")])
    s = store.stats()
    assert s["articles"] == 3 and s["entities"] == 4 and s["mentions"] == 8
    assert s["quotes"] == 2 and s["events"] == 2 and s["places"] == 2
    assert s["times"] == 2 and s["figures"] == 2 and s["duplicates"] == 2 and s["errors"] == 1
    assert s["speakers"] == 2
    assert (s["published_min"], s["published_max"]) == ("2023-12-31", "2024-03-04")
    assert s["file_bytes"] == db_path.stat().st_size > 0
    assert s["top_entities"][0] == {"name": "Russia", "label": "GPE", "n": 4}
    assert {e["name"] for e in s["top_entities"]} == {"Russia", "Vladimir Putin", "Olaf Scholz"}
    assert s["top_speakers"] == [{"name": "Olaf Scholz", "n": 1},
                                 {"name": "Vladimir Putin", "n": 1}]


def test_quotes_filters(store: Store):
    store.write([rich_analysis("b", published="2024-03-04"),
                 rich_analysis("a", published="2024-01-02", speaker="Olaf Scholz"),
                 rich_analysis("c", published="2024-02-01", speaker="Vladimir Putin")])
    assert [q["article_id"] for q in store.quotes()] == ["a", "c", "b"]
    putin = store.quotes(speaker="putin")
    assert [q["article_id"] for q in putin] == ["c", "b"]
    assert all(q["speaker_name"] == "Vladimir Putin" for q in putin)
    assert putin[0]["published"] == "2024-02-01" and putin[0]["content_text"]
    assert [q["article_id"] for q in store.quotes(speaker="OLAF SCHOLZ")] == ["a"]
    assert [q["article_id"] for q in store.quotes(since="2024-02-01")] == ["c", "b"]
    assert [q["article_id"] for q in store.quotes(speaker="Putin", since="2024-03")] == ["b"]
    assert len(store.quotes(limit=1)) == 1
    assert store.quotes(speaker="nobody") == []


def test_attitudes_are_stored_apart_from_quotes(store: Store):
    a = rich_analysis("a")
    q = a.quotes[0]
    a.attitudes = [Quote("attitude", [span(a.text, "Russia")], cue=q.cue, speaker=q.speaker,
                         speaker_name="Angela Merkel", cue_lemma="hail", sentence=0)]
    store.write([a])
    assert [r["kind"] for r in store.quotes()] == ["direct"]
    both = store.quotes(attitudes=True)
    assert [r["kind"] for r in both] == ["direct", "attitude"] and both[1]["idx"] == 1
    s = store.stats()
    assert s["quotes"] == 1 and s["attitudes"] == 1
    assert [r["name"] for r in s["top_speakers"]] == ["Vladimir Putin"]
    back = store.get("a")
    assert [x.kind for x in back.attitudes] == ["attitude"] and back.attitudes[0].speaker_name == "Angela Merkel"


def test_errors_upsert(store: Store):
    store.record_errors([ArticleError("E101", "empty input", origin="a.txt"),
                         ArticleError("E101", "empty input again", origin="a.txt")])
    store.record_errors([ArticleError("E102", "binary", origin="a.txt"),
                         ArticleError("E106", "bad json", article_id="x9")])
    store.record_errors([])
    rows = store.errors()
    assert len(rows) == 3
    e101 = next(r for r in rows if r["code"] == "E101")
    assert e101["count"] == 2 and e101["message"] == "empty input again"
    assert e101["origin"] == "a.txt" and e101["article_id"] is None
    assert e101["first_seen"] <= e101["last_seen"]
    e106 = next(r for r in rows if r["code"] == "E106")
    assert e106["origin"] is None and e106["article_id"] == "x9" and e106["count"] == 1
    store.record_errors([ArticleError("E102", "binary", origin="a.txt")])   # a rerun
    assert len(store.errors()) == 3
    assert next(r for r in store.errors() if r["code"] == "E102")["count"] == 2
    assert len(store.errors(limit=1)) == 1


def test_views(store: Store):
    store.write([rich_analysis("a1"), rich_analysis("a2"), plain("p1")])
    conn = store.conn
    assert [tuple(r) for r in conn.execute("SELECT * FROM quotes_by_speaker")] == \
        [("Vladimir Putin", 2, 2)]
    rows = {r["name"]: dict(r) for r in conn.execute("SELECT * FROM entity_mentions")}
    assert rows["Russia"]["n_mentions"] == 4 and rows["Russia"]["n_articles"] == 2
    summary = {r["id"]: dict(r) for r in conn.execute("SELECT * FROM article_summary")}
    assert summary["a1"]["n_entities"] == 2 and summary["a1"]["n_quotes"] == 1
    assert summary["a1"]["n_events"] == 1 and summary["a1"]["n_places"] == 1
    assert summary["p1"]["n_entities"] == 0


# ------------------------------------------------------------------ concurrency and failure


def test_reader_sees_only_committed_data(store: Store, db_path: Path, monkeypatch):
    store.write([plain("committed", "An earlier batch about tulips.")])
    seen: list = []
    with Store(db_path, readonly=True) as reader:
        original = store._insert_one

        def insert_then_peek(cur, rows):
            result = original(cur, rows)
            # The writer holds an open transaction with rows inserted but not committed.
            seen.append((len(reader), reader.stored_ids(["committed", "pending1", "pending2"]),
                         reader.search("daffodils")))
            return result

        monkeypatch.setattr(store, "_insert_one", insert_then_peek)
        assert store.write([plain("pending1", "Daffodils bloom."),
                            plain("pending2", "More daffodils.")]) == ["pending1", "pending2"]
        assert seen == [(1, {"committed"}, [])] * 2
        assert len(reader) == 3                                   # committed: now visible
        assert {h["id"] for h in reader.search("daffodils")} == {"pending1", "pending2"}


def test_failed_batch_leaves_nothing(store: Store, monkeypatch):
    assert store.write([rich_analysis("keep")]) == ["keep"]
    before = store.stats()
    original = store._insert_one
    calls = []

    def fail_on_second(cur, rows):
        calls.append(rows.id)
        if len(calls) == 2:
            raise RuntimeError("disk on fire")
        return original(cur, rows)

    monkeypatch.setattr(store, "_insert_one", fail_on_second)
    with pytest.raises(StoreError, match="rolled back"):
        store.write([rich_analysis("lost1"), rich_analysis("lost2"), plain("lost3")])
    monkeypatch.undo()
    assert store.stored_ids(["keep", "lost1", "lost2", "lost3"]) == {"keep"}
    after = store.stats()
    for key in ("articles", "entities", "mentions", "quotes", "events", "places", "times",
                "figures", "duplicates"):
        assert after[key] == before[key]
    assert store.get("keep").to_dict() == rich_analysis("keep").to_dict()
    assert not store.conn.in_transaction
    assert store.write([rich_analysis("lost1")]) == ["lost1"]     # the store still works


def test_unserialisable_analysis_fails_whole_batch(store: Store):
    store.write([plain("keep")])
    bad = plain("bad")
    bad.meta = {"oops": object()}
    with pytest.raises(StoreError, match="bad"):
        store.write([plain("good"), bad])
    assert store.stored_ids(["keep", "good", "bad"]) == {"keep"}
    with pytest.raises(StoreError):
        store.write([plain("good2"), Analysis(article=Article("", "no id"))])
    assert len(store) == 1


def test_sqlite_error_mid_batch_rolls_back(store: Store, monkeypatch):
    store.write([plain("keep")])
    a = rich_analysis("dupents")
    a.entities.append(a.entities[0])       # duplicate entity id: ignored, not an error
    b = rich_analysis("broken")
    b.events[0].type = None                 # events.type is NOT NULL: an IntegrityError
    with pytest.raises(StoreError, match="IntegrityError"):
        store.write([a, b])
    assert store.stored_ids(["keep", "dupents", "broken"]) == {"keep"}
    assert store.write([a]) == ["dupents"]


# ------------------------------------------------------------------ property


pairs = st.lists(st.tuples(st.sampled_from([f"id{i}" for i in range(12)]),
                           st.text(min_size=0, max_size=40)),
                 min_size=0, max_size=30)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(items=pairs, cuts=st.lists(st.integers(min_value=0, max_value=30), max_size=6))
def test_random_batches_store_each_distinct_id_once(items, cuts):
    bounds = sorted({0, len(items), *(c for c in cuts if c <= len(items))})
    batches = [items[lo:hi] for lo, hi in zip(bounds, bounds[1:])]
    with tempfile.TemporaryDirectory() as tmp:
        with Store(Path(tmp) / "p.db") as s:
            returned: list[str] = []
            for batch in batches:
                returned += s.write([plain(i, t) for i, t in batch])
            first_text: dict[str, str] = {}
            for i, t in items:
                first_text.setdefault(i, t)
            assert sorted(returned) == sorted(first_text)        # each new id reported once
            assert s.stored_ids(first_text) == set(first_text)
            assert len(s) == len(first_text)
            for i, t in first_text.items():
                assert s.get(i).text == t
            # rewriting everything again adds nothing
            assert s.write([plain(i, t) for i, t in items]) == []
            assert len(s) == len(first_text)


def test_a_version_3_store_gets_repeat_of_and_counts_repeats_once(tmp_path: Path):
    db = tmp_path / "v3.db"
    Store(db).close()
    conn = sqlite3.connect(db)          # the quotes table and views as schema version 3 wrote them
    conn.executescript(
        "DROP VIEW quotes_by_speaker; DROP VIEW article_summary; DROP TABLE quotes; "
        "CREATE TABLE quotes (article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE, idx INTEGER "
        "NOT NULL, kind TEXT, content_start INTEGER, content_end INTEGER, content_text TEXT, cue_start INTEGER, "
        "cue_end INTEGER, cue_text TEXT, cue_lemma TEXT, speaker_start INTEGER, speaker_end INTEGER, speaker_text "
        "TEXT, speaker_name TEXT, speaker_entity TEXT, sentence INTEGER, confidence REAL, date TEXT, place TEXT, "
        "PRIMARY KEY (article_id, idx)); "
        "CREATE VIEW quotes_by_speaker AS SELECT speaker_name, COUNT(*) AS n_quotes FROM quotes GROUP BY speaker_name; "
        "CREATE VIEW article_summary AS SELECT a.id, (SELECT COUNT(*) FROM quotes q WHERE q.article_id = a.id) "
        "AS n_quotes FROM articles a; PRAGMA user_version = 3;")
    conn.close()
    with Store(db, readonly=True) as old:           # an older store reads as it is
        assert old.quotes() == [] and old.stats()["quotes"] == 0
    a = rich_analysis("a")
    again = Quote("direct", [span(a.text, "We will not yield,")], cue=a.quotes[0].cue, speaker=a.quotes[0].speaker,
                  speaker_name="Vladimir Putin", sentence=2, repeat_of=0)
    a.quotes.append(again)
    with Store(db) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        store.write([a])
        assert len(store.quotes()) == 1 and store.stats()["quotes"] == 1
        assert store.stats()["top_speakers"] == [{"name": "Vladimir Putin", "n": 1}]
        assert store.conn.execute("SELECT n_quotes FROM quotes_by_speaker").fetchone()[0] == 1
        assert store.conn.execute("SELECT n_quotes FROM article_summary").fetchone()[0] == 1
        assert store.get("a").quotes[1].repeat_of == 0


V6_ARTICLES = (   # the articles table and full-text index as schema version 6 wrote them
    "CREATE TABLE articles (id TEXT PRIMARY KEY, seq INTEGER NOT NULL UNIQUE, title TEXT, url TEXT, published TEXT, "
    "source TEXT, author TEXT, origin TEXT, text TEXT NOT NULL, analysis TEXT NOT NULL, n_words INTEGER NOT NULL, "
    "stored_at TEXT NOT NULL); "
    "CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, content = 'articles', content_rowid = 'seq', "
    "tokenize = 'porter unicode61 remove_diacritics 2'); ")


def test_a_version_6_store_gets_seq_as_rowid_and_an_index_datasette_finds(tmp_path: Path):
    db = tmp_path / "v6.db"
    with Store(db) as store:
        store.write([rich_analysis("a"), rich_analysis("b", title="Talks in Geneva end")])
        kept = {t: store.conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in ("quotes", "entities")}
    conn = sqlite3.connect(db)
    conn.executescript(
        "PRAGMA foreign_keys = OFF; CREATE TABLE old AS SELECT * FROM articles; DROP VIEW article_summary; "
        "DROP TABLE articles_fts; DROP TABLE articles; " + V6_ARTICLES +
        # rowids unlike seq, as VACUUM may leave them in a table without INTEGER PRIMARY KEY
        "INSERT INTO articles (rowid, id, seq, title, url, published, source, author, origin, text, analysis, "
        "n_words, stored_at) SELECT 10 + seq, id, seq, title, url, published, source, author, origin, text, "
        "analysis, n_words, stored_at FROM old; DROP TABLE old; "
        "INSERT INTO articles_fts(articles_fts) VALUES ('rebuild'); PRAGMA user_version = 6;")
    conn.close()
    with Store(db) as store:
        c = store.conn
        assert c.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert [r[0] for r in c.execute("SELECT id FROM articles ORDER BY rowid")] == ["a", "b"]
        assert c.execute("SELECT COUNT(*) FROM articles WHERE rowid <> seq").fetchone()[0] == 0
        assert {t: c.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in kept} == kept
        assert [h["id"] for h in store.search("Geneva")] == ["b"]
        # what Datasette and sqlite-utils run: the index found by its declaration, joined on rowid
        fts = c.execute("SELECT name FROM sqlite_master WHERE rootpage = 0 AND "
                        "sql LIKE '%VIRTUAL TABLE%USING FTS%content=\"articles\"%'").fetchall()
        assert [r[0] for r in fts] == ["articles_fts"]
        assert [r[0] for r in c.execute("SELECT id FROM articles WHERE rowid IN (SELECT rowid FROM articles_fts "
                                        "WHERE articles_fts MATCH 'geneva')")] == ["b"]
        store.delete(["a"])                       # cascades still reach the other tables
        assert c.execute("SELECT COUNT(*) FROM quotes WHERE article_id = 'a'").fetchone()[0] == 0
        store.write([rich_analysis("c")])
        assert c.execute("SELECT seq FROM articles WHERE id = 'c'").fetchone()[0] == 3


def test_search_grammar_reads_operators_and_refuses_what_it_cannot_read(store: Store):
    store.write([plain("b1", "Tony Blair met union leaders in London."),
                 plain("b2", "Labour members met in Leeds without Blair."),
                 plain("b3", "Labour members met in Leeds.")])
    assert {h["id"] for h in store.search("labour NOT blair")} == {"b3"}
    assert {h["id"] for h in store.search("blair OR leeds")} == {"b1", "b2", "b3"}
    assert {h["id"] for h in store.search("(london OR leeds) NOT labour")} == {"b1"}
    assert {h["id"] for h in store.search("uni*")} == {"b1"}
    assert {h["id"] for h in store.search("and")} == set()          # lower case: a word, not an operator
    for bad, says in (("NOT blair", "NOT needs something before it"), ("blair AND", "ends where a word"),
                      ("(blair", "not closed"), ('"tony blair', "does not close"),
                      (" ".join(["word"] * 40), "at most 32")):
        with pytest.raises(ConfigError, match=says):
            store.search(bad)


def test_a_search_past_its_time_limit_is_stopped(store: Store, monkeypatch):
    import newsgraph.store.db as db
    store.write([plain(f"t{k}", f"Report number {k} on gas exports and prices.") for k in range(300)])
    monkeypatch.setattr(db, "SEARCH_SECONDS", 0.0)
    monkeypatch.setattr(db, "PROGRESS_OPS", 1)
    with pytest.raises(StoreError, match="was stopped"):
        store.search("gas OR prices OR report")


def test_quotes_are_searched_with_snippets_and_leave_the_index_with_their_article(store: Store, db_path: Path):
    store.write([rich_analysis("q1"), rich_analysis("q2", speaker="Sergei Lavrov")])
    hits = store.search_quotes("yield")
    assert {h["article_id"] for h in hits} == {"q1", "q2"} and all("[yield]" in h["snippet"] for h in hits)
    assert [h["speaker_name"] for h in store.search_quotes("lavrov")] == ["Sergei Lavrov"]
    store.delete(["q2"])
    assert [h["article_id"] for h in store.search_quotes("yield")] == ["q1"]
    store.write([rich_analysis("q1", speaker="Maria Zakharova")], replace=True)
    assert [h["speaker_name"] for h in store.search_quotes("yield")] == ["Maria Zakharova"]
    with pytest.raises(ConfigError, match="NOT needs"):
        store.search_quotes("NOT yield")
    # a store of version 9 gets its quotes indexed on its first writable open
    store.conn.executescript("DELETE FROM quotes_fts; PRAGMA user_version = 9;")
    store.close()
    with Store(db_path) as again:
        assert [h["article_id"] for h in again.search_quotes("yield")] == ["q1"]


def test_an_article_is_labelled_by_its_title_else_its_first_line(store: Store):
    store.write([plain("l1", "Storm closes ports\nHeavy winds closed three ports on Monday."),
                 plain("l2", "No headline here, only one line.", title="Given title")])
    labels = dict(store.conn.execute("SELECT id, label FROM articles").fetchall())
    assert labels == {"l1": "Storm closes ports", "l2": "Given title"}
