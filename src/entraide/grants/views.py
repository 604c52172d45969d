"""Pages of training grants, the ledger and the network's articles: parse, ask ``core.access``,
call ``grants.domain``, render. A request and everything under it (receipts, payments, trace,
article) is its member's and the coordinators'; everyone else gets a 404."""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from entraide.core import access
from entraide.core.actions import DomainError
from entraide.core.models import Membership, Organisation, Role, User
from entraide.core.tenancy import tenant_scope
from entraide.web.domain_errors import add_to_form, applied
from entraide.web.views import organisation_view

from .domain import articles, grants, ledger, receipts
from .forms import ArticleForm, BudgetForm, DecisionForm, FeeForm, GrantRequestForm, PaymentForm, ReceiptForm, ReviewForm
from .models import Article, GrantRequest, Receipt


def member_view(permission: str = "grants.ask") -> Callable:
    """An organisation page for its current members (``grants.domain.grants.require_member``,
    the rule every door asks): strangers get a 404, a commissioner or a former member the
    refusal's message (403). Menus ask the same ``permission`` (web/navigation.py)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, org: str, **kwargs) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            organisation = get_object_or_404(Organisation, slug=org)
            access.require(request.user, "core.view_organisation", organisation)
            try:
                grants.require_member(request.user, organisation)
            except grants.NotMember as refused:
                return render(request, "web/error.html", {"status": 403, "title": _("For the network's members"), "message": refused.message}, status=403)
            with tenant_scope(organisation):
                return view(request, organisation, **kwargs)

        wrapper.required_permission = permission
        return wrapper

    return decorator


def _grant_or_404(request: HttpRequest, organisation: Organisation, pk: int, permission: str = "grants.view_request") -> GrantRequest:
    grant = GrantRequest.objects.select_related("member", "organisation", "decided_by").filter(organisation=organisation, pk=pk).first()
    if grant is None:
        raise Http404
    access.require(request.user, permission, grant)
    return grant


def _money_context(organisation: Organisation) -> dict:
    return {"organisation": organisation, "currency": grants.currency_of(organisation)}


# --- Members -------------------------------------------------------------------------------


@require_GET
@member_view()
def my_requests(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    return render(request, "grants/my_requests.html", {
        **_money_context(organisation),
        "grants": grants.requests_of(organisation, member=request.user),
        "can_manage": access.can(request.user, "grants.manage", organisation),
    })


@require_http_methods(["GET", "POST"])
@member_view()
def new_request(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    form = GrantRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = grants.ask_grant(request.user, organisation, grants.GrantAsk(**form.cleaned_data))
        except DomainError as refused:
            add_to_form(form, refused)
        else:
            messages.success(request, _("Your request is sent. The coordinators will decide and tell you why."))
            return redirect("grants:detail", org=organisation.slug, pk=created.pk)
    return render(request, "grants/new_request.html", {**_money_context(organisation), "form": form}, status=400 if form.errors else 200)


# --- One request ---------------------------------------------------------------------------


def _detail(request: HttpRequest, organisation: Organisation, grant: GrantRequest, status: int = 200, **forms) -> HttpResponse:
    user = request.user
    is_requester = access.can(user, "grants.change_request", grant)
    can_manage = access.can(user, "grants.manage", grant)
    receipt_list = list(grant.receipts.all())
    payments = list(grant.payments.prefetch_related("receipts").select_related("paid_by"))
    paid = grants.paid_total(grant)
    article = Article.objects.filter(request=grant).first()
    payable = grant.status in (GrantRequest.Status.GRANTED, GrantRequest.Status.PARTIAL)
    context = {
        **_money_context(organisation),
        "grant": grant,
        "receipts": receipt_list,
        "payments": payments,
        "paid": paid,
        "to_pay": (grant.amount_granted - paid) if payable else None,
        "article": article,
        "is_requester": is_requester,
        "can_manage": can_manage,
        "history": grants.history(grant),
        "verb_labels": grants.VERB_LABELS,
        "decision_form": forms.get("decision_form") or (DecisionForm() if can_manage and grant.status == GrantRequest.Status.ASKED else None),
        "receipt_form": forms.get("receipt_form") or (ReceiptForm() if is_requester and (payable or grant.status == GrantRequest.Status.ASKED) else None),
        "payment_form": forms.get("payment_form") or (
            PaymentForm(receipts=[r for r in receipt_list if r.purged_at is None], initial={"amount": grant.amount_granted - paid}) if can_manage and payable else None
        ),
        "article_form": forms.get("article_form") or (
            ArticleForm(initial={"title": article.title, "body": article.body}) if is_requester and article and article.status in articles.WRITABLE else None
        ),
        "review_form": forms.get("review_form") or (ReviewForm() if can_manage and article and article.status == Article.Status.SUBMITTED else None),
    }
    return render(request, "grants/detail.html", context, status=status)


@require_GET
@organisation_view("core.view_organisation")
def detail(request: HttpRequest, organisation: Organisation, pk: int) -> HttpResponse:
    return _detail(request, organisation, _grant_or_404(request, organisation, pk))


@require_POST
@organisation_view("grants.manage")
def decide(request: HttpRequest, organisation: Organisation, pk: int) -> HttpResponse:
    grant = _grant_or_404(request, organisation, pk, "grants.manage")
    form = DecisionForm(request.POST)
    if applied(request, form, lambda data: grants.decide(request.user, grant, data["outcome"], data["reason"], data["amount"]), _("The decision is recorded; the member sees it on the request.")):
        return redirect("grants:detail", org=organisation.slug, pk=grant.pk)
    return _detail(request, organisation, grant, status=400, decision_form=form)


@require_POST
@organisation_view("core.view_organisation")
def upload_receipt(request: HttpRequest, organisation: Organisation, pk: int) -> HttpResponse:
    grant = _grant_or_404(request, organisation, pk, "grants.change_request")
    form = ReceiptForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > receipts.MAX_BYTES:
                raise receipts.too_large()
            receipts.add_receipt(request.user, grant, upload.name, upload.read(receipts.MAX_BYTES + 1))
        except DomainError as refused:
            add_to_form(form, refused)
        else:
            messages.success(request, _("The receipt is added. The coordinators can now pay against it."))
            return redirect("grants:detail", org=organisation.slug, pk=grant.pk)
    return _detail(request, organisation, grant, status=400, receipt_form=form)


@require_GET
@organisation_view("core.view_organisation")
def receipt_file(request: HttpRequest, organisation: Organisation, pk: int, receipt: int) -> HttpResponse:
    """The receipt's file, as an attachment never stored by the browser: to the requester and
    the coordinators; 404 for everyone else, and once the retention purged it."""
    grant = _grant_or_404(request, organisation, pk)
    found = Receipt.objects.filter(request=grant, pk=receipt, purged_at__isnull=True).select_related("request").first()
    if found is None:
        raise Http404
    try:
        data = receipts.open_receipt(request.user, found)
    except FileNotFoundError:
        raise Http404 from None
    response = HttpResponse(data, content_type=found.content_type)
    response["Content-Disposition"] = f'attachment; filename="{found.stored_name}"; filename*=UTF-8\'\'{_rfc5987(found.original_name)}'
    response["Cache-Control"] = "no-store, private"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def _rfc5987(name: str) -> str:
    from urllib.parse import quote

    return quote(name, safe="")


@require_POST
@organisation_view("grants.manage")
def pay(request: HttpRequest, organisation: Organisation, pk: int) -> HttpResponse:
    grant = _grant_or_404(request, organisation, pk, "grants.manage")
    form = PaymentForm(request.POST, receipts=[r for r in grant.receipts.all() if r.purged_at is None])
    if applied(request, form, lambda data: grants.pay(request.user, grant, data["amount"], data["receipts"]), _("The payment is recorded in the ledger.")):
        return redirect("grants:detail", org=organisation.slug, pk=grant.pk)
    return _detail(request, organisation, grant, status=400, payment_form=form)


@require_GET
@organisation_view("core.view_organisation")
def trace_pdf(request: HttpRequest, organisation: Organisation, pk: int) -> HttpResponse:
    grant = _grant_or_404(request, organisation, pk)
    try:
        pdf = grants.render_trace_pdf(grant, translation.get_language())
    except DomainError:
        raise Http404 from None
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="bourse-{grant.pk}.pdf"'
    return response


@require_POST
@organisation_view("core.view_organisation")
def write_article(request: HttpRequest, organisation: Organisation, pk: int) -> HttpResponse:
    grant = _grant_or_404(request, organisation, pk, "grants.change_request")
    article = get_object_or_404(Article, request=grant)
    form = ArticleForm(request.POST)
    if form.is_valid():
        submit = "submit" in request.POST
        try:
            articles.save_article(request.user, article, form.cleaned_data["title"], form.cleaned_data["body"], submit=submit)
        except DomainError as refused:
            add_to_form(form, refused)
        else:
            messages.success(request, _("Your article is sent to the coordinators for review.") if submit else _("Your draft is saved."))
            return redirect("grants:detail", org=organisation.slug, pk=grant.pk)
    return _detail(request, organisation, grant, status=400, article_form=form)


@require_POST
@organisation_view("grants.manage")
def review_article(request: HttpRequest, organisation: Organisation, pk: int) -> HttpResponse:
    grant = _grant_or_404(request, organisation, pk, "grants.manage")
    article = get_object_or_404(Article, request=grant)
    form = ReviewForm(request.POST)
    if form.is_valid():
        accept = "accept" in request.POST
        try:
            articles.review_article(request.user, article, accept=accept, comment=form.cleaned_data["comment"])
        except DomainError as refused:
            add_to_form(form, refused)
        else:
            messages.success(request, _("The article is published for the network's members.") if accept else _("The article is sent back to its author with your comment."))
            return redirect("grants:detail", org=organisation.slug, pk=grant.pk)
    return _detail(request, organisation, grant, status=400, review_form=form)


# --- Coordinators --------------------------------------------------------------------------


@require_GET
@organisation_view("grants.manage")
def all_requests(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    found = grants.requests_of(organisation)
    return render(request, "grants/all_requests.html", {
        **_money_context(organisation),
        "grants": found,
        "to_pay": [g for g in found if g.to_pay > 0],
        "to_review": articles.to_review(organisation),
        "year": grants.budget_year(organisation, timezone.localdate().year),
    })


@require_http_methods(["GET", "POST"])
@organisation_view("grants.manage")
def budget(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    form = BudgetForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        try:
            grants.set_budget(request.user, organisation, form.cleaned_data["year"], form.cleaned_data["amount"])
        except DomainError as refused:
            add_to_form(form, refused)
        else:
            messages.success(request, _("The budget is saved."))
            return redirect("grants:budget", org=organisation.slug)
    return render(request, "grants/budget.html", {**_money_context(organisation), "form": form, "years": grants.budget_years(organisation)}, status=400 if form.errors else 200)


def _members(organisation: Organisation) -> list[User]:
    ids = Membership.objects.filter(organisation=organisation).exclude(role=Role.COMMISSIONER).values_list("user_id", flat=True)
    return list(User.objects.filter(pk__in=ids).order_by("display_name", "pk"))


@require_http_methods(["GET", "POST"])
@organisation_view("grants.manage")
def ledger_page(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    members = _members(organisation)
    form = FeeForm(request.POST or None, members=members)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        member = next(m for m in members if m.pk == data["member"])
        record = ledger.record_fee_due if data["kind"] == "fee_due" else ledger.record_fee_paid
        try:
            record(request.user, organisation, member, data["amount"], data["label"])
        except DomainError as refused:
            add_to_form(form, refused)
        else:
            messages.success(request, _("Recorded in the ledger."))
            return redirect("grants:ledger", org=organisation.slug)
    return render(request, "grants/ledger.html", {
        **_money_context(organisation), "form": form, "entries": ledger.entries(organisation), "balances": ledger.balances(organisation),
    }, status=400 if form.errors else 200)


@require_GET
@organisation_view("grants.manage")
def ledger_csv(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    response = HttpResponse(ledger.ledger_csv(organisation), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="grand-livre-{organisation.slug}.csv"'
    return response


@require_GET
@organisation_view("grants.manage")
def statement_pdf(request: HttpRequest, organisation: Organisation, member: int) -> HttpResponse:
    if not Membership.objects.filter(organisation=organisation, user_id=member).exists():
        raise Http404
    person = get_object_or_404(User, pk=member)
    response = HttpResponse(ledger.statement_pdf(organisation, person, translation.get_language()), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="releve-{organisation.slug}-{person.pk}.pdf"'
    return response


# --- The network's articles ----------------------------------------------------------------


@require_GET
@member_view("grants.read_articles")
def network_articles(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    return render(request, "grants/articles.html", {"organisation": organisation, "articles": articles.published_articles(organisation)})

