"""A member follows their action plan after a session and sees it come back at the next one.

Demo data (``entraide.followup.demo``): the demo group's last session held (code PREC-3467),
ended, where Membre 01 offered a situation and wrote an action plan; the group's next session
(code REVU-E679), running at the review of roadmaps, facilitated by facilitation@.
"""

import pytest

pytestmark = pytest.mark.browser

PASSWORD = "entraide-demo"
FIRST_ACTION = "Proposer un temps de parole à chaque personne du groupe"


def login(page, server_url, email):
    page.goto(server_url + "/connexion/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(server_url + "/")


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_member_follows_the_plan_and_it_comes_back(server_url, browser, screenshot):
    phone = browser.new_context(locale="fr-FR", viewport={"width": 360, "height": 740})
    page = phone.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    login(page, server_url, "membre01@demo.entraide.test")

    # After the session: the session page offers to keep the action plan.
    page.goto(server_url + "/s/PREC3467/")
    page.get_by_role("heading", name="Suivre mon plan d'action").wait_for()
    assert no_sideways_scroll(page)
    screenshot(page, "1-after-session-phone")
    page.get_by_role("link", name="Conserver mon plan d'action").click()
    page.get_by_role("button", name="Conserver mon plan d'action").click()
    page.get_by_text("Votre plan d'action est dans votre espace").wait_for()
    assert page.get_by_text("Privé : vous seul·e le voyez.").is_visible()
    assert page.get_by_text(FIRST_ACTION).is_visible()

    # Follow it: the first action is done, with a note; then share the plan with the group.
    first = page.locator("article.plan-action").filter(has_text=FIRST_ACTION)
    first.get_by_role("button", name="Marquer « fait »").click()
    page.get_by_text("Statut modifié : fait.").wait_for()
    first = page.locator("article.plan-action").filter(has_text=FIRST_ACTION)
    assert first.locator(".badge.status").inner_text() == "fait"
    first.get_by_text("Modifier, noter comment cela s'est passé").click()
    first.get_by_label("Comment cela s'est passé").fill("Deux tours de parole, le groupe a apprécié.")
    first.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("Enregistré.").wait_for()
    # Bad input is refused in place, nothing lost.
    page.get_by_label("Action", exact=True).last.fill("Relire le cadre avec le groupe")
    page.locator("#new-due").evaluate("element => { element.type = 'text'; element.value = '31/02/2026'; }")
    page.get_by_role("button", name="Ajouter", exact=True).click()
    page.get_by_text("n’est pas une date").wait_for()
    assert page.get_by_label("Action", exact=True).last.input_value() == "Relire le cadre avec le groupe"
    page.get_by_role("button", name="Partager avec").click()
    page.get_by_text("Votre plan est partagé avec le groupe").wait_for()
    assert no_sideways_scroll(page)
    screenshot(page, "2-plan-followed-phone")
    page.get_by_role("link", name="Mes plans d'action").first.click()
    assert page.get_by_text("partagé avec le groupe").first.is_visible()
    screenshot(page, "3-my-plans-phone")

    # The next session, at its review of roadmaps: the facilitator's console and projector.
    laptop = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    console = laptop.new_page()
    login(console, server_url, "facilitation@demo.entraide.test")
    console.goto(server_url + "/s/REVUE679/console/")
    review = console.locator(".review-roadmaps")
    review.get_by_text("Membre 01").wait_for()
    assert review.locator("li").filter(has_text=FIRST_ACTION).locator(".badge").inner_text() == "fait"
    assert "Deux tours de parole" in review.inner_text()
    screenshot(console, "4-review-console")
    console.goto(server_url + "/s/REVUE679/projecteur/")
    console.locator(".review-roadmaps").get_by_text(FIRST_ACTION).wait_for()
    screenshot(console, "5-review-projector")

    # The member, on their phone, joins today's session by its code and sees it too.
    page.goto(server_url + "/rejoindre/?code=REVUE679")
    page.get_by_label("Votre nom, tel que le groupe le verra").fill("Membre 01")
    page.get_by_role("button", name="Rejoindre").click()
    page.locator(".review-roadmaps").get_by_text(FIRST_ACTION).wait_for()
    assert no_sideways_scroll(page)
    screenshot(page, "6-review-participant-phone")
    assert [e for e in errors if "status of 400" not in e] == []  # the 400: the refused date, on purpose
    laptop.close()
    phone.close()
