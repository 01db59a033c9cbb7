#!/usr/bin/env python3
"""Build the event-coding knowledge files from CAMEO 2.0 and the CAMEO->PLOVER table.

Inputs (read-only; the shared folder is the repository's sibling ``shared``, or $NEWSGRAPH_SHARED):
  reference/plover/CAMEO2PLOVER-2021.txt   CAMEO code -> PLOVER type, mode, context (CC BY-SA 4.0)
  reference/plover/plover_spec_extract.json   PLOVER types, their modes and the contexts
  reference/petrarch2/CAMEO.2.0.txt        the CAMEO verb dictionary of petrarch2 (MIT)
  scripts/knowledge_data/event_nouns.tsv   event nouns written for newsgraph

Outputs, in src/newsgraph/stages/events/data/: cameo_plover.tsv, event_verbs.tsv, event_patterns.tsv,
event_synsets.tsv and event_nouns.tsv. Only facts (codes, words, mappings) are carried over; the code labels are our own.
Output is sorted, so a rerun on the same inputs gives identical files.
Run with the project venv:  .venv/bin/python scripts/build_event_knowledge.py
"""
from __future__ import annotations

import collections
import itertools
import json
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("NEWSGRAPH_SHARED") or ROOT.parent / "shared")
REF = SHARED / "reference"
TABLE = REF / "plover" / "CAMEO2PLOVER-2021.txt"
SPEC = REF / "plover" / "plover_spec_extract.json"
VERBS = REF / "petrarch2" / "CAMEO.2.0.txt"
NOUNS_IN = ROOT / "scripts" / "knowledge_data" / "event_nouns.tsv"
OUT = ROOT / "src" / "newsgraph" / "stages" / "events" / "data"   # the events stage owns its lexicons
SCRIPT = "scripts/build_event_knowledge.py"

# Fixes to slips in CAMEO2PLOVER-2021.txt: code -> (type, mode). The PLOVER manual codes
# international sanctions as SANCTION `discontinue`; the table files 163 under COERCE. 192 (occupy
# territory) sits in CAMEO's FIGHT root (19, use of military force); the table files it under
# COERCE/seize, a mode the manual defines as searches, confiscation and raids, so it goes back to
# ASSAULT, the PLOVER type of CAMEO 19.
CORRECTIONS = {"163": ("SANCTION", "discontinue"), "192": ("ASSAULT", "")}

