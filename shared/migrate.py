"""`python -m shared.migrate FOLDER…`: apply the kernel's migrations and each folder's to
the database, then exit — what a deployment's migration Job runs before the services roll
out (they check the migrations at start, under the same lock). It connects as the owner
(`MIGRATION_DATABASE_URL`) and grants the runtime role (the user of `DATABASE_URL`) what
a service needs; with `DATABASE_URL` alone it migrates as that role and grants nothing."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence
from pathlib import Path

import structlog

from shared.db import migrate_as_owner, runtime_role
from shared.log import configure_logging
from shared.settings import ServiceSettings

log = structlog.get_logger()


def main(argv: Sequence[str] | None = None) -> int:
    """Migrate and exit: 0 when the database is up to date, 2 on a missing setting."""
    parser = argparse.ArgumentParser(
        prog="python -m shared.migrate", description=__doc__
    )
    parser.add_argument(
        "folders",
        nargs="*",
        type=Path,
        help="a service's migrations folder, e.g. services/cases/migrations",
    )
    args = parser.parse_args(argv)
    settings = ServiceSettings()
    configure_logging(settings.log_level, service=settings.service)
    # Never the embedded server: a Job that migrated a database of its own would
    # report success and leave the real one as it was.
    if settings.database_url is None:
        log.error("migration_refused", reason="DATABASE_URL is not set")
        return 2
    missing = [str(f) for f in args.folders if not f.is_dir()]
    if missing:
        log.error("migration_refused", reason="no such folder", folders=missing)
        return 2
    owner = settings.migration_database_url
    applied = asyncio.run(
        migrate_as_owner(
            owner or settings.database_url,
            *args.folders,
            runtime_role=runtime_role(settings.database_url, owner),
        )
    )
    log.info("migrations_applied", count=len(applied), migrations=applied)
    return 0


if __name__ == "__main__":
    sys.exit(main())
