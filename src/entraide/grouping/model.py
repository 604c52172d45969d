"""The shapes of the grouping problems and the one error they raise.

Nothing here touches the database: the only Django piece is the translation of the error
message, evaluated lazily in the language active where it is shown.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.functional import lazy


@dataclass(frozen=True)
class Person:
    """Someone to seat. ``preferences``: case keys, best first; ``languages``: the languages they
    can follow (empty: any); ``community``: their organisation or community, mixed across tables;
    ``avoid``: keys of people they must not share a table with (both ways)."""

    key: str
    preferences: tuple[str, ...] = ()
    languages: frozenset[str] = frozenset()
    community: str = ""
    avoid: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Case:
    """A presenter and the case they bring (field document 002, atelier pratique): one table
    each, the presenter sits at it. ``language``: the table's language when fixed ("" = any)."""

    key: str
    presenter: str
    language: str = ""


@dataclass
class Tables:
    """``tables[i]``: member keys of the table of ``cases[i]``, presenter first, then the
    participants in the order they were given. ``score``: see ``form_tables``."""

    tables: list[list[str]]
    cases: list[str]
    score: dict = field(default_factory=dict)


@dataclass
class Schedule:
    """``rounds[r][t]``: the people (numbered 1..n, ascending) of table t in round r.
    ``repeats``: meetings beyond the first, summed over all pairs (0: nobody meets anyone twice).
    ``seconds``: wall time spent; ``method``: which step produced the result."""

    rounds: list[list[list[int]]]
    repeats: int
    seconds: float
    method: str = ""


class GroupingImpossible(ValueError):
    """The request cannot be met (sizes against people, a language no table has, ...).

    ``code`` names the rule for programs; ``message`` is the user-facing text, translated lazily
    into the active language when shown (so a command or view formats it in its own language).
    """

    def __init__(self, code: str, render: Callable[[], str]) -> None:
        self.code = code
        self.message = lazy(render, str)()
        super().__init__(self.message)

    def __str__(self) -> str:
        return str(self.message)
