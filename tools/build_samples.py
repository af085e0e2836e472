"""Build the sample workbooks in sample_inputs/ with generator.workbook.write_workbook.

Run: python tools/build_samples.py
Figures of the two Sichuan samples come from the published reports in
../shared/reference/ (their narrative figures); the split of those figures over the 附表
rows that the reports do not print (economic items, 基本/项目 per 项) is our reconstruction,
chosen to add up to every published figure. All prose cells are written for this project.
The third sample is an invented 事业单位 that exercises what the two references do not.
"""

from __future__ import annotations

import sys
from decimal import Decimal as D
from pathlib import Path

import performance_samples as perf2024

from generator.workbook import write_workbook

OUT = Path(__file__).resolve().parent.parent / "sample_inputs"


def t(*rows):
    """Rows of a coded table: (code, {column: amount})."""
    return [{"code": code, **{k: D(str(v)) for k, v in values.items()}} for code, values in rows]


def econ(amounts: dict[str, str], column: str = "amount"):
    return [{"code": code, column: D(v)} for code, v in amounts.items()]


def merge_econ(basic: dict[str, str], project: dict[str, str]):
    codes = sorted(set(basic) | set(project))
    return [{"code": c, "basic": D(basic.get(c, "0")), "project": D(project.get(c, "0"))} for c in codes]


# --------------------------------------------------------------------------- 2024 安居区社保局

ANJU_ITEMS = {  # 项: (basic, project); 五（三） of the 2024 report gives the totals
    "2080109": ("346.59", "0"),
    "2080199": ("110.09", "8.72"),
    "2080501": ("4.48", "0"),
    "2080505": ("48.88", "0"),
    "2080801": ("729.87", "4.57"),
    "2089999": ("0", "3.26"),
    "2101101": ("7.78", "0"),
    "2101102": ("8.50", "0"),
    "2101103": ("4.19", "0"),
    "2210201": ("36.57", "0"),
}
ANJU_PERSONNEL = {"30101": "115.00", "30102": "130.00", "30103": "28.45", "30106": "6.12", "30107": "88.64",
                  "30108": "48.88", "30109": "19.55", "30112": "20.47", "30113": "36.57", "30199": "9.83",
                  "30304": "729.87", "30305": "4.48", "30309": "0.60", "30399": "7.16"}
ANJU_PUBLIC = {"30201": "6.20", "30202": "1.10", "30205": "0.45", "30206": "3.80", "30207": "2.35", "30211": "3.60",
               "30213": "2.15", "30216": "0.80", "30226": "4.30", "30228": "4.12", "30229": "2.40", "30239": "12.96",
               "30299": "7.10"}
ANJU_PROJECT_ECON = {"30305": "7.82", "30227": "8.73"}
ANJU_PROJECTS = [
    ("建国初期参加革命工作退休干部困难补助2024", "按月足额发放建国初期参加革命工作退休干部的困难补助，补助对象生活得到保障"),
    ("离休干部遗孀生活补助2024", "离休干部遗孀生活补助全年按时发放到位，未出现漏发、错发"),
    ("基金风险防控项目", "对死亡后冒领、重复领取和服刑期间领取待遇三类情形开展核查并追回基金，降低了基金损失风险"),
    ("陈友生困难补助", "伤残津贴补助按月足额发放，保障了补助对象的基本生活"),
    ("城乡居民养老保险个人缴费补贴区级配套2024", "区级缴费补贴配套资金足额到位，符合条件的参保人员均按规定享受补贴"),
    ("基础养老金补贴区级配套2024", "区级配套资金及时上解基金专户，城乡居民养老金按时足额发放"),
    ("困难群体代缴城乡居民养老保险", "为困难群体按规定代缴城乡居民养老保险费，做到应代尽代"),
    ("职业年金做实及贴息2024", "完成本年度退休人员和转出人员的职业年金记实及贴息"),
]


# the self-evaluation tables of the 2024 report, in the order of 十（四）
ANJU_PERF_PROJECTS = sorted(perf2024.PROJECTS, key=lambda p: [n for n, _ in ANJU_PROJECTS].index(
    next(n for n, _ in ANJU_PROJECTS if n.rstrip("2024") in p["name"] or p["name"] in n)))


def anju() -> dict:
    items = [(c, {"basic": b, "project": p}) for c, (b, p) in ANJU_ITEMS.items()]
    totals = {c: D(b) + D(p) for c, (b, p) in ANJU_ITEMS.items()}
    return {
        "unit": {
            "name": "遂宁市安居区社会保险事业管理局", "short_name": "区社保局", "code": "510904-SB", "year": 2024,
            "subject": "单位", "unit_type": "参照公务员法管理的事业单位", "amount_unit": "万元",
            "duties": "\n".join([
                "1.宣传并组织实施社会保险法律法规和养老保险制度改革的各项政策。",
                "2.办理参保单位登记和企业、机关事业单位、城乡居民参保人员的参保登记及权益记录查询。",
                "3.推进全民参保计划，做好全区养老保险扩面工作。",
                "4.负责全区企业职工基本养老保险、工伤保险、失业保险以及机关事业单位养老保险、职业年金和城乡居民基本养老保险的费用征缴。",
                "5.负责上述各项社会保险待遇的计算、核定、调整和发放。",
                "6.做好离退休人员管理服务，组织开展退休人员社区服务和文体活动。",
                "7.管理社会保险基金，稽核参保缴费和待遇支付，保障基金安全。",
                "8.办理各类社会保险关系的转移接续。",
                "9.经办被征地农民养老保障业务，筹集、管理和发放相关补助资金。",
                "10.完成区委、区政府交办的其他工作。"]),
            "structure": "区社保局是区人力资源和社会保障局管理的参照公务员法管理的事业单位，无下属二级预算单位。\n"
                         "纳入本年度单位决算编制范围的只有区社保局本级。",
            "staff_quota": 28, "staff_actual": 28,
        },
        "t01": {"income": {"gpb": D("1313.50")}, "income_bottom": {"year_total": D("1313.50"), "total": D("1313.50")},
                "expense_bottom": {"year_total": {"amount": D("1313.50")}, "closing": {"amount": D("0")},
                                   "total": {"amount": D("1313.50")}}},
        "t02": t(*[(c, {"fiscal": v}) for c, v in totals.items()]),
        "t03": t(*items),
        "t04": {"income": {"gpb": D("1313.50")}},
        "t05": t(*[(c, {"gpb": v}) for c, v in totals.items()]),
        "t06": t(*items),
        "t07": merge_econ(ANJU_PERSONNEL | ANJU_PUBLIC, ANJU_PROJECT_ECON),
        "t08": econ(ANJU_PERSONNEL | ANJU_PUBLIC),
        "t09": econ(ANJU_PROJECT_ECON),
        "t13": {},
        "prior": {"total": D("1727.58"), "fiscal_total": D("1727.58"), "gpb_expense": D("1727.58"),
                  "fund_expense": D("0"), "soe_expense": D("0"), "sg_abroad": D("0"), "sg_car_buy": D("0"),
                  "sg_car_run": D("0"), "sg_reception": D("0.71"), "running_costs": D("48.55")},
        "reasons": {
            "total": "抚恤金支出减少，原机关养老保险清理转移的养老保险费项目资金也相应减少",
            "fiscal_total": "抚恤金支出减少，原机关养老保险清理转移的养老保险费项目资金也相应减少",
            "gpb_expense": "抚恤金支出减少，原机关养老保险清理转移的养老保险费项目资金也相应减少",
            "sg_total": "本年度未安排公务接待",
            "sg_reception": "严格控制接待支出，本年度未安排公务接待",
            "running_costs": "人员调入后日常办公支出有所增加",
            "procurement": "本年度的采购项目均未达到政府集中采购限额标准，未纳入政府采购统计",
            "project_scope": "自评的缴费补贴、基础养老金配套和职业年金等项目资金按规定上解社会保险基金专户，"
                             "由基金列支，不在本单位的支出决算中",
        },
        "sg": {"abroad_groups": 0, "abroad_people": 0, "domestic_batches": 0, "domestic_people": 0,
               "foreign_batches": 0, "foreign_people": 0, "foreign_amount": D("0")},
        "other": {"running_costs": D("51.33"), "equipment_general": 0, "equipment_special": 0},
        "budget": [{"code": c, "initial": v, "adjusted": v} for c, v in totals.items()],
        "performance": [{"name": "遂宁市安居区社会保险事业管理局部门整体（含部门预算项目）", "scope": "整体",
                         "summary": "年度整体绩效目标全部完成，各项社会保险待遇按时足额发放，基金运行安全"}]
                       + [{"name": p["name"], "scope": "项目", "pre_assessed": "是", "has_target": "是", "monitored": "是",
                           "summary": s} for p, (_, s) in zip(ANJU_PERF_PROJECTS, ANJU_PROJECTS)],
        "projects": [{k: v for k, v in p.items() if not k.startswith("published_")} for p in ANJU_PERF_PROJECTS],
        "indicators": [dict(i) for i in perf2024.INDICATORS],
        "unit_indicators": [dict(r) for r in perf2024.UNIT_INDICATORS],
        **ANJU_SELFEVAL,
    }


