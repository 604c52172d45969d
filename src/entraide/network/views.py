"""Pages of the network's services: supervision requests, collective supervisions, mentoring,
the network page. Thin: parse, ask ``core.access`` (through ``organisation_view`` and the
domain), call ``network.domain``, render. Refusals re-show the form with the domain's message
(status 400) and change nothing."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from entraide.core import access
from entraide.core.actions import DomainError
from entraide.core.models import Organisation
from entraide.mydata.domain import reads
from entraide.web.domain_errors import add_to_form, add_to_messages, applied, attempted
from entraide.web.views import organisation_view

from .domain import requests as request_domain
from .domain import mentoring, supervisions
from .forms import AskForm, ConcernForm, MeetingForm, OfferForm, PafForm, ProposalForm, RequestForm


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


# --- Supervision requests -------------------------------------------------------------------


@require_GET
@organisation_view("network.take_part")
def request_list(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    return render(
        request,
        "network/request_list.html",
        {
            "organisation": organisation,
            "rows": request_domain.visible_requests(request.user, organisation),
            "is_coordinator": access.can(request.user, "network.coordinate", organisation),
        },
    )


@require_http_methods(["GET", "POST"])
@organisation_view("network.take_part")
def request_new(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    form = RequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            raised = request_domain.raise_request(
                request.user, organisation, data["title"], data["situation"], data["anonymous"], base_url=_base_url(request)
            )
        except DomainError as error:
            add_to_form(form, error)
        else:
            messages.success(request, _("Your request is sent to the network."))
            return redirect("network:request", org=organisation.slug, pk=raised.pk)
    return render(request, "network/request_form.html", {"organisation": organisation, "form": form}, status=400 if form.errors else 200)


def _paf_initial(supervision) -> dict:
    return {
        "speaker_name": supervision.speaker_name, "speaker_fee": supervision.speaker_fee, "costs": supervision.costs,
        "paf_floor": supervision.paf_floor if supervision.paf_floor is not None else "",
        "paf_cap": supervision.paf_cap if supervision.paf_cap is not None else "", "currency": supervision.currency,
    }


def _detail(request: HttpRequest, organisation: Organisation, found, concern_form: ConcernForm | None = None, paf_form: PafForm | None = None, status: int = 200) -> HttpResponse:
    view = request_domain.view_of(request.user, found)
    if concern_form is None:
        concern_form = ConcernForm(initial={"word": view.my_word})
    supervision = supervisions.view_for(request.user, found)
    if paf_form is None and supervision is not None and supervision.can_manage:
        paf_form = PafForm(initial=_paf_initial(supervision.supervision))
    return render(
        request,
        "network/request_detail.html",
        {
            "organisation": organisation,
            "view": view,
            "concern_form": concern_form,
            "can_concern": access.can(request.user, "network.be_concerned", found),
            "can_withdraw": access.can(request.user, "network.withdraw_request", found),
            "can_propose": access.can(request.user, "network.propose_supervision", found),
            "supervision": supervision,
            "paf_form": paf_form,
        },
        status=status,
    )


@require_GET
@organisation_view("network.take_part")
def request_detail(request: HttpRequest, organisation: Organisation, pk: int) -> HttpResponse:
    found = request_domain.request_or_404(request.user, organisation, pk)
    reads.supervision_request_read(request.user, found)  # issue 14: its raiser sees who read it
    return _detail(request, organisation, found)


@require_POST
@organisation_view("network.take_part")
def request_concern(request: HttpRequest, organisation: Organisation, pk: int) -> HttpResponse:
    found = request_domain.request_or_404(request.user, organisation, pk)
    form = ConcernForm(request.POST)
    if applied(request, form, lambda data: request_domain.say_concerned(request.user, found, data["word"]), _("The coordinators know you are concerned.")):
        return redirect("network:request", org=organisation.slug, pk=found.pk)
    return _detail(request, organisation, found, concern_form=form, status=400)


@require_POST
@organisation_view("network.take_part")
def request_unconcern(request: HttpRequest, organisation: Organisation, pk: int) -> HttpResponse:
    found = request_domain.request_or_404(request.user, organisation, pk)
    request_domain.withdraw_concern(request.user, found)
    messages.success(request, _("You are no longer counted as concerned."))
    return redirect("network:request", org=organisation.slug, pk=found.pk)


@require_POST
@organisation_view("network.take_part")
def request_withdraw(request: HttpRequest, organisation: Organisation, pk: int) -> HttpResponse:
    found = request_domain.request_or_404(request.user, organisation, pk)
    attempted(request, lambda: request_domain.withdraw_request(request.user, found), _("The request is withdrawn."))
    return redirect("network:requests", org=organisation.slug)


# --- Collective supervision -----------------------------------------------------------------


def _people(organisation: Organisation) -> list:
    """Who may facilitate a collective supervision: the organisation's accounts but its commissioners."""
    from entraide.core.models import Membership, Role

    return [m.user for m in Membership.objects.filter(organisation=organisation).exclude(role=Role.COMMISSIONER).select_related("user").order_by("user__display_name")]


