"""Kinds of attribution: every quote's cue reports speech, writing, thought or knowledge; listings and
counts show speech and writing unless asked; stores written before the kinds get them on upgrade."""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from newsgraph.cli import main
from newsgraph.model import Analysis, Article, Quote, Span
from newsgraph.store import Store

TEXT = ("The mayor said the bridge would reopen in May. Engineers believe the repairs were rushed. The audit "
        "report says the costs doubled. The minister learned that the budget had run out. According to a letter "
        "from the council, the vote was delayed. The governor wrote that the plan was final.")


@pytest.fixture(scope="module")
def kinds(pipeline):
    a = pipeline.analyze(Article(id="k", text=TEXT, published="2025-03-04"))
    return {q.cue.text: q.cue_kind for q in a.quotes}, a


def test_each_cue_says_what_it_reports(kinds):
    by_cue, a = kinds
    assert by_cue["said"] == "speech"
    assert by_cue["believe"] == "thought"
    assert by_cue["learned"] == "knowledge"
    assert by_cue["wrote"] == "writing"
    assert by_cue["says"] == "writing"                      # a report speaks in writing
    assert by_cue["According to"] == "writing"              # so does a letter
    assert all(q.cue_kind is None for q in a.attitudes)


def _quote(text: str, cue: str, kind: str | None, content: str) -> Quote:
    c = text.index(cue)
    s = text.index(content)
    return Quote("indirect", [Span(s, s + len(content), content)], Span(c, c + len(cue), cue), None,
                 speaker_name="Ana Ruiz", cue_lemma=cue.rstrip("sd") if kind else None, cue_kind=kind)


def _analysis(aid: str) -> Analysis:
    text = "Ana Ruiz said the port would reopen. Ana Ruiz believes the strike will end."
    return Analysis(Article(aid, text, published="2025-02-03"),
                    quotes=[_quote(text, "said", "speech", "the port would reopen"),
                            _quote(text, "believes", "thought", "the strike will end")])


def test_listings_and_counts_show_speech_and_writing_unless_asked(tmp_path, capsys):
    db = tmp_path / "k.db"
    with Store(db) as s:
        s.write([_analysis("a")])
        assert [q["cue_kind"] for q in s.quotes()] == ["speech"]
        assert [q["cue_kind"] for q in s.quotes(kinds=None)] == ["speech", "thought"]
        assert [q["cue_kind"] for q in s.quotes(kinds=["thought"])] == ["thought"]
        assert s.counts("quotes", "month") == [{"period": "2025-02", "n": 1}]
        assert s.counts("quotes", "month", kinds=None) == [{"period": "2025-02", "n": 2}]
    capsys.readouterr()
    assert main(["quotes", "--db", str(db), "--kind", "all", "--format", "jsonl"]) == 0
    assert [json.loads(line)["cue_kind"] for line in capsys.readouterr().out.splitlines()] == ["speech", "thought"]
    assert main(["quotes", "--db", str(db), "--format", "jsonl"]) == 0
    assert [json.loads(line)["cue_kind"] for line in capsys.readouterr().out.splitlines()] == ["speech"]
    with pytest.raises(SystemExit):
        main(["quotes", "--db", str(db), "--kind", "gossip"])


def test_the_api_takes_the_kinds(tmp_path):
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from newsgraph.api import create_app
    db = tmp_path / "k.db"
    with Store(db) as s:
        s.write([_analysis("a")])
    client = TestClient(create_app(db))
    assert client.get("/api/quotes").json()["count"] == 1
    assert client.get("/api/quotes", params={"kind": "all"}).json()["count"] == 2
    assert client.get("/api/quotes", params={"kind": "thought,knowledge"}).json()["rows"][0]["cue_kind"] == "thought"
    assert client.get("/api/quotes", params={"kind": "rumour"}).status_code == 422


def test_a_store_from_before_the_kinds_gets_them_from_each_cue(tmp_path: Path):
    db = tmp_path / "v11.db"
    with Store(db) as s:
        s.write([_analysis("a")])
    conn = sqlite3.connect(db)          # as version 11 wrote it: no cue_kind column
    conn.executescript("UPDATE quotes SET cue_lemma = CASE idx WHEN 0 THEN 'say' ELSE 'believe' END; "
                       "DROP VIEW IF EXISTS quotes_in_context; DROP VIEW IF EXISTS story_quotes; "
                       "DROP VIEW IF EXISTS quotes_by_speaker; DROP VIEW IF EXISTS article_summary; "
                       "DROP TRIGGER IF EXISTS quotes_fts_insert; DROP TRIGGER IF EXISTS quotes_fts_delete; "
                       "ALTER TABLE quotes DROP COLUMN cue_kind; PRAGMA user_version = 11;")
    conn.close()
    with Store(db, readonly=True) as old:                  # read as it is: every quote counts as speech
        assert len(old.quotes()) == 2
    with Store(db) as s:                                     # upgraded on a writable open
        assert [q["cue_kind"] for q in s.quotes(kinds=None)] == ["speech", "thought"]
        assert s.conn.execute("PRAGMA user_version").fetchone()[0] == 12
