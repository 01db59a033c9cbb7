"""The event judge: is a candidate event an interaction PLOVER codes at all, and how sure are we?

The trigger lexicons and the typer find many candidates that are no event: a tennis player who
"defeated" another, a film "directed" by someone, a company that "unveiled" a product. The judge is a
logistic regression over what the events stage knows of each candidate (who its actors are, how the
trigger was found, what the typer thinks, how the sentence tells it, what kind of article it is in),
fitted by ``scripts/train_event_judge.py`` on events labelled by hand in BBC articles (all five
categories, with the negatives that general news is full of) and on PLV's political events. Its
output is the event's ``confidence``, a calibrated probability that the event is right. Pure; no I/O.
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

from ...knowledge import Knowledge
from ...model import Actor, Analysis, Entity, Event
from ..common import RELATIVE
from ..transformer import model_folder

PLOVER = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE",
          "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT")
MODALITIES = ("asserted", "reported", "intended", "hypothetical", "historical", "uncertain")
ACTOR_KINDS = ("person", "state", "organization", "group", "named", "thing", "none")
STATE_SECTORS = {"GOV", "MIL", "LEG", "JUD", "COP", "SPY", "IGO", "PTY", "REB", "UAF", "OPP"}
# "6-2", "3-1": a score, as sport reports give them.
SCORE = re.compile(r"(?<![\w-])\d{1,2}-\d{1,2}(?![\w-])")


def _actor_features(prefix: str, actor: Actor | None, analysis: Analysis, kb) -> dict[str, float]:
    out = {f"{prefix}_{k}": 0.0 for k in ACTOR_KINDS}
    entity = analysis.entity(actor.entity) if actor is not None else None
    out[f"{prefix}_{actor_kind(actor, entity)}"] = 1.0
    if actor is None:
        return out
    known = actor.name and (kb.known_actor(actor.name) is not None or kb.organization(actor.name) is not None)
    out.update({
        f"{prefix}_pronoun": float(_pronoun(actor.text.strip().lower(), kb)),
        f"{prefix}_coded": float(bool(actor.country or actor.sector)),
        f"{prefix}_country": float(bool(actor.country)),
        f"{prefix}_political": float((actor.sector or "")[:3] in STATE_SECTORS),
        f"{prefix}_business": float((actor.sector or "")[:3] == "BUS"),
        f"{prefix}_known": float(bool(known)),
        f"{prefix}_titled": float(bool(entity is not None and entity.title)),
        f"{prefix}_mentions": min(1.0, (len(entity.mentions) if entity is not None else 0) / 5),
    })
    return out


def _pronoun(word: str, kb) -> bool:
    """A personal pronoun of the first or third person ("we", "him") or a relative one ("who")."""
    return word in kb.pronoun_forms("13", {"subj", "obj"}) or word in RELATIVE


def actor_kind(actor: Actor | None, entity: Entity | None) -> str:
    """person | state | organization | group | named (a name of no known kind) | thing | none."""
    if actor is None:
        return "none"
    if entity is not None:
        if entity.kind in ("country", "capital") or entity.kind in ("city", "place") and actor.country:
            return "state"
        if entity.kind in ("person", "organization", "group"):
            return entity.kind
    if actor.sector and not actor.name and actor.country:
        return "group"
    if actor.sector and actor.country and actor.sector[:3] == "GOV":
        return "state"
    if actor.sector:
        return "group" if actor.name and actor.name[:1].islower() else "organization"
    if actor.name:
        return "named" if actor.name[:1].isupper() else "thing"
    return "thing"


@dataclass
class ArticleStats:
    """What kind of article it is, from its entities: how many states and office-holders it names."""
    states: float
    titled: float
    known: float

    @classmethod
    def of(cls, analysis: Analysis, kb) -> "ArticleStats":
        ents = analysis.entities
        states = sum(1 for e in ents if e.kind in ("country", "capital"))
        people = [e for e in ents if e.kind == "person"]
        titled = sum(1 for e in people if e.title)
        known = sum(1 for e in ents if e.kind in ("person", "organization") and
                    (kb.known_actor(e.name) is not None or kb.organization(e.name) is not None))
        return cls(min(1.0, states / 4), titled / len(people) if people else 0.0, min(1.0, known / 4))


def features(ev: Event, probs: dict[str, float] | None, how: dict, analysis: Analysis, stats: ArticleStats,
             kb) -> dict[str, float]:
    """The judge's view of one candidate event. ``how`` says how the trigger was found: kind (verb |
    noun | adjective | link), lexical (the lexicon gave a type), patterned, retarget, speech,
    lexicon_agrees (the lexicon's type is the one chosen), in_quote (told inside a quote), pair (two
    actors of the sentence, with no trigger of their own)."""
    out: dict[str, float] = {"bias": 1.0}
    out.update(_actor_features("src", ev.source, analysis, kb))
    out.update(_actor_features("tgt", ev.target, analysis, kb))
    for k in ("verb", "noun", "adjective", "link"):
        out[f"trigger_{k}"] = float(how.get("kind") == k)
    for k in ("lexical", "patterned", "retarget", "speech", "lexicon_agrees", "in_quote", "pair"):
        out[k] = float(bool(how.get(k)))
    for t in PLOVER:
        out[f"type_{t}"] = float(ev.type == t)
    for m in MODALITIES:
        out[f"modality_{m}"] = float(ev.modality == m)
    none = (probs or {}).get("NONE", 0.0)
    types = {t: p / max(1e-6, 1.0 - none) for t, p in (probs or {}).items() if t != "NONE"}
    ranked = sorted(types.values(), reverse=True)
    root = "YIELD" if ev.type in ("CONCEDE", "RETREAT") else ev.type
    p = types.get(root, 0.0)
    out["typer_none"] = none
    out["typer_event"] = 1.0 - none if probs else 0.0
    out["typer_p"] = p
    out["typer_margin"] = p - (ranked[1] if len(ranked) > 1 else 0.0) if ranked and p >= ranked[0] else 0.0
    out["typer_missing"] = float(not probs)
    both = ev.source is not None and ev.target is not None
    out["same_country"] = float(both and bool(ev.source.country) and ev.source.country == ev.target.country)
    out["both_states"] = out["src_state"] * out["tgt_state"]
    out["person_person"] = out["src_person"] * out["tgt_person"]
    out["score_in_sentence"] = float(bool(ev.sentence is not None and SCORE.search(ev.sentence.text)))
    out["article_states"] = stats.states
    out["article_titled"] = stats.titled
    out["article_known"] = stats.known
    out["sentence_words"] = min(1.0, len(ev.sentence.text.split()) / 50) if ev.sentence is not None else 0.0
    return out


class EventJudge:
    """``judge.probabilities([features, ...]) -> [p, ...]``: weights fitted by scripts/train_event_judge.py."""

    def __init__(self, spec: dict):
        self.weights: dict[str, float] = spec["weights"]
        self.threshold: float = float(spec.get("threshold", 0.5))
        self.spec = spec

    def probability(self, feats: dict[str, float]) -> float:
        z = sum(self.weights.get(k, 0.0) * v for k, v in feats.items())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def probabilities(self, rows: list[dict[str, float]]) -> list[float]:
        return [self.probability(f) for f in rows]


def event_judge(kb: Knowledge) -> EventJudge | None:
    """The shipped judge (models/event_judge.json), loaded once per Knowledge; None when not shipped."""
    def load(_):
        path = model_folder(Path(__file__).parent / "models") / "event_judge.json"
        return EventJudge(json.loads(path.read_text(encoding="utf-8"))) if path.is_file() else None
    return kb.resource("events.judge", load)
