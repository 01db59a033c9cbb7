"""SQL text and the pure-Python mapping of an Analysis to table rows (no I/O here).

``rows_of(analysis)`` does all the work that can fail on a bad analysis (JSON serialisation,
missing attributes) before the store opens a write transaction, so the write lock is held only
for the INSERTs themselves.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone

from ..model import Analysis, Span
from ..tables import TABLES, row

CONTENT_JOIN = " … "

# The stored tables' columns, in insert order: the one spec (newsgraph/tables.py).
COLUMNS = TABLES
CHILD_TABLES = tuple(t for t in COLUMNS if t != "articles")
COUNTED_TABLES = ("articles", *CHILD_TABLES, "errors")


def _insert(table: str, verb: str = "INSERT") -> str:
    cols = COLUMNS[table]
    names = ", ".join(f'"{c}"' for c in cols)
    marks = ", ".join("?" for _ in cols)
    return f"{verb} INTO {table} ({names}) VALUES ({marks})"


# articles.seq is assigned inside the write transaction (BEGIN IMMEDIATE holds the write lock,
# so MAX(seq)+1 cannot race with another writer).
INSERT_ARTICLE = (
    "INSERT OR IGNORE INTO articles ("
    + ", ".join(f'"{c}"' for c in COLUMNS["articles"]) + ', "seq") VALUES ('
    + ", ".join("?" for _ in COLUMNS["articles"])
    + ", (SELECT COALESCE(MAX(seq), 0) + 1 FROM articles))"
)
INSERT_CHILD = {t: _insert(t, "INSERT OR IGNORE" if t == "entities" else "INSERT")
                for t in CHILD_TABLES}

UPSERT_ERROR = """
INSERT INTO errors (origin, article_id, code, message, first_seen, last_seen, count)
VALUES (?, ?, ?, ?, ?, ?, 1)
ON CONFLICT (origin, article_id, code) DO UPDATE SET
    count = count + 1, last_seen = excluded.last_seen, message = excluded.message
"""

SELECT_ANALYSIS = "SELECT analysis FROM articles WHERE id = ?"
SELECT_ANALYSES_AFTER = "SELECT seq, analysis, stored_at FROM articles WHERE seq > ? ORDER BY seq LIMIT ?"
DELETE_ARTICLE = "DELETE FROM articles WHERE id = ?"

SEARCH = """
SELECT a.id, a.title, a.published, a.url,
       snippet(articles_fts, -1, '[', ']', '…', :tokens) AS snippet
FROM articles_fts JOIN articles a ON a.seq = articles_fts.rowid
WHERE articles_fts MATCH :match
ORDER BY bm25(articles_fts)
LIMIT :limit OFFSET :offset
"""

QUOTES = """
SELECT a.published, a.title, a.url, q.*
FROM quotes q JOIN articles a ON a.id = q.article_id
WHERE (:attitudes OR q.kind IS NOT 'attitude') AND {once}
  {kinds}
  AND (:speaker IS NULL OR instr(ng_fold(q.speaker_name), :speaker) > 0{by_entity})
  AND (:since IS NULL OR a.published >= :since) AND (:until IS NULL OR substr(a.published, 1, 10) <= :until)
ORDER BY a.published IS NULL, a.published, q.article_id, q.idx
LIMIT :limit OFFSET :offset
"""

EVENTS = """
SELECT a.published, a.title, a.url, v.*
FROM events v JOIN articles a ON a.id = v.article_id
WHERE (:actor IS NULL OR instr(ng_fold(coalesce(v.source_name, v.source_text)), :actor) > 0
                      OR instr(ng_fold(coalesce(v.target_name, v.target_text, '')), :actor) > 0)
  AND (:source IS NULL OR instr(ng_fold(coalesce(v.source_name, v.source_text)), :source) > 0)
  AND (:target IS NULL OR instr(ng_fold(coalesce(v.target_name, v.target_text, '')), :target) > 0)
  AND (:type IS NULL OR v.type = :type)
  AND (:country IS NULL OR v.source_country = :country OR v.target_country = :country)
  AND (:since IS NULL OR a.published >= :since) AND (:until IS NULL OR substr(a.published, 1, 10) <= :until)
  AND (:negated OR v.negated = 0)
