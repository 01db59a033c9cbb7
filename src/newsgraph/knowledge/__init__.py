"""Knowledge the stages consult: lexicons and gazetteers read once from the data files beside this module.

The files are the reviewed source of truth (see README.md here for each file's origin and licence);
this module only parses them and builds lookup indexes. Stages receive one ``Knowledge`` object.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources


_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'"})
_THE = re.compile(r"^the\s+", re.IGNORECASE)
_SPACES = re.compile(r"\s+")


def norm_name(text: str) -> str:
    """Lookup key of a name: straight apostrophes, one space, no leading 'the', no possessive 's."""
    text = _SPACES.sub(" ", text.translate(_APOSTROPHES)).strip(" \t\n,.;:")
    text = _THE.sub("", text)
    if text.endswith("'s"):
        text = text[:-2]
    elif text.endswith("'"):
        text = text[:-1]
    return text


def read_tsv(name: str) -> list[dict[str, str]]:
    """Rows of a TSV data file shipped in this package (header line; '#' comment lines skipped)."""
    return read_table(resources.files(__name__).joinpath(name))


def read_table(path) -> list[dict[str, str]]:
    """Rows of a TSV file at ``path`` (a stage's own data file, or one of this package's)."""
    with path.open(encoding="utf-8") as f:
        lines = [ln for ln in f if ln.strip() and not ln.startswith("#")]
    reader = csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    return [{k: (v or "").strip() for k, v in row.items() if k} for row in reader]


def alternatives(cell: str) -> list[str]:
    return [x.strip() for x in (cell or "").split("|") if x.strip()]


@dataclass(frozen=True, slots=True)
class Country:
    iso3: str
    iso2: str
    name: str
    aliases: tuple[str, ...]
    demonyms: tuple[str, ...]
    capital: str
    capital_aliases: tuple[str, ...]
    geonameid: int | None
    lat: float | None
    lon: float | None


@dataclass(frozen=True, slots=True)
class Organization:
    name: str
    aliases: tuple[str, ...]
    sector: str
    country: str | None


@dataclass(frozen=True, slots=True)
class Title:
    title: str
    sector: str
    rank: str          # head | senior | other | honorific
    gender: str        # m | f | ""


@dataclass(frozen=True, slots=True)
class Bloc:
    adjective: str
    name: str
    code: str


