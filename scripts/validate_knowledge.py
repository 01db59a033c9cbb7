#!/usr/bin/env python3
"""Check that every knowledge TSV (knowledge/ and each stage's data/) parses: comments only at the top, one header,
the same number of columns on every line, no empty keys, and report duplicate keys."""
import collections
import sys
from pathlib import Path

PKG = Path(__file__).resolve().parents[1] / "src" / "newsgraph"
KDIR = PKG / "knowledge"


def where(name: str) -> Path:
    """A data file: the shared knowledge folder, or the data/ folder of the stage that owns it."""
    shared = KDIR / name
    return shared if shared.exists() else next(PKG.glob(f"stages/*/data/{name}"), shared)
EXPECTED = {
    "countries.tsv": ["iso3", "iso2", "name", "aliases", "demonyms", "capital", "capital_aliases", "geonameid", "lat", "lon"],
    "organizations.tsv": ["name", "aliases", "sector", "country"],
    "titles.tsv": ["title", "sector", "rank", "gender"],
    "group_nouns.tsv": ["noun", "sector", "number"],
    "given_names.tsv": ["name", "gender"],
    "pronouns.tsv": ["pronoun", "person", "gender", "number", "case"],
    "org_nouns.tsv": ["noun", "sector"],
    "speech_verbs.tsv": ["lemma", "class", "kind"],
    "speaker_nouns.tsv": ["noun"],
    "actors.tsv": ["name", "aliases", "country", "sector", "since", "until", "kind"],
    "cameo_plover.tsv": ["cameo", "type", "mode", "context", "label"],
    "event_verbs.tsv": ["lemma", "forms", "cameo", "type", "mode", "block"],
    "event_patterns.tsv": ["block", "object", "prep", "prep_object", "cameo", "type", "mode"],
    "event_synsets.tsv": ["synset", "members"],
    "event_nouns.tsv": ["lemma", "type", "mode", "cameo"],
    "plover_types.tsv": ["type", "mode", "quad", "score"],
    "number_words.tsv": ["word", "value", "class"],
    "units.tsv": ["phrase", "unit", "kind", "factor", "position"],
    "figure_cues.tsv": ["phrase", "class", "value"],
    "time_words.tsv": ["word", "kind", "value"],
    "areas.tsv": ["name", "aliases", "kind", "cc", "lat", "lon"],
    "venues.tsv": ["name", "aliases", "kind", "town", "cc"],
    "toponym_words.tsv": ["word", "kind"],
    "not_places.tsv": ["name", "kind"],
    "function_words.tsv": ["word", "class"],
    "place_words.tsv": ["word", "class"],
    "entity_words.tsv": ["word", "class"],
    "time_cues.tsv": ["word", "class"],
    "event_words.tsv": ["word", "class"],
    "event_adjectives.tsv": ["lemma", "prep", "prep_object", "type", "mode", "cameo"],
    "event_modality.tsv": ["word", "where", "modality"],
    "event_patterns_extra.tsv": ["block", "object", "prep", "prep_object", "cameo", "type", "mode"],
    "quantity_nouns.tsv": ["noun"],
}
PLOVER_TYPES = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE",
                "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT")
ALLOWED = {
    ("titles.tsv", "rank"): {"head", "senior", "other", "honorific"},
    ("titles.tsv", "gender"): {"", "m", "f"},
    ("group_nouns.tsv", "number"): {"sg", "pl"},
    ("given_names.tsv", "gender"): {"m", "f"},
    ("pronouns.tsv", "gender"): {"", "m", "f", "n"},
    ("pronouns.tsv", "number"): {"", "sg", "pl"},
    ("speech_verbs.tsv", "class"): {"speech", "cognition", "question", "light"},
    ("speech_verbs.tsv", "kind"): {"", "speech", "writing", "thought", "knowledge"},
    ("actors.tsv", "kind"): {"person", "organization"},
    ("cameo_plover.tsv", "type"): {"", *PLOVER_TYPES},
    ("event_verbs.tsv", "type"): {"", *PLOVER_TYPES},
    ("event_patterns.tsv", "type"): {"", *PLOVER_TYPES},
    ("event_nouns.tsv", "type"): set(PLOVER_TYPES),
    ("plover_types.tsv", "type"): set(PLOVER_TYPES),
    ("plover_types.tsv", "quad"): {"1", "2", "3", "4"},
    ("number_words.tsv", "class"): {"unit", "ten", "scale", "abbreviation", "vague"},
    ("units.tsv", "kind"): {"money", "percent", "quantity"},
    ("units.tsv", "position"): {"before", "after"},
    ("figure_cues.tsv", "class"): {"qualifier", "people_noun", "people_verb", "participle", "light_verb",
                                   "change_verb", "time_noun", "label_word", "date_preposition"},
    ("areas.tsv", "kind"): {"area", "macro"},
    ("venues.tsv", "kind"): {"stadium", "arena", "circuit", "course", "hall", "site"},
    ("toponym_words.tsv", "kind"): {"feature", "admin1", "admin2", "compass", "eponym", "town"},
    ("not_places.tsv", "kind"): {"company", "product", "work", "event", "term"},
    ("time_words.tsv", "kind"): {"month", "weekday", "season", "part", "unit", "number", "ordinal", "decade", "ref", "set"},
    ("function_words.tsv", "class"): {"relative", "place_preposition", "article"},
    ("place_words.tsv", "class"): {"part_of", "generic", "before_toponym"},
    ("entity_words.tsv", "class"): {"title_modifier", "determiner", "name_particle", "place_noun", "pleonastic_verb",
                                    "pleonastic_word", "locative_verb", "directional", "motion"},
    ("time_cues.tsv", "class"): {"year_context", "month_context", "not_alone", "leading_trim"},
    ("event_modality.tsv", "modality"): {"hypothetical", "intended", "uncertain", "reported"},
    ("event_adjectives.tsv", "type"): set(PLOVER_TYPES),
    ("event_patterns_extra.tsv", "type"): set(PLOVER_TYPES),
    ("event_words.tsv", "class"): {"light_verb", "support_verb", "support_preposition", "leading_determiner"},
}
# Files whose rows are keyed by more than the first column (a lemma can have several codes, a block several patterns).
KEYS = {
    "event_verbs.tsv": ["lemma", "cameo", "block"],
    "event_patterns.tsv": ["block", "object", "prep", "prep_object", "cameo"],
    "plover_types.tsv": ["type", "mode"],
    "units.tsv": ["phrase", "position"],
    "figure_cues.tsv": ["phrase", "class"],
    "time_words.tsv": ["word", "kind"],      # "second": an ordinal and a unit
    # Word lists, one per class; a word may be in several ("visit": a locative verb and a motion word).
    "function_words.tsv": ["word", "class"],
    "place_words.tsv": ["word", "class"],
    "entity_words.tsv": ["word", "class"],
    "event_modality.tsv": ["word", "where"],
    "event_patterns_extra.tsv": ["block", "object", "prep", "prep_object", "cameo"],
    "event_words.tsv": ["word", "class"],
    "time_cues.tsv": ["word", "class"],
}
ok = True


