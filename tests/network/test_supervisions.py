"""A collective supervision proposed from a request: its group session on the
supervision-collective protocol, invitations by mail (no content in them), registration, the
PAF on the page, and the raiser seated as the person who brings the situation when the
session is opened live (issue 13, part 2; field document 000)."""

from datetime import time, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from entraide.community.domain import groups as group_domain
from entraide.community.domain.sessions import open_live
from entraide.community.models import GroupSession
from entraide.core.tenancy import all_tenants, tenant_scope
from entraide.live.models import LiveRole, LiveTable, Participant
from entraide.network.domain import NetworkError
from entraide.network.domain import requests as request_domain
from entraide.network.domain import supervisions
from entraide.network.models import SupervisionRequest

pytestmark = pytest.mark.integration

SITUATION = "Un participant monopolise la parole à chaque atelier"


def proposal(days: int = 10, **changes) -> supervisions.Proposal:
    values = dict(
        date=group_domain.today() + timedelta(days=days), start=time(14), end=time(17), place="Lyon, salle 3",
        speaker_name="Dr Martin", speaker_fee="300", costs="20", paf_floor="10", paf_cap="50",
    )
    values.update(changes)
    return supervisions.Proposal(**values)


@pytest.fixture
def raised(organisation, member, make_member):
    request = request_domain.raise_request(member, organisation, "Parole monopolisée", SITUATION, anonymous=True)
    concerned = make_member(1)
    request_domain.say_concerned(concerned, request, "Pareil chez moi")
    return request, concerned


def test_a_coordinator_proposes_and_the_people_concerned_are_invited_without_content(builtins, organisation, coordinator, member, raised, django_capture_on_commit_callbacks):
    request, concerned = raised
    with django_capture_on_commit_callbacks(execute=True):
        supervision = supervisions.propose(coordinator, request, proposal(), base_url="https://entraide.example")
    with tenant_scope(organisation):
        session = GroupSession.objects.select_related("group").get(pk=supervision.session_id)
        assert session.group.protocol_key == "supervision-collective" and session.place == "Lyon, salle 3"
        assert SupervisionRequest.objects.get(pk=request.pk).status == "proposed"
    assert sorted(m.to[0] for m in mail.outbox) == sorted([member.email, concerned.email])
    for message in mail.outbox:
        assert "monopolis" not in message.body and "monopolis" not in message.subject and "Pareil" not in message.body
        assert f"https://entraide.example/o/{organisation.slug}/demandes/{request.pk}/" in message.body
        assert "300,00\u00a0€" in message.body
    with pytest.raises(NetworkError) as again:
        supervisions.propose(coordinator, request, proposal())
    assert again.value.code == "already_proposed"


def test_only_coordinators_propose(builtins, organisation, member, facilitator, commissioner, raised):
    request, concerned = raised
    for who in (member, facilitator, commissioner, concerned):
        with pytest.raises(PermissionDenied):
            supervisions.propose(who, request, proposal())


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"days": 0}, "date"), ({"end": time(13)}, "end"), ({"place": "a\nb"}, "place"), ({"capacity": 40}, "capacity"), ({"paf_floor": "60"}, "paf_floor"), ({"speaker_fee": "beaucoup"}, "speaker_fee")],
)
def test_a_bad_proposal_is_refused_and_creates_nothing(builtins, organisation, coordinator, raised, changes, field):
    request, _concerned = raised
    with pytest.raises(NetworkError) as refused:
        supervisions.propose(coordinator, request, proposal(**changes))
    assert refused.value.field == field
    with tenant_scope(organisation):
        assert not GroupSession.objects.exists()
        assert SupervisionRequest.objects.get(pk=request.pk).status == "open"


def test_registration_decline_late_concern_and_the_paf_on_the_page(builtins, organisation, coordinator, member, raised, make_member, commissioner):
    request, concerned = raised
    supervisions.propose(coordinator, request, proposal())
    stranger = make_member(2)
    with pytest.raises(NetworkError) as refused:
        supervisions.register(stranger, request)
    assert refused.value.code == "not_invited"
    with pytest.raises(PermissionDenied):
        supervisions.register(commissioner, request)
    assert supervisions.register(member, request) is True
    assert supervisions.register(concerned, request) is True
    view = supervisions.view_for(coordinator, request)
    assert view.registered_count == 2 and view.paf_amount == Decimal("50.00")  # 320 / 2 = 160, capped
    assert {p.pk for p in view.registered} == {member.pk, concerned.pk}
    assert supervisions.view_for(concerned, request).registered is None  # names: coordinators only
    # A member concerned after the proposal is invited too, and may register.
    request_domain.say_concerned(stranger, request)
    assert supervisions.register(stranger, request) is True
    supervisions.decline(concerned, request)
    view = supervisions.view_for(concerned, request)
    assert view.my_status == "declined" and view.registered_count == 2
    with pytest.raises(NetworkError):
        supervisions.register(member, request)  # already registered: the group says so


