"""Build templates/report_outline.docx, the Word template of every layout's 决算说明.

Run: python tools/build_template.py
The template is committed; this script is how it was made and how to remake it. Fonts are
set in the styles' w:rFonts with explicit w:eastAsia (theme fonts removed), so Chinese
renders in 仿宋/黑体/楷体 in Word and WPS, and falls back sensibly in LibreOffice.
The template says only how each level looks: headings, sentences and the order of the parts are
the layout's data (generator/data/profiles/<id>/profile.toml and sentences.toml); a layout may
bring its own Word template made the same way.
"""

from __future__ import annotations

import io
import re
import sys
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

OUT = Path(__file__).resolve().parent.parent / "templates" / "report_outline.docx"
BODY_FONT = "仿宋_GB2312"
LATIN_FONT = "Times New Roman"

# The fonts the report names, each with the font Word/WPS substitutes when it is missing
# (w:altName in the font table), and that font's own substitute: a PC without the *_GB2312
# fonts shows 仿宋/楷体 (Windows' own), a PC without those the Latin-named fonts of
# Windows, and charset 86 (GB2312) keeps any further substitution in a Chinese font, never
# a Japanese one. README (开发) describes the same chain.
FONT_CHAIN = {
    "仿宋_GB2312": "仿宋",
    "仿宋": "FangSong",
    "黑体": "SimHei",
    "楷体_GB2312": "楷体",
    "楷体": "KaiTi",
    "方正小标宋简体": "华文中宋",
    "华文中宋": "宋体",
    "宋体": "SimSun",
}
PANOSE = {  # the published PANOSE numbers of the Windows fonts; the GB2312 names share them
    "仿宋_GB2312": "02010609030101010101", "仿宋": "02010609060101010101", "黑体": "02010609060101010101",
    "楷体_GB2312": "02010609030101010101", "楷体": "02010609060101010101", "方正小标宋简体": "02000000000000000000",
    "华文中宋": "02010600040101010101", "宋体": "02010600030101010101",
}
CJK_FAMILY = {"黑体": "modern", "华文中宋": "auto", "方正小标宋简体": "script"}


def set_fonts(style, east_asia: str, size: float, bold: bool = False, latin: str = LATIN_FONT) -> None:
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attr in list(fonts.attrib):
        if attr.endswith("Theme"):
            del fonts.attrib[attr]
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:cs"), latin)
    style.font.size = Pt(size)
    style.font.bold = bold


def clean_doc_defaults(doc) -> None:
    """Drop theme fonts from docDefaults and declare Chinese as the East-Asian language."""
    styles = doc.styles.element
    rpr = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts = rpr.find(qn("w:rFonts"))
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]
    fonts.set(qn("w:ascii"), LATIN_FONT)
    fonts.set(qn("w:hAnsi"), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), BODY_FONT)
    fonts.set(qn("w:cs"), LATIN_FONT)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    for fonts in styles.iter(qn("w:rFonts")):  # every style, used or not: a theme font wins over w:eastAsia
        for attr in list(fonts.attrib):
            if attr.endswith("Theme"):
                del fonts.attrib[attr]


def paragraph_style(doc, name, east_asia, size, bold=False, align=None, indent=True, before=0, after=0,
                    keep_next=False, line=28):
    try:
        style = doc.styles[name]
    except KeyError:
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = doc.styles["Normal"]
    set_fonts(style, east_asia, size, bold)
    pf = style.paragraph_format
    pf.alignment = align if align is not None else WD_ALIGN_PARAGRAPH.JUSTIFY
    pf.first_line_indent = Pt(size * 2) if indent else Pt(0)
    pf.space_before, pf.space_after = Pt(before), Pt(after)
    if line:
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Pt(line)
    else:  # a picture paragraph: exact spacing would crop the image to one line
        pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
    pf.keep_with_next = keep_next
    pf.widow_control = True
    return style