ORDER BY a.published IS NULL, a.published, v.article_id, v.idx
LIMIT :limit OFFSET :offset
"""

FIGURES = """
SELECT a.published, a.title, a.url, f.*
FROM figures f JOIN articles a ON a.id = f.article_id
WHERE (:unit IS NULL OR f.unit = :unit)
  AND (:kind IS NULL OR f.kind = :kind)
  AND (:measure IS NULL OR instr(ng_fold(f.measure), :measure) > 0)
  AND (:since IS NULL OR a.published >= :since) AND (:until IS NULL OR substr(a.published, 1, 10) <= :until)
ORDER BY a.published IS NULL, a.published, f.article_id, f.start
LIMIT :limit OFFSET :offset
"""

PLACES = """
SELECT COALESCE(p.name, p.text) AS name, p.feature, p.country, p.region, p.geonameid,
       CASE WHEN MAX(p.estimated) THEN NULL ELSE ROUND(AVG(p.lat), 4) END AS lat,
       CASE WHEN MAX(p.estimated) THEN NULL ELSE ROUND(AVG(p.lon), 4) END AS lon,
       COUNT(*) AS mentions, COUNT(DISTINCT p.article_id) AS articles, MAX(p.estimated) AS estimated,
       COALESCE(p.role, 'literal') AS role
FROM places p JOIN articles a ON a.id = p.article_id
WHERE (:country IS NULL OR p.country = :country)
  AND (:feature IS NULL OR p.feature = :feature)
  AND (:role IS NULL OR COALESCE(p.role, 'literal') = :role)
  AND (:since IS NULL OR a.published >= :since) AND (:until IS NULL OR substr(a.published, 1, 10) <= :until)
