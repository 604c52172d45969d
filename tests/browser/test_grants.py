"""A training grant from request to published article, in French (issue 13, field document 000):
a member asks, a coordinator grants part of it, the member uploads a receipt, the coordinator
pays against it, the member writes the article and the coordinator publishes it to the network.
"""

import io

import pytest

pytestmark = pytest.mark.browser

PASSWORD = "entraide-demo"
TRAINING = "Animer un atelier d'écriture avec des adolescents"


def login(page, server_url, email):
    page.goto(server_url + "/connexion/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(server_url + "/")


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def receipt_pdf(path) -> str:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    path.write_bytes(buffer.getvalue())
    return str(path)


def test_a_grant_from_request_to_published_article(server_url, browser, screenshot, pages_on_failure, tmp_path):
    laptop = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    coordinator = laptop.new_page()
    pages_on_failure.append(coordinator)
    login(coordinator, server_url, "coordination@demo.entraide.test")
    coordinator.goto(server_url + "/o/demo/bourses/budget/")
    coordinator.get_by_label("Budget des bourses").fill("1 500")
    coordinator.get_by_role("button", name="Enregistrer le budget").click()
    coordinator.get_by_text("Le budget est enregistré.").wait_for()

    # The member asks, from their phone; bad input is refused in place, nothing typed is lost.
    phone = browser.new_context(locale="fr-FR", viewport={"width": 360, "height": 740})
    member = phone.new_page()
    pages_on_failure.append(member)
    login(member, server_url, "membre@demo.entraide.test")
    member.goto(server_url + "/o/demo/mon-espace/")
    member.get_by_role("link", name="Bourses", exact=True).click()
    member.get_by_role("link", name="Demander une bourse").click()
    member.get_by_label("Formation", exact=True).fill(TRAINING)
    member.get_by_label("Organisme de formation").fill("Atelier des mots, Lyon")
    member.get_by_label("Premier jour").fill("2026-04-13")
    member.get_by_label("Dernier jour").fill("2026-04-17")
    member.get_by_label("Coût de la formation").fill("900")
    member.get_by_label("Montant demandé").fill("900")
    member.get_by_label("Ce que vous vous engagez à rapporter au réseau").fill("Un atelier pour les membres à la rentrée.")
    member.get_by_role("button", name="Envoyer ma demande").click()
    member.get_by_text("Une bourse ne couvre jamais qu'une partie des frais").wait_for()
    assert member.get_by_label("Organisme de formation").input_value() == "Atelier des mots, Lyon"
    member.get_by_label("Montant demandé").fill("500")
    member.get_by_role("button", name="Envoyer ma demande").click()
    member.get_by_text("Votre demande est envoyée.").wait_for()
    assert member.locator("#grant-status").inner_text() == "demandée"
    assert no_sideways_scroll(member)
    screenshot(member, "1-request-phone")
    request_url = member.url

    # The coordinator grants part of it, with a reason (required: tried without first).
    coordinator.goto(server_url + "/o/demo/bourses/toutes/")
    coordinator.get_by_role("link", name=TRAINING).click()
    coordinator.get_by_label("En accorder une partie").check()
    coordinator.get_by_label("Montant accordé (bourse partielle)").fill("300")
    coordinator.get_by_role("button", name="Enregistrer la décision").click()
    coordinator.get_by_text("Donnez la raison de cette décision").wait_for()
    coordinator.get_by_label("En accorder une partie").check()
    coordinator.get_by_label("Montant accordé (bourse partielle)").fill("300")
    coordinator.get_by_label("Raison").fill("Trois demandes cette année : le budget est partagé.")
    coordinator.get_by_role("button", name="Enregistrer la décision").click()
    coordinator.get_by_text("La décision est enregistrée").wait_for()
    assert "300,00" in coordinator.locator("#amount-granted").inner_text()

    # The member sees the decision and its reason, and uploads a receipt (an SVG first: refused).
    member.goto(request_url)
    assert member.locator("#grant-status").inner_text() == "accordée en partie"
    assert member.get_by_text("Trois demandes cette année : le budget est partagé.").is_visible()
    svg = tmp_path / "facture.svg"
    svg.write_text('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
    member.get_by_label("Justificatif (PDF, JPEG ou PNG, 10 Mo au plus)").set_input_files(str(svg))
    member.get_by_role("button", name="Ajouter le justificatif").click()
    member.get_by_text("Les pages web et les images SVG ne sont pas acceptées").wait_for()
    member.get_by_label("Justificatif (PDF, JPEG ou PNG, 10 Mo au plus)").set_input_files(receipt_pdf(tmp_path / "facture-formation.pdf"))
    member.get_by_role("button", name="Ajouter le justificatif").click()
    member.get_by_text("Le justificatif est ajouté.").wait_for()
    assert member.get_by_role("link", name="facture-formation.pdf").is_visible()
    assert no_sideways_scroll(member)
    screenshot(member, "2-receipt-phone")

    # The coordinator pays what is granted and not yet paid, against the receipt.
    coordinator.goto(server_url + "/o/demo/bourses/toutes/")
    coordinator.get_by_role("heading", name="Accordé, pas encore versé").wait_for()
    coordinator.get_by_role("link", name=TRAINING).first.click()
    assert "300,00" in coordinator.locator("#amount-to-pay").inner_text()
    coordinator.get_by_label("Montant versé").fill("350")
    coordinator.get_by_label("facture-formation.pdf").check()
    coordinator.get_by_role("button", name="Enregistrer le paiement").click()
    coordinator.get_by_text("Ce paiement dépasserait la bourse").wait_for()
    coordinator.get_by_label("Montant versé").fill("300")
    coordinator.get_by_label("facture-formation.pdf").check()
    coordinator.get_by_role("button", name="Enregistrer le paiement").click()
    coordinator.get_by_text("Le paiement est enregistré dans le grand livre.").wait_for()
    assert coordinator.locator("#grant-status").inner_text() == "versée"
    with coordinator.expect_download() as download:
        coordinator.get_by_role("link", name="Télécharger le projet tel qu'accepté (PDF)").click()
    assert download.value.suggested_filename.endswith(".pdf")
    screenshot(coordinator, "3-paid-laptop")

    # The member writes the article and submits it; the coordinator publishes it.
    member.goto(request_url)
    member.get_by_label("Titre").fill("Écrire avec des adolescents")
    member.get_by_label("Article", exact=True).fill("Ce que j'ai appris : laisser le silence travailler.")
    member.get_by_role("button", name="Soumettre pour relecture").click()
    member.get_by_text("Votre article est envoyé aux coordinateur·rices pour relecture.").wait_for()
    coordinator.goto(server_url + "/o/demo/bourses/toutes/")
    coordinator.get_by_role("link", name="Écrire avec des adolescents").click()
    coordinator.get_by_role("button", name="Publier pour le réseau").click()
    coordinator.get_by_text("L'article est publié pour les membres du réseau.").wait_for()

    member.goto(server_url + "/o/demo/mon-espace/")
    member.get_by_role("link", name="Articles du réseau").click()
    article = member.locator("article.network-article").filter(has_text="Écrire avec des adolescents")
    article.get_by_text("laisser le silence travailler").wait_for()
    assert no_sideways_scroll(member)
    screenshot(member, "4-articles-phone")
    member.goto(request_url)
    assert member.locator("#grant-status").inner_text() == "clôturée"
    assert member.get_by_text("a publié l'article").is_visible()
    laptop.close()
    phone.close()
