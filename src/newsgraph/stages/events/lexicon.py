"""The events stage's lexicons (data/ here): the CAMEO verb dictionary and its phrase patterns and
synonym sets (CAMEO.2.0.txt, openeventdata/petrarch2, MIT; built by scripts/build_event_knowledge.py),
CAMEO2PLOVER (CC BY-SA 4.0), and the event nouns, adjectives, modality words, phrase patterns and
quantity nouns written for newsgraph. Sources and licences: knowledge/README.md.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from ...knowledge import Knowledge, alternatives, read_table
from ..common import word_sets

DATA = Path(__file__).parent / "data"
# Words the roles are read with (light verbs, support verbs and prepositions, first person, leading
# determiners, pronouns), by class.
EVENT_WORDS = word_sets(DATA / "event_words.tsv")


@dataclass(frozen=True, slots=True)
class EventCode:
    """A PLOVER type with its mode and the CAMEO code it comes from."""
    type: str
    mode: str
    cameo: str


def lexicon(kb: Knowledge) -> "EventLexicon":
    """The events stage's lexicons, read once per Knowledge."""
    return kb.resource("events.lexicon", EventLexicon)


def _read(name: str) -> list[dict[str, str]]:
    return read_table(DATA / name)


class EventLexicon:
    """Indexes over the events stage's data files, built lazily."""

    def __init__(self, kb: Knowledge):
        self.kb = kb

    @cached_property
    def quantity_nouns(self) -> frozenset[str]:
        """Nouns that only count what their "of" phrase names ("a number of banks", "dozens of
        protesters"): the actor is the phrase's object."""
        return frozenset(r["noun"].lower() for r in _read("quantity_nouns.tsv"))

    @cached_property
    def event_modality(self) -> dict[tuple[str, str], str]:
        """(word, where) -> modality: ("would", "aux") -> hypothetical, ("appear", "governor") -> uncertain."""
        return {(r["word"].lower(), r["where"]): r["modality"] for r in _read("event_modality.tsv")}

    @cached_property
    def _event_verb_rows(self) -> list[tuple[set[str], dict[str, str]]]:
        """event_verbs.tsv, read once: (the lemma and its irregular forms, the row)."""
        return [({f.lower() for f in [r["lemma"], *alternatives(r.get("forms", ""))]}, r)
                for r in _read("event_verbs.tsv")]

    @cached_property
    def event_verbs(self) -> dict[str, list[EventCode]]:
        """Verb lemma (and irregular form) -> its default event codes from the CAMEO verb dictionary."""
        out: dict[str, list[EventCode]] = {}
        for forms, r in self._event_verb_rows:
            if r["type"]:
                code = EventCode(r["type"], r.get("mode", ""), r["cameo"])
                for form in forms:
                    codes = out.setdefault(form, [])
                    if code not in codes:
                        codes.append(code)
        return out

    @cached_property
    def verb_blocks(self) -> dict[str, list[str]]:
        """Verb lemma (and irregular form) -> the CAMEO verb blocks it belongs to (whose patterns apply)."""
        out: dict[str, list[str]] = {}
        for forms, r in self._event_verb_rows:
            for form in forms:
                blocks = out.setdefault(form, [])
                if r["block"] not in blocks:
                    blocks.append(r["block"])
        return out

    @cached_property
    def open_verbs(self) -> frozenset[str]:
        """Verbs of the CAMEO dictionary that name some event but no one event on their own ("reject",
        "suspend", "return": their blocks have no default code); the event typer reads which."""
        coded, open_ = set(), set()
        for forms, r in self._event_verb_rows:
            (open_ if not r["cameo"] else coded).update(forms)
        return frozenset(open_ - coded)

    @cached_property
    def event_patterns(self) -> dict[str, list[tuple[frozenset, str, frozenset, EventCode]]]:
        """Verb block -> (object heads, preposition, prepositional object heads, code) patterns, CAMEO's
        (event_patterns.tsv) and newsgraph's own (event_patterns_extra.tsv); synset references
        (&weapon) are expanded from event_synsets.tsv."""
        synsets = {r["synset"]: frozenset(alternatives(r["members"])) for r in _read("event_synsets.tsv")}

        def words(cell: str) -> frozenset:
            """Every phrase a cell stands for: "&military cooperation" -> "army cooperation", ..."""
            phrases = [""]
            for w in cell.lower().split():
                alts = sorted(synsets.get(w[1:], ())) if w.startswith("&") else [w]
                phrases = [f"{p} {a}".strip() for p in phrases for a in alts]
            return frozenset(p for p in phrases if p)

        out: dict[str, list] = {}
        for r in [*_read("event_patterns.tsv"), *_read("event_patterns_extra.tsv")]:
            if r["type"]:
                out.setdefault(r["block"], []).append(
                    (words(r["object"]), r["prep"].lower(), words(r["prep_object"]),
                     EventCode(r["type"], r.get("mode", ""), r["cameo"])))
        return out

    @cached_property
    def event_nouns(self) -> dict[str, EventCode]:
        return {r["lemma"].lower(): EventCode(r["type"], r.get("mode", ""), r["cameo"])
                for r in _read("event_nouns.tsv") if r["type"]}

    @cached_property
    def event_adjectives(self) -> dict[str, tuple[set[str], set[str], EventCode]]:
        """Adjective -> (prepositions, allowed prepositional objects, code): "grateful to"."""
        return {r["lemma"].lower(): (set(alternatives(r["prep"])), set(alternatives(r["prep_object"])),
                                     EventCode(r["type"], r.get("mode", ""), r["cameo"]))
                for r in _read("event_adjectives.tsv")}

    @cached_property
    def cameo(self) -> dict[str, EventCode]:
        """CAMEO code -> PLOVER type and mode (CAMEO2PLOVER, with its known slips corrected)."""
        return {r["cameo"]: EventCode(r["type"], r.get("mode", ""), r["cameo"])
                for r in _read("cameo_plover.tsv") if r["type"]}

    @cached_property
    def default_cameo(self) -> dict[str, str]:
        """PLOVER type -> its most general CAMEO code: the "not specified" code of the first root that
        maps to it ("18" -> "180", as GDELT writes an event coded at the root), else the shortest code."""
        out: dict[str, str] = {}
        for code, ec in sorted(self.cameo.items(), key=lambda kv: (len(kv[0]), kv[0])):
            general = code + "0" if len(code) == 2 and getattr(self.cameo.get(code + "0"), "type", None) == ec.type \
                else code
            out.setdefault(ec.type, general)
        return out
