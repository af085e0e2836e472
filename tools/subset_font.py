#!/usr/bin/env python3
"""Build the chart font bundled in generator/fonts/ from Noto Sans CJK SC Regular.

Reproducible: the same input font and fontTools version give the same output bytes.

    python tools/subset_font.py \
        /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc \
        generator/fonts/NotoSansSC-Subset.otf

The input is either the Noto Sans CJK collection (.ttc; the face whose family is
"Noto Sans CJK SC" is picked by name, not by index) or a single NotoSansCJKsc-Regular.otf /
SourceHanSansSC-Regular.otf. On Debian: ``apt-get install fonts-noto-cjk``.

Kept characters: printable ASCII, Latin-1 punctuation and signs, general punctuation used in
Chinese text (— ‘ ’ “ ” … · ‰ and friends), U+2212 minus, CJK symbols and punctuation
(U+3000-U+303F), half-/full-width forms (U+FF00-U+FFEF) and every character of GB2312
(all 2-byte code points 0xA1A1-0xF7FE that decode), i.e. the 6763 common hanzi plus the
GB2312 symbol rows.

The family is renamed (see FAMILY) so that matplotlib can never confuse the bundled subset
with a full Noto Sans CJK SC installed on the machine. OFL-1.1 allows modified versions
and renaming; "Noto" is not a Reserved Font Name (Adobe reserves "Source"). Copyright and
licence strings in the name table are kept.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

SOURCE_FAMILY = "Noto Sans CJK SC"
FAMILY = "Noto Sans SC GB2312 Subset"
POSTSCRIPT_NAME = "NotoSansSCGB2312Subset-Regular"

EXTRA_CODEPOINTS = [
    0x2212,  # minus sign (matplotlib axes.unicode_minus)
    0x2014, 0x2013, 0x2015,  # em dash, en dash, horizontal bar
    0x2018, 0x2019, 0x201C, 0x201D,  # curly quotes
    0x2026, 0x2025,  # ellipsis, two-dot leader
    0x00B7, 0x2027,  # middle dot, hyphenation point
    0x2030, 0x2031,  # per mille, per ten thousand
    0x0025, 0xFF05, 0xFE6A,  # percent signs (ASCII, full-width, small)
    0x2103, 0x2116, 0x2160, 0x2161, 0x2162, 0x2163, 0x2164,  # ℃ № Ⅰ-Ⅴ
    0x2165, 0x2166, 0x2167, 0x2168, 0x2169, 0x216A, 0x216B,  # Ⅵ-Ⅻ
    0x2460, 0x2461, 0x2462, 0x2463, 0x2464, 0x2465, 0x2466, 0x2467, 0x2468, 0x2469,  # ①-⑩
    0x00A5, 0xFFE5,  # yen/yuan signs
    0x00D7, 0x00F7, 0x00B1,  # × ÷ ±
    0xFFFD,  # replacement character
]


def gb2312_codepoints() -> set[int]:
    """Every character GB2312 encodes in two bytes (rows 0xA1-0xF7, cells 0xA1-0xFE)."""
    out: set[int] = set()
    for lead in range(0xA1, 0xF8):
        for trail in range(0xA1, 0xFF):
            try:
                ch = bytes((lead, trail)).decode("gb2312")
            except UnicodeDecodeError:
                continue
            out.update(ord(c) for c in ch)
    return out


def wanted_codepoints() -> set[int]:
    cps: set[int] = set(range(0x20, 0x7F))  # printable ASCII
    cps.update(range(0xA0, 0x100))  # Latin-1 punctuation, signs and letters
    cps.update(range(0x2000, 0x2070))  # general punctuation
    cps.update(range(0x3000, 0x3040))  # CJK symbols and punctuation
    cps.update(range(0xFF00, 0xFFF0))  # half-width and full-width forms
    cps.update(EXTRA_CODEPOINTS)
    cps.update(gb2312_codepoints())
    return cps


def load_sc_face(path: Path) -> TTFont:
    if path.suffix.lower() in (".ttc", ".otc"):
        coll = TTCollection(str(path))
        for font in coll.fonts:
            if font["name"].getDebugName(1) == SOURCE_FAMILY:
                return font
        sys.exit(f"no face named {SOURCE_FAMILY!r} in {path}")
    font = TTFont(str(path))
    family = font["name"].getDebugName(1) or ""
    if not (family.endswith(" SC") or family.endswith(" CN")):
        sys.exit(f"{path} is {family!r}, expected a Simplified Chinese face")
    return font


def rename(font: TTFont) -> None:
    """Give the subset its own family name (OFL: a modified version; avoids clashes)."""
    name = font["name"]
    full = f"{FAMILY} Regular"
    for rec in list(name.names):
        if rec.nameID in (1, 16, 21):
            name.setName(FAMILY, rec.nameID, rec.platformID, rec.platEncID, rec.langID)
        elif rec.nameID in (2, 17, 22):
            name.setName("Regular", rec.nameID, rec.platformID, rec.platEncID, rec.langID)
        elif rec.nameID == 4:
            name.setName(full, 4, rec.platformID, rec.platEncID, rec.langID)
        elif rec.nameID == 6:
            name.setName(POSTSCRIPT_NAME, 6, rec.platformID, rec.platEncID, rec.langID)
        elif rec.nameID == 3:
            old = rec.toUnicode()
            name.setName(f"{old};{POSTSCRIPT_NAME}", 3, rec.platformID, rec.platEncID, rec.langID)
    # Drop localized (non-English) names, which still say "思源黑体"/"Noto Sans CJK SC".
    name.names = [r for r in name.names if r.platformID != 3 or r.langID == 0x0409]
    name.names = [r for r in name.names if r.platformID != 1 or r.langID == 0]
    if "CFF " in font:
        cff = font["CFF "].cff
        old_ps = cff.fontNames[0]
        cff.fontNames = [POSTSCRIPT_NAME]
        top = cff.topDictIndex[0]
        top.FullName = full
        top.FamilyName = FAMILY
        if hasattr(top, "FontName"):
            top.FontName = POSTSCRIPT_NAME
        del old_ps


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("input", type=Path, help="NotoSansCJK-Regular.ttc or NotoSansCJKsc-Regular.otf")
    ap.add_argument("output", type=Path, help="output .otf, e.g. generator/fonts/NotoSansSC-Subset.otf")
    args = ap.parse_args(argv)

    font = load_sc_face(args.input)
    font.recalcTimestamp = False  # keep head.modified from the source: same input, same bytes
    cmap = font.getBestCmap()
    wanted = wanted_codepoints()
    present = sorted(cp for cp in wanted if cp in cmap)
    missing = sorted(wanted - set(cmap))

    opts = subset.Options()
    opts.name_IDs = ["*"]  # keep copyright (0), licence (13/14) etc.
    opts.name_languages = ["*"]
    opts.name_legacy = True
    opts.notdef_outline = True
    opts.recalc_timestamp = False  # deterministic output
    opts.drop_tables += ["VORG", "vhea", "vmtx", "BASE"]  # no vertical text in charts
    opts.layout_features = ["kern", "palt", "locl", "liga", "ccmp", "fwid", "hwid", "pwid"]
    sub = subset.Subsetter(options=opts)
    sub.populate(unicodes=present)
    sub.subset(font)
    rename(font)

    args.output.parent.mkdir(parents=True, exist_ok=True)
    font.save(str(args.output), reorderTables=True)
    size = args.output.stat().st_size
    print(f"{args.output}: {len(present)} characters, {size} bytes ({size / 1048576:.2f} MiB)")
    if missing:
        print(f"not in source font ({len(missing)}): "
              + " ".join(f"U+{cp:04X}" for cp in missing[:40]) + (" ..." if len(missing) > 40 else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
