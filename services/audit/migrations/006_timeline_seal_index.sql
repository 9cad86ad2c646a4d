-- Whether a timeline entry is sealed is the largest tree size of its service's held
-- seals: one step down this index per entry, instead of every seal of the service
-- (a page of 100 entries read 250,000 seal rows on a 1,000,000-event store; see
-- docs/benchmark.md, "Audit").
CREATE INDEX IF NOT EXISTS audit_seals_held
    ON audit_seals (service, tree_size) WHERE status = 'held';
