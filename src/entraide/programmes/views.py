"""Programme pages: thin; parse, ask ``core.access``, call ``programmes.domain``, render.

Every page of a programme answers 404 to whoever may not see it (access.require with
``programmes.view_programme`` as the view permission): nothing of it leaks.
"""

from datetime import timedelta

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from entraide.community.models import Group
from entraide.core import access, exports
from entraide.core.actions import DomainError
from entraide.core.models import Membership, Organisation, Role, User
from entraide.core.tenancy import tenant_scope
from entraide.mydata.domain import reads
from entraide.web.domain_errors import add_to_form, add_to_messages, applied, attempted
from entraide.web.views import organisation_view

from . import forms as programme_forms
from .domain import charts, programmes as programme_domain, provider_documents, questionnaires as questionnaire_domain, reports
from .domain.questions import DEFAULT_KEYS, questions_for
from .models import Programme, ProgrammeMeeting, Questionnaire


def _programme(request: HttpRequest, organisation: Organisation, pk: int, permission: str = "programmes.view_programme") -> Programme:
    programme = get_object_or_404(Programme.objects.select_related("organisation"), organisation=organisation, pk=pk)
    access.require(request.user, permission, programme)
    return programme


def _commissioners(organisation: Organisation) -> list[User]:
    ids = Membership.objects.filter(organisation=organisation, role=Role.COMMISSIONER).values_list("user_id", flat=True)
    return list(User.objects.filter(pk__in=ids).order_by("display_name"))


def _programme_data(form) -> programme_domain.ProgrammeData:
    return programme_domain.ProgrammeData(**{name: form.cleaned_data[name] for name in programme_domain.ProgrammeData.__dataclass_fields__})


