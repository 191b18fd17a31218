"""The national catalogue: the publishing protocol, the reference catalogue service, and its
clients.

    from pps_sdk.catalogue import CatalogueClient
    with CatalogueClient("https://katalogs.example.lv", token=token) as catalogue:
        catalogue.publish(load("services.json"))

    from pps_sdk.catalogue import create_app, Settings
    app = create_app(Settings(database="postgresql://…"))   # or `pps serve`

See docs/catalogue.md (the service) and docs/publishing.md (publishing to it).
"""

from .client import (AsyncCatalogueClient, BadRequest, CatalogueClient, CatalogueClientError, Conflict, Fetched,
                     Forbidden, NotFound, PublishResult, RetryPolicy, Unauthorised, Unavailable, ValidationRefused)
from .db import Database
from .embedded import EmbeddedCatalogue
from .graph_store import GraphStore
from .mirror import Mirror
from .outbox import OutboxError
from .protocol import ACTIONS, COLLECTIONS, MEDIA_TYPES, Role
from .server import Settings, create_app
from .store import CatalogueError, CatalogueHead, Principal
from .tokens import authenticate, create_token, list_tokens, revoke_token

__all__ = ["ACTIONS", "COLLECTIONS", "AsyncCatalogueClient", "BadRequest", "CatalogueClient", "CatalogueClientError",
           "CatalogueError", "CatalogueHead", "Conflict", "Database", "EmbeddedCatalogue", "Fetched", "Forbidden", "GraphStore",
           "MEDIA_TYPES", "Mirror", "NotFound", "OutboxError", "Principal", "PublishResult", "RetryPolicy", "Role",
           "Settings", "Unauthorised", "Unavailable", "ValidationRefused", "authenticate", "create_app",
           "create_token", "list_tokens", "revoke_token"]
