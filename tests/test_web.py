"""The web UI: what its pages compute (views) and what they show, over a store of invented articles."""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

from newsgraph import adhoc  # noqa: E402
from newsgraph.api import create_app  # noqa: E402
from newsgraph.store import Store  # noqa: E402
from newsgraph.web import views, world  # noqa: E402


@pytest.fixture(scope="module")
def client(newsroom_db):
    return TestClient(create_app(newsroom_db))


@pytest.fixture(scope="module")
def summit(newsroom_db):
    with Store(newsroom_db, readonly=True) as s:
        return s.get("w-summit").to_dict(), s.article_links("w-summit")


# --- views: no I/O ---------------------------------------------------------------------------------

def test_segments_cover_the_text_once_in_order(summit):
    analysis, links = summit
    segments, notes = views.annotate(analysis, links["entities"])
    assert "".join(s.text for s in segments) == analysis["text"]
    ids = {n.id for n in notes}
    assert all(set(s.notes) <= ids for s in segments)
    # every quote's content, speaker and cue, every place and every event trigger is highlighted
    for i, q in enumerate(analysis["quotes"]):
        covered = "".join(s.text for s in segments if f"q{i}" in s.notes and "content" in s.layers)
        assert covered == "".join(c["text"] for c in q["content"])
    for i, p in enumerate(analysis["places"]):
        assert "".join(s.text for s in segments if f"p{i}" in s.notes) == p["text"]
    for i, ev in enumerate(analysis["events"]):
        assert "".join(s.text for s in segments if f"v{i}" in s.notes and "trigger" in s.layers) == ev["trigger"]["text"]
    # each note is anchored once, where its evidence starts
    firsts = [nid for s in segments for nid in s.first]
    assert len(firsts) == len(set(firsts)) == len({nid for s in segments for nid in s.notes})


def test_notes_link_entities_to_their_corpus_pages(summit):
    analysis, links = summit
    _, notes = views.annotate(analysis, links["entities"])
    by_name = {n.title: n for n in notes if n.kind == "entity"}
    okafor = next(e for e in analysis["entities"] if e["name"] == "Amara Okafor")
    assert by_name["Amara Okafor"].href == f"/entity/{links['entities'][okafor['id']]}"
    assert views.annotate(analysis, {})[1][0].href is None          # unlinked: no link


def test_repeated_sentences_are_marked():
    text = "Rain fell. Rivers rose. Rain fell."
    analysis = {"text": text, "sentences": [{"start": 0, "end": 10, "duplicate_of": None},
                                            {"start": 11, "end": 23, "duplicate_of": None},
                                            {"start": 24, "end": 34, "duplicate_of": 0}]}
    segments, notes = views.annotate(analysis)
    assert notes == [] and [s.text for s in segments if s.repeat] == ["Rain fell."]
    assert "".join(s.text for s in segments if not s.repeat) == "Rain fell. Rivers rose. "


def test_snippets_marks_and_map_plane():
    assert views.mark("the [Kremlin] said [it] would") == [("the ", False), ("Kremlin", True), (" said ", False),
                                                          ("it", True), (" would", False)]
    assert views.mark(None) == []
    assert views.project(0, 0) == (180, 90) and views.project(90, -180) == (0, 0)
    assert views.radius(10, 10) > views.radius(1, 10) > 0


def test_network_layout_is_repeatable_and_inside_the_frame():
    nodes = [f"n{i}" for i in range(12)]
    edges = [(f"n{i}", f"n{(i + 1) % 6}", i + 1) for i in range(6)] + [("n7", "n8", 3)]
    first = views.layout(nodes, edges, width=500, height=300)
    assert first == views.layout(nodes, edges, width=500, height=300)
    assert set(first) == set(nodes)
    assert all(0 <= x <= 500 and 0 <= y <= 300 for x, y in first.values())
    assert len(set(first.values())) == len(nodes)                    # no two nodes on one spot
    assert views.layout([], []) == {}


def test_timeline_bars():
    bars = views.bars([{"period": "2025-01", "n": 2}, {"period": "2025-02", "n": 4}], width=100, height=50)
    assert [b["h"] for b in bars] == [25, 50] and bars[1]["x"] == 50 and bars[1]["y"] == 0
    assert views.bars([]) == []


def test_the_world_outline_ships_with_the_package():
    countries = world()
    assert len(countries) > 150
    assert all(re.fullmatch(r"(M[\d.,L-]+Z)+", c["d"]) for c in countries)
    kenya = next(c for c in countries if c["name"] == "Kenya")
    xs = [float(x) for x in re.findall(r"([\d.]+),", kenya["d"])]
    assert 180 + 33 < min(xs) < max(xs) < 180 + 42.5                 # Kenya lies between 33 and 42 E


