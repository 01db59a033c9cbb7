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
import time
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Iterable, Iterator

from ..errors import ConfigError, NewsgraphError, StoreError
from ..model import CUE_KINDS, LISTED_KINDS, Analysis, ArticleError
from ..tables import ERROR_COLUMNS, TABLES
from . import corpus, queries as Q, stories
from . import search as search_grammar

SCHEMA_VERSION = 12                     # PRAGMA user_version written by this code


@dataclass(frozen=True)
class Migration:
    """The steps that bring a store up to one version, and a name that says what changed."""
    name: str
    steps: tuple[str, ...] = ()
    after: tuple = ()                   # run after the schema script has made what the steps dropped: SQL,
                                        # or a function that writes it (built only when the upgrade runs)


# The articles table made anew as schema.sql has it, rows and seq kept (foreign keys are off during
# upgrades, so no row of another table goes with the old one; the full-text index keys on seq).
_ARTICLE_COLUMNS = "seq, id, title, url, published, source, author, origin, text, analysis, n_words, stored_at"
REBUILD_ARTICLES = (
    "CREATE TABLE articles_new (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, title TEXT, url TEXT, "
    "published TEXT, source TEXT, author TEXT, origin TEXT, text TEXT NOT NULL, analysis TEXT NOT NULL, "
    "n_words INTEGER NOT NULL, stored_at TEXT NOT NULL, label TEXT GENERATED ALWAYS AS (coalesce(title, "
    "substr(text, 1, min(100, instr(text || char(10), char(10)) - 1)))) VIRTUAL)",
    f"INSERT INTO articles_new ({_ARTICLE_COLUMNS}) SELECT {_ARTICLE_COLUMNS} FROM articles ORDER BY seq",
    "DROP TABLE articles",
    "ALTER TABLE articles_new RENAME TO articles",
)

# By the version they reach; each runs once, in the upgrade's transaction, before the (idempotent)
# schema script, and is recorded in the store's migrations table.
def _cue_kind_backfill() -> str:
    """The statement that gives quotes stored before version 12 the kind of their cue's lemma (speech
    where the lexicon has none)."""
    from ..knowledge import Knowledge
    pairs = ", ".join(f"('{lemma.replace(chr(39), chr(39) * 2)}', '{kind}')"
                      for lemma, kind in sorted(Knowledge().cue_kinds.items()) if kind)
    return (f"WITH k(lemma, kind) AS (VALUES {pairs}) UPDATE quotes SET cue_kind = coalesce("
            "(SELECT kind FROM k WHERE k.lemma = quotes.cue_lemma), 'speech') "
            "WHERE cue_kind IS NULL AND kind IS NOT 'attitude'")


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
    7: Migration("articles: seq is the rowid; the full-text index declared as Datasette and sqlite-utils find it",
                 # the index is dropped and made anew by the script, as every trigger and view is
                 ("DROP TABLE IF EXISTS articles_fts", *REBUILD_ARTICLES),
                 after=("INSERT INTO articles_fts(articles_fts) VALUES ('rebuild')",)),
    8: Migration("stories: near-duplicate articles grouped by MinHash LSH (the articles stored before are "
                 "grouped on the first writable open)"),
    9: Migration("corpus entities: the same actor across articles as one record (the articles stored before are "
                 "linked on the first writable open)"),
    10: Migration("quotes_fts: full-text search over quotes and their speakers",
                  after=("INSERT INTO quotes_fts(rowid, speaker_name, content_text) SELECT a.seq * 100000 + q.idx, "
                         "q.speaker_name, q.content_text FROM quotes q JOIN articles a ON a.id = q.article_id "
                         "WHERE a.seq * 100000 + q.idx NOT IN (SELECT rowid FROM quotes_fts)",)),
    11: Migration("articles: label, the title or else the first line, for links to an article", REBUILD_ARTICLES),
    12: Migration("quotes: cue_kind (speech, writing, thought, knowledge), the stored quotes' read off their cue",
                  ("ALTER TABLE quotes ADD COLUMN cue_kind TEXT",), after=(_cue_kind_backfill,)),
}
APPLICATION_ID = 0x4E475246             # "NGRF": PRAGMA application_id of a newsgraph store
BUSY_TIMEOUT_S = 5.0
LOCK_RETRIES = 5                        # tries past the busy timeout, with pauses of 1, 2, 4, 8, 8 x LOCK_PAUSE_S
LOCK_PAUSE_S = 1.0
IN_CHUNK = 500                          # ids per IN (...) list, well under any variable limit
SNIPPET_TOKENS = 20
STORY_CANDIDATES = 50                   # articles a new one is compared with, those sharing most LSH bands
SEARCH_SECONDS = 5.0                    # a full-text search past this is stopped
PROGRESS_OPS = 1_000                    # SQLite steps between two looks at the clock


