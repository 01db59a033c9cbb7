"""The search grammar: what ``newsgraph search`` and ``Store.search`` accept, parsed here and written
out as an FTS5 query, so that no query reaches SQLite in a form it could misread.

    query    := either ("OR" either)*
    either   := excluded (["AND"] excluded)*          words side by side must all occur
    excluded := term ("NOT" term)*                     a NOT b: a, and not b
    term     := WORD | WORD* | "a phrase" | ( query )

Words are letters and digits (other characters separate them); AND, OR and NOT are operators only in
capitals ("and" is a word). A query that starts with NOT, ends with an operator, leaves a bracket or a
quote open, or is longer than MAX_WORDS words is refused with a message that says why.
"""
from __future__ import annotations

import re

from ..errors import ConfigError

MAX_CHARS = 1_000
MAX_WORDS = 32
_TOKEN = re.compile(r'"[^"]*"?|\(|\)|[^\s()"]+')
_WORD = re.compile(r"\w+")
OPERATORS = ("AND", "OR", "NOT")


def parse(query: str) -> str:
    """The FTS5 MATCH expression of a query of the grammar above; ConfigError for one outside it."""
    if not isinstance(query, str) or not query.strip():
        raise ConfigError("the search query is empty")
    if len(query) > MAX_CHARS:
        raise ConfigError(f"the search query has {len(query):,} characters; at most {MAX_CHARS:,}")
    tokens = _tokens(query)
    words = sum(1 for kind, _ in tokens if kind in ("word", "prefix")) + \
        sum(len(value.split()) for kind, value in tokens if kind == "phrase")
    if not words:
        raise ConfigError(f"the search query {query!r} has no words to search for")
    if words > MAX_WORDS:
        raise ConfigError(f"the search query has {words} words; at most {MAX_WORDS} (use a phrase or fewer words)")
    parser = _Parser(tokens, query)
    expr = parser.either_or()
    if parser.k < len(tokens):
        raise ConfigError(f"cannot read the search query {query!r} at {tokens[parser.k][1]!r}: "
                          "a closing bracket without its opening one?")
    return expr


def _tokens(query: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for raw in _TOKEN.findall(query):
        if raw.startswith('"'):
            if len(raw) == 1 or not raw.endswith('"'):
                raise ConfigError(f"the search query {query!r} opens a quote it does not close")
            words = _WORD.findall(raw[1:-1])
            if words:
                out.append(("phrase", " ".join(words)))
        elif raw in ("(", ")"):
            out.append((raw, raw))
        elif raw in OPERATORS:
            out.append(("op", raw))
        else:
            words = _WORD.findall(raw)
            for k, w in enumerate(words):
                last = k == len(words) - 1
                out.append(("prefix" if last and raw.endswith("*") else "word", w))
    return out


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]], query: str):
        self.tokens, self.query, self.k = tokens, query, 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.k] if self.k < len(self.tokens) else None

    def fail(self, why: str):
        raise ConfigError(f"cannot read the search query {self.query!r}: {why}")

    def either_or(self) -> str:
        parts = [self.all_of()]
        while self.peek() == ("op", "OR"):
            self.k += 1
            parts.append(self.all_of())
        return parts[0] if len(parts) == 1 else "(" + " OR ".join(parts) + ")"

    def all_of(self) -> str:
        parts = [self.excluded()]
        while (tok := self.peek()) is not None and tok != ("op", "OR") and tok[0] != ")":
            if tok == ("op", "AND"):
                self.k += 1
            parts.append(self.excluded())
        return parts[0] if len(parts) == 1 else "(" + " AND ".join(parts) + ")"

    def excluded(self) -> str:
        expr = self.term()
        while self.peek() == ("op", "NOT"):
            self.k += 1
            expr = f"({expr} NOT {self.term()})"
        return expr

    def term(self) -> str:
        tok = self.peek()
        if tok is None:
            self.fail("it ends where a word was expected (after AND, OR, NOT or an opening bracket)")
        kind, value = tok
        self.k += 1
        if kind == "op":
            if value == "NOT":
                self.fail("NOT needs something before it, as in 'labour NOT blair': a search finds texts "
                          "by what they contain")
            self.fail(f"{value} needs a word on each side")
        if kind == "(":
            inner = self.either_or()
            if self.peek() != (")", ")"):
                self.fail("a bracket is opened and not closed")
            self.k += 1
            return inner
        if kind == ")":
            self.fail("a closing bracket without its opening one")
        if kind == "prefix":
            return f'"{value}"*'
        return f'"{value}"'
