"""Reports for a commissioner: only aggregates, every figure withheld below k respondents.

Rules (issue 14, part 3; DESIGN.md "Lifecycle"; survey tools' practice of minimum response
counts):

- a figure counted from fewer than k people is withheld, with the count of respondents and the
  reason shown instead (never an empty result);
- the same holds for every cell of every breakdown, not only the total (a 4-to-1 split at the
  threshold names the one), zeros included (a 0 next to 5 says what all five answered);
- complementary suppression: when a cell is withheld, enough other cells are withheld that the
  withheld ones cannot be recovered from the total minus the others (at least two, summing to k
  or more, else the whole breakdown);
- a mean is shown only when no cell of its breakdown is withheld (with the shown cells, a mean
  would solve for the withheld ones);
- no report differs from an earlier released one by fewer than k respondents (differencing):
  :func:`released` serves the earlier release instead;
- results of a questionnaire only after it closed.

``withhold`` and ``breakdown`` are pure; ``released`` reads and writes ReportRelease rows.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _, gettext_lazy


def report_k() -> int:
    """The minimum number of respondents (setting ``ENTRAIDE_REPORT_K``, default 5, never below 2)."""
    return max(2, int(getattr(settings, "ENTRAIDE_REPORT_K", 5)))


WITHHELD_REASON = gettext_lazy("withheld: fewer than %(k)s people")


@dataclass(frozen=True)
class Cell:
    """One figure of a report: ``value`` or, when withheld, None. ``str()`` is what a page shows."""

    value: int | None
    k: int

    @property
    def withheld(self) -> bool:
        return self.value is None

    @property
    def reason(self) -> str:
        return str(WITHHELD_REASON % {"k": self.k}) if self.withheld else ""

    def __str__(self) -> str:
        return str(self.value) if self.value is not None else "< %d" % self.k

    def as_json(self) -> int | None:
        return self.value


def withhold(counts: Mapping[str, int], k: int | None = None, total: int | None = None) -> dict[str, Cell]:
    """Withhold the cells of one breakdown.

    ``counts``: {label: number of people}, every cell of the breakdown (zeros included).
    ``total``: the figure the reader knows for the whole breakdown (defaults to the sum); when
    it is withheld itself (below k), every cell is. Returns {label: Cell} in the same order.
    A cell below k is withheld; then, while fewer than two cells are withheld or the withheld
    ones sum to less than k (so that total minus the shown cells would give them away), the
    smallest shown cell is withheld too.
    """
    k = report_k() if k is None else k
    if total is None:
        total = sum(counts.values())
    if total < k:
        return {label: Cell(None, k) for label in counts}
    hidden = {label for label, count in counts.items() if count < k}
    if hidden:
        shown = sorted((count, label) for label, count in counts.items() if label not in hidden)
        while shown and (len(hidden) < 2 or sum(counts[label] for label in hidden) < k):
            _count, label = shown.pop(0)
            hidden.add(label)
    return {label: Cell(None if label in hidden else count, k) for label, count in counts.items()}


@dataclass
class Breakdown:
    """A question's aggregated answers: respondents, {value: Cell}, mean (scale, or None)."""

    respondents: Cell
    cells: dict[str, Cell]
    mean: float | None = None

    @property
    def withheld(self) -> bool:
        return self.respondents.withheld

    def as_json(self) -> dict:
        return {
            "respondents": self.respondents.as_json(),
            "cells": {label: cell.as_json() for label, cell in self.cells.items()},
            "mean": self.mean,
        }


def breakdown(values: Sequence[str], counts: Mapping[str, int], respondents: int, scale: bool, k: int | None = None) -> Breakdown:
    """One question's figures. ``values``: every possible answer in order; ``counts``: how many
    gave each; ``respondents``: how many answered the question. Withheld as :func:`withhold`."""
    k = report_k() if k is None else k
    full = {value: int(counts.get(value, 0)) for value in values}
    cells = withhold(full, k, total=respondents)
    mean = None
    if scale and respondents >= k and all(not cell.withheld for cell in cells.values()):
        mean = round(sum(int(value) * count for value, count in full.items()) / respondents, 1)
    return Breakdown(Cell(respondents if respondents >= k else None, k), cells, mean)


@dataclass
class Release:
    """What a page may show: ``figures`` (as released), ``respondents`` of that release, and
    ``pending`` (how many more people the current data counts, not yet released because fewer
    than k)."""

    figures: dict
    respondents: int
    pending: int = 0
    earlier: bool = False


def differs_enough(current: int, earlier: Sequence[int], k: int) -> bool:
    """True when a report counting ``current`` people may be released after reports that
    counted ``earlier``: it is identical in count to one, or differs from each by k or more.
    (Pure; the differencing rule of issue 14.)"""
    if current in earlier:
        return True
    return all(abs(current - previous) >= k for previous in earlier)


