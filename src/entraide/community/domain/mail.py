"""Invitation and reminder emails, each in its recipient's language.

An email holds names, dates, times, a place and a link: never anything said in a session
(nor a session's protocol content). The reminder sweep records what it sent (``SentReminder``)
so that running it twice, or from two cron hosts, sends nothing twice.
"""

import logging
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.urls import reverse

from entraide.core import actions
from entraide.core.links import site_url
from entraide.core.mail import send_plain_mail
from entraide.core.models import Organisation, User
from entraide.core.tenancy import all_tenants, tenant_scope

from ..models import Attendance, GroupMembership, GroupSession, Invitation, SentReminder
from .sessions import session_number

logger = logging.getLogger(__name__)


def _send(to: str, language: str, subject_template: str, body_template: str, context: dict) -> None:
    send_plain_mail(to, language, body_template, context, subject_template=subject_template)


def invitation_link(token: str, base_url: str | None = None) -> str:
    return site_url(base_url) + reverse("web:community-invitation", kwargs={"token": token})


def send_invitation(invitation: Invitation, token: str, base_url: str | None = None) -> None:
    """The invitation email, in the invited person's language (their account's, else the one chosen)."""
    with all_tenants():
        existing = User.objects.filter(email__iexact=invitation.email).first()
        inviter = invitation.invited_by
        group = invitation.group
    language = existing.language if existing else invitation.language
    _send(
        invitation.email,
        language,
        "community/email/invitation_subject.txt",
        "community/email/invitation.txt",
        {
            "organisation": invitation.organisation.name,
            "inviter": inviter.display_name if inviter else "",
            "group": group.name if group else "",
            "link": invitation_link(token, base_url),
            "expires": invitation.expires_at,
            "language": language,
        },
    )


def send_promotion(membership: GroupMembership) -> None:
    """A place freed up: the first person on the waiting list is now a member."""
    user, group = membership.user, membership.group
    organisation = group.organisation
    with all_tenants():
        with tenant_scope(organisation):
            from .groups import next_session

            upcoming = next_session(group, after=membership.joined_on)
    _send(
        user.email,
        user.language or organisation.language,
        "community/email/promotion_subject.txt",
        "community/email/promotion.txt",
        {
            "name": user.display_name,
            "organisation": organisation.name,
            "group": group.name,
            "session": upcoming,
            "link": site_url() + reverse("web:community-group", kwargs={"org": organisation.slug, "group": group.pk}),
        },
    )


@dataclass(frozen=True)
class Reminder:
    session: GroupSession
    user: User


def due_reminders(on: date) -> list[Reminder]:
    """Who should be reminded of a session dated ``on``: its members, less the excused."""
    result = []
    with all_tenants():
        sessions = list(
            GroupSession.objects.filter(date=on, status=GroupSession.Status.PLANNED).select_related("group", "group__organisation")
        )
        for session in sessions:
            excused = set(
                Attendance.objects.filter(session=session, status=Attendance.Status.EXCUSED).values_list("user_id", flat=True)
            )
            already = set(SentReminder.objects.filter(session=session).values_list("user_id", flat=True))
            members = (
                GroupMembership.objects.filter(group=session.group, joined_on__lte=session.date)
                .exclude(left_on__lte=session.date)
                .select_related("user")
            )
            for membership in members:
                user = membership.user
                if user.is_active and user.pk not in excused and user.pk not in already:
                    result.append(Reminder(session, user))
    return result


def send_reminder(reminder: Reminder) -> bool:
    """Record, then send; False when another run already did. A failed send is rolled back."""
    session, user = reminder.session, reminder.user
    organisation: Organisation = session.group.organisation
    try:
        with all_tenants(), transaction.atomic():
            SentReminder.objects.create(session=session, user=user)
            # A system write (the reminders' command): no actor, about the member reminded. The
            # mail goes inside the transaction on purpose: a failed send leaves no record.
            actions.log(None, "session.reminder_sent", session, subject=user, organisation=organisation)
            with tenant_scope(organisation):
                number = session_number(session)
            _send(
                user.email,
                user.language or organisation.language,
                "community/email/reminder_subject.txt",
                "community/email/reminder.txt",
                {
                    "name": user.display_name,
                    "organisation": organisation.name,
                    "group": session.group.name,
                    "number": number,
                    "session": session,
                    "link": site_url() + reverse("web:community-me", kwargs={"org": organisation.slug}),
                },
            )
    except IntegrityError:
        return False  # another run sent it
    except Exception:  # noqa: BLE001 - the mail server failed: nothing recorded, the next run retries
        logger.warning("reminder for group session %s to user %s not sent", session.pk, user.pk, exc_info=True)
        return False
    return True


def send_reminders(today: date, days_before: int = 2, dry_run: bool = False) -> list[Reminder]:
    """Remind the members of the sessions dated ``today + days_before``. Idempotent."""
    due = due_reminders(today + timedelta(days=days_before))
    if dry_run:
        return due
    return [reminder for reminder in due if send_reminder(reminder)]

