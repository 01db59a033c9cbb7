"""Quotes: who said what. Direct ("..." Putin said), indirect (Moscow says it is open to talks) and
mixed (He said "closed alliances" were "very harmful"), each with cue, speaker and content spans and
the speaker resolved to an entity of the article.

Two small transformers fine-tuned on PolNeAR train do the tagging (stages/quotes/taggers.py): the cue
tagger finds cue spans in each sentence ("said", "has reported", "according to", "threats"), and for
each cue the role tagger reads the sentences around it, with the cue marked, and labels its speaker and
content words (scripts/train_cue_transformer.py, scripts/train_role_transformer.py).
"""
from __future__ import annotations

import re

from spacy.tokens import Doc

from ...knowledge import Knowledge
from ...model import Analysis, Entity, Quote, Span
from .. import stage
from ..common import RELATIVE, Mentions, SentenceIndex, antecedent, doc_text, plain_name
from ..entities.mentions import quoted_regions
from ..times import time_words
from . import speakers
from .taggers import cue_tagger, role_tagger
from .features import DocInfo, cue_head, doc_info, fused_title_end, window



@stage("quotes", assigns=("quotes", "attitudes"), requires=["sentences", "entities"])
def find_quotes(doc: Doc, analysis: Analysis, kb: Knowledge) -> tuple[list[Quote], list[Quote]]:
    """Quotes of speech, writing and thought, and attitudes: the attributions that are none of these (see
    ``sort_record``)."""
    cue_model, role_model = cue_tagger(kb), role_tagger(kb)
    if cue_model is None or role_model is None or not len(doc):
        return [], []
    info = doc_info(doc, [(s.start, s.end) for s in analysis.sentences])
    sidx = SentenceIndex(analysis.sentences)
    mentions = Mentions.of(analysis)
    regions = quoted_regions(analysis.text)
    found_cues = _find_cues(doc, analysis, cue_model)
    cues = [c for c, _ in found_cues]
    found = _roles_by_model(info, role_model, cues, regions, [p for _, p in found_cues])
    records = []
    for cue, (speaker, content, confidence) in zip(cues, found):
        speaker, nobody = _possible_speaker(info, cue, speaker, kb)
        q = _attribute(info, cue, (speaker, content, confidence), analysis, mentions, sidx, kb)
        if q is not None:
            records.append((q, cue, nobody))
    records = _untangle(info, _outside_title(info, records), kb)
    _first_person_speakers([q for q, _, _ in records], kb)
    _surnames_in_full([q for q, _, _ in records], analysis, kb)
    _speakers_carried_on([q for q, _, _ in records], analysis, kb)
    quotes, attitudes, told = [], [], []
    for q, cue, nobody in records:
        verdict = sort_record(info, q, cue, nobody, kb, mentions)
        if verdict == "quote":
            quotes.append(q)
            told.append((q, cue))
        elif verdict == "attitude":
            q.kind, q.cue_kind = "attitude", None
            attitudes.append(q)
    _quotes_going_on(info, told, [q for q, _, _ in records], regions)
    for listed in (quotes, attitudes):
        _mark_repeats(listed, analysis)
    return quotes, attitudes


def _quotes_going_on(info: DocInfo, told: list, records: list[Quote], regions) -> None:
    """A quotation that opens a sentence with no cue, that no attribution took, right after the sentence
    of a quote's cue, goes on with that quote ('Mr Fox said X. "If it's 12.30 on a Saturday ..."'): it is
    another content span of it."""
    doc, text = info.doc, info.text
    taken = [(sp.start, sp.end) for q in records for sp in q.content]
    cue_sents = {info.sent[c.start] for _, c in told}
    for k, (a, b) in enumerate(regions):
        if any(x < b and a < y for x, y in taken):
            continue
        first = doc.char_span(a, a + 1, alignment_mode="expand")
        if first is None or not len(first):
            continue
        i = first.start
        s = info.sent[i]
        if i != info.sent_bounds[s][0] or s == 0 or s in cue_sents:
            continue
        end = _continued(text, regions, k, min(b + 1, len(text)))
        last = doc.char_span(max(a, end - 1), end, alignment_mode="expand")
        if last is None or any(info.sent[c.start] in range(s, info.sent[last.start] + 1) for _, c in told):
            continue
        before = [(q, c) for q, c in told if info.sent[c.start] == s - 1 and q.speaker is not None
                  and q.content and _last_sentence(info, q) >= s - 1]
        if not before:
            continue
        q, cue = before[-1]
        q.content = q.content + [Span.of(text, a, end)]
        q.kind = _kind(info, q.content, cue)
        taken.append((a, end))