def page_number_footer(section) -> None:
    """"— 3 —" centred: a PAGE field, updated by Word/WPS on open."""
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER

    def run(text=None, fld=None, instr=None):
        r = p.add_run()
        r.font.size = Pt(14)
        rpr = r._r.get_or_add_rPr()
        fonts = rpr.get_or_add_rFonts()
        fonts.set(qn("w:ascii"), LATIN_FONT)
        fonts.set(qn("w:hAnsi"), LATIN_FONT)
        fonts.set(qn("w:eastAsia"), "宋体")
        if text:
            r.text = text
        if fld:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), fld)
            r._r.append(el)
        if instr:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = instr
            r._r.append(el)

    run("— ")
    run(fld="begin")
    run(instr=" PAGE ")
    run(fld="separate")
    run("1")
    run(fld="end")
    run(" —")


def font_table() -> str:
    """word/fontTable.xml: Times New Roman and the Chinese fonts with their substitutes."""
    fonts = ['<w:font w:name="Times New Roman"><w:panose1 w:val="02020603050405020304"/><w:charset w:val="00"/>'
             '<w:family w:val="roman"/><w:pitch w:val="variable"/></w:font>']
    for name, alt in FONT_CHAIN.items():
        fonts.append(f'<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:panose1 w:val="{PANOSE[name]}"/>'
                     f'<w:charset w:val="86"/><w:family w:val="{CJK_FAMILY.get(name, "modern")}"/>'
                     '<w:pitch w:val="fixed"/></w:font>')
    for alt in ("FangSong", "SimHei", "KaiTi", "SimSun"):
        fonts.append(f'<w:font w:name="{alt}"><w:charset w:val="86"/><w:family w:val="modern"/>'
                     '<w:pitch w:val="fixed"/></w:font>')
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            + "".join(fonts) + "</w:fonts>")


def chinese_theme(theme: str) -> str:
    """The theme's font scheme in Chinese: Latin Times New Roman, East-Asian 黑体/仿宋_GB2312.

    python-docx's theme names Calibri/Cambria and, for scripts, Japanese fonts first; styles
    here set explicit fonts, but anything that falls back to the theme must still be Chinese.
    """
    def scheme(kind: str, ea: str) -> str:
        return (f"<a:{kind}><a:latin typeface=\"{LATIN_FONT}\"/><a:ea typeface=\"{ea}\"/><a:cs typeface=\"\"/>"
                f"<a:font script=\"Hans\" typeface=\"{ea}\"/></a:{kind}>")
    fonts = f'<a:fontScheme name="公文">{scheme("majorFont", "黑体")}{scheme("minorFont", BODY_FONT)}</a:fontScheme>'
    return re.sub(r"<a:fontScheme.*?</a:fontScheme>", fonts, theme, count=1, flags=re.S)


APP_XML = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
           "<Application>决算说明生成器</Application></Properties>")


