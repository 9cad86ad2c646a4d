"""`qingqian up`, `demo`, `keys` and `trust`: the local stack and what it hands out."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

from qingqian_local.console import SERVICES, data_of, say
from qingqian_local.keys import LocalKeys
from qingqian_local.paths import district_file
from qingqian_local.supervisor.ports import parse_replicas
from qingqian_local.supervisor.restarts import RestartPolicy
from qingqian_local.supervisor.stack import StackOptions, run_up
from qingqian_local.tokens import convener_token, office_token, signing_key, unit_token

# The units whose own progress reports the demo enters (the office's unit, rsj, needs
# no token of its own).
DEMO_UNITS = ("jsj", "gafj", "xfj", "sfj", "fy", "yjkz", "sq-linjiaya")
# The services whose demo `demo` enters, in order; cases also receives the meetings
# demo's inspection finding.
DEMO_SERVICES = ("cases", "meetings", "credit")


def up(args: argparse.Namespace) -> int:
    """Start PostgreSQL, the broker and every service; restart what crashes; stop them
    all on Ctrl-C/SIGTERM or when one crashes too often (qingqian_local/supervisor)."""
    data = data_of(args)
    try:
        district_file()  # cases cannot start without it: say so before anything runs
        options = StackOptions(
            data=data,
            ports={name: port + args.port_offset for name, port in SERVICES.items()},
            kafka_port=args.kafka_port,
            timeout=args.timeout,
            replicas=parse_replicas(args.replicas, SERVICES),
            policy=RestartPolicy(
                max_crashes=args.max_crashes, window=args.crash_window
            ),
        )
    except (ValueError, FileNotFoundError) as exc:
        say(f"error: {exc}")
        return 2
    data.mkdir(parents=True, exist_ok=True)
    # `up` is what makes the local keys: every other command only reads them.
    token = office_token(LocalKeys(data / "keys").jwt_private())
    return run_up(options, office_token=token, say=say)


def demo(args: argparse.Namespace) -> int:
    """Enter the demo cases, meetings and listings into a running stack (each one's
    `python -m demo.<service>`, through the service's HTTP API)."""
    private = signing_key(data_of(args))
    units: list[str] = []
    for unit in DEMO_UNITS:
        units += ["--token-for", f"{unit}={unit_token(private, unit)}"]
    for service in DEMO_SERVICES:
        url = f"http://127.0.0.1:{SERVICES[service] + args.port_offset}"
        say(f"entering the {service} demo at {url} (waits for the deadline watcher)…")
        command = [sys.executable, "-m", f"demo.{service}", "--url", url]
        command += ["--token", office_token(private), "--seed", str(args.seed), *units]
        if service == "meetings":
            command += ["--token-for", f"convener={convener_token(private)}"]
        returncode = subprocess.run(command, check=False).returncode  # noqa: S603 - our own module
        if returncode != 0:
            return returncode
    return 0


def keys_command(args: argparse.Namespace) -> int:
    """Print the keys as environment lines (for docker compose's .env); makes the ones
    missing."""
    keys = LocalKeys(data_of(args) / "keys")
    say(f"JWT_PUBLIC_KEY={json.dumps(keys.jwt_public())}")
    for name in SERVICES:
        say(f"{name.upper()}_SEAL_PRIVATE_KEY={json.dumps(keys.seal_private(name))}")
        say(f"{name.upper()}_PERSONAL_DATA_KEK={keys.personal_data_kek(name)}")
    say(f"CREDIT_PERSON_KEY_SECRET={keys.secret('credit_person_key')}")
    return 0


def trust_command(args: argparse.Namespace) -> int:
    """Print the trust file of the local stack (each service's public keys and the
    audit service's), for `qingqian verify --trust` and `qingqian verify-bundle
    --trust` on another machine."""
    say(
        LocalKeys(data_of(args) / "keys")
        .trust([*SERVICES, "audit"])
        .model_dump_json(indent=2)
    )
    return 0
