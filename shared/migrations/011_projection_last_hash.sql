-- The hash of the event at `last_position` (the highest position applied of the
-- source): with the count, what a reader of the source reconciles a projection
-- against (DESIGN.md "Completeness you can check"). Null until an event is applied.
ALTER TABLE projection_progress ADD COLUMN IF NOT EXISTS last_hash text;