GROUP BY COALESCE(p.name, p.text), p.feature, p.country, p.region, p.geonameid, COALESCE(p.role, 'literal')
ORDER BY mentions DESC, articles DESC, name
LIMIT :limit OFFSET :offset
"""

ERRORS = "SELECT * FROM errors ORDER BY last_seen DESC, id DESC LIMIT ?"

TOP_ENTITIES = """
SELECT name, label, SUM(n_mentions) AS n FROM entities
GROUP BY name, label ORDER BY n DESC, name LIMIT ?
"""
TOP_SPEAKERS = """
SELECT speaker_name AS name, COUNT(*) AS n FROM quotes
WHERE speaker_name IS NOT NULL AND kind IS NOT 'attitude' AND {once}
GROUP BY speaker_name ORDER BY n DESC, speaker_name LIMIT ?
"""


def once(schema_version: int, alias: str = "") -> str:
    """The condition that counts a quote told again in a repeated sentence once (stores of schema
    version 4 and later mark the later tellings in quotes.repeat_of; older ones have no such column)."""
    return f"{alias}repeat_of IS NULL" if schema_version >= 4 else "1"


# A speaker named by any alias: the quote's speaker is linked to a corpus entity of that name.
BY_SPEAKER_ENTITY = """
       OR EXISTS (SELECT 1 FROM entity_links l JOIN corpus_entities c ON c.id = l.corpus_id
                  WHERE l.article_id = q.article_id AND l.entity_id = q.speaker_entity
                    AND instr(ng_fold(c.name), :speaker) > 0)"""


# The kinds of cue a listing keeps (schema version 12; before it, every quote counts as speech).
KINDS = "AND (:kinds IS NULL OR q.kind = 'attitude' OR coalesce(q.cue_kind, 'speech') IN (SELECT value FROM json_each(:kinds)))"


def kinds_clause(schema_version: int) -> str:
    return KINDS if schema_version >= 12 else "AND (:kinds IS NULL OR 'speech' IN (SELECT value FROM json_each(:kinds)))"


def quotes_query(schema_version: int) -> str:
    return QUOTES.format(once=once(schema_version, "q."), kinds=kinds_clause(schema_version),
                         by_entity=BY_SPEAKER_ENTITY if schema_version >= 9 else "")


def top_speakers(schema_version: int) -> str:
    return TOP_SPEAKERS.format(once=once(schema_version))


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _span(s: Span | None) -> tuple:
    return (s.start, s.end, s.text) if s is not None else (None, None, None)


def _actor(a) -> tuple:
    if a is None:
        return (None,) * 5
    return (a.text, a.name, a.entity, a.country, a.sector)


@dataclass(slots=True)
class Rows:
    """Everything to insert for one analysis."""
    id: str
    article: tuple
    children: dict[str, list[tuple]] = field(default_factory=dict)


def rows_of(a: Analysis, stored_at: str | None = None) -> Rows:
    """Map one analysis to table rows. Raises (TypeError, ValueError, ...) on a bad analysis."""
    art = a.article
    if not isinstance(art.id, str) or not art.id:
        raise ValueError(f"article id must be a non-empty string, got {art.id!r}")
    if not isinstance(art.text, str):
        raise ValueError(f"article {art.id}: text must be a string")
    analysis_json = json.dumps(a.to_dict(), ensure_ascii=False, allow_nan=False)
    aid = art.id
    article = row("articles", id=aid, title=art.title, url=art.url, published=art.published, source=art.source,
                  author=art.author, origin=art.origin, text=art.text, analysis=analysis_json,
                  n_words=len(art.text.split()), stored_at=stored_at or now())
    ch: dict[str, list[tuple]] = {t: [] for t in CHILD_TABLES}
    for e in a.entities:
        ch["entities"].append(row("entities", article_id=aid, entity_id=e.id, name=e.name, label=e.label,
                                  kind=e.kind, country=e.country, sector=e.sector, title=e.title,
                                  nationality=e.nationality, gender=e.gender, number=e.number,
                                  stands_for=e.stands_for, n_mentions=len(e.mentions)))
        for m in e.mentions:
            ch["mentions"].append(row("mentions", article_id=aid, entity_id=e.id, start=m.start, end=m.end,
                                      text=m.text, kind=m.kind, sentence=m.sentence, head=m.head,
                                      acts_as=m.acts_as))
    for i, d in enumerate(a.duplicates):
        first_start, first_end, first_text = _span(d.spans[0] if d.spans else None)
        for s in d.spans[1:]:
            ch["duplicates"].append(row("duplicates", article_id=aid, idx=i, kind=d.kind, start=s.start,
                                        end=s.end, text=s.text, first_start=first_start, first_end=first_end,
                                        first_text=first_text, similarity=d.similarity))
    n_quotes = len(a.quotes)
    for i, q in enumerate(a.quotes + a.attitudes):     # attitudes: kind 'attitude', after the quotes
        content = list(q.content or [])
        repeat_of = None if q.repeat_of is None else q.repeat_of + (n_quotes if i >= n_quotes else 0)
        cue_start, cue_end, cue_text = _span(q.cue)
        speaker_start, speaker_end, speaker_text = _span(q.speaker)
        ch["quotes"].append(row(
            "quotes", article_id=aid, idx=i, kind=q.kind,
            content_start=min((s.start for s in content), default=None),
            content_end=max((s.end for s in content), default=None),
            content_text=CONTENT_JOIN.join(s.text for s in content) if content else None,
            cue_start=cue_start, cue_end=cue_end, cue_text=cue_text, cue_lemma=q.cue_lemma,
            speaker_start=speaker_start, speaker_end=speaker_end, speaker_text=speaker_text,
            speaker_name=q.speaker_name, speaker_entity=q.speaker_entity, sentence=q.sentence,
            confidence=q.confidence, date=q.date, place=q.place, repeat_of=repeat_of, cue_kind=q.cue_kind))
    for i, ev in enumerate(a.events):
        actors = {f"{role}_{k}": v for role, actor in (("source", ev.source), ("target", ev.target))
                  for k, v in zip(("text", "name", "entity", "country", "sector"), _actor(actor))}
        trigger_start, trigger_end, trigger_text = _span(ev.trigger)
        sentence_start, sentence_end, _ = _span(ev.sentence)
        ch["events"].append(row(
            "events", article_id=aid, idx=i, type=ev.type, mode=ev.mode, cameo=ev.cameo, **actors,
            trigger_start=trigger_start, trigger_end=trigger_end, trigger_text=trigger_text,
            sentence_start=sentence_start, sentence_end=sentence_end, negated=1 if ev.negated else 0,
            modality=ev.modality, date=ev.date, confidence=ev.confidence,
            place=(ev.location.name or ev.location.text) if ev.location is not None else None))
    for p in a.places:
        ch["places"].append(row("places", article_id=aid, start=p.start, end=p.end, text=p.text, name=p.name,
                                geonameid=p.geonameid, lat=p.lat, lon=p.lon, country=p.country,
                                feature=p.feature, region=p.region, estimated=int(p.estimated), role=p.role))
    for t in a.times:
        ch["times"].append(row("times", article_id=aid, start=t.start, end=t.end, text=t.text, type=t.type,
                               value=t.value))
    for f in a.figures:
        ch["figures"].append(row("figures", article_id=aid, start=f.start, end=f.end, text=f.text,
                                 value=None if f.value is None else float(f.value),   # REAL: an int past 2**63 would not bind
                                 unit=f.unit, measure=f.measure, kind=f.kind, qualifier=f.qualifier,
                                 approximate=1 if f.approximate else 0))
    return Rows(aid, article, ch)


STORIES = """
SELECT story_id, n_articles, n_sources, first_published, last_published, title
FROM stories
WHERE n_articles >= :min_articles AND (:since IS NULL OR first_published >= :since)
  AND (:until IS NULL OR substr(first_published, 1, 10) <= :until)
