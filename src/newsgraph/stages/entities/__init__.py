"""Entities: one canonical entity per real-world actor inside an article, by rule-based coreference.

Names are clustered by surname and full-name matching; definite role nominals ("the Russian leader")
and third-person pronouns go to the most salient compatible entity before them (salience after
Lappin & Leass: grammatical role, repetition, recency halved per sentence). Capitals used as actors
("Moscow says") stand for their state.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc

from ...knowledge import Knowledge
from ...model import Analysis, Entity, Mention
from .. import stage
from ..common import PLACE_PREPOSITIONS, SentenceIndex
from .mentions import (WORDS, Candidate, Traits, group_mentions, named_mentions, nominal_mentions, org_nominal_mentions,
                       pronoun_mentions, quoted_regions)

KIND_LABEL = {"person": "PERSON", "country": "GPE", "capital": "GPE", "city": "GPE", "place": "LOC",
              "organization": "ORG", "group": "GROUP"}
# Prepositions after which a capital is a place, not an actor ("in Beijing" vs "Beijing said").
LOCATIVE = PLACE_PREPOSITIONS | WORDS["locative_verb"]
# "to"/"from" are places after motion ("flew to Beijing"), actors otherwise ("grateful to Beijing").
DIRECTIONAL = WORDS["directional"]
MOTION = WORDS["motion"]
ROLE_WEIGHT = {"nsubj": 80, "nsubjpass": 70, "csubj": 70, "expl": 0, "dobj": 50, "attr": 45, "dative": 40,
               "iobj": 40, "poss": 40, "pobj": 30, "appos": 30, "compound": 20, "conj": 45}
WINDOW = 3               # sentences back that a pronoun or nominal may reach
# A mention inside a clause that modifies a noun counts less (Lappin and Leass's head noun emphasis).
EMBEDDED = 0.5
PRONOUN_MIN = {"it": 40.0, "they": 30.0}


@dataclass
class _Cluster(Traits):
    kind: str
    name: str
    members: list[Candidate] = field(default_factory=list)
    stands_for: int | None = None

    def absorb(self, c: Candidate) -> None:
        self.members.append(c)
        self.take_traits(c)


@stage("entities", assigns="entities", requires=["sentences"])
def find_entities(doc: Doc, analysis: Analysis, kb: Knowledge) -> list[Entity]:
    quoted = quoted_regions(analysis.text)
    names = named_mentions(doc, kb, quoted)
    # Demonyms ("Russian") may be swallowed by a longer mention: a titled name, a group, a nominal.
    demonyms = [c for c in names if c.kind == "demonym"]
    names = [c for c in names if c.kind != "demonym"]
    taken = {t for c in names for t in range(c.tok_start, c.tok_end)}
    groups = group_mentions(doc, kb, taken, quoted)
    nominals = nominal_mentions(doc, kb, taken, quoted)
    nominals += org_nominal_mentions(doc, kb, taken, quoted)
    taken.update(t for c in nominals for t in range(c.tok_start, c.tok_end))
    demonyms = [c for c in demonyms if c.tok_start not in taken]
    taken.update(t for c in demonyms for t in range(c.tok_start, c.tok_end))
    pronouns = pronoun_mentions(doc, kb, taken, quoted)
    names += demonyms
    sidx = SentenceIndex(analysis.sentences)
    return _Resolver(doc, kb, sidx).resolve(sorted(names + groups + nominals + pronouns,
                                                    key=lambda c: c.start))


class _Resolver:
    def __init__(self, doc: Doc, kb: Knowledge, sidx: SentenceIndex):
        self.doc, self.kb, self.sidx = doc, kb, sidx
        self.clusters: list[_Cluster] = []
        self.by_key: dict[tuple[str, str], int] = {}

    # ------------------------------------------------------------ entry
    def resolve(self, cands: list[Candidate]) -> list[Entity]:
        persons = [c for c in cands if c.kind == "name" and c.etype == "person"]
        full_tokens = {t for c in persons if len(c.key.split()) > 1 for t in c.key.split()}
        for c in cands:
            # NER often calls a lone surname an organization or place ("Martin said"): when the
            # article names a person with that surname, it is that person.
            if c.kind == "name" and c.etype in ("organization", "place") and c.key in full_tokens and \
                    " " not in c.key and self.kb.organization(c.key) is None:
                c.etype, c.label = "person", "PERSON"
                persons.append(c)
        persons.sort(key=lambda c: c.start)
        self._cluster_person_names(persons)
        for c in cands:
            if c.entity is not None:
                continue
            if c.kind in ("name", "demonym", "group"):
                self._add_named(c)
            elif c.kind == "nominal":
                self._add_nominal(c, cands)
            elif c.kind == "pronoun":
                self._add_pronoun(c, cands)
        self._capitals_as_states(cands)
        return self._entities(cands)

    def _new(self, kind: str, name: str, c: Candidate | None = None) -> int:
        self.clusters.append(_Cluster(kind, name))
        idx = len(self.clusters) - 1
        self.by_key[(kind, name.lower())] = idx
        if c is not None:
            self._join(c, idx)
        return idx

    def _join(self, c: Candidate, idx: int) -> None:
        c.entity = idx
        cl = self.clusters[idx]
        if c.kind != "pronoun":
            cl.absorb(c)
        else:
            cl.members.append(c)
        if c.kind == "group":
            cl.number = c.number

    # ------------------------------------------------------------ names
    def _cluster_person_names(self, persons: list[Candidate]) -> None:
        """Full names first; then short forms ("Putin", "Xi") join the full name they are part of."""
        full = [c for c in persons if len(c.key.split()) > 1]
        for c in full:
            idx = self._same_person(c.key.split())
            if idx is None:
                idx = self._new("person", c.key)
            self._join(c, idx)
            cl = self.clusters[idx]
            if len(c.key.split()) > len(cl.name.split()):
                cl.name = c.key
        for c in persons:
            if c.entity is not None:
                continue
            matches = [i for i, cl in enumerate(self.clusters)
                       if cl.kind == "person" and c.key in cl.name.split()]
            if c.gender:        # "Mrs. Clinton" is not Bill Clinton
                matches = [i for i in matches if self.clusters[i].gender in (None, c.gender)] or matches
            if matches:
                self._join(c, self._principal(matches, c.start))
            else:
                key = ("person", c.key.lower())
                self._join(c, self.by_key[key] if key in self.by_key else self._new("person", c.key))

    def _same_person(self, tokens: list[str]) -> int | None:
        for i, cl in enumerate(self.clusters):
            other = cl.name.split()
            if cl.kind == "person" and other[-1] == tokens[-1] and (
                    other[0] == tokens[0] or other[0][0] == tokens[0][0] and (len(other[0]) <= 2 or len(tokens[0]) <= 2)):
                return i
        return None

    def _principal(self, idxs: list[int], start: int) -> int:
        """Of several people a short name fits ("Cruz": Ted Cruz, Heidi Cruz), the one named most often
        before ``start``, the article's principal; of equals, the one mentioned last."""
        named = {i: sum(1 for m in self.clusters[i].members if m.start < start) for i in idxs}
        top = max(named.values())
        return self._nearest([i for i in idxs if named[i] == top], start)

    def _nearest(self, idxs: list[int], start: int) -> int:
        """Of several entities, the one mentioned last before ``start`` (else first after it)."""
        def last_before(i):
            before = [m.start for m in self.clusters[i].members if m.start < start]
            return max(before) if before else -1
        best = max(idxs, key=last_before)
        if last_before(best) >= 0:
            return best
        return min(idxs, key=lambda i: min(m.start for m in self.clusters[i].members))

    def _add_named(self, c: Candidate) -> None:
        kind = "country" if c.kind == "demonym" else c.etype
        key = (kind, c.key.lower())
        idx = self.by_key.get(key)
        if idx is None:
            idx = self._new(kind, c.key)
        self._join(c, idx)

    # ------------------------------------------------------------ nominals and pronouns
    def _add_nominal(self, c: Candidate, cands: list[Candidate]) -> None:
        if c.etype == "organization":
            # "the company" joins the most salient organization before it, or stays out of the entities.
            generic = c.key in ("company", "firm", "group")
            scores = self._salience(c, lambda cl: cl.kind == "organization" and (
                c.key in cl.name.lower() or generic and cl.sector in (None, "BUS")))
            if scores:
                self._join(c, max(scores, key=scores.get))
            return
        idx = self._apposition(c, cands)
        if idx is None:
            scores = self._salience(c, lambda cl: self._nominal_fits(c, cl))
            idx = max(scores, key=scores.get) if scores else None
        if idx is None:
            idx = self._new("person", c.extra.get("name") or c.text)
        self._join(c, idx)

    def _apposition(self, c: Candidate, cands: list[Candidate]) -> int | None:
        """"Iran's president, Mohammad Khatami," or "Mohammad Khatami, Iran's president,"."""
        doc = self.doc
        for other in cands:
            if other.etype != "person" or other.kind != "name" or other.entity is None:
                continue
            if other.tok_start == c.tok_end + 1 and doc[c.tok_end].text == ",":
                return other.entity
            if c.tok_start == other.tok_end + 1 and doc[other.tok_end].text == ",":
                return other.entity
        return None

    def _nominal_fits(self, c: Candidate, cl: _Cluster) -> bool:
        if cl.kind != "person":
            return False
        if c.country and cl.country and c.country != cl.country:
            return False
        if c.country and not cl.country:
            return False
        if cl.title is None:
            return c.title_rank == "head" and c.country is not None and cl.country == c.country
        same = cl.title.lower() == (c.title or "").lower()
        generic = c.title_rank == "head" and cl.title_rank == "head" or c.key in ("leader", "official")
        return same or generic

    def _add_pronoun(self, c: Candidate, cands: list[Candidate]) -> None:
        p = c.key
        if p in ("he", "him", "his", "himself", "she", "her", "hers", "herself"):
            want = c.gender
            fits = lambda cl: cl.kind == "person" and (cl.gender is None or cl.gender == want)  # noqa: E731
        elif p in ("it", "its", "itself"):
            fits = lambda cl: (cl.kind in ("country", "capital", "organization") or  # noqa: E731
                               cl.kind == "group" and cl.number == "sg")
        else:  # they, them, their, theirs, themselves
            fits = lambda cl: cl.kind == "group" and cl.number == "pl"  # noqa: E731
        scores = self._salience(c, fits)
        if not scores:
            return
        idx = max(scores, key=scores.get)
        base = "it" if p.startswith("it") else "they" if p.startswith("the") else ""
        if scores[idx] < PRONOUN_MIN.get(base, 0.0):
            return
        self._join(c, idx)

    def _salience(self, c: Candidate, fits) -> dict[int, float]:
        """Salience of each fitting entity at mention ``c``, from its mentions in the last WINDOW sentences."""
        here = self.sidx.at(c.start)
        banned = self._bound_subject(c)
        scores: dict[int, float] = {}
        for i, cl in enumerate(self.clusters):
            if not fits(cl) or i == banned:
                continue
            per_sentence: dict[int, float] = {}
            for m in cl.members:
                if m.start >= c.start or m is c:
                    continue
                d = here - self.sidx.at(m.start)
                if d > WINDOW:
                    continue
                # As in Lappin and Leass, a sentence counts a role once: more mentions of an entity in
                # one sentence do not make it more salient than its most prominent mention there.
                per_sentence[d] = max(per_sentence.get(d, 0.0), self._role_weight(m))
            s = sum(w * 0.5 ** d for d, w in per_sentence.items())
            if s > 0:
                scores[i] = s
        return scores

    def _role_weight(self, m: Candidate) -> float:
        tok = self.doc[m.head]
        if not tok.dep_:   # sentence not parsed: first mention in its sentence counts as the subject
            sent_start = self.sidx.sentences[self.sidx.at(m.start)].start
            first = not any(t.ent_type_ for t in self.doc.char_span(sent_start, m.start, alignment_mode="expand") or [])
            return 70.0 if first else 40.0
        dep = tok.dep_
        if dep == "pobj" and tok.head.dep_ == "prep" and tok.head.head.pos_ in ("NOUN", "PROPN"):
            return 20.0   # inside a noun's modifier ("a conference in Beijing")
        weight = float(ROLE_WEIGHT.get(dep, 30))
        if self._in_noun_clause(tok):
            weight *= EMBEDDED   # "proposals that Beijing issued": Beijing is no head of its phrase
        return weight

    @staticmethod
    def _in_noun_clause(tok) -> bool:
        """True inside a clause that modifies a noun (a relative or participial clause)."""
        node = tok
        for _ in range(12):
            if node.head is node:
                return False
            if node.dep_ in ("relcl", "acl") and node.head.pos_ in ("NOUN", "PROPN", "PRON"):
                return True
            node = node.head
        return False

    def _bound_subject(self, c: Candidate) -> int | None:
        """For an object pronoun, the entity of its own verb's subject (it cannot be that: "Reed praised him")."""
        tok = self.doc[c.head]
        if c.extra.get("case") != "obj" or not tok.dep_ or c.key.endswith("self") or c.key.endswith("selves"):
            return None
        verb = tok.head if tok.dep_ in ("dobj", "dative", "iobj") else None
        if verb is None:
            return None
        for child in verb.children:
            if child.dep_ in ("nsubj", "nsubjpass"):
                return self._entity_at(child.i)
        return None

    def _entity_at(self, i: int) -> int | None:
        for n, cl in enumerate(self.clusters):
            if any(m.tok_start <= i < m.tok_end for m in cl.members):
                return n
        return None

    # ------------------------------------------------------------ capitals as states
    def _capitals_as_states(self, cands: list[Candidate]) -> None:
        for c in cands:
            if c.entity is None or c.kind != "name" or self.clusters[c.entity].kind != "capital":
                continue
            if c.tok_start and self._locative(self.doc[c.tok_start - 1]):
                continue
            country = self.kb.country_by_iso3.get(self.clusters[c.entity].country or "")
            if country is None:
                continue
            key = ("country", country.name.lower())
            state = self.by_key.get(key)
            if state is None:
                state = self._new("country", country.name)
                self.clusters[state].country = country.iso3
            self.clusters[c.entity].stands_for = state
            c.acts_as_state = True

    @staticmethod
    def _locative(prev) -> bool:
        if prev.lower_ in LOCATIVE:
            return True
        if prev.lower_ in DIRECTIONAL:
            # Without a parse, assume a place; with one, only after a motion word.
            return not prev.dep_ or prev.head.lemma_.lower() in MOTION
        return False

    # ------------------------------------------------------------ output
    def _entities(self, cands: list[Candidate]) -> list[Entity]:
        used = [i for i, cl in enumerate(self.clusters) if cl.members or cl.stands_for is None and
                any(o.stands_for == i for o in self.clusters)]
        first = {i: min((m.start for m in self.clusters[i].members), default=10 ** 12) for i in used}
        order = sorted(used, key=lambda i: (first[i], i))
        ids = {i: f"e{n}" for n, i in enumerate(order, 1)}
        out = []
        for i in order:
            cl = self.clusters[i]
            mentions = []
            for m in sorted(cl.members, key=lambda m: m.start):
                mentions.append(Mention(
                    m.start, m.end, m.text, m.kind, self.sidx.at(m.start), head=self.doc[m.head].text,
                    acts_as=ids.get(cl.stands_for) if m.acts_as_state else None))
            label = KIND_LABEL.get(cl.kind, "GPE")
            if cl.kind == "place":
                label = next((m.label for m in cl.members if m.label), "LOC")
            out.append(Entity(
                id=ids[i], name=cl.name, label=label, kind=cl.kind, mentions=mentions, country=cl.country,
                sector=cl.sector or ("GOV" if cl.kind == "country" else None), title=cl.title,
                nationality=cl.nationality, gender=cl.gender, number=cl.number,
                stands_for=ids.get(cl.stands_for)))
        return out
