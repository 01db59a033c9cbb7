"""Figures: numbers with their unit and what they measure ("90 percent", "$5 billion", "82 people").

1. **Numbers**: digits ("90", "1,700", "2.5", "5bn"), number words ("seventy million", "a hundred
   thirty million") and vague plurals ("dozens", "hundreds of thousands", counted as at least two of
   their scale), with the multipliers of data/number_words.tsv.
2. **Not figures**: numbers inside dates, times and names (the entity recogniser's DATE, TIME,
   ORDINAL and name labels, unless a currency or percent sign says otherwise), years (1800-2100
   without a unit), numbers glued to letters or to other numbers ("G7", "Covid-19", "F-16", "3-1",
   "9/11", "10:30"), phone-like digit groups, list markers ("1." at a line's start), numbers after a
   label word or a proper name ("Article 5", "Boeing 737", "aged 45") and durations ("three years").
3. **Unit**: a currency or unit of data/units.tsv before or after the number (money in ISO 4217
   codes, "pence" as 0.01 GBP); else a counted noun ("10,000 troops", "dozens of people"; people
   nouns give the unit "people"); else, on the parse, the subject or object of a verb that counts
   people ("At least 82 were killed", "1,700 injured"). Small word numbers (below ten) count only
   people; other bare numbers are figures only where the parse names what they measure
   ("the death toll rose to 82").
4. **Measure**, read from the parse: a counted noun and what happened to it ("people killed"); an
   "of" phrase after the figure ("20% of the state's holdings"; money also "in": "$5bn in aid"); the
   noun the figure modifies ("a $5bn deal"); the noun a figure's "of" phrase hangs on ("profits of
   $5bn"); the subject of the verb the figure completes ("the share of ... had exceeded 90 percent",
   "sales rose 5%"), or its object for "by"/"to" ("cut spending by 5%"); else what the verb did to
   it ("pledged"). Without a parse only the first two apply.
5. **Qualifier**: "at least", "more than", "about", "almost", "up to", "less than" and their variants
   (data/figure_cues.tsv) before the figure; ``approximate`` for "about", "almost" and vague plurals.

Pure; no I/O.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from spacy.tokens import Doc, Span as SpacySpan, Token

from ...knowledge import Knowledge, read_table
from ...model import Analysis, Figure
from .. import stage
from ..common import SentenceIndex, is_parsed

NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
TOKEN_NUMBER = re.compile(rf"({NUMBER})(.*)")
YEAR = re.compile(r"\d{4}")
# Entity labels inside which a number is part of a date, a time or a name.
DATE_LABELS = {"DATE", "TIME", "ORDINAL"}
NAME_LABELS = {"PERSON", "ORG", "GPE", "LOC", "FAC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "NORP", "LANGUAGE"}
CLAUSES = {"relcl", "appos", "advcl", "parataxis", "ccomp", "punct", "mark", "meta", "dep"}
LEADING = {"det", "predet", "poss", "nummod", "quantmod", "case"}
SUBJECTS = {"nsubj", "nsubjpass", "csubj", "csubjpass"}
MAX_MEASURE_WORDS = 14


@dataclass
class _Number:
    first: int                     # doc token indices, inclusive
    last: int
    start: int                     # character offsets of the number itself
    end: int
    value: Decimal
    vague: bool = False
    words: bool = False            # written in words ("seventy million", "dozens")
    unit: str | None = None        # a unit glued to the digits ("90%", "10km", "245p")
    kind: str | None = None
    factor: Decimal = Decimal(1)


@stage("figures", assigns="figures", requires=["sentences"])
def find_figures(doc: Doc, analysis: Analysis, kb: Knowledge) -> list[Figure]:
    lex = lexicon(kb)
    index = SentenceIndex(analysis.sentences)
    text = analysis.text
    out: list[Figure] = []
    for i in range(len(analysis.sentences)):
        sent = index.span(doc, i)
        if sent is None:
            continue
        out.extend(_figures_in(doc, text, sent, lex))
    return sorted(out, key=lambda f: f.start)


# ---------------------------------------------------------------- lexicon
DATA = Path(__file__).parent / "data"


@dataclass(frozen=True, slots=True)
class UnitPhrase:
    """A unit or currency as written beside a number (data/units.tsv), and what it normalises to."""
    phrase: str
    unit: str                                 # "USD", "percent", "km"
    kind: str                                 # money | percent | quantity
    factor: str                               # decimal string: "0.01" for pence
    position: str                             # before | after the number


def lexicon(kb: Knowledge) -> "Lexicon":
    """The stage's tables (data/number_words.tsv, units.tsv, figure_cues.tsv), compiled once per Knowledge."""
    return kb.resource("figures.lexicon", Lexicon)


