"""Report layouts ("profiles") as data: a folder of files per province and year.

A layout folder holds `profile.toml` — its id and label, the 附表 it publishes (in order,
with their printed titles), its number style, chart captions and the outline of the 说明
(parts, sections, fixed paragraphs, which sentence template and chart go under each
heading, conditions) — and `sentences.toml`, the jinja templates of its sentences over the
figure registry (`figures.py`). `extends = "<id>"` takes every file and key the folder does
not give from another layout, so a province that differs in a few sentences is a few lines.

Layouts are found in the package (`data/profiles/`) and in every folder named by the
environment variable GENERATE_LAYOUTS (os.pathsep-separated; the CLI's `--格式文件夹` and a
`报告格式` folder beside the workbooks set it), so a finance bureau keeps its province's
layout in its own folder without touching the installed program. The workbook names its
layout on 单位信息; a workbook that names none gets the default.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import GeneratorError
from .money import NumberStyle

DEFAULT_PROFILE = "sichuan-2024"
LAYOUTS_ENV = "GENERATE_LAYOUTS"
NUMERALS = "零一二三四五六七八九十"
DEFAULT_NUMBERING = ("第{n}部分　", "{n}、", "（{n}）", "{d}.")


class LayoutError(GeneratorError):
    """A layout folder that cannot be used (the message names the file and what is wrong)."""


@dataclass(frozen=True)
class Published:
    """One 附表 as this layout prints it: the layout table and its number and title here."""

    id: str
    number: int
    title: str = ""  # "" → the table's own title (data/layout.toml)
    note: str = ""  # "" → the table's own note


@dataclass(frozen=True)
class Node:
    """One heading of the outline with what goes under it.

    `content`: in order, sentence template keys (each gives one or more paragraphs), fixed
    paragraphs ("=报表详见附件1。", a template too) and charts ("chart:<key>"). `special`
    marks a place the renderer fills: "tables" (the 附表) or "attachments" (the 附件 tables).
    `when`: a jinja expression over the figures; the heading is left out (and the numbering
    closes up) when it is false.
    """

    title: str
    level: int  # 1 part, 2 section, 3 sub-section
    content: tuple[str, ...] = ()
    special: str = ""  # also "contents": the headings of the parts and sections, as a 目录
    when: str = ""
    children: tuple["Node", ...] = ()
    new_page: bool = False  # the heading starts a page
    plain: bool = False  # printed without a number and not counted (a 目录 before 第一部分)


@dataclass(frozen=True, eq=False)  # one object per layout read: hashed by identity (its compiled sentences are kept by it)
class Profile:
    id: str
    label: str  # shown in the workbook's drop-down
    order: int
    folder: Path
    template: Path  # the Word template
    tables: tuple[Published, ...]
    outline: tuple[Node, ...]
    sentences: dict[str, str] = field(default_factory=dict)
    charts: dict[str, dict[str, Any]] = field(default_factory=dict)
    style: NumberStyle = NumberStyle()
    numbering: tuple[str, ...] = DEFAULT_NUMBERING
    doc_title: str = "{{ name }}{{ year }}年度{{ subject }}决算说明"
    selfeval: tuple[str, ...] = ()  # the 绩效自评 评分表 ids (data/selfeval_*.toml) the layout offers
    appendix: dict[str, Any] = field(default_factory=dict)  # [appendix]: blank_zeros, new_page (each 附表)

    @property
    def table_ids(self) -> tuple[str, ...]:
        return tuple(t.id for t in self.tables)

    def publishes(self, table_id: str) -> bool:
        return table_id in self.table_ids

    def published(self, table_id: str) -> Published:
        return next(t for t in self.tables if t.id == table_id)


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 11 → 十一, 21 → 二十一 (enough for any outline)."""
    if n <= 10:
        return NUMERALS[n]
    tens, ones = divmod(n, 10)
    return (NUMERALS[tens] if tens > 1 else "") + "十" + (NUMERALS[ones] if ones else "")