def finish_package(data: bytes) -> bytes:
    """Replace python-docx's font table, theme and app properties; drop its blank thumbnail.

    Also declares Chinese as the theme's East-Asian language (python-docx says ja-JP, which
    makes LibreOffice pick Japanese glyph shapes).
    """
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            name = info.filename
            if name == "docProps/thumbnail.jpeg":
                continue
            body = src.read(name)
            if name == "word/fontTable.xml":
                body = font_table().encode()
            elif name == "word/theme/theme1.xml":
                body = chinese_theme(body.decode()).encode()
            elif name == "docProps/app.xml":
                body = APP_XML.encode()
            elif name == "word/settings.xml":
                body = re.sub(rb'<w:themeFontLang [^>]*/>',
                              b'<w:themeFontLang w:val="en-US" w:eastAsia="zh-CN"/>', body)
            elif name == "_rels/.rels":
                body = re.sub(rb'<Relationship [^>]*thumbnail[^>]*/>', b"", body)
            elif name == "[Content_Types].xml":
                body = re.sub(rb'<Default Extension="jpeg"[^>]*/>', b"", body)
            dst.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), body,
                         compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def new_document():
    """A document with the project's styles (fonts, headings, table styles) and A4 page: (doc, styles)."""
    doc = Document()
    clean_doc_defaults(doc)
    normal = doc.styles["Normal"]
    set_fonts(normal, BODY_FONT, 16)
    paragraph_style(doc, "Normal", BODY_FONT, 16)
    styles = {
        "title": paragraph_style(doc, "Title", "方正小标宋简体", 22, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False,
                                 after=12, line=36),
        "part": paragraph_style(doc, "Heading 1", "黑体", 16, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False,
                                before=12, after=6, keep_next=True),
        "h2": paragraph_style(doc, "Heading 2", "黑体", 16, indent=True, keep_next=True),
        "h3": paragraph_style(doc, "Heading 3", "楷体_GB2312", 16, indent=True, keep_next=True),
        "body": doc.styles["Normal"],
        "figure": paragraph_style(doc, "图", BODY_FONT, 12, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False,
                                  keep_next=True, line=None),
        # unit line + 60 mm chart + caption stay under a third of the type area (225 mm), so a
        # chart pushed to the next page never leaves more than a third of a page empty
        "caption": paragraph_style(doc, "图题", BODY_FONT, 14, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False,
                                   after=3, line=20),
        "unit": paragraph_style(doc, "单位", BODY_FONT, 12, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False,
                                keep_next=True, line=16),
        "table_title": paragraph_style(doc, "表题", "黑体", 14, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False,
                                       keep_next=True, line=22),
        "table_note": paragraph_style(doc, "表注", BODY_FONT, 10.5, indent=False, line=16, after=6),
        "cell": paragraph_style(doc, "表格文字", BODY_FONT, 9, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False,
                                line=13),  # 9 pt on 13 pt lines: glyphs clear of the rules
    }
    for name in ("Heading 1", "Heading 2", "Heading 3", "Title"):
        st = doc.styles[name]
        st.font.bold = False  # 方正小标宋, 黑体 and 楷体 have no bold, and 公文 titles and headings are not set bold
        st.font.color.rgb = None
        st.font.italic = False
        rpr = st.element.get_or_add_rPr()
        for tag in ("w:color", "w:i", "w:u"):
            el = rpr.find(qn(tag))
            if el is not None:
                rpr.remove(el)
        ppr = st.element.get_or_add_pPr()
        for tag in ("w:pBdr",):
            el = ppr.find(qn(tag))
            if el is not None:
                ppr.remove(el)

    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin = Mm(37), Mm(35)
    sec.left_margin, sec.right_margin = Mm(28), Mm(26)
    sec.footer_distance = Mm(20)
    page_number_footer(sec)
    return doc, styles


OUTLINE_OUT = OUT


def build_outline() -> Path:
    """templates/report_outline.docx: the template of every profile written from an outline
    (generator/data/profiles/*/profile.toml). The headings come numbered from the profile;
    the template only says how each level looks. The 附表 (and 附件 tables) replace the
    marker paragraphs (generator/render.py)."""
    doc, styles = new_document()

    def p(text: str, style: str = "body") -> None:
        doc.add_paragraph(text, style=styles[style])

    p("{{ unit_name }}", "title")
    p("{{ doc_title_line }}", "title")
    p("{%p for b in outline %}")
    for level, style in ((1, "part"), (2, "h2"), (3, "h3")):
        p(f"{{%p if b.level == {level} %}}")
        p("{{ b.heading }}", style)
        p("{%p endif %}")
    p("{%p for para in b.paras %}")
    p("{{ para }}")
    p("{%p endfor %}")
    p("{%p if b.chart %}")
    p("{%p if b.chart.kind == 'bar' %}")
    p("单位：万元", "unit")
    p("{%p endif %}")
    p("{{ b.chart.image }}", "figure")
    p("（图{{ b.chart.number }}：{{ b.chart.caption }}）", "caption")
    p("{%p endif %}")
    p("{%p if b.mark %}")
    p("{{ b.mark }}")
    p("{%p endif %}")
    p("{%p endfor %}")
    cp = doc.core_properties
    cp.author = cp.title = cp.comments = cp.last_modified_by = ""
    buf = io.BytesIO()
    doc.save(buf)
    OUTLINE_OUT.write_bytes(finish_package(buf.getvalue()))
    return OUTLINE_OUT


if __name__ == "__main__":
    print(build_outline(), file=sys.stdout)