def number_words() -> dict[str, tuple[int, str]]:
    """Number words, multipliers and vague plurals ("seventy", "bn", "dozens") -> (value, class)."""
    return {r["word"]: (int(r["value"]), r["class"]) for r in read_table(DATA / "number_words.tsv")}


def unit_phrases() -> list[UnitPhrase]:
    """Units and currencies written beside a number ("$", "per cent", "km"), longest phrase first."""
    rows = [UnitPhrase(r["phrase"], r["unit"], r["kind"], r["factor"] or "1", r["position"])
            for r in read_table(DATA / "units.tsv")]
    return sorted(rows, key=lambda u: -len(u.phrase))


def figure_cues() -> dict[str, dict[str, str]]:
    """Words around a number, by class (qualifier, people_noun, people_verb, ...) -> phrase -> value."""
    out: dict[str, dict[str, str]] = {}
    for r in read_table(DATA / "figure_cues.tsv"):
        out.setdefault(r["class"], {})[r["phrase"]] = r["value"]
    return out


# Words before a year that make it a date, not a figure ("in 2010", "early 2010").
DATE_PREPOSITIONS = frozenset(figure_cues()["date_preposition"])


class Lexicon:
    """The tables the stage reads, compiled once per Knowledge object (``lexicon(kb)``)."""

    def __init__(self, kb: Knowledge):
        self.kb = kb
        self.words = number_words()
        cues = figure_cues()
        self.qualifiers = cues.get("qualifier", {})
        self.people_nouns = {w.lower() for w in cues.get("people_noun", {})}
        self.people_verbs = cues.get("people_verb", {})
        self.participles = {**cues.get("participle", {}), **self.people_verbs}
        self.light_verbs = set(cues.get("light_verb", {}))
        self.change_verbs = set(cues.get("change_verb", {}))
        self.time_nouns = {w.lower() for w in cues.get("time_noun", {})}
        self.label_words = {w.lower() for w in cues.get("label_word", {})}
        self.units = {}
        before, after, glued = [], [], []
        for u in unit_phrases():
            key = (u.phrase, u.position)
            self.units[key] = u
            pat = _phrase_pattern(u.phrase)
            if u.position == "before":
                before.append(pat)
            elif len(u.phrase) == 1 and u.phrase.isalpha():
                glued.append(pat)              # "245p", "5C": only glued to the digits
            else:
                after.append(pat)
        self.before = re.compile(rf"(?<![A-Za-z])({'|'.join(before)})[ \u00a0]?$")
        self.after = re.compile(rf"(?:[ \u00a0-]?({'|'.join(after)})|({'|'.join(glued)}))(?![A-Za-z0-9])")
        quals = sorted(self.qualifiers, key=len, reverse=True)
        self.qualifier = re.compile(rf"(?<![A-Za-z])({'|'.join(_phrase_pattern(q) for q in quals)})\s+$")

    def unit(self, phrase: str, position: str):
        u = self.units.get((phrase, position))
        if u is None:       # matched case-insensitively
            u = next((v for (p, pos), v in self.units.items() if pos == position and p.lower() == phrase.lower()), None)
        return u

    def people(self, tok: Token) -> bool:
        return tok.lower_ in self.people_nouns or (tok.text[:1].isupper() and self.kb.demonym(tok.text) is not None
                                                    and tok.text.endswith("s"))

    def participle(self, verb: Token) -> str:
        if verb.tag_ == "VBN":
            return verb.lower_
        lemma = verb.lemma_.lower()
        if lemma in self.participles:
            return self.participles[lemma]
        if lemma.endswith("e"):
            return lemma + "d"
        if len(lemma) > 2 and lemma.endswith("y") and lemma[-2] not in "aeiou":
            return lemma[:-1] + "ied"
        return lemma + "ed"


