"""A brouillon d'atelier in the browser (issue 11, Deliver §4): the member whose turn it is opens
their own live session from "Mon espace", three peers on phones (360 px, French) sit by their
accounts and answer the debrief anonymously, and the member reads the answers in "Mon espace".

The group (four demo members, a session today facilitated in turn by Membre 11, the
brouillon-atelier protocol) is prepared in the server's database with its own shell.
"""

import re

import pytest

pytestmark = pytest.mark.browser

PASSWORD = "entraide-demo"
LEADER = "membre11@demo.entraide.test"
PEERS = ["membre12@demo.entraide.test", "membre13@demo.entraide.test", "membre14@demo.entraide.test"]
WORKED = ["La consigne d'écriture était claire et courte.", "Le temps de partage en fin d'atelier.", "Le choix des textes lus."]
CHANGE = ["Raccourcir la lecture à voix haute.", "Annoncer la durée de chaque temps.", "Plus de temps pour écrire."]

SETUP = """
from datetime import time, timedelta
from entraide.community.domain import groups as g
from entraide.community.domain.sessions import NewSession, create_sessions
from entraide.community.models import GroupSession
from entraide.core.models import Organisation, User
from entraide.core.tenancy import tenant_scope
organisation = Organisation.objects.get(slug="demo")
coordinator = User.objects.get(email="coordination@demo.entraide.test")
with tenant_scope(organisation):
    group = g.create_group(organisation, g.GroupData(name="Brouillons d'ateliers d'écriture", capacity=7), coordinator)
    people = [User.objects.get(email=e) for e in %(emails)r]
    for user in people:
        g.join_group(group, user)
        g.accept_charter(group, user)
    group.memberships.update(joined_on=g.today() - timedelta(days=30))
    (session,) = create_sessions(group, [NewSession(g.today(), time(0, 1), time(23, 59))], coordinator)
    GroupSession.objects.filter(pk=session.pk).update(facilitator=people[0], protocol_key="brouillon-atelier")
    print(session.pk)
"""


def login(page, server_url, email):
    page.goto(server_url + "/connexion/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(server_url + "/")


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_a_brouillon_from_mon_espace_to_the_debrief_read_in_mon_espace(server_url, browser, screenshot, server_manage, pages_on_failure):
    session_id = int(server_manage(SETUP % {"emails": [LEADER, *PEERS]}).strip().splitlines()[-1])
    errors: list[str] = []

    # The member whose turn it is opens their session from Mon espace.
    laptop = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    console = laptop.new_page()
    pages_on_failure.append(console)
    console.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    console.on("dialog", lambda dialog: dialog.accept())
    login(console, server_url, LEADER)
    console.goto(server_url + "/o/demo/mon-espace/")
    screenshot(console, "1-mon-espace-leader")
    console.get_by_test_id(f"run-live-{session_id}").click()
    console.wait_for_url(re.compile(r".*/console/$"))
    console.get_by_role("button", name="Demander des réponses nominatives").wait_for()  # the choice, before the debrief
    screenshot(console, "2-console-open")

    # Three peers on phones, signed in, join from their own Mon espace: a seat by account.
    phones = []
    for email in PEERS:
        context = browser.new_context(locale="fr-FR", viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
        page = context.new_page()
        pages_on_failure.append(page)
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        login(page, server_url, email)
        page.goto(server_url + "/o/demo/mon-espace/")
        page.get_by_test_id(f"join-live-{session_id}").click()
        page.wait_for_url(re.compile(r".*/s/[A-Z0-9]+/$"))
        phones.append(page)
    console.get_by_text("Membre 14").first.wait_for()

    # The leader runs the workshop up to the debrief (anonymous answers, the default).
    console.get_by_role("button", name="Démarrer la séance").click()
    console.locator(".live-title", has_text="Accueil et cadrage").wait_for()
    for title in ("L'atelier à l'essai", "Pause", "Débriefing"):  # each step waited for before the next click
        console.get_by_role("button", name="Étape suivante").click()
        console.locator(".live-title", has_text=title).wait_for()
    console.get_by_test_id("debrief-count").wait_for()
    screenshot(console, "3-console-debrief")

    for index, page in enumerate(phones):
        page.get_by_label("Ce qui a fonctionné").wait_for()
        assert page.get_by_text("Votre réponse est anonyme").is_visible()
        if index == 0:
            # Bad input: an empty answer is refused with a message, nothing sent.
            page.get_by_role("button", name="Envoyer mon retour").click()
            page.get_by_test_id("form-error-answer_debrief").wait_for()
            screenshot(page, "4-phone-refused")
        page.get_by_label("Ce qui a fonctionné").fill(WORKED[index])
        page.get_by_label("Ce qui serait à ajuster").fill(CHANGE[index])
        page.locator("fieldset.rating").first.get_by_label(str(3 + index % 3)).check()
        page.locator("fieldset.rating").nth(2).get_by_label("4").check()
        assert no_sideways_scroll(page)
        if index == 0:
            screenshot(page, "5-phone-debrief")
        page.get_by_role("button", name="Envoyer mon retour").click()
        page.get_by_test_id("debrief-done").wait_for()
    screenshot(phones[0], "6-phone-thanks")
    console.get_by_text("3 pairs ont répondu.").wait_for()
    assert WORKED[0] not in console.content()  # the leader reads them after the session
    console.get_by_role("button", name="Étape suivante").click()
    console.locator(".live-title", has_text="Clôture").wait_for()
    console.get_by_role("button", name="Terminer maintenant").click()
    console.get_by_text("La séance est terminée").first.wait_for()

    # After the session: the leader reads the answers in Mon espace, without names.
    console.goto(server_url + "/o/demo/mon-espace/")
    debrief = console.get_by_test_id("my-debrief")
    debrief.wait_for()
    text = debrief.inner_text()
    assert "3 réponses" in text and "anonyme" in text
    for worked, change in zip(WORKED, CHANGE):
        assert worked in text and change in text
    assert "Membre 12" not in text and "Membre 13" not in text and "Membre 14" not in text
    debrief.scroll_into_view_if_needed()
    screenshot(console, "7-mon-espace-debrief")

    # A peer's Mon espace shows nothing of it; a phone reading its own space fits 360 px.
    phones[0].goto(server_url + "/o/demo/mon-espace/")
    assert WORKED[1] not in phones[0].content()
    assert no_sideways_scroll(phones[0])
    assert not errors, errors