@require_http_methods(["GET", "POST"])
@organisation_view("network.coordinate")
def supervision_propose(request: HttpRequest, organisation: Organisation, pk: int) -> HttpResponse:
    found = request_domain.request_or_404(request.user, organisation, pk)
    access.require(request.user, "network.propose_supervision", found)
    people = _people(organisation)
    form = ProposalForm(request.POST or None, people=people, initial={"facilitator": request.user.pk})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        proposal = supervisions.Proposal(
            date=data["date"], start=data["start"], end=data["end"], place=data["place"], capacity=data["capacity"],
            facilitator=form.people.get(data["facilitator"]) if data["facilitator"] else None,
            speaker_name=data["speaker_name"], speaker_fee=data["speaker_fee"], costs=data["costs"],
            paf_floor=data["paf_floor"], paf_cap=data["paf_cap"], currency=data["currency"],
        )
        try:
            supervisions.propose(request.user, found, proposal, base_url=_base_url(request))
        except DomainError as error:
            add_to_form(form, error)
        else:
            messages.success(request, _("The collective supervision is proposed; the people concerned are invited by email."))
            return redirect("network:request", org=organisation.slug, pk=found.pk)
    view = request_domain.view_of(request.user, found)
    return render(request, "network/supervision_form.html", {"organisation": organisation, "view": view, "form": form}, status=400 if form.errors else 200)


@require_POST
@organisation_view("network.take_part")
def supervision_register(request: HttpRequest, organisation: Organisation, pk: int) -> HttpResponse:
    found = request_domain.request_or_404(request.user, organisation, pk)
    try:
        joined = supervisions.register(request.user, found)
    except DomainError as error:
        add_to_messages(request, error)
    else:
        messages.success(request, _("You are registered.") if joined else _("The session is full: you are on the waiting list."))
    return redirect("network:request", org=organisation.slug, pk=found.pk)


@require_POST
@organisation_view("network.take_part")
def supervision_decline(request: HttpRequest, organisation: Organisation, pk: int) -> HttpResponse:
    found = request_domain.request_or_404(request.user, organisation, pk)
    attempted(request, lambda: supervisions.decline(request.user, found), _("Your answer is recorded."))
    return redirect("network:request", org=organisation.slug, pk=found.pk)


@require_POST
@organisation_view("network.coordinate")
def supervision_paf(request: HttpRequest, organisation: Organisation, pk: int) -> HttpResponse:
    found = request_domain.request_or_404(request.user, organisation, pk)
    current = supervisions.view_for(request.user, found)
    if current is None:
        from django.http import Http404

        raise Http404
    form = PafForm(request.POST)
    if applied(request, form, lambda data: supervisions.set_paf(request.user, current.supervision, data["speaker_name"], data["speaker_fee"], data["costs"], data["paf_floor"], data["paf_cap"], data["currency"]), _("The PAF is saved.")):
        return redirect("network:request", org=organisation.slug, pk=found.pk)
    return _detail(request, organisation, found, paf_form=form, status=400)


@require_POST
@organisation_view("network.coordinate")
def supervision_paf_due(request: HttpRequest, organisation: Organisation, pk: int) -> HttpResponse:
    """Enter the PAF each registered member owes in the ledger (supervisions.record_paf_due)."""
    found = request_domain.request_or_404(request.user, organisation, pk)
    current = supervisions.view_for(request.user, found)
    if current is None:
        from django.http import Http404

        raise Http404
    try:
        recorded = supervisions.record_paf_due(request.user, current.supervision)
    except DomainError as error:
        add_to_messages(request, error)
    else:
        if recorded:
            messages.success(request, ngettext("The PAF is recorded as due for %(count)d person.", "The PAF is recorded as due for %(count)d people.", recorded) % {"count": recorded})
        else:
            messages.info(request, _("Everybody registered is already in the ledger for this PAF."))
    return redirect("network:request", org=organisation.slug, pk=found.pk)


# --- Mentoring (parrainage) -------------------------------------------------------------------


def _mentoring_page(request: HttpRequest, organisation: Organisation, offer_form: OfferForm | None = None, status: int = 200) -> HttpResponse:
    data = mentoring.mine(request.user, organisation)
    if offer_form is None:
        own = data.offer
        offer_form = OfferForm(initial={"wording": own.wording, "tags": ", ".join(own.tags), "capacity": own.capacity, "active": own.active} if own else None)
    return render(request, "network/mentoring.html", {"organisation": organisation, "data": data, "offer_form": offer_form}, status=status)