def _phrase_pattern(phrase: str) -> str:
    esc = re.escape(phrase).replace(r"\ ", r"\s+")
    if phrase.islower() and len(phrase) >= 3:
        return f"(?i:{esc})"
    return esc


# ---------------------------------------------------------------- numbers
def _numbers(doc: Doc, sent: SpacySpan, lex: Lexicon) -> list[_Number]:
    out: list[_Number] = []
    i, end = sent.start, sent.end
    while i < end:
        tok = doc[i]
        num = _digits(doc, i, end, lex) or _words(doc, i, end, lex)
        if num is None:
            i += 1
            continue
        out.append(num)
        i = num.last + 1
    return out


def _glued(a: Token, b: Token) -> bool:
    return a.idx + len(a.text) == b.idx


def _digits(doc: Doc, i: int, end: int, lex: Lexicon) -> _Number | None:
    tok = doc[i]
    m = TOKEN_NUMBER.fullmatch(tok.text)
    if m is None:
        return None
    digits, suffix = m.group(1), m.group(2)
    value = Decimal(digits.replace(",", ""))
    num = _Number(i, i, tok.idx, tok.idx + len(digits), value)
    if suffix:
        word = lex.words.get(suffix.lower())
        if word is not None and word[1] in ("abbreviation", "scale"):
            num.value *= word[0]
            num.end = tok.idx + len(tok.text)
        else:
            u = lex.units.get((suffix, "after"))
            if u is None and len(suffix) > 1:
                u = lex.unit(suffix, "after")
            if u is None:
                return None           # "7th", "1990s", "10am", "5G": not a figure
            num.unit, num.kind, num.factor = u.unit, u.kind, Decimal(u.factor)
            num.end = tok.idx + len(tok.text)
            return num
    # multipliers after the digits: "5 billion", "2.5 million", "3m" (glued), "5 bn"
    j = i + 1
    while j < end:
        written = doc[j].text if doc[j].text in (".", "..") else doc[j].text.rstrip(".")   # "$500m." at a sentence end
        word = lex.words.get(written.lower())
        if word is None or word[1] not in ("scale", "abbreviation"):
            break
        if word[1] == "abbreviation" and len(written) == 1 and not _glued(doc[j - 1], doc[j]):
            break                     # "5 m" may be metres
        if written.lower() == "dozen":
            break
        num.value *= word[0]
        num.last, num.end = j, doc[j].idx + len(written)
        j += 1
    return num


def _words(doc: Doc, i: int, end: int, lex: Lexicon) -> _Number | None:
    tok = doc[i]
    first = i
    words = lex.words
    if tok.lower_ in ("a", "an") and i + 1 < end and words.get(doc[i + 1].lower_, (0, ""))[1] == "scale":
        i += 1
    w = words.get(doc[i].lower_)
    if w is None or w[1] == "abbreviation":
        return None
    if w[1] == "vague":
        return _vague(doc, first, i, end, lex)
    if w[1] == "scale" and first == i:
        prev = doc[i - 1] if i > doc[i].sent.start else None
        if prev is not None and prev.lower_ in ("several", "few"):
            # "several hundred", "a few thousand": at least two of the scale
            value = Decimal(2 * w[0])
            return _Number(i - 1, i, prev.idx, tok.idx + len(tok.text), value, vague=True, words=True)
        return None               # "Million Dollar Baby", "trillion-dollar debts"
    total, current, last = 0, 0, None
    j = i
    while j < end:
        t = doc[j]
        w = words.get(t.lower_)
        if w is not None and w[1] in ("unit", "ten"):
            if last is not None and words[doc[last].lower_][1] in ("unit", "ten") and not (
                    words[doc[last].lower_][1] == "ten" and w[1] == "unit"):
                break                 # "two three": two numbers
            current += w[0]
        elif w is not None and w[1] == "scale":
            if w[0] == 100:
                current = (current or 1) * 100
            else:
                total += (current or 1) * w[0]
                current = 0
        elif t.text == "-" and last is not None and j + 1 < end and _glued(doc[last], t) and _glued(t, doc[j + 1]) \
                and words.get(doc[last].lower_, (0, ""))[1] == "ten" \
                and words.get(doc[j + 1].lower_, (0, ""))[1] == "unit":
            j += 1
            continue
        elif t.lower_ == "and" and last is not None and words[doc[last].lower_][1] == "scale" and j + 1 < end \
                and words.get(doc[j + 1].lower_, (0, ""))[1] in ("unit", "ten"):
            j += 1
            continue
        else:
            break
        last = j
        j += 1
    if last is None:
        return None
    value = Decimal(total + current)
    return _Number(first, last, doc[first].idx, doc[last].idx + len(doc[last].text), value, words=True)


