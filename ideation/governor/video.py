"""Video links in governor answers: parsed against an allowlist, embedded privately.

Pure functions, no Flask. An official pastes a YouTube or Vimeo link; only the
provider and the video's ID are kept, and the embed URL is always rebuilt from them
(the privacy-enhanced players: youtube-nocookie.com, Vimeo with dnt=1). The pasted
URL itself never reaches a page.
"""

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

YOUTUBE = "youtube"
VIMEO = "vimeo"
PROVIDERS = (YOUTUBE, VIMEO)

# Exact host names: no suffix matching, so youtube.com.evil.example is refused.
_HOSTS = {
    YOUTUBE: frozenset(
        {
            "youtube.com",
            "www.youtube.com",
            "m.youtube.com",
            "youtu.be",
            "youtube-nocookie.com",
            "www.youtube-nocookie.com",
        }
    ),
    VIMEO: frozenset({"vimeo.com", "www.vimeo.com", "player.vimeo.com"}),
}
_ID_PATTERNS = {
    YOUTUBE: re.compile(r"[A-Za-z0-9_-]{11}"),
    VIMEO: re.compile(r"[1-9][0-9]{0,11}"),
}
_EMBED_URLS = {
    YOUTUBE: "https://www.youtube-nocookie.com/embed/{id}",
    VIMEO: "https://player.vimeo.com/video/{id}?dnt=1",
}
# The origins embeds load from: what a Content-Security-Policy frame-src allows.
EMBED_ORIGINS = {
    YOUTUBE: "https://www.youtube-nocookie.com",
    VIMEO: "https://player.vimeo.com",
}
MAX_URL_LENGTH = 500


class VideoLinkError(ValueError):
    """A link that is not an embeddable video; `reason` says why, for the message.

    Reasons: "address" (not a web address), "host" (not an allowed video site),
    "video" (an allowed site, but no video in the link).
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Video:
    """A validated video: its provider and ID, all an embed is built from."""

    provider: str
    video_id: str

    def __post_init__(self) -> None:
        if self.provider not in PROVIDERS:
            raise ValueError(f"unknown video provider {self.provider!r}")
        if not _ID_PATTERNS[self.provider].fullmatch(self.video_id):
            raise ValueError(f"not a {self.provider} video ID: {self.video_id!r}")

    @property
    def embed_url(self) -> str:
        """The privacy-enhanced player's address, always https."""
        return _EMBED_URLS[self.provider].format(id=self.video_id)

    @property
    def origin(self) -> str:
        return EMBED_ORIGINS[self.provider]


def parse_video_url(url: str, providers=PROVIDERS) -> Video:
    """The video a YouTube or Vimeo link points to; VideoLinkError otherwise.

    `providers` is the allowlist (configuration); links of other sites are refused.
    http and https links are accepted, and a link typed without its scheme.
    """
    url = (url or "").strip()
    if not url or len(url) > MAX_URL_LENGTH or _has_space_or_control(url):
        raise VideoLinkError("address")
    if "://" not in url and not url.startswith("/") and ":" not in url.split("/")[0]:
        url = "https://" + url  # "youtu.be/ID", as people often paste it
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise VideoLinkError("address")
    try:
        port = parts.port
    except ValueError:
        port = -1
    if parts.username is not None or parts.password is not None or port is not None:
        raise VideoLinkError("host")
    provider = _provider_of(parts.hostname or "", providers)
    video_id = (
        _youtube_id(parts) if provider == YOUTUBE else _vimeo_id(parts.hostname, parts)
    )
    if video_id is None or not _ID_PATTERNS[provider].fullmatch(video_id):
        raise VideoLinkError("video")
    return Video(provider, video_id)


def allowed_origins(providers=PROVIDERS) -> list[str]:
    """The embed origins of the allowed providers, for a CSP frame-src."""
    return [EMBED_ORIGINS[p] for p in PROVIDERS if p in providers]


def _has_space_or_control(url: str) -> bool:
    return any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in url)


def _provider_of(hostname: str, providers) -> str:
    for provider in PROVIDERS:
        if provider in providers and hostname in _HOSTS[provider]:
            return provider
    raise VideoLinkError("host")


def _segments(path: str) -> list[str]:
    """The path's segments; a single trailing slash is tolerated."""
    if path.endswith("/") and len(path) > 1:
        path = path[:-1]
    return path.split("/")[1:] if path.startswith("/") else []


def _youtube_id(parts) -> str | None:
    segments = _segments(parts.path)
    if parts.hostname == "youtu.be":
        return segments[0] if len(segments) == 1 else None
    if segments == ["watch"]:
        values = parse_qs(parts.query).get("v", [])
        return values[0] if len(values) == 1 else None
    if len(segments) == 2 and segments[0] in ("embed", "shorts", "live"):
        return segments[1]
    return None


def _vimeo_id(hostname: str, parts) -> str | None:
    segments = _segments(parts.path)
    if hostname == "player.vimeo.com":
        return segments[1] if len(segments) == 2 and segments[0] == "video" else None
    return segments[0] if len(segments) == 1 else None
