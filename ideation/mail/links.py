"""Absolute links for e-mails, built from PUBLIC_URL (jobs have no request)."""

from flask import current_app


def public_url(path: str) -> str:
    """PUBLIC_URL followed by the app-relative `path` ("/ideas/7")."""
    base = current_app.config["PUBLIC_URL"].rstrip("/")
    return f"{base}/{path.lstrip('/')}"


def public_url_for(endpoint: str, **values) -> str:
    """The absolute address of `endpoint`, as url_for would build it in a request."""
    path = current_app.url_map.bind("localhost").build(endpoint, values)
    return public_url(path)
