"""The protocol spec: a declarative, validated description of a session format.

A spec is YAML (see ``builtin/*.yaml`` and ``schema/protocol.schema.json``). ``parse_spec``
validates it and returns an immutable ``ProtocolSpec``; every problem is reported with the
file, the step and the field it concerns, in the user's language, all at once.

Texts are either one string (one language) or a mapping ``{fr: ..., de: ..., en: ...}``.
The built-ins carry all three languages (``strict=True`` checks it).
"""

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import jsonschema
import yaml
from django.utils.translation import get_language, gettext as _, ngettext

from entraide.core.safe_yaml import load_yaml
from entraide.core.text import has_control_characters, single_line_message

LANGUAGES = ("fr", "de", "en")
ROLE_KEYS = ("facilitator", "offerer", "contributor")
MAX_SOURCE_LENGTH = 200_000


# --- Errors ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SpecIssue:
    filename: str
    step: str | None  # the step's key, or its position when it has no valid key
    field: str | None
    reason: str

    def __str__(self) -> str:
        where = []
        if self.step:
            where.append(_("step “%(step)s”") % {"step": self.step})
        if self.field:
            where.append(_("field “%(field)s”") % {"field": self.field})
        location = ", ".join(where)
        if location:
            return _("%(file)s — %(location)s: %(reason)s") % {"file": self.filename, "location": location, "reason": self.reason}
        return _("%(file)s: %(reason)s") % {"file": self.filename, "reason": self.reason}


class SpecError(ValueError):
    def __init__(self, issues: list[SpecIssue]) -> None:
        self.issues = issues
        super().__init__("\n".join(str(issue) for issue in issues))

    @property
    def messages(self) -> list[str]:
        return [str(issue) for issue in self.issues]


# --- The spec ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    """A text in one or several languages; falls back to French, then any language."""

    values: Mapping[str, str]

    @classmethod
    def from_data(cls, data: str | Mapping[str, str] | None) -> "Text | None":
        if data is None:
            return None
        if isinstance(data, str):
            return cls({"fr": data})
        return cls(dict(data))

    def get(self, language: str | None = None) -> str:
        language = (language or get_language() or "fr")[:2]
        for candidate in (language, "fr", "en", "de"):
            if candidate in self.values:
                return self.values[candidate]
        return next(iter(self.values.values()))

    def __str__(self) -> str:
        return self.get()


@dataclass(frozen=True)
class Duration:
    """Minutes of a step: fixed, a range around an indicative value, or per person.

    ``stretch``: order in which the step receives spare time (1 first);
    ``shrink``: order in which it gives time back when the window is short (1 first).
    """

    minutes: int | None = None
    min: int | None = None
    max: int | None = None
    per_person: int | None = None
    persons: str = "participants"
    stretch: int | None = None
    shrink: int | None = None

    def bounds(self, participants: int) -> tuple[int, int, int]:
        """(shortest, indicative, longest) for this many participants, facilitator included."""
        if self.per_person is not None:
            total = self.per_person * count_persons(self.persons, participants)
            return total, total, total
        indicative = self.minutes or 0
        low = self.min if self.min is not None else indicative
        high = self.max if self.max is not None else indicative
        return low, indicative, high

    def describe(self) -> str:
        if self.per_person is not None:
            return ngettext(
                "%(minutes)d min per person", "%(minutes)d min per person", self.per_person
            ) % {"minutes": self.per_person}
        low, indicative, high = self.bounds(0)
        if low != high:
            return _("%(low)d to %(high)d min (indicatively %(minutes)d)") % {
                "low": low,
                "high": high,
                "minutes": indicative,
            }
        return _("%(minutes)d min") % {"minutes": indicative}


def count_persons(persons: str, participants: int) -> int:
    """How many people a per-person duration counts. ``participants`` includes the facilitator."""
    if persons == "authors":  # everyone but the facilitator
        return max(participants - 1, 0)
    if persons == "contributors":  # everyone but the facilitator and the offerer
        return max(participants - 2, 0)
    return participants


@dataclass(frozen=True)
class Role:
    key: str
    name: Text
    card: Text


