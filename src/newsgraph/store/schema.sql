-- newsgraph store schema, version 6 (PRAGMA user_version = 6).
-- Every statement is idempotent (IF NOT EXISTS): it runs when a store is created or upgraded.
-- A store of an older version is upgraded on its first writable open by the named steps of
-- store/db.py MIGRATIONS, then this script; the migrations table records each upgrade.
-- The tables' columns are specified once, in newsgraph/tables.py (tests/test_schema.py checks this file).
-- Offsets ("start"/"end") are 0-based, end-exclusive character offsets into articles.text.
-- The articles.analysis column holds the full Analysis.to_dict() JSON; every other table is a
-- flattened, queryable copy of part of it (for SQL, Datasette and the HTTP API).

-- One row per stored article. "seq" is its rowid (INTEGER PRIMARY KEY: stable across VACUUM) and the
-- key of the full-text index, so Datasette and sqlite-utils, which join a table to its index by rowid,
-- find the right articles; "id" is the article's own id, which the other tables refer to.
CREATE TABLE IF NOT EXISTS articles (
    seq         INTEGER PRIMARY KEY,
    id          TEXT NOT NULL UNIQUE,
    title       TEXT,
    url         TEXT,
    published   TEXT,               -- ISO date or datetime
    source      TEXT,
    author      TEXT,
    origin      TEXT,               -- where it was read: path, path:line, WARC record
    text        TEXT NOT NULL,
    analysis    TEXT NOT NULL,      -- JSON: Analysis.to_dict()
    n_words     INTEGER NOT NULL,
    stored_at   TEXT NOT NULL,      -- UTC ISO timestamp
    -- what links to the article show (Datasette's label): its title, else its first line
    label       TEXT GENERATED ALWAYS AS (coalesce(title, substr(text, 1, min(100, instr(text || char(10), char(10)) - 1)))) VIRTUAL
);
CREATE INDEX IF NOT EXISTS articles_published ON articles(published);
CREATE INDEX IF NOT EXISTS articles_source ON articles(source);

CREATE TABLE IF NOT EXISTS entities (
    article_id  TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    entity_id   TEXT NOT NULL,      -- "e1", "e2" ... unique inside the article
    name        TEXT NOT NULL,
    label       TEXT,               -- PERSON | ORG | GPE | LOC | FAC | NORP | GROUP
    kind        TEXT,               -- person | country | capital | city | place | organization | group
    country     TEXT,               -- ISO 3166 alpha-3
    sector      TEXT,
    title       TEXT,
    nationality TEXT,
    gender      TEXT,
    number      TEXT,
    stands_for  TEXT,               -- entity_id of the state a capital stands for
    n_mentions  INTEGER NOT NULL,
    PRIMARY KEY (article_id, entity_id)
);
CREATE INDEX IF NOT EXISTS entities_name ON entities(name);
CREATE INDEX IF NOT EXISTS entities_label ON entities(label);
CREATE INDEX IF NOT EXISTS entities_country ON entities(country);

CREATE TABLE IF NOT EXISTS mentions (
    article_id  TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    entity_id   TEXT NOT NULL,
    "start"     INTEGER NOT NULL,
    "end"       INTEGER NOT NULL,
    text        TEXT,
    kind        TEXT,               -- name | title | nominal | pronoun | demonym
    sentence    INTEGER,            -- sentence index
    head        TEXT,
    acts_as     TEXT                -- entity_id this mention stands for as an actor
);
CREATE INDEX IF NOT EXISTS mentions_article_entity ON mentions(article_id, entity_id);

-- Repeated sentences inside an article: one row per repeat, pointing at the first telling.
CREATE TABLE IF NOT EXISTS duplicates (
    article_id  TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    idx         INTEGER NOT NULL,   -- index of the duplicate group in the analysis
    kind        TEXT,
    "start"     INTEGER NOT NULL,
    "end"       INTEGER NOT NULL,
    text        TEXT,
    first_start INTEGER,
    first_end   INTEGER,
    first_text  TEXT,
    similarity  REAL
);
CREATE INDEX IF NOT EXISTS duplicates_article ON duplicates(article_id);

CREATE TABLE IF NOT EXISTS quotes (
    article_id     TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    idx            INTEGER NOT NULL,
    kind           TEXT,            -- direct | indirect | mixed | attitude (Analysis.attitudes)
    content_start  INTEGER,         -- start of the first content span
    content_end    INTEGER,         -- end of the last content span
    content_text   TEXT,            -- all content spans joined with " … "
    cue_start      INTEGER,
    cue_end        INTEGER,
    cue_text       TEXT,
    cue_lemma      TEXT,
    speaker_start  INTEGER,
    speaker_end    INTEGER,
    speaker_text   TEXT,
    speaker_name   TEXT,
    speaker_entity TEXT,
    sentence       INTEGER,
    confidence     REAL,
    date           TEXT,               -- TIMEX3 value of when it was said, when the sentence says
    place          TEXT,               -- where it was said
    repeat_of      INTEGER,            -- in a repeated sentence: idx of the first telling (schema version 5); counted once
    cue_kind       TEXT,               -- speech | writing | thought | knowledge; null for an attitude (version 12)
    PRIMARY KEY (article_id, idx)
);
CREATE INDEX IF NOT EXISTS quotes_speaker_name ON quotes(speaker_name COLLATE NOCASE);

CREATE TABLE IF NOT EXISTS events (
    article_id     TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    idx            INTEGER NOT NULL,
    type           TEXT NOT NULL,   -- PLOVER type
    mode           TEXT,
    cameo          TEXT,
    source_text    TEXT,
    source_name    TEXT,
    source_entity  TEXT,
    source_country TEXT,
    source_sector  TEXT,
    target_text    TEXT,
    target_name    TEXT,
    target_entity  TEXT,
    target_country TEXT,
    target_sector  TEXT,
    trigger_start  INTEGER,
    trigger_end    INTEGER,
    trigger_text   TEXT,
    sentence_start INTEGER,
    sentence_end   INTEGER,
    negated        INTEGER NOT NULL DEFAULT 0,   -- 0 | 1
    modality       TEXT,
    date           TEXT,
    place          TEXT,
    confidence     REAL,
    PRIMARY KEY (article_id, idx)
);
CREATE INDEX IF NOT EXISTS events_type ON events(type);
CREATE INDEX IF NOT EXISTS events_source_country ON events(source_country);
CREATE INDEX IF NOT EXISTS events_target_country ON events(target_country);

CREATE TABLE IF NOT EXISTS places (
    article_id  TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    "start"     INTEGER NOT NULL,
    "end"       INTEGER NOT NULL,
    text        TEXT,
    name        TEXT,
    geonameid   INTEGER,
    lat         REAL,
    lon         REAL,
    country     TEXT,               -- ISO 3166-1 alpha-3
    feature     TEXT,               -- continent | area | country | region | district | city | venue | place
    region      TEXT,               -- the state, province or oblast of a district or town
    estimated   INTEGER,            -- 1: not in the gazetteer; lat/lon are the article's focus
    role        TEXT                -- literal | associative (a demonym standing for its country); NULL: literal
);
CREATE INDEX IF NOT EXISTS places_article ON places(article_id);
CREATE INDEX IF NOT EXISTS places_geonameid ON places(geonameid);
CREATE INDEX IF NOT EXISTS places_country ON places(country);

CREATE TABLE IF NOT EXISTS times (
    article_id  TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    "start"     INTEGER NOT NULL,
    "end"       INTEGER NOT NULL,
    text        TEXT,
    type        TEXT,               -- DATE | TIME | DURATION | SET
    value       TEXT                -- TIMEX3 value
);
CREATE INDEX IF NOT EXISTS times_article ON times(article_id);
CREATE INDEX IF NOT EXISTS times_value ON times(value);

CREATE TABLE IF NOT EXISTS figures (
    article_id  TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    "start"     INTEGER NOT NULL,
    "end"       INTEGER NOT NULL,
    text        TEXT,
    value       REAL,               -- in the unit: 5e9 for "$5bn"
    unit        TEXT,               -- percent | ISO 4217 code | km, t, ... | people | the counted noun
    measure     TEXT,               -- what the number measures
    kind        TEXT,               -- percent | money | quantity | count (schema version 2)
    qualifier   TEXT,               -- about | almost | at least | more than | less than | up to
    approximate INTEGER             -- 0 | 1
);
CREATE INDEX IF NOT EXISTS figures_article ON figures(article_id);
CREATE INDEX IF NOT EXISTS figures_unit ON figures(unit);

-- Per-article input errors. A rerun that meets the same bad input bumps count/last_seen.
-- origin/article_id are '' (not NULL) when unknown, so the UNIQUE key matches them.
CREATE TABLE IF NOT EXISTS errors (
    id          INTEGER PRIMARY KEY,
    origin      TEXT NOT NULL DEFAULT '',
    article_id  TEXT NOT NULL DEFAULT '',
    code        TEXT NOT NULL,      -- E101 ... see docs/errors.md
    message     TEXT NOT NULL,
    first_seen  TEXT NOT NULL,
    last_seen   TEXT NOT NULL,
    count       INTEGER NOT NULL DEFAULT 1,
    UNIQUE (origin, article_id, code)
);
CREATE INDEX IF NOT EXISTS errors_code ON errors(code);

-- Full-text index over title and text; external content = articles, rowid = articles.seq. Written
-- content="articles", as Datasette and sqlite-utils look for it when they detect a table's index.
CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5(
    title, text,
    content="articles", content_rowid="seq",
    tokenize = 'porter unicode61 remove_diacritics 2'
);
CREATE TRIGGER IF NOT EXISTS articles_fts_insert AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts(rowid, title, text) VALUES (new.seq, new.title, new.text);
END;
CREATE TRIGGER IF NOT EXISTS articles_fts_delete AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text)
        VALUES ('delete', old.seq, old.title, old.text);
