#!/usr/bin/env python3
"""Build src/newsgraph/knowledge/actors.tsv: named people and organisations with a
country (ISO 3166 alpha-3) and a CAMEO/Phoenix sector code.

Inputs:
  * the Phoenix actor dictionaries from petrarch2 (MIT, Open Event Data Alliance):
    Phoenix.Countries.actors.txt, Phoenix.International.actors.txt and
    Phoenix.MilNonState.actors.txt, in <shared>/reference/petrarch2/ where <shared>
    is $NEWSGRAPH_SHARED or the "shared" folder next to the repository;
  * scripts/knowledge_data/actors_update.tsv, written for newsgraph, which brings
    leaders and other prominent actors up to date. A person in both gets the
    update's role (the update wins); the aliases are merged.

The Phoenix format (see dictionaries.rst there): a primary phrase line
(``VLADIMIR_PUTIN_``, optionally with ``[CODE]``), ``+SYNONYM_`` lines, and
tab-indented ``[CODE YYMMDD-YYMMDD]`` / ``[CODE >date]`` / ``[CODE <date]`` /
``[CODE]`` restriction lines. As in PETRARCH, primary lines that come before any
code share the codes that follow them. A code is country (or international
prefix IGO/NGO/MNC/IMG, or a region) + role (+ sub-role), e.g. RUSGOV, IGOUNO.

Output rows: name, aliases, country, sector, since, until, kind. The role kept is
the latest one: a dated role that is open or ends last (consecutive spans of the
same country+sector are joined, so ``since`` is the start of the run); a plain
default code is used only when the entry has no dated role.

Standard library only, deterministic. Usage:
  .venv/bin/python scripts/build_actors.py [--report]
"""
from __future__ import annotations

import collections
import datetime as dt
import os
import re
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("NEWSGRAPH_SHARED") or ROOT.parent / "shared")
PETRARCH = SHARED / "reference" / "petrarch2"
UPDATE = ROOT / "scripts" / "knowledge_data" / "actors_update.tsv"
OUT = ROOT / "src" / "newsgraph" / "knowledge" / "actors.tsv"
HEADER = ["name", "aliases", "country", "sector", "since", "until", "kind"]
FILES = ["Phoenix.Countries.actors.txt", "Phoenix.International.actors.txt",
         "Phoenix.MilNonState.actors.txt"]
KEEP_PEOPLE_FROM = dt.date(2000, 1, 1)

# ---------------------------------------------------------------- codes

# ISO 3166-1 alpha-3 (plus XKX for Kosovo and the two historical rows that the
# project's countries.tsv carries, ANT and SCG).
ISO3 = set("""
ABW AFG AGO AIA ALA ALB AND ANT ARE ARG ARM ASM ATA ATF ATG AUS AUT AZE BDI BEL BEN
BES BFA BGD BGR BHR BHS BIH BLM BLR BLZ BMU BOL BRA BRB BRN BTN BVT BWA CAF CAN CCK
CHE CHL CHN CIV CMR COD COG COK COL COM CPV CRI CUB CUW CXR CYM CYP CZE DEU DJI DMA
DNK DOM DZA ECU EGY ERI ESH ESP EST ETH FIN FJI FLK FRA FRO FSM GAB GBR GEO GGY GHA
GIB GIN GLP GMB GNB GNQ GRC GRD GRL GTM GUF GUM GUY HKG HMD HND HRV HTI HUN IDN IMN
IND IOT IRL IRN IRQ ISL ISR ITA JAM JEY JOR JPN KAZ KEN KGZ KHM KIR KNA KOR KWT LAO
LBN LBR LBY LCA LIE LKA LSO LTU LUX LVA MAC MAF MAR MCO MDA MDG MDV MEX MHL MKD MLI
MLT MMR MNE MNG MNP MOZ MRT MSR MTQ MUS MWI MYS MYT NAM NCL NER NFK NGA NIC NIU NLD
NOR NPL NRU NZL OMN PAK PAN PCN PER PHL PLW PNG POL PRI PRK PRT PRY PSE PYF QAT REU
ROU RUS RWA SAU SCG SDN SEN SGP SGS SHN SJM SLB SLE SLV SMR SOM SPM SRB SSD STP SUR
SVK SVN SWE SWZ SXM SYC SYR TCA TCD TGO THA TJK TKL TKM TLS TON TTO TUN TUR TUV TWN
TZA UGA UKR UMI URY USA UZB VAT VCT VEN VGB VIR VNM VUT WLF WSM XKX YEM ZAF ZMB ZWE
""".split())
# Phoenix country codes that are not ISO alpha-3. Historical states go to the
# successor state news now names (the Soviet Union to Russia, East Germany to
# Germany, Yugoslavia to Serbia); KNT is the fictional test country "Kinakuta".
COUNTRY_FIX = {
    "KSV": "XKX", "TMP": "TLS", "ROM": "ROU", "FRN": "FRA", "IMY": "IMN",
    "SUN": "RUS", "USR": "RUS", "DDR": "DEU", "CSK": "CZE", "YUG": "SRB",
    "FRY": "SRB", "SRP": "BIH", "KRJ": "HRV", "KNT": None,
}
# International prefixes -> sector. MNC (multinational corporation) is written
# BUS and IMG (international militarised group) REB, as in organizations.tsv.
INTL = {"IGO": "IGO", "NGO": "NGO", "MNC": "BUS", "IMG": "REB"}
ROLES = set("""GOV MIL REB OPP PTY COP JUD SPY MED EDU BUS CRM CVL HLH REF HRI LAB
AGR ENV DEV UAF LEG ELI RAD MOD SET""".split())
ROLE_FIX = {"INS": "REB"}  # insurgents: one Phoenix entry
RELIGION = set("REL CHR MUS MOS JEW BUD HIN SIK BAH".split())


