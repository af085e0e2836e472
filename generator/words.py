"""The words of the report: a layout's sentence templates filled from the figure registry.

Input: resolved `Accounts` and a layout (`profiles.Profile`). Output: a `Report` — the
outline as printed (numbered headings, paragraphs, charts, the places of the 附件 and 附表),
the charts to draw, the flat figures for the JSON and what was found on the way.

Every sentence is a jinja template of the layout (sentences.toml), run in a sandbox with
the filters below; the numbers come from `figures.compute` and are formatted here only, by
the layout's number style. Python never builds a sentence: conditions and loops are in the
templates. A template's output lines are its paragraphs (empty ones are dropped).
"""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from .accounts import Accounts
from .attachments import attachment_tables
from .figures import Change, compute
from .findings import Finding
from .money import ZERO, fmt_amount, round2
from .performance import fmt_score
from .profiles import LayoutError, Node, Profile, chinese_number, numbered, of_unit


@dataclass
class ChartSpec:
    """What to draw; every printed label is a string already used in the text."""

    key: str
    caption: str
    kind: str  # bar | pie
    categories: list[str] = field(default_factory=list)
    series: list[tuple[str, list[Decimal]]] = field(default_factory=list)
    value_labels: list[list[str]] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    values: list[Decimal] = field(default_factory=list)
    percent_labels: list[str] = field(default_factory=list)
    number: int = 0

    @property
    def alt_text(self) -> str:
        """The picture's description: its caption and all its data."""
        if self.kind == "bar":
            data = "；".join(
                f"{name}：" + "，".join(f"{c}{v}万元" for c, v in zip(self.categories, labels))
                for (name, _), labels in zip(self.series, self.value_labels))
        else:
            data = "；".join(f"{l}{p}" for l, p in zip(self.labels, self.percent_labels))
        return f"图{self.number}：{self.caption}。{data}。"


@dataclass
class Block:
    """One heading of the outline (or none, level 0) with its paragraphs, chart and renderer mark."""

    level: int  # 1 part, 2 section, 3 sub-section; 0 a continuation after a chart
    heading: str
    paras: list[str] = field(default_factory=list)
    chart: ChartSpec | None = None
    mark: str = ""  # "tables" | "attachments" | "table": the renderer puts those tables here
    keys: tuple[str, ...] = ()  # the sentence templates printed here
    rows: list[list[str]] = field(default_factory=list)  # a table in the text ("table:KEY"), header first
    new_page: bool = False  # the heading starts a page


@dataclass
class Report:
    context: dict[str, Any]  # what the Word template reads: title lines and the outline
    charts: list[ChartSpec]
    figures: dict[str, str]
    findings: list[Finding]
    sections: dict[str, list[str]] = field(default_factory=dict)  # sentence key → its paragraphs
    attachments: list = field(default_factory=list)  # the 附件 tables (attachments.WordTable)

    @property
    def outline(self) -> list[Block]:
        return self.context["outline"]

    def text(self, key: str) -> str:
        """All paragraphs of one sentence template, joined (for tests and the check)."""
        return "".join(self.sections.get(key, []))


# ---------------------------------------------------------------- the template language

def _wan(value: Decimal | None) -> str:
    return f"{fmt_amount(value if value is not None else ZERO)}万元"


def _amount(value: Decimal | None) -> str:
    return fmt_amount(value if value is not None else ZERO)


def _count(value: Any) -> str:
    return str(int(value or 0))


def _quoted(names: list[str]) -> str:
    return "、".join(f"“{n}”" for n in names)


def _is_zero(value: Decimal | None) -> bool:
    """Zero as printed (0.00)."""
    return value is None or round2(value) == 0


def _nonzero(items: list, attr: str = "count") -> list:
    return [i for i in items if (i[attr] if isinstance(i, dict) else getattr(i, attr))]


def _environment(profile: Profile) -> SandboxedEnvironment:
    env = SandboxedEnvironment(undefined=jinja2.StrictUndefined, trim_blocks=False, lstrip_blocks=True,
                               keep_trailing_newline=False, autoescape=False)
    style = profile.style
    env.filters.update({
        "wan": _wan, "amount": _amount, "count": _count, "quoted": _quoted, "nonzero": _nonzero,
        "pct": lambda v: "" if v is None else style.percent(v), "cn": chinese_number, "score": fmt_score,
        "zero": _is_zero, "strip_end": lambda s: (s or "").strip().rstrip("。；;，,"),
        "sentence_end": lambda s: (s if (s or "").endswith("。") else (s or "") + "。") if s else "",
    })
    env.tests.update({"zero": _is_zero})
    return env