# Short labels for every CAMEO code in the table, plus the 01 and 02 codes that PLOVER drops.
LABELS_TEXT = """
01 public statement (cue category)
010 make a statement
011 decline to comment
012 voice pessimism
013 voice optimism
014 weigh a policy option
015 claim or admit responsibility
016 deny responsibility
017 make a symbolic gesture
018 voice sympathy
019 voice agreement
02 appeal (cue category)
020 make an appeal
021 appeal for material cooperation
0211 appeal for economic cooperation
0212 appeal for military cooperation
0213 appeal for judicial cooperation
0214 appeal for intelligence cooperation
022 appeal for diplomatic cooperation
023 appeal for aid
0231 appeal for economic aid
0232 appeal for military aid
0233 appeal for humanitarian aid
0234 appeal for protection or peacekeepers
024 appeal for political reform
0241 appeal for a leadership change
0242 appeal for a policy change
0243 appeal for rights
0244 appeal for institutional or regime change
025 appeal to give ground
0251 appeal to ease administrative sanctions
0252 appeal to ease a crackdown on dissent
0253 appeal to free people or return property
0254 appeal to ease economic sanctions
0255 appeal to let in international actors
0256 appeal to de-escalate militarily
026 appeal for a meeting or talks
027 appeal to settle a dispute
028 appeal for mediation
03 intent to cooperate (cue category)
030 signal willingness to cooperate
031 pledge material cooperation
0311 pledge economic cooperation
0312 pledge military cooperation
0313 pledge judicial cooperation
0314 pledge intelligence sharing
032 pledge diplomatic cooperation
033 pledge material aid
0331 pledge economic aid
0332 pledge military aid
0333 pledge humanitarian aid
0334 pledge protection or peacekeepers
034 pledge political reform
0341 pledge a leadership change
0342 pledge a policy change
0343 pledge to grant rights
0344 pledge institutional or regime change
035 pledge to give ground
0351 pledge to ease administrative sanctions
0352 pledge to ease a crackdown on dissent
0353 pledge to free people or return property
0354 pledge to ease economic sanctions
0355 pledge to let in international actors
0356 pledge to de-escalate militarily
036 offer to meet or negotiate
037 offer to settle a dispute
038 agree to mediation
039 offer to mediate
04 consult (cue category)
040 hold consultations
041 talk by phone
042 travel to meet
043 receive a visitor
044 meet at a neutral venue
045 mediate a dispute
046 negotiate
05 diplomatic cooperation (cue category)
050 cooperate diplomatically
051 praise or back
052 speak up for
053 rally support for
054 recognise diplomatically
055 apologise
056 pardon or forgive a wrong
057 sign an agreement
06 material cooperation (cue category)
060 cooperate materially
061 cooperate on the economy
062 cooperate on defence
063 cooperate on justice
064 share intelligence
07 aid (cue category)
070 give aid
071 give economic aid
072 give military aid
073 give humanitarian aid
074 provide protection or peacekeepers
075 give asylum
08 yield (cue category)
080 give ground
081 relax administrative penalties
0811 relax limits on political freedoms
0812 lift a ban on parties or politicians
0813 lift a curfew
0814 lift emergency rule or martial law
082 ease a crackdown on dissent
083 accept calls for political reform
0831 accept calls for a leadership change
0832 accept calls for a policy change
0833 accept calls for rights
0834 accept calls for institutional change
084 free or hand back
0841 free people
0842 hand back property
085 ease economic sanctions
086 let in international actors
0861 admit peacekeepers
0862 admit inspectors
0863 let humanitarian aid through
087 de-escalate militarily
0871 declare a ceasefire
0872 lift a blockade
0873 demobilise forces
0874 retreat or surrender
09 investigate (cue category)
090 open an investigation
091 investigate crime or corruption
092 investigate rights abuses
093 investigate military conduct
094 investigate alleged war crimes
10 demand (cue category)
100 make a demand
101 insist on material cooperation
1011 insist on economic cooperation
1012 insist on military cooperation
1013 insist on judicial cooperation
1014 insist on intelligence cooperation
102 insist on diplomatic cooperation
103 insist on aid
1031 insist on economic aid
1032 insist on military aid
1033 insist on humanitarian aid
1034 insist on protection or peacekeepers
104 insist on political reform
1041 insist on a leadership change
1042 insist on a policy change
1043 insist on rights
1044 insist on institutional or regime change
105 demand that the other side give ground
1051 demand easing of administrative sanctions
1052 demand easing of a crackdown on dissent
1053 demand freeing of people or property
1054 demand easing of economic sanctions
1055 demand access for international actors
1056 demand military de-escalation
106 demand a meeting or talks
107 demand a settlement
108 insist on mediation
11 disapprove (cue category)
110 express disapproval
111 criticise or condemn
112 level an accusation
1121 allege crime or corruption
1122 allege rights abuses
1123 allege aggression
1124 allege war crimes
1125 allege spying or treason
113 mobilise opposition to
114 lodge a formal complaint
115 sue
116 find legally guilty or liable
12 reject (cue category)
120 turn down or refuse
121 refuse material cooperation
1211 refuse economic cooperation
1212 refuse military cooperation
1213 refuse judicial cooperation
1214 refuse intelligence cooperation
122 turn down a request for aid
1221 turn down a request for economic aid
1222 turn down a request for military aid
1223 turn down a request for humanitarian aid
1224 turn down a request for protection or peacekeepers
123 reject calls for political reform
1231 reject calls for a leadership change
1232 reject calls for a policy change
1233 reject calls for rights
1234 reject calls for institutional change
124 refuse to give ground
1241 refuse to ease administrative sanctions
1242 refuse to ease a crackdown on dissent
1243 refuse to free people or return property
1244 refuse to ease economic sanctions
1245 refuse access to international actors
1246 refuse to de-escalate militarily
125 reject an offer of talks
126 refuse mediation
127 reject a settlement plan
128 defy rules or law
129 use a veto
13 threaten (cue category)
130 issue a threat
131 threaten non-military measures
1311 threaten to cut aid
1312 threaten sanctions, boycott or embargo
1313 threaten to downgrade or cut ties
132 threaten administrative sanctions
1321 threaten curbs on free expression
1322 threaten to ban parties or politicians
1323 threaten a curfew
1324 threaten emergency rule or martial law
133 threaten protest or dissent
134 threaten to break off talks
135 threaten to end mediation
136 threaten to expel or pull out foreign missions
137 threaten a violent crackdown
138 threaten military force
1381 threaten a blockade
1382 threaten to occupy territory
1383 threaten irregular violence
1384 threaten a conventional attack
1385 threaten weapons of mass destruction
139 issue an ultimatum
14 protest (cue category)
140 engage in dissent
141 demonstrate or hold a rally
1411 demonstrate for a leadership change
1412 demonstrate for a policy change
1413 rally for rights
1414 demonstrate for institutional change
142 go on hunger strike
1421 hunger strike for a leadership change
1422 hunger strike for a policy change
1423 hunger strike for rights
1424 hunger strike for institutional change
143 strike or boycott
1431 strike or boycott for a leadership change
1432 strike or boycott for a policy change
1433 strike or boycott for rights
1434 strike or boycott for institutional change
144 block roads or access
1441 block access for a leadership change
1442 block access for a policy change
1443 block access for rights
1444 block access for institutional change
145 riot or protest violently
1451 riot for a leadership change
1452 riot for a policy change
1453 riot for rights
1454 riot for institutional change
15 force posture (cue category)
150 show military or police strength
151 raise police alert level
152 raise military alert level
153 mobilise or reinforce police
154 mobilise or reinforce armed forces
16 reduce relations (cue category)
160 downgrade relations
161 cut or downgrade diplomatic ties
162 cut or stop aid
1621 cut economic aid
1622 cut military aid
1623 cut humanitarian aid
163 impose sanctions, embargo or boycott
164 break off talks
165 end mediation
166 expel or pull out
1661 expel or pull out peacekeepers
1662 expel or pull out inspectors or observers
1663 expel or pull out aid agencies
17 coerce (cue category)
170 use coercion short of violence
171 take or damage property
1711 impound property
1712 wreck property
172 apply administrative penalties
1721 curb free expression
1722 ban parties or politicians
1723 impose a curfew
1724 impose emergency rule or martial law
173 arrest, detain or charge
174 deport or expel individuals
175 repress by force
191 blockade or restrict movement
192 take and hold territory
18 assault (cue category)
180 use irregular violence
181 abduct or hijack
182 physically attack
1821 commit sexual violence
1822 torture a person
1823 kill in a physical attack
183 non-military bombing
1831 suicide bombing
1832 car bombing
1833 roadside bombing
184 use human shields
185 attempt an assassination
186 carry out an assassination
201 mass expulsion
19 fight (cue category)
190 use regular military force
193 fight with small arms
194 fight with artillery or tanks
195 use air power
196 break a ceasefire
20 mass violence (cue category)
200 use mass violence
202 mass killing
203 ethnic cleansing
204 use mass-destruction weapons
2041 use chemical, biological or radiological arms
2042 set off a nuclear weapon
"""