def _last_sentence(info: DocInfo, q: Quote) -> int:
    """The sentence where a quote's content ends."""
    span = info.doc.char_span(q.content[-1].start, q.content[-1].end, alignment_mode="expand")
    return info.sent[span[-1].i] if span is not None and len(span) else -1


def _mark_repeats(records: list[Quote], analysis: Analysis) -> None:
    """A record whose cue stands in a sentence that repeats an earlier one (the duplicates stage's
    ``duplicate_of``) is the same attribution told again when the first telling has one like it (same
    cue word or mostly the same content words): it keeps its record, the evidence, with ``repeat_of``
    the index of the first telling, and every count takes it once."""
    sents = analysis.sentences
    for i, q in enumerate(records):
        first = sents[q.sentence].duplicate_of if q.sentence is not None and q.sentence < len(sents) else None
        if first is None:
            continue
        words = _content_words(q)
        best, best_score = None, 0.0
        for j, p in enumerate(records[:i]):
            if p.sentence != first or p.repeat_of is not None:
                continue
            other = _content_words(p)
            overlap = len(words & other) / max(1, len(words | other))
            score = overlap + (1.0 if p.cue_lemma == q.cue_lemma else 0.0)
            if score > best_score and (overlap >= 0.5 or p.cue_lemma == q.cue_lemma):
                best, best_score = j, score
        q.repeat_of = best


def _content_words(q: Quote) -> set[str]:
    return {w for sp in q.content for w in re.findall(r"\w+", sp.text.lower())}


def sort_record(info: DocInfo, q: Quote, cue: range, nobody: bool, kb: Knowledge, mentions) -> str:
    """"quote", "attitude" or "drop". A quote reports speech or writing (or a thought, with someone who
    thinks it). An attribution whose cue is no verb or noun of saying or thinking reports an attitude, an
    intention or an act ("hailed the ties", "has pushed through plans to ..."), and one whose content is
    only a question without its answer ("have not said how it would work") or no proposition at all
    reports no speech: these are attitudes, which PolNeAR annotates and a reader of who said what does
    not want. A thought needs a thinker: with no speaker, or one that names no person or organization
    ("it is expected to", "the figures assume"), it is an attitude too. A record whose only speaker was
    no possible one (a punctuation mark, a number, a date) on a verb that needs one is dropped."""
    cls = cue_class(info, cue, kb)
    if q.speaker is None and _needs_speaker(info, cue) and (nobody or cls in ("speech", "question")
                                                            and _finite(info, cue)):
        return "drop"
    if cls is None:           # a direct quote may have a bare cue ("Sanders: ...", "he went on"), and a speaker
        return "quote" if q.kind == "direct" and q.speaker is not None else "attitude"
    if cls == "cognition" and not (q.speaker is not None and (q.kind == "direct" or _thinker(info, q, kb, mentions))):
        return "attitude"
    if q.kind == "indirect" and cls != "question" and _open_question(info, q):
        return "attitude"
    if q.kind == "indirect" and (q.speaker is None or cls == "cognition" or _passive(info, cue_head(info, cue))) \
            and _no_clause(info, q):
        return "attitude"
    return "quote"


def cue_class(info: DocInfo, cue: range, kb: Knowledge) -> str | None:
    """The class of a cue in ``knowledge/speech_verbs.tsv`` (speech | cognition | question): its head's,
    else, after a light verb, that of a noun inside it ("gave hints about", "issued a statement"); None
    for a cue of neither ("upsetting hopes of")."""
    h = cue_head(info, cue)
    if info.lemma[h] in kb.speech_lemmas:
        return kb.speech_lemmas[info.lemma[h]]
    if info.lemma[h] in kb.light_verbs:
        for i in cue:
            if info.pos[i] == "NOUN" and info.lemma[i] in kb.speech_lemmas:
                return kb.speech_lemmas[info.lemma[i]]
    return None


WRITTEN_BY = speakers.DOCUMENT_NOUNS - {"video", "program", "programme", "show", "presentation", "slide"}


