"""Times: the article's time expressions (TIMEX3 extents, types and values).

Recognition is a set of patterns over the text built from the lexicon in data/time_words.tsv
(dates, clock times, parts of days, weekdays, relative units, durations, quarters, decades, seasons,
sets and the words that refer to the present, past or future), plus spaCy's DATE and TIME entities
that no pattern covers, kept when the normalizer (``newsgraph.stages.times.timex``) gives them a type. Each
expression is normalized against the publication date with the tense of its clause: the verb it hangs
on when the sentence is parsed, else the verbs of its sentence. The quarter an article last named
anchors "the quarter" and "a year earlier" after it. Pure; no I/O.
"""
from __future__ import annotations

import re
from pathlib import Path

from spacy.tokens import Doc, Span as SpacySpan

from ...knowledge import Knowledge, read_table
from ...model import Analysis, TimeExpr
from . import timex
from .timex import FUTURE, PAST, PRESENT, Normalizer, TimeWords, anchor_date
from .. import stage
from ..common import SentenceIndex, doc_text, is_parsed, word_sets

DATA = Path(__file__).parent / "data"
# Words around time expressions (data/time_cues.tsv), by class.
_CUES = word_sets(DATA / "time_cues.tsv")
# A bare year ("1990") is a date after these words, or when spaCy calls it one.
YEAR_CONTEXT = _CUES["year_context"]
# Refs that the normalizer knows but that alone are rarely time expressions ("former minister").
NOT_ALONE = _CUES["not_alone"]
# A bare month name needs one of these before it, or spaCy's DATE label ("May" and "March" are words too).
MONTH_CONTEXT = _CUES["month_context"]
ZONES = r"(?:EST|EDT|CST|CDT|MST|MDT|PST|PDT|GMT|UTC|BST|CET|local\s+time)"
# Words TimeBank leaves out at the start of an expression ("about", "some").
LEADING_TRIM = _CUES["leading_trim"]


