"""第四部分 附件: the unit-wide and per-project self-evaluation tables (绩效自评表).

Laid out like the Sichuan 2024 tables, printed on landscape pages: a project's table is a
header block (project, targets, the 预算执行情况 per fund source) above an indicator table
whose header row repeats on every page, with 一级/二级 merged down, totals and 评价等次.
Column widths follow the content, so a figure or a short word never breaks mid-token.
Every figure comes from performance.evaluate(); nothing is retyped.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from decimal import Decimal

from .appendix import LANDSCAPE_WIDTH_MM, Cell, WordTable
from .money import fmt_amount
from .performance import EXECUTION_RULE, SOURCES, Evaluation, Project, execution_rate, fmt_rate, fmt_score

CELL_PT = 9  # the table text size of the template (表格文字)
CHAR_MM = CELL_PT * 25.4 / 72
PAD_MM = 3.2  # both cell margins plus a little air
MAX_NATURAL_CHARS = 30  # a text column asks for at most this many characters a line
# a run of these never breaks: figures with their unit or sign ("100.00%", "≥95%", "2024-01")
_TOKEN = re.compile(r"[0-9A-Za-z.,%％‰≥≤＝=<>＜＞+\-/:_~～]+|.")


@functools.lru_cache(maxsize=8192)  # the same names and figures recur in every table of a report
def _width(text: str) -> float:
    """Width in Chinese characters (Latin letters and digits count about half)."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in ("W", "F") else 0.55 for ch in text)


def _least(cell: Cell) -> float:
    """The narrowest a cell may be, in characters: a short text (up to six characters, e.g.
    "指标分值", "万人次", "评价等次：优") on one line; a longer heading on at most two lines;
    otherwise its longest unbreakable token."""
    least = 0.0
    for line in cell.text.split("\n") if cell.text else [""]:
        least = max(least, max((_width(t) for t in _TOKEN.findall(line)), default=0.0))
        if len(line) <= 6:
            least = max(least, _width(line))
        elif cell.bold:
            least = max(least, _width(line[:math.ceil(len(line) / 2)]))
    return least


def fit_widths(rows: list[list[Cell]], n_cols: int, total_mm: float = LANDSCAPE_WIDTH_MM) -> list[float]:
    """Column widths in mm from the cells of one column (spanning cells do not count).

    Each column gets at least its longest token; the rest of the width goes to the columns
    whose text would otherwise wrap, in proportion to how much they wrap.
    """
    least = [2.0] * n_cols
    natural = [2.0] * n_cols
    for cells in rows:
        c = 0
        for cell in cells:
            if cell.span == 1 and c < n_cols:
                least[c] = max(least[c], _least(cell))
                lines = cell.text.split("\n") if cell.text else [""]
                natural[c] = max(natural[c], min(MAX_NATURAL_CHARS, max(_width(l) for l in lines)))
            c += cell.span
    lo = [w * CHAR_MM + PAD_MM for w in least]
    hi = [max(a, w * CHAR_MM + PAD_MM) for a, w in zip(lo, natural)]
    if sum(lo) >= total_mm:
        return [w * total_mm / sum(lo) for w in lo]
    if sum(hi) <= total_mm:  # everything fits on one line: share the spare width evenly by size
        return [w * total_mm / sum(hi) for w in hi]
    k = (total_mm - sum(lo)) / (sum(hi) - sum(lo))
    return [a + (b - a) * k for a, b in zip(lo, hi)]


def _merged_down(values: list[str], breaks: frozenset[int] = frozenset()) -> list[str | None]:
    """"restart" where a run of equal values starts, "continue" below it, None for singles.

    A run also restarts at each row in `breaks` (where a page is expected to start), so a
    merged label is printed again at the top of a continuation page instead of a blank cell."""
    out: list[str | None] = []
    for i, v in enumerate(values):
        if i and v and values[i - 1] == v and i not in breaks:
            out.append("continue")
            if out[i - 1] is None:
                out[i - 1] = "restart"
        else:
            out.append(None)
    return out


