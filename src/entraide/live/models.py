"""A live session and everything written in it.

The database holds the truth: the current step, the timer's timestamps, every text, vote and
turn. A session holds its tables (``LiveTable``): each has its step, clocks, turn, case and
version; each accepted command bumps the version of the tables it changes, and clients resync
by it. Every
text people write is an ``EncryptedTextField``.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from entraide.core.fields import EncryptedTextField
from entraide.core.models import Organisation
from entraide.core.tenancy import tenant_manager
from entraide.protocols.models import ProtocolVersion

SESSION_SCOPED = "session__organisation"


class LiveRole(models.TextChoices):
    FACILITATOR = "facilitator", _("facilitator")
    OFFERER = "offerer", _("situation offerer")
    CONTRIBUTOR = "contributor", _("contributor")


class LiveSession(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("open for joining")
        RUNNING = "running", _("running")
        ENDED = "ended", _("ended")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="live_sessions")
    protocol_version = models.ForeignKey(ProtocolVersion, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=120, blank=True)
    join_code = models.CharField(max_length=12, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    # The fitted agenda: [{"key": ..., "minutes": ...}] for the steps run live, in order.
    agenda = models.JSONField(default=list)
    planned_participants = models.PositiveSmallIntegerField(default=7)
    # Seats above the protocol's maximum; the facilitator raises it from the console.
    seat_margin = models.PositiveSmallIntegerField(default=2)
    planned_start = models.TimeField(null=True, blank=True)
    planned_end = models.TimeField(null=True, blank=True)

    # The session's pause, for every clock of every table: the current pause and the earlier
    # ones, [[start, end], ...] in ISO 8601; every timer (step, turn, floor) subtracts the
    # ones it overlaps (rules.Clock).
    paused_at = models.DateTimeField(null=True, blank=True)
    pauses = models.JSONField(default=list)

    # The facilitator's short message to every table (shown on every phone until replaced).
    broadcast = models.CharField(max_length=200, blank=True, default="")
    broadcast_at = models.DateTimeField(null=True, blank=True)

    # The event this session runs (atelier pratique): its presenters come in with their question.
    event = models.ForeignKey("events.Event", null=True, blank=True, on_delete=models.SET_NULL, related_name="live_sessions")

    objects = tenant_manager()

    class Meta:
        verbose_name = _("live session")
        verbose_name_plural = _("live sessions")

    def __str__(self) -> str:
        return self.title or self.join_code


ROOM_NUMBER = 1  # the room's table: the whole group, and the plenary once tables are formed


class LiveTable(models.Model):
    """A table of a live session: the people who work one situation together, where they are
    in the protocol (step, clock, turn) and the situation being worked (its offerer, the
    chosen problem, the vote).

    Every session has its room, table number ``ROOM_NUMBER``: the whole group (the atelier
    d'entraide as one table) and the plenary. Parallel tables (atelier pratique, codevelopment
    in sub-groups; DESIGN.md capability 3) are numbers 2 and up, formed by the facilitator; while
    the room is at a ``scope: table`` step their members work at their own table, on its own
    step position, clocks, turn and case; at plenary steps everybody is at the room again.

    ``version`` grows with every accepted command that changes what this table's people see;
    their clients resync by it (commands that change every table keep the versions monotonic
    across tables, so that moving between tables never goes back in version)."""

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="tables")
    number = models.PositiveSmallIntegerField(default=1)

    # Where the session is; the timer is computed from these timestamps.
    step_index = models.PositiveSmallIntegerField(default=0)
    step_started_at = models.DateTimeField(null=True, blank=True)
    extra_seconds = models.IntegerField(default=0)
    skipped_steps = models.JSONField(default=list)

    # Timed turns (pitches, sharing rounds, the floor in the exchanges).
    turn_participant = models.ForeignKey("Participant", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    turn_started_at = models.DateTimeField(null=True, blank=True)
    turn_extra_seconds = models.IntegerField(default=0)

    # The case.
    offerer = models.ForeignKey("Participant", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    chosen_problem = models.ForeignKey("Problem", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    help_request = EncryptedTextField(null=True, blank=True)  # "J'aimerais que le groupe m'aide à…"
    vote_round = models.PositiveSmallIntegerField(default=1)
    vote_candidates = models.JSONField(default=list)  # problem ids of the current round (empty: all)
    votes_revealed = models.BooleanField(default=False)
    record = EncryptedTextField(null=True, blank=True)  # the offerer's condensed record

    # A formed table (number > ROOM_NUMBER): who hosts it, its language (empty: any) and the
    # host's call for the facilitator's help (cleared when answered).
    host = models.ForeignKey("Participant", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    language = models.CharField(max_length=8, blank=True, default="")
    help_called_at = models.DateTimeField(null=True, blank=True)

    version = models.PositiveIntegerField(default=1)

    objects = tenant_manager(SESSION_SCOPED)

    class Meta:
        ordering = ["session", "number"]
        constraints = [models.UniqueConstraint(fields=["session", "number"], name="one_table_number_per_session")]

    def __str__(self) -> str:
        return f"{self.session} #{self.number}"

    @property
    def is_room(self) -> bool:
        return self.number == ROOM_NUMBER

    @property
    def label(self) -> str:
        """"Table 1", "Table 2"... for formed tables (numbered from 1 for people); the room's
        is "Plénière"."""
        if self.is_room:
            return str(_("Plenary"))
        return str(_("Table %(number)d")) % {"number": self.number - ROOM_NUMBER}


class Participant(models.Model):
    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="participants")
    table = models.ForeignKey(LiveTable, null=True, blank=True, on_delete=models.SET_NULL, related_name="members")
    display_name = models.CharField(_("name"), max_length=40)
    role = models.CharField(max_length=12, choices=LiveRole.choices, default=LiveRole.CONTRIBUTOR)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # sha256 of the personal rejoin secret; the secret itself lives only in the person's cookie/link.
    secret_hash = models.CharField(max_length=64, unique=True)
    joined_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)
    removed_at = models.DateTimeField(null=True, blank=True)
    ready_step = models.SmallIntegerField(null=True, blank=True)
    # What this person has written in the session, against commands.WRITE_QUOTA.
    written_items = models.PositiveIntegerField(default=0)
    written_bytes = models.PositiveIntegerField(default=0)
    # The command path's flood control (rules.TokenBucket per participant, every door).
    command_tokens = models.FloatField(null=True, blank=True)
    command_tokens_at = models.DateTimeField(null=True, blank=True)
    # The table a facilitator looks at (and acts on) while tables work; None: the panel.
    visiting = models.ForeignKey(LiveTable, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # The cases (problem ids of the room, ranked, best first) this person would like to work on.
    preferences = models.JSONField(default=list)
    languages = models.CharField(max_length=40, blank=True, default="")  # "fr de": spoken languages

    objects = tenant_manager(SESSION_SCOPED)

    class Meta:
        ordering = ["joined_at", "pk"]

    def __str__(self) -> str:
        return self.display_name


class Authored(models.Model):
    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = tenant_manager(SESSION_SCOPED)

    class Meta:
        abstract = True
        ordering = ["created_at", "pk"]


class TableScoped(models.Model):
    """Content written at a table (its problems, votes, questions, turns, ideas, actions,
    consents): it belongs to that table, so parallel tables never see nor change each other's.
    Saved without a table, it goes to the session's room (ROOM_NUMBER)."""

    table = models.ForeignKey(LiveTable, on_delete=models.CASCADE, related_name="+")

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.table_id is None:
            self.table = LiveTable.objects.filter(session_id=self.session_id, number=ROOM_NUMBER).first()
        super().save(*args, **kwargs)


