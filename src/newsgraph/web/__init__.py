"""The web UI: server-rendered pages over a store, served by ``newsgraph serve`` beside the HTTP API.

    /                     search box, what the store holds, the most quoted and most named
    /search?q=            articles, quotes and entities matching the words, matches highlighted
    /article/ID           the text with its quotes, entities, places, times, figures and event
                          triggers highlighted in place; repeated sentences and the story's other articles
    /entity/ID            a corpus entity: aliases, quotes over time, events as source and target, places
    /timeline             events by day, month or year, by type, actor and country
    /map                  places on a world outline that ships with the package (no tile server)
    /network              who acts on whom, edge weight = events, by type
    /datasette/NAME       the same store in Datasette, for ad-hoc SQL, where Datasette is installed

Every page is plain HTML with a little JavaScript (static/app.js) for hover notes; nothing is fetched
from outside the server. The pages read the store through the same ``Store`` queries as the API;
what they show is computed in ``views`` (no I/O there).
"""

import importlib.util
import json
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlencode

from ..errors import ConfigError
from ..export import plover_type_names
from . import views

HERE = Path(__file__).parent
PAGE = 20
MAP_PLACES = 2_000          # the most named places drawn on the map
NETWORK_EDGES = 120         # the heaviest actor pairs drawn in the network


@lru_cache(maxsize=1)
def world() -> list[dict]:
    """The country outlines the map draws (static/world.json; see scripts/build_world.py)."""
    return json.loads((HERE / "static" / "world.json").read_text(encoding="utf-8"))["countries"]


@lru_cache(maxsize=1)
def world_svg():
    """The outlines as SVG paths, written once per process (they are the same on every map)."""
    from markupsafe import Markup, escape
    return Markup("".join(f'<path d="{c["d"]}"><title>{escape(c["name"] or "")}</title></path>' for c in world()))


DATASETTE_AT = "/datasette"


def datasette_app(db: str):
    """Datasette over the store (its metadata from store/datasette.py), answering under DATASETTE_AT, or
    None where Datasette is not installed. It opens the file read-only, as the UI does."""
    if importlib.util.find_spec("datasette") is None:
        return None
    from datasette.app import Datasette

    from ..store.datasette import metadata
    return Datasette(files=[db], metadata=metadata(db), settings={"base_url": DATASETTE_AT + "/"}).app()


class WithDatasette:
    """ASGI middleware: requests under DATASETTE_AT go to Datasette (with the prefix taken off, which its
    base_url setting puts back on every link it writes), every other request to the app."""

    def __init__(self, app, datasette):
        self.app, self.datasette = app, datasette

    async def __call__(self, scope, receive, send):
        path = scope.get("path", "")
        if scope["type"] in ("http", "websocket") and (path == DATASETTE_AT or path.startswith(DATASETTE_AT + "/")):
            scope = dict(scope, path=path[len(DATASETTE_AT):] or "/", raw_path=None)
            return await self.datasette(scope, receive, send)
        return await self.app(scope, receive, send)


