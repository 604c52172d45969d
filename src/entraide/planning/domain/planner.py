"""Yearly planner: N sessions between two dates, outside school and public holidays, evenly spread.

A pure function of the request (no database). Field document 003: "1/2 journée, 5 séances par
an, hors périodes de vacances scolaires".

Where the closed days come from:

- school holidays of metropolitan France, zones A, B and C: the official calendar bundled with
  ``vacances-scolaires-france``;
- school holidays elsewhere: the ``school`` category of the ``holidays`` library where it has
  one (Belgium by community, Germany by Land, ...), otherwise the periods the coordinator
  entered (``closed_periods``), and the explanation says so;
- public holidays: the ``holidays`` library, by country and subdivision (cantons, Länder, ...);
- the coordinator's closed periods and the days the group already has a session on.

A period that the data does not cover (a year after the last published school calendar, a
year before the library's first) is an error, never treated as free.

Spreading. The window is cut into N equal slices and each session aims at the middle of its
slice (so the gaps between sessions are equal and each end keeps half a gap). The dates are
then chosen among the free days by dynamic programming: strictly increasing, minimising the sum
of squared distances to the targets (O(N × free days)). Squares rather than plain distances
so that a long closure (summer, Christmas) pushes neighbouring sessions apart on both sides
instead of piling them up on one side. Ties go to the earlier day, so the result is
deterministic. An optimisation library (OR-Tools) is not needed for a problem this small and
this regular: the dynamic programme is exact.

Every planned date carries a ``why``: its rank, its target day and spacing, how far and why it
was moved (the closures between the target and the date, a day not allowed, a day taken by
another session), and which holiday data it avoids.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import Enum
from functools import lru_cache

import holidays as holidays_library
from django.utils import formats
from django.utils.translation import get_language, gettext as _, ngettext, pgettext

MAX_WINDOW_DAYS = 3 * 366 + 1  # "a yearly planner": up to three school years at once
FRENCH_SCHOOL_ZONES = ("A", "B", "C")
# Overseas departments and territories have their own school calendars, not zones A/B/C.
FRENCH_OVERSEAS = frozenset({"971", "972", "973", "974", "976", "BL", "MF", "NC", "PF", "PM", "TF", "WF"})
SCHOOL = "school"
PUBLIC = "public"
MONDAY_TO_FRIDAY = frozenset({0, 1, 2, 3, 4})


class PlanError(ValueError):
    """The request cannot be planned. ``str(error)`` is a clear message in the active language."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Length(str, Enum):
    MORNING = "morning"
    AFTERNOON = "afternoon"
    HALF_DAY = "half-day"  # the morning, or the afternoon when a start time after noon is asked
    FULL_DAY = "full-day"
    EVENING = "evening"  # two hours, e.g. a "brouillon d'atelier" (field document 000: max 2 h)

    @property
    def default_times(self) -> tuple[time, time]:
        return DEFAULT_TIMES[self]

    @property
    def label(self) -> str:
        return {
            Length.MORNING: _("morning"),
            Length.AFTERNOON: _("afternoon"),
            Length.HALF_DAY: _("half-day"),
            Length.FULL_DAY: _("full day"),
            Length.EVENING: _("evening (two hours)"),
        }[self]


DEFAULT_TIMES: dict[Length, tuple[time, time]] = {
    Length.MORNING: (time(9, 0), time(12, 30)),
    Length.AFTERNOON: (time(13, 30), time(17, 0)),
    Length.HALF_DAY: (time(9, 0), time(12, 30)),
    Length.FULL_DAY: (time(9, 0), time(17, 0)),
    Length.EVENING: (time(18, 0), time(20, 0)),
}


class SchoolHolidays(str, Enum):
    """Where the school holidays come from."""

    OFFICIAL = "official"  # official data (France by zone, the holidays library's school category); else the entered periods
    ENTERED = "entered"  # only the periods the coordinator entered (closed_periods)
    IGNORED = "ignored"  # not avoided (the entered periods still are)


    @property
    def label(self) -> str:
        return {
            SchoolHolidays.OFFICIAL: _("official school calendar (or the periods entered where there is none)"),
            SchoolHolidays.ENTERED: _("only the periods entered by the coordinator"),
            SchoolHolidays.IGNORED: _("school holidays not taken into account"),
        }[self]


