"""Events: who did what to whom, coded to PLOVER (with the CAMEO code beside it), as GDELT, PETRARCH
and POLECAT do, with the evidence in the text.

1. Triggers and roles come from the parse (stages/events/roles.py) and the trigger lexicons derived
   from the CAMEO verb dictionary (data/event_verbs.tsv, event_patterns.tsv, event_nouns.tsv,
   event_adjectives.tsv).
2. Source and target are coded as actors with country and sector (stages/events/actors.py); an event
   needs an actor as its source and a target (protests and mobilisations may have none). The target
   is an actor, or, for a noun trigger or a CAMEO phrase pattern, a thing ("condemned the decision").
3. The event typer (stages/events/typer.py, trained on PLV) reads the sentence with both actors and
   the trigger marked and weighs the lexicon's type against its own reading; a verb the lexicon
   gives no type is typed by it alone, when asserted between two placed actors.
   The pair tagger (also trained on PLV) marks the actors of a sentence's event the way PLV's coders
   do: it adds a second target to a trigger, or links two actors with no trigger between them.
4. Negation, modality (asserted / reported / intended / hypothetical / historical / uncertain) and
   the date the times stage gives the clause.
5. A confidence for each candidate (a rule and the judge, stages/events/judge.py); below the
   stage's ``min_confidence`` nothing is kept unless ``keep_all``.
6. One record per (source, type, target) in the article, and per date for a historical one: a
   repeat in a later sentence adds nothing.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date as date_cls, timedelta

from spacy.tokens import Doc, Token

from ...knowledge import Knowledge
from ...model import Analysis, Event, Span
from .. import stage
from .actors import code_actor, code_source, compound, key, thing
from ..common import Mentions, dated_times, doc_text, hangs_on, is_parsed, nearest
from .judge import ArticleStats, event_judge, features
from .lexicon import lexicon
from .roles import OPEN, Candidate, candidates
from .typer import event_typer, pair_tagger

# How much the lexicon's type counts against the typer's probabilities, chosen on PLV's tuning fifth:
# a verb's default code or a noun's or a phrase pattern's code (0.8: the typer overrides them only
# when it is far surer of another type), and an adjective with its preposition and object
# ("open to talks", written for newsgraph, specific enough that the typer never overrides it).
LEXICON_WEIGHT = 0.8
SPECIFIC_WEIGHT = 0.8
ADJECTIVE_WEIGHT = 1.0
TARGETLESS = {"PROTEST", "MOBILIZE"}
OPEN_MODALITIES = {"asserted", "historical", "intended"}
ACTOR_TARGETS = ("person", "state", "organization", "group")
MUTUAL = {"CONSULT", "AGREE", "SUPPORT", "COOPERATE"}      # done together by coordinated actors
NONE = "NONE"                                            # the typer's label for "no event here"
SYMMETRIC = {"CONSULT", "COOPERATE"}                     # X met Y: Y met X
COOPERATIVE = {"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT"}   # not doing them is REJECT
YIELD = {"CONCEDE", "RETREAT"}

@stage("events", assigns="events", requires=["sentences", "duplicates", "entities", "quotes", "times"],
       defaults={"min_confidence": 0.5, "keep_all": False})
def find_events(doc: Doc, analysis: Analysis, kb: Knowledge, config: dict) -> list[Event]:
    """The events the judge finds likely (confidence at least ``min_confidence``), or, with
    ``keep_all``, every candidate with its confidence."""
    scored = candidate_events(doc, analysis, kb)
    judge = event_judge(kb)
    for ev, feats in scored:
        if judge is not None and not _vetoed(ev, feats):
            ev.confidence = round(max(ev.confidence, judge.probability(feats)), 3)
    events = _unique([ev for ev, _ in scored])
    if config["keep_all"]:
        return events
    return [ev for ev in events if ev.confidence >= config["min_confidence"]]


def candidate_events(doc: Doc, analysis: Analysis, kb: Knowledge) -> list[tuple[Event, dict]]:
    """Every candidate event of the article, typed, with the judge's features, before judging."""
    found = raw_candidates(doc, analysis, kb)
    quotes = analysis.quotes + analysis.attitudes
    probs = _type(found, kb)
    stats = ArticleStats.of(analysis, kb)
    # Who met someone named in the sentence: for them a place after "in" or "at" is only where it was
    # ("arrived in Beijing" alone is a visit to China).
    where = {id(ev): (_locative(doc, ev.source), _locative(doc, ev.target))
             for _, ev in found if ev.type in MUTUAL}
    met = {(ev.sentence.start, key(a)) for _, ev in found if ev.type in MUTUAL and ev.target is not None
           and not any(where[id(ev)]) for a in (ev.source, ev.target)}
    out = []
    for cand, ev in found:
        if not ev.type or (ev.target is None and ev.type not in TARGETLESS):
            continue
        if ev.type in MUTUAL:
            source_is_place, target_is_place = where[id(ev)]
            if target_is_place and (ev.sentence.start, key(ev.source)) in met or \
                    source_is_place and (ev.sentence.start, key(ev.target)) in met:
                continue                          # "met Xi in Beijing": where they met, not whom
        if ev.negated and ev.type in COOPERATIVE and ev.target is not None:
            # "will not attend the talks", "did not agree": what happened is a refusal (PLOVER's REJECT)
            ev.type, ev.mode, ev.cameo, ev.negated = "REJECT", None, lexicon(kb).default_cameo.get("REJECT"), False
        elif ev.negated and ev.type == "REJECT" and any(c.type in COOPERATIVE for c in cand.codes):
            ev.negated = False                    # the typer read the refusal already
        lexical = bool(cand.codes[0].type)
        how = {"kind": "link" if cand.origin != "rule" else cand.kind, "pair": cand.origin == "pair", "lexical": lexical, "patterned": cand.patterned,
               "retarget": cand.retarget, "speech": cand.trigger.lemma_.lower() in kb.speech_lemmas,
               "lexicon_agrees": lexical and _root(cand.codes[0].type) == _root(ev.type),
               "in_quote": _in_quote(ev, quotes)}
        p = probs.get(id(ev))
        feats = features(ev, p, how, analysis, stats, kb)
        ev.confidence = _rule_confidence(ev, cand, lexical, feats)
        out.append((ev, feats))
        if ev.type in SYMMETRIC and ev.source is not None and ev.target is not None:
            # "Blair met Annan": Annan met Blair too
            out.append((replace(ev, source=ev.target, target=ev.source), out[-1][1]))
    return out


