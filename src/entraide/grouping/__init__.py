"""Forming tables and re-mixing them (issue 12, items 4 and 5; field document 002).

Pure functions, no database: ``form_tables`` seats people around presenters' cases (preferences,
languages, communities, people kept apart, sizes), ``remix`` plans rounds with as few repeated
meetings as possible. Both raise ``GroupingImpossible`` with a translated message.
"""

from .model import Case, GroupingImpossible, Person, Schedule, Tables
from .remix import count_repeats, remix
from .tables import form_tables

__all__ = ["Case", "GroupingImpossible", "Person", "Schedule", "Tables", "count_repeats", "form_tables", "remix"]
