"""`python -m services.meetings`: run the meetings service (only with its settings)."""

from __future__ import annotations

from services.meetings.app import create_app
from services.meetings.settings import MeetingsSettings
from shared.serving import serve

if __name__ == "__main__":
    serve(MeetingsSettings, create_app)
