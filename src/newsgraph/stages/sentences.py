"""Sentences (never crossing a line break) and sentences that repeat one another inside an article."""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import replace

from spacy.tokens import Doc

from ..model import Analysis, Duplicate, Sentence, Span
from . import stage
from .common import doc_text, words

LINE_BREAK = re.compile(r"\n+")
MIN_WORDS = 6            # shorter sentences ("He said.") repeat by chance
MIN_SIMILARITY = 0.6     # word-bigram Jaccard; a rewording of a few words stays above it


@stage("sentences", assigns="sentences")
def split_sentences(doc: Doc, analysis: Analysis, kb) -> list[Sentence]:
    """spaCy's sentence boundaries, cut again at line breaks (paragraphs never share a sentence)."""
    text = doc_text(doc)
    if doc.has_annotation("SENT_START"):
        bounds = [(s.start_char, s.end_char) for s in doc.sents]
    else:
        bounds = [(0, len(text))]
    out: list[Sentence] = []
    for start, end in bounds:
        pos = start
        for m in LINE_BREAK.finditer(text, start, end):
            out.extend(_trimmed(text, pos, m.start()))
            pos = m.end()
        out.extend(_trimmed(text, pos, end))
    return out


def _trimmed(text: str, start: int, end: int) -> list[Sentence]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return [Sentence(start, end)] if end > start else []


def _shingles(text: str) -> set[tuple[str, str]]:
    w = words(text)
    return set(zip(w, w[1:]))


@stage("duplicates", assigns=("duplicates", "sentences"), requires=["sentences"])
def find_repeated_sentences(doc: Doc, analysis: Analysis, kb) -> tuple[list[Duplicate], list[Sentence]]:
    """Group sentences whose word bigrams mostly coincide; the sentences again, later tellings marked
    ``duplicate_of`` the first (new records: the sentences stage's stay as they were)."""
    text = doc_text(doc)
    sents = [replace(s) for s in analysis.sentences]
    shingles = [_shingles(text[s.start:s.end]) if len(words(text[s.start:s.end])) >= MIN_WORDS else set()
                for s in sents]
    index: dict[tuple[str, str], list[int]] = defaultdict(list)
    groups: dict[int, list[tuple[int, float]]] = {}
    for i, sh in enumerate(shingles):
        if not sh:
            continue
        shared: dict[int, int] = defaultdict(int)
        for g in sh:
            for j in index[g]:
                shared[j] += 1
            index[g].append(i)
        best, best_sim = None, 0.0
        for j, n in shared.items():
            sim = n / len(sh | shingles[j])
            if sim > best_sim:
                best, best_sim = j, sim
        if best is not None and best_sim >= MIN_SIMILARITY:
            first = sents[best].duplicate_of if sents[best].duplicate_of is not None else best
            sents[i].duplicate_of = first
            groups.setdefault(first, []).append((i, best_sim))
    out = []
    for first, repeats in sorted(groups.items()):
        spans = [Span.of(text, sents[first].start, sents[first].end)]
        spans += [Span.of(text, sents[i].start, sents[i].end) for i, _ in repeats]
        out.append(Duplicate("sentence", spans, round(min(s for _, s in repeats), 3)))
    return out, sents