NEGATION = {"NO", "NOT", "NEVER", "NOR", "NONE"}
# English prepositions and verb particles; a parenthesised group led by anything else is a slip.
PREPOSITIONS = set("""about above across after against along amid amidst among around as aside at
before behind below beneath beside besides between beyond by down during except for from in inside
into near of off on onto out outside over past per since through throughout to toward towards under
until unto up upon via with within without""".split())
SPECIAL = set("$+^%!~|<>=")
TOKEN = re.compile(r"\{[^{}]*\}|\([^()]*\)|[^\s(){}]+")
BLOCK = re.compile(r"^---\s+(\S+)\s+\[([^\]]*)\]")
VERB_LINE = re.compile(r"^(?P<verb>[^\s{\[]+)\s*(?:\{(?P<forms>[^}]*)\})?\s*(?:\[(?P<code>[^\]]*)\])?$")
PATTERN_CODE = re.compile(r"\[([^\]]*)\]\s*$")


# ----------------------------------------------------------------- helpers

def labels() -> dict[str, str]:
    """Code -> our short label, from LABELS_TEXT."""
    out = {}
    for line in LABELS_TEXT.strip().splitlines():
        code, label = line.split(" ", 1)
        if code in out:
            sys.exit(f"label for {code} given twice")
        out[code] = label.strip()
    return out


