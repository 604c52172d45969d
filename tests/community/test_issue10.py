"""Issue 10 in the community: single-line names refused with their message, create forms that
create once, plurals, members seeing the network's events."""

from datetime import time, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from entraide.community.domain import CommunityError
from entraide.community.domain import groups as group_domain
from entraide.community.domain import members as member_domain
from entraide.community.domain.mail import send_invitation
from entraide.community.domain.sessions import NewSession, create_sessions, record_attendance
from entraide.community.models import Attendance, Group, GroupSession, Invitation, MemberProfile
from entraide.core.models import Role, User
from entraide.core.tenancy import all_tenants, tenant_scope
from entraide.events.domain.events import EventData, save_event
from entraide.events.models import Event, EventRoleKind

from ..conftest import PASSWORD
from .conftest import backdate

pytestmark = pytest.mark.django_db

ONE_LINE_FR = "Ce champ doit tenir sur une seule ligne"
CRAFTED = ["Groupe\nBcc: x@example.org", "Groupe\r", "Groupe\tA", "Groupe\x00", "Groupe\x1b[31m", "Groupe\u2028A", "Groupe\x85"]


# --- Control characters ---------------------------------------------------------------------


@pytest.mark.parametrize("name", CRAFTED)
def test_a_group_name_with_a_control_character_is_refused_and_nothing_saved(organisation, coordinator, name):
    with pytest.raises(CommunityError, match=ONE_LINE_FR):
        group_domain.create_group(organisation, group_domain.GroupData(name=name), coordinator)
    with pytest.raises(CommunityError, match=ONE_LINE_FR):
        group_domain.create_group(organisation, group_domain.GroupData(name="Groupe", location=name), coordinator)
    with tenant_scope(organisation):
        assert not Group.objects.exists()


def test_renaming_a_group_with_a_line_break_changes_nothing(group, coordinator):
    with pytest.raises(CommunityError, match=ONE_LINE_FR):
        group_domain.update_group(group, group_domain.GroupData(name="Analyse\ndes pratiques"), coordinator)
    with tenant_scope(group.organisation):
        assert Group.objects.get(pk=group.pk).name == "Analyse des pratiques"


def test_a_session_place_with_a_control_character_creates_no_session(group, coordinator):
    day = group_domain.today() + timedelta(days=3)
    with pytest.raises(CommunityError, match=ONE_LINE_FR):
        create_sessions(group, [NewSession(day, time(9), time(12))], coordinator, place="Salle 3\nLocation: ailleurs")
    with tenant_scope(group.organisation):
        assert not GroupSession.objects.exists()


@pytest.mark.parametrize("field", ["display_name", "profession", "structure", "languages"])
def test_a_profile_field_with_a_control_character_changes_nothing(organisation, member, field):
    values = {"profession": "Éducatrice", "structure": "Foyer", "languages": "français", "display_name": "Membre"}
    values[field] = "Texte\x07cloche"
    with pytest.raises(CommunityError, match=ONE_LINE_FR):
        member_domain.update_profile(organisation, member, values["profession"], values["structure"], values["languages"], display_name=values["display_name"])
    member.refresh_from_db()
    assert member.display_name == "Membre"
    with tenant_scope(organisation):
        assert not MemberProfile.objects.filter(user=member).exists()


def test_the_profile_form_says_it_too(client, organisation, member):
    client.force_login(member)
    response = client.post(
        reverse("web:community-me-profile", kwargs={"org": organisation.slug}),
        {"display_name": "Zoé\x0bBcc", "profession": "", "structure": "", "languages": ""},
        follow=True,
    )
    assert ONE_LINE_FR in response.content.decode()
    member.refresh_from_db()
    assert member.display_name == "Membre"


def test_accepting_an_invitation_with_a_name_on_two_lines_creates_no_account(organisation, coordinator):
    new = member_domain.invite(organisation, "nouvelle@example.org", Role.MEMBER, coordinator)
    with pytest.raises(CommunityError, match=ONE_LINE_FR):
        member_domain.accept_invitation(new.token, display_name="Zoé\nBcc: x", password=PASSWORD)
    assert not User.objects.filter(email="nouvelle@example.org").exists()


