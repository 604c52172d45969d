"""The live session over plain HTTP: join, view, act without JavaScript; guessing limited;
one session's participant sees and changes nothing of another."""

import uuid
from datetime import time
from html import unescape

import pytest
from django.urls import reverse

from entraide.core.tenancy import all_tenants
from entraide.live.domain.opening import FAILED_PER_HOUR, format_code, open_session
from entraide.live.models import GroundRule, LiveSession, Participant
from tests.conftest import PASSWORD

pytestmark = pytest.mark.integration


def join(client, session, name="Amina", code=None):
    return client.post(reverse("web:live-join"), {"code": code or format_code(session.join_code), "name": name})


def command(client, session, name, view="participant", client_id=None, **fields):
    data = {"command": name, "client_id": client_id or str(uuid.uuid4()), "view": view, **fields}
    return client.post(reverse("web:live-command", kwargs={"code": session.join_code}), data)


@pytest.fixture
def opened(builtins, organisation, facilitator, client):
    assert client.login(username=facilitator.email, password=PASSWORD)
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
    client.login(username=member.email, password=PASSWORD)
    response = client.post(
        reverse("web:live-open", kwargs={"key": "atelier-entraide"}),
        {"organisation": organisation.pk, "participants": 7, "start": "14:00", "end": "16:30"},
    )
    assert response.status_code == 302  # back to the form, with a message
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
    assert "Too many" in _alert(join(guesser, opened, code="ZZZZ-ZZZY"))


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
        LiveSession.objects.filter(pk=opened.pk).update(step_index=2)  # the rules of the game
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
    version = opened.version
    response = command(phone, opened, "start", view="participant")
    page = phone.get(response.url)
    assert "Votre rôle ne le permet pas." in unescape(page.content.decode())
    opened.refresh_from_db()
    assert opened.status == LiveSession.Status.OPEN and opened.version == version + 1  # +1: the join itself


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
    assert new_device.login(username=facilitator.email, password=PASSWORD)
    response = new_device.get(reverse("web:live-console", kwargs={"code": opened.join_code}))
    assert response.status_code == 200 and f"entraide_live_{opened.pk}" in response.cookies


def test_the_page_costs_the_same_queries_with_3_or_30_participants(opened, client, django_assert_max_num_queries):
    from entraide.live.domain.opening import join as join_session

    url = reverse("web:live-console", kwargs={"code": opened.join_code})
    for i in range(2):
        join_session(opened, f"P{i}")
    client.get(url)
    with django_assert_max_num_queries(40) as few:
        client.get(url)
    with all_tenants():
        LiveSession.objects.filter(pk=opened.pk).update(seat_margin=30)  # raised from the console
    opened.refresh_from_db()
    for i in range(27):
        join_session(opened, f"Q{i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
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
