"""Issue 10 in events: single-line fields, create forms that create once, capitalisation of
translated labels, plurals, and members seeing their network's events."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from entraide.core.tenancy import tenant_scope
from entraide.events.domain.errors import EventError
from entraide.events.domain.events import save_event, upcoming_for_member
from entraide.events.domain.registrations import register
from entraide.events.models import Event, Registration

from .conftest import HOST, PARTICIPANT, PRESENTER, event_data, registrations, sign_up

pytestmark = pytest.mark.django_db

ONE_LINE_FR = "Ce champ doit tenir sur une seule ligne"


@pytest.mark.parametrize("field", ["title", "place", "region"])
def test_an_event_field_with_a_line_break_is_refused_and_nothing_saved(builtins, organisation, coordinator, field):
    with pytest.raises(EventError, match=ONE_LINE_FR) as refused:
        save_event(organisation, coordinator, event_data(**{field: "Atelier\r\nBcc: victime@example.org"}), {PARTICIPANT: 3})
    assert refused.value.field == field
    with tenant_scope(organisation):
        assert not Event.objects.exists()


def test_editing_an_event_title_with_a_control_character_changes_nothing(event, organisation, coordinator):
    with pytest.raises(EventError, match=ONE_LINE_FR):
        save_event(organisation, coordinator, event_data(title="Atelier\x00"), {PARTICIPANT: 3}, event=event)
    with tenant_scope(organisation):
        assert Event.objects.get(pk=event.pk).title == "Atelier pratique de printemps"


def test_a_registrant_name_on_two_lines_is_refused_before_any_mail(event):
    with pytest.raises(EventError, match=ONE_LINE_FR) as refused:
        register(event, PARTICIPANT, "Zoé\nBcc: x@example.org", "zoe@example.org")
    assert refused.value.field == "name"
    assert registrations(event) == [] and mail.outbox == []


def test_the_event_form_says_it_too(client, builtins, organisation, coordinator):
    client.force_login(coordinator)
    data = {
        "title": "Atelier\nde printemps", "date": (event_data().date).isoformat(), "start": "14:00", "end": "17:00",
        "mode": "on_site", "place": "Suhr", "region": "", "languages": ["fr"], "capacity_host": 1,
        "capacity_presenter": 1, "capacity_participant": 3, "status": "published", "public": "on",
    }
    response = client.post(reverse("events:create", kwargs={"org": organisation.slug}), data)
    assert ONE_LINE_FR in response.content.decode()
    with tenant_scope(organisation):
        assert not Event.objects.exists()


def test_the_registration_form_says_it_too(client, event):
    response = client.post(event.public_url(), {"role": PARTICIPANT, "name": "Zoé\x1b", "email": "zoe@example.org", "language": "fr"})
    assert response.status_code == 400
    assert ONE_LINE_FR in response.content.decode()
    assert registrations(event) == []


# --- Double submission ----------------------------------------------------------------------


def test_posting_the_event_form_twice_creates_one_event(client, builtins, organisation, coordinator):
    client.force_login(coordinator)
    data = {
        "title": "Atelier de printemps", "date": event_data().date.isoformat(), "start": "14:00", "end": "17:00",
        "mode": "on_site", "place": "Suhr", "region": "", "languages": ["fr"], "capacity_host": 1,
        "capacity_presenter": 1, "capacity_participant": 3, "status": "published", "public": "on",
    }
    url = reverse("events:create", kwargs={"org": organisation.slug})
    assert client.post(url, data).status_code == 302
    response = client.post(url, data)
    assert "a déjà un événement de ce titre à cette date et à cette heure" in response.content.decode()
    with tenant_scope(organisation):
        assert Event.objects.count() == 1


def test_registering_twice_with_the_same_address_registers_once_and_mails_once(event, on_commit):
    with on_commit():
        register(event, PARTICIPANT, "Zoé", "zoe@example.org")
    with pytest.raises(EventError, match="déjà inscrite"), on_commit():
        register(event, HOST, "Zoé", " ZOE@example.org")
    assert len(registrations(event)) == 1 and len(mail.outbox) == 1


def test_posting_the_registration_form_twice_registers_once(client, event):
    data = {"role": PARTICIPANT, "name": "Zoé", "email": "zoe@example.org", "language": "fr"}
    assert client.post(event.public_url(), data).status_code == 302
    response = client.post(event.public_url(), data)
    assert response.status_code == 400
    assert len(registrations(event)) == 1


# --- Capitalisation and plurals ----------------------------------------------------------


def test_german_role_labels_keep_their_capitals(client, event):
    with translation.override("de"):
        response = client.get(event.public_url(), HTTP_ACCEPT_LANGUAGE="de")
        html = response.content.decode()
    assert "Gastgeber*in eines Tisches — " in html  # the choice label keeps the noun's capital
    assert "eines tisches" not in html


def test_places_left_are_said_with_their_plural(client, event):
    sign_up(event, PARTICIPANT, 1)
    html = client.get(event.public_url()).content.decode()
    assert "1 place restante" in html and "2 places restantes" in html and "1 places" not in html


def test_the_refusal_below_confirmed_places_says_one_person_in_the_singular(event, organisation, coordinator):
    sign_up(event, HOST, 1)
    with pytest.raises(EventError) as refused:
        save_event(organisation, coordinator, event_data(), {HOST: 0, PRESENTER: 2, PARTICIPANT: 2}, event=event)
    assert "1 personne est déjà confirmée" in refused.value.message
    assert refused.value.message.startswith("Hôte·sse d'une table")


# --- Members see their network's events ------------------------------------------------------


def test_members_see_public_and_members_only_events_with_their_registration(builtins, organisation, coordinator, member, other_coordinator):
    open_event = save_event(organisation, coordinator, event_data(title="Ouvert"), {PARTICIPANT: 3})
    inner = save_event(organisation, coordinator, event_data(title="Entre membres", public=False), {PARTICIPANT: 1})
    save_event(organisation, coordinator, event_data(title="Brouillon", status=Event.Status.DRAFT), {PARTICIPANT: 3})
    save_event(organisation, coordinator, event_data(title="Passé", date=event_data().date - timedelta(days=60), status=Event.Status.DRAFT), {PARTICIPANT: 3})
    register(inner, PARTICIPANT, member.display_name, member.email.upper())
    rows = {row.event.title: row for row in upcoming_for_member(organisation, member)}
    assert set(rows) == {"Ouvert", "Entre membres"}
    assert rows["Ouvert"].can_register and rows["Ouvert"].remaining == 3 and rows["Ouvert"].registration is None
    assert not rows["Entre membres"].can_register and rows["Entre membres"].registration.status == Registration.Status.CONFIRMED
    assert rows["Entre membres"].remaining == 0
    with pytest.raises(Exception):
        upcoming_for_member(organisation, other_coordinator)
    assert open_event.pk


def test_the_members_events_page_and_registration_prefilled(client, builtins, organisation, coordinator, member, django_assert_max_num_queries):
    inner = save_event(organisation, coordinator, event_data(title="Entre membres", public=False), {PARTICIPANT: 2})
    client.force_login(member)
    url = reverse("events:upcoming", kwargs={"org": organisation.slug})
    html = client.get(url).content.decode()
    assert "Entre membres" in html and "réservé aux membres" in html and "2 places restantes" in html
    page = client.get(inner.public_url()).content.decode()
    assert f'value="{member.email}"' in page and f'value="{member.display_name}"' in page
    response = client.post(inner.public_url(), {"role": PARTICIPANT, "name": member.display_name, "email": member.email, "language": "fr"})
    assert response.status_code == 302
    html = client.get(url).content.decode()
    assert "vous êtes inscrit·e" in html
    [registration] = registrations(inner)
    assert registration.user_id == member.pk


def test_the_organisation_page_leads_members_to_the_events(client, organisation, member):
    client.force_login(member)
    html = client.get(reverse("web:organisation", kwargs={"org": organisation.slug})).content.decode()
    assert reverse("events:upcoming", kwargs={"org": organisation.slug}) in html and "Événements du réseau" in html


def test_strangers_do_not_see_the_members_events_page(client, organisation, other_coordinator):
    client.force_login(other_coordinator)
    assert client.get(reverse("events:upcoming", kwargs={"org": organisation.slug})).status_code == 404


def test_the_members_events_query_count_does_not_grow_with_events(builtins, organisation, coordinator, member, django_assert_num_queries):
    for number in range(3):
        save_event(organisation, coordinator, event_data(title=f"Atelier {number}"), {PARTICIPANT: 3})
    with django_assert_num_queries(4):  # membership check, then events, places, registrations
        upcoming_for_member(organisation, member)
