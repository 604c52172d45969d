"""Brouillons d'ateliers, roadmaps and planned themes (issue 11, Deliver §4): the member whose
turn it is opens their own live session, seats follow accounts, the debrief (named or
anonymous, read in Mon espace, counted for coordinators), roadmaps of every participant, themes
planned in advance."""

import html
import uuid
from datetime import time, timedelta

import pytest
from django.test import Client
from django.urls import reverse

from entraide.community.domain import groups as group_domain
from entraide.community.domain.sessions import NewSession, create_sessions, open_live
from entraide.community.models import GroupSession
from entraide.core.domain import ensure_account, set_membership
from entraide.core.models import Role
from entraide.core.tenancy import all_tenants, tenant_scope
from entraide.followup.models import ActionPlan
from entraide.live.domain import commands
from entraide.live.domain.activities import debrief as debrief_activity
from entraide.live.domain.opening import join, member_seat, seat_for
from entraide.live.domain.state import session_state
from entraide.live.domain.steps import live_steps
from entraide.live.models import DebriefAnswer, DebriefResponse, DebriefSetup, LiveSession, Participant, Roadmap
from entraide.themes.domain.library import ThemeError, plan_theme, theme_for_session
from entraide.themes.models import Theme

from ..conftest import PASSWORD

pytestmark = pytest.mark.integration


def text(response) -> str:
    return html.unescape(response.content.decode())


def run(live, who, name, **args):
    return commands.execute(live.pk, who.pk, str(uuid.uuid4()), name, args)


def go_to(live, seat, activity):
    while True:
        with all_tenants():
            live = LiveSession.objects.select_related("protocol_version").get(pk=live.pk)
        if live_steps(live.protocol_version.spec, live.agenda)[commands.table_of(live).step_index].activity == activity:
            return live
        run(live, seat, "skip_step")


def member(organisation, number):
    user = ensure_account(f"pair{number:02d}@example.org", f"Pair {number:02d}", password=PASSWORD)
    set_membership(organisation, user, Role.MEMBER)
    return user


@pytest.fixture
def brouillons(builtins, organisation, coordinator):
    """A brouillons group of four members, one session to come assigned to the first by the rotation."""
    peers = [member(organisation, n) for n in range(1, 5)]
    group = group_domain.create_group(organisation, group_domain.GroupData(name="Brouillons", capacity=8), coordinator)
    for user in peers:
        group_domain.join_group(group, user)
    with tenant_scope(organisation):
        group.memberships.update(joined_on=group_domain.today() - timedelta(days=30))
    (session,) = create_sessions(group, [NewSession(group_domain.today(), time(14), time(16, 30))], coordinator)
    with tenant_scope(organisation):
        GroupSession.objects.filter(pk=session.pk).update(facilitator=peers[0], protocol_key="brouillon-atelier")
        session.refresh_from_db()
    return group, session, peers


def seated(live, users):
    return [member_seat(live, user).participant for user in users]


# --- 1. The member opens their own session; seats follow accounts --------------------------


def test_the_member_whose_turn_it_is_opens_it_and_every_member_sits_by_account(brouillons, coordinator, organisation):
    group, session, peers = brouillons
    leader = peers[0]
    live, seat = open_live(session, leader)
    assert seat.participant.role == "facilitator" and seat.participant.user_id == leader.pk
    # Another member's seat follows their account: the same Participant on every device.
    first, second = Client(), Client()
    for browser in (first, second):
        browser.force_login(peers[1])
    url = reverse("web:live", kwargs={"code": live.join_code})
    assert first.get(url).status_code == 200
    assert second.get(url).status_code == 200
    with all_tenants():
        mine = list(Participant.objects.filter(session=live, user=peers[1]))
    assert len(mine) == 1
    assert seat_for(live, user=peers[1]) == mine[0]
    # A coordinator (not a member of the group) gets no seat; the leader lands on the console.
    outsider = Client()
    outsider.force_login(coordinator)
    assert outsider.get(url).status_code == 302 and seat_for(live, user=coordinator) is None
    leader_browser = Client()
    leader_browser.force_login(leader)
    assert leader_browser.get(url)["Location"] == reverse("web:live-console", kwargs={"code": live.join_code})


