"""Cross-site scripting: cheat-sheet payloads typed into the idea form, then read back.

Payloads from the OWASP XSS Filter Evasion Cheat Sheet and PortSwigger's XSS cheat
sheet. Each goes through the real form as an idea's title (when it fits in 140
characters) and description; then the idea page and the question's list must show
it as literal text, open no dialog, and contain no element, handler or link that
the payload would have injected.
"""

import re

import pytest
from playwright.sync_api import expect

from ideation.jobs import queue as jobs
from ideation.shared.roles import Role
from tests.browser.conftest import log_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

B64_SCRIPT = "PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="  # <script>alert(1)</script>

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    '"><script>alert(1)</script>',
    "javascript:alert(1)",
    "<iframe src=javascript:alert(1)>",
    "<body onload=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "'-alert(1)-'",
    "</title><script>alert(1)</script>",
    "{{7*7}} ${7*7} {% print(7*7) %} #{7*7}",
    "<details open ontoggle=alert(1)>",
    'http://example.com/"onmouseover="alert(1)',
    "www.example.com/<script>alert(1)</script>",
    "<input autofocus onfocus=alert(1)>",
    f"data:text/html;base64,{B64_SCRIPT}",
    "<style>@import'javascript:alert(1)';</style>",
    "<IMG SRC=JaVaScRiPt:alert('XSS')>",
    '<img src="x` `<script>alert(1)</script>"` `>',
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<svg><script>alert&#40;1&#41;</script>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    '<a href="jav&#x09;ascript:alert(1)">tab</a>',
    f'<object data="data:text/html;base64,{B64_SCRIPT}">',
    "<embed src=javascript:alert(1)>",
    "<marquee onstart=alert(1)>x</marquee>",
    "<video><source onerror=alert(1)>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "https://example.com/?q=<img/src/onerror=alert(1)>",
    '<a href="https://example.com" onclick="alert(1)">click</a>',
    '<base href="javascript:alert(1)//">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "<form action=javascript:alert(1)><button>go</button></form>",
    '<!--<img src="--><img src=x onerror=alert(1)//">',
    "\uff1cscript\uff1ealert(1)\uff1c/script\uff1e",
    "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e",
    "<<script>alert(1)//<</script>",
]
# Descriptions only: longer, or on several lines (textareas send CR LF).
DESCRIPTIONS = [
    "First line\n<img src=x onerror=alert(1)>\n"
    "https://example.com/a?b=1&c=<svg/onload=alert(1)>\nlast line",
    'See http://example.com/x"onmouseover="alert(1)" and www.example.org/\'><script>'
    "alert(1)</script> and https://example.com/#<img src=x onerror=alert(1)>",
    "<div style=\"background:url('javascript:alert(1)')\">"
    + "<a href=javascript:alert(1)>" * 20
    + "</div>",
]

# Found anywhere in the page, any of these means markup got through.
INJECTION_PROBES = """
(root) => {
  const found = [];
  const main = document.querySelector(root);
  for (const el of document.querySelectorAll("*")) {
    for (const attr of el.attributes) {
      if (attr.name.toLowerCase().startsWith("on")) {
        found.push(`${el.tagName} has handler ${attr.name}=${attr.value}`);
      }
    }
  }
  for (const script of document.scripts) {
    if (!script.src.endsWith("/static/app.js")) {
      found.push(`script ${script.src || script.textContent.slice(0, 60)}`);
    }
  }
  const anywhere = "iframe, frame, object, embed, base, meta[http-equiv], "
    + "body style, body link, body meta";
  for (const el of document.querySelectorAll(anywhere)) {
    found.push(`element ${el.outerHTML.slice(0, 80)}`);
  }
  const inMain = "img, svg, math, details, marquee, video, audio, source, table, "
    + "noscript, input:not([type=hidden]), select, textarea, [style], [srcdoc]";
  for (const el of main.querySelectorAll(inMain)) {
    // The page's own fields: comment boxes (ideation/comments) and the idea search.
    if (el.matches("textarea[id^='comment-body-'], input#search-q")) continue;
    found.push(`element in main ${el.outerHTML.slice(0, 80)}`);
  }
  for (const link of document.querySelectorAll("a[href], area[href]")) {
    const protocol = new URL(link.href, location.href).protocol;
    if (!["http:", "https:", "mailto:"].includes(protocol)) {
      found.push(`link to ${link.getAttribute("href")}`);
    }
  }
  for (const form of document.forms) {
    const action = new URL(form.action, location.href);
    if (action.origin !== location.origin) {
      found.push(`form posting to ${form.getAttribute("action")}`);
    }
  }
  return found;
}
"""


