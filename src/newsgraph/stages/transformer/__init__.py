"""What the transformer taggers of several stages share: the word-piece tokenizer of their base model
(MiniLM-L6, sentence-transformers/all-MiniLM-L6-v2, Apache-2.0: tokenizer.json here), onnxruntime
sessions, padded batch runs, and where a stage's trained files are.
"""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np

TOKENIZER = Path(__file__).parent / "tokenizer.json"


def model_folder(shipped: Path) -> Path:
    """Where a stage's trained files are: its own models/ folder, or the folder NEWSGRAPH_MODELS (or
    its older name NEWSGRAPH_QUOTE_MODELS) names, for experiments with the training scripts."""
    override = os.environ.get("NEWSGRAPH_MODELS") or os.environ.get("NEWSGRAPH_QUOTE_MODELS")
    return Path(override) if override else shipped


def loaded(kb, key: str, cls, name: str, shipped: Path):
    """``cls(folder)`` over NAME.onnx in a stage's models folder (or NEWSGRAPH_MODELS), built once per
    Knowledge and kept there under ``key``; None when the stage ships no such model."""
    def load(_):
        folder = model_folder(shipped)
        return cls(folder) if (folder / f"{name}.onnx").is_file() else None
    return kb.resource(key, load)


def load_onnx(folder: Path, name: str, truncate: int | None = None):
    """(onnxruntime session of FOLDER/NAME.onnx, the shared word-piece tokenizer) for one process.
    One thread per process: the runner parallelises across processes, not inside them."""
    import onnxruntime as ort
    from tokenizers import Tokenizer

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = int(os.environ.get("NEWSGRAPH_THREADS", "1"))
    opts.inter_op_num_threads = 1
    # No memory arena: an arena keeps the largest batch's buffers for the rest of the run, which made a
    # worker's memory grow with the longest article it had met.
    opts.enable_cpu_mem_arena = False
    session = ort.InferenceSession(str(folder / f"{name}.onnx"), opts, providers=["CPUExecutionProvider"])
    own = folder / "cue.tokenizer.json"                  # a training run writes its own copy beside its models
    tokenizer = Tokenizer.from_file(str(own if own.is_file() else TOKENIZER))
    if truncate:
        tokenizer.enable_truncation(truncate)
    else:
        tokenizer.no_truncation()
    tokenizer.no_padding()
    return session, tokenizer


# Word pieces per onnxruntime call. Measured with the int8 MiniLM on one core: a call over about 200
# to 320 pieces costs the least per piece (2 x 100, 8 x 40, 1 x 192); bigger calls cost more per piece
# (16 x 192: 26 ms a sequence against 16 alone), because the attention tensors, batch x heads x n x n,
# outgrow the caches, and they held 170 MB at 11 x 175. A sequence longer than this runs alone.
PIECES_PER_RUN = 320


def run_padded(session, sequences: list[list[int]], pieces: int = PIECES_PER_RUN) -> list[np.ndarray]:
    """The model's logits for each sequence of piece ids (for a tagger, one row per piece of it), run
    in padded groups of similar length of at most ``pieces`` pieces (1: each sequence alone), padding
    masked out. The int8 models quantize a call's activations with one scale, so a sequence's logits
    may differ slightly with the group it runs in; the groups depend only on the sequences given."""
    out: list = [None] * len(sequences)
    order = sorted(range(len(sequences)), key=lambda i: len(sequences[i]))
    k = 0
    while k < len(order):
        part = [order[k]]
        k += 1
        # sorted by length, so the newest sequence is the widest: the group's width
        while k < len(order) and len(sequences[order[k]]) * (len(part) + 1) <= pieces:
            part.append(order[k])
            k += 1
        n = max(1, len(sequences[part[-1]]))
        ids = np.zeros((len(part), n), dtype=np.int64)
        mask = np.zeros((len(part), n), dtype=np.int64)
        for r, i in enumerate(part):
            ids[r, :len(sequences[i])] = sequences[i]
            mask[r, :len(sequences[i])] = 1
        logits = session.run(["logits"], {"input_ids": ids, "attention_mask": mask})[0]
        for r, i in enumerate(part):
            out[i] = logits[r, :len(sequences[i])] if logits.ndim == 3 else logits[r]
    return out