def test_mon_espace_offers_the_member_to_open_their_session(brouillons, organisation):
    group, session, peers = brouillons
    browser = Client()
    browser.force_login(peers[0])
    page = text(browser.get(reverse("web:community-me", kwargs={"org": organisation.slug})))
    assert f'data-testid="run-live-{session.pk}"' in page
    other = Client()
    other.force_login(peers[1])
    assert f'data-testid="run-live-{session.pk}"' not in text(other.get(reverse("web:community-me", kwargs={"org": organisation.slug})))
    response = browser.post(reverse("web:community-live", kwargs={"org": organisation.slug, "group": group.pk, "session": session.pk}))
    assert response.status_code == 302 and "/console/" in response["Location"] or "console" in response["Location"]


# --- 2. The debrief --------------------------------------------------------------------------


@pytest.fixture
def at_debrief(brouillons):
    group, session, peers = brouillons
    live, seat = open_live(session, peers[0])
    people = seated(live, peers[1:])
    run(live, seat.participant, "start")
    live = go_to(live, seat.participant, "debrief")
    return live, seat.participant, people, peers


GOOD = {"worked": "La consigne d'écriture était claire.", "change": "Raccourcir le temps de lecture.", "ratings": {"pace": 3, "proposal": "5"}}


def test_bad_answers_are_refused_and_change_nothing(at_debrief):
    live, leader, people, peers = at_debrief
    bad = [
        ({"worked": "", "change": "  "}, "empty_text"),
        ({"worked": "x" * 1001}, "too_long"),
        ({"worked": 12}, "bad_text"),
        ({"ratings": {"pace": 6}}, "bad_rating"),
        ({"ratings": {"pace": 0}}, "bad_rating"),
        ({"ratings": {"pace": "2.5"}}, "bad_rating"),
        ({"ratings": {"pace": True}}, "bad_rating"),
        ({"ratings": {"unknown": 3}}, "bad_args"),
        ({"ratings": [3]}, "bad_args"),
        ({"worked": "ok", "author": "x"}, "bad_args"),
    ]
    with all_tenants():
        before = Participant.objects.filter(pk=people[0].pk).values_list("written_items", flat=True).first()
    for args, code in bad:
        with pytest.raises(commands.CommandRefused) as refused:
            run(live, people[0], "answer_debrief", **args)
        assert refused.value.code == code, args
        assert refused.value.message
    with all_tenants():
        assert not DebriefAnswer.objects.filter(session=live).exists()
        assert not DebriefResponse.objects.filter(session=live).exists()
        assert Participant.objects.get(pk=people[0].pk).written_items == before
    with pytest.raises(commands.CommandRefused) as refused:
        run(live, leader, "answer_debrief", **GOOD)
    assert refused.value.code == "wrong_role"


def test_anonymous_answers_store_no_link_to_their_author(at_debrief):
    live, leader, people, peers = at_debrief
    for person in people:
        run(live, person, "answer_debrief", **GOOD)
    with pytest.raises(commands.CommandRefused) as refused:
        run(live, people[0], "answer_debrief", **GOOD)
    assert refused.value.code == "already"
    with all_tenants():
        answers = list(DebriefAnswer.objects.filter(session=live))
        assert len(answers) == 3
        assert all(a.author_id is None and a.author_name == "" for a in answers)
        assert not hasattr(DebriefAnswer, "created_at")
        # Texts are charged to the write quota (two texts each).
        assert Participant.objects.get(pk=people[0].pk).written_items == 2
    # The mode is fixed by the first answer.
    with pytest.raises(commands.CommandRefused) as refused:
        run(live, leader, "debrief_mode", anonymous=False)
    assert refused.value.code == "debrief_started"
    # During the session the leader sees a count, never the answers; peers see whether they answered.
    state = session_state(live, leader)
    assert state["debrief"]["answered"] == 3 and "worked" not in str(state["debrief"])
    assert GOOD["worked"] not in str(session_state(live, people[1]))


