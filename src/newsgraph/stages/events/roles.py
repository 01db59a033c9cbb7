"""Event triggers and their roles on the dependency parse: which word says that something happened
(a verb, "invaded"; a noun, "threats", "the invasion of"; an adjective, "grateful to"), who did it
(the source) and to whom (the target). Codes come from the trigger lexicons in knowledge/; the
events stage decides the type. Pure functions over a parsed spaCy sentence; no I/O.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Span as SpacySpan, Token

from ...knowledge import Knowledge
from .lexicon import EVENT_WORDS as _WORDS, EventCode, lexicon

SUBJECTS = {"nsubj", "csubj", "expl"}
TARGET_PREPS = ("against", "on", "upon", "with", "to", "at", "into", "toward", "towards", "from", "for",
                "over", "alongside")
NOUN_SOURCE_PREPS = ("by", "from")
# The phrases of a verb's object that still say whom the act is aimed at ("sanctions on Iran"); not
# "in", "of", "for": where, what, and why ("alliances in the region").
OBJECT_PREPS = ("against", "on", "upon", "with", "to", "toward", "towards")
NOUN_TARGET_PREPS = ("of", "against", "on", "upon", "with", "to", "toward", "towards", "into", "over",
                     "for", "alongside")
CO_PARTICIPANT_PREPS = ("with", "alongside")
OPEN = EventCode("", "", "")
STATE_ACTS = {"COERCE", "SANCTION"}
VERBAL = {"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "REQUEST", "ACCUSE", "REJECT", "THREATEN"}   # PLOVER quads 1, 3
LIGHT = _WORDS["light_verb"]                     # an event verb whose type the event typer decides


@dataclass
class Candidate:
    """A trigger with its source and target head tokens and the codes the lexicons give it."""
    trigger: Token
    kind: str                                  # verb | noun | adjective
    source: Token | None
    targets: list[Token]                       # target candidates, most likely first
    codes: list[EventCode] = field(default_factory=list)
    trigger_end: int = 0                       # token index after the trigger (phrasal triggers)
    patterned: bool = False                    # coded by a phrase pattern, not the verb's default
    places: set[int] = field(default_factory=set)   # targets that are only where it happened ("in X")
    retarget: bool = False                     # a second target the pair tagger marks
    origin: str = "rule"                       # rule (a lexicon trigger) | tagger (the pair tagger's actors,
                                               # joined by this word) | pair (two actors of the sentence)


def candidates(sent: SpacySpan, kb: Knowledge) -> list[Candidate]:
    """Every trigger of the sentence that has a source, with the best target the parse offers."""
    out = []
    for tok in sent:
        cand = None
        if tok.pos_ == "VERB":
            cand = _verb(tok, kb)
        elif tok.pos_ in ("NOUN", "PROPN") and event_noun(tok, kb) is not None:
            cand = _noun(tok, kb)
            if tok.dep_ == "compound" and event_noun(tok.head, kb) is None:
                cand = _noun(tok.head, kb, event_noun(tok, kb))   # "a mediation effort"
                cand.trigger, cand.trigger_end = tok, tok.head.i + 1
        elif tok.pos_ == "ADJ" and tok.lemma_.lower() in lexicon(kb).event_adjectives:
            cand = _adjective(tok, kb)
        if cand is not None and cand.source is not None and cand.codes:
            out.append(cand)
    nouns = {c.trigger.i for c in out if c.kind == "noun"}
    # "launched an attack on X": the noun tells the event; the support verb only carries it out
    # ("rejected the agreement" is an event of its own).
    return [c for c in out if not (c.kind == "verb" and c.targets and c.targets[0].i in nouns
                                   and c.trigger.lemma_.lower() in SUPPORT_VERBS)]


# ---------------------------------------------------------------- verbs
def _verb(verb: Token, kb: Knowledge) -> Candidate | None:
    lemma = verb.lemma_.lower()
    codes = lexicon(kb).event_verbs.get(lemma) or lexicon(kb).event_verbs.get(verb.lower_) or []
    if kb.speech_lemmas.get(lemma) == "cognition":
        codes = []                               # "expected Tanzania to join" is a belief, not an event
    elif lemma in kb.speech_lemmas:              # a verb of saying tells only a verbal event ("insisted",
        codes = [c for c in codes if c.type in VERBAL]   # "promised"), not "added" as CAMEO's grant
    blocks = lexicon(kb).verb_blocks.get(lemma) or lexicon(kb).verb_blocks.get(verb.lower_)
    if not blocks:
        if lemma in kb.speech_lemmas or lemma in LIGHT:
            return None
        blocks = []
    source = counted(subject(verb), kb)
    targets: list[Token] = []
    passive = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
    if passive is not None:
        targets.append(passive)
        agent = next((c for c in verb.children if c.dep_ == "agent"), None)
        source = next((g for g in agent.children if g.dep_ == "pobj"), None) if agent is not None else None
        if source is None and any(c.type in STATE_ACTS for c in codes):
            # "was arrested in Rwanda": an arrest, a sentence or an expulsion with no agent named is
            # the act of the state where it happens
            source = next((g for w, g in _prep_objects(verb) if w == "in"), None)
    obj = next((c for c in verb.children if c.dep_ in ("dobj", "dative")), None)
    prep_objs = _prep_objects(verb)
    if obj is not None:                          # "halted transactions with X", "imposed sanctions on X":
        prep_objs += [(w, g) for w, g in _prep_objects(obj) if w in OBJECT_PREPS]   # hung on the object
    pattern = _pattern(kb, blocks, obj, prep_objs)
    code = pattern or (codes[0] if codes else None)
    if code is None:
        if (blocks and lemma not in lexicon(kb).open_verbs and verb.lower_ not in lexicon(kb).open_verbs) or lemma in kb.speech_lemmas:
            return None
        # "rejected X": the typer says which event, for an actor the verb itself takes as argument
        targets += [t for t in _objects(verb, obj, prep_objs) if not _is_place(t)]
        targets = _usable(targets, source)
        return Candidate(verb, "verb", source, targets, [OPEN], verb.i + 1)
    targets += _objects(verb, obj, prep_objs)
    targets += _inner_objects(verb)
    targets = _usable(targets, source)
    return Candidate(verb, "verb", source, targets, [code], verb.i + 1, pattern is not None, _places(targets))


def _inner_objects(verb: Token, depth: int = 2) -> list[Token]:
    """Objects of the infinitives a verb governs: "agreed to open its borders to refugees", "decided
    to ease restrictions on aid to North Korea" (two levels down)."""
    out = []
    for c in verb.children:
        if c.dep_ in ("xcomp", "ccomp") and c.pos_ == "VERB" and (c.dep_ == "xcomp" or c.tag_ == "VB"):
            inner = next((g for g in c.children if g.dep_ in ("dobj", "dative")), None)
            out += _objects(c, inner, _prep_objects(c))
            if depth > 1:
                out += _inner_objects(c, depth - 1)
    return out


