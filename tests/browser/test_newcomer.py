"""A newcomer, in real Chromium: home page, the three languages, the library, the atelier
d'entraide, an agenda fitted to a window (and one that does not fit), on a laptop and a phone."""

import re

import pytest

pytestmark = pytest.mark.browser


def test_newcomer_browses_and_fits_an_agenda(server_url, browser, screenshot):
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(server_url + "/")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_role("heading", level=1).inner_text().startswith("Animez")
    screenshot(page, "home-fr")

    page.get_by_role("button", name="DE").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "de"
    assert "Protokolle" in page.locator("nav").inner_text()
    screenshot(page, "home-de")

    page.get_by_role("button", name="EN").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Protocols" in page.locator("nav").inner_text()
    screenshot(page, "home-en")

    page.get_by_role("button", name="FR").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "fr"

    page.get_by_role("link", name="Protocoles").first.click()
    page.wait_for_url("**/protocoles/")
    assert page.locator("li.card").count() == 6
    screenshot(page, "library")

    page.get_by_role("link", name="Atelier d'entraide").click()
    page.wait_for_url("**/protocoles/atelier-entraide/")
    assert page.get_by_text("Offreur·se de situation").first.is_visible()
    assert page.locator("ol.process > li").count() == 18
    screenshot(page, "atelier")

    page.get_by_role("link", name="Préparer une séance").first.click()
    page.wait_for_url("**/preparer/")
    page.get_by_label("Participant·es, facilitateur·rice compris·e").fill("7")
    page.get_by_label("Début").fill("14:00")
    page.get_by_label("Fin annoncée").fill("16:30")
    page.get_by_role("button", name="Ajuster le déroulé").click()
    end = page.get_by_test_id("agenda-end")
    end.wait_for()
    assert end.inner_text() == "16:30"
    assert re.search(r"participants=7", page.url)  # htmx pushed a shareable URL
    rows = page.locator("table.agenda tbody tr[data-step]")
    assert rows.count() == 16
    assert "45 min" in page.locator("tr[data-step=exchanges]").inner_text()
    screenshot(page, "agenda-fr")

    # A window that is too short: a clear message, no agenda.
    page.get_by_label("Fin annoncée").fill("15:00")
    page.get_by_role("button", name="Ajuster le déroulé").click()
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert "au moins 1 h 24" in alert.inner_text()
    assert page.get_by_test_id("agenda-end").count() == 0
    screenshot(page, "agenda-too-short")
    assert not errors, errors
    context.close()


def test_the_agenda_on_a_small_phone(server_url, browser, screenshot):
    context = browser.new_context(locale="fr-FR", viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(server_url + "/protocoles/atelier-entraide/preparer/?participants=7&start=14%3A00&end=16%3A30")
    assert page.get_by_test_id("agenda-end").inner_text() == "16:30"
    # Nothing wider than the screen: no sideways scrolling on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "agenda-phone")
    context.close()
