"""The plans the group's members shared, as a part of the live view model at a review step
(live.domain.parts)."""

from entraide.live.domain.parts import PartContext, part
from entraide.live.domain.reads import read

from .domain.review import shared_plans


@part("shared_plans")
def shared_plans_part(context: PartContext) -> list[dict] | None:
    """At a review_roadmaps step: [{"author", "title", "actions": [{"text", "due" (ISO date or
    None), "status", "status_label", "notes"}]}]; None at any other step (nothing is read)."""
    if context.step is None or context.step.activity != "review_roadmaps":
        return None
    return [
        {
            "author": plan.author,
            "title": plan.title,
            "actions": [
                {
                    "text": action.text,
                    "due": action.due.isoformat() if action.due else None,
                    "status": action.status,
                    "status_label": str(action.status_label),
                    "notes": action.notes,
                }
                for action in plan.actions
            ],
        }
        for plan in read(("shared_plans", context.session.pk), lambda: shared_plans(context.session.pk))
    ]
