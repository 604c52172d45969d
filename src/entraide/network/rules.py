"""Who may do what in the network's services (checked through ``core.access`` like every rule).

Field document 000, "Procédure": only the network's members introduce these requests. A
commissioner pays for a programme and takes no part in it: refused at every door (403 in their
organisation, like any member-only page; 404 elsewhere, leaking nothing).

Anonymity of a supervision request (decided here, from the field document): the network
"proposera à tous les membres qui se sentent concernés ... de participer", so those who
organise the collective supervision (the coordinators) must know who raised it, to invite them
and to seat them as the person who brings it; the other members see no name when the request
is anonymous. The words of the members concerned are for the coordinators and the raiser.
"""

import rules

from entraide.core import access
from entraide.core.access import is_commissioner_of, is_coordinator_of, is_member_of


def _user_id(user) -> int | None:
    return user.pk if user is not None and getattr(user, "is_authenticated", False) else None


takes_part = is_member_of & ~is_commissioner_of


@rules.predicate
def is_raiser(user, request) -> bool:
    """obj: a supervision request. The member who raised it."""
    return request is not None and _user_id(user) == request.raised_by_id


@rules.predicate
def is_not_closed(user, request) -> bool:
    return request is not None and request.status != "closed"


@rules.predicate
def is_named(user, request) -> bool:
    return request is not None and not request.anonymous


@rules.predicate
def is_mentee(user, mentoring) -> bool:
    """obj: a mentoring request. The member who asked."""
    return mentoring is not None and _user_id(user) == mentoring.member_id


@rules.predicate
def is_matched_mentor(user, mentoring) -> bool:
    """obj: a mentoring request. The mentor it is matched with (the match not ended)."""
    if mentoring is None or _user_id(user) is None:
        return False
    # No match yet: the reverse one-to-one raises (an AttributeError), hence getattr's default.
    match = getattr(mentoring, "match", None)
    return match is not None and match.ended_at is None and match.mentor.member_id == user.pk


# obj: the organisation. Every network page: its members, not its commissioners.
rules.add_perm("network.take_part", takes_part)
rules.add_perm("network.coordinate", is_coordinator_of)
# obj: a supervision request. Members read the requests still open (the raiser and the
# coordinators also the closed ones); raising, concern and registration are members' acts.
rules.add_perm("network.view_request", takes_part & (is_not_closed | is_raiser | is_coordinator_of))
rules.add_perm("network.see_raiser", takes_part & (is_named | is_raiser | is_coordinator_of))
rules.add_perm("network.see_concerns", takes_part & (is_raiser | is_coordinator_of))
rules.add_perm("network.be_concerned", takes_part & is_not_closed & ~is_raiser)
rules.add_perm("network.withdraw_request", takes_part & is_not_closed & (is_raiser | is_coordinator_of))
rules.add_perm("network.propose_supervision", is_coordinator_of & is_not_closed)
# obj: a collective supervision (its organisation): set its PAF and speaker.
rules.add_perm("network.manage_supervision", is_coordinator_of)
# obj: a mentoring request.
rules.add_perm("network.view_mentoring", takes_part & (is_mentee | is_matched_mentor | is_coordinator_of))
rules.add_perm("network.match_mentoring", takes_part & (is_mentee | is_coordinator_of))
rules.add_perm("network.record_meeting", takes_part & (is_mentee | is_matched_mentor))

# 403 for who may see the organisation (a commissioner, a member refused an act), 404 for
# everyone else: the same map as core.access's own rules.
access.VIEW_PERMISSION.update({
    "network.take_part": "core.view_organisation",
    "network.coordinate": "core.view_organisation",
    "network.view_request": "core.view_organisation",
    "network.see_raiser": "core.view_organisation",
    "network.see_concerns": "core.view_organisation",
    "network.be_concerned": "core.view_organisation",
    "network.withdraw_request": "core.view_organisation",
    "network.propose_supervision": "core.view_organisation",
    "network.manage_supervision": "core.view_organisation",
    "network.view_mentoring": "core.view_organisation",
    "network.match_mentoring": "core.view_organisation",
    "network.record_meeting": "core.view_organisation",
})
