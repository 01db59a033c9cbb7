"""The CLI end to end: extract, ingest (idempotent, resumable after kill -9, bad input), search, stats."""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from newsgraph.cli import EXIT_FATAL, EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, main


def count(db, table="articles"):
    with sqlite3.connect(db) as c:
        return c.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_extract_jsonl_keeps_ids_and_dates(jsonl_file, capsys):
    assert main(["extract", str(jsonl_file), "--format", "jsonl"]) == EXIT_OK
    lines = capsys.readouterr().out.splitlines()
    rows = [json.loads(x) for x in lines]
    assert [r["id"] for r in rows] == ["t-ports", "t-rain", "t-trade"]
    assert all(r["published"] == "2025-02-03" for r in rows)
    assert all(r["entities"] for r in rows)


def test_extract_text_file_json_with_published(tmp_path, capsys):
    path = tmp_path / "a.txt"
    path.write_text("Mayor Lena Fischer opened a new library in Vienna on Monday.", encoding="utf-8")
    assert main(["extract", str(path), "--published", "2025-04-07", "--format", "json"]) == EXIT_OK
    out = json.loads(capsys.readouterr().out)
    assert out["published"] == "2025-04-07"
    assert out["id"].startswith("sha1:")
    assert out["origin"] == str(path)


def test_extract_reports_bad_line_and_goes_on(tmp_path, capsys):
    path = tmp_path / "mixed.jsonl"
    path.write_text('{"id": "a", "text": "Officials in Lima said the bridge would reopen."}\n'
                    '{"id": "b", "text": \n'
                    '{"id": "c", "text": "Talks in Nairobi ended without a deal."}\n', encoding="utf-8")
    assert main(["extract", str(path)]) == EXIT_PARTIAL
    captured = capsys.readouterr()
    assert [json.loads(x)["id"] for x in captured.out.splitlines()] == ["a", "c"]
    assert f"{path}:2" in captured.err and "E106" in captured.err


def test_bad_published_is_a_usage_error(tmp_path, capsys):
    path = tmp_path / "a.txt"
    path.write_text("Some text about a town council meeting.", encoding="utf-8")
    assert main(["extract", str(path), "--published", "next tuesday"]) == EXIT_USAGE
    assert "E109" in capsys.readouterr().err


def test_ingest_is_idempotent(jsonl_file, tmp_path):
    db = tmp_path / "news.db"
    assert main(["ingest", str(jsonl_file), "--db", str(db), "--no-progress"]) == EXIT_OK
    assert count(db) == 3
    n_entities = count(db, "entities")
    assert n_entities > 0
    assert main(["ingest", str(jsonl_file), "--db", str(db), "--no-progress"]) == EXIT_OK
    assert count(db) == 3
    assert count(db, "entities") == n_entities


def test_ingest_keeps_only_the_dates_asked_for(tmp_path, capsys):
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": f"d{k}", "published": f"2025-0{k}-15",
                                       "text": "The council said on Monday that the library would reopen."}) + "\n"
                           for k in range(1, 5)), encoding="utf-8")
    db = tmp_path / "x.db"
    assert main(["ingest", str(src), "--db", str(db), "--since", "2025-02-01", "--until", "2025-03-31",
                 "--no-progress"]) == EXIT_OK
    assert "read 2 articles" in capsys.readouterr().err
    assert sorted(r[0] for r in sqlite3.connect(db).execute("SELECT id FROM articles")) == ["d2", "d3"]
    with pytest.raises(SystemExit) as stop:
        main(["ingest", str(src), "--db", str(db), "--until", "March"])
    assert stop.value.code == EXIT_USAGE and "'March' is not a date" in capsys.readouterr().err