def test_named_answers_and_reading_them_in_mon_espace(at_debrief, organisation, coordinator):
    live, leader, people, peers = at_debrief
    for bad in (None, "maybe", "", 2):
        with pytest.raises(commands.CommandRefused):
            run(live, leader, "debrief_mode", anonymous=bad)
    run(live, leader, "debrief_mode", anonymous="no")
    run(live, people[0], "answer_debrief", **GOOD)
    run(live, people[1], "answer_debrief", worked="Le climat était bienveillant.", ratings={"facilitation": 4})
    with all_tenants():
        assert {a.author_id for a in DebriefAnswer.objects.filter(session=live)} == {people[0].pk, people[1].pk}
    run(live, leader, "end_session")
    with all_tenants():
        setup = DebriefSetup.objects.get(session=live)
    read = debrief_activity.answers_for(setup, peers[0])
    assert {a.author for a in read.answers} == {"Pair 02", "Pair 03"}
    assert ("Rythme et durée", 3.0, 1) in read.averages
    # Mon espace of the member shows them; nobody else reads them.
    browser = Client()
    browser.force_login(peers[0])
    page = text(browser.get(reverse("web:community-me", kwargs={"org": organisation.slug})))
    assert 'data-testid="my-debrief"' in page and GOOD["worked"] in page and "Pair 02" in page
    for other in (peers[1], coordinator):
        with pytest.raises(Exception):
            debrief_activity.answers_for(setup, other)
        browser = Client()
        browser.force_login(other)
        assert GOOD["worked"] not in text(browser.get(reverse("web:community-me", kwargs={"org": organisation.slug})))


def test_coordinators_see_that_the_debrief_took_place_never_its_content(at_debrief, organisation, coordinator):
    live, leader, people, peers = at_debrief
    run(live, people[0], "answer_debrief", **GOOD)
    run(live, leader, "end_session")
    with all_tenants():
        group_session = GroupSession.objects.get(live_session=live)
    browser = Client()
    browser.force_login(coordinator)
    page = text(browser.get(reverse("web:community-group", kwargs={"org": organisation.slug, "group": group_session.group_id})))
    assert f'data-testid="debrief-count-{group_session.pk}"' in page
    assert GOOD["worked"] not in page and GOOD["change"] not in page
    with all_tenants():
        assert DebriefAnswer.objects.get(session=live).worked == GOOD["worked"]  # stored (encrypted at rest)


def test_debrief_commands_outside_their_place_are_refused(builtins, organisation, facilitator):
    from .conftest import open_room

    room = open_room(organisation, facilitator, "atelier-entraide", time(14), time(16, 30))
    with pytest.raises(commands.CommandRefused) as refused:
        room.run(room.facilitator, "debrief_mode", anonymous=True)
    assert refused.value.code == "no_debrief"
    room.run(room.facilitator, "start")
    with pytest.raises(commands.CommandRefused) as refused:
        room.run(room.people[0], "answer_debrief", **GOOD)
    assert refused.value.code == "wrong_step"


# --- 3. Roadmaps -----------------------------------------------------------------------------


@pytest.fixture
def exchange_group(builtins, organisation, coordinator, facilitator):
    peers = [member(organisation, n) for n in range(1, 4)]
    group = group_domain.create_group(organisation, group_domain.GroupData(name="Échange", capacity=8), coordinator)
    for user in peers:
        group_domain.join_group(group, user)
    with tenant_scope(organisation):
        group.memberships.update(joined_on=group_domain.today() - timedelta(days=60))
    first, second = create_sessions(
        group, [NewSession(group_domain.today() - timedelta(days=20), time(9), time(12, 30)), NewSession(group_domain.today(), time(9), time(12, 30))], coordinator
    )
    with tenant_scope(organisation):
        GroupSession.objects.filter(group=group).update(protocol_key="echange-de-pratiques")
        first.refresh_from_db()
        second.refresh_from_db()
    return group, first, second, peers


