"""Which language an article is written in, offline (py3langid's model, shipped in its wheel).

newsgraph's stages read English: a French article would give "la" as a place and "Russie" as a person.
An article that is confidently in another language is stored without extraction, with warning W111
(the pipeline's ``language_threshold`` setting; 0 turns the check off).
"""
from __future__ import annotations

from functools import lru_cache

SAMPLE_CHARS = 3_000          # the opening of the article is enough, and keeps the check at ~1 ms
MIN_LETTERS = 40              # below this a guess is noise ("Berlin" alone): treated as English


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect(text: str) -> tuple[str, float]:
    """(ISO 639-1 code, probability) of the language of the text's opening; ("en", 0.0) for a text
    with too few letters to tell."""
    sample = text[:SAMPLE_CHARS]
    if sum(ch.isalpha() for ch in sample) < MIN_LETTERS:
        return "en", 0.0
    lang, p = _identifier().classify(sample)
    return lang, round(float(p), 3)


def foreign(text: str, threshold: float) -> tuple[str, float] | None:
    """(language, probability) when the text is in a language other than English with at least
    ``threshold`` probability; None otherwise (and always when threshold is 0)."""
    if threshold <= 0:
        return None
    lang, p = detect(text)
    return (lang, p) if lang != "en" and p >= threshold else None