def test_ingest_bad_inputs_are_recorded_and_the_run_goes_on(tmp_path, capsys):
    src = tmp_path / "in"
    src.mkdir()
    (src / "good.txt").write_text("The harbour authority in Lisbon said ferries would resume on Monday.",
                                  encoding="utf-8")
    (src / "empty.txt").write_text("", encoding="utf-8")
    (src / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))
    (src / "latin1.txt").write_bytes("Caf\xe9 owners in Porto protested.".encode("latin-1"))
    (src / "nav.html").write_text("<html><body><nav><a href='/'>Home</a></nav></body></html>", encoding="utf-8")
    (src / "broken.jsonl").write_text('{"id": "j1", "text": "Farmers in Chile asked for help."}\n{oops\n',
                                      encoding="utf-8")
    (src / "quotes.txt").write_text('He said "this never closes. And the minister agreed.\nNext paragraph "here.',
                                    encoding="utf-8")
    db = tmp_path / "news.db"
    assert main(["ingest", str(src), "--db", str(db), "--no-progress"]) == EXIT_PARTIAL
    err = capsys.readouterr().err
    for code in ("E101", "E102", "E103", "E105", "E106"):
        assert code in err
    assert count(db) == 3          # good.txt, j1 and the unbalanced-quotes article
    assert count(db, "errors") == 5
    # A rerun stores nothing new and does not duplicate the error rows.
    assert main(["ingest", str(src), "--db", str(db), "--no-progress"]) == EXIT_PARTIAL
    assert count(db) == 3
    assert count(db, "errors") == 5


def test_ingest_too_large_article(tmp_path, capsys):
    path = tmp_path / "long.txt"
    path.write_text("The council met again. " * 20, encoding="utf-8")
    db = tmp_path / "news.db"
    assert main(["ingest", str(path), "--db", str(db), "--no-progress", "--max-bytes", "100"]) == EXIT_PARTIAL
    assert "E104" in capsys.readouterr().err
    assert count(db) == 0


def _corpus(path, n):
    with open(path, "w", encoding="utf-8") as f:
        for i in range(n):
            text = (f"Report {i}: the council of Town{i} voted on Monday to repair {i + 2} bridges. "
                    f"Mayor Anna Berg said the work would start in spring. \"We have waited long enough,\" she said.")
            f.write(json.dumps({"id": f"a{i}", "text": text}) + "\n")


