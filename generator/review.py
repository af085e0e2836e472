"""Check a 决算说明 against itself (sentences, 附表, chart data) and, when given, its workbook.

Why: most reports are still written by hand, and the finance bureau reviews each one. The
review reads the published text (report_text.py), states every figure it can read as a
quantity (the same quantity named by any of the usual sentence variants of the layouts we
know), and lists every place where two statements of one quantity disagree, or where a share,
a change or a 完成预算% does not follow from the figures printed beside it. A sentence with
amounts it cannot read is listed as not checked: nothing is guessed.

Severity: 错误 is a contradiction (exit 1), 警告 a defect that is not a contradiction of
figures (a placeholder, a jump in figure numbers, an outdated class name), 提示 a difference
within the report's own rounding (two decimals for 万元 and %).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache

from .codes import function_codes, outdated_names
from .findings import ERROR, HINT, WARNING, Finding
from .report_text import Para, PrintedTable, ReportText, is_heading

NUM = r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
UNIT = r"\s*(?P<unit>亿元|万元|元)?"
AMOUNT = NUM + UNIT + r"(?![\d.%％])"
NOT_A_COUNT = r"(?![人个辆台套次名项批年月日分家户件所座])"
BUDGET_CLAUSE = r"(?:[：:]\s*)?(?:年初(?:(?P<nobudget>未安排预算)|预算为(?P<budget>\d[\d,]*(?:\.\d+)?)万元)[，,]\s*)?"
LINK = BUDGET_CLAUSE + r"(?:支出)?(?:决算数|决算)?(?:总额)?(?:各|均为|均|分别为|为|是|共计|合计|达)?\s*"
HUNDRED = Decimal(100)
CENT = Decimal("0.01")

# quantity → the subjects that name it in the layouts we know and their usual hand-written variants
QUANTITIES: dict[str, list[str]] = {
    "收入支出总计": [r"(?<![拨款])收入、支出总计", r"(?<![拨款])收支总计", r"(?<![拨款])收入支出总计",
                     r"(?<![本])总收入(?=\d)", r"(?<![本])总支出(?=\d)"],
    "本年收入合计": [r"本年收入合计", r"本年度收入合计", r"本年收入(?=\d)", r"(?<=\d年度)收入(?=\d)"],
    "本年支出合计": [r"本年支出合计", r"本年度支出合计", r"本年支出(?=\d)", r"(?<=\d年度)支出(?=\d)", r"(?<=万元[，,])支出(?=\d)"],
    "财政拨款收入支出总计": [r"财政拨款收入、支出总计", r"财政拨款收入支出总计", r"财政拨款收入总计", r"财政拨款收支总计"],
    "一般公共预算财政拨款收入": [r"一般公共预算财政拨款收入"],
    "政府性基金预算财政拨款收入": [r"政府性基金预算财政拨款收入"],
    "国有资本经营预算财政拨款收入": [r"国有资本经营预算财政拨款收入"],
    "上级补助收入": [r"上级补助收入"],
    "事业收入": [r"(?<![经营])事业收入"],
    "经营收入": [r"(?<![事业])经营收入"],
    "附属单位上缴收入": [r"附属单位上缴收入"],
    "其他收入": [r"其他收入"],
    "一般公共预算财政拨款支出": [r"一般公共预算财政拨款支出", r"一般公共预算支出"],
    "一般公共预算财政拨款基本支出": [r"一般公共预算财政拨款基本支出"],
    "基本支出": [r"(?<![拨款])基本支出"],
    "项目支出": [r"(?<![拨款])项目支出"],
    "人员经费": [r"人员经费"],
    "公用经费": [r"(?<!日常)公用经费"],
    "“三公”经费": [r"[“\"]三公[”\"]经费财政拨款支出", r"[“\"]三公[”\"]经费支出", r"[“\"]三公[”\"]经费财政拨款(?=支出决算|年初)"],
    "因公出国（境）费": [r"因公出国[（(]境[)）](?:经)?费(?:用)?", r"因公出国(?:[（(]境[)）])?(?=支出)"],
    "公务用车购置及运行维护费": [r"公务用车购置及运行(?:维护)?费"],
    "公务用车购置费": [r"公务用车购置(?:费|支出)(?!及)"],
    "公务用车运行维护费": [r"公务用车运行(?:维护)?(?:费|支出)"],
    "公务接待费": [r"(?<![内外事])公务接待费"],
    "机关运行经费": [r"机关运行经费"],
    "政府采购支出总额": [r"政府采购支出总额", r"政府采购金额(?:[（(]以合同签订为准[)）])?"],
    "政府采购货物支出": [r"政府采购货物支出", r"(?<![\u4e00-\u9fa5])货物采购金额"],
    "政府采购工程支出": [r"政府采购工程支出", r"(?<![\u4e00-\u9fa5])工程采购金额"],
    "政府采购服务支出": [r"政府采购服务支出", r"(?<![\u4e00-\u9fa5])服务采购金额"],
    "授予中小企业合同金额": [r"授予中小企业合同金额"],
    "授予小微企业合同金额": [r"授予小微企业合同金额"],
    "国内公务接待费": [r"国内公务接待(?:费|支出)", r"国内公务接待\d+批次[、，,]\s*\d+人次[，,]\s*(?:共计)?(?=支出)"],
    "外事接待费": [r"外事接待(?:费|支出)", r"外事接待\d+批次[、，,]\s*\d+人次?[，,]\s*(?:共计)?(?=支出)"],
    "政府性基金预算财政拨款支出": [r"政府性基金预算(?:财政)?拨款支出"],
    "国有资本经营预算财政拨款支出": [r"国有资本经营预算(?:财政)?拨款支出"],
}
# a total and its parts, as every layout defines them: the parts stated never exceed the total, and add up to it
# when all are stated
PARTS: dict[str, tuple[str, ...]] = {
    "“三公”经费": ("因公出国（境）费", "公务用车购置及运行维护费", "公务接待费"),
    "公务用车购置及运行维护费": ("公务用车购置费", "公务用车运行维护费"),
    "公务接待费": ("国内公务接待费", "外事接待费"),
    "政府采购支出总额": ("政府采购货物支出", "政府采购工程支出", "政府采购服务支出"),
    "一般公共预算财政拨款基本支出": ("人员经费", "公用经费"),
    "本年支出合计": ("基本支出", "项目支出"),  # with 上缴上级、经营、对附属单位补助 when a unit has them: only "not above"
}
ALL_PARTS_EXCEPT = {"本年支出合计"}  # totals whose listed parts are not all of them
BUDGET = "预算："  # key prefix of a budget figure (from the 三公 table or a sentence)
CLASS = "类："
ITEM = "科目："


@cache
def _subject_patterns() -> list[tuple[str, re.Pattern]]:
    out = []
    for key, subjects in QUANTITIES.items():
        for s in subjects:
            out.append((key, re.compile(rf"(?:{s}){LINK}{AMOUNT}{NOT_A_COUNT}")))
    return out


@cache
def _subject_only() -> list[tuple[str, re.Pattern]]:
    lookahead = r"(?=\d)"  # a subject named without its figure (a change, a share's base)
    return [(key, re.compile("|".join("(?:" + s.replace(lookahead, "") + ")" for s in subjects)))
            for key, subjects in QUANTITIES.items()]


def number(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None


def in_wan(num: str, unit: str | None) -> Decimal:
    value = number(num) or Decimal(0)
    if unit == "元":
        return value / Decimal(10000)
    if unit == "亿元":
        return value * Decimal(10000)
    return value


def decimals(num: str) -> int:
    return len(num.split(".", 1)[1]) if "." in num else 0


def fig(value: Decimal) -> str:
    """A figure as the message prints it (as printed, without trailing noise)."""
    return f"{value.normalize():f}" if value == value.to_integral() else f"{value:f}"


@dataclass
class Statement:
    key: str
    value: Decimal  # in 万元 (or a count / a percent for non-amount keys)
    text: str  # the figure as printed, with its unit
    places: int  # decimals printed
    where: str
    quote: str  # the sentence
    para: int | None  # paragraph index (None for a table or the workbook)
    source: str  # 正文 / 附表 / 图表 / 工作簿
    start: int = -1  # position in the paragraph


@dataclass
class Review:
    name: str
    findings: list[Finding] = field(default_factory=list)
    not_checked: list[tuple[str, str]] = field(default_factory=list)  # (where, sentence)
    checked: int = 0  # statements read
    marks: dict[int, list[Finding]] = field(default_factory=dict)  # paragraph index → its findings

    def has_errors(self) -> bool:
        return any(f.severity == ERROR for f in self.findings)

    def as_dict(self) -> dict:
        return {"file": self.name, "findings": [f.as_dict() for f in self.findings],
                "not_checked": [{"where": w, "sentence": s} for w, s in self.not_checked],
                "statements_read": self.checked}


def sentences(text: str) -> list[tuple[int, str]]:
    """(start, sentence) of a paragraph, split after 。！？ (a sentence keeps its full stop)."""
    out, start = [], 0
    for m in re.finditer(r"[。！？]", text):
        out.append((start, text[start:m.end()]))
        start = m.end()
    if text[start:].strip():
        out.append((start, text[start:]))
    return out


def short(text: str, limit: int = 90) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[:limit] + "…"


# ---------------------------------------------------------------- names of classes and items


def norm_name(name: str) -> str:
    """A class/item name compared loosely: brackets, spaces and a trailing 支出 do not matter; old names read as current."""
    n = re.sub(r"\s", "", name).replace("(", "（").replace(")", "）")
    n = re.sub(r"（(类|款|项)）", "", n)
    current = _renamed().get(n) or _renamed().get(n.removesuffix("支出"))
    if current:
        n = current
    return n.removesuffix("支出")


@cache
def _renamed() -> dict[str, str]:
    return {old: new for (_, old), new in outdated_names().items()}


@cache
def _class_names() -> list[str]:
    names = {c.name for c in function_codes().values() if c.level == "类"}
    names |= {old for (code, old) in outdated_names() if len(code) == 3}
    return sorted(names, key=len, reverse=True)


@cache
def _class_statement() -> re.Pattern:
    alts = "|".join(re.escape(n.removesuffix("支出")) for n in _class_names())
    return re.compile(rf"(?<![\u4e00-\u9fa5])(?P<name>{alts})(?:支出)?(?:[（(]类[)）])?(?:支出)?(?:[：:]\s*)?"
                      rf"(?:支出决算数为|支出决算为|支出决算数|支出决算|决算数为|决算为|决算数|决算)?(?:为)?{AMOUNT}{NOT_A_COUNT}")


PATH = re.compile(r"(?P<path>(?:[^\s（()）：:；;，,。\d.、]{2,30}?\s*[（(](?:类|款|项)[)）]\s*){2,3}(?:[^\s（()）：:；;，,。\d.、]{2,30}(?=[：:]))?)"
                  r"[：:\s]*" + BUDGET_CLAUSE + r"(?:\d{4}年)?(?:支出决算数为|支出决算为|支出决算数|支出决算|决算数为|决算为|支出)?(?:为)?" + AMOUNT)


def path_key(path: str) -> str:
    parts = [n for n, _ in re.findall(r"([^（()）]+?)\s*[（(](类|款|项)[)）]", path)]
    tail = re.search(r"[)）]\s*([^（()）]+)$", path.strip())
    if tail:  # "…（款）社会保险经办机构支出": the 项 written without its marker
        parts.append(tail.group(1))
    return ITEM + "|".join(norm_name(n) for n in parts)


# ---------------------------------------------------------------- reading statements


class Reader:
    """Every statement of a figure in the report's paragraphs, and the sentences with figures left unread."""

    def __init__(self, report: ReportText):
        self.report = report
        self.statements: list[Statement] = []
        self.shares: list[tuple[Para, str, int, list[tuple[str, Decimal, str, Decimal, str, int]], Decimal | None]] = []
        self.changes: list[tuple[Para, str, str | None, str, Decimal, str, Decimal, str, int]] = []
        self.not_checked: list[tuple[str, str]] = []
        self.level: list[tuple[Para, str, str]] = []  # "…与上年持平": a change of 0
        self.new: list[tuple[Para, str, str, Decimal, str, int]] = []  # "上年无此项支出，本年新增X": X is the whole figure
        self.read_spans: dict[int, list[tuple[int, int]]] = {}
        self.context = ""  # a class list's quantity when its section does not say ("支出具体情况如下：")
        self.vs_budget: list[tuple[Para, str, str, Decimal | None, str, Decimal, str, int]] = []

    def add(self, key: str, m: re.Match, para: Para, sentence: str, offset: int, value: Decimal | None = None) -> Statement:
        num, unit = m.group("num"), m.group("unit")
        # the year the figure is of: the last one named before it in the sentence (not a compared or a dated one)
        years = [y for y in re.finditer(r"(?<![与较比至止同])(20\d\d)年(?!\d{1,2}月)", sentence[:m.start()])]
        year = years[-1] if years else None
        if year and self.report.year and int(year.group(1)) != self.report.year:
            key = f"{year.group(1)}年：{key}"  # a figure of another year is another quantity
        s = Statement(key, in_wan(num, unit) if value is None else value, num + (unit or ""), decimals(num), para.where,
                      sentence, para.index, "正文", offset + m.start("num"))
        self.statements.append(s)
        groups = m.groupdict()
        if groups.get("budget") or groups.get("nobudget"):  # "年初预算为B万元，支出决算为A万元" / "年初未安排预算"
            b = groups.get("budget") or "0"
            self.statements.append(Statement(BUDGET + key, in_wan(b, "万元"), b + "万元", decimals(b), para.where, sentence,
                                             para.index, "正文", offset + (m.start("budget") if groups.get("budget") else m.start())))
        self.read_spans.setdefault(para.index, []).append((offset + m.start("num"), offset + m.end("num")))
        return s

    HEAD_PATH = re.compile(r"^\s*\d+\s*[、.．]\s*(?P<path>(?:[^\s（()）：:；;，,。\d.、]{2,30}?\s*[（(](?:类|款|项)[)）]\s*){2,3})[。：:]")
    LATER = re.compile(r"^" + BUDGET_CLAUSE + r"支出决算(?:数)?为" + AMOUNT)

    def read(self) -> None:
        section = None
        for para in self.report.paras:
            if para.section != section or is_heading(para.text):
                section, self.context = para.section, ""
            if para.text.strip().endswith(("如下：", "如下:")):  # "支出具体情况如下：": the list after it is by 本年支出
                last = re.split(r"[。，,]", para.text.strip()[:-1])[-1]
                self.context = "本年支出：" if "支出" in last else "本年收入：" if "收入" in last else ""
            if "名词解释" in para.part or para.text.strip().endswith("：") and "万元" not in para.text:
                continue
            head = None
            for offset, sentence in sentences(para.text):
                head = self.HEAD_PATH.match(sentence) or head  # a PDF may run several items into one paragraph
                m = self.LATER.match(sentence) if head else None
                if m:  # "1、…（项）。主要用于：…。年初预算为B万元，支出决算为A万元。": the item's figures
                    key = ITEM + fund(para.section) + path_key(head.group("path"))[len(ITEM):]
                    self.add(key, m, para, sentence, offset)
                self.sentence(para, sentence, offset)

    def sentence(self, para: Para, sentence: str, offset: int) -> None:
        found: list[Statement] = []
        for key, pattern in _subject_patterns():
            for m in pattern.finditer(sentence):
                if self._taken(para.index, offset + m.start("num")):
                    continue
                found.append(self.add(key, m, para, sentence, offset))
        prefix = fund(para.section)
        if prefix == "其他：" and self.context:
            prefix = self.context
        for m in PATH.finditer(sentence):
            if not self._taken(para.index, offset + m.start("num")):
                key = path_key(m.group("path"))
                found.append(self.add(ITEM + prefix + key[len(ITEM):], m, para, sentence, offset))
        for m in _class_statement().finditer(sentence):
            if not self._taken(para.index, offset + m.start("num")):
                found.append(self.add(CLASS + prefix + norm_name(m.group("name")), m, para, sentence, offset))
        self._shares(para, sentence, offset)
        self._changes(para, sentence, offset, found)
        if re.search(r"\d\s*(?:亿元|万元|元)(?!（?含?）?以[上下])", sentence) and not any(
                offset <= a < offset + len(sentence) for a, _ in self.read_spans.get(para.index, [])):
            self.not_checked.append((para.where, short(sentence, 120)))

    def _taken(self, index: int, pos: int) -> bool:
        return any(a <= pos < b for a, b in self.read_spans.get(index, []))

    SHARE = re.compile(r"(?P<name>[^，,；;：:。]{2,40}?)(?:支出决算|决算数|决算)?(?:为)?" + AMOUNT + r"[，,]?\s*占(?:比)?(?P<p>\d+(?:\.\d+)?)\s*[%％]")

    def _shares(self, para: Para, sentence: str, offset: int) -> None:
        items = []
        for m in self.SHARE.finditer(sentence):
            name = re.sub(r"^(其中|主要用于以下方面|主要用于|按支出功能分类|具体情况如下)?[:：]?", "", m.group("name")).strip()
            items.append((name, in_wan(m.group("num"), m.group("unit")), m.group("num") + (m.group("unit") or ""),
                          Decimal(m.group("p")), m.group("p") + "%", offset + m.start("p"), offset + m.start("num")))
            self.read_spans.setdefault(para.index, []).append((offset + m.start("num"), offset + m.end("num")))
        if not items:
            return
        head = sentence[:sentence.find(items[0][0])] if items[0][0] in sentence else ""
        total = None
        m = re.search(NUM + r"\s*(?P<unit>亿元|万元|元)", head)
        if m:
            total = in_wan(m.group("num"), m.group("unit"))
        self.shares.append((para, sentence, offset, items, total))

    CHANGE = re.compile(r"(?:(?:与|较|比)(?P<year>20\d\d|上|去)年度?(?:相比)?[，,]?)?(?P<subj>[^，,。；;]{0,40}?)(?:各)?"
                        r"(?P<dir>增加|减少)" + NUM + UNIT + r"[，,]?\s*(?P<rdir>增长|上升|下降|减少|增加)(?P<rate>\d+(?:\.\d+)?)\s*[%％]")

    LEVEL = re.compile(r"(?P<subj>[^，,。；;]{0,40}?)(?:支出)?(?:决算)?[，,]?(?:与|较|和|同)(?:20\d\d|上)年度?(?:相比)?(?:基本)?持平")

    NEW = re.compile(r"(?P<subj>[^，,。；;]{0,40}?)上年无此项支出[，,]\s*本年新增" + NUM + UNIT)

    VS_BUDGET = re.compile(r"比(?:年初)?预算(?:数)?(?:(?P<dir>减少|增加)" + NUM + UNIT + r"|(?P<same>无增减变化|持平))")

    def _changes(self, para: Para, sentence: str, offset: int, found: list[Statement]) -> None:
        for m in self.VS_BUDGET.finditer(sentence):
            clause = re.split(r"[，,；;。：:]", sentence[:m.start()])[-1]
            best = [(k, p.search(clause)) for k, p in _subject_only() if p.search(clause)]
            key = max(best, key=lambda kv: len(kv[1].group(0)))[0] if best else None
            if key is None:
                before = [s for s in found if s.start < offset + m.start()]
                key = before[-1].key if before else None
            if key is None:
                continue
            now = next((s.value for s in reversed(found) if s.key == key and s.start < offset + m.start()), None)
            d = Decimal(0) if m.group("same") else in_wan(m.group("num"), m.group("unit"))
            text = m.group(0)
            if m.group("num"):
                self.read_spans.setdefault(para.index, []).append((offset + m.start("num"), offset + m.end("num")))
            self.vs_budget.append((para, sentence, key, now, text, -d if m.group("dir") == "增加" else d,
                                   m.group("num") or "0", offset + (m.start("num") if m.group("num") else m.start())))
        for m in self.NEW.finditer(sentence):
            best = [(k, p.search(m.group("subj"))) for k, p in _subject_only() if p.search(m.group("subj"))]
            if best:
                key = max(best, key=lambda kv: len(kv[1].group(0)))[0]
                self.read_spans.setdefault(para.index, []).append((offset + m.start("num"), offset + m.end("num")))
                self.new.append((para, sentence, key, in_wan(m.group("num"), m.group("unit")),
                                 m.group("num") + (m.group("unit") or ""), offset + m.start("num")))
        for m in self.LEVEL.finditer(sentence):
            best = [(k, p.search(m.group(0))) for k, p in _subject_only() if p.search(m.group(0))]
            if best:
                key = max(best, key=lambda kv: len(kv[1].group(0)))[0]
                self.level.append((para, sentence, key))
        for m in self.CHANGE.finditer(sentence):
            subj = m.group("subj")
            key = None
            for k, pattern in _subject_only():
                if pattern.search(subj):
                    key = k  # the longest subject wins below
            best = [(k, p.search(subj)) for k, p in _subject_only() if p.search(subj)]
            if best:
                key = max(best, key=lambda kv: len(kv[1].group(0)))[0]
            bare = re.sub(r"^20\d\d年度?", "", subj.strip())
            if key is None and bare in ("收入", "支出"):  # "2020年度收入减少…。支出减少…": the year's totals
                key = "本年收入合计" if bare == "收入" else "本年支出合计"
            if key is None:
                before = [s for s in found if s.start < offset + m.start()]
                key = before[-1].key if before else None
            self.read_spans.setdefault(para.index, []).append((offset + m.start("num"), offset + m.end("num")))
            self.changes.append((para, sentence, key, m.group("dir"), in_wan(m.group("num"), m.group("unit")),
                                 m.group("num") + (m.group("unit") or ""), Decimal(m.group("rate")), m.group("rdir"),
                                 offset + m.start("num")))


