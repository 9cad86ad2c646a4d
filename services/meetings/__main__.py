"""`python -m services.meetings`: run the meetings service (embedded servers if unset)."""

from __future__ import annotations

import uvicorn

from services.meetings.app import create_app
from services.meetings.settings import MeetingsSettings
from shared.local import resolve_embedded
from shared.log import configure_logging


def main() -> None:
    """Build settings once, fill in the embedded defaults, serve."""
    settings = resolve_embedded(MeetingsSettings())
    configure_logging(settings.log_level, service=settings.service)
    uvicorn.run(
        create_app(settings), host=settings.host, port=settings.port, log_config=None
    )


if __name__ == "__main__":
    main()
