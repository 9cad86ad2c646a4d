"""What the demo's meetings say: agenda items, notices, materials, minutes, decisions
and the tasks each unit is handed."""

from __future__ import annotations

import random
from datetime import date
from typing import Final

PLACES: Final = ("区政府三楼会议室", "区政府常务会议室", "区人社局五楼会议室")
UNIT_NAMES: Final = {
    "rsj": "区人社局",
    "jsj": "区建设局",
    "gafj": "城东公安分局",
    "xfj": "区信访局",
    "sfj": "区司法局",
    "fy": "区人民法院",
    "yjkz": "韵家口镇",
    "sq-linjiaya": "林家崖社区",
}
# Document numbers as each unit writes them (`东建〔2018〕12号`).
_PREFIXES: Final = {
    "rsj": "东人社",
    "jsj": "东建",
    "gafj": "东公",
    "xfj": "东信",
    "sfj": "东司",
    "fy": "东法",
    "yjkz": "韵政",
    "sq-linjiaya": "林社",
}
TASKS: Final = {
    "rsj": (
        "开展根治欠薪专项检查，建立欠薪问题台账并逐案销号",
        "每季度通报全区欠薪案件办理情况",
        "督促在建项目落实农民工工资专用账户和实名制管理",
    ),
    "jsj": (
        "排查在建工程项目工资支付情况，督促总包单位按月足额支付",
        "清理政府投资项目拖欠的工程款",
        "落实工资保证金差异化存储制度",
    ),
    "gafj": (
        "依法查处涉嫌拒不支付劳动报酬犯罪案件",
        "做好因欠薪引发群体性事件的应急处置",
    ),
    "xfj": (
        "做好涉薪信访件的登记、转办和督办",
        "汇总分析涉薪信访情况并报联席会议办公室",
    ),
    "sfj": (
        "为欠薪农民工提供法律援助，做到应援尽援",
        "开展《保障农民工工资支付条例》普法宣传",
    ),
    "fy": (
        "对欠薪案件开辟绿色通道，快立快审快执",
        "加大涉薪案件强制执行力度",
    ),
    "yjkz": (
        "排查辖区企业欠薪隐患，建立预警台账",
        "调解辖区欠薪纠纷，及时化解矛盾",
    ),
    "sq-linjiaya": (
        "走访辖区务工人员，摸排欠薪线索",
        "在社区公示欠薪投诉举报渠道",
    ),
}
DECISIONS: Final = (
    "各成员单位按照职责分工，限期化解存量欠薪案件",
    "加强在建工程项目日常监管，从源头预防欠薪",
    "做好岁末年初欠薪问题集中治理，确保农民工工资按时足额发放",
    "健全行政执法与刑事司法衔接机制，严厉打击恶意欠薪",
    "加大普法宣传和法律援助力度，引导农民工依法理性维权",
)
_THIRD_ITEMS: Final = (
    "听取成员单位重点工作汇报",
    "研究重大欠薪案件的协调处置",
    "研究在建工程项目工资专户管理问题",
)


def day_text(day: date) -> str:
    """`2018年3月5日`."""
    return f"{day.year}年{day.month}月{day.day}日"


def half_text(year: int, half: int) -> str:
    """`2018年上半年`."""
    return f"{year}年{'上' if half == 1 else '下'}半年"


def plenary_agenda(
    rng: random.Random, year: int, half: int, *, has_work_plan: bool
) -> list[str]:
    """Two or three agenda items: the report on the half-year before, the work plan or
    the winter campaign, sometimes one more."""
    if (year, half) == (2017, 2):
        report = "通报联席会议成立以来全区农民工工资清欠工作情况"
    else:
        before = half_text(year - 1, 2) if half == 1 else half_text(year, 1)
        report = f"通报{before}全区农民工工资清欠工作情况"
    second = (
        f"审议《{year}年度农民工工资清欠工作计划》"
        if has_work_plan
        else "部署岁末年初根治欠薪冬季攻坚行动"
    )
    agenda = [report, second]
    if rng.random() < 0.5:
        agenda.append(rng.choice(_THIRD_ITEMS))
    return agenda


def document_ref(unit: str, day: date, rng: random.Random) -> str:
    """A unit's document number of that year."""
    return f"{_PREFIXES[unit]}〔{day.year}〕{rng.randint(3, 160)}号"


def minutes_text(title: str) -> str:
    """What the minutes record under an agenda item."""
    return f"会议{title}，与会成员单位逐一发言，形成一致意见。"
