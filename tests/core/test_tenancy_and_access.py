"""Tenancy fails loudly outside a scope; access checks give the same answer to every door."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django_scopes import ScopeError

from entraide.core import access
from entraide.core.domain import set_membership
from entraide.core.models import Membership, Role
from entraide.core.tenancy import all_tenants, tenant_scope
from entraide.protocols.domain.library import copy_protocol
from entraide.protocols.models import Protocol, ProtocolVersion

pytestmark = pytest.mark.integration


def test_a_tenant_query_outside_a_scope_fails_loudly(member):
    with pytest.raises(ScopeError):
        list(Membership.objects.all())
    with pytest.raises(ScopeError):
        Membership.objects.filter(role=Role.MEMBER).count()
    with pytest.raises(ScopeError):
        list(Protocol.objects.all())


def test_related_managers_are_scoped_too(organisation, member):
    with pytest.raises(ScopeError):
        list(organisation.memberships.all())
    with tenant_scope(organisation):
        assert [m.user for m in organisation.memberships.all()] == [member]


def test_a_scope_shows_one_organisation_only(organisation, other_organisation, member, other_coordinator):
    with tenant_scope(organisation):
        assert list(Membership.objects.values_list("user__email", flat=True)) == [member.email]
    with tenant_scope(other_organisation):
        assert list(Membership.objects.values_list("user__email", flat=True)) == [other_coordinator.email]
    with all_tenants():
        assert Membership.objects.count() == 2


def test_builtins_are_shared_but_copies_stay_in_their_organisation(builtins, organisation, other_organisation, coordinator):
    with all_tenants():
        atelier = Protocol.objects.get(organisation=None, key="atelier-entraide")
    copy = copy_protocol(atelier, organisation, coordinator)
    with tenant_scope(organisation):
        keys = set(Protocol.objects.values_list("organisation__slug", "key"))
        assert (None, "atelier-entraide") in keys and ("reseau", "atelier-entraide") in keys
        assert ProtocolVersion.objects.filter(protocol=copy).count() == 1
        assert copy.versions.count() == 1
    with tenant_scope(other_organisation):
        assert not Protocol.objects.filter(organisation=organisation).exists()
        assert not ProtocolVersion.objects.filter(protocol=copy).exists()
        assert Protocol.objects.filter(key="atelier-entraide").count() == 1


def test_permissions_by_role(builtins, organisation, other_organisation, coordinator, facilitator, member, commissioner, other_coordinator):
    with all_tenants():
        atelier = Protocol.objects.get(organisation=None, key="atelier-entraide")
    copy = copy_protocol(atelier, organisation, coordinator)
    anonymous = None
    # Built-ins are public; nobody changes them.
    for user in (anonymous, member, coordinator, other_coordinator):
        assert access.can(user, "protocols.view_protocol", atelier)
        assert not access.can(user, "protocols.change_protocol", atelier)
    # An organisation's copy: its members see it, its coordinators change it, strangers see nothing.
    for user in (coordinator, facilitator, member, commissioner):
        assert access.can(user, "protocols.view_protocol", copy)
    assert access.can(coordinator, "protocols.change_protocol", copy)
    for user in (facilitator, member, commissioner, other_coordinator, anonymous):
        assert not access.can(user, "protocols.change_protocol", copy)
    for user in (other_coordinator, anonymous):
        assert not access.can(user, "protocols.view_protocol", copy)
    # The same answer through Django's permission API (templates, admin).
    assert coordinator.has_perm("protocols.change_protocol", copy)
    assert not member.has_perm("protocols.change_protocol", copy)


def test_require_hides_what_cannot_be_seen_and_refuses_what_cannot_be_done(builtins, organisation, coordinator, member, other_coordinator):
    with all_tenants():
        atelier = Protocol.objects.get(organisation=None, key="atelier-entraide")
    copy = copy_protocol(atelier, organisation, coordinator)
    with pytest.raises(Http404):
        access.require(other_coordinator, "protocols.change_protocol", copy)
    with pytest.raises(PermissionDenied):
        access.require(member, "protocols.change_protocol", copy)
    access.require(coordinator, "protocols.change_protocol", copy)


def test_a_role_change_takes_effect_at_once(organisation, member):
    assert not access.can(member, "core.manage_organisation", organisation)
    set_membership(organisation, member, Role.COORDINATOR)
    assert access.can(member, "core.manage_organisation", organisation)


def test_a_deactivated_account_loses_every_right(organisation, coordinator):
    coordinator.is_active = False
    access.forget_roles(coordinator)
    assert not access.can(coordinator, "core.view_organisation", organisation)