@dataclass(frozen=True)
class Step:
    key: str
    title: Text
    activity: str
    phase: str = "session"
    duration: Duration | None = None
    scope: str = "plenary"
    actors: tuple[str, ...] = ()
    instructions: Mapping[str, Text] = field(default_factory=dict)
    worksheet: str | None = None
    purpose: Text | None = None
    facilitator_turn: str = "none"  # share rounds: "first", "last" or "none" (gives the turns only)

    @property
    def timed(self) -> bool:
        return self.phase == "session"

    def instruction(self, role: str, language: str | None = None) -> str:
        text = self.instructions.get(role)
        return text.get(language) if text else ""


@dataclass(frozen=True)
class ProtocolSpec:
    key: str
    title: Text
    summary: Text | None
    source: str
    participants_min: int
    participants_max: int
    roles: Mapping[str, Role]
    steps: tuple[Step, ...]
    table_min: int | None = None
    table_max: int | None = None
    bringer: str = "vote"  # how the offerer is chosen: see BRINGERS
    data: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def timed_steps(self) -> tuple[Step, ...]:
        return tuple(step for step in self.steps if step.timed)

    @property
    def languages(self) -> tuple[str, ...]:
        """The languages every text of the spec is written in."""
        found = set(LANGUAGES)
        for value in _texts(self.data):
            found &= set(value) if isinstance(value, Mapping) else {"fr"}
        return tuple(language for language in LANGUAGES if language in found)

    def step(self, key: str) -> Step:
        for step in self.steps:
            if step.key == key:
                return step
        raise KeyError(key)

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> "ProtocolSpec":
        """Build from already validated data (``parse_spec`` validates)."""
        roles = {
            key: Role(key, Text.from_data(value["name"]), Text.from_data(value["card"]))
            for key, value in data["roles"].items()
        }
        steps = tuple(
            Step(
                key=step["key"],
                title=Text.from_data(step["title"]),
                activity=step["activity"],
                phase=step.get("phase", "session"),
                duration=Duration(**step["duration"]) if "duration" in step else None,
                scope=step.get("scope", "plenary"),
                actors=tuple(step.get("actors", ())),
                instructions={k: Text.from_data(v) for k, v in step.get("instructions", {}).items()},
                worksheet=step.get("worksheet"),
                purpose=Text.from_data(step.get("purpose")),
                facilitator_turn=step.get("facilitator_turn", "none"),
            )
            for step in data["steps"]
        )
        tables = data.get("tables") or {}
        return cls(
            key=data["key"],
            title=Text.from_data(data["title"]),
            summary=Text.from_data(data.get("summary")),
            source=data.get("source", ""),
            participants_min=data["participants"]["min"],
            participants_max=data["participants"]["max"],
            roles=roles,
            steps=steps,
            table_min=tables.get("min"),
            table_max=tables.get("max"),
            bringer=declared_bringer(data),
            data=data,
        )


# How the person who brings the situation (role "offerer") is chosen, field ``bringer``:
# "vote": the dot vote on the problems written, then the consent of the chosen one's author
# (field document 001); "volunteers": participants propose a situation on their phone and the
# facilitator picks one (documents 003, 004); "raised": the facilitator names the person who
# raised it, among volunteers or directly (document 000, supervisions); "none": nobody brings
# one (document 000, brouillons d'ateliers: the member who runs the trial workshop facilitates).
BRINGERS = ("vote", "volunteers", "raised", "none")
# Steps where the bringer is chosen: the activities that settle who the offerer is.
CHOOSING_ACTIVITIES = {"vote": ("consent",), "volunteers": ("situations", "pitch"), "raised": ("situations",), "none": ()}


def declared_bringer(data: Mapping[str, Any]) -> str:
    """The spec's ``bringer`` (one of BRINGERS); when absent (specs written before the field):
    "none" without an offerer role, "vote" with a vote step, else "volunteers"."""
    if data.get("bringer"):
        return data["bringer"]
    if "offerer" not in data.get("roles", {}):
        return "none"
    if any(step.get("activity") == "vote" for step in data.get("steps", [])):
        return "vote"
    return "volunteers"


