"""A commissioned programme in the browser, in French (issue 14): the coordinator sets it up and
plans the framing meeting, the intervenant writes its minutes (the form reminds that session
content never goes there) and opens an evaluation questionnaire, a member answers from "Mon
espace", and the commissioner follows it from the framing meeting to the final report: no
result while the questionnaire is open, then aggregates only, no free text, withheld cells with
their reason, an accessible chart with its table, and the PDF.

The demo group gets the demo facilitator as its intervenant, and six more members answer
through their own links, in the server's database with its own shell.
"""

import re
import subprocess
from datetime import date, timedelta

import pytest

pytestmark = pytest.mark.browser

PASSWORD = "entraide-demo"
COORDINATOR = "coordination@demo.entraide.test"
INTERVENANT = "facilitation@demo.entraide.test"
COMMISSIONER = "commanditaire@demo.entraide.test"
MEMBER = "membre01@demo.entraide.test"
OTHERS = [f"membre{n:02d}@demo.entraide.test" for n in (2, 3, 5, 6, 7, 9)]
TITLE = "Analyse des pratiques — DRRH Vienne"

SETUP = """
from entraide.community.models import Group
from entraide.core.models import Organisation, User
from entraide.core.tenancy import tenant_scope
organisation = Organisation.objects.get(slug="demo")
with tenant_scope(organisation):
    group = Group.objects.filter(organisation=organisation).order_by("pk").first()
    group.facilitators.add(User.objects.get(email=%(intervenant)r))
    print(group.name)
"""

ANSWER = """
from entraide.core.models import Organisation, User
from entraide.core.tenancy import tenant_scope
from entraide.programmes.domain import questionnaires as q
from entraide.programmes.models import Questionnaire
organisation = Organisation.objects.get(slug="demo")
with tenant_scope(organisation):
    questionnaire = Questionnaire.objects.get(title=%(title)r)
    tokens = [q.token_for(questionnaire, User.objects.get(email=email)) for email in %(emails)r]
for index, token in enumerate(tokens):
    q.submit_answers(token, {"overall": "4" if index else "2", "safe_frame": "5", "supported": "4", "rhythm": "yes", "comment": "Texte secret %%d" %% index, "comment_consent": "on"})
print(len(tokens))
"""

FINAL = """
from datetime import date
from entraide.core.models import Organisation, User
from entraide.core.tenancy import tenant_scope
from entraide.programmes.domain import programmes as p
from entraide.programmes.models import Programme
organisation = Organisation.objects.get(slug="demo")
with tenant_scope(organisation):
    programme = Programme.objects.get(title=%(title)r)
    meeting = p.schedule_meeting(programme, "final", date.today(), "Poitiers", "DRRH, DGA, intervenant", User.objects.get(email=%(coordinator)r))
    p.write_minutes(meeting, "Bilan final : rythme tenu, cinq séances, reconduction proposée.", User.objects.get(email=%(intervenant)r))
"""


