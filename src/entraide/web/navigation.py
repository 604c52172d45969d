"""Menus show only what the viewer may open.

A menu entry is a URL name; its view's own access check decides whether it is shown. The check
is not written a second time: ``organisation_view`` (web/views.py) records the permission it
requires on the view (``required_permission``, carried up through ``functools.wraps`` by
``require_GET`` and the like), and ``menu_url`` asks ``core.access`` that same permission on the
same organisation. A view without ``required_permission`` is open to anyone (the library, the
home page).
"""

from django.urls import resolve, reverse

from entraide.core import access
from entraide.core.models import Organisation


_permissions: dict[str, str | None] = {}


def _required_permission(view_name: str, path: str) -> str | None:
    # The permission of a view does not depend on the organisation in its address: resolved once.
    if view_name not in _permissions:
        _permissions[view_name] = getattr(resolve(path).func, "required_permission", None)
    return _permissions[view_name]


def menu_url(user, view_name: str, organisation: Organisation | None = None) -> str:
    """The address of the page ``view_name`` (of ``organisation`` when given, as the ``org``
    URL argument) when ``user`` may open it, else ``""``.

    Raises ``NoReverseMatch`` for an unknown name: a menu entry that leads nowhere is a bug.
    """
    url = reverse(view_name, kwargs={"org": organisation.slug} if organisation is not None else None)
    permission = _required_permission(view_name, url)
    if permission is None or access.can(user, permission, organisation):
        return url
    return ""