ORDER BY n_articles DESC, n_sources DESC, first_published, story_id
LIMIT :limit OFFSET :offset
"""

# Every event with its story group's counts (same story, type, code, actors and negation): GDELT's
# NumMentions (events in the group), NumArticles and NumSources, and the group's first telling (the
# earliest stored article's first such event), which is the one an export writes as the event.
EVENT_STORY_COUNTS = """
WITH e AS (
    SELECT v.article_id, v.idx, a.seq * 100000 + v.idx AS at, s.story_id, v.type, v.cameo, v.source_name,
           v.target_name, v.negated, a.source
    FROM events v JOIN articles a ON a.id = v.article_id JOIN article_stories s ON s.article_id = v.article_id),
g AS (
    SELECT story_id, type, cameo, source_name, target_name, negated, COUNT(*) AS n_mentions,
           COUNT(DISTINCT article_id) AS n_articles, COUNT(DISTINCT coalesce(source, '')) AS n_sources,
           MIN(at) AS first_at
    FROM e GROUP BY story_id, type, cameo, source_name, target_name, negated)
SELECT e.article_id, e.idx, g.n_mentions, g.n_articles, g.n_sources,
       (SELECT id FROM articles WHERE seq = g.first_at / 100000) AS first_article, g.first_at % 100000 AS first_idx
FROM e JOIN g ON g.story_id = e.story_id AND g.type IS e.type AND g.cameo IS e.cameo
             AND g.source_name IS e.source_name AND g.target_name IS e.target_name AND g.negated = e.negated
"""


# Corpus entities whose name, or the name of an article's entity linked to them, contains the words
# given (LIKE: any case for ASCII letters); the most carried first. The matches are found first and only
# they are counted.
FIND_ENTITIES = """
WITH found AS (
    SELECT c.id FROM corpus_entities c WHERE c.name LIKE '%' || :name || '%' ESCAPE '\\'
    UNION
    SELECT l.corpus_id FROM entities e
    JOIN entity_links l ON l.article_id = e.article_id AND l.entity_id = e.entity_id
    WHERE e.name LIKE '%' || :name || '%' ESCAPE '\\')
SELECT c.id, c.name, c.kind, c.country, c.sector,
       COUNT(DISTINCT l.article_id) AS n_articles, SUM(e.n_mentions) AS n_mentions,
       MIN(a.published) AS first_seen, MAX(a.published) AS last_seen