class GroundRule(Authored):
    text = EncryptedTextField()


class Problem(Authored, TableScoped):
    text = EncryptedTextField()
    pitched_at = models.DateTimeField(null=True, blank=True)
    declined = models.BooleanField(default=False)  # its author declined to have it worked on


class Vote(TableScoped, models.Model):
    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="+")
    voter = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="votes")
    round = models.PositiveSmallIntegerField(default=1)
    count = models.PositiveSmallIntegerField()

    objects = tenant_manager(SESSION_SCOPED)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["voter", "problem", "round"], name="one_vote_line_per_problem")]


class Question(Authored, TableScoped):
    text = EncryptedTextField()
    answer = EncryptedTextField(null=True, blank=True)
    asked_at = models.DateTimeField(null=True, blank=True)


class PrivateNote(Authored):
    """Reflection, rebound and listening notes: visible to their author only."""

    step_key = models.CharField(max_length=60)
    text = EncryptedTextField()


class SpeakingTurn(TableScoped, models.Model):
    """A raised hand in the exchanges; started/ended once given the floor (airtime)."""

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="+")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    step_key = models.CharField(max_length=60)
    raised_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    withdrawn = models.BooleanField(default=False)

    objects = tenant_manager(SESSION_SCOPED)

    class Meta:
        ordering = ["raised_at", "pk"]


