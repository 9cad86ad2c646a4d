"""The demo's cases, stage by stage: just received, not ours, under investigation,
ordered to pay, closed, escalated, referred to the police."""

from __future__ import annotations

from datetime import date
from typing import Final

from demo.cases.plan import Plan, Planner, Story

_HEAD: Final = "区人社局局长"

_GROUNDS: Final = "经责令支付逾期仍不支付，欠薪数额较大，涉嫌拒不支付劳动报酬罪"
_CANCELLED: Final = "用人单位已全额补发工资，违法行为轻微并已改正"
# Some early real codes fail the check digit: the office keeps them with a reason.
_EARLY_CODE: Final = {
    "name": "西宁夏都商贸有限公司",
    "uscc": "91630100MA752EJ07D",
    "uscc_override_reason": "早期赋码，校验位与现行规则不符，以营业执照原件为准",
}
_MATERIAL: Final = "请补充劳动合同或考勤记录、工资欠条等能证明劳动关系和欠薪数额的材料"


def _just_in(p: Planner) -> None:
    """Received in the last days, one of them not accepted in time."""
    p.case(0, named=2)
    p.case(1, sector="other", source="platform_clue")
    p.case(2, source="petition_handover", workers=36, months=5, mass=True).assign(
        "xfj", ("rsj", "jsj"), 10
    ).report("rsj", "已约谈总包单位负责人，责令三日内提交工资发放明细")
    p.case(3, sector="other", source="report", absconded=True).assign(
        "gafj", ("rsj",), 20
    ).report("gafj", "已登记用人单位负责人信息，正在查找其下落")
    p.case(26, sector="other", workers=4)
    p.case(9).supplement(1, _MATERIAL, due_in=10)
    p.case(15, sector="other").supplement(2, _MATERIAL)


def _not_ours(p: Planner) -> None:
    """Rejected in writing, or sent to whoever is competent."""
    p.case(300, employer={"name": "马某某（个人包工头）"}).then(
        "reject",
        3,
        reason="经核实系工伤赔偿争议，不属于拖欠工资，已书面告知申请劳动争议仲裁",
    )
    p.case(150, sector="other").supplement(2, _MATERIAL, due_in=15).then(
        "reject", 20, reason="逾期未补正材料，无法核实欠薪事实，已书面告知"
    )
    p.case(420, source="report").then(
        "transfer-out",
        2,
        to="西宁市城西区人力资源和社会保障局",
        reason="用人单位注册地和用工地均在城西区",
    )
    p.case(60, sector="other").then(
        "transfer-out",
        1,
        to="西宁市城北区人力资源和社会保障局",
        reason="用工地在城北区，不属本区管辖",
    )


def _investigating(p: Planner) -> None:
    """Under investigation, assigned to the units that lead and help."""
    p.case(20, named=3).accept().assign("jsj", ("rsj",)).report(
        "rsj", "已调取考勤记录和工资表，正在核对欠薪人数和金额"
    ).report("jsj", "已约谈施工总包单位，督促其用农民工工资保证金先行垫付")
    p.case(35, territory="yjkz").accept(3).assign("yjkz", ("rsj", "jsj")).report(
        "yjkz", "镇综治中心已组织劳资双方调解，约定分两期支付"
    )
    case = p.case(48, sector="other", source="patrol", territory="sq-linjiaya")
    case.accept(1).assign("sq-linjiaya", ("rsj",)).report(
        "rsj", "已向用人单位送达询问通知书"
    ).report(case.territory, "社区已上门走访，登记农民工诉求并做好安抚")
    p.case(40).accept(4).assign("rsj").then(
        "return-assignment", reason="项目属在建房建工程，应由区建设局牵头督办"
    ).assign("jsj", ("rsj",)).report("rsj", "已会同区建设局进驻项目部核查")
    p.case(55, named=1).supplement(2, _MATERIAL, due_in=10).then(
        "receive-supplement", 6
    ).accept()
    p.case(115, source="inspection_finding").accept(3).then(
        "extend-investigation", 70, approved_by=_HEAD
    ).assign("sfj", ("rsj", "zgh")).report("sfj", "已指派法律援助律师代理农民工维权")
    p.case(128, sector="other").accept(5).then(
        "extend-investigation", 75, approved_by=_HEAD
    ).then(
        "flag-employer-absconded", 20, note="用人单位负责人失联，经营场所已关闭"
    ).assign("gafj", ("rsj",)).report("gafj", "已协查用人单位负责人出行记录")


