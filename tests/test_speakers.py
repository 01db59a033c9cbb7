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


CASES = {
    "an apposition gives the name, not the description":
        ("The club's general manager, David Feder, said the stadium would reopen in April.", "David Feder"),
    "a description stands for the person named before":
        ("Governor Maria Lopez toured the flooded valley on Monday with engineers from the army. The water had "
         "reached the first floor of many homes. The governor said repairs would take at least six weeks.",
         "Maria Lopez"),
    "a description takes the person whose title it names":
        ("Mayor Tom Riley and Senator Ana Duarte opened the new bridge on Friday. Riley spoke first about the "
         "cost. The senator said the state would pay half of it.", "Ana Duarte"),
    "a newspaper described is the newspaper named":
        ("The Harbor Gazette published the leaked budget on Sunday. The newspaper said the mayor had approved "
         "the cuts in secret.", "Harbor Gazette"),
    "a lone surname is the article's principal":
        ("Senator Anna Berg announced her bid for governor on Monday. Berg has served two terms in the Senate. "
         "Her brother, Olaf Berg, runs a bakery in the capital. Berg said she would cut taxes for small firms.",
         "Anna Berg"),
    "a name without its title, where no entity stands for it":
        ("Mayor Ana Ruiz said on Monday the bridge would reopen in May.", "Ana Ruiz"),
    "a name after the words that describe its bearer, in full":
        ("Canadian actor Sandra Oh opened the festival on Friday. Canadian actor Oh said the film would open "
         "in June.", "Sandra Oh"),
    "a surname alone is the full name told before":
        ("Carole Laurin, the mayor, said roads would be repaired. Laurin said the budget was tight.",
         "Carole Laurin"),
    "a document speaks for the author named in it":
        ("A Lena Park tweet on Friday said the factory would stay open.", "Lena Park"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_speaker_is_named(speakers_of, case):
    text, name = CASES[case]
    said = speakers_of(text)
    assert ("said", name) in said
    assert all(n == name for cue, n in said if cue == "said")       # every telling, not just one


@pytest.mark.parametrize("text, name", [
    ("Tom Reyes's campaign said on Tuesday that it had raised $4 million. The campaign said most gifts were "
     "under $100.", "Reyes campaign"),
    ("The Valdora Port Authority said on Monday that the northern pier would close for repairs. It said the "
     "work would last until June.", "Valdora Port Authority"),
    ("Mayor Ana Ruiz said on Monday the bridge would reopen in May.\n\n\"We will not wait for the state,\" she "
     "said.", "Ana Ruiz"),
])
def test_every_telling_names_the_body_that_spoke(speakers_of, text, name):
    """A campaign is named after its candidate, then "the campaign" is that campaign; "it" carries on the
    organization that spoke just before."""
    assert [n for cue, n in speakers_of(text) if cue == "said"] == [name, name]