def released(programme, key: str, respondents: int, figures: dict, *, record: bool) -> Release:
    """The figures a report may show for ``key`` ("attendance", "questionnaire:<id>").

    When ``respondents`` equals an earlier release, or differs from every earlier release by k
    or more, the new figures are shown and, when ``record`` (a commissioner's view, or an
    export), stored as a ReportRelease. Otherwise the latest release is shown again (or nothing,
    figures ``{}``, with ``pending`` set). Callers pass only aggregates, never free text.
    Must run inside the programme's tenant scope; one read, at most one insert.
    """
    from ..models import ReportRelease

    k = report_k()
    earlier = list(ReportRelease.objects.filter(programme=programme, key=key).order_by("pk"))
    counts = [release.respondents for release in earlier]
    if differs_enough(respondents, counts, k):
        same = next((release for release in reversed(earlier) if release.respondents == respondents and release.figures == figures), None)
        if record and same is None:
            ReportRelease.objects.create(programme=programme, key=key, respondents=respondents, figures=figures)
        return Release(figures, respondents)
    last = earlier[-1]
    return Release(last.figures, last.respondents, pending=respondents - last.respondents, earlier=True)


def reason_text(respondents: int, k: int | None = None) -> str:
    """"3 respondents: figures withheld below 5" in the reader's language."""
    k = report_k() if k is None else k
    return _("%(n)s respondent(s): figures are withheld below %(k)s respondents.") % {"n": respondents, "k": k}


@dataclass
class AttendanceFigures:
    """Attendance of a programme: per session (id -> Cell of people present) and overall."""

    per_session: dict[int, Cell] = field(default_factory=dict)
    overall: Cell | None = None


def attendance_figures(present_by_session: Mapping[int, int], k: int | None = None) -> AttendanceFigures:
    """``present_by_session``: {session id: people present}. Each session below k withheld,
    with complementary suppression against the overall total (which is shown when ≥ k)."""
    k = report_k() if k is None else k
    total = sum(present_by_session.values())
    cells = withhold({str(pk): count for pk, count in present_by_session.items()}, k, total=total)
    return AttendanceFigures({int(pk): cell for pk, cell in cells.items()}, Cell(total if total >= k else None, k))


# --- Loaders: the figures of one programme, as a page, a CSV or a PDF shows them ------------


@dataclass
class QuestionFigures:
    key: str
    text: str
    kind: str
    labels: list[tuple[str, str]]
    breakdown: Breakdown | None
    chart_id: str = ""

    @property
    def chart(self):
        """The accessible SVG bar chart of the breakdown (``charts.question_chart``)."""
        from .charts import question_chart

        return question_chart(self) if self.breakdown else None


@dataclass
class QuestionnaireReport:
    questionnaire: object
    closed: bool
    respondents: int
    shown: bool
    reason: str
    questions: list[QuestionFigures]
    release: Release | None = None


def questionnaire_report(questionnaire, *, record: bool) -> QuestionnaireReport:
    """The aggregated answers of a questionnaire: nothing while it is open; once closed, each
    scale and choice question's breakdown withheld as :func:`breakdown`, subject to the
    differencing rule (:func:`released`). Free-text questions never appear. Three queries."""
    from .questionnaires import counts, is_closed
    from .questions import CHOICE, SCALE, questions_for

    k = report_k()
    closed = is_closed(questionnaire)
    questions = [q for q in questions_for(questionnaire.question_keys) if q.kind in (SCALE, CHOICE)]
    if not closed:
        return QuestionnaireReport(questionnaire, False, 0, False, _("Results are reported only once the questionnaire has closed."), [])
    n = questionnaire.respondents
    if n < k:
        figures = [QuestionFigures(q.key, q.text(), q.kind, q.choices(), None, f"q{questionnaire.pk}-{q.key}") for q in questions]
        return QuestionnaireReport(questionnaire, True, n, False, reason_text(n, k), figures)
    data = counts(questionnaire)
    if not data and _answers_purged(questionnaire):
        # The answers went at the end of their retention (privacy.retention): the figures
        # released before the purge stand; nothing is computed from the empty table.
        from ..models import ReportRelease

        last = ReportRelease.objects.filter(programme=questionnaire.programme, key=f"questionnaire:{questionnaire.pk}").order_by("pk").last()
        if last is None:
            return QuestionnaireReport(questionnaire, True, n, False, _("The answers were deleted at the end of their retention period."), [])
        computed, n = last.figures, last.respondents
    else:
        computed = None
    computed = computed if computed is not None else {
        q.key: breakdown(q.values, data.get(q.key, (0, {}))[1], data.get(q.key, (0, {}))[0], q.kind == SCALE, k).as_json()
        for q in questions
    }
    release = released(questionnaire.programme, f"questionnaire:{questionnaire.pk}", n, computed, record=record)
    figures = []
    for q in questions:
        shown = release.figures.get(q.key)
        if shown is None:
            figures.append(QuestionFigures(q.key, q.text(), q.kind, q.choices(), None, f"q{questionnaire.pk}-{q.key}"))
            continue
        answered = shown["respondents"]
        figures.append(QuestionFigures(
            q.key, q.text(), q.kind, q.choices(),
            Breakdown(Cell(answered, k), {label: Cell(value, k) for label, value in shown["cells"].items()}, shown["mean"]),
            f"q{questionnaire.pk}-{q.key}",
        ))
    return QuestionnaireReport(questionnaire, True, release.respondents, True, "", figures, release)


