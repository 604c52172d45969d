"""The live session over HTTP: join, the participant's phone view, the facilitator's console,
the projector view, and commands as plain form posts (so the essential actions work without
JavaScript; with htmx the same forms refresh the fragment in place).

Every command goes through ``live.domain.commands.execute``.
"""

import io
import uuid

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.middleware.csrf import get_token
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from entraide.core import access, auth
from entraide.core.models import Organisation, Role
from entraide.core.tenancy import all_tenants, tenant_scope
from entraide.live.domain import commands
from entraide.live.domain.opening import (
    JoinRefused,
    SameName,
    add_seats,
    count_failure,
    find_open_session,
    hash_secret,
    join,
    member_seat,
    mark_seen,
    new_secret_for,
    normalise_code,
    open_session,
    remember_room,
    seat_for,
    seat_limit,
)
from entraide.live.domain.rows import instances, instances_with
from entraide.live.domain.state import session_state
from entraide.live.domain.versions import with_protocol
from entraide.live.models import LiveRole, LiveSession, LiveTable, Participant
from entraide.core.text import SingleLineError
from entraide.protocols.domain.agenda import AgendaError

from .forms import JoinForm, OpenSessionForm
from .templatetags.live_render import bind
from .views import _prepare, _protocol_or_404

COOKIE_AGE = 14 * 24 * 3600


def cookie_name(session: LiveSession) -> str:
    return f"entraide_live_{session.pk}"


def client_address(request: HttpRequest) -> str:
    """The address join attempts are counted by: core.auth's rule (``REMOTE_ADDR`` only)."""
    return auth.client_address(request) or "unknown"


def _session_or_404(code: str) -> LiveSession:
    with all_tenants():
        session = LiveSession.objects.select_related("protocol_version").filter(join_code=normalise_code(code)).first()
    if session is None:
        raise Http404
    return session


def stranger(request: HttpRequest) -> Http404:
    """The one answer to someone without a seat at an address that takes a code: a 404, the same
    for a live, an ended and a wrong code, counted as a failed attempt of their network (the
    limit of ``opening.find_open_session``). Use as ``raise stranger(request)``."""
    count_failure(client_address(request))
    return Http404()


def _participant_or_404(request: HttpRequest, code: str) -> tuple[LiveSession, Participant, str | None]:
    session = _session_or_none(code)
    participant, new_secret = _viewer(request, session) if session is not None else (None, None)
    if participant is None:
        raise stranger(request)
    return session, participant, new_secret


def _session_or_none(code: str) -> LiveSession | None:
    """The session of ``code`` (any state), with its protocol version from the cache: plain SQL
    (live.domain.rows), as every live page and command asks. Read with its tables in one
    statement; ``session.tables_read`` keeps them (``commands.session_tables``' rows) for a
    page to render from (``realtime.render.page_fragment``) without reading them again."""
    code = normalise_code(code)
    tables = instances_with(LiveTable, "session", "p.join_code = %s", [code])
    if tables:
        session = with_protocol(tables[0].session)
        session.tables_read = tables
        return session
    found = instances(LiveSession, "join_code = %s", [code])  # a session without tables (none are made so)
    return with_protocol(found[0]) if found else None


def _viewer(request: HttpRequest, session: LiveSession, claim: bool = False) -> tuple[Participant | None, str | None]:
    """The participant this browser is (``opening.seat_for``: its cookie, else its account), and a
    new secret to set when it came by its account (another device). ``claim``: a signed-in member
    of the group the session runs gets their own seat if they have none yet (``member_seat``)."""
    secret = request.COOKIES.get(cookie_name(session))
    participant = seat_for(session, user=request.user, secret=secret)
    if participant is None and claim and request.user.is_authenticated:
        try:
            seat = member_seat(session, request.user)
        except JoinRefused:
            seat = None
        if seat is not None:
            return seat.participant, seat.secret or new_secret_for(seat.participant)
    if participant is None:
        return None, None
    if secret and participant.secret_hash == hash_secret(secret):
        return participant, None
    return participant, new_secret_for(participant)


