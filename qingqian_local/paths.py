"""Files of the checkout the local stack reads, found from this package — never from
the working directory, so `qingqian up` run anywhere starts the same stack."""

from __future__ import annotations

import os
from pathlib import Path

# The local tools run from a checkout (README: `pip install -e`); the district file is
# the one the image ships too (deploy/Dockerfile).
CHECKOUT = Path(__file__).resolve().parent.parent
DISTRICT_FILE = CHECKOUT / "deploy" / "district.toml"


def district_file() -> Path:
    """`DISTRICT_FILE` when set, else the checkout's; FileNotFoundError when neither
    is there (cases cannot start without the district's limits)."""
    given = os.environ.get("DISTRICT_FILE")
    path = Path(given).resolve() if given else DISTRICT_FILE
    if not path.is_file():
        raise FileNotFoundError(f"no district file at {path}: set DISTRICT_FILE")
    return path
