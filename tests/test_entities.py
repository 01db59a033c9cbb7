"""The entities stage: names, titles, nominals, pronouns and capitals, on short invented articles."""
from __future__ import annotations

import pytest

from newsgraph.model import Article


def analyse(pipeline, text):
    return pipeline.analyze(Article(id="t", text=text))


def by_name(analysis, name):
    found = [e for e in analysis.entities if e.name == name]
    assert found, f"no entity {name!r} in {[e.name for e in analysis.entities]}"
    assert len(found) == 1, f"{name!r} split into {len(found)} entities"
    return found[0]


def mention_texts(entity):
    return [m.text for m in entity.mentions]


SUMMIT = ("German Chancellor Anna Weber met French President Louis Martin in Paris on Monday. "
          "Weber said she hoped the talks would ease tensions over farm subsidies. Martin said he was "
          "confident. The German leader later flew to Berlin.")


def test_titled_name_short_name_pronoun_and_nominal_form_one_entity(pipeline):
    a = analyse(pipeline, SUMMIT)
    weber = by_name(a, "Anna Weber")
    assert mention_texts(weber) == ["German Chancellor Anna Weber", "Weber", "she", "The German leader"]
    assert (weber.title, weber.country, weber.nationality, weber.gender) == ("Chancellor", "DEU", "German", "f")
    assert [m.kind for m in weber.mentions] == ["name", "name", "pronoun", "nominal"]


def test_two_people_keep_apart(pipeline):
    a = analyse(pipeline, SUMMIT)
    martin = by_name(a, "Louis Martin")
    assert "he" in mention_texts(martin) and "Martin" in mention_texts(martin)
    assert martin.country == "FRA"
    weber = by_name(a, "Anna Weber")
    assert not set(id(m) for m in weber.mentions) & set(id(m) for m in martin.mentions)


def test_mentions_carry_offsets_into_the_text(pipeline):
    a = analyse(pipeline, SUMMIT)
    for e in a.entities:
        for m in e.mentions:
            assert a.text[m.start:m.end] == m.text
            s = a.sentences[m.sentence]
            assert s.start <= m.start < s.end


def test_capital_as_actor_stands_for_its_state(pipeline):
    a = analyse(pipeline, "Berlin says it is ready to send more aid to the region. "
                          "Officials in Berlin declined to comment.")
    berlin = by_name(a, "Berlin")
    germany = by_name(a, "Germany")
    assert berlin.kind == "capital" and berlin.country == "DEU"
    assert berlin.stands_for == germany.id
    acting = [m for m in berlin.mentions if m.kind == "name"]
    assert [m.acts_as for m in acting] == [germany.id, None]   # "Berlin says" acts; "in Berlin" is a place
    assert "it" in mention_texts(berlin)


def test_capital_after_motion_is_a_place(pipeline):
    a = analyse(pipeline, SUMMIT)
    berlin = by_name(a, "Berlin")
    assert all(m.acts_as is None for m in berlin.mentions)


def test_groups_by_nationality_and_sector(pipeline):
    a = analyse(pipeline, "Nigerian troops and Ghanaian police officers held a joint exercise. Kenyan media "
                          "reported that Ugandan companies and banks had frozen accounts.")
    troops = by_name(a, "Nigerian troops")
    assert (troops.kind, troops.country, troops.sector) == ("group", "NGA", "MIL")
    media = by_name(a, "Kenyan media")
    assert (media.country, media.sector) == ("KEN", "MED")
    firms = by_name(a, "Ugandan companies and banks")
    assert (firms.country, firms.sector) == ("UGA", "BUS")


def test_country_after_of_and_name_mislabelled_by_ner(pipeline):
    a = analyse(pipeline, "Prime Minister Sara Lindqvist of Sweden said on Friday that she would resign. "
                          "Lindqvist, 54, told reporters that her party needed new leadership.")
    pm = by_name(a, "Sara Lindqvist")
    assert pm.country == "SWE" and pm.title == "Prime Minister"
    assert mention_texts(pm) == ["Prime Minister Sara Lindqvist", "she", "Lindqvist", "her"]


def test_pleonastic_it_is_not_a_mention(pipeline):
    a = analyse(pipeline, "The Kremlin rejected the plan. It is likely that talks will resume.")
    assert all(m.text != "It" for e in a.entities for m in e.mentions)


def test_apposition_links_role_and_name(pipeline):
    a = analyse(pipeline, "Iran's president, Mohammad Rezaei, said Tehran would not give in. "
                          "The president added that Iran wanted talks.")
    p = by_name(a, "Mohammad Rezaei")
    assert mention_texts(p) == ["Iran's president", "Mohammad Rezaei", "The president"]
    assert p.country == "IRN"
    assert by_name(a, "Tehran").stands_for == by_name(a, "Iran").id


def test_object_pronoun_does_not_bind_to_own_subject(pipeline):
    a = analyse(pipeline, "Senator Paul Reed met Governor Tom Hale on Monday. Reed praised him warmly.")
    hale = by_name(a, "Tom Hale")
    assert "him" in mention_texts(hale)
    assert "him" not in mention_texts(by_name(a, "Paul Reed"))


def test_she_does_not_go_to_a_man(pipeline):
    a = analyse(pipeline, "Mayor John Carter spoke after Minister Maria Lopez. She said the budget was fair.")
    assert "She" in mention_texts(by_name(a, "Maria Lopez"))
    assert "She" not in mention_texts(by_name(a, "John Carter"))


@pytest.mark.parametrize("text", ["", "   ", "\u201cunclosed quote and no end", "a b c", "he said it"])
def test_odd_texts_do_not_crash(pipeline, text):
    a = analyse(pipeline, text)
    assert isinstance(a.entities, list)


def test_the_company_joins_the_named_organization(pipeline):
    a = analyse(pipeline, "Shares in Volvo rose on Monday. The company said profits had doubled. "
                          "The bank that lent it money was pleased.")
    volvo = by_name(a, "Volvo")
    assert "The company" in mention_texts(volvo)
    assert "The bank" not in mention_texts(volvo)   # a bank is not "the company" unless its name says so
