"""Stories: near-duplicate articles (wire copies, updated versions of one report) grouped as they are
stored, with MinHash signatures (datasketch) and locality-sensitive hashing whose bands are kept in
the store, so that a later batch, or a later run, joins the stories of earlier ones.

An article's signature is the MinHash of its five-word shingles (lower case); two articles whose
estimated Jaccard similarity is ``THRESHOLD`` or more are copies of one story. LSH finds the
candidates: an article's signature is cut into ``BANDS`` bands of ``ROWS`` values, each band hashed
to a key (kept in the store's ``story_bands``), and articles sharing a key are compared. A new article joins the story of its most similar
earlier article (of the at most 50 that share the most bands with it: ``STORY_CANDIDATES`` in
db.py); one with no such article starts a story named by its own id.

Pure functions here; ``Store.write`` keeps the signatures, band keys and story of each article.
"""
from __future__ import annotations

import hashlib
import re
import numpy as np

NUM_PERM = 128
SHINGLE_WORDS = 5
THRESHOLD = 0.5            # measured on the BBC corpus: copies of one report score 0.56 and up, others below 0.3
SEED = 1
_WORDS = re.compile(r"\w+")


# LSH bands of ROWS values: recall first, as the signature comparison that follows is exact about the
# estimate. Two texts of similarity 0.5 share a band with probability 1 - (1 - 0.5**3)**42 = 0.996, of
# 0.3 with 0.68 (then compared and told apart), of 0.05 (unrelated news) with 0.005.
ROWS = 3
BANDS = NUM_PERM // ROWS


BANDS_AT = tuple((k * ROWS, (k + 1) * ROWS) for k in range(BANDS))     # (start, end) of each band


def shingles(text: str) -> set[str]:
    words = _WORDS.findall(text.lower())
    if len(words) <= SHINGLE_WORDS:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i:i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)}


def signature(text: str) -> bytes:
    """The MinHash signature of a text, NUM_PERM 32-bit values as bytes (little-endian)."""
    from datasketch import MinHash
    m = MinHash(num_perm=NUM_PERM, seed=SEED)
    m.update_batch([s.encode("utf-8") for s in shingles(text)])
    return m.hashvalues.astype("<u4").tobytes()


def band_keys(sig: bytes) -> list[str]:
    """One key per band: the band's number and a hash of its values."""
    values = np.frombuffer(sig, dtype="<u4")
    return [f"{k:02d}:" + hashlib.blake2b(values[a:b].tobytes(), digest_size=8).hexdigest()
            for k, (a, b) in enumerate(BANDS_AT)]


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of the shingles of two texts: the share of equal signature values."""
    x, y = np.frombuffer(a, dtype="<u4"), np.frombuffer(b, dtype="<u4")
    return float(np.count_nonzero(x == y)) / NUM_PERM
