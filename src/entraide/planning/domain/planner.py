"""Yearly planner: N sessions between two dates, outside school and public holidays, evenly spread.

A pure function of the request (no database). Field document 003: "1/2 journée, 5 séances par
an, hors périodes de vacances scolaires".

Where the closed days come from:

- school holidays of metropolitan France, zones A, B and C: two sources, the official calendar
  bundled with ``vacances-scolaires-france`` and the ``school`` category of the ``holidays``
  library (subdivisions ``Zone A``...). They disagree (the former lacks the Ascension bridge
  from 2023 on), so a day closed by either is closed, and each closure names the sources that
  closed it;
- school holidays elsewhere: the ``school`` category of the ``holidays`` library where it holds
  data for the place (Belgium by community, Germany by Land, ...), otherwise the periods the
  coordinator entered (``closed_periods``), and the explanation says so;
- public holidays: the ``holidays`` library, by country and subdivision (cantons, Länder, ...);
- the coordinator's closed periods and the days the group already has a session on.

What a library *declares* (a ``school`` category, a subdivision, ``start_year``/``end_year``)
is not its data: each source is asked for the days it holds over the window, and covers only
those periods (see ``SchoolSource``). A part of the window that no source covers (a year after
the last published school calendar, a year before a library's first, a place the library lists
without data, like La Réunion in holidays 0.109) falls back on the periods the coordinator
entered, with a sentence in every ``why`` saying so; without entered periods it is an error,
never treated as free.

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

from entraide.core.errors import DomainError

MAX_WINDOW_DAYS = 3 * 366 + 1  # "a yearly planner": up to three school years at once
FRENCH_SCHOOL_ZONES = ("A", "B", "C")
# Overseas departments and territories have their own school calendars, not zones A/B/C.
FRENCH_OVERSEAS = frozenset({"971", "972", "973", "974", "976", "BL", "MF", "NC", "PF", "PM", "TF", "WF"})
SCHOOL = "school"
PUBLIC = "public"
MONDAY_TO_FRIDAY = frozenset({0, 1, 2, 3, 4})


class PlanError(DomainError, ValueError):
    """The request cannot be planned. ``str(error)`` is a clear message in the active language;
    ``code`` ``"plan_impossible"``, ``field`` the form field concerned when known."""

    default_code = "plan_impossible"

    def __init__(self, message: str, field: str | None = None, *, code: str | None = None) -> None:
        super().__init__(message, code=code, field=field)


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


def has_official_school_holidays(
    country: str,
    subdivision: str | None = None,
    zone: str | None = None,
    start: date | None = None,
    end: date | None = None,
) -> bool:
    """Whether school-holiday *data* covers this place from ``start`` to ``end`` (else the coordinator enters them).

    Default period: today and the next 365 days. A library that declares a school category
    but holds no data for the place or the period (La Réunion in holidays 0.109) gives False.
    Raises PlanError for an unknown country or subdivision, or a zone outside metropolitan France.
    """
    start = start or date.today()
    end = end or start + timedelta(days=365)
    request = PlanRequest(start, end, 1, Length.HALF_DAY, country=country, subdivision=subdivision, zone=zone)
    place = _place(request)
    try:
        french_zone = _french_zone(request, place)
    except PlanError:
        return False
    if french_zone is not None:
        sources = french_school_sources(french_zone, start, end)
    elif place.country == "FR" and place.subdivision not in FRENCH_OVERSEAS:
        return False
    elif not _declares_school(place.holiday_class):
        return False
    elif place.holiday_class.subdivisions and place.subdivision is None:
        return False
    else:
        sources = [_library_school_source(place, start, end)]
    _closed, uncovered = _combine_school_sources(request, sources, "")
    return not uncovered


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
    notes: tuple[str, ...]  # the sentences saying which holidays are avoided, from which data

    @classmethod
    def build(cls, request: PlanRequest) -> _Calendar:
        _check_window(request)
        session_times(request)
        place = _place(request)
        school, school_notes = _school_closures(request, place)
        public, public_notes = _public_closures(request, place)
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
        return cls(request, place, in_window, blocked, taken, (*school_notes, *public_notes))

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
        return " ".join((text, *self.notes))

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


def _school_closures(request: PlanRequest, place: _Place) -> tuple[list[Closure], list[str]]:
    """The school holidays to avoid and the sentences that say where they come from.

    Every source is asked for its *data* over the window, never only for what it declares
    (``supported_categories``, ``subdivisions``): a day is closed when a source that covers it
    closes it, and each closure names its sources. A part of the window that no source covers
    falls back on the periods the coordinator entered, with a sentence saying so; without
    entered periods it raises PlanError (never treated as free).
    """
    zone = _french_zone(request, place)
    public_sentence = {"place": place.name}
    try:
        mode = SchoolHolidays(request.school_holidays)
    except ValueError:
        raise PlanError(
            _("Unknown choice for school holidays “%(value)s”; choose one of: %(choices)s.")
            % {"value": request.school_holidays, "choices": ", ".join(choice.value for choice in SchoolHolidays)}
        ) from None
    if mode is SchoolHolidays.IGNORED:
        return [], [_("School holidays not taken into account; outside the public holidays of %(place)s.") % public_sentence]
    entered_sentence = (
        _("Outside the school holidays entered by the coordinator and the public holidays of %(place)s.") % public_sentence
    )
    if mode is SchoolHolidays.ENTERED:
        if not request.closed_periods:
            raise PlanError(
                _("No school holidays were entered: enter them as closed periods, or choose to ignore school holidays.")
            )
        return [], [entered_sentence]
    if zone is not None:
        region = _("zone %(zone)s") % {"zone": zone}
        sources = french_school_sources(zone, request.start, request.end)
    else:
        needs_subdivision = bool(place.holiday_class.subdivisions) and place.subdivision is None
        if place.country == "FR" and place.subdivision not in FRENCH_OVERSEAS:  # metropolitan: by zone
            if request.closed_periods:
                return [], [entered_sentence]
            raise PlanError(
                _(
                    "Choose the school zone (A, B or C) so that the sessions avoid its school holidays, "
                    "or enter the school holidays as closed periods, or choose to ignore school holidays."
                )
            )
        if needs_subdivision and _declares_school(place.holiday_class):
            if request.closed_periods:
                return [], [entered_sentence]
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
        region = place.subdivision_name or _country_name(place.country)
        sources = [_library_school_source(place, request.start, request.end)] if _declares_school(place.holiday_class) else []
    closed, uncovered = _combine_school_sources(request, sources, region)
    separator = pgettext("planner: separator between sources", ", ")
    used = [source.name for source in sources if source.covers_part_of(request.start, request.end)]
    missing_note = _(
        "No school-holiday data for %(region)s from %(from)s to %(to)s (%(sources)s): there, only the "
        "periods entered by the coordinator are avoided."
    )
    if not used:
        # Declared or not, no source holds data for this place and window.
        if request.closed_periods:
            values = {"region": region, "from": _long_date(request.start), "to": _long_date(request.end)}
            if zone is not None:
                note = missing_note % {**values, "sources": separator.join(source.name for source in sources)}
                return [], [note, entered_sentence]
            if sources:
                note = _(
                    "The holidays library declares school holidays for %(region)s but holds none for %(from)s to "
                    "%(to)s: the periods entered by the coordinator are used instead."
                ) % values
                return [], [note, entered_sentence]
            return [], [entered_sentence]
        if zone is not None:
            raise _uncovered_error(region, sources, uncovered[0])
        if sources:
            raise PlanError(
                _(
                    "The holidays library declares school holidays for %(region)s but holds none for %(from)s to "
                    "%(to)s: enter the school holidays as closed periods, or choose to ignore school holidays."
                )
                % {"region": region, "from": _long_date(request.start), "to": _long_date(request.end)}
            )
        raise PlanError(
            _(
                "There is no official school-holiday data for %(place)s: enter the school holidays as closed periods, "
                "or choose to ignore school holidays."
            )
            % {"place": place.name}
        )
    names = separator.join(used)
    if zone is not None:
        sentence = _(
            "Outside the school holidays of zone %(zone)s (official calendar of the French Ministry of Education, "
            "from %(sources)s) and the public holidays of %(place)s."
        ) % {"zone": zone, "sources": names, **public_sentence}
    else:
        sentence = _("Outside the school holidays of %(region)s (%(sources)s) and the public holidays of %(place)s.") % {
            "region": region,
            "sources": names,
            **public_sentence,
        }
    notes = [sentence]
    for first, last in uncovered:
        if not request.closed_periods:
            raise _uncovered_error(region, sources, (first, last))
        notes.append(
            missing_note
            % {
                "region": region,
                "from": _long_date(first),
                "to": _long_date(last),
                "sources": separator.join(source.name for source in sources),
            }
        )
    return closed, notes


def _french_zone(request: PlanRequest, place: _Place) -> str | None:
    """The French school zone asked (``zone``, or a ``Zone A`` subdivision of the holidays library)."""
    zone = (request.zone or "").strip().upper() or None
    if zone is not None and place.country != "FR":
        raise PlanError(
            _("School zones A, B and C exist only in France; for %(country)s, leave the zone empty.")
            % {"country": _country_name(place.country)}
        )
    if zone is not None and zone not in FRENCH_SCHOOL_ZONES:
        raise PlanError(_("Unknown school zone “%(zone)s”; choose A, B or C.") % {"zone": request.zone})
    if place.country == "FR" and place.subdivision and place.subdivision.upper().startswith("ZONE "):
        subdivision_zone = place.subdivision[5:].strip().upper()
        if zone is not None and zone != subdivision_zone:
            raise PlanError(
                _("The school zone %(zone)s and the subdivision “%(subdivision)s” disagree; give only one of them.")
                % {"zone": zone, "subdivision": place.subdivision}
            )
        zone = subdivision_zone
    if zone is not None and place.subdivision in FRENCH_OVERSEAS:
        raise PlanError(
            _(
                "Zones A, B and C are for metropolitan France; %(place)s has its own school calendar: "
                "leave the zone empty and enter its school holidays as closed periods."
            )
            % {"place": place.name}
        )
    return zone


def _declares_school(holiday_class: type) -> bool:
    """What the library *declares*; whether it holds data is asked separately (``_library_school_source``)."""
    return SCHOOL in getattr(holiday_class, "supported_categories", ())


FRENCH_HOLIDAY_NAMES = {
    "Vacances de la Toussaint": lambda: _("All Saints' holidays"),
    "Vacances de Noël": lambda: _("Christmas holidays"),
    "Vacances d'hiver": lambda: _("Winter holidays"),
    "Vacances de printemps": lambda: _("Spring holidays"),
    "Vacances d'été": lambda: _("Summer holidays"),
    "Pont de l'Ascension": lambda: _("Ascension bridge"),
}

OFFICIAL_FRENCH_PACKAGE = "vacances-scolaires-france"
HOLIDAYS_LIBRARY = "holidays"
# The holidays library computes the French school calendar by rule for every year from 2017 on,
# but its data is the published arrêtés (its France class cites them up to the 2027-2028 school
# year, in holidays 0.109): later years are a projection, not data, and are not counted as
# covered. tests/planning/test_planner.py checks this against the library's own references, so
# an upgrade of holidays that cites a newer arrêté fails until this date is moved.
HOLIDAYS_FRENCH_SCHOOL_PUBLISHED_UNTIL = date(2028, 8, 31)
MAX_GAP_IN_SCHOOL_DATA = 120  # days: more without any holiday means a school year is missing


@dataclass(frozen=True)
class SchoolSource:
    """One source of school holidays for one place, as far as it holds data.

    ``covered``: the periods (first, last, both included) the source holds data for;
    ``days``: closed day → name of the holiday, in the active language.
    """

    name: str
    covered: tuple[tuple[date, date], ...]
    days: dict[date, str]

    def covers(self, day: date) -> bool:
        return any(first <= day <= last for first, last in self.covered)

    def covers_part_of(self, start: date, end: date) -> bool:
        return any(first <= end and last >= start for first, last in self.covered)


@dataclass(frozen=True)
class FrenchSchoolCalendar:
    first: date  # first day the data covers: the first holiday in the file
    last: date  # last day the data covers: the end of the last published summer holidays
    days: dict[date, tuple[str, frozenset[str]]]  # holiday day → (name, zones on holiday)
    covered: tuple[tuple[date, date], ...]  # the spans without a missing school year


@lru_cache(maxsize=1)
def french_school_calendar() -> FrenchSchoolCalendar:
    """The official calendar bundled with ``vacances-scolaires-france``, by zone.

    Coverage is what the file holds: from its first holiday to its last (the rows after the last
    published summer holidays are only "no holiday" placeholders), split wherever the file has
    no holiday at all for longer than ``MAX_GAP_IN_SCHOOL_DATA`` days (a missing school year).
    """
    from vacances_scolaires_france import SchoolHolidayDates

    data = SchoolHolidayDates().data
    days = {
        day: (row["nom_vacances"], frozenset(zone for zone in FRENCH_SCHOOL_ZONES if row[f"vacances_zone_{zone.lower()}"]))
        for day, row in data.items()
        if any(row[f"vacances_zone_{zone.lower()}"] for zone in FRENCH_SCHOOL_ZONES)
    }
    return FrenchSchoolCalendar(min(days), max(days), days, _spans(sorted(days)))


def _spans(days: list[date]) -> tuple[tuple[date, date], ...]:
    """Sorted holiday days → the spans they cover, cut where no holiday comes for too long."""
    spans: list[tuple[date, date]] = []
    for day in days:
        if spans and (day - spans[-1][1]).days <= MAX_GAP_IN_SCHOOL_DATA:
            spans[-1] = (spans[-1][0], day)
        else:
            spans.append((day, day))
    return tuple(spans)


def french_school_sources(zone: str, start: date, end: date) -> list[SchoolSource]:
    """Both sources of the French school holidays of ``zone`` ("A", "B" or "C") around start..end.

    The official calendar of ``vacances-scolaires-france`` and the ``school`` category of the
    ``holidays`` library (subdivision ``Zone A``...). They disagree (the former lacks the
    Ascension bridge from 2023 on), so a day closed by either is closed.
    """
    calendar = french_school_calendar()
    official = {
        day: FRENCH_HOLIDAY_NAMES.get(name, lambda name=name: name)()
        for day, (name, zones) in calendar.days.items()
        if zone in zones
    }
    library = _library_school_days("FR", f"Zone {zone}", "fr", start, end)
    library = SchoolSource(
        HOLIDAYS_LIBRARY,
        tuple(
            (first, min(last, HOLIDAYS_FRENCH_SCHOOL_PUBLISHED_UNTIL))
            for first, last in library.covered
            if first <= HOLIDAYS_FRENCH_SCHOOL_PUBLISHED_UNTIL
        ),
        {day: FRENCH_HOLIDAY_NAMES.get(name, lambda name=name: name)() for day, name in library.days.items()},
    )
    return [SchoolSource(OFFICIAL_FRENCH_PACKAGE, calendar.covered, official), library]


def _library_school_source(place: _Place, start: date, end: date) -> SchoolSource:
    return _library_school_days(place.country, place.subdivision, place.language, start, end)


@lru_cache(maxsize=256)
def _library_school_year(country: str, subdivision: str | None, language: str | None, year: int) -> tuple:
    found = holidays_library.country_holidays(
        country, subdiv=subdivision, years=year, categories=(SCHOOL,), language=language
    )
    # items() only: a membership test would make the library expand to other years.
    return tuple(sorted((day, name) for day, name in found.items() if day.year == year))


def _library_school_days(country: str, subdivision: str | None, language: str | None, start: date, end: date) -> SchoolSource:
    """The ``school`` category of the holidays library for one place, as far as it holds data.

    A year is covered when the library returns holidays in it; a run of such years is covered
    from its first holiday (data may start after the summer) to its last (data may stop after
    the summer). Declaring the category is not enough: La Réunion, declared, holds none.
    """
    years = {
        number: dict(_library_school_year(country, subdivision, language, number))
        for number in range(start.year - 1, end.year + 2)
    }
    covered: list[tuple[date, date]] = []
    days: dict[date, str] = {}
    for number in range(start.year - 1, end.year + 2):
        found = years[number]
        days.update(found)
        if not found:
            continue
        first = date(number, 1, 1) if years.get(number - 1) else min(found)
        last = date(number, 12, 31) if years.get(number + 1) else max(found)
        if covered and covered[-1][1] + timedelta(days=1) >= first:
            covered[-1] = (covered[-1][0], last)
        else:
            covered.append((first, last))
    return SchoolSource(HOLIDAYS_LIBRARY, tuple(covered), days)


def _combine_school_sources(
    request: PlanRequest, sources: list[SchoolSource], region: str
) -> tuple[list[Closure], list[tuple[date, date]]]:
    """Closures from every source where it covers the day, and the window's spans no source covers.

    Each closure's label names the holiday, the region and the sources that close its days.
    A holiday cut by the window is shown whole (70 days of margin).
    """
    margin = timedelta(days=70)
    named: dict[date, str] = {}
    day = request.start - margin
    while day <= request.end + margin:
        closing = [source for source in sources if source.covers(day) and day in source.days]
        if closing:
            names = pgettext("planner: separator between sources", ", ").join(source.name for source in closing)
            named[day] = ngettext(
                "%(name)s (%(region)s; source: %(sources)s)",
                "%(name)s (%(region)s; sources: %(sources)s)",
                len(closing),
            ) % {"name": closing[0].days[day], "region": region, "sources": names}
        day += timedelta(days=1)
    uncovered: list[tuple[date, date]] = []
    day = request.start
    while day <= request.end:
        if not any(source.covers(day) for source in sources):
            if uncovered and uncovered[-1][1] + timedelta(days=1) == day:
                uncovered[-1] = (uncovered[-1][0], day)
            else:
                uncovered.append((day, day))
        day += timedelta(days=1)
    return _periods(named, ClosureKind.SCHOOL), uncovered


def _uncovered_error(region: str, sources: list[SchoolSource], span: tuple[date, date]) -> PlanError:
    """No source covers ``span``: say, for each source, where its data stops or starts nearest to it."""
    known = []
    for source in sources:
        before = [last for _first, last in source.covered if last < span[0]]
        after = [first for first, _last in source.covered if first > span[1]]
        if before:
            known.append(_("%(source)s: until %(last)s") % {"source": source.name, "last": _long_date(max(before))})
        if after:
            known.append(_("%(source)s: from %(first)s") % {"source": source.name, "first": _long_date(min(after))})
        if not before and not after:
            known.append(_("%(source)s: nothing") % {"source": source.name})
    return PlanError(
        _(
            "No school calendar known to Entraide covers the school holidays of %(region)s from %(from)s to %(to)s "
            "(%(known)s). Plan a shorter period, enter the school holidays as closed periods, or update the "
            "calendars once the next one is published."
        )
        % {
            "region": region,
            "from": _long_date(span[0]),
            "to": _long_date(span[1]),
            "known": pgettext("planner: separator between sources", "; ").join(known),
        }
    )


def _public_closures(request: PlanRequest, place: _Place) -> tuple[list[Closure], list[str]]:
    """The public holidays of the place in the window, and a sentence for the years without data.

    The library's ``start_year``/``end_year`` are a declaration: a year is known when the library
    returns public holidays for it. For a year without any, the periods the coordinator entered
    are used, with a sentence saying so; without them it raises PlanError.
    """
    first_year = getattr(place.holiday_class, "start_year", None)
    last_year = getattr(place.holiday_class, "end_year", None)
    found: dict[date, str] = {}
    missing: list[int] = []
    for number in range(request.start.year, request.end.year + 1):
        if (first_year is not None and number < first_year) or (last_year is not None and number > last_year):
            missing.append(number)
            continue
        year = holidays_library.country_holidays(
            place.country, subdiv=place.subdivision, years=number, categories=(PUBLIC,), language=place.language
        )
        in_year = {day: name for day, name in year.items() if day.year == number}
        if not in_year:
            missing.append(number)
        found.update(in_year)
    notes = []
    if missing:
        values = {"place": place.name, "years": ", ".join(str(number) for number in missing)}
        if not request.closed_periods:
            raise PlanError(
                _(
                    "The public holidays of %(place)s are not known for %(years)s (holidays library): plan another "
                    "period, or enter the public holidays as closed periods."
                )
                % values
            )
        notes.append(
            _(
                "The holidays library holds no public holidays of %(place)s for %(years)s: there, only the periods "
                "entered by the coordinator are avoided."
            )
            % values
        )
    closures = [
        Closure(day, day, _("%(name)s (public holiday)") % {"name": name}, ClosureKind.PUBLIC)
        for day, name in sorted(found.items())
        if request.start <= day <= request.end
    ]
    return closures, notes


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
    aliases = [alias for alias, aliased in getattr(holiday_class, "subdivisions_aliases", {}).items() if aliased == code]
    # A name rather than an abbreviation: France lists "RE", "LRE", then "La Réunion".
    return next((alias for alias in aliases if len(alias) > 3), aliases[0] if aliases else code)


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
