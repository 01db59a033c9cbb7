"""The places stage: toponyms resolved by the gazetteer, qualifiers and the article's context."""
import newsgraph
from newsgraph.knowledge import default_knowledge
from newsgraph.knowledge.gazetteer import GeoName
from newsgraph.model import Place
from newsgraph.stages.places import Toponym, focus


def places(text):
    a = newsgraph.extract(text, published="2025-03-04")
    assert all(a.text[p.start:p.end] == p.text for p in a.places)
    return a.places


def by_text(text):
    return {p.text: p for p in places(text)}


def test_a_qualifier_after_a_comma_settles_the_state():
    found = by_text("A barn burned near London, Ky., on Sunday, and firefighters from Paris, Tenn., "
                    "drove up to help.")
    assert found["London"].country == "USA" and found["London"].region == "Kentucky"
    assert found["Paris"].country == "USA" and found["Paris"].region == "Tennessee"


def test_the_articles_other_places_choose_between_namesakes():
    local = by_text("Deputies from the Laurel County sheriff's office searched a farm outside London on "
                    "Monday. The London police chief said Corbin officers joined them.")
    assert local["London"].region == "Kentucky"
    assert local["Laurel County"].feature == "district" and local["Laurel County"].region == "Kentucky"
    world = by_text("The ministers flew from Paris to London, where Britain's prime minister met them.")
    assert world["London"].country == "GBR" and world["Paris"].country == "FRA"


def test_states_and_counties_resolve_with_coordinates():
    found = by_text("Storms crossed Texas and Oklahoma before reaching Avoyelles Parish on Friday.")
    texas = found["Texas"]
    assert texas.feature == "region" and texas.country == "USA" and texas.geonameid == 4736286
    parish = found["Avoyelles Parish"]
    assert parish.feature == "district" and parish.region == "Louisiana"
    assert 30.5 < parish.lat < 31.5 and -92.5 < parish.lon < -91.5


def test_spelling_variants_resolve_to_the_same_place():
    kb = default_knowledge()
    for a, b in (("Lugansk", "Luhansk"), ("Kiev", "Kyiv"), ("Zaporizhzhia", "Zaporizhia")):
        ga, gb = kb.gazetteer.lookup(a)[0], kb.gazetteer.lookup(b)[0]
        assert abs(ga.lat - gb.lat) < 1.0 and abs(ga.lon - gb.lon) < 1.0 and ga.cc == gb.cc == "UA"


def test_a_town_of_a_few_thousand_people_is_in_the_gazetteer():
    kb = default_knowledge()
    towns = [g for g in kb.gazetteer.lookup("Cottonport") if g.kind == "city"]
    assert towns and towns[0].cc == "US" and towns[0].admin1 == "Louisiana" and towns[0].population < 10000


def test_the_bare_name_of_a_capital_is_the_capital_not_a_namesake_region():
    kb = default_knowledge()
    first = kb.gazetteer.lookup("Washington")[0]
    assert first.kind == "city" and abs(first.lat - 38.9) < 0.2
    state = kb.gazetteer.lookup("Washington state")[0]
    assert state.kind == "admin1" and state.lat > 45


def test_focus_is_where_most_of_the_articles_places_lie():
    def top(name, kind, admin1, lat, lon):
        t = Toponym(Place(start=0, end=len(name), text=name), [])
        t.choice = GeoName(None, name, kind, "US", admin1, lat, lon, 1000)
        return t
    found = [top("Corbin", "city", "Kentucky", 36.95, -84.10), top("London", "city", "Kentucky", 37.13, -84.08),
             top("Laurel County", "admin2", "Kentucky", 37.11, -84.12), top("Ohio", "admin1", "Ohio", 40.3, -82.8)]
    home = focus(found)
    assert home is not None and home.admin1 == "Kentucky" and home.name in ("London", "Laurel County")
    assert focus([]) is None