def raw_candidates(doc: Doc, analysis: Analysis, kb: Knowledge) -> list[tuple[Candidate, Event]]:
    """Candidate events before typing: the triggers the lexicons find with their roles, the pairs the
    pair tagger marks, and every ordered pair of actors a sentence names (its linking word as trigger),
    each coded with its actors. The typer then says which of them are events, and of what type."""
    if not len(doc) or not lexicon(kb).event_verbs:
        return []
    mentions = Mentions.of(analysis)
    quotes = analysis.quotes + analysis.attitudes
    dated = dated_times(analysis)
    found: list[tuple[Candidate, Event]] = []
    per_sentence = []
    by_sentence = _actor_mentions(analysis)
    for k, sent_rec in enumerate(analysis.sentences):
        if sent_rec.duplicate_of is not None:
            continue                              # a repeated sentence tells nothing new
        sent = doc.char_span(sent_rec.start, sent_rec.end, alignment_mode="expand")
        if sent is None or not is_parsed(sent):
            continue
        cands = candidates(sent, kb)
        per_sentence.append((sent_rec, sent, cands))
        told = set()
        for cand in cands:
            ev = _event(cand, sent_rec, mentions, kb, quotes, analysis, dated)
            if ev is not None:
                for e in _each_actor(ev, cand, mentions, kb, quotes):
                    found.append((cand, e))
                    told.add((key(e.source), key(e.target)))
        for cand in _linked_pairs(doc, by_sentence.get(k, []), kb):
            ev = _event(cand, sent_rec, mentions, kb, quotes, analysis, dated)
            if ev is not None and ev.target is not None and (key(ev.source), key(ev.target)) not in told \
                    and (ev.source.name or ev.source.text) != (ev.target.name or ev.target.text):
                told.add((key(ev.source), key(ev.target)))
                found.append((cand, ev))
    for cand, sent_rec in _tagged_pairs(per_sentence, kb):
        ev = _event(cand, sent_rec, mentions, kb, quotes, analysis, dated)
        if ev is not None:
            found += [(cand, e) for e in _each_actor(ev, cand, mentions, kb, quotes)]
    # "Norway condemned Sweden": the trigger's roles give the direction; a pair read the other way
    # round on the same word is not another event (both ways come only from symmetric types, later).
    directed = {(c.trigger.i, key(e.source), key(e.target)) for c, e in found if c.origin == "rule"}
    return [(c, e) for c, e in found if c.origin == "rule" or e.target is None
            or (c.trigger.i, key(e.target), key(e.source)) not in directed]