def decode(code):
    """Phoenix code -> (country or '', sector or '', is_international, raw_country)."""
    code = code.strip().upper()
    chunks = [code[i:i + 3] for i in range(0, len(code), 3)]
    if not chunks or not chunks[0].isalpha():
        return None
    first = chunks[0]
    if first in INTL:
        country = ""
        if first in ("NGO", "MNC") and len(chunks) > 1:
            c = COUNTRY_FIX.get(chunks[1], chunks[1])
            country = c if c in ISO3 else ""
        return "" if first == "IGO" else country, INTL[first], True, first
    country, rest = "", chunks
    c = COUNTRY_FIX.get(first, first)
    if first in COUNTRY_FIX and c is None:
        return None
    if c in ISO3:
        country, rest = c, chunks[1:]
        if rest:  # a territory or constituent state: USAPRI, GBRVGB, SUNRUS, YUGSRB
            t = COUNTRY_FIX.get(rest[0], rest[0])
            if t in ISO3:
                country, rest = t, rest[1:]
    elif first in ROLES or first in RELIGION or first in ROLE_FIX:
        rest = chunks
    else:  # region (EUR, MEA, SAS, WST...) or unknown
        rest = chunks[1:]
    sector = ""
    for ch in rest:
        ch = ROLE_FIX.get(ch, ch)
        if ch in ROLES:
            sector = ch
            break
    if not sector:
        sector = next((ch for ch in rest if ch in RELIGION), "")
    return country, sector, False, first


def parse_date(s):
    """PETRARCH dates: YYMMDD (<= 7 characters; 00-30 -> 20YY) or YYYYMMDD."""
    s = s.strip()
    if not s.isdigit():
        return None
    try:
        if len(s) <= 7:
            if len(s) < 6:
                return None
            yy = int(s[:2])
            return dt.date(2000 + yy if yy <= 30 else 1900 + yy, int(s[2:4]), int(s[4:6]))
        return dt.date(int(s[:4]), int(s[4:6]), int(s[6:8]))
    except ValueError:
        return None


def parse_restriction(text, stats):
    """'RUSGOV 991231-080507' -> (code, start, end, is_default) or None."""
    parts = text.strip().split(None, 1)
    if not parts:
        return None
    code, rest = parts[0], (parts[1].strip() if len(parts) > 1 else "")
    if code.startswith("---"):
        return None
    if not rest:
        return code, None, None, True
    rest = rest.replace(" ", "")
    if rest[0] in "<>":
        d = parse_date(re.sub(r"\D.*", "", rest[1:]))
        if d is None:
            stats["bad date"] += 1
            return None
        return (code, None, d, False) if rest[0] == "<" else (code, d, None, False)
    if "-" in rest:
        a, _, b = rest.partition("-")
        d1, d2 = parse_date(a), parse_date(b)
        if d1 is None or d2 is None or d2 < d1:
            stats["bad date"] += 1
            return None
        return code, d1, d2, False
    stats["bad date"] += 1
    return None


# ---------------------------------------------------------------- words

