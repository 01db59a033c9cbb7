"""Setting: where and when each event and quote took place, when its sentence says so.

An event gets the name of a place that follows a preposition of place hanging on the trigger
("shelled positions near Sumy"; its date is the events stage's own, from the times stage), never
its source or target ("Russia attacked Ukraine" happens nowhere in particular), and not a place
inside a noun phrase ("a solution in Ukraine"). A quote gets a place and the date of a dated time
expression (the times stage's TIMEX3 value) from its cue: "Putin said in Beijing on Thursday" dates
and places the saying, not what was said. Without a parse, the nearest such expression of the
sentence is taken. Pure; no I/O.
"""
from __future__ import annotations

import dataclasses
from importlib import resources

from spacy.tokens import Doc

from .. import knowledge
from ..knowledge import Knowledge
from ..model import Analysis, Place, TimeExpr
from . import stage
from .common import PLACE_PREPOSITIONS, dated_times, hangs_on, nearest, word_sets

LOCATIVE = PLACE_PREPOSITIONS | {"from"}
# Words between a preposition of place and the toponym: "in the town of", "near the southern city of"
# (knowledge/place_words.tsv).
BEFORE_TOPONYM = word_sets(resources.files(knowledge).joinpath("place_words.tsv"))["before_toponym"]


@stage("setting", assigns=("events", "quotes", "attitudes"), requires=["events", "quotes", "places", "times"])
def find_setting(doc: Doc, analysis: Analysis, kb: Knowledge):
    text = analysis.text
    sentences = [(s.start, s.end) for s in analysis.sentences]
    times = dated_times(analysis)
    places = [p for p in analysis.places if p.role == "literal" and _locative(text, p) and not p.estimated]
    events, quotes, attitudes = [], [], []
    for ev in analysis.events:
        if ev.sentence is None or ev.trigger is None:
            events.append(ev)
            continue
        ev = dataclasses.replace(ev)              # a new record: the events stage's stays as it was
        s, e = ev.sentence.start, ev.sentence.end
        actors = [(a.start, a.end) for a in (ev.source, ev.target) if a is not None]
        head = _token(doc, ev.trigger.start)
        p = nearest([x for x in places if s <= x.start < e and not _inside(x, actors)
                      and hangs_on(doc, x.start, x.end, head, via_preposition=True)], ev.trigger.start)
        if p is not None:
            ev.location = dataclasses.replace(p)
        events.append(ev)
    for q in analysis.quotes + analysis.attitudes:
        into = quotes if len(quotes) < len(analysis.quotes) else attitudes
        if q.cue is None:
            into.append(q)
            continue
        q = dataclasses.replace(q)
        s, e = _sentence_of(sentences, q.cue.start)
        content = [(c.start, c.end) for c in q.content]
        speaker = [(q.speaker.start, q.speaker.end)] if q.speaker is not None else []
        head = _token(doc, q.cue.start)
        t = nearest([x for x in times if s <= x.start < e and not _inside(x, content)
                      and hangs_on(doc, x.start, x.end, head)], q.cue.start)
        if t is not None:
            q.date = t.value
        p = nearest([x for x in places if s <= x.start < e and not _inside(x, content + speaker)
                      and hangs_on(doc, x.start, x.end, head, via_preposition=True)], q.cue.start)
        if p is not None:
            q.place = p.name or p.text
        into.append(q)
    return events, quotes, attitudes


def _token(doc: Doc, char: int):
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    return span[0] if span is not None and len(span) else None


def _locative(text: str, p: Place) -> bool:
    """Whether a preposition of place comes before the toponym (skipping "the" and a few modifiers:
    "in the town of", "near the city of")."""
    words = text[max(0, p.start - 40):p.start].split()
    while words and words[-1].lower() in BEFORE_TOPONYM:
        words.pop()
    return bool(words) and words[-1].lower() in LOCATIVE


def _inside(x: Place | TimeExpr, spans: list[tuple[int, int]]) -> bool:
    return any(s <= x.start and x.end <= e for s, e in spans)


def _sentence_of(sentences: list[tuple[int, int]], at: int) -> tuple[int, int]:
    return next(((s, e) for s, e in sentences if s <= at < e), (at, at))
