"""Every service gets a key-encryption key from outside its database, and refuses to
start without one."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from pydantic import SecretStr

from qingqian_local.embedded import ServiceDatabase
from qingqian_local.keys import LocalKeys
from qingqian_local.supervisor.ports import Replica
from qingqian_local.supervisor.stack import _service_env
from shared.chain import new_private_key_pem
from shared.http import create_service_app
from shared.key_wrapping import Kek
from shared.settings import ServiceSettings


def settings(kek: str | None = None) -> ServiceSettings:
    return ServiceSettings(
        service="cases",
        database_url="postgresql://nobody@127.0.0.1:1/none",
        jwt_public_key=SecretStr("unused"),
        seal_private_key=SecretStr(new_private_key_pem()),
        personal_data_kek=SecretStr(kek) if kek is not None else None,
    )


def test_a_service_without_a_kek_refuses_to_start() -> None:
    with pytest.raises(ValueError, match="PERSONAL_DATA_KEK is required"):
        create_service_app(settings(), title="t", routers=[])


def test_a_service_with_a_malformed_kek_refuses_to_start() -> None:
    with pytest.raises(ValueError, match="key-encryption key"):
        create_service_app(settings(kek="c2hvcnQ="), title="t", routers=[])


def test_each_service_has_its_own_kek_kept_in_a_private_file(tmp_path: Path) -> None:
    keys = LocalKeys(tmp_path / "keys")

    cases, credit = keys.personal_data_kek("cases"), keys.personal_data_kek("credit")

    assert cases != credit
    assert keys.personal_data_kek("cases") == cases
    assert Kek.from_base64(cases).kek_id != Kek.from_base64(credit).kek_id
    mode = (tmp_path / "keys" / "kek_cases.b64").stat().st_mode
    assert stat.S_IMODE(mode) == 0o600


def test_up_gives_each_replica_its_services_kek(tmp_path: Path) -> None:
    keys = LocalKeys(tmp_path / "keys")
    replica = Replica(service="credit", index=2, port=8104)
    database = ServiceDatabase(owner_url="postgresql://o", runtime_url="postgresql://a")

    env = _service_env(replica, keys, database, "127.0.0.1:9092")

    assert env["PERSONAL_DATA_KEK"] == keys.personal_data_kek("credit")