def _prep_objects(head: Token) -> list[tuple[str, Token]]:
    return [(c.lower_, g) for c in head.children if c.dep_ in ("prep", "dative") for g in c.children
            if g.dep_ == "pobj"]


def _objects(verb: Token, obj: Token | None, prep_objs) -> list[Token]:
    """The verb's object, its prepositional objects (in order of how often they hold the target) and
    the subject of its complement clause ("demanded that the minister apologize")."""
    out = [obj] if obj is not None else []
    for p in TARGET_PREPS:
        out += [g for w, g in prep_objs if w == p]
    sub = _complement_subject(verb)
    if sub is not None:
        out.append(sub)
    return out + [g for w, g in prep_objs if w == "in"]     # last resort: where it happened


def _is_place(t: Token) -> bool:
    return t.dep_ == "pobj" and t.head.lower_ == "in"


def _places(targets: list[Token]) -> set[int]:
    return {t.i for t in targets if _is_place(t)}


def _usable(targets: list[Token], source: Token | None) -> list[Token]:
    """Targets without repeats, dates and numbers, and not the source itself."""
    out, seen = [], set()
    for t in targets:
        if t is None or t.i in seen or (source is not None and t.i == source.i):
            continue
        if t.ent_type_ in ("DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL") \
                or t.like_num:
            continue
        seen.add(t.i)
        out.append(t)
    return out


