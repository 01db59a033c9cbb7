"""The HTTP API: every endpoint answers from the store, pages, and meets bad parameters with a 4xx."""
from __future__ import annotations

import pytest

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

from newsgraph.api import create_app  # noqa: E402
from newsgraph.errors import ConfigError  # noqa: E402
from newsgraph.model import Actor, Analysis, Article, Entity, Event, Mention, Quote, Span  # noqa: E402
from newsgraph.store import Store  # noqa: E402


def analysis(aid: str, day: str, speaker: str) -> Analysis:
    text = f"{speaker} said the port of Valdora would reopen. Police arrested two men in Valdora."
    cue = text.index("said")
    content = Span(cue + 5, text.index(". Police"), text[cue + 5:text.index(". Police")])
    at = text.index("arrested")
    return Analysis(
        article=Article(aid, text, title=f"Port news {aid}", published=day),
        entities=[Entity("e1", speaker, "PERSON", "person", [Mention(0, len(speaker), speaker, "name", 0, speaker)])],
        quotes=[Quote("indirect", [content], Span(cue, cue + 4, "said"), Span(0, len(speaker), speaker),
                      speaker_name=speaker, speaker_entity="e1")],
        events=[Event("ASSAULT", Actor("Police", text.index("Police"), text.index("Police") + 6, name="police"),
                      Actor("two men", at + 9, at + 16), trigger=Span(at, at + 8, "arrested"), cameo="173")])


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    db = tmp_path_factory.mktemp("api") / "news.db"
    with Store(db) as store:
        store.write([analysis(f"a{k}", f"2025-0{1 + k % 3}-1{k}", ("Marta Ruiz", "Ivo Petrov")[k % 2])
                     for k in range(6)])
    return TestClient(create_app(db))


def test_every_endpoint_answers_from_the_store(client):
    hits = client.get("/api/search", params={"q": "valdora", "limit": 2}).json()
    assert hits["count"] == 2 and all("[Valdora]" in h["snippet"] for h in hits["rows"])
    assert "[reopen]" in client.get("/api/search/quotes", params={"q": "reopen"}).json()["rows"][0]["snippet"]
    quotes = client.get("/api/quotes", params={"speaker": "marta"}).json()["rows"]
    assert {q["speaker_name"] for q in quotes} == {"Marta Ruiz"} and len(quotes) == 3
    events = client.get("/api/events", params={"type": "assault", "until": "2025-01-31"}).json()["rows"]
    assert {e["published"][:7] for e in events} == {"2025-01"}
    [person] = client.get("/api/entities", params={"name": "ivo"}).json()["rows"]
    record = client.get(f"/api/entities/{person['id']}").json()
    assert record["name"] == "Ivo Petrov" and len(record["quotes"]) == 3
    assert client.get("/api/stories", params={"min_articles": 1}).json()["count"] >= 1
    assert client.get("/api/counts", params={"what": "articles"}).json()["rows"] == \
        [{"period": "2025-01", "n": 2}, {"period": "2025-02", "n": 2}, {"period": "2025-03", "n": 2}]
    assert client.get("/api/articles/a3").json()["id"] == "a3"
    assert client.get("/api/stats").json()["articles"] == 6
    assert "/api/events" in client.get("/openapi.json").json()["paths"]
    assert client.get("/docs").status_code == 404          # FastAPI's page would load scripts from a CDN


def test_pages_do_not_overlap(client):
    first = client.get("/api/quotes", params={"limit": 4}).json()["rows"]
    second = client.get("/api/quotes", params={"limit": 4, "offset": 4}).json()["rows"]
    assert len(first) == 4 and len(second) == 2
    assert not {(q["article_id"], q["idx"]) for q in first} & {(q["article_id"], q["idx"]) for q in second}


@pytest.mark.parametrize("url, params, status", [
    ("/api/search", {"q": "NOT valdora"}, 400),            # the grammar's reason, not a 500
    ("/api/search", {}, 422),
    ("/api/quotes", {"limit": 0}, 422),
    ("/api/quotes", {"limit": 10**12}, 422),
    ("/api/quotes", {"since": "soon"}, 422),
    ("/api/events", {"type": "BOGUS"}, 400),
    ("/api/events", {"country": "1'; DROP TABLE articles; --"}, 422),
    ("/api/places", {"feature": "planet"}, 422),
    ("/api/entities/999999", {}, 404),
    ("/api/entities/abc", {}, 422),
    ("/api/articles/nope", {}, 404),
    ("/api/counts", {"by": "year"}, 422),
])
def test_bad_parameters_get_a_clear_4xx(client, url, params, status):
    r = client.get(url, params=params)
    assert r.status_code == status, r.text
    assert client.get("/api/stats").json()["articles"] == 6            # and nothing was harmed


def test_a_missing_store_is_refused_at_start(tmp_path):
    with pytest.raises(ConfigError, match="no such store"):
        create_app(tmp_path / "none.db")


def test_a_query_past_its_time_limit_is_a_503_not_a_hang(tmp_path, monkeypatch):
    import newsgraph.api as api
    import newsgraph.store.db as dbmod
    db = tmp_path / "slow.db"
    with Store(db) as store:
        store.write([analysis(f"s{k}", "2025-01-10", "Marta Ruiz") for k in range(50)])
    monkeypatch.setattr(api, "QUERY_SECONDS", 1e-9)
    monkeypatch.setattr(dbmod, "PROGRESS_OPS", 1)
    r = TestClient(create_app(db)).get("/api/quotes")
    assert r.status_code == 503 and "was stopped" in r.json()["error"]


from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

TEXT = st.text(max_size=60)
NUMBER = st.one_of(st.integers(min_value=-10, max_value=10**13), st.text(max_size=8))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=st.sampled_from(["/api/search", "/api/search/quotes", "/api/quotes", "/api/events", "/api/places",
                             "/api/entities", "/api/stories", "/api/counts"]),
       q=TEXT, word=TEXT, day=TEXT, limit=NUMBER, offset=NUMBER)
def test_no_parameters_make_a_500(client, path, q, word, day, limit, offset):
    params = {"q": q, "name": word, "speaker": word, "actor": word, "type": word, "country": word, "since": day,
              "until": day, "what": word, "by": word, "limit": limit, "offset": offset}
    r = client.get(path, params=params)
    assert r.status_code < 500, (path, params, r.text)


def test_the_api_answers_while_a_writer_holds_the_store(tmp_path):
    import sqlite3
    db = tmp_path / "busy.db"
    with Store(db) as store:
        store.write([analysis("b1", "2025-01-10", "Marta Ruiz")])
    writer = sqlite3.connect(db, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")                  # an ingest in the middle of a batch
    writer.execute("DELETE FROM quotes")
    try:
        rows = TestClient(create_app(db)).get("/api/quotes").json()["rows"]
        assert [q["article_id"] for q in rows] == ["b1"]         # the last committed state, at once
    finally:
        writer.execute("ROLLBACK")
        writer.close()
