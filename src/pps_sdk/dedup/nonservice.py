"""Entries that are not public services: news, minutes, vacancies, contacts, price lists,
regulations, guidance and category pages found in municipal "services" menus.

The patterns live in the lexicon (`[not_services]`, `categories`), so they can be edited;
each flagged entry carries the reason.
"""

from __future__ import annotations

import re

from .text import Features, Lexicon, fold, latvian_stem, normalise

_CAPITALISED = re.compile(r"^[A-ZĀČĒĢĪĶĻŅŠŪŽ][a-zāčēģīķļņšūž]+$")


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
    """Only institution or area words, and perhaps a place name: a menu page, not a service."""
    if not features.words or not lexicon.categories:
        return False
    first = name.split()[0] if name.split() else ""
    # A capitalised first word that is not filler ("Rojas apvienotā būvvalde") names the place.
    key = fold(latvian_stem(normalise(first)))
    place = 1 if _CAPITALISED.match(first) and key in features.words and key not in lexicon.categories else 0
    others = [w for w in features.words if w not in lexicon.categories]
    return any(w in lexicon.categories for w in features.words) and len(others) <= place
