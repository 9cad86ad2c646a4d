"""The local stack's keys and data folder: the platform's token key and each service's
seal key, key-encryption key and database passwords, made once per machine."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from shared.auth import public_key_pem
from shared.chain import new_private_key_pem
from shared.key_wrapping import Kek
from shared.signatures import (
    DEFAULT_SUITE,
    SUITES,
    SignatureSuite,
    any_signer_from_pem,
    new_signing_key_pem,
    suite_of,
)
from shared.trust import Jwks, TrustFile

DEFAULT_HOME = Path(".qingqian")


def home() -> Path:
    """Where local data and keys live (`QINGQIAN_HOME`, else `./.qingqian`)."""
    return Path(os.environ.get("QINGQIAN_HOME", DEFAULT_HOME)).resolve()


@dataclass(frozen=True)
class LocalKeys:
    """The platform's token key and each service's seal key and key-encryption key,
    made once per machine."""

    folder: Path

    def _kept(self, filename: str, make: Callable[[], str]) -> str:
        path = self.folder / filename
        if not path.exists():
            self.folder.mkdir(parents=True, exist_ok=True)
            path.write_text(make(), encoding="utf-8")
            path.chmod(0o600)
        return path.read_text(encoding="utf-8")

    def _key(self, name: str) -> str:
        return self._kept(f"{name}.pem", new_private_key_pem)

    def secret(self, name: str) -> str:
        """A random secret kept under that name (made on first use)."""
        return self._kept(f"{name}.secret", lambda: secrets.token_hex(32)).strip()

    def jwt_private(self) -> str:
        """The key that signs bearer tokens (`qingqian token`)."""
        return self._key("jwt_private")

    def has_jwt_private(self) -> bool:
        """Whether the token key was made here already (by `qingqian up` or `keys`)."""
        return (self.folder / "jwt_private.pem").exists()

    def jwt_public(self) -> str:
        """What services check tokens with (`JWT_PUBLIC_KEY`)."""
        return public_key_pem(self.jwt_private())

    def seal_private(self, service: str) -> str:
        """The key the service signs its appends and seals with (`SEAL_PRIVATE_KEY`),
        made on first use in the suite `SIGNATURE_SUITE` names (Ed25519 unset)."""
        return self._kept(
            f"seal_{service}.pem", lambda: new_signing_key_pem(_suite_wanted())
        )

    def seal_suite(self, service: str) -> SignatureSuite:
        """The suite of the service's key here: what it runs with, whatever the
        environment says now (a home keeps the suite its keys were made in)."""
        return suite_of(any_signer_from_pem(self.seal_private(service)))

    def personal_data_kek(self, service: str) -> str:
        """The key that wraps the service's per-person data keys
        (`PERSONAL_DATA_KEK`): a file beside the database's folder, never in it."""
        return self._kept(
            f"kek_{service}.b64", lambda: Kek.generate().to_base64()
        ).strip()

    def service_env(self, service: str) -> dict[str, str]:
        """The key settings a service process is started with, from these files."""
        return {
            "JWT_PUBLIC_KEY": self.jwt_public(),
            "SEAL_PRIVATE_KEY": self.seal_private(service),
            "SIGNATURE_SUITE": self.seal_suite(service),
            "PERSONAL_DATA_KEK": self.personal_data_kek(service),
            # Read by credit only: the key persons are looked up by.
            "PERSON_KEY_SECRET": self.secret("credit_person_key"),
        }

    def trust(self, services: list[str]) -> TrustFile:
        """The public keys of the services' signing keys kept here (outside every
        database), as a trust file; a service with no key here gets an empty set, so
        nothing of it verifies. Makes no key."""
        sets: dict[str, Jwks] = {}
        for service in services:
            path = self.folder / f"seal_{service}.pem"
            sets[service] = (
                Jwks.of_signers(any_signer_from_pem(path.read_text("utf-8")))
                if path.exists()
                else Jwks()
            )
        return TrustFile(sets)


def _suite_wanted() -> SignatureSuite:
    wanted = os.environ.get("SIGNATURE_SUITE", DEFAULT_SUITE)
    for suite in SUITES:
        if suite == wanted:
            return suite
    raise ValueError(f"SIGNATURE_SUITE must be one of {', '.join(SUITES)}")


class NoData(Exception):
    """A command that reads the local stack's data or keys, run on a home without them:
    it says so rather than make them (a new cluster, a new signing key)."""

    def __init__(self, data: Path) -> None:
        super().__init__(f"no data at {data} — start it with `qingqian up`")
