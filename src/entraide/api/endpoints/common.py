"""What every endpoint shares: the token's organisation, lookups that answer 404 across
organisations, pagination and date ranges."""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date

from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query

from entraide.core import access
from entraide.core.actions import DomainError
from entraide.core.models import Organisation
from entraide.core.tenancy import tenant_scope

from ..schemas import ErrorOut

DEFAULT_LIMIT = 50
MAX_LIMIT = 200

# Every error an endpoint may answer, declared in the schema (ErrorOut each time).
READ_ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 429: ErrorOut}


def responses(ok, status: int = 200) -> dict:
    """The ``response=`` of an endpoint: ``ok`` on ``status``, and every error."""
    return {status: ok, **READ_ERRORS}


def organisation_of(request: HttpRequest) -> Organisation:
    """The one organisation the token was created for."""
    return request.auth.organisation


@contextmanager
def scoped(request: HttpRequest, permission: str | None = None) -> Iterator[Organisation]:
    """The token's organisation, within its tenant scope for the body of the ``with``, once
    ``access.require(user, permission, organisation)`` has passed when ``permission`` is given
    (raises ``PermissionDenied``, answered 403 ``forbidden``). Checks that need an object of the
    organisation (a group, an event) are made inside, on that object."""
    organisation = organisation_of(request)
    if permission is not None:
        access.require(request.user, permission, organisation)
    with tenant_scope(organisation):
        yield organisation


def get_or_404(queryset: QuerySet, **lookup) -> Model:
    """The one row of ``queryset`` (already limited to the token's organisation) matching
    ``lookup``, or 404: another organisation's id is as unknown as a missing one."""
    found = queryset.filter(**lookup).first()
    if found is None:
        raise Http404
    return found


def limit_param():
    return Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"Items per page, at most {MAX_LIMIT}.")


def offset_param():
    return Query(0, ge=0, le=1_000_000, description="How many items to skip.")


def page(items: Sequence | QuerySet, limit: int, offset: int, **extra) -> dict:
    """``{count, limit, offset, items}`` of a list or queryset (a queryset is counted and sliced
    in the database: two queries)."""
    count = items.count() if isinstance(items, QuerySet) else len(items)
    return {"count": count, "limit": limit, "offset": offset, "items": list(items[offset:offset + limit]), **extra}


def check_range(since: date | None, until: date | None) -> None:
    """A date range ``since``..``until`` (both included, either open). Raises ``DomainError``
    (400, code ``bad_range``, field ``until``) when it ends before it starts."""
    if since is not None and until is not None and until < since:
        raise DomainError(
            _("The range ends before it starts: “until” (%(until)s) must be on or after “since” (%(since)s).")
            % {"until": until.isoformat(), "since": since.isoformat()},
            code="bad_range", field="until",
        )


def in_range(day: date, since: date | None, until: date | None) -> bool:
    return (since is None or day >= since) and (until is None or day <= until)