def test_places_command_counts_places_with_coordinates(tmp_path, capsys):
    from newsgraph.cli import EXIT_OK, main
    src = tmp_path / "in.jsonl"
    src.write_text(
        '{"id": "a", "published": "2025-02-01", "text": "Flooding closed roads in Laurel County and London, Ky., '
        'on Monday. London officials asked drivers to stay home."}\n'
        '{"id": "b", "published": "2025-02-03", "text": "The mayor of London, Ky., said the roads in Laurel County '
        'reopened."}\n', encoding="utf-8")
    db = tmp_path / "n.db"
    assert main(["ingest", str(src), "--db", str(db)]) == EXIT_OK
    capsys.readouterr()
    assert main(["places", "--db", str(db), "--format", "jsonl"]) == EXIT_OK
    rows = [__import__("json").loads(x) for x in capsys.readouterr().out.splitlines()]
    london = next(r for r in rows if r["name"] == "London")
    assert london["region"] == "Kentucky" and london["articles"] == 2 and london["mentions"] >= 3
    assert 36.5 < london["lat"] < 37.5 and -84.5 < london["lon"] < -83.5
    assert rows[0]["mentions"] >= rows[-1]["mentions"]
    assert main(["places", "--db", str(db), "--feature", "district"]) == EXIT_OK
    out = capsys.readouterr().out
    assert "Laurel County (Kentucky, USA)" in out and "London" not in out


PLACES_V2 = ("article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE, \"start\" INTEGER NOT NULL, "
             "\"end\" INTEGER NOT NULL, text TEXT, name TEXT, geonameid INTEGER, lat REAL, lon REAL, country TEXT, "
             "feature TEXT")


def _old_store(tmp_path, columns: str, version: int, says: str):
    """A store whose places table is as schema ``version`` wrote it; a read-only open refuses to list its
    places and names what it lacks (``says``)."""
    import sqlite3
    import pytest
    from newsgraph.errors import StoreError
    from newsgraph.store import Store
    db = tmp_path / "old.db"
    Store(db).close()
    conn = sqlite3.connect(db)
    conn.executescript(f"DROP TABLE places; CREATE TABLE places ({columns}); PRAGMA user_version = {version};")
    conn.close()
    with Store(db, readonly=True) as old:
        with pytest.raises(StoreError, match=says):
            old.places()
    return db


def test_a_store_of_schema_2_gains_place_regions_when_opened_writable(tmp_path):
    from newsgraph.model import Analysis, Article
    from newsgraph.store import SCHEMA_VERSION, Store
    db = _old_store(tmp_path, PLACES_V2, 2, "regions")
    text = "Rain in Avoyelles Parish."
    a = Analysis(article=Article(id="x", text=text),
                 places=[Place(8, 24, "Avoyelles Parish", "Avoyelles Parish", None, 31.07, -92.0, "USA", "district",
                               "Louisiana")])
    with Store(db) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        store.write([a])
        [row] = store.places()
        assert (row["region"], row["estimated"], row["mentions"]) == ("Louisiana", False, 1)


def test_the_gazetteer_is_cached_and_a_broken_cache_is_rebuilt(tmp_path, monkeypatch):
    from newsgraph.knowledge import Knowledge, gazetteer
    monkeypatch.setenv("NEWSGRAPH_CACHE", str(tmp_path))
    town = {"geonameid": 1, "name": "Brookhaven", "countrycode": "US", "admin1code": "MS", "population": 12000,
            "latitude": 31.58, "longitude": -90.44, "alternatenames": []}
    built = []
    monkeypatch.setattr(gazetteer, "_cities1000", lambda: built.append(1) or [town])
    kb = Knowledge()
    first = gazetteer.load(kb, write_cache=True)
    [cached] = list(tmp_path.glob("gazetteer-*.pickle"))
    second = gazetteer.load(kb)
    assert built == [1]                                   # the second load read the pickle
    assert second.lookup("Brookhaven")[0].admin1 == first.lookup("Brookhaven")[0].admin1 == "Mississippi"
    cached.write_bytes(b"not a pickle")
    assert gazetteer.load(kb, write_cache=True).lookup("Brookhaven") and built == [1, 1]
    # a cache of older data is removed when a new one is written
    stale = tmp_path / "gazetteer-0000000000000000.pickle"
    stale.write_bytes(b"old")
    cached.unlink()
    gazetteer.load(kb, write_cache=True)
    assert list(tmp_path.glob("gazetteer-*.pickle")) == [cached]


