"""Places: every toponym the article names, resolved to a GeoNames id and coordinates.

The toponyms are the name mentions of the entities the entity stage found as countries, capitals,
cities and other places (a capital used as an actor, "Moscow says", is still a place where it is
named), districts named in full, regions named as regions ("the Lugansk region"), towns with a
compass word ("Bristol West"), venues and sites (knowledge/venues.tsv: "the Nou Camp"), and towns at
the head of a local organization's name. Each is looked up in the gazetteer (knowledge/gazetteer.py:
continents and areas, countries, first- and second-level regions, towns of 1,000 people or more):

1. the text narrows its candidates: a qualifier after a comma ("Paris, Tenn.", "Donetsk, Ukraine"),
   a region word after it; a country's or continent's own name is never a town of that name, a
   first-level region's never a small town in its country;
2. a ranker (weights in data/place_ranker.json) weighs each candidate's size and kind against the
   article's context: how many of the other toponyms could lie in its country, its region or near it.
   A second pass adds what the others were read as in the first. An article about Kentucky makes
   "London" the Kentucky town and "Georgia" the state; one about Russia's war makes "Georgia" the
   country. Then the countries the article names outweigh that prior: in an article about Britain
   "London" is in England;
3. names that mean something else here are dropped: a word of a person's full name in the article, a
   company or product news mostly means by that name (knowledge/not_places.tsv), a name before an
   eponym word ("the Hutton inquiry"), a name the gazetteer lacks unless it heads a natural feature;
4. one sense per article: the same name elsewhere in the text is the same place;
5. a toponym the gazetteer lacks gets the article's focus, marked as an estimate.

Demonyms ("Chinese exports", "the British minister") are places with role "associative", resolved to
their country, and clues to the countries for the ranker. Pure; no I/O.
"""
from __future__ import annotations

import json
import math
import re

import numpy as np
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from spacy.tokens import Doc

from ...knowledge import Knowledge, norm_name
from ...knowledge.gazetteer import GeoName, key
from ...errors import ConfigError
from ...model import Analysis, Place
from .. import stage
from ..common import PLACE_PREPOSITIONS, doc_text

PLACE_KINDS = {"country", "capital", "city", "place"}
FEATURE = {"continent": "continent", "macro": "area", "country": "country", "admin1": "region",
           "admin2": "district", "city": "city", "venue": "venue"}
BROAD = ("continent", "macro", "country")
BIG_TOWN = 100_000
# Entity recogniser labels of names whose words are no toponym of their own ("British Airways", "the Iraq
# Study Group", a film's title).
OWN_NAMES = {"PERSON", "ORG", "FAC", "WORK_OF_ART", "PRODUCT", "LAW", "NORP", "LANGUAGE"}
REGION_WORD = re.compile(r"\b[A-Za-z]+\b")
# The names before a region word: "Donetsk", "Donetsk, Kherson, Lugansk and Zaporizhzhia".
REGION_LIST = re.compile(r"((?<![\w'’.-])(?:[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*)*)(?:(?:, |,? and |,? or )[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*)*)*) $")
NEXT_WORD = re.compile(r"\s+([A-Za-z]+)\b")
PREVIOUS_WORD = re.compile(r"\b([A-Za-z]+)\s+(?:the\s+)?$")

# What the ranker weighs for each candidate (data/place_ranker.json holds the weights that
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
DATA = Path(__file__).parent / "data"


def place_ranker(kb: Knowledge):
    """The ranker's weights (data/place_ranker.json), numpy vectors in the order of FEATURES and of
    FEATURES + CONTEXT, read once per Knowledge."""
    def load(_):
        meta = json.loads((DATA / "place_ranker.json").read_text(encoding="utf-8"))
        if tuple(meta["features"]) != FEATURES or tuple(meta["context"]) != CONTEXT:
            raise ConfigError("stages/places/data/place_ranker.json was fitted on other features than the places "
                              "stage computes; rerun scripts/train_place_ranker.py")
        return np.array(meta["weights"], dtype=float), np.array(meta["context_weights"], dtype=float)
    return kb.resource("places.ranker", load)