# --------------------------------------------------------------------------- 2020 雁江区社保局

YANJIANG_ITEMS = {  # 项: (basic, project). 2080506 and 2089999 carry a third decimal: the
    # published class total 408.45 is the sum of unrounded items (4.095 + 0.275 …).
    "2080101": ("236.14", "0"),
    "2080102": ("0", "136.23"),
    "2080501": ("13.38", "0"),
    "2080502": ("2.04", "0"),
    "2080505": ("16.29", "0"),
    "2080506": ("4.095", "0"),
    "2089999": ("0.275", "0"),
    "2101101": ("0.62", "0"),
    "2101102": ("7.76", "0"),
    "2101103": ("1.83", "0"),
    "2210201": ("19.00", "0"),
}
YANJIANG_PERSONNEL = {"30101": "62.40", "30102": "98.60", "30103": "21.30", "30108": "16.29", "30109": "4.095",
                      "30112": "10.21", "30113": "19.00", "30199": "24.555", "30309": "0.50", "30399": "15.42"}
YANJIANG_PUBLIC = {"30201": "3.20", "30202": "0.85", "30203": "0.30", "30204": "0.05", "30205": "0.40",
                   "30206": "1.90", "30207": "1.25", "30211": "2.10", "30213": "1.60", "30216": "0.45",
                   "30217": "0.37", "30228": "2.95", "30229": "1.80", "30239": "4.60", "30240": "0.12",
                   "30299": "2.82", "31002": "2.30", "31003": "0.90", "31007": "1.10"}
YANJIANG_PROJECT_ECON = {"30226": "52.80", "30227": "70.43", "30299": "13.00"}


def yanjiang() -> dict:
    items = [(c, {"basic": b, "project": p}) for c, (b, p) in YANJIANG_ITEMS.items()]
    totals = {c: D(b) + D(p) for c, (b, p) in YANJIANG_ITEMS.items()}
    income = dict(totals, **{"2080102": totals["2080102"] - D("53.55")})  # 437.66 spent = 384.11 + 63.55 − 10.00
    return {
        "unit": {
            "name": "资阳市雁江区社会保险事业管理局", "short_name": "区社保局", "year": 2020, "subject": "部门",
            "unit_type": "参照公务员法管理的事业单位", "amount_unit": "万元",
            "duties": "\n".join([
                "1.贯彻执行社会保险方面的法律法规和政策。",
                "2.组织全区城镇职工基本养老保险和工伤保险的参保扩面。",
                "3.计算、核定并发放企业职工基本养老保险和工伤保险待遇。",
                "4.开展退休人员领取待遇资格认证和社会化管理服务。",
                "5.稽核各类企业的参保人数和缴费工资。",
                "6.加强社会保险基金内部控制和监督，保障基金安全完整。",
                "7.开展社会保险政策宣传和调查研究，加强机构自身建设。"]),
            "structure": "区社保局是一级预算单位，没有下属单位，本部门决算即区社保局本级决算。",
            "staff_quota": 20, "staff_actual": 18, "retired": 10, "retired_li": 0,
        },
        "t01": {"income": {"gpb": D("384.11")}, "income_bottom": {"opening": D("63.55")}},
        "t02": t(*[(c, {"fiscal": v, "total": v}) for c, v in income.items()]),
        "t03": t(*items),
        "t04": {"income_bottom": {"opening_gpb": D("63.55")}},
        "t05": t(*[(c, {"gpb": v}) for c, v in totals.items()]),
        "t06": t(*items),
        "t07": merge_econ(YANJIANG_PERSONNEL | YANJIANG_PUBLIC, YANJIANG_PROJECT_ECON),
        "t08": econ(YANJIANG_PERSONNEL | YANJIANG_PUBLIC),
        "t09": econ(YANJIANG_PROJECT_ECON),
        "t13": {"reception": {"budget": D("0.37"), "actual": D("0.37")}},
        "prior": {"income_year": D("8974.37"), "expense_year": D("8529.93"), "fiscal_total": D("9132.66"),
                  "gpb_expense": D("426.33"), "fund_expense": D("0"), "soe_expense": D("0"), "sg_abroad": D("0"),
                  "sg_car_buy": D("0"), "sg_car_run": D("0"), "sg_reception": D("0.48"), "running_costs": D("36.47")},
        "reasons": {
            "fiscal_total": "本年度失地农民归垫预算收入全部追减，财政补助相应减少",
            "income_year": "本年度失地农民归垫预算收入8102.99万元全部追减，财政补助相应减少",
            "expense_year": "本年度失地农民归垫预算收入全部追减，相应的归垫支出不再发生",
            "sg_reception": "坚持厉行节约，压减了公务接待",
            "reception_content": "上级部门业务检查和工作调研",
            "running_costs": "厉行节约，同时部分人员退休",
        },
        "sg": {"abroad_groups": 0, "abroad_people": 0, "domestic_batches": 5, "domestic_people": 48,
               "foreign_batches": 0, "foreign_people": 0, "foreign_amount": D("0")},
        "other": {"running_costs": D("29.06"), "veh_leader": 0, "equipment_general": 0, "equipment_special": 0},
        "budget": [{"code": c, "adjusted": v} for c, v in totals.items()],
        "performance": [{"name": "资阳市雁江区社会保险事业管理局部门整体支出", "scope": "整体", "score": 97,
                         "summary": "年度各项工作任务全面完成，扣分原因是年末结转结余与支出预算之比低于规定比例"}],
    }


