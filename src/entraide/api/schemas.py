"""The shapes the JSON API answers with (OpenAPI components). Attendance and registrations
are counts, dates, names and statuses: never what was said in a session (DESIGN.md,
confidentiality model)."""

from datetime import date, datetime

from ninja import Schema
from pydantic import Field

# A wall-clock time "HH:MM" in the group's or event's own zone (``time_zone``). Not JSON
# Schema's "time" format: that one (RFC 3339 full-time) requires an offset, which a wall-clock
# time in a named zone does not have.
WallClock = Field(pattern=r"^[0-2][0-9]:[0-5][0-9]$", description="Wall-clock time HH:MM in the time zone of the group or event.")


class ErrorOut(Schema):
    """A refusal: a stable ``code`` for programs (a domain refusal's own code on 400, else
    ``invalid_input``, ``unauthenticated``, ``read_only_token``, ``forbidden``, ``not_found``,
    ``rate_limited``), ``detail`` in the caller's language, and for a refused input (400) the
    ``field`` concerned (``core.actions.DomainError.as_json``)."""

    detail: str
    code: str
    field: str | None = None


class Page(Schema):
    """One page of a list: ``count`` items in all, ``items`` from ``offset``, at most ``limit``."""

    count: int
    limit: int
    offset: int


class OrganisationOut(Schema):
    slug: str
    name: str


class MeOut(Schema):
    """The token's owner, organisation, the owner's role there and the token's scope."""

    user_id: int
    display_name: str
    organisation: OrganisationOut
    role: str
    scope: str
    rate_limit: int
    rate_window_seconds: int


class GroupOut(Schema):
    id: int
    name: str
    description: str
    protocol: str
    capacity: int
    members: int
    online: bool
    location: str
    time_zone: str


class GroupPage(Page):
    items: list[GroupOut]


class PersonOut(Schema):
    """A person of the organisation; ``email`` only for its coordinators."""

    user_id: int
    display_name: str
    email: str | None = None


class GroupMemberOut(PersonOut):
    joined_on: date


class GroupMemberPage(Page):
    items: list[GroupMemberOut]


class MemberOut(PersonOut):
    role: str
    profession: str
    structure: str
    languages: str


class MemberPage(Page):
    items: list[MemberOut]


class SessionOut(Schema):
    """A dated meeting of a group. ``number``: its rank among the group's sessions that are not
    cancelled (None when cancelled)."""

    id: int
    group_id: int
    number: int | None
    date: date
    start: str = WallClock
    end: str = WallClock
    place: str
    status: str


class SessionPage(Page):
    items: list[SessionOut]


class CountsOut(Schema):
    """Attendance counts. ``counted``: member-sessions counted (members covered by the
    sessions' dates); ``rate``: presence in percent. For a commissioner, a figure counted from
    fewer than k people is None (withheld), as on the group page."""

    counted: int | None
    present: int | None
    excused: int | None
    absent: int | None
    unrecorded: int | None
    rate: int | None


class SessionAttendanceOut(CountsOut):
    session_id: int
    date: date
    number: int | None


class AttendancePage(Page):
    """Held or past sessions (not cancelled) of the group, with their attendance counts.
    ``withheld``: the figures are a commissioner's (below ``k`` withheld); ``group``: the whole
    group's counts, every session up to today."""

    withheld: bool
    k: int | None
    group: CountsOut
    items: list[SessionAttendanceOut]


class AttendanceRowOut(Schema):
    """One member of the group on the session's date; ``status`` "" when not recorded."""

    user_id: int
    display_name: str
    status: str


class AttendanceSheetOut(Schema):
    session: SessionOut
    items: list[AttendanceRowOut]


class RolePlacesOut(Schema):
    role: str
    capacity: int
    confirmed: int
    remaining: int
    waiting: int


class EventBase(Schema):
    """What every event answer says of the event: when and where, in its own time zone."""

    id: int
    slug: str
    title: str
    date: date
    start: str = WallClock
    end: str = WallClock
    time_zone: str
    mode: str
    place: str


class EventOut(EventBase):
    region: str
    status: str
    public: bool
    confirmed: int
    waiting: int


class EventPage(Page):
    items: list[EventOut]


class EventDetailOut(EventOut):
    places: list[RolePlacesOut]


class RegistrationOut(Schema):
    """Who registered, in which role, with which status; ``email`` for coordinators (and for the
    person's own registration). The question a presenter brings is content: never here."""

    id: int
    role: str
    name: str
    status: str
    waiting_position: int | None
    language: str
    created_at: datetime
    email: str | None = None


class RegistrationPage(Page):
    items: list[RegistrationOut]


class MyRegistrationOut(Schema):
    id: int
    role: str
    status: str
    waiting_position: int | None


class UpcomingEventOut(EventBase):
    remaining: int
    can_register: bool
    my_registration: MyRegistrationOut | None


class UpcomingEventPage(Page):
    items: list[UpcomingEventOut]


class RegisterIn(Schema):
    """Register the token's owner (their name and address) in ``role``: host, presenter or
    participant. A presenter gives ``question`` (at most 280 characters)."""

    role: str
    language: str | None = None
    question: str = ""


class ProgrammeOut(Schema):
    id: int
    title: str
    commissioner_name: str
    start: date
    end: date
    sessions_per_year: int
    session_minutes: int
    group_ids: list[int]


class ProgrammePage(Page):
    items: list[ProgrammeOut]


class ReportSessionOut(Schema):
    session_id: int
    group_id: int
    date: date
    present: int | None


class AttendanceReportOut(Schema):
    """People present per session and overall; None: withheld (fewer than k). ``pending``: how
    many more people the current data counts, not yet released (differencing rule)."""

    overall: int | None
    sessions: list[ReportSessionOut]
    pending: int


class QuestionReportOut(Schema):
    key: str
    text: str
    kind: str
    respondents: int | None
    cells: dict[str, int | None]
    mean: float | None


class QuestionnaireReportOut(Schema):
    id: int
    title: str
    closed: bool
    respondents: int
    shown: bool
    reason: str
    questions: list[QuestionReportOut]


class ReportOut(Schema):
    """A programme's report: only aggregates, every figure below ``k`` respondents withheld."""

    programme_id: int
    k: int
    today: date
    attendance: AttendanceReportOut
    questionnaires: list[QuestionnaireReportOut]


class PlanActionOut(Schema):
    id: int
    text: str
    due: date | None
    status: str
    notes: str


class PlanOut(Schema):
    """One of the caller's own action plans (nobody else's: 404)."""

    id: int
    title: str
    group_id: int | None
    shared_with_group: bool
    created_at: datetime
    updated_at: datetime
    actions: list[PlanActionOut]


class PlanPage(Page):
    items: list[PlanOut]


class ActionStatusIn(Schema):
    """``status``: todo, doing, done or dropped."""

    status: str


class ProtocolSummary(Schema):
    key: str
    title: str
    organisation: str | None
    participants_min: int
    participants_max: int
    languages: list[str]


class ProtocolPage(Page):
    items: list[ProtocolSummary]


class AgendaStep(Schema):
    key: str
    title: str
    start: str
    minutes: int


class AgendaOut(Schema):
    protocol: str
    participants: int
    start: str
    end: str
    steps: list[AgendaStep]
