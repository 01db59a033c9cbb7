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


def run_padded(session, sequences: list[list[int]], group: int = 32) -> list[np.ndarray]:
    """The model's logits for each sequence of piece ids, run in padded groups of similar length
    (padding is masked out, so each row's logits match a run on its own)."""
    out: list = [None] * len(sequences)
    order = sorted(range(len(sequences)), key=lambda i: len(sequences[i]))
    for g in range(0, len(order), group):
        part = order[g:g + group]
        n = max(len(sequences[i]) for i in part)
        ids = np.zeros((len(part), n), dtype=np.int64)
        mask = np.zeros((len(part), n), dtype=np.int64)
        for r, i in enumerate(part):
            ids[r, :len(sequences[i])] = sequences[i]
            mask[r, :len(sequences[i])] = 1
        logits = session.run(["logits"], {"input_ids": ids, "attention_mask": mask})[0]
        for r, i in enumerate(part):
            out[i] = logits[r]
    return out
