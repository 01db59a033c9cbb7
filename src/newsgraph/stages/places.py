"""Places: every toponym the article names, resolved to a GeoNames id and coordinates.

The toponyms are the name mentions of the entities the entity stage found as countries, capitals,
cities and other places (a capital used as an actor, "Moscow says", is still a place where it is
named), districts named in full, and towns at the head of a local organization's name. Each is looked
up in the gazetteer (knowledge/gazetteer.py: continents and areas, countries, first- and second-level
regions, towns of 1,000 people or more), and its candidates are chosen among in three steps:

1. a qualifier settles it: "Paris, Tenn.", "London, Ky.", "Donetsk, Ukraine" keep only the candidates
   inside the region or country after the comma;
2. a ranker (weights in knowledge/place_ranker.json) weighs each candidate's size and kind against the
   article's context: how many of the other toponyms could lie in its country, its region or near it.
   A second pass adds what the others were read as in the first. An article about Kentucky makes
   "London" the Kentucky town and "Georgia" the state; one about Russia's war makes "Georgia" the
   country;
3. a toponym the gazetteer lacks gets the article's focus, marked as an estimate.

Demonyms ("Chinese exports") are not toponyms, only clues to the countries. Pure; no I/O.
"""
from __future__ import annotations

import math
import re

import numpy as np
from collections import Counter
from dataclasses import dataclass

from spacy.tokens import Doc

from ..knowledge import Knowledge
from ..knowledge.gazetteer import GeoName, key
from ..model import Analysis, Place
from . import stage

PLACE_KINDS = {"country", "capital", "city", "place"}
FEATURE = {"continent": "continent", "macro": "area", "country": "country", "admin1": "region",
           "admin2": "district", "city": "city"}

# What the ranker weighs for each candidate (knowledge/place_ranker.json holds the weights that
# scripts/train_place_ranker.py fitted): its size (log10 population / 7; 1 for a country or continent),
# its kind, whether it is a national capital, in the country the entity stage gave the mention, the
# shares of the article's other toponyms that could lie in its country, in its first-level region and
# within NEAR_KM of it, their mean closeness (exp(-km / CLOSE_KM) to the nearest of each one's
# candidates), whether only a shortened name matched ("Laurel" for "Laurel County"), whether it
# is the most populous namesake, and whether the text is its main name rather than an alternate one.
FEATURES = ("size", "continent", "country", "admin1", "admin2", "city", "capital", "entity_country",
            "country_support", "region_support", "near", "closeness", "short_name", "largest", "main_name")
# The second pass adds what the other toponyms were read as in the first: the shares in the same
# country, the same first-level region, within NEAR_KM, and their mean closeness.
CONTEXT = ("chosen_country", "chosen_region", "chosen_near", "chosen_closeness")
COL = {f: i for i, f in enumerate(FEATURES + CONTEXT)}
NEAR_KM = 150.0
CLOSE_KM = 300.0
NEAR_CANDIDATES = 15
MAX_CANDIDATES = 40

# Second-level regions named in full, whatever the entity stage made of them ("Rapides Parish").
DISTRICT = re.compile(r"\b(?:(?:St\.|Saint|[A-Z][a-z]+)\s){1,3}(?:County|Parish|Borough)\b")
QUALIFIER = re.compile(r"\s*,\s*((?:[A-Z][a-z]*\.\s?)+[A-Z]?[a-z]*\.?|[A-Z]{2}\b|[A-Z][\w.'-]+(?:\s[A-Z][\w.'-]+)*)")


@dataclass
class Toponym:
    place: Place
    candidates: list[GeoName]
    country_hint: str | None = None
    choice: GeoName | None = None
    context_only: bool = False      # a demonym ("Canadian partners"): a clue to the countries, not a place


@stage("places", assigns="places", requires=["entities"])
def find_places(doc: Doc, analysis: Analysis, kb: Knowledge) -> list[Place]:
    found = toponyms(doc, analysis, kb)
    resolve(found, kb.gazetteer.capitals, kb.place_ranker)
    home = focus(found)
    if home is not None:
        found = sorted(found + _local_names(analysis, kb.gazetteer, home), key=lambda t: t.place.start)
    out = []
    for t in found:
        if t.context_only:
            continue
        g = t.choice
        if g is None and home is not None:
            # A place the gazetteer lacks (a river, a park, a township) is most likely near the
            # article's other places: it gets the article's focus, marked as an estimate.
            t.place.lat, t.place.lon, t.place.estimated = home.lat, home.lon, True
        if g is not None:
            c = kb.country_by_iso2.get(g.cc)
            t.place.geonameid, t.place.lat, t.place.lon = g.geonameid, g.lat, g.lon
            t.place.feature = FEATURE[g.kind]
            t.place.country = c.iso3 if c is not None else t.place.country
            t.place.name = g.name
            if g.admin1 and g.kind in ("admin2", "city"):
                t.place.region = g.admin1
        out.append(t.place)
    return out


