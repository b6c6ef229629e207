"""Browser fixtures: the app served over HTTP, and headless Debian Chromium.

Playwright drives the system's /usr/bin/chromium (no browser download, ever).
Without it the tests fail, not skip: CI installs it, and a skip would hide a
broken install.
"""

import os
import threading

import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

from tests.conftest import PASSWORD

CHROMIUM = "/usr/bin/chromium"
# What this sandbox needs; without the background-networking flags Chromium's
# own connections are refused by the closed network and it logs errors.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 10_000


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """Fail a browser test whose pages logged errors, threw, or opened dialogs."""
    result = yield
    make_page = item.funcargs.get("make_page")
    if make_page is not None:
        make_page.problems.check()
    return result


@pytest.fixture
def live_server(app):
    """The test's app served on a free local port; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(
            f"{CHROMIUM} is missing: the browser tests need Debian's chromium. "
            "Install it with `apt-get update && apt-get install -y chromium` "
            "(as .ci/run does); never `playwright install`.",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
    except Exception as error:
        playwright.stop()
        pytest.fail(f"Chromium at {CHROMIUM} did not start: {error}", pytrace=False)
    yield browser
    browser.close()
    playwright.stop()


class PageProblems:
    """Console errors and uncaught exceptions seen by a page, and dialogs opened."""

    def __init__(self):
        self.errors: list[str] = []
        self.dialogs: list[str] = []

    def watch(self, page):
        page.set_default_timeout(TIMEOUT_MS)
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.errors.append(f"pageerror: {error}"))
        page.on("dialog", self._on_dialog)
        return page

    def check(self):
        assert not self.errors, "the browser reported errors:\n" + "\n".join(
            self.errors
        )
        assert not self.dialogs, "unexpected dialogs:\n" + "\n".join(self.dialogs)

    def _on_console(self, message):
        # The site has no favicon (yet); the browser asks for one on its own.
        if message.location.get("url", "").endswith("/favicon.ico"):
            return
        if message.type == "error":
            self.errors.append(f"console: {message.text} ({message.location})")

    def _on_dialog(self, dialog):
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()


@pytest.fixture
def make_page(browser, live_server):
    """New pages in fresh contexts (`java_script_enabled=False` and so on).

    Fails the test when any page logged a console error or threw, or when a
    dialog opened that the test did not take out of `problems.dialogs`.
    """
    contexts = []
    problems = PageProblems()

    def make(**options):
        options.setdefault("locale", "en-US")
        context = browser.new_context(base_url=live_server, **options)
        contexts.append(context)
        context.on("page", problems.watch)  # pages opened later (popups) too
        return context.new_page()

    make.problems = problems
    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(make_page):
    """A page in a fresh browser context (en-US), on the live server."""
    return make_page()


@pytest.fixture
def problems(make_page):
    return make_page.problems


def log_in(page, user, password=PASSWORD):
    """Log in through the form; ends on the page the login redirects to."""
    page.goto("/login")
    page.get_by_label("E-mail address", exact=True).fill(user.email)
    page.get_by_label("Password", exact=True).fill(password)
    with page.expect_navigation():
        page.locator("main form").get_by_role("button", name="Log in").click()
    expect(page.get_by_role("link", name=user.display_name)).to_be_visible()
