"""deploy/k8s/, the Kustomize base, is valid Kubernetes and hangs together: a
Deployment, Service and migration Job per service, probes on /readyz and /healthz, each
service's keys from its own Secret, Kafka and PostgreSQL as external services.

There is no cluster in CI: the manifests are read and checked against the schemas that
kubernetes-validate ships (no network), for the Kubernetes version pinned below."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import kubernetes_validate  # type: ignore[import-untyped]  # ships no type hints
import pytest
import yaml

from shared.relay.topics import TopicPolicy
from shared.settings import DistrictSettings, ServiceSettings

ROOT = Path(__file__).resolve().parents[2]
BASE = ROOT / "deploy" / "k8s"
DEPLOYMENT_GUIDE = ROOT / "docs" / "deployment.md"
# The oldest Kubernetes release the base is written for.
KUBERNETES_VERSION = "1.33.0"
# deploy/Dockerfile: WORKDIR /app, COPY services/ services/.
IMAGE_ROOT = "/app/"
SERVICES = sorted(p.parent.name for p in (ROOT / "services").glob("*/__main__.py"))
PLATFORM_SECRET = "qingqian-platform"

Manifest = dict[str, Any]


@cache
def _kustomization() -> dict[str, Any]:
    loaded = yaml.safe_load((BASE / "kustomization.yaml").read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


@cache
def _manifests() -> tuple[tuple[str, Manifest], ...]:
    """(file, manifest) for every document of every resource the base lists."""
    found = []
    for resource in _kustomization()["resources"]:
        text = (BASE / resource).read_text(encoding="utf-8")
        found += [(resource, doc) for doc in yaml.safe_load_all(text) if doc]
    return tuple(found)


def _of_kind(kind: str) -> dict[str, Manifest]:
    return {m["metadata"]["name"]: m for _, m in _manifests() if m["kind"] == kind}


def _container(workload: Manifest) -> Manifest:
    (container,) = workload["spec"]["template"]["spec"]["containers"]
    assert isinstance(container, dict)
    return container


def _secret_refs(container: Manifest) -> dict[str, tuple[str, str]]:
    """Each variable taken from a Secret: name → (secret, key)."""
    refs = {}
    for variable in container.get("env", []):
        ref = variable.get("valueFrom", {}).get("secretKeyRef")
        if ref is not None:
            refs[variable["name"]] = (ref["name"], ref["key"])
    return refs


def _generated_secrets() -> dict[str, Manifest]:
    return {g["name"]: g for g in _kustomization().get("secretGenerator", [])}


def _config() -> dict[str, str]:
    (config,) = _of_kind("ConfigMap").values()
    data = config["data"]
    assert isinstance(data, dict)
    return data


@pytest.mark.parametrize(
    ("resource", "manifest"),
    _manifests(),
    ids=[f"{f}:{m['kind']}/{m['metadata']['name']}" for f, m in _manifests()],
)
def test_every_manifest_is_valid_against_the_kubernetes_schemas(
    resource: str, manifest: Manifest
) -> None:
    # strict: a field the schema does not know (a typo) fails too.
    kubernetes_validate.validate(manifest, KUBERNETES_VERSION, strict=True)


def test_every_service_has_a_deployment_a_service_and_a_migration_job() -> None:
    assert SERVICES
    for service in SERVICES:
        assert service in _of_kind("Deployment"), service
        assert service in _of_kind("Service"), service
        assert f"{service}-migrate" in _of_kind("Job"), service


def test_every_deployment_is_ready_on_readyz_and_alive_on_healthz() -> None:
    for name, deployment in _of_kind("Deployment").items():
        container = _container(deployment)
        ports = {p["name"]: p["containerPort"] for p in container["ports"]}
        readiness = container["readinessProbe"]["httpGet"]
        liveness = container["livenessProbe"]["httpGet"]
        assert readiness["path"] == "/readyz", name
        assert liveness["path"] == "/healthz", name
        assert {readiness["port"], liveness["port"]} <= set(ports), name


def test_every_deployment_listens_where_its_service_sends() -> None:
    services = _of_kind("Service")
    for name, deployment in _of_kind("Deployment").items():
        container = _container(deployment)
        env = {v["name"]: v.get("value") for v in container["env"]}
        ports = {p["name"]: p["containerPort"] for p in container["ports"]}
        assert str(ports["http"]) == env["PORT"], name
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        service = services[name]["spec"]
        assert service["selector"].items() <= labels.items(), name
        assert {p["targetPort"] for p in service["ports"]} <= set(ports), name


def test_every_container_asks_for_resources_and_runs_without_root() -> None:
    for kind in ("Deployment", "Job"):
        for name, workload in _of_kind(kind).items():
            container = _container(workload)
            assert container["resources"]["requests"], name
            assert container["resources"]["limits"]["memory"], name
            pod = workload["spec"]["template"]["spec"]
            assert pod["securityContext"]["runAsNonRoot"] is True, name
            assert container["securityContext"]["allowPrivilegeEscalation"] is False


def test_every_service_takes_its_keys_from_its_own_secret() -> None:
    for service in SERVICES:
        refs = _secret_refs(_container(_of_kind("Deployment")[service]))
        own = f"qingqian-{service}"
        assert refs["DATABASE_URL"][0] == own, service
        assert refs["SEAL_PRIVATE_KEY"] == (own, "SEAL_PRIVATE_KEY"), service
        assert refs["PERSONAL_DATA_KEK"] == (own, "PERSONAL_DATA_KEK"), service
        assert refs["JWT_PUBLIC_KEY"] == (PLATFORM_SECRET, "JWT_PUBLIC_KEY"), service
    credit = _secret_refs(_container(_of_kind("Deployment")["credit"]))
    assert credit["PERSON_KEY_SECRET"] == ("qingqian-credit", "PERSON_KEY_SECRET")


def test_every_secret_used_is_generated_with_the_keys_asked_of_it() -> None:
    generated = _generated_secrets()
    for kind in ("Deployment", "Job"):
        for name, workload in _of_kind(kind).items():
            for secret, key in _secret_refs(_container(workload)).values():
                assert secret in generated, f"{name}: {secret}"
                files = [
                    f.partition("=")[0] for f in generated[secret].get("files", [])
                ]
                # Keys of an env file are its lines: docs/deployment.md writes them.
                assert key in files or generated[secret].get("envs"), f"{name}: {key}"


def test_the_deployment_guide_writes_every_secret_file_the_base_reads() -> None:
    guide = DEPLOYMENT_GUIDE.read_text(encoding="utf-8")
    for generator in _generated_secrets().values():
        sources = [f.partition("=")[2] for f in generator.get("files", [])]
        for source in sources + list(generator.get("envs", [])):
            assert source.startswith("secrets/"), source
            assert f"deploy/k8s/{source}" in guide, source


def test_every_migration_job_migrates_its_service_with_its_image() -> None:
    for service in SERVICES:
        job = _container(_of_kind("Job")[f"{service}-migrate"])
        deployment = _container(_of_kind("Deployment")[service])
        assert job["image"] == deployment["image"], service
        assert job["command"][:3] == ["python", "-m", "shared.migrate"], service
        (folder,) = job["command"][3:]
        assert folder.startswith(IMAGE_ROOT), service
        assert (ROOT / folder.removeprefix(IMAGE_ROOT)).is_dir(), folder
        assert folder.endswith(f"services/{service}/migrations"), service
        assert (
            _secret_refs(job)["DATABASE_URL"]
            == _secret_refs(deployment)["DATABASE_URL"]
        )


def test_the_config_names_only_settings_the_services_read() -> None:
    fields = {f.upper() for f in ServiceSettings.model_fields}
    assert set(_config()) <= fields


def test_the_config_asks_for_a_replicated_log_and_refuses_unsafe_topics() -> None:
    values = {k.lower(): v for k, v in _config().items() if k.startswith("TOPIC_")}
    policy = TopicPolicy.from_settings(ServiceSettings.model_validate(values))

    assert policy == TopicPolicy(
        replication_factor=3, min_insync_replicas=2, on_unsafe="refuse"
    )


def test_the_config_names_the_district_of_the_district_file() -> None:
    district = DistrictSettings.load(ROOT / "deploy" / "district.toml")

    assert _config()["DISTRICT"] == district.code


def test_kafka_and_postgres_are_external_services_the_config_points_at() -> None:
    services = _of_kind("Service")
    for name in ("kafka", "postgres"):
        assert services[name]["spec"]["type"] == "ExternalName", name
        assert services[name]["spec"]["externalName"], name
    for address in _config()["KAFKA_BOOTSTRAP"].split(","):
        host = urlsplit(f"//{address.strip()}").hostname
        assert host in services, address
