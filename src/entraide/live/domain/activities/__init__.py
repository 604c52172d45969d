"""One module per activity of a live session (DESIGN.md, Live sessions). Each declares its
commands with ``commands.command`` (roles, steps, typed arguments) next to the rules they
apply; importing this package registers them all in ``commands.COMMANDS``."""

from . import (  # noqa: F401
    ground_rules,
    course,
    people,
    problems,
    bringer,
    turns,
    vote,
    consent,
    questions,
    reformulation,
    notes,
    queue,
    harvest,
    documentation,
    debrief,
    roadmap,
    theme,
    tables,
    contacts,
)
