"""The transformer cue tagger: a MiniLM fine-tuned on PolNeAR (scripts/train_cue_transformer.py),
exported to int8 ONNX and run with onnxruntime, so no deep-learning framework is needed at run time.

It reads sentences as plain strings and returns cue spans as character offsets into them; it needs
neither the parse nor spaCy's tokens, so it works the same on parsed and unparsed sentences.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np

BATCH_PIECES = 4096      # word pieces per onnxruntime call (keeps memory flat on long articles)


class CueTagger:
    """Cue spans in sentences: ``tagger.cues(["He said it.", ...]) -> [[(3, 7, 0.98)], ...]``."""

    # 0.65, not 0.5: above it the tagger keeps the cues of speech and drops most cues of bare attitude
    # ("positions itself"), which PolNeAR annotates and a reader of "who said what" does not want.
    def __init__(self, folder: str | Path, threshold: float = 0.65):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        folder = Path(folder)
        meta = json.loads((folder / "cue.meta.json").read_text(encoding="utf-8"))
        self.labels = meta["labels"]
        self.threshold = threshold
        opts = ort.SessionOptions()
        # One thread per process: the runner parallelises across processes, not inside them.
        opts.intra_op_num_threads = int(os.environ.get("NEWSGRAPH_THREADS", "1"))
        opts.inter_op_num_threads = 1
        self.session = ort.InferenceSession(str(folder / "cue.onnx"), opts, providers=["CPUExecutionProvider"])
        self.tokenizer = Tokenizer.from_file(str(folder / "cue.tokenizer.json"))
        self.tokenizer.enable_truncation(int(meta.get("max_pieces", 160)))
        self.tokenizer.no_padding()

    def cues(self, sentences: list[str]) -> list[list[tuple[int, int, float]]]:
        """Per sentence, the cue spans (start, end, probability) in that sentence's own offsets."""
        if not sentences:
            return []
        encodings = self.tokenizer.encode_batch(sentences)
        order = sorted(range(len(encodings)), key=lambda i: len(encodings[i].ids))
        probs: list[np.ndarray | None] = [None] * len(encodings)
        k = 0
        while k < len(order):
            width = len(encodings[order[min(len(order) - 1, k)]].ids)
            group = []
            while k < len(order):
                width = max(width, len(encodings[order[k]].ids))
                if group and width * (len(group) + 1) > BATCH_PIECES:
                    break
                group.append(order[k])
                k += 1
            n = max(len(encodings[i].ids) for i in group)
            ids = np.zeros((len(group), n), dtype=np.int64)
            mask = np.zeros((len(group), n), dtype=np.int64)
            for r, i in enumerate(group):
                e = encodings[i].ids
                ids[r, :len(e)] = e
                mask[r, :len(e)] = 1
            logits = self.session.run(["logits"], {"input_ids": ids, "attention_mask": mask})[0]
            logits = logits - logits.max(axis=-1, keepdims=True)
            p = np.exp(logits)
            p /= p.sum(axis=-1, keepdims=True)
            for r, i in enumerate(group):
                probs[i] = p[r, :len(encodings[i].ids)]
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