def _vague(doc: Doc, first: int, i: int, end: int, lex: Lexicon) -> _Number:
    """ "dozens", "hundreds of thousands", "tens of millions": at least two of the scale."""
    value = Decimal(2 * lex.words[doc[i].lower_][0])
    last = i
    while last + 2 < end and doc[last + 1].lower_ == "of":
        w = lex.words.get(doc[last + 2].lower_)
        if w is None or w[1] != "vague" or w[0] <= 12:
            break
        value *= w[0]
        last += 2
    return _Number(first, last, doc[first].idx, doc[last].idx + len(doc[last].text), value, vague=True, words=True)


# ---------------------------------------------------------------- figures of a sentence
def _figures_in(doc: Doc, text: str, sent: SpacySpan, lex: Lexicon) -> list[Figure]:
    parsed = is_parsed(sent)
    numbers = _numbers(doc, sent, lex)
    out = []
    for k, num in enumerate(numbers):
        fig = _figure(doc, sent, num, numbers, k, lex, parsed, text)
        if fig is not None:
            out.append(fig)
    return out


def _figure(doc, sent, num: _Number, numbers, k, lex: Lexicon, parsed: bool, text: str) -> Figure | None:
    start, end = num.start, num.end
    unit = kind = None
    factor = num.factor
    # a currency before the number ("$", "US$", "€", "USD")
    before = lex.before.search(text, max(sent.start_char, start - 8), start)
    if before is not None:
        u = lex.unit(before.group(1), "before")
        if u is not None:
            unit, kind, factor, start = u.unit, u.kind, Decimal(u.factor), before.start()
    if num.unit:
        if unit is None or num.kind != "money":
            unit, kind, factor = num.unit, num.kind, num.factor
    else:
        # a unit after the number ("percent", "km", "yuan"); vague plurals take it after "of" ("millions of dollars")
        pos = end
        if num.vague:
            m = re.match(r"\s+of\s+", text[pos:sent.end_char])
            if m and lex.after.match(text, pos + m.end() - 1, sent.end_char):
                pos += m.end() - 1
        m = lex.after.match(text, pos, sent.end_char)
        if m is not None:
            phrase = m.group(1) or m.group(2)
            u = lex.unit(phrase, "after")
            if u is not None and (unit is None or u.kind == "money" and kind == "money"):
                if unit is None or u.unit == unit:
                    unit, kind, factor = u.unit, u.kind, Decimal(u.factor)
                end = m.end()
    strong = kind in ("money", "percent")
    if _excluded(doc, sent, num, numbers, k, lex, text, unit is not None, strong):
        return None
    last_tok = _last_token(doc, sent, end)
    qualifier = _qualifier(text, sent.start_char, start, lex)
    value = num.value * factor
    measure = None
    fig_tokens = set(range(_first_token(doc, sent, start), last_tok + 1))
    if unit is not None:
        if parsed:
            measure = _measure(doc, sent, fig_tokens, kind, lex)
        else:
            measure = _of_phrase(doc, sent, last_tok, kind, lex, parsed)
    else:
        written = doc[num.first].text
        decimal = not num.words and num.first == num.last and "." in written and written[-1].isdigit()
        noun = None if decimal else _counted_noun(doc, sent, num, lex, parsed)     # "USB 2.0 connections"
        if noun is not None:
            if noun.lower_ in lex.time_nouns:
                return None               # "three years": a duration
            small = num.words and not num.vague and num.value < 10
            if small and not (lex.people(noun) and parsed and _people_verb(doc, num, noun, lex)):
                return None               # "two countries", "one of", "two men who take a road trip"
            kind = "count"
            unit = "people" if lex.people(noun) else noun.lower_
            between_of = any(doc[j].lower_ == "of" for j in range(num.last + 1, noun.i))
            if not between_of or num.vague:
                end = noun.idx + len(noun.text)
                fig_tokens = set(range(min(fig_tokens), noun.i + 1))
            measure = _count_measure(doc, sent, num, noun, fig_tokens, lex, parsed)
        elif parsed and not (num.words and not num.vague and num.value < 10):
            kind, unit, measure = _bare(doc, sent, num, fig_tokens, lex)
            if kind is None:
                return None
        else:
            return None
    return Figure(start=start, end=end, text=text[start:end], value=_plain(value), unit=unit, measure=measure,
                  kind=kind, qualifier=lex.qualifiers.get(qualifier.lower()) if qualifier else None,
                  approximate=num.vague or (qualifier is not None
                                            and lex.qualifiers.get(qualifier.lower()) in ("about", "almost")))


