"""One rule for every write (issue 13, DESIGN.md "Architecture").

Every state change of the domain goes through :func:`write`:

1. the actor is asked for permission through ``core.access`` (``PermissionDenied`` / ``Http404``
   as ``access.require`` raises them: 404 when the actor may not even see the object);
2. the row it changes is locked (``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite serialises
   writers anyway);
3. the change is applied inside one transaction;
4. one :class:`~entraide.core.models.ActionLogEntry` records who, which verb, which object,
   when, never content;
5. mail and signals are sent only once the transaction has committed (:meth:`Write.on_commit`).

A refusal is a :class:`DomainError`: a stable ``code`` for the API, a translated ``message``
for people, and the form ``field`` it concerns (or ``None``). Each door maps it once:
``web.errors`` (form errors / messages), the API (``{code, detail}`` with a 400), the
websocket (an ``error`` frame).

    with actions.write(user, "grants.manage", grant, "grant.decided", lock=grant) as w:
        w.obj.amount_granted = amount
        w.obj.save(update_fields=["amount_granted"])
        w.on_commit(lambda: mail.send_decision(w.obj))
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import models, transaction

from . import access
from .errors import DomainError  # noqa: F401  (the one refusal type; defined without models)
from .models import ActionLogEntry, Organisation


def organisation_of(obj, depth: int = 4) -> Organisation | None:
    """The organisation that owns ``obj``: itself, ``.organisation``, or found through its
    foreign keys (``.group.organisation``, ``.programme.organisation``,
    ``.questionnaire.programme.organisation``...), at most ``depth`` links away; ``None`` for
    what belongs to no organisation (a built-in protocol, say)."""
    if obj is None or isinstance(obj, Organisation):
        return obj
    if depth <= 0:
        return None
    value = getattr(obj, "organisation", None)
    if isinstance(value, Organisation):
        return value
    for path in ("event", "group", "session", "live_session", "plan"):
        value = getattr(obj, path, None)
        if value is not None:
            found = organisation_of(value, depth - 1)
            if found is not None:
                return found
    if isinstance(obj, models.Model):
        for model_field in obj._meta.concrete_fields:
            if model_field.is_relation and model_field.many_to_one and model_field.name != "organisation":
                value = getattr(obj, model_field.name, None)
                found = organisation_of(value, depth - 1) if isinstance(value, models.Model) else None
                if found is not None:
                    return found
    return None


@dataclass
class Write:
    """What the block of :func:`write` works on: ``obj`` (the locked row, or the object passed
    in; set it to the created object in a create), and the callbacks to run on commit."""

    obj: object = None
    subject: object = None
    verb: str = ""
    changed: bool = True
    _after: list[Callable[[], None]] = field(default_factory=list)

    def on_commit(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` (mail, signals) only once the transaction has committed."""
        self._after.append(callback)

    def unchanged(self) -> None:
        """Nothing was changed after all (an idempotent repeat: the same form posted twice):
        no action-log row, and the ``on_commit`` callbacks are dropped."""
        self.changed = False


def _lock(obj):
    model = obj._meta.model  # not type(obj): request.user is a lazy proxy
    manager = getattr(model, "everywhere", None) or model._base_manager
    return manager.select_for_update().get(pk=obj.pk)


def log(actor, verb: str, obj, *, subject=None, organisation=None) -> ActionLogEntry:
    """Record one action-log row (who, verb, object, when): for writes that cannot use
    :func:`write` as a block (bulk sweeps). Must run inside the write's transaction."""
    if organisation is None:
        organisation = organisation_of(obj)
    user = actor if getattr(actor, "is_authenticated", False) else None
    return ActionLogEntry.everywhere.create(
        organisation=organisation,
        actor=user,
        subject=subject if getattr(subject, "pk", None) else None,
        verb=verb,
        object_type=obj._meta.label_lower if isinstance(obj, models.Model) else type(obj).__name__.lower(),
        object_id=str(getattr(obj, "pk", "") or ""),
    )


@contextmanager
def write(actor, permission: str | None, obj, verb: str, *, lock=None, subject=None, organisation=None) -> Iterator[Write]:
    """Apply one domain write under the rule above.

    ``permission``: a ``core.access`` rule name checked on ``obj`` (``None`` only when the
    caller has already checked a rule that needs more than the object, and says so).
    ``lock``: a saved model instance to lock and hand to the block as ``w.obj`` (reloaded).
    ``subject``: the person whose own record this is (they see the entry in their log); the
    block may set ``w.subject``, ``w.obj`` and ``w.verb`` once it knows them, or call
    ``w.unchanged()`` when it changed nothing (no log row, no side effects).
    Raises ``PermissionDenied`` / ``Http404`` (from ``access.require``) or ``DomainError``
    (from the block); in both cases nothing is saved, logged or sent.
    """
    if permission is not None:
        access.require(actor, permission, obj)
    done = Write(obj=obj, subject=subject, verb=verb)
    with transaction.atomic():
        if lock is not None:
            done.obj = _lock(lock)
        yield done
        if done.changed:
            # The block may name the object it created (``w.obj``) or refine the verb
            # (``w.verb``: "membership.created" rather than "membership.set").
            log(actor, done.verb, done.obj, subject=done.subject, organisation=organisation or organisation_of(done.obj))
            for callback in done._after:
                transaction.on_commit(callback)


def organisation_log(organisation: Organisation) -> models.QuerySet:
    """Every entry of the organisation's log, newest first, actor and subject joined (for its
    coordinators' "Journal": paginate it)."""
    return ActionLogEntry.everywhere.filter(organisation=organisation).select_related("actor", "subject")


def personal_log(user) -> models.QuerySet:
    """Every entry about ``user``'s own records, newest first, every organisation (their "Ce qui
    a été fait à mes données"); none for an anonymous user."""
    if not getattr(user, "pk", None):
        return ActionLogEntry.everywhere.none()
    return ActionLogEntry.everywhere.filter(subject=user).select_related("actor", "organisation")


def entries_for_organisation(organisation: Organisation, limit: int = 200) -> list[ActionLogEntry]:
    """The organisation's log, newest first (for its coordinators)."""
    return list(organisation_log(organisation)[:limit])


def entries_about(user, limit: int = 200) -> list[ActionLogEntry]:
    """What was done to ``user``'s own records, newest first, every organisation."""
    return list(personal_log(user)[:limit])
