"""Speaker names from the entity layer: appositions, descriptions, documents, campaigns, a lone surname
shared by two people, and a pronoun speaker carried on from the quote before (invented articles)."""
from __future__ import annotations

import pytest

from newsgraph.model import Article


@pytest.fixture(scope="module")
def speakers_of(pipeline):
    def run(text: str) -> list[tuple[str, str | None]]:
        a = pipeline.analyze(Article(id="t", text=text, published="2025-03-04"))
        return [(q.cue.text, q.speaker_name) for q in a.quotes + a.attitudes]
    return run


def test_an_apposition_gives_the_name_not_the_description(speakers_of):
    said = speakers_of("The club's general manager, David Feder, said the stadium would reopen in April.")
    assert ("said", "David Feder") in said


def test_a_description_stands_for_the_person_named_before(speakers_of):
    said = speakers_of("Governor Maria Lopez toured the flooded valley on Monday with engineers from the "
                       "army. The water had reached the first floor of many homes. The governor said repairs "
                       "would take at least six weeks.")
    assert ("said", "Maria Lopez") in said


def test_the_description_takes_the_person_whose_title_it_names(speakers_of):
    said = speakers_of("Mayor Tom Riley and Senator Ana Duarte opened the new bridge on Friday. Riley spoke "
                       "first about the cost. The senator said the state would pay half of it.")
    assert ("said", "Ana Duarte") in said


def test_a_newspaper_described_is_the_newspaper_named(speakers_of):
    said = speakers_of("The Harbor Gazette published the leaked budget on Sunday. The newspaper said the "
                       "mayor had approved the cuts in secret.")
    assert ("said", "Harbor Gazette") in said


def test_a_campaign_is_named_after_its_candidate(speakers_of):
    said = speakers_of("Tom Reyes's campaign said on Tuesday that it had raised $4 million. The campaign "
                       "said most gifts were under $100.")
    assert [name for cue, name in said if cue == "said"] == ["Reyes campaign", "Reyes campaign"]


def test_a_lone_surname_is_the_article_s_principal(speakers_of):
    said = speakers_of("Senator Anna Berg announced her bid for governor on Monday. Berg has served two "
                       "terms in the Senate. Her brother, Olaf Berg, runs a bakery in the capital. Berg "
                       "said she would cut taxes for small firms.")
    assert ("said", "Anna Berg") in said


def test_it_carries_on_the_organization_that_spoke_before(speakers_of):
    said = speakers_of("The Valdora Port Authority said on Monday that the northern pier would close for "
                       "repairs. It said the work would last until June.")
    assert [name for cue, name in said if cue == "said"] == ["Valdora Port Authority", "Valdora Port Authority"]


def test_a_document_speaks_for_the_author_named_in_it(speakers_of):
    said = speakers_of("A Lena Park tweet on Friday said the factory would stay open.")
    assert ("said", "Lena Park") in said
