"""Parquet: `ingest --out DIR` writes shards that `load` merges into a store equal to a direct ingest;
`export --format parquet` writes every table by month; both have the columns of tables.py."""
from __future__ import annotations

import json

import pyarrow.parquet as pq
import pytest

from newsgraph.cli import main
from newsgraph.model import Analysis, Article
from newsgraph.store import Store
from newsgraph.store.parquet import ShardWriter, arrow_schema, load_shards, month, read_table
from newsgraph.tables import TABLES

ROWS = [
    {"id": "p1", "published": "2025-01-09", "text": "Officials in Quito said on Monday that the new bridge over "
     "the river would open in March. \"It is finished,\" the mayor, Rosa Vega, told reporters."},
    {"id": "p2", "published": "2025-02-11", "text": "Farmers blocked roads near Lille on Tuesday to protest "
     "against fuel prices, police said. About 300 tractors took part."},
    {"id": "p3", "text": "The museum said it had received 12 paintings from a private collector in Porto."},
]


@pytest.fixture
def source(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in ROWS) + "[1, 2]\n", encoding="utf-8")
    return path


def test_shards_merged_by_load_equal_a_direct_ingest(tmp_path, source, capsys, comparable):
    direct, merged, shards = tmp_path / "direct.db", tmp_path / "merged.db", tmp_path / "shards"
    assert main(["ingest", str(source), "--db", str(direct), "--no-progress", "--batch-size", "2"]) == 3
    assert main(["ingest", str(source), "--out", str(shards), "--no-progress", "--batch-size", "2"]) == 3
    assert "stored 3 new" in capsys.readouterr().err
    # one shard per batch and table, partitioned by the month of publication
    months = sorted(p.name for p in (shards / "articles").iterdir())
    assert months == ["month=2025-01", "month=2025-02", "month=unknown"]
    assert not list(shards.glob(".staging-*"))
    # resumable: the ids already in the folder are skipped
    assert main(["ingest", str(source), "--out", str(shards), "--no-progress"]) == 3
    assert "stored 0 new, skipped 3" in capsys.readouterr().err
    assert read_table(shards, "articles", ["id"]).num_rows == 3
    assert main(["load", str(shards), "--db", str(merged)]) == 0
    assert "3 articles stored" in capsys.readouterr().err
    with Store(str(direct), readonly=True) as a, Store(str(merged), readonly=True) as b:
        assert comparable(a) == comparable(b) and len(comparable(b)) == 3
        errors = [(e["origin"], e["code"]) for e in b.errors()]     # the bad line, recorded as ingest records it
        assert errors == [(e["origin"], e["code"]) for e in a.errors()] and errors[0][0].endswith("in.jsonl:4")
    # loading again stores nothing twice
    assert main(["load", str(shards), "--db", str(merged)]) == 0
    assert "0 articles stored, 3 already held" in capsys.readouterr().err


def test_export_writes_every_table_by_month_with_the_spec_columns(tmp_path, source, capsys):
    db, out = tmp_path / "x.db", tmp_path / "export"
    main(["ingest", str(source), "--db", str(db), "--no-progress"])
    assert main(["export", "--db", str(db), "--format", "parquet", "-o", str(out)]) == 0
    for table in TABLES:
        got = read_table(out, table)
        if got is None:
            continue
        assert got.schema.names[:-1] == list(TABLES[table]) and got.schema.names[-1] == "month"
    quotes = read_table(out, "quotes")
    assert quotes.num_rows > 0
    assert set(quotes.column("month").to_pylist()) <= {"2025-01", "2025-02", "unknown"}
    assert read_table(out, "articles").num_rows == 3
    # typed as schema.sql declares: offsets are integers, coordinates reals
    places = pq.read_schema(next((out / "places").rglob("*.parquet")))
    assert str(places.field("start").type) == "int64" and str(places.field("lat").type) == "double"
    # DuckDB reads each table's folder as one dataset, with the counts SQLite has
    duckdb = pytest.importorskip("duckdb")
    with Store(str(db), readonly=True) as store:
        in_sqlite = {t: store.conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in TABLES}
    con = duckdb.connect()
    for table, n in in_sqlite.items():
        if n:
            glob = str(out / table / "**" / "*.parquet")
            assert con.execute(f"SELECT COUNT(*) FROM read_parquet('{glob}', hive_partitioning = true)"
                               ).fetchone()[0] == n, table
    # a second export replaces the first instead of adding to it
    assert main(["export", "--db", str(db), "--format", "parquet", "-o", str(out)]) == 0
    assert read_table(out, "articles").num_rows == 3
    assert main(["export", "--db", str(db), "--format", "parquet"]) == 2      # a folder is needed


def test_a_batch_the_shards_cannot_take_is_written_whole_or_not_at_all(tmp_path):
    good = Analysis(article=Article(id="g1", text="Rain fell.", published="2025-03-01"))
    bad = Analysis(article=Article(id="", text="No id."))
    with ShardWriter(tmp_path / "s") as w:
        with pytest.raises(Exception, match="nothing of this batch"):
            w.write([good, bad])
        assert read_table(tmp_path / "s", "articles") is None and w.all_ids() == set()
        assert w.write([good, good]) == ["g1"]
    stored, held, errors = load_shards(tmp_path / "s", Store(str(tmp_path / "m.db")))
    assert (stored, held, errors) == (1, 0, 0)


def test_months_and_schemas():
    assert month("2024-05-16T10:00:00Z") == "2024-05" and month(None) == "unknown" and month("May 2024") == "unknown"
    assert arrow_schema("figures").field("value").type.__str__() == "double"
    assert arrow_schema("errors").names[:3] == ["origin", "article_id", "code"]


def test_csv_and_jsonl_exports(tmp_path, source, capsys):
    import csv
    db, out = tmp_path / "x.db", tmp_path / "csv"
    main(["ingest", str(source), "--db", str(db), "--no-progress"])
    assert main(["export", "--db", str(db), "--format", "csv", "-o", str(out)]) == 0
    with Store(str(db), readonly=True) as store:
        n_quotes = store.conn.execute("SELECT COUNT(*) FROM quotes").fetchone()[0]
    with open(out / "quotes.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == n_quotes and list(rows[0]) == list(TABLES["quotes"])
    capsys.readouterr()
    assert main(["export", "--db", str(db), "--format", "jsonl"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert sorted(json.loads(x)["id"] for x in lines) == ["p1", "p2", "p3"]
