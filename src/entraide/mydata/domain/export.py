"""Everything that is a member's own, in one organisation, as JSON and as a readable PDF
(issue 14, point 5: "a member downloads their own data ... only their own contributions,
never others'"; GDPR art. 15 and 20, right of access and portability).

What is theirs: their account and membership, profile, group memberships, attendance,
waiting-list places, charter acceptances and unavailabilities; each live seat they took with
what they wrote at it (the help asked for and the condensed record at a table where they
offered their situation, problems, questions, ideas, actions, ground rules, private notes,
roadmaps, debrief answers, contact card) and the votes they cast; their action plans and the
plans' actions; their event registrations; their supervision requests, the words they left as
a member concerned, their mentoring offers, requests and meeting notes; their grant requests,
the receipts' metadata (never the files' bytes), their articles and their ledger lines; and
the entries of the action log about their records. Never another person's text: the answer
someone gave to their question, the questions of others at the same table, the review comment
of a coordinator are left out.
"""

import datetime
import decimal
import json
import uuid
from dataclasses import dataclass, field

from django.db import models
from django.template.loader import render_to_string
from django.utils import timezone, translation

from entraide.core import actions, exports
from entraide.core.models import Membership, Organisation, User
from entraide.core.tenancy import all_tenants

# Columns never handed out, even to their owner: secrets (hashes of personal links, tokens),
# where a file is stored on the server, and other people's words about their record.
EXCLUDED_COLUMNS = frozenset({
    "password", "secret_hash", "token_hash", "cancel_token_hash", "token", "stored_name",
    "answer", "decision_reason", "review_comment",
})


@dataclass
class Section:
    """One kind of record: ``key`` (stable, for the JSON), ``title`` (for people) and ``rows``
    (each a ``{column: JSON value}`` dict)."""

    key: str
    title: str
    rows: list[dict]
    labels: dict = field(default_factory=dict)

    @property
    def readable_rows(self) -> list[list[tuple[str, object]]]:
        """The rows for people (the PDF): each column named by its field's translated
        ``verbose_name`` where the model gives one, else by the column's key."""
        return [[(str(self.labels.get(key, key)), value) for key, value in row.items()] for row in self.rows]


def _value(value):
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID, datetime.timedelta)):
        return str(value)
    if isinstance(value, models.Model):
        return str(value.pk)
    return value


def row(instance: models.Model, **extra) -> dict:
    """``instance``'s own columns (not its relations, not the :data:`EXCLUDED_COLUMNS`), as JSON
    values (dates in ISO 8601, decimals as text), plus ``extra``."""
    data = {"id": instance.pk}
    for column in instance._meta.concrete_fields:
        if column.is_relation or column.primary_key or column.name in EXCLUDED_COLUMNS:
            continue
        data[column.name] = _value(column.value_from_object(instance))
    data.update({key: _value(value) for key, value in extra.items()})
    return data


