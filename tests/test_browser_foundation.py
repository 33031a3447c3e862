import re

import pytest

from tests.browser import browser_page, log_in, log_out

pytestmark = pytest.mark.browser


def switch_language(page, code: str) -> None:
    with page.expect_navigation():
        page.select_option("[data-testid=language]", code)


def test_two_roles_log_in_and_switch_language(served_demo):
    with browser_page() as page:
        page.goto(served_demo + "/companies/")
        assert "/accounts/login/" in page.url  # anonymous: sent to log in
        assert page.get_by_test_id("demo-accounts").is_visible()  # demo mode shows the accounts

        log_in(page, served_demo, "lca.manager")
        assert page.get_by_test_id("administration").inner_text() == "Saint Lucia Customs and Excise Department"
        cards = page.get_by_test_id("card")
        assert cards.count() >= 3
        page.click("text=Companies")
        assert page.locator("table.data tbody tr").count() == 8  # Saint Lucia's eight demo companies
        assert "Spice Isle" not in page.content()  # nothing of Grenada's
        log_out(page)

        log_in(page, served_demo, "grd.examiner")
        assert "Grenada" in page.get_by_test_id("administration").inner_text()
        switch_language(page, "es")
        assert page.locator("html").get_attribute("lang") == "es"
        assert page.get_by_role("button", name="Cerrar sesión").is_visible()
        assert re.search(r"Bienvenid", page.content())
        switch_language(page, "fr")
        assert page.get_by_role("button", name="Se déconnecter").is_visible()
        switch_language(page, "nl")
        assert page.get_by_role("button", name="Afmelden").is_visible()


def test_wrong_password_is_refused_with_a_message(served_demo):
    with browser_page() as page:
        page.goto(served_demo + "/accounts/login/")
        page.fill("input[name=username]", "lca.risk")
        page.fill("input[name=password]", "not-the-password")
        page.click("button[type=submit]")
        assert page.locator(".notice-error").is_visible()
        assert "/accounts/login/" in page.url