# ---------------------------------------------------------------- figures the 附表 print


@cache
def _layout_titles() -> list[tuple[str, str]]:
    from .layout import load_layout

    return sorted(((t.title, t.id) for t in load_layout().tables), key=lambda t: len(t[0]), reverse=True)


def table_id(title: str) -> str | None:
    t = re.sub(r"^附表\s*\d+\s*[、.．]?\s*", "", title.strip()).replace(" ", "")
    for name, tid in _layout_titles():
        if t.endswith(name) or t == name:
            return tid
    if t.endswith("“三公”经费支出决算表") or t.endswith("三公经费支出决算表"):
        return "t13"
    return None


AMOUNT_CELL = re.compile(r"-?\d[\d,]*(?:\.\d+)?")


def _cell_value(text: str) -> Decimal | None:
    t = text.replace(" ", "")
    return number(t) if AMOUNT_CELL.fullmatch(t) else None


def _row_value(rows: list[list[str]], label: str, col: int | None = None) -> str | None:
    for row in rows:
        for i, cell in enumerate(row):
            if re.sub(r"\s", "", cell) == label:
                cells = row[i + 1:] if col is None else row[col:col + 1]
                hit = next((c for c in cells if _cell_value(c) is not None), None)
                if hit is not None:
                    return hit
                break
    return None


