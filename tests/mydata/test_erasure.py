"""Erasure (issue 14, point 5): an account or a live seat; afterwards none of the person's
markers is found in any text column of any table, and a shared record stays readable with
"une personne"."""

import pytest
from django.test import Client

from entraide.core.models import ActionLogEntry, Membership, User
from entraide.core.tenancy import all_tenants, tenant_scope
from entraide.followup.domain import records
from entraide.followup.models import ActionPlan
from entraide.live.models import LiveTable, Participant, PrivateNote, Question
from entraide.mydata.domain import erasure

from ..conftest import PASSWORD
from .conftest import MARKER_A, MARKER_B

pytestmark = pytest.mark.integration


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_check_finds_markers_in_encrypted_columns(table_of_two, member):
    found = erasure.find_markers([MARKER_A, member.email])
    labels = {(label, column) for label, column, _pk, _m in found}
    assert ("live.Question", "text") in labels and ("live.PrivateNote", "text") in labels
    assert ("core.User", "email") in labels


def test_erasing_an_account_leaves_no_marker_and_keeps_the_shared_record(table_of_two, organisation, member, colleague):
    markers = [member.email, member.display_name, MARKER_A]
    assert erasure.find_markers(markers)
    erasure.erase_account(member, PASSWORD)

    assert erasure.find_markers(markers) == []
    # The neighbour's words are untouched.
    assert {m for *_rest, m in erasure.find_markers([MARKER_B])} == {MARKER_B}
    account = User.objects.get(pk=member.pk)
    assert not account.is_active and not account.has_usable_password()
    assert account.display_name == erasure.PSEUDONYM
    with all_tenants():
        assert not Membership.objects.filter(user=account).exists()
        assert not ActionPlan.objects.filter(author=account).exists()
        assert not Participant.objects.filter(user=account).exists()
        table = LiveTable.objects.get(pk=LiveTable.objects.filter(session=table_of_two.live).first().pk)
        assert table.record.startswith("une personne a présenté sa situation")
        assert Question.objects.filter(text__isnull=False).count() == 1
    # The shared record is still consented and readable, the person in it "une personne".
    with tenant_scope(organisation):
        assert records.is_consented(table_of_two.group_session)
        record = records.build_record(table_of_two.group_session)
    assert record.record.startswith("une personne a présenté")
    assert record.ideas == ["Une idée qui m'a parlé"]
    entry = ActionLogEntry.everywhere.get(verb="account.erased")
    assert entry.subject_id == member.pk


def test_a_wrong_password_erases_nothing(table_of_two, member):
    with pytest.raises(erasure.ErasureError) as refused:
        erasure.erase_account(member, "pas le bon")
    assert refused.value.field == "password"
    assert User.objects.get(pk=member.pk).is_active
    assert {m for *_rest, m in erasure.find_markers([MARKER_A])} == {MARKER_A}


def test_the_web_door_confirms_with_the_password(table_of_two, member):
    client = _client(member)
    refused = client.post("/o/reseau/mon-espace/mes-donnees/supprimer/", {"password": "pas le bon"})
    assert refused.status_code == 400
    assert "nothing was deleted" in refused.content.decode() or "rien n" in refused.content.decode()
    assert User.objects.get(pk=member.pk).is_active
    done = client.post("/o/reseau/mon-espace/mes-donnees/supprimer/", {"password": PASSWORD})
    assert done.status_code == 200
    assert not User.objects.get(pk=member.pk).is_active
    # Signed out: the space is closed.
    assert client.get("/o/reseau/mon-espace/").status_code == 302
    assert erasure.find_markers([member.email, MARKER_A]) == []


def test_a_participant_without_an_account_erases_their_seat_from_the_personal_link(table_of_two, colleague):
    seat, secret = table_of_two.seat(colleague)
    with all_tenants():
        Participant.objects.filter(pk=seat.pk).update(user=None)
        name = seat.display_name
    code = table_of_two.live.join_code
    phone = Client()
    assert phone.get(f"/s/{code}/retour/{secret}/effacer/").status_code == 200
    assert phone.post(f"/s/{code}/retour/{secret}/effacer/").status_code == 200
    assert erasure.find_markers([MARKER_B, name]) == []
    # The link no longer works, neither to come back nor to erase again.
    assert phone.get(f"/s/{code}/retour/{secret}/").status_code == 404
    assert phone.post(f"/s/{code}/retour/{secret}/effacer/").status_code == 404
    # The other person's words stay.
    assert erasure.find_markers([MARKER_A])
    assert ActionLogEntry.everywhere.filter(verb="seat.erased", object_id=str(seat.pk)).exists()
    with all_tenants():
        assert not PrivateNote.objects.filter(author=seat).exists()


def test_a_wrong_seat_secret_is_a_404(table_of_two):
    code = table_of_two.live.join_code
    assert Client().post(f"/s/{code}/retour/pas-un-secret/effacer/").status_code == 404


def test_the_ended_session_page_offers_the_erasure_from_the_personal_link(table_of_two, colleague):
    _seat, secret = table_of_two.seat(colleague)
    code = table_of_two.live.join_code
    phone = Client()
    assert phone.get(f"/s/{code}/retour/{secret}/").status_code == 302
    page = phone.get(f"/s/{code}/").content.decode()
    assert f"/s/{code}/retour/{secret}/effacer/" in page
