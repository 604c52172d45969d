"""Invitations, emails in the recipient's language without content, reminders, iCalendar feeds."""

from datetime import time, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from entraide.community.domain import CommunityError
from entraide.community.domain import calendars
from entraide.community.domain import groups as group_domain
from entraide.community.domain import members as member_domain
from entraide.community.domain.mail import send_invitation, send_reminders
from entraide.community.domain.sessions import NewSession, create_sessions
from entraide.community.models import GroupMembership, Invitation, MemberProfile, SentReminder
from entraide.core import access
from entraide.core.models import Role, User
from entraide.core.tenancy import all_tenants, tenant_scope

from ..conftest import PASSWORD

pytestmark = pytest.mark.integration

NEW_PASSWORD = "une phrase de passe solide"


def invite(organisation, coordinator, email="nouvelle@example.org", **kwargs):
    new = member_domain.invite(organisation, email, kwargs.pop("role", Role.MEMBER), coordinator, **kwargs)
    send_invitation(new.invitation, new.token, base_url="http://testserver")
    return new


def test_an_invitation_creates_the_account_with_its_role_and_joins_the_group(organisation, group, coordinator):
    new = invite(organisation, coordinator, group=group)
    with all_tenants():
        stored = Invitation.objects.get()
    assert stored.token_hash != new.token and new.token not in stored.token_hash  # only the hash is kept
    account = member_domain.accept_invitation(new.token, display_name="Nouvelle Personne", password=NEW_PASSWORD)
    assert account.check_password(NEW_PASSWORD) and account.display_name == "Nouvelle Personne"
    assert access.role_in(account, organisation) == Role.MEMBER
    with tenant_scope(organisation):
        assert GroupMembership.objects.filter(group=group, user=account, left_on__isnull=True).exists()
        assert MemberProfile.objects.filter(user=account).exists()


