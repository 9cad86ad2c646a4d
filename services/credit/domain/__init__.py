"""The pure domain of credit: one listing per subject on the joint-punishment list
(stream `listing-<id>`), from candidate through notice, objection and decision to
publication, the units' sanctions, and its end by expiry, early removal or revocation.

One module per capability holds its commands, the statuses in which each is a next
step (`ALLOWED_IN`), its events, evolve branch and decide functions: `candidate`,
`notice`, `decision`, `publication`, `sanctioning`, `ending`, `early_removal`,
`payment_evidence`. `listing` holds the state and its guards; `aggregate` the event
union, the evolve dispatch, `ALLOWED_AFTER`, `allowed_steps` and `LISTING` over them
all. The construction bureau's measures are streams of their own
(`construction_measures`, stream `measure-<id>`). Import from the module that holds a
name.

Decide functions take the listing and a command, and the facts from outside as keyword
arguments: `today`, `calendar` (WorkingDays), `limits` (CreditLimits), `listing_id`,
`unit` (the actor's unit), `duties` (the district's sanction duties), `units` (active
units of the member directory, by code), `has_new_arrears` (whether cases'
events show new arrears of the employer during the listing), `payment_on_record`
(the day cases recorded the listing's arrears paid in full), and for measures
`acting` (who acts, with their unit's duties), `measure_target` and
`measure_payment`."""
