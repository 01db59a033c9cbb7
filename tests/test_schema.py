"""One definition of what is stored: the table spec (newsgraph/tables.py) against the SQL schema and
the rows written, and the JSON Schema of an analysis against the records of model.py."""
from __future__ import annotations

import dataclasses
import json
import sqlite3
from importlib import resources

import pytest

from newsgraph import model
from newsgraph.store import SCHEMA_VERSION, Store
from newsgraph.store.db import MIGRATIONS
from newsgraph.tables import TABLES, row

SCHEMA = json.loads(resources.files("newsgraph").joinpath("schema/analysis.schema.json").read_text("utf-8"))


def test_a_new_store_has_exactly_the_specified_columns(tmp_path):
    with Store(tmp_path / "s.db") as store:
        for table, columns in TABLES.items():
            have = [r[1] for r in store.conn.execute(f"PRAGMA table_info({table})")]
            assert set(have) - {"seq"} == set(columns), table


def test_a_row_must_name_every_column_and_no_other():
    values = dict.fromkeys(TABLES["times"])
    assert len(row("times", **values)) == len(TABLES["times"])
    with pytest.raises(ValueError, match="missing"):
        row("times", **{k: v for k, v in values.items() if k != "value"})
    with pytest.raises(ValueError, match="unknown"):
        row("times", **values, colour="red")


@pytest.mark.parametrize("name, record", [
    ("sentence", model.Sentence), ("duplicate", model.Duplicate), ("mention", model.Mention),
    ("entity", model.Entity), ("actor", model.Actor), ("quote", model.Quote), ("event", model.Event),
    ("place", model.Place), ("time", model.TimeExpr), ("figure", model.Figure), ("span", model.Span),
])
def test_the_json_schema_names_the_fields_of_each_record(name, record):
    assert set(SCHEMA["$defs"][name]["properties"]) == {f.name for f in dataclasses.fields(record)}


def test_migrations_are_named_and_recorded(tmp_path):
    assert max(MIGRATIONS) == SCHEMA_VERSION and all(m.name for m in MIGRATIONS.values())
    path = tmp_path / "m.db"
    with Store(path) as store:
        assert [r[0] for r in store.conn.execute("SELECT version FROM migrations")] == [SCHEMA_VERSION]
    conn = sqlite3.connect(path)                  # the store as the version before wrote it
    conn.executescript(f"DROP TABLE migrations; PRAGMA user_version = {SCHEMA_VERSION - 1};")
    conn.close()
    with Store(path) as store:
        rows = store.conn.execute("SELECT version, name FROM migrations").fetchall()
        assert [tuple(r) for r in rows] == [(SCHEMA_VERSION, MIGRATIONS[SCHEMA_VERSION].name)]
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
