"""The event typer: a MiniLM fine-tuned on PLV (scripts/train_event_typer.py), exported to int8 ONNX.

Given a sentence with a source and a target actor and the trigger marked, it gives a probability for every PLOVER
root it was trained on (PLV merges CONCEDE and RETREAT into YIELD). The events stage combines these
with the trigger lexicon (data/event_verbs.tsv). Like the quote taggers it needs no parse.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from ...knowledge import Knowledge
from ..transformer import load_onnx, loaded, run_padded

MAX_PIECES = 128


def encode_pair(tokenizer, marks: list[int], text: str, source: tuple[int, int] | None,
                target: tuple[int, int] | None, max_pieces: int = MAX_PIECES,
                trigger: tuple[int, int] | None = None) -> list[int]:
    """Word-piece ids of ``text`` ([CLS] ... [SEP]) with marks[0]/marks[1] around the source span,
    marks[2]/marks[3] around the target span and marks[4]/marks[5] around the trigger (when the
    marks list has them); a long sentence keeps the part around the marked spans."""
    enc = tokenizer.encode(text, add_special_tokens=False)
    ids, offs = enc.ids, enc.offsets
    opens: dict[int, list[int]] = {}
    closes: dict[int, list[int]] = {}
    focus = []
    spans = [(source, marks[0:2]), (target, marks[2:4])]
    if len(marks) >= 6:
        spans.append((trigger, marks[4:6]))
    for span, (m_open, m_close) in spans:
        a, z = span if span is not None else (None, None)
        if a is None or z is None or a >= z:
            continue
        first = next((k for k, (s, e) in enumerate(offs) if e > a), None)
        last = max([k for k, (s, e) in enumerate(offs) if s < z] or [-1])
        if first is None or last < first:
            continue
        opens.setdefault(first, []).append(m_open)
        closes.setdefault(last, []).append(m_close)
        focus += [first, last]
    budget = max(1, max_pieces - 2 - len(focus))
    lo = 0
    if len(ids) > budget:
        centre = (min(focus) + max(focus)) // 2 if focus else 0
        lo = max(0, min(centre - budget // 2, len(ids) - budget))
    out = [tokenizer.token_to_id("[CLS]")]
    for k in range(lo, min(len(ids), lo + budget)):
        out += opens.get(k, [])
        out.append(ids[k])
        out += closes.get(k, [])
    out.append(tokenizer.token_to_id("[SEP]"))
    return out


class EventTyper:
    """``typer.types([(sentence, (s0, s1), (t0, t1), (g0, g1)), ...]) -> [{"ASSAULT": 0.91, ...}, ...]``:
    source, target and trigger offsets into each sentence; a missing one is None."""

    def __init__(self, folder: str | Path):
        folder = Path(folder)
        meta = json.loads((folder / "event.meta.json").read_text(encoding="utf-8"))
        self.labels: list[str] = meta["labels"]
        self.marks: list[int] = meta["marks"]
        self.max_pieces = int(meta.get("max_pieces", MAX_PIECES))
        self.session, self.tokenizer = load_onnx(folder, "event")

    def types(self, items: list[tuple[str, tuple | None, tuple | None]]) -> list[dict[str, float]]:
        if not items:
            return []
        encoded = [encode_pair(self.tokenizer, self.marks, text, s, t, self.max_pieces, g)
                   for text, s, t, g in items]
        out = []
        for logits in run_padded(self.session, encoded):
            p = np.exp(logits - logits.max())
            p /= p.sum()
            out.append({lab: float(p[k]) for k, lab in enumerate(self.labels)})
        return out


class PairTagger:
    """The actors of a sentence's event as PLV marks them: ``tagger.pairs(["Chile attacked Peru."])
    -> [((0, 5), (15, 19))]``, source and target offsets into each sentence (None when not found)."""

    def __init__(self, folder: str | Path):
        folder = Path(folder)
        meta = json.loads((folder / "pair.meta.json").read_text(encoding="utf-8"))
        self.labels: list[str] = meta["labels"]
        self.session, self.tokenizer = load_onnx(folder, "pair", int(meta.get("max_pieces", MAX_PIECES)))

    def pairs(self, sentences: list[str]) -> list[tuple[tuple[int, int] | None, tuple[int, int] | None]]:
        if not sentences:
            return []
        encs = self.tokenizer.encode_batch(sentences)
        logits = run_padded(self.session, [e.ids for e in encs])
        return [self._decode(e, lg.argmax(axis=-1)) for e, lg in zip(encs, logits)]

    def _decode(self, enc, best) -> tuple:
        """The longest run of source pieces and of target pieces, as character spans."""
        runs: dict[str, list[list[int]]] = {"SRC": [], "TGT": []}
        prev = None
        for k, (a, z) in enumerate(enc.offsets):
            if a == z:
                prev = None
                continue
            label = self.labels[int(best[k])]
            if label == "O":
                prev = None
                continue
            tag = label[2:]
            if prev == tag and label.startswith("I-") or prev == tag and enc.word_ids[k] == enc.word_ids[k - 1]:
                runs[tag][-1][1] = z
            else:
                runs[tag].append([a, z])
            prev = tag
        pick = lambda rs: tuple(max(rs, key=lambda r: r[1] - r[0])) if rs else None  # noqa: E731
        return pick(runs["SRC"]), pick(runs["TGT"])


MODELS = Path(__file__).parent / "models"


def event_typer(kb: Knowledge) -> EventTyper | None:
    """The shipped event typer (models/event.onnx), loaded once per Knowledge; None when not shipped."""
    return loaded(kb, "events.typer", EventTyper, "event", MODELS)


def pair_tagger(kb: Knowledge) -> PairTagger | None:
    """The shipped pair tagger (models/pair.onnx), loaded once per Knowledge; None when not shipped."""
    return loaded(kb, "events.pair", PairTagger, "pair", MODELS)

