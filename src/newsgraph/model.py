"""Typed records of an analysis and their one JSON form.

Every record that points into the article carries ``start``/``end``: 0-based, end-exclusive
character offsets into ``Article.text``. ``Analysis.to_dict()`` is the single JSON shape used by
the CLI, the store, the HTTP API and the exporters; ``schema/analysis.schema.json`` describes it.
"""
from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, field
from typing import Any

SCHEMA_VERSION = "newsgraph.analysis/2"


def content_id(text: str) -> str:
    """A stable id for an article without one: a hash of its text."""
    return "sha1:" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:20]


def _clean(value: Any) -> Any:
    """Dataclass -> JSON-ready dict, dropping private fields (leading underscore)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _clean(getattr(value, f.name))
                for f in dataclasses.fields(value) if not f.name.startswith("_")}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    return value


def _build(cls, data: dict | None):
    """JSON dict -> dataclass, tolerating unknown keys (forward compatibility)."""
    if data is None:
        return None
    names = {f.name for f in dataclasses.fields(cls)}
    return cls(**{k: v for k, v in data.items() if k in names})


@dataclass(slots=True)
class Span:
    """A stretch of the article text."""
    start: int
    end: int
    text: str = ""

    @classmethod
    def of(cls, text: str, start: int, end: int) -> "Span":
        return cls(start, end, text[start:end])


@dataclass(slots=True)
class Article:
    """One news article as read from a source, before any NLP."""
    id: str
    text: str
    title: str | None = None
    url: str | None = None
    published: str | None = None          # ISO date (YYYY-MM-DD) or datetime
    source: str | None = None             # publisher or feed name
    author: str | None = None
    origin: str | None = None             # where it was read: path, path:line, WARC record


@dataclass(slots=True)
class Sentence:
    start: int
    end: int
    duplicate_of: int | None = None       # index of an earlier sentence saying the same thing


@dataclass(slots=True)
class Duplicate:
    """Sentences that repeat one another inside an article; ``spans[0]`` is the first telling."""
    kind: str                             # "sentence"
    spans: list[Span]
    similarity: float

    @classmethod
    def from_dict(cls, d: dict) -> "Duplicate":
        return cls(d["kind"], [_build(Span, s) for s in d["spans"]], d["similarity"])


@dataclass(slots=True)
class Mention:
    """One place in the text that names or refers to an entity."""
    start: int
    end: int
    text: str
    kind: str                             # name | title | nominal | pronoun | demonym
    sentence: int
    head: str | None = None               # the name/role word the mention hangs on
    acts_as: str | None = None            # entity id this mention stands for as an actor (Moscow -> Russia)


@dataclass(slots=True)
class Entity:
    """One real-world actor or place inside an article, with every mention of it."""
    id: str                               # "e1", "e2" ... unique inside the analysis
    name: str                             # canonical name: "Vladimir Putin"
    label: str                            # PERSON | ORG | GPE | LOC | FAC | NORP | GROUP
    kind: str                             # person | country | capital | city | place | organization | group
    mentions: list[Mention] = field(default_factory=list)
    country: str | None = None            # ISO 3166 alpha-3 the actor belongs to
    sector: str | None = None             # GOV | MIL | BUS | MED | CVL | IGO | ...
    title: str | None = None              # "President"
    nationality: str | None = None        # "Russian"
    gender: str | None = None             # m | f | None when the text does not say
    number: str = "sg"                    # sg | pl
    stands_for: str | None = None         # id of the state entity a capital stands for as an actor

    @classmethod
    def from_dict(cls, d: dict) -> "Entity":
        e = _build(cls, d)
        e.mentions = [_build(Mention, m) for m in d.get("mentions", [])]
        return e


@dataclass(slots=True)
class Actor:
    text: str
    start: int
    end: int
    name: str | None = None
    entity: str | None = None
    country: str | None = None
    sector: str | None = None


# What a quote's cue reports (Quote.cue_kind), and the kinds that listings and counts show unless asked.
CUE_KINDS = ("speech", "writing", "thought", "knowledge")
LISTED_KINDS = ("speech", "writing")


@dataclass(slots=True)
class Quote:
    """What someone said or thought (direct | indirect | mixed), or an attitude they took toward
    something with no reported proposition ("hailed the ties": kind "attitude", in Analysis.attitudes)."""
    kind: str                             # direct | indirect | mixed | attitude
    content: list[Span]
    cue: Span | None
    speaker: Span | None
    speaker_name: str | None = None
    speaker_entity: str | None = None
    cue_lemma: str | None = None
    cue_kind: str | None = None           # what the cue reports: speech | writing | thought | knowledge (None: attitude)
    confidence: float = 1.0
    sentence: int | None = None
    date: str | None = None               # TIMEX3 value of when it was said, when the sentence says
    place: str | None = None              # where it was said ("told reporters in Beijing")
    repeat_of: int | None = None          # in a repeated sentence: index of the first telling in the same list

    @classmethod
    def from_dict(cls, d: dict) -> "Quote":
        q = _build(cls, d)
        q.content = [_build(Span, s) for s in d.get("content", [])]
        q.cue = _build(Span, d.get("cue"))
        q.speaker = _build(Span, d.get("speaker"))
        return q


@dataclass(slots=True)
class Event:
    type: str                             # PLOVER type
    source: Actor | None
    target: Actor | None
    trigger: Span | None = None
    sentence: Span | None = None
    mode: str | None = None
    cameo: str | None = None
    negated: bool = False
    modality: str = "asserted"            # asserted | reported | intended | hypothetical | historical | uncertain
    date: str | None = None
    confidence: float = 1.0
    location: "Place | None" = None       # where it happened: the place's record (name, GeoNames id, coordinates)

    @classmethod
    def from_dict(cls, d: dict) -> "Event":
        ev = _build(cls, d)
        ev.source = _build(Actor, d.get("source"))
        ev.target = _build(Actor, d.get("target"))
        ev.trigger = _build(Span, d.get("trigger"))
        ev.sentence = _build(Span, d.get("sentence"))
        ev.location = _build(Place, d.get("location"))
        return ev


@dataclass(slots=True)
class Place:
    start: int
    end: int
    text: str
    name: str | None = None
    geonameid: int | None = None
    lat: float | None = None
    lon: float | None = None
    country: str | None = None            # ISO 3166-1 alpha-3
    feature: str | None = None            # continent | area | country | region | district | city | venue
                                          # (| place: not in the gazetteer)
    region: str | None = None             # first-level region of a district or town ("Kentucky")
    estimated: bool = False               # not in the gazetteer: lat/lon are the article's focus
    role: str = "literal"                 # literal (the place itself) | associative (a demonym or adjective
                                          # standing for its country: "Russian troops", "British minister")


@dataclass(slots=True)
class TimeExpr:
    start: int
    end: int
    text: str
    type: str                             # DATE | TIME | DURATION | SET
    value: str | None = None              # TIMEX3 value


@dataclass(slots=True)
class Figure:
    """A number with its unit and what it measures: "90 percent", "$5 billion", "82 people"."""
    start: int
    end: int
    text: str
    value: float | None = None            # in the unit: 5e9 for "$5bn"; a vague plural's least ("dozens": 24)
    unit: str | None = None               # percent | ISO 4217 code | km, t, ... | people | the counted noun
    measure: str | None = None            # what the number measures: "share of bilateral trade", "people killed"
    kind: str | None = None               # percent | money | quantity | count
    qualifier: str | None = None          # about | almost | at least | more than | less than | up to
    approximate: bool = False             # "about", "almost", or a vague plural ("dozens", "hundreds")


RECORD_LISTS = {"sentences": Sentence, "duplicates": Duplicate, "entities": Entity, "quotes": Quote,
                "attitudes": Quote, "events": Event, "places": Place, "times": TimeExpr, "figures": Figure}


@dataclass(slots=True)
class Analysis:
    """Everything newsgraph extracted from one article."""
    article: Article
    sentences: list[Sentence] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    attitudes: list[Quote] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    times: list[TimeExpr] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    meta: dict = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.article.id

    @property
    def text(self) -> str:
        return self.article.text

    def entity(self, entity_id: str | None) -> Entity | None:
        """The entity with this id, or None."""
        for e in self.entities:
            if e.id == entity_id:
                return e
        return None

    def to_dict(self, *, include_text: bool = True) -> dict:
        """The one JSON form of an analysis (article fields at the top level)."""
        out = {"schema": SCHEMA_VERSION}
        art = _clean(self.article)
        if not include_text:
            art.pop("text")
        out.update(art)
        for name in RECORD_LISTS:
            out[name] = _clean(getattr(self, name))
        out["meta"] = _clean(self.meta)
        return out

    @classmethod
    def from_dict(cls, d: dict) -> "Analysis":
        article = _build(Article, {k: v for k, v in d.items() if k in Article.__slots__})
        a = cls(article=article, meta=dict(d.get("meta") or {}))
        for name, rec in RECORD_LISTS.items():
            build = getattr(rec, "from_dict", None) or (lambda x, rec=rec: _build(rec, x))
            setattr(a, name, [build(x) for x in d.get(name) or []])
        return a


@dataclass(slots=True)
class ArticleError:
    """A per-article failure: the run records it and goes on."""
    code: str                             # "E101" ... see errors.py
    message: str
    origin: str | None = None             # path, path:line, WARC record id
    article_id: str | None = None

    @property
    def warning(self) -> bool:
        """A W-code only warns: the article was still analysed (W109: its date was unreadable)."""
        return self.code.startswith("W")

    def __str__(self) -> str:
        where = self.origin or self.article_id or "<input>"
        return f"{where}: [{self.code}] {self.message}"

