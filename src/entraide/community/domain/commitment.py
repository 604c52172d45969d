"""Commitment: how often each member came to the sessions they belonged to.

The arithmetic is a pure function (``commitment``); ``group_commitment`` loads its input.
A session counts for a member when it was held (or is past and not cancelled) and their
membership covered its date. Unrecorded attendance is counted apart, never guessed.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from ..models import Attendance, Group, GroupMembership, GroupSession


@dataclass
class Counts:
    sessions: int = 0
    present: int = 0
    excused: int = 0
    absent: int = 0

    @property
    def unrecorded(self) -> int:
        return self.sessions - self.present - self.excused - self.absent

    @property
    def rate(self) -> int | None:
        """Presence in percent of the sessions counted, None before any session."""
        return round(100 * self.present / self.sessions) if self.sessions else None


@dataclass
class Commitment:
    per_member: dict[int, Counts] = field(default_factory=dict)
    per_session: dict[int, Counts] = field(default_factory=dict)
    group: Counts = field(default_factory=Counts)


@dataclass(frozen=True)
class Span:
    user_id: int
    joined_on: date
    left_on: date | None

    def covers(self, day: date) -> bool:
        return self.joined_on <= day and (self.left_on is None or day < self.left_on)


def commitment(
    sessions: Iterable[tuple[int, date]], spans: Iterable[Span], statuses: Mapping[tuple[int, int], str]
) -> Commitment:
    """``sessions``: (id, date) of the sessions that count; ``statuses``: {(session id, user id): status}."""
    result = Commitment()
    spans = list(spans)
    for session_id, day in sessions:
        per_session = result.per_session.setdefault(session_id, Counts())
        members = {span.user_id for span in spans if span.covers(day)}
        for user_id in members:
            per_member = result.per_member.setdefault(user_id, Counts())
            status = statuses.get((session_id, user_id))
            for counts in (per_member, per_session, result.group):
                counts.sessions += 1
                if status in ("present", "excused", "absent"):
                    setattr(counts, status, getattr(counts, status) + 1)
    for span in spans:
        result.per_member.setdefault(span.user_id, Counts())
    return result


def counted_sessions(group: Group, until: date):
    return (
        GroupSession.objects.filter(group=group, date__lte=until)
        .exclude(status=GroupSession.Status.CANCELLED)
        .order_by("date", "start")
    )


def group_commitment(group: Group, until: date) -> Commitment:
    """Three queries, whatever the size of the group."""
    sessions = list(counted_sessions(group, until).values_list("pk", "date"))
    spans = [Span(*row) for row in GroupMembership.objects.filter(group=group).values_list("user_id", "joined_on", "left_on")]
    statuses = {
        (session_id, user_id): status
        for session_id, user_id, status in Attendance.objects.filter(session__group=group).values_list(
            "session_id", "user_id", "status"
        )
    }
    return commitment(sessions, spans, statuses)


@dataclass
class VisibleCommitment:
    """A group's attendance figures as one viewer may see them: ``group`` and ``per_session``
    (session id ->) are ``Counts``, or, for a commissioner, ``programmes.domain.reports.
    WithheldCounts`` (every figure below k withheld); ``withheld`` says which. ``per_member``
    (user id -> Counts): empty when withheld (nobody's own figures for a commissioner)."""

    group: object
    per_session: dict
    withheld: bool
    per_member: dict = field(default_factory=dict)


def visible_commitment(user, group: Group, until: date) -> VisibleCommitment:
    """The attendance numbers of ``group`` up to ``until`` as ``user`` may see them: those who
    run groups see the counts; a commissioner (who does not) sees them withheld below k
    (``commissioner_commitment``, issue 14: "1 / 1" would name the one). The caller has checked
    ``community.view_attendance_numbers``. Three queries (``group_commitment``)."""
    from entraide.core import access

    stats = group_commitment(group, until)
    if not access.can(user, "community.view_people", group) and access.is_commissioner_of(user, group):
        from entraide.programmes.domain.reports import commissioner_commitment

        withheld_group, withheld_sessions = commissioner_commitment(stats.group, stats.per_session)
        return VisibleCommitment(withheld_group, withheld_sessions, True)
    return VisibleCommitment(stats.group, stats.per_session, False, stats.per_member)
