"""Action plans and roadmaps that live on between sessions (DESIGN.md capability 5).

A plan belongs to its author's account: private by default, shared with the author's group
only when the author says so (``shared_with_group``). It is either kept from a live session's
action plan at the end of the session (``live_session``/``participant``: the seat it came
from) or written by a member between sessions (a roadmap). Every text is encrypted.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from entraide.core.fields import EncryptedTextField
from entraide.core.models import Organisation
from entraide.core.tenancy import tenant_manager
from entraide.core.text import validate_single_line

PLAN_SCOPED = "plan__organisation"


class ActionPlan(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="action_plans")
    group = models.ForeignKey("community.Group", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    live_session = models.ForeignKey("live.LiveSession", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    participant = models.ForeignKey("live.Participant", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    title = EncryptedTextField(blank=True, default="", validators=[validate_single_line])
    ideas = EncryptedTextField(blank=True, default="")  # the ideas kept at the harvest, one a line
    shared_with_group = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = tenant_manager()

    class Meta:
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["live_session", "author"], condition=models.Q(live_session__isnull=False), name="one_plan_per_session_and_author"
            )
        ]

    @property
    def group_label(self) -> str:
        """The group's name to print beside the title, or "" when the title already says it
        (a plan kept from "<group>, séance 3"): ``domain.headings.not_repeated``."""
        from .domain.headings import not_repeated

        shown = not_repeated(self.title, [self.group.name if self.group_id else ""])
        return shown[0] if shown else ""


class PlanAction(models.Model):
    class Status(models.TextChoices):
        TODO = "todo", _("to do")
        DOING = "doing", _("in progress")
        DONE = "done", _("done")
        DROPPED = "dropped", _("dropped")

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="actions")
    text = EncryptedTextField()
    due = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.TODO)
    notes = EncryptedTextField(blank=True, default="")  # how it went
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = tenant_manager(PLAN_SCOPED)

    class Meta:
        ordering = ["position", "pk"]


class PlanReminder(models.Model):
    """One reminder email per plan and due date: running the command twice sends nothing twice."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="+")
    due = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    objects = tenant_manager(PLAN_SCOPED)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["plan", "due"], name="one_plan_reminder_per_due_date")]
