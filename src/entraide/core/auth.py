"""How login attempts are counted (django-axes, configured in settings.AXES_*).

Failures count per account and, separately, per address (``AXES_LOCKOUT_PARAMETERS``). Both
keys must name the same thing however the attempt is spelled, or the limit is easily walked
around: an account is the same whatever its case or surrounding spaces (``UserManager.
get_by_natural_key`` logs ``Membre@Demo.entraide.test `` into ``membre@demo.entraide.test``),
and an address is the one the server saw, never a header the client may write.
"""

from django.conf import settings
from django.http import HttpRequest


def login_username(request: HttpRequest | None, credentials: dict | None) -> str | None:
    """The account a login attempt aims at, as the login matches it: stripped, lower-case.

    ``credentials``: what the authentication backend received (``{"username": ..., ...}``), or
    None when axes reads the request itself; then the posted form field is used. Returns None
    when no username was given (axes then counts the attempt by address only).
    """
    field = settings.AXES_USERNAME_FORM_FIELD
    username = (credentials or {}).get(field)
    if username is None and request is not None:
        username = request.POST.get(field)
    if username is None:
        return None
    return str(username).strip().lower()


def client_address(request: HttpRequest) -> str | None:
    """The client's address: ``REMOTE_ADDR`` only.

    X-Forwarded-For is deliberately not read here: behind a load balancer, uvicorn
    (``entraide serve --proxy-headers --forwarded-allow-ips``) already replaces the address with
    the forwarded one when, and only when, the request comes from a listed proxy (README,
    Production). Reading the header here would let any client pick a fresh address per try.
    """
    return request.META.get("REMOTE_ADDR") or None