class Recognizer:
    """The patterns of time expressions, compiled once from the lexicon."""

    def __init__(self, tw: TimeWords):
        self.tw = tw
        month = "(?-i:" + "|".join(_cap(w) for w in sorted(tw.month, key=len, reverse=True)) + ")"
        weekday = "(?-i:" + "|".join(_cap(w) for w in sorted(tw.weekday, key=len, reverse=True)) + ")"
        numword = tw.alternation("number")
        ordword = tw.alternation("ordinal")
        unit = tw.alternation("unit")
        units_pl = "|".join(re.escape(w) for w in tw.unit if w.endswith("s") or w in ("centuries", "millennia"))
        season = tw.alternation("season")
        part = "|".join(w for w in tw.part if w not in ("tonight", "overnight"))
        num = (rf"(?:\d+(?:\.\d+)?|(?:{numword})(?:[\s-]+(?:{numword}|and))*|a\s+couple\s+of|a\s+few|a|an|"
               rf"few|several|many|couple\s+of)")
        mods = (r"(?:(?:about|around|nearly|almost|roughly|approximately|more\s+than|less\s+than|fewer\s+than|"
                r"at\s+least|up\s+to|no\s+more\s+than|over|under|only|just|within|an\s+estimated)\s+)")
        day = r"\d{1,2}(?:st|nd|rd|th)?"
        year = r"(?:1[5-9]|20)\d\d"
        rel = (r"(?:last|this|next|past|coming|previous|following|current|this\s+past|this\s+coming|prior|"
               r"preceding|upcoming)")
        deictic = r"(?:today|yesterday|tomorrow|tonight)"
        edge = r"(?<![\w$.-])"
        patterns = {
            "clock": rf"(?:(?:around|about|at|shortly\s+(?:before|after)|before|after|until|by)\s+)?(?:{weekday}\s+(?:at\s+)?)?"
                     rf"(?:\d{{1,2}}(?:[:.]\d\d)?\s*(?:a\.m\.|p\.m\.|am\b|pm\b)|noon|midnight|\d{{1,2}}:\d\d)"
                     rf"(?:\s+{ZONES})?(?:,?\s+(?:on\s+)?(?:{deictic}|{weekday}|{month}\s+{day})(?:,?\s+{month}\s+{day})?)?",
            "date": rf"(?:{weekday},?\s+)?(?:{month}\s+(?:{day}|{ordword})(?:,?\s+{year}\b)?|(?:the\s+)?{day}\s+(?:of\s+)?{month}(?:,?\s+{year}\b)?)",
            "month": rf"(?:(?:early|late|mid-?|(?:the\s+)?(?:beginning|end|middle|start|rest)\s+of|{rel})\s+)?{month}"
                     rf"(?:,?\s+(?:of\s+)?{year}\b|\s+(?:this|last|next)\s+year|\s+(?:nineteen|twenty)[\s-]+(?:{numword})(?:[\s-]+(?:{numword}))?)?",
            "part": rf"(?:(?:this|yesterday|tomorrow|last|today|{weekday})\s+(?:(?:early|late)\s+)?(?:{part})|"
                    rf"(?:(?:early|late|later|mid-?)\s*)(?:this\s+)?(?:{part})(?:\s+(?:{deictic}|{weekday}))?|"
                    rf"(?:{part})\s+(?:{deictic}|{weekday})|"
                    r"overnight|tonight)\b",
            "deictic": rf"(?:(?:early|late|earlier|later)\s+)?(?:the\s+day\s+(?:before|after)\s+)?{deictic}\b",
            "weekday": rf"(?:(?:last|this|next|this\s+coming|this\s+past|the\s+previous|the\s+following|early|late|"
                       rf"earlier|later)\s+)?{weekday}(?-i:s)?\b",
            "ago": rf"{mods}?{num}[\s-]+(?:{unit})\s+(?:ago|earlier|later|from\s+now|hence)\b",
            "yearago": rf"(?:the\s+)?(?:(?:same|comparable|corresponding)\s+)?year[\s-](?:earlier|ago)(?:\s+(?:(?:{ordword})[\s-]+)?"
                       rf"(?:quarter|period|(?:{numword})\s+months))?\b|(?:the\s+)?(?:same\s+|corresponding\s+|comparable\s+)?"
                       rf"(?:quarter|period)\s+(?:a\s+year\s+(?:ago|earlier)|last\s+year)\b",
            "duration": rf"(?:the\s+)?{mods}?(?:(?:past|last|next|first|coming|previous|following|latest|final|remaining|"
                        rf"additional|further|other|another|initial|entire|full)\s+)*{num}(?:\s+(?:to|or)\s+{num})?[\s-]+"
                        rf"(?:(?:more|additional|straight|consecutive|trading|business|working|calendar|full)\s+)?(?:{unit})\b"
                        rf"(?:\s+or\s+so|-old|\s+and\s+a\s+half)?",
            "vague": rf"(?:the\s+)?(?:(?:past|last|next|coming|recent|several|few|many|following|previous|ensuing|"
                     rf"intervening)\s+)+(?:{units_pl})\b(?:\s+ahead)?",
            "quarter": rf"(?:(?:the|its|this\s+year's|last\s+year's|next\s+year's|{year}'s)\s+)?(?:{year}\s+)?"
                       rf"(?:(?:fiscal|year-ago|year-earlier|latest|current|comparable|flat)[\s-]+)*"
                       rf"(?:first|second|third|fourth|1st|2nd|3rd|4th)[\s-]+(?:fiscal[\s-]+)?quarters?\b"
                       rf"(?:\s+of\s+(?:fiscal\s+)?(?:{year}\b|(?:last|this|next)\s+year))?",
            "half": rf"(?:the\s+)?(?:first|second|1st|2nd|last)\s+half\s+of\s+(?:{year}\b|(?:the\s+|this\s+|last\s+|next\s+)?year)",
            "thequarter": r"(?:the|this|that|its)\s+(?:(?:latest|current|same|previous|prior|preceding|most\s+recent|"
                          r"comparable|corresponding|fiscal)\s+)*quarter\b|the\s+(?:latest|same|comparable|corresponding)\s+period\b",
            "year": rf"(?:(?:fiscal(?:\s+year)?|early|late|mid-?|(?:the\s+)?(?:beginning|end|middle|start|rest)\s+of|calendar)\s+)?{year}\b(?!-)",
            "spelled_year": rf"(?:the\s+year\s+two\s+thousand(?:\s+and\s+(?:{numword}))?|nineteen[\s-]+(?:{numword})(?:[\s-]+(?:{numword}))?)\b",
            "decade": rf"(?:the\s+)?(?:(?:early|mid-?|late)[\s-]*)?(?:\d{{3}}0s|'\d0s|{tw.alternation('decade')})\b",
            "century": rf"(?:the\s+)?(?:\d{{1,2}}(?:st|nd|rd|th)|{ordword})[\s-]+century\b",
            "season": rf"(?:(?:this|last|next|this\s+past|this\s+coming|early|late|the|in|during)\s+)(?:(?:early|late)\s+)?"
                      rf"(?:{season})\b(?!\s+of\s+(?!\d|19|20|last|this|next))(?:\s+(?:of\s+)?{year}\b)?|(?:{season})\s+(?:of\s+)?{year}\b",
            "relative": rf"(?:(?:early|late|earlier|later|mid-?)\s+)?(?:(?:the\s+)?(?:end|beginning|start|middle|rest)\s+of\s+)?"
                        rf"(?:the\s+)?{rel}\s+(?:(?:fiscal|calendar)\s+)?(?:year|month|week|weekend|decade|century)\b",
            "yearend": r"(?:the\s+end\s+of\s+the\s+year|year[\s-]end|year's\s+end)\b",
            "weekend": r"the\s+weekend\b",
            "theyear": rf"the\s+(?:fiscal\s+)?year\b(?!\s*'s)|the\s+{year}\s+(?:(?:fiscal\s+)?quarter|period)\b",
            "ref": r"(?:more\s+)?(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(tw.ref, key=len, reverse=True)
                                    if w not in NOT_ALONE) + r")\b",
            "set": rf"(?:every|each)\s+(?:other\s+)?(?:{num}\s+)?(?:{unit}|{weekday}|{month}|{season})\b|"
                   rf"(?:{tw.alternation('set')})\b|(?:once|twice|(?:{numword})\s+times)\s+a\s+(?:{unit})\b",
        }
        hours = rf"(?:\d{{1,2}}|{numword})"
        ampm = r"(?:\s*(?:a\.m\.|p\.m\.|am\b|pm\b|o'clock))?"
        clock_day = rf"(?:,?\s+(?:on\s+)?(?:{deictic}|{weekday}|{month}\s+{day}))?"
        patterns["clockwords"] = (
            rf"(?:(?:at|around|about|by|until|before|after)\s+)?(?:(?:a\s+)?quarter|half|(?:\d{{1,2}}|(?:{numword})(?:[\s-](?:{numword}))?)"
            rf"\s+minutes?)\s+(?:past|after|to|before)\s+{hours}\b{ampm}{clock_day}"
            rf"|(?:at|around|about|by|until)\s+(?:\d{{1,2}}|{numword})\s+(?:past|to)\s+{hours}\b{ampm}{clock_day}"
            rf"|(?:(?:at|around|about|by|until)\s+)?{hours}\s+o'clock(?:\s*(?:a\.m\.|p\.m\.))?{clock_day}")
        patterns["iso"] = r"\d{4}-\d\d-\d\d(?:T\d\d:\d\d(?::\d\d)?(?:Z|[+-]\d\d:?\d\d)?)?(?![\d:])"
        holidays = "|".join(_holiday_text(h) for h in sorted(tw.holiday, key=len, reverse=True))
        if holidays:
            patterns["holiday"] = (rf"(?:(?:last|this|next|this\s+coming|this\s+past|coming|past|upcoming)\s+)?"
                                   rf"(?:{year}\s+)?(?-i:(?:{holidays})\b(?!['’]|\s+[A-Z]))(?:,?\s+(?:of\s+)?{year}\b)?")
        patterns["season"] += rf"|{year}\s+(?:{season})\b"
        patterns["date"] += rf"|(?:the\s+)?(?:{ordword})\s+of\s+{month}(?:,?\s+{year}\b)?"
        patterns["spelled_year"] += rf"|the\s+year\s+twenty[\s-]+(?:{numword})(?:[\s-]+(?:{numword}))?\b"
        self.patterns = [(name, re.compile(edge + p, re.IGNORECASE)) for name, p in patterns.items()]

    def candidates(self, text: str) -> list[tuple[int, int, str]]:
        out = []
        for name, pat in self.patterns:
            for m in pat.finditer(text):
                s, e = m.span()
                while e > s and text[e - 1] in " ,.-":
                    e -= 1
                if e > s:
                    out.append((s, e, name))
        return out


