-- The unit directory each service keeps from qingqian.members.events.
CREATE TABLE IF NOT EXISTS member_units (
    code        text PRIMARY KEY,
    name_zh     text NOT NULL,
    name_en     text NOT NULL,
    kind        text NOT NULL,
    is_active   boolean NOT NULL,
    updated_at  timestamptz NOT NULL
);

