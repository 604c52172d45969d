"""Grants: members only, decisions with reasons within the budget, payments never above the
grant (field document 000, "Bourses", "Procédure")."""

import os
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404
from django.utils import timezone

from entraide.core.actions import DomainError
from entraide.core.domain import ensure_account, set_membership
from entraide.core.models import ActionLogEntry, Role
from entraide.core.tenancy import all_tenants, tenant_scope
from entraide.grants.domain import grants
from entraide.grants.models import Article, GrantPayment, GrantRequest, LedgerEntry

from .conftest import ask

pytestmark = pytest.mark.integration


def test_a_member_asks_and_the_commitment_is_encrypted(organisation, member):
    request = ask(organisation, member)
    assert (request.status, request.amount_asked, request.member) == ("asked", Decimal("600.00"), member)
    with connection.cursor() as cursor:
        cursor.execute("SELECT commitment FROM grants_grantrequest WHERE id = %s", [request.pk])
        stored = cursor.fetchone()[0]
    assert "atelier" not in stored and stored.startswith("gAAAA")
    entry = ActionLogEntry.everywhere.get(verb="grant.asked")
    assert (entry.actor, entry.subject, entry.object_id) == (member, member, str(request.pk))


@pytest.mark.parametrize("who", ["commissioner", "other_coordinator", "stranger", "anonymous"])
def test_only_current_members_may_ask(request, organisation, who):
    from django.contrib.auth.models import AnonymousUser

    if who == "stranger":
        actor = ensure_account("personne@example.org", "Personne")
    elif who == "anonymous":
        actor = AnonymousUser()
    else:
        actor = request.getfixturevalue(who)
    with pytest.raises(grants.NotMember) as refused:
        ask(organisation, actor)
    assert refused.value.code == "not_member"
    assert "membres" in str(refused.value.message) or "members" in str(refused.value.message)
    with all_tenants():
        assert not GrantRequest.objects.exists()


def test_a_former_member_may_no_longer_ask(organisation, member):
    set_membership(organisation, member, Role.COMMISSIONER)
    with pytest.raises(grants.NotMember):
        ask(organisation, member)


@pytest.mark.parametrize(("changes", "code", "field"), [
    ({"amount_asked": Decimal("1200.00")}, "whole_cost", "amount_asked"),
    ({"amount_asked": Decimal("-5")}, "invalid_amount", "amount_asked"),
    ({"cost": "douze"}, "invalid_amount", "cost"),
    ({"amount_asked": Decimal("10.005")}, "invalid_amount", "amount_asked"),
    ({"ends_on": timezone.datetime(2026, 3, 1).date()}, "dates", "ends_on"),
    ({"commitment": "   "}, "required", "commitment"),
])
def test_bad_requests_are_refused_and_nothing_is_saved(organisation, member, changes, code, field):
    with pytest.raises(DomainError) as refused:
        ask(organisation, member, **changes)
    assert (refused.value.code, refused.value.field) == (code, field)
    with all_tenants():
        assert not GrantRequest.objects.exists()


def test_currency_follows_the_country(organisation):
    assert grants.currency_of(organisation) == "EUR"
    organisation.country = "CH"
    assert grants.currency_of(organisation) == "CHF"


def test_decisions_need_a_reason_and_stay_within_the_budget(organisation, member, coordinator, budget):
    first, second, third = (ask(organisation, member, amount_asked=Decimal(a)) for a in ("900", "900", "500"))
    with tenant_scope(organisation):
        with pytest.raises(DomainError) as refused:
            grants.decide(coordinator, first, grants.REFUSED, "  ")
        assert refused.value.code == "reason_required"
        with pytest.raises(DomainError) as refused:
            grants.decide(coordinator, first, grants.PARTIAL, "", "300")
        assert refused.value.code == "reason_required"
        with pytest.raises(DomainError) as refused:
            grants.decide(coordinator, first, grants.PARTIAL, "Moins", "900")
        assert refused.value.code == "not_partial"
        assert GrantRequest.objects.get(pk=first.pk).status == "asked"
        grants.decide(coordinator, first, grants.FULL)
        grants.decide(coordinator, second, grants.PARTIAL, "Le budget de l'année est presque épuisé.", "800")
        with pytest.raises(DomainError) as refused:
            grants.decide(coordinator, third, grants.FULL)  # 500 > 300 left
        assert refused.value.code == "over_budget"
        grants.decide(coordinator, third, grants.REFUSED, "Budget épuisé cette année.")
        with pytest.raises(DomainError) as refused:
            grants.decide(coordinator, third, grants.FULL)
        assert refused.value.code == "decided"
        year = grants.budget_year(organisation, timezone.localdate().year)
    assert (year.amount, year.granted, year.paid, year.left) == (Decimal("2000"), Decimal("1700"), Decimal("0"), Decimal("300"))
    with tenant_scope(organisation):
        third = GrantRequest.objects.get(pk=third.pk)
    assert (third.status, third.decision_reason, third.decided_by) == ("refused", "Budget épuisé cette année.", coordinator)


