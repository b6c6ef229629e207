"""Text to HTML: plain text escaped with its links made, Markdown sanitized, and both
safe to render from many threads at once."""

import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from ideation.shared.text import plain_text_html, render_markdown

REL = 'rel="nofollow noopener noreferrer ugc"'


def link(href: str, text: str | None = None) -> str:
    return f'<a href="{href}" {REL}>{text or href}</a>'


# Plain text


def test_nothing_gives_nothing():
    assert plain_text_html(None) == "" and plain_text_html("") == ""
    assert render_markdown(None) == "" and render_markdown("") == ""


def test_plain_text_is_escaped():
    assert plain_text_html('It\'s "quoted" & <b>bold</b> &lt;') == (
        "It&#39;s &#34;quoted&#34; &amp; &lt;b&gt;bold&lt;/b&gt; &amp;lt;"
    )


def test_every_line_break_becomes_br():
    assert plain_text_html("one\r\ntwo\rthree\nfour") == (
        "one<br>\ntwo<br>\nthree<br>\nfour"
    )


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("https://example.org/vans", link("https://example.org/vans")),
        ("HTTP://EXAMPLE.ORG/A", link("HTTP://EXAMPLE.ORG/A")),
        ("www.example.org", link("http://www.example.org", "www.example.org")),
        ("see rs.gov.br", "see " + link("http://rs.gov.br", "rs.gov.br")),
        (
            "https://example.org:8080/a?b=1&c=2#d",
            link("https://example.org:8080/a?b=1&amp;c=2#d"),
        ),
        ("https://ação.example.br/página", link("https://ação.example.br/página")),
    ],
)
def test_web_addresses_become_links(text, html):
    assert plain_text_html(text) == html


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("See https://example.org.", f"See {link('https://example.org')}."),
        ("a https://example.org/x, b", f"a {link('https://example.org/x')}, b"),
        ("(at https://example.org)", f"(at {link('https://example.org')})"),
        ("(https://example.org/a)", f"({link('https://example.org/a')})"),
        (
            "https://en.wikipedia.org/wiki/Pará_(state)",
            link("https://en.wikipedia.org/wiki/Pará_(state)"),
        ),
    ],
)
def test_punctuation_around_an_address_stays_outside_its_link(text, html):
    assert plain_text_html(text) == html


@pytest.mark.parametrize(
    ("text", "html"),
    [
        (
            'https://example.org/x"onmouseover="alert(1)',
            link("https://example.org/x") + "&#34;onmouseover=&#34;alert(1)",
        ),
        (
            "https://example.org/?q=<img src=x>",
            link("https://example.org/?q=") + "&lt;img src=x&gt;",
        ),
        (
            "<https://example.org/a>",
            "&lt;" + link("https://example.org/a") + "&gt;",
        ),
        (
            "https://example.org/'onmouseover='alert(1)",
            link("https://example.org/&#39;onmouseover=&#39;alert(1)"),
        ),
    ],
)
def test_a_link_ends_at_markup_and_its_quotes_are_escaped(text, html):
    assert plain_text_html(text) == html


@pytest.mark.parametrize(
    "text",
    [
        "javascript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "ftp://files.example.org/report",
        "write to someone@example.org",
        "https://someone@example.org",
        "http://localhost:5000/x",
        "the file docs/readme.md",
    ],
)
def test_other_things_do_not_become_links(text):
    assert "<a" not in plain_text_html(text)


# Markdown


def test_markdown_keeps_its_formatting_and_loses_scripts():
    html = render_markdown(
        "## Plan\n\n**Bold** *and* `code` <script>alert(1)</script>\n\n"
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n- one\n- two"
    )
    assert "<h2>Plan</h2>" in html
    assert "<p><strong>Bold</strong> <em>and</em> <code>code</code>" in html
    assert "<td>1</td>" in html and "<li>two</li>" in html
    assert "script" not in html and "alert" not in html


def test_markdown_drops_what_is_not_allowed():
    html = render_markdown(
        '<img src=x onerror=alert(1)><iframe src="https://e.org"></iframe>'
        '<abbr title="Rio Grande do Sul" class="x">RS</abbr> <u>under</u>'
    )
    assert html == '<p><abbr title="Rio Grande do Sul">RS</abbr> under</p>'


def test_markdown_links_are_safe_and_marked_untrusted():
    html = render_markdown(
        '[a](https://example.org "Title") [b](javascript:alert(1)) '
        '<a href="https://example.org/c" rel="me" onclick="x">c</a>'
    )
    assert html == (
        f'<p><a href="https://example.org" title="Title" {REL}>a</a> '
        f"<a {REL}>b</a> "
        f'<a href="https://example.org/c" {REL}>c</a></p>'
    )


def test_markdown_bare_addresses_become_links_once():
    html = render_markdown(
        "See https://example.org/a & www.example.org, or "
        "[https://example.org/b](https://example.org/b)."
    )
    assert html == (
        f"<p>See {link('https://example.org/a')} &amp; "
        f"{link('http://www.example.org', 'www.example.org')}, or "
        f"{link('https://example.org/b')}.</p>"
    )


# Threads

THREADS, RENDERS = 8, 200  # renders per thread
PLAIN = [
    "Vans that visit villages.\nSee https://example.org/vans, (www.example.org).",
    "<script>alert(1)</script> & https://example.org/?q=<b>\r\nbye",
    "No links here, only text: 'quoted' \"twice\".",
]
MARKDOWN = [
    "## Agenda\n\n1. **Welcome** https://example.org/a\n2. [Vote](https://e.org)",
    "<script>alert(1)</script> *text* www.example.org\n\n| a |\n|---|\n| 1 |",
    "> quote with `https://example.org/code`\n\n    https://example.org/pre",
]
SAMPLES = [(plain_text_html, text) for text in PLAIN] + [
    (render_markdown, source) for source in MARKDOWN
]


def test_many_threads_render_what_one_thread_renders():
    expected = [render(text) for render, text in SAMPLES]
    barrier = threading.Barrier(THREADS)

    def renders(_) -> list[tuple[int, str]]:
        barrier.wait()  # all start together
        picks = [n % len(SAMPLES) for n in range(RENDERS)]
        return [(pick, SAMPLES[pick][0](SAMPLES[pick][1])) for pick in picks]

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)  # switch threads far more often than by default
    try:
        with ThreadPoolExecutor(THREADS) as pool:
            results = [r for done in pool.map(renders, range(THREADS)) for r in done]
    finally:
        sys.setswitchinterval(interval)
    assert len(results) == THREADS * RENDERS
    assert all(html == expected[pick] for pick, html in results)


# Time


@pytest.mark.parametrize(
    "text", ["a.b-" * 5000, "(" * 20000 + "example.org", "a-" * 10000 + ".x"]
)
def test_finding_links_takes_time_in_proportion_to_the_text(text):
    """A pattern that backtracks (bleach's did) takes minutes over these."""
    started = time.perf_counter()
    plain_text_html(text)
    assert time.perf_counter() - started < 1.0
