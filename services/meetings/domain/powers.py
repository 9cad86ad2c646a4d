"""Who may approve, decline, schedule or cancel a meeting and approve its minutes: the
convener's and deputy conveners' powers come from the members roster on the day, never
from a token (DESIGN.md §2 "Trust model"); the office's role comes from the token."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict

from shared.domain import ROSTER_ROLES, Command
from shared.errors import NotPermitted

# The rule a refusal names: a joint-meeting power is held on the roster on the day.
ROSTER_RULE = "joint_meeting_role_on_roster"


class Powers(BaseModel):
    """The actor of a command as its decide function sees him: his person id, the
    organisational roles his token carries (`office`), and the joint-meeting roles the
    members roster gives him on `on` (`convener`, `deputy_convener`)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    person: str
    token_roles: frozenset[str]
    roster_roles: frozenset[str]
    on: date


def require_power(powers: Powers, command: Command, *, what: str) -> None:
    """Refuses (403) unless the actor holds one of the command's roles: an
    organisational one from his token, a joint-meeting one from the roster on the day."""
    permitted = type(command).permitted
    from_token = permitted - ROSTER_ROLES
    from_roster = permitted & ROSTER_ROLES
    if powers.token_roles & from_token or powers.roster_roles & from_roster:
        return
    holders = " or ".join(sorted(r.replace("_", " ") for r in from_roster))
    office = "".join(f"the {r} or " for r in sorted(from_token))
    raise NotPermitted(
        f"Only {office}the {holders} on the members roster on {powers.on} may {what}"
        f" (rule {ROSTER_RULE}); {powers.person} is not."
    )