@require_GET
@organisation_view("network.take_part")
def mentoring_home(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    return _mentoring_page(request, organisation)


@require_POST
@organisation_view("network.take_part")
def mentor_offer(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    form = OfferForm(request.POST)
    if applied(request, form, lambda data: mentoring.offer(request.user, organisation, data["wording"], data["tags"], data["capacity"], data["active"]), _("Your offer is saved. Thank you!")):
        return redirect("network:mentoring", org=organisation.slug)
    return _mentoring_page(request, organisation, offer_form=form, status=400)


@require_http_methods(["GET", "POST"])
@organisation_view("network.take_part")
def mentoring_new(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    form = AskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            asked = mentoring.ask(request.user, organisation, data["kind"], data["length"], data["tags"], data["text"])
        except DomainError as error:
            add_to_form(form, error)
        else:
            messages.success(request, _("Your request is sent. Choose a mentor below, or the coordinators will match you."))
            return redirect("network:mentoring-request", org=organisation.slug, pk=asked.pk)
    return render(request, "network/mentoring_form.html", {"organisation": organisation, "form": form}, status=400 if form.errors else 200)


def _mentoring_detail(request: HttpRequest, organisation: Organisation, found, *, meeting_form=None, paf_form=None, status: int = 200) -> HttpResponse:
    from .domain.paf import describe, paf_per_person

    can_match = found.status == "open" and access.can(request.user, "network.match_mentoring", found)
    current = getattr(found, "match", None)
    coordinator = access.can(request.user, "network.coordinate", organisation)
    if paf_form is None and coordinator:
        paf_form = PafForm(initial=_paf_initial(found))
    rule = found.paf_rule()
    return render(
        request,
        "network/mentoring_request.html",
        {
            "organisation": organisation,
            "found": found,
            "mentor": current.mentor if current and current.ended_at is None else None,
            "suggestions": mentoring.suggestions(request.user, found) if can_match else [],
            "can_match": can_match,
            "can_record": access.can(request.user, "network.record_meeting", found) and current is not None and current.ended_at is None,
            "can_end": found.status != "closed" and (access.can(request.user, "network.record_meeting", found) or coordinator),
            "meetings": mentoring.meetings_with_my_notes(request.user, found),
            "meeting_form": meeting_form or MeetingForm(),
            "paf_form": paf_form,
            "paf_text": describe(rule, 1) if rule.total or rule.floor else "",
            "paf_amount": paf_per_person(rule, 1),
        },
        status=status,
    )


@require_GET
@organisation_view("network.take_part")
def mentoring_request(request: HttpRequest, organisation: Organisation, pk: int) -> HttpResponse:
    return _mentoring_detail(request, organisation, mentoring.request_or_404(request.user, organisation, pk))


@require_POST
@organisation_view("network.take_part")
def mentoring_match(request: HttpRequest, organisation: Organisation, pk: int) -> HttpResponse:
    found = mentoring.request_or_404(request.user, organisation, pk)
    try:
        offer_id = int(request.POST["offer"]) if request.POST.get("offer", "").isdigit() else 0
        mentoring.match(request.user, found, offer_id, base_url=_base_url(request))
    except DomainError as error:
        add_to_messages(request, error)
    else:
        messages.success(request, _("The mentoring starts: the two of you can record your meetings here."))
    return redirect("network:mentoring-request", org=organisation.slug, pk=found.pk)


@require_POST
@organisation_view("network.take_part")
def mentoring_meeting(request: HttpRequest, organisation: Organisation, pk: int) -> HttpResponse:
    found = mentoring.request_or_404(request.user, organisation, pk)
    form = MeetingForm(request.POST)
    if applied(request, form, lambda data: mentoring.record_meeting(request.user, found, data["date"]), _("The meeting is recorded.")):
        return redirect("network:mentoring-request", org=organisation.slug, pk=found.pk)
    return _mentoring_detail(request, organisation, found, meeting_form=form, status=400)


@require_POST
@organisation_view("network.take_part")
def meeting_note(request: HttpRequest, organisation: Organisation, pk: int, meeting: int) -> HttpResponse:
    from django.http import Http404

    from .models import MentoringMeeting

    found = mentoring.request_or_404(request.user, organisation, pk)
    item = MentoringMeeting.objects.select_related("match__request__organisation").filter(match__request=found, pk=meeting).first()
    if item is None:
        raise Http404
    attempted(request, lambda: mentoring.save_note(request.user, item, request.POST.get("text", "")), _("Your private note is saved."))
    return redirect("network:mentoring-request", org=organisation.slug, pk=found.pk)


@require_POST
@organisation_view("network.take_part")
def mentoring_end(request: HttpRequest, organisation: Organisation, pk: int) -> HttpResponse:
    found = mentoring.request_or_404(request.user, organisation, pk)
    mentoring.end(request.user, found)
    messages.success(request, _("The mentoring is closed."))
    return redirect("network:mentoring", org=organisation.slug)


@require_POST
@organisation_view("network.coordinate")
def mentoring_paf(request: HttpRequest, organisation: Organisation, pk: int) -> HttpResponse:
    found = mentoring.request_or_404(request.user, organisation, pk)
    form = PafForm(request.POST)
    if applied(request, form, lambda data: mentoring.set_paf(request.user, found, data["speaker_name"], data["speaker_fee"], data["costs"], data["paf_floor"], data["paf_cap"], data["currency"]), _("The PAF is saved.")):
        return redirect("network:mentoring-request", org=organisation.slug, pk=found.pk)
    return _mentoring_detail(request, organisation, found, paf_form=form, status=400)


# --- The network page -----------------------------------------------------------------------


@require_GET
@organisation_view("network.take_part")
def network_home(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    from .domain.overview import overview

    return render(request, "network/home.html", {"organisation": organisation, "network": overview(request.user, organisation)})
