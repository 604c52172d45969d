"""A person erases their data (issue 14, point 5; GDPR art. 17, right to erasure).

Two doors:

- :func:`erase_account`: a member deletes their account, confirming with their password. What
  is theirs alone is deleted (profile, plans, private notes, questions, mentoring, unpublished
  articles, ...). Where a group's shared record must stay, the record stays and the person in
  it becomes "une personne" (:data:`PSEUDONYM`): a session record the table consented to share
  (the offerer's condensed record, the ideas and actions kept), a published article, the
  ledger lines and grant requests the accounting needs. The account is deactivated and its
  email, name and password wiped; memberships of the organisations end.
- :func:`erase_seat`: a participant without an account erases their seat's content with the
  seat's secret (their personal link), under the same rule.

Both end with a sweep of every text column of every table (encrypted ones decrypted) that
replaces the person's name and email by "une personne" wherever someone else wrote them, and
:func:`find_markers` (used by the tests, and usable by an operator) checks that nothing of the
person is left anywhere.
"""

import json
import re
import secrets
from collections.abc import Iterable, Iterator

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from entraide.core import actions
from entraide.core.actions import DomainError
from entraide.core.tenancy import all_tenants

PSEUDONYM = "une personne"
# A name shorter than this is not swept out of other people's texts: it would match inside
# ordinary words ("Al" in "Alors").
MIN_SWEPT_NAME = 3
TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField)


class ErasureError(DomainError):
    """A refusal of an erasure (wrong password, unknown seat)."""


# --- The sweep and the check over every text column ------------------------------------------------


def _text_columns() -> Iterator[tuple[type[models.Model], list[str]]]:
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        names = [f.name for f in model._meta.concrete_fields if isinstance(f, TEXT_FIELDS) and not f.primary_key]
        if names:
            yield model, names


def _as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def find_markers(markers: Iterable[str]) -> list[tuple[str, str, object, str]]:
    """Every place a marker (an email, a name, a text) is still found, case-insensitively, in
    any text column (``CharField``, ``TextField``, ``JSONField``; encrypted columns decrypted)
    of any row of any model: ``[(model label, column, primary key, marker), ...]``; empty when
    nothing is left. Reads every row of every table: for tests and for an operator's check."""
    wanted = [marker.casefold() for marker in markers if marker]
    found = []
    with all_tenants():
        for model, names in _text_columns():
            for values in model._base_manager.values_list("pk", *names).iterator():
                pk, texts = values[0], values[1:]
                for name, value in zip(names, texts):
                    text = _as_text(value).casefold()
                    found.extend((model._meta.label, name, pk, marker) for marker in wanted if marker in text)
    return found


def _patterns(names: Iterable[str]) -> list[re.Pattern]:
    patterns = []
    for name in names:
        name = (name or "").strip()
        if len(name) >= MIN_SWEPT_NAME:
            patterns.append(re.compile(r"(?<!\w)" + re.escape(name) + r"(?!\w)", re.IGNORECASE))
    return patterns


def _replace(value, patterns: list[re.Pattern]):
    if isinstance(value, str):
        for pattern in patterns:
            value = pattern.sub(PSEUDONYM, value)
        return value
    if isinstance(value, list):
        return [_replace(item, patterns) for item in value]
    if isinstance(value, dict):
        return {key: _replace(item, patterns) for key, item in value.items()}
    return value


def pseudonymise_everywhere(names: Iterable[str]) -> int:
    """Replace each of ``names`` (a person's display name and email; whole words, any case) by
    :data:`PSEUDONYM` in every text column of every row (encrypted ones decrypted and
    re-encrypted). Returns the number of rows changed. Must run inside the erasure's
    transaction; reads every table once."""
    patterns = _patterns(names)
    if not patterns:
        return 0
    changed = 0
    with all_tenants():
        for model, columns in _text_columns():
            if model._meta.label in ("axes.AccessAttempt", "axes.AccessLog", "axes.AccessFailureLog"):
                continue  # deleted outright (_forget_logins)
            for values in list(model._base_manager.values_list("pk", *columns)):
                pk, texts = values[0], values[1:]
                update = {}
                for column, value in zip(columns, texts):
                    new = _replace(value, patterns)
                    if new != value:
                        update[column] = new
                if update:
                    model._base_manager.filter(pk=pk).update(**update)
                    changed += 1
    return changed