def collect(user, organisation: Organisation) -> list[Section]:
    """The sections of ``user``'s own data in ``organisation`` (see the module's docstring), in
    a fixed order; a section with no row is kept (the person sees it is empty). About thirty
    queries, whatever the amount of data."""
    from entraide.community.models import (
        Attendance, CharterAcceptance, GroupMembership, MemberProfile, Unavailability, WaitingListEntry,
    )
    from entraide.events.models import Registration
    from entraide.followup.models import ActionPlan, PlanAction
    from entraide.grants.models import Article, GrantRequest, LedgerEntry, Receipt
    from entraide.live import models as live
    from entraide.network.models import Concern, MeetingNote, MentoringRequest, MentorOffer, SupervisionRequest

    org = organisation
    sections: list[Section] = []

    def add(key: str, title: str, queryset, **extra_of) -> None:
        model = queryset.model if hasattr(queryset, "model") else (type(queryset[0]) if queryset else None)
        labels = {f.name: f.verbose_name for f in model._meta.concrete_fields} if model is not None else {}
        sections.append(Section(key, title, [
            row(item, **{name: getter(item) for name, getter in extra_of.items()}) for item in queryset
        ], labels))

    with all_tenants():
        sections.append(Section("account", translation.gettext("Account"), [
            {"email": user.email, "display_name": user.display_name, "language": user.language,
             "date_joined": _value(user.date_joined)}
        ], {f.name: f.verbose_name for f in User._meta.concrete_fields}))
        add("membership", translation.gettext("Membership"), Membership.objects.filter(organisation=org, user=user))
        add("profile", translation.gettext("Profile"), MemberProfile.objects.filter(organisation=org, user=user))
        add("groups", translation.gettext("Groups"),
            GroupMembership.objects.filter(group__organisation=org, user=user).select_related("group"),
            group=lambda m: m.group.name)
        add("waiting_lists", translation.gettext("Waiting lists"),
            WaitingListEntry.objects.filter(group__organisation=org, user=user).select_related("group"),
            group=lambda m: m.group.name)
        add("charters", translation.gettext("Charters accepted"),
            CharterAcceptance.objects.filter(group__organisation=org, user=user).select_related("group"),
            group=lambda m: m.group.name)
        add("attendance", translation.gettext("Attendance"),
            Attendance.objects.filter(session__group__organisation=org, user=user).select_related("session__group"),
            group=lambda a: a.session.group.name, date=lambda a: a.session.date)
        add("unavailabilities", translation.gettext("Unavailabilities"),
            Unavailability.objects.filter(session__group__organisation=org, user=user).select_related("session__group"),
            group=lambda a: a.session.group.name, date=lambda a: a.session.date)

        seats = list(live.Participant.objects.filter(session__organisation=org, user=user).select_related("session"))
        add("seats", translation.gettext("Live sessions"), seats, session=lambda p: p.session.title)
        for key, title, model in (
            ("problems", translation.gettext("Situations proposed"), live.Problem),
            ("questions", translation.gettext("Questions asked"), live.Question),
            ("ideas", translation.gettext("Ideas"), live.Idea),
            ("actions", translation.gettext("Actions"), live.Action),
            ("ground_rules", translation.gettext("Ground rules"), live.GroundRule),
            ("private_notes", translation.gettext("Private notes"), live.PrivateNote),
            ("roadmaps", translation.gettext("Roadmaps"), live.Roadmap),
        ):
            add(key, title, model.objects.filter(author__in=seats).order_by("pk"))
        # The offerer's own words at their table: the help they asked for and their condensed record.
        sections.append(Section("tables_offered", translation.gettext("Situations I offered"), [
            {"id": table.pk, "session": table.session.title, "help_request": table.help_request, "record": table.record}
            for table in live.LiveTable.objects.filter(offerer__in=seats).select_related("session").order_by("pk")
        ]))
        add("debrief_answers", translation.gettext("Debrief answers"), live.DebriefAnswer.objects.filter(author__in=seats))
        add("contact_cards", translation.gettext("Contact cards"), live.ContactCard.objects.filter(participant__in=seats))
        # A vote is theirs; the situation voted for may be someone else's words: only its id.
        add("votes", translation.gettext("Votes"), live.Vote.objects.filter(voter__in=seats), problem=lambda v: v.problem_id)

        plans = list(ActionPlan.objects.filter(organisation=org, author=user))
        add("plans", translation.gettext("Action plans"), plans)
        add("plan_actions", translation.gettext("Actions of my plans"), PlanAction.objects.filter(plan__in=plans),
            plan=lambda a: a.plan_id)

        add("registrations", translation.gettext("Event registrations"),
            Registration.objects.filter(event__organisation=org, user=user).select_related("event"),
            event=lambda r: r.event.title)

        add("supervision_requests", translation.gettext("Supervision requests"),
            SupervisionRequest.objects.filter(organisation=org, raised_by=user))
        add("concerns", translation.gettext("Requests I am concerned by"),
            Concern.objects.filter(request__organisation=org, member=user), request=lambda c: c.request_id)
        add("mentor_offers", translation.gettext("Mentoring offers"), MentorOffer.objects.filter(organisation=org, member=user))
        add("mentoring_requests", translation.gettext("Mentoring requests"),
            MentoringRequest.objects.filter(organisation=org, member=user))
        add("meeting_notes", translation.gettext("Mentoring meeting notes"),
            MeetingNote.objects.filter(meeting__match__request__organisation=org, author=user))

        grant_requests = list(GrantRequest.objects.filter(organisation=org, member=user))
        add("grant_requests", translation.gettext("Grant requests"), grant_requests)
        add("receipts", translation.gettext("Receipts (the files themselves are not included)"),
            Receipt.objects.filter(organisation=org, request__in=grant_requests), request=lambda r: r.request_id)
        add("articles", translation.gettext("Articles"), Article.objects.filter(organisation=org, author=user))
        add("ledger", translation.gettext("Ledger lines"), LedgerEntry.objects.filter(organisation=org, member=user))

        sections.append(Section("log", translation.gettext("What was done to my data"), [
            {"at": _value(entry.at), "verb": entry.verb, "object_type": entry.object_type, "object_id": entry.object_id,
             "by": entry.actor.display_name if entry.actor_id and entry.actor_id != user.pk else None}
            for entry in actions.personal_log(user).filter(organisation=org)
        ]))
    return sections


def as_json(user, organisation: Organisation) -> str:
    """``user``'s own data in ``organisation`` as a JSON document (UTF-8 text, indented):
    ``{"organisation", "exported_at", "sections": {key: [row, ...]}}``."""
    sections = collect(user, organisation)
    document = {
        "organisation": organisation.name,
        "exported_at": timezone.now().isoformat(),
        "sections": {section.key: section.rows for section in sections},
    }
    return json.dumps(document, ensure_ascii=False, indent=2, cls=_Encoder)


class _Encoder(json.JSONEncoder):
    def default(self, o):
        return _value(o) if not isinstance(o, (dict, list)) else super().default(o)


def as_pdf(user, organisation: Organisation, language: str) -> bytes:
    """``user``'s own data in ``organisation`` as a readable PDF in ``language`` (one heading
    per section, one block per record), through ``core.exports.render_pdf``."""
    with translation.override(language):
        sections = collect(user, organisation)
        html = render_to_string("mydata/export_pdf.html", {
            "organisation": organisation, "person": user, "sections": sections,
            "today": timezone.localdate(), "language": language,
        })
    return exports.render_pdf(html)