def test_ingest_resumes_after_kill_9(tmp_path):
    src, db = tmp_path / "many.jsonl", tmp_path / "news.db"
    n = 400
    _corpus(src, n)
    cmd = [sys.executable, "-m", "newsgraph.cli", "ingest", str(src), "--db", str(db), "--batch-size", "8",
           "--no-progress"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while time.time() < deadline:
        time.sleep(0.2)
        if db.exists():
            try:
                if count(db) >= 40:
                    break
            except sqlite3.OperationalError:
                pass
        if proc.poll() is not None:
            break
    os.kill(proc.pid, signal.SIGKILL) if proc.poll() is None else None
    proc.wait()
    partial = count(db)
    assert 0 < partial < n, "the run should have been killed halfway"
    done = subprocess.run(cmd, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert count(db) == n
    with sqlite3.connect(db) as c:
        assert c.execute("SELECT count(DISTINCT id) FROM articles").fetchone()[0] == n
        assert c.execute("SELECT count(*) FROM articles_fts").fetchone()[0] == n
    assert f"skipped {partial} already stored" in done.stderr


def test_search_and_stats(jsonl_file, tmp_path, capsys):
    db = tmp_path / "news.db"
    main(["ingest", str(jsonl_file), "--db", str(db), "--no-progress"])
    capsys.readouterr()
    assert main(["search", "tariffs", "--db", str(db), "--json"]) == EXIT_OK
    hits = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [h["id"] for h in hits] == ["t-trade"]
    assert "[tariffs]" in hits[0]["snippet"]
    assert main(["stats", "--db", str(db), "--json"]) == EXIT_OK
    stats = json.loads(capsys.readouterr().out)
    assert stats["articles"] == 3


def test_missing_store_is_a_usage_error(tmp_path, capsys):
    assert main(["stats", "--db", str(tmp_path / "nope.db")]) == EXIT_USAGE
    assert "no such store" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["extract", "ingest", "search", "stats", "quotes", "events", "figures",
                                     "export", "errors"])
def test_every_command_has_help(command, capsys):
    with pytest.raises(SystemExit) as exc:
        main([command, "--help"])
    assert exc.value.code == 0
    assert "usage: newsgraph " + command in capsys.readouterr().out


def test_quotes_command_prints_who_said_what(tmp_path, capsys):
    src = tmp_path / "a.jsonl"
    src.write_text(json.dumps({"id": "q1", "published": "2025-05-02", "text":
                               "\u201cThe harbour will reopen next week,\u201d said port director Ana Costa. "
                               "Fishermen said they were relieved."}) + "\n" +
                   json.dumps({"id": "q2", "published": "2024-01-09", "text":
                               "Mayor John Carter said the budget was fair."}) + "\n", encoding="utf-8")
    db = tmp_path / "news.db"
    main(["ingest", str(src), "--db", str(db), "--no-progress"])
    capsys.readouterr()
    assert main(["quotes", "--db", str(db)]) == EXIT_OK
    out = capsys.readouterr().out
    assert "Ana Costa" in out and "The harbour will reopen next week" in out
    assert main(["quotes", "--db", str(db), "--speaker", "costa", "--format", "jsonl"]) == EXIT_OK
    rows = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert rows and all(r["speaker_name"] == "Ana Costa" for r in rows)
    assert main(["quotes", "--db", str(db), "--since", "2025-01-01", "--format", "jsonl"]) == EXIT_OK
    rows = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert rows and {r["article_id"] for r in rows} == {"q1"}


def test_events_and_export_commands(tmp_path, capsys):
    src = tmp_path / "a.jsonl"
    src.write_text(json.dumps({"id": "v1", "published": "2025-06-02", "url": "https://example.org/v1", "text":
                               "Norway condemned Sweden on Monday. Finland has never criticized Denmark."}) + "\n",
                   encoding="utf-8")
    db = tmp_path / "news.db"
    main(["ingest", str(src), "--db", str(db), "--no-progress"])
    capsys.readouterr()
    assert main(["events", "--db", str(db), "--format", "jsonl"]) == EXIT_OK
    rows = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [(r["source_country"], r["type"], r["target_country"]) for r in rows] == [("NOR", "ACCUSE", "SWE")]
    assert main(["events", "--db", str(db), "--negated", "--country", "fin", "--format", "jsonl"]) == EXIT_OK
    rows = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert rows and rows[0]["negated"] == 1 and rows[0]["target_country"] == "DNK"
    assert main(["events", "--db", str(db), "--actor", "norway"]) == EXIT_OK
    assert "Norway (NORGOV)  ACCUSE" in capsys.readouterr().out
    assert main(["events", "--db", str(db), "--type", "assault", "--format", "jsonl"]) == EXIT_OK
    assert capsys.readouterr().out == ""
    out = tmp_path / "ev.plover.jsonl"
    assert main(["export", "--db", str(db), "--format", "plover", "-o", str(out)]) == EXIT_OK
    recs = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert recs[0]["event"] == ["ACCUSE"] and recs[0]["actor"][0]["code"] == "NOR"
    assert any("negation" in r["mode"] for r in recs)
    assert main(["export", "--db", str(db), "--format", "gdelt", "--header"]) == EXIT_OK
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split("\t")[0] == "GlobalEventID" and len(lines) == 2     # the negated event is left out
    row = lines[1].split("\t")
    assert len(row) == 61 and row[5] == "NORGOV" and row[1] == "20250602"


def test_an_unreadable_article_date_warns_and_the_article_is_still_analysed(tmp_path, capsys):
    path = tmp_path / "in.jsonl"
    path.write_text('{"id": "a", "published": "7:58 AM ET", "text": "The council met in Leeds on Monday."}\n',
                    encoding="utf-8")
    assert main(["extract", str(path), "--format", "jsonl", "--no-text"]) == EXIT_OK
    captured = capsys.readouterr()
    [record] = [json.loads(x) for x in captured.out.splitlines()]
    assert record["id"] == "a" and "W109" in captured.err and "7:58 AM ET" in captured.err
    db = tmp_path / "n.db"
    assert main(["ingest", str(path), "--db", str(db)]) == EXIT_OK
    assert "1 warnings" in capsys.readouterr().err and count(db) == 1


def test_stage_settings_from_a_toml_file(tmp_path, capsys):
    src = tmp_path / "a.jsonl"
    src.write_text(json.dumps({"id": "c1", "published": "2025-06-02", "text": "Norway condemned Sweden."}) + "\n",
                   encoding="utf-8")
    conf = tmp_path / "newsgraph.toml"
    conf.write_text("[events]\nmin_confidence = 1.01\n", encoding="utf-8")
    assert main(["extract", str(src), "--config", str(conf)]) == EXIT_OK
    [out] = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert out["events"] == [] and out["meta"]["config"]["events"]["min_confidence"] == 1.01
    conf.write_text("[events]\nthreshold = 0.9\n", encoding="utf-8")
    assert main(["extract", str(src), "--config", str(conf)]) == EXIT_USAGE
    assert "threshold" in capsys.readouterr().err
    conf.write_text("events = 3\n", encoding="utf-8")
    assert main(["extract", str(src), "--config", str(conf)]) == EXIT_USAGE


def test_listings_in_every_format_and_their_options_checked_in_one_place(jsonl_file, tmp_path, capsys):
    import csv
    import io

    db = tmp_path / "news.db"
    main(["ingest", str(jsonl_file), "--db", str(db), "--no-progress"])
    capsys.readouterr()
    assert main(["quotes", "--db", str(db), "--format", "json"]) == EXIT_OK
    listed = json.loads(capsys.readouterr().out)
    assert listed and all("speaker_name" in q and "published" in q for q in listed)
    for fmt, sep in (("csv", ","), ("tsv", "\t")):
        assert main(["quotes", "--db", str(db), "--format", fmt]) == EXIT_OK
        rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out), delimiter=sep))
        assert [r["speaker_name"] for r in rows] == [q["speaker_name"] or "" for q in listed]
        assert [r["content_text"] for r in rows] == [" ".join((q["content_text"] or "").split()) if fmt == "tsv"
                                                     else q["content_text"] for q in listed]
    assert main(["places", "--db", str(db), "--format", "csv", "--limit", "1"]) == EXIT_OK
    assert len(capsys.readouterr().out.splitlines()) == 2            # the header and one place
    # bad values are usage errors, named, before the store is opened
    for argv, says in ((["events", "--type", "bogus"], "invalid choice: 'BOGUS'"),
                       (["quotes", "--limit", "99999999999999999999"], "a whole number from 1"),
                       (["figures", "--limit", "0"], "a whole number from 1"),
                       (["search", "x", "--limit", "-1"], "a whole number from 1"),
                       (["places", "--since", "soon"], "'soon' is not a date")):
        with pytest.raises(SystemExit) as stop:
            main(argv + ["--db", str(db)])
        assert stop.value.code == EXIT_USAGE and says in capsys.readouterr().err
    assert main(["events", "--db", str(db), "--type", "assault", "--format", "jsonl"]) == EXIT_OK
    assert all(json.loads(x)["type"] == "ASSAULT" for x in capsys.readouterr().out.splitlines())


