"""Names of the spec's vocabulary (activities, worksheets, scopes) in the interface languages."""

from django.utils.translation import gettext_lazy as _

ACTIVITIES = {
    "info": _("Information"),
    "rules": _("Rules of the game"),
    "problem_write": _("Writing problems"),
    "pitch": _("Pitches"),
    "vote": _("Dot vote"),
    "consent": _("Consent"),
    "expose": _("Presentation of the situation"),
    "clarify": _("Clarification questions"),
    "reformulate": _("Reformulated request"),
    "reflect": _("Private reflection"),
    "exchange": _("Exchanges with a speaking queue"),
    "harvest": _("Harvest of ideas"),
    "action_plan": _("Action plan"),
    "share_round": _("Sharing round"),
    "debrief": _("Debrief"),
    "documentation": _("Documentation"),
    "review_roadmaps": _("Review of roadmaps"),
    "theme": _("Theme and tools"),
    "break": _("Break"),
}

WORKSHEETS = {
    "rules": _("“Rules of the game” sheet"),
    "problems": _("“Participants' problems” sheet"),
    "roles": _("Role cards"),
    "formulation": _("“Formulating the problem” sheet"),
    "clarification_questions": _("“Clarification questions” sheet"),
    "rebound": _("“Echoes on the problem” sheet"),
    "harvest": _("“Harvest and action plan” sheet"),
    "debrief": _("Debrief sheet"),
    "roadmap": _("Roadmap sheet"),
}

PHASES = {
    "before": _("Before the session"),
    "session": _("During the session"),
    "after": _("After the session"),
}
