"""Events: who did what to whom, coded to PLOVER (with the CAMEO code beside it), as GDELT, PETRARCH
and POLECAT do, with the evidence in the text.

1. Triggers and roles come from the parse (stages/event_roles.py) and the trigger lexicons derived
   from the CAMEO verb dictionary (knowledge/event_verbs.tsv, event_patterns.tsv, event_nouns.tsv,
   event_adjectives.tsv).
2. Source and target are coded as actors with country and sector (stages/actors.py); an event
   needs an actor as its source and a target (protests and mobilisations may have none). The target
   is an actor, or, for a noun trigger or a CAMEO phrase pattern, a thing ("condemned the decision").
3. The event typer (stages/event_model.py, trained on PLV) reads the sentence with both actors and
   the trigger marked and weighs the lexicon's type against its own reading; a verb the lexicon
   gives no type is typed by it alone, when asserted between two placed actors.
   The pair tagger (also trained on PLV) marks the actors of a sentence's event the way PLV's coders
   do: it adds a second target to a trigger, or links two actors with no trigger between them.
4. Negation, modality (asserted / reported / intended / hypothetical / historical) and a date when
   the clause gives one.
5. One record per (source, type, target) in the article: a repeat in a later sentence adds nothing.
"""
from __future__ import annotations

import re
from dataclasses import replace

from spacy.tokens import Doc, Token

from ..knowledge import Knowledge
from ..model import Analysis, Event, Span
from . import stage
from .actors import Mentions, code_actor, code_source, compound, key, thing
from .common import is_parsed
from .event_roles import OPEN, Candidate, candidates

# How much the lexicon's type counts against the typer's probabilities, chosen on PLV's tuning fifth:
# a verb's default code or a noun's or a phrase pattern's code (0.8: the typer overrides them only
# when it is far surer of another type), and an adjective with its preposition and object
# ("open to talks", written for newsgraph, specific enough that the typer never overrides it).
LEXICON_WEIGHT = 0.8
SPECIFIC_WEIGHT = 0.8
ADJECTIVE_WEIGHT = 1.0
TARGETLESS = {"PROTEST", "MOBILIZE"}
OPEN_MODALITIES = {"asserted", "historical", "intended"}
MUTUAL = {"CONSULT", "AGREE", "SUPPORT", "COOPERATE"}      # done together by coordinated actors
YIELD = {"CONCEDE", "RETREAT"}
HYPOTHETICAL_AUX = {"would", "could", "might", "may", "should"}
FUTURE_AUX = {"will", "shall", "'ll"}
INTENT_VERBS = {"plan", "intend", "want", "seek", "aim", "hope", "try", "promise", "vow", "pledge",
                "threaten", "prepare", "decide", "agree", "offer", "propose", "expect"}
CONDITIONAL_MARKS = {"if", "unless"}
MONTHS = ("january february march april may june july august september october november "
          "december").split()
DATE_RE = re.compile(r"\b(?:in|since|on)\s+(?:(" + "|".join(m.capitalize() for m in MONTHS) +
                     r")\s+)?((?:19|20)\d\d)\b")


@stage("events", assigns="events", requires=["sentences", "entities", "quotes"])
def find_events(doc: Doc, analysis: Analysis, kb: Knowledge) -> list[Event]:
    if not len(doc) or not kb.event_verbs:
        return []
    mentions = Mentions.of(analysis)
    quotes = analysis.quotes + analysis.attitudes
    found: list[tuple[Candidate, Event]] = []
    per_sentence = []
    for sent_rec in analysis.sentences:
        if sent_rec.duplicate_of is not None:
            continue                              # a repeated sentence tells nothing new
        sent = doc.char_span(sent_rec.start, sent_rec.end, alignment_mode="expand")
        if sent is None or not is_parsed(sent):
            continue
        cands = candidates(sent, kb)
        per_sentence.append((sent_rec, sent, cands))
        for cand in cands:
            ev = _event(cand, sent_rec, mentions, kb, quotes, analysis)
            if ev is not None:
                found.extend((cand, e) for e in _each_actor(ev, cand, mentions, kb, quotes))
    for cand, sent_rec in _tagged_pairs(per_sentence, kb):
        ev = _event(cand, sent_rec, mentions, kb, quotes, analysis)
        if ev is not None:
            found.append((cand, ev))
    _type(found, kb)
    # A verb with no code of its own is typed by the typer alone, which reads one event per sentence
    # best: it stands only for what the sentence asserts, not for what it reports or supposes.
    found = [(c, ev) for c, ev in found if c.codes[0].type or (
        ev.modality in OPEN_MODALITIES and _coded(ev.source) and _coded(ev.target))]
    return _unique([ev for _, ev in found if ev.type and (ev.target is not None or ev.type in TARGETLESS)])


