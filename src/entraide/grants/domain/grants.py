"""Training grants: ask, decide, pay against receipts, the yearly budget (issue 13, point 4;
field document 000, "Bourses" and "Procédure").

- Only current members ask (``require_member``; every door calls it): "Seuls les membres de
  Kalame peuvent introduire ces demandes".
- A grant "ne couvre jamais qu'une partie des frais": the amount asked and granted stay below
  the training's cost.
- It is granted "en fonction du budget mais aussi de la situation du membre et enfin des
  retours que le bénéficiaire s'engagera à apporter": the coordinators decide full, partial or
  refused, with a reason for partial and refused, within the year's budget left.
- "Toute somme payée ... le sera toujours contre remise d'un justificatif": a payment names the
  receipts it covers, and the sum paid never exceeds the amount granted, even when two
  coordinators pay at once (the request's row is locked while its payments are summed).

Every write goes through ``core.actions.write`` with the request as its object, so each grant's
page lists its own log (``history``). Amounts are ``Decimal`` (2 places) in ``currency_of``.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db.models import Sum
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from entraide.core import access, exports
from entraide.core.actions import DomainError, write
from entraide.core.models import ActionLogEntry, Organisation

from ..models import Article, GrantBudget, GrantPayment, GrantRequest, LedgerEntry, Receipt

CENT = Decimal("0.01")
# Field document 000 leaves the date open ("à la fin du projet"); Entraide fixes it.
ARTICLE_DUE_MONTHS = 3
# Countries whose money is the Swiss franc; every other organisation counts in euros.
CHF_COUNTRIES = frozenset({"CH", "LI"})


class NotMember(DomainError):
    default_code = "not_member"


def currency_of(organisation: Organisation) -> str:
    """ISO 4217 code of the organisation's money: ``"CHF"`` in Switzerland and Liechtenstein,
    ``"EUR"`` elsewhere (the networks Entraide serves are French, Belgian and Swiss)."""
    return "CHF" if (organisation.country or "").upper() in CHF_COUNTRIES else "EUR"


def require_member(user, organisation: Organisation) -> None:
    """The one rule every door asks before a grant request: ``user`` is a current member,
    facilitator or coordinator of ``organisation`` (the ``grants.ask`` rule). Raises
    ``NotMember`` (code ``"not_member"``) with a message saying so; commissioners, former
    members and strangers alike."""
    if not access.can(user, "grants.ask", organisation):
        raise NotMember(_("Only current members of the network can ask for a training grant."))


def money(value, *, field: str) -> Decimal:
    """``value`` (text or number) as a positive ``Decimal`` with 2 places; ``DomainError``
    (code ``"invalid_amount"``, on ``field``) otherwise."""
    try:
        amount = Decimal(str(value).strip().replace(",", ".").replace("\u202f", "").replace(" ", ""))
    except (InvalidOperation, ValueError):
        raise DomainError(_("Enter an amount such as 250 or 250.50."), code="invalid_amount", field=field) from None
    if not amount.is_finite() or amount <= 0 or amount != amount.quantize(CENT) or amount >= Decimal("1e9"):
        raise DomainError(_("Enter an amount above zero, with at most two decimals."), code="invalid_amount", field=field)
    return amount.quantize(CENT)


def _cents(value) -> Decimal:
    """A database sum (``None`` when there is no row; SQLite drops trailing zeros) as 2 places."""
    return Decimal(value or 0).quantize(CENT)


@dataclass(frozen=True)
class GrantAsk:
    """What a member writes in a request; amounts in the organisation's currency."""

    training_title: str
    provider: str
    starts_on: date
    ends_on: date
    cost: Decimal
    amount_asked: Decimal
    commitment: str


