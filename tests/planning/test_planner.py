"""The yearly planner: real calendars (France by zone, Belgium, a Swiss canton, a German Land),
bad input, and properties checked against the holiday data read directly from the libraries."""

from datetime import date, time, timedelta

import holidays
import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings, strategies as st
from vacances_scolaires_france import SchoolHolidayDates

from entraide.planning.domain.planner import (
    Closure,
    ClosureKind,
    Length,
    PlanError,
    PlannedSession,
    PlanRequest,
    SchoolHolidays,
    closures,
    describe_closures,
    has_official_school_holidays,
    parse_weekdays,
    plan_year,
    spread,
)

pytestmark = pytest.mark.unit

YEAR_2025 = dict(start=date(2025, 9, 8), end=date(2026, 7, 3))


@pytest.fixture(autouse=True)
def french():
    with translation.override("fr"):
        yield


def request(**changes) -> PlanRequest:
    values = dict(**YEAR_2025, sessions=5, length=Length.HALF_DAY, country="FR", zone="A")
    values.update(changes)
    return PlanRequest(**values)


def periods(found: list[tuple[date, date, str]]) -> set[tuple[date, date]]:
    return {(first, last) for first, last, _label in found}


# --- France -------------------------------------------------------------------------------


def test_zone_a_2025_2026_school_holidays_are_the_official_ones():
    found = describe_closures(request())
    assert (date(2025, 10, 18), date(2025, 11, 2), "Vacances de la Toussaint (zone A ; sources : vacances-scolaires-france, holidays)") in found
    assert (date(2025, 12, 20), date(2026, 1, 4), "Vacances de Noël (zone A ; sources : vacances-scolaires-france, holidays)") in found
    assert (date(2026, 2, 7), date(2026, 2, 22), "Vacances d'hiver (zone A ; sources : vacances-scolaires-france, holidays)") in found
    assert (date(2026, 4, 4), date(2026, 4, 19), "Vacances de printemps (zone A ; sources : vacances-scolaires-france, holidays)") in found
    assert (date(2025, 11, 11), date(2025, 11, 11), "Armistice (jour férié)") in found
    # zone C has its winter holidays later
    assert (date(2026, 2, 21), date(2026, 3, 8)) in periods(describe_closures(request(zone="C")))


def test_five_half_days_for_the_vienne_programme_are_spread_outside_holidays():
    """Field document 003: half-days, five a year, outside school holidays (Poitiers: zone A)."""
    sessions = plan_year(request())
    assert [s.date for s in sessions] == [
        date(2025, 10, 7), date(2025, 12, 5), date(2026, 2, 4), date(2026, 4, 3), date(2026, 6, 4),
    ]
    assert all((s.start, s.end) == (time(9, 0), time(12, 30)) for s in sessions)
    gaps = [(b.date - a.date).days for a, b in zip(sessions, sessions[1:])]
    assert max(gaps) - min(gaps) <= 7  # about one every nine weeks
    assert sessions[0].why.startswith("Mardi, séance 1 sur 5")
    assert "zone A" in sessions[0].why and "calendrier officiel" in sessions[0].why
    # the fourth one aimed at Sunday 5 April 2026, inside the spring holidays, and says so
    assert sessions[3].target == date(2026, 4, 5)
    assert "Vacances de printemps (zone A ; sources : vacances-scolaires-france, holidays)" in sessions[3].why and "2 jours plus tôt" in sessions[3].why


def test_a_target_inside_the_christmas_holidays_is_moved_past_them_and_explained():
    sessions = plan_year(request(sessions=12, length=Length.EVENING, weekdays=frozenset({1})))
    moved = next(s for s in sessions if s.target == date(2025, 12, 29))
    assert moved.date == date(2026, 1, 6)
    assert "Vacances de Noël (zone A ; sources : vacances-scolaires-france, holidays)" in moved.why and "Jour de l'an (jour férié)" in moved.why
    assert all(s.date.weekday() == 1 for s in sessions)
    assert (sessions[0].start, sessions[0].end) == (time(18, 0), time(20, 0))


def test_taken_days_are_never_planned_again_and_the_why_says_so():
    first = plan_year(request())
    again = plan_year(request(taken=(first[0].date,)))
    assert first[0].date not in {s.date for s in again}
    assert "la séance du groupe" in again[0].why or "déjà une séance" in again[0].why