def test_force_replaces_a_stored_article_and_a_skip_says_how(tmp_path, capsys):
    src = tmp_path / "in.jsonl"
    row = {"id": "f1", "published": "2025-01-01", "text": "The council said on Monday that the library would reopen."}
    src.write_text(json.dumps(row) + "\n", encoding="utf-8")
    db = tmp_path / "x.db"
    assert main(["ingest", str(src), "--db", str(db), "--no-progress"]) == EXIT_OK
    src.write_text(json.dumps({**row, "published": "2025-03-10"}) + "\n", encoding="utf-8")   # the date corrected
    assert main(["ingest", str(src), "--db", str(db), "--no-progress"]) == EXIT_OK
    assert "skipped 1 already stored (--force analyses them again)" in capsys.readouterr().err
    assert main(["ingest", str(src), "--db", str(db), "--no-progress", "--force"]) == EXIT_OK
    with sqlite3.connect(db) as c:
        assert c.execute("SELECT published FROM articles").fetchall() == [("2025-03-10",)]
        assert c.execute("SELECT COUNT(*) FROM articles_fts_docsize").fetchone()[0] == 1
        times = c.execute("SELECT COUNT(*) FROM times WHERE article_id = 'f1'").fetchone()[0]
    assert times == 1                                   # the article's rows replaced, not doubled
    assert main(["check", "--db", str(db)]) == EXIT_OK