def numbered(profile: Profile, node: Node, index: int) -> str:
    """The heading with its number as the layout prints it: 第一部分　…, 一、…, （一）…"""
    if node.plain:
        return node.title
    formats = profile.numbering
    fmt = formats[min(node.level, len(formats)) - 1]
    return fmt.format(n=chinese_number(index), d=index) + node.title


# ---------------------------------------------------------------- reading the folders

def _nodes(raw: list[dict], level: int, where: str) -> tuple[Node, ...]:
    out = []
    for r in raw:
        if "title" not in r:
            raise LayoutError(f"{where}：大纲中有一项没有 title（标题）")
        content = r.get("content", [])
        if isinstance(content, str):
            content = [content]
        if "text" in r:  # shorthand: text = "key" (or a list), chart = "key"
            content = list(r["text"] if isinstance(r["text"], list) else [r["text"]]) + list(content)
        if "chart" in r:
            content = list(content) + [f"chart:{r['chart']}"]
        if "paragraph" in r:
            content = [f"={r['paragraph']}"] + list(content)
        out.append(Node(r["title"], level, tuple(content), r.get("special", ""), r.get("when", ""),
                        _nodes(r.get("section", []), level + 1, where), bool(r.get("new_page", False)),
                        bool(r.get("plain", False))))
    return tuple(out)


def _toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise LayoutError(f"报告格式文件 {path} 无法读取：{exc}") from None


def _raw(folder: Path) -> dict[str, Any]:
    raw = _toml(folder / "profile.toml")
    raw["_folder"] = folder
    sentences = folder / "sentences.toml"
    raw["_sentences"] = _toml(sentences) if sentences.is_file() else {}
    return raw


def _build(raw: dict[str, Any], found: dict[str, dict[str, Any]], seen: tuple[str, ...] = ()) -> Profile:
    """A layout from its folder's files, taking what it does not give from the layout it extends."""
    folder: Path = raw["_folder"]
    where = str(folder / "profile.toml")
    for key in ("id", "label"):
        if key not in raw:
            raise LayoutError(f"{where}：缺少 {key}")
    base: Profile | None = None
    parent = raw.get("extends")
    if parent:
        if parent in seen or parent not in found:
            raise LayoutError(f"{where}：extends = “{parent}”，没有这个报告格式" if parent not in found
                              else f"{where}：extends 形成循环（{' → '.join(seen + (parent,))}）")
        base = _build(found[parent], found, seen + (raw["id"],))
    sentences = dict(base.sentences if base else {}) | raw["_sentences"]
    if base is not None and "macros" in raw["_sentences"]:  # a layout adds its clauses to those it extends
        sentences["macros"] = base.sentences.get("macros", "") + raw["_sentences"]["macros"]
    charts = dict(base.charts if base else {}) | raw.get("charts", {})
    style_raw = raw.get("number_style")
    style = NumberStyle(**style_raw) if style_raw is not None else (base.style if base else NumberStyle())
    if style.shares not in ("each", "largest_remainder"):
        raise LayoutError(f"{where}：number_style.shares 应为 each 或 largest_remainder")
    template_name = raw.get("template")
    if template_name:
        template = folder / template_name
        if not template.is_file():
            template = Path(str(resources.files("generator.templates").joinpath(template_name)))
    elif base is not None:
        template = base.template
    else:
        template = Path(str(resources.files("generator.templates").joinpath("report_outline.docx")))
    if not template.is_file():
        raise LayoutError(f"{where}：找不到 Word 模板 {template_name}")
    if "tables" in raw:
        tables = tuple(Published(t["id"], i, t.get("title", ""), t.get("note", ""))
                       for i, t in enumerate(raw["tables"], start=1))
    elif base is not None:
        tables = base.tables
    else:
        raise LayoutError(f"{where}：缺少 tables（公开的附表）")
    outline = _nodes(raw["part"], 1, where) if "part" in raw else (base.outline if base else ())
    if not outline:
        raise LayoutError(f"{where}：缺少大纲（[[part]]）")
    for node in _walk(outline):
        for item in node.content:
            if item.startswith("chart:") and item[6:] not in charts:
                raise LayoutError(f"{where}：“{node.title}”下的图 {item[6:]} 没有定义（[charts.{item[6:]}]）")
            name = item.removeprefix("table:")
            if not item.startswith(("chart:", "=")) and name not in sentences:
                raise LayoutError(f"{where}：“{node.title}”下的句子 {name} 在 sentences.toml 中没有定义")
    return Profile(id=raw["id"], label=raw["label"], order=raw.get("order", base.order if base else 99),
                   folder=folder, template=template, tables=tables, outline=outline, sentences=sentences,
                   charts=charts, style=style,
                   numbering=tuple(raw.get("numbering", base.numbering if base else DEFAULT_NUMBERING)),
                   doc_title=raw.get("doc_title", base.doc_title if base else Profile.doc_title),
                   selfeval=tuple(raw.get("selfeval", base.selfeval if base else ())),
                   appendix=raw.get("appendix", base.appendix if base else {}))