def test_the_group_form_shows_the_message_and_creates_nothing(client, builtins, organisation, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("web:community-group-create", kwargs={"org": organisation.slug}),
        {"name": "Groupe\nA", "protocol_key": "analyse-des-pratiques", "capacity": 12, "time_zone": "Europe/Paris"},
    )
    assert response.status_code == 400
    assert ONE_LINE_FR in response.content.decode()
    with tenant_scope(organisation):
        assert not Group.objects.exists()


# --- Double submission ----------------------------------------------------------------------


def test_inviting_the_same_address_twice_renews_one_invitation_and_kills_the_first_link(organisation, coordinator, group):
    first = member_domain.invite(organisation, "Nouvelle@Example.org", Role.MEMBER, coordinator)
    send_invitation(first.invitation, first.token, base_url="http://testserver")
    second = member_domain.invite(organisation, "nouvelle@example.org ", Role.FACILITATOR, coordinator, group=group)
    send_invitation(second.invitation, second.token, base_url="http://testserver")
    assert (first.resent, second.resent) == (False, True)
    with tenant_scope(organisation):
        [only] = Invitation.objects.filter(email="nouvelle@example.org")
    assert (only.role, only.group_id) == (Role.FACILITATOR, group.pk)
    assert member_domain.invitation_for_token(first.token) is None  # the earlier link no longer works
    with pytest.raises(CommunityError):
        member_domain.check_usable(member_domain.invitation_for_token(first.token))
    assert member_domain.check_usable(member_domain.invitation_for_token(second.token)) == only
    assert len(mail.outbox) == 2 and second.token in mail.outbox[-1].body and first.token not in mail.outbox[-1].body


def test_posting_the_invite_form_twice_leaves_one_valid_link(client, organisation, coordinator):
    client.force_login(coordinator)
    url = reverse("web:community-members", kwargs={"org": organisation.slug})
    data = {"email": "double@example.org", "role": Role.MEMBER, "group": "", "language": "fr"}
    client.post(url, data)
    response = client.post(url, data, follow=True)
    assert "a été renvoyée" in response.content.decode()
    with tenant_scope(organisation):
        assert Invitation.objects.filter(email="double@example.org").count() == 1
    links = [line for message in mail.outbox for line in message.body.splitlines() if "/invitation/" in line]
    assert len(links) == 2
    tokens = [link.rstrip("/").rsplit("/", 1)[-1] for link in links]
    assert member_domain.invitation_for_token(tokens[0]) is None
    assert member_domain.invitation_for_token(tokens[1]) is not None


def test_an_accepted_invitation_is_not_renewed(organisation, coordinator, group):
    first = member_domain.invite(organisation, "nouvelle@example.org", Role.MEMBER, coordinator)
    member_domain.accept_invitation(first.token, display_name="Nouvelle", password=PASSWORD)
    again = member_domain.invite(organisation, "nouvelle@example.org", Role.MEMBER, coordinator, group=group)
    assert not again.resent
    with all_tenants():
        assert Invitation.objects.filter(email="nouvelle@example.org").count() == 2


def test_posting_the_group_form_twice_creates_one_group(client, builtins, organisation, coordinator):
    client.force_login(coordinator)
    url = reverse("web:community-group-create", kwargs={"org": organisation.slug})
    data = {"name": "Supervision", "protocol_key": "analyse-des-pratiques", "capacity": 12, "time_zone": "Europe/Paris"}
    assert client.post(url, data).status_code == 302
    response = client.post(url, data)
    assert response.status_code == 400
    assert "a déjà un groupe nommé « Supervision »" in response.content.decode()
    with tenant_scope(organisation):
        assert Group.objects.filter(name="Supervision").count() == 1


def test_a_group_cannot_be_renamed_to_another_groups_name(organisation, coordinator, group):
    other = group_domain.create_group(organisation, group_domain.GroupData(name="Supervision"), coordinator)
    with pytest.raises(CommunityError, match="déjà un groupe"):
        group_domain.update_group(other, group_domain.GroupData(name="analyse des pratiques"), coordinator)


