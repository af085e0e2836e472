"""Performance self-evaluation data of 遂宁市安居区社会保险事业管理局, 2024 (sample workbook).

Source: /work/shared/reference/四川-安居区社保局-2024年度单位决算说明.txt, appendix
"附表：1.部门整体支出绩效自评表 / 2.部门预算项目支出绩效自评表（2024年度）" (lines 200-2060),
i.e. one unit-wide table and eight project tables (six 部门预算项目支出绩效自评表 and two
专项资金绩效目标完成情况自评表), in the order in which they are printed.

Figures and facts (amounts, percentages, weights, scores, indicator names, 指标性质, 指标值,
度量单位, 完成值, names of projects, units and persons) are carried over as printed; where the
reference has an odd value it is kept and listed at the end of this file.  The prose fields
(explanation, rule, goal, goal_result, content, conclusion, problems, measures) are restated
in our own, shorter words; "无" stays "无".  Blank cells are None (numbers) or "" (texts).
"""

from decimal import Decimal as D

# ---------------------------------------------------------------------------------------------
# 部门整体支出绩效自评表 — one dict per printed row.  一级/二级 cells are merged in the Word
# table (printed once, blank below); they are repeated on every row here.  The points printed in
# the 一级/二级 headings ("总体绩效（65分）", "履职效能（19分）" …) are not part of the names; they
# are listed at the end of the file because several of them disagree with the rows.
# 扣分项 rows: 指标分值 printed "-" → points None; 自评得分 blank → score None.
# "预算绩效存在问题" and "被评价部门配合度" are each printed in one cell spanning the 二级 and 三级
# columns (the row has one cell less than the others); the name is put in both level2 and level3.
# The rows 个人缴费补贴到位 / 职业年金记实贴息 / 基金风险防控履职效果 have blank 分值, 解释, 说明 and
# 得分 (merged with the first 履职效能 row, whose 10 points cover the four of them).
# ---------------------------------------------------------------------------------------------
UNIT_INDICATORS = [
    {"level1": "总体绩效", "level2": "履职效能", "level3": "基础养老金发放履职效果", "points": D("10"),
     "explanation": "从部门整体绩效目标中选取4至6项核心职能目标，衡量其完成效果。",
     "rule": "选取4至6项可量化、可评价的核心职能目标分别设定分值和评分标准，合计不超过10分；"
             "每项按年末完成目标数占年初设定目标数的比例乘以分值计分，履职效能得分为各项之和。",
     "score": D("10"), "note": ""},
    {"level1": "总体绩效", "level2": "履职效能", "level3": "个人缴费补贴到位履职效果", "points": None,
     "explanation": "", "rule": "", "score": None, "note": ""},
    {"level1": "总体绩效", "level2": "履职效能", "level3": "职业年金记实贴息履职效果", "points": None,
     "explanation": "", "rule": "", "score": None, "note": ""},
    {"level1": "总体绩效", "level2": "履职效能", "level3": "基金风险防控履职效果", "points": None,
     "explanation": "", "rule": "", "score": None, "note": ""},
    {"level1": "总体绩效", "level2": "预算管理", "level3": "预算编制质量", "points": D("8"),
     "explanation": "考察年初部门预算是否按要求编制，以及编制的科学性与准确性。",
     "rule": "以8分乘以（1－财政拨款预算偏离度）计分；偏离度为执行数与调整预算数之差的绝对值占调整预算数的比例。",
     "score": D("8"), "note": ""},
    {"level1": "总体绩效", "level2": "预算管理", "level3": "支出执行进度", "points": D("9"),
     "explanation": "衡量部门1至12月的预算执行进度。",
     "rule": "中省转移支付资金、专项债券资金、专项预算项目三类资金各以1至12月实际支出占预算的比例乘以3分，三项相加。",
     "score": D("9"), "note": ""},
    {"level1": "总体绩效", "level2": "预算管理", "level3": "预算年终结余", "points": D("8"),
     "explanation": "衡量部门整体年末预算结余程度。",
     "rule": "以8分乘以（1－部门整体预算结余率）计分；结余率为年末注销与结转金额合计占部门预算总额的比例。",
     "score": D("8"), "note": ""},
    {"level1": "总体绩效", "level2": "预算管理", "level3": "严控一般性支出", "points": D("6"),
     "explanation": "考察“三公”经费、会议、培训、差旅、办节办展、办公设备购置、信息网络及软件购置更新、课题经费等8类一般性支出的压减情况。",
     "rule": "基础分加加分：年初预算、预算执行较上年有压减的各得1.5分；年初预算每压减1%另加0.2分（上限1分），"
             "预算执行每压减1%另加0.4分（上限2分）。",
     "score": D("6"), "note": ""},
    {"level1": "总体绩效", "level2": "资产管理", "level3": "人均资产变化率", "points": D("3"),
     "explanation": "衡量部门人均资产的变动。",
     "rule": "变化率Y为2024年与2023年人均占有资产（固定资产与无形资产净值之和除以编制内实有人数）之差占2023年数的比例；"
             "以区直单位平均值N＝-4.63%为基准，Y≤N得3分，N＜Y≤0.8N（-3.704%）得2分，0.8N＜Y≤0.5N（-2.32%）得1分，Y＞0.5N不得分。",
     "score": D("3"), "note": ""},
    {"level1": "总体绩效", "level2": "资产管理", "level3": "资产利用率", "points": D("3"),
     "explanation": "考察资产超过最低使用年限的情况。",
     "rule": "办公家具、办公设备中超最低使用年限部分的账面原值占比各乘以1.5分，两项相加。",
     "score": D("3"), "note": ""},
    {"level1": "总体绩效", "level2": "资产管理", "level3": "资产盘活率", "points": D("3"),
     "explanation": "衡量闲置一年以上资产的盘活程度。",
     "rule": "以本年与上年闲置资产占总资产比重之比为变化率：低于60%得2.4分，60%—80%得1.8分，80%—100%得1.2分，"
             "超过100%不得分；两年均无闲置资产或本年已无闲置资产的得3分。",
     "score": D("3"), "note": ""},
    {"level1": "总体绩效", "level2": "采购管理", "level3": "支持中小企业发展", "points": D("3"),
     "explanation": "考察是否落实政府采购促进中小企业发展的管理办法。",
     "rule": "适宜由中小企业承担的采购项目应预留份额专门面向中小企业，并在采购预算中单列；未达要求扣3分。",
     "score": D("0"), "note": ""},
    {"level1": "总体绩效", "level2": "采购管理", "level3": "采购执行率", "points": D("3"),
     "explanation": "衡量政府采购项目资金的支付比例。",
     "rule": "以3分乘以当年政府采购实付总额占（采购总预算－已完成项目节约额）的比例计分。",
     "score": D("3"), "note": ""},
    {"level1": "项目绩效", "level2": "项目决策", "level3": "决策程序", "points": D("4"),
     "explanation": "考察部门预算项目是否依规完成评估论证和申报。",
     "rule": "按未履行事前评估的阶段项目（含一次性项目）所占比例从4分中扣减；抽评项目不足10个的全部纳入，每增5个多抽1个，"
             "最多30个；无阶段项目时考察项目整体决策程序。",
     "score": D("4"), "note": ""},
    {"level1": "项目绩效", "level2": "项目决策", "level3": "目标设置", "points": D("4"),
     "explanation": "考察项目绩效目标是否与任务量、资金量相匹配，是否科学合理、完整规范、量化细化。",
     "rule": "按目标与任务量、预算不匹配的阶段项目（含一次性项目）所占比例从4分中扣减；无此类项目时抽评核心业务或资金量大的其他项目。",
     "score": D("4"), "note": ""},
    {"level1": "项目绩效", "level2": "项目决策", "level3": "项目入库", "points": D("4"),
     "explanation": "考察项目是否按期完成入库。",
     "rule": "按未按期入财政项目库的阶段项目（含一次性项目）所占比例从4分中扣减，默认满分。",
     "score": D("4"), "note": ""},
    {"level1": "项目绩效", "level2": "项目执行", "level3": "执行同向", "points": D("5"),
     "explanation": "考察项目实际列支内容与绩效目标方向是否一致。",
     "rule": "以4减去列支方向与绩效目标不符的阶段项目（含一次性项目）所占比例乘以5计分。",  # "4-…×5" as printed
     "score": D("5"), "note": ""},
    {"level1": "项目绩效", "level2": "项目执行", "level3": "项目调整", "points": D("6"),
     "explanation": "考察项目是否按需采取相应调整措施。",
     "rule": "以4减去应采取而未采取收回预算、调整目标等措施的阶段项目（含一次性项目）所占比例乘以6计分。",  # "4-…×6" as printed
     "score": D("6"), "note": ""},
    {"level1": "项目绩效", "level2": "项目执行", "level3": "执行结果", "points": D("4"),
     "explanation": "衡量项目预算执行情况。",
     "rule": "常年项目中结余率低于10%者所占比例乘以2分，加上一次性及阶段项目中结余率低于10%者所占比例乘以2分。",
     "score": D("4"), "note": ""},
    {"level1": "项目绩效", "level2": "目标实现", "level3": "目标完成", "points": D("6"),
     "explanation": "考察项目绩效目标中数量指标的完成情况。",
     "rule": "以6分乘以完成数量指标的阶段项目（含一次性项目）所占比例计分。",
     "score": D("6"), "note": ""},
    {"level1": "项目绩效", "level2": "目标实现", "level3": "目标偏离", "points": D("6"),
     "explanation": "衡量项目数量指标实际值与预期值的偏离程度。",
     "rule": "在已完成的数量指标中，以偏离度在30%以内者所占比例乘以6分计分；偏离度为实际值与预期值之差的绝对值除以预期值，"
             "偏离达到30%及以上的阶段项目（含一次性项目）不计分。",
     "score": D("6"), "note": ""},
    {"level1": "项目绩效", "level2": "目标实现", "level3": "实现效果", "points": D("5"),
     "explanation": "考察项目效益指标的实现情况。",
     "rule": "以5分乘以完成效益指标的阶段项目（含一次性项目）所占比例计分。",
     "score": D("5"), "note": ""},
    {"level1": "扣分项", "level2": "财务管理", "level3": "财务管理制度", "points": None,
     "explanation": "考察内部财务管理制度的建立情况。",
     "rule": "未建立内部财务管理等制度或制度未落实的，每发现一处扣1分，扣完即止。",
     "score": None, "note": ""},
    {"level1": "扣分项", "level2": "财务管理", "level3": "财务岗位设置", "points": None,
     "explanation": "考察财务岗位设置是否符合财务管理制度。",
     "rule": "岗位设置不合理、职责权限不清或未实行不相容岗位分离的，每发现一处扣1分，扣完即止。",
     "score": None, "note": ""},
    {"level1": "扣分项", "level2": "财务管理", "level3": "资金使用规范", "points": None,
     "explanation": "考察资金使用是否符合财务管理规定。",
     "rule": "资金使用违反财务管理制度的，每发现一处扣1分，扣完即止。",
     "score": None, "note": ""},
    {"level1": "扣分项", "level2": "预算绩效存在问题", "level3": "预算绩效存在问题", "points": None,
     "explanation": "考察预算管理与绩效管理中存在的问题。",
     "rule": "依据人大监督、巡视巡察、审计监督、财会监督等结果，以及履职效果、预算、财务、资产、采购、项目绩效等方面发现的问题，"
             "每个问题点扣1分，扣完即止。",
     "score": None, "note": ""},
    {"level1": "扣分项", "level2": "被评价部门配合度", "level3": "被评价部门配合度", "points": None,
     "explanation": "考察被评价单位对评价工作的配合程度。",
     "rule": "评价中出现拖延推诿、资料提交迟缓等不配合情形的，每次扣1分，扣完即止。",
     "score": None, "note": ""},
]
UNIT_TOTAL_PUBLISHED = D("97")  # row "分值" of the table; 十（四） also says 97

