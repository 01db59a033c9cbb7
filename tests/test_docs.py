"""Documentation stays in step with the code: every command, option and error code is documented,
and CI runs the README's test command."""
from __future__ import annotations

import argparse
import inspect
import re
from pathlib import Path

import pytest

from newsgraph import errors
from newsgraph.cli import build_parser

ROOT = Path(__file__).resolve().parent.parent
CLI_DOC = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")


def subcommands():
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return action.choices


@pytest.mark.parametrize("name", sorted(subcommands()))
def test_command_and_its_options_are_documented(name):
    assert f"## `newsgraph {name}`" in CLI_DOC
    for action in subcommands()[name]._actions:
        for flag in action.option_strings:
            if flag in ("-h", "--help"):
                continue
            assert f"`{flag}" in CLI_DOC, f"{name} {flag} is not in docs/cli.md"


def test_every_error_code_is_documented():
    doc = (ROOT / "docs" / "errors.md").read_text(encoding="utf-8")
    for _, cls in inspect.getmembers(errors, inspect.isclass):
        if issubclass(cls, errors.NewsgraphError) and cls is not errors.NewsgraphError:
            assert f"| {cls.code} | `{cls.__name__}` |" in doc


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    commands = re.findall(r"^python3 -m venv \.venv && .*$", readme, flags=re.M)
    assert len(commands) == 2, "the README gives exactly two set-up commands"
    tests = [c for c in commands if "-m pytest" in c]
    assert len(tests) == 1
    pattern = re.search(r"grep -m1 -E '([^']+)' README.md", ci).group(1)
    assert re.search(pattern, tests[0]) and not re.search(pattern, [c for c in commands if c not in tests][0])
