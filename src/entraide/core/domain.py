"""State changes of organisations and people (called by views, API and commands)."""

from . import access, actions
from .models import Membership, Organisation, User
from .tenancy import tenant_scope


def ensure_account(email: str, display_name: str, password: str | None = None, language: str = "fr") -> User:
    """The account with this email, created when missing (the password is only set then)."""
    email = User.objects.normalize_email(email).lower()
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email, password, display_name=display_name, language=language)
    return user


def set_membership(organisation: Organisation, user: User, role: str, actor: User | None = None) -> Membership:
    """Give ``user`` this role in ``organisation`` (one role per person and organisation).

    ``actor``: who does it, for the action log (``None``: the system, e.g. ``load_demo`` or an
    accepted invitation). The callers check the permission (a coordinator's
    ``community.manage_groups``, or a valid invitation link). Logs ``membership.created`` or
    ``membership.role_changed`` about ``user``; nothing when the role is already this one.
    """
    with tenant_scope(organisation), actions.write(actor, None, organisation, "membership.created", subject=user) as w:
        membership, created = Membership.objects.get_or_create(
            organisation=organisation, user=user, defaults={"role": role}
        )
        w.obj = membership
        if not created:
            if membership.role == role:
                w.unchanged()
            else:
                membership.role = role
                membership.save(update_fields=["role"])
                w.verb = "membership.role_changed"
    access.forget_roles(user)
    return membership