def _holiday_text(name: str) -> str:
    """A holiday's name as running text writes it: each word capitalized but "of" and "the"
    ("Fourth of July", "St. Patrick's Day"), the "'s" as any apostrophe."""
    words = [w if w in ("of", "the") else w[:1].upper() + w[1:] for w in name.split()]
    return r"\s+".join(re.escape(w).replace("'", "['’]") for w in words)


def _cap(word: str) -> str:
    """A lexicon word as it is written in running text ("sept." -> "Sept\\."), capitalized."""
    return re.escape(word[:1].upper() + word[1:])


def time_words(kb: Knowledge) -> TimeWords:
    """The lexicon of time words (data/time_words.tsv) and holidays (data/holidays.tsv), read once per Knowledge."""
    return kb.resource("times.words", lambda _: TimeWords.from_rows(read_table(DATA / "time_words.tsv"),
                                                                    read_table(DATA / "holidays.tsv")))


def _tools(kb: Knowledge) -> tuple[Recognizer, Normalizer]:
    return kb.resource("times.tools", lambda _: (Recognizer(time_words(kb)), Normalizer(time_words(kb))))


@stage("times", assigns="times", requires=["sentences"])
def find_times(doc: Doc, analysis: Analysis, kb: Knowledge) -> list[TimeExpr]:
    recognizer, normalize = _tools(kb)
    text = doc_text(doc)
    anchor = anchor_date(analysis.article.published)
    index = SentenceIndex(analysis.sentences) if analysis.sentences else None
    cands = [c for c in recognizer.candidates(text) if _plausible(doc, text, c)]
    for ent in doc.ents:
        if ent.label_ in ("DATE", "TIME"):
            s, e = _trim(text, ent.start_char, ent.end_char)
            if e > s and _plausible(doc, text, (s, e, "ner")):
                cands.append((s, e, "ner"))
    chosen: list[tuple[int, int, str]] = []
    taken = bytearray(len(text) + 1)
    # Patterns first (longest first), then spaCy's entities where no pattern matched.
    for s, e, name in sorted(cands, key=lambda c: (c[2] == "ner", -(c[1] - c[0]), c[0])):
        if any(taken[s:e]):
            continue
        chosen.append((s, e, name))
        taken[s:e] = b"\x01" * (e - s)
    out: list[TimeExpr] = []
    ref: str | None = None
    for s, e, name in sorted(chosen):
        expr = text[s:e]
        tense = _tense(doc, s, e, index, analysis)
        result = normalize(expr, anchor, tense, ref)
        if result is None:
            continue
        kind, value = result
        if not timex.valid_value(kind, value):
            value = None            # never a malformed value: the expression is kept, unnormalized
        if name == "ner" and value is None and anchor is not None:
            continue
        out.append(TimeExpr(start=s, end=e, text=expr, type=kind, value=value))
        if value and re.fullmatch(r"\d{4}-Q\d", value) and name == "quarter" and not _SHIFTED.search(expr):
            ref = value
    return out