def plain(text: str) -> str:
    """Lower-case letters and digits only, for comparing a label with the source comment."""
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def word(token: str) -> str:
    """A dictionary word as text: lower case, underscores as spaces, no '+' verb marker."""
    return re.sub(r"\s+", " ", token.replace("+", "").replace("_", " ")).strip().lower()


def code_kind(raw: str) -> str:
    """Classify a dictionary code: 'ok' (the actor's own event), 'null' (---), 'reversed'
    (':110', an event only of the other party) or 'bad' (anything else, e.g. '080!')."""
    raw = raw.strip()
    if raw in ("", "---") or raw.startswith("---"):
        return "null"
    if re.fullmatch(r"\d+(:\d*)?", raw):
        return "ok"
    if re.fullmatch(r":\d+", raw):
        return "reversed"
    return "bad"


def own_code(raw: str) -> str:
    """The code of the actor's own event: '042' from '042:043', '110' from '110'."""
    return raw.strip().split(":")[0]


def lookup(code: str, table: dict[str, dict]) -> dict | None:
    """Table row of the longest prefix of code present in the table (0311, else 031, else 03)."""
    for n in range(len(code), 1, -1):
        if code[:n] in table:
            return table[code[:n]]
    return None


def write_tsv(name: str, header: list[str], rows: list[list[str]], comments: list[str]) -> None:
    """Write one knowledge file: '#' comments, the header, then tab-separated rows."""
    with open(OUT / name, "w", encoding="utf-8", newline="\n") as fh:
        for c in comments:
            fh.write(f"# {c}\n")
        fh.write("\t".join(header) + "\n")
        for r in rows:
            if any("\t" in c or "\n" in c or c != c.strip() for c in r) or len(r) != len(header):
                sys.exit(f"{name}: bad row {r!r}")
            fh.write("\t".join(r) + "\n")
    print(f"{name}: {len(rows)} rows")


# ----------------------------------------------------------------- CAMEO -> PLOVER

def load_spec() -> dict:
    """PLOVER types -> allowed modes, plus the list of contexts."""
    spec = json.loads(SPEC.read_text(encoding="utf-8"))
    return {"modes": {t: set(v["modes"]) for t, v in spec["events"].items()},
            "contexts": set(spec["contexts"])}


def read_table() -> tuple[list[dict], list[str]]:
    """Rows of CAMEO2PLOVER-2021.txt in file order, and notes on repeated codes."""
    rows, notes, seen = [], [], {}
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        if line.startswith("~~~"):
            break
        m = re.match(r"^(\d+):\s*([^#]*?)\s*(?:#\s*(.*))?$", line)
        if not m:
            continue
        code, body, comment = m.group(1), m.group(2), (m.group(3) or "").strip()
        parts = [p.strip() for p in body.split(",")] + ["", ""]
        contexts = [c.strip() for c in parts[2].split(";") if c.strip()]
        row = {"cameo": code, "type": parts[0], "mode": parts[1], "contexts": contexts, "comment": comment}
        if code in seen:
            old = seen[code]
            same = (old["type"], old["mode"], old["contexts"]) == (row["type"], row["mode"], row["contexts"])
            notes.append(f"{code} is listed twice ({old['type']}, then {row['type']}); the first is kept"
                         if not same else f"{code} is listed twice with the same mapping")
            continue
        seen[code] = row
        rows.append(row)
    return rows, notes


