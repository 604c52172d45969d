"""The live session over plain HTTP: join, view, act without JavaScript; guessing limited;
one session's participant sees and changes nothing of another."""

import re
import uuid
from datetime import time
from html import unescape

import pytest
from django.urls import reverse

from entraide.core.tenancy import all_tenants
from entraide.live.domain.opening import FAILED_PER_HOUR, format_code, open_session
from entraide.live.models import GroundRule, LiveSession, LiveTable, Participant
from entraide.realtime import render

pytestmark = pytest.mark.integration


def join(client, session, name="Amina", code=None):
    return client.post(reverse("web:live-join"), {"code": code or format_code(session.join_code), "name": name})


def command(client, session, name, view="participant", client_id=None, **fields):
    data = {"command": name, "client_id": client_id or str(uuid.uuid4()), "view": view, **fields}
    return client.post(reverse("web:live-command", kwargs={"code": session.join_code}), data)


@pytest.fixture
def opened(builtins, organisation, facilitator, client):
    client.force_login(facilitator)
    response = client.post(
        reverse("web:live-open", kwargs={"key": "atelier-entraide"}),
        {"organisation": organisation.pk, "participants": 7, "start": "14:00", "end": "16:30", "title": "Atelier du jeudi"},
    )
    assert response.status_code == 302
    with all_tenants():
        session = LiveSession.objects.get()
    assert response.url == reverse("web:live-console", kwargs={"code": session.join_code})
    return session


def test_a_facilitator_opens_a_session_with_its_fitted_agenda(opened, client):
    assert opened.title == "Atelier du jeudi" and len(opened.join_code) == 8
    assert sum(step["minutes"] for step in opened.agenda) == 150
    html = unescape(client.get(reverse("web:live-console", kwargs={"code": opened.join_code})).content.decode())
    assert format_code(opened.join_code) in html and "qr.svg" in html
    qr = client.get(reverse("web:live-qr", kwargs={"code": opened.join_code}))
    assert qr.status_code == 200 and qr["Content-Type"] == "image/svg+xml" and b"<svg" in qr.content


def test_only_facilitators_open_sessions(builtins, organisation, member, client):
    client.force_login(member)
    response = client.post(
        reverse("web:live-open", kwargs={"key": "atelier-entraide"}),
        {"organisation": organisation.pk, "participants": 7, "start": "14:00", "end": "16:30"},
    )
    assert response.status_code == 400 and 'data-testid="open-error"' in response.content.decode()  # the prepare page, with the reason
    with all_tenants():
        assert not LiveSession.objects.exists()


def test_joining_without_an_account_then_coming_back(opened):
    from django.test import Client

    phone = Client()
    response = join(phone, opened, code=opened.join_code.lower())  # typed in lower case, no dash
    assert response.status_code == 302 and response.url == reverse("web:live", kwargs={"code": opened.join_code})
    page = phone.get(response.url)
    assert page.status_code == 200 and "Amina" in page.content.decode()
    # A reload is the same participant; so is a second join from the same browser.
    phone.get(response.url)
    join(phone, opened)
    with all_tenants():
        assert Participant.objects.filter(display_name="Amina").count() == 1
    # The personal link brings them back on another device.
    secret = phone.cookies[f"entraide_live_{opened.pk}"].value
    other_device = Client()
    other_device.get(reverse("web:live-rejoin", kwargs={"code": opened.join_code, "secret": secret}))
    assert "Amina" in other_device.get(response.url).content.decode()


@pytest.mark.parametrize("name", ["", "   ", "x" * 41])
def test_a_bad_name_is_refused_and_nobody_joins(opened, name):
    from django.test import Client

    response = join(Client(), opened, name=name)
    assert response.status_code in (200, 400)
    with all_tenants():
        assert Participant.objects.filter(session=opened).count() == 1


def test_unknown_closed_and_wrong_codes_get_the_same_answer(opened, organisation, facilitator):
    from django.test import Client

    closed, _seat = open_session(organisation=organisation, protocol=opened.protocol_version.protocol, facilitator=facilitator, participants=7, start=time(9), end=time(12))
    with all_tenants():
        LiveSession.objects.filter(pk=closed.pk).update(status=LiveSession.Status.ENDED)
    answers = set()
    for code in ("ZZZZ-ZZZZ", closed.join_code, opened.join_code[:-1] + ("A" if opened.join_code[-1] != "A" else "C"), "abc"):
        response = join(Client(), opened, code=code)
        assert response.status_code == 400
        answers.add(_alert(response))
    assert len(answers) == 1