def test_used_expired_and_unknown_invitations_are_refused(organisation, coordinator):
    new = invite(organisation, coordinator)
    member_domain.accept_invitation(new.token, display_name="Une", password=NEW_PASSWORD)
    with pytest.raises(CommunityError, match="déjà été utilisée"):
        member_domain.accept_invitation(new.token, display_name="Deux", password=NEW_PASSWORD)
    expired = invite(organisation, coordinator, email="tard@example.org")
    with all_tenants():
        Invitation.objects.filter(pk=expired.invitation.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(CommunityError, match="expiré"):
        member_domain.accept_invitation(expired.token, display_name="Tard", password=NEW_PASSWORD)
    with pytest.raises(CommunityError, match="pas valide"):
        member_domain.accept_invitation("nope", display_name="X", password=NEW_PASSWORD)
    assert not User.objects.filter(email="tard@example.org").exists()


def test_accepting_with_a_weak_password_or_no_name_changes_nothing(organisation, coordinator):
    new = invite(organisation, coordinator)
    with pytest.raises(CommunityError):
        member_domain.accept_invitation(new.token, display_name="Personne", password="123")
    with pytest.raises(CommunityError):
        member_domain.accept_invitation(new.token, display_name="   ", password=NEW_PASSWORD)
    assert not User.objects.filter(email="nouvelle@example.org").exists()
    with all_tenants():
        assert Invitation.objects.get().accepted_at is None


def test_bad_invitations_are_refused(organisation, coordinator, member):
    with pytest.raises(CommunityError):
        member_domain.invite(organisation, "not an address", Role.MEMBER, coordinator)
    with pytest.raises(CommunityError, match="déjà membre"):
        member_domain.invite(organisation, member.email, Role.MEMBER, coordinator)
    with pytest.raises(access.PermissionDenied):
        member_domain.invite(organisation, "x@example.org", Role.MEMBER, member)


@pytest.mark.parametrize(("language", "greeting", "subject"), [("fr", "Pour accepter", "Invitation à rejoindre"), ("de", "Um anzunehmen", "Einladung zu"), ("en", "To accept", "Invitation to join")])
def test_the_invitation_email_is_in_the_recipients_language(organisation, coordinator, language, greeting, subject):
    new = invite(organisation, coordinator, language=language)
    message = mail.outbox[-1]
    assert message.to == ["nouvelle@example.org"]
    assert message.subject.startswith(subject)
    assert greeting in message.body
    link = "http://testserver" + reverse("web:community-invitation", kwargs={"token": new.token})
    assert link in message.body


def test_an_existing_account_gets_the_invitation_in_its_own_language(organisation, other_organisation, coordinator):
    User.objects.create_user("lea@example.org", PASSWORD, display_name="Lea", language="de")
    invite(organisation, coordinator, email="lea@example.org", language="fr")
    assert "Um anzunehmen" in mail.outbox[-1].body


def test_reminders_in_each_language_no_content_and_never_twice(organisation, group, coordinator, make_member):
    french, german = make_member(1, "fr"), make_member(2, "de")
    excused = make_member(3)
    for person in (french, german, excused):
        group_domain.join_group(group, person)
    today = timezone.localdate()
    [session] = create_sessions(group, [NewSession(today + timedelta(days=2), time(9), time(12))], coordinator, place="Salle 2")
    from entraide.community.domain.sessions import excuse_myself

    excuse_myself(session, excused)
    assert [r.user for r in send_reminders(today, dry_run=True)] == [french, german]
    assert not mail.outbox
    sent = send_reminders(today)
    assert len(sent) == 2
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert "Rappel : Analyse des pratiques" in by_recipient[french.email].subject
    assert "Erinnerung: Analyse des pratiques" in by_recipient[german.email].subject
    assert "Salle 2" in by_recipient[french.email].body and "09:00" in by_recipient[french.email].body
    # Running again, or from the command, sends nothing more.
    assert send_reminders(today) == []
    call_command("send_reminders", "--days-before", "2")
    assert len(mail.outbox) == 2
    with all_tenants():
        assert SentReminder.objects.count() == 2


def test_no_session_content_in_any_email(builtins, organisation, group, coordinator, facilitator, make_member):
    """A live session's content never reaches an email: write content, then check every message."""
    from entraide.community.domain.sessions import open_live
    from entraide.live.domain.commands import execute
    from entraide.live.models import Participant

    person = make_member(1)
    group_domain.join_group(group, person)
    today = timezone.localdate()
    [session] = create_sessions(group, [NewSession(today + timedelta(days=2), time(14), time(17, 30))], coordinator)
    live, seat = open_live(session, facilitator)
    assert live.title == "Analyse des pratiques, séance 1"
    execute(live.pk, seat.participant.pk, "11111111-1111-1111-1111-111111111111", "start", {})
    secret = "SECRET-SITUATION-DU-GROUPE"
    with all_tenants():
        assert Participant.objects.filter(session=live).exists()
    execute(live.pk, seat.participant.pk, "22222222-2222-2222-2222-222222222222", "add_rule", {"text": secret})
    invite(organisation, coordinator, group=group)
    send_reminders(today)
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        assert secret not in message.body and secret not in message.subject


def _parse(body: bytes) -> Calendar:
    return Calendar.from_ical(body)


def test_group_and_member_feeds_parse_back_and_revoked_tokens_give_404(client, organisation, group, sessions, coordinator, make_member):
    person = make_member(1)
    group_domain.join_group(group, person)  # from the next session: 3 of the 5 sessions
    group_token = calendars.ensure_token(organisation, coordinator, group=group)
    member_token = calendars.ensure_token(organisation, person, user=person)

    response = client.get(reverse("web:community-calendar-feed", kwargs={"token": group_token.token}))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    calendar = _parse(response.content)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 5
    first = events[0]
    assert str(first["SUMMARY"]) == "Analyse des pratiques, séance 1"
    assert first["DTSTART"].params["TZID"] == "Europe/Paris"
    assert first.decoded("DTSTART").hour == 9 and first.decoded("DTEND").minute == 30
    assert str(first["UID"]) == f"group-session-{sessions[0].pk}@testserver"
    assert list(calendar.walk("VTIMEZONE"))
    # UIDs are stable from one fetch to the next.
    again = _parse(client.get(reverse("web:community-calendar-feed", kwargs={"token": group_token.token})).content)
    assert [str(e["UID"]) for e in again.walk("VEVENT")] == [str(e["UID"]) for e in events]

    mine = _parse(client.get(reverse("web:community-calendar-feed", kwargs={"token": member_token.token})).content)
    assert [str(e["SUMMARY"]) for e in mine.walk("VEVENT")] == [f"Analyse des pratiques, séance {n}" for n in (3, 4, 5)]

    new = calendars.regenerate_token(organisation, person, user=person)
    assert client.get(reverse("web:community-calendar-feed", kwargs={"token": member_token.token})).status_code == 404
    assert client.get(reverse("web:community-calendar-feed", kwargs={"token": new.token})).status_code == 200
    calendars.revoke_token(organisation, coordinator, group=group)
    assert client.get(reverse("web:community-calendar-feed", kwargs={"token": group_token.token})).status_code == 404
    assert client.get(reverse("web:community-calendar-feed", kwargs={"token": "x" * 43})).status_code == 404


def test_nobody_manages_another_persons_calendar(organisation, group, member, make_member):
    with pytest.raises(access.PermissionDenied):
        calendars.ensure_token(organisation, member, user=make_member(1))
    with pytest.raises(access.PermissionDenied):
        calendars.ensure_token(organisation, member, group=group)


def test_the_person_promoted_from_the_waiting_list_is_told_in_their_language(organisation, group, sessions, coordinator, make_member, django_capture_on_commit_callbacks):
    group_domain.set_capacity(group, 1, coordinator)
    first, waiting = make_member(1, "fr"), make_member(2, "de")
    group_domain.join_group(group, first)
    group_domain.join_group(group, waiting)
    with django_capture_on_commit_callbacks(execute=True):
        group_domain.leave_group(group, first)
    [message] = mail.outbox
    assert message.to == [waiting.email]
    assert message.subject == "Ein Platz für Sie in der Gruppe „Analyse des pratiques“"
    assert "Ihre erste Sitzung" in message.body


def test_a_failing_mail_server_records_no_reminder_and_the_next_run_retries(organisation, group, coordinator, make_member, settings):
    person = make_member(1)
    group_domain.join_group(group, person)
    today = timezone.localdate()
    create_sessions(group, [NewSession(today + timedelta(days=2), time(9), time(12))], coordinator)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2  # nothing listens there
    assert send_reminders(today) == []
    with all_tenants():
        assert not SentReminder.objects.exists()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert len(send_reminders(today)) == 1 and len(mail.outbox) == 1