def test_the_raiser_is_seated_as_the_bringer_when_the_session_opens_live(builtins, organisation, coordinator, facilitator, member, raised):
    request, concerned = raised
    supervision = supervisions.propose(coordinator, request, proposal(days=1, facilitator=facilitator))
    supervisions.register(member, request)
    supervisions.register(concerned, request)
    with tenant_scope(organisation):
        session = GroupSession.objects.select_related("group__organisation").get(pk=supervision.session_id)
    # The session is tomorrow (registrations count from the next day); its facilitator opens it.
    live, _seat = open_live(session, facilitator)
    with all_tenants():
        room = LiveTable.objects.get(session=live, number=1)
        bringer = Participant.objects.get(session=live, user=member)
        assert bringer.role == LiveRole.OFFERER and room.offerer_id == bringer.pk
        assert not Participant.objects.filter(session=live, user=concerned).exists()  # others join themselves


def test_withdrawing_a_proposed_request_cancels_its_session_and_closes_registration(builtins, organisation, coordinator, member, raised):
    request, concerned = raised
    supervision = supervisions.propose(coordinator, request, proposal())
    request_domain.withdraw_request(member, request)
    with tenant_scope(organisation):
        assert GroupSession.objects.get(pk=supervision.session_id).status == GroupSession.Status.CANCELLED
    with pytest.raises(NetworkError) as closed:
        supervisions.register(concerned, request)
    assert closed.value.code == "closed"
    assert supervisions.open_calls(concerned, organisation) == []


def test_nobody_is_seated_as_bringer_when_the_raiser_did_not_register(builtins, organisation, coordinator, facilitator, member, raised):
    request, concerned = raised
    supervision = supervisions.propose(coordinator, request, proposal(days=1, facilitator=facilitator))
    supervisions.register(concerned, request)
    with tenant_scope(organisation):
        session = GroupSession.objects.select_related("group__organisation").get(pk=supervision.session_id)
    live, _seat = open_live(session, facilitator)
    with all_tenants():
        assert LiveTable.objects.get(session=live, number=1).offerer_id is None
        assert list(Participant.objects.filter(session=live).values_list("role", flat=True)) == [LiveRole.FACILITATOR]


def test_the_paf_due_is_recorded_in_the_ledger_once_per_registered_member(builtins, organisation, coordinator, member, raised, make_member):
    """Field document 000: the PAF of a supervision is owed by each participant; the network's
    ledger (grants.domain.ledger) records it, never twice, and only for the coordinators."""
    from entraide.grants.domain import ledger
    from entraide.grants.models import LedgerEntry

    request, concerned = raised
    supervision = supervisions.propose(coordinator, request, proposal())
    with pytest.raises(NetworkError) as nothing:
        supervisions.record_paf_due(coordinator, supervision)  # nobody registered yet
    assert nothing.value.code == "no_paf"
    supervisions.register(member, request)
    supervisions.register(concerned, request)
    with pytest.raises(PermissionDenied):
        supervisions.record_paf_due(member, supervision)
    assert supervisions.record_paf_due(coordinator, supervision) == 2
    assert supervisions.record_paf_due(coordinator, supervision) == 0  # nobody twice
    with tenant_scope(organisation):
        due = list(LedgerEntry.objects.filter(kind=LedgerEntry.Kind.FEE_DUE).order_by("member_id"))
    assert [(e.member_id, e.amount) for e in due] == sorted([(member.pk, Decimal("50.00")), (concerned.pk, Decimal("50.00"))])
    assert all(e.recorded_by_id == coordinator.pk and e.source_id == str(supervision.pk) for e in due)
    with tenant_scope(organisation):
        assert {b.member.pk: b.owed for b in ledger.balances(organisation)}[member.pk] == Decimal("50.00")


def test_the_coordinator_records_the_paf_due_from_the_page(builtins, client, organisation, coordinator, member, raised):
    request, concerned = raised
    supervisions.propose(coordinator, request, proposal())
    supervisions.register(member, request)
    client.force_login(coordinator)
    page = client.get(f"/o/{organisation.slug}/demandes/{request.pk}/")
    assert "Inscrire la PAF due" in page.content.decode()
    done = client.post(f"/o/{organisation.slug}/demandes/{request.pk}/paf/dues/", follow=True)
    assert "1 personne" in done.content.decode()
    client.force_login(member)
    assert client.post(f"/o/{organisation.slug}/demandes/{request.pk}/paf/dues/").status_code == 403