LINE_MM = 13 * 25.4 / 72  # the 表格文字 style: 9 pt on exactly 13 pt lines
ROW_PAD_MM = 1.4  # a row's cell margins
BODY_MM = 210 - 17 - 15 - 4  # a landscape page's text height less the page-number line
TITLE_MM = 14  # the table's title and unit line (first page only)


def _row_mm(cells: list[Cell], widths: list[float]) -> float:
    """Estimated height of a row that never splits: its tallest cell's lines (generously)."""
    lines, c = 1, 0
    for cell in cells:
        w = max(1.0, sum(widths[c:c + cell.span]) - PAD_MM)
        n = sum(max(1, math.ceil(_width(t) * CHAR_MM / w)) for t in (cell.text.split("\n") if cell.text else [""]))
        lines, c = max(lines, n), c + cell.span
    return lines * LINE_MM + ROW_PAD_MM


def page_starts(heights: list[float], header_rows: int, above_mm: float = 0.0) -> frozenset[int]:
    """The body rows (0-based after the header) expected to start a new page, from the rows'
    estimated heights (rows never split; the header repeats on every page)."""
    header = sum(heights[:header_rows])
    room = BODY_MM - TITLE_MM - above_mm - header
    starts = set()
    for i in range(header_rows, len(heights)):
        if heights[i] > room and i > header_rows:
            starts.add(i - header_rows)
            room = BODY_MM - header
        room -= heights[i]
    return frozenset(starts)


def _money(value: Decimal | None) -> str:
    return "/" if value is None else fmt_amount(value)


def project_table(p: Project, evaluation: Evaluation, year: int, number: int, title: str = "",
                  name: str = "") -> WordTable:
    """A project's 自评表 (附件 `number`); the 专项 self-evaluation report prints the same table
    under its own `title`, naming the project as its report does (`name`)."""
    L = lambda text, span=1, **kw: Cell(text, span, align=kw.get("align", "center"), bold=kw.get("bold", False),
                                        vmerge=kw.get("vmerge"))  # noqa: E731
    label = f"{p.code}-{name or p.name}" if p.code else (name or p.name)
    # header block: 9 columns (label, 资金来源, three amounts, 执行率, 权重, 得分, 评分规则)
    lead = [
        [L("项目名称", bold=True), L(label, 8, align="left")],
        [L("主管部门", bold=True), L(p.department, 3, align="left"), L("实施单位", bold=True, span=2),
         L(p.implementer, 3, align="left")],
        [L("年度目标", bold=True), L(p.texts["goal"], 8, align="left")],
        [L("年度目标完成情况", bold=True), L(p.texts["goal_result"], 8, align="left")],
        [L("实施内容及过程概述", bold=True), L(p.texts["content"], 8, align="left")],
        [L(f"预算执行情况（{fmt_score(p.execution_weight)}分）", bold=True, vmerge="restart"), L("资金来源", bold=True),
         L("年初预算", bold=True), L("调整后预算", bold=True), L("执行数", bold=True), L("预算执行率", bold=True),
         L("权重", bold=True), L("得分", bold=True), L("评分规则", bold=True)],
        [L("", vmerge="continue"), L("总额"), L(fmt_amount(p.total(0))), L(fmt_amount(p.total(1))),
         L(fmt_amount(p.total(2))), L(fmt_rate(p.rate)), L(fmt_score(p.execution_weight)),
         L(fmt_score(p.execution_score)), L(EXECUTION_RULE, vmerge="restart", align="left")],
    ]
    for key, source in SOURCES:
        initial, adjusted, executed = p.sources[source]
        rate = execution_rate(executed, adjusted) if adjusted is not None and executed is not None else None
        lead.append([L("", vmerge="continue"), L(f"其中：{source}" if key == "fiscal" else source), L(_money(initial)),
                     L(_money(adjusted)), L(_money(executed)), L(fmt_rate(rate)), L("/"), L("/"),
                     L("", vmerge="continue")])
    lead_widths = fit_widths(lead, 9)
    rows = [[L(h, bold=True) for h in ("一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "完成值",
                                       "权重", "得分", "未完成原因分析")]]
    draft = rows + [[L(ind.level1), L(ind.level2), L(ind.level3, align="left"), L(ind.nature), L(ind.target),
                     L(ind.unit), L(ind.actual or "未填写"), L(fmt_score(ind.weight)), L(fmt_score(ind.score)),
                     L(ind.reason, align="left")] for ind in p.indicators] + _tail(p, evaluation, L)
    widths = fit_widths(draft, 10)
    # the 一级/二级 labels restart around each page the indicators are expected to start (the project
    # block above takes the first page's top), so no continuation page opens with blank labels
    above = sum(_row_mm(r, lead_widths) for r in lead) + 2
    heights = [_row_mm(r, widths) for r in draft[:1 + len(p.indicators)]]
    breaks = frozenset(b + d for b in page_starts(heights, 1, above) for d in (-1, 0, 1))
    level1 = _merged_down([i.level1 for i in p.indicators], breaks)
    level2 = _merged_down([f"{i.level1}/{i.level2}" for i in p.indicators], breaks)
    for k, ind in enumerate(p.indicators):
        rows.append([L(ind.level1 if level1[k] != "continue" else "", vmerge=level1[k]),
                     L(ind.level2 if level2[k] != "continue" else "", vmerge=level2[k]),
                     L(ind.level3, align="left"), L(ind.nature), L(ind.target), L(ind.unit), L(ind.actual or "未填写"),
                     L(fmt_score(ind.weight)), L(fmt_score(ind.score)), L(ind.reason, align="left")])
    rows += _tail(p, evaluation, L)
    return WordTable(title or f"附件{number}　部门预算项目支出绩效自评表（{year}年度）", rows, widths, header_rows=1,
                     unit_line="单位：万元", subject=name or p.name, lead=lead, lead_widths=lead_widths,
                     keep_tail=8)  # 合计, the three conclusions and the signatures, with three indicators