# ---------------------------------------------------------------------------------------------
# Project tables, in printed order.  Amounts in 万元.  财政专户管理资金 and 单位资金 are printed
# "0.00" (with 执行率 "0.00%"); 其他资金 is blank → None.  The 权重/得分 of the 资金 sub-rows are
# printed "/" and are not kept.  published_total is the 合计 得分 (合计 权重 is printed 100 too).
# ---------------------------------------------------------------------------------------------
_DEPT = "遂宁市安居区社会保险事业管理局部门"  # 主管部门 as printed (with the trailing "部门")
_UNIT = "遂宁市安居区社会保险事业管理局"      # 实施单位 as printed


def _project(code, name, leader, initial, adjusted, executed, goal, goal_result, content,
             conclusion, problems="无", measures="无"):
    return {
        "code": code, "name": name, "department": _DEPT, "implementer": _UNIT,
        "initial_fiscal": D(initial), "adjusted_fiscal": D(adjusted), "executed_fiscal": D(executed),
        "initial_special": D("0.00"), "adjusted_special": D("0.00"), "executed_special": D("0.00"),
        "initial_unit": D("0.00"), "adjusted_unit": D("0.00"), "executed_unit": D("0.00"),
        "initial_other": None, "adjusted_other": None, "executed_other": None,
        "goal": goal, "goal_result": goal_result, "content": content,
        "conclusion": conclusion, "problems": problems, "measures": measures,
        "leader": leader, "finance_leader": "张丹",
        "published_rate": "100.00%", "published_execution_weight": D("10"),
        "published_execution_score": D("10"), "published_total": D("100"),
    }


