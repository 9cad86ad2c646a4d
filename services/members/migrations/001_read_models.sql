-- members' read models, fed by its own topic through the projection runner.
CREATE TABLE IF NOT EXISTS unit_directory (
    code          text PRIMARY KEY,
    name_zh       text NOT NULL,
    name_en       text NOT NULL,
    kind          text NOT NULL,
    status        text NOT NULL,
    duties        jsonb NOT NULL DEFAULT '[]'::jsonb,
    admitted_on   date NOT NULL,
    withdrawn_on  date,
    succeeded_by  text,
    version       integer NOT NULL,
    updated_at    timestamptz NOT NULL
);

-- Every name a unit has had, from the day it took effect (renames keep history).
CREATE TABLE IF NOT EXISTS unit_names (
    code            text NOT NULL,
    effective_from  date NOT NULL,
    name_zh         text NOT NULL,
    name_en         text NOT NULL,
    PRIMARY KEY (code, effective_from)
);

CREATE TABLE IF NOT EXISTS people (
    person_id     text PRIMARY KEY,
    name          text NOT NULL,
    unit_code     text NOT NULL,
    title         text NOT NULL,
    status        text NOT NULL,
    appointed_on  date NOT NULL,
    relieved_on   date,
    version       integer NOT NULL
);
CREATE INDEX IF NOT EXISTS people_unit ON people (unit_code);

-- Every post (unit and title) a person has held, from the day it took effect.
CREATE TABLE IF NOT EXISTS person_posts (
    person_id       text NOT NULL,
    effective_from  date NOT NULL,
    unit_code       text NOT NULL,
    title           text NOT NULL,
    PRIMARY KEY (person_id, effective_from)
);

-- Roles in the joint meeting over time: open while effective_to is null.
CREATE TABLE IF NOT EXISTS role_holdings (
    id              bigserial PRIMARY KEY,
    person_id       text NOT NULL,
    role            text NOT NULL,
    unit_code       text NOT NULL,
    effective_from  date NOT NULL,
    effective_to    date,
    end_reason      text
);
CREATE INDEX IF NOT EXISTS role_holdings_period ON role_holdings (effective_from, effective_to);

CREATE TABLE IF NOT EXISTS joint_meeting (
    id              text PRIMARY KEY,
    name            text NOT NULL,
    lead_unit       text NOT NULL,
    office_unit     text NOT NULL,
    established_on  date NOT NULL
);
