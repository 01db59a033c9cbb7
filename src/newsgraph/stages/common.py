"""Small helpers shared by stages: sentence lookup, parse checks, word sets."""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from importlib import resources

from spacy.tokens import Doc, Span as SpacySpan, Token

from .. import knowledge
from ..knowledge import read_table
from ..model import Analysis, Entity, Sentence

WORD = re.compile(r"\w+")


def doc_text(doc) -> str:
    """The Doc's text, built once per Doc (spaCy's ``doc.text`` joins every token again on each call,
    which in a loop over phrases cost a fifth of the run)."""
    text = doc.user_data.get("newsgraph.text")
    if text is None:
        text = doc.user_data["newsgraph.text"] = doc.text
    return text


def is_parsed(sent: SpacySpan) -> bool:
    """True when this sentence carries a dependency parse (stages must work without one)."""
    return any(t.dep_ for t in sent)


class SentenceIndex:
    """Maps character offsets to sentence numbers."""

    def __init__(self, sentences: list[Sentence]):
        self.sentences = sentences
        self._starts = [s.start for s in sentences]

    def at(self, offset: int) -> int:
        """Index of the sentence holding this offset (the one before it when it falls in a gap)."""
        return max(0, bisect.bisect_right(self._starts, offset) - 1)

    def span(self, doc: Doc, i: int) -> SpacySpan | None:
        s = self.sentences[i]
        return doc.char_span(s.start, s.end, alignment_mode="expand")


def words(text: str) -> list[str]:
    return [w.lower() for w in WORD.findall(text)]


def word_sets(path) -> dict[str, frozenset[str]]:
    """The words of a ``word  class`` table (a stage's data file, or one of the knowledge package's), one set
    per class."""
    sets: dict[str, set[str]] = {}
    for r in read_table(path):
        sets.setdefault(r["class"], set()).add(r["word"])
    return {k: frozenset(v) for k, v in sets.items()}


# Function words several stages use (knowledge/function_words.tsv).
_FUNCTION = word_sets(resources.files(knowledge).joinpath("function_words.tsv"))
RELATIVE = _FUNCTION["relative"]
# Prepositions after which a name is where something is or happens ("in Beijing", "near Sumy").
PLACE_PREPOSITIONS = _FUNCTION["place_preposition"]
ARTICLES = tuple(sorted(_FUNCTION["article"]))


def plain_name(text: str, leading: tuple[str, ...] = ARTICLES) -> str:
    """A phrase without the leading words given ("the company" -> "company"); the phrase itself when
    nothing else is left."""
    words = text.split()
    while words and words[0].lower() in leading:
        words = words[1:]
    return " ".join(words) or text


def hangs_on(doc: Doc, start: int, end: int, head, via_preposition: bool = False) -> bool:
    """Whether the expression at [start, end) is attached to ``head`` (a trigger or cue): its root, or
    with ``via_preposition`` the preposition before it, reaches ``head`` through at most three verbs
    of the parse ("said ... in Beijing", "speaking in Beijing, he said"). True for an unparsed
    sentence, where the nearest expression is taken instead."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if head is None or span is None or not len(span):
        return False
    if not is_parsed(head.sent):
        return True
    tok = span.root
    if via_preposition:
        tok = tok.head
        if tok.dep_ != "prep":
            return False
    for _ in range(4):
        tok = tok.head
        if tok == head:
            return True
        if tok.pos_ not in ("VERB", "AUX", "ADP") or tok.head == tok:
            return False
    return False


def dated_times(analysis: Analysis) -> list:
    """The time expressions the times stage gave a calendar value (a date or a time of day, not a
    duration or a set): what dates an event or a quote."""
    return [t for t in analysis.times if t.type in ("DATE", "TIME") and t.value and t.value[:1].isdigit()]


def nearest(items: list, at: int):
    return min(items, key=lambda x: abs(x.start - at), default=None)


def antecedent(tok: Token) -> Token:
    """A relative pronoun stands for the noun its clause hangs on ("the conflict, which ...")."""
    if tok.lower_ in RELATIVE and tok.tag_ in ("WDT", "WP", "IN", "DT"):
        verb = tok.head
        while verb.dep_ in ("conj", "xcomp", "ccomp") and verb.head is not verb:
            verb = verb.head
        if verb.dep_ == "relcl":
            return verb.head
    return tok


@dataclass
class Mentions:
    """Where each entity is mentioned, for looking up the entity at some offsets: the one index of
    mentions the stages share. A mention of something that acts as another entity (a capital as its
    state: "Moscow says") gives that entity."""
    analysis: Analysis
    spans: list[tuple[int, int, Entity, str | None]]

    @classmethod
    def of(cls, analysis: Analysis) -> "Mentions":
        return cls(analysis, sorted(((m.start, m.end, e, m.acts_as) for e in analysis.entities
                                     for m in e.mentions), key=lambda x: (x[0], -x[1])))

    def acting(self, entity: Entity, acts_as: str | None) -> Entity:
        """The entity a mention stands for: the one it acts as, else its own."""
        return (self.analysis.entity(acts_as) or entity) if acts_as else entity

    def at(self, start: int, end: int) -> Entity | None:
        """The entity mentioned at these offsets (a capital used as an actor gives its state)."""
        for s, e, ent, acts in self.spans:
            if s <= start and end <= e:
                return self.acting(ent, acts)
            if s > start:
                break
        return None

    def inside(self, start: int, end: int) -> list[Entity]:
        """The entities mentioned inside these offsets."""
        return [self.acting(ent, acts) for s, e, ent, acts in self.spans if start <= s and e <= end]

    def overlapping(self, start: int, end: int) -> list[tuple[int, int, Entity, str | None]]:
        """The mentions that share a character with these offsets, in text order."""
        return [m for m in self.spans if m[0] < end and m[1] > start]
