"""A coordinator sets up a year of practice-analysis sessions for a group of fifteen, entirely
in the browser; a member invited by email accepts, accepts the charter and registers.

The invitation link is read where a person would read it: in the email, which the server sends
to its console (the default EMAIL_URL), i.e. the server's log file written by the
``server_url`` fixture (``<pytest base temp>/server*/server.log``).
"""

import re
import time
from datetime import date, timedelta
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

PASSWORD = "entraide-demo"


def school_year_window(today: date) -> tuple[date, date]:
    """From next week to the start of the summer holidays (covered by the holiday data)."""
    end = date(today.year + 1 if today.month >= 7 else today.year, 7, 3)
    return today + timedelta(days=7), end


def invitation_link(tmp_path_factory, email: str, server_url: str) -> str:
    logs = sorted(Path(tmp_path_factory.getbasetemp()).glob("server*/server.log"))
    assert logs, "the server log was not found"
    pattern = re.compile(re.escape(server_url) + r"/invitation/[A-Za-z0-9_-]+/")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        text = logs[-1].read_text(errors="replace")
        position = text.rfind(f"To: {email}")
        if position >= 0:
            match = pattern.search(text, position)
            if match:
                return match.group(0)
        time.sleep(0.2)
    raise AssertionError("no invitation email for " + email)


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_coordinator_plans_a_year_and_a_member_joins(server_url, browser, screenshot, tmp_path_factory):
    first, last = school_year_window(date.today())
    coordinator = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = coordinator.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)

    page.goto(server_url + "/connexion/")
    page.get_by_label("Adresse e-mail").fill("coordination@demo.entraide.test")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(server_url + "/")
    page.goto(server_url + "/o/demo/")
    page.get_by_role("link", name="Groupes", exact=True).first.click()
    page.wait_for_url("**/o/demo/groupes/")
    screenshot(page, "groups")
    page.get_by_role("link", name="Créer un groupe").click()
    page.get_by_label("Nom du groupe").fill("Analyse des pratiques — Vienne")
    assert page.get_by_label("Capacité (membres)").input_value() == "15"
    page.get_by_label("Lieu habituel").fill("Poitiers, maison des solidarités")
    screenshot(page, "group-form")
    page.get_by_role("button", name="Créer le groupe").click()
    page.wait_for_url(re.compile(r".*/o/demo/groupes/\d+/$"))
    group_url = page.url
    assert "0 / 15 membres" in page.locator(".meta").first.inner_text()

    # Plan the year: five half-days, outside the school holidays of zone A.
    page.get_by_role("link", name="Planifier l'année").first.click()
    page.locator("#id_first").fill(first.isoformat())
    page.locator("#id_last").fill(last.isoformat())
    page.get_by_label("Nombre de séances").fill("5")
    page.get_by_label("Durée de chaque séance").select_option("half-day")
    page.get_by_label("Vacances scolaires (France)").select_option("A")
    page.get_by_role("button", name="Proposer des dates").click()
    proposal = page.locator("ol.proposal > li")
    proposal.first.wait_for()
    assert proposal.count() == 5
    assert "zone A" in page.locator("ol.proposal").inner_text()
    screenshot(page, "plan-proposal")
    page.get_by_label("Lieu des séances").fill("Poitiers, salle 2")
    page.get_by_role("button", name="Créer ces séances").click()
    page.wait_for_url(group_url)
    assert "5 séances ont été créées" in page.locator(".messages").inner_text()
    assert page.locator("table.sessions tbody tr").count() == 5
    screenshot(page, "group-with-sessions")

    # Invite a member by email.
    page.get_by_role("link", name="Inviter des membres").click()
    page.get_by_label("Adresse e-mail").fill("alex.martin@example.org")
    # The group comes preselected from its page; here the member will register by themself.
    assert page.get_by_label("Inviter dans le groupe (facultatif)").input_value() != ""
    page.get_by_label("Inviter dans le groupe (facultatif)").select_option("")
    page.get_by_role("button", name="Envoyer l'invitation").click()
    assert "L'invitation a été envoyée à alex.martin@example.org" in page.locator(".messages").inner_text()
    screenshot(page, "members")
    link = invitation_link(tmp_path_factory, "alex.martin@example.org", server_url)
    coordinator.close()

    # The member, on a phone: accepts, accepts the charter, registers, sees the next session.
    member = browser.new_context(locale="fr-FR", viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True, has_touch=True)
    phone = member.new_page()
    phone.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    phone.goto(link)
    assert "Vous êtes invité·e à rejoindre" in phone.locator("main").inner_text()
    phone.get_by_label("Votre nom, tel que les autres le verront").fill("Alex Martin")
    phone.get_by_label("Choisissez un mot de passe").fill("une phrase de passe solide")
    phone.get_by_label("Le mot de passe, une seconde fois").fill("une phrase de passe solide")
    screenshot(phone, "phone-invitation")
    phone.get_by_role("button", name="Accepter l'invitation").click()
    phone.wait_for_url("**/o/demo/mon-espace/")
    assert "Bienvenue" in phone.locator(".messages").inner_text()
    phone.goto(group_url)
    phone.get_by_role("link", name="Lire et accepter la charte").click()
    for box in phone.get_by_role("checkbox").all():
        box.check()
    screenshot(phone, "phone-charter")
    phone.get_by_role("button", name="J'accepte la charte").click()
    phone.wait_for_url(group_url)
    phone.get_by_role("button", name="M'inscrire dans le groupe").click()
    phone.wait_for_url(group_url)
    place = phone.locator(".my-place").inner_text()
    assert "Vous êtes membre" in place and "Votre prochaine séance" in place
    assert "Vous avez accepté la charte du groupe" in place
    assert no_sideways_scroll(phone)
    screenshot(phone, "phone-group")
    phone.get_by_role("link", name="Mon espace").first.click()
    upcoming = phone.locator(".session-list > li")
    assert upcoming.count() == 5
    assert "Analyse des pratiques — Vienne" in upcoming.first.inner_text()
    assert no_sideways_scroll(phone)
    screenshot(phone, "phone-my-space")
    assert not errors, errors
    member.close()


def test_the_demo_group_of_fifteen_on_a_phone(server_url, browser, screenshot):
    """The coordinator's pages of the demo group (15 members, a year planned) fit a 360 px phone."""
    context = browser.new_context(locale="fr-FR", viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(server_url + "/connexion/")
    page.get_by_label("Adresse e-mail").fill("coordination@demo.entraide.test")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(server_url + "/")
    page.goto(server_url + "/o/demo/groupes/")
    page.get_by_role("link", name="Analyse des pratiques — action collective").click()
    assert "15 / 15 membres" in page.locator(".meta").first.inner_text()
    assert page.locator("table.members tbody tr").count() == 15
    assert page.locator("table.sessions tbody tr").count() == 5
    assert no_sideways_scroll(page)
    screenshot(page, "phone-demo-group")
    page.get_by_role("link", name="Présences").first.click()
    page.wait_for_url("**/presences/")
    assert page.locator("table.attendance tbody tr").count() == 15
    assert no_sideways_scroll(page)
    screenshot(page, "phone-attendance")
    context.close()