def ask_grant(actor, organisation: Organisation, ask: GrantAsk) -> GrantRequest:
    """Record ``actor``'s request (status ``asked``) and return it.

    Raises ``NotMember`` (not a current member), ``DomainError`` codes ``"dates"`` (last day
    before the first), ``"whole_cost"`` (the amount asked is not below the cost: a grant only
    ever covers part of it), ``"required"`` (empty title, provider or commitment).
    """
    require_member(actor, organisation)
    for name in ("training_title", "provider", "commitment"):
        if not (getattr(ask, name) or "").strip():
            raise DomainError(_("This field is required."), code="required", field=name)
    if ask.ends_on < ask.starts_on:
        raise DomainError(_("The last day comes before the first day."), code="dates", field="ends_on")
    cost = money(ask.cost, field="cost")
    asked = money(ask.amount_asked, field="amount_asked")
    if asked >= cost:
        raise DomainError(
            _("A grant only ever covers part of the cost of a training: ask for less than its cost."),
            code="whole_cost", field="amount_asked",
        )
    with write(actor, "grants.ask", organisation, "grant.asked", subject=actor) as w:
        w.obj = GrantRequest.objects.create(
            organisation=organisation, member=actor, training_title=" ".join(ask.training_title.split()),
            provider=" ".join(ask.provider.split()), starts_on=ask.starts_on, ends_on=ask.ends_on,
            cost=cost, amount_asked=asked, commitment=ask.commitment.strip(),
        )
    return w.obj


# --- Budget ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class BudgetYear:
    """One year's grant budget: ``amount`` set aside (0 when none was set), ``granted`` (sum of
    the amounts granted that year), ``paid`` (paid out on them), ``left`` = amount - granted."""

    year: int
    amount: Decimal
    granted: Decimal
    paid: Decimal

    @property
    def left(self) -> Decimal:
        return self.amount - self.granted

    @property
    def to_pay(self) -> Decimal:
        return self.granted - self.paid


def budget_year(organisation: Organisation, year: int) -> BudgetYear:
    """The figures of ``year`` (three queries). Runs in the organisation's scope."""
    budget = GrantBudget.objects.filter(organisation=organisation, year=year).first()
    granted = GrantRequest.objects.filter(organisation=organisation, budget_year=year, amount_granted__isnull=False).aggregate(s=Sum("amount_granted"))["s"]
    paid = GrantPayment.objects.filter(organisation=organisation, request__budget_year=year).aggregate(s=Sum("amount"))["s"]
    return BudgetYear(year, _cents(budget.amount if budget else None), _cents(granted), _cents(paid))


def budget_years(organisation: Organisation) -> list[BudgetYear]:
    """Every year with a budget or a grant, the current one included, newest first."""
    years = set(GrantBudget.objects.filter(organisation=organisation).values_list("year", flat=True))
    years |= set(GrantRequest.objects.filter(organisation=organisation, budget_year__isnull=False).values_list("budget_year", flat=True))
    years.add(timezone.localdate().year)
    return [budget_year(organisation, year) for year in sorted(years, reverse=True)]


def set_budget(actor, organisation: Organisation, year: int, amount) -> GrantBudget:
    """Set (or change) the grant budget of ``year``. Coordinators only. ``DomainError`` codes
    ``"invalid_amount"``, ``"year"`` (outside 2000-2100), ``"below_granted"`` (less than what
    that year already granted)."""
    if not 2000 <= int(year) <= 2100:
        raise DomainError(_("Enter a year between 2000 and 2100."), code="year", field="year")
    amount = money(amount, field="amount")
    with write(actor, "grants.manage", organisation, "grant.budget_set") as w:
        if amount < budget_year(organisation, year).granted:
            raise DomainError(_("This year's grants already exceed that amount."), code="below_granted", field="amount")
        budget, _created = GrantBudget.objects.update_or_create(organisation=organisation, year=year, defaults={"amount": amount})
        w.obj = budget
    return budget


# --- Decision -------------------------------------------------------------------------------

FULL, PARTIAL, REFUSED = "full", "partial", "refused"