class Idea(Authored, TableScoped):
    """One of the 2 or 3 ideas the offerer keeps (harvest)."""

    text = EncryptedTextField()


class Action(Authored, TableScoped):
    """A step of the offerer's action plan, with its date."""

    text = EncryptedTextField()
    due = models.DateField(null=True, blank=True)


class Consent(TableScoped, models.Model):
    """Documentation: does this person agree that the condensed record is shared?"""

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="+")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    agrees = models.BooleanField()
    decided_at = models.DateTimeField(default=timezone.now)

    objects = tenant_manager(SESSION_SCOPED)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["table", "participant"], name="one_consent_per_person_and_table")]


class AppliedCommand(models.Model):
    """Every accepted command, by its client-generated id: a repeat is answered, not re-applied."""

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="+")
    client_id = models.UUIDField(default=uuid.uuid4)
    participant = models.ForeignKey(Participant, null=True, on_delete=models.SET_NULL, related_name="+")
    name = models.CharField(max_length=40)
    version = models.PositiveIntegerField()
    applied_at = models.DateTimeField(default=timezone.now)

    objects = tenant_manager(SESSION_SCOPED)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "client_id"], name="command_applied_once")]


class DebriefSetup(models.Model):
    """The debrief of a brouillon d'atelier (activity ``debrief``): whose feedback it is (the
    facilitating member's seat and account, fixed when it is set up) and whether the peers answer
    named or anonymously. The facilitating member chooses before or at the debrief; the choice is
    fixed once the first answer exists (DESIGN.md: anonymity of a questionnaire is fixed)."""

    session = models.OneToOneField(LiveSession, on_delete=models.CASCADE, related_name="debrief_setup")
    owner = models.ForeignKey(Participant, null=True, on_delete=models.SET_NULL, related_name="+")
    owner_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    anonymous = models.BooleanField(default=True)
    # The criteria rated, [{"key", "label"}], copied at setup (the protocol may change later).
    criteria = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)

    objects = tenant_manager(SESSION_SCOPED)


class DebriefAnswer(models.Model):
    """One peer's feedback. Named: ``author`` is the seat. Anonymous: no author and no time is
    stored, so nothing links the answer to a person (``DebriefResponse`` only says that someone
    answered). Texts are encrypted; ratings are {criterion key: 1..5}. The key is random, so
    that not even the order of the rows matches the order of the responses."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(Participant, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    author_name = models.CharField(max_length=40, blank=True)
    worked = EncryptedTextField(blank=True, default="")
    change = EncryptedTextField(blank=True, default="")
    ratings = models.JSONField(default=dict)

    objects = tenant_manager(SESSION_SCOPED)


class DebriefResponse(models.Model):
    """That this person answered the debrief (one answer each), without saying which answer."""

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="+")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")

    objects = tenant_manager(SESSION_SCOPED)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "participant"], name="one_debrief_answer_per_person")]


class Roadmap(Authored):
    """A participant's own roadmap written at a roadmap step (échange de pratiques); copied into
    the author's plans (followup.ActionPlan) when their seat is tied to an account."""

    step_key = models.CharField(max_length=60)
    text = EncryptedTextField()
    due = models.DateField(null=True, blank=True)


class ContactCard(models.Model):
    """The contact details a participant typed to exchange at the networking step (field
    document 002: "L'apéritif qui suit est l'occasion de réseauter, de nouer de nouveaux
    contacts"). Free single-line text (an email address, a phone number), encrypted at rest,
    shown only to the people with whom the exchange is mutual (activities/contacts.py)."""

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="+")
    participant = models.OneToOneField(Participant, on_delete=models.CASCADE, related_name="contact_card")
    details = EncryptedTextField()
    updated_at = models.DateTimeField(default=timezone.now)

    objects = tenant_manager(SESSION_SCOPED)


class ContactOffer(models.Model):
    """``offerer`` offers their contact details to ``recipient``. The details travel only when
    the offer is mutual; withdrawing deletes the row."""

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="+")
    offerer = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = tenant_manager(SESSION_SCOPED)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["offerer", "recipient"], name="one_contact_offer_per_pair"),
            models.CheckConstraint(condition=~models.Q(offerer=models.F("recipient")), name="no_contact_offer_to_oneself"),
        ]