NEAR_KM = 150.0
CLOSE_KM = 300.0
NEAR_CANDIDATES = 15
MAX_CANDIDATES = 40

# Second-level regions named in full, whatever the entity stage made of them ("Rapides Parish").
DISTRICT = re.compile(r"\b((?:(?:St\.|Saint|[A-Z][a-z]+)\s){1,3}(?:County|Parish|Borough))\b")
QUALIFIER = re.compile(r"\s*,\s*((?:[A-Z][a-z]*\.\s?)+[A-Z]?[a-z]*\.?|[A-Z]{2}\b|[A-Z][\w.'-]+(?:\s[A-Z][\w.'-]+)*)")


@dataclass
class Toponym:
    place: Place
    candidates: list[GeoName]
    country_hint: str | None = None
    choice: GeoName | None = None
    context_only: bool = False      # a demonym ("Canadian partners"): a clue to the countries, emitted as associative
    placed: bool = False            # the text places it: a preposition of place before it, a qualifier or a region word after


@stage("places", assigns="places", requires=["entities"])
def find_places(doc: Doc, analysis: Analysis, kb: Knowledge) -> list[Place]:
    gaz = kb.gazetteer
    sites = venues(doc, gaz)
    found = [t for t in toponyms(doc, analysis, kb) if not _overlaps(t.place, sites) and _plausible(t, kb)]
    resolve(found + sites, gaz.capitals, place_ranker(kb))
    _in_named_countries(found, gaz.capitals, place_ranker(kb))
    found = _without_other_names(found, doc, analysis, kb)
    found = sorted(found + sites + repeated(doc, found + sites), key=lambda t: t.place.start)
    home = focus(found)
    if home is not None:
        found = sorted(found + _local_names(analysis, gaz, home, found), key=lambda t: t.place.start)
    out = []
    for t in found:
        g = t.choice
        if g is None and home is not None:
            # A place the gazetteer lacks (a river, a park, a township) is most likely near the
            # article's other places: it gets the article's focus, marked as an estimate.
            t.place.lat, t.place.lon, t.place.estimated = home.lat, home.lon, True
        if g is not None:
            c = kb.country_by_iso2.get(g.cc)
            t.place.geonameid, t.place.lat, t.place.lon = g.geonameid, g.lat, g.lon
            t.place.feature = FEATURE[g.kind]
            # a continent or a macro-region lies in no one country, whatever the entity stage guessed
            t.place.country = c.iso3 if c is not None else None if g.kind in BROAD else t.place.country
            t.place.name = g.name
            if g.admin1 and g.kind in ("admin2", "city", "venue"):
                t.place.region = g.admin1
        if t.context_only:
            t.place.role = "associative"
        out.append(t.place)
    return out