def test_the_why_is_in_the_active_language():
    with translation.override("de"):
        german = plan_year(request())[0].why
    with translation.override("en"):
        english = plan_year(request())[0].why
    assert german.startswith("Dienstag, Termin 1 von 5") and "Zone A" in german
    assert english.startswith("Tuesday, session 1 of 5")


def test_a_half_day_in_the_afternoon_and_explicit_times():
    assert plan_year(request(length="full-day"))[0].end == time(17, 0)  # a plain string works too
    sessions = plan_year(request(start_time=time(14, 0)))
    assert (sessions[0].start, sessions[0].end) == (time(14, 0), time(17, 30))
    sessions = plan_year(request(length=Length.AFTERNOON))
    assert (sessions[0].start, sessions[0].end) == (time(13, 30), time(17, 0))
    sessions = plan_year(request(length=Length.FULL_DAY, end_time=time(16, 0)))
    assert (sessions[0].start, sessions[0].end) == (time(8, 0), time(16, 0))


def test_beyond_the_published_french_calendar_is_an_error_not_free_days():
    with pytest.raises(PlanError) as raised:
        plan_year(request(start=date(2028, 1, 10), end=date(2028, 12, 15)))
    message = str(raised.value)
    assert "31 août 2028" in message and "1 septembre 2028" in message
    # inside the data it works
    assert len(plan_year(request(start=date(2027, 9, 6), end=date(2028, 7, 1)))) == 5


def test_overseas_france_has_no_zone_and_uses_the_entered_periods():
    with pytest.raises(PlanError, match="métropolitaine"):
        plan_year(request(subdivision="974"))
    holidays_reunion = ((date(2025, 10, 18), date(2025, 11, 2), "Vacances de la Réunion"),)
    sessions = plan_year(request(subdivision="974", zone=None, closed_periods=holidays_reunion))
    assert "saisies par la coordination" in sessions[0].why
    # holidays 0.109 declares a school category for France (and La Réunion among its subdivisions)
    # but holds no school holiday there: the why says that the entered periods were used instead
    assert "school" in holidays.country_holidays("FR", years=()).supported_categories
    assert not holidays.country_holidays("FR", subdiv="974", years=2026, categories=("school",))
    assert "annonce des vacances scolaires pour La Réunion mais n’en contient aucune" in sessions[0].why
    assert not any(date(2025, 10, 18) <= s.date <= date(2025, 11, 2) for s in plan_year(
        request(subdivision="La Réunion", zone=None, closed_periods=holidays_reunion, sessions=30)))
    # without entered periods: a clear refusal, never free days
    with pytest.raises(PlanError, match="pour La Réunion mais n’en contient aucune .* saisissez les vacances scolaires"):
        plan_year(request(subdivision="974", zone=None))


# --- Two French sources -------------------------------------------------------------------

ASCENSION_2026 = dict(start=date(2026, 5, 11), end=date(2026, 5, 22), weekdays=frozenset({4}))


@pytest.mark.parametrize("zone", ["A", "B", "C"])
def test_the_ascension_bridge_2026_is_closed_in_every_zone_by_the_holidays_library(zone):
    """The issue's example: vacances-scolaires-france lacks the bridge, holidays has it."""
    assert not FRENCH.is_holiday_for_zone(date(2026, 5, 15), zone)
    with pytest.raises(PlanError, match="Seulement 1 jour est libre"):
        plan_year(request(**ASCENSION_2026, zone=zone, sessions=2))
    [session] = plan_year(request(**ASCENSION_2026, zone=zone, sessions=1))
    assert session.date == date(2026, 5, 22)
    label = f"Pont de l'Ascension (zone {zone} ; source : holidays)"
    assert label in session.why  # the neighbouring closed days, with the source that closed them
    assert "d’après vacances-scolaires-france, holidays" in session.why
    assert (date(2026, 5, 14), date(2026, 5, 17), label) in describe_closures(request(**ASCENSION_2026, zone=zone))
    with translation.override("de"):
        assert f"Brückentag nach Christi Himmelfahrt (Zone {zone}; Quelle: holidays)" in plan_year(request(**ASCENSION_2026, zone=zone, sessions=1))[0].why


