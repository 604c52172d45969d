"""Mentoring (parrainage, field document 000): offers, requests, ranked suggestions (a pure
rule, property-tested), matching by the coordinator or by the member, meetings by date with
private notes visible to their author only, members only."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404
from django.utils import timezone
from hypothesis import given, strategies as st

from entraide.core.tenancy import tenant_scope
from entraide.network.domain import NetworkError
from entraide.network.domain import mentoring
from entraide.network.domain.mentoring import Candidate, rank_mentors
from entraide.network.models import MeetingNote, MentoringRequest

TEXT = "Je prépare un atelier d'écriture pour des adolescents en foyer"


@pytest.mark.unit
def test_ranking_by_shared_fields_then_free_places_and_never_full_or_oneself():
    a = Candidate(1, 10, ("écriture", "jeunes"), 3, 2)   # 2 shared, 1 free
    b = Candidate(2, 11, ("écriture",), 3, 0)            # 1 shared, 3 free
    c = Candidate(3, 12, ("écriture", "jeunes"), 4, 0)   # 2 shared, 4 free
    full = Candidate(4, 13, ("écriture", "jeunes"), 1, 1)
    me = Candidate(5, 99, ("écriture", "jeunes"), 5, 0)
    assert [x.offer_id for x in rank_mentors(["écriture", "jeunes"], [a, b, c, full, me], mentee_id=99)] == [3, 1, 2]


tags = st.lists(st.sampled_from(["écriture", "jeunes", "évaluation", "théâtre", "slam"]), max_size=4, unique=True)
candidate = st.builds(Candidate, st.integers(1, 10_000), st.integers(1, 50), tags.map(tuple), st.integers(1, 5), st.integers(0, 6))


@pytest.mark.unit
@given(wanted=tags, pool=st.lists(candidate, max_size=12, unique_by=lambda c: c.offer_id), mentee=st.integers(1, 50))
def test_ranking_properties(wanted, pool, mentee):
    ranked = rank_mentors(wanted, pool, mentee)
    assert all(c.free > 0 and c.member_id != mentee for c in ranked)
    assert {c.offer_id for c in ranked} == {c.offer_id for c in pool if c.free > 0 and c.member_id != mentee}
    keys = [(-len(set(wanted) & set(c.tags)), -c.free, c.offer_id) for c in ranked]
    assert keys == sorted(keys)


@pytest.fixture
def people(organisation, member, make_member):
    marraine = make_member(1)
    parrain = make_member(2)
    mentoring.offer(marraine, organisation, "marraine", "écriture, jeunes", 2)
    mentoring.offer(parrain, organisation, "parrain", "théâtre", 1)
    return marraine, parrain


@pytest.mark.integration
def test_the_member_chooses_among_ranked_suggestions_and_meetings_keep_private_notes(organisation, member, people, coordinator):
    marraine, parrain = people
    request = mentoring.ask(member, organisation, "design", "few", "jeunes", TEXT)
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM network_mentoringrequest WHERE id = %s", [request.pk])
        assert "adolescents" not in cursor.fetchone()[0]
    with tenant_scope(organisation):
        suggested = [offer.member for _c, offer in mentoring.suggestions(member, request)]
    assert suggested == [marraine, parrain]
    mentoring.match(member, request, _offer_of(organisation, marraine))
    meeting = mentoring.record_meeting(marraine, request, (timezone.localdate() - timedelta(days=1)).isoformat())
    mentoring.save_note(marraine, meeting, "Elle hésite sur la consigne d'ouverture")
    mentoring.save_note(member, meeting, "Relire Rodari")
    with tenant_scope(organisation):
        assert [(n.text if n else None) for _m, n in mentoring.meetings_with_my_notes(member, request)] == ["Relire Rodari"]
        assert [(n.text if n else None) for _m, n in mentoring.meetings_with_my_notes(coordinator, request)] == [None]
        with connection.cursor() as cursor:
            cursor.execute("SELECT text FROM network_meetingnote")
            assert not any("Rodari" in row[0] for row in cursor.fetchall())
    # A third person may not record or note.
    with pytest.raises(PermissionDenied):
        mentoring.record_meeting(parrain, request, timezone.localdate())
    with pytest.raises(PermissionDenied):
        mentoring.save_note(coordinator, meeting, "x")


def _offer_of(organisation, user) -> int:
    from entraide.network.models import MentorOffer

    with tenant_scope(organisation):
        return MentorOffer.objects.get(member=user).pk


@pytest.mark.integration
def test_matching_rules_full_mentor_own_offer_and_coordinator(organisation, member, people, coordinator, make_member, facilitator):
    marraine, parrain = people
    first = mentoring.ask(member, organisation, "running", "one", "", TEXT)
    other = mentoring.ask(make_member(3), organisation, "evaluation", "one", "", TEXT)
    with pytest.raises(PermissionDenied):
        mentoring.match(facilitator, first, _offer_of(organisation, parrain))  # neither the mentee nor a coordinator
    mentoring.match(coordinator, first, _offer_of(organisation, parrain))
    with pytest.raises(NetworkError) as full:
        mentoring.match(coordinator, other, _offer_of(organisation, parrain))
    assert full.value.code == "mentor_full"
    with pytest.raises(NetworkError) as again:
        mentoring.match(coordinator, first, _offer_of(organisation, marraine))
    assert again.value.code == "not_open"
    own = mentoring.ask(marraine, organisation, "design", "one", "", TEXT)
    with pytest.raises(NetworkError) as refused:
        mentoring.match(marraine, own, _offer_of(organisation, marraine))
    assert refused.value.code == "own_offer"
    mentoring.end(member, first)  # the parrain's place frees up
    mentoring.match(coordinator, other, _offer_of(organisation, parrain))


@pytest.mark.integration
def test_commissioners_and_strangers_are_refused(organisation, commissioner, other_coordinator, member, people):
    with pytest.raises(PermissionDenied):
        mentoring.offer(commissioner, organisation, "parrain", "", 1)
    with pytest.raises(PermissionDenied):
        mentoring.ask(commissioner, organisation, "design", "one", "", TEXT)
    with pytest.raises(Http404):
        mentoring.ask(other_coordinator, organisation, "design", "one", "", TEXT)
    request = mentoring.ask(member, organisation, "design", "one", "", TEXT)
    with tenant_scope(organisation):
        with pytest.raises(Http404):
            mentoring.request_or_404(commissioner, organisation, request.pk)
        with pytest.raises(PermissionDenied):
            mentoring.suggestions(commissioner, request)


@pytest.mark.integration
@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda o, u: mentoring.ask(u, o, "design", "one", "", ""), "text"),
        (lambda o, u: mentoring.ask(u, o, "cooking", "one", "", TEXT), "kind"),
        (lambda o, u: mentoring.ask(u, o, "design", "one", "a, b, c, d, e, f, g, h, i", TEXT), "tags"),
        (lambda o, u: mentoring.offer(u, o, "parrain", "", 0), "capacity"),
        (lambda o, u: mentoring.offer(u, o, "tonton", "", 1), "wording"),
    ],
)
def test_bad_input_is_refused_on_its_field_and_saves_nothing(organisation, member, call, field):
    with pytest.raises(NetworkError) as refused:
        call(organisation, member)
    assert refused.value.field == field
    with tenant_scope(organisation):
        assert not MentoringRequest.objects.exists() and not MeetingNote.objects.exists()


@pytest.mark.integration
def test_the_paf_of_a_mentoring_is_set_by_a_coordinator_and_paid_by_one_person(client, organisation, member, people, coordinator):
    from decimal import Decimal

    from django.urls import reverse

    request = mentoring.ask(member, organisation, "evaluation", "few", "", TEXT)
    with pytest.raises(PermissionDenied):
        mentoring.set_paf(member, request, "", "80", "0", None, None)
    with pytest.raises(NetworkError) as refused:
        mentoring.set_paf(coordinator, request, "", "80", "0", "50", "20")
    assert refused.value.field == "paf_floor"
    saved = mentoring.set_paf(coordinator, request, "Claire Dupont", "80", "10", None, "60")
    assert (saved.speaker_fee, saved.paf_cap) == (Decimal("80.00"), Decimal("60.00"))
    client.force_login(member)
    page = client.get(reverse("network:mentoring-request", kwargs={"org": organisation.slug, "pk": request.pk})).content.decode()
    assert "Avec 1 inscrit·e : 60,00\u00a0€ par personne." in page  # (80 + 10) / 1, capped at 60


@pytest.mark.integration
def test_the_mentor_and_the_mentee_are_told_when_a_coordinator_matches_them(organisation, member, people, coordinator, django_capture_on_commit_callbacks):
    from django.core import mail

    marraine, _parrain = people
    request = mentoring.ask(member, organisation, "design", "one", "", TEXT)
    with django_capture_on_commit_callbacks(execute=True):
        mentoring.match(coordinator, request, _offer_of(organisation, marraine), base_url="https://entraide.example")
    assert sorted(m.to[0] for m in mail.outbox) == sorted([marraine.email, member.email])
    for message in mail.outbox:
        assert f"https://entraide.example/o/{organisation.slug}/parrainage/{request.pk}/" in message.body
        assert "adolescents" not in message.body
