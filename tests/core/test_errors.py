"""Every app's refusal is a core DomainError with a stable code (issue 13: one error type,
mapped once per door); the attributes its callers read are kept."""

import pytest

from entraide.community.domain import CommunityError
from entraide.core.errors import DomainError
from entraide.events.domain.errors import EventError
from entraide.followup.domain import FollowupError
from entraide.kit.domain.kit import KitError
from entraide.planning.domain.planner import PlanError
from entraide.planning.domain.rotation import RotationError
from entraide.protocols.domain.agenda import AgendaError
from entraide.themes.domain.library import ThemeError

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("error, code", [
    (CommunityError("Refusé."), "community"),
    (EventError("Refusé.", "email"), "event"),
    (FollowupError("Refusé."), "followup"),
    (KitError("Refusé."), "kit_impossible"),
    (PlanError("Refusé."), "plan_impossible"),
    (RotationError("Refusé.", members=["Ana"]), "rotation_impossible"),
    (AgendaError("Refusé."), "agenda_impossible"),
    (AgendaError("Trop court.", minimum_minutes=84), "window_too_short"),
    (ThemeError("Refusé.", "title"), "theme"),
])
def test_each_apps_error_is_a_domain_error_with_a_stable_code(error, code):
    assert isinstance(error, DomainError)
    assert error.code == code and error.message == str(error)
    assert error.as_json()["code"] == code and error.as_json()["detail"] == str(error.message)


def test_the_callers_attributes_are_kept():
    assert EventError("Refusé.", "email").field == "email"
    assert ThemeError("Refusé.", "title").field == "title"
    assert RotationError("Refusé.", members=["Ana"]).members == ("Ana",)
    assert AgendaError("Trop court.", minimum_minutes=84).minimum_minutes == 84
    assert isinstance(PlanError("Refusé."), ValueError)  # callers that catch ValueError still do
    assert CommunityError("Déjà membre.", code="already_member").code == "already_member"