# --------------------------------------------------------------------------- invented 事业单位

def welfare() -> dict:
    """示范区社会福利院：事业收入、经营收入、其他收入、结转结余、基金和国资、三项“三公”、增减与新增。"""
    t03 = t(
        ("2081002", {"basic": "612.4815", "project": "186.20"}),       # 老年福利
        ("2080505", {"basic": "58.36"}),
        ("2080506", {"basic": "23.34"}),
        ("2101102", {"basic": "31.27"}),
        ("2210201", {"basic": "44.18"}),
        ("2296002", {"project": "120.00"}),                              # 彩票公益金（政府性基金）
        ("2230105", {"project": "15.60"}),                               # 国有资本经营预算
        ("2089999", {"operating": "38.50"}),                             # 经营支出
    )
    gpb = t(
        ("2081002", {"basic": "455.2015", "project": "150.00"}),
        ("2080505", {"basic": "58.36"}),
        ("2080506", {"basic": "23.34"}),
        ("2101102", {"basic": "31.27"}),
        ("2210201", {"basic": "44.18"}),
    )
    personnel = {"30101": "148.25", "30102": "95.30", "30107": "120.65", "30108": "58.36", "30109": "23.34",
                 "30110": "31.27", "30113": "44.18", "30199": "12.6015", "30305": "6.20"}
    public = {"30201": "5.74", "30205": "6.30", "30206": "12.40", "30211": "2.20", "30212": "2.86", "30213": "9.80",
              "30217": "1.85", "30228": "6.10", "30229": "3.20", "30231": "2.18", "30299": "12.79", "31002": "6.78"}
    # 30212/30217/30231 equal the 三公 items (因公出国 2.86, 接待 1.85, 运行维护 2.18 万元)
    project = {"30218": "12.00", "30227": "38.00", "31003": "100.00"}
    return {
        "unit": {
            "name": "示范区社会福利院", "short_name": "区福利院", "code": "SF-0099", "year": 2024, "subject": "单位",
            "unit_type": "事业单位", "amount_unit": "元",
            "duties": "1.为城乡特困老年人提供集中供养和日常照料服务。\n2.承担区内失能、半失能老年人的托养和康复护理。\n"
                      "3.开展养老服务技能培训，指导社区养老服务站点运营。",
            "structure": "区福利院内设综合办公室、护理部、康复部和后勤保障部，无下属单位。",
            "staff_quota": 45, "staff_actual": 42, "retired": 16,
        },
        "t01": {"income": {"gpb": D("7623515"), "fund": D("1200000"), "soe": D("156000"),
                           "business": D("1850000"), "operating": D("420000"), "other": D("35000")},
                "income_bottom": {"use_balance": D("0"), "opening": D("86400")},
                "expense_bottom": {"distribution": D("12000")}},
        "t02": t(
            ("2081002", {"fiscal": "6052015", "business": "1850000", "other": "35000"}),
            ("2080505", {"fiscal": "583600"}), ("2080506", {"fiscal": "233400"}), ("2101102", {"fiscal": "312700"}),
            ("2210201", {"fiscal": "441800"}), ("2296002", {"fiscal": "1200000"}), ("2230105", {"fiscal": "156000"}),
            ("2089999", {"operating": "420000"}),
        ),
        "t03": [{**r, **{k: v * 10000 for k, v in r.items() if k != "code"}} for r in t03],
        "t05": [{"code": r["code"], "gpb": (r.get("basic", D(0)) + r.get("project", D(0))) * 10000} for r in gpb]
               + [{"code": "2296002", "fund": D("1200000")}, {"code": "2230105", "soe": D("156000")}],
        "t06": [{**r, **{k: v * 10000 for k, v in r.items() if k != "code"}} for r in gpb],
        "t07": [{"code": c, "basic": D(personnel.get(c, public.get(c, "0"))) * 10000,
                 "project": D(project.get(c, "0")) * 10000} for c in sorted(set(personnel) | set(public) | set(project))],
        "t08": [{"code": c, "amount": D(v) * 10000} for c, v in (personnel | public).items()],
        "t09": [{"code": c, "amount": D(v) * 10000} for c, v in project.items()],
        "t10": t(("2296002", {"income": "1200000", "basic": "0", "project": "1200000"})),
        "t11": t(("2230105", {"opening": "0", "income": "156000", "project": "156000"})),
        "t12": t(("2230105", {"project": "156000"})),
        "t13": {"abroad": {"budget": D("30000"), "actual": D("28600")},
                "car_buy": {"budget": D("0"), "actual": D("0")},
                "car_run": {"budget": D("25000"), "actual": D("21800")},
                "reception": {"budget": D("15000"), "actual": D("18500")}},
        "prior": {"total": D("11900000"), "income_year": D("11500000"), "expense_year": D("11650000"),
                  "fiscal_total": D("9100000"), "gpb_expense": D("8120000"), "fund_expense": D("0"),
                  "soe_expense": D("180000"), "sg_abroad": D("0"), "sg_car_buy": D("0"), "sg_car_run": D("26400"),
                  "sg_reception": D("12000"), "running_costs": None},
        "reasons": {
            "total": "上年实施的护理楼改造项目已完工，本年项目支出相应减少",
            "fiscal_total": "护理楼改造项目完工后财政项目拨款减少，同时新增彩票公益金资助的适老化设备购置",
            "gpb_expense": "护理楼改造项目完工，一般公共预算项目支出减少",
            "fund_expense": "本年新获彩票公益金资助，用于购置康复护理设备",
            "soe_expense": "原所属企业退休人员社会化管理补助标准调整，补助减少",
            "sg_total": "本年首次派员赴境外考察养老服务，同时接待上级检查增加",
            "sg_budget": "因公出国（境）费和公务用车运行维护费有所节约，公务接待费超出部分在年中经批准调剂解决",
            "sg_abroad": "派员参加境外养老服务培训考察",
            "sg_reception": "承接全市养老服务现场会，接待批次增加",
            "car_run_use": "接送集中供养老人就医和外出采购",
            "reception_content": "上级部门检查指导和兄弟单位交流考察",
        },
        "sg": {"abroad_groups": 1, "abroad_people": 2, "stock_bus": 1, "stock_sedan": 0,
               "domestic_batches": 9, "domestic_people": 76, "foreign_batches": 0, "foreign_people": 0,
               "foreign_amount": D("0")},
        "other": {"proc_goods": D("1163000"), "proc_works": D("0"), "proc_services": D("380000"),
                  "proc_sme": D("1320000"), "proc_small": D("860000"), "veh_other": 1, "equipment_general": 0,
                  "equipment_special": 1},
        "budget": [{"code": "2081002", "initial": D("6300000"), "adjusted": D("6052015")},
                   {"code": "2080505", "initial": D("583600")}, {"code": "2080506", "initial": D("240000"),
                                                                  "reason": "职业年金缴费基数调整后缴费减少"},
                   {"code": "2101102", "initial": D("312700")}, {"code": "2210201", "initial": D("430000"),
                                                                  "reason": "年中调入职工两名，公积金缴存相应增加"}],
        "performance": [
            {"name": "示范区社会福利院单位整体", "scope": "整体",
             "summary": "集中供养对象照料服务全覆盖，护理质量和入住老人满意度均达到年度目标"},
            {"name": "特困老人集中供养服务", "scope": "项目", "pre_assessed": "否", "has_target": "是",
             "monitored": "是", "summary": "全年集中供养特困老人182人，供养标准按时足额落实"},
            {"name": "彩票公益金康复护理设备购置", "scope": "项目", "pre_assessed": "是", "has_target": "是",
             "monitored": "是", "summary": "康复护理设备全部到货并投入使用，部分设备安装调试晚于计划"},
        ],
        "projects": WELFARE_PROJECTS,
        "indicators": WELFARE_INDICATORS,
        "unit_indicators": WELFARE_UNIT,
        **WELFARE_SELFEVAL,
    }


