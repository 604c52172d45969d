"""Demo data: one published atelier pratique of the demo organisation, with registrations."""

from datetime import time, timedelta

from django.utils import timezone

from entraide.core.models import Organisation
from entraide.core.tenancy import tenant_scope

from ..models import Event, EventRoleKind
from .events import EventData, save_event
from .registrations import register

DEMO_SLUG = "atelier-pratique-demo"
DEMO_PEOPLE = [
    (EventRoleKind.HOST, "Hélène Hôte", "helene@demo.entraide.test", "fr", ""),
    (EventRoleKind.PRESENTER, "Marc Présentateur", "marc@demo.entraide.test", "fr",
     "Comment garder des bénévoles motivé·e·s quand le groupe s'essouffle ?"),
    (EventRoleKind.PARTICIPANT, "Ursula Teilnehmerin", "ursula@demo.entraide.test", "de", ""),
    (EventRoleKind.PARTICIPANT, "Paul Participant", "paul@demo.entraide.test", "fr", ""),
]


DEMO_FACILITATOR = "facilitation@demo.entraide.test"


def _demo_facilitators(organisation: Organisation) -> tuple[int, ...]:
    """The demo's facilitator account, when it is a member of the organisation: it facilitates
    the demo event (and so reads its page and the presenters' questions)."""
    from .events import facilitator_choices

    from entraide.core.models import User

    found = User.objects.filter(email=DEMO_FACILITATOR).values_list("pk", flat=True).first()
    return (found,) if found in {pk for pk, _name in facilitator_choices(organisation)} else ()


def load_demo_event(organisation: Organisation, coordinator) -> Event:
    """Idempotent: the event is created once, with its registrations."""
    with tenant_scope(organisation):
        existing = Event.objects.filter(organisation=organisation, slug=DEMO_SLUG).first()
    if existing is not None:
        return existing
    event = save_event(
        organisation, coordinator,
        EventData(
            title="Atelier pratique d'automne", slug=DEMO_SLUG,
            description=(
                "Des personnes engagées dans des communautés de soutien partagent les questions et les défis "
                "de leur pratique et se conseillent mutuellement en petits groupes de 3 à 5, sur trois tours de table. "
                "Gratuit, environ trois heures, suivi d'un apéritif pour réseauter."
            ),
            date=timezone.localdate() + timedelta(days=30), start=time(14, 0), end=time(17, 0),
            place="Maison des associations, 12 rue des Tilleuls", region="Grand Est", languages=("fr", "de"),
            status=Event.Status.PUBLISHED, facilitators=_demo_facilitators(organisation),
        ),
        {EventRoleKind.HOST: 3, EventRoleKind.PRESENTER: 3, EventRoleKind.PARTICIPANT: 2},
    )
    for role, name, email, language, question in DEMO_PEOPLE:
        register(event, role, name, email, language, question, notify=False)
    return event