def build_cameo_plover(spec: dict) -> dict[str, dict]:
    """Write cameo_plover.tsv; return code -> {type, mode, context} for the other builders."""
    table, notes = read_table()
    names = labels()
    missing = [r["cameo"] for r in table if r["cameo"] not in names]
    copied = [r["cameo"] for r in table if plain(names.get(r["cameo"], "")) == plain(r["comment"])]
    if missing or copied:
        sys.exit(f"labels missing for {missing}; labels repeating the source comment for {copied}")
    out, odd_modes, odd_contexts = {}, [], []
    for row in table:
        code = row["cameo"]
        if code in CORRECTIONS:
            row["type"], row["mode"] = CORRECTIONS[code]
        if row["type"] not in spec["modes"]:
            sys.exit(f"{code}: unknown PLOVER type {row['type']!r}")
        if row["mode"] and row["mode"] not in spec["modes"][row["type"]]:
            odd_modes.append(f"{code} {row['type']}/{row['mode']}")
        context = row["contexts"][0] if row["contexts"] else ""
        if context and context not in spec["contexts"]:
            odd_contexts.append(f"{code} {context}")
        out[code] = {"type": row["type"], "mode": row["mode"], "context": context, "label": names[code]}
    for code in sorted(set(names) - set(out)):
        if not code.startswith(("01", "02")):
            sys.exit(f"label for {code}, which the table does not list")
        out[code] = {"type": "", "mode": "", "context": "", "label": names[code]}
    for note in notes:
        print("note:", note)
    print("note: modes outside the PLOVER spec, kept as given:", ", ".join(odd_modes))
    print("note: contexts outside the PLOVER spec, kept as given:", ", ".join(odd_contexts))
    comments = [
        f"CAMEO code -> PLOVER type, mode, first context. Derived from CAMEO2PLOVER-2021.txt "
        f"(openeventdata/PLOVER, CC BY-SA 4.0) by {SCRIPT}; labels written for newsgraph.",
        "Correction: 163 (sanctions, embargo, boycott) is SANCTION/discontinue; the table has "
        "COERCE/restrict, but the PLOVER manual codes international sanctions as SANCTION discontinue.",
        "Correction: 192 (occupy territory) is ASSAULT, the type of its CAMEO root 19 (use of military force); "
        "the table has COERCE/seize, but the manual defines seize as search, confiscation and raids.",
        "08 heads two table sections (CONCEDE, then RETREAT): the 08 row keeps CONCEDE, the 3- and 4-digit "
        "rows carry the split. 175 is listed twice with one mapping.",
        "01 and 02 (statements, appeals) are dropped by PLOVER; their rows have an empty type.",
        "Modes outside the PLOVER spec are kept as the table gives them: " + ", ".join(odd_modes) + ".",
        "Contexts outside the PLOVER spec, kept likewise: " + ", ".join(odd_contexts) + ".",
    ]
    rows = [[c, v["type"], v["mode"], v["context"], v["label"]] for c, v in sorted(out.items())]
    write_tsv("cameo_plover.tsv", ["cameo", "type", "mode", "context", "label"], rows, comments)
    return out


# ----------------------------------------------------------------- CAMEO verb dictionary

def dictionary_sections() -> tuple[list[str], list[str]]:
    """The synonym-set lines and the verb-pattern lines of CAMEO.2.0.txt."""
    lines = VERBS.read_text(encoding="utf-8").splitlines()
    marks = [i for i, line in enumerate(lines) if line.startswith("#####")]
    start_syn = next(i for i in marks if "SYNONYM SETS" in lines[i])
    start_verbs = next(i for i in marks if "VERB PATTERNS" in lines[i])
    end_verbs = next((i for i in marks if i > start_verbs), len(lines))
    return lines[start_syn + 1:start_verbs], lines[start_verbs + 1:end_verbs]


