"""The transformer cue tagger: a MiniLM fine-tuned on PolNeAR (scripts/train_cue_transformer.py),
exported to int8 ONNX and run with onnxruntime, so no deep-learning framework is needed at run time.

It reads sentences as plain strings and returns cue spans as character offsets into them; it needs
neither the parse nor spaCy's tokens, so it works the same on parsed and unparsed sentences.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from ...knowledge import Knowledge
from ..transformer import load_onnx, loaded, run_padded

MODELS = Path(__file__).parent / "models"


class CueTagger:
    """Cue spans in sentences: ``tagger.cues(["He said it.", ...]) -> [[(3, 7, 0.98)], ...]``."""

    # 0.65, not 0.5: above it the tagger keeps the cues of speech and drops most cues of bare attitude
    # ("positions itself"), which PolNeAR annotates and a reader of "who said what" does not want.
    def __init__(self, folder: str | Path, threshold: float = 0.65):
        folder = Path(folder)
        meta = json.loads((folder / "cue.meta.json").read_text(encoding="utf-8"))
        self.labels = meta["labels"]
        self.threshold = threshold
        self.session, self.tokenizer = load_onnx(folder, "cue", int(meta.get("max_pieces", 160)))

    def cues(self, sentences: list[str]) -> list[list[tuple[int, int, float]]]:
        """Per sentence, the cue spans (start, end, probability) in that sentence's own offsets."""
        if not sentences:
            return []
        encodings = self.tokenizer.encode_batch(sentences)
        probs = []
        for logits in run_padded(self.session, [e.ids for e in encodings]):
            p = np.exp(logits - logits.max(axis=-1, keepdims=True))
            probs.append(p / p.sum(axis=-1, keepdims=True))
        return [self._spans(encodings[i], probs[i]) for i in range(len(encodings))]

    def _spans(self, enc, p: np.ndarray) -> list[tuple[int, int, float]]:
        """Words whose first piece is a cue with probability >= threshold, joined into spans."""
        o, b = self.labels.index("O"), self.labels.index("B-CUE")
        words: list[list] = []          # [word id, start, end, P(cue), P(B-CUE)]
        for k, (a, z) in enumerate(enc.offsets):
            w = enc.word_ids[k]
            if w is None or a == z:
                continue
            if words and words[-1][0] == w:
                words[-1][2] = z        # later pieces of a word follow its first piece
                continue
            words.append([w, a, z, 1.0 - float(p[k, o]), float(p[k, b])])
        spans: list[list] = []
        prev = None
        for w, a, z, cue_p, b_p in words:
            if cue_p < self.threshold:
                prev = None
                continue
            if prev is not None and prev == w - 1 and b_p <= cue_p - b_p:
                spans[-1][1] = z
                spans[-1][2] = min(spans[-1][2], cue_p)
            else:
                spans.append([a, z, cue_p])
            prev = w
        return [(a, z, round(pr, 3)) for a, z, pr in spans]


class RoleTagger:
    """Speaker and content of a cue, from the sentences around it with the cue between two markers:
    ``tagger.roles([(window_text, cue_start, cue_end), ...]) -> [(speaker_spans, content_spans), ...]``."""

    def __init__(self, folder: str | Path):
        folder = Path(folder)
        meta = json.loads((folder / "role.meta.json").read_text(encoding="utf-8"))
        self.labels = meta["labels"]
        self.max_pieces = int(meta.get("max_pieces", 192))
        self.marks = meta["marks"]
        self.session, self.tokenizer = load_onnx(folder, "role")
        self.cls = self.tokenizer.token_to_id("[CLS]")
        self.sep = self.tokenizer.token_to_id("[SEP]")

    def _encode(self, text: str, cue_start: int, cue_end: int):
        e = self.tokenizer.encode(text, add_special_tokens=False)
        ids, offs = e.ids, e.offsets
        first = next((k for k, (a, b) in enumerate(offs) if b > cue_start), len(ids))
        last = max([k for k, (a, b) in enumerate(offs) if a < cue_end] or [first])
        budget = self.max_pieces - 4
        lo = max(0, min(first - budget // 2, len(ids) - budget))
        hi = min(len(ids), lo + budget)
        seq, seq_offs, words = [self.cls], [(0, 0)], [None]
        for k in range(lo, hi):
            if k == first:
                seq.append(self.marks[0]); seq_offs.append((0, 0)); words.append(None)  # noqa: E702
            seq.append(ids[k]); seq_offs.append(tuple(offs[k])); words.append(e.word_ids[k])  # noqa: E702
            if k == last:
                seq.append(self.marks[1]); seq_offs.append((0, 0)); words.append(None)  # noqa: E702
        seq.append(self.sep); seq_offs.append((0, 0)); words.append(None)  # noqa: E702
        return seq, seq_offs, words

    def roles(self, items: list[tuple[str, int, int]]) -> list[tuple[list, list]]:
        if not items:
            return []
        encoded = [self._encode(*it) for it in items]
        # Each window alone: a window is 100 to 192 pieces, where a run of one costs the least per piece,
        # and a cue's roles then never depend on the other cues of the article (the int8 model quantizes
        # each call's activations with one scale, so a padded neighbour can shift a label).
        logits = run_padded(self.session, [e[0] for e in encoded], pieces=1)
        return [self._decode(e, lg.argmax(axis=-1)) for e, lg in zip(encoded, logits)]

    def _decode(self, encoded, best) -> tuple[list, list]:
        """Word-level runs (a word takes its first piece's label) -> speaker and content char spans."""
        _, offs, words = encoded
        runs = {"SPK": [], "CON": []}
        prev_word, cur = None, None
        for k, ((a, b), w) in enumerate(zip(offs, words)):
            if w is None:          # [CLS], [SEP] and the cue markers end a run
                cur = None
                continue
            if w == prev_word:
                if cur is not None:
                    cur[1] = b
                continue
            prev_word = w
            label = self.labels[int(best[k])]
            if label == "O":
                cur = None
                continue
            tag = label[2:]
            if cur is not None and cur[2] == tag and label.startswith("I-"):
                cur[1] = b
            else:
                cur = [a, b, tag]
                runs[tag].append(cur)
        return [(a, b) for a, b, _ in runs["SPK"]], [(a, b) for a, b, _ in runs["CON"]]


def cue_tagger(kb: Knowledge) -> CueTagger | None:
    """The shipped cue tagger (models/cue.onnx), loaded once per Knowledge; None when not shipped."""
    return loaded(kb, "quotes.cue", CueTagger, "cue", MODELS)


def role_tagger(kb: Knowledge) -> RoleTagger | None:
    """The shipped role tagger (models/role.onnx), loaded once per Knowledge; None when not shipped."""
    return loaded(kb, "quotes.role", RoleTagger, "role", MODELS)