def login(page, server_url, email):
    page.goto(server_url + "/connexion/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(server_url + "/")


def test_a_commissioner_from_the_framing_meeting_to_the_final_report(server_url, browser, screenshot, server_manage, pages_on_failure, tmp_path):
    group_name = server_manage(SETUP % {"intervenant": INTERVENANT}).strip().splitlines()[-1]
    today = date.today()
    errors: list[str] = []

    def new_page(email, width=1280):
        context = browser.new_context(locale="fr-FR", viewport={"width": width, "height": 900}, accept_downloads=True)
        page = context.new_page()
        pages_on_failure.append(page)
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        login(page, server_url, email)
        return page

    # The coordinator sets the programme up for the HR direction and plans the framing meeting.
    coordination = new_page(COORDINATOR)
    coordination.goto(server_url + "/o/demo/")
    coordination.get_by_role("link", name="Programmes", exact=True).first.click()
    coordination.get_by_role("link", name="Nouveau programme").click()
    coordination.get_by_label("Titre du programme").fill(TITLE)
    coordination.get_by_label("Organisation commanditaire").fill("Département — DRRH")
    coordination.get_by_label("Contacts chez le commanditaire").fill("Service formation, 05 49 00 00 00")
    coordination.get_by_label("Claude Commanditaire").check()
    coordination.get_by_label(group_name).check()
    coordination.get_by_label("Séances par an").fill("5")
    coordination.get_by_label("Durée d'une séance (minutes)").fill("210")
    coordination.get_by_label("Rythme").fill("Hors périodes de vacances scolaires")
    coordination.get_by_label("Prix par séance (€)").fill("450")
    coordination.locator("#id_start").fill((today - timedelta(days=120)).isoformat())
    coordination.locator("#id_end").fill((today + timedelta(days=240)).isoformat())
    coordination.get_by_role("button", name="Enregistrer le programme").click()
    coordination.wait_for_url(re.compile(r".*/o/demo/programmes/\d+/$"))
    programme_url = coordination.url
    coordination.get_by_role("link", name="Prévoir une réunion").click()
    coordination.locator("#id_kind").select_option("framing")
    coordination.locator("#id_date").fill(today.isoformat())
    coordination.get_by_label("Lieu").fill("Poitiers, DRRH")
    coordination.get_by_label("Participant·es").fill("DRRH, DGA, intervenant·e, coordination")
    coordination.get_by_role("button", name="Prévoir la réunion").click()
    coordination.wait_for_url(programme_url)
    screenshot(coordination, "1-programme")

    # The intervenant writes the framing meeting's minutes, reminded that no session content goes there.
    intervenant = new_page(INTERVENANT)
    intervenant.goto(programme_url)
    intervenant.get_by_role("link", name="Rédiger le compte rendu").click()
    intervenant.wait_for_url("**/compte-rendu/")
    assert "Le contenu des séances ne figure jamais dans ce compte rendu." in intervenant.locator("main").inner_text()
    intervenant.get_by_label("Compte rendu").fill("Cadrage : objectifs partagés, cinq demi-journées, évaluation anonyme après chaque séance.")
    intervenant.get_by_role("button", name="Enregistrer le compte rendu").click()
    intervenant.wait_for_url(programme_url)
    # ... and opens the programme's evaluation questionnaire for the group's members.
    intervenant.get_by_role("link", name="Nouveau questionnaire").click()
    intervenant.get_by_label("Titre").fill("Bilan intermédiaire")
    intervenant.get_by_label("Dans l'ensemble, cette séance vous a été utile.").check()
    intervenant.get_by_role("button", name="Ouvrir le questionnaire").click()
    intervenant.wait_for_url(re.compile(r".*/questionnaires/\d+/$"))
    questionnaire_url = intervenant.url
    assert "Les résultats ne sont montrés qu'après la clôture." in intervenant.locator("main").inner_text()

    # The commissioner sees the programme, the framing meeting and its minutes; no pen.
    commissioner = new_page(COMMISSIONER)
    commissioner.goto(server_url + "/o/demo/")
    commissioner.get_by_role("link", name="Programmes", exact=True).first.click()
    commissioner.get_by_role("link", name=TITLE).click()
    commissioner.wait_for_url(programme_url)
    page_text = commissioner.locator("main").inner_text()
    assert "Réunion de cadrage" in page_text and "Cadrage : objectifs partagés" in page_text
    assert commissioner.get_by_role("link", name="Rédiger le compte rendu").count() == 0
    assert commissioner.get_by_role("link", name="Modifier le compte rendu").count() == 0
    screenshot(commissioner, "2-commissioner-programme")

    # A member answers from Mon espace, through their own single-use link.
    member = new_page(MEMBER, width=360)  # a phone
    member.goto(server_url + "/o/demo/mon-espace/")
    member.get_by_role("link", name="Bilan intermédiaire").click()
    member.wait_for_url("**/evaluation/*/")
    assert member.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    member.locator('input[name="overall"][value="5"]').check()
    member.locator('input[name="rhythm"][value="partly"]').check()
    member.get_by_label("Un mot pour l'intervenant·e (facultatif).").fill("Texte secret du membre")
    member.get_by_role("button", name="Envoyer mes réponses").click()
    member.get_by_text("Vos réponses ont été enregistrées, sans votre nom.").wait_for()
    member.go_back()
    member.reload()
    assert "Vous avez déjà répondu à ce questionnaire." in member.locator("main").inner_text()
    assert int(server_manage(ANSWER % {"title": "Bilan intermédiaire", "emails": OTHERS}).strip().splitlines()[-1]) == 6

    # While it is open, the report shows no result at all.
    commissioner.get_by_role("link", name="Rapport pour le commanditaire").click()
    commissioner.wait_for_url("**/rapport/")
    report_url = commissioner.url
    assert "Les résultats ne sont présentés qu'une fois le questionnaire clos." in commissioner.locator("main").inner_text()

    # The intervenant closes it; the final evaluation takes place.
    intervenant.goto(questionnaire_url)
    intervenant.get_by_role("button", name="Clore le questionnaire maintenant").click()
    intervenant.get_by_text("Le questionnaire est clos.").first.wait_for()
    assert "Texte secret 1" in intervenant.locator("main").inner_text()  # their authors agreed
    server_manage(FINAL % {"title": TITLE, "coordinator": COORDINATOR, "intervenant": INTERVENANT})

    # The final report: aggregates of 7 respondents, withheld cells with their reason, no free text.
    commissioner.goto(report_url)
    report = commissioner.locator("main").inner_text()
    assert "7 répondant·es" in report
    assert "< 5" in report and "masqué : moins de 5 personnes" in report
    assert "secret" not in report.lower()
    chart = commissioner.locator("svg[role=img]").filter(has=commissioner.locator("title", has_text="Personnes présentes par séance"))
    assert chart.count() == 1 and "Diagramme en barres." in chart.locator("desc").text_content()
    assert commissioner.locator("table caption", has_text="Personnes présentes par séance").count() == 1
    assert commissioner.locator("table caption", has_text="Le cadre était sécurisant et bienveillant.").count() == 1
    # Six answered "5" to this one: a unanimous answer would tell each person's; every cell is withheld, no mean.
    cells = commissioner.locator("table", has=commissioner.locator("caption", has_text="Le cadre était sécurisant et bienveillant.")).locator("tbody td")
    assert cells.count() == 5 and all(text.startswith("< 5") for text in cells.all_inner_texts())
    figure = commissioner.locator("figure", has=commissioner.locator("figcaption", has_text="Le cadre était sécurisant et bienveillant."))
    assert figure.locator("svg").count() == 0 and "Tous les chiffres de cette ventilation sont masqués" in figure.inner_text()
    assert "Moyenne" not in report
    screenshot(commissioner, "3-final-report")
    commissioner.goto(programme_url)
    assert "Bilan final : rythme tenu" in commissioner.locator("main").inner_text()
    commissioner.goto(report_url)
    with commissioner.expect_download() as download_info:
        commissioner.get_by_role("link", name="Télécharger (PDF)").click()
    pdf_path = tmp_path / "rapport.pdf"
    download_info.value.save_as(pdf_path)
    text = subprocess.run(["pdftotext", str(pdf_path), "-"], capture_output=True, check=True, text=True).stdout
    assert "Rapport pour le commanditaire" in text and "Bilan intermédiaire" in text and "secret" not in text.lower()
    assert not errors, errors
