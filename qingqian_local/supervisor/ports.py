"""Which processes `up` runs on which ports, and whether those ports are free."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from qingqian_local.embedded import is_port_free

# Replica k of a service listens 100·(k-1) above the service's port: 8002, 8102, 8202…
# clear of the other services' ports (8001–8004).
REPLICA_PORT_STEP = 100
MAX_REPLICAS = 9
# Services `up` runs once: each audit replica would repeat the whole verification of
# every topic (safe, but twice the work), and kubernetes runs one.
RUNS_ONCE = frozenset({"audit"})


@dataclass(frozen=True)
class Replica:
    """One process of a service: `cases`, `cases-2`…"""

    service: str
    index: int
    port: int

    @property
    def name(self) -> str:
        """The service's name, with the replica's number from the second on."""
        return self.service if self.index == 1 else f"{self.service}-{self.index}"


def parse_replicas(values: Iterable[str], services: Iterable[str]) -> dict[str, int]:
    """`["cases=2", "members=2,credit=3"]` → `{"cases": 2, "members": 2, "credit": 3}`;
    raises `ValueError` naming what is wrong."""
    known = set(services)
    counts: dict[str, int] = {}
    for value in values:
        for item in filter(None, (part.strip() for part in value.split(","))):
            name, sep, count = item.partition("=")
            if not sep or name not in known:
                raise ValueError(
                    f"--replicas {item!r}: expected SERVICE=N with SERVICE one of "
                    + ", ".join(sorted(known))
                )
            if not count.isdigit() or not 1 <= int(count) <= MAX_REPLICAS:
                raise ValueError(f"--replicas {item!r}: N must be 1 to {MAX_REPLICAS}")
            if name in RUNS_ONCE and int(count) != 1:
                raise ValueError(
                    f"--replicas {item!r}: {name} runs once (a second would repeat"
                    " all its work)"
                )
            counts[name] = int(count)
    return counts


def replicas_of(ports: Mapping[str, int], replicas: Mapping[str, int]) -> list[Replica]:
    """Every process to run, services in order, each one's replicas together."""
    return [
        Replica(service, index, port + REPLICA_PORT_STEP * (index - 1))
        for service, port in ports.items()
        for index in range(1, replicas.get(service, 1) + 1)
    ]


def taken_port(replicas: Iterable[Replica], kafka_port: int | None) -> str | None:
    """The first port something else already holds, said with the flag that moves it."""
    for replica in replicas:
        if not is_port_free(replica.port):
            return (
                f"port {replica.port} ({replica.name}) is already in use: stop what"
                " listens there, or move every service port with --port-offset N"
            )
    if kafka_port is not None and not is_port_free(kafka_port):
        return (
            f"port {kafka_port} (the broker) is already in use: stop what listens"
            " there, or pass --kafka-port"
        )
    return None