def _texts(data: Any, key: str | None = None) -> Iterable[Any]:
    """Every text value of a spec (titles, names, cards, instructions, purposes, summary)."""
    text_keys = {"title", "summary", "name", "card", "purpose"}
    if isinstance(data, Mapping):
        for sub_key, value in data.items():
            if sub_key in text_keys or key == "instructions":
                yield value
            elif sub_key != "data":
                yield from _texts(value, sub_key)
    elif isinstance(data, list):
        for item in data:
            yield from _texts(item, key)


# --- Parsing and validation ----------------------------------------------------------------


@cache
def schema() -> dict[str, Any]:
    return json.loads(resources.files("entraide.protocols").joinpath("schema/protocol.schema.json").read_text())


@cache
def _validator() -> jsonschema.protocols.Validator:
    validator_class = jsonschema.validators.validator_for(schema())
    validator_class.check_schema(schema())
    return validator_class(schema())


def parse_spec(source: str, filename: str = "protocol.yaml", *, strict: bool = False) -> ProtocolSpec:
    """Validate a YAML spec and build it. Raise ``SpecError`` listing every problem found.

    ``strict``: every text must exist in French, German and English (the built-ins).
    """
    if len(source) > MAX_SOURCE_LENGTH:
        raise SpecError(
            [SpecIssue(filename, None, None, _("the text is too long (at most %(max)d characters).") % {"max": MAX_SOURCE_LENGTH})]
        )
    try:
        data = load_yaml(source)
    except yaml.YAMLError as error:  # UnsafeYAMLError too: anchors, aliases, depth, size
        mark = getattr(error, "problem_mark", None)
        where = _("line %(line)d, column %(column)d") % {"line": mark.line + 1, "column": mark.column + 1} if mark else ""
        problem = getattr(error, "problem", None) or _("unreadable YAML")
        raise SpecError([SpecIssue(filename, None, None, _("invalid YAML (%(where)s): %(problem)s") % {"where": where, "problem": problem})]) from None
    if not isinstance(data, dict):
        raise SpecError([SpecIssue(filename, None, None, _("the spec must be a mapping of fields (key: value).") )])

    issues = [_issue_from_schema_error(filename, data, error) for error in _schema_errors(data)]
    if not issues:
        issues = list(_semantic_issues(filename, data, strict=strict))
    if issues:
        raise SpecError(issues)
    return ProtocolSpec.from_data(data)


def _schema_errors(data: dict) -> list[jsonschema.ValidationError]:
    errors = []
    for error in sorted(_validator().iter_errors(data), key=lambda e: list(map(str, e.absolute_path))):
        # For a text (string or {fr, de, en}) report the most relevant branch.
        if error.validator in ("anyOf", "oneOf") and error.context:
            error = jsonschema.exceptions.best_match(error.context)
        errors.append(error)
    return errors


FIELD_TYPES = {
    "string": lambda: _("a text"),
    "integer": lambda: _("a whole number"),
    "number": lambda: _("a number"),
    "array": lambda: _("a list"),
    "object": lambda: _("a mapping of fields"),
    "boolean": lambda: _("yes or no"),
}


def _reason(error: jsonschema.ValidationError) -> tuple[str, str | None]:
    """(translated reason, name of the offending sub-field if any)."""
    kind, expected, instance = error.validator, error.validator_value, error.instance
    if kind == "required":
        missing = next((name for name in expected if name not in instance), expected[0])
        return _("this field is required."), missing
    if kind == "additionalProperties":
        allowed = set(error.schema.get("properties", {}))
        unknown = sorted(set(instance) - allowed)
        return (
            _("unknown field “%(name)s” (allowed: %(allowed)s).")
            % {"name": unknown[0] if unknown else "?", "allowed": ", ".join(sorted(allowed))},
            None,
        )
    if kind == "type":
        return _("must be %(type)s.") % {"type": FIELD_TYPES.get(expected, lambda: expected)()}, None
    if kind == "enum":
        shown = ", ".join("null" if v is None else str(v) for v in expected)
        return _("“%(value)s” is not allowed; choose one of: %(choices)s.") % {"value": instance, "choices": shown}, None
    if kind == "const":
        return _("must be %(value)s.") % {"value": expected}, None
    if kind == "minimum":
        return _("must be at least %(min)s.") % {"min": expected}, None
    if kind == "maximum":
        return _("must be at most %(max)s.") % {"max": expected}, None
    if kind == "minLength":
        return _("must not be empty."), None
    if kind == "maxLength":
        return _("is too long (at most %(max)d characters).") % {"max": expected}, None
    if kind in ("minItems", "minProperties"):
        return _("must not be empty."), None
    if kind == "maxItems":
        return _("has too many entries (at most %(max)d).") % {"max": expected}, None
    if kind == "uniqueItems":
        return _("lists the same entry twice."), None
    if kind == "pattern":
        return _("“%(value)s” is not a valid key: lower-case letters, digits and dashes.") % {"value": instance}, None
    return error.message, None


