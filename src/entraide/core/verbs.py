"""The action log's verbs in words: one table of labels, translated (issue 13, the "Journal"
pages). A verb is ``<object>.<what happened>``, written by ``core.actions.write`` / ``log``;
a verb missing here is shown as it is stored, so a new verb is never hidden."""

from django.apps import apps
from django.utils.translation import gettext_lazy as _

VERB_LABELS = {
    "organisation.renamed": _("renamed the organisation"),
    "membership.created": _("gave a role in the organisation"),
    "membership.role_changed": _("changed a role in the organisation"),
    "membership.promoted": _("gave a place freed in a group"),
    "invitation.sent": _("sent an invitation"),
    "invitation.renewed": _("renewed an invitation"),
    "invitation.accepted": _("accepted an invitation"),
    "profile.changed": _("changed a profile"),
    "group.created": _("created a group"),
    "group.changed": _("changed a group's settings"),
    "group.facilitators_set": _("named a group's facilitators"),
    "group.joined": _("joined a group"),
    "group.waiting": _("joined a group's waiting list"),
    "group.left": _("left a group"),
    "group.waiting_withdrawn": _("left a group's waiting list"),
    "group.waiting_promoted": _("gave free places to the waiting list"),
    "charter.accepted": _("accepted a group's charter"),
    "sessions.created": _("created sessions of a group"),
    "session.status_changed": _("changed the status of a session"),
    "session.live_opened": _("opened a session live"),
    "session.reminder_sent": _("sent a session reminder"),
    "attendance.taken": _("recorded the attendance of a session"),
    "attendance.recorded": _("recorded an attendance"),
    "attendance.excused": _("excused an absence"),
    "attendance.excuse_withdrawn": _("withdrew an excused absence"),
    "calendar.link_created": _("created a calendar address"),
    "calendar.link_revoked": _("revoked a calendar address"),
    "rotation.unavailable": _("declared an unavailability to facilitate"),
    "rotation.available": _("withdrew an unavailability to facilitate"),
    "rotation.assigned": _("shared out the facilitation of sessions"),
    "plan.created": _("created a roadmap"),
    "plan.kept": _("kept an action plan"),
    "plan.roadmap_changed": _("changed a roadmap written live"),
    "plan.action_added": _("added an action to a plan"),
    "plan.action_changed": _("changed an action of a plan"),
    "plan.action_status_changed": _("changed the status of an action"),
    "plan.action_removed": _("removed an action from a plan"),
    "plan.shared": _("shared a plan with the group"),
    "plan.unshared": _("made a plan private again"),
    "plan.reminder_sent": _("sent a reminder about a plan"),
    "event.created": _("created an event"),
    "event.changed": _("changed an event"),
    "event.cancelled": _("cancelled an event"),
    "registration.created": _("registered for an event"),
    "registration.waiting": _("joined an event's waiting list"),
    "registration.cancelled": _("cancelled a registration"),
    "registration.promoted": _("confirmed a registration from the waiting list"),
    "registration.question_purged": _("erased a presenter's question (retention)"),
    "theme.created": _("created a theme"),
    "theme.copied": _("copied a theme"),
    "theme.changed": _("changed a theme"),
    "theme.planned": _("planned a theme for a session"),
    "theme.unplanned": _("removed the theme planned for a session"),
}


# Logged objects whose model has no translated ``verbose_name`` of its own.
OBJECT_LABELS = {
    "community.groupmembership": _("group membership"),
    "community.waitinglistentry": _("waiting list entry"),
    "community.attendance": _("attendance"),
    "community.charteracceptance": _("charter acceptance"),
    "community.unavailability": _("unavailability"),
    "live.livesession": _("live session"),
    "community.calendartoken": _("calendar address"),
}


def verb_label(verb: str) -> str:
    """``verb`` in words in the active language (the verb itself when it has no label yet)."""
    label = VERB_LABELS.get(verb)
    return str(label) if label is not None else verb


def object_label(object_type: str) -> str:
    """A logged object's kind in words (``"followup.actionplan"`` → "action plan"): the model's
    own translated ``verbose_name`` unless ``OBJECT_LABELS`` names it; the stored type when
    the model is unknown."""
    if object_type in OBJECT_LABELS:
        return str(OBJECT_LABELS[object_type])
    try:
        return str(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return object_type
