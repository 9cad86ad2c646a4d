"""Publication: a listed subject is published and shared, which makes the listing
active and gives each unit with a sanction duty its task (rules.md §3.1.1
"Publication and sharing", §3.1.5, §4.2 "Active: sanctions apply")."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import Annotated, ClassVar, Final, Self, assert_never

from pydantic import StringConstraints, model_validator

from services.credit.domain.limits import CreditLimits
from services.credit.domain.listing import Listing, ListingStatus, require_status
from services.credit.domain.sanctions import (
    SanctionDuty,
    SanctionTask,
    sanction_tasks_for,
)
from shared.dates import BusinessDate, require_date
from shared.domain import Command, Event, Role, WorkingDays
from shared.errors import RuleViolated

Channel = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]{1,63}$")]
"""Where a listing is published or shared, kebab-case (`credit-china`)."""

CREDIT_SHARING_PLATFORM: Final = "credit-sharing-platform"
"""信用信息共享平台: the same-level credit information sharing platform, which every
listing is shared to (rules.md §3.1.1 "Publication and sharing")."""

CREDIT_CHINA: Final = "credit-china"
"""The national "信用中国" website, where lists are published."""


class PublishListing(Command):
    permitted: ClassVar[frozenset[Role]] = frozenset({Role.OFFICE})

    published_on: BusinessDate
    shared_to: tuple[Channel, ...] = (CREDIT_SHARING_PLATFORM,)

    @model_validator(mode="after")
    def _shared_to_the_platform(self) -> Self:
        if len(set(self.shared_to)) != len(self.shared_to):
            raise ValueError("a channel is named twice in shared_to")
        # Shared to the same-level credit sharing platform (rules.md §3.1.1)
        if CREDIT_SHARING_PLATFORM not in self.shared_to:
            raise ValueError(f"shared_to must include {CREDIT_SHARING_PLATFORM}")
        return self


ALLOWED_IN: Final[dict[type[Command], frozenset[ListingStatus]]] = {
    PublishListing: frozenset({ListingStatus.LISTED}),
}
"""The statuses in which each command of this capability is a next step."""


class ListingPublished(Event):
    """The listing was published and shared to the credit platforms named."""

    published_on: date
    shared_to: tuple[str, ...]


class ListingActivated(Event):
    """The listing is in force for the units: each unit with a sanction duty got a
    task, to confirm by its due date."""

    activated_on: date
    sanction_tasks: tuple[SanctionTask, ...]


PublicationEvent = ListingPublished | ListingActivated


def evolve_publication(listing: Listing, event: PublicationEvent) -> Listing:
    """The listing once published, then active with its sanction tasks."""
    match event:
        case ListingPublished(published_on=published_on, shared_to=shared_to):
            return listing.model_copy(
                update={
                    "status": ListingStatus.PUBLISHED,
                    "published_on": published_on,
                    "shared_to": shared_to,
                }
            )
        case ListingActivated(activated_on=activated_on, sanction_tasks=tasks):
            return listing.model_copy(
                update={
                    "status": ListingStatus.ACTIVE,
                    "activated_on": activated_on,
                    "sanction_tasks": tasks,
                }
            )
        case _:
            assert_never(event)


def publish_listing(
    listing: Listing,
    command: PublishListing,
    *,
    today: date,
    calendar: WorkingDays,
    limits: CreditLimits,
    duties: tuple[SanctionDuty, ...],
    units: Collection[str],
) -> list[PublicationEvent]:
    """A listed subject is published and shared, which makes the listing active: each
    active unit (by code) with a sanction duty gets a task per measure, to
    confirm within the district's working days."""
    require_status(listing, {ListingStatus.LISTED}, "published")
    decision = listing.decision
    require_date(
        command.published_on,
        field="published_on",
        today=today,
        not_before=decision.decided_on if decision else None,
        since="decision",
    )
    if decision is not None and command.published_on >= decision.ends_on:
        raise RuleViolated(
            "listing-period-over", f"The listing period ended on {decision.ends_on}."
        )
    # Units confirm within a local number of working days (rules.md §3.1.5, §4.2).
    due = calendar.add_working_days(
        command.published_on, limits.sanction_confirm_working_days
    ).due
    return [
        ListingPublished(
            published_on=command.published_on, shared_to=command.shared_to
        ),
        ListingActivated(
            activated_on=command.published_on,
            sanction_tasks=sanction_tasks_for(duties, units, due=due),
        ),
    ]
