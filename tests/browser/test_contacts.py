"""Two phones exchange contact details at the atelier pratique's networking apéritif, in real
Chromium (issue 12, field 002): nothing shows until both have chosen each other; a third phone
and the facilitator's console never show them."""

import re

import pytest

from tests.browser.test_tables_live import shows_step

pytestmark = pytest.mark.browser

TIMEOUT = 15_000
AMINA = "amina@example.org"
BRUNO = "+41 79 123 45 67"


def tap(page, name):
    page.get_by_role("button", name=name, exact=True).first.click()


def test_two_phones_exchange_their_contact_details(server_url, browser, screenshot, pages_on_failure):
    laptop = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    console = laptop.new_page()
    console.set_default_timeout(TIMEOUT)
    pages_on_failure.append(console)
    console.on("dialog", lambda dialog: dialog.accept())
    console.goto(server_url + "/connexion/")
    console.get_by_label("Adresse e-mail").fill("facilitation@demo.entraide.test")
    console.get_by_label("Mot de passe").fill("entraide-demo")
    console.get_by_role("button", name="Se connecter").last.click()
    console.goto(server_url + "/protocoles/atelier-pratique/preparer/?participants=6&start=14%3A00&end=17%3A00")
    tap(console, "Ouvrir la séance")
    code = console.get_by_test_id("join-code").inner_text()

    phones = {}
    for name in ("Amina", "Bruno", "Chloé"):
        context = browser.new_context(locale="fr-FR", viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
        page = context.new_page()
        page.set_default_timeout(TIMEOUT)
        page.on("dialog", lambda dialog: dialog.accept())
        pages_on_failure.append(page)
        page.goto(server_url + "/rejoindre/")
        page.get_by_label("Code de la séance").fill(code)
        page.get_by_label("Votre nom, tel que le groupe le verra").fill(name)
        tap(page, "Rejoindre")
        page.locator(".role-badge").filter(has_text=name).wait_for()
        phones[name] = page
    amina, bruno, chloe = phones["Amina"], phones["Bruno"], phones["Chloé"]

    tap(console, "Démarrer la séance")
    while not shows_step(console, "Apéritif de réseautage"):
        title = console.locator(".live-title").inner_text()
        tap(console, "Passer")
        console.wait_for_function("t => document.querySelector('.live-title').innerText !== t", arg=title)
    for page in phones.values():
        page.get_by_role("heading", name="Échanger mes coordonnées").wait_for()

    for page, details in ((amina, AMINA), (bruno, BRUNO)):
        page.get_by_label("Mes coordonnées (courriel ou téléphone)").fill(details)
        tap(page, "Enregistrer mes coordonnées")
        page.get_by_role("button", name="Mettre à jour mes coordonnées").wait_for()
    amina.locator("li", has_text="Bruno").get_by_role("button", name="Proposer mes coordonnées").click()
    amina.locator("li", has_text="Bruno").get_by_text("proposé").wait_for()
    assert AMINA not in bruno.content()
    screenshot(amina, "offered")
    bruno.locator("li", has_text="Amina").get_by_role("button", name="Proposer mes coordonnées").click()
    bruno.get_by_test_id("contact-match").filter(has_text=AMINA).wait_for()
    amina.get_by_test_id("contact-match").filter(has_text=BRUNO).wait_for()
    screenshot(bruno, "mutual")
    for page in (chloe, console):
        text = page.content()
        assert AMINA not in text and BRUNO not in text
    # Bruno withdraws: Amina's phone no longer shows his number.
    bruno.locator("li", has_text="Amina").get_by_role("button", name="Retirer").click()
    amina.get_by_test_id("contact-match").wait_for(state="detached")
    assert not re.search(re.escape(BRUNO), amina.content())