ACTOR_KINDS = {"person", "organization", "country", "capital", "group"}
MAX_PAIR_TOKENS = 40


def _actor_mentions(analysis: Analysis) -> dict[int, list[tuple[int, int, str]]]:
    """Sentence index -> (start, end, entity id) of each mention of an actor that is not inside another
    mention ("Israeli" inside "Israeli officials"), demonyms left out."""
    out: dict[int, list[tuple[int, int, str]]] = {}
    for e in analysis.entities:
        if e.kind not in ACTOR_KINDS:
            continue
        for m in e.mentions:
            if m.kind != "demonym":
                out.setdefault(m.sentence, []).append((m.start, m.end, m.acts_as or e.id))
    for k, ms in out.items():
        ms.sort()
        out[k] = [m for m in ms if not any(o is not m and o[0] <= m[0] and m[1] <= o[1] and o[1] - o[0] > m[1] - m[0]
                                           for o in ms)]
    return out


def _linked_pairs(doc: Doc, actors: list[tuple[int, int, str]], kb: Knowledge) -> list[Candidate]:
    """Each ordered pair of distinct actors of a sentence, joined by their lowest common ancestor in
    the parse when that is a verb, noun or adjective outside both ("Israel shared information with
    the PA": shared), and not a verb of saying or "be" (a speaker and a name in what they said, a
    subject and its description: the event, if any, is told by another word)."""
    heads = []
    for s, e, ent in actors:
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is not None and len(span):
            heads.append((span, span.root, ent))
    out = []
    for sa, a, ea in heads:
        for sb, b, eb in heads:
            if ea == eb or not (sa.end <= sb.start or sb.end <= sa.start) or abs(a.i - b.i) > MAX_PAIR_TOKENS:
                continue
            link = _link(a, b)
            if link is None or link.pos_ not in ("VERB", "NOUN", "ADJ") or link.lemma_.lower() in kb.speech_lemmas \
                    or link.lemma_ == "be" or sa.start <= link.i < sa.end or sb.start <= link.i < sb.end:
                continue
            kind = {"NOUN": "noun", "ADJ": "adjective"}.get(link.pos_, "verb")
            out.append(Candidate(link, kind, a, [b], [OPEN], link.i + 1, origin="pair"))
    return out


def _in_quote(ev: Event, quotes) -> bool:
    return ev.trigger is not None and any(s.start <= ev.trigger.start < s.end for q in quotes for s in q.content)


def _event(cand: Candidate, sent_rec, mentions: Mentions, kb: Knowledge, quotes, analysis: Analysis,
           dated: list) -> Event | None:
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
    date = _date(trig, dated, sent_rec)
    modality = _modality(trig, quotes, date, analysis.article.published, kb)
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
    model = pair_tagger(kb)
    if model is None:
        return []
    todo = [(rec, sent, cands) for rec, sent, cands in per_sentence if cands or sum(
        1 for t in sent if t.ent_type_ in ("PERSON", "ORG", "GPE", "NORP")) >= 2]
    out = []
    text = doc_text(todo[0][1].doc) if todo else ""
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
                out.append((Candidate(link, kind, s_tok, [t_tok], [OPEN], link.i + 1, origin="tagger"), rec))
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


