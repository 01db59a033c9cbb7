"""The HTTP API: read-only JSON over a store, one endpoint per query of ``Store`` (``newsgraph serve``),
beside the web UI's pages (``newsgraph.web``).

    newsgraph serve --db news.db            # http://127.0.0.1:8000/api/..., OpenAPI at /openapi.json

Every endpoint opens the store read-only for its request, binds its parameters (no SQL is built from
them), and pages with ``limit`` and ``offset``. A bad parameter is a 400 or 422 naming it; an id the
store does not hold is a 404; a store that cannot answer, or a query past QUERY_SECONDS, is a 503. Needs ``fastapi`` and ``uvicorn``.
"""

from contextlib import contextmanager
from pathlib import Path
from typing import Literal

from . import __version__, adhoc
from .errors import ConfigError, StoreError
from .export import plover_type_names
from .model import CUE_KINDS, LISTED_KINDS
from .store import Store

MAX_PAGE = 1_000
QUERY_SECONDS = 2.0             # any query of a request past this is stopped (503, naming it)

Kind = Literal["person", "country", "place", "org", "group"]


def create_app(db: str | Path, extractor: "adhoc.Extractor | None" = None):
    """The FastAPI application serving the store at ``db``; ``extractor`` runs ``POST /api/extract``
    (by default one with adhoc's limits, whose worker starts on the first request)."""
    from fastapi import FastAPI, HTTPException, Query, Request
    from fastapi.encoders import jsonable_encoder
    from fastapi.exceptions import RequestValidationError
    from fastapi.responses import JSONResponse
    from pydantic import BaseModel, Field
    from starlette.exceptions import HTTPException as StarletteHTTPException

    from . import web

    path = str(db)
    if not Path(path).is_file():
        raise ConfigError(f"{path}: no such store; create it with `newsgraph ingest SOURCE --db {path}`")
    Store(path, readonly=True).close()                  # refuse a file that is not a store, now
    # No /docs or /redoc pages: FastAPI's load their scripts from a CDN, and nothing newsgraph serves
    # reaches outside the machine. The OpenAPI description is at /openapi.json.
    app = FastAPI(title="newsgraph", version=__version__, docs_url=None, redoc_url=None,
                  description="Who said what, who did what to whom, where and when: the record of a newsgraph "
                              "store, each fact with its evidence (character offsets) in its article.")

    # An error is JSON under /api and an HTML page elsewhere (the web UI's pages).
    def error(request: Request, status: int, message, json_content: dict | None = None):
        if request.url.path.startswith("/api") or request.url.path == "/openapi.json":
            return JSONResponse(status_code=status, content=json_content or {"error": message})
        return web.error_page(request, status, message)

    @app.exception_handler(ConfigError)
    async def bad_parameter(request: Request, exc: ConfigError):
        return error(request, 400, exc.message)

    @app.exception_handler(StoreError)
    async def store_failed(request: Request, exc: StoreError):
        return error(request, 503, exc.message)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        return error(request, exc.status_code, exc.detail, {"detail": exc.detail})

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError):
        problems = "; ".join(f"{'.'.join(str(x) for x in e['loc'][1:])}: {e['msg']}" for e in exc.errors())
        return error(request, 422 if request.url.path.startswith("/api") else 400, problems,
                     {"detail": jsonable_encoder(exc.errors())})

    @contextmanager
    def store():
        s = Store(path, readonly=True, check_same_thread=False, query_seconds=QUERY_SECONDS)
        try:
            yield s
        finally:
            s.close()

    # FastAPI takes each parameter's declaration as its own object: one made per use, never shared.
    def limit_q():
        return Query(20, ge=1, le=MAX_PAGE, description=f"at most this many rows (1 to {MAX_PAGE})")

    def offset_q():
        return Query(0, ge=0, le=10**9, description="rows to skip first")

    def date_q():
        return Query(None, pattern=r"^\d{4}-\d{2}-\d{2}$", description="YYYY-MM-DD")

    def paged(rows: list[dict], limit: int, offset: int) -> dict:
        return {"rows": rows, "limit": limit, "offset": offset, "count": len(rows)}

    @app.get("/api/search", summary="Full-text search over articles (title and text), with [marked] snippets")
    def search(q: str = Query(..., min_length=1, max_length=1000), limit: int = limit_q(),
               offset: int = offset_q()):
        with store() as s:
            return paged(s.search(q, limit=limit, offset=offset), limit, offset)

    @app.get("/api/search/quotes", summary="Full-text search over quotes and their speakers")
    def search_quotes(q: str = Query(..., min_length=1, max_length=1000), limit: int = limit_q(),
                      offset: int = offset_q()):
        with store() as s:
            return paged(s.search_quotes(q, limit=limit, offset=offset), limit, offset)

    kind_word = "|".join(CUE_KINDS)

    def kind_q():
        return Query(",".join(LISTED_KINDS), pattern=rf"^(all|({kind_word})(,({kind_word}))*)$",
                     description=f"kinds of cue, comma-separated ({', '.join(CUE_KINDS)}) or all")

    def kinds(value: str):
        return None if value == "all" else value.split(",")

    @app.get("/api/quotes", summary="Who said what: quotes by speaker (any alias), date and kind of cue")
    def quotes(speaker: str | None = Query(None, max_length=200), since: str | None = date_q(),
               until: str | None = date_q(), attitudes: bool = False, kind: str = kind_q(), limit: int = limit_q(),
               offset: int = offset_q()):
        with store() as s:
            return paged(s.quotes(speaker=speaker, since=since, until=until, attitudes=attitudes, limit=limit,
                                  offset=offset, kinds=kinds(kind)), limit, offset)

    @app.get("/api/events", summary="Who did what to whom: events by actor, actor pair, type, country and date")
    def events(actor: str | None = Query(None, max_length=200), source: str | None = Query(None, max_length=200),
               target: str | None = Query(None, max_length=200), type: str | None = Query(None, description="a PLOVER type: " + ", ".join(plover_type_names())),
               country: str | None = Query(None, pattern=r"^[A-Za-z]{3}$"), since: str | None = date_q(),
               until: str | None = date_q(), negated: bool = False, limit: int = limit_q(),
               offset: int = offset_q()):
        if type is not None and type.upper() not in plover_type_names():
            raise ConfigError(f"type {type!r} is not a PLOVER type; one of {', '.join(plover_type_names())}")
        with store() as s:
            return paged(s.events(actor=actor, source=source, target=target, type=type, country=country, since=since,
                                  until=until, negated=negated, limit=limit, offset=offset), limit, offset)

    @app.get("/api/places", summary="Places the articles name, most named first, with coordinates")
    def places(country: str | None = Query(None, pattern=r"^[A-Za-z]{3}$"),
               feature: Literal["continent", "area", "country", "region", "district", "city", "venue", "place"]
               | None = None, role: Literal["literal", "associative", "all"] = "literal",
               since: str | None = date_q(), until: str | None = date_q(), limit: int = limit_q(),
               offset: int = offset_q()):
        with store() as s:
            return paged(s.places(country=country, feature=feature, role=None if role == "all" else role,
                                  since=since, until=until, limit=limit, offset=offset), limit, offset)

    @app.get("/api/entities", summary="Corpus entities named like the words given")
    def entities(name: str = Query(..., min_length=1, max_length=200), kind: Kind | None = None,
                 limit: int = limit_q()):
        with store() as s:
            return paged(s.find_entities(name, kind=kind, limit=limit), limit, 0)

    @app.get("/api/entities/{corpus_id}", summary="An entity's record: aliases, quotes, events, places")
    def entity(corpus_id: int, limit: int = limit_q()):
        with store() as s:
            rec = s.entity(corpus_id, limit=limit)
        if rec is None:
            raise HTTPException(404, f"no corpus entity {corpus_id}")
        return rec

    @app.get("/api/stories", summary="Stories (wire copies and updates grouped), the most carried first")
    def stories(min_articles: int = Query(2, ge=1, le=10**6), since: str | None = date_q(), until: str | None = date_q(),
                limit: int = limit_q(), offset: int = offset_q()):
        with store() as s:
            return paged(s.stories(min_articles=min_articles, since=since, until=until, limit=limit, offset=offset),
                         limit, offset)

    @app.get("/api/counts", summary="How many articles, quotes or events a day or a month")
    def counts(what: Literal["articles", "quotes", "events"] = "events", by: Literal["day", "month"] = "month",
               type: str | None = Query(None, max_length=40), since: str | None = date_q(), until: str | None = date_q(),
               kind: str = kind_q()):
        with store() as s:
            return {"rows": s.counts(what, by, type=type.upper() if what == "events" and type else type,
                                     since=since, until=until, kinds=kinds(kind))}

    @app.get("/api/articles/{article_id}", summary="An article's whole analysis (newsgraph's JSON schema)")
    def article(article_id: str):
        with store() as s:
            analysis = s.get(article_id)
        if analysis is None:
            raise HTTPException(404, f"no article {article_id!r}")
        return analysis.to_dict()

    @app.get("/api/stats", summary="What the store holds")
    def stats():
        with store() as s:
            out = s.stats()
        out.pop("path", None)
        return out

    extractor = extractor or adhoc.Extractor()
    body_limit = extractor.max_chars * 4 + 4_096           # UTF-8 text at its longest, and the JSON around it

    class ExtractRequest(BaseModel):
        text: str = Field(..., min_length=1, max_length=extractor.max_chars, description="the article's text")
        published: str | None = Field(None, pattern=r"^\d{4}-\d{2}-\d{2}", description="YYYY-MM-DD, which "
                                      "relative times (\"on Monday\") are resolved against")
        title: str | None = Field(None, max_length=1_000)

    @app.middleware("http")
    async def limit_body(request: Request, call_next):
        if request.method == "POST":
            length = request.headers.get("content-length")
            if length is None or not length.isdigit():
                return JSONResponse(status_code=411, content={"error": "a POST needs a Content-Length"})
            if int(length) > body_limit:
                return JSONResponse(status_code=413, content={
                    "error": f"the request has {int(length):,} bytes, more than the limit of {body_limit:,}"})
        return await call_next(request)

    @app.post("/api/extract", summary="Analyse a text now, without storing it (size- and time-limited)")
    def extract(req: ExtractRequest):
        try:
            return extractor.extract(req.text, published=req.published, title=req.title)
        except adhoc.TooSlow as exc:
            raise HTTPException(504, str(exc)) from None
        except adhoc.Busy as exc:
            raise HTTPException(503, str(exc)) from None

    web.add_ui(app, store, path)
    return app


def serve(db: str, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Run the API with uvicorn until interrupted."""
    try:
        import uvicorn
    except ImportError:
        raise ConfigError("newsgraph serve needs uvicorn and fastapi: pip install fastapi uvicorn") from None
    import gc
    app = create_app(db)
    gc.freeze()             # what start-up loaded stays: the collector's passes over it were the slowest requests
    uvicorn.run(app, host=host, port=port, log_level="warning")
