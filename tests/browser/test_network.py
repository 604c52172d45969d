"""Issue 13, supervisions in a browser: a member raises a situation (anonymous to the other
members), another member says they are concerned, the coordinator proposes a collective
supervision with an outside speaker and a PAF rule, and both members register."""

import re
from datetime import date, timedelta

import pytest

pytestmark = pytest.mark.browser

PASSWORD = "entraide-demo"


def log_in(browser, server_url, email, *, phone=False):
    options = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True} if phone else {"viewport": {"width": 1280, "height": 900}}
    context = browser.new_context(locale="fr-FR", **options)
    page = context.new_page()
    page.goto(server_url + "/connexion/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(server_url + "/")
    return context, page


def test_a_request_becomes_a_collective_supervision_both_register(server_url, browser, screenshot, pages_on_failure):
    raiser, page = log_in(browser, server_url, "membre03@demo.entraide.test", phone=True)
    pages_on_failure.append(page)
    page.goto(server_url + "/o/demo/mon-espace/")
    page.get_by_role("link", name="Demandes de supervision").first.click()
    page.get_by_role("link", name="Soulever une situation").click()
    page.get_by_role("button", name="Envoyer au réseau").click()
    assert "Donnez un titre court à la demande." in page.locator("main").inner_text()  # nothing sent
    page.get_by_label("Titre").fill("Un groupe d'écriture qui se tait")
    page.get_by_label("La situation que vous rencontrez").fill("Depuis la rentrée, plus personne ne lit son texte à voix haute.")
    page.get_by_label("Anonyme pour les autres membres").check()
    screenshot(page, "raise")
    page.get_by_role("button", name="Envoyer au réseau").click()
    page.wait_for_url(re.compile(r".*/o/demo/demandes/\d+/$"))
    request_url = page.url

    other, other_page = log_in(browser, server_url, "membre04@demo.entraide.test", phone=True)
    pages_on_failure.append(other_page)
    other_page.goto(server_url + "/o/demo/reseau/")
    other_page.get_by_role("link", name="Un groupe d'écriture qui se tait").click()
    text = other_page.locator("main").inner_text()
    assert "anonyme" in text and "Membre 03" not in text
    other_page.get_by_label("Un mot (facultatif)").fill("Pareil dans mon atelier du jeudi")
    other_page.get_by_role("button", name="Je suis concerné·e").click()
    assert "Les coordinateur·rices savent que vous êtes concerné·e." in other_page.locator(".messages").inner_text()

    coordinator, staff = log_in(browser, server_url, "coordination@demo.entraide.test")
    pages_on_failure.append(staff)
    staff.goto(request_url)
    text = staff.locator("main").inner_text()
    assert "Membre 03" in text and "Pareil dans mon atelier du jeudi" in text  # coordinators see who and the word
    staff.get_by_role("link", name="Proposer une supervision collective").click()
    staff.get_by_label("Date").fill((date.today() + timedelta(days=14)).isoformat())
    staff.get_by_label("Début").fill("14:00")
    staff.get_by_label("Fin").fill("17:00")
    staff.get_by_label("Lieu").fill("Maison des associations, salle 2")
    staff.get_by_label("Intervenant·e extérieur·e (facultatif)").fill("Claire Dupont")
    staff.get_by_label("Honoraires de l'intervenant·e").fill("240")
    staff.get_by_label("Autres frais (salle, déplacements)").fill("40")
    staff.get_by_label("Au moins, par personne (facultatif)").fill("15")
    staff.get_by_label("Au plus, par personne (facultatif)").fill("100")
    screenshot(staff, "propose")
    staff.get_by_role("button", name="Proposer et inviter").click()
    staff.wait_for_url(request_url)
    assert "les personnes concernées sont invitées par e-mail" in staff.locator(".messages").inner_text()

    for person in (page, other_page):
        person.goto(request_url)
        assert "Vous êtes invité·e." in person.locator("[data-testid=my-status]").inner_text()
        person.get_by_role("button", name="S'inscrire").click()
        person.wait_for_url(request_url)
        assert "Vous êtes inscrit·e." in person.locator("[data-testid=my-status]").inner_text()
    paf = other_page.locator("[data-testid=paf]").inner_text()
    assert "Avec 2 inscrit·es : 100,00\u00a0€ par personne." in paf  # (240 + 40) / 2 = 140, capped at 100
    assert "au moins 15,00\u00a0€ et au plus 100,00\u00a0€ par personne" in paf
    assert other_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    screenshot(other_page, "registered")
    staff.reload()
    invited = staff.locator("ul.invitations").inner_text()
    assert "Membre 03 — inscrit·e" in invited and "Membre 04 — inscrit·e" in invited
    for context in (raiser, other, coordinator):
        context.close()