def decide(actor, request: GrantRequest, outcome: str, reason: str = "", amount=None) -> GrantRequest:
    """The coordinators' decision on an asked request: ``outcome`` ``"full"`` (the amount asked),
    ``"partial"`` (``amount``, less than asked) or ``"refused"``. A reason is required for
    partial and refused. The grant counts in this year's budget.

    Raises ``DomainError`` codes ``"decided"`` (already decided), ``"reason_required"``,
    ``"invalid_amount"``, ``"not_partial"`` (partial amount not below the amount asked),
    ``"over_budget"`` (more than the year's budget left), and ``PermissionDenied``/``Http404``
    for anyone but the organisation's coordinators.
    """
    reason = (reason or "").strip()
    if outcome not in (FULL, PARTIAL, REFUSED):
        raise DomainError(_("Choose full, partial or refused."), code="outcome", field="outcome")
    if outcome in (PARTIAL, REFUSED) and not reason:
        raise DomainError(_("Give the reason of this decision: the member will read it."), code="reason_required", field="reason")
    if outcome == PARTIAL:
        amount = money(amount if amount not in (None, "") else "", field="amount")
    with write(actor, "grants.manage", request, "grant.decided", lock=request, subject=request.member) as w:
        locked: GrantRequest = w.obj
        if locked.status != GrantRequest.Status.ASKED:
            raise DomainError(_("This request was already decided."), code="decided")
        year = timezone.localdate().year
        if outcome == REFUSED:
            locked.status, locked.amount_granted = GrantRequest.Status.REFUSED, None
        else:
            granted = locked.amount_asked if outcome == FULL else amount
            if outcome == PARTIAL and granted >= locked.amount_asked:
                raise DomainError(_("A partial grant is less than the amount asked."), code="not_partial", field="amount")
            # The budget's row is locked too: two decisions at once cannot both spend what is left.
            GrantBudget.objects.select_for_update().filter(organisation_id=locked.organisation_id, year=year).first()
            left = budget_year(locked.organisation, year).left
            if granted > left:
                raise DomainError(
                    _("This is more than the budget left for %(year)d (%(left)s %(currency)s).")
                    % {"year": year, "left": left, "currency": currency_of(locked.organisation)},
                    code="over_budget", field="amount" if outcome == PARTIAL else None,
                )
            locked.status = GrantRequest.Status.GRANTED if outcome == FULL else GrantRequest.Status.PARTIAL
            locked.amount_granted = granted
            locked.budget_year = year
        locked.decision_reason = reason or None
        locked.decided_by, locked.decided_at = actor, timezone.now()
        locked.save(update_fields=["status", "amount_granted", "decision_reason", "decided_by", "decided_at", "budget_year"])
    return w.obj


# --- Payment --------------------------------------------------------------------------------


def paid_total(request: GrantRequest) -> Decimal:
    """The sum of ``request``'s payments, 2 places. One query."""
    return _cents(request.payments.aggregate(s=Sum("amount"))["s"])


