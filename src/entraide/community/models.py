"""Members, recurring groups, their sessions, attendance, rotation and calendars.

Every row belongs to one organisation (directly or through its group) and is read inside
that organisation's tenant scope. History is never deleted: leaving a group closes a
``GroupMembership`` (``left_on``), a promoted waiting-list entry keeps its ``promoted_at``.

Open entry and exit (field document 003): a membership counts for the sessions dated on or
after ``joined_on`` and before ``left_on``. Both are set to the day after the change, so a
change made today takes effect from the next session, never from one already under way.
"""

import hashlib
from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from entraide.core.models import Organisation, Role
from entraide.core.tenancy import tenant_manager
from entraide.core.text import validate_single_line

GROUP_SCOPED = "group__organisation"
SESSION_SCOPED = "session__group__organisation"
DEFAULT_PROTOCOL = "analyse-des-pratiques"
ROTATION_PROTOCOL = "brouillon-atelier"


class MemberProfile(models.Model):
    """What a member tells the network about themself (field document 000: a network of peers)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="member_profiles")
    profession = models.CharField(_("profession"), max_length=120, blank=True, validators=[validate_single_line])
    structure = models.CharField(_("structure"), max_length=160, blank=True, validators=[validate_single_line])
    languages = models.CharField(_("languages spoken"), max_length=120, blank=True, validators=[validate_single_line])
    updated_at = models.DateTimeField(default=timezone.now)

    objects = tenant_manager()

    class Meta:
        verbose_name = _("member profile")
        verbose_name_plural = _("member profiles")
        constraints = [models.UniqueConstraint(fields=["organisation", "user"], name="one_profile_per_organisation")]


class Invitation(models.Model):
    """An invitation by email link. Only the sha256 of the token is stored: the link is the secret."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    email = models.EmailField(_("email address"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    group = models.ForeignKey("Group", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("group"))
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="fr")
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = tenant_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "-pk"]

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode("utf-8")).hexdigest()

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()


class Group(models.Model):
    """A recurring group (practice analysis, exchange of practice, brouillons d'ateliers)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=120, validators=[validate_single_line])
    description = models.TextField(_("description"), blank=True)
    protocol_key = models.SlugField(_("protocol"), max_length=60, default=DEFAULT_PROTOCOL)
    capacity = models.PositiveSmallIntegerField(_("capacity"), default=15)
    charter = models.TextField(_("charter"))
    location = models.CharField(_("place"), max_length=200, blank=True, validators=[validate_single_line])
    online = models.BooleanField(_("online"), default=False)
    time_zone = models.CharField(_("time zone"), max_length=60, default="Europe/Paris")
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="facilitated_groups", verbose_name=_("facilitators")
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = tenant_manager()

    class Meta:
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def charter_hash(self) -> str:
        """Identifies the charter's wording: an edited charter is a new version to accept."""
        return hashlib.sha256(self.charter.strip().encode("utf-8")).hexdigest()


class GroupMembership(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="group_memberships")
    joined_on = models.DateField(_("member from"))
    joined_at = models.DateTimeField(default=timezone.now)
    left_on = models.DateField(_("member until"), null=True, blank=True)
    left_at = models.DateTimeField(null=True, blank=True)

    objects = tenant_manager(GROUP_SCOPED)

    class Meta:
        ordering = ["joined_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "user"], condition=models.Q(left_on__isnull=True), name="one_open_membership_per_group"
            )
        ]

    def covers(self, day: date) -> bool:
        return self.joined_on <= day and (self.left_on is None or day < self.left_on)


class WaitingListEntry(models.Model):
    """First come, first served: the order is the order of arrival."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="waiting")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    promoted_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    objects = tenant_manager(GROUP_SCOPED)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "user"],
                condition=models.Q(promoted_at__isnull=True, withdrawn_at__isnull=True),
                name="one_waiting_entry_per_group",
            )
        ]


class CharterAcceptance(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="charter_acceptances")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    charter_hash = models.CharField(max_length=64)
    accepted_at = models.DateTimeField(default=timezone.now)

    objects = tenant_manager(GROUP_SCOPED)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["group", "user", "charter_hash"], name="one_acceptance_per_charter_version")
        ]


class GroupSession(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        HELD = "held", _("held")
        CANCELLED = "cancelled", _("cancelled")

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField(_("date"))
    start = models.TimeField(_("start"))
    end = models.TimeField(_("end"))
    place = models.CharField(_("place"), max_length=200, blank=True, validators=[validate_single_line])
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    # Why the planner chose this date (e.g. "outside school holidays"): shown to coordinators.
    planned_because = models.TextField(blank=True)
    # Rotation (brouillons d'ateliers): the member who facilitates this session, and its format.
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("facilitator"),
    )
    protocol_key = models.SlugField(max_length=60, blank=True)
    # The session run live (its debrief happens there, and its content stays there).
    live_session = models.OneToOneField(
        "live.LiveSession", null=True, blank=True, on_delete=models.SET_NULL, related_name="group_session"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = tenant_manager(GROUP_SCOPED)

    class Meta:
        verbose_name = _("group session")
        verbose_name_plural = _("group sessions")
        ordering = ["date", "start", "pk"]

    @property
    def effective_protocol_key(self) -> str:
        return self.protocol_key or self.group.protocol_key


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", _("present")
        EXCUSED = "excused", _("excused")
        ABSENT = "absent", _("absent")

    session = models.ForeignKey(GroupSession, on_delete=models.CASCADE, related_name="attendance")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(_("attendance"), max_length=10, choices=Status.choices)
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    objects = tenant_manager(SESSION_SCOPED)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "user"], name="one_attendance_per_person")]


class Unavailability(models.Model):
    """A member declares they cannot facilitate (or attend) this session: the rotation avoids it."""

    session = models.ForeignKey(GroupSession, on_delete=models.CASCADE, related_name="unavailabilities")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    declared_at = models.DateTimeField(default=timezone.now)

    objects = tenant_manager(SESSION_SCOPED)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "user"], name="one_unavailability_per_person")]


class CalendarToken(models.Model):
    """The secret of an iCalendar feed URL, for a person or a group. Revocable; a new one can be drawn.

    Kept in clear (like any calendar service's secret address) so that its owner can see the
    link again; it gives read access to dates and places only.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey(Group, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = tenant_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(user__isnull=True, group__isnull=False) | models.Q(user__isnull=False, group__isnull=True),
                name="calendar_token_for_a_person_or_a_group",
            )
        ]


class SentReminder(models.Model):
    """What the reminder command already sent: running it twice sends nothing twice."""

    session = models.ForeignKey(GroupSession, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    objects = tenant_manager(SESSION_SCOPED)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "user"], name="one_reminder_per_session_and_person")]