def _column_value(rows: list[list[str]], header: str, row_label: str = "合计") -> str | None:
    for hdr in rows[:3]:
        for j, text in enumerate(hdr):
            if re.sub(r"\s", "", text) == header:
                return _row_value(rows, row_label, j)
    return None


def table_statements(tables: list[PrintedTable], source: str = "附表") -> list[Statement]:
    """Every quantity the 附表 print, as statements (the same keys as the sentences)."""
    out: list[Statement] = []

    def add(key: str, where: str, cell: str | None, table: PrintedTable):
        if cell is None:
            return
        value = _cell_value(cell)
        if value is not None:
            out.append(Statement(key, value, cell, decimals(cell), where, table.title, None if source == "工作簿" else table.para,
                                 source))

    for t in tables:
        tid = table_id(t.title)
        rows = t.rows
        label = re.sub(r"[　\s]+", " ", t.title).strip() or "附表"
        if tid == "t01":
            totals = [r for r in rows if r and re.sub(r"\s", "", r[0]) == "总计"]
            if totals and len(totals[0]) >= 4:
                add("收入支出总计", f"{label} 总计（收入）", totals[0][1], t)
                add("收入支出总计", f"{label} 总计（支出）", totals[0][3], t)
            add("本年收入合计", f"{label} 本年收入合计", _row_value(rows, "本年收入合计"), t)
            add("本年支出合计", f"{label} 本年支出合计", _row_value(rows, "本年支出合计"), t)
            for row in rows:  # the income rows, "二、政府性基金预算财政拨款收入" … as the text names them
                m = re.fullmatch(r"[一二三四五六七八九十]+、(.+)", re.sub(r"\s", "", row[0]) if row else "")
                if m and m.group(1) in QUANTITIES and len(row) > 1:
                    add(m.group(1), f"{label} {m.group(1)}", row[1] if _cell_value(row[1]) is not None else None, t)
        elif tid == "t02":
            add("本年收入合计", f"{label} 合计", _column_value(rows, "本年收入合计"), t)
            out.extend(_coded_rows(t, label, source, "本年收入：", "本年收入合计"))
        elif tid == "t03":
            out.extend(_coded_rows(t, label, source, "本年支出：", "本年支出合计"))
            add("本年支出合计", f"{label} 合计", _column_value(rows, "本年支出合计"), t)
            add("基本支出", f"{label} 基本支出合计", _column_value(rows, "基本支出"), t)
            add("项目支出", f"{label} 项目支出合计", _column_value(rows, "项目支出"), t)
        elif tid == "t04":
            totals = [r for r in rows if r and re.sub(r"\s", "", r[0]) == "总计"]
            if totals and len(totals[0]) >= 2:
                add("财政拨款收入支出总计", f"{label} 总计", totals[0][1], t)
        elif tid == "t05":
            add("一般公共预算财政拨款支出", f"{label} 合计", _column_value(rows, "一般公共预算财政拨款"), t)
        elif tid in ("t06", "t07"):
            add("一般公共预算财政拨款支出", f"{label} 合计", _column_value(rows, "合计"), t)
            add("一般公共预算财政拨款基本支出", f"{label} 基本支出合计", _column_value(rows, "基本支出"), t)
            if tid == "t06":
                out.extend(_coded_rows(t, label, source))
        elif tid in FUND_TABLES:
            out.extend(_coded_rows(t, label, source, FUND_TABLES[tid]))
        elif tid == "t08":
            add("一般公共预算财政拨款基本支出", f"{label} 合计", _row_value(rows, "合计"), t)
            add("人员经费", f"{label} 人员经费合计", _row_value(rows, "人员经费合计"), t)
            add("公用经费", f"{label} 公用经费合计", _row_value(rows, "公用经费合计"), t)
        elif tid == "t13":
            out.extend(_three_public(t, label, source))
    return out


