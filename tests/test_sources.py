"""Tests of newsgraph.io.sources: every fixture is written into tmp_path by the test itself."""
from __future__ import annotations

import gzip
import io
import json

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsgraph.errors import BadDate
from newsgraph.io.sources import iter_articles, normalize_date, sniff_kind
from newsgraph.model import Article, ArticleError, content_id

STORY = ("The council of Riverton voted on Tuesday to repair the old stone bridge over the Mill River. "
         "Work will start in June and last four months, the town engineer said.")

PAGE = """<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8">
<title>Riverton votes to repair stone bridge | The Riverton Ledger</title>
<meta name="author" content="Mara Quill">
<meta property="article:published_time" content="2024-05-16T08:30:00+02:00">
<link rel="canonical" href="https://ledger.example/news/riverton-bridge">
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li></ul></nav>
<article>
<h1>Riverton votes to repair stone bridge</h1>
<p>The town council of Riverton voted on Tuesday to repair the old stone bridge over the Mill River,
closed to traffic since a flood in March.</p>
<p>"We cannot wait another winter," said Mayor Ana Brook after the vote, which passed seven to two.</p>
<p>Work is due to start in June and should take four months, according to the town engineer.</p>
</article>
<footer><p>Copyright The Riverton Ledger</p></footer>
</body></html>
"""

NAV_ONLY = """<html><head><title>Sections</title></head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li>
<li><a href="/sport">Sport</a></li><li><a href="/weather">Weather</a></li></ul></nav>
</body></html>"""


def page(topic: str, date: str | None = None) -> str:
    meta = f'<meta property="article:published_time" content="{date}">' if date else ""
    return (f"<html><head><title>{topic.title()} news</title>{meta}</head><body><article>"
            f"<h1>{topic.title()} news</h1>"
            f"<p>Residents of Lakeside gathered on Saturday to discuss the {topic} plan for the town.</p>"
            f"<p>The mayor said the {topic} plan would be put to a vote before the end of the year.</p>"
            "</article></body></html>")


def read(*sources, **kw) -> list:
    return list(iter_articles(list(sources), **kw))


def write(path, data) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8", newline="")
    else:
        path.write_bytes(data)
    return str(path)


def warc_bytes(gz: bool) -> bytes:
    """Two HTML responses around one non-HTML (JSON) response."""
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gz)

    def response(url: str, body: str, ctype: str, date: str):
        http = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
        rec = writer.create_warc_record(url, "response", payload=io.BytesIO(body.encode()),
                                        http_headers=http, warc_headers_dict={"WARC-Date": date})
        writer.write_record(rec)

    response("https://news.example/parks", page("parks", "2023-04-02"), "text/html; charset=utf-8",
             "2024-01-10T12:00:00Z")
    response("https://news.example/api.json", '{"ok": true}', "application/json", "2024-01-10T12:00:01Z")
    response("https://news.example/library", page("library"), "text/html", "2024-01-10T12:00:02Z")
    return buf.getvalue()


# --- plain text ---------------------------------------------------------------------------------

def test_plain_text_file_is_one_article(tmp_path):
    path = write(tmp_path / "story.txt", STORY + "\n")
    [art] = read(path)
    assert isinstance(art, Article)
    assert art.text == STORY + "\n"
    assert art.origin == path
    assert art.id == content_id(STORY + "\n")
    assert art.published is None


def test_unknown_extension_given_explicitly_is_read_as_text(tmp_path):
    path = write(tmp_path / "story.dat", STORY)
    [art] = read(path)
    assert isinstance(art, Article) and art.text == STORY


def test_bom_stripped_and_crlf_normalised(tmp_path):
    path = write(tmp_path / "crlf.txt", b"\xef\xbb\xbfFirst line.\r\nSecond line.\rThird line.\r\n")
    [art] = read(path)
    assert art.text == "First line.\nSecond line.\nThird line.\n"


def test_unbalanced_quotes_and_spacing_kept_exactly(tmp_path):
    text = '  "We will build it," the mayor said. \u201cNobody  asked us,  said a resident.\n\n'
    [art] = read(write(tmp_path / "q.txt", text))
    assert art.text == text


def test_content_id_is_stable_and_differs_by_text(tmp_path):
    a = write(tmp_path / "a.txt", STORY)
    b = write(tmp_path / "b.txt", STORY)
    c = write(tmp_path / "c.txt", STORY + " Extra sentence.")
    ids = [x.id for x in read(a, b, c)]
    assert ids[0] == ids[1] == content_id(STORY)
    assert ids[2] != ids[0]
    assert ids[0].startswith("sha1:")


