"""Playwright driving Debian's Chromium (never a downloaded browser: islands run offline)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

CHROMIUM = os.environ.get("TRADEWINDS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@contextmanager
def browser_page() -> Iterator:
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"no Chromium at {CHROMIUM}: run scripts/install-browser.sh")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(locale="en-GB").new_page()
            page.set_default_timeout(15000)
            yield page
        finally:
            browser.close()


def log_in(page, base_url: str, username: str, password: str | None = None) -> None:
    from tradewinds.core.demo import DEMO_PASSWORD

    page.goto(base_url + "/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password or DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def log_out(page) -> None:
    page.click("form[action$='/accounts/logout/'] button")
    page.wait_for_url(lambda url: "/accounts/login/" in url)