FUND_TABLES = {"t10": "政府性基金：", "t12": "国有资本经营："}  # their classes and items are another fund's


def fund(section: str) -> str:
    """The key prefix of the class and item figures of a section: "" for 一般公共预算 (the 附表 it is
    compared with), the fund's for 政府性基金 and 国有资本经营; any other section's (by class over all
    funds) are another quantity, compared only with each other."""
    for k, v in (("政府性基金", "政府性基金："), ("国有资本经营", "国有资本经营："), ("一般公共预算", "")):
        if k in section:
            return v
    return "其他："


def _coded_rows(t: PrintedTable, label: str, source: str, prefix: str = "", column: str = "合计") -> list[Statement]:
    """Class and item rows (the 合计 column) of a 支出决算表 by 功能分类, keyed by their names' path."""
    header = next((r for r in t.rows[:3] if any(re.sub(r"\s", "", c) == column for c in r)), None)
    if header is None:
        return []
    col = [re.sub(r"\s", "", c) for c in header].index(column)
    names: dict[str, str] = {}
    out = []
    for row in t.rows:
        if len(row) <= col or not re.fullmatch(r"\d{3}(\d{2}){0,2}", row[0].strip()):
            continue
        code, name = row[0].strip(), row[1].strip()
        names[code] = name
        value = _cell_value(row[col])
        if value is None:
            continue
        where = f"{label} {code} {name}"
        para = None if source == "工作簿" else t.para
        if len(code) == 3:
            out.append(Statement(CLASS + prefix + norm_name(name), value, row[col], decimals(row[col]), where, t.title, para, source))
        path = [names.get(code[:n], "") for n in (3, 5, 7) if n <= len(code)]
        if len(path) >= 2:
            out.append(Statement(ITEM + prefix + "|".join(norm_name(n) for n in path), value, row[col], decimals(row[col]), where,
                                 t.title, para, source))
    return out


THREE = {"合计": "“三公”经费", "因公出国（境）费": "因公出国（境）费", "小计": "公务用车购置及运行维护费",
         "公务用车购置费": "公务用车购置费", "公务用车运行维护费": "公务用车运行维护费", "公务接待费": "公务接待费",
         "公务用车购置及运行维护费": "公务用车购置及运行维护费"}


def _three_public(t: PrintedTable, label: str, source: str) -> list[Statement]:
    rows = t.rows
    measure_row = next((i for i, r in enumerate(rows) if sum(re.sub(r"\s", "", c) in ("预算数", "决算数") for c in r) >= 2), None)
    if measure_row is None:
        return []
    data = next((r for r in rows[measure_row + 1:] if sum(_cell_value(c) is not None for c in r) >= 2), None)
    if data is None:
        return []
    out = []
    for j, measure in enumerate(rows[measure_row]):
        measure = re.sub(r"\s", "", measure)
        if measure not in ("预算数", "决算数") or j >= len(data):
            continue
        item = next((THREE[re.sub(r"\s", "", rows[r][j])] for r in range(measure_row - 1, -1, -1)
                     if re.sub(r"\s", "", rows[r][j]) in THREE), None)
        value = _cell_value(data[j])
        if item is None or value is None:
            continue
        key = item if measure == "决算数" else BUDGET + item
        out.append(Statement(key, value, data[j], decimals(data[j]), f"{label} {item}{measure}", t.title,
                             None if source == "工作簿" else t.para, source))
    return out


# ---------------------------------------------------------------- the checks


