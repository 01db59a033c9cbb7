"""Decoding of the transformer taggers' outputs into character spans, on hand-made inputs."""
from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from newsgraph.stages.quotes.taggers import CueTagger, RoleTagger


def cue_tagger(threshold=0.5):
    t = CueTagger.__new__(CueTagger)       # no model files: only the decoding is under test
    t.labels, t.threshold = ["O", "B-CUE", "I-CUE"], threshold
    return t


def test_cue_words_join_and_pieces_follow_their_word():
    # "Putin has reportedly said it": pieces [CLS] put ##in has report ##edly said it [SEP]
    enc = SimpleNamespace(
        offsets=[(0, 0), (0, 3), (3, 5), (6, 9), (10, 16), (16, 20), (21, 25), (26, 28), (0, 0)],
        word_ids=[None, 0, 0, 1, 2, 2, 3, 4, None])
    p = np.array([[1, 0, 0], [.9, .1, 0], [.9, 0, .1], [.2, .7, .1], [.3, .1, .6], [.9, .05, .05],
                  [.1, .1, .8], [.95, .05, 0], [1, 0, 0]])
    assert cue_tagger()._spans(enc, p) == [(6, 25, 0.7)]


def test_a_new_b_starts_a_new_cue():
    enc = SimpleNamespace(offsets=[(0, 0), (0, 4), (5, 8), (0, 0)], word_ids=[None, 0, 1, None])
    p = np.array([[1, 0, 0], [.1, .8, .1], [.1, .8, .1], [1, 0, 0]])
    assert [s[:2] for s in cue_tagger()._spans(enc, p)] == [(0, 4), (5, 8)]


def test_threshold_drops_unsure_words():
    enc = SimpleNamespace(offsets=[(0, 0), (0, 4), (0, 0)], word_ids=[None, 0, None])
    p = np.array([[1, 0, 0], [.6, .4, 0], [1, 0, 0]])
    assert cue_tagger(0.5)._spans(enc, p) == []
    assert cue_tagger(0.3)._spans(enc, p) == [(0, 4, 0.4)]


def test_role_decoding_splits_speaker_and_content_at_the_cue_markers():
    t = RoleTagger.__new__(RoleTagger)
    t.labels = ["O", "B-SPK", "I-SPK", "B-CON", "I-CON"]
    # "Mark Hill said rain will fall": [CLS] mark hill [m0] said [m1] rain will fall [SEP]
    offs = [(0, 0), (0, 4), (5, 9), (0, 0), (10, 14), (0, 0), (15, 19), (20, 24), (25, 29), (0, 0)]
    words = [None, 0, 1, None, 2, None, 3, 4, 5, None]
    best = np.array([0, 1, 2, 0, 0, 0, 3, 4, 4, 0])
    assert t._decode((None, offs, words), best) == ([(0, 9)], [(15, 29)])


def test_event_encoding_marks_source_target_and_trigger():
    from tokenizers import Tokenizer, models, pre_tokenizers

    from newsgraph.stages.events.typer import encode_pair

    vocab = {w: i for i, w in enumerate(["[PAD]", "[m0]", "[m1]", "[m2]", "[m3]", "[m4]", "[m5]", "[CLS]", "[SEP]",
                                         "[UNK]", "chile", "attacked", "peru", "on", "monday", "."])}
    tok = Tokenizer(models.WordLevel(vocab, unk_token="[UNK]"))
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    text = "chile attacked peru on monday ."
    ids = encode_pair(tok, [1, 2, 3, 4, 5, 6], text, (0, 5), (15, 19), trigger=(6, 14))
    words = [k for k, v in sorted(vocab.items(), key=lambda kv: kv[1])]
    assert [words[i] for i in ids] == ["[CLS]", "[m0]", "chile", "[m1]", "[m4]", "attacked", "[m5]", "[m2]", "peru",
                                       "[m3]", "on", "monday", ".", "[SEP]"]
    short = encode_pair(tok, [1, 2, 3, 4, 5, 6], text, (0, 5), (15, 19), max_pieces=12, trigger=(6, 14))
    assert len(short) == 12 and short[0] == 7 and short[-1] == 8 and 1 in short and 3 in short and 15 not in short
    unmarked = encode_pair(tok, [1, 2, 3, 4], text, (0, 5), None)
    assert [words[i] for i in unmarked][:4] == ["[CLS]", "[m0]", "chile", "[m1]"] and 3 not in unmarked


def test_pair_decoding_takes_the_longest_source_and_target_runs():
    from newsgraph.stages.events.typer import PairTagger

    t = PairTagger.__new__(PairTagger)     # no model files: only the decoding is under test
    t.labels = ["O", "B-SRC", "I-SRC", "B-TGT", "I-TGT"]
    # "The Chilean navy shelled Peru ." pieces: [CLS] the chilean navy shell ##ed peru . [SEP]
    enc = SimpleNamespace(offsets=[(0, 0), (0, 3), (4, 11), (12, 16), (17, 22), (22, 24), (25, 29), (30, 31), (0, 0)],
                          word_ids=[None, 0, 1, 2, 3, 3, 4, 5, None])
    best = np.array([0, 1, 2, 2, 0, 0, 3, 0, 0])
    assert t._decode(enc, best) == ((0, 16), (25, 29))
    assert t._decode(enc, np.array([0, 0, 1, 0, 0, 0, 0, 0, 0])) == ((4, 11), None)