class ClosureKind(str, Enum):
    SCHOOL = "school"
    PUBLIC = "public"
    CLOSED = "closed"  # entered by the coordinator


@dataclass(frozen=True)
class PlanRequest:
    start: date
    end: date
    sessions: int
    length: Length
    country: str = "FR"
    subdivision: str | None = None
    zone: str | None = None  # French school zone "A", "B" or "C"
    weekdays: frozenset[int] = MONDAY_TO_FRIDAY  # Monday = 0
    closed_periods: tuple[tuple[date, date, str], ...] = ()  # (first, last, label), both included
    taken: tuple[date, ...] = ()  # the group already has a session on these days
    start_time: time | None = None
    end_time: time | None = None
    school_holidays: SchoolHolidays = SchoolHolidays.OFFICIAL


@dataclass(frozen=True)
class PlannedSession:
    date: date
    start: time
    end: time
    why: str
    target: date | None = None  # the even-spacing target this session was placed for

    def as_dict(self) -> dict[str, str]:
        return {
            "date": self.date.isoformat(),
            "start": self.start.strftime("%H:%M"),
            "end": self.end.strftime("%H:%M"),
            "why": self.why,
        }


@dataclass(frozen=True)
class Closure:
    first: date
    last: date
    label: str
    kind: ClosureKind


# --- Public entry points -------------------------------------------------------------------


def plan_year(request: PlanRequest) -> list[PlannedSession]:
    """The sessions of the request, sorted, evenly spread over the free days; raises PlanError."""
    calendar = _Calendar.build(request)
    if not isinstance(request.sessions, int) or isinstance(request.sessions, bool) or request.sessions <= 0:
        raise PlanError(_("Ask for at least one session."))
    free = calendar.free_days()
    if request.sessions > len(free):
        raise PlanError(_impossible_message(request, len(free)))
    first = request.start.toordinal()
    length = (request.end - request.start).days + 1
    targets = [first + (index + 0.5) * length / request.sessions - 0.5 for index in range(request.sessions)]
    chosen = spread([day.toordinal() for day in free], targets)
    start_time, end_time = session_times(request)
    sessions: list[PlannedSession] = []
    chosen_days = [free[index] for index in chosen]
    for number, (day, target) in enumerate(zip(chosen_days, targets), start=1):
        target_day = date.fromordinal(math.ceil(target - 0.5))  # a half-day target goes to the earlier day
        why = calendar.explain(day, target_day, number, chosen_days, length / request.sessions)
        sessions.append(PlannedSession(day, start_time, end_time, why, target_day))
    return sessions


def closures(request: PlanRequest) -> list[Closure]:
    """Every closure (school and public holidays, entered periods) overlapping the window.

    Validates the request like ``plan_year`` (window, place, data coverage, times) except the
    number of sessions, so that a form can show them before the count is chosen.
    """
    return list(_Calendar.build(request).closures)


def describe_closures(request: PlanRequest) -> list[tuple[date, date, str]]:
    """The holidays and closed periods considered in the window, as (first, last, label)."""
    return [(closure.first, closure.last, closure.label) for closure in closures(request)]


def subdivisions(country: str) -> list[tuple[str, str]]:
    """(code, name) of the subdivisions the holiday data knows for ``country``, for a form."""
    place = _place(PlanRequest(date.today(), date.today(), 1, Length.HALF_DAY, country=country))
    return [(code, _subdivision_name(place.holiday_class, code)) for code in place.holiday_class.subdivisions]


def has_official_school_holidays(country: str, subdivision: str | None = None, zone: str | None = None) -> bool:
    """Whether official school-holiday data exists for this place (else the coordinator enters them)."""
    place = _place(PlanRequest(date.today(), date.today(), 1, Length.HALF_DAY, country=country, subdivision=subdivision))
    if place.country == "FR":
        return bool(zone) and place.subdivision not in FRENCH_OVERSEAS
    if SCHOOL not in getattr(place.holiday_class, "supported_categories", ()):
        return False
    return not place.holiday_class.subdivisions or place.subdivision is not None


