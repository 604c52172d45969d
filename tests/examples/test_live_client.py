"""examples/live_client.py, the reference live client written from docs/asyncapi.yaml, run as
a program against a real server (uvicorn, its own database): a facilitator opens an atelier
d'entraide on the console in Chromium, two people join on phones, the client joins by code,
writes its problem and, at the dot vote, casts its ballot over the websocket."""

import subprocess
import sys
from pathlib import Path

import pytest

from tests.browser.test_tables_live import console_of, phones_for, step_until, tap

pytestmark = pytest.mark.browser

CLIENT = Path(__file__).resolve().parents[2] / "examples" / "live_client.py"
TIMEOUT = 40_000


def test_the_reference_client_joins_by_code_and_its_votes_are_counted(server_url, browser, server_manage, screenshot, pages_on_failure, tmp_path):
    console, code = console_of(browser, server_url, pages_on_failure, "/protocoles/atelier-entraide/preparer/?participants=7&start=14%3A00&end=16%3A30")
    phones = phones_for(browser, server_url, pages_on_failure, code, ["Amina", "Bruno"])
    log = (tmp_path / "client.log").open("w")
    client = subprocess.Popen(
        [sys.executable, str(CLIENT), server_url, code.lower(), "Robot Client",
         "--problem", "Problématique du robot : un planning impossible",
         "--vote-for", "Amina", "--vote-for", "Amina", "--vote-for", "robot", "--timeout", "300"],
        stdout=log, stderr=subprocess.STDOUT, text=True,
    )
    try:
        # The console lists the client once it has joined: then the session starts.
        console.locator("[data-testid=person]").filter(has_text="Robot Client").wait_for(timeout=TIMEOUT)
        tap(console, "Démarrer la séance")
        step_until(console, "Recherche de problématique")
        for name, page in phones.items():
            page.locator(".live-title").filter(has_text="Recherche de problématique").wait_for()
            page.get_by_label("Ma problématique").fill(f"Problématique de {name} : une famille en difficulté")
            tap(page, "Enregistrer ma problématique")
        # The client writes its own when it sees the step (through the websocket).
        console.get_by_text("3 problématiques rédigées").wait_for(timeout=TIMEOUT)
        step_until(console, "Choix de la problématique")
        client.wait(timeout=180)
    finally:
        if client.poll() is None:
            client.kill()
            client.wait()
        log.close()
        output = (tmp_path / "client.log").read_text()
        print(output)  # shown when the test fails: every frame the client received
    assert client.returncode == 0, output
    assert "seated in session" in output and "ballot counted" in output

    # The server holds the ballot: two votes on Amina's problem, one on the client's own.
    held = server_manage(
        "from entraide.core.tenancy import all_tenants\n"
        "from entraide.live.models import Vote\n"
        "with all_tenants():\n"
        f"    votes = Vote.objects.filter(session__join_code='{code.replace('-', '')}', voter__display_name='Robot Client')\n"
        "    print(sorted((v.problem.text.split(' :')[0], v.count) for v in votes))\n"
    )
    assert held.strip().splitlines()[-1] == "[('Problématique de Amina', 2), ('Problématique du robot', 1)]"
    # And the room sees it: one voter; revealed, Amina's problem leads.
    console.get_by_text("1 personne a voté").first.wait_for(timeout=TIMEOUT)
    tap(console, "Dévoiler les votes")
    console.locator("ol.results li.chosen").filter(has_text="Problématique de Amina").wait_for(timeout=TIMEOUT)
    screenshot(console, "console-client-vote-revealed")