def _schema_sql() -> str:
    return resources.files(__package__).joinpath("schema.sql").read_text(encoding="utf-8")


def _fold(value):
    return value.casefold() if isinstance(value, str) else None


def _kinds(kinds: Iterable[str] | None) -> str | None:
    """The kinds of cue a listing keeps, as the JSON list its query reads (None: every kind)."""
    if kinds is None:
        return None
    kinds = [k.strip().lower() for k in ([kinds] if isinstance(kinds, str) else kinds) if k.strip()]
    bad = sorted(set(kinds) - set(CUE_KINDS))
    if bad:
        raise ConfigError(f"no kind of cue {', '.join(bad)}; the kinds are {', '.join(CUE_KINDS)}")
    return json.dumps(kinds)


def _chunks(items: list, n: int = IN_CHUNK):
    for i in range(0, len(items), n):
        yield items[i:i + n]


class Store:
    """A newsgraph SQLite store.

    >>> with Store("news.db") as store:
    ...     new_ids = store.write(analyses)
    """

    def __init__(self, path: str | os.PathLike, readonly: bool = False, *,
                 timeout: float = BUSY_TIMEOUT_S, check_same_thread: bool = True,
                 query_seconds: float | None = None):
        """``query_seconds``: stop any read that runs longer (the HTTP API sets it)."""
        self.path = str(path)
        self.readonly = readonly
        self.query_seconds = query_seconds
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
                if not os.access(p.resolve().parent, os.W_OK):
                    # A store on a read-only mount or in a folder we cannot write: SQLite cannot make the
                    # WAL index beside it, so it is read as a file that nobody changes meanwhile.
                    uri += "&immutable=1"
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
        if not self.readonly and not self._memory and version:
            self._quick_check()
        if version < SCHEMA_VERSION:
            if self.readonly and version == 0:
                raise StoreError(f"{self.path}: not a newsgraph store yet (schema version "
                                 f"{version}); open it writable once to create the schema")
            if not self.readonly:       # a read-only open of an older store reads what it has
                self._create_schema(version)
                self.schema_version = SCHEMA_VERSION
                if version:             # an upgrade: articles stored before get their stories and links
                    self._group_unsorted()
                    self._link_unlinked()

    def _quick_check(self) -> None:
        """Refuse to write into a damaged store (PRAGMA quick_check: the pages and records, not the
        indexes' contents; ``check()`` runs the full check)."""
        try:
            problems = [r[0] for r in self._conn.execute("PRAGMA quick_check(5)")]
        except sqlite3.DatabaseError as exc:
            problems = [str(exc)]
        if problems != ["ok"]:
            raise StoreError(f"{self.path}: the store is damaged ({'; '.join(problems[:3])}); nothing was "
                             "written. Restore it from a copy, or re-ingest into a new store; "
                             f"`newsgraph check --db {self.path}` lists the damage")

    def check(self) -> list[str]:
        """The full integrity check: SQLite's, the foreign keys', and the full-text index against the
        articles. An empty list when all is well, else one line per problem."""
        problems: list[str] = []
        with self._reading("check the store") as conn:
            problems += [f"integrity: {r[0]}" for r in conn.execute("PRAGMA integrity_check(20)") if r[0] != "ok"]
            problems += [f"foreign key: {r[0]} row {r[1]} refers to a missing row of {r[2]}"
                         for r in conn.execute("PRAGMA foreign_key_check")]
            n_articles = conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
            n_indexed = conn.execute("SELECT COUNT(*) FROM articles_fts_docsize").fetchone()[0]
            if n_articles != n_indexed:
                problems.append(f"full-text index: {n_indexed} articles indexed, {n_articles} stored")
        return problems

    def _has_column(self, sql: str) -> bool:
        """Whether an "ALTER TABLE t ADD COLUMN c" step is already done (a store a test or a partial
        upgrade left with the column)."""
        m = re.match(r"ALTER TABLE (\w+) ADD COLUMN (\w+)", sql)
        if m is None:
            return False
        cols = {r[1] for r in self._conn.execute(f"PRAGMA table_xinfo({m.group(1)})")}
        return m.group(2) in cols

    def _create_schema(self, version: int = 0) -> None:
        steps = [sql for v in sorted(MIGRATIONS) if version and v > version for sql in MIGRATIONS[v].steps
                 if not self._has_column(sql)]
        # Every view and trigger is dropped before an upgrade and made anew by the schema script: they
        # are derived, and one naming a table that a step rebuilds would stop the rebuild.
        derived = self._conn.execute("SELECT type, name FROM sqlite_master WHERE type IN ('view', 'trigger')"
                                     ).fetchall() if version else []
        upgrade = "".join(f'DROP {kind.upper()} IF EXISTS "{name}";\n' for kind, name in derived) + \
            "".join(f"{sql};\n" for sql in steps)
        after = "".join(f"{sql() if callable(sql) else sql};\n" for v in sorted(MIGRATIONS) if version and v > version
                        for sql in MIGRATIONS[v].after)
        done = [(v, MIGRATIONS[v].name) for v in sorted(MIGRATIONS) if version and v > version] \
            or [(SCHEMA_VERSION, f"created at version {SCHEMA_VERSION}")]
        record = "".join(f"INSERT OR IGNORE INTO migrations (version, name, applied_at) VALUES "
                         f"({v}, '{name.replace(chr(39), chr(39) * 2)}', '{Q.now()}');\n" for v, name in done)
        script = (f"BEGIN IMMEDIATE;\n{upgrade}{_schema_sql()}\n{after}{record}"
                  f"PRAGMA application_id = {APPLICATION_ID};\n"
                  f"PRAGMA user_version = {SCHEMA_VERSION};\nCOMMIT;")
        try:
            # Foreign keys off while tables are rebuilt: dropping an old table must not cascade.
            self._conn.execute("PRAGMA foreign_keys = OFF")
            self._conn.executescript(script)
        except sqlite3.Error as exc:
            self._rollback()
            raise StoreError(f"{self.path}: cannot create the store schema: {exc}") from exc
        finally:
            self._conn.execute("PRAGMA foreign_keys = ON")

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
        """BEGIN IMMEDIATE ... COMMIT; on any error ROLLBACK and raise StoreError. While another process
        holds the write lock, wait (the busy timeout) and try again with growing pauses before giving up."""
        if self.readonly:
            raise StoreError(f"{self.path}: store is open read-only; cannot {what}")
        conn = self.conn
        for attempt in range(LOCK_RETRIES + 1):
            try:
                conn.execute("BEGIN IMMEDIATE")
                break
            except sqlite3.OperationalError as exc:
                if attempt == LOCK_RETRIES or not ("locked" in str(exc) or "busy" in str(exc)):
                    raise StoreError(f"{self.path}: cannot {what}: {exc} (another process has held the "
                                     f"store's write lock; tried {attempt + 1} times)") from exc
                time.sleep(min(2 ** attempt, 8) * LOCK_PAUSE_S)
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
        """A read, stopped past the store's ``query_seconds`` when it has one (StoreError either way)."""
        with self._time_limit(self.query_seconds, what) if self.query_seconds else nullcontext():
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

    def write(self, analyses: Iterable[Analysis], replace: bool = False) -> list[str]:
        """Store a batch in one transaction; return the ids newly stored, in input order.

        Articles whose id is already stored (or repeated inside the batch) are skipped, or with
        ``replace`` stored anew in place of the stored one. On any error the whole batch is rolled
        back and StoreError is raised.
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
                if replace:
                    cur.execute(Q.DELETE_ARTICLE, (rows.id,))
                if self._insert_one(cur, rows):
                    new.append(rows.id)
        return new

    def _insert_one(self, cur: sqlite3.Cursor, rows: Q.Rows) -> bool:
        """Insert one article and, only if it was new, its child rows and its place in a story."""
        cur.execute(Q.INSERT_ARTICLE, rows.article)
        if cur.rowcount != 1:
            return False
        for table, values in rows.children.items():
            if values:
                cur.executemany(Q.INSERT_CHILD[table], values)
        self._join_story(cur, rows.id, rows.article[TABLES["articles"].index("text")])
        self._link_entities(cur, rows.id, rows.children.get("entities", []))
        return True

    _ENTITY = {c: i for i, c in enumerate(TABLES["entities"])}

    def _link_entities(self, cur: sqlite3.Cursor, article_id: str, entities: list[tuple]) -> None:
        """Link each entity of a new article to its corpus entity (store/corpus.py), made if new: whole
        names by key, then surnames alone by the actors this article shares with a person's articles;
        a new full name then claims the earlier lone surnames whose articles share an actor with this one."""
        col = self._ENTITY
        whole, partial = [], []
        for e in entities:
            name, kind = e[col["name"]] or "", e[col["kind"]]
            k = corpus.key(name, kind, e[col["country"]])
            if k is not None:
                (partial if corpus.partial_name(name, kind) else whole).append((e, k))
        links, context, people = [], set(), []
        for e, k in whole:
            cid, created = self._corpus_entity(cur, e, k)
            links.append((article_id, e[col["entity_id"]], cid))
            if corpus.kind_class(e[col["kind"]]) != "country":
                context.add(cid)
            if created and (last := corpus.surname(e[col["name"]], e[col["kind"]])):
                people.append((cid, last, k.split(":", 1)[1][0]))
        for e, k in partial:
            last, initial = corpus.partial_name(e[col["name"]], e[col["kind"]])
            cid = self._person_in_context(cur, last, initial, context) or self._corpus_entity(cur, e, k)[0]
            links.append((article_id, e[col["entity_id"]], cid))
        cur.executemany("INSERT OR REPLACE INTO entity_links (article_id, entity_id, corpus_id) VALUES (?, ?, ?)", links)
        for cid, last, first in people:
            self._claim_lone_surnames(cur, cid, last, first, context)

    def _corpus_entity(self, cur: sqlite3.Cursor, e: tuple, key: str) -> tuple[int, bool]:
        """(id of the corpus entity of this key, whether it was made now); its country and sector filled
        in from the entity when it had none."""
        col = self._ENTITY
        name, kind, country, sector = e[col["name"]], e[col["kind"]], e[col["country"]], e[col["sector"]]
        row = cur.execute("SELECT id FROM corpus_entities WHERE key = ?", (key,)).fetchone()
        if row is None:
            cur.execute("INSERT INTO corpus_entities (key, name, kind, country, sector, surname) VALUES (?, ?, ?, ?, ?, ?)",
                        (key, name, corpus.kind_class(kind), country, sector, corpus.surname(name, kind)))
            return cur.lastrowid, True
        if country or sector:
            cur.execute("UPDATE corpus_entities SET country = coalesce(country, ?), sector = coalesce(sector, ?) "
                        "WHERE id = ?", (country, sector, row[0]))
        return row[0], False

    def _cooccurring(self, cur: sqlite3.Cursor, corpus_id: int) -> set[int]:
        """The corpus entities (not countries) met in the latest 200 articles of this one."""
        return {r[0] for r in cur.execute(
            "SELECT DISTINCT l2.corpus_id FROM (SELECT article_id FROM entity_links WHERE corpus_id = ? "
            "ORDER BY rowid DESC LIMIT 200) l1 JOIN entity_links l2 ON l2.article_id = l1.article_id "
            "JOIN corpus_entities c ON c.id = l2.corpus_id WHERE l2.corpus_id <> ? AND c.kind <> 'country'",
            (corpus_id, corpus_id))}

    def _person_in_context(self, cur: sqlite3.Cursor, last: str, initial: str, context: set[int]) -> int | None:
        """The person of this surname (and first initial) whose articles share the most actors with this
        article's, if one shares at least one and no other as many."""
        if not context:
            return None
        best, best_n, tie = None, 0, False
        for cid, key in cur.execute("SELECT id, key FROM corpus_entities WHERE surname = ?", (last,)).fetchall():
            if initial and not key.split(":", 1)[1].startswith(initial):
                continue
            n = len(context & self._cooccurring(cur, cid))
            if n > best_n:
                best, best_n, tie = cid, n, False
            elif n == best_n and n:
                tie = True
        return best if best_n and not tie else None

    def _claim_lone_surnames(self, cur: sqlite3.Cursor, person: int, last: str, first: str, context: set[int]) -> None:
        """A full name new to the corpus takes over the earlier links of its surname alone ("Blair",
        "T Blair") in articles that share an actor with this one."""
        if not context:
            return
        for lone in cur.execute("SELECT id FROM corpus_entities WHERE key IN (?, ?)",
                                (f"person:{last}", f"person:{first} {last}")).fetchall():
            for (article,) in cur.execute(          # its latest articles: a common surname has many
                    "SELECT article_id FROM entity_links WHERE corpus_id = ? ORDER BY rowid DESC LIMIT 500",
                    (lone[0],)).fetchall():
                theirs = {r[0] for r in cur.execute(
                    "SELECT l.corpus_id FROM entity_links l JOIN corpus_entities c ON c.id = l.corpus_id "
                    "WHERE l.article_id = ? AND l.corpus_id <> ? AND c.kind <> 'country'", (article, lone[0]))}
                if theirs & context:
                    cur.execute("UPDATE entity_links SET corpus_id = ? WHERE article_id = ? AND corpus_id = ?",
                                (person, article, lone[0]))

    def _link_unlinked(self) -> int:
        """Link the entities of stored articles that have none linked yet (a store written before corpus
        entities were kept), in the order stored; returns how many articles."""
        todo = [r[0] for r in self.conn.execute(
            "SELECT a.id FROM articles a WHERE EXISTS (SELECT 1 FROM entities e WHERE e.article_id = a.id) "
            "AND NOT EXISTS (SELECT 1 FROM entity_links l WHERE l.article_id = a.id) ORDER BY a.seq")]
        if todo:
            cols = ", ".join(f'"{c}"' for c in TABLES["entities"])
            with self._transaction(f"link the entities of {len(todo)} stored articles") as cur:
                for article_id in todo:
                    rows = cur.execute(f"SELECT {cols} FROM entities WHERE article_id = ? ORDER BY rowid",
                                       (article_id,)).fetchall()
                    self._link_entities(cur, article_id, [tuple(r) for r in rows])
        return len(todo)

    def _join_story(self, cur: sqlite3.Cursor, article_id: str, text: str) -> str:
        """Keep the article's signature and band keys, and put it in the story of its most similar
        stored article (or a story of its own); returns the story's id."""
        sig = stories.signature(text)
        keys = stories.band_keys(sig)
        marks = ", ".join("?" for _ in keys)
        best, best_sim = None, 0.0
        # The candidates that share the most bands first, and at most STORY_CANDIDATES of them: texts
        # that share boilerplate (a site's footer) share a band now and then, and a large store must
        # not compare a new article with all of them.
        for other, other_sig in cur.execute(
                f"SELECT g.article_id, g.signature FROM (SELECT article_id, COUNT(*) AS shared FROM story_bands "
                f"WHERE band IN ({marks}) GROUP BY article_id ORDER BY shared DESC LIMIT {STORY_CANDIDATES}) b "
                f"JOIN story_signatures g ON g.article_id = b.article_id", keys).fetchall():
            sim = stories.similarity(sig, other_sig)
            if sim >= stories.THRESHOLD and (sim, other) > (best_sim, best or ""):
                best, best_sim = other, sim
        story = article_id
        if best is not None:
            found = cur.execute("SELECT story_id FROM article_stories WHERE article_id = ?", (best,)).fetchone()
            story = found[0] if found else best
        cur.execute("INSERT OR REPLACE INTO story_signatures (article_id, signature) VALUES (?, ?)", (article_id, sig))
        cur.execute("DELETE FROM story_bands WHERE article_id = ?", (article_id,))
        cur.executemany("INSERT INTO story_bands (band, article_id) VALUES (?, ?)", [(k, article_id) for k in keys])
        cur.execute("INSERT OR REPLACE INTO article_stories (article_id, story_id, similarity) VALUES (?, ?, ?)",
                    (article_id, story, round(best_sim, 3) if best is not None else None))
        return story

    def _group_unsorted(self) -> int:
        """Put the stored articles that have no story yet (a store written before stories were kept)
        into stories, in the order stored; returns how many."""
        todo = self.conn.execute("SELECT a.id, a.text FROM articles a LEFT JOIN article_stories s "
                                 "ON s.article_id = a.id WHERE s.article_id IS NULL ORDER BY a.seq").fetchall()
        if todo:
            with self._transaction(f"group {len(todo)} stored articles into stories") as cur:
                for article_id, text in todo:
                    self._join_story(cur, article_id, text)
        return len(todo)

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

    def table_rows(self, table: str, columns: Iterable[str], *, with_month: bool = False,
                   size: int = 5000) -> Iterator[list[tuple]]:
        """Rows of one table (the named columns, in order), ``size`` at a time, in the order stored;
        ``with_month``: each row ends with its article's publication date (what exports partition by)."""
        names = list(columns)
        known = set(ERROR_COLUMNS if table == "errors" else TABLES.get(table, ()))
        if not names or set(names) - known:
            raise ConfigError(f"no table {table!r} with columns {names}")
        cols = ", ".join(f't."{c}"' for c in names)
        if with_month:
            key = "t.id" if table == "articles" else "t.article_id"
            sql = f"SELECT {cols}, a.published FROM {table} t JOIN articles a ON a.id = {key} ORDER BY t.rowid"
        else:
            sql = f"SELECT {cols} FROM {table} t ORDER BY t.rowid"
        with self._reading(f"read the {table} table") as conn:
            cur = conn.execute(sql)
            while True:
                rows = cur.fetchmany(size)
                if not rows:
                    return
                yield [tuple(r) for r in rows]

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
        return (a for a, _ in self.iter_stored(batch))

    def iter_stored(self, batch: int = 500) -> Iterator[tuple[Analysis, str]]:
        """(analysis, when it was stored: UTC ISO timestamp) of every article, in the order stored."""
        if batch < 1:
            raise ConfigError(f"batch must be >= 1, got {batch}")
        last = 0
        while True:
            with self._reading("read analyses") as conn:
                rows = conn.execute(Q.SELECT_ANALYSES_AFTER, (last, batch)).fetchall()
            if not rows:
                return
            for seq, data, stored_at in rows:
                yield Analysis.from_dict(json.loads(data)), stored_at
            last = rows[-1][0]

    def search(self, query: str, limit: int = 20, offset: int = 0) -> list[dict]:
        """Full-text search over title and text, best match first (bm25).

        Each hit: {id, title, published, url, snippet} with matches marked [like this]. The query is
        read with newsgraph's grammar (store/search.py: words, "phrases", prefix*, AND, OR, NOT, brackets);
        one outside it raises ConfigError saying why, and a search running past SEARCH_SECONDS stops
        with StoreError.
        """
        return self._full_text(Q.SEARCH, query, limit, offset, "search")

    def _full_text(self, sql: str, query: str, limit: int, offset: int, what: str, **params) -> list[dict]:
        """Rows of a full-text query: the query read with the grammar, run within the time limit."""
        if limit < 0 or offset < 0:
            raise ConfigError(f"limit and offset must be >= 0 (got {limit}, {offset})")
        match = search_grammar.parse(query)
        try:
            with self._time_limit(SEARCH_SECONDS, f"{what} for {query!r}"):
                return [dict(r) for r in self.conn.execute(
                    sql, {"match": match, "tokens": SNIPPET_TOKENS, "limit": limit, "offset": offset, **params})]
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: {what} for {query!r} failed: {exc}") from exc

    @contextmanager
    def _time_limit(self, seconds: float, what: str):
        """Interrupt a statement that runs past ``seconds`` (StoreError naming ``what``)."""
        conn, deadline = self.conn, time.monotonic() + seconds
        stopped = []

        def check() -> int:
            if time.monotonic() > deadline:
                stopped.append(True)
                return 1                # non-zero: SQLite interrupts the statement
            return 0
        conn.set_progress_handler(check, PROGRESS_OPS)
        try:
            yield
        except (sqlite3.OperationalError, StoreError) as exc:
            if stopped:
                raise StoreError(f"{self.path}: {what} took more than {seconds:g} s and was stopped; "
                                 "narrow it") from exc
            raise
        finally:
            conn.set_progress_handler(None, 0)

    def search_quotes(self, query: str, limit: int = 20, offset: int = 0, attitudes: bool = False) -> list[dict]:
        """Full-text search over quotes (what was said, and the speaker's name), best match first: every
        quotes column, the article's published, title and url, and a snippet with matches [marked]. The
        query grammar is search()'s; attitudes and repeats are left out unless ``attitudes``."""
        self._needs(10, "quote search")
        return self._full_text(Q.SEARCH_QUOTES, query, limit, offset, "quote search",
                               attitudes=1 if attitudes else 0)

    def quotes(self, speaker: str | None = None, since: str | None = None,
               limit: int | None = None, attitudes: bool = False, until: str | None = None,
               offset: int = 0, kinds: Iterable[str] | None = LISTED_KINDS) -> list[dict]:
        """Quotes, ordered by published date, article, position.

        speaker: case-insensitive substring of speaker_name, or of the name of the corpus entity the
        speaker is (so "vladimir putin" also finds the quotes of "Putin"); since: published >= this date;
        attitudes: also return attitudes (kind 'attitude': "hailed the ties"); kinds: the kinds of cue
        listed (speech and writing by default; None for all: thought and knowledge too).
        Each row has every quotes column plus the article's published, title and url. A quote told
        again in a repeated sentence (``repeat_of`` set) is listed once, at its first telling.
        """
        params = {"speaker": _fold(speaker) if speaker is not None else None,
                  "since": since, "until": until, "limit": -1 if limit is None else int(limit),
                  "offset": int(offset), "attitudes": 1 if attitudes else 0, "kinds": _kinds(kinds)}
        return self._rows(Q.quotes_query(self.schema_version), params)

    def events(self, actor: str | None = None, type: str | None = None, country: str | None = None,
               since: str | None = None, limit: int | None = None, negated: bool = False,
               source: str | None = None, target: str | None = None, until: str | None = None,
               offset: int = 0) -> list[dict]:
        """Events, ordered by published date, article, position.

        actor: case-insensitive substring of the source's or the target's name; source, target: of the
        source's name, of the target's (both: an actor pair); type: PLOVER type; country: ISO 3166
        alpha-3 of the source or the target; since, until: published in this range (days included);
        negated: also return events the text says did not happen ("never condemned").
        Each row has every events column plus the article's published, title and url.
        """
        fold = lambda x: _fold(x) if x is not None else None  # noqa: E731
        params = {"actor": fold(actor), "source": fold(source), "target": fold(target),
                  "type": type.upper() if type else None, "country": country.upper() if country else None,
                  "since": since, "until": until, "limit": -1 if limit is None else int(limit),
                  "offset": int(offset), "negated": 1 if negated else 0}
        return self._rows(Q.EVENTS, params)

    def figures(self, unit: str | None = None, kind: str | None = None, measure: str | None = None,
                since: str | None = None, limit: int | None = None, until: str | None = None,
                offset: int = 0) -> list[dict]:
        """Figures, ordered by published date, article, position.

        unit: the normalised unit ("percent", "USD", "people"); kind: percent | money | quantity |
        count; measure: case-insensitive substring of what the figure measures; since: published >=
        this date. Each row has every figures column plus the article's published, title and url.
        """
        self._needs(2, "figure kinds")
        params = {"unit": unit, "kind": kind.lower() if kind else None,
                  "measure": _fold(measure) if measure is not None else None,
                  "since": since, "until": until, "limit": -1 if limit is None else int(limit),
                  "offset": int(offset)}
        return self._rows(Q.FIGURES, params)

    def places(self, country: str | None = None, feature: str | None = None, since: str | None = None,
               limit: int | None = None, role: str | None = "literal", until: str | None = None,
               offset: int = 0) -> list[dict]:
        """Places by how often the store's articles name them, most named first: name, feature,
        country, region, geonameid, lat, lon, mentions, articles, estimated, role. A place the gazetteer
        does not know (estimated) has no coordinates here: each article gave it its own focus.

        country: ISO alpha-3; feature: continent | area | country | region | district | city | venue |
        place; since: published >= this date; role: literal (the default: toponyms that name the place)
        | associative (demonyms standing for their country: "Russian troops") | None for both."""
        self._needs(3, "place regions")
        self._needs(4, "place roles")
        params = {"country": country.upper() if country else None, "feature": feature, "role": role,
                  "since": since, "until": until, "limit": -1 if limit is None else int(limit),
                  "offset": int(offset)}
        rows = self._rows(Q.PLACES, params)
        for r in rows:
            r["estimated"] = bool(r["estimated"])
        return rows

    def stories(self, min_articles: int = 1, since: str | None = None, limit: int | None = None,
                until: str | None = None, offset: int = 0) -> list[dict]:
        """Stories, the most carried first: story_id (its first article's id), n_articles, n_sources,
        first_published, last_published, title (of its first article). min_articles: 2 for stories
        carried more than once; since: first published on or after this date."""
        self._needs(8, "stories")
        return self._rows(Q.STORIES, {"min_articles": int(min_articles), "since": since, "until": until,
                                      "limit": -1 if limit is None else int(limit), "offset": int(offset)})

    def counts(self, what: str = "events", by: str = "month", type: str | None = None,
               since: str | None = None, until: str | None = None,
               kinds: Iterable[str] | None = LISTED_KINDS) -> list[dict]:
        """How many ``what`` (articles | quotes | events) a ``by`` (day | month) of publication: rows of
        {period, n}, oldest first. type: a PLOVER type for events, a kind (direct, indirect, mixed) for
        quotes. Quotes count speech and writing (``kinds``; no attitudes, a repeat once); events leave out
        the negated."""
        if what not in Q.COUNTS or by not in ("day", "month"):
            raise ConfigError(f"counts of articles, quotes or events by day or month, not {what} by {by}")
        return self._rows(Q.COUNTS[what].replace("{kinds}", Q.kinds_clause(self.schema_version)),
                          {"width": 10 if by == "day" else 7, "type": type,
                                           "since": since, "until": until, "kinds": _kinds(kinds)})

    def event_story_counts(self) -> dict[str, dict[int, dict]]:
        """By article id and event index: n_mentions, n_articles and n_sources of the event's story group
        (the same event told in the copies of one story), its first telling (``first_of``: article id
        and event index) and whether this is it (``first``)."""
        self._needs(8, "stories")
        out: dict[str, dict[int, dict]] = {}
        with self._reading("count events by story") as conn:
            for r in conn.execute(Q.EVENT_STORY_COUNTS):
                out.setdefault(r[0], {})[r[1]] = {"n_mentions": r[2], "n_articles": r[3], "n_sources": r[4],
                                                  "first_of": (r[5], r[6]), "first": (r[5], r[6]) == (r[0], r[1])}
        return out

    def timeline(self, by: str = "month", type: str | None = None, actor: str | None = None,
                 country: str | None = None, since: str | None = None, until: str | None = None) -> list[dict]:
        """Events by when they happened: rows of {period, n}, oldest first, a ``by`` (day | month | year).
        An event is placed at the date its text gives it where that is as precise as ``by``, else at its
        article's publication; events with neither are left out, and so are negated ones. type: PLOVER
        type; actor: case-insensitive substring of the source's or the target's name; country: ISO
        alpha-3 of either side; since, until: periods in this range."""
        widths = {"day": 10, "month": 7, "year": 4}
        if by not in widths:
            raise ConfigError(f"a timeline goes by day, month or year, not {by!r}")
        return self._rows(Q.TIMELINE, {"width": widths[by], "type": type.upper() if type else None,
                                       "actor": _fold(actor) if actor else None,
                                       "country": country.upper() if country else None,
                                       "since": since, "until": until})

    def network(self, type: str | None = None, since: str | None = None, until: str | None = None,
                limit: int | None = 200) -> list[dict]:
        """Who acts on whom: one row per (source, target) pair of named actors, the most events first:
        source, target, n (events, negated ones left out), types (comma-separated PLOVER types),
        source_id and target_id (their corpus entities, where linked). type: one PLOVER type only."""
        return self._rows(Q.NETWORK, {"type": type.upper() if type else None, "since": since, "until": until,
                                      "limit": -1 if limit is None else int(limit)})

    def article_links(self, article_id: str) -> dict:
        """What an article links to in the corpus: ``entities`` (its entity id -> corpus entity id) and
        ``story`` (the other articles of its story: id, title, published, source, similarity)."""
        with self._reading(f"read the links of {article_id}") as conn:
            entities = {r[0]: r[1] for r in conn.execute(Q.ARTICLE_LINKS, (article_id,))} \
                if self.schema_version >= 9 else {}
            story = [dict(r) for r in conn.execute(Q.STORY_SIBLINGS, (article_id,))] \
                if self.schema_version >= 8 else []
        return {"entities": entities, "story": story}

    def find_entities(self, name: str, kind: str | None = None, limit: int | None = 10) -> list[dict]:
        """Corpus entities whose name (or the name an article gave them) contains ``name``, any case; an
        exact name first, then the most carried. Each row: id, name, kind, country, sector, n_articles,
        n_mentions, first_seen, last_seen. kind: person | country | place | org | group."""
        self._needs(9, "corpus entities")
        words = re.sub(r"([%_\\])", r"\\\1", name.strip())        # LIKE's wildcards taken literally
        return self._rows(Q.FIND_ENTITIES, {"name": words, "kind": kind, "limit": -1 if limit is None else int(limit)})

    def entity(self, corpus_id: int, limit: int | None = None) -> dict | None:
        """The record of one corpus entity: its summary, every alias, its quotes, its events as source
        and as target, and the places of its events and quotes (``limit``: at most so many of each)."""
        self._needs(9, "corpus entities")
        with self._reading(f"read corpus entity {corpus_id}") as conn:
            row = conn.execute(Q.ENTITY_SUMMARY, (corpus_id,)).fetchone()
            if row is None:
                return None
            params = {"id": corpus_id, "limit": -1 if limit is None else int(limit)}
            return {**dict(row),
                    "aliases": [dict(r) for r in conn.execute(Q.ENTITY_ALIASES, (corpus_id,))],
                    "quotes": [dict(r) for r in conn.execute(Q.ENTITY_QUOTES, params)],
                    "events_as_source": [dict(r) for r in conn.execute(Q.ENTITY_EVENTS.format(role="source"), params)],
                    "events_as_target": [dict(r) for r in conn.execute(Q.ENTITY_EVENTS.format(role="target"), params)],
                    "places": [dict(r) for r in conn.execute(Q.ENTITY_PLACES, params)]}

    def _needs(self, version: int, what: str) -> None:
        if self.schema_version < version:
            raise StoreError(f"{self.path}: store schema version {self.schema_version} has no {what}; "
                             "open it writable once (newsgraph ingest) to upgrade it")

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
            if self.schema_version >= 8:
                out["stories"] = conn.execute("SELECT COUNT(DISTINCT story_id) FROM article_stories").fetchone()[0]
            if self.schema_version >= 9:
                out["corpus_entities"] = conn.execute(
                    "SELECT COUNT(DISTINCT corpus_id) FROM entity_links").fetchone()[0]
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
