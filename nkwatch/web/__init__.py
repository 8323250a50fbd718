"""The web stage: a server-rendered UI and a JSON API over the store (``nkwatch serve``).

``create_app`` builds the ASGI application; ``protect_view`` is the one function every scraped
string passes through on its way out. The application is imported lazily so that the pipeline,
which only needs ``protect_view`` (webhook bodies), does not load the web framework.
"""

from __future__ import annotations

from typing import Any

from nkwatch.web.publishable import protect_view

__all__ = ["create_app", "protect_view"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from nkwatch.web.app import create_app

        return create_app
    raise AttributeError(name)