def cue_kind(info: DocInfo, cue: range, kb: Knowledge, speaker: range | None) -> str:
    """What a cue reports (knowledge/speech_verbs.tsv, kind): speech, writing, thought or knowledge; after
    a light verb, what its noun reports ("issued a statement": writing); speech told by a document is
    writing ("the report says", "according to the letter"); a cue the lexicon lacks reports speech."""
    h = cue_head(info, cue)
    kind = kb.cue_kinds.get(info.lemma[h]) or ""
    if not kind and info.lemma[h] in kb.light_verbs:
        kind = next((kb.cue_kinds[info.lemma[i]] for i in cue
                     if info.pos[i] == "NOUN" and kb.cue_kinds.get(info.lemma[i])), "")
    kind = kind or "speech"
    if kind == "speech" and speaker is not None and info.lemma[speakers.head_of(info.doc, speaker)] in WRITTEN_BY:
        kind = "writing"
    return kind


def _possible_speaker(info: DocInfo, cue: range, speaker: range | None, kb: Knowledge) -> tuple[range | None, bool]:
    """The speaker, or None when the tagged span can be no one: a punctuation mark, a number ("21") or
    function words alone ("the"), a date ("the current year"); or, for a passive verb of saying or
    thinking, anything but its agent ("by X"): its subject is what was said or thought about, or whom it
    was said to ("the summit is expected to ...", "the machine was described as ...", "he was asked").
    The flag says the span was no possible speaker (not a passive's)."""
    if speaker is None:
        return None, False
    if not any(ch.isalpha() for i in speaker for ch in info.lower[i]) or \
            all(info.pos[i] in FUNCTION_POS for i in speaker):
        return None, True
    head = speakers.head_of(info.doc, speaker)
    tw, word = time_words(kb), info.lower[head]
    if info.doc[head].ent_type_ in ("DATE", "TIME") and (word in tw.month or word in tw.weekday or word in tw.unit
                                                          or word in tw.ref or word in tw.part):
        return None, True
    h = cue_head(info, cue)
    if info.parsed and info.lemma[h] in kb.speech_lemmas and _passive(info, h) and not _agent(info, speaker, h):
        return None, False
    return speaker, False


FUNCTION_POS = ("DET", "ADP", "PART", "CCONJ", "SCONJ", "PUNCT", "AUX")


def _passive(info: DocInfo, h: int) -> bool:
    return any(c.dep_ in ("auxpass", "aux:pass", "nsubjpass", "nsubj:pass") for c in info.doc[h].children)


def _agent(info: DocInfo, speaker: range, h: int) -> bool:
    """Whether the speaker is the agent of a passive cue ("was described by Jobs")."""
    for c in info.doc[h].children:
        if c.dep_ == "agent":
            return any(t.i in speaker for t in c.subtree)
    return False


def _needs_speaker(info: DocInfo, cue: range) -> bool:
    """An active verb of saying has a speaker ("X said"); a passive one or a noun need not ("it was
    reported", "the statement")."""
    h = cue_head(info, cue)
    if info.pos[h] not in ("VERB", "AUX") or info.lower[h] == "according":
        return False
    return not info.parsed or not any(c.dep_ in ("auxpass", "aux:pass") for c in info.doc[h].children)


def _finite(info: DocInfo, cue: range) -> bool:
    """Whether the cue is a finite verb ("told", "says"), which has its subject in its clause; not a
    participle or an infinitive ("Asked about ...", "adding that ...", "to say")."""
    h = info.doc[cue_head(info, cue)]
    return "Fin" in h.morph.get("VerbForm") and h.dep_ not in ("advcl", "xcomp", "acl", "amod")


def _thinker(info: DocInfo, q: Quote, kb: Knowledge, mentions) -> bool:
    """Whether the speaker names a person or an organization, or a pronoun or a description stands for
    one: a name or a mention of an entity in it, or a noun of people or organizations at its head
    (titles.tsv, group_nouns.tsv, org_nouns.tsv, speaker_nouns.tsv)."""
    doc = info.doc
    span = doc.char_span(q.speaker.start, q.speaker.end, alignment_mode="expand")
    if span is None or not len(span):
        return False
    head = doc[speakers.head_of(doc, range(span.start, span.end))]
    if head.pos_ in ("PRON", "PROPN") or head.lower_ in kb.pronouns or head.lower_ in RELATIVE:
        return True
    if any(s < span.end_char and span.start_char < e for s, e, _, _ in mentions.spans) or \
            any(t.ent_type_ in ("PERSON", "ORG", "NORP", "GPE") for t in span):
        return True
    words = {head.lower_, head.lemma_.lower()}
    return any(w in kb.titles or w in kb.group_nouns or w in kb.org_nouns or w in kb.speaker_nouns for w in words)