# --- A live seat ------------------------------------------------------------------------------


def _erase_seat_content(seat) -> None:
    """Delete what ``seat`` wrote, except what a table's consented record keeps (its ideas and
    actions at a table that consented, the offerer's record there), and make the seat
    "une personne". Runs inside the caller's transaction."""
    from entraide.live import models as live

    consented_tables = set(live.Consent.objects.filter(session_id=seat.session_id).values_list("table_id", flat=True))
    for model in (live.Question, live.PrivateNote, live.Roadmap, live.GroundRule):
        model.objects.filter(author=seat).delete()
    for model in (live.Idea, live.Action):
        model.objects.filter(author=seat).exclude(table_id__in=consented_tables).delete()
    # A situation chosen at a table that consented is the subject of its shared record.
    live.Problem.objects.filter(author=seat).exclude(
        pk__in=live.LiveTable.objects.filter(pk__in=consented_tables).values("chosen_problem")
    ).delete()
    live.ContactCard.objects.filter(participant=seat).delete()
    live.ContactOffer.objects.filter(models.Q(offerer=seat) | models.Q(recipient=seat)).delete()
    live.DebriefAnswer.objects.filter(author=seat).delete()
    # The offerer's condensed record and help request of a table that did not consent are theirs.
    live.LiveTable.objects.filter(offerer=seat).exclude(pk__in=consented_tables).update(record="", help_request="")
    seat.display_name = PSEUDONYM
    seat.user = None
    seat.preferences = {}
    seat.languages = ""
    # The personal link stops working: nobody can come back as this seat.
    seat.secret_hash = secrets.token_hex(32)
    seat.removed_at = seat.removed_at or timezone.now()
    seat.save(update_fields=["display_name", "user", "preferences", "languages", "secret_hash", "removed_at"])


def erase_seat(session, secret: str) -> None:
    """A participant without an account erases their seat's content from their personal link
    (``/s/<code>/retour/<secret>/``): ``secret`` is the seat's rejoin secret. What they wrote is
    deleted (kept, pseudonymised, only where their table consented to share its record), their
    name is replaced everywhere by "une personne", and the link stops working. One action-log
    row ``seat.erased`` (no actor). Raises ``ErasureError`` (code ``unknown_seat``) when no seat
    of ``session`` has this secret."""
    from entraide.live.domain.opening import seat_for

    seat = seat_for(session, secret=secret) if session is not None else None
    if seat is None or not secret:
        raise ErasureError(_("This personal link is not valid (any more)."), code="unknown_seat")
    name = seat.display_name
    with all_tenants(), actions.write(None, None, seat, "seat.erased", lock=seat) as w:
        # No permission rule: holding the seat's secret is the proof of being that person.
        _erase_seat_content(w.obj)
        pseudonymise_everywhere([name])


# --- An account ----------------------------------------------------------------------------------


def _forget_logins(email: str) -> None:
    """django-axes keeps the email typed at each login attempt."""
    for label in ("axes.AccessAttempt", "axes.AccessLog", "axes.AccessFailureLog"):
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        model._base_manager.filter(username__iexact=email).delete()


