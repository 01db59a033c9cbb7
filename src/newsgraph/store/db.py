"""The SQLite store: one file, WAL mode, one transaction per batch.

Only this package speaks SQL. A batch of analyses is written in one ``BEGIN IMMEDIATE``
transaction: it is all in or all out, and an article already stored is skipped, so a rerun
or a resume after ``kill -9`` never loses or duplicates an article.
"""
from __future__ import annotations

import json
import os
import re
import sqlite3
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Iterable, Iterator

from ..errors import ConfigError, NewsgraphError, StoreError
from ..model import Analysis, ArticleError
from . import queries as Q

SCHEMA_VERSION = 6                      # PRAGMA user_version written by this code


@dataclass(frozen=True)
class Migration:
    """The steps that bring a store up to one version, and a name that says what changed."""
    name: str
    steps: tuple[str, ...] = ()


# By the version they reach; each runs once, in the upgrade's transaction, before the (idempotent)
# schema script, and is recorded in the store's migrations table.
MIGRATIONS: dict[int, Migration] = {
    2: Migration("figures: kind, qualifier, approximate",
                 ("ALTER TABLE figures ADD COLUMN kind TEXT",
                  "ALTER TABLE figures ADD COLUMN qualifier TEXT",
                  "ALTER TABLE figures ADD COLUMN approximate INTEGER")),
    3: Migration("places: region, estimated; quotes: date, place",
                 ("ALTER TABLE places ADD COLUMN region TEXT",
                  "ALTER TABLE places ADD COLUMN estimated INTEGER",
                  "ALTER TABLE quotes ADD COLUMN date TEXT",
                  "ALTER TABLE quotes ADD COLUMN place TEXT")),
    4: Migration("places: role (literal or associative)", ("ALTER TABLE places ADD COLUMN role TEXT",)),
    5: Migration("quotes: repeat_of; the views that count quotes made anew",
                 ("ALTER TABLE quotes ADD COLUMN repeat_of INTEGER",
                  # views are created IF NOT EXISTS: drop those that count quotes, so the schema script
                  # makes them anew
                  "DROP VIEW IF EXISTS quotes_by_speaker",
                  "DROP VIEW IF EXISTS article_summary")),
    6: Migration("the migrations table: each upgrade recorded"),
}
APPLICATION_ID = 0x4E475246             # "NGRF": PRAGMA application_id of a newsgraph store
BUSY_TIMEOUT_S = 5.0
IN_CHUNK = 500                          # ids per IN (...) list, well under any variable limit
SNIPPET_TOKENS = 20


def _schema_sql() -> str:
    return resources.files(__package__).joinpath("schema.sql").read_text(encoding="utf-8")


def _fold(value):
    return value.casefold() if isinstance(value, str) else None


def _chunks(items: list, n: int = IN_CHUNK):
    for i in range(0, len(items), n):
        yield items[i:i + n]