def _with_cookie(response: HttpResponse, session: LiveSession, secret: str | None) -> HttpResponse:
    if secret:
        response.set_cookie(
            cookie_name(session), secret, max_age=COOKIE_AGE, httponly=True, samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
    return response


# --- Opening (facilitator, with an account) ------------------------------------------------


@require_POST
@login_required
def open_live_session(request: HttpRequest, key: str, org: str | None = None) -> HttpResponse:
    organisations = access.organisations_of(request.user, roles=[Role.COORDINATOR, Role.FACILITATOR])
    form = OpenSessionForm(request.POST, organisations=organisations)
    if org is None:
        protocol = _protocol_or_404(None, key)
    else:
        owner = Organisation.objects.filter(slug=org).first()
        if owner is None:
            raise Http404
        access.require(request.user, "core.view_organisation", owner)
        with tenant_scope(owner):
            protocol = _protocol_or_404(owner, key)
    if not form.is_valid():
        # Shown again at the open form itself (not at the top of the page), nothing created.
        return _prepare(request, protocol, open_errors=[e for errors in form.errors.values() for e in errors], values=request.POST)
    data = form.cleaned_data
    try:
        session, seat = open_session(
            organisation=data["organisation"],
            protocol=protocol,
            facilitator=request.user,
            participants=data["participants"],
            start=data["start"],
            end=data["end"],
            title=data["title"],
        )
    except (AgendaError, SingleLineError) as error:
        return _prepare(request, protocol, open_errors=[error.message], values=request.POST)
    response = redirect("web:live-console", code=session.join_code)
    return _with_cookie(response, session, seat.secret)


# --- Joining (participants, no account) ----------------------------------------------------


@require_http_methods(["GET", "POST"])
def join_view(request: HttpRequest) -> HttpResponse:
    """Join by code and name. A browser that already holds a seat goes back to it; the
    session's facilitator, logged in, goes to the console (never to a contributor's seat); a
    name already seated gets "C'est moi": continue with the personal link of the first device,
    or choose another name (a name alone proves nothing)."""
    form = JoinForm(request.POST or None, initial={"code": request.GET.get("code", "")})
    error = same_name = None
    address = client_address(request)
    if request.method == "POST" and form.is_valid():
        try:
            session = find_open_session(form.cleaned_data["code"], address)
            existing, new_secret = _viewer(request, session, claim=True)
            if existing is not None:
                remember_room(session, address)
                target = "web:live-console" if existing.role == LiveRole.FACILITATOR else "web:live"
                return _with_cookie(redirect(target, code=session.join_code), session, new_secret)
            seat = join(session, form.cleaned_data["name"])
        except SameName as refused:
            error, same_name = refused.message, refused.participant.display_name
        except JoinRefused as refused:
            error = refused.message
        else:
            remember_room(session, address)
            return _with_cookie(redirect("web:live", code=session.join_code), session, seat.secret)
    return render(request, "web/live/join.html", {"form": form, "error": error, "same_name": same_name}, status=400 if error else 200)


@require_GET
def rejoin(request: HttpRequest, code: str, secret: str) -> HttpResponse:
    """The personal link: back in as the same participant, on this or another device."""
    session = _session_or_none(code)
    participant = seat_for(session, secret=secret) if session is not None else None
    if participant is None:
        raise stranger(request)
    remember_room(session, client_address(request))
    return _with_cookie(redirect("web:live", code=session.join_code), session, secret)


# --- The three views -----------------------------------------------------------------------

VIEWS = {
    "participant": ("web/live/participant.html", "web/live/_participant.html"),
    "console": ("web/live/console.html", "web/live/_console.html"),
    "projector": ("web/live/projector.html", "web/live/_projector.html"),
}


def join_url(request: HttpRequest, session: LiveSession) -> str:
    """The address people type or scan to join (shown on the console, the projector, the QR
    code and the printed poster)."""
    return request.build_absolute_uri(reverse("web:live-join") + f"?code={session.join_code}")


def _render(request: HttpRequest, code: str, view: str) -> HttpResponse:
    session = _session_or_none(code)
    participant, new_secret = _viewer(request, session, claim=view == "participant") if session is not None else (None, None)
    if participant is None:
        if view == "participant":
            # Live, ended or wrong: the same answer (the join form, with the code as typed).
            count_failure(client_address(request))
            return redirect(reverse("web:live-join") + "?" + urlencode({"code": normalise_code(code)}))
        raise stranger(request)
    remember_room(session, client_address(request))
    is_facilitator = participant.role == LiveRole.FACILITATOR
    if view == "participant" and is_facilitator:
        return _with_cookie(redirect("web:live-console", code=session.join_code), session, new_secret)
    if view in ("console", "projector") and not is_facilitator:
        return _with_cookie(redirect("web:live", code=session.join_code), session, new_secret)
    mark_seen(participant)
    secret = request.COOKIES.get(cookie_name(session)) or new_secret or ""
    # One masked token for the page and its fragment (each get_token masks anew).
    token = get_token(request)
    general, near_forms = _split_messages(request)
    if general or near_forms:
        # Messages are this request's own: the fragment is rendered for it alone.
        state, fragment = _fragment_with_messages(request, session, participant, view, secret, general, near_forms, token)
    else:
        # realtime.render imports this module: imported here, not at the top.
        from entraide.realtime.render import page_fragment

        base_url = f"{request.scheme}://{request.get_host()}"
        # The tables read with the session, unless this request wrote since (a seat claimed).
        tables = getattr(session, "tables_read", None) if new_secret is None else None
        state, fragment = page_fragment(session.pk, participant, view, get_language(), base_url, secret, tables=tables)
        fragment = bind(fragment, token, _fresh_ids())
    if request.htmx and request.GET.get("fragment"):
        html = fragment
    else:
        html = render_to_string(VIEWS[view][0], {"live": state, "fragment": mark_safe(fragment), "csrf_token": _as_processor_gives(token)}, request)
    return _with_cookie(HttpResponse(html), session, new_secret)


def _as_processor_gives(token: str) -> SimpleLazyObject:
    """``token`` as Django's csrf context processor gives one (lazy), which kept parts
    ({% memo %}) take for the request's own and bind late rather than key by."""
    return SimpleLazyObject(lambda: token)


def _fragment_with_messages(request, session, participant, view, secret, general, near_forms, token: str) -> tuple[dict, str]:
    """(state, html) of ``view``'s fragment for this request, with its messages: those about a
    command at that command's form, the others at the top of the fragment (_root_open.html)."""
    state = session_state(session, participant)
    rejoin_path = reverse("web:live-rejoin", kwargs={"code": session.join_code, "secret": secret})
    context = fragment_context(
        session, view, state,
        join_url=join_url(request, session), rejoin_path=rejoin_path, rejoin_url=request.build_absolute_uri(rejoin_path),
        ids=_fresh_ids(), general_messages=general, command_errors=near_forms, with_seats=participant.role == LiveRole.FACILITATOR,
    )
    context["csrf_token"] = _as_processor_gives(token)
    template = VIEWS[view][1]
    html = render_to_string(template, context, request)
    if near_forms.unshown():
        # A command refused whose form is not on this page (another step by now, say): its
        # reason goes to the top of the page rather than nowhere.
        context["general_messages"] = general + [_Said(text) for text in near_forms.unshown()]
        context["command_errors"] = CommandErrors()
        html = render_to_string(template, context, request)
    return state, html


def fragment_context(session: LiveSession, view: str, state: dict, *, join_url: str, rejoin_path: str, rejoin_url: str,
                     ids, general_messages: list, command_errors: "CommandErrors", with_seats: bool) -> dict:
    """The context of a live page or fragment (``VIEWS``), for an HTTP request and for the
    fragments the websocket pushes (``realtime.render``) alike: ``state`` is
    ``session_state(session, viewer)``; ``view`` a key of ``VIEWS``."""
    return {
        "live": state,
        "code": session.join_code,
        "view": view,
        "fragment_url": reverse(VIEW_URLS[view], kwargs={"code": session.join_code}) + "?fragment=1",
        # Every form of the page posts here: reversed once, not once per button.
        "command_url": reverse("web:live-command", kwargs={"code": session.join_code}),
        # The same for every viewer: reversed here, not in each viewer's personal part.
        "personal_qr_url": reverse("web:live-personal-qr", kwargs={"code": session.join_code}),
        "ids": ids,
        "join_url": join_url,
        "rejoin_path": rejoin_path,
        "rejoin_url": rejoin_url,
        "general_messages": general_messages,
        "command_errors": command_errors,
        # The view model's participants are those holding a seat (seats_taken), read already.
        "seats": {"taken": len(state["participants"]), "limit": seat_limit(session)} if with_seats else None,
    }


class _Said:
    """A refused command's reason shown at the top of the page, like a message."""

    tags = "error"

    def __init__(self, text: str) -> None:
        self.text = text

    def __str__(self) -> str:
        return self.text


class CommandErrors(dict):
    """{command name: [reason]} for the forms of the page; remembers which ones a form showed."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.shown: set[str] = set()

    def get(self, key, default=None):
        if key in self:
            self.shown.add(key)
        return super().get(key, default)

    def memo_key(self) -> str | None:
        """Kept parts ({% memo %}) are kept only while there is nothing to show: a form's reason
        must be shown, and counted as shown, at each render."""
        return None if self else ""

    def unshown(self) -> list[str]:
        return [text for command, texts in self.items() if command not in self.shown for text in texts]


VIEW_URLS = {"participant": "web:live", "console": "web:live-console", "projector": "web:live-projector"}

COMMAND_TAG = "command-"


def _split_messages(request: HttpRequest) -> tuple[list, "CommandErrors"]:
    """The page's messages: those about one command (refused vote, text too long...) go next to
    that command's form, {command name: [text]}; the others at the top of the page."""
    general, near_forms = [], CommandErrors()
    for message in messages.get_messages(request):
        tag = next((t for t in message.extra_tags.split() if t.startswith(COMMAND_TAG)), None)
        if tag and message.level >= messages.ERROR:
            near_forms.setdefault(tag.removeprefix(COMMAND_TAG), []).append(str(message))
        else:
            general.append(message)
    return general, near_forms


class _Ids:
    """A fresh client-generated id per form on each render: a double submission repeats it."""

    fresh_ids = True  # a kept part ({% memo %}) gets its own ids at each render

    def __getattr__(self, name: str) -> str:
        return str(uuid.uuid4())


def _fresh_ids() -> _Ids:
    return _Ids()


@require_GET
def participant_view(request: HttpRequest, code: str) -> HttpResponse:
    return _render(request, code, "participant")


@require_GET
def console_view(request: HttpRequest, code: str) -> HttpResponse:
    return _render(request, code, "console")


@require_GET
def projector_view(request: HttpRequest, code: str) -> HttpResponse:
    return _render(request, code, "projector")


@require_GET
def state_json(request: HttpRequest, code: str) -> JsonResponse:
    session, participant, _secret = _participant_or_404(request, code)
    return JsonResponse(session_state(session, participant))


def _qr_response(url: str) -> HttpResponse:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=6, dark="#1f2a37", light="#ffffff")
    response = HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def qr_code(request: HttpRequest, code: str) -> HttpResponse:
    """The join QR code, for the console and the projector: its facilitator only (to anyone
    else it would tell that a code is live)."""
    session, participant, _secret = _participant_or_404(request, code)
    if participant.role != LiveRole.FACILITATOR:
        raise stranger(request)
    return _qr_response(join_url(request, session))


