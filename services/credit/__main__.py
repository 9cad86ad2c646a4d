"""`python -m services.credit`: run the credit service (only with its settings)."""

from __future__ import annotations

from services.credit.app import create_app
from services.credit.settings import CreditSettings
from shared.serving import serve

if __name__ == "__main__":
    serve(CreditSettings, create_app)