def test_a_natural_feature_is_not_read_as_the_place_word_it_starts_with():
    kb = default_knowledge()
    assert kb.gazetteer.lookup_part("Lake Victoria") == []
    assert kb.gazetteer.lookup_part("Mount Hood") == []
    assert {g.name for g in kb.gazetteer.lookup_part("Laurel County Jail")} == {"Laurel County"}


def test_areas_and_macro_regions_have_a_place():
    found = by_text("Aid convoys reached Darfur after fighting spread across the Middle East and the Sahel.")
    assert found["Darfur"].country == "SDN" and found["Darfur"].feature == "region"
    assert found["Middle East"].feature == "area" and found["Middle East"].lat is not None


def test_a_country_name_is_never_a_town_of_that_name():
    # A Japanese article: "China" is also a town in Kagoshima, which the other toponyms would favour.
    found = by_text("Officials in Kagoshima, Kumamoto and Miyazaki prefectures said exports to China rose by "
                    "5% last year.")
    assert found["China"].feature == "country" and found["China"].country == "CHN"
    asia = by_text("Exports to Asia rose, while sales in the Asia-Pacific region and the Middle East slumped.")
    assert asia["Asia"].feature == "continent" and asia["Asia"].country is None
    # a macro-region has its own coordinates, not a capital's
    pacific = asia["Asia-Pacific region"]
    assert pacific.feature == "area" and pacific.country is None and not pacific.estimated
    assert abs(pacific.lat - 39.9) > 5


def test_the_articles_country_puts_london_in_england():
    found = places("The British chancellor said London would remain a financial centre. Shares in London "
                   "rose, while Kentucky bourbon exports fell.")
    londons = [p for p in found if p.text == "London"]
    assert len(londons) == 2 and all(p.country == "GBR" and p.region == "England" for p in londons)
    assert next(p for p in found if p.text == "Kentucky").country == "USA"


def test_a_surname_of_a_person_in_the_article_is_no_place():
    found = by_text("Lindsay Davenport beat Serena Williams in Dubai on Tuesday. Afterwards Davenport told "
                    "reporters that Serena had played well.")
    assert "Davenport" not in found and "Serena" not in found
    assert found["Dubai"].country == "ARE"


def test_companies_products_and_terms_are_no_places():
    found = by_text("The carrier Delta reported a loss. Analysts in Atlanta said Delta needed more cash.")
    assert "Delta" not in found and found["Atlanta"].country == "USA"
    found = by_text("Broadband is booming. Broadband prices in Britain fell by 10% as BT cut its charges, "
                    "and Grand Slam winners cheered.")
    assert set(found) == {"Britain"}


def test_a_region_named_as_a_region_is_the_region_not_its_city():
    found = by_text("Shelling hit the Lugansk region overnight. Donetsk oblast was also hit, and Russia "
                    "claims the Kherson and Zaporizhzhia regions.")
    assert found["Lugansk region"].feature == "region" and found["Lugansk region"].name == "Luhansk"
    assert found["Donetsk oblast"].feature == "region"
    assert found["Kherson"].feature == "region" and found["Zaporizhzhia regions"].feature == "region"
    city = by_text("Shelling hit Lugansk overnight, officials in Kyiv said.")
    assert city["Lugansk"].feature == "city"


def test_a_stadium_is_a_place_at_its_town_with_no_geonames_id():
    found = by_text("Chelsea lost 2-1 at the Nou Camp, but beat Barcelona 4-2 at Stamford Bridge.")
    nou = found["Nou Camp"]
    assert nou.feature == "venue" and nou.geonameid is None and nou.country == "ESP"
    assert abs(nou.lat - 41.39) < 0.2 and abs(nou.lon - 2.16) < 0.2
    bridge = found["Stamford Bridge"]
    assert bridge.geonameid is None and abs(bridge.lat - 51.5) < 0.2     # London, not the Yorkshire village


