"""Who a speaker span names when no entity is mentioned at its head: the entity layer's entities, found
through the span's shape.

- an apposition holds the name: "The club's general manager, David Feder," is David Feder;
- a description stands for an entity named before it, of its type, the most salient: "the Indiana
  governor" (a person: a title or a person noun at its head, the words the entity's mentions share
  counting most), "the newspaper" (an organization: an organization noun at its head);
- a document speaks for its author: "a Donald Trump tweet" is Donald Trump, "the report" the most
  salient organization before it, an ad its campaign;
- a campaign is an entity of its own, named after its candidate: "Donald Trump's campaign" and, after
  it, "the campaign" are the "Trump campaign".

Pure functions over the doc's tokens (DocInfo) and the analysis's entities; no I/O.
"""
from __future__ import annotations

import re
from pathlib import Path

from ...knowledge import Knowledge
from ...model import Analysis, Entity
from ..common import Mentions, word_sets
from .features import DocInfo

# The head nouns the resolution reads (data/speaker_words.tsv): documents and who speaks for them, bodies
# named before ("the newspaper"), party people ("the Republican").
_WORDS = word_sets(Path(__file__).parent / "data" / "speaker_words.tsv")
ADS = _WORDS["ad"]
PERSONAL_DOCUMENTS = _WORDS["personal_document"]
DOCUMENT_NOUNS = _WORDS["document"] | PERSONAL_DOCUMENTS | ADS
MEDIA_NOUNS = _WORDS["body"]
PARTY_PEOPLE = _WORDS["party_person"]
DECAY = 0.85            # an entity's mention counts this much less for every sentence back
PROMINENCE = 0.1        # and this much however far back: the article's main actors stay salient
LOOKAHEAD = 2           # sentences after a description where the name it goes with may come
# Bodies named after their leader: "Donald Trump's campaign", "the Obama administration".
LED_BODIES = ("campaign", "administration")
LED_BODY = re.compile(r"\b([A-Z][\w-]*(?:['’][A-Z][\w-]*)?)(?:['’]s)?(?: presidential| reelection| re-election| election| Senate)?"
                      r" (campaign|administration)\b")


def _words(info: DocInfo, r: range) -> list[int]:
    return [i for i in r if info.doc[i].is_alpha or info.doc[i].text[:1].isalpha()]


def head_of(doc, r: range) -> int:
    """The token of a span that heads it in the parse (its first token outside the parse)."""
    for i in r:
        if not (r.start <= doc[i].head.i < r.stop) or doc[i].head.i == i:
            return i
    return r.stop - 1


def _salience(analysis: Analysis, before: int, here: int, fits) -> dict[str, float]:
    """How salient each fitting entity is at offset ``before`` (in sentence ``here``): its mentions before
    it, a name counting twice a nominal or pronoun, each sentence back counting DECAY times less (but
    never less than PROMINENCE)."""
    out: dict[str, float] = {}
    for e in analysis.entities:
        if not fits(e) or not any(m.kind == "name" for m in e.mentions):
            continue
        s = sum((1.0 if m.kind == "name" else 0.5) * (PROMINENCE + DECAY ** max(0, here - (m.sentence or 0)))
                for m in e.mentions if m.end <= before)
        if s > 0:
            out[e.id] = s
    return out


def appositive(info: DocInfo, speaker: range, mentions: Mentions) -> Entity | None:
    """The one person named inside a speaker span that sets a description and a name side by side
    ("The state's campaign chairman, Phil Lovas,"; "Mexico's economy minister Ildefonso Guajardo")."""
    doc = info.doc
    start, end = doc[speaker.start].idx, doc[speaker.stop - 1].idx + len(doc[speaker.stop - 1])
    people = {id(m[2]): m[2] for m in mentions.overlapping(start, end)
              if m[2].kind == "person" and start <= m[0] and m[1] <= end}
    named = [e for e in people.values() if any(start <= m.start and m.end <= end and m.kind == "name"
                                               for m in e.mentions)]
    if len(named) != 1:
        return None
    has_comma = any(doc[i].text == "," for i in speaker)
    head = head_of(info.doc, speaker)
    at_head = any(m.start <= doc[head].idx < m.end for m in named[0].mentions)
    return named[0] if has_comma or at_head else None