def test_creating_the_same_sessions_twice_creates_them_once(group, coordinator):
    day = group_domain.today() + timedelta(days=3)
    create_sessions(group, [NewSession(day, time(9), time(12))], coordinator)
    with pytest.raises(CommunityError, match="Rien n'a été créé|Nothing was created|chevauchent"):
        create_sessions(group, [NewSession(day, time(9), time(12))], coordinator)
    with tenant_scope(group.organisation):
        assert GroupSession.objects.filter(group=group).count() == 1


# --- Plurals --------------------------------------------------------------------------------


def test_counts_are_said_with_their_plural(client, organisation, group, sessions, coordinator, make_member):
    person = make_member(1)
    group_domain.join_group(group, person)
    backdate(group, person)
    group_domain.accept_charter(group, person)
    past = [s for s in sessions if s.date < group_domain.today()]
    record_attendance(past[0], {person: Attendance.Status.PRESENT}, coordinator)
    record_attendance(past[1], {person: Attendance.Status.ABSENT}, coordinator)
    client.force_login(coordinator)
    html = client.get(reverse("web:community-group", kwargs={"org": organisation.slug, "group": group.pk})).content.decode()
    assert "1 / 15 membres" in html
    assert "<strong>1</strong> présent·e" in html and "<strong>0</strong> excusé·e" in html and "<strong>1</strong> absent·e" in html
    client.force_login(person)
    html = client.get(reverse("web:community-me", kwargs={"org": organisation.slug})).content.decode()
    assert "Mon engagement : 1 présence, 0 absence excusée, 1 absence (50 % de présence)" in " ".join(html.split())
    group_domain.set_capacity(group, 1, coordinator)
    client.force_login(coordinator)
    html = client.get(reverse("web:community-group", kwargs={"org": organisation.slug, "group": group.pk})).content.decode()
    assert "1 / 1 membre" in html and "1 / 1 membres" not in html


# --- The network's events in My space -------------------------------------------------------


def test_members_see_the_coming_events_in_my_space_and_the_menu(client, builtins, organisation, coordinator, member):
    today = timezone.localdate()
    def data(title, **changes):
        values = dict(title=title, date=today + timedelta(days=10), start=time(14), end=time(17), place="Suhr", languages=("fr",), status=Event.Status.PUBLISHED)
        values.update(changes)
        return EventData(**values)
    save_event(organisation, coordinator, data("Atelier ouvert à tous"), {EventRoleKind.PARTICIPANT: 5})
    save_event(organisation, coordinator, data("Atelier des membres", public=False), {EventRoleKind.PARTICIPANT: 1})
    save_event(organisation, coordinator, data("Brouillon", status=Event.Status.DRAFT), {EventRoleKind.PARTICIPANT: 5})
    client.force_login(member)
    html = client.get(reverse("web:community-me", kwargs={"org": organisation.slug})).content.decode()
    assert "Événements du réseau" in html
    assert "Atelier ouvert à tous" in html and "Atelier des membres" in html and "Brouillon" not in html
    assert "5 places restantes" in html and "1 place restante" in html
    assert reverse("events:upcoming", kwargs={"org": organisation.slug}) in html  # the menu
    assert "/evenements/reseau/atelier-des-membres/#registration" in html


def test_the_reminder_command_says_its_count_with_its_plural(group, coordinator, make_member):
    from io import StringIO

    from django.core.management import call_command

    person = make_member(1)
    group_domain.join_group(group, person)
    create_sessions(group, [NewSession(group_domain.today() + timedelta(days=2), time(9), time(12))], coordinator)
    backdate(group, person)
    out = StringIO()
    call_command("send_reminders", "--dry-run", stdout=out)
    assert "1 reminder to send." in out.getvalue()
    call_command("send_reminders", stdout=out)
    call_command("send_reminders", stdout=out)
    assert "1 reminder sent." in out.getvalue() and "0 reminders sent." in out.getvalue()
