"""An article in another language is stored without extraction, with warning W111; English articles,
and texts too short to tell, are analysed as before."""
from __future__ import annotations

import json
import sqlite3

from newsgraph.cli import main
from newsgraph.language import detect, foreign
from newsgraph.model import Article

FRENCH = ("La ministre de l'Économie a annoncé mardi à Paris une baisse des impôts pour les ménages modestes. "
          "« Nous tiendrons nos engagements », a-t-elle déclaré devant les députés, selon l'agence Reuters.")
GERMAN = ("Der Bürgermeister von Leipzig hat am Montag einen neuen Radweg entlang der Elster eröffnet. "
          "„Wir bauen weiter“, sagte er vor Journalisten.")
ENGLISH = "The mayor of Leipzig opened a new cycle path along the river on Monday, officials said."


def test_detect_names_the_language_and_abstains_on_too_little_text():
    assert detect(FRENCH)[0] == "fr" and detect(GERMAN)[0] == "de" and detect(ENGLISH)[0] == "en"
    assert foreign(FRENCH, 0.9)[0] == "fr" and foreign(ENGLISH, 0.9) is None
    assert foreign("Paris, Berlin", 0.9) is None                       # too short to tell: read as English
    assert foreign(FRENCH, 0) is None                                  # the check turned off


def test_an_article_in_another_language_is_stored_without_extraction(pipeline, tmp_path, capsys):
    results = list(pipeline.pipe([Article(id="fr", text=FRENCH), Article(id="en", text=ENGLISH),
                                  Article(id="de", text=GERMAN)]))
    assert [r.id for r in results] == ["fr", "en", "de"]                # input order kept
    fr, en, de = results
    assert fr.meta["language"] == "fr" and [w["code"] for w in fr.meta["warnings"]] == ["W111"]
    assert not (fr.entities or fr.quotes or fr.places or fr.events) and fr.text == FRENCH
    assert de.meta["language"] == "de" and not de.places
    assert en.meta["language"] == "en" and "warnings" not in en.meta and en.places
    # stored with its text, the warning recorded in the errors table, the run's exit unaffected
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in (("fr", FRENCH), ("en", ENGLISH))),
                   encoding="utf-8")
    db = tmp_path / "x.db"
    assert main(["ingest", str(src), "--db", str(db), "--no-progress"]) == 0
    with sqlite3.connect(db) as c:
        assert c.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 2
        assert [tuple(r) for r in c.execute("SELECT article_id, code FROM errors")] == [("fr", "W111")]
        assert c.execute("SELECT COUNT(*) FROM places WHERE article_id = 'fr'").fetchone()[0] == 0
