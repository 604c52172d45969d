"""A world with content of every kind, some past retention and some recent (issue 14, point 5)."""

from dataclasses import dataclass
from datetime import time, timedelta

import pytest
from django.utils import timezone

from entraide.core.tenancy import all_tenants, tenant_scope
from entraide.followup.models import ActionPlan
from entraide.live.models import LiveSession, LiveTable, Consent, Idea, PrivateNote, Problem

from tests.grants.conftest import _private_dir, ask, pdf_bytes  # noqa: F401  (fixtures)
from tests.live.conftest import open_room
from tests.programmes.conftest import attend, group, make_member, members, programme, sessions  # noqa: F401  (fixtures)

DAY = timedelta(days=1)


@dataclass
class World:
    old_session: LiveSession
    new_session: LiveSession
    old_plan: ActionPlan
    new_plan: ActionPlan
    requests: dict
    receipts: dict
    questionnaires: dict


def ended_session(organisation, facilitator, days_ago: int, label: str) -> LiveSession:
    """A live session ended ``days_ago`` days ago with a problem, an idea, a private note, a
    consent and a condensed record at its table."""
    room = open_room(organisation, facilitator, "atelier-entraide", time(14), time(16, 30))
    author = room.people[0]
    with all_tenants():
        session = room.session
        Problem.objects.create(session=session, author=author, text=f"Problème {label}")
        Idea.objects.create(session=session, author=author, text=f"Idée {label}")
        PrivateNote.objects.create(session=session, author=author, step_key="reflection", text=f"Note {label}")
        table = LiveTable.objects.get(session=session, number=1)
        Consent.objects.create(session=session, participant=author, table=table, agrees=True)
        LiveTable.objects.filter(pk=table.pk).update(record=None)
        table.record = f"Compte rendu {label}"
        table.save(update_fields=["record"])
        LiveSession.objects.filter(pk=session.pk).update(status=LiveSession.Status.ENDED, ended_at=timezone.now() - days_ago * DAY)
        session.refresh_from_db()
    return session


def raised_request(organisation, member, days_closed_ago: int | None, title: str):
    from entraide.network.domain import requests as request_domain
    from entraide.network.models import SupervisionRequest

    raised = request_domain.raise_request(member, organisation, title, f"Situation {title}", False, base_url="http://testserver")
    if days_closed_ago is not None:
        request_domain.withdraw_request(member, raised)
        with all_tenants():
            SupervisionRequest.objects.filter(pk=raised.pk).update(closed_at=timezone.now() - days_closed_ago * DAY)
    return raised


def receipt(organisation, member, coordinator, days_ago: int):
    from entraide.grants.domain import grants
    from entraide.grants.domain.receipts import add_receipt
    from entraide.grants.models import Receipt

    request = ask(organisation, member)
    with tenant_scope(organisation):
        request = grants.decide(coordinator, request, grants.FULL)
        added = add_receipt(member, request, "facture.pdf", pdf_bytes())
        Receipt.objects.filter(pk=added.pk).update(uploaded_at=timezone.now() - days_ago * DAY)
    return added


def answered_questionnaire(organisation, programme, people, facilitator, closed_days_ago: int):
    """A questionnaire answered by ``people`` (overall 4 each), closed ``closed_days_ago`` ago."""
    from entraide.community.domain import groups as group_domain
    from entraide.programmes.domain import questionnaires as q_domain
    from entraide.programmes.models import Questionnaire

    with tenant_scope(organisation):
        questionnaire = q_domain.create_questionnaire(
            programme, q_domain.NewQuestionnaire("Bilan", ["overall", "rhythm", "comment"], group_domain.today() + 7 * DAY, None, True), facilitator
        )
    for person in people:
        with tenant_scope(organisation):
            token = q_domain.token_for(questionnaire, person)
        q_domain.submit_answers(token, {"overall": "4", "rhythm": "yes", "comment": "Texte libre"})
    with tenant_scope(organisation):
        q_domain.close_questionnaire(questionnaire, facilitator)
        Questionnaire.objects.filter(pk=questionnaire.pk).update(closed_on=group_domain.today() - closed_days_ago * DAY)
        questionnaire.refresh_from_db()
    return questionnaire


@pytest.fixture
def world(builtins, organisation, coordinator, facilitator, member, members, programme, sessions, settings) -> World:
    settings.ENTRAIDE_RECEIPT_RETENTION_YEARS = 10
    old_session = ended_session(organisation, facilitator, 400, "ancien")
    new_session = ended_session(organisation, facilitator, 5, "récent")
    with tenant_scope(organisation):
        old_plan = ActionPlan.objects.create(organisation=organisation, author=member, title="Plan ancien")
        new_plan = ActionPlan.objects.create(organisation=organisation, author=member, title="Plan récent")
        ActionPlan.objects.filter(pk=old_plan.pk).update(updated_at=timezone.now() - 800 * DAY)
    requests = {
        "old": raised_request(organisation, member, 400, "Ancienne"),
        "recent": raised_request(organisation, member, 10, "Récente"),
        "open": raised_request(organisation, member, None, "Ouverte"),
    }
    from entraide.grants.domain import grants

    with tenant_scope(organisation):
        grants.set_budget(coordinator, organisation, timezone.localdate().year, "5000")
    receipts = {"old": receipt(organisation, member, coordinator, 11 * 366), "recent": receipt(organisation, member, coordinator, 30)}
    attend(organisation, sessions[0], members[:6], facilitator)
    questionnaires = {
        "old": answered_questionnaire(organisation, programme, members[:6], facilitator, 400),
        "recent": answered_questionnaire(organisation, programme, members[:6], facilitator, 10),
    }
    return World(old_session, new_session, old_plan, new_plan, requests, receipts, questionnaires)
