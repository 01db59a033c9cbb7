"""Numbered errors, so a message can be looked up in docs/errors.md and grepped for in logs."""
from __future__ import annotations


class NewsgraphError(Exception):
    """Base class of every error newsgraph raises on purpose."""
    code = "E000"

    def __init__(self, message: str, *, origin: str | None = None):
        self.message = message
        self.origin = origin
        where = f"{origin}: " if origin else ""
        super().__init__(f"{where}[{self.code}] {message}")


class ModelNotFound(NewsgraphError):
    """The spaCy language model named by --model / NEWSGRAPH_MODEL is not installed."""
    code = "E001"


class StoreError(NewsgraphError):
    """The SQLite store cannot be opened or written."""
    code = "E002"


class ConfigError(NewsgraphError):
    """An option or argument has a value newsgraph cannot use."""
    code = "E003"


# Per-article input errors: the run records them and goes on.
class InputError(NewsgraphError):
    code = "E100"


class EmptyInput(InputError):
    code = "E101"


class BinaryInput(InputError):
    code = "E102"


class EncodingError(InputError):
    code = "E103"


class TooLarge(InputError):
    code = "E104"


class NoArticleInHTML(InputError):
    code = "E105"


class BadJSONLine(InputError):
    code = "E106"


class BadWARC(InputError):
    code = "E107"


class MissingSource(InputError):
    code = "E108"


class BadDate(InputError):
    code = "E109"


class DateIgnored(InputError):
    """A warning, not a failure: the article's own date is unreadable ("7:58 AM ET"), so the article is
    analysed without it (or with --published); relative times in it stay unresolved. ``article`` is
    the article as kept."""
    code = "W109"

    def __init__(self, message: str, *, article, origin: str | None = None):
        super().__init__(message, origin=origin)
        self.article = article


class ProcessingError(NewsgraphError):
    """An extractor failed on one article (a bug): recorded, the run goes on."""
    code = "E200"
