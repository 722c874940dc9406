import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from playwright.sync_api import sync_playwright

from tests.conftest import recreate_migration_data

# Playwright's sync API runs an event loop; the test body still talks to the database
# synchronously through factories, which Django allows only with this flag.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("SMEDERIJEN_CHROMIUM", "/usr/bin/chromium")
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE = Axe()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"No Chromium at {CHROMIUM}: run 'make test' or 'apt-get install chromium'.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def demo_site(transactional_db, settings):
    # The live server needs committed data, so these tests empty the tables afterwards, and with
    # them what the data migrations made: make it again.
    recreate_migration_data()
    settings.DEBUG = True
    call_command("load_demo_data", stdout=open(os.devnull, "w"))  # noqa: SIM115
    settings.DEBUG = False


@pytest.fixture
def page(browser, live_server, demo_site, settings):
    """A fresh Dutch browser tab; any script error, CSP violation or broken asset fails the test."""
    settings.PAGE_CACHE_SECONDS = 300  # visitors get kept pages, as in production
    settings.PART_SECONDS = 300  # and parts of pages kept by version (smederijen/parts.py)
    context = browser.new_context(locale="nl-NL", base_url=live_server.url)
    tab = context.new_page()
    problems = []
    tab.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    tab.on(
        "console",
        lambda message: (
            problems.append(f"console: {message.text} ({tab.url})")
            if message.type == "error"
            and "status of 404" not in message.text
            and not from_axe(message)
            else None
        ),
    )
    tab.on(
        "response",
        lambda response: (
            problems.append(f"{response.status} {response.url}")
            if response.status >= 400 and response.request.resource_type != "document"
            else None
        ),
    )
    # A request the browser dropped because the page moved on (net::ERR_ABORTED: the favicon of a
    # page left at once) is no fault; a missing or broken file shows as a 4xx/5xx response above.
    tab.on(
        "requestfailed",
        lambda request: (
            problems.append(f"failed: {request.url} ({request.failure})")
            if request.failure != "net::ERR_ABORTED"
            else None
        ),
    )
    yield tab
    found = list(problems)  # requests cut off by closing the tab at the end are no problem
    context.close()
    assert found == []


def from_axe(message) -> bool:
    """A CSP report about a style that axe-core itself set while it measured the page: axe runs
    as a script the test injects, which has no address of its own (the page's own scripts are
    files, with their address)."""
    return "inline style" in message.text and not message.location.get("url")


def assert_accessible(page) -> None:
    """axe-core (from its PyPI package) finds no WCAG 2.1 A/AA violation on the page."""
    results = AXE.run(page, options={"runOnly": {"type": "tag", "values": WCAG_21_AA}})
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"
