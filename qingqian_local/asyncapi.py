"""`qingqian contracts`: write each service's AsyncAPI document to
contracts/asyncapi/<service>.json, made by the function its `GET /asyncapi.json`
serves, from the aggregates its app declares. A test holds the committed files to
what this makes now, so they cannot fall behind the code."""

from __future__ import annotations

import argparse
import importlib
import json
from pathlib import Path
from typing import Any

from qingqian_local.console import SERVICES, say
from shared.asyncapi import asyncapi_document

ROOT = Path(__file__).resolve().parent.parent
CONTRACTS = ROOT / "contracts" / "asyncapi"
# The namespace the settings default to (`TOPIC_NAMESPACE`): the committed documents'
# addresses; a service with another one serves its own.
NAMESPACE = "qingqian"


def service_document(service: str, *, namespace: str = NAMESPACE) -> dict[str, Any]:
    """The service's AsyncAPI document, from the aggregates its app declares."""
    app = importlib.import_module(f"services.{service}.app")
    return asyncapi_document(
        service=service, namespace=namespace, aggregates=app.AGGREGATES
    )


def document_text(document: dict[str, Any]) -> str:
    """The committed form: indented, keys in the order made, Chinese as it is."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def contract_path(service: str, folder: Path = CONTRACTS) -> Path:
    """Where the service's committed document lives."""
    return folder / f"{service}.json"


def contracts_command(args: argparse.Namespace) -> int:
    """Write every service's AsyncAPI 3.0 document under contracts/asyncapi/ (commit
    them: a test fails while they differ from the code)."""
    folder = Path(args.output)
    folder.mkdir(parents=True, exist_ok=True)
    for service in SERVICES:
        path = contract_path(service, folder)
        path.write_text(document_text(service_document(service)), encoding="utf-8")
        say(f"wrote {path}")
    return 0