def _locate(data: dict, path: list) -> tuple[str | None, str | None]:
    """(step, field) of a path such as ['steps', 3, 'duration', 'max']."""
    step = None
    rest = list(path)
    if len(rest) >= 2 and rest[0] == "steps" and isinstance(rest[1], int):
        index = rest[1]
        steps = data.get("steps")
        candidate = steps[index] if isinstance(steps, list) and index < len(steps) else None
        key = candidate.get("key") if isinstance(candidate, dict) else None
        step = key if isinstance(key, str) and key else _("no. %(position)d") % {"position": index + 1}
        rest = rest[2:]
    field = ".".join(str(part) for part in rest) or None
    return step, field


def _issue_from_schema_error(filename: str, data: dict, error: jsonschema.ValidationError) -> SpecIssue:
    reason, sub_field = _reason(error)
    path = list(error.absolute_path)
    if sub_field:
        path.append(sub_field)
    step, field_name = _locate(data, path)
    return SpecIssue(filename, step, field_name, reason)


def _semantic_issues(filename: str, data: dict, *, strict: bool) -> Iterable[SpecIssue]:
    """What JSON Schema cannot say: cross-field rules."""
    for group in ("participants", "tables"):
        bounds = data.get(group)
        if bounds and bounds["min"] > bounds["max"]:
            yield SpecIssue(filename, None, f"{group}.min", _("must not exceed %(field)s (%(value)d).") % {"field": f"{group}.max", "value": bounds["max"]})

    yield from _single_line_issues(filename, None, "title", data["title"])
    for role_key, role in data["roles"].items():
        yield from _single_line_issues(filename, None, f"roles.{role_key}.name", role["name"])
    roles = set(data["roles"])
    seen: set[str] = set()
    for step in data["steps"]:
        key = step["key"]
        yield from _single_line_issues(filename, key, "title", step["title"])
        if key in seen:
            yield SpecIssue(filename, key, "key", _("two steps have this key; each key must be unique."))
        seen.add(key)
        phase = step.get("phase", "session")
        duration = step.get("duration")
        if phase == "session" and duration is None:
            yield SpecIssue(filename, key, "duration", _("a step during the session needs a duration."))
        if duration:
            yield from _duration_issues(filename, key, duration)
        for role in step.get("actors", []):
            if role not in roles:
                yield SpecIssue(filename, key, "actors", _("role “%(role)s” is not defined under “roles”.") % {"role": role})
        for role in step.get("instructions", {}):
            if role not in roles:
                yield SpecIssue(filename, key, f"instructions.{role}", _("role “%(role)s” is not defined under “roles”.") % {"role": role})
        if step.get("scope") == "table" and "tables" not in data:
            yield SpecIssue(filename, key, "scope", _("a step per table needs the table size (“tables: {min, max}”)."))
    yield from _bringer_issues(filename, data)
    if not any(step.get("phase", "session") == "session" for step in data["steps"]):
        yield SpecIssue(filename, None, "steps", _("at least one step must take place during the session."))

    if strict:
        yield from _language_issues(filename, data)


