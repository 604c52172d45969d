"""The session record (field document 001, "après la séance : documentation").

With everyone's consent (every present participant of the live session agrees; once tables
have worked, every member of a table for that table's part), the offerer's condensed record,
the ideas kept and the action plan are shown to the members of the group on
the date of the session, and to nobody else. A consent withdrawn afterwards withdraws it at
once; given again, it is shared again. Who may see it is decided in ``core.access``
(``followup.view_session_record``); this module builds and exports it.
"""

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import translation

from entraide.core import exports
from entraide.core.exports import markdown_block, markdown_inline
from entraide.community.models import GroupMembership, GroupSession
from entraide.core.tenancy import all_tenants
from entraide.live.domain.activities.documentation import consented_tables, everyone_consents
from entraide.live.models import ROOM_NUMBER, Action, Idea, LiveSession


@dataclass
class SessionRecord:
    group_session: GroupSession
    title: str
    record: str
    ideas: list[str]
    actions: list[tuple[str, object]]

    @property
    def subtitle(self) -> str:
        """The line under the heading: title, group, date, each said once (the automatic title
        "<group>, séance N" already holds the group's name)."""
        from django.utils import formats

        from .headings import not_repeated

        date = formats.date_format(self.group_session.date, "DATE_FORMAT")
        return " · ".join(not_repeated("", [self.title, self.group_session.group.name, date]))

    @property
    def filename(self) -> str:
        return f"compte-rendu-{self.group_session.date.isoformat()}"


def is_member_at(user, group_session: GroupSession) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    day = group_session.date
    with all_tenants():
        return (
            GroupMembership.objects.filter(group_id=group_session.group_id, user=user, joined_on__lte=day)
            .exclude(left_on__lte=day)
            .exists()
        )


def is_consented(group_session: GroupSession) -> bool:
    session = group_session.live_session
    if session is None or session.status != LiveSession.Status.ENDED:
        return False
    with all_tenants():
        return everyone_consents(session)


def shared_records(user, organisation) -> list[GroupSession]:
    """The group sessions whose record this member may read now."""
    with all_tenants():
        sessions = (
            GroupSession.objects.filter(group__organisation=organisation, live_session__status=LiveSession.Status.ENDED, group__memberships__user=user)
            .select_related("group", "live_session")
            .distinct()
            .order_by("-date")
        )
        return [s for s in sessions if is_member_at(user, s) and is_consented(s)]


def build_record(group_session: GroupSession) -> SessionRecord:
    session = group_session.live_session
    with all_tenants():
        # Only what the people who wrote it agreed to share: with tables, each consenting
        # table's record and harvest (live.domain.activities.documentation).
        tables = consented_tables(session)
        ideas = [idea.text for idea in Idea.objects.filter(session=session, table__in=tables)]
        actions = [(action.text, action.due) for action in Action.objects.filter(session=session, table__in=tables)]
        if len(tables) == 1 and tables[0].number == ROOM_NUMBER:
            record_text = tables[0].record
        else:
            record_text = "\n\n".join(
                f"{table.label}\n\n{table.record}" for table in tables if table.record
            )
    return SessionRecord(
        group_session=group_session,
        title=session.title or session.protocol_version.spec.title.get(),
        record=record_text or "",
        ideas=ideas,
        actions=actions,
    )


def render_markdown(record: SessionRecord, language: str) -> str:
    """The record as a Markdown file in ``language``. Every text typed by someone (group name,
    title, notes, ideas, actions) goes through ``core.exports``' Markdown helpers: no raw HTML,
    no image and no link but bare http(s) and email addresses reach the file."""
    markdown = {
        "group": markdown_inline(record.group_session.group.name),
        "title": markdown_inline(record.title),
        "record": markdown_block(record.record),
        "ideas": [markdown_inline(idea) for idea in record.ideas],
        "actions": [(markdown_inline(text), due) for text, due in record.actions],
    }
    with translation.override(language):
        return render_to_string("followup/record.md", {"record": record, "markdown": markdown})


def render_pdf(record: SessionRecord, language: str) -> bytes:
    """The record as PDF bytes in ``language``, through the one PDF render of ``core.exports``
    (its URL fetcher serves only the package's own files)."""
    with translation.override(language):
        html = render_to_string("followup/record_pdf.html", {"record": record, "language": language})
    return exports.render_pdf(html)