def toponyms(doc: Doc, analysis: Analysis, kb: Knowledge) -> list[Toponym]:
    """The article's toponyms, in text order, each with its gazetteer candidates (only those inside a
    qualifier, when one follows; only regions when a region word follows, "the Lugansk region"), and
    its demonyms (context_only)."""
    gaz = kb.gazetteer
    text = doc_text(doc)
    out: list[Toponym] = []
    for e in analysis.entities:
        if e.kind not in PLACE_KINDS:
            continue
        hint = kb.country_by_iso3.get(e.country or "")
        for m in e.mentions:
            demonym = kb.demonym(m.text)
            if m.kind == "demonym" and e.kind == "country" or m.kind == "name" and demonym is not None:
                out += _demonym(m.start, m.end, text, demonym.name if demonym else e.name, gaz)
                continue
            if m.kind != "name":
                continue
            place = Place(start=m.start, end=m.end, text=m.text, name=e.name, country=e.country,
                          feature="country" if e.kind == "country" else e.kind)
            cands = gaz.lookup(m.text) or gaz.lookup(e.name) or gaz.lookup_part(m.text)
            out.append(_candidates(Toponym(place, cands, hint.iso2 if hint is not None else None), text, gaz, kb))
    taken = [t.place for t in out]
    compass = _compass(kb)
    for pattern, kinds in ((DISTRICT, ("admin2",)), (compass, ("city", "admin2"))):
        for m in pattern.finditer(text):
            cands = [g for g in gaz.lookup(m.group(1)) if g.kind in kinds and g.exact]
            if cands and m.group(1).split()[0] not in kb.given_names:     # "Scott West" is a person
                t = Toponym(Place(start=m.start(), end=m.end(), text=m.group(0)), cands)
                if pattern is compass:          # "Bristol West": a part of the town, with its coordinates
                    out = [x for x in out if not _overlaps(x.place, [t])]
                elif _overlaps(t.place, taken):
                    continue
                out.append(_candidates(t, text, gaz, kb))
    for t in _regions_named(text, kb):
        out = [x for x in out if not _overlaps(x.place, [t])] + [t]
    for m in _joined_countries(kb).finditer(text):
        # "Serbia and Montenegro", "Trinidad and Tobago": one country, not two
        t = Toponym(Place(start=m.start(), end=m.end(), text=m.group(0)), gaz.lookup(m.group(0)), placed=True)
        if t.candidates:
            out = [x for x in out if not _overlaps(x.place, [t])] + [t]
    out += _countries_in_events(doc, kb, [t.place for t in out])
    out += _loose_demonyms(doc, kb, [t.place for t in out])
    return sorted(out, key=lambda t: t.place.start)


def _demonym(start: int, end: int, text: str, country: str, gaz) -> list[Toponym]:
    found = [g for g in gaz.lookup(country) if g.kind == "country"][:1]
    return [Toponym(Place(start=start, end=end, text=text[start:end]), found, context_only=True)] if found else []


def _countries_in_events(doc: Doc, kb: Knowledge, taken: list[Place]) -> list[Toponym]:
    """Countries named inside what the entity recogniser calls an event ("the Iraq war", "the Kosovo
    conflict"): the war is in the country."""
    out = []
    for ent in doc.ents:
        if ent.label_ != "EVENT":
            continue
        for i in range(len(ent)):
            for n in (3, 2, 1):
                span = ent[i:i + n]
                if len(span) == n and span.text[:1].isupper() and kb.country(span.text) is not None:
                    place = Place(start=span.start_char, end=span.end_char, text=span.text)
                    found = [g for g in kb.gazetteer.lookup(span.text) if g.kind == "country"][:1]
                    if found and not _overlaps(place, taken + [t.place for t in out]):
                        out.append(Toponym(place, found))
                    break
    return out


def _loose_demonyms(doc: Doc, kb: Knowledge, taken: list[Place]) -> list[Toponym]:
    """Demonyms and adjectives of countries that no entity mention holds ("Russian troops", "the British
    minister"), outside names of organizations, works and the like ("British Airways")."""
    out = []
    text = doc_text(doc)
    for tok in doc:
        if not tok.text[:1].isupper() or tok.ent_type_ in OWN_NAMES - {"NORP"}:
            continue
        c = kb.demonym(tok.text)
        if c is None:
            continue
        place = Place(start=tok.idx, end=tok.idx + len(tok.text), text=tok.text)
        if not _overlaps(place, taken):
            out += _demonym(place.start, place.end, text, c.name, kb.gazetteer)
    return out