WH_TAGS = ("WDT", "WP", "WP$", "WRB")     # Penn tags of "which", "who", "whose", "how", "when" ...


def _open_question(info: DocInfo, q: Quote) -> bool:
    """Content that is an embedded question, with no answer in it: "how it would affect him", "whether
    to run" (a wh-word, or a subordinator other than "that", opens the content and hangs on its main
    verb; "if the talks fail, they will strike" is no question: its "if" hangs on "fail")."""
    if not info.parsed or not q.content:
        return False
    doc = info.doc
    span = doc.char_span(q.content[0].start, q.content[-1].end, alignment_mode="expand")
    words = [t for t in span if t.is_alpha] if span is not None else []
    if not words or not (words[0].tag_ in WH_TAGS or words[0].dep_ == "mark" and words[0].lower_ != "that"):
        return False           # a wh-word, or "whether" / "if" opening the clause
    root = next((t for t in span if not (span.start <= t.head.i < span.end) or t.head.i == t.i), None)
    first = words[0]
    return root is not None and (first.i == root.i or first.head.i == root.i
                                 or (first.head.head.i == root.i and first.head.dep_ in ("nsubj", "dobj", "pobj")))


def _no_clause(info: DocInfo, q: Quote) -> bool:
    """Content with no finite verb and nothing quoted ("for Japanese growth")."""
    if not info.parsed:
        return False
    doc = info.doc
    for sp in q.content:
        span = doc.char_span(sp.start, sp.end, alignment_mode="expand")
        if span is None:
            return False
        for tok in span:
            if tok.pos_ in ("VERB", "AUX") and "Fin" in tok.morph.get("VerbForm"):
                return False
    return True


def _find_cues(doc: Doc, analysis: Analysis, model) -> list[tuple[range, float]]:
    """Cue token ranges with their probability, from the transformer cue tagger over every sentence."""
    text = doc_text(doc)
    sents = analysis.sentences
    out = []
    for sent, spans in zip(sents, model.cues([text[s.start:s.end] for s in sents])):
        for a, z, p in spans:
            span = doc.char_span(sent.start + a, sent.start + z, alignment_mode="expand")
            if span is not None and len(span):
                out.append((range(span.start, span.end), p))
    return out


def _roles_by_model(info: DocInfo, model, cues: list[range], regions, cue_probs: list[float]) -> list:
    """Speaker range, content spans and confidence (the cue's probability) of every cue."""
    doc = info.doc
    items, bases = [], []
    for cue in cues:
        ws, we = window(info, cue.start)
        a = doc[ws].idx
        z = doc[we - 1].idx + len(doc[we - 1])
        cs, ce = doc[cue.start].idx, doc[cue.stop - 1].idx + len(doc[cue.stop - 1])
        items.append((info.text[a:z], cs - a, ce - a))
        bases.append(a)
    out = []
    for cue, base, prob, (spk, con) in zip(cues, bases, cue_probs, model.roles(items)):
        runs = [_tokens(doc, base + s, base + e) for s, e in con]
        runs = [r for r in runs if r is not None and not set(r) & set(cue)]
        words = [doc[i] for r in runs for i in r if doc[i].is_alpha]
        if not words or all(w.pos_ in ("PRON", "DET") or w.lower_ in RELATIVE for w in words):
            out.append((None, [], 0.0))
            continue
        speakers = [r for r in (_tokens(doc, base + s, base + e) for s, e in spk) if r is not None]
        speaker = min(speakers, key=lambda r: _gap(r, cue)) if speakers else _shared_subject(info, cue)
        cs, ce = doc[cue.start].idx, doc[cue.stop - 1].idx + len(doc[cue.stop - 1])
        out.append((speaker, _whole_quotes(info.text, _merge(doc, sorted(runs, key=lambda r: r.start)), regions,
                                           cs, ce), prob))
    return out


def _tokens(doc: Doc, start: int, end: int) -> range | None:
    span = doc.char_span(start, end, alignment_mode="expand")
    return range(span.start, span.end) if span is not None and len(span) else None


def _shared_subject(info: DocInfo, cue: range) -> range | None:
    """"Moscow says ... but insists that ...": a coordinated cue verb shares its first verb's subject."""
    if not info.parsed:
        return None
    h = cue_head(info, cue)
    if info.dep[h] != "conj":
        return None
    first = info.doc[info.head[h]]
    for child in first.children:
        if child.dep_ in ("nsubj", "nsubjpass") and child.i < first.i:
            sub = list(child.subtree)
            return range(sub[0].i, sub[-1].i + 1)
    return None


