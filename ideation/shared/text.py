"""The one place where user and official text becomes HTML."""

import bleach
import markdown as markdown_lib
from bleach.linkifier import Linker
from markupsafe import Markup, escape

MARKDOWN_TAGS = frozenset(
    {"a", "abbr", "blockquote", "br", "code", "em", "h2", "h3", "h4", "hr", "li"}
    | {"ol", "p", "pre", "strong", "ul", "table", "thead", "tbody", "tr", "th", "td"}
)
MARKDOWN_ATTRIBUTES = {"a": ["href", "title", "rel"], "abbr": ["title"]}
SAFE_PROTOCOLS = frozenset({"http", "https", "mailto"})


def _untrusted_link(attrs, new=False):
    """Links typed by others must not pass on ranking or open our window."""
    attrs[(None, "rel")] = "nofollow noopener noreferrer ugc"
    return attrs


_linker = Linker(callbacks=[_untrusted_link], parse_email=False)


def plain_text_html(text: str | None) -> Markup:
    """Plain text as HTML: escaped, links clickable, line breaks kept."""
    if not text:
        return Markup("")
    linked = _linker.linkify(str(escape(text)))
    return Markup(linked.replace("\r\n", "\n").replace("\n", "<br>\n"))


def render_markdown(source: str | None) -> Markup:
    """Officials' Markdown rendered, then sanitized with bleach."""
    if not source:
        return Markup("")
    html = markdown_lib.markdown(source, extensions=["tables", "sane_lists"])
    clean = bleach.clean(
        html,
        tags=MARKDOWN_TAGS,
        attributes=MARKDOWN_ATTRIBUTES,
        protocols=SAFE_PROTOCOLS,
        strip=True,
    )
    return Markup(_linker.linkify(clean))
