"""Regenerate the parts of README.md that come from code (the rule list of the checks).

Run: python tools/update_readme.py   (tests/test_docs.py fails when README is out of date)
"""

from __future__ import annotations

import re
from pathlib import Path

from generator.check import rules_markdown

README = Path(__file__).resolve().parent.parent / "README.md"
BLOCK = re.compile(r"(<!-- rules:start -->\n).*?(<!-- rules:end -->)", re.S)


def updated(text: str) -> str:
    if not BLOCK.search(text):
        raise ValueError("README.md has no <!-- rules:start --> … <!-- rules:end --> block")
    return BLOCK.sub(lambda m: m.group(1) + rules_markdown() + "\n" + m.group(2), text)


if __name__ == "__main__":
    README.write_text(updated(README.read_text("utf-8")), "utf-8")
    print(README)
