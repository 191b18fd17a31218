"""How the SDK words numbers in messages, so every message counts things the same way."""

from __future__ import annotations


def counted(number: int, singular: str, plural: str | None = None) -> str:
    """`number` with the noun in the right form: `1 service`, `3 services`, `2 entries`.

    The plural is the singular with an `s` unless given (`counted(n, "entry", "entries")`).
    Large numbers get thousands separators (`20,000 services`).
    """
    noun = singular if number == 1 else (plural if plural is not None else singular + "s")
    return f"{number:,} {noun}"