def test_every_participant_writes_their_roadmap_kept_private_and_back_at_the_next_session(exchange_group, facilitator):
    group, first, second, peers = exchange_group
    live, seat = open_live(first, facilitator)
    people = seated(live, peers)
    guest = join(live, "Invitée").participant  # no account: kept in the session only
    run(live, seat.participant, "start")
    live = go_to(live, seat.participant, "action_plan")
    for bad, code in (("", "empty_text"), ("x" * 1001, "too_long"), (None, "bad_text")):
        with pytest.raises(commands.CommandRefused) as refused:
            run(live, people[0], "write_roadmap", text=bad)
        assert refused.value.code == code
    with pytest.raises(commands.CommandRefused) as refused:
        run(live, people[0], "write_roadmap", text="Essayer", due="2001-01-01")
    assert refused.value.code == "past_date"
    with pytest.raises(commands.CommandRefused) as refused:
        run(live, seat.participant, "write_roadmap", text="Moi aussi")
    assert refused.value.code == "wrong_role"
    with all_tenants():
        assert not Roadmap.objects.filter(session=live).exists()
    for index, person in enumerate(people):
        run(live, person, "write_roadmap", text=f"Feuille de route {index}")
    run(live, people[0], "write_roadmap", text="Feuille de route 0, revue")  # a new version replaces it
    run(live, guest, "write_roadmap", text="Sans compte")
    with all_tenants():
        assert Roadmap.objects.filter(session=live).count() == 4
        plans = {plan.author_id: plan for plan in ActionPlan.objects.filter(live_session=live)}
    assert set(plans) == {p.pk for p in peers}
    assert all(not plan.shared_with_group for plan in plans.values())
    with all_tenants():
        assert [a.text for a in plans[peers[0].pk].actions.all()] == ["Feuille de route 0, revue"]
    state = session_state(live, seat.participant)
    assert state["roadmap"]["written"] == 4 and "Feuille" not in str(state["roadmap"])
    assert session_state(live, people[1])["roadmap"]["mine"]["text"] == "Feuille de route 1"
    run(live, seat.participant, "end_session")

    # The next session: each person sees their own last roadmap, the facilitator a count.
    live2, seat2 = open_live(second, facilitator)
    people2 = seated(live2, peers)
    run(live2, seat2.participant, "start")
    live2 = go_to(live2, seat2.participant, "review_roadmaps")
    mine = session_state(live2, people2[0])["roadmap"]["last"]
    assert mine["actions"][0]["text"] == "Feuille de route 0, revue"
    assert "Feuille de route 1" not in str(session_state(live2, people2[0]))
    facilitator_view = session_state(live2, seat2.participant)["roadmap"]
    assert facilitator_view["with_last"] == 3 and facilitator_view["last"] is None


def test_the_atelier_action_plan_stays_the_offerers(room):
    room.run(room.facilitator, "start")
    room.go_to("action_plan")
    with pytest.raises(commands.CommandRefused) as refused:
        room.run(room.people[0], "write_roadmap", text="Hors sujet")
    assert refused.value.code == "wrong_step"


# --- 4. Themes planned in advance ------------------------------------------------------------


def test_a_theme_planned_in_advance_comes_with_the_live_session(exchange_group, coordinator, facilitator, member, organisation):
    group, first, second, peers = exchange_group
    with all_tenants():
        theme = Theme.objects.get(organisation=None, key="mediation", language="fr")
    with pytest.raises(ThemeError):
        plan_theme(first, theme, coordinator)  # already taken place
    with pytest.raises(Exception):
        plan_theme(second, theme, member)  # a member who does not facilitate it
    plan_theme(second, theme, coordinator)
    live, seat = open_live(second, facilitator)
    assert theme_for_session(live.pk) == theme
    with pytest.raises(ThemeError):
        plan_theme(second, None, coordinator)  # already live: the console's command from now on


