-- One row per meeting: the lists of upcoming and past meetings, the plenary rule.
CREATE TABLE IF NOT EXISTS meetings (
    meeting_id      text PRIMARY KEY,
    kind            text NOT NULL,
    title           text NOT NULL,
    status          text NOT NULL,
    proposed_on     date NOT NULL,
    proposed_for    date,
    scheduled_on    date,
    held_on         date,
    chair_person_id text,
    invited_units   text[] NOT NULL DEFAULT '{}',
    minutes_status  text NOT NULL,
    decisions       integer NOT NULL,
    work_plan_year  integer,
    missing_materials integer NOT NULL,
    version         integer NOT NULL,
    updated_at      timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS meetings_kind_held ON meetings (kind, held_on);
CREATE UNIQUE INDEX IF NOT EXISTS meetings_work_plan_year ON meetings (work_plan_year);

-- One row per action item (a decision's or the work plan's task for one unit).
CREATE TABLE IF NOT EXISTS action_items (
    action_id          text PRIMARY KEY,
    meeting_id         text NOT NULL,
    origin             text NOT NULL,
    source_id          text NOT NULL,
    unit_code          text NOT NULL,
    task               text NOT NULL,
    due                date NOT NULL,
    report_every_days  integer,
    case_ids           text[] NOT NULL DEFAULT '{}',
    listing_ids        text[] NOT NULL DEFAULT '{}',
    status             text NOT NULL,
    assigned_on        date NOT NULL,
    last_reported_on   date,
    completed_on       date,
    is_overdue         boolean NOT NULL,
    was_late           boolean NOT NULL,
    misses             integer NOT NULL,
    version            integer NOT NULL,
    updated_at         timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS action_items_unit ON action_items (unit_code, status);
CREATE INDEX IF NOT EXISTS action_items_meeting ON action_items (meeting_id);

-- The time limits the watcher checks: due dates and ends of reporting periods, as of
-- the item's version (a step that makes a limit moot and a later one that revives it
-- give the watcher two different commands).
CREATE TABLE IF NOT EXISTS action_deadlines (
    action_id  text NOT NULL,
    kind       text NOT NULL,
    due        date NOT NULL,
    version    integer NOT NULL,
    PRIMARY KEY (action_id, kind)
);
CREATE INDEX IF NOT EXISTS action_deadlines_due ON action_deadlines (due);

-- Who held which role in the joint meeting, from when until when (members' events).
CREATE TABLE IF NOT EXISTS joint_meeting_roles (
    person_id  text NOT NULL,
    role       text NOT NULL,
    unit_code  text NOT NULL,
    from_date  date NOT NULL,
    to_date    date,
    PRIMARY KEY (person_id, role, from_date)
);

-- People's names and units (members' events), to show who chairs.
CREATE TABLE IF NOT EXISTS member_people (
    person_id  text PRIMARY KEY,
    name       text NOT NULL,
    unit_code  text NOT NULL
);

-- Which case each inspection finding became (cases' events).
CREATE TABLE IF NOT EXISTS finding_cases (
    meeting_id  text NOT NULL,
    finding_id  text NOT NULL,
    case_id     text NOT NULL,
    PRIMARY KEY (meeting_id, finding_id)
);

-- Meeting numbers per year (<yyyy>-<nnn>).
CREATE TABLE IF NOT EXISTS meeting_numbers (
    year  integer PRIMARY KEY,
    last  integer NOT NULL
);