def test_a_day_closed_by_the_official_calendar_only_names_it():
    found = describe_closures(request(start=date(2022, 7, 4), end=date(2022, 7, 15)))
    assert (date(2022, 7, 7), date(2022, 7, 7), "Vacances d'été (zone A ; source : vacances-scolaires-france)") in found
    assert (date(2022, 7, 8), date(2022, 8, 31), "Vacances d'été (zone A ; sources : vacances-scolaires-france, holidays)") in found
    # aimed at Thursday 7 July, closed by the official calendar only: moved back to Friday 1 July, and says why
    [session] = plan_year(request(start=date(2022, 7, 1), end=date(2022, 7, 13), weekdays=frozenset({3, 4}), sessions=1))
    assert (session.target, session.date) == (date(2022, 7, 7), date(2022, 7, 1))
    assert "en raison de : Vacances d'été (zone A ; source : vacances-scolaires-france)" in session.why
    with pytest.raises(PlanError, match="Aucun jour"):
        plan_year(request(start=date(2022, 7, 7), end=date(2022, 7, 8), sessions=1))


def test_a_zone_can_be_given_as_the_libraries_subdivision():
    assert describe_closures(request(zone=None, subdivision="Zone C")) == describe_closures(request(zone="C"))
    with pytest.raises(PlanError, match="se contredisent"):
        plan_year(request(zone="A", subdivision="Zone B"))


def test_each_source_counts_only_where_it_has_data():
    # before the 2017-2018 school year only vacances-scolaires-france has data: it alone is used
    sessions = plan_year(request(start=date(2015, 9, 7), end=date(2016, 7, 1)))
    assert "d’après vacances-scolaires-france)" in sessions[0].why
    assert not any(date(2015, 10, 17) <= s.date <= date(2015, 11, 1) for s in plan_year(
        request(start=date(2015, 9, 7), end=date(2016, 7, 1), sessions=40)))
    # the bundled file starts with the All Saints' holidays of 1990: earlier is not covered
    with pytest.raises(PlanError) as raised:
        plan_year(request(start=date(1990, 3, 5), end=date(1990, 6, 29)))
    assert "27 octobre 1990" in str(raised.value)
    # after the last published calendar neither source counts; entered periods are the fallback
    later = request(start=date(2028, 6, 5), end=date(2028, 12, 15))
    with pytest.raises(PlanError) as raised:
        plan_year(later)
    assert "holidays : jusqu’au" in str(raised.value) or "holidays : jusqu'au" in str(raised.value)
    christmas = ((date(2028, 12, 16), date(2029, 1, 1), "Noël"),)
    sessions = plan_year(PlanRequest(**{**later.__dict__, "closed_periods": christmas}))
    assert ("Aucune donnée de vacances scolaires (zone A) du vendredi 1 septembre 2028 au vendredi 15 décembre 2028 "
            "(vacances-scolaires-france, holidays)") in sessions[0].why
    beyond = plan_year(request(start=date(2029, 9, 3), end=date(2030, 7, 5), closed_periods=christmas))
    assert "Aucune donnée de vacances scolaires (zone A) du lundi 3 septembre 2029" in beyond[0].why
    assert "saisies par la coordination" in beyond[0].why


def test_the_holidays_french_school_calendar_is_counted_only_as_far_as_published():
    """holidays computes the French calendar by rule for every year; its data is the arrêtés it cites."""
    import re

    from holidays.countries.france import France

    from entraide.planning.domain.planner import HOLIDAYS_FRENCH_SCHOOL_PUBLISHED_UNTIL

    cited = [int(end) for _start, end in re.findall(r"Arrêté du [^\n]*\((\d{4})-(\d{4})\)", France.__doc__)]
    assert max(cited) == HOLIDAYS_FRENCH_SCHOOL_PUBLISHED_UNTIL.year
    assert french_library("A", 2029)  # the projection exists, and is not used:
    with pytest.raises(PlanError):
        plan_year(request(start=date(2028, 9, 4), end=date(2029, 6, 29)))


# --- A library that declares support but holds no data -----------------------------------


