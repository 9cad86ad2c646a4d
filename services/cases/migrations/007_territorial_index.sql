-- A town's or community's cases (属地管理): `GET /cases?territorial_unit=` and the
-- territorial part of its inbox read case_summary by territory.
CREATE INDEX IF NOT EXISTS case_summary_territorial ON case_summary (territorial_unit);