def test_a_damaged_store_is_refused_for_writing_and_check_names_the_damage(jsonl_file, tmp_path, capsys):
    db = tmp_path / "news.db"
    main(["ingest", str(jsonl_file), "--db", str(db), "--no-progress"])
    data = bytearray(db.read_bytes())
    page = 4096
    for k in range(2 * page, len(data) - page, page):   # every page but the first and the last: noise
        data[k + 100:k + 400] = b"\x07" * 300
    db.write_bytes(bytes(data))
    capsys.readouterr()
    assert main(["ingest", str(jsonl_file), "--db", str(db), "--no-progress", "--force"]) == EXIT_FATAL
    assert "damaged" in capsys.readouterr().err
    assert main(["check", "--db", str(db)]) == EXIT_FATAL


def test_a_store_in_a_folder_we_cannot_write_still_reads(jsonl_file, tmp_path, monkeypatch, capsys):
    db = tmp_path / "news.db"
    main(["ingest", str(jsonl_file), "--db", str(db), "--no-progress"])
    real = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: False if mode == os.W_OK else real(p, mode))
    capsys.readouterr()
    assert main(["search", "tariffs", "--db", str(db), "--json"]) == EXIT_OK
    assert [json.loads(x)["id"] for x in capsys.readouterr().out.splitlines()] == ["t-trade"]


def test_a_write_lock_held_for_a_while_is_waited_for(tmp_path, monkeypatch):
    import threading

    import newsgraph.store.db as dbmod
    from newsgraph.model import Analysis, Article
    from newsgraph.store import Store
    monkeypatch.setattr(dbmod, "LOCK_PAUSE_S", 0.05)
    path = tmp_path / "lock.db"
    Store(path).close()
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")                  # another process holds the write lock ...
    threading.Timer(0.6, lambda: holder.execute("COMMIT")).start()    # ... and lets go after 0.6 s
    with Store(path, timeout=0.1) as store:
        assert store.write([Analysis(article=Article(id="w", text="Rain fell."))]) == ["w"]
    holder.close()


def test_text_and_date_keys_name_the_fields_of_other_crawlers(tmp_path, capsys):
    src = tmp_path / "crawl.jsonl"
    src.write_text(json.dumps({"uid": "k1", "article_body": "The mayor said on Monday that the bridge would open.",
                               "crawled": "2025-04-02", "date": "2025-04-01"}) + "\n", encoding="utf-8")
    assert main(["extract", str(src), "--text-key", "article_body", "--date-key", "crawled"]) == EXIT_OK
    got = json.loads(capsys.readouterr().out)
    assert got["published"] == "2025-04-02" and "bridge" in got["text"]
    assert main(["extract", str(src)]) == EXIT_PARTIAL                  # without them: no text found
    assert "--text-key" in capsys.readouterr().err


def test_counts_by_month_and_day_and_listings_within_a_date_range(tmp_path, capsys):
    rows = [{"id": "m1", "published": "2025-01-10", "text": "Police arrested two protesters in Lyon on Monday, "
             "officials said."},
            {"id": "m2", "published": "2025-01-20", "text": "The mayor said the new tram line would open soon."},
            {"id": "m3", "published": "2025-02-02", "text": "Police arrested a man in Nantes on Sunday, officials said."}]
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    db = tmp_path / "x.db"
    main(["ingest", str(src), "--db", str(db), "--no-progress"])
    capsys.readouterr()
    assert main(["counts", "--db", str(db), "--what", "articles", "--format", "json"]) == EXIT_OK
    assert json.loads(capsys.readouterr().out) == [{"period": "2025-01", "n": 2}, {"period": "2025-02", "n": 1}]
    assert main(["counts", "--db", str(db), "--what", "articles", "--by", "day", "--until", "2025-01-31",
                 "--format", "json"]) == EXIT_OK
    assert [r["period"] for r in json.loads(capsys.readouterr().out)] == ["2025-01-10", "2025-01-20"]
    assert main(["quotes", "--db", str(db), "--since", "2025-01-15", "--until", "2025-01-31", "--format", "json"]) == 0
    assert {q["article_id"] for q in json.loads(capsys.readouterr().out)} <= {"m2"}
    assert main(["events", "--db", str(db), "--source", "police", "--until", "2025-01-31", "--format", "json"]) == 0
    assert {e["article_id"] for e in json.loads(capsys.readouterr().out)} <= {"m1"}
