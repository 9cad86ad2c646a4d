"""The pure domain of meetings, one module per capability (its commands, events, evolve
branch and decide functions), imported from where it lives:

- `meeting`: the meeting aggregate (stream `meeting-<id>`), its state and `MEETING`;
  `proposal`, `approval`, `scheduling`, `delegation` (a plenary's chair delegated to a
  deputy), `agenda` (accepted topics joining it), `notices`, `holding`, `minutes`,
  `deciding` and `inspection` are the steps of a plenary, special meeting or joint
  inspection;
- `topic`: the topic aggregate (stream `topic-<id>`) and `TOPIC`; `topics` holds its
  steps (a unit proposes, the office accepts onto an agenda or declines, the unit
  withdraws);
- `action_item`: the action item aggregate (stream `action-<id>`) and `ACTION`;
  `carrying_out` and `overdue` are its steps;
- `lifecycle` (statuses and the steps each allows), `powers` (the roster's powers),
  `invitations` (units invited, named once), `plenary_rule` (a plenary every six months; the half-years missed).

Decide functions take the meeting, action item or topic and a command, and the facts from
outside as keyword arguments: `today`, `units` (the codes of the active member units),
`meeting_id` (the id part of the meeting's stream), `chair_roles` (the joint-meeting
roles, such as `convener` or `deputy_convener`, the named chair holds on the day the
meeting is scheduled for), `unit` (the actor's unit), `work_plan_years` (the years
other meetings adopted a work plan for) and `powers` (the actor's organisational roles
from his token and joint-meeting roles from the roster on the command's day),
`deputy_roles` (the joint-meeting roles a named delegate holds on the meeting's date),
`agenda_meeting` (the meeting a topic is accepted onto) and `topic_id` (the id part of
the topic's stream)."""
