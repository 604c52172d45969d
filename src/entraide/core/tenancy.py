"""Tenant scoping: every organisation-owned query runs inside an active organisation scope.

Built on django-scopes. A query on a tenant-owned model with no active scope raises
``django_scopes.ScopeError`` instead of silently reading every organisation's rows.

    with tenant_scope(organisation):
        Membership.objects.all()          # this organisation's rows only

    with all_tenants():                   # explicit, for commands that sweep every tenant
        ...
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from django.db import models
from django_scopes import scope, scopes_disabled
from django_scopes.manager import DisabledQuerySet
from django_scopes.state import get_scope

if TYPE_CHECKING:
    from .models import Organisation

DIMENSION = "organisation"


@contextmanager
def tenant_scope(organisation: "Organisation") -> Iterator[None]:
    if organisation is None or organisation.pk is None:
        raise ValueError("tenant_scope needs a saved organisation")
    with scope(**{DIMENSION: organisation}):
        yield


@contextmanager
def all_tenants() -> Iterator[None]:
    """Lift the scope on purpose: management commands that sweep every organisation."""
    with scopes_disabled():
        yield


def active_organisation() -> "Organisation | None":
    current = get_scope()
    if not current.get("_enabled", True):
        return None
    return current.get(DIMENSION)


class TenantManager(models.Manager):
    """Manager of an organisation-owned model; build it with ``tenant_manager(...)``.

    ``tenant_field``: the lookup to the owning organisation. ``shared_when_null``: rows whose
    organisation is NULL are shared by every tenant (the built-in protocols); they are visible
    inside any scope, and still only inside one.

    Both are class attributes so that Django's related managers, which subclass the default
    manager's class, filter the same way.
    """

    tenant_field = "organisation"
    shared_when_null = False

    def get_queryset(self) -> models.QuerySet:
        current = get_scope()
        queryset = super().get_queryset()
        if not current.get("_enabled", True):
            return queryset
        if DIMENSION not in current:
            return DisabledQuerySet(self.model, using=self._db, missing_scopes=[DIMENSION])
        organisation = current[DIMENSION]
        condition = models.Q(**{self.tenant_field: organisation})
        if self.shared_when_null:
            condition |= models.Q(**{f"{self.tenant_field}__isnull": True})
        return queryset.filter(condition)

    def all(self) -> models.QuerySet:
        queryset = super().all()
        if isinstance(queryset, DisabledQuerySet):
            queryset = queryset.all()  # raises ScopeError
        return queryset


def tenant_manager(field: str = "organisation", shared_when_null: bool = False) -> TenantManager:
    manager_class = type(
        "TenantManager", (TenantManager,), {"tenant_field": field, "shared_when_null": shared_when_null}
    )
    return manager_class()