@pytest.mark.parametrize("data,code", [
    (b"", "E101"),
    (b"  \n\t\r\n ", "E101"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10", "E102"),
    (b"Caf\xe9 owners met the mayor.", "E103"),
])
def test_bad_text_files(tmp_path, data, code):
    path = write(tmp_path / "bad.txt", data)
    [err] = read(path)
    assert isinstance(err, ArticleError)
    assert err.code == code
    assert err.origin == path


def test_invalid_utf8_names_the_byte_offset(tmp_path):
    [err] = read(write(tmp_path / "latin1.txt", b"Caf\xe9 owners met the mayor."))
    assert "byte offset 3" in err.message and "0xe9" in err.message


def test_over_max_bytes(tmp_path):
    path = write(tmp_path / "long.txt", "word " * 100)
    [err] = read(path, max_bytes=200)
    assert err.code == "E104" and "500" in err.message
    [ok] = read(path, max_bytes=500)
    assert isinstance(ok, Article)


def test_missing_path_is_an_error_and_the_run_goes_on(tmp_path):
    good = write(tmp_path / "ok.txt", STORY)
    missing = str(tmp_path / "nope" / "gone.txt")
    err, art = read(missing, good)
    assert err.code == "E108" and err.origin == missing
    assert isinstance(art, Article) and art.text == STORY


# --- directories --------------------------------------------------------------------------------

def test_directory_recursion_kinds_and_order(tmp_path):
    root = tmp_path / "corpus"
    write(root / "b.txt", "Story b is about the harbour.")
    write(root / "a.md", "Story a is about the market.")
    write(root / "sub" / "c.jsonl", json.dumps({"id": "c1", "text": "Story c1 is about rain."}) + "\n"
          + json.dumps({"id": "c2", "text": "Story c2 is about snow."}) + "\n")
    write(root / "sub" / "d.html", PAGE)
    write(root / "photo.png", b"\x89PNG\r\n\x1a\n\x00\x00")      # unknown extension: skipped
    write(root / "notes", "no extension: skipped")
    write(root / ".hidden.txt", "hidden file: skipped")
    write(root / ".git" / "x.txt", "hidden folder: skipped")
    got = read(str(root))
    assert all(isinstance(x, Article) for x in got), got
    origins = [x.origin for x in got]
    assert origins == [str(root / "a.md"), str(root / "b.txt"), str(root / "sub" / "c.jsonl") + ":1",
                       str(root / "sub" / "c.jsonl") + ":2", str(root / "sub" / "d.html")]
    assert [x.id for x in got[2:4]] == ["c1", "c2"]
    assert got[4].title.startswith("Riverton votes")


# --- JSONL --------------------------------------------------------------------------------------

def test_jsonl_fields_ids_and_blank_lines(tmp_path):
    lines = [
        json.dumps({"id": 7, "text": "Seven ships arrived.", "title": "Ships", "url": "https://x.example/7",
                    "published": "2024-03-01T10:00:00Z", "source": "Port News", "author": "Ida Vale",
                    "extra": {"ignored": True}}),
        "",
        "   ",
        json.dumps({"body": "Body text is accepted.", "date": "2024/02/29"}),
        json.dumps({"id": "abc", "content": "Content text too.", "published_at": "2024-01-05"}),
    ]
    path = write(tmp_path / "a.jsonl", "\n".join(lines) + "\n")
    a, b, c = read(path)
    assert (a.id, a.text, a.title, a.url, a.published, a.source, a.author) == (
        "7", "Seven ships arrived.", "Ships", "https://x.example/7", "2024-03-01", "Port News", "Ida Vale")
    assert a.origin == f"{path}:1"
    assert (b.text, b.published, b.origin, b.id) == ("Body text is accepted.", "2024-02-29", f"{path}:4",
                                                     content_id("Body text is accepted."))
    assert (c.id, c.text, c.published, c.origin) == ("abc", "Content text too.", "2024-01-05", f"{path}:5")


def test_jsonl_malformed_line_in_the_middle(tmp_path):
    path = write(tmp_path / "m.jsonl", '{"text": "First story."}\n'
                 '{"text": "Second" "story"}\n'
                 '{"text": "Third story."}\n')
    first, err, third = read(path)
    assert first.text == "First story." and third.text == "Third story."
    assert err.code == "E106" and err.origin == f"{path}:2"
    assert err.message.startswith("line 2: not valid JSON (Expecting ',' delimiter at column 19)")


@pytest.mark.parametrize("line,code,words", [
    ('["a list", "not an object"]', "E106", "expected a JSON object"),
    ('{"id": "n1", "title": "No text here"}', "E106", "no text (looked for 'text'"),
    ('{"id": "n2", "text": 42}', "E106", "must be a string"),
    ('{"id": "n3", "text": "   "}', "E101", "empty"),
])
def test_jsonl_bad_lines(tmp_path, line, code, words):
    path = write(tmp_path / "bad.jsonl", '{"text": "Fine story."}\n' + line + "\n")
    ok, err = read(path)
    assert isinstance(ok, Article)
    assert (err.code, err.origin) == (code, f"{path}:2")
    assert err.message.startswith("line 2: ") and words in err.message


def test_jsonl_error_carries_the_article_id(tmp_path):
    [err] = read(write(tmp_path / "x.jsonl", '{"id": 99, "title": "t"}\n'))
    assert err.article_id == "99"


def test_jsonl_bad_date_warns_and_keeps_the_article_without_it(tmp_path):
    path = write(tmp_path / "d.jsonl", '{"id": "a", "text": "A.", "published": "2024-05-16"}\n'
                 '{"id": "b", "text": "B.", "published": "next Tuesday-ish"}\n'
                 '{"id": "c", "text": "C.", "date": [2024, 5]}\n'
                 '{"id": "d", "text": "D."}\n')
    a, b_warn, b, c_warn, c, d = read(path, published="2020-01-01")
    assert a.published == "2024-05-16" and d.published == "2020-01-01"
    assert (b_warn.code, b_warn.origin, b_warn.article_id) == ("W109", f"{path}:2", "b")
    assert "next Tuesday-ish" in b_warn.message and "without one" in b_warn.message
    assert (b.id, b.text, b.published) == ("b", "B.", "2020-01-01")      # the fallback, not the bad date
    assert (c_warn.code, c_warn.article_id) == ("W109", "c") and (c.id, c.published) == ("c", "2020-01-01")


def test_jsonl_line_over_max_bytes(tmp_path):
    long = json.dumps({"text": "x" * 500})
    path = write(tmp_path / "big.jsonl", '{"text": "short one"}\n' + long + '\n{"text": "after"}\n')
    a, err, b = read(path, max_bytes=100)
    assert (a.text, b.text) == ("short one", "after")
    assert (err.code, err.origin) == ("E104", f"{path}:2")


def test_jsonl_gz(tmp_path):
    path = write(tmp_path / "a.jsonl.gz", gzip.compress(b'{"id": 1, "text": "Zipped story."}\n'))
    [art] = read(path)
    assert (art.id, art.text) == ("1", "Zipped story.")


def test_jsonl_text_crlf_normalised(tmp_path):
    [art] = read(write(tmp_path / "c.jsonl", json.dumps({"text": "One.\r\nTwo.\rThree."}) + "\r\n"))
    assert art.text == "One.\nTwo.\nThree."


# --- HTML ---------------------------------------------------------------------------------------

def test_html_article_page(tmp_path):
    path = write(tmp_path / "bridge.html", PAGE)
    [art] = read(path)
    assert isinstance(art, Article), art
    assert art.title == "Riverton votes to repair stone bridge"
    assert art.published == "2024-05-16"
    assert art.author == "Mara Quill"
    assert art.url == "https://ledger.example/news/riverton-bridge"
    assert "We cannot wait another winter" in art.text
    assert "Sport" not in art.text and "Copyright" not in art.text
    assert art.origin == path and art.id == content_id(art.text)


def test_html_without_article(tmp_path):
    path = write(tmp_path / "menu.htm", NAV_ONLY)
    [err] = read(path)
    assert (err.code, err.origin) == ("E105", path)


# --- WARC ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("name,gz", [("crawl.warc", False), ("crawl.warc.gz", True)])
def test_warc_html_responses(tmp_path, name, gz):
    path = write(tmp_path / name, warc_bytes(gz))
    got = read(path, published="1999-12-31")
    assert all(isinstance(x, Article) for x in got), got
    assert [x.url for x in got] == ["https://news.example/parks", "https://news.example/library"]
    parks, library = got
    assert "parks plan" in parks.text and "library plan" in library.text
    assert parks.published == "2023-04-02"          # the page's own date
    assert library.published == "2024-01-10"        # no date in the page: the crawl date
    assert parks.id == content_id(parks.text) != library.id
    assert parks.origin.startswith(path + "#urn:uuid:")


@pytest.mark.parametrize("broken", [2, 3])
def test_truncated_warc_gz_yields_what_was_read_then_e107(tmp_path, broken):
    data = warc_bytes(True)
    members = data.split(b"\x1f\x8b\x08")       # each record is one gzip member
    assert len(members) == 4                    # leading b"" + three records
    start = sum(len(m) + 3 for m in members[1:broken])
    cut = start + len(members[broken]) // 2     # the middle of record `broken`
    path = write(tmp_path / "cut.warc.gz", data[:cut])
    got = read(path)
    assert len(got) == 2, got
    assert isinstance(got[0], Article) and got[0].url == "https://news.example/parks"
    err = got[1]
    assert err.code == "E107" and err.origin == f"{path}#{broken}"
    assert f"after record {broken - 1}" in err.message


def test_truncated_plain_warc_in_a_record(tmp_path):
    data = warc_bytes(False)
    cut = data.index(b"library plan") + 5
    got = read(write(tmp_path / "cut.warc", data[:cut]))
    assert [type(x) for x in got] == [Article, ArticleError]
    assert got[1].code == "E107" and "#urn:uuid:" in got[1].origin


def test_not_a_warc(tmp_path):
    [err] = read(write(tmp_path / "fake.warc", "this is not an archive\n"))
    assert err.code == "E107"


# --- stdin --------------------------------------------------------------------------------------

def test_stdin_plain_text():
    [art] = read("-", stdin=io.BytesIO(STORY.encode()))
    assert (art.text, art.origin) == (STORY, "<stdin>")


def test_stdin_jsonl():
    data = b'\n  {"id": "s1", "text": "From a pipe."}\n{oops}\n{"id": "s3", "text": "Third."}\n'
    a, err, c = read("-", stdin=io.BytesIO(data))
    assert (a.id, a.origin) == ("s1", "<stdin>:2")
    assert (err.code, err.origin) == ("E106", "<stdin>:3")
    assert (c.id, c.origin) == ("s3", "<stdin>:4")


def test_stdin_html():
    [art] = read("-", stdin=io.BytesIO(PAGE.encode()))
    assert art.title == "Riverton votes to repair stone bridge" and art.origin == "<stdin>"


def test_stdin_warc_gz():
    got = read("-", stdin=io.BytesIO(warc_bytes(True)))
    assert [x.url for x in got] == ["https://news.example/parks", "https://news.example/library"]
    assert got[0].origin.startswith("<stdin>#urn:uuid:")


def test_stdin_empty():
    [err] = read("-", stdin=io.BytesIO(b""))
    assert (err.code, err.origin) == ("E101", "<stdin>")


# --- published ----------------------------------------------------------------------------------

def test_published_fills_missing_dates_but_does_not_override(tmp_path):
    text = write(tmp_path / "t.txt", STORY)
    html = write(tmp_path / "p.html", PAGE)
    jsonl = write(tmp_path / "j.jsonl", '{"text": "Dated.", "published": "2021-07-04T18:00:00-05:00"}\n')
    t, h, j = read(text, html, jsonl, published="2025-02-03T09:00:00")
    assert t.published == "2025-02-03"
    assert h.published == "2024-05-16"
    assert j.published == "2021-07-04"


def test_bad_published_parameter_raises_at_call(tmp_path):
    with pytest.raises(BadDate) as info:
        iter_articles([str(tmp_path / "never-read.txt")], published="16/05/2024")
    assert info.value.code == "E109" and "16/05/2024" in str(info.value)


@pytest.mark.parametrize("value,expected", [
    ("2024-05-16", "2024-05-16"), ("2024-05-16T23:30:00Z", "2024-05-16"),
    ("2024-05-16T08:30:00.000+0200", "2024-05-16"), ("2024/05/16", "2024-05-16"),
    ("16 May 2024", "2024-05-16"), ("May 16, 2024", "2024-05-16"),
    ("Thu, 16 May 2024 09:00:00 GMT", "2024-05-16"),
])
def test_normalize_date_forms(value, expected):
    assert normalize_date(value) == expected


@pytest.mark.parametrize("value", ["soon", "2024-13-01", "2024-02-30", ""])
def test_normalize_date_rejects(value):
    with pytest.raises(BadDate):
        normalize_date(value)


# --- sniff_kind ---------------------------------------------------------------------------------

@pytest.mark.parametrize("name,kind", [
    ("a.jsonl", "jsonl"), ("a.NDJSON", "jsonl"), ("a.jsonl.gz", "jsonl"), ("a.html", "html"),
    ("a.HTM", "html"), ("a.xhtml", "html"), ("a.warc", "warc"), ("a.warc.gz", "warc"),
    ("a.txt", "text"), ("a.md", "text"), ("noext", "text"), ("a.gz", "text"),
])
def test_sniff_kind(name, kind):
    assert sniff_kind(name) == kind


# --- host and date filters ----------------------------------------------------------------------

def test_hosts_and_dates_select_articles_and_warc_pages_before_parsing(tmp_path, monkeypatch):
    from newsgraph.io import sources
    from newsgraph.io.select import Selection

    rows = [{"id": "a", "text": STORY, "url": "https://www.paper.example/a", "published": "2024-03-05"},
            {"id": "b", "text": STORY, "url": "https://other.example/b", "published": "2024-03-06"},
            {"id": "c", "text": STORY, "url": "https://paper.example/c", "published": "2024-05-01"},
            {"id": "d", "text": STORY, "url": "https://notpaper.example/d", "published": "2024-03-07"},
            {"id": "e", "text": STORY}]
    path = write(tmp_path / "in.jsonl", "".join(json.dumps(r) + "\n" for r in rows))
    ids = lambda **kw: [a.id for a in read(path, select=Selection(**kw))]  # noqa: E731
    assert ids(hosts=("paper.example",)) == ["a", "c"]        # subdomains, not other names ending alike
    assert ids(since="2024-03-06", until="2024-04-30") == ["b", "d"]      # undated "e" cannot match
    assert ids(hosts=("PAPER.example", "other.example"), until="2024-03-31") == ["a", "b"]
    assert ids() == ["a", "b", "c", "d", "e"]
    # in a WARC the record's URL and crawl date decide before trafilatura reads the page
    parsed = []
    real = sources.extract_html
    monkeypatch.setattr(sources, "extract_html", lambda data, **kw: parsed.append(kw.get("url")) or real(data, **kw))
    warc = write(tmp_path / "crawl.warc.gz", warc_bytes(gz=True))
    assert read(warc, select=Selection(hosts=("elsewhere.example",))) == [] and parsed == []
    assert read(warc, select=Selection(since="2024-02-01")) == [] and parsed == []   # crawled before: out
    # crawled after `until` may be published before it: parsed, then judged by the page's own date
    kept = read(warc, select=Selection(until="2023-12-31"))
    assert [a.published for a in kept] == ["2023-04-02"] and len(parsed) == 2


def test_jsonl_of_news_please_is_read_with_its_own_keys(tmp_path):
    row = {"maintext": STORY, "date_publish": "2024-05-16 09:30:00", "url": "https://paper.example/x",
           "title": "A story", "authors": ["Ann Lee", "Bo Chan"], "source_domain": "paper.example"}
    [art] = read(write(tmp_path / "np.jsonl", json.dumps(row) + "\n"))
    assert (art.text, art.published, art.url, art.title) == (STORY, "2024-05-16", row["url"], "A story")
    assert (art.author, art.source) == ("Ann Lee, Bo Chan", "paper.example")


def test_csv_and_tsv_files_hold_one_article_a_row(tmp_path):
    import csv as csvmod
    path = tmp_path / "news.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csvmod.writer(f)
        w.writerow(["id", "title", "published", "text"])
        w.writerow(["c1", "Rain", "2025-02-01", 'Heavy rain, said "officials",\nflooded roads.'])
        w.writerow(["c2", "No text", "2025-02-02", ""])
        w.writerow(["c3", "Sun", "2025-02-03", "The sun came out."])
    got = read(str(path))
    arts = [a for a in got if isinstance(a, Article)]
    errs = [e for e in got if isinstance(e, ArticleError)]
    assert [(a.id, a.published, a.title) for a in arts] == [("c1", "2025-02-01", "Rain"), ("c3", "2025-02-03", "Sun")]
    assert arts[0].text == 'Heavy rain, said "officials",\nflooded roads.'
    assert [(e.code, e.origin) for e in errs] == [("E106", f"{path}:4")]     # the row of c2, after a two-line row
    tsv = write(tmp_path / "news.tsv", "id\ttext\nt1\tA short report.\n")
    assert [a.id for a in read(tsv)] == ["t1"]
