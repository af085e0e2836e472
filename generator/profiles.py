"""Report layouts ("profiles") as data: which 附表 a province publishes, in what order, the
outline of the 说明 and its wording, and the Word template.

A profile is a folder under `data/profiles/<id>/` holding `profile.toml` (and, for profiles
written from an outline, `sentences.toml`). The workbook names its profile on 单位信息
(the label is what the clerk picks); a workbook that names none is Sichuan 2024, the layout
this project started with. The accounts model is the same for every profile: a profile that
publishes fewer tables just does not ask for, check against blanks, or print the others.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

DEFAULT_PROFILE = "sichuan-2024"
NUMERALS = "零一二三四五六七八九十"


@dataclass(frozen=True)
class Published:
    """One 附表 as this profile prints it: the layout table and its number and title here."""

    id: str
    number: int
    title: str = ""  # "" → the layout's title


@dataclass(frozen=True)
class Node:
    """One heading of the outline with what goes under it.

    `source` names the computed section(s) printed under the heading: a dotted path into the
    narrator's context ("s5.overall"), several joined by "+". `special` marks a place the
    renderer fills: "tables" (the 附表), "attachments" (the 附件 list), "glossary".
    """

    title: str
    level: int  # 1 part, 2 section, 3 sub-section
    source: str = ""
    special: str = ""
    children: tuple["Node", ...] = ()


@dataclass(frozen=True)
class Profile:
    id: str
    label: str  # shown in the workbook's drop-down
    order: int
    template: str  # file in templates/
    narrator: str  # "sichuan" (narrative.Narrator) or "shanghai" (narrative_profiles)
    tables: tuple[Published, ...]
    outline: tuple[Node, ...] = ()  # empty: the template carries the outline itself
    sentences: dict[str, str] = field(default_factory=dict)
    glossary: tuple[str, ...] = ()  # fixed 名词解释 keys (glossary.csv); empty: the narrator's choice
    doc_title: str = "{unit_name}{year}年度{subject}决算说明"

    @property
    def table_ids(self) -> tuple[str, ...]:
        return tuple(t.id for t in self.tables)

    def publishes(self, table_id: str) -> bool:
        return table_id in self.table_ids

    def published(self, table_id: str) -> Published:
        return next(t for t in self.tables if t.id == table_id)

    def say(self, key: str, **values) -> str:
        """The profile's sentence pattern `key` filled with `values` (named placeholders)."""
        return self.sentences[key].format(**values)


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 11 → 十一, 21 → 二十一 (enough for any outline)."""
    if n <= 10:
        return NUMERALS[n]
    tens, ones = divmod(n, 10)
    return (NUMERALS[tens] if tens > 1 else "") + "十" + (NUMERALS[ones] if ones else "")


def numbered(node: Node, index: int) -> str:
    """The heading with its number: 第一部分　…, 一、…, （一）…"""
    n = chinese_number(index)
    if node.level == 1:
        return f"第{n}部分　{node.title}"
    if node.level == 2:
        return f"{n}、{node.title}"
    return f"（{n}）{node.title}"


def _nodes(raw: list[dict], level: int) -> tuple[Node, ...]:
    return tuple(Node(r["title"], level, r.get("source", ""), r.get("special", ""),
                      _nodes(r.get("section", []), level + 1)) for r in raw)


def _read(folder) -> Profile:
    raw = tomllib.loads(folder.joinpath("profile.toml").read_text("utf-8"))
    sentences = {}
    if folder.joinpath("sentences.toml").is_file():
        sentences = tomllib.loads(folder.joinpath("sentences.toml").read_text("utf-8"))
    tables = tuple(Published(t["id"], i, t.get("title", "")) for i, t in enumerate(raw["tables"], start=1))
    return Profile(id=raw["id"], label=raw["label"], order=raw.get("order", 99), template=raw["template"],
                   narrator=raw.get("narrator", "sichuan"), tables=tables, outline=_nodes(raw.get("part", []), 1),
                   sentences=sentences, glossary=tuple(raw.get("glossary", ())),
                   doc_title=raw.get("doc_title", Profile.doc_title))


@cache
def profiles() -> tuple[Profile, ...]:
    """Every profile in data/profiles/, in drop-down order (the default first)."""
    root = resources.files("generator").joinpath("data/profiles")
    found = [_read(d) for d in root.iterdir() if d.is_dir() and d.joinpath("profile.toml").is_file()]
    return tuple(sorted(found, key=lambda p: (p.id != DEFAULT_PROFILE, p.order, p.id)))


def profile(key: str | None) -> Profile:
    """The profile with this id or label; the default for None/""."""
    key = (key or "").strip() or DEFAULT_PROFILE
    for p in profiles():
        if key in (p.id, p.label):
            return p
    raise KeyError(key)


def profile_labels() -> tuple[str, ...]:
    return tuple(p.label for p in profiles())


def of_unit(unit: dict) -> Profile:
    """The profile a workbook's 单位信息 names (the default when it names none)."""
    return profile(unit.get("profile"))
