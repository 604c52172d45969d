"""The debrief of a brouillon d'atelier (field document 000: "chaque atelier est suivi d'un
débriefing destiné à évaluer la séance"; activity ``debrief`` of brouillon-atelier.yaml).

Each peer answers the facilitating member's feedback questions once: what worked, what to
change, and a rating from 1 to 5 per criterion. The facilitating member chooses, before or at the
debrief, whether the answers are named or anonymous; the choice is fixed by the first answer.
Anonymous answers store no author and no time (``models.DebriefAnswer``): nothing can show who
wrote what. The member reads the answers after the session in "Mon espace"
(``answers_for``, behind ``live.read_debrief``); coordinators see only how many answered
(``answer_count``). Texts are charged to the write quota (``commands.clean_text``).
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from entraide.core.tenancy import all_tenants

from ...models import DebriefAnswer, DebriefResponse, DebriefSetup, LiveRole, LiveSession, Participant
from ..commands import LIMITS, CommandRefused, Context, Text, clean_text, command

ACTIVITY = "debrief"
RATING_MIN = 1
RATING_MAX = 5
TEXT_MAX = 1000  # characters of each of the two answers ("worked", "change")
LIMITS.setdefault("debrief", TEXT_MAX)

# The criteria a trial workshop is rated on, when the protocol names none: what field document
# 000 says a brouillon tests ("une nouvelle proposition, une nouvelle pratique") and how it ran.
DEFAULT_CRITERIA = (
    ("proposal", gettext_lazy("Interest of the proposal")),
    ("instructions", gettext_lazy("Clarity of the instructions")),
    ("pace", gettext_lazy("Pace and length")),
    ("facilitation", gettext_lazy("Facilitation and atmosphere")),
)


def criteria_of(session: LiveSession) -> list[dict]:
    """[{"key", "label"}] rated at this session's debrief: the setup's copy once it exists, else
    the protocol's ``debrief_criteria`` (a list of {key, label: {fr, de, en}}) if it has one, else
    ``DEFAULT_CRITERIA``. Stored labels of the defaults are empty: ``labelled`` gives them in the
    reader's language."""
    setup = DebriefSetup.objects.filter(session=session).first()
    if setup is not None and setup.criteria:
        return list(setup.criteria)
    declared = (session.protocol_version.spec.data or {}).get("debrief_criteria") or []
    found = []
    for item in declared:
        if isinstance(item, dict) and isinstance(item.get("key"), str):
            label = item.get("label")
            found.append({"key": item["key"], "label": str(label.get("fr", item["key"])) if isinstance(label, dict) else str(label or item["key"])})
    return found or [{"key": key, "label": ""} for key, _label in DEFAULT_CRITERIA]


def labelled(criteria: list[dict]) -> list[dict]:
    """The criteria with their labels in the current language (defaults translated now)."""
    defaults = dict(DEFAULT_CRITERIA)
    return [{"key": item["key"], "label": item.get("label") or str(defaults.get(item["key"], item["key"]))} for item in criteria]


def _facilitator(session: LiveSession) -> Participant | None:
    return Participant.objects.filter(session=session, role=LiveRole.FACILITATOR, removed_at__isnull=True).order_by("pk").first()


def _setup(context: Context) -> DebriefSetup:
    """The session's debrief setup, created on first need with the current facilitator's seat
    (and account) as its owner and the criteria copied."""
    setup = DebriefSetup.objects.filter(session=context.session).first()
    if setup is None:
        owner = _facilitator(context.session)
        setup = DebriefSetup.objects.create(
            session=context.session, owner=owner, owner_user_id=owner.user_id if owner else None, criteria=criteria_of(context.session)
        )
    return setup


def has_debrief(session: LiveSession) -> bool:
    """Whether this session's protocol has a debrief step."""
    return any(step.activity == ACTIVITY for step in session.protocol_version.spec.steps)


def with_debrief(session: LiveSession, actor: Participant, step) -> CommandRefused | None:
    """The protocol rule of ``debrief_mode`` (commands.refusal): the protocol has a debrief."""
    return None if has_debrief(session) else CommandRefused("no_debrief", _("This protocol has no debrief."))


@command("debrief_mode", roles={LiveRole.FACILITATOR}, when=(LiveSession.Status.OPEN, LiveSession.Status.RUNNING), allowed=with_debrief)
def debrief_mode(context: Context, anonymous: bool) -> None:
    """The facilitating member chooses named (``anonymous`` false) or anonymous answers, at any
    step before the first answer. Refused: a protocol without a debrief, a choice after answers."""
    value = anonymous
    setup = _setup(context)
    if DebriefAnswer.objects.filter(session=context.session).exists():
        raise CommandRefused("debrief_started", _("The first answers are in: whether they are named or anonymous can no longer change."))
    setup.anonymous = value
    setup.save(update_fields=["anonymous"])


@dataclass(frozen=True)
class DebriefArgs:
    worked: str
    change: str
    ratings: dict[str, int]