def _candidates(t: Toponym, text: str, gaz, kb: Knowledge) -> Toponym:
    """Narrow a toponym's candidates by what the text says around it: a qualifier after a comma ("London,
    Ky."), a region word after it ("the Lugansk region", "Donetsk oblast"; the span takes the word in). A
    country's or continent's own name means the country or continent, never a town of that name."""
    p = t.place
    qualified = _qualified(t.candidates, text, p.end, gaz)
    if qualified is not t.candidates:
        t.candidates, t.placed = qualified, True
        return t
    broad = [g for g in t.candidates if g.kind in BROAD and g.exact]
    if broad and not _named_as_town(p.text, text, kb):
        t.candidates = [g for g in t.candidates if g.kind in BROAD + ("admin1",)]
    else:
        # a first-level region's own name ("Wales", "Florida") means the region, not a small town of that
        # name in the same country
        regions = {g.cc for g in t.candidates if g.kind == "admin1" and g.exact}
        t.candidates = [g for g in t.candidates if g.kind != "city" or g.cc not in regions or g.population >= BIG_TOWN]
    t.placed = t.placed or _after_preposition(text, p.start)
    return t


def _named_as_town(name: str, text: str, kb: Knowledge) -> bool:
    """Whether the article names the place as local news names a town, anywhere: "a Palestine man",
    "Palestine police" (a country would take its demonym)."""
    for m in re.finditer(r"(?<![\w-])" + re.escape(name) + r"\s+([a-z]+)\b", text):
        if kb.toponym_words.get(m.group(1)) == "town":
            return True
    return False


def _after_preposition(text: str, start: int) -> bool:
    m = PREVIOUS_WORD.search(text[max(0, start - 40):start])
    return m is not None and m.group(1).lower() in PLACE_PREPOSITIONS


def _regions_named(text: str, kb: Knowledge) -> list[Toponym]:
    """Regions named as regions: a name before a region word ("the Lugansk region", "Donetsk oblast",
    "Washington state") or a list of names before its plural ("the Donetsk, Kherson, Lugansk and
    Zaporizhzhia regions") is the region of that name, not its namesake town. The word joins the span of
    the name right before it."""
    gaz = kb.gazetteer
    out = []
    for m in REGION_WORD.finditer(text):
        word = m.group(0)
        kind = kb.toponym_words.get(word.lower())
        if kind not in ("admin1", "admin2") or not word.islower() and kind == "admin2" or word == "State":
            continue    # a capitalized "County" or "District" is part of the name ("York County"): DISTRICT finds it
        before = REGION_LIST.search(text, max(0, m.start() - 200), m.start())
        if before is None:
            continue
        names = list(re.finditer(r"[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*)*", before.group(1)))
        if not word.lower().endswith("s") or word.lower() == "state":
            names = names[-1:]
        for i, n in enumerate(names):
            cands = [g for g in gaz.named_regions(n.group(0)) if g.kind == kind and (g.exact or kind == "admin2")]
            towns = {g.cc for g in gaz.lookup(n.group(0)) if g.kind == "city"}
            if not cands or towns and not any(g.cc in towns for g in cands):
                continue    # "the Charlotte region" is the metropolitan area, not a region of that name abroad
            cands = [g for g in cands if not towns or g.cc in towns]
            start = before.start(1) + n.start()
            end = m.end() if i == len(names) - 1 else before.start(1) + n.end()
            out.append(Toponym(Place(start=start, end=end, text=text[start:end]), cands, placed=True))
    return out


def _compass(kb: Knowledge) -> re.Pattern:
    """A town and a compass word (toponym_words.tsv) with no further name after it: a part of the town
    or a constituency ("Bristol West", "Leeds North West", "Cardiff Central"); group 1 is the town."""
    words = sorted((w.title() for w, k in kb.toponym_words.items() if k == "compass"), key=len, reverse=True)
    alt = "|".join(map(re.escape, words))
    return re.compile(r"\b([A-Z][a-z]+(?:[ -](?:upon-|on-)?(?!(?:" + alt + r")\b)[A-Z][a-z]+)?) (?:" + alt +
                      r")\b(?!['’-])(?!\s+[A-Z\d])")


def _joined_countries(kb: Knowledge) -> re.Pattern:
    """The names of countries that hold an "and" ("Bosnia and Herzegovina")."""
    names = sorted((n for c in kb.countries for n in (c.name, *c.aliases) if " and " in n), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(map(re.escape, names)) + r")\b")


