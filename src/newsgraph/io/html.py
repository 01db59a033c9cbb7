"""Main text and metadata of one HTML page, via trafilatura (offline: it is only given bytes)."""
from __future__ import annotations

from dataclasses import dataclass

import trafilatura

from ..errors import NoArticleInHTML

# Fewer characters than this is a menu, a cookie banner or an error page, not an article.
MIN_TEXT_CHARS = 20


@dataclass(slots=True)
class HtmlPage:
    """What trafilatura found in a page; every field but ``text`` may be missing."""
    text: str
    title: str | None = None
    date: str | None = None
    author: str | None = None
    url: str | None = None
    sitename: str | None = None


def _date_params() -> dict:
    # extensive_search=False: only dates the page states in its markup (meta tags, JSON-LD, <time>),
    # never a date guessed from the body text, because a page's date overrides the user's --published.
    try:
        from trafilatura.settings import set_date_params
        return set_date_params(False)
    except ImportError:  # older trafilatura: same keys, written out
        return {"original_date": True, "extensive_search": False}


def _clean(value) -> str | None:
    if value is None:
        return None
    value = str(value).strip()
    return value or None


def extract_html(html: bytes | str, *, url: str | None = None) -> HtmlPage:
    """Extract the article of an HTML page; raise ``NoArticleInHTML`` (E105) when there is none."""
    try:
        doc = trafilatura.bare_extraction(
            html, url=url, with_metadata=True,
            favor_precision=True,      # news pages: better to lose a caption than to keep menus and teasers
            include_comments=False,    # reader comments are not the article
            include_tables=True, include_images=False, include_links=False,
            deduplicate=False, date_extraction_params=_date_params())
    except Exception as exc:  # lxml/trafilatura raise many types on broken markup; the run must go on
        raise NoArticleInHTML(f"the page could not be parsed ({type(exc).__name__}: {exc}); "
                              "check that it is an HTML document") from exc
    if doc is None:
        raise NoArticleInHTML("no article text found in the page (is it an index, menu or error page?); "
                              "skip it or give the article text as plain text")
    data = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    text = data.get("text") or ""
    if len(text.strip()) < MIN_TEXT_CHARS:
        raise NoArticleInHTML(f"only {len(text.strip())} characters of article text found in the page "
                              f"(need {MIN_TEXT_CHARS}); is it an index, menu or error page?")
    return HtmlPage(text=text, title=_clean(data.get("title")), date=_clean(data.get("date")),
                    author=_clean(data.get("author")), url=_clean(data.get("url")),
                    sitename=_clean(data.get("sitename")))