TITLE_WORDS = set("""
PRESIDENT PRESIDENT-ELECT PRESIDENTIAL VICE VICE-PRESIDENT PRIME MINISTER PM PREMIER
CHANCELLOR FOREIGN DEFENSE DEFENCE INTERIOR FINANCE ECONOMY TRADE SECRETARY
SECRETARY-GENERAL SECRETARY_GENERAL SEC. SEC SECY GEN. GEN GENERAL LT. LT COL. COL
MAJ. ADMIRAL ADM. MARSHAL FIELD COMMANDER COMMANDER-IN-CHIEF CHIEF LEADER CHAIRMAN
CHAIRWOMAN CHAIR KING QUEEN PRINCE PRINCESS CROWN SHEIKH SHAIKH SHEIK EMIR AMIR SULTAN
AYATOLLAH GRAND SUPREME MR MR. MRS MRS. MS MS. DR DR. SIR DAME SENATOR SEN. REP. REP
REPRESENTATIVE CONGRESSMAN CONGRESSWOMAN GOVERNOR GOV. MAYOR AMBASSADOR ENVOY SPEAKER
DEPUTY ACTING FORMER EX EX- INTERIM OPPOSITION COMMUNIST SOVIET PARTY STATE OF THE
US U.S. U.S UN U.N. UNITED NATIONS STATES ATTORNEY JUSTICE JUDGE CARDINAL POPE
ARCHBISHOP BISHOP REV. REVEREND IMAM MULLAH CLERIC SPOKESMAN SPOKESWOMAN SPOKESPERSON
OFFICIAL LATE COLONEL CAPTAIN SERGEANT LIEUTENANT BRIGADIER CANDIDATE NOMINEE
LAWMAKER MP MEP STRONGMAN DICTATOR HEAD EXECUTIVE DIRECTOR DIRECTOR-GENERAL
SECRETARY-GEN SECY-GEN SECY. SEC.GEN. HIGH COMMISSIONER REPUBLICAN DEMOCRAT DEMOCRATIC
SENIOR TOP NEW OUTGOING INCOMING ELECT DESIGNATE AIDE ADVISER ADVISOR ENVOY MILITARY
ARMY REBEL MILITANT JOURNALIST REPORTER EDITOR ANCHOR MOSCOW BEIJING WASHINGTON EU
E.U. NATO AND ASSISTANT UNDERSECRETARY UNDER-SECRETARY UNDER NATIONAL SECURITY
INTELLIGENCE HOMELAND STATE'S KREMLIN LABOUR LABOR CONSERVATIVE LIBERAL TORY
KANZLER KANZLERIN BUNDESKANZLER BUNDESKANZLERIN PRESIDENTE MINISTRE HOJATOLISLAM
HOJJATOLESLAM HOJATOLESLAM SAYYED SAYYID SEYYED MAULANA MAWLANA KPA REFORMER FIRST LADY
LORD BARON BARONESS
""".split())
DEMONYMS = set("""
AFGHAN ALBANIAN ALGERIAN AMERICAN ANGOLAN ARGENTINE ARGENTINIAN ARMENIAN AUSTRALIAN
AUSTRIAN AZERBAIJANI AZERI BAHRAINI BANGLADESHI BELARUSIAN BELGIAN BOLIVIAN BOSNIAN
BRAZILIAN BRITISH BULGARIAN BURMESE BURUNDIAN CAMBODIAN CAMEROONIAN CANADIAN CHADIAN
CHILEAN CHINESE COLOMBIAN CONGOLESE CROATIAN CUBAN CYPRIOT CZECH DANISH DUTCH
ECUADORIAN EGYPTIAN ERITREAN ESTONIAN ETHIOPIAN FINNISH FRENCH GEORGIAN GERMAN
GHANAIAN GREEK GUATEMALAN GUINEAN HAITIAN HONDURAN HUNGARIAN ICELANDIC INDIAN
INDONESIAN IRANIAN IRAQI IRISH ISRAELI ITALIAN IVORIAN JAMAICAN JAPANESE JORDANIAN
KAZAKH KENYAN KOREAN KOSOVAR KUWAITI KYRGYZ LAOTIAN LATVIAN LEBANESE LIBERIAN LIBYAN
LITHUANIAN MACEDONIAN MALAGASY MALAWIAN MALAYSIAN MALIAN MAURITANIAN MEXICAN MOLDOVAN
MONGOLIAN MONTENEGRIN MOROCCAN MOZAMBICAN NAMIBIAN NEPALESE NEPALI NIGERIAN NIGERIEN
NORWEGIAN OMANI PAKISTANI PALESTINIAN PANAMANIAN PARAGUAYAN PERUVIAN PHILIPPINE FILIPINO
POLISH PORTUGUESE QATARI ROMANIAN RUSSIAN RWANDAN SAUDI SENEGALESE SERBIAN SLOVAK
SLOVAKIAN SLOVENIAN SOMALI SOUTH NORTH SPANISH SRI SUDANESE SWEDISH SWISS SYRIAN
TAIWANESE TAJIK TANZANIAN THAI TOGOLESE TUNISIAN TURKISH TURKMEN UGANDAN UKRAINIAN
URUGUAYAN UZBEK VENEZUELAN VIETNAMESE YEMENI ZAMBIAN ZIMBABWEAN EMIRATI WESTERN ARAB
AFRICAN EUROPEAN ASIAN LATIN KURDISH SHIITE SUNNI ISLAMIST
""".split())
STRIP = TITLE_WORDS | DEMONYMS

