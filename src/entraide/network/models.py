"""The network's services to its members (field document 000, issue 13): supervision and
intervision requests, the collective supervision proposed from one, and mentoring (parrainage).

Every row belongs to one organisation and is read inside its tenant scope. What people write
about their practice (a request's title and situation, the word of a concern, a mentoring
request, a meeting's private notes) is encrypted at rest (``core.fields.EncryptedTextField``).
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from entraide.core.fields import EncryptedTextField
from entraide.core.models import Organisation
from entraide.core.tenancy import tenant_manager
from entraide.core.text import validate_single_line

TITLE_MAX = 120
SITUATION_MAX = 4000
WORD_MAX = 300
MENTORING_TEXT_MAX = 2000
NOTE_MAX = 4000


class Currency(models.TextChoices):
    EUR = "EUR", "€"
    CHF = "CHF", "CHF"


class Paf(models.Model):
    """The participation fee rule (PAF, field document 000: "une PAF est demandée, qui peut
    varier selon que le réseau doit ou non faire appel à des intervenants extérieurs"): an
    outside speaker's fee and the costs, shared among those registered, within a floor and a
    cap per person (``network.domain.paf``)."""

    speaker_name = models.CharField(_("outside speaker"), max_length=120, blank=True, validators=[validate_single_line])
    speaker_fee = models.DecimalField(_("speaker's fee"), max_digits=9, decimal_places=2, default=Decimal("0"), validators=[MinValueValidator(0)])
    costs = models.DecimalField(_("costs"), max_digits=9, decimal_places=2, default=Decimal("0"), validators=[MinValueValidator(0)])
    paf_floor = models.DecimalField(_("at least, per person"), max_digits=9, decimal_places=2, null=True, blank=True)
    paf_cap = models.DecimalField(_("at most, per person"), max_digits=9, decimal_places=2, null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, default=Currency.EUR)

    class Meta:
        abstract = True

    def paf_rule(self):
        from .domain.paf import PafRule

        return PafRule(fee=self.speaker_fee, costs=self.costs, floor=self.paf_floor, cap=self.paf_cap, currency=self.currency)


class SupervisionRequest(models.Model):
    """A member raises a situation to the network (field document 000, "Supervisions")."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        PROPOSED = "proposed", _("collective supervision proposed")
        CLOSED = "closed", _("closed")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    title = EncryptedTextField(_("title"))
    situation = EncryptedTextField(_("situation"))
    anonymous = models.BooleanField(_("anonymous to the other members"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = tenant_manager()

    class Meta:
        verbose_name = _("supervision request")
        verbose_name_plural = _("supervision requests")
        ordering = ["-at", "-pk"]


class Concern(models.Model):
    """A member says "je suis concerné·e" by a request, with a word if they wish."""

    request = models.ForeignKey(SupervisionRequest, on_delete=models.CASCADE, related_name="concerns")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    word = EncryptedTextField(_("a word (optional)"), null=True, blank=True)
    at = models.DateTimeField(default=timezone.now)

    objects = tenant_manager("request__organisation")

    class Meta:
        ordering = ["at", "pk"]
        constraints = [models.UniqueConstraint(fields=["request", "member"], name="one_concern_per_member")]


class CollectiveSupervision(Paf):
    """The group session proposed from a request: its own group (whose members are those who
    registered), one session on the ``supervision-collective`` protocol, and its PAF."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    request = models.OneToOneField(SupervisionRequest, on_delete=models.CASCADE, related_name="supervision")
    group = models.OneToOneField("community.Group", on_delete=models.CASCADE, related_name="+")
    session = models.OneToOneField("community.GroupSession", on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = tenant_manager()


class SupervisionInvitation(models.Model):
    """A person invited to a collective supervision (the raiser and the members concerned).
    Registered means a member of the supervision's group for its date (one source of truth);
    ``declined_at`` records a "no"."""

    supervision = models.ForeignKey(CollectiveSupervision, on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    invited_at = models.DateTimeField(default=timezone.now)
    declined_at = models.DateTimeField(null=True, blank=True)

    objects = tenant_manager("supervision__organisation")

    class Meta:
        ordering = ["invited_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["supervision", "user"], name="one_invitation_per_person")]


# --- Mentoring (parrainage) ----------------------------------------------------------------


class MentorOffer(models.Model):
    """A member volunteers to follow others (field document 000, "Accompagnement individuel")."""

    class Wording(models.TextChoices):
        PARRAIN = "parrain", _("parrain")
        MARRAINE = "marraine", _("marraine")
        NEUTRAL = "neutral", _("parrain or marraine")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    wording = models.CharField(_("I am"), max_length=10, choices=Wording.choices, default=Wording.NEUTRAL)
    tags = models.JSONField(_("fields"), default=list)
    capacity = models.PositiveSmallIntegerField(_("how many people I can follow"), default=1)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = tenant_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "member"], name="one_mentor_offer_per_member")]


class MentoringRequest(Paf):
    """A member asks for help with a workshop's design, running or evaluation."""

    class Kind(models.TextChoices):
        DESIGN = "design", _("designing a workshop")
        RUNNING = "running", _("running a workshop")
        EVALUATION = "evaluation", _("evaluating a workshop")

    class Length(models.TextChoices):
        ONE = "one", _("one meeting")
        FEW = "few", _("a few working meetings")

    class Status(models.TextChoices):
        OPEN = "open", _("waiting for a mentor")
        MATCHED = "matched", _("matched")
        CLOSED = "closed", _("closed")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("help with"), max_length=12, choices=Kind.choices)
    length = models.CharField(_("how long"), max_length=4, choices=Length.choices, default=Length.ONE)
    tags = models.JSONField(_("fields"), default=list)
    text = EncryptedTextField(_("what it is about"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN)
    at = models.DateTimeField(default=timezone.now)

    objects = tenant_manager()

    class Meta:
        ordering = ["-at", "-pk"]


class Match(models.Model):
    """A mentor follows a request; ``ended_at`` frees the mentor's place."""

    request = models.OneToOneField(MentoringRequest, on_delete=models.CASCADE, related_name="match")
    mentor = models.ForeignKey(MentorOffer, on_delete=models.PROTECT, related_name="matches")
    matched_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    objects = tenant_manager("request__organisation")


class MentoringMeeting(models.Model):
    """A meeting of the mentor and the mentee, by date only: its content stays with the two
    people, as private notes (``MeetingNote``)."""

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="meetings")
    date = models.DateField(_("date"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    objects = tenant_manager("match__request__organisation")

    class Meta:
        ordering = ["date", "pk"]


class MeetingNote(models.Model):
    """A private note on a meeting: visible to its author only."""

    meeting = models.ForeignKey(MentoringMeeting, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = EncryptedTextField(_("my private note"))
    updated_at = models.DateTimeField(default=timezone.now)

    objects = tenant_manager("meeting__match__request__organisation")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "author"], name="one_note_per_author_and_meeting")]