def _overlaps(p: Place, others) -> bool:
    return any(p.start < (o.place.end if isinstance(o, Toponym) else o.end) and
               (o.place.start if isinstance(o, Toponym) else o.start) < p.end for o in others)


def _plausible(t: Toponym, kb: Knowledge) -> bool:
    """Whether a toponym may name a place at all: a proper name (not "the west coast"), and one the
    gazetteer holds or whose head is a word of natural features and settlements ("Kishwaukee River",
    "Pleasant Township"); a name the gazetteer lacks otherwise is mostly no place ("Windows XP", a
    film's title, a footballer's name)."""
    if t.context_only:
        return True
    if not any(ch.isupper() for ch in t.place.text):
        return False
    if all(kb.toponym_words.get(w.lower()) == "compass" for w in t.place.text.split()):
        return False        # "the South East", "Northern": a part of whatever the article is about
    if t.candidates:
        return True
    words = [kb.toponym_words.get(w.lower()) == "feature" for w in t.place.text.split()]
    return any(words) and not all(words)


def venues(doc: Doc, gaz) -> list[Toponym]:
    """Stadiums, halls and sites the text names (venues.tsv): places with no GeoNames id, at their town."""
    out = []
    for m in gaz.venue_pattern.finditer(doc_text(doc)):
        g = gaz.venues[m.group(0)]
        t = Toponym(Place(start=m.start(), end=m.end(), text=m.group(0), name=g.name), [g], choice=g, placed=True)
        out.append(t)
    return out


def _in_named_countries(found: list[Toponym], capitals: set[int], ranker) -> None:
    """The article's countries outweigh the prior of the ranker: a town or region read as lying in a
    country that the article neither names (as a country, its capital or a demonym) nor places any other
    toponym in is read again among its candidates in the countries the article names. In an article
    about Britain, "London" is the English capital even with no other English town beside it."""
    named = {t.choice.cc for t in found if t.choice is not None and (t.choice.kind == "country" or
                                                                    t.choice.geonameid in capitals)}
    if not named:
        return
    names = _names(found)
    for t in found:
        g = t.choice
        if g is None or t.context_only or g.kind not in ("admin1", "admin2", "city") or g.cc in named or t.placed:
            continue
        if any(o.choice is not None and o is not t and o.choice.cc == g.cc and key(o.place.text) != key(t.place.text)
               for o in found):
            continue
        inside = [i for i, c in enumerate(t.candidates[:MAX_CANDIDATES]) if c.cc in named]
        if inside:
            scores = features(t, names, capitals) @ ranker[0]
            t.choice = t.candidates[max(inside, key=lambda i: scores[i])]


def _without_other_names(found: list[Toponym], doc: Doc, analysis: Analysis, kb: Knowledge) -> list[Toponym]:
    """Drop toponyms that name something else here: a word of a person's name the article gives in full
    ("Davenport" after "Lindsay Davenport", "Serena" after "Serena Williams"); a company, product or
    work news mostly means by that name (not_places.tsv: "Delta", "Windows"); a name before an eponym
    word ("the Hutton inquiry"). Countries, continents, first-level regions and capitals stay, and so
    does a name the text places ("in Davenport", "Delta, B.C.")."""
    people = _person_words(doc, analysis, kb)
    home = focus([t for t in found if key(t.place.text) not in kb.not_places and t.place.text not in people])
    literal = [t for t in found if not t.context_only and t.choice is not None]
    text = analysis.text
    out = []
    for t in found:
        g = t.choice
        if t.context_only or t.placed or g is not None and g.kind in BROAD:
            out.append(t)
        elif g is not None and _stray(t, literal, found):
            continue
        elif key(t.place.text) in kb.not_places:
            if home is not None and g is not None and _km(np.radians([[home.lat, home.lon]]),
                                                          np.radians([[g.lat, g.lon]]))[0, 0] <= NEAR_KM:
                out.append(t)
        elif g is not None and (g.kind == "admin1" or g.geonameid in kb.gazetteer.capitals):
            out.append(t)
        elif t.place.text not in people and not _before_eponym(text, t.place.end, kb):
            out.append(t)
    return out


