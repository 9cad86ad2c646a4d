"""docker-compose.yml, deploy/Dockerfile and the files they use hang together.

There is no Docker engine in CI, so these checks read the files instead of running them.
"""

from __future__ import annotations

import fnmatch
import json
import posixpath
import re
import shlex
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from qingqian_local.cli import main
from shared.key_wrapping import Kek
from shared.relay.topics import TopicPolicy
from shared.settings import DistrictSettings, ServiceSettings

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"
SERVICE_DOCKERFILE = "deploy/Dockerfile"
DISTRICT_FILE = ROOT / "deploy" / "district.toml"
INIT_FOLDER_IN_CONTAINER = "/docker-entrypoint-initdb.d"
TOPIC_SETTINGS = (
    "TOPIC_REPLICATION_FACTOR",
    "TOPIC_MIN_INSYNC_REPLICAS",
    "TOPIC_ON_UNSAFE",
)
# Fewer brokers than this cannot keep RF=3 with min.insync.replicas=2 through the loss
# of one broker: such a compose file must say it is for development only.
PRODUCTION_BROKERS = 3


@cache
def _compose() -> dict[str, Any]:
    loaded = yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict), "docker-compose.yml must be a mapping"
    return loaded


def _services() -> dict[str, dict[str, Any]]:
    services = _compose().get("services")
    assert isinstance(services, dict), "docker-compose.yml must have a services mapping"
    return services


def _build(service: dict[str, Any]) -> dict[str, Any] | None:
    build = service.get("build")
    if build is None:
        return None
    if isinstance(build, str):
        return {"context": build}
    assert isinstance(build, dict)
    return build


def _dockerfile_of(build: dict[str, Any]) -> Path:
    context = ROOT / str(build.get("context", "."))
    return context / str(build.get("dockerfile", "Dockerfile"))


def _qingqian_services() -> dict[str, dict[str, Any]]:
    """The services built from the one service image, deploy/Dockerfile."""
    found = {}
    for name, service in _services().items():
        build = _build(service)
        if build is not None and _dockerfile_of(build) == ROOT / SERVICE_DOCKERFILE:
            found[name] = service
    assert found, f"no service is built from {SERVICE_DOCKERFILE}"
    return found


def _environment(service: dict[str, Any]) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        return dict(str(item).partition("=")[::2] for item in env)
    assert isinstance(env, dict)
    return {str(k): "" if v is None else str(v) for k, v in env.items()}


def _dockerfile_instructions(path: Path) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, with continuation lines joined."""
    instructions: list[tuple[str, str]] = []
    pending = ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        line = pending + line
        pending = ""
        keyword, _, arguments = line.partition(" ")
        instructions.append((keyword.upper(), arguments.strip()))
    return instructions


def _copies(path: Path) -> list[tuple[list[str], str, str]]:
    """Each COPY from the build context: (sources, destination, WORKDIR at the time)."""
    workdir = "/"
    copies = []
    for keyword, arguments in _dockerfile_instructions(path):
        if keyword == "WORKDIR":
            workdir = posixpath.join(workdir, arguments)
        elif keyword in {"COPY", "ADD"}:
            if arguments.startswith("["):
                words = [str(w) for w in json.loads(arguments)]
            else:
                words = shlex.split(arguments)
            if any(w.startswith("--from=") for w in words):
                continue
            words = [w for w in words if not w.startswith("--")]
            copies.append((words[:-1], words[-1], workdir))
    return copies


def _paths_in_image(path: Path) -> set[str]:
    """Absolute paths in the image where the context's files and folders land."""
    landed = set()
    for sources, destination, workdir in _copies(path):
        target = posixpath.join(workdir, destination)
        for source in sources:
            is_into_folder = destination.endswith("/") and not (ROOT / source).is_dir()
            into = posixpath.join(target, posixpath.basename(source))
            landed.add(posixpath.normpath(into if is_into_folder else target))
    return landed


def _dockerignore_patterns() -> list[str]:
    ignore = ROOT / ".dockerignore"
    if not ignore.exists():
        return []
    lines = (line.strip() for line in ignore.read_text(encoding="utf-8").splitlines())
    return [line.rstrip("/") for line in lines if line and line[0] not in "#!"]


