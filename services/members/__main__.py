"""`python -m services.members`: run the members service (only with its settings)."""

from __future__ import annotations

from services.members.app import create_app
from services.members.settings import MembersSettings
from shared.serving import serve

if __name__ == "__main__":
    serve(MembersSettings, create_app)
