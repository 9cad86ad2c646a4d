"""`python -m services.audit`: run the audit service (embedded servers if unset)."""

from __future__ import annotations

from services.audit.app import create_app
from services.audit.settings import AuditSettings
from shared.serving import serve

if __name__ == "__main__":
    serve(AuditSettings, create_app)
