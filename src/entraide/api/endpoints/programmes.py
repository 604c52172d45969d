"""Commissioned programmes and their reports: only aggregates, withheld below k, computed by
the same domain functions as the report page, its CSV and its PDF (never recomputed here)."""

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router

from entraide.core import access
from entraide.programmes.domain import programmes as programme_domain, reports
from entraide.programmes.models import Programme

from .. import schemas
from .common import get_or_404, limit_param, offset_param, page, responses, scoped

router = Router(tags=["programmes"])


@router.get("/programmes", response=responses(schemas.ProgrammePage), summary="Programmes the caller may see")
def list_programmes(request: HttpRequest, limit: int = limit_param(), offset: int = offset_param()):
    """The organisation's programmes the caller may see (``programmes.list_programmes``, then
    ``programmes.view_programme`` on each: coordinators, the intervenants of its groups, the
    commissioner's named representatives)."""
    with scoped(request, "programmes.list_programmes") as organisation:
        programmes = programme_domain.visible_programmes(request.user, organisation)
        items = [
            {
                "id": p.pk, "title": p.title, "commissioner_name": p.commissioner_name, "start": p.start, "end": p.end,
                "sessions_per_year": p.sessions_per_year, "session_minutes": p.session_minutes,
                "group_ids": sorted(g.pk for g in p.groups.all()),
            }
            for p in programmes
        ]
    return page(items, limit, offset)


def _cell(cell) -> int | None:
    return cell.value


@router.get("/programmes/{programme_id}/report", response=responses(schemas.ReportOut), summary="A programme's aggregated report")
def programme_report(request: HttpRequest, programme_id: int):
    """Attendance per session and overall, and each questionnaire's aggregated answers once it
    closed; every figure counted from fewer than k people is None, with complementary
    suppression and the differencing rule, exactly as the report page shows it (and, like it,
    records what it releases). Free-text answers never appear. ``programmes.view_report``."""
    today = timezone.localdate()
    with scoped(request) as organisation:
        programme = get_or_404(Programme.objects.select_related("organisation"), organisation=organisation, pk=programme_id)
        access.require(request.user, "programmes.view_report", programme)
        report = reports.programme_report(programme, today, record=True)
    attendance = report.attendance
    return {
        "programme_id": programme.pk, "k": reports.report_k(), "today": today,
        "attendance": {
            "overall": _cell(attendance.overall),
            "sessions": [
                {"session_id": session.pk, "group_id": session.group_id, "date": session.date, "present": _cell(cell)}
                for session, cell in attendance.sessions
            ],
            "pending": attendance.release.pending,
        },
        "questionnaires": [
            {
                "id": q.questionnaire.pk, "title": q.questionnaire.title, "closed": q.closed, "respondents": q.respondents,
                "shown": q.shown, "reason": str(q.reason),
                "questions": [
                    {
                        "key": f.key, "text": str(f.text), "kind": f.kind,
                        "respondents": _cell(f.breakdown.respondents) if f.breakdown else None,
                        "cells": {label: _cell(cell) for label, cell in f.breakdown.cells.items()} if f.breakdown else {},
                        "mean": f.breakdown.mean if f.breakdown else None,
                    }
                    for f in q.questions
                ] if q.shown else [],
            }
            for q in report.questionnaires
        ],
    }