def _stray(t: Toponym, literal: list[Toponym], found: list[Toponym]) -> bool:
    """A one-word name read as a small town abroad, in an article that names other places but none in
    that country, nor the country itself: mostly a person's or a team's name ("Bono", "Rafa")."""
    g = t.choice
    if g.kind != "city" or g.population >= BIG_TOWN or " " in t.place.text.strip():
        return False
    others = [o for o in literal if key(o.place.text) != key(t.place.text)]
    return len(others) >= 2 and not any(o.choice.cc == g.cc for o in others) and \
        not any(o.context_only and o.choice is not None and o.choice.cc == g.cc for o in found)


def _before_eponym(text: str, end: int, kb: Knowledge) -> bool:
    m = NEXT_WORD.match(text, end)
    return m is not None and kb.toponym_words.get(m.group(1).lower()) == "eponym"


def _person_words(doc: Doc, analysis: Analysis, kb: Knowledge) -> set[str]:
    """The words of the names of people the article names in full: its person entities' names and the
    entity recogniser's persons, and an organization's name that begins with a given name ("Marion
    Bartoli" taken for an organization)."""
    names = [m.text for e in analysis.entities if e.kind == "person" for m in e.mentions if m.kind == "name"]
    names += [e.text for e in doc.ents if e.label_ == "PERSON"]
    names += [m.text for e in analysis.entities if e.kind == "organization" for m in e.mentions
              if m.kind == "name" and 2 <= len(m.text.split()) <= 3 and m.text.split()[0] in kb.given_names]
    out = set()
    for n in names:
        words = n.split()
        if len(words) > 1:
            out.update(w for w in words if w[:1].isupper() and not kb.country(w))
    return out


def repeated(doc: Doc, found: list[Toponym]) -> list[Toponym]:
    """One sense per article: where a toponym's name comes again and the entity recogniser saw no name there
    or took it for part of another ("the Iraq war", "Likhotseva of Russia", "Sri Lanka" read as a
    person), it is the same place. Not inside names of organizations, works or facilities, nor where
    another toponym or a person's name already is."""
    spans = [t.place for t in found]
    blocked = [(e.start_char, e.end_char, e.label_, e.text) for e in doc.ents if e.label_ in OWN_NAMES]
    text = doc_text(doc)
    seen: set[str] = set()
    out = []
    for t in found:
        name = t.place.text
        if t.context_only or t.choice is None or name in seen or len(name) < 3 or not name[:1].isupper():
            continue
        seen.add(name)
        for m in re.finditer(r"(?<![\w'’-])" + re.escape(name) + r"(?![\w-])", text):
            place = Place(start=m.start(), end=m.end(), text=name, name=t.place.name)
            if _overlaps(place, spans):
                continue
            inside = [b for b in blocked if b[0] < m.end() and m.start() < b[1]]
            if any(not (label == "PERSON" and (norm_name(etext) == name or t.choice.kind == "country" and
                                               text[max(0, m.start() - 3):m.start()] == "of "))
                   for _, _, label, etext in inside):
                continue
            copy = Toponym(place, t.candidates, t.country_hint, t.choice)
            spans.append(place)
            out.append(copy)
    return out


def _local_names(analysis: Analysis, gaz, home: GeoName, found: list[Toponym]) -> list[Toponym]:
    """Places named at the head of an organization's name ("Gainesville Police", "Dublin City
    Council"), where a town of that name lies in the article's area: within NEAR_KM of its focus."""
    out = []
    here = np.radians(np.array([[home.lat, home.lon]]))
    taken = [t.place for t in found]
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
                        if not _overlaps(t.place, taken):
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
        r[COL[{"macro": "continent", "venue": "city"}.get(g.kind, g.kind)]] = 1.0
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
