"""The steps a live session walks through, read from its protocol version and fitted agenda."""

from dataclasses import dataclass

from entraide.protocols.domain.spec import ProtocolSpec, Step, count_persons


@dataclass(frozen=True)
class LiveStep:
    index: int
    step: Step
    minutes: int  # planned minutes (0: untimed, such as the documentation after the session)

    @property
    def key(self) -> str:
        return self.step.key

    @property
    def activity(self) -> str:
        return self.step.activity

    @property
    def per_person_seconds(self) -> int | None:
        duration = self.step.duration
        return duration.per_person * 60 if duration and duration.per_person else None


def live_steps(spec: ProtocolSpec, agenda: list[dict]) -> list[LiveStep]:
    """Timed steps with their fitted minutes, then the steps after the session (untimed)."""
    minutes = {entry["key"]: entry["minutes"] for entry in agenda}
    steps = [step for step in spec.steps if step.phase == "session"] + [
        step for step in spec.steps if step.phase == "after"
    ]
    return [LiveStep(index, step, minutes.get(step.key, 0)) for index, step in enumerate(steps)]


__all__ = ["LiveStep", "count_persons", "live_steps"]