_SHIFTED = re.compile(r"(?i)year[\s-](?:ago|earlier)|last\s+year|comparable|corresponding|previous|prior")


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    """An entity's extent without the leading words TimeBank leaves out ("about", "some") or trailing
    punctuation and possessive."""
    words = list(re.finditer(r"\S+", text[s:e]))
    while len(words) > 1 and words[0].group().lower() in LEADING_TRIM:
        words.pop(0)
    if not words:
        return s, s
    s2, e2 = s + words[0].start(), s + words[-1].end()
    while e2 > s2 and text[e2 - 1] in " ,.;:-":
        e2 -= 1
    if text[s2:e2].endswith(("'s", "’s")):
        e2 -= 2
    return s2, e2


def _plausible(doc: Doc, text: str, cand: tuple[int, int, str]) -> bool:
    s, e, name = cand
    words = text[s:e].split()
    before = text[max(0, s - 20):s].split()
    prev = before[-1].lower().strip(",(") if before else ""
    if re.fullmatch(r"\d{4}", text[s:e]) and re.match(rf"\s*(?:{ZONES}|hours\b|hrs\b|h\b)", text[e:e + 12]):
        return False                                   # a 24-hour clock, not a year: "at 1405 GMT"
    if name in ("year", "month") and len(words) == 1:
        if name == "year":
            nxt = text[e:e + 12].lstrip()
            if nxt.startswith(("%", "percent")) or re.match(r"[-–]?\d", nxt) or text[s - 1:s] in "$#":
                return False

        context = YEAR_CONTEXT if name == "year" else MONTH_CONTEXT
        if prev in context:
            return True
        span = doc.char_span(s, e, alignment_mode="expand")
        return span is not None and any(t.ent_type_ in ("DATE", "TIME") for t in span)
    after = text[e:e + 12].lower()
    if name in ("duration", "vague", "ner"):
        # an age ("52 years old", "a 136-year-old firm"), or a stretch after or before an event ("a day
        # after he said"): not a time of the article's calendar
        if re.match(r"(?:-|\s+)old\b", after) or re.search(r"[-\s]old$", text[s:e].lower()) or re.match(r"\s+(?:after|before)\b", after):
            return False
        # a rate ("700 seats a week", "$1.76 a year")
        if re.fullmatch(r"(?i)(?:a|an)\s+\w+", text[s:e]) and (prev in ("per", "each", "every") or re.search(r"\d|percent|%", " ".join(before[-2:]))):
            return False
    if name == "ref" and re.match(r"\s+(?:after|as|than|before)\b", after):
        return False
    if name in ("set", "ref", "ner"):
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is not None and len(span) == 1:
            tok = span[0]
            if name != "ref" and tok.tag_ == "JJ" and tok.lower_.endswith("ly"):             # "quarterly dividend"
                return False
            if tok.lower_ in ("recently", "lately") and _present_perfect(tok):
                return False
    return True