# 事业单位 self-evaluation: a project over-executed (capped score), one under budget with a
# missed ≥ target and a missed ≤ target, qualitative indicators, a zero-budget fund source.
WELFARE_PROJECTS = [
    {"code": "SF24-01", "name": "特困老人集中供养服务", "department": "示范区民政局", "implementer": "示范区社会福利院",
     "initial_fiscal": D("1500000"), "adjusted_fiscal": D("1500000"), "executed_fiscal": D("1500000"),
     "initial_unit": D("0"), "adjusted_unit": D("0"), "executed_unit": D("0"),
     "initial_special": D("360000"), "adjusted_special": D("360000"), "executed_special": D("362000"),
     "goal": "为全区集中供养特困老人提供吃、穿、住、医、葬等基本保障和日常照料。",
     "goal_result": "全年集中供养182人，供养标准按月落实，未发生安全责任事故。",
     "content": "按月核定供养名册，落实伙食、护理和医疗保障，每季度开展一次照护质量检查。",
     "conclusion": "项目目标全面完成，供养对象基本生活和照料得到保障。", "problems": "护理人员流动较大。",
     "measures": "完善护理岗位激励办法，稳定护理队伍。", "leader": "李明", "finance_leader": "王芳"},
    {"code": "SF24-02", "name": "彩票公益金康复护理设备购置", "department": "示范区民政局", "implementer": "示范区社会福利院",
     "initial_fiscal": D("1200000"), "adjusted_fiscal": D("1250000"), "executed_fiscal": D("1200000"),
     "goal": "购置康复训练和护理设备一批，提升失能老人康复护理能力。",
     "goal_result": "设备全部到货并投入使用，其中两台设备安装调试晚于计划一个月。",
     "content": "编制采购需求，通过公开招标确定供应商，完成验收和人员操作培训。",
     "conclusion": "设备投入使用后康复服务人次明显增加。", "problems": "部分设备安装调试延期，采购有结余。",
     "measures": "提前开展场地准备，合理测算采购预算。", "leader": "赵强", "finance_leader": "王芳"},
    {"code": "SF24-03", "name": "原所属企业退休人员社会化管理补助", "department": "示范区民政局",
     "implementer": "示范区社会福利院", "initial_fiscal": D("156000"), "adjusted_fiscal": D("156000"),
     "executed_fiscal": D("156000"), "goal": "按标准发放原所属企业退休人员社会化管理补助。",
     "goal_result": "补助按季度足额发放。", "content": "核对发放名册，按季度拨付。",
     "conclusion": "补助发放及时足额。", "problems": "无", "measures": "无", "leader": "李明", "finance_leader": "王芳"},
]
WELFARE_INDICATORS = [
    {"project": "特困老人集中供养服务", "level1": "产出指标", "level2": "数量指标", "level3": "集中供养人数",
     "nature": "≥", "target": "180", "unit": "人", "actual": "182", "weight": D(30)},
    {"project": "特困老人集中供养服务", "level1": "产出指标", "level2": "质量指标", "level3": "供养标准落实率",
     "nature": "＝", "target": "100", "unit": "%", "actual": "100%", "weight": D(20)},
    {"project": "特困老人集中供养服务", "level1": "效益指标", "level2": "社会效益指标", "level3": "特困老人基本生活得到保障",
     "nature": "定性", "target": "有效保障", "unit": "", "actual": "有效保障", "weight": D(20), "score": D(20)},
    {"project": "特困老人集中供养服务", "level1": "满意度指标", "level2": "服务对象满意度指标", "level3": "入住老人满意度",
     "nature": "≥", "target": "95", "unit": "%", "actual": "96%", "weight": D(20)},
    {"project": "彩票公益金康复护理设备购置", "level1": "产出指标", "level2": "数量指标", "level3": "购置康复护理设备",
     "nature": "≥", "target": "40", "unit": "台（套）", "actual": "38", "weight": D(30),
     "reason": "两台设备因厂家停产改为下一批次采购"},
    {"project": "彩票公益金康复护理设备购置", "level1": "产出指标", "level2": "时效指标", "level3": "安装调试完成时间",
     "nature": "≤", "target": "10", "unit": "月", "actual": "11", "weight": D(20), "reason": "场地改造延期"},
    {"project": "彩票公益金康复护理设备购置", "level1": "效益指标", "level2": "社会效益指标", "level3": "康复服务能力",
     "nature": "定性", "target": "明显提升", "unit": "", "actual": "有所提升", "weight": D(20), "score": D(16),
     "reason": "部分设备投入使用时间较短"},
    {"project": "彩票公益金康复护理设备购置", "level1": "满意度指标", "level2": "服务对象满意度指标",
     "level3": "接受康复服务老人满意度", "nature": "≥", "target": "90", "unit": "%", "actual": "93%", "weight": D(20)},
]
WELFARE_INDICATORS += [
    {"project": "原所属企业退休人员社会化管理补助", "level1": "产出指标", "level2": "数量指标", "level3": "补助发放人数",
     "nature": "＝", "target": "52", "unit": "人", "actual": "52", "weight": D(45)},
    {"project": "原所属企业退休人员社会化管理补助", "level1": "满意度指标", "level2": "服务对象满意度指标",
     "level3": "退休人员满意度", "nature": "≥", "target": "90", "unit": "%", "actual": "92%", "weight": D(45)},
]
WELFARE_UNIT = [
    {"level1": "总体绩效", "level2": "履职效能", "level3": "集中供养和托养服务目标完成率", "points": D(30),
     "explanation": "年度供养、托养服务目标的完成程度", "rule": "按完成目标数占目标总数的比例计分", "score": D(30)},
    {"level1": "总体绩效", "level2": "预算管理", "level3": "预算执行率", "points": D(20),
     "explanation": "年度预算的执行程度", "rule": "执行率每低于100%一个百分点扣0.5分", "score": D("15.5")},
    {"level1": "总体绩效", "level2": "资产管理", "level3": "资产账实相符率", "points": D(10),
     "explanation": "固定资产账面与实物是否一致", "rule": "每发现一处不符扣1分", "score": D(10)},
    {"level1": "项目绩效", "level2": "项目执行", "level3": "项目目标完成情况", "points": D(30),
     "explanation": "部门预算项目绩效目标的实现程度", "rule": "按各项目自评得分的平均值折算", "score": D("25.2")},
    {"level1": "项目绩效", "level2": "满意度", "level3": "服务对象满意度", "points": D(10),
     "explanation": "入住老人及家属对服务的评价", "rule": "满意度达到95%得满分，每低1个百分点扣1分", "score": D(10)},
]