def test_demonyms_are_associative_places_of_their_country():
    found = places("Russian troops entered the town while the British minister watched from London.")
    roles = {p.text: p for p in found}
    assert roles["Russian"].role == "associative" and roles["Russian"].country == "RUS"
    assert roles["Russian"].feature == "country" and roles["Russian"].geonameid == 2017370
    assert roles["British"].role == "associative" and roles["British"].country == "GBR"
    assert roles["London"].role == "literal"
    # a demonym inside a company's name is no place of either role
    assert "British" not in by_text("British Airways cancelled flights to Paris.")


def test_a_name_the_gazetteer_lacks_is_kept_only_as_a_natural_feature():
    found = by_text("Flooding closed roads near Laurel County on Monday, and the Kishwaukee River rose. "
                    "Fans queued for Windows XP in London.")
    assert "Windows XP" not in found
    assert found["Kishwaukee River"].estimated and found["Kishwaukee River"].geonameid is None


def test_places_command_lists_literal_places_unless_asked_for_demonyms(tmp_path, capsys):
    import json
    from newsgraph.cli import EXIT_OK, main
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": "a", "published": "2025-02-01", "text": "Russian troops shelled Kharkiv. Russian '
                   'officials said Ukraine had attacked Belgorod."}\n', encoding="utf-8")
    db = tmp_path / "n.db"
    assert main(["ingest", str(src), "--db", str(db)]) == EXIT_OK
    capsys.readouterr()

    def listed(*extra):
        assert main(["places", "--db", str(db), "--format", "jsonl", *extra]) == EXIT_OK
        return [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    literal = listed()
    assert {r["name"] for r in literal} >= {"Kharkiv", "Ukraine"}
    assert all(r["role"] == "literal" for r in literal) and "Russia" not in {r["name"] for r in literal}
    associative = listed("--role", "associative")
    assert [(r["name"], r["role"], r["mentions"]) for r in associative] == [("Russia", "associative", 2)]
    assert len(listed("--role", "all")) == len(literal) + 1


def test_a_store_of_schema_3_gains_place_roles_when_opened_writable(tmp_path):
    from newsgraph.model import Analysis, Article
    from newsgraph.store import SCHEMA_VERSION, Store
    db = _old_store(tmp_path, PLACES_V2 + ", region TEXT, estimated INTEGER", 3, "roles")
    text = "Rain in Kyiv; Ukrainian officials said so."
    a = Analysis(article=Article(id="x", text=text),
                 places=[Place(8, 12, "Kyiv", "Kyiv", 703448, 50.45, 30.52, "UKR", "city"),
                         Place(14, 23, "Ukrainian", "Ukraine", 690791, 49.0, 32.0, "UKR", "country", role="associative")])
    with Store(db) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        store.write([a])
        store.conn.execute("UPDATE places SET role = NULL WHERE text = 'Kyiv'")    # a row written before roles
        assert [r["name"] for r in store.places()] == ["Kyiv"]
        assert [r["name"] for r in store.places(role="associative")] == ["Ukraine"]
        assert len(store.places(role=None)) == 2


def test_a_country_inside_the_name_of_a_war_is_a_place():
    found = places("Students see the Iraq war as a defining issue, the party leader said on Monday.")
    iraq = [p for p in found if p.text == "Iraq"]
    assert len(iraq) == 1 and iraq[0].country == "IRQ" and iraq[0].feature == "country"
    assert iraq[0].role == "literal"


def test_one_town_index_serves_the_recogniser_and_keeps_case():
    kb = default_knowledge()
    # the recogniser's question is answered by the gazetteer's towns, most populous first
    hamilton = kb.city("Hamilton")
    assert hamilton and hamilton[0] in kb.gazetteer.lookup("Hamilton")
    assert [g.population for g in hamilton] == sorted((g.population for g in hamilton), reverse=True)
    # case is kept: a proper name is a town, the same word in lower case is not
    assert kb.city("Reading") and not kb.city("reading")
    # a national capital smaller than 15,000 people is still a town; a population floor filters
    assert kb.city("Vaduz")[0].cc == "LI"
    assert not kb.city("Vaduz", 100_000)
