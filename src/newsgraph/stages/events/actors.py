"""Actors of events: the noun phrase at a source or target position, coded with the entity it names,
a country (ISO 3166 alpha-3) and a sector (CAMEO/Phoenix role code).

"Moscow" -> the Russian state (RUS GOV); "his troops" -> RUS MIL through the possessor; "Chinese
banks" -> CHN BUS; "ties with China" -> China (an actor inside the phrase); "the conflict" -> no actor.
Pure functions over a parsed sentence and the entity stage's output; no I/O.
"""
from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Doc, Token

from ...knowledge import Knowledge
from ...model import Actor, Analysis, Entity, Quote
from ..common import RELATIVE, Mentions, antecedent, plain_name
from .lexicon import EVENT_WORDS as _WORDS

# Children that start a clause or an aside of their own: not part of the actor's name.
CLAUSE_DEPS = {"relcl", "acl", "advcl", "punct", "cc", "mark", "parataxis", "appos"}
DASHES = {"—", "–", "-", "--", "(", ";", ":"}
# Words a phrase drops before it names an actor ("their troops" -> "troops").
DETERMINERS = _WORDS["leading_determiner"]


def phrase(tok: Token, conjuncts: bool = True) -> tuple[int, int]:
    """Token range of the noun phrase headed by ``tok``, without relative clauses and other asides
    (and without the coordinated phrases after it when ``conjuncts`` is False)."""
    keep = [tok.i]
    skip = CLAUSE_DEPS if conjuncts else CLAUSE_DEPS | {"conj", "cc"}
    stack = [c for c in tok.children if c.dep_ not in skip]
    while stack:
        c = stack.pop()
        keep.append(c.i)
        stack.extend(x for x in c.children if x.dep_ not in ("relcl", "acl", "advcl", "parataxis"))
    lo, hi = min(keep), max(keep) + 1
    doc = tok.doc
    cut = next((i for i in range(tok.i + 1, hi) if doc[i].text in DASHES and doc[i].is_punct
                and doc[i - 1].whitespace_), None)
    if cut is not None:
        hi = cut                                 # "alliances in the region — a point of concern"
    while lo < tok.i and (doc[lo].is_punct or doc[lo].dep_ in ("cc", "det") and doc[lo].lower_ in ("and", "or")):
        lo += 1
    while hi - 1 > tok.i and (doc[hi - 1].is_punct or doc[hi - 1].dep_ == "cc"):
        hi -= 1
    return lo, hi


def code_actor(tok: Token, mentions: Mentions, kb: Knowledge, quotes: list[Quote]) -> Actor | None:
    """The actor whose phrase is headed by ``tok``, or None when the phrase names no actor."""
    tok = antecedent(tok)
    doc: Doc = tok.doc
    lo, hi = phrase(tok)
    start, end = doc[lo].idx, doc[hi - 1].idx + len(doc[hi - 1])
    text = doc[lo:hi].text

    def make(entity: Entity | None, country=None, sector=None, name=None) -> Actor:
        if entity is not None:
            known = kb.known_actor(entity.name) if entity.kind in ("person", "organization") else None
            country = country or entity.country or (known.country if known else None)
            sector = sector or entity.sector or (known.sector if known else None) or \
                ("GOV" if entity.kind in ("country", "capital") else None)
            name = name or entity.name
        return Actor(text=text, start=start, end=end, name=name, entity=entity.id if entity else None,
                     country=country, sector=sector)

    if tok.lower_ in kb.pronoun_forms("1", {"subj", "obj", "poss_det"}):    # "we", "our" in a quote
        speaker = _speaker_around(tok.idx, quotes, mentions.analysis)
        if speaker is not None:
            return make(speaker)
    head_entity = mentions.at(tok.idx, tok.idx + len(tok))
    lemma = tok.lemma_.lower()
    group = kb.group_nouns.get(tok.lower_) or kb.group_nouns.get(lemma)
    if group is None and lemma in kb.org_nouns:
        group = (kb.org_nouns[lemma], "sg")         # "the organization", "a Russian court"
    title = kb.titles.get(lemma) or kb.titles.get(tok.lower_)
    if head_entity is not None and head_entity.kind != "group":
        return make(head_entity)
    if head_entity is not None and (head_entity.country or not (group or title)):
        return make(head_entity)
    if group or title:
        sector = (group[0] if group else title.sector) or None
        country = _country_of(tok, lo, hi, mentions, kb)
        return Actor(text=text, start=start, end=end, name=_plain(text), entity=None,
                     country=country, sector=sector)
    inner = mentions.inside(start, end)
    actors = [e for e in inner if e.kind in ("person", "country", "capital", "organization", "group")]
    if not actors:                               # "the threats made by the United States Government"
        sub = [t for c in tok.children if c.dep_ == "acl" for t in c.subtree]
        if sub:
            actors = [e for e in mentions.inside(sub[0].idx, sub[-1].idx + len(sub[-1]))
                      if e.kind in ("person", "country", "capital", "organization", "group")]
    if actors:
        return make(actors[0])
    if (tok.pos_ == "PROPN" or tok.text.isupper() and len(tok.text) > 1 and tok.is_alpha) \
            and tok.ent_type_ not in NOT_ACTORS:
        return _named(tok, lo, hi, text, start, end, kb)
    return None


# Entity types that are never actors, even as proper nouns.
NOT_ACTORS = {"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL", "EVENT", "LAW",
              "WORK_OF_ART", "LANGUAGE", "PRODUCT"}


