"""One article never stalls a run: long text is cut with a warning, endless sentences are split, a
runaway article becomes an error row, and every good article is stored."""
from __future__ import annotations

import json
import time

import pytest

from newsgraph import budget
from newsgraph.errors import ConfigError
from newsgraph.model import Analysis, Article, ArticleError
from newsgraph.pipeline import Pipeline, load_model
from newsgraph.run.local import ingest
from newsgraph.store import Store

GOOD = [
    {"id": "good-1", "text": "The mayor of Harbourton said on Monday that the ferry would run again.", "date": "2024-03-04"},
    {"id": "good-2", "text": "Farmers in the valley reported a late frost. \"It was a hard week,\" one said."},
]


def _write(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _huge_article() -> str:
    """About one megabyte of plausible paragraphs."""
    para = ("The council met again on Tuesday to discuss the budget for the harbour. Members said the "
            "repairs would cost more than planned, and the chair promised a vote next month.")
    return "\n\n".join(f"{para} (Item {k}.)" for k in range(6000))


def _endless_sentence(chars: int = 200_000) -> str:
    """One 'sentence' with no end: words and commas, no full stop, no line break."""
    words = "the committee reviewed the talks, which began in spring, and the budget for the harbour".split()
    out, n = [], 0
    while n < chars:
        w = words[len(out) % len(words)]
        out.append(w)
        n += len(w) + 1
    return " ".join(out)


def test_a_long_article_is_cut_at_a_paragraph_end_with_a_warning():
    art = Article("big", _huge_article())
    kept, warning = budget.cut(art, 5_000)
    assert len(kept.text) <= 5_000 and art.text.startswith(kept.text)
    assert kept.text.endswith("(Item %d.)" % kept.text.count("\n\n"))   # ends where a paragraph ends
    assert "5,000" in warning and f"{len(art.text):,}" in warning
    same, none = budget.cut(Article("small", "A short text."), 5_000)
    assert same.text == "A short text." and none is None


def test_sentences_are_capped_before_the_parser():
    nlp = load_model()
    doc = budget.cap_sentences(nlp.make_doc(_endless_sentence(20_000)), 120)
    doc = next(nlp.pipe([doc]))
    lengths = [len(s) for s in doc.sents]
    assert max(lengths) <= 120 and len(lengths) > 10
    # an ordinary article is left to the parser
    plain = nlp.make_doc("The minister arrived. She said the talks went well.\nTrade was discussed.")
    assert not any(t.is_sent_start for t in budget.cap_sentences(plain, 120)[1:])


def test_a_run_over_huge_inputs_finishes_records_the_errors_and_stores_every_good_article(tmp_path):
    rows = [GOOD[0], {"id": "huge", "text": _huge_article()},
            {"id": "endless", "text": _endless_sentence()}, GOOD[1]]
    src = _write(tmp_path / "in.jsonl", rows)
    config = {"pipeline": {"max_chars": 20_000, "max_sentence_tokens": 150}}
    report = ingest([str(src)], str(tmp_path / "x.db"), config=config, batch_size=2)
    assert report.stored == 4 and not report.failures
    with Store(str(tmp_path / "x.db"), readonly=True) as store:
        assert {a.id for a in store.iter_analyses()} == {"good-1", "good-2", "huge", "endless"}
        huge, endless = store.get("huge"), store.get("endless")
        assert len(huge.text) <= 20_000 and len(endless.text) <= 20_000
        assert all(s.end - s.start < 2_000 for s in endless.sentences)
        assert len(endless.quotes) <= 5         # no flood of "quotes" from a text with no one speaking
        warned = {e["article_id"]: e["code"] for e in store.errors()}
    assert warned == {"huge": "W110", "endless": "W110"}
    # a rerun stores nothing twice
    again = ingest([str(src)], str(tmp_path / "x.db"), config=config, batch_size=2)
    assert again.stored == 0 and again.skipped == 4


def test_a_runaway_article_becomes_an_error_and_the_run_goes_on(tmp_path, monkeypatch):
    real = Pipeline.run_batch

    def slow_on_one(self, parsed):
        if any(a.id == "runaway" for _, a in parsed):
            time.sleep(30)
        return real(self, parsed)

    monkeypatch.setattr(Pipeline, "run_batch", slow_on_one)
    p = Pipeline(config={"pipeline": {"time_limit": 1}}, batch_size=4)
    t0 = time.monotonic()
    results = list(p.pipe([Article("a", GOOD[0]["text"]), Article("runaway", "Slow text here."),
                           Article("b", GOOD[1]["text"])]))
    assert time.monotonic() - t0 < 20
    assert [type(r) for r in results] == [Analysis, ArticleError, Analysis]
    assert results[1].code == "E201" and results[1].article_id == "runaway" and "1 s" in results[1].message


def test_pipeline_settings_are_checked():
    with pytest.raises(ConfigError, match="max_chars"):
        Pipeline(config={"pipeline": {"max_char": 10}})
    with pytest.raises(ConfigError, match="numbers"):
        Pipeline(config={"pipeline": {"time_limit": -1}})


def test_an_analysis_the_store_refuses_is_an_error_row_and_its_batch_is_stored(tmp_path, monkeypatch):
    from newsgraph.store import queries

    real = queries.rows_of

    def refuse_one(a, stamp):
        if a.id == "bad":
            raise OverflowError("Python int too large to convert to SQLite INTEGER")
        return real(a, stamp)

    monkeypatch.setattr(queries, "rows_of", refuse_one)
    rows = [GOOD[0], {"id": "bad", "text": "A short article about the harbour."}, GOOD[1]]
    report = ingest([str(_write(tmp_path / "in.jsonl", rows))], str(tmp_path / "x.db"))
    assert report.stored == 2 and report.skipped == 0
    assert [(e.code, e.article_id) for e in report.failures] == [("E202", "bad")]
    with Store(str(tmp_path / "x.db"), readonly=True) as store:
        assert {a.id for a in store.iter_analyses()} == {"good-1", "good-2"}
        assert [e["code"] for e in store.errors()] == ["E202"]


def test_a_figure_too_large_for_an_sqlite_integer_is_stored_as_a_real(tmp_path):
    text = "The national debt of Fredonia reached 12,000,000,000,000,000,000,000 dollars last year."
    report = ingest([str(_write(tmp_path / "in.jsonl", [{"id": "huge-number", "text": text}]))],
                    str(tmp_path / "x.db"))
    assert report.stored == 1 and not report.errors