def led_body(text: str, info: DocInfo, speaker: range, analysis: Analysis, mentions: Mentions) -> str | None:
    """"Donald Trump's campaign" -> "Trump campaign"; "the campaign" -> the last campaign named before it;
    "the Obama administration" -> "Obama administration"; an ad speaks for a campaign: "a Hillary Clinton
    ad" -> "Clinton campaign", "the ad" -> the last campaign named before it."""
    doc = info.doc
    head = info.lower[head_of(info.doc, speaker)]
    if head in ADS:
        head = "campaign"
    if head not in LED_BODIES and not (info.lower[speaker.start] == "it" and len(speaker) == 1):
        return None
    start, end = doc[speaker.start].idx, doc[speaker.stop - 1].idx + len(doc[speaker.stop - 1])
    inside = [m[2] for m in mentions.overlapping(start, end) if m[2].kind == "person" and start <= m[0]]
    if inside and " " in inside[0].name:
        return f"{inside[0].name.split()[-1]} {head}"
    surnames = {e.name.split()[-1] for e in analysis.entities if e.kind == "person"}
    if info.lower[speaker.start] == "it" and len(speaker) == 1:
        # "It" after "the Trump campaign" (in this sentence or the one before) is that campaign.
        here = info.sent[speaker.start]
        lo = doc[info.sent_bounds[max(0, here - 1)][0]].idx
        found = [f for f in LED_BODY.finditer(text, lo, start) if f.group(1) in surnames]
        return f"{found[-1].group(1)} {found[-1].group(2)}" if found else None
    for found in reversed(list(LED_BODY.finditer(text, 0, end))):
        if found.group(1) in surnames and found.group(2) == head and (found.start() >= start or found.end() <= start):
            return f"{found.group(1)} {head}"
    return None


def possessor(info: DocInfo, speaker: range) -> str | None:
    """The name that owns a document no entity stands for: "POLITICO's Battleground States average"."""
    doc = info.doc
    if info.lower[head_of(info.doc, speaker)] not in DOCUMENT_NOUNS:
        return None
    for i in speaker:
        if doc[i].text in ("'s", "’s") and i > speaker.start:
            k = i
            while k > speaker.start and info.pos[k - 1] == "PROPN":
                k -= 1
            return doc[k:i].text if k < i else None
    return None


def proper_name(info: DocInfo, speaker: range, kb: Knowledge) -> str | None:
    """The name inside a speaker span the entity layer has no entity for, without the titles and words
    of description around it: "Mayor Ana Ruiz" -> "Ana Ruiz", "Canadian actor Sandra Oh" -> "Sandra Oh",
    "Carole Laurin, the mayor," -> "Carole Laurin". The first run of two or more capitalized proper
    nouns that is no preposition's object or possessor, its leading titles taken off; None when there is
    none."""
    doc = info.doc
    runs, run = [], []
    for i in speaker:
        if info.pos[i] == "PROPN" and doc[i].text[:1].isupper():
            run.append(i)
        else:
            if run:
                runs.append(run)
            run = []
            if doc[i].text == "," and runs:
                break
    if run:
        runs.append(run)
    for run in runs:
        before = run[0] - 1
        after = run[-1] + 1
        if before >= speaker.start and info.pos[before] == "ADP" or \
                after < speaker.stop and doc[after].text in ("'s", "’s", "'", "’"):
            continue                    # "a spokeswoman for Hillary Clinton", "Clinton's spokeswoman": not her
        while len(run) > 2 and (info.lower[run[0]] in kb.titles or info.lower[run[0]].rstrip(".") in kb.titles):
            run = run[1:]
        if len(run) >= 2 and not (info.lower[run[0]] in kb.titles or info.lower[run[0]].rstrip(".") in kb.titles):
            return doc[run[0]:run[-1] + 1].text
    # "Canadian actor Oh": one name at the span's end after words that only describe its bearer
    last = speaker.stop - 1
    if doc[last].text[:1].isupper() and doc[last].is_alpha and last > speaker.start and all(
            info.pos[i] in ("ADJ", "DET") or info.lower[i] in kb.titles or info.lower[i] in kb.speaker_nouns
            for i in range(speaker.start, last)) and info.lower[last] not in kb.titles:
        return doc[last].text
    return None


def party_person(info: DocInfo, speaker: range) -> bool:
    """"The Republican" (one person), not "Republicans"."""
    head = head_of(info.doc, speaker)
    return info.lower[head] in PARTY_PEOPLE and info.doc[head].tag_ not in ("NNS", "NNPS")


def nominal_only(entity: Entity | None) -> bool:
    """A person the entity layer knows only by a description ("the senator", "the candidate"): no name."""
    return entity is not None and entity.kind == "person" and not any(m.kind == "name" for m in entity.mentions)


def _title_words(words: list[str], kb: Knowledge) -> list[str]:
    """The titles a description holds ("New York state attorney general" -> ["attorney general"])."""
    out = []
    for n in (3, 2, 1):
        for k in range(len(words) - n + 1):
            t = " ".join(words[k:k + n])
            if t in kb.titles and not any(t in o for o in out):
                out.append(t)
    return out


