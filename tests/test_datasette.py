"""A store opens in Datasette (its Python API) with search, facets and canned queries working, and in
sqlite-utils with its full-text index found."""
from __future__ import annotations

import asyncio
import json

import pytest

from newsgraph.cli import main

datasette_app = pytest.importorskip("datasette.app")

ROWS = [
    {"id": "d1", "published": "2025-04-02", "title": "Port strike ends", "text": "Dock workers in Rotterdam ended "
     "their strike on Friday. \"We won a fair deal,\" said union leader Pieter Smit. He said members would "
     "vote next week."},
    {"id": "d2", "published": "2025-05-06", "title": "Floods in the north", "text": "Heavy rain flooded roads "
     "across northern Portugal on Sunday. The civil protection agency said three rivers had burst their banks. "
     "Police arrested two men for looting in Braga, officials said."},
]


@pytest.fixture
def store(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in ROWS), encoding="utf-8")
    db = tmp_path / "news.db"
    assert main(["ingest", str(src), "--db", str(db), "--no-progress"]) == 0
    return db


def test_datasette_finds_rows_through_search_facets_and_canned_queries(store, tmp_path, capsys):
    meta_file = tmp_path / "metadata.json"
    assert main(["datasette-metadata", "--db", str(store), "-o", str(meta_file)]) == 0
    meta = json.loads(meta_file.read_text(encoding="utf-8"))

    async def run():
        ds = datasette_app.Datasette([str(store)], metadata=meta)
        await ds.invoke_startup()
        get = ds.client.get
        hits = (await get("/news/articles.json?_search=rotterdam&_shape=array&_col=id&_col=title")).json()
        speakers = (await get("/news/top_speakers.json?_shape=array")).json()
        said = (await get("/news/quotes_of.json?name=Smit&_shape=array")).json()
        page = await get("/news/quotes.json?_facet=kind")
        months = (await get("/news/events_per_month.json?_shape=array")).json()
        return hits, speakers, said, page, months

    hits, speakers, said, page, months = asyncio.run(run())
    assert [h["id"] for h in hits] == ["d1"]                    # the search box works, on the right rows
    assert speakers and speakers[0]["speaker_name"] == "Pieter Smit"
    assert said and all("Smit" in q["speaker_name"] for q in said)
    assert all(q["evidence"] and q["content_text"].split()[0].strip('"“') in q["evidence"] for q in said)
    assert page.status_code == 200 and "kind" in page.json()["facet_results"]
    assert all(m["month"] in ("2025-04", "2025-05") for m in months)


def test_sqlite_utils_finds_the_index_and_searches_it(store):
    sqlite_utils = pytest.importorskip("sqlite_utils")
    db = sqlite_utils.Database(str(store))
    assert db["articles"].detect_fts() == "articles_fts"
    assert [r["id"] for r in db["articles"].search("portugal")] == ["d2"]
