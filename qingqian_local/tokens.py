"""`qingqian token`, and the tokens `up` and `demo` print or hand on: signed with the
local stack's token key (or JWT_PRIVATE_KEY), never with a key made on the spot."""

from __future__ import annotations

import argparse
import os
from datetime import timedelta
from pathlib import Path

from qingqian_local.console import data_of, say
from qingqian_local.keys import LocalKeys, NoData
from shared.auth import Actor, Scope, issue_token, service_account
from shared.domain import INTERNAL_ROLES, ROSTER_ROLES, Role
from shared.settings import ServiceSettings

# The roles a token may carry: the roster's come from members on the day, `system` is
# the services' own.
TOKEN_ROLES = frozenset(Role) - ROSTER_ROLES - INTERNAL_ROLES
# The convener of the seed roster (services/members/seed_roster_2017.json): he approves
# special meetings and minutes in the meetings demo. His token names only him and his
# unit: meetings reads his being convener from the roster.
DEMO_CONVENER = Actor(person="2017-01", unit="qzf", roles=frozenset())
# The office token `up` prints lives as long as any token may (TOKEN_MAX_LIFETIME_HOURS,
# 12 h by default); after that, `qingqian token` issues a new one.
OFFICE_TOKEN_LIFETIME = timedelta(hours=12)


def token_roles(text: str) -> frozenset[Role]:
    """`--roles`: comma-separated roles a token may carry (argparse's type)."""
    names = [name.strip() for name in text.split(",") if name.strip()]
    known = {role.value for role in Role}
    unknown = [name for name in names if name not in known]
    if unknown:
        raise argparse.ArgumentTypeError(
            f"unknown role {unknown[0]!r} (one of: {', '.join(sorted(TOKEN_ROLES))})"
        )
    roles = frozenset(Role(name) for name in names)
    if roles - TOKEN_ROLES:
        raise argparse.ArgumentTypeError(
            "convener and deputy_convener come from the members roster on the day,"
            " and system is the service's own: no token carries them"
        )
    return roles


def signing_key(data: Path) -> str:
    """JWT_PRIVATE_KEY, else the local stack's token key; `NoData` on a home where
    `qingqian up` never ran (a new key would sign tokens no service accepts)."""
    given = os.environ.get("JWT_PRIVATE_KEY")
    if given:
        return given
    keys = LocalKeys(data / "keys")
    if not keys.has_jwt_private():
        raise NoData(data)
    return keys.jwt_private()


def local_token(private: str, actor: Actor, ttl: timedelta) -> str:
    """A token for the local services: the audience and maximum lifetime they read
    from the same environment."""
    settings = ServiceSettings()
    most = timedelta(hours=settings.token_max_lifetime_hours)
    return issue_token(private, actor, audience=settings.audience, ttl=min(ttl, most))


def office_token(private: str) -> str:
    """The office's token `up` prints."""
    actor = Actor(person="office", unit="rsj", roles=frozenset({Role.OFFICE}))
    return local_token(private, actor, OFFICE_TOKEN_LIFETIME)


def unit_token(private: str, unit: str) -> str:
    """A unit's staff token for the demo's steps only that unit may take."""
    actor = Actor(person=f"{unit}-demo", unit=unit, roles=frozenset({Role.UNIT_STAFF}))
    return local_token(private, actor, timedelta(hours=1))


def convener_token(private: str) -> str:
    """The seed roster's convener, for the meetings demo."""
    return local_token(private, DEMO_CONVENER, timedelta(hours=1))


def _token_actor(args: argparse.Namespace) -> Actor:
    """The person or service account the token names; ValueError for a bad request."""
    if args.service_account:
        scopes = frozenset(
            Scope(s.strip()) for s in args.scopes.split(",") if s.strip()
        )
        if not scopes:
            raise ValueError("a service account's token needs --scopes")
        return service_account(args.service_account, scopes)
    if not (args.person and args.unit) or args.scopes:
        raise ValueError("a person's token needs --person and --unit, and no --scopes")
    return Actor(person=args.person, unit=args.unit, roles=args.roles)


def token_command(args: argparse.Namespace) -> int:
    """Print a bearer token for a person (unit, roles) or a service account (scopes),
    for this deployment's audience, valid at most TOKEN_MAX_LIFETIME_HOURS."""
    settings = ServiceSettings()
    try:
        actor = _token_actor(args)
    except ValueError as exc:
        say(f"error: {exc}")
        return 2
    if not 0 < args.ttl_hours <= settings.token_max_lifetime_hours:
        say(
            f"error: --ttl-hours must be over 0 and at most"
            f" {settings.token_max_lifetime_hours:g} (TOKEN_MAX_LIFETIME_HOURS)"
        )
        return 2
    private = signing_key(data_of(args))
    ttl = timedelta(hours=args.ttl_hours)
    say(issue_token(private, actor, audience=settings.audience, ttl=ttl))
    return 0