def _alert(response) -> str:
    return unescape(response.content.decode().split('role="alert"')[1].split(">", 1)[1].split("<")[0])


def test_join_code_guessing_is_limited_per_network(opened):
    from django.test import Client

    guesser = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(FAILED_PER_HOUR):
        assert join(guesser, opened, code="ZZZZ-ZZZZ").status_code == 400
    live, wrong = join(guesser, opened), join(guesser, opened, code="ZZZZ-ZZZY")
    # Past the limit a stranger's network learns nothing: the same answer for a live code.
    assert live.status_code == wrong.status_code == 400 and _alert(live) == _alert(wrong)
    with all_tenants():
        assert Participant.objects.filter(session=opened).count() == 1
    assert join(Client(REMOTE_ADDR="203.0.113.10"), opened).status_code == 302


def test_an_ipv6_guesser_counts_by_its_64(opened):
    from django.test import Client

    for number in range(FAILED_PER_HOUR):
        join(Client(REMOTE_ADDR=f"2001:db8:0:1::{number + 1:x}"), opened, code="ZZZZ-ZZZZ")
    assert join(Client(REMOTE_ADDR="2001:db8:0:1::ffff"), opened).status_code == 400
    assert join(Client(REMOTE_ADDR="2001:db8:0:2::1"), opened).status_code == 302


def test_one_guesser_on_the_room_wifi_does_not_lock_the_room_out(opened):
    from django.test import Client

    room = "198.51.100.7"
    assert join(Client(REMOTE_ADDR=room), opened, name="Première").status_code == 302
    guesser = Client(REMOTE_ADDR=room)
    for _ in range(FAILED_PER_HOUR + 10):
        join(guesser, opened, code="ZZZZ-ZZZZ")
    # The right code still opens the room's session for the people of the room...
    assert join(Client(REMOTE_ADDR=room), opened, name="Deuxième").status_code == 302
    # ...while the guesser's wrong codes are refused without telling more.
    assert "Trop de codes" in _alert(join(guesser, opened, code="ZZZZ-ZZZY"))


def test_a_whole_room_behind_one_network_can_join(opened):
    from django.test import Client

    from entraide.live.domain.opening import seat_limit

    for number in range(seat_limit(opened) - 1):
        assert join(Client(REMOTE_ADDR="198.51.100.7"), opened, name=f"Personne {number}").status_code == 302


def test_the_essential_actions_work_without_javascript(opened, client):
    from django.test import Client

    phone = Client()
    join(phone, opened)
    assert command(client, opened, "start", view="console").status_code == 302
    with all_tenants():
        LiveTable.objects.filter(session=opened).update(step_index=2)  # the rules of the game
    client_id = str(uuid.uuid4())
    for _ in range(2):  # a double submission
        response = command(phone, opened, "add_rule", client_id=client_id, text="<script>alert(1)</script> On s'écoute")
        assert response.status_code == 302
    with all_tenants():
        assert GroundRule.objects.count() == 1
    html = phone.get(reverse("web:live", kwargs={"code": opened.join_code})).content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_a_refused_command_says_why_and_changes_nothing(opened, client):
    from django.test import Client

    phone = Client()
    join(phone, opened)
    with all_tenants():
        version = LiveTable.objects.get(session=opened).version
    response = command(phone, opened, "start", view="participant")
    page = phone.get(response.url)
    assert "Votre rôle ne le permet pas." in unescape(page.content.decode())
    opened.refresh_from_db()
    with all_tenants():
        assert opened.status == LiveSession.Status.OPEN and LiveTable.objects.get(session=opened).version == version  # refused: unchanged


