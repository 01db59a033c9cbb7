"""Datasette metadata for a newsgraph store: labels, column descriptions, facets, full-text search and
canned queries, so that ``datasette news.db --metadata metadata.json`` opens on a usable record.
``newsgraph datasette-metadata --db news.db`` prints it; docs/datasette.md shows the commands.
"""
from __future__ import annotations

from pathlib import Path

# What each column holds, for the tables an analyst opens first; offsets are characters into the
# article's text (the evidence), 0-based, end excluded.
COLUMNS: dict[str, dict[str, str]] = {
    "articles": {
        "seq": "order of storing; the full-text index's key",
        "id": "the article's id: its JSONL id, else sha1: of its text",
        "published": "publication date (YYYY-MM-DD or a datetime)",
        "origin": "where it was read: file, file:line, WARC record",
        "analysis": "the whole analysis as JSON (newsgraph's schema); large",
        "label": "the title, else the first line of the text: what links to the article show",
        "n_words": "words in the text",
    },
    "quotes": {
        "kind": "direct, indirect, mixed; attitude for an attributed stance with no reported proposition",
        "content_text": "what was said (several spans joined with ' … ')",
        "cue_text": "the word(s) reporting it: said, told, according to",
        "speaker_text": "the speaker as the text names them there (may be a pronoun)",
        "speaker_name": "the speaker's resolved name",
        "speaker_entity": "the speaker's entity id in this article (entities.entity_id)",
        "sentence": "index of the sentence of the cue",
        "repeat_of": "idx of an earlier quote of this article that this one repeats; counted once",
        "confidence": "the cue tagger's probability",
    },
    "events": {
        "type": "PLOVER event type (AGREE ... ASSAULT)",
        "mode": "PLOVER mode of the type, where one applies",
        "cameo": "CAMEO code",
        "source_name": "who acts", "target_name": "who is acted on",
        "source_country": "ISO 3166 alpha-3 of the source", "target_country": "ISO 3166 alpha-3 of the target",
        "trigger_text": "the word(s) the event is coded from",
        "negated": "1 when the text says it did not happen",
        "modality": "asserted, reported, intended, hypothetical or historical",
        "date": "TIMEX3 value of the event's date, when the text gives one",
        "sentence_start": "start of the evidence sentence", "sentence_end": "end of the evidence sentence",
    },
    "places": {
        "name": "the GeoNames name of the place", "geonameid": "GeoNames id",
        "feature": "continent, area, country, region, district, city, venue or place",
        "country": "ISO 3166 alpha-3", "role": "literal (names the place) or associative (a demonym: 'Russian')",
        "estimated": "1 when the coordinates are a guess (a region's centre)",
    },
    "times": {"type": "TIMEX3 type: DATE, TIME, DURATION, SET", "value": "TIMEX3 value, resolved against the "
                                                                          "publication date"},
    "figures": {"value": "the number", "unit": "normalised unit: percent, USD, km, people ...",
                "measure": "what the number measures", "kind": "percent, money, quantity or count"},
}

QUERIES: dict[str, dict] = {
    "top_speakers": {
        "title": "Top speakers",
        "description": "Who is quoted most: quotes of speech and writing, each repeat counted once, attitudes left out.",
        "sql": "SELECT speaker_name, COUNT(*) AS quotes, COUNT(DISTINCT article_id) AS articles\n"
               "FROM quotes\nWHERE speaker_name IS NOT NULL AND kind IS NOT 'attitude' AND repeat_of IS NULL\n"
               "GROUP BY speaker_name\nORDER BY quotes DESC, speaker_name\nLIMIT 100",
    },
    "events_per_month": {
        "title": "Events per month",
        "description": "Events by month of publication and PLOVER type (negated events left out).",
        "sql": "SELECT month, type, COUNT(*) AS events\nFROM events_in_context\nWHERE negated = 0\n"
               "GROUP BY month, type\nORDER BY month, events DESC",
    },
    "quotes_of": {
        "title": "Quotes of a speaker",
        "description": "Every quote whose speaker's name contains the words given, with its evidence and article.",
        "sql": "SELECT published, speaker_name, kind, content_text, evidence, title, url, article_id\n"
               "FROM quotes_in_context\nWHERE speaker_name LIKE '%' || :name || '%' AND kind IS NOT 'attitude'\n"
               "ORDER BY published, article_id, idx",
    },
    "entity_record": {
        "title": "An entity across the store",
        "description": "Every corpus entity named like the words given, with its articles, mentions and dates.",
        "sql": "SELECT s.*, (SELECT group_concat(alias, ' | ') FROM (SELECT alias FROM corpus_aliases a WHERE "
               "a.corpus_id = s.id ORDER BY n_mentions DESC LIMIT 8)) AS aliases\n"
               "FROM corpus_entity_summary s\nWHERE s.name LIKE '%' || :name || '%'\nORDER BY s.n_articles DESC",
    },
    "events_of": {
        "title": "Events of an actor",
        "description": "Every event whose source or target name contains the words given, with its evidence.",
        "sql": "SELECT published, source_name, type, target_name, trigger_text, evidence, title, url, article_id\n"
               "FROM events_in_context\n"
               "WHERE source_name LIKE '%' || :name || '%' OR target_name LIKE '%' || :name || '%'\n"
               "ORDER BY published, article_id, idx",
    },
}


