"""Corpus entities: the same actor across articles as one record with a stable id.

Each article's entities (``Analysis.entities``, resolved inside the article: "Putin" and "he" are
already "Vladimir Putin" there) are linked, as the article is stored, to a corpus entity found by a
key of its kind and normalised name:

- people by their full name ("person:vladimir putin", titles and honorifics off); a surname alone
  ("Putin", or "V Putin" with an initial) joins the person of that surname whose articles share
  another actor with this article (a party, a club, a company: countries are too common to tell), and
  stays apart when none does, so that two people who share a surname do not merge; when a full name
  arrives after its surname was seen alone, the earlier articles that share an actor with it are
  linked to it too;
- countries by ISO code; places, organizations and groups by name; a person and a place or an
  organization of the same name never merge, as the key holds the kind.

Pure functions here; ``Store.write`` keeps the records (tables ``corpus_entities``, ``entity_links``).
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

KIND_CLASS = {"person": "person", "country": "country", "capital": "place", "city": "place", "place": "place",
              "organization": "org", "group": "group"}
HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "dr", "sir", "dame", "lord", "lady", "prof", "professor"})
# Abbreviated titles news writes before a name ("PM Tony Blair", "Gen Colin Powell").
TITLE_ABBREVIATIONS = frozenset({"pm", "gov", "sen", "rep", "gen", "col", "capt", "lt", "sgt", "insp", "supt", "det",
                                 "rev", "fr", "cllr", "cdr", "adm", "maj", "ex"})
_NOT_WORD = re.compile(r"[^\w\s-]")
# Words that belong to a surname before its last word ("Robert De Niro": "de niro").
PARTICLES = frozenset({"de", "da", "di", "del", "della", "dos", "du", "van", "von", "der", "den", "le", "la", "al",
                       "el", "bin", "ibn", "ben", "mac", "st"})


def normalise(name: str, titles: frozenset[str] = frozenset()) -> str:
    """Lower case, accents and punctuation off, a leading "the", "ex-" and honorifics off, and leading
    title words of ``titles`` while two words are left: "Mr. José Ramos" -> "jose ramos", "The Kremlin"
    -> "kremlin", "ex-Yukos" -> "yukos"."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"^(?:ex|former)-", "", text.strip().lower())
    words = _NOT_WORD.sub(" ", text.replace("'s ", " ")).split()
    while words and (words[0] in HONORIFICS or words[0] == "the"):
        words = words[1:]
    while len(words) > 2 and (words[0] in titles or words[0] in TITLE_ABBREVIATIONS):
        words = words[1:]
    return " ".join(words)


@lru_cache(maxsize=1)
def person_titles() -> frozenset[str]:
    """One-word titles and role nouns of knowledge/titles.tsv ("chancellor", "coach", "president")."""
    from ..knowledge import read_tsv
    return frozenset(r["title"].lower() for r in read_tsv("titles.tsv") if " " not in r["title"].strip())


def kind_class(kind: str | None) -> str:
    return KIND_CLASS.get(kind or "", "other")


def _name(name: str, kind: str | None) -> str:
    return normalise(name, person_titles() if kind_class(kind) == "person" else frozenset())


def key(name: str, kind: str | None, country: str | None) -> str | None:
    """The corpus key of an article's entity, or None for one that cannot be told apart from others
    (no name left after normalising)."""
    cls = kind_class(kind)
    if cls == "country" and country:
        return f"country:{country}"
    norm = _name(name, kind)
    return f"{cls}:{norm}" if norm else None


def surname(name: str, kind: str | None) -> str | None:
    """The last word of a person's full name ("vladimir putin" -> "putin"); None for a one-word name,
    a name with an initial only, or another kind."""
    if kind_class(kind) != "person":
        return None
    words = _name(name, kind).split()
    if len(words) < 2 or len(words[0]) == 1:
        return None
    last = _surname_start(words)
    return " ".join(words[last:]) if last > 0 else None


def _surname_start(words: list[str]) -> int:
    """Where the surname begins: the last word, with the particles before it ("de niro")."""
    k = len(words) - 1
    while k > 0 and words[k - 1] in PARTICLES:
        k -= 1
    return k


def partial_name(name: str, kind: str | None) -> tuple[str, str] | None:
    """(surname, initial or "") of a person named by a surname alone ("Putin" -> ("putin", "")) or an
    initial and a surname ("G Henson" -> ("henson", "g")), which may stand for a full name; else None."""
    if kind_class(kind) != "person":
        return None
    words = _name(name, kind).split()
    if not words:
        return None
    start = _surname_start(words)
    if start == 0:                                  # "Putin", "De Niro"
        return " ".join(words), ""
    if start == 1 and len(words[0]) == 1:          # "G Henson"
        return " ".join(words[1:]), words[0]
    return None