def _named(tok: Token, lo: int, hi: int, text: str, start: int, end: int, kb: Knowledge) -> Actor:
    """A proper name the entity stage did not pick up: a country, a known organization, else a
    named actor of unknown country ("Haaretz")."""
    doc = tok.doc
    names = [doc[lo:hi].text, " ".join(t.text for t in doc[lo:hi] if t.dep_ != "det"), tok.text]
    for name in names:
        country = kb.country(name)
        if country is not None:
            return Actor(text=text, start=start, end=end, name=country.name, country=country.iso3, sector="GOV")
        org = kb.organization(name)
        if org is not None:
            return Actor(text=text, start=start, end=end, name=org.name, country=org.country or None,
                         sector=org.sector or None)
        known = kb.known_actor(name)
        if known is not None:
            return Actor(text=text, start=start, end=end, name=known.name, country=known.country,
                         sector=known.sector)
    return Actor(text=text, start=start, end=end, name=_plain(text), country=_country_of(tok, lo, hi, None, kb))


def code_source(tok: Token, mentions: Mentions, kb: Knowledge, quotes: list[Quote]) -> Actor | None:
    """The source actor; a document that acts ("a report accusing X", "a resolution criticising X")
    stands for whoever issued it: the subject of the verb it is the object of."""
    actor = code_actor(tok, mentions, kb, quotes)
    if actor is None and tok.dep_ == "dobj" and tok.pos_ == "NOUN":
        verb = tok.head
        sub = next((c for c in verb.children if c.dep_ == "nsubj"), None) if verb.pos_ == "VERB" else None
        if sub is not None:
            actor = code_actor(sub, mentions, kb, quotes)
    return actor


def thing(tok: Token) -> Actor | None:
    """A target that names no actor ("the decision", "conflict zones"): its words only. A pronoun
    that no entity stands for is nothing."""
    tok = antecedent(tok)
    if tok.pos_ == "PRON" or tok.lower_ in RELATIVE:
        return None
    lo, hi = phrase(tok)
    doc = tok.doc
    start, end = doc[lo].idx, doc[hi - 1].idx + len(doc[hi - 1])
    return Actor(text=doc[lo:hi].text, start=start, end=end)


def _country_of(tok: Token, lo: int, hi: int, mentions: Mentions, kb: Knowledge) -> str | None:
    """Country of a group or title phrase: its possessor ("his troops"), a demonym or a named country."""
    doc = tok.doc
    for c in tok.children:
        if c.dep_ == "poss" and mentions is not None:
            ent = mentions.at(c.idx, c.idx + len(c))
            if ent is not None and ent.country:
                return ent.country
    for i in range(lo, hi):
        w = doc[i]
        country = kb.demonym(w.text)
        if country is not None:
            return country.iso3
    if mentions is not None:
        for ent in mentions.inside(doc[lo].idx, doc[hi - 1].idx + len(doc[hi - 1])):
            if ent.country:
                return ent.country
    return None


def _speaker_around(offset: int, quotes: list[Quote], analysis: Analysis) -> Entity | None:
    """"We"/"I" inside a quote is its speaker."""
    for q in quotes:
        if q.speaker_entity and any(s.start <= offset < s.end for s in q.content):
            return analysis.entity(q.speaker_entity)
    return None


def _plain(text: str) -> str:
    return plain_name(text, DETERMINERS)


def key(actor: Actor | None) -> str:
    """What makes two actors the same inside an article: their entity, else their words."""
    if actor is None:
        return ""
    return actor.entity or " ".join(_plain(actor.text).lower().split())


def compound(tok: Token, first: Actor, mentions: Mentions, kb: Knowledge, quotes: list[Quote]) -> list[Actor]:
    """Every actor of a coordinated phrase: "the United States and Britain" -> both states;
    "Russian and Chinese banks" -> the banks of each country. A single actor gives [first]."""
    out = [first]
    entity = mentions.analysis.entity(first.entity)
    if entity is None or entity.kind != "group":  # "Chinese companies and banks" is one group
        for c in tok.children:
            if c.dep_ == "conj" and c.pos_ in ("PROPN", "NOUN"):
                other = code_actor(c, mentions, kb, quotes)
                if other is not None and key(other) != key(first):
                    out.append(other)
        if len(out) > 1:                          # the first actor's words end before "and"
            lo, hi = phrase(antecedent(tok), conjuncts=False)
            doc = tok.doc
            old_plain = _plain(first.text)
            first.start, first.end = doc[lo].idx, doc[hi - 1].idx + len(doc[hi - 1])
            first.text = doc[lo:hi].text
            if first.name in (None, old_plain):
                first.name = _plain(first.text)
    if len(out) == 1 and entity is None:         # "the foreign ministers of France, Germany and Italy"
        inner = next((g for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"
                      for g in c.children if g.dep_ == "pobj"), None)
        if inner is not None and inner.conjuncts:
            parts = [code_actor(t, mentions, kb, quotes) for t in
                     [inner, *(c for c in inner.conjuncts if c.pos_ in ("PROPN", "NOUN"))]]
            parts = [a for a in parts if a is not None and a.country]
            if len(parts) > 1:
                return [replace(a, sector=first.sector or a.sector) for a in parts]
    demonyms = [a for a in tok.children if a.dep_ == "amod" and kb.demonym(a.text) is not None]
    if demonyms and len(out) == 1:
        countries = []
        for a in demonyms:
            for d in [a, *(c for c in a.children if c.dep_ == "conj")]:
                country = kb.demonym(d.text)
                if country is not None and country.iso3 not in countries:
                    countries.append(country.iso3)
        if len(countries) > 1:
            out = [Actor(text=first.text, start=first.start, end=first.end, name=first.name, entity=first.entity,
                         country=c, sector=first.sector) for c in countries]
    return out
