"""The printable kit in real Chromium: the form on the protocol page, on a phone and a laptop;
bad input shown in place; the PDF downloaded and read back."""

import pytest

from tests.kit.pdf import pages_with, pdf_pages

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", [{"width": 360, "height": 780}, {"width": 1280, "height": 900}], ids=["phone", "laptop"])
def test_download_the_kit_from_the_protocol_page(server_url, browser, screenshot, tmp_path, viewport):
    context = browser.new_context(locale="fr-FR", viewport=viewport, accept_downloads=True)
    page = context.new_page()
    try:
        page.goto(server_url + "/protocoles/atelier-entraide/")
        form = page.locator("form#kit")
        form.scroll_into_view_if_needed()
        assert form.get_by_role("heading", name="Kit imprimable").is_visible()
        # Nothing wider than the screen.
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]

        form.get_by_label("Participant·es, facilitateur·rice compris·e").fill("1")
        form.get_by_role("button", name="Télécharger le kit (PDF)").click()
        page.wait_for_load_state()
        alert = page.locator("form#kit [role=alert]")
        assert "au moins 2 participant·es" in alert.inner_text()
        screenshot(page, "kit-form-error")

        form = page.locator("form#kit")
        form.get_by_label("Participant·es, facilitateur·rice compris·e").fill("8")
        form.get_by_label("Langue du kit").select_option("de")
        with page.expect_download() as download_info:
            form.get_by_role("button", name="Télécharger le kit (PDF)").click()
        download = download_info.value
        assert download.suggested_filename == "kit-atelier-entraide-8-de.pdf"
        target = tmp_path / download.suggested_filename
        download.save_as(target)
        pages = pdf_pages(target)
        assert pages_with(pages, "ANLIEGEN DER TEILNEHMENDEN") == 7
        assert pages_with(pages, "RESONANZ AUF DAS ANLIEGEN") == 6
    finally:
        context.close()
