"""API tokens: one per organisation and role, shown once, stored only as a digest.

A token reads `pps_<id>_<secret>`. The secret is 256 random bits, so a plain SHA-256 of it is
as good as a slow or salted hash would be: no dictionary or brute-force attack can reach a
random 256-bit value, and a leaked database gives nothing to log in with. The id finds the
row without comparing secrets; the digests are then compared in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from sqlalchemy import Connection, insert, select, update

from .db import Database, tokens
from .protocol import Role
from .store import CatalogueError, Principal, now

PREFIX = "pps_"


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def create_token(database: Database, org: str, role: Role | str = Role.PUBLISHER) -> str:
    """A new token for organisation `org` in `role`. The database keeps only its digest:
    this is the only time the token is seen."""
    token_id = secrets.token_hex(8)
    secret = secrets.token_urlsafe(32)
    with database.writing() as conn:
        conn.execute(insert(tokens).values(id=token_id, digest=_digest(secret), org=org, role=Role(role).value,
                                           created_at=now()))
    return f"{PREFIX}{token_id}_{secret}"


def revoke_token(database: Database, token_or_id: str) -> bool:
    """Revoke a token (given whole or by its id). False if there is no such live token."""
    token_id = _parts(token_or_id)[0] if token_or_id.startswith(PREFIX) else token_or_id
    with database.writing() as conn:
        done = conn.execute(update(tokens).where(tokens.c.id == token_id, tokens.c.revoked_at.is_(None))
                            .values(revoked_at=now()))
        return done.rowcount == 1


def list_tokens(database: Database) -> list[dict[str, str | None]]:
    """Every token's id, organisation, role and dates (never the secret)."""
    with database.reading() as conn:
        rows = conn.execute(select(tokens.c.id, tokens.c.org, tokens.c.role, tokens.c.created_at, tokens.c.revoked_at)
                            .order_by(tokens.c.created_at))
        return [dict(row._mapping) for row in rows]


def _parts(token: str) -> tuple[str, str]:
    token_id, _, secret = token.removeprefix(PREFIX).partition("_")
    return token_id, secret


def authenticate(conn: Connection, authorization: str | None) -> Principal | None:
    """The principal behind an `Authorization: Bearer …` header; None without the header.
    An unknown, malformed or revoked token is refused (401)."""
    if authorization is None:
        return None
    scheme, _, token = authorization.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token.startswith(PREFIX):
        raise CatalogueError("unauthorised", "send the token as 'Authorization: Bearer pps_…'")
    token_id, secret = _parts(token)
    row = conn.execute(select(tokens).where(tokens.c.id == token_id)).first()
    if row is None or not hmac.compare_digest(row.digest, _digest(secret)):
        raise CatalogueError("unauthorised", "unknown token")
    if row.revoked_at is not None:
        raise CatalogueError("unauthorised", "this token was revoked")
    return Principal(token_id=row.id, org=row.org, role=Role(row.role))
