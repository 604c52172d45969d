"""The action log in the browser: a coordinator opens the organisation's Journal from its home
page; a member, on a phone, opens "Ce qui a été fait à mes données" from Mon espace and sees
only what was done to their own records (issue 13)."""

import pytest

pytestmark = pytest.mark.browser

PASSWORD = "entraide-demo"


def log_in(page, server_url: str, email: str) -> None:
    page.goto(server_url + "/connexion/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(server_url + "/")


def test_a_coordinator_reads_the_journal_and_a_member_their_own_on_a_phone(server_url, browser, screenshot):
    desk = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = desk.new_page()
    log_in(page, server_url, "coordination@demo.entraide.test")
    page.goto(server_url + "/o/demo/")
    page.get_by_role("link", name="Journal", exact=True).first.click()
    page.wait_for_url(server_url + "/o/demo/journal/")
    assert page.get_by_role("heading", name="Journal").is_visible()
    table = page.locator("table.journal")
    assert "a attribué un rôle dans l’organisation" in table.inner_text()
    screenshot(page, "journal-coordinator")
    desk.close()

    phone = browser.new_context(locale="fr-FR", viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    page = phone.new_page()
    log_in(page, server_url, "membre@demo.entraide.test")
    page.goto(server_url + "/o/demo/mon-espace/")
    assert page.get_by_role("link", name="Journal", exact=True).count() == 0  # not theirs to open
    page.get_by_role("link", name="Ce qui a été fait à mes données").first.click()
    page.wait_for_url(server_url + "/o/demo/mon-espace/journal/")
    rows = page.locator("table.journal tbody tr")
    assert rows.count() >= 1
    assert "a attribué un rôle dans l’organisation" in page.locator("table.journal").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    screenshot(page, "journal-member-phone")
    phone.close()