@require_GET
def personal_qr(request: HttpRequest, code: str) -> HttpResponse:
    """The QR code of the viewer's own personal link (from their cookie, never from the URL):
    scanned by their new device, it continues on the same seat."""
    session, participant, _secret = _participant_or_404(request, code)
    secret = request.COOKIES.get(cookie_name(session))
    if not secret or seat_for(session, secret=secret) is None:
        raise stranger(request)
    return _qr_response(request.build_absolute_uri(reverse("web:live-rejoin", kwargs={"code": session.join_code, "secret": secret})))


@require_POST
def seats_view(request: HttpRequest, code: str) -> HttpResponse:
    """The facilitator opens more places (form field ``extra``)."""
    session, participant, new_secret = _participant_or_404(request, code)
    try:
        limit = add_seats(session, participant, _int(request.POST.get("extra", "")))
    except JoinRefused as refused:
        messages.error(request, refused.message, extra_tags=COMMAND_TAG + "add_seats")
    else:
        messages.success(request, _("The session now has %(limit)d places.") % {"limit": limit})
    if request.htmx:
        request.GET = request.GET.copy()
        request.GET["fragment"] = "1"
        request.method = "GET"
        return _render(request, code, "console")
    return _with_cookie(redirect("web:live-console", code=session.join_code), session, new_secret)