class Store:
    """A newsgraph SQLite store.

    >>> with Store("news.db") as store:
    ...     new_ids = store.write(analyses)
    """

    def __init__(self, path: str | os.PathLike, readonly: bool = False, *,
                 timeout: float = BUSY_TIMEOUT_S, check_same_thread: bool = True):
        self.path = str(path)
        self.readonly = readonly
        self._memory = self.path == ":memory:" or self.path.startswith("file::memory:")
        self._conn: sqlite3.Connection | None = None
        try:
            self._conn = self._connect(timeout, check_same_thread)
            self._prepare()
        except BaseException:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
            raise

    # ---------------------------------------------------------------- opening / closing

    def _connect(self, timeout: float, check_same_thread: bool) -> sqlite3.Connection:
        try:
            if self.readonly:
                if self._memory:
                    raise StoreError("a read-only store needs a file, not :memory:")
                p = Path(self.path)
                if not p.is_file():
                    raise StoreError(f"{self.path}: no such store file (read-only open)")
                uri = p.resolve().as_uri() + "?mode=ro"
                conn = sqlite3.connect(uri, uri=True, timeout=timeout, isolation_level=None,
                                       check_same_thread=check_same_thread)
            else:
                parent = Path(self.path).parent
                if not self._memory and not parent.is_dir():
                    raise StoreError(f"{self.path}: directory {parent} does not exist")
                conn = sqlite3.connect(self.path, timeout=timeout, isolation_level=None,
                                       check_same_thread=check_same_thread)
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot open SQLite store: {exc}") from exc
        conn.row_factory = sqlite3.Row
        conn.create_function("ng_fold", 1, _fold, deterministic=True)
        return conn

    def _prepare(self) -> None:
        conn = self._conn
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            # The first real read of the file: fails here when it is not a SQLite database.
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            n_objects = conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: not a SQLite database (or it is damaged or "
                             f"encrypted): {exc}") from exc
        if app_id not in (0, APPLICATION_ID) or (app_id == 0 and version == 0 and n_objects):
            raise StoreError(f"{self.path}: a SQLite database, but not a newsgraph store "
                             f"(application_id={app_id}, user_version={version}); "
                             "refusing to add tables to it")
        if version > SCHEMA_VERSION:
            raise StoreError(f"{self.path}: store schema version {version} is newer than this "
                             f"newsgraph understands ({SCHEMA_VERSION}); upgrade newsgraph")
        try:
            conn.execute("PRAGMA foreign_keys = ON")
            if self.readonly:
                conn.execute("PRAGMA query_only = ON")
            else:
                mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
                if mode.lower() != "wal" and not self._memory:
                    raise StoreError(f"{self.path}: cannot switch to WAL journal mode "
                                     f"(got {mode!r}); is the file on a network share?")
                conn.execute("PRAGMA synchronous = NORMAL")
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot configure the connection: {exc}") from exc
        self.schema_version = version
        if version < SCHEMA_VERSION:
            if self.readonly and version == 0:
                raise StoreError(f"{self.path}: not a newsgraph store yet (schema version "
                                 f"{version}); open it writable once to create the schema")
            if not self.readonly:       # a read-only open of an older store reads what it has
                self._create_schema(version)
                self.schema_version = SCHEMA_VERSION

    def _has_column(self, sql: str) -> bool:
        """Whether an "ALTER TABLE t ADD COLUMN c" step is already done (a store a test or a partial
        upgrade left with the column)."""
        m = re.match(r"ALTER TABLE (\w+) ADD COLUMN (\w+)", sql)
        if m is None:
            return False
        cols = {r[1] for r in self._conn.execute(f"PRAGMA table_info({m.group(1)})")}
        return m.group(2) in cols

    def _create_schema(self, version: int = 0) -> None:
        steps = [sql for v in sorted(MIGRATIONS) if version and v > version for sql in MIGRATIONS[v].steps
                 if not self._has_column(sql)]
        upgrade = "".join(f"{sql};\n" for sql in steps)
        done = [(v, MIGRATIONS[v].name) for v in sorted(MIGRATIONS) if version and v > version] \
            or [(SCHEMA_VERSION, f"created at version {SCHEMA_VERSION}")]
        record = "".join(f"INSERT OR IGNORE INTO migrations (version, name, applied_at) VALUES "
                         f"({v}, '{name.replace(chr(39), chr(39) * 2)}', '{Q.now()}');\n" for v, name in done)
        script = (f"BEGIN IMMEDIATE;\n{upgrade}{_schema_sql()}\n{record}"
                  f"PRAGMA application_id = {APPLICATION_ID};\n"
                  f"PRAGMA user_version = {SCHEMA_VERSION};\nCOMMIT;")
        try:
            self._conn.executescript(script)
        except sqlite3.Error as exc:
            self._rollback()
            raise StoreError(f"{self.path}: cannot create the store schema: {exc}") from exc

    def close(self) -> None:
        """Close the connection (idempotent). Committed data is already durable."""
        conn, self._conn = self._conn, None
        if conn is None:
            return
        try:
            if not self.readonly and not conn.in_transaction:
                conn.execute("PRAGMA optimize")
        except sqlite3.Error:
            pass
        finally:
            conn.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        mode = "ro" if self.readonly else "rw"
        state = "closed" if self._conn is None else "open"
        return f"<Store {self.path!r} {mode} {state}>"

    # ---------------------------------------------------------------- plumbing

    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            raise StoreError(f"{self.path}: store is closed")
        return self._conn

    def _rollback(self) -> None:
        conn = self._conn
        if conn is not None and conn.in_transaction:
            try:
                conn.execute("ROLLBACK")
            except sqlite3.Error:
                pass

    @contextmanager
    def _transaction(self, what: str):
        """BEGIN IMMEDIATE ... COMMIT; on any error ROLLBACK and raise StoreError."""
        if self.readonly:
            raise StoreError(f"{self.path}: store is open read-only; cannot {what}")
        conn = self.conn
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot {what}: {exc}") from exc
        try:
            yield conn.cursor()
            conn.execute("COMMIT")
        except BaseException as exc:
            self._rollback()
            if isinstance(exc, Exception) and not isinstance(exc, NewsgraphError):
                raise StoreError(f"{self.path}: cannot {what} (rolled back, nothing of it was "
                                 f"stored): {type(exc).__name__}: {exc}") from exc
            raise

    @contextmanager
    def _reading(self, what: str):
        try:
            yield self.conn
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot {what}: {exc}") from exc

    def _rows(self, sql: str, params=()) -> list[dict]:
        with self._reading("read"):
            return [dict(r) for r in self.conn.execute(sql, params)]

    def _scalar(self, sql: str, params=()):
        with self._reading("read"):
            return self.conn.execute(sql, params).fetchone()[0]

    # ---------------------------------------------------------------- writing

    def write(self, analyses: Iterable[Analysis]) -> list[str]:
        """Store a batch in one transaction; return the ids newly stored, in input order.

        Articles whose id is already stored (or repeated inside the batch) are skipped. On
        any error the whole batch is rolled back and StoreError is raised.
        """
        stamp = Q.now()
        prepared: list[Q.Rows] = []
        seen: set[str] = set()
        for a in analyses:
            try:
                rows = Q.rows_of(a, stamp)
            except Exception as exc:
                ident = getattr(getattr(a, "article", None), "id", None)
                raise StoreError(f"{self.path}: cannot store article {ident!r} (nothing of "
                                 f"this batch was stored): {type(exc).__name__}: {exc}",
                                 origin=getattr(getattr(a, "article", None), "origin", None)
                                 ) from exc
            if rows.id not in seen:
                seen.add(rows.id)
                prepared.append(rows)
        if not prepared:
            return []
        new: list[str] = []
        with self._transaction(f"write a batch of {len(prepared)} articles") as cur:
            for rows in prepared:
                if self._insert_one(cur, rows):
                    new.append(rows.id)
        return new

    def _insert_one(self, cur: sqlite3.Cursor, rows: Q.Rows) -> bool:
        """Insert one article and, only if it was new, its child rows."""
        cur.execute(Q.INSERT_ARTICLE, rows.article)
        if cur.rowcount != 1:
            return False
        for table, values in rows.children.items():
            if values:
                cur.executemany(Q.INSERT_CHILD[table], values)
        return True

    def record_errors(self, errors: Iterable[ArticleError]) -> None:
        """Record per-article errors; the same (origin, article_id, code) bumps count/last_seen."""
        stamp = Q.now()
        values = [(e.origin or "", e.article_id or "", str(e.code), str(e.message), stamp, stamp)
                  for e in errors]
        if not values:
            return
        with self._transaction(f"record {len(values)} errors") as cur:
            cur.executemany(Q.UPSERT_ERROR, values)

    def delete(self, ids: Iterable[str]) -> int:
        """Delete articles (and, by cascade, all their rows); return how many were deleted."""
        ids = list(dict.fromkeys(ids))
        if not ids:
            return 0
        n = 0
        with self._transaction(f"delete {len(ids)} articles") as cur:
            for article_id in ids:
                cur.execute(Q.DELETE_ARTICLE, (article_id,))
                n += cur.rowcount
        return n

    # ---------------------------------------------------------------- reading

    def stored_ids(self, ids: Iterable[str]) -> set[str]:
        """Which of these ids are already stored."""
        wanted = list(dict.fromkeys(i for i in ids if isinstance(i, str)))
        found: set[str] = set()
        with self._reading("look up stored ids") as conn:
            for chunk in _chunks(wanted):
                marks = ", ".join("?" for _ in chunk)
                found.update(r[0] for r in conn.execute(
                    f"SELECT id FROM articles WHERE id IN ({marks})", chunk))
        return found

    def all_ids(self) -> set[str]:
        """Every stored article id (what a distributed run hands its workers to skip)."""
        with self._reading("list stored ids") as conn:
            return {r[0] for r in conn.execute("SELECT id FROM articles")}

    def __contains__(self, article_id: object) -> bool:
        if not isinstance(article_id, str):
            return False
        with self._reading("look up an id") as conn:
            return conn.execute("SELECT 1 FROM articles WHERE id = ?",
                                (article_id,)).fetchone() is not None

    def __len__(self) -> int:
        return self._scalar("SELECT COUNT(*) FROM articles")

    def get(self, article_id: str) -> Analysis | None:
        """The stored analysis of this article, or None."""
        with self._reading(f"read article {article_id!r}") as conn:
            row = conn.execute(Q.SELECT_ANALYSIS, (article_id,)).fetchone()
        return None if row is None else Analysis.from_dict(json.loads(row[0]))

    def iter_analyses(self, batch: int = 500) -> Iterator[Analysis]:
        """Every stored analysis, in the order stored; reads ``batch`` rows at a time."""
        if batch < 1:
            raise ConfigError(f"batch must be >= 1, got {batch}")
        last = 0
        while True:
            with self._reading("read analyses") as conn:
                rows = conn.execute(Q.SELECT_ANALYSES_AFTER, (last, batch)).fetchall()
            if not rows:
                return
            for seq, data in rows:
                yield Analysis.from_dict(json.loads(data))
            last = rows[-1][0]

    def search(self, query: str, limit: int = 20, offset: int = 0) -> list[dict]:
        """Full-text search over title and text, best match first (bm25).

        Each hit: {id, title, published, url, snippet} with matches marked [like this].
        FTS5 syntax works ("exact phrase", OR, NOT, prefix*); a query FTS5 cannot parse is
        retried with every word quoted as a phrase.
        """
        if not isinstance(query, str) or not query.strip():
            raise ConfigError("search query is empty")
        if limit < 0 or offset < 0:
            raise ConfigError(f"limit and offset must be >= 0 (got {limit}, {offset})")
        try:
            return self._search(query.strip(), limit, offset)
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise StoreError(f"{self.path}: search failed: {exc}") from exc
            first_error = exc
        fallback = Q.fallback_query(query)
        if not fallback:
            raise ConfigError(f"search query {query!r} has no words to search for "
                              f"({first_error})")
        try:
            return self._search(fallback, limit, offset)
        except sqlite3.Error as exc:
            raise ConfigError(f"cannot search for {query!r}: {first_error}; "
                              f"also as plain words: {exc}") from exc

    def _search(self, match: str, limit: int, offset: int) -> list[dict]:
        rows = self.conn.execute(Q.SEARCH, (SNIPPET_TOKENS, match, limit, offset)).fetchall()
        return [dict(r) for r in rows]

    def quotes(self, speaker: str | None = None, since: str | None = None,
               limit: int | None = None, attitudes: bool = False) -> list[dict]:
        """Quotes, ordered by published date, article, position.

        speaker: case-insensitive substring of speaker_name; since: published >= this date;
        attitudes: also return attitudes (kind 'attitude': "hailed the ties").
        Each row has every quotes column plus the article's published, title and url. A quote told
        again in a repeated sentence (``repeat_of`` set) is listed once, at its first telling.
        """
        params = {"speaker": _fold(speaker) if speaker is not None else None,
                  "since": since, "limit": -1 if limit is None else int(limit),
                  "attitudes": 1 if attitudes else 0}
        return self._rows(Q.quotes_query(self.schema_version), params)

    def events(self, actor: str | None = None, type: str | None = None, country: str | None = None,
               since: str | None = None, limit: int | None = None, negated: bool = False) -> list[dict]:
        """Events, ordered by published date, article, position.

        actor: case-insensitive substring of the source's or the target's name; type: PLOVER type;
        country: ISO 3166 alpha-3 of the source or the target; since: published >= this date;
        negated: also return events the text says did not happen ("never condemned").
        Each row has every events column plus the article's published, title and url.
        """
        params = {"actor": _fold(actor) if actor is not None else None,
                  "type": type.upper() if type else None, "country": country.upper() if country else None,
                  "since": since, "limit": -1 if limit is None else int(limit), "negated": 1 if negated else 0}
        return self._rows(Q.EVENTS, params)

    def figures(self, unit: str | None = None, kind: str | None = None, measure: str | None = None,
                since: str | None = None, limit: int | None = None) -> list[dict]:
        """Figures, ordered by published date, article, position.

        unit: the normalised unit ("percent", "USD", "people"); kind: percent | money | quantity |
        count; measure: case-insensitive substring of what the figure measures; since: published >=
        this date. Each row has every figures column plus the article's published, title and url.
        """
        if self.schema_version < 2:
            raise StoreError(f"{self.path}: store schema version {self.schema_version} has no figure kinds; "
                             "open it writable once (newsgraph ingest) to upgrade it")
        params = {"unit": unit, "kind": kind.lower() if kind else None,
                  "measure": _fold(measure) if measure is not None else None,
                  "since": since, "limit": -1 if limit is None else int(limit)}
        return self._rows(Q.FIGURES, params)

    def places(self, country: str | None = None, feature: str | None = None, since: str | None = None,
               limit: int | None = None, role: str | None = "literal") -> list[dict]:
        """Places by how often the store's articles name them, most named first: name, feature,
        country, region, geonameid, lat, lon, mentions, articles, estimated, role. A place the gazetteer
        does not know (estimated) has no coordinates here: each article gave it its own focus.

        country: ISO alpha-3; feature: continent | area | country | region | district | city | venue |
        place; since: published >= this date; role: literal (the default: toponyms that name the place)
        | associative (demonyms standing for their country: "Russian troops") | None for both."""
        if self.schema_version < 4:
            what = "place regions" if self.schema_version < 3 else "place roles"
            raise StoreError(f"{self.path}: store schema version {self.schema_version} has no {what}; "
                             "open it writable once (newsgraph ingest) to upgrade it")
        params = {"country": country.upper() if country else None, "feature": feature, "role": role,
                  "since": since, "limit": -1 if limit is None else int(limit)}
        rows = self._rows(Q.PLACES, params)
        for r in rows:
            r["estimated"] = bool(r["estimated"])
        return rows

    def errors(self, limit: int | None = None) -> list[dict]:
        """Recorded errors, most recently seen first."""
        rows = self._rows(Q.ERRORS, (-1 if limit is None else int(limit),))
        for r in rows:
            r["origin"] = r["origin"] or None
            r["article_id"] = r["article_id"] or None
        return rows

    def stats(self) -> dict:
        """Counts, date range, file size and the most mentioned entities and speakers."""
        out: dict = {"path": self.path, "schema_version": self.schema_version}
        with self._reading("compute stats") as conn:
            for table in Q.COUNTED_TABLES:
                out[table] = conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
            once = Q.once(self.schema_version)
            out["quotes"] = conn.execute(
                f"SELECT COUNT(*) FROM quotes WHERE kind IS NOT 'attitude' AND {once}").fetchone()[0]
            out["attitudes"] = conn.execute(
                f"SELECT COUNT(*) FROM quotes WHERE kind = 'attitude' AND {once}").fetchone()[0]
            out["speakers"] = conn.execute(
                "SELECT COUNT(DISTINCT speaker_name) FROM quotes WHERE kind IS NOT 'attitude'").fetchone()[0]
            first, last = conn.execute(
                "SELECT MIN(published), MAX(published) FROM articles").fetchone()
            out["published_min"], out["published_max"] = first, last
            out["top_entities"] = [dict(r) for r in conn.execute(Q.TOP_ENTITIES, (10,))]
            out["top_speakers"] = [dict(r) for r in conn.execute(Q.top_speakers(self.schema_version), (10,))]
            page_size = conn.execute("PRAGMA page_size").fetchone()[0]
            page_count = conn.execute("PRAGMA page_count").fetchone()[0]
        if self._memory:
            out["file_bytes"], out["wal_bytes"] = page_size * page_count, 0
        else:
            out["file_bytes"] = os.path.getsize(self.path)
            wal = self.path + "-wal"
            out["wal_bytes"] = os.path.getsize(wal) if os.path.exists(wal) else 0
        return out
