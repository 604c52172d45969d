"""Activities of a live session, one module each: its commands (registered on import with
``commands.command``) and its part of what each viewer sees. Imported at the end of
``live.domain.commands`` so that every command exists whenever the command path does."""

from . import debrief, roadmap, theme  # noqa: F401  (registration of the commands)
