"""Theme writes follow the one rule (core.actions.write): created, copied, changed and planned
themes log one row each, never their texts; a refusal logs and changes nothing."""

from datetime import time, timedelta

import pytest
from django.core.exceptions import PermissionDenied

from entraide.community.domain import groups as group_domain
from entraide.community.domain.sessions import NewSession, create_sessions
from entraide.core.tenancy import tenant_scope
from entraide.themes.domain.library import ThemeData, ThemeError, create_theme, plan_theme, update_theme
from entraide.themes.models import PlannedTheme, Theme

from ..action_log import count, holds_no_content, logged, only

pytestmark = pytest.mark.django_db

BODY = "La communication non violente en quatre temps : observation, sentiment, besoin, demande."


def _data(title: str = "Communication non violente") -> ThemeData:
    return ThemeData(title, "Quatre temps.", BODY, "fr", "tool")


def test_creating_and_changing_a_theme_is_logged_without_its_texts(organisation, coordinator):
    theme = create_theme(organisation, coordinator, _data())
    update_theme(theme, coordinator, _data("CNV en pratique"))
    created, changed = only("theme.created"), only("theme.changed")
    assert (created.actor, created.object_type, created.object_id) == (coordinator, "themes.theme", str(theme.pk))
    assert changed.object_id == str(theme.pk) and changed.organisation == organisation
    assert holds_no_content(created, "non violente", "observation") and holds_no_content(changed, "CNV")


def test_a_refused_theme_logs_and_saves_nothing(organisation, coordinator, member):
    theme = create_theme(organisation, coordinator, _data())
    before = count()
    with pytest.raises(ThemeError) as refused:
        create_theme(organisation, coordinator, _data())  # the same title again
    assert refused.value.field == "title"
    with pytest.raises(PermissionDenied):
        update_theme(theme, member, _data("Autre titre"))
    assert count() == before
    with tenant_scope(organisation):
        assert [t.title for t in Theme.objects.filter(organisation=organisation)] == ["Communication non violente"]


def test_planning_a_theme_for_a_session_is_logged(organisation, coordinator, facilitator):
    theme = create_theme(organisation, coordinator, _data())
    group = group_domain.create_group(organisation, group_domain.GroupData(name="Échange de pratiques"), coordinator)
    (session,) = create_sessions(group, [NewSession(group_domain.today() + timedelta(days=7), time(9), time(12))], coordinator)
    plan_theme(session, theme, facilitator)
    plan_theme(session, None, facilitator)
    plan_theme(session, None, facilitator)  # nothing planned any more: nothing to log
    planned, unplanned = only("theme.planned"), only("theme.unplanned")
    assert planned.actor == unplanned.actor == facilitator
    assert planned.object_type == "community.groupsession" and planned.object_id == str(session.pk)
    with tenant_scope(organisation):
        assert not PlannedTheme.objects.exists()


def test_a_refused_plan_logs_nothing(organisation, coordinator, member):
    theme = create_theme(organisation, coordinator, _data())
    group = group_domain.create_group(organisation, group_domain.GroupData(name="Échange de pratiques"), coordinator)
    (past,) = create_sessions(group, [NewSession(group_domain.today() - timedelta(days=7), time(9), time(12))], coordinator)
    before = count()
    with pytest.raises(ThemeError):
        plan_theme(past, theme, coordinator)
    assert count() == before and not logged("theme.planned")
