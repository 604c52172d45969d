"""The public page (no login, no JavaScript) and the coordinators' pages."""

import csv
import html
import io

import pytest
from django.core import mail
from django.urls import reverse

from entraide.events.domain.events import save_event
from entraide.events.domain.registrations import register
from entraide.events.models import Event, Registration

from .conftest import HOST, PARTICIPANT, PRESENTER, QUESTION, event_data, registrations

pytestmark = pytest.mark.integration


def text(response) -> str:
    return html.unescape(response.content.decode())


def public(event):
    return reverse("events:public", kwargs={"org": event.organisation.slug, "slug": event.slug})


def test_public_page_without_login_shows_places_and_registers(client, event, on_commit):
    page = client.get(public(event))
    assert page.status_code == 200
    shown = text(page)
    assert event.title in shown and "Salle communale, Suhr" in shown
    assert "2 places restantes" in shown
    with on_commit():
        response = client.post(public(event), {"role": PRESENTER, "name": "Bruno", "email": "bruno@example.org", "language": "de", "question": QUESTION})
    assert response.status_code == 302
    follow = client.get(response["Location"])
    assert "confirmée" in text(follow)
    [registration] = registrations(event)
    assert (registration.role, registration.language, registration.question) == (PRESENTER, "de", QUESTION)
    assert mail.outbox[0].subject.startswith("Anmeldung bestätigt")


def test_full_role_shows_waiting_list_and_registers_on_it(client, event):
    for i in range(2):
        register(event, PARTICIPANT, f"P{i}", f"p{i}@example.org")
    shown = text(client.get(public(event)))
    assert "complet : liste d'attente" in shown
    response = client.post(public(event), {"role": PARTICIPANT, "name": "Chloé", "email": "chloe@example.org", "language": "fr"}, follow=True)
    assert "numéro 1 sur la liste d'attente" in text(response)


def test_bad_registration_input_shows_a_message_and_saves_nothing(client, event):
    response = client.post(public(event), {"role": PRESENTER, "name": "Bruno", "email": "bruno@example.org", "language": "fr", "question": ""})
    assert response.status_code == 400
    assert "écrivez la courte question" in text(response)
    response = client.post(public(event), {"role": PARTICIPANT, "name": "", "email": "pas-une-adresse", "language": "fr"})
    assert response.status_code == 400
    assert registrations(event) == []


def test_duplicate_email_on_the_page(client, event):
    register(event, PARTICIPANT, "Ana", "ana@example.org")
    response = client.post(public(event), {"role": HOST, "name": "Ana", "email": "ANA@example.org", "language": "fr"})
    assert response.status_code == 400
    assert "déjà inscrite" in text(response)
    assert len(registrations(event)) == 1


def test_unpublished_event_is_404_for_visitors_previewed_by_coordinators(client, builtins, organisation, coordinator):
    draft = save_event(organisation, coordinator, event_data(status=Event.Status.DRAFT), {PARTICIPANT: 3})
    assert client.get(public(draft)).status_code == 404
    assert client.post(public(draft), {"role": PARTICIPANT, "name": "A", "email": "a@example.org", "language": "fr"}).status_code == 404
    client.force_login(coordinator)
    page = client.get(public(draft))
    assert page.status_code == 200 and "Brouillon" in text(page)


def test_event_under_another_organisation_is_404(client, event, other_organisation):
    url = reverse("events:public", kwargs={"org": other_organisation.slug, "slug": event.slug})
    assert client.get(url).status_code == 404


def test_members_only_event_is_hidden_from_strangers(client, builtins, organisation, coordinator, member, other_coordinator):
    event = save_event(organisation, coordinator, event_data(public=False), {PARTICIPANT: 3})
    assert client.get(public(event)).status_code == 404
    client.force_login(other_coordinator)
    assert client.get(public(event)).status_code == 404
    client.force_login(member)
    assert client.get(public(event)).status_code == 200


def test_cancellation_link_cancels_and_promotes(client, builtins, organisation, coordinator, on_commit):
    event = save_event(organisation, coordinator, event_data(), {PARTICIPANT: 1})
    first = register(event, PARTICIPANT, "Ana", "ana@example.org")
    register(event, PARTICIPANT, "Bruno", "bruno@example.org")
    url = reverse("events:cancel", kwargs={"org": organisation.slug, "slug": event.slug, "token": first.cancel_token})
    assert "Ana" in text(client.get(url))
    assert registrations(event)[0].status == Registration.Status.CONFIRMED  # a GET changes nothing
    with on_commit():
        client.post(url)
    ana, bruno = registrations(event)
    assert (ana.status, bruno.status) == ("cancelled", "confirmed")
    assert mail.outbox[-1].to == ["bruno@example.org"]
    bad = reverse("events:cancel", kwargs={"org": organisation.slug, "slug": event.slug, "token": "nope"})
    assert client.get(bad).status_code == 404


def test_ics_download(client, event):
    response = client.get(reverse("events:ics", kwargs={"org": event.organisation.slug, "slug": event.slug}))
    assert response.status_code == 200 and b"BEGIN:VEVENT" in response.content


# --- Coordinators ----------------------------------------------------------------------------


def _form(**changes):
    data = {
        "title": "Atelier pratique en ligne", "slug": "", "description": "", "date": "2031-03-14", "start": "18:00", "end": "21:00",
        "mode": "online", "place": "", "region": "", "languages": ["fr", "en"], "capacity_host": "2",
        "capacity_presenter": "3", "capacity_participant": "10", "status": "published", "public": "on",
    }
    data.update(changes)
    return data


