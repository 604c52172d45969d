"""The one YAML loader of Entraide: plain data only, without anchors and aliases, bounded.

``yaml.safe_load`` builds no objects, but it still expands aliases: some 500 bytes of nested
anchors ("billion laughs") make a document of billions of nodes, seconds of CPU and gigabytes
of memory. Entraide's YAML (protocol specs typed in the editor, the built-in protocols and
themes) never needs to repeat a node by reference, so ``load_yaml`` refuses every anchor and
alias (merge keys ``<<`` need one) where it meets it, before anything is built, and bounds the
nesting depth and the number of nodes. Every YAML door goes through it.
"""

from typing import Any

import yaml
from django.utils.translation import gettext as _
from yaml.events import AliasEvent, CollectionStartEvent, ScalarEvent

# The deepest spec is about 6 levels (steps → step → instructions → role → language → text).
MAX_DEPTH = 24
# The largest built-in spec has under 1,000 nodes; the editor accepts 200,000 characters, which
# a flow list of one-character values fills with 100,000.
MAX_NODES = 50_000


class UnsafeYAMLError(yaml.MarkedYAMLError):
    """The YAML uses an anchor or an alias, or is too deep or too large. ``problem`` is a
    translated sentence; ``problem_mark`` says where (line and column from 0)."""


class _BoundedSafeLoader(yaml.SafeLoader):
    """PyYAML's pure-Python safe loader, refusing anchors and aliases and counting nodes."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0
        self._nodes = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        if isinstance(event, AliasEvent):
            raise UnsafeYAMLError(
                problem=_("aliases (*%(name)s) are not allowed: write the value out in full.") % {"name": event.anchor},
                problem_mark=event.start_mark,
            )
        if isinstance(event, (ScalarEvent, CollectionStartEvent)) and event.anchor is not None:
            raise UnsafeYAMLError(
                problem=_("anchors (&%(name)s) are not allowed: write the value out in full.") % {"name": event.anchor},
                problem_mark=event.start_mark,
            )
        self._nodes += 1
        if self._nodes > MAX_NODES:
            raise UnsafeYAMLError(
                problem=_("the document has too many values (at most %(max)d).") % {"max": MAX_NODES},
                problem_mark=event.start_mark,
            )
        if self._depth >= MAX_DEPTH:
            raise UnsafeYAMLError(
                problem=_("the document is nested too deeply (at most %(max)d levels).") % {"max": MAX_DEPTH},
                problem_mark=event.start_mark,
            )
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def load_yaml(source: str) -> Any:
    """Parse one YAML document into plain data (dict, list, str, int, float, bool, None, dates).

    Raises ``UnsafeYAMLError`` (a ``yaml.MarkedYAMLError`` with a translated ``problem`` and its
    ``problem_mark``) on an anchor, an alias, more than ``MAX_DEPTH`` levels of nesting or more
    than ``MAX_NODES`` values, and ``yaml.YAMLError`` on any other malformed YAML. Nothing is
    expanded before the refusal: the cost is linear in the length of ``source``.
    """
    loader = _BoundedSafeLoader(source)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()