END;
CREATE TRIGGER IF NOT EXISTS articles_fts_update AFTER UPDATE OF seq, title, text ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text)
        VALUES ('delete', old.seq, old.title, old.text);
    INSERT INTO articles_fts(rowid, title, text) VALUES (new.seq, new.title, new.text);
END;

-- Full-text index over what was said and who said it (a copy: quotes have no stable rowid of their
-- own). Its rowid is the article's seq * 100000 + the quote's idx, so an article's quotes are one range.
CREATE VIRTUAL TABLE IF NOT EXISTS quotes_fts USING fts5(
    speaker_name, content_text,
    tokenize = 'porter unicode61 remove_diacritics 2'
);
CREATE TRIGGER IF NOT EXISTS quotes_fts_insert AFTER INSERT ON quotes BEGIN
    INSERT INTO quotes_fts(rowid, speaker_name, content_text)
        VALUES ((SELECT seq FROM articles WHERE id = new.article_id) * 100000 + new.idx,
                new.speaker_name, new.content_text);
END;
CREATE TRIGGER IF NOT EXISTS quotes_fts_delete BEFORE DELETE ON articles BEGIN
    DELETE FROM quotes_fts WHERE rowid BETWEEN old.seq * 100000 AND old.seq * 100000 + 99999;
END;

