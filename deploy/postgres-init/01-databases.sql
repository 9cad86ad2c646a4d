-- One database per service (DESIGN.md §2: each service owns its data; one server hosts them all).
-- Run once by the postgres image, on first start with an empty data volume.
CREATE DATABASE qingqian_members;
CREATE DATABASE qingqian_cases;
CREATE DATABASE qingqian_meetings;
CREATE DATABASE qingqian_credit;
CREATE DATABASE qingqian_audit;
