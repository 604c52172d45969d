"""HTTP middleware of the web door."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers
from django_htmx.middleware import HtmxDetails

# No inline script or style anywhere in our templates, so this strict policy holds.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self' ws: wss:",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # The Django admin (platform staff only) ships inline scripts of its own.
        if not request.path.startswith("/admin/"):
            response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        return response


class AdminScopeMiddleware:
    """The Django admin is for platform staff, who administer every organisation."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/admin/") and request.user.is_active and request.user.is_staff:
            from entraide.core.tenancy import all_tenants

            with all_tenants():
                return self.get_response(request)
        return self.get_response(request)


# What a response may say about caching and still be left alone: it already forbids storing,
# or a view deliberately made it public (public, non-personal things only).
KEEP_CACHE_CONTROL = ("no-store", "public")
NO_STORE = "no-store, private"


class NoStoreMiddleware:
    """No page, export or JSON of Entraide is ever kept by a browser or a proxy cache.

    Plans, records and their exports, live pages, the state JSON, kits, CSV and iCalendar feeds
    all hold content or personal data, often behind a cookie (an account or a live seat) that a
    shared cache would not tell apart. So every response that passes here gets
    ``Cache-Control: no-store, private``, unless its view already set ``no-store`` (stricter or
    equal) or deliberately made it ``public``. Static assets never reach this middleware:
    whitenoise, placed before it, answers them with its own long-lived headers.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith(settings.STATIC_URL):
            return response
        current = response.headers.get("Cache-Control", "").lower()
        if not any(word in current for word in KEEP_CACHE_CONTROL):
            response.headers["Cache-Control"] = NO_STORE
            # An Expires or max-age from elsewhere would contradict it.
            response.headers.pop("Expires", None)
        return response


class PageAwareHtmxDetails(HtmxDetails):
    """``request.htmx`` that is false for htmx's history-restore requests: those replace the whole
    page (Back after a cache miss), so they must get the page, never a fragment."""

    def __bool__(self) -> bool:
        return super().__bool__() and not self.history_restore_request


class HtmxMiddleware:
    """django-htmx's ``request.htmx``, for every view that answers a fragment or a page.

    The one place where two rules hold for all of them (live pages, the agenda of the prepare
    page, the live commands): a history-restore request is answered with the whole page
    (``PageAwareHtmxDetails``), and the response ``Vary``s on ``HX-Request`` so that no cache
    (the browser's Back included) ever serves a fragment for a page or the other way round.
    The pages also set ``historyRestoreAsHxRequest: false`` (base.html), so htmx does not send
    HX-Request on restore in the first place.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.htmx = PageAwareHtmxDetails(request)
        response = self.get_response(request)
        patch_vary_headers(response, ("HX-Request",))
        return response
