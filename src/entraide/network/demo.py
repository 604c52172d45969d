"""Demo data of the network's services and of a commissioned programme (issues 13 and 14), so
that `make run` shows them filled: a supervision request of Membre 01 with a member concerned,
a marraine's offer, a training grant asked by Dominique Membre within the year's budget, and a
programme commissioned by the demo's commissioner with its framing meeting. Called by
``entraide load_demo``; idempotent (nothing is added once the request exists). Every row goes
through the domain functions, as a person would write it."""

from datetime import date, timedelta
from decimal import Decimal

from entraide.community.demo import DEMO_GROUP
from entraide.community.models import Group
from entraide.core.models import Organisation, User
from entraide.core.tenancy import tenant_scope

from .models import SupervisionRequest

RAISER = "membre01@demo.entraide.test"
CONCERNED = "membre02@demo.entraide.test"
MENTOR = "facilitation@demo.entraide.test"
GRANT_ASKER = "membre@demo.entraide.test"
COMMISSIONER = "commanditaire@demo.entraide.test"
COORDINATOR = "coordination@demo.entraide.test"


def load_network_demo(organisation: Organisation) -> None:
    from entraide.grants.domain import grants
    from entraide.programmes.domain import programmes

    from .domain import mentoring, requests

    with tenant_scope(organisation):
        if SupervisionRequest.objects.filter(organisation=organisation).exists():
            return
        people = {user.email: user for user in User.objects.filter(email__in=[RAISER, CONCERNED, MENTOR, GRANT_ASKER, COMMISSIONER, COORDINATOR])}
        coordinator = people[COORDINATOR]
        request = requests.raise_request(
            people[RAISER], organisation, "Un participant prend toute la place",
            "Dans mon atelier, une personne coupe la parole et répond à la place des autres ; le groupe se tait.",
        )
        if CONCERNED in people:
            requests.say_concerned(people[CONCERNED], request, "Même chose dans mon groupe du jeudi.")
        mentoring.offer(people[MENTOR], organisation, "marraine", "écriture, évaluation", 2)
        today = date.today()
        grants.set_budget(coordinator, organisation, today.year, Decimal("3000"))
        grants.ask_grant(people[GRANT_ASKER], organisation, grants.GrantAsk(
            training_title="Animer l'analyse des pratiques", provider="Institut régional du travail social",
            starts_on=today + timedelta(days=40), ends_on=today + timedelta(days=42), cost=Decimal("900"),
            amount_asked=Decimal("450"), commitment="Présenter la méthode aux membres lors d'une rencontre du réseau.",
        ))
        group = Group.objects.filter(organisation=organisation, name=DEMO_GROUP).first()
        if group is not None and COMMISSIONER in people:
            programme = programmes.create_programme(organisation, programmes.ProgrammeData(
                "Analyse des pratiques — équipes du service social", "Direction des ressources humaines",
                "drh@example.org", 6, 150, "Toutes les six à huit semaines", Decimal("450"),
                today - timedelta(days=60), today + timedelta(days=300), [group], [people[COMMISSIONER]],
            ), coordinator)
            programmes.schedule_meeting(programme, "framing", today - timedelta(days=55), "Siège de la DRH", "DRH, intervenante, coordination", coordinator)