@pytest.fixture
def library_without(monkeypatch):
    """Make ``holidays`` declare what it declares but return nothing for some (category, year)."""
    from entraide.planning.domain import planner

    real = holidays.country_holidays
    empty: set[tuple[str, int]] = set()

    def country_holidays(country, subdiv=None, years=None, categories=None, **kwargs):
        found = real(country, subdiv=subdiv, years=years, categories=categories, **kwargs)
        for category in categories or ("public",):
            for year in [years] if isinstance(years, int) else list(years or ()):
                if (category, year) in empty:
                    for day in [day for day in list(found) if day.year == year]:
                        found.pop(day)
        return found

    planner._library_school_year.cache_clear()
    monkeypatch.setattr(planner.holidays_library, "country_holidays", country_holidays)
    yield empty
    planner._library_school_year.cache_clear()


def test_a_declared_school_category_without_data_falls_back_on_the_entered_periods(library_without):
    library_without.update({("school", year) for year in range(2024, 2028)})
    bavaria = request(country="DE", subdivision="BY", zone=None)
    with pytest.raises(PlanError) as raised:
        plan_year(bavaria)
    assert "pour Bayern mais n’en contient aucune" in str(raised.value)
    autumn = ((date(2025, 11, 3), date(2025, 11, 7), "Herbstferien"),)
    sessions = plan_year(PlanRequest(**{**bavaria.__dict__, "closed_periods": autumn, "sessions": 30}))
    assert "annonce des vacances scolaires pour Bayern mais n’en contient aucune" in sessions[0].why
    assert not any(date(2025, 11, 3) <= s.date <= date(2025, 11, 7) for s in sessions)
    assert not has_official_school_holidays("DE", "BY", start=date(2025, 9, 1), end=date(2026, 7, 31))


def test_a_school_library_with_data_for_part_of_the_window_uses_the_entered_periods_for_the_rest(library_without):
    library_without.add(("school", 2026))
    belgium = request(country="BE", subdivision="French", zone=None)
    with pytest.raises(PlanError, match="1 janvier 2026"):
        plan_year(belgium)
    spring = ((date(2026, 4, 27), date(2026, 5, 8), "Congé de printemps"),)
    sessions = plan_year(PlanRequest(**{**belgium.__dict__, "closed_periods": spring, "sessions": 40}))
    assert "Aucune donnée de vacances scolaires (Fédération Wallonie-Bruxelles) du jeudi 1 janvier 2026" in sessions[0].why
    days = {s.date for s in sessions}
    assert not any(date(2025, 10, 20) <= day <= date(2025, 11, 2) for day in days)  # 2025: still the library's
    assert not any(date(2026, 4, 27) <= day <= date(2026, 5, 8) for day in days)


def test_french_zones_with_one_source_missing_use_the_other_and_say_so(library_without):
    library_without.update({("school", 2025), ("school", 2026)})
    sessions = plan_year(request())
    assert "d’après vacances-scolaires-france)" in sessions[0].why
    assert "Vacances de printemps (zone A ; source : vacances-scolaires-france)" in sessions[3].why


def test_public_holidays_without_data_fall_back_on_the_entered_periods(library_without):
    library_without.add(("public", 2026))
    with pytest.raises(PlanError, match="jours fériés .France. ne sont pas connus pour 2026"):
        plan_year(request())
    may = ((date(2026, 5, 1), date(2026, 5, 1), "Fête du travail"),)
    sessions = plan_year(request(closed_periods=may))
    assert "ne contient aucun jour férié (France) pour 2026" in sessions[0].why
    assert (date(2025, 12, 25), date(2025, 12, 25), "Noël (jour férié)") in describe_closures(request(closed_periods=may))


# --- Belgium, Switzerland, Germany -------------------------------------------------------


def test_belgium_french_community_school_and_public_holidays():
    found = describe_closures(request(country="BE", subdivision="French", zone=None))
    assert (date(2025, 10, 20), date(2025, 11, 2)) in periods(found)  # congé d'automne
    assert (date(2026, 2, 16), date(2026, 3, 1)) in periods(found)  # congé de détente
    assert (date(2025, 11, 11), date(2025, 11, 11), "Jour de l'Armistice (jour férié)") in found
    days = [s.date for s in plan_year(request(country="BE", subdivision="French", zone=None, sessions=20))]
    assert not any(date(2025, 10, 20) <= day <= date(2025, 11, 2) for day in days)
    assert "Fédération Wallonie-Bruxelles" in plan_year(request(country="BE", subdivision="French", zone=None))[0].why