CLOSING_MARKS = set("”»\"’“")
OPENING_MARKS = set("“«„\"‘")


def _whole_quotes(text: str, spans: list[Span], regions, cue_start: int, cue_end: int) -> list[Span]:
    """A content span that begins or ends inside quote marks takes in the whole quotation: a direct
    quote runs to its closing mark, however many sentences that takes, and a paragraph that opens a
    quote without closing it goes on in the next paragraph when that one opens with a quote mark (also
    where the paragraph breaks were lost: see mentions.quoted_regions)."""
    out: list[Span] = []
    for sp in spans:
        start, end = sp.start, sp.end
        for k, (a, b) in enumerate(regions):
            if a <= cue_start < b or a < cue_end <= b:
                continue          # the cue itself is quoted: not a direct quote of this speaker
            if a <= start < b:
                start = min(start, a)
            if a < end <= b:
                end = max(end, min(b + 1, len(text)))
                end = _continued(text, regions, k, end)
        if out and start <= out[-1].end:
            out[-1] = Span.of(text, out[-1].start, max(end, out[-1].end))
        else:
            out.append(Span.of(text, start, end))
    return out


def _continued(text: str, regions, k: int, end: int) -> int:
    """End of a quotation that carries on over paragraphs (each unclosed one followed by an opening mark)."""
    while k < len(regions):
        a, b = regions[k]
        closed = b < len(text) and text[b] in CLOSING_MARKS
        if closed or k + 1 >= len(regions):
            return end
        na, nb = regions[k + 1]
        between = text[b:na]
        if between.strip() or text[na] not in OPENING_MARKS:
            return end
        end = min(nb + 1, len(text))
        k += 1
    return end


def _attribute(info: DocInfo, cue: range, roles, analysis: Analysis, mentions, sidx, kb: Knowledge) -> Quote | None:
    doc = info.doc
    speaker, content, confidence = roles
    if not content:
        return None
    cue_span = _span(doc, cue)
    kind = _kind(info, content, cue)
    speaker_span = _span(doc, speaker) if speaker else None
    entity = name = None
    if speaker:
        r = _antecedent(info, speaker)
        entity = _speaker_entity(analysis, mentions, r, doc) or speakers.appositive(info, r, mentions)
        name = speakers.led_body(info.text, info, r, analysis, mentions)
        if name is not None and not (entity and entity.kind == "organization" and entity.name.endswith(name.split()[-1])):
            entity = None               # "Donald Trump's campaign" is the Trump campaign, not Donald Trump
        if entity is not None and entity.kind == "group" and speakers.party_person(info, r):
            entity = None               # "the Republican": a person of that party, not the party's members
        if speakers.nominal_only(entity):
            # "the senator", or "he" for it: the entity layer found no name; the description may fit one
            first = min((m for m in entity.mentions if m.kind != "pronoun"), key=lambda m: m.start, default=None)
            span = doc.char_span(first.start, first.end, alignment_mode="expand") if first else None
            pronoun = kb.pronouns.get(info.lower[r.start]) if len(r) == 1 else None
            found = speakers.described(info, range(span.start, span.end), analysis, kb, sidx.at(first.start),
                                       mentions, (pronoun or {}).get("gender") or None) if span is not None else None
            entity = found or entity
        if entity is None and name is None:
            name = speakers.possessor(info, r)
        if entity is None and name is None:
            entity = speakers.described(info, r, analysis, kb, sidx.at(doc[r.start].idx), mentions)
        if entity is None and name is None:
            name = speakers.proper_name(info, r, kb)
        name = entity.name if entity else name or _unresolved_name(info, speaker)
    return Quote(kind=kind, content=content, cue=cue_span, speaker=speaker_span, speaker_name=name,
                 speaker_entity=entity.id if entity else None, cue_lemma=info.lemma[cue_head(info, cue)],
                 cue_kind=cue_kind(info, cue, kb, speaker),
                 confidence=round(confidence, 3), sentence=sidx.at(doc[cue.start].idx))


def _kind(info: DocInfo, content: list[Span], cue: range) -> str:
    """direct (every content word quoted), mixed (some), else indirect; "according to X" reports what X
    said, quoted or not: indirect."""
    doc = info.doc
    quoted = [info.in_quote[t.i] for sp in content for t in doc.char_span(sp.start, sp.end, alignment_mode="expand")
              if t.is_alpha]
    if info.lower[cue.start] == "according":
        return "indirect"
    return "direct" if quoted and all(quoted) else "mixed" if any(quoted) else "indirect"


