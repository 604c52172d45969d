"""Seven people run a whole atelier d'entraide in French, in real Chromium: one facilitator on
a laptop, six participants on phone-sized screens, from joining to documentation. Bruno
reloads his phone in the middle of the vote; Amina, whose problem is chosen, declines, and
the next problem is proposed to Bruno, who accepts."""

import re
from datetime import date, timedelta

import pytest

pytestmark = pytest.mark.browser

NAMES = ["Amina", "Bruno", "Chloé", "Driss", "Élise", "Fanny"]
TIMEOUT = 15_000


def tap(page, name, exact=True):
    page.get_by_role("button", name=name, exact=exact).first.click()


def on_step(page, title):
    page.locator(".live-title").filter(has_text=title).wait_for(timeout=TIMEOUT)


def advance(facilitator, title):
    """Next step, then wait until the console shows it (a second click meanwhile would
    re-send the same command id and, rightly, be applied once)."""
    tap(facilitator, "Étape suivante")
    on_step(facilitator, title)


def test_seven_people_run_an_atelier_dentraide(server_url, browser, screenshot, pages_on_failure):
    errors: list[str] = []
    laptop = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    facilitator = laptop.new_page()
    facilitator.set_default_timeout(TIMEOUT)
    pages_on_failure.append(facilitator)
    facilitator.on("dialog", lambda dialog: dialog.accept())
    facilitator.on("console", lambda m: errors.append(f"facilitator: {m.text}") if m.type == "error" else None)

    # The facilitator logs in, fits the agenda and opens the session.
    facilitator.goto(server_url + "/connexion/")
    facilitator.get_by_label("Adresse e-mail").fill("facilitation@demo.entraide.test")
    facilitator.get_by_label("Mot de passe").fill("entraide-demo")
    facilitator.get_by_role("button", name="Se connecter").last.click()
    facilitator.goto(server_url + "/protocoles/atelier-entraide/preparer/?participants=7&start=14%3A00&end=16%3A30")
    facilitator.get_by_label("Titre (facultatif)").fill("Atelier du jeudi")
    tap(facilitator, "Ouvrir la séance")
    code = facilitator.get_by_test_id("join-code").inner_text()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", code)

    # Six participants join from their phones, by code, without an account.
    phones = {}
    for name in NAMES:
        context = browser.new_context(locale="fr-FR", viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
        page = context.new_page()
        page.set_default_timeout(TIMEOUT)
        pages_on_failure.append(page)
        page.on("console", lambda m, n=name: errors.append(f"{n}: {m.text}") if m.type == "error" else None)
        page.goto(server_url + "/rejoindre/")
        page.get_by_label("Code de la séance").fill(code.replace("-", " ").lower())
        page.get_by_label("Votre nom, tel que le groupe le verra").fill(name)
        tap(page, "Rejoindre")
        page.locator(".role-badge").filter(has_text=name).wait_for()
        phones[name] = page
    amina, bruno, chloe, driss, elise, fanny = (phones[n] for n in NAMES)
    facilitator.locator("[data-testid=person]").nth(6).wait_for()
    assert facilitator.locator("[data-testid=person]").count() == 7
    screenshot(facilitator, "console-joined")
    screenshot(amina, "phone-waiting")

    tap(facilitator, "Démarrer la séance")
    on_step(amina, "Accueil des participant·es")
    assert amina.locator(".timer-value").inner_text().startswith(("30:", "29:"))
    advance(facilitator, "Présentation de l'atelier")
    advance(facilitator, "Règles du jeu")

    # Rules of the game, proposed by the participants, visible all along.
    on_step(chloe, "Règles du jeu")
    for page, rule in ((chloe, "Confidentialité : ce qui est dit ici reste ici"), (driss, "Pas de jugement")):
        page.get_by_label("Qu'est-ce qui est important pour vous pour que ça se passe bien ?").fill(rule)
        tap(page, "Proposer")
    facilitator.get_by_text("Pas de jugement").first.wait_for()
    advance(facilitator, "Recherche de problématique")

    # Everyone but the facilitator writes a problem.
    on_step(amina, "Recherche de problématique")
    for name, page in phones.items():
        page.get_by_label("Ma problématique").fill(f"Problématique de {name} : une situation difficile avec une famille")
        tap(page, "Enregistrer ma problématique")
    facilitator.get_by_text("6 problématiques rédigées").wait_for()
    advance(facilitator, "Partage des problématiques")

    # Pitches, 2 minutes each, in turn.
    on_step(facilitator, "Partage des problématiques")
    tap(facilitator, "Donner la parole à la première personne")
    amina.locator("#live").get_by_text("À vous : présentez votre problématique.").wait_for()
    for name in NAMES[1:]:
        tap(facilitator, "Personne suivante")
        facilitator.locator("ol.turn-order li.current").filter(has_text=name).wait_for()
    fanny.locator("#live").get_by_text("À vous : présentez votre problématique.").wait_for()
    advance(facilitator, "Choix de la problématique")

    # The dot vote: 3 votes each, at most 2 on one problem, own problem allowed.
    on_step(amina, "Choix de la problématique")

    def vote(page, ballot):
        for author, count in ballot.items():
            line = page.locator("fieldset.ballot-line").filter(has_text=f"Problématique de {author}")
            line.locator(f"label:has(input[value='{count}'])").click()
        tap(page, "Voter")
        left = 3 - sum(ballot.values())
        # In French, 0 and 1 are singular.
        page.get_by_text(f"{left} vote restant" if left <= 1 else f"{left} votes restants").first.wait_for()

    vote(amina, {"Amina": 2, "Bruno": 1})
    # Bruno votes once, reloads his phone in the middle of the vote, and finds his vote kept.
    vote(bruno, {"Amina": 1})
    bruno.reload()
    on_step(bruno, "Choix de la problématique")
    checked = bruno.locator("fieldset.ballot-line").filter(has_text="Problématique de Amina").locator("input[value='1']")
    assert checked.is_checked()
    assert bruno.get_by_text("2 votes restants").is_visible()
    vote(bruno, {"Amina": 1, "Bruno": 2})
    vote(chloe, {"Bruno": 1, "Chloé": 2})
    vote(driss, {"Amina": 2, "Chloé": 1})
    vote(elise, {"Amina": 1, "Bruno": 1, "Chloé": 1})
    vote(fanny, {"Amina": 2, "Bruno": 1})
    # Over the limit: refused with the rule, nothing changed.
    fanny.locator("fieldset.ballot-line").filter(has_text="Problématique de Driss").locator("label:has(input[value='2'])").click()
    tap(fanny, "Voter")
    fanny.get_by_text("Vous avez 3 votes en tout.").wait_for()
    # Hidden until revealed.
    assert facilitator.locator("ol.results").count() == 0
    facilitator.get_by_text("6 personnes ont voté").first.wait_for()
    tap(facilitator, "Dévoiler les votes")
    amina.locator("ol.results li.chosen").filter(has_text="Problématique de Amina").wait_for()
    screenshot(amina, "phone-vote-results")
    advance(facilitator, "Consentement")

    # Consent: Amina declines; the next problem is proposed to Bruno, who accepts.
    on_step(amina, "Consentement")
    tap(amina, "Non, pas aujourd'hui")
    bruno.get_by_role("button", name="Oui, je suis d'accord").wait_for()
    tap(bruno, "Oui, je suis d'accord")
    bruno.get_by_text("Merci pour la générosité de ce partage.").wait_for()
    bruno.locator(".role-badge").filter(has_text="Offreur·se de situation").wait_for()
    chloe.locator(".role-badge").filter(has_text="Contributeur·rice").wait_for()
    advance(facilitator, "Exposé de la situation")
    on_step(chloe, "Exposé de la situation")
    chloe.get_by_text("Problématique de Bruno").first.wait_for()
    advance(facilitator, "Questions de clarification")

    # Clarification questions, in turns, answered by the offerer.
    on_step(driss, "Questions de clarification")
    for page, question in ((chloe, "Depuis quand cela dure-t-il ?"), (driss, "Qui d'autre est concerné ?"), (chloe, "Avez-vous déjà essayé d'en parler ?")):
        page.get_by_label("Ma question de clarification").fill(question)
        tap(page, "Ajouter ma question")
    questions = facilitator.locator("ol.questions > li")
    questions.nth(2).wait_for()
    # Each contributor asks once before anyone asks twice.
    assert "Qui d'autre" in questions.nth(1).inner_text()
    bruno.get_by_placeholder("Réponse brève et factuelle (facultative)").first.fill("Depuis six mois.")
    tap(bruno, "Répondre")
    chloe.get_by_text("Depuis six mois.").wait_for()
    advance(facilitator, "Reformulation de la demande")

    # Reformulation: shown to everyone, and on the projector.
    on_step(bruno, "Reformulation de la demande")
    bruno.get_by_label("J'aimerais que le groupe m'aide à…").fill("trouver comment renouer le dialogue avec cette famille")
    tap(bruno, "La montrer au groupe")
    elise.get_by_text("trouver comment renouer le dialogue avec cette famille").wait_for()
    projector = laptop.new_page()
    projector.set_default_timeout(TIMEOUT)
    projector.goto(server_url + f"/s/{code.replace('-', '')}/projecteur/")
    projector.get_by_text("trouver comment renouer le dialogue avec cette famille").wait_for()
    assert projector.get_by_text("Pas de jugement").is_visible()
    screenshot(projector, "projector")
    advance(facilitator, "Réflexion individuelle")

    # Private reflection: visible to its author only.
    on_step(chloe, "Réflexion individuelle")
    chloe.get_by_label("Une note pour moi").fill("Rebond : j'ai vécu la même chose avec un voisin")
    tap(chloe, "Garder")
    chloe.locator("ul.notes").get_by_text("Rebond : j'ai vécu la même chose avec un voisin").wait_for()
    assert driss.get_by_text("j'ai vécu la même chose avec un voisin").count() == 0
    assert facilitator.get_by_text("j'ai vécu la même chose avec un voisin").count() == 0
    advance(facilitator, "Échanges entre les contributeur·rices")

    # Exchanges with the fair speaking queue.
    on_step(driss, "Échanges entre les contributeur·rices")
    tap(chloe, "Lever la main")
    chloe.get_by_role("button", name="Baisser la main").wait_for()
    tap(facilitator, "Donner la parole à la personne suivante")
    chloe.locator("#live").get_by_text("Vous avez la parole.").wait_for()
    tap(chloe, "J'ai terminé")
    tap(chloe, "Lever la main")
    chloe.get_by_role("button", name="Baisser la main").wait_for()
    tap(elise, "Lever la main")
    elise.get_by_role("button", name="Baisser la main").wait_for()
    queue = facilitator.locator("ol.queue > li")
    queue.nth(1).wait_for()
    assert queue.nth(0).inner_text() == "Élise" and queue.nth(1).inner_text() == "Chloé"
    assert facilitator.locator("table.airtime").get_by_text("Chloé").is_visible()
    screenshot(facilitator, "console-exchanges")
    advance(facilitator, "Récolte")

    # Harvest and action plan.
    on_step(bruno, "Récolte")
    for idea in ("Proposer une rencontre sur un terrain neutre", "M'appuyer sur une collègue"):
        bruno.get_by_label("Une idée qui m'a parlé (2 ou 3 en tout)").fill(idea)
        tap(bruno, "Garder cette idée")
        bruno.locator("ul.ideas").get_by_text(idea).wait_for()
    advance(facilitator, "Rédaction du plan d'action")
    on_step(bruno, "Rédaction du plan d'action")
    bruno.get_by_label("Une première action que je vais mener").fill("Appeler la famille")
    bruno.get_by_label("Pour quand").fill((date.today() + timedelta(days=7)).isoformat())
    tap(bruno, "Ajouter à mon plan")
    bruno.locator("ul.actions-list").get_by_text("Appeler la famille").wait_for()
    advance(facilitator, "Partage de l'offreur·se")

    # Sharing rounds, timed turn by turn.
    on_step(bruno, "Partage de l'offreur·se")
    tap(facilitator, "Donner la parole à la première personne")
    bruno.locator("#live").get_by_text("À vous de partager.").wait_for()
    advance(facilitator, "Partage des contributeur·rices")
    on_step(chloe, "Partage des contributeur·rices")
    tap(facilitator, "Donner la parole à la première personne")
    for name in NAMES[2:]:
        tap(facilitator, "Personne suivante")
        facilitator.locator("ol.turn-order li.current").filter(has_text=name).wait_for()
    advance(facilitator, "Après la séance : documentation")

    # Documentation: the record is shared only once everyone agrees.
    on_step(bruno, "Après la séance : documentation")
    bruno.get_by_label("Mon compte rendu condensé (notes, idées retenues, plan d'action)").fill("Deux idées retenues et un premier appel prévu.")
    tap(bruno, "Enregistrer le compte rendu")
    for page in [facilitator, *phones.values()]:
        tap(page, "J'accepte le partage des notes")
    fanny.get_by_text("Deux idées retenues et un premier appel prévu.").wait_for()
    screenshot(fanny, "phone-documentation")
    tap(facilitator, "Terminer la séance")
    on_step(driss, "La séance est terminée")
    # Problems that were not chosen stay with their authors only.
    assert driss.get_by_text("Problématique de Driss").count() >= 1
    assert driss.get_by_text("Problématique de Chloé").count() == 0
    screenshot(driss, "phone-ended")
    # Nothing wider than a 360 px phone.
    for page in phones.values():
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert not [e for e in errors if "WebSocket" not in e], errors
    laptop.close()
