"""The participation fee (PAF) of a collective supervision or a mentoring: a pure rule.

Field document 000: "Une PAF est demandée (qui peut varier selon que le réseau doit ou non faire
appel à des intervenants extérieurs)". The rule the coordinator sets and the page states: the
outside speaker's fee plus the costs, shared equally among the people registered, never below
the floor nor above the cap per person (when they are set), rounded to the cent (half up).
With nobody registered there is nothing to share yet: no amount (``None``), the page says so.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import formats
from django.utils.translation import gettext as _, ngettext

from . import NetworkError

CENT = Decimal("0.01")
MONEY_MAX = Decimal("100000")
SYMBOLS = {"EUR": "€", "CHF": "CHF"}


@dataclass(frozen=True)
class PafRule:
    """``fee``: the outside speaker's fee; ``costs``: the other costs (room, travel); both
    totals in ``currency``, >= 0. ``floor`` / ``cap``: the least and the most one person pays
    (``None``: no bound)."""

    fee: Decimal = Decimal("0")
    costs: Decimal = Decimal("0")
    floor: Decimal | None = None
    cap: Decimal | None = None
    currency: str = "EUR"

    @property
    def total(self) -> Decimal:
        return self.fee + self.costs


def paf_per_person(rule: PafRule, registered: int) -> Decimal | None:
    """What each of ``registered`` people pays under ``rule``: ``total / registered`` clamped
    to ``[floor, cap]``, rounded to the cent (ROUND_HALF_UP). ``None`` when ``registered`` is 0
    (nothing to share yet). Raises ``ValueError`` for a negative count.

    >>> paf_per_person(PafRule(fee=Decimal("300"), costs=Decimal("20"), floor=Decimal("10"), cap=Decimal("50")), 8)
    Decimal('40.00')
    """
    if registered < 0:
        raise ValueError("registered must be >= 0")
    if registered == 0:
        return None
    share = rule.total / registered
    if rule.floor is not None and share < rule.floor:
        share = rule.floor
    if rule.cap is not None and share > rule.cap:
        share = rule.cap
    return share.quantize(CENT, rounding=ROUND_HALF_UP)


def money(value: Decimal, currency: str) -> str:
    """``value`` with two decimals in the active language's format, and the currency's sign
    after a no-break space (a sum never splits across lines)."""
    number = formats.number_format(value, 2, use_l10n=True)
    return f"{number}\u00a0{SYMBOLS.get(currency, currency)}"


def describe_rule(rule: PafRule) -> str:
    """The rule in words, in the active language (the invitation mail states it)."""
    parts = [
        _("The outside speaker's fee (%(fee)s) and the costs (%(costs)s) are shared among the people registered")
        % {"fee": money(rule.fee, rule.currency), "costs": money(rule.costs, rule.currency)}
    ]
    if rule.floor is not None and rule.cap is not None:
        parts.append(_(", at least %(floor)s and at most %(cap)s per person") % {"floor": money(rule.floor, rule.currency), "cap": money(rule.cap, rule.currency)})
    elif rule.floor is not None:
        parts.append(_(", at least %(floor)s per person") % {"floor": money(rule.floor, rule.currency)})
    elif rule.cap is not None:
        parts.append(_(", at most %(cap)s per person") % {"cap": money(rule.cap, rule.currency)})
    return "".join(parts) + "."


def describe(rule: PafRule, registered: int) -> str:
    """The rule in words and its amount for ``registered`` people (in the active language),
    as the page states it."""
    text = describe_rule(rule)
    amount = paf_per_person(rule, registered)
    if amount is None:
        return text + " " + _("Nobody is registered yet: the amount is known once people register.")
    return text + " " + ngettext(
        "With %(count)d registered: %(amount)s per person.", "With %(count)d registered: %(amount)s per person.", registered
    ) % {"count": registered, "amount": money(amount, rule.currency)}


def parse_amount(raw, field: str, *, required: bool = False) -> Decimal | None:
    """A sum typed in a form ("12", "12.5", "12,50"): a ``Decimal`` >= 0 and below
    ``MONEY_MAX`` with at most two decimals, ``None`` when empty and not ``required``.
    Raises ``NetworkError`` (on ``field``) otherwise."""
    if isinstance(raw, Decimal):
        text = str(raw)
    else:
        text = str(raw or "").strip().replace(" ", "").replace("\u00a0", "").replace(",", ".")
    if not text:
        if required:
            return Decimal("0")
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise NetworkError(_("Give an amount such as 12.50."), code="bad_amount", field=field) from None
    if not value.is_finite() or value < 0 or value >= MONEY_MAX:
        raise NetworkError(_("Give an amount between 0 and %(max)s.") % {"max": MONEY_MAX}, code="bad_amount", field=field)
    if value != value.quantize(CENT):
        raise NetworkError(_("At most two decimals (cents)."), code="bad_amount", field=field)
    return value.quantize(CENT)


def make_rule(fee, costs, floor, cap, currency: str = "EUR") -> PafRule:
    """A ``PafRule`` from form input (see ``parse_amount``). Raises ``NetworkError`` on a bad
    amount, an unknown currency, or a floor above the cap."""
    rule = PafRule(
        fee=parse_amount(fee, "speaker_fee", required=True), costs=parse_amount(costs, "costs", required=True),
        floor=parse_amount(floor, "paf_floor"), cap=parse_amount(cap, "paf_cap"), currency=currency or "EUR",
    )
    if rule.currency not in SYMBOLS:
        raise NetworkError(_("Unknown currency."), code="bad_currency", field="currency")
    if rule.floor is not None and rule.cap is not None and rule.floor > rule.cap:
        raise NetworkError(_("The floor cannot be above the cap."), code="floor_above_cap", field="paf_floor")
    return rule