# --------------------------------------------------------------------------- as a clerk types printed tables

def as_printed(data: dict) -> dict:
    """The same workbook as the 决算软件 prints it and a clerk copies it: every cell of every 附表
    rounded to two decimals on its own, 合计/类/款 rows and the 总表's totals typed too (so parts
    may miss their printed total by a cent)."""
    import tempfile

    from generator.accounts import CodedTable, Grid, resolve
    from generator.money import round2
    from generator.reader import read_workbook

    with tempfile.TemporaryDirectory() as tmp:
        acc = resolve(read_workbook(write_workbook(Path(tmp) / "exact.xlsx", data)))
    out = dict(data)
    for tid, table in acc.tables.items():
        if isinstance(table, CodedTable):
            rows = [{"code": None, **{k: round2(v) for k, v in table.total.items()}}]  # the 合计 row
            rows += [{"code": l.code, **{k: round2(v) for k, v in l.values.items()}} for l in table.lines
                     if any(v != 0 for v in l.values.values())]
            out[tid] = rows
        elif isinstance(table, Grid):
            grid: dict = {}
            for (item, measure), v in table.values.items():
                grid.setdefault(item, {})[measure] = round2(v)
            out[tid] = grid
        else:
            out[tid] = {
                "income": {k: round2(v) for k, v in table.income.items()},
                "income_bottom": {k: round2(v) for k, v in table.income_bottom.items()},
                "classes": {c: {k: round2(v) for k, v in row.items()} for c, row in table.classes.items()
                            if any(v != 0 for v in row.values())},
                "expense_bottom": {r: {k: round2(v) for k, v in cols.items()} for r, cols in table.expense_bottom.items()},
            }
    return out


def yanjiang_printed() -> dict:
    return as_printed(yanjiang())


# --------------------------------------------------------------------------- 绩效自评报告 (issue 12)
# Both samples are Sichuan units: they use the Sichuan 评分表 (四川2024), which are the 决算说明's own
# 附件 tables (整体绩效指标, 项目绩效指标), so the 整体 report and 附件1 give one score (安居 97,
# 福利院 its 整体 score) and each 专项 report its project's score, with one set of deductions.

ANJU_SELFEVAL = {
    "selfeval": {
        "overall_template": "四川2024", "project_template": "四川2024", "finance_bureau": "遂宁市安居区财政局",
        "report_date": "2025年4月28日", "contact": "张丹", "phone": "0825-8651234",
        "work_content": "1.按时足额发放各项社会保险待遇\n2.推进全民参保，做好城乡居民养老保险扩面\n"
                        "3.开展基金稽核和风险防控\n4.做好退休人员资格认证和社会化管理服务",
        "operation": "全年各项社会保险待遇按时足额发放，基金稽核追回违规领取资金，养老保险经办服务实现网上办、就近办。",
        "assets_in_use": D("36.20"), "assets_rented": D("0"), "assets_other": D("0"),
        "goal_expected": "1.社会保险待遇按时足额发放\n2.基金安全运行，不发生重大风险\n3.经办服务便捷高效",
        "goal_actual": "年度整体绩效目标全部完成",
        "q_quantity": "100%", "q_quality": "100%", "q_timeliness": "100%", "q_cost": "100%",
        "q_economic": "100%", "q_social": "100%", "q_ecological": "不适用", "q_satisfaction": "98%",
        "sum_overview": "区社保局是区人力资源和社会保障局管理的参照公务员法管理的事业单位，无下属二级预算单位。",
        "sum_spending": "单位严格执行预算，项目资金专款专用。",
        "sum_organization": "成立了以局长为组长的绩效自评工作组，对各项目逐一自评并形成自评报告。",
        "sum_performance": "人员编制控制在核定数以内，“三公”经费得到有效控制，社会保险待遇发放及时准确，服务对象满意度较高。",
        "sum_problems": "绩效目标设置还不够细化，部分指标难以量化。",
        "sum_measures": "1.细化量化绩效指标，提高目标编制质量。\n2.加强预算执行分析，按季度通报执行进度。",
    },
    "selfeval_people": [{"name": "何发", "title": "局长", "org": "区社保局"},
                        {"name": "张丹", "title": "财务负责人", "org": "区社保局"}],
    "selfeval_projects": [{"project": "基金风险防控项目2024", "title": "基金风险防控项目",
                           "execution": "项目资金用于稽核与风险防控所需的律师费、差旅费、印刷费和宣传费，专款专用。",
                           "benefit": "全年追回社保基金15万余元，减少了基金损失，维护了参保群众的合法权益。",
                           "problems": "稽核手段仍以人工核查为主，信息比对覆盖面有限。",
                           "suggestions": "推进与公安、民政等部门的数据共享。\n对疑似数据及时组织实地核查。"}],
}