def _type(found: list[tuple[Candidate, Event]], kb: Knowledge) -> dict[int, dict[str, float]]:
    """Weigh the typer's reading of each (sentence, source, target) against the lexicon's type; the
    typer's probabilities by id() of the event."""
    model = event_typer(kb)
    todo = [(c, ev) for c, ev in found if ev.target is not None]
    if model is None or not todo:
        return {}
    items = []
    for _, ev in todo:
        s0 = ev.sentence.start
        items.append((ev.sentence.text, (ev.source.start - s0, ev.source.end - s0),
                      (ev.target.start - s0, ev.target.end - s0), (ev.trigger.start - s0, ev.trigger.end - s0)))
    out = {}
    for (cand, ev), probs in zip(todo, model.types(items)):
        out[id(ev)] = probs
        lexical = {_root(c.type) for c in cand.codes if c.type}
        weight = ADJECTIVE_WEIGHT if cand.kind == "adjective" else \
            LEXICON_WEIGHT if cand.kind == "verb" and not cand.patterned else SPECIFIC_WEIGHT
        # the type among the event types (a typer trained with NONE, "no event", gives that too)
        rest = max(1e-6, 1.0 - probs.get(NONE, 0.0))
        scored = {t: p / rest + (weight if t in lexical else 0.0) for t, p in probs.items() if t != NONE}
        best = max(scored, key=scored.get)
        if ev.type and best == _root(ev.type):
            continue
        if ev.negated and ev.type == "REJECT":
            continue                              # a refusal read off a negated cooperative act stays one
        ev.type, ev.mode, ev.cameo = _code_for(best, cand, kb)
    return out


def _rule_confidence(ev: Event, cand: Candidate, lexical: bool, feats: dict[str, float]) -> float:
    """The rule beside the judge (the higher of the two counts): 1.0 for an event whose trigger the
    lexicons know, or a typed relation of two actors an event coder can place (a country or a sector
    each), told as happening; 0.0 for the rest. Either way (and whatever the judge says) the target
    must be an actor (a person, state, organization or group, not "permission for filming" or a
    product's name), and a sentence that gives a score ("6-2") tells a match, not an interaction."""
    if _vetoed(ev, feats):
        return 0.0
    if lexical or (cand.origin != "pair" and ev.modality in OPEN_MODALITIES
                   and _coded(ev.source) and _coded(ev.target)):
        return 1.0
    return 0.0


def _locative(doc: Doc, actor) -> bool:
    """An actor named as the place of the act: the object of "in" or "at" ("met in Rome")."""
    if actor is None:
        return False
    span = doc.char_span(actor.start, actor.end, alignment_mode="expand")
    return span is not None and len(span) > 0 and span.root.dep_ == "pobj" and span.root.head.lower_ in ("in", "at")


def _vetoed(ev: Event, feats: dict[str, float]) -> bool:
    """No event whatever the rule or the judge say: a target that is no actor, a sentence with a score."""
    return bool((ev.target is not None and not any(feats.get(f"tgt_{k}") for k in ACTOR_TARGETS))
                or feats.get("score_in_sentence"))


def _root(plover_type: str) -> str:
    return "YIELD" if plover_type in YIELD else plover_type


def _code_for(root: str, cand: Candidate, kb: Knowledge) -> tuple[str, str | None, str | None]:
    """A PLOVER type (and CAMEO code) for a root the typer chose over the lexicon."""
    if root == "YIELD":
        plover = "CONCEDE" if cand.kind == "adjective" or cand.trigger.lemma_.lower() in kb.speech_lemmas \
            else "RETREAT"
    else:
        plover = root
    return plover, None, lexicon(kb).default_cameo.get(plover)


def _negated(trig: Token) -> bool:
    """"never condemned", "did not invade", "no talks"."""
    for t in (trig, trig.head if trig.dep_ in ("xcomp", "acomp") else None):
        if t is not None and any(c.dep_ == "neg" for c in t.children):
            return True
    return any(c.dep_ == "det" and c.lower_ == "no" for c in trig.children)


