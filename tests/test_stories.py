"""Stories: near-duplicate articles (wire copies, updated versions) are grouped as they are stored, a
later batch joins the stories of earlier ones, and quotes and events are counted once per story."""
from __future__ import annotations

import sqlite3

from newsgraph.cli import main
from newsgraph.model import Actor, Analysis, Article, Event, Quote, Span
from newsgraph.store import Store
from newsgraph.store import stories

WIRE = ("Fishermen in the port of Valdora blocked the harbour entrance with about forty boats on Tuesday to "
        "protest against new catch limits set by the regional council. The council said the limits were needed "
        "to protect cod stocks, which have fallen for six years in a row. \"We cannot feed our families on "
        "these quotas,\" said Marta Ruiz, who leads the fishermen's association. Talks are due to resume on "
        "Friday in the council building, officials said.")
UPDATED = WIRE.replace("on Tuesday", "on Tuesday morning").replace("Talks are due to resume on Friday in the "
                                                                   "council building, officials said.",
                                                                   "Talks resumed late on Tuesday, officials said.")
OTHER = ("A new bridge over the river Lenna opened to traffic on Monday after three years of building work. The "
         "mayor said the bridge would cut journey times into the city centre by half for commuters from the "
         "southern suburbs.")


def analysis(aid: str, text: str, source: str, quote: bool = True) -> Analysis:
    a = Analysis(article=Article(id=aid, text=text, source=source, published="2025-03-04"))
    if quote and "We cannot" in text:
        at = text.index("\"We cannot")
        content = Span(at, text.index(",\" said") + 2, text[at:text.index(",\" said") + 2])
        cue = Span(text.index("said Marta"), text.index("said Marta") + 4, "said")
        a.quotes = [Quote("direct", [content], cue, None, speaker_name="Marta Ruiz")]
        at = text.index("blocked")
        a.events = [Event("PROTEST", Actor("Fishermen", 0, 9, name="fishermen"), Actor("regional council", 0, 0,
                                                                                       name="regional council"),
                          trigger=Span(at, at + 7, "blocked"), cameo="1443")]
    return a


def test_signatures_estimate_similarity():
    assert stories.similarity(stories.signature(WIRE), stories.signature(WIRE)) == 1.0
    assert stories.similarity(stories.signature(WIRE), stories.signature(UPDATED)) >= stories.THRESHOLD
    assert stories.similarity(stories.signature(WIRE), stories.signature(OTHER)) < 0.1
    assert len(stories.band_keys(stories.signature(WIRE))) == stories.BANDS


def test_copies_make_one_story_across_batches_and_count_once(tmp_path):
    db = tmp_path / "s.db"
    with Store(db) as store:
        store.write([analysis("w1", WIRE, "Coast Wire"), analysis("o1", OTHER, "City Post")])
    with Store(db) as store:            # a later run: the copy joins the earlier story
        store.write([analysis("w2", UPDATED, "Harbour Times"), analysis("w3", WIRE, "Coast Wire Mirror")])
        c = store.conn
        story = dict(c.execute("SELECT article_id, story_id FROM article_stories").fetchall())
        assert story == {"w1": "w1", "o1": "o1", "w2": "w1", "w3": "w1"}
        rows = {r[0]: tuple(r[1:]) for r in c.execute("SELECT story_id, n_articles, n_sources FROM stories")}
        assert rows == {"w1": (3, 3), "o1": (1, 1)}
        [(speaker, n_articles, n_sources)] = c.execute(
            "SELECT speaker_name, n_articles, n_sources FROM story_quotes").fetchall()
        assert (speaker, n_articles, n_sources) == ("Marta Ruiz", 3, 3)
        store.delete(["w2"])                                           # its story rows go with it
        assert c.execute("SELECT COUNT(*) FROM story_bands WHERE article_id = 'w2'").fetchone()[0] == 0
        assert c.execute("SELECT n_articles FROM stories WHERE story_id = 'w1'").fetchone()[0] == 2


def test_a_store_written_before_stories_gets_them_on_its_first_writable_open(tmp_path):
    db = tmp_path / "old.db"
    with Store(db) as store:
        store.write([analysis("w1", WIRE, "A"), analysis("w2", UPDATED, "B"), analysis("o1", OTHER, "C")])
    conn = sqlite3.connect(db)
    conn.executescript("DELETE FROM article_stories; DELETE FROM story_bands; DELETE FROM story_signatures; "
                       "PRAGMA user_version = 7;")
    conn.close()
    with Store(db) as store:
        assert dict(store.conn.execute("SELECT article_id, story_id FROM article_stories").fetchall()) == \
            {"w1": "w1", "w2": "w1", "o1": "o1"}


def test_the_gdelt_export_writes_a_story_s_event_once_with_its_articles_and_sources(tmp_path, capsys):
    db = tmp_path / "s.db"
    with Store(db) as store:
        store.write([analysis("w1", WIRE, "Coast Wire"), analysis("w2", UPDATED, "Harbour Times"),
                     analysis("w3", WIRE, "Coast Wire"), analysis("o1", OTHER, "City Post")])
    capsys.readouterr()
    assert main(["export", "--db", str(db), "--format", "gdelt", "--header"]) == 0
    header, *rows = [line.split("\t") for line in capsys.readouterr().out.splitlines()]
    assert len(rows) == 1                                       # three copies, one event row
    row = dict(zip(header, rows[0]))
    assert (row["NumMentions"], row["NumArticles"], row["NumSources"]) == ("3", "3", "2")
    assert main(["stories", "--db", str(db), "--format", "jsonl"]) == 0
    listed = [__import__("json").loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [(r["story_id"], r["n_articles"], r["n_sources"]) for r in listed] == [("w1", 3, 2)]


def test_gdelt_mentions_carry_every_telling_with_its_offsets(tmp_path, capsys):
    db = tmp_path / "s.db"
    with Store(db) as store:
        store.write([analysis("w1", WIRE, "Coast Wire"), analysis("w2", UPDATED, "Harbour Times")])
    capsys.readouterr()
    assert main(["export", "--db", str(db), "--format", "gdelt", "--header"]) == 0
    header, event = [line.split("\t") for line in capsys.readouterr().out.splitlines()]
    assert main(["export", "--db", str(db), "--format", "gdelt-mentions", "--header"]) == 0
    header_m, *mentions = [line.split("\t") for line in capsys.readouterr().out.splitlines()]
    assert len(header_m) == 16 and len(mentions) == 2
    rows = [dict(zip(header_m, m)) for m in mentions]
    assert {r["GlobalEventID"] for r in rows} == {dict(zip(header, event))["GlobalEventID"]}   # one event
    for r, text in zip(rows, (WIRE, UPDATED)):
        assert int(r["ActionCharOffset"]) == text.index("blocked") and r["MentionSourceName"] in ("Coast Wire",
                                                                                                   "Harbour Times")
        assert r["MentionDocLen"] == str(len(text)) and r["SentenceID"] == ""