def _untangle(info: DocInfo, records: list, kb: Knowledge) -> list:
    """Each attribution keeps its own content. A new cue is a new quote: content that runs into another
    sentence holding the cue of another attribution (a verb or noun of saying or thinking outside quote
    marks) stops before that sentence ("Leaked documents have suggested X. But Ms Jowell insisted Y"), and
    a stretch of text that two cues both took ("X," he said. "Y," he added) goes to the nearer cue, unless
    one attribution is told inside the other's content. Records left with no content are dropped."""
    cues = [(cue, info.sent[cue.start]) for _, cue, _ in records
            if not info.in_quote[cue_head(info, cue)] and cue_class(info, cue, kb) is not None]
    for q, cue, _ in records:
        own = info.sent[cue.start]
        others = {s for c, s in cues if c != cue and s != own}
        if others:
            q.content = [sp for sp in (_within(info, sp, own, others) for sp in q.content) if sp is not None]
    for q, cue, _ in records:
        for p, other, _ in records:
            if p is not q and q.content and p.content:
                q.content = [x for sp in q.content if (x := _give_way(info, sp, cue, p.content, other)) is not None]
    for q, cue, _ in records:
        q.content = _what_it_was_called(info, q.content, cue)
    out = []
    for q, cue, nobody in records:
        if q.content:
            q.kind = _kind(info, q.content, cue)
            out.append((q, cue, nobody))
    return out


def _outside_title(info: DocInfo, records: list) -> list:
    """A title glued to the lead (quote_features.fused_title_end) is no attribution and no part of one: a
    cue in it gives no record, and content stops short of it."""
    k = fused_title_end(info)
    if not k:
        return records
    lead = info.doc[k].idx
    out = []
    for q, cue, nobody in records:
        if cue.start < k:
            continue
        content = [Span.of(info.text, max(sp.start, lead), sp.end) for sp in q.content if sp.end > lead]
        q.content = [sp for sp in content if any(ch.isalpha() for ch in sp.text)]
        if q.speaker is not None and q.speaker.end <= lead:
            q.speaker, q.speaker_name, q.speaker_entity = None, None, None
        out.append((q, cue, nobody))
    return out


def _what_it_was_called(info: DocInfo, content: list[Span], cue: range) -> list[Span]:
    """"The machine was described by Jobs as "the most important Mac"": what a passive cue with an
    "as" phrase says is that phrase; its subject is only what was spoken of."""
    if not info.parsed:
        return content
    doc = info.doc
    h = cue_head(info, cue)
    if not _passive(info, h):
        return content
    for c in doc[h].children:
        if c.lower_ == "as" and c.dep_ == "prep":
            objs = [g for g in c.children if g.dep_ == "pobj"]
            if objs:
                sub = list(objs[0].subtree)
                last = sub[-1].i
                while last + 1 < len(doc) and info.in_quote[last + 1] and info.in_quote[sub[0].i]:
                    last += 1                  # a quoted phrase the parse cut short: the whole quotation
                start, end = sub[0].idx, doc[last].idx + len(doc[last])
                if any(sp.start < end and start < sp.end for sp in content):
                    return [Span.of(info.text, start, end)]
    return content


def _within(info: DocInfo, sp: Span, own: int, others: set[int]) -> Span | None:
    """The part of a content span in the sentences reachable from the cue's sentence without passing one
    that holds another attribution's cue."""
    doc = info.doc
    span = doc.char_span(sp.start, sp.end, alignment_mode="expand")
    if span is None or not len(span):
        return sp
    sents = {info.sent[t.i] for t in span}
    if not sents & others:
        return sp
    lo, hi = own, own
    while lo - 1 not in others and lo - 1 >= min(sents):
        lo -= 1
    while hi + 1 not in others and hi + 1 <= max(sents):
        hi += 1
    toks = [t for t in span if lo <= info.sent[t.i] <= hi]
    while toks and (toks[-1].is_punct or toks[-1].is_space) and toks[-1].text not in CLOSING_MARKS:
        toks.pop()
    if not any(t.is_alpha for t in toks):
        return None
    return Span.of(info.text, toks[0].idx, toks[-1].idx + len(toks[-1]))