def subject(verb: Token) -> Token | None:
    """The verb's subject, also when it is shared: "X said ... and hailed", "X agreed to open", "X is
    expected to sign" (the passive subject of the verb an infinitive completes)."""
    seen, deps = 0, SUBJECTS
    while verb is not None and seen < 6:
        seen += 1
        subs = [c for c in verb.children if c.dep_ in deps]
        if subs:
            return _past_dateline(subs)
        if verb.dep_ in ("conj", "xcomp") and verb.head is not verb:
            deps = SUBJECTS | {"nsubjpass"} if verb.dep_ == "xcomp" else SUBJECTS
            verb = verb.head
            continue
        if verb.dep_ == "acl" and verb.tag_ == "VBG":        # "Moscow, hoping to ..." / "the man leading"
            return verb.head
        return None
    return None


def counted(tok: Token | None, kb: Knowledge) -> Token | None:
    """"a number of Chinese banks", "dozens of protesters": the counted noun, not the count."""
    if tok is not None and tok.lemma_.lower() in lexicon(kb).quantity_nouns:
        inner = next((g for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"
                      for g in c.children if g.dep_ == "pobj"), None)
        if inner is not None:
            return inner
    return tok


DATELINE_PUNCT = {"--", "-", "—", "–", ":"}


def _past_dateline(subs: list[Token]) -> Token:
    """"JERUSALEM -- An Israeli court rejected ...": the parser makes the dateline a subject; the
    actor is the subject after it, or the dateline's apposition."""
    first = subs[0]
    if any(c.dep_ == "punct" and c.text in DATELINE_PUNCT and c.i == first.i + 1 for c in first.children):
        if len(subs) > 1:
            return subs[-1]
        appos = next((c for c in first.children if c.dep_ == "appos"), None)
        if appos is not None:
            return appos
    return first


def _complement_subject(verb: Token) -> Token | None:
    """"demanded that the minister apologize" -> the minister; "urged X to" is a direct object."""
    for c in verb.children:
        if c.dep_ in ("ccomp", "xcomp"):
            sub = next((g for g in c.children if g.dep_ in ("nsubj", "nsubjpass")), None)
            if sub is not None:
                return sub
    return None


def _pattern(kb: Knowledge, blocks: list[str], obj: Token | None, prep_objs) -> EventCode | None:
    """The most specific CAMEO phrase pattern of the verb's blocks that its object or one of its
    prepositional objects matches ("halted transactions", "called for talks")."""
    obj_words = _heads(obj) if obj is not None else set()
    best = None
    for block in blocks:
        for objects, prep, prep_objects, code in lexicon(kb).event_patterns.get(block, ()):
            if objects and not objects & obj_words:
                continue
            if prep:
                hits = [g for p, g in prep_objs if p == prep]
                if not hits or (prep_objects and not any(prep_objects & _heads(g) for g in hits)):
                    continue
            if not objects and not prep:
                continue
            score = bool(objects) + bool(prep) + bool(prep_objects)
            if best is None or score > best[0]:
                best = (score, code)
    return best[1] if best else None


def _heads(tok: Token) -> set[str]:
    """A noun's word, lemma and its compound with the word before ("arms shipment")."""
    out = {tok.lower_, tok.lemma_.lower()}
    left = [c for c in tok.children if c.dep_ in ("compound", "amod") and c.i == tok.i - 1]
    if left:
        out |= {f"{left[0].lower_} {tok.lower_}", f"{left[0].lower_} {tok.lemma_.lower()}"}
    return out


# ---------------------------------------------------------------- nouns
def event_noun(tok: Token, kb: Knowledge) -> EventCode | None:
    """The code of an event noun, by its lemma or its own form ("talks" is listed as such)."""
    return lexicon(kb).event_nouns.get(tok.lemma_.lower()) or lexicon(kb).event_nouns.get(tok.lower_)


