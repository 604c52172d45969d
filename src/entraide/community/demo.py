"""Demo data of the community: a practice-analysis group of fifteen with its year planned.

Called by ``entraide load_demo``; idempotent (the group is created once).
"""

from datetime import date, timedelta

from django.utils import timezone

from entraide.core.domain import ensure_account, set_membership
from entraide.core.models import Organisation, Role, User
from entraide.core.tenancy import tenant_scope
from entraide.planning.domain.planner import Length, PlanError, PlanRequest

from .domain import groups as group_domain, sessions as session_domain
from .models import CharterAcceptance, Group, GroupSession, MemberProfile

DEMO_GROUP = "Analyse des pratiques — action collective"
PROFESSIONS = [
    ("Conseillère en économie sociale et familiale", "Maison départementale des solidarités"),
    ("Assistant de service social", "Centre communal d'action sociale"),
    ("Puéricultrice", "Protection maternelle et infantile"),
    ("Animateur socio-culturel", "Centre socio-culturel"),
    ("Éducatrice spécialisée", "Structure d'insertion"),
]


def school_year(today: date) -> tuple[date, date]:
    first_year = today.year if today.month >= 8 else today.year - 1
    return date(first_year, 9, 1), date(first_year + 1, 7, 3)


def load_community_demo(organisation: Organisation, coordinator: User, password: str) -> Group | None:
    with tenant_scope(organisation):
        if Group.objects.filter(organisation=organisation, name=DEMO_GROUP).exists():
            return None
        group = group_domain.create_group(
            organisation,
            group_domain.GroupData(
                name=DEMO_GROUP, capacity=15, location="Poitiers, salle 2",
                description="Un espace entre pairs pour analyser les situations rencontrées dans l'animation d'actions collectives. "
                "Entrées et sorties permanentes, d'une séance à l'autre.",
            ),
            coordinator,
        )
        members = [User.objects.get(email="membre@demo.entraide.test")]
        for number in range(1, 15):
            user = ensure_account(f"membre{number:02d}@demo.entraide.test", f"Membre {number:02d}", password=password)
            set_membership(organisation, user, Role.MEMBER)
            members.append(user)
        first, last = school_year(timezone.localdate())
        for index, user in enumerate(members):
            profession, structure = PROFESSIONS[index % len(PROFESSIONS)]
            MemberProfile.objects.update_or_create(
                organisation=organisation, user=user,
                defaults={"profession": profession, "structure": structure, "languages": "français"},
            )
            group_domain.join_group(group, user)
            if index % 4:  # most have accepted the charter; a few have not yet
                group_domain.accept_charter(group, user)
        # The demo's members have been there since the start of the year.
        group.memberships.update(joined_on=first)
        request = PlanRequest(start=first + timedelta(days=7), end=last, sessions=5, length=Length.MORNING, country="FR", zone="A")
        try:
            session_domain.plan_group_year(group, request, coordinator, place="Poitiers, salle 2")
        except Exception as error:  # noqa: BLE001 - holiday data missing for this year: plan without zone
            if not isinstance(error, (PlanError, session_domain.CommunityError)):
                raise
            session_domain.plan_group_year(group, PlanRequest(start=first, end=last, sessions=5, length=Length.MORNING), coordinator)
        # The sessions already held have their attendance.
        accepted = set(CharterAcceptance.objects.filter(group=group).values_list("user_id", flat=True))
        for session in GroupSession.objects.filter(group=group, date__lte=timezone.localdate()):
            statuses = {
                user: ("present" if user.pk in accepted and index % 5 else "excused")
                for index, user in enumerate(members)
            }
            session_domain.record_attendance(session, statuses, coordinator)
        return group
