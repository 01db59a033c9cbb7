"""Per-document facts the quote stage and its training scripts share: tokens, sentences, paragraphs,
quote marks, and the window of sentences around a cue that the role tagger reads.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass

from spacy.tokens import Doc

from ..common import doc_text
from ..entities.mentions import quoted_regions

WINDOW_BEFORE = 2     # sentences before the cue's sentence a role may reach (direct quotes before "he said")
WINDOW_AFTER = 1      # sentences after it (a quote that goes on after "he said:")


@dataclass
class DocInfo:
    """Per-token facts computed once per document and shared by both taggers."""
    doc: Doc
    text: str                # the Doc's text, built once (common.doc_text; spaCy rebuilds doc.text on every access)
    lower: list[str]
    lemma: list[str]
    pos: list[str]
    dep: list[str]
    head: list[int]
    in_quote: list[bool]
    sent: list[int]          # sentence number of each token
    para: list[int]          # paragraph number of each token
    sent_bounds: list[tuple[int, int]]   # token range of each sentence
    parsed: bool


def doc_info(doc: Doc, sentence_chars: list[tuple[int, int]] | None = None) -> DocInfo:
    """Precompute token facts in one pass over the tokens; ``sentence_chars`` are the stage's sentences
    (else spaCy's)."""
    text = doc_text(doc)
    regions = quoted_regions(text)
    starts = [a for a, _ in regions]
    if sentence_chars is None:
        sentence_chars = [(s.start_char, s.end_char) for s in doc.sents] if doc.has_annotation("SENT_START") \
            else [(0, len(text))]
    sent_starts = [s for s, _ in sentence_chars]
    in_quote, sent, para = [], [], []
    lower, lemma, pos, dep, head = [], [], [], [], []
    p = 0
    for tok in doc:
        idx = tok.idx
        k = bisect.bisect_right(starts, idx) - 1
        in_quote.append(k >= 0 and regions[k][0] < idx < regions[k][1])
        sent.append(max(0, bisect.bisect_right(sent_starts, idx) - 1))
        para.append(p)
        if "\n" in tok.whitespace_ or "\n" in tok.text:
            p += 1
        lower.append(tok.lower_)
        lemma.append(tok.lemma_.lower())
        pos.append(tok.pos_)
        dep.append(tok.dep_)
        head.append(tok.head.i)
    bounds: dict[int, list[int]] = {}
    for i, s in enumerate(sent):
        bounds.setdefault(s, [i, i + 1])[1] = i + 1
    sent_bounds = [tuple(bounds.get(i, (0, 0))) for i in range(len(sentence_chars))]
    return DocInfo(doc=doc, text=text, lower=lower, lemma=lemma, pos=pos, dep=dep, head=head, in_quote=in_quote,
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


# ---------------------------------------------------------------- a title glued to the lead
TITLE_MAX_WORDS = 12          # a title is at most this many words
TITLE_ECHO_WINDOW = 6         # the lead repeats a word of the title within this many words of its start
LEAD_OPENERS = ("DET", "PRON", "ADV", "ADP", "NUM", "SCONJ", "CCONJ", "PART")


def fused_title_end(info: DocInfo) -> int:
    """Token index where the lead starts when the first sentence begins with a title glued to it with no
    stop or line break ("Police urge pub closure power New powers are needed ...", as news corpora that
    join title and body store it), else 0. The lead starts at the first capitalised word, after at least
    three words, that follows a lower-case word (not a preposition, an article, a conjunction or a
    finite verb: "claims Dubai" is inside the title), a number or a closing quote mark, and that either
    opens sentences ("The", "Some", "Nearly") or is followed closely by a word of the title again
    ("Microsoft seeking spyware trojan | Microsoft is ...")."""
    if not info.sent_bounds or not info.parsed:
        return 0
    doc = info.doc
    start, end = info.sent_bounds[0]
    if "\n" in doc[start:end].text:
        return 0
    for k in range(start + 3, min(end - 4, start + TITLE_MAX_WORDS + 1)):
        tok, prev = doc[k], doc[k - 1]
        if any(t.text in ",;:" for t in doc[start:k]):
            return 0
        if not tok.text[:1].isupper() or not _title_end(prev):
            continue
        title = {t.lemma_.lower() for t in doc[start:k] if t.pos_ in ("NOUN", "PROPN", "VERB", "ADJ")}
        if tok.pos_ in LEAD_OPENERS or any(t.lemma_.lower() in title for t in doc[k:k + TITLE_ECHO_WINDOW]):
            return k
    return 0


def _title_end(tok) -> bool:
    """Whether a title may end with this word: a lower-case word that is no preposition, article,
    conjunction or finite verb, a number, or a closing quote mark."""
    if tok.text in ("'", "\u2019", '"', "\u201d"):
        return tok.i > 0 and not tok.doc[tok.i - 1].whitespace_
    if tok.like_num:
        return True
    if not tok.text[:1].islower() or tok.pos_ in ("ADP", "DET", "CCONJ", "SCONJ", "PRON"):
        return False
    return tok.pos_ not in ("VERB", "AUX") or tok.tag_ in ("VB", "VBN", "VBG")