PROJECTS = [
    _project(
        "51090424T000011111850", "陈友生困难补助", "曾莉", "3.75", "3.88", "3.88",
        goal="逐月向补助对象支付伤残津贴补助，执行依据为遂安人社[2023]6号及遂安社险函[2023]34号文件。",
        goal_result="已依照文件规定逐月向陈友生支付困难补助。",
        content="全年按文件标准按月向陈友生发放困难补助。",
        conclusion="项目按文件规定完成了对陈友生的逐月补助发放。",
    ),
    _project(
        "51090424T000011111513", "城乡居民养老保险个人缴费补贴区级配套2024", "冯梅", "130.00", "130.00", "130.00",
        goal="安排2024年城乡居民养老保险个人缴费补贴的区级配套资金。",
        goal_result="符合条件的城乡居民养老保险个人缴费补贴对象已全部享受补贴，做到应补尽补。",
        content="保障符合条件人员的城乡居民养老保险个人缴费补贴如期拨付到位。",
        conclusion="个人缴费补贴实现应补尽补、全面覆盖，提升了群众的获得感和幸福感。",
    ),
    _project(
        "51090424T000011111273", "基金风险防控项目2024", "何发", "10.00", "8.72", "8.72",
        goal="对全区约16万名养老金领取人员（农保13万、企保3万、机保0.35万）开展生存认证及高龄、高风险人员上门核查，"
             "开展参保、一次性补缴和工伤待遇稽核，并核查追回死亡冒领、重复领待、服刑人员领待三类基金以减轻管理性缺口的财政兜底压力（川府发【2020】18号）；"
             "经费用于稽核与风险防控所需的律师费、差旅费、印刷费、宣传费等。",
        goal_result="2024年共追回社保基金15万余元，其中重复领待10人8万余元、服刑领待9人5万余元、死亡冒领4人2万余元。",
        content="围绕死亡冒领、重复领待、服刑人员领待三类情形核查并追回基金，同时开展参保、一次性补缴、工伤待遇稽核和高龄、高风险人员上门认证。",
        conclusion="全年追回社保基金15万余元（重复领待10人、服刑领待9人、死亡冒领4人），绩效目标设定切合实际，结果应用良好。",
    ),
    _project(
        "51090424T000011111720", "建国初期参加革命工作退休干部困难补助2024", "曾莉", "0.96", "2.06", "2.06",
        goal="依据遂安委组干退[2011]6号、遂安委组通[2014]24号文件及区委组织部2020年调整补助标准的函（附6名享受对象名单），向规定的照顾对象发放困难补助。",
        goal_result="已按文件规定逐月向建国初期参加革命工作的退休干部发放困难补助。",
        content="按文件标准按月向建国初期参加革命工作的退休干部支付困难补助。",
        conclusion="困难补助已按文件要求逐月按时发放到位。",
    ),
    _project(
        "51090424T000011111736", "离休干部遗孀生活补助2024", "曾莉", "1.55", "1.88", "1.88",
        goal="依据遂安委老（2009）7号函，由社保局按月代发离休干部遗孀何治秀的生活补贴。",
        goal_result="已按文件规定逐月按时向何治秀发放生活补贴。",
        content="按文件要求每月代发离休干部遗孀何治秀的生活补贴。",
        conclusion="何治秀的生活补贴已按文件规定逐月按时发放。",
    ),
    _project(
        "51090424T000011111658", "职业年金做实及贴息2024", "李迷", "1720.00", "1719.81", "1719.81",
        goal="为全区2024年退休职工做实职业年金并计付贴息。",
        goal_result="已为2024年达到退休年龄的职工及转出本区的机关事业单位职工完成职业年金记实贴息。",
        content="对当年达到退休年龄的职工和转往区外的机关事业单位职工办理职业年金记实贴息。",
        conclusion="2024年到龄退休职工和转出区外职工的职业年金记实贴息均已完成。",
    ),
    # 专项资金绩效目标完成情况自评表
    _project(
        "51090422T000000403184", "困难群体代缴城乡居民养老保险", "汪世伟", "0.00", "147.39", "147.39",
        goal="保障符合条件人员按时足额领取基础养老金，参保缴费人员的缴费补贴按时足额兑付。",
        goal_result="已为14246人代缴城乡居民基本养老保险个人缴费。",
        content="对全区低保对象、特困人员、返贫致贫人口等困难群体实行城乡居民基本养老保险政府代缴，标准为每人每年100元，所需资金由省、县两级共同负担。",
        conclusion="年内为14246人代缴城乡居民基本养老保险个人缴费，保障了基础养老金按时足额发放和缴费补贴按时足额兑现。",
    ),
    # 专项资金绩效目标完成情况自评表
    _project(
        "51090424T000011120418", "基础养老金补贴区级配套2024", "冯梅", "1160.00", "2602.62", "2602.62",
        goal="保障符合条件的城乡居民养老待遇领取人员按时足额领取养老金。",
        goal_result="2024年全区城乡居民养老保险绩效指标完成程度较高，待遇按时发放，参保人员权益得到保障、满意度提升。",
        content="依照川财社〔2015〕185号和财社〔2017〕144号文件规定，将县级配套资金及时上解至市级社会保障基金财政专户，专款专用，不得截留、挤占、挪用。",
        conclusion="自评认为2024年全区城乡居民养老保险绩效指标总体完成良好，待遇按时发放，参保群众权益得到维护、满意度有所提高。",
        problems="年初对县级基础养老金匹配资金测算不足，致使2024年实际支出高于预计。",
        measures="今后应提高城乡居民养老保险区级配套资金年初预算编制的精准度。",
    ),
]