def test_compose_file_parses_as_a_mapping_of_services() -> None:
    assert _services()


def test_compose_file_has_no_obsolete_version_key() -> None:
    assert "version" not in _compose()


def test_every_service_has_an_image_or_a_build() -> None:
    for name, service in _services().items():
        assert "image" in service or "build" in service, name


def test_kafka_runs_kraft_with_broker_and_controller_and_no_zookeeper() -> None:
    env = _environment(_services()["kafka"])
    roles = {r.strip() for r in env.get("KAFKA_PROCESS_ROLES", "").split(",")}
    assert {"broker", "controller"} <= roles
    assert env.get("KAFKA_CONTROLLER_QUORUM_VOTERS")
    assert not any("ZOOKEEPER" in key for key in env)
    for name, service in _services().items():
        assert "zookeeper" not in name.lower()
        assert "zookeeper" not in str(service.get("image", "")).lower()


def test_postgres_and_kafka_have_healthchecks() -> None:
    for name in ("postgres", "kafka"):
        assert _services()[name].get("healthcheck", {}).get("test"), name


def test_every_qingqian_service_has_database_kafka_and_port_in_environment() -> None:
    for name, service in _qingqian_services().items():
        env = _environment(service)
        for key in ("DATABASE_URL", "KAFKA_BOOTSTRAP", "PORT"):
            assert env.get(key), f"{name} lacks {key}"


def test_every_qingqian_service_has_a_healthcheck() -> None:
    for name, service in _qingqian_services().items():
        assert service.get("healthcheck", {}).get("test"), name


def test_every_qingqian_service_waits_for_healthy_postgres_and_kafka() -> None:
    for name, service in _qingqian_services().items():
        depends_on = service.get("depends_on")
        assert isinstance(depends_on, dict), f"{name}: depends_on needs conditions"
        for dependency in ("postgres", "kafka"):
            condition = depends_on.get(dependency, {}).get("condition")
            assert condition == "service_healthy", f"{name} -> {dependency}"


def test_qingqian_services_reach_postgres_and_kafka_by_their_compose_names() -> None:
    for name, service in _qingqian_services().items():
        env = _environment(service)
        assert urlsplit(env["DATABASE_URL"]).hostname == "postgres", name
        for address in env["KAFKA_BOOTSTRAP"].split(","):
            assert address.strip().rpartition(":")[0] == "kafka", name


def test_every_qingqian_service_publishes_the_port_it_listens_on() -> None:
    for name, service in _qingqian_services().items():
        port = _environment(service)["PORT"]
        container_ports = {str(p).rpartition(":")[2] for p in service.get("ports", [])}
        assert port in container_ports, name


def test_every_qingqian_service_builds_a_folder_under_services() -> None:
    for name, service in _qingqian_services().items():
        build = _build(service)
        assert build is not None
        chosen = build.get("args", {}).get("SERVICE")
        assert chosen, f"{name}: build args need SERVICE"
        assert (ROOT / "services" / str(chosen)).is_dir(), name


def test_every_build_dockerfile_exists() -> None:
    for name, service in _services().items():
        build = _build(service)
        if build is not None:
            assert _dockerfile_of(build).is_file(), name


def test_every_dockerfile_copy_source_exists_and_is_not_dockerignored() -> None:
    patterns = _dockerignore_patterns()
    copies = _copies(ROOT / SERVICE_DOCKERFILE)
    assert copies
    for sources, _, _ in copies:
        for source in sources:
            assert (ROOT / source).exists(), source
            parts = Path(source).parts
            prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
            for pattern in patterns:
                for prefix in prefixes:
                    assert not fnmatch.fnmatch(prefix, pattern), f"{source}: {pattern}"


def test_district_file_in_compose_is_where_the_dockerfile_copies_it() -> None:
    landed = _paths_in_image(ROOT / SERVICE_DOCKERFILE)
    for name, service in _qingqian_services().items():
        district_file = _environment(service).get("DISTRICT_FILE")
        assert district_file in landed, f"{name}: {district_file} not in {landed}"