FROM found f
JOIN corpus_entities c ON c.id = f.id
JOIN entity_links l ON l.corpus_id = c.id
JOIN entities e ON e.article_id = l.article_id AND e.entity_id = l.entity_id
JOIN articles a ON a.id = l.article_id
WHERE (:kind IS NULL OR c.kind = :kind)
GROUP BY c.id
ORDER BY lower(c.name) = lower(:name) DESC, n_articles DESC, n_mentions DESC, c.id
LIMIT :limit
"""

ENTITY_SUMMARY = "SELECT * FROM corpus_entity_summary WHERE id = ?"

ENTITY_ALIASES = """
SELECT m.text AS alias, COUNT(*) AS n_mentions, COUNT(DISTINCT l.article_id) AS n_articles
FROM entity_links l JOIN mentions m ON m.article_id = l.article_id AND m.entity_id = l.entity_id
WHERE l.corpus_id = ? AND m.kind = 'name'
GROUP BY m.text ORDER BY n_mentions DESC, alias
"""

ENTITY_QUOTES = """
SELECT a.published, a.title, a.url, q.*
FROM entity_links l
JOIN quotes q ON q.article_id = l.article_id AND q.speaker_entity = l.entity_id
JOIN articles a ON a.id = q.article_id
WHERE l.corpus_id = :id AND q.kind IS NOT 'attitude' AND q.repeat_of IS NULL
ORDER BY a.published IS NULL, a.published, q.article_id, q.idx
LIMIT :limit
"""

ENTITY_EVENTS = """
SELECT a.published, a.title, a.url, v.*
FROM entity_links l
JOIN events v ON v.article_id = l.article_id AND v.{role}_entity = l.entity_id
JOIN articles a ON a.id = v.article_id
WHERE l.corpus_id = :id AND v.negated = 0
ORDER BY a.published IS NULL, a.published, v.article_id, v.idx
LIMIT :limit
"""

# Where the entity's events happened and its quotes were made, with how many of them.
ENTITY_PLACES = """
SELECT place, COUNT(*) AS n FROM (
    SELECT v.place FROM entity_links l
    JOIN events v ON v.article_id = l.article_id AND (v.source_entity = l.entity_id OR v.target_entity = l.entity_id)
    WHERE l.corpus_id = :id AND v.place IS NOT NULL AND v.negated = 0
    UNION ALL
    SELECT q.place FROM entity_links l
    JOIN quotes q ON q.article_id = l.article_id AND q.speaker_entity = l.entity_id
    WHERE l.corpus_id = :id AND q.place IS NOT NULL AND q.kind IS NOT 'attitude' AND q.repeat_of IS NULL)
GROUP BY place ORDER BY n DESC, place
"""


# How many articles, quotes or events a day or a month (by publication; undated ones left out).
COUNTS = {
    "articles": """
SELECT substr(a.published, 1, :width) AS period, COUNT(*) AS n
FROM articles a
WHERE a.published IS NOT NULL AND (:since IS NULL OR a.published >= :since)
  AND (:until IS NULL OR substr(a.published, 1, 10) <= :until)
GROUP BY period ORDER BY period""",
    "quotes": """
SELECT substr(a.published, 1, :width) AS period, COUNT(*) AS n
FROM quotes q JOIN articles a ON a.id = q.article_id
WHERE a.published IS NOT NULL AND q.kind IS NOT 'attitude' AND q.repeat_of IS NULL
  AND (:since IS NULL OR a.published >= :since) AND (:until IS NULL OR substr(a.published, 1, 10) <= :until)
  AND (:type IS NULL OR q.kind = :type)
  {kinds}
GROUP BY period ORDER BY period""",
    "events": """
SELECT substr(a.published, 1, :width) AS period, COUNT(*) AS n
FROM events v JOIN articles a ON a.id = v.article_id
WHERE a.published IS NOT NULL AND v.negated = 0
  AND (:since IS NULL OR a.published >= :since) AND (:until IS NULL OR substr(a.published, 1, 10) <= :until)
  AND (:type IS NULL OR v.type = :type)
