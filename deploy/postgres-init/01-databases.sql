-- One database per service (DESIGN.md §2: each service owns its data; one server hosts
-- them all), each with two roles (docs/deployment.md, "Database roles"):
--   qingqian_<service>_owner  owns the database and everything in it; only the
--                             migration step (`python -m shared.migrate`) connects as it;
--   qingqian_<service>_app    what the service serves as: it is granted, by the
--                             migrations, appends, reads and the writes its read models
--                             need — no DDL, no trigger control, no UPDATE or DELETE on
--                             the log.
-- Neither may create roles or databases, and neither is a superuser. The passwords come
-- from the postgres container's environment (docker-compose.yml). Run once by the
-- postgres image, on first start with an empty data volume.
\set ON_ERROR_STOP on

\getenv members_owner_password MEMBERS_DB_OWNER_PASSWORD
\getenv members_app_password MEMBERS_DB_APP_PASSWORD
CREATE ROLE qingqian_members_owner LOGIN PASSWORD :'members_owner_password';
CREATE ROLE qingqian_members_app LOGIN PASSWORD :'members_app_password';
CREATE DATABASE qingqian_members OWNER qingqian_members_owner;

\getenv cases_owner_password CASES_DB_OWNER_PASSWORD
\getenv cases_app_password CASES_DB_APP_PASSWORD
CREATE ROLE qingqian_cases_owner LOGIN PASSWORD :'cases_owner_password';
CREATE ROLE qingqian_cases_app LOGIN PASSWORD :'cases_app_password';
CREATE DATABASE qingqian_cases OWNER qingqian_cases_owner;

\getenv meetings_owner_password MEETINGS_DB_OWNER_PASSWORD
\getenv meetings_app_password MEETINGS_DB_APP_PASSWORD
CREATE ROLE qingqian_meetings_owner LOGIN PASSWORD :'meetings_owner_password';
CREATE ROLE qingqian_meetings_app LOGIN PASSWORD :'meetings_app_password';
CREATE DATABASE qingqian_meetings OWNER qingqian_meetings_owner;

\getenv credit_owner_password CREDIT_DB_OWNER_PASSWORD
\getenv credit_app_password CREDIT_DB_APP_PASSWORD
CREATE ROLE qingqian_credit_owner LOGIN PASSWORD :'credit_owner_password';
CREATE ROLE qingqian_credit_app LOGIN PASSWORD :'credit_app_password';
CREATE DATABASE qingqian_credit OWNER qingqian_credit_owner;

-- Audit's database last: the compose healthcheck waits for it.
\getenv audit_owner_password AUDIT_DB_OWNER_PASSWORD
\getenv audit_app_password AUDIT_DB_APP_PASSWORD
CREATE ROLE qingqian_audit_owner LOGIN PASSWORD :'audit_owner_password';
CREATE ROLE qingqian_audit_app LOGIN PASSWORD :'audit_app_password';
CREATE DATABASE qingqian_audit OWNER qingqian_audit_owner;