def _ordered(p: Planner) -> None:
    """Ordered to pay by a day still to come, some partly paid; one paid in full."""
    p.case(45).accept().order(30, pay_in=20)
    p.case(70, sector="other").accept(1).order(55, how="mail")
    p.case(50, source="petition_handover").accept().order(35, pay_in=20).pay(
        5, "0.4"
    ).pay(3, "0.3").assign("rsj", ("jsj",)).report(
        "rsj", "用人单位已支付七成，余款承诺于期限内付清"
    )
    p.case(80).accept(3).order(60, pay_in=25).pay(8, "0.5")
    p.case(33, sector="other").accept(1).order(20).pay(4, "0.3")
    p.case(62).accept(1).order(30, pay_in=20).pay(10)


def _closed(p: Planner) -> None:
    """Paid and closed over the last eighteen months; two cancelled."""
    rng = p.rng
    for ago in (510, 460, 380, 300, 240, 190):
        sector = "other" if ago in (380, 190) else "construction"
        p.case(ago, sector=sector).accept(rng.randint(1, 4)).order(
            rng.randint(20, 40), pay_in=rng.randint(15, 30)
        ).pay(rng.randint(3, 6), "0.5").pay(rng.randint(4, 8)).then(
            "close", rng.randint(3, 8)
        )
    p.case(490, sector="other", employer=_EARLY_CODE).accept(3).order(30).pay(7).then(
        "close", 4
    )
    case = p.case(270, named=2).accept(3).order(25, pay_in=20).pay(10).then("close", 5)
    case.then("forget-worker", subject=case.subjects[0], reason="本人申请删除个人信息")
    p.case(90, sector="other", workers=3).accept().pay(10).then(
        "cancel", 3, reason=_CANCELLED
    )
    p.case(350, sector="other", workers=2).accept().pay(6).then(
        "cancel", 2, reason=_CANCELLED
    ).then("close", 5)


def _overdue(p: Planner) -> None:
    """Orders left unpaid: overdue, one employer fled and is wanted by the police."""
    p.case(140, workers=12).accept().order(40).assign(
        "jsj", ("rsj",), 10
    ).once_overdue()
    case = p.case(100, workers=1, months=5, named=1).accept(1)
    case.then(
        "flag-employer-absconded", 10, note="项目部人去楼空，负责人电话关机"
    ).order(20, pay_in=10, how="posted_and_photographed").once_overdue().then(
        "propose-referral", 12, grounds=_GROUNDS
    ).then("approve-referral", 1, approved_by=_HEAD).then(
        "transfer-to-police", police_unit="gafj"
    ).then(
        "record-police-filing",
        2,
        by="gafj",
        document_number="东公(刑)立字〔2024〕15号",
    ).assign("gafj", ("rsj",), 30).report(
        "gafj", "已对用人单位负责人立案侦查并上网追逃"
    )


