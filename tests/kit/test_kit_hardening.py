"""The kit fetches nothing from outside, whatever a protocol copy or a session is called, and
prints every character of a title, emoji included (real PDFs, read back with poppler)."""

import re
import subprocess
from datetime import time
from pathlib import Path

import pytest
from django.urls import reverse
from PIL import Image

from entraide.core.tenancy import all_tenants, tenant_scope
from entraide.kit.domain.kit import build_kit, render_kit_html
from entraide.live.domain.opening import open_session
from entraide.live.models import LiveSession
from entraide.protocols.domain.library import copy_protocol
from entraide.protocols.models import Protocol, ProtocolVersion
from tests.http_recorder import recording_server

from .pdf import pdf_pages

pytestmark = pytest.mark.integration

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def hostile_title(server) -> str:
    """A title that leaves a CSS string by CR or form feed and asks for URLs three ways."""
    return (
        "Atelier\r} @import url(" + server.url("/import.css") + "); @page { background: url(" + server.url("/page.png") + ") }"
        "\x0c} body { background: url(" + server.url("/body.png") + ") } .x { content: \"</style><img src="
        + server.url("/img.png") + ">"
    )


@pytest.fixture
def atelier(builtins):
    with all_tenants():
        return Protocol.objects.select_related("current").get(organisation=None, key="atelier-entraide")


def login(client, user):
    client.force_login(user)


def store_title(protocol: Protocol, organisation, title: str) -> None:
    """Write the title into the stored version as data saved before the single-line rule would
    (the editor now refuses it: see tests/protocols/test_spec.py)."""
    with tenant_scope(organisation):
        version = ProtocolVersion.objects.get(pk=protocol.current_id)
        data = version.data
        data["title"] = {"fr": title, "de": title, "en": title}
        data["steps"][0]["title"] = {"fr": title, "de": title, "en": title}
        ProtocolVersion.objects.filter(pk=version.pk).update(data=data)


def test_a_hostile_protocol_copy_title_makes_no_request_when_the_kit_is_downloaded(client, atelier, organisation, coordinator):
    copy = copy_protocol(atelier, organisation, coordinator)
    url = reverse("web:org-protocol-kit", kwargs={"org": organisation.slug, "key": copy.key}) + "?participants=5&language=fr"
    login(client, coordinator)
    with recording_server() as server:
        store_title(copy, organisation, hostile_title(server))
        for _download in range(2):
            response = client.get(url)
            assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert server.requests == []
    # The title prints as text (its control characters as spaces), on the agenda and in the footer.
    pages = pdf_pages(response.content)
    assert "@import url(http://" in pages[0]
    assert sum(page.count("Kit imprimable") for page in pages) >= len(pages) - 1


def test_no_text_of_the_spec_reaches_the_stylesheet(atelier, organisation, coordinator):
    copy = copy_protocol(atelier, organisation, coordinator)
    with recording_server() as server:
        store_title(copy, organisation, hostile_title(server))
        with tenant_scope(organisation):
            version = ProtocolVersion.objects.get(pk=copy.current_id)
        html = render_kit_html(build_kit(version, 5, "fr"))
    styles = re.findall(r"<style>(.*?)</style>", html, flags=re.S)
    assert len(styles) == 1
    assert "127.0.0.1" not in styles[0] and "Atelier" not in styles[0]
    assert ' style="' not in html
    # In the page, the title is escaped HTML text.
    assert "&lt;/style&gt;&lt;img src=http://127.0.0.1" in html


@pytest.fixture
def session(atelier, organisation, facilitator):
    session, _seat = open_session(
        organisation=organisation, protocol=atelier, facilitator=facilitator, participants=5, start=time(9), end=time(11, 30), title="Atelier"
    )
    return session


def session_kit(client, session, facilitator, title: str) -> bytes:
    assert len(title) <= 120, "LiveSession.title holds 120 characters (PostgreSQL enforces it)"
    with all_tenants():
        LiveSession.objects.filter(pk=session.pk).update(title=title)
    login(client, facilitator)
    response = client.get(reverse("web:live-kit", kwargs={"code": session.join_code}))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return response.content


def test_a_hostile_session_title_makes_no_request_from_the_join_poster(client, session, facilitator):
    with recording_server() as server:
        # Legacy data (saved before titles were checked), within the column's 120 characters.
        title = "A\r}@import url(" + server.url("/i.css") + ");\x0c}body{background:url(" + server.url("/b.png") + ")}"
        pdf = session_kit(client, session, facilitator, title)
        assert server.requests == []
    poster = next(page for page in pdf_pages(pdf) if "Rejoindre la séance" in page)
    assert "@import url(http://" in poster


def pdf_fonts(pdf: bytes) -> str:
    return subprocess.run(["pdffonts", "-"], input=pdf, capture_output=True, check=True, timeout=60).stdout.decode()


def coloured_pixels(pdf: bytes, page: int, name: str) -> int:
    """Pixels of the page (PNG by pdftoppm, kept in test-artifacts) that are neither black,
    white nor grey: the kit prints black and greys, only colour emoji bring colour."""
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / name
    subprocess.run(
        ["pdftoppm", "-f", str(page), "-l", str(page), "-r", "60", "-png", "-singlefile", "-", str(target)],
        input=pdf, check=True, timeout=60,
    )
    with Image.open(target.with_suffix(".png")) as image:
        data = image.convert("RGB").tobytes()
    return sum(1 for i in range(0, len(data), 3) if max(data[i : i + 3]) - min(data[i : i + 3]) > 60)


TITLE = "Atelier 🌱 d’été « Zoé » ✨ n°2 👩🏽‍🏫"


def test_every_character_of_an_emoji_title_prints_on_the_join_poster(client, session, facilitator):
    pdf = session_kit(client, session, facilitator, TITLE)
    fonts = pdf_fonts(pdf)
    assert "Noto-Color-Emoji" in fonts and "DejaVu-Sans" in fonts
    pages = pdf_pages(pdf)
    number = next(i for i, page in enumerate(pages, start=1) if "Rejoindre la séance" in page)
    poster = pages[number - 1]
    for word in ("Atelier", "d’été", "« Zoé »", "n°2"):
        assert word in poster
    for emoji in ("🌱", "✨"):
        assert emoji in poster
    assert coloured_pixels(pdf, number, "kit-emoji-poster") > 50


def test_without_emoji_the_emoji_font_draws_nothing(client, session, facilitator):
    """Digits, spaces, # and * are in the emoji font too (keycaps): they must keep printing in
    DejaVu, black, and the join code with them."""
    pdf = session_kit(client, session, facilitator, "Atelier n°2 # * 2026")
    assert "Noto-Color-Emoji" not in pdf_fonts(pdf)
    pages = pdf_pages(pdf)
    number = next(i for i, page in enumerate(pages, start=1) if "Rejoindre la séance" in page)
    assert session.join_code in pages[number - 1] and "Atelier n°2 # * 2026" in pages[number - 1]
    assert coloured_pixels(pdf, number, "kit-plain-poster") == 0
