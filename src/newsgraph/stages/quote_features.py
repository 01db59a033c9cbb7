"""Token features for the quote role tagger, shared by the training script (scripts/train_quotes.py)
and the quote stage, so both see exactly the same features.

The role tagger is a linear-chain CRF run once per cue, over a window of sentences around it. It labels
each token B-SPK/I-SPK/B-CON/I-CON/O with features that describe the token *relative to that cue* (its
syntactic branch below the cue, side, distance), much like feature-based semantic role labelling.
Features degrade gracefully when a sentence carries no dependency parse.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass

from spacy.tokens import Doc

from .mentions import quoted_regions

WINDOW_BEFORE = 2     # sentences before the cue's sentence a role may reach (direct quotes before "he said")
WINDOW_AFTER = 1      # sentences after it (a quote that goes on after "he said:")
QUOTE_CHARS = set("\"“”«»„‘’'`")


def _shape(text: str) -> str:
    if text.isdigit():
        return "d"
    if all(ch in QUOTE_CHARS for ch in text):
        return "q"
    if not any(ch.isalnum() for ch in text):
        return "p"
    if text.isupper():
        return "X"
    if text[:1].isupper():
        return "Xx"
    return "x"


def _bucket(n: int) -> str:
    for limit in (1, 2, 3, 5, 8, 12, 20, 35):
        if n <= limit:
            return str(limit)
    return "far"


@dataclass
class DocInfo:
    """Per-token facts computed once per document and shared by both taggers."""
    doc: Doc
    text: str                # doc.text, built once (spaCy rebuilds it on every access)
    lower: list[str]
    lemma: list[str]
    pos: list[str]
    tag: list[str]
    dep: list[str]
    head: list[int]
    shape: list[str]
    in_quote: list[bool]
    sent: list[int]          # sentence number of each token
    para: list[int]          # paragraph number of each token
    sent_bounds: list[tuple[int, int]]   # token range of each sentence
    parsed: bool


def doc_info(doc: Doc, sentence_chars: list[tuple[int, int]] | None = None) -> DocInfo:
    """Precompute token facts; ``sentence_chars`` are the stage's sentences (else spaCy's)."""
    text = doc.text
    regions = quoted_regions(text)
    starts = [a for a, _ in regions]
    in_quote = []
    for tok in doc:
        k = bisect.bisect_right(starts, tok.idx) - 1
        in_quote.append(k >= 0 and regions[k][0] < tok.idx < regions[k][1])
    if sentence_chars is None:
        sentence_chars = [(s.start_char, s.end_char) for s in doc.sents] if doc.has_annotation("SENT_START") \
            else [(0, len(text))]
    sent_starts = [s for s, _ in sentence_chars]
    sent = [max(0, bisect.bisect_right(sent_starts, tok.idx) - 1) for tok in doc]
    bounds: dict[int, list[int]] = {}
    for i, s in enumerate(sent):
        bounds.setdefault(s, [i, i + 1])[1] = i + 1
    sent_bounds = [tuple(bounds.get(i, (0, 0))) for i in range(len(sentence_chars))]
    para, p = [], 0
    for tok in doc:
        para.append(p)
        if "\n" in tok.whitespace_ or "\n" in tok.text:
            p += 1
    return DocInfo(doc=doc, text=text, lower=[t.lower_ for t in doc], lemma=[t.lemma_.lower() for t in doc],
                   pos=[t.pos_ for t in doc], tag=[t.tag_ for t in doc], dep=[t.dep_ for t in doc],
                   head=[t.head.i for t in doc], shape=[_shape(t.text) for t in doc], in_quote=in_quote,
                   sent=sent, para=para, sent_bounds=sent_bounds, parsed=doc.has_annotation("DEP"))


# ---------------------------------------------------------------- role tagger
def window(info: DocInfo, cue_start: int) -> tuple[int, int]:
    """Token range of the sentences around a cue, kept inside its paragraph."""
    s = info.sent[cue_start]
    para = info.para[cue_start]
    first, last = s, s
    while first > max(0, s - WINDOW_BEFORE) and info.para[info.sent_bounds[first - 1][0]] == para:
        first -= 1
    while last < min(len(info.sent_bounds) - 1, s + WINDOW_AFTER) and \
            info.para[info.sent_bounds[last + 1][0]] == para:
        last += 1
    return info.sent_bounds[first][0], info.sent_bounds[last][1]


def cue_head(info: DocInfo, cue: range) -> int:
    """The token of a cue span whose head lies outside it (the verb of "has often said")."""
    for i in cue:
        if not (cue.start <= info.head[i] < cue.stop) or info.head[i] == i:
            if info.pos[i] in ("VERB", "NOUN", "AUX", "ADJ") or len(cue) == 1:
                return i
    return cue.stop - 1


def role_features(info: DocInfo, cue: range, start: int, end: int) -> list[list[str]]:
    """Features of tokens [start, end) describing each token relative to the cue span."""
    doc = info.doc
    h = cue_head(info, cue)
    cl = info.lemma[h]
    branch = _branches(info, h, start, end) if info.parsed else {}
    cue_sent = info.sent[h]
    out = []
    for i in range(start, end):
        if i in cue:
            side = "C"
        elif i < cue.start:
            side = "L"
        else:
            side = "R"
        dist = _bucket(abs(i - (cue.start if i < cue.start else cue.stop - 1)))
        sd = info.sent[i] - cue_sent
        b = branch.get(i, "none")
        f = ["b", "w=" + info.lower[i], "p=" + info.pos[i], "d=" + info.dep[i], "s=" + info.shape[i],
             "side=" + side, "dist=" + side + dist, "sd=" + str(sd), "q=" + str(info.in_quote[i]),
             "br=" + b, "br|side=" + b + "|" + side, "br|cl=" + b + "|" + cl, "cl|side=" + cl + "|" + side,
             "q|side=" + str(info.in_quote[i]) + side, "cp=" + info.pos[h]]
        if info.parsed:
            f.append("hd=" + info.dep[info.head[i]])
            if info.head[i] == h:
                f.append("child=" + info.dep[i])
        if i == info.sent_bounds[info.sent[i]][0]:
            f.append("sent_start")
        for k in (-1, 1):
            j = i + k
            if start <= j < end:
                f += [f"{k}:w=" + info.lower[j], f"{k}:br=" + branch.get(j, "none"), f"{k}:s=" + info.shape[j],
                      f"{k}:in=" + str(j in cue)]
            else:
                f.append(f"{k}:edge")
        out.append(f)
    return out


def _branches(info: DocInfo, h: int, start: int, end: int) -> dict[int, str]:
    """For each token, how it hangs from the cue head: the dep of the cue's child above it, "anc"
    for the cue's ancestors, or "sib:<dep>" for tokens under the cue's head but outside the cue."""
    head = info.head
    ancestors = []
    k = h
    while head[k] != k:
        k = head[k]
        ancestors.append(k)
    anc_set = set(ancestors)
    out = {}
    for i in range(start, end):
        if i == h:
            out[i] = "cue"
            continue
        if i in anc_set:
            out[i] = "anc"
            continue
        # climb from i until reaching h or an ancestor of h
        k, prev, steps = i, i, 0
        while k != h and k not in anc_set and head[k] != k and steps < 60:
            prev, k = k, head[k]
            steps += 1
        if k == h:
            out[i] = info.dep[prev]
        elif k in anc_set:
            level = ancestors.index(k)
            out[i] = f"up{min(level, 2)}:" + info.dep[prev]
        else:
            out[i] = "other"
    return out