ORG_WORDS = set("""
MINISTRY MINISTRIES DEPARTMENT COUNCIL PARTY ARMY FORCES FORCE FRONT MOVEMENT
ORGANIZATION ORGANISATION ORGANIZATIONS ASSOCIATION ASSOCIATIONS BANK BANKS
CORPORATION CORP CORP. INC INC. LTD LTD. LIMITED COMPANY COMPANIES CO CO. GROUP GROUPS
COMMITTEE COMMITTEES UNION FEDERATION INSTITUTE INSTITUTION INSTITUTIONS FOUNDATION
AGENCY AGENCIES COMMISSION OFFICE BUREAU SERVICE SERVICES POLICE GUARD GUARDS BRIGADE
BRIGADES BATTALION BATTALIONS LEGION MILITIA MILITIAS CONGRESS PARLIAMENT ASSEMBLY
SENATE COURT COURTS TRIBUNAL GOVERNMENT ADMINISTRATION AUTHORITY UNIVERSITY COLLEGE
SCHOOL ACADEMY CENTER CENTRE SOCIETY LEAGUE ALLIANCE COALITION NETWORK FUND PROGRAM
PROGRAMME PROJECT INTERNATIONAL NATIONAL GLOBAL WORLD NEWS TIMES POST PRESS
TELEVISION TV RADIO HOLDINGS INDUSTRIES INDUSTRY SYSTEMS TECHNOLOGIES TECHNOLOGY
ENERGY PETROLEUM AIRLINES AIRWAYS MOTORS CELLS CELL COMMAND MISSION CHURCH MOSQUE
TRUST BOARD CHAMBER CABINET POLITBURO REPUBLIC KINGDOM ISLANDS MINISTERS OF FOR AND
THE ARMED REVOLUTIONARY LIBERATION ISLAMIC PEOPLE'S PEOPLES COMMUNITY COOPERATIVE
FEDERAL COMMANDS UNIT UNITS SQUAD SQUADS ORDER CIRCLE JIHAD MUJAHIDEEN TALIBAN
COMPANY'S PLC S.A. GMBH N.V. BROADCASTING CHANNEL JOURNAL TRIBUNE HERALD GAZETTE
DAILY MAGAZINE REVIEW COUNCILS ENTERPRISES PARTNERS CAPITAL FINANCIAL INSURANCE
PHARMACEUTICALS LABORATORIES STORES RESTAURANTS HOTELS RESORTS FOODS MILLS OIL GAS
ELECTRIC POWER TELECOM COMMUNICATIONS MEDIA PUBLISHING ENTERTAINMENT AUTOMOTIVE
HOSPITAL CLINIC FACULTY DIRECTORATE SECRETARIAT PRESIDENCY EMBASSY CONSULATE
DELEGATION PANEL FORUM CONFERENCE SUMMIT CONVENTION TREATY INITIATIVE PARTNERSHIP
ACTION WATCH RIGHTS AID RELIEF WORLDWIDE SOLIDARITY FRIENDS VOLUNTEERS CHILDREN WOMEN
MOTHERS HEALTH CARE PEACE AMNESTY REGIME FAMILY CAMP LOYALISTS SUPPORTERS
""".split())
# ORG_WORDS that are also surnames or given names: they do not overrule CountryInfo's
# word that an entry is a person (Rosemary Banks, Simon Power, Jihad Azour)
NAME_LIKE = set("""BANK BANKS MILLS POWER CHURCH JIHAD ORDER TRUST POST TIMES CAPITAL OIL GAS
FORCE GUARD PRESS HEALTH CARE PEACE CELL UNION MISSION BOARD CHAMBER COURT CO AID
PARTNERS FOODS DAILY HERALD REVIEW WATCH ACTION ARMY COLLEGE SCHOOL""".split())
# first words that make an organisation-looking entry an office ("Prime Minister of Kosovo")
OFFICE_HEADS = set("""PRESIDENT PRIME VICE VICE-PRESIDENT SECRETARY SECRETARY-GENERAL AMBASSADOR
DIRECTOR POTUS JOURNALIST REPORTER SPOKESMAN SPOKESWOMAN CHAIRMAN MINISTER ENVOY
GOVERNOR MAYOR CHANCELLOR PREMIER""".split())
# words lowercased inside organisation names
SMALL = set("""OF THE FOR AND IN ON AT TO BY WITH FROM AGAINST DE DES DU LA LE LES DEL
DELLA DI Y E ET UND FUR FÜR AL EL VON DER A AN""".split())
# particles lowercased inside people's names (not as the first word)
PARTICLES = set("VON VAN DER DEN DE DEL DELLA DI DA DO DOS DAS BIN IBN BINT AL EL UL UD Y TER ZU".split())
# countries where Di/De/Van/Del are capitalised (Italian, Belgian usage)
CAP_PARTICLE_COUNTRIES = {"ITA", "BEL", "SMR", "VAT"}
ARABIC_PREFIXES = {"AL", "EL", "AD", "AR", "AS", "AT", "ASH", "AZ", "ADH", "UL", "UD"}
ACRONYMS = set("""
UN UNO US USA UK EU NATO IMF UNICEF UNESCO UNHCR UNDP UNEP UNFPA UNRWA UNIFIL IAEA
OPEC ASEAN OSCE OECD WTO ICC ICJ ICRC FAO ILO IOM WFP OAS AU ECOWAS SADC IGAD CIA FBI
NSA KGB FSB GRU SVR MI5 MI6 ISI DGSE BND NASA ANC PLO PKK IRA ETA FARC ELN LTTE ISIS
ISIL AQAP AQIM HTS SDF YPG PYD KDP PUK IRGC BBC CNN NBC CBS NHK RT AFP AP UPI DPA
ANSA EFE KCNA IRNA SANA WAFA MENA PTI IANS CCTV CGTN NPR PBS MSNBC UAE DPRK ROK PRC GCC
EEC EC ECB EIB EBRD ADB IDB BIS IEA IPCC MSF HRW WWF IUCN OIC SCO BRICS APEC G7 G8 G20
NAFTA CARICOM ECOSOC UNSC UNGA UNAMA UNAMI MONUSCO MINUSMA UNMISS AMISOM
CSTO CIS EAEU OAPEC SAARC BIMSTEC ACP PLA KPA HDP AKP CHP MHP BJP
CPI SPD CDU CSU FDP AFD SNP DUP UKIP LDP KMT DPP PRD PSOE EFF
ZANU ZANU-PF MDC SPLM SPLA RUF NPFL UNITA MPLA SWAPO FLN PSUV
PASOK KKE ODS SLD CPSU CCP CPC NKVD GCHQ
IDF IRIB ISNA TASS ITAR-TASS RIA NTV ORT VGTRK HSBC
BNP BP IBM AT&T GE GM HP NEC LG SK KT UBS ABB ING ABN AMRO BHP RBS TSMC BYD CNOOC
CNPC SABIC ADNOC NIOC PDVSA YPF OMV ENI EDF RWE SNCF CMA CGM TNT DHL UPS JBS
""".split())
VOWELS = set("AEIOUY")
NOT_ACRONYMS = set("AMAL SONY TATA VALE ZARA ETA".split()) - {"ETA"}
PERSON_TITLES = set("""PRESIDENT PRESIDENT-ELECT VICE-PRESIDENT PRIME MINISTER PM PREMIER CHANCELLOR
SECRETARY SECRETARY-GENERAL SEC. SECY GEN. GENERAL COMMANDER CHIEF LEADER CHAIRMAN
KING QUEEN PRINCE SHEIKH EMIR SULTAN AYATOLLAH SENATOR GOVERNOR MAYOR AMBASSADOR ENVOY
SPEAKER SPOKESMAN SPOKESWOMAN OFFICIAL DIRECTOR DIRECTOR-GENERAL HEAD EXECUTIVE
JOURNALIST REPORTER EDITOR ATTORNEY JUDGE ADVISER ADVISOR AIDE COMMISSIONER""".split())


def initials(toks):
    return "".join(t[0] for t in toks if t.upper() not in SMALL and t[:1].isalpha()).upper()

NON_NAME = re.compile(r"[:=/\\]|^SOURCE\b")


