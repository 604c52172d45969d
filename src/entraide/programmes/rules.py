"""Who may do what with commissioned programmes (issue 14; DESIGN.md, confidentiality model).

- Coordinators of the network manage programmes, meetings and questionnaires.
- The intervenant (a facilitator of one of the programme's groups) writes the meetings'
  minutes, sets up questionnaires, and reads a free-text answer only if its author agreed.
- The commissioner's representatives (role commissioner in the organisation, named on the
  programme) see the programme, its meetings' dates and minutes and the reports built from
  aggregates withheld below k; never session content, never free text.

Objects: ``programmes.list_programmes`` takes the organisation; the others a Programme.
"""

import rules

from entraide.core import access
from entraide.core.models import Role


def _programme_org(programme) -> int | None:
    return getattr(programme, "organisation_id", None)


@rules.predicate
def is_programme_coordinator(user, programme) -> bool:
    return programme is not None and access.role_in(user, _programme_org(programme)) == Role.COORDINATOR


@rules.predicate
def is_programme_intervenant(user, programme) -> bool:
    """A facilitator of one of the programme's groups, still in the organisation (not as a
    commissioner). One query per programme."""
    from .models import Programme

    if not isinstance(programme, Programme) or user is None or not user.is_authenticated:
        return False
    if access.role_in(user, programme.organisation_id) in (None, Role.COMMISSIONER):
        return False
    return programme.groups.filter(facilitators=user).exists()


@rules.predicate
def is_programme_representative(user, programme) -> bool:
    """A commissioner of the organisation named among the programme's representatives."""
    from .models import Programme

    if not isinstance(programme, Programme) or user is None or not user.is_authenticated:
        return False
    if access.role_in(user, programme.organisation_id) != Role.COMMISSIONER:
        return False
    return programme.representatives.filter(pk=user.pk).exists()


# obj: the organisation. The list of programmes (each filtered by view_programme).
rules.add_perm("programmes.list_programmes", access.is_facilitator_of | access.is_commissioner_of)
# obj: the organisation or a programme.
rules.add_perm("programmes.manage_programmes", access.is_coordinator_of)
rules.add_perm(
    "programmes.view_programme", is_programme_coordinator | is_programme_intervenant | is_programme_representative
)
rules.add_perm("programmes.write_minutes", is_programme_intervenant)
rules.add_perm("programmes.manage_questionnaires", is_programme_coordinator | is_programme_intervenant)
rules.add_perm("programmes.view_report", is_programme_coordinator | is_programme_intervenant | is_programme_representative)
# The provider's documents (methodological note, planning prévisionnel): the provider's side.
rules.add_perm("programmes.edit_provider_documents", is_programme_coordinator | is_programme_intervenant)
# Free text whose author agreed: the intervenant only.
rules.add_perm("programmes.read_consented_text", is_programme_intervenant)

# A refusal on something the user may not even see is a 404 (access.require).
access.VIEW_PERMISSION.update(
    {
        "programmes.list_programmes": "core.view_organisation",
        "programmes.manage_programmes": "programmes.view_programme",
        "programmes.write_minutes": "programmes.view_programme",
        "programmes.manage_questionnaires": "programmes.view_programme",
        "programmes.view_report": "programmes.view_programme",
        "programmes.read_consented_text": "programmes.view_programme",
        "programmes.edit_provider_documents": "programmes.view_programme",
    }
)
