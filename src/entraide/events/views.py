"""Pages of events: the public page with its registration form (no account, no JavaScript
needed), the personal cancellation link, and the coordinators' pages. Views parse, ask
``core.access`` and call ``events.domain``."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext as _, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from entraide.core import access
from entraide.core.exports import csv_document
from entraide.core.models import Organisation
from entraide.core.tenancy import tenant_scope
from entraide.web import domain_errors
from entraide.web.views import organisation_view

from .domain.errors import EventError
from .domain.events import EventData, active_registrations, events_with_counts, role_places, save_event, upcoming_for_member
from .domain.mail import event_calendar, location_of
from .domain.registrations import cancel_registration, register, registration_for_token, registrations_open
from .forms import EventForm, RegistrationForm
from .models import Event, EventRoleKind, Registration


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _choice_labels(places: list[dict]) -> list[dict]:
    for place in places:
        if place["remaining"]:
            detail = ngettext("%(count)d place left", "%(count)d places left", place["remaining"]) % {"count": place["remaining"]}
        else:
            detail = _("full: waiting list")
        place["choice_label"] = f"{capfirst(place['label'])} — {detail}"
    return places


# --- Public pages (no account) -------------------------------------------------------------


def _public_event(request: HttpRequest, org: str, slug: str) -> tuple[Event, bool]:
    """The event behind a public address, or 404: drafts and members-only events are hidden
    (coordinators of the organisation preview their drafts). Runs inside the tenant scope."""
    organisation = get_object_or_404(Organisation, slug=org)
    with tenant_scope(organisation):
        event = Event.objects.select_related("organisation", "protocol__current").filter(organisation=organisation, slug=slug).first()
    if event is None:
        raise Http404
    preview = access.can(request.user, "events.manage_event", organisation)
    if event.status == Event.Status.DRAFT and not preview:
        raise Http404
    if not event.public and not access.can(request.user, "core.view_organisation", organisation):
        raise Http404
    return event, preview


@require_http_methods(["GET", "POST"])
def public_event(request: HttpRequest, org: str, slug: str) -> HttpResponse:
    event, preview = _public_event(request, org, slug)
    with tenant_scope(event.organisation):
        places = _choice_labels(role_places(event))
    initial = {"language": get_language() if get_language() in dict(RegistrationForm.base_fields["language"].choices) else "fr"}
    if request.user.is_authenticated:  # a member registering from their space: their name and address
        initial.update(name=request.user.display_name, email=request.user.email)
    open_roles = [p for p in places if p["open"]]
    if len(open_roles) == 1:
        initial["role"] = open_roles[0]["role"]
    form = RegistrationForm(request.POST or None, places=places, initial=initial)
    error = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            registered = register(
                event, data["role"], data["name"], data["email"], data["language"], data["question"],
                user=request.user, base_url=_base_url(request),
            )
        except EventError as refused:
            if refused.field and refused.field in form.fields:
                form.add_error(refused.field, refused.message)
            else:
                error = refused.message
        else:
            registration = registered.registration
            if registered.waiting:
                messages.success(request, _(
                    "Thank you, %(name)s. All places for this role are taken: you are number %(position)d on the "
                    "waiting list. We will email you if a place becomes free."
                ) % {"name": registration.name, "position": registration.waiting_position})
            else:
                messages.success(request, _(
                    "Thank you, %(name)s: your registration is confirmed. A confirmation email is on its way to %(email)s."
                ) % {"name": registration.name, "email": registration.email})
            return redirect(event.public_url() + "#registration")
    elif request.method == "POST":
        error = _("The registration was not saved: please correct the fields marked below.")
    status = 400 if request.method == "POST" else 200
    return render(request, "events/public.html", {
        "event": event,
        "places": places,
        "form": form,
        "error": error,
        "preview": preview,
        "open": registrations_open(event),
        "location": location_of(event),
    }, status=status)


@require_GET
def event_ics(request: HttpRequest, org: str, slug: str) -> HttpResponse:
    event, _preview = _public_event(request, org, slug)
    response = HttpResponse(event_calendar(event, _base_url(request)), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}.ics"'
    return response


@require_http_methods(["GET", "POST"])
def cancel_by_link(request: HttpRequest, org: str, slug: str, token: str) -> HttpResponse:
    """The personal link of the emails: a GET shows what will be cancelled, a POST cancels."""
    organisation = get_object_or_404(Organisation, slug=org)
    with tenant_scope(organisation):
        event = get_object_or_404(Event.objects.select_related("organisation"), organisation=organisation, slug=slug)
        registration = registration_for_token(event, token)
        if registration is None:
            raise Http404
        done = registration.status == Registration.Status.CANCELLED
        if request.method == "POST" and not done:
            cancel_registration(registration, _base_url(request))
            messages.success(request, _("Your registration is cancelled. Thank you for letting us know."))
            return redirect(request.path)
    return render(request, "events/cancel.html", {"event": event, "registration": registration, "done": done})


# --- Coordinators --------------------------------------------------------------------------


@require_GET
@organisation_view("events.list_events")
def event_list(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    """Coordinators manage the events from here; facilitators find the presenters' questions."""
    events = events_with_counts(organisation)
    return render(request, "events/list.html", {
        "organisation": organisation,
        "events": events,
        "can_manage": access.can(request.user, "events.manage_event", organisation),
        "can_read_questions": access.can(request.user, "events.view_presenter_questions", organisation),
    })