def metadata(db_path: str | Path) -> dict:
    """Datasette metadata for the store at ``db_path`` (Datasette names a database by its file's stem)."""
    name = Path(db_path).stem
    tables = {
        "articles": {"label_column": "label", "fts_table": "articles_fts", "fts_pk": "seq",
                     "sort_desc": "published", "facets": ["source"],
                     "description": "One row per article; search it with the box above (title and text)."},
        "quotes": {"facets": ["kind", "speaker_name"],
                   "description": "Who said what. kind 'attitude' marks stances without a reported proposition; "
                                  "quotes_in_context adds each quote's date, article and evidence."},
        "events": {"facets": ["type", "source_country", "target_country"],
                   "description": "Who did what to whom (PLOVER / CAMEO); events_in_context adds each event's "
                                  "date, month, article and evidence sentence."},
        "places": {"facets": ["country", "feature", "role"], "description": "Places named, with GeoNames ids."},
        "entities": {"facets": ["label", "country"], "description": "People, organizations and places of each article."},
        "times": {"facets": ["type"], "description": "Dates and times, normalised to TIMEX3."},
        "figures": {"facets": ["kind", "unit"], "description": "Numbers with their unit and what they measure."},
        "errors": {"facets": ["code"], "description": "Inputs that could not be read or analysed; codes in "
                                                      "docs/errors.md."},
        "quotes_in_context": {"facets": ["month", "kind"]},
        "events_in_context": {"facets": ["month", "type"]},
        "stories": {"description": "Wire copies and updated versions of one report, grouped: one row per story, "
                                   "with the articles and sources that carried it."},
        "story_quotes": {"facets": ["speaker_name"], "description": "Each quote once per story, with the number "
                                                                    "of articles and sources that carried it."},
        "story_events": {"facets": ["type"], "description": "Each event once per story (GDELT's NumArticles and "
                                                            "NumSources)."},
        "corpus_entities": {"label_column": "name", "facets": ["kind", "country", "sector"],
                            "description": "One record per actor across the store's articles (people by full "
                                           "name, countries by code, organizations and places by name)."},
        "corpus_entity_summary": {"facets": ["kind", "country"], "sort_desc": "n_articles"},
        "corpus_aliases": {"description": "Every name a corpus entity goes by, with its mentions."},
        "entity_links": {"description": "Which corpus entity each article's entity is."},
        "migrations": {"hidden": True},
        "story_signatures": {"hidden": True},
        "story_bands": {"hidden": True},
    }
    for table, cols in COLUMNS.items():
        tables[table]["columns"] = cols
    for index in ("articles_fts", "quotes_fts"):
        for part in ("data", "idx", "docsize", "config", "content"):
            tables[f"{index}_{part}"] = {"hidden": True}
    tables["quotes_fts"] = {"hidden": True}
    return {
        "title": "newsgraph",
        "description": "Who said what, who did what to whom, where and when: quotes, events, places, times and "
                       "figures, each with its evidence (character offsets) in the article.",
        "databases": {name: {"tables": tables, "queries": QUERIES}},
    }
