-- Envelope encryption (shared/key_wrapping.py): a person's data key is stored wrapped
-- by a key-encryption key held outside the database, named by `kek_id`, so a dump
-- decrypts nothing. `key` (the clear key of earlier versions) is only ever emptied:
-- the service wraps any clear key left at start-up and sets it to NULL.
ALTER TABLE personal_keys ADD COLUMN IF NOT EXISTS wrapped bytea;
ALTER TABLE personal_keys ADD COLUMN IF NOT EXISTS kek_id text;
ALTER TABLE personal_keys ALTER COLUMN key DROP NOT NULL;
ALTER TABLE personal_keys DROP CONSTRAINT IF EXISTS personal_keys_clear_or_wrapped;
ALTER TABLE personal_keys ADD CONSTRAINT personal_keys_clear_or_wrapped CHECK (
    (key IS NULL AND wrapped IS NOT NULL AND kek_id IS NOT NULL)
    OR (key IS NOT NULL AND wrapped IS NULL AND kek_id IS NULL)
);
