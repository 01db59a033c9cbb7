"""What the web UI's pages show, computed from the store's rows: no I/O and no HTML here.

- ``annotate``: an article's text cut into segments, each with the notes (quotes, entities, places,
  times, figures, event triggers) whose evidence covers it, for the article page's highlights;
- ``mark``: a full-text snippet's [matches] as (text, marked) pieces;
- ``project``: a latitude and longitude on the map's plane (the plane of ``static/world.json``);
- ``layout``: positions for the actor network (a force-directed layout, the same every time);
- ``fill`` and ``bars``: the timeline's periods (the empty ones too) and its bars.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

# The order of a highlight's layers, outermost first: a quote's content holds names, places and times.
LAYERS = ("content", "speaker", "cue", "trigger", "entity", "place", "time", "figure")


@dataclass
class Note:
    """One fact of the article and its evidence: what the page explains on hover or click."""
    id: str
    kind: str                       # quote | attitude | entity | place | time | figure | event
    title: str
    rows: list[tuple[str, str]] = field(default_factory=list)
    href: str | None = None         # where the fact leads (an entity's page)


@dataclass
class Segment:
    text: str
    layers: tuple[str, ...] = ()    # which kinds of evidence cover it (LAYERS order)
    notes: tuple[str, ...] = ()     # ids of the notes whose evidence covers it
    repeat: bool = False            # inside a sentence that repeats an earlier one
    first: tuple[str, ...] = ()     # the notes whose evidence starts here (the page's anchors: #q0)


def _entity_href(links: dict, entity_id: str | None) -> str | None:
    corpus_id = links.get(entity_id) if entity_id else None
    return f"/entity/{corpus_id}" if corpus_id is not None else None


def _quote_notes(analysis: dict, links: dict, spans: list) -> list[Note]:
    notes = []
    for kind in ("quotes", "attitudes"):
        for i, q in enumerate(analysis.get(kind) or []):
            nid = f"{kind[0]}{i}"
            who = q.get("speaker_name") or (q.get("speaker") or {}).get("text") or "unknown speaker"
            rows = [("speaker", who), ("cue", (q.get("cue") or {}).get("text") or ""),
                    ("form", q.get("kind") or ""), ("reports", q.get("cue_kind") or ""),
                    ("said", " … ".join(c["text"] for c in q.get("content") or []))]
            if q.get("repeat_of") is not None:
                rows.append(("repeat of", f"quote {q['repeat_of'] + 1}"))
            notes.append(Note(nid, "quote" if kind == "quotes" else "attitude",
                              f"{'Quote' if kind == 'quotes' else 'Attitude'}: {who}", rows,
                              _entity_href(links, q.get("speaker_entity"))))
            for part, span in (("speaker", q.get("speaker")), ("cue", q.get("cue"))):
                if span:
                    spans.append((span["start"], span["end"], part, nid))
            for c in q.get("content") or []:
                spans.append((c["start"], c["end"], "content", nid))
    return notes


def _event_notes(analysis: dict, links: dict, spans: list) -> list[Note]:
    notes = []
    for i, ev in enumerate(analysis.get("events") or []):
        nid = f"v{i}"
        src, tgt = ev.get("source") or {}, ev.get("target") or {}
        rows = [("type", ev.get("type") or ""), ("CAMEO", ev.get("cameo") or ""),
                ("source", src.get("name") or src.get("text") or "?"),
                ("target", tgt.get("name") or tgt.get("text") or "—")]
        if ev.get("negated"):
            rows.append(("negated", "yes: the text says it did not happen"))
        if ev.get("date"):
            rows.append(("when", ev["date"]))
        if ev.get("location"):
            rows.append(("where", ev["location"].get("name") or ev["location"].get("text")))
        title = f"Event {ev.get('type')}: {rows[2][1]} → {rows[3][1]}"
        notes.append(Note(nid, "event", title, rows, _entity_href(links, src.get("entity"))))
        if ev.get("trigger"):
            spans.append((ev["trigger"]["start"], ev["trigger"]["end"], "trigger", nid))
    return notes


def _entity_notes(analysis: dict, links: dict, spans: list) -> list[Note]:
    notes = []
    for e in analysis.get("entities") or []:
        nid = f"n{e['id']}"
        rows = [("kind", e.get("kind") or e.get("label") or "")]
        for key in ("country", "title", "sector"):
            if e.get(key):
                rows.append((key, str(e[key])))
        rows.append(("mentions", str(len(e.get("mentions") or []))))
        notes.append(Note(nid, "entity", e["name"], rows, _entity_href(links, e["id"])))
        for m in e.get("mentions") or []:
            spans.append((m["start"], m["end"], "entity", nid))
    return notes


def _place_time_figure_notes(analysis: dict, spans: list) -> list[Note]:
    notes = []
    for i, p in enumerate(analysis.get("places") or []):
        nid = f"p{i}"
        rows = [("feature", p.get("feature") or ""), ("country", p.get("country") or ""), ("role", p.get("role") or "")]
        if p.get("lat") is not None:
            rows.append(("where", f"{p['lat']:.2f}, {p['lon']:.2f}" + (" (estimated)" if p.get("estimated") else "")))
        if p.get("geonameid"):
            rows.append(("GeoNames", str(p["geonameid"])))
        notes.append(Note(nid, "place", p.get("name") or p["text"], rows))
        spans.append((p["start"], p["end"], "place", nid))
    for i, t in enumerate(analysis.get("times") or []):
        nid = f"t{i}"
        notes.append(Note(nid, "time", t["text"], [("type", t.get("type") or ""), ("value", t.get("value") or "")]))
        spans.append((t["start"], t["end"], "time", nid))
    for i, f in enumerate(analysis.get("figures") or []):
        nid = f"f{i}"
        rows = [("value", f"{f.get('value')} {f.get('unit') or ''}".strip()), ("kind", f.get("kind") or "")]
        if f.get("measure"):
            rows.append(("measures", f["measure"]))
        notes.append(Note(nid, "figure", f["text"], rows))
        spans.append((f["start"], f["end"], "figure", nid))
    return notes


def annotate(analysis: dict, links: dict | None = None) -> tuple[list[Segment], list[Note]]:
    """The article's text as segments and the notes that explain them.

    ``analysis`` is an Analysis.to_dict(); ``links`` maps its entity ids to corpus entity ids (the
    store's ``article_links``), which give the notes their links. Every character of the text is in
    exactly one segment, in order; a segment's layers and notes are those whose spans cover it."""
    links = links or {}
    text = analysis["text"]
    spans: list[tuple[int, int, str, str]] = []
    notes = (_quote_notes(analysis, links, spans) + _event_notes(analysis, links, spans)
             + _entity_notes(analysis, links, spans) + _place_time_figure_notes(analysis, spans))
    repeats = [(s["start"], s["end"]) for s in analysis.get("sentences") or [] if s.get("duplicate_of") is not None]
    spans = [(max(0, s), min(len(text), e), layer, nid) for s, e, layer, nid in spans if 0 <= s < e]
    cuts = sorted({0, len(text), *(s for s, *_ in spans), *(e for _, e, *_ in spans),
                   *(x for r in repeats for x in r if 0 <= x <= len(text))})
    order = {layer: i for i, layer in enumerate(LAYERS)}
    segments, seen = [], set()
    for a, b in zip(cuts, cuts[1:]):
        covering = [(layer, nid) for s, e, layer, nid in spans if s <= a and b <= e]
        layers = tuple(sorted({layer for layer, _ in covering}, key=order.__getitem__))
        ids = tuple(dict.fromkeys(nid for _, nid in sorted(covering, key=lambda c: order[c[0]])))
        first = tuple(nid for nid in ids if nid not in seen)
        seen.update(first)
        segments.append(Segment(text[a:b], layers, ids, any(s <= a and b <= e for s, e in repeats), first))
    return segments, notes


def headline(analysis: dict, width: int = 90) -> str:
    """What an article page is headed with: its title, else the start of its first line."""
    if analysis.get("title"):
        return analysis["title"]
    first = (analysis.get("text") or "").strip().split("\n", 1)[0]
    return first if len(first) <= width else first[:width].rsplit(" ", 1)[0] + " …"


_MARKED = re.compile(r"\[([^\[\]]*)\]")


def mark(snippet: str | None) -> list[tuple[str, bool]]:
    """A full-text snippet ("… the [Kremlin] said …") as pieces of (text, is_match)."""
    out: list[tuple[str, bool]] = []
    pos = 0
    for m in _MARKED.finditer(snippet or ""):
        if m.start() > pos:
            out.append((snippet[pos:m.start()], False))
        out.append((m.group(1), True))
        pos = m.end()
    if pos < len(snippet or ""):
        out.append((snippet[pos:], False))
    return out


def project(lat: float, lon: float) -> tuple[float, float]:
    """A point on the map's plane: equirectangular, 360 wide and 180 high, as static/world.json."""
    return round(lon + 180, 2), round(90 - lat, 2)


def radius(count: int, largest: int) -> float:
    """A map circle's radius: its area grows with the count, the largest 6 units across."""
    return round(0.8 + 5.2 * math.sqrt(count / max(largest, 1)), 2)


def layout(nodes: list[str], edges: list[tuple[str, str, int]], width: float = 1000, height: float = 700,
           iterations: int = 200, margin: float = 40, label: float = 170) -> dict[str, tuple[float, float]]:
    """Positions for a graph by Fruchterman and Reingold's force-directed method with a pull towards the
    middle (so that unconnected pairs stay near the rest), started from a circle so that the same graph
    always gets the same picture, then scaled to fill the frame (``label`` left free on the right for the
    names). Heavier edges pull harder."""
    import numpy as np

    n = len(nodes)
    if n == 0:
        return {}
    if n == 1:
        return {nodes[0]: (width / 2, height / 2)}
    index = {name: i for i, name in enumerate(nodes)}
    angle = 2 * np.pi * np.arange(n) / n
    pos = np.stack([np.cos(angle), np.sin(angle)], axis=1) * np.sqrt(n)
    a = np.array([index[x] for x, _, _ in edges], dtype=int)
    b = np.array([index[y] for _, y, _ in edges], dtype=int)
    w = np.array([weight for *_, weight in edges], dtype=float)
    w = 0.5 + w / w.max() if len(w) else w
    k, temperature = 1.0, np.sqrt(n)
    for _ in range(iterations):
        delta = pos[:, None, :] - pos[None, :, :]
        d2 = np.maximum((delta ** 2).sum(axis=2), 1e-4)
        move = (delta * (k * k / d2)[:, :, None]).sum(axis=1)           # every pair pushes apart
        if len(a):
            pull = pos[a] - pos[b]
            dist = np.sqrt((pull ** 2).sum(axis=1))[:, None]
            force = pull * dist / k * w[:, None]                         # an edge pulls its ends together
            np.add.at(move, a, -force)
            np.add.at(move, b, force)
        move -= pos * 0.1 * np.sqrt(n)                                   # and everything towards the middle
        length = np.maximum(np.sqrt((move ** 2).sum(axis=1)), 1e-9)[:, None]
        pos += move / length * np.minimum(length, temperature)
        temperature = max(temperature * 0.97, 0.01)
    low, high = pos.min(axis=0), pos.max(axis=0)
    span = np.where(high - low > 0, high - low, 1)
    frame = np.array([width - 2 * margin - label, height - 2 * margin])
    xy = (pos - low) / span * frame + margin
    return {name: (round(float(xy[i, 0]), 1), round(float(xy[i, 1]), 1)) for name, i in index.items()}


def fill(rows: list[dict], limit: int = 1_500) -> list[dict]:
    """Counts by period (YYYY, YYYY-MM or YYYY-MM-DD, oldest first) with the periods in between that
    have none added at 0, so that a chart's axis is time; as given when that would pass ``limit`` bars."""
    if len(rows) < 2:
        return rows
    first, last = rows[0]["period"], rows[-1]["period"]
    if not all(len(r["period"]) == len(first) for r in rows):
        return rows
    try:
        if len(first) == 4:
            periods = [str(y) for y in range(int(first), int(last) + 1)]
        elif len(first) == 7:
            y0, m0, y1, m1 = int(first[:4]), int(first[5:]), int(last[:4]), int(last[5:])
            periods = [f"{m // 12:04d}-{m % 12 + 1:02d}" for m in range(y0 * 12 + m0 - 1, y1 * 12 + m1)]
        else:
            d0, d1 = date.fromisoformat(first), date.fromisoformat(last)
            if (d1 - d0).days >= limit:
                return rows
            periods = [(d0 + timedelta(days=i)).isoformat() for i in range((d1 - d0).days + 1)]
    except ValueError:
        return rows
    if len(periods) > limit:
        return rows
    counts = {r["period"]: r["n"] for r in rows}
    return [{"period": p, "n": counts.get(p, 0)} for p in periods]


def bars(rows: list[dict], width: float = 1000, height: float = 240) -> list[dict]:
    """The timeline's bars: one per period, x and width across the chart, height by count."""
    if not rows:
        return []
    top = max(r["n"] for r in rows) or 1
    step = width / len(rows)
    return [{"period": r["period"], "n": r["n"], "x": round(i * step, 2), "w": round(max(step * 0.8, 1), 2),
             "h": round(height * r["n"] / top, 2), "y": round(height - height * r["n"] / top, 2)}
            for i, r in enumerate(rows)]
