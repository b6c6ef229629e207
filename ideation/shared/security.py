"""Security headers on every response: what the browser may load and frame, no
MIME sniffing, how much of our addresses other sites see, HTTPS only (HSTS), and
no copy of a personal page in any cache.

The pages have no inline script or style (tests/functional/test_security_headers
checks the templates), so the policy needs no 'unsafe-inline' and no nonce.
"""

from flask import Flask, current_app, g, request
from flask_login import current_user
from werkzeug.wrappers import Response

POLICY = (
    "default-src 'self'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "object-src 'none'",
)


def allow_frames_from(origin: str) -> None:
    """Let this request's page embed frames from `origin` (a video player)."""
    g.frame_sources = [*g.get("frame_sources", []), origin]


def keep_private() -> None:
    """Keep this response out of every cache (a private export)."""
    g.keep_private = True


def _is_private() -> bool:
    # An e-mailed link's page (/rsvp/<token>, /password/reset/<token>): the token
    # is a credential, in the address and in the page's form.
    if g.get("keep_private") or "token" in (request.view_args or {}):
        return True
    # A signed-in person's pages show their name, notifications and forms.
    return request.endpoint != "static" and current_user.is_authenticated


def add_security_headers(response: Response) -> Response:
    """The headers every response carries (set by a view first, a view's wins)."""
    policy = list(POLICY)
    if g.get("frame_sources"):
        policy.append("frame-src " + " ".join(g.frame_sources))
    headers = response.headers
    headers.setdefault("Content-Security-Policy", "; ".join(policy))
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")  # frame-ancestors, for old browsers
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    max_age = current_app.config["HSTS_MAX_AGE"]
    if max_age:
        headers.setdefault("Strict-Transport-Security", f"max-age={max_age}")
    if _is_private():
        headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    app.after_request(add_security_headers)