def _give_way(info: DocInfo, sp: Span, cue: range, theirs: list[Span], other: range) -> Span | None:
    """A content span without the stretch at its start or end that another attribution's content shares
    and that belongs to that attribution (``_theirs``); unchanged when either cue stands inside the other's
    content (one attribution told inside the other)."""
    doc = info.doc
    c_start, o_start = doc[cue.start].idx, doc[other.start].idx
    for t in theirs:
        a, b = max(sp.start, t.start), min(sp.end, t.end)
        if a >= b or sp.start <= o_start < sp.end or t.start <= c_start < t.end:
            continue
        if not _theirs(info, Span(a, b), (c_start, info.sent[cue.start]), (o_start, info.sent[other.start])):
            continue
        if a <= sp.start and b >= sp.end:
            return None
        if a <= sp.start:
            sp = Span.of(info.text, b, sp.end)
        elif b >= sp.end:
            sp = Span.of(info.text, sp.start, a)
        if not any(ch.isalpha() for ch in sp.text):
            return None
    return _trim(info.text, sp)


def _theirs(info: DocInfo, shared: Span, mine: tuple[int, int], theirs: tuple[int, int]) -> bool:
    """Whether text two cues took belongs to the other cue (each given as its offset and sentence): to the
    cue of its own sentence (or of a sentence its quotation runs into); else, between the two cues, to
    the earlier one (a quoted sentence with no cue goes on with the attribution before it: 'X said Y.
    "Z." Harris added: ...'); else to the nearer."""
    doc = info.doc
    span = doc.char_span(shared.start, shared.end, alignment_mode="expand")
    if span is None or not len(span):
        return False
    lo, hi = span.start, span.end       # with the whole quotation it is part of
    if any(info.in_quote[i] for i in range(lo, hi)):
        while lo > 0 and info.in_quote[lo - 1]:
            lo -= 1
        while hi < len(doc) and info.in_quote[hi]:
            hi += 1
    sents = {info.sent[i] for i in range(lo, hi)}
    if (mine[1] in sents) != (theirs[1] in sents):
        return theirs[1] in sents
    before = [c for c in (mine, theirs) if c[0] < shared.start]
    if len(before) == 1:
        return before[0] is theirs
    return (theirs[0] > mine[0]) == bool(before)


def _trim(text: str, sp: Span) -> Span:
    start, end = sp.start, sp.end
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span.of(text, start, end)


def _gap(r: range, cue: range) -> int:
    return cue.start - r.stop if r.stop <= cue.start else r.start - cue.stop


def _span(doc: Doc, r: range) -> Span:
    sp = doc[r.start:r.stop]       # Span.text joins only its own tokens; doc.text would join them all
    return Span(sp.start_char, sp.end_char, sp.text)


def _merge(doc: Doc, runs: list[range]) -> list[Span]:
    """Content runs separated only by punctuation or quote marks are one span."""
    merged: list[range] = []
    for r in runs:
        if merged and all(doc[i].is_punct or doc[i].is_space for i in range(merged[-1].stop, r.start)):
            merged[-1] = range(merged[-1].start, r.stop)
        else:
            merged.append(r)
    return [_span(doc, r) for r in merged]


def _speaker_entity(analysis: Analysis, mentions: Mentions, speaker: range, doc: Doc) -> Entity | None:
    """The entity the speaker span names: the mention at the span's syntactic head, else the largest."""
    start, end = doc[speaker.start].idx, doc[speaker.stop - 1].idx + len(doc[speaker.stop - 1])
    head = speakers.head_of(doc, speaker)
    inside = mentions.overlapping(start, end)
    if not inside:
        return None
    at_head = [m for m in inside if m[0] <= doc[head].idx < m[1]]
    if at_head:
        s, e, ent, acts = at_head[0]
    else:
        # "Farmers in southern Spain" is not Spain: away from the head, a mention must be most of the span.
        s, e, ent, acts = max(inside, key=lambda m: min(m[1], end) - max(m[0], start))
        if (min(e, end) - max(s, start)) * 2 < end - start:
            return None
    return mentions.acting(ent, acts)




def _antecedent(info: DocInfo, speaker: range) -> range:
    """For a relative pronoun speaker ("officials, who said ..."), the noun the clause hangs on."""
    if len(speaker) == 1 and info.parsed:
        noun = antecedent(info.doc[speaker.start]).i
        return range(noun, noun + 1)
    return speaker