class _Templates:
    """A layout's sentences, each compiled once per process (templates are the layout's, not the
    report's); its macros compiled once and bound to each report's figures (`bind`)."""

    def __init__(self, profile: Profile):
        self.profile = profile
        self.env = _environment(profile)
        self._compiled: dict[str, jinja2.Template] = {}  # source → template
        self._expressions: dict[str, Any] = {}
        self._macros = self.template("macros", profile.sentences.get("macros", ""))

    def template(self, key: str, source: str | None = None) -> jinja2.Template:
        text = source if source is not None else self.profile.sentences[key]
        found = self._compiled.get(text)
        if found is None:
            try:
                found = self.env.from_string(text)
            except jinja2.TemplateSyntaxError as exc:
                raise LayoutError(f"报告格式“{self.profile.label}”的句子 {key} 写法有误（第 {exc.lineno} 行）："
                                  f"{exc.message}") from None
            self._compiled[text] = found
        return found

    def bind(self, ctx: dict[str, Any]) -> dict[str, Any]:
        """`ctx` with the layout's macros, which read the same figures."""
        try:
            module = self._macros.make_module(ctx)
        except jinja2.TemplateError as exc:
            raise LayoutError(f"报告格式“{self.profile.label}”的 macros 有误：{exc}") from None
        return ctx | {name: value for name, value in vars(module).items() if isinstance(value, jinja2.runtime.Macro)}

    def paragraphs(self, key: str, ctx: dict[str, Any], source: str | None = None) -> list[str]:
        try:
            out = self.template(key, source).render(ctx)
        except jinja2.UndefinedError as exc:
            raise LayoutError(f"报告格式“{self.profile.label}”的句子 {key} 用了没有的数字：{exc.message}") from None
        except jinja2.exceptions.SecurityError as exc:
            raise LayoutError(f"报告格式“{self.profile.label}”的句子 {key} 不允许：{exc}") from None
        return [line.strip() for line in out.splitlines() if line.strip()]

    def expression(self, text: str, ctx: dict[str, Any]) -> bool:
        try:
            compiled = self._expressions.get(text)
            if compiled is None:
                compiled = self._expressions[text] = self.env.compile_expression(text, undefined_to_none=False)
            return bool(compiled(**ctx))
        except jinja2.TemplateError as exc:
            raise LayoutError(f"报告格式“{self.profile.label}”的条件“{text}”有误：{exc}") from None


_TEMPLATES: "weakref.WeakKeyDictionary[Profile, _Templates]" = weakref.WeakKeyDictionary()


def templates(profile: Profile) -> _Templates:
    """The compiled sentences of a layout (compiled on first use, kept while the layout is)."""
    found = _TEMPLATES.get(profile)
    if found is None:
        found = _TEMPLATES[profile] = _Templates(profile)
    return found


# ---------------------------------------------------------------- charts

def _resolve(tree: dict[str, Any], path: str) -> Any:
    node: Any = tree
    for part in path.split("."):
        node = node[part] if isinstance(node, dict) else getattr(node, part)
    return node


def _chart(key: str, spec: dict[str, Any], tree: dict[str, Any], profile: Profile) -> ChartSpec | None:
    """A chart the layout declares ([charts.<key>]), or None when its data does not make one:
    a bar chart needs every prior-year figure, a pie chart two items or more."""
    unit = tree["unit"]
    if spec.get("kind") == "bar":
        changes: list[Change] = [_resolve(tree, p) for p in spec["values"]]
        if any(not c.known for c in changes):
            fallback = spec.get("fallback")
            chart = _chart(fallback, profile.charts[fallback], tree, profile) if fallback else None
            if chart is not None:
                chart.key = key  # the chart of this place, drawn from the figures it has
            return chart
        now, prior = [c.now for c in changes], [c.prior for c in changes]
        return ChartSpec(key, spec["caption"], "bar", list(spec["categories"]),
                         [(f"{unit['year']}年", now), (f"{unit['prior_year']}年", prior)],  # type: ignore[list-item]
                         [[fmt_amount(v) for v in now], [fmt_amount(v) for v in prior]])  # type: ignore[arg-type]
    if spec.get("kind") == "pie":
        items = _resolve(tree, spec["items"])
        if len(items) < 2:
            return None
        return ChartSpec(key, spec["caption"], "pie", labels=[i.name for i in items], values=[i.amount for i in items],
                         percent_labels=[profile.style.percent(i.share) for i in items])
    raise LayoutError(f"报告格式“{profile.label}”的图 {key}：kind 应为 bar 或 pie")


# ---------------------------------------------------------------- the outline

def _context(acc: Accounts, profile: Profile):
    """(the figures, what the templates read, the 附件 tables)."""
    figures = compute(acc, profile.style)
    tree = figures.tree
    unit = tree["unit"]
    attachments = attachment_tables(acc.evaluation, unit["name"], unit["year"])
    tree["attachments"] = [{"title": t.title.replace("　", " "), "subject": t.subject} for t in attachments]
    ctx = dict(tree, year=unit["year"], prior_year=unit["prior_year"], subject=unit["subject"], name=unit["name"],
               short=unit["short"], layout={"id": profile.id, "label": profile.label})
    return figures, ctx, attachments