def _event(cand: Candidate, sent_rec, mentions: Mentions, kb: Knowledge, quotes, analysis: Analysis) -> Event | None:
    source = code_source(cand.source, mentions, kb, quotes)
    if source is None:
        return None
    target, best = None, 0
    for tok in cand.targets:                     # the most clearly named actor, the earliest of equals
        if _own(tok, source, mentions):
            continue                             # "withdraw its troops from X": the troops are its own
        actor = code_actor(tok, mentions, kb, quotes)
        if actor is None or key(actor) == key(source):
            continue
        strength = _strength(tok, actor, mentions)
        if strength > best:
            target, best = actor, strength
    if cand.retarget and not _coded(target):
        return None                               # a second target only when it is a placed actor
    if target is None and (cand.kind != "verb" or cand.patterned) and cand.codes[0].type:
        # else the first that is a thing ("condemned the decision"); a verb's default code needs an
        # actor as target, as in PETRARCH, but a phrase pattern ("halted transactions") does not
        target = next((t for t in (thing(tok) for tok in cand.targets[:1]) if t is not None), None)
    trig = cand.trigger
    doc = trig.doc
    end_tok = doc[cand.trigger_end - 1]
    trigger = Span.of(analysis.text, trig.idx, end_tok.idx + len(end_tok))
    code = cand.codes[0]
    negated = _negated(trig)
    modality, date = _modality(trig, quotes, analysis.article.published)
    return Event(type=code.type, source=source, target=target, trigger=trigger,
                 sentence=Span.of(analysis.text, sent_rec.start, sent_rec.end), mode=code.mode or None,
                 cameo=code.cameo or None, negated=negated, modality=modality, date=date,
                 confidence=1.0)


def _strength(tok: Token, actor, mentions: Mentions) -> int:
    """How clearly a target phrase names an actor: 3 when its head is a named one (a person, a state,
    an organization: "sent troops into Libya"), 2 for a group or office of a known country ("the
    government of Italy"), 1 when an actor is only mentioned inside it ("teams of CIA operatives")."""
    at_head = mentions.at(tok.idx, tok.idx + len(tok))
    if at_head is not None and at_head.kind != "group" or at_head is None and tok.pos_ == "PROPN":
        return 3
    if actor.sector and actor.country or at_head is not None and at_head.country:
        return 2
    return 1


