"""Multilingual text: a map from BCP-47 language tag to string.

Tags are checked against the BCP-47 (RFC 5646) grammar and stored in lower case, the form
RDF libraries compare by (`nl-BE-x-informal` becomes `nl-be-x-informal`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, RootModel, StringConstraints, ValidationError

from ..errors import ModelError
from .base import problems_from

DEFAULT_LANGUAGE = "lv"
DEFAULT_FALLBACK = ("lv", "en")
MAX_TEXT = 50_000

_LANG_TAG = re.compile(
    r"""^(?:
      (?:[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4}|[a-z]{5,8})   # language (+ extended subtags)
      (?:-[a-z]{4})?                                          # script
      (?:-(?:[a-z]{2}|[0-9]{3}))?                             # region
      (?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*                # variants
      (?:-[0-9a-wy-z](?:-[a-z0-9]{2,8})+)*                    # extensions
      (?:-x(?:-[a-z0-9]{1,8})+)?                              # private use
    | x(?:-[a-z0-9]{1,8})+                                    # private use only
    )$""",
    re.VERBOSE,
)


def normalise_language_tag(tag: str) -> str:
    """Return `tag` in lower case if it is a well-formed BCP-47 tag; raise ValueError if not."""
    lowered = tag.strip().lower().replace("_", "-")
    if not _LANG_TAG.match(lowered):
        raise ValueError(f"{tag!r} is not a BCP-47 language tag (e.g. 'lv', 'en', 'nl-be-x-informal')")
    return lowered


LangTag = Annotated[str, AfterValidator(normalise_language_tag)]
NonBlankText = Annotated[str, StringConstraints(min_length=1, max_length=MAX_TEXT, pattern=r"\S")]


def _plain_string_is_latvian(value: Any) -> Any:
    # A bare string is the common case in Latvian descriptions; take it as Latvian text.
    return {DEFAULT_LANGUAGE: value} if isinstance(value, str) else value


def _not_empty(value: dict[str, str]) -> dict[str, str]:
    if not value:
        raise ValueError("text needs at least one language")
    return value


class LangText(RootModel):
    """Text in one or more languages, e.g. `LangText({"lv": "Būvatļauja", "en": "Building permit"})`.

    A plain string is accepted as Latvian: `LangText("Būvatļauja")`.
    """

    root: Annotated[dict[LangTag, NonBlankText], AfterValidator(_not_empty),
                    BeforeValidator(_plain_string_is_latvian, json_schema_input_type=str | dict[str, str])]

    def __init__(self, root: Any = None, /, **languages: str) -> None:
        try:
            super().__init__(root if root is not None else languages)
        except ValidationError as exc:
            raise ModelError(problems_from(exc), "invalid LangText") from None

    __init__.__pydantic_base_init__ = True  # type: ignore[attr-defined]  # see PPSModel.__init__

    def get(self, language: str | None = None, fallback: Iterable[str] = DEFAULT_FALLBACK) -> str:
        """The text in `language`, else in the first of `fallback` that exists, else in any language.

        A tag matches a longer one of the same language: asking for `nl` finds `nl-be-x-informal`.
        """
        wanted = [language] if language else []
        for tag in [*wanted, *fallback]:
            found = self._lookup(tag.lower())
            if found is not None:
                return found
        return next(iter(self.root.values()))

    def _lookup(self, tag: str) -> str | None:
        if tag in self.root:
            return self.root[tag]
        for key, text in self.root.items():
            if key.startswith(tag + "-") or tag.startswith(key + "-"):
                return text
        return None

    @property
    def languages(self) -> list[str]:
        """The language tags present, in insertion order."""
        return list(self.root)

    def items(self) -> Iterator[tuple[str, str]]:
        return iter(self.root.items())

    def __getitem__(self, tag: str) -> str:
        return self.root[tag.lower()]

    def __contains__(self, tag: object) -> bool:
        return isinstance(tag, str) and tag.lower() in self.root

    def __str__(self) -> str:
        return self.get()


Keywords = dict[LangTag, list[NonBlankText]]
"""Keywords per language: `{"lv": ["būvniecība", "atļauja"], "en": ["construction"]}`."""