def test_htmx_commands_return_the_refreshed_fragment(opened, client):
    response = client.post(
        reverse("web:live-command", kwargs={"code": opened.join_code}),
        {"command": "start", "client_id": str(uuid.uuid4()), "view": "console"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200 and '<div id="live"' in html and "<html" not in html


def test_a_participant_of_one_session_sees_and_changes_nothing_of_another(opened, organisation, facilitator):
    from django.test import Client

    other, _seat = open_session(organisation=organisation, protocol=opened.protocol_version.protocol, facilitator=facilitator, participants=7, start=time(9), end=time(12))
    phone = Client()
    join(phone, opened)
    for name in ("web:live-console", "web:live-projector", "web:live-state"):
        assert phone.get(reverse(name, kwargs={"code": other.join_code})).status_code in (302, 404)
    assert phone.get(reverse("web:live-state", kwargs={"code": other.join_code})).status_code == 404
    assert command(phone, other, "set_ready").status_code == 404
    # And the participant cannot reach the console of their own session either.
    assert phone.get(reverse("web:live-console", kwargs={"code": opened.join_code})).status_code == 302


def test_the_facilitator_gets_back_in_from_another_device(opened, facilitator):
    from django.test import Client

    new_device = Client()
    new_device.force_login(facilitator)
    response = new_device.get(reverse("web:live-console", kwargs={"code": opened.join_code}))
    assert response.status_code == 200 and f"entraide_live_{opened.pk}" in response.cookies


def test_the_page_costs_the_same_queries_with_3_or_30_participants(opened, client, django_assert_max_num_queries):
    from entraide.live.domain.opening import join as join_session

    url = reverse("web:live-console", kwargs={"code": opened.join_code})
    for i in range(2):
        join_session(opened, f"P{i}")
    client.get(url)
    render.clear()  # rendered anew, not served from the render of its version
    with django_assert_max_num_queries(40) as few:
        client.get(url)
    at_3 = len(few.captured_queries)  # before the next request resets the log
    with all_tenants():
        LiveSession.objects.filter(pk=opened.pk).update(seat_margin=30)  # raised from the console
    opened.refresh_from_db()
    for i in range(27):
        join_session(opened, f"Q{i}")
    client.get(url)
    render.clear()
    with django_assert_max_num_queries(at_3):
        client.get(url)


def test_only_irreversible_actions_ask_for_confirmation(opened, client):
    import re

    from entraide.live.domain.opening import join as join_session

    join_session(opened, "Amina")
    command(client, opened, "start", view="console")
    html = client.get(reverse("web:live-console", kwargs={"code": opened.join_code})).content.decode()
    forms = re.findall(r"<form[^>]*>.*?</form>", html, flags=re.S)
    confirmed = [re.search(r'name="command" value="([a-z_]+)"', form).group(1) for form in forms if "data-confirm" in form]
    assert confirmed and set(confirmed) <= {"end_session", "remove_participant"}
    assert any('value="next_step"' in form and "data-confirm" not in form for form in forms)


def test_a_second_tap_on_next_step_from_a_stale_console_is_refused(opened, client):
    """The console's step buttons name the step they leave; a tap from a page that is behind
    (another device moved on) changes nothing and says where the session is."""
    assert command(client, opened, "start", view="console").status_code == 302
    console = client.get(reverse("web:live-console", kwargs={"code": opened.join_code})).content.decode()
    assert 'name="step" value="welcome"' in console
    for _ in range(2):  # two devices, or a double tap with two ids
        response = command(client, opened, "next_step", view="console", step="welcome")
    page = unescape(client.get(response.url).content.decode())
    assert "La séance est maintenant à l'étape « Présentation de l'atelier » : rien n'a été modifié" in page
    with all_tenants():
        assert LiveTable.objects.get(session=opened).step_index == 1


def test_the_html_door_limits_commands_per_participant(opened, client, monkeypatch):
    from django.test import Client
    from django.utils import timezone

    from entraide.live.domain.commands import COMMAND_BURST

    frozen = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: frozen)  # a burst, however slow the machine
    phone = Client()
    join(phone, opened)
    assert command(client, opened, "start", view="console").status_code == 302
    for number in range(COMMAND_BURST + 1):
        response = command(phone, opened, "set_ready", ready="yes" if number % 2 else "no")
    page = unescape(phone.get(response.url).content.decode())
    assert "Trop d'actions à la fois : attendez quelques secondes, puis réessayez." in page


# --- Who reaches a running session (issue 10) ------------------------------------------------

CODE_DOORS = ("web:live-console", "web:live-projector", "web:live-state", "web:live-qr", "web:live-kit", "web:live-personal-qr")


@pytest.fixture
def group_run(builtins, organisation, coordinator, facilitator):
    """A group session assigned to ``facilitator``, who has opened it live from the group's page."""
    from datetime import timedelta

    from django.test import Client

    from entraide.community.domain import groups as group_domain
    from entraide.community.domain.sessions import NewSession, create_sessions
    from entraide.community.models import GroupSession
    from entraide.core.tenancy import tenant_scope

    group = group_domain.create_group(organisation, group_domain.GroupData(name="Codéveloppement", capacity=12), coordinator)
    [session] = create_sessions(group, [NewSession(group_domain.today() + timedelta(days=1), time(9), time(12, 30))], coordinator)
    with tenant_scope(organisation):
        GroupSession.objects.filter(pk=session.pk).update(facilitator=facilitator)
    console = Client()
    console.force_login(facilitator)
    url = reverse("web:community-live", kwargs={"org": organisation.slug, "group": group.pk, "session": session.pk})
    response = console.post(url)
    assert response.status_code == 302 and "/console/" in response["Location"]
    with tenant_scope(organisation):
        session.refresh_from_db()
        live = session.live_session
    return {"group": group, "session": session, "live": live, "direct": url, "console": console}


def _person(kind, organisation, other_organisation):
    from entraide.core.models import Role
    from tests.conftest import _account

    return {
        "coordinator": lambda: _account(organisation, "coord2@example.org", Role.COORDINATOR),
        "other facilitator": lambda: _account(organisation, "autre-facilitation@example.org", Role.FACILITATOR),
        "member": lambda: _account(organisation, "membre2@example.org", Role.MEMBER),
        "commissioner": lambda: _account(organisation, "drh2@example.org", Role.COMMISSIONER),
        "other organisation": lambda: _account(other_organisation, "coord@autre.example.org", Role.COORDINATOR),
        "anonymous": lambda: None,
    }[kind]()


@pytest.mark.parametrize("kind", ["coordinator", "other facilitator", "member", "commissioner", "other organisation", "anonymous"])
def test_only_the_facilitator_reaches_a_running_group_session(kind, group_run, organisation, other_organisation):
    from django.test import Client

    live = group_run["live"]
    person = _person(kind, organisation, other_organisation)
    browser = Client()
    if person is not None:
        browser.force_login(person)
    with all_tenants():
        seats = Participant.objects.filter(session=live).count()
    # The group session's "direct" door: no console, and the code in neither address nor page.
    direct = browser.post(group_run["direct"], follow=True)
    assert all("/console/" not in url and live.join_code not in url for url, _status in direct.redirect_chain)
    assert live.join_code not in direct.content.decode() and format_code(live.join_code) not in direct.content.decode()
    # The group's page, the organisation's page and "Mon espace" show that it runs, not its code.
    for name, kwargs in (
        ("web:community-group", {"org": organisation.slug, "group": group_run["group"].pk}),
        ("web:organisation", {"org": organisation.slug}),
        ("web:community-me", {"org": organisation.slug}),
    ):
        page = browser.get(reverse(name, kwargs=kwargs))
        assert live.join_code not in page.content.decode(), name
    # Every address that takes the code: the same 404 as for a wrong code.
    for door in CODE_DOORS:
        assert browser.get(reverse(door, kwargs={"code": live.join_code})).status_code == 404, door
        assert browser.get(reverse(door, kwargs={"code": "ZZZZZZZZ"})).status_code == 404, door
    assert browser.post(reverse("web:live-command", kwargs={"code": live.join_code}), {"command": "next_step"}).status_code == 404
    assert browser.post(reverse("web:live-seats", kwargs={"code": live.join_code}), {"extra": "5"}).status_code == 404
    with all_tenants():
        assert Participant.objects.filter(session=live).count() == seats


def test_the_facilitator_reaches_the_console_from_every_door(group_run, facilitator, organisation):
    from django.test import Client

    live = group_run["live"]
    assert group_run["console"].get(reverse("web:live-console", kwargs={"code": live.join_code})).status_code == 200
    new_browser = Client()
    new_browser.force_login(facilitator)
    # "Mes séances en cours" on the organisation's page and in "Mon espace".
    for name in ("web:organisation", "web:community-me"):
        html = new_browser.get(reverse(name, kwargs={"org": organisation.slug})).content.decode()
        assert 'data-testid="running-sessions"' in html and reverse("web:live-console", kwargs={"code": live.join_code}) in html, name
    # Typing the code while logged in leads to the console, never to a contributor's seat.
    typed = join(new_browser, live, name="Facilitation")
    assert typed.status_code == 302 and typed["Location"] == reverse("web:live-console", kwargs={"code": live.join_code})
    with all_tenants():
        assert Participant.objects.filter(session=live).count() == 1
    # The group's page offers the console to them.
    page = new_browser.get(reverse("web:community-group", kwargs={"org": organisation.slug, "group": group_run["group"].pk})).content.decode()
    assert group_run["direct"] in page


def test_a_coordinator_sees_that_the_session_runs(group_run, coordinator, client, organisation):
    client.force_login(coordinator)
    page = client.get(reverse("web:community-group", kwargs={"org": organisation.slug, "group": group_run["group"].pk})).content.decode()
    assert 'data-testid="live-status"' in page and group_run["direct"] not in page
    refused = client.post(group_run["direct"], follow=True)
    assert "seule la personne qui la facilite y entre" in unescape(refused.content.decode())
    assert "/console/" not in refused.redirect_chain[-1][0]


@pytest.mark.parametrize("door", ["web:live", *CODE_DOORS, "themes:session", "web:followup-keep"])
def test_a_stranger_gets_the_same_answer_for_a_live_and_a_wrong_code_and_it_counts(door, opened):
    from django.test import Client

    from entraide.live.domain.opening import network_of  # noqa: F401 (the unit counted)

    stranger = Client(REMOTE_ADDR="192.0.2.44")
    live = stranger.get(reverse(door, kwargs={"code": opened.join_code}))
    wrong = stranger.get(reverse(door, kwargs={"code": "ZZZZZZZZ"}))
    assert live.status_code == wrong.status_code
    if live.status_code == 302:  # the participant's address: to the join form, with the code as typed
        assert live["Location"].startswith(reverse("web:live-join")) and wrong["Location"].startswith(reverse("web:live-join"))
    for _ in range(FAILED_PER_HOUR):
        stranger.get(reverse(door, kwargs={"code": "ZZZZZZZZ"}))
    # The same limit as typed codes: this network now gets "too many" for the live code too.
    assert join(stranger, opened).status_code == 400


def test_a_session_holds_no_more_seats_than_its_protocol_allows_until_the_facilitator_opens_more(opened, client):
    from django.test import Client

    from entraide.live.domain.opening import seat_limit

    limit = seat_limit(opened)
    assert limit == 12 + 2  # the protocol's maximum (atelier d'entraide: 12) and the margin
    for number in range(limit - 1):
        assert join(Client(REMOTE_ADDR="198.51.100.8"), opened, name=f"Personne {number}").status_code == 302
    full = join(Client(REMOTE_ADDR="198.51.100.8"), opened, name="Une de trop")
    assert full.status_code == 400 and "complète" in _alert(full)
    # The console says how many, and opens five more places.
    html = unescape(client.get(reverse("web:live-console", kwargs={"code": opened.join_code})).content.decode())
    assert f"{limit} places sur {limit}" in html or f"{limit} sur {limit}" in html
    assert client.post(reverse("web:live-seats", kwargs={"code": opened.join_code}), {"extra": "5"}).status_code == 302
    assert join(Client(REMOTE_ADDR="198.51.100.8"), opened, name="Une de trop").status_code == 302
    # A participant cannot open places.
    phone = Client()
    join(phone, opened, name="Zoé")
    with all_tenants():
        margin = LiveSession.objects.get(pk=opened.pk).seat_margin
    page = phone.post(reverse("web:live-seats", kwargs={"code": opened.join_code}), {"extra": "5"}, follow=True)
    assert page.status_code == 200
    with all_tenants():
        assert LiveSession.objects.get(pk=opened.pk).seat_margin == margin


def test_the_same_name_from_a_new_device_offers_c_est_moi_without_a_seat(opened):
    from django.test import Client

    first = Client()
    assert join(first, opened, name="Amina").status_code == 302
    page = first.get(reverse("web:live", kwargs={"code": opened.join_code})).content.decode()
    link = re.search(r'data-testid="my-link">([^<]+)<', page).group(1)
    assert "/retour/" in link
    assert first.get(reverse("web:live-personal-qr", kwargs={"code": opened.join_code})).status_code == 200
    new_device = Client()
    answer = join(new_device, opened, name="  amina ")
    assert answer.status_code == 400 and 'data-testid="same-name"' in answer.content.decode()
    with all_tenants():
        assert Participant.objects.filter(session=opened, display_name__iexact="amina").count() == 1
    # The personal link opened on the new device is the proof: same seat.
    assert new_device.get(link.replace("http://testserver", "")).status_code == 302
    back = new_device.get(reverse("web:live", kwargs={"code": opened.join_code})).content.decode()
    assert "Amina" in back and 'data-testid="my-link"' in back


def test_a_refused_vote_says_why_at_the_ballot(opened, client):
    from django.test import Client

    phone = Client()
    join(phone, opened)
    command(client, opened, "start", view="console")
    with all_tenants():
        keys = [step["key"] for step in opened.agenda]
        LiveTable.objects.filter(session=opened).update(step_index=keys.index("vote"))
    assert command(phone, opened, "cast_vote", vote_999="3").status_code == 302
    html = unescape(phone.get(reverse("web:live", kwargs={"code": opened.join_code})).content.decode())
    ballot = html[html.index('class="ballot"'):]
    assert 'data-testid="form-error-cast_vote"' in ballot
    top = html[html.index('id="live"'):html.index('class="ballot"')]
    assert 'class="messages"' not in top


@pytest.mark.parametrize("language, shown", [("fr", "6 décembre 2026"), ("de", "6. Dezember 2026"), ("en", "Dec. 6, 2026")])
def test_action_dates_show_in_the_language_s_format(language, shown, opened, client):
    from datetime import date

    from django.test import Client

    from entraide.live.models import Action

    phone = Client(HTTP_ACCEPT_LANGUAGE=language)
    join(phone, opened)
    command(client, opened, "start", view="console")
    with all_tenants():
        keys = [step["key"] for step in opened.agenda]
        LiveTable.objects.filter(session=opened).update(step_index=keys.index("action-plan"))
        author = Participant.objects.get(session=opened, display_name="Amina")
        Action.objects.create(session=opened, author=author, text="Appeler la famille", due=date(2026, 12, 6))
    phone.cookies["django_language"] = language
    html = unescape(phone.get(reverse("web:live", kwargs={"code": opened.join_code})).content.decode())
    assert f'<time datetime="2026-12-06">{shown}</time>' in html
    assert ">2026-12-06<" not in html


def test_a_refused_opening_says_why_at_the_open_form(builtins, organisation, facilitator, client):
    client.force_login(facilitator)
    response = client.post(
        reverse("web:live-open", kwargs={"key": "atelier-entraide"}),
        {"organisation": organisation.pk, "participants": 7, "start": "14:00", "end": "14:20", "title": "Trop court"},
    )
    html = unescape(response.content.decode())
    assert response.status_code == 400
    form = html[html.index('action="' + reverse("web:live-open", kwargs={"key": "atelier-entraide"})):] if "Ouvrir la séance" in html else html
    assert 'data-testid="open-error"' in form
    with all_tenants():
        assert not LiveSession.objects.exists()


def test_the_prepare_fragment_brings_the_open_button(builtins, facilitator, client):
    client.force_login(facilitator)
    fragment = client.get(
        reverse("web:protocol-prepare", kwargs={"key": "atelier-entraide"}) + "?participants=7&start=14:00&end=16:30",
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert "<html" not in fragment and reverse("web:live-open", kwargs={"key": "atelier-entraide"}) in fragment


@pytest.mark.parametrize("language, shown", [("fr", "dimanche 6 décembre 2026"), ("de", "Sonntag, 6. Dezember 2026"), ("en", "Sunday, Dec. 6, 2026")])
def test_dates_with_their_weekday_follow_the_language(language, shown):
    from datetime import date

    from django.utils import translation

    from entraide.web.templatetags.dates import local_date, weekday_date

    with translation.override(language):
        assert weekday_date(date(2026, 12, 6)) == shown
        assert weekday_date("2026-12-06") == shown
        assert local_date("pas une date") == "pas une date"


def _client_ids(html: str) -> list[str]:
    return re.findall(r'name="client_id" value="([^"]*)"', html)


def test_a_page_is_rendered_once_per_version_with_its_own_token_and_ids(opened, client, monkeypatch):
    """The console's fragment is rendered once for its version (realtime.render.page_fragment)
    and served again with the request's CSRF token and new client ids: two forms never share
    an id, two renders never give the same one (a double submission is told by its repeated
    id). A command's new version is rendered anew; a message renders the page for it alone."""
    from django.test import Client

    from entraide.live.domain.opening import join as join_session

    join_session(opened, "Amina")
    url = reverse("web:live-console", kwargs={"code": opened.join_code})
    renders = []
    real = render.render_alone
    monkeypatch.setattr(render, "render_alone", lambda *args, **kwargs: renders.append(args[2]) or real(*args, **kwargs))
    first, second = client.get(url).content.decode(), client.get(url).content.decode()
    assert renders == ["console"]  # the second page came from the first's render
    ids_1, ids_2 = _client_ids(first), _client_ids(second)
    assert len(ids_1) >= 3 and len(set(ids_1)) == len(ids_1) and not set(ids_1) & set(ids_2)
    assert all(re.fullmatch(r"[0-9a-f-]{36}", value) for value in ids_1 + ids_2)
    assert "\ue000" not in first + second  # no mark left
    token = client.cookies["csrftoken"].value
    posted = command(client, opened, "start", view="console", csrfmiddlewaretoken=re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', second).group(1))
    assert posted.status_code == 302 and token
    started = client.get(url).content.decode()  # a new version: rendered anew, once
    assert client.get(url).content.decode().count('data-status="running"') == started.count('data-status="running"') == 1
    assert renders == ["console", "console"]
    command(client, opened, "no_such_command", view="console")  # refused: its reason is this request's own
    refused = client.get(url).content.decode()
    assert renders == ["console", "console"] and 'class="messages" role="status"' in refused
    assert 'class="messages" role="status"' not in client.get(url).content.decode()  # shown once, then the kept page
    # A phone's page: the shared render of their role with their own part filled in.
    phone = Client()
    join(phone, opened, name="Bruno")
    page = phone.get(reverse("web:live", kwargs={"code": opened.join_code})).content.decode()
    assert "Bruno" in page and "\ue000" not in page and len(set(_client_ids(page))) == len(_client_ids(page))


def test_a_page_with_a_message_keeps_no_part_by_its_token(opened, client):
    """The request's CSRF token is bound late in kept parts ({% memo %}), never part of their
    key: pages rendered for their messages leave the kept parts as they were."""
    from entraide.web.templatetags import live_render

    url = reverse("web:live-console", kwargs={"code": opened.join_code})
    sizes = []
    for _ in range(3):
        command(client, opened, "no_such_command", view="console")
        html = client.get(url).content.decode()
        assert 'class="messages" role="status"' in html and "\ue000" not in html
        sizes.append(len(live_render._memo))
    assert sizes[0] == sizes[1] == sizes[2]


def test_a_kept_page_is_rendered_anew_when_another_apps_part_changes(opened, client, monkeypatch):
    """The parts other apps give the view model (a theme, the plans shared for review) change
    without the live version: a page kept for its version is served only while they are the same."""
    from entraide.live.domain import parts

    said = {"text": "avant"}
    monkeypatch.setitem(parts.PARTS, "probe", lambda context: dict(said))
    url = reverse("web:live-console", kwargs={"code": opened.join_code})
    renders = []
    real = render.render_alone
    monkeypatch.setattr(render, "render_alone", lambda *args, **kwargs: renders.append(kwargs["state"]["parts"]["probe"]) or real(*args, **kwargs))
    client.get(url), client.get(url)
    assert renders == [{"text": "avant"}]
    said["text"] = "après"  # changed elsewhere, the live version is the same
    client.get(url), client.get(url)
    assert renders == [{"text": "avant"}, {"text": "après"}]
