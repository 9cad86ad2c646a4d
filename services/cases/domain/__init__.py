"""The pure domain of cases: one wage-arrears case per stream (`case-2024-000123`), its
administrative, criminal and penalty tracks, its deadlines and who works on it.

One module per capability holds its commands, the statuses they are next steps in
(`ALLOWED_IN`), events, evolve branch and decide functions (`intake`, `supplement`,
`investigation`, `payments`, `referral`, `police_answer`, `penalty`, `penalty_hearing`,
`penalty_decision`, `assignment`, `escalation`, `personal_data`); `case` is the
aggregate (`CASE`, `evolve`, and `ALLOWED_AFTER`, the steps each status allows), `state`
the case as it stands, `lifecycle` the status groups and the refusals, `offers` the
rules beyond the statuses that `allowed_next` heeds. Import from those modules: this
package re-exports nothing.

Decide functions take the case and a command, and the facts from outside as keyword
arguments: `today`, `calendar` (WorkingDays), `limits` (CaseLimits), `units` (active
unit codes of the member directory), `case_id`, and `unit` (the actor's unit)."""
