"""The Ray engine stores what the local runner stores (a local Ray with 2 CPUs, a small fixture)."""
from __future__ import annotations

import json

from newsgraph.cli import main
from newsgraph.store import Store

ARTICLES = [
    {"id": "r1", "date": "2024-05-02", "text": "The prime minister of Norland, Anna Berg, said on Tuesday that "
     "talks with Vesterland would resume in Oslo next week. \"We are ready to listen,\" she told reporters."},
    {"id": "r2", "date": "2024-05-03", "text": "Police in Lyon arrested two men after a protest outside the town "
     "hall turned violent, officials said. The mayor condemned the attack."},
    {"id": "r3", "date": "2024-05-04", "text": "Exports from Kenya rose by 12% last year, according to the "
     "central bank, which said tea and flowers sold well in Europe."},
]


def test_the_ray_engine_stores_what_the_local_runner_stores(tmp_path, capsys, comparable):
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in ARTICLES) + "{not json\n", encoding="utf-8")
    local, distributed = tmp_path / "local.db", tmp_path / "ray.db"
    assert main(["ingest", str(src), "--db", str(local), "--no-progress"]) == 3       # EXIT_PARTIAL: the bad line
    assert main(["ingest", str(src), "--db", str(distributed), "--engine", "ray", "--workers", "1",
                 "--batch-size", "2", "--no-progress"]) == 3
    err = capsys.readouterr().err
    assert "stored 3 new" in err and "in.jsonl:4" in err and "[E106]" in err
    with Store(str(local), readonly=True) as a, Store(str(distributed), readonly=True) as b:
        assert comparable(a) == comparable(b) and len(comparable(b)) == 3
        assert [e["code"] for e in b.errors()] == ["E106"]
    # resumable: a second run skips every stored article before any NLP
    assert main(["ingest", str(src), "--db", str(distributed), "--engine", "ray", "--no-progress"]) == 3
    assert "stored 0 new, skipped 3" in capsys.readouterr().err
    # Parquet shards written by the Ray driver, merged into a store, equal the local runner's store
    shards, merged = tmp_path / "shards", tmp_path / "merged.db"
    assert main(["ingest", str(src), "--out", str(shards), "--engine", "ray", "--batch-size", "2", "--no-progress"]) == 3
    assert main(["load", str(shards), "--db", str(merged)]) == 0
    with Store(str(local), readonly=True) as a, Store(str(merged), readonly=True) as b:
        assert comparable(a) == comparable(b)
        assert [e["code"] for e in b.errors()] == ["E106"]


def test_address_needs_the_ray_engine(tmp_path, capsys):
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps(ARTICLES[0]) + "\n", encoding="utf-8")
    assert main(["ingest", str(src), "--db", str(tmp_path / "x.db"), "--address", "auto"]) == 2
    assert "--engine ray" in capsys.readouterr().err