def _unresolved_name(info: DocInfo, speaker: range) -> str | None:
    """A speaker no entity stands for: its words without the article ("the company" -> "company");
    None for a bare pronoun, which names nobody."""
    r = _antecedent(info, speaker)
    if all(info.pos[i] == "PRON" or info.lower[i] in RELATIVE for i in r):
        return None
    return plain_name(info.doc[r.start:r.stop].text)


def _first_person_speakers(quotes: list[Quote], kb: Knowledge) -> None:
    """"I"/"we" speaking inside someone's direct quote are that quote's speaker."""
    for q in quotes:
        if q.speaker is None or q.speaker_name is not None:
            continue
        info = kb.pronouns.get(q.speaker.text.lower())
        if not info or info.get("person") != "1":
            continue
        for outer in quotes:
            if outer is not q and outer.speaker_name and any(
                    s.start <= q.speaker.start < s.end for s in outer.content):
                q.speaker_name, q.speaker_entity = outer.speaker_name, outer.speaker_entity
                break


def _surnames_in_full(quotes: list[Quote], analysis: Analysis, kb: Knowledge) -> None:
    """"Laurin said ..." after "Carole Laurin, the mayor, said ...": a one-word name no entity stands for
    is the full name, told before, that ends with it (a speaker's, a person entity's, else a given name
    and this surname in the text before)."""
    ordered = sorted(quotes, key=lambda q: q.cue.start if q.cue else 0)
    for k, q in enumerate(ordered):
        name = q.speaker_name
        if q.speaker_entity is not None or not name or " " in name or not name[:1].isupper():
            continue
        earlier = [p.speaker_name for p in ordered[:k] if p.speaker_name and " " in p.speaker_name]
        earlier += [e.name for e in analysis.entities if e.kind == "person" and " " in e.name
                    and any(m.start < (q.cue.start if q.cue else 0) for m in e.mentions)]
        full = [n for n in earlier if n.split()[-1] == name]
        if not full:
            before = analysis.text[:q.cue.start if q.cue else 0]
            full = [f"{m[1]} {name}" for m in re.finditer(rf"\b([A-Z][\w'-]+) {re.escape(name)}\b", before)
                    if m[1] in kb.given_names]
        if len(set(full)) == 1:
            q.speaker_name = full[0]


CARRY_SENTENCES = 2     # how far back a pronoun speaker the entity layer left alone looks for the last speaker


def _speakers_carried_on(quotes: list[Quote], analysis: Analysis, kb: Knowledge) -> None:
    """"The city of Phoenix says ... It says ...", "Mrs. Clinton said ... She is proposing ...": a pronoun
    speaker the entity layer left without an entity is the last named speaker of the sentences just
    before that it can stand for: an organization or body for "it", a person of its gender for
    "he"/"she"."""
    ordered = sorted(quotes, key=lambda q: q.speaker.start if q.speaker else q.cue.start)
    for k, q in enumerate(ordered):
        if q.speaker is None or q.speaker_name is not None:
            continue
        info = kb.pronouns.get(q.speaker.text.lower())
        if not info or info.get("person") != "3" or info.get("number") != "sg":
            continue
        for prev in reversed(ordered[:k]):
            if prev.speaker_name is None or prev.sentence is None or q.sentence is None:
                continue
            if q.sentence - prev.sentence > CARRY_SENTENCES:
                break
            ent = analysis.entity(prev.speaker_entity)
            person = ent is not None and ent.kind == "person" or ent is None and _person_name(prev.speaker_name, kb)
            gender = info.get("gender") if info.get("gender") in ("m", "f") else None
            if gender and not (person and (ent.gender if ent else kb.given_names.get(prev.speaker_name.split()[0]))
                               in (None, "", gender)):
                continue
            if not gender and (person or ent is not None and ent.kind == "group" or _plural_noun(prev.speaker_name)):
                continue
            q.speaker_name, q.speaker_entity = prev.speaker_name, prev.speaker_entity
            break


def _person_name(name: str, kb: Knowledge) -> bool:
    """"Ana Ruiz": a name with no entity that is a person's, by its given name (knowledge/given_names.tsv)."""
    words = name.split()
    return len(words) >= 2 and words[0] in kb.given_names


def _plural_noun(name: str) -> bool:
    """"editorials", "officials": a common noun in the plural (no proper name), which "it" cannot stand for."""
    words = name.split()
    last = words[-1]
    return (last.islower() or len(words) == 1) and last.lower().endswith("s") and not last.lower().endswith("ss")