def toponyms(doc: Doc, analysis: Analysis, kb: Knowledge) -> list[Toponym]:
    """The article's toponyms, in text order, each with its gazetteer candidates (only those inside a
    qualifier, when one follows)."""
    gaz = kb.gazetteer
    out: list[Toponym] = []
    for e in analysis.entities:
        if e.kind not in PLACE_KINDS:
            continue
        hint = kb.country_by_iso3.get(e.country or "")
        for m in e.mentions:
            if m.kind == "demonym" and e.kind == "country":
                country = [g for g in gaz.lookup(e.name) if g.kind == "country"][:1]
                if country:
                    out.append(Toponym(Place(start=m.start, end=m.end, text=m.text), country, context_only=True))
                continue
            if m.kind != "name":
                continue
            place = Place(start=m.start, end=m.end, text=m.text, name=e.name, country=e.country,
                          feature="country" if e.kind == "country" else e.kind)
            cands = gaz.lookup(m.text) or gaz.lookup(e.name) or gaz.lookup_part(m.text)
            out.append(Toponym(place, _qualified(cands, doc.text, m.end, gaz),
                               hint.iso2 if hint is not None else None))
    taken = [(t.place.start, t.place.end) for t in out]
    for m in DISTRICT.finditer(doc.text):
        cands = [g for g in gaz.lookup(m.group(0)) if g.kind == "admin2" and g.exact]
        if cands and not any(s < m.end() and m.start() < e for s, e in taken):
            out.append(Toponym(Place(start=m.start(), end=m.end(), text=m.group(0)),
                               _qualified(cands, doc.text, m.end(), gaz)))
    return sorted(out, key=lambda t: t.place.start)


def _local_names(analysis: Analysis, gaz, home: GeoName) -> list[Toponym]:
    """Places named at the head of an organization's name ("Gainesville Police", "Dublin City
    Council"), where a town of that name lies in the article's area: within NEAR_KM of its focus."""
    out = []
    here = np.radians(np.array([[home.lat, home.lon]]))
    for e in analysis.entities:
        if e.kind != "organization":
            continue
        for m in e.mentions:
            words = m.text.split()
            for n in range(len(words) - 1, 0, -1):
                cands = [g for g in gaz.lookup(" ".join(words[:n])) if g.kind in ("admin1", "admin2", "city")]
                if not cands:
                    continue
                dist = _km(here, np.radians(np.array([[g.lat, g.lon] for g in cands])))[0]
                if dist.min() <= NEAR_KM:
                    end = m.start + len(" ".join(words[:n]))
                    if m.text[:end - m.start] == " ".join(words[:n]):
                        t = Toponym(Place(start=m.start, end=end, text=m.text[:end - m.start]), cands)
                        t.choice = cands[int(dist.argmin())]
                        out.append(t)
                break
    return out


def _qualified(cands: list[GeoName], text: str, end: int, gaz) -> list[GeoName]:
    """The candidates inside the region or country named right after the toponym and a comma ("Paris,
    Tenn." keeps Paris, Tennessee), or all of them when no qualifier follows or none lies inside it."""
    m = QUALIFIER.match(text, end)
    qualifiers = gaz.regions(m.group(1)) if m is not None else []
    return [g for g in cands if any(_inside(g, q) for q in qualifiers)] or cands


def _inside(g: GeoName, q: GeoName) -> bool:
    if q.kind == "country":
        return g.cc == q.cc and g is not q
    return g.cc == q.cc and g.admin1 == q.admin1 and g.kind != "admin1"


@dataclass
class _Name:
    """One distinct toponym of the article with its candidates, for the context features."""
    key: str
    candidates: list[GeoName]
    countries: dict[str, float]
    regions: dict[tuple[str, str], float]
    latlon: np.ndarray            # (n, 2) radians
    holds: set                    # the countries (cc) and regions ((cc, admin1)) among the candidates


def _names(toponyms: list[Toponym]) -> dict[str, _Name]:
    out: dict[str, _Name] = {}
    for t in toponyms:
        k = key(t.place.text)
        if k in out or not t.candidates:
            continue
        cands = t.candidates[:MAX_CANDIDATES]
        countries = {g.cc for g in cands}
        regions = {(g.cc, g.admin1) for g in cands if g.kind != "country"}
        out[k] = _Name(k, cands, {c: 1 / len(countries) for c in countries},
                       {r: 1 / len(regions) for r in regions},
                       np.radians(np.array([[g.lat, g.lon] for g in cands[:NEAR_CANDIDATES]])),
                       {g.cc if g.kind == "country" else (g.cc, g.admin1)
                        for g in cands if g.kind in ("country", "admin1")})
    return out