WELFARE_SELFEVAL = {
    "selfeval": {
        "overall_template": "四川2024", "project_template": "四川2024", "finance_bureau": "示范区财政局",
        "report_date": "2025年5月20日", "contact": "王芳", "phone": "0000-1234567",
        "work_content": "1.特困老人集中供养\n2.失能、半失能老人托养和康复护理\n3.养老服务技能培训",
        "operation": "全年集中供养特困老人182人，康复护理设备投入使用，护理质量检查每季度开展一次。",
        "special_nontax": D("0"), "assets_in_use": D("1940000"), "assets_rented": D("0"), "assets_other": D("60000"),
        "goal_expected": "1.集中供养对象照料服务全覆盖\n2.护理质量达到等级标准\n3.入住老人满意度不低于95%",
        "goal_actual": "三项目标均已完成，入住老人满意度96%",
        "q_quantity": "101%", "q_quality": "100%", "q_timeliness": "92%", "q_cost": "98%",
        "q_economic": "不适用", "q_social": "100%", "q_ecological": "不适用", "q_satisfaction": "96%",
        "sum_overview": "区福利院为区民政局所属公益一类事业单位，内设综合办公室、护理部、康复部和后勤保障部。",
        "sum_spending": "经营收入用于补充护理服务支出，彩票公益金按规定专款专用。",
        "sum_organization": "项目实行负责人制度，年中开展绩效监控，年末逐项自评。",
        "sum_performance": "集中供养和托养服务目标全部完成；“三公”经费较上年增加较多，已在决算说明中说明原因。",
        "sum_problems": "“三公”经费较上年增长较多；部分设备安装调试晚于计划。",
        "sum_measures": "1.从严控制“三公”经费。\n2.提前做好设备采购的场地准备。",
    },
    "selfeval_people": [{"name": "李明", "title": "院长", "org": "示范区社会福利院"},
                        {"name": "王芳", "title": "会计师", "org": "示范区社会福利院"},
                        {"name": "赵强", "title": "护理部主任", "org": "示范区社会福利院"}],
    "selfeval_projects": [{"project": "特困老人集中供养服务", "title": "特困老人集中供养服务经费",
                           "preface": "按照区财政局关于开展项目支出绩效自评的通知要求，区福利院对特困老人集中供养服务项目开展了自评。",
                           "execution": "项目资金按月拨付，用于供养对象的伙食、护理和医疗保障。",
                           "benefit": "集中供养特困老人182人，基本生活和日常照料得到保障，全年未发生安全责任事故。",
                           "problems": "护理人员流动较大，护理队伍不够稳定。",
                           "suggestions": "完善护理岗位激励办法。\n加强护理员技能培训。"}],
}


# --------------------------------------------------------------------------- 上海 2024 nine-table (invented)

SH_ITEMS = {  # 项: (basic, project), 万元
    "2010501": ("820.00", "0"),
    "2010505": ("0", "150.00"),
    "2080505": ("60.00", "0"),
    "2080506": ("30.00", "0"),
    "2101101": ("35.00", "0"),
    "2210201": ("45.00", "0"),
}
SH_PERSONNEL = {"30101": "300.00", "30102": "200.00", "30103": "50.00", "30107": "100.00", "30108": "60.00",
                "30109": "30.00", "30110": "35.00", "30113": "45.00", "30199": "20.00"}
SH_PUBLIC = {"30201": "20.00", "30205": "5.00", "30206": "8.00", "30207": "6.00", "30211": "10.00", "30213": "12.00",
             "30217": "0.80", "30226": "40.00", "30228": "8.00", "30229": "5.00", "30231": "3.20", "30239": "15.00",
             "30299": "17.00"}


def shanghai() -> dict:
    """An invented Shanghai 区级 局 in the nine-table profile: every section of the template has
    something to say (budget completion per 项, 三公 budget, 预留 procurement, vehicles, 绩效 grades)."""
    items = [(c, {"basic": b, "project": p}) for c, (b, p) in SH_ITEMS.items()]
    totals = {c: D(b) + D(p) for c, (b, p) in SH_ITEMS.items()}
    return {
        "unit": {
            "name": "上海市示范区统计局", "short_name": "区统计局", "code": "SH-0001", "year": 2024, "subject": "部门",
            "unit_type": "行政单位", "amount_unit": "万元", "profile": "上海2024（9张附表）",
            "duties": "1.贯彻执行国家和本市统计工作的法律法规和方针政策。\n2.组织实施区内人口、经济等重大国情国力普查。\n"
                      "3.收集、汇总和发布全区国民经济和社会发展统计数据。\n4.对区内统计工作进行监督检查，依法查处统计违法行为。",
            "structure": "区统计局内设办公室、综合统计科、专业统计科和统计执法科。",
            "composition": "上海市示范区统计局（本级）",
            "staff_quota": 32, "staff_actual": 30, "retired": 12,
        },
        "t01": {"income": {"gpb": D("1140.00"), "other": D("5.00")}, "income_bottom": {"opening": D("20.00")}},
        "t02": t(*[(c, {"fiscal": v, **({"other": "5.00"} if c == "2010501" else {})}) for c, v in totals.items()]),
        "t03": t(*items),
        "t06": t(*items),
        "t08": econ(SH_PERSONNEL | SH_PUBLIC),
        "t13": {"abroad": {"budget": D("0"), "actual": D("0")}, "car_buy": {"budget": D("0"), "actual": D("0")},
                "car_run": {"budget": D("3.50"), "actual": D("3.20")},
                "reception": {"budget": D("1.00"), "actual": D("0.80")}},
        "prior": {"total": D("1100.00"), "income_year": D("1080.00"), "expense_year": D("1090.00"),
                  "fiscal_total": D("1050.00"), "gpb_expense": D("1050.00"), "fund_expense": D("0"),
                  "soe_expense": D("0"), "sg_abroad": D("0"), "sg_car_buy": D("0"), "sg_car_run": D("3.50"),
                  "sg_reception": D("1.20"), "running_costs": D("140.00")},
        "reasons": {
            "total": "第五次全国经济普查的入户登记工作集中在本年开展",
            "fiscal_total": "经济普查专项经费增加",
            "gpb_expense": "经济普查专项经费增加",
            "sg_total": "严格执行公务接待标准，接待批次减少",
            "sg_budget": "公务用车运行维护和公务接待均有节约",
            "sg_reception": "严格执行公务接待标准，接待批次减少",
            "car_run_use": "统计执法检查和普查入户督导",
            "running_costs": "普查期间办公场所租赁和印刷支出增加",
            "gpb_budget": "严格控制一般性支出，普查服务采购合同价低于预算",
            "reception_content": "接待市统计局和兄弟区统计部门的业务检查与调研",
        },
        "sg": {"abroad_groups": 0, "abroad_people": 0, "stock_sedan": 3, "domestic_batches": 6,
               "domestic_people": 40, "foreign_batches": 0, "foreign_people": 0, "foreign_amount": D("0")},
        "other": {"running_costs": D("150.00"), "proc_goods": D("60.00"), "proc_works": D("0"),
                  "proc_services": D("90.00"), "proc_sme": D("120.00"), "proc_small": D("80.00"),
                  "proc_reserved": D("100.00"), "proc_reserved_small": D("60.00"), "veh_minister": 0,
                  "proc_awarded_sme_reserved": D("100.00"), "proc_awarded_small_reserved": D("60.00"),
                  "proc_awarded_sme_other": D("20.00"),
                  "veh_leader": 0, "veh_confidential": 1, "veh_enforcement": 2, "veh_other": 0,
                  "equipment_general": 0, "equipment_special": 0},
        "budget": [
            {"code": "2010501", "initial": D("830.00"), "reason": "严格控制一般性支出，办公经费有所节约",
             "use": "局机关人员经费和日常运转的公用经费"},
            {"code": "2010505", "initial": D("160.00"), "reason": "普查数据处理采用政府采购服务，合同价低于预算",
             "use": "第五次全国经济普查和统计数据发布"},
            {"code": "2080505", "initial": D("60.00"), "use": "在职人员的基本养老保险缴费"},
            {"code": "2080506", "initial": D("30.00"), "use": "在职人员的职业年金缴费"},
            {"code": "2101101", "initial": D("35.00"), "use": "在职人员的基本医疗保险缴费"},
            {"code": "2210201", "initial": D("44.00"), "reason": "年中调入工作人员一名，公积金缴存相应增加",
             "use": "在职人员的住房公积金"},
        ],
        "performance": [
            {"name": "上海市示范区统计局部门整体支出", "scope": "整体", "score": D("93")},
            {"name": "第五次全国经济普查", "scope": "项目", "pre_assessed": "是", "has_target": "是", "monitored": "是",
             "score": D("95"), "summary": "普查登记按期完成，数据质量抽查合格"},
            {"name": "统计执法检查", "scope": "项目", "pre_assessed": "否", "has_target": "是", "monitored": "是",
             "score": D("86"), "summary": "完成年度执法检查计划"},
            {"name": "统计数据发布与解读", "scope": "项目", "pre_assessed": "否", "has_target": "是", "monitored": "否",
             "score": D("72"), "summary": "发布按计划完成，解读材料时效有待提高"},
        ],
        "perf_summary": {"target_amount": D("150.00"), "monitor_amount": D("120.00"), "selfeval_amount": D("150.00"),
                         "issues_found": 3, "issues_fixed": 2, "systems": "《示范区统计局预算绩效管理实施办法》",
                         "mechanism": "“事前评估、事中监控、事后评价”全过程"},
    }