def add_ui(app, store, db: str) -> None:
    """Add the UI's pages and static files to ``app``; ``store`` opens the store read-only for a request."""
    from fastapi import HTTPException, Query, Request
    from fastapi.responses import HTMLResponse
    from fastapi.staticfiles import StaticFiles
    from fastapi.templating import Jinja2Templates

    templates = Jinja2Templates(directory=str(HERE / "templates"))
    app.state.templates = templates     # each app its own: the globals below name its store
    datasette = datasette_app(db)
    if datasette is not None:
        app.add_middleware(WithDatasette, datasette=datasette)
    templates.env.globals.update(datasette=f"{DATASETTE_AT}/{Path(db).stem}" if datasette else None,
                                 store_name=Path(db).name, plover_types=plover_type_names(), urlencode=urlencode)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    def page(request: Request, name: str, status: int = 200, **context) -> HTMLResponse:
        return templates.TemplateResponse(request, name, context, status_code=status)

    def plover(type_: str | None) -> str | None:
        if not type_:
            return None
        if type_.upper() not in plover_type_names():
            raise ConfigError(f"type {type_!r} is not a PLOVER type; one of {', '.join(plover_type_names())}")
        return type_.upper()

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home(request: Request):
        with store() as s:
            stats = s.stats()
        return page(request, "home.html", stats=stats)

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search(request: Request, q: str = Query("", max_length=1000), page_no: int = Query(1, alias="page", ge=1, le=10_000)):
        offset = (page_no - 1) * PAGE
        articles = quotes = entities = []
        if q.strip():
            with store() as s:
                articles = s.search(q, limit=PAGE, offset=offset)
                quotes = s.search_quotes(q, limit=PAGE, offset=offset)
                entities = s.find_entities(q.strip().strip('"'), limit=10) if page_no == 1 else []
        for row in articles + quotes:
            row["marked"] = views.mark(row.get("snippet"))
        return page(request, "search.html", q=q, articles=articles, quotes=quotes, entities=entities,
                    page_no=page_no, more=len(articles) == PAGE or len(quotes) == PAGE)

    @app.get("/article/{article_id:path}", response_class=HTMLResponse, include_in_schema=False)
    def article(request: Request, article_id: str):
        with store() as s:
            analysis = s.get(article_id)
            if analysis is None:
                raise HTTPException(404, f"no article {article_id!r}")
            links = s.article_links(article_id)
        data = analysis.to_dict()
        segments, notes = views.annotate(data, links["entities"])
        counts = {k: len(data.get(k) or []) for k in ("quotes", "attitudes", "events", "entities", "places",
                                                       "times", "figures", "duplicates")}
        return page(request, "article.html", a=data, headline=views.headline(data), segments=segments, notes=notes, story=links["story"],
                    counts=counts, notes_json=json.dumps({n.id: {"kind": n.kind, "title": n.title, "rows": n.rows,
                                                                 "href": n.href} for n in notes}).replace("<", "\\u003c"))

    @app.get("/entity/{corpus_id}", response_class=HTMLResponse, include_in_schema=False)
    def entity(request: Request, corpus_id: int):
        with store() as s:
            rec = s.entity(corpus_id, limit=500)
        if rec is None:
            raise HTTPException(404, f"no corpus entity {corpus_id}")
        by_period: dict[str, int] = {}
        for q in rec["quotes"]:
            key = (q.get("published") or "undated")[:7]
            by_period[key] = by_period.get(key, 0) + 1
        return page(request, "entity.html", e=rec, quote_periods=sorted(by_period.items()))

    @app.get("/timeline", response_class=HTMLResponse, include_in_schema=False)
    def timeline(request: Request, by: str = Query("month", pattern="^(day|month|year)$"),
                 type: str | None = Query(None, max_length=40), actor: str | None = Query(None, max_length=200),
                 country: str | None = Query(None, pattern=r"^([A-Za-z]{3})?$")):
        type_ = plover(type)
        with store() as s:
            rows = s.timeline(by, type=type_, actor=actor or None, country=country or None)
            events = s.events(actor=actor or None, type=type_, country=country or None, limit=50)
        return page(request, "timeline.html", by=by, type=type_ or "", actor=actor or "", country=country or "",
                    bars=views.bars(views.fill(rows)), total=sum(r["n"] for r in rows), events=events)

    @app.get("/map", response_class=HTMLResponse, include_in_schema=False)
    def map_page(request: Request, role: str = Query("literal", pattern="^(literal|associative|all)$"),
                 country: str | None = Query(None, pattern=r"^([A-Za-z]{3})?$")):
        with store() as s:
            rows = s.places(role=None if role == "all" else role, country=country or None, limit=MAP_PLACES)
        drawn = [r for r in rows if r["lat"] is not None]
        largest = max((r["mentions"] for r in drawn), default=1)
        for r in drawn:
            r["x"], r["y"] = views.project(r["lat"], r["lon"])
            r["r"] = views.radius(r["mentions"], largest)
        return page(request, "map.html", world=world_svg(), places=drawn, top=rows[:30], role=role,
                    country=country or "", unplaced=len(rows) - len(drawn))

    @app.get("/network", response_class=HTMLResponse, include_in_schema=False)
    def network(request: Request, type: str | None = Query(None, max_length=40),
                edges: int = Query(60, ge=1, le=NETWORK_EDGES)):
        type_ = plover(type)
        with store() as s:
            rows = s.network(type=type_, limit=edges)
        key = lambda name, cid: f"{cid}" if cid is not None else f"name:{name}"  # noqa: E731
        nodes: dict[str, dict] = {}
        for r in rows:
            for side in ("source", "target"):
                k = key(r[side], r[f"{side}_id"])
                node = nodes.setdefault(k, {"key": k, "name": r[side], "id": r[f"{side}_id"], "n": 0})
                node["n"] += r["n"]
        pairs = [(key(r["source"], r["source_id"]), key(r["target"], r["target_id"]), r["n"]) for r in rows]
        pos = views.layout(list(nodes), pairs)
        heaviest = max((r["n"] for r in rows), default=1)
        links = [{**r, "x1": pos[a][0], "y1": pos[a][1], "x2": pos[b][0], "y2": pos[b][1],
                  "w": round(0.6 + 5 * r["n"] / heaviest, 2)} for r, (a, b, _) in zip(rows, pairs)]
        for k, node in nodes.items():
            node["x"], node["y"] = pos[k]
        return page(request, "network.html", nodes=list(nodes.values()), links=links, type=type_ or "",
                    edges=edges)


def error_page(request, status: int, message):
    """An error as an HTML page, with its status."""
    from http import HTTPStatus
    try:
        reason = HTTPStatus(status).phrase
    except ValueError:
        reason = "Error"
    return request.app.state.templates.TemplateResponse(
        request, "error.html", {"status": status, "reason": reason, "message": message}, status_code=status)
