"""What the credit demo makes up: employers of Chengdong with valid credit codes, and
their legal representatives and responsible persons with valid ID numbers."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Final

from stdnum.cn import ric, uscc

EMPLOYERS: Final = (
    "青海鑫源建筑工程有限公司",
    "西宁河湟劳务有限公司",
    "青海昆仑路桥建设有限公司",
    "西宁祁连装饰工程有限公司",
    "青海三江物业服务有限公司",
    "西宁雪域餐饮管理有限公司",
    "青海德隆建设工程有限公司",
    "西宁瑞丰商贸有限公司",
    "青海恒通物流有限公司",
    "西宁宏达保安服务有限公司",
    "青海金阳劳务有限公司",
    "城东区安泰牛羊肉加工厂",
    "青海夏都酒店管理有限公司",
    "西宁东川建筑工程有限公司",
)
PEOPLE: Final = ("马德福", "韩国忠", "李建华", "冶成林", "祁永福", "张海龙")
# Where the persons come from: Xining and the Hehuang valley (GB/T 2260 county codes).
_HOMES: Final = ("630102", "630121", "632122", "632126", "632127")
# Organization codes: digits and capitals except I, O, S, V, Z (GB 32100-2015).
_ORG_ALPHABET: Final = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CHENGDONG: Final = "630102"


class MadeUp:
    """Names, credit codes and ID numbers, the same for the same seed."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(f"credit-demo-{seed}")  # noqa: S311 - demo data, not a secret
        self.employers = iter(EMPLOYERS)
        self.people = iter(PEOPLE)

    def employer(self) -> dict[str, str]:
        """The next employer, with a valid USCC registered in Chengdong."""
        return {"kind": "employer", "name": next(self.employers), "uscc": self.uscc()}

    def person(self, kind: str, role: str) -> dict[str, str]:
        """The next person, with a valid resident ID number."""
        return {
            "kind": kind,
            "name": next(self.people),
            "id_number": self.id_number(),
            "role_at_employer": role,
        }

    def uscc(self) -> str:
        """A valid unified social credit code (GB 32100-2015) of a company."""
        body = "MA" + "".join(self.rng.choice(_ORG_ALPHABET[:27]) for _ in range(6))
        weights = (3, 7, 9, 10, 5, 8, 4, 2)
        total = sum(int(c, 36) * w for c, w in zip(body, weights, strict=True))
        check = {10: "X", 11: "0"}.get(11 - total % 11, str(11 - total % 11))
        first = "91" + _CHENGDONG + body + check
        return first + uscc.calc_check_digit(first)

    def id_number(self) -> str:
        """A valid resident ID number (GB 11643-1999) of someone born 1960–1985."""
        while True:
            born = date(1960, 1, 1) + timedelta(days=self.rng.randrange(25 * 365))
            first = (
                f"{self.rng.choice(_HOMES)}{born:%Y%m%d}{self.rng.randrange(1000):03d}"
            )
            number = first + ric.calc_check_digit(first + "0")
            if ric.is_valid(number):
                return number
