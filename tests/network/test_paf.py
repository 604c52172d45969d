"""The PAF rule (field document 000): fee and costs shared among those registered, within a
floor and a cap, rounded to the cent."""

from decimal import Decimal

import pytest
from hypothesis import given, strategies as st

from entraide.network.domain import NetworkError
from entraide.network.domain.paf import PafRule, describe, make_rule, paf_per_person

pytestmark = pytest.mark.unit

D = Decimal


def test_zero_registered_has_no_amount_yet_and_the_page_says_so(settings):
    settings.LANGUAGE_CODE = "en"
    rule = PafRule(fee=D("300"), costs=D("20"))
    assert paf_per_person(rule, 0) is None
    from django.utils import translation

    with translation.override("en"):
        assert "Nobody is registered yet" in describe(rule, 0)
        assert "With 4 registered: 80.00\u00a0€ per person" in describe(rule, 4)


def test_the_share_is_rounded_to_the_cent_half_up():
    assert paf_per_person(PafRule(fee=D("100")), 3) == D("33.33")
    assert paf_per_person(PafRule(fee=D("0.05")), 2) == D("0.03")  # 0.025 rounds up


def test_floor_and_cap():
    rule = PafRule(fee=D("300"), costs=D("0"), floor=D("15"), cap=D("60"))
    assert paf_per_person(rule, 2) == D("60.00")  # 150 capped
    assert paf_per_person(rule, 10) == D("30.00")
    assert paf_per_person(rule, 40) == D("15.00")  # 7.50 raised to the floor
    assert paf_per_person(PafRule(floor=D("5")), 3) == D("5.00")  # no speaker: the floor alone


def test_a_negative_count_is_a_programming_error():
    with pytest.raises(ValueError):
        paf_per_person(PafRule(), -1)


@pytest.mark.parametrize(
    ("args", "field"),
    [(("abc", "0", None, None), "speaker_fee"), (("-1", "0", None, None), "speaker_fee"), (("0", "1.005", None, None), "costs"), (("0", "0", "20", "10"), "paf_floor")],
)
def test_bad_amounts_are_refused_on_their_field(args, field):
    with pytest.raises(NetworkError) as refused:
        make_rule(*args)
    assert refused.value.field == field


def test_amounts_as_people_type_them():
    rule = make_rule("1 200,50", "", "10", "", "CHF")
    assert (rule.fee, rule.costs, rule.floor, rule.cap, rule.currency) == (D("1200.50"), D("0"), D("10.00"), None, "CHF")


money = st.decimals(min_value=0, max_value=10000, places=2, allow_nan=False, allow_infinity=False)


@given(fee=money, costs=money, floor=st.none() | money, cap=st.none() | money, registered=st.integers(1, 200))
def test_the_share_stays_within_floor_and_cap_and_covers_the_total_when_unbounded(fee, costs, floor, cap, registered):
    if floor is not None and cap is not None and floor > cap:
        floor, cap = cap, floor
    amount = paf_per_person(PafRule(fee=fee, costs=costs, floor=floor, cap=cap), registered)
    assert amount == amount.quantize(D("0.01"))
    if floor is not None:
        assert amount >= floor
    if cap is not None:
        assert amount <= cap
    if floor is None and cap is None:
        assert abs(amount * registered - (fee + costs)) <= D("0.005") * registered
