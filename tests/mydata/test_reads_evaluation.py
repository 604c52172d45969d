"""Reading the free texts of an evaluation is logged (issue 14, point 5). The answers are
anonymous: the row has no subject, it shows in the organisation's journal."""

import pytest
from django.test import Client
from django.urls import reverse

from entraide.core.models import ActionLogEntry
from entraide.core.tenancy import tenant_scope
from entraide.programmes.domain import questionnaires as q_domain

from ..programmes.conftest import group, make_member, members, programme  # noqa: F401  (fixtures)
from ..programmes.test_domain import _answer_all, _questionnaire

pytestmark = pytest.mark.integration


def test_reading_an_evaluations_free_texts_writes_a_row(organisation, programme, members, facilitator, coordinator):  # noqa: F811
    questionnaire = _questionnaire(organisation, programme, facilitator)
    _answer_all(organisation, questionnaire, members[:6], ["4", "4", "4", "4", "4", "5"])
    with tenant_scope(organisation):
        q_domain.close_questionnaire(questionnaire, facilitator)
    url = reverse("programmes:questionnaire", kwargs={"org": organisation.slug, "pk": programme.pk, "questionnaire": questionnaire.pk})
    client = Client()
    client.force_login(facilitator)
    response = client.get(url)
    assert response.status_code == 200 and "Texte 5" in response.content.decode()
    (entry,) = ActionLogEntry.everywhere.filter(verb="evaluation.read")
    assert entry.actor_id == facilitator.pk and entry.object_id == str(questionnaire.pk) and entry.subject_id is None
    # Who may not read the texts writes no row.
    client.force_login(coordinator)
    assert "Texte 5" not in client.get(url).content.decode()
    assert ActionLogEntry.everywhere.filter(verb="evaluation.read").count() == 1