def injected(page) -> list[str]:
    return page.evaluate(INJECTION_PROBES, "main")


def title_for(payload: str) -> str:
    return payload if len(payload) <= 140 and "\n" not in payload else "Long payload"


class Findings:
    """Every problem of every payload, reported together at the end."""

    def __init__(self, problems):
        self.problems = problems  # the page fixture's console errors and dialogs
        self.items: list[str] = []

    def check_page(self, page, where: str, probe: bool = True) -> None:
        if self.problems.dialogs:
            self.items.append(f"{where}: dialog {self.problems.dialogs}")
            self.problems.dialogs.clear()
        for problem in injected(page) if probe else ():
            self.items.append(f"{where}: {problem}")

    def expect_equal(self, actual, expected, where: str) -> None:
        if actual != expected:
            self.items.append(f"{where}: shows {actual!r}, typed {expected!r}")

    def assert_none(self) -> None:
        assert not self.items, "\n".join(self.items)


def register(page, name: str, email: str, smtp_server) -> None:
    """Register through the form, confirm the address from the e-mail received,
    and log in."""
    page.goto("/register")
    page.get_by_label("Display name").fill(name)
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat the password").fill(PASSWORD)
    page.get_by_label("I have read the privacy notice").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Create the account").click()
    jobs.run_pending()
    [message] = [m for m in smtp_server.messages if m["To"] == email]
    path = re.search(r"/confirm/[^\s]+", message.get_content()).group(0)
    page.goto(path)
    expect(page.locator(".flash")).to_contain_text("confirmed")
    page.get_by_label("E-mail address", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    with page.expect_navigation():
        page.locator("main form").get_by_role("button", name="Log in").click()


def submit_idea(page, question_id: int, title: str, description: str) -> int:
    page.goto(f"/questions/{question_id}/ideas/new")
    page.get_by_label("Title").fill(title)
    page.get_by_label("Description (optional)").fill(description)
    with page.expect_navigation():
        page.get_by_role("button", name="Publish idea").click()
    match = re.search(r"/ideas/(\d+)$", page.url)
    assert match, f"not published: {title!r} ({page.url})\n{page.inner_text('main')}"
    return int(match.group(1))


def test_payloads_typed_in_the_idea_form_stay_text(
    app, make_page, problems, make_question, make_user, smtp_server
):
    app.config["IDEA_LIMIT_PER_ACCOUNT"] = "1000 per hour"  # one author, many ideas
    question_id = make_question(title="Which <b>XSS</b> is left?").id
    findings = Findings(problems)
    author_name = '"><img src=x onerror=alert(1)>'  # through the register form too
    page = make_page()
    register(page, author_name, "mallory@example.org", smtp_server)
    findings.check_page(page, "home page after registering and logging in")

    ideas = {}  # id -> (title, description)
    for payload in PAYLOADS + DESCRIPTIONS:
        title = title_for(payload)
        idea_id = submit_idea(page, question_id, title, payload)
        ideas[idea_id] = (title, payload)
        where = f"idea page of {payload!r}"
        findings.check_page(page, where)
        findings.expect_equal(page.locator("main h1").text_content(), title, where)
        description = page.locator(".idea-description").text_content()
        findings.expect_equal(description, payload, where)
        # document.title collapses white space, as browsers do.
        shown_title = " ".join(title.split()) + " · The Governor Asks"
        findings.expect_equal(page.title(), shown_title, where)
        meta = page.locator("main .meta").text_content()
        if author_name not in meta:
            findings.items.append(f"{where}: author shown as {meta!r}")

    # The question's list, as the author and as a citizen with support buttons.
    citizen = make_user(Role.CITIZEN)
    reader = make_page()
    log_in(reader, citizen)
    for viewer, who in ((page, "author"), (reader, "citizen")):
        viewer.goto(f"/questions/{question_id}?sort=new")
        where = f"question page seen by the {who}"
        findings.check_page(viewer, where)
        expect(viewer.locator(".idea-card")).to_have_count(len(ideas))
        for idea_id, (title, _) in ideas.items():
            link = viewer.locator(f"#idea-{idea_id} h3 a")
            findings.expect_equal(link.text_content(), title, f"{where}, {title!r}")
        findings.expect_equal(
            viewer.locator("main h1").text_content(),
            "Which <b>XSS</b> is left?",
            where,
        )

    # Supporting (the script writes the count and label back into the card).
    first = next(iter(ideas))
    card = reader.locator(f"#idea-{first}")
    card.locator("[data-support-form] button").click()
    expect(card.locator("[data-support-count]")).to_have_text("1 support")
    findings.check_page(reader, "question page after a support")
    findings.expect_equal(
        card.locator("h3 a").text_content(), ideas[first][0], "card after a support"
    )
    findings.assert_none()


LINK_PAYLOADS = [
    'http://example.com/"onmouseover="alert(1)',
    "www.example.com/<script>alert(1)</script>",
    "https://example.com/?q=<img/src/onerror=alert(1)>",
    "http://example.com/'onmouseover='alert(1)'x='",
    'https://example.com/x"onfocus="alert(1)"autofocus="',
    'https://example.com/x" onclick="alert(1)',
]


def test_hovering_and_clicking_linkified_links_runs_nothing(
    page, problems, make_idea, make_question, make_user
):
    question = make_question()
    author = make_user()
    ideas = [
        make_idea(question=question, author=author, title="Links", description=text)
        for text in LINK_PAYLOADS
    ]
    idea_ids = [idea.id for idea in ideas]
    # Links leave for example.com; answer them here, the network is closed.
    page.route(
        re.compile(r"^https?://(?!127\.0\.0\.1[:/])"),
        lambda route: route.fulfill(
            status=200, content_type="text/html", body="<p>outside</p>"
        ),
    )
    log_in(page, make_user())
    findings = Findings(problems)
    for idea_id, payload in zip(idea_ids, LINK_PAYLOADS, strict=True):
        page.goto(f"/ideas/{idea_id}")
        where = f"links of {payload!r}"
        findings.check_page(page, where)
        findings.expect_equal(
            page.locator(".idea-description").text_content(), payload, where
        )
        links = page.locator(".idea-description a")
        if links.count() == 0:
            findings.items.append(f"{where}: no link made")
        for index in range(links.count()):
            link = links.nth(index)
            href = link.get_attribute("href")
            if not href.startswith(("http://", "https://")):
                findings.items.append(f"{where}: href {href!r}")
            if "noopener" not in (link.get_attribute("rel") or ""):
                findings.items.append(f"{where}: rel {link.get_attribute('rel')!r}")
            link.hover()
            link.focus()
            findings.check_page(page, f"{where}, after hovering {href!r}")
            with page.expect_navigation():
                link.click()
            # Outside the site: only dialogs are ours to check.
            findings.check_page(page, f"{where}, after clicking {href!r}", probe=False)
            page.go_back()
    findings.assert_none()


def test_the_checks_see_markup_and_dialogs(page, problems):
    """The checks above would see an injection: they are not blind."""
    page.goto("/about")
    assert injected(page) == []
    page.evaluate(
        """document.querySelector("main").insertAdjacentHTML("beforeend",
          '<a href="javascript:void(0)">j</a><a href=" data:text/html,x">d</a>'
          + '<svg></svg><details ontoggle="void 0"></details><iframe></iframe>'
          + '<script>void 0</script><input autofocus><form action="https://e.org/">'
          + '</form>')"""
    )
    found = "\n".join(injected(page))
    for expected in (
        "link to javascript:void(0)",
        "link to  data:text/html,x",
        "element in main <svg>",
        "DETAILS has handler ontoggle",
        "element <iframe>",
        "script void 0",
        "element in main <input autofocus",
        "form posting to https://e.org/",
    ):
        assert expected in found, found
    page.evaluate("alert('caught')")
    assert problems.dialogs == ["alert: caught"]
    problems.dialogs.clear()
