-- One AES-256-GCM key per person whose personal data is in the events: deleting
-- the key makes every copy of that data unreadable (crypto-shredding), while the
-- hash chain, which covers the ciphertext, still verifies.
CREATE TABLE IF NOT EXISTS personal_keys (
    subject     text PRIMARY KEY,
    key         bytea NOT NULL CHECK (octet_length(key) = 32),
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- People who were forgotten: their data is never sealed again. Forgetting is final,
-- so the table refuses UPDATE, DELETE and TRUNCATE like the events table.
CREATE TABLE IF NOT EXISTS forgotten_subjects (
    subject       text PRIMARY KEY,
    forgotten_at  timestamptz NOT NULL DEFAULT now(),
    reason        text NOT NULL
);
DROP TRIGGER IF EXISTS forgotten_subjects_append_only ON forgotten_subjects;
CREATE TRIGGER forgotten_subjects_append_only BEFORE UPDATE OR DELETE ON forgotten_subjects
    FOR EACH ROW EXECUTE FUNCTION qingqian_refuse_change();
DROP TRIGGER IF EXISTS forgotten_subjects_no_truncate ON forgotten_subjects;
CREATE TRIGGER forgotten_subjects_no_truncate BEFORE TRUNCATE ON forgotten_subjects
    FOR EACH STATEMENT EXECUTE FUNCTION qingqian_refuse_change();
