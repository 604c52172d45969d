"""Members: invitations by email link, accepting them, profiles."""

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from entraide.core import access, actions
from entraide.core.domain import ensure_account, set_membership
from entraide.core.models import Membership, Organisation, Role, User
from entraide.core.tenancy import all_tenants, tenant_scope

from ..models import Group, Invitation, MemberProfile
from . import CommunityError, single_line

INVITATION_DAYS = 14


@dataclass(frozen=True)
class NewInvitation:
    invitation: Invitation
    token: str  # the secret of the link: sent by email, never stored
    resent: bool = False  # True: a pending invitation was renewed, its earlier link no longer works


def invite(organisation: Organisation, email: str, role: str, actor: User, group: Group | None = None, language: str | None = None) -> NewInvitation:
    """Invite ``email`` into the organisation (the email is sent by ``mail.send_invitation``).

    One pending invitation per address and organisation (issue 10, double submission): when
    the address already has one that was not accepted, that invitation is renewed instead of
    adding a second one — new token (the earlier link stops working), new expiry, the role,
    group and language of this request — and ``resent`` is True. Raises ``CommunityError``
    (nothing saved) on an invalid address, an unknown role or group, or an address that is
    already a member (unless invited to a group).
    """
    access.require(actor, "community.manage_groups", organisation)
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise CommunityError(_("Please enter a valid email address.")) from None
    if role not in Role.values:
        raise CommunityError(_("Unknown role."))
    if group is not None and group.organisation_id != organisation.pk:
        raise CommunityError(_("Unknown group."))
    token = secrets.token_urlsafe(32)
    # The organisation's row is locked: two submissions at once wait for each other, so the
    # second finds the first's invitation. Logged as ``invitation.sent`` (or ``.renewed``),
    # about the invited account when it exists already; the address is never logged.
    with tenant_scope(organisation), actions.write(actor, "community.manage_groups", organisation, "invitation.sent", lock=organisation) as w:
        existing = User.objects.filter(email__iexact=email).first()
        w.subject = existing
        if existing is not None and access.role_in(existing, organisation) is not None and group is None:
            raise CommunityError(_("%(email)s is already a member of the organisation.") % {"email": email})
        values = {
            "role": role, "group": group,
            "language": (existing.language if existing else None) or language or organisation.language,
            "token_hash": Invitation.hash_token(token), "invited_by": actor,
            "expires_at": timezone.now() + timedelta(days=INVITATION_DAYS),
        }
        pending = (
            Invitation.objects.select_for_update()
            .filter(organisation=organisation, email__iexact=email, accepted_at__isnull=True)
            .order_by("-created_at", "-pk")
            .first()
        )
        if pending is not None:
            for name, value in values.items():
                setattr(pending, name, value)
            pending.save(update_fields=list(values))
            w.obj, w.verb = pending, "invitation.renewed"
            new = NewInvitation(pending, token, resent=True)
        else:
            w.obj = Invitation.objects.create(organisation=organisation, email=email, **values)
            new = NewInvitation(w.obj, token)
    return new


def invitation_for_token(token: str) -> Invitation | None:
    """The invitation behind a link, whatever its state (the page says expired or used)."""
    if not token or len(token) > 100:
        return None
    with all_tenants():
        return Invitation.objects.select_related("organisation", "group").filter(token_hash=Invitation.hash_token(token)).first()


def check_usable(invitation: Invitation | None) -> Invitation:
    if invitation is None:
        raise CommunityError(_("This invitation link is not valid. Check that you copied it whole, or ask for a new one."))
    if invitation.accepted_at is not None:
        raise CommunityError(_("This invitation was already used. Log in with your email address and password."))
    if invitation.is_expired:
        raise CommunityError(_("This invitation has expired. Ask the coordination of the network for a new one."))
    return invitation


def account_exists(invitation: Invitation) -> bool:
    return User.objects.filter(email__iexact=invitation.email).exists()


