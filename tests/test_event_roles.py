"""Rules of the events stage's role finder on hand-built parses (spacy.tokens.Doc with heads and
dependencies given), so that the rule and not the statistical parser is under test."""
from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc

from newsgraph.knowledge import default_knowledge
from newsgraph.stages.events.roles import candidates, counted, subject


VOCAB = spacy.blank("en").vocab                  # English lexical attributes (lower case, ...), no parser


def parse(words, heads, deps, pos, lemmas=None):
    """A Doc from a hand-written parse: heads are token indices (the root points at itself)."""
    return Doc(VOCAB, words=words, heads=heads, deps=deps, pos=pos,
               lemmas=lemmas or [w.lower() for w in words])


@pytest.fixture(scope="module")
def kb():
    return default_knowledge()


def test_the_passive_subject_of_a_raising_verb_is_the_subject_of_its_infinitive():
    # "Peru is expected to attack Chile ."
    doc = parse(["Peru", "is", "expected", "to", "attack", "Chile", "."],
                [2, 2, 2, 4, 2, 4, 2], ["nsubjpass", "auxpass", "ROOT", "aux", "xcomp", "dobj", "punct"],
                ["PROPN", "AUX", "VERB", "PART", "VERB", "PROPN", "PUNCT"])
    assert subject(doc[4]).text == "Peru"
    assert subject(doc[2]) is None                # a passive subject is no agent of the verb itself


def test_a_counted_noun_stands_for_what_it_counts(kb):
    # "a number of banks halted ..."
    doc = parse(["A", "number", "of", "banks", "halted", "trade", "."],
                [1, 4, 1, 2, 4, 4, 4], ["det", "nsubj", "prep", "pobj", "ROOT", "dobj", "punct"],
                ["DET", "NOUN", "ADP", "NOUN", "VERB", "NOUN", "PUNCT"],
                ["a", "number", "of", "bank", "halt", "trade", "."])
    assert counted(subject(doc[4]), kb).text == "banks"
    assert counted(doc[5], kb).text == "trade"   # not a count: itself


def test_a_phrase_hung_on_the_object_still_names_the_target(kb):
    # "Spain halted transactions with Morocco ."
    doc = parse(["Spain", "halted", "transactions", "with", "Morocco", "."],
                [1, 1, 1, 2, 3, 1], ["nsubj", "ROOT", "dobj", "prep", "pobj", "punct"],
                ["PROPN", "VERB", "NOUN", "ADP", "PROPN", "PUNCT"],
                ["spain", "halt", "transaction", "with", "morocco", "."])
    [cand] = [c for c in candidates(doc[:], kb) if c.trigger.text == "halted"]
    assert cand.source.text == "Spain" and "Morocco" in [t.text for t in cand.targets]
    assert cand.codes[0].type == "SANCTION" and cand.patterned


def test_talks_between_two_parties_take_the_first_as_source(kb):
    # "Talks between Kenya and Uganda resumed ."
    doc = parse(["Talks", "between", "Kenya", "and", "Uganda", "resumed", "."],
                [5, 0, 1, 2, 2, 5, 5], ["nsubj", "prep", "pobj", "cc", "conj", "ROOT", "punct"],
                ["NOUN", "ADP", "PROPN", "CCONJ", "PROPN", "VERB", "PUNCT"],
                ["talk", "between", "kenya", "and", "uganda", "resume", "."])
    [cand] = [c for c in candidates(doc[:], kb) if c.trigger.text == "Talks"]
    assert cand.source.text == "Kenya" and cand.codes[0].type == "CONSULT"
