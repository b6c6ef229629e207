"""The one place where user and official text becomes HTML.

Plain text is escaped, with its web addresses made into links; Markdown is rendered,
then sanitized with nh3, and its bare addresses made into links the same way. Both
are pure functions over compiled patterns, with nothing shared between calls, so
pages render from many threads at once (bleach's module-level Linker did not: it
reused one parser, and threaded servers answered 500).
"""

import re
from html import unescape

import markdown as markdown_lib
import nh3
from markupsafe import Markup, escape
from sqlalchemy import event

MARKDOWN_TAGS = frozenset(
    {"a", "abbr", "blockquote", "br", "code", "em", "h2", "h3", "h4", "hr", "li"}
    | {"ol", "p", "pre", "strong", "ul", "table", "thead", "tbody", "tr", "th", "td"}
)
# No "rel": nh3 sets it on every link (UNTRUSTED_LINK_REL), whatever was written.
MARKDOWN_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}}
SAFE_PROTOCOLS = frozenset({"http", "https", "mailto"})
# Links typed by others must not pass on ranking or open our window.
UNTRUSTED_LINK_REL = "nofollow noopener noreferrer ugc"

# A bare "name.tld" becomes a link when it ends in one of these: the list bleach
# used, so that the same words become links as before.
LINK_TLDS = frozenset(
    """ac ad ae aero af ag ai al am an ao aq ar arpa as asia at au aw ax az ba bb bd be
    bf bg bh bi biz bj bm bn bo br bs bt bv bw by bz ca cat cc cd cf cg ch ci ck cl cm
    cn co com coop cr cu cv cx cy cz de dj dk dm do dz ec edu ee eg er es et eu fi fj
    fk fm fo fr ga gb gd ge gf gg gh gi gl gm gn gov gp gq gr gs gt gu gw gy hk hm hn
    hr ht hu id ie il im in info int io iq ir is it je jm jo jobs jp ke kg kh ki km kn
    kp kr kw ky kz la lb lc li lk lr ls lt lu lv ly ma mc md me mg mh mil mk ml mm mn
    mo mobi mp mq mr ms mt mu museum mv mw mx my mz na name nc ne net nf ng ni nl no np
    nr nu nz om org pa pe pf pg ph pk pl pm pn post pr pro ps pt pw py qa re ro rs ru
    rw sa sb sc sd se sg sh si sj sk sl sm sn so sr ss st su sv sx sy sz tc td tel tf
    tg th tj tk tl tm tn to tp tr travel tt tv tw tz ua ug uk us uy uz va vc ve vg vi
    vn vu wf ws xn xxx ye yt yu za zm zw""".split()
)
# A candidate address; its last label is checked against LINK_TLDS afterwards. It
# starts only where a word starts, and every part is possessive (++, *+): each
# character is read once, so a long run of dots, dashes or brackets costs no more
# than its length (bleach's pattern backtracked: seconds for 2,000 characters).
LABEL = r"\w++(?:-++\w++)*+"  # letters and digits, hyphens only inside
WEB_ADDRESS = re.compile(
    r"""
    (?<![\w@./(-])                 # not inside a word, address, path or brackets
    \(*+                           # opening brackets: see _trimmed
    (?:https?://)?                 # no other scheme becomes a link
    (?P<host>LABEL(?:\.LABEL)++)
    (?::[0-9]++)?                  # port
    (?:[/?][^\s{}|\\^`<>"]*+)?     # path and query: no space, quote, < or >
    """.replace("LABEL", LABEL),
    re.IGNORECASE | re.VERBOSE,
)
SCHEME = re.compile(r"https?://", re.IGNORECASE)
# nh3's output is well formed: "<" and ">" inside attribute values are escaped.
TAG = re.compile(r"(<[^>]*>)")
LINK_START = re.compile(r"<a[\s>]")


def plain_text_html(text: str | None) -> Markup:
    """Plain text as HTML: escaped, links clickable, line breaks kept."""
    if not text:
        return Markup("")
    # Every line break as LF; NUL dropped, as an HTML parser drops it.
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    return Markup(_linked(text).replace("\n", "<br>\n"))


def render_markdown(source: str | None) -> Markup:
    """Officials' Markdown rendered, then sanitized with nh3."""
    if not source:
        return Markup("")
    html = markdown_lib.markdown(source, extensions=["tables", "sane_lists"])
    clean = nh3.clean(
        html,
        tags=MARKDOWN_TAGS,
        attributes=MARKDOWN_ATTRIBUTES,
        url_schemes=SAFE_PROTOCOLS,
        link_rel=UNTRUSTED_LINK_REL,
    )
    return Markup(_linked_html(clean))


def _linked(text: str) -> str:
    """`text` escaped, each web address in it a link."""
    pieces, end = [], 0
    for match in WEB_ADDRESS.finditer(text):
        if match["host"].rsplit(".", 1)[1].lower() not in LINK_TLDS:
            continue
        before, address, after = _trimmed(match.group())
        href = escape(address if SCHEME.match(address) else f"http://{address}")
        pieces += [
            escape(text[end : match.start()] + before),
            f'<a href="{href}" rel="{UNTRUSTED_LINK_REL}">{escape(address)}</a>',
            escape(after),
        ]
        end = match.end()
    pieces.append(escape(text[end:]))
    return "".join(pieces)


def _trimmed(address: str) -> tuple[str, str, str]:
    """Opening brackets, and the full stops, commas and closing brackets (those
    without an opening one in the address) at its end: they are the sentence's."""
    before = address[: len(address) - len(address.lstrip("("))]
    address = address[len(before) :]
    unmatched = address.count(")") - address.count("(")
    end = len(address)
    while address[end - 1] in ".," or (address[end - 1] == ")" and unmatched > 0):
        unmatched -= address[end - 1] == ")"
        end -= 1
    return before, address[:end], address[end:]


def _linked_html(clean: str) -> str:
    """Sanitized HTML with the addresses in its text made into links (not inside
    a link already)."""
    pieces, in_link = [], False
    for index, piece in enumerate(TAG.split(clean)):
        if index % 2:  # a tag
            if LINK_START.match(piece):
                in_link = True
            elif piece == "</a>":
                in_link = False
            pieces.append(piece)
        else:
            pieces.append(piece if in_link else _linked(unescape(piece)))
    return "".join(pieces)


# Runs of whitespace, control characters and line or paragraph separators.
_BREAKS = re.compile(r"[\s\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def one_line(text: str | None) -> str:
    """`text` on one line: every run of whitespace, control characters and line
    separators becomes one space (e-mail subjects, prefilled titles)."""
    return _BREAKS.sub(" ", text or "").strip()


# (source column, HTML column) of every stored Markdown kept rendered beside its
# source: `flask markdown rerender` goes through them all.
RENDERED_COLUMNS: list[tuple] = []


def keep_rendered(source, html) -> None:
    """Store `source` (a mapped Markdown attribute) rendered and sanitised in
    `html` whenever it is set, so that pages show it without rendering it."""
    RENDERED_COLUMNS.append((source, html))

    @event.listens_for(source, "set", propagate=True)
    def _render(target, value, _old, _initiator):
        setattr(target, html.key, str(render_markdown(value)))