def test_a_swiss_canton_has_its_own_public_holidays_and_needs_entered_school_holidays():
    with pytest.raises(PlanError, match="pas de données officielles"):
        plan_year(request(country="CH", subdivision="VD", zone=None))
    autumn = ((date(2025, 10, 11), date(2025, 10, 26), "Vacances d'automne vaudoises"),)
    vaud = request(country="CH", subdivision="Vaud", zone=None, closed_periods=autumn,
                   start=date(2025, 9, 22), end=date(2025, 9, 23), sessions=1)
    assert plan_year(vaud)[0].date == date(2025, 9, 23)  # 22 September is the Jeûne fédéral Monday in Vaud
    assert "Lundi du Jeûne fédéral (jour férié)" in plan_year(vaud)[0].why
    with pytest.raises(PlanError):
        plan_year(PlanRequest(**{**vaud.__dict__, "end": date(2025, 9, 22)}))
    geneva = request(country="CH", subdivision="GE", zone=None, school_holidays=SchoolHolidays.IGNORED,
                     start=date(2025, 9, 22), end=date(2025, 9, 22), sessions=1)
    assert plan_year(geneva)[0].date == date(2025, 9, 22)  # not a holiday in Geneva
    assert "pas prises en compte" in plan_year(geneva)[0].why
    dates = {s.date for s in plan_year(request(country="CH", subdivision="VD", zone=None, closed_periods=autumn, sessions=30))}
    assert not any(date(2025, 10, 11) <= day <= date(2025, 10, 26) for day in dates)


def test_a_german_land_has_its_school_and_public_holidays():
    found = describe_closures(request(country="DE", subdivision="BY", zone=None))
    assert (date(2025, 11, 3), date(2025, 11, 7)) in periods(found)  # Herbstferien Bayern
    assert (date(2026, 6, 4), date(2026, 6, 4), "Fronleichnam (jour férié)") in found
    sessions = plan_year(request(country="DE", subdivision="Bayern", zone=None))
    assert sessions[-1].date == date(2026, 6, 8)  # Pfingstferien until 5 June
    with pytest.raises(PlanError) as raised:
        plan_year(request(country="DE", subdivision="BY", zone=None, start=date(2029, 1, 8), end=date(2029, 12, 14)))
    assert "Bayern" in str(raised.value) and "2029" in str(raised.value)


# --- Bad input ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (dict(sessions=0), "au moins une séance"),
        (dict(start=date(2026, 7, 3), end=date(2025, 9, 8)), "avant de commencer"),
        (dict(weekdays=frozenset()), "au moins un jour"),
        (dict(weekdays=frozenset({7})), "0 (lundi)"),
        (dict(sessions=200), "Seulement"),
        (dict(country="XX"), "FR"),
        (dict(zone="D"), "A, B ou C"),
        (dict(country="BE", zone="A"), "uniquement en France"),
        (dict(zone=None), "zone scolaire"),
        (dict(zone=None, subdivision="Moselle"), "zone scolaire"),
        (dict(country="CH", subdivision="ZZ", zone=None), "VD (Vaud)"),
        (dict(country="DE", zone=None), "BY (Bayern)"),
        (dict(country="LU", subdivision="X", zone=None), "pas de subdivisions"),
        (dict(start_time=time(12, 0), end_time=time(11, 0)), "se terminer après"),
        (dict(start_time=time(23, 0)), "minuit"),
        (dict(closed_periods=((date(2025, 10, 2), date(2025, 10, 1), "Fermeture"),)), "Fermeture"),
        (dict(school_holidays=SchoolHolidays.ENTERED), "Aucune période de vacances scolaires"),
        (dict(start=date(2025, 1, 1), end=date(2029, 1, 1)), "trois ans"),
        (dict(length="week"), "half-day"),
        (dict(school_holidays="sometimes"), "ignored"),
    ],
)
def test_bad_requests_get_a_clear_message(changes, expected):
    with pytest.raises(PlanError) as raised:
        plan_year(request(**changes))
    assert expected in str(raised.value)