def parse_answer(context: Context, worked, change, ratings, criteria: list[dict]) -> DebriefArgs:
    """The answer's parts, checked: at least one of the texts written (each at most
    ``TEXT_MAX`` characters, charged to the quota), ratings a mapping of known criterion keys to
    whole numbers 1..5 (unrated criteria may be left out). Raises ``CommandRefused``."""
    if ratings in (None, ""):
        ratings = {}
    if not isinstance(ratings, dict):
        raise CommandRefused("bad_args", _("This command's data is malformed."))
    keys = {item["key"] for item in criteria}
    cleaned: dict[str, int] = {}
    for key, raw in ratings.items():
        if key not in keys:
            raise CommandRefused("bad_args", _("This command's data is malformed."))
        if raw in (None, ""):
            continue
        try:
            value = int(raw)
        except (TypeError, ValueError):
            value = None
        if value is None or isinstance(raw, bool) or not RATING_MIN <= value <= RATING_MAX or str(raw).strip() not in (str(value),):
            raise CommandRefused("bad_rating", _("Give each rating as a whole number from %(min)d to %(max)d.") % {"min": RATING_MIN, "max": RATING_MAX})
        cleaned[key] = value
    texts = []
    for value in (worked, change):
        if value in (None, "") or (isinstance(value, str) and not value.strip()):
            texts.append("")
        else:
            texts.append(clean_text(context, value, "debrief"))
    if not any(texts) and not cleaned:
        raise CommandRefused("empty_text", _("Write what worked or what to change, or give a rating."))
    return DebriefArgs(texts[0], texts[1], cleaned)


@command("answer_debrief", roles={LiveRole.CONTRIBUTOR, LiveRole.OFFERER}, activities={ACTIVITY})
def answer_debrief(context: Context, worked: Text | None = None, change: Text | None = None, ratings: dict | None = None) -> None:
    """One peer's feedback, once (a second answer is refused). Stored named or anonymous as the
    facilitating member chose (see the module docstring)."""
    session, actor = context.session, context.actor
    setup = _setup(context)
    if DebriefResponse.objects.filter(session=session, participant=actor).exists():
        raise CommandRefused("already", _("You have already answered the debrief. Thank you!"))
    answer = parse_answer(context, worked, change, ratings, setup.criteria or criteria_of(session))
    DebriefResponse.objects.create(session=session, participant=actor)
    DebriefAnswer.objects.create(
        session=session,
        author=None if setup.anonymous else actor,
        author_name="" if setup.anonymous else actor.display_name,
        worked=answer.worked,
        change=answer.change,
        ratings=answer.ratings,
    )
    context.notice = _("Thank you for your feedback.")


# --- What each viewer sees -------------------------------------------------------------------


def view(session: LiveSession, viewer: Participant, activity: str | None) -> dict | None:
    """The debrief part of ``viewer``'s state: None for a protocol without a debrief. Peers see
    the questions, the criteria and whether they answered; the facilitator the mode and how many
    answered. Nobody sees the answers during the session (the member reads them in Mon espace)."""
    if not has_debrief(session):
        return None
    with all_tenants():
        setup = DebriefSetup.objects.filter(session=session).first()
        answered = DebriefResponse.objects.filter(session=session).count()
        mine = DebriefResponse.objects.filter(session=session, participant=viewer).exists()
        return {
            "active": activity == ACTIVITY,
            "anonymous": setup.anonymous if setup else True,
            "mode_fixed": answered > 0,
            "criteria": labelled(setup.criteria if setup and setup.criteria else criteria_of(session)),
            "answered": answered,
            "answered_by_me": mine,
            "rating_range": list(range(RATING_MIN, RATING_MAX + 1)),
            "max": TEXT_MAX,
        }


@dataclass
class ReadAnswer:
    author: str  # "" when anonymous
    worked: str
    change: str
    ratings: list[tuple[str, int]]  # (criterion label, rating)


@dataclass
class ReadDebrief:
    setup: DebriefSetup
    anonymous: bool
    answers: list[ReadAnswer]
    averages: list[tuple[str, float, int]]  # (criterion label, mean, number of ratings)


def answers_for(setup: DebriefSetup, user) -> ReadDebrief:
    """The answers of a debrief, for its owner only (``live.read_debrief``: raises 404/403
    otherwise). Anonymous answers come without any author, in an order that is not the order
    they were written (sorted by their text); named ones by their author's name."""
    from entraide.core import access

    access.require(user, "live.read_debrief", setup)
    with all_tenants():
        rows = list(DebriefAnswer.objects.filter(session_id=setup.session_id))
    criteria = labelled(setup.criteria)
    labels = {item["key"]: item["label"] for item in criteria}
    rows.sort(key=lambda row: (row.worked, row.change) if setup.anonymous else (row.author_name.casefold(), row.worked))
    answers = [
        ReadAnswer("" if setup.anonymous else row.author_name, row.worked, row.change, [(labels.get(k, k), v) for k, v in row.ratings.items()])
        for row in rows
    ]
    averages = []
    for item in criteria:
        values = [row.ratings[item["key"]] for row in rows if item["key"] in row.ratings]
        if values:
            averages.append((item["label"], round(sum(values) / len(values), 1), len(values)))
    return ReadDebrief(setup, setup.anonymous, answers, averages)


def answer_count(live_session_id: int) -> int:
    """How many peers answered a session's debrief: what coordinators may know of it."""
    with all_tenants():
        return DebriefResponse.objects.filter(session_id=live_session_id).count()


def debriefs_of(user, live_session_ids) -> dict[int, DebriefSetup]:
    """{live session id: setup} of the debriefs among ``live_session_ids`` that this account owns."""
    with all_tenants():
        return {
            setup.session_id: setup
            for setup in DebriefSetup.objects.filter(session_id__in=list(live_session_ids), owner_user=user).select_related("session")
        }