def read_synsets(lines: list[str]) -> dict[str, list[str]]:
    """&NAME -> members as written: phrases (lower case, spaces; the trailing '_' that only stops
    pluralising is dropped), or '&NAME' where a member is itself a synonym set."""
    sets: dict[str, list[str]] = {}
    name = None
    for line in lines:
        line = line.split("#")[0].strip()
        if line.startswith("&"):
            name = line
            if name in sets:
                sys.exit(f"synonym set {name} defined twice")
            sets[name] = []
        elif line.startswith("+") and name:
            raw = line[1:].strip()
            member = raw if raw.startswith("&") else word(raw.rstrip("_"))
            if member and member not in sets[name]:
                sets[name].append(member)
    return sets


def synset_name(token: str) -> str:
    """The name a synonym-set reference is written with in the knowledge files: '&WEAPON' -> 'weapon'."""
    return token[1:].lower()


def synset_members(token: str, synsets: dict[str, list[str]], seen: frozenset = frozenset()) -> list[str] | None:
    """Sorted phrases of a &SYNSET, with member sets expanded; None if undefined, empty or circular."""
    if token not in synsets or token in seen:
        return None
    out = set()
    for member in synsets[token]:
        if member.startswith("&"):
            inner = synset_members(member, synsets, seen | {token})
            if inner is None:
                return None
            out.update(inner)
        else:
            out.add(member)
    return sorted(out) or None


def parse_verb(line: str) -> tuple[str, list[str], str | None]:
    """(lemma, irregular forms, own code or None) of one verb line of a block."""
    m = VERB_LINE.match(line.replace(",", " ").strip())
    if not m:
        sys.exit(f"cannot read verb line {line!r}")
    lemma = word(m.group("verb"))
    forms = []
    for f in (m.group("forms") or "").split():
        f = word(f)
        if f and f != lemma and f not in forms:
            forms.append(f)
    return lemma, forms, m.group("code")


def read_blocks(lines: list[str]) -> list[dict]:
    """Verb blocks in file order: name, default code, verbs and raw pattern lines."""
    blocks = []
    for line in lines:
        m = BLOCK.match(line)
        if m:
            blocks.append({"name": m.group(1), "code": m.group(2), "verbs": [], "patterns": []})
            continue
        text = re.split(r"[#;]", line)[0].strip()
        if not text or not blocks:
            continue
        if text.startswith("-"):
            blocks[-1]["patterns"].append(text[1:].strip())
        else:
            blocks[-1]["verbs"].append(parse_verb(text))
    return blocks


def plover_cells(code: str, table: dict[str, dict]) -> list[str]:
    """[type, mode] of a CAMEO code by longest-prefix lookup ('' when uncoded)."""
    hit = lookup(code, table)
    return [hit["type"], hit["mode"]] if hit else ["", ""]


def build_event_verbs(blocks: list[dict], table: dict[str, dict]) -> None:
    """Write event_verbs.tsv: one row per (lemma, code) for verbs that code an event on their own, and
    one row with an empty code per (lemma, block) for verbs that code one only through their block's
    patterns ("halt" in CANCEL: "halted talks", "halted aid")."""
    rows: dict[tuple[str, str], dict] = {}
    skipped = collections.Counter()
    for block in blocks:
        for lemma, forms, code in block["verbs"]:
            raw = code if code is not None else block["code"]
            kind = code_kind(raw)
            if kind != "ok":
                skipped[kind] += 1
                key = (lemma, "")
                if key in rows and rows[key]["block"] != block["name"]:
                    key = (lemma, "~" + block["name"])      # a second pattern-only block of the lemma
                if key not in rows:
                    rows[key] = {"forms": list(forms), "block": block["name"]}
                continue
            key = (lemma, own_code(raw))
            if key in rows:
                rows[key]["forms"] += [f for f in forms if f not in rows[key]["forms"]]
            else:
                rows[key] = {"forms": list(forms), "block": block["name"]}
    print("event_verbs: verbs without an event of their own, by code kind:", dict(sorted(skipped.items())))
    body = [[lemma, "|".join(v["forms"]), "" if code.startswith("~") else code,
             *(plover_cells(code, table) if code and not code.startswith("~") else ["", ""]), v["block"]]
            for (lemma, code), v in sorted(rows.items())]
    comments = [f"Verb lemmas of the CAMEO verb dictionary CAMEO.2.0.txt (openeventdata/petrarch2, MIT) with "
                f"their CAMEO code and the PLOVER type/mode from cameo_plover.tsv; built by {SCRIPT}."]
    write_tsv("event_verbs.tsv", ["lemma", "forms", "cameo", "type", "mode", "block"], body, comments)


