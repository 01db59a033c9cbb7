"""newsgraph: news articles to a verifiable record of who said what, who did what to whom, where and when."""
__version__ = "0.1.0"

from .model import (Actor, Analysis, Article, ArticleError, Duplicate, Entity, Event, Figure,  # noqa: E402
                    Mention, Place, Quote, Sentence, Span, TimeExpr)


def __getattr__(name):
    # The pipeline imports spaCy; load it only when asked for, so `import newsgraph` stays cheap.
    if name in ("extract", "Pipeline", "process_batch"):
        from . import pipeline
        return getattr(pipeline, name)
    raise AttributeError(name)


__all__ = ["Actor", "Analysis", "Article", "ArticleError", "Duplicate", "Entity", "Event", "Figure",
           "Mention", "Pipeline", "Place", "Quote", "Sentence", "Span", "TimeExpr", "extract",
           "process_batch", "__version__"]