def session_times(request: PlanRequest) -> tuple[time, time]:
    """Start and end of each session: the length's defaults, overridden by the request."""
    default_start, default_end = parse_length(request.length).default_times
    duration = _minutes(default_end) - _minutes(default_start)
    start, end = request.start_time, request.end_time
    if start is not None and end is None:
        end_minutes = _minutes(start) + duration
        if end_minutes >= 24 * 60:
            raise PlanError(_("A session starting at %(start)s would end after midnight.") % {"start": _hhmm(start)})
        end = time(end_minutes // 60, end_minutes % 60)
    elif end is not None and start is None:
        start_minutes = _minutes(end) - duration
        if start_minutes < 0:
            raise PlanError(_("A session ending at %(end)s would start before midnight.") % {"end": _hhmm(end)})
        start = time(start_minutes // 60, start_minutes % 60)
    elif start is None and end is None:
        start, end = default_start, default_end
    assert start is not None and end is not None
    if _minutes(end) <= _minutes(start):
        raise PlanError(
            _("A session must end after it starts (asked: %(start)s to %(end)s).") % {"start": _hhmm(start), "end": _hhmm(end)}
        )
    return start, end


def spread(free: list[int], targets: list[float]) -> list[int]:
    """Indices into ``free`` (sorted day numbers), strictly increasing, one per target.

    Minimises the sum of squared distances between each chosen day and its target; ties go to
    the earlier days. Needs ``len(free) >= len(targets)``.
    """
    count, size = len(targets), len(free)
    if count == 0:
        return []
    if size < count:
        raise ValueError("fewer free days than targets")
    infinity = math.inf
    previous = [
        (free[j] - targets[0]) ** 2 if j <= size - count else infinity for j in range(size)
    ]
    back: list[list[int]] = []
    for index in range(1, count):
        current = [infinity] * size
        came_from = [-1] * size
        best, best_j = infinity, -1
        for j in range(index, size - (count - 1 - index)):
            if previous[j - 1] < best:  # strict: the earliest predecessor wins a tie
                best, best_j = previous[j - 1], j - 1
            current[j] = best + (free[j] - targets[index]) ** 2
            came_from[j] = best_j
        back.append(came_from)
        previous = current
    last = min(range(size), key=lambda j: (previous[j], j))
    chosen = [last]
    for came_from in reversed(back):
        chosen.append(came_from[chosen[-1]])
    chosen.reverse()
    return chosen


WEEKDAY_WORDS: dict[str, int] = {
    **{word: 0 for word in ("mon", "monday", "lun", "lundi", "mo", "montag")},
    **{word: 1 for word in ("tue", "tuesday", "mar", "mardi", "di", "dienstag")},
    **{word: 2 for word in ("wed", "wednesday", "mer", "mercredi", "mi", "mittwoch")},
    **{word: 3 for word in ("thu", "thursday", "jeu", "jeudi", "do", "donnerstag")},
    **{word: 4 for word in ("fri", "friday", "ven", "vendredi", "fr", "freitag")},
    **{word: 5 for word in ("sat", "saturday", "sam", "samedi", "sa", "samstag")},
    **{word: 6 for word in ("sun", "sunday", "dim", "dimanche", "so", "sonntag")},
}


def parse_weekdays(text: str) -> frozenset[int]:
    """``"mon,tue,thu"`` (English, French or German names or abbreviations) → {0, 1, 3}."""
    days: set[int] = set()
    for word in (part.strip().lower().rstrip(".") for part in text.split(",")):
        if not word:
            continue
        if word not in WEEKDAY_WORDS:
            raise PlanError(
                _("“%(word)s” is not a day of the week; write for instance mon,tue,thu (or lun,mar,jeu).") % {"word": word}
            )
        days.add(WEEKDAY_WORDS[word])
    if not days:
        raise PlanError(_("Choose at least one day of the week."))
    return frozenset(days)


def parse_length(text: str | Length) -> Length:
    try:
        return Length(str(getattr(text, "value", text)).strip().lower())
    except ValueError:
        raise PlanError(
            _("Unknown session length “%(length)s”; choose one of: %(choices)s.")
            % {"length": text, "choices": ", ".join(length.value for length in Length)}
        ) from None


def parse_date(text: str) -> date:
    try:
        return datetime.strptime(text.strip(), "%Y-%m-%d").date()
    except ValueError:
        raise PlanError(_("“%(value)s” is not a date; write it as YYYY-MM-DD, e.g. 2025-09-08.") % {"value": text}) from None


def parse_time(text: str) -> time:
    try:
        return datetime.strptime(text.strip(), "%H:%M").time()
    except ValueError:
        raise PlanError(_("“%(value)s” is not a time; write it as HH:MM, e.g. 14:00.") % {"value": text}) from None


# --- The calendar of closed days -----------------------------------------------------------


@dataclass
class _Place:
    country: str
    subdivision: str | None  # the library's code
    holiday_class: type
    language: str | None  # for the holiday names

    @property
    def name(self) -> str:
        country = _country_name(self.country)
        if self.subdivision is None:
            return country
        return _("%(country)s, %(subdivision)s") % {"country": country, "subdivision": self.subdivision_name}

    @property
    def subdivision_name(self) -> str:
        return _subdivision_name(self.holiday_class, self.subdivision) if self.subdivision else ""


@dataclass
class _Calendar:
    request: PlanRequest
    place: _Place
    closures: tuple[Closure, ...]
    blocked: dict[date, list[str]]  # day in the window → labels of what closes it
    taken: frozenset[date]
    school_source: str  # the sentence saying which holidays are avoided

    @classmethod
    def build(cls, request: PlanRequest) -> _Calendar:
        _check_window(request)
        session_times(request)
        place = _place(request)
        school, school_source = _school_closures(request, place)
        public = _public_closures(request, place)
        entered = _entered_closures(request)
        public_days = {closure.first for closure in public}
        # Some school calendars repeat the public holidays (Belgium): say it once.
        school = [c for c in school if not (c.first == c.last and c.first in public_days)]
        found = sorted([*school, *public, *entered], key=lambda c: (c.first, c.last, c.kind.value, c.label))
        in_window = tuple(c for c in found if c.last >= request.start and c.first <= request.end)
        blocked: dict[date, list[str]] = {}
        for closure in in_window:
            day = max(closure.first, request.start)
            while day <= min(closure.last, request.end):
                labels = blocked.setdefault(day, [])
                if closure.label not in labels:
                    labels.append(closure.label)
                day += timedelta(days=1)
        taken = frozenset(day for day in request.taken if request.start <= day <= request.end)
        return cls(request, place, in_window, blocked, taken, school_source)

    def free_days(self) -> list[date]:
        days = []
        day = self.request.start
        while day <= self.request.end:
            if day.weekday() in self.request.weekdays and day not in self.blocked and day not in self.taken:
                days.append(day)
            day += timedelta(days=1)
        return days

    def explain(self, day: date, target: date, number: int, chosen: list[date], spacing_days: float) -> str:
        total = len(chosen)
        head = _("%(weekday)s, session %(number)d of %(total)d") % {
            "weekday": _capitalised(formats.date_format(day, "l")),
            "number": number,
            "total": total,
        }
        spacing = _spacing(spacing_days)
        moved = (day - target).days
        if moved == 0:
            text = _("%(head)s: its target day for an even spacing (%(spacing)s).") % {"head": head, "spacing": spacing}
        else:
            reasons = self._reasons(target, day, number, chosen)
            values = {
                "head": head,
                "spacing": spacing,
                "target": _long_date(target),
                "count": abs(moved),
                "reasons": pgettext("planner: separator between reasons", "; ").join(reasons),
            }
            if moved > 0:
                text = ngettext(
                    "%(head)s: the target day for an even spacing (%(spacing)s) was %(target)s, moved %(count)d day later because of: %(reasons)s.",
                    "%(head)s: the target day for an even spacing (%(spacing)s) was %(target)s, moved %(count)d days later because of: %(reasons)s.",
                    abs(moved),
                ) % values
            else:
                text = ngettext(
                    "%(head)s: the target day for an even spacing (%(spacing)s) was %(target)s, moved %(count)d day earlier because of: %(reasons)s.",
                    "%(head)s: the target day for an even spacing (%(spacing)s) was %(target)s, moved %(count)d days earlier because of: %(reasons)s.",
                    abs(moved),
                ) % values
        return f"{text} {self.school_source}"

    def _reasons(self, target: date, day: date, number: int, chosen: list[date]) -> list[str]:
        """What stands between the target day (included) and the chosen day (excluded)."""
        reasons: list[str] = []

        def add(reason: str) -> None:
            if reason not in reasons:
                reasons.append(reason)

        spacing_kept = False
        step = timedelta(days=1 if day > target else -1)
        current = target
        while current != day:
            for label in self.blocked.get(current, ()):
                add(label)
            if current in self.taken:
                add(_("the group already has a session on %(date)s") % {"date": _short_date(current)})
            elif current == target and current.weekday() not in self.request.weekdays:
                add(_("%(weekday)s is not one of the chosen days") % {"weekday": formats.date_format(current, "l")})
            elif current in chosen and current not in self.blocked:
                add(_("%(date)s goes to session %(number)d") % {"date": _short_date(current), "number": chosen.index(current) + 1})
            elif current.weekday() in self.request.weekdays and current not in self.blocked:
                spacing_kept = True  # a free day passed over so that the gaps stay even
            current += step
        if spacing_kept:
            add(_("to keep an even spacing with the neighbouring sessions"))
        return reasons


def _check_window(request: PlanRequest) -> None:
    if request.end < request.start:
        raise PlanError(
            _("The period ends (%(end)s) before it starts (%(start)s).")
            % {"start": _long_date(request.start), "end": _long_date(request.end)}
        )
    if (request.end - request.start).days + 1 > MAX_WINDOW_DAYS:
        raise PlanError(_("Plan at most three years at a time."))
    if not request.weekdays:
        raise PlanError(_("Choose at least one day of the week."))
    if any(not isinstance(day, int) or not 0 <= day <= 6 for day in request.weekdays):
        raise PlanError(_("Days of the week go from 0 (Monday) to 6 (Sunday)."))


def _place(request: PlanRequest) -> _Place:
    country = (request.country or "").strip().upper()
    supported = holidays_library.list_supported_countries(include_aliases=False)
    if country not in supported:
        raise PlanError(
            _("Unknown country “%(country)s”; use a two-letter code among: %(codes)s.")
            % {"country": request.country, "codes": ", ".join(sorted(supported))}
        )
    holiday_class = type(holidays_library.country_holidays(country, years=()))
    subdivision = None
    if request.subdivision is not None and request.subdivision.strip():
        subdivision = _subdivision_code(holiday_class, country, request.subdivision.strip())
    return _Place(country, subdivision, holiday_class, _holiday_language(holiday_class))


def _subdivision_code(holiday_class: type, country: str, asked: str) -> str:
    codes: tuple[str, ...] = tuple(holiday_class.subdivisions)
    if not codes:
        raise PlanError(
            _("%(country)s has no subdivisions for holidays; leave the subdivision empty.")
            % {"country": _country_name(country)}
        )
    folded = asked.casefold()
    for code in codes:
        if code.casefold() == folded:
            return code
    for alias, code in getattr(holiday_class, "subdivisions_aliases", {}).items():
        if alias.casefold() == folded:
            return code
    choices = ", ".join(
        f"{code} ({name})" if (name := _subdivision_name(holiday_class, code)) != code else code for code in codes
    )
    raise PlanError(
        _("Unknown subdivision “%(subdivision)s” for %(country)s; choose one of: %(choices)s.")
        % {"subdivision": asked, "country": _country_name(country), "choices": choices}
    )


def _school_closures(request: PlanRequest, place: _Place) -> tuple[list[Closure], str]:
    """The school holidays to avoid and the sentence that says where they come from."""
    zone = (request.zone or "").strip().upper() or None
    if zone is not None and place.country != "FR":
        raise PlanError(
            _("School zones A, B and C exist only in France; for %(country)s, leave the zone empty.")
            % {"country": _country_name(place.country)}
        )
    if zone is not None and zone not in FRENCH_SCHOOL_ZONES:
        raise PlanError(_("Unknown school zone “%(zone)s”; choose A, B or C.") % {"zone": request.zone})
    if zone is not None and place.subdivision in FRENCH_OVERSEAS:
        raise PlanError(
            _(
                "Zones A, B and C are for metropolitan France; %(place)s has its own school calendar: "
                "leave the zone empty and enter its school holidays as closed periods."
            )
            % {"place": place.name}
        )
    public_sentence = {"place": place.name}
    try:
        mode = SchoolHolidays(request.school_holidays)
    except ValueError:
        raise PlanError(
            _("Unknown choice for school holidays “%(value)s”; choose one of: %(choices)s.")
            % {"value": request.school_holidays, "choices": ", ".join(choice.value for choice in SchoolHolidays)}
        ) from None
    if mode is SchoolHolidays.IGNORED:
        return [], _("School holidays not taken into account; outside the public holidays of %(place)s.") % public_sentence
    entered_sentence = (
        _("Outside the school holidays entered by the coordinator and the public holidays of %(place)s.") % public_sentence
    )
    if mode is SchoolHolidays.ENTERED:
        if not request.closed_periods:
            raise PlanError(
                _("No school holidays were entered: enter them as closed periods, or choose to ignore school holidays.")
            )
        return [], entered_sentence
    if zone is not None:
        return _french_school_closures(request, zone), (
            _(
                "Outside the school holidays of zone %(zone)s (official calendar of the French Ministry of Education) "
                "and the public holidays of %(place)s."
            )
            % {"zone": zone, **public_sentence}
        )
    has_school_category = SCHOOL in getattr(place.holiday_class, "supported_categories", ())
    needs_subdivision = has_school_category and bool(place.holiday_class.subdivisions) and place.subdivision is None
    if has_school_category and not needs_subdivision:
        region = place.subdivision_name or _country_name(place.country)
        return _library_school_closures(request, place, region), (
            _("Outside the school holidays of %(region)s (holidays library) and the public holidays of %(place)s.")
            % {"region": region, **public_sentence}
        )
    if request.closed_periods:
        return [], entered_sentence
    if place.country == "FR" and place.subdivision not in FRENCH_OVERSEAS:
        raise PlanError(
            _(
                "Choose the school zone (A, B or C) so that the sessions avoid its school holidays, "
                "or enter the school holidays as closed periods, or choose to ignore school holidays."
            )
        )
    if needs_subdivision:
        choices = ", ".join(
            f"{code} ({name})" if (name := _subdivision_name(place.holiday_class, code)) != code else code
            for code in place.holiday_class.subdivisions
        )
        raise PlanError(
            _(
                "School holidays in %(country)s depend on the subdivision: choose one of %(choices)s, "
                "or enter the school holidays as closed periods, or choose to ignore school holidays."
            )
            % {"country": _country_name(place.country), "choices": choices}
        )
    raise PlanError(
        _(
            "There is no official school-holiday data for %(place)s: enter the school holidays as closed periods, "
            "or choose to ignore school holidays."
        )
        % {"place": place.name}
    )


FRENCH_HOLIDAY_NAMES = {
    "Vacances de la Toussaint": lambda: _("All Saints' holidays"),
    "Vacances de Noël": lambda: _("Christmas holidays"),
    "Vacances d'hiver": lambda: _("Winter holidays"),
    "Vacances de printemps": lambda: _("Spring holidays"),
    "Vacances d'été": lambda: _("Summer holidays"),
    "Pont de l'Ascension": lambda: _("Ascension bridge"),
}


@dataclass(frozen=True)
class FrenchSchoolCalendar:
    first: date  # first day the data covers
    last: date  # last day the data covers: the end of the last published summer holidays
    days: dict[date, tuple[str, frozenset[str]]]  # holiday day → (name, zones on holiday)


@lru_cache(maxsize=1)
def french_school_calendar() -> FrenchSchoolCalendar:
    from vacances_scolaires_france import SchoolHolidayDates

    data = SchoolHolidayDates().data
    days = {
        day: (row["nom_vacances"], frozenset(zone for zone in FRENCH_SCHOOL_ZONES if row[f"vacances_zone_{zone.lower()}"]))
        for day, row in data.items()
    }
    # The bundled file runs to 31 December of its last year, but after the last published
    # summer holidays its rows are only "no holiday" placeholders: coverage ends there.
    return FrenchSchoolCalendar(date(min(days).year, 1, 1), max(days), days)


def _french_school_closures(request: PlanRequest, zone: str) -> list[Closure]:
    calendar = french_school_calendar()
    if request.start < calendar.first or request.end > calendar.last:
        first = request.start if request.start < calendar.first else calendar.last + timedelta(days=1)
        last = min(request.end, calendar.first - timedelta(days=1)) if request.start < calendar.first else request.end
        raise PlanError(
            _(
                "The official French school calendar known to Entraide covers %(first)s to %(last)s: "
                "%(from)s to %(to)s is not covered. Plan a shorter period, or update vacances-scolaires-france "
                "once the next calendar is published."
            )
            % {
                "first": _long_date(calendar.first),
                "last": _long_date(calendar.last),
                "from": _long_date(first),
                "to": _long_date(last),
            }
        )
    # Look beyond the window so that a holiday cut by it is shown whole.
    margin = timedelta(days=70)
    named: dict[date, str] = {}
    day = max(request.start - margin, calendar.first)
    while day <= min(request.end + margin, calendar.last):
        holiday = calendar.days.get(day)
        if holiday is not None and zone in holiday[1]:
            name = FRENCH_HOLIDAY_NAMES.get(holiday[0], lambda name=holiday[0]: name)()
            named[day] = _("%(name)s (zone %(zone)s)") % {"name": name, "zone": zone}
        day += timedelta(days=1)
    return _periods(named, ClosureKind.SCHOOL)


def _library_school_closures(request: PlanRequest, place: _Place, region: str) -> list[Closure]:
    by_year: dict[int, dict[date, str]] = {}

    def year(number: int) -> dict[date, str]:
        if number not in by_year:
            found = holidays_library.country_holidays(
                place.country, subdiv=place.subdivision, years=number, categories=(SCHOOL,), language=place.language
            )
            # items() only: a membership test would make the library expand to other years.
            by_year[number] = {day: name for day, name in found.items() if day.year == number}
        return by_year[number]

    def uncovered(first: date, last: date) -> PlanError:
        return PlanError(
            _(
                "The school holidays of %(region)s are not known for %(from)s to %(to)s (holidays library): "
                "plan a shorter period, or enter the school holidays as closed periods and choose them as the source."
            )
            % {"region": region, "from": _long_date(first), "to": _long_date(last)}
        )

    for number in range(request.start.year, request.end.year + 1):
        if not year(number):
            raise uncovered(max(request.start, date(number, 1, 1)), min(request.end, date(number, 12, 31)))
        if not year(number + 1):
            covered_until = max(year(number))  # data for a year may stop after its summer holidays
            if request.end > covered_until:
                raise uncovered(max(request.start, covered_until + timedelta(days=1)), request.end)
    named: dict[date, str] = {}
    for number in range(request.start.year - 1, request.end.year + 2):
        for day, name in year(number).items():
            named[day] = _("%(name)s (%(region)s)") % {"name": name, "region": region}
    return _periods(named, ClosureKind.SCHOOL)


def _public_closures(request: PlanRequest, place: _Place) -> list[Closure]:
    first_year = getattr(place.holiday_class, "start_year", None)
    last_year = getattr(place.holiday_class, "end_year", None)
    if (first_year is not None and request.start.year < first_year) or (last_year is not None and request.end.year > last_year):
        raise PlanError(
            _("The public holidays of %(place)s are known from %(first)s to %(last)s only.")
            % {"place": place.name, "first": first_year, "last": last_year}
        )
    found = holidays_library.country_holidays(
        place.country,
        subdiv=place.subdivision,
        years=range(request.start.year, request.end.year + 1),
        categories=(PUBLIC,),
        language=place.language,
    )
    return [
        Closure(day, day, _("%(name)s (public holiday)") % {"name": name}, ClosureKind.PUBLIC)
        for day, name in sorted(found.items())
        if request.start <= day <= request.end
    ]


def _entered_closures(request: PlanRequest) -> list[Closure]:
    entered = []
    for period in request.closed_periods:
        first, last, label = period
        label = (label or "").strip() or _("closed period")
        if last < first:
            raise PlanError(
                _("The closed period “%(label)s” ends (%(last)s) before it starts (%(first)s).")
                % {"label": label, "first": _long_date(first), "last": _long_date(last)}
            )
        entered.append(Closure(first, last, label, ClosureKind.CLOSED))
    return entered


def _periods(named: dict[date, str], kind: ClosureKind) -> list[Closure]:
    """Consecutive days with the same name → one closure."""
    periods: list[Closure] = []
    for day in sorted(named):
        previous = periods[-1] if periods else None
        if previous is not None and previous.label == named[day] and previous.last + timedelta(days=1) == day:
            periods[-1] = Closure(previous.first, day, previous.label, kind)
        else:
            periods.append(Closure(day, day, named[day], kind))
    return periods


def _impossible_message(request: PlanRequest, free: int) -> str:
    if free == 0:
        return _(
            "No day is free between %(start)s and %(end)s on the chosen days of the week, outside the holidays "
            "and closed periods: widen the period or allow more days of the week."
        ) % {"start": _long_date(request.start), "end": _long_date(request.end)}
    return ngettext(
        "Only %(free)d day is free between %(start)s and %(end)s on the chosen days of the week, outside the "
        "holidays and closed periods, for %(sessions)d sessions: ask for fewer sessions, widen the period or "
        "allow more days of the week.",
        "Only %(free)d days are free between %(start)s and %(end)s on the chosen days of the week, outside the "
        "holidays and closed periods, for %(sessions)d sessions: ask for fewer sessions, widen the period or "
        "allow more days of the week.",
        free,
    ) % {"free": free, "sessions": request.sessions, "start": _long_date(request.start), "end": _long_date(request.end)}


# --- Names and formatting ------------------------------------------------------------------


def _country_name(code: str) -> str:
    names = {
        "FR": _("France"),
        "BE": _("Belgium"),
        "CH": _("Switzerland"),
        "DE": _("Germany"),
        "LU": _("Luxembourg"),
        "AT": _("Austria"),
        "IT": _("Italy"),
        "CA": _("Canada"),
    }
    return names.get(code, code)


def _subdivision_name(holiday_class: type, code: str) -> str:
    if getattr(holiday_class, "country", None) == "BE":  # Belgian school holidays are set by the Communities
        belgian = {
            "Flemish": _("Flemish Community"),
            "French": _("Wallonia-Brussels Federation"),
            "German": _("German-speaking Community"),
        }
        if code in belgian:
            return belgian[code]
    for alias, aliased in getattr(holiday_class, "subdivisions_aliases", {}).items():
        if aliased == code:
            return alias
    return code


def _holiday_language(holiday_class: type) -> str | None:
    supported = tuple(getattr(holiday_class, "supported_languages", ()))
    active = (get_language() or "fr").split("-")[0].lower()
    for language in supported:
        if language.lower() == active or language.lower().startswith(active + "_"):
            return language
    # Otherwise the names as they are written locally (e.g. German names for a Land).
    return getattr(holiday_class, "default_language", None)


def _spacing(days: float) -> str:
    if days >= 14:
        weeks = round(days / 7)
        return ngettext("about one session every %(count)d week", "about one session every %(count)d weeks", weeks) % {
            "count": weeks
        }
    count = max(1, round(days))
    return ngettext("about one session every %(count)d day", "about one session every %(count)d days", count) % {
        "count": count
    }


def _long_date(day: date) -> str:
    return formats.date_format(day, pgettext("planner: long date with weekday", "l j F Y"))


def _short_date(day: date) -> str:
    return formats.date_format(day, pgettext("planner: short date with weekday", "l j F"))


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _minutes(value: time) -> int:
    return value.hour * 60 + value.minute


def _hhmm(value: time) -> str:
    return value.strftime("%H:%M")