# ---------------------------------------------------------------------------------------------
# Indicator rows of the project tables (绩效指标（90分）), in printed order.  Merged 一级/二级
# cells are repeated.  All 未完成原因分析 cells are blank.  Values are strings as printed,
# including the odd ones (see the list at the end of the file).
# ---------------------------------------------------------------------------------------------
_SUBSIDY_TIERS = (
    "城乡居民养老保险，补贴标准不低于40元/人/年。对每年200、300、400元、500元、600元、700元、800元、900元、"
    "1000元、1500元、2000元、3000元、4000元、5000元、6000元15个档次，对应的政府补贴为40元、45元、50元、60元、"
    "60元、65元、70元、75元、80元、100元、120元、160元、200元、240元、280元。省级財政按政府补贴总量的50%安排，"
    "各县（市、区），分档次予以补助；其余部分由市、县两级财政共同财政共同分担"
)  # one cell printed over four lines (soft breaks joined); "財政" and the doubled "财政共同" as printed


def _rows(project, rows):
    out = []
    for level1, level2, level3, nature, target, unit, actual, weight, score in rows:
        out.append({"project": project, "level1": level1, "level2": level2, "level3": level3,
                    "nature": nature, "target": target, "unit": unit, "actual": actual,
                    "weight": D(weight), "score": D(score), "reason": ""})
    return out