def _tail(p: Project, evaluation: Evaluation, L) -> list[list[Cell]]:
    """合计, 评价结论, 存在问题, 改进措施 and the signatures below a project's indicators."""
    rows = []
    total_weight = p.weights + p.execution_weight
    rows.append([L("合计", 7, bold=True), L(fmt_score(total_weight), bold=True), L(fmt_score(p.score), bold=True),
                 L(f"评价等次：{evaluation.grade(p.score)}", bold=True)])
    for key, name in (("conclusion", "评价结论"), ("problems", "存在问题"), ("measures", "改进措施")):
        rows.append([L(name, bold=True), L(p.texts[key], 9, align="left")])
    people = f"项目负责人：{p.texts['leader']}　　财务负责人：{p.texts['finance_leader']}"
    rows.append([L(people, 10, align="left")])
    return rows


def unit_table(evaluation: Evaluation, name: str, number: int, title: str = "") -> WordTable:
    """The 整体支出绩效自评表 (附件1); the 整体 self-evaluation report prints the same table.

    As the official form: 一级/二级 labels carry their 分值 ("总体绩效（65分）"); an indicator
    listed with sub-items (rows with no 分值, 解释, 说明 or 得分 of their own) has its 分值, 解释,
    说明, 得分 and 备注 merged down over them; a 扣分项 (no 分值) shows "-" and its deduction (0
    when none)."""
    L = lambda text, span=1, **kw: Cell(text, span, align=kw.get("align", "center"), bold=kw.get("bold", False),
                                        vmerge=kw.get("vmerge"))  # noqa: E731
    units = evaluation.unit_rows

    def points(rows) -> Decimal:
        return sum((r.points or 0 for r in rows), Decimal(0))

    def label(text: str, group) -> str:
        total = points(group)
        return f"{text}\n（{fmt_score(total)}分）" if text and total else text

    # sub-items: rows with nothing of their own below an indicator that has a 分值
    sub = [False] * len(units)
    for k, r in enumerate(units):
        own = r.points is not None or r.explanation or r.rule or r.score is not None or r.note
        sub[k] = bool(k) and not own and (units[k - 1].points is not None or sub[k - 1])
    header = [L(h, bold=True) for h in ("一级指标", "二级指标", "三级指标", "指标分值", "指标解释", "评分说明", "自评得分",
                                        "备注")]
    draft = [header]
    for r in units:  # a first pass without merges, to size the columns and estimate where pages break
        group1 = [x for x in units if x.level1 == r.level1]
        draft.append([L(label(r.level1, group1)), L(label(r.level2, [x for x in group1 if x.level2 == r.level2])),
                      L(r.level3, align="left"), L("-"), L(r.explanation, align="left"), L(r.rule, align="left"),
                      L(fmt_score(r.score)), L(r.note)])
    widths = fit_widths(draft, 8)
    # heights: a row with sub-items shares its merged text (分值 … 备注) with them
    heights = [_row_mm(draft[0], widths)]
    for k, r in enumerate(units):
        cells = draft[k + 1]
        anchor = k + 1 < len(units) and sub[k + 1]
        heights.append(_row_mm(cells[:3], widths[:3]) if anchor or sub[k] else _row_mm(cells, widths))
        if sub[k] and (k + 1 == len(units) or not sub[k + 1]):  # the group's last row: what is still needed
            first = max(i for i in range(k + 1) if not sub[i])
            merged = _row_mm([L("")] * 3 + draft[first + 1][3:], widths)
            heights[-1] += max(0.0, merged - sum(heights[first + 1:k + 2]))
    # the estimate is not a renderer: the labels restart on the rows around each expected page start,
    # so the row that does start the page has them whether the break comes a row early or late
    breaks = frozenset(b + d for b in page_starts(heights, 1) for d in (-1, 0, 1))
    level1 = _merged_down([r.level1 for r in units], breaks)
    level2 = _merged_down([f"{r.level1}/{r.level2}" for r in units], breaks)
    rows = [header]
    for k, r in enumerate(units):
        group1 = [x for x in units if x.level1 == r.level1]
        group2 = [x for x in group1 if x.level2 == r.level2]
        own = "continue" if sub[k] else ("restart" if k + 1 < len(units) and sub[k + 1] else None)
        score = fmt_score(r.score) if r.score is not None else ("0" if r.points is None and not sub[k] else "")
        rows.append([L(label(r.level1, group1) if level1[k] != "continue" else "", vmerge=level1[k]),
                     L(label(r.level2, group2) if level2[k] != "continue" else "", vmerge=level2[k]),
                     L(r.level3, align="left"),
                     L("" if sub[k] else fmt_score(r.points) if r.points is not None else "-", vmerge=own),
                     L("" if sub[k] else r.explanation, align="left", vmerge=own),
                     L("" if sub[k] else r.rule, align="left", vmerge=own),
                     L("" if sub[k] else score, vmerge=own), L("" if sub[k] else r.note, vmerge=own)])
    total = evaluation.unit_total
    rows.append([L("合计", 3, bold=True), L(fmt_score(evaluation.unit_points), bold=True),
                 L(f"评价等次：{evaluation.grade(total)}", 2, bold=True), L(fmt_score(total), bold=True), L("")])
    return WordTable(title or f"附件{number}　{name}整体支出绩效自评表", rows, widths, header_rows=1,
                     unit_line="")


def attachment_tables(evaluation: Evaluation | None, unit_name: str, year: int) -> list[WordTable]:
    if evaluation is None:
        return []
    tables = []
    if evaluation.unit_rows:
        tables.append(unit_table(evaluation, unit_name, 1))
    for p in evaluation.projects:
        tables.append(project_table(p, evaluation, year, len(tables) + 1))
    return tables
