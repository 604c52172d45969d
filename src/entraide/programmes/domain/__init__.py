"""Commissioned programmes: programmes and meetings, questionnaires, reports (issue 14)."""

from entraide.core.actions import DomainError


class ProgrammeError(DomainError):
    """A refusal of the programmes domain; nothing was changed."""
