"""Finding mentions: names (spaCy NER checked against the gazetteer), titled names, group nouns
("Chinese banks"), definite role nominals ("the Russian leader") and third-person pronouns.

Works on tokens only (entity labels, tags, lemmas): nothing here needs the dependency parse.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from spacy.tokens import Doc, Token

from ...knowledge import Knowledge, norm_name
from ..common import word_sets

# The stage's word lists (data/entity_words.tsv), by class.
WORDS = word_sets(Path(__file__).parent / "data" / "entity_words.tsv")
NAME_LABELS = {"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP"}
# Words that may sit between a title and the name or before the title: "former US President".
TITLE_MODIFIERS = WORDS["title_modifier"]
DETERMINERS = WORDS["determiner"]
QUOTE_PAIRS = {"“": "”", "«": "»", "„": "“", '"': '"', "‘": "’"}
MIN_CITY_POPULATION = 100_000
# Lower-case words that belong inside names: "Ursula von der Leyen", "Mohammed bin Salman".
NAME_PARTICLES = WORDS["name_particle"]   # a capitalised single word that NER calls a person is a city only if it is a big one


@dataclass(kw_only=True)
class Traits:
    """What the text says about a referent, for a mention and for the entity its mentions make up."""
    country: str | None = None
    sector: str | None = None
    title: str | None = None
    title_rank: str | None = None
    nationality: str | None = None
    gender: str | None = None
    number: str = "sg"

    def take_traits(self, other: "Traits") -> None:
        """Fill each trait still unknown here (all but number) from another mention."""
        for attr in ("country", "sector", "title", "title_rank", "nationality", "gender"):
            if getattr(self, attr) is None and getattr(other, attr):
                setattr(self, attr, getattr(other, attr))


@dataclass
class Candidate(Traits):
    """A mention before coreference: where it is and what the text says about its referent."""
    start: int                 # character offsets
    end: int
    tok_start: int             # token offsets [tok_start, tok_end)
    tok_end: int
    text: str
    kind: str                  # name | nominal | pronoun | demonym | group
    etype: str                 # person | country | capital | city | place | organization | group | pronoun
    label: str
    key: str                   # canonical name for names, the title for nominals, the pronoun for pronouns
    quoted: bool = False
    head: int = -1             # token index of the head word
    entity: int | None = None  # index of the entity it was resolved to
    acts_as_state: bool = False
    extra: dict = field(default_factory=dict)


def quoted_regions(text: str) -> list[tuple[int, int]]:
    """Character stretches inside quote marks, ``(opening mark, closing mark)``, paired within a paragraph
    (an unclosed mark ends at the paragraph). A quote that runs over paragraphs opens each one with a
    mark and closes only the last; where the paragraph breaks were lost (text joined into one line), a
    mark that opens a new sentence inside an open quotation ("...anyway. "This is...") starts a new
    quotation, and the open one ends with the sentence before it, unclosed. A straight mark that can
    only close, where none is open, opens nothing."""
    out = []
    for para in re.finditer(r"[^\n]+", text):
        i, e = para.start(), para.end()
        while i < e:
            ch = text[i]
            if ch in QUOTE_PAIRS and ch != "’" and not _stray_close(text, i, e):
                end, i = _quotation_end(text, i, e)
                out.append(end)
            else:
                i += 1
    return out


def _quotation_end(text: str, i: int, e: int) -> tuple[tuple[int, int], int]:
    """The region of the quotation opened at ``i`` and where to go on scanning."""
    ch, close = text[i], QUOTE_PAIRS[text[i]]
    for k in range(i + 1, e):
        c = text[k]
        if c == close and not (ch == "‘" and k + 1 < e and text[k + 1].isalpha()):  # ’ in a word: apostrophe
            if (c == ch or close == "“") and _reopens(text, i, k, e):
                break
            return (i, k), k + 1
        if c == ch and c != close and _reopens(text, i, k, e):
            break
    else:
        return (i, e), e + 1
    before = text[i:k].rstrip()
    return (i, i + len(before)), k


def _stray_close(text: str, i: int, e: int) -> bool:
    """A straight mark that can only close (after a word, before a space or a stop) where no quotation is
    open: a slip of the source ('...small businesses", An EU spokesman said'), no opening mark."""
    return (text[i] == '"' and i > 0 and not text[i - 1].isspace() and text[i - 1] not in "([{\u2014-:"
            and (i + 1 >= e or text[i + 1].isspace() or text[i + 1] in ",.;:!?)"))


def _reopens(text: str, i: int, k: int, e: int) -> bool:
    """Whether the mark at ``k``, inside the quotation opened at ``i``, opens a new one: it stands before a
    word, after a space that follows the end of a sentence."""
    return (k + 1 < e and not text[k + 1].isspace() and text[k - 1].isspace()
            and text[i + 1:k].rstrip()[-1:] in (".", "!", "?"))


def _in_regions(regions: list[tuple[int, int]], start: int) -> bool:
    return any(a < start < b for a, b in regions)


def _match_title(doc: Doc, end: int, kb: Knowledge) -> int | None:
    """Start token of the longest title ending just before token ``end`` ("Foreign Minister"), or None."""
    for n in range(min(kb.title_max_words, end), 0, -1):
        phrase = " ".join(t.lower_ for t in doc[end - n:end])
        if phrase in kb.titles:
            return end - n
    return None


def _title_after(doc: Doc, start: int, kb: Knowledge) -> int | None:
    """End token of the longest title starting at token ``start``, or None."""
    for n in range(min(kb.title_max_words, len(doc) - start), 0, -1):
        phrase = " ".join(t.lower_ for t in doc[start:start + n])
        if phrase in kb.titles:
            return start + n
    return None


def _country_word(tok: Token, kb: Knowledge):
    """The country a token names as a demonym ("Russian") or a country name ("US"), or None."""
    if not tok.text[:1].isupper():
        return None
    return kb.demonym(tok.text) or kb.country(tok.text)


def named_mentions(doc: Doc, kb: Knowledge, quoted: list) -> list[Candidate]:
    out: list[Candidate] = []
    for ent in doc.ents:
        if ent.label_ not in NAME_LABELS:
            continue
        ts, te = ent.start, ent.end
        while ts < te and doc[ts].lower_ in DETERMINERS:
            ts += 1
        while te > ts and (doc[te - 1].text in ("'s", "’s", "'", "’") or doc[te - 1].is_punct):
            te -= 1
        if ts >= te:
            continue
        cand = _classify(doc, ts, te, ent.label_, kb)
        if cand is not None:
            cand.quoted = _in_regions(quoted, cand.start)
            out.append(cand)
    return out


def _classify(doc: Doc, ts: int, te: int, label: str, kb: Knowledge) -> Candidate | None:
    span = doc[ts:te]
    text = span.text
    key = norm_name(text)

    def make(etype, lab, name, **kw) -> Candidate:
        return Candidate(span.start_char, span.end_char, ts, te, text, "name", etype, lab, name,
                         head=te - 1, **kw)

    if len(span) == 1 and label in ("NORP", "ORG", "GPE") and kb.demonym(key):
        c = kb.demonym(key)
        return Candidate(span.start_char, span.end_char, ts, te, text, "demonym", "country", "GPE",
                         c.name, country=c.iso3, head=te - 1)
    country = kb.country(key)
    if country and label != "PERSON" or country and len(span) == 1:
        return make("country", "GPE", country.name, country=country.iso3)
    capital = kb.capital(key)
    if capital and (label != "PERSON" or key not in kb.given_names):
        return make("capital", "GPE", capital.capital, country=capital.iso3)
    org = kb.organization(key)
    if org and label in ("ORG", "GPE", "NORP", "FAC", "PERSON"):
        return make("organization", "ORG", org.name, country=org.country, sector=org.sector or None)
    if label == "NORP":
        c = kb.demonym(key)
        if c:
            return Candidate(span.start_char, span.end_char, ts, te, text, "demonym", "country", "GPE",
                             c.name, country=c.iso3, head=te - 1)
        if key in kb.blocs:
            return None  # "Western" alone names no actor; group_mentions uses it
        return make("group", "NORP", key, number="pl" if text.endswith("s") else "sg")
    if label == "PERSON":
        return _person(doc, ts, te, kb, make)
    if label in ("GPE", "LOC", "FAC"):
        cities = kb.city(key)
        if cities:
            c = kb.country_by_iso2.get(cities[0].cc)
            return make("city", label, cities[0].name if norm_name(cities[0].name) == key else key,
                        country=c.iso3 if c else None)
        return make("place", label, key)
    if label == "ORG":
        return make("organization", "ORG", key)
    return None


def _person(doc: Doc, ts: int, te: int, kb: Knowledge, make) -> Candidate | None:
    # NER sometimes keeps the title inside the name ("President Putin", "Mr Khatami").
    title = rank = gender = None
    while te - ts > 1:
        t_end = _title_after(doc, ts, kb)
        if t_end is None or t_end >= te:
            break
        t = kb.titles[" ".join(x.lower_ for x in doc[ts:t_end])]
        if t.rank == "honorific":
            gender = gender or t.gender or None
        else:
            title, rank = doc[ts:t_end].text, t.rank
        ts = t_end
    # NER spans sometimes run on past the name ("Norman Cook - aka"): stop at the first word that
    # cannot be part of a name.
    for k in range(ts + 1, te):
        tok = doc[k]
        if (tok.is_punct and tok.text not in (".", "-", "'")) or tok.text in (" - ", "--") or (
                tok.is_lower and tok.lower_ not in NAME_PARTICLES) or tok.text == "-" and k + 1 < te and doc[k + 1].is_lower:
            te = k
            break
    while te > ts + 1 and doc[te - 1].is_punct:
        te -= 1
    name_tokens = doc[ts:te]
    key = norm_name(name_tokens.text)
    if len(name_tokens) == 1 and title is None and key not in kb.given_names:
        # NER calls some places persons ("Kyiv", "Kherson"); a big city of that exact name wins.
        prev = doc[ts - 1].lower_ if ts else ""
        cities = kb.city(key, MIN_CITY_POPULATION if not _place_context(doc, ts, te) else 0)
        if cities and _title_match_before(doc, ts, kb) is None and prev not in ("mr", "mrs", "ms", "dr"):
            c = kb.country_by_iso2.get(cities[0].cc)
            cand = make("city", "GPE", cities[0].name, country=c.iso3 if c else None)
            return cand
    cand = make("person", "PERSON", key, title=title, title_rank=rank, gender=gender)
    cand.start, cand.tok_start = name_tokens.start_char, ts
    cand.text = name_tokens.text
    first = name_tokens[0].text
    if cand.gender is None and len(name_tokens) > 1:
        cand.gender = kb.given_names.get(first) or None
    _expand_title_left(doc, cand, kb)
    if cand.country is None and te + 1 < len(doc) and doc[te].lower_ == "of":
        c = kb.country(doc[te + 1].text)    # "Prime Minister Sara Lindqvist of Sweden"
        cand.country = c.iso3 if c else None
    return cand


PLACE_NOUNS = WORDS["place_noun"]


def _place_context(doc: Doc, ts: int, te: int) -> bool:
    """Around a name: a place noun after a list of names ("Donetsk, Kherson and Lugansk regions") or
    a place preposition before it ("in Kherson")."""
    k = te
    while k < len(doc) and (doc[k].text in (",", "and", "or") or doc[k].pos_ == "PROPN"):
        k += 1
    if k < len(doc) and doc[k].lower_ in PLACE_NOUNS:
        return True
    return ts > 0 and doc[ts - 1].lower_ in ("in", "near", "outside", "around")


def _title_match_before(doc: Doc, ts: int, kb: Knowledge) -> int | None:
    return _match_title(doc, ts, kb) if ts else None


def _expand_title_left(doc: Doc, cand: Candidate, kb: Knowledge) -> None:
    """Take "Russian President" into the mention of "Vladimir Putin", as title and nationality."""
    i = cand.tok_start
    found_title = False
    while i > 0:
        t_start = _match_title(doc, i, kb)
        if t_start is not None:
            t = kb.titles[" ".join(x.lower_ for x in doc[t_start:i])]
            if t.rank == "honorific":
                cand.gender = cand.gender or t.gender or None
            elif cand.title is None:
                cand.title, cand.title_rank = doc[t_start:i].text, t.rank
                cand.sector = cand.sector or t.sector or None
                if not cand.gender and t.gender:
                    cand.gender = t.gender
            found_title = True
            i = t_start
            continue
        prev = doc[i - 1]
        if found_title and prev.lower_ in TITLE_MODIFIERS:
            i -= 1
            continue
        c = _country_word(prev, kb) if found_title else None
        if c is not None:
            cand.country = cand.country or c.iso3
            if kb.demonym(prev.text):
                cand.nationality = cand.nationality or prev.text
            i -= 1
            continue
        if found_title and prev.text in ("'s", "’s") and i > 1 and _country_word(doc[i - 2], kb):
            c = _country_word(doc[i - 2], kb)
            cand.country = cand.country or c.iso3
            i -= 2
            continue
        break
    if i < cand.tok_start:
        cand.tok_start = i
        cand.start = doc[i].idx
        cand.text = doc[i:cand.tok_end].text


def group_mentions(doc: Doc, kb: Knowledge, taken: set[int], quoted: list) -> list[Candidate]:
    """Nationality or bloc + group noun: "Russian media", "Chinese companies and banks", "Western countries"."""
    out = []
    i, n = 0, len(doc)
    while i < n:
        j, countries, blocs = i, [], []
        while j < n:
            tok = doc[j]
            c = _country_word(tok, kb) if tok.pos_ in ("ADJ", "PROPN", "NOUN") or tok.ent_type_ else None
            if c is not None and tok.ent_type_ != "PERSON":
                countries.append(c)
            elif tok.text in kb.blocs:
                blocs.append(kb.blocs[tok.text])
            elif (countries or blocs) and tok.lower_ in ("and", "or", ",") and j + 1 < n and (
                    _country_word(doc[j + 1], kb) or doc[j + 1].text in kb.blocs):
                pass
            else:
                break
            j += 1
        if j == i:
            i += 1
            continue
        head_end = _group_head(doc, j, kb)
        if head_end is None or any(t in taken for t in range(i, head_end)):
            i = max(j, i + 1)
            continue
        # "Chinese companies and banks": a second group noun joined by "and" belongs to the same actor.
        if head_end + 1 < n and doc[head_end].lower_ == "and":
            second = _group_head(doc, head_end + 1, kb, max_mods=0)
            if second is not None:
                head_end = second
        span = doc[i:head_end]
        head = doc[head_end - 1]
        sector, number = kb.group_nouns.get(head.lower_, kb.group_nouns.get(head.lemma_.lower(), ("", "pl")))
        key = " ".join(span.text.split())
        country = countries[0].iso3 if len({c.iso3 for c in countries}) == 1 and not blocs else None
        cand = Candidate(span.start_char, span.end_char, i, head_end, span.text, "group", "group", "GROUP",
                         key, country=country, sector=sector or None, number=number or "pl", head=head_end - 1,
                         nationality=doc[i].text if countries else None)
        cand.extra["countries"] = [c.iso3 for c in countries]
        cand.extra["blocs"] = [b.code for b in blocs]
        cand.quoted = _in_regions(quoted, cand.start)
        out.append(cand)
        taken.update(range(i, head_end))
        i = head_end
    return out


def _group_head(doc: Doc, j: int, kb: Knowledge, max_mods: int = 2) -> int | None:
    """End token (exclusive) of a group noun phrase starting at ``j`` ("state media", "payment institutions")."""
    for k in range(j, min(j + max_mods + 1, len(doc))):
        for width in (2, 1):
            phrase = " ".join(t.lower_ for t in doc[k:k + width])
            lemma = " ".join(t.lemma_.lower() for t in doc[k:k + width])
            if k + width <= len(doc) and (phrase in kb.group_nouns or lemma in kb.group_nouns):
                return k + width
        if doc[k].pos_ not in ("ADJ", "NOUN", "VERB") or doc[k].ent_type_ in ("PERSON", "GPE", "ORG"):
            return None
    return None


def nominal_mentions(doc: Doc, kb: Knowledge, taken: set[int], quoted: list) -> list[Candidate]:
    """Definite role nominals that stand for a person: "the Russian leader", "Iran's president"."""
    out = []
    for i, tok in enumerate(doc):
        if i in taken:
            continue
        start = None
        country = nationality = None
        if tok.lower_ == "the":
            start, j = i, i + 1
        elif tok.text in ("'s", "’s") and i > 0 and _country_word(doc[i - 1], kb):
            # "Iran's president": the nominal nests the country's own mention.
            start, j = i - 1, i + 1
            country = _country_word(doc[i - 1], kb)
        else:
            continue
        while j < len(doc) and (doc[j].lower_ in TITLE_MODIFIERS or _country_word(doc[j], kb)):
            c = _country_word(doc[j], kb)
            if c is not None:
                country = country or c
                nationality = nationality or (doc[j].text if kb.demonym(doc[j].text) else None)
            j += 1
        t_end = _title_after(doc, j, kb)
        if t_end is None or any(t in taken for t in range(start + 1, t_end)):
            continue
        title = kb.titles[" ".join(x.lower_ for x in doc[j:t_end])]
        if title.rank == "honorific":
            continue
        nxt = doc[t_end] if t_end < len(doc) else None
        if nxt is not None and (nxt.pos_ == "PROPN" or nxt.ent_type_ == "PERSON" or nxt.lower_ == "of"):
            continue  # "the President Vladimir Putin" is a name; "the president of X" is left to the parse
        if doc[t_end - 1].tag_ in ("NNS", "NNPS"):
            continue
        span_start = start + 1 if doc[start].lower_ == "the" else start
        span = doc[start:t_end]
        cand = Candidate(span.start_char, span.end_char, start, t_end, span.text, "nominal", "person", "PERSON",
                         doc[j:t_end].text.lower(), country=country.iso3 if country else None,
                         sector=title.sector or None, title=doc[j:t_end].text, title_rank=title.rank,
                         nationality=nationality, gender=title.gender or None, head=t_end - 1)
        cand.extra["name"] = doc[span_start:t_end].text
        cand.quoted = _in_regions(quoted, cand.start)
        out.append(cand)
        taken.update(range(start, t_end))
    return out


def org_nominal_mentions(doc: Doc, kb: Knowledge, taken: set[int], quoted: list) -> list[Candidate]:
    """"the company", "the bank": a definite noun that stands for an organization named earlier."""
    out = []
    for i, tok in enumerate(doc[:-1]):
        nxt = doc[i + 1]
        if tok.lower_ != "the" or i in taken or (i + 1) in taken or nxt.lower_ not in kb.org_nouns:
            continue
        if nxt.tag_ not in ("NN", "NNP") or (i + 2 < len(doc) and doc[i + 2].pos_ in ("NOUN", "PROPN")):
            continue  # "the company's" is fine; "the company car" is not the company
        cand = Candidate(tok.idx, nxt.idx + len(nxt), i, i + 2, doc[i:i + 2].text, "nominal", "organization",
                         "ORG", nxt.lower_, sector=kb.org_nouns[nxt.lower_] or None, head=i + 1)
        cand.extra["name"] = nxt.text
        cand.quoted = _in_regions(quoted, cand.start)
        out.append(cand)
        taken.update((i, i + 1))
    return out


def pronoun_mentions(doc: Doc, kb: Knowledge, taken: set[int], quoted: list) -> list[Candidate]:
    """Third-person pronouns, leaving out pleonastic "it" ("it is likely that ...")."""
    out = []
    for i, tok in enumerate(doc):
        info = kb.pronouns.get(tok.lower_)
        if info is None or i in taken or info.get("person") != "3" or tok.pos_ not in ("PRON", "DET", ""):
            continue
        inside = _in_regions(quoted, tok.idx)
        if tok.lower_ == "it" and (inside or _pleonastic(doc, i)):
            continue
        out.append(Candidate(tok.idx, tok.idx + len(tok), i, i + 1, tok.text, "pronoun", "pronoun", "",
                             tok.lower_, gender=info.get("gender") or None, number=info.get("number") or "sg",
                             quoted=inside, head=i, extra={"case": info.get("case", "")}))
    return out


PLEONASTIC_VERBS = WORDS["pleonastic_verb"]
# Adjectives and nouns of "it is likely that ...", "it was time to ...": the "it" refers to nothing.
PLEONASTIC_WORDS = WORDS["pleonastic_word"]


def _pleonastic(doc: Doc, i: int) -> bool:
    """"it is likely that", "it seems to", "it was reported that": an "it" that refers to nothing."""
    window = doc[i + 1:i + 6]
    if not len(window) or window[0].lower_ not in PLEONASTIC_VERBS:
        return False
    if window[0].lower_ in ("seems", "seemed", "appears", "appeared"):
        return True
    for k, tok in enumerate(window[1:], 1):
        if tok.lower_ in PLEONASTIC_WORDS and tok.lower_ not in ("too", "no", "not"):
            nxt = window[k + 1] if k + 1 < len(window) else None
            return nxt is not None and nxt.lower_ in ("that", "whether", "if", "how", "why", "what", "to")
        if tok.pos_ not in ("AUX", "ADV", "PART") and tok.lower_ not in ("too", "no", "not", "be", "been"):
            return False
    return False