INDICATORS = (
    _rows("陈友生困难补助", [
        ("产出指标", "数量指标", "陈友生每月发放伤残津贴补助", "＝", "1", "人", "1", "20", "20"),
        ("产出指标", "质量指标", "应发尽发", "＝", "100", "%", "100%", "10", "10"),
        ("产出指标", "时效指标", "按时发放", "定性", "按时", "", "按时", "10", "10"),
        ("效益指标", "社会效益指标", "陈友生每月发放伤残津贴补助", "定性", "优", "", "优", "20", "20"),
        ("满意度指标", "帮扶对象满意度指标", "发放对象满意度指标", "≥", "95", "%", "100%", "10", "10"),
        ("成本指标", "经济成本指标", "按标准发放", "定性", "优", "", "优", "20", "20"),
    ])
    + _rows("城乡居民养老保险个人缴费补贴区级配套2024", [
        ("产出指标", "数量指标", "保障人数", "定性", "应保尽保", "人", "100%", "10", "10"),
        ("产出指标", "质量指标", "补贴的准确性", "定性", "100", "%", "100%", "10", "10"),
        ("产出指标", "时效指标", "完成时效", "≤", "1", "年", "1", "20", "20"),
        ("效益指标", "社会效益指标", "保障个人缴费补贴及时到位", "定性", "优", "", "优", "20", "20"),
        ("满意度指标", "服务对象满意度指标", "享受缴费补贴对象满意度指标", "≥", "95", "%", "100%", "10", "10"),
        ("成本指标", "经济成本指标", "按相关缴费档次确保配套到位", "定性", _SUBSIDY_TIERS, "%", "100%", "20", "20"),
    ])
    + _rows("基金风险防控项目2024", [
        ("产出指标", "数量指标", "社保基金管理与稽核，重点组织开展参保稽核、一次性补缴稽核及工伤待遇稽核",
         "≥", "3", "万人次", "≥3", "10", "10"),
        ("产出指标", "数量指标", "养老金待遇领取人员进行生存认证、对高龄人员、高风险人员进行上门认证核查",
         "≥", "16", "万人次", "≥16", "10", "10"),
        ("产出指标", "质量指标", "年审、稽核工作完成率", "＝", "100", "%", "100%", "10", "10"),
        ("产出指标", "时效指标", "年审、稽核工作完成及时性", "定性", "优", "", "优", "10", "10"),
        ("效益指标", "经济效益指标", "减少社保基金管理性缺口财政兜底压力", "定性", "优", "", "优", "20", "20"),
        ("满意度指标", "服务对象满意度指标", "服务对象满意度", "≥", "95", "%", "96", "10", "10"),
        ("成本指标", "经济成本指标", "社保、机保、居保基金稽核与风险防控所需律师费、差旅费、印刷费、宣传费等",
         "≤", "10", "万元", "8.72", "20", "20"),
    ])
    + _rows("建国初期参加革命工作退休干部困难补助2024", [
        ("产出指标", "数量指标", "享受困难补助的退休干部人员", "＝", "1", "人", "1", "20", "20"),
        ("产出指标", "质量指标", "应发尽发", "＝", "100", "%", "100%", "10", "10"),
        ("产出指标", "时效指标", "按时发放", "定性", "按时", "", "按时", "10", "10"),
        ("效益指标", "社会效益指标", "保障我区建国初期参加革命工作退休干部生活补助", "定性", "优", "", "优", "20", "20"),
        ("满意度指标", "帮扶对象满意度指标", "发放对象满意度指标", "≥", "95", "%", "100%", "10", "10"),
        ("成本指标", "经济成本指标", "按标准发放", "定性", "优", "", "优", "20", "20"),
    ])
    + _rows("离休干部遗孀生活补助2024", [
        ("产出指标", "数量指标", "发放人数", "＝", "1", "人次", "1", "20", "20"),
        ("产出指标", "质量指标", "应发尽发", "＝", "100", "%", "100%", "10", "10"),
        ("产出指标", "时效指标", "每月发放", "＝", "12", "月", "12", "10", "10"),
        ("效益指标", "社会效益指标", "保障领取人的基本生活保障", "定性", "优", "", "优", "20", "20"),
        ("满意度指标", "帮扶对象满意度指标", "帮扶对象满意度指标", "≥", "97", "%", "100%", "10", "10"),
        ("成本指标", "经济成本指标", "按标准发放", "定性", "优", "", "优", "20", "20"),
    ])
    + _rows("职业年金做实及贴息2024", [
        ("产出指标", "数量指标", "年金做实人数", "定性", "优", "%", "应缴尽缴", "10", "10"),
        ("产出指标", "质量指标", "记实的准确性", "＝", "100", "%", "100%", "10", "10"),
        ("产出指标", "时效指标", "完成时效", "＝", "1", "年", "1", "20", "20"),  # published 完成值: "当年"
        ("效益指标", "社会效益指标", "保险年金及贴息及时到位", "定性", "优", "", "优", "20", "20"),
        ("满意度指标", "服务对象满意度指标", "服务对象满意度指标", "≥", "95", "%", "100%", "10", "10"),
        ("成本指标", "经济成本指标", "按标准发放", "定性", "优", "", "优", "20", "20"),
    ])
    # 二级 cells of this table look shifted (see the end of the file); kept as printed.
    + _rows("困难群体代缴城乡居民养老保险", [
        ("产出指标", "质量指标", "代缴城乡居民基本养老保险个人缴费人数", "定性", "按照政策规定应缴尽缴", "人", "14264人", "10", "10"),
        ("产出指标", "数量指标", "对低保对象、特困人员、返贫致贫人口等困难群体参保率", "≥", "95", "%", "96%", "20", "20"),
        ("产出指标", "质量指标", "资金在规定时间下达率", "≥", "95", "%", "96%", "10", "10"),
        ("产出指标", "时效指标", "代缴城乡居民基本养老保险最低标准", "＝", "100", "元", "100元", "20", "20"),
        ("效益指标", "成本指标", "对困难群体的促进作用", "定性", "长期", "年", "长期", "20", "20"),
        ("满意度指标", "社会效益指标", "对低保对象、特困人员、返贫致贫人口等困难群体满意度", "≥", "95", "%", "96%", "10", "10"),
    ])
    + _rows("基础养老金补贴区级配套2024", [
        ("产出指标", "数量指标", "保障人数", "＝", "应保尽保", "%", "100%", "10", "10"),
        ("产出指标", "质量指标", "补贴的准确性", "＝", "100", "%", "100%", "10", "10"),  # published: blank
        ("产出指标", "时效指标", "补贴拨付及时性", "定性", "在规定时效内拨付到位", "", "在规定时效内拨付到位", "20", "20"),
        ("效益指标", "社会效益指标", "保险每月领取群众的基础养老金到位", "定性", "优", "", "优", "20", "20"),  # published: blank
        ("满意度指标", "服务对象满意度指标", "服务对象满意度指标", "≥", "90", "%", "99%", "10", "10"),
        ("成本指标", "经济成本指标", "按国家规定标准补贴", "定性",
         "人均163元/人/月，中央财政负担123元，剩余40元由省市县三级财政共同承担", "", "2024年县级承担2602.62万元", "20", "20"),
    ])
)

