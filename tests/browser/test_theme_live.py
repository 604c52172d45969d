"""A theme as the thematic input of a live practice exchange, in real Chromium: the facilitator
chooses it from the console; at the theme step it shows on a 360 px phone and on the console."""

import pytest

pytestmark = pytest.mark.browser

TIMEOUT = 15_000


def tap(page, name):
    page.get_by_role("button", name=name, exact=True).first.click()


def test_facilitator_attaches_a_theme_shown_at_the_theme_step(server_url, browser, screenshot):
    errors: list[str] = []
    laptop = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    facilitator = laptop.new_page()
    facilitator.set_default_timeout(TIMEOUT)
    facilitator.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    facilitator.goto(server_url + "/connexion/")
    facilitator.get_by_label("Adresse e-mail").fill("facilitation@demo.entraide.test")
    facilitator.get_by_label("Mot de passe").fill("entraide-demo")
    facilitator.get_by_role("button", name="Se connecter").last.click()
    facilitator.goto(server_url + "/protocoles/echange-de-pratiques/preparer/?participants=6&start=09%3A00&end=12%3A30")
    tap(facilitator, "Ouvrir la séance")
    code = facilitator.get_by_test_id("join-code").inner_text()

    facilitator.get_by_role("link", name="Choisir une thématique").first.click()
    facilitator.wait_for_url("**/thematique/")
    facilitator.get_by_label("Communication non violente").check()
    screenshot(facilitator, "choose-theme")
    tap(facilitator, "Utiliser cette thématique")
    facilitator.wait_for_url("**/console/")
    assert "Communication non violente" in facilitator.locator("#theme-card").inner_text()

    phone = browser.new_context(locale="fr-FR", viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True, has_touch=True)
    amina = phone.new_page()
    amina.set_default_timeout(TIMEOUT)
    amina.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    amina.goto(server_url + f"/rejoindre/?code={code}")
    amina.get_by_label("Votre nom, tel que le groupe le verra").fill("Amina")
    tap(amina, "Rejoindre")
    amina.locator(".role-badge").filter(has_text="Amina").wait_for()

    tap(facilitator, "Démarrer la séance")
    title = facilitator.locator(".live-title")
    for _ in range(12):
        if "Thématique" in title.inner_text():
            break
        before = title.inner_text()
        tap(facilitator, "Passer")
        facilitator.wait_for_function("before => document.querySelector('.live-title').innerText !== before", arg=before)
    assert "Thématique : apports et outils" in title.inner_text()
    amina.locator("[data-testid=theme-input]").wait_for()
    shown = amina.locator("[data-testid=theme-input]").inner_text()
    assert "Communication non violente" in shown and "Rosenberg" in shown
    assert amina.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(amina, "theme-on-phone")
    assert "Rosenberg" in facilitator.locator(".activity-theme").inner_text()
    screenshot(facilitator, "theme-on-console")
    phone.close()
    laptop.close()
    assert not errors, errors
