"""The organisation's small ledger: every fee due and paid (PAF, field document 000: "Une PAF
est demandée") and every grant payment, with who recorded it (issue 13, point 5).

Recording only: Entraide moves no money. Grant payments write their line themselves
(``grants.pay``); coordinators record fees by hand; other apps (supervision, mentoring) call
``record_fee_due`` when their request owes a PAF. Exports: a formula-safe CSV of the whole
ledger (``core.exports.csv_document``) and a PDF statement per member (``core.exports.render_pdf``).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _, gettext_lazy

from entraide.core import exports
from entraide.core.actions import DomainError, write
from entraide.core.models import Membership, Organisation
from entraide.core.tenancy import tenant_scope

from ..models import LedgerEntry
from .grants import currency_of, money


def _record(actor, organisation: Organisation, member, kind: str, amount, label: str, source, *, permission: str | None) -> LedgerEntry:
    label = " ".join((label or "").split())
    if not label:
        raise DomainError(gettext_lazy("Say what the amount is for."), code="required", field="label")
    amount = money(amount, field="amount")
    with tenant_scope(organisation):
        if not Membership.objects.filter(organisation=organisation, user=member).exists():
            raise DomainError(gettext_lazy("This person is not a member of the organisation."), code="not_member", field="member")
        with write(actor, permission, organisation, f"ledger.{kind}", subject=member) as w:
            w.obj = LedgerEntry.objects.create(
                organisation=organisation, member=member, kind=kind, amount=amount, label=label[:200],
                recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
                source_type=source._meta.label_lower if isinstance(source, models.Model) else "",
                source_id=str(source.pk) if isinstance(source, models.Model) else "",
            )
    return w.obj


def record_fee_due(actor, organisation: Organisation, member, amount, label: str, source=None) -> LedgerEntry:
    """Record that ``member`` owes ``amount`` (text or Decimal, the organisation's currency)
    for ``label``; ``source``: the saved object the fee comes from (a supervision request...),
    kept as its type and id. ``actor`` must be a coordinator of ``organisation``.

    Raises ``DomainError`` codes ``"invalid_amount"``, ``"required"`` (empty label),
    ``"not_member"`` (``member`` has no role in the organisation); ``PermissionDenied`` /
    ``Http404`` for anyone else than a coordinator. Enters the organisation's scope itself.
    """
    return _record(actor, organisation, member, LedgerEntry.Kind.FEE_DUE, amount, label, source, permission="grants.manage")


def record_fee_paid(actor, organisation: Organisation, member, amount, label: str, source=None) -> LedgerEntry:
    """Record that ``member`` paid a fee; as ``record_fee_due``."""
    return _record(actor, organisation, member, LedgerEntry.Kind.FEE_PAID, amount, label, source, permission="grants.manage")


@dataclass(frozen=True)
class Balance:
    """One member's fees: ``due``, ``paid``, ``owed`` = due - paid; ``grants``: grant money
    paid to them."""

    member: object
    due: Decimal
    paid: Decimal
    grants: Decimal

    @property
    def owed(self) -> Decimal:
        return self.due - self.paid


def entries(organisation: Organisation, member=None) -> list[LedgerEntry]:
    """The ledger's lines (one member's when given), oldest first. One query."""
    queryset = LedgerEntry.objects.filter(organisation=organisation).select_related("member", "recorded_by")
    if member is not None:
        queryset = queryset.filter(member=member)
    return list(queryset)


def balances(organisation: Organisation) -> list[Balance]:
    """Per member with at least one line, by name. Two queries."""
    totals: dict[int, dict[str, Decimal]] = {}
    for member_id, kind, total in LedgerEntry.objects.filter(organisation=organisation).values_list("member_id", "kind").annotate(total=models.Sum("amount")):
        totals.setdefault(member_id, {})[kind] = Decimal(total).quantize(Decimal("0.01"))
    from entraide.core.models import User

    people = {user.pk: user for user in User.objects.filter(pk__in=totals)}
    zero = Decimal("0.00")
    found = [
        Balance(people[pk], kinds.get(LedgerEntry.Kind.FEE_DUE, zero), kinds.get(LedgerEntry.Kind.FEE_PAID, zero), kinds.get(LedgerEntry.Kind.GRANT_PAYMENT, zero))
        for pk, kinds in totals.items()
    ]
    return sorted(found, key=lambda balance: (balance.member.display_name.lower(), balance.member.pk))


def ledger_csv(organisation: Organisation) -> str:
    """The whole ledger as CSV (formula-safe, ``core.exports.csv_document``): date, member,
    email, kind, amount, currency, label, recorded by. In the active language."""
    currency = currency_of(organisation)
    header = [_("Date"), _("Member"), _("Email"), _("Kind"), _("Amount"), _("Currency"), _("Label"), _("Recorded by")]
    rows = [
        [
            timezone.localtime(entry.recorded_at).strftime("%Y-%m-%d %H:%M"), entry.member.display_name, entry.member.email,
            entry.get_kind_display(), f"{entry.amount:.2f}", currency, entry.label,
            entry.recorded_by.display_name if entry.recorded_by else "",
        ]
        for entry in entries(organisation)
    ]
    return exports.csv_document(header, rows)


def statement_pdf(organisation: Organisation, member, language: str) -> bytes:
    """``member``'s statement (their fees due and paid, grants paid to them, the balance) as
    PDF bytes in ``language``, through ``core.exports.render_pdf``."""
    lines = entries(organisation, member)
    zero = Decimal("0.00")
    due = sum((e.amount for e in lines if e.kind == LedgerEntry.Kind.FEE_DUE), zero)
    paid = sum((e.amount for e in lines if e.kind == LedgerEntry.Kind.FEE_PAID), zero)
    grants_paid = sum((e.amount for e in lines if e.kind == LedgerEntry.Kind.GRANT_PAYMENT), zero)
    with translation.override(language):
        html = render_to_string("grants/statement_pdf.html", {
            "organisation": organisation, "member": member, "entries": lines, "currency": currency_of(organisation),
            "balance": Balance(member, due, paid, grants_paid), "today": timezone.localdate(), "language": language,
        })
    return exports.render_pdf(html)