-- Views for browsing (Datasette).
CREATE VIEW IF NOT EXISTS quotes_by_speaker AS
    SELECT speaker_name,
           COUNT(*) AS n_quotes,
           COUNT(DISTINCT article_id) AS n_articles
    FROM quotes
    WHERE speaker_name IS NOT NULL AND kind IS NOT 'attitude' AND repeat_of IS NULL
    GROUP BY speaker_name
    ORDER BY n_quotes DESC, speaker_name;

CREATE VIEW IF NOT EXISTS entity_mentions AS
    SELECT name, label, country,
           SUM(n_mentions) AS n_mentions,
           COUNT(DISTINCT article_id) AS n_articles
    FROM entities
    GROUP BY name, label, country
    ORDER BY n_mentions DESC, name;

CREATE VIEW IF NOT EXISTS article_summary AS
    SELECT a.id, a.title, a.published, a.source, a.n_words,
           (SELECT COUNT(*) FROM entities e WHERE e.article_id = a.id) AS n_entities,
           (SELECT COUNT(*) FROM quotes q WHERE q.article_id = a.id AND q.repeat_of IS NULL
                                                AND q.kind IS NOT 'attitude') AS n_quotes,
           (SELECT COUNT(*) FROM quotes q WHERE q.article_id = a.id AND q.kind = 'attitude') AS n_attitudes,
           (SELECT COUNT(*) FROM events v WHERE v.article_id = a.id) AS n_events,
           (SELECT COUNT(*) FROM places p WHERE p.article_id = a.id) AS n_places
    FROM articles a
    ORDER BY a.published, a.id;

