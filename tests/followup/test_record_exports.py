"""The session record's exports with hostile values: the Markdown file carries no raw HTML and
no link but http(s) and email addresses; the PDF fetches nothing and prints every character."""

import re
import subprocess

import pytest
from django.urls import reverse

from entraide.core.tenancy import all_tenants
from entraide.live.models import Idea, LiveSession
from tests.http_recorder import recording_server

from .conftest import hold_session

pytestmark = pytest.mark.django_db

HOSTILE_RECORD = (
    "# Titre injecté\n"
    "<script>alert(1)</script>\n"
    "<img src=x onerror=alert(1)>\n"
    "[clic](javascript:alert(1)) et ![pixel](http://evil.example/p.png)\n"
    "    bloc de code\n"
    "1. liste\n"
    "Voir https://exemple.org/guide et aide@exemple.org"
)
HOSTILE_IDEA = "<b>gras</b> [x](data:text/html,<script>alert(1)</script>)\n## Pas un titre"
HOSTILE_ACTION = "<iframe src=//evil.example></iframe> **Appeler** `code`"


def urls(organisation, held):
    kwargs = {"org": organisation.slug, "session": held.group_session.pk}
    return [reverse(name, kwargs=kwargs) for name in ("web:followup-record-md", "web:followup-record-pdf")]


@pytest.fixture
def hostile(group, coordinator, facilitator, member, colleague):
    held = hold_session(group, coordinator, facilitator, member, others=[colleague], actions=[(HOSTILE_ACTION, "")], record=HOSTILE_RECORD)
    with all_tenants():
        idea = Idea.objects.get(session=held.live)
        idea.text = HOSTILE_IDEA
        idea.save()
    return held


def unescaped_syntax(markdown: str) -> set[str]:
    """Markdown and HTML syntax characters left once backslash escapes are set aside."""
    return set(re.sub(r"\\.", "", markdown)) & set("<>[]()`*")


def test_the_markdown_record_passes_no_raw_html_and_no_link(client, hostile, member, organisation):
    md_url, _pdf = urls(organisation, hostile)
    client.force_login(member)
    response = client.get(md_url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/markdown")
    text = response.content.decode()
    body = text.split("## ", 1)[1]  # after the template's own heading
    assert "<script" not in text and "<img" not in text and "<iframe" not in text and "<b>" not in text
    assert "&lt;script&gt;alert\\(1\\)&lt;/script&gt;" in body
    assert "](" not in body.replace("\\](", "").replace("\\]\\(", "")
    assert not unescaped_syntax(body.replace("## ", ""))
    # Only the template's headings are headings; the user's "#" lines are text.
    assert [line for line in text.splitlines() if line.startswith("#")] == [
        line for line in text.splitlines() if re.match(r"^#{1,2} (Compte rendu|Les notes|Idées|Plan)", line)
    ]
    assert "\\# Titre injecté" in body and "\\#\\# Pas un titre" in body
    assert "\n    bloc" not in body and "1\\. liste" in body
    # Bare web and email addresses stay as text that Markdown viewers turn into links.
    assert "https://exemple.org/guide" in body and "aide@exemple.org" in body


def test_a_hostile_session_title_in_the_markdown_and_the_pdf(client, hostile, member, organisation, tmp_path):
    md_url, pdf_url = urls(organisation, hostile)
    with recording_server() as server:
        title = f"Séance 🌱 « été »\r}} @import url({server.url('/import.css')}); <img src={server.url('/img.png')}>"
        with all_tenants():
            LiveSession.objects.filter(pk=hostile.live.pk).update(title=title)
        client.force_login(member)
        markdown = client.get(md_url).content.decode()
        response = client.get(pdf_url)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert server.requests == []
    date_line = markdown.splitlines()[2]
    assert date_line.endswith("Séance 🌱 « été » \\} @import url\\(" + server.url("/import.css") + "\\); &lt;img src=" + server.url("/img.png") + "&gt;")
    path = tmp_path / "record.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    text = " ".join(text.split())  # lines wrap wherever the layout put them
    assert "Séance 🌱 « été »" in text and "@import url(http://" in text
    assert "<script>alert(1)</script>" in text  # printed as text
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert "Noto-Color-Emoji" in fonts