@require_GET
@organisation_view("programmes.list_programmes")
def programme_list(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    return render(request, "programmes/list.html", {
        "organisation": organisation,
        "programmes": programme_domain.visible_programmes(request.user, organisation),
        "can_manage": access.can(request.user, "programmes.manage_programmes", organisation),
    })


def _programme_form(request, organisation, initial=None):
    return programme_forms.ProgrammeForm(
        request.POST or None, initial=initial,
        groups=list(Group.objects.filter(organisation=organisation).order_by("name")), commissioners=_commissioners(organisation),
    )


@require_http_methods(["GET", "POST"])
@organisation_view("programmes.manage_programmes")
def programme_create(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    form = _programme_form(request, organisation)
    if request.method == "POST" and form.is_valid():
        try:
            programme = programme_domain.create_programme(organisation, _programme_data(form), request.user)
        except DomainError as error:
            add_to_form(form, error)
        else:
            messages.success(request, _("The programme was created."))
            return redirect("programmes:detail", org=organisation.slug, pk=programme.pk)
    return render(request, "programmes/form.html", {"organisation": organisation, "form": form}, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@organisation_view("core.view_organisation")
def programme_edit(request: HttpRequest, organisation: Organisation, pk: int) -> HttpResponse:
    programme = _programme(request, organisation, pk, "programmes.manage_programmes")
    initial = {name: getattr(programme, name) for name in programme_domain.ProgrammeData.__dataclass_fields__ if name not in ("groups", "representatives")}
    initial["groups"] = list(programme.groups.values_list("pk", flat=True))
    initial["representatives"] = list(programme.representatives.values_list("pk", flat=True))
    form = _programme_form(request, organisation, initial)
    if request.method == "POST" and form.is_valid():
        try:
            programme_domain.update_programme(programme, _programme_data(form), request.user)
        except DomainError as error:
            add_to_form(form, error)
        else:
            messages.success(request, _("The programme was saved."))
            return redirect("programmes:detail", org=organisation.slug, pk=programme.pk)
    return render(request, "programmes/form.html", {"organisation": organisation, "form": form, "programme": programme}, status=400 if form.errors else 200)


@require_GET
@organisation_view("core.view_organisation")
def programme_detail(request: HttpRequest, organisation: Organisation, pk: int) -> HttpResponse:
    programme = _programme(request, organisation, pk)
    user = request.user
    return render(request, "programmes/detail.html", {
        "organisation": organisation,
        "programme": programme,
        "groups": list(programme.groups.order_by("name")),
        "representatives": list(programme.representatives.order_by("display_name")),
        "meetings": list(programme.meetings.select_related("minutes_by")),
        "questionnaires": list(programme.questionnaires.select_related("group_session__group")),
        "session_count": programme_domain.programme_sessions(programme).count(),
        "can_manage": access.can(user, "programmes.manage_programmes", programme),
        "can_minutes": access.can(user, "programmes.write_minutes", programme),
        "can_questionnaires": access.can(user, "programmes.manage_questionnaires", programme),
        "can_report": access.can(user, "programmes.view_report", programme),
        "can_documents": access.can(user, "programmes.edit_provider_documents", programme),
        "document_kinds": provider_documents.kinds(),
        "meeting_form": programme_forms.MeetingForm(),
    })


@require_http_methods(["GET", "POST"])
@organisation_view("core.view_organisation")
def meeting_create(request: HttpRequest, organisation: Organisation, pk: int) -> HttpResponse:
    programme = _programme(request, organisation, pk, "programmes.manage_programmes")
    form = programme_forms.MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            programme_domain.schedule_meeting(programme, data["kind"], data["date"], data["place"], data["attendees"], request.user)
        except DomainError as error:
            add_to_form(form, error)
        else:
            messages.success(request, _("The meeting was planned."))
            return redirect("programmes:detail", org=organisation.slug, pk=programme.pk)
    return render(request, "programmes/meeting_form.html", {"organisation": organisation, "programme": programme, "form": form}, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@organisation_view("core.view_organisation")
def meeting_edit(request: HttpRequest, organisation: Organisation, pk: int, meeting: int) -> HttpResponse:
    programme = _programme(request, organisation, pk, "programmes.manage_programmes")
    meeting = get_object_or_404(ProgrammeMeeting, programme=programme, pk=meeting)
    form = programme_forms.MeetingForm(request.POST or None, initial={"kind": meeting.kind, "date": meeting.date, "place": meeting.place, "attendees": meeting.attendees})
    form.fields["kind"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            programme_domain.change_meeting(meeting, data["date"], data["place"], data["attendees"], request.user)
        except DomainError as error:
            add_to_form(form, error)
        else:
            messages.success(request, _("The meeting was saved."))
            return redirect("programmes:detail", org=organisation.slug, pk=programme.pk)
    return render(request, "programmes/meeting_form.html", {"organisation": organisation, "programme": programme, "form": form, "meeting": meeting}, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@organisation_view("core.view_organisation")
def meeting_minutes(request: HttpRequest, organisation: Organisation, pk: int, meeting: int) -> HttpResponse:
    programme = _programme(request, organisation, pk, "programmes.write_minutes")
    meeting = get_object_or_404(ProgrammeMeeting, programme=programme, pk=meeting)
    form = programme_forms.MinutesForm(request.POST or None, initial={"minutes": meeting.minutes})
    if request.method == "POST" and form.is_valid():
        try:
            programme_domain.write_minutes(meeting, form.cleaned_data["minutes"], request.user)
        except DomainError as error:
            add_to_form(form, error)
        else:
            messages.success(request, _("The minutes were saved."))
            return redirect("programmes:detail", org=organisation.slug, pk=programme.pk)
    return render(request, "programmes/minutes_form.html", {"organisation": organisation, "programme": programme, "meeting": meeting, "form": form}, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@organisation_view("core.view_organisation")
def questionnaire_create(request: HttpRequest, organisation: Organisation, pk: int) -> HttpResponse:
    programme = _programme(request, organisation, pk, "programmes.manage_questionnaires")
    sessions = list(programme_domain.programme_sessions(programme, until=timezone.localdate()))
    form = programme_forms.QuestionnaireForm(
        request.POST or None, sessions=sessions,
        initial={"question_keys": list(DEFAULT_KEYS), "anonymous": True, "closes_on": timezone.localdate() + timedelta(days=14)},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            questionnaire = questionnaire_domain.create_questionnaire(
                programme,
                questionnaire_domain.NewQuestionnaire(data["title"], data["question_keys"], data["closes_on"], data["group_session"], data["anonymous"]),
                request.user, base_url=request.build_absolute_uri("/").rstrip("/"),
            )
        except DomainError as error:
            add_to_form(form, error)
        else:
            messages.success(request, _("The questionnaire is open; each participant received their link."))
            return redirect("programmes:questionnaire", org=organisation.slug, pk=programme.pk, questionnaire=questionnaire.pk)
    return render(request, "programmes/questionnaire_form.html", {"organisation": organisation, "programme": programme, "form": form}, status=400 if form.errors else 200)


def _questionnaire(programme: Programme, pk: int) -> Questionnaire:
    return get_object_or_404(Questionnaire.objects.select_related("programme", "group_session__group"), programme=programme, pk=pk)


@require_GET
@organisation_view("core.view_organisation")
def questionnaire_detail(request: HttpRequest, organisation: Organisation, pk: int, questionnaire: int) -> HttpResponse:
    programme = _programme(request, organisation, pk, "programmes.view_report")
    questionnaire = _questionnaire(programme, questionnaire)
    can_manage = access.can(request.user, "programmes.manage_questionnaires", programme)
    closed = questionnaire_domain.is_closed(questionnaire)
    texts = questionnaire_domain.consented_texts(questionnaire) if closed and access.can(request.user, "programmes.read_consented_text", programme) else None
    if texts:
        reads.evaluation_texts_read(request.user, questionnaire)  # issue 14: reads of free text are logged
    return render(request, "programmes/questionnaire.html", {
        "organisation": organisation, "programme": programme, "questionnaire": questionnaire,
        "questions": questions_for(questionnaire.question_keys),
        "closed": closed,
        "report": reports.questionnaire_report(questionnaire, record=True),
        "can_manage": can_manage,
        "not_answered": questionnaire_domain.not_answered(questionnaire) if can_manage and not closed else None,
        # Free text: the intervenant, only texts whose authors agreed, only once closed.
        "texts": texts,
    })


@require_POST
@organisation_view("core.view_organisation")
def questionnaire_close(request: HttpRequest, organisation: Organisation, pk: int, questionnaire: int) -> HttpResponse:
    programme = _programme(request, organisation, pk, "programmes.manage_questionnaires")
    questionnaire = _questionnaire(programme, questionnaire)
    try:
        questionnaire_domain.close_questionnaire(questionnaire, request.user)
    except DomainError as error:
        add_to_messages(request, error)
    else:
        messages.success(request, _("The questionnaire is closed."))
    return redirect("programmes:questionnaire", org=organisation.slug, pk=programme.pk, questionnaire=questionnaire.pk)


def _report_context(organisation: Organisation, programme: Programme) -> dict:
    today = timezone.localdate()
    report = reports.programme_report(programme, today, record=True)
    return {
        "organisation": organisation, "programme": programme, "k": reports.report_k(), "today": today,
        "attendance": report.attendance, "attendance_chart": charts.attendance_chart(report.attendance),
        "questionnaires": report.questionnaires,
    }


@require_GET
@organisation_view("core.view_organisation")
def report(request: HttpRequest, organisation: Organisation, pk: int) -> HttpResponse:
    programme = _programme(request, organisation, pk, "programmes.view_report")
    return render(request, "programmes/report.html", _report_context(organisation, programme))


@require_GET
@organisation_view("core.view_organisation")
def report_csv(request: HttpRequest, organisation: Organisation, pk: int) -> HttpResponse:
    programme = _programme(request, organisation, pk, "programmes.view_report")
    context = _report_context(organisation, programme)
    rows = []
    for session, cell in context["attendance"].sessions:
        rows.append([_("Attendance"), f"{session.group.name} {session.date:%Y-%m-%d}", _("present"), str(cell), cell.reason])
    rows.append([_("Attendance"), _("Overall"), _("present"), str(context["attendance"].overall), context["attendance"].overall.reason])
    for questionnaire_report in context["questionnaires"]:
        title = questionnaire_report.questionnaire.title
        if not questionnaire_report.shown:
            rows.append([title, "", _("respondents"), questionnaire_report.respondents if questionnaire_report.closed else "", questionnaire_report.reason])
            continue
        rows.append([title, "", _("respondents"), questionnaire_report.respondents, ""])
        for question in questionnaire_report.questions:
            labels = dict(question.labels)
            for value, cell in question.breakdown.cells.items():
                rows.append([title, question.text, labels.get(value, value), str(cell), cell.reason])
            if question.breakdown.mean is not None:
                rows.append([title, question.text, _("mean (1-5)"), question.breakdown.mean, ""])
    body = exports.csv_document([_("Report"), _("Item"), _("Figure"), _("Value"), _("Note")], rows)
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="programme-{programme.pk}.csv"'
    return response


@require_GET
@organisation_view("core.view_organisation")
def report_pdf(request: HttpRequest, organisation: Organisation, pk: int) -> HttpResponse:
    programme = _programme(request, organisation, pk, "programmes.view_report")
    from django.template.loader import render_to_string

    context = _report_context(organisation, programme)
    context["language"] = translation.get_language()
    html = render_to_string("programmes/report_pdf.html", context)
    response = HttpResponse(exports.render_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="programme-{programme.pk}.pdf"'
    return response


def _document(request: HttpRequest, organisation: Organisation, pk: int, kind: str):
    programme = _programme(request, organisation, pk, "programmes.edit_provider_documents")
    if kind not in dict(provider_documents.kinds()):
        raise Http404
    return programme, provider_documents.provider_document(programme, kind)


@require_http_methods(["GET", "POST"])
@organisation_view("core.view_organisation")
def provider_document(request: HttpRequest, organisation: Organisation, pk: int, kind: str) -> HttpResponse:
    """Edit a document for the commissioner (methodological note, planning prévisionnel) before
    its export; "Regenerate" forgets the edits."""
    programme, document = _document(request, organisation, pk, kind)
    if request.method == "POST" and "regenerate" in request.POST:
        if attempted(request, lambda: provider_documents.regenerate_provider_document(programme, kind, request.user), _("The document was generated again from the programme.")):
            return redirect("programmes:document", org=organisation.slug, pk=programme.pk, kind=kind)
    form = programme_forms.ProviderDocumentForm(request.POST if "save" in request.POST else None, document=document)

    def save(data):
        sections = {key: data[key] for key in form.section_keys}
        provider_documents.save_provider_document(programme, kind, sections, data["signatory"], data["signed_on"], request.user)

    if request.method == "POST" and "save" in request.POST and applied(request, form, save, _("The document was saved.")):
        return redirect("programmes:document", org=organisation.slug, pk=programme.pk, kind=kind)
    return render(request, "programmes/document_form.html", {
        "organisation": organisation, "programme": programme, "document": document, "form": form,
    }, status=400 if form.errors else 200)


@require_GET
@organisation_view("core.view_organisation")
def provider_document_pdf(request: HttpRequest, organisation: Organisation, pk: int, kind: str) -> HttpResponse:
    """The document as saved (or generated), as a PDF to hand to the commissioner."""
    from django.template.loader import render_to_string

    programme, document = _document(request, organisation, pk, kind)
    html = render_to_string("programmes/document_pdf.html", {
        "organisation": organisation, "programme": programme, "document": document,
        "language": translation.get_language(), "today": timezone.localdate(),
    })
    response = HttpResponse(exports.render_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="programme-{programme.pk}-{kind}.pdf"'
    return response


@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, token: str) -> HttpResponse:
    """The answer page of a single-use link (no account needed). Nothing about the person is
    read or stored: not the account, not the time."""
    questionnaire = questionnaire_domain.questionnaire_for_token(token)
    if questionnaire is None:
        raise Http404
    with tenant_scope(questionnaire.programme.organisation):
        questions = questions_for(questionnaire.question_keys)
        form = programme_forms.AnswerForm(request.POST or None, questions=questions)
        used = not questionnaire_domain.token_is_unused(token)
        open_now = questionnaire_domain.is_open(questionnaire)
        if request.method == "POST" and form.is_valid():
            try:
                questionnaire_domain.submit_answers(token, {k: str(v) if not isinstance(v, bool) else ("on" if v else "") for k, v in form.cleaned_data.items()})
            except DomainError as error:
                add_to_form(form, error)
            else:
                return render(request, "programmes/answer_done.html", {"questionnaire": questionnaire})
        return render(request, "programmes/answer.html", {
            "questionnaire": questionnaire, "form": form, "used": used, "open": open_now,
        }, status=400 if form.errors else 200)