def tokens(phrase):
    """'VLADIMIR_V._PUTIN_' -> ['VLADIMIR', 'V.', 'PUTIN']."""
    phrase = phrase.strip().strip("_").replace("\u00a0", " ")
    return [t for t in re.split(r"[_\s]+", phrase) if t]


def sig_tokens(toks):
    out = set()
    for t in toks:
        for p in re.split(r"[-']", t.upper()):
            p = p.strip(".,()")
            if len(p) >= 3 and p not in STRIP and p not in ORG_WORDS and p not in PARTICLES:
                out.add(p)
    return out


def strip_titles(toks):
    i = 0
    while i < len(toks) - 1 and toks[i].upper().rstrip(",") in STRIP:
        i += 1
    return toks[i:]


# ---------------------------------------------------------------- casing

def cap(word):
    """Capitalise one alphabetic chunk: 'PUTIN' -> 'Putin', 'MCCAIN' -> 'McCain'."""
    if not word:
        return word
    low = word.lower()
    if low.startswith("mc") and len(low) > 3 and low[2].isalpha():
        return "Mc" + low[2].upper() + low[3:]
    return low[0].upper() + low[1:]


def cap_apostrophe(word):
    """"O'BRIEN" -> "O'Brien", "PEOPLE'S" -> "People's", "'AZIZ" -> "'Aziz"."""
    if "'" not in word:
        return cap(word)
    head, _, tail = word.partition("'")
    if not head:
        return "'" + cap_apostrophe(tail)
    if len(head) == 1 and tail:
        return head.upper() + "'" + cap_apostrophe(tail)
    return cap(head) + "'" + tail.lower()


ROMAN = {"II", "III", "IV", "VI", "VII", "VIII", "IX"}


def person_token(tok, first, korean, cap_particles):
    up = tok.upper()
    if not first and up in ROMAN:
        return up
    if up in ("JR", "JR."):
        return "Jr."
    if up in ("SR", "SR."):
        return "Sr."
    if re.fullmatch(r"([A-Z]\.)+[A-Z]?", up):  # initials: V. / U.S.
        return up
    if not first and up in PARTICLES and not cap_particles:
        return up.lower()
    parts = up.split("-")
    out = []
    for i, p in enumerate(parts):
        if i == 0 and len(parts) > 1 and p in ARABIC_PREFIXES and not first:
            out.append(p.lower())
        elif i > 0 and korean:
            out.append(p.lower())
        else:
            out.append(cap_apostrophe(p))
    return "-".join(out)


def org_token(tok, first, single):
    up = tok.upper()
    core = up.strip("(),")
    pre = up[:len(up) - len(up.lstrip("(")) ]
    post = up[len(up.rstrip("),")):]
    if not core:
        return tok
    if re.fullmatch(r"([A-Z]\.)+[A-Z]?\.?", core) or core in ACRONYMS:
        return pre + core + post
    if pre == "(" and post.startswith(")") and (len(core) <= 5 or not set(core) & VOWELS):
        return pre + core + post
    if re.fullmatch(r"\d+(ST|ND|RD|TH)", core):
        return pre + core.lower() + post
    if any(ch.isdigit() for ch in core) and len(core) <= 5:
        return pre + core + post
    letters = [ch for ch in core if ch.isalpha()]
    if letters and not (set(letters) & VOWELS) and len(letters) <= 6:
        return pre + core + post
    if single and len(core) <= 4 and core.isalpha() and core not in NOT_ACRONYMS:
        return pre + core + post
    if not first and core in SMALL:
        return pre + core.lower() + post
    parts = core.split("-")
    out = []
    for i, p in enumerate(parts):
        if p in ACRONYMS or (p and not (set(p) & VOWELS) and p.isalpha() and len(p) <= 5):
            out.append(p)
        elif i == 0 and len(parts) > 1 and p in ARABIC_PREFIXES and not first:
            out.append(p.lower())
        else:
            out.append(cap_apostrophe(p))
    return pre + "-".join(out) + post


FRENCH_COMPOUND = set("""CLAUDE MARIE PIERRE LUC PAUL MARC LOUIS FRANCOIS YVES JACQUES MICHEL
BAPTISTE NOEL PHILIPPE BERNARD GUY CHRISTOPHE""".split())


def person_forms(toks, hyphen_style):
    """Extra spellings of a person's name: the news form first, then the input form.
    'KIM JONG IL' (KOR/PRK/TWN/HKG) -> 'KIM JONG-IL'; 'JEAN CLAUDE JUNCKER' ->
    'JEAN-CLAUDE JUNCKER'."""
    up = [t.upper() for t in toks]
    if hyphen_style and len(up) == 3 and all(t.isalpha() and 2 <= len(t) <= 5 for t in up):
        return [[toks[0], toks[1] + "-" + toks[2]], toks]
    if len(up) >= 3 and up[0] == "JEAN" and up[1] in FRENCH_COMPOUND:
        return [[toks[0] + "-" + toks[1]] + toks[2:], toks]
    joined, i = [], 0
    while i < len(toks):  # 'BASHAR AL ASSAD' -> 'BASHAR AL-ASSAD'
        if 0 < i < len(toks) - 1 and up[i] in ("AL", "EL") and up[i + 1] not in PARTICLES \
                and up[i + 1].isalpha():
            joined.append(toks[i] + "-" + toks[i + 1])
            i += 2
        else:
            joined.append(toks[i])
            i += 1
    return [joined, toks] if joined != toks else [toks]


def display(toks, kind, korean=False, cap_particles=False):
    if kind == "person":
        words = [person_token(t, i == 0, korean, cap_particles) for i, t in enumerate(toks)]
    else:
        single = len(toks) == 1
        words = [org_token(t, i == 0, single) for i, t in enumerate(toks)]
    s = " ".join(words)
    s = re.sub(r"\s+,", ",", s)
    return s


