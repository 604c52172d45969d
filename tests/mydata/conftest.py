import pytest

from entraide.core.tenancy import all_tenants
from entraide.followup.domain import plans
from entraide.live.models import LiveTable, Participant, PrivateNote, Question

from ..followup.conftest import hold_session, make_group, make_member  # noqa: F401  (fixtures and helpers reused)

MARKER_A = "zanzibar-marqueur-alice"
MARKER_B = "kilimandjaro-marqueur-bob"


@pytest.fixture
def colleague(make_member):  # noqa: F811
    return make_member(1)


@pytest.fixture
def group(builtins, organisation, coordinator, member, colleague):
    return make_group(organisation, coordinator, "Échange de pratiques", [member, colleague])


@pytest.fixture
def table_of_two(group, coordinator, facilitator, member, colleague):
    """A session held live: ``member`` (A, the offerer) and ``colleague`` (B) at one table,
    each with a question and a private note carrying their own marker; the record mentions A
    by name and every participant consented to share it. Both have names found nowhere else,
    so that the marker check means something."""
    from entraide.core.models import User

    User.objects.filter(pk=member.pk).update(display_name="Aglaé Zorbinsky")
    User.objects.filter(pk=colleague.pk).update(display_name="Bertrand Quixolé")
    member.refresh_from_db()
    colleague.refresh_from_db()
    held = hold_session(
        group, coordinator, facilitator, member, others=[colleague],
        record=f"{member.display_name} a présenté sa situation ; la table l'a écoutée.",
    )
    seat_a = held.seat(member)[0]
    seat_b = held.seat(colleague)[0]
    with all_tenants():
        Participant.objects.filter(pk=seat_b.pk).update(user=colleague)
        table = LiveTable.objects.filter(session=held.live).first()
        for seat, marker in ((seat_a, MARKER_A), (seat_b, MARKER_B)):
            Question.objects.create(session=held.live, table=table, author=seat, text=f"Question {marker}")
            PrivateNote.objects.create(session=held.live, author=seat, step_key="notes", text=f"Note {marker}")
    plan = plans.keep_from_session(held.live, seat_a, member)
    plans.add_action(plan, f"Plan {MARKER_A}", None, actor=member)
    held.plan = plan
    return held
