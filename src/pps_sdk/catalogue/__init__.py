"""The national catalogue: the publishing protocol, the reference catalogue service, and its
clients.

    from pps_sdk.catalogue import CatalogueClient
    with CatalogueClient("https://katalogs.example.lv", token=token) as catalogue:
        catalogue.publish(load("services.json"))

    from pps_sdk.catalogue import create_app, Settings
    app = create_app(Settings(database="postgresql://…"))   # or `pps serve`

See docs/catalogue.md (the service) and docs/publishing.md (publishing to it).
"""

from importlib import import_module
from typing import Any

# Each name and the module that defines it. They are imported when first used, so that a
# program (or `pps`) that does not talk to a catalogue does not load the HTTP and database
# libraries.
_EXPORTS = {
    **dict.fromkeys(("AsyncCatalogueClient", "BadRequest", "CatalogueClient", "CatalogueClientError", "Conflict",
                     "Fetched", "Forbidden", "NotFound", "PublishResult", "RetryPolicy", "Unauthorised", "Unavailable",
                     "ValidationRefused"), "client"),
    "Database": "db",
    "EmbeddedCatalogue": "embedded",
    "GraphStore": "graph_store",
    "Mirror": "mirror",
    "OutboxError": "outbox",
    **dict.fromkeys(("ACTIONS", "COLLECTIONS", "MEDIA_TYPES", "Role"), "protocol"),
    **dict.fromkeys(("Settings", "create_app"), "server"),
    **dict.fromkeys(("CatalogueError", "CatalogueHead", "Principal"), "store"),
    **dict.fromkeys(("authenticate", "create_token", "list_tokens", "revoke_token"), "tokens"),
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f".{_EXPORTS[name]}", __name__), name)


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])