-- Each quote (and attitude) with its article's date, month, title and URL, and its evidence: the text
-- from the first to the last of its speaker, cue and content.
CREATE VIEW IF NOT EXISTS quotes_in_context AS
    SELECT q.article_id, q.idx, a.published, substr(a.published, 1, 7) AS month, a.title, a.url,
           q.kind, q.speaker_name, q.speaker_entity, q.cue_text, q.content_text, q.date, q.place,
           q.confidence, q.repeat_of,
           substr(a.text, x.lo + 1, x.hi - x.lo) AS evidence, x.lo AS evidence_start, x.hi AS evidence_end
    FROM quotes q
    JOIN articles a ON a.id = q.article_id
    JOIN (SELECT article_id, idx,
                 min(coalesce(speaker_start, cue_start, content_start), coalesce(cue_start, content_start),
                     coalesce(content_start, cue_start)) AS lo,
                 max(coalesce(speaker_end, cue_end, content_end), coalesce(cue_end, content_end),
                     coalesce(content_end, cue_end)) AS hi
          FROM quotes) x ON x.article_id = q.article_id AND x.idx = q.idx;

-- Each event with its article's date, month, title and URL, and its evidence: the sentence it is coded from.
CREATE VIEW IF NOT EXISTS events_in_context AS
    SELECT v.article_id, v.idx, a.published, substr(a.published, 1, 7) AS month, a.title, a.url,
           v.type, v.mode, v.cameo, v.source_name, v.source_country, v.target_name, v.target_country,
           v.trigger_text, v.negated, v.modality, v.date, v.place, v.confidence,
           substr(a.text, v.sentence_start + 1, v.sentence_end - v.sentence_start) AS evidence,
           v.sentence_start AS evidence_start, v.sentence_end AS evidence_end
    FROM events v
    JOIN articles a ON a.id = v.article_id;

