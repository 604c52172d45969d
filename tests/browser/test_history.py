"""Back after an htmx update (issue 10): on the prepare page, refit the agenda (htmx swaps the
agenda and pushes the URL), follow a link, press Back: the whole page comes back, with its header
and its styles, never the bare fragment."""

import pytest

pytestmark = pytest.mark.browser


def _styled_page(page) -> bool:
    return page.evaluate(
        """() => {
            const header = document.querySelector('header.site-header');
            const sheets = [...document.styleSheets].filter(s => (s.href || '').includes('app.css'));
            return !!header && sheets.length === 1 && getComputedStyle(document.body).margin === '0px'
                && getComputedStyle(header).display !== 'inline';
        }"""
    )


def test_back_after_refitting_the_agenda_shows_the_whole_page(server_url, browser, screenshot):
    context = browser.new_context(locale="fr-FR", viewport={"width": 360, "height": 780})
    page = context.new_page()
    page.goto(server_url + "/protocoles/atelier-entraide/preparer/")
    assert _styled_page(page)
    page.get_by_label("Participant·es, facilitateur·rice compris·e").fill("9")
    page.get_by_label("Début").fill("09:00")
    page.get_by_label("Fin annoncée").fill("12:00")
    page.get_by_role("button", name="Ajuster le déroulé").click()
    page.wait_for_url("**participants=9**")
    page.get_by_test_id("agenda-end").wait_for()
    fitted_url = page.url

    page.get_by_role("link", name="Protocoles").first.click()
    page.wait_for_url("**/protocoles/")
    page.go_back()
    page.wait_for_url(fitted_url)
    page.wait_for_load_state("load")
    page.get_by_test_id("agenda-end").wait_for()
    screenshot(page, "back-after-refit")
    assert _styled_page(page), page.content()[:500]
    assert page.get_by_role("heading", level=1).inner_text() == "Préparer une séance"
    assert page.locator("form.fit-form").count() == 1

    # And once more, after a reload has put the page in the browser's cache.
    page.reload()
    page.get_by_role("link", name="Protocoles").first.click()
    page.wait_for_url("**/protocoles/")
    page.go_back()
    page.wait_for_url(fitted_url)
    page.wait_for_load_state("load")
    assert _styled_page(page)
    context.close()