def _printed(nodes: tuple[Node, ...], words: _Templates, ctx: dict[str, Any]):
    """(node, its number) of the headings printed for these figures: a heading whose condition is false
    is left out and the numbering closes up; a plain heading (a 目录) takes no number."""
    index = 0
    for node in nodes:
        if node.when and not words.expression(node.when, ctx):
            continue
        index += 0 if node.plain else 1
        yield node, index


def heading_of(acc: Accounts, key: str) -> str:
    """Where the section whose content has `key` prints in this unit's report ("第二部分　2024年度单位决算情况说明
    十、其他重要事项的情况说明 （四）预算绩效管理情况"), numbered as the report numbers it; for messages."""
    profile = of_unit(acc.unit)
    _, ctx, _ = _context(acc, profile)
    words = templates(profile)
    path: list[str] = []

    def walk(nodes: tuple[Node, ...]) -> bool:
        for node, index in _printed(nodes, words, ctx):
            path.append("".join(words.paragraphs(f"title:{node.title}", ctx, numbered(profile, node, index))))
            if key in node.content or walk(node.children):
                return True
            path.pop()
        return False

    return " ".join(path) if walk(profile.outline) else ""


def unit_fields_printed(acc: Accounts) -> set[str]:
    """The 单位信息 fields the sentences under this unit's headings read (`unit.<key>`): a text the
    layout does not print is not asked of the clerk."""
    profile = of_unit(acc.unit)
    _, ctx, _ = _context(acc, profile)
    words = templates(profile)
    found: set[str] = set()

    def walk(nodes: tuple[Node, ...]) -> None:
        for node, _ in _printed(nodes, words, ctx):
            for item in node.content:
                source = item[1:] if item.startswith("=") else profile.sentences.get(item.removeprefix("table:"), "")
                found.update(re.findall(r"unit\.(\w+)", source))
            walk(node.children)

    walk(profile.outline)
    return found


def narrate(acc: Accounts, profile: Profile | None = None) -> Report:
    """The report of these accounts in their layout (the one 单位信息 names, unless given)."""
    profile = profile or of_unit(acc.unit)
    figures, ctx, attachments = _context(acc, profile)
    tree, unit = figures.tree, figures.tree["unit"]
    words = templates(profile)
    ctx = words.bind(ctx)
    charts: list[ChartSpec] = []
    sections: dict[str, list[str]] = {}
    blocks: list[Block] = []

    def walk(nodes: tuple[Node, ...]) -> None:
        for node, index in _printed(nodes, words, ctx):
            heading = words.paragraphs(f"title:{node.title}", ctx, numbered(profile, node, index))
            block = Block(node.level, "".join(heading), mark=node.special if node.special != "contents" else "",
                          new_page=node.new_page)
            if node.special == "contents":
                contents.append(block)
            blocks.append(block)
            current = block
            for item in node.content:
                if item.startswith("chart:"):
                    key = item[6:]
                    chart = _chart(key, profile.charts[key], tree, profile)
                    if chart is not None:
                        charts.append(chart)
                        chart.number = len(charts)
                        current.chart = chart
                        current = Block(0, "")
                        blocks.append(current)
                    continue
                if item.startswith("table:"):  # each line a row, cells split by "｜"; the first is the header
                    key = item[6:]
                    rows = [line.split("｜") for line in words.paragraphs(key, ctx)]
                    sections[key] = ["｜".join(r) for r in rows]
                    if len(rows) > 1:
                        blocks.append(Block(0, "", mark="table", keys=(key,), rows=rows))
                        current = Block(0, "")
                        blocks.append(current)
                    continue
                if item.startswith("="):
                    paras = words.paragraphs(f"fixed:{item}", ctx, item[1:])
                else:
                    paras = words.paragraphs(item, ctx)
                    sections[item] = sections.get(item, []) + paras
                    current.keys += (item,)
                current.paras += paras
            walk(node.children)

    contents: list[Block] = []
    walk(profile.outline)
    for block in contents:  # a 目录: the parts and their sections as numbered, without page numbers
        block.paras = [b.heading for b in blocks if b.level in (1, 2) and b is not block and b.heading]
    outline = [b for b in blocks if b.level or b.paras or b.chart or b.mark]
    title = words.paragraphs("doc_title", ctx, profile.doc_title.replace("{{ name }}", ""))
    context = {"unit_name": unit["name"], "short_name": unit["short"], "subject": unit["subject"],
               "year": unit["year"], "prior_year": unit["prior_year"], "doc_title_line": "".join(title),
               "outline": outline}
    return Report(context, charts, figures.flat, figures.findings, sections, attachments)


def report_title(acc: Accounts, profile: Profile | None = None) -> str:
    """The document's title ("<单位>2024年度单位决算说明"), as the layout writes it."""
    profile = profile or of_unit(acc.unit)
    u = acc.unit
    ctx = {"name": u.get("name") or "", "year": u["year"], "subject": u.get("subject") or "单位"}
    return "".join(templates(profile).paragraphs("doc_title", ctx, profile.doc_title))
