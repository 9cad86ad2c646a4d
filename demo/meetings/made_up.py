"""What the meetings demo makes up: a random source per meeting (the same for the same
seed), who attends, and the employer a joint inspection finds owing wages, with a valid
credit code."""

from __future__ import annotations

import random
from typing import Any, Final

from stdnum.cn import uscc

# Members of the 2017 roster (services/members/seed_roster_2017.json): unit, name, id.
MEMBERS: Final = (
    ("qzf", "马吉祥", "2017-01"),
    ("zfb", "崔玉琦", "2017-02"),
    ("rsj", "马晓春", "2017-03"),
    ("gafj", "何军", "2017-05"),
    ("czj", "马晓祥", "2017-06"),
    ("sfj", "杨存福", "2017-07"),
    ("jsj", "冶玉春", "2017-08"),
    ("fy", "杨桂生", "2017-12"),
    ("yjkz", "冶华强", "2017-14"),
    ("sq-linjiaya", "严远宁", "2017-16"),
)
# Who is sent in a member's place (made up).
_STAND_INS: Final = (
    "李建军（副局长）",
    "王海燕（副主任）",
    "张国庆（科长）",
    "陈立新（副局长）",
)
_EXCUSES: Final = ("外出学习", "参加市里会议", "出差")
EMPLOYERS: Final = (
    "青海恒基建筑劳务有限公司",
    "西宁华盛建设工程有限公司",
    "青海同鑫市政工程有限公司",
    "西宁宏远劳务分包有限公司",
)
# Organization codes: digits and capitals except I, O, S, V, Z (GB 32100-2015).
_ORG_ALPHABET: Final = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CHENGDONG: Final = "630102"


def rng_for(seed: int, story: str) -> random.Random:
    """The random source of one meeting: the same seed and story, the same choices."""
    return random.Random(f"meetings-demo-{seed}-{story}")  # noqa: S311 - demo data, not a secret


def attendance(rng: random.Random, chair: str) -> list[dict[str, Any]]:
    """Who came: the chair and most members present, one excused, one represented."""
    people = [m for m in MEMBERS if m[2] == chair or m[0] not in ("qzf", "zfb")]
    excused, represented = rng.sample(
        [m for m in people if m[2] != chair and m[0] != "rsj"], 2
    )
    entries = []
    for unit, name, person_id in people:
        entry: dict[str, Any] = {
            "unit_code": unit,
            "person_name": name,
            "person_id": person_id,
            "status": "present",
        }
        if (unit, name, person_id) == excused:
            entry |= {"status": "excused", "note": rng.choice(_EXCUSES)}
        elif (unit, name, person_id) == represented:
            entry |= {"status": "represented", "represented_by": rng.choice(_STAND_INS)}
        entries.append(entry)
    return entries


def employer(rng: random.Random) -> tuple[str, str]:
    """An employer's name and a valid unified social credit code (GB 32100-2015) of a
    company registered in Chengdong."""
    body = "MA" + "".join(rng.choice(_ORG_ALPHABET[:27]) for _ in range(6))
    weights = (3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(c, 36) * w for c, w in zip(body, weights, strict=True))
    check = {10: "X", 11: "0"}.get(11 - total % 11, str(11 - total % 11))
    first = "91" + _CHENGDONG + body + check
    return rng.choice(EMPLOYERS), first + uscc.calc_check_digit(first)