def test_init_sql_creates_the_database_of_every_qingqian_service() -> None:
    mounts = _services()["postgres"].get("volumes", [])
    folders = []
    for mount in mounts:
        if isinstance(mount, dict):
            source, target = str(mount.get("source")), str(mount.get("target"))
        else:
            source, target = str(mount).split(":")[:2]
        if target == INIT_FOLDER_IN_CONTAINER:
            folders.append(ROOT / source)
    assert len(folders) == 1, f"mount one folder at {INIT_FOLDER_IN_CONTAINER}"
    sql = "\n".join(p.read_text(encoding="utf-8") for p in folders[0].glob("*.sql"))
    created = set(re.findall(r'CREATE\s+DATABASE\s+"?(\w+)"?', sql, re.IGNORECASE))
    for name, service in _qingqian_services().items():
        database = urlsplit(_environment(service)["DATABASE_URL"]).path.lstrip("/")
        assert database in created, f"{name}: {database} not in {created}"


def test_district_file_loads_into_district_settings() -> None:
    district = DistrictSettings.load(DISTRICT_FILE)
    assert district.code
    assert district.timezone == "Asia/Shanghai"


def test_district_code_in_compose_matches_the_district_file() -> None:
    district = DistrictSettings.load(DISTRICT_FILE)
    for name, service in _qingqian_services().items():
        assert _environment(service).get("DISTRICT") == district.code, name


def _kafka_brokers() -> list[str]:
    return [
        name
        for name, service in _services().items()
        if "broker" in _environment(service).get("KAFKA_PROCESS_ROLES", "")
    ]


def _topic_policy(service: dict[str, Any]) -> TopicPolicy:
    env = _environment(service)
    values = {key.lower(): env[key] for key in env if key.startswith("TOPIC_")}
    return TopicPolicy.from_settings(ServiceSettings.model_validate(values))


def test_every_qingqian_service_sets_the_topic_settings() -> None:
    for name, service in _qingqian_services().items():
        env = _environment(service)
        for key in TOPIC_SETTINGS:
            assert env.get(key), f"{name} lacks {key}"


def test_every_topic_variable_names_a_service_setting() -> None:
    fields = {f.upper() for f in ServiceSettings.model_fields}
    for name, service in _qingqian_services().items():
        for key in _environment(service):
            if key.startswith("TOPIC_"):
                assert key in fields, f"{name}: {key} is no setting"


def test_no_topic_asks_for_more_copies_than_there_are_brokers() -> None:
    brokers = len(_kafka_brokers())
    for name, service in _qingqian_services().items():
        policy = _topic_policy(service)
        assert policy.replication_factor <= brokers, name
        assert policy.min_insync_replicas <= policy.replication_factor, name


def test_the_relay_refuses_a_topic_that_does_not_keep_the_whole_log() -> None:
    for name, service in _qingqian_services().items():
        assert _topic_policy(service).on_unsafe == "refuse", name


def test_fewer_brokers_than_a_production_cluster_are_marked_development_only() -> None:
    if len(_kafka_brokers()) >= PRODUCTION_BROKERS:
        return
    header = COMPOSE_FILE.read_text(encoding="utf-8").split("\nservices:")[0]
    assert "DEVELOPMENT ONLY" in header


def test_kafka_makes_no_topic_on_first_use() -> None:
    # Only the relay makes topics, with the retention it checks.
    for name in _kafka_brokers():
        env = _environment(_services()[name])
        assert env.get("KAFKA_AUTO_CREATE_TOPICS_ENABLE") == "false", name


def test_every_qingqian_service_gets_its_own_kek_from_qingqian_keys(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["--home", str(tmp_path), "keys"])
    printed = dict(line.split("=", 1) for line in capsys.readouterr().out.splitlines())

    for name, service in _qingqian_services().items():
        variable = f"{name.upper()}_PERSONAL_DATA_KEK"
        assert variable in _environment(service)["PERSONAL_DATA_KEK"], name
        assert Kek.from_base64(printed[variable]), name