# ----------------------------------------------------------------- patterns

def expand(token: str, synsets: dict[str, list[str]], refs: bool = True) -> list[str] | None:
    """The phrases one pattern element stands for: a word (A/B gives both), a &SYNSET (kept as the
    reference '&name' when refs, else its members), or a {noun phrase} as one phrase, with A/B
    alternatives inside multiplied out. None if not simple."""
    if token.startswith("{"):
        parts = token[1:-1].split()
        if not parts:
            return None
        options = [expand(p, synsets, refs) for p in parts]
        if any(o is None for o in options):
            return None
        return [" ".join(combo) for combo in itertools.product(*options)]
    if token.startswith("&"):
        members = synset_members(token, synsets)
        if members is None:
            return None
        return ["&" + synset_name(token)] if refs else members
    if token.startswith("(") or set(token) & SPECIAL or token.upper() in NEGATION:
        return None
    return [word(alt) for alt in token.split("/") if alt]


def parse_pattern(text: str, synsets: dict[str, list[str]]) -> tuple[str, list[tuple[str, str, str]], str]:
    """Read one pattern ('* OBJECT (PREP OBJECT) [code]'; either part optional, and the
    preposition may stand alone): (status, [(object, prep, prep_object)], code).
    status is 'ok', 'null', 'reversed', 'bad-code', 'pre-verb' or 'complex'."""
    m = PATTERN_CODE.search(text)
    if not m:
        return "bad-code", [], ""
    kind = code_kind(m.group(1))
    if kind != "ok":
        return {"null": "null", "reversed": "reversed"}.get(kind, "bad-code"), [], ""
    body = text[:m.start()].strip()
    if not body.startswith("*"):
        return "pre-verb", [], ""
    rest = body[1:].strip()
    tokens = TOKEN.findall(rest)
    if re.sub(r"\s+", "", "".join(tokens)) != re.sub(r"\s+", "", rest) or not tokens or len(tokens) > 2:
        return "complex", [], ""
    if any(t.upper() in NEGATION for t in re.findall(r"[^\s(){}/]+", rest)):
        return "complex", [], ""
    objects, preps = [""], [("", "")]
    if not tokens[0].startswith("("):
        objects = expand(tokens.pop(0), synsets)
    if tokens:
        if not tokens[0].startswith("(") or len(tokens) > 1:
            return "complex", [], ""
        inner = TOKEN.findall(tokens[0][1:-1])
        if not 1 <= len(inner) <= 2 or inner[0].startswith(("{", "(")):
            return "complex", [], ""
        heads = expand(inner[0], synsets, refs=False)
        nouns = expand(inner[1], synsets) if len(inner) == 2 else [""]
        if heads is None or nouns is None or not set(heads) <= PREPOSITIONS:
            return "complex", [], ""
        preps = [(h, n) for h in heads for n in nouns]
    if objects is None:
        return "complex", [], ""
    return "ok", [(o, p, n) for o in objects for p, n in preps], own_code(m.group(1))


