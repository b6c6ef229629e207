"""Web helpers shared by every feature's views: safe redirects, JSON or redirect
answers, and running an operation with one commit or one rollback."""

from urllib.parse import urlsplit

from flask import current_app, request


def safe_next(target: str | None, default: str = "/") -> str:
    """A local path to go back to; never an open redirect to another host."""
    if not target:
        return default
    parts = urlsplit(target)
    if (
        parts.scheme
        or parts.netloc
        or not target.startswith("/")
        or target.startswith("//")
    ):
        return default
    return target


def wants_json() -> bool:
    """Whether the request came from the page's script, which asks for JSON."""
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


def link_for(endpoint: str, **values) -> str:
    """The app-relative path of `endpoint`, built without a request (jobs, CLI)."""
    return current_app.url_map.bind("localhost").build(endpoint, values)


def public_url(path: str) -> str:
    """PUBLIC_URL followed by the app-relative `path` ("/ideas/7"): links in e-mails,
    which jobs build without a request."""
    base = current_app.config["PUBLIC_URL"].rstrip("/")
    return f"{base}/{path.lstrip('/')}"


def public_url_for(endpoint: str, **values) -> str:
    """The absolute address of `endpoint`, as url_for would build it in a request."""
    return public_url(link_for(endpoint, **values))
