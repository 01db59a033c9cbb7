"""The store's tables as Parquet (and CSV): an export of a SQLite store, and shards that stand in for a store
when a corpus outgrows one SQLite file (``ingest --out DIR``), merged later by ``newsgraph load``.

Both write the same layout, readable by pyarrow, DuckDB, pandas and Spark as one dataset per table::

    DIR/<table>/month=YYYY-MM/<name>.parquet     (month of the article's publication, or "unknown")
    DIR/errors/<name>.parquet                    (read and analysis errors, not partitioned)

The columns are the table's in ``tables.py``, typed as ``store/schema.sql`` declares them, so a shard
and an export of the same articles hold the same rows. The ``analysis`` column of ``articles`` is
the analysis JSON itself, which is what ``load`` reads back: a store built from shards equals one
built by ingesting directly. Needs the extra: ``pip install 'newsgraph[parquet]'``.
"""
from __future__ import annotations

import json
import os
import shutil
import sqlite3
import uuid
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from ..errors import ConfigError, StoreError
from ..model import Analysis, ArticleError
from ..tables import ERROR_COLUMNS, TABLES
from . import queries as Q
from .db import Store, _schema_sql

UNKNOWN_MONTH = "unknown"
ROWS_PER_FILE = {"articles": 1_000}      # an article row holds its text and analysis JSON
ROWS_PER_FILE_DEFAULT = 100_000
_ARROW_TYPES = {"INTEGER": "int64", "REAL": "float64", "TEXT": "string"}


def _pyarrow():
    try:
        import pyarrow
        import pyarrow.dataset  # noqa: F401   (a submodule, imported for its side effect)
        import pyarrow.parquet  # noqa: F401
    except ImportError:
        raise ConfigError("Parquet needs pyarrow: pip install 'newsgraph[parquet]'") from None
    return pyarrow


def columns(table: str) -> tuple[str, ...]:
    return ERROR_COLUMNS if table == "errors" else TABLES[table]


@lru_cache(maxsize=None)
def arrow_schema(table: str):
    """The Arrow schema of one table: its columns in spec order, typed from schema.sql's declarations."""
    pa = _pyarrow()
    conn = sqlite3.connect(":memory:")
    try:
        conn.executescript(_schema_sql())
        declared = {r[1]: (r[2] or "TEXT").upper() for r in conn.execute(f"PRAGMA table_info({table})")}
    finally:
        conn.close()
    return pa.schema([(c, getattr(pa, _ARROW_TYPES.get(declared.get(c, "TEXT"), "string"))())
                      for c in columns(table)])


def month(published: str | None) -> str:
    """The partition of an article: YYYY-MM of its publication date, or "unknown"."""
    if isinstance(published, str) and len(published) >= 7 and published[:4].isdigit() and published[5:7].isdigit():
        return published[:7]
    return UNKNOWN_MONTH


def _write(folder: Path, table: str, rows: list[tuple], name: str) -> None:
    """Rows of one table (each in spec order, plus its month unless the table is errors) as Parquet
    files under FOLDER/TABLE, one per month, named NAME-0.parquet."""
    pa = _pyarrow()
    schema = arrow_schema(table)
    partitioned = table != "errors"
    if partitioned:
        schema = schema.append(pa.field("month", pa.string()))
    data = pa.Table.from_arrays([pa.array(c, type=f.type) for c, f in zip(zip(*rows), schema)], schema=schema)
    pa.dataset.write_dataset(
        data, str(folder / table), format="parquet",
        partitioning=pa.dataset.partitioning(pa.schema([("month", pa.string())]), flavor="hive")
        if partitioned else None,
        basename_template=f"{name}-{{i}}.parquet", existing_data_behavior="overwrite_or_ignore")


def read_table(folder: str | Path, table: str, columns: list[str] | None = None):
    """One table of a Parquet folder (export or shards) as a pyarrow Table, or None if it has none."""
    pa = _pyarrow()
    path = Path(folder) / table
    if not path.is_dir() or not any(path.rglob("*.parquet")):
        return None
    return pa.dataset.dataset(str(path), format="parquet",
                              partitioning="hive" if table != "errors" else None).to_table(columns=columns)


# ------------------------------------------------------------------------------------------ export

def export_parquet(store: Store, folder: str | Path) -> dict[str, int]:
    """Every table of ``store`` (and its errors) as Parquet under ``folder``, partitioned by the month of
    publication; returns the rows written per table. Existing files of an earlier export are replaced."""
    _pyarrow()
    folder = Path(folder)
    counts: dict[str, int] = {}
    for table in list(TABLES) + ["errors"]:
        target = folder / table
        if target.is_dir():
            for old in target.rglob("*.parquet"):
                old.unlink()
        counts[table] = 0
        for k, rows in enumerate(store.table_rows(table, columns(table), with_month=table != "errors",
                                                  size=ROWS_PER_FILE.get(table, ROWS_PER_FILE_DEFAULT))):
            if table != "errors":
                rows = [r[:-1] + (month(r[-1]),) for r in rows]
            _write(folder, table, rows, f"part-{k:05d}")
            counts[table] += len(rows)
    return counts


