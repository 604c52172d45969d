from django import template

from entraide.protocols import labels
from entraide.protocols.domain.spec import ProtocolSpec, Step

register = template.Library()


@register.filter
def activity_label(step: Step) -> str:
    return labels.ACTIVITIES.get(step.activity, step.activity)


@register.filter
def worksheet_label(step: Step) -> str:
    return labels.WORKSHEETS.get(step.worksheet, step.worksheet or "")


@register.filter
def phase_label(step: Step) -> str:
    return labels.PHASES[step.phase]


@register.filter
def instruction(step: Step, role: str) -> str:
    return step.instruction(role)


@register.simple_tag
def role_name(spec: ProtocolSpec, role: str) -> str:
    found = spec.roles.get(role)
    return found.name.get() if found else ""


@register.filter
def actor_names(step: Step, spec: ProtocolSpec) -> str:
    return ", ".join(spec.roles[role].name.get() for role in step.actors if role in spec.roles)


@register.filter
def live_open_url(protocol) -> str:
    return protocol.url("live-open")
