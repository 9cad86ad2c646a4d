"""`python -m services.cases`: run the cases service (only with its settings)."""

from __future__ import annotations

from services.cases.app import create_app
from services.cases.settings import CasesSettings
from shared.serving import serve

if __name__ == "__main__":
    serve(CasesSettings, create_app)
