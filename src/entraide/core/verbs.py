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
    # Personal API tokens (issue 15).
    "api_token.created": _("created a personal API token"),
    "api_token.revoked": _("revoked a personal API token"),
    "protocol.copied": _("copied a protocol into the organisation"),
    "protocol.version_saved": _("saved a new version of a protocol"),
    # The network's services (issue 13).
    "supervision_request.raised": _("raised a situation to the network"),
    "supervision_request.concerned": _("said they are concerned by a situation"),
    "supervision_request.unconcerned": _("withdrew their concern for a situation"),
    "supervision_request.withdrawn": _("withdrew a situation"),
    "collective_supervision.proposed": _("proposed a collective supervision"),
    "collective_supervision.registered": _("registered for a collective supervision"),
    "collective_supervision.declined": _("declined a collective supervision"),
    "collective_supervision.paf_set": _("set the PAF of a collective supervision"),
    "mentor_offer.saved": _("offered to be a parrain or marraine"),
    "mentoring_request.asked": _("asked for mentoring"),
    "mentoring_request.matched": _("matched a mentoring"),
    "mentoring_request.closed": _("closed a mentoring"),
    "mentoring_request.paf_set": _("set the PAF of a mentoring"),
    "mentoring_meeting.recorded": _("recorded a mentoring meeting"),
    "mentoring_meeting.noted": _("wrote a private note on a mentoring meeting"),
    "grant.asked": _("asked for a training grant"),
    "grant.budget_set": _("set the year's grant budget"),
    "grant.decided": _("decided on a training grant"),
    "grant.paid": _("paid a training grant"),
    "grant.receipt_added": _("added a receipt"),
    "grant.receipt_read": _("opened a receipt"),
    "article.saved": _("saved an article"),
    "article.submitted": _("submitted an article"),
    "article.published": _("published an article"),
    "article.sent_back": _("sent an article back"),
    "ledger.fee_due": _("recorded a fee due"),
    "ledger.fee_paid": _("recorded a fee paid"),
    "ledger.grant_payment": _("recorded a grant payment"),
    # Programmes for a commissioner (issue 14).
    "programme.created": _("created a programme"),
    "programme.changed": _("changed a programme"),
    "programme.meeting_scheduled": _("scheduled a programme meeting"),
    "programme.meeting_changed": _("changed a programme meeting"),
    "programme.minutes_written": _("wrote the minutes of a programme meeting"),
    "programme.document_saved": _("edited a document for the commissioner"),
    "programme.document_regenerated": _("regenerated a document for the commissioner"),
    "questionnaire.created": _("created an evaluation questionnaire"),
    "questionnaire.anonymity": _("changed whether a questionnaire is anonymous"),
    "questionnaire.answered": _("answered an evaluation questionnaire"),
    "questionnaire.closed": _("closed an evaluation questionnaire"),
    # Retention (issue 14, point 5): ``entraide purge_expired`` and the privacy page.
    "live_content.purged": _("deleted the content of an ended session (retention)"),
    "private_notes.purged": _("deleted the private notes of an ended session (retention)"),
    "session_record.purged": _("erased a session record (retention)"),
    "action_plan.purged": _("deleted an action plan (retention)"),
    "supervision_request.purged": _("erased a supervision request (retention)"),
    "receipt.purged": _("deleted the file of a receipt (retention)"),
    "questionnaire_answers.purged": _("deleted the answers to a questionnaire (retention)"),
    "retention.changed": _("changed how long a kind of content is kept"),
    # A person's own data (issue 14, point 5): reads of sensitive content, erasure.
    "session_record.read": _("read a session record"),
    "plan.read": _("read a shared action plan"),
    "supervision_request.read": _("read a supervision request"),
    "evaluation.read": _("read the free texts of an evaluation"),
    "account.erased": _("deleted their account and data"),
    "seat.erased": _("erased what a participant wrote in a live session"),
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
    "network.supervisionrequest": _("supervision request"),
    "network.collectivesupervision": _("collective supervision"),
    "network.mentoroffer": _("mentoring offer"),
    "network.mentoringrequest": _("mentoring request"),
    "network.mentoringmeeting": _("mentoring meeting"),
    "grants.grantrequest": _("grant request"),
    "grants.grantbudget": _("grant budget"),
    "grants.grantpayment": _("grant payment"),
    "grants.receipt": _("receipt"),
    "grants.article": _("article"),
    "grants.ledgerentry": _("ledger entry"),
    "programmes.programme": _("programme"),
    "programmes.programmemeeting": _("programme meeting"),
    "programmes.questionnaire": _("evaluation questionnaire"),
    "live.livetable": _("session table"),
    "privacy.retentionsetting": _("retention period"),
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
