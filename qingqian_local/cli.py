"""`qingqian`: start the local stack, issue tokens, verify and export the log, load
demo cases."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from importlib.metadata import PackageNotFoundError, version

from qingqian_local.asyncapi import CONTRACTS, contracts_command
from qingqian_local.bundle_command import verify_bundle_command
from qingqian_local.commands import demo, keys_command, trust_command, up
from qingqian_local.console import DEFAULT_KAFKA_PORT, SERVICES, say
from qingqian_local.keys import NoData
from qingqian_local.log_commands import export_command, verify_command
from qingqian_local.supervisor.restarts import RestartPolicy
from qingqian_local.tokens import TOKEN_ROLES, token_command, token_roles
from shared.auth import Scope

Command = Callable[[argparse.Namespace], int]
Formatter = argparse.ArgumentDefaultsHelpFormatter


def _version() -> str:
    try:
        return version("qingqian")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "unknown"


def _common(*, is_subcommand: bool) -> argparse.ArgumentParser:
    """`--home`, accepted before the subcommand and after it; after it, it is only
    set when given, so it never hides one given before."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--home",
        default=argparse.SUPPRESS if is_subcommand else None,
        help="data folder (unset: $QINGQIAN_HOME, else ./.qingqian)",
    )
    return common


class _Commands:
    """The subcommands, each with `--home` and defaults shown in its help."""

    def __init__(self, parser: argparse.ArgumentParser) -> None:
        self._commands = parser.add_subparsers(
            dest="command", required=True, metavar="COMMAND"
        )

    def add(self, name: str, run: Command, help: str) -> argparse.ArgumentParser:
        command = self._commands.add_parser(
            name,
            help=help,
            description=run.__doc__,
            parents=[_common(is_subcommand=True)],
            formatter_class=Formatter,
        )
        command.set_defaults(run=run)
        return command


def _add_up(commands: _Commands) -> None:
    p = commands.add("up", up, "start the local system")
    p.add_argument(
        "--kafka-port",
        type=int,
        default=DEFAULT_KAFKA_PORT,
        help="the embedded broker's port (unless KAFKA_BOOTSTRAP names one)",
    )
    p.add_argument(
        "--port-offset", type=int, default=0, help="added to every service port"
    )
    p.add_argument(
        "--timeout",
        type=float,
        default=60.0,
        help="seconds every service has to answer /readyz",
    )
    p.add_argument(
        "--replicas",
        action="append",
        default=[],
        metavar="SERVICE=N[,…]",
        help="run N processes of a service, each on its own port (repeatable)",
    )
    p.add_argument(
        "--max-crashes",
        type=int,
        default=RestartPolicy.max_crashes,
        help="stop everything when one process crashes this often…",
    )
    p.add_argument(
        "--crash-window",
        type=float,
        default=RestartPolicy.window,
        help="…within this many seconds",
    )


def _add_token(commands: _Commands) -> None:
    p = commands.add("token", token_command, "print a bearer token")
    p.add_argument("--person", help="the person the token names (with --unit)")
    p.add_argument("--unit", help="the person's unit, e.g. jsj")
    p.add_argument(
        "--roles",
        type=token_roles,
        default="office",
        help="comma-separated: " + ", ".join(sorted(TOKEN_ROLES)),
    )
    p.add_argument(
        "--service-account", metavar="NAME", help="another agency's system: svc:NAME"
    )
    p.add_argument(
        "--scopes", default="", help="with --service-account: " + ", ".join(Scope)
    )
    p.add_argument(
        "--ttl-hours",
        type=float,
        default=12.0,
        help="how long it is valid (at most TOKEN_MAX_LIFETIME_HOURS)",
    )


def _add_log_commands(commands: _Commands) -> None:
    p = commands.add("verify", verify_command, "verify the hash chains and seals")
    p.add_argument(
        "--service", choices=sorted(SERVICES), help="one service (unset: all)"
    )
    p.add_argument("--json", action="store_true", help="print each report as JSON")
    p.add_argument(
        "--kafka",
        help="broker to read the published seals (with --from-kafka: the whole"
        " log) from (unset: KAFKA_BOOTSTRAP, else the local broker)",
    )
    p.add_argument(
        "--from-kafka",
        action="store_true",
        help="verify from the events and seals topics alone (no database): hashes,"
        " chains, published order, seals' signatures, chain and roots",
    )
    p.add_argument("--topic-namespace", default="qingqian", help="the topics' prefix")
    p.add_argument(
        "--witness",
        metavar="URL",
        help="the audit service whose co-signed seals each database must still hold"
        " (unset: the local audit, if it answers; 'none': no witness); its key comes"
        " from --trust's 'audit' set or the local keys; not with --from-kafka",
    )
    p.add_argument(
        "--trust",
        metavar="TRUST.json",
        help="pinned public keys per service (unset: the local keys)",
    )
    p = commands.add(
        "export", export_command, "write a service's log as CloudEvents, one per line"
    )
    p.add_argument(
        "--service", choices=sorted(SERVICES), required=True, help="whose log"
    )
    p.add_argument("--output", default="-", help="a file, or - for standard output")
    p = commands.add(
        "verify-bundle",
        verify_bundle_command,
        "check an evidence bundle from audit offline",
    )
    p.add_argument("file", metavar="FILE", help="the bundle (GET /bundles)")
    p.add_argument(
        "--trust",
        metavar="TRUST.json",
        help="pinned public keys per service and audit's (unset: the local keys)",
    )


def build_parser() -> argparse.ArgumentParser:
    """The whole `qingqian` command line."""
    parser = argparse.ArgumentParser(
        prog="qingqian",
        description=__doc__,
        parents=[_common(is_subcommand=False)],
        formatter_class=Formatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    commands = _Commands(parser)
    _add_up(commands)
    _add_token(commands)
    _add_log_commands(commands)
    p = commands.add(
        "demo", demo, "enter demo cases, meetings and listings into a running stack"
    )
    p.add_argument("--port-offset", type=int, default=0, help="as given to up")
    p.add_argument("--seed", type=int, default=2017, help="which made-up set to enter")
    commands.add("keys", keys_command, "print keys as environment lines")
    commands.add(
        "trust", trust_command, "print the local services' public keys as a trust file"
    )
    p = commands.add(
        "contracts", contracts_command, "write each service's AsyncAPI document"
    )
    p.add_argument("--output", default=str(CONTRACTS), help="the folder to write to")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `qingqian` command."""
    args = build_parser().parse_args(argv)
    try:
        result: int = args.run(args)
    except NoData as nothing:
        say(f"error: {nothing}")
        return 2
    return result


if __name__ == "__main__":
    raise SystemExit(main())