def test_only_coordinators_decide_and_pay(organisation, member, facilitator, other_coordinator, budget):
    request = ask(organisation, member)
    with tenant_scope(organisation):
        for actor in (member, facilitator):
            with pytest.raises(PermissionDenied):
                grants.decide(actor, request, grants.FULL)
        with pytest.raises(Http404):
            grants.decide(other_coordinator, request, grants.FULL)
        with pytest.raises(PermissionDenied):
            grants.pay(member, request, "10", [1])
        assert GrantRequest.objects.get(pk=request.pk).status == "asked"
    assert not ActionLogEntry.everywhere.filter(verb="grant.decided").exists()


def test_payment_only_against_receipts_and_never_above_the_grant(organisation, member, coordinator, granted):
    with tenant_scope(organisation):
        with pytest.raises(DomainError) as refused:
            grants.pay(coordinator, granted, "100", [])
        assert refused.value.code == "receipt_required"
        with pytest.raises(DomainError) as refused:
            grants.pay(coordinator, granted, "400.01", [granted.receipt.pk])
        assert refused.value.code == "over_grant"
        grants.pay(coordinator, granted, "150", [granted.receipt.pk])
        with pytest.raises(DomainError) as refused:
            grants.pay(coordinator, granted, "250.01", [granted.receipt.pk])
        assert refused.value.code == "over_grant" and "250" in str(refused.value.message)
        assert GrantRequest.objects.get(pk=granted.pk).status == "partial"
        assert not Article.objects.exists()
        grants.pay(coordinator, granted, "250", [granted.receipt.pk])
        request = GrantRequest.objects.get(pk=granted.pk)
        assert (request.status, grants.paid_total(request)) == ("paid", Decimal("400.00"))
        with pytest.raises(DomainError) as refused:
            grants.pay(coordinator, request, "1", [granted.receipt.pk])
        assert refused.value.code == "not_payable"
        ledger = list(LedgerEntry.objects.values_list("kind", "amount", "member", "recorded_by"))
        assert ledger == [("grant_payment", Decimal("150.00"), member.pk, coordinator.pk), ("grant_payment", Decimal("250.00"), member.pk, coordinator.pk)]
        article = Article.objects.get(request=request)
        assert article.author == member and article.status == "owed"
        assert article.due_on >= grants.add_months(request.ends_on, 3)
        verbs = [entry.verb for entry in grants.history(request)]
    assert verbs == ["grant.asked", "grant.decided", "grant.receipt_added", "grant.paid", "grant.paid"]


def test_a_receipt_of_another_request_does_not_count(organisation, member, coordinator, granted):
    other = ask(organisation, member)
    with tenant_scope(organisation):
        other = grants.decide(coordinator, other, grants.FULL)
        with pytest.raises(DomainError) as refused:
            grants.pay(coordinator, other, "10", [granted.receipt.pk])
    assert refused.value.code == "receipt_required"


def test_add_months_keeps_the_end_of_month():
    from datetime import date

    assert grants.add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)
    assert grants.add_months(date(2026, 3, 6), 3) == date(2026, 6, 6)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="row locks between two connections: PostgreSQL (SQLite's in-memory test database is shared by one connection)")
def test_two_coordinators_paying_at_once_never_exceed_the_grant(organisation, member, coordinator):
    """Two threads (two connections) each pay 300 on a 400 grant at the same moment: the row
    lock makes the second wait, see the first payment, and refuse."""
    from .conftest import pdf_bytes
    from entraide.grants.domain.receipts import add_receipt

    second_coordinator = ensure_account("coordination2@example.org", "Coordination deux")
    set_membership(organisation, second_coordinator, Role.COORDINATOR)
    with tenant_scope(organisation):
        grants.set_budget(coordinator, organisation, timezone.localdate().year, "1000")
    request = ask(organisation, member)
    with tenant_scope(organisation):
        request = grants.decide(coordinator, request, grants.PARTIAL, "Partagé", "400")
        receipt = add_receipt(member, request, "facture.pdf", pdf_bytes())
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def pay_as(actor):
        from django.db import connection as thread_connection

        try:
            barrier.wait(5)
            with tenant_scope(organisation):
                grants.pay(actor, request, "300", [receipt.pk])
            outcomes.append("paid")
        except DomainError as refused:
            outcomes.append(refused.code)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=pay_as, args=(actor,)) for actor in (coordinator, second_coordinator)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert sorted(outcomes) == ["over_grant", "paid"]
    with all_tenants():
        assert GrantPayment.objects.filter(request=request).count() == 1
        assert LedgerEntry.objects.filter(kind="grant_payment").count() == 1