def soft(s):
    """Alias key: case and spacing folded; accents and punctuation kept ('Kim Jong Il' and
    'Kim Jong-il', 'Jose' and 'José' are all kept as surface forms)."""
    return " ".join(unicodedata.normalize("NFC", s).casefold().split())


def fold(s):
    """Collision key: case, accents, punctuation and spaces folded away."""
    s = unicodedata.normalize("NFKD", s)
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    s = re.sub(r"^the\s+", "", s.casefold())
    return re.sub(r"[^0-9a-z]+", "", s)


# ---------------------------------------------------------------- parsing

BRACKET = re.compile(r"\[([^\]]*)\]")


def read_phoenix(path, stats):
    """Yield records: {'ents': [[primary, [aliases]], ...], 'res': [...], 'tags': str, 'file'}."""
    recs, cur = [], None
    for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
        body, _, comment = raw.partition("#")
        if not body.strip():
            if cur is not None and comment:
                cur["tags"] += " " + comment
            continue
        text = body.strip()
        if body[0] in " \t" and text.startswith("["):
            if cur is not None:
                for b in BRACKET.findall(text):
                    cur["codes"].append(b)
                cur["tags"] += " " + comment
            continue
        if text.startswith("+"):
            if cur is None:
                continue
            name = text[1:].split(";")[0].split("[")[0].strip()
            if name:
                cur["ents"][-1][1].append(name)
            cur["codes"] += BRACKET.findall(text)
            continue
        name = text.split("[")[0].split(";")[0].strip()
        codes = BRACKET.findall(text)
        if cur is not None and not cur["codes"]:
            cur["ents"].append([name, []])       # PETRARCH: shares the codes to come
            cur["codes"] += codes
            cur["tags"] += " " + comment
        else:
            cur = {"ents": [[name, []]], "codes": codes, "tags": comment, "file": path.name}
            recs.append(cur)
    for r in recs:
        r["res"] = [x for x in (parse_restriction(c, stats) for c in r["codes"]) if x]
    return recs


def split_entities(rec):
    """Later primaries of a record join an earlier one when they share a name word
    (PRESIDENT_JOSIPOVIC_ after IVO_JOSIPOVIC_); otherwise they are separate
    entities that happen to share the codes."""
    groups = []
    for name, aliases in rec["ents"]:
        toks = tokens(name)
        sig = sig_tokens(toks)
        for g in groups:
            if sig & g["sig"]:
                g["names"].append(name)
                g["names"] += aliases
                g["sig"] |= sig
                break
        else:
            groups.append({"names": [name] + aliases, "sig": set(sig)})
    return groups


# ---------------------------------------------------------------- roles

def pick_role(res):
    """-> (country, sector, since, until, intl) for the latest role, or None."""
    dated = [r for r in res if not r[3]]
    decoded = []
    for code, start, end, is_default in (dated or [r for r in res if r[3]]):
        d = decode(code)
        if d is None:
            continue
        decoded.append((d[0], d[1], start, end, d[2]))
    if not decoded:
        return None
    far, early = dt.date.max, dt.date.min
    best = max(decoded, key=lambda r: (r[3] or far, r[2] or early, r[1] != "", r[0], r[1]))
    country, sector, since, until, intl = best
    if since is not None:  # join earlier spans of the same role that run into this one
        changed = True
        while changed:
            changed = False
            for c, s, a, b, _ in decoded:
                if (c, s) == (country, sector) and a is not None and a < since and \
                        (b is None or b >= since - dt.timedelta(days=31)):
                    since, changed = a, True
    return country, sector, since, until, intl


# ---------------------------------------------------------------- build

PERSON_SECTORS = {"GOV", "ELI", "OPP", "LEG"}


def looks_person(toks, given, tags, res, fname, codes, sector):
    up = [t.upper().strip(".,()") for t in toks]
    words = set()
    for t in up:
        words.update(re.split(r"[-]", t))
    if any(c.upper().startswith(("MNC", "IMG")) for c in codes):
        return False
    if any(ch.isdigit() for t in up for ch in t):
        return False
    if "CountryInfo" in tags or "IGOrulers" in tags:
        return not (words & ORG_WORDS - NAME_LIKE)
    if words & ORG_WORDS:
        return False
    if fname == "Phoenix.MilNonState.actors.txt":
        return False
    if not 2 <= len(up) <= 5 or not sector:  # a bare country code: a place (HONG_KONG_ [HKG])
        return False
    if any(not r[3] for r in res):  # dated roles: people change jobs, bodies rarely do
        return True
    if fname == "Phoenix.Countries.actors.txt" and sector in PERSON_SECTORS and len(up) <= 4:
        return True  # FETHULLAH_GULEN [TURELIMUS], ALBIN_KURTI_ [KSVOPP]
    return up[0] in given and up[0] not in ARABIC_PREFIXES


