"""The workbook contract as typed objects, loaded from `data/layout.toml`.

The same objects drive the blank workbook, the reader, the checks and the 附表 in the
report, so a label changed in the TOML changes all four at once.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class Column:
    """One amount column of a table, or one fixed row of a balance statement."""

    key: str
    label: str = ""
    group: str = ""
    formula: tuple[str, ...] = ()  # signed keys, e.g. ("+basic", "+project")


@dataclass(frozen=True)
class Table:
    """One 附表 sheet."""

    id: str
    number: int
    title: str
    kind: str  # coded | balance | grid
    note: str
    codes: str = ""  # coded: function | economic
    fund: str = ""
    columns: tuple[Column, ...] = ()  # coded
    income_header: tuple[str, ...] = ()  # balance
    expense_header: tuple[str, ...] = ()
    expense_columns: tuple[Column, ...] = ()
    expense_classes: bool = False  # balance: the 支出 side lists every 功能分类 类
    income: tuple[Column, ...] = ()
    income_bottom: tuple[Column, ...] = ()
    expense_bottom: tuple[Column, ...] = ()
    items: tuple[Column, ...] = ()  # grid
    measures: tuple[Column, ...] = ()

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    @property
    def expense_keys(self) -> tuple[str, ...]:
        """Amount columns on the 支出 side of a balance statement (one when undeclared)."""
        return tuple(c.key for c in self.expense_columns) or ("amount",)


@dataclass(frozen=True)
class Field:
    """One labelled value of a form sheet, or one column of a list sheet."""

    key: str
    label: str
    kind: str  # text | longtext | count | money | year | choice | code | number
    required: bool = False
    hint: str = ""
    choices: tuple[str, ...] = ()
    default: str = ""
    profiles: tuple[str, ...] = ()  # the report profiles that ask for it (empty: every profile)
    quiet: bool = False  # absent from an older workbook: blank without a READ-OLD hint
    name: bool = False  # a name that titles a report or heads a section: it must hold a letter (not 12345)

    def used_by(self, profile_id: str) -> bool:
        return not self.profiles or profile_id in self.profiles


@dataclass(frozen=True)
class Form:
    """A sheet of labelled fields (单位信息, 上年数 …) or a list sheet (one record per row)."""

    id: str
    title: str
    intro: str
    fields: tuple[Field, ...]
    is_list: bool = False
    profiles: tuple[str, ...] = ()  # the report profiles that ask for this sheet (empty: every profile)

    def used_by(self, profile_id: str) -> bool:
        return not self.profiles or profile_id in self.profiles

    def fields_for(self, profile_id: str) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.used_by(profile_id))

    def field(self, key: str) -> Field:
        return next(f for f in self.fields if f.key == key)


@dataclass(frozen=True)
class Layout:
    tables: tuple[Table, ...]
    forms: tuple[Form, ...]

    def table(self, id: str) -> Table:
        return next(t for t in self.tables if t.id == id)

    def form(self, id: str) -> Form:
        return next(f for f in self.forms if f.id == id)


def _columns(raw: list[dict]) -> tuple[Column, ...]:
    return tuple(
        Column(key=c["key"], label=c.get("label", ""), group=c.get("group", ""),
               formula=tuple(c.get("formula", ())))
        for c in raw
    )


def _fields(raw: list[dict]) -> tuple[Field, ...]:
    return tuple(
        Field(key=f["key"], label=f["label"], kind=f["kind"], required=f.get("required", False),
              hint=f.get("hint", ""), choices=_choices(f), default=_default(f),
              profiles=tuple(f.get("profiles", ())), quiet=f.get("quiet", False), name=f.get("name", False))
        for f in raw
    )


def _choices(f: dict) -> tuple[str, ...]:
    """A field's drop-down; `choices_from = "profiles"` lists the report profiles' labels."""
    if f.get("choices_from") == "profiles":
        from .profiles import profile_labels

        return profile_labels()
    return tuple(f.get("choices", ()))


def _default(f: dict) -> str:
    if f.get("choices_from") == "profiles" and not f.get("default"):
        from .profiles import profile

        return profile(None).label
    return f.get("default", "")


def load_layout() -> Layout:
    """The declared layout, read once per set of report layouts (their labels fill a drop-down)."""
    from .profiles import layout_folders

    return _load_layout(layout_folders())


@cache
def _load_layout(_folders: tuple) -> Layout:
    raw = tomllib.loads(resources.files("generator").joinpath("data/layout.toml").read_text("utf-8"))
    tables = tuple(
        Table(
            id=t["id"], number=t["number"], title=t["title"], kind=t["kind"], note=t["note"],
            codes=t.get("codes", ""), fund=t.get("fund", ""),
            columns=_columns(t.get("columns", [])),
            income_header=tuple(t.get("income_header", ())),
            expense_header=tuple(t.get("expense_header", ())),
            expense_columns=_columns(t.get("expense_columns", [])),
            expense_classes=t.get("expense_classes", False),
            income=_columns(t.get("income", [])),
            income_bottom=_columns(t.get("income_bottom", [])),
            expense_bottom=_columns(t.get("expense_bottom", [])),
            items=_columns(t.get("items", [])),
            measures=_columns(t.get("measures", [])),
        )
        for t in raw["table"]
    )
    forms = tuple(Form(f["id"], f["title"], f["intro"], _fields(f["fields"]), profiles=tuple(f.get("profiles", ())))
                  for f in raw["form"])
    lists = tuple(Form(f["id"], f["title"], f["intro"], _fields(f["columns"]), is_list=True,
                       profiles=tuple(f.get("profiles", ()))) for f in raw["list"])
    return Layout(tables=tables, forms=forms + lists)


@cache
def sheet_titles() -> frozenset[str]:
    """Every sheet the reader may read, whatever the report profile (the safety scan leaves out
    an oversized sheet that is none of these rather than refuse the workbook)."""
    layout = load_layout()
    return frozenset(t.title for t in layout.tables) | frozenset(f.title for f in layout.forms)