def _same_title(a: str, b: str) -> bool:
    """"senator" and "Sen.", "governor" and "Gov.": the same title, written out or shortened."""
    a, b = a.lower(), b.lower()
    if a.rstrip(".") == b.rstrip("."):
        return True
    short, full = (a, b) if len(a) < len(b) else (b, a)
    return short.endswith(".") and " " not in full and full.startswith(short.rstrip("."))


def described(info: DocInfo, speaker: range, analysis: Analysis, kb: Knowledge, here: int,
              mentions: Mentions, gender: str | None = None) -> Entity | None:
    """The entity a description, or a document, stands for (see the module's docstring); ``gender``: the
    pronoun's, where a pronoun stood for the description."""
    doc = info.doc
    head = head_of(info.doc, speaker)
    lemma = info.lower[head] if info.lower[head] in DOCUMENT_NOUNS else info.lemma[head]
    if info.pos[head] not in ("NOUN", "PROPN") and lemma not in PARTY_PEOPLE and lemma not in DOCUMENT_NOUNS:
        return None
    if doc[head].tag_ in ("NNS", "NNPS") and lemma not in DOCUMENT_NOUNS:
        return None
    start = doc[speaker.start].idx
    end = doc[speaker.stop - 1].idx + len(doc[speaker.stop - 1])
    words = [info.lower[i] for i in _words(info, speaker)]
    first = info.lower[speaker.start]
    if lemma in DOCUMENT_NOUNS:
        inside = [m[2] for m in mentions.overlapping(start, end)
                  if m[2].kind in ("person", "organization") and start <= m[0]]
        if inside:
            return inside[0]            # "a Donald Trump tweet", "his program", "POLITICO's average"
        if lemma in ADS:
            return None                 # an ad speaks for a campaign (led_body), not for whoever is salient
        kinds = ("person", "organization") if lemma in PERSONAL_DOCUMENTS else ("organization", "person")
        scores = _salience(analysis, start, here, lambda e: e.kind == kinds[0]) or \
            _salience(analysis, start, here, lambda e: e.kind == kinds[1])
        if scores:
            return analysis.entity(max(scores, key=scores.get))
        # "Poll: Clinton leads. [...] the Washington Post-ABC News poll": the author may be named just after
        for kind in kinds:
            after = [(m.start, e) for e in analysis.entities if e.kind == kind for m in e.mentions
                     if m.kind == "name" and m.start >= end and (m.sentence or 0) - here <= LOOKAHEAD]
            if after:
                return min(after, key=lambda x: x[0])[1]
        return None
    if first not in ("the", "this", "that") and not (lemma in kb.titles and info.pos[speaker.start] != "DET"):
        return None                     # "a spokeswoman", "one of the candidates": nobody in particular
    if lemma in MEDIA_NOUNS or lemma in kb.org_nouns:
        scores = _salience(analysis, start, here, lambda e: e.kind == "organization")
        return analysis.entity(max(scores, key=scores.get)) if scores else None
    titles = _title_words(words, kb)
    if not titles and lemma not in kb.speaker_nouns and lemma not in PARTY_PEOPLE:
        return None
    gender = gender or next((kb.titles[t].gender for t in titles if kb.titles[t].gender), None)
    scores = _salience(analysis, start, here, lambda e: e.kind == "person" and not (
        gender and e.gender and e.gender != gender))
    if not scores:
        return None
    # The proper words of a description ("Indiana", "New York", "GOP") are what an entity's names can bear out.
    described_words = {info.lower[i] for i in _words(info, speaker) if info.doc[i].text[:1].isupper()} - {"the", "this", "that"}
    # "The New York state attorney general [...]. Attorney General Eric Schneiderman": a name with the
    # description's very title may follow within LOOKAHEAD sentences.
    for e in analysis.entities:
        if e.kind == "person" and e.id not in scores and e.title and any(_same_title(t, e.title) for t in titles) \
                and any(m.kind == "name" and 0 <= (m.sentence or 0) - here <= LOOKAHEAD for m in e.mentions):
            scores[e.id] = PROMINENCE

    def fit(e: Entity) -> int:
        """How much of the description the entity's mentions and title bear out."""
        said = {w.lower() for m in e.mentions if m.kind == "name" for w in m.text.split()}
        titled = any(_same_title(t, e.title) for t in titles) if e.title else False
        titled = titled or any(_same_title(t, w) for t in titles for w in said)
        return 2 * titled + len(described_words & {w.rstrip(".") for w in said})
    best = max(scores, key=lambda i: (fit(analysis.entity(i)), scores[i]))
    return analysis.entity(best)