def _answers_purged(questionnaire) -> bool:
    """Someone answered, yet no answer row is left: the retention purge deleted them (every
    stored response has at least one row, ``questionnaires.clean_answers``)."""
    from ..models import Answer

    return questionnaire.respondents > 0 and not Answer.objects.filter(questionnaire=questionnaire).exists()


@dataclass
class AttendanceReport:
    sessions: list[tuple[object, Cell]]
    overall: Cell
    release: Release


def attendance_report(programme, today, *, record: bool) -> AttendanceReport:
    """People present per session of the programme (held or past, not cancelled) and overall,
    each withheld below k with complementary suppression, subject to the differencing rule
    on the overall count. Three queries."""
    from django.db.models import Count, Q

    from .programmes import programme_sessions

    k = report_k()
    sessions = list(programme_sessions(programme, until=today).annotate(present=Count("attendance", filter=Q(attendance__status="present"))))
    present = {session.pk: session.present for session in sessions}
    figures = attendance_figures(present, k)
    computed = {"sessions": {str(pk): cell.as_json() for pk, cell in figures.per_session.items()}, "overall": figures.overall.as_json()}
    release = released(programme, "attendance", sum(present.values()), computed, record=record)
    shown_sessions = release.figures.get("sessions", {})
    rows = [(session, Cell(shown_sessions.get(str(session.pk)), k)) for session in sessions]
    return AttendanceReport(rows, Cell(release.figures.get("overall"), k), release)


@dataclass
class ProgrammeReport:
    """Everything a programme's report shows: attendance and each questionnaire's figures."""

    attendance: AttendanceReport
    questionnaires: list[QuestionnaireReport]


def programme_report(programme, today, *, record: bool = True) -> ProgrammeReport:
    """The report of ``programme`` as of ``today``, as its page, CSV, PDF and the API show it:
    :func:`attendance_report` and, in order of creation, :func:`questionnaire_report` of each
    questionnaire, every figure withheld below k. ``record``: store the releases it shows (a
    reader's view or an export). Who may read it: ``programmes.view_report``, asked by the door.
    Runs inside the programme's tenant scope."""
    attendance = attendance_report(programme, today, record=record)
    questionnaires = [
        questionnaire_report(q, record=record)
        for q in programme.questionnaires.select_related("programme", "group_session__group").order_by("created_on", "pk")
    ]
    return ProgrammeReport(attendance, questionnaires)


# --- What a commissioner sees of a group's attendance (community group page) ---------------


@dataclass
class WithheldCounts:
    """A group's or a session's attendance as a commissioner sees it: each figure a Cell."""

    sessions: Cell
    present: Cell
    excused: Cell
    absent: Cell
    unrecorded: Cell
    rate: int | None
    k: int

    @property
    def withheld(self) -> bool:
        return any(cell.withheld for cell in (self.sessions, self.present, self.excused, self.absent, self.unrecorded))

    @property
    def reason(self) -> str:
        return str(WITHHELD_REASON % {"k": self.k})


def _withheld_counts(counts, k: int) -> WithheldCounts:
    cells = withhold(
        {"present": counts.present, "excused": counts.excused, "absent": counts.absent, "unrecorded": counts.unrecorded}, k, total=counts.sessions
    )
    hidden = any(cell.withheld for cell in cells.values())
    return WithheldCounts(
        Cell(counts.sessions if counts.sessions >= k else None, k), cells["present"], cells["excused"], cells["absent"], cells["unrecorded"],
        None if hidden else counts.rate, k,
    )


def commissioner_commitment(group_counts, per_session: Mapping[int, object]) -> tuple[WithheldCounts, dict[int, WithheldCounts]]:
    """A group page's attendance figures (``community.domain.commitment`` Counts) as a
    commissioner may see them: every figure below k withheld, every breakdown cell included
    (present / excused / absent / not recorded), with complementary suppression; the rate only
    when nothing is withheld. Replaces "1 / 1" for a group of one (issue 14). Pure."""
    k = report_k()
    sessions = {pk: _withheld_counts(counts, k) for pk, counts in per_session.items()}
    # Sessions against the group's total: a withheld session is not recoverable by subtraction.
    presence = attendance_figures({pk: counts.present for pk, counts in per_session.items()}, k)
    for pk, cell in presence.per_session.items():
        if cell.withheld and not sessions[pk].present.withheld:
            current = sessions[pk]
            sessions[pk] = WithheldCounts(current.sessions, cell, current.excused, current.absent, current.unrecorded, None, k)
    group = _withheld_counts(group_counts, k)
    if presence.overall.withheld and not group.present.withheld:
        group = WithheldCounts(group.sessions, presence.overall, group.excused, group.absent, group.unrecorded, None, k)
    return group, sessions