def test_too_many_sessions_says_how_many_days_are_free():
    with pytest.raises(PlanError) as raised:
        plan_year(request(start=date(2025, 10, 13), end=date(2025, 10, 24), sessions=6))
    assert "Seulement 5 jours sont libres" in str(raised.value)
    with pytest.raises(PlanError, match="Aucun jour"):
        plan_year(request(start=date(2025, 10, 20), end=date(2025, 10, 31), sessions=1))


def test_describe_closures_does_not_need_a_session_count():
    assert describe_closures(request(sessions=0))
    with pytest.raises(PlanError):
        describe_closures(request(zone="Z"))


def test_parse_weekdays_in_three_languages():
    assert parse_weekdays("mon,tue,thu") == frozenset({0, 1, 3})
    assert parse_weekdays("lun, mer, VEN") == frozenset({0, 2, 4})
    assert parse_weekdays("Mo,Di,Sa") == frozenset({0, 1, 5})
    with pytest.raises(PlanError, match="xyz"):
        parse_weekdays("mon,xyz")


# --- The spreading ------------------------------------------------------------------------


def test_spread_takes_the_targets_when_every_day_is_free():
    assert spread(list(range(100)), [4.5, 14.5, 24.5]) == [4, 14, 24]


def test_spread_pushes_neighbours_to_both_sides_of_a_long_closure():
    free = [day for day in range(100) if not 30 <= day < 70]
    chosen = [free[i] for i in spread(free, [40.0, 50.0, 60.0])]
    assert chosen[0] < 30 and chosen[-1] >= 70 and chosen == sorted(set(chosen))


@given(st.integers(1, 400), st.data())
def test_spread_over_free_days_only_has_gaps_differing_by_at_most_one_day(length, data):
    count = data.draw(st.integers(1, length))
    targets = [(i + 0.5) * length / count - 0.5 for i in range(count)]
    chosen = spread(list(range(length)), targets)
    gaps = [b - a for a, b in zip(chosen, chosen[1:])]
    assert not gaps or max(gaps) - min(gaps) <= 1
    assert chosen[0] <= length / count and length - 1 - chosen[-1] <= length / count  # half a gap at each end


@given(
    free=st.lists(st.integers(0, 60), min_size=1, max_size=25, unique=True).map(sorted),
    data=st.data(),
)
def test_spread_is_optimal_against_brute_force(free, data):
    from itertools import combinations

    count = data.draw(st.integers(1, min(4, len(free))))
    targets = sorted(data.draw(st.lists(st.floats(0, 60), min_size=count, max_size=count)))
    chosen = spread(free, targets)
    assert chosen == sorted(set(chosen)) and len(chosen) == count

    def cost(indices):
        return sum((free[i] - t) ** 2 for i, t in zip(indices, targets))

    best = min(cost(combo) for combo in combinations(range(len(free)), count))
    assert cost(chosen) == pytest.approx(best)


# --- Properties against the raw holiday data ---------------------------------------------

FRENCH = SchoolHolidayDates()


def oracle_closed(req: PlanRequest, day: date) -> bool:
    """Is ``day`` closed, asked directly of the libraries (not through the planner)?"""
    public = holidays.country_holidays(req.country, subdiv=req.subdivision, years=day.year)
    if day in public:
        return True
    if any(first <= day <= last for first, last, _label in req.closed_periods):
        return True
    if req.school_holidays is SchoolHolidays.IGNORED:
        return False
    if req.zone:
        # both French sources: a day closed by either is closed
        return FRENCH.is_holiday_for_zone(day, req.zone) or day in french_library(req.zone, day.year)
    if "school" in holidays.country_holidays(req.country, years=()).supported_categories:
        # a library without data for the place (La Réunion) closes nothing: the entered periods count
        return day in holidays.country_holidays(req.country, subdiv=req.subdivision, years=day.year, categories=("school",))
    return False


