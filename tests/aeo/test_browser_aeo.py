"""The whole trusted-trader path in a real browser against the real served demo: pre-application,
questionnaire, messages, a finding and its answer, validation, certification, the certificate PDF,
and the public verification page before and after suspension."""

from __future__ import annotations

import re

import pytest

from tests.browser import browser_page, log_in, log_out

pytestmark = pytest.mark.browser

COMPANY = "Castries Trading Ltd"  # the demo trader's company, left without any AEO file by the demo


def pass_pre_application(page, base: str) -> None:
    page.goto(base + "/aeo/")
    page.get_by_test_id("take-pre-application").click()
    page.select_option("select[name=programme_type]", label="AEO security and safety")
    for fieldset in page.locator("fieldset[data-testid^=check-]").all():
        fieldset.locator("input[value=yes]").check()
    page.get_by_test_id("check-readiness").click()
    assert "Ready." in page.get_by_test_id("pre-verdict").inner_text()
    page.get_by_test_id("start-application").click()
    page.wait_for_url(re.compile(r"/aeo/applications/\d+/questionnaire/"))


def fill_and_submit_questionnaire(page) -> str:
    page.get_by_test_id("submit-application").click()  # nothing answered: refused, nothing saved
    assert "Nothing was saved" in page.get_by_test_id("questionnaire-errors").inner_text()
    for section in page.locator("section.criterion").all():
        section.locator("select").select_option("yes")
        section.locator("textarea").fill("Written procedure in place, reviewed every year.")
    page.get_by_test_id("save-draft").click()
    assert "100 %" in page.get_by_test_id("progress").inner_text()
    page.get_by_test_id("submit-application").click()
    page.wait_for_url(re.compile(r"/aeo/applications/\d+/$"))
    assert page.get_by_test_id("status").inner_text() == "Submitted"
    return page.url


def send_message(page, text: str) -> None:
    page.fill("textarea[name=body]", text)
    page.get_by_test_id("send-message").click()
    assert text in page.get_by_test_id("thread").inner_text()


def officer_reviews(page, base: str, application_url: str) -> None:
    page.goto(base + "/aeo/queue/")
    assert COMPANY in page.get_by_test_id("queue").inner_text()
    page.goto(application_url)
    page.get_by_test_id("assign").click()
    assert page.get_by_test_id("status").inner_text() == "In review"
    page.get_by_test_id("company-messages").click()
    assert "Do we need a bonded warehouse?" in page.get_by_test_id("thread").inner_text()
    send_message(page, "No: list the sites where you hold goods.")
    page.goto(application_url)
    page.get_by_text("Raise a finding").click()
    page.select_option("select[name=kind]", "requirement")
    page.fill("form[data-testid=finding-form] textarea[name=text]", "The yard gate has no lock.")
    page.get_by_test_id("raise-finding").click()
    assert "The yard gate has no lock." in page.get_by_test_id("finding").inner_text()


def trader_answers_finding(page, application_url: str) -> None:
    page.goto(application_url)
    finding = page.get_by_test_id("finding")
    assert "REQUIREMENT" in finding.inner_text()
    finding.locator("textarea[name=body]").fill("A padlock and a camera are fitted; photos attached by email.")
    page.get_by_test_id("answer-finding").click()
    assert page.get_by_test_id("finding-status").inner_text() == "Answered by the trader"


def officer_validates_and_certifies(page, application_url: str) -> None:
    page.goto(application_url)
    page.get_by_text("Plan a validation visit").click()
    page.fill("input[name=planned_for]", "2026-01-15")
    page.fill("input[name=location]", "Castries port warehouse")
    page.get_by_test_id("plan-visit").click()
    page.fill("textarea[name=report]", "Procedures seen in operation; gate now locked.")
    page.get_by_test_id("complete-visit").click()
    page.goto(application_url)
    page.select_option("select[name=outcome]", "certify")
    page.get_by_test_id("decide").click()  # refused: the requirement is still open
    assert "still open" in page.locator(".notice-error").inner_text()
    page.fill("input[name=reason]", "Lock seen on the visit.")
    page.get_by_test_id("close-finding").click()
    page.select_option("select[name=outcome]", "certify")
    page.get_by_test_id("decide").click()
    assert page.get_by_test_id("status").inner_text() == "Certified"


def download_certificate(page) -> tuple[str, str]:
    page.get_by_test_id("open-certificate").click()
    code = page.get_by_test_id("verification-code").inner_text()
    with page.expect_download() as download:
        page.get_by_test_id("download-certificate").click()
    with open(download.value.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"
    assert download.value.suggested_filename.endswith(".pdf")
    return page.url, code


def test_trusted_trader_path_end_to_end(served_demo):
    base = served_demo
    with browser_page() as page:
        log_in(page, base, "lca.trader")
        pass_pre_application(page, base)
        application_url = fill_and_submit_questionnaire(page)
        page.goto(base + "/aeo/portal/messages/")
        send_message(page, "Do we need a bonded warehouse?")
        log_out(page)

        log_in(page, base, "lca.aeo")
        officer_reviews(page, base, application_url)
        log_out(page)

        log_in(page, base, "lca.trader")
        page.goto(base + "/aeo/portal/messages/")
        assert "list the sites where you hold goods" in page.get_by_test_id("thread").inner_text()
        trader_answers_finding(page, application_url)
        log_out(page)

        log_in(page, base, "lca.aeo")
        officer_validates_and_certifies(page, application_url)
        certificate_url, code = download_certificate(page)
        log_out(page)

        page.goto(f"{base}/verify/{code}/")  # no login
        assert page.get_by_test_id("verdict").inner_text().strip() == "Valid"
        assert page.get_by_test_id("holder").inner_text() == COMPANY

        log_in(page, base, "lca.aeo")
        page.goto(certificate_url)
        page.fill("form[data-testid=suspend-form] textarea[name=reason]", "Undeclared goods in a container.")
        page.get_by_test_id("suspend").click()
        assert page.get_by_test_id("certificate-status").inner_text().startswith("Suspended")
        log_out(page)
        page.goto(f"{base}/verify/{code}/")
        assert page.get_by_test_id("verdict").inner_text().strip() == "Suspended"