class Checker:
    def __init__(self, report: ReportText, workbook_tables: list[PrintedTable] | None = None):
        self.report = report
        self.review = Review(report.name)
        self.reader = Reader(report)
        self.workbook_tables = workbook_tables
        self.flagged: set[tuple[int | None, int]] = set()  # (paragraph, position) of figures already in a 错误

    def add(self, rule: str, severity: str, where: str, message: str, also: tuple[str, ...] = (),
            paras: tuple[int | None, ...] = (), figures: tuple[tuple[int | None, int], ...] = ()) -> None:
        if severity != ERROR and figures and any(f in self.flagged for f in figures):
            return
        if severity == ERROR and figures and any(f in self.flagged for f in figures) and rule != "R01":
            return  # a figure already shown wrong: its share or change is not a second finding
        f = Finding(rule, severity, where, message, also)
        if severity == ERROR:
            self.flagged.update(figures)
        self.review.findings.append(f)
        for p in paras:
            if p is not None:
                self.review.marks.setdefault(p, []).append(f)

    def run(self) -> Review:
        self.reader.read()
        stated = self.reader.statements
        printed = table_statements(self.report.tables)
        self.same_quantity(stated + printed + self.chart_statements())
        if self.workbook_tables is not None:
            self.against_workbook(stated + printed, table_statements(self.workbook_tables, "工作簿"))
        self.shares(stated + printed)
        self.rates(stated + printed)
        self.budget_rates(printed)
        self.parts(stated + printed)
        self.three_public_changes()
        self.item_budgets()
        self.glossary(stated + printed)
        self.years()
        self.counts()
        self.numbering()
        self.names()
        self.placeholders()
        self.units()
        self.repeats()
        self.review.not_checked = self.reader.not_checked
        self.review.checked = len(stated)
        order = {ERROR: 0, WARNING: 1, HINT: 2}
        self.review.findings.sort(key=lambda f: (order[f.severity], _where_order(f.ref)))
        return self.review

    # -- one quantity, two figures

    def same_quantity(self, statements: list[Statement]) -> None:
        groups: dict[str, list[Statement]] = {}
        for s in statements:
            groups.setdefault(s.key, []).append(s)
        for key, group in groups.items():
            values = {s.value for s in group}
            if len(values) < 2:
                continue
            # the figure most places print is taken as the quantity; the others are found wrong
            counts: dict[Decimal, int] = {}
            for s in group:
                counts[s.value] = counts.get(s.value, 0) + (2 if s.source != "正文" else 1)
            common = max(counts, key=lambda v: (counts[v], -len([s for s in group if s.value == v and s.source == "正文"])))
            anchor = next(s for s in group if s.value == common)
            name = _key_name(key)
            for s in group:
                if s.value == common:
                    continue
                severity, why = _difference(s, anchor)
                what = f"“{short(s.quote)}”" if s.source == "正文" else s.where
                self.add("R01", severity, s.where,
                         f"{name}：{what} 写 {s.text}，{anchor.where} 为 {anchor.text}{why}",
                         (anchor.where,), (s.para, anchor.para), ((s.para, s.start),))

    def chart_statements(self) -> list[Statement]:
        """Pie charts whose data can be read: each slice is a share, compared with the share the text states."""
        out: list[Statement] = []
        for chart in self.report.charts:
            for name, values in chart.series[:1]:
                if len(values) != len(chart.categories) or not values:
                    continue
                total = sum(v for v in values if v == v)
                if chart.kind not in ("pie", "doughnut", "pie3d") or total <= 0:
                    continue
                fractions = all(0 <= v <= 1.0001 for v in values) and abs(total - 1) < 0.02
                for cat, v in zip(chart.categories, values):
                    share = Decimal(str(v * 100 if fractions else v / total * 100)).quantize(CENT)
                    out.append(Statement("占比：" + norm_name(cat), share, f"{share}%", 2,
                                         f"{chart.caption or '图表'}的数据（{cat}）", chart.caption, None, "图表"))
        return out

    def against_workbook(self, report_statements: list[Statement], book: list[Statement]) -> None:
        """Every figure of the text and the 附表 against what the workbook's resolved accounts give."""
        by_key: dict[str, Statement] = {}
        for s in book:
            by_key.setdefault(s.key, s)
        for s in report_statements:
            b = by_key.get(s.key)
            if b is None or b.value == s.value:
                continue
            severity, why = _difference(s, b)
            what = f"“{short(s.quote)}”" if s.source == "正文" else s.where
            self.add("R02", severity, s.where, f"{_key_name(s.key)}：{what} 写 {s.text}，工作簿（{b.where}）为 {b.text}{why}",
                     ("工作簿",), (s.para,), ((s.para, s.start),))

    # -- shares, changes and rates

    def shares(self, statements: list[Statement]) -> None:
        values = _consensus(statements)
        chart_shares = {s.key: s for s in self.chart_statements()}
        for para, sentence, offset, items, total in self.reader.shares:
            amounts = sum((it[1] for it in items), Decimal(0))
            if total is None:
                subject = next((k for k, p in _subject_only() if p.search(sentence[:sentence.find(items[0][0])])), None)
                total = values.get(subject) if subject else None
                if total is None and len(items) >= 2:
                    total = amounts
            for name, amount, text, p, ptext, pos, numpos in items:
                mine = ((para.index, pos), (para.index, numpos))
                chart = chart_shares.get("占比：" + norm_name(name))
                if chart is not None and abs(chart.value - p) > Decimal("0.01") + _half(decimals(ptext[:-1])):
                    self.add("R03", ERROR, para.where,
                             f"“{short(sentence)}”写{name}占 {ptext}，{chart.where}为 {chart.text}（图表数据与正文不一致）",
                             (chart.where,), (para.index,), mine)
                if total is None:
                    continue
                if amount == 0 and p == 0 and total != 0:
                    self.add("R03", HINT, para.where, f"“{short(sentence)}”列出了金额为 0 的{name}（占0%），可不列", (),
                             (para.index,))
                    continue
                if total == 0:
                    self.add("R04", ERROR, para.where,
                             f"“{short(sentence)}”写{name}占 {ptext}，但总数为 0：0/0 不是百分比，应写“无此项支出”等", (),
                             (para.index,), mine)
                    continue
                expected = amount / total * HUNDRED
                slack = _half(decimals(ptext[:-1])) + _half(2) * HUNDRED / total * 2
                if abs(expected - p) > slack:
                    self.add("R03", ERROR, para.where,
                             f"“{short(sentence)}”写{name}{text}占 {ptext}，按所写数字 {fig(amount)}/{fig(total)} 应为 "
                             f"{expected.quantize(CENT)}%", (), (para.index,), mine)
                elif abs(expected.quantize(CENT) - p) > 0 and decimals(ptext[:-1]) >= 2:
                    self.add("R03", HINT, para.where,
                             f"“{short(sentence)}”写{name}占 {ptext}，按所写数字应为 {expected.quantize(CENT)}%（舍入差异）",
                             (), (para.index,), mine)
            if len(items) >= 2 and total and abs(amounts - total) <= Decimal("0.01") * len(items):
                shares = sum((it[3] for it in items), Decimal(0))
                slack = sum(_half(decimals(it[4][:-1])) for it in items)
                if abs(shares - HUNDRED) > slack:
                    self.add("R03", ERROR, para.where, f"“{short(sentence)}”各项占比合计 {fig(shares)}%，不是 100%", (),
                             (para.index,), tuple(f for it in items for f in ((para.index, it[5]), (para.index, it[6]))))
                elif shares != HUNDRED:
                    self.add("R03", HINT, para.where, f"“{short(sentence)}”各项占比合计 {fig(shares)}%（舍入差异）", (),
                             (para.index,))
        for para in self.report.paras:  # "占本年支出合计的100%": one share against a named base
            for offset, sentence in sentences(para.text):
                for m in re.finditer(AMOUNT + r"[。，,]?\s*占(?P<base>[^的，。%％]{2,16})的(?P<p>\d+(?:\.\d+)?)\s*[%％]", sentence):
                    base_key = next((k for k, pat in _subject_only() if pat.fullmatch(m.group("base"))), None)
                    base = values.get(base_key) if base_key else None
                    if base is None:
                        continue
                    amount, p = in_wan(m.group("num"), m.group("unit")), Decimal(m.group("p"))
                    pos = offset + m.start("p")
                    if base == 0:
                        self.add("R04", ERROR, para.where, f"“{short(sentence)}”写占{m.group('base')}的 {m.group('p')}%，"
                                 f"但{m.group('base')}为 0：0/0 不是百分比", (), (para.index,), ((para.index, pos),))
                        continue
                    expected = amount / base * HUNDRED
                    if abs(expected - p) > _half(decimals(m.group("p"))) + _half(2) * HUNDRED / base * 2:
                        self.add("R03", ERROR, para.where, f"“{short(sentence)}”写占{m.group('base')}的 {m.group('p')}%，"
                                 f"按 {fig(amount)}/{fig(base)} 应为 {expected.quantize(CENT)}%", (), (para.index,),
                                 ((para.index, pos), (para.index, offset + m.start("num"))))

    def rates(self, statements: list[Statement]) -> None:
        values = _consensus(statements)
        by_para: dict[tuple[int | None, str], Statement] = {}
        for s in statements:
            if s.source == "正文":
                by_para.setdefault((s.para, s.key), s)
        for para, sentence, key, direction, d, dtext, rate, rdir, pos in self.reader.changes:
            up = direction == "增加"
            if (rdir in ("增长", "上升", "增加")) != up:
                self.add("R05", ERROR, para.where, f"“{short(sentence)}”写{direction} {dtext}，却写{rdir} {fig(rate)}%（方向相反）",
                         (), (para.index,), ((para.index, pos),))
                continue
            now_s = by_para.get((para.index, key)) if key else None
            now = now_s.value if now_s is not None else (values.get(key) if key else None)
            if now is None:
                self.reader.not_checked.append((para.where, short(sentence, 120) + "（变动率：未能确定比较的数字）"))
                continue
            prior = now - d if up else now + d
            stated = values.get(f"{self.report.year - 1}年：{key}") if self.report.year and key else None
            if stated is not None and abs(stated - prior) > CENT:
                self.add("R05", ERROR, para.where,
                         f"“{short(sentence)}”写{direction} {dtext}：本年 {fig(now)}万元{'减' if up else '加'} {fig(d)}万元为 {fig(prior)}万元，"
                         f"而报告所写上年数为 {fig(stated)}万元", (), (para.index,), ((para.index, pos),))
                continue
            if prior <= 0:
                if up and prior < 0:
                    self.add("R05", ERROR, para.where, f"“{short(sentence)}”写增加 {dtext}，但本年只有 {fig(now)}万元，上年不可能为 "
                             f"{fig(prior)}万元", (), (para.index,), ((para.index, pos),))
                elif up and prior == 0:
                    self.add("R04", ERROR, para.where, f"“{short(sentence)}”写增长 {fig(rate)}%，但按本年 {fig(now)}万元、增加 {dtext}，"
                             "上年为 0：以 0 为基数的增长率不是百分比", (), (para.index,), ((para.index, pos),))
                elif not up and now >= 0:
                    self.add("R05", ERROR, para.where, f"“{short(sentence)}”写减少 {dtext}，但本年为 {fig(now)}万元，上年不可能为 "
                             f"{fig(prior)}万元", (), (para.index,), ((para.index, pos),))
                continue
            expected = d / prior * HUNDRED
            # the printed figures are rounded: the rate may be anything their half-cents allow
            lo = (d - CENT / 2) / (prior + CENT) * HUNDRED
            hi = (d + CENT / 2) / max(prior - CENT, CENT) * HUNDRED
            slack = _half(decimals(str(rate)))
            if rate < lo - slack or rate > hi + slack:
                self.add("R05", ERROR, para.where,
                         f"“{short(sentence)}”写{direction} {dtext}、{rdir} {fig(rate)}%：按本年 {fig(now)}万元、上年 {fig(prior)}万元"
                         f"应为 {expected.quantize(CENT)}%", (), (para.index,), ((para.index, pos),))
        for para, sentence, key, now, text, d, dtext, pos in self.reader.vs_budget:
            now = now if now is not None else values.get(key)
            budget = values.get(BUDGET + key)
            if now is None or budget is None or now + d == budget:
                continue
            self.add("R05", ERROR, para.where, f"“{short(sentence)}”写{_key_name(key)}“{text}”：按决算 {fig(now)}万元，预算应为 "
                     f"{fig(now + d)}万元，而{'附表' if any(s.key == BUDGET + key and s.source != '正文' for s in statements) else '报告'}"
                     f"所写预算为 {fig(budget)}万元", (), (para.index,), ((para.index, pos),))
        for para, sentence, key, d, dtext, pos in self.reader.new:
            now_s = by_para.get((para.index, key))
            now = now_s.value if now_s is not None else values.get(key)
            if now is not None and now != d:
                self.add("R05", ERROR, para.where, f"“{short(sentence)}”写上年无此项支出、本年新增 {dtext}，但本年为 {fig(now)}万元",
                         (), (para.index,), ((para.index, pos),))
        # 完成预算 against the amount it follows (and the budget, when stated)
        for para in self.report.paras:
            for offset, sentence in sentences(para.text):
                self._completion(para, sentence, offset, values)

    COMPLETION = re.compile(AMOUNT + r"[，,。]?\s*(?:[^，,。；;]{0,12}?)完成(?:年初)?预算(?:的)?(?P<p>\d+(?:\.\d+)?)\s*[%％]")

    def _completion(self, para: Para, sentence: str, offset: int, values: dict[str, Decimal]) -> None:
        for m in self.COMPLETION.finditer(sentence):
            amount, p = in_wan(m.group("num"), m.group("unit")), Decimal(m.group("p"))
            pos = offset + m.start("p")
            start = max(sentence.rfind(sep, 0, m.start("num")) for sep in ("；", ";", "其中："))
            budget_m = list(re.finditer(r"(?:年初)?预算(?:数)?为" + AMOUNT, sentence[max(start, 0):m.start("num")]))
            budget = in_wan(budget_m[-1].group("num"), budget_m[-1].group("unit")) if budget_m else None
            key = next((s.key for s in self.reader.statements
                        if s.para == para.index and s.start == offset + m.start("num")), None)
            if budget is None and key and BUDGET + key in values:
                budget = values[BUDGET + key]
            tail = sentence[m.end():m.end() + 30]
            quote = short(sentence)
            if budget is not None and budget == 0:
                self.add("R04", ERROR, para.where, f"“{quote}”写完成预算 {m.group('p')}%，但预算为 0：0/0 不是百分比，应写“未安排预算”",
                         (), (para.index,), ((para.index, pos),))
                continue
            if budget is not None:
                expected = amount / budget * HUNDRED
                if abs(expected - p) > _half(decimals(m.group("p"))) + _half(2) * HUNDRED / budget * 2:
                    self.add("R05", ERROR, para.where, f"“{quote}”写完成预算 {m.group('p')}%，按 {fig(amount)}/{fig(budget)} 应为 "
                             f"{expected.quantize(CENT)}%", (), (para.index,), ((para.index, pos),))
                continue
            if amount == 0 and p != 0:
                self.add("R04", ERROR, para.where, f"“{quote}”决算为 0 却写完成预算 {m.group('p')}%：只有预算也为 0 时才可能，"
                         "而 0/0 不是百分比，应写“未安排预算”", (), (para.index,), ((para.index, pos),))
            elif amount == 0:
                self.add("R04", WARNING, para.where, f"“{quote}”决算为 0、写完成预算 0%：若未安排预算，0/0 不是 0%，应写“未安排预算”",
                         (), (para.index,), ((para.index, pos),))
            if re.match(r"[，,]?\s*(决算数等于预算数|决算数与(?:年初)?预算数持平)", tail) and p != HUNDRED:
                self.add("R05", ERROR, para.where, f"“{quote}”写完成预算 {m.group('p')}%，又写决算数等于预算数", (), (para.index,),
                         ((para.index, pos),))
            elif re.match(r"[，,]?\s*决算数小于(?:年初)?预算数", tail) and p >= HUNDRED:
                self.add("R05", ERROR, para.where, f"“{quote}”写完成预算 {m.group('p')}%，又写决算数小于预算数", (), (para.index,),
                         ((para.index, pos),))
            elif re.match(r"[，,]?\s*决算数大于(?:年初)?预算数", tail) and p <= HUNDRED:
                self.add("R05", ERROR, para.where, f"“{quote}”写完成预算 {m.group('p')}%，又写决算数大于预算数", (), (para.index,),
                         ((para.index, pos),))

    def parts(self, statements: list[Statement]) -> None:
        """A total against its parts as the text states them (each part's figure as most places print it)."""
        values = _consensus(statements)
        text: dict[str, Statement] = {}
        for s in statements:
            if s.source == "正文":
                text.setdefault(s.key, s)
        for total, parts in PARTS.items():
            if total not in values:
                continue
            stated = [p for p in parts if p in values]
            if not stated:
                continue
            whole = values[total]
            got = sum((values[p] for p in stated), Decimal(0))
            complete = len(stated) == len(parts) and total not in ALL_PARTS_EXCEPT
            slack = CENT * len(stated)
            if got - whole > slack or (complete and abs(got - whole) > slack):
                t = text.get(total)
                places = [text[p] for p in stated if p in text]
                anchor = t or (places[0] if places else None)
                if anchor is None:
                    continue
                self.add("R03", ERROR, anchor.where,
                         f"{total} {fig(whole)}万元，其组成部分" + "、".join(f"{p} {fig(values[p])}万元" for p in stated)
                         + f" 合计 {fig(got)}万元" + ("，不等于总数" if complete else "，超过了总数"),
                         tuple(s.where for s in places if s is not anchor),
                         tuple(s.para for s in [anchor, *places]), ())
            elif complete and got != whole:
                t = text.get(total)
                if t is not None:
                    self.add("R03", HINT, t.where, f"{total} {fig(whole)}万元，其组成部分合计 {fig(got)}万元（舍入差异）", (), (t.para,))

    def item_budgets(self) -> None:
        """When the text lists every item (their figures add up to the 一般公共预算财政拨款支出), their budgets add up to its budget."""
        text = [s for s in self.reader.statements if s.source == "正文"]
        items = {s.key: s for s in text if s.key.startswith(ITEM) and "：" not in s.key[len(ITEM):] and s.key.count("|") == 2}
        budgets = {s.key[len(BUDGET):]: s for s in text if s.key.startswith(BUDGET + ITEM)}
        total = next((s for s in text if s.key == "一般公共预算财政拨款支出"), None)
        total_budget = next((s for s in text if s.key == BUDGET + "一般公共预算财政拨款支出"), None)
        if not items or total is None or total_budget is None or set(items) - set(budgets):
            return
        if abs(sum((s.value for s in items.values()), Decimal(0)) - total.value) > CENT * len(items):
            return  # the text does not list every item
        got = sum((budgets[k].value for k in items), Decimal(0))
        if abs(got - total_budget.value) > CENT * len(items):
            self.add("R05", ERROR, total_budget.where,
                     f"一般公共预算财政拨款支出预算 {fig(total_budget.value)}万元，各项级科目所写预算合计 {fig(got)}万元",
                     tuple(sorted({budgets[k].where for k in items})), (total_budget.para,) + tuple(budgets[k].para for k in items), ())

    def three_public_changes(self) -> None:
        """The change of the “三公” total against the changes of its three items as the text states them."""
        items = ("因公出国（境）费", "公务用车购置及运行维护费", "公务接待费")
        stated: dict[str, tuple[Decimal, str, Para, str, int]] = {}
        total = None
        for para, sentence, key, direction, d, dtext, rate, rdir, pos in self.reader.changes:
            signed = d if direction == "增加" else -d
            if key == "“三公”经费" and total is None:
                total = (signed, dtext, para, sentence, pos)
            elif key in items:
                stated.setdefault(key, (signed, dtext, para, sentence, pos))
        for para, sentence, key in self.reader.level:
            if key in items:
                stated.setdefault(key, (Decimal(0), "0", para, sentence, -1))
        if total is None or len(stated) < len(items):
            return
        parts = sum((v[0] for v in stated.values()), Decimal(0))
        if parts == total[0]:
            return
        other = [v for v in stated.values() if v[0] != 0] or list(stated.values())
        places = min(decimals(total[1].rstrip("万元")), 2)
        severity = WARNING if places < 2 and parts.quantize(Decimal(1).scaleb(-places)) == total[0] else ERROR
        self.add("R05", severity, total[2].where,
                 f"“三公”经费：“{short(total[3])}”写变动 {fig(total[0])}万元，三项经费所写变动合计 {fig(parts)}万元"
                 f"（{'；'.join(f'{k}{fig(v[0])}万元（{v[2].where}）' for k, v in stated.items())}）",
                 tuple(v[2].where for v in other), (total[2].index,) + tuple(v[2].index for v in other),
                 ((total[2].index, total[4]),))

    def glossary(self, statements: list[Statement]) -> None:
        """A 名词解释 entry for a class item the report's text and 附表 never name."""
        body = "".join(p.text for p in self.report.paras if "名词解释" not in p.part)
        body += "".join(c for t in self.report.tables for row in t.rows for c in row)
        body = re.sub(r"[\s()（）]", "", body)
        for para in self.report.paras:
            if "名词解释" not in para.part:
                continue
            head = re.split(r"[：:]", para.text, maxsplit=1)[0]
            names = re.findall(r"([^（()）、\d.．\s]+?)\s*[（(](?:项|款)[)）]", head)
            if not names:
                continue
            name = names[-1]
            if name and name not in body and norm_name(name) not in body:
                self.add("R13", WARNING, para.where, f"名词解释“{short(head, 60)}”解释的科目“{name}”在报告正文和附表中都没有出现",
                         (), (para.index,))

    def budget_rates(self, printed: list[Statement]) -> None:
        """Nothing to do beyond the sentences: the 三公 table's 预算数 feed _completion through `values`."""

    # -- years, counts, numbering, names, placeholders, units, repeats

    def years(self) -> None:
        year = self.report.year
        if year is None:
            return
        for para in self.report.paras:
            for offset, sentence in sentences(para.text):
                for m in re.finditer(r"截[至止](20\d\d)年(?:12月(?:底|末|31日)|年底|年末)", sentence):
                    if int(m.group(1)) != year:
                        self.add("R06", ERROR, para.where, f"“{short(sentence)}”写“{m.group(0)}”，本报告是 {year} 年度决算",
                                 (), (para.index,), ((para.index, offset + m.start(1)),))
                for m in re.finditer(r"(?:与|同)(20\d\d)年度?相比[，,]?\s*(20\d\d)?", sentence):
                    y = int(m.group(1))
                    if y == year and m.group(2) and int(m.group(2)) == year - 1:
                        self.add("R06", ERROR, para.where, f"“{short(sentence)}”写“{m.group(0)}”：年份颠倒，应为与{year - 1}年相比、"
                                 f"{year}年…", (), (para.index,), ((para.index, offset + m.start(1)),))
                    elif y != year - 1:
                        self.add("R06", ERROR, para.where, f"“{short(sentence)}”与 {y} 年相比，本报告是 {year} 年度决算，应与 {year - 1} 年相比",
                                 (), (para.index,), ((para.index, offset + m.start(1)),))
                for m in re.finditer(r"(?:较|比)(20\d\d)年度?(?:相比)?(?=[^，。]{0,30}(?:增加|减少|持平|增长|下降))", sentence):
                    y = int(m.group(1))
                    if y != year - 1:
                        self.add("R06", ERROR, para.where, f"“{short(sentence)}”与 {y} 年相比，本报告是 {year} 年度决算，应与 {year - 1} 年相比",
                                 (), (para.index,), ((para.index, offset + m.start(1)),))

    COUNT = re.compile(r"(?P<label>实有在职人员|在职人员|离休人员|退休人员)(?:总数)?(?:为|共)?(?P<n>\d+)\s*(?:人|名)")

    def counts(self) -> None:
        seen: dict[str, list[tuple[int, Para, str, int]]] = {}
        for para in self.report.paras:
            for offset, sentence in sentences(para.text):
                for m in self.COUNT.finditer(sentence):
                    label = "在职人员" if "在职" in m.group("label") else m.group("label")
                    seen.setdefault(label, []).append((int(m.group("n")), para, sentence, offset + m.start("n")))
        for label, places in seen.items():
            first = places[0]
            for n, para, sentence, pos in places[1:]:
                if n != first[0]:
                    self.add("R07", ERROR, para.where,
                             f"{label}：“{short(sentence)}”写 {n} 人，{first[1].where}“{short(first[2], 60)}”写 {first[0]} 人",
                             (first[1].where,), (para.index, first[1].index), ((para.index, pos),))

    def numbering(self) -> None:
        for kind, pattern in (("图", r"(?:^|[（(])图\s*(\d+)\s*[：:　]"), ("附表", r"^附表\s*(\d+)(?!\d)[　\s、.．：:]")):
            last: tuple[int, Para] | None = None
            for para, m in ((p, m) for p in self.report.paras for m in re.finditer(pattern, p.text.strip())):
                n = int(m.group(1))
                if last is not None and n != last[0] + 1:
                    what = "重复" if n == last[0] else "跳号" if n > last[0] else "顺序颠倒"
                    self.add("R08", WARNING, para.where, f"{kind}编号{what}：{last[1].where}是{kind}{last[0]}，其后是“{short(para.text, 40)}”",
                             (last[1].where,), (para.index,))
                elif last is None and n != 1:
                    self.add("R08", WARNING, para.where, f"{kind}编号不从 1 开始：“{short(para.text, 40)}”", (), (para.index,))
                last = (n, para)

    def names(self) -> None:
        renamed = [(code, old, new) for (code, old), new in outdated_names().items()]
        current = {c.name for c in function_codes().values()}
        for para in self.report.paras:
            for code, old, new in renamed:
                stem = old.removesuffix("支出") if len(code) == 3 else old
                level = {3: "类", 5: "款", 7: "项"}[len(code)]
                hits = list(re.finditer(rf"(?<![\u4e00-\u9fa5]){re.escape(stem)}(?:支出)?\s*[（(]{level}[)）]", para.text))
                if len(code) == 3 and old.endswith("支出") and old not in current:
                    hits += [m for m in re.finditer(rf"(?<![\u4e00-\u9fa5]){re.escape(old)}(?![（(])", para.text)
                             if not any(h.start() == m.start() for h in hits)]
                for m in hits:
                    self.add("R09", WARNING, para.where, f"“{short(para.text, 60)}”用了科目 {code} 的旧名称“{old}”，现行名称为“{new}”",
                             (), (para.index,))

    PLACEHOLDER = re.compile(r"X{2,}|x{3,}|×{2,}|＊{2,}|\*{2,}|○{2,}|＿{2,}|_{3,}|[（(]\s*(?:具体[^）)]{0,12}|此处[^）)]{0,12}|填写[^）)]{0,12}|"
                             r"待定|待补充|略)\s*[）)]|【(?!\d+】)[^】]{0,20}】")

    def placeholders(self) -> None:
        for para in self.report.paras:
            for m in self.PLACEHOLDER.finditer(para.text):
                self.add("R10", ERROR, para.where, f"“{short(para.text, 80)}”含模板占位符“{m.group(0)}”，发布前应填写实际内容",
                         (), (para.index,))
            for offset, sentence in sentences(para.text):
                if re.search(r"(?<![\d.])0\s*(?:批次|批|次|人次)", sentence) and re.search(r"具体内容包括|主要包括[^，。]{2,}|主要用于[^，。]{2,}", sentence) \
                        and not re.search(r"[1-9]\d*\s*(?:批次|人次)", sentence):
                    self.add("R10", WARNING, para.where, f"“{short(sentence)}”接待为 0 批次，却列出了具体内容", (), (para.index,))

    def units(self) -> None:
        wan = sum(p.text.count("万元") for p in self.report.paras)
        for para in self.report.paras:
            if "名词解释" in para.part:
                continue
            for offset, sentence in sentences(para.text):
                for m in re.finditer(r"(?:决算|预算|支出|收入|合计|总计)(?:数)?(?:为|是)?(?P<num>\d+\.\d+|\d+)(?=[，,。；;]|$)", sentence):
                    if "." in m.group("num") or m.group("num") != "0":
                        self.add("R11", WARNING, para.where, f"“{short(sentence)}”中的金额 {m.group('num')} 没有单位", (), (para.index,))
                for m in re.finditer(r"(?:决算|预算|支出|收入|合计|总计|金额)(?:数)?(?:为|是)?(?P<num>\d+(?:\.\d+)?)\s*元", sentence):
                    if wan:
                        self.add("R11", WARNING, para.where, f"“{short(sentence)}”写“{m.group(0)}”（元），报告其余金额以万元为单位",
                                 (), (para.index,))

    def repeats(self) -> None:
        """A stated change (two clauses with an amount) printed word for word under two different headings."""
        seen: dict[str, tuple[Para, str]] = {}
        for para in self.report.paras:
            if not para.section or "名词解释" in para.part or "附件" in para.part:
                continue
            for offset, sentence in sentences(para.text):
                clauses = [c for c in re.split(r"[，,；;。]", sentence) if c]
                for a, b in zip(clauses, clauses[1:]):
                    window = a + "，" + b
                    if not re.search(r"(?:增加|减少)\d", window) or len(window) < 16:
                        continue
                    first = seen.get(window)
                    if first is None:
                        seen[window] = (para, sentence)
                    elif first[0].section != para.section and first[0].section.split(" / ")[0] != para.section.split(" / ")[0]:
                        self.add("R12", WARNING, para.where,
                                 f"“{short(window, 60)}”在“{first[0].section}”（{first[0].where}）和“{para.section}”下重复出现",
                                 (first[0].where,), (para.index, first[0].index))


