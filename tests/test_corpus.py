"""Corpus entities: the same actor across articles is one record; people who share a surname, and a
person and a place or an organization of the same name, stay apart."""
from __future__ import annotations

import json

from newsgraph.cli import main
from newsgraph.model import Analysis, Article, Entity, Mention, Quote, Span
from newsgraph.store import Store
from newsgraph.store import corpus


def test_names_are_normalised_and_keyed_by_kind():
    assert corpus.normalise("Mr. José Ramos") == "jose ramos"
    assert corpus.normalise("The Kremlin") == "kremlin" and corpus.normalise("ex-Yukos") == "yukos"
    assert corpus.key("PM Tony Blair", "person", None) == corpus.key("Tony Blair", "person", None)
    assert corpus.key("Jordan", "country", "JOR") == "country:JOR"
    assert corpus.key("Jordan", "person", None) != corpus.key("Jordan", "organization", None)
    assert corpus.surname("Anna Berg", "person") == "berg" and corpus.surname("Berg", "person") is None
    assert corpus.surname("Robert De Niro", "person") == "de niro"
    assert corpus.partial_name("Berg", "person") == ("berg", "") and corpus.partial_name("Berg", "organization") is None
    assert corpus.partial_name("G Henson", "person") == ("henson", "g") and corpus.partial_name("De Niro", "person") == \
        ("de niro", "")
    assert corpus.partial_name("Gavin Henson", "person") is None


def article(aid: str, *entities: tuple[str, str, str | None]) -> Analysis:
    """An analysis whose text is the entities' names, one sentence each."""
    text, ents = "", []
    for k, (name, kind, country) in enumerate(entities, 1):
        start = len(text)
        text += name + " spoke. "
        ents.append(Entity(f"e{k}", name, {"person": "PERSON", "country": "GPE"}.get(kind, "ORG"), kind,
                           [Mention(start, start + len(name), name, "name", k - 1, name.split()[-1])], country=country))
    return Analysis(article=Article(id=aid, text=text, published=f"2025-01-{int(aid[1:]):02d}"), entities=ents)


def links(store: Store) -> dict[tuple[str, str], int]:
    return {(r[0], r[1]): r[2] for r in store.conn.execute("SELECT article_id, entity_id, corpus_id FROM entity_links")}


def test_one_record_per_actor_and_no_merge_of_namesakes(tmp_path):
    with Store(tmp_path / "c.db") as store:
        store.write([article("a1", ("Anna Berg", "person", "NOR"), ("Labour Party", "organization", "NOR"),
                             ("Jordan", "country", "JOR"))])
        a2 = article("a2", ("Berg", "person", None), ("Labour Party", "organization", None),
                     ("Michael Jordan", "person", None), ("Chicago Bulls", "organization", None))
        a2.quotes = [Quote("indirect", [Span(5, 11, a2.text[5:11])], Span(0, 4, "Berg"), None, speaker_name="Berg",
                           speaker_entity="e1")]
        store.write([a2])
        store.write([article("a3", ("Jordan", "person", None), ("Chicago Bulls", "organization", None),
                             ("Erik Berg", "person", None), ("Hashemite Kingdom of Jordan", "country", "JOR"))])
        store.write([article("a4", ("Berg", "person", None), ("Oslo Symphony", "organization", None))])
        store.write([article("a5", ("Berg", "person", None), ("Jordan", "country", "JOR"))])
        ln = links(store)
        assert ln["a2", "e1"] == ln["a1", "e1"]                 # "Berg" is Anna Berg: both articles name her party
        assert ln["a1", "e2"] != ln["a1", "e1"]                 # the party is not the person
        assert ln["a3", "e1"] == ln["a2", "e3"] != ln["a1", "e3"]   # "Jordan" the player, not the country
        assert ln["a3", "e4"] == ln["a1", "e3"]                 # the country by its code, whatever its name
        assert ln["a3", "e3"] != ln["a1", "e1"]                 # Erik Berg is not Anna Berg
        assert ln["a4", "e1"] not in (ln["a1", "e1"], ln["a3", "e3"])   # nothing shared: "Berg" stays apart
        assert ln["a5", "e1"] == ln["a4", "e1"]                 # a country in common is not enough
        # a full name arriving after its surname was seen alone claims the articles that share an actor
        store.write([article("a6", ("Kim", "person", None), ("Seoul Orchestra", "organization", None))])
        store.write([article("a7", ("Kim", "person", None), ("Busan Port", "organization", None))])
        store.write([article("a8", ("Lee Kim", "person", None), ("Seoul Orchestra", "organization", None))])
        ln = links(store)
        assert ln["a6", "e1"] == ln["a8", "e1"] != ln["a7", "e1"]
        # quotes by speaker find every alias: "Berg" of a2 is Anna Berg
        assert [q["article_id"] for q in store.quotes(speaker="anna berg")] == ["a2"]
        [berg] = [r for r in store.find_entities("anna berg")]
        assert (berg["name"], berg["kind"], berg["country"], berg["n_articles"]) == ("Anna Berg", "person", "NOR", 2)
        record = store.entity(berg["id"])
        assert {a["alias"] for a in record["aliases"]} == {"Anna Berg", "Berg"}
        assert (record["first_seen"], record["last_seen"]) == ("2025-01-01", "2025-01-02")


NORLAND = [
    {"id": "n1", "published": "2025-02-03", "text": "Prime Minister Anna Berg of Norland said on Monday that talks "
     "with Vesterland would resume next week. \"We are ready to listen,\" Berg told reporters in Oslo."},
    {"id": "n2", "published": "2025-02-10", "text": "Norland's prime minister, Anna Berg, accused Vesterland of "
     "blocking the talks. \"They have walked away twice,\" Ms Berg said in a radio interview on Sunday."},
]


def test_the_entity_command_shows_one_actor_across_articles(tmp_path, capsys):
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in NORLAND), encoding="utf-8")
    db = tmp_path / "x.db"
    assert main(["ingest", str(src), "--db", str(db), "--no-progress"]) == 0
    capsys.readouterr()
    assert main(["entity", "anna berg", "--db", str(db), "--format", "json"]) == 0
    rec = json.loads(capsys.readouterr().out)
    assert rec["name"] == "Anna Berg" and rec["kind"] == "person" and rec["n_articles"] == 2
    assert {q["article_id"] for q in rec["quotes"]} == {"n1", "n2"}
    assert main(["entity", "Berg", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Anna Berg  (person") and "quotes (" in out
    assert main(["entity", "nobody at all", "--db", str(db)]) == 0
    assert "no entity named like" in capsys.readouterr().err
