"""Reads of sensitive content are logged for the person concerned (issue 14, point 5)."""

import pytest
from django.test import Client
from django.urls import reverse

from entraide.core.models import ActionLogEntry
from entraide.mydata.domain import reads
from entraide.network.domain import requests as request_domain

pytestmark = pytest.mark.integration

SITUATION = "Une situation difficile avec un groupe qui se tait."


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _reads(verb: str, subject) -> list[ActionLogEntry]:
    return list(ActionLogEntry.everywhere.filter(verb=verb, subject=subject))


def test_a_read_of_the_record_by_another_member_writes_a_row_the_offerer_sees(table_of_two, organisation, member, colleague):
    url = reverse("web:followup-record", kwargs={"org": organisation.slug, "session": table_of_two.group_session.pk})
    # The offerer's own read: nothing to tell them.
    assert _client(member).get(url).status_code == 200
    assert _reads("session_record.read", member) == []
    assert _client(colleague).get(url).status_code == 200
    (entry,) = _reads("session_record.read", member)
    assert entry.actor_id == colleague.pk and entry.organisation_id == organisation.pk
    # The PDF and Markdown downloads are reads too.
    assert _client(colleague).get(url + "compte-rendu.md").status_code == 200
    assert len(_reads("session_record.read", member)) == 2
    journal = _client(member).get(reverse("web:core-my-log", kwargs={"org": organisation.slug}))
    page = journal.content.decode()
    assert "compte rendu" in page.lower() or "session record" in page.lower()
    assert colleague.display_name in page


def test_a_refused_read_writes_nothing(table_of_two, organisation, member, other_coordinator):
    url = reverse("web:followup-record", kwargs={"org": organisation.slug, "session": table_of_two.group_session.pk})
    assert _client(other_coordinator).get(url).status_code == 404
    assert _reads("session_record.read", member) == []


def test_a_read_of_a_supervision_request_is_logged_for_its_raiser(organisation, coordinator, member, make_member):
    raiser = make_member(7)
    raised = request_domain.raise_request(raiser, organisation, "Parole monopolisée", SITUATION, anonymous=False)
    url = reverse("network:request", kwargs={"org": organisation.slug, "pk": raised.pk})
    assert _client(raiser).get(url).status_code == 200
    assert _reads("supervision_request.read", raiser) == []
    assert _client(coordinator).get(url).status_code == 200
    (entry,) = _reads("supervision_request.read", raiser)
    assert entry.actor_id == coordinator.pk


def test_a_plan_read_by_its_author_is_not_logged_by_another_is(table_of_two, member, colleague):
    plan = table_of_two.plan
    assert reads.plan_read(member, plan) is False
    assert reads.plan_read(colleague, plan) is True
    (entry,) = _reads("plan.read", member)
    assert entry.actor_id == colleague.pk and entry.object_id == str(plan.pk)


def test_the_new_verbs_have_words():
    from entraide.core.verbs import VERB_LABELS

    for verb in ("session_record.read", "plan.read", "supervision_request.read", "evaluation.read", "account.erased", "seat.erased"):
        assert verb in VERB_LABELS
