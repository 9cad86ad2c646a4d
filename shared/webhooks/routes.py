"""`/subscriptions`: webhooks other agencies (service accounts with
`exchange:subscribe`, restricted profile) and the office (either profile) register,
list, delete and replay; and each one's dead letters."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from shared.auth import Actor, Scope
from shared.boundary import known_query_only
from shared.dependencies import RuntimeDep, ServiceRuntime, any_actor
from shared.domain import Role
from shared.errors import InvalidInput, NotFound, NotPermitted
from shared.problems import problem_responses
from shared.webhooks import subscriptions as stored
from shared.webhooks.signing import new_secret
from shared.webhooks.subscriptions import (
    ALL_TYPES,
    CreatedSubscriptionView,
    DeadLetterView,
    NewSubscription,
    Profile,
    Replay,
    SubscriptionView,
)
from shared.webhooks.targets import check_url

ActorOfAnyKind = Annotated[Actor, Depends(any_actor)]


def subscriber(actor: Actor, profile: Profile = Profile.RESTRICTED) -> str | None:
    """Whose subscriptions the actor manages: None for the office (all of them), the
    service account's own name; NotPermitted for anyone else, or a service account
    asking for the internal profile."""
    if actor.is_service_account:
        if Scope.EXCHANGE_SUBSCRIBE not in actor.scopes:
            raise NotPermitted(f"webhooks need the scope {Scope.EXCHANGE_SUBSCRIBE}")
        if profile is not Profile.RESTRICTED:
            raise NotPermitted("a service account subscribes to the restricted profile")
        return actor.person
    if Role.OFFICE not in actor.roles:
        raise NotPermitted("managing webhooks needs the office role")
    return None


def check_types(new: NewSubscription, rt: ServiceRuntime) -> None:
    """Refuses (422) a type of another service, or one the restricted profile hides."""
    prefix = f"qingqian.{rt.settings.service}."
    for index, name in enumerate(new.event_types):
        if name == ALL_TYPES:
            continue
        hidden = (
            new.profile is Profile.RESTRICTED and name not in rt.restricted_event_types
        )
        if not name.startswith(prefix) or hidden:
            raise InvalidInput(
                f"event_types.{index}",
                "webhook_event_type",
                f"{name} is not an event type this profile of {prefix}* shows",
            )


async def owned(
    rt: ServiceRuntime, actor: Actor, subscription_id: uuid.UUID
) -> SubscriptionView:
    """The subscription, if the actor manages it (404 otherwise, as if there were none)."""
    owner = subscriber(actor)
    found = await stored.find(rt.pool, subscription_id)
    if owner is not None and found.created_by != owner:
        raise NotFound(f"no subscription {subscription_id}")
    return found


def subscriptions_router() -> APIRouter:
    """`POST/GET /subscriptions`, `GET/DELETE /subscriptions/{id}`,
    `POST /subscriptions/{id}/replay`, `GET /subscriptions/{id}/dead-letters`."""
    router = APIRouter(
        prefix="/subscriptions",
        tags=["webhooks"],
        dependencies=[Depends(known_query_only)],
        responses=problem_responses(400, 401, 403, 404, 413, 422),
    )

    @router.post("", status_code=201)
    async def create_subscription(
        new: NewSubscription, rt: RuntimeDep, actor: ActorOfAnyKind
    ) -> CreatedSubscriptionView:
        """Register a webhook; deliveries start with the next event published. The
        answer holds the signing secret, shown this once. 422 for a URL that is not
        http(s) or is local, or an event type the profile does not show."""
        subscriber(actor, new.profile)
        check_url(new.url, allow_local=rt.settings.webhook_allow_local_targets)
        check_types(new, rt)
        secret = new.secret or new_secret()
        return await stored.insert(rt.pool, new, secret=secret, created_by=actor.person)

    @router.get("")
    async def list_subscriptions(
        rt: RuntimeDep, actor: ActorOfAnyKind
    ) -> list[SubscriptionView]:
        """The webhooks the caller manages (the office: all) and where each stands."""
        return await stored.listed(rt.pool, subscriber(actor))

    @router.get("/{subscription_id}")
    async def get_subscription(
        subscription_id: uuid.UUID, rt: RuntimeDep, actor: ActorOfAnyKind
    ) -> SubscriptionView:
        """One webhook: its checkpoint (`next_sequence`), state, tries, last error."""
        return await owned(rt, actor, subscription_id)

    @router.delete("/{subscription_id}", status_code=204)
    async def delete_subscription(
        subscription_id: uuid.UUID, rt: RuntimeDep, actor: ActorOfAnyKind
    ) -> None:
        """Remove a webhook and its dead letters; nothing more is sent to it."""
        await owned(rt, actor, subscription_id)
        await stored.delete(rt.pool, subscription_id)

    @router.post("/{subscription_id}/replay")
    async def replay_subscription(
        subscription_id: uuid.UUID, body: Replay, rt: RuntimeDep, actor: ActorOfAnyKind
    ) -> SubscriptionView:
        """Deliver again from a `sequence` of the published order, in order; a parked
        webhook is resumed, its tries counted afresh."""
        await owned(rt, actor, subscription_id)
        return await stored.replay(rt.pool, subscription_id, body.from_sequence)

    @router.get("/{subscription_id}/dead-letters")
    async def subscription_dead_letters(
        subscription_id: uuid.UUID,
        rt: RuntimeDep,
        actor: ActorOfAnyKind,
        limit: Annotated[int, Query(ge=1, le=500)] = 100,
    ) -> list[DeadLetterView]:
        """The events the webhook gave up on after its last try, newest first."""
        await owned(rt, actor, subscription_id)
        return await stored.dead_letters(rt.pool, subscription_id, limit)

    return router
