"""Entries that are not public services: news, minutes, vacancies, contacts, price lists,
regulations, guidance and category pages found in municipal "services" menus.

The patterns live in the lexicon (`[not_services]`, `categories`), so they can be edited;
each flagged entry carries the reason.
"""

from __future__ import annotations

from .text import Features, Lexicon, normalise


def not_a_service(name: str, features: Features, lexicon: Lexicon) -> str | None:
    """Why `name` is not a public service, or None when it may well be one."""
    text = normalise(name)
    for reason, patterns in lexicon.not_services:
        if any(pattern.search(text) for pattern in patterns):
            return reason
    if _category_page(name, features, lexicon):
        return "category or department page"
    return None


def _category_page(name: str, features: Features, lexicon: Lexicon) -> bool:
    """Only institution or area words: a menu page, not a service. The entry's own
    municipality is already out of its words ("Rojas apvienotā būvvalde" in Rojas novads), so
    any other word, capitalised or not, may name the service ("Apbedīšanas pabalsts")."""
    if not features.words or not lexicon.categories:
        return False
    return all(w in lexicon.categories for w in features.words)
