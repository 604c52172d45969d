"""A member's own data in the browser, on a phone in French (issue 14, point 5): from Mon espace
they download their data (PDF and JSON), then delete their account with their password; they
can no longer log in, and nothing of them is left in the server's database."""

import json
import subprocess

import pytest

pytestmark = pytest.mark.browser

PASSWORD = "entraide-demo"
# A member of their own: the browser tests share one server, and the demo's members are used
# by the other tests (the programmes' questionnaire asks membre05@, say).
EMAIL = "effacement@demo.entraide.test"
NAME = "Élise Effacement"


def log_in(page, server_url: str, email: str) -> None:
    page.goto(server_url + "/connexion/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(server_url + "/")


def test_a_member_exports_then_erases_their_account_on_a_phone(server_url, browser, screenshot, server_manage, tmp_path, pages_on_failure):
    phone = browser.new_context(locale="fr-FR", viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True, accept_downloads=True)
    page = phone.new_page()
    pages_on_failure.append(page)
    server_manage(
        "from entraide.core.domain import ensure_account, set_membership; "
        "from entraide.core.models import Organisation, Role; "
        f"user = ensure_account({EMAIL!r}, {NAME!r}, password={PASSWORD!r}); "
        "set_membership(Organisation.objects.get(slug='demo'), user, Role.MEMBER)"
    )
    log_in(page, server_url, EMAIL)
    name = NAME
    page.goto(server_url + "/o/demo/mon-espace/")
    page.get_by_role("link", name="Télécharger ou supprimer mes données").click()
    page.wait_for_url(server_url + "/o/demo/mon-espace/mes-donnees/")
    assert page.get_by_role("heading", name="Mes données", exact=True).is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    screenshot(page, "my-data-phone")

    with page.expect_download() as pdf_download:
        page.get_by_role("link", name="Télécharger (PDF)").click()
    pdf = tmp_path / "mes-donnees.pdf"
    pdf_download.value.save_as(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Mes données" in text and EMAIL in text
    with page.expect_download() as json_download:
        page.get_by_role("link", name="Télécharger (JSON)").click()
    saved = tmp_path / "mes-donnees.json"
    json_download.value.save_as(saved)
    document = json.loads(saved.read_text(encoding="utf-8"))
    assert document["sections"]["account"][0]["email"] == EMAIL

    # A wrong password: a clear message, nothing deleted.
    page.get_by_label("Votre mot de passe, pour confirmer").fill("pas le bon")
    page.get_by_role("button", name="Supprimer mon compte et mes données").click()
    assert page.get_by_text("Ce n'est pas votre mot de passe : rien n'a été supprimé.").is_visible()
    page.get_by_label("Votre mot de passe, pour confirmer").fill(PASSWORD)
    page.get_by_role("button", name="Supprimer mon compte et mes données").click()
    assert page.get_by_role("heading", name="Vos données ont été effacées").is_visible()
    screenshot(page, "erased-phone")

    # Nothing of them is left (checked before anyone types their address again: a failed
    # login attempt is recorded, with the address typed, by the lockout protection).
    left = server_manage(
        "from entraide.mydata.domain.erasure import find_markers; "
        f"print(find_markers([{EMAIL!r}, {name!r}]))"
    ).strip().splitlines()[-1]
    assert left == "[]", left

    # Signed out, and the account cannot log in again.
    page.goto(server_url + "/connexion/")
    page.get_by_label("Adresse e-mail").fill(EMAIL)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    assert page.url.startswith(server_url + "/connexion/")
    phone.close()