def yanjiang_2020() -> dict:
    """The 2020 sample in the 2020 layout (8 附表; 十 预算绩效 before 十一 其他重要事项)."""
    data = yanjiang()
    data["unit"] = dict(data["unit"], profile="四川2020（8张附表）")
    return data


def guangxi() -> dict:
    """A 广西 unit of its own (figures as the 福利院's, another name and code, so a district holding
    both counts two units) in the 广西2024 layout, added as files only. 广西 offers no 评分表 of its
    own yet, and a unit is never scored with another province's: no 绩效自评报告."""
    data = welfare()
    data["unit"] = dict(data["unit"], name="示范区康复托养中心", short_name="区托养中心", code="SF-0199",
                        structure=data["unit"]["structure"].replace("区福利院", "区托养中心"),
                        profile="广西2024（9张附表）")
    data["selfeval"] = dict(data["selfeval"], overall_template=None, project_template=None)
    data["selfeval_projects"] = []
    return data


SAMPLES = {
    "四川-安居区社保局-2024年度单位决算.xlsx": anju,
    "四川-雁江区社保局-2020年度部门决算.xlsx": yanjiang,
    "示范区社会福利院-2024年度单位决算.xlsx": welfare,
    "四川-雁江区社保局-2020年度部门决算（按打印报表录入）.xlsx": yanjiang_printed,
    "上海-示范区统计局-2024年度部门决算.xlsx": shanghai,
    "四川-雁江区社保局-2020年度部门决算（2020年格式）.xlsx": yanjiang_2020,
    "广西-示范区康复托养中心-2024年度单位决算.xlsx": guangxi,
}

# --------------------------------------------------------------------------- a 部门 and its units (issue 14)
# 示范区民政局（部门）: the 机关 (本级, 公开主体 部门) and two 事业单位. The 机关 passes 60 万元 of
# donations (其他收入) to the 救助管理站 as 对附属单位补助支出 (the station's 上级补助收入); the
# 婚姻登记服务中心 remits 10 万元 of its 事业收入 to the 机关 (上缴上级支出 ↔ 附属单位上缴收入).
# Consolidated by hand: 本年收入合计 870 + 210 + 120 − 60 − 10 = 1130; 本年支出合计 860 + 210 + 120
# − 60 − 10 = 1120; 年末结转和结余 10; 一般公共预算财政拨款支出 800 + 150 + 90 = 1040.

DEPARTMENT_FOLDER = "示范区民政局（部门）"


def _unit_info(name: str, short: str, code: str, subject: str, unit_type: str, duties: str, structure: str,
               quota: int, actual: int, retired: int) -> dict:
    return {"name": name, "short_name": short, "code": code, "year": 2024, "subject": subject, "unit_type": unit_type,
            "amount_unit": "万元", "duties": duties, "structure": structure, "staff_quota": quota,
            "staff_actual": actual, "retired": retired}


def _no_sg_counts() -> dict:
    return {"abroad_groups": 0, "abroad_people": 0, "domestic_batches": 0, "domestic_people": 0,
            "foreign_batches": 0, "foreign_people": 0, "foreign_amount": D("0")}


def civil_affairs_office() -> dict:
    """The 机关 (本级): 行政单位, 财政拨款 800, 其他收入 60 passed on to the 救助管理站, 附属单位上缴 10."""
    gpb_items = {"2080201": ("380", "0"), "2080299": ("0", "120"), "2081002": ("0", "200"),
                 "2080505": ("40", "0"), "2101101": ("25", "0"), "2210201": ("35", "0")}
    personnel = {"30101": "150", "30102": "120", "30103": "30", "30108": "40", "30110": "25", "30113": "35",
                 "30199": "10", "30305": "5"}
    public = {"30201": "15", "30205": "3", "30206": "8", "30211": "10", "30213": "6", "30217": "2", "30228": "5",
              "30229": "4", "30231": "8", "30239": "4"}
    project = {"30226": "50", "30227": "70", "30305": "200"}
    gpb = t(*[(c, {"basic": b, "project": p}) for c, (b, p) in gpb_items.items()])
    return {
        "unit": _unit_info("示范区民政局", "区民政局", "MZ-001", "部门", "行政单位",
                           "1.贯彻执行民政工作的法律法规和政策。\n2.负责全区社会救助和养老服务体系建设。\n"
                           "3.负责婚姻登记、殡葬管理和社会组织登记管理。\n4.指导基层政权建设和社区治理。",
                           "区民政局内设办公室、社会救助股、养老服务股和社会事务股，下属示范区救助管理站、"
                           "示范区婚姻登记服务中心两个事业单位。", 40, 38, 12),
        "t01": {"income": {"gpb": D("800"), "affiliated": D("10"), "other": D("60")}},
        "t02": t(*[(c, {"fiscal": str(D(b) + D(p))}) for c, (b, p) in gpb_items.items() if c != "2080299"],
                 ("2080299", {"fiscal": "120", "affiliated": "10"}), ("2082002", {"other": "60"})),
        "t03": gpb + t(("2082002", {"affiliated": "60"})),
        "t04": {"income": {"gpb": D("800")}},
        "t06": gpb,
        "t07": merge_econ(personnel | public, project),
        "t08": econ(personnel | public),
        "t09": econ(project),
        "t13": {"abroad": {"budget": D("0"), "actual": D("0")}, "car_buy": {"budget": D("0"), "actual": D("0")},
                "car_run": {"budget": D("8"), "actual": D("8")}, "reception": {"budget": D("3"), "actual": D("2")}},
        "prior": {"total": D("840"), "fiscal_total": D("780"), "gpb_expense": D("780"), "fund_expense": D("0"),
                  "soe_expense": D("0"), "sg_abroad": D("0"), "sg_car_buy": D("0"), "sg_car_run": D("8.5"),
                  "sg_reception": D("2.2"), "running_costs": D("63")},
        "reasons": {"sg_budget": "公务接待从严控制",
                    "car_run_use": "下乡开展社会救助核查和养老机构安全检查",
                    "reception_content": "上级部门检查指导民政工作"},
        "sg": _no_sg_counts() | {"domestic_batches": 4, "domestic_people": 26, "stock_suv": 1},
        "other": {"running_costs": D("65"), "veh_enforcement": 1, "equipment_general": 0, "equipment_special": 0},
        "budget": [{"code": c, "initial": D(b) + D(p)} for c, (b, p) in gpb_items.items()],
        "performance": [{"name": "示范区民政局整体支出", "scope": "整体", "score": D("92"),
                         "summary": "社会救助和养老服务年度目标基本完成"},
                        {"name": "高龄老人生活补贴", "scope": "项目", "pre_assessed": "否", "has_target": "是",
                         "monitored": "是", "score": D("95"), "summary": "补贴按季度足额发放到户"}],
    }


