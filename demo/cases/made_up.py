"""What the demo makes up: names of employers, projects and workers, valid credit codes
and ID numbers, and the words of notes."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Final

from stdnum.cn import ric, uscc


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


WORDS: Final = _words(
    "鑫源 昆仑 湟水 河湟 祁连 三江 雪域 德隆 瑞丰 恒通 宏达 金阳 安泰 青湖 夏都 东川 凤凰 丰泽"
)
BUILDERS: Final = (
    "青海{}建筑工程有限公司",
    "西宁{}建设有限公司",
    "青海{}劳务有限公司",
)
OTHERS: Final = _words(
    "西宁{}餐饮管理有限公司 青海{}物业服务有限公司 西宁{}清真食品有限公司 青海{}保安服务有限公司"
    " 西宁{}商贸有限公司 青海{}物流有限公司 西宁{}酒店管理有限公司 城东区{}牛羊肉加工厂"
)
PLACES: Final = _words(
    "韵家口 东关大街 林家崖 周家泉 清真巷 国际村 火车站 互助中路 康乐 青藏花园 泰宁 八一路 富强巷"
)
WORKS: Final = _words(
    "棚户区改造 老旧小区改造 商住楼 安置房 综合管廊 道路提升改造 小学教学楼 社区卫生服务中心"
)
# The towns and communities of the 2017 roster: every case lies in one of them.
TERRITORIES: Final = _words(
    "sq-dongguan sq-linjiaya sq-zhoujiaquan sq-qingzhenxiang sq-guojicun sq-dazhong"
    " sq-fuqiangxiang sq-huochezhan sq-huzhong sq-kangle sq-qingzanghuayuan sq-taining yjkz"
)
SURNAMES: Final = "马韩冶喇祁鲁李张王赵刘陈杨何汪"
GIVEN: Final = _words(
    "有福 进财 国忠 文军 永福 建华 海龙 学军 玉花 德明 成林 才让 秀英 小龙 占奎"
)
# Where the workers come from: Xining and the Hehuang valley (GB/T 2260 county codes).
HOMES: Final = _words("630102 630121 632122 632126 632127 632128 622921 622927 632521")
# Organization codes: digits and capitals except I, O, S, V, Z (GB 32100-2015).
_USCC_ALPHABET: Final = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CHENGDONG: Final = "630102"


def org_code(rng: random.Random) -> str:
    """A new-style organization code (`MA…`) with its GB 11714 check digit."""
    body = "MA" + "".join(rng.choice(_USCC_ALPHABET[:27]) for _ in range(6))
    weights = (3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(c, 36) * w for c, w in zip(body, weights, strict=True))
    check = 11 - total % 11
    return body + {10: "X", 11: "0"}.get(check, str(check))


def credit_code(rng: random.Random) -> str:
    """A valid USCC of a company registered in Chengdong (GB 32100-2015)."""
    first = "91" + _CHENGDONG + org_code(rng)
    return first + uscc.calc_check_digit(first)


def id_number(rng: random.Random) -> str:
    """A valid resident ID number of a worker born 1965–2002 (GB 11643-1999)."""
    while True:
        born = date(1965, 1, 1) + timedelta(days=rng.randrange(38 * 365))
        first = f"{rng.choice(HOMES)}{born:%Y%m%d}{rng.randrange(1000):03d}"
        number = first + ric.calc_check_digit(first + "0")
        # A county code counts only for people born while it existed.
        if ric.is_valid(number):
            return number


# What the office writes when it assigns a case to a lead unit.
NOTES: Final = {
    "jsj": "工程建设领域欠薪，请区建设局牵头督促总包单位落实工资支付责任",
    "gafj": "用人单位负责人失联，请公安分局牵头查找并依法处置",
    "xfj": "信访移交件，请区信访局牵头做好群众接待和答复",
    "sfj": "请区司法局牵头为农民工提供法律援助",
    "fy": "请区法院依法强制执行",
    "yjkz": "属地管理，请韵家口镇牵头调处",
    "rsj": "请区人社局劳动保障监察大队牵头调查处理",
    "sq": "属地管理，请社区牵头核实情况并做好稳控",
}
# How a case's summary begins, by where it came from.
SOURCES: Final = {
    "complaint": "",
    "report": "群众举报：",
    "platform_clue": "全国根治欠薪线索反映平台转来：",
    "petition_handover": "区信访局移交：",
    "inspection_finding": "联合检查发现：",
    "patrol": "日常巡查发现：",
}
