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