def _noun(noun: Token, kb: Knowledge, code: EventCode | None = None) -> Candidate:
    code = code or event_noun(noun, kb)
    source = None
    for c in noun.children:
        if c.dep_ == "poss" and source is None:
            source = c
        elif c.dep_ == "amod" and source is None and kb.demonym(c.text) is not None:
            source = c                          # "the Russian invasion"
    preps = [(c.lower_, g) for c in noun.children if c.dep_ in ("prep", "agent") for g in c.children
             if g.dep_ == "pobj"]
    if source is None:
        source = next((g for w, g in preps if w in NOUN_SOURCE_PREPS), None)
    if source is None:                          # "talks between Kenya and Uganda": the parties, each
        source = next((g for w, g in preps if w in ("between", "among", "amongst")), None)   # with each
    targets: list[Token] = []
    for p in NOUN_TARGET_PREPS:
        targets += [g for w, g in preps if w == p and g is not source]
    for c in noun.children:                     # "threats ... that Chinese banks could be targeted"
        if c.dep_ in ("acl", "ccomp", "relcl") and c.pos_ in ("VERB", "AUX"):
            targets += [g for g in c.children if g.dep_ in ("nsubjpass", "nsubj", "dobj")
                        and g.lower_ not in ("that", "which")]
    governor = _governing_verb(noun)
    if governor is not None:
        if source is None:
            source = counted(subject(governor), kb)           # "launched an attack", "speaking at a conference"
        gov_preps = [(w, g) for w, g in _prep_objects(governor) if g.head.i != noun.head.i]
        for p in CO_PARTICIPANT_PREPS + NOUN_TARGET_PREPS[1:]:   # "filed a lawsuit against X"
            targets += [g for w, g in gov_preps if w == p]
        for c in governor.children:              # "carried out a raid, targeting X"
            if c.dep_ in ("advcl", "xcomp") and c.tag_ == "VBG":
                targets += [g for g in c.children if g.dep_ == "dobj"]
        targets += [g for w, g in gov_preps if w == "in"]
    targets += [g for w, g in preps if w == "in"]          # last resort: where it happened
    targets = _usable(targets, source)
    return Candidate(noun, "noun", source, targets, [code], noun.i + 1, places=_places(targets))


# Verbs whose subject carries out the event their object names ("launched an attack", "held talks",
# "filed a lawsuit"); after other verbs the event noun's agent is someone else ("condemned the attack").
SUPPORT_VERBS = _WORDS["support_verb"]
# Prepositions that make the noun's event the subject's own: "spoke at a conference", "took part in talks".
SUPPORT_PREPS = _WORDS["support_preposition"]


def _governing_verb(noun: Token) -> Token | None:
    """The verb whose subject carries out the event a trigger noun names: its object under a support
    verb ("launched an attack"), or a place or occasion it happens at ("speaking at a conference")."""
    head = noun.head
    if noun.dep_ in ("dobj", "attr") and head.pos_ in ("VERB", "AUX") and \
            (head.lemma_.lower() in SUPPORT_VERBS or head.dep_ == "ROOT" and head.pos_ == "AUX"):
        return head
    if noun.dep_ == "pobj" and head.dep_ == "prep" and head.lower_ in SUPPORT_PREPS and \
            head.head.pos_ in ("VERB", "AUX"):
        return head.head
    return None


# ---------------------------------------------------------------- adjectives
def _adjective(adj: Token, kb: Knowledge) -> Candidate | None:
    preps, objects, code = lexicon(kb).event_adjectives[adj.lemma_.lower()]
    if adj.dep_ not in ("acomp", "amod", "xcomp", "oprd", "conj"):
        return None
    targets: list[Token] = []
    for c in adj.children:
        if c.dep_ == "prep" and (not preps or c.lower_ in preps):
            pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
            if pobj is None:
                continue
            if objects and pobj.lemma_.lower() not in objects and pobj.lower_ not in objects:
                continue
            targets.append(pobj)
    if not targets and (preps and objects):
        return None                              # "open to criticism" is no offer of talks
    targets += _inner_objects(adj)               # "willing to withdraw its troops from X"
    head = adj.head
    source = counted(subject(head), kb) if head.pos_ in ("AUX", "VERB") else None
    targets = _usable(targets, source)
    return Candidate(adj, "adjective", source, targets, [code], adj.i + 1, places=_places(targets))
