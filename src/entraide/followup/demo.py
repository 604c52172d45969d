"""Demo data of the follow-up: the demo group's last session held, run live, where Membre 01
(membre01@demo.entraide.test) offered a situation and left with an action plan (everyone agreed
to share the record), and the group's next session, opened live and running at its review of
roadmaps. Called by ``entraide load_demo``; idempotent.

Membre 01 keeps the plan from the previous session's page (/s/PREC3467/), follows it, shares
it; it comes back at the next session (/s/REVUE679/console/, facilitation@).
"""

import uuid
from datetime import time, timedelta

from django.utils import timezone

from entraide.community.demo import DEMO_GROUP
from entraide.community.domain.sessions import open_live
from entraide.community.models import Group, GroupSession
from entraide.core.models import Organisation, User
from entraide.core.tenancy import all_tenants, tenant_scope
from entraide.live.domain import commands
from entraide.live.domain.opening import join
from entraide.live.models import Action, Consent, Idea, LiveRole, LiveSession, LiveTable, Participant

OFFERER_EMAIL = "membre01@demo.entraide.test"  # present at the session held (community demo)
PREVIOUS_CODE = "PREC3467"
TODAY_CODE = "REVUE679"


def load_followup_demo(organisation: Organisation) -> None:
    with all_tenants():
        if LiveSession.objects.filter(join_code__in=[PREVIOUS_CODE, TODAY_CODE]).exists():
            return
    with tenant_scope(organisation):
        group = Group.objects.filter(organisation=organisation, name=DEMO_GROUP).first()
        if group is None:
            return
        facilitator = User.objects.get(email="facilitation@demo.entraide.test")
        offerer = User.objects.get(email=OFFERER_EMAIL)
        others = list(User.objects.filter(email__in=["membre02@demo.entraide.test", "membre03@demo.entraide.test"]))
        today = timezone.localdate()
        # The group's planned year: the last session held and the next one.
        previous = GroupSession.objects.filter(group=group, date__lte=today, live_session__isnull=True).order_by("-date").first()
        current = GroupSession.objects.filter(group=group, date__gt=today, live_session__isnull=True).order_by("date").first()
        if previous is None:  # the start of the school year: nothing held yet
            previous = GroupSession.objects.create(group=group, date=today - timedelta(days=14), start=time(9), end=time(12), place=group.location)
        if current is None:  # the end of the school year
            current = GroupSession.objects.create(group=group, date=today, start=time(9), end=time(12), place=group.location)
        GroupSession.objects.filter(pk=previous.pk).update(protocol_key="echange-de-pratiques", status=GroupSession.Status.HELD)
        previous.refresh_from_db()
    _previous_session(previous, facilitator, offerer, others)
    _running_review(current, facilitator)


def _previous_session(group_session: GroupSession, facilitator: User, member: User, others: list[User]) -> None:
    live, _seat = open_live(group_session, facilitator)
    with all_tenants():
        LiveSession.objects.filter(pk=live.pk).update(join_code=PREVIOUS_CODE)
        live.refresh_from_db()
        offerer = join(live, member.display_name).participant
        Participant.objects.filter(pk=offerer.pk).update(user=member, role=LiveRole.OFFERER)
        for user in others:
            join(live, user.display_name)
        for text in ("Poser le cadre dès la première rencontre", "Demander de l'aide à l'équipe plus tôt"):
            Idea.objects.create(session=live, author=offerer, text=text)
        for days, text in ((5, "Proposer un temps de parole à chaque personne du groupe"), (12, "En parler avec ma responsable")):
            Action.objects.create(session=live, author=offerer, text=text, due=timezone.localdate() + timedelta(days=days))
        for person in Participant.objects.filter(session=live):
            Consent.objects.create(session=live, participant=person, agrees=True)
        LiveSession.objects.filter(pk=live.pk).update(status=LiveSession.Status.ENDED, ended_at=timezone.now())
        table = commands.table_of(live)
        LiveTable.objects.filter(pk=table.pk).update(
            offerer=offerer,
            record="Situation d'un groupe de parole où deux personnes monopolisent les échanges. "
            "Pistes : poser le cadre, tours de parole, s'appuyer sur l'équipe.",
        )


def _running_review(group_session: GroupSession, facilitator: User) -> None:
    live, seat = open_live(group_session, facilitator)
    with all_tenants():
        LiveSession.objects.filter(pk=live.pk).update(join_code=TODAY_CODE)
    commands.execute(live.pk, seat.participant.pk, uuid.uuid4(), "start")
    for _step in range(5):
        live.refresh_from_db()
        spec_steps = commands.live_steps(live.protocol_version.spec, live.agenda)
        if spec_steps[commands.table_of(live).step_index].activity == "review_roadmaps":
            break
        commands.execute(live.pk, seat.participant.pk, uuid.uuid4(), "next_step")