@dataclass
class Knowledge:
    """Indexes over the data files, built lazily so a stage only pays for what it uses."""

    # ------------------------------------------------------------ countries
    @cached_property
    def countries(self) -> list[Country]:
        out = []
        for r in read_tsv("countries.tsv"):
            out.append(Country(
                iso3=r["iso3"], iso2=r["iso2"], name=r["name"], aliases=tuple(alternatives(r.get("aliases", ""))),
                demonyms=tuple(alternatives(r.get("demonyms", ""))), capital=r.get("capital", ""),
                capital_aliases=tuple(alternatives(r.get("capital_aliases", ""))),
                geonameid=int(r["geonameid"]) if r.get("geonameid") else None,
                lat=float(r["lat"]) if r.get("lat") else None, lon=float(r["lon"]) if r.get("lon") else None))
        return out

    @cached_property
    def country_by_iso3(self) -> dict[str, Country]:
        return {c.iso3: c for c in self.countries}

    @cached_property
    def country_by_iso2(self) -> dict[str, Country]:
        return {c.iso2: c for c in self.countries}

    @cached_property
    def country_by_name(self) -> dict[str, Country]:
        """Country names and aliases ("Russian Federation", "U.S.") -> Country."""
        index: dict[str, Country] = {}
        for c in self.countries:
            for n in (c.name, *c.aliases):
                index.setdefault(norm_name(n), c)
        return index

    @cached_property
    def country_by_demonym(self) -> dict[str, Country]:
        index: dict[str, Country] = {}
        for c in self.countries:
            for d in c.demonyms:
                index.setdefault(norm_name(d), c)
        return index

    @cached_property
    def country_by_capital(self) -> dict[str, Country]:
        index: dict[str, Country] = {}
        for c in self.countries:
            for n in (c.capital, *c.capital_aliases):
                if n:
                    index.setdefault(norm_name(n), c)
        return index

    def country(self, name: str) -> Country | None:
        """The country a name or alias denotes, or None."""
        return self.country_by_name.get(norm_name(name))

    def demonym(self, word: str) -> Country | None:
        return self.country_by_demonym.get(norm_name(word))

    def capital(self, name: str) -> Country | None:
        """The country whose capital this name is, or None."""
        return self.country_by_capital.get(norm_name(name))

    # ------------------------------------------------------------ organizations, blocs
    @cached_property
    def organizations(self) -> list[Organization]:
        return [Organization(r["name"], tuple(alternatives(r.get("aliases", ""))), r.get("sector", ""),
                             r.get("country") or None) for r in read_tsv("organizations.tsv")]

    @cached_property
    def organization_by_name(self) -> dict[str, Organization]:
        index: dict[str, Organization] = {}
        for o in self.organizations:
            for n in (o.name, *o.aliases):
                index.setdefault(norm_name(n), o)
        return index

    def organization(self, name: str) -> Organization | None:
        return self.organization_by_name.get(norm_name(name))

    @cached_property
    def actor_by_name(self) -> dict[str, KnownActor]:
        """Named people and organizations of the actor dictionary (actors.tsv), by name and alias."""
        index: dict[str, KnownActor] = {}
        for r in read_tsv("actors.tsv"):
            a = KnownActor(r["name"], r["country"] or None, r["sector"] or None, r["since"] or None,
                           r["until"] or None, r["kind"])
            for n in [r["name"], *alternatives(r.get("aliases", ""))]:
                index.setdefault(norm_name(n).lower(), a)
        return index

    def known_actor(self, name: str) -> KnownActor | None:
        """The dictionary's entry for this name ("Sergei Lavrov" -> RUS GOV), or None."""
        return self.actor_by_name.get(norm_name(name).lower())

    @cached_property
    def blocs(self) -> dict[str, Bloc]:
        """Adjectives naming groups of states ("Western") that no single country owns."""
        return {r["adjective"]: Bloc(r["adjective"], r["name"], r.get("code", ""))
                for r in read_tsv("blocs.tsv")}

    # ------------------------------------------------------------ people
    @cached_property
    def titles(self) -> dict[str, Title]:
        return {r["title"].lower(): Title(r["title"].lower(), r.get("sector", ""), r.get("rank", "other"),
                                          r.get("gender", "")) for r in read_tsv("titles.tsv")}

    @cached_property
    def title_max_words(self) -> int:
        return max(len(t.split()) for t in self.titles)

    @cached_property
    def given_names(self) -> dict[str, str]:
        return {r["name"]: r["gender"] for r in read_tsv("given_names.tsv")}

    @cached_property
    def group_nouns(self) -> dict[str, tuple[str, str]]:
        """Collective actor nouns ("troops", "banks") -> (sector, number)."""
        return {r["noun"].lower(): (r.get("sector", ""), r.get("number", "pl"))
                for r in read_tsv("group_nouns.tsv")}

    @cached_property
    def org_nouns(self) -> dict[str, str]:
        """Nouns that stand for a named organization after "the" ("the company") -> sector."""
        return {r["noun"].lower(): r.get("sector", "") for r in read_tsv("org_nouns.tsv")}

    @cached_property
    def speaker_nouns(self) -> frozenset[str]:
        """Nouns of people and organizations who can speak or think, beyond titles and group nouns."""
        return frozenset(r["noun"].lower() for r in read_tsv("speaker_nouns.tsv"))

    @cached_property
    def speech_lemmas(self) -> dict[str, str]:
        """Lemmas that report speech or thought ("say", "statement", "believe") -> speech | cognition |
        question (a speech act that asks: "ask", "inquire")."""
        return {r["lemma"].lower(): r["class"] for r in read_tsv("speech_verbs.tsv") if r["class"] != "light"}

    @cached_property
    def cue_kinds(self) -> dict[str, str]:
        """Lemmas of cues -> what they report: speech | writing | thought | knowledge ("" for a light verb,
        which takes its noun's)."""
        return {r["lemma"].lower(): r.get("kind", "") for r in read_tsv("speech_verbs.tsv")}

    @cached_property
    def light_verbs(self) -> frozenset[str]:
        """Verbs that report speech only with a noun of saying as their object ("gave a warning")."""
        return frozenset(r["lemma"].lower() for r in read_tsv("speech_verbs.tsv") if r["class"] == "light")

    @cached_property
    def pronouns(self) -> dict[str, dict[str, str]]:
        return {r["pronoun"].lower(): r for r in read_tsv("pronouns.tsv")}

    def pronoun_forms(self, persons: str, cases: set[str]) -> frozenset[str]:
        """The pronouns of these persons ("13": first and third) in these cases ({"subj", "obj"}), built
        once per question."""
        return self.resource(f"pronouns {persons} {sorted(cases)}", lambda _: frozenset(
            p for p, r in self.pronouns.items() if r["person"] in persons and cases & set(r["case"].split("|"))))

    # ------------------------------------------------------------ places
    def city(self, name: str, min_population: int = 0):
        """Towns of this exact name (case kept, alternate names too) with at least ``min_population``
        people, most populous first: the gazetteer's town index (towns of 15,000 or more, capitals)."""
        return self.gazetteer.town(name, min_population)

    @cached_property
    def toponym_words(self) -> dict[str, str]:
        """Words around a toponym that tell what kind of name it is (toponym_words.tsv): lower-cased
        word -> feature | admin1 | admin2 | compass | eponym."""
        return {r["word"].lower(): r["kind"] for r in read_tsv("toponym_words.tsv")}

    @cached_property
    def not_places(self) -> dict[str, str]:
        """Names news mostly uses for a company, product, work, event or term, not a place
        (not_places.tsv): lower-cased name -> kind."""
        return {norm_name(r["name"]).casefold(): r["kind"] for r in read_tsv("not_places.tsv")}

    @cached_property
    def gazetteer(self):
        """Countries, regions and towns of 1,000 people or more, for resolving toponyms (gazetteer.py):
        from the cache when ``prepare_gazetteer`` wrote it, else built in memory."""
        from .gazetteer import load
        return load(self)

    def prepare_gazetteer(self) -> None:
        """Load the gazetteer, building and caching it on first use (logged): the explicit step a
        pipeline with the places stage takes when it is built, so no stage writes a file."""
        if "gazetteer" not in self.__dict__:
            from .gazetteer import load
            self.__dict__["gazetteer"] = load(self, write_cache=True)

    # ------------------------------------------------------------ what stages own
    def resource(self, name: str, build):
        """A resource a stage owns (a model, a compiled table), built by ``build(self)`` on first use and
        kept with this knowledge, so that the knowledge layer never imports a stage."""
        cache = self.__dict__.setdefault("_resources", {})
        if name not in cache:
            cache[name] = build(self)
        return cache[name]


@dataclass(frozen=True, slots=True)
class KnownActor:
    """An entry of the actor dictionary: a person's latest role, or an organization."""
    name: str
    country: str | None
    sector: str | None
    since: str | None
    until: str | None
    kind: str                                 # person | organization


def _latin_name(name: str) -> bool:
    return bool(name) and name[0].isupper() and all(ch.isascii() or ch.isalpha() and ord(ch) < 0x250 for ch in name)


@lru_cache(maxsize=1)
def default_knowledge() -> Knowledge:
    """The knowledge shipped with the package, loaded once per process."""
    return Knowledge()