-- Stories (store/stories.py): each article's MinHash signature and LSH band keys, and the story it
-- belongs to (named by the id of the story's first article). Kept with the article: deleted with it.
CREATE TABLE IF NOT EXISTS story_signatures (
    article_id  TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    signature   BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS story_bands (
    band        TEXT NOT NULL,
    article_id  TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS story_bands_band ON story_bands(band);
CREATE INDEX IF NOT EXISTS story_bands_article ON story_bands(article_id);
CREATE TABLE IF NOT EXISTS article_stories (
    article_id  TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    story_id    TEXT NOT NULL,      -- id of the story's first article
    similarity  REAL                -- estimated Jaccard similarity to the article it joined (null: first)
);
CREATE INDEX IF NOT EXISTS article_stories_story ON article_stories(story_id);

-- One row per story: how many articles and sources carried it, when, under which first title.
-- Sources are told apart by articles.source (an article without one counts as one unnamed source).
CREATE VIEW IF NOT EXISTS stories AS
    SELECT s.story_id,
           COUNT(*) AS n_articles,
           COUNT(DISTINCT coalesce(a.source, '')) AS n_sources,
           MIN(a.published) AS first_published,
           MAX(a.published) AS last_published,
           (SELECT f.title FROM articles f WHERE f.id = s.story_id) AS title
    FROM article_stories s JOIN articles a ON a.id = s.article_id
    GROUP BY s.story_id;

-- Each quote once per story (the same speaker and words in several copies), with the number of
-- articles and sources that carried it; attitudes and repeats within an article left out.
CREATE VIEW IF NOT EXISTS story_quotes AS
    SELECT s.story_id, q.speaker_name, q.content_text,
           MIN(q.kind) AS kind,
           COUNT(DISTINCT q.article_id) AS n_articles,
           COUNT(DISTINCT coalesce(a.source, '')) AS n_sources,
           MIN(a.published) AS first_published
    FROM quotes q
    JOIN article_stories s ON s.article_id = q.article_id
    JOIN articles a ON a.id = q.article_id
    WHERE q.kind IS NOT 'attitude' AND q.repeat_of IS NULL
    GROUP BY s.story_id, q.speaker_name, q.content_text;

-- Each event once per story (the same type, actors and code in several copies), with the number of
-- articles and sources that carried it: GDELT's NumArticles and NumSources, without double counting.
CREATE VIEW IF NOT EXISTS story_events AS
    SELECT s.story_id, v.type, v.cameo, v.source_name, v.target_name, v.negated,
           COUNT(DISTINCT v.article_id) AS n_articles,
           COUNT(DISTINCT coalesce(a.source, '')) AS n_sources,
           MIN(a.published) AS first_published
    FROM events v
    JOIN article_stories s ON s.article_id = v.article_id
    JOIN articles a ON a.id = v.article_id
    GROUP BY s.story_id, v.type, v.cameo, v.source_name, v.target_name, v.negated;

-- Corpus entities (store/corpus.py): one record per real-world actor across the store's articles, with a
-- stable id; each article's entity is linked to one. key: how entities find it ("person:vladimir putin");
-- surname: the last word of a person's full name, for one-word names ("Putin").
CREATE TABLE IF NOT EXISTS corpus_entities (
    id          INTEGER PRIMARY KEY,
    key         TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,      -- the name first seen in full
    kind        TEXT NOT NULL,      -- person | country | place | org | group | other
    country     TEXT,               -- ISO 3166 alpha-3, the first an article gave
    sector      TEXT,
    surname     TEXT
);
CREATE INDEX IF NOT EXISTS corpus_entities_surname ON corpus_entities(surname);
CREATE TABLE IF NOT EXISTS entity_links (
    article_id  TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    entity_id   TEXT NOT NULL,      -- entities.entity_id in that article ("e1")
    corpus_id   INTEGER NOT NULL REFERENCES corpus_entities(id),
    PRIMARY KEY (article_id, entity_id)
);
CREATE INDEX IF NOT EXISTS entity_links_corpus ON entity_links(corpus_id);

-- Every name a corpus entity goes by: the names its articles' entities have and the names their mentions
-- use ("Putin", "Mr Putin", "Vladimir Putin"), with how many mentions use each.
CREATE VIEW IF NOT EXISTS corpus_aliases AS
    SELECT l.corpus_id, m.text AS alias, COUNT(*) AS n_mentions, COUNT(DISTINCT l.article_id) AS n_articles
    FROM entity_links l
    JOIN mentions m ON m.article_id = l.article_id AND m.entity_id = l.entity_id
    WHERE m.kind = 'name'
    GROUP BY l.corpus_id, m.text;

-- One row per corpus entity: how many articles and mentions, first and last seen.
CREATE VIEW IF NOT EXISTS corpus_entity_summary AS
    SELECT c.id, c.name, c.kind, c.country, c.sector,
           COUNT(DISTINCT l.article_id) AS n_articles,
           SUM(e.n_mentions) AS n_mentions,
           MIN(a.published) AS first_seen,
           MAX(a.published) AS last_seen
    FROM corpus_entities c
    JOIN entity_links l ON l.corpus_id = c.id
    JOIN entities e ON e.article_id = l.article_id AND e.entity_id = l.entity_id
    JOIN articles a ON a.id = l.article_id
    GROUP BY c.id;

-- One row per upgrade of this store (or one for its creation): the version reached, what changed, when.
CREATE TABLE IF NOT EXISTS migrations (
    version     INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    applied_at  TEXT NOT NULL       -- UTC ISO timestamp
);
