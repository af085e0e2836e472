"""Fuzz: damage the XML parts of a good workbook at random; the program answers in Chinese or works.

Each example mutates one part (workbook.xml, styles, a sheet the reader reads, the content
types, the relationships): bytes deleted, inserted, replaced, duplicated or cut off. Reading
must end in a report-able result or a GeneratorError (one sentence), never another exception;
the check workbook is either written completely or not at all (no *.tmp left behind).
"""

from __future__ import annotations

import io
import os
import tempfile
import zipfile
from functools import lru_cache
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from generator.annotate import write_check_report
from generator.errors import GeneratorError
from generator.pipeline import load
from generator.workbook import write_workbook

from conftest import MINIMAL

PARTS = ["xl/workbook.xml", "xl/styles.xml", "xl/worksheets/sheet2.xml", "xl/worksheets/sheet5.xml",
         "[Content_Types].xml", "xl/_rels/workbook.xml.rels"]
PIECES = [b"<", b">", b"&", b'"', b"\x00", b"</row>", b"<row r=\"3\">", b'<c r="B4" t="s"><v>99</v></c>',
          b'<c r="B7" t="n"><v>x</v></c>', b'r="XFD1048576"', b'<dimension ref="A1:XFD1048576"/>', b"<![CDATA[",
          b"<!DOCTYPE x [<!ENTITY a \"aaaa\">]>", b"&a;", "单位".encode(), b"=1+1"]


@lru_cache(maxsize=1)
def good_workbook() -> dict[str, bytes]:
    folder = Path(tempfile.mkdtemp(prefix="fuzz-"))
    path = write_workbook(folder / "good.xlsx", MINIMAL)
    with zipfile.ZipFile(path) as z:
        return {i.filename: z.read(i.filename) for i in z.infolist()}


mutations = st.tuples(
    st.sampled_from(PARTS),
    st.floats(min_value=0, max_value=1),
    st.integers(min_value=1, max_value=400),
    st.sampled_from(["delete", "insert", "replace", "duplicate", "truncate"]),
    st.one_of(st.sampled_from(PIECES), st.binary(min_size=1, max_size=12)),
)


def mutate(parts: dict[str, bytes], change) -> bytes:
    name, where, length, how, piece = change
    data = parts[name]
    at = int(where * len(data))
    if how == "delete":
        data = data[:at] + data[at + length:]
    elif how == "insert":
        data = data[:at] + piece + data[at:]
    elif how == "replace":
        data = data[:at] + piece + data[at + len(piece):]
    elif how == "duplicate":
        data = data[:at + length] + data[at:at + length] + data[at + length:]
    else:
        data = data[:at]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for n, d in parts.items():
            z.writestr(n, data if n == name else d)
    return buf.getvalue()


@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "20")), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(mutations, min_size=1, max_size=2))
def test_damaged_xml_is_a_sentence_or_a_result(tmp_path, changes):
    """Never a traceback: a result, or a GeneratorError with a Chinese sentence; never a half-written file."""
    parts = dict(good_workbook())
    for change in changes:
        parts[change[0]] = zipfile.ZipFile(io.BytesIO(mutate(parts, change))).read(change[0])
    work = Path(tempfile.mkdtemp(dir=tmp_path))  # one folder per example
    path = work / "坏.xlsx"
    path.write_bytes(mutate(parts, (PARTS[0], 0, 0, "insert", b"")))
    try:
        _, findings = load(path)
    except GeneratorError as exc:
        assert any("\u4e00" <= ch <= "\u9fff" for ch in str(exc)), str(exc)
        return
    out = work / "out"
    target = out / "坏.检查结果.xlsx"
    try:
        write_check_report(path, findings, target)
    except GeneratorError as exc:
        assert any("\u4e00" <= ch <= "\u9fff" for ch in str(exc)), str(exc)
        assert not target.exists()
    else:
        load_workbook(target).close()  # complete and readable
    assert not list(out.glob("*.tmp")) if out.exists() else True
