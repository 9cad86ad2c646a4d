-- Seals become signed tree heads over the Merkle tree of the whole published order
-- (docs/log-format.md "Seals"). Seals made over blocks before this stay as they were,
-- under their own name, still append-only; the first tree head covers every event.
ALTER TABLE seals RENAME TO block_seals;
ALTER INDEX seals_pkey RENAME TO block_seals_pkey;
ALTER TRIGGER seals_append_only ON block_seals RENAME TO block_seals_append_only;

CREATE TABLE seals (
    seal_no         bigint PRIMARY KEY CHECK (seal_no >= 1),
    -- The tree covers events 1..tree_size of the published order (event_sequence).
    tree_size       bigint NOT NULL UNIQUE CHECK (tree_size >= 1),
    root_hash       text NOT NULL,
    prev_seal_hash  text NOT NULL,
    sealed_at       timestamptz NOT NULL,
    key_id          text NOT NULL,
    algorithm       text NOT NULL,
    seal_hash       text NOT NULL UNIQUE,
    signature       text NOT NULL,
    -- The roots of the tree's perfect subtrees, left to right, 32 bytes each: the next
    -- seal extends the tree from here without reading earlier events. Verify never
    -- trusts it: it recomputes every root from the events.
    frontier        bytea NOT NULL,
    -- RFC 9162 consistency proof from the previous seal's tree to this one (32 bytes
    -- per hash, in order; empty for the first): published with the seal, so whoever
    -- holds only the seals can check each tree extends the one before.
    consistency     bytea NOT NULL
);
DROP TRIGGER IF EXISTS seals_append_only ON seals;
CREATE TRIGGER seals_append_only BEFORE UPDATE OR DELETE ON seals
    FOR EACH ROW EXECUTE FUNCTION qingqian_refuse_change();
DROP TRIGGER IF EXISTS seals_no_truncate ON seals;
CREATE TRIGGER seals_no_truncate BEFORE TRUNCATE ON seals
    FOR EACH STATEMENT EXECUTE FUNCTION qingqian_refuse_change();

-- The tree heads are new: publish them all, from the first.
UPDATE relay_state SET published_seal = 0;