def accept_invitation(token: str, display_name: str = "", password: str = "", user: User | None = None) -> User:
    """Accept an invitation: the account is created when missing (with this name and password),
    then given its role in the organisation, and joined to the invitation's group if any.

    ``user``: the person logged in, who accepts for their existing account (it must be the
    invited address). Refused with nothing changed: unknown, expired or used link, missing
    name, weak password, another account logged in.
    """
    from .groups import join_group

    invitation = check_usable(invitation_for_token(token))
    organisation = invitation.organisation
    existing = User.objects.filter(email__iexact=invitation.email).first()
    if user is not None and user.is_authenticated and user.email.lower() != invitation.email.lower():
        raise CommunityError(
            _("This invitation is for %(email)s, but you are logged in with another account. Log out first.")
            % {"email": invitation.email}
        )
    display_name = " ".join(single_line(display_name).split())
    if existing is None:
        if not display_name:
            raise CommunityError(_("Please enter your name, as the others will see it."))
        if len(display_name) > 80:
            raise CommunityError(_("The name is too long: at most %(max)d characters.") % {"max": 80})
        try:
            password_validation.validate_password(password, User(email=invitation.email, display_name=display_name))
        except ValidationError as error:
            raise CommunityError(" ".join(error.messages)) from None
    elif user is None or not user.is_authenticated:
        raise CommunityError(_("An account already exists for this address: log in first, then open the link again."))
    # The link is the permission (checked above and again under the lock): no rule to ask.
    with all_tenants(), actions.write(user if existing else None, None, invitation, "invitation.accepted", lock=invitation, organisation=organisation) as w:
        locked = w.obj
        check_usable(locked)
        account = existing or ensure_account(invitation.email, display_name, password=password, language=invitation.language)
        w.subject = account
        current = access.role_in(account, organisation)
        # An invitation never lowers a role somebody already holds (a coordinator invited to a group).
        if current is None:
            set_membership(organisation, account, invitation.role, actor=account)
        with all_tenants():
            locked.accepted_at = timezone.now()
            locked.accepted_by = account
            locked.save(update_fields=["accepted_at", "accepted_by"])
        with tenant_scope(organisation):
            MemberProfile.objects.get_or_create(organisation=organisation, user=account)
    if invitation.group_id and access.can(account, "community.join_group", invitation.group):
        try:
            join_group(invitation.group, account)
        except CommunityError:
            pass  # already a member or waiting: nothing more to do
    return account


def directory(organisation: Organisation) -> list[tuple[Membership, MemberProfile | None]]:
    """[(membership, profile or None)] of everyone with a role in the organisation, by name;
    users joined. Two queries; runs inside the tenant scope. Names and addresses: for its
    coordinators (``community.manage_groups``, asked by the door)."""
    memberships = list(Membership.objects.filter(organisation=organisation).select_related("user").order_by("user__display_name"))
    profiles = {p.user_id: p for p in MemberProfile.objects.filter(organisation=organisation)}
    return [(m, profiles.get(m.user_id)) for m in memberships]


def update_profile(organisation: Organisation, user: User, profession: str, structure: str, languages: str, display_name: str | None = None) -> MemberProfile:
    """The member's own profile (profession, structure, languages, and their name when given):
    one line each; logged as ``profile.changed`` about them. ``CommunityError`` on a multi-line
    value or an empty name, nothing changed."""
    access.require(user, "core.view_organisation", organisation)
    profession, structure, languages = single_line(profession), single_line(structure), single_line(languages)
    if display_name is not None:
        display_name = single_line(display_name)
    with tenant_scope(organisation), actions.write(user, "core.view_organisation", organisation, "profile.changed", subject=user) as w:
        profile, _created = MemberProfile.objects.get_or_create(organisation=organisation, user=user)
        w.obj = profile
        profile.profession = profession.strip()[:120]
        profile.structure = structure.strip()[:160]
        profile.languages = languages.strip()[:120]
        profile.updated_at = timezone.now()
        profile.save()
        if display_name is not None:
            name = " ".join(display_name.split())
            if not name:
                raise CommunityError(_("Please enter your name, as the others will see it."))
            User.objects.filter(pk=user.pk).update(display_name=name[:80])
            user.display_name = name[:80]
    return profile


def change_role(organisation: Organisation, user: User, role: str, actor: User) -> None:
    """A coordinator changes someone's role in the organisation. The last coordinator stays one
    (an organisation without a coordinator could not be managed any more)."""
    from entraide.core.models import Membership

    access.require(actor, "community.manage_groups", organisation)
    if role not in Role.values:
        raise CommunityError(_("Unknown role."))
    # set_membership (core.domain) is the write: it logs ``membership.role_changed`` by ``actor``.
    with tenant_scope(organisation), transaction.atomic():
        membership = Membership.objects.select_for_update().filter(organisation=organisation, user=user).first()
        if membership is None:
            raise CommunityError(_("This person is not a member of the organisation."))
        if membership.role == Role.COORDINATOR and role != Role.COORDINATOR:
            others = Membership.objects.filter(organisation=organisation, role=Role.COORDINATOR).exclude(pk=membership.pk)
            if not others.exists():
                raise CommunityError(_("The organisation needs at least one coordinator: name another one first."))
        set_membership(organisation, user, role, actor=actor)
