"""Documentation stays in step with the code: every command, option and error code is documented,
and CI runs the README's test command."""
from __future__ import annotations

import argparse
import inspect
import re
from pathlib import Path

import pytest

from newsgraph import errors
from newsgraph.model import Article
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


# The worked example of docs/architecture.md ("Adding a stage in a day") runs as written.
ARCH_DOC = ROOT / "docs" / "architecture.md"


def _example() -> str:
    text = ARCH_DOC.read_text(encoding="utf-8")
    section = text[text.index("## Adding a stage in a day"):text.index("## Runners")]
    [code] = re.findall(r"```python\n(.*?)```", section, flags=re.S)
    return "\n".join(line[3:] if line.startswith("   ") else line for line in code.splitlines())


def test_the_worked_example_stage_runs(tmp_path, monkeypatch):
    from newsgraph.pipeline import Pipeline
    from newsgraph.stages import REGISTRY, _load_builtin

    _load_builtin()             # the built-in stages register in the real registry, not in the copy below
    data = tmp_path / "data"
    data.mkdir()
    (data / "share_words.tsv").write_text("# invented for the test\nword\nvotes\nturnout\n", encoding="utf-8")
    monkeypatch.setattr("newsgraph.stages.REGISTRY", dict(REGISTRY))   # the example registers itself
    namespace = {"__file__": str(tmp_path / "__init__.py")}
    exec(compile(_example(), "architecture.md", "exec"), namespace)

    pipeline = Pipeline(stages=["percentages"], config={"percentages": {"min_value": 5}})
    assert [s.name for s in pipeline.stages] == ["sentences", "percentages"]
    a = pipeline.analyze(Article(id="p", text="The party won 42 percent of votes; 3% stayed home."))
    assert [(f.value, f.measure) for f in a.figures] == [(42.0, "votes")]
    assert a.meta["config"] == {"percentages": {"min_value": 5}}