def _walk(nodes: tuple[Node, ...]):
    for n in nodes:
        yield n
        yield from _walk(n.children)


def layout_folders() -> tuple[Path, ...]:
    """The package's layouts first, then the bureau's own folders (GENERATE_LAYOUTS)."""
    roots = [Path(str(resources.files("generator").joinpath("data/profiles")))]
    roots += [Path(p) for p in os.environ.get(LAYOUTS_ENV, "").split(os.pathsep) if p.strip()]
    return tuple(roots)


LOCAL_FOLDER = "报告格式"  # a folder of this name beside the workbooks holds the bureau's own layouts


def use_layouts(folders=(), inputs=()) -> None:
    """Add the bureau's layout folders: those given, and a `报告格式` folder beside each input
    (kept in the environment, so the batch's worker processes find them too)."""
    found = [Path(f) for f in folders]
    for path in inputs:
        path = Path(path)
        local = (path if path.is_dir() else path.parent) / LOCAL_FOLDER
        if local.is_dir():
            found.append(local)
    if not found:
        return
    current = [p for p in os.environ.get(LAYOUTS_ENV, "").split(os.pathsep) if p]
    for f in found:
        if str(f.resolve()) not in current:
            current.append(str(f.resolve()))
    os.environ[LAYOUTS_ENV] = os.pathsep.join(current)


def profiles() -> tuple[Profile, ...]:
    """Every layout found, in drop-down order (the default first)."""
    return _profiles(layout_folders())


@cache
def _profiles(roots: tuple[Path, ...]) -> tuple[Profile, ...]:
    found: dict[str, dict[str, Any]] = {}
    for root in roots:
        if not root.is_dir():
            raise LayoutError(f"报告格式文件夹 {root} 不存在")
        candidates = [root] if (root / "profile.toml").is_file() else sorted(root.iterdir())
        for d in candidates:
            if d.is_dir() and (d / "profile.toml").is_file():
                raw = _raw(d)
                if "id" not in raw:
                    raise LayoutError(f"{d / 'profile.toml'}：缺少 id")
                found[raw["id"]] = raw  # a bureau's folder may replace a packaged layout of the same id
    built = [_build(raw, found) for raw in found.values()]
    return tuple(sorted(built, key=lambda p: (p.id != DEFAULT_PROFILE, p.order, p.id)))


def profile(key: str | None) -> Profile:
    """The layout with this id or label; the default for None/""."""
    key = (key or "").strip() or DEFAULT_PROFILE
    for p in profiles():
        if key in (p.id, p.label):
            return p
    raise KeyError(key)


def profile_labels() -> tuple[str, ...]:
    return tuple(p.label for p in profiles())


def of_unit(unit: dict) -> Profile:
    """The layout a workbook's 单位信息 names (the default when it names none)."""
    return profile(unit.get("profile"))