def build():
    stats = collections.Counter()
    recs = []
    for f in FILES:
        if not (PETRARCH / f).is_file():
            sys.exit(f"missing {PETRARCH / f} (set NEWSGRAPH_SHARED to the shared folder)")
        recs += read_phoenix(PETRARCH / f, stats)
    # first words of the people CountryInfo lists: a given-name test for the rest
    firsts = collections.Counter()
    for r in recs:
        if "CountryInfo" in r["tags"]:
            for name, _ in r["ents"]:
                t = strip_titles(tokens(name))
                if len(t) >= 2:
                    firsts[t[0].upper()] += 1
    given = {w for w, n in firsts.items() if n >= 2 and w not in STRIP and w not in ORG_WORDS}

    rows = []
    for r in recs:
        role = pick_role(r["res"])
        if role is None:
            stats["no usable code"] += len(r["ents"])
            continue
        country, sector, since, until, intl = role
        korean = any(c.upper().startswith(("KOR", "PRK", "TWN", "HKG")) for c in r["codes"])
        for g in split_entities(r):
            names = [n for n in g["names"] if n and not NON_NAME.search(n.upper())]
            if not names:
                continue
            ptoks = tokens(names[0])
            kind = "person" if looks_person(strip_titles(ptoks), given, r["tags"], r["res"],
                                             r["file"], r["codes"], sector) else "organization"
            if kind == "organization" and not sector:
                stats["geographic dropped"] += 1
                continue
            if kind == "organization" and "CountryInfo" in r["tags"]:
                stats["CountryInfo lines that are not a name dropped"] += 1
                continue
            head = [t.upper() for t in ptoks if t.upper() not in DEMONYMS
                    and t.upper() not in ("US", "U.S.", "UN", "U.N.", "DC", "THE")]
            if kind == "organization" and head and (head[0] in OFFICE_HEADS | {
                    "LORD", "BARON", "BARONESS", "SIR", "DAME"} or head[:2] == [
                    "GENERAL", "SECRETARY"] or head[0].startswith("U.S.-")):
                stats["office or title only dropped"] += 1
                continue
            if kind == "person" and until is not None and until < KEEP_PEOPLE_FROM:
                stats["people before 2000 dropped"] += 1
                continue
            # candidate surface forms
            forms = []
            name_toks = []
            for n in names:
                if kind == "person":
                    n = re.sub(r'\([^)]*\)?|"[^"]*"?', " ", n)  # 'TSAKHIAGIYN_ELBEGDORJ_(1ST_TIME'
                t = tokens(n)
                if kind == "organization" and len(t) > 1 and t[-1].upper() in (",THE", "THE"):
                    t = t[:-1]
                if kind == "organization" and len(t) > 1 and t[0].upper() == "THE":
                    t = t[1:]
                if kind == "organization" and n.rstrip("_").upper().endswith(",_THE"):
                    t = tokens(n.rstrip("_")[:-5])
                if kind == "person":
                    if "," in n:
                        continue
                    t = strip_titles(t)
                    up = {w.upper() for x in t for w in x.split("-")}
                    if len(t) < 2 or up & ORG_WORDS:
                        continue
                    if all(re.fullmatch(r"[A-Za-z]\.?", x) for x in t[:-1]):
                        continue  # 'K. Annan'
                    if len([x for x in t if x.upper() not in PARTICLES]) < 2:
                        continue  # 'AL_ASSAD'
                    if forms and name_toks and len(t) < len(name_toks) and \
                            [x.upper() for x in t] == name_toks[:len(t)]:
                        continue  # 'RECEP_TAYYIP' for RECEP_TAYYIP_ERDOGAN
                    for v in person_forms(t, korean):
                        forms.append(display(v, kind, korean, country in CAP_PARTICLE_COUNTRIES))
                    if not name_toks:
                        name_toks = [x.upper() for x in t]
                    continue
                else:
                    ups = {x.upper() for x in t}
                    if ups <= STRIP and ups & PERSON_TITLES:
                        continue  # only title and nationality words: an office, not a name
                    if forms and t[0].upper().rstrip(".") in PERSON_TITLES | {
                            "SHEIK", "SAYYED", "SAYYID", "SEYYED", "MR", "DR", "GEN"}:
                        continue  # 'SHEIKH_NASRALLAH' among Hezbollah's synonyms
                    bare = strip_titles(t)
                    if forms and 2 <= len(bare) <= 3 and bare[0].upper() in given and \
                            not ups & ORG_WORDS and kind == "organization":
                        continue  # a person among a group's synonyms ('KHALED_MESHAAL' for Hamas)
                    if {x.upper() for x in t} & {"PRESIDENT", "CHIEF", "CHAIRMAN", "SPOKESMAN",
                                                 "SECRETARY", "MINISTER", "DIRECTOR", "HEAD",
                                                 "LEADER", "OFFICIAL", "OFFICIALS",
                                                 "BROADCASTER", "JOURNALIST", "REPORTER"} \
                            and len(forms) > 0:
                        continue  # 'WORLD_BANK_PRESIDENT' as an alias of the bank
                    if any("-BASED" in x.upper() for x in t):
                        continue
                forms.append(display(t, kind, korean, country in CAP_PARTICLE_COUNTRIES))
            if not forms:
                stats["office or title only dropped"] += 1
                continue
            if kind == "organization":  # 'Nato' -> 'NATO' when another form spells it out
                longs = {initials(f.split()) for f in forms if len(f.split()) > 1}
                forms = [f.upper() if " " not in f and f.isalpha() and len(f) >= 2
                         and f.upper() in longs else f for f in forms]
            seen, uniq = set(), []
            for f in forms:
                k = soft(f)
                if k and k not in seen:
                    seen.add(k)
                    uniq.append(f)
            if not uniq:
                continue
            rows.append({
                "name": uniq[0], "aliases": uniq[1:], "country": country, "sector": sector,
                "since": since.isoformat() if since else "",
                "until": until.isoformat() if until else "",
                "kind": kind, "src": "phoenix",
            })
    stats["phoenix rows before merging"] = len(rows)
    return rows, stats


