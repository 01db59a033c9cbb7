"""The one spec of the stored tables: each table's columns, in insert order.

``store/schema.sql`` creates these tables (with their types, keys and indexes), ``store/queries.py``
maps an Analysis onto them with ``row(table, **values)``, which refuses a row whose names differ
from the spec, and ``tests/test_schema.py`` checks that a new store has exactly these columns and
that the JSON Schema of the analysis names exactly the fields of ``model.py``. A new column goes here,
in schema.sql, in a named migration (``store/db.py``) and in ``rows_of``; the tests say which is missing.
"""
from __future__ import annotations

TABLES: dict[str, tuple[str, ...]] = {
    "articles": ("id", "title", "url", "published", "source", "author", "origin", "text",
                 "analysis", "n_words", "stored_at"),
    "entities": ("article_id", "entity_id", "name", "label", "kind", "country", "sector", "title",
                 "nationality", "gender", "number", "stands_for", "n_mentions"),
    "mentions": ("article_id", "entity_id", "start", "end", "text", "kind", "sentence", "head",
                 "acts_as"),
    "duplicates": ("article_id", "idx", "kind", "start", "end", "text", "first_start",
                   "first_end", "first_text", "similarity"),
    "quotes": ("article_id", "idx", "kind", "content_start", "content_end", "content_text",
               "cue_start", "cue_end", "cue_text", "cue_lemma", "speaker_start", "speaker_end",
               "speaker_text", "speaker_name", "speaker_entity", "sentence", "confidence", "date", "place",
               "repeat_of", "cue_kind"),
    "events": ("article_id", "idx", "type", "mode", "cameo",
               "source_text", "source_name", "source_entity", "source_country", "source_sector",
               "target_text", "target_name", "target_entity", "target_country", "target_sector",
               "trigger_start", "trigger_end", "trigger_text", "sentence_start", "sentence_end",
               "negated", "modality", "date", "place", "confidence"),
    "places": ("article_id", "start", "end", "text", "name", "geonameid", "lat", "lon", "country",
               "feature", "region", "estimated", "role"),
    "times": ("article_id", "start", "end", "text", "type", "value"),
    "figures": ("article_id", "start", "end", "text", "value", "unit", "measure", "kind", "qualifier",
                "approximate"),
}

# The errors table: one row per (origin, article id, code), counted; not an analysis's table.
ERROR_COLUMNS: tuple[str, ...] = ("origin", "article_id", "code", "message", "first_seen", "last_seen", "count")


def row(table: str, **values) -> tuple:
    """One row of ``table`` from named values, in the spec's order; every column named, no other."""
    names = TABLES[table]
    if values.keys() != set(names):
        missing, extra = set(names) - values.keys(), values.keys() - set(names)
        raise ValueError(f"row of {table}: missing {sorted(missing)}, unknown {sorted(extra)}")
    return tuple(values[n] for n in names)