def erase_account(user, password: str) -> None:
    """``user`` deletes their own account (permission ``mydata.erase``), confirming with their
    ``password``. In one transaction:

    - deleted: their profile, calendar tokens, waiting-list places, unavailabilities,
      invitations to their email, action plans, supervision requests, words as a member
      concerned, mentoring offers and requests (a mentoring offer already matched is kept,
      anonymous, for the mentee's record), meeting notes, unpublished articles, and at each live
      seat what they wrote (see :func:`erase_seat`);
    - kept, pseudonymised: a session record their table consented to share, a published
      article, grant requests with payments or ledger lines (the accounting needs them; their
      commitment text is emptied), ledger lines, event registrations (name and email emptied);
    - the account: deactivated, email ``erased-<id>@entraide.invalid``, name "une personne",
      unusable password; its memberships and group memberships end; its sessions are closed;
    - everywhere: their name and email replaced by "une personne" in every text column.

    One action-log row ``account.erased`` (subject: the account). Raises ``ErasureError``
    (code ``wrong_password``, field ``password``) when the password does not match, nothing
    changed; ``PermissionDenied``/``Http404`` when ``user`` may not erase this account.
    """
    from entraide.community import models as community
    from entraide.core.models import Membership
    from entraide.events.models import Registration
    from entraide.followup.models import ActionPlan
    from entraide.grants.domain.receipts import _path as receipt_path
    from entraide.grants.models import Article, GrantPayment, GrantRequest, Receipt
    from entraide.live.models import Participant
    from entraide.network import models as network

    if not password or not user.check_password(password):
        raise ErasureError(_("This is not your password: nothing was deleted."), code="wrong_password", field="password")
    account = get_user_model()._base_manager.get(pk=user.pk)
    names = [account.display_name, account.email]
    email = account.email
    with all_tenants(), actions.write(user, "mydata.erase", account, "account.erased", lock=account, subject=account) as w:
        for seat in Participant.objects.filter(user=account):
            _erase_seat_content(seat)
        community.MemberProfile.objects.filter(user=account).delete()
        community.CalendarToken.objects.filter(user=account).delete()
        from entraide.api.models import ApiToken

        ApiToken.everywhere.filter(user=account).delete()  # personal API tokens (issue 15)
        community.WaitingListEntry.objects.filter(user=account).delete()
        community.Unavailability.objects.filter(user=account).delete()
        community.SentReminder.objects.filter(user=account).delete()
        community.Invitation.objects.filter(email__iexact=email).delete()
        today = timezone.localdate()
        community.GroupMembership.objects.filter(user=account, left_on__isnull=True).update(left_on=today)
        Membership.objects.filter(user=account).delete()

        ActionPlan.objects.filter(author=account).delete()
        Registration.objects.filter(models.Q(user=account) | models.Q(email__iexact=email)).update(
            name=PSEUDONYM, email="", question="", user=None
        )

        network.MeetingNote.objects.filter(author=account).delete()
        network.Concern.objects.filter(member=account).delete()
        network.SupervisionInvitation.objects.filter(user=account).delete()
        network.SupervisionRequest.objects.filter(raised_by=account).delete()
        network.MentoringRequest.objects.filter(member=account).delete()
        network.MentorOffer.objects.filter(member=account).exclude(
            pk__in=network.Match.objects.values("mentor")
        ).delete()
        network.MentorOffer.objects.filter(member=account).update(wording="", tags=[])

        Article.objects.filter(author=account).exclude(status=Article.Status.PUBLISHED).delete()
        # A paid grant is in the accounts (its payment and ledger lines point to it).
        accounted_ids = set(GrantPayment.objects.filter(request__member=account).values_list("request_id", flat=True))
        kept_requests = GrantRequest.objects.filter(member=account).filter(
            models.Q(pk__in=accounted_ids) | models.Q(article__status=Article.Status.PUBLISHED)
        )
        for request in kept_requests:
            request.commitment = ""
            request.save(update_fields=["commitment"])
        Receipt.objects.filter(request__member=account).update(original_name="justificatif")
        for request in GrantRequest.objects.filter(member=account).exclude(pk__in=kept_requests.values("pk")):
            for receipt in Receipt.objects.filter(request=request):
                stored = receipt_path(receipt)
                receipt.delete()
                w.on_commit(lambda stored=stored: stored.unlink(missing_ok=True))
            request.delete()

        w.obj.email = f"erased-{account.pk}@entraide.invalid"
        w.obj.display_name = PSEUDONYM
        w.obj.is_active = False
        w.obj.set_unusable_password()
        w.obj.save(update_fields=["email", "display_name", "is_active", "password"])
        _forget_logins(email)
        pseudonymise_everywhere(names)
        w.on_commit(lambda: _close_sessions(account.pk))


def _close_sessions(user_id: int) -> None:
    from django.contrib.sessions.models import Session

    for session in Session.objects.all().iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user_id):
            session.delete()