def _modality(trig: Token, quotes, date: str | None, published: str | None, kb: Knowledge) -> str:
    """asserted | reported | intended | hypothetical | historical | uncertain. The words that set it are
    in data/event_modality.tsv: "would attack" (hypothetical), "will meet", "plans to visit", "is
    expected to sign" (intended), "appeared to criticise", "reportedly attacked" (uncertain,
    reported); historical is an event dated a month or more before the article ("invaded Ukraine in
    February 2022") or told after "since"."""
    words = lexicon(kb).event_modality
    verb = trig if trig.pos_ in ("VERB", "AUX") else trig.head
    aux = {words.get((c.lower_, "aux")) for c in verb.children if c.dep_ in ("aux", "auxpass")}
    adverbs = {words.get((c.lower_, "adverb")) for c in verb.children if c.dep_ == "advmod"}
    node, conditional = verb, False
    for _ in range(8):
        if any(c.dep_ == "mark" and words.get((c.lower_, "mark")) == "hypothetical" for c in node.children):
            conditional = True
            break
        if node.head is node:
            break
        node = node.head
    governor = None
    if verb.dep_ in ("xcomp", "ccomp") and verb.head is not verb:
        # "appeared to criticise", "is expected to sign"; also "is likely to", an adjective
        governor = words.get((verb.head.lemma_.lower(), "governor"))
    if "hypothetical" in aux or conditional:
        return "hypothetical"
    if "intended" in aux or governor == "intended":
        return "intended"
    if governor == "uncertain" or "uncertain" in adverbs:
        return "uncertain"
    since = any(c.dep_ == "mark" and c.lower_ == "since" for c in verb.children)
    if date and (since or _long_before(date, published)):
        return "historical"
    if governor == "reported" or "reported" in adverbs or \
            any(q.speaker is not None and any(s.start <= trig.idx < s.end for s in q.content) for q in quotes):
        return "reported"
    return "asserted"


def _date(trig: Token, dated: list, sent_rec) -> str | None:
    """The value the times stage gave the dated expression (of ``dated_times``) that hangs on the
    trigger in the parse ("invaded Ukraine in February 2022" -> 2022-02, "attacked on Thursday" -> the
    Thursday), the nearest one in an unparsed sentence."""
    times = [t for t in dated if sent_rec.start <= t.start < sent_rec.end]
    t = nearest([x for x in times if hangs_on(trig.doc, x.start, x.end, trig)], trig.idx)
    return t.value if t is not None else None


def _long_before(value: str, published: str | None, days: int = 31) -> bool:
    """Whether the period a date value names ended ``days`` or more before the publication date
    ("2022-02" for an article of 2024; not last Monday)."""
    if not published:
        return False
    try:
        pub = date_cls.fromisoformat(published[:10])
        parts = [int(x) for x in value[:10].split("-")]
    except ValueError:
        return False
    if len(parts) == 1:
        end = date_cls(parts[0], 12, 31)
    elif len(parts) == 2:
        end = date_cls(parts[0] + parts[1] // 12, parts[1] % 12 + 1, 1) - timedelta(days=1)
    else:
        end = date_cls(*parts[:3])
    return (pub - end).days >= days


def _unique(events: list[Event]) -> list[Event]:
    """One record per (source, type, target) in the article, and per date for a historical one ("invaded
    Ukraine in February 2022" is another event than today's attacks): the most confident telling
    (the first of equals), in the order of the text. An event whose target names no actor ("hailed those growing
    ties") is dropped when the same source already has an event of that type with an actor as
    target: it is a vaguer telling of the same thing."""
    best: dict[tuple, Event] = {}
    with_actor = {(key(ev.source), ev.type) for ev in events if ev.target is not None and _is_actor(ev.target)}
    for ev in events:
        k = (key(ev.source), ev.type, key(ev.target), ev.date if ev.modality == "historical" else None)
        if ev.target is not None and not _is_actor(ev.target) and k[:2] in with_actor:
            continue
        if k not in best or ev.confidence > best[k].confidence:
            best[k] = ev
    keep = {id(ev) for ev in best.values()}
    return [ev for ev in events if id(ev) in keep]


def _coded(actor) -> bool:
    """An actor with a country or a sector: what an event coder can place (PETRARCH codes no other)."""
    return actor is not None and bool(actor.country or actor.sector)


def _is_actor(actor) -> bool:
    return bool(actor.name or actor.entity or actor.country or actor.sector)