# =============================================================================================
# CHECKS (computed from the data above; verified when this file was written)
#
# Extracted: 27 unit-wide rows, 8 project tables (6 部门预算项目支出绩效自评表 + 2 专项资金绩效目标
# 完成情况自评表 — every project named in 十（四） has a table), 49 indicator rows.
#
# project                                   执行率   exec score  Σ indicator scores  total  Σ weights = 90
# 陈友生困难补助                            100.00%  10          90                  100    yes (20+10+10+20+10+20)
# 城乡居民养老保险个人缴费补贴区级配套2024  100.00%  10          90                  100    yes (10+10+20+20+10+20)
# 基金风险防控项目2024                      100.00%  10          90                  100    yes (10+10+10+10+20+10+20)
# 建国初期参加革命工作退休干部困难补助2024  100.00%  10          90                  100    yes (20+10+10+20+10+20)
# 离休干部遗孀生活补助2024                  100.00%  10          90                  100    yes (20+10+10+20+10+20)
# 职业年金做实及贴息2024                    100.00%  10          90                  100    yes (10+10+20+20+10+20)
# 困难群体代缴城乡居民养老保险              100.00%  10          90                  100    yes (10+20+10+20+20+10)
# 基础养老金补贴区级配套2024                100.00%  10          90                  100    yes (10+10+20+20+10+20)
# In every table 执行数 = 调整后预算数, so 执行数/调整后预算数 rounds to the published 100.00%;
# every total = 10 + Σ indicator scores; no score exceeds its weight; 十（四） gives 100 for all 8.
#
# Unit-wide table: Σ 自评得分 = 97 = published 分值 (and 十（四）); Σ printed 三级 指标分值 = 100.
#
# INCONSISTENCIES AND ODDITIES IN THE REFERENCE
# Unit-wide table
#  1. Heading points do not match the rows under them: 履职效能（19分） has 10 points printed
#     (three of its four rows blank); 预算管理（21分） rows 8+9+8+6 = 31; 项目执行（12分） rows
#     5+6+4 = 15; 目标实现（11分） rows 6+6+5 = 17 (资产管理 9, 采购管理 6, 项目决策 12 agree).
#     总体绩效（65分） ≠ its 二级 headings 19+21+9+6 = 55 ≠ its rows 10+31+9+6 = 56;
#     项目绩效（35分） = headings 12+12+11 but its rows sum to 44.  Only the grand total (100) agrees.
#  2. 执行同向 (5分) and 项目调整 (6分) print the formula "4-…×5" / "4-…×6" (start value 4, not 5/6).
#  3. 人均资产变化率: 0.5N of N = -4.63% is -2.315%, printed "-2.32%" (rounded); 0.8N = -3.704% is right.
#  4. 支持中小企业发展 scores 0/3 (the 3 points lost), while 十（二） says there was no government
#     procurement at all (0万元, below the threshold).
#  5. 扣分项 has no deduction, although the 部门预算绩效评价报告 (四（2）) admits 财务管理制度不完善、
#     绩效目标设置浮于表面、绩效目标调整衔接不到位 — and its own 5.财务管理 says the rules are complete.
# Project tables
#  6. Number of projects: 十（四） speaks of 8 projects with goals; the 部门预算绩效评价报告 counts 7
#     项目绩效目标 (1 整体 + 7 = 8) and 7 常年项目 with 预算总金额 3026.26万元 — that is the sum of the
#     年初预算 of the 7 projects other than 困难群体代缴 (1160+10+130+1720+1.55+3.75+0.96).
#  7. Names differ: table "基金风险防控项目2024" vs 十（四） "基金风险防控项目"; "陈友生困难补助" vs
#     "陈友生困难补助金" in the 评价报告; goal and indicators of 陈友生困难补助 speak of 伤残津贴补助.
#  8. 职业年金: the 评价报告 says "1720万元，实际执行1719.81万元，执行率为100%" — against 1720 that is
#     99.99%; the table's 100.00% is against 调整后预算数 1719.81.
#  9. Budget adjustments (年初 → 调整后): 陈友生 3.75→3.88, 基金风险防控 10.00→8.72, 建国初期
#     0.96→2.06, 离休遗孀 1.55→1.88, 职业年金 1720.00→1719.81, 困难群体代缴 0.00→147.39, 基础养老金
#     1160.00→2602.62; the 原因 column only repeats the instruction that adjustments must be explained.
# 10. 财政专户管理资金 and 单位资金 print 执行率 "0.00%" for 0.00/0.00 in all 8 tables (0/0 is undefined).
# 11. 主管部门 is printed "遂宁市安居区社会保险事业管理局部门" (the unit's own name + "部门"), although
#     the unit is described as subordinate to 区人社局.
# 12. Σ 预算执行数 of the 8 projects = 4616.36万元, but the unit's whole 2024 决算支出 is 1313.50万元,
#     of which 项目支出 16.55万元 (text) or 9.76% ≈ 128.2万元 (chart data): the project figures cannot
#     be reconciled with the 决算 tables (the large items are passed on to fund 专户).
# 13. 困难群体代缴: 年度目标完成情况 and 评价结论 say 14246人, the indicator 完成值 and 附件2 say 14264人;
#     147.39万元 ≠ 14264 × 100元 = 142.64万元; the 年度目标 text (基础养老金按时足额发放、缴费补贴兑现)
#     belongs to another project; 二级 cells look shifted: 代缴人数 under 质量指标, 参保率 under 数量指标,
#     最低标准 under 时效指标, "成本指标" under 效益指标 and "社会效益指标" under 满意度指标 (kept as printed;
#     weights still add to 90).
# 14. 基础养老金补贴区级配套: 补贴的准确性 and 社会效益 have a blank 完成值 but full scores (10, 20);
#     指标值 "人均163元/人/月" vs "人均领取标准为139元每人每月" in the 评价报告; the 完成值 says 县级
#     for a 区级 project; 保障人数 "＝ 应保尽保" with unit %; the 附件 report names another problem
#     (被征地退休人员个人账户养老金测算较低) than the table (县级匹配资金测算较低).
# 15. 城乡居民个人缴费补贴: 保障人数 is 定性 with unit 人 and 完成值 100%; 补贴的准确性 is 定性 with a
#     numeric 指标值 100 %; the 成本 指标值 is a paragraph with unit % (and "財政", "财政共同财政共同分担").
# 16. 职业年金: 年金做实人数 is 定性 "优" with unit % and 完成值 "应缴尽缴"; 完成时效 "＝ 1 年" → "当年".
# 17. 基金风险防控: 满意度 完成值 "96" without %; 完成值 "≥3", "≥16" carry the sign; goal "约16万（农保
#     13万元、企保3万、机保0.35万）" — parts add to 16.35万 and persons are counted in 元.
#     (15万余元 = 8+5+2 万余元 and 154719.14元 in the 评价报告 agree.)
# 18. 建国初期困难补助: the goal cites a list of 6 eligible cadres, the 数量指标 is 1人.
# 19. 离休干部遗孀: 发放人数 "＝ 1 人次" although the subsidy is paid monthly (12 times).
# =============================================================================================
