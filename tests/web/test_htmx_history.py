"""Every URL that answers both a fragment and a page sends ``Vary: HX-Request``, and htmx's
history-restore requests get the whole page (issue 10: Back after refitting the agenda showed the
bare fragment). One middleware does it for every view that branches on ``request.htmx``."""

import pytest
from django.test import Client

pytestmark = pytest.mark.integration

PREPARE = "/protocoles/atelier-entraide/preparer/?participants=7&start=14:00&end=16:30"
HX = {"HTTP_HX_REQUEST": "true"}
RESTORE = {"HTTP_HX_REQUEST": "true", "HTTP_HX_HISTORY_RESTORE_REQUEST": "true"}


def _is_page(response) -> bool:
    html = response.content.decode()
    return "<html" in html and 'class="site-header"' in html and "app.css" in html


def _varies_on_hx_request(response) -> bool:
    return "hx-request" in {part.strip().lower() for part in response.get("Vary", "").split(",")}


def test_the_prepare_page_answers_a_fragment_to_htmx_and_varies(builtins):
    client = Client()
    page, fragment = client.get(PREPARE), client.get(PREPARE, **HX)
    assert _is_page(page) and not _is_page(fragment)
    assert _varies_on_hx_request(page) and _varies_on_hx_request(fragment)


def test_a_history_restore_gets_the_whole_prepare_page(builtins):
    response = Client().get(PREPARE, **RESTORE)
    assert response.status_code == 200 and _is_page(response)
    assert _varies_on_hx_request(response)


@pytest.fixture
def live_code(builtins, organisation, facilitator, client):
    from django.urls import reverse

    client.force_login(facilitator)
    response = client.post(
        reverse("web:live-open", kwargs={"key": "atelier-entraide"}),
        {"organisation": organisation.pk, "participants": 7, "start": "14:00", "end": "16:30", "title": "Séance"},
    )
    assert response.status_code == 302
    return response["Location"].split("/")[2]


@pytest.mark.parametrize("view", ["", "console/", "projecteur/"])
def test_the_live_pages_answer_the_whole_page_to_a_history_restore(live_code, client, view):
    if not view:  # the participants' page, as a participant who joined by code (no account)
        client = Client()
        assert client.post("/rejoindre/", {"code": live_code, "name": "Alex"}).status_code == 302
    url = f"/s/{live_code}/{view}?fragment=1"
    fragment = client.get(url, **HX)
    restored = client.get(url, **RESTORE)
    assert fragment.status_code == restored.status_code == 200
    assert not _is_page(fragment) and _is_page(restored)
    assert _varies_on_hx_request(fragment) and _varies_on_hx_request(restored)


def test_the_pages_tell_htmx_not_to_send_hx_request_on_restore(builtins):
    html = Client().get(PREPARE).content.decode()
    assert '"historyRestoreAsHxRequest": false' in html