def _tagged_pairs(per_sentence, kb: Knowledge) -> list[tuple[Candidate, object]]:
    """Candidates from the pair tagger, which marks the actors of a sentence's event as PLV does:
    a trigger whose source it marks gets the target it marks too ("sent troops into Libya": Libya),
    and two marked actors with no trigger between them are linked by the word that joins them in
    the parse, typed by the typer alone. Only sentences with a trigger or two entity mentions are read."""
    model = kb.pair_model
    if model is None:
        return []
    todo = [(rec, sent, cands) for rec, sent, cands in per_sentence if cands or sum(
        1 for t in sent if t.ent_type_ in ("PERSON", "ORG", "GPE", "NORP")) >= 2]
    out = []
    text = todo[0][1].doc.text if todo else ""
    for (rec, sent, cands), (src, tgt) in zip(todo, model.pairs([text[rec.start:rec.end] for rec, _, _ in todo])):
        if src is None or tgt is None:
            continue
        doc = sent.doc
        s_span = doc.char_span(rec.start + src[0], rec.start + src[1], alignment_mode="expand")
        t_span = doc.char_span(rec.start + tgt[0], rec.start + tgt[1], alignment_mode="expand")
        if s_span is None or t_span is None or not len(s_span) or not len(t_span):
            continue
        s_tok, t_tok = s_span.root, t_span.root
        if s_tok.pos_ not in ("NOUN", "PROPN", "PRON") or t_tok.pos_ not in ("NOUN", "PROPN", "PRON"):
            continue                              # "Chinese exports": an adjective is no actor
        sources = [c for c in cands if c.source is not None and s_span.start <= c.source.i < s_span.end]
        for c in sources:
            if not any(t_span.start <= t.i < t_span.end for t in c.targets[:1]):
                out.append((replace(c, targets=[t_tok], places=set(), retarget=True), rec))
        if not sources:
            link = _link(s_tok, t_tok)
            if link is not None and link.pos_ in ("VERB", "NOUN") and link.lemma_.lower() not in kb.speech_lemmas \
                    and not (s_span.start <= link.i < s_span.end or t_span.start <= link.i < t_span.end):
                kind = "verb" if link.pos_ == "VERB" else "noun"
                out.append((Candidate(link, kind, s_tok, [t_tok], [OPEN], link.i + 1), rec))
    return out


def _link(a: Token, b: Token) -> Token | None:
    """The lowest common ancestor of two tokens in the parse."""
    up = [a, *a.ancestors]
    return next((t for t in [b, *b.ancestors] if t in up), None)


def _own(tok: Token, source, mentions: Mentions) -> bool:
    """True for a phrase the source possesses ("its troops", "his forces", "their own borders")."""
    poss = next((c for c in tok.children if c.dep_ == "poss"), None)
    if poss is None:
        return False
    owner = mentions.at(poss.idx, poss.idx + len(poss))
    return owner is not None and (owner.id == source.entity or owner.name == source.name)


def _each_actor(ev: Event, cand: Candidate, mentions: Mentions, kb: Knowledge, quotes) -> list[Event]:
    """One event per actor of a coordinated source or target ("Russian and Chinese banks")."""
    sources = compound(cand.source, ev.source, mentions, kb, quotes)
    at_place = ev.target is not None and any(ev.target.start <= cand.trigger.doc[i].idx < ev.target.end
                                             for i in cand.places)
    if (ev.target is None or at_place) and len(sources) > 1 and (not ev.type or ev.type in MUTUAL):
        # "Armenia and Azerbaijan signed an agreement": each did it with the other
        return [replace(ev, source=s, target=t) for s in sources for t in sources if s is not t]
    targets = [ev.target]
    if ev.target is not None and (ev.target.entity is not None or ev.target.country):
        tok = next((t for t in cand.targets if t.idx <= ev.target.start < t.idx + len(t) or
                    ev.target.start <= t.idx < ev.target.end), None)
        if tok is not None:
            targets = compound(tok, ev.target, mentions, kb, quotes)
    if len(sources) == 1 and len(targets) == 1:
        return [ev]
    return [replace(ev, source=s, target=t) for s in sources for t in targets
            if t is None or key(s) != key(t) or s.country != t.country]


def _type(found: list[tuple[Candidate, Event]], kb: Knowledge) -> None:
    """Weigh the typer's reading of each (sentence, source, target) against the lexicon's type."""
    model = kb.event_model
    todo = [(c, ev) for c, ev in found if ev.target is not None]
    if model is None or not todo:
        return
    items = []
    for _, ev in todo:
        s0 = ev.sentence.start
        items.append((ev.sentence.text, (ev.source.start - s0, ev.source.end - s0),
                      (ev.target.start - s0, ev.target.end - s0), (ev.trigger.start - s0, ev.trigger.end - s0)))
    for (cand, ev), probs in zip(todo, model.types(items)):
        lexical = {_root(c.type) for c in cand.codes if c.type}
        weight = ADJECTIVE_WEIGHT if cand.kind == "adjective" else \
            LEXICON_WEIGHT if cand.kind == "verb" and not cand.patterned else SPECIFIC_WEIGHT
        scored = {t: p + (weight if t in lexical else 0.0) for t, p in probs.items()}
        best = max(scored, key=scored.get)
        ev.confidence = round(probs[best], 3)
        if ev.type and best == _root(ev.type):
            continue
        ev.type, ev.mode, ev.cameo = _code_for(best, cand, kb)