def _plain(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _first_token(doc, sent, char: int) -> int:
    for t in sent:
        if t.idx + len(t.text) > char:
            return t.i
    return sent.end - 1


def _last_token(doc, sent, char: int) -> int:
    last = sent.start
    for t in sent:
        if t.idx < char:
            last = t.i
    return last


def _qualifier(text: str, floor: int, start: int, lex: Lexicon) -> str | None:
    m = lex.qualifier.search(text, max(floor, start - 20), start)
    if m is None:
        return None
    return re.sub(r"\s+", " ", m.group(1))


# ---------------------------------------------------------------- what is not a figure
def _excluded(doc, sent, num: _Number, numbers, k, lex: Lexicon, text: str, has_unit: bool, strong: bool) -> bool:
    first, last = doc[num.first], doc[num.last]
    # inside a date, a time or a name, as the entity recogniser reads it
    for t in (first, last):
        if t.ent_type_ in DATE_LABELS and not strong:
            return True
        if t.ent_type_ in NAME_LABELS and not has_unit:
            return True
    if num.words:
        return False
    s = first.text
    # glued to letters or to other numbers: "G7", "Covid-19", "F-16", "3-1", "9/11", "10:30", "1.2.3"
    before = text[num.start - 2:num.start] if num.start >= 2 else " " + text[:num.start]
    if before[-1:].isalnum() or (before[-1:] in "-/.:#+" and before[-1:] != "" and before[:1].isalnum()):
        return True
    if before[-1:] == "+":
        return True
    after = text[num.end:num.end + 2]
    if not has_unit and len(after) == 2 and after[0] in "-/:." and after[1].isalnum():
        return True
    if not has_unit and after[:1] == "-" and len(after) == 2 and not after[1].isspace():
        return True
    # phone-like: a leading zero, or digit groups in a row ("020 7946 0000")
    if s.startswith("0") and len(s) > 1 and not s.startswith("0."):
        return True
    for other in (numbers[k - 1] if k > 0 else None, numbers[k + 1] if k + 1 < len(numbers) else None):
        if other is not None and not other.words and (other.last + 1 == num.first or num.last + 1 == other.first):
            return True
    # a list marker: "1." or "2)" at a line's start
    line_start = text.rfind("\n", 0, num.start) + 1
    if not text[line_start:num.start].strip(" \t(•-*") and text[num.end:num.end + 1] in (".", ")"):
        return True
    if text[num.start - 1:num.start] == "(" and text[num.end:num.end + 1] == ")" and not has_unit:
        return True
    # years
    if YEAR.fullmatch(s) and 1800 <= int(s) <= 2100 and not has_unit:
        prev = doc[num.first - 1] if num.first > sent.start else None
        nxt = doc[num.first + 1] if num.first + 1 < sent.end else None
        if prev is None or prev.lower_ in DATE_PREPOSITIONS or nxt is None or nxt.tag_ not in ("NNS", "NNPS") \
                or nxt.lower_ in lex.time_nouns:
            return True
    if not has_unit:
        prev = doc[num.first - 1] if num.first > sent.start else None
        nxt = doc[num.last + 1] if num.last + 1 < sent.end else None
        if prev is not None and (prev.lower_ in lex.label_words
                                 or prev.tag_ in ("NNP", "NNPS") and prev.ent_type_ not in DATE_LABELS
                                 and lex.kb.demonym(prev.text) is None
                                 and (nxt is None or nxt.tag_ != "NNS" or "." in s)):
            return True               # "Article 5", "Boeing 737", "aged 45"
        if nxt is not None and nxt.lower_ in lex.time_nouns:
            return True               # "three years", "10 am"
    return False


# ---------------------------------------------------------------- counted nouns
def _counted_noun(doc, sent, num: _Number, lex: Lexicon, parsed: bool) -> Token | None:
    """The noun a number counts: "10,000 (Russian) troops", "dozens of people", "three million people"."""
    j = num.last + 1
    if j < sent.end and doc[j].lower_ == "of" and (num.vague or num.words and num.value >= 100):
        j += 1
        if j < sent.end and doc[j].lower_ in ("the", "these", "those"):
            return None               # "hundreds of the protesters": partitive, keep it simple
    if j < sent.end and doc[j].text == "-":
        return None                   # "20-point plan", "45-year-old"
    nouns: list[Token] = []
    while j < sent.end and j - num.last <= 5:
        t = doc[j]
        if t.pos_ == "NOUN" or (t.pos_ == "PROPN" and lex.people(t)):
            nouns.append(t)
        elif nouns:
            break
        elif t.tag_ in ("JJ", "JJR", "VBN", "VBG") or (t.tag_ in ("NNP", "NNPS") and lex.kb.demonym(t.text)):
            pass                      # "10,000 Russian troops", "82 wounded soldiers"
        else:
            break
        j += 1
    if not nouns:
        return None
    noun = nouns[-1]                  # "500 job cuts": the last noun of a compound
    if noun.tag_ not in ("NNS", "NNPS") and not lex.people(noun) and noun.lower_ not in lex.time_nouns \
            and not (num.value == 1 and not num.vague):
        return None                   # a singular noun after a plural number is not what it counts
    return noun


def _people_verb(doc, num: _Number, noun: Token, lex: Lexicon) -> bool:
    """ "three people were killed", "killing two soldiers", "two people killed in": a verb that counts people."""
    role = noun
    if noun.dep_ == "pobj" and noun.head.lower_ == "of" and num.first <= noun.head.head.i <= num.last:
        role = noun.head.head
    if role.dep_ in ("nsubj", "nsubjpass", "dobj") and role.head.lemma_.lower() in lex.people_verbs:
        return True
    return any(c.dep_ == "acl" and c.lemma_.lower() in lex.people_verbs for c in noun.rights)


def _count_measure(doc, sent, num: _Number, noun: Token, fig_tokens: set[int], lex: Lexicon, parsed: bool) -> str:
    """The counted noun with its modifiers, and what happened to it: "people killed", "Russian troops"."""
    if not parsed:
        words = [doc[j].text for j in range(num.last + 1, noun.i + 1) if doc[j].lower_ != "of"]
        return " ".join(words)
    others = {t.i for c in noun.children if c.dep_ in ("conj", "cc") for t in c.subtree}
    phrase = _phrase(noun, (fig_tokens | others) - {noun.i}) or noun.text
    # the token that plays the noun phrase's role in the clause: the noun, or "dozens" in "dozens of people"
    role = noun
    if noun.dep_ == "pobj" and noun.head.lower_ == "of" and noun.head.head.i in fig_tokens:
        role = noun.head.head
    verb = role.head
    if role.dep_ in ("dobj", "npadvmod", "attr") and verb.lemma_.lower() in lex.change_verbs \
            or role.dep_ == "pobj" and verb.lower_ in ("to", "by", "at") and verb.head.lemma_.lower() in lex.change_verbs:
        subject = _subject_phrase(verb if role.dep_ != "pobj" else verb.head, fig_tokens)
        if subject:
            return subject            # "the FTSE 100 rose 23 points", "the death toll rose to 82 people"
    if role.dep_ == "nsubjpass" or (role.dep_ == "nsubj" and verb.lemma_.lower() in lex.people_verbs):
        return f"{phrase} {verb.lower_}"
    if role.dep_ == "dobj" and verb.pos_ == "VERB" and verb.lemma_.lower() not in lex.light_verbs \
            and verb.lemma_.lower() not in lex.change_verbs:
        return f"{phrase} {lex.participle(verb)}"
    for c in noun.rights:
        if c.dep_ == "acl" and c.tag_ == "VBN":
            return f"{phrase} {c.lower_}"
    return phrase


def _bare(doc, sent, num: _Number, fig_tokens: set[int], lex: Lexicon):
    """A number with no unit or noun: "At least 82 were killed", "1,700 injured", "the toll rose to 82"."""
    tok = doc[num.last]
    verb = tok.head
    lemma = verb.lemma_.lower()
    if tok.dep_ in ("nsubj", "nsubjpass", "dobj") and lemma in lex.people_verbs:
        return "count", "people", verb.lower_ if tok.dep_ != "dobj" else lex.participle(verb)
    if tok.dep_ == "conj" and tok.head.dep_ in ("nsubj", "nsubjpass") and tok.head.head.lemma_.lower() in lex.people_verbs:
        return "count", "people", tok.head.head.lower_
    if num.words:
        return None, None, None
    measure = None
    if tok.dep_ == "pobj" and verb.lower_ in ("to", "at") and verb.head.lemma_.lower() in lex.change_verbs:
        measure = _subject_phrase(verb.head, fig_tokens)
    elif tok.dep_ in ("attr", "dobj") and lemma in lex.change_verbs and lemma != "be":
        measure = _subject_phrase(verb, fig_tokens)
    if measure is None:
        return None, None, None
    return "count", None, measure


# ---------------------------------------------------------------- measure
def _anchor(doc, fig_tokens: set[int]) -> Token:
    """The figure's syntactic head: its token whose head lies outside it."""
    heads = [doc[i] for i in sorted(fig_tokens) if doc[i].head.i not in fig_tokens or doc[i].head.i == i]
    return heads[-1] if heads else doc[max(fig_tokens)]


def _measure(doc, sent, fig_tokens: set[int], kind: str | None, lex: Lexicon) -> str | None:
    last = max(fig_tokens)
    of = _of_phrase(doc, sent, last, kind, lex, True)
    if of:
        return of
    a = _anchor(doc, fig_tokens)
    head = a.head
    if a.dep_ in ("compound", "nummod", "amod", "nmod", "quantmod") and head.pos_ in ("NOUN", "PROPN") \
            and head.i > a.i and head.i not in fig_tokens:
        return _phrase(head, fig_tokens)                       # "a $5bn deal", "a 30% stake"
    if a.dep_ == "pobj":
        prep, governor = head, head.head
        if governor.pos_ in ("NOUN", "PROPN") and prep.lower_ == "of" and governor.lower_ != "worth":
            return _phrase(governor, set(t.i for t in prep.subtree) | fig_tokens)    # "profits of $5bn"
        if governor.pos_ in ("VERB", "AUX"):
            obj = next((c for c in governor.children if c.dep_ == "dobj" and c.i not in fig_tokens), None)
            if obj is not None and prep.lower_ in ("by", "to", "from") and not any(t.like_num for t in obj.subtree):
                return _phrase(obj, fig_tokens)                # "cut spending by 5%"
            if obj is None and governor.lemma_.lower() in lex.change_verbs and prep.lower_ in (
                    "by", "to", "from", "at", "above", "below", "over", "under", "around", "near", "of"):
                return _subject_phrase(governor, fig_tokens)   # "sales rose to $3bn"
        return None
    if head.pos_ in ("VERB", "AUX"):
        lemma = head.lemma_.lower()
        if a.dep_ in ("attr", "npadvmod", "acomp", "oprd", "advmod") or (a.dep_ == "dobj" and lemma in lex.change_verbs):
            return _subject_phrase(head, fig_tokens)           # "the share ... had exceeded 90 percent"
        if a.dep_ in ("dobj", "nsubjpass") and lemma not in lex.light_verbs:
            return lex.participle(head)                        # "pledged" ($5bn)
    return None


def _of_phrase(doc, sent, last: int, kind: str | None, lex: Lexicon, parsed: bool) -> str | None:
    """ "20% of the state's holdings" -> "state's holdings"; money also "$5bn in aid", "$5bn worth of wheat"."""
    j = last + 1
    if j < sent.end and doc[j].lower_ == "worth" and j + 1 < sent.end and doc[j + 1].lower_ == "of":
        j += 1
    if j >= sent.end or not (doc[j].lower_ == "of" or kind == "money" and doc[j].lower_ == "in"):
        return None
    prep = doc[j]
    if parsed:
        obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
        if obj is None or obj.pos_ == "PRON" or obj.ent_type_ in DATE_LABELS \
                or prep.lower_ == "in" and obj.ent_type_ in ("GPE", "LOC", "FAC"):
            return None
        return _phrase(obj, set())
    words = []
    for t in doc[j + 1:sent.end]:
        if t.pos_ in ("NOUN", "PROPN", "ADJ") or t.tag_ == "POS" or (not words and t.pos_ == "DET"):
            words.append(t)
        else:
            break
    while words and words[0].pos_ == "DET":
        words = words[1:]
    return " ".join(t.text for t in words) or None


def _subject_phrase(verb: Token, exclude: set[int]) -> str | None:
    v = verb
    for _ in range(3):
        subj = next((c for c in v.children if c.dep_ in SUBJECTS and c.i not in exclude), None)
        if subj is not None:
            if subj.pos_ == "PRON":
                if subj.lower_ in ("that", "which") and v.dep_ == "relcl":
                    return _phrase(v.head, exclude | {t.i for t in v.subtree})
                return None
            return _phrase(subj, exclude)
        if v.dep_ in ("conj", "xcomp") and v.head.pos_ in ("VERB", "AUX"):
            v = v.head
            continue
        if v.dep_ == "relcl":
            return _phrase(v.head, exclude | {t.i for t in v.subtree})
        break
    return None


def _phrase(head: Token, exclude: set[int]) -> str | None:
    """The noun phrase of ``head`` without relative clauses, appositions, the figure and leading determiners."""
    keep: set[int] = set()

    def walk(t: Token) -> None:
        keep.add(t.i)
        for c in t.children:
            if c.i in exclude or c.dep_ in CLAUSES:
                continue
            walk(c)

    walk(head)
    # the contiguous stretch around the head
    lo = hi = head.i
    while lo - 1 in keep:
        lo -= 1
    while hi + 1 in keep:
        hi += 1
    doc = head.doc
    toks = [doc[i] for i in range(lo, hi + 1)]
    while toks and toks[0].i != head.i and (toks[0].dep_ in LEADING and toks[0].tag_ != "NNP"
                                            and not (toks[0].dep_ == "poss" and toks[0].pos_ != "PRON")
                                            or toks[0].pos_ == "PUNCT" or toks[0].lower_ in ("the", "a", "an")):
        toks = toks[1:]
    while toks and toks[-1].i != head.i and (toks[-1].pos_ in ("PUNCT", "CCONJ", "ADP", "DET", "PART")
                                             and toks[-1].tag_ != "POS"):
        toks = toks[:-1]
    if len(toks) > MAX_MEASURE_WORDS:
        left = [t for t in head.lefts if t.i not in exclude and t.dep_ in ("compound", "amod", "poss")]
        toks = [t for t in left if t.dep_ != "det"] + [head]
    if not toks or all(t.pos_ == "PRON" for t in toks):
        return None
    text = head.doc[toks[0].i:toks[-1].i + 1].text
    return " ".join(text.split())