@require_GET
@organisation_view("core.view_organisation")
def member_events(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    """Every member sees the network's coming events (public or members-only) and registers."""
    return render(request, "events/upcoming.html", {
        "organisation": organisation,
        "member_events": upcoming_for_member(organisation, request.user),
        "can_manage": access.can(request.user, "events.list_events", organisation),
    })


def _edit(request: HttpRequest, organisation: Organisation, event: Event | None) -> HttpResponse:
    capacities = dict(event.roles.values_list("role", "capacity")) if event else {}
    if request.method == "POST":
        form = EventForm(request.POST, organisation=organisation)
        if form.is_valid():
            try:
                saved = save_event(
                    organisation, request.user, form.event_data(), form.capacities(), event=event, base_url=_base_url(request)
                )
            except EventError as refused:
                domain_errors.add_to_form(form, refused)
            else:
                messages.success(request, _("The event is saved."))
                return redirect(saved.get_absolute_url())
    else:
        initial = EventForm.initial_for(event, capacities) if event else None
        form = EventForm(initial=initial, organisation=organisation)
    return render(
        request, "events/form.html", {"organisation": organisation, "event": event, "form": form, "time_zones": form.time_zones()},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@organisation_view("events.manage_event")
def event_create(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    return _edit(request, organisation, None)


def _event_or_404(organisation: Organisation, slug: str) -> Event:
    return get_object_or_404(Event.objects.select_related("organisation"), organisation=organisation, slug=slug)


@require_http_methods(["GET", "POST"])
@organisation_view("events.manage_event")
def event_edit(request: HttpRequest, organisation: Organisation, slug: str) -> HttpResponse:
    return _edit(request, organisation, _event_or_404(organisation, slug))


@require_GET
@organisation_view("core.view_organisation")
def event_detail(request: HttpRequest, organisation: Organisation, slug: str) -> HttpResponse:
    """Registrations per role, the waiting lists in order: for the coordinators (who edit the
    event and cancel registrations) and the event's facilitators (who read it, the presenters'
    questions included). Coordinators who do not facilitate never see the questions."""
    event = _event_or_404(organisation, slug)
    access.require(request.user, "events.view_event", event)
    can_read_questions = access.can(request.user, "events.view_presenter_questions", event)
    registrations = list(active_registrations(event, with_questions=can_read_questions))
    roles = []
    for place in role_places(event):
        mine = [r for r in registrations if r.role == place["role"]]
        roles.append({
            **place,
            "confirmed_list": [r for r in mine if r.status == Registration.Status.CONFIRMED],
            "waiting_list": [r for r in mine if r.status == Registration.Status.WAITING],
        })
    return render(request, "events/detail.html", {
        "organisation": organisation,
        "event": event,
        "roles": roles,
        "public_link": request.build_absolute_uri(event.public_url()),
        "location": location_of(event),
        "facilitators": list(event.facilitators.order_by("display_name", "email")),
        "can_manage": access.can(request.user, "events.manage_event", organisation),
        "can_read_questions": can_read_questions,
        "can_facilitate": access.can(request.user, "events.facilitate_event", event),
        "can_open_live": access.can(request.user, "events.open_live_session", event),
        "live_session": live_session_box(event, request.user),
    })


def live_session_box(event: Event, user) -> dict | None:
    """What the event's page says of its live session: the one in progress (its code, and
    whether this user holds its console), or None when none is open."""
    from entraide.live.domain.event_session import running_session_of
    from entraide.live.domain.opening import format_code, seat_for
    from entraide.live.models import LiveRole

    session = running_session_of(event)
    if session is None:
        return None
    seat = seat_for(session, user=user)
    return {"code": session.join_code, "shown_code": format_code(session.join_code),
            "console": seat is not None and seat.role == LiveRole.FACILITATOR}


@require_POST
@organisation_view("core.view_organisation")
def open_live(request: HttpRequest, organisation: Organisation, slug: str) -> HttpResponse:
    """"Ouvrir la session en direct": the event's facilitator (or a coordinator) opens its live
    session with the registered presenters and their questions, and lands on the console."""
    from entraide.core.text import SingleLineError
    from entraide.live.domain.event_session import EventSessionRefused, open_event_session
    from entraide.protocols.domain.agenda import AgendaError
    from entraide.web.live_views import _with_cookie

    event = _event_or_404(organisation, slug)
    access.require(request.user, "events.open_live_session", event)
    try:
        session, seat, seated = open_event_session(event, request.user, base_url=request.build_absolute_uri("/"))
    except (EventSessionRefused, AgendaError, SingleLineError) as refused:
        messages.error(request, refused.message)
        return redirect(event.get_absolute_url() + "#live-session")
    if seated:
        messages.success(request, ngettext(
            "%(count)d registered person is seated and was emailed their personal link.",
            "%(count)d registered people are seated and were emailed their personal link.", len(seated),
        ) % {"count": len(seated)})
    return _with_cookie(redirect("web:live-console", code=session.join_code), session, seat.secret)


@require_POST
@organisation_view("events.manage_event")
def registration_cancel(request: HttpRequest, organisation: Organisation, slug: str, pk: int) -> HttpResponse:
    event = _event_or_404(organisation, slug)
    registration = get_object_or_404(Registration, event=event, pk=pk)
    promoted = cancel_registration(registration, _base_url(request), actor=request.user)
    messages.success(request, _("The registration of %(name)s is cancelled.") % {"name": registration.name})
    if promoted is not None:
        messages.success(request, _("%(name)s, first on the waiting list, is now confirmed and was emailed.") % {"name": promoted.name})
    return redirect(event.get_absolute_url())


@require_GET
@organisation_view("events.manage_event")
def registrations_csv(request: HttpRequest, organisation: Organisation, slug: str) -> HttpResponse:
    """Who registered, in which role and with which status. The presenters' questions are not
    exported: they are content, read by the event's facilitators only."""
    event = _event_or_404(organisation, slug)
    rows = (
        Registration.objects.filter(event=event).exclude(status=Registration.Status.CANCELLED)
        .only("name", "email", "role", "status", "waiting_position", "language", "created_at", "event_id")
        .order_by("role", "status", "waiting_position", "created_at")
    )
    document = csv_document(
        [_("Name"), _("Email"), _("Role"), _("Status"), _("Waiting position"), _("Language"), _("Registered at")],
        (
            [
                registration.name, registration.email, registration.get_role_display(),
                registration.get_status_display(), registration.waiting_position or "", registration.language,
                registration.created_at.strftime("%Y-%m-%d %H:%M"),
            ]
            for registration in rows
        ),
    )
    response = HttpResponse(document, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}-inscriptions.csv"'
    return response


@require_GET
@organisation_view("core.view_organisation")
def presenter_questions(request: HttpRequest, organisation: Organisation, slug: str) -> HttpResponse:
    """The questions presenters bring, for the facilitators who form the tables: the
    organisation's facilitators and the event's own (core.access, events.view_presenter_questions)."""
    event = _event_or_404(organisation, slug)
    access.require(request.user, "events.view_presenter_questions", event)
    presenters = Registration.objects.filter(
        event=event, role=EventRoleKind.PRESENTER
    ).exclude(status=Registration.Status.CANCELLED).order_by("status", "waiting_position", "created_at")
    return render(request, "events/questions.html", {"organisation": organisation, "event": event, "presenters": presenters})