def _present_perfect(tok) -> bool:
    """An adverb on a verb in the present perfect ("exports have dipped recently"): the tense itself
    places the event in the recent past, and TimeBank-style annotation of such an adverb varies."""
    verb = tok.head
    return verb.tag_ == "VBN" and any(c.dep_ == "aux" and c.lower_ in ("has", "have", "'ve", "'s") for c in verb.children)


def _tense(doc: Doc, s: int, e: int, index: SentenceIndex | None, analysis: Analysis) -> str | None:
    """past | present | future: of the verb the expression hangs on when its sentence is parsed, else of
    the first finite verb of its sentence."""
    span = doc.char_span(s, e, alignment_mode="expand")
    if span is None:
        return None
    sent = None
    if index is not None:
        sent = index.span(doc, index.at(s))
    if sent is None:
        sent = span.sent if doc.has_annotation("SENT_START") else doc[:]
    if is_parsed(sent):
        tok = span.root
        for _ in range(10):                   # out of the expression and its prepositions
            if tok.head is tok or (tok.pos_ != "ADP" and tok not in span):
                break
            tok = tok.head
        if tok.pos_ in ("VERB", "AUX"):
            tense = _clause_tense(tok)
            if tense is not None:
                return tense
        elif tok not in span:
            return None                       # a noun's or adjective's date ("payable Dec. 7")
    return _sentence_tense(sent)


def _clause_tense(verb, depth: int = 0) -> str | None:
    """The tense of a verb's clause: its modal or auxiliary, its own tense, or for an infinitive or a
    participle the tense of the verb it depends on ("is to resume": future; "had been due to expire": past)."""
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    for a in auxes:
        if a.lower_ in ("will", "'ll", "shall", "wo", "would") or (a.lower_ == "going" and any(c.lower_ == "to" for c in a.children)):
            return FUTURE
    if any(a.tag_ == "TO" for a in auxes):
        above = _clause_tense(verb.head, depth + 1) if verb.head is not verb and depth < 3 else None
        return PAST if above == PAST else FUTURE
    for t in [*auxes, verb]:
        tense = t.morph.get("Tense")
        if tense == ["Past"] and t.tag_ != "VBN":
            return PAST
        if tense == ["Pres"] and t.tag_ in ("VBZ", "VBP"):
            return PRESENT
    if verb.tag_ == "VBN" and (not auxes or any(a.lower_ in ("has", "have", "had") for a in auxes)):
        return PAST                                            # "terms announced Friday", "has fallen"
    if verb.head is not verb and depth < 3 and verb.dep_ in ("xcomp", "ccomp", "conj", "advcl", "acl", "relcl"):
        return _clause_tense(verb.head, depth + 1)
    return None


def _sentence_tense(sent: SpacySpan) -> str | None:
    tags = [(t.lower_, t.tag_) for t in sent]
    if any(w in ("will", "'ll", "shall") for w, _ in tags):
        return FUTURE
    if any(tag == "VBD" for _, tag in tags):
        return PAST
    if any(tag in ("VBZ", "VBP") for _, tag in tags):
        return PRESENT
    return None
