"""Reads of sensitive content are logged, and the person concerned sees them (issue 14, point 5:
"Reads of sensitive content (records, shared plans, requests, receipts, evaluation free text)
are logged; the person concerned sees who read what and when"; DESIGN.md).

Each function is called once by the view that shows the content, after it checked the reader
may see it. A read by the owner themself is not logged (nothing to tell them). The entry is a
plain action-log row (``core.actions.log``: who, verb, object, when, never content) whose
``subject`` is the owner, so it appears in their "Ce qui a été fait à mes données"
(``/o/<org>/mon-espace/journal/``). Receipts are logged by ``grants.domain.receipts.open_receipt``
(``grant.receipt_read``).
"""

from django.db import transaction

from entraide.core.actions import log
from entraide.core.tenancy import all_tenants


def _reader_id(reader) -> int | None:
    return reader.pk if getattr(reader, "is_authenticated", False) else None


def logged_read(reader, verb: str, obj, owner) -> bool:
    """Log that ``reader`` opened ``obj`` (``verb``, e.g. ``"plan.read"``) belonging to
    ``owner`` (an account, or ``None`` when its authors are anonymous: the row then only shows
    in the organisation's journal). Not logged when ``reader`` is ``owner``. True when a row
    was written. One insert."""
    owner_id = getattr(owner, "pk", None)
    if owner_id is not None and owner_id == _reader_id(reader):
        return False
    with transaction.atomic():
        log(reader, verb, obj, subject=owner)
    return True


def session_record_read(reader, group_session) -> int:
    """``reader`` opened the shared record of ``group_session``: one ``session_record.read``
    row per offerer with an account whose situation the record holds (the record is their
    condensed words), the reader's own seat excepted. Returns the number of rows written."""
    from entraide.live.models import LiveTable

    with all_tenants():
        owners = {
            table.offerer.user
            for table in LiveTable.objects.filter(session_id=group_session.live_session_id, offerer__user__isnull=False)
            .select_related("offerer__user")
        }
    return sum(logged_read(reader, "session_record.read", group_session, owner) for owner in owners)


def plan_read(reader, plan) -> bool:
    """``reader`` opened ``plan`` (shared with their group): ``plan.read`` for its author."""
    return logged_read(reader, "plan.read", plan, plan.author)


def supervision_request_read(reader, supervision_request) -> bool:
    """``reader`` opened a supervision request: ``supervision_request.read`` for its raiser."""
    return logged_read(reader, "supervision_request.read", supervision_request, supervision_request.raised_by)


def evaluation_texts_read(reader, questionnaire) -> bool:
    """``reader`` read the free texts of ``questionnaire``'s answers: ``evaluation.read``. The
    answers are anonymous (no account behind them), so the row has no subject and shows in the
    organisation's journal only."""
    return logged_read(reader, "evaluation.read", questionnaire, None)
