"""Documentation generated from code stays in step with it."""

from __future__ import annotations

from conftest import ROOT

import update_readme


def test_readme_rule_list_matches_the_checks():
    """README's rule list is the one in generator/check.py (run tools/update_readme.py after a change)."""
    from generator.check import RULES

    text = (ROOT / "README.md").read_text("utf-8")
    assert update_readme.updated(text) == text
    assert all(f"| `{rule}` |" in text for rule in RULES)


def test_readme_commands_in_order():
    """README gives install, generate a sample, and the test command, in that order."""
    text = (ROOT / "README.md").read_text("utf-8")
    install = text.index('python -m pip install -e ".[test]"')
    generate = text.index("generate sample_inputs/")
    test = text.index("python -m pytest -q")
    assert install < generate < test