# --- Commands ------------------------------------------------------------------------------

def _arguments(request: HttpRequest, name: str) -> dict:
    """The command's declared arguments from the form (anything else in it is ignored); the
    command path parses them as it parses every door's (commands.CommandSpec.parse)."""
    spec = commands.COMMANDS.get(name)
    if spec is None:
        return {}
    args = {argument.name: request.POST[argument.name] for argument in spec.arguments if argument.name in request.POST}
    if name == "answer_debrief":
        args["ratings"] = {key.removeprefix("rating_"): value for key, value in request.POST.items() if key.startswith("rating_")}
    if name == "cast_vote":
        args["ballot"] = {
            key.removeprefix("vote_"): _int(value) for key, value in request.POST.items() if key.startswith("vote_")
        }
    return args


def _int(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        return -1


@require_POST
def command_view(request: HttpRequest, code: str) -> HttpResponse:
    session, participant, new_secret = _participant_or_404(request, code)
    name = request.POST.get("command", "")
    back = request.POST.get("view", "participant")
    if back not in VIEWS:
        back = "participant"
    try:
        outcome = commands.execute(session.pk, participant.pk, request.POST.get("client_id", ""), name, _arguments(request, name))
    except commands.CommandRefused as refused:
        # Shown at the form that sent it (the ballot, the text box), not at the top of the page.
        messages.error(request, refused.message, extra_tags=COMMAND_TAG + name)
    else:
        if outcome.notice:
            messages.success(request, outcome.notice)
    target = VIEW_URLS[back]
    if request.htmx:
        # Re-render the fragment in place (messages included).
        request.GET = request.GET.copy()
        request.GET["fragment"] = "1"
        request.method = "GET"
        return _render(request, code, back)
    return _with_cookie(redirect(target, code=session.join_code), session, new_secret)
