"""Fixed, documented splits of the evaluation sets that newsgraph may also train on.

PLV (../shared/eval/plv/train.jsonl) is used both to train the event typer and to gate it, so a fixed
fifth of it never enters training or tuning: the sentences whose id hashes to 0 modulo 5
(SHA-1 of the id, as an integer). Inside the other four fifths, those that hash to 1 are the tuning
part: hyperparameters and rules are chosen on it, and the shipped model is then trained on all four
fifths. Hashing the id (not its position) keeps the split stable if the file is reordered or grows.
"""
from __future__ import annotations

import hashlib


def _bucket(article_id: str) -> int:
    return int(hashlib.sha1(article_id.encode("utf-8")).hexdigest(), 16) % 5


def plv_holdout(article_id: str) -> bool:
    """The gated fifth of PLV: never trained or tuned on."""
    return _bucket(article_id) == 0


def plv_tune(article_id: str) -> bool:
    """The fifth of PLV that hyperparameters and rules are chosen on (part of the final training data)."""
    return _bucket(article_id) == 1


def plv_train(article_id: str) -> bool:
    """Everything the shipped event typer is trained on: all of PLV but the holdout."""
    return not plv_holdout(article_id)


SELECTORS = {"plv_holdout": plv_holdout, "plv_tune": plv_tune, "plv_train": plv_train}