GROUP BY period ORDER BY period""",
}

SEARCH_QUOTES = """
SELECT a.published, a.title, a.url, q.*,
       snippet(quotes_fts, 1, '[', ']', '…', :tokens) AS snippet
FROM quotes_fts
JOIN articles a ON a.seq = quotes_fts.rowid / 100000
JOIN quotes q ON q.article_id = a.id AND q.idx = quotes_fts.rowid % 100000
WHERE quotes_fts MATCH :match AND (:attitudes OR (q.kind IS NOT 'attitude' AND q.repeat_of IS NULL))
ORDER BY bm25(quotes_fts)
LIMIT :limit OFFSET :offset
"""

# The event timeline: events by when they happened, that is the date the text gives them where it is
# as precise as the period asked (a day, a month, a year), else the article's publication date.
TIMELINE = """
SELECT period, COUNT(*) AS n FROM (
    SELECT CASE WHEN v.date GLOB '[0-9][0-9][0-9][0-9]*' AND length(v.date) >= :width
                THEN substr(v.date, 1, :width) ELSE substr(a.published, 1, :width) END AS period
    FROM events v JOIN articles a ON a.id = v.article_id
    WHERE v.negated = 0 AND (:type IS NULL OR v.type = :type)
      AND (:actor IS NULL OR instr(ng_fold(coalesce(v.source_name, v.source_text)), :actor) > 0
                          OR instr(ng_fold(coalesce(v.target_name, v.target_text, '')), :actor) > 0)
      AND (:country IS NULL OR v.source_country = :country OR v.target_country = :country))
WHERE period IS NOT NULL AND length(period) = :width
  AND (:since IS NULL OR period >= substr(:since, 1, :width)) AND (:until IS NULL OR period <= substr(:until, 1, :width))
GROUP BY period ORDER BY period
"""

# Who acts on whom: one row per (source, target) pair of named actors, with how many events (not
# negated) and of which types. A side is its corpus entity where the article's entity is linked to one
# (so "Putin" and "Vladimir Putin" are one node), else its name.
NETWORK = """
SELECT coalesce(cs.name, v.source_name) AS source, coalesce(ct.name, v.target_name) AS target, COUNT(*) AS n,
       group_concat(DISTINCT v.type) AS types, ls.corpus_id AS source_id, lt.corpus_id AS target_id
FROM events v JOIN articles a ON a.id = v.article_id
LEFT JOIN entity_links ls ON ls.article_id = v.article_id AND ls.entity_id = v.source_entity
LEFT JOIN entity_links lt ON lt.article_id = v.article_id AND lt.entity_id = v.target_entity
LEFT JOIN corpus_entities cs ON cs.id = ls.corpus_id
LEFT JOIN corpus_entities ct ON ct.id = lt.corpus_id
WHERE v.negated = 0 AND v.source_name IS NOT NULL AND v.target_name IS NOT NULL
  AND coalesce(ls.corpus_id, v.source_name) IS NOT coalesce(lt.corpus_id, v.target_name)
  AND (:type IS NULL OR v.type = :type)
  AND (:since IS NULL OR a.published >= :since) AND (:until IS NULL OR substr(a.published, 1, 10) <= :until)
GROUP BY coalesce(ls.corpus_id, v.source_name), coalesce(lt.corpus_id, v.target_name)
ORDER BY n DESC, source, target
LIMIT :limit
"""

# An article's entities and the corpus entities they are linked to.
ARTICLE_LINKS = "SELECT entity_id, corpus_id FROM entity_links WHERE article_id = ?"

# The other articles of an article's story, the earliest first.
STORY_SIBLINGS = """
SELECT a.id, a.title, a.published, a.source, s.similarity, s.story_id
FROM article_stories me
JOIN article_stories s ON s.story_id = me.story_id AND s.article_id != me.article_id
JOIN articles a ON a.id = s.article_id
WHERE me.article_id = ?
ORDER BY a.seq
"""
