"""Extractors. Each stage is a pure function ``(doc, analysis, knowledge) -> records`` that declares
what it requires and which field of the Analysis it assigns; the pipeline runs them in dependency order.

Stages never do I/O, and none may assume every sentence carries a dependency parse (see
``newsgraph.stages.common.is_parsed``): later versions parse only the sentences that need it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable

from ..errors import ConfigError


@dataclass(frozen=True)
class Stage:
    name: str
    func: Callable
    assigns: str | tuple[str, ...]        # a tuple: the function returns one value per field
    requires: tuple[str, ...] = ()
    defaults: dict = field(default_factory=dict)   # the stage's settings and their default values
    batch: bool = False                   # func takes lists (docs, analyses) and returns one result each

    def settings(self, overrides: dict | None = None) -> dict:
        """The stage's settings: its defaults with ``overrides`` applied; an unknown name is an error."""
        unknown = set(overrides or {}) - set(self.defaults)
        if unknown:
            raise ConfigError(f"stage {self.name!r} has no setting {', '.join(sorted(unknown))}; "
                              f"its settings: {', '.join(sorted(self.defaults)) or 'none'}")
        return {**self.defaults, **(overrides or {})}

    def run(self, docs: list, analyses: list, kb, config: dict | None = None) -> list:
        """The stage over a batch of parsed articles (one or a thousand: the same call), one result per
        article. A batch stage gets the whole batch at once, so that a model can read every article's
        sentences in one inference run; any other is called article by article."""
        extra = {"config": config} if self.defaults else {}
        if self.batch:
            out = self.func(docs, analyses, kb, **extra)
            if len(out) != len(docs):
                raise RuntimeError(f"stage {self.name!r} returned {len(out)} results for {len(docs)} articles")
            return list(out)
        return [self.func(doc, a, kb, **extra) for doc, a in zip(docs, analyses)]

    def fields(self, result) -> dict:
        """``{field: value}`` of one article's result."""
        if isinstance(self.assigns, tuple):
            return dict(zip(self.assigns, result, strict=True))
        return {self.assigns: result}


REGISTRY: dict[str, Stage] = {}


def stage(name: str, *, assigns: str | tuple[str, ...], requires: Iterable[str] = (), defaults: dict | None = None,
          batch: bool = False):
    """Register a stage function under ``name``; it fills ``analysis.<assigns>`` (or, for a tuple of
    field names, each field from the tuple the function returns). A stage with ``defaults`` takes a
    ``config`` argument: those settings, overridden by ``Pipeline(config={name: {...}})``. With
    ``batch=True`` the function is ``(docs, analyses, knowledge[, config]) -> [result, ...]`` over a
    batch of articles; otherwise ``(doc, analysis, knowledge[, config]) -> result`` for one."""
    def register(func: Callable) -> Callable:
        REGISTRY[name] = Stage(name, func, assigns, tuple(requires), dict(defaults or {}), batch)
        return func
    return register


# The built-in stages in the order they run when all are wanted, whichever module was imported first.
BUILTIN = ("sentences", "duplicates", "entities", "times", "quotes", "events", "places", "figures", "setting")


def _load_builtin() -> None:
    # Importing the modules registers their stages.
    from . import sentences, entities, quotes, events, places, times, figures, setting  # noqa: F401


def ordered(names: Iterable[str] | None = None) -> list[Stage]:
    """The named stages (all when None) plus what they require, in an order that satisfies requirements."""
    _load_builtin()
    if names is None:
        wanted = sorted(REGISTRY, key=lambda n: BUILTIN.index(n) if n in BUILTIN else len(BUILTIN))
    else:
        wanted = list(names)
    out: list[Stage] = []
    seen: set[str] = set()

    def visit(name: str, chain: tuple[str, ...]) -> None:
        if name in seen:
            return
        if name not in REGISTRY:
            raise ConfigError(f"unknown stage {name!r}; known stages: {', '.join(sorted(REGISTRY))}")
        if name in chain:
            raise ConfigError(f"stage requirements form a cycle: {' -> '.join(chain + (name,))}")
        for req in REGISTRY[name].requires:
            visit(req, chain + (name,))
        seen.add(name)
        out.append(REGISTRY[name])

    for n in wanted:
        visit(n, ())
    return out