def _bringer_issues(filename: str, data: dict) -> Iterable[SpecIssue]:
    """The rules of the field ``bringer`` (see BRINGERS) and of the steps that depend on it:
    an offerer role exactly when someone brings a situation; a step that chooses them before
    any other step the offerer acts in; writing problems before any vote on them; the
    "situations" activity only where the facilitator picks the bringer; a facilitator's turn
    only in a share round they take part in."""
    bringer = declared_bringer(data)
    has_offerer = "offerer" in data["roles"]
    if bringer == "none" and has_offerer:
        yield SpecIssue(filename, None, "bringer", _("“none”: nobody brings a situation, so there is no role “offerer”; remove it or choose how it is chosen."))
    if bringer != "none" and not has_offerer:
        yield SpecIssue(filename, None, "bringer", _("“%(bringer)s” chooses the person who brings a situation: define the role “offerer”.") % {"bringer": bringer})
    session_steps = [step for step in data["steps"] if step.get("phase", "session") != "before"]
    choosing = CHOOSING_ACTIVITIES.get(bringer, ())
    chosen = False
    written = False
    for step in session_steps:
        key, activity = step["key"], step["activity"]
        if activity == "vote" and not written:
            yield SpecIssue(filename, key, "activity", _("a vote needs the problems written first: put a step “problem_write” or “pitch” before it."))
        if activity in ("problem_write", "pitch", "situations"):
            written = True
        if activity == "situations" and bringer not in ("volunteers", "raised"):
            yield SpecIssue(filename, key, "activity", _("the facilitator picks the person who brings the situation only with “bringer: volunteers” or “bringer: raised”."))
        if activity in choosing:
            chosen = True
        elif bringer != "none" and "offerer" in step.get("actors", []) and not chosen:
            yield SpecIssue(
                filename, key, "actors",
                _("the person who brings the situation acts here before being chosen: put a step “%(activity)s” before it.") % {"activity": choosing[0]},
            )
            chosen = True  # one report is enough
        turn = step.get("facilitator_turn", "none")
        if turn != "none" and (activity != "share_round" or "facilitator" not in step.get("actors", [])):
            yield SpecIssue(filename, key, "facilitator_turn", _("only a share round whose actors include the facilitator gives them a turn."))


def _single_line_issues(filename: str, step: str | None, field_name: str, text: Any) -> Iterable[SpecIssue]:
    """A title or a name prints on posters, page footers and calendar files: one line, without
    control characters (``core.text``'s rule and message), in every language it is given in."""
    values = text.items() if isinstance(text, Mapping) else [(None, text)]
    for language, value in values:
        if isinstance(value, str) and has_control_characters(value):
            where = f"{field_name}.{language}" if language else field_name
            yield SpecIssue(filename, step, where, single_line_message())


def _duration_issues(filename: str, key: str, duration: dict) -> Iterable[SpecIssue]:
    per_person = duration.get("per_person")
    if per_person is not None:
        for name in ("minutes", "min", "max"):
            if name in duration:
                yield SpecIssue(filename, key, f"duration.{name}", _("a duration per person cannot also have “%(name)s”.") % {"name": name})
        return
    if "persons" in duration:
        yield SpecIssue(filename, key, "duration.persons", _("only a duration per person counts persons."))
    if "minutes" not in duration:
        yield SpecIssue(filename, key, "duration.minutes", _("this field is required (or “per_person”)."))
        return
    minutes = duration["minutes"]
    if duration.get("min", minutes) > minutes:
        yield SpecIssue(filename, key, "duration.min", _("must not exceed duration.minutes (%(value)d).") % {"value": minutes})
    if duration.get("max", minutes) < minutes:
        yield SpecIssue(filename, key, "duration.max", _("must be at least duration.minutes (%(value)d).") % {"value": minutes})


def _language_issues(filename: str, data: dict) -> Iterable[SpecIssue]:
    def missing(value: Any) -> list[str]:
        present = set(value) if isinstance(value, Mapping) else {"fr"}
        return [language for language in LANGUAGES if language not in present]

    def report(step: str | None, field_name: str, value: Any) -> Iterable[SpecIssue]:
        absent = missing(value)
        if absent:
            yield SpecIssue(filename, step, field_name, _("missing translation: %(languages)s.") % {"languages": ", ".join(absent)})

    for name in ("title", "summary"):
        if name in data:
            yield from report(None, name, data[name])
    for role, value in data["roles"].items():
        yield from report(None, f"roles.{role}.name", value["name"])
        yield from report(None, f"roles.{role}.card", value["card"])
    for step in data["steps"]:
        yield from report(step["key"], "title", step["title"])
        if "purpose" in step:
            yield from report(step["key"], "purpose", step["purpose"])
        for role, value in step.get("instructions", {}).items():
            yield from report(step["key"], f"instructions.{role}", value)
