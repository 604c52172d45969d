"""The k rule of reports for a commissioner (issue 14, part 3): pure functions, with
property tests that no figure, no breakdown cell and no sequence of reports reveals one answer."""

from collections import Counter

from hypothesis import given, settings as hypothesis_settings, strategies as st

from entraide.programmes.domain.reports import attendance_figures, breakdown, differs_enough, withhold

K = 5
VALUES = ("1", "2", "3", "4", "5")


def test_a_four_to_one_split_at_the_threshold_names_nobody():
    cells = withhold({"yes": 4, "no": 1}, K)
    assert all(cell.withheld for cell in cells.values())


def test_every_cell_below_k_is_withheld_even_when_the_total_is_shown():
    result = breakdown(VALUES, {"4": 6, "5": 7, "2": 1}, 14, scale=True, k=K)
    assert not result.respondents.withheld and result.respondents.value == 14
    shown = {value: cell.value for value, cell in result.cells.items() if not cell.withheld}
    assert shown == {"4": 6, "5": 7} or set(shown) <= {"4", "5"}
    assert result.cells["2"].withheld and "5" in result.cells["2"].reason
    # A mean would solve for the withheld cells: not shown.
    assert result.mean is None


def test_the_mean_is_shown_when_no_cell_is_withheld():
    result = breakdown(("yes", "no"), {"yes": 6, "no": 5}, 11, scale=False, k=K)
    assert [cell.value for cell in result.cells.values()] == [6, 5]
    assert breakdown(("1", "2"), {"1": 5, "2": 5}, 10, scale=True, k=K).mean == 1.5


def test_below_k_respondents_everything_is_withheld_with_the_count_and_reason():
    result = breakdown(VALUES, {"3": 4}, 4, scale=True, k=K)
    assert result.withheld and str(result.respondents) == "< 5"
    assert all(cell.withheld for cell in result.cells.values())


def test_a_single_withheld_cell_is_protected_by_another():
    cells = withhold({"a": 10, "b": 9, "c": 2}, K)
    assert cells["c"].withheld
    # total 21 - 10 - 9 would give c: at least a second cell is withheld.
    assert sum(cell.withheld for cell in cells.values()) >= 2


def test_zeros_next_to_a_unanimous_answer_are_withheld_with_it():
    cells = withhold({"yes": 6, "no": 0, "partly": 0}, K)
    assert all(cell.withheld for cell in cells.values())


def test_attendance_of_a_group_of_one_names_nobody():
    figures = attendance_figures({1: 1}, K)
    assert figures.per_session[1].withheld and figures.overall.withheld


def test_differencing_refuses_a_report_differing_by_fewer_than_k():
    assert differs_enough(7, [], K)
    assert differs_enough(7, [7], K)
    assert not differs_enough(8, [7], K)
    assert differs_enough(12, [7], K)
    assert not differs_enough(12, [7, 10], K)


def _recoverable(counts: dict[str, int], cells) -> set[str]:
    """Cells an attacker recovers from the shown cells and the total (one linear equation)."""
    withheld = [label for label, cell in cells.items() if cell.withheld]
    if sum(counts.values()) >= K and len(withheld) == 1:
        return set(withheld)
    return set()


counts_strategy = st.dictionaries(st.sampled_from(VALUES), st.integers(min_value=0, max_value=12), min_size=1, max_size=5)


@hypothesis_settings(max_examples=400, deadline=None)
@given(counts_strategy)
def test_no_shown_cell_and_no_recoverable_cell_is_below_k(counts):
    total = sum(counts.values())
    cells = withhold(counts, K, total=total)
    for label, cell in cells.items():
        if not cell.withheld:
            assert cell.value >= K and cell.value == counts[label]
    assert not _recoverable(counts, cells)
    withheld = [counts[label] for label, cell in cells.items() if cell.withheld]
    if withheld and total >= K:
        # What the withheld cells hold together (total minus the shown) is never below k...
        assert sum(withheld) >= K or len(withheld) == len(cells)
        # ... unless everything is withheld (then only the total, ≥ k, is shown).


@hypothesis_settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(VALUES), min_size=1, max_size=4), min_size=1, max_size=12))
def test_no_sequence_of_reports_reveals_one_answer(batches):
    """Answers arrive in batches and a report is asked after each. Whatever two reports were
    released, the people who differ between them number 0 or at least k, and every shown cell
    of either counts at least k people: subtracting them never isolates one answer."""
    answers: list[str] = []
    releases: list[tuple[int, dict]] = []
    for batch in batches:
        answers += batch
        counts = Counter(answers)
        result = breakdown(VALUES, counts, len(answers), scale=True, k=K)
        if differs_enough(len(answers), [n for n, _cells in releases], K):
            releases.append((len(answers), {v: c.value for v, c in result.cells.items()}))
    for i, (n_a, cells_a) in enumerate(releases):
        assert all(value is None or value >= K for value in cells_a.values())
        for n_b, cells_b in releases[i + 1:]:
            assert n_a == n_b or abs(n_a - n_b) >= K
            for value in VALUES:
                if cells_a[value] is not None and cells_b[value] is not None and n_a != n_b:
                    # A cell's change is bounded by a population of at least k people.
                    assert abs(n_a - n_b) >= K


@hypothesis_settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=40), min_size=1, max_size=12))
def test_any_sequence_of_released_counts_is_k_apart(counts):
    """Whatever order reports are asked in, the released respondent counts stay pairwise equal
    or at least k apart: no difference of two releases isolates fewer than k people."""
    released: list[int] = []
    for count in counts:
        if differs_enough(count, released, K):
            if count not in released:
                released.append(count)
    for i, a in enumerate(released):
        for b in released[i + 1:]:
            assert abs(a - b) >= K


@hypothesis_settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.integers(min_value=1, max_value=50), st.integers(min_value=0, max_value=15), min_size=1, max_size=8))
def test_attendance_cells_never_show_fewer_than_k(present):
    figures = attendance_figures(present, K)
    shown = [cell.value for cell in figures.per_session.values() if not cell.withheld]
    assert all(value >= K for value in shown)
    hidden = [present[pk] for pk, cell in figures.per_session.items() if cell.withheld]
    if figures.overall.value is not None and hidden:
        assert sum(hidden) >= K or len(hidden) == len(present)
        assert len(hidden) >= 2 or len(present) == 1