def export_csv(store: Store, folder: str | Path) -> dict[str, int]:
    """Every table of ``store`` (and its errors) as one CSV file each under ``folder`` (TABLE.csv, UTF-8,
    a header row, the columns of tables.py); returns the rows written per table. Needs no pyarrow."""
    import csv

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    for table in list(TABLES) + ["errors"]:
        with open(folder / f"{table}.csv", "w", encoding="utf-8", newline="") as f:
            out = csv.writer(f)
            out.writerow(columns(table))
            counts[table] = 0
            for rows in store.table_rows(table, columns(table), size=ROWS_PER_FILE.get(table, ROWS_PER_FILE_DEFAULT)):
                out.writerows(rows)
                counts[table] += len(rows)
    return counts


# ------------------------------------------------------------------------------------------ shards

class ShardWriter:
    """A store made of Parquet shards: what ``ingest --out DIR`` writes instead of a SQLite file. It
    takes what a runner's Keeper gives a Store (``write``, ``record_errors``, ``stored_ids``), one
    shard per table and batch, and is resumable as a store is: ids already in the folder are skipped."""

    def __init__(self, folder: str | Path):
        _pyarrow()
        self.path = Path(folder)
        if self.path.exists() and not self.path.is_dir():
            raise ConfigError(f"--out {self.path}: not a folder")
        self.path.mkdir(parents=True, exist_ok=True)
        self.run = uuid.uuid4().hex[:10]       # a resumed run never overwrites an earlier run's shards
        self.n = 0
        held = read_table(self.path, "articles", ["id"])
        self._ids: set[str] = set() if held is None else set(held.column("id").to_pylist())

    def __enter__(self) -> "ShardWriter":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<ShardWriter {self.path} ({len(self._ids)} articles)>"

    def close(self) -> None:
        pass

    def stored_ids(self, ids: Iterable[str]) -> set[str]:
        return {i for i in ids if i in self._ids}

    def all_ids(self) -> set[str]:
        return set(self._ids)

    def write(self, analyses: Iterable[Analysis], replace: bool = False) -> list[str]:
        """One shard per table for this batch; the ids newly written, in input order. The batch is
        written to a hidden folder first and its files then moved into place, the articles' last: the
        articles table is the ledger of what is done, so a crash never leaves an article half written."""
        if replace:
            raise ConfigError("Parquet shards are written once: --force cannot replace their articles; "
                              "write to a new folder")
        stamp = Q.now()
        tables: dict[str, list[tuple]] = {t: [] for t in TABLES}
        new: list[str] = []
        for a in analyses:
            try:
                rows = Q.rows_of(a, stamp)
            except Exception as exc:
                article = getattr(a, "article", None)
                raise StoreError(f"{self.path}: cannot write article {getattr(article, 'id', None)!r} (nothing of "
                                 f"this batch was written): {type(exc).__name__}: {exc}",
                                 origin=getattr(article, "origin", None)) from exc
            if rows.id in self._ids or rows.id in new:
                continue
            new.append(rows.id)
            m = month(a.article.published)
            tables["articles"].append(rows.article + (m,))
            for table, values in rows.children.items():
                tables[table].extend(v + (m,) for v in values)
        if new:
            self._place({t: rows for t, rows in tables.items() if rows})
            self._ids.update(new)
        return new

    def _place(self, tables: dict[str, list[tuple]]) -> None:
        self.n += 1
        name = f"{self.run}-{self.n:06d}"
        staging = self.path / f".staging-{name}"
        for table, rows in tables.items():
            _write(staging, table, rows, name)
        order = sorted(tables, key=lambda t: t == "articles")          # the articles' shard last
        for table in order:
            for f in sorted((staging / table).rglob("*.parquet")):
                target = self.path / f.relative_to(staging)
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(f, target)
        shutil.rmtree(staging, ignore_errors=True)

    def record_errors(self, errors: Iterable[ArticleError]) -> None:
        stamp = Q.now()
        rows = [(e.origin or "", e.article_id or "", str(e.code), str(e.message), stamp, stamp, 1) for e in errors]
        if rows:
            self._place({"errors": rows})


def load_shards(folder: str | Path, store: Store, batch: int = 200) -> tuple[int, int, int]:
    """Merge a folder of shards (or a Parquet export) into ``store``: every article's analysis is stored
    as ingest would store it, and the errors recorded. Returns (articles stored, already held, errors)."""
    pa = _pyarrow()
    path = Path(folder)
    if not (path / "articles").is_dir() and not (path / "errors").is_dir():
        raise ConfigError(f"{path}: no Parquet shards here (expected {path}/articles/ or {path}/errors/)")
    stored = held = 0
    if (path / "articles").is_dir():
        data = pa.dataset.dataset(str(path / "articles"), format="parquet", partitioning="hive")
        for rb in data.to_batches(columns=["analysis"], batch_size=batch):
            analyses = [Analysis.from_dict(json.loads(s)) for s in rb.column("analysis").to_pylist()]
            new = store.write(analyses)
            stored += len(new)
            held += len(analyses) - len(new)
    errors = read_table(path, "errors")
    n_errors = 0
    if errors is not None:
        found = [ArticleError(r["code"], r["message"], origin=r["origin"] or None, article_id=r["article_id"] or None)
                 for r in errors.to_pylist()]
        store.record_errors(found)
        n_errors = len(found)
    return stored, held, n_errors