# --- pages ---------------------------------------------------------------------------------------

def test_every_page_answers(client):
    for path in ("/", "/search?q=Okafor", "/article/w-summit", "/timeline", "/timeline?by=day&type=CONSULT",
                 "/map", "/map?role=all", "/network", "/network?type=ACCUSE"):
        r = client.get(path)
        assert r.status_code == 200, path
        assert r.headers["content-type"].startswith("text/html")


def test_search_highlights_and_finds_entities(client):
    html = client.get("/search", params={"q": "border"}).text
    assert "<mark>border</mark>" in html
    assert 'href="/article/w-summit?' in html
    html = client.get("/search", params={"q": "Mwangi"}).text
    entity = re.search(r'href="/entity/(\d+)">Daniel Mwangi</a>', html)
    assert entity, "the search lists the entity"
    page = client.get(f"/entity/{entity.group(1)}").text
    assert "Kenyan President Daniel Mwangi" in page and "send 200 engineers" in page
    assert 'href="/article/w-summit#q' in page                          # a quote links to its evidence


class _Highlights(HTMLParser):
    """The article text's highlighted pieces: (classes, note ids, text) of each span in #text."""

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.pieces: list[tuple[set, set, str]] = []
        self.current = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id") == "text":
            self.depth = 1
        elif self.depth and tag == "span":
            self.current = (set((attrs.get("class") or "").split()), set((attrs.get("data-n") or "").split()))

    def handle_endtag(self, tag):
        if tag == "span":
            self.current = None
        elif tag == "div" and self.depth:
            self.depth = 0

    def handle_data(self, data):
        if self.depth and self.current:
            self.pieces.append((*self.current, data))


def test_article_page_highlights_in_place(client, summit):
    analysis, _ = summit
    html = client.get("/article/w-summit").text
    parser = _Highlights()
    parser.feed(html)

    def text_of(note: str, cls: str) -> str:
        return "".join(t for classes, notes, t in parser.pieces if note in notes and cls in classes)
    for i, q in enumerate(analysis["quotes"]):
        assert text_of(f"q{i}", "hl-content") == "".join(c["text"] for c in q["content"])
        assert text_of(f"q{i}", "hl-cue") == q["cue"]["text"]
    for i, p in enumerate(analysis["places"]):
        assert text_of(f"p{i}", "hl-place") == p["text"]
    assert text_of("v0", "hl-trigger") == "met"
    assert 'href="/article/w-summit-copy"' in html                     # the other article of its story
    notes = re.search(r'<script id="notes" type="application/json">(.*?)</script>', html, re.S).group(1)
    assert "</" not in notes and json.loads(notes)["q0"]["kind"] == "quote"


def test_timeline_map_and_network_draw(client):
    html = client.get("/timeline", params={"by": "day", "actor": "Okafor"}).text
    assert html.count('class="bar"') >= 1 and "2025-03-03" in html
    html = client.get("/map").text
    assert html.count("<circle class=\"place\"") >= 4 and html.count("<path d=") > 150
    assert "Nairobi" in html
    html = client.get("/network").text
    assert html.count('class="edge"') == 3 and "Amara Okafor" in html and "Uganda" in html


def test_pages_request_nothing_outside_the_server(client):
    for path in ("/", "/search?q=Okafor", "/article/w-summit", "/timeline", "/map", "/network"):
        html = client.get(path).text
        for url in re.findall(r'(?:src|href)="([^"]+)"', html):
            assert url.startswith(("/", "#", "?")) or url.startswith("http://127.0.0.1"), (path, url)


def test_bad_requests_get_an_html_page_naming_the_problem(client):
    r = client.get("/article/no-such-article")
    assert r.status_code == 404 and "no-such-article" in r.text and r.headers["content-type"].startswith("text/html")
    r = client.get("/timeline", params={"type": "PARTY"})
    assert r.status_code == 400 and "not a PLOVER type" in r.text
    r = client.get("/entity/abc")
    assert r.status_code == 400 and "<h1>400" in r.text
    r = client.get("/search", params={"q": '"unclosed'})
    assert r.status_code == 400
    assert client.get("/api/articles/no-such-article").json() == {"detail": "no article 'no-such-article'"}


# --- POST /api/extract ---------------------------------------------------------------------------