def read_update():
    lines = UPDATE.read_text(encoding="utf-8").splitlines()
    i = 0
    while i < len(lines) and lines[i].startswith("#"):
        i += 1
    if lines[i].split("\t") != HEADER:
        sys.exit(f"{UPDATE}: bad header")
    out = []
    for n, line in enumerate(lines[i + 1:], start=i + 2):
        if not line.strip():
            continue
        cells = line.split("\t")
        if len(cells) != len(HEADER):
            sys.exit(f"{UPDATE}:{n}: {len(cells)} columns")
        row = dict(zip(HEADER, (c.strip() for c in cells)))
        row["aliases"] = [a.strip() for a in row["aliases"].split("|") if a.strip()]
        if row["kind"] not in ("person", "organization"):
            sys.exit(f"{UPDATE}:{n}: kind {row['kind']!r}")
        if row["country"] and row["country"] not in ISO3:
            sys.exit(f"{UPDATE}:{n}: country {row['country']!r}")
        for col in ("since", "until"):
            if row[col]:
                dt.date.fromisoformat(row[col])
        row["src"] = "update"
        out.append(row)
    return out


def recency(row):
    far, early = "9999-99-99", "0000-00-00"
    return (row["until"] or far, row["since"] or early)


def merge(rows, updates, stats, log):
    by_key = {}
    # Phoenix rows first: same name twice -> keep the more recent role, merge aliases
    for row in rows:
        k = fold(row["name"])
        old = by_key.get(k)
        if old is None:
            by_key[k] = row
            continue
        if (old["country"], old["kind"]) != (row["country"], row["kind"]):
            stats["name collisions (different country or kind)"] += 1
            log.append(f"collision: {old['name']} ({old['country']} {old['sector']} {old['until'] or 'open'})"
                       f" vs ({row['country']} {row['sector']} {row['until'] or 'open'})")
        else:
            stats["same name merged"] += 1
        keep, drop = (row, old) if recency(row) > recency(old) else (old, row)
        keep["aliases"] = keep["aliases"] + [a for a in [drop["name"]] + drop["aliases"]]
        by_key[k] = keep
    # update rows: replace the Phoenix row that has the same name or full-name alias
    alias_index = collections.defaultdict(set)
    for k, row in by_key.items():
        for a in row["aliases"]:
            alias_index[fold(a)].add(k)
    def same_actor(old, up):
        return old["src"] == "phoenix" and old["kind"] == up["kind"] and (
            not old["country"] or not up["country"] or old["country"] == up["country"])

    for up in updates:
        uk = fold(up["name"])
        keys = {uk} | {fold(a) for a in up["aliases"]}
        hits = set()
        for k in keys:
            if k in by_key and same_actor(by_key[k], up):
                hits.add(k)
            for k2 in alias_index.get(k, ()):
                if by_key.get(k2) is not None and same_actor(by_key[k2], up):
                    hits.add(k2)
        merged_aliases = list(up["aliases"])
        for k in sorted(hits):
            old = by_key.pop(k)
            merged_aliases += [old["name"]] + old["aliases"]
            stats["update replaced a Phoenix row"] += 1
        old = by_key.get(uk)
        if old is not None:
            if old["src"] == "update":
                sys.exit(f"duplicate name in update file: {up['name']}")
            # same name, another actor (other country or kind): the update's row keeps the name
            stats["name collisions (different country or kind)"] += 1
            log.append(f"collision: update {up['name']} ({up['country']} {up['sector']}) drops Phoenix "
                       f"{old['name']} ({old['country']} {old['sector']} {old['until'] or 'open'})")
            del by_key[uk]
        row = dict(up)
        row["aliases"] = merged_aliases
        by_key[uk] = row
    # tidy aliases: drop the name itself and repeats
    for row in by_key.values():
        seen = {soft(row["name"])}
        out = []
        for a in row["aliases"]:
            k = soft(a)
            if k and k not in seen:
                seen.add(k)
                out.append(a)
        row["aliases"] = out
    return list(by_key.values())


def main():
    report = "--report" in sys.argv
    rows, stats = build()
    log = []
    final = merge(rows, read_update(), stats, log)
    final.sort(key=lambda r: (r["name"].casefold(), r["name"]))
    # surface forms shared by more than one row (reported, not resolved)
    owners = collections.defaultdict(list)
    for r in final:
        for f in [r["name"]] + r["aliases"]:
            owners[fold(f)].append(r["name"])
    shared = {k: v for k, v in owners.items() if len(set(v)) > 1}
    stats["aliases shared by several rows"] = len(shared)
    with OUT.open("w", encoding="utf-8", newline="\n") as f:
        f.write("# Named people and organisations -> country (ISO3) and CAMEO/Phoenix sector. Built by "
                "scripts/build_actors.py from the Phoenix actor dictionaries (petrarch2, MIT, Open Event "
                "Data Alliance) and scripts/knowledge_data/actors_update.tsv (written for newsgraph). "
                "See README.md.\n")
        f.write("\t".join(HEADER) + "\n")
        for r in final:
            cells = [r["name"], "|".join(r["aliases"]), r["country"], r["sector"], r["since"],
                     r["until"], r["kind"]]
            cells = [re.sub(r"[\t|\n]", " ", c) if i != 1 else c for i, c in enumerate(cells)]
            f.write("\t".join(cells) + "\n")
    c = collections.Counter((r["kind"], r["src"]) for r in final)
    stats.update({f"out {k} from {s}": n for (k, s), n in c.items()})
    for k in sorted(stats):
        print(f"{k}: {stats[k]}", file=sys.stderr)
    print(f"wrote {OUT} ({len(final)} rows)", file=sys.stderr)
    if report:
        for line in log:
            print(line)
        for k, v in sorted(shared.items()):
            print("shared form:", k, "->", sorted(set(v)))


if __name__ == "__main__":
    main()
