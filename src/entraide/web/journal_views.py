"""The action log's two pages (issue 13): the organisation's "Journal" for its coordinators,
and "Ce qui a été fait à mes données" in each person's space. Who did what to which record and
when, never content (core.actions); verbs in words from one table (core.verbs)."""

from dataclasses import dataclass
from datetime import datetime

from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from entraide.core import actions
from entraide.core.models import ActionLogEntry, Organisation
from entraide.core.verbs import object_label, verb_label

from .views import organisation_view

PER_PAGE = 50


@dataclass(frozen=True)
class JournalRow:
    at: datetime
    who: str
    what: str
    object: str
    about: str
    organisation: str


def _row(entry: ActionLogEntry, mine: bool) -> JournalRow:
    """One line of the page. ``mine``: the person's own log (the organisation is shown, the
    subject is themself); else the organisation's (the person concerned is shown)."""
    who = entry.actor.display_name if entry.actor_id else _("Entraide (automatic)")
    about = entry.subject.display_name if entry.subject_id and not mine else ""
    organisation = entry.organisation.name if entry.organisation_id and mine else ""
    label = object_label(entry.object_type)
    return JournalRow(entry.at, who, verb_label(entry.verb), f"{label} n° {entry.object_id}" if entry.object_id else label, about, organisation)


def _page(request: HttpRequest, entries, mine: bool) -> tuple[Page, list[JournalRow]]:
    """One page of ``entries`` (``?page=``; a page out of range gives the last one)."""
    page = Paginator(entries, PER_PAGE).get_page(request.GET.get("page"))
    return page, [_row(entry, mine) for entry in page.object_list]


@require_GET
@organisation_view("core.manage_organisation")
def organisation_journal(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    """``/o/<org>/journal/``: the organisation's log, newest first, for its coordinators (a
    member gets 403, another organisation's coordinator 404: ``core.access.require``)."""
    page, rows = _page(request, actions.organisation_log(organisation), mine=False)
    return render(request, "web/journal.html", {"organisation": organisation, "page": page, "rows": rows, "mine": False})


@require_GET
@organisation_view("core.view_organisation")
def my_journal(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    """``/o/<org>/mon-espace/journal/``: what was done to the viewer's own records (their plans,
    registrations, memberships, attendance...), in every organisation, newest first."""
    page, rows = _page(request, actions.personal_log(request.user), mine=True)
    return render(request, "web/journal.html", {"organisation": organisation, "page": page, "rows": rows, "mine": True})
