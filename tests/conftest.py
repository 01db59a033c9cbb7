"""Shared fixtures: short invented articles and the loaded pipeline (loaded once per test session)."""
from __future__ import annotations

import json

import pytest

ARTICLES = [
    ("t-ports", "Dock workers in Hamburg ended their strike on Friday. \"We won a fair deal,\" said union leader "
                "Karl Schmidt. He said members would vote on the agreement next week."),
    ("t-rain", "Heavy rain flooded roads across northern Italy on Sunday. The civil protection agency said "
               "three rivers had burst their banks. Residents were told to stay indoors."),
    ("t-trade", "Canadian Prime Minister Julie Tremblay said on Tuesday that Canada would lower tariffs on "
                "steel. Tremblay told reporters the decision would help builders."),
]


@pytest.fixture(scope="session", autouse=True)
def _private_cache(tmp_path_factory):
    """The tests build their own gazetteer cache instead of writing to the user's."""
    import os
    old = os.environ.get("NEWSGRAPH_CACHE")
    os.environ["NEWSGRAPH_CACHE"] = str(tmp_path_factory.mktemp("cache"))
    yield
    if old is None:
        os.environ.pop("NEWSGRAPH_CACHE", None)
    else:
        os.environ["NEWSGRAPH_CACHE"] = old


@pytest.fixture(scope="session")
def pipeline():
    from newsgraph.pipeline import Pipeline
    return Pipeline()


@pytest.fixture
def jsonl_file(tmp_path):
    """A JSONL source with the three articles above."""
    path = tmp_path / "articles.jsonl"
    with open(path, "w", encoding="utf-8") as f:
        for id_, text in ARTICLES:
            f.write(json.dumps({"id": id_, "text": text, "published": "2025-02-03"}) + "\n")
    return path


@pytest.fixture(scope="session")
def comparable():
    """A store's analyses by id, without the stage timings (which differ from run to run): what two
    ways of building a store are compared on."""
    def analyses(store) -> dict:
        out = {}
        for a in store.iter_analyses():
            d = a.to_dict()
            d["meta"].pop("stage_ms", None)
            out[a.id] = d
        return out
    return analyses


# Invented articles for the web UI's tests: quotes, places, times and events between named actors, and
# a wire copy of the first (a story of two articles) under another source.
NEWSROOM = [
    {"id": "w-summit", "published": "2025-03-04", "source": "Daily Ledger", "title": "Ministers meet in Nairobi",
     "text": "Foreign Minister Amara Okafor met Kenyan President Daniel Mwangi in Nairobi on Monday. "
             "\"We agreed to reopen the border crossings,\" Okafor told reporters. Mwangi said Kenya would "
             "send 200 engineers to repair the roads near Mombasa. Later, Okafor criticised Uganda over new "
             "tariffs on coffee."},
    {"id": "w-summit-copy", "published": "2025-03-05", "source": "Coast Wire", "title": "Ministers meet in Nairobi",
     "text": "Foreign Minister Amara Okafor met Kenyan President Daniel Mwangi in Nairobi on Monday. "
             "\"We agreed to reopen the border crossings,\" Okafor told reporters. Mwangi said Kenya would "
             "send 200 engineers to repair the roads near Mombasa. Later, Okafor criticised Uganda over new "
             "tariffs on coffee. The talks lasted four hours."},
    {"id": "w-port", "published": "2025-04-11", "source": "Daily Ledger", "title": "Strike closes the port of Lisbon",
     "text": "Dock workers in Lisbon walked out on Thursday, closing the port for the first time since 2019. "
             "\"The company has ignored us for two years,\" said union leader Rui Carvalho. Portugal's labour "
             "minister, Ines Duarte, urged both sides to return to talks in Porto next week."},
]


@pytest.fixture(scope="session")
def newsroom_db(tmp_path_factory, pipeline):
    """A store holding the NEWSROOM articles, analysed by the real pipeline."""
    from newsgraph.model import Article
    from newsgraph.store import Store
    db = tmp_path_factory.mktemp("newsroom") / "newsroom.db"
    articles = [Article(a["id"], a["text"], title=a["title"], published=a["published"], source=a["source"])
                for a in NEWSROOM]
    with Store(db) as store:
        store.write(list(pipeline.pipe(articles)))
    return db
