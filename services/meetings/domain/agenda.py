"""A meeting's agenda grows by the topics the office accepts onto it (notice §5(3)):
the service itself adds each accepted topic as an agenda item, once."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Final

from services.meetings.domain.lifecycle import (
    NOT_YET_HELD,
    MeetingStatus,
    require_status,
)
from services.meetings.domain.proposal import AgendaItem
from services.meetings.domain.topics import agenda_item_id
from shared.domain import Command, Event, Role
from shared.values import Text

if TYPE_CHECKING:
    from services.meetings.domain.meeting import Meeting, MeetingEvent


class PlaceTopicOnAgenda(Command):
    """Adds an accepted topic to the meeting's agenda (the service does this itself,
    after the office accepts the topic, never a person)."""

    permitted: ClassVar[frozenset[Role]] = frozenset({Role.SYSTEM})

    topic_id: str
    title: Text
    proposed_by: str


ALLOWED_IN: Final[dict[type[Command], frozenset[MeetingStatus]]] = {
    PlaceTopicOnAgenda: NOT_YET_HELD,
}
"""The statuses in which each command of this capability is a next step."""


class TopicPlacedOnAgenda(Event):
    """A topic a unit proposed is on the agenda, as the item `item.item_id`."""

    topic_id: str
    proposed_by: str
    item: AgendaItem


AgendaEvent = TopicPlacedOnAgenda


def evolve_agenda(meeting: Meeting, event: AgendaEvent) -> Meeting:
    """The meeting with one more agenda item."""
    return meeting.model_copy(update={"agenda": (*meeting.agenda, event.item)})


def place_topic_on_agenda(
    meeting: Meeting, command: PlaceTopicOnAgenda
) -> list[MeetingEvent]:
    """An accepted topic becomes an agenda item of a meeting not yet held, once: a
    topic already on the agenda adds nothing."""
    require_status(meeting, NOT_YET_HELD, "given agenda items")
    item_id = agenda_item_id(command.topic_id)
    if meeting.agenda_item(item_id) is not None:
        return []
    item = AgendaItem(item_id=item_id, title=command.title)
    return [
        TopicPlacedOnAgenda(
            topic_id=command.topic_id, proposed_by=command.proposed_by, item=item
        )
    ]
