"""Exchanging contact details at the networking step (field document 002, atelier pratique:
"L'apéritif qui suit est l'occasion de réseauter, de nouer de nouveaux contacts et de former des
communautés apprenantes pour l'avenir"; issue 12: "a participant may offer their contact
details to chosen people, shared only when both agree; nothing is shared by default").

A participant types their details once (free single-line text: an email address, a phone
number; ``ContactCard``, encrypted at rest), then offers them to chosen people of the session
(``ContactOffer``). The details of A reach B only when A offered to B *and* B offered to A;
until then nobody learns of an offer, not even its recipient. Either may withdraw an offer (or
erase their details, which withdraws every offer) while the session runs. The details live only
in the two people's personal parts of the view model (``parts.contacts``, personal): never in
what the room, the projector or the facilitator sees.

Where: at the protocol's closing step, the last step of the session (the atelier pratique's
apéritif), in every protocol.
"""

from django.utils.translation import gettext as _

from entraide.core.tenancy import all_tenants
from entraide.core.text import has_control_characters, single_line_message

from ...models import ContactCard, ContactOffer, LiveSession, Participant
from ..commands import LIMITS, PARTICIPANTS, SESSION, CommandRefused, Context, Id, Text, clean_id, clean_text, command
from ..parts import PartContext, part

CONTACT_MAX = 120  # an address or a phone number, with a name or a word around it
LIMITS.setdefault("contact", CONTACT_MAX)


def closing_step_index(session: LiveSession) -> int:
    """Index (in ``live_steps``) of the protocol's closing step: its last step during the
    session (the steps after the session are listed after those)."""
    return len(session.protocol_version.spec.timed_steps) - 1


def is_networking_step(session: LiveSession, step) -> bool:
    """Whether ``step`` (a LiveStep, or None) is where contacts are exchanged: the closing step."""
    return step is not None and step.index == closing_step_index(session)


def at_networking_step(session: LiveSession, actor: Participant, step) -> CommandRefused | None:
    """The protocol rule of every contacts command (commands.refusal): the session is at its
    closing step."""
    if is_networking_step(session, step):
        return None
    return CommandRefused("wrong_step", _("Contact details are exchanged at the closing step of the session."))


def _other_person(context: Context, participant_id) -> Participant:
    """Another participant (not the facilitator) still in the session, or CommandRefused."""
    found = (
        Participant.objects.filter(session=context.session, removed_at__isnull=True, role__in=PARTICIPANTS, pk=clean_id(participant_id))
        .exclude(pk=context.actor.pk).first()
    )
    if found is None:
        raise CommandRefused("no_participant", _("This person is not in the session."))
    return found


@command("write_contact_details", roles=PARTICIPANTS, scope=SESSION, allowed=at_networking_step)
def write_contact_details(context: Context, text: Text) -> None:
    """Save (or replace) the actor's contact details: one line, at most CONTACT_MAX characters,
    charged to the write quota. Refused with "bad_text" on a line break or another control
    character, "empty_text" / "too_long" otherwise (commands.clean_text)."""
    if isinstance(text, str) and has_control_characters(text.strip()):
        raise CommandRefused("bad_text", single_line_message())
    details = clean_text(context, text, "contact")
    ContactCard.objects.update_or_create(
        participant=context.actor, defaults={"session": context.session, "details": details, "updated_at": context.now}
    )
    context.notice = _("Your contact details are saved. Nobody sees them until you both choose each other.")


@command("offer_contact", roles=PARTICIPANTS, scope=SESSION, allowed=at_networking_step)
def offer_contact(context: Context, participant: Id) -> None:
    """Offer the actor's details to ``participant`` (another participant of the session, not
    the facilitator). Offering twice changes nothing. Refused with "no_details" before the
    actor wrote their details, "no_participant" for oneself, the facilitator or a stranger."""
    if not ContactCard.objects.filter(participant=context.actor).exists():
        raise CommandRefused("no_details", _("Write your contact details first."))
    other = _other_person(context, participant)
    ContactOffer.objects.get_or_create(session=context.session, offerer=context.actor, recipient=other)


@command("withdraw_contact", roles=PARTICIPANTS, scope=SESSION, allowed=at_networking_step)
def withdraw_contact(context: Context, participant: Id) -> None:
    """Withdraw the actor's offer to ``participant``: neither sees the other's details any more.
    Refused with "not_found" when there is no such offer."""
    deleted, _rows = ContactOffer.objects.filter(session=context.session, offerer=context.actor, recipient_id=clean_id(participant)).delete()
    if not deleted:
        raise CommandRefused("not_found", _("This item no longer exists."))


@command("erase_contact_details", roles=PARTICIPANTS, scope=SESSION, allowed=at_networking_step)
def erase_contact_details(context: Context) -> None:
    """Erase the actor's details and withdraw every offer they made."""
    ContactOffer.objects.filter(session=context.session, offerer=context.actor).delete()
    ContactCard.objects.filter(participant=context.actor).delete()


@part("contacts", personal=True)
def contacts_part(context: PartContext) -> dict | None:
    """The viewer's own exchange of contacts, for a participant (never the facilitator): at the
    closing step while the session runs, and after its end (read only) when they have mutual
    exchanges; None elsewhere. Shape: {"open": may change now, "max": CONTACT_MAX,
    "my_details": their own text or "", "people": [{"id", "name", "offered": they offered to
    this person, "details": this person's details when both offered, else None}], "matches":
    the people of "people" with details}. Four queries; never anyone's pending offer."""
    session, viewer = context.session, context.viewer
    if viewer.pk is None or viewer.role not in PARTICIPANTS:
        return None
    ended = session.status == LiveSession.Status.ENDED
    open_now = session.status == LiveSession.Status.RUNNING and is_networking_step(session, context.step)
    if not (open_now or ended):
        return None
    with all_tenants():
        card = ContactCard.objects.filter(participant=viewer).first()
        offered = set(ContactOffer.objects.filter(session=session, offerer=viewer).values_list("recipient_id", flat=True))
        mutual = set(
            ContactOffer.objects.filter(session=session, recipient=viewer, offerer_id__in=offered).values_list("offerer_id", flat=True)
        ) if offered else set()
        details = dict(ContactCard.objects.filter(participant_id__in=mutual).values_list("participant_id", "details")) if mutual else {}
        people = list(
            Participant.objects.filter(session=session, removed_at__isnull=True, role__in=PARTICIPANTS).exclude(pk=viewer.pk)
            .only("pk", "display_name")
        )
    rows = [
        {"id": p.pk, "name": p.display_name, "offered": p.pk in offered, "details": details.get(p.pk)}
        for p in people
    ]
    matches = [row for row in rows if row["details"]]
    if ended and not matches:
        return None
    return {
        "open": open_now,
        "max": CONTACT_MAX,
        "my_details": card.details if card else "",
        "people": rows if open_now else matches,
        "matches": matches,
    }
