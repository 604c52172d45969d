"""Retention per kind of content (issue 14, point 5; DESIGN.md "Lifecycle"): the single table
of the kinds of content Entraide keeps, what each is, who sees it, how long it is kept by
default, and how its expired rows are found and deleted for one organisation.

``KINDS`` is read by ``entraide purge_expired`` (which deletes), by the "Données et
confidentialité" page (which states it) and by the README (which repeats the defaults). An
organisation overrides a default with a :class:`~entraide.privacy.models.RetentionSetting`.

Each kind's ``purge(organisation, before, dry_run)`` returns how many items it found expired
(``dry_run``: counts and changes nothing) and, unless ``dry_run``, deletes their content in one
transaction, logging each deletion (``core.actions.log(None, "<kind>.purged", obj)``: no actor,
the system; never content). What reports need stays: the live session row, its participants,
consents and debrief responses (how many answered), attendance (community, untouched), the
questionnaire's respondents count and the released report figures (``ReportRelease``), the
receipt's row (name, size, digest, the payments it covered). A second run finds nothing.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from entraide.core import actions
from entraide.core.actions import DomainError
from entraide.core.models import ActionLogEntry, Organisation
from entraide.core.tenancy import tenant_scope

MAX_DAYS = 36_525  # a hundred years: beyond, it is not a retention period


def receipt_minimum_days() -> int:
    """The legal minimum for receipts, in days: ``ENTRAIDE_RECEIPT_RETENTION_YEARS`` (10 by
    default: the accounting rules' period, field document 000 "contre remise d'un
    justificatif") times 365.25, rounded as ``grants.domain.receipts.purge_receipts`` does."""
    return round(365.25 * settings.ENTRAIDE_RECEIPT_RETENTION_YEARS)


@dataclass(frozen=True)
class Kind:
    """One kind of content. ``default_days`` may be a callable (read at use: settings)."""

    key: str
    label: Promise
    what: Promise
    who_sees: Promise
    counted_from: Promise
    default: int | Callable[[], int]
    minimum: int | Callable[[], int]
    purge: Callable[[Organisation, datetime, bool], int]

    @property
    def default_days(self) -> int:
        return self.default() if callable(self.default) else self.default

    @property
    def minimum_days(self) -> int:
        return self.minimum() if callable(self.minimum) else self.minimum


# --- The purges, one per kind ---------------------------------------------------------------


def _ended_sessions(organisation: Organisation, before: datetime):
    from entraide.live.models import LiveSession

    return LiveSession.objects.filter(organisation=organisation, status=LiveSession.Status.ENDED, ended_at__lt=before)


def _live_content_models():
    from entraide.live import models as live

    # Consent and DebriefResponse stay: who agreed (the record's rule) and how many answered.
    # Ideas and actions are the harvest the session record shows: they go with the record.
    return [live.Vote, live.GroundRule, live.Problem, live.Question, live.SpeakingTurn,
            live.Roadmap, live.DebriefAnswer, live.ContactOffer, live.ContactCard, live.AppliedCommand]


def purge_live_content(organisation: Organisation, before: datetime, dry_run: bool) -> int:
    """What was written in live sessions ended before ``before``: ground rules, problems, votes,
    questions, speaking turns, roadmaps, debrief answers, contact cards and offers, applied
    commands (the ideas and actions harvested stay with the session record). Returns the number of rows (deleted, or found when ``dry_run``).
    One log row per session (``live_content.purged``); the session row, its participants,
    tables, consents and debrief responses stay."""
    total = 0
    with transaction.atomic():
        for session in _ended_sessions(organisation, before).order_by("pk"):
            found = 0
            for model in _live_content_models():
                rows = model.objects.filter(session=session)
                found += rows.count() if dry_run else rows.delete()[1].get(model._meta.label, 0)
            if found and not dry_run:
                actions.log(None, "live_content.purged", session, organisation=organisation)
            total += found
    return total


def purge_private_notes(organisation: Organisation, before: datetime, dry_run: bool) -> int:
    """Private notes of live sessions ended before ``before``. One log row per session
    (``private_notes.purged``)."""
    from entraide.live.models import PrivateNote

    total = 0
    with transaction.atomic():
        for session in _ended_sessions(organisation, before).order_by("pk"):
            notes = PrivateNote.objects.filter(session=session)
            found = notes.count() if dry_run else notes.delete()[0]
            if found and not dry_run:
                actions.log(None, "private_notes.purged", session, organisation=organisation)
            total += found
    return total


def purge_session_records(organisation: Organisation, before: datetime, dry_run: bool) -> int:
    """The session records of sessions ended before ``before``: the condensed text
    (``LiveTable.record``, erased, the table row stays) and the ideas and actions harvested,
    which the record shows (followup.domain.records). Returns the number of texts and rows. One
    log row per table (``session_record.purged``)."""
    from entraide.live.models import Action, Idea, LiveTable

    with transaction.atomic():
        sessions = _ended_sessions(organisation, before)
        tables = list(LiveTable.objects.select_for_update().filter(session__in=sessions, record__isnull=False).order_by("pk"))
        harvest = [model.objects.filter(session__in=sessions) for model in (Idea, Action)]
        if dry_run:
            return len(tables) + sum(rows.count() for rows in harvest)
        for table in tables:
            actions.log(None, "session_record.purged", table, organisation=organisation)
        LiveTable.objects.filter(pk__in=[t.pk for t in tables]).update(record=None)
        return len(tables) + sum(rows.delete()[0] for rows in harvest)


def purge_action_plans(organisation: Organisation, before: datetime, dry_run: bool) -> int:
    """Action plans (with their actions and reminders) nobody changed since ``before`` (neither
    the plan nor any of its actions). One log row per plan (``action_plan.purged``), naming
    the author as the person concerned."""
    from entraide.followup.models import ActionPlan, PlanAction

    with transaction.atomic():
        recent = PlanAction.objects.filter(updated_at__gte=before).values("plan_id")
        plans = list(
            ActionPlan.objects.select_for_update().filter(organisation=organisation, updated_at__lt=before)
            .exclude(pk__in=recent).select_related("author").order_by("pk")
        )
        if not dry_run:
            for plan in plans:
                actions.log(None, "action_plan.purged", plan, subject=plan.author, organisation=organisation)
            ActionPlan.objects.filter(pk__in=[p.pk for p in plans]).delete()
    return len(plans)


def purge_network_requests(organisation: Organisation, before: datetime, dry_run: bool) -> int:
    """Supervision requests closed (or withdrawn) before ``before``. A request without a
    collective supervision is deleted with the members' words; one that led to a collective
    supervision keeps its row (the supervision, its group and its PAF hang on it) but loses its
    title, situation and words. One log row per request (``supervision_request.purged``), which
    is also how a second run knows the request was already erased."""
    from entraide.network.models import Concern, SupervisionRequest

    with transaction.atomic():
        done = ActionLogEntry.everywhere.filter(
            organisation=organisation, verb="supervision_request.purged",
            object_type=SupervisionRequest._meta.label_lower,
        ).values_list("object_id", flat=True)
        closed = Q(closed_at__lt=before) | Q(closed_at__isnull=True, at__lt=before)
        found = list(
            SupervisionRequest.objects.select_for_update().filter(closed, organisation=organisation, status=SupervisionRequest.Status.CLOSED)
            .exclude(pk__in=[int(pk) for pk in done if pk.isdigit()]).select_related("raised_by").order_by("pk")
        )
        if not dry_run:
            for request in found:
                actions.log(None, "supervision_request.purged", request, subject=request.raised_by, organisation=organisation)
            with_supervision = [r.pk for r in found if SupervisionRequest.objects.filter(pk=r.pk, supervision__isnull=False).exists()]
            Concern.objects.filter(request_id__in=with_supervision).update(word=None)
            SupervisionRequest.objects.filter(pk__in=with_supervision).update(title="", situation="")
            SupervisionRequest.objects.filter(pk__in=[r.pk for r in found if r.pk not in with_supervision]).delete()
    return len(found)


def purge_receipts(organisation: Organisation, before: datetime, dry_run: bool) -> int:
    """Grant receipts uploaded before ``before``: their files, through
    ``grants.domain.receipts.purge_receipts`` (the same function as ``entraide
    purge_grant_receipts``); the rows stay with ``purged_at`` set. One log row per receipt
    (``receipt.purged``, written there)."""
    from entraide.grants.domain import receipts

    return receipts.purge_receipts(organisation=organisation, before=before, dry_run=dry_run)


def purge_questionnaire_answers(organisation: Organisation, before: datetime, dry_run: bool) -> int:
    """Answers to questionnaires closed before ``before`` (by hand: ``closed_on``; else their
    closing date). Before deleting, the questionnaire's report is computed and released
    (``programmes.domain.reports.questionnaire_report(record=True)``), so that a released
    ``ReportRelease`` holds its figures; the report shows that release afterwards (its
    respondents count stays on the questionnaire). One log row per questionnaire
    (``questionnaire_answers.purged``). Returns the number of answer rows."""
    from entraide.programmes.domain.reports import questionnaire_report
    from entraide.programmes.models import Answer, Questionnaire

    day = timezone.localtime(before).date() if timezone.is_aware(before) else before.date()
    total = 0
    with transaction.atomic():
        closed = Q(closed_on__isnull=False, closed_on__lt=day) | Q(closed_on__isnull=True, closes_on__lt=day)
        for questionnaire in (
            Questionnaire.objects.select_for_update().filter(closed, programme__organisation=organisation)
            .select_related("programme").order_by("pk")
        ):
            answers = Answer.objects.filter(questionnaire=questionnaire)
            found = answers.count()
            if not found:
                continue
            total += found
            if dry_run:
                continue
            questionnaire_report(questionnaire, record=True)
            answers.delete()
            actions.log(None, "questionnaire_answers.purged", questionnaire, organisation=organisation)
    return total


# --- The table ------------------------------------------------------------------------------

KINDS: list[Kind] = [
    Kind(
        "live_content", _("Content of live sessions"),
        _("What was written during a session: ground rules, problems, votes, questions, roadmaps, debrief answers, contact details exchanged."),
        _("The participants of the session, while it runs; the facilitator sees what the group sees, never private notes. Coordinators and commissioners never see it."),
        _("after the end of the session"), 30, 1, purge_live_content,
    ),
    Kind(
        "private_notes", _("Private notes"),
        _("The notes a participant takes for themself during a session (reflection, rebound, listening)."),
        _("Their author only."),
        _("after the end of the session"), 90, 1, purge_private_notes,
    ),
    Kind(
        "session_records", _("Session records"),
        _("The condensed record of a situation worked at a table, with the ideas and the action plan harvested, kept only when everyone present agreed."),
        _("The members of the group at that session, when everyone consented."),
        _("after the end of the session"), 365, 1, purge_session_records,
    ),
    Kind(
        "action_plans", _("Action plans"),
        _("A member's action plan and its actions, kept from a session or written later."),
        _("Their author; the group when the author shares it."),
        _("after the last change"), 730, 1, purge_action_plans,
    ),
    Kind(
        "network_requests", _("Supervision requests"),
        _("A situation raised to the network, and the words of the members concerned."),
        _("The member who raised it and the coordinators; the other members without the name when it is anonymous."),
        _("after it was closed or withdrawn"), 365, 1, purge_network_requests,
    ),
    Kind(
        "receipts", _("Receipts"),
        _("The files of the receipts joined to a training grant (invoices, receipts). Their name, size and the payments they covered stay in the ledger."),
        _("The member who asked for the grant and the coordinators."),
        _("after they were uploaded (at least the accounting period)"), receipt_minimum_days, receipt_minimum_days, purge_receipts,
    ),
    Kind(
        "questionnaire_answers", _("Questionnaire answers"),
        _("The anonymous answers to an evaluation questionnaire. The released report figures (counts withheld below 5 respondents) stay."),
        _("Nobody answer by answer; the intervenant reads the free texts whose authors agreed; the commissioner sees only the report figures."),
        _("after the questionnaire closed"), 365, 1, purge_questionnaire_answers,
    ),
]

BY_KEY: dict[str, Kind] = {kind.key: kind for kind in KINDS}


# --- Per organisation -----------------------------------------------------------------------


def retention_days(organisation: Organisation) -> dict[str, int]:
    """{kind key: days kept} for ``organisation``: its settings over the defaults. One query."""
    from .models import RetentionSetting

    days = {kind.key: kind.default_days for kind in KINDS}
    with tenant_scope(organisation):
        for kind, value in RetentionSetting.objects.filter(organisation=organisation).values_list("kind", "days"):
            if kind in days:
                days[kind] = max(value, BY_KEY[kind].minimum_days)
    return days


def purge_organisation(organisation: Organisation, *, dry_run: bool = False, now: datetime | None = None) -> dict[str, int]:
    """Delete what is past retention in ``organisation`` (``dry_run``: count only).
    Returns {kind key: items purged (or due)} for every kind, in ``KINDS`` order. Idempotent:
    a second run returns zeros."""
    now = now or timezone.now()
    days = retention_days(organisation)
    counts = {}
    with tenant_scope(organisation):
        for kind in KINDS:
            counts[kind.key] = kind.purge(organisation, now - timedelta(days=days[kind.key]), dry_run)
    return counts


def purge_expired(organisations=None, *, dry_run: bool = False, now: datetime | None = None) -> dict[str, int]:
    """:func:`purge_organisation` for each of ``organisations`` (default: all), counts summed
    per kind: {kind key: count}."""
    totals = {kind.key: 0 for kind in KINDS}
    for organisation in organisations if organisations is not None else Organisation.objects.order_by("pk"):
        for key, count in purge_organisation(organisation, dry_run=dry_run, now=now).items():
            totals[key] += count
    return totals


def set_retention(actor, organisation: Organisation, kind_key: str, days) -> int:
    """A coordinator sets how many days ``kind_key`` is kept in ``organisation``
    (permission ``privacy.manage_retention``; one action-log row ``retention.changed``).
    ``days``: an int or a string of digits. Returns the days stored.
    Raises ``DomainError`` (field ``days``) when it is not a whole number, is below the kind's
    minimum (the accounting period for receipts) or above a hundred years; ``code="kind"``
    for an unknown kind; ``PermissionDenied``/``Http404`` through ``core.access``."""
    from entraide.core import access

    from .models import RetentionSetting

    access.require(actor, "privacy.manage_retention", organisation)  # before judging the input
    kind = BY_KEY.get(kind_key)
    if kind is None:
        raise DomainError(gettext("Unknown kind of content."), code="kind")
    try:
        value = int(str(days).strip())
    except ValueError:
        raise DomainError(gettext("Enter a whole number of days."), code="days", field="days") from None
    if value < kind.minimum_days:
        raise DomainError(
            ngettext("At least %(n)s day for this kind of content.", "At least %(n)s days for this kind of content.", kind.minimum_days)
            % {"n": kind.minimum_days}, code="too_short", field="days"
        )
    if value > MAX_DAYS:
        raise DomainError(gettext("At most %(n)s days.") % {"n": MAX_DAYS}, code="too_long", field="days")
    with tenant_scope(organisation), actions.write(actor, "privacy.manage_retention", organisation, "retention.changed") as w:
        setting, created = RetentionSetting.objects.get_or_create(organisation=organisation, kind=kind.key, defaults={"days": value})
        if not created:
            if setting.days == value:
                w.unchanged()
            else:
                setting.days = value
                setting.save(update_fields=["days"])
        w.obj = setting
    return value