def build_event_patterns(blocks: list[dict], synsets: dict[str, list[str]], table: dict[str, dict]) -> None:
    """Write event_patterns.tsv (simple verb + object / prepositional patterns, one row per pattern
    of a verb block, keyed by the block name) and event_synsets.tsv (the synonym sets they use)."""
    rows, status = set(), collections.Counter()
    for block in blocks:
        for text in block["patterns"]:
            state, slots, code = parse_pattern(text, synsets)
            status[state] += 1
            if state != "ok":
                continue
            for obj, prep, pobj in slots:
                rows.add((block["name"], obj, prep, pobj, code, *plover_cells(code, table)))
    total = sum(status.values())
    print(f"event_patterns: {total} pattern lines, kept {status['ok']}, dropped {total - status['ok']}:",
          dict(sorted(status.items())))
    comments = [f"Simple verb patterns of CAMEO.2.0.txt (openeventdata/petrarch2, MIT): verb + object and/or "
                f"one prepositional phrase -> CAMEO code and PLOVER type/mode; built by {SCRIPT}.",
                "One row per pattern of a verb block; block is the block column of event_verbs.tsv. "
                "&name in object or prep_object stands for any member of that set in event_synsets.tsv."]
    write_tsv("event_patterns.tsv", ["block", "object", "prep", "prep_object", "cameo", "type", "mode"],
              [list(r) for r in sorted(rows)], comments)
    used = {tok for r in rows for cell in (r[1], r[3]) for tok in cell.split() if tok.startswith("&")}
    by_name = {"&" + synset_name(token): token for token in synsets}
    if len(by_name) != len(synsets):
        sys.exit("two synonym sets differ only in case")
    body = [[ref[1:], "|".join(synset_members(by_name[ref], synsets))] for ref in sorted(used)]
    comments = [f"Synonym sets of CAMEO.2.0.txt (openeventdata/petrarch2, MIT) used by event_patterns.tsv "
                f"(written there as &synset); members lower case, sets inside sets expanded; built by {SCRIPT}."]
    write_tsv("event_synsets.tsv", ["synset", "members"], body, comments)


# ----------------------------------------------------------------- nouns

def build_event_nouns(spec: dict, table: dict[str, dict]) -> None:
    """Check the hand-written event nouns against the spec and the table, and copy them sorted."""
    header = ["lemma", "type", "mode", "cameo"]
    lines = [ln for ln in NOUNS_IN.read_text(encoding="utf-8").splitlines() if ln.strip() and not ln.startswith("#")]
    if lines[0].split("\t") != header:
        sys.exit(f"{NOUNS_IN}: header must be {header}")
    rows = {}
    for line in lines[1:]:
        cells = [c.strip() for c in line.split("\t")]
        if len(cells) != 4:
            sys.exit(f"{NOUNS_IN}: expected 4 columns: {line!r}")
        lemma, typ, mode, code = cells
        if lemma != lemma.lower() or lemma in rows:
            sys.exit(f"{NOUNS_IN}: lemma {lemma!r} not lower case or repeated")
        if typ not in spec["modes"] or (mode and mode not in spec["modes"][typ]):
            sys.exit(f"{NOUNS_IN}: {lemma}: {typ}/{mode} is not a PLOVER type/mode")
        if code not in table:
            sys.exit(f"{NOUNS_IN}: {lemma}: CAMEO {code} not in cameo_plover.tsv")
        if table[code]["type"] != typ:
            print(f"note: event noun {lemma!r} is {typ} while CAMEO {code} maps to {table[code]['type'] or 'nothing'}")
        rows[lemma] = cells
    comments = ["Event nouns written for newsgraph (scripts/knowledge_data/event_nouns.tsv), checked against the "
                f"PLOVER spec and cameo_plover.tsv and copied by {SCRIPT}."]
    write_tsv("event_nouns.tsv", header, [rows[k] for k in sorted(rows)], comments)


def main() -> None:
    for path in (TABLE, SPEC, VERBS, NOUNS_IN):
        if not path.is_file():
            sys.exit(f"missing input {path} (set NEWSGRAPH_SHARED to the shared folder)")
    spec = load_spec()
    table = build_cameo_plover(spec)
    syn_lines, verb_lines = dictionary_sections()
    synsets = read_synsets(syn_lines)
    blocks = read_blocks(verb_lines)
    print(f"CAMEO.2.0.txt: {len(blocks)} verb blocks, {sum(len(b['verbs']) for b in blocks)} verb lines, "
          f"{len(synsets)} synonym sets")
    build_event_verbs(blocks, table)
    build_event_patterns(blocks, synsets, table)
    build_event_nouns(spec, table)


if __name__ == "__main__":
    main()
