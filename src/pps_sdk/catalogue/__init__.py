"""The national catalogue: the publishing protocol and the reference catalogue service.

    from pps_sdk.catalogue import create_app, Settings
    app = create_app(Settings(database="postgresql://…"))   # or `pps serve`

See docs/catalogue.md for the protocol.
"""

from .db import Database
from .protocol import ACTIONS, COLLECTIONS, MEDIA_TYPES, Role
from .server import Settings, create_app
from .store import CatalogueError, CatalogueHead, Principal
from .tokens import authenticate, create_token, list_tokens, revoke_token

__all__ = ["ACTIONS", "COLLECTIONS", "CatalogueError", "CatalogueHead", "Database", "MEDIA_TYPES", "Principal", "Role",
           "Settings", "authenticate", "create_app", "create_token", "list_tokens", "revoke_token"]