def add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` calendar months, on the last day of a shorter month."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def pay(actor, request: GrantRequest, amount, receipt_ids: list[int]) -> GrantPayment:
    """Record a payment of ``amount`` on a granted request, against the receipts
    ``receipt_ids`` (at least one, of this request, still on file). The ledger gets a
    ``grant_payment`` line; once the whole grant is paid the request is ``paid`` and the
    member owes an article, due ``ARTICLE_DUE_MONTHS`` months after the training's last day.

    The request's row is locked before its payments are summed, so two coordinators paying
    at the same moment cannot together exceed the grant. Raises ``DomainError`` codes
    ``"not_payable"`` (not granted, or already paid), ``"receipt_required"``,
    ``"invalid_amount"``, ``"over_grant"`` (more than granted minus already paid).
    """
    amount = money(amount, field="amount")
    wanted = {int(pk) for pk in receipt_ids or ()}
    with write(actor, "grants.manage", request, "grant.paid", lock=request, subject=request.member) as w:
        locked: GrantRequest = w.obj
        if locked.status not in (GrantRequest.Status.GRANTED, GrantRequest.Status.PARTIAL):
            raise DomainError(_("Only a granted request that is not fully paid can be paid."), code="not_payable")
        receipts = list(Receipt.objects.filter(request=locked, pk__in=wanted, purged_at__isnull=True))
        if not wanted or len(receipts) != len(wanted):
            raise DomainError(_("A payment is only made against a receipt: tick the receipts it covers."), code="receipt_required", field="receipts")
        already = paid_total(locked)
        if already + amount > locked.amount_granted:
            raise DomainError(
                _("This payment would exceed the grant: %(left)s %(currency)s are left to pay.")
                % {"left": locked.amount_granted - already, "currency": currency_of(locked.organisation)},
                code="over_grant", field="amount",
            )
        payment = GrantPayment.objects.create(organisation_id=locked.organisation_id, request=locked, amount=amount, paid_by=actor)
        payment.receipts.set(receipts)
        LedgerEntry.objects.create(
            organisation_id=locked.organisation_id, member_id=locked.member_id, kind=LedgerEntry.Kind.GRANT_PAYMENT,
            amount=amount, label=locked.training_title[:200], recorded_by=actor,
            source_type="grants.grantpayment", source_id=str(payment.pk),
        )
        if already + amount == locked.amount_granted:
            locked.status = GrantRequest.Status.PAID
            locked.save(update_fields=["status"])
            Article.objects.get_or_create(
                request=locked,
                defaults={"organisation_id": locked.organisation_id, "author_id": locked.member_id,
                          "due_on": add_months(max(locked.ends_on, timezone.localdate()), ARTICLE_DUE_MONTHS)},
            )
    return payment


# --- Reading --------------------------------------------------------------------------------


def requests_of(organisation: Organisation, member=None) -> list[GrantRequest]:
    """The organisation's requests (a member's own when ``member`` is given), newest first,
    each with ``paid`` (sum of its payments) and ``to_pay`` (granted minus paid). Two queries."""
    queryset = GrantRequest.objects.filter(organisation=organisation).select_related("member").annotate(paid_sum=Sum("payments__amount"))
    if member is not None:
        queryset = queryset.filter(member=member)
    found = list(queryset)
    for request in found:
        request.paid = _cents(request.paid_sum)
        request.to_pay = (request.amount_granted - request.paid) if request.status in (GrantRequest.Status.GRANTED, GrantRequest.Status.PARTIAL) else Decimal("0.00")
    return found


def history(request: GrantRequest) -> list[ActionLogEntry]:
    """The request's activity log (who did what, when; never content), oldest first."""
    return list(
        ActionLogEntry.objects.filter(object_type="grants.grantrequest", object_id=str(request.pk)).select_related("actor").order_by("at", "pk")
    )


VERB_LABELS = {
    "grant.asked": _("asked for the grant"),
    "grant.decided": _("decided"),
    "grant.receipt_added": _("added a receipt"),
    "grant.receipt_read": _("opened a receipt"),
    "grant.paid": _("recorded a payment"),
    "article.saved": _("saved the article"),
    "article.submitted": _("submitted the article"),
    "article.sent_back": _("sent the article back"),
    "article.published": _("published the article"),
}


def render_trace_pdf(request: GrantRequest, language: str) -> bytes:
    """The accepted project as a PDF ("le demandeur enverra une trace du projet tel
    qu'accepté", field document 000), through ``core.exports.render_pdf``. ``DomainError``
    code ``"not_accepted"`` before a grant was given."""
    if not request.is_accepted:
        raise DomainError(_("Only an accepted request has a trace to download."), code="not_accepted")
    with translation.override(language):
        html = render_to_string("grants/trace_pdf.html", {
            "grant": request, "currency": currency_of(request.organisation), "paid": paid_total(request), "language": language,
        })
    return exports.render_pdf(html)
