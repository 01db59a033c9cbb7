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