def test_extract_refuses_what_is_too_big_or_empty(newsroom_db):
    client = TestClient(create_app(newsroom_db, extractor=adhoc.Extractor(max_chars=100)))
    assert client.post("/api/extract", json={"text": "x" * 101}).status_code == 422
    r = client.post("/api/extract", content=b'{"text": "' + b"y" * 5_000 + b'"}',
                    headers={"content-type": "application/json"})
    assert r.status_code == 413 and "limit" in r.json()["error"]
    assert client.post("/api/extract", json={"text": ""}).status_code == 422
    assert client.post("/api/extract", json={"text": "fine", "published": "May 4"}).status_code == 422


def test_extract_analyses_a_text_within_its_time_limit(newsroom_db):
    extractor = adhoc.Extractor()
    try:
        client = TestClient(create_app(newsroom_db, extractor=extractor))
        text = "Mayor Lena Vogt said on Friday that Graz would open two new schools."
        r = client.post("/api/extract", json={"text": text, "published": "2025-05-06"})
        assert r.status_code == 200
        out = r.json()
        assert out["text"] == text and out["schema"].startswith("newsgraph.analysis/")
        assert any(q["cue"]["text"] == "said" for q in out["quotes"])
        assert any(t["value"] == "2025-05-02" for t in out["times"])
    finally:
        extractor.close()
    slow = adhoc.Extractor(seconds=0.001)
    try:
        client = TestClient(create_app(newsroom_db, extractor=slow))
        r = client.post("/api/extract", json={"text": "The council met on Monday. " * 40})
        assert r.status_code == 504 and "longer than 0.001 s" in r.json()["detail"]
    finally:
        slow.close()


def test_datasette_serves_the_same_store_beside_the_ui(client, newsroom_db):
    pytest.importorskip("datasette")
    name = newsroom_db.stem
    html = client.get("/").text
    assert f'href="/datasette/{name}"' in html
    rows = client.get(f"/datasette/{name}/quotes.json", params={"_shape": "array"}).json()
    assert {r["speaker_name"] for r in rows} >= {"Daniel Mwangi", "Rui Carvalho"}
    page = client.get(f"/datasette/{name}/quotes").text
    assert "/datasette/datasette/" not in page and f'href="/datasette/{name}' in page
    sql = client.get(f"/datasette/{name}.json", params={"sql": "select count(*) as n from articles", "_shape": "array"})
    assert sql.json() == [{"n": 3}]


def test_timeline_periods_without_events_are_drawn_empty():
    assert [r["n"] for r in views.fill([{"period": "2024-11", "n": 2}, {"period": "2025-02", "n": 1}])] == [2, 0, 0, 1]
    assert [r["period"] for r in views.fill([{"period": "2024-02-28", "n": 1}, {"period": "2024-03-01", "n": 1}])] \
        == ["2024-02-28", "2024-02-29", "2024-03-01"]
    assert len(views.fill([{"period": "1870", "n": 1}, {"period": "2024", "n": 1}])) == 155
    far = [{"period": "0100", "n": 1}, {"period": "2024", "n": 1}]
    assert views.fill(far) == far                                       # too many bars: as given


def test_an_untitled_article_is_headed_by_its_first_line():
    assert views.headline({"title": "Port reopens", "text": "x"}) == "Port reopens"
    text = "The port of Valdora reopened on Monday after a strike that lasted nine days and cost the city dearly.\nMore."
    head = views.headline({"title": None, "text": text})
    assert head.startswith("The port of Valdora reopened") and head.endswith(" …") and len(head) <= 92
    assert views.headline({"text": "Short line.\nNext."}) == "Short line."


from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=st.sampled_from(["/search", "/timeline", "/map", "/network", "/entity/1", "/article/w-port"]),
       word=st.text(max_size=40), number=st.one_of(st.integers(min_value=-5, max_value=10**12), st.text(max_size=6)))
def test_no_parameters_make_a_page_fail(client, path, word, number):
    params = {"q": word, "type": word, "actor": word, "country": word, "by": word, "role": word,
              "edges": number, "page": number}
    r = client.get(path, params=params)
    assert r.status_code < 500, (path, params, r.text[:300])
    assert r.headers["content-type"].startswith("text/html")


def test_two_apps_in_one_process_each_name_their_own_store(newsroom_db, tmp_path):
    other = tmp_path / "other.db"
    Store(other).close()
    first, second = TestClient(create_app(newsroom_db)), TestClient(create_app(other))
    assert f"<code>{newsroom_db.name}</code>" in first.get("/").text
    assert "<code>other.db</code>" in second.get("/").text
    assert f"<code>{newsroom_db.name}</code>" in first.get("/article/nowhere").text     # the error page too
