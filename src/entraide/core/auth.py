"""How login attempts (django-axes, configured in settings.AXES_*) and password-reset emails
are counted.

Failures count per account and, separately, per address (``AXES_LOCKOUT_PARAMETERS``). Both
keys must name the same thing however the attempt is spelled, or the limit is easily walked
around: an account is the same whatever its case or surrounding spaces (``UserManager.
get_by_natural_key`` logs ``Membre@Demo.entraide.test `` into ``membre@demo.entraide.test``),
and an address is the one the server saw, never a header the client may write.
"""

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

logger = logging.getLogger(__name__)


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


# Password-reset emails: the form answers the same whatever happens (it must not tell whether an
# address has an account), so a flood of requests would only fill someone's mailbox. Beyond
# these counts within the window, the request is answered as usual and no email leaves.
RESET_MAILS_PER_ADDRESS = 5
RESET_MAILS_PER_ACCOUNT = 3
RESET_WINDOW_SECONDS = 3600


def _counted(key: str, limit: int) -> bool:
    """Count one use of ``key`` in the window; False once ``limit`` uses were already counted.
    When the cache is unreachable the mail goes (a reset must stay possible)."""
    try:
        cache.add(key, 0, RESET_WINDOW_SECONDS)
        try:
            used = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, RESET_WINDOW_SECONDS)
            used = 1
    except Exception:
        logger.warning("password-reset throttle unavailable (cache unreachable)", exc_info=True)
        return True
    return used <= limit


def reset_mail_allowed(address: str | None, email: str) -> bool:
    """Whether one more password-reset email may go to ``email`` for a request from ``address``
    (at most RESET_MAILS_PER_ADDRESS per address and RESET_MAILS_PER_ACCOUNT per account and
    per hour). Counts the attempt. ``email`` is compared stripped and lower-case."""
    email_key = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    by_address = _counted(f"password-reset:address:{address or 'unknown'}", RESET_MAILS_PER_ADDRESS)
    by_account = _counted(f"password-reset:account:{email_key}", RESET_MAILS_PER_ACCOUNT)
    return by_address and by_account