def french_library(zone: str, year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("FR", subdiv=f"Zone {zone}", years=year, categories=("school",))


places = st.sampled_from(
    [
        dict(country="FR", zone="A"),
        dict(country="FR", zone="B"),
        dict(country="FR", zone="C"),
        dict(country="FR", zone="C", subdivision="57"),
        dict(country="BE", subdivision="French"),
        dict(country="BE", subdivision="Flemish"),
        dict(country="DE", subdivision="BY"),
        dict(country="DE", subdivision="NW"),
        dict(country="CH", subdivision="VD", school_holidays=SchoolHolidays.IGNORED),
        dict(country="CH", subdivision="ZH", school_holidays=SchoolHolidays.ENTERED),
        dict(country="FR", subdivision="974"),  # declared by holidays, no data: the entered periods
    ]
)


@st.composite
def requests(draw) -> PlanRequest:
    start = date(2024, 9, 1) + timedelta(days=draw(st.integers(0, 3 * 365)))
    end = start + timedelta(days=draw(st.integers(0, 330)))
    end = min(end, date(2028, 8, 31))
    start = min(start, end)
    place = draw(places)
    closed = []
    needs_entered = place.get("school_holidays") is SchoolHolidays.ENTERED or place.get("subdivision") == "974"
    for _ in range(draw(st.integers(1 if needs_entered else 0, 3))):
        first = start + timedelta(days=draw(st.integers(-20, max(0, (end - start).days))))
        closed.append((first, first + timedelta(days=draw(st.integers(0, 30))), draw(st.sampled_from(["Fermeture", "Vacances", ""]))))
    taken = tuple(start + timedelta(days=draw(st.integers(0, max(0, (end - start).days)))) for _ in range(draw(st.integers(0, 4))))
    return PlanRequest(
        start=start,
        end=end,
        sessions=draw(st.integers(1, 40)),
        length=draw(st.sampled_from(list(Length))),
        weekdays=frozenset(draw(st.lists(st.integers(0, 6), min_size=1, max_size=7))),
        closed_periods=tuple(closed),
        taken=taken,
        **place,
    )


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(requests())
def test_never_a_closed_day_never_a_day_not_allowed_and_the_count_or_an_error(req):
    free = []
    day = req.start
    while day <= req.end:
        if day.weekday() in req.weekdays and day not in req.taken and not oracle_closed(req, day):
            free.append(day)
        day += timedelta(days=1)
    if len(free) < req.sessions:
        with pytest.raises(PlanError):
            plan_year(req)
        return
    sessions = plan_year(req)
    days = [s.date for s in sessions]
    assert len(days) == req.sessions
    assert days == sorted(set(days))
    assert all(req.start <= d <= req.end for d in days)
    assert all(d.weekday() in req.weekdays for d in days)
    assert all(d not in req.taken for d in days)
    assert all(not oracle_closed(req, d) for d in days)
    assert all(isinstance(s, PlannedSession) and s.why and s.end > s.start for s in sessions)
    # a session off its even-spacing target always says why; one on target says so
    assert all(("en raison de :" in s.why) == (s.target != s.date) for s in sessions)
    assert all(("exactement le jour visé" in s.why) == (s.target == s.date) for s in sessions)
    # every closure shown overlaps the window and none of them holds a planned day
    for closure in closures(req):
        assert isinstance(closure, Closure) and closure.kind in ClosureKind
        assert closure.last >= req.start and closure.first <= req.end
        assert not any(closure.first <= d <= closure.last for d in days)


def test_helpers_for_forms():
    from entraide.planning.domain.planner import subdivisions

    assert ("VD", "Vaud") in subdivisions("CH")
    assert ("French", "Fédération Wallonie-Bruxelles") in subdivisions("be")
    assert subdivisions("LU") == []
    with pytest.raises(PlanError, match="Pays inconnu"):
        subdivisions("XX")
    year = dict(start=date(2025, 9, 1), end=date(2026, 8, 31))
    assert has_official_school_holidays("FR", zone="A", **year)
    assert has_official_school_holidays("FR", "Zone B", **year)
    assert not has_official_school_holidays("FR", zone="A", start=date(2028, 9, 1), end=date(2029, 7, 1))
    assert not has_official_school_holidays("FR", **year)
    assert not has_official_school_holidays("FR", "974", zone="A", **year)
    assert not has_official_school_holidays("FR", "974", **year)  # declared, no data
    assert has_official_school_holidays("DE", "BY", **year) and not has_official_school_holidays("DE", **year)
    assert not has_official_school_holidays("DE", "BY", start=date(2029, 1, 1), end=date(2029, 12, 31))
    assert not has_official_school_holidays("CH", "VD", **year)
    assert SchoolHolidays.IGNORED.label == "vacances scolaires non prises en compte"
