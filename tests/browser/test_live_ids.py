"""A tap names its object, not a position: the facilitator's finger is on "Posée" of one
question when the list reorders live (a question from someone who has not asked yet moves
ahead); the tap marks that question, not the one that slid under the finger."""

import pytest

from tests.browser.test_live_atelier import TIMEOUT, on_step, tap
from tests.browser.test_tables_live import shows_step

pytestmark = pytest.mark.browser


def test_a_tap_on_asked_after_the_list_reordered_marks_the_question_tapped(server_url, browser, screenshot):
    laptop = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    facilitator = laptop.new_page()
    facilitator.set_default_timeout(TIMEOUT)
    facilitator.goto(server_url + "/connexion/")
    facilitator.get_by_label("Adresse e-mail").fill("facilitation@demo.entraide.test")
    facilitator.get_by_label("Mot de passe").fill("entraide-demo")
    facilitator.get_by_role("button", name="Se connecter").last.click()
    facilitator.goto(server_url + "/protocoles/atelier-entraide/preparer/?participants=7&start=14%3A00&end=16%3A30")
    tap(facilitator, "Ouvrir la séance")
    code = facilitator.get_by_test_id("join-code").inner_text()
    phones = {}
    for name in ("Chloé", "Driss"):
        context = browser.new_context(locale="fr-FR", viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
        page = context.new_page()
        page.set_default_timeout(TIMEOUT)
        page.goto(server_url + "/rejoindre/")
        page.get_by_label("Code de la séance").fill(code)
        page.get_by_label("Votre nom, tel que le groupe le verra").fill(name)
        tap(page, "Rejoindre")
        page.locator(".role-badge").filter(has_text=name).wait_for()
        phones[name] = page
    tap(facilitator, "Démarrer la séance")
    while not shows_step(facilitator, "Questions de clarification"):
        title = facilitator.locator(".live-title").inner_text()
        tap(facilitator, "Passer")
        facilitator.wait_for_function(
            "title => !document.querySelector('.live-title').innerText.includes(title)", arg=title.strip(), timeout=TIMEOUT
        )
    chloe, driss = phones["Chloé"], phones["Driss"]
    on_step(chloe, "Questions de clarification")
    for question in ("Première question de Chloé", "Seconde question de Chloé"):
        chloe.get_by_label("Ma question de clarification").fill(question)
        tap(chloe, "Ajouter ma question")
        facilitator.locator("ol.questions li").filter(has_text=question).wait_for()
    # The finger rests on the "Posée" button of Chloé's second question, second in the list...
    second = facilitator.locator("ol.questions li").nth(1)
    assert "Seconde question de Chloé" in second.inner_text()
    finger = second.get_by_role("button", name="Posée").element_handle()
    # ...when Driss's first question moves ahead of it (each asks once before anyone asks twice).
    on_step(driss, "Questions de clarification")
    driss.get_by_label("Ma question de clarification").fill("La question de Driss")
    tap(driss, "Ajouter ma question")
    facilitator.locator("ol.questions li").nth(1).filter(has_text="La question de Driss").wait_for()
    finger.click()
    facilitator.locator("ol.questions li.asked").filter(has_text="Seconde question de Chloé").wait_for()
    screenshot(facilitator, "questions-after-tap")
    asked = facilitator.locator("ol.questions li.asked").all_inner_texts()
    assert len(asked) == 1 and "Seconde question de Chloé" in asked[0]