def _half(places: int) -> Decimal:
    return Decimal(5) / (Decimal(10) ** (places + 1))


def _difference(s: Statement, other: Statement) -> tuple[str, str]:
    """错误, or 警告 when one figure is the other printed with fewer decimals than the report's two."""
    lo, hi = (s, other) if s.places < other.places else (other, s)
    if lo.places < 2 and hi.value.quantize(Decimal(1).scaleb(-lo.places)) == lo.value:
        return WARNING, f"（{lo.text} 只保留了 {lo.places} 位小数，报告其余金额保留两位）"
    return ERROR, f"，相差 {fig(abs(s.value - other.value))}"


def _consensus(statements: list[Statement]) -> dict[str, Decimal]:
    """Each quantity's figure as most places print it (the 附表 count double)."""
    out: dict[str, dict[Decimal, int]] = {}
    for s in statements:
        c = out.setdefault(s.key, {})
        c[s.value] = c.get(s.value, 0) + (2 if s.source != "正文" else 1)
    return {k: max(c, key=c.get) for k, c in out.items()}


def _key_name(key: str) -> str:
    if key.startswith(ITEM):
        return key[len(ITEM):].replace("|", "—")
    if key.startswith(CLASS):
        return key[len(CLASS):]
    return key.replace("占比：", "") + ("占比" if key.startswith("占比：") else "")


def _where_order(where: str) -> tuple[int, str]:
    m = re.match(r"第(\d+)[段页]", where)
    return (int(m.group(1)) if m else 10 ** 6, where)


def review(report: ReportText, workbook=None) -> Review:
    """The findings of one report (and its workbook's accounts, when given)."""
    book_tables = None
    if workbook is not None:
        from .appendix import appendix_tables, word_table

        book_tables = []
        for grid in appendix_tables(workbook):
            wt = word_table(grid)
            book_tables.append(PrintedTable(wt.title, [[c.text for c in row for _ in range(c.span)] for row in wt.rows],
                                            f"工作簿 {wt.title}", -1))
    return Checker(report, book_tables).run()