def fail(msg):
    global ok
    ok = False
    print("ERROR", msg)


for name, header in EXPECTED.items():
    path = where(name)
    lines = path.read_text(encoding="utf-8").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    i = 0
    while i < len(lines) and lines[i].startswith("#"):
        i += 1
    if lines[i].split("\t") != header:
        fail(f"{name}: bad header {lines[i]!r}")
    rows = []
    for n, line in enumerate(lines[i + 1:], start=i + 2):
        if line.startswith("#"):
            fail(f"{name}:{n}: comment after header")
            continue
        cells = line.split("\t")
        if len(cells) != len(header):
            fail(f"{name}:{n}: {len(cells)} columns, expected {len(header)}")
            continue
        if not cells[0]:
            fail(f"{name}:{n}: empty key")
        if any(c != c.strip() for c in cells):
            fail(f"{name}:{n}: stray whitespace")
        if any("||" in c or c.startswith("|") or c.endswith("|") for c in cells):
            fail(f"{name}:{n}: empty alternative")
        rows.append(dict(zip(header, cells)))
    for (fname, col), allowed in ALLOWED.items():
        if fname == name:
            bad = {r[col] for r in rows} - allowed
            if bad:
                fail(f"{name}: column {col} has unexpected values {sorted(bad)}")
    keys = collections.Counter("\t".join(r[c] for c in KEYS.get(name, header[:1])) for r in rows)
    dups = sorted(k for k, c in keys.items() if c > 1)
    if dups:
        fail(f"{name}: duplicate keys {dups}")
    print(f"{name}: {len(rows)} rows")

# Cross-file check on event patterns: every &name they use must be a row of event_synsets.tsv.
def data_rows(name):
    lines = [l for l in where(name).read_text(encoding="utf-8").splitlines() if l and not l.startswith("#")]
    return [dict(zip(lines[0].split("\t"), l.split("\t"))) for l in lines[1:]]


synsets = {r["synset"] for r in data_rows("event_synsets.tsv")}
used = collections.Counter(tok for r in data_rows("event_patterns.tsv")
                           for cell in (r.get("object", ""), r.get("prep_object", ""))
                           for tok in cell.split() if tok.startswith("&"))
for ref in sorted(used):
    if ref[1:] not in synsets:
        fail(f"event_patterns.tsv: {ref} used {used[ref]} times but not defined in event_synsets.tsv")
unused = sorted(synsets - {ref[1:] for ref in used})
if unused:
    print("event_synsets.tsv: sets no pattern uses:", unused)

# Cross-file checks on countries: every surface form should name one country only.
rows = [dict(zip(EXPECTED["countries.tsv"], l.split("\t")))
        for l in (KDIR / "countries.tsv").read_text(encoding="utf-8").splitlines()
        if l and not l.startswith("#")][1:]
forms = collections.defaultdict(set)
for r in rows:
    float(r["lat"]), float(r["lon"]), int(r["geonameid"])
    if not (-90 <= float(r["lat"]) <= 90 and -180 <= float(r["lon"]) <= 180):
        fail(f"countries.tsv: {r['iso3']} coordinates out of range")
    for col in ("name", "aliases"):
        for f in filter(None, r[col].split("|")):
            forms[f.casefold()].add(r["iso3"])
dem = collections.defaultdict(set)
for r in rows:
    for f in filter(None, r["demonyms"].split("|")):
        dem[f.casefold()].add(r["iso3"])
for f, isos in sorted(forms.items()):
    if len(isos) > 1:
        fail(f"countries.tsv: name/alias {f!r} used by {sorted(isos)}")
shared = {f: sorted(i) for f, i in dem.items() if len(i) > 1}
print("countries.tsv: demonyms shared by more than one row (by design):", shared)
missing = [r["iso3"] for r in rows if not r["demonyms"]]
print("countries.tsv: rows without demonyms:", missing)
sys.exit(0 if ok else 1)