def _decided(p: Planner) -> None:
    """After an overdue order: handling decisions, court enforcement."""
    p.case(260).accept(3).order(40).once_overdue().then(
        "decide-handling", 30, compensation_rate="0.5"
    ).then("propose-referral", 5, grounds=_GROUNDS).then(
        "refuse-referral",
        2,
        refused_by=_HEAD,
        reason="现有证据不足以证明用人单位有能力支付",
    )
    p.case(330).accept().order(30, pay_in=20).pay(10, "0.3").once_overdue().then(
        "decide-handling", 25, compensation_rate="0.8"
    ).pay(30).then("close", 5)
    p.case(400, workers=15).accept().order(30).once_overdue().then(
        "decide-handling", 25, compensation_rate="1.0"
    ).then("apply-court-enforcement", 60).then(
        "record-enforcement-accepted",
        3,
        by="fy",
        document_number="（2024）青0102执512号",
    ).then(
        "record-property-preservation",
        2,
        by="fy",
        document_number="（2024）青0102执保88号",
        description="冻结被执行人银行账户存款",
    ).assign("fy", ("rsj",), 30).report(
        "fy", "已受理强制执行申请，正在查控被执行人财产"
    )
    p.case(210, workers=28).accept(3).then(
        "flag-mass-incident", 10, note="20余名农民工到区政府聚集讨薪"
    ).order(20).once_overdue().then("apply-court-enforcement", 40).then(
        "propose-referral", ago=20, grounds=_GROUNDS
    ).then("approve-referral", ago=19, approved_by=_HEAD).then(
        "transfer-to-police", police_unit="gafj"
    ).then(
        "record-police-declining",
        ago=17,
        by="gafj",
        reason="证据不足，不予立案",
        document_number="东公(刑)不立字〔2024〕7号",
    ).then("request-reconsideration", ago=15).then(
        "record-police-declining",
        ago=13,
        by="gafj",
        reason="复议维持不予立案决定",
        document_number="东公(刑)复字〔2024〕2号",
    ).then(
        "request-procuratorate-supervision",
        ago=11,
        reason="认为公安机关不予立案理由不成立",
    )


def _referred(p: Planner) -> None:
    """Referrals to the police, from proposed to filed."""
    p.case(95, workers=14).accept().order(30).once_overdue().then(
        "propose-referral", ago=1, grounds=_GROUNDS
    )
    p.case(120, workers=1, months=6).accept(3).order(35).once_overdue().then(
        "propose-referral", ago=2, grounds=_GROUNDS
    ).then("approve-referral", ago=0, approved_by=_HEAD)
    _to_police(p.case(75, workers=22).accept().order(25), ago=3).assign(
        "gafj", ("rsj",)
    ).report("gafj", "已接收移送案件，正在审查是否立案")
    _to_police(p.case(160, workers=11).accept().order(40), ago=6).then(
        "record-police-declining",
        ago=2,
        by="gafj",
        reason="现有证据不足以证明具有支付能力而拒不支付",
        document_number="东公(刑)不立字〔2024〕9号",
    )
    _to_police(p.case(180, workers=1, months=4).accept().order(35), ago=6).then(
        "record-police-declining",
        ago=2,
        by="gafj",
        reason="不符合立案条件",
        document_number="东公(刑)不立字〔2024〕11号",
    ).then("request-reconsideration", ago=1)
    case = p.case(450, workers=18, source="petition_handover").accept().order(30)
    case.once_overdue().then("propose-referral", 25, grounds=_GROUNDS).then(
        "approve-referral", 1, approved_by=_HEAD
    ).then("transfer-to-police", police_unit="gafj").then(
        "record-police-filing",
        3,
        by="gafj",
        document_number="东公(刑)立字〔2024〕21号",
    ).pay(30, "0.6").pay(20).then("close", 5)


def _to_police(case: Story, *, ago: int) -> Story:
    """Once the order is overdue: proposed `ago` days ago, approved and transferred
    the day after."""
    return (
        case.once_overdue()
        .then("propose-referral", ago=ago, grounds=_GROUNDS)
        .then("approve-referral", ago=ago - 1, approved_by=_HEAD)
        .then("transfer-to-police", police_unit="gafj")
    )


def build_plan(seed: int, today: date) -> Plan:
    """The demo's cases for that seed, dated back from `today`."""
    planner = Planner(seed, today)
    for stage in (
        _just_in,
        _not_ours,
        _investigating,
        _ordered,
        _closed,
        _overdue,
        _decided,
        _referred,
    ):
        stage(planner)
    return planner.plan()