def test_planning_a_theme_from_the_group_page(exchange_group, coordinator, organisation):
    group, first, second, peers = exchange_group
    browser = Client()
    browser.force_login(coordinator)
    url = reverse("themes:plan", kwargs={"org": organisation.slug, "session": second.pk})
    assert browser.get(url).status_code == 200
    for bad in ("", "abc", "999999"):
        response = browser.post(url, {"theme": bad})
        assert response.status_code == 400 and "Choisissez une thématique" in text(response)
    with all_tenants():
        theme = Theme.objects.get(organisation=None, key="mediation", language="fr")
    assert browser.post(url, {"theme": theme.pk}).status_code == 302
    page = text(browser.get(reverse("web:community-group", kwargs={"org": organisation.slug, "group": group.pk})))
    assert f'data-testid="session-theme-{second.pk}"' in page and theme.title in page
    outsider = Client()
    outsider.force_login(peers[0])
    assert outsider.post(url, {"theme": theme.pk}).status_code in (403, 404)


def test_the_open_the_debrief_link_leads_to_the_session_not_the_join_page(at_debrief, organisation):
    live, leader, people, peers = at_debrief
    for user, target in ((peers[0], "web:live-console"), (peers[1], None)):
        browser = Client()
        browser.force_login(user)
        response = browser.get(reverse("web:live", kwargs={"code": live.join_code}))
        if target:
            assert response["Location"] == reverse(target, kwargs={"code": live.join_code})
            page = text(browser.get(response["Location"]))
            assert 'data-testid="debrief"' in page and 'data-testid="debrief-count"' in page
        else:
            assert response.status_code == 200 and 'name="worked"' in text(response)
    me = Client()
    me.force_login(peers[0])
    page = text(me.get(reverse("web:community-me", kwargs={"org": organisation.slug})))
    assert reverse("web:live", kwargs={"code": live.join_code}) in page


def test_every_door_finds_the_seat_by_account(at_debrief):
    """The kit and the theme page (console doors) and the state JSON answer the account's seat."""
    live, leader, people, peers = at_debrief
    leader_browser = Client()
    leader_browser.force_login(peers[0])
    assert leader_browser.get(reverse("themes:session", kwargs={"code": live.join_code})).status_code == 200
    peer = Client()
    peer.force_login(peers[1])
    assert peer.get(reverse("web:live", kwargs={"code": live.join_code})).status_code == 200
    state = peer.get(reverse("web:live-state", kwargs={"code": live.join_code})).json()
    assert state["me"]["id"] == people[0].pk
    assert peer.get(reverse("themes:session", kwargs={"code": live.join_code})).status_code == 404


def test_roadmap_pages_without_javascript(exchange_group, facilitator):
    """The roadmap form posts as a plain form (no JavaScript) and the review shows one's own."""
    group, first, second, peers = exchange_group
    live, seat = open_live(first, facilitator)
    run(live, seat.participant, "start")
    live = go_to(live, seat.participant, "action_plan")
    phone = Client()
    phone.force_login(peers[0])
    url = reverse("web:live", kwargs={"code": live.join_code})
    page = text(phone.get(url))
    assert 'data-testid="roadmap"' in page and 'value="write_roadmap"' in page
    command = reverse("web:live-command", kwargs={"code": live.join_code})
    refused = phone.post(command, {"command": "write_roadmap", "client_id": str(uuid.uuid4()), "text": "  "}, follow=True)
    assert "Le texte est vide" in text(refused)
    phone.post(command, {"command": "write_roadmap", "client_id": str(uuid.uuid4()), "text": "Tenir un journal de bord", "due": ""})
    assert "Tenir un journal de bord" in text(phone.get(url))
    console = Client()
    console.force_login(facilitator)
    console_page = text(console.get(reverse("web:live-console", kwargs={"code": live.join_code})))
    assert "1 feuille de route écrite." in console_page and "Tenir un journal" not in console_page
    run(live, seat.participant, "end_session")
    live2, seat2 = open_live(second, facilitator)
    run(live2, seat2.participant, "start")
    go_to(live2, seat2.participant, "review_roadmaps")
    review = text(phone.get(reverse("web:live", kwargs={"code": live2.join_code})))
    assert 'data-testid="my-last-roadmap"' in review and "Tenir un journal de bord" in review
    other = Client()
    other.force_login(peers[1])
    assert "Tenir un journal de bord" not in text(other.get(reverse("web:live", kwargs={"code": live2.join_code})))