def features(t: Toponym, names: dict[str, _Name], capitals: set[int],
             chosen: dict[str, GeoName] | None = None) -> np.ndarray:
    """One row per candidate of the toponym: FEATURES, then CONTEXT when the first pass's choices
    (``chosen``: name key -> candidate) are given."""
    k = key(t.place.text)
    cands = t.candidates[:MAX_CANDIDATES]
    others = [n for n in names.values() if n.key != k]
    width = len(FEATURES) + (len(CONTEXT) if chosen is not None else 0)
    rows = np.zeros((len(cands), width))
    if not cands:
        return rows
    here = np.radians(np.array([[g.lat, g.lon] for g in cands]))
    near, closeness = np.zeros(len(cands)), np.zeros(len(cands))
    for n in others:
        nearest = _km(here, n.latlon).min(axis=1)
        if n.holds:      # a country or region lies around every place inside it
            inside = np.array([g.cc in n.holds or (g.cc, g.admin1) in n.holds for g in cands])
            nearest = np.where(inside, 0.0, nearest)
        near += nearest <= NEAR_KM
        closeness += np.exp(-nearest / CLOSE_KM)
    largest = max(g.population for g in cands)
    for i, g in enumerate(cands):
        r = rows[i]
        r[COL["size"]] = math.log10(g.population + 10) / 7 if g.kind not in ("country", "continent", "macro") else 1.0
        r[COL["continent" if g.kind == "macro" else g.kind]] = 1.0
        r[COL["capital"]] = g.geonameid in capitals
        r[COL["entity_country"]] = t.country_hint is not None and g.cc == t.country_hint
        if others:
            r[COL["country_support"]] = sum(g.cc in n.countries for n in others) / len(others)
            if g.kind not in ("country", "continent", "macro"):
                r[COL["region_support"]] = sum(n.regions.get((g.cc, g.admin1), 0.0) ** 0.5 for n in others) / len(others)
            r[COL["near"]] = near[i] / len(others)
            r[COL["closeness"]] = closeness[i] / len(others)
        r[COL["short_name"]] = not g.exact
        r[COL["largest"]] = g.population == largest and g.kind not in ("country", "continent", "macro")
        r[COL["main_name"]] = key(g.name) == k
    if chosen is not None:
        picks = [c for n, c in chosen.items() if n != k]
        if picks:
            there = np.radians(np.array([[c.lat, c.lon] for c in picks]))
            dist = _km(here, there)
            for j, c in enumerate(picks):
                if c.kind in ("country", "admin1"):
                    dist[:, j] = np.where([g.cc == c.cc and (c.kind == "country" or g.admin1 == c.admin1)
                                           for g in cands], 0.0, dist[:, j])
            close, closeness = (dist <= NEAR_KM).sum(axis=1), np.exp(-dist / CLOSE_KM).sum(axis=1)
            for i, g in enumerate(cands):
                r = rows[i]
                r[COL["chosen_country"]] = sum(c.cc == g.cc for c in picks) / len(picks)
                if g.kind not in ("country", "continent", "macro"):
                    r[COL["chosen_region"]] = sum(c.cc == g.cc and c.admin1 == g.admin1 and c.kind != "country"
                                                  for c in picks) / len(picks)
                r[COL["chosen_near"]] = close[i] / len(picks)
                r[COL["chosen_closeness"]] = closeness[i] / len(picks)
    return rows


def _km(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Great-circle distances (km) between every row of a and every row of b (radians)."""
    dlat = a[:, None, 0] - b[None, :, 0]
    dlon = a[:, None, 1] - b[None, :, 1]
    h = np.sin(dlat / 2) ** 2 + np.cos(a[:, None, 0]) * np.cos(b[None, :, 0]) * np.sin(dlon / 2) ** 2
    return 12742.0 * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


def first_pass(toponyms: list[Toponym], names: dict[str, _Name], capitals: set[int],
               weights: np.ndarray) -> dict[str, GeoName]:
    """Each distinct name's best candidate on FEATURES alone."""
    chosen: dict[str, GeoName] = {}
    for t in toponyms:
        k = key(t.place.text)
        if t.candidates and k not in chosen:
            chosen[k] = t.candidates[int(np.argmax(features(t, names, capitals) @ weights))]
    return chosen


def resolve(toponyms: list[Toponym], capitals: set[int], ranker: tuple[np.ndarray, np.ndarray]) -> None:
    """Choose each toponym's candidate in two passes of the ranker: on FEATURES, then again with what
    the other toponyms were read as (CONTEXT)."""
    names = _names(toponyms)
    chosen = first_pass(toponyms, names, capitals, ranker[0])
    for t in toponyms:
        if t.candidates:
            t.choice = t.candidates[int(np.argmax(features(t, names, capitals, chosen) @ ranker[1]))]


def focus(toponyms: list[Toponym]) -> GeoName | None:
    """Where the article is: among its towns, districts and regions, the first-level region most of them
    lie in, and in it the one nearest to the others. None when the article names no place below a
    country."""
    local = [t.choice for t in toponyms if t.choice is not None and t.choice.kind in ("admin1", "admin2", "city")]
    if not local:
        return None
    votes = Counter((g.cc, g.admin1) for g in local)
    best = max(votes, key=lambda r: votes[r])
    members = [g for g in local if (g.cc, g.admin1) == best]
    pts = np.radians(np.array([[g.lat, g.lon] for g in members]))
    return members[int(np.argmin(_km(pts, pts).sum(axis=1)))]