def _root(plover_type: str) -> str:
    return "YIELD" if plover_type in YIELD else plover_type


def _code_for(root: str, cand: Candidate, kb: Knowledge) -> tuple[str, str | None, str | None]:
    """A PLOVER type (and CAMEO code) for a root the typer chose over the lexicon."""
    if root == "YIELD":
        plover = "CONCEDE" if cand.kind == "adjective" or cand.trigger.lemma_.lower() in kb.speech_lemmas \
            else "RETREAT"
    else:
        plover = root
    return plover, None, kb.default_cameo.get(plover)


def _negated(trig: Token) -> bool:
    """"never condemned", "did not invade", "no talks"."""
    for t in (trig, trig.head if trig.dep_ in ("xcomp", "acomp") else None):
        if t is not None and any(c.dep_ == "neg" for c in t.children):
            return True
    return any(c.dep_ == "det" and c.lower_ == "no" for c in trig.children)


def _modality(trig: Token, quotes, published: str | None) -> tuple[str, str | None]:
    """asserted | reported | intended | hypothetical | historical, and a date the clause gives."""
    verb = trig if trig.pos_ in ("VERB", "AUX") else trig.head
    aux = {c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")}
    date = _date(verb)
    node, conditional = verb, False
    for _ in range(8):
        if any(c.dep_ == "mark" and c.lower_ in CONDITIONAL_MARKS for c in node.children):
            conditional = True
            break
        if node.head is node:
            break
        node = node.head
    if aux & HYPOTHETICAL_AUX or conditional:
        return "hypothetical", date
    if aux & FUTURE_AUX or (verb.dep_ == "xcomp" and verb.head.lemma_.lower() in INTENT_VERBS):
        return "intended", date
    since = any(c.dep_ == "mark" and c.lower_ == "since" for c in verb.children)
    if date and (since or _before(date, published)):
        return "historical", date
    if any(q.speaker is not None and any(s.start <= trig.idx < s.end for s in q.content) for q in quotes):
        return "reported", date
    return "asserted", date


def _date(verb: Token) -> str | None:
    """"in February 2022" -> 2022-02, "in 2014" -> 2014, from the verb's own clause."""
    toks = [t for t in verb.subtree if t.head == verb or t.head.head == verb or t.head.head.head == verb]
    if not toks:
        return None
    doc = verb.doc
    text = doc.text[min(t.idx for t in toks):max(t.idx + len(t) for t in toks)]
    m = DATE_RE.search(text)
    if not m:
        return None
    month, year = m.group(1), m.group(2)
    return f"{year}-{MONTHS.index(month.lower()) + 1:02d}" if month else year


def _before(date: str, published: str | None) -> bool:
    return bool(published) and date[:7] < published[:len(date[:7])]


def _unique(events: list[Event]) -> list[Event]:
    """One record per (source, type, target) in the article: the first telling. An event whose target
    names no actor ("hailed those growing ties") is dropped when the same source already has an event
    of that type with an actor as target: it is a vaguer telling of the same thing."""
    seen: set[tuple[str, str, str]] = set()
    with_actor = {(key(ev.source), ev.type) for ev in events if ev.target is not None and _is_actor(ev.target)}
    out = []
    for ev in events:
        k = (key(ev.source), ev.type, key(ev.target))
        if k in seen or (ev.target is not None and not _is_actor(ev.target) and k[:2] in with_actor):
            continue
        seen.add(k)
        out.append(ev)
    return out


def _coded(actor) -> bool:
    """An actor with a country or a sector: what an event coder can place (PETRARCH codes no other)."""
    return actor is not None and bool(actor.country or actor.sector)


def _is_actor(actor) -> bool:
    return bool(actor.name or actor.entity or actor.country or actor.sector)
