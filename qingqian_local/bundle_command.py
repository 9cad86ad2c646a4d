"""`qingqian verify-bundle FILE`: check an evidence bundle from the audit service
offline — no database, no network — with pinned keys: a trust file, or the local
installation's public keys."""

from __future__ import annotations

import argparse
from pathlib import Path

from qingqian_local.console import SERVICES, data_of, say
from qingqian_local.keys import LocalKeys, NoData
from services.audit.bundle_check import AUDIT, BundleRefused, verify_bundle
from shared.trust import TrustFile


def _trust(args: argparse.Namespace) -> TrustFile:
    """`--trust`, else the local keys (kept outside every database), audit's too."""
    if args.trust:
        return TrustFile.load(Path(args.trust))
    keys = data_of(args) / "keys"
    if not keys.is_dir():
        raise NoData(keys)
    say(f"trusting the local keys in {keys} (pin others with --trust)")
    return LocalKeys(keys).trust([*SERVICES, AUDIT])


def verify_bundle_command(args: argparse.Namespace) -> int:
    """Check an evidence bundle (GET /bundles of the audit service) offline: audit's
    DSSE signature, each event's hash, the stream links among its events, each
    inclusion proof, each seal's signature and audit's co-signatures, with pinned
    keys only. Names the first thing that fails (exit 1)."""
    try:
        trust = _trust(args)
        raw = Path(args.file).read_bytes()
    except (OSError, ValueError) as exc:
        say(f"cannot read: {exc}")
        return 2
    try:
        summary = verify_bundle(raw, trust)
    except BundleRefused as refused:
        say(f"FAILED {refused.reason}: {refused.detail}")
        return 1
    say(
        f"bundle about {summary.subject} holds: {summary.events} events in"
        f" {summary.streams} streams of {', '.join(summary.services)}, under"
        f" {summary.seals} witnessed seals; signed by audit's key"
        f" {summary.audit_key} at {summary.made_at}"
    )
    return 0