def test_coordinator_creates_and_edits_an_event_in_the_browser(client, builtins, organisation, coordinator):
    client.force_login(coordinator)
    assert client.get(reverse("events:create", kwargs={"org": organisation.slug})).status_code == 200
    response = client.post(reverse("events:create", kwargs={"org": organisation.slug}), _form())
    assert response.status_code == 302
    detail = client.get(response["Location"])
    assert "Atelier pratique en ligne" in text(detail)
    from entraide.core.tenancy import tenant_scope

    with tenant_scope(organisation):
        event = Event.objects.get()
    register(event, PARTICIPANT, "Ana", "ana@example.org")
    register(event, PARTICIPANT, "Bruno", "bruno@example.org")
    edit = reverse("events:edit", kwargs={"org": organisation.slug, "slug": event.slug})
    refused = client.post(edit, _form(title="Autre titre", capacity_participant="1"))
    assert refused.status_code == 400
    assert "ne peuvent pas descendre" in text(refused)
    with tenant_scope(organisation):
        assert Event.objects.get().title == "Atelier pratique en ligne"
    ok = client.post(edit, _form(title="Autre titre", capacity_participant="4"))
    assert ok.status_code == 302


def test_event_form_bad_input(client, builtins, organisation, coordinator):
    client.force_login(coordinator)
    response = client.post(reverse("events:create", kwargs={"org": organisation.slug}), _form(mode="on_site", place=""))
    assert response.status_code == 400
    assert "lieu" in text(response)
    response = client.post(reverse("events:create", kwargs={"org": organisation.slug}), _form(date="pas une date"))
    assert response.status_code == 400
    from entraide.core.tenancy import tenant_scope

    with tenant_scope(organisation):
        assert not Event.objects.exists()


def test_registrations_page_and_csv_never_show_the_question(client, event, coordinator):
    register(event, PRESENTER, "Bruno", "bruno@example.org", question=QUESTION)
    for i in range(3):
        register(event, PARTICIPANT, f"=Personne {i}", f"p{i}@example.org")
    client.force_login(coordinator)
    detail = text(client.get(reverse("events:detail", kwargs={"org": event.organisation.slug, "slug": event.slug})))
    assert "Bruno" in detail and "Liste d'attente" in detail
    assert QUESTION not in detail
    export = client.get(reverse("events:csv", kwargs={"org": event.organisation.slug, "slug": event.slug}))
    exported = export.content.decode("utf-8-sig")
    assert QUESTION not in exported
    rows = list(csv.reader(io.StringIO(exported)))
    assert len(rows) == 5
    assert rows[1][0].startswith("'=") or any(r[0].startswith("'=") for r in rows[1:])


def test_questions_page_is_for_facilitators_only(client, event, coordinator, facilitator, member):
    register(event, PRESENTER, "Bruno", "bruno@example.org", question=QUESTION)
    url = reverse("events:questions", kwargs={"org": event.organisation.slug, "slug": event.slug})
    client.force_login(facilitator)
    assert QUESTION in text(client.get(url))
    for user in (coordinator, member):
        client.force_login(user)
        assert client.get(url).status_code == 403


@pytest.mark.parametrize("name", ["list", "create"])
def test_coordinator_pages_refuse_others(client, event, facilitator, member, other_coordinator, name):
    url = reverse(f"events:{name}", kwargs={"org": event.organisation.slug})
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(member)
    assert client.get(url).status_code == 403
    client.force_login(other_coordinator)
    assert client.get(url).status_code == 404
    client.force_login(facilitator)
    assert client.get(url).status_code == (200 if name == "list" else 403)


def test_facilitators_find_the_questions_from_the_events_list(client, event, facilitator, coordinator):
    url = reverse("events:list", kwargs={"org": event.organisation.slug})
    questions = reverse("events:questions", kwargs={"org": event.organisation.slug, "slug": event.slug})
    client.force_login(facilitator)
    listing = text(client.get(url))
    assert questions in listing and "Nouvel événement" not in listing
    client.force_login(coordinator)
    listing = text(client.get(url))
    assert questions not in listing and "Nouvel événement" in listing


def test_coordinator_cancels_a_registration_and_the_waiting_person_is_confirmed(client, builtins, organisation, coordinator, on_commit):
    event = save_event(organisation, coordinator, event_data(), {PARTICIPANT: 1})
    first = register(event, PARTICIPANT, "Ana", "ana@example.org")
    register(event, PARTICIPANT, "Bruno", "bruno@example.org")
    client.force_login(coordinator)
    url = reverse("events:registration-cancel", kwargs={"org": organisation.slug, "slug": event.slug, "pk": first.registration.pk})
    with on_commit():
        response = client.post(url, follow=True)
    assert "Bruno" in text(response)
    assert [r.status for r in registrations(event)] == ["cancelled", "confirmed"]
    assert mail.outbox[-1].to == ["bruno@example.org"]


def test_event_list_queries_do_not_grow_with_events(client, builtins, organisation, coordinator, django_assert_max_num_queries):
    client.force_login(coordinator)
    url = reverse("events:list", kwargs={"org": organisation.slug})
    save_event(organisation, coordinator, event_data(title="Un"), {PARTICIPANT: 1})
    client.get(url)
    with django_assert_max_num_queries(8) as one:
        client.get(url)
    for title in ("Deux", "Trois", "Quatre"):
        save_event(organisation, coordinator, event_data(title=title), {PARTICIPANT: 1})
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(url)