def rescue_station() -> dict:
    """救助管理站: 事业单位, 财政拨款 150 and 上级补助收入 60 from the 机关."""
    gpb_items = {"2082002": ("35", "85"), "2080505": ("12", "0"), "2101102": ("8", "0"), "2210201": ("10", "0")}
    gpb = t(*[(c, {"basic": b, "project": p}) for c, (b, p) in gpb_items.items()])
    return {
        "unit": _unit_info("示范区救助管理站", "区救助站", "MZ-002", "单位", "事业单位",
                           "1.负责流浪乞讨人员的临时救助、护送返乡和落户安置。\n2.开展街面巡查和寒冬、酷暑专项救助行动。",
                           "区救助站是区民政局所属公益一类事业单位，内设综合股和救助股。", 12, 11, 3),
        "t01": {"income": {"gpb": D("150"), "superior": D("60")}},
        "t02": t(("2082002", {"fiscal": "120", "superior": "60"}), ("2080505", {"fiscal": "12"}),
                 ("2101102", {"fiscal": "8"}), ("2210201", {"fiscal": "10"})),
        "t03": t(("2082002", {"basic": "95", "project": "85"}), ("2080505", {"basic": "12"}),
                 ("2101102", {"basic": "8"}), ("2210201", {"basic": "10"})),
        "t04": {"income": {"gpb": D("150")}},
        "t06": gpb,
        "t07": merge_econ({"30101": "25", "30102": "10", "30108": "12", "30110": "8", "30113": "10"},
                          {"30305": "60", "30227": "25"}),
        "t08": econ({"30101": "25", "30102": "10", "30108": "12", "30110": "8", "30113": "10"}),
        "t09": econ({"30305": "60", "30227": "25"}),
        "t13": {},
        "prior": {"total": D("200"), "fiscal_total": D("145"), "gpb_expense": D("145"), "fund_expense": D("0"),
                  "soe_expense": D("0"), "sg_abroad": D("0"), "sg_car_buy": D("0"), "sg_car_run": D("0"),
                  "sg_reception": D("0")},
        "reasons": {"procurement": "本年度未发生政府采购"},
        "sg": _no_sg_counts(),
        "other": {"equipment_general": 0, "equipment_special": 0},
        "budget": [{"code": c, "initial": D(b) + D(p)} for c, (b, p) in gpb_items.items()],
        "performance": [{"name": "示范区救助管理站单位整体", "scope": "整体", "score": D("90"),
                         "summary": "全年救助流浪乞讨人员一百余人次，未发生安全事故"},
                        {"name": "流浪乞讨人员救助", "scope": "项目", "pre_assessed": "否", "has_target": "是",
                         "monitored": "是", "score": D("93"), "summary": "救助对象应救尽救，护送返乡及时"}],
    }


def marriage_center() -> dict:
    """婚姻登记服务中心: 事业单位, 财政拨款 90 and 事业收入 30, of which 10 remitted to the 机关."""
    gpb = t(("2080299", {"basic": "52", "project": "30"}), ("2080505", {"basic": "8"}))
    return {
        "unit": _unit_info("示范区婚姻登记服务中心", "区婚登中心", "MZ-003", "单位", "事业单位",
                           "1.办理婚姻登记和补领婚姻登记证件。\n2.开展婚姻家庭辅导和婚俗改革宣传。",
                           "区婚登中心是区民政局所属公益二类事业单位，内设登记室和辅导室。", 8, 8, 2),
        "t01": {"income": {"gpb": D("90"), "business": D("30")}},
        "t02": t(("2080299", {"fiscal": "82", "business": "30"}), ("2080505", {"fiscal": "8"})),
        "t03": t(("2080299", {"basic": "72", "project": "30", "remit": "10"}), ("2080505", {"basic": "8"})),
        "t04": {"income": {"gpb": D("90")}},
        "t06": gpb,
        "t07": merge_econ({"30101": "20", "30102": "15", "30108": "8", "30201": "9", "30206": "5", "30211": "3"},
                          {"30227": "30"}),
        "t08": econ({"30101": "20", "30102": "15", "30108": "8", "30201": "9", "30206": "5", "30211": "3"}),
        "t09": econ({"30227": "30"}),
        "t13": {},
        "prior": {"total": D("115"), "fiscal_total": D("86"), "gpb_expense": D("86"), "fund_expense": D("0"),
                  "soe_expense": D("0"), "sg_abroad": D("0"), "sg_car_buy": D("0"), "sg_car_run": D("0"),
                  "sg_reception": D("0")},
        "reasons": {},
        "sg": _no_sg_counts(),
        "other": {"equipment_general": 0, "equipment_special": 0},
        "budget": [{"code": "2080299", "initial": D("82")}, {"code": "2080505", "initial": D("8")}],
        "performance": [{"name": "示范区婚姻登记服务中心单位整体", "scope": "整体", "score": D("91"),
                         "summary": "婚姻登记零差错，群众满意度较高"},
                        {"name": "婚姻家庭辅导服务", "scope": "项目", "pre_assessed": "否", "has_target": "是",
                         "monitored": "否", "score": D("90"), "summary": "全年开展婚姻家庭辅导四十余场"}],
    }


DEPARTMENTS = {
    DEPARTMENT_FOLDER: {
        "示范区民政局（本级）-2024年度决算.xlsx": civil_affairs_office,
        "示范区救助管理站-2024年度单位决算.xlsx": rescue_station,
        "示范区婚姻登记服务中心-2024年度单位决算.xlsx": marriage_center,
    },
}


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for name, build in SAMPLES.items():
        print(write_workbook(OUT / name, build(), stable=True), file=sys.stdout)
    for folder, units in DEPARTMENTS.items():
        for name, build in units.items():
            print(write_workbook(OUT / folder / name, build(), stable=True), file=sys.stdout)


if __name__ == "__main__":
    main()
