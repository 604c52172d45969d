"""The "Données et confidentialité" page (issue 14, point 5): generated from the retention
table, readable by every member (commissioners included), changed only by coordinators."""

import pytest
from django.test import Client

from entraide.core.domain import ensure_account, set_membership
from entraide.core.models import ActionLogEntry, Role
from entraide.core.tenancy import all_tenants
from entraide.privacy import retention
from entraide.privacy.models import RetentionSetting

pytestmark = pytest.mark.django_db

URL = "/o/reseau/donnees-et-confidentialite/"


def _client(user=None) -> Client:
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("role", ["coordinator", "facilitator", "member", "commissioner"])
def test_every_role_of_the_organisation_reads_the_page(request, organisation, role):
    user = request.getfixturevalue(role)
    response = _client(user).get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    for kind in retention.KINDS:
        assert f'id="kind-{kind.key}"' in page
    # French first: the defaults, in words.
    assert "Notes privées" in page and "30 jours" in page and "Leur auteur ou autrice uniquement." in page
    assert ('name="days"' in page) == (role == "coordinator")


def test_another_organisation_and_anonymous_do_not_read_it(organisation, other_organisation):
    outsider = ensure_account("ailleurs@example.org", "Ailleurs", password="x" * 20)
    set_membership(other_organisation, outsider, Role.COORDINATOR)
    assert _client(outsider).get(URL).status_code == 404
    assert _client().get(URL).status_code == 302


def test_the_footer_links_the_page(member, organisation):
    assert URL in _client(member).get("/").content.decode()


def test_a_coordinator_changes_a_retention(coordinator, organisation):
    response = _client(coordinator).post(URL, {"kind": "private_notes", "days": "45"})
    assert response.status_code == 302
    assert retention.retention_days(organisation)["private_notes"] == 45
    page = _client(coordinator).get(URL).content.decode()
    assert "45 jours" in page
    assert ActionLogEntry.everywhere.filter(verb="retention.changed", actor=coordinator).count() == 1


@pytest.mark.parametrize(
    ("kind", "days", "message"),
    [
        ("private_notes", "quarante", "Saisissez un nombre entier de jours."),
        ("private_notes", "0", "Au moins 1 jour pour ce type de contenu."),
        ("private_notes", "99999999", "Au plus 36525 jours."),
        ("receipts", "365", "Au moins 3652 jours pour ce type de contenu."),
        ("nothing", "30", "Type de contenu inconnu."),
    ],
)
def test_bad_input_is_refused_with_a_message_and_changes_nothing(coordinator, organisation, settings, kind, days, message):
    settings.ENTRAIDE_RECEIPT_RETENTION_YEARS = 10
    response = _client(coordinator).post(URL, {"kind": kind, "days": days})
    assert response.status_code == 400
    assert message in response.content.decode()
    with all_tenants():
        assert not RetentionSetting.objects.exists()
    assert not ActionLogEntry.everywhere.filter(verb="retention.changed").exists()


@pytest.mark.parametrize("role", ["facilitator", "member", "commissioner"])
def test_only_coordinators_change_it(request, organisation, role):
    response = _client(request.getfixturevalue(role)).post(URL, {"kind": "private_notes", "days": "45"})
    assert response.status_code == 403
    with all_tenants():
        assert not RetentionSetting.objects.exists()


def test_the_domain_refuses_a_member(member, organisation):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        retention.set_retention(member, organisation, "private_notes", 45)
    with pytest.raises(PermissionDenied):
        retention.set_retention(member, organisation, "receipts", "quarante")
