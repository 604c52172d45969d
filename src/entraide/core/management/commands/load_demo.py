"""A demo organisation with one account per role, for `make run`. Idempotent."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from entraide.core.domain import ensure_account, set_membership
from entraide.core.models import Organisation, Role
from entraide.core.tenancy import tenant_scope

DEMO_PASSWORD = "entraide-demo"
DEMO_ACCOUNTS = [
    ("coordination@demo.entraide.test", "Camille Coordination", Role.COORDINATOR),
    ("facilitation@demo.entraide.test", "Sacha Facilitation", Role.FACILITATOR),
    ("membre@demo.entraide.test", "Dominique Membre", Role.MEMBER),
    ("commanditaire@demo.entraide.test", "Claude Commanditaire", Role.COMMISSIONER),
]


class Command(BaseCommand):
    help = "Create the demo organisation and its demo accounts (never in production)."

    def handle(self, *args, **options) -> None:
        if settings.PRODUCTION:
            raise CommandError("The demo data is for development only.")
        organisation, _created = Organisation.objects.get_or_create(
            slug="demo", defaults={"name": "Réseau d'entraide (démo)", "language": "fr", "country": "FR"}
        )
        with tenant_scope(organisation):
            for email, name, role in DEMO_ACCOUNTS:
                user = ensure_account(email, name, password=DEMO_PASSWORD)
                set_membership(organisation, user, role)
        from entraide.community.demo import load_community_demo
        from entraide.events.domain.demo import load_demo_event

        coordinator = ensure_account(DEMO_ACCOUNTS[0][0], DEMO_ACCOUNTS[0][1])
        load_demo_event(organisation, coordinator)
        load_community_demo(organisation, coordinator, DEMO_PASSWORD)
        from entraide.followup.demo import load_followup_demo

        load_followup_demo(organisation)
        from entraide.network.demo import load_network_demo

        load_network_demo(organisation)
        self.stdout.write(f"Demo organisation: {organisation.name} (/o/{organisation.slug}/)")
        self.stdout.write(f"Demo accounts, password “{DEMO_PASSWORD}”:")
        for email, _name, role in DEMO_ACCOUNTS:
            self.stdout.write(f"  {role.label:<14} {email}")
