"""State changes of organisations and people (called by views, API and commands)."""

from django.db import transaction

from . import access
from .models import Membership, Organisation, User
from .tenancy import tenant_scope


def ensure_account(email: str, display_name: str, password: str | None = None, language: str = "fr") -> User:
    """The account with this email, created when missing (the password is only set then)."""
    email = User.objects.normalize_email(email).lower()
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email, password, display_name=display_name, language=language)
    return user


def set_membership(organisation: Organisation, user: User, role: str) -> Membership:
    """Give ``user`` this role in ``organisation`` (one role per person and organisation)."""
    with tenant_scope(organisation), transaction.atomic():
        membership, created = Membership.objects.get_or_create(
            organisation=organisation, user=user, defaults={"role": role}
        )
        if not created and membership.role != role:
            membership.role = role
            membership.save(update_fields=["role"])
    access.forget_roles(user)
    return membership
