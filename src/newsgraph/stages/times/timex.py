"""TIMEX3 normalization: a time expression's text, the article's date and the tense of its clause in,
its TIMEX3 type (DATE, TIME, DURATION, SET) and value out. Pure; no I/O, no spaCy.

The text is first rewritten as a string of canonical tokens through the lexicon in
``stages/times/data/time_words.tsv`` ("the third quarter of 1990" -> "O3 U:Q of Y1990", "twenty four hours" ->
"N24 U:H:P"); rules over that string then build the value:

    Y1990 year   E199 decade   C19 century   M11 month   D5 weekday (ISO)   SSU season   PMO part of day
    N24 / NX number (X: "a few", "several")   O3 ordinal   U:Y unit (U:Y:P plural)   T17:00 clock time

Relative expressions resolve against the anchor (the publication date) as TimeBank's annotators do:
a weekday or a month without a year is the latest one on or before the anchor in a past-tense clause,
the next one on or after it in a future clause, the nearest one otherwise; "last year" is the
anchor's year minus one; "a year earlier" and "the quarter" refer to the quarter the article last
named (``ref``) when there is one. Without an anchor, relative expressions get a type and no value.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from datetime import date, datetime, timedelta

PAST, PRESENT, FUTURE = "past", "present", "future"
DATE, TIME, DURATION, SET = "DATE", "TIME", "DURATION", "SET"
REFS = ("PRESENT_REF", "PAST_REF", "FUTURE_REF")

# Words before an expression that do not change its value ("about two years", "the future").
LEADING = re.compile(r"^(?:(?:the|about|around|nearly|almost|roughly|approximately|some|only|just|more than|"
                     r"less than|fewer than|at least|at most|up to|no more than|over|under|within|an estimated|"
                     r"as many as|as much as|as long as|as late as|as early as|as recently as|all|since|until|till|"
                     r"in|on|at|by|for|during|from|of|through|throughout|before|after|so far|until|between|its|their|his|her|our)\s+)+")


@dataclass(frozen=True, eq=False)
class TimeWords:
    """The lexicon of time words (data/time_words.tsv) by kind: word -> value."""
    month: dict[str, int] = field(default_factory=dict)
    weekday: dict[str, int] = field(default_factory=dict)
    season: dict[str, str] = field(default_factory=dict)
    part: dict[str, str] = field(default_factory=dict)
    unit: dict[str, str] = field(default_factory=dict)
    number: dict[str, float] = field(default_factory=dict)
    ordinal: dict[str, int] = field(default_factory=dict)
    decade: dict[str, int] = field(default_factory=dict)
    ref: dict[str, str] = field(default_factory=dict)
    set: dict[str, str] = field(default_factory=dict)
    holiday: dict[str, str] = field(default_factory=dict)     # name -> rule (data/holidays.tsv)

    @classmethod
    def from_rows(cls, rows: list[dict[str, str]], holidays: list[dict[str, str]] = ()) -> "TimeWords":
        tw = cls()
        for r in rows:
            kind, word, value = r["kind"], r["word"].lower(), r["value"]
            table = getattr(tw, kind)
            if kind in ("month", "weekday", "ordinal", "decade"):
                table[word] = int(value)
            elif kind == "number":
                table[word] = float(value)
            else:
                table[word] = value
        for r in holidays:
            for name in r["name"].split("|"):
                tw.holiday[name.strip().lower()] = r["rule"]
        return tw

    def alternation(self, *kinds: str, plural: bool = False) -> str:
        """A regex alternation of the words of these kinds, longest first (dots escaped)."""
        words = {w for k in kinds for w in getattr(self, k)}
        if plural:
            words |= {w + "s" for w in words if not w.endswith(".")}
        return "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))


def anchor_date(published: str | None) -> date | None:
    """The date part of an ISO date or datetime string, or None."""
    if not published:
        return None
    try:
        return date.fromisoformat(str(published)[:10])
    except ValueError:
        try:
            return datetime.fromisoformat(str(published)).date()
        except ValueError:
            return None


# ------------------------------------------------------------------ canonical tokens
_CLOCK = re.compile(r"\b(\d{1,2})(?:[:.](\d{2}))?\s*(a\.?m\.?|p\.?m\.?)(?=\W|$)")
_CLOCK24 = re.compile(r"\b(\d{1,2}):(\d{2})\b")
_TOKEN = re.compile(r"T\d\d:\d\d|'\d0s|\d+(?:,\d{3})*(?:\.\d+)?(?:st|nd|rd|th|s)?|[a-z]+\.?|'s|&|[^\s\w]")


def canonical(text: str, tw: TimeWords) -> list[str]:
    """The expression as canonical tokens (see the module docstring)."""
    t = text.lower().replace("’", "'").replace("‘", "'")
    t = clock_words(t, tw)
    if "-" in t:                                    # "twenty-first" -> "21th": one ordinal, not two words
        t = _hyphenated_ordinals(tw).sub(lambda m: f" {tw.ordinal[m[0]]}th ", t)
    t = _CLOCK.sub(lambda m: f" T{(int(m[1]) % 12) + (12 if m[3].startswith('p') else 0):02d}:{m[2] or '00'} ", t)
    t = _CLOCK24.sub(lambda m: f" T{int(m[1]):02d}:{m[2]} ", t)
    t = re.sub(r"\bnoon\b", " T12:00 ", t)
    t = re.sub(r"\bmidnight\b", " T24:00 ", t)
    t = re.sub(r"(?<=[a-z0-9])[-/](?=[a-z0-9])", " ", t)
    t = re.sub(r"\band a half\b", " andahalf ", t)
    raw = _TOKEN.findall(t)
    out: list[str] = []
    i = 0
    while i < len(raw):
        w = raw[i]
        bare = w.rstrip(".")
        if w.startswith("T") and ":" in w:
            out.append(w)
        elif w.startswith("'") and w.endswith("0s"):
            out.append("E19" + w[1])
        elif re.fullmatch(r"\d{3}0s", w):
            out.append("E" + w[:3])
        elif re.fullmatch(r"\d0s", w):
            out.append("E19" + w[0])
        elif re.fullmatch(r"\d+(st|nd|rd|th)", w):
            out.append("O" + w[:-2])
        elif re.fullmatch(r"\d+(?:,\d{3})*(?:\.\d+)?", w):
            n = float(w.replace(",", ""))
            if len(w) == 4 and 1000 <= n <= 2999:
                out.append(f"Y{int(n)}")
            else:
                out.append(f"N{_num(n)}")
        elif (w in tw.number or bare in tw.number) and not (bare == "second" and _next_is_unit(raw, i, tw)):
            j, words = i, []
            while j < len(raw) and (raw[j] in tw.number or (raw[j] == "and" and words and j + 1 < len(raw)
                                                            and raw[j + 1] in tw.number and raw[j + 1] != "half")):
                words.append(raw[j])
                j += 1
            out.extend(_number_words(words, tw, after=out[-1] if out else ""))
            i = j
            continue
        elif bare in tw.decade:
            out.append(f"E19{tw.decade[bare]}")
        elif w in tw.month or (bare in tw.month and len(bare) > 3):
            out.append(f"M{tw.month.get(w, tw.month.get(bare))}")
        elif w in tw.weekday or (bare in tw.weekday and len(bare) > 3):
            out.append(f"D{tw.weekday.get(w, tw.weekday.get(bare))}")
        elif bare.endswith("s") and bare[:-1] in tw.weekday:
            out.append(f"D{tw.weekday[bare[:-1]]}:P")
        elif bare in tw.ordinal:
            out.append(f"O{tw.ordinal[bare]}")
        elif bare in tw.unit:
            u = tw.unit[bare]
            plural = bare.endswith("s") or bare in ("centuries", "millennia")
            out.append(f"U:{u}:P" if plural else f"U:{u}")
        elif bare in tw.season:
            out.append(f"S{tw.season[bare]}")
        elif bare in tw.part and bare not in ("tonight", "overnight"):
            out.append(f"P{tw.part[bare]}")
        elif bare.endswith("s") and bare[:-1] in tw.part:
            out.append(f"P{tw.part[bare[:-1]]}:P")
        elif bare in ("a", "an") and i + 1 < len(raw) and (raw[i + 1] in tw.unit or raw[i + 1] in ("half",)):
            out.append("N1")
        elif bare in ("few", "several", "many", "couple") or (bare == "some" and i + 1 < len(raw) and raw[i + 1] in tw.unit):
            if bare == "couple":
                if out and out[-1] == "a":
                    out.pop()
                out.append("N2")
                if i + 1 < len(raw) and raw[i + 1] == "of":
                    i += 1
            else:
                if out and out[-1] == "a":
                    out.pop()
                out.append("NX")
        else:
            out.append(bare if bare else w)
        i += 1
    return [x for x in out if x not in (",", ".")]


def _next_is_unit(raw: list[str], i: int, tw: TimeWords) -> bool:
    return i + 1 < len(raw) and raw[i + 1] in tw.unit


def _num(n: float) -> str:
    return str(int(n)) if n == int(n) else str(n)


def _number_words(words: list[str], tw: TimeWords, after: str) -> list[str]:
    """Spelled-out numbers: "twenty four" -> N24, "nineteen ninety six" -> Y1996, "two thousand" after
    "year" -> Y2000."""
    vals = [tw.number[w] for w in words if w != "and"]
    if len(vals) >= 2 and 10 <= vals[0] <= 19 and vals[1] >= 20 and vals[1] % 10 == 0 and vals[1] < 100:
        year = int(vals[0]) * 100 + int(sum(vals[1:]))
        return [f"Y{year}"]
    if len(vals) >= 2 and 10 <= vals[0] <= 19 and vals[1] == 100:
        return [f"Y{int(vals[0]) * 100 + int(sum(vals[2:]))}"]
    total, current = 0.0, 0.0
    for v in vals:
        if v == 100:
            current = (current or 1) * 100
        elif v >= 1000:
            total += (current or 1) * v
            current = 0
        else:
            current += v
    n = total + current
    if after in ("U:Y", "M1", "M2", "M3", "M4", "M5", "M6", "M7", "M8", "M9", "M10", "M11", "M12") and 1000 <= n <= 2999:
        return [f"Y{int(n)}"]
    return [f"N{_num(n)}"]


# ------------------------------------------------------------------ date arithmetic
def _add_months(y: int, m: int, k: int) -> tuple[int, int]:
    idx = y * 12 + (m - 1) + k
    return idx // 12, idx % 12 + 1


def _week(d: date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y}-W{w:02d}"


def _quarter(d: date) -> int:
    return (d.month - 1) // 3 + 1


def _pick(candidates: list[date], anchor: date, tense: str | None, *, strict: bool = False) -> date:
    """Of the candidate dates around the anchor: the latest on or before it (past), the first on or after
    it (future), else the nearest (ties go to the past)."""
    before = [c for c in candidates if (c < anchor if strict else c <= anchor)]
    after = [c for c in candidates if (c > anchor if strict else c >= anchor)]
    if tense == PAST and before:
        return max(before)
    if tense == FUTURE and after:
        return min(after)
    return min(candidates, key=lambda c: (abs((c - anchor).days), c > anchor))


def _weekday(anchor: date, wd: int, tense: str | None, mod: str = "") -> date:
    delta = wd - anchor.isoweekday()
    this_week = anchor + timedelta(days=delta)
    cands = [this_week - timedelta(days=7), this_week, this_week + timedelta(days=7)]
    if mod in ("last", "previous", "past", "this past"):
        return max(c for c in cands if c < anchor)
    if mod in ("next", "coming", "this coming", "following"):
        return min(c for c in cands if c > anchor)
    if tense is None or tense == PRESENT:
        tense = PAST
    return _pick(cands, anchor, tense)


def _month_year(anchor: date, month: int, tense: str | None, mod: str = "") -> int:
    if mod in ("last", "past", "this past", "previous"):
        return anchor.year if month < anchor.month else anchor.year - 1
    if mod in ("next", "coming", "this coming"):
        return anchor.year if month > anchor.month else anchor.year + 1
    if mod == "this":
        return anchor.year
    first = [date(anchor.year + k, month, 1) for k in (-1, 0, 1)]
    a = anchor.replace(day=1)
    return _pick(first, a, tense).year


def _valid(y: int, month: int, day: int) -> bool:
    try:
        date(y, month, day)
        return True
    except ValueError:
        return False


def _day_year(anchor: date, month: int, day: int, tense: str | None) -> int | None:
    cands = [date(y, month, day) for y in (anchor.year - 1, anchor.year, anchor.year + 1) if _valid(y, month, day)]
    if not cands:
        return None
    return _pick(cands, anchor, tense).year


def _moved(anchor: date, unit: str, k: int) -> str | None:
    """The anchor moved by k units, as a value of that unit's granularity ("M", -1 -> "2024-04")."""
    if unit == "Y":
        return str(anchor.year + k)
    if unit == "M":
        y, mo = _add_months(anchor.year, anchor.month, k)
        return f"{y:04d}-{mo:02d}"
    if unit == "Q":
        y, mo = _add_months(anchor.year, anchor.month, 3 * k)
        return f"{y:04d}-Q{(mo - 1) // 3 + 1}"
    if unit in ("W", "2W"):
        return _week(anchor + timedelta(weeks=k * (2 if unit == "2W" else 1)))
    if unit == "D":
        return (anchor + timedelta(days=k)).isoformat()
    if unit == "E":
        return str((anchor.year + 10 * k) // 10)
    if unit == "C":
        return str((anchor.year + 100 * k) // 100)
    if unit == "L":
        return str((anchor.year + 1000 * k) // 1000)
    return None


def shift(value: str, years: int = 0) -> str:
    """A TIMEX3 date value moved by whole years ("1989-Q3", -1 -> "1988-Q3")."""
    m = re.match(r"(\d{4})(.*)", value)
    if not m:
        return value
    return f"{int(m[1]) + years:04d}{m[2]}"


# ------------------------------------------------------------------ normalization
UNIT_ORDER = {"S": 0, "MIN": 1, "H": 2, "D": 3, "WE": 3, "W": 4, "2W": 4, "M": 5, "Q": 6, "Y": 7, "E": 8, "C": 9, "L": 10}


def duration(n: str, unit: str) -> str:
    """A TIMEX3 duration value: ("24", "H") -> PT24H, ("X", "Y") -> PXY, ("3", "Y") -> P3Y."""
    if unit == "2W":
        unit, n = "W", str(int(n) * 2) if n != "X" else "X"
    if unit == "WE":
        return f"P{n}WE"
    if unit in ("H", "MIN", "S"):
        return f"PT{n}{'M' if unit == 'MIN' else unit}"
    return f"P{n}{unit}"


class Normalizer:
    """Normalizes time expressions with one lexicon; ``__call__`` is the pure normalizer."""

    def __init__(self, tw: TimeWords):
        self.tw = tw

    def __call__(self, text: str, anchor: date | str | None, tense: str | None = None,
                 ref: str | None = None) -> tuple[str, str | None] | None:
        """(type, value) of the expression, or None when it is no time expression this knows.
        ``anchor``: the publication date; ``tense``: past | present | future | None; ``ref``: the latest
        quarter (or date) the article named before the expression, for "the quarter", "a year earlier"."""
        if isinstance(anchor, str):
            anchor = anchor_date(anchor)
        low = re.sub(r"\s+", " ", text.lower().replace("’", "'")).strip(" ,.;:")
        iso = iso_value(low)
        if iso is not None:
            return iso
        stripped = LEADING.sub("", low)
        spelled = year_in_words(stripped, self.tw)
        if spelled is not None:
            return DATE, spelled
        holiday = self._holiday(stripped, anchor, tense)
        if holiday is not None:
            return DATE, holiday
        for cand in (low, stripped, "the " + stripped, re.sub(r"^(?:more|most|very|as|until|till) ", "", stripped)):
            if cand in self.tw.ref:
                return DATE, self.tw.ref[cand]
            if cand in self.tw.set:
                return SET, self.tw.set[cand]
        toks = canonical(stripped, self.tw)
        while toks and toks[0] in ("the", "a", "its", "their", "this", "that") and len(toks) > 1 and toks[1] in ("'s",):
            toks = toks[2:]
        s = " ".join(toks)
        for rule in RULES:
            m = rule[0].search(s)
            if m:
                out = rule[1](self, m, anchor, tense, ref, s)
                if out is not None:
                    return out
        return None


    def _holiday(self, text: str, anchor: date | None, tense: str | None) -> str | None:
        """A holiday with its modifier or year ("last Easter", "Christmas 2009", "2009 Christmas")."""
        if not self.tw.holiday:
            return None
        m = _holiday_pattern(self.tw).fullmatch(text)
        if not m:
            return None
        year = m[2] or m[4]
        return holiday_value(self.tw.holiday[m[3]], int(year) if year else None, m[1] or "", anchor, tense)


RULES: list[tuple[re.Pattern, object]] = []


def rule(pattern: str):
    def register(func):
        RULES.append((re.compile(pattern), func))
        return func
    return register


def _rel(word: str | None) -> int:
    return {"last": -1, "past": -1, "previous": -1, "prior": -1, "preceding": -1, "this past": -1,
            "next": 1, "coming": 1, "following": 1, "this coming": 1, "upcoming": 1}.get(word or "", 0)


def _year_of(s: str, anchor: date | None) -> int | None:
    """A year named in the canonical string (Y1990, "last year", "next year's"), or None."""
    m = re.search(r"Y(\d{4})", s)
    if m:
        return int(m[1])
    if anchor is None:
        return None
    m = re.search(r"\b(last|this|next|past|current|previous|coming|that) (?:fiscal )?U:Y\b", s)
    if m:
        return anchor.year + _rel(m[1])
    return None


# --- sets
@rule(r"^(?:every|each|per)(?: other| single)? (?:(N\d+) )?(U:\w+|M\d+|D\d|S[A-Z]{2}|P[A-Z]{2})$")
def _set(nz, m, anchor, tense, ref, s):
    n, what = m[1], m[2]
    if what.startswith("U:"):
        return SET, duration(n[1:] if n else "1", what.split(":")[1])
    if what.startswith("M"):
        return SET, f"XXXX-{int(what[1:]):02d}"
    if what.startswith("D"):
        return SET, f"XXXX-WXX-{what[1]}"
    if what.startswith("S"):
        return SET, f"XXXX-{what[1:]}"
    return SET, f"XXXX-XX-XXT{what[1:]}"


@rule(r"^(?:N\d+ times )?(?:a|per|an) (U:\w+)$")
def _per(nz, m, anchor, tense, ref, s):
    return SET, duration("1", m[1].split(":")[1])


@rule(r"^(D\d):P(?: (P[A-Z]{2}))?$|^D\d (P[A-Z]{2}):P$")
def _weekly(nz, m, anchor, tense, ref, s):
    d = re.search(r"D(\d)", s)[1]
    p = re.search(r"P([A-Z]{2})", s)
    return SET, f"XXXX-WXX-{d}" + (f"T{p[1]}" if p else "")


# --- clock times
@rule(r"T(\d\d):(\d\d)")
def _clock(nz, m, anchor, tense, ref, s):
    hh, mm = m[1], m[2]
    clock = f"T{hh}" if (hh == "24" and mm == "00") else f"T{hh}:{mm}"
    rest = s.replace(m[0], " ").strip()
    # "The meeting is at 8 pm on Friday": a time set for a day, told in the present, lies ahead
    day = nz._day(rest, anchor, FUTURE if tense == PRESENT and re.search(r"\bD\d\b", rest) else tense) if rest else None
    if day is None and anchor is not None:
        day = anchor.isoformat()
    return TIME, (day + clock) if day and re.fullmatch(r"\d{4}-\d\d-\d\d", day) else None


# --- parts of days
@rule(r"^(?:(?:early|late|later|earlier|mid) )?(?:(this|last|yesterday|tomorrow|today|D\d|the)\s)?(?:(?:early|late|mid) )?"
      r"(P[A-Z]{2})(?: (yesterday|today|tomorrow|D\d))?$|^(tonight|overnight)$")
def _part(nz, m, anchor, tense, ref, s):
    if m[4]:
        part, before = "NI", None
    else:
        part = m[2][1:]
        before = m[3] or m[1]
    if anchor is None:
        return TIME, None
    if before in (None, "this", "the", "early", "late", "mid", "today"):
        d = anchor
    elif before == "last":
        d = anchor - timedelta(days=1) if part == "NI" else anchor
    elif before == "yesterday":
        d = anchor - timedelta(days=1)
    elif before == "tomorrow":
        d = anchor + timedelta(days=1)
    else:
        d = _weekday(anchor, int(before[1]), tense)
    return TIME, f"{d.isoformat()}T{part}"


# --- days
@rule(r"^(?:(D\d) )?(M\d+) (?:N|O)(\d{1,2})(?: (?:of )?Y(\d{4}))?$|^(?:(D\d) )?(?:the )?(?:N|O)(\d{1,2}) (?:of )?(M\d+)(?: Y(\d{4}))?$")
def _month_day(nz, m, anchor, tense, ref, s):
    if m[2]:
        month, day, year = int(m[2][1:]), int(m[3]), m[4]
    else:
        month, day, year = int(m[7][1:]), int(m[6]), m[8]
    if not 1 <= day <= 31:
        return None
    weekday = m[1] or m[5]
    if year:
        y = int(year)
    elif weekday and anchor is not None:
        # the year in which that day falls on that weekday, nearest the anchor
        years = [y for y in range(anchor.year - 6, anchor.year + 7) if _valid(y, month, day)
                 and date(y, month, day).isoweekday() == int(weekday[1])]
        if not years:
            return None
        y = min(years, key=lambda y: abs(y - anchor.year))
    elif anchor is None:
        return DATE, f"XXXX-{month:02d}-{day:02d}"
    else:
        y = _day_year(anchor, month, day, tense)
        if y is None:
            return None
    return DATE, f"{y:04d}-{month:02d}-{day:02d}"


@rule(r"^(?:(?:earlier|later|early|late) )?(?:the day (before|after) )?(today|yesterday|tomorrow|tonight)$")
def _deictic(nz, m, anchor, tense, ref, s):
    if anchor is None:
        return DATE, None
    k = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}[m[2]]
    k += {"before": -1, "after": 1}.get(m[1] or "", 0)
    return DATE, (anchor + timedelta(days=k)).isoformat()


@rule(r"^(?:(last|this|next|this coming|this past|the previous|the following|early|late|earlier|later) )?(D\d)$")
def _weekday_rule(nz, m, anchor, tense, ref, s):
    if anchor is None:
        return DATE, None
    mod = (m[1] or "").replace("the ", "")
    return DATE, _weekday(anchor, int(m[2][1:]), tense, mod).isoformat()


@rule(r"^(?:the |that |this |same )*(?:same |following |next |previous |prior )?day$")
def _the_day(nz, m, anchor, tense, ref, s):
    if anchor is None:
        return DATE, None
    if "following" in s or "next" in s:
        return DATE, (anchor + timedelta(days=1)).isoformat()
    if "previous" in s or "prior" in s:
        return DATE, (anchor - timedelta(days=1)).isoformat()
    return DATE, anchor.isoformat()


# --- ago / later / earlier
@rule(r"^(N[\dX.]+) (U:\w+)(?::P)? (ago|earlier|before|later|after|from now|hence|since)$")
def _ago(nz, m, anchor, tense, ref, s):
    n, unit, way = m[1][1:], m[2].split(":")[1], m[3]
    sign = -1 if way in ("ago", "earlier", "before", "since") else 1
    if way in ("earlier", "later") and unit in ("D", "W", "H", "MIN", "S"):
        return DURATION, duration(n, unit)
    if n == "X":
        return DATE, "PAST_REF" if sign < 0 else "FUTURE_REF"
    k = float(n)
    if k != int(k):
        return None
    k = int(k) * sign
    if unit == "Y" and k == -1 and way in ("earlier", "ago", "before") and ref and re.fullmatch(r"\d{4}-Q\d", ref):
        return DATE, shift(ref, -1)
    if anchor is None:
        return DATE, None
    if unit in ("H", "MIN"):
        return TIME, None
    moved = _moved(anchor, unit, k)
    return None if moved is None else (DATE, moved)


@rule(r"^(?:N1 )?(?:U:Y earlier|U:Y ago|U:Y before|(?:the )?(?:(?:same|comparable|corresponding) )?(?:U:Y earlier|U:Y ago|comparable|corresponding|same|prior U:Y|previous U:Y) (?:O\d )?(?:fiscal )?(?:U:Q|period|U:Y)(?: U:Y ago| earlier| last U:Y)?)$|^(?:same |corresponding |comparable )?(?:U:Q|period) (?:N1 U:Y (?:ago|earlier)|last U:Y)$|^last U:Y 's (?:U:Q|period)$")
def _year_ago(nz, m, anchor, tense, ref, s):
    if ref and re.fullmatch(r"\d{4}-Q\d", ref):
        return DATE, shift(ref, -1)
    if anchor is None:
        return DATE, None
    if "U:Q" in s or "period" in s:
        q = _quarter(anchor) - 1 or 4
        return DATE, f"{anchor.year - 1 - (q == 4)}-Q{q}"
    return DATE, str(anchor.year - 1)


# --- quarters and halves
@rule(r"^(Y\d{4}) (?:fiscal )?(?:U:Q|period)$")
def _year_quarter(nz, m, anchor, tense, ref, s):
    if ref and re.fullmatch(r"\d{4}-Q\d", ref):
        return DATE, f"{m[1][1:]}{ref[4:]}"
    return DATE, m[1][1:]



@rule(r"^(?:(Y\d{4}|last|this|next|current|fiscal) (?:fiscal )?U:Y 's |(Y\d{4}) )?(?:fiscal |flat |comparable |(?:U:Y earlier|U:Y ago) )*(O[1-4]) (?:fiscal )?U:Q(?: of (?:fiscal )?(?:U:Y )?(Y\d{4}|(?:last|this|next) (?:fiscal )?U:Y))?$|^(?:last|this|next) U:Y 's (O[1-4]) U:Q$")
def _quarter_rule(nz, m, anchor, tense, ref, s):
    q = int(re.search(r"O([1-4])", s)[1])
    year = _year_of(s, anchor)
    if year is None:
        if anchor is None:
            return DATE, None
        aq = _quarter(anchor)
        year = anchor.year if (q <= aq or tense != PAST) else anchor.year - 1
        if q > aq and tense == PAST:
            year = anchor.year - 1
    if "U:Y earlier" in s or "U:Y ago" in s:
        year -= 1
    return DATE, f"{year}-Q{q}"


@rule(r"^(?:O([12])|last|second) (?:fiscal )?half(?: of (?:(Y\d{4})|(?:the )?U:Y|(last|this|next) U:Y))?$")
def _half(nz, m, anchor, tense, ref, s):
    h = 2 if (m[1] == "2" or s.startswith(("last", "second"))) else 1
    year = _year_of(s, anchor)
    if year is None:
        if anchor is None:
            return DATE, None
        year = anchor.year
    return DATE, f"{year}-H{h}"


@rule(r"^(?:(latest|current|same|this|that|previous|prior|preceding|last|next|most recent|recent|fiscal|its|first|second|third|fourth) )*(?:fiscal )?(U:Q|period)$")
def _the_quarter(nz, m, anchor, tense, ref, s):
    if m[2] == "period" and not re.search(r"latest|same|comparable|corresponding|most recent", s):
        return None
    if anchor is None:
        return DATE, None
    aq = _quarter(anchor)
    words = s.split()
    if "current" in words or (words[0] == "this" and not ref):
        return DATE, f"{anchor.year}-Q{aq}"
    if words[0] in ("last", "previous", "prior", "preceding") and len(words) == 2:
        q = aq - 1 or 4
        return DATE, f"{anchor.year - (aq == 1)}-Q{q}"
    if words[0] == "next" and len(words) == 2:
        q = aq % 4 + 1
        return DATE, f"{anchor.year + (aq == 4)}-Q{q}"
    q = aq - 1 or 4
    completed = f"{anchor.year - (aq == 1)}-Q{q}"
    if ref and re.fullmatch(r"\d{4}-Q\d", ref) and ref <= completed:
        return DATE, ref
    return DATE, completed


# --- durations
_DUR = (r"^(?:(?:past|last|next|first|coming|previous|following|latest|final|remaining|additional|further|"
        r"other|recent|another|initial|U:Y earlier|U:Y ago|entire|full|whole|O1|a|an) )*(N[\dX.]+)(?: (?:to|or|and) N[\dX.]+)?"
        r" (?:more |additional |straight |consecutive |trading |business |working |calendar |full |long )*(U:\w+)(?::P)?"
        r"(?: (?:andahalf|or so|old|long|running|period|term|stretch|span|time|period|window|deadline|"
        r"high|low|high|ahead|before|to come|in a row))*$")


@rule(_DUR)
def _duration(nz, m, anchor, tense, ref, s):
    n, unit = m[1][1:], m[2].split(":")[1]
    if "andahalf" in s and n != "X":
        return DURATION, _half_more(float(n), unit)
    try:
        if n != "X" and float(n) != int(float(n)):
            return DURATION, _half_more(float(n), unit, exact=True)
    except ValueError:
        return None
    return DURATION, duration(n if n == "X" else str(int(float(n))), unit)


def _half_more(n: float, unit: str, exact: bool = False) -> str | None:
    whole = int(n)
    smaller = {"Y": ("M", 12), "M": ("D", 30), "D": ("H", 24), "H": ("MIN", 60), "MIN": ("S", 60), "W": ("D", 7)}
    if unit not in smaller:
        return None
    su, k = smaller[unit]
    frac = round((n - whole if exact else 0.5) * k)
    if unit in ("H", "MIN"):
        return f"PT{whole}{'M' if unit == 'MIN' else 'H'}{frac}{'M' if su == 'MIN' else su}"
    if unit == "D":
        return f"P{whole}DT{frac}H"
    return f"P{whole}{unit}{frac}{su}"


@rule(r"^(?:(?:past|last|next|coming|recent|several|few|many|these|those|following|previous|ensuing|early|intervening) )*(U:\w+):P(?: ahead| to come| since)?$")
def _vague_duration(nz, m, anchor, tense, ref, s):
    unit = m[1].split(":")[1]
    words = s.split()
    if words[0] in ("coming", "next", "following", "ensuing") and unit in ("M", "Y", "Q") and "ahead" not in s:
        return DATE, "FUTURE_REF"
    if words[0] in ("recent", "past", "previous") and unit in ("D", "Y") and len(words) == 2:
        return DATE, "PAST_REF"
    return DURATION, duration("X", unit)


@rule(r"^(?:fiscal )?U:Y$|^(?:full|entire|whole) U:Y$")
def _the_year(nz, m, anchor, tense, ref, s):
    if s.startswith(("full", "entire", "whole")) and anchor is not None:
        return DATE, str(anchor.year)
    return DURATION, "P1Y"


# --- relative units: last year, this month, next week
@rule(r"^(?:(?:early|late|earlier|later|mid|the end of|end of|the beginning of|the start of|the middle of|the rest of) )?"
      r"(?:the )?(last|this|next|past|coming|previous|following|current|that|same|this past|this coming|prior|preceding|upcoming)"
      r"(?: (?:fiscal|calendar|school|academic))? (U:(?:Y|M|W|WE|E|C|D|L))$")
def _relative(nz, m, anchor, tense, ref, s):
    mod, unit = m[1], m[2].split(":")[1]
    k = _rel(mod)
    if mod in ("that", "same"):
        if ref and unit == "Y" and re.match(r"\d{4}", ref):
            return DATE, ref[:4]
        return None
    if anchor is None:
        return (DURATION if unit == "D" else DATE), None
    if unit == "WE":
        sat = anchor + timedelta(days=6 - anchor.isoweekday())
        if k == 0 and tense == PAST and anchor.isoweekday() < 6:
            k = -1
        return DATE, _week(sat + timedelta(weeks=k)) + "-WE"
    moved = _moved(anchor, unit, k)
    return None if moved is None else (DATE, moved)


@rule(r"^(?:the )?weekend$|^U:WE$")
def _weekend(nz, m, anchor, tense, ref, s):
    if anchor is None:
        return DATE, None
    sat = anchor + timedelta(days=6 - anchor.isoweekday())
    if tense != FUTURE and anchor.isoweekday() < 6:
        sat -= timedelta(weeks=1)
    return DATE, _week(sat) + "-WE"


@rule(r"^(?:U:Y end|U:Y 's end|end of (?:the )?U:Y|U:Y end)$")
def _year_end(nz, m, anchor, tense, ref, s):
    return DATE, str(anchor.year) if anchor else None


# --- years, decades, centuries
@rule(r"^(?:(?:early|late|mid|the end of|end of|the beginning of|beginning of|the start of|the middle of|"
      r"the rest of|much of|most of|all of|a good part of|part of|fiscal|calendar|fiscal year|U:Y|the U:Y|"
      r"spring|summer|fall|winter) )?(?:fiscal )?(Y\d{4})(?: (?:and beyond|or later|or so|or earlier|through Y\d{4}))?$")
def _year(nz, m, anchor, tense, ref, s):
    return DATE, m[1][1:]


@rule(r"^(?:O([12])|last|second|latter|first) half of (?:the )?(E\d{3}|Y\d{4})$")
def _half_of(nz, m, anchor, tense, ref, s):
    v = m[2][1:]
    if m[2].startswith("E"):
        return DATE, v
    return DATE, f"{v}-H{2 if (m[1] == '2' or s.startswith(('last', 'second', 'latter'))) else 1}"


@rule(r"^(?:(?:early|late|mid|the end of|the beginning of|the middle of) )?(E\d{3})$")
def _decade(nz, m, anchor, tense, ref, s):
    return DATE, m[1][1:]


@rule(r"^(?:(?:early|late|mid) )?O(\d{1,2}) U:C$")
def _century(nz, m, anchor, tense, ref, s):
    return DATE, f"{int(m[1]) - 1:02d}"


# --- seasons and months
SEASON_FIRST_MONTH = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}   # WI of year Y: December Y to February Y+1


@rule(r"^(?:(early|late|mid|this|last|next|this past|this coming|past|coming) )?(?:(early|late|mid) )?S([A-Z]{2})(?: (?:of )?(?:(Y\d{4})|(last|this|next) U:Y))?$"
      r"|^(Y\d{4}) S([A-Z]{2})$")
def _season(nz, m, anchor, tense, ref, s):
    if m[6]:                                            # "2005 summer"
        return DATE, f"{m[6][1:]}-{m[7]}"
    season = m[3]
    year = _year_of(s, anchor)
    if year is None:
        if anchor is None:
            return DATE, None
        mod = m[1] or ""
        first = SEASON_FIRST_MONTH[season]
        if mod in ("next", "coming", "this coming"):
            # the first such season that has not begun ("next spring", written in February, is this spring)
            year = anchor.year if anchor.month < first else anchor.year + 1
        elif mod in ("last", "past", "this past"):
            year = anchor.year - 1          # "last spring": last year's, as TimeBank reads it
        else:
            year = anchor.year
            if mod in ("", "early", "late", "mid") and season == "WI" and anchor.month <= 3 and tense == PAST:
                year = anchor.year - 1
    return DATE, f"{year}-{season}"


@rule(r"^(?:(?:early|late|mid|the end of|end of|the beginning of|beginning of|the start of|the middle of|"
      r"the rest of|much of|most of|all of|the first half of|the second half of) )?(?:(last|this|next|this past|"
      r"this coming|past|coming|previous) )?(M\d+)(?: (?:of )?(?:(Y\d{4})|(last|this|next) U:Y))?$")
def _month(nz, m, anchor, tense, ref, s):
    month = int(m[2][1:])
    if m[3]:
        return DATE, f"{m[3][1:]}-{month:02d}"
    if m[4]:
        return DATE, f"{anchor.year + _rel(m[4]):04d}-{month:02d}" if anchor else None
    if anchor is None:
        return DATE, f"XXXX-{month:02d}"
    return DATE, f"{_month_year(anchor, month, tense, m[1] or ''):04d}-{month:02d}"


def _day_method(self, rest: str, anchor: date | None, tense: str | None) -> str | None:
    """The day a clock time is on: its text without the clock ("yesterday", "Friday", "Nov. 9")."""
    rest = re.sub(r"^(?:around|about|at|by|until|before|after|from|on|,|EST|EDT|GMT|UTC|est|edt|gmt|utc|local|time)\s*", "",
                  rest).strip()
    rest = re.sub(r"\b(?:est|edt|gmt|utc|cst|pst|local time|time)\b", "", rest).strip()
    if not rest:
        return anchor.isoformat() if anchor else None
    for pattern, func in RULES:
        if func in (_month_day, _deictic, _weekday_rule):
            m = pattern.search(rest)
            if m:
                out = func(self, m, anchor, tense, None, rest)
                return out[1] if out else None
    return None


Normalizer._day = _day_method


# ------------------------------------------------------------------ holidays, ISO values, clock words
def easter(year: int) -> date:
    """Western Easter Sunday of a year (the Gregorian computus, anonymous algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month = (h + l_ - 7 * m + 114) // 31
    day = (h + l_ - 7 * m + 114) % 31 + 1
    return date(year, month, day)


def holiday_date(rule_text: str, year: int) -> date | None:
    """The day of a holiday in a year, by its rule in data/holidays.tsv."""
    kind, *args = rule_text.split()
    if kind == "fixed":
        mm, dd = args[0].split("-")
        return date(year, int(mm), int(dd))
    if kind == "easter":
        return easter(year) + timedelta(days=int(args[0]))
    if kind == "nth":
        month, wd, n = int(args[0]), int(args[1]), int(args[2])
        if n > 0:
            first = date(year, month, 1)
            return first + timedelta(days=(wd - first.isoweekday()) % 7 + 7 * (n - 1))
        last = date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)
        return last - timedelta(days=(last.isoweekday() - wd) % 7)
    return None


def holiday_value(rule_text: str, year: int | None, mod: str, anchor: date | None, tense: str | None) -> str | None:
    """The TIMEX3 date of a holiday named with a year, a modifier ("last Easter", "next Christmas",
    "this Thanksgiving") or neither (the nearest one the tense allows)."""
    if year is not None:
        return holiday_date(rule_text, year).isoformat()
    if anchor is None:
        d = holiday_date(rule_text, 2000)
        return f"XXXX-{d.month:02d}-{d.day:02d}" if rule_text.startswith("fixed") else None
    cands = [holiday_date(rule_text, y) for y in (anchor.year - 1, anchor.year, anchor.year + 1)]
    if mod in ("last", "past", "this past", "previous"):
        return max(c for c in cands if c < anchor).isoformat()
    if mod in ("next", "coming", "this coming", "upcoming"):
        return min(c for c in cands if c > anchor).isoformat()
    if mod == "this":
        return cands[1].isoformat()
    return _pick(cands, anchor, tense).isoformat()


_ISO = re.compile(r"^(\d{4})-(\d\d)-(\d\d)(?:[t ](\d\d):(\d\d)(?::(\d\d)(?:\.\d+)?)?(?:z|[+-]\d\d:?\d\d)?)?$")


def iso_value(text: str) -> tuple[str, str] | None:
    """An ISO 8601 date or datetime as written ("2004-03-04", "2004-03-04T18:32:56"): its type and value,
    or None when it names no real day or time."""
    m = _ISO.match(text.strip().lower())
    if not m:
        return None
    y, mo, d = int(m[1]), int(m[2]), int(m[3])
    if not _valid(y, mo, d):
        return None
    if m[4] is None:
        return DATE, f"{y:04d}-{mo:02d}-{d:02d}"
    hh, mm, ss = int(m[4]), int(m[5]), int(m[6]) if m[6] else None
    if hh > 24 or mm > 59 or (ss is not None and ss > 59) or (hh == 24 and (mm or ss)):
        return None
    return TIME, f"{y:04d}-{mo:02d}-{d:02d}T{hh:02d}:{mm:02d}" + (f":{ss:02d}" if ss is not None else "")


def clock_words(text: str, tw: TimeWords) -> str:
    """Clock times in words as 24-hour canonical tokens: "a quarter past 6" -> " T06:15 ", "ten minutes to
    three" -> " T02:50 ", "half past nine p.m." -> " T21:30 ", "six o'clock" -> " T06:00 "."""
    def number(w: str) -> int | None:
        w = w.strip().replace("-", " ")
        if w in ("noon", "midnight"):
            return 12 if w == "noon" else 0
        if w.isdigit():
            return int(w)
        parts = w.split()
        if parts and all(p in tw.number for p in parts):
            return int(sum(tw.number[p] for p in parts))
        return None

    def hour(h: int, ampm: str | None) -> int:
        if ampm and ampm.startswith("p") and h < 12:
            return h + 12
        if ampm and ampm.startswith("a") and h == 12:
            return 0
        return h

    relative_clock, oclock_clock = _clock_patterns(tw)

    def relative(m: re.Match) -> str:
        if m[2] in ("to", "before") and m[4] is None and not re.search(r"quarter|half|minute", m[1]) and \
                not re.match(r"\s*(?:,|$|on\b|in\b|the\b|this\b|tomorrow|today|tonight|yesterday)", text[m.end():]):
            return m[0]                 # "at 10 to 12 delegates": a range, not a time
        mins = 15 if "quarter" in m[1] else 30 if m[1] == "half" else number(re.sub(r"\s+minutes?$", "", m[1]))
        h = number(m[3])
        if mins is None or h is None or not 0 <= h <= 12 or not 0 < mins < 60 or (h == 0 and m[3] != "midnight"):
            return m[0]
        total = (hour(h, m[4]) * 60 + (mins if m[2] in ("past", "after") else -mins)) % (24 * 60)
        return f" T{total // 60:02d}:{total % 60:02d} "
    text = relative_clock.sub(relative, text)

    def oclock(m: re.Match) -> str:
        h = number(m[1])
        return f" T{hour(h, m[2]):02d}:00 " if h is not None and 1 <= h <= 12 else m[0]
    return oclock_clock.sub(oclock, text)


@lru_cache(maxsize=4)
def _clock_patterns(tw: TimeWords) -> tuple[re.Pattern, re.Pattern]:
    """The patterns of clock times in words, built once per lexicon: "<minutes> past|to <hour>" and
    "<hour> o'clock"."""
    words = tw.alternation("number")
    n = rf"(?:\d{{1,2}}|(?:{words})(?:[\s-](?:{words}))?)"
    # "ten to three" alone may be a range ("10 to 12 people"): minutes, a quarter or a half, or "at" before
    minutes = rf"(?:a\s+)?quarter|half|{n}\s+minutes?|(?<=at\s){n}|(?<=around\s){n}|(?<=about\s){n}|(?<=by\s){n}"
    hours = rf"\d{{1,2}}|noon|midnight|{words}"
    ampm = r"(?:\s*(a\.?m\.?|p\.?m\.?|o'clock))?"
    return (re.compile(rf"\b({minutes})\s+(past|after|to|before)\s+({hours})\b{ampm}"),
            re.compile(rf"\b({hours})\s+o'clock(?:\s+(a\.?m\.?|p\.?m\.?))?"))


@lru_cache(maxsize=4)
def _hyphenated_ordinals(tw: TimeWords) -> re.Pattern:
    words = sorted((w for w in tw.ordinal if "-" in w), key=len, reverse=True)
    return re.compile(rf"\b(?:{'|'.join(map(re.escape, words))})\b") if words else re.compile(r"(?!x)x")


@lru_cache(maxsize=4)
def _holiday_pattern(tw: TimeWords) -> re.Pattern:
    """A holiday with its modifier or year, built once per lexicon."""
    names = "|".join(re.escape(n) for n in sorted(tw.holiday, key=len, reverse=True))
    return re.compile(rf"(?:(last|this|next|this coming|this past|coming|past|previous|upcoming) )?(?:(\d{{4}}) )?"
                      rf"({names})(?:,? (?:of )?(\d{{4}}))?")


_YEAR_WORDS = re.compile(r"^(?:the )?year (?:(twenty|nineteen)[ -](.+)|two thousand(?: and)? (.+))$")


def year_in_words(text: str, tw: TimeWords) -> str | None:
    """"the year twenty ten" -> "2010", "the year nineteen ninety-nine" -> "1999", "the year two thousand
    and five" -> "2005"; None for anything else."""
    m = _YEAR_WORDS.match(text)
    if not m:
        return None
    rest = (m[2] or m[3]).replace("-", " ").split()
    if not rest or not all(w in tw.number for w in rest):
        return None
    n = int(sum(tw.number[w] for w in rest))
    if m[3] is not None:
        return f"{2000 + n:04d}" if 0 < n < 100 else None
    if not 10 <= n <= 99:
        return None
    return f"{(20 if m[1] == 'twenty' else 19) * 100 + n:04d}"


# ------------------------------------------------------------------ TIMEX3 values
_Y = r"(?:\d{4}|\d{2}XX|\d{3}X|XXXX)"
_DATE_VALUE = re.compile(
    rf"^(?:{_Y}(?:-(?:0[1-9]|1[0-2]|XX)(?:-(?:0[1-9]|[12]\d|3[01]|XX))?)?"        # 2010, 2010-02, 2010-02-18
    rf"|{_Y}-W(?:0[1-9]|[1-4]\d|5[0-3]|XX)(?:-(?:[1-7]|WE))?"                       # 2010-W07, 2010-W07-WE
    rf"|{_Y}-(?:Q[1-4]|QX|H[12]|HX|SP|SU|FA|WI)"                                    # quarters, halves, seasons
    r"|\d{1,3}"                                                                   # decade 199, century 19
    r"|PRESENT_REF|PAST_REF|FUTURE_REF)$")
_CLOCK_VALUE = re.compile(r"^T(?:(?:[01]\d|2[0-3])(?::[0-5]\d(?::[0-5]\d)?)?|24(?::00(?::00)?)?|MO|MI|AF|EV|NI|DT)$")
_DURATION_VALUE = re.compile(
    r"^P(?:(?:(?:\d+(?:\.\d+)?|X)(?:Y|M|W|D|Q|DE|CE|ML|L|E|C|WE))+(?:T(?:(?:\d+(?:\.\d+)?|X)[HMS])+)?"
    r"|T(?:(?:\d+(?:\.\d+)?|X)[HMS])+)$")


def valid_value(kind: str, value: str | None) -> bool:
    """Whether ``value`` is a well-formed TIMEX3 value of type ``kind`` (TimeML 1.2.1's value grammar:
    ISO 8601 dates, weeks, quarters, halves, seasons, decades and centuries, the three refs; a date with a
    clock time or a part of day; durations; sets as dates with X or durations). No value (None) is
    always allowed: the expression was found but not normalized."""
    return value is None or _well_formed(kind, value)


def _well_formed(kind: str, value: str) -> bool:
    if kind == DATE:
        return _valid_date(value)
    if kind == TIME:
        date_part, sep, clock = value.partition("T")
        return bool(sep) and _CLOCK_VALUE.match("T" + clock) is not None and (date_part == "" or _valid_date(date_part))
    if kind == DURATION:
        return _DURATION_VALUE.match(value) is not None
    if kind == SET:
        return any(_well_formed(k, value) for k in (DURATION, DATE, TIME))
    return False


def _valid_date(value: str) -> bool:
    if _DATE_VALUE.match(value) is None:
        return False
    m = re.fullmatch(r"(\d{4})-(\d\d)-(\d\d)", value)
    return m is None or _valid(int(m[1]), int(m[2]), int(m[3]))
